//! `simulate stampede --live`: the same strategies with real concurrent clients (tokio tasks)
//! against the Redis at --url. The lock is a real `SET NX PX`; the origin is simulated latency.
//! Keys live under `cachectl:sim:<run>:` and are removed afterwards.
//!
//! A cached value is `<logical expiry ms>:<δ ms>` with a physical TTL of twice the TTL, so
//! `swr` has a stale value to serve and XFetch knows δ.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::model::{Dist, Outcome, Params, Rng, Strategy, Workload, POLL_US, REFRESH_AHEAD_AT};
use crate::engine::Engine;

struct Shared {
    engine: Arc<Engine>,
    prefix: String,
    p: Params,
    s: Strategy,
    t0: Instant,
    origin: AtomicU64,
    active: AtomicU64,
    peak: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
    stale: AtomicU64,
    lat: Mutex<Vec<u32>>,
    /// per key: when the current generation was installed (µs since t0), and cycles
    cycles: Mutex<(Vec<u64>, u64)>,
    /// singleflight: one async mutex per (key, node)
    flights: Vec<tokio::sync::Mutex<()>>,
    rng: Mutex<Rng>,
}

impl Shared {
    fn now_us(&self) -> u64 {
        self.t0.elapsed().as_micros() as u64
    }

    fn key(&self, k: u32) -> String {
        format!("{}k{k}", self.prefix)
    }

    fn lock_key(&self, k: u32) -> String {
        format!("{}lock:{k}", self.prefix)
    }

    /// (logical expiry, δ) of the cached value, if any.
    async fn read(&self, k: u32) -> Result<Option<(u64, u64)>> {
        Ok(self.engine.get(&self.key(k)).await?.and_then(|v| {
            let (e, d) = v.split_once(':')?;
            Some((e.parse().ok()?, d.parse().ok()?))
        }))
    }

    fn delta_us(&self) -> u64 {
        match self.p.dist {
            Dist::Fixed => self.p.recompute_us,
            Dist::Lognormal => {
                let sigma = 0.5f64;
                let mu = (self.p.recompute_us as f64).ln() - sigma * sigma / 2.0;
                let z = self.rng.lock().expect("rng").normal();
                (mu + sigma * z).exp().max(1.0) as u64
            }
        }
    }

    /// Call the origin (sleep δ) and install the value.
    async fn recompute(&self, k: u32) -> Result<()> {
        let started = self.now_us();
        self.origin.fetch_add(1, Ordering::Relaxed);
        let a = self.active.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(a, Ordering::Relaxed);
        let d = self.delta_us();
        tokio::time::sleep(Duration::from_micros(d)).await;
        self.active.fetch_sub(1, Ordering::Relaxed);
        let now = self.now_us();
        let ttl = self.p.ttl_us;
        let value = format!("{}:{}", (now + ttl) / 1000, d / 1000);
        self.engine
            .set_px(&self.key(k), &value, (2 * ttl / 1000).max(1), false)
            .await?;
        let mut c = self.cycles.lock().expect("cycles");
        if started >= c.0[k as usize] {
            c.0[k as usize] = now;
            c.1 += 1;
        }
        Ok(())
    }

    async fn try_lock(&self, k: u32) -> Result<bool> {
        let ms = (10 * self.p.recompute_us / 1000).max(1000);
        self.engine.set_px(&self.lock_key(k), "1", ms, true).await
    }

    fn fresh_now(&self, v: Option<(u64, u64)>) -> bool {
        v.is_some_and(|(e, _)| self.now_us() / 1000 < e)
    }

    /// Miss under a lock: the winner double-checks and recomputes; the others poll until the
    /// value is there. Without the double-check a waiter that read just before the winner's
    /// SET and locked just after its release would rebuild the value a second time.
    async fn lock_miss(&self, k: u32) -> Result<()> {
        loop {
            if self.try_lock(k).await? {
                if !self.fresh_now(self.read(k).await?) {
                    self.recompute(k).await?;
                }
                let lock = self.lock_key(k);
                self.engine
                    .unlink(self.engine.node_for(lock.as_bytes()), &[lock.into_bytes()])
                    .await?;
                return Ok(());
            }
            tokio::time::sleep(Duration::from_micros(POLL_US)).await;
            if self.fresh_now(self.read(k).await?) {
                return Ok(());
            }
        }
    }

