//! Pure pieces of `report`: INFO samples -> window deltas (with restart / reset detection),
//! SLO verdicts, totals, recommendations, sparklines. No I/O.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::engine::info::{parse_info, parse_keyspace_db};
use crate::profile::Slo;

/// The counters of one INFO reply that a report needs (stored by `report --since`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sample {
    pub run_id: String,
    pub uptime_s: u64,
    pub hits: u64,
    pub misses: u64,
    pub evicted: u64,
    pub expired: u64,
    pub commands: u64,
    pub used_memory: u64,
    pub maxmemory: u64,
    pub keys: u64,
    pub master_repl_offset: u64,
    /// replicas as the primary sees them: (ip, port, offset)
    pub replicas: Vec<(String, u16, u64)>,
    pub eviction_exceeded_ms: u64,
}

impl Sample {
    pub fn parse(text: &str) -> Sample {
        let m = parse_info(text);
        let num = |k: &str| {
            m.get(k)
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(0)
        };
        let keys = m
            .iter()
            .filter(|(k, _)| k.starts_with("db") && k[2..].chars().all(|c| c.is_ascii_digit()))
            .map(|(_, v)| parse_keyspace_db(v).0)
            .sum();
        let replicas = m
            .iter()
            .filter(|(k, _)| k.starts_with("slave") && k[5..].chars().all(|c| c.is_ascii_digit()))
            .filter_map(|(_, v)| {
                let f: HashMap<&str, &str> =
                    v.split(',').filter_map(|p| p.split_once('=')).collect();
                Some((
                    f.get("ip")?.to_string(),
                    f.get("port")?.parse().ok()?,
                    f.get("offset")?.parse().ok()?,
                ))
            })
            .collect();
        Sample {
            run_id: m.get("run_id").cloned().unwrap_or_default(),
            uptime_s: num("uptime_in_seconds"),
            hits: num("keyspace_hits"),
            misses: num("keyspace_misses"),
            evicted: num("evicted_keys"),
            expired: num("expired_keys"),
            commands: num("total_commands_processed"),
            used_memory: num("used_memory"),
            maxmemory: num("maxmemory"),
            keys,
            master_repl_offset: num("master_repl_offset"),
            replicas,
            eviction_exceeded_ms: num("current_eviction_exceeded_time"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    #[default]
    Ok,
    Unknown,
    Warn,
    Crit,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Unknown => "UNKNOWN",
            Status::Warn => "WARN",
            Status::Crit => "CRIT",
        }
    }
}

/// One node (or the total) over one window.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NodeRow {
    pub node: String,
    pub role: String,
    pub keys: u64,
    pub hits: Option<u64>,
    pub misses: Option<u64>,
    pub hit_rate_pct: Option<f64>,
    pub lifetime_hit_rate_pct: Option<f64>,
    pub evicted: Option<u64>,
    pub expired: Option<u64>,
    pub eviction_pct: Option<f64>,
    pub used_memory: u64,
    pub maxmemory: u64,
    pub memory_pct: Option<f64>,
    pub ops_per_s: Option<f64>,
    pub p95_latency_ms: Option<f64>,
    pub repl_lag_bytes: Option<u64>,
    pub status: Status,
    /// why the status is what it is
    pub reasons: Vec<String>,
    /// seconds since the node started (lifetime figures cover this)
    pub uptime_s: u64,
    /// the window was broken by a restart or CONFIG RESETSTAT
    pub reset: bool,
    pub eviction_exceeded_ms: u64,
    /// what `eviction_pct` divides by: keys at the window's start (lifetime: keys now plus
    /// keys evicted); the total divides Σevicted by Σ of this over the same primaries
    #[serde(skip)]
    pub eviction_base: u64,
}

fn pct(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| round1(a as f64 * 100.0 / b as f64))
}

/// Evicted keys as a percent of `base` (0 when there was nothing to evict from).
fn eviction_pct(evicted: u64, base: u64) -> f64 {
    if base > 0 {
        round1(evicted as f64 * 100.0 / base as f64)
    } else {
        0.0
    }
}

