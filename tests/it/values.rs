//! `analyze --values N`: value formats and measured compression, online against a real server
//! and offline from that server's own dump. The keyspace: JSON documents, random bytes,
//! gzip-compressed JSON, many tiny strings, and hashes whose field values are JSON.

use std::collections::HashMap;
use std::io::Write;

use serde::Deserialize;

use std::time::Duration;

use crate::support::{calls, json, server_kind, wait_until, Cluster, Loader, RedisServer};

pub const DOCS: usize = 300;
pub const BLOBS: usize = 200;
pub const GZIPPED: usize = 200;
pub const TINY: usize = 2000;
pub const HASHES: usize = 40;

#[derive(Debug, Deserialize)]
struct Report {
    patterns: Vec<Pattern>,
    findings: Vec<Finding>,
    values: Option<ValuesRun>,
}

#[derive(Debug, Deserialize)]
struct ValuesRun {
    per_pattern: usize,
    keys: u64,
    touched_lru: bool,
}

#[derive(Debug, Deserialize)]
struct Pattern {
    pattern: String,
    keys: u64,
    memory_bytes: u64,
    value_format: Option<String>,
    value_formats: HashMap<String, u64>,
    compressible_pct: Option<f64>,
    compressible_lz4_pct: Option<f64>,
    compress_savings_bytes: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct Finding {
    pattern: String,
    message: String,
}

/// Deterministic pseudo-random bytes (xorshift), a different stream per seed.
fn random(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A JSON document of 2–3 KiB, as an API cache holds them: repeated field names, some
/// free text, numbers and ids that differ per document.
pub fn doc(i: usize) -> String {
    const WORDS: [&str; 12] = [
        "cache", "latency", "origin", "replica", "eviction", "shard", "window", "budget",
        "stampede", "profile", "session", "token",
    ];
    let items: Vec<String> = (0..12)
        .map(|j| {
            let r = random(8, (i * 31 + j) as u64);
            format!(
                r#"{{"sku":"SKU-{:02x}{:02x}{:02x}","qty":{},"price":{}.{:02},"note":"{} {} {}"}}"#,
                r[0],
                r[1],
                r[2],
                r[3] % 9 + 1,
                r[4] as u32 * 3,
                r[5] % 100,
                WORDS[r[6] as usize % 12],
                WORDS[r[7] as usize % 12],
                WORDS[(r[6] ^ r[7]) as usize % 12]
            )
        })
        .collect();
    format!(
        r#"{{"id":{i},"user":"user-{i}","email":"user{i}@example.com","created_at":"2024-01-{:02}T10:00:00Z","active":{},"tags":["a","b","c"],"items":[{}]}}"#,
        i % 28 + 1,
        i.is_multiple_of(2),
        items.join(",")
    )
}

fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

/// What zlib at level 6 saves on these values, in percent of their bytes.
fn zlib6_saving_pct(values: impl Iterator<Item = Vec<u8>>) -> f64 {
    let (mut raw, mut packed) = (0usize, 0usize);
    for v in values {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
        e.write_all(&v).unwrap();
        raw += v.len();
        packed += e.finish().unwrap().len().min(v.len());
    }
    100.0 * (raw - packed) as f64 / raw as f64
}

/// The whole keyspace on a standalone server (binary values included).
pub fn seed(s: &RedisServer) {
    let mut c = s.conn();
    let mut p = redis::pipe();
    for i in 0..DOCS {
        p.cmd("SET").arg(format!("doc:{i}")).arg(doc(i)).ignore();
    }
    for i in 0..BLOBS {
        p.cmd("SET")
            .arg(format!("blob:{i}"))
            .arg(random(2048, 1000 + i as u64))
            .ignore();
    }
    for i in 0..GZIPPED {
        p.cmd("SET")
            .arg(format!("gz:{i}"))
            .arg(gzip(doc(5000 + i).as_bytes()))
            .ignore();
    }
    for i in 0..TINY {
        p.cmd("SET")
            .arg(format!("flag:{i}"))
            .arg(if i.is_multiple_of(3) { "on" } else { "off" })
            .ignore();
    }
    for i in 0..HASHES {
        for f in 0..50 {
            p.cmd("HSET")
                .arg(format!("cart:{i}"))
                .arg(format!("line{f}"))
                .arg(format!(r#"{{"sku":"SKU-{f}","qty":{}}}"#, (i + f) % 7))
                .ignore();
        }
    }
    let _: () = p.query(&mut c).unwrap();
}

fn by_pattern(r: &Report) -> HashMap<&str, &Pattern> {
    r.patterns.iter().map(|p| (p.pattern.as_str(), p)).collect()
}

fn findings_for<'a>(r: &'a Report, pattern: &str) -> Vec<&'a str> {
    r.findings
        .iter()
        .filter(|f| f.pattern == pattern)
        .map(|f| f.message.as_str())
        .collect()
}

/// The checks that hold online and offline alike.
fn check(r: &Report, per_pattern: usize) {
    let run = r.values.as_ref().expect("`values` in the report");
    assert_eq!(run.per_pattern, per_pattern);
    let p = by_pattern(r);
    let get = |name: &str| {
        *p.get(name)
            .unwrap_or_else(|| panic!("{name} in {:?}", p.keys()))
    };

    // formats, recognised by content
    let docs = get("doc:*");
    assert_eq!(docs.value_format.as_deref(), Some("json"), "{docs:?}");
    assert_eq!(docs.value_formats.get("json"), Some(&(per_pattern as u64)));
    let blobs = get("blob:*");
    assert_eq!(blobs.value_format.as_deref(), Some("binary"), "{blobs:?}");
    let gz = get("gz:*");
    assert_eq!(gz.value_format.as_deref(), Some("gzip"), "{gz:?}");
    assert_eq!(gz.value_formats.get("gzip"), Some(&(per_pattern as u64)));
    let tiny = get("flag:*");
    assert_eq!(tiny.value_format.as_deref(), Some("text"), "{tiny:?}");
    let carts = get("cart:*");
    assert_eq!(carts.value_format.as_deref(), Some("json"), "{carts:?}");
    assert_eq!(
        carts.value_formats.values().sum::<u64>(),
        per_pattern.min(HASHES) as u64 * 16,
        "16 field values of each sampled hash: {carts:?}"
    );
    assert_eq!(
        run.keys,
        (4 * per_pattern + per_pattern.min(HASHES)) as u64,
        "every sampled key measured"
    );

    // the JSON pattern's saving is real compression: within 10 points of zlib -6 on the
    // same values
    let zlib = zlib6_saving_pct((0..DOCS).map(|i| doc(i).into_bytes()));
    let zstd = docs.compressible_pct.unwrap();
    assert!(
        (zstd - zlib).abs() <= 10.0,
        "zstd saves {zstd}% of the JSON values, zlib -6 {zlib:.1}%"
    );
    assert!(zstd >= 40.0, "{zstd}");
    let lz4 = docs.compressible_lz4_pct.unwrap();
    assert!(lz4 > 20.0 && lz4 < zstd, "lz4 {lz4}, zstd {zstd}");
    // extrapolated to the pattern's memory, less the per-key overhead that stays
    let saved = docs.compress_savings_bytes.unwrap();
    assert!(
        saved < docs.memory_bytes * zstd as u64 / 100
            && saved > docs.memory_bytes * zstd as u64 / 200,
        "{saved} of {} at {zstd}%",
        docs.memory_bytes
    );
    // random bytes and gzip save nothing
    assert!(blobs.compressible_pct.unwrap() < 1.0, "{blobs:?}");
    assert!(gz.compressible_pct.unwrap() < 5.0, "{gz:?}");
    assert_eq!(docs.keys, DOCS as u64);

    // findings only where they pay
    let doc_f = findings_for(r, "doc:*");
    let advice: Vec<&&str> = doc_f
        .iter()
        .filter(|m| m.starts_with("compress `doc:*` (json, avg "))
        .collect();
    assert_eq!(advice.len(), 1, "{doc_f:?}");
    assert!(
        advice[0].contains(&format!("zstd saves {zstd:.0}%")),
        "{}",
        advice[0]
    );
    assert!(advice[0].contains("µs per value"), "{}", advice[0]);
    for pattern in ["blob:*", "flag:*", "cart:*", "gz:*"] {
        for m in findings_for(r, pattern) {
            assert!(!m.contains("compress `"), "{pattern}: {m}");
        }
    }
    let gz_f = findings_for(r, "gz:*");
    assert!(
        gz_f.iter()
            .any(|m| m.starts_with("values are already compressed (gzip")),
        "{gz_f:?}"
    );
    let tiny_f = findings_for(r, "flag:*");
    let hashes: Vec<&&str> = tiny_f
        .iter()
        .filter(|m| m.contains("fields of hashes"))
        .collect();
    assert_eq!(hashes.len(), 1, "{tiny_f:?}");
    assert!(hashes[0].starts_with("2,000 tiny strings"), "{}", hashes[0]);
    assert!(
        findings_for(r, "blob:*")
            .iter()
            .all(|m| !m.contains("hashes") && !m.contains("compressed")),
        "{:?}",
        findings_for(r, "blob:*")
    );
}

fn analyze(args: &[&str]) -> Report {
    serde_json::from_value(json(args)).expect("report shape")
}

#[test]
fn values_online_formats_compression_and_findings() {
    online_on_this_server();
}

/// The online checks (also `matrix::core_analyze_values_on_this_server` on every server of
/// the version matrix: HSCAN/ZSCAN before 6.2, CLIENT NO-TOUCH from 7.2 and on Valkey).
pub fn online_on_this_server() {
    let s = RedisServer::start();
    seed(&s);
    let r = analyze(&["--url", &s.url(), "analyze", "--values", "40"]);
    check(&r, 40);
    let (valkey, version) = server_kind();
    let no_touch = valkey || version >= (7, 2, 0);
    assert_eq!(
        r.values.as_ref().unwrap().touched_lru,
        !no_touch,
        "NO-TOUCH on 7.2+ / Valkey only"
    );
    // bounded reads only: a prefix of each string, a few members of each hash
    let mut c = s.conn();
    assert!(calls(&mut c, "getrange") > 0);
    for unbounded in ["get", "hgetall", "hvals", "smembers", "dump"] {
        assert_eq!(calls(&mut c, unbounded), 0, "{unbounded}");
    }
    // without --values: no value columns, no value reads
    let plain = json(&["--url", &s.url(), "analyze"]);
    assert!(plain.get("values").is_none());
    assert!(plain["patterns"][0]["value_format"].is_null());
}

/// With CLIENT NO-TOUCH (Redis 7.2+, Valkey) the value reads leave the keys' idle time alone;
/// before it they reset it, as the report says.
pub fn reads_and_lru_on_this_server() {
    let s = RedisServer::start();
    let mut c = s.conn();
    for i in 0..5 {
        let _: () = redis::cmd("SET")
            .arg(format!("doc:{i}"))
            .arg(doc(i))
            .query(&mut c)
            .unwrap();
    }
    let idle = |c: &mut redis::Connection| -> u64 {
        redis::cmd("OBJECT")
            .arg("IDLETIME")
            .arg("doc:0")
            .query(c)
            .unwrap()
    };
    wait_until(Duration::from_secs(10), "doc:0 idle for 2 s", || {
        idle(&mut c) >= 2
    });
    let r = analyze(&["--url", &s.url(), "analyze", "--values", "5"]);
    let run = r.values.unwrap();
    assert_eq!(run.keys, 5);
    let (valkey, version) = server_kind();
    if valkey || version >= (7, 2, 0) {
        assert!(!run.touched_lru);
        assert!(
            idle(&mut c) >= 2,
            "NO-TOUCH: the read left the idle time alone"
        );
    } else {
        assert!(run.touched_lru);
        assert!(idle(&mut c) < 2, "without NO-TOUCH the read is an access");
    }
}

#[test]
fn values_reads_leave_lru_alone_where_the_server_can() {
    reads_and_lru_on_this_server();
}

#[test]
fn values_offline_from_the_servers_dump_agree() {
    let s = RedisServer::start();
    seed(&s);
    let mut c = s.conn();
    let _: () = redis::cmd("SAVE").query(&mut c).unwrap();
    let dump = s.dir.path().join("dump.rdb");
    let r = analyze(&["analyze", "--rdb", dump.to_str().unwrap(), "--values", "40"]);
    check(&r, 40);
    assert!(
        !r.values.as_ref().unwrap().touched_lru,
        "a dump touches nothing"
    );
    // the same from the replication stream
    let r = analyze(&["--url", &s.url(), "analyze", "--rdb-sync", "--values", "40"]);
    check(&r, 40);
    assert!(!r.values.as_ref().unwrap().touched_lru);
}

#[test]
fn values_zero_is_a_usage_error() {
    let out = crate::support::cachectl()
        .args(["analyze", "--rdb", "/nonexistent", "--values", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--values must be at least 1"));
}

/// The least privilege of README's table: analyze's ACL plus the value reads'; without the
/// reads' commands the run says which to grant and measures nothing.
#[test]
fn values_with_the_least_acl_and_without_it() {
    let s = RedisServer::start();
    let mut c = s.conn();
    for i in 0..20 {
        let _: () = redis::cmd("SET")
            .arg(format!("doc:{i}"))
            .arg(doc(i))
            .query(&mut c)
            .unwrap();
        let _: () = redis::cmd("HSET")
            .arg(format!("cart:{i}"))
            .arg("a")
            .arg(doc(i))
            .query(&mut c)
            .unwrap();
    }
    let user = |rules: &str| {
        let mut cmd = redis::cmd("ACL");
        cmd.arg("SETUSER")
            .arg("least")
            .arg("reset")
            .arg("on")
            .arg(">pw")
            .arg("~*");
        for r in rules.split_whitespace() {
            cmd.arg(r);
        }
        let _: () = cmd.query(&mut s.conn()).unwrap();
    };
    let analyze_acl = "+dbsize +scan +type +pttl +memory|usage +object";
    let url = format!("redis://least:pw@127.0.0.1:{}", s.port);
    let random_reads = server_kind().0 || server_kind().1 >= (6, 2, 0);
    let reads = if random_reads {
        "+strlen +getrange +hlen +hrandfield"
    } else {
        "+strlen +getrange +hlen +hscan"
    };
    user(&format!("{analyze_acl} {reads}"));
    let out = crate::support::cachectl()
        .args(["-u", &url, "analyze", "--values", "5", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.values.unwrap().keys, 10);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("refused"));

    user(analyze_acl);
    let out = crate::support::cachectl()
        .args(["-u", &url, "analyze", "--values", "5", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("value reads refused (NOPERM").count(),
        1,
        "{err}"
    );
    assert!(err.contains("grant the user +strlen +getrange"), "{err}");
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.values.unwrap().keys, 0);
    assert!(r.patterns.iter().all(|p| p.value_format.is_none()));
}

/// On a cluster each sampled key is read on the primary it was scanned on.
#[test]
fn values_on_a_cluster_read_each_key_where_it_lives() {
    let c = Cluster::start(0);
    let mut l = Loader::cluster(&c);
    for i in 0..DOCS {
        l.cmd("SET", &format!("doc:{i}"), &[&doc(i)]);
        l.cmd("SET", &format!("flag:{i}"), &[&"on"]);
    }
    l.flush();
    let r = analyze(&["--url", &c.url(), "analyze", "--values", "30"]);
    let p = by_pattern(&r);
    assert_eq!(p["doc:*"].value_format.as_deref(), Some("json"));
    assert_eq!(p["doc:*"].value_formats.get("json"), Some(&30));
    assert_eq!(p["flag:*"].value_format.as_deref(), Some("text"));
    assert_eq!(
        r.values.unwrap().keys,
        60,
        "every sampled key read on its own node"
    );
}
