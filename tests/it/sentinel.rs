//! Redis Sentinel (issue 19): a primary, a replica and three sentinels, real processes.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{cachectl, free_port, server_bin, wait_until, RedisServer};

/// One `redis-server --sentinel` with its own config file.
struct Sentinel {
    port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Sentinel {
    fn start(primary_port: u16) -> Sentinel {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let conf = dir.path().join("sentinel.conf");
        std::fs::write(
            &conf,
            format!(
                "port {port}\nbind 127.0.0.1\ndir {d}\nlogfile {d}/sentinel.log\n\
                 sentinel monitor m 127.0.0.1 {primary_port} 2\n\
                 sentinel down-after-milliseconds m 1000\n\
                 sentinel failover-timeout m 5000\n\
                 sentinel parallel-syncs m 1\n",
                d = dir.path().display()
            ),
        )
        .unwrap();
        let child = Command::new(server_bin())
            .arg(&conf)
            .arg("--sentinel")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let s = Sentinel {
            port,
            child,
            _dir: dir,
        };
        wait_until(Duration::from_secs(10), "sentinel up", || {
            s.conn().is_some()
        });
        s
    }

    fn conn(&self) -> Option<redis::Connection> {
        let c = redis::Client::open(format!("redis://127.0.0.1:{}", self.port)).ok()?;
        let mut c = c.get_connection().ok()?;
        redis::cmd("PING").query::<String>(&mut c).ok()?;
        Some(c)
    }

    /// The port of the primary this sentinel names.
    fn primary_port(&self) -> u16 {
        let (_, port): (String, u16) = redis::cmd("SENTINEL")
            .arg("GET-MASTER-ADDR-BY-NAME")
            .arg("m")
            .query(&mut self.conn().unwrap())
            .unwrap();
        port
    }

    fn knows_replica(&self) -> bool {
        let Some(mut c) = self.conn() else {
            return false;
        };
        let v: Vec<std::collections::HashMap<String, String>> = redis::cmd("SENTINEL")
            .arg("REPLICAS")
            .arg("m")
            .query(&mut c)
            .unwrap_or_default();
        v.iter().any(|r| {
            r.get("flags").is_some_and(|f| f == "slave")
                && r.get("master-link-status").is_some_and(|s| s == "ok")
        })
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Sentinel {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A primary, its replica and three sentinels watching them as `m`.
struct Set {
    primary: RedisServer,
    replica: RedisServer,
    sentinels: Vec<Sentinel>,
}

impl Set {
    fn start() -> Set {
        Set::start_with(&[])
    }

    /// `primary_args`: e.g. min-replicas-to-write, so that once its replica is promoted away
    /// the old primary refuses writes (NOREPLICAS) instead of taking writes the new primary
    /// will never see
    fn start_with(primary_args: &[&str]) -> Set {
        let primary = RedisServer::start_with(primary_args);
        let replica =
            RedisServer::start_with(&["--replicaof", "127.0.0.1", &primary.port.to_string()]);
        let mut c = replica.conn();
        wait_until(Duration::from_secs(20), "the replica in sync", || {
            let text: String = redis::cmd("INFO").arg("replication").query(&mut c).unwrap();
            text.contains("master_link_status:up")
        });
        let sentinels: Vec<Sentinel> = (0..3).map(|_| Sentinel::start(primary.port)).collect();
        for s in &sentinels {
            wait_until(
                Duration::from_secs(30),
                "the sentinels know the replica",
                || s.knows_replica(),
            );
        }
        Set {
            primary,
            replica,
            sentinels,
        }
    }

    fn url(&self, master: &str) -> String {
        let hosts: Vec<String> = self
            .sentinels
            .iter()
            .map(|s| format!("127.0.0.1:{}", s.port))
            .collect();
        format!("redis+sentinel://{}/{master}", hosts.join(","))
    }
}

/// Distinct keys matching `pattern` (SCAN may return a key twice while the table resizes).
fn count(port: u16, pattern: &str) -> usize {
    let mut c = redis::Client::open(format!("redis://127.0.0.1:{port}"))
        .unwrap()
        .get_connection()
        .unwrap();
    let keys: std::collections::BTreeSet<String> = c
        .scan_match(pattern)
        .unwrap()
        .collect::<redis::RedisResult<_>>()
        .unwrap();
    keys.len()
}

use redis::Commands;

#[test]
fn analyze_and_report_through_the_sentinels() {
    let mut set = Set::start();
    let mut c = set.primary.conn();
    for i in 0..50 {
        let _: () = c.set_ex(format!("sess:{i}"), "v", 600).unwrap();
    }
    let url = set.url("m");
    let out = cachectl()
        .args(["--url", &url, "analyze", "-o", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scanned_keys"], 50, "{v}");

    // report shows the primary and the replica as nodes
    let out = cachectl()
        .args([
            "--url",
            &url,
            "report",
            "--interval",
            "0",
            "--latency-samples",
            "0",
        ])
        .args(["--fail-on", "never", "-o", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let nodes = v["windows"][0]["nodes"].as_array().unwrap();
    let seen: Vec<(String, String)> = nodes
        .iter()
        .map(|n| {
            (
                n["node"].as_str().unwrap().to_string(),
                n["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        seen.contains(&(format!("127.0.0.1:{}", set.primary.port), "primary".into())),
        "{seen:?}"
    );
    assert!(
        seen.contains(&(format!("127.0.0.1:{}", set.replica.port), "replica".into())),
        "{seen:?}"
    );

    // --replicas: read work runs on the replica
    let out = cachectl()
        .args(["--url", &url, "--replicas", "analyze", "-o", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v["nodes"].to_string();
    assert!(text.contains(&set.replica.port.to_string()), "{text}");

    // the first sentinel down: the next one answers
    set.sentinels[0].kill();
    let out = cachectl()
        .args(["--url", &url, "analyze", "-o", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn unknown_master_and_bad_urls() {
    let set = Set::start();
    // an unknown master name: one error line, exit 1
    let out = cachectl()
        .args(["--url", &set.url("nosuch"), "analyze"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("cachectl: error:"), "{err}");
    assert!(err.contains("nosuch"), "{err}");

    // no master name: a usage error; the password never shows, nor does it when no sentinel
    // answers
    let port = set.sentinels[0].port;
    let out = cachectl()
        .args([
            "--url",
            &format!("redis+sentinel://app:S3cretPw@127.0.0.1:{port}"),
        ])
        .arg("analyze")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no master name") && !err.contains("S3cretPw"),
        "{err}"
    );
    let dead = free_port();
    let out = cachectl()
        .args(["--url"])
        .arg(format!(
            "redis+sentinel://app:S3cretPw@127.0.0.1:{dead}/m?sentinel_password=Sent1nelPw"
        ))
        .args(["--timeout", "1s", "analyze"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no sentinel answered"), "{err}");
    assert!(
        !err.contains("S3cretPw") && !err.contains("Sent1nelPw"),
        "{err}"
    );
}

#[test]
fn a_failover_during_warm_is_followed() {
    // no min-replicas-to-write: the batches the old primary takes after its replica was
    // promoted are not confirmed by WAIT 1, so they are sent again to the new primary
    let set = Set::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rows.csv");
    let mut text = String::from("id,value\n");
    for i in 0..60_000 {
        text.push_str(&format!("{i},value-{i}\n"));
    }
    std::fs::write(&file, text).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let child = Command::new(&bin)
        .args(["--url", &set.url("m"), "warm", "--source"])
        .arg(&file)
        .args([
            "--key", "fo:{id}", "--value", "{value}", "--rate", "10000/s", "-o", "json",
        ])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    set.primary
        .wait_for_dbsize("the first rows written", |n| n >= 3000);
    let t = Instant::now();
    let reply: String = redis::cmd("SENTINEL")
        .arg("FAILOVER")
        .arg("m")
        .query(&mut set.sentinels[1].conn().unwrap())
        .unwrap();
    assert_eq!(reply, "OK");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &v["runs"][0];
    assert_eq!(run["written"], 60_000, "{run}\n{err}");
    assert_eq!(run["lost"], 0, "{run}");
    assert_eq!(run["failovers"], 1, "{run}\n{err}");
    assert!(run["retries"].as_u64().unwrap() >= 1, "{run}");
    // the new primary holds every row
    assert_eq!(set.sentinels[2].primary_port(), set.replica.port);
    assert_eq!(count(set.replica.port, "fo:*"), 60_000, "{err}");
    let mut c = set.replica.conn();
    let last: String = c.get("fo:59999").unwrap();
    assert_eq!(last, "value-59999");
    assert!(t.elapsed() < Duration::from_secs(60));
}

#[test]
fn a_failover_during_invalidate_is_followed() {
    // no min-replicas-to-write: the deletions the old primary takes after its replica was
    // promoted away are not confirmed (WAIT 1) and are sent again to the new primary
    let set = Set::start_with(&[]);
    let n = 60_000usize;
    {
        let mut c = set.primary.conn();
        for chunk in (0..n).collect::<Vec<_>>().chunks(5_000) {
            let mut p = redis::pipe();
            for i in chunk {
                p.set(format!("inv:{i}"), "v").ignore();
            }
            p.query::<()>(&mut c).unwrap();
        }
        let mut p = redis::pipe();
        for i in 0..100 {
            p.set(format!("keep:{i}"), "v").ignore();
        }
        p.query::<()>(&mut c).unwrap();
    }
    set.replica
        .wait_for_dbsize("the replica in sync", |k| k == n as u64 + 100);
    let child = Command::new(assert_cmd::cargo::cargo_bin("cachectl"))
        .args(["--url", &set.url("m"), "invalidate", "pattern", "inv:*"])
        .args(["--rate", "10000/s", "--batch", "500", "-o", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    set.primary
        .wait_for_dbsize("the first keys deleted", |k| k + 3_000 < n as u64);
    let reply: String = redis::cmd("SENTINEL")
        .arg("FAILOVER")
        .arg("m")
        .query(&mut set.sentinels[1].conn().unwrap())
        .unwrap();
    assert_eq!(reply, "OK");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "ok", "{v}");
    assert_eq!(v["failovers"], 1, "{v}\n{err}");
    let row = &v["rows"][0];
    assert_eq!(row["matched"], n, "{row}");
    // the new primary: no matching key left, nothing else touched
    assert_eq!(set.sentinels[2].primary_port(), set.replica.port);
    assert_eq!(count(set.replica.port, "inv:*"), 0, "{err}");
    assert_eq!(count(set.replica.port, "keep:*"), 100);
}
