import { compareVersion } from '../../rust/project/crate';
import type { CanisterModel } from '../../rust/model/canister';
import type { TypeDef, TypeRef } from '../../rust/model/facts';

const UNSIGNED = ['u8', 'u16', 'u32', 'u64', 'u128'];

/** Unsigned integers: the counters StableCell can hold with a built-in Storable. */
export function isUnsignedInt(t: TypeRef): boolean {
  return UNSIGNED.includes(t.name) && t.args.length === 0;
}

/** What a key, value or element type needs before a stable structure can hold it. */
export type Storability = { ok: true; custom: TypeDef[] } | { ok: false };

const NO: Storability = { ok: false };

/**
 * Whether `t` implements Storable in the crate's library version (research §1.4), or is a type of
 * the crate that a generated CBOR impl can cover. Keys must also be `Ord + Clone`.
 */
export function storability(t: TypeRef, model: CanisterModel, asKey: boolean, depth = 0): Storability {
  if (depth > 6) return NO;
  const v = model.version;
  const since = (minor: number, patch = 0) => compareVersion(v, 0, minor, patch) >= 0;
  const ok: Storability = { ok: true, custom: [] };
  const name = t.name;
  if (isUnsignedInt(t) || name === 'String' || (name === '()' && t.args.length === 0)) return ok;
  if (name === 'f32' || name === 'f64') return asKey ? NO : ok;
  if (name === 'bool') return since(6, 3) ? ok : NO;
  if (name === 'Vec' && t.args[0]?.name === 'u8') return ok;
  if (name === '[]' && t.args[0]?.name === 'u8' && t.arrayLen !== undefined) return ok;
  if (name === 'Blob') return ok;
  if (name === 'Principal') return since(6, 1) ? ok : NO;
  if (name === 'Option' && t.args[0]) {
    // `None` of a fixed-size type panics on insert (research §1.4), so only variable-size payloads qualify.
    const inner = model.boundOf(t.args[0]);
    if (!since(6) || (inner.kind === 'bounded' && inner.fixed)) return NO;
    return storability(t.args[0], model, asKey, depth + 1);
  }
  if (name === '()') return tupleStorability(t, model, asKey, depth);
  const aliased = model.alias(name);
  if (aliased && aliased.name !== name) return storability(aliased, model, asKey, depth + 1);
  const def = model.typeDef(name);
  if (!def || t.args.length > 0) return NO;
  if (asKey && !(hasDerive(def, 'Ord') && hasDerive(def, 'Clone'))) return NO;
  if (model.storable(name)) return ok;
  // 0.5 requires BoundedStorable, which a CBOR encoding cannot promise.
  return since(6) ? { ok: true, custom: [def] } : NO;
}

/** 2-tuples of bounded parts and 0.6.4's 3-tuples; a tuple with an unbounded part panics on use. */
function tupleStorability(t: TypeRef, model: CanisterModel, asKey: boolean, depth: number): Storability {
  const v = model.version;
  if (t.args.length === 3 ? compareVersion(v, 0, 6, 4) < 0 : t.args.length !== 2) return NO;
  const custom: TypeDef[] = [];
  for (const part of t.args) {
    if (t.args.length === 2 && model.boundOf(part).kind !== 'bounded') return NO;
    const s = storability(part, model, asKey, depth + 1);
    if (!s.ok) return NO;
    custom.push(...s.custom);
  }
  return { ok: true, custom };
}

export function hasDerive(def: TypeDef, name: string): boolean {
  return def.derives.some((d) => d.split('::').pop() === name);
}
