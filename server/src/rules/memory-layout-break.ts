import { currentSlots, memorySourceLoc, inLock } from '../lockfile/current';
import { recordLayoutFix } from '../lockfile/fixes';
import type { MemorySlot } from '../rust/model/canister';
import { editableIdRef, retargetId } from './fixes/memoryIdEdits';
import { defineRule } from './api';
import { type Fix } from '../core/findings';

export default defineRule({
  id: 'memory-layout-break',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: 'A MemoryId recorded in stable-layout.lock.json now holds something else, or is gone',
    why: [
      'A structure reads whatever its MemoryId holds: ic-stable-structures records no type and no owner.',
      'A MemoryId handed to another structure kind is silently re-initialised (BTreeMap, Cell, Log) or panics (Vec, MinHeap); a changed key or value type hands old bytes to a new decoder.',
      'A MemoryId that disappears from the code keeps its data and its buckets forever: reusing it later gives a new structure the old bytes. Record it as retired instead.',
      'The MemoryManager ignores a changed bucket size for existing memory, so the change has no effect on deployed canisters.',
    ].join('\n'),
    before: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static USERS: RefCell<StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}
`,
    bad: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static USERS: RefCell<StableBTreeMap<u64, String, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
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
    // New data goes to a new MemoryId.
    static NAMES: RefCell<StableBTreeMap<u64, String, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(1)))));
}
`,
    fix: 'Keeps the old MemoryId for what it held and moves the new structure to a free id, or records the new layout in the lockfile when the change is intended.',
  },
  checkRust(ctx) {
    const baseline = ctx.baseline;
    if (!baseline) return;
    const lock = baseline.lock;
    const current = currentSlots(ctx.model);
    const record = recordLayoutFix(ctx.model, baseline);
    const report = ctx.report;
    // Every finding can also be accepted as intended, by recording the new layout.
    ctx = { ...ctx, report: (f) => report({ ...f, fixes: [...(f.fixes ?? []), ...(record ? [record] : [])] }) };
    const keepOld = (slot: MemorySlot): Fix[] => {
      const ref = editableIdRef(ctx.model, slot.source);
      const id = ref ? ctx.model.claimFreeId() : undefined;
      if (!ref || id === undefined) return [];
      return [
        {
          title: `Keep MemoryId ${slot.id} for its old structure and move \`${slot.structure.name}\` to the free MemoryId ${id}`,
          kind: 'unsafe',
          edits: [retargetId(ctx.model, ref, id)],
        },
      ];
    };
    for (const [idText, was] of Object.entries(lock.memoryIds)) {
      const id = Number(idText);
      const now = current.get(id);
      const related = [inLock(baseline, ['memoryIds', idText], `recorded: MemoryId ${id} is ${was.kind} \`${was.name}\``)];
      if (!now) {
        const moved = [...current.values()].find((c) => c.slot.structure.name === was.name && c.slot.structure.kind === was.kind);
        if (moved) {
          ctx.report({
            message: `\`${was.name}\` moved from MemoryId ${id} to MemoryId ${moved.slot.id}: the deployed data stays on MemoryId ${id}`,
            loc: memorySourceLoc(moved.slot),
            related,
          });
        } else {
          ctx.report({
            message: `MemoryId ${id} (${was.kind} \`${was.name}\`) is no longer used: record it as retired so it is never reused`,
            loc: { file: baseline.file, ...baseline.locate(['memoryIds', idText]) },
          });
        }
        continue;
      }
      const s = now.slot.structure;
      if (s.kind !== was.kind) {
        ctx.report({
          message: `MemoryId ${id} held ${was.kind} \`${was.name}\` and now feeds ${s.kind} \`${s.name}\`: the old data is misread or erased`,
          loc: memorySourceLoc(now.slot),
          related,
          fixes: keepOld(now.slot),
        });
        continue;
      }
      if (was.key && now.key && was.key.normalized !== now.key.normalized) {
        ctx.report({
          message: `The key type of MemoryId ${id} changed from \`${was.key.written}\` to \`${now.key.normalized}\`: stored keys are decoded as the new type`,
          loc: now.key.loc,
          related,
          fixes: keepOld(now.slot),
        });
      }
      const wasMain = was.value ?? was.element;
      if (wasMain && now.main && wasMain.normalized !== now.main.normalized) {
        ctx.report({
          message: `The ${now.main.role} type of MemoryId ${id} changed from \`${wasMain.written}\` to \`${now.main.normalized}\`: stored values are decoded as the new type`,
          loc: now.main.loc,
          related,
          fixes: keepOld(now.slot),
        });
      }
    }
    for (const id of lock.retiredMemoryIds) {
      const now = current.get(id);
      if (!now) continue;
      const at = lock.retiredMemoryIds.indexOf(id);
      ctx.report({
        message: `MemoryId ${id} is retired: it may still hold old data, so \`${now.slot.structure.name}\` must use a never-used id`,
        loc: memorySourceLoc(now.slot),
        related: [inLock(baseline, ['retiredMemoryIds', at], `MemoryId ${id} was retired`)],
      });
    }
    const manager = ctx.model.managers[0];
    const bucket = manager?.bucketSize?.value ?? (manager ? 128 : undefined);
    const wasBucket = lock.memoryManager?.bucketSize;
    if (manager && wasBucket !== undefined && bucket !== undefined && bucket !== wasBucket) {
      ctx.report({
        message: `The MemoryManager bucket size changed from ${wasBucket} to ${bucket} pages: deployed canisters keep ${wasBucket}, so the change has no effect`,
        loc: manager.bucketSize?.loc ?? manager.ctorLoc,
        related: [inLock(baseline, ['memoryManager', 'bucketSize'], `recorded bucket size: ${wasBucket} pages`)],
      });
    }
  },
});
