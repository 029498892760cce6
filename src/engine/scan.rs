//! SCAN every node and probe each batch of keys in one pipeline: TYPE, PTTL,
//! MEMORY USAGE … SAMPLES n ([`MEMORY_SAMPLES`]) and OBJECT IDLETIME or OBJECT FREQ. None of
//! these touch the keys' LRU/LFU state. Batches stream through a bounded channel, so client memory is
//! bounded by (in-flight batches × batch size), never by the keyspace.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures::stream::{FuturesOrdered, StreamExt};
use redis::aio::MultiplexedConnection;
use redis::Value;
use tokio::sync::mpsc;

use super::{Engine, Node};
use crate::ratelimit::Pacer;

/// The key types a probe tells apart (TYPE), by index.
pub const TYPES: [&str; 7] = ["string", "list", "set", "zset", "hash", "stream", "other"];

/// `MEMORY USAGE key SAMPLES n` with this n: a collection of at most n elements is measured
/// exactly (the server visits every element, as `SAMPLES 0` would: same formula, same
/// result), a bigger one is estimated from n of them. `SAMPLES 0` is O(elements): 400 ms on a
/// 500,000-field hash on this project's (loaded, 2-core) test machine, where 1,000 samples take
/// ~0.5 ms and 5,000 up to 4 ms; so no probe blocks the server whatever the keyspace holds
/// (SPEC §3 analyze), and the estimate's error stays within a few percent.
pub const MEMORY_SAMPLES: u64 = 1000;

/// The O(1) element count of a collection type (by [`TYPES`] index); None for strings.
pub fn count_command(type_idx: usize) -> Option<&'static str> {
    match TYPES.get(type_idx).copied() {
        Some("list") => Some("LLEN"),
        Some("set") => Some("SCARD"),
        Some("zset") => Some("ZCARD"),
        Some("hash") => Some("HLEN"),
        Some("stream") => Some("XLEN"),
        _ => None,
    }
}

/// Whether a collection of `memory` bytes (as `MEMORY USAGE … SAMPLES n` reported it) may have
/// more than [`MEMORY_SAMPLES`] elements, so that its size may be an estimate: every element
/// of every encoding takes at least one byte (a listpack entry two), and an estimate is the
/// sampled average times the element count, so a smaller reply is an exact one.
pub fn may_be_estimated(type_idx: usize, memory: u64) -> bool {
    count_command(type_idx).is_some() && memory > MEMORY_SAMPLES
}

pub fn type_index(t: &str) -> usize {
    TYPES
        .iter()
        .position(|x| *x == t)
        .unwrap_or(TYPES.len() - 1)
}

/// What the engine learned about one key, without touching its LRU/LFU state.
#[derive(Debug, Clone)]
pub struct KeyProbe {
    pub key: Vec<u8>,
    pub type_idx: usize,
    /// PTTL: -1 = no TTL.
    pub pttl_ms: i64,
    pub memory: u64,
    /// `memory` is MEMORY USAGE's estimate from [`MEMORY_SAMPLES`] elements (a collection
    /// with more elements than that), not an exact size.
    pub memory_estimated: bool,
    /// OBJECT IDLETIME (LRU policies) in seconds.
    pub idle_s: Option<u64>,
    /// OBJECT FREQ (LFU policies), the logarithmic access counter.
    pub freq: Option<u64>,
    /// OBJECT ENCODING (online with --detail; always from an RDB)
    pub encoding: Option<&'static str>,
    /// elements of a collection (HLEN, LLEN, SCARD, ZCARD, XLEN); None for strings
    pub elements: Option<u64>,
    /// hash fields with a TTL of their own (Redis 7.4+, Valkey 9); known from an RDB only
    pub fields_with_ttl: Option<u64>,
}

/// Encoding names as `OBJECT ENCODING` answers them, interned (anything else is `other`).
pub fn encoding_name(e: &str) -> &'static str {
    const KNOWN: [&str; 14] = [
        "int",
        "embstr",
        "raw",
        "listpack",
        "listpackex",
        "quicklist",
        "ziplist",
        "linkedlist",
        "intset",
        "hashtable",
        "skiplist",
        "stream",
        "zipmap",
        "module",
    ];
    KNOWN.iter().find(|k| **k == e).copied().unwrap_or("other")
}

