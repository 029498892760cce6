//! `cachectl warm`: rows from a file, stdin, a command or profile jobs -> pipelined SETs,
//! paced by one token bucket shared by all workers, optionally on a cron schedule, with a
//! lock per job so overlapping runs on several hosts skip.
//!
//! Flow of one run: a reader thread parses rows and renders key/value templates into batches
//! (a bounded channel, so memory is a few batches); `--concurrency` workers take batches,
//! wait for tokens, and write them (grouped by node on a cluster), retrying with backoff and
//! a reconnect when Redis drops. Malformed rows are counted with their line numbers.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, RwLock};
use tracing::{info, warn};

use crate::cli::{SourceFormatArg, WarmArgs, WarmModeArg};
use crate::config::Settings;
use crate::engine::write::{SetItem, SetMode, SetOutcome};
use crate::engine::{ConnSettings, Engine};
use crate::error::{usage, CheckFailed, ExitCode};
use crate::profile::{SourceFormat, SourceKind, WarmMode};
use crate::ratelimit::Pacer;
use crate::render::{RenderCtx, Report};
use crate::schedule::Schedule;
use crate::util::{human_count, now_rfc3339};
use crate::warm::{jittered_ttl_ms, BadRow, Format, RowReader, Template};

const MAX_ERRORS_LISTED: usize = 100;
const LOCK_TTL_MS: u64 = 30_000;
const WRITE_ATTEMPTS: u32 = 6;
/// After Redis has been unreachable this long, stop retrying: the rest fails fast, reading
/// stops, and the run reports what was lost (a --checkpoint run resumes there).
const OUTAGE_BUDGET: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Stdin,
    Command(String),
}

impl Source {
    fn id(&self) -> String {
        match self {
            Source::File(p) => format!("file:{}", p.display()),
            Source::Stdin => "stdin".into(),
            // a command line may carry a password (psql postgres://u:pw@db …)
            Source::Command(c) => format!("command:{}", crate::redact::text(c)),
        }
    }
}

/// One warm job, resolved from flags and profile.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub source: Source,
    pub format: Option<Format>,
    pub columns: Vec<String>,
    pub key: Template,
    pub value: Option<Template>,
    pub ttl_ms: Option<u64>,
    pub jitter_pct: f64,
    pub mode: SetMode,
    pub rate: Option<f64>,
    pub schedule: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowError {
    /// first source line concerned
    pub line: u64,
    /// how many rows (a lost batch is one entry)
    pub rows: u64,
    pub message: String,
}

/// One run of one job.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunRow {
    pub job: String,
    pub rows: u64,
    pub written: u64,
    pub skipped: u64,
    pub failed: u64,
    pub duration_ms: u64,
    pub rate_per_s: f64,
    /// ok | locked | interrupted | source-failed | dry-run
    pub status: String,
    pub started_at: String,
    /// rows skipped because a checkpoint said they were done
    pub resumed_from: u64,
    /// rows lost to Redis errors after retries (included in `failed`)
    pub lost: u64,
    pub errors: Vec<RowError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
    #[serde(skip)]
    pub fatal: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub key: String,
    pub value: String,
    pub ttl_ms: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct WarmReport {
    pub runs: Vec<RunRow>,
    #[serde(skip)]
    pub exit: ExitCode,
    #[serde(skip)]
    pub error: Option<anyhow::Error>,
}

fn format_of(f: Option<SourceFormatArg>) -> Option<Format> {
    f.map(|f| match f {
        SourceFormatArg::Csv => Format::Csv,
        SourceFormatArg::Jsonl => Format::Jsonl,
    })
}

fn template(s: &str, what: &str) -> Result<Template> {
    Template::parse(s).map_err(|e| usage(format!("{what}: {e}")))
}

fn set_mode(
    mode: Option<WarmModeArg>,
    profile: Option<WarmMode>,
    below: Option<Duration>,
) -> Result<SetMode> {
    let m = match (mode, profile) {
        (Some(WarmModeArg::Overwrite), _) | (None, Some(WarmMode::Overwrite)) | (None, None) => {
            SetMode::Overwrite
        }
        (Some(WarmModeArg::Missing), _) | (None, Some(WarmMode::Missing)) => SetMode::Missing,
        (Some(WarmModeArg::Refresh), _) | (None, Some(WarmMode::Refresh)) => {
            let b = below.ok_or_else(|| usage("--mode refresh needs --refresh-below DUR"))?;
            SetMode::Refresh(b.as_millis().max(1) as u64)
        }
    };
    Ok(m)
}

