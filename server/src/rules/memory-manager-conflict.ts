import type { CanisterModel } from '../rust/model/canister';
import type { Loc } from '../core/loc';
import type { RawStableUse } from '../rust/model/facts';
import { processes, type InProcess } from '../rust/analysis/processes';
import { defineRule, type RuleContext } from './api';

function byLoc<T>(items: T[], loc: (t: T) => Loc): T[] {
  return [...items].sort((a, b) => {
    const x = loc(a);
    const y = loc(b);
    return x.file < y.file ? -1 : x.file > y.file ? 1 : x.start - y.start;
  });
}

/** Functions post_upgrade reaches: reading old raw state there is the documented migration path. */
function postUpgradeFunctions(model: CanisterModel): Set<string> {
  const out = new Set<string>();
  for (const h of model.hooks('post_upgrade')) for (const f of model.reach(h).functions) out.add(f);
  return out;
}

/** Raw uses that claim offset 0 for themselves: writes, and reads outside the post_upgrade migration. */
function rawClaims(model: CanisterModel): RawStableUse[] {
  const migration = postUpgradeFunctions(model);
  const fnKey = (name?: string) => model.functionsNamed(name ?? '').map((f) => `${f.nameLoc.file}:${f.nameLoc.start}`);
  const uses = model.files.flatMap((f) => f.rawStable);
  return byLoc(
    uses.filter((u) => {
      if (u.kind === 'stable_save' || u.kind === 'stable_writer') return true;
      if (u.kind === 'raw_write') return u.name.includes('write');
      if (u.kind === 'stable_restore') return !fnKey(u.fnName).some((k) => migration.has(k));
      return false;
    }),
    (u) => u.loc,
  );
}

function code(name: string): string {
  return `\`${name}\``;
}

function checkDefaultMemory(ctx: RuleContext, inP: InProcess): void {
  const { model } = ctx;
  const managers = byLoc(
    model.managers.filter((m) => m.wrapsDefault && inP(m.ctorLoc)),
    (m) => m.ctorLoc,
  );
  const [firstManager, ...extraManagers] = managers;
  for (const m of extraManagers) {
    ctx.report({
      message: `A second MemoryManager over DefaultMemoryImpl hands out the same buckets as ${code(firstManager.name)}: their memories overwrite each other`,
      loc: m.ctorLoc,
      related: [{ loc: firstManager.ctorLoc, message: `${code(firstManager.name)} already manages DefaultMemoryImpl` }],
    });
  }
  const direct = byLoc(
    model.slots.filter((s) => s.source.kind === 'default' && inP(s.source.loc)),
    (s) => s.source.loc,
  );
  const owner = firstManager ? { loc: firstManager.ctorLoc, what: `MemoryManager ${code(firstManager.name)}` } : undefined;
  direct.forEach((slot, i) => {
    const first = direct[0];
    const other = owner ?? (i > 0 ? { loc: first.source.loc, what: `${first.structure.kind} ${code(first.structure.name)}` } : undefined);
    if (!other) return;
    const self = slot.structure === first.structure && !owner;
    ctx.report({
      message: self
        ? `StableLog ${code(slot.structure.name)} uses DefaultMemoryImpl for both its index and its data memory, which corrupt each other`
        : `${slot.structure.kind} ${code(slot.structure.name)} uses DefaultMemoryImpl directly, which ${other.what} already writes from address 0: both corrupt each other`,
      loc: slot.source.loc,
      related: [{ loc: other.loc, message: `${other.what} also uses DefaultMemoryImpl from address 0` }],
    });
  });
}

export default defineRule({
  id: 'memory-manager-conflict',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: 'Two owners claim stable memory from address 0: a MemoryManager, stable structures, raw writes or ic-stable-memory',
    why: [
      '`MemoryManager::init` keeps its header and bucket table at address 0 and overwrites whatever is there when the "MGR" magic is absent.',
      "`stable_save`, `StableWriter` and `stable_write` also write from address 0, and ic-stable-memory keeps its allocator pointer there: each destroys the other's data on the next write or upgrade.",
      'Two MemoryManagers over the same memory hand out the same buckets, and every structure placed directly on `DefaultMemoryImpl` assumes it owns the memory from address 0.',
      'Give each stable structure its own MemoryId and save heap state through `ic_stable_structures::writer::Writer` on a dedicated virtual memory.',
    ].join('\n'),
    bad: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static USERS: RefCell<StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
    static FEE: RefCell<u64> = RefCell::new(10);
}

#[ic_cdk::pre_upgrade]
fn pre_upgrade() {
    let fee = FEE.with(|f| *f.borrow());
    ic_cdk::storage::stable_save((fee,)).expect("save failed");
}

#[ic_cdk::post_upgrade]
fn post_upgrade() {
    let (fee,): (u64,) = ic_cdk::storage::stable_restore().expect("restore failed");
    FEE.with(|f| *f.borrow_mut() = fee);
}
`,
    good: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap, StableCell};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static USERS: RefCell<StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
    static FEE: RefCell<StableCell<u64, Memory>> = RefCell::new(StableCell::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(1))), 10));
}
`,
  },
  checkRust(ctx) {
    // Each binary is a process with a stable memory of its own: owners in two binaries never meet.
    // The raw claims reach post_upgrade's functions: found once, then split by process.
    const claims = rawClaims(ctx.model);
    for (const inP of processes(ctx.model)) checkProcess(ctx, inP, claims);
  },
});

function checkProcess(ctx: RuleContext, inP: InProcess, claims: RawStableUse[]): void {
  const { model } = ctx;
  checkDefaultMemory(ctx, inP);
  const manager = byLoc(
    model.managers.filter((m) => inP(m.ctorLoc)),
    (m) => m.ctorLoc,
  )[0];
  const structure = byLoc(
    model.structures.filter((s) => inP(s.ctorLoc)),
    (s) => s.ctorLoc,
  )[0];
  const stableMemory = byLoc(
    model.files.flatMap((f) => f.rawStable).filter((u) => u.kind === 'ic_stable_memory' && inP(u.loc)),
    (u) => u.loc,
  )[0];
  const owner = manager
    ? { loc: manager.ctorLoc, what: `the MemoryManager ${code(manager.name)}` }
    : structure
      ? { loc: structure.ctorLoc, what: `${structure.kind} ${code(structure.name)}` }
      : stableMemory
        ? { loc: stableMemory.loc, what: 'ic-stable-memory' }
        : undefined;
  if (!owner) return;
  for (const use of claims.filter((u) => inP(u.loc))) {
    const verb = use.kind === 'stable_restore' ? 'reads' : 'writes';
    ctx.report({
      message: `${code(use.name)} ${verb} raw stable memory from address 0, which ${owner.what} also uses: one corrupts or misreads the other's data`,
      loc: use.loc,
      related: [{ loc: owner.loc, message: `${owner.what} owns stable memory from address 0` }],
    });
  }
  if (stableMemory && owner.what !== 'ic-stable-memory') {
    ctx.report({
      message: `ic-stable-memory (${code(stableMemory.name)}) manages all of stable memory from address 0, which ${owner.what} also uses: each overwrites the other`,
      loc: stableMemory.loc,
      related: [{ loc: owner.loc, message: `${owner.what} owns stable memory from address 0` }],
    });
  }
}
