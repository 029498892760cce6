//! `cachectl analyze`: one SCAN pass per node, pipelined no-touch probes, keys grouped
//! into patterns (see `patterns.rs`) and profile namespaces, findings.

pub mod aggregate;
pub mod offline;
pub mod patterns;
pub mod values;

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use indicatif::ProgressBar;
use serde::Serialize;

use crate::analyze::aggregate::{
    Aggregator, BigKey, Finding, NamespaceMatcher, NamespaceRule, PatternRow, ValueSource,
};
use crate::config::Settings;
use crate::engine::scan::{AccessProbe, NodeSummary, ScanSpec};
use crate::engine::Engine;
use crate::error::usage;
use crate::profile::Profile;
use crate::ratelimit::Pacer;
use crate::render::{opt, Columns, RenderCtx, Report};
use crate::signals::Stop;
use crate::units::{human_bytes, human_count, human_secs};

#[derive(Debug, Serialize, Default)]
pub struct NodeRow {
    pub node: String,
    pub role: String,
    pub dbsize: u64,
    pub scanned_keys: u64,
    pub probed_keys: u64,
    pub vanished_keys: u64,
    pub weight: f64,
    pub duration_ms: u64,
    /// keyspace hits / misses this run's probes added to the node's INFO stats
    pub keyspace_hits_added: u64,
    pub keyspace_misses_added: u64,
}

#[derive(Debug, Serialize, Default)]
pub struct AnalyzeReport {
    pub scanned_keys: u64,
    pub total_keys: u64,
    pub sampled: bool,
    pub duration_ms: u64,
    pub url: String,
    pub cluster: bool,
    pub eviction_policy: Option<String>,
    /// `idle` (OBJECT IDLETIME) or `freq` (OBJECT FREQ, LFU policies)
    pub access_stat: &'static str,
    pub interrupted: bool,
    /// Keyspace hits the probes added on the servers (TYPE and PTTL look keys up like reads,
    /// OBJECT too from Redis 6.2): counted from the probe replies, so a hit-rate report that
    /// covers this run is skewed by them. Misses: keys that vanished mid-scan.
    pub keyspace_hits_added: u64,
    pub keyspace_misses_added: u64,
    /// false when `--type` was filtered by the server's SCAN TYPE, which on Redis (not
    /// Valkey) adds one more hit per key it looks at, out of the client's sight
    pub keyspace_hits_exact: bool,
    pub nodes: Vec<NodeRow>,
    pub patterns: Vec<PatternRow>,
    pub big_keys: Vec<BigKey>,
    pub findings: Vec<Finding>,
    /// `memory-usage` (MEMORY USAGE probes) or `rdb-estimate` (--rdb, --rdb-sync)
    pub memory_source: &'static str,
    /// Keys whose size is MEMORY USAGE's estimate from `SAMPLES n` rather than exact:
    /// collections of more than n elements, where an exact count would block the server.
    pub memory_estimated_keys: u64,
    pub expiry_timeline: Vec<crate::analyze::aggregate::TimelineRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<crate::analyze::offline::Diff>,
    /// `--values N`: how the values were sampled
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<ValuesRun>,
    /// patterns and memory before `--top` kept the biggest (the summary line's figures)
    #[serde(skip)]
    pub all_patterns: usize,
    #[serde(skip)]
    pub all_memory_bytes: u64,
}

/// `--values N`: the sample behind the value columns.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct ValuesRun {
    /// N: keys sampled per pattern
    pub per_pattern: usize,
    /// keys whose values were measured
    pub keys: u64,
    /// online on a server without CLIENT NO-TOUCH (before Redis 7.2): the reads updated the
    /// sampled keys' LRU/LFU state
    pub touched_lru: bool,
}

/// `--top N` keeps the N patterns using the most memory, and only the findings about them
/// (findings about patterns left out would be rows the user asked not to see).
pub struct Top {
    pub patterns: Vec<PatternRow>,
    pub findings: Vec<Finding>,
    pub all_patterns: usize,
    pub all_memory_bytes: u64,
}

