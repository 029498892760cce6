//! Memory estimates per key, as Redis 7.x `MEMORY USAGE key SAMPLES 0` computes them
//! (object.c `objectComputeSize` + the key's sds + its dictEntry), from what the RDB says
//! about the value's encoding and sizes, with jemalloc's size classes standing in for
//! `zmalloc_size`. Where the server's number depends on things a dump does not record
//! (skiplist node levels, a stream's radix-tree shape, rehashing tables), the expected
//! value is used; see BENCHMARKS.md for the measured error.

/// jemalloc 5 (x86_64, 16-byte quantum) usable size for an allocation of `n` bytes:
/// 8, then multiples of 16 up to 128, then four classes per doubling.
pub fn size_class(n: u64) -> u64 {
    if n <= 8 {
        return 8;
    }
    if n <= 128 {
        return (n + 15) & !15;
    }
    let lg = 63 - (n - 1).leading_zeros() as u64;
    let delta = 1u64 << (lg - 2);
    n.saturating_add(delta - 1) & !(delta - 1)
}

/// sds header size for a string of `len` bytes (sdsReqType).
pub fn sds_header(len: u64) -> u64 {
    match len {
        0..32 => 1,
        32..256 => 3,
        256..65536 => 5,
        65536..4294967296 => 9,
        _ => 17,
    }
}

/// `sdsZmallocSize` of an exact-size sds holding `len` bytes.
pub fn sds(len: u64) -> u64 {
    size_class(sds_header(len).saturating_add(len).saturating_add(1))
}

pub const ROBJ: u64 = 16;
pub const DICT_ENTRY: u64 = 24;
pub const DICT: u64 = 56;
pub const QUICKLIST: u64 = 40;
/// sizeof(quicklistNode): 40 since Redis 7.0 (size_t sz), 32 before (RDB < 10)
pub fn quicklist_node(rdb_version: u32) -> u64 {
    if rdb_version >= 10 {
        40
    } else {
        32
    }
}
pub const ZSET: u64 = 16;
pub const ZSKIPLIST: u64 = 32;
/// zslCreateNode(ZSKIPLIST_MAXLEVEL = 32): 24 + 32 × 16 = 536 bytes → 640
pub const ZSL_HEADER: u64 = 640;
/// Expected allocation of a skiplist node: 24 + 16 × level bytes, level geometric
/// with p = 0.25 (zslRandomLevel), each rounded to its size class.
pub const ZSL_NODE_EXPECTED: f64 = 53.33;
pub const STREAM: u64 = 80;

/// The key's own cost in the keyspace dict: its sds and the dictEntry.
pub fn key_overhead(key_len: u64) -> u64 {
    sds(key_len).saturating_add(DICT_ENTRY)
}

/// A string value by encoding: `int` (robj only), `embstr` (one allocation for both) or
/// `raw` (sds allocation + robj).
pub fn string_value(encoding: &str, len: u64) -> u64 {
    match encoding {
        "int" => ROBJ,
        // robj and sds in one allocation: 16 + 3 + len + 1
        "embstr" => size_class(len.saturating_add(20)),
        _ => sds(len).saturating_add(ROBJ),
    }
}

/// Buckets of a dict holding `n` entries: 4 at least, else the next power of two ≥ n
/// (both incremental growth and the RDB loader's dictExpand end there).
pub fn dict_slots(n: u64) -> u64 {
    n.max(4)
        .checked_next_power_of_two()
        .unwrap_or(u64::MAX / 16)
}

/// robj + dict + bucket array; the per-entry costs are added by the caller.
pub fn dict_base(n: u64) -> u64 {
    (ROBJ + DICT).saturating_add(8u64.saturating_mul(dict_slots(n)))
}

/// A value stored as one blob (listpack, ziplist, intset, zipmap): robj + its allocation.
pub fn blob_value(bytes: u64) -> u64 {
    ROBJ.saturating_add(size_class(bytes))
}

/// Whether `v` is a string Redis stores with the `int` encoding (string2l accepts it:
/// canonical decimal, fits in a long, at most 20 chars).
pub fn is_int_string(v: &[u8]) -> bool {
    if v.is_empty() || v.len() > 20 {
        return false;
    }
    // only digits and a leading '-' can be one (skips the parser for most strings)
    if !v
        .iter()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || (i == 0 && *c == b'-'))
    {
        return false;
    }
    let Ok(s) = std::str::from_utf8(v) else {
        return false;
    };
    match s.parse::<i64>() {
        Ok(n) => itoa::Buffer::new().format(n).as_bytes() == v,
        Err(_) => false,
    }
}

/// Radix-tree cost as streamRadixTreeMemoryUsage counts it: 16 bytes per element and
/// (4 + 30 × 8) per node, for `nodes` nodes.
fn rax(elements: u64, nodes: u64) -> u64 {
    elements
        .saturating_mul(16)
        .saturating_add(nodes.saturating_mul(244))
}

/// The stream's tree of listpack nodes: about two tree nodes per listpack.
pub fn stream_rax(listpacks: u64) -> u64 {
    rax(listpacks, listpacks.saturating_mul(2).max(1))
}

/// A pending-entries tree: about 1.25 nodes per entry (measured on Redis 7.0).
pub fn pel_rax(entries: u64) -> u64 {
    rax(entries, (entries.saturating_mul(5) / 4 + 1).max(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jemalloc_classes() {
        let cases = [
            (1, 8),
            (8, 8),
            (9, 16),
            (17, 32),
            (33, 48),
            (100, 112),
            (128, 128),
            (129, 160),
            (257, 320),
            (536, 640),
            (1025, 1280),
            (4097, 5120),
            (16385, 20480),
        ];
        for (n, c) in cases {
            assert_eq!(size_class(n), c, "{n}");
        }
    }

    #[test]
    fn sds_sizes_and_ints() {
        assert_eq!(sds(10), 16); // 1 + 10 + 1 = 12 → 16
        assert_eq!(sds(31), 48); // 1 + 31 + 1 = 33 → 48
        assert_eq!(sds(32), 48); // 3 + 32 + 1 = 36 → 48
        assert!(is_int_string(b"12345"));
        assert!(is_int_string(b"-7"));
        assert!(!is_int_string(b"0123"));
        assert!(!is_int_string(b"+1"));
        assert!(!is_int_string(b"99999999999999999999"));
        assert_eq!(dict_slots(0), 4);
        assert_eq!(dict_slots(5), 8);
        assert_eq!(dict_slots(8), 8);
        assert_eq!(dict_slots(513), 1024);
    }
}
