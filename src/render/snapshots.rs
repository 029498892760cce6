//! Every command's table drawn from fixed data at 80 and 120 columns: one line per row,
//! nothing wider than the terminal, no trailing spaces, and the exact text in a snapshot
//! (`src/render/snapshots/`; review changes with `cargo insta review`, or accept them with
//! `INSTA_UPDATE=always cargo test --lib snapshots`).

use std::collections::BTreeMap;

use super::{render, RenderCtx, Report};
use crate::analyze::aggregate::{BigKey, Finding, PatternRow, Severity, TimelineRow};
use crate::analyze::{AnalyzeReport, NodeRow as ScanNode};
use crate::error::Outcome;
use crate::invalidate::{InvalidateReport, Row};
use crate::render::Format;
use crate::report::window::{NodeRow, Status};
use crate::report::{NamespaceRow, ReportOut, Window};
use crate::verify::compare::{Verdict, Why};
use crate::verify::tally::{Example, Row as VerifyRow};
use crate::warm::{RunEnd, RunRow, WarmReport};

fn draw<R: Report>(r: &R, width: usize) -> String {
    let ctx = RenderCtx {
        format: Format::Table,
        color: false,
        tty: true,
        width: Some(width),
    };
    let mut out = Vec::new();
    render(r, &ctx, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    // a color terminal shows the same layout: escapes take no room (they pushed wrapped
    // findings 9 columns right, past 80)
    let colored = RenderCtx { color: true, ..ctx };
    let mut out = Vec::new();
    render(r, &colored, &mut out).unwrap();
    let colored = String::from_utf8(out).unwrap();
    assert!(colored.contains('\x1b'), "colors drawn");
    assert_eq!(
        super::table::strip_sgr(&colored),
        text,
        "colors moved the layout"
    );
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "wider than {width}: {line:?}\n{text}"
        );
        assert_eq!(line, line.trim_end(), "trailing spaces: {line:?}");
    }
    text
}

fn check<R: Report>(name: &str, r: &R) {
    for width in [80, 120] {
        insta::assert_snapshot!(format!("{name}_{width}"), draw(r, width));
    }
}

fn pattern(p: &str, ns: Option<&str>, keys: u64, mem: u64, types: &[(&str, u64)]) -> PatternRow {
    PatternRow {
        pattern: p.into(),
        namespace: ns.map(str::to_string),
        keys,
        keys_pct: keys as f64 * 100.0 / 1_234_567.0,
        memory_bytes: mem,
        memory_pct: mem as f64 * 100.0 / 987_654_321.0,
        avg_bytes: mem / keys.max(1),
        max_bytes: mem / keys.max(1) * 3,
        types: types.iter().map(|(t, n)| (t.to_string(), *n)).collect(),
        no_ttl_keys: keys / 7,
        ttl_p50_s: Some(3600),
        ttl_max_s: Some(86_400),
        idle_p50_s: Some(120),
        example_key: format!("{}42", p.trim_end_matches('*')),
        encodings: BTreeMap::from([
            ("listpack".into(), keys / 2),
            ("hashtable".into(), keys / 2),
        ]),
        elements_avg: Some(12.5),
        elements_max: Some(4096),
        size_p50_bytes: Some(96),
        size_p99_bytes: Some(4_200),
        ..PatternRow::default()
    }
}

#[test]
fn analyze_table() {
    let r = AnalyzeReport {
        scanned_keys: 1_234_567,
        total_keys: 1_234_567,
        duration_ms: 8_420,
        url: "redis://cache-1.prod.internal:6379".into(),
        access_stat: "idle",
        keyspace_hits_added: 3_703_701,
        keyspace_hits_exact: true,
        nodes: vec![ScanNode {
            node: "cache-1.prod.internal:6379".into(),
            role: "primary".into(),
            dbsize: 1_234_567,
            scanned_keys: 1_234_567,
            probed_keys: 1_234_567,
            weight: 1.0,
            duration_ms: 8_420,
            ..ScanNode::default()
        }],
        patterns: vec![
            pattern(
                "user_profile:v1:user_*:preferences",
                Some("user_profile"),
                600_000,
                512_000_000,
                &[("hash", 600_000)],
            ),
            pattern(
                "plan_catalog:v1:*",
                Some("plan_catalog"),
                149_907,
                301_000_000,
                &[("string", 149_907)],
            ),
            PatternRow {
                memory_estimated_keys: 1,
                ..pattern(
                    "recommendations:v1:user_*:items:region_eu_west_1:segment_*",
                    None,
                    400_000,
                    120_000_000,
                    &[("zset", 400_000)],
                )
            },
            pattern(
                "session:*",
                None,
                84_660,
                54_000_000,
                &[("string", 80_000), ("hash", 4_660)],
            ),
        ],
        big_keys: vec![BigKey {
            key: "recommendations:v1:user_1234567890:items:region_eu_west_1:segment_premium_plus"
                .into(),
            r#type: "zset".into(),
            bytes: 9_800_000,
            bytes_estimated: true,
            ttl_s: None,
            pattern: "recommendations:v1:user_*:items:region_eu_west_1:segment_*".into(),
            namespace: None,
        }],
        findings: vec![
            Finding {
                severity: Severity::Critical,
                pattern: "session:*".into(),
                message:
                    "12,094 of 84,660 keys have no TTL: a cache key without one stays until evicted"
                        .into(),
            },
            Finding {
                severity: Severity::Warning,
                pattern: "recommendations:v1:user_*:items:region_eu_west_1:segment_*".into(),
                message: "outside every profile namespace".into(),
            },
            Finding {
                severity: Severity::Info,
                pattern: "recommendations:v1:user_*:items:region_eu_west_1:segment_*".into(),
                message: "400,000 keys are hashtable-encoded with 12.5 fields on average: past the listpack threshold (hash-max-listpack-entries 128, values over 64 bytes) a hash takes several times the memory; smaller hashes or a higher threshold keep them compact".into(),
            },
        ],
        memory_source: "memory-usage",
        memory_estimated_keys: 1,
        expiry_timeline: ["1m", "10m", "1h", "6h", "1d", "7d", "later", "never"]
            .iter()
            .enumerate()
            .map(|(i, b)| TimelineRow {
                bucket: b.to_string(),
                keys: 1000 * (i as u64 + 1),
                memory_bytes: 1_048_576 * (i as u64 + 1),
            })
            .collect(),
        ..AnalyzeReport::default()
    };
    check("analyze", &r);
}