impl Top {
    pub fn apply(top: usize, mut patterns: Vec<PatternRow>, mut findings: Vec<Finding>) -> Top {
        let all_patterns = patterns.len();
        let all_memory_bytes = patterns.iter().map(|p| p.memory_bytes).sum();
        if top > 0 && patterns.len() > top {
            patterns.truncate(top);
            findings.retain(|f| patterns.iter().any(|p| p.pattern == f.pattern));
        }
        Top {
            patterns,
            findings,
            all_patterns,
            all_memory_bytes,
        }
    }
}

pub const DEFAULT_SCAN_COUNT: u64 = 1000;
pub const DEFAULT_SEPARATORS: &str = ":/|#";
pub const DEFAULT_BIG_KEYS: usize = 10;
/// `--top`: 0 lists every pattern.
pub const DEFAULT_TOP: usize = 0;

/// What `analyze` is asked to do, whoever asks: the command line (`cli::analyze`),
/// `demo`, or `recommend --observe`. `Default` is the command line's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub pattern: Option<String>,
    pub key_type: Option<String>,
    pub sample: Option<u64>,
    pub scan_count: u64,
    pub rate: Option<f64>,
    pub top: usize,
    pub separators: String,
    pub big_keys: usize,
    pub rdb: Vec<String>,
    pub rdb_sync: bool,
    pub detail: bool,
    pub diff: Option<std::path::PathBuf>,
    /// `--values N`: sample N keys per pattern and measure their values
    pub values: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            pattern: None,
            key_type: None,
            sample: None,
            scan_count: DEFAULT_SCAN_COUNT,
            rate: None,
            top: DEFAULT_TOP,
            separators: DEFAULT_SEPARATORS.to_string(),
            big_keys: DEFAULT_BIG_KEYS,
            rdb: Vec::new(),
            rdb_sync: false,
            detail: false,
            diff: None,
            values: None,
        }
    }
}

fn validate(a: &Options) -> Result<()> {
    if a.scan_count == 0 {
        return Err(usage("--scan-count must be at least 1"));
    }
    if a.sample == Some(0) {
        return Err(usage("--sample must be at least 1"));
    }
    if a.separators.is_empty() || !a.separators.is_ascii() {
        return Err(usage("--separators must be one or more ASCII characters"));
    }
    if let Some(t) = &a.key_type {
        const OK: [&str; 6] = ["string", "list", "set", "zset", "hash", "stream"];
        if !OK.contains(&t.as_str()) {
            return Err(usage(format!(
                "--type `{t}` is not a Redis type (expected one of {})",
                OK.join(", ")
            )));
        }
    }
    if a.values == Some(0) {
        return Err(usage("--values must be at least 1"));
    }
    if a.pattern.as_deref() == Some("") {
        return Err(usage("--match needs a glob (e.g. 'session:*')"));
    }
    Ok(())
}

/// The settings' profile namespaces as analysis rules (none without a profile).
pub fn profile_rules(s: &Settings) -> Vec<NamespaceRule> {
    s.profile
        .as_ref()
        .map(|l| namespace_rules(&l.profile))
        .unwrap_or_default()
}

/// Profile namespaces as analysis rules, in file order (first match wins).
pub fn namespace_rules(p: &Profile) -> Vec<NamespaceRule> {
    p.namespaces
        .iter()
        .map(|(name, ns)| NamespaceRule {
            name: name.clone(),
            glob: ns.glob(),
            matcher: match (&ns.pattern, &ns.format) {
                (Some(g), _) => NamespaceMatcher::Glob(g.clone()),
                (None, Some(f)) => NamespaceMatcher::from_format(f),
                (None, None) => NamespaceMatcher::Glob(String::new()),
            },
            ttl_s: ns.ttl.map(|d| d.0.as_secs()),
            ttl_jitter_pct: ns.ttl_jitter.map_or(0.0, |p| p.0),
        })
        .collect()
}

pub async fn run(a: &Options, s: &Settings, stop: &Stop) -> Result<AnalyzeReport> {
    validate(a)?;
    if !a.rdb.is_empty() || a.rdb_sync {
        return crate::analyze::offline::run_sources(a, s).await;
    }
    let engine = Engine::connect(&s.conn).await?;
    collect(&engine, a, s, stop).await
}

