//! Hostile input is a clear error: one line, exit 2, no panic, no hang.

use crate::support::{cachectl, RedisServer};

fn one_line_usage(args: &[&str]) -> String {
    let out = cachectl().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.starts_with("cachectl: error: "), "{args:?}: {err}");
    assert!(
        !err.contains("internal error") && !err.contains("panicked"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    err
}

#[test]
fn out_of_range_durations_rates_and_percents_are_usage_errors() {
    let e = one_line_usage(&["--timeout", "1e30", "analyze"]);
    assert!(e.contains("--timeout") && e.contains("100 years"), "{e}");
    let e = one_line_usage(&["report", "--interval", "1e20"]);
    assert!(e.contains("--interval"), "{e}");
    let e = one_line_usage(&["warm", "--ttl", "1e300", "--source", "x.csv", "--key", "k"]);
    assert!(e.contains("--ttl"), "{e}");
    for args in [
        &["--timeout", "NaN", "analyze"][..],
        &["--timeout", "inf", "analyze"],
        &["--timeout=-1s", "analyze"],
        &["--timeout", "99999999999999999999h", "analyze"],
        &["analyze", "--rate", "1e-300"],
        &["analyze", "--rate", "NaN"],
        &[
            "warm",
            "--source",
            "x.csv",
            "--key",
            "k",
            "--ttl-jitter",
            "NaN",
        ],
        &[
            "warm",
            "--source",
            "x.csv",
            "--key",
            "k",
            "--refresh-below",
            "inf",
        ],
        &[
            "simulate",
            "stampede",
            "--duration",
            "1e20",
            "--rate",
            "1000/s",
        ],
        &[
            "simulate",
            "stampede",
            "--duration",
            "36000d",
            "--rate",
            "1000/s",
        ],
        &["simulate", "stampede", "--clients", "18446744073709551615"],
        &["simulate", "stampede", "--ttl-jitter", "1e400%"],
        &["invalidate", "pattern", "x:*", "--soft", "-5s"],
        &["recommend", "--recompute", "1e30"],
    ] {
        one_line_usage(args);
    }
}

#[test]
fn hostile_profiles_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (ttl, needle) in [
        ("1e30", "100 years"),
        ("-5", "negative"),
        (".nan", "invalid duration"),
        (".inf", "invalid duration"),
    ] {
        let p = dir.path().join("p.yaml");
        std::fs::write(
            &p,
            format!("name: x\nnamespaces:\n  a:\n    pattern: \"a:*\"\n    ttl: {ttl}\n"),
        )
        .unwrap();
        let e = one_line_usage(&["profile", "check", p.to_str().unwrap()]);
        assert!(
            e.contains("p.yaml:5:") && e.contains("ttl") && e.contains(needle),
            "{e}"
        );
    }
    // a hostile namespace pattern is matched in linear time (analyze -P classifies keys)
    let p = dir.path().join("glob.yaml");
    std::fs::write(
        &p,
        "name: x\nnamespaces:\n  a:\n    pattern: \"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\"\n",
    )
    .unwrap();
    let s = RedisServer::start();
    let _: () = redis::cmd("SET")
        .arg("a".repeat(80))
        .arg("v")
        .query(&mut s.conn())
        .unwrap();
    let out = cachectl()
        .args([
            "-u",
            &s.url(),
            "-P",
            p.to_str().unwrap(),
            "analyze",
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
}

#[test]
fn hostile_glob_on_the_client_side_matcher() {
    // --sample filters client-side: the pattern that took 20 s with the backtracking matcher
    let s = RedisServer::start();
    let _: () = redis::cmd("SET")
        .arg("a".repeat(80))
        .arg("v")
        .query(&mut s.conn())
        .unwrap();
    let out = cachectl()
        .args([
            "-u",
            &s.url(),
            "analyze",
            "--match",
            "*a*a*a*a*a*a*a*a*a*a*a*a*b",
            "--sample",
            "100",
            "-o",
            "json",
        ])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn acl_user(s: &RedisServer, name: &str, rules: &[&str]) -> String {
    let mut c = s.conn();
    let mut cmd = redis::cmd("ACL");
    cmd.arg("SETUSER").arg(name).arg("on").arg(">pw").arg("~*");
    for r in rules {
        cmd.arg(*r);
    }
    let _: () = cmd.query(&mut c).unwrap();
    format!("redis://{name}:pw@127.0.0.1:{}", s.port)
}

#[test]
fn policy_from_info_memory_when_config_get_is_refused() {
    let s = RedisServer::start_with(&["--maxmemory-policy", "allkeys-lfu"]);
    {
        let mut c = s.conn();
        for i in 0..50 {
            let _: () = redis::cmd("SET")
                .arg(format!("hot:{i}"))
                .arg("v")
                .query(&mut c)
                .unwrap();
        }
    }
    // everything analyze needs but CONFIG
    let url = acl_user(&s, "noconfig", &["+@all", "-config"]);
    let out = cachectl()
        .args(["-u", &url, "analyze", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["eviction_policy"], "allkeys-lfu", "{v}");
    assert_eq!(v["access_stat"], "freq", "{v}");
    let out = cachectl()
        .args(["-u", &url, "report", "--interval", "0", "-o", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["eviction_policy"], "allkeys-lfu", "{v}");

    // no OBJECT either: the run goes on, and says once that access statistics are missing
    let url = acl_user(&s, "noobject", &["+@all", "-config", "-object"]);
    let out = cachectl()
        .args(["-u", &url, "analyze", "-o", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("OBJECT FREQ refused").count(), 1, "{err}");
    assert!(err.contains("NOPERM") && err.contains("+object"), "{err}");
}
