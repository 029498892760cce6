//! Against a deployment (a replica, another region, a blue/green twin): keys scanned on the
//! first (`--url`; sampled with `--sample`), read on both, compared by type, by value (strings
//! byte-exact or by `DIGEST` on Redis 8.4+; hashes, sets, sorted sets with scores, lists and
//! streams page by page, so memory is a page whatever a collection's size) and by TTL within
//! `--ttl-tolerance`. Either side may be a cluster.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result};
use futures::StreamExt;
use tracing::{info, warn};

use super::compare::{expiring, same_value, ttl_close, Sampler, Verdict, Why};
use super::output::VerifyReport;
use super::source::chunks;
use super::tally::{Scoper, Tally};
use super::{checks, Item, Judged, Options};
use crate::config::Settings;
use crate::engine::read::{KeyMeta, KeyRead};
use crate::engine::scan::KeyBatch;
use crate::engine::{ConnSettings, Engine};
use crate::signals::Stop;

/// SCAN COUNT on the first deployment.
const SCAN_COUNT: u64 = 500;
/// Elements per page of a collection (HSCAN/SSCAN/ZSCAN COUNT, LRANGE, XRANGE COUNT).
const PAGE: usize = 500;

/// A key found on the first deployment.
pub struct Probe {
    pub key: Vec<u8>,
    pub scope: Arc<str>,
    /// a string found different: a hash of both values as first read, so the recheck can
    /// tell a difference that persists from a key written meanwhile
    pub first: Option<u64>,
}

impl Item for Probe {
    fn key(&self) -> &[u8] {
        &self.key
    }
    fn scope(&self) -> &str {
        &self.scope
    }
}

/// Both deployments.
struct Sides {
    a: Engine,
    b: Engine,
    /// both have `DIGEST` (Redis 8.4+): strings are compared by the servers' digests
    digest: bool,
}

/// One reply per key, in the keys' order, from one call per node of `e`.
async fn per_node<'k, R, F, Fut>(e: &Engine, keys: &[&'k [u8]], f: F) -> Result<Vec<R>>
where
    F: Fn(usize, Vec<&'k [u8]>) -> Fut,
    Fut: Future<Output = Result<Vec<R>>>,
{
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        groups.entry(e.node_for(k)).or_default().push(i);
    }
    let mut out: Vec<Option<R>> = (0..keys.len()).map(|_| None).collect();
    for (node, idx) in groups {
        let replies = f(node, idx.iter().map(|&i| keys[i]).collect()).await?;
        anyhow::ensure!(replies.len() == idx.len(), "a reply per key");
        for (i, r) in idx.into_iter().zip(replies) {
            out[i] = Some(r);
        }
    }
    Ok(out
        .into_iter()
        .map(|r| r.expect("a reply per key"))
        .collect())
}

/// Type, TTL and (strings) value of each key on one side, one pipeline per node.
async fn reads(e: &Engine, keys: &[&[u8]], digest: bool) -> Result<Vec<KeyRead>> {
    per_node(
        e,
        keys,
        |n, ks| async move { e.read_keys(n, &ks, digest).await },
    )
    .await
}

