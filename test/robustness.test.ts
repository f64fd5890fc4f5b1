import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeCrate } from '../server/src/check/rust';
import { sourceFile } from '../server/src/rust/model/sourceFile';
import { FileSystem } from '../server/src/core/fileSystem';
import { signatureLineOf } from '../server/src/lockfile/motoko';
import { MotokoText, type MoNode } from '../server/src/motoko/model/ast';
import { extractMotokoModel } from '../server/src/motoko/model/extract';
import { readProject } from '../server/src/motoko/project/project';
import type { CrateInfo } from '../server/src/rust/project/crate';
import { initRustParser } from '../server/src/rust/syntax/treeSitter';
import { FIXTURES, listRustFiles } from './harness/fixtures';

const crate = (file: string): CrateInfo => ({ name: 'fuzz', root: path.dirname(file), isCanister: true, files: [file] });

/** Runs every rule over one text and returns the rules that threw. */
function thrownBy(file: string, text: string): string[] {
  const errors: string[] = [];
  const src = sourceFile(file, text);
  analyzeCrate(crate(file), [src], { rules: {} }, { onRuleError: (rule, _c, e) => errors.push(`${rule.id}: ${(e as Error).stack}`) });
  return errors;
}

/** A small deterministic PRNG, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TOKENS = [
  'thread_local!',
  '{',
  '}',
  '(',
  ')',
  '<',
  '>',
  ';',
  ',',
  ':',
  '::',
  'static',
  'RefCell',
  'StableBTreeMap',
  'MemoryId::new',
  '255',
  '0',
  'init',
  'new',
  'impl',
  'Storable',
  'for',
  'const',
  'BOUND',
  'Bound::Bounded',
  'max_size',
  'is_fixed_size',
  'true',
  '#[pre_upgrade]',
  'fn',
  'pre_upgrade',
  'stable_save',
  '=',
  'MEMORY_MANAGER',
  '.with',
  '|m|',
  'get',
  'Vec',
  'String',
  'Option',
  '"x"',
  '//',
  '\n',
];

describe('robustness: no rule throws', () => {
  const files = listRustFiles(FIXTURES);
  before(() => initRustParser());

  it('on every fixture', () => {
    for (const f of files) assert.deepEqual(thrownBy(f, fs.readFileSync(f, 'utf8')), [], f);
  });

  it('on truncated prefixes of every fixture (half-typed code)', () => {
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const step = Math.max(1, Math.floor(text.length / 25));
      for (let cut = 0; cut < text.length; cut += step) assert.deepEqual(thrownBy(f, text.slice(0, cut)), [], `${f} cut at ${cut}`);
    }
  });

  it('on random bytes and random token soup', () => {
    const rand = rng(42);
    for (let i = 0; i < 150; i++) {
      const len = Math.floor(rand() * 2000);
      const bytes = Array.from({ length: len }, () => Math.floor(rand() * 256));
      assert.deepEqual(thrownBy('/virtual/random.rs', String.fromCharCode(...bytes)), [], `random bytes #${i}`);
      const soup = Array.from({ length: Math.floor(rand() * 300) }, () => TOKENS[Math.floor(rand() * TOKENS.length)]).join(' ');
      assert.deepEqual(thrownBy('/virtual/soup.rs', soup), [], `token soup #${i}: ${soup.slice(0, 200)}`);
    }
  });

  it('on deep nesting and very long lines', () => {
    const deep = `fn f() { ${'('.repeat(3000)}1${')'.repeat(3000)} }`;
    assert.deepEqual(thrownBy('/virtual/deep.rs', deep), []);
    const long = `const X: MemoryId = MemoryId::new(${'1'.repeat(100000)});`;
    assert.deepEqual(thrownBy('/virtual/long.rs', long), []);
  });
});

describe('robustness: a throwing rule', () => {
  before(() => initRustParser());

  it('is reported to the caller and skipped while the other rules still report', async () => {
    const { rules } = await import('../server/src/rules/registry');
    const broken = {
      ...rules[0],
      id: 'broken-rule',
      checkRust: () => {
        throw new Error('boom');
      },
    };
    const file = path.join(FIXTURES, 'rules', 'heap-state-lost-on-upgrade', 'invalid.rs');
    const errors: string[] = [];
    const result = analyzeCrate(
      crate(file),
      [sourceFile(file, fs.readFileSync(file, 'utf8'))],
      { rules: {} },
      { onRuleError: (r, _c, e) => errors.push(`${r.id}: ${(e as Error).message}`) },
      [broken, ...rules],
    );
    assert.deepEqual(errors, ['broken-rule: boom']);
    assert.ok(result.findings.some((f) => f.rule === 'heap-state-lost-on-upgrade'));
  });
});

describe('robustness: names longer than any pattern can be', () => {
  const long = 'x'.repeat(300_000);

  it('reads a mops.toml whose dependency name is that long', () => {
    const vfs = new FileSystem();
    vfs.setOverlay('/virtual/long/mops.toml', `[dependencies]\n${long} = "1.0.0"\ncore = "2.5.0"\n`);
    const project = readProject(vfs, '/virtual/long', () => undefined)!;
    const text = vfs.readText('/virtual/long/mops.toml', () => undefined)!;
    // Each dependency still points at its own line.
    assert.deepEqual(
      project.dependencies.map((d) => [d.name.length, d.loc.start]),
      [
        [long.length, text.indexOf(long)],
        [4, text.indexOf('core =')],
      ],
    );
  });

  it('finds a variable in a recorded signature, and no line for a name that long', () => {
    const signature = ['actor {', '  stable var count : Nat;', '  stable users : [Text]', '};'];
    assert.equal(signatureLineOf(signature, 'users'), 2);
    assert.equal(signatureLineOf(signature, 'count'), 1);
    assert.equal(signatureLineOf(signature, long), undefined);
  });

  it("places an actor's name that long", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mo = require('motoko') as { parseMotoko(t: string, recovery: boolean): MoNode };
    const text = `persistent actor ${long} {\n  var n = 0;\n};\n`;
    const model = extractMotokoModel(mo.parseMotoko(text, true), new MotokoText('/virtual/long/Main.mo', text), { defaultPersistent: false, legacy: false });
    const loc = model.actors[0].nameLoc!;
    assert.deepEqual([loc.start, loc.end], [text.indexOf(long), text.indexOf(long) + long.length]);
  });
});
