import { defineRule } from './api';

export default defineRule({
  id: 'restore-error-ignored',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: {
    summary: '`post_upgrade` discards the error of restoring or decoding the saved state',
    why: [
      "`post_upgrade` reads back what `pre_upgrade` saved: `stable_restore`, ic-stable-memory's `retrieve_custom_data`, or bytes decoded with Candid, CBOR, MessagePack or serde.",
      'When that fails, usually because a type changed between the two versions, the error is the only sign that the saved state no longer fits the code.',
      '`if let Ok(..) = stable_restore()`, `.unwrap_or_default()`, `.ok()`, `let _ =` or an `Err` arm that carries on turn the failure into an empty state: the upgrade succeeds, and every user, balance and setting is gone with no trace.',
      'A trap in `post_upgrade` instead rolls the upgrade back and keeps the old module and its data, so the developer can fix the type and try again.',
    ].join('\n'),
    bad: `use std::cell::RefCell;

#[derive(Clone, Default, candid::CandidType, serde::Deserialize)]
struct Config {
    fee: u64,
    owner: Option<candid::Principal>,
}

thread_local! {
    static CONFIG: RefCell<Config> = RefCell::new(Config::default());
}

#[ic_cdk::pre_upgrade]
fn pre_upgrade() {
    CONFIG.with(|c| ic_cdk::storage::stable_save((c.borrow().clone(),)).expect("save failed"));
}

#[ic_cdk::post_upgrade]
fn post_upgrade() {
    if let Ok((config,)) = ic_cdk::storage::stable_restore::<(Config,)>() {
        CONFIG.with(|c| *c.borrow_mut() = config);
    }
}
`,
    good: `use std::cell::RefCell;

#[derive(Clone, Default, candid::CandidType, serde::Deserialize)]
struct Config {
    fee: u64,
    owner: Option<candid::Principal>,
}

thread_local! {
    static CONFIG: RefCell<Config> = RefCell::new(Config::default());
}

#[ic_cdk::pre_upgrade]
fn pre_upgrade() {
    CONFIG.with(|c| ic_cdk::storage::stable_save((c.borrow().clone(),)).expect("save failed"));
}

#[ic_cdk::post_upgrade]
fn post_upgrade() {
    let (config,): (Config,) = ic_cdk::storage::stable_restore().expect("failed to restore the config");
    CONFIG.with(|c| *c.borrow_mut() = config);
}
`,
  },
  checkRust(ctx) {
    const seen = new Set<string>();
    for (const hook of ctx.model.hooks('post_upgrade')) {
      for (const call of ctx.model.reach(hook, true).calls) {
        if (!call.swallowsError) continue;
        const key = `${call.loc.file}:${call.loc.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        ctx.report({
          message: `post_upgrade discards the failure of \`${call.name}\`: if the saved state cannot be read back (a type changed, or nothing was saved), the canister carries on with empty state instead of rolling the upgrade back`,
          loc: call.loc,
          related: hook.name === call.fn ? undefined : [{ loc: hook.nameLoc, message: `reached from \`${hook.name}\`` }],
        });
      }
    }
  },
});
