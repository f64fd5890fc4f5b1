import { analyzeCrate } from '../check/rust';
import { LATEST_STABLE_STRUCTURES, type CrateInfo } from '../rust/project/crate';
import { OpenDocuments } from './documents';

const ROOT = '/stable-lens-warm-up';
const FILE = `${ROOT}/src/lib.rs`;
const CRATE: CrateInfo = { name: 'warm-up', root: ROOT, isCanister: true, stableStructures: LATEST_STABLE_STRUCTURES, files: [FILE] };

/** A canister of the usual shape: stable structures, a Storable type, hooks, plenty of plain functions. */
function sample(): string {
  const head = `use std::borrow::Cow;
use std::cell::RefCell;
use candid::{CandidType, Decode, Deserialize, Encode};
use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::storable::{Bound, Storable};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap, StableCell};

type Memory = VirtualMemory<DefaultMemoryImpl>;
const USERS_MEMORY_ID: MemoryId = MemoryId::new(0);

#[derive(CandidType, Deserialize, Clone)]
struct User {
    name: String,
    balance: u64,
}

impl Storable for User {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Owned(Encode!(self).unwrap())
    }
    fn into_bytes(self) -> Vec<u8> {
        Encode!(&self).unwrap()
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        Decode!(bytes.as_ref(), Self).unwrap()
    }
    const BOUND: Bound = Bound::Unbounded;
}

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> = RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static USERS: RefCell<StableBTreeMap<u64, User, Memory>> = RefCell::new(StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(USERS_MEMORY_ID))));
    static FEE: RefCell<StableCell<u64, Memory>> = RefCell::new(StableCell::init(MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(1))), 10));
    static COUNTER: RefCell<u64> = RefCell::new(0);
}

#[ic_cdk::update]
fn register(id: u64, name: String) {
    USERS.with(|u| u.borrow_mut().insert(id, User { name, balance: 0 }));
    COUNTER.with(|c| *c.borrow_mut() += 1);
}

#[ic_cdk::pre_upgrade]
fn pre_upgrade() {}
`;
  const body = Array.from(
    { length: 80 },
    (_, i) => `\npub fn fee_tier_${i}(amount: u64) -> u64 {\n    let rate = amount / ${i + 2};\n    rate + ${i}\n}\n`,
  ).join('');
  return `${head}${body}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn fee() {\n        assert_eq!(super::fee_tier_1(6), 3);\n    }\n}\n`;
}

/**
 * Types into a throwaway buffer as a user would, through the same incremental parse, re-read and
 * rules a keystroke takes, so V8 has compiled that path before the user's first keystrokes, which
 * would otherwise each cost several times a warm one.
 */
export function warmUp(keystrokes = 40): void {
  const docs = new OpenDocuments();
  const text = sample();
  const doc = docs.open(`file://${FILE}`, FILE, 'rust', 1, text);
  try {
    let at = text.indexOf('{\n', text.indexOf('pub fn fee_tier_40')) + 2;
    const typed = 'let total = amount * 3 + 1; ';
    for (let version = 2; version < keystrokes + 2; version++) {
      const pos = doc.doc.positionAt(at);
      docs.change(FILE, version, [{ range: { start: pos, end: pos }, text: typed[version % typed.length] }]);
      analyzeCrate(CRATE, [docs.sourceFile(FILE)!], { rules: {} }, { fixes: false });
      at++;
    }
  } finally {
    docs.close(FILE);
  }
}
