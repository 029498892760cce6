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
use indicatif::{ProgressBar, ProgressStyle};

use super::output::Row;
use super::plan::{Plan, Target};
use crate::cli::InvalidateArgs;
use crate::engine::Engine;
use crate::error::Interrupted;
use crate::ratelimit::Pacer;
use crate::signals::Stop;
use crate::units::human_count;

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
}

pub struct Runner<'a> {
    pub engine: &'a Engine,
    pub a: &'a InvalidateArgs,
    pub stop: &'a Stop,
    pacer: Option<Arc<Pacer>>,
    hasher: RandomState,
    pub bar: ProgressBar,
    pub budget: Mutex<Budget>,
}

impl<'a> Runner<'a> {
    pub fn new(engine: &'a Engine, a: &'a InvalidateArgs, stop: &'a Stop, progress: bool) -> Self {
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
                    w.row.sample_keys.push(crate::patterns::key_text(k));
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

    /// Remove a tag index once its keys are done (never with --soft: the index must keep
    /// reaching items whose TTL was only capped).
    pub async fn drop_index(&self, index: &[u8]) -> Result<()> {
        if self.a.soft.is_some() {
            return Ok(());
        }
        self.check_stop()?;
        let node = self.engine.node_for(index);
        self.engine.unlink(node, &[index.to_vec()]).await?;
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
                Target::TagIndex {
                    index,
                    member_prefix,
                } => {
                    let name = crate::patterns::key_text(index);
                    // TYPE once per index, then page through it
                    let Some(zset) = self.engine.index_kind(index).await? else {
                        tracing::warn!(
                            "tag index `{name}` does not exist: nothing to invalidate for it"
                        );
                        continue;
                    };
                    if !w.row.tag_indexes.contains(&name) {
                        w.row.tag_indexes.push(name);
                    }
                    let mut cursor = 0;
                    loop {
                        self.check_stop()?;
                        let (next, members) = self
                            .engine
                            .scan_members(index, zset, cursor, SCAN_COUNT)
                            .await?;
                        let keys: Vec<Vec<u8>> = members
                            .into_iter()
                            .map(|m| [member_prefix.as_slice(), &m].concat())
                            .collect();
                        for (node, ks) in self.engine.by_node(keys) {
                            self.feed(node, ks, mode, w, false).await?;
                        }
                        cursor = next;
                        if cursor == 0 {
                            break;
                        }
                    }
                    // the index goes with its keys
                    if mode == Mode::Apply {
                        self.drop_index(index).await?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Drop for Runner<'_> {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

fn soft_ms(d: Duration) -> u64 {
    d.as_millis().max(1) as u64
}

fn spinner(enabled: bool) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{spinner} {human_pos} keys {msg}  {rate}")
        .expect("template")
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{} keys/s", human_count(s.per_sec() as u64));
            },
        );
    let b = ProgressBar::new_spinner().with_style(style);
    b.enable_steady_tick(Duration::from_millis(200));
    b
}
