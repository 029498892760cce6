//! The run's connection to Redis, followed through a failover as `warm` follows it: after a
//! dropped connection, a timeout or a transient server state (a primary killed and its
//! replica promoted, a restart, `CLIENT PAUSE`), reconnect and read the topology again
//! (`Engine::connect`), for as long as the outage budget lasts; past it the run ends (exit 1)
//! with what it did.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use tracing::{info, warn};

use crate::engine::retry::is_transient;
use crate::engine::{ConnSettings, Engine};
use crate::signals::Stop;

/// How long a node may stay unreachable before the run gives up: 6 × `--timeout` (30 s by
/// default: a cluster notices a dead primary after its node timeout, 15 s by default, and
/// promotes a replica within a few seconds more), at least 3 s.
pub fn outage_budget(timeout: Duration) -> Duration {
    (timeout * 6).max(Duration::from_secs(3))
}

pub struct Link {
    settings: ConnSettings,
    /// (generation, engine, the same engine waiting up to the budget for write replies)
    current: Mutex<(u64, Arc<Engine>, Arc<Engine>)>,
    /// when the current outage began (None while the server answers)
    down_since: Mutex<Option<Instant>>,
    budget: Duration,
    /// the outage outlasted the budget: every later failure ends the run at once
    gave_up: AtomicBool,
    /// a signal ends the waiting at once (the run stops between batches)
    stop: Stop,
}

impl Link {
    pub fn new(engine: Engine, settings: ConnSettings, stop: Stop) -> Link {
        let budget = outage_budget(settings.timeout);
        let patient = Arc::new(engine.patient(budget));
        Link {
            settings,
            current: Mutex::new((0, Arc::new(engine), patient)),
            down_since: Mutex::new(None),
            budget,
            gave_up: AtomicBool::new(false),
            stop,
        }
    }

    /// The engine that serves now, with its generation (for `recover`).
    pub fn current(&self) -> (u64, Arc<Engine>) {
        let g = self.current.lock().expect("link");
        (g.0, g.1.clone())
    }

    pub fn engine(&self) -> Arc<Engine> {
        self.current().1
    }

    /// The current engine for writes: a delete batch waits up to the outage budget for its
    /// reply (a paused server answers when the pause ends, and the reply is the exact count);
    /// a dropped connection still fails at once.
    pub fn writer(&self) -> (u64, Arc<Engine>) {
        let g = self.current.lock().expect("link");
        (g.0, g.2.clone())
    }

    /// The server answered: any outage is over.
    pub fn progress(&self) {
        *self.down_since.lock().expect("outage") = None;
    }

    /// After `err` on the engine of `generation`: if a reconnect can fix it, wait and
    /// reconnect (topology read again) until it works or the outage budget is spent. `Ok`:
    /// try again on `current()`. `Err`: the run ends with this error.
    pub async fn recover(&self, generation: u64, err: anyhow::Error) -> Result<()> {
        if self.gave_up.load(Ordering::SeqCst) || !is_transient(&err) {
            return Err(err);
        }
        let since = *self
            .down_since
            .lock()
            .expect("outage")
            .get_or_insert_with(Instant::now);
        if self.current().0 != generation {
            return Ok(()); // reconnected since that engine failed
        }
        warn!(
            "{}; reconnecting (reading the topology again, for up to {}s)",
            crate::error::one_line(&err),
            self.budget.as_secs()
        );
        let mut backoff = Duration::from_millis(100);
        loop {
            if self.stop.is_set() {
                return Err(anyhow::Error::new(crate::error::Interrupted));
            }
            if since.elapsed() > self.budget {
                self.gave_up.store(true, Ordering::SeqCst);
                return Err(err.context(format!(
                    "{} unreachable for over {}s",
                    self.settings_url(),
                    self.budget.as_secs()
                )));
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(1));
            match Engine::connect(&self.settings).await {
                Ok(e) => {
                    info!(nodes = e.nodes.len(), "reconnected");
                    let patient = Arc::new(e.patient(self.budget));
                    let mut g = self.current.lock().expect("link");
                    *g = (g.0 + 1, Arc::new(e), patient);
                    return Ok(());
                }
                Err(e) => tracing::debug!(error = %crate::error::one_line(&e), "reconnect failed"),
            }
        }
    }

    fn settings_url(&self) -> String {
        crate::redact::url(&self.settings.urls.join(","))
    }
}
