import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../server/src/rules/registry';

describe('rule registry', () => {
  it('has unique ids in alphabetical order', () => {
    const ids = rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, [...ids].sort());
  });

  it('names each rule file after its id, and registers every rule file', () => {
    const dir = path.join(__dirname, '..', 'server', 'src', 'rules');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !['api.ts', 'registry.ts', 'docs.ts'].includes(f));
    assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), rules.map((r) => r.id).sort());
    for (const r of rules) assert.match(r.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('gives every rule complete docs', () => {
    for (const r of rules) {
      assert.ok(r.docs.summary.length > 10, `${r.id}: summary`);
      assert.ok(!r.docs.summary.includes('\n') && !r.docs.summary.endsWith('.'), `${r.id}: summary is one line without a trailing period`);
      assert.ok(r.docs.why.length > 40, `${r.id}: why`);
      assert.ok(r.docs.bad.trim().length > 0 && r.docs.good.trim().length > 0, `${r.id}: bad and good examples`);
    }
  });
});
