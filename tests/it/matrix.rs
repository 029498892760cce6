//! The compatibility matrix: the core checks of every command, standalone and on a
//! 3-primary cluster with a replica. `.ci/run` runs `cargo test --test it -- matrix::
//! report_patterns::core_` once per server binary (`$CACHECTL_TEST_SERVER`: Redis 6.0, 6.2, Valkey 9; the full suite runs on
//! Debian's 7.0), so every test here must pass on all of them.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::Command;

use serde_json::Value;

use crate::support::{
    cachectl, json, redis_compat_version, server_bin, server_label, Cluster, Loader, RedisServer,
};

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a u64: {v}"))
}

/// Run cachectl and return (exit code, stdout JSON if any, stderr).
fn run(args: &[&str]) -> (Option<i32>, Option<Value>, String) {
    let out = cachectl().args(args).args(["-o", "json"]).output().unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).ok(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn info_stats(c: &mut redis::Connection) -> (u64, u64) {
    let text: String = redis::cmd("INFO").arg("stats").query(c).unwrap();
    let get = |k: &str| -> u64 {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(k))
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    (get("keyspace_hits:"), get("keyspace_misses:"))
}

fn all_keys(conns: Vec<redis::Connection>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for mut c in conns {
        let mut cursor = 0u64;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("COUNT")
                .arg(1000)
                .query(&mut c)
                .unwrap();
            out.extend(keys);
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
    }
    out
}

fn primaries(c: &Cluster) -> Vec<redis::Connection> {
    c.primary_ports()
        .into_iter()
        .map(|p| c.nodes.iter().find(|n| n.port == p).unwrap().conn())
        .collect()
}

/// 300 `user:{i}:profile` (no TTL), 200 `session:{i}` (1 h), a `tag:plans` index of
/// 100 `plan:{i}` keys, and 50 `keep:{i}`.
fn seed(l: &mut Loader) {
    for i in 0..300 {
        l.cmd("SET", &format!("user:{i}:profile"), &[&"{}"]);
    }
    for i in 0..200 {
        l.cmd("SET", &format!("session:{i}"), &[&"s", &"EX", &3600]);
    }
    for i in 0..100 {
        l.cmd("SET", &format!("plan:{i}"), &[&"p", &"EX", &86_400]);
        l.cmd("SADD", "tag:plans", &[&format!("plan:{i}")]);
    }
    for i in 0..50 {
        l.cmd("SET", &format!("keep:{i}"), &[&"k"]);
    }
    l.flush();
}

fn pattern_keys(r: &Value, pattern: &str) -> u64 {
    r["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pattern"] == pattern)
        .map(|p| u(&p["keys"]))
        .unwrap_or_else(|| panic!("no pattern {pattern} in {}", r["patterns"]))
}