pub fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A window from two samples `secs` apart. `own_commands` is what the report itself sent
/// to the node in between (subtracted from ops/s). `after` alone (interval 0) gives the
/// lifetime figures.
#[allow(clippy::too_many_arguments)]
pub fn node_row(
    node: &str,
    role: &str,
    before: Option<&Sample>,
    after: &Sample,
    secs: f64,
    own_commands: u64,
    p95_ms: Option<f64>,
    repl_lag_bytes: Option<u64>,
) -> NodeRow {
    let lifetime = pct(after.hits, after.hits + after.misses);
    let mut row = NodeRow {
        node: node.to_string(),
        role: role.to_string(),
        keys: after.keys,
        hits: None,
        misses: None,
        hit_rate_pct: None,
        lifetime_hit_rate_pct: lifetime,
        evicted: None,
        expired: None,
        eviction_pct: None,
        used_memory: after.used_memory,
        maxmemory: after.maxmemory,
        memory_pct: pct(after.used_memory, after.maxmemory),
        ops_per_s: None,
        p95_latency_ms: p95_ms,
        repl_lag_bytes,
        status: Status::Ok,
        reasons: Vec::new(),
        uptime_s: after.uptime_s,
        reset: false,
        eviction_exceeded_ms: after.eviction_exceeded_ms,
        eviction_base: 0,
    };
    match before {
        None => {
            // lifetime counters
            row.hits = Some(after.hits);
            row.misses = Some(after.misses);
            row.hit_rate_pct = lifetime;
            row.evicted = Some(after.evicted);
            row.expired = Some(after.expired);
            row.eviction_base = after.keys + after.evicted;
            row.eviction_pct = Some(eviction_pct(after.evicted, row.eviction_base));
            if after.uptime_s > 0 {
                row.ops_per_s = Some(round1(after.commands as f64 / after.uptime_s as f64));
            }
        }
        Some(b) => {
            let went_down = after.hits < b.hits
                || after.misses < b.misses
                || after.evicted < b.evicted
                || after.expired < b.expired
                || after.commands < b.commands;
            if b.run_id != after.run_id || went_down {
                row.reset = true;
                row.reasons.push(if b.run_id != after.run_id {
                    "restarted inside the window (run_id changed): figures unknown".into()
                } else {
                    "counters went down inside the window (CONFIG RESETSTAT?): figures unknown"
                        .into()
                });
            } else {
                let (h, m) = (after.hits - b.hits, after.misses - b.misses);
                row.hits = Some(h);
                row.misses = Some(m);
                row.hit_rate_pct = pct(h, h + m);
                let ev = after.evicted - b.evicted;
                row.evicted = Some(ev);
                row.expired = Some(after.expired - b.expired);
                row.eviction_base = b.keys;
                row.eviction_pct = Some(eviction_pct(ev, b.keys));
                if secs > 0.0 {
                    let ops = (after.commands - b.commands).saturating_sub(own_commands);
                    row.ops_per_s = Some(round1(ops as f64 / secs));
                }
            }
        }
    }
    row
}

/// The hit-rate verdict alone (nodes and namespaces judge it the same way): the level and
/// the threshold it crossed. `None` when the rate is fine.
fn hit_rate_level(hr: f64, slo: &Slo) -> Option<(Status, f64)> {
    if hr < slo.hit_rate_pct.crit_below {
        Some((Status::Crit, slo.hit_rate_pct.crit_below))
    } else if hr < slo.hit_rate_pct.warn_below {
        Some((Status::Warn, slo.hit_rate_pct.warn_below))
    } else {
        None
    }
}

/// A namespace's hit rate from its app-side counters (`metrics_key`), and its verdict:
/// UNKNOWN below `min_lookups`.
pub fn judge_namespace(h: Option<u64>, m: Option<u64>, slo: &Slo) -> (Option<f64>, Status) {
    match (h, m) {
        (Some(h), Some(m)) if h + m > 0 => {
            let hr = round1(h as f64 * 100.0 / (h + m) as f64);
            let st = if h + m < slo.min_lookups {
                Status::Unknown
            } else {
                hit_rate_level(hr, slo).map_or(Status::Ok, |(s, _)| s)
            };
            (Some(hr), st)
        }
        _ => (None, Status::Unknown),
    }
}

