import { defineRule } from './api';

/** Reported by the rule loop itself once all other rules ran (see check/runRules.ts and core/suppressions.ts). */
export default defineRule({
  id: 'unused-suppression',
  language: 'both',
  reportedByEngine: true,
  defaultSeverity: 'warning',
  docs: {
    summary: 'A `stable-lens-ignore` comment suppresses nothing',
    why: [
      'A suppression that no longer matches a finding hides nothing today, but it will silently hide the next real problem on that line.',
      'A suppression without a reason, or naming a rule that does not exist, suppresses nothing at all.',
      'Write `// stable-lens-ignore <rule-id>: <reason>` on the line above the finding, or `// stable-lens-ignore-file <rule-id>: <reason>` anywhere in the file.',
    ].join('\n'),
    bad: `use ic_stable_structures::memory_manager::MemoryId;

// stable-lens-ignore reserved-memory-id: kept for the audit log
const AUDIT: MemoryId = MemoryId::new(3);
`,
    good: `use ic_stable_structures::memory_manager::MemoryId;

const AUDIT: MemoryId = MemoryId::new(3);
`,
    fix: 'Removes the rule id from the comment, or the whole comment when it names nothing else.',
  },
});
