//! The job lock `cachectl:lock:warm:{job}`: SET NX PX, renewed while the run goes on, so
//! overlapping runs of one job on several hosts skip instead of doubling the load. A run
//! whose lock expired and was taken by another (a long pause, a partition) has lost it:
//! it stops writing at once, or two hosts would write at twice `--rate`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use tracing::warn;

use super::sink::Conn;

pub const LOCK_TTL: Duration = Duration::from_secs(30);
/// Renew (and check ownership) this often: a lost lock is noticed within this time.
const RENEW_EVERY: Duration = Duration::from_secs(2);

pub struct JobLock {
    key: String,
    token: String,
    lost: Arc<AtomicBool>,
    renew: tokio::task::JoinHandle<()>,
}

impl JobLock {
    /// Take the lock, or `Err(holder)` when another run holds it.
    pub async fn acquire(
        conn: &Arc<Conn>,
        job: &str,
    ) -> Result<std::result::Result<JobLock, String>> {
        let key = format!("cachectl:lock:warm:{job}");
        let token = format!(
            "{}:{}:{}",
            crate::audit::host_name(),
            std::process::id(),
            crate::audit::now_ms()
        );
        let ttl_ms = LOCK_TTL.as_millis() as u64;
        let (generation, engine) = conn.current().await;
        let taken = match engine.lock_acquire(&key, &token, ttl_ms).await {
            // a connection the server closed since the last run (its `timeout`, a restart
            // between scheduled runs): once more on a fresh one
            Err(e) if dropped(&e) => {
                conn.reconnect(generation).await?;
                let (_, engine) = conn.current().await;
                engine.lock_acquire(&key, &token, ttl_ms).await?
            }
            r => r?,
        };
        if let Some(holder) = taken {
            return Ok(Err(format!("lock {key} held by {holder}")));
        }
        let lost = Arc::new(AtomicBool::new(false));
        let renew = {
            let (conn, key, token, lost) = (conn.clone(), key.clone(), token.clone(), lost.clone());
            tokio::spawn(async move {
                let mut last_ok = Instant::now();
                loop {
                    tokio::time::sleep(RENEW_EVERY).await;
                    match touch(&conn, &key, &token, ttl_ms).await {
                        Ok(true) => last_ok = Instant::now(),
                        Ok(false) => {
                            warn!("lost lock {key}: it expired and another run took it; stopping writes");
                            lost.store(true, Ordering::SeqCst);
                            return;
                        }
                        Err(err) if last_ok.elapsed() >= LOCK_TTL => {
                            warn!("lock {key} not renewed for {}s ({}); it may be another run's now: stopping writes", LOCK_TTL.as_secs(), crate::error::one_line(&err));
                            lost.store(true, Ordering::SeqCst);
                            return;
                        }
                        Err(err) => warn!("{}", crate::error::one_line(&err)),
                    }
                }
            })
        };
        Ok(Ok(JobLock {
            key,
            token,
            lost,
            renew,
        }))
    }

    /// A flag that turns true when the lock is lost.
    pub fn lost_flag(&self) -> Arc<AtomicBool> {
        self.lost.clone()
    }

    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }

    /// Stop renewing and release the lock if it is still ours.
    pub async fn release(self, conn: &Conn) {
        self.renew.abort();
        let _ = touch(conn, &self.key, &self.token, 0).await;
    }
}

/// Renew the lock (`ttl_ms` 0: release it) if it is still ours. A connection the server
/// dropped (its `timeout` closes the lock's connection between renewals, a restart) is
/// replaced and the call made once more: otherwise every renewal would fail until the
/// run stops for a lost lock, and a lock left held would lock out the next scheduled run.
async fn touch(conn: &Conn, key: &str, token: &str, ttl_ms: u64) -> Result<bool> {
    let (generation, e) = conn.current().await;
    match e.lock_touch(key, token, ttl_ms).await {
        Err(err) if dropped(&err) => {
            conn.reconnect(generation).await?;
            let (_, e) = conn.current().await;
            e.lock_touch(key, token, ttl_ms).await
        }
        r => r,
    }
}

/// The connection was closed under us (broken pipe, reset, end of stream): a fresh one can
/// work at once. Not a timeout: a server that does not answer (stopped, paused) would cost
/// another connect timeout, on every renewal and at the end of the run.
fn dropped(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<redis::RedisError>())
        .any(redis::RedisError::is_connection_dropped)
}
