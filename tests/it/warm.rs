use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::support::{cachectl, shell_code, Cluster, RedisServer};

#[derive(Debug, Deserialize)]
struct Report {
    status: String,
    runs: Vec<Run>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Run {
    job: String,
    rows: u64,
    written: u64,
    skipped: u64,
    failed: u64,
    duration_ms: u64,
    rate_per_s: f64,
    status: String,
    started_at: String,
    resumed_from: u64,
    lost: u64,
    errors: Vec<RowError>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct RowError {
    line: u64,
    rows: u64,
    message: String,
}

fn warm(url: &str, args: &[&str]) -> (Option<i32>, Option<Report>, String) {
    let out = cachectl()
        .args(["--url", url, "warm"])
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).ok(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(url: &str, args: &[&str]) -> Run {
    let (code, r, err) = warm(url, args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    r.expect("JSON").runs.remove(0)
}

fn get(c: &mut redis::Connection, k: &str) -> Option<String> {
    redis::cmd("GET").arg(k).query(c).unwrap()
}

fn pttl(c: &mut redis::Connection, k: &str) -> i64 {
    redis::cmd("PTTL").arg(k).query(c).unwrap()
}

fn csv_file(dir: &tempfile::TempDir, name: &str, rows: u64) -> String {
    let p = dir.path().join(name);
    let mut f = std::fs::File::create(&p).unwrap();
    writeln!(f, "id,name,price").unwrap();
    for i in 0..rows {
        writeln!(f, "{i},plan {i},{}", i * 10).unwrap();
    }
    p.display().to_string()
}

#[test]
fn csv_file_rows_written_with_jittered_ttls() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "plans.csv", 1000);
    let r = ok(
        &s.url(),
        &[
            "--source",
            &file,
            "--key",
            "plan_catalog:v1:{id}",
            "--ttl",
            "100s",
        ],
    );
    assert_eq!(
        (r.job.as_str(), r.rows, r.written, r.skipped, r.failed),
        ("plans", 1000, 1000, 0, 0)
    );
    assert_eq!(r.status, "ok");
    let mut c = s.conn();
    assert_eq!(
        get(&mut c, "plan_catalog:v1:7").unwrap(),
        r#"{"id":"7","name":"plan 7","price":"70"}"#,
        "the default value is the row as JSON, in column order"
    );
    let ttls: Vec<i64> = (0..1000)
        .map(|i| pttl(&mut c, &format!("plan_catalog:v1:{i}")))
        .collect();
    let (lo, hi) = (*ttls.iter().min().unwrap(), *ttls.iter().max().unwrap());
    assert!(
        lo >= 89_000 && hi <= 110_000,
        "TTLs within 100 s ± 10%: {lo}..{hi}"
    );
    assert!(hi - lo > 10_000, "jitter spreads the expiries: {lo}..{hi}");
    // --ttl-jitter 0: all equal; a value template
    let r = ok(
        &s.url(),
        &[
            "--source",
            &file,
            "--key",
            "p:{id}",
            "--value",
            "{name}|{price}",
            "--ttl",
            "50s",
            "--ttl-jitter",
            "0%",
        ],
    );
    assert_eq!(r.written, 1000);
    assert_eq!(get(&mut c, "p:3").unwrap(), "plan 3|30");
    let ttls: Vec<i64> = (0..1000).map(|i| pttl(&mut c, &format!("p:{i}"))).collect();
    assert!(ttls.iter().all(|t| (48_000..=50_000).contains(t)));
    // no --ttl: keys without expiry
    ok(&s.url(), &["--source", &file, "--key", "n:{id}"]);
    assert_eq!(pttl(&mut c, "n:1"), -1);
}

#[test]
fn jsonl_file_and_stdin() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("users.jsonl");
    std::fs::write(
        &p,
        "{\"id\": 1, \"profile\": {\"tier\": \"gold\"}}\n\n{\"id\": 2, \"profile\": {\"tier\": \"free\"}}\n",
    )
    .unwrap();
    let r = ok(
        &s.url(),
        &[
            "--source",
            p.to_str().unwrap(),
            "--key",
            "user_profile:v1:user_{id}",
            "--value",
            "{profile}",
        ],
    );
    assert_eq!(r.written, 2);
    let mut c = s.conn();
    assert_eq!(
        get(&mut c, "user_profile:v1:user_1").unwrap(),
        r#"{"tier":"gold"}"#
    );
    // stdin, format sniffed from the first byte
    let out = cachectl()
        .args([
            "--url",
            &s.url(),
            "warm",
            "--source",
            "-",
            "--key",
            "s:{id}",
            "-o",
            "json",
        ])
        .write_stdin("{\"id\":\"a\",\"n\":1}\n{\"id\":\"b\",\"n\":2}\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((r.runs[0].job.as_str(), r.runs[0].written), ("stdin", 2));
    assert_eq!(get(&mut c, "s:b").unwrap(), r#"{"id":"b","n":2}"#);
    // CSV on stdin, headerless with --columns
    let out = cachectl()
        .args([
            "--url",
            &s.url(),
            "warm",
            "--source",
            "-",
            "--columns",
            "id,json",
            "--key",
            "h:{id}",
            "--value",
            "{json}",
        ])
        .write_stdin("1,{\"a\":1,\"b\":\"x, y\"}\n2,{}\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(get(&mut c, "h:1").unwrap(), r#"{"a":1,"b":"x, y"}"#);
}

/// warm's batches go over sockets of their own (`engine::link`): they authenticate as the
/// URL's user, write to the URL's database, over TCP and over a Unix socket.
#[test]
fn batches_go_to_the_urls_user_and_database_over_tcp_and_unix_sockets() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("redis.sock").display().to_string();
    let s = RedisServer::start_with(&["--unixsocket", &sock]);
    let _: () = redis::cmd("ACL")
        .arg(&["SETUSER", "loader", "on", ">l0ad", "~*", "+@all"])
        .query(&mut s.conn())
        .unwrap();
    let file = csv_file(&dir, "u.csv", 2_500);
    let keys_in = |db: i64| -> u64 {
        let mut c = s.conn();
        let _: () = redis::cmd("SELECT").arg(db).query(&mut c).unwrap();
        let mut n = 0u64;
        for k in ["u:0", "u:1249", "u:2499"] {
            let v: Option<String> = redis::cmd("GET").arg(k).query(&mut c).unwrap();
            n += u64::from(v.as_deref() == Some(&format!("plan {}", &k[2..])[..]));
        }
        let size: u64 = redis::cmd("DBSIZE").query(&mut c).unwrap();
        assert!(size == 0 || size == 2_500, "db {db}: {size} keys");
        n
    };
    let tcp = format!("redis://loader:l0ad@127.0.0.1:{}/3", s.port);
    let args = ["--source", &file, "--key", "u:{id}", "--value", "{name}"];
    let r = ok(&tcp, &args);
    assert_eq!((r.written, r.failed), (2_500, 0));
    assert_eq!(
        (keys_in(3), keys_in(0)),
        (3, 0),
        "every row in db 3, none in db 0"
    );
    let unix = format!("unix://{sock}?db=5&user=loader&pass=l0ad");
    let r = ok(&unix, &args);
    assert_eq!((r.written, r.failed), (2_500, 0));
    assert_eq!(keys_in(5), 3);
    // the user's rights hold on these sockets too: without the rows' keys (the lock's kept)
    // every row is refused
    let _: () = redis::cmd("ACL")
        .arg(&["SETUSER", "loader", "resetkeys", "~cachectl:*"])
        .query(&mut s.conn())
        .unwrap();
    let (code, r, err) = warm(&tcp, &args);
    assert_eq!(code, Some(1), "{err}");
    let run = &r.expect("JSON").runs[0];
    assert_eq!(run.written, 0);
    assert!(err.contains("NOPERM"), "{err}");
    assert!(!err.contains("l0ad"), "{err}");
}

#[test]
fn modes_overwrite_missing_refresh() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "m.csv", 4);
    let mut c = s.conn();
    let set = |c: &mut redis::Connection, k: &str, v: &str, ttl: Option<u64>| {
        let mut cmd = redis::cmd("SET");
        cmd.arg(k).arg(v);
        if let Some(t) = ttl {
            cmd.arg("EX").arg(t);
        }
        let _: () = cmd.query(c).unwrap();
    };
    set(&mut c, "m:0", "old", Some(3600));
    // missing: never overwrites
    let r = ok(
        &s.url(),
        &[
            "--source", &file, "--key", "m:{id}", "--value", "{name}", "--mode", "missing",
            "--ttl", "1h",
        ],
    );
    assert_eq!((r.written, r.skipped), (3, 1));
    assert_eq!(get(&mut c, "m:0").unwrap(), "old");
    assert_eq!(get(&mut c, "m:1").unwrap(), "plan 1");
    // overwrite
    let r = ok(
        &s.url(),
        &[
            "--source", &file, "--key", "m:{id}", "--value", "new {id}", "--ttl", "1h",
        ],
    );
    assert_eq!(r.written, 4);
    assert_eq!(get(&mut c, "m:0").unwrap(), "new 0");
    // refresh: only missing keys or TTL below --refresh-below
    set(&mut c, "m:0", "long", Some(3600)); // kept
    set(&mut c, "m:1", "short", Some(10)); // rewritten
    let _: () = redis::cmd("DEL").arg("m:2").query(&mut c).unwrap(); // written
    set(&mut c, "m:3", "forever", None); // no TTL: not below, kept
    let r = ok(
        &s.url(),
        &[
            "--source",
            &file,
            "--key",
            "m:{id}",
            "--value",
            "fresh",
            "--mode",
            "refresh",
            "--refresh-below",
            "5m",
            "--ttl",
            "1h",
        ],
    );
    assert_eq!((r.written, r.skipped), (2, 2));
    assert_eq!(get(&mut c, "m:0").unwrap(), "long");
    assert_eq!(get(&mut c, "m:1").unwrap(), "fresh");
    assert_eq!(get(&mut c, "m:2").unwrap(), "fresh");
    assert_eq!(get(&mut c, "m:3").unwrap(), "forever");
    let (code, _, err) = warm(
        &s.url(),
        &["--source", &file, "--key", "m:{id}", "--mode", "refresh"],
    );
    assert_eq!(code, Some(2), "{err}");
    // dry run writes nothing
    let r = ok(
        &s.url(),
        &["--source", &file, "--key", "dry:{id}", "--dry-run"],
    );
    assert_eq!((r.status.as_str(), r.written, r.skipped), ("dry-run", 0, 4));
    assert!(get(&mut c, "dry:1").is_none());
}

#[test]
fn malformed_rows_are_counted_with_line_numbers() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.csv");
    std::fs::write(&p, "id,name\n1,a\n2\n3,c\n,empty-id\n5,e,extra\n6,f\n").unwrap();
    let f = p.to_str().unwrap();
    let (code, rep, err) = warm(&s.url(), &["--source", f, "--key", "b:{id}"]);
    assert_eq!(
        code,
        Some(0),
        "no --max-errors: bad rows do not fail the run: {err}"
    );
    let rep = rep.expect("JSON");
    // but a run with failed rows is never reported `ok`
    assert_eq!(
        (rep.status.as_str(), rep.runs[0].status.as_str()),
        ("partial", "partial")
    );
    assert!(err.contains("status=partial: 3 rows failed"), "{err}");
    let r = &rep.runs[0];
    assert_eq!((r.rows, r.written, r.failed), (6, 3, 3));
    let lines: Vec<u64> = r.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 5, 6]);
    assert!(
        r.errors[1].message.contains("`id` is empty"),
        "{:?}",
        r.errors
    );
    let (code, rep, err) = warm(
        &s.url(),
        &["--source", f, "--key", "b:{id}", "--max-errors", "2"],
    );
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("3 rows failed, more than --max-errors 2"),
        "{err}"
    );
    assert_eq!(
        rep.unwrap().runs[0].written,
        3,
        "the good rows are still written"
    );
    let (code, rep, _) = warm(
        &s.url(),
        &["--source", f, "--key", "b:{id}", "--max-errors", "3"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(rep.unwrap().runs[0].status, "partial");
    // a template naming a column the source does not have is a usage error before anything
    // is written (it used to fail every row with status ok, exit 0)
    let before = s.dbsize();
    let (code, rep, err) = warm(&s.url(), &["--source", f, "--key", "b:{idd}"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(rep.is_none());
    assert!(
        err.contains("`{idd}`") && err.contains("it has: id, name"),
        "{err}"
    );
    assert_eq!(s.dbsize(), before, "nothing written");
    // JSON lines: the first object stands for the fields
    let j = dir.path().join("rows.jsonl");
    std::fs::write(&j, "{\"id\":1}\n{\"id\":2}\n").unwrap();
    let (code, _, err) = warm(
        &s.url(),
        &["--source", j.to_str().unwrap(), "--key", "j:{idd}"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(s.dbsize(), before, "nothing written");
    // usage errors
    for args in [
        vec!["--source", f],
        vec!["--key", "x:{id}"],
        vec!["--source", f, "--key", "x:{id"],
        vec!["--source", f, "--key", "x", "--ttl", "soon"],
        vec!["--source", f, "--key", "x", "--mode", "sometimes"],
    ] {
        let (code, _, err) = warm(&s.url(), &args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
    }
    let (code, _, err) = warm(&s.url(), &["--source", "/nonexistent.csv", "--key", "x"]);
    assert_eq!(code, Some(1), "{err}");
}

#[test]
fn rate_limit_is_held() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "r.csv", 2000);
    let t = Instant::now();
    let r = ok(
        &s.url(),
        &[
            "--source",
            &file,
            "--key",
            "r:{id}",
            "--rate",
            "1000/s",
            "--concurrency",
            "8",
        ],
    );
    let wall = t.elapsed();
    assert_eq!(r.written, 2000);
    // 2000 rows at 1000/s: the bucket never lets it finish early. How close to 2 s it ends is
    // speed, which a loaded machine changes (timings are shown in bench/, not asserted here).
    assert!(r.duration_ms >= 1990, "{} ms", r.duration_ms);
    assert!(r.rate_per_s <= 1005.0, "{}", r.rate_per_s);
    assert!(wall >= Duration::from_millis(1990));
}

#[test]
fn checkpoint_resumes_an_interrupted_run() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "big.csv", 3000);
    let cp = dir.path().join("warm.checkpoint");
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let child = Command::new(&bin)
        .args([
            "--url",
            &s.url(),
            "warm",
            "--source",
            &file,
            "--key",
            "c:{id}",
            "--rate",
            "1000/s",
        ])
        .args(["--checkpoint", cp.to_str().unwrap(), "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    s.wait_for_dbsize("the first rows written", |n| n >= 200);
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "SIGTERM exits cleanly: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first: Report = serde_json::from_slice(&out.stdout).expect("a report even when stopped");
    assert_eq!(first.runs[0].status, "stopped");
    let done = first.runs[0].written;
    assert!(done > 0 && done < 3000, "{done}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cp).unwrap()).unwrap();
    let rows_done = saved["rows_done"].as_u64().unwrap();
    assert_eq!(
        rows_done, done,
        "every written row is behind the checkpoint, nothing else"
    );
    assert_eq!(s.dbsize(), done);

    let r = ok(
        &s.url(),
        &[
            "--source",
            &file,
            "--key",
            "c:{id}",
            "--checkpoint",
            cp.to_str().unwrap(),
        ],
    );
    assert_eq!(r.resumed_from, rows_done);
    assert_eq!(r.rows, 3000 - rows_done);
    assert_eq!(r.written, 3000 - rows_done);
    assert_eq!(s.dbsize(), 3000);
    assert!(!cp.exists(), "a finished run removes its checkpoint");
    // a checkpoint from another job is refused
    std::fs::write(
        &cp,
        r#"{"job":"other","source":"stdin","rows_done":5,"updated":"x"}"#,
    )
    .unwrap();
    let (code, _, err) = warm(
        &s.url(),
        &[
            "--source",
            &file,
            "--key",
            "c:{id}",
            "--checkpoint",
            cp.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn lock_makes_an_overlapping_run_skip() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "plans.csv", 10);
    let mut c = s.conn();
    let _: () = redis::cmd("SET")
        .arg("cachectl:lock:warm:plans")
        .arg("other-host:4242:1")
        .arg("PX")
        .arg(30_000)
        .query(&mut c)
        .unwrap();
    let (code, r, err) = warm(&s.url(), &["--source", &file, "--key", "l:{id}"]);
    assert_eq!(code, Some(0), "a skip is not a failure: {err}");
    let run = &r.unwrap().runs[0];
    assert_eq!((run.status.as_str(), run.written), ("locked", 0));
    assert!(err.contains("other-host:4242:1"), "{err}");
    assert!(get(&mut c, "l:1").is_none());
    // another job name is not blocked; the lock is released after a run
    let r = ok(
        &s.url(),
        &["--source", &file, "--key", "l:{id}", "--name", "plans-eu"],
    );
    assert_eq!(r.written, 10);
    let held: Option<String> = get(&mut c, "cachectl:lock:warm:plans-eu");
    assert!(held.is_none(), "released: {held:?}");
    // two concurrent runs of the same job: exactly one writes
    let _: () = redis::cmd("DEL")
        .arg("cachectl:lock:warm:plans")
        .query(&mut c)
        .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let spawn = || {
        Command::new(&bin)
            .args([
                "--url",
                &s.url(),
                "warm",
                "--source",
                &file,
                "--key",
                "cc:{id}",
                "--rate",
                "5/s",
                "-o",
                "json",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let statuses: Vec<String> = [a, b]
        .into_iter()
        .map(|ch| {
            let out = ch.wait_with_output().unwrap();
            assert!(out.status.success());
            let r: Report = serde_json::from_slice(&out.stdout).unwrap();
            r.runs[0].status.clone()
        })
        .collect();
    let mut sorted = statuses.clone();
    sorted.sort();
    assert_eq!(sorted, vec!["locked", "ok"], "{statuses:?}");
}

#[test]
fn schedule_fires_on_time_and_bad_cron_lines_are_usage_errors() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "tick.csv", 5);
    let t = Instant::now();
    let (code, r, err) = warm(
        &s.url(),
        &[
            "--source",
            &file,
            "--key",
            "tick:{id}",
            "--schedule",
            "*/2 * * * * *",
            "--max-runs",
            "3",
        ],
    );
    let el = t.elapsed();
    assert_eq!(code, Some(0), "{err}");
    let runs = r.unwrap().runs;
    assert_eq!(runs.len(), 3);
    assert!(runs.iter().all(|r| r.written == 5 && r.status == "ok"));
    // each run starts on an even second
    for r in &runs {
        let sec: u32 = r.started_at[17..19].parse().unwrap();
        assert_eq!(sec % 2, 0, "{}", r.started_at);
    }
    assert!(
        el >= Duration::from_secs(3) && el <= Duration::from_secs(8),
        "{el:?}"
    );
    assert_eq!(
        err.lines().filter(|l| l.contains("warm job=tick")).count(),
        3,
        "one log line per run: {err}"
    );
    for bad in [
        "61 * * * *",
        "* * *",
        "every minute",
        "* * * * * * *",
        "@fortnightly",
    ] {
        let (code, _, err) = warm(
            &s.url(),
            &["--source", &file, "--key", "x:{id}", "--schedule", bad],
        );
        assert_eq!(code, Some(2), "{bad}: {err}");
        assert!(err.contains("cron"), "{err}");
    }
}

/// A server with `timeout 1` closes every connection idle for a second: between scheduled
/// runs three seconds apart, the lock's connection and the writers' links are all closed.
/// Each run still writes everything (it used to fail `taking lock …: broken pipe` from the
/// second run on, forever).
#[test]
fn a_server_timeout_between_scheduled_runs_fails_no_run() {
    let s = RedisServer::start_with(&["--timeout", "1"]);
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "idle.csv", 500);
    let (code, r, err) = warm(
        &s.url(),
        &[
            "--source",
            &file,
            "--key",
            "idle:{id}",
            "--ttl",
            "1h",
            "--schedule",
            "*/3 * * * * *",
            "--max-runs",
            "3",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let r = r.expect("JSON");
    assert_eq!(r.runs.len(), 3);
    for run in &r.runs {
        assert_eq!(
            (run.status.as_str(), run.written, run.failed, run.lost),
            ("ok", 500, 0, 0),
            "{run:?} {err}"
        );
    }
    assert_eq!(s.dbsize(), 500);
    // the lock was released after each run (the next one was not locked out by it)
    let mut c = s.conn();
    let held: Option<String> = redis::cmd("GET")
        .arg("cachectl:lock:warm:idle")
        .query(&mut c)
        .unwrap();
    assert_eq!(held, None);
}

/// With the server's `timeout` (1 s) shorter than the lock's renewal period (2 s), the lock's
/// connection is closed between renewals: each renewal reconnects and succeeds. Every
/// renewal used to fail (`broken pipe`), and a run longer than the lock's TTL (30 s) would
/// have stopped for a lost lock.
#[test]
fn a_server_timeout_shorter_than_the_renewal_period_keeps_the_lock() {
    let s = RedisServer::start_with(&["--timeout", "1"]);
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "slow.csv", 20);
    let (code, r, err) = warm(
        &s.url(),
        &[
            "--source",
            &file,
            "--key",
            "slow:{id}",
            "--ttl",
            "1h",
            "--rate",
            "4/s",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let run = &r.expect("JSON").runs[0];
    assert_eq!((run.status.as_str(), run.written), ("ok", 20), "{run:?}");
    assert!(
        !err.contains("renewing lock"),
        "a renewal failed (the run lasted 5 s: two renewals): {err}"
    );
    assert_eq!(s.dbsize(), 20, "written, and the lock released");
}

#[test]
fn redis_dropping_mid_run_is_retried() {
    let mut s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "drop.csv", 3000);
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let child = Command::new(&bin)
        .args([
            "--url",
            &s.url(),
            "--timeout",
            "1s",
            "warm",
            "--source",
            &file,
            "--key",
            "d:{id}",
        ])
        .args(["--rate", "1000/s", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    s.wait_for_dbsize("the first rows written", |n| n >= 200);
    s.kill();
    std::thread::sleep(Duration::from_millis(700));
    s.restart(&[]);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    let run = &r.runs[0];
    assert_eq!((run.rows, run.lost, run.failed), (3000, 0, 0), "{run:?}");
    assert!(err.contains("retrying"), "{err}");
    // the restarted server is empty: it holds exactly what was written after it came back
    let mut c = s.conn();
    assert!(get(&mut c, "d:2999").is_some());
    assert!(s.dbsize() > 0 && s.dbsize() < 3000);

    // gone for good: the summary says exactly what was lost
    let before = s.dbsize();
    let child = Command::new(&bin)
        .args([
            "--url",
            &s.url(),
            "--timeout",
            "500ms",
            "warm",
            "--source",
            &file,
            "--key",
            "e:{id}",
        ])
        .args(["--rate", "2000/s", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    s.wait_for_dbsize("the first rows written", |n| n >= before + 100);
    s.kill();
    let t = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "gives up after the outage budget: {:?}",
        t.elapsed()
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.lines().last().unwrap().contains("Redis unavailable"),
        "{err}"
    );
    let r: Report = serde_json::from_slice(&out.stdout).expect("a summary");
    let run = &r.runs[0];
    assert_eq!(run.status, "redis-unavailable");
    assert!(run.lost > 0, "{run:?}");
    assert_eq!(run.written + run.skipped + run.failed, run.rows);
    assert!(run.rows < 3000, "reading stopped: {run:?}");
    assert!(
        run.errors
            .iter()
            .any(|e| e.message.contains("not confirmed written")),
        "{:?}",
        run.errors
    );
}

#[test]
fn profile_jobs() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let data = csv_file(&dir, "plans.csv", 20);
    let profile = dir.path().join("shop.yaml");
    std::fs::write(
        &profile,
        format!(
            "name: shop\nnamespaces:\n  plans:\n    pattern: \"plan:*\"\n    ttl: 10m\n    ttl_jitter: 0%\n\
             warm:\n  all_plans:\n    namespace: plans\n    source: {{ type: file, path: \"{data}\" }}\n    key: \"plan:{{id}}\"\n    value: \"{{name}}\"\n\
             \x20 cheap_plans:\n    namespace: plans\n    source: {{ type: command, command: \"head -3 {data}\", format: csv }}\n    key: \"cheap:{{id}}\"\n    mode: missing\n"
        ),
    )
    .unwrap();
    let p = profile.to_str().unwrap();
    let r = ok(&s.url(), &["-P", p, "--job", "all_plans"]);
    assert_eq!((r.job.as_str(), r.written), ("all_plans", 20));
    let mut c = s.conn();
    assert_eq!(get(&mut c, "plan:4").unwrap(), "plan 4");
    let t = pttl(&mut c, "plan:4");
    assert!(
        (590_000..=600_000).contains(&t),
        "the namespace's TTL, no jitter: {t}"
    );
    let (code, r, err) = warm(&s.url(), &["-P", p, "--all-jobs"]);
    assert_eq!(code, Some(0), "{err}");
    let runs = r.unwrap().runs;
    assert_eq!(runs.len(), 2);
    let cheap = runs.iter().find(|r| r.job == "cheap_plans").unwrap();
    assert_eq!(cheap.written, 2);
    let (code, _, _) = warm(&s.url(), &["-P", p, "--job", "nope"]);
    assert_eq!(code, Some(2));
    // a failing source command is a failure, with its stderr in the message
    let (code, _, err) = warm(
        &s.url(),
        &[
            "--source-cmd",
            "echo id; echo 1; echo boom >&2; exit 4",
            "--key",
            "f:{id}",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("status 4") && err.contains("boom"), "{err}");
}

#[test]
fn cluster_writes_go_to_every_primary() {
    let c = Cluster::start(0);
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "cl.csv", 3000);
    let r = ok(
        &c.url(),
        &["--source", &file, "--key", "cl:{id}", "--ttl", "1h"],
    );
    assert_eq!(r.written, 3000);
    assert_eq!(c.total_dbsize(), 3000);
    for p in c.primary_ports() {
        let n = c.nodes.iter().find(|n| n.port == p).unwrap();
        assert!(n.dbsize() > 500);
    }
}

/// PostgreSQL -> `--source-cmd psql …` -> Redis. Under CI=true a missing PostgreSQL is a
/// failure (.ci/run makes sure one is running), elsewhere the test is skipped.
/// `--mode missing` on a cluster whose primary drops mid-run (killed, back empty on its own
/// slots): only that node's rows are sent again. The rows the other primaries wrote in the
/// same batch used to be resent too, and counted `skipped` (their NX found the key this run
/// had just written): every key is new, so every row is `written`.
#[test]
fn a_cluster_node_dropping_resends_only_its_own_rows() {
    let mut c = Cluster::start(0);
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "nx.csv", 3000);
    let mut child = spawn_warm(
        &c.url(),
        &[
            "--timeout",
            "1s",
            "--source",
            &file,
            "--key",
            "nx:{id}",
            "--ttl",
            "1h",
            "--mode",
            "missing",
            "--rate",
            "1500/s",
        ],
    );
    let err = crate::support::Tail::new(child.stderr.take().unwrap());
    crate::support::wait_until(Duration::from_secs(30), "the first rows written", || {
        c.total_dbsize() >= 300
    });
    c.nodes[1].kill();
    err.wait_for("retrying");
    c.nodes[1].restart(&[
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        "nodes.conf",
        "--cluster-node-timeout",
        "5000",
    ]);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&err.finish()).into_owned();
    assert_eq!(out.status.code(), Some(0), "{err}");
    let r: Report = serde_json::from_slice(&out.stdout).expect("a summary");
    let run = &r.runs[0];
    assert_eq!(
        (run.rows, run.written, run.skipped, run.failed, run.lost),
        (3000, 3000, 0, 0, 0),
        "{run:?} {err}"
    );
}

/// Slots moved to another primary mid-run (`redis-cli --cluster reshard`): the rows
/// answered `MOVED` (or `ASK` while a slot migrates) go to the slot's new owner after the
/// topology is read again. They used to be counted failed (`MOVED 10928 …`, status partial).
#[test]
fn slots_moved_mid_run_are_followed() {
    let c = Cluster::start(0);
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "rs.csv", 5000);
    let mut child = spawn_warm(
        &c.url(),
        &[
            "--source", &file, "--key", "rs:{id}", "--ttl", "1h", "--mode", "missing", "--rate",
            "1000/s",
        ],
    );
    let err = crate::support::Tail::new(child.stderr.take().unwrap());
    crate::support::wait_until(Duration::from_secs(30), "the first rows written", || {
        c.total_dbsize() >= 300
    });
    let id = |s: &RedisServer| -> String {
        redis::cmd("CLUSTER")
            .arg("MYID")
            .query(&mut s.conn())
            .unwrap()
    };
    let out = Command::new("redis-cli")
        .args([
            "--cluster",
            "reshard",
            &format!("127.0.0.1:{}", c.nodes[0].port),
        ])
        .args([
            "--cluster-from",
            &id(&c.nodes[0]),
            "--cluster-to",
            &id(&c.nodes[1]),
        ])
        .args(["--cluster-slots", "1000", "--cluster-yes"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&err.finish()).into_owned();
    assert_eq!(out.status.code(), Some(0), "{err}");
    let r: Report = serde_json::from_slice(&out.stdout).expect("a summary");
    let run = &r.runs[0];
    assert_eq!(
        (run.rows, run.written, run.skipped, run.failed),
        (5000, 5000, 0, 0),
        "{run:?} {err}"
    );
    assert_eq!(c.total_dbsize(), 5000);
}

#[test]
fn end_to_end_from_postgresql() {
    if !crate::support::postgres_or_skip() {
        return;
    }
    let table = format!("cachectl_plans_{}", std::process::id());
    let sql = format!(
        "drop table if exists {table}; create table {table} (id int primary key, name text, price numeric);\
         insert into {table} select g, 'plan, tier ' || g, g * 1.5 from generate_series(1, 500) g;"
    );
    let st = Command::new("psql")
        .args(["-d", "test", "-q", "-c", &sql])
        .status()
        .unwrap();
    assert!(st.success());
    let s = RedisServer::start();
    let cmd =
        format!("psql -d test -At -F, -c 'select id, row_to_json(p) from {table} p order by id'");
    let r = ok(
        &s.url(),
        &[
            "--source-cmd",
            &cmd,
            "--columns",
            "id,json",
            "--key",
            "plan_catalog:v1:{id}",
            "--value",
            "{json}",
            "--ttl",
            "1h",
            "--rate",
            "2000/s",
        ],
    );
    let _ = Command::new("psql")
        .args(["-d", "test", "-q", "-c", &format!("drop table {table}")])
        .status();
    assert_eq!(
        (r.rows, r.written, r.failed),
        (500, 500, 0),
        "{:?}",
        r.errors
    );
    let mut c = s.conn();
    let v: serde_json::Value =
        serde_json::from_str(&get(&mut c, "plan_catalog:v1:42").unwrap()).unwrap();
    assert_eq!(v["id"], 42);
    assert_eq!(v["name"], "plan, tier 42");
    assert_eq!(v["price"], 63.0);
    let t = pttl(&mut c, "plan_catalog:v1:42");
    assert!((3_240_000..=3_960_000).contains(&t), "{t}");
}

#[test]
fn ctrl_c_exits_130_sigterm_exits_0() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "sig.csv", 3000);
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    for (signal, code, status) in [("-INT", 130, "interrupted"), ("-TERM", 0, "stopped")] {
        let sets = crate::support::calls(&mut s.conn(), "set");
        let child = Command::new(&bin)
            .args([
                "--url",
                &s.url(),
                "warm",
                "--source",
                &file,
                "--key",
                "sig:{id}",
                "--rate",
                "1000/s",
                "-o",
                "json",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        s.wait_for_calls("set", sets + 200); // the first rows written
        assert!(Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap()
            .success());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            shell_code(out.status),
            Some(code),
            "{signal}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: Report = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r.runs[0].status, status);
        assert!(r.runs[0].written > 0 && r.runs[0].written < 3000);
    }
}

/// Start `cachectl warm` in the background (JSON on stdout).
fn spawn_warm(url: &str, args: &[&str]) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("cachectl"))
        .args(["--url", url, "warm"])
        .args(args)
        .args(["-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait (at most 10 s) until `key` is written (the job's lock comes before any row).
fn wait_for_key(s: &RedisServer, key: &str) {
    let t = Instant::now();
    let mut c = s.conn();
    while get(&mut c, key).is_none() {
        assert!(t.elapsed() < Duration::from_secs(10), "nothing written");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn finish_warm(child: std::process::Child) -> (Option<i32>, Report, String) {
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let r = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {err}"));
    (out.status.code(), r, err)
}

/// A run the server refused: exit 1, `failed`, the one line names the reason and the counts,
/// and only the batches in flight were sent after the first refusal.
fn assert_refused(code: Option<i32>, r: &Report, err: &str, reason: &str, sent_at_most: u64) {
    assert_eq!(code, Some(1), "{err}");
    let run = &r.runs[0];
    assert_eq!(
        (r.status.as_str(), run.status.as_str()),
        ("failed", "server-refused"),
        "{run:?}"
    );
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("cachectl: error: ")
            && last.contains(&format!("server refused writes: {reason}"))
            && last.contains("rows written"),
        "{err}"
    );
    assert!(run.written > 0, "{run:?}");
    assert_eq!(run.written + run.failed, run.rows, "{run:?}");
    assert!(
        run.failed <= sent_at_most,
        "stopped sending at once: {} refused rows (in flight: at most {sent_at_most}): {run:?}",
        run.failed
    );
    assert!(
        run.errors.iter().any(|e| e.message.starts_with(reason)),
        "{:?}",
        run.errors
    );
}

fn rows_of(dir: &tempfile::TempDir, rows: u64, size: usize) -> String {
    let p = dir.path().join("rows.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    writeln!(f, "id,value").unwrap();
    let pad = "x".repeat(size);
    for i in 0..rows {
        writeln!(f, "{i},{pad}").unwrap();
    }
    f.flush().unwrap();
    p.display().to_string()
}

#[test]
fn a_full_server_stops_the_run_and_the_checkpoint_resumes_it() {
    // issue 23 defect 3: 4 MB and noeviction, 50,000 rows of 100 B: most are refused with
    // OOM. The run used to go on, fail row after row and report `ok`, exit 0.
    let s = RedisServer::start_with(&["--maxmemory", "4mb", "--maxmemory-policy", "noeviction"]);
    let dir = tempfile::tempdir().unwrap();
    let file = rows_of(&dir, 50_000, 100);
    let cp = dir.path().join("full.checkpoint");
    let args = [
        "--source",
        &file,
        "--key",
        "full:{id}",
        "--value",
        "{value}",
        "--checkpoint",
        cp.to_str().unwrap(),
    ];
    let (code, r, err) = warm(&s.url(), &args);
    let r = r.unwrap_or_else(|| panic!("a report: {err}"));
    // default --concurrency 4 --batch 500: only the batches in flight meet the refusal
    assert_refused(code, &r, &err, "OOM command not allowed", 4 * 500);
    let run = &r.runs[0];
    assert!(
        run.rows < 50_000,
        "the rest of the source is not sent: {run:?}"
    );
    assert_eq!(s.dbsize(), run.written, "written means written");
    // the checkpoint is kept: with room on the server a resumed run writes the rest
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cp).expect("checkpoint kept")).unwrap();
    let rows_done = saved["rows_done"].as_u64().unwrap();
    assert!(
        rows_done > 0 && rows_done <= run.written,
        "{rows_done} {run:?}"
    );
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("maxmemory")
        .arg("0")
        .query(&mut s.conn())
        .unwrap();
    let again = ok(&s.url(), &args);
    assert_eq!(again.resumed_from, rows_done);
    assert_eq!((again.status.as_str(), again.failed), ("ok", 0));
    assert_eq!(s.dbsize(), 50_000);
    assert!(!cp.exists(), "a finished run removes its checkpoint");
}

#[test]
fn set_permission_revoked_mid_run_stops_the_run() {
    // an ACL user that loses +set (a least-privilege change rolled out mid-run): NOPERM
    let s = RedisServer::start();
    let _: () = redis::cmd("ACL")
        .arg(&["SETUSER", "warmer", "on", ">w4rm", "~*", "&*", "+@all"])
        .query(&mut s.conn())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "acl.csv", 20_000);
    let url = format!("redis://warmer:w4rm@127.0.0.1:{}", s.port);
    let t = Instant::now();
    let child = spawn_warm(
        &url,
        &["--source", &file, "--key", "acl:{id}", "--rate", "4000/s"],
    );
    wait_for_key(&s, "acl:0");
    let _: () = redis::cmd("ACL")
        .arg(&["SETUSER", "warmer", "-set"])
        .query(&mut s.conn())
        .unwrap();
    let (code, r, err) = finish_warm(child);
    // --rate 4000/s: batches of 200, 4 in flight
    assert_refused(code, &r, &err, "NOPERM", 4 * 200);
    assert!(!err.contains("w4rm"), "{err}");
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "stopped at once: {:?}",
        t.elapsed()
    );
}

#[test]
fn a_password_changed_mid_run_stops_the_run_as_an_authentication_failure() {
    // the password rotated (and the old connections closed) while warm runs: no reconnect can
    // get in, so the run stops at once naming the cause; it used to retry for the outage
    // budget (10 s) and report "Redis unavailable"
    let s = RedisServer::start_with(&["--requirepass", "0ld-s3cret"]);
    let admin = |pw: &str| {
        redis::Client::open(format!("redis://:{pw}@127.0.0.1:{}", s.port))
            .unwrap()
            .get_connection()
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "pw.csv", 20_000);
    let url = format!("redis://:0ld-s3cret@127.0.0.1:{}", s.port);
    let child = spawn_warm(
        &url,
        &["--source", &file, "--key", "pw:{id}", "--rate", "4000/s"],
    );
    crate::support::wait_until(Duration::from_secs(30), "the first rows", || {
        redis::cmd("EXISTS")
            .arg("pw:0")
            .query::<u64>(&mut admin("0ld-s3cret"))
            .unwrap()
            == 1
    });
    let _: () = redis::cmd("CONFIG")
        .arg(&["SET", "requirepass", "n3w-s3cret"])
        .query(&mut admin("0ld-s3cret"))
        .unwrap();
    let _: () = redis::cmd("CLIENT")
        .arg(&["KILL", "TYPE", "normal"])
        .query(&mut admin("n3w-s3cret"))
        .unwrap_or(());
    let (code, r, err) = finish_warm(child);
    assert_refused(code, &r, &err, "authentication failed", 4 * 200);
    assert!(!err.contains("Redis unavailable"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    // every row it counts written is there (the lock key is left: the release cannot log in)
    let keys: u64 = redis::cmd("DBSIZE")
        .query(&mut admin("n3w-s3cret"))
        .unwrap();
    assert!(keys >= r.runs[0].written, "{keys} < {}", r.runs[0].written);
}

#[test]
fn a_primary_turned_replica_mid_run_stops_the_run() {
    // the server warm writes to becomes a replica (a failover elsewhere): READONLY
    let s = RedisServer::start();
    let other = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv_file(&dir, "ro.csv", 20_000);
    let t = Instant::now();
    let child = spawn_warm(
        &s.url(),
        &["--source", &file, "--key", "ro:{id}", "--rate", "4000/s"],
    );
    wait_for_key(&s, "ro:0");
    let _: () = redis::cmd("REPLICAOF")
        .arg("127.0.0.1")
        .arg(other.port)
        .query(&mut s.conn())
        .unwrap();
    let (code, r, err) = finish_warm(child);
    assert_refused(code, &r, &err, "READONLY", 4 * 200);
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "stopped at once: {:?}",
        t.elapsed()
    );
}