/// Flags + profile -> the jobs to run.
pub fn jobs(a: &WarmArgs, s: &Settings) -> Result<Vec<Job>> {
    let profile = s.profile.as_ref().map(|l| &l.profile);
    if a.job.is_some() || a.all_jobs {
        let p = profile.ok_or_else(|| usage("--job/--all-jobs need a profile (-P NAME)"))?;
        let names: Vec<String> = match &a.job {
            Some(n) => {
                if !p.warm.contains_key(n) {
                    return Err(usage(format!(
                        "no warm job `{n}` in profile `{}` (it has: {})",
                        p.name,
                        p.warm.keys().cloned().collect::<Vec<_>>().join(", ")
                    )));
                }
                vec![n.clone()]
            }
            None => p.warm.keys().cloned().collect(),
        };
        if names.is_empty() {
            return Err(usage(format!("profile `{}` has no warm jobs", p.name)));
        }
        return names
            .into_iter()
            .map(|name| {
                let j = &p.warm[&name];
                let ns = p.namespaces.get(&j.namespace);
                let source = match j.source.kind {
                    SourceKind::Command => {
                        Source::Command(j.source.command.clone().unwrap_or_default())
                    }
                    SourceKind::File => match j.source.path.as_deref() {
                        Some("-") => Source::Stdin,
                        Some(p) => Source::File(PathBuf::from(p)),
                        None => Source::Stdin,
                    },
                };
                let columns = if a.columns.is_empty() {
                    j.source.columns.clone()
                } else {
                    a.columns.clone()
                };
                Ok(Job {
                    source,
                    format: format_of(a.format).or(j.source.format.map(|f| match f {
                        SourceFormat::Csv => Format::Csv,
                        SourceFormat::Jsonl => Format::Jsonl,
                    })),
                    columns,
                    key: template(
                        a.key.as_deref().unwrap_or(&j.key),
                        &format!("job `{name}` key"),
                    )?,
                    value: match a.value.as_deref().or(j.value.as_deref()) {
                        Some(v) => Some(template(v, &format!("job `{name}` value"))?),
                        None => None,
                    },
                    ttl_ms: a
                        .ttl
                        .or(j.ttl.map(|d| d.0))
                        .or(ns.and_then(|n| n.ttl.map(|d| d.0)))
                        .map(|d| d.as_millis() as u64),
                    jitter_pct: a
                        .ttl_jitter
                        .or(j.ttl_jitter.map(|p| p.0))
                        .or(ns.and_then(|n| n.ttl_jitter.map(|p| p.0)))
                        .unwrap_or(10.0),
                    mode: set_mode(
                        a.mode,
                        j.mode,
                        a.refresh_below.or(j.refresh_below.map(|d| d.0)),
                    )?,
                    rate: a.rate.or(j.rate.map(|r| r.0)),
                    schedule: j.schedule.clone(),
                    name,
                })
            })
            .collect();
    }
    let source = match (&a.source, &a.source_cmd) {
        (Some(p), None) if p == "-" => Source::Stdin,
        (Some(p), None) => Source::File(PathBuf::from(p)),
        (None, Some(c)) => Source::Command(c.clone()),
        _ => {
            return Err(usage(
                "warm needs a source: --source FILE|-, --source-cmd COMMAND, or --job NAME / --all-jobs with a profile",
            ))
        }
    };
    let key = a
        .key
        .as_deref()
        .ok_or_else(|| usage("--key TEMPLATE is required (e.g. --key 'plan_catalog:v1:{id}')"))?;
    let name = a.name.clone().unwrap_or_else(|| match &source {
        Source::File(p) => p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into()),
        Source::Stdin => "stdin".into(),
        Source::Command(_) => "command".into(),
    });
    let format = format_of(a.format).or(match &source {
        Source::File(p) => Format::from_path(&p.display().to_string()),
        _ => None,
    });
    Ok(vec![Job {
        name,
        source,
        format,
        columns: a.columns.clone(),
        key: template(key, "--key")?,
        value: a
            .value
            .as_deref()
            .map(|v| template(v, "--value"))
            .transpose()?,
        ttl_ms: a.ttl.map(|d| d.as_millis() as u64),
        jitter_pct: a.ttl_jitter.unwrap_or(10.0),
        mode: set_mode(a.mode, None, a.refresh_below)?,
        rate: a.rate,
        schedule: None,
    }])
}

