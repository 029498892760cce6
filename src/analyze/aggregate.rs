//! Pure aggregation for `analyze`: per-pattern statistics in bounded memory, namespace
//! matching, extrapolation, findings. No I/O; the engine feeds it [`KeyProbe`]s.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use serde::Serialize;

use crate::analyze::patterns::{self, Merge, PatternTrie};
use crate::analyze::values::{self, Pending, ReadValue, Slot, ValueSample, ValueSummary};
use crate::glob;
pub use crate::stats::{Reservoir, SizeSketch, RESERVOIR_CAP};

/// Redis data types, in a fixed order for compact counting.
pub use crate::engine::scan::{encoding_name, type_index, KeyProbe, TYPES};

/// Expiry buckets of the top-level `expiry_timeline`, by time left.
pub const TIMELINE: [&str; 8] = ["1m", "10m", "1h", "6h", "1d", "7d", "later", "never"];

fn timeline_bucket(pttl_ms: i64) -> usize {
    if pttl_ms < 0 {
        return 7;
    }
    const LIMITS_S: [i64; 6] = [60, 600, 3600, 6 * 3600, 86_400, 7 * 86_400];
    LIMITS_S
        .iter()
        .position(|l| pttl_ms <= l * 1000)
        .unwrap_or(6)
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct TimelineRow {
    pub bucket: String,
    pub keys: u64,
    pub memory_bytes: u64,
}

/// Statistics for one pattern. Counts are weighted (1.0 per key unless sampling).
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub probed: u64,
    pub keys_w: f64,
    pub memory_w: f64,
    /// keys whose size is MEMORY USAGE's estimate (big collections), weighted
    pub estimated_w: f64,
    pub no_ttl_w: f64,
    pub max_bytes: u64,
    /// weighted like keys, so sampled type counts are extrapolated too
    pub types: [f64; 7],
    pub ttl_max_s: Option<u64>,
    pub ttl: Reservoir,
    pub idle: Reservoir,
    pub freq: Reservoir,
    pub expiry_min_ms: Option<i64>,
    pub expiry_max_ms: Option<i64>,
    pub with_ttl: u64,
    pub example_key: Option<String>,
    pub encodings: BTreeMap<&'static str, f64>,
    /// weighted element total and collections counted, for elements_avg
    pub elements_w: f64,
    pub collections_w: f64,
    pub elements_max: Option<u64>,
    pub sizes: SizeSketch,
    /// hash fields with their own TTL (None: not known, online)
    pub fields_with_ttl: Option<u64>,
    /// `--values N`: a uniform sample of the pattern's keys, their values measured
    pub values: ValueSample,
}

impl Stats {
    pub fn add(&mut self, p: &KeyProbe, weight: f64, now_ms: i64) {
        self.probed += 1;
        self.keys_w += weight;
        self.memory_w += p.memory as f64 * weight;
        if p.memory_estimated {
            self.estimated_w += weight;
        }
        self.max_bytes = self.max_bytes.max(p.memory);
        self.types[p.type_idx] += weight;
        if p.pttl_ms < 0 {
            self.no_ttl_w += weight;
        } else {
            let secs = (p.pttl_ms as u64 + 500) / 1000;
            self.ttl_max_s = Some(self.ttl_max_s.map_or(secs, |m| m.max(secs)));
            self.ttl.push(secs);
            let at = now_ms + p.pttl_ms;
            self.expiry_min_ms = Some(self.expiry_min_ms.map_or(at, |m| m.min(at)));
            self.expiry_max_ms = Some(self.expiry_max_ms.map_or(at, |m| m.max(at)));
            self.with_ttl += 1;
        }
        if let Some(i) = p.idle_s {
            self.idle.push(i);
        }
        if let Some(f) = p.freq {
            self.freq.push(f);
        }
        if self.example_key.is_none() {
            self.example_key = Some(crate::keys::key_text(&p.key));
        }
        if let Some(e) = p.encoding {
            *self.encodings.entry(e).or_default() += weight;
        }
        if let Some(n) = p.elements {
            self.elements_w += n as f64 * weight;
            self.collections_w += weight;
            self.elements_max = Some(self.elements_max.map_or(n, |m| m.max(n)));
        }
        if let Some(n) = p.fields_with_ttl {
            *self.fields_with_ttl.get_or_insert(0) += n;
        }
        self.sizes.push(p.memory, weight);
    }
}

