//! `cachectl simulate stampede`: the model (virtual time, no Redis) or `--live`.

pub mod live;
pub mod model;

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use serde::Serialize;

use crate::config::Settings;
use crate::engine::Engine;
use crate::error::usage;
use crate::render::{Columns, RenderCtx, Report};
use crate::signals::Stop;
use model::{Dist, Outcome, Params, Strategy, Workload};

/// `--recompute-dist`: how rebuild times are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RecomputeDist {
    Fixed,
    Lognormal,
}

/// `--strategy`: the strategies to compare, parsed once from `all` or a comma-separated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strategies(pub Vec<Strategy>);

impl Strategies {
    pub fn all() -> Strategies {
        Strategies(Strategy::ALL.to_vec())
    }

    /// `all`, or a comma-separated list of strategy names.
    pub fn parse(text: &str) -> Result<Strategies, String> {
        if text.trim() == "all" {
            return Ok(Strategies::all());
        }
        text.split(',')
            .map(|s| {
                Strategy::parse(s.trim()).ok_or_else(|| {
                    format!(
                        "unknown strategy `{}` (expected all, or a list of: {})",
                        s.trim(),
                        Strategy::ALL.map(|s| s.name()).join(", ")
                    )
                })
            })
            .collect::<Result<_, _>>()
            .map(Strategies)
    }
}

impl std::fmt::Display for Strategies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == Strategy::ALL {
            return f.write_str("all");
        }
        f.write_str(
            &self
                .0
                .iter()
                .map(|s| s.name())
                .collect::<Vec<_>>()
                .join(","),
        )
    }
}

pub const DEFAULT_CLIENTS: u64 = 1000;
pub const DEFAULT_DURATION: Duration = Duration::from_secs(60);
pub const DEFAULT_TTL: Duration = Duration::from_secs(10);
pub const DEFAULT_RECOMPUTE: Duration = Duration::from_millis(100);
pub const DEFAULT_RECOMPUTE_DIST: RecomputeDist = RecomputeDist::Fixed;
pub const DEFAULT_BETA: f64 = 1.0;
pub const DEFAULT_NODES: u64 = 5;
pub const DEFAULT_KEYS: u64 = 1;
/// percent
pub const DEFAULT_TTL_JITTER: f64 = 0.0;
pub const DEFAULT_SEED: u64 = 42;

/// What `simulate stampede` is asked: the command line (`cli::simulate`) or `demo`.
/// `Default` is the command line's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Burst size: requests arriving at the moment the key expires
    pub clients: u64,
    /// Open-loop Poisson arrivals at this rate instead of a burst
    pub rate: Option<f64>,
    /// With --rate: how long arrivals go on (virtual time)
    pub duration: Duration,
    /// TTL of the cached values
    pub ttl: Duration,
    /// Time to rebuild a value at the origin (the mean, with --recompute-dist lognormal)
    pub recompute: Duration,
    /// Rebuild time distribution
    pub recompute_dist: RecomputeDist,
    /// Strategies to compare, in order
    pub strategies: Vec<Strategy>,
    /// XFetch's β: above 1 recomputes earlier, below 1 later
    pub beta: f64,
    /// Application nodes (singleflight dedupes per node)
    pub nodes: u64,
    /// Number of keys, all cached at t=0 (they expire together unless --ttl-jitter)
    pub keys: u64,
    /// Spread each key's TTL by ± this much (percent)
    pub ttl_jitter: f64,
    /// RNG seed: the same seed gives byte-identical output
    pub seed: u64,
    /// Start with an empty cache instead of freshly cached keys
    pub cold: bool,
    /// Run real concurrent clients against the Redis at --url (keys under cachectl:sim:,
    /// removed afterwards); the origin is simulated latency
    pub live: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            clients: DEFAULT_CLIENTS,
            rate: None,
            duration: DEFAULT_DURATION,
            ttl: DEFAULT_TTL,
            recompute: DEFAULT_RECOMPUTE,
            recompute_dist: DEFAULT_RECOMPUTE_DIST,
            strategies: Strategy::ALL.to_vec(),
            beta: DEFAULT_BETA,
            nodes: DEFAULT_NODES,
            keys: DEFAULT_KEYS,
            ttl_jitter: DEFAULT_TTL_JITTER,
            seed: DEFAULT_SEED,
            cold: false,
            live: false,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SimReport {
    /// `model` (virtual time) or `live`
    pub mode: &'static str,
    pub workload: String,
    pub seed: u64,
    pub results: Vec<Outcome>,
    /// --live stopped by SIGINT/SIGTERM: the strategies run so far
    #[serde(skip)]
    pub interrupted: bool,
}

