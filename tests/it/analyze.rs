use std::collections::HashMap;
use std::process::Command;

use serde::Deserialize;

use crate::support::{cachectl, json, Cluster, Loader, RedisServer};

#[derive(Debug, Deserialize)]
struct Report {
    scanned_keys: u64,
    total_keys: u64,
    sampled: bool,
    duration_ms: u64,
    cluster: bool,
    eviction_policy: Option<String>,
    access_stat: String,
    interrupted: bool,
    nodes: Vec<NodeRow>,
    patterns: Vec<Pattern>,
    big_keys: Vec<BigKey>,
    findings: Vec<Finding>,
}

#[derive(Debug, Deserialize)]
struct NodeRow {
    node: String,
    role: String,
    dbsize: u64,
    scanned_keys: u64,
    probed_keys: u64,
}

#[derive(Debug, Deserialize)]
struct Pattern {
    pattern: String,
    namespace: Option<String>,
    keys: u64,
    keys_pct: f64,
    memory_bytes: u64,
    memory_pct: f64,
    avg_bytes: u64,
    max_bytes: u64,
    types: HashMap<String, u64>,
    no_ttl_keys: u64,
    ttl_p50_s: Option<u64>,
    ttl_max_s: Option<u64>,
    idle_p50_s: Option<u64>,
    freq_p50: Option<u64>,
    example_key: String,
}

#[derive(Debug, Deserialize)]
struct BigKey {
    key: String,
    r#type: String,
    bytes: u64,
    pattern: String,
}

#[derive(Debug, Deserialize)]
struct Finding {
    severity: String,
    pattern: String,
    message: String,
}

fn analyze(url: &str, extra: &[&str]) -> Report {
    let mut args = vec!["--url", url, "analyze"];
    args.extend_from_slice(extra);
    serde_json::from_value(json(&args)).expect("report shape")
}

fn by_pattern(r: &Report) -> HashMap<&str, &Pattern> {
    r.patterns.iter().map(|p| (p.pattern.as_str(), p)).collect()
}

/// Deterministic pseudo-random 64-bit values (splitmix64).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D049BB133111EB);
    x ^ (x >> 31)
}

fn md5_like(i: u64) -> String {
    format!("{:016x}{:016x}", mix(i), mix(i + 1_000_000_007))
}

