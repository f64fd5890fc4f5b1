//! The `Storable` trait of 0.7 (research §1.1) and the built-in impls the tests use.

use std::borrow::Cow;

/// How large a type's encoding can get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Unbounded,
    Bounded { max_size: u32, is_fixed_size: bool },
}

impl Bound {
    pub const fn max_size(&self) -> u32 {
        match self {
            Bound::Bounded { max_size, .. } => *max_size,
            Bound::Unbounded => panic!("Cannot get max size of unbounded type."),
        }
    }
}

pub trait Storable {
    fn to_bytes(&self) -> Cow<'_, [u8]>;
    fn into_bytes(self) -> Vec<u8>;
    fn from_bytes(bytes: Cow<[u8]>) -> Self;
    const BOUND: Bound;
}

macro_rules! big_endian {
    ($($t:ty),*) => {$(
        impl Storable for $t {
            fn to_bytes(&self) -> Cow<'_, [u8]> {
                Cow::Owned(self.to_be_bytes().to_vec())
            }
            fn into_bytes(self) -> Vec<u8> {
                self.to_be_bytes().to_vec()
            }
            fn from_bytes(bytes: Cow<[u8]>) -> Self {
                <$t>::from_be_bytes(bytes.as_ref().try_into().expect("wrong integer width"))
            }
            const BOUND: Bound = Bound::Bounded { max_size: std::mem::size_of::<$t>() as u32, is_fixed_size: true };
        }
    )*};
}

big_endian!(u8, u16, u32, u64, u128);

impl Storable for String {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(self.as_bytes())
    }
    fn into_bytes(self) -> Vec<u8> {
        String::into_bytes(self)
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        String::from_utf8(bytes.into_owned()).expect("invalid UTF-8")
    }
    const BOUND: Bound = Bound::Unbounded;
}

impl Storable for Vec<u8> {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(self)
    }
    fn into_bytes(self) -> Vec<u8> {
        self
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        bytes.into_owned()
    }
    const BOUND: Bound = Bound::Unbounded;
}

impl Storable for bool {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Owned(vec![*self as u8])
    }
    fn into_bytes(self) -> Vec<u8> {
        vec![self as u8]
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        bytes[0] == 1
    }
    const BOUND: Bound = Bound::Bounded { max_size: 1, is_fixed_size: true };
}
