use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::Deserialize;

use crate::support::{cachectl, Cluster, Loader, RedisServer};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Report {
    status: String,
    message: Option<String>,
    rows: Vec<Row>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // decoded to check the JSON shape; not every field is asserted
struct Row {
    selector: String,
    kind: String,
    matched: u64,
    deleted: u64,
    expired: u64,
    missing: u64,
    #[serde(default)]
    unknown: u64,
    nodes: usize,
    duration_ms: u64,
    dry_run: bool,
    #[serde(default)]
    sample_keys: Vec<String>,
    #[serde(default)]
    tag_indexes: Vec<String>,
    format: Option<String>,
    index: Option<String>,
    key_prefix: Option<String>,
    tag_prefix: Option<String>,
}

fn run(url: &str, args: &[&str]) -> (Option<i32>, Option<Report>, String) {
    let out = cachectl()
        .args(["--url", url, "invalidate"])
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).ok();
    (
        out.status.code(),
        report,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(url: &str, args: &[&str]) -> Report {
    let (code, r, err) = run(url, args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    r.expect("JSON report")
}

/// Every key on a server (or every primary), as a sorted set.
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
        .iter()
        .map(|p| c.nodes.iter().find(|n| n.port == *p).unwrap().conn())
        .collect()
}

/// 2000 target keys under `user:*` plus 3000 others that look alike.
fn seed_mixed(l: &mut Loader) {
    for i in 0..2000 {
        l.cmd("SET", &format!("user:{i}:profile"), &[&"v"]);
    }
    for i in 0..1000 {
        l.cmd("SET", &format!("users:{i}"), &[&"v"]);
        l.cmd("SET", &format!("session:{i}"), &[&"v"]);
        l.cmd("HSET", &format!("app:user:{i}"), &[&"f", &"v"]);
    }
    l.flush();
}

#[test]
fn pattern_deletes_exactly_the_matching_keys_standalone() {
    let s = RedisServer::start();
    seed_mixed(&mut Loader::standalone(&s));
    let before = all_keys(vec![s.conn()]);
    let r = ok(&s.url(), &["pattern", "user:*"]);
    let row = &r.rows[0];
    assert_eq!(
        (row.selector.as_str(), row.kind.as_str()),
        ("user:*", "pattern")
    );
    assert_eq!(
        (row.matched, row.deleted, row.missing, row.expired),
        (2000, 2000, 0, 0)
    );
    assert_eq!(row.nodes, 1);
    assert!(!row.dry_run);
    let after = all_keys(vec![s.conn()]);
    let expected: BTreeSet<String> = before
        .into_iter()
        .filter(|k| !k.starts_with("user:"))
        .collect();
    assert_eq!(after, expected);
    // several globs: one row each
    let r = ok(&s.url(), &["pattern", "users:1*", "session:2*"]);
    assert_eq!(r.rows.len(), 2);
    assert_eq!(r.rows[0].deleted, 111);
    assert_eq!(r.rows[1].deleted, 111);
    // nothing left to match: zero, not an error
    let r = ok(&s.url(), &["pattern", "user:*"]);
    assert_eq!(r.rows[0].matched, 0);
}

#[test]
fn pattern_and_prefix_on_a_cluster() {
    let c = Cluster::start(0);
    seed_mixed(&mut Loader::cluster(&c));
    let before = all_keys(primaries(&c));
    assert_eq!(before.len(), 5000);
    let r = ok(&c.url(), &["pattern", "user:*"]);
    assert_eq!((r.rows[0].matched, r.rows[0].deleted), (2000, 2000));
    assert_eq!(r.rows[0].nodes, 3);
    let r = ok(&c.url(), &["prefix", "app:user:"]);
    assert_eq!(r.rows[0].deleted, 1000);
    let after = all_keys(primaries(&c));
    let expected: BTreeSet<String> = before
        .into_iter()
        .filter(|k| !k.starts_with("user:") && !k.starts_with("app:user:"))
        .collect();
    assert_eq!(after, expected);
    // exact keys spread over slots of all three primaries
    let keys: Vec<String> = (0..30).map(|i| format!("session:{i}")).collect();
    let mut args = vec!["keys"];
    args.extend(keys.iter().map(String::as_str));
    let r = ok(&c.url(), &args);
    assert_eq!((r.rows[0].matched, r.rows[0].deleted), (30, 30));
    assert_eq!(r.rows[0].nodes, 3);
}

#[test]
fn prefix_escapes_glob_metacharacters() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for k in [
            "we[1]*rd:a",
            "we[1]*rd:b",
            "we1xrd:c",
            "we[1]?rd:d",
            "we\\rd:e",
        ] {
            l.cmd("SET", k, &[&"v"]);
        }
    }
    let r = ok(&s.url(), &["prefix", "we[1]*rd:"]);
    assert_eq!(r.rows[0].deleted, 2);
    let left = all_keys(vec![s.conn()]);
    assert_eq!(
        left,
        ["we1xrd:c", "we[1]?rd:d", "we\\rd:e"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    let r = ok(&s.url(), &["prefix", "we\\rd"]);
    assert_eq!(r.rows[0].deleted, 1);
}

#[test]
fn keys_from_args_file_and_stdin() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..100 {
            l.cmd("SET", &format!("k:{i}"), &[&"v"]);
        }
    }
    let r = ok(&s.url(), &["keys", "k:1", "k:2", "k:2", "nope"]);
    let row = &r.rows[0];
    assert_eq!(
        (row.kind.as_str(), row.matched, row.deleted, row.missing),
        ("keys", 3, 2, 1)
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("keys.txt");
    std::fs::write(&f, "k:10\r\nk:11\n\nk:12\n").unwrap();
    let r = ok(&s.url(), &["keys", "--from-file", f.to_str().unwrap()]);
    assert_eq!(r.rows[0].deleted, 3);
    let out = cachectl()
        .args(["--url", &s.url(), "invalidate", "keys", "-", "-o", "json"])
        .write_stdin("k:20\nk:21\nk:22\nk:23\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.rows[0].deleted, 4);
    assert_eq!(s.dbsize(), 100 - 2 - 3 - 4);
    // no keys at all is a usage error
    let (code, _, _) = run(&s.url(), &["keys"]);
    assert_eq!(code, Some(2));
    let (code, _, err) = run(&s.url(), &["keys", "--from-file", "/nonexistent/keys.txt"]);
    assert_eq!(code, Some(1), "{err}");
}

#[test]
fn dry_run_match_all_and_max_keys_delete_nothing() {
    let s = RedisServer::start();
    seed_mixed(&mut Loader::standalone(&s));
    let n = s.dbsize();
    let r = ok(&s.url(), &["pattern", "user:*", "--dry-run"]);
    let row = &r.rows[0];
    assert!(row.dry_run);
    assert_eq!((row.matched, row.deleted), (2000, 0));
    assert_eq!(row.sample_keys.len(), 10);
    assert!(row.sample_keys.iter().all(|k| k.starts_with("user:")));
    // matched = keys selected, missing = the ones that do not exist: the same in a real run
    let r = ok(&s.url(), &["keys", "user:1:profile", "ghost", "--dry-run"]);
    assert_eq!((r.rows[0].matched, r.rows[0].missing), (2, 1));
    assert_eq!(s.dbsize(), n);

    for glob in ["*", "**", ""] {
        let (code, report, err) = run(&s.url(), &["pattern", glob]);
        assert_eq!(code, Some(2), "{glob}");
        assert!(report.is_none());
        assert!(err.contains("--all"), "{err}");
    }
    let (code, _, _) = run(&s.url(), &["prefix", ""]);
    assert_eq!(code, Some(2));
    assert_eq!(s.dbsize(), n);

    let (code, r, err) = run(&s.url(), &["pattern", "user:*", "--max-keys", "1999"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("2,000 keys match, more than --max-keys 1999"),
        "{err}"
    );
    let r = r.unwrap();
    assert_eq!((r.rows[0].matched, r.rows[0].deleted), (2000, 0));
    assert_eq!(r.status, "check-failed");
    assert!(r.message.unwrap().contains("more than --max-keys"));
    assert_eq!(s.dbsize(), n);

    let r = ok(&s.url(), &["pattern", "user:*", "--max-keys", "2000"]);
    assert_eq!(r.rows[0].deleted, 2000);
    assert_eq!(s.dbsize(), n - 2000);

    // --all really allows everything
    let r = ok(&s.url(), &["pattern", "*", "--all", "--batch", "100"]);
    assert_eq!(r.rows[0].deleted, n - 2000);
    assert_eq!(s.dbsize(), 0);
}

fn tag_layouts(l: &mut Loader) {
    // cachectl: set tag:{T} of full keys
    for i in 0..300 {
        l.cmd("SET", &format!("plan_catalog:v1:plan_{i}"), &[&"v"]);
        l.cmd("SADD", "tag:plans", &[&format!("plan_catalog:v1:plan_{i}")]);
    }
    // laravel: zset {prefix}tag:{T}:entries, members without the prefix
    for i in 0..200 {
        l.cmd("SET", &format!("laravel_cache:user.{i}"), &[&"v"]);
        l.cmd(
            "ZADD",
            "laravel_cache:tag:users:entries",
            &[&-1, &format!("user.{i}")],
        );
    }
    // symfony: set {namespace}:\x01tags\x01{T} of full keys
    for i in 0..100 {
        l.cmd("SET", &format!("app:item{i}"), &[&"v"]);
        l.cmd(
            "SADD",
            "app:\x01tags\x01catalog",
            &[&format!("app:item{i}")],
        );
    }
    for i in 0..50 {
        l.cmd("SET", &format!("untagged:{i}"), &[&"v"]);
    }
    l.flush();
}

fn check_tags(url: &str, keys: impl Fn() -> BTreeSet<String>) {
    let r = ok(url, &["tag", "plans"]);
    assert_eq!(
        (
            r.rows[0].kind.as_str(),
            r.rows[0].matched,
            r.rows[0].deleted
        ),
        ("tag", 300, 300)
    );
    assert_eq!(r.rows[0].tag_indexes, vec!["tag:plans".to_string()]);
    assert_eq!(r.rows[0].format.as_deref(), Some("cachectl"));
    assert_eq!(r.rows[0].key_prefix.as_deref(), Some(""));
    let r = ok(
        url,
        &[
            "tag",
            "users",
            "--tag-format",
            "laravel",
            "--tag-prefix",
            "laravel_cache:",
        ],
    );
    assert_eq!((r.rows[0].matched, r.rows[0].deleted), (200, 200));
    assert_eq!(r.rows[0].format.as_deref(), Some("laravel (10-13, zset)"));
    assert_eq!(
        r.rows[0].index.as_deref(),
        Some("laravel_cache:tag:users:entries")
    );
    let r = ok(
        url,
        &[
            "tag",
            "catalog",
            "--tag-format",
            "symfony",
            "--tag-prefix",
            "app:",
        ],
    );
    assert_eq!(r.rows[0].deleted, 100);
    assert_eq!(r.rows[0].format.as_deref(), Some("symfony (6.3+)"));
    assert_eq!(
        (
            r.rows[0].key_prefix.as_deref(),
            r.rows[0].tag_prefix.as_deref()
        ),
        (Some(""), Some("app:"))
    );
    let left = keys();
    let expected: BTreeSet<String> = (0..50).map(|i| format!("untagged:{i}")).collect();
    assert_eq!(
        left, expected,
        "tagged keys and tag indexes are gone, nothing else"
    );
    // an unknown tag is not an error
    let r = ok(url, &["tag", "nothing-here"]);
    assert_eq!(r.rows[0].matched, 0);
}

#[test]
fn tags_in_three_formats_standalone() {
    let s = RedisServer::start();
    tag_layouts(&mut Loader::standalone(&s));
    // a dry run counts tagged keys without touching them
    let r = ok(&s.url(), &["tag", "plans", "--dry-run"]);
    assert_eq!((r.rows[0].matched, r.rows[0].deleted), (300, 0));
    check_tags(&s.url(), || all_keys(vec![s.conn()]));
    // a key of the wrong type at an index's name is no index of any layout: a warning and
    // nothing touched (exit 3 with --require-match)
    let mut c = s.conn();
    let _: () = redis::cmd("SET")
        .arg("tag:oops")
        .arg("x")
        .query(&mut c)
        .unwrap();
    let (code, _, err) = run(&s.url(), &["tag", "oops"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("warning: no tag index for `oops`"), "{err}");
    let (code, _, err) = run(&s.url(), &["tag", "oops", "--require-match"]);
    assert_eq!(code, Some(3), "{err}");
    let v: String = redis::cmd("GET").arg("tag:oops").query(&mut c).unwrap();
    assert_eq!(v, "x");
}

/// Issue 23.2: Laravel 11–13 keep the cache prefix as configured (the skeleton's
/// `laravel_cache_`, no `:`), so the index is `laravel_database_laravel_cache_tag:grp3:entries`
/// (written here as RedisTagSet::addEntry and RedisStore::put do, index first). `--tag-prefix`
/// is the prefix as it appears in Redis: nothing is added to it.
#[test]
fn laravel_11_tag_prefix_without_a_colon() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        let (p, sp) = ("laravel_database_", "laravel_cache_");
        for (tag, n) in [("grp3", 40), ("grp4", 10)] {
            for i in 0..n {
                // itemKey = sha1("tag:{T}:entries") . ':' . key (any hex stands in for the sha1)
                let member = format!("0a1b2c3d{tag}:item{i}");
                l.cmd(
                    "ZADD",
                    &format!("{p}{sp}tag:{tag}:entries"),
                    &[&-1, &member],
                );
                l.cmd("SET", &format!("{p}{sp}{member}"), &[&"s:1:\"v\";"]);
            }
        }
        l.cmd("SET", "laravel_database_laravel_cache_other", &[&"v"]);
    }
    let url = s.url();
    let args = [
        "tag",
        "grp3",
        "--tag-format",
        "laravel",
        "--key-prefix",
        "laravel_database_",
        "--tag-prefix",
        "laravel_cache_",
        "--require-match",
    ];
    let r = ok(&url, &args);
    let row = &r.rows[0];
    assert_eq!(
        (row.matched, row.deleted, row.missing),
        (40, 40, 0),
        "{row:?}"
    );
    assert_eq!(
        row.index.as_deref(),
        Some("laravel_database_laravel_cache_tag:grp3:entries")
    );
    assert_eq!(
        (row.key_prefix.as_deref(), row.tag_prefix.as_deref()),
        (Some("laravel_database_"), Some("laravel_cache_"))
    );
    let left = all_keys(vec![s.conn()]);
    assert_eq!(
        left.len(),
        12,
        "grp4's 10 items + its index + the other key: {left:?}"
    );
    assert!(left.iter().all(|k| !k.contains("grp3")), "{left:?}");

    // a Laravel 8–10 prefix is passed as it appears, with its colon; without it nothing is
    // found (no `:` is guessed), and the warning says how the prefix is read
    let (code, _, err) = run(
        &url,
        &[
            "tag",
            "grp4",
            "--tag-format",
            "laravel",
            "--key-prefix",
            "laravel_database_",
            "--tag-prefix",
            "laravel_cache",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("laravel_database_laravel_cachetag:grp4:entries")
            && err.contains("try --tag-prefix laravel_cache:"),
        "{err}"
    );
}

#[test]
fn tags_on_a_cluster() {
    let c = Cluster::start(0);
    tag_layouts(&mut Loader::cluster(&c));
    check_tags(&c.url(), || all_keys(primaries(&c)));
}

/// Issue 23.11: `--require-match` asks every selector to match: a namespace whose pattern
/// matches but whose tag has no index fails before anything is deleted, and of several
/// selectors one that matched nothing fails the run, named.
#[test]
fn require_match_needs_every_selector() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..20 {
            l.cmd("SET", &format!("plan_catalog:v1:plan_{i}"), &[&"v"]);
            l.cmd("SET", &format!("app:{i}"), &[&"v"]);
        }
    }
    // treebeard's plan_catalog namespace is `plan_catalog:v1:*` + tag `plans`: no tag:plans
    let ns = ["-P", "profiles/treebeard.yaml", "namespace", "plan_catalog"];
    let (code, r, err) = run(&s.url(), &[&ns[..], &["--require-match"]].concat());
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("--require-match: no tag index for `plans`"),
        "{err}"
    );
    assert_eq!(r.unwrap().status, "check-failed");
    assert_eq!(s.dbsize(), 40, "refused before the pattern was touched");
    // without it: a warning, the pattern's keys go
    let (code, _, err) = run(&s.url(), &ns);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("warning: no tag index for `plans`"), "{err}");
    assert_eq!(s.dbsize(), 20);

    // several selectors: each must match, checked before anything is deleted
    for mode in [&[][..], &["--dry-run"], &["--max-keys", "100"]] {
        let args = [
            &["pattern", "app:*", "nothing:*", "--require-match"][..],
            mode,
        ]
        .concat();
        let (code, r, err) = run(&s.url(), &args);
        assert_eq!(code, Some(3), "{args:?}: {err}");
        assert!(err.contains("no key matched pattern `nothing:*`"), "{err}");
        let r = r.unwrap();
        assert_eq!((r.rows[0].matched, r.rows[1].matched), (20, 0), "{args:?}");
        assert_eq!(s.dbsize(), 20, "{args:?}: nothing deleted");
    }
    // overlapping selectors each match (the second's keys are gone by the time it runs)
    let (code, _, err) = run(&s.url(), &["pattern", "app:*", "app:1*", "--require-match"]);
    assert_eq!(code, Some(0), "every selector matched: {err}");
    assert_eq!(s.dbsize(), 0);
}

