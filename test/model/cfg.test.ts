import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { cfgVerdict } from '../../server/src/rust/model/cfg';
import { testCodeReason } from '../../server/src/rust/project/cargo';
import { field, named } from '../../server/src/rust/syntax/syntax';
import { initRustParser, parseRust } from '../../server/src/rust/syntax/treeSitter';

function verdict(predicate: string): string {
  const item = parseRust(`#[cfg(${predicate})]\nfn f() {}\n`).rootNode.namedChildren[0]!;
  const attr = named(item).find((n) => n.type === 'attribute')!;
  return cfgVerdict(field(attr, 'arguments')!);
}

describe('cfg predicates in the canister build', () => {
  before(() => initRustParser());

  it('leaves out tests, benchmarks and native-only code, keeps wasm32, and is unsure of unknown features', () => {
    const cases: [string, string][] = [
      ['test', 'off'],
      ['not(test)', 'on'],
      ['not(target_arch = "wasm32")', 'off'],
      ['target_arch = "wasm32"', 'on'],
      ['any(test, feature = "canbench")', 'off'],
      ['any(test, feature = "extra")', 'maybe'],
      ['all(test, unix)', 'off'],
      ['feature = "extra"', 'maybe'],
    ];
    assert.deepEqual(
      cases.map(([p]) => [p, verdict(p)]),
      cases,
    );
  });
});

describe('test crates', () => {
  it('are told by their folder in the workspace or a word of their name, not by a folder above the workspace', () => {
    assert.equal(testCodeReason('scenario-1', '/w/e2e-tests/scenario-1', '/w'), 'it lies in the e2e-tests/ folder');
    assert.equal(testCodeReason('xrc_mock', '/w/src/xrc_mock', '/w'), 'its name says mock');
    assert.equal(testCodeReason('ledger', '/home/tests/w/ledger', '/home/tests/w'), undefined);
    assert.equal(testCodeReason('contest', '/w/contest', '/w'), undefined);
  });
});
