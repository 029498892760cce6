//! Walking the plans against the server: count (dry run), collect (for `--max-keys`), or
//! delete / cap TTLs in `--batch` sized pipelines as keys arrive.
//!
//! Counts are exact: SCAN may return a key twice (while the server resizes its hash table,
//! which deletions cause), so matched keys are deduplicated by a keyed 64-bit hash (16 bytes
//! per matched key). The stop token is checked between batches.
//!
//! A failover is followed (`Link`): a walk resumes on whichever node owns the slots it had
//! not finished (SCAN from cursor 0 there; keys already counted are not counted again), and
//! a batch whose reply was lost is sent again once reconnected: what it removes now is
//! `deleted`, what was already gone is `unknown` (removed by the lost batch, or gone by
//! itself: never guessed). Only an outage past the budget ends the run.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{anyhow, Result};
use indicatif::ProgressBar;

use super::link::Link;
use super::output::Row;
use super::plan::{Plan, Target};
use crate::engine::tags::{Member, Resolved};
use crate::engine::Engine;
use crate::error::Interrupted;
use crate::keys::key_text;
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
    /// the nodes (addresses) that held selected keys: after a failover, the new owner too
    pub nodes: HashSet<String>,
    /// Collect mode: how much of `row.matched` came from tag members (counted, not held:
    /// tags are invalidated page by page after the guards, `apply_collected`)
    pub tag_matched: u64,
    /// a walk resumed after a failover: keys seen again are deleted again (uncounted)
    rescan: bool,
}

pub struct Runner<'a> {
    pub link: Link,
    pub a: &'a super::Options,
    pub stop: &'a Stop,
    pacer: Option<Arc<Pacer>>,
    hasher: RandomState,
    pub bar: ProgressBar,
    pub budget: Mutex<Budget>,
}