fn check_analyze(url: &str, extra: &[&str], nodes: usize, role: &str) {
    let mut args = vec!["--url", url, "analyze"];
    args.extend(extra);
    let r = json(&args);
    assert_eq!(r["scanned_keys"], 651, "{}", server_label());
    assert_eq!(r["nodes"].as_array().unwrap().len(), nodes);
    assert!(r["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["role"] == role));
    assert_eq!(pattern_keys(&r, "user:*:profile"), 300);
    assert_eq!(pattern_keys(&r, "session:*"), 200);
    assert_eq!(pattern_keys(&r, "plan:*"), 100);
}

fn check_invalidate(url: &str, keys: impl Fn() -> BTreeSet<String>) {
    let inv = |args: &[&str]| {
        let mut a = vec!["--url", url, "invalidate"];
        a.extend(args);
        json(&a)["rows"][0].clone()
    };
    // dry run: counts, deletes nothing
    let r = inv(&["pattern", "session:*", "--dry-run"]);
    assert_eq!((u(&r["matched"]), u(&r["deleted"])), (200, 0));
    // soft: plans (1 d) are capped, sessions (1 h) keep theirs; a batch with nothing to
    // cap must not send an empty pipeline (Redis < 7.0 reads PTTLs first)
    let r = inv(&["pattern", "session:*", "--soft", "2h"]);
    assert_eq!((u(&r["matched"]), u(&r["expired"])), (200, 0));
    let r = inv(&["prefix", "plan:", "--soft", "2h"]);
    assert_eq!((u(&r["matched"]), u(&r["expired"])), (100, 100));
    // tag: the members and the index go
    let r = inv(&["tag", "plans", "--tag-format", "cachectl"]);
    assert_eq!((u(&r["matched"]), u(&r["deleted"])), (100, 100));
    // pattern, prefix, exact keys
    let r = inv(&["pattern", "user:*:profile"]);
    assert_eq!(u(&r["deleted"]), 300);
    let r = inv(&["prefix", "session:"]);
    assert_eq!(u(&r["deleted"]), 200);
    let r = inv(&["keys", "keep:1", "keep:2", "absent"]);
    assert_eq!((u(&r["deleted"]), u(&r["missing"])), (2, 1));
    let left = keys();
    assert_eq!(left.len(), 48, "{left:?}");
    assert!(left.iter().all(|k| k.starts_with("keep:")));
}

fn check_warm(url: &str, keys: impl Fn() -> BTreeSet<String>) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("plans.csv");
    let mut f = std::fs::File::create(&p).unwrap();
    writeln!(f, "id,name").unwrap();
    for i in 0..500 {
        writeln!(f, "{i},plan {i}").unwrap();
    }
    drop(f);
    let file = p.display().to_string();
    let r = json(&[
        "--url",
        url,
        "warm",
        "--source",
        &file,
        "--key",
        "warm:{id}",
        "--ttl",
        "1h",
    ]);
    let r = &r["runs"][0];
    assert_eq!((u(&r["written"]), u(&r["failed"])), (500, 0), "{r}");
    let r = json(&[
        "--url",
        url,
        "warm",
        "--source",
        &file,
        "--key",
        "warm:{id}",
        "--mode",
        "missing",
    ]);
    let r = &r["runs"][0];
    assert_eq!((u(&r["written"]), u(&r["skipped"])), (0, 500), "{r}");
    assert_eq!(
        keys().iter().filter(|k| k.starts_with("warm:")).count(),
        500
    );
}

fn check_report_and_recommend(url: &str, nodes: usize) {
    // latency verdicts are not what this checks (a busy machine crosses 10 ms)
    let r = json(&[
        "--url",
        url,
        "report",
        "--interval",
        "0",
        "--fail-on",
        "never",
    ]);
    let w = &r["windows"][0];
    assert_eq!(w["nodes"].as_array().unwrap().len(), nodes, "{w}");
    assert!(w["total"]["hits"].as_u64().is_some());
    let r = json(&[
        "--url",
        url,
        "report",
        "--interval",
        "300ms",
        "--latency-samples",
        "5",
        "--fail-on",
        "never",
    ]);
    assert!(r["windows"][0]["interval_s"].as_f64().is_some());
    let r = json(&[
        "--url",
        url,
        "-P",
        "profiles/treebeard.yaml",
        "recommend",
        "--observe",
    ]);
    assert!(r["instance"]["keys"].as_u64().is_some(), "{r}");
}

fn check_simulate_live(url: &str) {
    let r = json(&[
        "--url",
        url,
        "simulate",
        "stampede",
        "--live",
        "--clients",
        "50",
        "--strategy",
        "none,lock",
    ]);
    let lock = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["strategy"] == "lock")
        .unwrap()
        .clone();
    assert_eq!(
        (u(&lock["requests"]), u(&lock["origin_calls"])),
        (50, 1),
        "{lock}"
    );
}

#[test]
fn core_every_command_standalone() {
    eprintln!("server under test: {}", server_label());
    let s = RedisServer::start();
    seed(&mut Loader::standalone(&s));
    check_analyze(&s.url(), &[], 1, "primary");
    check_report_and_recommend(&s.url(), 1);
    check_invalidate(&s.url(), || all_keys(vec![s.conn()]));
    check_warm(&s.url(), || all_keys(vec![s.conn()]));
    check_simulate_live(&s.url());
}