#[test]
fn namespace_uses_pattern_and_tags() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..100 {
            l.cmd("SET", &format!("plan_catalog:v1:plan_{i}"), &[&"v"]);
            l.cmd("SET", &format!("user_profile:v1:user_{i}"), &[&"v"]);
        }
        // tagged with `plans` but outside the namespace pattern
        l.cmd("SET", "plan:legacy:1", &[&"v"]);
        l.cmd(
            "SADD",
            "tag:plans",
            &[&"plan:legacy:1", &"plan_catalog:v1:plan_1"],
        );
    }
    let r = ok(
        &s.url(),
        &["-P", "profiles/treebeard.yaml", "namespace", "plan_catalog"],
    );
    let row = &r.rows[0];
    assert_eq!(
        (row.kind.as_str(), row.selector.as_str()),
        ("namespace", "plan_catalog")
    );
    assert_eq!(
        (row.matched, row.deleted),
        (101, 101),
        "deduplicated across pattern and tag"
    );
    let left = all_keys(vec![s.conn()]);
    assert_eq!(left.len(), 100);
    assert!(left.iter().all(|k| k.starts_with("user_profile:")));
    let (code, _, err) = run(
        &s.url(),
        &["-P", "profiles/treebeard.yaml", "namespace", "nope"],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("plan_catalog"), "{err}");
    let (code, _, _) = run(&s.url(), &["namespace", "plan_catalog"]);
    assert_eq!(code, Some(2), "needs a profile");
}

