import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { UpgradeReport } from '../server/src/cli/report';
import { ensureBuilt } from './lsp/client';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const fixtures = path.join(root, 'test', 'fixtures', 'report');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-report-'));

function run(cwd: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function json(cwd: string, ...args: string[]): UpgradeReport {
  const res = run(cwd, 'report', '--format', 'json', ...args);
  assert.equal(res.stderr, '');
  return JSON.parse(res.stdout) as UpgradeReport;
}

/** A folder holding the fixture's `before` version (and its other files), with the `after` version ready to copy over it. */
function workspace(name: string, kind: 'rust' | 'motoko'): { dir: string; upgrade(): void } {
  const dir = path.join(tmp, name);
  const src = path.join(fixtures, kind);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(src)) if (f !== 'before' && f !== 'after') fs.cpSync(path.join(src, f), path.join(dir, f));
  fs.cpSync(path.join(src, 'before'), dir, { recursive: true });
  return { dir, upgrade: () => fs.cpSync(path.join(src, 'after'), dir, { recursive: true, force: true }) };
}

function commitAll(dir: string) {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'deployed');
}

const changes = (r: UpgradeReport) => r.canisters.flatMap((c) => c.changes.map((ch) => `${ch.kind} ${ch.subject}: ${ch.before ?? ''} -> ${ch.after ?? ''}`));

const RUST_CHANGES = [
  'key-type-changed MemoryId 1 NAMES: u64 -> Principal',
  'value-type-changed MemoryId 2 SCORES: u32 -> u64',
  'structure-kind-changed MemoryId 3 QUEUE: StableVec -> StableMinHeap',
  'memory-id-retired MemoryId 4: StableBTreeMap LEGACY -> ',
  'initializer-changed MemoryId 5 FEE: 10 -> 20',
  'memory-id-reassigned MemoryId 6: StableBTreeMap TOKENS -> StableBTreeMap SESSIONS',
  'memory-id-added MemoryId 7:  -> StableBTreeMap AUDIT',
  'storable-bound-changed Profile: Bounded ≤ 256 B -> Bounded ≤ 512 B',
  'storable-encoding-changed Profile: candid -> cbor',
  'storable-field-removed Profile.age: u32 -> ',
  'storable-field-changed Profile.bio: String -> Option<String>',
  'storable-field-added Profile.email:  -> String',
];

const MOTOKO_CHANGES = [
  'variable-retyped count: var Nat -> var Int',
  'variable-dropped legacy: var Text -> ',
  'initializer-changed limit: 10 -> 20',
  'variable-added owner:  -> var Text',
];

