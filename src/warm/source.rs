//! The source side of a run: a blocking reader thread that parses rows, renders the key and
//! value templates and hands batches to the writers over a bounded channel (so memory is a
//! few batches whatever the source's size).
//!
//! A source command runs in its own process group: its stderr is drained while it runs
//! (a chatty command can never fill the pipe and hang), its last lines are kept for the
//! error message, and a stop (signal, lost lock, Redis gone) kills the whole group so a
//! silent command cannot keep the run waiting.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::sync::mpsc;

use super::job::{Job, Source};
use super::rows::{BadRow, Format, Row, RowReader};
use crate::engine::link::SetRows;
use crate::engine::write::SetMode;
use crate::random::Rng;

/// Rows handed from the reader to the workers.
pub struct Batch {
    /// data-row index range [first, end) this batch covers (checkpoint)
    pub first: u64,
    pub end: u64,
    /// source line of each row in `rows`
    pub lines: Vec<u64>,
    /// the rendered rows, as the SET commands the engine sends
    pub rows: SetRows,
    pub bad: Vec<BadRow>,
    /// source bytes consumed up to the end of this batch (progress)
    pub bytes: u64,
}

impl Batch {
    /// `bytes`: room for the encoded commands (the last batch's size: one allocation).
    fn starting_at(first: u64, capacity: usize, mode: SetMode, bytes: usize) -> Batch {
        Batch {
            first,
            end: first,
            lines: Vec::with_capacity(capacity),
            rows: SetRows::with_capacity(mode, capacity, bytes),
            bad: Vec::new(),
            bytes: 0,
        }
    }
}

pub enum Feed {
    Batch(Batch),
    /// the source failed (command exit status, I/O error): fatal for the run (exit 1)
    Fatal(String),
    /// the templates name a column the source does not have: nothing is written or checked (exit 2)
    Usage(String),
}

/// How many stderr lines of a failed source command the error message quotes.
const STDERR_TAIL_LINES: usize = 5;

