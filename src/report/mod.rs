//! `cachectl report`: hit rate, evictions, memory and latency per node (every primary and
//! replica) and per profile namespace, over windows between two INFO samples, judged against
//! the profile's SLO.
//!
//! The report's own traffic never shows in the window: latency is measured with PING (no key
//! lookup), and the namespaces' `metrics_key` hashes are read before the first and after the
//! second INFO sample, because any read of a key counts as a keyspace hit or miss.

pub mod window;

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tracing::warn;

use crate::audit::now_rfc3339;
use crate::config::Settings;
use crate::engine::{Engine, Role};
use crate::error::usage;
use crate::error::Outcome;
use crate::profile::Slo;
use crate::render::{Columns, Format, RenderCtx, Report};
use crate::signals::Stop;
use crate::units::{human_bytes, human_count};
use window::{
    judge, lifetime_total, node_row, p95_ms, recommendations, sparkline, total_row, worst, NodeRow,
    Sample, Status,
};

#[derive(Debug, Clone, Serialize, Default)]
pub struct NamespaceRow {
    pub namespace: String,
    pub metrics_key: String,
    pub hits: Option<u64>,
    pub misses: Option<u64>,
    pub hit_rate_pct: Option<f64>,
    pub lifetime_hit_rate_pct: Option<f64>,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Window {
    pub window: u64,
    pub started_at: String,
    /// seconds between the two samples; null for lifetime counters (--interval 0)
    pub interval_s: Option<f64>,
    /// what the figures cover: `interval` (two samples --interval apart), `since` (since the
    /// sample the previous run stored in the --since file) or `lifetime` (counters since the
    /// last restart or CONFIG RESETSTAT: every reader, not only the application)
    pub basis: &'static str,
    /// `since`: when the previous run's sample was taken
    pub since: Option<String>,
    /// why the figures are lifetime ones, and what that means
    pub note: Option<String>,
    pub nodes: Vec<NodeRow>,
    pub total: NodeRow,
    pub namespaces: Vec<NamespaceRow>,
    pub status: Status,
    pub worst_node: Option<String>,
    pub recommendations: Vec<String>,
}

#[derive(Debug, Serialize, Default)]
pub struct ReportOut {
    pub url: String,
    pub cluster: bool,
    pub eviction_policy: Option<String>,
    pub windows: Vec<Window>,
    /// the worst overall status of all windows
    pub status: Status,
    #[serde(skip)]
    pub failed_check: Option<String>,
    /// stopped by SIGINT/SIGTERM (the windows so far are reported)
    #[serde(skip)]
    pub interrupted: bool,
}

struct Ns {
    name: String,
    key: String,
}

/// What `--since FILE` keeps between runs: every node's INFO counters, when they were taken,
/// the namespaces' counters, and the keyspace reads this run made after its sample (the
/// metrics_key HGETALLs), which the next run takes out of its window.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    version: u32,
    url: String,
    saved_at: String,
    saved_at_ms: i64,
    nodes: Vec<StoredNode>,
    namespaces: Vec<StoredNs>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredNode {
    node: String,
    sample: Sample,
    /// hits / misses the report itself added on this node after `sample`
    own_hits: u64,
    own_misses: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredNs {
    metrics_key: String,
    hits: u64,
    misses: u64,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The previous run's sample; a missing file is the first run, an unreadable one is warned about.
fn load_since(path: &std::path::Path) -> Option<Stored> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            warn!(file = %path.display(), error = %e, "--since: cannot read the previous sample");
            return None;
        }
    };
    match serde_json::from_str::<Stored>(&text) {
        Ok(s) if s.version == 1 => Some(s),
        Ok(_) | Err(_) => {
            warn!(file = %path.display(), "--since: not a cachectl report sample, replacing it");
            None
        }
    }
}

/// Write the sample atomically (temp file + rename), readable by its owner only.
fn save_since(path: &std::path::Path, st: &Stored) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map_or("since".into(), |n| n.to_string_lossy());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(&serde_json::to_vec_pretty(st).map_err(std::io::Error::other)?)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::anyhow!(e).context(format!("writing --since {}", path.display()))
    })
}

/// Why the stored sample cannot start a window for these nodes (None: it can).
fn since_mismatch(prev: &Stored, now: &[(String, Sample)], elapsed_s: f64) -> Option<String> {
    for (addr, s) in now {
        let Some(p) = prev.nodes.iter().find(|p| &p.node == addr) else {
            return Some(if prev.nodes.iter().any(|p| p.sample.run_id == s.run_id) {
                format!("node {addr} was not in the previous sample")
            } else {
                "the file holds a sample of another server".into()
            });
        };
        if p.sample.run_id != s.run_id {
            return Some(if (s.uptime_s as f64) < elapsed_s + 1.0 {
                format!("{addr} restarted since the previous run (run_id changed)")
            } else {
                format!("{addr} is another server than in the previous sample (run_id differs)")
            });
        }
        let b = &p.sample;
        if s.hits < b.hits + p.own_hits
            || s.misses < b.misses + p.own_misses
            || s.evicted < b.evicted
            || s.expired < b.expired
            || s.commands < b.commands
        {
            return Some(format!(
                "{addr}'s counters went down since the previous run (CONFIG RESETSTAT?)"
            ));
        }
    }
    None
}

