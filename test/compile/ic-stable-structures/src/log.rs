//! StableLog: an append-only list in two memories, the entry count in the index memory and the
//! entries in the data memory, saved whole on every append.

use crate::{chunks, load, push_chunk, save, Memory, Storable};
use std::borrow::Cow;
use std::marker::PhantomData;

const INDEX_MAGIC: &[u8; 3] = b"GLI";
const DATA_MAGIC: &[u8; 3] = b"GLD";

#[derive(Debug, PartialEq, Eq)]
pub enum WriteError {
    GrowFailed { current_size: u64, delta: u64 },
}

pub struct Log<T: Storable, INDEX: Memory, DATA: Memory> {
    index: INDEX,
    data: DATA,
    _entry: PhantomData<T>,
}

impl<T: Storable, INDEX: Memory, DATA: Memory> Log<T, INDEX, DATA> {
    /// Loads the log the memories hold, or starts an empty one.
    pub fn init(index: INDEX, data: DATA) -> Self {
        if load(&data, DATA_MAGIC).is_none() {
            return Self::new(index, data);
        }
        Self { index, data, _entry: PhantomData }
    }

    pub fn new(index: INDEX, data: DATA) -> Self {
        save(&index, INDEX_MAGIC, &0u64.to_le_bytes());
        save(&data, DATA_MAGIC, &[]);
        Self { index, data, _entry: PhantomData }
    }

    fn entries(&self) -> std::vec::Vec<std::vec::Vec<u8>> {
        chunks(&load(&self.data, DATA_MAGIC).unwrap_or_default())
    }

    pub fn append(&self, item: &T) -> Result<u64, WriteError> {
        let mut payload = load(&self.data, DATA_MAGIC).unwrap_or_default();
        push_chunk(&mut payload, &item.to_bytes());
        save(&self.data, DATA_MAGIC, &payload);
        let index = self.len();
        save(&self.index, INDEX_MAGIC, &(index + 1).to_le_bytes());
        Ok(index)
    }

    pub fn get(&self, index: u64) -> Option<T> {
        self.entries().get(index as usize).map(|b| T::from_bytes(Cow::Borrowed(b)))
    }

    pub fn len(&self) -> u64 {
        let count = load(&self.index, INDEX_MAGIC).unwrap_or_else(|| vec![0; 8]);
        u64::from_le_bytes(count[..8].try_into().unwrap())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.entries().into_iter().map(|b| T::from_bytes(Cow::Owned(b)))
    }
}
