import { MAX_MEMORY_ID, type CanisterModel, type MemorySlot } from '../rust/model/canister';
import type { Loc } from '../core/loc';
import { structureTypes } from '../rust/model/bounds';
import { editableIdRef, retargetId } from './fixes/memoryIdEdits';
import { processes, type InProcess } from '../rust/analysis/processes';
import { defineRule, type RuleContext } from './api';
import { type Fix } from '../core/findings';

/** Moves a structure off a shared id: unsafe, since a deployed structure's data stays on the old id. */
function moveFix(model: CanisterModel, slot: MemorySlot): Fix[] | undefined {
  const ref = editableIdRef(model, slot.source);
  if (!ref) return undefined;
  const id = model.claimFreeId();
  if (id === undefined) return undefined;
  // A const that only this structure uses gets the new value itself, so no dead const is left behind.
  const constName = ref.kind === 'const' ? ref.name : undefined;
  const decl = constName ? model.constsNamed(constName)[0] : undefined;
  const usesConst = (s: MemorySlot) => s.via === constName || (s.source.kind === 'memoryId' && s.source.id.kind === 'const' && s.source.id.name === constName);
  const soleUser = decl !== undefined && decl.value !== undefined && model.slots.filter(usesConst).length === 1;
  const edit = soleUser ? { ...decl.valueLoc, newText: String(id) } : retargetId(model, ref, id);
  return [{ title: `Move \`${slot.structure.name}\` to the free MemoryId ${id}`, kind: 'unsafe', edits: [edit] }];
}

/** Gives a duplicated MemoryId const a free value of its own. */
function constFix(model: CanisterModel, name: string, loc: Loc): Fix[] | undefined {
  const id = model.constsNamed(name).length > 0 ? model.claimFreeId() : undefined;
  if (id === undefined) return undefined;
  return [{ title: `Give \`${name}\` the free MemoryId ${id}`, kind: 'unsafe', edits: [{ ...loc, newText: String(id) }] }];
}

function compareLoc(a: Loc, b: Loc): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start;
}

function describe(slot: MemorySlot): string {
  const role = slot.role ? ` (${slot.role} memory)` : '';
  return `${slot.structure.kind} \`${slot.structure.name}\`${role}`;
}

export default defineRule({
  id: 'duplicate-memory-id',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: 'One MemoryId feeds two stable structures, or two MemoryId consts share a value',
    why: [
      'Every structure assumes it owns its virtual memory from address 0.',
      "Two structures on one MemoryId overwrite each other's headers and nodes: the first write to both practically guarantees corrupted data (ic-stable-structures issue #264).",
      'A StableLog given the same memory for its index and its data corrupts itself the same way.',
      'One structure opened at two places is not two structures: when every site opens the same kind with the same key and value types through `init`, each in a function of its own (the install path and the upgrade path of a state struct), the finding is info, a reminder to keep one instance alive at a time.',
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
}

fn orders() -> StableBTreeMap<u64, u64, Memory> {
    StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0))))
}
`,
    good: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static USERS: RefCell<StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}

fn orders() -> StableBTreeMap<u64, u64, Memory> {
    StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(1))))
}
`,
    fix: 'Moves this structure to the lowest MemoryId no structure or const of the crate uses.',
  },
  checkRust(ctx) {
    // Each binary has a stable memory of its own: ids only clash inside one process.
    for (const inP of processes(ctx.model)) checkProcess(ctx, inP);
  },
});

/**
 * True when every site opens the same structure: the same kind with the same key and value types,
 * each with `init` (which loads what the memory holds), each inside a function rather than a
 * static that lives for the whole run, and each in a function of its own. That is how a structure kept in a state struct is built at
 * install and rebuilt after an upgrade (`#[serde(skip, default = "init_map")]`).
 */
function reopensOneStructure(model: CanisterModel, slots: MemorySlot[]): boolean {
  const structures = [...new Set(slots.map((s) => s.structure))];
  if (structures.length < 2) return false;
  const types = (s: (typeof structures)[number]) =>
    structureTypes(s, model)
      .map((t) => t.type.text.replace(/\s+/g, ''))
      .join(',');
  const known = structures.map(types).filter((t) => t !== '');
  // Two structures built by the same function (two fields of one constructor) are alive together.
  const builders = new Set(structures.map((s) => `${s.loc.file}:${s.fnName}`));
  if (builders.size < structures.length) return false;
  return structures.every((s) => s.ctor === 'init' && s.context === 'function' && s.kind === structures[0].kind) && known.every((t) => t === known[0]);
}

function checkProcess(ctx: RuleContext, inP: InProcess): void {
  const byId = new Map<number, MemorySlot[]>();
  for (const slot of ctx.model.slots) {
    if (!inP(slot.source.loc)) continue;
    // Id 255 is reported (and fixed) by reserved-memory-id; sharing it is the lesser problem.
    if (slot.id === undefined || slot.id > MAX_MEMORY_ID) continue;
    byId.set(slot.id, [...(byId.get(slot.id) ?? []), slot]);
  }
  const structureConflictIds = new Set<number>();
  for (const [id, slots] of byId) {
    if (slots.length < 2) continue;
    structureConflictIds.add(id);
    // Like rustc's "first defined here": the earliest site is the owner, every later one is reported.
    const [first, ...later] = [...slots].sort((a, b) => compareLoc(a.source.loc, b.source.loc));
    // One structure opened at several places (the install path and the upgrade path) is not two structures.
    const reopened = reopensOneStructure(ctx.model, slots);
    for (const slot of later) {
      const message =
        slot.structure === first.structure
          ? `MemoryId ${id} is both the index and the data memory of StableLog \`${slot.structure.name}\``
          : reopened
            ? `MemoryId ${id} is opened again here for the same ${slot.structure.kind} as ${describe(first)}: fine when one path runs at install and the other after an upgrade, but two instances alive at once keep diverging headers and corrupt it`
            : `MemoryId ${id} already feeds ${describe(first)}: both structures will corrupt each other`;
      ctx.report({
        message,
        loc: slot.source.loc,
        related: [{ loc: first.source.loc, message: `MemoryId ${id} is first used by ${describe(first)}` }],
        severity: reopened ? 'info' : undefined,
        fixes: reopened ? undefined : moveFix(ctx.model, slot),
      });
    }
  }
  const constsById = new Map<number, { name: string; loc: Loc }[]>();
  for (const c of ctx.model.allConsts) {
    if (!c.isMemoryId || !inP(c.loc)) continue;
    const value = ctx.model.resolveConst(c.name).value;
    if (value === undefined) continue;
    constsById.set(value, [...(constsById.get(value) ?? []), { name: c.name, loc: c.valueLoc }]);
  }
  for (const [id, consts] of constsById) {
    if (consts.length < 2 || structureConflictIds.has(id)) continue;
    const [first, ...later] = [...consts].sort((a, b) => compareLoc(a.loc, b.loc));
    for (const c of later) {
      ctx.report({
        message: `MemoryId const \`${c.name}\` has the same value ${id} as \`${first.name}\``,
        loc: c.loc,
        related: [{ loc: first.loc, message: `\`${first.name}\` is MemoryId ${id} too` }],
        fixes: constFix(ctx.model, c.name, c.loc),
      });
    }
  }
}
