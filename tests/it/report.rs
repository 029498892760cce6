use std::process::{Command, Stdio};
use std::time::Duration;

use serde::Deserialize;

use crate::support::{cachectl, calls, shell_code, wait_until, Cluster, Loader, RedisServer};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Out {
    url: String,
    cluster: bool,
    eviction_policy: Option<String>,
    windows: Vec<Window>,
    status: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Window {
    window: u64,
    started_at: String,
    interval_s: Option<f64>,
    nodes: Vec<Row>,
    total: Row,
    namespaces: Vec<Ns>,
    status: String,
    worst_node: Option<String>,
    recommendations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Row {
    node: String,
    role: String,
    keys: u64,
    hits: Option<u64>,
    misses: Option<u64>,
    hit_rate_pct: Option<f64>,
    lifetime_hit_rate_pct: Option<f64>,
    evicted: Option<u64>,
    expired: Option<u64>,
    eviction_pct: Option<f64>,
    used_memory: u64,
    maxmemory: u64,
    memory_pct: Option<f64>,
    ops_per_s: Option<f64>,
    p95_latency_ms: Option<f64>,
    repl_lag_bytes: Option<u64>,
    status: String,
    reasons: Vec<String>,
    uptime_s: u64,
    reset: bool,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Ns {
    namespace: String,
    metrics_key: String,
    hits: Option<u64>,
    misses: Option<u64>,
    hit_rate_pct: Option<f64>,
    lifetime_hit_rate_pct: Option<f64>,
    status: String,
}

/// `hits` GETs of existing keys and `misses` GETs of absent ones.
fn traffic(l: &mut Loader, hits: u64, misses: u64) {
    for i in 0..hits {
        l.cmd("GET", &format!("hot:{}", i % 100), &[]);
    }
    for i in 0..misses {
        l.cmd("GET", &format!("cold:{i}"), &[]);
    }
    l.flush();
}

fn seed_hot(l: &mut Loader) {
    for i in 0..100 {
        l.cmd("SET", &format!("hot:{i}"), &[&"v"]);
    }
    l.flush();
}

/// PINGs per node of a `report_during` window.
const PROBES: u64 = 50;

/// Start `cachectl report` in the background (JSON, a 2 s window), run `during` inside the
/// window: once the report's latency probes (PINGs after its first sample) are done.
fn report_during(url: &str, extra: &[&str], during: impl FnOnce()) -> (Option<i32>, Out, String) {
    let mut c = redis::Client::open(url).unwrap().get_connection().unwrap();
    let pings = calls(&mut c, "ping");
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let child = Command::new(bin)
        .args(["--url", url, "report", "--interval", "2s", "-o", "json"])
        .args(["--latency-samples", &PROBES.to_string()])
        .args(extra)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until(Duration::from_secs(60), "the report's first sample", || {
        calls(&mut c, "ping") >= pings + PROBES
    });
    during();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let parsed = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {err}"));
    (out.status.code(), parsed, err)
}

/// `report --since FILE` twice, `between` in between: the second run's window holds exactly
/// what `between` did, with no real window waited (for tests of what a window holds, not of
/// the interval itself).
fn since_twice(url: &str, extra: &[&str], between: impl FnOnce()) -> (Option<i32>, Out, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.since");
    let run = || {
        cachectl()
            .args(["--url", url, "report", "--since", file.to_str().unwrap()])
            .args(["--latency-samples", "5", "-o", "json"])
            .args(extra)
            .output()
            .unwrap()
    };
    let first = run();
    assert!(
        file.exists(),
        "the first run stores its sample: {}",
        String::from_utf8_lossy(&first.stderr)
    );
    between();
    let out = run();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let parsed: Out = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert!(
        parsed.windows[0].interval_s.is_some(),
        "a window since the first run: {err}"
    );
    (out.status.code(), parsed, err)
}

#[test]
fn window_of_2400_hits_and_600_misses_is_80_pct() {
    let s = RedisServer::start();
    seed_hot(&mut Loader::standalone(&s));
    // before the window: 1000 hits, 0 misses (lifetime only)
    traffic(&mut Loader::standalone(&s), 1000, 0);
    let (code, out, err) = report_during(&s.url(), &[], || {
        traffic(&mut Loader::standalone(&s), 2400, 600)
    });
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.cluster);
    let w = &out.windows[0];
    assert!((1.9..=2.5).contains(&w.interval_s.unwrap()));
    assert_eq!(w.nodes.len(), 1);
    let n = &w.nodes[0];
    assert_eq!((n.role.as_str(), n.keys), ("primary", 100));
    assert_eq!(
        (n.hits, n.misses, n.hit_rate_pct),
        (Some(2400), Some(600), Some(80.0))
    );
    assert_eq!(
        n.lifetime_hit_rate_pct,
        Some(85.0),
        "3400 of 4000 since start"
    );
    assert_eq!(
        (n.evicted, n.expired, n.eviction_pct),
        (Some(0), Some(0), Some(0.0))
    );
    assert!(n.p95_latency_ms.unwrap() > 0.0);
    assert!(n.used_memory > 0 && n.maxmemory == 0 && n.memory_pct.is_none());
    let ops = n.ops_per_s.unwrap();
    assert!(
        (1100.0..1600.0).contains(&ops),
        "3000 GETs in ~2 s, without our PINGs: {ops}"
    );
    assert_eq!(n.status, "OK");
    assert_eq!(
        (w.total.hits, w.total.misses, w.total.hit_rate_pct),
        (Some(2400), Some(600), Some(80.0))
    );
    assert_eq!(w.status, "OK");
    assert_eq!(out.status, "OK");
    assert!(w
        .recommendations
        .iter()
        .any(|r| r.contains("maxmemory is not set")));
}

#[test]
fn restart_or_resetstat_inside_the_window_is_unknown() {
    let mut s = RedisServer::start();
    seed_hot(&mut Loader::standalone(&s));
    traffic(&mut Loader::standalone(&s), 3000, 0);
    let url = s.url();
    let (code, out, err) = report_during(&url, &[], || s.restart(&[]));
    assert_eq!(code, Some(0), "UNKNOWN never fails a check: {err}");
    let n = &out.windows[0].nodes[0];
    assert_eq!(n.status, "UNKNOWN");
    assert!(n.reset && n.hit_rate_pct.is_none() && n.hits.is_none());
    assert!(n.reasons[0].contains("restarted"), "{:?}", n.reasons);
    assert_eq!(out.windows[0].status, "UNKNOWN");

    seed_hot(&mut Loader::standalone(&s));
    traffic(&mut Loader::standalone(&s), 3000, 0);
    let (_, out, _) = report_during(&url, &[], || {
        let _: () = redis::cmd("CONFIG")
            .arg("RESETSTAT")
            .query(&mut s.conn())
            .unwrap();
    });
    let n = &out.windows[0].nodes[0];
    assert_eq!(n.status, "UNKNOWN");
    assert!(
        n.reasons[0].contains("counters went down"),
        "{:?}",
        n.reasons
    );
}

fn lifetime_status(hits: u64, misses: u64, fail_on: &str) -> (Option<i32>, String, String) {
    let s = RedisServer::start();
    seed_hot(&mut Loader::standalone(&s));
    traffic(&mut Loader::standalone(&s), hits, misses);
    let out = cachectl()
        .args([
            "--url",
            &s.url(),
            "report",
            "--interval",
            "0",
            // the hit rate's verdict alone: p95 latency on a loaded machine can be CRIT
            "--latency-samples",
            "0",
            "--fail-on",
            fail_on,
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let v: Out = serde_json::from_slice(&out.stdout).unwrap();
    (
        out.status.code(),
        v.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_codes_at_each_fail_on_level() {
    // healthy: 100% of 2000 lookups
    assert_eq!(lifetime_status(2000, 0, "warn").0, Some(0));
    // 75%: WARN
    let (code, st, _) = lifetime_status(1500, 500, "warn");
    assert_eq!((code, st.as_str()), (Some(3), "WARN"));
    assert_eq!(lifetime_status(1500, 500, "crit").0, Some(0));
    // 50%: CRIT
    let (code, st, err) = lifetime_status(1000, 1000, "crit");
    assert_eq!((code, st.as_str()), (Some(3), "CRIT"));
    assert!(err.contains("hit rate 50% < 70%"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);
    assert_eq!(lifetime_status(1000, 1000, "never").0, Some(0));
    // too few lookups: UNKNOWN, never a failure
    let (code, st, _) = lifetime_status(10, 10, "warn");
    assert_eq!((code, st.as_str()), (Some(0), "UNKNOWN"));
}

#[test]
fn lifetime_report_is_labelled_with_uptime_and_thresholds_come_from_the_profile() {
    let s = RedisServer::start();
    seed_hot(&mut Loader::standalone(&s));
    traffic(&mut Loader::standalone(&s), 1700, 300); // 85%
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("strict.yaml");
    std::fs::write(&p, "name: strict\nslo:\n  hit_rate_pct: { warn_below: 95, crit_below: 90 }\n  min_lookups: 100\n").unwrap();
    let out = cachectl()
        .args([
            "--url",
            &s.url(),
            "-P",
            p.to_str().unwrap(),
            "report",
            "--interval",
            "0",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Out = serde_json::from_slice(&out.stdout).unwrap();
    let w = &v.windows[0];
    assert!(w.interval_s.is_none());
    assert_eq!(w.nodes[0].hit_rate_pct, Some(85.0));
    assert_eq!(w.nodes[0].status, "CRIT");
    assert!(w.nodes[0].uptime_s < 60);
    let table = cachectl()
        .args(["--url", &s.url(), "report", "--interval", "0"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&table.stdout).contains("lifetime counters (uptime"));
}

#[test]
fn namespace_hit_rates_from_metrics_keys() {
    let s = RedisServer::start();
    let mut c = s.conn();
    // counters before the window
    let _: () = redis::cmd("HSET")
        .arg("cache:metrics:plan_catalog")
        .arg("hits")
        .arg(100)
        .arg("misses")
        .arg(100)
        .query(&mut c)
        .unwrap();
    let url = s.url();
    let (_, out, err) = report_during(&url, &["-P", "profiles/treebeard.yaml"], || {
        let mut c = s.conn();
        let _: () = redis::cmd("HINCRBY")
            .arg("cache:metrics:plan_catalog")
            .arg("hits")
            .arg(1600)
            .query(&mut c)
            .unwrap();
        let _: () = redis::cmd("HINCRBY")
            .arg("cache:metrics:plan_catalog")
            .arg("misses")
            .arg(400)
            .query(&mut c)
            .unwrap();
        let _: () = redis::cmd("HINCRBY")
            .arg("cache:metrics:user_profile")
            .arg("hits")
            .arg(5)
            .query(&mut c)
            .unwrap();
    });
    let w = &out.windows[0];
    let plans = w
        .namespaces
        .iter()
        .find(|n| n.namespace == "plan_catalog")
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(
        (plans.hits, plans.misses, plans.hit_rate_pct),
        (Some(1600), Some(400), Some(80.0))
    );
    assert_eq!(plans.lifetime_hit_rate_pct, Some(77.3)); // 1700 / 2200
    assert_eq!(plans.status, "OK");
    let users = w
        .namespaces
        .iter()
        .find(|n| n.namespace == "user_profile")
        .unwrap();
    assert_eq!((users.hits, users.status.as_str()), (Some(5), "UNKNOWN"));
    assert_eq!(
        w.namespaces.len(),
        5,
        "every treebeard namespace has a metrics_key"
    );
    // the report's own HGETALLs are outside the window: no hits or misses counted on the node
    assert_eq!((w.nodes[0].hits, w.nodes[0].misses), (Some(0), Some(0)));
}

#[test]
fn append_writes_history_over_runs_and_prometheus_parses() {
    let s = RedisServer::start();
    seed_hot(&mut Loader::standalone(&s));
    traffic(&mut Loader::standalone(&s), 1200, 0);
    let dir = tempfile::tempdir().unwrap();
    let hist = dir.path().join("history.csv");
    for _ in 0..2 {
        cachectl()
            .args([
                "--url",
                &s.url(),
                "report",
                "--interval",
                "0",
                "--append",
                hist.to_str().unwrap(),
                // history, not verdicts: p95 latency on a loaded machine can be CRIT (exit 3)
                "--fail-on",
                "never",
            ])
            .assert()
            .success();
    }
    let text = std::fs::read_to_string(&hist).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[2], "node");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4, "node + total per run, header once: {text}");
    assert_eq!(text.matches("window,started_at").count(), 1);
    assert_eq!(&rows[1][2], "total");
    // --count 2 windows in one run
    let out = cachectl()
        .args([
            "--url",
            &s.url(),
            "report",
            "--interval",
            "200ms",
            "--count",
            "2",
            "--latency-samples",
            "5",
            "-o",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1 + 2 * 2);
    // prometheus text exposition
    let out = cachectl()
        .args([
            "--url",
            &s.url(),
            "report",
            "--interval",
            "0",
            "--fail-on",
            "never",
            "-o",
            "prometheus",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut samples = 0;
    for line in text.lines() {
        if line.starts_with('#') {
            assert!(
                line.starts_with("# HELP cachectl_") || line.starts_with("# TYPE cachectl_"),
                "{line}"
            );
            continue;
        }
        let (name_labels, value) = line.rsplit_once(' ').unwrap();
        value.parse::<f64>().unwrap_or_else(|_| panic!("{line}"));
        let (name, labels) = name_labels.split_once('{').unwrap();
        assert!(
            name.starts_with("cachectl_")
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{line}"
        );
        assert!(
            labels.ends_with('}') && labels.contains("node=\"") && labels.contains("role=\""),
            "{line}"
        );
        samples += 1;
    }
    assert!(samples > 20);
    assert!(
        text.contains("cachectl_hit_rate_pct{node=\"total\",role=\"total\"} 100"),
        "{text}"
    );
    // prometheus is only for report; bad values are usage errors
    cachectl()
        .args(["--url", &s.url(), "analyze", "-o", "prometheus"])
        .assert()
        .code(2);
    cachectl()
        .args(["--url", &s.url(), "report", "--count", "0"])
        .assert()
        .code(2);
    cachectl()
        .args(["--url", &s.url(), "report", "--fail-on", "sometimes"])
        .assert()
        .code(2);
}

#[test]
fn cluster_with_replicas_lists_every_node_and_a_correct_total() {
    let c = Cluster::start(1);
    seed_hot(&mut Loader::cluster(&c));
    let url = c.url();
    // not a test of the SLO verdict: on a loaded 2-core machine p95 may pass 10 ms (CRIT)
    let (code, out, err) = since_twice(&url, &["--fail-on", "never"], || {
        traffic(&mut Loader::cluster(&c), 2400, 600)
    });
    assert_eq!(code, Some(0), "{err}");
    assert!(out.cluster);
    let w = &out.windows[0];
    assert_eq!(
        w.nodes.len(),
        6,
        "{:?}",
        w.nodes
            .iter()
            .map(|n| (&n.node, &n.role))
            .collect::<Vec<_>>()
    );
    assert_eq!(w.nodes.iter().filter(|n| n.role == "primary").count(), 3);
    assert_eq!(w.nodes.iter().filter(|n| n.role == "replica").count(), 3);
    assert!(w
        .nodes
        .iter()
        .filter(|n| n.role == "replica")
        .all(|n| n.repl_lag_bytes.is_some()));
    let primary_hits: u64 = w
        .nodes
        .iter()
        .filter(|n| n.role == "primary")
        .map(|n| n.hits.unwrap())
        .sum();
    assert_eq!(primary_hits, 2400);
    assert_eq!(
        (w.total.hits, w.total.misses, w.total.hit_rate_pct),
        (Some(2400), Some(600), Some(80.0))
    );
    assert_eq!(w.total.keys, 100, "keys of primaries only");
    assert!(w.worst_node.is_some());
}

/// `--watch` draws lifetime figures at once (window 0), then each window; with -o csv/json one
/// record per window (CSV header once), no screen clearing; `--count N` ends after N windows.
#[test]
fn watch_first_frame_at_once_then_each_window_in_the_output_format() {
    let s = RedisServer::start();
    seed_hot(&mut Loader::standalone(&s));
    let run = |fmt: &str| {
        let out = cachectl()
            .args([
                "--url",
                &s.url(),
                "report",
                "--watch",
                "--interval",
                "200ms",
            ])
            .args(["--count", "2", "--latency-samples", "5", "-o", fmt])
            // frames, not verdicts: p95 latency on a loaded machine can be CRIT (exit 3)
            .args(["--fail-on", "never"])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !text.contains('\x1b'),
            "no screen control when piped: {text:?}"
        );
        text
    };
    let csv = run("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("window,started_at,node,"), "{csv}");
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("window,")).count(),
        1,
        "{csv}"
    );
    let windows: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    // node + total per window
    assert_eq!(windows, ["0", "0", "1", "1", "2", "2"], "{csv}");
    let json = run("json");
    let frames: Vec<Out> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(frames.len(), 3, "{json}");
    assert_eq!(frames[0].windows[0].window, 0);
    assert_eq!(
        frames[0].windows[0].interval_s, None,
        "the first frame: lifetime counters"
    );
    assert_eq!(frames[2].windows[0].window, 2);
    assert!(frames[2].windows[0].interval_s.is_some());
    let table = run("table");
    assert_eq!(table.matches("hit rate").count(), 3, "{table}");
    // --count 0 stays a usage error
    cachectl()
        .args(["--url", &s.url(), "report", "--watch", "--count", "0"])
        .assert()
        .code(2);
}

/// Ctrl-C ends `--watch` (exit 130) after the frames drawn so far, nothing printed twice; the
/// first frame does not wait for the (here hour-long) window.
#[test]
fn watch_stops_on_ctrl_c_and_does_not_wait_for_the_first_window() {
    use std::io::{BufRead, BufReader, Read};
    let s = RedisServer::start();
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let mut child = Command::new(bin)
        .args(["--url", &s.url(), "report", "--watch", "--interval", "1h"])
        .args(["--latency-samples", "5", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        let mut rest = String::new();
        let _ = tx.send(first);
        out.read_to_string(&mut rest).unwrap();
        let _ = tx.send(rest);
    });
    // a guard against hanging, not a timing check: the window is an hour long
    let first = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the first frame before the first window ends");
    let frame: Out = serde_json::from_str(&first).unwrap();
    assert_eq!(frame.windows[0].window, 0);
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    let rest = rx.recv_timeout(Duration::from_secs(60)).unwrap();
    assert_eq!(shell_code(status), Some(130));
    assert_eq!(rest, "", "nothing after the frames");
}
