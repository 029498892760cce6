//! Secrets never printed (SPEC §1): every command, every output format, every way of giving
//! the password, the error paths; stdout, stderr, the audit log and the checkpoint are all
//! searched for the password.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::support::{cachectl, RedisServer};

/// Characters that need care: `/`, `@`, `,`, `?`, a space (percent-encoded in URLs).
const PW: &str = "S3cr3t/P@ss,w?rd 7q";
const PW_ENC: &str = "S3cr3t%2FP%40ss%2Cw%3Frd%207q";
const WRONG: &str = "Wr0ngPassw0rd-xq";

fn server() -> RedisServer {
    let s = RedisServer::start_with(&["--requirepass", PW]);
    let mut c = redis::Client::open(format!("redis://:{PW_ENC}@127.0.0.1:{}", s.port))
        .unwrap()
        .get_connection()
        .unwrap();
    for i in 0..20 {
        let _: () = redis::cmd("SET")
            .arg(format!("plan_catalog:v1:{i}"))
            .arg("x")
            .query(&mut c)
            .unwrap();
    }
    s
}

/// How the password reaches cachectl.
#[derive(Clone, Copy, Debug)]
enum Via {
    Url,
    UnixPass,
    RedisCliAuth,
    PasswordFile,
}

struct Setup<'a> {
    s: &'a RedisServer,
    via: Via,
    dir: &'a Path,
}

impl Setup<'_> {
    fn cmd(&self) -> assert_cmd::Command {
        let mut c = cachectl();
        let plain = format!("redis://127.0.0.1:{}", self.s.port);
        match self.via {
            Via::Url => {
                c.args([
                    "-u",
                    &format!("redis://:{PW_ENC}@127.0.0.1:{}", self.s.port),
                ]);
            }
            Via::UnixPass => {
                let sock = self.s.dir.path().join("redis.sock");
                c.args(["-u", &format!("unix://{}?pass={PW_ENC}", sock.display())]);
            }
            Via::RedisCliAuth => {
                c.env("REDISCLI_AUTH", PW).args(["-u", &plain]);
            }
            Via::PasswordFile => {
                let f = self.dir.join("pw");
                std::fs::write(&f, format!("{PW}\n")).unwrap();
                std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
                c.args(["-u", &plain, "--password-file", f.to_str().unwrap()]);
            }
        }
        c
    }
}

fn assert_clean(what: &str, text: &str) {
    for secret in [PW, PW_ENC, WRONG, "S3cr3t", "w?rd 7q"] {
        assert!(
            !text.contains(secret),
            "{what}: the password ({secret}) leaked:\n{text}"
        );
    }
}

/// Run, return stdout+stderr (checked clean) and the exit code.
fn run(what: &str, mut c: assert_cmd::Command) -> (i32, String) {
    let out = c.output().unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_clean(what, &text);
    (out.status.code().unwrap_or(-1), text)
}

fn every_command(s: &RedisServer, via: Via) {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        s,
        via,
        dir: dir.path(),
    };
    let audit = dir.path().join("audit.jsonl");
    let ckpt = dir.path().join("warm.ckpt");
    let ok = |what: &str, args: &[&str]| {
        for fmt in ["table", "csv", "json"] {
            let mut c = setup.cmd();
            c.args(args).args(["-o", fmt, "-vv"]);
            let what = format!("{via:?} {what} -o {fmt}");
            let (code, text) = run(&what, c);
            assert_eq!(code, 0, "{what}: {text}");
        }
    };
    ok("analyze", &["analyze"]);
    ok(
        "report",
        // --fail-on never: a slow shared machine must not turn p95 into exit 3
        &[
            "report",
            "--interval",
            "0",
            "--latency-samples",
            "5",
            "--fail-on",
            "never",
        ],
    );
    ok("recommend", &["-P", "treebeard", "recommend", "--observe"]);
    ok(
        "invalidate pattern",
        &[
            "invalidate",
            "pattern",
            "nothing:*",
            "--yes",
            "--audit-log",
            audit.to_str().unwrap(),
        ],
    );
    ok(
        "invalidate keys",
        &[
            "invalidate",
            "keys",
            "nokey",
            "--audit-log",
            audit.to_str().unwrap(),
        ],
    );
    ok(
        "simulate live",
        &[
            "simulate",
            "stampede",
            "--live",
            "--clients",
            "20",
            "--recompute",
            "5ms",
            "--strategy",
            "lock",
        ],
    );
    // a warm whose source fails midway keeps its checkpoint; the command names the password
    let mut c = setup.cmd();
    c.args([
        "warm",
        "--source-cmd",
        &format!("printf 'id\\n1\\n2\\n'; echo '{PW}' >/dev/null; exit 3"),
        "--key",
        "w:{id}",
        "--checkpoint",
        ckpt.to_str().unwrap(),
        "-o",
        "json",
    ]);
    let (code, text) = run(&format!("{via:?} warm"), c);
    assert_eq!(code, 1, "{text}");
    let cp = std::fs::read_to_string(&ckpt).expect("checkpoint kept after a failed source");
    assert_clean("checkpoint", &cp);
    let log = std::fs::read_to_string(&audit).unwrap();
    assert_eq!(log.lines().count(), 6, "{log}");
    assert_clean("audit log", &log);
}

