import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FileSystem } from '../server/src/core/fileSystem';
import { flagsFor, readProject } from '../server/src/motoko/project/project';
import { compareVersions, mocOfDfx } from '../server/src/motoko/project/toolchain';
import { readIcpYaml } from '../server/src/motoko/project/buildFiles';

/** Writes a project from a map of relative paths to texts and reads it back. */
function project(files: Record<string, string>) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-tc-')));
  // A `.git` folder stops the search for CI files at this project.
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const read = readProject(new FileSystem(), dir, () => undefined)!;
  return { dir, project: read, toolchain: read.toolchain!, mode: flagsFor(read, path.join(dir, 'main.mo')).args[0] };
}

const DFX = (version: string) => JSON.stringify({ dfx: version, canisters: { a: { type: 'motoko', main: 'main.mo' } } });

describe('Motoko toolchain detection', () => {
  it('maps dfx releases to the moc they bundle, older rows as lower bounds', () => {
    assert.deepEqual(mocOfDfx('0.24.3'), { moc: '0.13.4', approximate: false });
    assert.deepEqual(mocOfDfx('0.29.1'), { moc: '0.16.1', approximate: false });
    assert.deepEqual(mocOfDfx('0.30.2'), { moc: '0.16.1', approximate: true });
    assert.deepEqual(mocOfDfx('0.16.0'), { moc: undefined, approximate: true });
    assert.deepEqual(mocOfDfx('latest'), { approximate: true });
    assert.ok(compareVersions('0.31.0-beta.1', '0.31.0') === 0 && compareVersions('1.0.0', '0.99.9') > 0);
  });

  it('prefers the mops.toml pin over dfx.json, and compiles a pre-0.15 project as classic', () => {
    const { toolchain, mode } = project({ 'mops.toml': '[toolchain]\nmoc = "0.14.14"\n', 'dfx.json': DFX('0.29.1') });
    assert.equal(toolchain.moc, '0.14.14');
    assert.equal(toolchain.semantics, 'classic');
    assert.equal(toolchain.loc?.start, 12);
    assert.equal(mode, '--legacy-actors');
  });

  it('takes the project flags from moc 0.15 on, by dfx version', () => {
    const { toolchain, mode } = project({ 'dfx.json': DFX('0.29.1') });
    assert.equal(toolchain.semantics, 'project');
    assert.equal(mode, '--require-persistent-actors');
  });

  it('reads CI files: `mops toolchain use moc` and DFX_VERSION', () => {
    const mops = project({ 'mops.toml': '', '.github/workflows/ci.yml': 'steps:\n  - run: mops toolchain use moc 0.13.2\n' });
    assert.equal(mops.toolchain.moc, '0.13.2');
    assert.equal(mops.toolchain.semantics, 'classic');
    const dfx = project({ 'mops.toml': '', '.github/workflows/ci.yml': 'env:\n  DFX_VERSION: 0.32.0\n' });
    assert.equal(dfx.toolchain.moc, '1.4.1');
    assert.equal(dfx.mode, '--require-persistent-actors');
  });

  it('falls back to the vessel package set, then the base version, then unknown', () => {
    assert.equal(project({ 'vessel.dhall': '{}', 'package-set.dhall': 'let u = x/mo-0.10.3-2024/package-set.dhall\n' }).toolchain.moc, '0.10.3');
    const base = project({ 'mops.toml': '[dependencies]\nbase = "0.16.0"\n' });
    assert.equal(base.toolchain.semantics, 'project');
    assert.equal(base.toolchain.approximate, true);
    const unknown = project({ 'mops.toml': '[dependencies]\ncore = "1.0.0"\n' });
    assert.equal(unknown.toolchain.semantics, 'unknown');
    assert.equal(unknown.mode, '--legacy-actors');
  });

  it('trusts an explicit persistence flag over a missing version, and survives broken manifests', () => {
    const flagged = project({ 'mops.toml': '[moc]\nargs = ["--default-persistent-actors"]\n' });
    assert.equal(flagged.mode, '--default-persistent-actors');
    const broken = project({ 'mops.toml': '[toolchain\nmoc = ', 'dfx.json': '{"dfx": ', 'package-set.dhall': '\u0000' });
    assert.equal(broken.toolchain.semantics, 'unknown');
  });

  it('reads the Motoko canisters and flags of icp.yaml: the recipe and moc script commands', () => {
    const yaml = [
      'canisters:',
      '  - name: backend',
      '    recipe:',
      '      type: "@dfinity/motoko@v4.1.0"',
      '      configuration:',
      '        main: src/backend/main.mo',
      '        args: "--default-persistent-actors --release"',
      '  - name: worker',
      '    build:',
      '      steps:',
      '        - type: script',
      '          commands:',
      '            - moc src/worker.mo --legacy-actors -o "$ICP_WASM_OUTPUT_PATH"',
      '  - name: frontend',
      '    recipe:',
      '      type: "@dfinity/asset-canister@v2.1.0"',
    ].join('\n');
    assert.deepEqual(readIcpYaml(yaml, '/p', 'p'), [
      { name: 'backend', main: '/p/src/backend/main.mo', args: ['--default-persistent-actors'] },
      { name: 'worker', main: '/p/src/worker.mo', args: ['--legacy-actors'] },
    ]);
    const canister = project({
      'icp.yaml': 'canisters:\n  - backend\n',
      'backend/canister.yaml': 'name: backend\nrecipe:\n  configuration:\n    main: main.mo\n    args: --default-persistent-actors\n',
    });
    assert.equal(canister.toolchain.semantics, 'project');
  });
});
