//! `--verify`: after the run, every node of every shard (primaries and their replicas) is
//! scanned again for keys the selector matches (listed keys: `EXISTS` on each node of their
//! shard), and what is left is reported: the seeds' "all nodes invalidate". A replica a few
//! milliseconds behind is not a failure: keys found are looked for once more after
//! [`SETTLE`] (the seeds' 100 ms), and only what is still there counts.

use std::collections::HashSet;
use std::time::Duration;

use anyhow::{Context, Result};

use super::plan::{Plan, Target};
use crate::engine::{ConnSettings, Engine};

/// How long replicas get to apply the deletes before a second look.
pub const SETTLE: Duration = Duration::from_millis(100);
/// Keys listed as left, per selector.
const EXAMPLES: usize = 10;
/// Distinct keys remembered while counting what is left (memory bound; the count goes on).
const DISTINCT: usize = 100_000;
const SCAN_COUNT: u64 = 1000;

/// What one selector left behind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Left {
    /// keys still there (each counted once, whatever the number of nodes holding it)
    pub keys: u64,
    /// nodes holding any of them
    pub nodes: usize,
    pub examples: Vec<String>,
    /// tag selectors: their items are not looked for again (the index names them no more)
    pub unchecked: bool,
}

/// Every node of every shard, primaries and replicas; the primaries when that fails (a user
/// without `INFO`, which reading every node's role needs), said in one warning line.
pub async fn all_nodes(conn: &ConnSettings) -> Result<Engine> {
    let mut all = conn.clone();
    all.all_nodes = true;
    match Engine::connect(&all).await {
        Ok(e) => Ok(e),
        Err(e) => {
            tracing::warn!(
                "--verify: cannot reach every node ({}): checking the primaries only",
                crate::error::one_line(&e)
            );
            let mut primaries = conn.clone();
            primaries.replicas = false;
            Engine::connect(&primaries)
                .await
                .context("--verify: connecting again")
        }
    }
}

async fn look(engine: &Engine, plan: &Plan) -> Result<Left> {
    let mut left = Left::default();
    let mut seen: HashSet<Vec<u8>> = HashSet::new();
    let mut nodes: HashSet<usize> = HashSet::new();
    for t in &plan.targets {
        match t {
            Target::Glob(g) => {
                let (mut rx, handle) = engine.scan_keys(g.clone(), SCAN_COUNT);
                while let Some(b) = rx.recv().await {
                    nodes.insert(b.node);
                    for k in b.keys {
                        if seen.contains(&k) {
                            continue;
                        }
                        if left.examples.len() < EXAMPLES {
                            left.examples.push(crate::keys::key_text(&k));
                        }
                        left.keys += 1;
                        if seen.len() < DISTINCT {
                            seen.insert(k);
                        }
                    }
                }
                handle.await.context("--verify scan")??;
            }
            Target::Keys(keys) => {
                for k in keys {
                    let shard = engine.nodes[engine.node_for(k)].shard;
                    let mut here = false;
                    for (i, n) in engine.nodes.iter().enumerate() {
                        if n.shard == shard && engine.exists(i, std::slice::from_ref(k)).await? > 0
                        {
                            nodes.insert(i);
                            here = true;
                        }
                    }
                    if here && seen.insert(k.clone()) {
                        left.keys += 1;
                        if left.examples.len() < EXAMPLES {
                            left.examples.push(crate::keys::key_text(k));
                        }
                    }
                }
            }
            Target::Tag(_) | Target::TagIndex(_) => left.unchecked = true,
        }
    }
    left.nodes = nodes.len();
    Ok(left)
}

/// What each plan left on any node, after one second look for what the first found.
pub async fn left_over(engine: &Engine, plans: &[Plan]) -> Result<Vec<Left>> {
    let mut out = Vec::with_capacity(plans.len());
    for plan in plans {
        let mut l = look(engine, plan).await?;
        if l.keys > 0 {
            tokio::time::sleep(SETTLE).await;
            l = look(engine, plan).await?;
        }
        out.push(l);
    }
    Ok(out)
}
