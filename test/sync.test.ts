import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { generatedFiles } from '../scripts/generated';
import { rules } from '../server/src/rules/registry';

const root = path.join(__dirname, '..');

describe('generated files', () => {
  it('docs/rules and the package.json rule settings match the rule registry (run npm run gen)', () => {
    for (const [rel, content] of generatedFiles(root)) {
      assert.equal(fs.readFileSync(path.join(root, rel), 'utf8'), content, `${rel} is out of date: run npm run gen`);
    }
  });

  it('has a settings key and a docs page for every rule, and nothing stale', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const keys = Object.keys(pkg.contributes.configuration.properties).filter((k) => k.startsWith('stableLens.rules.'));
    assert.deepEqual(keys.sort(), rules.map((r) => `stableLens.rules.${r.id}`).sort());
    const pages = fs.readdirSync(path.join(root, 'docs/rules')).filter((f) => f !== 'README.md');
    assert.deepEqual(pages.sort(), rules.map((r) => `${r.id}.md`).sort());
  });
});