fn node(name: &str, role: &str, hits: u64, misses: u64, status: Status) -> NodeRow {
    NodeRow {
        node: name.into(),
        role: role.into(),
        keys: 1_234_567,
        hits: Some(hits),
        misses: Some(misses),
        hit_rate_pct: Some((hits * 1000 / (hits + misses)) as f64 / 10.0),
        lifetime_hit_rate_pct: Some(91.3),
        evicted: Some(1_204),
        expired: Some(88_112),
        eviction_pct: Some(0.1),
        used_memory: 3_221_225_472,
        maxmemory: 4_294_967_296,
        memory_pct: Some(75.0),
        ops_per_s: Some(48_211.5),
        p95_latency_ms: Some(0.42),
        repl_lag_bytes: (role == "replica").then_some(1_024),
        status,
        ..NodeRow::default()
    }
}

#[test]
fn report_table() {
    let total = node("total", "total", 2_400_000, 600_000, Status::Warn);
    let w = Window {
        window: 1,
        started_at: "2026-11-22T05:00:00.000Z".into(),
        interval_s: Some(10.0),
        basis: "interval",
        nodes: vec![
            node("cache-1.prod.internal:6379", "primary", 1_600_000, 300_000, Status::Ok),
            node("cache-1-replica.prod.internal:6379", "replica", 800_000, 300_000, Status::Warn),
        ],
        total,
        namespaces: vec![NamespaceRow {
            namespace: "plan_catalog".into(),
            metrics_key: "cache:metrics:plan_catalog".into(),
            hits: Some(9_000),
            misses: Some(1_000),
            hit_rate_pct: Some(90.0),
            lifetime_hit_rate_pct: Some(91.2),
            status: Status::Ok,
        }],
        status: Status::Warn,
        worst_node: Some("cache-1-replica.prod.internal:6379".into()),
        recommendations: vec![
            "hit rate 72.7% < 80%: longer TTLs for the read-heavy namespaces, or warm them before the traffic".into(),
        ],
        ..Window::default()
    };
    let r = ReportOut {
        url: "redis://cache-1.prod.internal:6379".into(),
        eviction_policy: Some("allkeys-lfu".into()),
        windows: vec![w],
        status: Status::Warn,
        ..ReportOut::default()
    };
    check("report", &r);
}

