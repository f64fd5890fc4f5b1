import * as fs from 'node:fs';
import { writeFileAtomic } from '../lockfile/io';
import { buildMotokoCanister, motokoLockPath, motokoLockText, parseMotokoLock } from '../lockfile/motoko';
import type { MotokoLockedCanister } from '../lockfile/types';
import { canisterMains, type MotokoProjectResult } from '../motoko/paths';
import { flagsFor } from '../motoko/project';
import type { LockOutcome } from './lock';

interface Planned {
  /** Canisters recorded now. */
  entries: Record<string, MotokoLockedCanister>;
  /** Canisters that did not compile: their recorded entries are kept as they are. */
  failed: Set<string>;
}

/** Groups each project's canisters by the lockfile next to their main files. */
function plan(projects: MotokoProjectResult[], warn: (m: string) => void, outcomes: LockOutcome[]): Map<string, Planned> {
  const byFile = new Map<string, Planned>();
  for (const p of projects) {
    for (const c of canisterMains(p.project, p.results)) {
      const result = p.results.find((r) => r.file === c.main);
      // A main file that was not analysed (another path was named) is not this run's to record.
      if (!result) continue;
      const file = motokoLockPath(c.main);
      const planned = byFile.get(file) ?? { entries: {}, failed: new Set<string>() };
      byFile.set(file, planned);
      const signature = p.signatures.get(c.main);
      const actor = result.model?.actors[0];
      if (!actor || !signature?.most) {
        const why = !actor ? 'its main file has no actor' : `it does not compile (${(signature?.error ?? 'no stable signature').split('\n')[0]})`;
        warn(`${c.main}: cannot record canister ${c.name}: ${why}`);
        planned.failed.add(c.name);
        outcomes.push({ file: c.main, state: 'failed' });
        continue;
      }
      planned.entries[c.name] = buildMotokoCanister({ main: c.main, actor, most: signature.most, flags: flagsFor(p.project, c.main).args });
    }
  }
  return byFile;
}

/**
 * Writes (or with `check`, only compares) the lockfile of every Motoko canister: its stable
 * signature, persistence and initializers, next to its main file. Canisters that no longer exist
 * leave the file; one that does not compile keeps what was recorded.
 */
export function lockMotoko(projects: MotokoProjectResult[], check: boolean, warn: (m: string) => void): LockOutcome[] {
  const outcomes: LockOutcome[] = [];
  for (const [file, planned] of plan(projects, warn, outcomes)) {
    const oldText = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const old = oldText === undefined ? undefined : parseMotokoLock(file, oldText);
    if (old && 'error' in old) warn(`${old.error}; it is replaced`);
    const kept = Object.fromEntries(Object.entries(old && !('error' in old) ? old.lock.canisters : {}).filter(([name]) => planned.failed.has(name)));
    if (Object.keys(planned.entries).length === 0 && Object.keys(kept).length === 0) continue;
    const text = motokoLockText(undefined, { ...kept, ...planned.entries });
    if (text === oldText) outcomes.push({ file, state: 'unchanged' });
    else if (check) outcomes.push({ file, state: oldText === undefined ? 'missing' : 'stale' });
    else {
      writeFileAtomic(file, text);
      outcomes.push({ file, state: 'written' });
    }
  }
  return outcomes;
}
