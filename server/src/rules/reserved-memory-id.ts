import { retargetId } from './fixes/memoryIdEdits';
import { defineRule } from './api';
import { type Fix } from '../core/findings';

export default defineRule({
  id: 'reserved-memory-id',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: 'MemoryId 255 is reserved by the MemoryManager',
    why: [
      'The MemoryManager marks unallocated buckets with 255, so `MemoryId::new(255)` asserts.',
      'In a `const` item it fails to compile; in a `thread_local!` initializer it panics at run time, on the first access after an upgrade, which traps every call.',
      'Valid ids are 0 to 254.',
    ].join('\n'),
    bad: `use ic_stable_structures::memory_manager::MemoryId;

fn audit_memory_id() -> MemoryId {
    MemoryId::new(255)
}
`,
    good: `use ic_stable_structures::memory_manager::MemoryId;

fn audit_memory_id() -> MemoryId {
    MemoryId::new(3)
}
`,
    fix: 'Replaces the id with the lowest MemoryId the crate does not use.',
  },
  checkRust(ctx) {
    for (const file of ctx.model.files) {
      for (const site of file.memoryIdSites) {
        const { value, via } = ctx.model.resolveId(site.id);
        if (value !== 255) continue;
        const where = via ? ` (through \`${via}\`)` : '';
        const free = ctx.model.claimFreeId();
        const fixes: Fix[] | undefined =
          free === undefined ? undefined : [{ title: `Use the free MemoryId ${free}`, kind: 'safe', edits: [retargetId(ctx.model, site.id, free)] }];
        ctx.report({ message: `MemoryId 255${where} is reserved for unallocated buckets and panics: use an id from 0 to 254`, loc: site.id.loc, fixes });
      }
    }
  },
});
