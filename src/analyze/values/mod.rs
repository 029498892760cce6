//! `analyze --values N` (SPEC §3 analyze, "Values and compression"): what a pattern's values
//! are, recognised by their content, and what compressing them would save, measured with zstd
//! (level 3) and lz4 on a uniform sample. Pure: the engine reads the values online, the RDB
//! parser hands them over offline; this file decides and measures.
//!
//! Memory: each pattern keeps a reservoir of at most N sampled keys. Offline, a key is measured
//! (formats, compressed sizes, CPU time) when it enters the reservoir and only the figures are
//! kept; online, the reservoir keeps the key names during the scan and the values are read and
//! measured afterwards. Either way no value bytes outlive one key's measurement.

pub mod online;

use std::io::Write;

use anyhow::Result;

use crate::analyze::aggregate::{PatternRow, Severity};
use crate::analyze::AnalyzeReport;
pub use crate::engine::values::ReadValue;
use crate::render::{Columns, RenderCtx, AUTO};
use crate::units::{human_bytes, human_count};

/// The bytes of one value that are read (online `GETRANGE 0 65535`) or kept (offline): format
/// and compression are judged on this prefix of a bigger value.
pub const VALUE_CAP: usize = 64 * 1024;
/// Members (sets, lists, sorted sets) or field values (hashes) read from one collection.
pub const ITEMS_PER_KEY: usize = 16;
/// zstd's default level, the one an application would use.
pub const ZSTD_LEVEL: i32 = 3;
/// Compression is recommended from this average value size …
pub const MIN_AVG_VALUE: u64 = 1024;
/// … and this share of the value bytes saved.
pub const MIN_SAVED_PCT: f64 = 20.0;
/// A string value this small fits a listpack hash field (`hash-max-listpack-value` 64).
pub const TINY_VALUE: u64 = 64;
/// The hashes advice needs at least this many tiny strings in one pattern.
pub const TINY_MIN_KEYS: u64 = 1000;
/// Bytes a listpack entry adds around its payload (encoding header + back-length), for the
/// field and for the value: what a tiny string costs as a hash field instead of a key.
pub const LISTPACK_ENTRY_OVERHEAD: u64 = 2;

/// A value's format, recognised by content (never by key name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Json,
    Msgpack,
    PhpSerialized,
    JavaSerialized,
    Pickle,
    Protobuf,
    Gzip,
    Zlib,
    Zstd,
    Lz4,
    Snappy,
    Integer,
    Text,
    Binary,
}

impl Format {
    pub const ALL: [Format; 14] = [
        Format::Json,
        Format::Msgpack,
        Format::PhpSerialized,
        Format::JavaSerialized,
        Format::Pickle,
        Format::Protobuf,
        Format::Gzip,
        Format::Zlib,
        Format::Zstd,
        Format::Lz4,
        Format::Snappy,
        Format::Integer,
        Format::Text,
        Format::Binary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Msgpack => "msgpack",
            Format::PhpSerialized => "php-serialized",
            Format::JavaSerialized => "java-serialized",
            Format::Pickle => "pickle",
            Format::Protobuf => "protobuf",
            Format::Gzip => "gzip",
            Format::Zlib => "zlib",
            Format::Zstd => "zstd",
            Format::Lz4 => "lz4",
            Format::Snappy => "snappy",
            Format::Integer => "integer",
            Format::Text => "text",
            Format::Binary => "binary",
        }
    }

    /// Already compressed: compressing again saves nothing.
    pub fn compressed(self) -> bool {
        matches!(
            self,
            Format::Gzip | Format::Zlib | Format::Zstd | Format::Lz4 | Format::Snappy
        )
    }

    fn index(self) -> usize {
        Format::ALL.iter().position(|f| *f == self).expect("listed")
    }
}

/// The format of one value (or of its first [`VALUE_CAP`] bytes: a value cut there still
/// counts as the JSON, PHP or protobuf it starts as).
pub fn detect(v: &[u8]) -> Format {
    let cut = v.len() >= VALUE_CAP;
    if let Some(f) = magic(v) {
        return f;
    }
    if is_integer(v) {
        return Format::Integer;
    }
    if is_json(v, cut) {
        return Format::Json;
    }
    if is_php(v, cut) {
        return Format::PhpSerialized;
    }
    if is_msgpack(v) {
        return Format::Msgpack;
    }
    if is_text(v) {
        return Format::Text;
    }
    if is_protobuf(v, cut) {
        return Format::Protobuf;
    }
    Format::Binary
}