#[test]
fn soft_caps_ttls_instead_of_deleting() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..100 {
            l.cmd("SET", &format!("soft:none:{i}"), &[&"v"]);
            l.cmd("SET", &format!("soft:long:{i}"), &[&"v", &"EX", &86_400]);
            l.cmd("SET", &format!("soft:short:{i}"), &[&"v", &"EX", &30]);
        }
    }
    let r = ok(&s.url(), &["pattern", "soft:*", "--soft", "5m"]);
    assert_eq!(
        (r.rows[0].matched, r.rows[0].deleted, r.rows[0].expired),
        (300, 0, 200)
    );
    assert_eq!(s.dbsize(), 300);
    let mut c = s.conn();
    let ttl =
        |c: &mut redis::Connection, k: &str| -> i64 { redis::cmd("TTL").arg(k).query(c).unwrap() };
    for i in 0..100 {
        assert!((295..=300).contains(&ttl(&mut c, &format!("soft:none:{i}"))));
        assert!((295..=300).contains(&ttl(&mut c, &format!("soft:long:{i}"))));
        assert!(ttl(&mut c, &format!("soft:short:{i}")) <= 30);
    }
    let (code, _, _) = run(&s.url(), &["pattern", "soft:*", "--soft", "0s"]);
    assert_eq!(code, Some(2));
}

