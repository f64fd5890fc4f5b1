import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { gitRefStamp } from '../server/src/lockfile/gitStamp';
import { writeFileAtomic } from '../server/src/lockfile/io';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });

const MANIFEST = '[package]\nname = "vault"\nversion = "0.1.0"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nic-stable-structures = "0.7.2"\n';
const source = (structures: string) => `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
${structures}}
`;
const map = (name: string, id: number, k = 'u64') =>
  `    static ${name}: RefCell<StableBTreeMap<${k}, u64, Memory>> =\n        RefCell::new(StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(${id})))));\n`;

function crate(structures: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-lock-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'Cargo.toml'), MANIFEST);
  fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), source(structures));
  return dir;
}

describe('stable-lens lock', () => {
  it('writes a sorted, diff-friendly lockfile that --check accepts until the layout changes', () => {
    const dir = crate(map('USERS', 0) + map('ORDERS', 1));
    assert.equal(run(['lock', '--check'], dir).status, 1, 'a missing lockfile fails --check');
    const first = run(['lock'], dir);
    assert.equal(first.status, 0);
    assert.match(first.stdout, /wrote: stable-layout\.lock\.json/);
    const text = fs.readFileSync(path.join(dir, 'stable-layout.lock.json'), 'utf8');
    assert.ok(text.endsWith('}\n') && text.includes('\n  "memoryIds": {\n    "0": {'), 'two-space indent, sorted keys, trailing newline');
    const lock = JSON.parse(text);
    assert.deepEqual(Object.keys(lock.memoryIds), ['0', '1']);
    assert.deepEqual(lock.memoryIds['0'].key, { normalized: 'u64', written: 'u64' });
    assert.equal(run(['lock', '--check'], dir).stdout, 'up to date: stable-layout.lock.json\n');
    fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), source(map('USERS', 0)));
    const stale = run(['lock', '--check'], dir);
    assert.equal(stale.status, 1);
    assert.match(stale.stdout, /out of date: stable-layout\.lock\.json/);
    assert.equal(fs.readFileSync(path.join(dir, 'stable-layout.lock.json'), 'utf8'), text, '--check never writes');
  });

  it('keeps retired ids forever and reports their reuse', () => {
    const dir = crate(map('USERS', 0) + map('ORDERS', 1));
    run(['lock'], dir);
    fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), source(map('USERS', 0)));
    run(['lock'], dir);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'stable-layout.lock.json'), 'utf8')).retiredMemoryIds, [1]);
    fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), source(map('USERS', 0) + map('NOTES', 1)));
    const check = run(['check', '.', '--format', 'json'], dir);
    const rules = JSON.parse(check.stdout).findings.map((f: { rule: string; message: string }) => `${f.rule}: ${f.message}`);
    assert.deepEqual(rules, ['memory-layout-break: MemoryId 1 is retired: it may still hold old data, so `NOTES` must use a never-used id']);
    run(['lock'], dir);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'stable-layout.lock.json'), 'utf8')).retiredMemoryIds, [1], 'still retired after re-locking');
  });

  it('replaces the file atomically: a crash before the rename leaves the old file intact and no temporary file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-atomic-'));
    const file = path.join(dir, 'stable-layout.lock.json');
    fs.writeFileSync(file, 'old\n');
    assert.throws(
      () =>
        writeFileAtomic(file, 'new\n', {
          beforeRename: () => {
            throw new Error('power cut');
          },
        }),
      /power cut/,
    );
    assert.equal(fs.readFileSync(file, 'utf8'), 'old\n');
    assert.deepEqual(fs.readdirSync(dir), ['stable-layout.lock.json']);
    writeFileAtomic(file, 'new\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'new\n');
    assert.deepEqual(fs.readdirSync(dir), ['stable-layout.lock.json']);
  });

  it('compares with a git revision without checking it out', () => {
    const dir = crate(map('USERS', 0));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'v1');
    fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), source(map('USERS', 0, 'String')));
    const res = run(['check', '.', '--format', 'json', '--baseline', 'git:HEAD'], dir);
    const findings = JSON.parse(res.stdout).findings.map((f: { rule: string; line: number }) => `${f.rule}@${f.line}`);
    assert.deepEqual(findings, ['memory-layout-break@10']);
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }), ' M src/lib.rs\n', 'the work tree is untouched');
    const bad = run(['check', '.', '--baseline', 'git:no-such-ref'], dir);
    assert.match(bad.stderr, /cannot read git revision no-such-ref/);
  });

  it('stamps a git ref so a moved ref is noticed, in a linked work tree too', () => {
    const dir = crate(map('USERS', 0));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'v1');
    const head = gitRefStamp(dir, 'HEAD');
    const main = gitRefStamp(dir, 'main~0');
    assert.notEqual(head, '');
    assert.equal(gitRefStamp(dir, 'HEAD'), head, 'nothing moved');
    git('commit', '-q', '--allow-empty', '-m', 'v2');
    assert.notEqual(gitRefStamp(dir, 'HEAD'), head, 'a commit moves HEAD');
    assert.notEqual(gitRefStamp(dir, 'main~0'), main, 'and the branch');
    const linked = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-wt-')), 'wt');
    git('worktree', 'add', '-q', linked);
    const there = gitRefStamp(path.join(linked, 'src'), 'main');
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'v3'], { cwd: linked, stdio: 'pipe' });
    assert.notEqual(gitRefStamp(path.join(linked, 'src'), 'main'), there, 'a commit in the linked tree moves its HEAD');
    assert.equal(gitRefStamp(os.tmpdir(), 'HEAD'), '', 'no work tree, no stamp');
    fs.rmSync(path.dirname(linked), { recursive: true, force: true });
  });
});