/// Analyze the keyspace of the nodes `engine` reads (its primaries, or replicas with
/// `--replicas`) over an existing connection: size the scan, stream the probed batches into
/// the aggregator, then build the report.
pub async fn collect(
    engine: &Engine,
    a: &Options,
    s: &Settings,
    stop: &Stop,
) -> Result<AnalyzeReport> {
    validate(a)?;
    let old = crate::analyze::offline::load_old(a)?;
    let started = Instant::now();
    let rules = profile_rules(s);
    let has_namespaces = !rules.is_empty();
    let plan = ScanPlan::read(engine, a).await?;
    let filtered = a.sample.is_none() && (a.pattern.is_some() || a.key_type.is_some());
    let bar = progress_bar(s.progress, plan.expected, filtered);
    let now_ms = crate::audit::now_ms();
    let mut agg = Aggregator::new(a.separators.as_bytes(), rules, a.big_keys, now_ms)
        .with_values(a.values.unwrap_or(0));
    let spec = scan_spec(engine, a, plan.access);
    let pacer = spec.pacer.clone();
    let mut scanned = scan_into(engine, spec, &plan, &mut agg, &bar, stop).await?;
    bar.finish_and_clear();
    let values = match a.values {
        Some(n) if !scanned.interrupted => {
            let reads =
                values::online::read_sample(engine, &mut agg, pacer.as_deref(), stop).await?;
            for (sum, add) in scanned.added.iter_mut().zip(&reads.added) {
                sum.0 += add.0;
                sum.1 += add.1;
            }
            scanned.interrupted |= reads.interrupted;
            Some((n, reads.touched_lru))
        }
        _ => None,
    };

    let result = agg.finish(has_namespaces);
    let values = values.map(|(per_pattern, touched_lru)| ValuesRun {
        per_pattern,
        keys: result.values_keys,
        touched_lru,
    });
    let diff = old.map(|o| o.diff(&result.patterns));
    let top = Top::apply(a.top, result.patterns, result.findings);
    let nodes = node_rows(engine, &plan, &scanned);
    let server_type_filter = a.key_type.is_some() && a.sample.is_none();
    Ok(AnalyzeReport {
        scanned_keys: nodes.iter().map(|n| n.scanned_keys).sum(),
        total_keys: plan.dbsizes.iter().sum(),
        sampled: plan.weights.iter().any(|w| *w > 1.0),
        duration_ms: started.elapsed().as_millis() as u64,
        url: engine.url_redacted.clone(),
        cluster: engine.cluster,
        eviction_policy: plan.policy,
        access_stat: match plan.access {
            AccessProbe::Idle => "idle",
            AccessProbe::Freq => "freq",
        },
        interrupted: scanned.interrupted,
        keyspace_hits_added: scanned.added.iter().map(|a| a.0).sum(),
        keyspace_misses_added: scanned.added.iter().map(|a| a.1).sum(),
        keyspace_hits_exact: !server_type_filter || engine.valkey,
        nodes,
        patterns: top.patterns,
        big_keys: result.big_keys,
        findings: top.findings,
        all_patterns: top.all_patterns,
        all_memory_bytes: top.all_memory_bytes,
        memory_source: "memory-usage",
        memory_estimated_keys: result.memory_estimated_keys,
        expiry_timeline: result.expiry_timeline,
        diff,
        values,
    })
}

/// What the scan will cover, read from the nodes before it starts.
struct ScanPlan {
    dbsizes: Vec<u64>,
    /// per node: how many keys each probed key stands for (`--sample` extrapolates)
    weights: Vec<f64>,
    /// keys the progress bar expects
    expected: u64,
    policy: Option<String>,
    access: AccessProbe,
}

