import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildRustLock } from '../server/src/lockfile/build';
import { serializeLock } from '../server/src/lockfile/io';
import { LOCKFILE_NAME } from '../server/src/lockfile/types';
import { rules } from '../server/src/rules/registry';
import { readsLanguage, type Rule } from '../server/src/rules/api';
import { fixesOf, type Finding } from '../server/src/core/findings';
import { lockMotoko } from '../server/src/cli/lock';
import { analyzeMotokoPaths } from '../server/src/check/motokoProject';
import { analyze } from './harness/fixtures';
import { analyzeMotoko, motokoFindings } from './harness/motoko';

/** A rule whose docs say "Quick fix" must offer one where its bad example is wrong. */
function assertFixed(finding: Finding): void {
  assert.ok(fixesOf(finding).length > 0, `the docs announce a quick fix, but the finding offers none: ${finding.message}`);
}

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
  for (const rule of rules.filter((r) => readsLanguage(r, 'rust'))) {
    it(`${rule.id}: the bad example gives exactly one finding of the rule${rule.docs.fix ? ', with the quick fix the docs announce' : ''}`, async () => {
      const findings = await findingsOf(rule, rule.docs.bad, 'bad');
      const own = findings.filter((f) => f.rule === rule.id);
      assert.deepEqual(
        own.map((f) => f.rule),
        [rule.id],
        JSON.stringify(findings.map((f) => `${f.rule}: ${f.message}`)),
      );
      if (rule.docs.fix) assertFixed(own[0]);
    });
    it(`${rule.id}: the good example gives no finding at all`, async () => {
      const findings = await findingsOf(rule, rule.docs.good, 'good');
      assert.deepEqual(
        findings.map((f) => `${f.rule}: ${f.message}`),
        [],
      );
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
        assert.deepEqual(
          lockMotoko(projects, false, (m) => assert.fail(m)).map((o) => o.state),
          ['written'],
        );
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
    // Rules of both languages check their Motoko side under the same id.
    ...rules.flatMap((r) => (r.docs.motoko ? [{ id: r.id, ...r.docs.motoko, fix: r.docs.fix }] : [])),
  ];
  for (const ex of examples) {
    it(`${ex.id}: the Motoko bad example gives exactly one finding of the rule`, async () => {
      const findings = await motokoFindingsOf(ex.id, ex.bad, 'bad', ex.before);
      const own = findings.filter((f) => f.rule === ex.id);
      assert.deepEqual(
        own.map((f) => f.rule),
        [ex.id],
        JSON.stringify(findings.map((f) => `${f.rule}: ${f.message}`)),
      );
      if (ex.fix) assertFixed(own[0]);
    });
    it(`${ex.id}: the Motoko good example gives no finding at all`, async () => {
      const findings = await motokoFindingsOf(ex.id, ex.good, 'good', ex.before);
      assert.deepEqual(
        findings.map((f) => `${f.rule}: ${f.message}`),
        [],
      );
    });
  }
});
