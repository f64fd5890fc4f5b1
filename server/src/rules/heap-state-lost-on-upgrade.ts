import type { CanisterModel } from '../rust/model/canister';
import { INSERTING, isStaticName, REMOVALS } from '../rust/model/functions';
import { updatesRunning } from '../rust/analysis/callers';
import { describesTimer, documentedAsReset, fillsStableMemoryForAnother, holdsTimers, staticKind } from '../rust/analysis/statics';
import type { CallSite, FunctionDecl, HeapStateDecl } from '../rust/model/facts';
import { conversionFixes } from './fixes/convertToStable';
import { defineRule } from './api';
import { type Fix } from '../core/findings';

/**
 * Types that hold no user data: guards, flags, random generators, timer handles, and the canister
 * signature maps of ic-canister-sig-creation and ic-certified-map, whose entries expire within
 * minutes (a lost signature only means signing in again).
 */
const NOT_DATA = new Set(['bool', 'TimerId', 'PhantomData', 'StdRng', 'ChaCha20Rng', 'SmallRng', 'ThreadRng', 'Instant', 'SignatureMap', 'SigTree']);

/** Statics that pre_upgrade and post_upgrade (or what they call) touch. */
export function hookStatics(model: CanisterModel): { saved: Set<string>; restored: Set<string>; reset: Set<string> } {
  const saved = new Set<string>();
  const restored = new Set<string>();
  const reset = new Set<string>();
  for (const h of model.hooks('pre_upgrade')) model.reach(h).statics.forEach((s) => saved.add(s));
  for (const h of model.hooks('post_upgrade')) {
    const reach = model.reach(h);
    reach.statics.forEach((s) => restored.add(s));
    reach.certainWrites.forEach((s) => reset.add(s));
  }
  return { saved, restored, reset };
}

/** Statics written by what the functions matching `pick` reach. */
function writtenFrom(model: CanisterModel, pick: (f: FunctionDecl) => boolean): Set<string> {
  const out = new Set<string>();
  // Timers armed by these functions run later, in messages of their own: what they write is not set up here.
  for (const f of model.functions.filter(pick)) model.reach(f, true).staticWrites.forEach((s) => out.add(s));
  return out;
}

/** The update methods that write the static, themselves or through the functions they call. */
function entryPointsWriting(model: CanisterModel, name: string): FunctionDecl[] {
  return updatesRunning(
    model,
    model.functionsMentioning(name).filter((f) => f.staticWrites.includes(name)),
  );
}

const REMOVING = new Set([...REMOVALS, 'clear', 'retain']);

/**
 * True when the state is emptied again within the call that fills it: a guard's `drop` writes it,
 * or one entry point both puts entries in and takes them out (an in-flight set, a re-entrancy lock).
 * Such state is meant to be empty between calls, so an upgrade loses nothing. Adding in one
 * endpoint and deleting in another is managed data, not this.
 */
function emptiedWithinCall(model: CanisterModel, name: string, writers: FunctionDecl[]): boolean {
  // Only a drop that names the static or calls a function can write it: the others are not walked.
  const drops = model.functionsNamed('drop').filter((f) => f.statics.includes(name) || f.calls.some((c) => !c.isMethod));
  if (drops.some((f) => model.reach(f, true).staticWrites.has(name))) return true;
  const on = (c: CallSite, names: Set<string>) => c.isMethod && names.has(c.name) && c.target === name;
  return writers.some((ep) => {
    const calls = model.reach(ep, true).calls;
    return calls.some((c) => on(c, REMOVING)) && calls.some((c) => on(c, INSERTING));
  });
}

/**
 * True when some function sets the static to a constant before anything else it does with it, and
 * then uses it again, itself or through what it calls: a retry counter or a result slot scoped to
 * one operation, which holds nothing between operations that an upgrade could lose.
 */
function resetPerOperation(model: CanisterModel, name: string): boolean {
  const users = model.functionsMentioning(name);
  return users.some((f) => {
    if (f.hook || !f.resetsFirst?.includes(name)) return false;
    if (f.resetThenUsed?.includes(name)) return true;
    const reached = model.reach(f).functions;
    return users.some((g) => g !== f && reached.has(`${g.nameLoc.file}:${g.nameLoc.start}`));
  });
}

