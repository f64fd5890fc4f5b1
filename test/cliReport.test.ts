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

/**
 * A workspace with the Rust fixture in `accounts/` and the Motoko one in `shop/`, both at their
 * `before` version; `upgrade()` copies the `after` versions over them.
 */
function workspace(name: string): { dir: string; upgrade(): void } {
  const dir = path.join(tmp, name);
  const parts = { accounts: path.join(fixtures, 'rust'), shop: path.join(fixtures, 'motoko') };
  for (const [sub, src] of Object.entries(parts)) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
    for (const f of fs.readdirSync(src)) if (f !== 'before' && f !== 'after') fs.cpSync(path.join(src, f), path.join(dir, sub, f));
    fs.cpSync(path.join(src, 'before'), path.join(dir, sub), { recursive: true });
  }
  const upgrade = () =>
    Object.entries(parts).forEach(([sub, src]) => fs.cpSync(path.join(src, 'after'), path.join(dir, sub), { recursive: true, force: true }));
  return { dir, upgrade };
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

const byLanguage = (r: UpgradeReport, language: string) => ({ ...r, canisters: r.canisters.filter((c) => c.language === language) });

describe('stable-lens report', () => {
  before(() => ensureBuilt());
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('against the lockfiles: one line per clean canister, then every kind of change, the verdict and the errors', () => {
    const { dir, upgrade } = workspace('lock');
    assert.equal(run(dir, 'lock').code, 0);
    const clean = run(dir, 'report', '--fail-on', 'error');
    assert.equal(clean.code, 0);
    assert.match(clean.stdout, /^- ✅ \*\*accounts\*\* \(Rust, `accounts`\): no change to stable state since `accounts\/stable-layout\.lock\.json`$/m);
    assert.match(clean.stdout, /^- ✅ \*\*Shop\*\* \(Motoko, `shop\/main\.mo`\): no change to stable state since `shop\/stable-layout\.lock\.json`$/m);
    upgrade();
    const report = json(dir);
    assert.equal(report.baseline, 'lockfile');
    assert.deepEqual(changes(byLanguage(report, 'rust')), RUST_CHANGES);
    assert.deepEqual(changes(byLanguage(report, 'motoko')), MOTOKO_CHANGES);
    const [rust, motoko] = report.canisters;
    assert.deepEqual([rust.name, rust.state, rust.clean, rust.baseline], ['accounts', 'changed', false, path.join('accounts', 'stable-layout.lock.json')]);
    const rules = new Set(rust.errors.map((f) => f.rule));
    assert.ok(rules.has('memory-layout-break') && rules.has('storable-schema-break'), [...rules].join());
    assert.ok(rust.errors.every((f) => f.severity === 'error' && f.line > 0));
    assert.equal(motoko.verdict?.compatible, false);
    assert.deepEqual(
      motoko.verdict?.messages.map((m) => m.code),
      ['M0169'],
    );
    assert.match(motoko.verdict!.messages[0].message, /`legacy`/);
    assert.deepEqual(
      motoko.errors.map((f) => f.rule),
      ['stable-signature-break'],
    );

    const md = run(dir, 'report');
    assert.equal(md.code, 1, 'exit codes as check: errors are at or above --fail-on');
    assert.match(md.stdout, /^### ❌ accounts$/m);
    assert.match(md.stdout, /^\| `MemoryId 6` \| reassigned \| `StableBTreeMap TOKENS` \| `StableBTreeMap SESSIONS` \|$/m);
    assert.match(md.stdout, /^Compiler verdict \(moc --stable-compatible\): \*\*incompatible\*\*$/m);
    // The README shows an excerpt of this very report.
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const sample = /```markdown\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = md.stdout.split('\n');
    assert.ok(sample.includes('| `MemoryId 6` |'), 'the README shows the report');
    assert.deepEqual(
      sample.split('\n').filter((l) => l.trim() && !lines.includes(l)),
      [],
    );
    const text = run(dir, 'report', '--format', 'text');
    assert.match(text.stdout, /^ {2}Profile\.bio +field changed: String -> Option<String>$/m);
    assert.match(text.stdout, /^ {2}limit +initializer changed; deployed canisters keep the stored value: 10 -> 20$/m);
  });

  it('against a git revision (read with git show), and Motoko against the .most dfx built', () => {
    const { dir, upgrade } = workspace('git');
    commitAll(dir);
    assert.equal(run(dir, 'lock').code, 0);
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'shop', 'stable-layout.lock.json'), 'utf8'));
    const most = path.join(dir, 'shop', '.dfx', 'local', 'canisters', 'Shop', 'Shop.most');
    fs.mkdirSync(path.dirname(most), { recursive: true });
    fs.writeFileSync(most, lock.canisters.Shop.signature.join('\n') + '\n');
    upgrade();
    const git = json(dir, '--baseline', 'git:main');
    assert.deepEqual(
      git.canisters.map((c) => c.baseline),
      ['git:main', 'git:main'],
    );
    assert.deepEqual(changes(git), [...RUST_CHANGES, ...MOTOKO_CHANGES]);
    // A .most records no initializers, so that change cannot be seen against it; Rust keeps its lockfile.
    const dfx = byLanguage(json(dir, '--baseline', 'dfx'), 'motoko');
    assert.equal(dfx.canisters[0].baseline, path.join('shop', '.dfx', 'local', 'canisters', 'Shop', 'Shop.most'));
    assert.deepEqual(
      changes(dfx),
      MOTOKO_CHANGES.filter((c) => !c.startsWith('initializer')),
    );
  });

  it('says why instead of failing: no baseline, an unknown ref, a bad format, a missing path', () => {
    const { dir } = workspace('none');
    const none = json(dir, 'accounts', '--fail-on', 'error');
    assert.deepEqual([none.canisters[0].state, none.canisters[0].baseline], ['no-baseline', undefined]);
    assert.match(run(dir, 'report', 'accounts').stdout, /no baseline to compare with \(run `stable-lens lock` and commit the lockfile\)/);
    const unknown = run(dir, 'report', 'accounts', '--baseline', 'git:nope');
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
