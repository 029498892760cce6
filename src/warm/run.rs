//! One run of one job, in named steps: [`run_job`] takes the job's lock and times the run;
//! [`feed_and_write`] sizes the batches ([`batch_size`]), starts the reader, lets
//! `--concurrency` [`worker`]s pace and write the batches (each result recorded in
//! [`Counters`]) while [`watch`] folds finished batches into the checkpoint and stops the
//! run when it must; then [`run_end`] says how the run ended, [`keep_checkpoint`] keeps or
//! removes the checkpoint, and [`with_failed_rows`] applies `--max-errors`.
//!
//! A run stops sending at once on a signal, a lost lock, Redis gone for longer than the
//! outage budget, a failed source, or a write the server refuses for a reason that holds
//! for every key (`OOM`, `READONLY`, `NOPERM`, `MISCONF`): batches not yet sent are neither
//! counted nor checkpointed, so a resumed run writes them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::ProgressBar;
use tokio::sync::{mpsc, Notify};
use tracing::info;

use super::checkpoint::Checkpoint;
use super::job::{Job, Source};
use super::lock::JobLock;
use super::output::{Refusal, RowError, RunEnd, RunRow, Sample};
use super::sink::{self, Conn, Written, OUTAGE_BUDGET};
use super::source::{self, Batch, Feed, SourceHandle};
use super::Options;
use crate::audit::now_rfc3339;
use crate::config::Settings;
use crate::engine::write::{SetMode, SetOutcome};
use crate::error::usage;
use crate::ratelimit::Pacer;
use crate::signals::{Signal, Stop};
use crate::units::human_count;

const MAX_ERRORS_LISTED: usize = 100;
/// Keys a dry run shows.
const SAMPLES: usize = 5;

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

/// Keys per batch: under a rate, small batches keep the flow smooth (about 20 per second).
pub fn batch_size(rate: Option<f64>, batch: usize) -> usize {
    match rate {
        Some(r) => batch.min(((r / 20.0).ceil() as usize).max(1)),
        None => batch,
    }
}

/// What the workers count, batch by batch.
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
    /// the first server-wide refusal (`CODE detail`)
    refused: Option<String>,
    /// rows sent and refused for a server-wide reason (included in `failed`)
    refused_rows: u64,
    /// finished batches `[first, end)` not yet folded into the checkpoint
    done: Vec<(u64, u64)>,
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

    /// A batch taken for writing: its rows, and those that could not be read or rendered.
    fn take(&mut self, b: &Batch) {
        self.rows += (b.rows.len() + b.bad.len()) as u64;
        self.failed += b.bad.len() as u64;
        for bad in &b.bad {
            self.error(bad.line, 1, bad.message.clone());
        }
    }

    /// A dry run writes nothing: the rows count as skipped, the first keys are shown.
    fn dry_run(&mut self, b: &Batch) {
        self.skipped += b.rows.len() as u64;
        let room = SAMPLES.saturating_sub(self.samples.len());
        for i in 0..b.rows.len().min(room) {
            self.samples.push(Sample {
                key: crate::keys::key_text(b.rows.key(i)),
                value: String::from_utf8_lossy(b.rows.value(i))
                    .chars()
                    .take(120)
                    .collect(),
                ttl_ms: b.rows.ttl_ms(i),
            });
        }
    }

    /// What became of a batch's writes. True when every row has its final outcome, so the
    /// checkpoint may pass the batch (a lost or refused batch is written again on resume).
    fn record(&mut self, b: &Batch, written: Written) -> bool {
        let (outcomes, lost, refused) = match written {
            Written::Done(o) => (o.into_iter().map(Some).collect(), None, None),
            Written::Lost { outcomes, error } => (outcomes, Some(error), None),
            Written::Refused { outcomes, error } => (outcomes, None, Some(error)),
        };
        let mut not_done = 0u64;
        let mut first_line = None;
        for (i, (line, o)) in b.lines.iter().zip(outcomes).enumerate() {
            match o {
                Some(SetOutcome::Written) => {
                    self.written += 1;
                    if b.rows.ttl_ms(i).is_none() {
                        self.no_ttl += 1;
                    }
                }
                Some(SetOutcome::Skipped) => self.skipped += 1,
                Some(SetOutcome::Failed(m)) if !sink::is_refusal(&m) => {
                    self.failed += 1;
                    self.error(*line, 1, m);
                }
                // refused with the batch, or not known to be written
                Some(SetOutcome::Failed(_)) | None => {
                    not_done += 1;
                    first_line.get_or_insert(*line);
                }
            }
        }
        let first_line = first_line.unwrap_or(b.lines[0]);
        if let Some(e) = lost {
            self.failed += not_done;
            self.lost += not_done;
            self.error(first_line, not_done, format!("not confirmed written: {e}"));
            return false;
        }
        if let Some(e) = refused {
            self.failed += not_done;
            self.refused_rows += not_done;
            self.error(first_line, not_done, e.trim_end().to_string());
            self.refused.get_or_insert(e);
            return false;
        }
        true
    }

    fn fill(&mut self, row: &mut RunRow) {
        row.rows = self.rows;
        row.written = self.written;
        row.skipped = self.skipped;
        row.failed = self.failed;
        row.lost = self.lost;
        row.no_ttl = self.no_ttl;
        row.errors = std::mem::take(&mut self.errors);
        row.samples = std::mem::take(&mut self.samples);
    }
}