/// Formats that start with a signature.
fn magic(v: &[u8]) -> Option<Format> {
    const SNAPPY: &[u8] = b"\xff\x06\x00\x00sNaPpY";
    if v.starts_with(b"\x1f\x8b\x08") {
        Some(Format::Gzip)
    } else if v.starts_with(b"\x28\xb5\x2f\xfd") {
        Some(Format::Zstd)
    } else if v.starts_with(b"\x04\x22\x4d\x18") {
        Some(Format::Lz4)
    } else if v.starts_with(SNAPPY) {
        Some(Format::Snappy)
    } else if v.starts_with(b"\xac\xed\x00\x05") {
        Some(Format::JavaSerialized)
    } else if v.len() >= 3 && v[0] == 0x80 && (2..=5).contains(&v[1]) {
        // pickle protocol 2–5: PROTO n, then opcodes
        Some(Format::Pickle)
    } else if v.len() >= 3 && v[0] == 0x78 && matches!(v[1], 0x01 | 0x5e | 0x9c | 0xda) {
        // zlib: deflate with a 32 KiB window, the four levels' FLG bytes
        Some(Format::Zlib)
    } else {
        None
    }
}

fn is_integer(v: &[u8]) -> bool {
    let digits = v.strip_prefix(b"-").unwrap_or(v);
    !digits.is_empty() && digits.len() <= 20 && digits.iter().all(u8::is_ascii_digit)
}

fn is_json(v: &[u8], cut: bool) -> bool {
    let start = v.iter().position(|b| !b.is_ascii_whitespace());
    if !start.is_some_and(|i| matches!(v[i], b'{' | b'[' | b'"')) {
        return false;
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(v) {
        Ok(_) => true,
        Err(e) => cut && e.is_eof(),
    }
}

/// PHP `serialize()`: `a:2:{…}`, `O:4:"User":…`, `s:5:"hello";`, `i:42;`, `b:1;`, `d:0.5;`, `N;`.
fn is_php(v: &[u8], cut: bool) -> bool {
    let ends = |c: u8| cut || v.last() == Some(&c);
    match v {
        [b'N', b';'] => true,
        [b'a' | b'O' | b'C' | b's', b':', rest @ ..] => {
            let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            let after = rest.get(n..n + 2);
            n > 0
                && match v[0] {
                    b'a' => after == Some(b":{") && ends(b'}'),
                    b's' => after == Some(b":\"") && ends(b';'),
                    _ => after == Some(b":\"") && ends(b'}'),
                }
        }
        [b'i' | b'd' | b'b', b':', rest @ ..] => {
            rest.len() >= 2
                && rest.last() == Some(&b';')
                && rest[..rest.len() - 1]
                    .iter()
                    .all(|b| b.is_ascii_digit() || b"-.eE+".contains(b))
        }
        _ => false,
    }
}

/// MessagePack: a map or an array that decodes to the last byte.
fn is_msgpack(v: &[u8]) -> bool {
    let Some(&first) = v.first() else {
        return false;
    };
    if !matches!(first, 0x80..=0x9f | 0xdc..=0xdf) {
        return false;
    }
    let mut rest = v;
    rmpv::decode::read_value_with_max_depth(&mut rest, 64).is_ok() && rest.is_empty()
}

/// UTF-8 without control characters other than tab, CR and LF.
fn is_text(v: &[u8]) -> bool {
    let s = match std::str::from_utf8(v) {
        Ok(s) => s,
        // a value cut mid-character is still text
        Err(e) if v.len() >= VALUE_CAP && e.error_len().is_none() => {
            std::str::from_utf8(&v[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    s.chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
}

/// Protobuf-like: a sequence of well-formed fields (varint tag with a field number and a wire
/// type 0, 1, 2 or 5, then its payload) that ends exactly at the value's end.
fn is_protobuf(v: &[u8], cut: bool) -> bool {
    fn varint(v: &[u8], i: &mut usize) -> Option<u64> {
        let mut x = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *v.get(*i)?;
            *i += 1;
            x |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(x);
            }
        }
        None
    }
    if v.len() < 2 {
        return false;
    }
    let mut i = 0;
    let mut fields = 0;
    while i < v.len() {
        let Some(tag) = varint(v, &mut i) else {
            return cut;
        };
        if tag >> 3 == 0 || tag >> 3 >= 1 << 29 {
            return false;
        }
        let step = match tag & 7 {
            0 => match varint(v, &mut i) {
                Some(_) => 0,
                None => return cut,
            },
            1 => 8,
            5 => 4,
            2 => match varint(v, &mut i) {
                Some(n) => n,
                None => return cut,
            },
            _ => return false,
        };
        i = match i.checked_add(step as usize) {
            Some(e) if e <= v.len() => e,
            _ => return cut,
        };
        fields += 1;
    }
    fields > 0
}

/// What one sampled key's values measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measured {
    pub key_len: u64,
    /// the key's memory (MEMORY USAGE, or the RDB estimate)
    pub memory: u64,
    /// bytes of the key's whole value (string length; elements × the average item sampled)
    pub value_bytes: u64,
    /// the values measured (1 for a string; members or field values of a collection)
    pub items: u64,
    pub item_bytes: u64,
    /// compressed sizes, each value kept as is when compression would make it bigger
    pub zstd_bytes: u64,
    pub lz4_bytes: u64,
    /// CPU time (this thread's) zstd took on these values
    pub zstd_ns: u64,
    pub formats: [u32; 14],
    /// strings only (the hashes advice)
    pub string: bool,
}

thread_local! {
    static ZSTD: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// This thread's CPU time in ns: what compression costs, whatever else the machine runs (wall
/// time would count the time the thread waits for a core).
fn thread_cpu_ns() -> u64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a pointer to a timespec that lives through the call
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    if ok {
        t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
    } else {
        0
    }
}

/// zstd at [`ZSTD_LEVEL`] on one value: (compressed size, CPU ns). A reused context, as an
/// application would keep one.
fn zstd_size(v: &[u8]) -> (u64, u64) {
    ZSTD.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = zstd::bulk::Compressor::new(ZSTD_LEVEL).ok();
        }
        let started = thread_cpu_ns();
        let size = c
            .as_mut()
            .and_then(|z| z.compress(v).ok())
            .map_or(v.len() as u64, |out| out.len() as u64);
        (size, thread_cpu_ns().saturating_sub(started))
    })
}

