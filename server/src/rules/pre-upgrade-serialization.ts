import type { CanisterModel } from '../rust/model/canister';
import { structureKindOf } from '../rust/model/structures';
import { isGrowingCollection, isStableMemoryCollection } from '../rust/model/typeQueries';
import type { CallSite, FunctionDecl, HeapStateDecl, TypeRef } from '../rust/model/facts';
import { INSERTING } from '../rust/model/functions';
import { adminOnly, updatesRunning } from '../rust/analysis/callers';
import { defineRule } from './api';

/** Serializer entry points per crate; a bare name counts when the crate is not written. */
const ENCODERS = new Map<string, Set<string>>([
  ['candid', new Set(['encode_one', 'encode_args', 'Encode'])],
  ['ciborium', new Set(['into_writer'])],
  ['serde_cbor', new Set(['to_vec', 'to_writer'])],
  ['serde_json', new Set(['to_vec', 'to_string', 'to_writer', 'to_vec_pretty', 'to_string_pretty'])],
  ['bincode', new Set(['serialize', 'serialize_into', 'encode_to_vec', 'encode_into_std_write'])],
  ['rmp_serde', new Set(['to_vec', 'to_vec_named', 'encode'])],
  ['postcard', new Set(['to_allocvec', 'to_stdvec'])],
  ['minicbor', new Set(['to_vec', 'encode'])],
]);
const BARE = new Set(['stable_save', 'encode_one', 'encode_args', 'Encode', 'into_writer']);

function isEncoder(c: CallSite): boolean {
  if (c.isMethod) return c.name === 'serialize';
  const segs = c.path.split('::');
  if (c.name === 'stable_save' || (segs.length === 1 && BARE.has(c.name))) return true;
  return segs.some((s) => ENCODERS.get(s)?.has(c.name));
}

function isStableWriter(c: CallSite): boolean {
  return !c.isMethod && c.path.split('::').some((s) => s === 'StableWriter' || s === 'BufferedStableWriter');
}

/** True when `f` puts entries into what the closure it hands to `accessor` receives. */
const addsThrough = (f: FunctionDecl, accessor: string) =>
  f.calls.some((c) => c.isMethod && INSERTING.has(c.name) && c.target === undefined && c.closureOf === accessor);

/**
 * An update method any caller may call that puts entries into the static, itself or through what it
 * calls: the evidence that the state grows with use. Entries added by the static's own accessors
 * (`mutate_state(|s| s.users.insert(..))`) count; methods only admins pass add configuration.
 */
function growthEvidence(model: CanisterModel, h: HeapStateDecl): FunctionDecl | undefined {
  const users = model.functionsMentioning(h.name);
  const writers = users.filter((f) => f.staticWrites.includes(h.name));
  const inserters = users.filter((f) => f.calls.some((c) => c.isMethod && INSERTING.has(c.name) && c.target === h.name));
  for (const accessor of writers) inserters.push(...model.callersOf(accessor.name).filter((f) => addsThrough(f, accessor.name)));
  return updatesRunning(model, inserters).find((u) => !adminOnly(u));
}

/** True when values of `t` can grow without bound: a collection, or a crate type holding one. */
function grows(model: CanisterModel, t: TypeRef, seen = new Set<string>()): boolean {
  if (structureKindOf(t.path) || isStableMemoryCollection(t)) return false;
  if (isGrowingCollection(t) && t.name !== 'String') return true;
  if (seen.has(t.name)) return t.args.some((a) => grows(model, a, seen));
  seen.add(t.name);
  const alias = model.alias(t.name);
  if (alias) return grows(model, alias, seen);
  const def = model.typeDef(t.name);
  // Fields serde skips are not part of the encoded state.
  const fields = def ? def.fields.filter((f) => !f.serde.some((a) => a === 'skip' || a === 'skip_serializing')) : [];
  const inner = [...fields.map((f) => f.type), ...(def?.variantTypes ?? [])];
  return [...inner, ...t.args].some((a) => grows(model, a, seen));
}

export default defineRule({
  id: 'pre-upgrade-serialization',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: {
    summary: '`pre_upgrade` serializes heap collections that grow without bound',
    why: [
      '`pre_upgrade` runs under the instruction limit of a single upgrade: encoding the whole state with `stable_save`, candid, serde, ciborium or bincode costs instructions in proportion to its size.',
      'Once the maps and vectors are large enough, `pre_upgrade` traps and every upgrade is rejected: the canister is stuck on its current code, and the only way out is an upgrade that skips `pre_upgrade` and so loses that state.',
      'The finding is a warning when an update method any caller may call adds entries to what is serialized (itself, through the functions it calls, or through a closure it hands to the state accessor); it is info when only admins (a `guard` naming a controller, admin, owner or manager), timers or `init` add them, since such state may stay small. Fields marked `#[serde(skip)]` are not serialized and do not count.',
      'Keep growing data in stable structures (`StableBTreeMap`, `StableVec`, ...), which need no work at upgrade time, and serialize only small, bounded state.',
    ].join('\n'),
    bad: `use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static BALANCES: RefCell<HashMap<String, u64>> = RefCell::new(HashMap::new());
}

#[ic_cdk::pre_upgrade]
fn pre_upgrade() {
    BALANCES.with(|b| ic_cdk::storage::stable_save((b.borrow().clone(),)).expect("save failed"));
}

#[ic_cdk::post_upgrade]
fn post_upgrade() {
    let (saved,): (HashMap<String, u64>,) = ic_cdk::storage::stable_restore().expect("restore failed");
    BALANCES.with(|b| *b.borrow_mut() = saved);
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
`,
  },
  checkRust(ctx) {
    const { model } = ctx;
    const heap = new Map<string, HeapStateDecl>();
    for (const f of model.files) for (const h of f.heapState) if (!heap.has(h.name)) heap.set(h.name, h);
    for (const hook of model.hooks('pre_upgrade')) {
      const reach = model.reach(hook);
      const growing = [...reach.statics].map((s) => heap.get(s)).filter((h): h is HeapStateDecl => !!h && grows(model, h.inner));
      if (growing.length === 0) continue;
      // One finding per hook: the first encoder, or the raw writer when the bytes are built by hand.
      const site = reach.calls.find(isEncoder) ?? reach.calls.find(isStableWriter);
      if (!site) continue;
      const names = growing.map((h) => `\`${h.name}\``).join(', ');
      const evidence = growing.map((h) => ({ h, by: growthEvidence(model, h) })).filter((e) => e.by);
      const related = growing.map((h) => ({ loc: h.nameLoc, message: `\`${h.name}\` holds \`${h.inner.text}\`` }));
      related.push(...evidence.map(({ h, by }) => ({ loc: by!.nameLoc, message: `\`${by!.name}\` adds entries to \`${h.name}\` for any caller` })));
      const loc = isEncoder(site) ? site.loc : (site.typeLoc ?? site.loc);
      if (evidence.length > 0) {
        const grown = evidence.map(({ h }) => `\`${h.name}\``).join(', ');
        ctx.report({
          message: `pre_upgrade serializes ${grown}, which update calls grow without bound: once large, pre_upgrade runs out of instructions and traps, which blocks every upgrade`,
          loc,
          related,
        });
      } else {
        // Collections only admins, timers or init fill may stay small: how big they get is not for the code to tell.
        ctx.report({
          message: `pre_upgrade serializes ${names}, collections with no size limit: if they grow large, pre_upgrade runs out of instructions and traps, which blocks every upgrade`,
          loc,
          related,
          severity: 'info',
        });
      }
    }
  },
});