/// Apply the SLO: sets `status` and `reasons`.
pub fn judge(row: &mut NodeRow, slo: &Slo) {
    let mut level = Status::Ok;
    // each reason with its level: the most severe are listed first, so the line a check
    // prints (`--fail-on`) names what made the row CRIT, not an UNKNOWN beside it
    let mut raised: Vec<(Status, String)> = Vec::new();
    let mut raise = |s: Status, why: String, _: &mut Vec<String>| {
        if s > level {
            level = s;
        }
        if !why.is_empty() {
            raised.push((s, why));
        }
    };
    let mut reasons = std::mem::take(&mut row.reasons);
    if row.reset {
        raise(Status::Unknown, String::new(), &mut Vec::new());
    }
    let lookups = row.hits.unwrap_or(0) + row.misses.unwrap_or(0);
    match row.hit_rate_pct {
        Some(hr) if lookups >= slo.min_lookups => {
            if let Some((level, limit)) = hit_rate_level(hr, slo) {
                raise(level, format!("hit rate {hr}% < {limit}%"), &mut reasons);
            }
        }
        _ if !row.reset => raise(
            Status::Unknown,
            format!(
                "{lookups} lookups in the window, fewer than min_lookups {}",
                slo.min_lookups
            ),
            &mut reasons,
        ),
        _ => {}
    }
    if let Some(m) = row.memory_pct {
        if m > slo.memory_pct.crit_above {
            raise(
                Status::Crit,
                format!("memory {m}% > {}%", slo.memory_pct.crit_above),
                &mut reasons,
            );
        } else if m > slo.memory_pct.warn_above {
            raise(
                Status::Warn,
                format!("memory {m}% > {}%", slo.memory_pct.warn_above),
                &mut reasons,
            );
        }
    }
    if let Some(e) = row.eviction_pct {
        if e > slo.eviction_pct.crit_above {
            raise(
                Status::Crit,
                format!("evictions {e}% of keys > {}%", slo.eviction_pct.crit_above),
                &mut reasons,
            );
        }
    }
    if let Some(p) = row.p95_latency_ms {
        if p > slo.p95_latency_ms.crit_above {
            raise(
                Status::Crit,
                format!("p95 latency {p} ms > {} ms", slo.p95_latency_ms.crit_above),
                &mut reasons,
            );
        }
    }
    if row.eviction_exceeded_ms > 0 {
        raise(
            Status::Warn,
            format!(
                "over maxmemory for {} ms (current_eviction_exceeded_time)",
                row.eviction_exceeded_ms
            ),
            &mut reasons,
        );
    }
    raised.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut all: Vec<String> = raised.into_iter().map(|(_, why)| why).collect();
    all.append(&mut reasons);
    row.status = level;
    row.reasons = all;
}

/// The total row: Σhits/Σlookups (never an average of ratios); keys and memory of
/// primaries (replicas hold copies); the worst p95.
pub fn total_row(rows: &[NodeRow], secs_known: bool) -> NodeRow {
    let known: Vec<&NodeRow> = rows.iter().filter(|r| !r.reset).collect();
    let sum = |f: &dyn Fn(&NodeRow) -> Option<u64>| -> Option<u64> {
        if known.is_empty() {
            None
        } else {
            Some(known.iter().filter_map(|r| f(r)).sum())
        }
    };
    let primaries = || rows.iter().filter(|r| r.role != "replica");
    let hits = sum(&|r| r.hits);
    let misses = sum(&|r| r.misses);
    let keys: u64 = primaries().map(|r| r.keys).sum();
    let evicted = sum(&|r| r.evicted);
    let used: u64 = rows.iter().map(|r| r.used_memory).sum();
    let maxm: u64 = rows.iter().map(|r| r.maxmemory).sum();
    let all_limited = rows.iter().all(|r| r.maxmemory > 0);
    NodeRow {
        node: "total".into(),
        role: "total".into(),
        keys,
        hits,
        misses,
        hit_rate_pct: match (hits, misses) {
            (Some(h), Some(m)) => pct(h, h + m),
            _ => None,
        },
        lifetime_hit_rate_pct: None,
        evicted,
        expired: sum(&|r| r.expired),
        // the nodes' own definition, summed over the same (known) primaries: a one-node
        // total always equals its node
        eviction_pct: evicted.map(|_| {
            let p = || known.iter().filter(|r| r.role != "replica");
            eviction_pct(
                p().filter_map(|r| r.evicted).sum(),
                p().map(|r| r.eviction_base).sum(),
            )
        }),
        used_memory: used,
        maxmemory: if all_limited { maxm } else { 0 },
        memory_pct: if all_limited { pct(used, maxm) } else { None },
        ops_per_s: if secs_known {
            Some(round1(known.iter().filter_map(|r| r.ops_per_s).sum()))
        } else {
            None
        },
        p95_latency_ms: rows
            .iter()
            .filter_map(|r| r.p95_latency_ms)
            .reduce(f64::max),
        repl_lag_bytes: rows.iter().filter_map(|r| r.repl_lag_bytes).max(),
        status: Status::Ok,
        reasons: Vec::new(),
        uptime_s: rows.iter().map(|r| r.uptime_s).min().unwrap_or(0),
        reset: known.is_empty() && !rows.is_empty(),
        eviction_exceeded_ms: rows
            .iter()
            .map(|r| r.eviction_exceeded_ms)
            .max()
            .unwrap_or(0),
        eviction_base: known
            .iter()
            .filter(|r| r.role != "replica")
            .map(|r| r.eviction_base)
            .sum(),
    }
}

