//! A streaming RDB parser for offline `analyze`: RDB 9 (Redis 5) up to RDB 12 (Redis 7.4 and
//! 8.x) and Valkey's RDB 80 (Valkey 9), every value type they write. It reads any `Read`
//! once, front to back, keeping one key and one value blob at a time, and reports per key:
//! database, name, type, encoding, element count, serialized size, expiry and an estimate
//! of the memory the key uses on the server (`mem.rs`).
//!
//! Why our own: the maintained crate (`librdb`, a binding to Redis's C parser) delivers the
//! decoded data but not the encoding-level sizes (listpack/ziplist blob lengths, quicklist
//! nodes) the memory estimate needs, and builds C code; the pure-Rust crates stop at RDB 7
//! to 9 (no listpack, quicklist 2 or hash field TTLs). Corrupt or truncated input is an
//! error naming the byte offset, never a panic (`fuzz_no_panic` test below).

pub mod lzf;
pub mod mem;

use std::fmt;
use std::io::Read;

/// What the parser learned about one key.
#[derive(Debug, Clone)]
pub struct RdbKey<'a> {
    pub db: u64,
    pub key: &'a [u8],
    /// index into `analysis::TYPES`
    pub type_idx: usize,
    /// what `OBJECT ENCODING` would answer on the server that wrote the dump
    pub encoding: &'static str,
    /// elements of a collection (fields of a hash, entries of a stream); None for strings
    pub elements: Option<u64>,
    /// bytes of the serialized value in the dump
    pub rdb_bytes: u64,
    /// absolute expiry (unix ms)
    pub expire_ms: Option<i64>,
    /// estimated `MEMORY USAGE key SAMPLES 0`
    pub memory: u64,
    pub idle_s: Option<u64>,
    pub freq: Option<u64>,
    /// the dump's creation time (`ctime` aux field), unix ms
    pub snapshot_ms: Option<i64>,
    /// Up to `ParseOptions::values` items of the value, each cut to `VALUE_MAX` bytes: a
    /// string's bytes (after LZF / integer decoding); a list's first elements, a set's or a
    /// zset's first members, a hash's first field values. Empty with `values: 0` and for
    /// streams and module values.
    pub values: &'a [Vec<u8>],
    /// hash fields with a TTL of their own (Redis 7.4+ `HEXPIRE`, Valkey 9); 0 otherwise
    pub fields_with_ttl: u64,
}

/// What `parse_with` delivers beyond the per-key facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// items of each key's value to deliver in `RdbKey::values` (0: none, the fastest)
    pub values: usize,
}

/// The longest value item `RdbKey::values` holds; longer ones are cut to this.
pub const VALUE_MAX: usize = 64 * 1024;

/// Facts about the whole dump.
#[derive(Debug, Clone, Default)]
pub struct RdbSummary {
    pub version: u32,
    pub valkey: bool,
    pub server_version: Option<String>,
    pub snapshot_ms: Option<i64>,
    pub keys: u64,
    pub bytes: u64,
}

#[derive(Debug)]
pub struct RdbError {
    pub offset: u64,
    pub message: String,
}

impl fmt::Display for RdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RDB invalid at byte offset {}: {}",
            self.offset, self.message
        )
    }
}

impl std::error::Error for RdbError {}

/// A callback's error stops the parse and is returned as is (e.g. an interruption).
pub enum Stop {
    Rdb(RdbError),
    Callback(anyhow::Error),
}

type Res<T> = Result<T, Stop>;

const BUF: usize = 256 * 1024;

/// Redis's CRC-64 (Jones polynomial, reflected, init 0, no final xor): the checksum an RDB
/// ends with; slicing-by-16 tables (the `crc` crate), about 8× the bytewise loop.
static CRC64: crc::Crc<u64, crc::Table<16>> =
    crc::Crc::<u64, crc::Table<16>>::new(&crc::CRC_64_REDIS);

#[cfg(test)]
fn crc64_update(crc: u64, bytes: &[u8]) -> u64 {
    assert_eq!(crc, 0);
    CRC64.checksum(bytes)
}

/// A buffered reader that knows its byte offset and the CRC-64 of what it consumed.
struct Input<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    base: u64,
    /// CRC-64 of the bytes of every buffer before the current one
    crc: crc::Digest<'static, u64, crc::Table<16>>,
}

impl<R: Read> Input<R> {
    fn new(inner: R) -> Self {
        Input {
            inner,
            buf: vec![0u8; BUF].into_boxed_slice(),
            pos: 0,
            end: 0,
            base: 0,
            crc: CRC64.digest(),
        }
    }

    /// CRC-64 of every byte consumed so far.
    fn crc(&self) -> u64 {
        let mut d = self.crc.clone();
        d.update(&self.buf[..self.pos]);
        d.finalize()
    }

    fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    fn err<T>(&self, msg: impl Into<String>) -> Res<T> {
        Err(Stop::Rdb(RdbError {
            offset: self.offset(),
            message: msg.into(),
        }))
    }

