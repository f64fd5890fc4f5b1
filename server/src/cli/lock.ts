import * as path from 'node:path';
import { type MotokoProjectResult, canisterMains, definesCanister } from '../check/motokoProject';
import type { ProjectResult } from '../check/rustProject';
import { motokoLockInput, readDisk, writeMotokoLocks, writeRustLocks, type LockOutcome, type MotokoLockInput } from '../lockfile/write';

export type { LockOutcome };

/** `stable-lens lock`: writes (or with `check`, only compares) the lockfile of every canister crate that uses stable structures. */
export function lockProject(result: ProjectResult, check: boolean, warn: (m: string) => void): LockOutcome[] {
  return writeRustLocks(
    result.crates.map((r) => ({ root: r.crate.root, manifest: r.crate.manifest, model: r.model })),
    { check, readText: readDisk, warn },
  );
}

/** The same for Motoko canisters: each main file's stable signature, persistence and initializers. */
export function lockMotoko(projects: MotokoProjectResult[], check: boolean, warn: (m: string) => void): LockOutcome[] {
  const inputs = projects.map((p) => ({
    canisters: canisterMains(p.project, p.results).map((c): MotokoLockInput => {
      const result = p.results.find((r) => r.file === c.main);
      // A main file that was not analysed (another path was named) keeps what its lockfile records.
      if (!result) return { name: c.name, main: c.main };
      return motokoLockInput(p.project, c.name, c.main, result.model?.actors[0], p.signatures.get(c.main));
    }),
    defines: (name: string, main: string) => definesCanister(p.project, name, main),
  }));
  return writeMotokoLocks(inputs, { check, readText: readDisk, warn });
}

export function describeOutcomes(outcomes: LockOutcome[], cwd: string): string {
  const words = { written: 'wrote', unchanged: 'up to date', stale: 'out of date', missing: 'missing', failed: 'not recorded' };
  return (
    outcomes.map((o) => `${words[o.state]}: ${path.relative(cwd, o.file)}`).join('\n') +
    (outcomes.length ? '\n' : 'No canister under these paths uses stable structures or Motoko stable variables.\n')
  );
}