/// Measure one key's values (each cut at [`VALUE_CAP`], at most [`ITEMS_PER_KEY`] of them).
pub fn measure(key_len: usize, memory: u64, read: &ReadValue) -> Measured {
    let mut m = Measured {
        key_len: key_len as u64,
        memory,
        string: read.string,
        ..Measured::default()
    };
    for item in read.items.iter().take(ITEMS_PER_KEY) {
        let v = &item[..item.len().min(VALUE_CAP)];
        m.items += 1;
        m.item_bytes += v.len() as u64;
        m.formats[detect(v).index()] += 1;
        let (z, ns) = zstd_size(v);
        m.zstd_bytes += z.min(v.len() as u64);
        m.zstd_ns += ns;
        m.lz4_bytes += (lz4_flex::block::compress_prepend_size(v).len() as u64).min(v.len() as u64);
    }
    m.value_bytes = if read.string {
        read.len
    } else {
        (read.len * m.item_bytes).checked_div(m.items).unwrap_or(0)
    };
    m.value_bytes = m.value_bytes.min(memory);
    m
}

/// One place of the reservoir: a key chosen online whose value is read after the scan, or
/// the figures of a key measured.
#[derive(Debug, Clone)]
pub enum Slot {
    Pending(Pending),
    Done(Measured),
}

/// A sampled key whose value is still to be read (online).
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub id: u64,
    pub node: usize,
    pub key: Vec<u8>,
    pub type_idx: usize,
    pub memory: u64,
}

/// A uniform sample of at most `cap` keys of one pattern (a [`crate::stats::Sampler`],
/// deterministic): a key's slot is taken when it is admitted and filled by the caller.
#[derive(Debug, Clone)]
pub struct ValueSample(crate::stats::Sampler<Slot>);

impl Default for ValueSample {
    fn default() -> Self {
        ValueSample(crate::stats::Sampler::new(0, 0x2545_F491_4F6C_DD1D))
    }
}