fn lifetime_note(uptime_s: u64, why: Option<&str>) -> String {
    format!(
        "{}lifetime counters since the last restart or CONFIG RESETSTAT (uptime {}): they include every reader — cachectl analyze probes, scripts, other tools — not only the application",
        why.map(|w| format!("{w}: ")).unwrap_or_default(),
        crate::units::human_secs(uptime_s)
    )
}

fn ns_counts(m: &HashMap<String, String>) -> (u64, u64) {
    let g = |k: &str| {
        m.get(k)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    (g("hits"), g("misses"))
}

async fn read_namespaces(engine: &Engine, ns: &[Ns]) -> Result<Vec<(u64, u64)>> {
    let mut out = Vec::with_capacity(ns.len());
    for n in ns {
        out.push(ns_counts(&engine.hgetall(&n.key).await?));
    }
    Ok(out)
}

async fn sample_all(engine: &mut Engine) -> Result<Vec<Sample>> {
    let mut out = Vec::with_capacity(engine.nodes.len());
    for i in 0..engine.nodes.len() {
        out.push(Sample::parse(&engine.info_text(i).await?));
    }
    Ok(out)
}

/// Replication lag of each replica: its primary's offset minus the replica's acknowledged one.
fn repl_lags(engine: &Engine, samples: &[Sample]) -> Vec<Option<u64>> {
    engine
        .nodes
        .iter()
        .map(|n| {
            if n.role != Role::Replica {
                return None;
            }
            let (host, port) = n.addr.rsplit_once(':')?;
            let port: u16 = port.parse().ok()?;
            engine
                .nodes
                .iter()
                .zip(samples)
                .filter(|(p, _)| p.role == Role::Primary && p.shard == n.shard)
                .find_map(|(_, ps)| {
                    ps.replicas
                        .iter()
                        .find(|(ip, p, _)| *p == port && (ip == host || host == "localhost"))
                        .map(|(_, _, off)| ps.master_repl_offset.saturating_sub(*off))
                })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn one_window(
    engine: &mut Engine,
    a: &Options,
    slo: &Slo,
    ns: &[Ns],
    policy: Option<&str>,
    number: u64,
) -> Result<Window> {
    if let Some(path) = &a.since {
        return since_window(engine, a, slo, ns, policy, number, path).await;
    }
    let started_at = now_rfc3339();
    let lifetime = a.interval.is_zero();
    let ns_before = if lifetime {
        None
    } else {
        Some(read_namespaces(engine, ns).await?)
    };
    let before = if lifetime {
        None
    } else {
        Some(sample_all(engine).await?)
    };
    let t0 = Instant::now();
    // latency probes run inside the window (PING: no keyspace effect)
    let mut latencies = Vec::with_capacity(engine.nodes.len());
    for i in 0..engine.nodes.len() {
        let mut times = if a.latency_samples > 0 {
            engine.ping_times(i, a.latency_samples).await?
        } else {
            Vec::new()
        };
        latencies.push(p95_ms(&mut times));
    }
    if !lifetime {
        let left = a.interval.saturating_sub(t0.elapsed());
        tokio::time::sleep(left).await;
    }
    let after = sample_all(engine).await?;
    let secs = t0.elapsed().as_secs_f64();
    let ns_after = read_namespaces(engine, ns).await?;
    build_window(
        engine,
        slo,
        ns,
        policy,
        number,
        started_at,
        before.as_deref(),
        &after,
        secs,
        1 + a.latency_samples as u64, // the first INFO and the PINGs
        &latencies,
        ns_before,
        &ns_after,
    )
}

/// `--since FILE`: the window from the sample the previous run stored to one taken now;
/// lifetime (labelled) when there is none that fits. This run's sample is stored for the next.
#[allow(clippy::too_many_arguments)]
async fn since_window(
    engine: &mut Engine,
    a: &Options,
    slo: &Slo,
    ns: &[Ns],
    policy: Option<&str>,
    number: u64,
    path: &std::path::Path,
) -> Result<Window> {
    let prev = load_since(path);
    let mut latencies = Vec::with_capacity(engine.nodes.len());
    for i in 0..engine.nodes.len() {
        let mut times = if a.latency_samples > 0 {
            engine.ping_times(i, a.latency_samples).await?
        } else {
            Vec::new()
        };
        latencies.push(p95_ms(&mut times));
    }
    let saved_at = now_rfc3339();
    let saved_at_ms = now_ms();
    let after = sample_all(engine).await?;
    // read after the sample: these HGETALLs are the next window's, which takes them out
    let ns_after = read_namespaces(engine, ns).await?;
    let mut own = vec![(0u64, 0u64); engine.nodes.len()];
    for (n, counts) in ns.iter().zip(&ns_after) {
        let i = engine.node_for(n.key.as_bytes());
        // HGETALL of an existing hash is a hit, of a missing one a miss (an empty hash
        // does not exist)
        if counts.0 + counts.1 > 0 {
            own[i].0 += 1;
        } else {
            own[i].1 += 1;
        }
    }
    let now: Vec<(String, Sample)> = engine
        .nodes
        .iter()
        .zip(&after)
        .map(|(n, s)| (n.addr.clone(), s.clone()))
        .collect();
    let elapsed_s = prev.as_ref().map_or(0.0, |p| {
        (saved_at_ms - p.saved_at_ms).max(0) as f64 / 1000.0
    });
    let why = match &prev {
        None => Some(format!(
            "no previous sample in {} (first run)",
            path.display()
        )),
        Some(p) => since_mismatch(p, &now, elapsed_s),
    };
    // before = the stored sample with the previous run's own reads moved into it
    let before: Option<Vec<Sample>> = match (&prev, &why) {
        (Some(p), None) => Some(
            now.iter()
                .map(|(addr, _)| {
                    let sn = p.nodes.iter().find(|x| &x.node == addr).expect("matched");
                    let mut b = sn.sample.clone();
                    b.hits += sn.own_hits;
                    b.misses += sn.own_misses;
                    b
                })
                .collect(),
        ),
        _ => None,
    };
    let ns_before = match (&prev, &before) {
        (Some(p), Some(_)) => Some(
            ns.iter()
                .map(|n| {
                    p.namespaces
                        .iter()
                        .find(|x| x.metrics_key == n.key)
                        .map_or((0, 0), |x| (x.hits, x.misses))
                })
                .collect(),
        ),
        _ => None,
    };
    let started_at = match (&prev, &before) {
        (Some(p), Some(_)) => p.saved_at.clone(),
        _ => saved_at.clone(),
    };
    let mut w = build_window(
        engine,
        slo,
        ns,
        policy,
        number,
        started_at,
        before.as_deref(),
        &after,
        elapsed_s,
        // the report's own commands: this run's PINGs (INFO, HGETALL: a few more)
        a.latency_samples as u64,
        &latencies,
        ns_before,
        &ns_after,
    )?;
    if before.is_some() {
        w.basis = "since";
        w.since = prev.as_ref().map(|p| p.saved_at.clone());
        w.interval_s = Some(window::round1(elapsed_s));
    } else {
        let note = lifetime_note(w.total.uptime_s, why.as_deref());
        warn!("--since: {note}");
        w.note = Some(note);
    }
    let stored = Stored {
        version: 1,
        url: engine.url_redacted.clone(),
        saved_at,
        saved_at_ms,
        nodes: now
            .into_iter()
            .zip(own)
            .map(|((node, sample), (h, m))| StoredNode {
                node,
                sample,
                own_hits: h,
                own_misses: m,
            })
            .collect(),
        namespaces: ns
            .iter()
            .zip(&ns_after)
            .map(|(n, c)| StoredNs {
                metrics_key: n.key.clone(),
                hits: c.0,
                misses: c.1,
            })
            .collect(),
    };
    save_since(path, &stored)?;
    Ok(w)
}

/// Rows, total, verdicts and advice of one window from its samples (`before` None: lifetime).
#[allow(clippy::too_many_arguments)]
fn build_window(
    engine: &Engine,
    slo: &Slo,
    ns: &[Ns],
    policy: Option<&str>,
    number: u64,
    started_at: String,
    before: Option<&[Sample]>,
    after: &[Sample],
    secs: f64,
    own: u64,
    latencies: &[Option<f64>],
    ns_before: Option<Vec<(u64, u64)>>,
    ns_after: &[(u64, u64)],
) -> Result<Window> {
    let lifetime = before.is_none();
    let lags = repl_lags(engine, after);
    let mut rows: Vec<NodeRow> = engine
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut r = node_row(
                &n.addr,
                n.role.as_str(),
                before.map(|b| &b[i]),
                &after[i],
                secs,
                own,
                latencies[i],
                lags[i],
            );
            judge(&mut r, slo);
            r
        })
        .collect();
    let mut total = total_row(&rows, !lifetime);
    total.lifetime_hit_rate_pct = lifetime_total(&after.iter().collect::<Vec<_>>());
    if lifetime {
        total.hit_rate_pct = total.lifetime_hit_rate_pct;
    }
    judge(&mut total, slo);
    let worst_node = worst(&rows).map(|r| r.node.clone());
    // overall: the total's verdict, escalated by any node that is WARN or CRIT
    let node_max = rows
        .iter()
        .map(|r| r.status)
        .filter(|s| matches!(s, Status::Warn | Status::Crit))
        .max()
        .unwrap_or(Status::Ok);
    let status = total.status.max(node_max);
    let namespaces = ns
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (lh, lm) = ns_after[i];
            let (h, m) = match &ns_before {
                Some(b) if b[i].0 <= lh && b[i].1 <= lm => (Some(lh - b[i].0), Some(lm - b[i].1)),
                Some(_) => (None, None), // counters reset by the app
                None => (Some(lh), Some(lm)),
            };
            let (hr, st) = window::judge_namespace(h, m, slo);
            NamespaceRow {
                namespace: n.name.clone(),
                metrics_key: n.key.clone(),
                hits: h,
                misses: m,
                hit_rate_pct: hr,
                lifetime_hit_rate_pct: (lh + lm > 0)
                    .then(|| window::round1(lh as f64 * 100.0 / (lh + lm) as f64)),
                status: st,
            }
        })
        .collect();
    let recs = recommendations(&total, &rows, slo, policy);
    rows.sort_by(|x, y| x.node.cmp(&y.node));
    let note = lifetime.then(|| lifetime_note(total.uptime_s, None));
    Ok(Window {
        window: number,
        started_at,
        interval_s: (!lifetime).then_some(window::round1(secs)),
        basis: if lifetime { "lifetime" } else { "interval" },
        since: None,
        note,
        nodes: rows,
        total,
        namespaces,
        status,
        worst_node,
        recommendations: recs,
    })
}

