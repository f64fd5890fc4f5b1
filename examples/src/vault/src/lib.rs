//! A legacy canister on ic-stable-memory, whose allocator must be saved and restored around upgrades.
use ic_stable_memory::collections::SBTreeMap;
use ic_stable_memory::derive::{AsFixedSizeBytes, StableType};
use ic_stable_memory::{
    retrieve_custom_data, stable_memory_init, stable_memory_post_upgrade, stable_memory_pre_upgrade, store_custom_data, SBox,
};
use std::cell::RefCell;

#[derive(StableType, AsFixedSizeBytes, Default)]
struct Vault {
    deposits: SBTreeMap<u64, u64>,
}

thread_local! {
    // An outdated suppression: the hooks below do save and restore the vault, so nothing is suppressed.
    // stable-lens-ignore heap-state-lost-on-upgrade: restored from custom data in post_upgrade
    static VAULT: RefCell<Option<Vault>> = RefCell::new(None);
}

#[ic_cdk::init]
fn init() {
    stable_memory_init();
    VAULT.with(|v| *v.borrow_mut() = Some(Vault::default()));
}

#[ic_cdk::pre_upgrade]
fn pre_upgrade() {
    let vault = VAULT.with(|v| v.borrow_mut().take().unwrap());
    let boxed = SBox::new(vault).expect("out of stable memory");
    store_custom_data(0, boxed);
    // The Result is dropped: when the allocator cannot be written, the upgrade goes on and loses it.
    stable_memory_pre_upgrade();
}

#[ic_cdk::post_upgrade]
fn post_upgrade() {
    ic_cdk::println!("vault upgraded");
    stable_memory_post_upgrade();
    // When the vault cannot be read back, the upgrade goes on with no vault at all.
    if let Some(vault) = retrieve_custom_data::<Vault>(0) {
        VAULT.with(|v| *v.borrow_mut() = Some(vault.into_inner()));
    }
}

#[ic_cdk::update]
fn deposit(account: u64, amount: u64) {
    VAULT.with(|v| {
        let mut v = v.borrow_mut();
        let vault = v.as_mut().unwrap();
        let old = vault.deposits.get(&account).map(|x| *x).unwrap_or(0);
        vault.deposits.insert(account, old + amount).ok();
    });
}