    /// Refill; false at end of input.
    fn fill(&mut self) -> Res<bool> {
        if self.pos < self.end {
            return Ok(true);
        }
        self.crc.update(&self.buf[..self.end]);
        self.base += self.end as u64;
        self.pos = 0;
        self.end = 0;
        loop {
            match self.inner.read(&mut self.buf) {
                Ok(n) => {
                    self.end = n;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return self.err(format!("read error: {e}")),
            }
        }
    }

    fn truncated<T>(&self) -> Res<T> {
        self.err("unexpected end of input (truncated dump?)")
    }

    #[inline]
    fn byte(&mut self) -> Res<u8> {
        if self.pos == self.end && !self.fill()? {
            return self.truncated();
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Ok(b)
    }

    fn exact(&mut self, out: &mut [u8]) -> Res<()> {
        let mut done = 0;
        while done < out.len() {
            if self.pos == self.end && !self.fill()? {
                return self.truncated();
            }
            let n = (self.end - self.pos).min(out.len() - done);
            out[done..done + n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
            self.pos += n;
            done += n;
        }
        Ok(())
    }

    fn skip(&mut self, mut n: u64) -> Res<()> {
        while n > 0 {
            if self.pos == self.end && !self.fill()? {
                return self.truncated();
            }
            let k = ((self.end - self.pos) as u64).min(n) as usize;
            self.pos += k;
            n -= k as u64;
        }
        Ok(())
    }

    /// Append `n` bytes to `out` (grown as data arrives, so a corrupt length cannot
    /// allocate more than the input holds).
    fn take(&mut self, mut n: u64, out: &mut Vec<u8>) -> Res<()> {
        while n > 0 {
            if self.pos == self.end && !self.fill()? {
                return self.truncated();
            }
            let k = ((self.end - self.pos) as u64).min(n) as usize;
            out.extend_from_slice(&self.buf[self.pos..self.pos + k]);
            self.pos += k;
            n -= k as u64;
        }
        Ok(())
    }

    fn u32_le(&mut self) -> Res<u32> {
        let mut b = [0u8; 4];
        self.exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn u64_le(&mut self) -> Res<u64> {
        let mut b = [0u8; 8];
        self.exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
}

/// A length, or a special string encoding (INT8/16/32, LZF).
enum Len {
    Plain(u64),
    Special(u8),
}

const ENC_INT8: u8 = 0;
const ENC_INT16: u8 = 1;
const ENC_INT32: u8 = 2;
const ENC_LZF: u8 = 3;

/// A string value's length and shape, read without keeping it.
struct StrInfo {
    len: u64,
    /// stored as an RDB integer, or short enough to check and a canonical integer
    int: bool,
}

struct Parser<R> {
    inp: Input<R>,
    key: Vec<u8>,
    blob: Vec<u8>,
    raw: Vec<u8>,
    version: u32,
    valkey: bool,
    /// `ParseOptions::values`
    want: usize,
    /// value items of the current key: the first `nvals` are live; the buffers are reused
    vals: Vec<Vec<u8>>,
    nvals: usize,
    /// hash fields with a TTL in the current key
    ttl_fields: u64,
    /// LZF output of a kept value item before it is cut to `VALUE_MAX`
    scratch: Vec<u8>,
}

impl<R: Read> Parser<R> {
    /// The next value slot, emptied (its buffer reused).
    fn take_slot(&mut self) -> Vec<u8> {
        if self.vals.len() <= self.nvals {
            self.vals.push(Vec::new());
        }
        let mut v = std::mem::take(&mut self.vals[self.nvals]);
        v.clear();
        v
    }

    fn put_slot(&mut self, v: Vec<u8>) {
        self.vals[self.nvals] = v;
        self.nvals += 1;
    }

    /// Keep `e` as the key's next value item, if more are wanted.
    fn push_elem(&mut self, e: Elem) {
        if self.nvals >= self.want {
            return;
        }
        let mut v = self.take_slot();
        match e {
            Elem::Str(b) => v.extend_from_slice(&b[..b.len().min(VALUE_MAX)]),
            Elem::Int(i) => v.extend_from_slice(itoa::Buffer::new().format(i).as_bytes()),
        }
        self.put_slot(v);
    }

    /// A string element of a value: kept as the next value item while more are wanted,
    /// else skipped.
    fn elem(&mut self) -> Res<StrInfo> {
        if self.nvals >= self.want {
            return self.string_info();
        }
        let mut v = self.take_slot();
        let r = self.string_capped(&mut v);
        self.put_slot(v);
        r
    }

    /// Read a string into `out`, keeping at most `VALUE_MAX` bytes of it.
    fn string_capped(&mut self, out: &mut Vec<u8>) -> Res<StrInfo> {
        match self.len_or_special()? {
            Len::Plain(n) => {
                let keep = n.min(VALUE_MAX as u64);
                self.inp.take(keep, out)?;
                self.inp.skip(n - keep)?;
                Ok(StrInfo {
                    len: n,
                    int: n <= 20 && mem::is_int_string(out),
                })
            }
            Len::Special(s @ (ENC_INT8 | ENC_INT16 | ENC_INT32)) => {
                let v = self.int_special(s)?;
                out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
                Ok(StrInfo {
                    len: out.len() as u64,
                    int: true,
                })
            }
            Len::Special(ENC_LZF) => {
                let clen = self.len()?;
                let ulen = self.len()?;
                if ulen <= VALUE_MAX as u64 {
                    // short enough to keep whole: straight into the slot
                    self.lzf_body(clen, ulen, out)?;
                    return Ok(StrInfo {
                        len: ulen,
                        int: false,
                    });
                }
                let mut full = std::mem::take(&mut self.scratch);
                let r = self.lzf_body(clen, ulen, &mut full);
                out.extend_from_slice(&full[..full.len().min(VALUE_MAX)]);
                let len = full.len() as u64;
                // a huge value must not stay allocated for the rest of the parse
                if full.capacity() > 4 * VALUE_MAX {
                    full = Vec::new();
                }
                self.scratch = full;
                r.map(|_| StrInfo { len, int: false })
            }
            Len::Special(s) => self.inp.err(format!("unknown string encoding {s}")),
        }
    }

    /// An RDB integer string encoding's value.
    fn int_special(&mut self, s: u8) -> Res<i64> {
        Ok(match s {
            ENC_INT8 => self.inp.byte()? as i8 as i64,
            ENC_INT16 => {
                let mut b = [0u8; 2];
                self.inp.exact(&mut b)?;
                i16::from_le_bytes(b) as i64
            }
            _ => self.inp.u32_le()? as i32 as i64,
        })
    }

    /// The value items of the blob in `self.blob` (a listpack or ziplist): every `step`-th
    /// entry from entry `first` (hash values: step 2 from 1; zset members: step 2 from 0).
    fn blob_elems(&mut self, kind: BlobKind, step: usize, first: usize) -> Res<()> {
        if self.nvals >= self.want {
            return Ok(());
        }
        let blob = std::mem::take(&mut self.blob);
        let ok = {
            let mut each = |i: usize, e: Elem| {
                if i % step == first {
                    self.push_elem(e);
                }
                self.nvals < self.want
            };
            match kind {
                BlobKind::Listpack => listpack_walk(&blob, &mut each),
                BlobKind::Ziplist => ziplist_walk(&blob, &mut each),
                BlobKind::Zipmap => zipmap_walk(&blob, &mut each),
                BlobKind::Intset => intset_walk(&blob, &mut each),
            }
        };
        self.blob = blob;
        match ok {
            Some(()) => Ok(()),
            None => self.inp.err(format!("corrupt {}", kind.name())),
        }
    }

    fn len_or_special(&mut self) -> Res<Len> {
        let b = self.inp.byte()?;
        Ok(match b >> 6 {
            0 => Len::Plain((b & 0x3f) as u64),
            1 => Len::Plain((((b & 0x3f) as u64) << 8) | self.inp.byte()? as u64),
            3 => Len::Special(b & 0x3f),
            _ => match b {
                0x80 => {
                    let mut x = [0u8; 4];
                    self.inp.exact(&mut x)?;
                    Len::Plain(u32::from_be_bytes(x) as u64)
                }
                0x81 => {
                    let mut x = [0u8; 8];
                    self.inp.exact(&mut x)?;
                    Len::Plain(u64::from_be_bytes(x))
                }
                _ => return self.inp.err(format!("unknown length encoding 0x{b:02x}")),
            },
        })
    }

    fn len(&mut self) -> Res<u64> {
        match self.len_or_special()? {
            Len::Plain(n) => Ok(n),
            Len::Special(s) => self
                .inp
                .err(format!("expected a length, found string encoding {s}")),
        }
    }

    /// Read a string into `out` (cleared), decompressing LZF and printing integers.
    fn string_into(&mut self, which: Buf) -> Res<()> {
        let mut out = std::mem::take(self.buf_mut(which));
        out.clear();
        let r = self.string_into_vec(&mut out);
        *self.buf_mut(which) = out;
        r
    }

    fn buf_mut(&mut self, which: Buf) -> &mut Vec<u8> {
        match which {
            Buf::Key => &mut self.key,
            Buf::Blob => &mut self.blob,
        }
    }

    fn string_into_vec(&mut self, out: &mut Vec<u8>) -> Res<()> {
        match self.len_or_special()? {
            Len::Plain(n) => self.inp.take(n, out),
            Len::Special(ENC_INT8) => {
                let v = self.inp.byte()? as i8 as i64;
                out.extend_from_slice(v.to_string().as_bytes());
                Ok(())
            }
            Len::Special(ENC_INT16) => {
                let mut b = [0u8; 2];
                self.inp.exact(&mut b)?;
                out.extend_from_slice(i16::from_le_bytes(b).to_string().as_bytes());
                Ok(())
            }
            Len::Special(ENC_INT32) => {
                let v = self.inp.u32_le()? as i32;
                out.extend_from_slice(v.to_string().as_bytes());
                Ok(())
            }
            Len::Special(ENC_LZF) => self.lzf_into(out),
            Len::Special(s) => self.inp.err(format!("unknown string encoding {s}")),
        }
    }

    /// The rest of an LZF string (after its encoding byte), decompressed into `out`.
    fn lzf_into(&mut self, out: &mut Vec<u8>) -> Res<()> {
        let clen = self.len()?;
        let ulen = self.len()?;
        self.lzf_body(clen, ulen, out)
    }

    /// The compressed bytes of an LZF string whose lengths were read, decompressed into `out`.
    fn lzf_body(&mut self, clen: u64, ulen: u64, out: &mut Vec<u8>) -> Res<()> {
        if ulen > clen.saturating_mul(300).saturating_add(64) || ulen > (1 << 34) {
            return self.inp.err(format!(
                "LZF string claims {ulen} bytes from {clen} compressed bytes"
            ));
        }
        let mut raw = std::mem::take(&mut self.raw);
        raw.clear();
        let r = self.inp.take(clen, &mut raw);
        let r = r.and_then(|_| match lzf::decompress(&raw, out, ulen as usize) {
            Ok(()) => Ok(()),
            Err(e) => self.inp.err(e),
        });
        self.raw = raw;
        r
    }

    /// Skip a string, returning its length and whether it is an integer.
    fn string_info(&mut self) -> Res<StrInfo> {
        match self.len_or_special()? {
            Len::Plain(n) => {
                if n <= 20 {
                    let mut b = [0u8; 20];
                    self.inp.exact(&mut b[..n as usize])?;
                    Ok(StrInfo {
                        len: n,
                        int: mem::is_int_string(&b[..n as usize]),
                    })
                } else {
                    self.inp.skip(n)?;
                    Ok(StrInfo { len: n, int: false })
                }
            }
            Len::Special(s @ (ENC_INT8 | ENC_INT16 | ENC_INT32)) => {
                let v = self.int_special(s)?;
                Ok(StrInfo {
                    len: itoa::Buffer::new().format(v).len() as u64,
                    int: true,
                })
            }
            Len::Special(ENC_LZF) => {
                let clen = self.len()?;
                let ulen = self.len()?;
                self.inp.skip(clen)?;
                Ok(StrInfo {
                    len: ulen,
                    int: false,
                })
            }
            Len::Special(s) => self.inp.err(format!("unknown string encoding {s}")),
        }
    }

    /// Skip a string and return its (uncompressed) length.
    fn skip_string(&mut self) -> Res<u64> {
        Ok(self.string_info()?.len)
    }

    /// A double in the old text format (ZSET v1): a length byte, 253-255 special.
    fn skip_text_double(&mut self) -> Res<()> {
        let n = self.inp.byte()?;
        if n < 253 {
            self.inp.skip(n as u64)?;
        }
        Ok(())
    }

    /// Read a blob (listpack, ziplist, intset, zipmap) into `self.blob`.
    fn blob(&mut self) -> Res<u64> {
        self.string_into(Buf::Blob)?;
        Ok(self.blob.len() as u64)
    }

    fn lp_count(&self) -> Res<u64> {
        match listpack_count(&self.blob) {
            Some(n) => Ok(n),
            None => self.inp.err("corrupt listpack"),
        }
    }

    fn zl_count(&self) -> Res<u64> {
        match ziplist_count(&self.blob) {
            Some(n) => Ok(n),
            None => self.inp.err("corrupt ziplist"),
        }
    }

    /// Skip a module value serialized with RDB_MODULE_OPCODE_* annotations.
    fn skip_module_value(&mut self) -> Res<()> {
        loop {
            match self.len()? {
                0 => return Ok(()),
                1 | 2 => {
                    self.len()?;
                }
                3 => self.inp.skip(4)?,
                4 => self.inp.skip(8)?,
                5 => {
                    self.skip_string()?;
                }
                op => return self.inp.err(format!("unknown module value opcode {op}")),
            }
        }
    }

    fn stream_id(&mut self) -> Res<()> {
        self.len()?;
        self.len()?;
        Ok(())
    }

    /// Parse one value of RDB type `t`; returns (type_idx, encoding, elements, memory
    /// without the key's own overhead).
    fn value(&mut self, t: u8) -> Res<(usize, &'static str, Option<u64>, u64)> {
        const STRING: usize = 0;
        const LIST: usize = 1;
        const SET: usize = 2;
        const ZSET: usize = 3;
        const HASH: usize = 4;
        const OTHER: usize = 6;
        Ok(match t {
            0 => {
                let s = self.elem()?;
                let enc = if s.int {
                    "int"
                } else if s.len <= 44 {
                    "embstr"
                } else {
                    "raw"
                };
                (STRING, enc, None, mem::string_value(enc, s.len))
            }
            // plain linked list (RDB < 7): loaded as a quicklist
            1 => {
                let n = self.len()?;
                let mut bytes = 0u64;
                for _ in 0..n {
                    bytes += self.elem()?.len + 2;
                }
                let nodes = n.div_ceil(128).max(1);
                let per_node =
                    mem::quicklist_node(self.version) + mem::size_class(bytes / nodes + 7);
                let m = (mem::ROBJ + mem::QUICKLIST).saturating_add(nodes.saturating_mul(per_node));
                (LIST, "quicklist", Some(n), m)
            }
            2 => {
                let n = self.len()?;
                let mut m = mem::dict_base(n);
                for _ in 0..n {
                    m = m.saturating_add(mem::DICT_ENTRY + mem::sds(self.elem()?.len));
                }
                (SET, "hashtable", Some(n), m)
            }
            3 | 5 => {
                let n = self.len()?;
                let mut per = 0f64;
                for _ in 0..n {
                    let l = self.elem()?.len;
                    per += (mem::sds(l) + mem::DICT_ENTRY) as f64 + mem::ZSL_NODE_EXPECTED;
                    if t == 5 {
                        self.inp.skip(8)?;
                    } else {
                        self.skip_text_double()?;
                    }
                }
                let m = mem::dict_base(n)
                    .saturating_add(mem::ZSET + mem::ZSKIPLIST + mem::ZSL_HEADER)
                    .saturating_add(per.round() as u64);
                (ZSET, "skiplist", Some(n), m)
            }
            4 => {
                let n = self.len()?;
                let mut m = mem::dict_base(n);
                for _ in 0..n {
                    let f = self.skip_string()?;
                    let v = self.elem()?.len;
                    m = m.saturating_add(mem::DICT_ENTRY + mem::sds(f) + mem::sds(v));
                }
                (HASH, "hashtable", Some(n), m)
            }
            6 => {
                return self
                    .inp
                    .err("module value of a pre-GA module type cannot be skipped")
            }
            7 => {
                self.len()?; // module id
                let start = self.inp.offset();
                self.skip_module_value()?;
                let m = mem::ROBJ + (self.inp.offset() - start);
                (OTHER, "module", None, m)
            }
            9 => {
                let b = self.blob()?;
                let n = match zipmap_count(&self.blob) {
                    Some(n) => n,
                    None => return self.inp.err("corrupt zipmap"),
                };
                self.blob_elems(BlobKind::Zipmap, 2, 1)?;
                (HASH, "zipmap", Some(n), mem::blob_value(b))
            }
            10 => {
                let b = self.blob()?;
                self.blob_elems(BlobKind::Ziplist, 1, 0)?;
                (LIST, "ziplist", Some(self.zl_count()?), mem::blob_value(b))
            }
            11 => {
                let b = self.blob()?;
                if self.blob.len() < 8 {
                    return self.inp.err("corrupt intset");
                }
                let n = u32::from_le_bytes(self.blob[4..8].try_into().expect("4 bytes")) as u64;
                self.blob_elems(BlobKind::Intset, 1, 0)?;
                (SET, "intset", Some(n), mem::blob_value(b))
            }
            12 => {
                let b = self.blob()?;
                self.blob_elems(BlobKind::Ziplist, 2, 0)?;
                (
                    ZSET,
                    "ziplist",
                    Some(self.zl_count()? / 2),
                    mem::blob_value(b),
                )
            }
            13 => {
                let b = self.blob()?;
                self.blob_elems(BlobKind::Ziplist, 2, 1)?;
                (
                    HASH,
                    "ziplist",
                    Some(self.zl_count()? / 2),
                    mem::blob_value(b),
                )
            }
            14 | 18 => {
                let nodes = self.len()?;
                let mut n = 0u64;
                let mut m = mem::ROBJ + mem::QUICKLIST;
                let mut single_small_lp = false;
                for _ in 0..nodes {
                    let packed = if t == 18 {
                        match self.len()? {
                            1 => false,
                            2 => true,
                            c => return self.inp.err(format!("unknown quicklist container {c}")),
                        }
                    } else {
                        true
                    };
                    let b = self.blob()?;
                    if packed {
                        n += if t == 18 {
                            self.blob_elems(BlobKind::Listpack, 1, 0)?;
                            self.lp_count()?
                        } else {
                            self.blob_elems(BlobKind::Ziplist, 1, 0)?;
                            self.zl_count()?
                        };
                    } else {
                        let blob = std::mem::take(&mut self.blob);
                        self.push_elem(Elem::Str(&blob));
                        self.blob = blob;
                        n += 1;
                    }
                    m = m.saturating_add(mem::quicklist_node(self.version) + mem::size_class(b));
                    single_small_lp = nodes == 1 && packed && b <= 8192;
                }
                // Redis 7.2+ (RDB 11+) keeps a one-node list under the size limit as a listpack
                if t == 18 && self.version >= 11 && single_small_lp {
                    (
                        LIST,
                        "listpack",
                        Some(n),
                        mem::blob_value(self.blob.len() as u64),
                    )
                } else {
                    (LIST, "quicklist", Some(n), m)
                }
            }
            15 | 19 | 21 | 26 | 27 => self.stream(t)?,
            16 => {
                let b = self.blob()?;
                self.blob_elems(BlobKind::Listpack, 2, 1)?;
                (
                    HASH,
                    "listpack",
                    Some(self.lp_count()? / 2),
                    mem::blob_value(b),
                )
            }
            17 => {
                let b = self.blob()?;
                self.blob_elems(BlobKind::Listpack, 2, 0)?;
                (
                    ZSET,
                    "listpack",
                    Some(self.lp_count()? / 2),
                    mem::blob_value(b),
                )
            }
            20 => {
                let b = self.blob()?;
                self.blob_elems(BlobKind::Listpack, 1, 0)?;
                (SET, "listpack", Some(self.lp_count()?), mem::blob_value(b))
            }
            // Valkey 9: hash with field TTLs (field, value, 8-byte expiry per entry)
            22 if self.valkey => {
                let n = self.len()?;
                let mut m = mem::dict_base(n);
                for _ in 0..n {
                    let f = self.skip_string()?;
                    let v = self.elem()?.len;
                    // absolute unix ms; -1 when the field has no TTL
                    if self.inp.u64_le()? as i64 > 0 {
                        self.ttl_fields += 1;
                    }
                    m = m.saturating_add(mem::DICT_ENTRY + mem::sds(f) + mem::sds(v) + 8);
                }
                (HASH, "hashtable", Some(n), m)
            }
            // Redis 7.4+: hash with field TTLs (24: min expiry first; 22: 7.4 RC)
            22 | 24 => {
                if t == 24 {
                    self.inp.skip(8)?;
                }
                let n = self.len()?;
                let mut m = mem::dict_base(n).saturating_add(48);
                for _ in 0..n {
                    let ttl = self.len()?;
                    if ttl > 0 {
                        self.ttl_fields += 1;
                    }
                    let f = self.skip_string()?;
                    let v = self.elem()?.len;
                    m = m.saturating_add(
                        mem::DICT_ENTRY + mem::sds(f) + mem::sds(v) + if ttl > 0 { 16 } else { 0 },
                    );
                }
                (HASH, "hashtable", Some(n), m)
            }
            23 | 25 => {
                if t == 25 {
                    self.inp.skip(8)?;
                }
                let b = self.blob()?;
                self.blob_elems(BlobKind::Listpack, 3, 1)?;
                // (field, value, TTL) triples; a TTL of 0 is none (HASH_LP_NO_TTL)
                let mut with_ttl = 0u64;
                let walked = listpack_walk(&self.blob, |i, e| {
                    if i % 3 == 2 && e != Elem::Int(0) {
                        with_ttl += 1;
                    }
                    true
                });
                if walked.is_none() {
                    return self.inp.err("corrupt listpack");
                }
                self.ttl_fields = with_ttl;
                (
                    HASH,
                    "listpackex",
                    Some(self.lp_count()? / 3),
                    mem::blob_value(b).saturating_add(32),
                )
            }
            _ => {
                return self.inp.err(format!(
                    "unknown value type {t} (written by a newer server?)"
                ))
            }
        })
    }

    fn stream(&mut self, t: u8) -> Res<(usize, &'static str, Option<u64>, u64)> {
        let v = match t {
            15 => 1,
            19 => 2,
            21 => 3,
            26 => 4,
            _ => 5,
        };
        let nodes = self.len()?;
        let mut m = (mem::ROBJ + mem::STREAM).saturating_add(mem::stream_rax(nodes));
        for i in 0..nodes {
            self.skip_string()?; // node key: the master ID
            let b = self.blob()?;
            // the last node is preallocated (stream-node-max-bytes, 4096) until full
            let alloc = if i + 1 == nodes { b.max(4096) } else { b };
            m = m.saturating_add(mem::size_class(alloc));
        }
        let items = self.len()?;
        self.stream_id()?; // last id
        if v >= 2 {
            self.stream_id()?; // first id
            self.stream_id()?; // max deleted id
            self.len()?; // entries added
        }
        let groups = self.len()?;
        for _ in 0..groups {
            self.skip_string()?;
            self.stream_id()?;
            if v >= 2 {
                self.len()?; // entries read
            }
            let pel = self.len()?;
            // streamCG + its PEL tree + one streamNACK per pending entry
            m = m
                .saturating_add(mem::pel_rax(pel).saturating_add(40))
                .saturating_add(pel.saturating_mul(24));
            for _ in 0..pel {
                self.inp.skip(16 + 8)?;
                self.len()?;
            }
            let consumers = self.len()?;
            for _ in 0..consumers {
                let name = self.skip_string()?;
                self.inp.skip(8)?;
                if v >= 3 {
                    self.inp.skip(8)?;
                }
                let cpel = self.len()?;
                // streamConsumer (32 bytes since 7.2's active_time, 24 before) + name + PEL
                let consumer = if self.version >= 11 { 32 } else { 24 };
                m = m.saturating_add(mem::pel_rax(cpel).saturating_add(consumer + name));
                self.inp.skip(cpel.saturating_mul(16))?;
            }
            if v >= 5 {
                let nacked = self.len()?;
                self.inp.skip(nacked.saturating_mul(16))?;
            }
        }
        if v >= 4 {
            self.len()?; // idmp duration
            self.len()?; // idmp max entries
            let entries = self.len()?;
            for _ in 0..entries {
                self.skip_string()?;
                self.inp.skip(16)?;
            }
            self.len()?; // iids added
            self.len()?; // iids duplicates
        }
        Ok((5, "stream", Some(items), m))
    }
}

#[derive(Clone, Copy)]
enum Buf {
    Key,
    Blob,
}

#[derive(Clone, Copy)]
enum BlobKind {
    Listpack,
    Ziplist,
    Zipmap,
    Intset,
}

impl BlobKind {
    fn name(self) -> &'static str {
        match self {
            BlobKind::Listpack => "listpack",
            BlobKind::Ziplist => "ziplist",
            BlobKind::Zipmap => "zipmap",
            BlobKind::Intset => "intset",
        }
    }
}

/// An entry of a listpack, ziplist, zipmap or intset: bytes, or an integer it stores as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elem<'a> {
    Str(&'a [u8]),
    Int(i64),
}

fn le_int(b: &[u8]) -> i64 {
    let mut x = [0u8; 8];
    x[..b.len()].copy_from_slice(b);
    // sign-extend from the top bit of the last byte
    let shift = 64 - 8 * b.len() as u32;
    (i64::from_le_bytes(x) << shift) >> shift
}

/// Walk a listpack's entries in order, calling `f(index, entry)` until it returns false.
/// None when the listpack is corrupt (an entry runs past its end).
pub fn listpack_walk<'a>(lp: &'a [u8], mut f: impl FnMut(usize, Elem<'a>) -> bool) -> Option<()> {
    if lp.len() < 7 {
        return None;
    }
    let mut p = 6usize;
    let mut i = 0usize;
    loop {
        let b = *lp.get(p)?;
        if b == 0xFF {
            return Some(());
        }
        let (e, enc_len) = if b & 0x80 == 0 {
            (Elem::Int((b & 0x7f) as i64), 1)
        } else if b & 0xC0 == 0x80 {
            let n = (b & 0x3f) as usize;
            (Elem::Str(lp.get(p + 1..p + 1 + n)?), 1 + n)
        } else if b & 0xE0 == 0xC0 {
            let u = (((b & 0x1f) as i64) << 8) | *lp.get(p + 1)? as i64;
            (Elem::Int((u << 51) >> 51), 2)
        } else if b & 0xF0 == 0xE0 {
            let n = (((b & 0x0f) as usize) << 8) | *lp.get(p + 1)? as usize;
            (Elem::Str(lp.get(p + 2..(p + 2).checked_add(n)?)?), 2 + n)
        } else {
            match b {
                0xF1 => (Elem::Int(le_int(lp.get(p + 1..p + 3)?)), 3),
                0xF2 => (Elem::Int(le_int(lp.get(p + 1..p + 4)?)), 4),
                0xF3 => (Elem::Int(le_int(lp.get(p + 1..p + 5)?)), 5),
                0xF4 => (Elem::Int(le_int(lp.get(p + 1..p + 9)?)), 9),
                0xF0 => {
                    let l = lp.get(p + 1..p + 5)?;
                    let n = u32::from_le_bytes(l.try_into().ok()?) as usize;
                    (Elem::Str(lp.get(p + 5..(p + 5).checked_add(n)?)?), 5 + n)
                }
                _ => return None,
            }
        };
        if !f(i, e) {
            return Some(());
        }
        i += 1;
        let back = match enc_len {
            0..=127 => 1,
            128..=16382 => 2,
            16383..=2097150 => 3,
            2097151..=268435454 => 4,
            _ => 5,
        };
        p = p.checked_add(enc_len)?.checked_add(back)?;
    }
}

/// Walk a ziplist's entries in order (see `listpack_walk`).
pub fn ziplist_walk<'a>(zl: &'a [u8], mut f: impl FnMut(usize, Elem<'a>) -> bool) -> Option<()> {
    if zl.len() < 11 {
        return None;
    }
    let mut p = 10usize;
    let mut i = 0usize;
    loop {
        let b = *zl.get(p)?;
        if b == 0xFF {
            return Some(());
        }
        p += if b < 254 { 1 } else { 5 };
        let e = *zl.get(p)?;
        let (el, len) = match e >> 6 {
            0 => {
                let n = (e & 0x3f) as usize;
                (Elem::Str(zl.get(p + 1..p + 1 + n)?), 1 + n)
            }
            1 => {
                let n = (((e & 0x3f) as usize) << 8) | *zl.get(p + 1)? as usize;
                (Elem::Str(zl.get(p + 2..p + 2 + n)?), 2 + n)
            }
            2 => {
                let l = zl.get(p + 1..p + 5)?;
                let n = u32::from_be_bytes(l.try_into().ok()?) as usize;
                (Elem::Str(zl.get(p + 5..(p + 5).checked_add(n)?)?), 5 + n)
            }
            _ => match e {
                0xC0 => (Elem::Int(le_int(zl.get(p + 1..p + 3)?)), 3),
                0xD0 => (Elem::Int(le_int(zl.get(p + 1..p + 5)?)), 5),
                0xE0 => (Elem::Int(le_int(zl.get(p + 1..p + 9)?)), 9),
                0xF0 => (Elem::Int(le_int(zl.get(p + 1..p + 4)?)), 4),
                0xFE => (Elem::Int(le_int(zl.get(p + 1..p + 2)?)), 2),
                0xF1..=0xFD => (Elem::Int((e & 0x0f) as i64 - 1), 1),
                _ => return None,
            },
        };
        if !f(i, el) {
            return Some(());
        }
        i += 1;
        p = p.checked_add(len)?;
    }
}

/// Walk a zipmap's strings in order: field, value, field, value…
pub fn zipmap_walk<'a>(zm: &'a [u8], mut f: impl FnMut(usize, Elem<'a>) -> bool) -> Option<()> {
    zm.first()?;
    let mut p = 1usize;
    let mut i = 0usize;
    loop {
        let b = *zm.get(p)?;
        if b == 255 {
            return Some(());
        }
        let (len, hdr) = match b {
            254 => {
                let l = zm.get(p + 1..p + 5)?;
                (u32::from_le_bytes(l.try_into().ok()?) as usize, 5)
            }
            _ => (b as usize, 1),
        };
        p += hdr;
        let free = if i % 2 == 1 {
            let free = *zm.get(p)? as usize;
            p += 1;
            free
        } else {
            0
        };
        let s = zm.get(p..p.checked_add(len)?)?;
        if !f(i, Elem::Str(s)) {
            return Some(());
        }
        p = p.checked_add(len)?.checked_add(free)?;
        i += 1;
    }
}

/// Walk an intset's members in order.
pub fn intset_walk<'a>(is: &'a [u8], mut f: impl FnMut(usize, Elem<'a>) -> bool) -> Option<()> {
    let width = u32::from_le_bytes(is.get(0..4)?.try_into().ok()?) as usize;
    let n = u32::from_le_bytes(is.get(4..8)?.try_into().ok()?) as usize;
    if !matches!(width, 2 | 4 | 8) {
        return None;
    }
    let body = is.get(8..8usize.checked_add(n.checked_mul(width)?)?)?;
    for (i, c) in body.chunks_exact(width).enumerate() {
        if !f(i, Elem::Int(le_int(c))) {
            break;
        }
    }
    Some(())
}

/// Elements of a listpack: the header count, or a walk when it says "unknown" (65535).
pub fn listpack_count(lp: &[u8]) -> Option<u64> {
    if lp.len() < 7 {
        return None;
    }
    let n = u16::from_le_bytes([lp[4], lp[5]]);
    if n != u16::MAX {
        return Some(n as u64);
    }
    let mut p = 6usize;
    let mut count = 0u64;
    loop {
        let b = *lp.get(p)?;
        if b == 0xFF {
            return Some(count);
        }
        let enc_len: usize = if b & 0x80 == 0 {
            1
        } else if b & 0xC0 == 0x80 {
            1 + (b & 0x3f) as usize
        } else if b & 0xE0 == 0xC0 {
            2
        } else if b & 0xF0 == 0xE0 {
            2 + ((((b & 0x0f) as usize) << 8) | *lp.get(p + 1)? as usize)
        } else {
            match b {
                0xF1 => 3,
                0xF2 => 4,
                0xF3 => 5,
                0xF4 => 9,
                0xF0 => {
                    let l = lp.get(p + 1..p + 5)?;
                    5 + u32::from_le_bytes(l.try_into().ok()?) as usize
                }
                _ => return None,
            }
        };
        let back = match enc_len {
            0..=127 => 1,
            128..=16382 => 2,
            16383..=2097150 => 3,
            2097151..=268435454 => 4,
            _ => 5,
        };
        p = p.checked_add(enc_len)?.checked_add(back)?;
        count += 1;
    }
}

/// Entries of a ziplist: the header count, or a walk when it is 65535.
pub fn ziplist_count(zl: &[u8]) -> Option<u64> {
    if zl.len() < 11 {
        return None;
    }
    let n = u16::from_le_bytes([zl[8], zl[9]]);
    if n != u16::MAX {
        return Some(n as u64);
    }
    let mut p = 10usize;
    let mut count = 0u64;
    loop {
        let b = *zl.get(p)?;
        if b == 0xFF {
            return Some(count);
        }
        p += if b < 254 { 1 } else { 5 };
        let e = *zl.get(p)?;
        let len = match e >> 6 {
            0 => 1 + (e & 0x3f) as usize,
            1 => 2 + ((((e & 0x3f) as usize) << 8) | *zl.get(p + 1)? as usize),
            2 => {
                let l = zl.get(p + 1..p + 5)?;
                5 + u32::from_be_bytes(l.try_into().ok()?) as usize
            }
            _ => match e {
                0xC0 => 3,
                0xD0 => 5,
                0xE0 => 9,
                0xF0 => 4,
                0xFE => 2,
                0xF1..=0xFD => 1,
                _ => return None,
            },
        };
        p = p.checked_add(len)?;
        count += 1;
    }
}

/// Field/value pairs of a zipmap (Redis < 2.6 small hashes).
pub fn zipmap_count(zm: &[u8]) -> Option<u64> {
    let first = *zm.first()?;
    if first < 254 {
        return Some(first as u64);
    }
    let mut p = 1usize;
    let mut strings = 0u64;
    loop {
        let b = *zm.get(p)?;
        if b == 255 {
            return Some(strings / 2);
        }
        let (len, hdr) = match b {
            254 => {
                let l = zm.get(p + 1..p + 5)?;
                (u32::from_le_bytes(l.try_into().ok()?) as usize, 5)
            }
            _ => (b as usize, 1),
        };
        p += hdr;
        if strings % 2 == 1 {
            let free = *zm.get(p)? as usize;
            p += 1 + free;
        }
        p = p.checked_add(len)?;
        strings += 1;
    }
}

/// Parse a whole dump, calling `on_key` for every key in file order (no value items).
pub fn parse<R: Read>(
    r: R,
    on_key: impl FnMut(&RdbKey) -> anyhow::Result<()>,
) -> anyhow::Result<RdbSummary> {
    parse_with(r, ParseOptions::default(), on_key)
}

/// `parse`, delivering up to `opts.values` items of each value in `RdbKey::values`.
pub fn parse_with<R: Read>(
    r: R,
    opts: ParseOptions,
    mut on_key: impl FnMut(&RdbKey) -> anyhow::Result<()>,
) -> anyhow::Result<RdbSummary> {
    let mut p = Parser {
        inp: Input::new(r),
        key: Vec::new(),
        blob: Vec::new(),
        raw: Vec::new(),
        version: 0,
        valkey: false,
        want: opts.values,
        vals: Vec::new(),
        nvals: 0,
        ttl_fields: 0,
        scratch: Vec::new(),
    };
    match run(&mut p, &mut on_key) {
        Ok(s) => Ok(s),
        Err(Stop::Rdb(e)) => Err(e.into()),
        Err(Stop::Callback(e)) => Err(e),
    }
}

/// The 9-byte header: `REDIS` or `VALKEY` and the version digits.
fn header<R: Read>(p: &mut Parser<R>) -> Res<u32> {
    let mut magic = [0u8; 9];
    if let Err(Stop::Rdb(_)) = p.inp.exact(&mut magic) {
        return p
            .inp
            .err("not an RDB file (shorter than its 9-byte header)");
    }
    let digits = if &magic[..5] == b"REDIS" {
        &magic[5..]
    } else if &magic[..6] == b"VALKEY" {
        p.valkey = true;
        &magic[6..]
    } else {
        return Err(Stop::Rdb(RdbError {
            offset: 0,
            message: "not an RDB file (no REDIS or VALKEY magic)".into(),
        }));
    };
    let version: u32 = match std::str::from_utf8(digits)
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(v) => v,
        None => {
            return Err(Stop::Rdb(RdbError {
                offset: 0,
                message: "bad RDB version in the header".into(),
            }))
        }
    };
    if !(1..=80).contains(&version) {
        return Err(Stop::Rdb(RdbError {
            offset: 5,
            message: format!("RDB version {version} is not supported (1 to 12, and 80)"),
        }));
    }
    Ok(version)
}

fn run<R: Read>(
    p: &mut Parser<R>,
    on_key: &mut impl FnMut(&RdbKey) -> anyhow::Result<()>,
) -> Res<RdbSummary> {
    let version = header(p)?;
    p.version = version;
    let mut sum = RdbSummary {
        version,
        valkey: p.valkey,
        ..RdbSummary::default()
    };
    let mut db = 0u64;
    let mut expire: Option<i64> = None;
    let mut idle: Option<u64> = None;
    let mut freq: Option<u64> = None;
    loop {
        let op_at = p.inp.offset();
        let t = p.inp.byte()?;
        match t {
            0xFF => {
                if version >= 5 {
                    checksum(p)?;
                }
                sum.bytes = p.inp.offset();
                return Ok(sum);
            }
            0xFE => db = p.len()?,
            0xFD => expire = Some(p.inp.u32_le()? as i64 * 1000),
            0xFC => expire = Some(p.inp.u64_le()? as i64),
            0xFB => {
                p.len()?;
                p.len()?;
            }
            0xFA => aux(p, &mut sum)?,
            0xF9 => freq = Some(p.inp.byte()? as u64),
            0xF8 => idle = Some(p.len()?),
            0xF7 => {
                p.len()?; // module id
                p.len()?; // when opcode
                p.len()?; // when
                p.skip_module_value()?;
            }
            0xF6 => {
                return p
                    .inp
                    .err("function library of a Redis 7.0 release candidate (unsupported)")
            }
            0xF5 => {
                p.skip_string()?;
            }
            0xF4 => {
                p.len()?;
                p.len()?;
                p.len()?;
            }
            0xF3 if p.valkey => {
                // Valkey 9 slot import job: name, then slot ranges
                p.skip_string()?;
                let n = p.len()?;
                for _ in 0..n {
                    p.len()?;
                    p.len()?;
                }
            }
            0xF3 => {
                // Redis key metadata: classes, each a 4-byte spec and a module value;
                // the key's type byte follows
                let n = p.len()?;
                for _ in 0..n {
                    p.inp.skip(4)?;
                    p.skip_module_value()?;
                }
            }
            t if t <= 33 => {
                p.string_into(Buf::Key)?;
                p.nvals = 0;
                p.ttl_fields = 0;
                let start = p.inp.offset();
                let (type_idx, encoding, elements, value_mem) = p.value(t)?;
                let rdb_bytes = p.inp.offset() - start;
                sum.keys += 1;
                let k = RdbKey {
                    db,
                    key: &p.key,
                    type_idx,
                    encoding,
                    elements,
                    rdb_bytes,
                    expire_ms: expire.take(),
                    memory: mem::key_overhead(p.key.len() as u64).saturating_add(value_mem),
                    idle_s: idle.take(),
                    freq: freq.take(),
                    snapshot_ms: sum.snapshot_ms,
                    values: &p.vals[..p.nvals],
                    fields_with_ttl: p.ttl_fields,
                };
                on_key(&k).map_err(Stop::Callback)?;
            }
            t => {
                return Err(Stop::Rdb(RdbError {
                    offset: op_at,
                    message: format!("unknown opcode 0x{t:02x}"),
                }))
            }
        }
    }
}

/// The end of the dump: the stored CRC-64 against the bytes read. It covers everything up to
/// and including the 0xFF opcode; 0 means the server was told not to compute one
/// (`rdbchecksum no`).
fn checksum<R: Read>(p: &mut Parser<R>) -> Res<()> {
    let crc = p.inp.crc();
    let mut ck = [0u8; 8];
    p.inp.exact(&mut ck)?;
    let stored = u64::from_le_bytes(ck);
    if stored != 0 && stored != crc {
        return p.inp.err(format!(
            "checksum mismatch: the dump says {stored:016x}, its bytes give {crc:016x} (corrupt dump?)"
        ));
    }
    Ok(())
}

/// An AUX field: the snapshot time and the server that wrote the dump.
fn aux<R: Read>(p: &mut Parser<R>, sum: &mut RdbSummary) -> Res<()> {
    p.string_into(Buf::Key)?;
    let k = String::from_utf8_lossy(&p.key).into_owned();
    p.string_into(Buf::Key)?;
    let v = String::from_utf8_lossy(&p.key).into_owned();
    match k.as_str() {
        "ctime" => sum.snapshot_ms = v.parse::<i64>().ok().and_then(|s| s.checked_mul(1000)),
        "redis-ver" if sum.server_version.is_none() => {
            sum.server_version = Some(format!("redis {v}"))
        }
        "valkey-ver" => {
            p.valkey = true;
            sum.valkey = true;
            sum.server_version = Some(format!("valkey {v}"));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(out: &mut Vec<u8>, v: &[u8]) {
        assert!(v.len() < 64);
        out.push(v.len() as u8);
        out.extend_from_slice(v);
    }

    /// A hand-made RDB 10 dump: aux, db 0, a string with expiry, an int string, a hashtable hash.
    fn dump() -> Vec<u8> {
        let mut d = b"REDIS0010".to_vec();
        d.push(0xFA);
        s(&mut d, b"redis-ver");
        s(&mut d, b"7.0.15");
        d.push(0xFE);
        d.push(0);
        d.push(0xFB);
        d.push(3);
        d.push(1);
        d.push(0xFC);
        d.extend_from_slice(&1_700_000_000_000i64.to_le_bytes());
        d.push(0);
        s(&mut d, b"user:1");
        s(&mut d, b"hello");
        d.push(0);
        s(&mut d, b"n:1");
        d.extend_from_slice(&[0xC0, 42]);
        d.push(4);
        s(&mut d, b"h:1");
        d.push(2);
        for v in [b"a", b"1", b"b", b"2"] {
            s(&mut d, v);
        }
        d.push(0xFF);
        d.extend_from_slice(&[0; 8]);
        d
    }

    #[test]
    fn parses_a_small_dump() {
        let mut seen = Vec::new();
        let sum = parse(&dump()[..], |k| {
            seen.push((
                String::from_utf8_lossy(k.key).into_owned(),
                k.type_idx,
                k.encoding,
                k.elements,
                k.expire_ms,
            ));
            Ok(())
        })
        .unwrap();
        assert_eq!(sum.version, 10);
        assert_eq!(sum.keys, 3);
        assert_eq!(sum.server_version.as_deref(), Some("redis 7.0.15"));
        assert_eq!(
            seen[0],
            ("user:1".into(), 0, "embstr", None, Some(1_700_000_000_000))
        );
        assert_eq!(seen[1].2, "int");
        assert_eq!(seen[2], ("h:1".into(), 4, "hashtable", Some(2), None));
    }

    #[test]
    fn crc64_is_redis_s() {
        // the check value of Redis's crc64.c
        assert_eq!(crc64_update(0, b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn truncation_names_the_offset() {
        let d = dump();
        let e = parse(&d[..d.len() - 14], |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("byte offset"), "{e}");
        assert!(e.contains("truncated"), "{e}");
        let e = parse(&b"HELLO0010"[..], |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not an RDB file"), "{e}");
    }

    /// Every truncation and many single-byte mutations of a dump: an error or a result,
    /// never a panic, never a runaway allocation.
    #[test]
    fn fuzz_no_panic() {
        let d = dump();
        for cut in 0..d.len() {
            let _ = parse(&d[..cut], |_| Ok(()));
        }
        let mut x: u64 = 0x1234_5678;
        for _ in 0..5000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut m = d.clone();
            let i = (x as usize) % m.len();
            m[i] = (x >> 32) as u8;
            let _ = parse(&m[..], |_| Ok(()));
        }
    }

    #[test]
    fn listpack_and_ziplist_counts() {
        // listpack with 2 entries: 7-bit uint 5 and 6-bit str "ab", header count unknown
        let mut lp = vec![0, 0, 0, 0, 0xFF, 0xFF];
        lp.extend_from_slice(&[5, 1]);
        lp.extend_from_slice(&[0x82, b'a', b'b', 3]);
        lp.push(0xFF);
        assert_eq!(listpack_count(&lp), Some(2));
        lp[4] = 2;
        lp[5] = 0;
        assert_eq!(listpack_count(&lp), Some(2));
        assert_eq!(listpack_count(&[1, 2]), None);
        // ziplist with count unknown: entries "a" and int8
        let mut zl = vec![0; 8];
        zl.extend_from_slice(&[0xFF, 0xFF]);
        zl.extend_from_slice(&[0, 0x01, b'a']);
        zl.extend_from_slice(&[3, 0xFE, 7]);
        zl.push(0xFF);
        assert_eq!(ziplist_count(&zl), Some(2));
    }

    /// A listpack of the given entries (strings < 64 bytes, or small ints).
    fn lp(entries: &[Elem]) -> Vec<u8> {
        let mut b = vec![0, 0, 0, 0];
        b.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for e in entries {
            match e {
                Elem::Int(i) => b.extend_from_slice(&[*i as u8, 1]),
                Elem::Str(s) => {
                    b.push(0x80 | s.len() as u8);
                    b.extend_from_slice(s);
                    b.push(1 + s.len() as u8);
                }
            }
        }
        b.push(0xFF);
        let n = b.len() as u32;
        b[..4].copy_from_slice(&n.to_le_bytes());
        b
    }

    fn blob(d: &mut Vec<u8>, b: &[u8]) {
        assert!(b.len() < 16384);
        d.extend_from_slice(&[0x40 | (b.len() >> 8) as u8, b.len() as u8]);
        d.extend_from_slice(b);
    }

    /// One key of each shape the value hook reads, in an RDB 11 dump.
    fn values_dump() -> Vec<u8> {
        use Elem::{Int, Str};
        let mut d = b"REDIS0011".to_vec();
        d.extend_from_slice(&[0xFE, 0]);
        // plain string
        d.push(0);
        s(&mut d, b"s:plain");
        s(&mut d, b"hello");
        // LZF string "abcabcabc"
        d.push(0);
        s(&mut d, b"s:lzf");
        d.extend_from_slice(&[0xC3, 6, 9, 2, b'a', b'b', b'c', 4 << 5, 2]);
        // integer string
        d.push(0);
        s(&mut d, b"s:int");
        d.extend_from_slice(&[0xC1, 0x39, 0x30]);
        // a 70,000-byte string: cut to VALUE_MAX
        d.push(0);
        s(&mut d, b"s:big");
        d.push(0x80);
        d.extend_from_slice(&70_000u32.to_be_bytes());
        d.extend(std::iter::repeat_n(b'x', 70_000));
        // listpack hash: f1=v1, f2=7
        d.push(16);
        s(&mut d, b"h:lp");
        blob(&mut d, &lp(&[Str(b"f1"), Str(b"v1"), Str(b"f2"), Int(7)]));
        // listpack zset: members a, b with scores
        d.push(17);
        s(&mut d, b"z:lp");
        blob(&mut d, &lp(&[Str(b"a"), Int(1), Str(b"b"), Int(2)]));
        // intset of 16-bit members 5, -3
        d.push(11);
        s(&mut d, b"set:int");
        let mut is = 2u32.to_le_bytes().to_vec();
        is.extend_from_slice(&2u32.to_le_bytes());
        is.extend_from_slice(&(-3i16).to_le_bytes());
        is.extend_from_slice(&5i16.to_le_bytes());
        blob(&mut d, &is);
        // quicklist 2: a plain node and a packed node
        d.push(18);
        s(&mut d, b"l:ql");
        d.push(2);
        d.push(1);
        s(&mut d, b"PLAIN");
        d.push(2);
        blob(&mut d, &lp(&[Str(b"x"), Int(9), Str(b"y")]));
        // hashtable hash: values only
        d.push(4);
        s(&mut d, b"h:ht");
        d.push(2);
        for v in [b"a", b"1", b"b", b"2"] {
            s(&mut d, v);
        }
        d.push(0xFF);
        d.extend_from_slice(&[0; 8]);
        d
    }

    fn values_of(d: &[u8], n: usize) -> Vec<(String, Vec<Vec<u8>>)> {
        let mut seen = Vec::new();
        parse_with(d, ParseOptions { values: n }, |k| {
            seen.push((
                String::from_utf8_lossy(k.key).into_owned(),
                k.values.to_vec(),
            ));
            Ok(())
        })
        .unwrap();
        seen
    }

    #[test]
    fn value_hook_delivers_the_first_items() {
        let d = values_dump();
        let v = values_of(&d, 3);
        let get = |k: &str| v.iter().find(|(n, _)| n == k).unwrap().1.clone();
        let strs = |x: &[&str]| x.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(get("s:plain"), strs(&["hello"]));
        assert_eq!(get("s:lzf"), strs(&["abcabcabc"]));
        assert_eq!(get("s:int"), strs(&["12345"]));
        let big = get("s:big");
        assert_eq!(big.len(), 1);
        assert_eq!(big[0].len(), VALUE_MAX);
        assert_eq!(get("h:lp"), strs(&["v1", "7"]));
        assert_eq!(get("z:lp"), strs(&["a", "b"]));
        assert_eq!(get("set:int"), strs(&["-3", "5"]));
        assert_eq!(get("l:ql"), strs(&["PLAIN", "x", "9"]));
        assert_eq!(get("h:ht"), strs(&["1", "2"]));
        // n bounds the items
        let v1 = values_of(&d, 1);
        assert!(v1.iter().all(|(_, items)| items.len() == 1));
        assert_eq!(
            v1.iter().find(|(k, _)| k == "l:ql").unwrap().1,
            strs(&["PLAIN"])
        );
        // values: 0 (parse) delivers none, and the per-key facts do not change with n
        let facts = |n: usize| {
            let mut out = Vec::new();
            parse_with(&d[..], ParseOptions { values: n }, |k| {
                assert!(n > 0 || k.values.is_empty());
                out.push((k.type_idx, k.encoding, k.elements, k.memory, k.rdb_bytes));
                Ok(())
            })
            .unwrap();
            out
        };
        assert_eq!(facts(0), facts(5));
        assert_eq!(facts(0).len(), 9);
    }

    #[test]
    fn blob_walkers_decode_integers() {
        // listpack: 13-bit -1, 16-bit -300, 24-bit, 32-bit, 64-bit
        let mut b = vec![0, 0, 0, 0, 5, 0];
        b.extend_from_slice(&[0xDF, 0xFF, 3]);
        b.push(0xF1);
        b.extend_from_slice(&(-300i16).to_le_bytes());
        b.push(4);
        b.push(0xF2);
        b.extend_from_slice(&[0x00, 0x00, 0x80]);
        b.push(5);
        b.push(0xF3);
        b.extend_from_slice(&(-70_000i32).to_le_bytes());
        b.push(6);
        b.push(0xF4);
        b.extend_from_slice(&(1i64 << 40).to_le_bytes());
        b.push(10);
        b.push(0xFF);
        let mut got = Vec::new();
        listpack_walk(&b, |_, e| {
            got.push(e);
            true
        })
        .unwrap();
        assert_eq!(
            got,
            [
                Elem::Int(-1),
                Elem::Int(-300),
                Elem::Int(-(1 << 23)),
                Elem::Int(-70_000),
                Elem::Int(1 << 40)
            ]
        );
        // ziplist: immediate 12, int8 -5, int24 -2, string "ab"
        let mut z = vec![0; 8];
        z.extend_from_slice(&[4, 0]);
        z.extend_from_slice(&[0, 0xFD]);
        z.extend_from_slice(&[2, 0xFE, 0xFB]);
        z.extend_from_slice(&[3, 0xF0, 0xFE, 0xFF, 0xFF]);
        z.extend_from_slice(&[5, 0x02, b'a', b'b']);
        z.push(0xFF);
        let mut got = Vec::new();
        ziplist_walk(&z, |_, e| {
            got.push(e);
            true
        })
        .unwrap();
        assert_eq!(
            got,
            [
                Elem::Int(12),
                Elem::Int(-5),
                Elem::Int(-2),
                Elem::Str(b"ab")
            ]
        );
        // zipmap: "k" => "v", a 253-byte field is a one-byte length
        let mut m = vec![2, 1, b'k', 1, 0, b'v', 253];
        m.extend(std::iter::repeat_n(b'f', 253));
        m.extend_from_slice(&[1, 2, b'w', 0, 0, 0xFF]);
        let mut got = Vec::new();
        zipmap_walk(&m, |i, e| {
            got.push((i, e));
            true
        })
        .unwrap();
        assert_eq!(got.len(), 4);
        assert_eq!(got[1], (1, Elem::Str(b"v")));
        assert_eq!(got[3], (3, Elem::Str(b"w")));
        assert_eq!(zipmap_count(&m), Some(2));
        // corrupt input: None, not a panic
        assert!(listpack_walk(&b[..9], |_, _| true).is_none());
        assert!(intset_walk(&[8, 0, 0, 0, 9, 0, 0, 0], |_, _| true).is_none());
    }
}
