import { currentSlots, inLock } from '../lockfile/current';
import { recordLayoutFix } from '../lockfile/fixes';
import { brokenVariables } from '../lockfile/motokoUpgrade';
import { motokoRecordFix } from './fixes/motokoRecord';
import { defineRule, type MotokoRuleContext } from './api';
import { type Fix } from '../core/findings';

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

const MOTOKO_BEFORE = `persistent actor Shop {
  var fee : Nat = 10;

  public query func price(amount : Nat) : async Nat {
    amount + fee;
  };

  public func raiseFee() : async () {
    fee += 1;
  };
};
`;

const MOTOKO_MIGRATION = `// Deployed canisters get the new fee once, at the upgrade; remove the migration after it.
(with migration = func(_ : { var fee : Nat }) : { var fee : Nat } { { var fee = 25 } })
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
  language: 'both',
  defaultSeverity: 'warning',
  docs: {
    summary: 'The initial value of an existing StableCell or Motoko stable variable changed, but deployed canisters keep the stored value',
    fix: 'Records the new layout in stable-layout.lock.json, for a change that is intended.',
    why: [
      '`StableCell::init(memory, value)` uses `value` only when the memory is empty, that is on the first install.',
      'After an upgrade the cell loads the stored value, so editing the initializer changes nothing for a deployed canister.',
      'To change a deployed value, set it explicitly (in post_upgrade or an admin call).',
      'Motoko stable `let` and `var` fields behave the same way: their initializers run on the first install only, and an upgrade keeps the stored value (set it in a migration function instead).',
    ].join('\n'),
    before: BEFORE,
    bad: BEFORE.replace(')), 10));', ')), 25));'),
    good: BEFORE.replace(/\n}\n$/, `\n}\n\n#[ic_cdk::post_upgrade]\nfn post_upgrade() {\n    FEE.with(|f| f.borrow_mut().set(25));\n}\n`),
    motoko: { before: MOTOKO_BEFORE, bad: MOTOKO_BEFORE.replace('= 10;', '= 25;'), good: MOTOKO_MIGRATION + MOTOKO_BEFORE.replace('= 10;', '= 25;') },
  },
  checkMotoko: checkMotokoInitializers,
  checkRust(ctx) {
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

const short = (text: string) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
};

/**
 * The Motoko side, run by the Motoko analysis under this rule's id: a stable field's initializer
 * changed against the baseline. An actor with a migration function sets deployed values itself.
 */
export function checkMotokoInitializers(ctx: MotokoRuleContext): void {
  const upgrade = ctx.upgrade;
  const actor = ctx.file.actors[0];
  if (!upgrade || !actor || actor.migration) return;
  const { baseline } = upgrade;
  const broken = brokenVariables(upgrade);
  let record: Fix | null | undefined;
  for (const field of actor.fields) {
    if (field.stability !== 'stable' || field.names.length !== 1 || !field.initializer || broken.has(field.names[0])) continue;
    const name = field.names[0];
    const was = baseline.entry.variables[name]?.initializer;
    const at = baseline.locateInitializer(name);
    if (was === undefined || !at || squash(was) === squash(field.initializer.text)) continue;
    ctx.report({
      message: `\`${name}\` was deployed with initial value \`${short(was)}\`: an upgrade keeps the stored value, so \`${short(field.initializer.text)}\` only applies to new installs`,
      loc: field.initializer.loc,
      related: [{ loc: { file: baseline.file, ...at }, message: `recorded initializer: ${short(was)}` }],
      lazyFixes: () => {
        if (record === undefined) record = motokoRecordFix(upgrade, ctx.file) ?? null;
        return record ? [record] : [];
      },
    });
  }
}
