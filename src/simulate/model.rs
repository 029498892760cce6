//! A discrete-event model of clients reading cached keys whose values take `recompute` to
//! rebuild at the origin. Virtual time in microseconds, a seeded RNG, no I/O: the same
//! parameters and seed give the same result, bit for bit.
//!
//! A cycle is one generation of a key's value: a value installed by a recompute that started
//! after the previous generation was installed. Recomputes that overlapped the winning one are
//! the stampede's duplicates. So `origin_calls_per_expiry` of `none` is ≈ 1+λδ and of `xfetch`
//! ≈ e^(1/β) (Vattani, Chierichetti, Lowenstein, VLDB 2015).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::Serialize;

pub use crate::random::Rng;

/// Time to read or write the cache, µs (every request pays it once).
pub const CACHE_US: u64 = 1000;
/// Lock waiters poll the cache this often, µs.
pub const POLL_US: u64 = 10_000;
/// refresh-ahead refreshes once this fraction of the TTL has passed.
pub const REFRESH_AHEAD_AT: f64 = 0.8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    None,
    Lock,
    Singleflight,
    Xfetch,
    XfetchLock,
    Swr,
    RefreshAhead,
}

impl Strategy {
    pub const ALL: [Strategy; 7] = [
        Strategy::None,
        Strategy::Lock,
        Strategy::Singleflight,
        Strategy::Xfetch,
        Strategy::XfetchLock,
        Strategy::Swr,
        Strategy::RefreshAhead,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Strategy::None => "none",
            Strategy::Lock => "lock",
            Strategy::Singleflight => "singleflight",
            Strategy::Xfetch => "xfetch",
            Strategy::XfetchLock => "xfetch-lock",
            Strategy::Swr => "swr",
            Strategy::RefreshAhead => "refresh-ahead",
        }
    }

    pub fn parse(s: &str) -> Option<Strategy> {
        Strategy::ALL.iter().copied().find(|x| x.name() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Workload {
    /// `clients` requests at the instant the key expires
    Burst { clients: u64 },
    /// open-loop Poisson arrivals
    Poisson { rate_per_s: f64, duration_us: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dist {
    Fixed,
    /// lognormal with the given mean and σ = 0.5
    Lognormal,
}

#[derive(Debug, Clone)]
pub struct Params {
    pub workload: Workload,
    pub ttl_us: u64,
    pub recompute_us: u64,
    pub dist: Dist,
    pub beta: f64,
    pub nodes: u64,
    pub keys: u64,
    pub ttl_jitter_pct: f64,
    pub seed: u64,
    pub cold: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub strategy: &'static str,
    pub requests: u64,
    pub origin_calls: u64,
    pub origin_calls_per_expiry: f64,
    pub peak_origin_concurrency: u64,
    pub hit_rate_pct: f64,
    pub misses: u64,
    pub stale_served: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// value generations (the divisor of origin_calls_per_expiry)
    pub cycles: u64,
}

#[derive(Debug, Clone, Copy)]
struct Arrival {
    t: u64,
    key: u32,
    node: u32,
}

/// The arrival sequence: the same for every strategy of a run.
fn arrivals(p: &Params, first_expiry: &[u64]) -> Vec<Arrival> {
    let mut rng = Rng::new(p.seed);
    match p.workload {
        Workload::Burst { clients } => {
            // every key's burst lands at its expiry
            let mut out = Vec::with_capacity((clients * p.keys) as usize);
            for (k, &e) in first_expiry.iter().enumerate() {
                for c in 0..clients {
                    out.push(Arrival {
                        t: if p.cold { 0 } else { e },
                        key: k as u32,
                        node: (c % p.nodes.max(1)) as u32,
                    });
                }
            }
            out.sort_by_key(|a| a.t);
            out
        }
        Workload::Poisson {
            rate_per_s,
            duration_us,
        } => {
            let mean_gap_us = 1e6 / rate_per_s;
            let mut out = Vec::with_capacity((rate_per_s * duration_us as f64 / 1e6) as usize + 16);
            let mut t = 0.0f64;
            loop {
                t += -mean_gap_us * rng.unit().ln();
                if t >= duration_us as f64 {
                    break;
                }
                out.push(Arrival {
                    t: t as u64,
                    key: (rng.next_u64() % p.keys.max(1)) as u32,
                    node: (rng.next_u64() % p.nodes.max(1)) as u32,
                });
            }
            out
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Key {
    /// expiry of the cached value; None when there is no value at all
    expiry: Option<u64>,
    installed_at: u64,
    /// when the current generation was installed (cycle bookkeeping)
    cycle_at: u64,
    /// the lock (SET NX PX) is held until this time
    lock_until: u64,
    /// singleflight: per app node, when its in-flight recompute completes
    inflight: Vec<Option<u64>>,
    /// swr / refresh-ahead: a background refresh is running
    refreshing: bool,
    /// XFetch's δ: the duration of the last recompute
    last_delta_us: u64,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    /// a recompute finishes: (key, started_at, duration)
    Done(u32, u64, u64),
    /// a lock waiter polls again: (key, arrived_at)
    Poll(u32, u64),
}

struct Sim<'a> {
    p: &'a Params,
    s: Strategy,
    keys: Vec<Key>,
    heap: BinaryHeap<Reverse<(u64, u64, Ev)>>,
    seq: u64,
    rng: Rng,
    lat: Vec<u32>,
    origin: u64,
    active: u64,
    peak: u64,
    cycles: u64,
    hits: u64,
    misses: u64,
    stale: u64,
}

impl Sim<'_> {
    fn ttl(&mut self) -> u64 {
        jitter(self.p.ttl_us, self.p.ttl_jitter_pct, &mut self.rng)
    }

    fn duration(&mut self) -> u64 {
        match self.p.dist {
            Dist::Fixed => self.p.recompute_us,
            Dist::Lognormal => {
                let sigma = 0.5f64;
                let mu = (self.p.recompute_us as f64).ln() - sigma * sigma / 2.0;
                (mu + sigma * self.rng.normal()).exp().max(1.0) as u64
            }
        }
    }

    fn push(&mut self, t: u64, ev: Ev) {
        self.seq += 1;
        self.heap.push(Reverse((t, self.seq, ev)));
    }

    /// Start a recompute at `t`; returns when it completes.
    fn recompute(&mut self, key: u32, t: u64) -> u64 {
        let d = self.duration();
        self.origin += 1;
        self.active += 1;
        self.peak = self.peak.max(self.active);
        let done = t + CACHE_US + d;
        self.push(done, Ev::Done(key, t, d));
        done
    }

    fn serve(&mut self, arrived: u64, at: u64) {
        self.lat.push((at - arrived).min(u32::MAX as u64) as u32);
    }

    fn fresh(&self, key: u32, t: u64) -> bool {
        self.keys[key as usize].expiry.is_some_and(|e| t < e)
    }

    fn on_done(&mut self, key: u32, started: u64, d: u64, t: u64) {
        self.active -= 1;
        let ttl = self.ttl();
        let k = &mut self.keys[key as usize];
        if started >= k.cycle_at {
            self.cycles += 1;
            k.cycle_at = t;
        }
        k.expiry = Some(t + ttl);
        k.installed_at = t;
        k.last_delta_us = d;
        k.refreshing = false;
        if k.lock_until > t {
            k.lock_until = t; // released
        }
    }

    fn try_lock(&mut self, key: u32, t: u64) -> bool {
        let k = &mut self.keys[key as usize];
        if k.lock_until <= t {
            // lock TTL: well above a recompute, so it only matters if a holder dies
            k.lock_until = t + 10 * self.p.recompute_us.max(1000) + CACHE_US;
            true
        } else {
            false
        }
    }

    /// Miss handling shared by lock-style strategies: recompute under the lock, or wait.
    fn lock_miss(&mut self, key: u32, arrived: u64, t: u64) {
        if self.try_lock(key, t) {
            let done = self.recompute(key, t);
            self.serve(arrived, done);
        } else {
            self.push(t + POLL_US, Ev::Poll(key, arrived));
        }
    }

    fn request(&mut self, a: Arrival) {
        let (key, t) = (a.key, a.t);
        let has_value = self.keys[key as usize].expiry.is_some();
        let fresh = self.fresh(key, t);
        match self.s {
            Strategy::None => {
                if fresh {
                    self.hit(t);
                } else {
                    self.misses += 1;
                    let done = self.recompute(key, t);
                    self.serve(t, done);
                }
            }
            Strategy::Lock => {
                if fresh {
                    self.hit(t);
                } else {
                    self.misses += 1;
                    self.lock_miss(key, t, t);
                }
            }
            Strategy::Singleflight => {
                if fresh {
                    self.hit(t);
                } else {
                    self.misses += 1;
                    let node = a.node as usize;
                    let k = &mut self.keys[key as usize];
                    if k.inflight.len() <= node {
                        k.inflight.resize(node + 1, None);
                    }
                    match k.inflight[node] {
                        Some(done) if done > t => self.serve(t, done),
                        _ => {
                            let done = self.recompute(key, t);
                            self.keys[key as usize].inflight[node] = Some(done);
                            self.serve(t, done);
                        }
                    }
                }
            }
            Strategy::Xfetch | Strategy::XfetchLock => {
                if fresh {
                    let k = &self.keys[key as usize];
                    let (expiry, delta) = (k.expiry.unwrap_or(0), k.last_delta_us.max(1));
                    // recompute early when now − δ·β·ln(rand) ≥ expiry
                    let early = t as f64 - delta as f64 * self.p.beta * self.rng.unit().ln();
                    self.hit(t);
                    if early >= expiry as f64
                        && (self.s == Strategy::Xfetch || self.try_lock(key, t))
                    {
                        self.recompute(key, t); // in the background; this request got the value
                    }
                } else {
                    self.misses += 1;
                    if self.s == Strategy::Xfetch {
                        let done = self.recompute(key, t);
                        self.serve(t, done);
                    } else {
                        self.lock_miss(key, t, t);
                    }
                }
            }
            Strategy::Swr => {
                if fresh {
                    self.hit(t);
                } else if has_value {
                    // serve the stale value now; one refresh runs behind it
                    self.stale += 1;
                    self.serve(t, t + CACHE_US);
                    if !self.keys[key as usize].refreshing && self.try_lock(key, t) {
                        self.keys[key as usize].refreshing = true;
                        self.recompute(key, t);
                    }
                } else {
                    self.misses += 1;
                    self.lock_miss(key, t, t);
                }
            }
            Strategy::RefreshAhead => {
                if fresh {
                    self.hit(t);
                    let k = &self.keys[key as usize];
                    let due = k.installed_at
                        + ((k.expiry.unwrap_or(0) - k.installed_at) as f64 * REFRESH_AHEAD_AT)
                            as u64;
                    if t >= due && !k.refreshing && self.try_lock(key, t) {
                        self.keys[key as usize].refreshing = true;
                        self.recompute(key, t);
                    }
                } else {
                    self.misses += 1;
                    self.lock_miss(key, t, t);
                }
            }
        }
    }

    fn hit(&mut self, t: u64) {
        self.hits += 1;
        self.serve(t, t + CACHE_US);
    }

    fn event(&mut self, t: u64, ev: Ev) {
        match ev {
            Ev::Done(key, started, d) => self.on_done(key, started, d, t),
            Ev::Poll(key, arrived) => {
                if self.fresh(key, t) {
                    self.serve(arrived, t + CACHE_US);
                } else {
                    self.lock_miss(key, arrived, t);
                }
            }
        }
    }
}

/// The same symmetric jitter `warm` applies to the TTLs it writes.
fn jitter(base: u64, pct: f64, rng: &mut Rng) -> u64 {
    rng.jittered_ttl_ms(base, pct)
}

/// Initial expiries (a fresh value at t=0 for every key, TTLs jittered).
fn first_expiries(p: &Params) -> Vec<u64> {
    let mut rng = Rng::new(p.seed.wrapping_add(1));
    (0..p.keys.max(1))
        .map(|_| jitter(p.ttl_us, p.ttl_jitter_pct, &mut rng))
        .collect()
}

/// Run one strategy.
pub fn run(p: &Params, s: Strategy) -> Outcome {
    let expiries = first_expiries(p);
    let arr = arrivals(p, &expiries);
    run_on(p, s, &expiries, &arr)
}

/// Run several strategies on the same arrival sequence.
pub fn run_all(p: &Params, strategies: &[Strategy]) -> Vec<Outcome> {
    let expiries = first_expiries(p);
    let arr = arrivals(p, &expiries);
    strategies
        .iter()
        .map(|&s| run_on(p, s, &expiries, &arr))
        .collect()
}

fn run_on(p: &Params, s: Strategy, expiries: &[u64], arr: &[Arrival]) -> Outcome {
    let mut sim = Sim {
        p,
        s,
        keys: expiries
            .iter()
            .map(|&e| Key {
                expiry: (!p.cold).then_some(e),
                last_delta_us: p.recompute_us,
                ..Key::default()
            })
            .collect(),
        heap: BinaryHeap::new(),
        seq: 0,
        // per-strategy draws come from their own stream: arrivals stay identical
        rng: Rng::new(p.seed.wrapping_mul(0x9E37_79B9).wrapping_add(s as u64 + 7)),
        lat: Vec::with_capacity(arr.len()),
        origin: 0,
        active: 0,
        peak: 0,
        cycles: 0,
        hits: 0,
        misses: 0,
        stale: 0,
    };
    for a in arr {
        while let Some(Reverse((t, _, _))) = sim.heap.peek() {
            if *t > a.t {
                break;
            }
            let Reverse((t, _, ev)) = sim.heap.pop().expect("peeked");
            sim.event(t, ev);
        }
        sim.request(*a);
    }
    while let Some(Reverse((t, _, ev))) = sim.heap.pop() {
        sim.event(t, ev);
    }
    let requests = arr.len() as u64;
    let mut lat = std::mem::take(&mut sim.lat);
    Outcome {
        strategy: s.name(),
        requests,
        origin_calls: sim.origin,
        origin_calls_per_expiry: if sim.cycles > 0 {
            (sim.origin as f64 / sim.cycles as f64 * 100.0).round() / 100.0
        } else {
            0.0
        },
        peak_origin_concurrency: sim.peak,
        hit_rate_pct: if requests > 0 {
            (sim.hits as f64 * 1000.0 / requests as f64).round() / 10.0
        } else {
            0.0
        },
        misses: sim.misses,
        stale_served: sim.stale,
        p50_ms: crate::stats::percentile_us_as_ms(&mut lat, 0.50),
        p95_ms: crate::stats::percentile_us_as_ms(&mut lat, 0.95),
        p99_ms: crate::stats::percentile_us_as_ms(&mut lat, 0.99),
        max_ms: lat.iter().copied().max().map_or(0.0, |v| v as f64 / 1000.0),
        cycles: sim.cycles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn burst(clients: u64, nodes: u64) -> Params {
        Params {
            workload: Workload::Burst { clients },
            ttl_us: 60_000_000,
            recompute_us: 100_000,
            dist: Dist::Fixed,
            beta: 1.0,
            nodes,
            keys: 1,
            ttl_jitter_pct: 0.0,
            seed: 42,
            cold: false,
        }
    }

    fn poisson(rate: f64, secs: u64, ttl_s: u64) -> Params {
        Params {
            workload: Workload::Poisson {
                rate_per_s: rate,
                duration_us: secs * 1_000_000,
            },
            ttl_us: ttl_s * 1_000_000,
            ..burst(0, 1)
        }
    }

    #[test]
    fn burst_of_1000_none_lock_singleflight() {
        assert_eq!(run(&burst(1000, 1), Strategy::None).origin_calls, 1000);
        let lock = run(&burst(1000, 1), Strategy::Lock);
        assert_eq!(lock.origin_calls, 1);
        assert_eq!(lock.peak_origin_concurrency, 1);
        assert_eq!(lock.requests, 1000);
        assert_eq!(run(&burst(1000, 5), Strategy::Singleflight).origin_calls, 5);
        assert_eq!(
            run(&burst(3, 5), Strategy::Singleflight).origin_calls,
            3,
            "min(nodes, N)"
        );
        let none = run(&burst(1000, 1), Strategy::None);
        assert_eq!(none.peak_origin_concurrency, 1000);
        assert_eq!(none.misses, 1000);
    }

    #[test]
    fn poisson_none_is_one_plus_lambda_delta_per_expiry() {
        // λ = 1000/s, δ = 100 ms: ≈ 101 origin calls per expiry
        let o = run(&poisson(1000.0, 300, 10), Strategy::None);
        assert!((o.cycles as i64 - 30).abs() <= 1, "{o:?}");
        assert!((95.0..=107.0).contains(&o.origin_calls_per_expiry), "{o:?}");
    }

    #[test]
    fn xfetch_is_e_per_expiry_with_almost_no_misses() {
        let o = run(&poisson(1000.0, 600, 10), Strategy::Xfetch);
        assert!((2.3..=3.1).contains(&o.origin_calls_per_expiry), "{o:?}");
        assert!(o.misses <= 2, "{o:?}");
        // β = 2: e^(1/2) ≈ 1.65
        let mut p = poisson(1000.0, 600, 10);
        p.beta = 2.0;
        let o = run(&p, Strategy::Xfetch);
        assert!((1.4..=1.95).contains(&o.origin_calls_per_expiry), "{o:?}");
    }

    #[test]
    fn xfetch_lock_swr_refresh_ahead_lock_are_one_per_expiry() {
        let p = poisson(1000.0, 300, 10);
        for s in [
            Strategy::XfetchLock,
            Strategy::Swr,
            Strategy::RefreshAhead,
            Strategy::Lock,
        ] {
            let o = run(&p, s);
            assert!(
                (o.origin_calls_per_expiry - 1.0).abs() < 0.05,
                "{s:?}: {o:?}"
            );
        }
        let swr = run(&p, Strategy::Swr);
        assert!(swr.stale_served > 0 && swr.misses == 0, "{swr:?}");
        assert_eq!(run(&p, Strategy::RefreshAhead).misses, 0);
    }

    #[test]
    fn deterministic_and_identical_arrivals() {
        let p = poisson(500.0, 60, 5);
        assert_eq!(run_all(&p, &Strategy::ALL), run_all(&p, &Strategy::ALL));
        let all = run_all(&p, &Strategy::ALL);
        assert!(all.iter().all(|o| o.requests == all[0].requests));
        let mut other = p.clone();
        other.seed = 43;
        assert_ne!(
            run(&other, Strategy::None).requests,
            run(&p, Strategy::None).requests
        );
    }

    #[test]
    fn ttl_jitter_spreads_mass_expiry() {
        let mut p = poisson(2000.0, 120, 10);
        p.keys = 200;
        let herd = run(&p, Strategy::Lock).peak_origin_concurrency;
        p.ttl_jitter_pct = 20.0;
        let spread = run(&p, Strategy::Lock).peak_origin_concurrency;
        assert!(spread * 3 < herd, "jitter {spread} vs herd {herd}");
    }

    #[test]
    fn lognormal_recompute_ends_the_stampede_at_the_fastest_rebuild() {
        // with variable rebuild times the first of the concurrent recomputes to finish ends
        // the stampede: ≈ 1 + λ·E[min δ], below the fixed-δ 101, and latencies spread out
        let mut p = poisson(1000.0, 300, 10);
        p.dist = Dist::Lognormal;
        let o = run(&p, Strategy::None);
        assert!((20.0..=95.0).contains(&o.origin_calls_per_expiry), "{o:?}");
        assert!(o.max_ms > 150.0, "{o:?}");
        assert_eq!(run(&p, Strategy::Lock).origin_calls_per_expiry, 1.0);
    }
}