/// Rows handed from the reader to the workers.
struct Batch {
    /// data-row index range [first, end) this batch covers (checkpoint)
    first: u64,
    end: u64,
    /// source line of each item
    lines: Vec<u64>,
    items: Vec<SetItem>,
    bad: Vec<BadRow>,
    /// source bytes consumed up to the end of this batch (progress)
    bytes: u64,
}

enum Feed {
    Batch(Batch),
    /// the source failed (command exit status, unreadable file)
    SourceError(String),
}

#[derive(Default)]
struct Counters {
    rows: u64,
    written: u64,
    skipped: u64,
    failed: u64,
    lost: u64,
    errors: Vec<RowError>,
    samples: Vec<Sample>,
    source_error: Option<String>,
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

/// Tracks the highest row index below which every row is done.
struct Checkpoint {
    path: Option<PathBuf>,
    job: String,
    source: String,
    watermark: u64,
    done: BTreeMap<u64, u64>,
    saved_at: Instant,
}

#[derive(Serialize, Deserialize)]
struct CheckpointFile {
    job: String,
    source: String,
    rows_done: u64,
    updated: String,
}

impl Checkpoint {
    fn load(path: Option<&Path>, job: &Job) -> Result<Checkpoint> {
        let mut cp = Checkpoint {
            path: path.map(Path::to_path_buf),
            job: job.name.clone(),
            source: job.source.id(),
            watermark: 0,
            done: BTreeMap::new(),
            saved_at: Instant::now(),
        };
        if let Some(p) = path {
            if p.exists() {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading checkpoint {}", p.display()))?;
                let f: CheckpointFile = serde_json::from_str(&text).map_err(|e| {
                    usage(format!("{}: not a cachectl checkpoint: {e}", p.display()))
                })?;
                if f.job != cp.job || f.source != cp.source {
                    return Err(usage(format!(
                        "{} belongs to job `{}` ({}), not `{}` ({}); remove it to start over",
                        p.display(),
                        f.job,
                        f.source,
                        cp.job,
                        cp.source
                    )));
                }
                cp.watermark = f.rows_done;
            }
        }
        Ok(cp)
    }

    fn complete(&mut self, first: u64, end: u64) {
        self.done.insert(first, end);
        while let Some(end) = self.done.remove(&self.watermark) {
            self.watermark = end;
        }
        if self.saved_at.elapsed() > Duration::from_millis(500) {
            let _ = self.save();
        }
    }

    fn save(&mut self) -> Result<()> {
        let Some(p) = &self.path else { return Ok(()) };
        let f = CheckpointFile {
            job: self.job.clone(),
            source: self.source.clone(),
            rows_done: self.watermark,
            updated: now_rfc3339(),
        };
        let tmp = p.with_extension("tmp");
        std::fs::write(&tmp, serde_json::to_string(&f)?)
            .with_context(|| format!("writing checkpoint {}", tmp.display()))?;
        std::fs::rename(&tmp, p).with_context(|| format!("writing checkpoint {}", p.display()))?;
        self.saved_at = Instant::now();
        Ok(())
    }

