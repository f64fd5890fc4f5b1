//! StableBTreeMap: a std BTreeMap of encoded values, saved whole on every write.

use crate::{chunks, load, push_chunk, save, Memory, Storable};
use std::borrow::Cow;
use std::marker::PhantomData;

const MAGIC: &[u8; 3] = b"BTR";

pub struct BTreeMap<K: Storable + Ord + Clone, V: Storable, M: Memory> {
    memory: M,
    entries: std::collections::BTreeMap<K, Vec<u8>>,
    _value: PhantomData<V>,
}

/// 0.7's iterator item: the key, and the value decoded on demand.
pub struct LazyEntry<K, V> {
    key: K,
    value: Vec<u8>,
    _value: PhantomData<V>,
}

impl<K, V: Storable> LazyEntry<K, V> {
    pub fn key(&self) -> &K {
        &self.key
    }
    pub fn value(&self) -> V {
        V::from_bytes(Cow::Borrowed(&self.value))
    }
    pub fn into_pair(self) -> (K, V) {
        let value = V::from_bytes(Cow::Owned(self.value));
        (self.key, value)
    }
}

impl<K: Storable + Ord + Clone, V: Storable, M: Memory> BTreeMap<K, V, M> {
    /// Loads the map the memory holds, or starts an empty one.
    pub fn init(memory: M) -> Self {
        let mut entries = std::collections::BTreeMap::new();
        if let Some(payload) = load(&memory, MAGIC) {
            let parts = chunks(&payload);
            for pair in parts.chunks(2) {
                entries.insert(K::from_bytes(Cow::Borrowed(&pair[0])), pair[1].clone());
            }
        }
        let map = Self { memory, entries, _value: PhantomData };
        map.save();
        map
    }

    /// Starts an empty map, overwriting whatever the memory held.
    pub fn new(memory: M) -> Self {
        let map = Self { memory, entries: std::collections::BTreeMap::new(), _value: PhantomData };
        map.save();
        map
    }

    fn save(&self) {
        let mut payload = Vec::new();
        for (k, v) in &self.entries {
            push_chunk(&mut payload, &k.to_bytes());
            push_chunk(&mut payload, v);
        }
        save(&self.memory, MAGIC, &payload);
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.entries.get(key).map(|v| V::from_bytes(Cow::Borrowed(v)))
    }

    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let old = self.entries.insert(key, value.into_bytes());
        self.save();
        old.map(|v| V::from_bytes(Cow::Owned(v)))
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        let old = self.entries.remove(key);
        self.save();
        old.map(|v| V::from_bytes(Cow::Owned(v)))
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.entries.contains_key(key)
    }

    pub fn len(&self) -> u64 {
        self.entries.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = LazyEntry<K, V>> + '_ {
        self.entries.iter().map(|(k, v)| LazyEntry { key: k.clone(), value: v.clone(), _value: PhantomData })
    }

    pub fn keys(&self) -> impl Iterator<Item = K> + '_ {
        self.entries.keys().cloned()
    }

    pub fn values(&self) -> impl Iterator<Item = V> + '_ {
        self.entries.values().map(|v| V::from_bytes(Cow::Borrowed(v)))
    }
}