pub fn params(a: &Options) -> Result<(Params, Vec<Strategy>)> {
    let strategies = a.strategies.clone();
    if a.rate.is_none() && a.clients == 0 {
        return Err(usage("--clients must be at least 1"));
    }
    if a.nodes == 0 || a.keys == 0 {
        return Err(usage("--nodes and --keys must be at least 1"));
    }
    if !(a.beta > 0.0 && a.beta.is_finite()) {
        return Err(usage("--beta must be a positive number"));
    }
    if a.ttl.is_zero() || a.recompute.is_zero() {
        return Err(usage("--ttl and --recompute must be above 0"));
    }
    // the model runs every request: keep a hostile size a clear error, not a hang
    const MAX_REQUESTS: f64 = 20_000_000.0;
    let requests = match a.rate {
        Some(r) => r * a.duration.as_secs_f64(),
        None => a.clients as f64,
    };
    if requests > MAX_REQUESTS || a.keys > 10_000_000 || a.nodes > 1_000_000 {
        return Err(usage(format!(
            "too big to simulate: {requests:.0} requests, {} keys, {} nodes (at most 20,000,000 requests, 10,000,000 keys, 1,000,000 nodes)",
            a.keys, a.nodes
        )));
    }
    let workload = match a.rate {
        Some(r) => {
            if a.duration.is_zero() {
                return Err(usage("--duration must be above 0"));
            }
            Workload::Poisson {
                rate_per_s: r,
                duration_us: a.duration.as_micros() as u64,
            }
        }
        None => Workload::Burst { clients: a.clients },
    };
    Ok((
        Params {
            workload,
            ttl_us: a.ttl.as_micros() as u64,
            recompute_us: a.recompute.as_micros() as u64,
            dist: match a.recompute_dist {
                RecomputeDist::Fixed => Dist::Fixed,
                RecomputeDist::Lognormal => Dist::Lognormal,
            },
            beta: a.beta,
            nodes: a.nodes,
            keys: a.keys,
            ttl_jitter_pct: a.ttl_jitter,
            seed: a.seed,
            cold: a.cold,
        },
        strategies,
    ))
}

fn describe(a: &Options, p: &Params) -> String {
    let common = format!(
        "ttl {}, recompute {} ({}), {} key{}{}, {} app node{}, beta {}",
        crate::units::format_duration(a.ttl),
        crate::units::format_duration(a.recompute),
        match p.dist {
            Dist::Fixed => "fixed",
            Dist::Lognormal => "lognormal",
        },
        p.keys,
        if p.keys == 1 { "" } else { "s" },
        if p.ttl_jitter_pct > 0.0 {
            format!(" with ±{}% TTL jitter", p.ttl_jitter_pct)
        } else {
            String::new()
        },
        p.nodes,
        if p.nodes == 1 { "" } else { "s" },
        p.beta
    );
    match p.workload {
        Workload::Burst { clients } => format!("burst of {clients} requests at expiry; {common}"),
        Workload::Poisson { rate_per_s, .. } => format!(
            "Poisson arrivals at {rate_per_s}/s for {}; {common}",
            crate::units::format_duration(a.duration)
        ),
    }
}

/// The model: pure, deterministic, no runtime needed.
pub fn run_model(a: &Options) -> Result<SimReport> {
    let (p, strategies) = params(a)?;
    Ok(SimReport {
        mode: "model",
        workload: describe(a, &p),
        seed: p.seed,
        results: model::run_all(&p, &strategies),
        interrupted: false,
    })
}

