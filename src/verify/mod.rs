//! `cachectl verify`: is the cache telling the truth? Against its source (the rows and
//! templates of `warm`: one definition of what the cache should hold), or against another
//! deployment (a replica, another region, a blue/green twin). SPEC §3 verify.
//!
//! - [`compare`]: pure: byte and JSON comparison, TTL tolerance, the estimate of a sample
//! - [`tally`]: what was found, per scope (namespace or pattern), with bounded examples
//! - [`source`]: the rows of a source read through `warm`'s reader, each key read and compared
//! - [`against`]: keys scanned on the first deployment, read on both, compared by type
//! - [`output`]: the report, its columns and its one outcome
//!
//! This file holds the options and [`checks`], the one loop both modes run: batches read
//! `INFLIGHT` at a time under the `--rate` token bucket, and every difference read again
//! after `--recheck` before it counts (writes in flight are not incoherence).

pub mod against;
pub mod compare;
pub mod output;
pub mod source;
pub mod tally;

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Result;
use futures::{Stream, StreamExt};
use indicatif::ProgressBar;

use crate::config::Settings;
use crate::error::usage;
use crate::ratelimit::Pacer;
use crate::signals::Stop;

pub use compare::Compare;
pub use output::VerifyReport;
use tally::Tally;

pub const DEFAULT_COMPARE: Compare = Compare::Exact;
pub const DEFAULT_RECHECK: Duration = Duration::from_secs(1);
pub const DEFAULT_TTL_TOLERANCE: f64 = 10.0;
pub const DEFAULT_BATCH: usize = 500;
/// Without a profile (or a profile without `slo.coherence_pct`): CORE-CACHE-003's 99%.
pub const DEFAULT_FAIL_BELOW: f64 = 99.0;

/// Read pipelines in flight at once.
const INFLIGHT: usize = 4;
/// Batches of differences waiting for their recheck (memory: this many batches at most).
const RECHECK_QUEUE: usize = 64;

/// The progress spinner: keys checked so far and the rate.
pub const PROGRESS: &str = "{spinner} verifying {msg}  {rate}  {elapsed}";

/// What to verify against.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// rows from a file, stdin, a command or profile jobs, read as `warm` reads them
    Source(crate::warm::Input),
    /// another deployment: keys scanned on the first (`--url`), read on both
    Against(String),
}

/// What `verify` is asked (the command line, `cli::verify`). `Default` is its defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// `None`: not said (a usage error)
    pub target: Option<Target>,
    /// Source format [default: by extension, else sniffed: `{` starts JSON lines]
    pub format: Option<crate::profile::SourceFormat>,
    /// Column names for CSV without a header line (e.g. psql -At output)
    pub columns: Vec<String>,
    /// Key template (as warm's)
    pub key: Option<String>,
    /// Value template (as warm's) [default: the row as JSON]
    pub value: Option<String>,
    /// --against: only keys matching this glob
    pub pattern: Option<String>,
    /// --against: only keys of this type
    pub key_type: Option<String>,
    pub compare: Compare,
    /// check a uniform sample of N rows (or keys) and estimate the whole
    pub sample: Option<u64>,
    /// keys read per second (token bucket)
    pub rate: Option<f64>,
    /// exit 3 when coherence_pct is below this [default: the profile's slo, else 99]
    pub fail_below: Option<f64>,
    /// a difference is read again after this and counts only if it persists (0: at once)
    pub recheck: Duration,
    /// --against: TTLs agree within this percent of the larger
    pub ttl_tolerance: f64,
    /// put the expected and cached values of stale keys in the output
    pub show_values: bool,
    /// keys per read pipeline
    pub batch: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            target: None,
            format: None,
            columns: Vec::new(),
            key: None,
            value: None,
            pattern: None,
            key_type: None,
            compare: DEFAULT_COMPARE,
            sample: None,
            rate: None,
            fail_below: None,
            recheck: DEFAULT_RECHECK,
            ttl_tolerance: DEFAULT_TTL_TOLERANCE,
            show_values: false,
            batch: DEFAULT_BATCH,
        }
    }
}

impl Options {
    /// `--fail-below`, else the profile's `slo.coherence_pct.crit_below`, else 99.
    pub fn fail_below(&self, s: &Settings) -> f64 {
        self.fail_below
            .or_else(|| {
                s.profile
                    .as_ref()
                    .map(|l| l.profile.slo.coherence_pct.crit_below)
            })
            .unwrap_or(DEFAULT_FAIL_BELOW)
    }
}