/// A running source command.
struct ChildProc {
    child: Mutex<Child>,
    pid: u32,
    /// the last lines of its stderr
    tail: Arc<Mutex<VecDeque<String>>>,
    drain: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl ChildProc {
    /// SIGTERM to the process group, at once: it is sent before the caller goes on (a process
    /// that exits right after halting must not leave the command behind).
    fn terminate(&self) {
        #[cfg(unix)]
        // SAFETY: kill(2) with a negative pid signals the process group we created
        unsafe {
            libc::kill(-(self.pid as libc::pid_t), libc::SIGTERM);
        }
    }

    /// SIGTERM to the process group, SIGKILL if it is still there a second later.
    fn kill(&self) {
        #[cfg(unix)]
        {
            let pgid = self.pid as libc::pid_t;
            self.terminate();
            for _ in 0..20 {
                std::thread::sleep(Duration::from_millis(50));
                if matches!(self.child.lock().expect("child").try_wait(), Ok(Some(_))) {
                    return;
                }
            }
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
        let _ = self.child.lock().expect("child").kill();
    }

    fn stderr_tail(&self) -> String {
        if let Some(h) = self.drain.lock().expect("drain").take() {
            let _ = h.join();
        }
        let tail = self.tail.lock().expect("tail");
        tail.iter().cloned().collect::<Vec<_>>().join(" | ")
    }
}

/// The running reader: stop it, or wait for it.
pub struct SourceHandle {
    thread: Option<std::thread::JoinHandle<()>>,
    child: Option<Arc<ChildProc>>,
    stop: Arc<AtomicBool>,
}

impl SourceHandle {
    /// Stop reading now: the thread stops at the next row, a source command is killed.
    /// Halting again does nothing.
    pub fn halt(&self) {
        if self.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Some(c) = &self.child {
            c.terminate();
            let c = c.clone();
            // the SIGKILL a second later, if needed: not on the async side
            std::thread::spawn(move || c.kill());
        }
    }

    /// Wait for the reader thread (only when it is known to finish: the source ended or
    /// was halted and is not stdin).
    pub fn join(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Open the source (fatal errors here: a missing file, a directory, a command that cannot
/// start) and stream batches from a blocking thread.
pub fn spawn(
    job: &Job,
    batch_size: usize,
    skip_below: u64,
    tx: mpsc::Sender<Feed>,
) -> Result<SourceHandle> {
    let job = job.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let (reader, child): (Box<dyn BufRead + Send>, Option<Arc<ChildProc>>) = match &job.source {
        Source::File(p) => {
            let f = std::fs::File::open(p)
                .with_context(|| format!("opening --source {}", p.display()))?;
            let meta = f
                .metadata()
                .with_context(|| format!("reading --source {}", p.display()))?;
            if meta.is_dir() {
                anyhow::bail!("--source {} is a directory, not a file", p.display());
            }
            (Box::new(BufReader::with_capacity(256 * 1024, f)), None)
        }
        Source::Stdin => (Box::new(BufReader::new(std::io::stdin())), None),
        Source::Command(c) => {
            let mut cmd = std::process::Command::new("sh");
            cmd.arg("-c")
                .arg(c)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            #[cfg(unix)]
            {
                use std::os::unix::process::CommandExt;
                cmd.process_group(0); // our own group: killed as one, Ctrl-C is ours to relay
            }
            let mut child = cmd.spawn().context("starting --source-cmd (sh -c …)")?;
            let out = child.stdout.take().expect("piped");
            let err = child.stderr.take().expect("piped");
            let tail = Arc::new(Mutex::new(VecDeque::new()));
            let drain = {
                let tail = tail.clone();
                std::thread::spawn(move || drain_stderr(err, &tail))
            };
            let pid = child.id();
            (
                Box::new(BufReader::with_capacity(256 * 1024, out)),
                Some(Arc::new(ChildProc {
                    child: Mutex::new(child),
                    pid,
                    tail,
                    drain: Mutex::new(Some(drain)),
                })),
            )
        }
    };
    let thread = {
        let (stop, child) = (stop.clone(), child.clone());
        std::thread::spawn(move || read_rows(job, reader, batch_size, skip_below, &stop, child, tx))
    };
    Ok(SourceHandle {
        thread: Some(thread),
        child,
        stop,
    })
}

/// Keep the last lines of a command's stderr (each cut at 300 bytes, so a command that
/// never writes a newline costs no memory); never block it.
fn drain_stderr(mut err: impl Read, tail: &Mutex<VecDeque<String>>) {
    const MAX_LINE: usize = 300;
    let mut buf = [0u8; 8192];
    let mut line: Vec<u8> = Vec::with_capacity(MAX_LINE);
    let push = |line: &mut Vec<u8>| {
        let text = String::from_utf8_lossy(line).trim().to_string();
        line.clear();
        if text.is_empty() {
            return;
        }
        tracing::debug!(target: "cachectl::warm::source", "source stderr: {text}");
        let mut t = tail.lock().expect("tail");
        if t.len() == STDERR_TAIL_LINES {
            t.pop_front();
        }
        t.push_back(text);
    };
    loop {
        let n = match err.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for &b in &buf[..n] {
            if b == b'\n' {
                push(&mut line);
            } else if line.len() < MAX_LINE {
                line.push(b);
            }
        }
    }
    push(&mut line);
}

fn read_rows(
    job: Job,
    mut reader: Box<dyn BufRead + Send>,
    batch_size: usize,
    skip_below: u64,
    stop: &AtomicBool,
    child: Option<Arc<ChildProc>>,
    tx: mpsc::Sender<Feed>,
) {
    let send = |f: Feed| tx.blocking_send(f).is_ok();
    let format = match job.format {
        Some(f) => f,
        None => Format::sniff(&mut reader).unwrap_or(Format::Csv),
    };
    let mut rows = match RowReader::new(reader, format, &job.columns) {
        Ok(r) => r,
        Err(e) => {
            send(Feed::Fatal(e));
            return;
        }
    };
    // a template naming a column the source lacks would fail every row: refuse before
    // anything is written
    let mut fields_checked = false;
    // (an empty source has no header either: zero rows is a quiet run, not a usage error)
    if let Some(cols) = rows.columns().filter(|c| !c.is_empty()) {
        if let Some(msg) = missing_columns(&job, cols) {
            send(Feed::Usage(msg));
            return;
        }
        fields_checked = true;
    }
    let mut rng = Rng::from_clock();
    let mut cur = Batch::starting_at(skip_below, batch_size, job.mode, 0);
    let mut row = Row::empty();
    // the key and value of each row are rendered here, then encoded into the batch
    let (mut key, mut value) = (String::new(), String::new());
    while let Some(r) = rows.read_next(&mut row) {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let (index, line) = match &r {
            Ok(()) => (row.index, row.line),
            Err(b) => (b.index, b.line),
        };
        if !fields_checked && r.is_ok() {
            // JSON lines: the first object stands for the source's fields
            let names = row.fields.names();
            if let Some(msg) = missing_columns(&job, &names) {
                send(Feed::Usage(msg));
                return;
            }
            fields_checked = true;
        }
        if index < skip_below {
            continue;
        }
        cur.end = index + 1;
        match r {
            Err(b) => cur.bad.push(b),
            Ok(()) => match render(&job, &row, &mut key, &mut value) {
                Ok(()) => {
                    let ttl = job.ttl_ms.map(|t| rng.jittered_ttl_ms(t, job.jitter_pct));
                    cur.lines.push(line);
                    cur.rows.push(key.as_bytes(), value.as_bytes(), ttl);
                }
                Err(message) => cur.bad.push(BadRow {
                    index,
                    line,
                    message,
                }),
            },
        }
        if cur.rows.len() + cur.bad.len() >= batch_size {
            cur.bytes = rows.bytes_read();
            let room = cur.rows.bytes() + cur.rows.bytes() / 8;
            let next = Batch::starting_at(cur.end, batch_size, job.mode, room);
            if !send(Feed::Batch(std::mem::replace(&mut cur, next))) {
                return;
            }
        }
    }
    let io_error = rows.io_error().map(str::to_string);
    cur.bytes = rows.bytes_read();
    if cur.end > cur.first && !send(Feed::Batch(cur)) {
        return;
    }
    if let Some(e) = io_error {
        send(Feed::Fatal(format!("reading the source: {e}")));
        return;
    }
    if let Some(child) = child {
        if let Some(msg) = wait_child(&child, stop) {
            send(Feed::Fatal(msg));
        }
    }
}

/// Wait for a source command after its stdout ended; the error if it failed.
fn wait_child(child: &ChildProc, stop: &AtomicBool) -> Option<String> {
    loop {
        if stop.load(Ordering::Relaxed) {
            return None; // we killed it
        }
        let status = child.child.lock().expect("child").try_wait();
        match status {
            Ok(Some(st)) if st.success() => return None,
            Ok(Some(st)) => {
                let tail = child.stderr_tail();
                return Some(format!(
                    "source command exited with {}{}",
                    st.code()
                        .map_or("a signal".to_string(), |c| format!("status {c}")),
                    if tail.is_empty() {
                        String::new()
                    } else {
                        format!(": {tail}")
                    }
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Some(format!("waiting for the source command: {e}")),
        }
    }
}

fn missing_columns(job: &Job, have: &[String]) -> Option<String> {
    let missing: Vec<&str> = job
        .template_fields()
        .filter(|f| !have.iter().any(|h| h == f))
        .collect();
    if missing.is_empty() {
        return None;
    }
    Some(format!(
        "job `{}`: the template names {} the source does not have (it has: {})",
        job.name,
        missing
            .iter()
            .map(|m| format!("`{{{m}}}`"))
            .collect::<Vec<_>>()
            .join(", "),
        if have.is_empty() {
            "no columns".to_string()
        } else {
            have.join(", ")
        }
    ))
}

/// Render a row's key and value into the buffers.
fn render(
    job: &Job,
    row: &Row,
    key: &mut String,
    value: &mut String,
) -> std::result::Result<(), String> {
    job.key.render_into(&row.fields, true, key)?;
    if key.is_empty() {
        return Err("the key is empty".into());
    }
    match &job.value {
        Some(t) => t.render_into(&row.fields, false, value)?,
        None => *value = row.fields.to_json(),
    }
    Ok(())
}