/// The run's stop flag, which the workers can also wait on.
#[derive(Default)]
struct Halt {
    flag: AtomicBool,
    notify: Notify,
}

impl Halt {
    fn set(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    fn is_set(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    async fn wait(&self) {
        loop {
            let notified = self.notify.notified();
            if self.is_set() {
                return;
            }
            notified.await;
        }
    }
}

/// What the workers of one run share.
struct Shared<'a> {
    rx: tokio::sync::Mutex<mpsc::Receiver<Feed>>,
    counters: Mutex<Counters>,
    conn: &'a Conn,
    pacer: Option<Pacer>,
    halt: Halt,
    bar: ProgressBar,
    name: &'a str,
    mode: SetMode,
    dry: bool,
    by_bytes: bool,
}

impl Shared<'_> {
    fn counters(&self) -> MutexGuard<'_, Counters> {
        self.counters.lock().expect("counters")
    }

    /// Stop the run for a reason a worker found (recorded in the counters first).
    fn stop_with(&self, note: impl FnOnce(&mut Counters)) {
        note(&mut self.counters());
        self.halt.set();
    }

    fn show_progress(&self, b: &Batch) {
        if self.by_bytes {
            if b.bytes > self.bar.position() {
                self.bar.set_position(b.bytes);
            }
        } else {
            let rows = self.counters().rows;
            self.bar
                .set_message(format!("{}: {} rows", self.name, human_count(rows)));
        }
    }

    /// The next batch, or `None` when the source is done or the run halted.
    async fn next_batch(&self) -> Option<Batch> {
        let feed = tokio::select! {
            f = async { self.rx.lock().await.recv().await } => f,
            _ = self.halt.wait() => return None,
        };
        if self.halt.is_set() {
            return None; // rows read but not written are not counted: a resume redoes them
        }
        match feed? {
            Feed::Batch(b) => Some(b),
            Feed::Fatal(e) => {
                self.stop_with(|c| c.fatal = Some(e));
                None
            }
            Feed::Usage(e) => {
                self.stop_with(|c| c.usage = Some(format!("{e}; nothing was written")));
                None
            }
        }
    }

    /// Wait for the pacer; false when the run halted meanwhile (the batch is not sent).
    async fn pace(&self, n: usize) -> bool {
        if let Some(p) = &self.pacer {
            tokio::select! {
                _ = p.acquire(n) => {}
                _ = self.halt.wait() => return false,
            }
        }
        !self.halt.is_set()
    }

    /// Write one batch and record what became of it; true when the batch is complete.
    async fn write(&self, b: &Batch) -> bool {
        if self.dry {
            self.counters().take(b);
            self.counters().dry_run(b);
            return true;
        }
        self.counters().take(b);
        if b.rows.is_empty() {
            return true;
        }
        let written = sink::write_batch(self.conn, &b.rows, self.mode, &self.halt.flag).await;
        let mut c = self.counters();
        let complete = c.record(b, written);
        if c.refused.is_some() {
            drop(c);
            self.halt.set(); // the server refuses every write: send nothing more
        }
        complete
    }
}

