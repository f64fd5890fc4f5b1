import type { TypeRef } from './facts';
import { structureKindOf } from './structures';

/** True when `t` or any type argument inside it satisfies `pred`; type aliases are followed when `alias` is given. */
export function anyType(t: TypeRef, pred: (t: TypeRef) => boolean, alias?: (name: string) => TypeRef | undefined, depth = 0): boolean {
  if (depth > 8) return false;
  if (pred(t) || t.args.some((a) => anyType(a, pred, alias, depth + 1))) return true;
  const target = alias?.(t.name);
  return target !== undefined && target.name !== t.name && anyType(target, pred, alias, depth + 1);
}

type AliasLookup = (name: string) => TypeRef | undefined;

const MEMORY_TYPES = new Set(['MemoryManager', 'DefaultMemoryImpl', 'VirtualMemory', 'RestrictedMemory', 'VectorMemory', 'FileMemory', 'Ic0StableMemory']);
const STABLE_MEMORY_TYPES = new Set(['SBTreeMap', 'SBTreeSet', 'SHashMap', 'SHashSet', 'SVec', 'SLog', 'SBox', 'SCertifiedBTreeMap', 'SCertifiedBTreeSet']);

export function isStableStructureType(t: TypeRef, alias?: AliasLookup): boolean {
  return anyType(t, (x) => structureKindOf(x.path) !== undefined, alias);
}

export function isMemoryType(t: TypeRef, alias?: AliasLookup): boolean {
  return anyType(t, (x) => MEMORY_TYPES.has(x.name), alias);
}

export function isStableMemoryCollection(t: TypeRef, alias?: AliasLookup): boolean {
  return anyType(t, (x) => STABLE_MEMORY_TYPES.has(x.name) || x.path.startsWith('ic_stable_memory'), alias);
}

const GROWING = new Set(['HashMap', 'BTreeMap', 'HashSet', 'BTreeSet', 'Vec', 'VecDeque', 'LinkedList', 'BinaryHeap', 'IndexMap', 'IndexSet', 'String']);

/** Collections that grow with use: what makes serialising heap state in pre_upgrade expensive. */
export function isGrowingCollection(t: TypeRef): boolean {
  return GROWING.has(t.name);
}