pub async fn run(o: &Options, s: &Settings, stop: &Stop) -> Result<VerifyReport> {
    if o.batch == 0 {
        return Err(usage("--batch must be at least 1"));
    }
    if o.sample == Some(0) {
        return Err(usage("--sample must be at least 1"));
    }
    if !(0.0..=100.0).contains(&o.ttl_tolerance) {
        return Err(usage("--ttl-tolerance must be between 0% and 100%"));
    }
    match &o.target {
        None => Err(usage(
            "verify needs a source (--source FILE|-, --source-cmd COMMAND, --job NAME, --all-jobs) or --against URL",
        )),
        Some(Target::Source(input)) => source::run(o, input, s, stop).await,
        Some(Target::Against(url)) => against::run(o, url, s, stop).await,
    }
}

/// A key to check, and the scope (namespace or pattern) it is reported under.
pub trait Item: Send {
    fn key(&self) -> &[u8];
    fn scope(&self) -> &str;
}

/// What one check found for one item.
pub struct Judged<T> {
    pub item: T,
    pub verdict: compare::Verdict,
    pub why: Option<compare::Why>,
    /// the values, kept only with --show-values
    pub expected: Option<Vec<u8>>,
    pub actual: Option<Vec<u8>>,
}

impl<T> Judged<T> {
    pub fn new(item: T, verdict: compare::Verdict) -> Self {
        Judged {
            item,
            verdict,
            why: None,
            expected: None,
            actual: None,
        }
    }

    pub fn stale(item: T, why: compare::Why) -> Self {
        Judged {
            why: Some(why),
            ..Judged::new(item, compare::Verdict::Stale)
        }
    }

    fn differs(&self) -> bool {
        matches!(
            self.verdict,
            compare::Verdict::Stale | compare::Verdict::Missing
        )
    }
}

/// The loop both modes run: `batches` checked `INFLIGHT` at a time under the pacer, each
/// difference checked again after `recheck` (at once when a stop is asked) and counted as
/// the second check found it. Stops taking batches on a stop; what was checked is in `tally`.
pub async fn checks<T, S, F, Fut>(
    batches: S,
    check: F,
    o: &Options,
    stop: &Stop,
    bar: &ProgressBar,
    tally: &Mutex<Tally>,
) -> Result<()>
where
    T: Item,
    S: Stream<Item = Result<Vec<T>>>,
    F: Fn(Vec<T>) -> Fut,
    Fut: Future<Output = Result<Vec<Judged<T>>>>,
{
    let pacer = o.rate.map(Pacer::new);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(Instant, Vec<T>)>(RECHECK_QUEUE);
    let recheck = o.recheck;
    let first = async {
        let pacer = &pacer;
        let check = &check;
        let mut judged = std::pin::pin!(batches
            .take_until(stop.wait())
            .map(|b| async move {
                let b = b?;
                if let Some(p) = pacer {
                    p.acquire(b.len()).await;
                }
                check(b).await
            })
            .buffer_unordered(INFLIGHT));
        while let Some(r) = judged.next().await {
            let mut again = Vec::new();
            {
                let mut t = tally.lock().expect("tally");
                for j in r? {
                    if j.differs() && !recheck.is_zero() {
                        again.push(j.item);
                    } else {
                        t.record(j, o.show_values);
                    }
                }
                bar.set_message(t.progress());
                bar.set_position(t.seen()); // the bar's {rate}: keys read per second
            }
            if !again.is_empty() && tx.send((Instant::now() + recheck, again)).await.is_err() {
                break;
            }
        }
        drop(tx);
        Ok::<(), anyhow::Error>(())
    };
    let second = async {
        while let Some((at, items)) = rx.recv().await {
            tokio::select! {
                _ = tokio::time::sleep_until(at.into()) => {}
                _ = stop.wait() => {}
            }
            let n = items.len() as u64;
            let judged = check(items).await?;
            let mut t = tally.lock().expect("tally");
            t.rechecked += n;
            for j in judged {
                if j.verdict == compare::Verdict::Fresh {
                    t.settled += 1; // a write in flight, now done
                }
                t.record(j, o.show_values);
            }
        }
        Ok::<(), anyhow::Error>(())
    };
    futures::try_join!(first, second)?;
    Ok(())
}
