//! `cachectl verify` against real servers: a source warmed then changed, JSON re-serialized,
//! a sample, a second deployment (standalone and cluster), a writer during the run, a psql
//! job from a profile, Ctrl-C.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Deserialize;

use crate::support::{cachectl, shell_code, Cluster, Loader, RedisServer};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Report {
    mode: String,
    rows: Vec<Row>,
    total: Row,
    status: String,
    fail_below: f64,
    estimate: Option<Estimate>,
    stale_keys: Vec<Example>,
    missing_keys: Vec<Example>,
    expiring: u64,
    bad_rows: u64,
    rechecked: u64,
    settled: u64,
    changing: u64,
    reads_touch_lru: bool,
}

#[derive(Debug, Deserialize)]
struct Row {
    scope: String,
    checked: u64,
    fresh: u64,
    stale: u64,
    missing: u64,
    coherence_pct: Option<f64>,
    example_key: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Estimate {
    population: u64,
    sampled: u64,
    coherence_pct: Option<f64>,
    low_pct: Option<f64>,
    high_pct: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Example {
    key: String,
    verdict: String,
    why: Option<String>,
    expected: Option<String>,
    actual: Option<String>,
}

/// `cachectl --url URL verify ARGS -o json`: the exit code, the report, stderr.
fn verify(url: &str, args: &[&str]) -> (Option<i32>, Report, String) {
    let out = cachectl()
        .args(["--url", url, "verify"])
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let r = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {err}"));
    (out.status.code(), r, err)
}

fn warm(url: &str, args: &[&str]) {
    let out = cachectl()
        .args(["--url", url, "warm", "-q"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "warm {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A plan as the source holds it, as one JSON line.
fn plan(id: u64, name: &str) -> String {
    format!(
        r#"{{"id":{id},"name":"{name}","price":{}.5,"tags":["a","b"]}}"#,
        id * 3
    )
}

fn write_rows(dir: &tempfile::TempDir, name: &str, rows: impl Iterator<Item = String>) -> String {
    let path = dir.path().join(name);
    let text: String = rows.map(|r| r + "\n").collect();
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// 2,000 plans warmed from a source; then 100 rows change in the source (every 20th id) and
/// 20 keys are deleted from the cache (ids 7, 107, …). Returns the changed source, the
/// changed keys and the deleted ones.
fn warmed_then_changed(
    s: &RedisServer,
    dir: &tempfile::TempDir,
) -> (String, BTreeSet<String>, BTreeSet<String>) {
    let first = write_rows(dir, "plans.jsonl", (1..=2000).map(|i| plan(i, "plan")));
    warm(
        &s.url(),
        &["--source", &first, "--key", "plan:{id}", "--ttl", "1h"],
    );
    let changed: BTreeSet<String> = (1..=2000)
        .filter(|i| i % 20 == 0)
        .map(|i| format!("plan:{i}"))
        .collect();
    let deleted: BTreeSet<String> = (0..20).map(|i| format!("plan:{}", i * 100 + 7)).collect();
    let now = write_rows(
        dir,
        "plans-now.jsonl",
        (1..=2000).map(|i| plan(i, if i % 20 == 0 { "renamed" } else { "plan" })),
    );
    let mut c = s.conn();
    for k in &deleted {
        let _: () = redis::cmd("DEL").arg(k).query(&mut c).unwrap();
    }
    (now, changed, deleted)
}

#[test]
fn a_changed_source_gives_exact_stale_and_missing_counts() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let (source, changed, deleted) = warmed_then_changed(&s, &dir);
    let (code, r, err) = verify(&s.url(), &["--source", &source, "--key", "plan:{id}"]);
    assert_eq!(code, Some(3), "{err}");
    assert_eq!(r.status, "check-failed");
    let t = &r.total;
    assert_eq!(
        (t.checked, t.fresh, t.stale, t.missing),
        (2000, 1880, 100, 20)
    );
    // 1880 / (1880 + 100)
    assert_eq!(format!("{:.2}", t.coherence_pct.unwrap()), "94.95");
    assert!(err.contains("coherence 94.95% is below 99%"), "{err}");
    // the examples are the changed keys, the missing ones the deleted keys
    assert!(changed.contains(t.example_key.as_ref().unwrap()));
    assert!(!r.stale_keys.is_empty());
    for e in &r.stale_keys {
        assert!(changed.contains(&e.key), "{e:?}");
        assert_eq!(e.why.as_deref(), Some("value"));
        assert!(
            e.expected.is_none() && e.actual.is_none(),
            "values only with --show-values"
        );
    }
    for e in &r.missing_keys {
        assert!(deleted.contains(&e.key), "{e:?}");
    }
    // one scope (the key template as a glob) adds up to the total
    assert_eq!(r.rows.len(), 1);
    assert_eq!((r.rows[0].scope.as_str(), r.rows[0].stale), ("plan:*", 100));
    assert_eq!(r.rechecked, 120, "every difference read again");

    // --show-values shows what differs; a lower --fail-below passes
    let (code, r, _) = verify(
        &s.url(),
        &[
            "--source",
            &source,
            "--key",
            "plan:{id}",
            "--show-values",
            "--fail-below",
            "90",
            "--recheck",
            "0",
        ],
    );
    assert_eq!((code, r.status.as_str()), (Some(0), "ok"));
    let e = &r.stale_keys[0];
    assert!(e.expected.as_deref().unwrap().contains("renamed"), "{e:?}");
    assert!(
        e.actual.as_deref().unwrap().contains(r#""name":"plan""#),
        "{e:?}"
    );
}

/// One CSV line `id,doc` with the document quoted as CSV quotes it.
fn csv_doc(id: u64, doc: &str) -> String {
    format!("{id},\"{}\"", doc.replace('"', "\"\""))
}

#[test]
fn reserialized_json_is_stale_byte_exact_and_fresh_as_json() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let header = || std::iter::once("id,doc".to_string());
    let rows = write_rows(
        &dir,
        "docs.csv",
        header().chain((1..=300).map(|i| csv_doc(i, &plan(i, "plan")))),
    );
    let template = ["--key", "doc:{id}", "--value", "{doc}"];
    warm(
        &s.url(),
        &[&["--source", rows.as_str()][..], &template].concat(),
    );
    // the same documents, keys in another order, other spacing, 4.50 for 4.5
    let other = write_rows(
        &dir,
        "docs-other.csv",
        header().chain((1..=300).map(|i| {
            let doc = format!(
                r#"{{ "tags": [ "a", "b" ], "price": {}.50, "name": "plan", "id": {i} }}"#,
                i * 3
            );
            csv_doc(i, &doc)
        })),
    );
    let args = |compare: &'static str| {
        [
            &["--source", other.as_str(), "--compare", compare][..],
            &template,
        ]
        .concat()
    };
    let (code, r, _) = verify(&s.url(), &args("exact"));
    assert_eq!(code, Some(3));
    assert_eq!((r.total.stale, r.total.fresh, r.total.missing), (300, 0, 0));
    let (code, r, err) = verify(&s.url(), &args("json"));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!((r.total.stale, r.total.fresh, r.total.missing), (0, 300, 0));
    assert_eq!(r.total.coherence_pct, Some(100.0));
}

#[test]
fn a_sample_checks_n_and_estimates_the_whole() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let (source, changed, _) = warmed_then_changed(&s, &dir);
    let (_, r, err) = verify(
        &s.url(),
        &["--source", &source, "--key", "plan:{id}", "--sample", "500"],
    );
    assert_eq!(r.total.checked, 500, "{err}");
    let e = r.estimate.expect("an estimate");
    assert_eq!((e.population, e.sampled), (2000, 500));
    let (p, lo, hi) = (
        e.coherence_pct.unwrap(),
        e.low_pct.unwrap(),
        e.high_pct.unwrap(),
    );
    // the truth is 94.95%: a sample of 500 of 2,000 lands within a few points, and its
    // interval is a few points wide around the estimate
    assert!((90.0..=99.0).contains(&p), "{p}");
    assert!(lo < p && p < hi && hi - lo < 6.0, "{lo} {p} {hi}");
    for k in &r.stale_keys {
        assert!(changed.contains(&k.key));
    }
}

/// The same keys on two servers: strings with a TTL, and one of each collection type.
fn load_twins(loaders: &mut [Loader], n: u64) {
    for l in loaders.iter_mut() {
        for i in 0..n {
            l.cmd(
                "SET",
                &format!("k:{i}"),
                &[&format!("value-{i}"), &"PX", &3_600_000],
            );
        }
        for i in 0..5 {
            l.cmd("HSET", &format!("h:{i}"), &[&"a", &1, &"b", &i]);
            l.cmd("SADD", &format!("s:{i}"), &[&"x", &"y", &i]);
            l.cmd("ZADD", &format!("z:{i}"), &[&1, &"a", &2.5, &i]);
            l.cmd("RPUSH", &format!("l:{i}"), &[&"a", &"b", &i]);
            l.cmd("XADD", &format!("x:{i}"), &[&"1-1", &"f", &i]);
        }
        // a collection larger than one page (500), the same on both sides
        for j in 0..1200 {
            l.cmd("HSET", "big:hash", &[&format!("f{j}"), &j]);
            l.cmd("RPUSH", "big:list", &[&j]);
        }
        l.flush();
    }
}

#[test]
fn against_a_second_server_counts_the_differences_exactly() {
    let (a, b) = (RedisServer::start(), RedisServer::start());
    load_twins(&mut [Loader::standalone(&a), Loader::standalone(&b)], 1000);
    let mut c = b.conn();
    // 7 values differ: 3 strings, a hash field, a set member, a zset score, a list element
    for (cmd, args) in [
        ("SET", vec!["k:1", "other"]),
        ("SET", vec!["k:2", "other"]),
        ("SET", vec!["k:3", "other"]),
        ("HSET", vec!["h:1", "b", "9"]),
        ("SADD", vec!["s:1", "extra"]),
        ("ZADD", vec!["z:1", "7", "a"]),
        ("LSET", vec!["big:list", "1100", "changed"]),
    ] {
        let _: redis::Value = redis::cmd(cmd).arg(&args).query(&mut c).unwrap();
    }
    let _: () = redis::cmd("SREM")
        .arg("s:1")
        .arg("x")
        .query(&mut c)
        .unwrap();
    // the SET above dropped the TTL of k:1..3: put it back, only the values differ
    for k in ["k:1", "k:2", "k:3"] {
        let _: () = redis::cmd("PEXPIRE")
            .arg(k)
            .arg(3_600_000)
            .query(&mut c)
            .unwrap();
    }
    // 3 keys missing
    let _: () = redis::cmd("DEL")
        .arg(&["k:10", "k:11", "x:2"])
        .query(&mut c)
        .unwrap();
    let (code, r, err) = verify(&a.url(), &["--against", &b.url(), "--fail-below", "99.9"]);
    assert_eq!(code, Some(3), "{err}");
    assert_eq!(
        (r.total.stale, r.total.missing),
        (7, 3),
        "{:?}",
        r.stale_keys
    );
    assert_eq!(r.total.checked, 1000 + 25 + 2);
    let stale: BTreeSet<&str> = r.stale_keys.iter().map(|e| e.key.as_str()).collect();
    let want: BTreeSet<&str> = ["k:1", "k:2", "k:3", "h:1", "s:1", "z:1", "big:list"].into();
    assert_eq!(stale, want);
    let missing: BTreeSet<&str> = r.missing_keys.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(missing, ["k:10", "k:11", "x:2"].into());
    // the rows are per pattern
    let strings = r.rows.iter().find(|r| r.scope == "k:*").unwrap();
    assert_eq!((strings.stale, strings.missing), (3, 2));

    // a TTL beyond the tolerance is a difference; --match and --type narrow the scan
    let _: () = redis::cmd("PEXPIRE")
        .arg("k:5")
        .arg(1_000_000)
        .query(&mut c)
        .unwrap();
    let (_, r, err) = verify(
        &a.url(),
        &["--against", &b.url(), "--match", "k:*", "--type", "string"],
    );
    assert_eq!((r.total.checked, r.total.stale), (1000, 4), "{err}");
    let ttl = r.stale_keys.iter().find(|e| e.key == "k:5").unwrap();
    assert_eq!(ttl.why.as_deref(), Some("ttl"));
}

#[test]
fn a_writer_on_both_sides_makes_no_false_difference() {
    let (a, b) = (RedisServer::start(), RedisServer::start());
    let n = 2000u64;
    load_twins(&mut [Loader::standalone(&a), Loader::standalone(&b)], n);
    // the application: rewrites every key on the first side, then on the second, round after
    // round, so that at any time some keys differ for the length of a pipeline
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let (mut ca, mut cb) = (a.conn(), b.conn());
        std::thread::spawn(move || {
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                for c in [&mut ca, &mut cb] {
                    let mut p = redis::pipe();
                    for i in 0..n {
                        p.cmd("SET")
                            .arg(format!("k:{i}"))
                            .arg(format!("v-{round}"))
                            .arg("PX")
                            .arg(3_600_000)
                            .ignore();
                    }
                    p.exec(c).unwrap();
                }
            }
            round
        })
    };
    let (code, r, err) = verify(
        &a.url(),
        &["--against", &b.url(), "--match", "k:*", "--batch", "100"],
    );
    stop.store(true, Ordering::Relaxed);
    let rounds = writer.join().unwrap();
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        (r.total.stale, r.total.missing),
        (0, 0),
        "{:?}",
        r.stale_keys
    );
    assert_eq!(r.total.checked + r.changing, n);
    // the run did see keys in flight, and let the recheck settle them
    assert!(rounds > 1);
    assert!(
        r.rechecked > 0 && r.rechecked == r.settled + r.changing,
        "{} rechecked, {} settled, {} changing",
        r.rechecked,
        r.settled,
        r.changing
    );
}

