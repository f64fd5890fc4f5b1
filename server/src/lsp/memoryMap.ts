import { within } from '../core/fileSystem';
import { memoryMap } from '../rust/analysis/memoryMap';
import { type MemoryMapJson } from '../protocol/memoryMap';
import type { CrateEntry } from './workspace';

/**
 * The `stable-lens map --json` document for the workspace folders, relative to the first one.
 * With a file or folder, only the crates that hold it or lie under it.
 */
export function workspaceMemoryMap(crates: readonly CrateEntry[], folders: readonly string[], target?: string): MemoryMapJson {
  const cwd = folders[0] ?? process.cwd();
  const chosen = crates.filter((c) => c.origin === 'folder' && (!target || within(target, c.info.root) || within(c.info.root, target)));
  return memoryMap(
    chosen.flatMap((c) => (c.result ? [c.result] : [])),
    cwd,
  );
}