    fn remove(&self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Open the source and stream batches from a blocking thread.
fn spawn_reader(
    job: &Job,
    batch_size: usize,
    skip_below: u64,
    stop: Arc<AtomicBool>,
    tx: mpsc::Sender<Feed>,
) -> Result<std::thread::JoinHandle<()>> {
    let job = job.clone();
    let (reader, child): (Box<dyn BufRead + Send>, Option<std::process::Child>) = match &job.source
    {
        Source::File(p) => (
            Box::new(BufReader::new(
                std::fs::File::open(p)
                    .with_context(|| format!("opening --source {}", p.display()))?,
            )),
            None,
        ),
        Source::Stdin => (Box::new(BufReader::new(std::io::stdin())), None),
        Source::Command(c) => {
            let mut child = std::process::Command::new("sh")
                .arg("-c")
                .arg(c)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .with_context(|| format!("starting --source-cmd `{c}`"))?;
            let out = child.stdout.take().expect("piped");
            (Box::new(BufReader::new(out)), Some(child))
        }
    };
    Ok(std::thread::spawn(move || {
        let send = |f: Feed| tx.blocking_send(f).is_ok();
        let mut reader = reader;
        let format = match job.format {
            Some(f) => f,
            None => Format::sniff(&mut reader).unwrap_or(Format::Csv),
        };
        let mut rows = match RowReader::new(reader, format, &job.columns) {
            Ok(r) => r,
            Err(e) => {
                send(Feed::SourceError(e));
                return;
            }
        };
        let mut jitter = crate::sim::model::Rng::new(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0x1234_5678, |d| d.as_nanos() as u64),
        );
        let mut cur = Batch {
            first: skip_below,
            end: skip_below,
            lines: Vec::with_capacity(batch_size),
            items: Vec::with_capacity(batch_size),
            bad: Vec::new(),
            bytes: 0,
        };
        let mut row = crate::warm::Row::empty();
        while let Some(r) = rows.read_next(&mut row) {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let r = r.map(|()| &row);
            let (index, line) = match &r {
                Ok(row) => (row.index, row.line),
                Err(b) => (b.index, b.line),
            };
            if index < skip_below {
                continue;
            }
            cur.end = index + 1;
            match r {
                Err(b) => cur.bad.push(b),
                Ok(row) => {
                    let rendered = job.key.render_key(&row.fields).and_then(|k| {
                        if k.is_empty() {
                            return Err("the key is empty".into());
                        }
                        let v = match &job.value {
                            Some(t) => t.render(&row.fields)?,
                            None => row.fields.to_json(),
                        };
                        Ok((k, v))
                    });
                    match rendered {
                        Ok((k, v)) => {
                            cur.lines.push(line);
                            cur.items.push(SetItem {
                                key: k.into_bytes(),
                                value: v.into_bytes(),
                                ttl_ms: job
                                    .ttl_ms
                                    .map(|t| jittered_ttl_ms(t, job.jitter_pct, jitter.unit())),
                            });
                        }
                        Err(message) => cur.bad.push(BadRow {
                            index,
                            line,
                            message,
                        }),
                    }
                }
            }
            if cur.items.len() + cur.bad.len() >= batch_size {
                cur.bytes = rows.bytes_read();
                let next_first = cur.end;
                let full = std::mem::replace(
                    &mut cur,
                    Batch {
                        first: next_first,
                        end: next_first,
                        lines: Vec::with_capacity(batch_size),
                        items: Vec::with_capacity(batch_size),
                        bad: Vec::new(),
                        bytes: 0,
                    },
                );
                if !send(Feed::Batch(full)) {
                    return;
                }
            }
        }
        cur.bytes = rows.bytes_read();
        if cur.end > cur.first && !send(Feed::Batch(cur)) {
            return;
        }
        if let Some(mut child) = child {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = (&mut e).take(4096).read_to_string(&mut err);
            }
            if stop.load(Ordering::Relaxed) {
                let _ = child.kill();
            }
            match child.wait() {
                Ok(st) if st.success() || stop.load(Ordering::Relaxed) => {}
                Ok(st) => {
                    send(Feed::SourceError(format!(
                        "source command exited with {}{}",
                        st.code()
                            .map_or("a signal".to_string(), |c| format!("status {c}")),
                        if err.trim().is_empty() {
                            String::new()
                        } else {
                            format!(": {}", err.trim().replace('\n', " "))
                        }
                    )));
                }
                Err(e) => {
                    send(Feed::SourceError(format!(
                        "waiting for the source command: {e}"
                    )));
                }
            }
        }
    }))
}

/// The engine, replaced by a fresh connection when Redis drops.
struct Conn {
    settings: ConnSettings,
    engine: RwLock<(u64, Arc<Engine>)>,
    /// when the current outage began (None while writes succeed)
    down_since: Mutex<Option<Instant>>,
    /// the outage outlasted OUTAGE_BUDGET: give up
    gave_up: AtomicBool,
}

impl Conn {
    async fn current(&self) -> (u64, Arc<Engine>) {
        let g = self.engine.read().await;
        (g.0, g.1.clone())
    }