#[test]
fn a_cluster_on_either_side() {
    let cl = Cluster::start(0);
    let s = RedisServer::start();
    load_twins(&mut [Loader::cluster(&cl), Loader::standalone(&s)], 300);
    let mut c = s.conn();
    for k in ["k:1", "k:200"] {
        let _: () = redis::cmd("SET")
            .arg(k)
            .arg("other")
            .arg("PX")
            .arg(3_600_000)
            .query(&mut c)
            .unwrap();
    }
    let _: () = redis::cmd("DEL").arg("k:42").query(&mut c).unwrap();
    let (_, r, err) = verify(&cl.url(), &["--against", &s.url()]);
    assert_eq!(
        (r.total.checked, r.total.stale, r.total.missing),
        (327, 2, 1),
        "{err}"
    );
    // the other way round: the key missing on the standalone side is not scanned
    let (_, r, err) = verify(&s.url(), &["--against", &cl.url()]);
    assert_eq!(
        (r.total.checked, r.total.stale, r.total.missing),
        (326, 2, 0),
        "{err}"
    );

    // against a source, on the cluster: each key read on the primary that owns it
    let dir = tempfile::tempdir().unwrap();
    let rows = write_rows(&dir, "p.jsonl", (1..=500).map(|i| plan(i, "plan")));
    warm(&cl.url(), &["--source", &rows, "--key", "plan:{id}"]);
    let mut l = Loader::cluster(&cl);
    l.cmd("SET", "plan:77", &[&"old"]);
    l.flush();
    let (code, r, err) = verify(&cl.url(), &["--source", &rows, "--key", "plan:{id}"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        (r.total.checked, r.total.fresh, r.total.stale),
        (500, 499, 1)
    );
    assert_eq!(r.stale_keys[0].key, "plan:77");
}

/// PostgreSQL -> a profile job (`source: command psql …`) -> warm, then rows change in the
/// database: `verify --job` reads the same job. Under CI=true a missing PostgreSQL is a
/// failure (.ci/run makes sure one is running), elsewhere the test is skipped.
#[test]
fn a_profile_job_reading_postgresql() {
    if !crate::support::postgres_or_skip() {
        return;
    }
    let table = format!("cachectl_verify_{}", std::process::id());
    let psql = |sql: &str| {
        let st = Command::new("psql")
            .args(["-d", "test", "-q", "-c", sql])
            .status()
            .unwrap();
        assert!(st.success(), "{sql}");
    };
    psql(&format!(
        "drop table if exists {table}; create table {table} (id int primary key, name text, price numeric);\
         insert into {table} select g, 'plan ' || g, g * 1.5 from generate_series(1, 500) g;"
    ));
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("app.yaml");
    std::fs::write(
        &profile,
        format!(
            r#"name: app
slo:
  coherence_pct: {{ crit_below: 99.9 }}
namespaces:
  plan_catalog:
    pattern: "plan_catalog:v1:*"
    ttl: 1h
warm:
  plans:
    namespace: plan_catalog
    source: {{ type: command, command: "psql -d test -At -F, -c 'select id, row_to_json(p) from {table} p order by id'", format: csv, columns: [id, json] }}
    key: "plan_catalog:v1:{{id}}"
    value: "{{json}}"
"#
        ),
    )
    .unwrap();
    let p = profile.display().to_string();
    warm(&s.url(), &["-P", &p, "--job", "plans"]);
    psql(&format!(
        "update {table} set price = price + 1 where id in (3, 30, 300)"
    ));
    let (code, r, err) = verify(&s.url(), &["-P", &p, "--job", "plans"]);
    psql(&format!("drop table {table}"));
    // 497 / 500 = 99.4%, below the profile's 99.9
    assert_eq!(code, Some(3), "{err}");
    assert_eq!(r.fail_below, 99.9);
    assert_eq!(r.rows.len(), 1);
    let row = &r.rows[0];
    assert_eq!(row.scope, "plan_catalog");
    assert_eq!(
        (row.checked, row.fresh, row.stale, row.missing),
        (500, 497, 3, 0)
    );
    let stale: BTreeSet<&str> = r.stale_keys.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        stale,
        [
            "plan_catalog:v1:3",
            "plan_catalog:v1:30",
            "plan_catalog:v1:300"
        ]
        .into()
    );
}

