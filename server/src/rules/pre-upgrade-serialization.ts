import { defineRule } from './types';

// Placeholder: the check and docs are being written.
export default defineRule({
  id: 'pre-upgrade-serialization',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: { summary: '', why: '', bad: '', good: '' },
  check() {},
});
