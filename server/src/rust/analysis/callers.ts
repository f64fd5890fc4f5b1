import type { CanisterModel } from '../model/canister';
import type { FunctionDecl } from '../model/facts';

/** How many functions a walk up the call graph visits at most: common names are called from many places. */
const MAX_VISITED = 200;

/**
 * The update methods that run `start` (some of the given functions) in their own message, found from
 * the functions up through their callers, so only the files that name them are read. Queries keep
 * no writes, and the heartbeat, timers and hooks run on the canister's own schedule: the walk stops there.
 */
export function updatesRunning(model: CanisterModel, start: FunctionDecl[]): FunctionDecl[] {
  const queue = [...start];
  const seen = new Set<string>();
  const out: FunctionDecl[] = [];
  while (queue.length > 0 && seen.size < MAX_VISITED) {
    const f = queue.pop()!;
    const key = `${f.nameLoc.file}:${f.nameLoc.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (f.entry === 'update') out.push(f);
    else if (f.entry === undefined && !f.hook) queue.push(...model.callersOf(f.name));
  }
  return out;
}

/** Words of a guard's name that say only the canister's controllers or admins pass it. */
const ADMIN_GUARD = /admin|controller|owner|manager|governance/i;

/** True when the method's guard admits only controllers or admins: what it writes is managed configuration. */
export function adminOnly(f: FunctionDecl): boolean {
  return !!f.guard && ADMIN_GUARD.test(f.guard);
}
