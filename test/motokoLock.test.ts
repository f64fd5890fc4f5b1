import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { FileSystem } from '../server/src/core/fileSystem';
import { parseMotokoLock } from '../server/src/lockfile/motoko';
import { builtSignatureFiles } from '../server/src/lockfile/motokoBaseline';
import { readProject } from '../server/src/motoko/project/project';
import { compatMessage } from '../server/src/rules/stable-signature-break';
import { ensureBuilt } from './lsp/client';

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-molock-')));

const ledger = (vars: string) => `persistent actor Ledger {\n${vars}\n  public func hit() : async () {\n    count += 1;\n  };\n};\n`;
const ADMIN = 'persistent actor Admin {\n  let owner = "alice";\n  public query func who() : async Text { owner };\n};\n';

/** A dfx project; with `admin`, two canisters share a folder and so one lockfile. Each signature compile takes a second or two. */
function project(vars: string, admin = true): string {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'src', 'backend'), { recursive: true });
  const canisters = { backend: { type: 'motoko', main: 'src/backend/main.mo' }, ...(admin ? { admin: { type: 'motoko', main: 'src/backend/admin.mo' } } : {}) };
  fs.writeFileSync(path.join(dir, 'dfx.json'), JSON.stringify({ canisters }));
  fs.writeFileSync(path.join(dir, 'src', 'backend', 'main.mo'), ledger(vars));
  if (admin) fs.writeFileSync(path.join(dir, 'src', 'backend', 'admin.mo'), ADMIN);
  return dir;
}

describe('stable-lens lock and check on Motoko canisters (bundled CLI)', () => {
  before(() => ensureBuilt());

  it('records a canister next to its main file, and --check fails until it is recorded and again after a change', () => {
    const dir = project('  var count : Nat = 0;\n  var total : Int = 0;', false);
    const lockfile = path.join(dir, 'src', 'backend', 'stable-layout.lock.json');
    const missing = run(['lock', '--check'], dir);
    assert.equal(missing.status, 1);
    assert.equal(missing.stdout, 'missing: src/backend/stable-layout.lock.json\n');
    assert.equal(fs.existsSync(lockfile), false, '--check never writes');

    assert.equal(run(['lock'], dir).stdout, 'wrote: src/backend/stable-layout.lock.json\n');
    const text = fs.readFileSync(lockfile, 'utf8');
    const lock = JSON.parse(text);
    assert.ok(text.endsWith('}\n') && text.startsWith('{\n  "canisters": {\n    "backend": {'), 'sorted keys, two spaces, trailing newline');
    // The dfx.json names no dfx version, so the compiler is unknown and compiles classic actors; the actor is persistent by keyword.
    assert.deepEqual(lock.canisters.backend.persistence, { actor: 'persistent', flag: '--legacy-actors', migration: 'none' });
    assert.deepEqual(lock.canisters.backend.signature, ['// Version: 1.0.0', 'actor {', '  stable var count : Nat;', '  stable var total : Int', '};']);
    assert.deepEqual(lock.canisters.backend.variables.count, { initializer: '0', kind: 'var', type: 'Nat' });

    const upToDate = run(['lock', '--check'], dir);
    assert.equal(upToDate.status, 0);
    assert.equal(upToDate.stdout, 'up to date: src/backend/stable-layout.lock.json\n');

    // Narrowing `total` breaks the upgrade: the check reports it with the recorded line, and --check sees the drift.
    fs.writeFileSync(path.join(dir, 'src', 'backend', 'main.mo'), ledger('  var count : Nat = 0;\n  var total : Nat = 0;'));
    const stale = run(['lock', '--check'], dir);
    assert.equal(stale.status, 1);
    assert.equal(stale.stdout, 'out of date: src/backend/stable-layout.lock.json\n');
    assert.equal(fs.readFileSync(lockfile, 'utf8'), text, '--check never writes');
    const check = run(['check', '.'], dir);
    assert.equal(check.status, 1);
    assert.match(
      check.stdout,
      /src\/backend\/main\.mo:3:7 error +stable-signature-break the new type of stable variable `total` is not compatible with the previous version; .* \(M0170\)\n {4}src\/backend\/stable-layout\.lock\.json:\d+:\d+ recorded in stable-layout\.lock\.json: stable var total : Int\n/,
    );
  });

  it('keys canisters that share a folder by name, and keeps the entry of one that does not compile', () => {
    const dir = project('  var count : Nat = 0;');
    const lockfile = path.join(dir, 'src', 'backend', 'stable-layout.lock.json');
    run(['lock'], dir);
    const before = fs.readFileSync(lockfile, 'utf8');
    const lock = JSON.parse(before);
    assert.deepEqual(Object.keys(lock.canisters), ['admin', 'backend']);
    assert.deepEqual(lock.canisters.admin.variables.owner, { initializer: '"alice"', kind: 'let', type: 'Text' });
    fs.writeFileSync(path.join(dir, 'src', 'backend', 'main.mo'), ledger('  var count : Nat = "zero";'));
    const res = run(['lock'], dir);
    assert.equal(res.status, 1);
    assert.equal(res.stdout, 'not recorded: src/backend/main.mo\nup to date: src/backend/stable-layout.lock.json\n');
    assert.match(res.stderr, /cannot record canister backend: it does not compile/);
    assert.equal(fs.readFileSync(lockfile, 'utf8'), before);
  });

  it('compares with a git revision without checking it out', () => {
    const dir = tmp();
    const file = path.join(dir, 'main.mo');
    fs.writeFileSync(file, ledger('  var count : Nat = 0;\n  var users : [Text] = [];\n  let fee = 10;'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'v1');
    fs.writeFileSync(file, ledger('  var count : Nat = 0;\n  let fee = 25;'));
    const res = run(['check', '.', '--format', 'json', '--baseline', 'git:HEAD'], dir);
    const findings = JSON.parse(res.stdout)
      .findings.filter((f: { rule: string }) => !/^M\d/.test(f.rule))
      .map((f: { rule: string; line: number; column: number }) => `${f.rule}@${f.line}:${f.column}`);
    // The literal `let` is also pinned by implicit stability: a hint.
    assert.deepEqual(findings, ['stable-signature-break@1:18', 'implicit-stable-constant@3:7', 'initializer-change-ignored@3:13']);
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }), ' M main.mo\n', 'the work tree is untouched');
    assert.match(run(['check', '.', '--baseline', 'git:no-such-ref'], dir).stderr, /cannot read git revision no-such-ref/);
    // A ref that git would read as an option never reaches it.
    const option = run(['check', '.', '--baseline', 'git:--output=pwned'], dir);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /a git ref cannot start with '-'/);
  });
});

