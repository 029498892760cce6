//! `analyze --rdb FILE|-` and `--rdb-sync`: the same aggregation as online analyze, fed from
//! RDB dumps (`rdb.rs`) instead of probes; plus `--diff OLD.json` and the renderers of the
//! new sections (detail columns, expiry timeline, diff).

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::analyze::aggregate::{Aggregator, KeyProbe, PatternRow, TimelineRow, ValueSource};
use crate::analyze::{profile_rules, AnalyzeReport, NodeRow, Options};
use crate::config::Settings;
use crate::error::usage;
use crate::render::{Columns, RenderCtx, AUTO};
use crate::units::{human_bytes, human_count};

/// One RDB source: a file, stdin, or a replication stream from a node.
pub struct Source {
    pub name: String,
    pub role: String,
    pub reader: Box<dyn Read + Send>,
}

pub fn validate(a: &Options) -> Result<()> {
    if a.sample.is_some() {
        return Err(usage(
            "--sample is for online analysis; --rdb and --rdb-sync read every key",
        ));
    }
    if a.detail {
        return Err(usage(
            "--detail is for online analysis; --rdb and --rdb-sync always report encodings and element counts",
        ));
    }
    if a.rdb.iter().filter(|f| *f == "-").count() > 1 {
        return Err(usage("--rdb - (stdin) can be given once"));
    }
    Ok(())
}

/// Open the `--rdb` files (fails before any parsing if one is missing).
pub fn open_files(files: &[String]) -> Result<Vec<Source>> {
    files
        .iter()
        .map(|f| {
            let reader: Box<dyn Read + Send> = if f == "-" {
                Box::new(std::io::stdin())
            } else {
                Box::new(std::fs::File::open(f).with_context(|| format!("opening {f}"))?)
            };
            Ok(Source {
                name: if f == "-" { "stdin".into() } else { f.clone() },
                role: "rdb".into(),
                reader,
            })
        })
        .collect()
}

/// `--rdb` / `--rdb-sync`: open the sources, then analyze them.
pub async fn run_sources(a: &Options, s: &Settings) -> Result<AnalyzeReport> {
    validate(a)?;
    let _ = load_old(a)?;
    let sources = if a.rdb_sync {
        sync_sources(s).await?
    } else {
        open_files(&a.rdb)?
    };
    run(a, s, sources).await
}

/// One replication stream per node the engine reads from (every primary, or a replica of
/// each with --replicas).
async fn sync_sources(s: &Settings) -> Result<Vec<Source>> {
    let engine = crate::engine::Engine::connect(&s.conn).await?;
    let timeout = s.conn.timeout;
    let mut out = Vec::new();
    for n in engine.nodes.iter().cloned() {
        let name = n.addr.clone();
        let role = n.role.as_str().to_string();
        let reader =
            tokio::task::spawn_blocking(move || crate::engine::sync::rdb_stream(&n, timeout))
                .await
                .map_err(|e| anyhow::anyhow!("sync task failed: {e}"))?
                .with_context(|| format!("--rdb-sync from {name}"))?;
        out.push(Source { name, role, reader });
    }
    Ok(out)
}

