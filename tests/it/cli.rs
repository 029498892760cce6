//! How a new user meets the binary: usage errors, unreachable servers, passwords, profiles.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{cachectl, shell_code, RedisServer};

fn stderr_one_line(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "expected one stderr line, got: {err}"
    );
    assert!(err.starts_with("cachectl: error: "), "{err}");
    err
}

#[test]
fn unreachable_server_fails_within_timeout_with_one_line() {
    // a port with nothing listening: connection refused, retried within the budget
    let port = crate::support::free_port();
    let t = Instant::now();
    let out = cachectl()
        .args([
            "--url",
            &format!("redis://127.0.0.1:{port}"),
            "--timeout",
            "1s",
            "analyze",
        ])
        .output()
        .unwrap();
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr_one_line(&out);
    assert!(err.contains("cannot connect"), "{err}");

    // a listener that never answers: the timeout is honoured
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap();
    let t = Instant::now();
    let out = cachectl()
        .args([
            "--url",
            &format!("redis://{addr}"),
            "--timeout",
            "1s",
            "analyze",
        ])
        .output()
        .unwrap();
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    stderr_one_line(&out);
}

#[test]
fn wrong_password_exit_1_password_never_printed() {
    let s = RedisServer::start_with(&["--requirepass", "correct-horse"]);
    let url = format!("redis://:battery-staple@127.0.0.1:{}", s.port);
    let out = cachectl()
        .args(["--url", &url, "analyze"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr_one_line(&out);
    assert!(!err.contains("battery-staple"), "{err}");
    assert!(err.contains("***"), "{err}");
    // verbose logs must not leak it either
    let out = cachectl()
        .args(["--url", &url, "-vvv", "analyze"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("battery-staple"));

    // no password at all: a hint, not a protocol dump
    let out = cachectl()
        .args(["--url", &s.url(), "analyze"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_one_line(&out).contains("requires a password"));

    // the right one through the environment works
    let good = format!("redis://:correct-horse@127.0.0.1:{}", s.port);
    let out = cachectl()
        .env("CACHECTL_URL", &good)
        .args(["analyze", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["url"], format!("redis://:***@127.0.0.1:{}", s.port));
    // REDIS_URL is the fallback
    let out = cachectl()
        .env("REDIS_URL", &good)
        .args(["analyze", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["analyze", "--bogus"],
        vec!["--timeout", "5x", "analyze"],
        vec!["-o", "xml", "analyze"],
        vec!["--url", "redis://h:notaport", "analyze"],
        vec!["nosuchcommand"],
        vec![],
    ] {
        let out = cachectl().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    cachectl().arg("--help").assert().success();
    cachectl().args(["analyze", "--help"]).assert().success();
    cachectl().arg("--version").assert().success();
}

#[test]
fn malformed_profile_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(
        &path,
        "name: bad\nnamespaces:\n  plans:\n    pattern: \"plan:*\"\n    ttl: 1h\n    tll: 5m\n",
    )
    .unwrap();
    let p = path.display().to_string();
    for args in [
        vec!["-P", p.as_str(), "analyze"],
        vec!["profile", "check", p.as_str()],
    ] {
        let out = cachectl().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = stderr_one_line(&out);
        assert!(err.contains(&format!("{p}:6:")), "{err}");
        assert!(err.contains("tll"), "{err}");
    }
    std::fs::write(
        &path,
        "name: bad\nnamespaces:\n  plans:\n    pattern: \"plan:*\"\n    ttl: soon\n",
    )
    .unwrap();
    let out = cachectl().args(["profile", "check", &p]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_one_line(&out).contains(&format!("{p}:5:")));
    let out = cachectl()
        .args(["profile", "check", "no-such-profile"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn shipped_profiles_pass_check_and_show() {
    for name in ["default", "treebeard", "datapunk"] {
        let file = format!("profiles/{name}.yaml");
        cachectl()
            .args(["profile", "check", &file])
            .assert()
            .success();
        // by name, from ./profiles
        let out = cachectl()
            .args(["profile", "show", name, "-o", "json"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["name"], name);
        assert_eq!(v["slo"]["hit_rate_pct"]["warn_below"], 80.0);
    }
    // ${VAR:-default} expansion shows in `profile show`
    let out = cachectl()
        .env("REDIS_URL", "redis://cache.internal:6380/2")
        .args(["profile", "show", "treebeard"])
        .output()
        .unwrap();
    let yaml = String::from_utf8(out.stdout).unwrap();
    assert!(yaml.contains("redis://cache.internal:6380/2"), "{yaml}");
    assert!(yaml.contains("plan_catalog"));
    let out = cachectl()
        .args(["profile", "show", "treebeard", "-o", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv.lines().count(), 6, "{csv}");
    assert!(csv.contains("usage_analysis,usage_analysis:v1:*,604800"));
}

#[test]
fn closed_pipe_exits_0() {
    let s = RedisServer::start();
    {
        let mut c = s.conn();
        for i in 0..300 {
            let _: () = redis::cmd("SET")
                .arg(format!("k{i}:x"))
                .arg(1)
                .query(&mut c)
                .unwrap();
        }
    }
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let mut child = Command::new(bin)
        .args(["--url", &s.url(), "analyze", "-o", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `| head -0`
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn tls_and_unix_socket_urls() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    let ok = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl (bash .ci/run installs it)");
    assert!(ok.success());
    let tls_port = crate::support::free_port();
    let sock = dir.path().join("redis.sock");
    let (c, k, s) = (
        cert.display().to_string(),
        key.display().to_string(),
        sock.display().to_string(),
    );
    let server = RedisServer::start_with(&[
        "--tls-port",
        &tls_port.to_string(),
        "--tls-cert-file",
        &c,
        "--tls-key-file",
        &k,
        "--tls-ca-cert-file",
        &c,
        "--tls-auth-clients",
        "no",
        "--unixsocket",
        &s,
    ]);
    {
        let mut conn = server.conn();
        for i in 0..50 {
            let _: () = redis::cmd("SET")
                .arg(format!("tls:item_{i}"))
                .arg(1)
                .query(&mut conn)
                .unwrap();
        }
    }
    for url in [
        format!("rediss://127.0.0.1:{tls_port}/#insecure"),
        format!("unix://{s}"),
    ] {
        let out = cachectl()
            .args(["--url", &url, "analyze", "-o", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{url}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["patterns"][0]["pattern"], "tls:item_*", "{url}");
        assert_eq!(v["patterns"][0]["keys"], 50, "{url}");
    }
    // certificate verification is on by default: a self-signed server is refused, in one line
    let out = cachectl()
        .args([
            "--url",
            &format!("rediss://127.0.0.1:{tls_port}"),
            "analyze",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_one_line(&out).contains("certificate"));
}

#[test]
fn acl_user_and_password() {
    let s = RedisServer::start();
    {
        let mut c = s.conn();
        let _: () = redis::cmd("ACL")
            .arg("SETUSER")
            .arg("ops")
            .arg("on")
            .arg(">ops-secret")
            .arg("~*")
            .arg("+@read")
            .arg("+@connection")
            .arg("+info")
            .arg("+config|get")
            .arg("+memory|usage")
            .arg("+client")
            .query(&mut c)
            .unwrap();
        for i in 0..10 {
            let _: () = redis::cmd("SET")
                .arg(format!("acl:key_{i}"))
                .arg(1)
                .query(&mut c)
                .unwrap();
        }
    }
    let url = format!("redis://ops:ops-secret@127.0.0.1:{}", s.port);
    let out = cachectl()
        .args(["--url", &url, "analyze", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["patterns"][0]["keys"], 10);
    assert_eq!(v["url"], format!("redis://ops:***@127.0.0.1:{}", s.port));
    // a user that may not run MEMORY USAGE: a clear error, not "0 keys"
    {
        let mut c = s.conn();
        let _: () = redis::cmd("ACL")
            .arg("SETUSER")
            .arg("nomem")
            .arg("on")
            .arg(">pw")
            .arg("~*")
            .arg("+@read")
            .arg("+@connection")
            .arg("+info")
            .arg("-memory")
            .query(&mut c)
            .unwrap();
    }
    let nomem = format!("redis://nomem:pw@127.0.0.1:{}", s.port);
    let out = cachectl()
        .args(["--url", &nomem, "analyze"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr_one_line(&out);
    assert!(
        err.contains("MEMORY USAGE refused") && err.contains("NOPERM"),
        "{err}"
    );

    let bad = format!("redis://ops:nope@127.0.0.1:{}", s.port);
    let out = cachectl()
        .args(["--url", &bad, "analyze"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_one_line(&out);
    assert!(err.contains("ops:***") && !err.contains("nope"), "{err}");
}

#[test]
fn ctrl_c_prints_partial_results_and_exits_130() {
    let s = RedisServer::start();
    {
        let mut l = crate::support::Loader::standalone(&s);
        for i in 0..5000 {
            l.cmd("SET", &format!("slow:{i}"), &[&"v"]);
        }
    }
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    // 5000 keys at 1000 keys/s: still running when interrupted
    let child = Command::new(bin)
        .args([
            "--url",
            &s.url(),
            "analyze",
            "--rate",
            "1000/s",
            "--scan-count",
            "100",
            "-o",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // six batches of 100 keys probed (TYPE per key; results come in order, three in flight):
    // interrupted with some keys counted
    s.wait_for_calls("type", 599);
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        shell_code(out.status),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // reported, then ended by SIGINT re-raised: a calling shell loop sees the interrupt
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&out.status),
        Some(libc::SIGINT)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.trim_end().ends_with("cachectl: interrupted"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("partial JSON");
    assert_eq!(v["interrupted"], true);
    let keys = v["patterns"][0]["keys"].as_u64().unwrap();
    assert!(keys > 0 && keys < 5000, "{keys}");
}
