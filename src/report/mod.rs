//! `cachectl report`: hit rate, evictions, memory and latency per node (every primary and
//! replica) and per profile namespace, over windows between two INFO samples, judged against
//! the profile's SLO.
//!
//! The report's own traffic never shows in the window: latency is measured with PING (no key
//! lookup), and the namespaces' `metrics_key` hashes are read before the first and after the
//! second INFO sample, because any read of a key counts as a keyspace hit or miss.
//!
//! This module runs the windows and judges the run; `sample` reads the nodes and builds a
//! window, `since` keeps the `--since` sample between runs, `columns` writes a report, `watch`
//! draws the `--watch` frames, `window` is the pure arithmetic (deltas, verdicts, advice).

mod columns;
mod governor;
mod live;
mod pattern_columns;
pub mod patterns;
mod sample;
mod since;
mod watch;
pub mod window;

use anyhow::Result;
use serde::Serialize;

use crate::config::Settings;
use crate::engine::Engine;
use crate::error::usage;
use crate::signals::Stop;
pub use columns::{node_columns, NodeLine};
use sample::{one_window, Scope};
use watch::Frames;
use window::{NodeRow, Status};

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
    /// `--patterns`: one row per key pattern, sorted by misses
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patterns: Option<Vec<patterns::PatternRow>>,
    /// `--patterns`: keys missed at least `--burst-misses` times within one second
    #[serde(skip_serializing_if = "Option::is_none")]
    pub miss_bursts: Option<Vec<patterns::MissBurst>>,
    /// `--patterns`: per node, the INFO deltas, how much MONITOR saw, the events' coverage
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern_nodes: Option<Vec<patterns::NodeCoverage>>,
    /// `--patterns`: what limited this window's figures (a dropped MONITOR, lost events, …)
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pattern_notes: Vec<String>,
}

/// `--patterns`: how the run observed the server, and what it changed there (and restored).
#[derive(Debug, Clone, Serialize, Default)]
pub struct PatternsRun {
    pub sample_reads_pct: f64,
    /// `on` (key-events counted), `off` (--events off), `unavailable` (CONFIG or SUBSCRIBE refused)
    pub events: &'static str,
    pub config_changes: Vec<ConfigChange>,
    pub notes: Vec<String>,
}

/// `notify-keyspace-events` of one node, set for the run and restored at its end.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigChange {
    pub node: String,
    pub original: String,
    pub set: String,
    pub restored: bool,
}

#[derive(Debug, Serialize, Default)]
pub struct ReportOut {
    pub url: String,
    pub cluster: bool,
    pub eviction_policy: Option<String>,
    /// `--patterns`: how the run observed the server (absent without --patterns)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patterns: Option<PatternsRun>,
    pub windows: Vec<Window>,
    /// the worst overall status of all windows
    pub status: Status,
    #[serde(skip)]
    pub failed_check: Option<String>,
    /// stopped by SIGINT/SIGTERM (the windows so far are reported)
    #[serde(skip)]
    pub interrupted: bool,
}

/// A profile namespace whose application counts its hits and misses in the hash `key`
/// (its `metrics_key`).
struct Ns {
    name: String,
    key: String,
}

fn lifetime_note(uptime_s: u64, why: Option<&str>) -> String {
    format!(
        "{}lifetime counters since the last restart or CONFIG RESETSTAT (uptime {}): they include every reader — cachectl analyze probes, scripts, other tools — not only the application",
        why.map(|w| format!("{w}: ")).unwrap_or_default(),
        crate::units::human_secs(uptime_s)
    )
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
    /// `--patterns`: hit rates per key pattern
    pub patterns: bool,
    /// `--sample-reads`: percent of the window MONITOR is on (100: every command)
    pub sample_reads_pct: f64,
    /// `--events`: subscribe to key-events (adding missing `notify-keyspace-events` flags)
    pub events: Events,
    /// `--burst-misses`: misses of one key within a second that make a burst
    pub burst_misses: u64,
    /// a MONITOR slice ends early when the server holds more than this for it (bytes)
    pub monitor_omem_limit: u64,
    /// `--monitor-budget`: the largest ratio of the server's CPU per command with the MONITOR
    /// sample to without it; the sampled share is lowered to stay within it (None: as asked)
    pub monitor_budget: Option<f64>,
}

/// `--events`: whether `report --patterns` subscribes to key-events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Events {
    /// subscribe; add missing notify-keyspace-events flags for the run, then restore them
    On,
    /// never change the server: key-events only if already enabled, else the sample alone
    Off,
}

