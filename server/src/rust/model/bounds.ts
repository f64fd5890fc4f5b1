import type { StorableImpl, StructureDecl, TypeDef, TypeRef } from './facts';
import { structureKindOf } from './structures';

/** What the analyzer knows of a type's `Storable::BOUND`. */
export type BoundInfo =
  { kind: 'bounded'; maxSize?: number; fixed?: boolean; origin: string } | { kind: 'unbounded'; origin: string } | { kind: 'unknown'; origin: string };

const FIXED = new Map(Object.entries({ u8: 1, u16: 2, u32: 4, u64: 8, u128: 16, f32: 4, f64: 8, bool: 1 }));

export interface BoundLookup {
  storable(name: string): StorableImpl | undefined;
  alias(name: string): TypeRef | undefined;
}

/** The bound of a key, value or element type, following the library's built-in impls (research §1.4). */
export function boundOf(t: TypeRef, lookup: BoundLookup, depth = 0): BoundInfo {
  if (depth > 8) return { kind: 'unknown', origin: 'too deep' };
  const name = t.name;
  if (FIXED.has(name)) return { kind: 'bounded', maxSize: FIXED.get(name), fixed: true, origin: 'built-in' };
  if (name === '[]') {
    const elem = t.args[0];
    if (elem?.name === 'u8') return { kind: 'bounded', maxSize: t.arrayLen, fixed: true, origin: 'built-in' };
    return { kind: 'unknown', origin: 'array' };
  }
  if (name === '()') {
    if (t.args.length === 0) return { kind: 'bounded', maxSize: 0, fixed: false, origin: 'built-in' };
    return tupleBound(t, lookup, depth);
  }
  if (name === 'String' || (name === 'Vec' && t.args[0]?.name === 'u8')) return { kind: 'unbounded', origin: 'built-in' };
  if (name === 'Principal') return { kind: 'bounded', maxSize: 29, fixed: false, origin: 'built-in' };
  if (name === 'Blob') {
    const n = Number(t.args[0]?.text);
    return { kind: 'bounded', maxSize: Number.isFinite(n) ? n : undefined, fixed: false, origin: 'built-in' };
  }
  if (name === 'Reverse' && t.args[0]) return boundOf(t.args[0], lookup, depth + 1);
  if (name === 'Option' && t.args[0]) {
    const inner = boundOf(t.args[0], lookup, depth + 1);
    if (inner.kind !== 'bounded') return { ...inner, origin: 'Option' };
    return { kind: 'bounded', maxSize: inner.maxSize === undefined ? undefined : inner.maxSize + 1, fixed: inner.fixed, origin: 'built-in' };
  }
  const impl = lookup.storable(name);
  if (impl?.bound) {
    if (impl.bound.kind === 'unbounded') return { kind: 'unbounded', origin: `impl Storable for ${name}` };
    return { kind: 'bounded', maxSize: impl.bound.maxSize, fixed: impl.bound.isFixed, origin: `impl Storable for ${name}` };
  }
  const aliased = lookup.alias(name);
  if (aliased && aliased.name !== name) return boundOf(aliased, lookup, depth + 1);
  return { kind: 'unknown', origin: name };
}

function prefixWidth(max: number): number {
  return max <= 0xff ? 1 : max <= 0xffff ? 2 : 4;
}

function tupleBound(t: TypeRef, lookup: BoundLookup, depth: number): BoundInfo {
  const parts = t.args.map((a) => boundOf(a, lookup, depth + 1));
  if (parts.some((p) => p.kind === 'unbounded')) return { kind: 'unbounded', origin: 'tuple' };
  if (parts.some((p) => p.kind === 'unknown')) return { kind: 'unknown', origin: 'tuple' };
  const bounded = parts as Extract<BoundInfo, { kind: 'bounded' }>[];
  if (bounded.some((p) => p.maxSize === undefined)) return { kind: 'bounded', fixed: bounded.every((p) => p.fixed), origin: 'tuple' };
  const fixed = bounded.every((p) => p.fixed);
  const max = bounded.reduce((sum, p) => sum + p.maxSize! + (p.fixed ? 0 : prefixWidth(p.maxSize!)), 0);
  return { kind: 'bounded', maxSize: max, fixed, origin: 'tuple' };
}

