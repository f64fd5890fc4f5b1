import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureBuilt } from './lsp/client';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const transient = 'test/fixtures/rules/transient-user-data/invalid.mo';

function run(args: string[], cwd = root) {
  const res = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('the bundled CLI on Motoko (dist/cli.js with dist/motokoWorker.js)', () => {
  before(() => ensureBuilt());

  it('checks a .mo file with the compiler in its worker and prints the JSON format', () => {
    const { code, stdout, stderr } = run(['check', transient, '--format', 'json']);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const { findings } = JSON.parse(stdout);
    assert.deepEqual(
      findings.map((f: Record<string, unknown>) => `${f.rule} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`),
      ['transient-user-data 6:17-6:23', 'transient-user-data 8:17-8:20'],
    );
    assert.ok(findings.every((f: { file: string }) => f.file === transient));
  });

  it('reports compiler codes with their severity, and counts Motoko files in the text summary', () => {
    const { code, stdout } = run(['check', 'test/fixtures/compiler/M0219/invalid.mo']);
    assert.equal(code, 1);
    assert.match(stdout, /invalid\.mo:3:3 error +M0219 this declaration is currently implicitly transient/);
    assert.match(stdout, /1 error\(s\), 0 warning\(s\), 0 info in 0 Rust and 1 Motoko file\(s\)/);
  });

  it('shows every compiler diagnostic with --motoko-diagnostics all, and none with none', () => {
    const dir = 'test/fixtures/compiler/quiet-default';
    const rules = (mode: string) =>
      JSON.parse(run(['check', dir, '--format', 'json', '--motoko-diagnostics', mode]).stdout).findings.map((f: { rule: string }) => f.rule);
    assert.deepEqual(rules('upgrade'), ['M0050']);
    assert.deepEqual(rules('all').sort(), ['M0050', 'M0050', 'M0194']);
    assert.deepEqual(rules('none'), []);
    assert.equal(run(['check', dir, '--motoko-diagnostics', 'some']).code, 2);
  });

  it('prints SARIF for Motoko findings', () => {
    const sarif = JSON.parse(run(['check', transient, '--format', 'sarif']).stdout);
    const results = sarif.runs[0].results;
    assert.equal(results.length, 2);
    assert.equal(results[0].ruleId, 'transient-user-data');
    assert.equal(sarif.runs[0].tool.driver.rules[results[0].ruleIndex].id, 'transient-user-data');
  });

  it('checks Rust and Motoko side by side in one folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-mixed-'));
    fs.copyFileSync(path.join(root, 'test/fixtures/rules/heap-state-lost-on-upgrade/invalid.rs'), path.join(dir, 'state.rs'));
    fs.copyFileSync(path.join(root, transient), path.join(dir, 'shop.mo'));
    const { stdout } = run(['check', dir, '--format', 'json']);
    const rules = new Set(JSON.parse(stdout).findings.map((f: { rule: string }) => f.rule));
    assert.ok(rules.has('heap-state-lost-on-upgrade') && rules.has('transient-user-data'), [...rules].join(', '));
  });

  it('lists a Motoko canister with its stable variables and compiled types in the map', () => {
    const dir = 'test/fixtures/compiler/core-not-installed';
    const json = JSON.parse(run(['map', dir, '--json']).stdout);
    const [canister] = json.canisters;
    assert.equal(canister.language, 'motoko');
    assert.equal(canister.main, `${dir}/src/main.mo`);
    assert.equal(canister.persistent, true);
    assert.deepEqual(
      canister.stableVariables.map((v: { name: string; kind: string; location: { line: number } }) => `${v.kind} ${v.name} @${v.location.line}`),
      ['let stock @7'],
    );
    assert.match(canister.stableVariables[0].type, /^\{\s*var root : Node<Nat, Nat>; var size : Nat\s*\}$/);
    const text = run(['map', dir]).stdout;
    assert.match(text, /persistent actor/);
    assert.match(text, /stable +let stock +\{/);
  });
});