/// The same collection on both sides, compared a page at a time: the sizes first, then
/// every element of the first looked up on the second (same size and every element found
/// with its value: the same collection); lists and streams page by page in order.
async fn same_collection(a: &Engine, b: &Engine, key: &[u8], kind: &str) -> Result<bool> {
    if a.cardinality(key, kind).await? != b.cardinality(key, kind).await? {
        return Ok(false);
    }
    match kind {
        "hash" => {
            let mut cursor = 0;
            loop {
                let (next, page) = a.hash_page(key, cursor, PAGE).await?;
                let fields: Vec<&[u8]> = page.iter().map(|(f, _)| f.as_slice()).collect();
                let theirs = b.hash_fields(key, &fields).await?;
                if page
                    .iter()
                    .zip(&theirs)
                    .any(|((_, v), w)| w.as_deref() != Some(v.as_slice()))
                {
                    return Ok(false);
                }
                cursor = next;
                if cursor == 0 {
                    return Ok(true);
                }
            }
        }
        "set" => {
            let mut cursor = 0;
            loop {
                let (next, page) = a.set_page(key, cursor, PAGE).await?;
                let members: Vec<&[u8]> = page.iter().map(Vec::as_slice).collect();
                if !members.is_empty() && b.set_members(key, &members).await?.contains(&false) {
                    return Ok(false);
                }
                cursor = next;
                if cursor == 0 {
                    return Ok(true);
                }
            }
        }
        "zset" => {
            let mut cursor = 0;
            loop {
                let (next, page) = a.zset_page(key, cursor, PAGE).await?;
                let members: Vec<&[u8]> = page.iter().map(|(m, _)| m.as_slice()).collect();
                if !members.is_empty() {
                    let theirs = b.zset_scores(key, &members).await?;
                    if page.iter().zip(&theirs).any(|((_, s), t)| *t != Some(*s)) {
                        return Ok(false);
                    }
                }
                cursor = next;
                if cursor == 0 {
                    return Ok(true);
                }
            }
        }
        "list" => {
            let mut start = 0u64;
            loop {
                let mine = a.list_page(key, start, PAGE).await?;
                if mine != b.list_page(key, start, PAGE).await? {
                    return Ok(false);
                }
                if mine.len() < PAGE {
                    return Ok(true);
                }
                start += PAGE as u64;
            }
        }
        "stream" => {
            let mut after: Option<String> = None;
            loop {
                let mine = a.stream_page(key, after.as_deref(), PAGE).await?;
                if mine != b.stream_page(key, after.as_deref(), PAGE).await? {
                    return Ok(false);
                }
                if mine.len() < PAGE {
                    return Ok(true);
                }
                after = mine.last().map(|(id, _)| id.clone());
            }
        }
        // a module's type: its size and TTL are all that can be compared
        _ => Ok(true),
    }
}

/// A string's value on each side (`None`: gone meanwhile, or no longer a string).
type Pair = (Option<Vec<u8>>, Option<Vec<u8>>);

fn pair_hash(values: &Pair) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    values.hash(&mut h);
    h.finish()
}

/// Read a batch of keys on both sides and judge each.
async fn check(
    sides: &Sides,
    items: Vec<Probe>,
    o: &Options,
    window_ms: u64,
) -> Result<Vec<Judged<Probe>>> {
    let keys: Vec<&[u8]> = items.iter().map(|p| p.key.as_slice()).collect();
    // one round trip per node on each side: type, TTL, and a string's value
    let (mut ra, mut rb) = futures::try_join!(
        reads(&sides.a, &keys, sides.digest),
        reads(&sides.b, &keys, sides.digest)
    )?;
    let mut values: BTreeMap<usize, Pair> = BTreeMap::new();
    for (i, (a, b)) in ra.iter_mut().zip(rb.iter_mut()).enumerate() {
        if a.meta.kind == "string" && b.meta.kind == "string" {
            values.insert(i, (a.value.take(), b.value.take()));
        }
    }
    let (ma, mb): (Vec<&KeyMeta>, Vec<&KeyMeta>) = (
        ra.iter().map(|r| &r.meta).collect(),
        rb.iter().map(|r| &r.meta).collect(),
    );
    let mut out = Vec::with_capacity(items.len());
    for (i, it) in items.into_iter().enumerate() {
        let (a, b) = (&ma[i], &mb[i]);
        if a.kind == "none" || expiring(a.pttl, window_ms) || expiring(b.pttl, window_ms) {
            // gone from the first meanwhile, or about to expire: not judged
            out.push(Judged::new(it, Verdict::Expiring));
            continue;
        }
        if b.kind == "none" {
            out.push(Judged::new(it, Verdict::Missing));
            continue;
        }
        if a.kind != b.kind {
            out.push(Judged::stale(it, Why::Type));
            continue;
        }
        let (same, shown) = match values.remove(&i) {
            Some((x, y)) => {
                let same = match (&x, &y) {
                    (Some(x), Some(y)) => same_value(o.compare, x, y),
                    _ => false, // changed type between the reads: the recheck settles it
                };
                (same, (x, y))
            }
            None => (
                same_collection(&sides.a, &sides.b, &it.key, &a.kind).await?,
                (None, None),
            ),
        };
        if !same {
            let mut it = it;
            let seen = pair_hash(&shown);
            match it.first {
                // a recheck: the values are not those that differed first, so the key is
                // being written; what differed then did not persist
                Some(h) if h != seen => {
                    out.push(Judged::new(it, Verdict::Changing));
                    continue;
                }
                _ => it.first = Some(seen),
            }
            let mut j = Judged::stale(it, Why::Value);
            if o.show_values && !sides.digest {
                (j.expected, j.actual) = shown;
            }
            out.push(j);
        } else if !ttl_close(a.pttl, b.pttl, o.ttl_tolerance) {
            out.push(Judged::stale(it, Why::Ttl));
        } else {
            out.push(Judged::new(it, Verdict::Fresh));
        }
    }
    Ok(out)
}