/**
 * True when no function uses the static, or the code writes it and only ever with a constant
 * (`X.replace(T::default())`). A static that is used but never seen written keeps its finding:
 * it may be written in a way this cannot see.
 */
function onlyConstants(model: CanisterModel, name: string): boolean {
  const users = model.functionsMentioning(name);
  if (users.length === 0) return true;
  return users.some((f) => f.staticWrites.includes(name)) && !users.some((f) => f.varyingWrites?.includes(name));
}

/** An obvious cache: named so, and cleared or rebuilt somewhere in the crate. */
function isRebuiltCache(model: CanisterModel, h: HeapStateDecl, restored: Set<string>): boolean {
  if (!/cache/i.test(h.name)) return false;
  // A cache type of the crate's own decides what it keeps and evicts: its contents are refilled on demand.
  if (restored.has(h.name) || (/Cache/.test(h.inner.name) && model.typeDef(h.inner.name))) return true;
  return model.functionsMentioning(h.name).some((f) => f.calls.some((c) => c.isMethod && (c.name === 'clear' || c.name === 'retain')));
}

export function holdsUserData(h: HeapStateDecl, model: CanisterModel, textOf: (file: string) => string): boolean {
  if (!h.wrapper && !h.mutable && h.context !== 'lazy_static') return false;
  // An immutable lazy value is computed again after an upgrade; a wrapper over stable structures keeps its data there.
  if (staticKind(h, model, textOf) !== 'heap-data') return false;
  const subject = h.inner.name === 'Option' && h.inner.args[0] ? h.inner.args[0] : h.inner;
  // A map whose type declares that its entries expire (`TtlHashMap`, `ExpiringMap`) holds short-lived keys and tokens.
  return !NOT_DATA.has(subject.name) && !/Rng$/.test(subject.name) && !/^(Ttl|Expiring)[A-Z]/.test(subject.name);
}

