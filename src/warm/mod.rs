//! `cachectl warm`: rows from a file, stdin, a command or profile jobs -> pipelined SETs,
//! paced by one token bucket shared by all workers, optionally on a cron schedule, with a
//! lock per job so overlapping runs on several hosts skip.
//!
//! The pieces, one concern each:
//! - [`job`]: flags + profile -> jobs (pure)
//! - [`rows`]: templates and the CSV / JSON-lines readers (pure)
//! - [`source`]: the reader thread and the source command (stderr drained, killed on stop)
//! - [`sink`]: writes with retries of dropped connections and transient server states
//! - [`checkpoint`]: resume exactly where an interrupted run stopped (0600, no secrets)
//! - [`lock`]: the job lock, renewed; losing it stops the writes
//! - [`output`]: the report; a run's status, exit code and log line come from one value
//! - [`run`]: one run of a job: batch sizing, the workers, what each batch did, the run's
//!   end, the checkpoint
//!
//! This file holds the options and the schedule loop.

pub mod checkpoint;
pub mod job;
pub mod lock;
pub mod output;
pub mod rows;
pub mod run;
pub mod sink;
pub mod source;

use std::sync::Arc;

use anyhow::{anyhow, Result};
use tracing::{info, warn};

use crate::audit::now_rfc3339;
use crate::config::Settings;
use crate::error::{usage, ExitCode};
use crate::schedule::Schedule;
use crate::signals::{Signal, Stop};

use job::{Job, Source};
pub use output::{RowError, RunEnd, RunRow, Sample, WarmReport};
pub use run::{PROGRESS_FILE, PROGRESS_STREAM};
use sink::Conn;

/// Where the rows come from: `--source`, `--source-cmd`, `--job` or `--all-jobs` (one of them).
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// a file: CSV with a header, or JSON lines
    File(std::path::PathBuf),
    /// `--source -`
    Stdin,
    /// the standard output of a shell command (psql, mysql, a script)
    Command(String),
    /// a warm job of the profile
    Job(String),
    /// every warm job of the profile, one after the other
    AllJobs,
}

pub const DEFAULT_BURST: u64 = 0;
pub const DEFAULT_CONCURRENCY: usize = 4;
pub const DEFAULT_BATCH: usize = 500;

/// What `warm` is asked (the command line, `cli::warm`): sources, templates, pacing, schedule.
/// `Default` is the command line's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Where the rows come from; `None`: not said (a usage error unless a job is named)
    pub source: Option<Input>,
    /// Source format [default: by extension, else sniffed: `{` starts JSON lines]
    pub format: Option<crate::profile::SourceFormat>,
    /// Column names for CSV without a header line (e.g. psql -At output)
    pub columns: Vec<String>,
    /// Key template, e.g. 'plan_catalog:v1:{id}'
    pub key: Option<String>,
    /// Value template [default: the row as JSON]
    pub value: Option<String>,
    /// TTL of written keys [default: the job's or namespace's; none without a profile]
    pub ttl: Option<std::time::Duration>,
    /// Spread TTLs by ± this much so warmed keys do not expire together [default: 10%]
    pub ttl_jitter: Option<f64>,
    /// overwrite: SET; missing: SET NX (never overwrite); refresh: only keys missing or
    /// whose TTL is below --refresh-below
    pub mode: Option<crate::profile::WarmMode>,
    /// With --mode refresh: rewrite keys whose remaining TTL is below this
    pub refresh_below: Option<std::time::Duration>,
    /// Writes per second over all workers (token bucket); protects the origin
    pub rate: Option<f64>,
    /// Writes allowed at once above --rate when the bucket is full
    pub burst: u64,
    /// Concurrent write pipelines
    pub concurrency: usize,
    /// Keys per pipelined write batch (smaller under a low --rate, for smooth pacing)
    pub batch: usize,
    /// Read and render every row, write nothing
    pub dry_run: bool,
    /// Exit 3 when more rows than this fail
    pub max_errors: Option<u64>,
    /// Record progress in FILE; a later run resumes after the last row written
    pub checkpoint: Option<std::path::PathBuf>,
    /// Job name for an ad-hoc run (lock key, summary) [default: the source file's stem]
    pub name: Option<String>,
    /// Stay in the foreground and run on this cron schedule (5 fields, or 6 with seconds;
    /// `job` uses the job's schedule from the profile)
    pub schedule: Option<String>,
    /// With --schedule: stop after N runs
    pub max_runs: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            source: None,
            format: None,
            columns: Vec::new(),
            key: None,
            value: None,
            ttl: None,
            ttl_jitter: None,
            mode: None,
            refresh_below: None,
            rate: None,
            burst: DEFAULT_BURST,
            concurrency: DEFAULT_CONCURRENCY,
            batch: DEFAULT_BATCH,
            dry_run: false,
            max_errors: None,
            checkpoint: None,
            name: None,
            schedule: None,
            max_runs: None,
        }
    }
}

/// A scheduled process keeps the last runs for its final report (memory stays bounded).
const RUNS_KEPT: usize = 100;