/// Analyze the keys of every source into one report (a cluster's dumps combine).
pub async fn run(a: &Options, s: &Settings, sources: Vec<Source>) -> Result<AnalyzeReport> {
    let started = Instant::now();
    let rules = profile_rules(s);
    let has_namespaces = !rules.is_empty();
    let old = load_old(a)?;
    let now_ms = crate::audit::now_ms();
    let values = a.values.unwrap_or(0);
    let agg =
        Aggregator::new(a.separators.as_bytes(), rules, a.big_keys, now_ms).with_values(values);
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.store(true, Ordering::Relaxed);
            }
        })
    };
    let pattern = a.pattern.clone();
    let key_type = a.key_type.clone();
    let progress = s.progress;
    let (agg, nodes, interrupted, saw_freq) = tokio::task::spawn_blocking(move || {
        parse_all(sources, agg, pattern, key_type, stop, progress, values > 0)
    })
    .await
    .map_err(|e| anyhow::anyhow!("RDB parser failed: {e}"))??;
    watcher.abort();
    let result = agg.finish(has_namespaces);
    let values = a.values.map(|per_pattern| crate::analyze::ValuesRun {
        per_pattern,
        keys: result.values_keys,
        touched_lru: false,
    });
    let diff = old.map(|o| o.diff(&result.patterns));
    let top = crate::analyze::Top::apply(a.top, result.patterns, result.findings);
    let patterns = top.patterns;
    let total_keys = nodes.iter().map(|n| n.dbsize).sum();
    Ok(AnalyzeReport {
        scanned_keys: nodes.iter().map(|n| n.scanned_keys).sum(),
        total_keys,
        sampled: false,
        duration_ms: started.elapsed().as_millis() as u64,
        url: nodes
            .iter()
            .map(|n| n.node.as_str())
            .collect::<Vec<_>>()
            .join(","),
        cluster: nodes.len() > 1,
        eviction_policy: None,
        access_stat: if saw_freq { "freq" } else { "idle" },
        interrupted,
        // offline: the dump is read, the server's stats are untouched (--rdb-sync costs one SYNC)
        keyspace_hits_added: 0,
        keyspace_misses_added: 0,
        keyspace_hits_exact: true,
        nodes,
        patterns,
        big_keys: result.big_keys,
        findings: top.findings,
        all_patterns: top.all_patterns,
        all_memory_bytes: top.all_memory_bytes,
        memory_source: "rdb-estimate",
        memory_estimated_keys: 0,
        expiry_timeline: result.expiry_timeline,
        diff,
        values,
    })
}

type Parsed = (Aggregator, Vec<NodeRow>, bool, bool);

/// The spinner while RDBs are parsed (the message names the source and its keys so far).
pub const PROGRESS_RDB: &str = "{spinner} {msg}";

fn parse_all(
    sources: Vec<Source>,
    mut agg: Aggregator,
    pattern: Option<String>,
    key_type: Option<String>,
    stop: Arc<AtomicBool>,
    progress: bool,
    values: bool,
) -> Result<Parsed> {
    let bar = crate::render::progress::new(progress, None, PROGRESS_RDB);
    bar.set_message("reading RDB");
    let filter = Filter {
        pattern,
        type_idx: key_type.map(|t| crate::analyze::aggregate::type_index(&t)),
        values,
    };
    let mut nodes = Vec::new();
    let mut interrupted = false;
    let mut saw_freq = false;
    for src in sources {
        let t0 = Instant::now();
        let mut seen = 0u64;
        let name = src.name.clone();
        // --values: the parser hands over a collection's first items (a string's bytes), each
        // cut to 64 KiB; the aggregator measures the keys its per-pattern sample admits
        let opts = crate::rdb::ParseOptions {
            values: if values {
                crate::analyze::values::ITEMS_PER_KEY
            } else {
                0
            },
        };
        let (r, classified) = pipeline(&mut agg, &filter, |send| {
            crate::rdb::parse_with(src.reader, opts, |k| {
                seen += 1;
                if seen.is_multiple_of(65_536) {
                    bar.set_message(format!("{name}: {} keys", human_count(seen)));
                    if stop.load(Ordering::Relaxed) {
                        anyhow::bail!(Interrupted);
                    }
                }
                send.push(k);
                Ok(())
            })
        });
        saw_freq |= classified.saw_freq;
        let keys = match r {
            Ok(sum) => sum.keys,
            Err(e) if e.is::<Interrupted>() => {
                interrupted = true;
                seen
            }
            Err(e) => return Err(e.context(format!("reading {}", src.name))),
        };
        nodes.push(NodeRow {
            node: src.name,
            role: src.role,
            dbsize: keys,
            scanned_keys: keys,
            probed_keys: classified.matched,
            vanished_keys: 0,
            weight: 1.0,
            duration_ms: t0.elapsed().as_millis() as u64,
            keyspace_hits_added: 0,
            keyspace_misses_added: 0,
        });
        if interrupted {
            break;
        }
    }
    bar.finish_and_clear();
    Ok((agg, nodes, interrupted, saw_freq))
}

