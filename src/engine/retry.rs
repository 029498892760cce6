//! What a caller needs to follow a failover (invalidate): which failures a reconnect can fix,
//! one SCAN page of one node (to resume a walk node by node), the slots a node serves, and
//! connections that wait longer for a reply than `--timeout` (a paused server answers late,
//! and its reply is the exact count).

use std::time::Duration;

use anyhow::{Context, Result};

use super::scan::scan_once;
use super::Engine;

/// Server states that pass: the node is loading, busy, or its primary or cluster is down for
/// the moment. A retry of the same command on the same node can succeed (warm retries rows
/// refused so).
pub const SERVER_STATES: [&str; 5] = ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN"];

/// Replies that mean "not here": the slot moved, or the node is no longer the primary (a
/// replica now, or a primary whose replica was promoted away under `min-replicas-to-write`).
/// Only a reconnect with the topology read again fixes them.
const FAILOVER_CODES: [&str; 4] = ["MOVED", "ASK", "READONLY", "NOREPLICAS"];

fn transient_code(code: &str) -> bool {
    SERVER_STATES.contains(&code) || FAILOVER_CODES.contains(&code)
}

/// Whether a reconnect (with the topology read again) and a retry can fix this failure: a
/// dropped or refused connection, a timeout, or one of the transient server states. Errors
/// that would only repeat (NOPERM, WRONGTYPE, a script error, authentication) are not.
pub fn is_transient(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<redis::RedisError>())
        .any(|r| {
            r.is_io_error()
                || r.is_timeout()
                || r.is_connection_dropped()
                || r.is_connection_refusal()
                || r.code().is_some_and(transient_code)
                || pipeline_codes(r).iter().any(|c| transient_code(c))
        })
}

/// The server is loading its data (after a restart): the same command succeeds once it is
/// done. Also inside a transaction, whose error names it only among its commands' codes.
pub fn is_loading(r: &redis::RedisError) -> bool {
    r.code() == Some("LOADING")
        || pipeline_codes(r).iter().any(|c| c == "LOADING")
        || r.to_string().contains("LOADING")
}

/// The codes of a pipeline's failed commands: redis-rs names the error by its first code
/// only when it knows that code (`NOREPLICAS` it does not).
fn pipeline_codes(r: &redis::RedisError) -> Vec<String> {
    r.clone()
        .into_server_errors()
        .map(|errs| errs.iter().map(|(_, e)| e.code().to_string()).collect())
        .unwrap_or_default()
}

impl Engine {
    /// One `SCAN cursor MATCH pattern COUNT count` on node `node`: the next cursor (0 = done)
    /// and the keys.
    pub async fn scan_page(
        &self,
        node: usize,
        cursor: u64,
        pattern: &str,
        count: u64,
    ) -> Result<(u64, Vec<Vec<u8>>)> {
        let n = &self.nodes[node];
        let mut conn = n.conn.clone();
        scan_once(&mut conn, cursor, Some(pattern), count, None)
            .await
            .with_context(|| format!("scanning {}", n.addr))
    }

    /// Whether node `i` serves `slot` (standalone: every slot).
    pub fn serves(&self, i: usize, slot: u16) -> bool {
        self.slot_owner.is_empty() || self.slot_owner[slot as usize] as usize == i
    }

    /// The same nodes over the same connections, each waiting up to `wait` for a reply.
    pub fn patient(&self, wait: Duration) -> Engine {
        let mut nodes = self.nodes.clone();
        for n in &mut nodes {
            n.conn.set_response_timeout(wait);
        }
        Engine {
            cluster: self.cluster,
            nodes,
            url_redacted: self.url_redacted.clone(),
            timeout: wait,
            slot_owner: self.slot_owner.clone(),
            valkey: self.valkey,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_failures() {
        let io = anyhow::Error::new(redis::RedisError::from(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )))
        .context("UNLINK on 127.0.0.1:1");
        assert!(is_transient(&io));
        let moved = anyhow::Error::new(redis::RedisError::from((
            redis::ErrorKind::Server(redis::ServerErrorKind::Moved),
            "moved",
        )));
        assert!(is_transient(&moved));
        let noperm = anyhow::Error::new(redis::RedisError::from((
            redis::ErrorKind::Server(redis::ServerErrorKind::NoPerm),
            "no permission",
        )));
        assert!(!is_transient(&noperm));
        assert!(!is_transient(&anyhow::anyhow!("interrupted")));
    }
}