impl ScanPlan {
    async fn read(engine: &Engine, a: &Options) -> Result<ScanPlan> {
        let mut dbsizes = Vec::with_capacity(engine.nodes.len());
        for n in &engine.nodes {
            dbsizes.push(Engine::dbsize(n).await?);
        }
        let policy = Engine::eviction_policy(&engine.nodes[0]).await;
        let access = AccessProbe::for_policy(policy.as_deref().unwrap_or("noeviction"));
        let weights = dbsizes
            .iter()
            .map(|&d| match a.sample {
                Some(n) if d > n => d as f64 / n as f64,
                _ => 1.0,
            })
            .collect();
        let expected = dbsizes
            .iter()
            .map(|&d| a.sample.map_or(d, |n| n.min(d)))
            .sum();
        Ok(ScanPlan {
            dbsizes,
            weights,
            expected,
            policy,
            access,
        })
    }
}

/// The engine's scan request for these options.
fn scan_spec(engine: &Engine, a: &Options, access: AccessProbe) -> ScanSpec {
    ScanSpec {
        pattern: a.pattern.clone(),
        key_type: a.key_type.clone(),
        count: a.scan_count,
        sample: a.sample,
        access,
        pacer: a.rate.map(|r| Arc::new(Pacer::new(r))),
        inflight: 3,
        object_counts: engine.valkey || engine.nodes[0].version >= (6, 2, 0),
        detail: a.detail,
    }
}

/// What the scan did, per node.
struct Scanned {
    summaries: Vec<NodeSummary>,
    /// (keyspace hits, misses) the probes added, per node
    added: Vec<(u64, u64)>,
    interrupted: bool,
}

/// Run the scan, feeding every probed batch to `agg` (weighted per node) until the scan ends
/// or `stop` fires (then what was aggregated so far stands, marked interrupted).
async fn scan_into(
    engine: &Engine,
    spec: ScanSpec,
    plan: &ScanPlan,
    agg: &mut Aggregator,
    bar: &ProgressBar,
    stop: &Stop,
) -> Result<Scanned> {
    let mut added = vec![(0u64, 0u64); engine.nodes.len()];
    let (mut rx, handle) = engine.scan_probe(spec);
    let mut interrupted = false;
    loop {
        tokio::select! {
            b = rx.recv() => match b {
                Some(batch) => {
                    let w = plan.weights[batch.node];
                    let src = || Some(ValueSource::Online { node: batch.node });
                    for p in &batch.probes {
                        agg.add_sampled(p, w, src());
                    }
                    bar.inc(batch.examined as u64);
                    added[batch.node].0 += batch.hits_added;
                    added[batch.node].1 += batch.misses_added;
                }
                None => break,
            },
            _ = stop.wait() => {
                interrupted = true;
                handle.abort();
                break;
            }
        }
    }
    let summaries = if interrupted {
        Vec::new()
    } else {
        handle
            .await
            .map_err(|e| anyhow::anyhow!("scan task failed: {e}"))??
    };
    Ok(Scanned {
        summaries,
        added,
        interrupted,
    })
}

/// One row per node: its size, what the scan examined and probed there, the hits it added.
fn node_rows(engine: &Engine, plan: &ScanPlan, scanned: &Scanned) -> Vec<NodeRow> {
    engine
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let sm = scanned.summaries.get(i).cloned().unwrap_or_default();
            NodeRow {
                node: n.addr.clone(),
                role: n.role.as_str().to_string(),
                dbsize: plan.dbsizes[i],
                scanned_keys: sm.examined,
                probed_keys: sm.probed,
                vanished_keys: sm.vanished,
                weight: plan.weights[i],
                duration_ms: sm.duration.as_millis() as u64,
                keyspace_hits_added: scanned.added[i].0,
                keyspace_misses_added: scanned.added[i].1,
            }
        })
        .collect()
}

/// Progress of an online scan: a bar over the expected keys, or a spinner when SCAN's type or
/// pattern filter makes the total unknown.
pub const PROGRESS_SCAN: &str = "{bar:30} {human_pos}/{human_len} keys  {rate}  ETA {eta}";
pub const PROGRESS_SCAN_FILTERED: &str = "{spinner} scanning… {human_pos} matching keys  {rate}";

fn progress_bar(enabled: bool, len: u64, spinner: bool) -> ProgressBar {
    if spinner {
        crate::render::progress::new(enabled, None, PROGRESS_SCAN_FILTERED)
    } else {
        crate::render::progress::new(enabled, Some(len), PROGRESS_SCAN)
    }
}