pub async fn run_live(a: &Options, s: &Settings, stop: &Stop) -> Result<SimReport> {
    let (p, strategies) = params(a)?;
    let mut conn = s.conn.clone();
    conn.replicas = false;
    let engine = std::sync::Arc::new(Engine::connect(&conn).await?);
    let run_id = format!("{}-{}", std::process::id(), crate::audit::now_ms());
    let mut results = Vec::new();
    let mut failure = None;
    let mut interrupted = false;
    for st in strategies {
        let one = tokio::select! {
            r = live::run(engine.clone(), &p, st, &run_id) => r,
            _ = stop.wait() => {
                interrupted = true;
                break;
            }
        };
        match one {
            Ok(o) => results.push(o),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let removed = live::cleanup(&engine, &run_id).await?;
    tracing::debug!(removed, "removed the simulation's keys");
    if let Some(e) = failure {
        return Err(e.context("live simulation"));
    }
    Ok(SimReport {
        mode: "live",
        workload: describe(a, &p),
        seed: p.seed,
        results,
        interrupted,
    })
}

/// One row per strategy: the table and the CSV (SPEC §3 simulate).
fn columns() -> Columns<'static, Outcome> {
    use crate::units::human_count;
    let mut c: Columns<Outcome> = Columns::new();
    c.plain("strategy", "STRATEGY", 0, |r| r.strategy)
        .col(
            "requests",
            "REQUESTS",
            5,
            |r| r.requests,
            |r, _| human_count(r.requests),
        )
        .col(
            "origin_calls",
            "ORIGIN CALLS",
            1,
            |r| r.origin_calls,
            |r, _| human_count(r.origin_calls),
        )
        .col(
            "origin_calls_per_expiry",
            "PER EXPIRY",
            1,
            |r| r.origin_calls_per_expiry,
            |r, _| format!("{:.2}", r.origin_calls_per_expiry),
        )
        .plain("peak_origin_concurrency", "PEAK ORIGIN", 2, |r| {
            r.peak_origin_concurrency
        })
        .col(
            "hit_rate_pct",
            "HIT%",
            3,
            |r| r.hit_rate_pct,
            |r, _| format!("{:.1}", r.hit_rate_pct),
        )
        .col(
            "misses",
            "MISSES",
            3,
            |r| r.misses,
            |r, _| human_count(r.misses),
        )
        .col(
            "stale_served",
            "STALE",
            4,
            |r| r.stale_served,
            |r, _| human_count(r.stale_served),
        )
        .col(
            "p50_ms",
            "P50 MS",
            6,
            |r| r.p50_ms,
            |r, _| format!("{:.1}", r.p50_ms),
        )
        .col(
            "p95_ms",
            "P95 MS",
            6,
            |r| r.p95_ms,
            |r, _| format!("{:.1}", r.p95_ms),
        )
        .col(
            "p99_ms",
            "P99 MS",
            4,
            |r| r.p99_ms,
            |r, _| format!("{:.1}", r.p99_ms),
        )
        .col(
            "max_ms",
            "MAX MS",
            7,
            |r| r.max_ms,
            |r, _| format!("{:.1}", r.max_ms),
        );
    c
}

impl Report for SimReport {
    /// --live stopped by a signal: interrupted, after the strategies run so far.
    fn outcome(&self) -> crate::error::Outcome {
        if self.interrupted {
            crate::error::Outcome::Interrupted
        } else {
            crate::error::Outcome::Ok
        }
    }

    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let head = format!(
            "Stampede {} ({}): {}",
            if self.mode == "live" {
                "live run"
            } else {
                "model"
            },
            format_args!("seed {}", self.seed),
            self.workload
        );
        writeln!(w, "{}", ctx.prose(&head))?;
        let t = columns().table(ctx, &self.results);
        writeln!(w, "{t}")?;
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        columns().write_csv(w, &self.results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_names_the_json_fields() {
        let r = Outcome {
            strategy: "none",
            requests: 1,
            origin_calls: 1,
            origin_calls_per_expiry: 1.0,
            peak_origin_concurrency: 1,
            hit_rate_pct: 0.0,
            misses: 1,
            stale_served: 0,
            p50_ms: 1.0,
            p95_ms: 1.0,
            p99_ms: 1.0,
            max_ms: 1.0,
            cycles: 1,
        };
        // `cycles` is the divisor behind origin_calls_per_expiry: JSON only
        crate::render::column::assert_csv_matches_json(&columns(), &r, &[], &["cycles"]);
    }
}
