//! `report --patterns` against real servers. An application-like load generator reads four
//! key families with designed hit rates (95%, 50%, 5% via MGET; 80% via HGET) and hammers one
//! missing key (a stampede); its own replies are the truth (it counts nil vs value per key).
//! The load runs inside the report's window: the test waits for the window's start marker
//! (published by the run) before it starts and finishes well before the window ends.
//!
//! Tests named `core_` also run on the matrix (6.0.9, 6.2, Valkey 9: `.ci/run`).

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cachectl::engine::slot::key_slot;
use serde_json::Value;

use crate::support::{shell_code, wait_until, Cluster, RedisServer};

/// (family, pattern the report shows, keys per read, keys that exist)
const FAMILIES: [(&str, &str); 4] = [
    ("hot", "{hot}:item:*"),
    ("warm", "{warm}:item:*"),
    ("cold", "{cold}:item:*"),
    ("user", "{user}:*:profile"),
];
const BURST_KEY: &str = "{promo}:item:424242";
const BURST_PATTERN: &str = "{promo}:item:*";

/// Keys per MGET family, hashes of the HGET family.
const RANGE: usize = 2000;
const USERS: usize = 1000;

/// Does key `i % 20` exist in a family where `exists` of every 20 keys do (hot 19: all
/// but the 20th; warm 10: every other; cold 1: the first).
fn exists_in(m: usize, exists: usize) -> bool {
    match exists {
        19 => m != 19,
        10 => m.is_multiple_of(2),
        _ => m == 0,
    }
}

/// What the application saw: per family (lookups, misses).
#[derive(Debug, Default, Clone)]
struct Truth(BTreeMap<&'static str, (u64, u64)>);

impl Truth {
    fn add(&mut self, fam: &str, lookups: u64, misses: u64) {
        let fam: &'static str = match fam {
            "hot" => "hot",
            "warm" => "warm",
            "cold" => "cold",
            "user" => "user",
            _ => "promo",
        };
        let e = self.0.entry(fam).or_default();
        e.0 += lookups;
        e.1 += misses;
    }
}

/// The application: one connection per primary, keys routed by slot.
struct App {
    conns: Vec<(u16, redis::Connection)>,
    slot_map: Option<Vec<u16>>,
}

impl App {
    fn standalone(s: &RedisServer) -> App {
        App {
            conns: vec![(s.port, s.conn())],
            slot_map: None,
        }
    }

    fn cluster(c: &Cluster) -> App {
        let conns = c
            .primary_ports()
            .into_iter()
            .map(|p| (p, c.nodes.iter().find(|n| n.port == p).unwrap().conn()))
            .collect();
        App {
            conns,
            slot_map: Some(c.slot_map()),
        }
    }

    fn conn(&mut self, key: &str) -> &mut redis::Connection {
        let i = match &self.slot_map {
            None => 0,
            Some(m) => {
                let port = m[key_slot(key.as_bytes()) as usize];
                self.conns.iter().position(|c| c.0 == port).unwrap()
            }
        };
        &mut self.conns[i].1
    }

    /// hot: 19 of every 20 keys exist (95%), warm 1 of 2 (50%), cold 1 of 20 (5%), user:
    /// 4 of 5 hashes (80%). Many keys per family, so the steady load misses each key only a
    /// few times a second: the stampede key is the only burst.
    fn seed(&mut self) {
        for (fam, exists) in [("hot", 19), ("warm", 10), ("cold", 1)] {
            let mut p: BTreeMap<usize, redis::Pipeline> = BTreeMap::new();
            for i in (0..RANGE).filter(|i| exists_in(i % 20, exists)) {
                let k = format!("{{{fam}}}:item:{i}");
                let idx = self.index(&k);
                p.entry(idx)
                    .or_default()
                    .cmd("SET")
                    .arg(&k)
                    .arg("v")
                    .ignore();
            }
            for (idx, pipe) in p {
                let _: () = pipe.query(&mut self.conns[idx].1).unwrap();
            }
        }
        for i in (0..USERS).filter(|i| i % 5 != 4) {
            let k = format!("{{user}}:{i}:profile");
            let _: () = redis::cmd("HSET")
                .arg(&k)
                .arg("name")
                .arg("x")
                .query(self.conn(&k))
                .unwrap();
        }
    }

