//! Up to 255 virtual memories over one memory, in buckets (research §2). Buckets are one page
//! here, not 128, so the stand-in's memory file stays small.

use crate::{Memory, WASM_PAGE_SIZE};
use std::cell::RefCell;
use std::rc::Rc;

const MAGIC: &[u8; 3] = b"MGR";
const MAX_IDS: usize = 255;
const MAX_BUCKETS: usize = 4096;
const BUCKET_PAGES: u64 = 1;
const BUCKET_BYTES: u64 = BUCKET_PAGES * WASM_PAGE_SIZE;
const SIZES_OFFSET: u64 = 8;
const OWNERS_OFFSET: u64 = SIZES_OFFSET + 8 * MAX_IDS as u64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MemoryId(u8);

impl MemoryId {
    pub const fn new(id: u8) -> Self {
        assert!(id != 255, "MemoryId 255 is reserved");
        MemoryId(id)
    }
}

struct State<M: Memory> {
    memory: M,
    sizes: Vec<u64>,
    owners: Vec<u8>,
}

impl<M: Memory> State<M> {
    fn save_header(&self) {
        let mut header = MAGIC.to_vec();
        header.push(1);
        header.extend_from_slice(&(self.owners.len() as u16).to_le_bytes());
        header.extend_from_slice(&[0, 0]);
        for s in &self.sizes {
            header.extend_from_slice(&s.to_le_bytes());
        }
        header.extend_from_slice(&self.owners);
        self.memory.write(0, &header);
    }

    /// The physical address of a virtual offset of memory `id`.
    fn address(&self, id: u8, offset: u64) -> u64 {
        let nth = (offset / BUCKET_BYTES) as usize;
        let bucket = self.owners.iter().enumerate().filter(|(_, o)| **o == id).nth(nth).expect("out of bounds").0;
        WASM_PAGE_SIZE + bucket as u64 * BUCKET_BYTES + offset % BUCKET_BYTES
    }
}

pub struct MemoryManager<M: Memory> {
    state: Rc<RefCell<State<M>>>,
}

impl<M: Memory> MemoryManager<M> {
    /// Loads the manager the memory holds, or creates one (overwriting anything else there).
    pub fn init(memory: M) -> Self {
        let mut magic = [0u8; 3];
        if memory.size() > 0 {
            memory.read(0, &mut magic);
        }
        let state = if &magic == MAGIC {
            let mut count = [0u8; 2];
            memory.read(4, &mut count);
            let mut sizes = vec![0u64; MAX_IDS];
            for (i, s) in sizes.iter_mut().enumerate() {
                let mut b = [0u8; 8];
                memory.read(SIZES_OFFSET + 8 * i as u64, &mut b);
                *s = u64::from_le_bytes(b);
            }
            let mut owners = vec![0u8; u16::from_le_bytes(count) as usize];
            memory.read(OWNERS_OFFSET, &mut owners);
            State { memory, sizes, owners }
        } else {
            if memory.size() == 0 {
                memory.grow(1);
            }
            let state = State { memory, sizes: vec![0; MAX_IDS], owners: Vec::new() };
            state.save_header();
            state
        };
        Self { state: Rc::new(RefCell::new(state)) }
    }

    pub fn get(&self, id: MemoryId) -> VirtualMemory<M> {
        VirtualMemory { state: Rc::clone(&self.state), id: id.0 }
    }
}

#[derive(Clone)]
pub struct VirtualMemory<M: Memory> {
    state: Rc<RefCell<State<M>>>,
    id: u8,
}

impl<M: Memory> Memory for VirtualMemory<M> {
    fn size(&self) -> u64 {
        self.state.borrow().sizes[self.id as usize]
    }

    fn grow(&self, pages: u64) -> i64 {
        let mut s = self.state.borrow_mut();
        let old = s.sizes[self.id as usize];
        let owned = s.owners.iter().filter(|o| **o == self.id).count() as u64;
        let needed = (old + pages).div_ceil(BUCKET_PAGES);
        if s.owners.len() as u64 + needed.saturating_sub(owned) > MAX_BUCKETS as u64 {
            return -1;
        }
        for _ in owned..needed {
            s.owners.push(self.id);
        }
        let total = 1 + s.owners.len() as u64 * BUCKET_PAGES;
        let have = s.memory.size();
        if total > have {
            assert!(s.memory.grow(total - have) >= 0, "grow failed");
        }
        s.sizes[self.id as usize] = old + pages;
        s.save_header();
        old as i64
    }

    fn read(&self, offset: u64, dst: &mut [u8]) {
        let s = self.state.borrow();
        assert!(offset + dst.len() as u64 <= s.sizes[self.id as usize] * WASM_PAGE_SIZE, "{}: read out of bounds", self.id);
        let mut done = 0;
        while done < dst.len() {
            let at = offset + done as u64;
            let n = ((BUCKET_BYTES - at % BUCKET_BYTES) as usize).min(dst.len() - done);
            s.memory.read(s.address(self.id, at), &mut dst[done..done + n]);
            done += n;
        }
    }

    fn write(&self, offset: u64, src: &[u8]) {
        let s = self.state.borrow();
        assert!(offset + src.len() as u64 <= s.sizes[self.id as usize] * WASM_PAGE_SIZE, "{}: write out of bounds", self.id);
        let mut done = 0;
        while done < src.len() {
            let at = offset + done as u64;
            let n = ((BUCKET_BYTES - at % BUCKET_BYTES) as usize).min(src.len() - done);
            s.memory.write(s.address(self.id, at), &src[done..done + n]);
            done += n;
        }
    }
}