/// A node's row in its window: what the node columns read.
pub struct NodeLine<'w> {
    pub window: &'w Window,
    pub row: &'w NodeRow,
}

/// The rows of a window: every node, then the total.
fn lines(w: &Window) -> Vec<NodeLine<'_>> {
    w.nodes
        .iter()
        .chain(std::iter::once(&w.total))
        .map(|row| NodeLine { window: w, row })
        .collect()
}

fn opt_count(v: Option<u64>) -> String {
    v.map_or("-".into(), human_count)
}

/// One row per node and window (SPEC §3 report): the table, the CSV (stdout and --append) and
/// the Prometheus gauges.
pub fn node_columns<'w>() -> Columns<'static, NodeLine<'w>> {
    let mut c: Columns<NodeLine<'w>> = Columns::new();
    // on a narrow terminal: who, how healthy (hit rate, memory, evictions, latency)
    c.csv_only("window", |l| l.window.window)
        .csv_only("started_at", |l| l.window.started_at.clone())
        .plain("node", "NODE", 0, |l| l.row.node.clone())
        .plain("role", "ROLE", 6, |l| l.row.role.clone())
        .col(
            "keys",
            "KEYS",
            5,
            |l| l.row.keys,
            |l, _| human_count(l.row.keys),
        )
        .metric("keys", "Keys on the node (total: primaries)")
        .col(
            "hits",
            "HITS",
            7,
            |l| l.row.hits,
            |l, _| opt_count(l.row.hits),
        )
        .metric("hits", "Keyspace hits in the window")
        .col(
            "misses",
            "MISSES",
            7,
            |l| l.row.misses,
            |l, _| opt_count(l.row.misses),
        )
        .metric("misses", "Keyspace misses in the window")
        .col(
            "hit_rate_pct",
            "HIT%",
            1,
            |l| l.row.hit_rate_pct,
            |l, _| opt_pct(l.row.hit_rate_pct),
        )
        .metric("hit_rate_pct", "Keyspace hit rate in the window, percent")
        .col(
            "lifetime_hit_rate_pct",
            "LIFE%",
            8,
            |l| l.row.lifetime_hit_rate_pct,
            |l, _| opt_pct(l.row.lifetime_hit_rate_pct),
        )
        .metric(
            "lifetime_hit_rate_pct",
            "Keyspace hit rate since start, percent",
        )
        .col(
            "evicted",
            "EVICTED",
            9,
            |l| l.row.evicted,
            |l, _| opt_count(l.row.evicted),
        )
        .metric("evicted", "Keys evicted in the window")
        .col(
            "expired",
            "EXPIRED",
            10,
            |l| l.row.expired,
            |l, _| opt_count(l.row.expired),
        )
        .metric("expired", "Keys expired in the window")
        .col(
            "eviction_pct",
            "EVICT%",
            4,
            |l| l.row.eviction_pct,
            |l, _| opt_pct(l.row.eviction_pct),
        )
        .metric(
            "eviction_pct",
            "Evicted keys in the window, percent of keys at its start",
        )
        .col(
            "used_memory",
            "MEMORY",
            3,
            |l| l.row.used_memory,
            |l, _| human_bytes(l.row.used_memory),
        )
        .metric("used_memory_bytes", "used_memory")
        .col(
            "maxmemory",
            "MAXMEM",
            9,
            |l| l.row.maxmemory,
            |l, _| {
                if l.row.maxmemory == 0 {
                    "-".into()
                } else {
                    human_bytes(l.row.maxmemory)
                }
            },
        )
        .metric("maxmemory_bytes", "maxmemory (0: no limit)")
        .col(
            "memory_pct",
            "MEM%",
            3,
            |l| l.row.memory_pct,
            |l, _| opt_pct(l.row.memory_pct),
        )
        .metric("memory_pct", "used_memory, percent of maxmemory")
        .col(
            "ops_per_s",
            "OPS/S",
            6,
            |l| l.row.ops_per_s,
            |l, _| l.row.ops_per_s.map_or("-".into(), |v| format!("{v:.0}")),
        )
        .metric(
            "ops_per_s",
            "Commands per second in the window, without the report's own",
        )
        .col(
            "p95_latency_ms",
            "P95 MS",
            5,
            |l| l.row.p95_latency_ms,
            |l, _| {
                l.row
                    .p95_latency_ms
                    .map_or("-".into(), |v| format!("{v:.2}"))
            },
        )
        .metric("p95_latency_ms", "p95 of client-side PING round trips, ms")
        .col(
            "repl_lag_bytes",
            "LAG",
            10,
            |l| l.row.repl_lag_bytes,
            |l, _| l.row.repl_lag_bytes.map_or("-".into(), |v| v.to_string()),
        )
        .metric(
            "repl_lag_bytes",
            "Replication lag behind the primary, bytes",
        )
        .col(
            "status",
            "STATUS",
            0,
            |l| l.row.status.as_str(),
            |l, ctx| ctx.colored_cell(l.row.status.as_str(), l.row.status.as_str()),
        )
        .gauge(
            "status",
            "SLO status: 0 OK, 1 UNKNOWN, 2 WARN, 3 CRIT",
            |l| Some(l.row.status as u8 as f64),
        )
        .csv_only("interval_s", |l| l.window.interval_s)
        .csv_only("uptime_s", |l| l.row.uptime_s)
        .metric("uptime_seconds", "Seconds since the node started");
    c
}

