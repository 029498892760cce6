//! `cachectl report`: hit rate, evictions, memory and latency per node (every primary and
//! replica) and per profile namespace, over windows between two INFO samples, judged against
//! the profile's SLO.
//!
//! The report's own traffic never shows in the window: latency is measured with PING (no key
//! lookup), and the namespaces' `metrics_key` hashes are read before the first and after the
//! second INFO sample, because any read of a key counts as a keyspace hit or miss.

pub mod window;

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::time::Instant;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tracing::warn;

use crate::audit::now_rfc3339;
use crate::cli::{FailOn, ReportArgs};
use crate::config::Settings;
use crate::engine::{Engine, Role};
use crate::error::usage;
use crate::error::Outcome;
use crate::profile::Slo;
use crate::render::{RenderCtx, Report};
use crate::signals::Stop;
use crate::units::{human_bytes, human_count};
use window::{
    judge, lifetime_total, node_row, p95_ms, recommendations, sparkline, total_row, worst, NodeRow,
    Sample, Status,
};

#[derive(Debug, Clone, Serialize)]
pub struct NamespaceRow {
    pub namespace: String,
    pub metrics_key: String,
    pub hits: Option<u64>,
    pub misses: Option<u64>,
    pub hit_rate_pct: Option<f64>,
    pub lifetime_hit_rate_pct: Option<f64>,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Serialize)]
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

const CSV_HEADER: [&str; 21] = [
    "window",
    "started_at",
    "node",
    "role",
    "keys",
    "hits",
    "misses",
    "hit_rate_pct",
    "lifetime_hit_rate_pct",
    "evicted",
    "expired",
    "eviction_pct",
    "used_memory",
    "maxmemory",
    "memory_pct",
    "ops_per_s",
    "p95_latency_ms",
    "repl_lag_bytes",
    "status",
    "interval_s",
    "uptime_s",
];

fn csv_rows(w: &Window) -> Vec<Vec<String>> {
    let o = |v: Option<String>| v.unwrap_or_default();
    w.nodes
        .iter()
        .chain(std::iter::once(&w.total))
        .map(|r| {
            vec![
                w.window.to_string(),
                w.started_at.clone(),
                r.node.clone(),
                r.role.clone(),
                r.keys.to_string(),
                o(r.hits.map(|v| v.to_string())),
                o(r.misses.map(|v| v.to_string())),
                o(r.hit_rate_pct.map(|v| v.to_string())),
                o(r.lifetime_hit_rate_pct.map(|v| v.to_string())),
                o(r.evicted.map(|v| v.to_string())),
                o(r.expired.map(|v| v.to_string())),
                o(r.eviction_pct.map(|v| v.to_string())),
                r.used_memory.to_string(),
                r.maxmemory.to_string(),
                o(r.memory_pct.map(|v| v.to_string())),
                o(r.ops_per_s.map(|v| v.to_string())),
                o(r.p95_latency_ms.map(|v| v.to_string())),
                o(r.repl_lag_bytes.map(|v| v.to_string())),
                r.status.as_str().to_string(),
                o(w.interval_s.map(|v| v.to_string())),
                r.uptime_s.to_string(),
            ]
        })
        .collect()
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
        cw.write_record(CSV_HEADER)?;
    }
    for r in csv_rows(w) {
        cw.write_record(r)?;
    }
    cw.flush()
        .with_context(|| format!("writing --append {}", path.display()))
}

/// What `report` is asked to do: the command line (`From<&ReportArgs>`), `demo`, or
/// `recommend --observe`. `Default` is the command line's defaults.
#[derive(Debug, Clone)]
pub struct Options {
    pub interval: std::time::Duration,
    pub count: u64,
    pub watch: bool,
    pub latency_samples: usize,
    pub fail_on: FailOn,
    pub append: Option<std::path::PathBuf>,
    pub since: Option<std::path::PathBuf>,
}

pub const DEFAULT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);
pub const DEFAULT_LATENCY_SAMPLES: usize = 200;

impl Default for Options {
    fn default() -> Self {
        Options {
            interval: DEFAULT_INTERVAL,
            count: 1,
            watch: false,
            latency_samples: DEFAULT_LATENCY_SAMPLES,
            fail_on: FailOn::Crit,
            append: None,
            since: None,
        }
    }
}