/// `--match` / `--type` of an offline run, and whether `--values` samples values.
struct Filter {
    pattern: Option<String>,
    type_idx: Option<usize>,
    values: bool,
}

/// Keys per batch handed from the parser to the classifier.
const BATCH: usize = 4096;
/// Batches in flight: the parser is at most this far ahead (memory: a few MB of key bytes).
const IN_FLIGHT: usize = 4;

/// One key's facts in a batch; its name is `keys[key_start..key_end]` of the batch.
struct Rec {
    key_end: usize,
    type_idx: usize,
    encoding: &'static str,
    elements: Option<u64>,
    expire_ms: Option<i64>,
    snapshot_ms: Option<i64>,
    memory: u64,
    idle_s: Option<u64>,
    freq: Option<u64>,
    fields_with_ttl: u64,
    /// `--values`: its value items are `item_ends[items_start..items_end]` of the batch
    items_end: usize,
}

/// Keys in flight between the threads: their names in one buffer, their facts beside.
/// Batches go back and forth, so their buffers are reused (no allocation per key).
#[derive(Default)]
struct Batch {
    keys: Vec<u8>,
    recs: Vec<Rec>,
    /// `--values`: the keys' value items, one after another, and where each ends
    items: Vec<u8>,
    item_ends: Vec<usize>,
}

/// The parser's end of the pipeline.
struct Sender {
    full: std::sync::mpsc::SyncSender<Batch>,
    empty: std::sync::mpsc::Receiver<Batch>,
    cur: Batch,
}

impl Sender {
    fn push(&mut self, k: &crate::rdb::RdbKey) {
        self.cur.keys.extend_from_slice(k.key);
        for v in k.values {
            self.cur.items.extend_from_slice(v);
            self.cur.item_ends.push(self.cur.items.len());
        }
        self.cur.recs.push(Rec {
            key_end: self.cur.keys.len(),
            type_idx: k.type_idx,
            encoding: k.encoding,
            elements: k.elements,
            expire_ms: k.expire_ms,
            snapshot_ms: k.snapshot_ms,
            memory: k.memory,
            idle_s: k.idle_s,
            freq: k.freq,
            fields_with_ttl: k.fields_with_ttl,
            items_end: self.cur.item_ends.len(),
        });
        if self.cur.recs.len() >= BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.cur.recs.is_empty() {
            return;
        }
        let next = self.empty.try_recv().unwrap_or_default();
        let full = std::mem::replace(&mut self.cur, next);
        // a closed channel means the classifier stopped (a panic, re-raised at the join)
        let _ = self.full.send(full);
    }
}

/// What the classifier counted.
#[derive(Default)]
struct Classified {
    matched: u64,
    saw_freq: bool,
}