impl ValueSample {
    /// Offer the next key of the pattern to a sample of `cap`: the slot it takes (to be filled
    /// by the caller), or None when it is not sampled.
    pub fn admit(&mut self, cap: usize) -> Option<&mut Slot> {
        let s = &mut self.0;
        s.cap = s.cap.max(cap);
        let i = s.admit()?;
        if i == s.items.len() {
            s.items.push(Slot::Done(Measured::default()));
        }
        Some(&mut s.items[i])
    }

    /// Merge keeping each side's share proportional to the keys it has seen.
    pub fn merge(&mut self, o: ValueSample) {
        self.0.merge(o.0);
    }

    /// Keys offered so far.
    pub fn seen(&self) -> u64 {
        self.0.seen
    }

    /// Keys in the sample.
    pub fn len(&self) -> usize {
        self.0.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.items.is_empty()
    }

    /// The keys still to be read (online).
    pub fn pending(&self) -> impl Iterator<Item = &Pending> {
        self.0.items.iter().filter_map(|s| match s {
            Slot::Pending(p) => Some(p),
            Slot::Done(_) => None,
        })
    }

    /// Put the measured values in place of the pending keys (`None`: the key vanished or
    /// holds nothing to measure, and leaves the sample).
    pub fn fill(&mut self, mut measured: impl FnMut(u64) -> Option<Option<Measured>>) {
        self.0.items.retain_mut(|s| match s {
            Slot::Pending(p) => match measured(p.id) {
                Some(Some(m)) => {
                    *s = Slot::Done(m);
                    true
                }
                Some(None) => false,
                None => true,
            },
            Slot::Done(_) => true,
        });
    }

    /// The pattern's figures from the measured keys; `memory` is the pattern's (extrapolated)
    /// memory. None when nothing was measured.
    pub fn summary(&self, memory: u64) -> Option<ValueSummary> {
        let mut t = Measured::default();
        let mut keys = 0u64;
        let mut strings = 0u64;
        for s in &self.0.items {
            if let Slot::Done(m) = s {
                if m.items == 0 {
                    continue;
                }
                keys += 1;
                strings += u64::from(m.string);
                t.key_len += m.key_len;
                t.memory += m.memory;
                t.value_bytes += m.value_bytes;
                t.items += m.items;
                t.item_bytes += m.item_bytes;
                t.zstd_bytes += m.zstd_bytes;
                t.lz4_bytes += m.lz4_bytes;
                t.zstd_ns += m.zstd_ns;
                for (a, b) in t.formats.iter_mut().zip(m.formats) {
                    *a += b;
                }
            }
        }
        if t.items == 0 {
            return None;
        }
        let saved = |c: u64| {
            if t.item_bytes == 0 {
                0.0
            } else {
                round1(100.0 * (t.item_bytes - c.min(t.item_bytes)) as f64 / t.item_bytes as f64)
            }
        };
        let compressible_pct = saved(t.zstd_bytes);
        // only the values' share of the memory shrinks: the key, its dict entry, its object
        // header and expiry stay
        let value_share = if t.memory > 0 {
            (t.value_bytes as f64 / t.memory as f64).min(1.0)
        } else {
            0.0
        };
        let mut formats: Vec<(Format, u64)> = Format::ALL
            .iter()
            .zip(t.formats)
            .filter(|(_, c)| *c > 0)
            .map(|(f, c)| (*f, u64::from(c)))
            .collect();
        formats.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Some(ValueSummary {
            format: formats[0].0,
            formats,
            keys,
            all_strings: strings == keys,
            values: t.items,
            avg_value_bytes: t.item_bytes / t.items,
            avg_key_bytes: t.key_len / keys,
            avg_whole_value_bytes: t.value_bytes / keys,
            compressible_pct,
            compressible_lz4_pct: saved(t.lz4_bytes),
            compress_savings_bytes: (memory as f64 * value_share * compressible_pct / 100.0).round()
                as u64,
            zstd_us_per_value: t.zstd_ns as f64 / t.items as f64 / 1000.0,
        })
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A pattern's values, summed up.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueSummary {
    /// the most common format
    pub format: Format,
    /// every format seen, most common first
    pub formats: Vec<(Format, u64)>,
    /// keys measured
    pub keys: u64,
    pub all_strings: bool,
    /// values measured (strings, members, field values)
    pub values: u64,
    pub avg_value_bytes: u64,
    pub avg_key_bytes: u64,
    /// a key's whole value (all its members for a collection)
    pub avg_whole_value_bytes: u64,
    pub compressible_pct: f64,
    pub compressible_lz4_pct: f64,
    pub compress_savings_bytes: u64,
    pub zstd_us_per_value: f64,
}

/// What the findings need to know of the pattern's row.
pub struct RowFacts<'a> {
    pub pattern: &'a str,
    pub keys: u64,
    pub avg_bytes: u64,
    pub no_ttl_keys: u64,
}

