import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { rules } from '../server/src/rules/registry';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const heapFixture = 'test/fixtures/rules/heap-state-lost-on-upgrade/invalid.rs';
const validFixture = 'test/fixtures/rules/heap-state-lost-on-upgrade/valid.rs';

function run(args: string[], cwd = root) {
  const res = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('the bundled CLI (dist/cli.js)', () => {
  before(() => {
    if (!fs.existsSync(cli)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  });

  it('prints the documented JSON format and exits 1 on warnings', () => {
    const { code, stdout, stderr } = run(['check', heapFixture, '--format', 'json']);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const json = JSON.parse(stdout);
    assert.deepEqual(Object.keys(json), ['version', 'findings']);
    assert.equal(json.version, 1);
    assert.ok(json.findings.length >= 5);
    for (const f of json.findings) {
      assert.deepEqual(Object.keys(f), ['rule', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message']);
      assert.equal(f.file, heapFixture);
    }
    const profiles = json.findings.find((f: { message: string }) => f.message.includes('`PROFILES`'));
    // PROFILES sits on line 11, columns 12-19 (1-based, end exclusive like ESLint's endColumn).
    assert.deepEqual(
      {
        rule: profiles.rule,
        severity: profiles.severity,
        line: profiles.line,
        column: profiles.column,
        endLine: profiles.endLine,
        endColumn: profiles.endColumn,
      },
      { rule: 'heap-state-lost-on-upgrade', severity: 'warning', line: 11, column: 12, endLine: 11, endColumn: 20 },
    );
  });

  it('exits 0 with no findings on valid code', () => {
    const { code, stdout } = run(['check', validFixture, '--format', 'json']);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), { version: 1, findings: [] });
  });

  it('honours --fail-on and --rule', () => {
    assert.equal(run(['check', heapFixture, '--fail-on', 'error']).code, 0);
    const off = run(['check', heapFixture, '--format', 'json', '--rule', 'heap-state-lost-on-upgrade=off', '--rule', 'pre-upgrade-serialization=off']);
    assert.equal(off.code, 0);
    assert.deepEqual(JSON.parse(off.stdout).findings, []);
    const raised = run([
      'check',
      heapFixture,
      '--format',
      'json',
      '--rule=heap-state-lost-on-upgrade=error',
      '--rule=pre-upgrade-serialization=error',
      '--fail-on',
      'error',
    ]);
    assert.equal(raised.code, 1);
    assert.ok(JSON.parse(raised.stdout).findings.every((f: { severity: string }) => f.severity === 'error'));
  });

  it('prints file:line:col severity rule message lines and a summary', () => {
    const { stdout } = run(['check', heapFixture]);
    assert.match(stdout, /^test\/fixtures\/rules\/heap-state-lost-on-upgrade\/invalid\.rs:11:12 warning +heap-state-lost-on-upgrade `PROFILES`/m);
    assert.match(stdout, /0 error\(s\), 7 warning\(s\), 0 info in 1 Rust file\(s\)/);
    assert.doesNotMatch(stdout, /\x1b\[/);
  });

  it('prints SARIF 2.1.0 with rule help links', () => {
    const { stdout } = run(['check', heapFixture, '--format', 'sarif']);
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.equal(run0.tool.driver.name, 'stable-lens');
    assert.equal(run0.tool.driver.rules.length, rules.length);
    for (const r of run0.tool.driver.rules) assert.match(r.helpUri, new RegExp(`docs/rules/${r.id}\\.md$`));
    const result = run0.results[0];
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, heapFixture);
    assert.equal(run0.tool.driver.rules[result.ruleIndex].id, result.ruleId);
  });

  it('exits 2 with a clear message on usage errors and missing paths', () => {
    const bad = run(['check', '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be text, json, sarif or github/);
    const missing = run(['check', 'no/such/dir']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder/);
    assert.doesNotMatch(missing.stderr, /at .*\.js:\d+/, 'no stack trace');
    assert.equal(run(['frobnicate']).code, 2);
    assert.equal(run(['check', '--rule', 'nope=off']).code, 2);
    assert.equal(run(['explain', 'nope']).code, 2);
  });

  it('lists rules and explains one', () => {
    const list = run(['rules']);
    assert.equal(list.code, 0);
    for (const r of rules) assert.match(list.stdout, new RegExp(`^${r.id} `, 'm'));
    const explain = run(['explain', 'duplicate-memory-id']);
    assert.match(explain.stdout, /^# duplicate-memory-id/);
    assert.match(explain.stdout, /## Why is this bad\?/);
  });

  it('prints the memory map of a crate as text and JSON', () => {
    const dir = 'test/fixtures/rules/duplicate-memory-id/cross-file';
    const json = JSON.parse(run(['map', dir, '--json']).stdout);
    assert.equal(json.version, 1);
    const [canister] = json.canisters;
    assert.equal(canister.name, 'cross-file');
    assert.equal(canister.library, 'ic-stable-structures 0.6.9 (Cargo.toml)');
    assert.deepEqual(
      canister.ids.map((e: { id: number }) => e.id),
      [7],
    );
    assert.deepEqual(canister.conflicts, [{ id: 7, structures: ['PROFILE_MAP', 'SESSION_MAP'] }]);
    assert.equal(canister.nextFreeId, 0);
    const text = run(['map', dir]).stdout;
    assert.match(text, /cross-file \(.*cross-file\) · ic-stable-structures 0\.6\.9/);
    assert.match(text, /^ +7 +PROFILE_MAP +StableBTreeMap<u64, u64> +init/m);
  });

  it('skips binary, non-UTF-8 and oversized files with one warning each, and still analyses the rest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-bad-'));
    fs.writeFileSync(path.join(dir, 'binary.rs'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    fs.writeFileSync(path.join(dir, 'latin1.rs'), Buffer.from('// caf\xe9\nfn main() {}\n', 'latin1'));
    fs.writeFileSync(path.join(dir, 'huge.rs'), Buffer.alloc(6 * 1024 * 1024, 0x20));
    fs.symlinkSync(path.join(dir, 'gone.rs'), path.join(dir, 'dangling.rs'));
    fs.copyFileSync(path.join(root, heapFixture), path.join(dir, 'state.rs'));
    const { code, stdout, stderr } = run(['check', dir, '--format', 'json']);
    assert.equal(code, 1);
    assert.match(stderr, /binary\.rs: skipped, it looks like a binary file/);
    assert.match(stderr, /latin1\.rs: skipped, it is not valid UTF-8/);
    assert.match(stderr, /huge\.rs: skipped, 6\.0 MB is larger than the 5 MB limit/);
    assert.doesNotMatch(stderr, /at .*\.js:\d+/);
    assert.ok(JSON.parse(stdout).findings.some((f: { file: string }) => f.file.endsWith('state.rs')));
  });

  it('shows every rule at least once on the bundled examples workspace', () => {
    const { code, stdout } = run(['check', 'examples', '--format', 'json']);
    assert.equal(code, 1);
    const findings: { rule: string; file: string }[] = JSON.parse(stdout).findings;
    const seen = new Set(findings.map((f) => f.rule));
    // Not a rule but a note: examples/mops.toml declares `core` without `mops install`, so the bundled core stands in.
    assert.ok(seen.delete('bundled-core'), 'the bundled-core note on examples/mops.toml');
    assert.deepEqual([...seen].sort(), rules.map((r) => r.id).sort());
    // The Motoko canister shows the Motoko rules and the Motoko side of initializer-change-ignored.
    const guestbook = new Set(findings.filter((f) => f.file === 'examples/src/guestbook/main.mo').map((f) => f.rule));
    const motoko = [...rules.filter((r) => r.language === 'motoko').map((r) => r.id), 'initializer-change-ignored'];
    assert.deepEqual([...guestbook].sort(), motoko.sort());
  });

  it("prints every line of the README's sample output on the examples workspace", () => {
    // The README shows excerpts of `npm start`: its two text blocks, the findings and the map.
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length >= 2, 'the sample findings and the sample map');
    const output = `${run(['check', 'examples']).stdout}\n${run(['map', 'examples']).stdout}`.split('\n');
    const stale = blocks.flatMap((b) => b.split('\n')).filter((line) => line.trim() && !output.includes(line));
    assert.deepEqual(stale, []);
  });
});
