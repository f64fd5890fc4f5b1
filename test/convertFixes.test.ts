import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixesOf } from '../server/src/core/findings';
import { describe, it } from 'node:test';
import { applyEdits } from '../server/src/core/fixEngine';
import type { CrateInfo } from '../server/src/rust/project/crate';
import { dependencyEdits } from '../server/src/rules/fixes/cargoEdits';
import { analyze } from './harness/fixtures';

/** Edge cases of the heap-state conversion fixes that the before/after fixtures do not pin down. */
const RULE = 'heap-state-lost-on-upgrade';

async function titles(version: string | undefined, lib: string): Promise<Record<string, string | undefined>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-convert-'));
  const dep = version ? `ic-stable-structures = "${version}"\n` : '';
  fs.writeFileSync(path.join(dir, 'Cargo.toml'), `[package]\nname = "c"\nversion = "0.1.0"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\n${dep}`);
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'lib.rs'), lib);
  const { result, errors } = await analyze(dir);
  assert.deepEqual(errors, []);
  const findings = result.crates.flatMap((c) => c.findings).filter((f) => f.rule === RULE);
  return Object.fromEntries(findings.map((f) => [f.message.split('`')[1], fixesOf(f)[0]?.title]));
}

const HEAD =
  'use std::cell::RefCell;\nuse std::collections::BTreeMap;\n\n#[derive(Clone, serde::Serialize, serde::Deserialize)]\npub struct Profile { name: String }\n\n';

describe('heap-state conversion fixes', () => {
  it('on 0.5 converts only bounded built-in types: no Unbounded impl exists there', async () => {
    const lib = `${HEAD}thread_local! {\n    static A: RefCell<BTreeMap<u64, u64>> = RefCell::new(BTreeMap::new());\n    static B: RefCell<BTreeMap<u64, String>> = RefCell::new(BTreeMap::new());\n    static C: RefCell<BTreeMap<u64, Profile>> = RefCell::new(BTreeMap::new());\n}\n`;
    assert.deepEqual(await titles('0.5.6', lib), { A: 'Convert to StableBTreeMap', B: undefined, C: undefined });
    assert.deepEqual(await titles('0.6.0', lib), { A: 'Convert to StableBTreeMap', B: 'Convert to StableBTreeMap', C: 'Convert to StableBTreeMap' });
  });

  it('offers nothing for keys without a Storable impl, prefilled maps and signed counters', async () => {
    const lib = `${HEAD}thread_local! {\n    static A: RefCell<BTreeMap<i64, u64>> = RefCell::new(BTreeMap::new());\n    static B: RefCell<BTreeMap<u64, u64>> = RefCell::new(BTreeMap::from([(1, 2)]));\n    static C: std::cell::Cell<i32> = std::cell::Cell::new(0);\n}\n`;
    assert.deepEqual(await titles('0.7.2', lib), { A: undefined, B: undefined, C: undefined });
  });

  it('counts borrowed key forms as call sites to review: StableBTreeMap takes `&K` only', async () => {
    const lib = `${HEAD}thread_local! {\n    static A: RefCell<BTreeMap<String, u64>> = RefCell::new(BTreeMap::new());\n}\nfn f(s: &String) -> bool {\n    A.with(|a| a.borrow().contains_key("x") || a.borrow().get(s.as_str()).is_some() || a.borrow().contains_key(s))\n}\n`;
    assert.deepEqual(await titles(undefined, lib), { A: 'Convert to StableBTreeMap; 2 call sites need review' });
  });

  it('adds a [dependencies] table when the manifest has none, and keeps CRLF line ends', () => {
    const crate = (manifestText: string): CrateInfo => ({ name: 'c', root: '/c', manifest: '/c/Cargo.toml', manifestText, isCanister: true, files: [] });
    const add = (text: string, names: string[]) => applyEdits(text, dependencyEdits(crate(text), names));
    assert.equal(
      add('[package]\nname = "c"\n', ['ic-stable-structures', 'ciborium']),
      '[package]\nname = "c"\n\n[dependencies]\nic-stable-structures = "0.7"\nciborium = "0.2"\n',
    );
    assert.equal(
      add('[dependencies]\r\nserde = "1"\r\n\r\n[lib]\r\n', ['serde', 'ciborium']),
      '[dependencies]\r\nserde = "1"\r\nciborium = "0.2"\r\n\r\n[lib]\r\n',
    );
    assert.deepEqual(dependencyEdits(crate('[dependencies]\nciborium = "0.2"\n'), ['ciborium']), []);
  });

  it('keeps insertions at one point in list order, as an LSP WorkspaceEdit does', () => {
    const at = (newText: string) => ({ file: 'f', start: 1, end: 1, newText });
    assert.equal(applyEdits('ab', [at('1'), at('2'), at('3')]), 'a123b');
  });
});
