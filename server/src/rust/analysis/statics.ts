import { structureTypes } from '../model/bounds';
import type { CanisterModel } from '../model/canister';
import { TIMERS } from '../model/bodyFacts';
import type { HeapStateDecl, TypeRef } from '../model/facts';
import { anyType, isMemoryType, isStableMemoryCollection, isStableStructureType } from '../model/typeQueries';

/** Cells that let shared code change what they hold. `OnceCell`/`OnceLock` count: they are set at run time, once. */
const INTERIOR = new Set(['RefCell', 'Cell', 'Mutex', 'RwLock', 'UnsafeCell', 'OnceCell', 'OnceLock', 'ReentrantMutex']);

/** Wrappers whose value is computed from their initializer on first use, the same way after every upgrade. */
const LAZY = new Set(['LazyCell', 'LazyLock', 'Lazy']);

/** How far struct fields are followed: far enough for a singleton of services of repositories. */
const MAX_DEPTH = 5;

/** What a static is, as the upgrade rules ask it: does it hold heap data that an upgrade loses? */
export type StaticKind =
  /** No interior mutability reachable through its type: a lazy value computed the same way after every upgrade. */
  | 'immutable'
  /** Mutable, but everything it holds lives in stable memory (stable structures, memories) or is nothing at all. */
  | 'stable-wrapper'
  | 'heap-data';

/**
 * True when some cell that allows mutation through a shared reference is reachable through `t`:
 * its own name, its type arguments, or the fields of the crate's structs and enums it names.
 * Types the crate does not define (std, dependencies) are taken at their word: only their
 * arguments are followed.
 */
export function reachesInteriorMutability(t: TypeRef, model: CanisterModel, seen = new Set<string>(), depth = 0): boolean {
  if (INTERIOR.has(t.name) || /^Atomic[A-Z0-9]/.test(t.name)) return true;
  if (t.args.some((a) => reachesInteriorMutability(a, model, seen, depth))) return true;
  if (depth >= MAX_DEPTH || seen.has(t.name)) return false;
  seen.add(t.name);
  const alias = model.alias(t.name);
  if (alias && alias.name !== t.name) return reachesInteriorMutability(alias, model, seen, depth + 1);
  const def = model.typeDef(t.name);
  if (!def) return false;
  return [...def.fields.map((f) => f.type), ...def.variantTypes].some((f) => reachesInteriorMutability(f, model, seen, depth + 1));
}

/**
 * True when `t` keeps its data in stable memory, or holds no data: a repository over stable maps, a
 * unit struct. A field whose comment says it is dropped on upgrade (a cache rebuilt from the stable
 * data) holds nothing that must survive either.
 */
export function holdsOnlyStableData(t: TypeRef, model: CanisterModel, textOf: (file: string) => string, seen = new Set<string>(), depth = 0): boolean {
  const alias = (name: string) => model.alias(name);
  if (isStableStructureType(t, alias) || isMemoryType(t, alias) || isStableMemoryCollection(t, alias)) return true;
  // Shared and boxed handles hold what their one argument holds.
  if (['Arc', 'Rc', 'Box'].includes(t.name) && t.args.length === 1) return holdsOnlyStableData(t.args[0], model, textOf, seen, depth + 1);
  if (depth >= MAX_DEPTH || seen.has(t.name)) return false;
  seen.add(t.name);
  const def = model.typeDef(t.name);
  if (!def || def.kind !== 'struct' || t.args.length > 0) return false;
  return def.fields.every((f) => holdsOnlyStableData(f.type, model, textOf, seen, depth + 1) || commentSaysReset(textOf(f.loc.file), f.loc.start));
}

/** Classifies a static of the crate; see `StaticKind`. */
export function staticKind(h: HeapStateDecl, model: CanisterModel, textOf: (file: string) => string): StaticKind {
  const lazy = !h.mutable && (!h.wrapper ? h.context === 'lazy_static' || h.context === 'thread_local' : LAZY.has(h.wrapper));
  if (lazy && !reachesInteriorMutability(h.inner, model)) return 'immutable';
  if (holdsOnlyStableData(h.inner, model, textOf)) return 'stable-wrapper';
  return 'heap-data';
}

