import { defineRule } from './types';

// Placeholder: the check and docs are being written.
export default defineRule({
  id: 'candid-storable-encoding',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: { summary: '', why: '', bad: '', good: '' },
  check() {},
});