/// The first deployment's keys as batches to check; the scan's own failure ends them.
fn scanned(
    rx: tokio::sync::mpsc::Receiver<KeyBatch>,
    handle: tokio::task::JoinHandle<Result<()>>,
    scoper: Scoper,
) -> impl futures::Stream<Item = Result<Vec<Probe>>> {
    futures::stream::unfold(
        (rx, Some(handle), scoper),
        |(mut rx, handle, scoper)| async move {
            match rx.recv().await {
                Some(b) => {
                    let probes = b
                        .keys
                        .into_iter()
                        .map(|key| Probe {
                            scope: scoper.scope(&key),
                            key,
                            first: None,
                        })
                        .collect();
                    Some((Ok(probes), (rx, handle, scoper)))
                }
                None => {
                    let r = handle?.await;
                    match r {
                        Ok(Ok(())) => None,
                        Ok(Err(e)) => Some((Err(e), (rx, None, scoper))),
                        Err(e) => Some((Err(e.into()), (rx, None, scoper))),
                    }
                }
            }
        },
    )
}

pub async fn run(o: &Options, url: &str, s: &Settings, stop: &Stop) -> Result<VerifyReport> {
    let other = ConnSettings {
        urls: url
            .split(',')
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect(),
        force_cluster: false,
        all_nodes: false,
        ..s.conn.clone()
    };
    for u in &other.urls {
        crate::engine::parse_url(u).context("--against")?;
    }
    let a = Engine::connect(&s.conn).await?;
    let b = Engine::connect(&other).await.context("--against")?;
    let touches = a.reads_touch_lru() || b.reads_touch_lru();
    if touches {
        warn!("a server has no CLIENT NO-TOUCH (Redis before 7.2): the reads count as accesses in LRU/LFU");
    }
    let digest = a.has_digest().await && b.has_digest().await;
    if digest {
        info!("both sides have DIGEST: strings are compared by digest, not transferred");
    }
    let sides = Sides { a, b, digest };
    let started = Instant::now();
    let tally = Mutex::new(Tally::default());
    let bar = crate::render::progress::new(s.progress, None, super::PROGRESS);
    let scoper = Scoper {
        fallback: o.pattern.as_deref().map(Arc::from),
        ..Scoper::default()
    }
    .with_profile(s.profile.as_ref().map(|l| &l.profile));
    // keys that may expire before they are read again are not judged
    let window = o.recheck.max(std::time::Duration::from_secs(1)).as_millis() as u64;
    let batch = crate::warm::run::batch_size(o.rate, o.batch);
    let (rx, handle) = sides.a.scan_keys_of_type(
        o.pattern.clone().unwrap_or_else(|| "*".into()),
        SCAN_COUNT.min(batch as u64),
        o.key_type.clone(),
    );
    let keys = scanned(rx, handle, scoper);
    let check = |items| check(&sides, items, o, window);
    let mut sample_sizes = None;
    match o.sample {
        None => checks(keys, check, o, stop, &bar, &tally).await?,
        Some(n) => {
            let mut sample = Sampler::new(n as usize, crate::random::Rng::from_clock().next_u64());
            let mut keys = std::pin::pin!(keys.take_until(stop.wait()));
            while let Some(b) = keys.next().await {
                b?.into_iter().for_each(|p| sample.push(p));
            }
            sample_sizes = Some((sample.seen, sample.items.len() as u64));
            let batches = chunks(sample.items, batch);
            checks(futures::stream::iter(batches), check, o, stop, &bar, &tally).await?;
        }
    }
    bar.finish_and_clear();
    Ok(VerifyReport::new(
        "against",
        tally.into_inner().expect("tally"),
        o,
        s,
        started.elapsed(),
        sample_sizes,
        touches,
        stop,
    ))
}