/// One row per pattern: the table and the CSV (SPEC §3 analyze). The table shows the access
/// statistic the eviction policy gives (idle time or LFU frequency); CSV has both, and the
/// detail columns (`offline::detail_columns`), which the table shows in a section of its own.
pub fn pattern_columns(r: &AnalyzeReport) -> Columns<'static, PatternRow> {
    let freq = r.access_stat == "freq";
    let sampled = r.sampled;
    let secs_or_dash = |v: Option<u64>| v.map(human_secs).unwrap_or_else(|| "-".into());
    let mut c: Columns<PatternRow> = Columns::new();
    c.plain("pattern", "PATTERN", 0, |p| p.pattern.clone())
        .plain("namespace", "NAMESPACE", 4, |p| p.namespace.clone())
        .count("keys", "KEYS", 1, |p| p.keys)
        .percent("keys_pct", "KEYS%", 5, |p| p.keys_pct)
        .col(
            "memory_bytes",
            "MEMORY",
            1,
            |p| p.memory_bytes,
            |p, _| approx(p.memory_estimated_keys > 0, p.memory_bytes),
        )
        .percent("memory_pct", "MEM%", 2, |p| p.memory_pct)
        .bytes("avg_bytes", "AVG", 6, |p| p.avg_bytes)
        .bytes("max_bytes", "MAX", 6, |p| p.max_bytes)
        .plain("types", "TYPES", 5, types_cell)
        .count("no_ttl_keys", "NO TTL", 2, |p| p.no_ttl_keys)
        .col(
            "ttl_p50_s",
            "TTL p50",
            3,
            |p| p.ttl_p50_s,
            move |p, _| secs_or_dash(p.ttl_p50_s),
        )
        .col(
            "ttl_max_s",
            "TTL max",
            7,
            |p| p.ttl_max_s,
            move |p, _| secs_or_dash(p.ttl_max_s),
        )
        .col(
            "idle_p50_s",
            "IDLE p50",
            8,
            |p| p.idle_p50_s,
            |p, _| p.idle_p50_s.map(human_secs).unwrap_or_default(),
        )
        .table_if(!freq)
        .col(
            "freq_p50",
            "FREQ p50",
            8,
            |p| p.freq_p50,
            |p, _| opt(&p.freq_p50),
        )
        .table_if(freq)
        .plain("example_key", "EXAMPLE", 9, |p| p.example_key.clone())
        .csv_only("estimated", move |_| sampled);
    crate::analyze::offline::detail_columns(&mut c, false);
    c.csv_only("memory_estimated_keys", |p| p.memory_estimated_keys);
    values::value_columns(&mut c, false);
    c
}

/// The biggest keys: the key whole if dropping minor columns makes room, then its size.
pub fn big_key_columns() -> Columns<'static, BigKey> {
    let mut c: Columns<BigKey> = Columns::new();
    c.plain("key", "KEY", 0, |b| b.key.clone())
        .plain("type", "TYPE", 2, |b| b.r#type.clone())
        .col(
            "bytes",
            "SIZE",
            1,
            |b| b.bytes,
            |b, _| approx(b.bytes_estimated, b.bytes),
        )
        .csv_only("bytes_estimated", |b| b.bytes_estimated)
        .col(
            "ttl_s",
            "TTL",
            3,
            |b| b.ttl_s,
            |b, _| b.ttl_s.map(human_secs).unwrap_or_else(|| "none".into()),
        )
        .plain("pattern", "PATTERN", 4, |b| b.pattern.clone())
        .csv_only("namespace", |b| b.namespace.clone());
    c
}

/// The findings: every column kept, the message wrapped under itself.
pub fn finding_columns() -> Columns<'static, Finding> {
    let mut c: Columns<Finding> = Columns::new();
    c.col(
        "severity",
        "SEVERITY",
        0,
        |f| f.severity.as_str(),
        |f, ctx| ctx.severity_cell(f.severity.as_str()),
    )
    .plain("pattern", "PATTERN", 0, |f| f.pattern.clone())
    .plain("message", "MESSAGE", 0, |f| f.message.clone())
    .wrap_last();
    c
}

