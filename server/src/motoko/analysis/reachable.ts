import * as path from 'node:path';
import type { MotokoImport } from '../model/model';

/** The project file a relative import names (`"Types"` is `Types.mo` or `Types/lib.mo`); package and canister imports name none. */
function resolveImport(from: string, imp: MotokoImport, known: Set<string>): string | undefined {
  if (imp.path.includes(':')) return undefined;
  const base = path.resolve(path.dirname(from), imp.path);
  return [base, `${base}.mo`, path.join(base, 'lib.mo')].find((f) => f.endsWith('.mo') && known.has(f));
}

/** The files a canister build compiles: its main files and everything they import, directly or not. */
export function reachableFiles(mains: string[], importsOf: Map<string, MotokoImport[]>): Set<string> {
  const known = new Set(importsOf.keys());
  const out = new Set<string>();
  const queue = [...mains];
  while (queue.length) {
    const file = queue.pop()!;
    if (out.has(file)) continue;
    out.add(file);
    for (const imp of importsOf.get(file) ?? []) {
      const target = resolveImport(file, imp, known);
      if (target && !out.has(target)) queue.push(target);
    }
  }
  return out;
}
