import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { applyFixes, chooseFixes } from '../server/src/core/fixEngine';
import { initRustParser, parseRust } from '../server/src/rust/syntax/treeSitter';
import { analyze, FIXTURES } from './harness/fixtures';
import { analyzeMotoko, motokoFindings } from './harness/motoko';

/** The compiler's parser without error recovery: it throws on a syntax error. */
function parseMotoko(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('motoko') as { parseMotoko(t: string, recovery: boolean): unknown }).parseMotoko(text, false);
}

/**
 * Quick-fix fixtures: `case.rs` next to `case.fixed.rs`, or a crate folder `case/` next to `case.fixed/`,
 * in a rule's fixture folder. Every fix the rule offers is applied (one per finding, no overlaps) and
 * the result must equal the .fixed side, parse without errors, no longer trigger the rule where it was
 * fixed, and offer the same fix nowhere (idempotence).
 */
const RULES_DIR = path.join(FIXTURES, 'rules');
/** Motoko compiler codes with quick fixes (M0218, M0219, M0220, M0131) keep their cases here. */
const COMPILER_DIR = path.join(FIXTURES, 'compiler');

interface Case {
  rule: string;
  name: string;
  before: string;
  after: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const root of [RULES_DIR, COMPILER_DIR]) {
    for (const rule of fs.readdirSync(root).sort()) {
      for (const entry of fs.readdirSync(path.join(root, rule)).sort()) {
        const m = /^(.*)\.fixed(\.rs|\.mo)?$/.exec(entry);
        if (!m) continue;
        out.push({ rule, name: m[1], before: path.join(root, rule, `${m[1]}${m[2] ?? ''}`), after: path.join(root, rule, entry) });
      }
    }
  }
  return out;
}

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

function filesOf(dir: string): string[] {
  if (!fs.statSync(dir).isDirectory()) return [dir];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

async function fixOnce(target: string, rule: string, accept: (title: string) => boolean = () => true): Promise<{ applied: number; titles: string[] }> {
  const { result } = await analyze(target);
  const motoko = filesOf(target).some((f) => f.endsWith('.mo')) ? motokoFindings((await analyzeMotoko(target)).projects) : [];
  const findings = [...result.crates.flatMap((c) => c.findings), ...motoko].filter((f) => f.rule === rule);
  const fixes = chooseFixes(findings, (fix) => accept(fix.title));
  const texts = new Map(filesOf(target).map((f) => [f, fs.readFileSync(f, 'utf8')]));
  for (const [file, text] of applyFixes(texts, fixes)) fs.writeFileSync(file, text);
  return { applied: fixes.length, titles: fixes.map((f) => f.title) };
}

describe('quick-fix fixtures', () => {
  before(() => initRustParser());
  for (const c of cases()) {
    it(`${c.rule}: ${c.name}`, async () => {
      const work = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-fix-')), path.basename(c.before));
      copyTree(c.before, work);
      const first = await fixOnce(work, c.rule);
      assert.ok(first.applied > 0, 'the rule offers no fix on this fixture');
      for (const expected of filesOf(c.after)) {
        const rel = path.relative(c.after, expected);
        const actual = rel ? path.join(work, rel) : work;
        const text = fs.readFileSync(actual, 'utf8');
        assert.equal(text, fs.readFileSync(expected, 'utf8'), `${rel || path.basename(expected)} after the fix`);
        if (actual.endsWith('.rs')) assert.equal(parseRust(text).rootNode.hasError, false, `${rel} re-parses without syntax errors`);
        if (actual.endsWith('.mo')) assert.doesNotThrow(() => parseMotoko(text), `${rel} re-parses without syntax errors`);
      }
      // Idempotence: none of the applied fixes is offered again (a follow-up fix may be, such as recording the layout).
      const second = await fixOnce(work, c.rule, (title) => first.titles.includes(title));
      assert.deepEqual(second.titles, [], 'the same fixes are not offered again');
    });
  }
});
