import { compareVersion } from '../rust/project/crate';
import { describeType, findStorablePart, structureTypes, type TypeSlot } from '../rust/model/bounds';
import type { TypeRef } from '../rust/model/facts';
import { defineRule } from './api';

/** How a `None` reaches the structure, by the role of the type. */
const USE: Record<TypeSlot['role'], string> = {
  key: 'Using `None` as a key of',
  value: 'Inserting `None` as a value of',
  element: 'Pushing `None` onto',
};

export default defineRule({
  id: 'option-fixed-size-none-panics',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: {
    summary: '`Option<T>` with a fixed-size `T` is a key, value or element, and `None` panics on insert',
    why: [
      "ic-stable-structures gives `Option<T>` the bound of `T` plus one tag byte, and keeps `T`'s fixed-size flag: `Option<u64>` claims exactly 9 bytes.",
      '`None` encodes to a single byte, so the bound check fails: inserting it panics with "expected a fixed-size element with length 9 bytes, but found 1 bytes".',
      'This holds from 0.6.0 to the latest release, for map keys and values and (from 0.6.2) for `StableVec`/`StableMinHeap` elements; `Some(..)` works, which hides the bug until the first `None`.',
    ].join('\n'),
    bad: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static REFERRER: RefCell<StableBTreeMap<u64, Option<u64>, Memory>> = RefCell::new(StableBTreeMap::init(
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
    // A user without a referrer simply has no entry.
    static REFERRER: RefCell<StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}
`,
  },
  checkRust(ctx) {
    const model = ctx.model;
    // `Option` has no `Storable` impl before 0.6.0.
    if (compareVersion(model.version, 0, 6) < 0) return;
    const vecUnchecked = compareVersion(model.version, 0, 6, 2) < 0;
    const fixedOption = (t: TypeRef) => {
      if (t.name !== 'Option' || !t.args[0]) return false;
      const inner = model.boundOf(t.args[0]);
      return inner.kind === 'bounded' && inner.fixed === true;
    };
    for (const s of model.structures) {
      // Cell and Log never check bounds, so `None` round-trips there.
      if (s.kind === 'StableCell' || s.kind === 'StableLog') continue;
      const isVec = s.kind === 'StableVec' || s.kind === 'StableMinHeap';
      for (const { role, type } of structureTypes(s, model)) {
        const hit = findStorablePart(type, model, fixedOption);
        if (!hit) continue;
        const inner = model.boundOf(hit.type.args[0]);
        const size = inner.kind === 'bounded' && inner.maxSize !== undefined ? `${inner.maxSize + 1} bytes` : 'a fixed size';
        const effect =
          isVec && vecUnchecked ? 'writes it unchecked into a fixed slot (before 0.6.2), so it can read back wrong' : 'fails the bound check and panics';
        ctx.report({
          message: `${USE[role]} \`${s.name}\` ${effect}: ${describeType(hit.at, model)} claims exactly ${size} but \`None\` encodes to 1 byte`,
          loc: hit.at.loc,
        });
      }
    }
  },
});
