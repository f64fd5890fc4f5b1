import { currentSlots, inLock } from '../lockfile/current';
import { recordLayoutFix } from '../lockfile/fixes';
import { defineRule } from './types';

const BEFORE = `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableCell};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static FEE: RefCell<StableCell<u64, Memory>> = RefCell::new(StableCell::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0))), 10));
}
`;

/** The expression without layout: whitespace outside string literals is dropped. */
function squash(s: string): string {
  let out = '';
  let quote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' && s[i - 1] !== '\\') quote = !quote;
    if (quote || !/\s/.test(c)) out += c;
  }
  return out;
}

export default defineRule({
  id: 'initializer-change-ignored',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: {
    summary: 'The initial value of an existing StableCell changed, but deployed canisters keep the stored value',
    fix: 'Records the new layout in stable-layout.lock.json, for a change that is intended.',
    why: [
      '`StableCell::init(memory, value)` uses `value` only when the memory is empty, that is on the first install.',
      'After an upgrade the cell loads the stored value, so editing the initializer changes nothing for a deployed canister.',
      'To change a deployed value, set it explicitly (in post_upgrade or an admin call).',
    ].join('\n'),
    before: BEFORE,
    bad: BEFORE.replace(')), 10));', ')), 25));'),
    good: BEFORE.replace(/\n}\n$/, `\n}\n\n#[ic_cdk::post_upgrade]\nfn post_upgrade() {\n    FEE.with(|f| f.borrow_mut().set(25));\n}\n`),
  },
  check(ctx) {
    const baseline = ctx.baseline;
    if (!baseline) return;
    const current = currentSlots(ctx.model);
    const record = recordLayoutFix(ctx.model, baseline);
    const report = ctx.report;
    ctx = { ...ctx, report: (f) => report({ ...f, fixes: record ? [record] : undefined }) };
    for (const [idText, was] of Object.entries(baseline.lock.memoryIds)) {
      const now = current.get(Number(idText))?.slot.structure;
      if (was.initializer === undefined || !now?.initValue || now.kind !== was.kind) continue;
      if (squash(now.initValue.text) === squash(was.initializer)) continue;
      ctx.report({
        message: `\`${now.name}\` was deployed with initial value \`${was.initializer}\`: an upgrade keeps the stored value, so \`${now.initValue.text}\` only applies to new installs`,
        loc: now.initValue.loc,
        related: [inLock(baseline, ['memoryIds', idText, 'initializer'], `recorded initializer: ${was.initializer}`)],
      });
    }
  },
});
