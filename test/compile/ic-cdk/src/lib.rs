//! Stand-in for ic-cdk: the entry-point attributes and `caller()`.

pub use ic_cdk_macros::{init, post_upgrade, pre_upgrade, query, update};

pub mod api {
    /// A principal as raw bytes; the real one comes from candid.
    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub struct Principal(pub Vec<u8>);

    /// The caller of the current message: the anonymous principal outside a canister.
    pub fn caller() -> Principal {
        Principal(vec![4])
    }
}

pub use api::caller;
