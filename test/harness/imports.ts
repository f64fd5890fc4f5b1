import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** Every import of one source file, type-only ones included: relative ones resolved to files, packages by name. */
export interface FileImports {
  files: string[];
  packages: string[];
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

/** Reads the import graph of the `.ts` files under the given folders, with the compiler's own pre-processor. */
export function importGraph(dirs: string[]): Map<string, FileImports> {
  const graph = new Map<string, FileImports>();
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.name.endsWith('.ts')) {
        const info = ts.preProcessFile(fs.readFileSync(full, 'utf8'), true, true);
        const specs = info.importedFiles.map((i) => i.fileName);
        const files = specs.filter((s) => s.startsWith('.')).flatMap((s) => resolve(full, s) ?? []);
        const packages = specs.filter((s) => !s.startsWith('.')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
        graph.set(full, { files, packages });
      }
    }
  };
  for (const d of dirs) visit(d);
  return graph;
}

/** The strongly connected components with more than one file, or a file importing itself: each is an import cycle. */
export function cycles(graph: Map<string, { files: string[] }>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.files ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.files.includes(v)) out.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out;
}
