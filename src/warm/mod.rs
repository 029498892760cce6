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
//!
//! This file runs them: one run of a job, and the schedule loop.

pub mod checkpoint;
pub mod job;
pub mod lock;
pub mod output;
pub mod rows;
pub mod sink;
pub mod source;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use indicatif::ProgressBar;
use tokio::sync::mpsc;
use tracing::{info, warn};

use crate::audit::now_rfc3339;
use crate::config::Settings;
use crate::engine::write::SetOutcome;
use crate::error::{usage, ExitCode};
use crate::ratelimit::Pacer;
use crate::schedule::Schedule;
use crate::signals::{Signal, Stop};
use crate::units::human_count;

use checkpoint::Checkpoint;
use job::{Job, Source};
use lock::JobLock;
pub use output::{RowError, RunEnd, RunRow, Sample, WarmReport};
use sink::{Conn, Written, OUTAGE_BUDGET};
use source::Feed;

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

const MAX_ERRORS_LISTED: usize = 100;
/// A scheduled process keeps the last runs for its final report (memory stays bounded).
const RUNS_KEPT: usize = 100;

#[derive(Default)]
struct Counters {
    rows: u64,
    written: u64,
    skipped: u64,
    failed: u64,
    lost: u64,
    no_ttl: u64,
    errors: Vec<RowError>,
    samples: Vec<Sample>,
    fatal: Option<String>,
    usage: Option<String>,
}

impl Counters {
    fn error(&mut self, line: u64, rows: u64, message: String) {
        if self.errors.len() < MAX_ERRORS_LISTED {
            self.errors.push(RowError {
                line,
                rows,
                message,
            });
        }
    }
}

/// A bar by bytes of the file (with ETA) for file sources; a spinner with a row count for
/// streams. Drawn only on a terminal.
pub const PROGRESS_FILE: &str =
    "{bar:30} {percent:>3}% warming {msg}  {binary_bytes_per_sec}  ETA {eta}";
pub const PROGRESS_STREAM: &str = "{spinner} warming {msg}  {elapsed}";

fn progress(enabled: bool, file_size: Option<u64>) -> ProgressBar {
    match file_size {
        Some(len) if len > 0 => crate::render::progress::new(enabled, Some(len), PROGRESS_FILE),
        _ => crate::render::progress::new(enabled, None, PROGRESS_STREAM),
    }
}

/// One run of one job.
async fn run_job(
    job: &Job,
    a: &Options,
    s: &Settings,
    conn: &Arc<Conn>,
    stop: &Stop,
) -> Result<RunRow> {
    let started = Instant::now();
    let mut row = RunRow {
        job: job.name.clone(),
        started_at: now_rfc3339(),
        ..RunRow::default()
    };
    // the lock: overlapping runs of the same job on other hosts skip
    let lock = if a.dry_run {
        None
    } else {
        match JobLock::acquire(conn, &job.name).await? {
            Ok(l) => Some(l),
            Err(holder) => {
                row.finish(RunEnd::Locked(holder));
                row.duration_ms = started.elapsed().as_millis() as u64;
                return Ok(row);
            }
        }
    };
    let result = feed_and_write(job, a, s, conn, stop, lock.as_ref(), &mut row).await;
    if let Some(l) = lock {
        l.release(conn).await;
    }
    let end = result?;
    row.duration_ms = started.elapsed().as_millis() as u64;
    let secs = started.elapsed().as_secs_f64();
    row.rate_per_s = if secs > 0.0 {
        ((row.written + row.skipped) as f64 / secs * 10.0).round() / 10.0
    } else {
        0.0
    };
    let end = match (end, a.max_errors) {
        (RunEnd::Ok | RunEnd::DryRun, Some(max)) if row.failed > max => RunEnd::TooManyErrors {
            failed: row.failed,
            max,
        },
        (end, _) => end,
    };
    row.finish(end);
    Ok(row)
}