    async fn reconnect(&self, seen_generation: u64) -> Result<()> {
        let mut g = self.engine.write().await;
        if g.0 != seen_generation {
            return Ok(()); // another worker already did
        }
        let e = Engine::connect(&self.settings).await?;
        *g = (g.0 + 1, Arc::new(e));
        Ok(())
    }
}

/// One attempt at a batch: one pipeline standalone (no copies), one per node on a cluster.
async fn attempt(
    engine: &Arc<Engine>,
    items: &[SetItem],
    mode: SetMode,
) -> std::result::Result<Vec<SetOutcome>, String> {
    if engine.nodes.len() == 1 {
        return engine
            .set_batch(0, items, mode)
            .await
            .map_err(|e| crate::error::one_line(&e));
    }
    let mut by_node: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        by_node.entry(engine.node_for(&it.key)).or_default().push(i);
    }
    let calls = by_node.iter().map(|(&node, idx)| {
        let part: Vec<SetItem> = idx.iter().map(|&i| items[i].clone()).collect();
        async move { engine.set_batch(node, &part, mode).await }
    });
    let results = futures::future::join_all(calls).await;
    let mut outcomes = vec![SetOutcome::Skipped; items.len()];
    for ((_, idx), r) in by_node.iter().zip(results) {
        let out = r.map_err(|e| crate::error::one_line(&e))?;
        for (i, o) in idx.iter().zip(out) {
            outcomes[*i] = o;
        }
    }
    Ok(outcomes)
}

/// Write one batch with retries and reconnects; returns per-item outcomes, or the final
/// error if every attempt failed or the outage outlasted the budget (the batch is lost).
async fn write_batch(
    conn: &Conn,
    items: &[SetItem],
    mode: SetMode,
) -> std::result::Result<Vec<SetOutcome>, String> {
    let mut backoff = Duration::from_millis(200);
    let mut last = String::new();
    for n in 1..=WRITE_ATTEMPTS {
        if conn.gave_up.load(Ordering::Relaxed) {
            return Err(format!(
                "Redis unavailable for over {}s",
                OUTAGE_BUDGET.as_secs()
            ));
        }
        let (generation, engine) = conn.current().await;
        match attempt(&engine, items, mode).await {
            Ok(out) => {
                *conn.down_since.lock().expect("outage") = None;
                return Ok(out);
            }
            Err(e) => {
                last = e;
                let since = *conn
                    .down_since
                    .lock()
                    .expect("outage")
                    .get_or_insert_with(Instant::now);
                if since.elapsed() > OUTAGE_BUDGET {
                    conn.gave_up.store(true, Ordering::Relaxed);
                    break;
                }
                if n == WRITE_ATTEMPTS {
                    break;
                }
                warn!(attempt = n, error = %last, "write failed; retrying in {:?}", backoff);
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
                if let Err(e) = conn.reconnect(generation).await {
                    last = crate::error::one_line(&e);
                }
            }
        }
    }
    Err(last)
}

/// A bar by bytes of the file (with ETA) for file sources; a spinner with a row count for
/// streams. Drawn only on a terminal.
fn progress(enabled: bool, file_size: Option<u64>) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let b = match file_size {
        Some(len) if len > 0 => ProgressBar::new(len).with_style(
            ProgressStyle::with_template(
                "{bar:30} {percent:>3}% warming {msg}  {binary_bytes_per_sec}  ETA {eta}",
            )
            .expect("template"),
        ),
        _ => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} warming {msg}  {elapsed}").expect("template"),
        ),
    };
    b.enable_steady_tick(Duration::from_millis(200));
    b
}

