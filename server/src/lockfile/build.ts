import { structureTypes } from '../rust/model/bounds';
import type { CanisterModel } from '../rust/model/canister';
import type { TypeRef } from '../rust/model/facts';
import { LOCKFILE_VERSION, type LockedBound, type LockedStorable, type LockedStructure, type LockedType, type RustLock } from './types';

const BUILTIN = new Set([
  'u8',
  'u16',
  'u32',
  'u64',
  'u128',
  'i8',
  'i16',
  'i32',
  'i64',
  'i128',
  'f32',
  'f64',
  'bool',
  'String',
  'Vec',
  'Option',
  'Principal',
  'Blob',
  'Reverse',
  '()',
  '[]',
  'Box',
  'HashMap',
  'BTreeMap',
  'HashSet',
  'BTreeSet',
  'Nat',
  'Int',
  'usize',
  'isize',
  'char',
  'str',
]);

/** A type with aliases resolved and only last path segments kept: what two versions compare on. */
export function normalizeType(t: TypeRef, model: CanisterModel, depth = 0): string {
  if (depth > 8) return t.text;
  const target = model.storable(t.name) ? undefined : model.alias(t.name);
  if (target && target.name !== t.name) return normalizeType(target, model, depth + 1);
  const args = t.args.map((a) => normalizeType(a, model, depth + 1));
  if (t.name === '()') return `(${args.join(', ')})`;
  if (t.name === '[]') return `[${args[0] ?? '?'}; ${t.arrayLen ?? '?'}]`;
  return args.length ? `${t.name}<${args.join(', ')}>` : t.name;
}

function lockedType(t: TypeRef | undefined, model: CanisterModel): LockedType | undefined {
  return t ? { written: t.text, normalized: normalizeType(t, model) } : undefined;
}

export function lockedBound(t: TypeRef, model: CanisterModel): LockedBound {
  const b = model.boundOf(t);
  if (b.kind === 'bounded') return { kind: 'bounded', maxSize: b.maxSize ?? null, fixed: b.fixed ?? null };
  return { kind: b.kind };
}

/** The crate's own types a stored type mentions, following aliases and struct fields. */
export function storedTypeNames(roots: TypeRef[], model: CanisterModel): string[] {
  const seen = new Set<string>();
  const visit = (t: TypeRef, depth: number): void => {
    if (depth > 12) return;
    t.args.forEach((a) => visit(a, depth + 1));
    if (BUILTIN.has(t.name) || seen.has(t.name)) return;
    const alias = model.storable(t.name) ? undefined : model.alias(t.name);
    if (alias && alias.name !== t.name) return visit(alias, depth + 1);
    const def = model.typeDef(t.name);
    if (!def && !model.storable(t.name)) return;
    seen.add(t.name);
    def?.fields.forEach((f) => visit(f.type, depth + 1));
    def?.variantTypes.forEach((v) => visit(v, depth + 1));
  };
  roots.forEach((r) => visit(r, 0));
  return [...seen].sort();
}

function storableEntry(name: string, model: CanisterModel, sample: TypeRef): LockedStorable {
  const impl = model.storable(name);
  const def = model.typeDef(name);
  return {
    bound: impl ? lockedBound({ ...sample, name, args: [] }, model) : { kind: 'unknown' },
    encoder: impl?.encoder ?? 'none',
    fields: (def?.fields ?? []).map((f) => ({ name: f.name, type: normalizeType(f.type, model), serde: [...f.serde].sort() })),
  };
}

function sortedRecord<T>(entries: [string, T][]): Record<string, T> {
  return Object.fromEntries(entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** Builds what the current source promises. `previous` carries retired ids forward. */
export function buildRustLock(model: CanisterModel, previous?: RustLock): RustLock {
  const memoryIds: Record<string, LockedStructure> = {};
  const roots: TypeRef[] = [];
  for (const slot of model.slots) {
    if (slot.id === undefined || memoryIds[slot.id]) continue;
    const s = slot.structure;
    const types = structureTypes(s, model);
    const key = types.find((t) => t.role === 'key')?.type;
    const main = types.find((t) => t.role !== 'key')?.type;
    types.forEach((t) => roots.push(t.type));
    const entry: LockedStructure = { name: s.name, kind: s.kind, constructor: s.ctor };
    if (slot.role) entry.role = slot.role;
    if (key) entry.key = lockedType(key, model);
    if (main && s.kind === 'StableBTreeMap') entry.value = lockedType(main, model);
    else if (main) entry.element = lockedType(main, model);
    if (s.initValue) entry.initializer = s.initValue.text;
    memoryIds[slot.id] = entry;
  }
  const current = new Set(Object.keys(memoryIds).map(Number));
  const retired = new Set(previous?.retiredMemoryIds ?? []);
  for (const id of Object.keys(previous?.memoryIds ?? {}).map(Number)) if (!current.has(id)) retired.add(id);
  const names = storedTypeNames(roots, model);
  const sample = roots[0];
  const manager = model.managers[0];
  const lock: RustLock = {
    version: LOCKFILE_VERSION,
    language: 'rust',
    canister: model.crate.name,
    memoryIds,
    retiredMemoryIds: [...retired].sort((a, b) => a - b),
    storables: sortedRecord(names.map((n) => [n, storableEntry(n, model, sample)])),
  };
  const v = model.crate.stableStructures;
  if (v) lock.library = { name: 'ic-stable-structures', version: v.text };
  if (manager) lock.memoryManager = { bucketSize: manager.bucketSize?.value ?? 128 };
  return lock;
}
