import assert from 'node:assert/strict';
import fc from 'fast-check';
import { before, describe, it } from 'node:test';
import { analyzeCrate } from '../../server/src/check/rust';
import { sourceFile } from '../../server/src/rust/model/sourceFile';
import { hotUnits } from '../../server/src/rust/model/prefilter';
import type { CrateInfo } from '../../server/src/rust/project/crate';
import { structureTypes } from '../../server/src/rust/model/bounds';
import { extractRustFacts } from '../../server/src/rust/model/extract';
import { extractSplit } from '../../server/src/rust/model/split';
import type { RustFileFacts } from '../../server/src/rust/model/facts';
import { initRustParser } from '../../server/src/rust/syntax/treeSitter';
import { LineIndex } from '../../server/src/core/text';
import { mutatedRust, runs, rustFixtureTexts } from '../fuzz/generators';

/**
 * A file of a canister crate is read in two steps: the units that mention stable state first, the
 * rest when a lookup needs them. Both steps together must find exactly what one full read finds,
 * and the first step alone everything the rules read without a lookup.
 */

const FILE = '/virtual/split/src/lib.rs';

/** The lists only units with a stable word can fill: rules read them directly, with no lookup by name. */
const HOT_LISTS = ['getters', 'structures', 'managers', 'heapState', 'storables', 'rawStable', 'memoryIdSites', 'versionedCalls'] as const;
const ALL_LISTS = [...HOT_LISTS, 'consts', 'types', 'aliases', 'functions'] as const;

/** A list as plain data in source order: the second step appends, a full read goes top to bottom. */
function normal(list: unknown[]): string[] {
  return list.map((x) => JSON.stringify(x)).sort();
}

function assertSameFacts(text: string): void {
  const full = extractRustFacts(FILE, text);
  const split = extractSplit(FILE, text, new LineIndex(text), hotUnits);
  for (const key of HOT_LISTS) assert.deepEqual(normal(split.facts[key]), normal(full[key]), `${key} before the rest is read`);
  split.complete();
  for (const key of ALL_LISTS) assert.deepEqual(normal(split.facts[key]), normal(full[key]), `${key} after the rest is read`);
  assert.deepEqual(split.facts.uses, full.uses);
  assert.deepEqual(split.facts.suppressions, full.suppressions);
  assert.equal(split.facts.hasSyntaxErrors, full.hasSyntaxErrors);
}

const CANISTER = `use ic_stable_structures::{DefaultMemoryImpl, Vec as SVec};
use std::cell::RefCell;

type Log = SVec<u64, DefaultMemoryImpl>;

thread_local! {
    static STATE: RefCell<Vec<u64>> = RefCell::new(Vec::new());
}

fn make_log() -> Log {
    SVec::new(DefaultMemoryImpl::default())
}

fn dump(bytes: &[u8]) {
    stable64_write(0, bytes);
}

pub fn total() -> u64 {
    STATE.with(|s| s.borrow().iter().sum())
}

pub struct Account {
    pub balance: u64,
}

const LIMIT: u64 = 10;
`;