/** Types with no size limit: strings, vectors, maps, and types that hold them. */
export function holdsUnbounded(t: TypeRef, types: (name: string) => TypeDef | undefined, lookup: BoundLookup, seen = new Set<string>()): boolean {
  const name = t.name;
  if (['String', 'Vec', 'HashMap', 'BTreeMap', 'HashSet', 'BTreeSet', 'VecDeque', 'Box', 'Nat', 'Int', 'str'].includes(name))
    return name !== 'Box' || t.args.some((a) => holdsUnbounded(a, types, lookup, seen));
  if (name === 'Option' || name === '()') return t.args.some((a) => holdsUnbounded(a, types, lookup, seen));
  if (name === '[]') return t.args.some((a) => holdsUnbounded(a, types, lookup, seen));
  if (FIXED.has(name) || name === 'Principal' || name === 'Blob') return false;
  const aliased = lookup.storable(name) ? undefined : lookup.alias(name);
  if (aliased && aliased.name !== name && !seen.has(`type ${name}`)) {
    seen.add(`type ${name}`);
    return holdsUnbounded(aliased, types, lookup, seen);
  }
  const def = types(name);
  if (def && !seen.has(name)) {
    seen.add(name);
    return def.fields.some((f) => holdsUnbounded(f.type, types, lookup, seen)) || def.variantTypes.some((v) => holdsUnbounded(v, types, lookup, seen));
  }
  const b = boundOf(t, lookup);
  return b.kind === 'unbounded';
}

export function describeBound(b: BoundInfo): string {
  if (b.kind === 'unbounded') return 'Unbounded';
  if (b.kind === 'unknown') return '?';
  const size = b.maxSize === undefined ? '?' : `${b.maxSize} B`;
  return b.fixed ? `Bounded, fixed ${size}` : `Bounded ≤ ${size}`;
}

/** Follows `type X = ..` aliases to the type they stand for; a type with its own `impl Storable` is kept. */
export function resolveAlias(t: TypeRef, lookup: BoundLookup): TypeRef {
  for (let i = 0; i < 8 && !lookup.storable(t.name); i++) {
    const next = lookup.alias(t.name);
    if (!next || next.name === t.name) break;
    t = next;
  }
  return t;
}

/** `Key` (`(String, u64)`) for an alias, or just the type as written. */
export function describeType(t: TypeRef, lookup: BoundLookup): string {
  const resolved = resolveAlias(t, lookup);
  return resolved === t ? `\`${t.text}\`` : `\`${t.text}\` (\`${resolved.text}\`)`;
}

/** A part of a key, value or element type, and the written type to report it on. */
export interface TypeHit {
  type: TypeRef;
  at: TypeRef;
}

/**
 * Searches a type the way the library encodes it: through aliases, `Option`, `Reverse` and tuples,
 * outermost first. A part found behind an alias is reported on the alias as written.
 */
export function findStorablePart(t: TypeRef, lookup: BoundLookup, match: (t: TypeRef) => boolean, at?: TypeRef, depth = 0): TypeHit | undefined {
  if (depth > 8) return undefined;
  const resolved = resolveAlias(t, lookup);
  const anchor = at ?? (resolved === t ? undefined : t);
  if (match(resolved)) return { type: resolved, at: anchor ?? resolved };
  if (resolved.name !== 'Option' && resolved.name !== 'Reverse' && resolved.name !== '()') return undefined;
  for (const arg of resolved.args) {
    const hit = findStorablePart(arg, lookup, match, anchor, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

export interface TypeSlot {
  role: 'key' | 'value' | 'element';
  type: TypeRef;
}

/** The first type inside `t` that is the structure kind, looking through aliases (`RefCell<Users>`). */
function findKind(t: TypeRef, kind: StructureDecl['kind'], lookup: BoundLookup, depth = 0): TypeRef | undefined {
  if (depth > 8) return undefined;
  if (structureKindOf(t.path) === kind) return t;
  const aliased = lookup.alias(t.name);
  if (aliased && aliased.name !== t.name) return findKind(aliased, kind, lookup, depth + 1);
  for (const arg of t.args) {
    const found = findKind(arg, kind, lookup, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The declared type of a struct field that holds the structure (`State { users: StableBTreeMap::init(..) }`), when only one field fits. */
function fieldType(s: StructureDecl, model: StructureLookup): TypeRef | undefined {
  const found = model.fieldTypes(s.name).flatMap((t) => findKind(t, s.kind, model) ?? []);
  return found.length === 1 ? found[0] : undefined;
}

export interface StructureLookup extends BoundLookup {
  fieldTypes(name: string): TypeRef[];
}

/** A structure's key, value and element types, also when they are only known through an alias or a struct field. */
export function structureTypes(s: StructureDecl, model: StructureLookup): TypeSlot[] {
  let { key, value, elem } = s;
  if (!key && !value && !elem) {
    const declared = s.ownerType ? findKind(s.ownerType, s.kind, model) : fieldType(s, model);
    const args = declared?.args.filter((a) => a.text !== '_') ?? [];
    if (s.kind === 'StableBTreeMap') [key, value] = args;
    else if (s.kind === 'StableBTreeSet') [key] = args;
    else [elem] = args;
  }
  const out: TypeSlot[] = [];
  if (key) out.push({ role: 'key', type: key });
  if (value) out.push({ role: 'value', type: value });
  if (elem) out.push({ role: s.kind === 'StableCell' ? 'value' : 'element', type: elem });
  return out;
}