/// One worker: take a batch, pace it, write it, record the result, until the source ends
/// or the run halts.
async fn worker(sh: &Shared<'_>) {
    while let Some(b) = sh.next_batch().await {
        if !sh.dry && !b.rows.is_empty() && !sh.pace(b.rows.len()).await {
            return;
        }
        let complete = sh.write(&b).await;
        sh.show_progress(&b);
        // a lost or refused batch never advances the checkpoint: a resumed run retries it
        if complete {
            sh.counters().done.push((b.first, b.end));
        }
    }
}

fn fold_checkpoint(sh: &Shared<'_>, cp: &mut Checkpoint) {
    for (first, end) in std::mem::take(&mut sh.counters().done) {
        cp.complete(first, end);
    }
}

/// While the workers run: fold finished batches into the checkpoint, and halt the run (the
/// workers, the reader) on a signal, Redis gone, the lock lost, or a worker's reason.
async fn watch(
    sh: &Shared<'_>,
    workers: impl std::future::Future<Output = Vec<()>>,
    stop: &Stop,
    lock_lost: Option<&AtomicBool>,
    source: &SourceHandle,
    cp: &mut Checkpoint,
) {
    let mut workers = std::pin::pin!(workers);
    loop {
        tokio::select! {
            _ = &mut workers => break,
            _ = stop.wait(), if !sh.halt.is_set() => sh.halt.set(),
            _ = tokio::time::sleep(Duration::from_millis(50)) => {
                let lost = lock_lost.is_some_and(|l| l.load(Ordering::SeqCst));
                if stop.is_set() || sh.conn.gave_up() || lost {
                    sh.halt.set();
                }
                fold_checkpoint(sh, cp);
            }
        }
        if sh.halt.is_set() {
            source.halt(); // the reader stops, a source command is killed
        }
    }
    fold_checkpoint(sh, cp);
}

/// Read the source, write the rows; how the run ended (errors: usage, or nothing done).
async fn feed_and_write(
    job: &Job,
    a: &Options,
    s: &Settings,
    conn: &Conn,
    stop: &Stop,
    lock: Option<&JobLock>,
    row: &mut RunRow,
) -> Result<RunEnd> {
    let mut cp = Checkpoint::load(a.checkpoint.as_deref(), &job.name, &job.source.id())?;
    row.resumed_from = cp.watermark();
    if cp.watermark() > 0 {
        info!(job = %job.name, rows = cp.watermark(), "resuming after the checkpoint");
    }
    let batch = batch_size(job.rate, a.batch);
    let (tx, rx) = mpsc::channel::<Feed>(a.concurrency * 2);
    let source = source::spawn(job, batch, cp.watermark(), tx)?;
    let file_size = match &job.source {
        Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        _ => None,
    };
    let bar = progress(s.progress, file_size);
    bar.set_message(job.name.clone());
    let sh = Shared {
        rx: tokio::sync::Mutex::new(rx),
        counters: Mutex::new(Counters::default()),
        conn,
        pacer: job.rate.map(|r| Pacer::with_burst(r, a.burst)),
        halt: Halt::default(),
        bar,
        name: &job.name,
        mode: job.mode,
        dry: a.dry_run,
        by_bytes: file_size.is_some_and(|l| l > 0),
    };
    let lock_lost = lock.map(JobLock::lost_flag);
    let workers = futures::future::join_all((0..a.concurrency).map(|_| worker(&sh)));
    watch(&sh, workers, stop, lock_lost.as_deref(), &source, &mut cp).await;

    let Shared {
        rx,
        counters,
        pacer,
        halt,
        bar,
        ..
    } = sh;
    bar.finish_and_clear();
    drop(rx); // a reader blocked on a full channel lets go
    if halt.is_set() {
        source.halt();
    } else {
        if let Some(p) = &pacer {
            p.drain().await; // the achieved rate never exceeds --rate
        }
        source.join();
    }
    let mut c = counters.into_inner().expect("counters");
    if let Some(u) = c.usage.take() {
        return Err(usage(u));
    }
    c.fill(row);
    let lock_lost = lock_lost.is_some_and(|l| l.load(Ordering::SeqCst));
    let end = run_end(&c, stop.signal(), lock_lost, conn.gave_up(), a);
    keep_checkpoint(&mut cp, a, &end, c.lost)?;
    Ok(end)
}