describe('Motoko baselines and lockfiles', () => {
  it('takes built signatures in order: mops check-stable, dfx on ic, then local (.most before .old.most), then mops build output', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'mops.toml'), '[canisters.app]\nmain = "main.mo"\n\n[canisters.app.check-stable]\npath = "deployed.most"\n');
    const files = [
      'deployed.most',
      '.dfx/local/canisters/app/app.most',
      '.dfx/local/canisters/app/app.old.most',
      '.dfx/ic/canisters/app/app.old.most',
      '.mops/.build/app.most',
    ];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), 'actor {};\n');
    }
    const p = readProject(new FileSystem(), dir, () => undefined)!;
    const order = builtSignatureFiles(new FileSystem(), p, p.canisters[0]).map((f) => path.relative(dir, f));
    assert.deepEqual(order, [
      'deployed.most',
      '.dfx/ic/canisters/app/app.old.most',
      '.dfx/local/canisters/app/app.most',
      '.dfx/local/canisters/app/app.old.most',
      '.mops/.build/app.most',
    ]);
  });

  it('refuses broken and Rust lockfiles with a message instead of trusting them', () => {
    assert.match((parseMotokoLock('x.json', '{') as { error: string }).error, /not valid JSON/);
    assert.match((parseMotokoLock('x.json', '{"language":"rust","memoryIds":{}}') as { error: string }).error, /records a Rust crate/);
    const loaded = parseMotokoLock('x.json', '{"language":"motoko","canisters":{"a":{"signature":["actor {};"],"variables":{"n":{"type":"Nat"}}},"b":3}}');
    assert.ok(!('error' in loaded));
    assert.deepEqual(Object.keys(loaded.lock.canisters), ['a']);
    assert.deepEqual(loaded.lock.canisters.a.variables, { n: { kind: 'var', type: 'Nat' } });
  });

  it("turns the compiler's multi-line message into one sentence without the link", () => {
    const raw =
      'the new type of stable variable `a` is not compatible with the previous version.\n The previous type\n  var Int\n is not a subtype of\n  var Nat\n because the type \n  Int\n is not compatible with type \n  Nat\n in `a`.\n Write an explicit migration function, please see https://internetcomputer.org/docs/motoko/fundamentals/actors/compatibility#explicit-migration-using-a-migration-function.';
    assert.equal(
      compatMessage(raw),
      'the new type of stable variable `a` is not compatible with the previous version; the previous type var Int is not a subtype of var Nat because the type Int is not compatible with type Nat in `a`; write an explicit migration function',
    );
  });
});
