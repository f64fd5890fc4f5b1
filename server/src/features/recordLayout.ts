import { buildRustLock } from '../lockfile/build';
import { lockfilePath, parseLock, serializeLock, writeFileAtomic } from '../lockfile/io';
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