/// Append one row per node (and the total) to a history file; the header only once.
fn append(path: &std::path::Path, w: &Window) -> Result<()> {
    let fresh = std::fs::metadata(path).map_or(true, |m| m.len() == 0);
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening --append {}", path.display()))?;
    let mut cw = csv::Writer::from_writer(f);
    if fresh {
        cw.write_record(node_columns().csv_header())?;
    }
    node_columns().write_csv_rows(&mut cw, &lines(w))?;
    cw.flush()
        .with_context(|| format!("writing --append {}", path.display()))
}

/// `--fail-on`: the overall status at which the run exits 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Warn,
    Crit,
    Never,
}

/// What `report` is asked to do: the command line (`cli::report`), `demo`, or
/// `recommend --observe`. `Default` is the command line's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub interval: std::time::Duration,
    /// windows to report; `None`: one, or until stopped with `--watch`
    pub count: Option<u64>,
    pub watch: bool,
    pub latency_samples: usize,
    pub fail_on: FailOn,
    pub append: Option<std::path::PathBuf>,
    pub since: Option<std::path::PathBuf>,
}

pub const DEFAULT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);
pub const DEFAULT_LATENCY_SAMPLES: usize = 200;
pub const DEFAULT_FAIL_ON: FailOn = FailOn::Crit;

