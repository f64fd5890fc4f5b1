//! Types shared by the canisters. A library crate: its statics are not canister state.
use candid::{CandidType, Principal};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(CandidType, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Handle {
    pub owner: Principal,
    pub name: String,
}

thread_local! {
    // Interned handles, rebuilt on demand by each caller.
    static INTERNED: RefCell<HashMap<String, u32>> = RefCell::new(HashMap::new());
}

pub fn intern(name: &str) -> u32 {
    INTERNED.with(|i| {
        let mut i = i.borrow_mut();
        let next = i.len() as u32;
        *i.entry(name.to_string()).or_insert(next)
    })
}
