import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../server/src/rules';
import { analyze } from './harness/fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-docs-'));

async function findingsOf(source: string, name: string) {
  const file = path.join(tmp, `${name}.rs`);
  fs.writeFileSync(file, source);
  const { result, errors } = await analyze(file);
  assert.deepEqual(errors, []);
  return result.crates.flatMap((c) => c.findings);
}

describe('rule docs examples', () => {
  for (const rule of rules.filter((r) => r.language === 'rust')) {
    it(`${rule.id}: the bad example gives exactly one finding of the rule`, async () => {
      const findings = await findingsOf(rule.docs.bad, `${rule.id}-bad`);
      assert.deepEqual(findings.filter((f) => f.rule === rule.id).map((f) => f.rule), [rule.id], JSON.stringify(findings.map((f) => `${f.rule}: ${f.message}`)));
    });
    it(`${rule.id}: the good example gives no finding at all`, async () => {
      const findings = await findingsOf(rule.docs.good, `${rule.id}-good`);
      assert.deepEqual(findings.map((f) => `${f.rule}: ${f.message}`), []);
    });
  }
});