fn uuid_like(i: u64) -> String {
    let h = format!("{:016x}{:016x}", mix(i * 3), mix(i * 7 + 1));
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The keyspace: 200k keys over six namespaces, strings/hashes/lists/zsets.
/// Returns the expected (pattern -> keys).
fn seed_realistic(l: &mut Loader, scale: u64) -> Vec<(&'static str, u64)> {
    let n = scale;
    for i in 0..n * 4 {
        let v = "p".repeat(40 + (i % 120) as usize);
        l.cmd(
            "SET",
            &format!("user_profile:v1:user_{i}"),
            &[&v, &"EX", &(86_000 + i % 400)],
        );
        l.cmd(
            "SET",
            &format!("cache:response:{}", md5_like(i)),
            &[&"{\"ok\":true}", &"EX", &(240 + i % 60)],
        );
        l.cmd(
            "SET",
            &format!("session:{}", uuid_like(i)),
            &[&"s", &"EX", &1800],
        );
        l.cmd(
            "HSET",
            &format!("usage_analysis:v1:user_{}:2024-{:02}", i / 12, i % 12 + 1),
            &[&"kwh", &(i % 900), &"cost", &(i % 77)],
        );
    }
    for i in 0..n * 3 {
        l.cmd(
            "RPUSH",
            &format!("app:lake:user:{i}:profile"),
            &[&"name", &"plan", &"zip"],
        );
    }
    for i in 0..n {
        l.cmd(
            "ZADD",
            &format!("leaderboard:game_{i}"),
            &[&1, &"a", &2, &"b"],
        );
    }
    l.flush();
    vec![
        ("user_profile:v1:user_*", n * 4),
        ("cache:response:*", n * 4),
        ("session:*", n * 4),
        ("usage_analysis:v1:user_*:*", n * 4),
        ("app:lake:user:*:profile", n * 3),
        ("leaderboard:game_*", n),
    ]
}

/// Σ bytes of `redis-cli --memkeys --memkeys-samples 0` summary lines.
fn redis_cli_memkeys_total(port: u16) -> u64 {
    let out = Command::new("redis-cli")
        .args([
            "-p",
            &port.to_string(),
            "--memkeys",
            "--memkeys-samples",
            "0",
        ])
        .output()
        .expect("redis-cli");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once(" with ")?;
            rest.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum()
}

#[test]
fn realistic_keyspace_one_pattern_per_namespace_exact_counts() {
    let s = RedisServer::start();
    let seeding = std::time::Instant::now();
    let expected = seed_realistic(&mut Loader::standalone(&s), 10_000);
    let dbsize = s.dbsize();
    assert_eq!(dbsize, 200_000);
    let r = analyze(&s.url(), &[]);
    // TTLs run down while the keys are written and probed: on a loaded machine that is
    // half a minute, so the windows below widen by what this test took (never narrower than
    // 10 s, and the reservoir's median of 240..300 s may sit a few seconds off 270)
    let ran = seeding.elapsed().as_secs() + 1;
    assert!(!r.sampled && !r.interrupted && !r.cluster);
    assert_eq!(r.total_keys, dbsize);
    assert_eq!(r.scanned_keys, dbsize);
    assert_eq!(r.nodes.len(), 1);
    assert_eq!(r.nodes[0].role, "primary");
    assert_eq!(r.eviction_policy.as_deref(), Some("noeviction"));
    assert_eq!(r.access_stat, "idle");
    let pats = by_pattern(&r);
    assert_eq!(
        r.patterns.len(),
        expected.len(),
        "{:?}",
        r.patterns
            .iter()
            .map(|p| (&p.pattern, p.keys))
            .collect::<Vec<_>>()
    );
    for (pat, keys) in &expected {
        let p = pats
            .get(pat)
            .unwrap_or_else(|| panic!("missing pattern {pat}"));
        assert_eq!(p.keys, *keys, "{pat}");
        assert!(p.namespace.is_none());
        assert!(cachectl::glob::matches(
            pat.as_bytes(),
            p.example_key.as_bytes()
        ));
    }
    assert_eq!(r.patterns.iter().map(|p| p.keys).sum::<u64>(), dbsize);
    let pct: f64 = r.patterns.iter().map(|p| p.keys_pct).sum();
    assert!((pct - 100.0).abs() < 0.1, "{pct}");

    // types, TTLs, memory figures
    let up = pats["user_profile:v1:user_*"];
    assert_eq!(up.types.get("string"), Some(&40_000));
    assert_eq!(up.no_ttl_keys, 0);
    assert!((85_990..=86_400).contains(&up.ttl_max_s.unwrap()));
    assert!(up.max_bytes >= up.avg_bytes && up.avg_bytes > 0);
    assert_eq!(
        up.avg_bytes,
        (up.memory_bytes as f64 / up.keys as f64).round() as u64
    );
    let ua = pats["usage_analysis:v1:user_*:*"];
    assert_eq!(ua.types.get("hash"), Some(&40_000));
    assert_eq!(ua.no_ttl_keys, 40_000);
    assert_eq!(ua.ttl_p50_s, None);
    let cr = pats["cache:response:*"];
    assert!(
        (260u64.saturating_sub(ran).min(230)..=300).contains(&cr.ttl_p50_s.unwrap()),
        "{:?} after {ran}s",
        cr.ttl_p50_s
    );
    assert!(cr.idle_p50_s.is_some() && cr.freq_p50.is_none());
    assert_eq!(pats["leaderboard:game_*"].types.get("zset"), Some(&10_000));
    assert_eq!(
        pats["app:lake:user:*:profile"].types.get("list"),
        Some(&30_000)
    );
    let session = pats["session:*"].ttl_p50_s.unwrap();
    assert!(
        ((1800 - ran).min(1790)..=1800).contains(&session),
        "{session} after {ran}s"
    );

    // memory equals redis-cli --memkeys-samples 0 within 1%
    let ours: u64 = r.patterns.iter().map(|p| p.memory_bytes).sum();
    let theirs = redis_cli_memkeys_total(s.port);
    let diff = (ours as f64 - theirs as f64).abs() / theirs as f64;
    assert!(diff < 0.01, "cachectl {ours} vs redis-cli {theirs}");
    let mem_pct: f64 = r.patterns.iter().map(|p| p.memory_pct).sum();
    assert!((mem_pct - 100.0).abs() < 0.1);

    // sorted by memory, descending
    assert!(r
        .patterns
        .windows(2)
        .all(|w| w[0].memory_bytes >= w[1].memory_bytes));
    // findings: keys without TTL
    assert!(r
        .findings
        .iter()
        .any(|f| f.pattern == "usage_analysis:v1:user_*:*"
            && f.message.contains("no TTL")
            && f.severity == "warning"));
    assert!(r.duration_ms > 0);
}

#[test]
fn cluster_all_primaries_covered_counts_exact() {
    let c = Cluster::start(0);
    let expected = seed_realistic(&mut Loader::cluster(&c), 1_000);
    let total = c.total_dbsize();
    assert_eq!(total, 20_000);
    let r = analyze(&c.url(), &[]);
    assert!(r.cluster);
    assert_eq!(r.nodes.len(), 3);
    let mut ports: Vec<u16> = r
        .nodes
        .iter()
        .map(|n| n.node.rsplit(':').next().unwrap().parse().unwrap())
        .collect();
    ports.sort();
    assert_eq!(ports, c.primary_ports());
    for n in &r.nodes {
        assert_eq!(n.role, "primary");
        assert_eq!(n.scanned_keys, n.dbsize);
        assert!(n.dbsize > 0);
    }
    assert_eq!(r.total_keys, total);
    let pats = by_pattern(&r);
    assert_eq!(r.patterns.len(), expected.len());
    for (pat, keys) in &expected {
        assert_eq!(pats[pat].keys, *keys, "{pat}");
    }
    // `--cluster` with a seed list; a dead seed first is skipped
    let seeds = format!("redis://127.0.0.1:1,{}", c.nodes[1].url());
    let r2 = analyze(&seeds, &["--cluster"]);
    assert_eq!(r2.scanned_keys, total);
}

#[test]
fn cluster_replicas_flag_scans_replicas() {
    let c = Cluster::start(1);
    let mut l = Loader::cluster(&c);
    for i in 0..3000 {
        l.cmd("SET", &format!("item:{i}"), &[&"v"]);
    }
    l.flush();
    drop(l);
    // replication is asynchronous: wait until every replica has caught up
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let r = analyze(&c.url(), &["--replicas"]);
        assert_eq!(r.nodes.len(), 3);
        assert!(r.nodes.iter().all(|n| n.role == "replica"), "{:?}", r.nodes);
        if r.scanned_keys == 3000 || std::time::Instant::now() > deadline {
            assert_eq!(r.scanned_keys, 3000);
            assert_eq!(by_pattern(&r)["item:*"].keys, 3000);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

fn idle_times(s: &RedisServer, keys: &[String]) -> Vec<i64> {
    let mut c = s.conn();
    keys.iter()
        .map(|k| {
            redis::cmd("OBJECT")
                .arg("IDLETIME")
                .arg(k)
                .query(&mut c)
                .unwrap()
        })
        .collect()
}

#[test]
fn analysis_leaves_idle_time_and_lfu_counters_unchanged() {
    let s = RedisServer::start();
    let keys: Vec<String> = (0..200).map(|i| format!("idle:key:{i}")).collect();
    {
        let mut l = Loader::standalone(&s);
        for (i, k) in keys.iter().enumerate() {
            l.cmd("SET", k, &[&i]);
        }
    }
    // OBJECT IDLETIME touches nothing: wait until the last key written has idled 2 s
    crate::support::wait_until(std::time::Duration::from_secs(60), "2 s idle", || {
        idle_times(&s, &keys[199..])[0] >= 2
    });
    let before = idle_times(&s, &keys);
    assert!(before.iter().all(|&t| t >= 2), "{before:?}");
    let r = analyze(&s.url(), &[]);
    assert_eq!(r.scanned_keys, 200);
    let after = idle_times(&s, &keys);
    for (b, a) in before.iter().zip(&after) {
        assert!(a >= b, "idle time reset by analyze: before {b}, after {a}");
    }
    let p = &r.patterns[0];
    assert!(p.idle_p50_s.unwrap() >= 2);

    // LFU: OBJECT FREQ is read instead, and the counters do not move
    let mut c = s.conn();
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("maxmemory-policy")
        .arg("allkeys-lfu")
        .query(&mut c)
        .unwrap();
    for _ in 0..50 {
        let _: Option<String> = redis::cmd("GET").arg(&keys[0]).query(&mut c).unwrap();
    }
    let freq = |c: &mut redis::Connection| -> Vec<i64> {
        keys.iter()
            .map(|k| redis::cmd("OBJECT").arg("FREQ").arg(k).query(c).unwrap())
            .collect()
    };
    let f0 = freq(&mut c);
    let r = analyze(&s.url(), &[]);
    assert_eq!(r.access_stat, "freq");
    assert_eq!(r.eviction_policy.as_deref(), Some("allkeys-lfu"));
    assert!(r.patterns[0].freq_p50.is_some() && r.patterns[0].idle_p50_s.is_none());
    assert_eq!(freq(&mut c), f0, "LFU counters changed by analyze");
}

#[test]
fn sample_extrapolates_from_dbsize() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..20_000 {
            l.cmd("SET", &format!("a:{i}"), &[&"x"]);
            l.cmd("SET", &format!("b:{i}"), &[&"y"]);
        }
    }
    let r = analyze(&s.url(), &["--sample", "4000"]);
    assert!(r.sampled);
    assert_eq!(r.scanned_keys, 4000);
    assert_eq!(r.nodes[0].probed_keys, 4000);
    assert_eq!(r.total_keys, 40_000);
    let pats = by_pattern(&r);
    for p in ["a:*", "b:*"] {
        let k = pats[p].keys as f64;
        assert!((16_000.0..24_000.0).contains(&k), "{p}: {k}");
    }
    let sum: u64 = r.patterns.iter().map(|p| p.keys).sum();
    assert!((39_990..=40_010).contains(&sum), "{sum}");
    // with a filter, the sample is still extrapolated from the keys examined
    let r = analyze(&s.url(), &["--sample", "4000", "--match", "a:*"]);
    assert_eq!(r.patterns.len(), 1);
    assert!((16_000..24_000).contains(&r.patterns[0].keys));
    // a sample bigger than the keyspace is a full, exact scan
    let r = analyze(&s.url(), &["--sample", "100000"]);
    assert!(!r.sampled);
    assert_eq!(by_pattern(&r)["a:*"].keys, 20_000);
}

#[test]
fn match_type_top_and_rate() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..1000 {
            l.cmd("SET", &format!("session:{}", uuid_like(i)), &[&"s"]);
            l.cmd("HSET", &format!("user:{i}"), &[&"f", &"v"]);
            l.cmd("SADD", &format!("tags:{i}"), &[&"a"]);
        }
    }
    let r = analyze(&s.url(), &["--match", "session:*"]);
    assert_eq!(r.patterns.len(), 1);
    assert_eq!(r.patterns[0].pattern, "session:*");
    assert_eq!(r.patterns[0].keys, 1000);
    let r = analyze(&s.url(), &["--type", "hash"]);
    assert_eq!(r.patterns.len(), 1);
    assert_eq!(r.patterns[0].pattern, "user:*");
    let r = analyze(&s.url(), &["--top", "2"]);
    assert_eq!(r.patterns.len(), 2);
    assert_eq!(r.total_keys, 3000);
    // --rate caps keys/s: 3000 keys at 6000/s cannot finish in under ~0.45 s
    let t = std::time::Instant::now();
    let r = analyze(&s.url(), &["--rate", "6000/s", "--scan-count", "100"]);
    assert_eq!(r.scanned_keys, 3000);
    assert!(
        t.elapsed() >= std::time::Duration::from_millis(400),
        "{:?}",
        t.elapsed()
    );
    // bad values are usage errors
    for bad in [
        vec!["--type", "blob"],
        vec!["--sample", "0"],
        vec!["--scan-count", "0"],
        vec!["--rate", "fast"],
        vec!["--separators", ""],
    ] {
        let mut args = vec!["--url".to_string(), s.url(), "analyze".into()];
        args.extend(bad.iter().map(|s| s.to_string()));
        cachectl().args(&args).assert().code(2).stdout("");
    }
}

