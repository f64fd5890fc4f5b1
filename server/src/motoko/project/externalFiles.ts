import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { readSmallFile } from './packages';

/** How many files outside a project are loaded at most: a stray `../` must not pull in a whole disk. */
const MAX_EXTERNAL = 500;

/** The `.mo` file a relative import names: `X.mo`, or `X/lib.mo` for a folder. */
function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.mo`, path.join(base, 'lib.mo')]) {
    try {
      if (candidate.endsWith('.mo') && nodeFs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not there: try the next form.
    }
  }
  return undefined;
}

function importsOf(file: string): string[] {
  const text = readSmallFile(file);
  return [...text.matchAll(/\bimport\b[^"\n;]*"([^":"\n]+)"/g)].map((m) => m[1]);
}

/**
 * Files outside the project folder that its files import by relative path (`../shared/Types`), and
 * theirs in turn. The build compiles them, so the compiler must see them too, or it reports M0009.
 */
export function externalImports(root: string, files: string[]): string[] {
  const inside = (f: string) => f === root || f.startsWith(root + path.sep);
  const seen = new Set(files);
  const out: string[] = [];
  const queue = [...files];
  while (queue.length && out.length < MAX_EXTERNAL) {
    const file = queue.pop()!;
    for (const spec of importsOf(file)) {
      const target = resolve(file, spec);
      if (!target || seen.has(target)) continue;
      seen.add(target);
      if (inside(target)) continue;
      out.push(target);
      queue.push(target);
    }
  }
  return out.sort();
}