/// One run of one job.
async fn run_job(
    job: &Job,
    a: &WarmArgs,
    s: &Settings,
    conn: &Arc<Conn>,
    stop: &Arc<AtomicBool>,
) -> Result<RunRow> {
    let started = Instant::now();
    let mut row = RunRow {
        job: job.name.clone(),
        started_at: now_rfc3339(),
        ..RunRow::default()
    };
    // the lock: overlapping runs of the same job on other hosts skip
    let lock_key = format!("cachectl:lock:warm:{}", job.name);
    let token = format!(
        "{}:{}:{}",
        crate::util::host_name(),
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    let (_, engine) = conn.current().await;
    if !a.dry_run {
        if let Some(holder) = engine.lock_acquire(&lock_key, &token, LOCK_TTL_MS).await? {
            warn!(job = %job.name, "skipped: job is already running (lock {lock_key} held by {holder})");
            row.status = "locked".into();
            row.duration_ms = started.elapsed().as_millis() as u64;
            return Ok(row);
        }
    }
    let renew = if a.dry_run {
        None
    } else {
        let conn = conn.clone();
        let (key, token) = (lock_key.clone(), token.clone());
        Some(tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(LOCK_TTL_MS / 3)).await;
                let (_, e) = conn.current().await;
                match e.lock_touch(&key, &token, LOCK_TTL_MS).await {
                    Ok(true) => {}
                    Ok(false) => warn!("lost lock {key} (expired and taken by another run)"),
                    Err(err) => warn!("renewing lock {key}: {err:#}"),
                }
            }
        }))
    };

    let result = feed_and_write(job, a, s, conn, stop, &mut row).await;
    if let Some(h) = renew {
        h.abort();
        let (_, e) = conn.current().await;
        let _ = e.lock_touch(&lock_key, &token, 0).await;
    }
    result?;
    row.duration_ms = started.elapsed().as_millis() as u64;
    let secs = started.elapsed().as_secs_f64();
    row.rate_per_s = if secs > 0.0 {
        ((row.written + row.skipped) as f64 / secs * 10.0).round() / 10.0
    } else {
        0.0
    };
    Ok(row)
}

