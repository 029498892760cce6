//! Reading the nodes for a window — INFO samples, the namespaces' metrics keys, PING round
//! trips — and the window built from two readings. Both kinds of window (`--interval` and
//! `--since`) read through these functions and end in [`build_window`].

use std::collections::HashMap;
use std::time::Instant;

use anyhow::Result;

use super::window::{
    self, judge, lifetime_total, node_row, p95_ms, recommendations, total_row, worst, NodeRow,
    Sample, Status,
};
use super::{since, NamespaceRow, Ns, Options, Window};
use crate::audit::now_rfc3339;
use crate::config::Settings;
use crate::engine::{Engine, Role};
use crate::profile::Slo;

/// What every window of a run is judged by: the profile's SLO and namespaces (those with a
/// `metrics_key`), and the server's eviction policy.
pub(super) struct Scope {
    pub slo: Slo,
    pub ns: Vec<Ns>,
    pub policy: Option<String>,
}

impl Scope {
    pub async fn of(engine: &Engine, s: &Settings) -> Scope {
        let slo = s
            .profile
            .as_ref()
            .map(|l| l.profile.slo.clone())
            .unwrap_or_default();
        let ns = s
            .profile
            .as_ref()
            .map(|l| {
                l.profile
                    .namespaces
                    .iter()
                    .filter_map(|(name, n)| {
                        n.metrics_key.as_ref().map(|k| Ns {
                            name: name.clone(),
                            key: k.clone(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let policy = Engine::eviction_policy(&engine.nodes[0]).await;
        Scope { slo, ns, policy }
    }
}

/// One end of a window: every node's INFO counters (in `engine.nodes` order) and each
/// namespace's (hits, misses) from its metrics key (in `Scope::ns` order).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reading {
    pub nodes: Vec<Sample>,
    pub ns: Vec<(u64, u64)>,
}

/// What one window is built from.
pub(super) struct Span {
    pub number: u64,
    pub started_at: String,
    /// `None`: lifetime counters (no window start)
    pub before: Option<Reading>,
    pub after: Reading,
    pub secs: f64,
    /// commands the report itself sent to each node inside the window (taken out of ops/s)
    pub own: u64,
    /// p95 PING round trip per node
    pub latencies: Vec<Option<f64>>,
}

/// The next window: since the stored sample with `--since`, else over `--interval` (lifetime
/// counters at interval 0).
pub(super) async fn one_window(
    engine: &mut Engine,
    a: &Options,
    scope: &Scope,
    number: u64,
) -> Result<Window> {
    match &a.since {
        Some(path) => since::window(engine, a, scope, number, path).await,
        None => interval_window(engine, a, scope, number).await,
    }
}

/// Two readings `--interval` apart, the latency probes inside the window; `--interval 0`:
/// one reading, lifetime counters.
async fn interval_window(
    engine: &mut Engine,
    a: &Options,
    scope: &Scope,
    number: u64,
) -> Result<Window> {
    let started_at = now_rfc3339();
    let lifetime = a.interval.is_zero();
    let before = if lifetime {
        None
    } else {
        // the metrics keys first: reading them is keyspace traffic, kept out of the window
        let ns = read_namespaces(engine, &scope.ns).await?;
        Some(Reading {
            nodes: sample_all(engine).await?,
            ns,
        })
    };
    let t0 = Instant::now();
    let latencies = latencies(engine, a.latency_samples).await?;
    if !lifetime {
        let left = a.interval.saturating_sub(t0.elapsed());
        tokio::time::sleep(left).await;
    }
    let nodes = sample_all(engine).await?;
    let secs = t0.elapsed().as_secs_f64();
    let ns = read_namespaces(engine, &scope.ns).await?;
    Ok(build_window(
        engine,
        scope,
        Span {
            number,
            started_at,
            before,
            after: Reading { nodes, ns },
            secs,
            own: 1 + a.latency_samples as u64, // the first INFO and the PINGs
            latencies,
        },
    ))
}

/// Every node's INFO counters.
pub(super) async fn sample_all(engine: &mut Engine) -> Result<Vec<Sample>> {
    let mut out = Vec::with_capacity(engine.nodes.len());
    for i in 0..engine.nodes.len() {
        out.push(Sample::parse(&engine.info_text(i).await?));
    }
    Ok(out)
}

/// Each namespace's (hits, misses) from its metrics key (missing hash or fields: 0).
pub(super) async fn read_namespaces(engine: &Engine, ns: &[Ns]) -> Result<Vec<(u64, u64)>> {
    let mut out = Vec::with_capacity(ns.len());
    for n in ns {
        out.push(ns_counts(&engine.hgetall(&n.key).await?));
    }
    Ok(out)
}

fn ns_counts(m: &HashMap<String, String>) -> (u64, u64) {
    let g = |k: &str| {
        m.get(k)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    (g("hits"), g("misses"))
}

/// The latency sampler of both window kinds: p95 of `samples` PING round trips per node
/// (PING: no keyspace effect); `None` for every node when `samples` is 0.
pub(super) async fn latencies(engine: &Engine, samples: usize) -> Result<Vec<Option<f64>>> {
    let mut out = Vec::with_capacity(engine.nodes.len());
    for i in 0..engine.nodes.len() {
        let mut times = if samples > 0 {
            engine.ping_times(i, samples).await?
        } else {
            Vec::new()
        };
        out.push(p95_ms(&mut times));
    }
    Ok(out)
}

/// Replication lag of each replica: its primary's offset minus the replica's acknowledged one.
fn repl_lags(engine: &Engine, samples: &[Sample]) -> Vec<Option<u64>> {
    engine
        .nodes
        .iter()
        .map(|n| {
            if n.role != Role::Replica {
                return None;
            }
            let (host, port) = n.addr.rsplit_once(':')?;
            let port: u16 = port.parse().ok()?;
            engine
                .nodes
                .iter()
                .zip(samples)
                .filter(|(p, _)| p.role == Role::Primary && p.shard == n.shard)
                .find_map(|(_, ps)| {
                    ps.replicas
                        .iter()
                        .find(|(ip, p, _)| *p == port && (ip == host || host == "localhost"))
                        .map(|(_, _, off)| ps.master_repl_offset.saturating_sub(*off))
                })
        })
        .collect()
}

/// Rows, total, verdicts and advice of one window (`span.before` None: lifetime).
pub(super) fn build_window(engine: &Engine, scope: &Scope, span: Span) -> Window {
    let slo = &scope.slo;
    let lifetime = span.before.is_none();
    let lags = repl_lags(engine, &span.after.nodes);
    let mut rows: Vec<NodeRow> = engine
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut r = node_row(
                &n.addr,
                n.role.as_str(),
                span.before.as_ref().map(|b| &b.nodes[i]),
                &span.after.nodes[i],
                span.secs,
                span.own,
                span.latencies[i],
                lags[i],
            );
            judge(&mut r, slo);
            r
        })
        .collect();
    let mut total = total_row(&rows, !lifetime);
    total.lifetime_hit_rate_pct = lifetime_total(&span.after.nodes.iter().collect::<Vec<_>>());
    if lifetime {
        total.hit_rate_pct = total.lifetime_hit_rate_pct;
    }
    judge(&mut total, slo);
    let worst_node = worst(&rows).map(|r| r.node.clone());
    // overall: the total's verdict, escalated by any node that is WARN or CRIT
    let node_max = rows
        .iter()
        .map(|r| r.status)
        .filter(|s| matches!(s, Status::Warn | Status::Crit))
        .max()
        .unwrap_or(Status::Ok);
    let status = total.status.max(node_max);
    let namespaces = namespace_rows(
        &scope.ns,
        span.before.as_ref().map(|b| &b.ns[..]),
        &span.after.ns,
        slo,
    );
    let recs = recommendations(&total, &rows, slo, scope.policy.as_deref());
    rows.sort_by(|x, y| x.node.cmp(&y.node));
    let note = lifetime.then(|| super::lifetime_note(total.uptime_s, None));
    Window {
        window: span.number,
        started_at: span.started_at,
        interval_s: (!lifetime).then_some(window::round1(span.secs)),
        basis: if lifetime { "lifetime" } else { "interval" },
        since: None,
        note,
        nodes: rows,
        total,
        namespaces,
        status,
        worst_node,
        recommendations: recs,
        ..Default::default()
    }
}

/// The namespaces' rows: the counters' growth over the window (`before` None: lifetime),
/// unknown when the application reset them.
fn namespace_rows(
    ns: &[Ns],
    before: Option<&[(u64, u64)]>,
    after: &[(u64, u64)],
    slo: &Slo,
) -> Vec<NamespaceRow> {
    ns.iter()
        .enumerate()
        .map(|(i, n)| {
            let (lh, lm) = after[i];
            let (h, m) = match before {
                Some(b) if b[i].0 <= lh && b[i].1 <= lm => (Some(lh - b[i].0), Some(lm - b[i].1)),
                Some(_) => (None, None), // counters reset by the app
                None => (Some(lh), Some(lm)),
            };
            let (hr, st) = window::judge_namespace(h, m, slo);
            NamespaceRow {
                namespace: n.name.clone(),
                metrics_key: n.key.clone(),
                hits: h,
                misses: m,
                hit_rate_pct: hr,
                lifetime_hit_rate_pct: (lh + lm > 0)
                    .then(|| window::round1(lh as f64 * 100.0 / (lh + lm) as f64)),
                status: st,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_rows_are_the_growth_unknown_after_a_reset() {
        let ns = [
            Ns {
                name: "a".into(),
                key: "m:a".into(),
            },
            Ns {
                name: "b".into(),
                key: "m:b".into(),
            },
        ];
        let slo = Slo::default();
        let rows = namespace_rows(&ns, Some(&[(10, 0), (50, 5)]), &[(19, 1), (3, 1)], &slo);
        assert_eq!((rows[0].hits, rows[0].misses), (Some(9), Some(1)));
        assert_eq!(rows[0].hit_rate_pct, Some(90.0));
        assert_eq!(rows[0].lifetime_hit_rate_pct, Some(95.0));
        // b's counters went down: the app reset them, the window's figures are unknown
        assert_eq!((rows[1].hits, rows[1].misses), (None, None));
        assert_eq!(rows[1].lifetime_hit_rate_pct, Some(75.0));
        let life = namespace_rows(&ns, None, &[(3, 1), (0, 0)], &slo);
        assert_eq!((life[0].hits, life[0].misses), (Some(3), Some(1)));
        assert_eq!(life[1].lifetime_hit_rate_pct, None);
    }

    #[test]
    fn ns_counts_reads_hits_and_misses_and_defaults_to_zero() {
        let m: HashMap<String, String> = [("hits", " 12 "), ("misses", "x"), ("other", "3")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(ns_counts(&m), (12, 0));
        assert_eq!(ns_counts(&HashMap::new()), (0, 0));
    }
}