/// How a run ended, from what stopped it (in order of precedence) and what it counted.
fn run_end(
    c: &Counters,
    signal: Option<Signal>,
    lock_lost: bool,
    gave_up: bool,
    a: &Options,
) -> RunEnd {
    let resume = if a.checkpoint.is_some() {
        " (run again with the same --checkpoint to resume)"
    } else {
        ""
    };
    if let Some(sig) = signal {
        match sig {
            Signal::Terminate => RunEnd::Stopped,
            Signal::Interrupt => RunEnd::Interrupted,
        }
    } else if lock_lost {
        RunEnd::LockLost
    } else if let Some(reason) = &c.refused {
        RunEnd::ServerRefused(Refusal {
            reason: reason.clone(),
            written: c.written,
            refused: c.refused_rows,
            checkpoint: a.checkpoint.is_some(),
        })
    } else if gave_up {
        RunEnd::RedisUnavailable(format!(
            "Redis unavailable for over {}s: {} not confirmed written, rows after the last one read were not attempted{resume}",
            OUTAGE_BUDGET.as_secs(),
            crate::units::plural(c.lost, "row", "rows"),
        ))
    } else if let Some(e) = &c.fatal {
        RunEnd::SourceFailed(e.clone())
    } else if a.dry_run {
        RunEnd::DryRun
    } else {
        RunEnd::Ok
    }
}

/// A checkpoint is removed only after a complete run (every row read, none lost); any
/// other end keeps it for the next run to resume.
fn keep_checkpoint(cp: &mut Checkpoint, a: &Options, end: &RunEnd, lost: u64) -> Result<()> {
    if a.checkpoint.is_none() || a.dry_run {
        return Ok(());
    }
    if *end == RunEnd::Ok && lost == 0 {
        cp.remove();
        Ok(())
    } else {
        cp.save()
    }
}

/// Per-row failures: more than `--max-errors` fails the run's check (exit 3); fewer leave
/// it `partial` (exit 0), never `ok`.
pub fn with_failed_rows(end: RunEnd, failed: u64, max: Option<u64>) -> RunEnd {
    match (end, max) {
        (RunEnd::Ok | RunEnd::DryRun, Some(max)) if failed > max => {
            RunEnd::TooManyErrors { failed, max }
        }
        (RunEnd::Ok, max) if failed > 0 => RunEnd::Partial { failed, max },
        (end, _) => end,
    }
}

