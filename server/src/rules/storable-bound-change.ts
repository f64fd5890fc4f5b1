import { lockedBound } from '../lockfile/build';
import { inLock } from '../lockfile/current';
import { usageOf } from '../lockfile/usage';
import { recordLayoutFix } from '../lockfile/fixes';
import { defineRule } from './api';

const BEFORE = `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::storable::{Blob, Bound, Storable};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::borrow::Cow;
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

/// A memo of at most 256 bytes.
struct Memo(Blob<256>);

impl Storable for Memo {
    fn to_bytes(&self) -> Cow<[u8]> {
        Cow::Owned(self.0.as_slice().to_vec())
    }
    fn into_bytes(self) -> Vec<u8> {
        self.0.as_slice().to_vec()
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        Memo(Blob::try_from(bytes.as_ref()).unwrap())
    }
    const BOUND: Bound = Bound::Bounded { max_size: 256, is_fixed_size: false };
}

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static MEMOS: RefCell<StableBTreeMap<u64, Memo, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}
`;

export default defineRule({
  id: 'storable-bound-change',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: {
    summary: "A stored value's max_size changed against stable-layout.lock.json",
    fix: 'Records the new layout in stable-layout.lock.json, for a change that is intended.',
    why: [
      'Values already stored keep their size: lowering max_size means re-writing an old, larger value traps in the bound check.',
      'Raising max_size is harmless for a plain BTreeMap value, but a tuple pads each element to its max_size, so values stored inside a tuple are misread.',
      'The library documents that a deployed bounded type cannot safely grow its max_size in composite encodings.',
    ].join('\n'),
    before: BEFORE,
    bad: BEFORE.replace('max_size: 256', 'max_size: 128').replace(/256/g, '128'),
    good: BEFORE.replace('max_size: 256', 'max_size: 512').replace(/256/g, '512'),
  },
  checkRust(ctx) {
    const baseline = ctx.baseline;
    if (!baseline) return;
    const usage = usageOf(baseline.lock);
    const record = recordLayoutFix(ctx.model, baseline);
    const report = ctx.report;
    ctx = { ...ctx, report: (f) => report({ ...f, fixes: record ? [record] : undefined }) };
    for (const [name, was] of Object.entries(baseline.lock.storables)) {
      const impl = ctx.model.storable(name);
      if (!impl || was.bound.kind !== 'bounded' || was.bound.maxSize === null) continue;
      if (usage.keys.has(name) || usage.elements.has(name)) continue;
      const now = lockedBound({ text: name, name, path: name, args: [], loc: impl.typeLoc }, ctx.model);
      if (now.kind !== 'bounded' || now.maxSize === null || now.maxSize === was.bound.maxSize) continue;
      const loc = impl.maxSizeLoc ?? impl.boundLoc ?? impl.typeLoc;
      const related = [inLock(baseline, ['storables', name, 'bound', 'maxSize'], `recorded max_size: ${was.bound.maxSize}`)];
      if (now.maxSize < was.bound.maxSize) {
        ctx.report({
          message: `max_size of \`${name}\` went down from ${was.bound.maxSize} to ${now.maxSize}: writing back a stored value larger than ${now.maxSize} bytes traps`,
          loc,
          related,
        });
      } else if (usage.tupleValues.has(name)) {
        ctx.report({
          message: `max_size of \`${name}\` went up from ${was.bound.maxSize} to ${now.maxSize}, but it is stored inside a tuple padded to the old size: stored values are misread`,
          loc,
          related,
        });
      }
    }
  },
});
