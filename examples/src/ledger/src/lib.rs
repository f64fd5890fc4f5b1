mod state;

use candid::Principal;
use state::{ALLOWANCE_MAP, BALANCE_MAP, CONFIG_CELL, LOCK_MAP, MEMO_LOG};

#[ic_cdk::init]
fn init(symbol: String) {
    CONFIG_CELL.with(|c| {
        let mut config = c.borrow().get().clone();
        config.symbol = symbol;
        c.borrow_mut().set(config);
    });
}

#[ic_cdk::post_upgrade]
fn post_upgrade() {
    // Everything lives in stable structures: nothing to restore.
}

#[ic_cdk::update]
fn transfer(to: Principal, amount: u64, memo: String) -> Result<(), String> {
    let from = ic_cdk::caller();
    let fee = CONFIG_CELL.with(|c| c.borrow().get().fee);
    BALANCE_MAP.with(|b| {
        let mut b = b.borrow_mut();
        let have = b.get(&from).unwrap_or(0);
        if have < amount + fee {
            return Err("insufficient funds".to_string());
        }
        b.insert(from, have - amount - fee);
        let theirs = b.get(&to).unwrap_or(0);
        b.insert(to, theirs + amount);
        Ok(())
    })?;
    MEMO_LOG.with(|m| m.borrow_mut().push(&memo));
    Ok(())
}

#[ic_cdk::update]
fn approve(spender: String, amount: u64) {
    ALLOWANCE_MAP.with(|a| a.borrow_mut().insert((ic_cdk::caller(), spender), amount));
}

#[ic_cdk::update]
fn unlock(account: u64) {
    LOCK_MAP.with(|l| l.borrow_mut().insert(account, None));
}

#[ic_cdk::query]
fn balance_of(owner: Principal) -> u64 {
    BALANCE_MAP.with(|b| b.borrow().get(&owner).unwrap_or(0))
}
