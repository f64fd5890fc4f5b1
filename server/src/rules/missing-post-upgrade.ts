import { fillsStableMemoryForAnother, staticKind } from '../rust/analysis/statics';
import type { FunctionDecl, HeapStateDecl } from '../rust/model/facts';
import { defineRule } from './api';
import { type Fix } from '../core/findings';

/** Adds an empty, commented `#[post_upgrade]` right after `init`: it changes nothing until filled in. */
function addPostUpgrade(init: FunctionDecl, text: string, taken: boolean): Fix {
  const lineStart = text.lastIndexOf('\n', init.loc.start - 1) + 1;
  const before = text.slice(lineStart, init.loc.start);
  const indent = before.trim() === '' ? before : '';
  const name = taken ? 'post_upgrade_hook' : 'post_upgrade';
  const body = [
    '',
    '',
    `${indent}#[ic_cdk::post_upgrade]`,
    `${indent}fn ${name}() {`,
    `${indent}    // Runs after every upgrade instead of init: restore what init sets up (config, timers) here.`,
    `${indent}}`,
  ].join('\n');
  return {
    title: 'Add a `#[post_upgrade]` function after `init`',
    kind: 'safe',
    edits: [{ file: init.loc.file, start: init.loc.end, end: init.loc.end, newText: body }],
  };
}

export default defineRule({
  id: 'missing-post-upgrade',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: {
    summary: 'The canister has `#[init]` but no `#[post_upgrade]`',
    why: [
      'An upgrade never runs `canister_init`: it runs `canister_pre_upgrade` on the old module and `canister_post_upgrade` on the new one.',
      'Whatever `init` sets up (configuration from its arguments, ic-cdk-timers timers, heap state) is not set up again, and the upgrade itself cancels every timer.',
      'Without a `#[post_upgrade]` the upgrade arguments are dropped as well, so the first `dfx deploy --mode upgrade` leaves the canister half-initialised.',
    ].join('\n'),
    bad: `use std::time::Duration;

#[ic_cdk::init]
fn init() {
    ic_cdk_timers::set_timer_interval(Duration::from_secs(3600), || refresh_rates());
}

fn refresh_rates() {}
`,
    good: `use std::time::Duration;

#[ic_cdk::init]
fn init() {
    start_timers();
}

#[ic_cdk::post_upgrade]
fn post_upgrade() {
    start_timers();
}

fn start_timers() {
    ic_cdk_timers::set_timer_interval(Duration::from_secs(3600), || refresh_rates());
}

fn refresh_rates() {}
`,
    fix: 'Adds an empty `#[ic_cdk::post_upgrade]` function right after `init`, to be filled with what must run again after an upgrade.',
  },
  checkRust(ctx) {
    const { model } = ctx;
    if (!model.crate.isCanister || model.hooks('post_upgrade').length > 0 || fillsStableMemoryForAnother(model)) return;
    const taken = model.functionsNamed('post_upgrade').length > 0;
    const heap = new Map(model.files.flatMap((f) => f.heapState).map((h) => [h.name, h]));
    for (const init of model.hooks('init')) {
      // Only what an upgrade loses matters: heap state init writes, or timers it arms (the IC cancels them).
      // What init writes in its own message; timers it arms write later, on their own.
      const lost = [...model.reach(init, true).staticWrites]
        .map((name) => heap.get(name))
        .filter((h): h is HeapStateDecl => h !== undefined && staticKind(h, model, ctx.text) === 'heap-data');
      const armsTimers = model.reach(init).calls.some((c) => c.name.startsWith('set_timer'));
      if (lost.length === 0 && !armsTimers) continue;
      ctx.report({
        message: `\`${init.name}\` has no \`#[post_upgrade]\` counterpart: upgrades do not run init, so nothing it sets up is redone after an upgrade`,
        loc: init.nameLoc,
        related: lost.map((h) => ({ loc: h.nameLoc, message: `\`${h.name}\` is set up by \`${init.name}\` and starts over after an upgrade` })),
        fixes: [addPostUpgrade(init, ctx.text(init.loc.file), taken)],
      });
    }
  },
});