#[test]
fn publish_sends_one_event_per_run() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..10 {
            l.cmd("SET", &format!("pub:{i}"), &[&"v"]);
        }
    }
    let url = s.url();
    let listener = std::thread::spawn(move || {
        let client = redis::Client::open(url).unwrap();
        let mut con = client.get_connection().unwrap();
        let mut ps = con.as_pubsub();
        ps.subscribe(&["cache:invalidate", "custom:chan"]).unwrap();
        ps.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut got = Vec::new();
        for _ in 0..2 {
            let msg = ps.get_message().unwrap();
            let payload: String = msg.get_payload().unwrap();
            got.push((msg.get_channel_name().to_string(), payload));
        }
        got
    });
    // the subscription has landed when the server counts it
    let mut c = s.conn();
    crate::support::wait_until(Duration::from_secs(60), "the subscription", || {
        let n: Vec<(String, u64)> = redis::cmd("PUBSUB")
            .arg("NUMSUB")
            .arg("cache:invalidate")
            .arg("custom:chan")
            .query(&mut c)
            .unwrap();
        n.iter().all(|(_, subs)| *subs == 1)
    });
    ok(&s.url(), &["pattern", "pub:1*", "pub:2*", "--publish"]);
    ok(&s.url(), &["keys", "pub:3", "--publish=custom:chan"]);
    // a dry run publishes nothing
    ok(&s.url(), &["keys", "pub:4", "--dry-run", "--publish"]);
    let got = listener.join().unwrap();
    assert_eq!(got[0].0, "cache:invalidate");
    let ev: serde_json::Value = serde_json::from_str(&got[0].1).unwrap();
    assert_eq!(ev["kind"], "pattern");
    assert_eq!(ev["selector"], "pub:1* pub:2*");
    assert_eq!(ev["selectors"], serde_json::json!(["pub:1*", "pub:2*"]));
    assert_eq!(ev["keys"], 2);
    assert!(ev["ts"].as_str().unwrap().ends_with('Z'));
    assert_eq!(got[1].0, "custom:chan");
    let ev: serde_json::Value = serde_json::from_str(&got[1].1).unwrap();
    assert_eq!(
        (ev["kind"].as_str(), ev["keys"].as_u64()),
        (Some("keys"), Some(1))
    );
}