    async fn request(self: Arc<Self>, k: u32, node: u32) -> Result<()> {
        let arrived = Instant::now();
        let now_ms = || self.now_us() / 1000;
        let cur = self.read(k).await?;
        let fresh = cur.is_some_and(|(e, _)| now_ms() < e);
        let hit = |s: &Self| {
            s.hits.fetch_add(1, Ordering::Relaxed);
        };
        match self.s {
            Strategy::None => {
                if fresh {
                    hit(&self);
                } else {
                    self.misses.fetch_add(1, Ordering::Relaxed);
                    self.recompute(k).await?;
                }
            }
            Strategy::Lock => {
                if fresh {
                    hit(&self);
                } else {
                    self.misses.fetch_add(1, Ordering::Relaxed);
                    self.lock_miss(k).await?;
                }
            }
            Strategy::Singleflight => {
                if fresh {
                    hit(&self);
                } else {
                    self.misses.fetch_add(1, Ordering::Relaxed);
                    let slot = (k as u64 * self.p.nodes.max(1) + node as u64) as usize;
                    let _guard = self.flights[slot].lock().await;
                    // double-check: another request of this node may have rebuilt it
                    let again = self.read(k).await?;
                    if !self.fresh_now(again) {
                        self.recompute(k).await?;
                    }
                }
            }
            Strategy::Xfetch | Strategy::XfetchLock => match cur {
                Some((e, d)) if fresh => {
                    hit(&self);
                    let u = self.rng.lock().expect("rng").unit();
                    let early = now_ms() as f64 - (d.max(1) as f64) * self.p.beta * u.ln();
                    if early >= e as f64 && (self.s == Strategy::Xfetch || self.try_lock(k).await?)
                    {
                        let me = self.clone();
                        tokio::spawn(async move {
                            let _ = me.recompute(k).await;
                        });
                    }
                }
                _ => {
                    self.misses.fetch_add(1, Ordering::Relaxed);
                    if self.s == Strategy::Xfetch {
                        self.recompute(k).await?;
                    } else {
                        self.lock_miss(k).await?;
                    }
                }
            },
            Strategy::Swr => match cur {
                _ if fresh => hit(&self),
                Some(_) => {
                    self.stale.fetch_add(1, Ordering::Relaxed);
                    if self.try_lock(k).await? {
                        let me = self.clone();
                        tokio::spawn(async move {
                            let _ = me.recompute(k).await;
                        });
                    }
                }
                None => {
                    self.misses.fetch_add(1, Ordering::Relaxed);
                    self.lock_miss(k).await?;
                }
            },
            Strategy::RefreshAhead => match cur {
                Some((e, _)) if fresh => {
                    hit(&self);
                    let ttl_ms = self.p.ttl_us / 1000;
                    let due = e.saturating_sub(ttl_ms) + (ttl_ms as f64 * REFRESH_AHEAD_AT) as u64;
                    if now_ms() >= due && self.try_lock(k).await? {
                        let me = self.clone();
                        tokio::spawn(async move {
                            let _ = me.recompute(k).await;
                        });
                    }
                }
                _ => {
                    self.misses.fetch_add(1, Ordering::Relaxed);
                    self.lock_miss(k).await?;
                }
            },
        }
        let us = arrived.elapsed().as_micros().min(u32::MAX as u128) as u32;
        self.lat.lock().expect("lat").push(us);
        Ok(())
    }
}