export default defineRule({
  id: 'heap-state-lost-on-upgrade',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Heap state in a `thread_local!` or static is wiped by every upgrade',
    why: [
      "An upgrade replaces the canister's Wasm module and starts with an empty heap.",
      'Whatever a `thread_local!` `RefCell`/`Cell` or a `static` holds (users, balances, counters, config) is gone after the next `dfx deploy` unless an upgrade hook saves and restores it.',
      'Keep such data in stable structures (`StableBTreeMap`, `StableCell`, ...) so it never leaves stable memory.',
      "The finding is a warning when `init` sets the state up, or an update call writes it and no code empties it again; it is info for state that may mean to start empty: a guard or an in-flight set the same call empties, a retry count an operation sets to a constant before using it, a cache, state that only timers, the heartbeat or queries write (refilled on the canister's own schedule; queries keep no writes).",
      'State that only `init` sets up, in a canister with no `post_upgrade`, is one defect with the missing hook: `missing-post-upgrade` reports it once, at `init`.',
      "Immutable lazy values, wrappers over stable structures, timer handles and the deadlines kept beside them, expiring canister signatures and maps whose type expires their entries, state that `post_upgrade` sets again on every path, state documented as reset on upgrade, and code that only tests or benchmarks build (test crates, and helper canisters that only other crates' tests depend on) are not reported.",
    ].join('\n'),
    bad: `use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static BALANCES: RefCell<HashMap<String, u64>> = RefCell::new(HashMap::new());
}

#[ic_cdk::update]
fn deposit(who: String, amount: u64) {
    BALANCES.with(|b| *b.borrow_mut().entry(who).or_insert(0) += amount);
}
`,
    good: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static BALANCES: RefCell<StableBTreeMap<String, u64, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}

#[ic_cdk::update]
fn deposit(who: String, amount: u64) {
    BALANCES.with(|b| {
        let mut b = b.borrow_mut();
        let old = b.get(&who).unwrap_or(0);
        b.insert(who, old + amount);
    });
}
`,
    fix: [
      'Converts a `RefCell<HashMap>`/`RefCell<BTreeMap>` to a `StableBTreeMap`, a `RefCell<Vec>` to a `StableVec` (bounded elements) or `StableLog`, and a `Cell`/`RefCell` integer counter to a `StableCell`, each on a free MemoryId.',
      "It reuses the crate's MemoryManager and `Memory` alias (or adds them), adds the `use` lines and the Cargo.toml dependencies, generates a CBOR `Storable` impl for the crate's own key and value types, and rewrites the call sites it can (`.get(k).cloned()` → `.get(k)`, `push(x)` → `push(&x)`, `c.set(v)` → `c.borrow_mut().set(v)`).",
      'The title counts the call sites left for review (`get_mut`, `entry`, indexing, borrowed values).',
      'The fix is unsafe: the data already on the heap is not migrated, so the structure starts empty after the upgrade that introduces it.',
    ].join(' '),
  },
  checkRust(ctx) {
    // A loader that fills stable memory for the module installed over it is never upgraded into itself.
    if (!ctx.model.crate.isCanister || fillsStableMemoryForAnother(ctx.model)) return;
    const { saved, restored, reset } = hookStatics(ctx.model);
    // What says the data matters: init sets it up (from its arguments), or calls write it and nothing takes it out again.
    const byInit = writtenFrom(ctx.model, (f) => f.hook === 'init');
    const hasPostUpgrade = ctx.model.hooks('post_upgrade').length > 0;
    const flagged: { h: HeapStateDecl; message: string; severity?: 'info' }[] = [];
    const writtenByCalls = (name: string) => {
      const writers = entryPointsWriting(ctx.model, name);
      return writers.length > 0 && !emptiedWithinCall(ctx.model, name, writers) && !resetPerOperation(ctx.model, name);
    };
    for (const file of ctx.model.files) {
      for (const h of file.heapState) {
        if (!holdsUserData(h, ctx.model, ctx.text) || isRebuiltCache(ctx.model, h, restored)) continue;
        if (saved.has(h.name) && restored.has(h.name)) continue;
        // Set again on every upgrade (from the upgrade argument, saved data or a re-armed timer): nothing is lost.
        if (reset.has(h.name)) continue;
        // Timer handles die with the upgrade anyway, and state documented as reset on upgrade is meant to be.
        if (holdsTimers(h, ctx.model) || describesTimer(h, ctx.model) || documentedAsReset(h, ctx.text(h.loc.file))) continue;
        // A static no function uses, or that code only ever sets back to a constant, never holds anything
        // but its first value (only names bodies are searched for can be told so).
        if (isStaticName(h.name) && onlyConstants(ctx.model, h.name)) continue;
        if (saved.has(h.name)) {
          flagged.push({ h, message: `\`${h.name}\` is saved in pre_upgrade but never restored in post_upgrade, so it is empty after every upgrade` });
        } else if (byInit.has(h.name) && !hasPostUpgrade && !writtenByCalls(h.name)) {
          // One defect, one finding: missing-post-upgrade reports what init sets up at init, this static among it.
          continue;
        } else if (byInit.has(h.name)) {
          const why = hasPostUpgrade ? 'post_upgrade does not set it again on every path' : 'the canister has no post_upgrade';
          flagged.push({ h, message: `\`${h.name}\` (\`${h.inner.text}\`) is set up by init and lives on the heap, so every upgrade resets it: ${why}` });
        } else if (writtenByCalls(h.name)) {
          flagged.push({ h, message: `\`${h.name}\` (\`${h.inner.text}\`) lives on the heap and is wiped on every upgrade: no upgrade hook saves it` });
        } else {
          // Nothing shows that the data must outlive an upgrade: a guard, a cache or a window that empties itself may mean to start empty.
          const message = `\`${h.name}\` (\`${h.inner.text}\`) lives on the heap and starts empty after every upgrade; if it must survive one, keep it in a stable structure`;
          flagged.push({ h, message, severity: 'info' });
        }
      }
    }
    // The conversions parse the crate's files again: they are built once, on the first request for
    // a fix (a code action, fix-all or --fix), never on every analysis.
    let fixes: Map<HeapStateDecl, Fix> | undefined;
    const all = () =>
      (fixes ??= conversionFixes(
        ctx.model,
        ctx.text,
        flagged.map((f) => f.h),
      ));
    for (const { h, message, severity } of flagged) {
      const lazyFixes = () => {
        const fix = all().get(h);
        return fix ? [fix] : [];
      };
      ctx.report({ message, loc: h.nameLoc, severity, ...(ctx.wantsFixes ? { lazyFixes } : {}) });
    }
  },
});