/// A size in the table, `~` before it when it is an estimate.
pub fn approx(estimated: bool, bytes: u64) -> String {
    if estimated {
        format!("~{}", human_bytes(bytes))
    } else {
        human_bytes(bytes)
    }
}

impl Report for AnalyzeReport {
    /// Stopped by a signal: interrupted, after what was probed so far.
    fn outcome(&self) -> crate::error::Outcome {
        if self.interrupted {
            crate::error::Outcome::Interrupted
        } else {
            crate::error::Outcome::Ok
        }
    }

    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let shown: u64 = self.patterns.iter().map(|p| p.memory_bytes).sum();
        let (count, mem) = if self.all_patterns > self.patterns.len() {
            (self.all_patterns, self.all_memory_bytes)
        } else {
            (self.patterns.len(), shown)
        };
        let head = format!(
            "{} {} on {} of {} in {:.1}s: {}{}, {}{}{}",
            if self.sampled { "Sampled" } else { "Analyzed" },
            crate::units::plural(self.scanned_keys, "key", "keys"),
            crate::units::plural(self.nodes.len() as u64, "node", "nodes"),
            self.url,
            self.duration_ms as f64 / 1000.0,
            crate::units::plural(count as u64, "pattern", "patterns"),
            if count > self.patterns.len() {
                format!(" (the top {} shown)", self.patterns.len())
            } else {
                String::new()
            },
            human_bytes(mem),
            if self.sampled {
                format!(
                    " (estimated for {} keys from the sample)",
                    human_count(self.total_keys)
                )
            } else {
                String::new()
            },
            if self.interrupted {
                " — INTERRUPTED, partial results"
            } else {
                ""
            }
        );
        writeln!(w, "{}", ctx.prose(&head))?;
        // on a narrow terminal: pattern, size and TTL health first; the example key goes first
        let t = pattern_columns(self).table(ctx, &self.patterns);
        writeln!(w, "{t}")?;
        if self.keyspace_hits_added + self.keyspace_misses_added > 0 {
            let note = format!(
                "The probes added {}{} keyspace hits and {} misses to the server's INFO stats: hit rates over this run (cachectl report) include them.",
                if self.keyspace_hits_exact { "" } else { "at least " },
                human_count(self.keyspace_hits_added),
                human_count(self.keyspace_misses_added)
            );
            writeln!(w, "{}", ctx.prose(&note))?;
        }
        if self.memory_estimated_keys > 0 {
            let n = human_count(crate::engine::scan::MEMORY_SAMPLES);
            let note = format!(
                "~ estimated from {n} samples (MEMORY USAGE … SAMPLES {}): the size of {} of more than {n} elements, which an exact count would block the server for.",
                crate::engine::scan::MEMORY_SAMPLES,
                crate::units::plural(self.memory_estimated_keys, "collection", "collections"),
            );
            writeln!(w, "{}", ctx.prose(&note))?;
        }
        crate::analyze::offline::write_sections(self, ctx, w)?;
        values::write_section(self, ctx, w)?;
        if !self.big_keys.is_empty() {
            writeln!(w, "\nBiggest keys")?;
            writeln!(w, "{}", big_key_columns().table(ctx, &self.big_keys))?;
        }
        if !self.findings.is_empty() {
            writeln!(w, "\nFindings")?;
            writeln!(w, "{}", finding_columns().table(ctx, &self.findings))?;
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        if let Some(d) = &self.diff {
            return crate::analyze::offline::write_diff_csv(d, w);
        }
        pattern_columns(self).write_csv(w, &self.patterns)
    }
}