#[test]
fn ctrl_c_reports_what_was_checked_and_exits_130() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let rows = write_rows(&dir, "p.jsonl", (1..=3000).map(|i| plan(i, "plan")));
    warm(&s.url(), &["--source", &rows, "--key", "plan:{id}"]);
    let gets = crate::support::calls(&mut s.conn(), "get");
    let child = Command::new(assert_cmd::cargo::cargo_bin("cachectl"))
        .args(["--url", &s.url(), "verify", "--source", &rows])
        .args(["--key", "plan:{id}", "--rate", "1000/s", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    s.wait_for_calls("get", gets + 200); // the first keys read
    assert!(Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(shell_code(out.status), Some(130), "{err}");
    assert!(err.contains("cachectl: interrupted"), "{err}");
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.status, "interrupted");
    assert!(
        r.total.checked >= 200 && r.total.checked < 3000,
        "{}",
        r.total.checked
    );
    assert_eq!(r.total.fresh, r.total.checked, "what was checked is right");
}

#[derive(Debug, Deserialize)]
struct Invalidated {
    status: String,
    rows: Vec<InvalidatedRow>,
}

#[derive(Debug, Deserialize)]
struct InvalidatedRow {
    deleted: u64,
    left: Option<u64>,
    #[serde(default)]
    left_keys: Vec<String>,
    verified: Option<String>,
}

fn invalidate(url: &str, args: &[&str]) -> (Option<i32>, Invalidated, String) {
    let out = cachectl()
        .args(["--url", url, "invalidate"])
        .args(args)
        .args(["--yes", "--verify", "-o", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let r = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {err}"));
    (out.status.code(), r, err)
}

#[test]
fn invalidate_verify_finds_no_key_left_on_any_node_of_a_cluster() {
    let cl = Cluster::start(1);
    let mut l = Loader::cluster(&cl);
    for i in 0..3000 {
        l.cmd("SET", &format!("sess:{i}"), &[&"x"]);
        l.cmd("SET", &format!("keep:{i}"), &[&"x"]);
    }
    l.flush();
    drop(l);
    cl.sync_replicas();
    let (code, r, err) = invalidate(&cl.url(), &["pattern", "sess:*"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(r.status, "ok");
    let row = &r.rows[0];
    assert_eq!((row.deleted, row.left), (3000, Some(0)));
    // six nodes: the three primaries and their replicas
    assert_eq!(row.verified.as_deref(), Some("no key left on 6 nodes"));
}

#[test]
fn invalidate_verify_reports_a_key_written_back_during_the_run() {
    let s = RedisServer::start();
    let mut l = Loader::standalone(&s);
    for i in 0..2000 {
        l.cmd("SET", &format!("sess:{i}"), &[&"x"]);
    }
    l.flush();
    // an application that keeps caching one session while the invalidation runs
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let mut c = s.conn();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let _: () = redis::cmd("SET")
                    .arg("sess:7")
                    .arg("stale")
                    .query(&mut c)
                    .unwrap();
            }
        })
    };
    let (code, r, err) = invalidate(&s.url(), &["pattern", "sess:*"]);
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    assert_eq!(code, Some(3), "{err}");
    assert_eq!(r.status, "check-failed");
    assert_eq!(r.rows[0].left, Some(1));
    assert_eq!(r.rows[0].left_keys, ["sess:7"]);
    assert!(
        err.contains("--verify: pattern `sess:*`: 1 key left on 1 node (e.g. sess:7)"),
        "{err}"
    );
}

/// From 7.2 (and on Valkey) the reads go through `CLIENT NO-TOUCH`: a key's idle time goes on
/// growing while it is verified. Before 7.2 there is no such thing, and the run says so.
#[test]
fn reads_leave_lru_alone_where_the_server_allows_it() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let rows = write_rows(&dir, "p.jsonl", (1..=50).map(|i| plan(i, "plan")));
    warm(&s.url(), &["--source", &rows, "--key", "plan:{id}"]);
    let mut c = s.conn();
    let idle = |c: &mut redis::Connection| -> u64 {
        redis::cmd("OBJECT")
            .arg("IDLETIME")
            .arg("plan:1")
            .query(c)
            .unwrap()
    };
    crate::support::wait_until(std::time::Duration::from_secs(10), "idle 2 s", || {
        idle(&mut c) >= 2
    });
    let (code, r, err) = verify(&s.url(), &["--source", &rows, "--key", "plan:{id}"]);
    assert_eq!((code, r.total.fresh), (Some(0), 50), "{err}");
    let no_touch = crate::support::redis_compat_version() >= (7, 2, 0);
    let after = idle(&mut c);
    if no_touch {
        assert!(!r.reads_touch_lru, "{err}");
        assert!(after >= 2, "the read touched the key: idle {after}");
    } else {
        assert!(r.reads_touch_lru);
        assert!(err.contains("no CLIENT NO-TOUCH"), "{err}");
        assert!(after < 2, "idle {after}");
    }
}