    fn index(&self, key: &str) -> usize {
        match &self.slot_map {
            None => 0,
            Some(m) => {
                let port = m[key_slot(key.as_bytes()) as usize];
                self.conns.iter().position(|c| c.0 == port).unwrap()
            }
        }
    }

    /// One round of reads (round `r` reads the next 20 keys of each family); every nil reply
    /// is a miss.
    fn round(&mut self, r: usize, t: &mut Truth) {
        let off = (r * 20) % RANGE;
        for (fam, _) in FAMILIES.iter().take(3) {
            let keys: Vec<String> = (off..off + 20)
                .map(|i| format!("{{{fam}}}:item:{i}"))
                .collect();
            let v: Vec<Option<String>> = redis::cmd("MGET")
                .arg(&keys)
                .query(self.conn(&keys[0]))
                .unwrap();
            t.add(
                fam,
                v.len() as u64,
                v.iter().filter(|x| x.is_none()).count() as u64,
            );
        }
        let off = (r * 5) % USERS;
        for i in off..off + 5 {
            let k = format!("{{user}}:{i}:profile");
            let v: Option<String> = redis::cmd("HGET")
                .arg(&k)
                .arg("name")
                .query(self.conn(&k))
                .unwrap();
            t.add("user", 1, v.is_none() as u64);
        }
    }

    /// A stampede: one missing key read 50 times at once (50 clients' GETs arriving
    /// together: one pipeline).
    fn burst(&mut self, t: &mut Truth) {
        let mut p = redis::pipe();
        for _ in 0..50 {
            p.cmd("GET").arg(BURST_KEY);
        }
        let v: Vec<Option<String>> = p.query(self.conn(BURST_KEY)).unwrap();
        for x in v {
            t.add("promo", 1, x.is_none() as u64);
        }
    }

    /// Reads for `d`, the burst first.
    fn run_for(&mut self, d: Duration) -> Truth {
        let mut t = Truth::default();
        self.burst(&mut t);
        let start = Instant::now();
        let mut r = 0;
        while start.elapsed() < d {
            self.round(r, &mut t);
            r += 1;
        }
        t
    }
}

/// The markers the run publishes (`cachectl:patterns:RUN:NODE`), as they arrive, with the
/// moment they did.
struct Markers(Arc<Mutex<Vec<(Instant, String)>>>);

impl Markers {
    fn listen(url: &str) -> Markers {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s2 = seen.clone();
        let client = redis::Client::open(url).unwrap();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut c = client.get_connection().unwrap();
            let mut ps = c.as_pubsub();
            ps.psubscribe("cachectl:patterns:*").unwrap();
            ready_tx.send(()).unwrap();
            while let Ok(m) = ps.get_message() {
                let p: String = m.get_payload().unwrap_or_default();
                s2.lock().unwrap().push((Instant::now(), p));
            }
        });
        ready_rx.recv().unwrap();
        Markers(seen)
    }

    fn count(&self, suffix: &str) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, p)| p.ends_with(suffix))
            .count()
    }

    fn first(&self, suffix: &str) -> Option<Instant> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .find(|(_, p)| p.ends_with(suffix))
            .map(|x| x.0)
    }
}

