import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildRustLock } from '../server/src/lockfile/build';
import { serializeLock } from '../server/src/lockfile/io';
import { LOCKFILE_NAME } from '../server/src/lockfile/types';
import { rules } from '../server/src/rules';
import type { Rule } from '../server/src/rules/types';
import { lockMotoko } from '../server/src/cli/lockMotoko';
import { analyzeMotokoPaths } from '../server/src/motoko/paths';
import { analyze } from './harness/fixtures';
import { analyzeMotoko, motokoFindings } from './harness/motoko';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-docs-'));
const MANIFEST = '[package]\nname = "docs"\nversion = "0.1.0"\n\n[lib]\ncrate-type = ["cdylib"]\n';

/** Analyses one docs example as a crate; with `before`, against the layout `before` records. */
async function findingsOf(rule: Rule, source: string, name: string) {
  const dir = path.join(tmp, `${rule.id}-${name}`);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Cargo.toml'), MANIFEST);
  if (rule.docs.before) {
    fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), rule.docs.before);
    const { result } = await analyze(dir);
    fs.writeFileSync(path.join(dir, LOCKFILE_NAME), serializeLock(buildRustLock(result.crates[0].model)));
  }
  fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), source);
  const { result, errors } = await analyze(dir);
  assert.deepEqual(errors, []);
  return result.crates.flatMap((c) => c.findings);
}

describe('rule docs examples', () => {
  for (const rule of rules.filter((r) => r.language === 'rust')) {
    it(`${rule.id}: the bad example gives exactly one finding of the rule`, async () => {
      const findings = await findingsOf(rule, rule.docs.bad, 'bad');
      assert.deepEqual(findings.filter((f) => f.rule === rule.id).map((f) => f.rule), [rule.id], JSON.stringify(findings.map((f) => `${f.rule}: ${f.message}`)));
    });
    it(`${rule.id}: the good example gives no finding at all`, async () => {
      const findings = await findingsOf(rule, rule.docs.good, 'good');
      assert.deepEqual(findings.map((f) => `${f.rule}: ${f.message}`), []);
    });
  }
});

describe('Motoko rule docs examples', () => {
  const locks = new Map<string, Promise<string>>();

  /** The lockfile a previous version records; compiled once, and shared by the bad and good examples. */
  function lockOf(before: string): Promise<string> {
    let found = locks.get(before);
    if (!found) {
      const dir = path.join(tmp, `motoko-before-${locks.size}`);
      found = (async () => {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'main.mo'), before);
        const { projects } = await analyzeMotokoPaths([dir], { config: { rules: {} }, warn: () => undefined, signatures: true });
        assert.deepEqual(lockMotoko(projects, false, (m) => assert.fail(m)).map((o) => o.state), ['written']);
        return fs.readFileSync(path.join(dir, LOCKFILE_NAME), 'utf8');
      })();
      locks.set(before, found);
    }
    return found;
  }

  /** Analyses one docs example as a loose file (compiler defaults, the bundled core); with `before`, against its lockfile. */
  async function motokoFindingsOf(id: string, source: string, name: string, before?: string) {
    const dir = path.join(tmp, `${id}-motoko-${name}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'main.mo');
    fs.writeFileSync(file, source);
    if (before) fs.writeFileSync(path.join(dir, LOCKFILE_NAME), await lockOf(before));
    const { projects, errors } = await analyzeMotoko(file);
    assert.deepEqual(errors, []);
    return motokoFindings(projects);
  }

  const examples = [
    ...rules.filter((r) => r.language === 'motoko').map((r) => ({ id: r.id, ...r.docs })),
    // Rust rules with a Motoko side check that side under the same id.
    ...rules.flatMap((r) => (r.docs.motoko ? [{ id: r.id, ...r.docs.motoko }] : [])),
  ];
  for (const ex of examples) {
    it(`${ex.id}: the Motoko bad example gives exactly one finding of the rule`, async () => {
      const findings = await motokoFindingsOf(ex.id, ex.bad, 'bad', ex.before);
      assert.deepEqual(findings.filter((f) => f.rule === ex.id).map((f) => f.rule), [ex.id], JSON.stringify(findings.map((f) => `${f.rule}: ${f.message}`)));
    });
    it(`${ex.id}: the Motoko good example gives no finding at all`, async () => {
      const findings = await motokoFindingsOf(ex.id, ex.good, 'good', ex.before);
      assert.deepEqual(findings.map((f) => `${f.rule}: ${f.message}`), []);
    });
  }
});
