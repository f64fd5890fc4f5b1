import { compareVersion } from '../rust/project/crate';
import { describeType, findStorablePart, structureTypes } from '../rust/model/bounds';
import type { StructureKind, TypeRef } from '../rust/model/facts';
import { defineRule } from './api';

/** The first write that encodes the type, where the `todo!()` fires. */
const FIRST_WRITE: Partial<Record<StructureKind, string>> = {
  StableBTreeMap: 'insert',
  StableBTreeSet: 'insert',
  StableCell: '`init` or `set`',
  StableLog: 'append',
};

export default defineRule({
  id: 'unbounded-tuple-element',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: 'A 2-tuple with an unbounded part is a stable structure key or value',
    why: [
      'ic-stable-structures encodes `(A, B)` by padding `A` to its `max_size`, so both parts need a bound.',
      'With an unbounded part (`String`, `Vec<u8>`, a `Bound::Unbounded` type) the tuple compiles but its encoder is a `todo!()`: the first insert panics with "Serializing tuples with unbounded types is not yet supported".',
      'Support for unbounded 2-tuples was merged once (PR #434) and reverted (PR #436).',
      '3-tuples accept unbounded parts from 0.6.4 on, and a struct with its own `impl Storable` always can.',
    ].join('\n'),
    bad: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static SCORES: RefCell<StableBTreeMap<(String, u64), u64, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}
`,
    good: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::storable::Blob;
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    // Player names are kept to 64 bytes, so the tuple has a bound.
    static SCORES: RefCell<StableBTreeMap<(Blob<64>, u64), u64, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}
`,
  },
  checkRust(ctx) {
    const model = ctx.model;
    // Before 0.6 the tuple has no `BoundedStorable` impl, so rustc already rejects it.
    if (compareVersion(model.version, 0, 6) < 0) return;
    const unbounded = (t: TypeRef) => model.boundOf(t).kind === 'unbounded';
    for (const s of model.structures) {
      const write = FIRST_WRITE[s.kind];
      // Vec and MinHeap elements are left to unbounded-vec-element: creating the structure panics first.
      if (!write) continue;
      for (const { role, type } of structureTypes(s, model)) {
        const hit = findStorablePart(type, model, (t) => t.name === '()' && t.args.length === 2 && t.args.some(unbounded));
        if (!hit) continue;
        const part = hit.type.args.find(unbounded)!;
        ctx.report({
          message: `The ${role} ${describeType(hit.at, model)} of \`${s.name}\` is a 2-tuple with the unbounded \`${part.text}\`: the first ${write} panics with "Serializing tuples with unbounded types is not yet supported"`,
          loc: hit.at.loc,
        });
      }
    }
  },
});
