import type { TypeRef } from '../types';
import { structureKindOf } from './structures';

/** True when `t` or any type argument inside it satisfies `pred`. */
export function anyType(t: TypeRef, pred: (t: TypeRef) => boolean): boolean {
  return pred(t) || t.args.some((a) => anyType(a, pred));
}

const MEMORY_TYPES = new Set(['MemoryManager', 'DefaultMemoryImpl', 'VirtualMemory', 'RestrictedMemory']);
const STABLE_MEMORY_TYPES = new Set(['SBTreeMap', 'SBTreeSet', 'SHashMap', 'SHashSet', 'SVec', 'SLog', 'SBox', 'SCertifiedBTreeMap', 'SCertifiedBTreeSet']);

export function isStableStructureType(t: TypeRef): boolean {
  return anyType(t, (x) => structureKindOf(x.path) !== undefined);
}

export function isMemoryType(t: TypeRef): boolean {
  return anyType(t, (x) => MEMORY_TYPES.has(x.name));
}

export function isStableMemoryCollection(t: TypeRef): boolean {
  return anyType(t, (x) => STABLE_MEMORY_TYPES.has(x.name) || x.path.startsWith('ic_stable_memory'));
}

const GROWING = new Set(['HashMap', 'BTreeMap', 'HashSet', 'BTreeSet', 'Vec', 'VecDeque', 'LinkedList', 'BinaryHeap', 'IndexMap', 'IndexSet', 'String']);

/** Collections that grow with use: what makes serialising heap state in pre_upgrade expensive. */
export function isGrowingCollection(t: TypeRef): boolean {
  return GROWING.has(t.name);
}
