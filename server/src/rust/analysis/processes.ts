import type { Loc } from '../../core/loc';
import type { CanisterModel } from '../model/canister';

/** Whether a span belongs to one process of the crate. */
export type InProcess = (loc: Loc) => boolean;

/**
 * The processes of a crate, each with a stable memory of its own: one per binary root when the
 * crate has several (files that are no binary's root count for each), else the whole crate.
 */
export function processes(model: CanisterModel): InProcess[] {
  const roots = model.crate.binRoots ?? [];
  if (roots.length < 2) return [() => true];
  return roots.map((root) => (loc: Loc) => loc.file === root || !roots.includes(loc.file));
}
