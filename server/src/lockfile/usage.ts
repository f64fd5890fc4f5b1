import type { LockedType, RustLock } from './types';

/** The type names inside a normalized type we wrote ourselves, such as `(Principal, Vec<u8>)`. */
export function typeNames(t: LockedType | undefined): string[] {
  return t ? t.normalized.split(/[^A-Za-z0-9_]+/).filter(Boolean) : [];
}

function isTuple(t: LockedType | undefined): boolean {
  return t !== undefined && t.normalized.startsWith('(');
}

export interface Usage {
  keys: Set<string>;
  /** Elements of StableVec/StableMinHeap: their bound is stored in the structure's header. */
  elements: Set<string>;
  values: Set<string>;
  /** Types stored inside a tuple key: the tuple pads them to their max_size. */
  tupleKeys: Set<string>;
  /** Types stored inside a tuple value or element. */
  tupleValues: Set<string>;
}

/** How each recorded type was stored in the baseline: as a key, a value, or a Vec element. */
export function usageOf(lock: RustLock): Usage {
  const u: Usage = { keys: new Set(), elements: new Set(), values: new Set(), tupleKeys: new Set(), tupleValues: new Set() };
  for (const s of Object.values(lock.memoryIds)) {
    typeNames(s.key).forEach((n) => u.keys.add(n));
    if (isTuple(s.key)) typeNames(s.key).forEach((n) => u.tupleKeys.add(n));
    const main = s.value ?? s.element;
    const bucket = s.kind === 'StableVec' || s.kind === 'StableMinHeap' ? u.elements : u.values;
    typeNames(main).forEach((n) => bucket.add(n));
    if (isTuple(main)) typeNames(main).forEach((n) => u.tupleValues.add(n));
  }
  return u;
}