/// Which access statistic to read, by eviction policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessProbe {
    /// OBJECT IDLETIME (LRU and non-LFU policies)
    Idle,
    /// OBJECT FREQ (LFU policies; IDLETIME is refused there)
    Freq,
}

impl AccessProbe {
    pub fn for_policy(policy: &str) -> Self {
        if policy.contains("lfu") {
            AccessProbe::Freq
        } else {
            AccessProbe::Idle
        }
    }
}

#[derive(Debug, Clone)]
pub struct ScanSpec {
    pub pattern: Option<String>,
    pub key_type: Option<String>,
    pub count: u64,
    /// Probe at most this many keys per node (examined keys, before filters).
    pub sample: Option<u64>,
    pub access: AccessProbe,
    pub pacer: Option<Arc<Pacer>>,
    /// Pipelines in flight per node.
    pub inflight: usize,
    /// OBJECT looks the key up like a read (keyspace hit or miss): Redis 6.2 and later.
    pub object_counts: bool,
    /// Also OBJECT ENCODING and the element count (HLEN, LLEN, …) of every key.
    pub detail: bool,
}

/// One probed batch from one node.
pub struct Batch {
    pub node: usize,
    pub probes: Vec<KeyProbe>,
    /// Keys SCAN returned for this batch (before client-side filters).
    pub examined: usize,
    /// Keyspace hits and misses the probes added on the node, counted from their replies.
    pub hits_added: u64,
    pub misses_added: u64,
}

#[derive(Debug, Clone, Default)]
pub struct NodeSummary {
    pub examined: u64,
    pub probed: u64,
    /// Keys that expired or were deleted between SCAN and probe.
    pub vanished: u64,
    pub scan_calls: u64,
    pub duration: Duration,
}

impl Engine {
    /// Start scanning every node; batches arrive on the returned channel. The join handle
    /// yields one summary per node (in node order) or the first error.
    pub fn scan_probe(
        &self,
        spec: ScanSpec,
    ) -> (
        mpsc::Receiver<Batch>,
        tokio::task::JoinHandle<Result<Vec<NodeSummary>>>,
    ) {
        let (tx, rx) = mpsc::channel(4 * self.nodes.len().max(1));
        let nodes: Vec<Node> = self.nodes.clone();
        let handle = tokio::spawn(async move {
            let tasks = nodes.into_iter().enumerate().map(|(i, n)| {
                let tx = tx.clone();
                let spec = spec.clone();
                async move {
                    scan_node(i, n.conn.clone(), &spec, tx)
                        .await
                        .with_context(|| format!("scanning {}", n.addr))
                }
            });
            futures::future::try_join_all(tasks).await
        });
        (rx, handle)
    }
}

