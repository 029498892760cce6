//! Against a source: the rows, jobs and templates mean exactly what they mean to `warm`
//! (its job resolution and its reader thread, not a copy); each expected key is read (PTTL +
//! GET in one pipeline per node, `CLIENT NO-TOUCH` from 7.2) and compared with the rendered
//! value.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{anyhow, Result};
use futures::StreamExt;
use tokio::sync::mpsc;
use tracing::{info, warn};

use super::compare::{expiring, same_value, Compare, Sampler, Verdict, Why};
use super::output::VerifyReport;
use super::tally::{Scoper, Tally};
use super::{checks, Item, Judged, Options};
use crate::config::Settings;
use crate::engine::read::StringRead;
use crate::engine::Engine;
use crate::error::usage;
use crate::signals::Stop;
use crate::warm::job::Job;
use crate::warm::source::Feed;

/// A key and the value the source says it should hold.
pub struct Expect {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    pub scope: Arc<str>,
}

impl Item for Expect {
    fn key(&self) -> &[u8] {
        &self.key
    }
    fn scope(&self) -> &str {
        &self.scope
    }
}

/// How the cached values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// `GET`: the value itself
    Value,
    /// `DIGEST` (Redis 8.4+, byte-exact comparison without --show-values): the server's XXH3
    /// digest of the value, compared with the digest of the expected value
    Digest,
}

/// The hex XXH3 digest the server's `DIGEST` gives for `value`.
pub fn digest_of(value: &[u8]) -> Vec<u8> {
    redis::calculate_value_digest(value)
        .to_ascii_lowercase()
        .into_bytes()
}

/// What the cached value (or its digest) says about the expected one.
pub fn judge(
    it: Expect,
    r: StringRead,
    mode: Compare,
    read: Read,
    window_ms: u64,
    show: bool,
) -> Judged<Expect> {
    let same = |v: &[u8]| match read {
        Read::Value => same_value(mode, &it.value, v),
        Read::Digest => digest_of(&it.value) == v,
    };
    match r.value {
        Ok(None) => Judged::new(it, Verdict::Missing),
        Err(_) => Judged::stale(it, Why::Type), // WRONGTYPE: not a string
        Ok(Some(_)) if expiring(r.pttl, window_ms) => Judged::new(it, Verdict::Expiring),
        Ok(Some(v)) if same(&v) => Judged::new(it, Verdict::Fresh),
        Ok(Some(v)) => {
            let expected = show.then(|| it.value.clone());
            let mut j = Judged::stale(it, Why::Value);
            j.expected = expected;
            j.actual = (show && read == Read::Value).then_some(v);
            j
        }
    }
}

/// Keys about to expire are not judged: within --ttl-tolerance of the job's TTL when it has
/// one (a warm run is due to rewrite them), else within --recheck (they may expire between
/// the read and the recheck).
fn expiring_window_ms(job: &Job, o: &Options) -> u64 {
    match job.ttl_ms {
        Some(ttl) => (ttl as f64 * o.ttl_tolerance / 100.0) as u64,
        None => o.recheck.as_millis() as u64,
    }
}

/// Read the keys of `items` (grouped by node) and judge each.
async fn check(
    engine: &Engine,
    items: Vec<Expect>,
    o: &Options,
    read: Read,
    window_ms: u64,
) -> Result<Vec<Judged<Expect>>> {
    let mut groups: BTreeMap<usize, Vec<Expect>> = BTreeMap::new();
    for it in items {
        groups.entry(engine.node_for(&it.key)).or_default().push(it);
    }
    let mut out = Vec::new();
    for (node, items) in groups {
        let keys: Vec<&[u8]> = items.iter().map(|i| i.key.as_slice()).collect();
        let reads = match read {
            Read::Value => engine.read_strings(node, &keys).await?,
            Read::Digest => engine.read_digests(node, &keys).await?,
        };
        for (it, r) in items.into_iter().zip(reads) {
            out.push(judge(it, r, o.compare, read, window_ms, o.show_values));
        }
    }
    Ok(out)
}

/// The reader's batches as expected keys; unreadable rows are counted in the tally.
fn expected(
    rx: mpsc::Receiver<Feed>,
    scoper: Scoper,
    tally: &Mutex<Tally>,
) -> impl futures::Stream<Item = Result<Vec<Expect>>> + '_ {
    futures::stream::unfold((rx, scoper), move |(mut rx, scoper)| async move {
        let item = match rx.recv().await? {
            Feed::Batch(b) => {
                let mut t = tally.lock().expect("tally");
                t.bad_rows += b.bad.len() as u64;
                if t.first_bad_row.is_none() {
                    t.first_bad_row = b
                        .bad
                        .first()
                        .map(|r| format!("line {}: {}", r.line, r.message));
                }
                drop(t);
                Ok((0..b.rows.len())
                    .map(|i| Expect {
                        scope: scoper.scope(b.rows.key(i)),
                        key: b.rows.key(i).to_vec(),
                        value: b.rows.value(i).to_vec(),
                    })
                    .collect())
            }
            Feed::Fatal(e) => Err(anyhow!(e)),
            Feed::Usage(e) => Err(usage(format!("{e}; nothing was checked"))),
        };
        Some((item, (rx, scoper)))
    })
}