fn opt_min(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    }
}

fn opt_max<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) | (None, x) => x,
    }
}

impl Merge for Stats {
    fn merge(&mut self, o: Self) {
        self.probed += o.probed;
        self.keys_w += o.keys_w;
        self.memory_w += o.memory_w;
        self.estimated_w += o.estimated_w;
        self.no_ttl_w += o.no_ttl_w;
        self.max_bytes = self.max_bytes.max(o.max_bytes);
        for (a, b) in self.types.iter_mut().zip(o.types) {
            *a += b;
        }
        self.ttl_max_s = opt_max(self.ttl_max_s, o.ttl_max_s);
        self.ttl.merge(o.ttl);
        self.idle.merge(o.idle);
        self.freq.merge(o.freq);
        self.expiry_min_ms = opt_min(self.expiry_min_ms, o.expiry_min_ms);
        self.expiry_max_ms = opt_max(self.expiry_max_ms, o.expiry_max_ms);
        self.with_ttl += o.with_ttl;
        if self.example_key.is_none() {
            self.example_key = o.example_key;
        }
        for (e, c) in o.encodings {
            *self.encodings.entry(e).or_default() += c;
        }
        self.elements_w += o.elements_w;
        self.collections_w += o.collections_w;
        self.elements_max = opt_max(self.elements_max, o.elements_max);
        self.fields_with_ttl = match (self.fields_with_ttl, o.fields_with_ttl) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        self.sizes.merge(o.sizes);
        self.values.merge(o.values);
    }
}

/// A profile namespace as the analysis sees it.
#[derive(Debug, Clone)]
pub struct NamespaceRule {
    pub name: String,
    /// glob shown in the output and usable by `invalidate pattern`
    pub glob: String,
    /// exact matcher: the glob, or the `format:` segments
    pub matcher: NamespaceMatcher,
    pub ttl_s: Option<u64>,
    pub ttl_jitter_pct: f64,
}

#[derive(Debug, Clone)]
pub enum NamespaceMatcher {
    Glob(String),
    /// `app:{service}:{entity}:{id}:{field?}` — literal or placeholder segments, optional tail.
    Format {
        sep: u8,
        segments: Vec<FormatSeg>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormatSeg {
    Literal(String),
    Any { optional: bool },
}

impl NamespaceMatcher {
    pub fn from_format(format: &str) -> Self {
        let segments = format
            .split(':')
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    FormatSeg::Any {
                        optional: s.ends_with("?}"),
                    }
                } else {
                    FormatSeg::Literal(s.to_string())
                }
            })
            .collect();
        NamespaceMatcher::Format {
            sep: b':',
            segments,
        }
    }

    pub fn matches(&self, key: &[u8]) -> bool {
        match self {
            NamespaceMatcher::Glob(g) => glob::matches(g.as_bytes(), key),
            NamespaceMatcher::Format { sep, segments } => {
                let parts: Vec<&[u8]> = key.split(|b| b == sep).collect();
                let required = segments
                    .iter()
                    .filter(|s| !matches!(s, FormatSeg::Any { optional: true }))
                    .count();
                if parts.len() < required || parts.len() > segments.len() {
                    return false;
                }
                segments
                    .iter()
                    .enumerate()
                    .all(|(i, seg)| match (seg, parts.get(i)) {
                        (FormatSeg::Literal(l), Some(p)) => l.as_bytes() == *p,
                        (FormatSeg::Any { .. }, Some(p)) => !p.is_empty(),
                        (FormatSeg::Any { optional: true }, None) => true,
                        _ => false,
                    })
            }
        }
    }
}

/// (bytes, key, type index, pttl, size estimated) of a big-key candidate; ordered by size
/// first.
type BigEntry = (u64, Vec<u8>, usize, i64, bool);