/// Run `parse` (sequential by nature) on this thread while a second thread classifies its
/// keys into patterns and aggregates them (`Aggregator::add`: the larger half of the CPU
/// time, see BENCHMARKS.md). Batches of `BATCH` keys, at most `IN_FLIGHT` ahead.
fn pipeline<T>(
    agg: &mut Aggregator,
    filter: &Filter,
    parse: impl FnOnce(&mut Sender) -> T,
) -> (T, Classified) {
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(IN_FLIGHT);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        let classifier = std::thread::Builder::new()
            .name("rdb-classify".into())
            .spawn_scoped(scope, move || {
                let mut c = Classified::default();
                let mut probe = KeyProbe {
                    key: Vec::new(),
                    type_idx: 0,
                    pttl_ms: -1,
                    memory: 0,
                    memory_estimated: false,
                    idle_s: None,
                    freq: None,
                    encoding: None,
                    elements: None,
                    fields_with_ttl: None,
                };
                // `--values`: a key's items as the aggregator takes them (buffers reused)
                let mut items: Vec<Vec<u8>> = Vec::new();
                for mut b in full_rx {
                    let mut start = 0;
                    let mut items_start = 0;
                    for r in &b.recs {
                        let key = &b.keys[start..r.key_end];
                        start = r.key_end;
                        let my_items = items_start..r.items_end;
                        items_start = r.items_end;
                        if filter
                            .pattern
                            .as_deref()
                            .is_some_and(|p| !crate::glob::matches(p.as_bytes(), key))
                            || filter.type_idx.is_some_and(|t| t != r.type_idx)
                        {
                            continue;
                        }
                        c.matched += 1;
                        let reference = r.snapshot_ms.unwrap_or(agg.now_ms);
                        c.saw_freq |= r.freq.is_some();
                        probe.key.clear();
                        probe.key.extend_from_slice(key);
                        probe.type_idx = r.type_idx;
                        probe.pttl_ms = r.expire_ms.map_or(-1, |e| (e - reference).max(0));
                        probe.memory = r.memory;
                        probe.idle_s = r.idle_s;
                        probe.freq = r.freq;
                        probe.encoding = Some(r.encoding);
                        probe.elements = r.elements;
                        probe.fields_with_ttl = Some(r.fields_with_ttl);
                        if !filter.values {
                            agg.add(&probe, 1.0);
                            continue;
                        }
                        let n = my_items.len();
                        if items.len() < n {
                            items.resize_with(n, Vec::new);
                        }
                        let mut from = if my_items.start == 0 {
                            0
                        } else {
                            b.item_ends[my_items.start - 1]
                        };
                        for (slot, &end) in items.iter_mut().zip(&b.item_ends[my_items]) {
                            slot.clear();
                            slot.extend_from_slice(&b.items[from..end]);
                            from = end;
                        }
                        agg.add_sampled(
                            &probe,
                            1.0,
                            Some(ValueSource::Offline { items: &items[..n] }),
                        );
                    }
                    b.keys.clear();
                    b.recs.clear();
                    b.items.clear();
                    b.item_ends.clear();
                    // the parser may be done (its end closed): the batch is dropped then
                    let _ = empty_tx.send(b);
                }
                c
            })
            .expect("spawning the classifier thread");
        let mut send = Sender {
            full: full_tx,
            empty: empty_rx,
            cur: Batch::default(),
        };
        let r = parse(&mut send);
        send.flush();
        drop(send);
        let c = match classifier.join() {
            Ok(c) => c,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (r, c)
    })
}

#[derive(Debug)]
struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

// ---------------------------------------------------------------------------------------
// --diff OLD.json

#[derive(Debug, Deserialize)]
struct OldPattern {
    pattern: String,
    #[serde(default)]
    keys: u64,
    #[serde(default)]
    memory_bytes: u64,
}

#[derive(Debug, Deserialize)]
struct OldReport {
    patterns: Vec<OldPattern>,
}

/// The earlier run `--diff` compares with.
pub struct OldRun {
    path: String,
    patterns: Vec<OldPattern>,
}

/// Read and check `--diff OLD.json` (before any scanning, so a bad file fails fast).
pub fn load_old(a: &Options) -> Result<Option<OldRun>> {
    let Some(p) = &a.diff else {
        return Ok(None);
    };
    let text =
        std::fs::read_to_string(p).map_err(|e| usage(format!("--diff {}: {e}", p.display())))?;
    let old: OldReport = serde_json::from_str(&text).map_err(|e| {
        usage(format!(
            "--diff {}: not an `analyze -o json` report ({e})",
            p.display()
        ))
    })?;
    Ok(Some(OldRun {
        path: p.display().to_string(),
        patterns: old.patterns,
    }))
}

