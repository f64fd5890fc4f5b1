import type { CanisterModel } from '../rust/model/canister';
import type { CallSite, FunctionDecl } from '../rust/model/facts';
import { defineRule } from './api';

export interface Placed {
  site: CallSite;
  /** The call is the first statement of the hook, at every level of helper calls. */
  first: boolean;
  /** The call is the last statement of the hook, at every level of helper calls. */
  last: boolean;
}

/** Where `fn` calls one of `names`, directly or through the crate's own helper functions. */
export function findLifecycleCall(model: CanisterModel, fn: FunctionDecl, names: Set<string>, seen = new Set<FunctionDecl>()): Placed | undefined {
  seen.add(fn);
  for (const c of fn.calls) {
    if (c.isMethod) continue;
    const first = c.stmt === 0;
    const last = c.stmt === fn.stmtCount - 1;
    if (names.has(c.name)) return { site: c, first, last };
    if (c.isMacro) continue;
    for (const callee of model.functionsNamed(c.name)) {
      if (callee.hook || seen.has(callee)) continue;
      const inner = findLifecycleCall(model, callee, names, seen);
      if (inner) return { site: inner.site, first: inner.first && first, last: inner.last && last };
    }
  }
  return undefined;
}

/** A complete ic-stable-memory lifecycle, the docs' good example for both lifecycle rules. */
export const STABLE_MEMORY_CANISTER = `use ic_stable_memory::collections::SBTreeMap;
use ic_stable_memory::{retrieve_custom_data, stable_memory_init, stable_memory_post_upgrade, stable_memory_pre_upgrade, store_custom_data, SBox};
use std::cell::RefCell;

thread_local! {
    static BALANCES: RefCell<Option<SBTreeMap<u64, u64>>> = RefCell::new(None);
}

#[ic_cdk::init]
fn init() {
    stable_memory_init();
    BALANCES.with(|b| *b.borrow_mut() = Some(SBTreeMap::new()));
}

#[ic_cdk::pre_upgrade]
fn pre_upgrade() {
    let balances = BALANCES.with(|b| b.borrow_mut().take().unwrap());
    store_custom_data(0, SBox::new(balances).expect("out of stable memory"));
    stable_memory_pre_upgrade().expect("out of stable memory");
}

#[ic_cdk::post_upgrade]
fn post_upgrade() {
    stable_memory_post_upgrade();
    ic_cdk::println!("upgraded");
    let balances = retrieve_custom_data::<SBTreeMap<u64, u64>>(0).unwrap().into_inner();
    BALANCES.with(|b| *b.borrow_mut() = Some(balances));
}
`;

export const RESTORE = new Set(['stable_memory_post_upgrade', 'reinit_allocator']);
const INIT = new Set(['stable_memory_init', 'init_allocator']);
/** Calls that show the previous module already used ic-stable-memory. */
const LIBRARY_STATE = new Set([...RESTORE, 'retrieve_custom_data']);

export default defineRule({
  id: 'stable-memory-init-order',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: 'ic-stable-memory: `post_upgrade` must start with `stable_memory_post_upgrade()` and never call `stable_memory_init()`',
    why: [
      'ic-stable-memory keeps its allocator in the heap; `stable_memory_post_upgrade()` reloads the one `pre_upgrade` saved and must be the first step of `post_upgrade`.',
      'The library documents it as the first step: code before it that touches a collection or an `SBox` runs without an allocator and panics.',
      '`stable_memory_init()` treats every existing page as free: in `post_upgrade` of a canister that already used the library it overwrites the saved collections (it is meant for `#[init]`, or once for a migration from std collections).',
    ].join('\n'),
    bad: STABLE_MEMORY_CANISTER.replace(
      '    stable_memory_post_upgrade();\n    ic_cdk::println!',
      '    ic_cdk::println!("upgrading");\n    stable_memory_post_upgrade();\n    ic_cdk::println!',
    ),
    good: STABLE_MEMORY_CANISTER,
  },
  checkRust(ctx) {
    const { model } = ctx;
    if (!model.usesStableMemory) return;
    for (const hook of model.hooks('post_upgrade')) {
      const reach = model.reach(hook);
      const init = reach.calls.find((c) => !c.isMethod && INIT.has(c.name));
      const restore = findLifecycleCall(model, hook, RESTORE);
      if (init) {
        // A one-time migration from std collections reads the old heap state with stable_restore; anything else is a canister that already used the library.
        const migrating = reach.calls.some((c) => c.name === 'stable_restore' || c.path.split('::').includes('StableReader'));
        if (migrating && !reach.calls.some((c) => LIBRARY_STATE.has(c.name))) continue;
        ctx.report({
          message: `\`${init.name}()\` in post_upgrade treats every page as free and overwrites the collections saved before the upgrade: call \`stable_memory_post_upgrade()\` instead`,
          loc: init.loc,
        });
      } else if (!restore) {
        ctx.report({
          message: `\`${hook.name}\` never calls \`stable_memory_post_upgrade()\`, so ic-stable-memory has no allocator after an upgrade`,
          loc: hook.nameLoc,
        });
      } else if (!restore.first) {
        ctx.report({
          message: `\`${restore.site.name}()\` must be the first statement of post_upgrade: the code before it runs without the ic-stable-memory allocator`,
          loc: restore.site.loc,
        });
      }
    }
  },
});
