//! One outcome per run (SPEC §1): `warm` and `invalidate` met the way operators meet them —
//! killed mid-run, their server killed or paused, malformed input — report exactly what
//! they did, and the status, the exit code and the audit line agree.

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{cachectl, shell_code, Loader, RedisServer};

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("cachectl")
}

/// Start cachectl in the background (JSON on stdout).
fn spawn(url: &str, args: &[&str]) -> Child {
    Command::new(bin())
        .args(["--url", url, "-o", "json"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(pid: u32, sig: &str) {
    let st = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap();
    assert!(st.success(), "kill {sig} {pid}");
}

/// Run to the end: (exit code, JSON report if any, stderr).
fn finish(child: Child) -> (Option<i32>, Option<Value>, String) {
    let out: Output = child.wait_with_output().unwrap();
    (
        shell_code(out.status),
        serde_json::from_slice(&out.stdout).ok(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run(url: &str, args: &[&str]) -> (Option<i32>, Option<Value>, String) {
    let out = cachectl()
        .args(["--url", url, "-o", "json"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).ok(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn csv(dir: &tempfile::TempDir, name: &str, rows: u64) -> String {
    let p = dir.path().join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    writeln!(f, "id,name").unwrap();
    for i in 0..rows {
        writeln!(f, "{i},n{i}").unwrap();
    }
    p.display().to_string()
}

fn seed(s: &RedisServer, prefix: &str, n: u64) {
    let mut l = Loader::standalone(s);
    for i in 0..n {
        l.cmd("SET", &format!("{prefix}{i}"), &[&"v"]);
    }
}

fn u(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"))
}

// ---------------------------------------------------------------- warm

#[test]
fn warm_a_stray_quote_is_a_bad_row_and_max_errors_0_fails_the_run() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("quote.csv");
    let mut text = String::from("id,name\n");
    for i in 0..100_000 {
        if i == 10 {
            text.push_str("10,\"stray\n");
        } else {
            text.push_str(&format!("{i},n{i}\n"));
        }
    }
    std::fs::write(&p, text).unwrap();
    let f = p.to_str().unwrap();
    let args = ["warm", "--source", f, "--key", "q:{id}", "--ttl", "1h"];
    let (code, r, err) = run(&s.url(), &args);
    assert_eq!(code, Some(0), "{err}");
    let r = r.unwrap();
    let run0 = &r["runs"][0];
    assert_eq!((u(run0, "written"), u(run0, "failed")), (10, 1), "{run0}");
    let msg = run0["errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("never closed") && msg.contains("line 12"),
        "{msg}"
    );
    // the same file with --max-errors 0: exit 3, and every status says so
    let mut with_max = args.to_vec();
    with_max.extend(["--max-errors", "0"]);
    let (code, r, err) = run(&s.url(), &with_max);
    assert_eq!(code, Some(3), "{err}");
    let r = r.unwrap();
    assert_eq!(r["status"], "check-failed");
    assert_eq!(r["runs"][0]["status"], "too-many-errors");
    assert!(err.contains("more than --max-errors 0"), "{err}");
}

#[test]
fn warm_a_directory_source_is_fatal_at_once() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let (code, r, err) = run(
        &s.url(),
        &[
            "warm",
            "--source",
            dir.path().to_str().unwrap(),
            "--format",
            "csv",
            "--key",
            "d:{id}",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(r.is_none());
    assert!(err.contains("is a directory"), "{err}");
    assert!(t.elapsed() < Duration::from_secs(10), "no spinning");
    assert_eq!(s.dbsize(), 0);
}

#[test]
fn warm_an_empty_source_is_a_quiet_run_not_a_usage_error() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.csv");
    std::fs::write(&p, "").unwrap();
    for source in [
        vec!["--source", p.to_str().unwrap()],
        vec!["--source-cmd", "true", "--format", "csv"],
    ] {
        let mut args = vec!["warm"];
        args.extend(source);
        args.extend(["--key", "e:{id}", "--ttl", "1h"]);
        let (code, r, err) = run(&s.url(), &args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        let r = r.unwrap();
        assert_eq!(
            (u(&r["runs"][0], "rows"), r["status"].as_str()),
            (0, Some("ok"))
        );
    }
}

#[test]
fn warm_a_chatty_source_command_never_hangs_and_its_stderr_explains_a_failure() {
    let s = RedisServer::start();
    // 1 MB on stderr (no newline in the first half) before the rows: a pipe holds 64 KiB
    let cmd = "head -c 500000 /dev/zero | tr '\\0' x >&2; yes 'noise line' | head -n 50000 >&2; \
               printf 'id,name\\n'; seq 1 2000 | sed 's/$/,n/'";
    let (code, r, err) = run(
        &s.url(),
        &[
            "warm",
            "--source-cmd",
            cmd,
            "--key",
            "c:{id}",
            "--ttl",
            "1h",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(u(&r.unwrap()["runs"][0], "written"), 2000);
    // a failing command: exit 1, its last stderr lines quoted
    let cmd = "yes 'noise' | head -n 30000 >&2; printf 'id\\n1\\n'; echo 'FATAL: password authentication failed' >&2; exit 4";
    let (code, r, err) = run(&s.url(), &["warm", "--source-cmd", cmd, "--key", "c:{id}"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(r.unwrap()["runs"][0]["status"], "source-failed");
    let last = err.trim_end().lines().last().unwrap();
    assert!(
        last.contains("status 4") && last.contains("FATAL: password authentication failed"),
        "{err}"
    );
}

#[test]
fn warm_signals_stop_a_silent_source_command_promptly() {
    let s = RedisServer::start();
    // the port makes the command line this test's own (other runs on the machine have theirs)
    let cmd = format!("printf 'id\\n1\\n'; sleep 60; echo {}", s.port);
    // the shell running the command, not cachectl (whose own command line holds the same
    // text: waiting for it let a signal arrive before the handlers were there)
    let tail = format!("^sh -c .*sleep 60; echo {}$", s.port);
    for (sig, code, status) in [("-TERM", 0, "stopped"), ("-INT", 130, "interrupted")] {
        let child = spawn(
            &s.url(),
            &[
                "warm",
                "--source-cmd",
                &cmd,
                "--key",
                "z:{id}",
                "--ttl",
                "1h",
            ],
        );
        let pid = child.id();
        crate::support::wait_until(Duration::from_secs(60), "the source command", || {
            let p = Command::new("pgrep").args(["-f", &tail]).output().unwrap();
            !p.stdout.is_empty()
        });
        let t = Instant::now();
        signal(pid, sig);
        let (c, r, err) = finish(child);
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "{sig}: took {:?}",
            t.elapsed()
        );
        assert_eq!(c, Some(code), "{sig}: {err}");
        let r = r.unwrap_or_else(|| panic!("{sig}: no JSON report on stdout; stderr: {err}"));
        assert_eq!(r["runs"][0]["status"], status, "{r}");
        assert_eq!(r["status"], status);
        // the command's process group is gone too (no `sleep 60` left behind): it was sent
        // SIGTERM before cachectl exited, and dies within moments
        crate::support::wait_until(Duration::from_secs(3), "the source command gone", || {
            let left = Command::new("pgrep").args(["-f", &tail]).output().unwrap();
            left.stdout.is_empty()
        });
    }
}

#[test]
fn warm_retries_loading_after_a_restart_and_the_checkpoint_is_exact() {
    let mut s = RedisServer::start_with(&["--appendonly", "yes", "--appendfsync", "always"]);
    seed(&s, "bulk:", 30_000); // makes the restart load for a while
    let dir = tempfile::tempdir().unwrap();
    let file = csv(&dir, "rows.csv", 6000);
    let cp = dir.path().join("cp.json");
    let child = spawn(
        &s.url(),
        &[
            "warm",
            "--source",
            &file,
            "--key",
            "l:{id}",
            "--ttl",
            "1h",
            "--rate",
            "2000/s",
            "--checkpoint",
            cp.to_str().unwrap(),
        ],
    );
    s.wait_for_dbsize("the first rows written", |n| n >= 30_000 + 200);
    // kill -9 and start again from the AOF: LOADING for a few seconds
    s.restart_nowait(&[
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--key-load-delay",
        "50",
    ]);
    let (code, r, err) = finish(child);
    assert_eq!(code, Some(0), "{err}");
    let r = r.unwrap();
    let run0 = &r["runs"][0];
    assert_eq!(run0["status"], "ok", "{run0}");
    assert_eq!(u(run0, "failed"), 0, "{run0}");
    assert_eq!(u(run0, "written"), 6000, "{run0}");
    assert!(
        err.contains("LOADING") || err.contains("connection") || err.contains("refused"),
        "the outage was seen and retried: {err}"
    );
    assert!(!cp.exists(), "a complete run removes its checkpoint");
    let mut c = s.conn();
    let n: u64 = redis::cmd("EVAL")
        .arg("local n=0 for i=0,5999 do n=n+redis.call('EXISTS','l:'..i) end return n")
        .arg(0)
        .query(&mut c)
        .unwrap();
    assert_eq!(n, 6000, "every row is in Redis");
}

#[test]
fn warm_a_paused_server_then_resume_from_the_checkpoint_is_exact() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv(&dir, "rows.csv", 4000);
    let cp = dir.path().join("cp.json");
    let args = [
        "--timeout",
        "1s",
        "warm",
        "--source",
        &file,
        "--key",
        "p:{id}",
        "--ttl",
        "1h",
        "--rate",
        "1000/s",
        "--checkpoint",
        cp.to_str().unwrap(),
    ];
    let child = spawn(&s.url(), &args);
    s.wait_for_dbsize("the first rows written", |n| n >= 200);
    signal(s.pid(), "-STOP");
    let (code, r, err) = finish(child); // gives up after the outage budget
    signal(s.pid(), "-CONT");
    assert_eq!(code, Some(1), "{err}");
    let r = r.unwrap();
    let run0 = &r["runs"][0];
    assert_eq!(run0["status"], "redis-unavailable", "{run0}");
    assert_eq!(r["status"], "failed");
    let done: Value = serde_json::from_str(&std::fs::read_to_string(&cp).unwrap()).unwrap();
    let rows_done = u(&done, "rows_done");
    assert!(rows_done > 0 && rows_done < 4000, "{done}");
    // the paused server kept the job lock (its release timed out); it would expire in 30 s
    let _: () = redis::cmd("DEL")
        .arg("cachectl:lock:warm:rows")
        .query(&mut s.conn())
        .unwrap();
    // resume: exactly the rest
    let (code, r, err) = run(&s.url(), &args);
    assert_eq!(code, Some(0), "{err}");
    let run1 = &r.unwrap()["runs"][0];
    assert_eq!(u(run1, "resumed_from"), rows_done);
    assert_eq!(u(run1, "rows"), 4000 - rows_done, "{run1}");
    assert_eq!(s.dbsize(), 4000);
    assert!(!cp.exists());
}

#[test]
fn warm_a_lost_lock_stops_the_writes() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = csv(&dir, "rows.csv", 3000);
    let child = spawn(
        &s.url(),
        &[
            "warm", "--source", &file, "--name", "nightly", "--key", "k:{id}", "--ttl", "1h",
            "--rate", "300/s",
        ],
    );
    s.wait_for_dbsize("the lock and the first rows", |n| n >= 50);
    {
        // the lock expired (a long pause) and another host took it
        let mut c = s.conn();
        let _: () = redis::cmd("SET")
            .arg("cachectl:lock:warm:nightly")
            .arg("other-host:1:2")
            .query(&mut c)
            .unwrap();
    }
    let (code, r, err) = finish(child);
    assert_eq!(code, Some(1), "{err}");
    let r = r.unwrap();
    assert_eq!(r["runs"][0]["status"], "lock-lost", "{r}");
    let written = u(&r["runs"][0], "written");
    assert!(written < 3000, "stopped writing: {written}");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        s.dbsize(),
        written + 1,
        "no write after the stop (+ the other host's lock)"
    );
    // the other host's lock is left alone
    let mut c = s.conn();
    let v: String = redis::cmd("GET")
        .arg("cachectl:lock:warm:nightly")
        .query(&mut c)
        .unwrap();
    assert_eq!(v, "other-host:1:2");
}

#[test]
fn warm_a_schedule_keeps_going_after_a_failed_run() {
    let s = RedisServer::start();
    let (code, r, err) = run(
        &s.url(),
        &[
            "warm",
            "--source-cmd",
            "printf 'id\\n1\\n'; exit 3",
            "--key",
            "s:{id}",
            "--ttl",
            "1h",
            "--schedule",
            "* * * * * *",
            "--max-runs",
            "2",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    let r = r.unwrap();
    let runs = r["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{r}");
    assert!(runs.iter().all(|x| x["status"] == "source-failed"));
    assert!(err.contains("the schedule goes on"), "{err}");
}

#[test]
fn warm_checkpoints_are_private_and_hold_no_secrets() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let cp = dir.path().join("cp.json");
    let cmd = "printf 'id\\n1\\n2\\n'; PGPASSWORD=S3cr3tPw true; exit 5";
    let (code, _, err) = run(
        &s.url(),
        &[
            "warm",
            "--source-cmd",
            cmd,
            "--key",
            "c:{id}",
            "--ttl",
            "1h",
            "--checkpoint",
            cp.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    let text = std::fs::read_to_string(&cp).unwrap();
    assert!(
        !text.contains("S3cr3tPw") && !text.contains("PGPASSWORD"),
        "{text}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&cp).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

// ---------------------------------------------------------------- invalidate

#[test]
fn invalidate_max_keys_is_checked_on_the_total_before_anything_is_deleted() {
    let s = RedisServer::start();
    seed(&s, "p1:", 8);
    seed(&s, "p3:", 8);
    let (code, r, err) = run(
        &s.url(),
        &["invalidate", "pattern", "p1:*", "p3:*", "--max-keys", "10"],
    );
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("16 keys match, more than --max-keys 10"),
        "{err}"
    );
    let r = r.unwrap();
    assert_eq!(r["status"], "check-failed");
    assert_eq!(s.dbsize(), 16, "nothing deleted");
    let (code, r, err) = run(
        &s.url(),
        &["invalidate", "pattern", "p1:*", "p3:*", "--max-keys", "16"],
    );
    assert_eq!(code, Some(0), "{err}");
    let rows = r.unwrap()["rows"].as_array().unwrap().clone();
    assert_eq!(u(&rows[0], "deleted") + u(&rows[1], "deleted"), 16);
    assert_eq!(s.dbsize(), 0);
}

#[test]
fn invalidate_refuses_every_match_all_glob_without_all() {
    let s = RedisServer::start();
    seed(&s, "k:", 5);
    for g in ["*", "?*", "*?", "[^]*", "**", "*?*"] {
        let (code, _, err) = run(&s.url(), &["invalidate", "pattern", "user:*", g]);
        assert_eq!(code, Some(2), "{g}: {err}");
        assert!(err.contains("--all"), "{g}: {err}");
    }
    assert_eq!(s.dbsize(), 5);
}

#[test]
fn invalidate_an_unwritable_audit_log_refuses_before_any_delete() {
    let s = RedisServer::start();
    seed(&s, "a:", 5);
    let (code, _, err) = run(
        &s.url(),
        &[
            "invalidate",
            "pattern",
            "a:*",
            "--audit-log",
            "/nonexistent/dir/audit.jsonl",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("--audit-log"), "{err}");
    assert_eq!(s.dbsize(), 5);
}

#[test]
fn invalidate_require_match_missing_tags_and_publish_parsing() {
    let s = RedisServer::start();
    seed(&s, "app:", 3);
    let (code, _, err) = run(&s.url(), &["invalidate", "pattern", "nothing:*"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, r, err) = run(
        &s.url(),
        &["invalidate", "pattern", "nothing:*", "--require-match"],
    );
    assert_eq!(code, Some(3), "{err}");
    assert_eq!(r.unwrap()["status"], "check-failed");
    let (code, _, err) = run(
        &s.url(),
        &["invalidate", "keys", "ghost", "--require-match"],
    );
    assert_eq!(
        code,
        Some(3),
        "a listed key that does not exist is no match: {err}"
    );
    let (code, _, err) = run(&s.url(), &["invalidate", "tag", "nosuchtag"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("warning: no tag index for `nosuchtag`"),
        "a warning: {err}"
    );
    let (code, _, err) = run(
        &s.url(),
        &["invalidate", "tag", "nosuchtag", "--require-match"],
    );
    assert_eq!(code, Some(3), "{err}");
    // `--publish app:*` is a flag and a selector, never a channel named `app:*`
    let (code, r, err) = run(&s.url(), &["invalidate", "pattern", "--publish", "app:*"]);
    assert_eq!(code, Some(0), "{err}");
    let r = r.unwrap();
    assert_eq!(r["rows"][0]["selector"], "app:*");
    assert_eq!(u(&r["rows"][0], "deleted"), 3);
}

/// Keys removed from `s` since it held `before`.
fn removed(s: &RedisServer, before: u64) -> u64 {
    before - s.dbsize()
}

#[test]
fn invalidate_signals_stop_between_batches_and_everything_is_accounted() {
    for (sig, status) in [("-TERM", "interrupted"), ("-INT", "interrupted")] {
        let s = RedisServer::start();
        seed(&s, "big:", 60_000);
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("audit.jsonl");
        let child = spawn(
            &s.url(),
            &[
                "invalidate",
                "pattern",
                "big:*",
                "--rate",
                "20000/s",
                "--batch",
                "500",
                "--audit-log",
                log.to_str().unwrap(),
            ],
        );
        s.wait_for_dbsize("the first batches deleted", |n| n <= 60_000 - 1000);
        signal(child.id(), sig);
        let (code, r, err) = finish(child);
        assert_eq!(code, Some(130), "{sig}: {err}");
        let r = r.expect("what was done is printed");
        assert_eq!(r["status"], status);
        let deleted = u(&r["rows"][0], "deleted");
        assert!(deleted > 0 && deleted < 60_000, "{r}");
        assert_eq!(u(&r["rows"][0], "unknown"), 0);
        assert_eq!(
            removed(&s, 60_000),
            deleted,
            "exact: the report matches Redis"
        );
        let audit: Value =
            serde_json::from_str(std::fs::read_to_string(&log).unwrap().trim()).unwrap();
        assert_eq!(u(&audit, "deleted"), deleted);
        assert_eq!(audit["exit_code"], 130);
        assert_eq!(audit["status"], "interrupted");
    }
}

#[test]
fn invalidate_a_paused_server_makes_the_batch_in_flight_unknown() {
    let s = RedisServer::start();
    seed(&s, "pz:", 40_000);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let child = spawn(
        &s.url(),
        &[
            "--timeout",
            "1s",
            "invalidate",
            "pattern",
            "pz:*",
            "--rate",
            "10000/s",
            "--batch",
            "500",
            "--audit-log",
            log.to_str().unwrap(),
        ],
    );
    s.wait_for_dbsize("the first batches deleted", |n| n <= 40_000 - 1000);
    signal(s.pid(), "-STOP");
    let (code, r, err) = finish(child);
    signal(s.pid(), "-CONT");
    assert_eq!(code, Some(1), "{err}");
    let r = r.expect("what was done is printed");
    assert_eq!(r["status"], "failed");
    let (deleted, unknown) = (u(&r["rows"][0], "deleted"), u(&r["rows"][0], "unknown"));
    assert!(deleted > 0, "{r}");
    assert!(
        err.contains(&format!("stopped after {deleted} keys were deleted")),
        "{err}"
    );
    std::thread::sleep(Duration::from_millis(300)); // the server runs what it had queued
    let gone = removed(&s, 40_000);
    assert!(
        gone >= deleted && gone <= deleted + unknown,
        "gone {gone}, deleted {deleted}, unknown {unknown}"
    );
    let audit: Value = serde_json::from_str(std::fs::read_to_string(&log).unwrap().trim()).unwrap();
    assert_eq!(
        (u(&audit, "deleted"), u(&audit, "unknown")),
        (deleted, unknown)
    );
}

/// Ctrl-C at the confirmation prompt is one event with one line, whether the keys are streamed
/// (no --max-keys: nothing done yet, so no report) or counted first (--max-keys: the counts are
/// reported): `cachectl: interrupted`, nothing deleted, 130 as a shell sees it.
#[test]
fn ctrl_c_at_the_prompt_says_the_same_on_both_paths() {
    // `script` gives the child a pseudo-terminal as stdin; skip where util-linux lacks it
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").is_err(),
            "`script` (util-linux) is needed in CI"
        );
        return;
    }
    let s = RedisServer::start();
    seed(&s, "ask:", 10);
    for extra in ["", " --max-keys 100"] {
        let cmdline = format!(
            "{} --url {} --no-progress invalidate pattern 'ask:*'{extra}",
            bin().display(),
            s.url()
        );
        let mut child = Command::new("script")
            .args(["-qec", &cmdline, "/dev/null"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // the terminal's output (stdout and stderr together), as it comes
        let mut out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match std::io::Read::read(&mut out, &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let _ = tx.send(buf[..n].to_vec());
                    }
                }
            }
        });
        // wait for the question (a guard against hanging, not a timing check), then Ctrl-C
        let mut text = Vec::new();
        while !String::from_utf8_lossy(&text).contains("[y/N]") {
            let chunk = rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| {
                    panic!("{extra}: no question: {}", String::from_utf8_lossy(&text))
                });
            text.extend(chunk);
        }
        child.stdin.take().unwrap().write_all(b"\x03").unwrap();
        let status = child.wait().unwrap();
        reader.join().unwrap();
        text.extend(rx.try_iter().flatten());
        let text = String::from_utf8_lossy(&text);
        assert_eq!(shell_code(status), Some(130), "{extra}: {text}");
        let said: Vec<&str> = text
            .lines()
            .filter_map(|l| l.find("cachectl:").map(|at| l[at..].trim_end()))
            .filter(|l| l.contains("interrupted"))
            .collect();
        assert_eq!(said, ["cachectl: interrupted"], "{extra}: {text}");
        assert_eq!(
            s.dbsize(),
            10,
            "{extra}: interrupted at the prompt: nothing deleted"
        );
    }
}
