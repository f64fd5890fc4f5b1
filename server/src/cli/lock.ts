import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectResult } from '../analysis/project';
import { buildRustLock } from '../lockfile/build';
import { lockfilePath, parseLock, serializeLock, writeFileAtomic } from '../lockfile/io';

export interface LockOutcome {
  file: string;
  /** `failed`: a Motoko canister that does not compile, so nothing could be recorded (`file` is its main file). */
  state: 'written' | 'unchanged' | 'stale' | 'missing' | 'failed';
}

/**
 * Writes (or with `check`, only compares) the lockfile of every canister crate that uses stable
 * structures. Retired ids of the previous lockfile are carried forward.
 */
export function lockProject(result: ProjectResult, check: boolean, warn: (m: string) => void): LockOutcome[] {
  const out: LockOutcome[] = [];
  for (const r of result.crates) {
    if (!r.crate.manifest || !r.model.usesStableStructures) continue;
    const file = lockfilePath(r.crate.root);
    const oldText = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const old = oldText === undefined ? undefined : parseLock(file, oldText);
    if (old && 'error' in old) warn(`${old.error}; it is replaced`);
    const text = serializeLock(buildRustLock(r.model, old && !('error' in old) ? old.lock : undefined));
    if (text === oldText) out.push({ file, state: 'unchanged' });
    else if (check) out.push({ file, state: oldText === undefined ? 'missing' : 'stale' });
    else {
      writeFileAtomic(file, text);
      out.push({ file, state: 'written' });
    }
  }
  return out;
}

export function describeOutcomes(outcomes: LockOutcome[], cwd: string): string {
  const words = { written: 'wrote', unchanged: 'up to date', stale: 'out of date', missing: 'missing', failed: 'not recorded' };
  return outcomes.map((o) => `${words[o.state]}: ${path.relative(cwd, o.file)}`).join('\n') + (outcomes.length ? '\n' : 'No canister under these paths uses stable structures or Motoko stable variables.\n');
}
