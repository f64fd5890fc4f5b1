import { defineRule } from './types';

// Placeholder: the check and docs are being written.
export default defineRule({
  id: 'unbounded-tuple-element',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: { summary: '', why: '', bad: '', good: '' },
  check() {},
});