pub const DEFAULT_SAMPLE_READS_PCT: f64 = 10.0;
pub const DEFAULT_EVENTS: Events = Events::On;
pub const DEFAULT_BURST_MISSES: u64 = 20;
pub const DEFAULT_MONITOR_OMEM_LIMIT: u64 = 32 * 1024 * 1024;
pub const DEFAULT_MONITOR_BUDGET: f64 = 1.1;

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
            patterns: false,
            sample_reads_pct: DEFAULT_SAMPLE_READS_PCT,
            events: DEFAULT_EVENTS,
            burst_misses: DEFAULT_BURST_MISSES,
            monitor_omem_limit: DEFAULT_MONITOR_OMEM_LIMIT,
            monitor_budget: Some(DEFAULT_MONITOR_BUDGET),
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
    check(a)?;
    let scope = Scope::of(engine, s).await;
    let mut out = ReportOut {
        url: engine.url_redacted.clone(),
        cluster: engine.cluster,
        eviction_policy: scope.policy.clone(),
        patterns: None,
        windows: Vec::new(),
        status: Status::Ok,
        failed_check: None,
        interrupted: false,
    };
    let mut live = if a.patterns {
        Some(live::Live::start(engine, a, s).await?)
    } else {
        None
    };
    let r = observe(engine, a, s, &scope, live.as_mut(), &mut out, stop).await;
    // the server is left as found: also after an error or a signal
    if let Some(l) = live {
        out.patterns = Some(l.restore(engine).await);
    }
    r?;
    if out.windows.is_empty() {
        // interrupted before a window ended: no verdict (never "OK" for what was not seen)
        out.status = Status::Unknown;
    }
    out.failed_check = failed_check(&out, a.fail_on);
    Ok(out)
}

async fn observe(
    engine: &mut Engine,
    a: &Options,
    s: &Settings,
    scope: &Scope,
    live: Option<&mut live::Live>,
    out: &mut ReportOut,
    stop: &Stop,
) -> Result<()> {
    let mut frames = a.watch.then(|| Frames::new(s.render));
    if let Some(f) = &mut frames {
        first_frame(engine, a, scope, f, out, stop).await?;
    }
    if !out.interrupted {
        windows(engine, a, scope, frames.as_mut(), live, out, stop).await?;
    }
    Ok(())
}

/// Options that cannot go together.
fn check(a: &Options) -> Result<()> {
    if a.count == Some(0) {
        return Err(usage("--count must be at least 1"));
    }
    if a.watch && a.interval.is_zero() {
        return Err(usage("--watch needs an --interval above 0"));
    }
    if a.patterns && (a.since.is_some() || a.interval.is_zero()) {
        return Err(usage(
            "--patterns observes a window: it needs an --interval above 0 and no --since",
        ));
    }
    if !(0.0..=100.0).contains(&a.sample_reads_pct) {
        return Err(usage("--sample-reads must be between 0% and 100%"));
    }
    if a.since.is_some() && a.count.is_some_and(|c| c > 1) {
        return Err(usage(
            "--since reports one window (since the previous run): drop --count",
        ));
    }
    Ok(())
}

/// `--watch`: the first frame at once, lifetime counters, while the first window runs.
async fn first_frame(
    engine: &mut Engine,
    a: &Options,
    scope: &Scope,
    frames: &mut Frames,
    out: &mut ReportOut,
    stop: &Stop,
) -> Result<()> {
    let now = Options {
        interval: std::time::Duration::ZERO,
        ..a.clone()
    };
    tokio::select! {
        w = one_window(engine, &now, scope, 0) => frames.first(out, &w?)?,
        _ = stop.wait() => out.interrupted = true,
    }
    Ok(())
}

/// The windows: `--count` of them, one, or (`--watch`) until stopped; each appended to the
/// `--append` history, drawn as a frame with `--watch` (which keeps only the last).
async fn windows(
    engine: &mut Engine,
    a: &Options,
    scope: &Scope,
    mut frames: Option<&mut Frames>,
    mut live: Option<&mut live::Live>,
    out: &mut ReportOut,
    stop: &Stop,
) -> Result<()> {
    let limit = a.count.or((!a.watch).then_some(1));
    let mut n = 0u64;
    loop {
        n += 1;
        let w = match live.as_deref_mut() {
            // the patterns window watches the stop token itself, and ends its streams first
            Some(l) => match l.window(engine, a, scope, n, stop).await? {
                Some(w) => w,
                None => {
                    out.interrupted = true;
                    return Ok(());
                }
            },
            None => tokio::select! {
                w = one_window(engine, a, scope, n) => w?,
                _ = stop.wait() => {
                    out.interrupted = true;
                    return Ok(());
                }
            },
        };
        if let Some(p) = &a.append {
            columns::append(p, &w)?;
        }
        out.status = out.status.max(w.status);
        if let Some(f) = frames.as_deref_mut() {
            // each frame is the last window only: the run keeps no more
            f.window(out, &w)?;
            out.windows = vec![w];
        } else {
            out.windows.push(w);
        }
        if limit.is_some_and(|l| n >= l) {
            return Ok(());
        }
    }
}

/// `--fail-on`: why the run fails its check (the first reason of a row at the overall status),
/// or None.
fn failed_check(out: &ReportOut, fail_on: FailOn) -> Option<String> {
    let breach = match fail_on {
        FailOn::Never => false,
        FailOn::Warn => matches!(out.status, Status::Warn | Status::Crit),
        FailOn::Crit => out.status == Status::Crit,
    };
    if !breach {
        return None;
    }
    let why = out
        .windows
        .last()
        .and_then(|w| {
            w.nodes
                .iter()
                .chain(std::iter::once(&w.total))
                .filter(|r| r.status == out.status)
                .flat_map(|r| r.reasons.iter().map(move |x| format!("{}: {x}", r.node)))
                .next()
        })
        .unwrap_or_default();
    Some(format!(
        "status {} at --fail-on {}{}",
        out.status.as_str(),
        format!("{:?}", fail_on).to_lowercase(),
        if why.is_empty() {
            String::new()
        } else {
            format!(" ({why})")
        }
    ))
}
