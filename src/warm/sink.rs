//! The writing side of a run: batches of SETs through the engine, with retries.
//!
//! A dropped connection and the transient server states (`LOADING` after a restart, `BUSY`
//! script, `TRYAGAIN`, `MASTERDOWN`, `CLUSTERDOWN`) are retried with backoff and a reconnect
//! for as long as the outage budget lasts; only the keys that did not go through are sent
//! again. When the budget is spent the run stops reading and reports what was lost (a
//! `--checkpoint` run resumes there).
//!
//! A refusal that holds for every key (`OOM` on a full server with `noeviction`, `READONLY`
//! on a replica, `NOPERM`, `MISCONF`) is neither retried nor a bad row: the batch comes
//! back [`Written::Refused`] and the run stops sending.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use tokio::sync::RwLock;
use tracing::warn;

use crate::engine::link::SetRows;
use crate::engine::write::{SetMode, SetOutcome};
use crate::engine::{ConnSettings, Engine};

/// After Redis has been unreachable this long, stop retrying.
pub const OUTAGE_BUDGET: Duration = Duration::from_secs(10);
/// A server that answers `LOADING` is alive and making progress (a big dataset loads for
/// minutes): it gets a longer budget.
pub const LOADING_BUDGET: Duration = Duration::from_secs(120);

/// Server error codes that refuse every write, whatever the key: no row will fare better.
const REFUSALS: [&str; 5] = ["OOM", "READONLY", "NOPERM", "MISCONF", "NOREPLICAS"];

fn code_of(message: &str) -> &str {
    message.split_whitespace().next().unwrap_or("")
}

/// Is this per-key failure one a retry can fix?
pub fn is_transient(message: &str) -> bool {
    crate::engine::retry::SERVER_STATES.contains(&code_of(message))
}

/// Is this per-key failure `MOVED`/`ASK`: the slot is served elsewhere now (a resharding,
/// a failover seen late)? A reconnect reads the topology again and the row is sent to its
/// new owner.
pub fn is_moved(message: &str) -> bool {
    matches!(code_of(message), "MOVED" | "ASK")
}

/// Is this per-key failure a server-wide refusal (the run stops sending)?
pub fn is_refusal(message: &str) -> bool {
    REFUSALS.contains(&code_of(message))
}

/// The engine, replaced by a fresh connection when Redis drops.
pub struct Conn {
    settings: ConnSettings,
    engine: RwLock<(u64, Arc<Engine>)>,
    /// when the current outage began (None while writes succeed)
    down_since: Mutex<Option<Instant>>,
    /// the outage outlasted OUTAGE_BUDGET: give up
    gave_up: AtomicBool,
    /// a sentinel URL: `READONLY`/`NOREPLICAS` mean a failover, followed (not a refusal)
    sentinel: bool,
    /// keys sent again after a dropped connection, a transient state or a failover
    retries: AtomicU64,
}

impl Conn {
    pub async fn connect(settings: ConnSettings) -> Result<Conn> {
        let engine = Engine::connect(&settings).await?;
        Ok(Conn {
            sentinel: crate::engine::sentinel::of(&settings).is_some(),
            retries: AtomicU64::new(0),
            settings,
            engine: RwLock::new((0, Arc::new(engine))),
            down_since: Mutex::new(None),
            gave_up: AtomicBool::new(false),
        })
    }

    pub async fn current(&self) -> (u64, Arc<Engine>) {
        let g = self.engine.read().await;
        (g.0, g.1.clone())
    }

    /// How many batches were sent again (after a dropped connection, a transient state, a
    /// failover).
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    /// Behind Sentinel, the old primary's `READONLY` (demoted) or `NOREPLICAS` (its replica
    /// was promoted away) means: resolve the primary again and retry.
    fn failover_reply(&self, message: &str) -> bool {
        self.sentinel && matches!(code_of(message), "READONLY" | "NOREPLICAS")
    }

    pub fn gave_up(&self) -> bool {
        self.gave_up.load(Ordering::Relaxed)
    }

    /// A fresh engine in place of generation `seen_generation` (unless another caller
    /// already replaced it).
    pub(super) async fn reconnect(&self, seen_generation: u64) -> Result<()> {
        let mut g = self.engine.write().await;
        if g.0 != seen_generation {
            return Ok(()); // another worker already did
        }
        let e = Engine::connect(&self.settings).await?;
        *g = (g.0 + 1, Arc::new(e));
        Ok(())
    }

