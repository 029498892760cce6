//! Walking the plans against the server: count (dry run), collect (for `--max-keys`), or
//! delete / cap TTLs in `--batch` sized pipelines as keys arrive.
//!
//! Counts are exact: SCAN may return a key twice (while the server resizes its hash table,
//! which deletions cause), so matched keys are deduplicated by a keyed 64-bit hash (16 bytes
//! per matched key). The stop token is checked between batches; a batch whose reply is lost
//! counts as `unknown`.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{anyhow, Result};
use indicatif::ProgressBar;

use super::output::Row;
use super::plan::{Plan, Target};
use super::tags::escape_key;
use crate::engine::tags::{Member, Resolved};
use crate::engine::Engine;
use crate::error::Interrupted;
use crate::ratelimit::Pacer;
use crate::signals::Stop;
use crate::tags::Layout;

const SAMPLE_KEYS: usize = 10;
pub const SCAN_COUNT: u64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// count and sample
    DryRun,
    /// hold the matched keys (up to the --max-keys budget) to delete after the guard
    Collect,
    /// delete (or cap TTLs) as batches arrive
    Apply,
}

/// `--max-keys`: how many keys all selectors together may hold.
#[derive(Debug, Default)]
pub struct Budget {
    pub limit: u64,
    pub held: u64,
    pub over: bool,
}

/// Per-plan working state.
#[derive(Default)]
pub struct Work {
    seen: HashSet<u64>,
    pub row: Row,
    /// Collect mode: the keys to delete once every guard has passed
    pub collected: Vec<Vec<u8>>,
    pub nodes: HashSet<usize>,
    /// Collect mode: how much of `row.matched` came from tag members (counted, not held:
    /// tags are invalidated page by page after the guards, `apply_collected`)
    pub tag_matched: u64,
}

pub struct Runner<'a> {
    pub engine: &'a Engine,
    pub a: &'a super::Options,
    pub stop: &'a Stop,
    pacer: Option<Arc<Pacer>>,
    hasher: RandomState,
    pub bar: ProgressBar,
    pub budget: Mutex<Budget>,
}

impl<'a> Runner<'a> {
    pub fn new(engine: &'a Engine, a: &'a super::Options, stop: &'a Stop, progress: bool) -> Self {
        Runner {
            engine,
            a,
            stop,
            pacer: a.rate.map(|r| Arc::new(Pacer::new(r))),
            hasher: RandomState::new(),
            bar: spinner(progress),
            budget: Mutex::new(Budget {
                limit: a.max_keys.unwrap_or(u64::MAX),
                ..Budget::default()
            }),
        }
    }

    fn check_stop(&self) -> Result<()> {
        if self.stop.is_set() {
            return Err(anyhow::Error::new(Interrupted));
        }
        Ok(())
    }

    /// Feed one batch of candidate keys owned by `node`. `known_to_exist`: SCAN just saw
    /// them (listed keys and tag members may not exist).
    async fn feed(
        &self,
        node: usize,
        keys: Vec<Vec<u8>>,
        mode: Mode,
        w: &mut Work,
        known_to_exist: bool,
    ) -> Result<()> {
        let fresh: Vec<Vec<u8>> = keys
            .into_iter()
            .filter(|k| w.seen.insert(self.hasher.hash_one(k)))
            .collect();
        if fresh.is_empty() {
            return Ok(());
        }
        w.nodes.insert(node);
        w.row.matched += fresh.len() as u64;
        match mode {
            Mode::DryRun => {
                if !known_to_exist {
                    let present = self.engine.exists(node, &fresh).await?;
                    w.row.missing += fresh.len() as u64 - present;
                }
                for k in fresh
                    .iter()
                    .take(SAMPLE_KEYS.saturating_sub(w.row.sample_keys.len()))
                {
                    w.row.sample_keys.push(crate::keys::key_text(k));
                }
                self.bar.inc(fresh.len() as u64);
            }
            Mode::Collect => {
                self.bar.inc(fresh.len() as u64);
                let mut b = self.budget.lock().expect("budget");
                b.held += fresh.len() as u64;
                if b.held > b.limit {
                    // past the limit keep counting (for an exact message) but hold nothing
                    b.over = true;
                    w.collected = Vec::new();
                } else {
                    w.collected.extend(fresh);
                }
            }
            Mode::Apply => self.apply(node, &fresh, w, known_to_exist).await?,
        }
        Ok(())
    }