/// Keys → patterns. Memory: O(patterns) + the big-key heap.
pub struct Aggregator {
    seps: Vec<u8>,
    namespaces: Vec<NamespaceRule>,
    ns_stats: Vec<Stats>,
    trie: PatternTrie<Stats>,
    big: BinaryHeap<Reverse<BigEntry>>,
    big_n: usize,
    pub now_ms: i64,
    /// (keys, memory) per TIMELINE bucket, weighted
    timeline: [(f64, f64); 8],
    /// reused per key: the key as pattern text, its tokens
    text: String,
    tokens: patterns::Tokens,
    /// `--values N`: keys sampled per pattern (0: none)
    values_n: usize,
    /// ids of the keys sampled online, whose values are read after the scan
    next_pending: u64,
}

/// Where a key's value comes from when `--values` samples it.
pub enum ValueSource<'a> {
    /// online: read after the scan from this node
    Online { node: usize },
    /// offline: the values the RDB parser handed over (a string's bytes, or a collection's
    /// first members or field values)
    Offline { items: &'a [Vec<u8>] },
}

impl Aggregator {
    pub fn new(seps: &[u8], namespaces: Vec<NamespaceRule>, big_n: usize, now_ms: i64) -> Self {
        Aggregator {
            seps: seps.to_vec(),
            ns_stats: vec![Stats::default(); namespaces.len()],
            namespaces,
            trie: PatternTrie::new(seps),
            big: BinaryHeap::new(),
            big_n,
            now_ms,
            timeline: [(0.0, 0.0); 8],
            text: String::new(),
            tokens: patterns::Tokens::default(),
            values_n: 0,
            next_pending: 0,
        }
    }

    /// Sample up to `n` keys per pattern for `--values` (0: none).
    pub fn with_values(mut self, n: usize) -> Self {
        self.values_n = n;
        self
    }

    pub fn add(&mut self, p: &KeyProbe, weight: f64) {
        self.add_sampled(p, weight, None);
    }

    /// Add a key; with `--values`, offer it to its pattern's value sample.
    pub fn add_sampled(&mut self, p: &KeyProbe, weight: f64, src: Option<ValueSource>) {
        let t = &mut self.timeline[timeline_bucket(p.pttl_ms)];
        t.0 += weight;
        t.1 += p.memory as f64 * weight;
        if self.big_n > 0 {
            let worth = self.big.len() < self.big_n
                || self.big.peek().is_some_and(|Reverse(m)| p.memory > m.0);
            if worth {
                self.big.push(Reverse((
                    p.memory,
                    p.key.clone(),
                    p.type_idx,
                    p.pttl_ms,
                    p.memory_estimated,
                )));
                if self.big.len() > self.big_n {
                    self.big.pop();
                }
            }
        }
        let now_ms = self.now_ms;
        let stats = match self
            .namespaces
            .iter()
            .position(|n| n.matcher.matches(&p.key))
        {
            Some(i) => &mut self.ns_stats[i],
            None => {
                self.text.clear();
                patterns::pattern_text_into(&p.key, &mut self.text);
                patterns::tokenize_into(&self.text, &self.seps, &mut self.tokens);
                self.trie.entry(self.tokens.iter())
            }
        };
        stats.add(p, weight, now_ms);
        let (Some(src), n) = (src, self.values_n) else {
            return;
        };
        let Some(slot) = (n > 0).then(|| stats.values.admit(n)).flatten() else {
            return;
        };
        *slot = match src {
            ValueSource::Online { node } => {
                self.next_pending += 1;
                Slot::Pending(Pending {
                    id: self.next_pending,
                    node,
                    key: p.key.clone(),
                    type_idx: p.type_idx,
                    memory: p.memory,
                })
            }
            ValueSource::Offline { items } => {
                let string = p.type_idx == 0;
                let len = match (string, items.first()) {
                    // a string cut at the parser's bound: its whole length is about its memory
                    (true, Some(v)) if v.len() < values::VALUE_CAP => v.len() as u64,
                    (true, _) => p.memory,
                    (false, _) => p.elements.unwrap_or(items.len() as u64),
                };
                Slot::Done(values::measure(
                    p.key.len(),
                    p.memory,
                    &ReadValue {
                        items: items.to_vec(),
                        len,
                        string,
                    },
                ))
            }
        };
    }

