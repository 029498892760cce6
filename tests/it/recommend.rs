use std::process::Command;

use serde::Deserialize;

use crate::support::{cachectl, Loader, RedisServer};

#[derive(Debug, Deserialize)]
struct Out {
    recommendations: Vec<Rec>,
    instance: Option<Instance>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Rec {
    namespace: String,
    strategy: String,
    ttl: u64,
    ttl_jitter_pct: f64,
    eviction_policy: String,
    invalidation: String,
    stampede_protection: String,
    warm: String,
    rationale: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Instance {
    current_policy: Option<String>,
    recommended_policy: String,
    used_memory: u64,
    maxmemory: u64,
    recommended_maxmemory: u64,
    keys: u64,
    keys_without_ttl: u64,
    evicted: u64,
    rationale: String,
}

fn rec(args: &[&str]) -> Out {
    let out = cachectl().args(args).args(["-o", "json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn ad_hoc_strategies_follow_core_cache_003() {
    for (rw, c, want) in [
        ("50", "eventual", "cache-aside"),
        ("8", "strong", "read-through"),
        ("1", "strong", "write-through"),
        ("1", "eventual", "write-behind"),
    ] {
        let o = rec(&["recommend", "--read-write-ratio", rw, "--consistency", c]);
        assert_eq!(o.recommendations.len(), 1);
        let r = &o.recommendations[0];
        assert_eq!(r.strategy, want, "{rw} + {c}");
        assert!(r.rationale.contains(want), "{}", r.rationale);
        assert!(o.instance.is_none());
    }
    // no description at all: a usage error; no server needed for the rules
    cachectl().arg("recommend").assert().code(2);
    cachectl()
        .args(["recommend", "--read-write-ratio", "0"])
        .assert()
        .code(2);
    let o = rec(&[
        "recommend",
        "--namespace",
        "prices",
        "--read-write-ratio",
        "200",
        "--consistency",
        "eventual",
        "--update-interval",
        "1d",
        "--staleness",
        "0s",
        "--access",
        "hot",
        "--recompute",
        "800ms",
    ]);
    let r = &o.recommendations[0];
    assert_eq!(
        (r.namespace.as_str(), r.ttl, r.stampede_protection.as_str()),
        ("prices", 60, "xfetch-lock")
    );
    assert_eq!(r.warm, "yes");
}

#[test]
fn treebeard_gives_one_explained_row_per_namespace() {
    let o = rec(&["-P", "profiles/treebeard.yaml", "recommend"]);
    let names: Vec<&str> = o
        .recommendations
        .iter()
        .map(|r| r.namespace.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "plan_catalog",
            "recommendations",
            "response_cache",
            "usage_analysis",
            "user_profile"
        ]
    );
    let by = |n: &str| o.recommendations.iter().find(|r| r.namespace == n).unwrap();
    assert_eq!(
        by("plan_catalog").ttl,
        3600,
        "TreeBeard matrix: plan catalog 1 h"
    );
    assert_eq!(by("user_profile").ttl, 86_400);
    assert_eq!(by("usage_analysis").ttl, 604_800);
    assert_eq!(by("response_cache").ttl, 300);
    assert_eq!(by("recommendations").strategy, "refresh-ahead");
    assert_eq!(by("plan_catalog").warm, "yes (job popular_plans)");
    assert!(by("plan_catalog").invalidation.contains("tags (plans)"));
    for r in &o.recommendations {
        for part in [
            "Strategy",
            "TTL",
            "Eviction",
            "Invalidation",
            "Stampede",
            "Warm",
        ] {
            assert!(
                r.rationale.contains(part),
                "{}: {}",
                r.namespace,
                r.rationale
            );
        }
    }
    let one = rec(&[
        "-P",
        "profiles/treebeard.yaml",
        "recommend",
        "--namespace",
        "user_profile",
    ]);
    assert_eq!(one.recommendations.len(), 1);
    cachectl()
        .args([
            "-P",
            "profiles/treebeard.yaml",
            "recommend",
            "--namespace",
            "nope",
        ])
        .assert()
        .code(2);
    // CSV columns
    let out = cachectl()
        .args(["-P", "treebeard", "recommend", "-o", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(
        "namespace,strategy,ttl,ttl_jitter_pct,eviction_policy,invalidation,stampede_protection,warm,rationale\n"
    ));
}

#[test]
fn observe_finds_the_planted_problems() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..400 {
            l.cmd(
                "SET",
                &format!("plan_catalog:v1:plan_{i}"),
                &[&"{}", &"EX", &3600],
            );
            // no TTL at all
            l.cmd("SET", &format!("recommendations:v1:user_{i}"), &[&"[]"]);
            // 30 days where 24 h is recommended
            l.cmd(
                "SET",
                &format!("user_profile:v1:user_{i}"),
                &[&"{}", &"EX", &(30 * 86_400)],
            );
        }
        // a low hit rate in the app's counters
        l.cmd(
            "HSET",
            "cache:metrics:user_profile",
            &[&"hits", &300, &"misses", &700],
        );
    }
    let o = rec(&[
        "--url",
        &s.url(),
        "-P",
        "profiles/treebeard.yaml",
        "recommend",
        "--observe",
    ]);
    let by = |n: &str| o.recommendations.iter().find(|r| r.namespace == n).unwrap();
    assert!(
        by("recommendations")
            .rationale
            .contains("400 of 400 keys have no TTL"),
        "{}",
        by("recommendations").rationale
    );
    let up = &by("user_profile").rationale;
    assert!(up.contains("far from the recommended 1d"), "{up}");
    assert!(up.contains("hit rate is 30%"), "{up}");
    assert_eq!(
        by("user_profile").warm,
        "yes",
        "a low hit rate asks for warming"
    );
    assert!(
        !by("plan_catalog").rationale.contains("Observed"),
        "{}",
        by("plan_catalog").rationale
    );
    assert!(by("usage_analysis").rationale.contains("no live keys"));
    let i = o.instance.expect("instance");
    assert_eq!(i.current_policy.as_deref(), Some("noeviction"));
    assert_eq!(i.recommended_policy, "volatile-lru", "{}", i.rationale);
    assert_eq!(i.keys_without_ttl, 401);
    assert_eq!(i.maxmemory, 0);
    assert!(i.recommended_maxmemory >= 64 * 1024 * 1024);
    assert!(
        i.rationale.contains("maxmemory is not set") && i.rationale.contains("noeviction"),
        "{}",
        i.rationale
    );
}

#[test]
fn demo_runs_to_completion_and_leaves_no_process() {
    let count = || {
        let out = Command::new("pgrep")
            .args(["-c", "-f", "redis-server.*cachectl-demo"])
            .output();
        out.map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<u32>()
                .unwrap_or(0)
        })
        .unwrap_or(0)
    };
    let before = count();
    let t = std::time::Instant::now();
    let out = cachectl().arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(t.elapsed() < std::time::Duration::from_secs(60));
    let text = String::from_utf8(out.stdout).unwrap();
    for step in [
        "1/4 cachectl -P treebeard analyze",
        "2/4",
        "3/4",
        "4/4",
        "the demo server is stopped",
    ] {
        assert!(text.contains(step), "missing `{step}`:\n{text}");
    }
    for ns in [
        "plan_catalog:v1:*",
        "user_profile:v1:*",
        "recommendations:v1:*",
        "usage_analysis:v1:*",
        "cache:response:*",
    ] {
        assert!(text.contains(ns), "{ns}");
    }
    assert!(text.contains("same minute") && text.contains("no TTL"));
    assert!(text.contains("refresh-ahead") && text.contains("xfetch-lock"));
    assert_eq!(count(), before, "the demo's redis-server is gone");
    let port: u16 = text
        .split("redis://127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .expect("the demo names its server");
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "nothing listens on the demo's port {port} any more"
    );

    // without redis-server on PATH: one clear line
    let out = cachectl()
        .arg("demo")
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("redis-server is not installed")
            && err.contains("apt-get install redis-server"),
        "{err}"
    );
}
