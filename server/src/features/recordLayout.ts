import { buildRustLock } from '../lockfile/build';
import { lockfilePath, parseLock, serializeLock, writeFileAtomic } from '../lockfile/io';
import { buildMotokoCanister, motokoLockPath, motokoLockText, parseMotokoLock } from '../lockfile/motoko';
import type { MotokoLockedCanister } from '../lockfile/types';
import { canisterMains } from '../motoko/paths';
import { flagsFor } from '../motoko/project';
import type { MotokoWorkspace } from './motoko';
import type { CrateEntry } from './workspace';

/** `stableLens.recordLayout`: the command that writes each canister's lockfile, like `stable-lens lock`. */
export const RECORD_LAYOUT_COMMAND = 'stableLens.recordLayout';

/**
 * Writes the lockfile of every analysed crate that uses stable structures (or only of `onlyFile`'s
 * crate), carrying retired ids forward. Returns the files written.
 */
export function recordLayouts(entries: readonly CrateEntry[], readText: (file: string) => string | undefined, onlyFile?: string): string[] {
  const written: string[] = [];
  for (const entry of entries) {
    const result = entry.result;
    if (!result || !entry.info.manifest || !result.model.usesStableStructures) continue;
    if (onlyFile && !entry.info.files.includes(onlyFile)) continue;
    const file = lockfilePath(entry.info.root);
    const oldText = readText(file);
    const old = oldText === undefined ? undefined : parseLock(file, oldText);
    const text = serializeLock(buildRustLock(result.model, old && !('error' in old) ? old.lock : undefined));
    if (text === oldText) continue;
    writeFileAtomic(file, text);
    written.push(file);
  }
  return written;
}

/**
 * The same for Motoko canisters (all, or those of `onlyFile`'s project): each main file's signature
 * is compiled now unless a fresh one is cached, and its entry replaces the recorded one.
 */
export async function recordMotokoLayouts(ws: MotokoWorkspace, readText: (file: string) => string | undefined, onlyFile?: string): Promise<string[]> {
  const byFile = new Map<string, Record<string, MotokoLockedCanister>>();
  for (const project of ws.allProjects()) {
    if (onlyFile && !project.files.includes(onlyFile)) continue;
    // Loose projects find their canisters through the actors of their files.
    const results = project.canisters.length ? [] : (await Promise.all(project.files.map((f) => ws.resultFor(f)))).flatMap((r) => r ?? []);
    for (const { name, main } of canisterMains(project, results)) {
      const actor = (await ws.resultFor(main))?.model?.actors[0];
      const signature = await ws.signature(main);
      if (!actor || !signature?.most) continue;
      const entries = byFile.get(motokoLockPath(main)) ?? {};
      entries[name] = buildMotokoCanister({ main, actor, most: signature.most, flags: flagsFor(project, main).args });
      byFile.set(motokoLockPath(main), entries);
    }
  }
  const written: string[] = [];
  for (const [file, entries] of byFile) {
    const oldText = readText(file);
    const old = oldText === undefined ? undefined : parseMotokoLock(file, oldText);
    const text = motokoLockText(old && !('error' in old) ? old.lock : undefined, entries);
    if (text === oldText) continue;
    writeFileAtomic(file, text);
    written.push(file);
  }
  return written;
}