#[test]
fn audit_log_appends_on_success_and_failure() {
    let s = RedisServer::start_with(&["--requirepass", "sekret"]);
    let url = format!("redis://:sekret@127.0.0.1:{}", s.port);
    {
        let client = redis::Client::open(url.clone()).unwrap();
        let mut c = client.get_connection().unwrap();
        for i in 0..20 {
            let _: () = redis::cmd("SET")
                .arg(format!("aud:{i}"))
                .arg(1)
                .query(&mut c)
                .unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let l = log.to_str().unwrap();
    ok(&url, &["pattern", "aud:1*", "--audit-log", l]);
    let (code, _, _) = run(
        &url,
        &["pattern", "aud:*", "--max-keys", "2", "--audit-log", l],
    );
    assert_eq!(code, Some(3));
    let bad = format!("redis://:wrong@127.0.0.1:{}", s.port);
    let (code, _, _) = run(&bad, &["pattern", "aud:*", "--audit-log", l]);
    assert_eq!(code, Some(1));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        !text.contains("sekret") && !text.contains("wrong"),
        "{text}"
    );
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["selector"], "aud:1*");
    assert_eq!(lines[0]["kind"], "pattern");
    assert_eq!(
        (lines[0]["matched"].as_u64(), lines[0]["deleted"].as_u64()),
        (Some(11), Some(11))
    );
    assert_eq!(lines[0]["exit_code"], 0);
    assert_eq!(
        lines[0]["url"],
        format!("redis://:***@127.0.0.1:{}", s.port)
    );
    for k in ["ts", "user", "host", "duration_ms"] {
        assert!(!lines[0][k].is_null(), "{k}");
    }
    assert_eq!(
        (lines[1]["exit_code"].as_i64(), lines[1]["deleted"].as_u64()),
        (Some(3), Some(0))
    );
    assert_eq!(lines[2]["exit_code"], 1);
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("cannot connect"));
}