    /// Note a failure; true while the outage is within its budget.
    fn still_hopeful(&self, loading: bool) -> bool {
        let since = *self
            .down_since
            .lock()
            .expect("outage")
            .get_or_insert_with(Instant::now);
        let budget = if loading {
            LOADING_BUDGET
        } else {
            OUTAGE_BUDGET
        };
        if since.elapsed() > budget {
            self.gave_up.store(true, Ordering::Relaxed);
            return false;
        }
        true
    }

    fn recovered(&self) {
        *self.down_since.lock().expect("outage") = None;
    }
}

/// One attempt at rows `pending` of a batch (`idx` is `Some(pending)`, or `None` when they
/// are all of its rows): one pipeline standalone (the batch's buffer as the reader encoded
/// it, no copy), one per node on a cluster. The outcomes follow `pending`; `None` where the
/// row's node failed (the first such failure is returned): the nodes that answered keep
/// their outcomes, so a retry resends only the rows of the node that failed (with `--mode
/// missing`, a row resent to a node that wrote it would be counted skipped).
async fn attempt(
    engine: &Arc<Engine>,
    rows: &SetRows,
    pending: &[usize],
    idx: Option<&[usize]>,
    mode: SetMode,
) -> (Vec<Option<SetOutcome>>, Option<anyhow::Error>) {
    if engine.nodes.len() == 1 {
        return match engine.set_rows(0, rows, idx, mode).await {
            Ok(out) => (out.into_iter().map(Some).collect(), None),
            Err(e) => (vec![None; pending.len()], Some(e)),
        };
    }
    let mut by_node: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (at, &i) in pending.iter().enumerate() {
        by_node
            .entry(engine.node_for(rows.key(i)))
            .or_default()
            .push(at);
    }
    let calls = by_node.iter().map(|(&node, ats)| {
        let part: Vec<usize> = ats.iter().map(|&at| pending[at]).collect();
        async move { engine.set_rows(node, rows, Some(&part), mode).await }
    });
    let results = futures::future::join_all(calls).await;
    let mut outcomes = vec![None; pending.len()];
    let mut failure = None;
    for ((_, ats), r) in by_node.iter().zip(results) {
        match r {
            Ok(out) => {
                for (at, o) in ats.iter().zip(out) {
                    outcomes[*at] = Some(o);
                }
            }
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    (outcomes, failure)
}

/// What became of a batch.
pub enum Written {
    /// every key has a final outcome (written, skipped, or refused for good)
    Done(Vec<SetOutcome>),
    /// the outage outlasted the budget: `outcomes[i]` is `None` for the keys not known to be
    /// written (a resumed run retries the batch)
    Lost {
        outcomes: Vec<Option<SetOutcome>>,
        error: String,
    },
    /// the server refused writes for a reason that holds for every key (`error`, e.g.
    /// `OOM …`): `outcomes[i]` is `None` or a refusal for the keys not written
    Refused {
        outcomes: Vec<Option<SetOutcome>>,
        error: String,
    },
}

/// The server refused our credentials (the password was changed, the ACL user disabled or
/// deleted mid-run): no retry will get in, so the run stops at once and says why, instead of
/// spending the outage budget and reporting the server unavailable. redis-rs's connection says
/// `AuthenticationFailed`; the warm link's own handshake says `AUTH: WRONGPASS …`/`NOAUTH …`.
fn auth_refusal(e: &anyhow::Error) -> Option<String> {
    let refused = e.chain().any(|c| {
        c.downcast_ref::<redis::RedisError>()
            .is_some_and(|r| r.kind() == redis::ErrorKind::AuthenticationFailed)
            || {
                let t = c.to_string();
                let t = t.strip_prefix("AUTH: ").unwrap_or(&t);
                matches!(code_of(t), "WRONGPASS" | "NOAUTH")
            }
    });
    refused.then(|| format!("authentication failed: {}", crate::error::one_line(e)))
}

/// A whole pipeline refused with a server-wide code (e.g. `NOPERM` for the `PTTL`s of
/// `--mode refresh`): `CODE detail`, as a per-key refusal reads.
fn refusal_of(e: &anyhow::Error) -> Option<String> {
    crate::engine::write::server_error(e).filter(|m| is_refusal(m))
}

/// Write one batch, retrying the keys a dropped connection or a transient server state
/// kept from going through.
/// `halt` (a signal, the lock lost) ends the retries early: the rest is reported lost.
pub async fn write_batch(conn: &Conn, rows: &SetRows, mode: SetMode, halt: &AtomicBool) -> Written {
    let mut outcomes: Vec<Option<SetOutcome>> = vec![None; rows.len()];
    let mut pending: Vec<usize> = (0..rows.len()).collect();
    let mut backoff = Duration::from_millis(100);
    let mut attempt_no = 1u32;
    loop {
        if conn.gave_up() {
            return Written::Lost {
                outcomes,
                error: format!("Redis unavailable for over {}s", OUTAGE_BUDGET.as_secs()),
            };
        }
        let (generation, engine) = conn.current().await;
        // the first attempt sends the batch as it is (warm's hot path: no copies)
        let idx = (pending.len() != rows.len()).then_some(pending.as_slice());
        let (out, failure) = attempt(&engine, rows, &pending, idx, mode).await;
        let mut again = Vec::new();
        let mut transient = None;
        let mut refused = None;
        for (&i, o) in pending.iter().zip(out) {
            match o {
                None => again.push(i), // its node failed: nothing known
                Some(SetOutcome::Failed(m))
                    if is_transient(&m) || is_moved(&m) || conn.failover_reply(&m) =>
                {
                    transient.get_or_insert(m);
                    again.push(i);
                }
                Some(SetOutcome::Failed(m)) if is_refusal(&m) => {
                    refused.get_or_insert_with(|| m.clone());
                    outcomes[i] = Some(SetOutcome::Failed(m));
                }
                o => outcomes[i] = o,
            }
        }
        pending = again;
        if let Some(error) = refused {
            // the server is up: no outage, but nothing more is worth sending
            conn.recovered();
            return Written::Refused { outcomes, error };
        }
        let error = match (failure, transient) {
            (Some(e), _) => match refusal_of(&e)
                .filter(|m| !conn.failover_reply(m))
                .or_else(|| auth_refusal(&e))
            {
                Some(error) => return Written::Refused { outcomes, error },
                None => crate::error::one_line(&e),
            },
            (None, Some(m)) => m,
            (None, None) => {
                conn.recovered();
                return Written::Done(outcomes.into_iter().map(|o| o.expect("set")).collect());
            }
        };
        let loading = error.contains("LOADING") || error.contains("BusyLoading");
        if !conn.still_hopeful(loading) || halt.load(Ordering::SeqCst) {
            return Written::Lost { outcomes, error };
        }
        warn!(
            attempt = attempt_no,
            keys = pending.len(),
            error = %error,
            "write not done; retrying in {backoff:?}"
        );
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
        attempt_no += 1;
        conn.retries.fetch_add(1, Ordering::Relaxed);
        if !error.starts_with("LOADING") && !error.starts_with("BUSY") {
            if let Err(e) = conn.reconnect(generation).await {
                if let Some(error) = auth_refusal(&e) {
                    return Written::Refused { outcomes, error };
                }
                warn!("reconnecting: {}", crate::error::one_line(&e));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_codes() {
        assert!(is_transient(
            "LOADING Redis is loading the dataset in memory"
        ));
        assert!(is_transient(
            "TRYAGAIN Multiple keys request during rehashing of slot"
        ));
        assert!(is_transient("MASTERDOWN Link with MASTER is down"));
        assert!(!is_transient(
            "OOM command not allowed when used memory > 'maxmemory'"
        ));
        assert!(!is_transient("WRONGTYPE Operation against a key"));
        assert!(!is_transient(""));
        assert!(is_moved("MOVED 3999 127.0.0.1:6381"));
        assert!(is_moved("ASK 3999 127.0.0.1:6381"));
        assert!(!is_moved("MOVEDX 1") && !is_transient("MOVED 3999 127.0.0.1:6381"));
    }

    #[test]
    fn refusal_codes() {
        assert!(is_refusal(
            "OOM command not allowed when used memory > 'maxmemory'."
        ));
        assert!(is_refusal(
            "READONLY You can't write against a read only replica."
        ));
        assert!(is_refusal(
            "NOPERM User warmer has no permissions to run the 'set' command"
        ));
        assert!(is_refusal(
            "MISCONF Redis is configured to save RDB snapshots"
        ));
        assert!(!is_refusal(
            "LOADING Redis is loading the dataset in memory"
        ));
        assert!(!is_refusal("ERR string exceeds maximum allowed size"));
        assert!(!is_refusal("OOMPH"));
    }
}