async fn scan_node(
    idx: usize,
    mut conn: MultiplexedConnection,
    spec: &ScanSpec,
    tx: mpsc::Sender<Batch>,
) -> Result<NodeSummary> {
    let started = Instant::now();
    let mut sum = NodeSummary::default();
    let mut cursor: u64 = 0;
    let mut inflight = FuturesOrdered::new();
    // With --sample, filters run client-side so the examined count (the extrapolation base)
    // is the number of keys looked at, whatever matched.
    let server_filters = spec.sample.is_none();
    loop {
        let mut cmd = redis::cmd("SCAN");
        cmd.arg(cursor);
        if server_filters {
            if let Some(p) = &spec.pattern {
                cmd.arg("MATCH").arg(p);
            }
        }
        cmd.arg("COUNT").arg(spec.count);
        if server_filters {
            if let Some(t) = &spec.key_type {
                cmd.arg("TYPE").arg(t);
            }
        }
        let (next, mut keys): (u64, Vec<Vec<u8>>) =
            cmd.query_async(&mut conn).await.context("SCAN")?;
        sum.scan_calls += 1;
        if let Some(limit) = spec.sample {
            let room = limit.saturating_sub(sum.examined) as usize;
            keys.truncate(room);
        }
        let examined = keys.len();
        sum.examined += examined as u64;
        if !server_filters {
            if let Some(p) = &spec.pattern {
                keys.retain(|k| crate::glob::matches(p.as_bytes(), k));
            }
        }
        if examined > 0 {
            if let Some(p) = &spec.pacer {
                p.acquire(keys.len().max(1)).await;
            }
            let c = conn.clone();
            let access = spec.access;
            let object_counts = spec.object_counts;
            let detail = spec.detail;
            let want_type = if server_filters {
                None
            } else {
                spec.key_type.clone()
            };
            inflight.push_back(async move {
                let mut probes = probe(c.clone(), keys, access, object_counts).await?;
                let (h, m) = if detail {
                    probe_detail(c, &mut probes.0, object_counts).await?
                } else {
                    probe_big_counts(c, &mut probes.0).await?
                };
                probes.2 += h;
                probes.3 += m;
                if let Some(t) = want_type {
                    probes.0.retain(|p| TYPES[p.type_idx] == t);
                }
                Ok::<_, anyhow::Error>((probes, examined))
            });
        }
        while inflight.len() >= spec.inflight.max(1) {
            let r = inflight.next().await.expect("non-empty");
            send(idx, r?, &mut sum, &tx).await?;
        }
        cursor = next;
        let sample_done = spec.sample.is_some_and(|l| sum.examined >= l);
        if cursor == 0 || sample_done {
            break;
        }
    }
    while let Some(r) = inflight.next().await {
        send(idx, r?, &mut sum, &tx).await?;
    }
    sum.duration = started.elapsed();
    Ok(sum)
}

/// One `SCAN cursor [MATCH p] COUNT n [TYPE t]` call.
pub async fn scan_once(
    conn: &mut MultiplexedConnection,
    cursor: u64,
    pattern: Option<&str>,
    count: u64,
    key_type: Option<&str>,
) -> Result<(u64, Vec<Vec<u8>>)> {
    let mut cmd = redis::cmd("SCAN");
    cmd.arg(cursor);
    if let Some(p) = pattern {
        cmd.arg("MATCH").arg(p);
    }
    cmd.arg("COUNT").arg(count);
    if let Some(t) = key_type {
        cmd.arg("TYPE").arg(t);
    }
    cmd.query_async(conn).await.context("SCAN")
}

/// Keys matching a glob, one batch per SCAN call, from every node in turn-taking tasks.
pub struct KeyBatch {
    pub node: usize,
    pub keys: Vec<Vec<u8>>,
}

impl Engine {
    /// Stream the keys matching `pattern` on every node (SCAN MATCH … COUNT …). Batches arrive
    /// on a bounded channel: memory is bounded by a few batches whatever the keyspace.
    pub fn scan_keys(
        &self,
        pattern: String,
        count: u64,
    ) -> (
        mpsc::Receiver<KeyBatch>,
        tokio::task::JoinHandle<Result<()>>,
    ) {
        self.scan_keys_of_type(pattern, count, None)
    }

    /// [`Engine::scan_keys`], only keys of one type (`SCAN … TYPE t`, 6.0+).
    pub fn scan_keys_of_type(
        &self,
        pattern: String,
        count: u64,
        key_type: Option<String>,
    ) -> (
        mpsc::Receiver<KeyBatch>,
        tokio::task::JoinHandle<Result<()>>,
    ) {
        let (tx, rx) = mpsc::channel(2 * self.nodes.len().max(1));
        let nodes: Vec<Node> = self.nodes.clone();
        let handle = tokio::spawn(async move {
            let tasks = nodes.into_iter().enumerate().map(|(i, n)| {
                let tx = tx.clone();
                let pattern = pattern.clone();
                let key_type = key_type.clone();
                async move {
                    let mut conn = n.conn.clone();
                    let mut cursor = 0;
                    loop {
                        let (next, keys) = scan_once(
                            &mut conn,
                            cursor,
                            Some(&pattern),
                            count,
                            key_type.as_deref(),
                        )
                        .await
                        .with_context(|| format!("scanning {}", n.addr))?;
                        if !keys.is_empty() && tx.send(KeyBatch { node: i, keys }).await.is_err() {
                            return Ok(());
                        }
                        cursor = next;
                        if cursor == 0 {
                            return Ok::<(), anyhow::Error>(());
                        }
                    }
                }
            });
            futures::future::try_join_all(tasks).await.map(|_| ())
        });
        (rx, handle)
    }
}

