//! Least privilege: every command run as an ACL user holding exactly what README's table
//! lists for it, and the usual application user `+@all -@dangerous` (no INFO, no CONFIG).

use std::process::Output;

use crate::support::{cachectl, Cluster, RedisServer};

/// Create (or replace) user `name` with password `pw`, every key and channel, and `rules`.
fn user(conn: &mut redis::Connection, name: &str, rules: &str) {
    let _: () = redis::cmd("ACL")
        .arg("DELUSER")
        .arg(name)
        .query(conn)
        .unwrap();
    let mut cmd = redis::cmd("ACL");
    cmd.arg("SETUSER")
        .arg(name)
        .arg("on")
        .arg(">pw")
        .arg("~*")
        .arg("&*")
        .arg("-@all");
    for r in rules.split_whitespace() {
        cmd.arg(r);
    }
    let _: () = cmd.query(conn).unwrap();
}

fn url_of(port: u16, name: &str) -> String {
    format!("redis://{name}:pw@127.0.0.1:{port}")
}

fn run(url: &str, args: &[&str]) -> Output {
    cachectl()
        .args(["-u", url, "--no-progress"])
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: &Output, what: &str) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{what}: exit {:?}: {}",
        out.status.code(),
        stderr(out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

/// The warning lines of a run's stderr (tracing's `WARN`).
fn warnings(out: &Output) -> Vec<String> {
    stderr(out)
        .lines()
        .filter(|l| l.contains(" WARN "))
        .map(str::to_string)
        .collect()
}

fn set(conn: &mut redis::Connection, key: &str) {
    let _: () = redis::cmd("SET").arg(key).arg("v").query(conn).unwrap();
}

fn exists(conn: &mut redis::Connection, key: &str) -> bool {
    redis::cmd("EXISTS").arg(key).query::<i64>(conn).unwrap() == 1
}

fn source(dir: &std::path::Path) -> String {
    let p = dir.join("rows.csv");
    std::fs::write(&p, "id,name\n1,a\n2,b\n3,c\n").unwrap();
    p.display().to_string()
}

/// README "Least privilege": each row's ACL, and the command run as exactly that user.
#[test]
fn each_command_runs_with_exactly_its_minimal_acl() {
    let s = RedisServer::start();
    let mut c = s.conn();
    let src = source(s.dir.path());
    let url = url_of(s.port, "least");

    for i in 0..20 {
        set(&mut c, &format!("a:{i}"));
    }
    user(
        &mut c,
        "least",
        "+dbsize +scan +type +pttl +memory|usage +object",
    );
    let v = ok(&run(&url, &["analyze", "-o", "json"]), "analyze");
    assert_eq!(v["total_keys"], 20, "{v}");
    let v = ok(
        &run(&url, &["analyze", "--detail", "-o", "json"]),
        "analyze --detail",
    );
    assert_eq!(v["total_keys"], 20, "{v}");

    // invalidate keys: +unlink
    set(&mut c, "k:1");
    user(&mut c, "least", "+unlink");
    ok(
        &run(&url, &["invalidate", "keys", "k:1", "--yes", "-o", "json"]),
        "invalidate keys",
    );
    assert!(!exists(&mut c, "k:1"));

    // invalidate pattern / prefix: +scan +unlink
    user(&mut c, "least", "+scan +unlink");
    for (sel, arg) in [("pattern", "p:*"), ("prefix", "p:")] {
        for i in 0..5 {
            set(&mut c, &format!("p:{i}"));
        }
        let v = ok(
            &run(&url, &["invalidate", sel, arg, "--yes", "-o", "json"]),
            sel,
        );
        assert_eq!(v["rows"][0]["deleted"], 5, "{sel}: {v}");
    }
    // --dry-run: +scan
    set(&mut c, "p:1");
    user(&mut c, "least", "+scan");
    ok(
        &run(&url, &["invalidate", "pattern", "p:*", "--dry-run"]),
        "--dry-run",
    );
    assert!(exists(&mut c, "p:1"));
    // --soft: +scan +pexpire
    user(&mut c, "least", "+scan +pexpire");
    ok(
        &run(
            &url,
            &["invalidate", "pattern", "p:*", "--soft", "1m", "--yes"],
        ),
        "--soft",
    );
    let ttl: i64 = redis::cmd("TTL").arg("p:1").query(&mut c).unwrap();
    assert!(ttl > 0 && ttl <= 60, "{ttl}");
    // --publish: +publish
    user(&mut c, "least", "+scan +unlink +publish");
    ok(
        &run(
            &url,
            &["invalidate", "pattern", "p:*", "--yes", "--publish"],
        ),
        "--publish",
    );

    // invalidate tag, a set index (Symfony, cashews, cachectl) and a zset one (Laravel 10+)
    for i in 0..3 {
        set(&mut c, &format!("item:{i}"));
        let _: () = redis::cmd("SADD")
            .arg("tag:grp")
            .arg(format!("item:{i}"))
            .query(&mut c)
            .unwrap();
        set(&mut c, &format!("lc:it{i}"));
        let _: () = redis::cmd("ZADD")
            .arg("lc:tag:news:entries")
            .arg(-1)
            .arg(format!("it{i}"))
            .query(&mut c)
            .unwrap();
    }
    let common = "+type +scan +exists +pttl +eval +unlink";
    user(&mut c, "least", &format!("{common} +sscan +srem +sadd"));
    let v = ok(
        &run(&url, &["invalidate", "tag", "grp", "--yes", "-o", "json"]),
        "invalidate tag (set)",
    );
    assert_eq!(v["rows"][0]["deleted"], 3, "{v}");
    user(&mut c, "least", &format!("{common} +zscan +zrem +zadd"));
    let v = ok(
        &run(&url, &["invalidate", "tag", "news", "--yes", "-o", "json"]),
        "invalidate tag (zset)",
    );
    assert_eq!(v["rows"][0]["deleted"], 3, "{v}");

    // warm: the rows, and its lock (SET NX, renewed and released by a script)
    user(&mut c, "least", "+set +get +del +eval +pexpire");
    let warm = |extra: &[&str]| {
        let mut args = vec!["warm", "--source", &src, "--key", "w:{id}", "--ttl", "1h"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-o", "json"]);
        run(&url, &args)
    };
    for round in 0..2 {
        // twice: the first run released its lock
        let v = ok(&warm(&[]), "warm");
        assert_eq!(v["runs"][0]["written"], 3, "round {round}: {v}");
    }
    user(&mut c, "least", "+set +get +del +eval +pexpire +pttl");
    let v = ok(
        &warm(&["--mode", "refresh", "--refresh-below", "2h"]),
        "warm --mode refresh",
    );
    assert_eq!(v["runs"][0]["written"], 3, "{v}");

    // report and recommend --observe: INFO is their data
    user(&mut c, "least", "+info +ping");
    ok(
        &run(&url, &["report", "--interval", "0", "-o", "json"]),
        "report",
    );
    user(
        &mut c,
        "least",
        "+info +ping +dbsize +scan +type +pttl +memory|usage +object",
    );
    ok(
        &run(
            &url,
            &[
                "recommend",
                "--observe",
                "--access",
                "hot",
                "--recompute",
                "100ms",
                "-o",
                "json",
            ],
        ),
        "recommend --observe",
    );

    user(&mut c, "least", "+sync");
    let v = ok(
        &run(&url, &["analyze", "--rdb-sync", "-o", "json"]),
        "analyze --rdb-sync",
    );
    assert!(v["total_keys"].as_u64().unwrap() > 0, "{v}");
    user(&mut c, "least", "+get +set +scan +unlink");
    let v = ok(
        &run(
            &url,
            &[
                "simulate",
                "stampede",
                "--live",
                "--clients",
                "20",
                "--recompute",
                "50ms",
                "--ttl",
                "1s",
                "--strategy",
                "none,lock",
                "-o",
                "json",
            ],
        ),
        "simulate --live",
    );
    assert_eq!(v["results"][1]["origin_calls"], 1, "{v}");
}

/// The usual application user: no INFO, no CONFIG. analyze, invalidate and warm work and
/// say so in one warning line; report, made of INFO, fails with one line naming it.
#[test]
fn an_app_user_without_dangerous_commands_gets_one_warning() {
    let s = RedisServer::start();
    let mut c = s.conn();
    let src = source(s.dir.path());
    for i in 0..10 {
        set(&mut c, &format!("a:{i}"));
    }
    let _: () = redis::cmd("ACL")
        .arg("SETUSER")
        .arg("app")
        .arg("on")
        .arg(">pw")
        .arg("~*")
        .arg("&*")
        .arg("+@all")
        .arg("-@dangerous")
        .query(&mut c)
        .unwrap();
    let url = url_of(s.port, "app");

    let runs: [(&str, Vec<&str>); 3] = [
        ("analyze", vec!["analyze", "-o", "json"]),
        (
            "invalidate",
            vec!["invalidate", "pattern", "a:*", "--yes", "-o", "json"],
        ),
        (
            "warm",
            vec!["warm", "--source", &src, "--key", "w:{id}", "--ttl", "1h"],
        ),
    ];
    for (what, args) in runs {
        let out = run(&url, &args);
        ok(&out, what);
        let w = warnings(&out);
        assert_eq!(w.len(), 1, "{what}: one warning line: {}", stderr(&out));
        assert!(
            w[0].contains("may not run INFO") && w[0].contains("NOPERM"),
            "{what}: {}",
            w[0]
        );
        assert!(w[0].contains("eviction policy unknown"), "{}", w[0]);
    }
    assert_eq!(s.dbsize(), 3, "a:* deleted, w:1..3 written");

    let out = run(&url, &["report", "--interval", "0"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("cachectl: error: "), "{err}");
    assert!(err.contains("INFO") && err.contains("+info"), "{err}");
}

/// In a cluster: the topology needs +cluster|shards; the app user finds the cluster mode
/// without INFO (HELLO says it).
#[test]
fn cluster_least_privilege() {
    let cl = Cluster::start(0);
    for n in &cl.nodes {
        let mut c = n.conn();
        user(
            &mut c,
            "least",
            "+cluster|shards +dbsize +scan +type +pttl +memory|usage +object +unlink",
        );
        let _: () = redis::cmd("ACL")
            .arg("SETUSER")
            .arg("app")
            .arg("on")
            .arg(">pw")
            .arg("~*")
            .arg("+@all")
            .arg("-@dangerous")
            .query(&mut c)
            .unwrap();
    }
    let mut load = crate::support::Loader::cluster(&cl);
    for i in 0..300 {
        load.cmd("SET", &format!("c:{i}"), &[&"v"]);
    }
    load.flush();
    let port = cl.nodes[0].port;
    for name in ["least", "app"] {
        let url = url_of(port, name);
        let v = ok(&run(&url, &["analyze", "-o", "json"]), name);
        assert_eq!(v["total_keys"], 300, "{name}: {v}");
        assert_eq!(v["cluster"], true, "{name}: {v}");
    }
    let v = ok(
        &run(
            &url_of(port, "least"),
            &["invalidate", "pattern", "c:*", "--yes", "-o", "json"],
        ),
        "invalidate on a cluster",
    );
    assert_eq!(v["rows"][0]["deleted"], 300, "{v}");
    assert_eq!(cl.total_dbsize(), 0);
}