impl Default for Options {
    fn default() -> Self {
        Options {
            interval: DEFAULT_INTERVAL,
            count: None,
            watch: false,
            latency_samples: DEFAULT_LATENCY_SAMPLES,
            fail_on: DEFAULT_FAIL_ON,
            append: None,
            since: None,
        }
    }
}

/// `--watch`: each frame as it comes, in the output format. A table is redrawn in place on a
/// terminal (appended when piped), under a sparkline of the hit rate; CSV prints its header
/// once and then each window's rows; JSON one object per line (a single-window report);
/// Prometheus one exposition per window, blank-line separated.
struct Frames {
    ctx: RenderCtx,
    csv_header: bool,
}

impl Frames {
    fn new(ctx: RenderCtx) -> Frames {
        Frames {
            ctx,
            csv_header: false,
        }
    }

    fn draw(&mut self, out: &ReportOut, w: &Window, history: &[Option<f64>]) -> Result<()> {
        let single = ReportOut {
            url: out.url.clone(),
            cluster: out.cluster,
            eviction_policy: out.eviction_policy.clone(),
            windows: vec![w.clone()],
            status: w.status,
            failed_check: None,
            interrupted: false,
        };
        let mut buf: Vec<u8> = Vec::new();
        match self.ctx.format {
            Format::Table => {
                if self.ctx.tty {
                    write!(buf, "\x1b[2J\x1b[H")?;
                } else if w.window > 0 {
                    writeln!(buf)?;
                }
                let rate = w.total.hit_rate_pct.map_or("-".into(), |h| format!("{h}%"));
                writeln!(
                    buf,
                    "hit rate {}  {rate}{}  (Ctrl-C to stop)",
                    sparkline(&history[history.len().saturating_sub(60)..]),
                    if w.basis == "lifetime" {
                        " lifetime, first window in progress"
                    } else {
                        ""
                    }
                )?;
                crate::render::render(&single, &self.ctx, &mut buf)?;
            }
            Format::Csv => {
                let cols = node_columns();
                let mut cw = csv::Writer::from_writer(&mut buf);
                if !self.csv_header {
                    cw.write_record(cols.csv_header())?;
                    self.csv_header = true;
                }
                cols.write_csv_rows(&mut cw, &lines(w))?;
                cw.flush()?;
            }
            Format::Json => {
                serde_json::to_writer(&mut buf, &single)?;
                writeln!(buf)?;
            }
            Format::Prometheus => {
                if w.window > 0 {
                    writeln!(buf)?;
                }
                crate::render::render(&single, &self.ctx, &mut buf)?;
            }
        }
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&buf)?;
        stdout.flush()?;
        Ok(())
    }
}