impl From<&ReportArgs> for Options {
    fn from(a: &ReportArgs) -> Self {
        Options {
            interval: a.interval,
            count: a.count,
            watch: a.watch,
            latency_samples: a.latency_samples,
            fail_on: a.fail_on,
            append: a.append.clone(),
            since: a.since.clone(),
        }
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
    if a.count == 0 {
        return Err(usage("--count must be at least 1"));
    }
    if a.watch && a.interval.is_zero() {
        return Err(usage("--watch needs an --interval above 0"));
    }
    if a.since.is_some() && a.count > 1 {
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
    let watching = a.watch && std::io::stdout().is_terminal();
    let mut history: Vec<Option<f64>> = Vec::new();
    let mut n = 0u64;
    loop {
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
        if a.watch {
            // redraw: the last window only, with the hit-rate history as a sparkline
            let ctx = s.render;
            let mut buf = Vec::new();
            let single = ReportOut {
                url: out.url.clone(),
                cluster: out.cluster,
                eviction_policy: out.eviction_policy.clone(),
                windows: vec![w.clone()],
                status: w.status,
                failed_check: None,
                interrupted: false,
            };
            single.write_table(&ctx, &mut buf)?;
            let mut stdout = std::io::stdout().lock();
            if watching {
                write!(stdout, "\x1b[2J\x1b[H")?;
            }
            writeln!(
                stdout,
                "hit rate {}  {}  (Ctrl-C to stop)",
                sparkline(&history[history.len().saturating_sub(60)..]),
                w.total.hit_rate_pct.map_or("-".into(), |h| format!("{h}%"))
            )?;
            stdout.write_all(&buf)?;
            stdout.flush()?;
            out.windows = vec![w];
            continue;
        }
        out.windows.push(w);
        if n >= a.count {
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
            let mut t = ctx.table(&[
                "NODE", "ROLE", "KEYS", "HITS", "MISSES", "HIT%", "LIFE%", "EVICTED", "EXPIRED",
                "EVICT%", "MEMORY", "MAXMEM", "MEM%", "OPS/S", "P95 MS", "LAG", "STATUS",
            ]);
            // on a narrow terminal: who, how healthy (hit rate, memory, evictions, latency)
            t.priorities(&[0, 6, 5, 7, 7, 1, 8, 9, 10, 4, 3, 9, 3, 6, 5, 10, 0]);
            for r in win.nodes.iter().chain(std::iter::once(&win.total)) {
                let c = |v: Option<u64>| v.map_or("-".into(), human_count);
                t.add_row(vec![
                    crate::render::Cell::new(&r.node),
                    crate::render::Cell::new(&r.role),
                    crate::render::Cell::new(human_count(r.keys)),
                    crate::render::Cell::new(c(r.hits)),
                    crate::render::Cell::new(c(r.misses)),
                    crate::render::Cell::new(opt_pct(r.hit_rate_pct)),
                    crate::render::Cell::new(opt_pct(r.lifetime_hit_rate_pct)),
                    crate::render::Cell::new(c(r.evicted)),
                    crate::render::Cell::new(c(r.expired)),
                    crate::render::Cell::new(opt_pct(r.eviction_pct)),
                    crate::render::Cell::new(human_bytes(r.used_memory)),
                    crate::render::Cell::new(if r.maxmemory == 0 {
                        "-".into()
                    } else {
                        human_bytes(r.maxmemory)
                    }),
                    crate::render::Cell::new(opt_pct(r.memory_pct)),
                    crate::render::Cell::new(r.ops_per_s.map_or("-".into(), |v| format!("{v:.0}"))),
                    crate::render::Cell::new(
                        r.p95_latency_ms.map_or("-".into(), |v| format!("{v:.2}")),
                    ),
                    crate::render::Cell::new(
                        r.repl_lag_bytes.map_or("-".into(), |v| v.to_string()),
                    ),
                    ctx.colored_cell(r.status.as_str(), r.status.as_str()),
                ]);
            }
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
        w.write_record(CSV_HEADER)?;
        for win in &self.windows {
            for r in csv_rows(win) {
                w.write_record(r)?;
            }
        }
        Ok(())
    }

    /// Gauges of the last window, one series per node (and `node="total"`).
    fn write_prometheus(&self, w: &mut dyn Write) -> Result<()> {
        let Some(win) = self.windows.last() else {
            return Ok(());
        };
        let rows: Vec<&NodeRow> = win
            .nodes
            .iter()
            .chain(std::iter::once(&win.total))
            .collect();
        type Get = fn(&NodeRow) -> Option<f64>;
        let metrics: [(&str, &str, Get); 16] = [
            ("keys", "Keys on the node (total: primaries)", |r| {
                Some(r.keys as f64)
            }),
            ("hits", "Keyspace hits in the window", |r| {
                r.hits.map(|v| v as f64)
            }),
            ("misses", "Keyspace misses in the window", |r| {
                r.misses.map(|v| v as f64)
            }),
            (
                "hit_rate_pct",
                "Keyspace hit rate in the window, percent",
                |r| r.hit_rate_pct,
            ),
            (
                "lifetime_hit_rate_pct",
                "Keyspace hit rate since start, percent",
                |r| r.lifetime_hit_rate_pct,
            ),
            ("evicted", "Keys evicted in the window", |r| {
                r.evicted.map(|v| v as f64)
            }),
            ("expired", "Keys expired in the window", |r| {
                r.expired.map(|v| v as f64)
            }),
            (
                "eviction_pct",
                "Evicted keys in the window, percent of keys at its start",
                |r| r.eviction_pct,
            ),
            ("used_memory_bytes", "used_memory", |r| {
                Some(r.used_memory as f64)
            }),
            ("maxmemory_bytes", "maxmemory (0: no limit)", |r| {
                Some(r.maxmemory as f64)
            }),
            ("memory_pct", "used_memory, percent of maxmemory", |r| {
                r.memory_pct
            }),
            (
                "ops_per_s",
                "Commands per second in the window, without the report's own",
                |r| r.ops_per_s,
            ),
            (
                "p95_latency_ms",
                "p95 of client-side PING round trips, ms",
                |r| r.p95_latency_ms,
            ),
            (
                "repl_lag_bytes",
                "Replication lag behind the primary, bytes",
                |r| r.repl_lag_bytes.map(|v| v as f64),
            ),
            (
                "status",
                "SLO status: 0 OK, 1 UNKNOWN, 2 WARN, 3 CRIT",
                |r| Some(r.status as u8 as f64),
            ),
            ("uptime_seconds", "Seconds since the node started", |r| {
                Some(r.uptime_s as f64)
            }),
        ];
        for (name, help, get) in metrics {
            writeln!(w, "# HELP cachectl_{name} {help}.")?;
            writeln!(w, "# TYPE cachectl_{name} gauge")?;
            for r in &rows {
                if let Some(v) = get(r) {
                    writeln!(
                        w,
                        "cachectl_{name}{{node=\"{}\",role=\"{}\"}} {v}",
                        r.node, r.role
                    )?;
                }
            }
        }
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