    /// Delete or cap, in --batch sized pipelines, paced by --rate; stops between batches.
    pub async fn apply(
        &self,
        node: usize,
        keys: &[Vec<u8>],
        w: &mut Work,
        known_to_exist: bool,
    ) -> Result<()> {
        for chunk in keys.chunks(self.a.batch.max(1)) {
            self.check_stop()?;
            if let Some(p) = &self.pacer {
                p.acquire(chunk.len()).await;
            }
            let result = match self.a.soft {
                Some(d) => {
                    if !known_to_exist {
                        // the TTL cap cannot tell a missing key from a shorter TTL: ask first
                        let present = self.engine.exists(node, chunk).await?;
                        w.row.missing += chunk.len() as u64 - present;
                    }
                    self.engine
                        .cap_ttl(node, chunk, soft_ms(d))
                        .await
                        .map(|n| w.row.expired += n)
                }
                None => self.engine.unlink(node, chunk).await.map(|n| {
                    w.row.deleted += n;
                    w.row.missing += chunk.len() as u64 - n;
                }),
            };
            if let Err(e) = result {
                // the batch was sent; whether it ran is not known: never guessed
                w.row.unknown += chunk.len() as u64;
                return Err(e.context(format!(
                    "the reply to a batch of {} was lost: they may or may not be {}",
                    if chunk.len() == 1 {
                        "1 key".to_string()
                    } else {
                        format!("{} keys", chunk.len())
                    },
                    if self.a.soft.is_some() {
                        "capped"
                    } else {
                        "deleted"
                    }
                )));
            }
            self.bar.inc(chunk.len() as u64);
        }
        Ok(())
    }

    /// Label the progress spinner and restart its count.
    pub fn phase(&self, verb: &'static str) {
        self.bar.set_message(verb);
        self.bar.set_position(0);
        self.bar.reset_eta();
    }

    /// Walk every target of a plan in `mode`.
    pub async fn walk(&self, plan: &Plan, mode: Mode, w: &mut Work) -> Result<()> {
        for t in &plan.targets {
            match t {
                Target::Keys(keys) => {
                    for chunk in keys.chunks(SCAN_COUNT as usize) {
                        self.check_stop()?;
                        for (node, ks) in self.engine.by_node(chunk.to_vec()) {
                            self.feed(node, ks, mode, w, false).await?;
                        }
                    }
                }
                Target::Glob(g) => {
                    let (mut rx, handle) = self.engine.scan_keys(g.clone(), SCAN_COUNT);
                    let mut walked = Ok(());
                    while let Some(b) = rx.recv().await {
                        walked = match self.check_stop() {
                            Ok(()) => self.feed(b.node, b.keys, mode, w, true).await,
                            Err(e) => Err(e),
                        };
                        if walked.is_err() {
                            break;
                        }
                    }
                    if walked.is_err() {
                        handle.abort();
                        return walked;
                    }
                    handle.await.map_err(|e| anyhow!("scan task: {e}"))??;
                }
                Target::TagIndex(r) => self.walk_tag(r, mode, w).await?,
                Target::Tag(q) => {
                    return Err(anyhow!("tag `{}` was not resolved", q.tag));
                }
            }
        }
        Ok(())
    }
}