#[test]
fn password_in_the_url_is_never_printed() {
    let s = server();
    every_command(&s, Via::Url);
}

#[test]
fn password_in_unix_socket_url_is_never_printed() {
    let s = RedisServer::start_with(&["--requirepass", PW, "--unixsocket", "redis.sock"]);
    // the socket is relative to the server's --dir
    assert!(s.dir.path().join("redis.sock").exists());
    every_command(&s, Via::UnixPass);
}

#[test]
fn password_from_rediscli_auth_and_file_is_never_printed() {
    let s = server();
    every_command(&s, Via::RedisCliAuth);
    every_command(&s, Via::PasswordFile);
}

#[test]
fn profile_show_hides_the_url_password() {
    for fmt in ["table", "json", "csv"] {
        let mut c = cachectl();
        c.env("REDIS_URL", format!("redis://:{PW_ENC}@h/0")).args([
            "profile",
            "show",
            "treebeard",
            "-o",
            fmt,
        ]);
        let (code, text) = run("profile show", c);
        assert_eq!(code, 0, "{text}");
        let mut c = cachectl();
        c.env("REDIS_URL", format!("unix:///s.sock?pass={PW}"))
            .args(["profile", "show", "treebeard", "-o", fmt]);
        let (code, text) = run("profile show unix", c);
        assert_eq!(code, 0, "{text}");
    }
}

#[test]
fn error_paths_never_print_the_password() {
    let s = server();
    let port = s.port;
    for (url, expect) in [
        // unparseable: the raw password holds `/`, `?`, `@` and a space
        (format!("redis://:{PW}@127.0.0.1:{port}"), 2),
        (format!("redis://:{PW_ENC}@127.0.0.1:notaport"), 2),
        (format!("redis://:{PW_ENC}@127.0.0.1:1"), 1),
        (format!("unix:///nonexistent/s.sock?pass={PW_ENC}"), 1),
        (format!("redis://:{WRONG}@127.0.0.1:{port}"), 1),
        (format!("redis://default:{WRONG}@127.0.0.1:{port}/0"), 1),
    ] {
        for args in [&["analyze"][..], &["report", "--interval", "0"]] {
            let mut c = cachectl();
            c.args(["-u", &url, "--timeout", "1s"]).args(args);
            let (code, text) = run(&format!("{args:?}"), c);
            assert_eq!(code, expect, "{url}: {text}");
            assert!(text.contains("cachectl: error:"), "{text}");
        }
        // and the same URL from the environment, with an audit log
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("a.jsonl");
        let mut c = cachectl();
        c.env("CACHECTL_URL", &url).args([
            "--timeout",
            "1s",
            "invalidate",
            "keys",
            "k",
            "--audit-log",
            audit.to_str().unwrap(),
        ]);
        let (code, _) = run("invalidate via env", c);
        assert_eq!(code, expect);
        assert_clean(
            "audit",
            &std::fs::read_to_string(&audit).unwrap_or_default(),
        );
    }
    // no password at all: the hint names the ways to give one
    let mut c = cachectl();
    c.args(["-u", &s.url(), "analyze"]);
    let (code, text) = run("noauth", c);
    assert_eq!(code, 1);
    assert!(text.contains("--password-file"), "{text}");
}

#[test]
fn password_precedence_url_then_file_then_env() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    let bad = dir.path().join("bad");
    for (f, pw) in [(&good, PW), (&bad, WRONG)] {
        std::fs::write(f, format!("{pw}\n")).unwrap();
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let with_pw = format!("redis://:{PW_ENC}@127.0.0.1:{}", s.port);
    // the URL's password beats a wrong file and a wrong env
    let mut c = cachectl();
    c.env("REDISCLI_AUTH", WRONG).args([
        "-u",
        &with_pw,
        "--password-file",
        bad.to_str().unwrap(),
        "analyze",
    ]);
    assert_eq!(run("url wins", c).0, 0);
    // the file beats a wrong env
    let mut c = cachectl();
    c.env("REDISCLI_AUTH", WRONG).args([
        "-u",
        &s.url(),
        "--password-file",
        good.to_str().unwrap(),
        "analyze",
    ]);
    assert_eq!(run("file wins", c).0, 0);
    // a wrong file is used (and fails) even with a right env
    let mut c = cachectl();
    c.env("REDISCLI_AUTH", PW).args([
        "-u",
        &s.url(),
        "--password-file",
        bad.to_str().unwrap(),
        "analyze",
    ]);
    assert_eq!(run("file before env", c).0, 1);
}

#[test]
fn world_readable_password_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("pw");
    std::fs::write(&f, format!("{PW}\n")).unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut c = cachectl();
    c.args(["--password-file", f.to_str().unwrap(), "analyze"]);
    let (code, text) = run("world-readable", c);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("too open") && text.contains("chmod 600"),
        "{text}"
    );
    assert_eq!(text.trim().lines().count(), 1, "{text}");
}