/// Findings only where they pay: compression of values of 1 KiB+ that it shrinks by 20%+,
/// values already compressed (said, never "compress these"), and many tiny strings that
/// hashes would hold without the per-key overhead.
pub fn findings(r: &RowFacts, v: &ValueSummary) -> Vec<(Severity, String)> {
    let mut out = Vec::new();
    let compressed: u64 = v
        .formats
        .iter()
        .filter(|(f, _)| f.compressed())
        .map(|(_, c)| c)
        .sum();
    if v.format.compressed() {
        out.push((
            Severity::Info,
            format!(
                "values are already compressed ({}: {} of {} sampled, avg {}): compressing them again saves nothing (zstd {:.0}%)",
                v.format.as_str(),
                human_count(compressed),
                human_count(v.values),
                human_bytes(v.avg_value_bytes),
                v.compressible_pct
            ),
        ));
    } else if v.avg_value_bytes >= MIN_AVG_VALUE && v.compressible_pct >= MIN_SAVED_PCT {
        out.push((
            Severity::Info,
            format!(
                "compress `{}` ({}, avg {}): zstd saves {:.0}% (≈ {}), lz4 {:.0}%; ≈ {:.0} µs per value to compress (zstd level {ZSTD_LEVEL}, measured on {} values)",
                r.pattern,
                v.format.as_str(),
                human_bytes(v.avg_value_bytes),
                v.compressible_pct,
                human_bytes(v.compress_savings_bytes),
                v.compressible_lz4_pct,
                v.zstd_us_per_value.max(1.0),
                human_count(v.values)
            ),
        ));
    }
    if let Some(saved) = hash_savings(r, v) {
        out.push((
            Severity::Info,
            format!(
                "{} tiny strings (avg {} value, {} per key in memory): as fields of hashes of up to 128 fields (listpack) they would take ≈ {} each, saving ≈ {}{}",
                human_count(r.keys),
                human_bytes(v.avg_value_bytes),
                human_bytes(r.avg_bytes),
                human_bytes(hash_field_bytes(v)),
                human_bytes(saved),
                if r.no_ttl_keys < r.keys {
                    " (a TTL per field needs HEXPIRE: Redis 7.4+, Valkey 9)"
                } else {
                    ""
                }
            ),
        ));
    }
    out
}

/// What a tiny string costs as a listpack hash field: the key as the field name (a
/// conservative bound: bucketing keeps only part of it), the value, each entry's header and
/// back-length; the hash's own overhead is shared by its fields.
fn hash_field_bytes(v: &ValueSummary) -> u64 {
    v.avg_key_bytes + v.avg_whole_value_bytes + 2 * LISTPACK_ENTRY_OVERHEAD
}

/// The memory hashes would save on a pattern of many tiny strings, when it is worth saying
/// (at least a third of the pattern's memory).
fn hash_savings(r: &RowFacts, v: &ValueSummary) -> Option<u64> {
    if !v.all_strings || r.keys < TINY_MIN_KEYS || v.avg_whole_value_bytes > TINY_VALUE {
        return None;
    }
    let per_key = r.avg_bytes.checked_sub(hash_field_bytes(v))?;
    (per_key * 3 >= r.avg_bytes).then_some(per_key * r.keys)
}