async fn send(
    node: usize,
    (probed, examined): (Probed, usize),
    sum: &mut NodeSummary,
    tx: &mpsc::Sender<Batch>,
) -> Result<()> {
    sum.probed += probed.0.len() as u64;
    sum.vanished += probed.1;
    tx.send(Batch {
        node,
        probes: probed.0,
        examined,
        hits_added: probed.2,
        misses_added: probed.3,
    })
    .await
    .map_err(|_| anyhow::anyhow!("analysis stopped"))
}

/// The probes of a batch, how many keys vanished, and the keyspace hits and misses added.
type Probed = (Vec<KeyProbe>, u64, u64, u64);

/// The keyspace hits and misses one key's probe replies (TYPE, PTTL, MEMORY USAGE, OBJECT)
/// added on the server. TYPE and PTTL look the key up like a read on every version, OBJECT
/// from Redis 6.2 on (`object_counts`); MEMORY USAGE never does. A lookup of an existing key
/// is a hit (TYPE not `none`, PTTL not -2, OBJECT not nil; OBJECT FREQ's "no LFU policy"
/// error comes after the lookup), of a missing one a miss; a refused command is neither.
pub fn probe_stats(replies: &[Value], object_counts: bool) -> (u64, u64) {
    let (mut hits, mut misses) = (0, 0);
    let mut count = |found: Option<bool>| match found {
        Some(true) => hits += 1,
        Some(false) => misses += 1,
        None => {}
    };
    count(match replies.first() {
        Some(Value::SimpleString(s)) => Some(s != "none"),
        Some(Value::BulkString(b)) => Some(b.as_slice() != b"none"),
        Some(Value::Okay) => Some(true),
        _ => None,
    });
    count(match replies.get(1) {
        Some(Value::Int(t)) => Some(*t != -2),
        _ => None,
    });
    if object_counts {
        count(match replies.get(3) {
            Some(Value::Int(_)) => Some(true),
            Some(Value::Nil) => Some(false),
            Some(Value::ServerError(e)) if e.code() == "ERR" => Some(true),
            _ => None,
        });
    }
    (hits, misses)
}