/// Run one strategy live. `engine` must be connected to the primaries.
pub async fn run(engine: Arc<Engine>, p: &Params, s: Strategy, run_id: &str) -> Result<Outcome> {
    let keys = p.keys.max(1) as u32;
    let prefix = format!("cachectl:sim:{run_id}:{}:", s.name());
    let sh = Arc::new(Shared {
        engine,
        prefix,
        p: p.clone(),
        s,
        t0: Instant::now(),
        origin: AtomicU64::new(0),
        active: AtomicU64::new(0),
        peak: AtomicU64::new(0),
        hits: AtomicU64::new(0),
        misses: AtomicU64::new(0),
        stale: AtomicU64::new(0),
        lat: Mutex::new(Vec::new()),
        cycles: Mutex::new((vec![0; keys as usize], 0)),
        flights: (0..(keys as u64 * p.nodes.max(1)))
            .map(|_| tokio::sync::Mutex::new(()))
            .collect(),
        rng: Mutex::new(Rng::new(p.seed ^ s as u64)),
    });
    let ttl_ms = p.ttl_us / 1000;
    let mut jitter_rng = Rng::new(p.seed.wrapping_add(1));
    let mut tasks = Vec::new();
    match p.workload {
        Workload::Burst { clients } => {
            // the moment of expiry: no value (or, for swr, a stale one)
            for k in 0..keys {
                if s == Strategy::Swr && !p.cold {
                    let stale = format!("{}:{}", sh.now_us() / 1000, p.recompute_us / 1000);
                    sh.engine
                        .set_px(&sh.key(k), &stale, 2 * ttl_ms.max(1), false)
                        .await?;
                }
            }
            let gate = Arc::new(tokio::sync::Barrier::new(clients as usize * keys as usize));
            for k in 0..keys {
                for c in 0..clients {
                    let (sh, gate) = (sh.clone(), gate.clone());
                    let node = (c % p.nodes.max(1)) as u32;
                    tasks.push(tokio::spawn(async move {
                        gate.wait().await;
                        sh.request(k, node).await
                    }));
                }
            }
        }
        Workload::Poisson {
            rate_per_s,
            duration_us,
        } => {
            if !p.cold {
                for k in 0..keys {
                    let ttl = {
                        let u = (jitter_rng.unit() * 2.0 - 1.0) * p.ttl_jitter_pct / 100.0;
                        ((p.ttl_us as f64) * (1.0 + u)) as u64
                    };
                    let v = format!("{}:{}", (sh.now_us() + ttl) / 1000, p.recompute_us / 1000);
                    sh.engine
                        .set_px(&sh.key(k), &v, (2 * ttl / 1000).max(1), false)
                        .await?;
                }
            }
            let mut rng = Rng::new(p.seed);
            let mut t = 0.0f64;
            let start = tokio::time::Instant::now();
            loop {
                t += -(1e6 / rate_per_s) * rng.unit().ln();
                if t >= duration_us as f64 {
                    break;
                }
                let k = (rng.next_u64() % keys as u64) as u32;
                let node = (rng.next_u64() % p.nodes.max(1)) as u32;
                tokio::time::sleep_until(start + Duration::from_micros(t as u64)).await;
                let sh = sh.clone();
                tasks.push(tokio::spawn(async move { sh.request(k, node).await }));
            }
        }
    }
    let requests = tasks.len() as u64;
    for t in tasks {
        t.await??;
    }
    // background refreshes still running
    while sh.active.load(Ordering::Relaxed) > 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let cycles = sh.cycles.lock().expect("cycles").1;
    let origin = sh.origin.load(Ordering::Relaxed);
    let hits = sh.hits.load(Ordering::Relaxed);
    let mut lat = std::mem::take(&mut *sh.lat.lock().expect("lat"));
    let out = Outcome {
        strategy: s.name(),
        requests,
        origin_calls: origin,
        origin_calls_per_expiry: if cycles > 0 {
            (origin as f64 / cycles as f64 * 100.0).round() / 100.0
        } else {
            0.0
        },
        peak_origin_concurrency: sh.peak.load(Ordering::Relaxed),
        hit_rate_pct: if requests > 0 {
            (hits as f64 * 1000.0 / requests as f64).round() / 10.0
        } else {
            0.0
        },
        misses: sh.misses.load(Ordering::Relaxed),
        stale_served: sh.stale.load(Ordering::Relaxed),
        p50_ms: crate::stats::percentile_us_as_ms(&mut lat, 0.5),
        p95_ms: crate::stats::percentile_us_as_ms(&mut lat, 0.95),
        p99_ms: crate::stats::percentile_us_as_ms(&mut lat, 0.99),
        max_ms: lat.iter().copied().max().map_or(0.0, |v| v as f64 / 1000.0),
        cycles,
    };
    Ok(out)
}

/// Remove every key of this run (SCAN MATCH + UNLINK, on every primary).
pub async fn cleanup(engine: &Engine, run_id: &str) -> Result<u64> {
    let (mut rx, handle) = engine.scan_keys(format!("cachectl:sim:{run_id}:*"), 1000);
    let mut n = 0;
    while let Some(b) = rx.recv().await {
        n += engine.unlink(b.node, &b.keys).await?;
    }
    handle.await.map_err(|e| anyhow::anyhow!("{e}"))??;
    Ok(n)
}
