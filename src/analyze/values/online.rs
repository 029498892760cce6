//! `analyze --values N` online: after the scan, read the values of the keys each pattern's
//! reservoir kept (at most N per pattern), in pipelined batches under `--rate`, and measure
//! them. Client memory: the sampled key names, then one batch of values at a time.

use std::collections::HashMap;

use anyhow::Result;

use crate::analyze::aggregate::Aggregator;
use crate::analyze::values::{measure, Measured, ITEMS_PER_KEY, VALUE_CAP};
use crate::engine::Engine;
use crate::ratelimit::Pacer;
use crate::signals::Stop;

/// Keys per read pipeline.
pub const READ_BATCH: usize = 100;

/// What the reads did.
#[derive(Debug, Default)]
pub struct Reads {
    /// (keyspace hits, misses) the reads added, per node
    pub added: Vec<(u64, u64)>,
    /// some node lacks CLIENT NO-TOUCH (before Redis 7.2): the reads touched LRU/LFU
    pub touched_lru: bool,
    pub interrupted: bool,
    /// some reads were refused (said once)
    pub refused: bool,
}

/// The warning said once when the reads touch the sampled keys' access state.
pub fn touch_warning(keys: usize) -> String {
    format!(
        "--values reads {keys} sampled keys' values with GETRANGE/HRANDFIELD/SRANDMEMBER/…: without CLIENT NO-TOUCH (Redis 7.2+, Valkey) these reads update the keys' LRU/LFU access state as application reads do"
    )
}

/// The ACL a user needs for the value reads (README "Least privilege").
pub const READ_ACL: &str = "+strlen +getrange +llen +lrange +scard +srandmember +hlen +hrandfield +zcard +zrandmember (+hscan +zscan before Redis 6.2)";

/// Read and measure every pending sampled key of `agg`, node by node.
pub async fn read_sample(
    engine: &Engine,
    agg: &mut Aggregator,
    pacer: Option<&Pacer>,
    stop: &Stop,
) -> Result<Reads> {
    let pending = agg.pending_values();
    let mut reads = Reads {
        added: vec![(0, 0); engine.nodes.len()],
        ..Reads::default()
    };
    let mut by_node: Vec<Vec<_>> = vec![Vec::new(); engine.nodes.len()];
    for p in pending {
        by_node[p.node].push(p);
    }
    let touching = by_node
        .iter()
        .enumerate()
        .filter(|(i, keys)| !keys.is_empty() && !engine.nodes[*i].no_touch)
        .map(|(_, keys)| keys.len())
        .sum::<usize>();
    if touching > 0 {
        reads.touched_lru = true;
        tracing::warn!("{}", touch_warning(touching));
    }
    let mut measured: HashMap<u64, Option<Measured>> = HashMap::new();
    'nodes: for (node, keys) in by_node.iter().enumerate() {
        for chunk in keys.chunks(READ_BATCH) {
            if stop.is_set() {
                reads.interrupted = true;
                break 'nodes;
            }
            if let Some(p) = pacer {
                p.acquire(chunk.len()).await;
            }
            let asked: Vec<(Vec<u8>, usize)> =
                chunk.iter().map(|p| (p.key.clone(), p.type_idx)).collect();
            let batch = engine
                .read_values(node, &asked, ITEMS_PER_KEY, VALUE_CAP)
                .await?;
            if let (Some(e), false) = (&batch.refused, reads.refused) {
                reads.refused = true;
                tracing::warn!(
                    "--values: value reads refused ({e}): the keys it could not read are left out of the sample; grant the user {READ_ACL}"
                );
            }
            reads.added[node].0 += batch.hits;
            reads.added[node].1 += batch.misses;
            for (p, v) in chunk.iter().zip(batch.values) {
                let m = v.map(|v| measure(p.key.len(), p.memory, &v));
                measured.insert(p.id, m);
            }
        }
    }
    agg.fill_values(&measured);
    Ok(reads)
}