/**
 * True when the static keeps timer handles (`TimerId`, a `…Timer` type), alone or in a collection:
 * the IC cancels every timer on upgrade, so an emptied table of them is what the code must expect.
 */
export function holdsTimers(h: HeapStateDecl, model: CanisterModel): boolean {
  return anyType(
    h.inner,
    (t) => t.name === 'TimerId' || /[a-z]Timer$/.test(t.name),
    (name) => model.alias(name),
  );
}

const TIMER_CALLS = new Set([...TIMERS, 'clear_timer']);

/**
 * True when the static is a single value (not a collection) that only functions arming or clearing
 * a timer write: the deadline or state of that timer, which the IC cancels on upgrade anyway.
 */
export function describesTimer(h: HeapStateDecl, model: CanisterModel): boolean {
  const subject = h.inner.name === 'Option' && h.inner.args[0] ? h.inner.args[0] : h.inner;
  const type = model.alias(subject.name) ?? subject;
  if (type.args.length > 0 || model.typeDef(type.name)) return false;
  const writers = model.functionsMentioning(h.name).filter((f) => f.staticWrites.includes(h.name));
  return writers.length > 0 && writers.every((f) => f.calls.some((c) => !c.isMethod && TIMER_CALLS.has(c.name)));
}

/** Words of a comment that say state is meant to be lost on upgrade. */
const RESET_INTENT = /\b(reset|cleared|emptied|dropped)\b[^.]*\bupgrade|\bunstable\b|\bnot (persisted|preserved|kept)\b/i;
/** A section heading comment over a run of statics: `/// Metrics`. */
const METRICS_HEADING = /^\/\/[/!]?\s*metrics?\s*\.?$/i;

/**
 * True when the comments over a static say it is meant to reset on upgrade: its own comment, the
 * heading of the run of statics it belongs to (no blank line between), or the comment over the
 * `thread_local!` that holds that run.
 */
export function documentedAsReset(h: HeapStateDecl, text: string): boolean {
  return commentSaysReset(text, h.loc.start);
}

/** The comments over the line at `offset`, up to a blank line, say what `documentedAsReset` looks for. */
function commentSaysReset(text: string, offset: number): boolean {
  let end = text.lastIndexOf('\n', offset - 1);
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    end = start - 1;
    if (line === '') return false;
    if (!line.startsWith('//')) continue;
    if (RESET_INTENT.test(line) || METRICS_HEADING.test(line)) return true;
  }
  return false;
}

/**
 * True when every stable structure known to store `typeName` (as its key, value or element) is a
 * `StableCell`, which encodes its one value whole and never checks `BOUND`. False when no
 * structure is known to store it: then nothing is known.
 */
export function storedOnlyInCells(model: CanisterModel, typeName: string): boolean {
  const holders = model.structures.filter((s) =>
    structureTypes(s, model).some((slot) => slot.type.name === typeName || model.alias(slot.type.name)?.name === typeName),
  );
  return holders.length > 0 && holders.every((s) => s.kind === 'StableCell');
}

/** Calls that read raw stable memory back, or decode what an upgrade hook saved there. */
const STABLE_READS = new Set(['stable_read', 'stable64_read', 'stable_restore', 'read_stable', 'StableReader', 'BufferedStableReader']);

/**
 * True when the canister writes raw stable memory and never reads it back, with no stable
 * structures and no upgrade hooks: it fills stable memory for another Wasm module that is
 * installed over it (a bootstrap loader), so its own heap only tracks the filling.
 */
export function fillsStableMemoryForAnother(model: CanisterModel): boolean {
  if (model.hooks('pre_upgrade').length > 0 || model.hooks('post_upgrade').length > 0) return false;
  if (model.structures.length > 0 || model.managers.length > 0) return false;
  const raw = model.files.flatMap((f) => f.rawStable);
  if (!raw.some((r) => r.kind === 'raw_write' && r.name.includes('write'))) return false;
  if (raw.some((r) => r.kind !== 'raw_write')) return false;
  return !model.functions.some((f) => f.calls.some((c) => !c.isMethod && (STABLE_READS.has(c.name) || c.path.split('::').some((s) => STABLE_READS.has(s)))));
}