/// `hash:10 string:2` — compact, the same in tables and CSV.
fn types_cell(p: &PatternRow) -> String {
    p.types
        .iter()
        .map(|(t, c)| format!("{t}:{c}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> PatternRow {
        PatternRow {
            pattern: "user:*".into(),
            namespace: None,
            keys: 2,
            keys_pct: 100.0,
            memory_bytes: 100,
            memory_estimated_keys: 0,
            memory_pct: 100.0,
            avg_bytes: 50,
            max_bytes: 60,
            types: [("string".to_string(), 2)].into_iter().collect(),
            no_ttl_keys: 0,
            ttl_p50_s: Some(60),
            ttl_max_s: Some(60),
            idle_p50_s: Some(1),
            freq_p50: None,
            example_key: "user:1".into(),
            encodings: [("embstr".to_string(), 2)].into_iter().collect(),
            elements_avg: None,
            elements_max: None,
            size_p50_bytes: Some(50),
            size_p99_bytes: Some(60),
            fields_with_ttl: None,
            value_format: Some("json".into()),
            value_formats: [("json".to_string(), 2)].into_iter().collect(),
            compressible_pct: Some(60.0),
            compressible_lz4_pct: Some(40.0),
            compress_savings_bytes: Some(30),
        }
    }

    fn report(access_stat: &'static str) -> AnalyzeReport {
        AnalyzeReport {
            scanned_keys: 2,
            total_keys: 2,
            sampled: false,
            duration_ms: 1,
            url: "redis://x".into(),
            cluster: false,
            eviction_policy: None,
            access_stat,
            interrupted: false,
            keyspace_hits_added: 0,
            keyspace_misses_added: 0,
            keyspace_hits_exact: true,
            nodes: Vec::new(),
            patterns: vec![row()],
            big_keys: Vec::new(),
            findings: Vec::new(),
            memory_source: "memory-usage",
            memory_estimated_keys: 0,
            expiry_timeline: Vec::new(),
            diff: None,
            values: None,
            all_patterns: 1,
            all_memory_bytes: 0,
        }
    }

    #[test]
    fn top_keeps_the_biggest_and_their_findings_and_the_totals() {
        let mut a = row();
        a.pattern = "a:*".into();
        a.memory_bytes = 300;
        let mut b = row();
        b.pattern = "b:*".into();
        b.memory_bytes = 100;
        let f = |p: &str| Finding {
            pattern: p.into(),
            ..Finding::default()
        };
        let t = Top::apply(1, vec![a.clone(), b.clone()], vec![f("a:*"), f("b:*")]);
        assert_eq!(t.patterns.len(), 1);
        assert_eq!(t.findings.len(), 1);
        assert_eq!((t.all_patterns, t.all_memory_bytes), (2, 400));
        let all = Top::apply(0, vec![a, b], vec![f("a:*"), f("b:*")]);
        assert_eq!((all.patterns.len(), all.findings.len()), (2, 2));
    }

    #[test]
    fn csv_names_the_json_fields() {
        // `estimated` is the report's `sampled`, repeated on each CSV row
        crate::render::column::assert_csv_matches_json(
            &pattern_columns(&report("idle")),
            &row(),
            &["estimated"],
            &[],
        );
        let d = crate::analyze::offline::DiffRow {
            pattern: "p".into(),
            status: "new",
            keys_old: 0,
            keys_new: 1,
            keys_delta: 1,
            memory_old_bytes: 0,
            memory_new_bytes: 1,
            memory_delta_bytes: 1,
        };
        crate::render::column::assert_csv_matches_json(
            &crate::analyze::offline::diff_columns(),
            &d,
            &[],
            &[],
        );
    }

    #[test]
    fn secondary_tables_name_the_json_fields() {
        crate::render::column::assert_csv_matches_json(
            &big_key_columns(),
            &BigKey::default(),
            &[],
            &[],
        );
        crate::render::column::assert_csv_matches_json(
            &finding_columns(),
            &Finding::default(),
            &[],
            &[],
        );
        crate::render::column::assert_csv_matches_json(
            &crate::analyze::offline::timeline_columns(),
            &crate::analyze::aggregate::TimelineRow {
                bucket: "1m".into(),
                keys: 1,
                memory_bytes: 1,
            },
            &[],
            &[],
        );
    }

    #[test]
    fn the_table_shows_the_policys_access_statistic() {
        let idle = pattern_columns(&report("idle")).table_headers();
        assert!(idle.contains(&"IDLE p50") && !idle.contains(&"FREQ p50"));
        let freq = pattern_columns(&report("freq")).table_headers();
        assert!(freq.contains(&"FREQ p50") && !freq.contains(&"IDLE p50"));
        assert_eq!(idle.len(), 14, "{idle:?}");
    }
}