#[test]
fn core_every_command_on_a_cluster_with_a_replica() {
    let c = Cluster::start_one_replica();
    seed(&mut Loader::cluster(&c));
    c.sync_replicas();
    check_analyze(&c.url(), &[], 3, "primary");
    // --replicas: the shard with a replica is read there, the others on their primary
    let r = json(&["--url", &c.url(), "analyze", "--replicas"]);
    assert_eq!(r["scanned_keys"], 651);
    let roles: Vec<&str> = r["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles.iter().filter(|r| **r == "replica").count(),
        1,
        "{roles:?}"
    );
    check_report_and_recommend(&c.url(), 4);
    check_invalidate(&c.url(), || all_keys(primaries(&c)));
    check_warm(&c.url(), || all_keys(primaries(&c)));
    check_simulate_live(&c.url());
}

#[test]
fn core_demo_runs_on_this_server() {
    // demo starts `redis-server` from PATH: put the server under test there under that name
    let dir = tempfile::tempdir().unwrap();
    let bin = which(&server_bin());
    std::os::unix::fs::symlink(&bin, dir.path().join("redis-server")).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = cachectl().env("PATH", path).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn which(bin: &str) -> std::path::PathBuf {
    if bin.contains('/') {
        return std::fs::canonicalize(bin).unwrap();
    }
    let out = Command::new("sh")
        .args(["-c", &format!("command -v {bin}")])
        .output()
        .unwrap();
    std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

#[test]
fn core_soft_with_nothing_to_cap_is_not_an_error() {
    // Redis < 7.0 has no PEXPIRE … LT: cachectl reads PTTLs and sends only the PEXPIREs
    // needed. A batch where none is needed sent an empty pipeline: "empty command".
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..20 {
            l.cmd("SET", &format!("short:{i}"), &[&"v", &"EX", &30]);
        }
    }
    let r = json(&[
        "--url",
        &s.url(),
        "invalidate",
        "pattern",
        "short:*",
        "--soft",
        "5m",
    ]);
    let row = &r["rows"][0];
    assert_eq!((u(&row["matched"]), u(&row["expired"])), (20, 0), "{r}");
    assert_eq!(s.dbsize(), 20);
}

#[test]
fn core_dead_replica_not_yet_flagged_fail_is_left_out_with_a_warning() {
    let mut c = Cluster::start_one_replica();
    seed(&mut Loader::cluster(&c));
    c.sync_replicas();
    // kill -9: the cluster notices after cluster-node-timeout (5 s); until then CLUSTER
    // NODES says `slave … disconnected` without `fail` (CLUSTER SHARDS: `online`)
    c.nodes[3].kill();
    let url = c.url();
    let (code, out, err) = run(&[
        "--url",
        &url,
        "report",
        "--interval",
        "0",
        "--fail-on",
        "never",
    ]);
    assert_eq!(code, Some(0), "report: {err}");
    let w = &out.unwrap()["windows"][0];
    assert_eq!(w["nodes"].as_array().unwrap().len(), 3, "{w}");
    assert!(
        err.contains("replica"),
        "a warning names the replica: {err}"
    );
    let (code, out, err) = run(&["--url", &url, "analyze", "--replicas"]);
    assert_eq!(code, Some(0), "analyze --replicas: {err}");
    let r = out.unwrap();
    assert_eq!(r["scanned_keys"], 651, "its primary is read instead");
    assert!(r["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["role"] == "primary"));
    assert!(err.contains(&format!("{}", c.nodes[0].port)), "{err}");
    let (code, _, err) = run(&[
        "--url",
        &url,
        "--replicas",
        "invalidate",
        "pattern",
        "session:*",
        "--dry-run",
    ]);
    assert_eq!(code, Some(0), "invalidate --replicas --dry-run: {err}");
}

#[test]
fn core_report_total_eviction_pct_equals_its_only_node() {
    let s = RedisServer::start_with(&["--maxmemory", "3mb", "--maxmemory-policy", "allkeys-lru"]);
    let value = "x".repeat(200);
    let fill = |from: u64, n: u64| {
        let mut l = Loader::standalone(&s);
        for i in from..from + n {
            l.cmd("SET", &format!("fill:{i}"), &[&value]);
        }
    };
    fill(0, 30_000);
    let check = |w: &Value| {
        let node = &w["nodes"][0];
        assert!(node["eviction_pct"].as_f64().unwrap() > 0.0, "{node}");
        assert_eq!(node["eviction_pct"], w["total"]["eviction_pct"], "{w}");
    };
    let r = json(&[
        "--url",
        &s.url(),
        "report",
        "--interval",
        "0",
        "--fail-on",
        "never",
    ]);
    check(&r["windows"][0]);
    // a window with evictions in it
    let url = s.url();
    let pings = crate::support::calls(&mut s.conn(), "ping");
    let report = std::thread::spawn(move || {
        json(&[
            "--url",
            &url,
            "report",
            "--interval",
            "1500ms",
            "--latency-samples",
            "1",
            "--fail-on",
            "never",
        ])
    });
    s.wait_for_calls("ping", pings); // the report's probe follows its first sample
    fill(30_000, 10_000);
    let r = report.join().unwrap();
    check(&r["windows"][0]);
}

#[test]
fn core_analyze_keyspace_hits_added_matches_info_stats() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..3000 {
            l.cmd("SET", &format!("live:{i}"), &[&"v"]);
        }
        for i in 0..200 {
            l.cmd("HSET", &format!("h:{i}"), &[&"f", &"v"]);
        }
        // keys expiring while the scan runs: their probes are misses
        for i in 0..2000 {
            l.cmd("SET", &format!("brief:{i}"), &[&"v", &"PX", &(1 + i % 150)]);
        }
    }
    let mut c = s.conn();
    for (policy, detail) in [
        ("noeviction", false),
        ("allkeys-lfu", false),
        ("noeviction", true),
    ] {
        let _: () = redis::cmd("CONFIG")
            .arg("SET")
            .arg("maxmemory-policy")
            .arg(policy)
            .query(&mut c)
            .unwrap();
        let before = info_stats(&mut c);
        let url = s.url();
        let mut args = vec!["--url", url.as_str(), "analyze", "--scan-count", "100"];
        if detail {
            // OBJECT ENCODING and HLEN/LLEN/… are lookups too
            args.push("--detail");
        }
        let r = json(&args);
        let after = info_stats(&mut c);
        let (hits, misses) = (after.0 - before.0, after.1 - before.1);
        assert_eq!(
            (u(&r["keyspace_hits_added"]), u(&r["keyspace_misses_added"])),
            (hits, misses),
            "{} {policy} detail={detail}",
            server_label()
        );
        assert_eq!(r["keyspace_hits_exact"], true);
        assert_eq!(u(&r["nodes"][0]["keyspace_hits_added"]), hits);
        // 2 lookups per key on Redis 6.0 (TYPE, PTTL), 3 from 6.2 on (and OBJECT)
        let per_key = if redis_compat_version() >= (6, 2, 0) {
            3
        } else {
            2
        };
        assert!(hits >= per_key * 3200, "{hits} hits for 3200 live keys");
    }
}

fn since_run(url: &str, file: &str, extra: &[&str]) -> (Value, String) {
    let mut args = vec!["--url", url];
    args.extend(extra);
    args.extend([
        "report",
        "--since",
        file,
        "--fail-on",
        "never",
        "--latency-samples",
        "3",
    ]);
    let (code, out, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    (out.unwrap()["windows"][0].clone(), err)
}

#[test]
fn core_report_since_judges_the_window_since_the_previous_run() {
    use std::os::unix::fs::PermissionsExt;
    let mut s = RedisServer::start();
    let traffic = |hits: u64, misses: u64| {
        let mut l = Loader::standalone(&s);
        for i in 0..hits {
            l.cmd("GET", &format!("hot:{}", i % 100), &[]);
        }
        for i in 0..misses {
            l.cmd("GET", &format!("cold:{i}"), &[]);
        }
    };
    {
        let mut l = Loader::standalone(&s);
        for i in 0..100 {
            l.cmd("SET", &format!("hot:{i}"), &[&"v"]);
        }
    }
    traffic(50, 50);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.since").display().to_string();
    // first run: lifetime, labelled; the sample is stored, owner-only
    let (w, err) = since_run(&s.url(), &file, &[]);
    assert_eq!(w["basis"], "lifetime", "{w}");
    assert!(w["note"].as_str().unwrap().contains("first run"), "{w}");
    assert!(err.contains("first run"), "a note on stderr: {err}");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // cron runs: each judges exactly the traffic since the previous one
    traffic(2400, 600);
    let (w, _) = since_run(&s.url(), &file, &[]);
    assert_eq!(w["basis"], "since", "{w}");
    assert!(w["since"].as_str().is_some());
    assert_eq!(
        (&w["total"]["hits"], &w["total"]["misses"]),
        (&Value::from(2400), &Value::from(600)),
        "{w}"
    );
    assert_eq!(w["total"]["hit_rate_pct"], 80.0);
    // with a profile, the metrics_key reads land after the sample and are taken out
    traffic(10, 0);
    let (w, _) = since_run(&s.url(), &file, &["-P", "profiles/treebeard.yaml"]);
    assert_eq!((u(&w["total"]["hits"]), u(&w["total"]["misses"])), (10, 0));
    traffic(700, 300);
    let (w, _) = since_run(&s.url(), &file, &["-P", "profiles/treebeard.yaml"]);
    assert_eq!(
        (u(&w["total"]["hits"]), u(&w["total"]["misses"])),
        (700, 300),
        "{w}"
    );
    // CONFIG RESETSTAT: lifetime, labelled
    let _: () = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query(&mut s.conn())
        .unwrap();
    let (w, _) = since_run(&s.url(), &file, &[]);
    assert_eq!(w["basis"], "lifetime");
    assert!(w["note"].as_str().unwrap().contains("RESETSTAT"), "{w}");
    // a restart
    s.restart(&[]);
    let (w, _) = since_run(&s.url(), &file, &[]);
    assert_eq!(w["basis"], "lifetime");
    assert!(w["note"].as_str().unwrap().contains("restarted"), "{w}");
    // a file from another server
    let other = RedisServer::start();
    let (w, _) = since_run(&other.url(), &file, &[]);
    assert_eq!(w["basis"], "lifetime");
    assert!(
        w["note"].as_str().unwrap().contains("another server"),
        "{w}"
    );
    // --interval 0 says what lifetime figures include
    let r = json(&[
        "--url",
        &s.url(),
        "report",
        "--interval",
        "0",
        "--fail-on",
        "never",
    ]);
    let w = &r["windows"][0];
    assert_eq!(w["basis"], "lifetime");
    assert!(w["note"].as_str().unwrap().contains("every reader"), "{w}");
    let out = cachectl()
        .args([
            "--url",
            &s.url(),
            "report",
            "--interval",
            "0",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("every reader"), "{table}");
    // usage
    cachectl()
        .args([
            "--url",
            &s.url(),
            "report",
            "--since",
            &file,
            "--interval",
            "5s",
        ])
        .assert()
        .code(2);
}

#[test]
fn core_analyze_leaves_idle_time_alone_and_uses_client_no_touch_where_it_exists() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..200 {
            l.cmd("SET", &format!("idle:{i}"), &[&"v"]);
        }
    }
    let mut c = s.conn();
    // OBJECT IDLETIME touches nothing: wait until the last key written has idled 2 s
    crate::support::wait_until(std::time::Duration::from_secs(60), "2 s idle", || {
        let t: i64 = redis::cmd("OBJECT")
            .arg("IDLETIME")
            .arg("idle:199")
            .query(&mut c)
            .unwrap();
        t >= 2
    });
    let idle = |c: &mut redis::Connection| -> Vec<i64> {
        (0..200)
            .map(|i| {
                redis::cmd("OBJECT")
                    .arg("IDLETIME")
                    .arg(format!("idle:{i}"))
                    .query(c)
                    .unwrap()
            })
            .collect()
    };
    assert!(idle(&mut c).iter().all(|t| *t >= 2));
    let r = json(&["--url", &s.url(), "analyze"]);
    assert_eq!(r["scanned_keys"], 200);
    let after = idle(&mut c);
    assert!(
        after.iter().all(|t| *t >= 2),
        "{}: analyze touched keys: {after:?}",
        server_label()
    );
    // Redis 7.2+ / Valkey: the connection really ran CLIENT NO-TOUCH on
    let stats: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(&mut c)
        .unwrap();
    let no_touch = stats
        .lines()
        .any(|l| l.starts_with("cmdstat_client|no-touch:calls="));
    assert_eq!(
        no_touch,
        redis_compat_version() >= (7, 2, 0),
        "{}: {stats}",
        server_label()
    );
}

/// Offline analysis on this server's own dump (RDB 9 from 6.0/6.2 with ziplists, RDB 10+ from
/// 7.0 with listpacks, Valkey's own header on 9): the same patterns, key counts, types and
/// TTL-less counts as online analyze and as `--rdb-sync`; `--detail` agrees with the dump on
/// encodings and element counts; the expiry timeline covers every key once.
#[test]
fn core_analyze_rdb_and_rdb_sync_match_online() {
    let s = RedisServer::start();
    crate::rdb::seed_every_encoding(&s);
    let url = s.url();
    let online = json(&["--url", &url, "analyze"]);
    let detail = json(&["--url", &url, "analyze", "--detail"]);
    let dump = crate::rdb::save(&s);
    let offline = json(&["analyze", "--rdb", dump.to_str().unwrap()]);
    let synced = json(&["--url", &url, "analyze", "--rdb-sync"]);
    let by_pattern = |v: &Value| -> std::collections::BTreeMap<String, Value> {
        v["patterns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["pattern"].as_str().unwrap().to_string(), p.clone()))
            .collect()
    };
    let (on, off, sy, det) = (
        by_pattern(&online),
        by_pattern(&offline),
        by_pattern(&synced),
        by_pattern(&detail),
    );
    let label = server_label();
    assert_eq!(
        on.keys().collect::<Vec<_>>(),
        off.keys().collect::<Vec<_>>(),
        "{label}"
    );
    for (name, p) in &on {
        for f in ["keys", "types", "no_ttl_keys"] {
            assert_eq!(p[f], off[name][f], "{label} {name} {f} (--rdb)");
            assert_eq!(p[f], sy[name][f], "{label} {name} {f} (--rdb-sync)");
        }
        for f in ["encodings", "elements_avg", "elements_max"] {
            // Valkey 8+ embeds the key with the value, so whether a 45-64 byte string is embstr
            // depends on the key's length as well: a dump's string encodings follow Redis's
            // 44-byte rule (README, offline analysis)
            if f == "encodings" && p["types"]["string"].is_number() && label.starts_with("valkey") {
                continue;
            }
            assert_eq!(
                det[name][f], off[name][f],
                "{label} {name} {f} (--detail vs dump)"
            );
        }
    }
    let covered: u64 = offline["expiry_timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["keys"].as_u64().unwrap())
        .sum();
    assert_eq!(covered, u(&offline["scanned_keys"]), "{label}");
    assert_eq!(offline["scanned_keys"], online["scanned_keys"], "{label}");
}

#[test]
fn core_analyze_values_on_this_server() {
    crate::values::online_on_this_server();
    crate::values::reads_and_lru_on_this_server();
}