#[derive(Debug, Clone, Serialize)]
pub struct DiffRow {
    pub pattern: String,
    /// `new`, `gone`, `changed` or `same`
    pub status: &'static str,
    pub keys_old: u64,
    pub keys_new: u64,
    pub keys_delta: i64,
    pub memory_old_bytes: u64,
    pub memory_new_bytes: u64,
    pub memory_delta_bytes: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub against: String,
    pub new_patterns: usize,
    pub gone_patterns: usize,
    pub keys_delta: i64,
    pub memory_delta_bytes: i64,
    /// sorted by memory growth, largest first
    pub patterns: Vec<DiffRow>,
}

impl OldRun {
    /// Compare with the current (complete, untruncated) pattern rows.
    pub fn diff(&self, now: &[PatternRow]) -> Diff {
        let mut old: HashMap<&str, (u64, u64)> = HashMap::new();
        for p in &self.patterns {
            let e = old.entry(p.pattern.as_str()).or_default();
            e.0 += p.keys;
            e.1 += p.memory_bytes;
        }
        let mut rows = Vec::new();
        let mut current: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for p in now {
            let e = current.entry(p.pattern.as_str()).or_default();
            e.0 += p.keys;
            e.1 += p.memory_bytes;
        }
        for (pat, (k, m)) in &current {
            let (ko, mo) = old.get(pat).copied().unwrap_or_default();
            let status = if !old.contains_key(pat) {
                "new"
            } else if (ko, mo) == (*k, *m) {
                "same"
            } else {
                "changed"
            };
            rows.push(row(pat, status, (ko, mo), (*k, *m)));
        }
        for (pat, (ko, mo)) in &old {
            if !current.contains_key(pat) {
                rows.push(row(pat, "gone", (*ko, *mo), (0, 0)));
            }
        }
        rows.sort_by(|a, b| {
            b.memory_delta_bytes
                .cmp(&a.memory_delta_bytes)
                .then(b.keys_delta.cmp(&a.keys_delta))
                .then(a.pattern.cmp(&b.pattern))
        });
        Diff {
            against: self.path.clone(),
            new_patterns: rows.iter().filter(|r| r.status == "new").count(),
            gone_patterns: rows.iter().filter(|r| r.status == "gone").count(),
            keys_delta: rows.iter().map(|r| r.keys_delta).sum(),
            memory_delta_bytes: rows.iter().map(|r| r.memory_delta_bytes).sum(),
            patterns: rows,
        }
    }
}

fn row(p: &str, status: &'static str, old: (u64, u64), new: (u64, u64)) -> DiffRow {
    DiffRow {
        pattern: p.to_string(),
        status,
        keys_old: old.0,
        keys_new: new.0,
        keys_delta: new.0 as i64 - old.0 as i64,
        memory_old_bytes: old.1,
        memory_new_bytes: new.1,
        memory_delta_bytes: new.1 as i64 - old.1 as i64,
    }
}

// ---------------------------------------------------------------------------------------
// rendering of the new sections

fn signed_bytes(v: i64) -> String {
    let s = human_bytes(v.unsigned_abs());
    if v < 0 {
        format!("-{s}")
    } else {
        format!("+{s}")
    }
}

