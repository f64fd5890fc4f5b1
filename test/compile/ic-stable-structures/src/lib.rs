//! Stand-in for ic-stable-structures 0.7: same names and signatures, simple internals. Every
//! structure serialises itself whole into its memory on each write; correctness, not speed.

pub mod btreemap;
pub mod cell;
pub mod log;
pub mod memory_manager;
pub mod storable;
pub mod vec;

use std::cell::RefCell;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::rc::Rc;

pub use btreemap::BTreeMap;
pub use btreemap::BTreeMap as StableBTreeMap;
pub use cell::Cell;
pub use cell::Cell as StableCell;
pub use log::Log;
pub use log::Log as StableLog;
pub use storable::Storable;
pub use vec::Vec;
pub use vec::Vec as StableVec;

pub const WASM_PAGE_SIZE: u64 = 65536;

/// A growable byte memory, addressed from 0, like a canister's stable memory.
pub trait Memory {
    fn size(&self) -> u64;
    fn grow(&self, pages: u64) -> i64;
    fn read(&self, offset: u64, dst: &mut [u8]);
    fn write(&self, offset: u64, src: &[u8]);
}

/// The canister's stable memory. Here it lives in the file named by `STABLE_MEMORY_FILE`, so it
/// survives the process the way stable memory survives an upgrade; without the variable it is RAM.
#[derive(Clone)]
pub struct DefaultMemoryImpl {
    bytes: Rc<RefCell<std::vec::Vec<u8>>>,
    file: Option<Rc<File>>,
}

impl Default for DefaultMemoryImpl {
    fn default() -> Self {
        let path = std::env::var_os("STABLE_MEMORY_FILE").map(PathBuf::from);
        let bytes = path.as_ref().and_then(|p| std::fs::read(p).ok()).unwrap_or_default();
        let file = path.map(|p| {
            let f = File::options().read(true).write(true).create(true).truncate(false).open(&p);
            Rc::new(f.expect("cannot open STABLE_MEMORY_FILE"))
        });
        Self { bytes: Rc::new(RefCell::new(bytes)), file }
    }
}

impl Memory for DefaultMemoryImpl {
    fn size(&self) -> u64 {
        self.bytes.borrow().len() as u64 / WASM_PAGE_SIZE
    }

    fn grow(&self, pages: u64) -> i64 {
        let old = self.size();
        let new_len = ((old + pages) * WASM_PAGE_SIZE) as usize;
        self.bytes.borrow_mut().resize(new_len, 0);
        if let Some(f) = &self.file {
            f.set_len(new_len as u64).expect("cannot grow STABLE_MEMORY_FILE");
        }
        old as i64
    }

    fn read(&self, offset: u64, dst: &mut [u8]) {
        let bytes = self.bytes.borrow();
        let start = offset as usize;
        assert!(start + dst.len() <= bytes.len(), "read out of bounds");
        dst.copy_from_slice(&bytes[start..start + dst.len()]);
    }

    fn write(&self, offset: u64, src: &[u8]) {
        let start = offset as usize;
        {
            let mut bytes = self.bytes.borrow_mut();
            assert!(start + src.len() <= bytes.len(), "write out of bounds");
            bytes[start..start + src.len()].copy_from_slice(src);
        }
        if let Some(f) = &self.file {
            f.write_all_at(src, offset).expect("cannot write STABLE_MEMORY_FILE");
        }
    }
}

/// Reads the blob a structure saved with `save`, when the memory holds one with this magic.
pub(crate) fn load(memory: &impl Memory, magic: &[u8; 3]) -> Option<std::vec::Vec<u8>> {
    if memory.size() == 0 {
        return None;
    }
    let mut header = [0u8; 11];
    memory.read(0, &mut header);
    if &header[..3] != magic {
        return None;
    }
    let len = u64::from_le_bytes(header[3..11].try_into().unwrap()) as usize;
    let mut payload = vec![0u8; len];
    memory.read(11, &mut payload);
    Some(payload)
}

/// Writes a structure's whole state as one blob: magic, length, payload.
pub(crate) fn save(memory: &impl Memory, magic: &[u8; 3], payload: &[u8]) {
    let total = 11 + payload.len() as u64;
    let pages = total.div_ceil(WASM_PAGE_SIZE);
    if memory.size() < pages {
        assert!(memory.grow(pages - memory.size()) >= 0, "grow failed");
    }
    let mut blob = magic.to_vec();
    blob.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    blob.extend_from_slice(payload);
    memory.write(0, &blob);
}

/// Length-prefixed byte strings, the payload format of every structure here.
pub(crate) fn push_chunk(out: &mut std::vec::Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

pub(crate) fn chunks(payload: &[u8]) -> std::vec::Vec<std::vec::Vec<u8>> {
    let mut out = std::vec::Vec::new();
    let mut pos = 0;
    while pos < payload.len() {
        let len = u32::from_le_bytes(payload[pos..pos + 4].try_into().unwrap()) as usize;
        out.push(payload[pos + 4..pos + 4 + len].to_vec());
        pos += 4 + len;
    }
    out
}
