import { canisterMains, definesCanister } from '../check/motokoProject';
import { motokoLockInput, writeMotokoLocks, writeRustLocks, type LockWriter, type MotokoLockInput } from '../lockfile/write';
import type { MotokoWorkspace } from './motoko/workspace';
import type { CrateEntry } from './workspace';

/** `stableLens.recordLayout`: the command that writes each canister's lockfile, like `stable-lens lock`. */
export const RECORD_LAYOUT_COMMAND = 'stableLens.recordLayout';

/** The files written. */
function written(outcomes: { file: string; state: string }[]): string[] {
  return outcomes.filter((o) => o.state === 'written').map((o) => o.file);
}

/**
 * Writes the lockfile of every analysed crate that uses stable structures (or only of `onlyFile`'s
 * crate), carrying retired ids forward. Returns the files written.
 */
export function recordLayouts(entries: readonly CrateEntry[], writer: Omit<LockWriter, 'check'>, onlyFile?: string): string[] {
  const crates = entries.flatMap((e) =>
    e.result && (!onlyFile || e.info.files.includes(onlyFile)) ? [{ root: e.info.root, manifest: e.info.manifest, model: e.result.model }] : [],
  );
  return written(writeRustLocks(crates, { ...writer, check: false }));
}

/**
 * The same for Motoko canisters (all, or those of `onlyFile`'s project): each main file's signature
 * is compiled now unless a fresh one is cached, and its entry replaces the recorded one.
 */
export async function recordMotokoLayouts(ws: MotokoWorkspace, writer: Omit<LockWriter, 'check'>, onlyFile?: string): Promise<string[]> {
  const projects = [];
  for (const project of ws.allProjects()) {
    if (onlyFile && !project.files.includes(onlyFile)) continue;
    // Loose projects find their canisters through the actors of their files.
    const results = project.canisters.length ? [] : (await Promise.all(project.files.map((f) => ws.resultFor(f)))).flatMap((r) => r ?? []);
    const canisters: MotokoLockInput[] = [];
    for (const { name, main } of canisterMains(project, results)) {
      canisters.push(motokoLockInput(project, name, main, (await ws.resultFor(main))?.model?.actors[0], await ws.signature(main)));
    }
    projects.push({ canisters, defines: (name: string, main: string) => definesCanister(project, name, main) });
  }
  return written(writeMotokoLocks(projects, { ...writer, check: false }));
}