/// Tags: resolved indexes walked page by page (docs/tag-layouts.md, "What cachectl does").
///
/// Every mode counts the same things, so `matched` agrees between a dry run and a real run:
/// each distinct item key named by a member (a TagAwareAdapter version key counts as one);
/// `missing` = those whose item did not exist. Keys counted by an earlier target of the same
/// plan (a namespace's pattern, another tag) are not counted again.
impl Runner<'_> {
    async fn walk_tag(&self, r: &Resolved, mode: Mode, w: &mut Work) -> Result<()> {
        let name = escape_key(&r.index.key);
        if !w.row.tag_indexes.contains(&name) {
            w.row.tag_indexes.push(name);
        }
        let info = |field: &mut Option<String>, v: String| match field {
            Some(f) if f.split(", ").any(|x| x == v) => {}
            Some(f) => *f = format!("{f}, {v}"),
            None => *field = Some(v),
        };
        info(&mut w.row.format, r.index.layout.name().to_string());
        info(&mut w.row.index, escape_key(&r.index.key));
        info(&mut w.row.key_prefix, escape_key(&r.key_prefix));
        info(&mut w.row.tag_prefix, escape_key(&r.tag_prefix));
        match r.index.layout {
            Layout::SymfonyTagAware0 | Layout::SymfonyTagAware1 => {
                self.version_key(&r.index.key, mode, w).await
            }
            Layout::LaravelRefs => {
                let Some((id, raw)) = self.engine.laravel_tag_id(&r.index.key).await? else {
                    return Ok(()); // the tag was flushed meanwhile: nothing left to do
                };
                if mode == Mode::Apply && self.a.soft.is_none() {
                    // Laravel's invalidation point first: from now on every item of this
                    // namespace id is a miss and new writes get a new id (new reference sets)
                    self.check_stop()?;
                    self.engine.laravel_forget_tag(&r.index.key, &raw).await?;
                }
                for set in Layout::laravel_ref_sets(&r.index.x, &id) {
                    self.tag_pages(&set, Layout::LaravelRefs, &r.key_prefix, mode, w)
                        .await?;
                }
                Ok(())
            }
            l => {
                self.tag_pages(&r.index.key, l, &r.member_prefix, mode, w)
                    .await
            }
        }
    }

    /// Symfony TagAwareAdapter: the tag's version key is what its invalidation deletes
    /// (`--soft`: its TTL is capped, so the items read as misses from then on).
    async fn version_key(&self, key: &[u8], mode: Mode, w: &mut Work) -> Result<()> {
        if !w.seen.insert(self.hasher.hash_one(key)) {
            return Ok(());
        }
        let node = self.engine.node_for(key);
        w.nodes.insert(node);
        w.row.matched += 1;
        let keys = [key.to_vec()];
        match mode {
            Mode::DryRun => {
                w.row.missing += 1 - self.engine.exists(node, &keys).await?;
                w.row.sample_keys.push(escape_key(key));
            }
            Mode::Collect => {
                w.tag_matched += 1;
                self.hold(1, w);
            }
            Mode::Apply => self.apply(node, &keys, w, false).await?,
        }
        self.bar.inc(1);
        Ok(())
    }

    /// After the collect pass: only the held keys count as seen (the tags are walked again).
    pub fn reset_seen(&self, w: &mut Work, held: &[Vec<u8>]) {
        w.seen = held.iter().map(|k| self.hasher.hash_one(k)).collect();
    }

    /// Count members toward `--max-keys` without holding them.
    fn hold(&self, n: u64, w: &mut Work) {
        let mut b = self.budget.lock().expect("budget");
        b.held += n;
        if b.held > b.limit {
            b.over = true;
            w.collected = Vec::new();
        }
    }

    /// Page through one set/zset index: SSCAN/ZSCAN, members deduplicated per index (a scan
    /// may return one twice), pages of at most `--batch`, the stop token checked before each.
    async fn tag_pages(
        &self,
        index: &[u8],
        layout: Layout,
        member_prefix: &[u8],
        mode: Mode,
        w: &mut Work,
    ) -> Result<()> {
        let ty = layout.members_type();
        let batch = self.a.batch.max(1);
        let mut in_index: HashSet<u64> = HashSet::new();
        // Apply: the previous page's deleted members, checked again after the next page
        // (an index-first writer's ZADD+SET straddling our removal is put back)
        let mut previous: Vec<Member> = Vec::new();
        let mut cursor = 0;
        loop {
            self.check_stop()?;
            let (next, page) = self
                .engine
                .tag_scan_page(index, ty, cursor, SCAN_COUNT)
                .await?;
            let fresh: Vec<Member> = page
                .into_iter()
                .filter(|m| in_index.insert(self.hasher.hash_one(&m.member)))
                .collect();
            for chunk in fresh.chunks(batch) {
                self.check_stop()?;
                let deleted = self
                    .tag_page(index, layout, member_prefix, chunk, mode, w, &previous)
                    .await?;
                previous = deleted;
            }
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        if mode == Mode::Apply && self.a.soft.is_none() && !previous.is_empty() {
            self.engine
                .tag_readd(index, layout, member_prefix, &previous)
                .await?;
        }
        Ok(())
    }

    /// One page in `mode`; returns the members whose item it deleted (Apply).
    #[allow(clippy::too_many_arguments)]
    async fn tag_page(
        &self,
        index: &[u8],
        layout: Layout,
        member_prefix: &[u8],
        page: &[Member],
        mode: Mode,
        w: &mut Work,
        previous: &[Member],
    ) -> Result<Vec<Member>> {
        let full = |m: &Member| [member_prefix, m.member.as_slice()].concat();
        // which members name a key not counted yet (by this plan's earlier targets)
        let new: Vec<bool> = page
            .iter()
            .map(|m| w.seen.insert(self.hasher.hash_one(full(m))))
            .collect();
        let new_keys: Vec<Vec<u8>> = page
            .iter()
            .zip(&new)
            .filter(|(_, &n)| n)
            .map(|(m, _)| full(m))
            .collect();
        let n_new = new_keys.len() as u64;
        for k in &new_keys {
            w.nodes.insert(self.engine.node_for(k));
        }
        match mode {
            Mode::DryRun => {
                w.row.matched += n_new;
                let present = self.engine.exists_anywhere(new_keys.clone()).await?;
                w.row.missing += n_new - present;
                for k in new_keys
                    .iter()
                    .take(SAMPLE_KEYS.saturating_sub(w.row.sample_keys.len()))
                {
                    w.row.sample_keys.push(escape_key(k));
                }
                self.bar.inc(n_new);
                Ok(Vec::new())
            }
            Mode::Collect => {
                w.row.matched += n_new;
                w.tag_matched += n_new;
                self.hold(n_new, w);
                self.bar.inc(n_new);
                Ok(Vec::new())
            }
            Mode::Apply => {
                if let Some(p) = &self.pacer {
                    p.acquire(page.len()).await;
                }
                w.row.matched += n_new;
                if let Some(d) = self.a.soft {
                    // cap the items' TTLs; the index stays (it must keep reaching them)
                    let present = self.engine.exists_anywhere(new_keys).await?;
                    w.row.missing += n_new - present;
                    let members: Vec<Member> = page
                        .iter()
                        .zip(&new)
                        .filter(|(_, &n)| n)
                        .map(|(m, _)| m.clone())
                        .collect();
                    match self
                        .engine
                        .tag_soft_page(member_prefix, &members, soft_ms(d))
                        .await
                    {
                        Ok(n) => w.row.expired += n,
                        Err(e) => {
                            w.row.unknown += n_new;
                            return Err(lost(e, n_new, "capped"));
                        }
                    }
                    self.bar.inc(n_new);
                    return Ok(Vec::new());
                }
                // every member of the page goes to the script (so a member shared with an
                // earlier target still leaves this index), counted once
                let o = match self
                    .engine
                    .tag_page(index, layout, member_prefix, page)
                    .await
                {
                    Ok(o) => o,
                    Err(e) => {
                        w.row.unknown += n_new;
                        return Err(lost(e, n_new, "deleted"));
                    }
                };
                let gone: HashSet<&[u8]> = o
                    .deleted_members
                    .iter()
                    .map(|m| m.member.as_slice())
                    .collect();
                for (m, &n) in page.iter().zip(&new) {
                    match (n, gone.contains(m.member.as_slice())) {
                        (true, true) => w.row.deleted += 1,
                        (true, false) => w.row.missing += 1,
                        // counted before, deleted before; written again meanwhile and
                        // deleted now: a key of its own
                        (false, true) => {
                            w.row.matched += 1;
                            w.row.deleted += 1;
                        }
                        (false, false) => {}
                    }
                }
                self.engine
                    .tag_readd(index, layout, member_prefix, previous)
                    .await?;
                self.bar.inc(n_new);
                Ok(o.deleted_members)
            }
        }
    }
}

/// A page whose reply was lost: it may or may not have run; never guessed.
fn lost(e: anyhow::Error, n: u64, what: &str) -> anyhow::Error {
    e.context(format!(
        "the reply to a page of {} was lost: they may or may not be {what}",
        if n == 1 {
            "1 tagged key".to_string()
        } else {
            format!("{n} tagged keys")
        }
    ))
}

impl Drop for Runner<'_> {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

fn soft_ms(d: Duration) -> u64 {
    d.as_millis().max(1) as u64
}

/// The spinner of a run: keys done, what is being done, keys per second.
pub const PROGRESS: &str = "{spinner} {human_pos} keys {msg}  {rate}";

fn spinner(enabled: bool) -> ProgressBar {
    crate::render::progress::new(enabled, None, PROGRESS)
}