#[test]
fn server_gone_mid_run_reports_what_was_deleted() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..50_000 {
            l.cmd("SET", &format!("gone:{i}"), &[&"v"]);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    // 50k keys at 10k/s: about 5 s, killed once the first batches are gone
    let child = Command::new(bin)
        .args([
            "--url",
            &s.url(),
            "--timeout",
            "2s",
            "invalidate",
            "pattern",
            "gone:*",
        ])
        .args([
            "--rate",
            "10000/s",
            "--batch",
            "200",
            "--audit-log",
            log.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    s.wait_for_dbsize("the first batches deleted", |n| n <= 50_000 - 1000);
    let before_kill = s.dbsize();
    drop(s); // kills redis-server
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // what was done is printed, with the failed status
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("SELECTOR") && stdout.contains("status: failed"),
        "{stdout}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    // the reconnect attempts are logged; the run ends with one error line
    let last = err.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("cachectl: error: "), "{err}");
    assert!(last.contains("keys were deleted"), "{err}");
    assert!(
        last.contains("unreachable for over 12s"),
        "6 × --timeout: {err}"
    );
    let audit: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&log).unwrap().trim()).unwrap();
    let deleted = audit["deleted"].as_u64().unwrap();
    assert!(
        deleted >= 50_000 - before_kill && deleted < 50_000,
        "{deleted} (dbsize before kill {before_kill})"
    );
    assert!(
        last.contains(&format!("after {deleted} keys were deleted")),
        "{err}"
    );
    assert_eq!(audit["exit_code"], 1);
}

