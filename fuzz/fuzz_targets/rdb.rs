//! Any bytes as an RDB dump: the streaming parser must return a result or an error naming
//! the offset, never panic, hang or allocate more than the input can justify.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut keys = 0u64;
    let _ = cachectl::rdb::parse(data, |_key| {
        keys += 1;
        Ok(())
    });
});