/// One pipeline for the whole batch.
async fn probe(
    mut conn: MultiplexedConnection,
    keys: Vec<Vec<u8>>,
    access: AccessProbe,
    object_counts: bool,
) -> Result<Probed> {
    if keys.is_empty() {
        return Ok((Vec::new(), 0, 0, 0));
    }
    let mut pipe = redis::pipe();
    pipe.ignore_errors();
    for k in &keys {
        pipe.cmd("TYPE").arg(k);
        pipe.cmd("PTTL").arg(k);
        pipe.cmd("MEMORY")
            .arg("USAGE")
            .arg(k)
            .arg("SAMPLES")
            .arg(MEMORY_SAMPLES);
        match access {
            AccessProbe::Idle => pipe.cmd("OBJECT").arg("IDLETIME").arg(k),
            AccessProbe::Freq => pipe.cmd("OBJECT").arg("FREQ").arg(k),
        };
    }
    let values: Vec<Value> = pipe
        .query_async(&mut conn)
        .await
        .context("probe pipeline (TYPE, PTTL, MEMORY USAGE, OBJECT)")?;
    // TYPE, PTTL and MEMORY USAGE answer nil/"none" for a key that vanished; an error reply
    // means the server refused the command (ACL, renamed command): fail loudly rather than
    // report every key as vanished. OBJECT errors are tolerated (policy changed mid-scan).
    if let Some((i, e)) = values.iter().enumerate().find_map(|(i, v)| match v {
        Value::ServerError(e) if i % 4 != 3 => Some((i, e)),
        _ => None,
    }) {
        let cmd = ["TYPE", "PTTL", "MEMORY USAGE"][i % 4];
        anyhow::bail!(
            "{cmd} refused: {} {} (the user needs +type +pttl +memory|usage +object)",
            e.code(),
            e.details().unwrap_or_default()
        );
    }
    // OBJECT refused by ACL (or renamed away): the run goes on without access statistics,
    // but says so once instead of silently reporting none
    if let Some(e) = values.iter().skip(3).step_by(4).find_map(|v| match v {
        Value::ServerError(e)
            if e.code() != "ERR" || e.details().is_some_and(|d| d.contains("unknown command")) =>
        {
            Some(e)
        }
        _ => None,
    }) {
        static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
            let what = match access {
                AccessProbe::Idle => "OBJECT IDLETIME",
                AccessProbe::Freq => "OBJECT FREQ",
            };
            tracing::warn!(
                "{what} refused ({} {}): no access statistics (idle time, frequency); grant the user +object",
                e.code(),
                e.details().unwrap_or_default()
            );
        }
    }
    let mut out = Vec::with_capacity(keys.len());
    let (mut vanished, mut hits, mut misses) = (0, 0, 0);
    for (key, v) in keys.into_iter().zip(values.chunks(4)) {
        let (h, m) = probe_stats(v, object_counts);
        hits += h;
        misses += m;
        let t = match &v[0] {
            Value::SimpleString(s) => s.as_str(),
            Value::Okay => "ok",
            _ => "none",
        };
        let memory = as_int(&v[2]);
        if t == "none" || memory.is_none() {
            vanished += 1;
            continue;
        }
        let pttl = as_int(&v[1]).unwrap_or(-1);
        if pttl == -2 {
            vanished += 1;
            continue;
        }
        let stat = as_int(&v[3]).map(|x| x.max(0) as u64);
        out.push(KeyProbe {
            key,
            type_idx: type_index(t),
            pttl_ms: pttl,
            memory: memory.unwrap_or(0).max(0) as u64,
            memory_estimated: false,
            idle_s: if access == AccessProbe::Idle {
                stat
            } else {
                None
            },
            freq: if access == AccessProbe::Freq {
                stat
            } else {
                None
            },
            encoding: None,
            fields_with_ttl: None,
            elements: None,
        });
    }
    Ok((out, vanished, hits, misses))
}

/// `--detail`: OBJECT ENCODING and the element count of every probed key, in one pipeline
/// (the count command depends on the type the first pipeline found).
/// Returns the keyspace hits and misses these lookups added: the count commands look the key
/// up like a read on every version (a collection is never empty: 0 means it is gone), OBJECT
/// ENCODING from 6.2 on (`object_counts`).
async fn probe_detail(
    mut conn: MultiplexedConnection,
    probes: &mut [KeyProbe],
    object_counts: bool,
) -> Result<(u64, u64)> {
    if probes.is_empty() {
        return Ok((0, 0));
    }
    // strings need no count: their second command is skipped (half the pipeline on a
    // string-heavy keyspace)
    let mut pipe = redis::pipe();
    pipe.ignore_errors();
    for p in probes.iter() {
        pipe.cmd("OBJECT").arg("ENCODING").arg(&p.key);
        if let Some(c) = count_command(p.type_idx) {
            pipe.cmd(c).arg(&p.key);
        }
    }
    let values: Vec<Value> = pipe
        .query_async(&mut conn)
        .await
        .context("detail pipeline (OBJECT ENCODING, HLEN/LLEN/SCARD/ZCARD/XLEN)")?;
    let (mut hits, mut misses) = (0, 0);
    let mut replies = values.iter();
    for p in probes.iter_mut() {
        let enc = replies.next();
        if object_counts {
            match enc {
                Some(Value::BulkString(_) | Value::SimpleString(_)) => hits += 1,
                Some(Value::Nil) => misses += 1,
                _ => {}
            }
        }
        p.encoding = match enc {
            Some(Value::BulkString(b)) => {
                Some(encoding_name(std::str::from_utf8(b).unwrap_or("other")))
            }
            Some(Value::SimpleString(s)) => Some(encoding_name(s)),
            _ => None,
        };
        p.elements = match count_command(p.type_idx) {
            None => None,
            Some(_) => {
                let n = replies.next().and_then(as_int);
                match n {
                    Some(n) if n > 0 => hits += 1,
                    Some(_) => misses += 1,
                    None => {}
                }
                n.map(|n| n.max(0) as u64)
            }
        };
        p.memory_estimated = match p.elements {
            Some(n) => n > MEMORY_SAMPLES,
            // a refused count (ACL): what cannot be shown exact is marked estimated
            None => may_be_estimated(p.type_idx, p.memory),
        };
    }
    Ok((hits, misses))
}