/// One run of one job: the lock (overlapping runs of the same job on other hosts skip),
/// the rows, the timing.
pub async fn run_job(
    job: &Job,
    a: &Options,
    s: &Settings,
    conn: &Arc<Conn>,
    stop: &Stop,
) -> Result<RunRow> {
    let started = Instant::now();
    let (retries, failovers) = (conn.retries(), crate::engine::sentinel::failovers());
    let mut row = RunRow {
        job: job.name.clone(),
        started_at: now_rfc3339(),
        ..RunRow::default()
    };
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
    row.retries = conn.retries() - retries;
    row.failovers = crate::engine::sentinel::failovers() - failovers;
    row.duration_ms = started.elapsed().as_millis() as u64;
    let secs = started.elapsed().as_secs_f64();
    row.rate_per_s = if secs > 0.0 {
        ((row.written + row.skipped) as f64 / secs * 10.0).round() / 10.0
    } else {
        0.0
    };
    row.finish(with_failed_rows(end, row.failed, a.max_errors));
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_shrink_under_a_rate() {
        assert_eq!(batch_size(None, 500), 500);
        assert_eq!(batch_size(Some(4000.0), 500), 200);
        assert_eq!(batch_size(Some(1e6), 500), 500);
        assert_eq!(batch_size(Some(5.0), 500), 1);
    }

    #[test]
    fn failed_rows_never_leave_a_run_ok() {
        assert_eq!(with_failed_rows(RunEnd::Ok, 0, None), RunEnd::Ok);
        assert_eq!(
            with_failed_rows(RunEnd::Ok, 3, None),
            RunEnd::Partial {
                failed: 3,
                max: None
            }
        );
        assert_eq!(
            with_failed_rows(RunEnd::Ok, 3, Some(3)),
            RunEnd::Partial {
                failed: 3,
                max: Some(3)
            }
        );
        assert_eq!(
            with_failed_rows(RunEnd::Ok, 4, Some(3)),
            RunEnd::TooManyErrors { failed: 4, max: 3 }
        );
        assert_eq!(
            with_failed_rows(RunEnd::DryRun, 4, Some(3)),
            RunEnd::TooManyErrors { failed: 4, max: 3 }
        );
        assert_eq!(with_failed_rows(RunEnd::DryRun, 4, None), RunEnd::DryRun);
        assert_eq!(
            with_failed_rows(RunEnd::Stopped, 4, Some(0)),
            RunEnd::Stopped
        );
    }

    fn batch(lines: &[u64]) -> Batch {
        let mut rows = crate::engine::link::SetRows::with_capacity(SetMode::Overwrite, 4, 64);
        for l in lines {
            rows.push(format!("k:{l}").as_bytes(), b"v", None);
        }
        Batch {
            first: lines[0],
            end: lines[lines.len() - 1] + 1,
            lines: lines.to_vec(),
            rows,
            bad: Vec::new(),
            bytes: 0,
        }
    }

    #[test]
    fn a_refused_batch_counts_what_was_written_and_is_not_complete() {
        let mut c = Counters::default();
        let b = batch(&[10, 11, 12, 13]);
        c.take(&b);
        let oom = "OOM command not allowed when used memory > 'maxmemory'.".to_string();
        let complete = c.record(
            &b,
            Written::Refused {
                outcomes: vec![
                    Some(SetOutcome::Written),
                    Some(SetOutcome::Failed("ERR bad value".into())),
                    Some(SetOutcome::Failed(oom.clone())),
                    None,
                ],
                error: oom.clone(),
            },
        );
        assert!(!complete, "the checkpoint does not pass a refused batch");
        assert_eq!((c.rows, c.written, c.failed, c.refused_rows), (4, 1, 3, 2));
        assert_eq!(c.refused.as_deref(), Some(oom.as_str()));
        assert_eq!(c.errors.len(), 2);
        assert_eq!((c.errors[1].line, c.errors[1].rows), (12, 2));
        // a batch with per-row failures only is complete
        let b = batch(&[20, 21]);
        let complete = c.record(
            &b,
            Written::Done(vec![
                SetOutcome::Written,
                SetOutcome::Failed("ERR bad value".into()),
            ]),
        );
        assert!(complete);
    }
}
