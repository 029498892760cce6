use serde::Deserialize;

use crate::support::{cachectl, RedisServer};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Sim {
    mode: String,
    workload: String,
    seed: u64,
    results: Vec<Outcome>,
}

#[derive(Debug, Clone, Deserialize)]
#[allow(dead_code)]
struct Outcome {
    strategy: String,
    requests: u64,
    origin_calls: u64,
    origin_calls_per_expiry: f64,
    peak_origin_concurrency: u64,
    hit_rate_pct: f64,
    misses: u64,
    stale_served: u64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

fn sim(args: &[&str]) -> Sim {
    let out = cachectl()
        .args(["simulate", "stampede"])
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn by(s: &Sim, name: &str) -> Outcome {
    s.results
        .iter()
        .find(|o| o.strategy == name)
        .unwrap()
        .clone()
}

#[test]
fn burst_theory_from_the_cli() {
    let s = sim(&["--clients", "1000", "--nodes", "5"]);
    assert_eq!(s.mode, "model");
    assert_eq!(s.results.len(), 7, "all strategies by default");
    assert_eq!(by(&s, "none").origin_calls, 1000);
    assert_eq!(by(&s, "lock").origin_calls, 1);
    assert_eq!(by(&s, "singleflight").origin_calls, 5);
    assert_eq!(by(&s, "swr").stale_served, 1000);
    assert!(s.results.iter().all(|o| o.requests == 1000));
}

#[test]
fn poisson_theory_and_determinism() {
    let args = [
        "--rate",
        "1000/s",
        "--duration",
        "300s",
        "--ttl",
        "10s",
        "--recompute",
        "100ms",
    ];
    let s = sim(&args);
    let none = by(&s, "none").origin_calls_per_expiry;
    assert!((95.0..=107.0).contains(&none), "{none}");
    // XFetch's per-cycle count varies a lot (sd ≈ 2): average over many expiries
    let long = sim(&[
        "--rate",
        "1000/s",
        "--duration",
        "3000s",
        "--ttl",
        "10s",
        "--recompute",
        "100ms",
        "--strategy",
        "xfetch",
    ]);
    let xf = by(&long, "xfetch");
    assert!(
        (2.45..=3.0).contains(&xf.origin_calls_per_expiry),
        "{:?}",
        xf.origin_calls_per_expiry
    );
    assert!(xf.misses <= 5, "{}", xf.misses);
    for st in ["xfetch-lock", "swr", "lock", "refresh-ahead"] {
        assert!(
            (by(&s, st).origin_calls_per_expiry - 1.0).abs() < 0.05,
            "{st}"
        );
    }
    // the same seed: byte-identical output, in every format
    for fmt in ["json", "csv", "table"] {
        let run = || {
            cachectl()
                .args(["simulate", "stampede"])
                .args(args)
                .args(["--seed", "7", "-o", fmt])
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(run(), run(), "{fmt}");
    }
    let other = sim(&[&args[..], &["--seed", "8"]].concat());
    assert_ne!(other.results[0].requests, s.results[0].requests);
    // a subset of strategies, CSV columns
    let out = cachectl()
        .args([
            "simulate",
            "stampede",
            "--strategy",
            "none,xfetch",
            "-o",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "strategy,requests,origin_calls,origin_calls_per_expiry,peak_origin_concurrency,hit_rate_pct,misses,stale_served,p50_ms,p95_ms,p99_ms,max_ms"
    );
    assert_eq!(text.lines().count(), 3);
}

#[test]
fn usage_errors() {
    for bad in [
        vec!["--strategy", "magic"],
        vec!["--beta", "0"],
        vec!["--clients", "0"],
        vec!["--nodes", "0"],
        vec!["--recompute", "0s"],
        vec!["--rate", "fast"],
        vec!["--recompute-dist", "pareto"],
    ] {
        let out = cachectl()
            .args(["simulate", "stampede"])
            .args(&bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn live_lock_with_1000_concurrent_clients_makes_one_origin_call() {
    let s = RedisServer::start();
    let out = cachectl()
        .args([
            "--url",
            &s.url(),
            "simulate",
            "stampede",
            "--live",
            "--clients",
            "1000",
        ])
        .args([
            "--strategy",
            "none,lock,singleflight,swr",
            "--nodes",
            "5",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Sim = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.mode, "live");
    let lock = by(&r, "lock");
    assert_eq!(
        (
            lock.requests,
            lock.origin_calls,
            lock.peak_origin_concurrency
        ),
        (1000, 1, 1)
    );
    assert!(
        lock.p50_ms >= 100.0,
        "waiters wait for the rebuild: {}",
        lock.p50_ms
    );
    assert_eq!(by(&r, "none").origin_calls, 1000);
    assert_eq!(by(&r, "singleflight").origin_calls, 5);
    assert_eq!(by(&r, "swr").origin_calls, 1);
    assert_eq!(s.dbsize(), 0, "cachectl:sim: keys are removed afterwards");
}