#[test]
fn profile_namespaces_and_findings() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..500 {
            l.cmd(
                "SET",
                &format!("plan_catalog:v1:plan_{i}"),
                &[&"{}", &"EX", &(3000 + i)],
            );
            // TTL far above the profile's 24h + 10%
            l.cmd(
                "SET",
                &format!("user_profile:v1:user_{i}"),
                &[&"{}", &"EX", &(30 * 86_400)],
            );
            l.cmd("SET", &format!("recommendations:v1:user_{i}"), &[&"{}"]); // no TTL
            l.cmd("SET", &format!("orphan:thing_{i}"), &[&"x", &"EX", &60]);
        }
        l.cmd("SET", "blob:big", &[&"x".repeat(2 * 1024 * 1024)]);
    }
    let r = analyze(&s.url(), &["-P", "profiles/treebeard.yaml"]);
    let pats = by_pattern(&r);
    assert_eq!(
        pats["plan_catalog:v1:*"].namespace.as_deref(),
        Some("plan_catalog")
    );
    assert_eq!(pats["plan_catalog:v1:*"].keys, 500);
    assert_eq!(
        pats["user_profile:v1:*"].namespace.as_deref(),
        Some("user_profile")
    );
    assert!(pats["orphan:thing_*"].namespace.is_none());
    let find = |pat: &str, needle: &str| {
        r.findings
            .iter()
            .find(|f| f.pattern == pat && f.message.contains(needle))
            .unwrap_or_else(|| panic!("no finding `{needle}` for {pat}: {:#?}", r.findings))
    };
    assert_eq!(find("recommendations:v1:*", "no TTL").severity, "critical");
    assert_eq!(
        find("user_profile:v1:*", "longer than the profile allows").severity,
        "warning"
    );
    assert_eq!(
        find("orphan:thing_*", "outside every profile namespace").severity,
        "info"
    );
    assert_eq!(find("user_profile:v1:*", "same minute").severity, "warning");
    find("blob:big", "big key");
    assert_eq!(r.big_keys[0].key, "blob:big");
    assert_eq!(r.big_keys[0].r#type, "string");
    assert!(r.big_keys[0].bytes > 2 * 1024 * 1024);
    assert_eq!(r.big_keys[0].pattern, "blob:big");
    // plan TTLs are spread over 500 s: no mass-expiry finding there
    assert!(!r
        .findings
        .iter()
        .any(|f| f.pattern == "plan_catalog:v1:*" && f.message.contains("same minute")));

    // Datapunk key formats, by name through $CACHECTL_PROFILE_PATH
    let s2 = RedisServer::start();
    {
        let mut l = Loader::standalone(&s2);
        l.cmd("SET", "app:lake:user:123:profile", &[&"x"]);
        l.cmd("SET", "app:stream:event:456", &[&"x"]);
        l.cmd("SET", "mesh:lake:retry:operation_123", &[&"x"]);
        l.cmd("SET", "coord:nexus:ratelimit:api_789", &[&"x"]);
        l.cmd("SET", "other:1", &[&"x"]);
    }
    let out = cachectl()
        .env("CACHECTL_PROFILE_PATH", env!("CARGO_MANIFEST_DIR"))
        .args([
            "--url",
            &s2.url(),
            "-P",
            "datapunk",
            "analyze",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    let pats = by_pattern(&r);
    assert_eq!(pats["app:*:*:*"].keys, 2);
    assert_eq!(pats["app:*:*:*"].namespace.as_deref(), Some("app"));
    assert_eq!(pats["mesh:*:*:*"].namespace.as_deref(), Some("mesh"));
    assert_eq!(pats["coord:*:*:*"].namespace.as_deref(), Some("coord"));
    assert!(pats["other:*"].namespace.is_none());
}

#[test]
fn cardinality_guard_keeps_patterns_few() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        // 3000 distinct literal words in the middle position: no rule sees them as variables
        for i in 0..3000u64 {
            let word: String = (0..8)
                .map(|j| (b'a' + ((mix(i * 8 + j) % 26) as u8)) as char)
                .collect();
            l.cmd("SET", &format!("feature:{word}:enabled"), &[&"1"]);
        }
    }
    let r = analyze(&s.url(), &[]);
    let total: u64 = r.patterns.iter().map(|p| p.keys).sum();
    assert_eq!(total, s.dbsize());
    assert_eq!(
        r.patterns.len(),
        1,
        "{:?}",
        r.patterns.iter().map(|p| &p.pattern).collect::<Vec<_>>()
    );
    assert_eq!(r.patterns[0].pattern, "feature:*:enabled");
}