/// The schedule a run follows, if any (`--schedule job`: the one job's own line).
fn schedule_of(a: &Options, jobs: &[Job]) -> Result<Option<Schedule>> {
    let schedule = match a.schedule.as_deref() {
        None => None,
        Some("job") => {
            let line = jobs
                .first()
                .and_then(|j| j.schedule.clone())
                .filter(|_| jobs.len() == 1)
                .ok_or_else(|| {
                    usage("--schedule job needs exactly one --job that has a `schedule`")
                })?;
            Some(Schedule::parse(&line).map_err(usage)?)
        }
        Some(line) => Some(Schedule::parse(line).map_err(usage)?),
    };
    if a.max_runs == Some(0) {
        return Err(usage("--max-runs must be at least 1"));
    }
    if a.max_runs.is_some() && schedule.is_none() {
        return Err(usage("--max-runs goes with --schedule"));
    }
    if schedule.is_some() && jobs.iter().any(|j| matches!(j.source, Source::Stdin)) {
        return Err(usage(
            "--schedule cannot re-read stdin; use --source FILE or --source-cmd",
        ));
    }
    Ok(schedule)
}

/// Sleep until the schedule's next run; false when a signal came first.
async fn wait_for_next(sch: &Schedule, stop: &Stop) -> Result<bool> {
    let next = sch
        .next_local()
        .ok_or_else(|| anyhow!("schedule `{}` has no next run", sch.line()))?;
    info!(schedule = sch.line(), next = %next.to_rfc3339(), "waiting for the next run");
    let wait = (next - chrono::Local::now()).to_std().unwrap_or_default();
    tokio::select! {
        _ = tokio::time::sleep(wait) => Ok(true),
        _ = stop.wait() => Ok(false),
    }
}

/// One run of a job, logged in one line. A scheduled run's runtime failure becomes a
/// `failed` row (the schedule goes on); a usage error (template, checkpoint of another
/// job) will not fix itself, and without a schedule there is nothing to keep going for.
async fn run_logged(
    job: &Job,
    a: &Options,
    s: &Settings,
    conn: &Arc<Conn>,
    stop: &Stop,
    scheduled: bool,
) -> Result<RunRow> {
    let r = match run::run_job(job, a, s, conn, stop).await {
        Ok(r) => r,
        Err(e) if !scheduled || crate::error::exit_code_for(&e) == ExitCode::Usage => {
            return Err(e)
        }
        Err(e) => {
            let mut r = RunRow {
                job: job.name.clone(),
                started_at: now_rfc3339(),
                ..RunRow::default()
            };
            r.finish(RunEnd::Failed(crate::error::one_line(&e)));
            r
        }
    };
    let line = format!(
        "warm job={} rows={} written={} skipped={} failed={} duration_ms={} rate_per_s={} status={}",
        r.job, r.rows, r.written, r.skipped, r.failed, r.duration_ms, r.rate_per_s, r.status
    );
    match &r.message {
        None => info!("{line}"),
        Some(m) if scheduled => warn!("{line}: {m} (the schedule goes on)"),
        Some(m) => warn!("{line}: {m}"),
    }
    Ok(r)
}

pub async fn run(a: &Options, s: &Settings, stop: &Stop) -> Result<WarmReport> {
    if a.concurrency == 0 || a.batch == 0 {
        return Err(usage("--concurrency and --batch must be at least 1"));
    }
    let jobs = job::jobs(a, s)?;
    let schedule = schedule_of(a, &jobs)?;
    if !a.dry_run {
        for j in jobs.iter().filter(|j| j.ttl_ms.is_none()) {
            warn!(
                job = %j.name,
                "keys will be written without a TTL (they stay until evicted or deleted); give --ttl DUR, or a ttl in the profile"
            );
        }
    }
    let mut settings = s.conn.clone();
    settings.replicas = false; // writes go to primaries
    let conn = Arc::new(Conn::connect(settings).await?);

    let mut runs: Vec<RunRow> = Vec::new();
    // over every run, also those no longer kept
    let mut worst = crate::error::Outcome::Ok;
    let mut n = 0u64;
    loop {
        if let Some(sch) = &schedule {
            if !wait_for_next(sch, stop).await? {
                break;
            }
        }
        for job in &jobs {
            let r = run_logged(job, a, s, &conn, stop, schedule.is_some()).await?;
            worst = worst.worst(r.end.outcome());
            runs.push(r);
            if runs.len() > RUNS_KEPT {
                runs.remove(0);
            }
            if stop.is_set() {
                break;
            }
        }
        n += 1;
        if schedule.is_none() || stop.is_set() || a.max_runs.is_some_and(|m| n >= m) {
            break;
        }
    }
    let extra = match stop.signal() {
        Some(Signal::Interrupt) => Some(crate::error::Outcome::Interrupted),
        Some(Signal::Terminate) => Some(crate::error::Outcome::Stopped),
        None => None,
    };
    Ok(WarmReport::new(
        runs,
        Some(worst)
            .into_iter()
            .chain(extra)
            .reduce(crate::error::Outcome::worst),
    ))
}
