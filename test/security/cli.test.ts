import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI, ensureBuilt } from '../lsp/client';
import { makeWorkspace, MARKER, readSpyLog, snapshot, spyEnv } from './workspace';

/**
 * The CLI analyses a workspace full of things that would run code (build.rs, a dfx packtool, mops,
 * npm scripts, a rustc wrapper) and must run none of them, open no connection and write nothing:
 * every call is recorded by a preloaded spy, and the workspace is compared byte for byte.
 */
describe('security: the CLI', () => {
  const dirs: string[] = [];
  before(() => ensureBuilt());
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function run(args: string[], dir: string) {
    const log = path.join(path.dirname(dir), `${path.basename(dir)}.spy.log`);
    dirs.push(log);
    const res = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: spyEnv(log), timeout: 120_000 });
    return { ...res, records: readSpyLog(log) };
  }

  it('check and map execute nothing, connect nowhere and leave every file as it was', () => {
    const dir = makeWorkspace();
    dirs.push(dir);
    const before = snapshot(dir);
    const check = run(['check', '.', '--format', 'json'], dir);
    assert.equal(check.status, 1, check.stderr);
    const rules = new Set(JSON.parse(check.stdout).findings.map((f: { rule: string }) => f.rule));
    // Both languages were analysed, so the Motoko worker and the Rust rules really ran.
    assert.ok(rules.has('duplicate-memory-id') && rules.has('M0218'), [...rules].join(', '));
    const map = run(['map', '.', '--json'], dir);
    assert.equal(map.status, 0, map.stderr);
    for (const { records } of [check, map]) {
      assert.deepEqual(
        records.filter((r) => r.kind !== 'preload'),
        [],
        'no process, connection or write',
      );
      assert.ok(
        records.some((r) => r.kind === 'preload' && r.thread !== 'main'),
        'the spy also watched the Motoko worker thread',
      );
    }
    assert.equal(fs.existsSync(path.join(dir, MARKER)), false);
    assert.deepEqual(snapshot(dir), before, 'no file was created, changed or touched');
  });

  it('runs the packtool only when asked to with --run-package-tools (the spy sees it)', () => {
    const dir = makeWorkspace();
    dirs.push(dir);
    const { status, records, stderr } = run(['check', '.', '--format', 'json', '--run-package-tools'], dir);
    assert.equal(status, 1, stderr);
    const execs = records.filter((r) => r.kind === 'exec' && r.pid === records[0].pid);
    // The packtool prints no package, so `mops sources` is tried next.
    assert.deepEqual(
      execs.map((r) => String(r.detail[1]).split(' ')[0]),
      ['node', 'mops'],
      JSON.stringify(records),
    );
    assert.equal(fs.existsSync(path.join(dir, MARKER)), true, 'the tool ran, so the spy saw a real spawn');
  });
});
