import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { FIXTURES } from './harness/fixtures';

/**
 * The conversion fixes' proof: the `.fixed` crates build with cargo against small stand-ins for
 * ic-stable-structures and ic-cdk (test/compile/; crates.io is out of reach here), and the fixed
 * profile registry keeps its entries across an "upgrade" (a second process that shares only the
 * stable memory file) while the original crate loses them.
 */
const STANDINS = path.join(__dirname, 'compile');
const CASES = path.join(FIXTURES, 'rules', 'heap-state-lost-on-upgrade');
const DRIVER = path.join(STANDINS, 'profile-registry-driver.rs');
const STANDIN_DEPS: Record<string, string> = {
  'ic-cdk': path.join(STANDINS, 'ic-cdk'),
  'ic-stable-structures': path.join(STANDINS, 'ic-stable-structures'),
};

/** Crates of the workspace: the registry twice (run), the other fixed crates (built only). */
const MEMBERS = [
  { name: 'registry-original', from: 'convert-profile-registry', run: true },
  { name: 'registry-fixed', from: 'convert-profile-registry.fixed', run: true },
  { name: 'vec-log', from: 'convert-vec-log.fixed', run: false },
  { name: 'cross-module', from: 'convert-cross-module.fixed', run: false },
  { name: 'existing-memory', from: 'convert-existing-memory.fixed', run: false },
];

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.split(path.sep).includes('target'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A hash of every input, so a cached workspace is reused only when nothing changed. */
function inputsHash(): string {
  const h = createHash('sha256');
  // The manifests name the stand-ins by absolute path: a copy of the repository elsewhere needs its own workspace.
  h.update(`${STANDINS}\0`);
  for (const dir of [STANDINS, ...MEMBERS.map((m) => path.join(CASES, m.from))]) {
    for (const f of filesUnder(dir))
      h.update(`${path.relative(__dirname, f)}\0`)
        .update(fs.readFileSync(f))
        .update('\0');
  }
  h.update(fs.readFileSync(__filename));
  return h.digest('hex').slice(0, 16);
}

/** The fixture's manifest with its dependencies pointed at the stand-ins; a runnable crate becomes a binary. */
function manifestFor(fixtureManifest: string, name: string, run: boolean): string {
  const doc = parseToml(fs.readFileSync(fixtureManifest, 'utf8')) as { dependencies?: Record<string, unknown> };
  const deps = Object.keys(doc.dependencies ?? {}).map((dep) => {
    const standIn = STANDIN_DEPS[dep];
    assert.ok(standIn, `${fixtureManifest}: no stand-in for dependency ${dep}`);
    return `${dep} = { path = ${JSON.stringify(standIn)} }`;
  });
  const target = run ? ['autolib = false', '', '[[bin]]', `name = "${name}"`, 'path = "src/lib.rs"'] : ['', '[lib]', 'path = "src/lib.rs"'];
  return ['[package]', `name = "${name}"`, 'version = "0.1.0"', 'edition = "2021"', ...target, '', '[dependencies]', ...deps, ''].join('\n');
}

function writeWorkspace(root: string): void {
  const done = path.join(root, '.complete');
  if (fs.existsSync(done)) return;
  fs.rmSync(root, { recursive: true, force: true });
  for (const m of MEMBERS) {
    const dir = path.join(root, m.name);
    fs.cpSync(path.join(CASES, m.from), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Cargo.toml'), manifestFor(path.join(CASES, m.from, 'Cargo.toml'), m.name, m.run));
    if (m.run) fs.appendFileSync(path.join(dir, 'src', 'lib.rs'), fs.readFileSync(DRIVER, 'utf8'));
  }
  const members = MEMBERS.map((m) => JSON.stringify(m.name)).join(', ');
  fs.writeFileSync(path.join(root, 'Cargo.toml'), `[workspace]\nmembers = [${members}]\nresolver = "2"\n`);
  fs.writeFileSync(done, '');
}

/** cargo from PATH, or rustup's default location when PATH lacks it. */
function cargo(): string {
  const onPath = spawnSync('cargo', ['--version']);
  if (!onPath.error) return 'cargo';
  const home = path.join(os.homedir(), '.cargo', 'bin', 'cargo');
  assert.ok(fs.existsSync(home), 'cargo is required for the compile test and was not found on PATH or in ~/.cargo/bin');
  return home;
}

describe('converted crates compile and keep their state across an upgrade', () => {
  const root = path.join(os.tmpdir(), `stable-lens-compile-${inputsHash()}`);
  const binary = (name: string) => path.join(root, 'target', 'debug', name);

  before(() => {
    writeWorkspace(root);
    const build = spawnSync(cargo(), ['build', '--offline', '--workspace', '--quiet'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, RUSTFLAGS: '-A warnings' },
    });
    assert.equal(build.status, 0, `cargo build failed:\n${build.stderr}`);
  });

  function lifecycle(name: string): { install: string; upgrade: string } {
    const memory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-memory-')), 'stable-memory.bin');
    const stage = (s: string) => {
      const r = spawnSync(binary(name), [s], { encoding: 'utf8', env: { ...process.env, STABLE_MEMORY_FILE: memory } });
      assert.equal(r.status, 0, `${name} ${s} failed:\n${r.stderr}`);
      return r.stdout;
    };
    return { install: stage('install'), upgrade: stage('upgrade') };
  }

  const installed = ['count 2', 'alice Some(1) Some("likes stable memory")', 'carol None', 'handles [("alice", 1), ("bob", 2)]', 'next id 9', ''].join('\n');

  it('the fixed profile registry finds every entry again after the upgrade', () => {
    const { install, upgrade } = lifecycle('registry-fixed');
    assert.equal(install, installed);
    assert.equal(upgrade, installed);
  });

  it('the original profile registry loses every entry across the same upgrade', () => {
    const { install, upgrade } = lifecycle('registry-original');
    assert.equal(install, installed);
    assert.equal(upgrade, ['count 0', 'alice None None', 'carol None', 'handles []', 'next id 1', ''].join('\n'));
  });
});