/// Connect to every node (primaries and replicas) and report.
pub async fn run(a: &Options, s: &Settings, stop: &Stop) -> Result<ReportOut> {
    let mut engine = Engine::connect(&connect_settings(s)).await?;
    run_on(&mut engine, a, s, stop).await
}

/// How `report` connects: every node of every shard, primaries and replicas.
pub fn connect_settings(s: &Settings) -> crate::engine::ConnSettings {
    let mut conn = s.conn.clone();
    conn.all_nodes = true;
    conn.replicas = false;
    conn
}

/// Report over an engine connected with [`connect_settings`].
pub async fn run_on(
    engine: &mut Engine,
    a: &Options,
    s: &Settings,
    stop: &Stop,
) -> Result<ReportOut> {
    if a.count == Some(0) {
        return Err(usage("--count must be at least 1"));
    }
    if a.watch && a.interval.is_zero() {
        return Err(usage("--watch needs an --interval above 0"));
    }
    if a.since.is_some() && a.count.is_some_and(|c| c > 1) {
        return Err(usage(
            "--since reports one window (since the previous run): drop --count",
        ));
    }
    let slo = s
        .profile
        .as_ref()
        .map(|l| l.profile.slo.clone())
        .unwrap_or_default();
    let ns: Vec<Ns> = s
        .profile
        .as_ref()
        .map(|l| {
            l.profile
                .namespaces
                .iter()
                .filter_map(|(name, n)| {
                    n.metrics_key.as_ref().map(|k| Ns {
                        name: name.clone(),
                        key: k.clone(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let policy = Engine::eviction_policy(&engine.nodes[0]).await;
    let mut out = ReportOut {
        url: engine.url_redacted.clone(),
        cluster: engine.cluster,
        eviction_policy: policy.clone(),
        windows: Vec::new(),
        status: Status::Ok,
        failed_check: None,
        interrupted: false,
    };
    // without --count: one window, or until stopped with --watch
    let limit = a.count.or((!a.watch).then_some(1));
    let mut frames = a.watch.then(|| Frames::new(s.render));
    let mut history: Vec<Option<f64>> = Vec::new();
    if let Some(f) = &mut frames {
        // the first frame at once: lifetime counters, while the first window runs
        let now = Options {
            interval: std::time::Duration::ZERO,
            ..a.clone()
        };
        tokio::select! {
            w = one_window(engine, &now, &slo, &ns, policy.as_deref(), 0) => {
                f.draw(&out, &w?, &history)?;
            }
            _ = stop.wait() => out.interrupted = true,
        }
    }
    let mut n = 0u64;
    while !out.interrupted {
        n += 1;
        let w = tokio::select! {
            w = one_window(engine, a, &slo, &ns, policy.as_deref(), n) => w?,
            _ = stop.wait() => {
                out.interrupted = true;
                break;
            }
        };
        if let Some(p) = &a.append {
            append(p, &w)?;
        }
        history.push(w.total.hit_rate_pct);
        out.status = out.status.max(w.status);
        if let Some(f) = &mut frames {
            // each frame is the last window only: the run keeps no more
            f.draw(&out, &w, &history)?;
            out.windows = vec![w];
        } else {
            out.windows.push(w);
        }
        if limit.is_some_and(|l| n >= l) {
            break;
        }
    }
    let breach = match a.fail_on {
        FailOn::Never => false,
        FailOn::Warn => matches!(out.status, Status::Warn | Status::Crit),
        FailOn::Crit => out.status == Status::Crit,
    };
    if breach {
        let last = out.windows.last();
        let why = last
            .and_then(|w| {
                w.nodes
                    .iter()
                    .chain(std::iter::once(&w.total))
                    .filter(|r| r.status == out.status)
                    .flat_map(|r| r.reasons.iter().map(move |x| format!("{}: {x}", r.node)))
                    .next()
            })
            .unwrap_or_default();
        out.failed_check = Some(format!(
            "status {} at --fail-on {}{}",
            out.status.as_str(),
            format!("{:?}", a.fail_on).to_lowercase(),
            if why.is_empty() {
                String::new()
            } else {
                format!(" ({why})")
            }
        ));
    }
    Ok(out)
}

impl ReportOut {
    /// The run's outcome: interrupted, a breached check, or ok.
    pub fn outcome(&self) -> Outcome {
        match (&self.failed_check, self.interrupted) {
            (_, true) => Outcome::Interrupted,
            (Some(m), false) => Outcome::CheckFailed(m.clone()),
            (None, false) => Outcome::Ok,
        }
    }
}

fn opt_pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.1}"))
}

impl Report for ReportOut {
    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        for win in &self.windows {
            let span = match win.interval_s {
                Some(s) if win.basis == "since" => format!(
                    "{s:.1} s since the previous run ({})",
                    win.since.as_deref().unwrap_or("?")
                ),
                Some(s) => format!("{s:.1} s window"),
                None => format!(
                    "lifetime counters (uptime {})",
                    crate::units::human_secs(win.total.uptime_s)
                ),
            };
            let head = format!(
                "Window {}: {span} on {} node{} of {}: {}{}",
                win.window,
                win.nodes.len(),
                if win.nodes.len() == 1 { "" } else { "s" },
                self.url,
                win.status.as_str(),
                win.worst_node
                    .as_ref()
                    .filter(|_| win.nodes.len() > 1)
                    .map(|n| format!(" (worst node: {n})"))
                    .unwrap_or_default()
            );
            writeln!(w, "{}", ctx.prose(&head))?;
            if let Some(n) = &win.note {
                writeln!(w, "{}", ctx.prose(&format!("Note: {n}")))?;
            }
            let t = node_columns().table(ctx, &lines(win));
            writeln!(w, "{t}")?;
            if !win.namespaces.is_empty() {
                let mut t = ctx.table(&[
                    "NAMESPACE",
                    "METRICS KEY",
                    "HITS",
                    "MISSES",
                    "HIT%",
                    "LIFE%",
                    "STATUS",
                ]);
                t.priorities(&[0, 5, 3, 3, 1, 4, 0]);
                for n in &win.namespaces {
                    let c = |v: Option<u64>| v.map_or("-".into(), human_count);
                    t.add_row(vec![
                        crate::render::Cell::new(&n.namespace),
                        crate::render::Cell::new(&n.metrics_key),
                        crate::render::Cell::new(c(n.hits)),
                        crate::render::Cell::new(c(n.misses)),
                        crate::render::Cell::new(opt_pct(n.hit_rate_pct)),
                        crate::render::Cell::new(opt_pct(n.lifetime_hit_rate_pct)),
                        ctx.colored_cell(n.status.as_str(), n.status.as_str()),
                    ]);
                }
                writeln!(w, "{t}")?;
            }
            let reasons: Vec<String> = win
                .nodes
                .iter()
                .chain(std::iter::once(&win.total))
                .filter(|r| r.status != Status::Ok)
                .flat_map(|r| {
                    r.reasons
                        .iter()
                        .map(move |x| format!("{} {}: {x}", r.status.as_str(), r.node))
                })
                .collect();
            for r in reasons.iter().take(12) {
                writeln!(w, "{}", ctx.prose(&format!("  {r}")))?;
            }
            for r in &win.recommendations {
                writeln!(w, "{}", ctx.prose(&format!("  → {r}")))?;
            }
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        let cols = node_columns();
        w.write_record(cols.csv_header())?;
        for win in &self.windows {
            cols.write_csv_rows(w, &lines(win))?;
        }
        Ok(())
    }

    /// Gauges of the last window, one series per node (and `node="total"`).
    fn write_prometheus(&self, w: &mut dyn Write) -> Result<()> {
        let Some(win) = self.windows.last() else {
            return Ok(());
        };
        let lines = lines(win);
        let refs: Vec<&NodeLine> = lines.iter().collect();
        node_columns().write_prometheus(w, &refs, |l| {
            format!("node=\"{}\",role=\"{}\"", l.row.node, l.row.role)
        })?;
        if !win.namespaces.is_empty() {
            writeln!(w, "# HELP cachectl_namespace_hit_rate_pct Hit rate of a profile namespace from its metrics_key, percent.")?;
            writeln!(w, "# TYPE cachectl_namespace_hit_rate_pct gauge")?;
            for n in &win.namespaces {
                if let Some(v) = n.hit_rate_pct {
                    writeln!(
                        w,
                        "cachectl_namespace_hit_rate_pct{{namespace=\"{}\"}} {v}",
                        n.namespace
                    )?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(node: &str) -> NodeRow {
        NodeRow {
            node: node.into(),
            role: "primary".into(),
            keys: 10,
            hits: Some(9),
            misses: Some(1),
            hit_rate_pct: Some(90.0),
            lifetime_hit_rate_pct: Some(90.0),
            evicted: None,
            expired: Some(0),
            eviction_pct: Some(0.0),
            used_memory: 1000,
            maxmemory: 0,
            memory_pct: None,
            ops_per_s: Some(1.5),
            p95_latency_ms: Some(0.2),
            repl_lag_bytes: None,
            status: Status::Warn,
            reasons: Vec::new(),
            uptime_s: 100,
            reset: false,
            eviction_exceeded_ms: 0,
            eviction_base: 10,
        }
    }

    fn window() -> Window {
        Window {
            window: 1,
            started_at: "2026-01-01T00:00:00Z".into(),
            interval_s: Some(10.0),
            basis: "interval",
            since: None,
            note: None,
            nodes: vec![row("a:1")],
            total: row("total"),
            namespaces: Vec::new(),
            status: Status::Warn,
            worst_node: None,
            recommendations: Vec::new(),
        }
    }

    #[test]
    fn csv_names_the_json_fields() {
        // window, started_at and interval_s are the window's (JSON: one level up); reasons,
        // reset and eviction_exceeded_ms are JSON detail
        crate::render::column::assert_csv_matches_json(
            &node_columns(),
            &row("a:1"),
            &["window", "started_at", "interval_s"],
            &["reasons", "reset", "eviction_exceeded_ms"],
        );
        let w = window();
        let keys = crate::render::column::json_keys(&w);
        for k in ["window", "started_at", "interval_s"] {
            assert!(keys.contains(k), "{k}");
        }
    }

    #[test]
    fn csv_and_prometheus_from_the_node_columns() {
        let out = ReportOut {
            url: "redis://x".into(),
            cluster: false,
            eviction_policy: None,
            windows: vec![window()],
            status: Status::Warn,
            failed_check: None,
            interrupted: false,
        };
        let mut buf = Vec::new();
        {
            let mut w: &mut dyn Write = &mut buf;
            let mut cw = csv::Writer::from_writer(&mut w as &mut dyn Write);
            out.write_csv(&mut cw).unwrap();
        }
        let csv = String::from_utf8(buf).unwrap();
        let mut l = csv.lines();
        assert_eq!(
            l.next().unwrap(),
            "window,started_at,node,role,keys,hits,misses,hit_rate_pct,lifetime_hit_rate_pct,\
             evicted,expired,eviction_pct,used_memory,maxmemory,memory_pct,ops_per_s,\
             p95_latency_ms,repl_lag_bytes,status,interval_s,uptime_s"
        );
        assert_eq!(
            l.next().unwrap(),
            "1,2026-01-01T00:00:00Z,a:1,primary,10,9,1,90,90,,0,0,1000,0,,1.5,0.2,,WARN,10,100"
        );
        let mut p = Vec::new();
        out.write_prometheus(&mut p).unwrap();
        let p = String::from_utf8(p).unwrap();
        let names: Vec<&str> = p
            .lines()
            .filter_map(|l| l.strip_prefix("# TYPE cachectl_"))
            .map(|l| l.trim_end_matches(" gauge"))
            .collect();
        assert_eq!(
            names,
            [
                "keys",
                "hits",
                "misses",
                "hit_rate_pct",
                "lifetime_hit_rate_pct",
                "evicted",
                "expired",
                "eviction_pct",
                "used_memory_bytes",
                "maxmemory_bytes",
                "memory_pct",
                "ops_per_s",
                "p95_latency_ms",
                "repl_lag_bytes",
                "status",
                "uptime_seconds"
            ]
        );
        assert!(p.contains("cachectl_status{node=\"total\",role=\"primary\"} 2\n"));
        assert!(p.contains("# HELP cachectl_used_memory_bytes used_memory.\n"));
        assert!(!p.contains("cachectl_evicted{"));
    }
}
