import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CanisterModel } from '../../server/src/rust/model/canister';
import { extractRustFacts } from '../../server/src/rust/model/extract';
import { initRustParser } from '../../server/src/rust/syntax/treeSitter';

function model(text: string): CanisterModel {
  const facts = extractRustFacts('/virtual/lib.rs', text);
  return new CanisterModel({ name: 't', root: '/virtual', isCanister: true, files: ['/virtual/lib.rs'] }, [facts]);
}

const MM = `
thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> = RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
}
`;

describe('Rust model extraction', () => {
  before(() => initRustParser());

  it('resolves `use ... as` aliases of library structures and leaves std collections alone', () => {
    const m = model(`use ic_stable_structures::BTreeMap as Map;
use std::collections::BTreeMap;
${MM}
thread_local! {
    static USERS: RefCell<Map<u64, String, Memory>> = RefCell::new(Map::init(MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(4)))));
    static PLAIN: RefCell<BTreeMap<u64, u64>> = RefCell::new(BTreeMap::new());
}`);
    assert.deepEqual(
      m.structures.map((s) => [s.name, s.kind, s.ctor, s.key?.text, s.value?.text, s.context]),
      [['USERS', 'StableBTreeMap', 'init', 'u64', 'String', 'thread_local']],
    );
    assert.deepEqual(
      m.slots.map((s) => s.id),
      [4],
    );
  });

  it('reads full paths, glob imports and turbofish type arguments', () => {
    const m = model(`use ic_stable_structures::*;
fn a() { let x = ic_stable_structures::BTreeMap::<u8, u8, _>::init(mem(MemoryId::new(1))); }
fn b() { let v = Vec::<u64, _>::init(mem(MemoryId::new(2))); }
fn mem(id: MemoryId) -> VirtualMemory<DefaultMemoryImpl> { MM.with(|m| m.borrow().get(id)) }`);
    assert.deepEqual(
      m.structures.map((s) => [s.kind, s.key?.text ?? s.elem?.text, s.fnName]),
      [
        ['StableBTreeMap', 'u8', 'a'],
        ['StableVec', 'u64', 'b'],
      ],
    );
    assert.deepEqual(
      m.slots.map((s) => s.id),
      [1, 2],
    );
  });

  it('follows const chains, fixed getters, pass-through getters and local bindings to MemoryIds', () => {
    const m = model(`const BASE: u8 = 10;
const USERS_ID: MemoryId = MemoryId::new(BASE);
fn users_memory() -> Memory { MEMORY_MANAGER.with(|m| m.borrow().get(USERS_ID)) }
fn memory(id: MemoryId) -> Memory { MEMORY_MANAGER.with(|m| m.borrow().get(id)) }
${MM}
thread_local! {
    static USERS: RefCell<StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::init(users_memory()));
    static ORDERS: RefCell<StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::init(memory(MemoryId::new(11))));
}
fn setup() {
    let mem = MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(12)));
    let log: StableVec<u64, Memory> = StableVec::init(mem);
}`);
    assert.deepEqual(
      m.slots.map((s) => [s.structure.name, s.id, s.via]),
      [
        ['USERS', 10, 'users_memory'],
        ['ORDERS', 11, undefined],
        ['log', 12, undefined],
      ],
    );
    assert.equal(m.lowestFreeId(), 0);
  });

  it('finds heap state in thread_local!, lazy_static! and static mut, and skips test code', () => {
    const m = model(`lazy_static! {
    static ref CONFIG: Mutex<HashMap<String, String>> = Mutex::new(HashMap::new());
}
static mut COUNTER: u64 = 0;
static NAME: &str = "x";
thread_local! { static CACHE: RefCell<Vec<u8>> = RefCell::new(vec![]); }
#[cfg(test)]
mod tests {
    thread_local! { static FIXTURE: RefCell<Vec<u8>> = RefCell::new(vec![]); }
}`);
    const heap = m.files[0].heapState.map((h) => [h.name, h.context, h.wrapper, h.inner.text]);
    assert.deepEqual(heap, [
      ['CONFIG', 'lazy_static', 'Mutex', 'HashMap<String, String>'],
      ['COUNTER', 'static', undefined, 'u64'],
      ['CACHE', 'thread_local', 'RefCell', 'Vec<u8>'],
    ]);
  });

  it('reads Storable bounds, encoders and serde field attributes', () => {
    const m = model(`#[derive(Serialize, Deserialize)]
struct User { #[serde(default, rename = "n")] name: String, age: Option<u32> }
impl Storable for User {
    fn to_bytes(&self) -> Cow<[u8]> { Cow::Owned(Encode!(self).unwrap()) }
    fn from_bytes(b: Cow<[u8]>) -> Self { Decode!(&b, Self).unwrap() }
    const BOUND: Bound = Bound::Bounded { max_size: MAX, is_fixed_size: false };
}
impl BoundedStorable for Id { const MAX_SIZE: u32 = 8; const IS_FIXED_SIZE: bool = true; }`);
    const [user, id] = m.storables;
    assert.equal(user.encoder, 'candid');
    assert.deepEqual(user.bound, { kind: 'bounded', maxSize: undefined, maxSizeText: 'MAX', isFixed: false, isFixedText: 'false' });
    assert.deepEqual(
      user.methods.map((x) => x.name),
      ['to_bytes', 'from_bytes'],
    );
    assert.equal(id.trait, 'BoundedStorable');
    assert.deepEqual(id.bound, { kind: 'bounded', maxSize: 8, maxSizeText: '8', isFixed: true, isFixedText: 'true' });
    assert.deepEqual(
      m.typeDef('User')?.fields.map((f) => [f.name, f.type.text, f.serde]),
      [
        ['name', 'String', ['default', 'rename = "n"']],
        ['age', 'Option<u32>', []],
      ],
    );
  });

  it('computes bounds of built-in and composite types', () => {
    const m = model(`impl Storable for Key { const BOUND: Bound = Bound::Bounded { max_size: 40, is_fixed_size: true }; }
fn f() { let a: StableBTreeMap<(u64, Blob<10>), Option<Key>, M> = StableBTreeMap::init(x()); let b: StableBTreeMap<(String, u8), [u8; 4], M> = StableBTreeMap::init(y()); }`);
    const [a, b] = m.structures;
    assert.deepEqual(m.boundOf(a.key!), { kind: 'bounded', maxSize: 8 + 10 + 1, fixed: false, origin: 'tuple' });
    assert.deepEqual(m.boundOf(a.value!), { kind: 'bounded', maxSize: 41, fixed: true, origin: 'built-in' });
    assert.equal(m.boundOf(b.key!).kind, 'unbounded');
    assert.deepEqual(m.boundOf(b.value!), { kind: 'bounded', maxSize: 4, fixed: true, origin: 'built-in' });
  });

  it('marks upgrade hooks in every attribute spelling and what they reach', () => {
    const m = model(`#[ic_cdk::pre_upgrade] fn a() { save(); }
#[ic_cdk_macros::post_upgrade] fn b() { STATE.with(|s| *s.borrow_mut() = restore()); }
#[init] fn c() {}
fn save() { STATE.with(|s| ic_cdk::storage::stable_save((s.borrow().clone(),)).unwrap()); }`);
    assert.deepEqual(
      m.functions.filter((f) => f.hook).map((f) => [f.name, f.hook]),
      [
        ['a', 'pre_upgrade'],
        ['b', 'post_upgrade'],
        ['c', 'init'],
      ],
    );
    const reach = m.reach(m.hooks('pre_upgrade')[0]);
    assert.ok(reach.statics.has('STATE'));
    assert.ok(reach.calls.some((c) => c.path === 'ic_cdk::storage::stable_save'));
    assert.deepEqual(m.hooks('post_upgrade')[0].staticWrites, ['STATE']);
    assert.deepEqual(
      m.files[0].rawStable.map((r) => [r.kind, r.fnName]),
      [['stable_save', 'save']],
    );
  });
});

describe('Rust model extraction: getters', () => {
  before(() => initRustParser());

  it('passes a u8 parameter through MemoryId::new inside a getter', () => {
    const m = model(`fn memory(id: u8) -> Memory { MM.with(|m| m.borrow().get(MemoryId::new(id))) }
fn f() { let a: StableBTreeMap<u8, u8, Memory> = StableBTreeMap::init(memory(7)); }`);
    assert.deepEqual(
      m.slots.map((s) => s.id),
      [7],
    );
  });
});