fn spawn_report(url: &str, extra: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("cachectl"))
        .args([
            "--url",
            url,
            "report",
            "--patterns",
            "--latency-samples",
            "5",
        ])
        .args(extra)
        .args(["-o", "json"])
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Run a window of `interval` with the load inside it for `load`; (report JSON, truth).
fn observe(
    url: &str,
    app: &mut App,
    nodes: usize,
    interval: &str,
    load: Duration,
    extra: &[&str],
) -> (Value, Truth) {
    let markers = Markers::listen(url);
    let mut args = vec!["--interval", interval];
    args.extend_from_slice(extra);
    let child = spawn_report(url, &args);
    wait_until(
        Duration::from_secs(60),
        "the window's start markers",
        || markers.count(":1:start") >= nodes,
    );
    let truth = app.run_for(load);
    let done = Instant::now();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "report failed: {stderr}"
    );
    let end = markers.first(":1:end").expect("the end marker");
    assert!(
        end > done,
        "the load ran past the window's end: the machine is too slow for this window"
    );
    (serde_json::from_slice(&out.stdout).unwrap(), truth)
}

fn row<'a>(report: &'a Value, pattern: &str) -> &'a Value {
    report["windows"][0]["patterns"]
        .as_array()
        .expect("windows[0].patterns")
        .iter()
        .find(|r| r["pattern"] == pattern)
        .unwrap_or_else(|| panic!("no row for {pattern}: {report:#}"))
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// Every family's (and the stampede key's) lookups, hits and misses equal the truth.
fn assert_exact(report: &Value, truth: &Truth) {
    let fams = FAMILIES.iter().copied().chain([("promo", BURST_PATTERN)]);
    for (fam, pattern) in fams {
        let (lookups, misses) = truth.0[fam];
        let r = row(report, pattern);
        assert_eq!(u(&r["misses"]), misses, "{pattern} misses: {r}");
        assert_eq!(u(&r["lookups"]), lookups, "{pattern} lookups: {r}");
        assert_eq!(u(&r["hits"]), lookups - misses, "{pattern} hits: {r}");
        assert_eq!(r["estimated"], false, "{r}");
    }
}

fn assert_burst(report: &Value) {
    // the stampede key is its pattern's top missed key, counted exactly
    let r = row(report, BURST_PATTERN);
    assert_eq!(r["top_missed_key"], BURST_KEY, "{r}");
    assert_eq!(u(&r["top_missed_count"]), 50, "{r}");
    let bursts = report["windows"][0]["miss_bursts"].as_array().unwrap();
    let b = bursts
        .iter()
        .find(|b| b["key"] == BURST_KEY)
        .unwrap_or_else(|| {
            panic!(
                "no burst of {BURST_KEY}: {bursts:?} {}",
                row(report, BURST_PATTERN)
            )
        });
    // 50 misses in one pipeline: at least 25 of them in one wall-clock second
    assert!(u(&b["count"]) >= 25, "{b}");
    assert_eq!(b["pattern"], BURST_PATTERN);
    assert!(report["windows"][0]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r.as_str().unwrap().contains("simulate stampede")));
}

fn notify_config(s: &RedisServer) -> String {
    let v: Vec<String> = redis::cmd("CONFIG")
        .arg("GET")
        .arg("notify-keyspace-events")
        .query(&mut s.conn())
        .unwrap();
    v[1].clone()
}

#[test]
fn core_patterns_every_command_sampled_is_exact() {
    let s = RedisServer::start();
    let before = notify_config(&s);
    let mut app = App::standalone(&s);
    app.seed();
    let (report, truth) = observe(
        &s.url(),
        &mut app,
        1,
        "6s",
        Duration::from_secs(2),
        &["--sample-reads", "100%"],
    );
    assert_exact(&report, &truth);
    assert_burst(&report);
    let node = &report["windows"][0]["pattern_nodes"][0];
    assert_eq!(node["events_coverage_pct"], 100.0, "{node}");
    assert_eq!(report["patterns"]["events"], "on");
    // the flags were added for the run and put back exactly
    let change = &report["patterns"]["config_changes"][0];
    assert_eq!(change["original"], before.as_str());
    assert_eq!(change["restored"], true);
    assert_eq!(notify_config(&s), before);
}