describe('stable-lens report', () => {
  before(() => ensureBuilt());
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('Rust against the lockfile: one line when clean, then every kind of layout and Storable change with the errors', () => {
    const { dir, upgrade } = workspace('rust-lock', 'rust');
    assert.equal(run(dir, 'lock').code, 0);
    const clean = run(dir, 'report', '--fail-on', 'error');
    assert.equal(clean.code, 0);
    assert.match(clean.stdout, /^- ✅ \*\*accounts\*\* \(Rust, `\.`\): no change to stable state since `stable-layout\.lock\.json`$/m);
    upgrade();
    const report = json(dir);
    assert.equal(report.baseline, 'lockfile');
    assert.deepEqual(changes(report), RUST_CHANGES);
    const [c] = report.canisters;
    assert.deepEqual([c.name, c.language, c.state, c.clean, c.baseline], ['accounts', 'rust', 'changed', false, 'stable-layout.lock.json']);
    const rules = new Set(c.errors.map((f) => f.rule));
    assert.ok(rules.has('memory-layout-break') && rules.has('storable-schema-break'), [...rules].join());
    assert.ok(c.errors.every((f) => f.severity === 'error' && f.line > 0));
    const md = run(dir, 'report');
    assert.equal(md.code, 1, 'exit codes as check: errors are at or above --fail-on');
    assert.match(md.stdout, /^### ❌ accounts$/m);
    assert.match(md.stdout, /^\| subject \| change \| before \| after \|$/m);
    assert.match(md.stdout, /^\| `MemoryId 6` \| reassigned \| `StableBTreeMap TOKENS` \| `StableBTreeMap SESSIONS` \|$/m);
    assert.match(md.stdout, /^- `src\/lib\.rs:\d+:\d+` `storable-schema-break` /m);
    const text = run(dir, 'report', '--format', 'text');
    assert.match(text.stdout, /^ {2}Profile\.bio +field changed: String -> Option<String>$/m);
  });

  it('Rust against a git revision: the same changes, read with git show', () => {
    const { dir, upgrade } = workspace('rust-git', 'rust');
    commitAll(dir);
    upgrade();
    const report = json(dir, '--baseline', 'git:main');
    assert.equal(report.canisters[0].baseline, 'git:main');
    assert.deepEqual(changes(report), RUST_CHANGES);
  });

  it('Motoko against the lockfile: stable variables added, dropped, retyped, an ignored initializer, and the compiler refusing the upgrade', () => {
    const { dir, upgrade } = workspace('motoko-lock', 'motoko');
    assert.equal(run(dir, 'lock').code, 0);
    assert.match(run(dir, 'report', '--format', 'text').stdout, /^Shop \(Motoko, main\.mo\): no change to stable state since stable-layout\.lock\.json$/m);
    upgrade();
    const report = json(dir);
    assert.deepEqual(changes(report), MOTOKO_CHANGES);
    const [c] = report.canisters;
    assert.equal(c.verdict?.compatible, false);
    assert.deepEqual(
      c.verdict?.messages.map((m) => m.code),
      ['M0169'],
    );
    assert.match(c.verdict!.messages[0].message, /`legacy`/);
    assert.deepEqual(
      c.errors.map((f) => f.rule),
      ['stable-signature-break'],
    );
    const md = run(dir, 'report').stdout;
    assert.match(md, /^Compiler verdict \(moc --stable-compatible\): \*\*incompatible\*\*$/m);
    assert.match(md, /^\| `limit` \| initializer changed; deployed canisters keep the stored value \| `10` \| `20` \|$/m);
  });

  it('Motoko against a git revision and against the .most dfx built', () => {
    const { dir, upgrade } = workspace('motoko-git', 'motoko');
    commitAll(dir);
    assert.equal(run(dir, 'lock').code, 0);
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'stable-layout.lock.json'), 'utf8'));
    const most = path.join(dir, '.dfx', 'local', 'canisters', 'Shop', 'Shop.most');
    fs.mkdirSync(path.dirname(most), { recursive: true });
    fs.writeFileSync(most, lock.canisters.Shop.signature.join('\n') + '\n');
    upgrade();
    const git = json(dir, '--baseline', 'git:main');
    assert.equal(git.canisters[0].baseline, 'git:main');
    assert.deepEqual(changes(git), MOTOKO_CHANGES);
    // A .most records no initializers, so that change cannot be seen against it.
    const dfx = json(dir, '--baseline', 'dfx');
    assert.equal(dfx.canisters[0].baseline, path.join('.dfx', 'local', 'canisters', 'Shop', 'Shop.most'));
    assert.deepEqual(
      changes(dfx),
      MOTOKO_CHANGES.filter((c) => !c.startsWith('initializer')),
    );
  });

  it('says why instead of failing: no baseline, an unknown ref, a bad format, a missing path', () => {
    const { dir } = workspace('no-baseline', 'rust');
    const none = json(dir, '--fail-on', 'error');
    assert.deepEqual([none.canisters[0].state, none.canisters[0].baseline], ['no-baseline', undefined]);
    assert.match(run(dir, 'report').stdout, /no baseline to compare with \(run `stable-lens lock` and commit the lockfile\)/);
    const unknown = run(dir, 'report', '--baseline', 'git:nope');
    assert.match(unknown.stderr, /cannot read git revision nope/);
    assert.match(unknown.stdout, /no baseline to compare with/);
    const format = run(dir, 'report', '--format', 'html');
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be markdown, json or text for report, not 'html'/);
    const missing = run(dir, 'report', 'nowhere');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere/);
    assert.equal(run(dir, 'report', '--baseline', 'git:-x').code, 2);
  });
});