/// `json:198 text:2`, most common first.
pub fn formats_cell(p: &PatternRow) -> String {
    let mut v: Vec<(&String, &u64)> = p.value_formats.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(f, c)| format!("{f}:{c}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The value columns per pattern: last in CSV (empty without `--values`); in the table, a
/// section of their own (`in_table`).
pub fn value_columns(c: &mut Columns<'static, PatternRow>, in_table: bool) {
    c.plain("value_format", "FORMAT", AUTO, |p| p.value_format.clone())
        .table_if(in_table)
        .plain("value_formats", "FORMATS", AUTO, formats_cell)
        .table_if(in_table)
        .percent("compressible_pct", "ZSTD %", AUTO, |p| p.compressible_pct)
        .table_if(in_table)
        .percent("compressible_lz4_pct", "LZ4 %", AUTO, |p| {
            p.compressible_lz4_pct
        })
        .table_if(in_table)
        .bytes("compress_savings_bytes", "SAVES (zstd)", AUTO, |p| {
            p.compress_savings_bytes
        })
        .table_if(in_table);
}

/// The table's "Values" section (with `--values`). Reads that touched LRU are said once, on
/// stderr, when they happen (`online::touch_warning`).
pub fn write_section(r: &AnalyzeReport, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
    let Some(run) = &r.values else {
        return Ok(());
    };
    writeln!(
        w,
        "\nValues ({} per pattern, {} measured; zstd level {ZSTD_LEVEL})",
        human_count(run.per_pattern as u64),
        crate::units::plural(run.keys, "key", "keys")
    )?;
    let mut c: Columns<PatternRow> = Columns::new();
    c.table_only("PATTERN", AUTO, |p, _| p.pattern.clone());
    value_columns(&mut c, true);
    let rows = r.patterns.iter().filter(|p| p.value_format.is_some());
    writeln!(w, "{}", c.table(ctx, rows))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn random(n: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    fn doc(i: usize) -> Vec<u8> {
        format!(
            r#"{{"id":{i},"name":"user {i}","email":"user{i}@example.com","roles":["reader","writer"],"bio":"{}"}}"#,
            "lorem ipsum dolor sit amet ".repeat(40)
        )
        .into_bytes()
    }

    #[test]
    fn formats_by_content() {
        let gz = {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&doc(1)).unwrap();
            e.finish().unwrap()
        };
        let zl = {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&doc(1)).unwrap();
            e.finish().unwrap()
        };
        let zs = zstd::bulk::compress(&doc(1), 3).unwrap();
        let lz4 = {
            let mut e = lz4_flex::frame::FrameEncoder::new(Vec::new());
            e.write_all(&doc(1)).unwrap();
            e.finish().unwrap()
        };
        let mp = {
            let v = rmpv::Value::Map(vec![
                ("id".into(), 7.into()),
                ("name".into(), "ada".into()),
                (
                    "tags".into(),
                    rmpv::Value::Array(vec!["a".into(), 2.into()]),
                ),
            ]);
            let mut out = Vec::new();
            rmpv::encode::write_value(&mut out, &v).unwrap();
            out
        };
        // a protobuf message: field 1 varint 150, field 2 string "testing", field 3 fixed32
        let pb = b"\x08\x96\x01\x12\x07testing\x1d\x00\x00\x80\x3f".to_vec();
        let cases: Vec<(Vec<u8>, Format)> = vec![
            (doc(1), Format::Json),
            (b"[1, 2, {\"a\": null}]".to_vec(), Format::Json),
            (b"\"quoted\"".to_vec(), Format::Json),
            (b"{not json".to_vec(), Format::Text),
            (mp, Format::Msgpack),
            (
                br#"a:2:{s:2:"id";i:7;s:4:"name";s:3:"ada";}"#.to_vec(),
                Format::PhpSerialized,
            ),
            (
                br#"O:4:"User":1:{s:2:"id";i:7;}"#.to_vec(),
                Format::PhpSerialized,
            ),
            (b"i:42;".to_vec(), Format::PhpSerialized),
            (
                b"\xac\xed\x00\x05sr\x00\x04User".to_vec(),
                Format::JavaSerialized,
            ),
            (
                b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94.".to_vec(),
                Format::Pickle,
            ),
            (pb, Format::Protobuf),
            (gz, Format::Gzip),
            (zl, Format::Zlib),
            (zs, Format::Zstd),
            (lz4, Format::Lz4),
            (b"\xff\x06\x00\x00sNaPpY\x01\x00".to_vec(), Format::Snappy),
            (b"12345".to_vec(), Format::Integer),
            (b"-7".to_vec(), Format::Integer),
            (b"hello world\n".to_vec(), Format::Text),
            ("grüße".as_bytes().to_vec(), Format::Text),
            (b"".to_vec(), Format::Text),
            (random(2048, 7), Format::Binary),
            (b"a\x00b\x01".to_vec(), Format::Binary),
        ];
        for (v, want) in cases {
            assert_eq!(detect(&v), want, "{:?}", String::from_utf8_lossy(&v));
        }
    }

    #[test]
    fn random_bytes_are_binary_whatever_the_seed() {
        let binary = (1..200u64)
            .filter(|s| detect(&random(1500, *s)) == Format::Binary)
            .count();
        assert!(binary >= 197, "{binary} of 199");
    }

    #[test]
    fn a_value_cut_at_the_cap_keeps_its_format() {
        let mut big = b"{\"items\":[".to_vec();
        while big.len() < VALUE_CAP + 100 {
            big.extend_from_slice(b"{\"a\":1,\"b\":\"xyz\"},");
        }
        assert_eq!(detect(&big[..VALUE_CAP]), Format::Json);
        assert_eq!(detect(&big[..1000]), Format::Text, "short and unterminated");
    }

    #[test]
    fn measured_savings_are_real_compression() {
        let m = measure(
            8,
            10_000,
            &ReadValue {
                items: vec![doc(1)],
                len: doc(1).len() as u64,
                string: true,
            },
        );
        assert_eq!(m.items, 1);
        assert_eq!(m.item_bytes, doc(1).len() as u64);
        assert_eq!(m.formats[Format::Json.index()], 1);
        assert_eq!(
            m.zstd_bytes,
            zstd::bulk::compress(&doc(1), 3).unwrap().len() as u64
        );
        assert!(m.lz4_bytes < m.item_bytes);
        assert!(m.zstd_ns > 0, "the CPU time zstd took is measured");
        // random bytes: kept as they are, nothing saved
        let r = measure(
            8,
            3000,
            &ReadValue {
                items: vec![random(2000, 3)],
                len: 2000,
                string: true,
            },
        );
        assert_eq!((r.zstd_bytes, r.lz4_bytes), (2000, 2000));
    }

    fn sample_of(
        values: impl Iterator<Item = Vec<u8>>,
        memory_each: u64,
        cap: usize,
    ) -> ValueSample {
        let mut s = ValueSample::default();
        for v in values {
            if let Some(slot) = s.admit(cap) {
                *slot = Slot::Done(measure(
                    10,
                    memory_each,
                    &ReadValue {
                        len: v.len() as u64,
                        items: vec![v],
                        string: true,
                    },
                ));
            }
        }
        s
    }

    #[test]
    fn the_reservoir_is_bounded_and_uniform() {
        let mut s = ValueSample::default();
        let mut first_half = 0;
        for i in 0..10_000u64 {
            if let Some(slot) = s.admit(100) {
                *slot = Slot::Pending(Pending {
                    id: i,
                    node: 0,
                    key: vec![],
                    type_idx: 0,
                    memory: 0,
                });
            }
        }
        assert_eq!(s.len(), 100);
        for p in s.pending() {
            first_half += usize::from(p.id < 5000);
        }
        assert!((30..=70).contains(&first_half), "{first_half}");
        let mut other = ValueSample::default();
        for _ in 0..10_000 {
            if let Some(slot) = other.admit(100) {
                *slot = Slot::Done(Measured::default());
            }
        }
        s.merge(other);
        assert_eq!(s.len(), 100);
        assert_eq!(s.seen(), 20_000);
        let pending = s.pending().count();
        assert!((45..=55).contains(&pending), "{pending}");
    }

    #[test]
    fn json_summary_recommends_zstd_with_the_saving_extrapolated() {
        let s = sample_of((0..300).map(doc), 1500, 200);
        let v = s.summary(1_000_000).unwrap();
        assert_eq!(v.format, Format::Json);
        assert_eq!(v.values, 200);
        assert!(v.compressible_pct > 50.0, "{v:?}");
        // a value is ~1.2 KiB of a key's 1,500 bytes: the rest is per-key overhead
        let share = v.avg_whole_value_bytes as f64 / 1500.0;
        let want = 1_000_000.0 * share * v.compressible_pct / 100.0;
        assert!(
            (v.compress_savings_bytes as f64 - want).abs() / want < 0.02,
            "{} vs {want}",
            v.compress_savings_bytes
        );
        let f = findings(
            &RowFacts {
                pattern: "doc:*",
                keys: 300,
                avg_bytes: 1500,
                no_ttl_keys: 300,
            },
            &v,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].1.starts_with("compress `doc:*` (json, avg 1."),
            "{}",
            f[0].1
        );
        assert!(f[0].1.contains("µs per value"), "{}", f[0].1);
    }

    #[test]
    fn no_advice_for_random_bytes_or_small_values_and_compressed_ones_are_said() {
        let v = sample_of((0..50).map(|i| random(2000, i + 1)), 2100, 50)
            .summary(105_000)
            .unwrap();
        assert_eq!(v.format, Format::Binary);
        assert_eq!(v.compressible_pct, 0.0);
        let facts = RowFacts {
            pattern: "blob:*",
            keys: 50,
            avg_bytes: 2100,
            no_ttl_keys: 50,
        };
        assert!(findings(&facts, &v).is_empty());
        // compressible but small (avg < 1 KiB): not worth it
        let small = sample_of(
            (0..50).map(|i| format!("{{\"a\":{i},\"b\":\"{}\"}}", "x".repeat(300)).into_bytes()),
            400,
            50,
        )
        .summary(20_000)
        .unwrap();
        assert!(small.compressible_pct > 20.0);
        assert!(findings(&facts, &small).is_empty());
        let gz = sample_of(
            (0..20).map(|i| {
                let mut e =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(&doc(i)).unwrap();
                e.finish().unwrap()
            }),
            400,
            20,
        )
        .summary(8000)
        .unwrap();
        assert_eq!(gz.format, Format::Gzip);
        let f = findings(&facts, &gz);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].1
                .starts_with("values are already compressed (gzip: 20 of 20"),
            "{}",
            f[0].1
        );
        assert!(!f[0].1.contains("compress `"));
    }

    #[test]
    fn the_values_section_shows_the_sampled_patterns_only() {
        let mut json = PatternRow {
            pattern: "doc:*".into(),
            ..PatternRow::default()
        };
        let v = sample_of((0..20).map(doc), 1500, 20)
            .summary(30_000)
            .unwrap();
        crate::analyze::aggregate::set_values(&mut json, &v);
        let other = PatternRow {
            pattern: "stream:*".into(),
            ..PatternRow::default()
        };
        let r = AnalyzeReport {
            patterns: vec![json, other],
            values: Some(crate::analyze::ValuesRun {
                per_pattern: 20,
                keys: 20,
                touched_lru: false,
            }),
            ..AnalyzeReport::default()
        };
        let ctx = RenderCtx {
            format: crate::render::Format::Table,
            color: false,
            tty: false,
            width: Some(100),
        };
        let mut out = Vec::new();
        write_section(&r, &ctx, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("Values (20 per pattern, 20 keys measured; zstd level 3)"),
            "{text}"
        );
        assert!(text.contains("doc:*") && text.contains("json:20"), "{text}");
        assert!(!text.contains("stream:*"), "{text}");
        let mut out = Vec::new();
        write_section(&AnalyzeReport::default(), &ctx, &mut out).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn many_tiny_strings_get_the_hashes_estimate() {
        let v = sample_of((0..200).map(|i| format!("v{i}").into_bytes()), 64, 100)
            .summary(64 * 5000)
            .unwrap();
        let facts = RowFacts {
            pattern: "flag:*",
            keys: 5000,
            avg_bytes: 64,
            no_ttl_keys: 0,
        };
        let f = findings(&facts, &v);
        assert_eq!(f.len(), 1, "{f:?}");
        // 64 B per key now, 10 (key) + ~3 (value) + 4 as a field: ≈ 47 B saved per key
        let per_key = 64 - (10 + v.avg_whole_value_bytes + 4);
        assert!(f[0].1.contains(&human_bytes(per_key * 5000)), "{}", f[0].1);
        assert!(f[0].1.contains("HEXPIRE"), "{}", f[0].1);
        let few = RowFacts { keys: 10, ..facts };
        assert!(findings(&few, &v).is_empty());
    }
}