/// Lifetime hit rate of the total, Σ over nodes.
pub fn lifetime_total(samples: &[&Sample]) -> Option<f64> {
    let h: u64 = samples.iter().map(|s| s.hits).sum();
    let m: u64 = samples.iter().map(|s| s.misses).sum();
    pct(h, h + m)
}

/// The worst node: highest status, then lowest hit rate.
pub fn worst(rows: &[NodeRow]) -> Option<&NodeRow> {
    rows.iter().max_by(|a, b| {
        a.status.cmp(&b.status).then(
            b.hit_rate_pct
                .unwrap_or(101.0)
                .partial_cmp(&a.hit_rate_pct.unwrap_or(101.0))
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    })
}

/// What to do about it (CORE-CACHE-003 step 6, TreeBeard monitoring).
pub fn recommendations(
    total: &NodeRow,
    nodes: &[NodeRow],
    slo: &Slo,
    policy: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    let lookups = total.hits.unwrap_or(0) + total.misses.unwrap_or(0);
    if let Some(hr) = total.hit_rate_pct.filter(|_| lookups >= slo.min_lookups) {
        if hr < slo.hit_rate_pct.warn_below {
            out.push(format!(
                "Low hit rate ({hr}% < {}%): lengthen TTLs where staleness allows, warm predictable hot keys (cachectl warm), and check that memory is not evicting the working set",
                slo.hit_rate_pct.warn_below
            ));
        }
    }
    let evicting = nodes.iter().any(|r| {
        r.eviction_pct
            .is_some_and(|e| e > slo.eviction_pct.crit_above)
            || r.eviction_exceeded_ms > 0
    });
    if evicting {
        out.push(format!(
            "High eviction rate: raise maxmemory or review maxmemory-policy (now {}); volatile-lru protects persistent keys when they share the instance",
            policy.unwrap_or("unknown")
        ));
    }
    if nodes
        .iter()
        .any(|r| r.memory_pct.is_some_and(|m| m > slo.memory_pct.warn_above))
    {
        out.push(format!(
            "Memory above {}% of maxmemory: add memory, shorten TTLs, or find big keys and keys without TTL (cachectl analyze)",
            slo.memory_pct.warn_above
        ));
    }
    if nodes
        .iter()
        .any(|r| r.maxmemory == 0 && r.role != "replica")
    {
        out.push("maxmemory is not set: a cache without a memory limit grows until the host runs out; set maxmemory and an eviction policy".into());
    }
    if nodes.iter().any(|r| {
        r.p95_latency_ms
            .is_some_and(|p| p > slo.p95_latency_ms.crit_above)
    }) {
        out.push(format!(
            "p95 latency above {} ms: look for big keys and slow commands (SLOWLOG GET), network distance, or an overloaded host",
            slo.p95_latency_ms.crit_above
        ));
    }
    if nodes.iter().any(|r| r.reset) {
        out.push("A node restarted or its stats were reset inside the window: run the report again for a verdict".into());
    }
    out
}

/// ▁▂▃▄▅▆▇█ for values in 0–100 (gaps for unknown windows).
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| match v {
            Some(v) => BARS[((v.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize],
            None => ' ',
        })
        .collect()
}

/// p95 of durations, in ms (nearest rank).
pub fn p95_ms(times: &mut [std::time::Duration]) -> Option<f64> {
    crate::stats::nearest_rank(times, 0.95).map(|d| (d.as_secs_f64() * 1e6).round() / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_severe_reason_comes_first() {
        let slo = Slo::default();
        let mut row = NodeRow {
            hits: Some(0),
            misses: Some(0),
            memory_pct: Some(95.0),
            ..NodeRow::default()
        };
        judge(&mut row, &slo);
        assert_eq!(row.status, Status::Crit);
        assert!(row.reasons[0].starts_with("memory 95"), "{:?}", row.reasons);
        assert!(row.reasons[1].contains("min_lookups"), "{:?}", row.reasons);
    }

    #[test]
    fn namespaces_are_judged_like_nodes() {
        let slo = Slo::default(); // warn < 80, crit < 70, min_lookups 1000
        assert_eq!(
            judge_namespace(Some(900), Some(100), &slo),
            (Some(90.0), Status::Ok)
        );
        assert_eq!(
            judge_namespace(Some(750), Some(250), &slo),
            (Some(75.0), Status::Warn)
        );
        assert_eq!(
            judge_namespace(Some(600), Some(400), &slo),
            (Some(60.0), Status::Crit)
        );
        // too few lookups: a rate, but no verdict
        assert_eq!(
            judge_namespace(Some(6), Some(4), &slo),
            (Some(60.0), Status::Unknown)
        );
        assert_eq!(judge_namespace(None, None, &slo), (None, Status::Unknown));
        assert_eq!(
            judge_namespace(Some(0), Some(0), &slo),
            (None, Status::Unknown)
        );
    }

    fn sample(run: &str, hits: u64, misses: u64) -> Sample {
        Sample {
            run_id: run.into(),
            uptime_s: 100,
            hits,
            misses,
            keys: 1000,
            commands: 10_000,
            used_memory: 50,
            maxmemory: 100,
            ..Sample::default()
        }
    }

    #[test]
    fn parses_info() {
        let text = "# Server\r\nrun_id:abc\r\nuptime_in_seconds:42\r\n# Stats\r\nkeyspace_hits:10\r\nkeyspace_misses:5\r\nevicted_keys:1\r\nexpired_keys:2\r\ntotal_commands_processed:99\r\ncurrent_eviction_exceeded_time:0\r\n# Memory\r\nused_memory:1000\r\nmaxmemory:0\r\n# Replication\r\nrole:master\r\nslave0:ip=127.0.0.1,port=7001,state=online,offset=500,lag=0\r\nmaster_repl_offset:600\r\n# Keyspace\r\ndb0:keys=7,expires=1,avg_ttl=0\r\ndb3:keys=3,expires=0,avg_ttl=0\r\n";
        let s = Sample::parse(text);
        assert_eq!(
            (s.run_id.as_str(), s.uptime_s, s.hits, s.misses),
            ("abc", 42, 10, 5)
        );
        assert_eq!(
            (s.keys, s.commands, s.used_memory, s.maxmemory),
            (10, 99, 1000, 0)
        );
        assert_eq!(s.replicas, vec![("127.0.0.1".to_string(), 7001, 500)]);
        assert_eq!(s.master_repl_offset, 600);
    }

    #[test]
    fn window_of_2400_hits_600_misses_is_80_pct() {
        let before = sample("r", 1000, 1000);
        let after = sample("r", 3400, 1600);
        let mut row = node_row(
            "n",
            "primary",
            Some(&before),
            &after,
            10.0,
            0,
            Some(0.2),
            None,
        );
        assert_eq!(
            (row.hits, row.misses, row.hit_rate_pct),
            (Some(2400), Some(600), Some(80.0))
        );
        assert_eq!(row.lifetime_hit_rate_pct, Some(68.0));
        judge(&mut row, &Slo::default());
        assert_eq!(row.status, Status::Ok);
    }

    #[test]
    fn restarts_and_resets_are_unknown() {
        let before = sample("r1", 1000, 1000);
        let mut row = node_row(
            "n",
            "primary",
            Some(&before),
            &sample("r2", 5000, 10),
            10.0,
            0,
            None,
            None,
        );
        assert!(row.reset && row.hit_rate_pct.is_none());
        judge(&mut row, &Slo::default());
        assert_eq!(row.status, Status::Unknown);
        let mut row = node_row(
            "n",
            "primary",
            Some(&before),
            &sample("r1", 10, 10),
            10.0,
            0,
            None,
            None,
        );
        assert!(row.reset);
        judge(&mut row, &Slo::default());
        assert_eq!(row.status, Status::Unknown);
    }

    #[test]
    fn slo_levels() {
        let slo = Slo::default();
        let verdict = |h: u64, m: u64| {
            let mut r = node_row(
                "n",
                "primary",
                Some(&sample("r", 0, 0)),
                &sample("r", h, m),
                10.0,
                0,
                None,
                None,
            );
            judge(&mut r, &slo);
            r.status
        };
        assert_eq!(verdict(900, 100), Status::Ok);
        assert_eq!(verdict(750, 250), Status::Warn);
        assert_eq!(verdict(600, 400), Status::Crit);
        assert_eq!(verdict(60, 40), Status::Unknown, "fewer than min_lookups");
        let mut r = node_row(
            "n",
            "primary",
            Some(&sample("r", 0, 0)),
            &sample("r", 1000, 0),
            10.0,
            0,
            Some(12.0),
            None,
        );
        judge(&mut r, &slo);
        assert_eq!(r.status, Status::Crit);
        assert!(r.reasons[0].contains("p95"));
    }

    #[test]
    fn total_eviction_pct_divides_like_its_nodes() {
        // a window: 400 evicted of 1000 keys at its start, 600 keys at its end
        let mut before = sample("r", 0, 0);
        before.keys = 1000;
        let mut after = sample("r", 10, 0);
        after.keys = 600;
        after.evicted = 400;
        let row = node_row("n", "primary", Some(&before), &after, 1.0, 0, None, None);
        assert_eq!(row.eviction_pct, Some(40.0));
        assert_eq!(total_row(&[row], true).eviction_pct, Some(40.0));
        // lifetime: evicted / (keys now + evicted)
        let row = node_row("n", "primary", None, &after, 0.0, 0, None, None);
        assert_eq!(row.eviction_pct, Some(40.0));
        assert_eq!(
            total_row(std::slice::from_ref(&row), false).eviction_pct,
            Some(40.0)
        );
        // two nodes: Σevicted / Σbase, replicas left out
        let mut b = after.clone();
        b.keys = 900;
        b.evicted = 100;
        let r2 = node_row("m", "primary", None, &b, 0.0, 0, None, None);
        let rep = node_row("r", "replica", None, &b, 0.0, 0, None, None);
        assert_eq!(total_row(&[row, r2, rep], false).eviction_pct, Some(25.0));
    }

    #[test]
    fn totals_are_sums_not_averages() {
        let slo = Slo::default();
        let a = node_row(
            "a",
            "primary",
            Some(&sample("r", 0, 0)),
            &sample("r", 900, 100),
            1.0,
            0,
            None,
            None,
        );
        let b = node_row(
            "b",
            "primary",
            Some(&sample("r", 0, 0)),
            &sample("r", 10, 90),
            1.0,
            0,
            None,
            None,
        );
        let mut rows = vec![a, b];
        for r in &mut rows {
            judge(r, &slo);
        }
        let t = total_row(&rows, true);
        assert_eq!(t.hit_rate_pct, Some(82.7)); // 910/1100, not (90+10)/2 = 50
        assert_eq!(t.keys, 2000);
        assert_eq!(worst(&rows).unwrap().node, "b");
        assert_eq!(
            sparkline(&[Some(0.0), Some(50.0), None, Some(100.0)]),
            "▁▅ █"
        );
        let mut ts: Vec<std::time::Duration> =
            (1..=100).map(std::time::Duration::from_millis).collect();
        assert_eq!(p95_ms(&mut ts), Some(95.0));
    }
}