/// Without `--detail`: the element count of the collections whose size may be an estimate
/// ([`may_be_estimated`]), to mark them so. One more pipeline only for a batch that holds such
/// a collection; the counts themselves are not reported (elements come with `--detail`).
/// Returns the keyspace hits and misses the counts added (they look the key up like a read).
async fn probe_big_counts(
    mut conn: MultiplexedConnection,
    probes: &mut [KeyProbe],
) -> Result<(u64, u64)> {
    let big: Vec<usize> = (0..probes.len())
        .filter(|&i| may_be_estimated(probes[i].type_idx, probes[i].memory))
        .collect();
    if big.is_empty() {
        return Ok((0, 0));
    }
    let mut pipe = redis::pipe();
    pipe.ignore_errors();
    for &i in &big {
        let c = count_command(probes[i].type_idx).expect("a collection");
        pipe.cmd(c).arg(&probes[i].key);
    }
    let values: Vec<Value> = pipe
        .query_async(&mut conn)
        .await
        .context("count pipeline (HLEN/LLEN/SCARD/ZCARD/XLEN)")?;
    let (mut hits, mut misses) = (0, 0);
    for (&i, v) in big.iter().zip(&values) {
        match as_int(v) {
            Some(n) if n > 0 => {
                hits += 1;
                probes[i].memory_estimated = n as u64 > MEMORY_SAMPLES;
            }
            Some(_) => misses += 1,
            // a refused count (ACL): what cannot be shown exact is marked estimated
            None => probes[i].memory_estimated = true,
        }
    }
    Ok((hits, misses))
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::BulkString(b) => std::str::from_utf8(b).ok()?.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_stats_count_lookups_from_replies() {
        let ok = |s: &str| Value::SimpleString(s.into());
        let err =
            |code: &str| redis::parse_redis_value(format!("-{code} x\r\n").as_bytes()).unwrap();
        let present = [ok("string"), Value::Int(-1), Value::Int(56), Value::Int(3)];
        assert_eq!(probe_stats(&present, true), (3, 0));
        assert_eq!(
            probe_stats(&present, false),
            (2, 0),
            "Redis 6.0: OBJECT is no read"
        );
        let gone = [ok("none"), Value::Int(-2), Value::Nil, Value::Nil];
        assert_eq!(probe_stats(&gone, true), (0, 3));
        // expired between TYPE and PTTL
        let half = [ok("hash"), Value::Int(-2), Value::Nil, Value::Nil];
        assert_eq!(probe_stats(&half, true), (1, 2));
        // OBJECT FREQ without an LFU policy: looked up, then refused
        let freq = [ok("string"), Value::Int(5), Value::Int(56), err("ERR")];
        assert_eq!(probe_stats(&freq, true), (3, 0));
        let denied = [ok("string"), Value::Int(5), Value::Int(56), err("NOPERM")];
        assert_eq!(probe_stats(&denied, true), (2, 0));
    }

    #[test]
    fn only_collections_over_the_sample_bound_may_be_estimated() {
        assert!(!may_be_estimated(type_index("string"), 10_000_000));
        assert!(!may_be_estimated(type_index("hash"), MEMORY_SAMPLES));
        assert!(may_be_estimated(type_index("hash"), MEMORY_SAMPLES + 1));
        assert_eq!(count_command(type_index("stream")), Some("XLEN"));
        assert_eq!(count_command(type_index("other")), None);
    }
}
