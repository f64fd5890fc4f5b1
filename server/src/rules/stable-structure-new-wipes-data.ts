import { compareVersion } from '../rust/project/crate';
import { defineRule } from './api';
import { type TextEdit } from '../core/findings';

export default defineRule({
  id: 'stable-structure-new-wipes-data',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: '`new` on a stable structure that must survive upgrades overwrites its data',
    why: [
      '`StableBTreeMap::new` (and `new` on every other structure) always writes a fresh, empty header over its memory.',
      'In a `thread_local!` initializer or in `post_upgrade` it runs again after every upgrade, so every upgrade silently empties the structure.',
      '`init` loads the existing structure when the memory holds one and creates it otherwise. dfinity/ic had to fix exactly this twice in 2025 (PRs #4877, #4878).',
    ].join('\n'),
    bad: `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static USERS: RefCell<StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::new(
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
    static USERS: RefCell<StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}
`,
    fix: 'Replaces `new` with `init` (and adds or removes `.expect()` where the library version needs it).',
  },
  checkRust(ctx) {
    // A fork or wrapper under the library's name may define `new` to load what is there.
    if (ctx.model.crate.stableStructures?.fork) return;
    const postUpgrade = new Set<string>();
    for (const hook of ctx.model.hooks('post_upgrade')) {
      const reach = ctx.model.reach(hook);
      reach.functionNames.forEach((name) => postUpgrade.add(name));
    }
    for (const s of ctx.model.structures) {
      if (s.ctor !== 'new') continue;
      const where =
        s.context === 'thread_local'
          ? 'a `thread_local!` initializer'
          : s.context === 'static'
            ? 'a static initializer'
            : s.fnName && postUpgrade.has(s.fnName)
              ? '`post_upgrade`'
              : undefined;
      if (!where) continue;
      const edits: TextEdit[] = [{ ...s.ctorLoc, newText: 'init' }];
      // `Log::new` returns the log itself but `Log::init` returns a Result before 0.7.
      if (s.kind === 'StableLog' && compareVersion(ctx.model.version, 0, 7) < 0 && !s.resultHandling) {
        edits.push({ file: s.loc.file, start: s.loc.end, end: s.loc.end, newText: '.expect("failed to initialize the log")' });
      }
      ctx.report({
        message: `\`${s.kind}::new\` in ${where} erases \`${s.name}\` on every upgrade: use \`${s.kind}::init\``,
        loc: s.ctorLoc,
        fixes: [{ title: `Use \`${s.kind}::init\`, which keeps the existing data`, kind: 'safe', edits }],
      });
    }
  },
});