/// Replace user `least` (password `pw`, every key) with exactly `rules`.
fn acl_user(c: &mut redis::Connection, rules: &str) {
    let _: () = redis::cmd("ACL")
        .arg("DELUSER")
        .arg("least")
        .query(c)
        .unwrap();
    let mut cmd = redis::cmd("ACL");
    cmd.arg("SETUSER")
        .arg("least")
        .arg("on")
        .arg(">pw")
        .arg("~*")
        .arg("-@all");
    for r in rules.split_whitespace() {
        cmd.arg(r);
    }
    let _: () = cmd.query(c).unwrap();
}

/// README "Least privilege": verify's rows, each run as exactly that user.
#[test]
fn verify_runs_with_exactly_its_minimal_acl() {
    let (a, b) = (RedisServer::start(), RedisServer::start());
    let dir = tempfile::tempdir().unwrap();
    let rows = write_rows(&dir, "p.jsonl", (1..=20).map(|i| plan(i, "plan")));
    warm(
        &a.url(),
        &["--source", &rows, "--key", "plan:{id}", "--ttl", "1h"],
    );
    load_twins(&mut [Loader::standalone(&a), Loader::standalone(&b)], 10);
    let least = |s: &RedisServer| format!("redis://least:pw@127.0.0.1:{}", s.port);

    acl_user(&mut a.conn(), "+pttl +get");
    let (code, r, err) = verify(&least(&a), &["--source", &rows, "--key", "plan:{id}"]);
    assert_eq!((code, r.total.fresh), (Some(0), 20), "{err}");

    let against = "+scan +type +pttl +get +hlen +scard +zcard +llen +xlen +hscan +hmget \
                   +sscan +sismember +zscan +zscore +lrange +xrange";
    for s in [&a, &b] {
        acl_user(&mut s.conn(), against);
    }
    let (code, r, err) = verify(&least(&a), &["--against", &least(&b), "--match", "[^p]*"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!((r.total.checked, r.total.fresh), (10 + 25 + 2, 10 + 25 + 2));

    // invalidate --verify: +scan +unlink; without INFO the replicas cannot be found, so the
    // check covers the primaries and says so
    acl_user(&mut a.conn(), "+scan +unlink");
    let (code, r, err) = invalidate(&least(&a), &["pattern", "plan:*"]);
    assert_eq!((code, r.rows[0].left), (Some(0), Some(0)), "{err}");
    assert!(err.contains("checking the primaries only"), "{err}");
}

#[test]
fn usage_errors_say_what_is_missing_and_exit_2() {
    for (args, says) in [
        (&["verify"][..], "verify needs a source"),
        (
            &["verify", "--source", "x.csv"][..],
            "--key TEMPLATE is required",
        ),
        (&["verify", "--match", "a*"][..], "--against"),
        (
            &["verify", "--against", "redis://h", "--source", "x.csv"][..],
            "cannot be used with",
        ),
        (
            &["verify", "--against", "redis://h", "--sample", "0"][..],
            "--sample",
        ),
    ] {
        let out = cachectl()
            .args(["--url", "redis://127.0.0.1:1"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}

/// A template naming a missing column: the reason, in verify's words, not warm's.
#[test]
fn a_bad_template_says_nothing_was_checked() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let f = write_rows(&dir, "plans.jsonl", (1..=3).map(|i| plan(i, "basic")));
    // a template naming a column the source does not have: usage (exit 2), and verify wrote
    // nothing, so it must not say "nothing was written" (warm's words) but that nothing was checked
    let out = cachectl()
        .args(["--url", &s.url(), "verify", "--source", &f])
        .args(["--key", "plan:{nope}"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`{nope}`"), "{err}");
    assert!(err.contains("nothing was checked"), "{err}");
    assert!(!err.contains("written"), "{err}");
}

#[test]
fn an_unreadable_source_row_says_why() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    // a CSV with a stray quote: the row is counted in bad_rows and the table says why, as
    // warm's does (it used to say only "1 row of the source could not be read")
    let csv = dir.path().join("stray.csv");
    std::fs::write(&csv, "id,name\n1,\"bad\n2,ok\n").unwrap();
    let csv = csv.to_str().unwrap();
    let (code, rep, err) = verify(&s.url(), &["--source", csv, "--key", "plan:{id}"]);
    // nothing could be checked: not a pass for a deploy hook (it was exit 0, status ok)
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains(
            "nothing was checked: 1 row of the source could not be read (the first: line 2"
        ),
        "{err}"
    );
    assert_eq!(rep.bad_rows, 1);
    assert_eq!(rep.total.checked, 0);
    let out = cachectl()
        .args(["--url", &s.url(), "verify", "--source", csv])
        .args(["--key", "plan:{id}"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("1 row of the source could not be read (not checked); the first: line 2: a quoted field"),
        "{table}"
    );
}
