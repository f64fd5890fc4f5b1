use candid::{CandidType, Decode, Encode, Principal};
use ic_stable_structures::storable::{Bound, Storable};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(CandidType, Serialize, Deserialize, Clone, Debug)]
pub struct Profile {
    pub owner: Principal,
    pub display_name: String,
    pub bio: String,
    #[serde(default)]
    pub followers: u64,
}

impl Storable for Profile {
    fn to_bytes(&self) -> Cow<[u8]> {
        Cow::Owned(Encode!(self).unwrap())
    }

    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        Decode!(bytes.as_ref(), Self).unwrap()
    }

    // Display names and bios can be any length, but the bound pretends otherwise.
    const BOUND: Bound = Bound::Bounded { max_size: 256, is_fixed_size: false };
}

/// A content hash; always 32 bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct AvatarHash(pub [u8; 32]);

impl Storable for AvatarHash {
    fn to_bytes(&self) -> Cow<[u8]> {
        Cow::Borrowed(&self.0)
    }

    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        let mut out = [0u8; 32];
        out.copy_from_slice(&bytes);
        AvatarHash(out)
    }

    const BOUND: Bound = Bound::Bounded { max_size: 32, is_fixed_size: true };
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Event {
    pub at: u64,
    pub kind: String,
}

impl Storable for Event {
    fn to_bytes(&self) -> Cow<[u8]> {
        let mut buf = vec![];
        ciborium::into_writer(self, &mut buf).expect("encode event");
        Cow::Owned(buf)
    }

    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        ciborium::from_reader(bytes.as_ref()).expect("decode event")
    }

    // CBOR output varies with the kind string: it can never be exactly 64 bytes.
    const BOUND: Bound = Bound::Bounded { max_size: 64, is_fixed_size: true };
}
