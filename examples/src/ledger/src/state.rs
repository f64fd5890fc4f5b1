use candid::Principal;
use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::storable::{Blob, Bound, Storable};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap, StableCell, StableVec};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cell::RefCell;

pub type Memory = VirtualMemory<DefaultMemoryImpl>;

const BALANCES: MemoryId = MemoryId::new(0);
const CONFIG: MemoryId = MemoryId::new(1);
const MEMOS: MemoryId = MemoryId::new(2);
const ALLOWANCES: MemoryId = MemoryId::new(3);
const LOCKS: MemoryId = MemoryId::new(4);
const RECEIPTS: MemoryId = MemoryId::new(6);

#[derive(Serialize, Deserialize, Clone, Debug, Default)]
pub struct Config {
    pub fee: u64,
    pub symbol: String,
}

// Written for 0.6: on 0.7 the trait also requires `into_bytes`.
impl Storable for Config {
    fn to_bytes(&self) -> Cow<[u8]> {
        let mut buf = vec![];
        ciborium::into_writer(self, &mut buf).expect("encode config");
        Cow::Owned(buf)
    }

    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        ciborium::from_reader(bytes.as_ref()).expect("decode config")
    }

    const BOUND: Bound = Bound::Unbounded;
}

/// A signed receipt; at most 128 bytes since receipts dropped their long-form memo.
pub struct Receipt(Blob<128>);

impl Storable for Receipt {
    fn to_bytes(&self) -> Cow<[u8]> {
        Cow::Owned(self.0.as_slice().to_vec())
    }

    fn into_bytes(self) -> Vec<u8> {
        self.0.as_slice().to_vec()
    }

    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        Receipt(Blob::try_from(bytes.as_ref()).expect("receipt too long"))
    }

    const BOUND: Bound = Bound::Bounded { max_size: 128, is_fixed_size: false };
}

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));

    pub static BALANCE_MAP: RefCell<StableBTreeMap<Principal, u64, Memory>> =
        RefCell::new(StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(BALANCES))));

    pub static CONFIG_CELL: RefCell<StableCell<Config, Memory>> = RefCell::new(
        StableCell::init(MEMORY_MANAGER.with(|m| m.borrow().get(CONFIG)), Config::default())
            .expect("init config"),
    );

    // Memos are free text: a StableVec needs bounded elements and panics when it is created.
    pub static MEMO_LOG: RefCell<StableVec<String, Memory>> =
        RefCell::new(StableVec::init(MEMORY_MANAGER.with(|m| m.borrow().get(MEMOS))));

    // Keyed by (owner, spender label): the label is a String, and 2-tuples cannot hold unbounded types.
    pub static ALLOWANCE_MAP: RefCell<StableBTreeMap<(Principal, String), u64, Memory>> =
        RefCell::new(StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(ALLOWANCES))));

    // Lock expiry per account; None means "unlocked", which panics on insert.
    pub static LOCK_MAP: RefCell<StableBTreeMap<u64, Option<u64>, Memory>> =
        RefCell::new(StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(LOCKS))));

    pub static RECEIPT_MAP: RefCell<StableBTreeMap<u64, Receipt, Memory>> =
        RefCell::new(StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(RECEIPTS))));

    // The archive was meant to get the last id.
    pub static ARCHIVE: RefCell<StableBTreeMap<u64, u64, Memory>> =
        RefCell::new(StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(255)))));
}