/// `listpack:900 hashtable:100`, most common first.
pub fn encodings_cell(p: &PatternRow) -> String {
    let mut v: Vec<(&String, &u64)> = p.encodings.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(e, c)| format!("{e}:{c}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The detail columns per pattern (encodings, element counts, size percentiles), after the
/// main ones in CSV; in the table, a section of their own (`in_table`).
pub fn detail_columns(c: &mut Columns<'static, PatternRow>, in_table: bool) {
    c.plain("encodings", "ENCODINGS", AUTO, encodings_cell)
        .table_if(in_table)
        .col(
            "elements_avg",
            "ELEMS avg",
            AUTO,
            |p| p.elements_avg,
            |p, _| {
                p.elements_avg
                    .map(|v| format!("{v:.1}"))
                    .unwrap_or_default()
            },
        )
        .table_if(in_table)
        .count("elements_max", "ELEMS max", AUTO, |p| p.elements_max)
        .table_if(in_table)
        .bytes("size_p50_bytes", "SIZE p50", AUTO, |p| p.size_p50_bytes)
        .table_if(in_table)
        .bytes("size_p99_bytes", "SIZE p99", AUTO, |p| p.size_p99_bytes)
        .table_if(in_table)
        .csv_only("fields_with_ttl", |p| p.fields_with_ttl);
}

/// The diff rows (`--diff`): all of them in CSV, the changed ones in the table.
pub fn diff_columns() -> Columns<'static, DiffRow> {
    let mut c: Columns<DiffRow> = Columns::new();
    c.plain("pattern", "PATTERN", AUTO, |r| r.pattern.clone())
        .plain("status", "STATUS", AUTO, |r| r.status)
        .csv_only("keys_old", |r| r.keys_old)
        .count("keys_new", "KEYS", AUTO, |r| r.keys_new)
        .col(
            "keys_delta",
            "KEYS Δ",
            AUTO,
            |r| r.keys_delta,
            |r, _| format!("{:+}", r.keys_delta),
        )
        .csv_only("memory_old_bytes", |r| r.memory_old_bytes)
        .bytes("memory_new_bytes", "MEMORY", AUTO, |r| r.memory_new_bytes)
        .col(
            "memory_delta_bytes",
            "MEMORY Δ",
            AUTO,
            |r| r.memory_delta_bytes,
            |r, _| signed_bytes(r.memory_delta_bytes),
        );
    c
}

/// The expiry timeline: keys and memory by time left.
pub fn timeline_columns() -> Columns<'static, TimelineRow> {
    let mut c: Columns<TimelineRow> = Columns::new();
    c.col(
        "bucket",
        "EXPIRES IN",
        AUTO,
        |b| b.bucket.clone(),
        |b, _| match b.bucket.as_str() {
            "never" => "never (no TTL)".to_string(),
            "later" => "later than 7d".to_string(),
            x => format!("≤ {x}"),
        },
    )
    .count("keys", "KEYS", AUTO, |b| b.keys)
    .bytes("memory_bytes", "MEMORY", AUTO, |b| b.memory_bytes);
    c
}

/// With --diff, CSV carries the diff rows.
pub fn write_diff_csv(d: &Diff, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
    diff_columns().write_csv(w, &d.patterns)
}

/// Table sections after the pattern table: detail (when known), expiry timeline, diff.
pub fn write_sections(r: &AnalyzeReport, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
    if r.patterns.iter().any(|p| !p.encodings.is_empty()) {
        writeln!(w, "\nEncodings and sizes")?;
        let mut c: Columns<PatternRow> = Columns::new();
        c.table_only("PATTERN", AUTO, |p, _| p.pattern.clone());
        detail_columns(&mut c, true);
        let t = c.table(ctx, &r.patterns);
        writeln!(w, "{t}")?;
    }
    if r.expiry_timeline.iter().any(|b| b.keys > 0) {
        writeln!(w, "\nExpiry timeline")?;
        writeln!(w, "{}", timeline_columns().table(ctx, &r.expiry_timeline))?;
    }
    if let Some(d) = &r.diff {
        writeln!(
            w,
            "\nSince {}: {}{} {}, {}; {} new and {} gone patterns",
            d.against,
            if d.keys_delta >= 0 { "+" } else { "-" },
            crate::units::human_count(d.keys_delta.unsigned_abs()),
            if d.keys_delta.unsigned_abs() == 1 {
                "key"
            } else {
                "keys"
            },
            signed_bytes(d.memory_delta_bytes),
            d.new_patterns,
            d.gone_patterns
        )?;
        let t = diff_columns().table(ctx, d.patterns.iter().filter(|r| r.status != "same"));
        writeln!(w, "{t}")?;
    }
    Ok(())
}