/// Read the source, write the rows; how the run ended (errors: usage, or nothing done).
async fn feed_and_write(
    job: &Job,
    a: &Options,
    s: &Settings,
    conn: &Arc<Conn>,
    stop: &Stop,
    lock: Option<&JobLock>,
    row: &mut RunRow,
) -> Result<RunEnd> {
    let mut cp = Checkpoint::load(a.checkpoint.as_deref(), &job.name, &job.source.id())?;
    row.resumed_from = cp.watermark();
    if cp.watermark() > 0 {
        info!(job = %job.name, rows = cp.watermark(), "resuming after the checkpoint");
    }
    // under a rate, small batches keep the flow smooth (about 20 per second)
    let batch = match job.rate {
        Some(r) => a.batch.min(((r / 20.0).ceil() as usize).max(1)),
        None => a.batch,
    };
    let pacer = job.rate.map(|r| Arc::new(Pacer::with_burst(r, a.burst)));
    let (tx, rx) = mpsc::channel::<Feed>(a.concurrency * 2);
    let source = source::spawn(job, batch, cp.watermark(), tx)?;
    // one flag the workers check before every write: a signal, Redis gone, the lock lost
    let halt = Arc::new(AtomicBool::new(false));
    let lock_lost = lock.map(JobLock::lost_flag);
    let halted = |conn: &Conn| {
        stop.is_set()
            || conn.gave_up()
            || lock_lost.as_ref().is_some_and(|l| l.load(Ordering::SeqCst))
    };
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    let counters = Arc::new(Mutex::new(Counters::default()));
    let cp_done: Arc<Mutex<Vec<(u64, u64)>>> = Arc::new(Mutex::new(Vec::new()));
    let file_size = match &job.source {
        Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        _ => None,
    };
    let bar = progress(s.progress, file_size);
    bar.set_message(job.name.clone());
    let by_bytes = file_size.is_some_and(|l| l > 0);
    let dry = a.dry_run;
    let mode = job.mode;

    let workers = (0..a.concurrency).map(|_| {
        let name = job.name.clone();
        let (rx, counters, cp_done, conn, pacer, halt, bar) = (
            rx.clone(),
            counters.clone(),
            cp_done.clone(),
            conn.clone(),
            pacer.clone(),
            halt.clone(),
            bar.clone(),
        );
        async move {
            loop {
                let feed = { rx.lock().await.recv().await };
                if halt.load(Ordering::SeqCst) {
                    return; // rows read but not written are not counted: a resume redoes them
                }
                let b = match feed {
                    None => return,
                    Some(Feed::Fatal(e)) => {
                        counters.lock().expect("counters").fatal = Some(e);
                        halt.store(true, Ordering::SeqCst);
                        return;
                    }
                    Some(Feed::Usage(e)) => {
                        counters.lock().expect("counters").usage = Some(e);
                        halt.store(true, Ordering::SeqCst);
                        return;
                    }
                    Some(Feed::Batch(b)) => b,
                };
                let n = (b.items.len() + b.bad.len()) as u64;
                {
                    let mut c = counters.lock().expect("counters");
                    c.rows += n;
                    c.failed += b.bad.len() as u64;
                    for bad in &b.bad {
                        c.error(bad.line, 1, bad.message.clone());
                    }
                }
                let mut lost = false;
                if dry {
                    let mut c = counters.lock().expect("counters");
                    c.skipped += b.items.len() as u64;
                    for it in b.items.iter().take(5usize.saturating_sub(c.samples.len())) {
                        c.samples.push(Sample {
                            key: crate::keys::key_text(&it.key),
                            value: String::from_utf8_lossy(&it.value)
                                .chars()
                                .take(120)
                                .collect(),
                            ttl_ms: it.ttl_ms,
                        });
                    }
                } else if !b.items.is_empty() {
                    if let Some(p) = &pacer {
                        p.acquire(b.items.len()).await;
                    }
                    let written = sink::write_batch(&conn, &b.items, mode, &halt).await;
                    let mut c = counters.lock().expect("counters");
                    let (outcomes, error) = match written {
                        Written::Done(o) => (o.into_iter().map(Some).collect(), None),
                        Written::Lost { outcomes, error } => (outcomes, Some(error)),
                    };
                    let mut not_done = 0u64;
                    let mut first_line = None;
                    for ((line, o), it) in b.lines.iter().zip(outcomes).zip(&b.items) {
                        match o {
                            Some(SetOutcome::Written) => {
                                c.written += 1;
                                if it.ttl_ms.is_none() {
                                    c.no_ttl += 1;
                                }
                            }
                            Some(SetOutcome::Skipped) => c.skipped += 1,
                            Some(SetOutcome::Failed(m)) => {
                                c.failed += 1;
                                c.error(*line, 1, m);
                            }
                            None => {
                                not_done += 1;
                                first_line.get_or_insert(*line);
                            }
                        }
                    }
                    if let Some(e) = error {
                        lost = true;
                        c.failed += not_done;
                        c.lost += not_done;
                        c.error(
                            first_line.unwrap_or(b.lines[0]),
                            not_done,
                            format!("not confirmed written: {e}"),
                        );
                    }
                }
                if by_bytes {
                    if b.bytes > bar.position() {
                        bar.set_position(b.bytes);
                    }
                } else {
                    let rows = counters.lock().expect("counters").rows;
                    bar.set_message(format!("{name}: {} rows", human_count(rows)));
                }
                // a lost batch never advances the checkpoint: a resumed run retries it
                if !lost {
                    cp_done.lock().expect("checkpoint").push((b.first, b.end));
                }
            }
        }
    });
    let workers = futures::future::join_all(workers);
    // fold completions into the checkpoint and watch for reasons to stop while the
    // workers run
    let mut workers = std::pin::pin!(workers);
    loop {
        tokio::select! {
            _ = &mut workers => break,
            _ = stop.wait(), if !halt.load(Ordering::SeqCst) => {
                halt.store(true, Ordering::SeqCst);
                source.halt();
            }
            _ = tokio::time::sleep(Duration::from_millis(50)) => {
                if !halt.load(Ordering::SeqCst) && halted(conn) {
                    halt.store(true, Ordering::SeqCst);
                    source.halt();
                }
                for (f, e) in std::mem::take(&mut *cp_done.lock().expect("checkpoint")) {
                    cp.complete(f, e);
                }
            }
        }
    }
    for (f, e) in std::mem::take(&mut *cp_done.lock().expect("checkpoint")) {
        cp.complete(f, e);
    }
    bar.finish_and_clear();
    let halted_now = halt.load(Ordering::SeqCst);
    let c = std::mem::take(&mut *counters.lock().expect("counters"));
    if halted_now {
        // the reader may be blocked on a full channel or on stdin: let it go
        source.halt();
        drop(rx);
    } else {
        source.join();
    }
    if let Some(p) = &pacer {
        if !halted_now {
            p.drain().await; // the achieved rate never exceeds --rate
        }
    }
    if let Some(u) = c.usage {
        return Err(usage(u));
    }
    row.rows = c.rows;
    row.written = c.written;
    row.skipped = c.skipped;
    row.failed = c.failed;
    row.lost = c.lost;
    row.no_ttl = c.no_ttl;
    row.errors = c.errors;
    row.samples = c.samples;
    let end = if let Some(sig) = stop.signal() {
        match sig {
            Signal::Terminate => RunEnd::Stopped,
            Signal::Interrupt => RunEnd::Interrupted,
        }
    } else if lock_lost.as_ref().is_some_and(|l| l.load(Ordering::SeqCst)) {
        RunEnd::LockLost
    } else if conn.gave_up() {
        RunEnd::RedisUnavailable(format!(
            "Redis unavailable for over {}s: {} {} not confirmed written, rows after the last one read were not attempted{}",
            OUTAGE_BUDGET.as_secs(),
            c.lost,
            if c.lost == 1 { "row" } else { "rows" },
            if a.checkpoint.is_some() { " (run again with the same --checkpoint to resume)" } else { "" }
        ))
    } else if let Some(e) = c.fatal {
        RunEnd::SourceFailed(e)
    } else if dry {
        RunEnd::DryRun
    } else {
        RunEnd::Ok
    };
    if a.checkpoint.is_some() && !dry {
        // removed only after a complete run: every row read, none lost
        if end == RunEnd::Ok && c.lost == 0 {
            cp.remove();
        } else {
            cp.save()?;
        }
    }
    Ok(end)
}