    /// The keys sampled online whose values are still to be read, over every pattern.
    pub fn pending_values(&mut self) -> Vec<Pending> {
        let mut out = Vec::new();
        for s in &self.ns_stats {
            out.extend(s.values.pending().cloned());
        }
        self.trie
            .for_each_mut(|s| out.extend(s.values.pending().cloned()));
        out
    }

    /// The measured values of the pending keys, by id (`None`: vanished, left out).
    pub fn fill_values(
        &mut self,
        measured: &std::collections::HashMap<u64, Option<values::Measured>>,
    ) {
        let get = |id: u64| measured.get(&id).cloned();
        for s in &mut self.ns_stats {
            s.values.fill(get);
        }
        self.trie.for_each_mut(|s| s.values.fill(get));
    }

    pub fn pattern_of(&self, key: &[u8]) -> (String, Option<String>) {
        if let Some(n) = self.namespaces.iter().find(|n| n.matcher.matches(key)) {
            return (n.glob.clone(), Some(n.name.clone()));
        }
        (
            patterns::normalize(&patterns::pattern_text(key), &self.seps),
            None,
        )
    }

    /// Final rows (sorted by memory, descending), big keys and findings.
    pub fn finish(mut self, profile_has_namespaces: bool) -> AnalysisResult {
        let big_keys = self.big_key_rows();
        let Aggregator {
            namespaces,
            ns_stats,
            trie,
            timeline,
            ..
        } = self;
        let mut rows_src: Vec<(String, Option<&NamespaceRule>, Stats)> = Vec::new();
        for (i, s) in ns_stats.into_iter().enumerate() {
            if s.probed > 0 {
                rows_src.push((namespaces[i].glob.clone(), Some(&namespaces[i]), s));
            }
        }
        for (p, s) in trie.into_patterns() {
            rows_src.push((p, None, s));
        }
        let totals = (
            rows_src.iter().map(|r| r.2.keys_w).sum(),
            rows_src.iter().map(|r| r.2.memory_w).sum(),
        );
        let mut findings = Vec::new();
        let mut values_keys = 0;
        let mut rows: Vec<PatternRow> = rows_src
            .into_iter()
            .map(|(pattern, ns, s)| {
                let mut row = pattern_row(pattern, ns, &s, totals);
                findings.extend(pattern_findings(&row, &s, ns, profile_has_namespaces));
                if let Some(v) = s.values.summary(row.memory_bytes) {
                    values_keys += v.keys;
                    findings.extend(value_findings(&row, &v));
                    set_values(&mut row, &v);
                }
                row
            })
            .collect();
        rows.sort_by(|a, b| {
            b.memory_bytes
                .cmp(&a.memory_bytes)
                .then(b.keys.cmp(&a.keys))
                .then(a.pattern.cmp(&b.pattern))
        });
        findings.extend(big_key_findings(&big_keys));
        findings.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.pattern.cmp(&b.pattern)));
        AnalysisResult {
            memory_estimated_keys: rows.iter().map(|r| r.memory_estimated_keys).sum(),
            patterns: rows,
            big_keys,
            findings,
            expiry_timeline: timeline_rows(timeline),
            values_keys,
        }
    }

    /// The biggest keys, largest first, with the pattern each belongs to.
    fn big_key_rows(&mut self) -> Vec<BigKey> {
        // ascending order of Reverse(..) is descending size
        let big = std::mem::take(&mut self.big).into_sorted_vec();
        big.into_iter()
            .map(|Reverse((bytes, key, t, pttl, estimated))| {
                let (pattern, namespace) = self.pattern_of(&key);
                BigKey {
                    key: crate::keys::key_text(&key),
                    r#type: TYPES[t].to_string(),
                    bytes,
                    bytes_estimated: estimated,
                    ttl_s: (pttl >= 0).then(|| (pttl as u64 + 500) / 1000),
                    pattern,
                    namespace,
                }
            })
            .collect()
    }
}