pub async fn run(
    o: &Options,
    input: &crate::warm::Input,
    s: &Settings,
    stop: &Stop,
) -> Result<VerifyReport> {
    let wopts = crate::warm::Options {
        source: Some(input.clone()),
        format: o.format,
        columns: o.columns.clone(),
        key: o.key.clone(),
        value: o.value.clone(),
        rate: o.rate,
        ..crate::warm::Options::default()
    };
    let jobs = crate::warm::job::jobs(&wopts, s)?;
    let engine = Engine::connect(&s.conn).await?;
    let touches = engine.reads_touch_lru();
    if touches {
        warn!("this server has no CLIENT NO-TOUCH (Redis before 7.2): the reads count as accesses in LRU/LFU");
    }
    // byte-exact without --show-values: where the server has DIGEST, values stay there
    let read = if o.compare == Compare::Exact && !o.show_values && engine.has_digest().await {
        info!("the server has DIGEST: values are compared by digest, not transferred");
        Read::Digest
    } else {
        Read::Value
    };
    let started = Instant::now();
    let tally = Mutex::new(Tally::default());
    let bar = crate::render::progress::new(s.progress, None, super::PROGRESS);
    let profile = s.profile.as_ref().map(|l| &l.profile);
    let (mut population, mut sampled) = (0u64, 0u64);
    // under a low --rate, small batches keep the reads smooth (as warm's writes)
    let batch = crate::warm::run::batch_size(o.rate, o.batch);
    for job in &jobs {
        let scoper = Scoper {
            fixed: job.namespace.as_deref().map(Arc::from),
            fallback: Some(Arc::from(job.key.glob())),
            ..Scoper::default()
        }
        .with_profile(profile);
        let window = expiring_window_ms(job, o);
        let (tx, rx) = mpsc::channel(INFLIGHT_BATCHES);
        let source = crate::warm::source::spawn(job, batch, 0, tx)?;
        let rows = expected(rx, scoper, &tally);
        let check = |items| check(&engine, items, o, read, window);
        let r = match o.sample {
            None => checks(rows, check, o, stop, &bar, &tally).await,
            Some(n) => {
                // a uniform sample of the whole source (memory: the sample), then its checks
                let mut sample =
                    Sampler::new(n as usize, crate::random::Rng::from_clock().next_u64());
                let mut rows = std::pin::pin!(rows.take_until(stop.wait()));
                let mut failed = None;
                while let Some(b) = rows.next().await {
                    match b {
                        Ok(items) => items.into_iter().for_each(|i| sample.push(i)),
                        Err(e) => {
                            failed = Some(e);
                            break;
                        }
                    }
                }
                population += sample.seen;
                sampled += sample.items.len() as u64;
                match failed {
                    Some(e) => Err(e),
                    None => {
                        let batches = chunks(sample.items, batch);
                        checks(futures::stream::iter(batches), check, o, stop, &bar, &tally).await
                    }
                }
            }
        };
        source.halt();
        r?;
        if stop.is_set() {
            break;
        }
    }
    bar.finish_and_clear();
    let tally = tally.into_inner().expect("tally");
    Ok(VerifyReport::new(
        "source",
        tally,
        o,
        s,
        started.elapsed(),
        o.sample.map(|_| (population, sampled)),
        touches,
        stop,
    ))
}

/// Batches from the reader waiting to be read (memory: this many batches).
const INFLIGHT_BATCHES: usize = 8;

/// `items` in batches of `size`, each one `Ok`.
pub fn chunks<T>(items: Vec<T>, size: usize) -> Vec<Result<Vec<T>>> {
    let mut out = Vec::new();
    let mut it = items.into_iter().peekable();
    while it.peek().is_some() {
        out.push(Ok(it.by_ref().take(size).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expect(value: &str) -> Expect {
        Expect {
            key: b"k".to_vec(),
            value: value.as_bytes().to_vec(),
            scope: Arc::from("k*"),
        }
    }

    fn read(pttl: i64, v: Option<&[u8]>) -> StringRead {
        StringRead {
            pttl,
            value: Ok(v.map(<[u8]>::to_vec)),
        }
    }

    #[test]
    fn the_digest_is_the_one_redis_documents() {
        // DIGEST's example on redis.io: SET key1 "Hello world"; DIGEST key1
        assert_eq!(digest_of(b"Hello world"), b"b6acb9d84a38ff74");
    }

    #[test]
    fn a_cached_value_or_digest_is_judged() {
        let v = |s: &str, r, how| judge(expect(s), r, Compare::Exact, how, 1000, false).verdict;
        assert_eq!(v("a", read(-1, Some(b"a")), Read::Value), Verdict::Fresh);
        assert_eq!(v("a", read(-1, Some(b"b")), Read::Value), Verdict::Stale);
        assert_eq!(v("a", read(-2, None), Read::Value), Verdict::Missing);
        assert_eq!(
            v("a", read(500, Some(b"b")), Read::Value),
            Verdict::Expiring
        );
        let d = digest_of(b"a");
        assert_eq!(v("a", read(-1, Some(&d)), Read::Digest), Verdict::Fresh);
        assert_eq!(v("b", read(-1, Some(&d)), Read::Digest), Verdict::Stale);
        let wrong = StringRead {
            pttl: -1,
            value: Err("WRONGTYPE".into()),
        };
        let j = judge(expect("a"), wrong, Compare::Exact, Read::Value, 1000, false);
        assert_eq!((j.verdict, j.why), (Verdict::Stale, Some(Why::Type)));
    }
}