impl<'a> Runner<'a> {
    pub fn new(link: Link, a: &'a super::Options, stop: &'a Stop, progress: bool) -> Self {
        Runner {
            link,
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

    /// The engine that serves now (replaced after a failover).
    pub fn engine(&self) -> Arc<Engine> {
        self.link.engine()
    }

    /// A read that can simply be asked again (EXISTS): retried on the engine that serves
    /// once reconnected.
    async fn read<T, F, Fut>(&self, f: F) -> Result<T>
    where
        F: Fn(Arc<Engine>) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        loop {
            let (generation, engine) = self.link.current();
            match f(engine).await {
                Ok(v) => {
                    self.link.progress();
                    return Ok(v);
                }
                Err(e) => self.link.recover(generation, e).await?,
            }
        }
    }

    /// Feed one batch of candidate keys (one node's). `known_to_exist`: SCAN just saw them
    /// (listed keys and tag members may not exist).
    async fn feed(
        &self,
        engine: &Engine,
        keys: Vec<Vec<u8>>,
        mode: Mode,
        w: &mut Work,
        known_to_exist: bool,
    ) -> Result<()> {
        let (fresh, counted): (Vec<Vec<u8>>, Vec<Vec<u8>>) = keys
            .into_iter()
            .partition(|k| w.seen.insert(self.hasher.hash_one(k)));
        if w.rescan && mode == Mode::Apply && !counted.is_empty() {
            // after a failover: a key counted (and deleted) before may be back, its deletion
            // lost with the old primary; deleted again, not counted again
            let mut again = Work::default();
            self.apply(counted, &mut again, true).await?;
        }
        if fresh.is_empty() {
            return Ok(());
        }
        w.nodes
            .insert(engine.nodes[engine.node_for(&fresh[0])].addr.clone());
        w.row.matched += fresh.len() as u64;
        match mode {
            Mode::DryRun => {
                if !known_to_exist {
                    let present = self
                        .read(|e| {
                            let keys = fresh.clone();
                            async move { e.exists_anywhere(keys).await }
                        })
                        .await?;
                    w.row.missing += fresh.len() as u64 - present;
                }
                for k in fresh
                    .iter()
                    .take(SAMPLE_KEYS.saturating_sub(w.row.sample_keys.len()))
                {
                    w.row.sample_keys.push(key_text(k));
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
            Mode::Apply => self.apply(fresh, w, known_to_exist).await?,
        }
        Ok(())
    }

    /// Delete or cap, in --batch sized pipelines per node, paced by --rate; stops between
    /// batches.
    pub async fn apply(
        &self,
        keys: Vec<Vec<u8>>,
        w: &mut Work,
        known_to_exist: bool,
    ) -> Result<()> {
        let engine = self.engine();
        for (node, ks) in engine.by_node(keys) {
            w.nodes.insert(engine.nodes[node].addr.clone());
            for chunk in ks.chunks(self.a.batch.max(1)) {
                self.check_stop()?;
                if let Some(p) = &self.pacer {
                    p.acquire(chunk.len()).await;
                }
                self.apply_batch(chunk, w, known_to_exist).await?;
                self.bar.inc(chunk.len() as u64);
            }
        }
        Ok(())
    }

    /// One batch, on whichever node owns its keys now. A batch whose reply was lost is
    /// sent again once reconnected (UNLINK of a key already gone is harmless): what it
    /// removes then is exact, the rest is `unknown`. Keys not sent yet when a node failed
    /// keep their ordinary accounting.
    async fn apply_batch(
        &self,
        batch: &[Vec<u8>],
        w: &mut Work,
        known_to_exist: bool,
    ) -> Result<()> {
        let (mut unsent, mut lost): (Vec<Vec<u8>>, Vec<Vec<u8>>) = (batch.to_vec(), Vec::new());
        loop {
            let (generation, engine) = self.link.writer();
            let mut failure = None;
            for (was_lost, keys) in [
                (true, std::mem::take(&mut lost)),
                (false, std::mem::take(&mut unsent)),
            ] {
                for (node, ks) in engine.by_node(keys) {
                    if failure.is_some() {
                        if was_lost {
                            lost.extend(ks)
                        } else {
                            unsent.extend(ks)
                        }
                        continue;
                    }
                    match self.send(&engine, node, &ks, known_to_exist).await {
                        Ok(done) => {
                            self.link.progress();
                            w.nodes.insert(engine.nodes[node].addr.clone());
                            done.account(&mut w.row, ks.len() as u64, was_lost);
                        }
                        Err(e) => {
                            // sent: whether it ran is not known until it is sent again
                            failure = Some(e);
                            lost.extend(ks);
                        }
                    }
                }
            }
            let Some(e) = failure else {
                return Ok(());
            };
            if let Err(e) = self.link.recover(generation, e).await {
                // the keys never sent stay matched, not deleted: only the lost ones are unknown
                let n = lost.len() as u64;
                w.row.unknown += n;
                return Err(e.context(format!(
                    "the reply to a batch of {} was lost: they may or may not be {}",
                    if n == 1 {
                        "1 key".to_string()
                    } else {
                        format!("{n} keys")
                    },
                    if self.a.soft.is_some() {
                        "capped"
                    } else {
                        "deleted"
                    }
                )));
            }
        }
    }

    /// Send one node's part of a batch: UNLINK, or (`--soft`) EXISTS then the TTL cap.
    async fn send(
        &self,
        engine: &Engine,
        node: usize,
        keys: &[Vec<u8>],
        known_to_exist: bool,
    ) -> Result<Sent> {
        match self.a.soft {
            Some(d) => {
                // the TTL cap cannot tell a missing key from a shorter TTL: ask first
                let present = if known_to_exist {
                    keys.len() as u64
                } else {
                    engine.exists(node, keys).await?
                };
                let changed = engine.cap_ttl(node, keys, soft_ms(d)).await?;
                Ok(Sent::Capped { present, changed })
            }
            None => Ok(Sent::Unlinked(engine.unlink(node, keys).await?)),
        }
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
                        let engine = self.engine();
                        for (_, ks) in engine.by_node(chunk.to_vec()) {
                            self.feed(&engine, ks, mode, w, false).await?;
                        }
                    }
                }
                Target::Glob(g) => self.walk_glob(g, mode, w).await?,
                Target::TagIndex(r) => self.walk_tag(r, mode, w).await?,
                Target::Tag(q) => {
                    return Err(anyhow!("tag `{}` was not resolved", q.tag));
                }
            }
        }
        Ok(())
    }

    /// SCAN MATCH on every primary in turn. After a failover the slots not walked to the end
    /// are scanned again from cursor 0 on whichever node owns them now (keys counted before
    /// are not counted again; keys deleted before are gone).
    async fn walk_glob(&self, glob: &str, mode: Mode, w: &mut Work) -> Result<()> {
        // the slots whose node was walked to the end (standalone: slot 0 stands for all)
        let mut done = vec![false; crate::engine::slot::SLOTS as usize];
        loop {
            let (generation, engine) = self.link.current();
            let walked = |i: usize| {
                if engine.slot_owner.is_empty() {
                    done[0]
                } else {
                    (0..crate::engine::slot::SLOTS)
                        .filter(|&s| engine.serves(i, s))
                        .all(|s| done[s as usize])
                }
            };
            let todo: Vec<usize> = (0..engine.nodes.len()).filter(|&i| !walked(i)).collect();
            if todo.is_empty() {
                return Ok(());
            }
            let mut failure = None;
            for i in todo {
                match self.scan_node(&engine, i, glob, mode, w).await {
                    Ok(()) => {
                        for s in 0..crate::engine::slot::SLOTS {
                            if engine.serves(i, s) {
                                done[s as usize] = true;
                            }
                        }
                    }
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
            if let Some(e) = failure {
                self.link.recover(generation, e).await?;
                w.rescan = true;
            }
        }
    }

    /// One node's SCAN, from cursor 0 to the end; the next page is asked for while this one
    /// is counted or deleted.
    async fn scan_node(
        &self,
        engine: &Engine,
        node: usize,
        glob: &str,
        mode: Mode,
        w: &mut Work,
    ) -> Result<()> {
        let mut page = engine.scan_page(node, 0, glob, SCAN_COUNT).await?;
        loop {
            self.check_stop()?;
            let (next, keys) = page;
            let ahead = async {
                match next {
                    0 => Ok(None),
                    c => engine.scan_page(node, c, glob, SCAN_COUNT).await.map(Some),
                }
            };
            let (fed, ahead) = tokio::join!(self.feed(engine, keys, mode, w, true), ahead);
            fed?;
            match ahead? {
                Some(p) => {
                    self.link.progress();
                    page = p;
                }
                None => return Ok(()),
            }
        }
    }
}

/// What one node's part of a batch did.
enum Sent {
    /// UNLINK: how many keys existed and were removed
    Unlinked(u64),
    /// `--soft`: how many keys exist, and how many TTLs were capped
    Capped { present: u64, changed: u64 },
}

impl Sent {
    /// Count `n` keys sent. `again`: the batch was sent before and its reply lost, so a key
    /// already gone (or already capped) may be this run's doing: `unknown`, never guessed.
    fn account(self, row: &mut Row, n: u64, again: bool) {
        match self {
            Sent::Unlinked(d) => {
                row.deleted += d;
                if again {
                    row.unknown += n - d;
                } else {
                    row.missing += n - d;
                }
            }
            Sent::Capped { present, changed } => {
                row.expired += changed;
                row.missing += n - present;
                if again {
                    row.unknown += present.saturating_sub(changed);
                }
            }
        }
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
        let name = key_text(&r.index.key);
        if !w.row.tag_indexes.contains(&name) {
            w.row.tag_indexes.push(name);
        }
        let info = |field: &mut Option<String>, v: String| match field {
            Some(f) if f.split(", ").any(|x| x == v) => {}
            Some(f) => *f = format!("{f}, {v}"),
            None => *field = Some(v),
        };
        info(&mut w.row.format, r.index.layout.name().to_string());
        info(&mut w.row.index, key_text(&r.index.key));
        info(&mut w.row.key_prefix, key_text(&r.key_prefix));
        info(&mut w.row.tag_prefix, key_text(&r.tag_prefix));
        match r.index.layout {
            Layout::SymfonyTagAware0 | Layout::SymfonyTagAware1 => {
                self.version_key(&r.index.key, mode, w).await
            }
            Layout::LaravelRefs => {
                let engine = self.engine();
                let Some((id, raw)) = engine.laravel_tag_id(&r.index.key).await? else {
                    return Ok(()); // the tag was flushed meanwhile: nothing left to do
                };
                if mode == Mode::Apply && self.a.soft.is_none() {
                    // Laravel's invalidation point first: from now on every item of this
                    // namespace id is a miss and new writes get a new id (new reference sets)
                    self.check_stop()?;
                    engine.laravel_forget_tag(&r.index.key, &raw).await?;
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
        let engine = self.engine();
        let node = engine.node_for(key);
        w.nodes.insert(engine.nodes[node].addr.clone());
        w.row.matched += 1;
        let keys = [key.to_vec()];
        match mode {
            Mode::DryRun => {
                w.row.missing += 1 - engine.exists(node, &keys).await?;
                w.row.sample_keys.push(key_text(key));
            }
            Mode::Collect => {
                w.tag_matched += 1;
                self.hold(1, w);
            }
            Mode::Apply => self.apply(keys.to_vec(), w, false).await?,
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
                .engine()
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
            self.engine()
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
        let engine = self.engine();
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
            w.nodes
                .insert(engine.nodes[engine.node_for(k)].addr.clone());
        }
        match mode {
            Mode::DryRun => {
                w.row.matched += n_new;
                let present = engine.exists_anywhere(new_keys.clone()).await?;
                w.row.missing += n_new - present;
                for k in new_keys
                    .iter()
                    .take(SAMPLE_KEYS.saturating_sub(w.row.sample_keys.len()))
                {
                    w.row.sample_keys.push(key_text(k));
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
                    let present = engine.exists_anywhere(new_keys).await?;
                    w.row.missing += n_new - present;
                    let members: Vec<Member> = page
                        .iter()
                        .zip(&new)
                        .filter(|(_, &n)| n)
                        .map(|(m, _)| m.clone())
                        .collect();
                    match engine
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
                let o = match engine.tag_page(index, layout, member_prefix, page).await {
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
                engine
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_sent_again_counts_what_is_gone_as_unknown() {
        let mut row = Row::default();
        Sent::Unlinked(480).account(&mut row, 500, false);
        assert_eq!((row.deleted, row.missing, row.unknown), (480, 20, 0));
        // its reply was lost: sent again, 300 were still there, 200 already gone
        Sent::Unlinked(300).account(&mut row, 500, true);
        assert_eq!((row.deleted, row.missing, row.unknown), (780, 20, 200));
        let mut row = Row::default();
        Sent::Capped {
            present: 90,
            changed: 60,
        }
        .account(&mut row, 100, true);
        assert_eq!((row.expired, row.missing, row.unknown), (60, 10, 30));
    }
}
