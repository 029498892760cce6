//! `cachectl invalidate tag` through the real binary against the real framework clients
//! (tests/frameworks/, see tests/it/tags.rs): write through the client, invalidate with
//! `auto` and with the explicit format, read back through the client.

use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

use crate::support::{cachectl, Loader, RedisServer};
use crate::tags::{clients_present, counts, key_shapes, Client};

/// (exit code, JSON report, stderr)
fn run(url: &str, args: &[&str]) -> (Option<i32>, Option<Value>, String) {
    let out = cachectl()
        .args(["--url", url, "-o", "json", "invalidate"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).ok(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(url: &str, args: &[&str]) -> (Value, String) {
    let (code, r, err) = run(url, args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    (r.expect("JSON report"), err)
}

fn u(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"))
}

const N: u64 = 25;

/// One client configuration: prefixes, what `auto` must find, and the explicit flags.
struct Case {
    client: Client,
    p: &'static str,
    s: &'static str,
    format: &'static str,
    key_prefix: &'static str,
    explicit: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let c = |client, p, s, format, key_prefix, explicit| Case {
        client,
        p,
        s,
        format,
        key_prefix,
        explicit,
    };
    vec![
        c(
            Client::SymfonyRta,
            "",
            "",
            "symfony (5.4-6.2)",
            "",
            &["--tag-format", "symfony"],
        ),
        c(
            Client::SymfonyRta,
            "pp:",
            "app",
            "symfony (5.4-6.2)",
            "pp:",
            &[
                "--tag-format",
                "symfony",
                "--key-prefix",
                "pp:",
                "--tag-prefix",
                "app:",
            ],
        ),
        c(
            Client::SymfonyTa,
            "",
            "",
            "symfony-tagaware (5.4-6.2)",
            "",
            &["--tag-format", "symfony-tagaware"],
        ),
        c(
            Client::SymfonyTa,
            "pp:",
            "app",
            "symfony-tagaware (5.4-6.2)",
            "pp:app:",
            &[
                "--tag-format",
                "symfony-tagaware",
                "--key-prefix",
                "pp:",
                "--tag-prefix",
                "app:",
            ],
        ),
        c(
            Client::Laravel8,
            "",
            "",
            "laravel (8-9, reference sets)",
            "",
            &["--tag-format", "laravel"],
        ),
        c(
            Client::Laravel8,
            "rp_",
            "lc",
            "laravel (8-9, reference sets)",
            "rp_",
            &[
                "--tag-format",
                "laravel",
                "--key-prefix",
                "rp_",
                "--tag-prefix",
                "lc:",
            ],
        ),
        c(
            Client::Cashews,
            "",
            "",
            "cashews",
            "",
            &["--tag-format", "cashews"],
        ),
        c(
            Client::Cashews,
            "myapp:",
            "",
            "cashews",
            "",
            &["--tag-format", "cashews"],
        ),
        c(
            Client::LaravelZset,
            "rp_",
            "laravel_cache",
            "laravel (10-13, zset)",
            "rp_laravel_cache:",
            &[
                "--tag-format",
                "laravel",
                "--key-prefix",
                "rp_",
                "--tag-prefix",
                "laravel_cache:",
            ],
        ),
        // Laravel 11+: the cache prefix has no `:` in Redis, and none is added (issue 23.2)
        c(
            Client::Laravel11Zset,
            "laravel_database_",
            "laravel_cache_",
            "laravel (10-13, zset)",
            "laravel_database_laravel_cache_",
            &[
                "--tag-format",
                "laravel",
                "--key-prefix",
                "laravel_database_",
                "--tag-prefix",
                "laravel_cache_",
            ],
        ),
        c(
            Client::Symfony7,
            "pp:",
            "app",
            "symfony (6.3+)",
            "pp:",
            &[
                "--tag-format",
                "symfony",
                "--key-prefix",
                "pp:",
                "--tag-prefix",
                "app:",
            ],
        ),
        c(
            Client::Symfony7Ta,
            "pp:",
            "app",
            "symfony-tagaware (6.3+)",
            "pp:app:",
            &[
                "--tag-format",
                "symfony-tagaware",
                "--key-prefix",
                "pp:app:",
            ],
        ),
    ]
}

/// Write `users`, `posts` and untagged items; a dry run counts without touching; the real
/// run matches the same count; the client then misses every `users` item and hits the rest.
fn exact(case: &Case, flags: &[&str]) {
    let (client, p, s) = (case.client, case.p, case.s);
    let what = format!("{client:?} p={p:?} s={s:?} {flags:?}");
    let n = N.to_string();
    let srv = RedisServer::start();
    let url = srv.url();
    client.run("write", &url, p, s, &[&n, "users", "posts"]);

    let mut args = vec!["tag", "users", "--dry-run"];
    args.extend_from_slice(flags);
    let before = key_shapes(&srv);
    let (dry, err) = ok(&url, &args);
    assert_eq!(
        key_shapes(&srv),
        before,
        "{what}: the dry run touched something"
    );
    assert!(
        err.contains(&format!("tag users: {} index ", case.format)),
        "{what}: says what it found: {err}"
    );
    let row = &dry["rows"][0];
    assert_eq!(row["format"], case.format, "{what}: {row}");
    // a given --key-prefix is reported as given (Laravel 10-13: P and S are told apart
    // only when given); TagAwareAdapter reports the whole text before the tag
    let tag_aware = matches!(client, Client::SymfonyTa | Client::Symfony7Ta);
    let key_prefix = flags
        .iter()
        .position(|f| *f == "--key-prefix")
        .map(|i| flags[i + 1])
        .filter(|_| !tag_aware)
        .unwrap_or(case.key_prefix);
    assert_eq!(row["key_prefix"], key_prefix, "{what}: {row}");
    assert_eq!(u(row, "missing"), 0, "{what}: {row}");

    args.retain(|a| *a != "--dry-run");
    let (real, _) = ok(&url, &args);
    let r = &real["rows"][0];
    assert_eq!(
        u(r, "matched"),
        u(row, "matched"),
        "{what}: dry run and real run count alike: {r}"
    );
    let expected = if tag_aware { 1 } else { N };
    assert_eq!(
        (u(r, "matched"), u(r, "deleted"), u(r, "missing")),
        (expected, expected, 0),
        "{what}: {r}"
    );
    assert_eq!(real["status"], "ok");

    let v = client.run("check", &url, p, s, &[&n, "users", "posts"]);
    assert_eq!(counts(&v, "users"), (0, N), "{what}: {v}");
    assert_eq!(counts(&v, "posts"), (N, 0), "{what}: {v}");
    assert_eq!(counts(&v, "untagged"), (N, 0), "{what}: {v}");
}

#[test]
fn every_client_with_auto_and_with_its_format() {
    if !clients_present() {
        return;
    }
    for case in cases() {
        exact(&case, &[]);
        exact(&case, case.explicit);
    }
}

/// The index is found but its members exist under no prefix given: nothing is touched, exit
/// 3, naming the index and an example member.
#[test]
fn a_wrong_key_prefix_destroys_nothing() {
    if !clients_present() {
        return;
    }
    let n = N.to_string();
    for (client, p, s, flags) in [
        (Client::SymfonyRta, "pp:", "app", &["--key-prefix", ""][..]),
        (
            Client::SymfonyRta,
            "pp:",
            "app",
            &["--tag-format", "symfony", "--key-prefix", "pp:app:"][..],
        ),
        (Client::Laravel8, "rp_", "lc", &["--key-prefix", ""][..]),
        (Client::Symfony7, "pp:", "app", &["--key-prefix", ""][..]),
    ] {
        let srv = RedisServer::start();
        let url = srv.url();
        client.run("write", &url, p, s, &[&n, "users"]);
        let before = key_shapes(&srv);
        let mut args = vec!["tag", "users"];
        args.extend_from_slice(flags);
        let (code, r, err) = run(&url, &args);
        assert_eq!(code, Some(3), "{client:?} {flags:?}: {err}");
        assert!(
            err.contains("found, but none of its members exist under key prefix")
                && err.contains("nothing was touched")
                && err.contains("users-item-"),
            "{client:?}: {err}"
        );
        assert_eq!(r.unwrap()["status"], "check-failed");
        assert_eq!(
            key_shapes(&srv),
            before,
            "{client:?}: something was touched"
        );
        let v = client.run("check", &url, p, s, &[&n, "users"]);
        assert_eq!(counts(&v, "users"), (N, 0), "{client:?}: {v}");
    }
}

#[test]
fn ambiguity_is_refused_with_the_candidates() {
    let srv = RedisServer::start();
    {
        let mut l = Loader::standalone(&srv);
        l.cmd("SET", "k1", &[&"v"]);
        l.cmd("SADD", "tag:users", &[&"k1"]);
        l.cmd("SADD", "_tag:users", &[&"k1"]);
        // cashews under an application prefix whose members exist with and without it
        l.cmd("SET", "pp:k2", &[&"v"]);
        l.cmd("SET", "k2", &[&"v"]);
        l.cmd("SADD", "pp:_tag:posts", &[&"k2"]);
    }
    let (code, r, err) = run(&srv.url(), &["tag", "users"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(r.is_none(), "a usage error prints no report");
    assert!(
        err.contains("tag `users` matches 2 indexes")
            && err.contains("cachectl (tag:users)")
            && err.contains("cashews (_tag:users)")
            && err.contains("--tag-format"),
        "{err}"
    );
    let (code, _, err) = run(&srv.url(), &["tag", "posts"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("members of pp:_tag:posts exist under key prefixes")
            && err.contains("give --key-prefix"),
        "{err}"
    );
    // every tag is resolved before anything is deleted: one ambiguous tag stops the run
    let (code, _, err) = run(
        &srv.url(),
        &["tag", "users", "posts", "--tag-format", "cashews"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(srv.dbsize(), 6, "nothing touched");
    // the format and the prefix settle it
    let (r, _) = ok(&srv.url(), &["tag", "users", "--tag-format", "cashews"]);
    assert_eq!(r["rows"][0]["index"], "_tag:users");
    assert_eq!(u(&r["rows"][0], "deleted"), 1);
    let (r, _) = ok(&srv.url(), &["tag", "posts", "--key-prefix", "pp:"]);
    assert_eq!(u(&r["rows"][0], "deleted"), 1);
    assert_eq!(
        key_shapes(&srv),
        vec!["k2", "tag:users"],
        "k1 stays listed in tag:users"
    );
}

/// A writer tags items while `cachectl invalidate tag` runs (small pages); afterwards the
/// framework's own invalidation reaches every item it wrote, and the old items are misses.
#[test]
fn a_concurrent_writer_loses_no_item() {
    if !clients_present() {
        return;
    }
    for (client, p, s) in [
        (Client::SymfonyRta, "pp:", "app"),
        (Client::Laravel8, "rp_", "lc"),
        (Client::LaravelZset, "", "lc"),
    ] {
        let srv = RedisServer::start();
        let url = srv.url();
        client.run("write", &url, p, s, &["2000", "race"]);
        let base = srv.dbsize();
        let writer = client
            .command("race-write", &url, p, s, &["4", "race"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        srv.wait_for_dbsize("the writer's first items", |n| n > base);
        let (r, _) = ok(&url, &["tag", "race", "--batch", "20", "--yes"]);
        assert!(u(&r["rows"][0], "deleted") >= 2000, "{client:?}: {r}");
        let out = writer.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let written: Value = serde_json::from_slice(&out.stdout).unwrap();
        let written = written["written"].as_u64().unwrap().to_string();
        client.run("invalidate", &url, p, s, &["race"]);
        let v = client.run("check-race", &url, p, s, &[&written, "race"]);
        assert_eq!(
            v["hits"].as_u64(),
            Some(0),
            "{client:?}: items orphaned from the index ({written} written): {v}"
        );
        let v = client.run("check", &url, p, s, &["2000", "race"]);
        assert_eq!(counts(&v, "race"), (0, 2000), "{client:?}: {v}");
    }
}

fn seed_tags(srv: &RedisServer) {
    let mut l = Loader::standalone(srv);
    for i in 0..30 {
        l.cmd("SET", &format!("a:{i}"), &[&"v"]);
        l.cmd("SADD", "tag:ta", &[&format!("a:{i}")]);
    }
    for i in 0..20 {
        l.cmd("SET", &format!("b:{i}"), &[&"v"]);
        l.cmd("SADD", "tag:tb", &[&format!("b:{i}")]);
    }
    // a member whose item is gone, and one shared by both tags
    l.cmd("SADD", "tag:ta", &[&"gone"]);
    l.cmd("SET", "both", &[&"v"]);
    l.cmd("SADD", "tag:ta", &[&"both"]);
    l.cmd("SADD", "tag:tb", &[&"both"]);
}

/// `--max-keys` counts the members of every tag first; over the limit nothing is deleted.
#[test]
fn max_keys_counts_tag_members_first() {
    let srv = RedisServer::start();
    seed_tags(&srv);
    let total = srv.dbsize();
    // 32 + 21 keys named (each selector counts `both`)
    let (code, r, err) = run(&srv.url(), &["tag", "ta", "tb", "--max-keys", "52"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("53 keys match, more than --max-keys 52"),
        "{err}"
    );
    assert_eq!(r.unwrap()["status"], "check-failed");
    assert_eq!(srv.dbsize(), total, "nothing deleted");
    let (dry, _) = ok(&srv.url(), &["tag", "ta", "tb", "--dry-run"]);
    let (r, _) = ok(&srv.url(), &["tag", "ta", "tb", "--max-keys", "53"]);
    for i in 0..2 {
        let (d, x) = (&dry["rows"][i], &r["rows"][i]);
        assert_eq!(u(d, "matched"), u(x, "matched"), "{d} {x}");
    }
    assert_eq!(
        (
            u(&r["rows"][0], "matched"),
            u(&r["rows"][0], "deleted"),
            u(&r["rows"][0], "missing")
        ),
        (32, 31, 1)
    );
    // `both` went with `ta`: missing here, and dropped from `tb` as well
    assert_eq!(
        (
            u(&r["rows"][1], "matched"),
            u(&r["rows"][1], "deleted"),
            u(&r["rows"][1], "missing")
        ),
        (21, 20, 1)
    );
    assert_eq!(srv.dbsize(), 0, "every item gone, both indexes empty");
}

/// `--soft` caps the items' TTLs and leaves the index whole; TagAwareAdapter: the version key.
#[test]
fn soft_caps_items_never_the_index() {
    let srv = RedisServer::start();
    seed_tags(&srv);
    let (r, _) = ok(&srv.url(), &["tag", "ta", "--soft", "5m"]);
    let row = &r["rows"][0];
    assert_eq!(
        (
            u(row, "matched"),
            u(row, "expired"),
            u(row, "deleted"),
            u(row, "missing")
        ),
        (32, 31, 0, 1)
    );
    let mut c = srv.conn();
    let n: u64 = redis::cmd("SCARD").arg("tag:ta").query(&mut c).unwrap();
    assert_eq!(n, 32, "the index keeps every member");
    let ttl: i64 = redis::cmd("TTL").arg("tag:ta").query(&mut c).unwrap();
    assert_eq!(ttl, -1, "the index's TTL is untouched");
    let ttl: i64 = redis::cmd("TTL").arg("a:3").query(&mut c).unwrap();
    assert!((1..=300).contains(&ttl), "{ttl}");
    let ttl: i64 = redis::cmd("TTL").arg("b:3").query(&mut c).unwrap();
    assert_eq!(ttl, -1, "other tags untouched");

    if !clients_present() {
        return;
    }
    let srv = RedisServer::start();
    let url = srv.url();
    Client::SymfonyTa.run("write", &url, "", "", &["5", "users"]);
    let (r, _) = ok(&url, &["tag", "users", "--soft", "5m"]);
    assert_eq!(u(&r["rows"][0], "expired"), 1, "{r}");
    let v = Client::SymfonyTa.run("check", &url, "", "", &["5", "users"]);
    assert_eq!(
        counts(&v, "users"),
        (5, 0),
        "items live until the version key expires"
    );
}

/// No index: a warning and exit 0; with --require-match exit 3 before anything is deleted.
#[test]
fn no_index_warns_or_fails_with_require_match() {
    let srv = RedisServer::start();
    seed_tags(&srv);
    let total = srv.dbsize();
    let (r, err) = ok(&srv.url(), &["tag", "nope"]);
    assert!(
        err.contains("warning: no tag index for `nope`") && err.contains("tag:nope"),
        "{err}"
    );
    assert_eq!(u(&r["rows"][0], "matched"), 0);
    let (code, r, err) = run(&srv.url(), &["tag", "ta", "nope", "--require-match"]);
    assert_eq!(code, Some(3), "{err}");
    assert_eq!(r.unwrap()["status"], "check-failed");
    assert!(
        err.contains("--require-match: no tag index for `nope`"),
        "{err}"
    );
    assert_eq!(srv.dbsize(), total, "refused before `ta` was touched");
}

fn spawn(url: &str, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_cachectl"))
        .args(["--url", url, "-o", "json", "invalidate"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// SIGTERM stops between pages: what the report says was deleted is gone, and exactly those
/// members left the index (the rest still reach their items).
#[test]
fn a_signal_stops_between_pages_and_the_index_stays_exact() {
    let srv = RedisServer::start();
    let total = 20_000u64;
    {
        let mut l = Loader::standalone(&srv);
        for i in 0..total {
            l.cmd("SET", &format!("it:{i}"), &[&"v"]);
            l.cmd("SADD", "tag:big", &[&format!("it:{i}")]);
        }
    }
    let child = spawn(
        &srv.url(),
        &["tag", "big", "--batch", "100", "--rate", "5000/s"],
    );
    srv.wait_for_dbsize("the first pages deleted", |n| n <= total + 1 - 300);
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let out: Output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    let r: Value = serde_json::from_slice(&out.stdout).expect("what was done is printed");
    assert_eq!(r["status"], "interrupted");
    let deleted = u(&r["rows"][0], "deleted");
    assert!(deleted > 0 && deleted < total, "{r}");
    assert_eq!(u(&r["rows"][0], "unknown"), 0);
    let mut c = srv.conn();
    let members: u64 = redis::cmd("SCARD").arg("tag:big").query(&mut c).unwrap();
    assert_eq!(members, total - deleted, "exactly the deleted members left");
    assert_eq!(srv.dbsize(), total - deleted + 1, "items left + the index");
    // what is left is still reachable: a second run finishes the job
    let (r, _) = ok(&srv.url(), &["tag", "big"]);
    assert_eq!(u(&r["rows"][0], "deleted"), total - deleted);
    assert_eq!(srv.dbsize(), 0);
}
