//! Tag layouts against the real framework clients (tests/frameworks/: Symfony Cache 5.4 and
//! Laravel 8 from Debian over phpredis, cashews from PyPI; newer layouts written as their
//! source writes them). The engine is called directly (`cachectl::engine::Engine`): resolve
//! with `auto`, invalidate, then read back through the same client.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use cachectl::engine::tags::Resolved;
use cachectl::engine::{ConnSettings, Engine};
use cachectl::invalidate::tags::{resolve_tag, Resolution};
use cachectl::tags::Layout;
use serde_json::Value;

use crate::support::{Cluster, Loader, RedisServer};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn venv_python() -> PathBuf {
    root().join("target/frameworks-venv/bin/python")
}

/// The clients are installed by .ci/run; elsewhere the tests skip (under CI=true they fail).
pub(crate) fn clients_present() -> bool {
    let php = Command::new("php")
        .args(["-r", "exit(extension_loaded('redis') && is_file('/usr/share/php/Symfony/Component/Cache/autoload.php') && is_file('/usr/share/php/Illuminate/Cache/autoload.php') ? 0 : 1);"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let py = Command::new(venv_python())
        .args(["-c", "import cashews, redis"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !(php && py) {
        assert!(
            std::env::var("CI").is_err(),
            "CI=true: the framework clients must be installed (bash .ci/run installs them)"
        );
        eprintln!("skipping: php-redis/Symfony/Laravel or the cashews venv is missing (.ci/run)");
    }
    php && py
}

/// A framework client and its prefixes: `p` = client key prefix, `s` = framework prefix.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Client {
    /// Symfony 5.4 RedisTagAwareAdapter
    SymfonyRta,
    /// Symfony 5.4 TagAwareAdapter over RedisAdapter
    SymfonyTa,
    /// Laravel 8 tagged Redis cache
    Laravel8,
    /// cashews (p = an application key prefix; cashews itself adds none)
    Cashews,
    /// layouts written as their source writes them (tests/frameworks/newer_layouts.py)
    LaravelZset,
    /// Laravel 11–13: the cache prefix kept as given (no `:` added)
    Laravel11Zset,
    Symfony7,
    Symfony7Ta,
}

impl Client {
    pub(crate) fn command(self, cmd: &str, url: &str, p: &str, s: &str, args: &[&str]) -> Command {
        let fw = root().join("tests/frameworks");
        let mut c;
        match self {
            Client::SymfonyRta | Client::SymfonyTa => {
                c = Command::new("php");
                c.arg(fw.join("symfony.php"));
                c.arg(if matches!(self, Client::SymfonyRta) {
                    "redis-tagaware"
                } else {
                    "tagaware"
                });
                c.args([cmd, url, p, s]);
            }
            Client::Laravel8 => {
                c = Command::new("php");
                c.arg(fw.join("laravel.php")).args([cmd, url, p, s]);
            }
            Client::Cashews => {
                c = Command::new(venv_python());
                c.arg(fw.join("cashews_client.py")).args([cmd, url, p]);
            }
            Client::LaravelZset | Client::Laravel11Zset | Client::Symfony7 | Client::Symfony7Ta => {
                c = Command::new(venv_python());
                c.arg(fw.join("newer_layouts.py")).arg(match self {
                    Client::LaravelZset => "laravel-zset",
                    Client::Laravel11Zset => "laravel11-zset",
                    Client::Symfony7 => "symfony7",
                    _ => "symfony7-tagaware",
                });
                c.args([cmd, url, p, s]);
            }
        }
        c.args(args);
        c
    }

    pub(crate) fn run(self, cmd: &str, url: &str, p: &str, s: &str, args: &[&str]) -> Value {
        let out = self
            .command(cmd, url, p, s, args)
            .output()
            .expect("running the client");
        assert!(
            out.status.success(),
            "{self:?} {cmd} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
            panic!(
                "{self:?} {cmd}: no JSON: {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn engine(url: &str) -> Engine {
    Engine::connect(&ConnSettings {
        urls: vec![url.to_string()],
        password: None,
        force_cluster: false,
        replicas: false,
        timeout: Duration::from_secs(10),
        all_nodes: false,
    })
    .await
    .expect("connect")
}

fn resolved(r: Resolution) -> Resolved {
    match r {
        Resolution::Found(r) => r,
        other => panic!("expected one index, got {other:?}"),
    }
}

/// Every key, with long hex/id runs (Laravel namespace ids, sha1s) masked, sorted.
pub(crate) fn key_shapes(s: &RedisServer) -> Vec<String> {
    let mut c = s.conn();
    let keys: Vec<Vec<u8>> = redis::Commands::scan::<Vec<u8>>(&mut c)
        .unwrap()
        .map(|k| k.unwrap())
        .collect();
    let mut out: Vec<String> = keys
        .iter()
        .map(|k| {
            let t = String::from_utf8_lossy(k).to_string();
            let mut masked = String::new();
            let mut run = String::new();
            for ch in t.chars() {
                if ch.is_ascii_hexdigit() {
                    run.push(ch);
                } else {
                    masked.push_str(if run.len() >= 20 { "#" } else { &run });
                    run.clear();
                    masked.push(ch);
                }
            }
            masked.push_str(if run.len() >= 20 { "#" } else { &run });
            masked
        })
        .collect();
    out.sort();
    out
}

pub(crate) fn counts(v: &Value, name: &str) -> (u64, u64) {
    (
        v[name]["hits"].as_u64().unwrap(),
        v[name]["misses"].as_u64().unwrap(),
    )
}

const N: usize = 30;

/// Write `users` and `posts` items (plus untagged) through the client, invalidate `users`
/// with `auto` through the engine, check the framework sees exactly the right hits and misses,
/// and that the keys left are the ones the framework's own invalidation leaves.
fn exact_for(client: Client, p: &str, s: &str, layout: Layout, key_prefix: &str) {
    let n = N.to_string();
    let ours = RedisServer::start();
    let theirs = RedisServer::start();
    for srv in [&ours, &theirs] {
        client.run("write", &srv.url(), p, s, &[&n, "users", "posts"]);
        let v = client.run("check", &srv.url(), p, s, &[&n, "users", "posts"]);
        assert_eq!(counts(&v, "users"), (N as u64, 0), "{client:?} wrote");
    }
    let rt = rt();
    let run = rt.block_on(async {
        let e = engine(&ours.url()).await;
        let r = resolved(resolve_tag(&e, "users", None, None, None).await.unwrap());
        assert_eq!(r.index.layout, layout, "{client:?} p={p:?} s={s:?}");
        assert_eq!(
            String::from_utf8_lossy(&r.key_prefix),
            key_prefix,
            "{client:?} inferred key prefix"
        );
        e.tag_invalidate(&r, 7).await.unwrap()
    });
    client.run("invalidate", &theirs.url(), p, s, &["users"]);
    assert_eq!(
        key_shapes(&ours),
        key_shapes(&theirs),
        "{client:?} p={p:?} s={s:?}: keys left differ from the framework's own invalidation ({run:?})"
    );
    let v = client.run("check", &ours.url(), p, s, &[&n, "users", "posts"]);
    assert_eq!(counts(&v, "users"), (0, N as u64), "{client:?}: {v}");
    assert_eq!(counts(&v, "posts"), (N as u64, 0), "{client:?}: {v}");
    assert_eq!(counts(&v, "untagged"), (N as u64, 0), "{client:?}: {v}");
    if !matches!(client, Client::SymfonyTa | Client::Symfony7Ta) {
        assert_eq!(run.deleted, N as u64, "{client:?} {run:?}");
    }
}

#[test]
fn symfony_redis_tag_aware_adapter_exact_with_auto() {
    if !clients_present() {
        return;
    }
    exact_for(Client::SymfonyRta, "", "", Layout::Symfony0, "");
    exact_for(Client::SymfonyRta, "", "app", Layout::Symfony0, "");
    exact_for(Client::SymfonyRta, "pp:", "", Layout::Symfony0, "pp:");
    exact_for(Client::SymfonyRta, "pp:", "app", Layout::Symfony0, "pp:");
}

#[test]
fn symfony_tag_aware_adapter_exact_with_auto() {
    if !clients_present() {
        return;
    }
    exact_for(Client::SymfonyTa, "", "", Layout::SymfonyTagAware0, "");
    exact_for(
        Client::SymfonyTa,
        "pp:",
        "app",
        Layout::SymfonyTagAware0,
        "pp:app:",
    );
}

#[test]
fn laravel8_exact_with_auto() {
    if !clients_present() {
        return;
    }
    exact_for(Client::Laravel8, "", "", Layout::LaravelRefs, "");
    exact_for(
        Client::Laravel8,
        "",
        "laravel_cache",
        Layout::LaravelRefs,
        "",
    );
    exact_for(Client::Laravel8, "rp_", "", Layout::LaravelRefs, "rp_");
    exact_for(
        Client::Laravel8,
        "rp_",
        "laravel_cache",
        Layout::LaravelRefs,
        "rp_",
    );
}

#[test]
fn cashews_exact_with_auto() {
    if !clients_present() {
        return;
    }
    exact_for(Client::Cashews, "", "", Layout::Cashews, "");
    exact_for(Client::Cashews, "myapp:", "", Layout::Cashews, "");
}

#[test]
fn newer_layouts_exact_with_auto() {
    if !clients_present() {
        return;
    }
    exact_for(Client::LaravelZset, "", "", Layout::LaravelZset, "");
    exact_for(
        Client::LaravelZset,
        "rp_",
        "laravel_cache",
        Layout::LaravelZset,
        "rp_laravel_cache:",
    );
    exact_for(
        Client::Laravel11Zset,
        "laravel_database_",
        "laravel_cache_",
        Layout::LaravelZset,
        "laravel_database_laravel_cache_",
    );
    exact_for(Client::Symfony7, "", "", Layout::Symfony1, "");
    exact_for(Client::Symfony7, "pp:", "app", Layout::Symfony1, "pp:");
    exact_for(
        Client::Symfony7Ta,
        "pp:",
        "app",
        Layout::SymfonyTagAware1,
        "pp:app:",
    );
}

/// The issue's prefix case: the index is found but its members exist only under the client
/// prefix. A wrong (or missing) prefix destroys nothing: no index deleted, every item a hit.
#[test]
fn wrong_prefix_destroys_nothing() {
    if !clients_present() {
        return;
    }
    let n = N.to_string();
    for (client, p, s) in [
        (Client::SymfonyRta, "pp:", "app"),
        (Client::Laravel8, "rp_", "laravel_cache"),
    ] {
        let srv = RedisServer::start();
        client.run("write", &srv.url(), p, s, &[&n, "users"]);
        let before = key_shapes(&srv);
        rt().block_on(async {
            let e = engine(&srv.url()).await;
            // given an empty client prefix: the index is found, its members are not
            match resolve_tag(&e, "users", None, Some(""), None)
                .await
                .unwrap()
            {
                Resolution::NoMembers { index, example } => {
                    assert!(!example.is_empty());
                    assert!(index.key.starts_with(p.as_bytes()));
                }
                other => panic!("{client:?}: expected NoMembers, got {other:?}"),
            }
            // a prefix nothing is stored under: no index at all
            assert_eq!(
                resolve_tag(&e, "users", None, Some("zz:"), None)
                    .await
                    .unwrap(),
                Resolution::NotFound
            );
        });
        assert_eq!(
            key_shapes(&srv),
            before,
            "{client:?}: something was touched"
        );
        let v = client.run("check", &srv.url(), p, s, &[&n, "users"]);
        assert_eq!(counts(&v, "users"), (N as u64, 0), "{client:?}: {v}");
    }
}

#[test]
fn auto_refuses_two_layouts() {
    let srv = RedisServer::start();
    {
        let mut l = Loader::standalone(&srv);
        l.cmd("SADD", "tag:users", &[&"k1"]);
        l.cmd("SADD", "_tag:users", &[&"k1"]);
        l.cmd("SET", "k1", &[&"v"]);
    }
    rt().block_on(async {
        let e = engine(&srv.url()).await;
        match resolve_tag(&e, "users", None, None, None).await.unwrap() {
            Resolution::Ambiguous(found) => {
                let layouts: Vec<Layout> = found.iter().map(|f| f.layout).collect();
                assert!(layouts.contains(&Layout::Cachectl) && layouts.contains(&Layout::Cashews));
            }
            other => panic!("expected Ambiguous, got {other:?}"),
        }
        // a format settles it
        let r = resolved(
            resolve_tag(
                &e,
                "users",
                Some(cachectl::tags::Family::Cashews),
                None,
                None,
            )
            .await
            .unwrap(),
        );
        assert_eq!(r.index.layout, Layout::Cashews);
    });
}

/// A writer keeps tagging items while the engine invalidates; afterwards the framework's own
/// invalidation must reach every item it wrote (0 orphaned), and the old items are misses.
fn race_for(client: Client, p: &str, s: &str) {
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
    rt().block_on(async {
        let e = engine(&url).await;
        let r = resolved(resolve_tag(&e, "race", None, None, None).await.unwrap());
        // small pages: a long run, so the writer's items land during it
        e.tag_invalidate(&r, 20).await.unwrap();
    });
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

#[test]
fn concurrent_writers_lose_no_item() {
    if !clients_present() {
        return;
    }
    race_for(Client::SymfonyRta, "pp:", "app");
    race_for(Client::Laravel8, "rp_", "lc");
    race_for(Client::Cashews, "", "");
    race_for(Client::LaravelZset, "", "lc");
}

/// Cluster: the index on one primary, its members spread over all three.
#[test]
fn cluster_members_on_other_primaries() {
    let c = Cluster::start(0);
    let index = "app:\u{1}tags\u{1}users";
    {
        let mut l = Loader::cluster(&c);
        for i in 0..300 {
            let k = format!("app:users-item-{i}");
            l.cmd("SET", &k, &[&"v"]);
            l.cmd("SADD", index, &[&k]);
            l.cmd("SET", &format!("app:other-{i}"), &[&"v"]);
        }
    }
    let total_before = c.total_dbsize();
    rt().block_on(async {
        let e = Engine::connect(&ConnSettings {
            urls: vec![c.url()],
            password: None,
            force_cluster: false,
            replicas: false,
            timeout: Duration::from_secs(10),
            all_nodes: false,
        })
        .await
        .unwrap();
        let r = resolved(resolve_tag(&e, "users", None, None, None).await.unwrap());
        assert_eq!(r.index.layout, Layout::Symfony1);
        let run = e.tag_invalidate(&r, 50).await.unwrap();
        assert_eq!(run.deleted, 300, "{run:?}");
        assert_eq!(run.removed, 300, "{run:?}");
    });
    // 300 items and the (now empty) index are gone, the others stay
    assert_eq!(c.total_dbsize(), total_before - 301);
}