#[test]
fn confirmation_is_asked_on_a_terminal_only() {
    // `script` gives the child a pseudo-terminal as stdin; skip where util-linux lacks it
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").is_err(),
            "`script` (util-linux) is needed in CI"
        );
        return;
    }
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..10 {
            l.cmd("SET", &format!("ask:{i}"), &[&"v"]);
        }
    }
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let cmdline = format!(
        "{} --url {} invalidate pattern 'ask:*'",
        bin.display(),
        s.url()
    );
    let on_tty = |cmdline: &str, a: &str| {
        let mut child = Command::new("script")
            .args(["-qec", cmdline, "/dev/null"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = crate::support::Tail::new(child.stdout.take().unwrap());
        let mut stdin = child.stdin.take().unwrap();
        if a.is_empty() {
            // no question to answer: the terminal stays open until the run ends
            child.wait().unwrap();
        } else {
            out.wait_for("[y/N]");
            stdin.write_all(a.as_bytes()).unwrap();
        }
        drop(stdin);
        let status = child.wait().unwrap();
        std::process::Output {
            status,
            stdout: out.finish(),
            stderr: Vec::new(),
        }
    };
    let answer = |a: &str| on_tty(&cmdline, a);
    let out = answer("n\n");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Delete 10 keys"), "{text}");
    assert_eq!(s.dbsize(), 10, "answered no: nothing deleted");
    assert_eq!(
        out.status.code(),
        Some(3),
        "declining is a check that did not pass"
    );
    // Ctrl-C at the prompt: out at once, nothing deleted, exit 130
    let out = answer("\x03");
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(s.dbsize(), 10, "interrupted at the prompt: nothing deleted");
    let out = answer("y\n");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Delete 10 keys"), "{text}");
    assert_eq!(s.dbsize(), 0, "answered yes");
    // --yes on a terminal: no question
    {
        let mut c = s.conn();
        let _: () = redis::cmd("SET")
            .arg("ask:again")
            .arg(1)
            .query(&mut c)
            .unwrap();
    }
    let out = on_tty(&format!("{cmdline} --yes"), "");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("[y/N]"), "{text}");
    assert_eq!(s.dbsize(), 0, "--yes deletes without asking");
    // not a terminal (this test's own stdin): no question, it just runs
    let r = ok(&s.url(), &["pattern", "ask:*"]);
    assert_eq!(r.rows[0].matched, 0);
}

#[test]
fn csv_and_table() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..5 {
            l.cmd("SET", &format!("t:{i}"), &[&"v"]);
        }
    }
    let out = cachectl()
        .args([
            "--url",
            &s.url(),
            "invalidate",
            "pattern",
            "t:*",
            "--dry-run",
            "-o",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "selector,kind,matched,deleted,expired,missing,nodes,duration_ms,dry_run,unknown,status,format,index,key_prefix,tag_prefix"
    );
    assert!(text
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("t:*,pattern,5,0,0,0,1,"));
    let out = cachectl()
        .args(["--url", &s.url(), "invalidate", "pattern", "t:*"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("SELECTOR") && text.contains("t:*"), "{text}");
    assert_eq!(s.dbsize(), 0);
}

/// Run `cachectl invalidate` in the background with `-o json`.
fn spawn_invalidate(url: &str, global: &[&str], args: &[&str]) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("cachectl"))
        .args(["--url", url])
        .args(global)
        .arg("invalidate")
        .args(args)
        .args(["-o", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Poll until `done` holds (the run made progress), at most 60 s.
fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "never happened: {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn finished(child: std::process::Child) -> (Option<i32>, Report, String) {
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}): {err}"));
    (out.status.code(), report, err)
}

