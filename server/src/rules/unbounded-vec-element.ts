import { compareVersion } from '../rust/project/crate';
import { describeType, structureTypes } from '../rust/model/bounds';
import { defineRule } from './api';

export default defineRule({
  id: 'unbounded-vec-element',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: 'An unbounded type is the element of a `StableVec` or `StableMinHeap`',
    why: [
      "`StableVec` and `StableMinHeap` store every element in a slot of the element's `max_size`, so the element type must be `Bound::Bounded`.",
      '`String`, `Vec<u8>`, `Option<String>`, 2-tuples with an unbounded part and types declared `Bound::Unbounded` have no `max_size`.',
      'From 0.6.0 such a vector compiles, but creating it panics with "Cannot get bounds of unbounded type", which traps the canister on its first access; 0.5 does not compile it at all.',
    ].join('\n'),
    bad: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableVec};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static EVENTS: RefCell<StableVec<String, Memory>> = RefCell::new(StableVec::init(
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
    // Unbounded values belong in a map keyed by position: a BTreeMap accepts them.
    static EVENTS: RefCell<StableBTreeMap<u64, String, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}
`,
  },
  checkRust(ctx) {
    const model = ctx.model;
    const effect =
      compareVersion(model.version, 0, 6) < 0
        ? 'ic-stable-structures 0.5 does not compile it (no `BoundedStorable` impl)'
        : 'creating it panics with "Cannot get bounds of unbounded type"';
    for (const s of model.structures) {
      if (s.kind !== 'StableVec' && s.kind !== 'StableMinHeap') continue;
      for (const { type } of structureTypes(s, model)) {
        if (model.boundOf(type).kind !== 'unbounded') continue;
        ctx.report({
          message: `${describeType(type, model)} is unbounded, but \`${s.kind}\` \`${s.name}\` needs a Bounded element: ${effect}`,
          loc: type.loc,
        });
      }
    }
  },
});