pub async fn run(a: &Options, s: &Settings, stop: &Stop) -> Result<WarmReport> {
    if a.concurrency == 0 || a.batch == 0 {
        return Err(usage("--concurrency and --batch must be at least 1"));
    }
    let jobs = job::jobs(a, s)?;
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
    let mut worst = crate::error::Outcome::Ok;
    let mut n = 0u64;
    loop {
        if let Some(sch) = &schedule {
            let next = sch
                .next_local()
                .ok_or_else(|| anyhow!("schedule `{}` has no next run", sch.line()))?;
            info!(schedule = sch.line(), next = %next.to_rfc3339(), "waiting for the next run");
            let wait = (next - chrono::Local::now()).to_std().unwrap_or_default();
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.wait() => break,
            }
        }
        for job in &jobs {
            let r = match run_job(job, a, s, &conn, stop).await {
                Ok(r) => r,
                // a usage error (template, checkpoint of another job) will not fix itself;
                // without a schedule there is nothing to keep going for
                Err(e)
                    if schedule.is_none() || crate::error::exit_code_for(&e) == ExitCode::Usage =>
                {
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
                Some(m) if schedule.is_some() => warn!("{line}: {m} (the schedule goes on)"),
                Some(m) => warn!("{line}: {m}"),
            }
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