/// The weighted (keys, memory) per bucket as rows, every bucket once.
fn timeline_rows(timeline: [(f64, f64); 8]) -> Vec<TimelineRow> {
    TIMELINE
        .iter()
        .zip(timeline)
        .map(|(b, (k, m))| TimelineRow {
            bucket: b.to_string(),
            keys: k.round() as u64,
            memory_bytes: m.round() as u64,
        })
        .collect()
}

/// One pattern's row from its statistics; `totals` are the weighted (keys, memory) of all
/// patterns, for the shares.
fn pattern_row(
    pattern: String,
    ns: Option<&NamespaceRule>,
    s: &Stats,
    totals: (f64, f64),
) -> PatternRow {
    let pct = |a: f64, b: f64| if b > 0.0 { round2(a * 100.0 / b) } else { 0.0 };
    PatternRow {
        pattern,
        namespace: ns.map(|n| n.name.clone()),
        keys: s.keys_w.round() as u64,
        keys_pct: pct(s.keys_w, totals.0),
        memory_bytes: s.memory_w.round() as u64,
        memory_estimated_keys: s.estimated_w.round() as u64,
        memory_pct: pct(s.memory_w, totals.1),
        avg_bytes: if s.keys_w > 0.0 {
            (s.memory_w / s.keys_w).round() as u64
        } else {
            0
        },
        max_bytes: s.max_bytes,
        types: TYPES
            .iter()
            .zip(s.types)
            .filter(|(_, c)| *c > 0.0)
            .map(|(t, c)| (t.to_string(), c.round() as u64))
            .collect(),
        no_ttl_keys: s.no_ttl_w.round() as u64,
        ttl_p50_s: s.ttl.median(),
        ttl_max_s: s.ttl_max_s,
        idle_p50_s: s.idle.median(),
        freq_p50: s.freq.median(),
        example_key: s.example_key.clone().unwrap_or_default(),
        encodings: s
            .encodings
            .iter()
            .map(|(e, c)| (e.to_string(), c.round() as u64))
            .collect(),
        elements_avg: (s.collections_w > 0.0).then(|| round2(s.elements_w / s.collections_w)),
        elements_max: s.elements_max,
        size_p50_bytes: s.sizes.quantile(0.5),
        size_p99_bytes: s.sizes.quantile(0.99),
        fields_with_ttl: s.fields_with_ttl,
        ..PatternRow::default()
    }
}

/// `--values`: the value columns of a row.
pub(crate) fn set_values(row: &mut PatternRow, v: &ValueSummary) {
    row.value_format = Some(v.format.as_str().to_string());
    row.value_formats = v
        .formats
        .iter()
        .map(|(f, c)| (f.as_str().to_string(), *c))
        .collect();
    row.compressible_pct = Some(v.compressible_pct);
    row.compressible_lz4_pct = Some(v.compressible_lz4_pct);
    row.compress_savings_bytes = Some(v.compress_savings_bytes);
}

fn value_findings(row: &PatternRow, v: &ValueSummary) -> Vec<Finding> {
    let facts = values::RowFacts {
        pattern: &row.pattern,
        keys: row.keys,
        avg_bytes: row.avg_bytes,
        no_ttl_keys: row.no_ttl_keys,
    };
    values::findings(&facts, v)
        .into_iter()
        .map(|(severity, message)| Finding {
            severity,
            pattern: row.pattern.clone(),
            message,
        })
        .collect()
}

/// A warning for every big key of [`BIG_KEY_BYTES`] or more.
fn big_key_findings(big_keys: &[BigKey]) -> Vec<Finding> {
    big_keys
        .iter()
        .filter(|b| b.bytes >= BIG_KEY_BYTES)
        .map(|b| Finding {
            severity: Severity::Warning,
            pattern: b.pattern.clone(),
            message: format!(
                "big key `{}` ({}{} {}): large values block the server on DEL and spike latency; split it or use UNLINK",
                b.key,
                if b.bytes_estimated { "~" } else { "" },
                crate::units::human_bytes(b.bytes),
                b.r#type
            ),
        })
        .collect()
}

/// Keys at least this big are reported as findings.
pub const BIG_KEY_BYTES: u64 = 1024 * 1024;
/// Collections with at least this many elements are reported as findings.
pub const HUGE_COLLECTION: u64 = 100_000;
/// Mass-expiry check applies from this many keys with a TTL.
pub const MASS_EXPIRY_MIN_KEYS: u64 = 100;

