use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::DefaultMemoryImpl;
use std::cell::RefCell;

pub type Memory = VirtualMemory<DefaultMemoryImpl>;

pub const PROFILES_MEMORY_ID: MemoryId = MemoryId::new(0);
pub const HANDLES_MEMORY_ID: MemoryId = MemoryId::new(1);
pub const AVATARS_MEMORY_ID: MemoryId = MemoryId::new(2);
pub const EVENTS_INDEX_MEMORY_ID: MemoryId = MemoryId::new(3);
pub const EVENTS_DATA_MEMORY_ID: MemoryId = MemoryId::new(4);

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
}

pub fn get(id: MemoryId) -> Memory {
    MEMORY_MANAGER.with(|m| m.borrow().get(id))
}