async fn feed_and_write(
    job: &Job,
    a: &WarmArgs,
    s: &Settings,
    conn: &Arc<Conn>,
    stop: &Arc<AtomicBool>,
    row: &mut RunRow,
) -> Result<()> {
    if a.concurrency == 0 || a.batch == 0 {
        return Err(usage("--concurrency and --batch must be at least 1"));
    }
    let mut cp = Checkpoint::load(a.checkpoint.as_deref(), job)?;
    row.resumed_from = cp.watermark;
    if cp.watermark > 0 {
        info!(job = %job.name, rows = cp.watermark, "resuming after the checkpoint");
    }
    // under a rate, small batches keep the flow smooth (about 20 per second)
    let batch = match job.rate {
        Some(r) => a.batch.min(((r / 20.0).ceil() as usize).max(1)),
        None => a.batch,
    };
    let pacer = job.rate.map(|r| Arc::new(Pacer::with_burst(r, a.burst)));
    let (tx, rx) = mpsc::channel::<Feed>(a.concurrency * 2);
    // the reader stops on a signal, or when Redis is gone for good
    let halt = Arc::new(AtomicBool::new(false));
    let reader = spawn_reader(job, batch, cp.watermark, halt.clone(), tx)?;
    let halt_watch = {
        let (halt, stop, conn) = (halt.clone(), stop.clone(), conn.clone());
        tokio::spawn(async move {
            loop {
                if stop.load(Ordering::Relaxed) || conn.gave_up.load(Ordering::Relaxed) {
                    halt.store(true, Ordering::Relaxed);
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
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
    let name = job.name.clone();

    let workers = (0..a.concurrency).map(|_| {
        let name = name.clone();
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
                if halt.load(Ordering::Relaxed) {
                    return;
                }
                let feed = { rx.lock().await.recv().await };
                let b = match feed {
                    None => return,
                    Some(Feed::SourceError(e)) => {
                        counters.lock().expect("counters").source_error = Some(e);
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
                            key: crate::patterns::key_text(&it.key),
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
                    let result = write_batch(&conn, &b.items, mode).await;
                    let mut c = counters.lock().expect("counters");
                    match result {
                        Ok(outcomes) => {
                            for (line, o) in b.lines.iter().zip(outcomes) {
                                match o {
                                    SetOutcome::Written => c.written += 1,
                                    SetOutcome::Skipped => c.skipped += 1,
                                    SetOutcome::Failed(m) => {
                                        c.failed += 1;
                                        c.error(*line, 1, m);
                                    }
                                }
                            }
                        }
                        Err(e) => {
                            lost = true;
                            let k = b.items.len() as u64;
                            c.failed += k;
                            c.lost += k;
                            c.error(
                                b.lines[0],
                                k,
                                format!("lost after {WRITE_ATTEMPTS} attempts: {e}"),
                            );
                        }
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
    // fold completions into the checkpoint while the workers run
    let mut workers = std::pin::pin!(workers);
    loop {
        tokio::select! {
            _ = &mut workers => break,
            _ = tokio::time::sleep(Duration::from_millis(200)) => {
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
    halt_watch.abort();
    let interrupted = stop.load(Ordering::Relaxed);
    let gave_up = conn.gave_up.load(Ordering::Relaxed);
    if interrupted || gave_up {
        halt.store(true, Ordering::Relaxed);
        // the reader may be blocked on a full channel or on the source: let it go
        drop(rx);
    } else {
        let _ = reader.join();
    }
    if let Some(p) = &pacer {
        if !interrupted && !gave_up {
            p.drain().await; // the achieved rate never exceeds --rate
        }
    }
    let c = std::mem::take(&mut *counters.lock().expect("counters"));
    row.rows = c.rows;
    row.written = c.written;
    row.skipped = c.skipped;
    row.failed = c.failed;
    row.lost = c.lost;
    row.errors = c.errors;
    row.samples = c.samples;
    row.status = if interrupted {
        if TERMINATED.load(Ordering::Relaxed) {
            "stopped".into()
        } else {
            "interrupted".into()
        }
    } else if gave_up {
        row.fatal = Some(format!(
            "Redis unavailable for over {}s: {} rows lost after retries, rows after the last one read were not attempted{}",
            OUTAGE_BUDGET.as_secs(),
            c.lost,
            if a.checkpoint.is_some() { " (run again with the same --checkpoint to resume)" } else { "" }
        ));
        "redis-unavailable".into()
    } else if let Some(e) = &c.source_error {
        row.fatal = Some(e.clone());
        "source-failed".into()
    } else if dry {
        "dry-run".into()
    } else {
        "ok".into()
    };
    if a.checkpoint.is_some() && !dry {
        if row.status == "ok" && c.lost == 0 {
            cp.remove(); // all done: the next run starts from the top
        } else {
            cp.save()?;
        }
    }
    Ok(())
}

/// Resolve SIGINT/SIGTERM into a flag the run checks between batches.
/// Set by SIGTERM (systemd stop, kill): the run ends cleanly with exit 0. Ctrl-C exits 130.
static TERMINATED: AtomicBool = AtomicBool::new(false);

fn watch_signals(stop: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let term = async {
            #[cfg(unix)]
            {
                if let Ok(mut s) =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                {
                    s.recv().await;
                    return;
                }
            }
            std::future::pending::<()>().await
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term => TERMINATED.store(true, Ordering::Relaxed),
        }
        warn!("stopping: finishing the batches in flight");
        stop.store(true, Ordering::Relaxed);
    });
}

pub async fn run(a: &WarmArgs, s: &Settings) -> Result<WarmReport> {
    let jobs = jobs(a, s)?;
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
    let mut settings = s.conn.clone();
    settings.replicas = false; // writes go to primaries
    let engine = Engine::connect(&settings).await?;
    let conn = Arc::new(Conn {
        settings,
        engine: RwLock::new((0, Arc::new(engine))),
        down_since: Mutex::new(None),
        gave_up: AtomicBool::new(false),
    });
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(stop.clone());

    let mut runs = Vec::new();
    let mut n = 0u64;
    loop {
        if let Some(sch) = &schedule {
            let next = sch
                .next_local()
                .ok_or_else(|| anyhow!("schedule `{}` has no next run", sch.line()))?;
            info!(schedule = sch.line(), next = %next.to_rfc3339(), "waiting for the next run");
            let wait = (next - chrono::Local::now()).to_std().unwrap_or_default();
            let deadline = tokio::time::Instant::now() + wait;
            while tokio::time::Instant::now() < deadline && !stop.load(Ordering::Relaxed) {
                tokio::time::sleep_until(
                    deadline.min(tokio::time::Instant::now() + Duration::from_millis(100)),
                )
                .await;
            }
            if stop.load(Ordering::Relaxed) {
                break;
            }
        }
        for job in &jobs {
            let r = run_job(job, a, s, &conn, &stop).await?;
            info!(
                "warm job={} rows={} written={} skipped={} failed={} duration_ms={} rate_per_s={} status={}",
                r.job, r.rows, r.written, r.skipped, r.failed, r.duration_ms, r.rate_per_s, r.status
            );
            let fatal = r.fatal.clone();
            runs.push(r);
            if let Some(f) = fatal {
                return Ok(WarmReport {
                    runs,
                    exit: ExitCode::Failure,
                    error: Some(anyhow!(f)),
                });
            }
            if stop.load(Ordering::Relaxed) {
                break;
            }
        }
        n += 1;
        if schedule.is_none() || stop.load(Ordering::Relaxed) || a.max_runs.is_some_and(|m| n >= m)
        {
            break;
        }
    }
    let failed: u64 = runs.iter().map(|r| r.failed).sum();
    let (exit, error) = if stop.load(Ordering::Relaxed) && !TERMINATED.load(Ordering::Relaxed) {
        (ExitCode::Interrupted, None)
    } else if let Some(max) = a.max_errors.filter(|m| failed > *m) {
        (
            ExitCode::CheckFailed,
            Some(anyhow::Error::new(CheckFailed(format!(
                "{failed} rows failed, more than --max-errors {max}"
            )))),
        )
    } else {
        (ExitCode::Success, None)
    };
    Ok(WarmReport { runs, exit, error })
}

impl Report for WarmReport {
    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let mut t = ctx.table(&[
            "JOB", "ROWS", "WRITTEN", "SKIPPED", "FAILED", "DURATION", "RATE/S", "STATUS",
        ]);
        for r in &self.runs {
            t.add_row(vec![
                comfy_table::Cell::new(&r.job),
                comfy_table::Cell::new(human_count(r.rows)),
                comfy_table::Cell::new(human_count(r.written)),
                comfy_table::Cell::new(human_count(r.skipped)),
                comfy_table::Cell::new(human_count(r.failed)),
                comfy_table::Cell::new(if r.duration_ms < 1000 {
                    format!("{} ms", r.duration_ms)
                } else {
                    format!("{:.1} s", r.duration_ms as f64 / 1000.0)
                }),
                comfy_table::Cell::new(format!("{:.0}", r.rate_per_s)),
                ctx.colored_cell(
                    &r.status,
                    match r.status.as_str() {
                        "ok" | "dry-run" => "ok",
                        "locked" | "interrupted" | "stopped" => "warn",
                        _ => "crit",
                    },
                ),
            ]);
        }
        writeln!(w, "{t}")?;
        for r in &self.runs {
            if r.resumed_from > 0 {
                writeln!(
                    w,
                    "{}: resumed after row {} (checkpoint)",
                    r.job, r.resumed_from
                )?;
            }
            if r.lost > 0 {
                writeln!(
                    w,
                    "{}: {} rows lost to Redis errors (see below); a --checkpoint run retries them",
                    r.job, r.lost
                )?;
            }
            if !r.samples.is_empty() {
                writeln!(w, "\n{}: dry run, first keys:", r.job)?;
                for sm in &r.samples {
                    let ttl = sm
                        .ttl_ms
                        .map(|t| format!(" (ttl {}s)", t / 1000))
                        .unwrap_or_default();
                    writeln!(w, "  {} = {}{ttl}", sm.key, sm.value)?;
                }
            }
            if !r.errors.is_empty() {
                writeln!(w, "\n{}: {} failed rows, first ones:", r.job, r.failed)?;
                for e in r.errors.iter().take(10) {
                    if e.rows > 1 {
                        writeln!(w, "  line {} (+{} rows): {}", e.line, e.rows - 1, e.message)?;
                    } else {
                        writeln!(w, "  line {}: {}", e.line, e.message)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        w.write_record([
            "job",
            "rows",
            "written",
            "skipped",
            "failed",
            "duration_ms",
            "rate_per_s",
            "status",
            "started_at",
        ])?;
        for r in &self.runs {
            w.write_record([
                r.job.clone(),
                r.rows.to_string(),
                r.written.to_string(),
                r.skipped.to_string(),
                r.failed.to_string(),
                r.duration_ms.to_string(),
                r.rate_per_s.to_string(),
                r.status.clone(),
                r.started_at.clone(),
            ])?;
        }
        Ok(())
    }
}
