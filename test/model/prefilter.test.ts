import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeCrate } from '../../server/src/check/rust';
import { sourceFile } from '../../server/src/rust/model/sourceFile';
import { mentionsStableState } from '../../server/src/rust/model/prefilter';
import type { CrateInfo } from '../../server/src/rust/project/crate';
import { initRustParser } from '../../server/src/rust/syntax/treeSitter';

describe('the token prefilter', () => {
  before(async () => {
    await initRustParser();
  });

  it('tells stable words and static items from ordinary code', () => {
    const yes = [
      'static X: u8 = 1;',
      '(static',
      'pub static mut N: u64 = 0;',
      '#[init]',
      '#[ic_cdk::init]',
      'stable64_grow(1)',
      'store_custom_data(x)',
      'reinit_allocator()',
      '// stable-lens-ignore x',
    ];
    const no = ['fn f() -> &\'static str { "" }', 'let statics = 1;', 'a_static', 'fn main() {}', 'initial_value()'];
    for (const text of yes) assert.equal(mentionsStableState(text), true, text);
    for (const text of no) assert.equal(mentionsStableState(text), false, text);
  });

  it('reads a file whose only stable word is a raw stable64 write', () => {
    const lib = `use ic_stable_structures::memory_manager::MemoryManager;
use ic_stable_structures::DefaultMemoryImpl;
use std::cell::RefCell;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
}
`;
    const marker = `#[ic_cdk::update]
fn write_marker() {
    ic_cdk::api::stable::stable64_write(0, b"v2");
}
`;
    const crate: CrateInfo = { name: 'raw', root: '/virtual/raw', isCanister: true, files: ['/virtual/raw/src/lib.rs', '/virtual/raw/src/marker.rs'] };
    const { findings } = analyzeCrate(crate, [sourceFile(crate.files[0], lib), sourceFile(crate.files[1], marker)], { rules: {} }, { fixes: false });
    const conflicts = findings.filter((f) => f.rule === 'memory-manager-conflict');
    assert.deepEqual(
      conflicts.map((f) => [f.loc.file, marker.slice(f.loc.start, f.loc.end)]),
      [['/virtual/raw/src/marker.rs', 'stable64_write']],
    );
  });
});
