//! StableVec: bounded elements only (research §3.4), saved whole on every write.

use crate::storable::Bound;
use crate::{chunks, load, push_chunk, save, Memory, Storable};
use std::borrow::Cow;
use std::marker::PhantomData;

const MAGIC: &[u8; 3] = b"SVC";

pub struct Vec<T: Storable, M: Memory> {
    memory: M,
    _element: PhantomData<T>,
}

impl<T: Storable, M: Memory> Vec<T, M> {
    /// Loads the vector the memory holds, or starts an empty one. Panics for unbounded elements.
    pub fn init(memory: M) -> Self {
        if let Bound::Unbounded = T::BOUND {
            panic!("Cannot get bounds of unbounded type.");
        }
        let v = Self { memory, _element: PhantomData };
        if load(&v.memory, MAGIC).is_none() {
            save(&v.memory, MAGIC, &[]);
        }
        v
    }

    pub fn new(memory: M) -> Self {
        save(&memory, MAGIC, &[]);
        Self::init(memory)
    }

    fn items(&self) -> std::vec::Vec<std::vec::Vec<u8>> {
        chunks(&load(&self.memory, MAGIC).unwrap_or_default())
    }

    fn store(&self, items: &[std::vec::Vec<u8>]) {
        let mut payload = std::vec::Vec::new();
        for i in items {
            push_chunk(&mut payload, i);
        }
        save(&self.memory, MAGIC, &payload);
    }

    pub fn push(&self, item: &T) {
        let mut items = self.items();
        items.push(item.to_bytes().into_owned());
        self.store(&items);
    }

    pub fn pop(&self) -> Option<T> {
        let mut items = self.items();
        let last = items.pop()?;
        self.store(&items);
        Some(T::from_bytes(Cow::Owned(last)))
    }

    pub fn get(&self, index: u64) -> Option<T> {
        self.items().get(index as usize).map(|b| T::from_bytes(Cow::Borrowed(b)))
    }

    pub fn set(&self, index: u64, item: &T) {
        let mut items = self.items();
        items[index as usize] = item.to_bytes().into_owned();
        self.store(&items);
    }

    pub fn len(&self) -> u64 {
        self.items().len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.items().into_iter().map(|b| T::from_bytes(Cow::Owned(b)))
    }
}
