mod memory;
mod types;

use candid::Principal;
use ic_stable_structures::{StableBTreeMap, StableLog};
use memory::{Memory, AVATARS_MEMORY_ID, EVENTS_DATA_MEMORY_ID, EVENTS_INDEX_MEMORY_ID, HANDLES_MEMORY_ID, PROFILES_MEMORY_ID};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use types::{AvatarHash, Event, Profile};

thread_local! {
    static PROFILES: RefCell<StableBTreeMap<Principal, Profile, Memory>> =
        RefCell::new(StableBTreeMap::init(memory::get(PROFILES_MEMORY_ID)));

    // Handles were added later and reuse the profiles' memory by mistake.
    static HANDLES: RefCell<StableBTreeMap<String, Principal, Memory>> =
        RefCell::new(StableBTreeMap::init(memory::get(PROFILES_MEMORY_ID)));

    // `new` writes an empty map over the avatars on every upgrade.
    static AVATARS: RefCell<StableBTreeMap<Principal, AvatarHash, Memory>> =
        RefCell::new(StableBTreeMap::new(memory::get(AVATARS_MEMORY_ID)));

    static EVENTS: RefCell<StableLog<Event, Memory, Memory>> = RefCell::new(
        StableLog::init(memory::get(EVENTS_INDEX_MEMORY_ID), memory::get(EVENTS_DATA_MEMORY_ID))
            .expect("init events"),
    );

    // Heap state: none of this survives an upgrade.
    static FOLLOWS: RefCell<HashMap<Principal, Vec<Principal>>> = RefCell::new(HashMap::new());
    static NEXT_EVENT_ID: Cell<u64> = Cell::new(0);
    static SETTINGS: RefCell<BTreeMap<String, String>> = RefCell::new(BTreeMap::new());

    // stable-lens-ignore heap-state-lost-on-upgrade: a per-upgrade rate limiter, meant to start empty
    static RECENT_CALLERS: RefCell<HashMap<Principal, u64>> = RefCell::new(HashMap::new());
}

#[ic_cdk::init]
fn init() {
    SETTINGS.with(|s| s.borrow_mut().insert("theme".into(), "dark".into()));
}

#[ic_cdk::update]
fn register(display_name: String, bio: String) {
    let owner = note_call(ic_cdk::caller());
    let profile = Profile { owner, display_name: display_name.clone(), bio, followers: 0 };
    PROFILES.with(|p| p.borrow_mut().insert(owner, profile));
    HANDLES.with(|h| h.borrow_mut().insert(display_name, owner));
    let id = NEXT_EVENT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    EVENTS.with(|e| e.borrow_mut().append(&Event { at: id, kind: "register".into() }).expect("append"));
}

#[ic_cdk::update]
fn follow(who: Principal) {
    let me = ic_cdk::caller();
    FOLLOWS.with(|f| f.borrow_mut().entry(me).or_default().push(who));
}

#[ic_cdk::query]
fn profile(owner: Principal) -> Option<Profile> {
    PROFILES.with(|p| p.borrow().get(&owner))
}

#[ic_cdk::query]
fn avatar(owner: Principal) -> Option<AvatarHash> {
    AVATARS.with(|a| a.borrow().get(&owner))
}

#[ic_cdk::pre_upgrade]
fn pre_upgrade() {
    // Serialising every follow list in one message: fine today, an instruction-limit trap next year.
    FOLLOWS.with(|f| ic_cdk::storage::stable_save((f.borrow().clone(),)).expect("save follows"));
}

/// Remembers when a caller last called, for the rate limiter.
fn note_call(caller: Principal) -> Principal {
    RECENT_CALLERS.with(|r| r.borrow_mut().insert(caller, ic_cdk::api::time()));
    caller
}