fn pattern_findings(
    row: &PatternRow,
    s: &Stats,
    ns: Option<&NamespaceRule>,
    profile_has_namespaces: bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if row.no_ttl_keys > 0 {
        out.push(Finding {
            severity: if ns.is_some_and(|n| n.ttl_s.is_some()) {
                Severity::Critical
            } else {
                Severity::Warning
            },
            pattern: row.pattern.clone(),
            message: format!(
                "{} no TTL: {} evicted only under allkeys-* policies",
                crate::units::n_of_keys_have(row.no_ttl_keys, row.keys),
                if row.no_ttl_keys == 1 {
                    "it never expires and is"
                } else {
                    "they never expire and are"
                }
            ),
        });
    }
    if profile_has_namespaces && ns.is_none() {
        out.push(Finding {
            severity: Severity::Info,
            pattern: row.pattern.clone(),
            message: format!(
                "{} {} outside every profile namespace",
                crate::units::plural(row.keys, "key", "keys"),
                if row.keys == 1 { "is" } else { "are" }
            ),
        });
    }
    if let (Some(n), Some(max)) = (ns, row.ttl_max_s) {
        if let Some(ttl) = n.ttl_s {
            let allowed = (ttl as f64 * (1.0 + n.ttl_jitter_pct / 100.0)).ceil() as u64 + 1;
            if max > allowed {
                out.push(Finding {
                    severity: Severity::Warning,
                    pattern: row.pattern.clone(),
                    message: format!(
                        "TTL up to {max}s, longer than the profile allows for `{}` ({ttl}s + {}% jitter)",
                        n.name, n.ttl_jitter_pct
                    ),
                });
            }
        }
    }
    let hashes_ht = s.encodings.get("hashtable").copied().unwrap_or(0.0);
    if row.types.contains_key("hash")
        && hashes_ht > 0.0
        && row.elements_avg.is_some_and(|a| a <= 1024.0)
    {
        out.push(Finding {
            severity: Severity::Info,
            pattern: row.pattern.clone(),
            message: format!(
                "{} keys are hashtable-encoded with {} fields on average: past the listpack threshold (hash-max-listpack-entries 128, values over 64 bytes) a hash takes several times the memory; smaller hashes or a higher threshold keep them compact",
                hashes_ht.round() as u64,
                row.elements_avg.unwrap_or(0.0)
            ),
        });
    }
    if let Some(max) = row.elements_max.filter(|m| *m >= HUGE_COLLECTION) {
        out.push(Finding {
            severity: Severity::Warning,
            pattern: row.pattern.clone(),
            message: format!(
                "huge collection: up to {max} elements in one key; O(N) commands (HGETALL, SMEMBERS, LRANGE 0 -1, DEL) on it block the server"
            ),
        });
    }
    if let (Some(lo), Some(hi)) = (s.expiry_min_ms, s.expiry_max_ms) {
        if s.with_ttl >= MASS_EXPIRY_MIN_KEYS && hi - lo < 60_000 {
            out.push(Finding {
                severity: Severity::Warning,
                pattern: row.pattern.clone(),
                message: format!(
                    "all {} TTLs end within the same minute: mass expiry will send a stampede to the origin; add TTL jitter",
                    crate::units::human_count(s.with_ttl)
                ),
            });
        }
    }
    out
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct PatternRow {
    pub pattern: String,
    pub namespace: Option<String>,
    pub keys: u64,
    pub keys_pct: f64,
    pub memory_bytes: u64,
    /// how many of the keys' sizes are estimates (collections of more than
    /// `MEMORY_SAMPLES` elements, measured with `MEMORY USAGE … SAMPLES n`); 0: all exact
    pub memory_estimated_keys: u64,
    pub memory_pct: f64,
    pub avg_bytes: u64,
    pub max_bytes: u64,
    pub types: BTreeMap<String, u64>,
    pub no_ttl_keys: u64,
    pub ttl_p50_s: Option<u64>,
    pub ttl_max_s: Option<u64>,
    pub idle_p50_s: Option<u64>,
    pub freq_p50: Option<u64>,
    pub example_key: String,
    /// `{"listpack": 900, "hashtable": 100}`; empty online without --detail
    pub encodings: BTreeMap<String, u64>,
    pub elements_avg: Option<f64>,
    pub elements_max: Option<u64>,
    pub size_p50_bytes: Option<u64>,
    pub size_p99_bytes: Option<u64>,
    /// hash fields with a TTL of their own (`HEXPIRE`, Redis 7.4+ / Valkey 9), offline
    /// (`--rdb`, `--rdb-sync`); null online
    pub fields_with_ttl: Option<u64>,
    /// `--values`: the most common format of the sampled values (`json`, `gzip`, …)
    pub value_format: Option<String>,
    /// `--values`: sampled values per format (`{"json": 198, "text": 2}`)
    pub value_formats: BTreeMap<String, u64>,
    /// `--values`: % of the sampled value bytes zstd (level 3) saves
    pub compressible_pct: Option<f64>,
    /// `--values`: the same with lz4
    pub compressible_lz4_pct: Option<f64>,
    /// `--values`: zstd's saving extrapolated to the pattern's memory (the values' share of
    /// it: the per-key overhead stays)
    pub compress_savings_bytes: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct BigKey {
    pub key: String,
    pub r#type: String,
    pub bytes: u64,
    /// `bytes` is an estimate from `MEMORY USAGE … SAMPLES n` (a collection of more than n
    /// elements)
    pub bytes_estimated: bool,
    pub ttl_s: Option<u64>,
    pub pattern: String,
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    Warning,
    #[default]
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Finding {
    pub severity: Severity,
    pub pattern: String,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct AnalysisResult {
    pub patterns: Vec<PatternRow>,
    /// keys whose size is an estimate, over every pattern
    pub memory_estimated_keys: u64,
    pub big_keys: Vec<BigKey>,
    pub findings: Vec<Finding>,
    pub expiry_timeline: Vec<TimelineRow>,
    /// `--values`: keys whose values were measured, over every pattern
    pub values_keys: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_timeline_buckets() {
        let mut a = Aggregator::new(b":", vec![], 0, 0);
        for (i, pttl) in [
            -1i64,
            30_000,
            60_000,
            61_000,
            7_200_000,
            90_000_000,
            700_000_000,
        ]
        .iter()
        .enumerate()
        {
            a.add(&probe(&format!("t:{i}"), "string", *pttl, 10), 1.0);
        }
        let r = a.finish(false);
        let got: Vec<(String, u64)> = r
            .expiry_timeline
            .iter()
            .map(|t| (t.bucket.clone(), t.keys))
            .collect();
        let want: Vec<(String, u64)> = [
            ("1m", 2),
            ("10m", 1),
            ("1h", 0),
            ("6h", 1),
            ("1d", 0),
            ("7d", 1),
            ("later", 1),
            ("never", 1),
        ]
        .iter()
        .map(|(b, k)| (b.to_string(), *k))
        .collect();
        assert_eq!(got, want);
        assert_eq!(r.expiry_timeline.iter().map(|t| t.keys).sum::<u64>(), 7);
    }

    fn probe(key: &str, t: &str, pttl: i64, mem: u64) -> KeyProbe {
        KeyProbe {
            key: key.as_bytes().to_vec(),
            type_idx: type_index(t),
            pttl_ms: pttl,
            memory: mem,
            memory_estimated: false,
            idle_s: Some(5),
            freq: None,
            encoding: None,
            elements: None,
            fields_with_ttl: None,
        }
    }

    #[test]
    fn aggregates_patterns_and_namespaces() {
        let ns = vec![NamespaceRule {
            name: "plans".into(),
            glob: "plan_catalog:v1:*".into(),
            matcher: NamespaceMatcher::Glob("plan_catalog:v1:*".into()),
            ttl_s: Some(3600),
            ttl_jitter_pct: 10.0,
        }];
        let mut a = Aggregator::new(b":", ns, 2, 0);
        for i in 0..10 {
            a.add(&probe(&format!("user:{i}"), "string", -1, 100), 1.0);
            a.add(
                &probe(&format!("plan_catalog:v1:p{i}"), "hash", 7_200_000, 50),
                1.0,
            );
        }
        let r = a.finish(true);
        assert_eq!(r.patterns.len(), 2);
        let user = r.patterns.iter().find(|p| p.pattern == "user:*").unwrap();
        assert_eq!(
            (user.keys, user.memory_bytes, user.no_ttl_keys),
            (10, 1000, 10)
        );
        assert_eq!(user.keys_pct, 50.0);
        let plans = r
            .patterns
            .iter()
            .find(|p| p.namespace.as_deref() == Some("plans"))
            .unwrap();
        assert_eq!(plans.pattern, "plan_catalog:v1:*");
        assert_eq!(plans.ttl_p50_s, Some(7200));
        assert_eq!(plans.types.get("hash"), Some(&10));
        let msgs: Vec<_> = r.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("have no TTL")), "{msgs:?}");
        assert!(msgs
            .iter()
            .any(|m| m.contains("outside every profile namespace")));
        assert!(msgs
            .iter()
            .any(|m| m.contains("longer than the profile allows")));
        assert_eq!(r.big_keys.len(), 2);
        assert_eq!(r.big_keys[0].bytes, 100);
        let mut a = Aggregator::new(b":", vec![], 3, 0);
        for (i, m) in [5u64, 900, 40, 7000, 1, 300].iter().enumerate() {
            a.add(&probe(&format!("k:{i}"), "string", -1, *m), 1.0);
        }
        let sizes: Vec<u64> = a.finish(false).big_keys.iter().map(|b| b.bytes).collect();
        assert_eq!(sizes, vec![7000, 900, 300]);
    }

    #[test]
    fn estimated_sizes_are_marked_on_the_pattern_the_big_key_and_the_finding() {
        let mut a = Aggregator::new(b":", vec![], 2, 0);
        let mut big = probe("big:hash", "hash", -1, 90_000_000);
        big.memory_estimated = true;
        a.add(&big, 1.0);
        a.add(&probe("big:small", "hash", -1, 2_000_000), 1.0);
        let r = a.finish(false);
        assert_eq!(r.memory_estimated_keys, 1);
        assert_eq!(r.patterns[0].memory_estimated_keys, 1);
        let flags: Vec<(&str, bool)> = r
            .big_keys
            .iter()
            .map(|b| (b.key.as_str(), b.bytes_estimated))
            .collect();
        assert_eq!(flags, [("big:hash", true), ("big:small", false)]);
        let msgs: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("`big:hash` (~85.8 MiB hash)")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("`big:small` (1.9 MiB hash)")),
            "{msgs:?}"
        );
    }

    #[test]
    fn sampling_weights_extrapolate() {
        let mut a = Aggregator::new(b":", vec![], 0, 0);
        for i in 0..10 {
            a.add(&probe(&format!("s:{i}"), "string", 1000, 10), 100.0);
        }
        let r = a.finish(false);
        assert_eq!(r.patterns[0].keys, 1000);
        assert_eq!(r.patterns[0].memory_bytes, 10_000);
    }

    #[test]
    fn mass_expiry_detected() {
        let mut a = Aggregator::new(b":", vec![], 0, 0);
        for i in 0..200 {
            a.add(&probe(&format!("m:{i}"), "string", 300_000 + i, 10), 1.0);
        }
        let r = a.finish(false);
        assert!(r.findings.iter().any(|f| f.message.contains("same minute")));
    }

    #[test]
    fn format_namespaces() {
        let m = NamespaceMatcher::from_format("app:{service}:{entity}:{id}:{field?}");
        assert!(m.matches(b"app:lake:user:123:profile"));
        assert!(m.matches(b"app:lake:user:123"));
        assert!(!m.matches(b"app:lake:user"));
        assert!(!m.matches(b"mesh:lake:user:1"));
        assert!(!m.matches(b"app:lake:user:1:a:b"));
        assert_eq!(
            crate::glob::from_format("app:{service}:{entity}:{id}:{field?}"),
            "app:*:*:*"
        );
    }
}
