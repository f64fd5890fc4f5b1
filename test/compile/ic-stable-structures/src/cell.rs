//! StableCell: one value, kept decoded on the heap and rewritten whole on every `set`.

use crate::{load, save, Memory, Storable};
use std::borrow::Cow;

const MAGIC: &[u8; 3] = b"SCL";

pub struct Cell<T: Storable, M: Memory> {
    memory: M,
    value: T,
}

impl<T: Storable, M: Memory> Cell<T, M> {
    /// Loads the value the memory holds, or stores `default`.
    pub fn init(memory: M, default: T) -> Self {
        match load(&memory, MAGIC) {
            Some(bytes) => Self { value: T::from_bytes(Cow::Owned(bytes)), memory },
            None => Self::new(memory, default),
        }
    }

    pub fn new(memory: M, value: T) -> Self {
        save(&memory, MAGIC, &value.to_bytes());
        Self { memory, value }
    }

    pub fn get(&self) -> &T {
        &self.value
    }

    /// Stores a new value and returns the old one.
    pub fn set(&mut self, value: T) -> T {
        save(&self.memory, MAGIC, &value.to_bytes());
        std::mem::replace(&mut self.value, value)
    }
}