#[test]
fn csv_and_table_outputs() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..100 {
            l.cmd(
                "SET",
                &format!("user_profile:v1:user_{i}"),
                &[&"x", &"EX", &600],
            );
            l.cmd("HSET", &format!("h:{i}"), &[&"a", &"b"]);
        }
    }
    let out = cachectl()
        .args(["--url", &s.url(), "analyze", "-o", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    for h in [
        "pattern",
        "namespace",
        "keys",
        "keys_pct",
        "memory_bytes",
        "memory_pct",
        "avg_bytes",
        "max_bytes",
        "types",
        "no_ttl_keys",
        "ttl_p50_s",
        "ttl_max_s",
        "idle_p50_s",
        "example_key",
    ] {
        assert!(headers.contains(&h.to_string()), "missing CSV column {h}");
    }
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let keys_col = headers.iter().position(|h| h == "keys").unwrap();
    assert!(rows.iter().all(|r| r[keys_col] == *"100"));
    let table = cachectl()
        .args(["--url", &s.url(), "analyze"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("PATTERN") && text.contains("user_profile:v1:user_*"));
    assert!(text.contains("h:*"));
    assert!(
        !text.contains('\u{1b}'),
        "no color escapes when not a terminal"
    );
}

#[test]
fn empty_database_is_not_an_error() {
    let s = RedisServer::start();
    let r = analyze(&s.url(), &[]);
    assert_eq!(r.total_keys, 0);
    assert!(r.patterns.is_empty() && r.findings.is_empty());
    // db number in the URL selects the database
    {
        let mut c = s.conn();
        let _: () = redis::cmd("SELECT").arg(3).query(&mut c).unwrap();
        let _: () = redis::cmd("SET")
            .arg("in:db3")
            .arg("x")
            .query(&mut c)
            .unwrap();
    }
    let r = analyze(&format!("{}/3", s.url()), &[]);
    assert_eq!(r.total_keys, 1);
    assert_eq!(r.patterns[0].pattern, "in:db3");
}

/// `HSET`/`SADD` of `n` generated members to `key`, 1000 per command, in one pipeline.
fn fill_collection(c: &mut redis::Connection, cmd: &str, key: &str, n: usize) {
    let mut pipe = redis::pipe();
    for base in (0..n).step_by(1000) {
        let mut one = redis::cmd(cmd);
        one.arg(key);
        for i in base..(base + 1000).min(n) {
            one.arg(format!("member:{i:07}"));
            if cmd == "HSET" {
                one.arg(format!("value-{i}"));
            }
        }
        pipe.add_command(one).ignore();
    }
    pipe.query::<()>(c).unwrap();
}

fn keyspace_hits(c: &mut redis::Connection) -> u64 {
    let info: String = redis::cmd("INFO").arg("stats").query(c).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("keyspace_hits:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("keyspace_hits in INFO stats")
}

/// Commands the SLOWLOG recorded from cachectl's connections (client name `cachectl`):
/// (microseconds, the command line).
fn slow_commands(c: &mut redis::Connection) -> Vec<(i64, String)> {
    let log: Vec<redis::Value> = redis::cmd("SLOWLOG").arg("GET").arg(1000).query(c).unwrap();
    log.into_iter()
        .filter_map(|e| {
            let redis::Value::Array(f) = e else {
                return None;
            };
            let text = |v: &redis::Value| match v {
                redis::Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
                redis::Value::SimpleString(s) => s.clone(),
                _ => String::new(),
            };
            let micros = match f.get(2) {
                Some(redis::Value::Int(m)) => *m,
                _ => 0,
            };
            let args = match f.get(3) {
                Some(redis::Value::Array(a)) => a.iter().map(text).collect::<Vec<_>>().join(" "),
                _ => String::new(),
            };
            (f.get(5).map(text).as_deref() == Some("cachectl")).then_some((micros, args))
        })
        .collect()
}

/// Issue 23 (6): `MEMORY USAGE … SAMPLES 0` on a 300,000-field hash holds the server for
/// hundreds of milliseconds. analyze and analyze --detail measure big collections from a
/// bounded sample, mark their sizes estimated (JSON and table), keep exact sizes for the
/// rest, and no call they make shows in a 10 ms SLOWLOG.
#[test]
fn big_collections_are_estimated_and_never_block_the_server() {
    let s = RedisServer::start();
    let mut c = s.conn();
    fill_collection(&mut c, "HSET", "big:hash", 300_000);
    fill_collection(&mut c, "SADD", "big:set", 300_000);
    // hashtable-encoded, but under the sample bound: exact
    fill_collection(&mut c, "HSET", "mid:hash", 800);
    for i in 0..200 {
        let _: () = redis::cmd("SET")
            .arg(format!("small:{i}"))
            .arg("v")
            .query(&mut c)
            .unwrap();
    }
    let exact = |c: &mut redis::Connection, k: &str| -> u64 {
        redis::cmd("MEMORY")
            .arg("USAGE")
            .arg(k)
            .arg("SAMPLES")
            .arg(0)
            .query(c)
            .unwrap()
    };
    let (hash, set, mid) = (
        exact(&mut c, "big:hash"),
        exact(&mut c, "big:set"),
        exact(&mut c, "mid:hash"),
    );
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("slowlog-log-slower-than")
        .arg(10_000)
        .query(&mut c)
        .unwrap();
    let _: () = redis::cmd("SLOWLOG").arg("RESET").query(&mut c).unwrap();
    let url = s.url();
    for extra in [&[][..], &["--detail"][..]] {
        let mut args = vec!["--url", &url, "analyze"];
        args.extend_from_slice(extra);
        // SLOWLOG times wall clock: on a loaded 2-core machine the scheduler can hold any
        // command past 10 ms, so a run counts when one of three is clean. SAMPLES 0 on these
        // collections takes 60-80 ms every time.
        let mut slow = Vec::new();
        let mut r = serde_json::Value::Null;
        for _ in 0..3 {
            let before = keyspace_hits(&mut c);
            r = json(&args);
            // the length probes are lookups too, and counted
            assert_eq!(
                r["keyspace_hits_added"].as_u64(),
                Some(keyspace_hits(&mut c) - before),
                "{extra:?}"
            );
            let now = slow_commands(&mut c);
            let _: () = redis::cmd("SLOWLOG").arg("RESET").query(&mut c).unwrap();
            if now.is_empty() {
                slow.clear();
                break;
            }
            slow.extend(now);
        }
        assert!(slow.is_empty(), "{extra:?}: slow calls {slow:?}");
        let big = |k: &str| {
            r["big_keys"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["key"] == k)
                .unwrap_or_else(|| panic!("{k} in big_keys: {r}"))
                .clone()
        };
        for (k, want) in [("big:hash", hash), ("big:set", set)] {
            let b = big(k);
            assert_eq!(b["bytes_estimated"], true, "{extra:?} {k}: {b}");
            let got = b["bytes"].as_u64().unwrap() as f64;
            assert!(
                (got / want as f64 - 1.0).abs() < 0.1,
                "{extra:?} {k}: estimated {got}, SAMPLES 0 says {want}"
            );
        }
        let m = big("mid:hash");
        assert_eq!(m["bytes_estimated"], false, "{extra:?}: {m}");
        assert_eq!(
            m["bytes"].as_u64(),
            Some(mid),
            "{extra:?}: exact below the bound"
        );
        assert_eq!(r["memory_estimated_keys"], 2, "{extra:?}");
        let estimated: u64 = r["patterns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["memory_estimated_keys"].as_u64().unwrap())
            .sum();
        assert_eq!(estimated, 2, "{extra:?}");
    }
    // the table marks the estimates and says why
    let out = cachectl()
        .args(["--url", &s.url(), "analyze"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("big:hash "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains(" ~"), "{line}");
    assert!(text.contains("the size of 2 collections"), "{text}");
    // a user who may not count (the minimal analyze ACL): what cannot be shown exact is
    // marked estimated, and the run goes on
    let _: () = redis::cmd("ACL")
        .arg("SETUSER")
        .arg("least")
        .arg("on")
        .arg(">pw")
        .arg("~*")
        .arg(
            "+dbsize +scan +type +pttl +memory|usage +object"
                .split(' ')
                .collect::<Vec<_>>(),
        )
        .query(&mut c)
        .unwrap();
    let r = json(&[
        "--url",
        &format!("redis://least:pw@127.0.0.1:{}", s.port),
        "analyze",
    ]);
    let marks: Vec<(&str, bool)> = r["big_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["key"].as_str().unwrap(), b["bytes_estimated"] == true))
        .collect();
    assert!(
        marks.contains(&("big:hash", true)) && marks.contains(&("mid:hash", true)),
        "{marks:?}"
    );
    assert!(
        marks
            .iter()
            .all(|(k, est)| !k.starts_with("small:") || !est),
        "{marks:?}"
    );
}

/// Issue 23 (8): a key with an invalid byte, a newline, a bidi override (U+202E) and a
/// backslash is shown escaped (`\xff`, `\n`, `\xe2\x80\xae`, `\\`), never with U+FFFD, the
/// same in JSON, CSV and the table; the text from `-o json` handed to `invalidate keys`
/// deletes exactly that key.
#[test]
fn odd_keys_are_shown_so_they_can_be_used_again() {
    let s = RedisServer::start();
    let odd: &[u8] = b"odd:\xff\n\xe2\x80\xae\\end";
    let mut c = s.conn();
    for k in [odd, b"odd:\xfe\n\xe2\x80\xae\\end", b"plain:1"] {
        let _: () = redis::cmd("SET")
            .arg(k)
            .arg("x".repeat(2000))
            .query(&mut c)
            .unwrap();
    }
    let url = s.url();
    let r = json(&["--url", &url, "analyze"]);
    let shown = "odd:\\xff\\n\\xe2\\x80\\xae\\\\end";
    let big: Vec<&str> = r["big_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["key"].as_str().unwrap())
        .collect();
    assert!(big.contains(&shown), "{big:?}");
    let examples: Vec<&str> = r["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["example_key"].as_str().unwrap())
        .collect();
    let example = examples
        .iter()
        .copied()
        .find(|e| e.starts_with("odd:"))
        .unwrap_or_else(|| panic!("{examples:?}"));
    assert!(example.contains("\\n\\xe2\\x80\\xae\\\\end"), "{example}");
    // CSV: the same text
    let csv = cachectl()
        .args(["--url", &url, "analyze", "-o", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.contains(example), "{csv}");
    // the table: nothing a terminal would interpret, no replacement characters
    let table = cachectl()
        .args(["--url", &url, "analyze"])
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains(shown), "{table}");
    assert!(
        !table.contains('\u{202E}') && !table.contains('\u{FFFD}'),
        "{table:?}"
    );
    // what was shown deletes exactly that key
    let out = cachectl()
        .args(["--url", &url, "invalidate", "keys", shown, "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gone: bool = redis::cmd("EXISTS").arg(odd).query::<u64>(&mut c).unwrap() == 0;
    assert!(gone, "the shown key was deleted");
    assert_eq!(s.dbsize(), 2, "and nothing else");
    // a backslash that starts no escape is a usage error, not a guess
    let out = cachectl()
        .args(["--url", &url, "invalidate", "keys", "odd:\\q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(s.dbsize(), 2);
}