#[test]
fn report_patterns_table() {
    use crate::report::patterns::{MissBurst, PatternRow as P};
    let p =
        |pattern: &str, ns: Option<&str>, lookups: u64, misses: u64, ci: (f64, f64), top: &str| P {
            pattern: pattern.into(),
            namespace: ns.map(str::to_string),
            lookups: Some(lookups),
            hits: Some(lookups - misses),
            misses: Some(misses),
            hit_rate_pct: Some(
                ((lookups - misses) as f64 * 1000.0 / lookups as f64).round() / 10.0,
            ),
            hit_rate_low_pct: Some(ci.0),
            hit_rate_high_pct: Some(ci.1),
            estimated: true,
            writes: Some(lookups / 20),
            deletes: Some(3),
            expired: Some(120),
            evicted: Some(0),
            top_missed_key: Some(top.into()),
            top_missed_count: Some(42),
        };
    let total = node("total", "total", 2_400_000, 600_000, Status::Warn);
    let w = Window {
        window: 1,
        started_at: "2026-11-22T05:00:00.000Z".into(),
        interval_s: Some(10.0),
        basis: "interval",
        nodes: vec![node(
            "cache-1.prod.internal:6379",
            "primary",
            2_400_000,
            600_000,
            Status::Warn,
        )],
        total,
        status: Status::Warn,
        patterns: Some(vec![
            p(
                "recommendations:v1:user_*:items:region_eu_west_1",
                Some("recommendations"),
                400_000,
                380_000,
                (4.1, 5.9),
                "recommendations:v1:user_8812:items:region_eu_west_1",
            ),
            p(
                "user_profile:v1:user_*",
                Some("user_profile"),
                1_200_000,
                120_000,
                (89.6, 90.4),
                "user_profile:v1:user_17",
            ),
            p(
                "session:*",
                None,
                800_000,
                100_000,
                (87.1, 87.9),
                "session:9f2c",
            ),
        ]),
        miss_bursts: Some(vec![MissBurst {
            key: "recommendations:v1:user_8812:items:region_eu_west_1".into(),
            pattern: "recommendations:v1:user_*:items:region_eu_west_1".into(),
            namespace: Some("recommendations".into()),
            count: 57,
            at: "2026-11-22T05:00:04Z".into(),
            seconds: 2,
        }]),
        ..Window::default()
    };
    let r = ReportOut {
        url: "redis://cache-1.prod.internal:6379".into(),
        patterns: Some(crate::report::PatternsRun {
            sample_reads_pct: 10.0,
            events: "on",
            ..Default::default()
        }),
        windows: vec![w],
        status: Status::Warn,
        ..ReportOut::default()
    };
    check("report_patterns", &r);
}

#[test]
fn invalidate_table() {
    let rows = vec![
        Row {
            selector: "recommendations:v1:user_*:items:region_eu_west_1:segment_*".into(),
            kind: "pattern".into(),
            matched: 400_000,
            deleted: 399_500,
            missing: 0,
            unknown: 500,
            nodes: 3,
            duration_ms: 2_410,
            ..Row::default()
        },
        Row {
            selector: "plans".into(),
            kind: "tag".into(),
            matched: 1_200,
            deleted: 1_198,
            missing: 2,
            nodes: 3,
            duration_ms: 40,
            ..Row::default()
        },
    ];
    let r = InvalidateReport::new(
        rows,
        Outcome::Failed("stopped after 400,698 keys were deleted (500 unknown)".into()),
    );
    check("invalidate", &r);
}

#[test]
fn warm_table() {
    let mut a = RunRow {
        job: "popular_plans_from_the_postgres_replica".into(),
        rows: 500_000,
        written: 499_990,
        failed: 10,
        duration_ms: 2_500,
        rate_per_s: 199_996.0,
        started_at: "2026-11-22T05:00:00.000Z".into(),
        ..RunRow::default()
    };
    a.finish(RunEnd::Ok);
    let mut b = RunRow {
        job: "sessions".into(),
        rows: 1,
        duration_ms: 3,
        started_at: "2026-11-22T05:00:02.500Z".into(),
        ..RunRow::default()
    };
    b.finish(RunEnd::Locked(
        "lock cachectl:lock:warm:sessions held by web-2:4242:1".into(),
    ));
    check("warm", &WarmReport::new(vec![a, b], None));
}

#[test]
fn verify_table() {
    let row = |scope: &str, fresh: u64, stale: u64, missing: u64, ex: Option<&str>| VerifyRow {
        scope: scope.into(),
        checked: fresh + stale + missing,
        fresh,
        stale,
        missing,
        coherence_pct: crate::verify::compare::coherence_pct(fresh, stale),
        example_key: ex.map(str::to_string),
    };
    let r = crate::verify::VerifyReport {
        mode: "source",
        rows: vec![
            row("plan_catalog", 1_880, 100, 20, Some("plan_catalog:v1:1240")),
            row(
                "recommendations:v1:user_*:items:region_eu_west_1:segment_*",
                48_000,
                0,
                3,
                Some("recommendations:v1:user_1:items:region_eu_west_1:segment_9"),
            ),
        ],
        total: row("total", 49_880, 100, 23, Some("plan_catalog:v1:1240")),
        status: "check-failed",
        message: Some("coherence 99.80% is below 99.9%".into()),
        fail_below: 99.9,
        compare: "exact",
        estimate: None,
        stale_keys: vec![Example {
            key: "plan_catalog:v1:1240".into(),
            scope: "plan_catalog".into(),
            verdict: Verdict::Stale,
            why: Some(Why::Value),
            expected: None,
            actual: None,
        }],
        missing_keys: Vec::new(),
        expiring: 4,
        bad_rows: 0,
        first_bad_row: None,
        rechecked: 125,
        settled: 2,
        changing: 0,
        reads_touch_lru: false,
        duration_ms: 1_200,
        keys_per_s: 41_600.0,
        outcome: Outcome::CheckFailed("coherence 99.80% is below 99.9%".into()),
    };
    check("verify", &r);
}