#[test]
fn core_patterns_default_sample_rates_within_3_points_misses_exact() {
    let s = RedisServer::start();
    let mut app = App::standalone(&s);
    app.seed();
    let (report, truth) = observe(&s.url(), &mut app, 1, "10s", Duration::from_secs(7), &[]);
    let mut sum = 0;
    for (fam, pattern) in FAMILIES {
        let (lookups, misses) = truth.0[fam];
        let r = row(&report, pattern);
        assert_eq!(u(&r["misses"]), misses, "{pattern}: {r}");
        let want = (lookups - misses) as f64 * 100.0 / lookups as f64;
        let got = r["hit_rate_pct"].as_f64().unwrap();
        assert!(
            (got - want).abs() <= 3.0,
            "{pattern}: {got}% vs the application's {want:.1}%: {r}"
        );
        assert_eq!(r["estimated"], true);
        let (lo, hi) = (
            r["hit_rate_low_pct"].as_f64().unwrap(),
            r["hit_rate_high_pct"].as_f64().unwrap(),
        );
        assert!(lo <= got && got <= hi, "{r}");
        sum += u(&r["lookups"]);
    }
    sum += u(&row(&report, BURST_PATTERN)["lookups"]);
    // the scaled lookups add up to the server's exact count (rounding: one per pattern; a
    // pattern whose sample saw fewer lookups than its exact misses is raised to them: the
    // burst's 50 may fall between the slices)
    let node = &report["windows"][0]["pattern_nodes"][0];
    let info = u(&node["lookups"]);
    assert!(
        sum + 5 >= info && sum <= info + 55,
        "Σ lookups {sum} vs INFO {info}"
    );
    assert_eq!(u(&row(&report, BURST_PATTERN)["misses"]), 50);
    assert_burst(&report);
}

#[test]
fn core_patterns_sigint_mid_window_restores_the_servers_settings() {
    let s = RedisServer::start();
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("notify-keyspace-events")
        .arg("Kl")
        .query(&mut s.conn())
        .unwrap();
    let before = notify_config(&s);
    let child = spawn_report(&s.url(), &["--interval", "1h"]);
    wait_until(Duration::from_secs(60), "the run to add its flags", || {
        notify_config(&s) != before
    });
    let during = notify_config(&s);
    assert!(during.contains('m') && during.contains('E'), "{during}");
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(shell_code(out.status), Some(130));
    assert_eq!(notify_config(&s), before, "restored exactly");
}

#[test]
fn core_patterns_events_off_never_changes_the_server() {
    let s = RedisServer::start();
    let before = notify_config(&s);
    let mut app = App::standalone(&s);
    app.seed();
    let (report, truth) = observe(
        &s.url(),
        &mut app,
        1,
        "4s",
        Duration::from_millis(500),
        &["--sample-reads", "100%", "--events", "off"],
    );
    assert_eq!(notify_config(&s), before);
    assert_eq!(report["patterns"]["events"], "off");
    assert!(report["patterns"]["config_changes"]
        .as_array()
        .unwrap()
        .is_empty());
    // lookups from the sample alone; misses unknown
    let r = row(&report, "{hot}:item:*");
    assert_eq!(u(&r["lookups"]), truth.0["hot"].0);
    assert!(r["misses"].is_null() && r["hit_rate_pct"].is_null(), "{r}");
}

#[test]
fn patterns_on_a_3_primary_cluster_with_replicas_are_exact() {
    let c = Cluster::start(1);
    let mut app = App::cluster(&c);
    app.seed();
    c.sync_replicas();
    let (report, truth) = observe(
        &c.url(),
        &mut app,
        c.nodes.len(),
        "8s",
        Duration::from_secs(2),
        &["--sample-reads", "100%"],
    );
    assert_exact(&report, &truth);
    assert_burst(&report);
    let nodes = report["windows"][0]["pattern_nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 6, "every primary and replica is observed");
    // every node's flags were put back
    for s in &c.nodes {
        let v: Vec<String> = redis::cmd("CONFIG")
            .arg("GET")
            .arg("notify-keyspace-events")
            .query(&mut s.conn())
            .unwrap();
        assert_eq!(v[1], "", "{}", s.port);
    }
}
