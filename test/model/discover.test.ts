import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { discoverCrates } from '../../server/src/rust/project/discover';
import { FileSystem } from '../../server/src/core/fileSystem';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-ws-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function discover(root: string) {
  const warnings: string[] = [];
  const { crates } = discoverCrates(new FileSystem(), [root], (w) => warnings.push(w));
  return { crates: crates.map((c) => ({ ...c, root: path.relative(root, c.root), files: c.files.map((f) => path.relative(root, f)) })), warnings };
}

describe('crate discovery', () => {
  it('inherits workspace dependency versions and prefers the Cargo.lock version that fits', () => {
    const root = tree({
      'Cargo.toml': '[workspace]\nmembers = ["a", "b"]\n[workspace.dependencies]\nic-stable-structures = "0.6"\n',
      'a/Cargo.toml': '[package]\nname = "a"\n[lib]\ncrate-type = ["cdylib"]\n[dependencies]\nic-stable-structures.workspace = true\n',
      'a/src/lib.rs': 'fn a() {}\n',
      'a/build.rs': 'fn main() {}\n',
      'b/Cargo.toml': '[package]\nname = "b"\n[dependencies]\nic-stable-structures = { version = "0.5.6" }\n',
      'b/src/lib.rs': 'fn b() {}\n',
    });
    let { crates } = discover(root);
    assert.deepEqual(
      crates.map((c) => [c.name, c.isCanister, c.stableStructures?.text, c.stableStructures?.source, c.files]),
      [
        ['a', true, '0.6', 'workspace', [path.join('a', 'src', 'lib.rs')]],
        ['b', false, '0.5.6', 'Cargo.toml', [path.join('b', 'src', 'lib.rs')]],
      ],
    );
    fs.writeFileSync(
      path.join(root, 'Cargo.lock'),
      '[[package]]\nname = "ic-stable-structures"\nversion = "0.5.6"\n\n[[package]]\nname = "ic-stable-structures"\nversion = "0.6.9"\n',
    );
    ({ crates } = discover(root));
    assert.deepEqual(
      crates.map((c) => [c.name, c.stableStructures?.text, c.stableStructures?.source]),
      [
        ['a', '0.6.9', 'Cargo.lock'],
        ['b', '0.5.6', 'Cargo.lock'],
      ],
    );
  });

  it('treats Rust canisters named in dfx.json as canisters and warns once about broken manifests', () => {
    const root = tree({
      'dfx.json': '{"canisters": {"backend": {"type": "rust", "package": "backend"}, "web": {"type": "assets"}}}',
      'backend/Cargo.toml': '[package]\nname = "backend"\n',
      'backend/src/main.rs': 'fn main() {}\n',
      'broken/Cargo.toml': '[package\nname = ',
      'broken/src/lib.rs': 'fn x() {}\n',
    });
    const { crates, warnings } = discover(root);
    assert.deepEqual(
      crates.map((c) => [c.name, c.isCanister]),
      [
        ['backend', true],
        ['broken', false],
      ],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /broken.Cargo\.toml: cannot read Cargo\.toml/);
  });

  it('analyses loose files without a Cargo.toml as single-file canisters', () => {
    const root = tree({ 'one.rs': 'fn a() {}\n', 'two.rs': 'fn b() {}\n' });
    assert.deepEqual(
      discover(root).crates.map((c) => [c.name, c.isCanister, c.files]),
      [
        ['one', true, ['one.rs']],
        ['two', true, ['two.rs']],
      ],
    );
  });
});
