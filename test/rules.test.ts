import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readsLanguage } from '../server/src/rules/api';
import { rules } from '../server/src/rules/registry';
import { analyze, compareFile, FIXTURES, listRustFiles, toActual } from './harness/fixtures';
import { expectsNothing, parseMarkers } from './harness/markers';
import { listMotokoFiles, motokoProblems } from './harness/motoko';

/** A case folder of a rule that checks both languages holds either Rust or Motoko sources. */
const isMotokoCase = (target: string) =>
  target.endsWith('.mo') || (fs.statSync(target).isDirectory() && listRustFiles(target).length === 0 && listMotokoFiles(target).length > 0);

const RULES_DIR = path.join(FIXTURES, 'rules');
const PROJECTS_DIR = path.join(FIXTURES, 'projects');

async function checkTarget(target: string, ruleFilter?: string): Promise<void> {
  const { result, errors } = await analyze(target);
  assert.deepEqual(errors, [], 'no rule may throw');
  const files = fs.statSync(target).isDirectory() ? listRustFiles(target) : [target];
  const problems: string[] = [];
  // Findings in files that cannot hold caret comments (the JSON lockfile) are listed in expected-other.txt.
  const others = result.crates.flatMap((c) =>
    c.findings
      .filter((f) => !f.loc.file.endsWith('.rs'))
      .map((f) => {
        const a = toActual(result, f);
        return `${path.relative(target, f.loc.file)}:${a.line + 1}:${a.column + 1} ${a.rule}`;
      }),
  );
  const sidecar = path.join(target, 'expected-other.txt');
  const expectedOthers = fs.existsSync(sidecar)
    ? fs
        .readFileSync(sidecar, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
    : [];
  assert.deepEqual(others.sort(), expectedOthers.sort(), 'findings outside .rs files (expected-other.txt)');
  for (const file of files) {
    const crate = result.crates.find((c) => c.files.has(file));
    const actual = crate ? crate.findings.filter((f) => f.loc.file === file).map((f) => toActual(result, f)) : [];
    for (const p of compareFile(file, actual, ruleFilter)) problems.push(`${path.relative(FIXTURES, file)}: ${p}`);
  }
  assert.deepEqual(problems, []);
}

describe('rule fixtures', () => {
  for (const rule of rules.filter((r) => readsLanguage(r, 'rust'))) {
    describe(rule.id, () => {
      const dir = path.join(RULES_DIR, rule.id);
      it('has fixtures with at least one finding and one valid file', () => {
        assert.ok(fs.existsSync(dir), `missing folder test/fixtures/rules/${rule.id}`);
        const files = listRustFiles(dir).map((f) => fs.readFileSync(f, 'utf8'));
        assert.ok(
          files.some((t) => parseMarkers(t).some((m) => m.rule === rule.id)),
          'no fixture marks a finding of this rule',
        );
        assert.ok(
          files.some((t) => expectsNothing(t)),
          'no valid fixture (// expect: no diagnostics)',
        );
      });
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir).sort()) {
        const target = path.join(dir, entry);
        if (/\.fixed(\.rs)?$/.test(entry)) continue;
        if (!entry.endsWith('.rs') && !fs.statSync(target).isDirectory()) continue;
        if (isMotokoCase(target)) continue;
        it(entry, () => checkTarget(target, rule.id));
      }
    });
  }
});

describe('project fixtures', () => {
  for (const entry of fs.existsSync(PROJECTS_DIR) ? fs.readdirSync(PROJECTS_DIR).sort() : []) {
    it(entry, () => checkTarget(path.join(PROJECTS_DIR, entry)));
  }
});

describe('Motoko rule fixtures', () => {
  // Rules of both languages keep their Motoko cases next to the Rust ones.
  for (const rule of rules.filter((r) => readsLanguage(r, 'motoko'))) {
    describe(rule.id, () => {
      const dir = path.join(RULES_DIR, rule.id);
      it('has fixtures with at least one finding and one valid file', () => {
        assert.ok(fs.existsSync(dir), `missing folder test/fixtures/rules/${rule.id}`);
        const files = listMotokoFiles(dir).map((f) => fs.readFileSync(f, 'utf8'));
        assert.ok(
          files.some((t) => parseMarkers(t).some((m) => m.rule === rule.id)),
          'no fixture marks a finding of this rule',
        );
        assert.ok(
          files.some((t) => expectsNothing(t)),
          'no valid fixture (// expect: no diagnostics)',
        );
      });
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir).sort()) {
        const target = path.join(dir, entry);
        if (/\.fixed(\.mo)?$/.test(entry)) continue;
        if (!entry.endsWith('.mo') && !fs.statSync(target).isDirectory()) continue;
        if (rule.language === 'both' && !isMotokoCase(target)) continue;
        it(entry, async () => {
          const { problems, errors } = await motokoProblems(target, rule.id);
          assert.deepEqual(errors, [], 'no rule may throw');
          assert.deepEqual(problems, []);
        });
      }
    });
  }
});