/// Issue 23.7: `CLIENT PAUSE 3000 WRITE` in the middle of a run with `--timeout 1s`: the run
/// waits the pause out (a paused server answers late, and its reply is the exact count) and
/// finishes: exit 0, every key deleted, nothing unknown.
#[test]
fn a_write_pause_mid_run_is_waited_out() {
    let s = RedisServer::start();
    let n = 30_000u64;
    {
        let mut l = Loader::standalone(&s);
        for i in 0..n {
            l.cmd("SET", &format!("inv:{i}"), &[&"v"]);
        }
        l.cmd("SET", "keep", &[&"v"]);
    }
    let child = spawn_invalidate(
        &s.url(),
        &["--timeout", "1s"],
        &["pattern", "inv:*", "--rate", "10000/s", "--batch", "500"],
    );
    until("the first keys deleted", || s.dbsize() < n);
    let _: () = redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(3000)
        .arg("WRITE")
        .query(&mut s.conn())
        .unwrap();
    let paused = std::time::Instant::now();
    let (code, r, err) = finished(child);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        paused.elapsed() >= Duration::from_secs(2),
        "the pause was mid-run"
    );
    let row = &r.rows[0];
    assert_eq!(
        (row.matched, row.deleted, row.missing, row.unknown),
        (n, n, 0, 0),
        "{row:?} {err}"
    );
    assert_eq!(r.status, "ok");
    assert_eq!(
        all_keys(vec![s.conn()]),
        BTreeSet::from(["keep".to_string()])
    );
}

/// Issue 23.7: a cluster primary killed (-9) in the middle of its scan: the replica is
/// promoted, the run reconnects, reads the topology again, resumes the promoted node's slots
/// and finishes: exit 0, no matching key left anywhere, and the counts account for every key.
#[test]
fn a_primary_killed_mid_run_is_followed_to_its_replica() {
    let mut c = Cluster::start(1);
    let n = 60_000u64;
    {
        let mut l = Loader::cluster(&c);
        for i in 0..n {
            l.cmd("SET", &format!("inv:{i}"), &[&"v"]);
        }
        for i in 0..100 {
            l.cmd("SET", &format!("keep:{i}"), &[&"v"]);
        }
    }
    c.sync_replicas();
    let primaries: Vec<usize> = c
        .primary_ports()
        .iter()
        .map(|p| c.nodes.iter().position(|s| s.port == *p).unwrap())
        .collect();
    let start: Vec<u64> = primaries.iter().map(|&i| c.nodes[i].dbsize()).collect();
    // every node a seed, so the run reconnects whichever one dies
    let seeds: Vec<String> = c.nodes.iter().map(|s| s.url()).collect();
    let child = spawn_invalidate(
        &seeds.join(","),
        &[],
        &["pattern", "inv:*", "--rate", "15000/s", "--batch", "500"],
    );
    // the primary being walked: some of its keys gone, most still there
    let mut victim = None;
    until("a primary half walked", || {
        victim = primaries
            .iter()
            .zip(&start)
            .find(|(&i, &k)| {
                let now = c.nodes[i].dbsize();
                now + 2_000 < k && now > 4_000
            })
            .map(|(&i, _)| i);
        victim.is_some()
    });
    let victim = victim.unwrap();
    c.nodes[victim].kill();
    let (code, r, err) = finished(child);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("reconnecting"),
        "the failover is logged: {err}"
    );
    let row = &r.rows[0];
    assert_eq!(row.matched, n, "{row:?}");
    assert_eq!(
        row.deleted + row.unknown + row.missing,
        row.matched,
        "every matched key accounted for: {row:?}"
    );
    assert!(
        row.unknown <= 1_000,
        "at most the batches in flight: {row:?}"
    );
    assert_eq!(r.status, "ok");
    // what is left on the primaries now serving (the promoted replica among them)
    let mut left = BTreeSet::new();
    for (i, s) in c.nodes.iter().enumerate() {
        if i == victim {
            continue;
        }
        let info: String = redis::cmd("INFO")
            .arg("replication")
            .query(&mut s.conn())
            .unwrap();
        if info.contains("role:master") {
            left.extend(all_keys(vec![s.conn()]));
        }
    }
    let expected: BTreeSet<String> = (0..100).map(|i| format!("keep:{i}")).collect();
    assert_eq!(left, expected, "no matching key left, nothing else touched");
}