describe('reading a file in two steps', () => {
  before(async () => {
    await initRustParser();
  });

  it('leaves ordinary units for later and reads them into the same facts on demand', () => {
    const split = extractSplit(FILE, CANISTER, new LineIndex(CANISTER), hotUnits);
    // The alias and the function that use the renamed library type are read at once, with the state.
    assert.deepEqual(
      split.facts.aliases.map((a) => a.name),
      ['Log'],
    );
    assert.deepEqual(
      split.facts.functions.map((f) => f.name),
      ['make_log', 'dump'],
    );
    assert.deepEqual(
      split.facts.rawStable.map((r) => r.name),
      ['stable64_write'],
    );
    assert.deepEqual(
      split.facts.structures.map((s) => s.kind),
      ['StableVec'],
    );
    assert.deepEqual(
      split.facts.heapState.map((h) => h.name),
      ['STATE'],
    );
    for (const later of ['fn total', 'pub struct Account', 'const LIMIT']) assert.ok(split.restText.includes(later), later);
    assert.ok(!split.restText.includes('thread_local'));
    const added = split.complete()!;
    assert.deepEqual(
      added.functions.map((f) => f.name),
      ['total'],
    );
    assert.deepEqual(split.facts.functions.map((f) => f.name).sort(), ['dump', 'make_log', 'total']);
    assert.deepEqual(
      split.facts.types.map((t) => t.name),
      ['Account'],
    );
    assert.deepEqual(
      split.facts.consts.map((c) => c.name),
      ['LIMIT'],
    );
    assert.equal(split.pending, false);
    // A second request adds nothing twice.
    assert.equal(split.complete(), added);
    assert.equal(split.facts.functions.length, 3);
    assertSameFacts(CANISTER);
  });

  it('finds in two steps what one read finds, for every Rust fixture', () => {
    for (const text of rustFixtureTexts()) assertSameFacts(text);
  });

  it('finds in two steps what one read finds, for mutated sources', () => {
    fc.assert(
      fc.property(mutatedRust(), (text) => {
        assertSameFacts(text);
      }),
      runs(150),
    );
  });

  it('gives the model every unit of a file through lookups and factsOf', () => {
    const crate: CrateInfo = { name: 'split', root: '/virtual/split', isCanister: true, files: [FILE] };
    // No rule runs: a rule's lookups would read the rest before the assertions do.
    const result = analyzeCrate(crate, [sourceFile(FILE, CANISTER)], { rules: {} }, { fixes: false }, []);
    const { model } = result;
    assert.deepEqual(
      model.functions.map((f) => f.name),
      ['make_log', 'dump'],
    );
    assert.equal(model.typeDef('Account')?.name, 'Account');
    assert.deepEqual(
      model.functionsMentioning('STATE').map((f) => f.name),
      ['total'],
    );
    const facts: RustFileFacts = model.factsOf(FILE)!;
    assert.deepEqual(
      facts.consts.map((c) => c.name),
      ['LIMIT'],
    );
    // What was read later is listed once, in the file's own facts.
    assert.deepEqual(model.functions.map((f) => f.name).sort(), ['dump', 'make_log', 'total']);
    assert.equal(model.functionsNamed('total').length, 1);
  });

  it('indexes the rest in a model made before the file was read whole elsewhere', () => {
    const crate: CrateInfo = { name: 'split', root: '/virtual/split', isCanister: true, files: [FILE] };
    const source = sourceFile(FILE, CANISTER);
    const { model } = analyzeCrate(crate, [source], { rules: {} }, { fixes: false });
    // A code action reads the file's facts whole, outside the model.
    assert.deepEqual(
      source.facts.consts.map((c) => c.name),
      ['LIMIT'],
    );
    assert.deepEqual(
      model.functionsNamed('total').map((f) => f.name),
      ['total'],
    );
    assert.equal(model.constsNamed('LIMIT').length, 1);
    // The next analysis starts from the whole file.
    const again = analyzeCrate(crate, [source], { rules: {} }, { fixes: false }).model;
    assert.deepEqual(again.functions.map((f) => f.name).sort(), ['dump', 'make_log', 'total']);
  });

  it('finds the struct field that declares a structure, when that struct was left for later', () => {
    const lib = `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;

pub struct State {
    pub users: Users,
}

thread_local! {
    static MM: RefCell<MemoryManager<DefaultMemoryImpl>> = RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static STATE: RefCell<State> = RefCell::new(State { users: StableBTreeMap::init(MM.with(|m| m.borrow().get(MemoryId::new(0)))) });
}
`;
    const types = '/virtual/split/src/types.rs';
    const crate: CrateInfo = { name: 'split', root: '/virtual/split', isCanister: true, files: [FILE, types] };
    const files = [sourceFile(FILE, lib), sourceFile(types, 'pub type Users = StableBTreeMap<u64, String, Mem>;\n')];
    const { model } = analyzeCrate(crate, files, { rules: {} }, { fixes: false });
    const [users] = model.structures;
    assert.equal(users.name, 'users');
    assert.deepEqual(
      structureTypes(users, model).map((t) => `${t.role}: ${t.type.text}`),
      ['key: u64', 'value: String'],
    );
  });
});
