import { RESTORE, STABLE_MEMORY_CANISTER, findLifecycleCall } from './stable-memory-init-order';
import { defineRule } from './api';

const SAVE = new Set(['stable_memory_pre_upgrade', 'deinit_allocator']);

export default defineRule({
  id: 'stable-memory-missing-pre-upgrade',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: 'ic-stable-memory: `pre_upgrade` must end with `stable_memory_pre_upgrade()` and check its result',
    why: [
      'ic-stable-memory keeps its allocator in the heap, which an upgrade wipes; `stable_memory_pre_upgrade()` writes it to stable memory and stores its pointer at bytes 0 to 8.',
      'Without it `stable_memory_post_upgrade()` finds no valid saved allocator after the upgrade and panics, so the upgrade fails.',
      'It must be the last step: `store_custom_data` and other writes after it are not in the saved allocator.',
      'It returns `Result<(), OutOfMemory>`: when the `Err` is dropped the allocator stays unsaved while the upgrade goes on.',
    ].join('\n'),
    bad: STABLE_MEMORY_CANISTER.replace('stable_memory_pre_upgrade().expect("out of stable memory");', 'stable_memory_pre_upgrade();'),
    good: STABLE_MEMORY_CANISTER,
  },
  checkRust(ctx) {
    const { model } = ctx;
    if (!model.usesStableMemory) return;
    const hooks = model.hooks('pre_upgrade');
    if (hooks.length === 0) {
      // Point at the call that will fail after the upgrade, or where the library comes into use.
      const uses = model.files.flatMap((f) => f.rawStable).filter((u) => u.kind === 'ic_stable_memory');
      const anchor = uses.find((u) => RESTORE.has(u.name)) ?? uses[0];
      if (!anchor) return;
      ctx.report({
        message: 'No `#[pre_upgrade]` calls `stable_memory_pre_upgrade()`, so the ic-stable-memory allocator is lost on every upgrade',
        loc: anchor.loc,
      });
      return;
    }
    for (const hook of hooks) {
      const save = findLifecycleCall(model, hook, SAVE);
      if (!save) {
        ctx.report({
          message: `\`${hook.name}\` never calls \`stable_memory_pre_upgrade()\`, so the ic-stable-memory allocator is lost on upgrade`,
          loc: hook.nameLoc,
        });
      } else if (!save.last) {
        ctx.report({
          message: `\`${save.site.name}()\` must be the last statement of pre_upgrade: what runs after it is not in the saved allocator`,
          loc: save.site.loc,
        });
      } else if (save.site.resultIgnored) {
        ctx.report({
          message: `The \`Result\` of \`${save.site.name}()\` is dropped: on \`OutOfMemory\` the allocator is not saved but the upgrade goes on`,
          loc: save.site.loc,
        });
      }
    }
  },
});
