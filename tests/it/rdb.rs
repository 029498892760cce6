//! The RDB parser and memory estimator against dumps written by the real redis-server:
//! every type and encoding, element counts, expiries, and the estimate against
//! `MEMORY USAGE key SAMPLES 0`.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::support::{Loader, RedisServer};

/// What the server says about one key.
#[derive(Debug, Clone)]
pub struct Truth {
    pub r#type: String,
    pub encoding: String,
    pub elements: Option<u64>,
    pub expire_ms: Option<i64>,
    pub memory: u64,
}

/// Small encoding thresholds are the defaults; this seeds every type in both encodings.
pub fn seed_every_encoding(s: &RedisServer) {
    let mut l = Loader::standalone(s);
    for i in 0..300u64 {
        // strings: int, long int (int in memory, plain in the dump), embstr, raw, LZF raw
        l.cmd("SET", &format!("str:int:{i}"), &[&(i * 7)]);
        l.cmd(
            "SET",
            &format!("str:epoch:{i}"),
            &[&(1_700_000_000_000 + i)],
        );
        l.cmd(
            "SET",
            &format!("str:emb:{i}"),
            &[&"e".repeat(1 + (i % 44) as usize), &"EX", &(100 + i)],
        );
        l.cmd(
            "SET",
            &format!("str:raw:{i}"),
            &[&format!("{i}-{}", "r".repeat(45 + (i * 13 % 400) as usize))],
        );
        l.cmd(
            "SET",
            &format!("str:lzf:{i}"),
            &[
                &"abcdefgh".repeat(200 + i as usize),
                &"PX",
                &(3_600_000 + i),
            ],
        );
    }
    for i in 0..40u64 {
        // lists: small (one listpack node) and long (many nodes)
        for j in 0..(3 + i % 20) {
            l.cmd("RPUSH", &format!("list:small:{i}"), &[&format!("item-{j}")]);
        }
        for j in 0..(500 + i * 37) {
            l.cmd(
                "RPUSH",
                &format!("list:long:{i}"),
                &[&format!("element-{j}-{i}")],
            );
        }
        // sets: intset, listpack-less hashtable of strings, a big intset turned hashtable
        for j in 0..(5 + i) {
            l.cmd("SADD", &format!("set:ints:{i}"), &[&(j * 3)]);
            l.cmd("SADD", &format!("set:strs:{i}"), &[&format!("member-{j}")]);
        }
        for j in 0..(520 + i) {
            l.cmd("SADD", &format!("set:bigints:{i}"), &[&j]);
        }
        // zsets: listpack and skiplist
        for j in 0..(4 + i % 30) {
            l.cmd("ZADD", &format!("zset:small:{i}"), &[&j, &format!("m{j}")]);
        }
        for j in 0..(200 + i * 5) {
            l.cmd(
                "ZADD",
                &format!("zset:big:{i}"),
                &[&(j as f64 * 1.5), &format!("member-{j}-{i}")],
            );
        }
        // hashes: listpack, hashtable by count, hashtable by value size
        for j in 0..(3 + i % 50) {
            l.cmd(
                "HSET",
                &format!("hash:small:{i}"),
                &[&format!("f{j}"), &format!("v{j}")],
            );
        }
        for j in 0..(150 + i * 3) {
            l.cmd(
                "HSET",
                &format!("hash:big:{i}"),
                &[&format!("field-{j}"), &format!("value-{j}-{i}")],
            );
        }
        l.cmd(
            "HSET",
            &format!("hash:wide:{i}"),
            &[&"f", &"w".repeat(100 + i as usize), &"g", &i],
        );
        l.cmd("EXPIRE", &format!("hash:wide:{i}"), &[&(86_400 * 3)]);
    }
    // streams, one with a consumer group and pending entries
    for i in 0..10u64 {
        for j in 0..(5 + i * 30) {
            l.cmd(
                "XADD",
                &format!("stream:{i}"),
                &[&"*", &"f", &j, &"payload", &format!("p-{j}")],
            );
        }
    }
    l.flush();
    let mut c = s.conn();
    let _: () = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg("stream:3")
        .arg("g1")
        .arg("0")
        .query(&mut c)
        .unwrap();
    let _: redis::Value = redis::cmd("XREADGROUP")
        .arg("GROUP")
        .arg("g1")
        .arg("alice")
        .arg("COUNT")
        .arg(10)
        .arg("STREAMS")
        .arg("stream:3")
        .arg(">")
        .query(&mut c)
        .unwrap();
}

/// SAVE and return the dump's path.
pub fn save(s: &RedisServer) -> PathBuf {
    let mut c = s.conn();
    let _: () = redis::cmd("SAVE").query(&mut c).unwrap();
    s.dir.path().join("dump.rdb")
}

/// TYPE, OBJECT ENCODING, the element count, PEXPIRETIME and MEMORY USAGE of every key.
pub fn truth(s: &RedisServer) -> HashMap<String, Truth> {
    let mut c = s.conn();
    let mut keys: Vec<String> = Vec::new();
    let mut cursor = 0u64;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("COUNT")
            .arg(1000)
            .query(&mut c)
            .unwrap();
        keys.extend(batch);
        cursor = next;
        if cursor == 0 {
            break;
        }
    }
    let mut out = HashMap::new();
    for k in keys {
        let t: String = redis::cmd("TYPE").arg(&k).query(&mut c).unwrap();
        let enc: String = redis::cmd("OBJECT")
            .arg("ENCODING")
            .arg(&k)
            .query(&mut c)
            .unwrap();
        let count_cmd = match t.as_str() {
            "list" => Some("LLEN"),
            "set" => Some("SCARD"),
            "zset" => Some("ZCARD"),
            "hash" => Some("HLEN"),
            "stream" => Some("XLEN"),
            _ => None,
        };
        let elements = count_cmd.map(|cmd| redis::cmd(cmd).arg(&k).query(&mut c).unwrap());
        let exp: i64 = redis::cmd("PEXPIRETIME").arg(&k).query(&mut c).unwrap();
        let memory: u64 = redis::cmd("MEMORY")
            .arg("USAGE")
            .arg(&k)
            .arg("SAMPLES")
            .arg(0)
            .query(&mut c)
            .unwrap();
        out.insert(
            k,
            Truth {
                r#type: t,
                encoding: enc,
                elements,
                expire_ms: (exp >= 0).then_some(exp),
                memory,
            },
        );
    }
    out
}

struct Parsed {
    type_idx: usize,
    encoding: &'static str,
    elements: Option<u64>,
    expire_ms: Option<i64>,
    memory: u64,
}

fn parse_file(path: &PathBuf) -> HashMap<String, Parsed> {
    let mut out = HashMap::new();
    let f = std::fs::File::open(path).unwrap();
    cachectl::rdb::parse(f, |k| {
        out.insert(
            String::from_utf8_lossy(k.key).into_owned(),
            Parsed {
                type_idx: k.type_idx,
                encoding: k.encoding,
                elements: k.elements,
                expire_ms: k.expire_ms,
                memory: k.memory,
            },
        );
        Ok(())
    })
    .unwrap();
    out
}

/// The key's pattern for the per-pattern memory comparison: the first two segments.
fn group(k: &str) -> String {
    k.split(':').take(2).collect::<Vec<_>>().join(":")
}

#[test]
fn redis70_dump_types_encodings_elements_expiry_and_memory() {
    let s = RedisServer::start();
    seed_every_encoding(&s);
    let truth = truth(&s);
    let path = save(&s);
    let parsed = parse_file(&path);
    assert_eq!(parsed.len(), truth.len(), "every key once");
    let mut per_group: HashMap<String, (u64, u64)> = HashMap::new();
    for (k, t) in &truth {
        let p = parsed.get(k).unwrap_or_else(|| panic!("{k} missing"));
        assert_eq!(
            cachectl::analyze::aggregate::TYPES[p.type_idx],
            t.r#type,
            "type of {k}"
        );
        assert_eq!(p.encoding, t.encoding, "encoding of {k}");
        assert_eq!(p.elements, t.elements, "elements of {k}");
        assert_eq!(p.expire_ms, t.expire_ms, "expiry of {k}");
        if std::env::var("RDB_DEBUG").is_ok() && k.starts_with("list:") {
            eprintln!("{k} {} {} {:?}", t.memory, p.memory, t.elements);
        }
        let g = per_group.entry(group(k)).or_default();
        g.0 += t.memory;
        g.1 += p.memory;
    }
    let mut report = Vec::new();
    let (mut total_t, mut total_p) = (0u64, 0u64);
    let mut worst = 0f64;
    for (g, (t, p)) in &per_group {
        let err = (*p as f64 - *t as f64) / *t as f64 * 100.0;
        worst = worst.max(err.abs());
        report.push(format!("{g}: server {t} estimate {p} ({err:+.1}%)"));
        total_t += t;
        total_p += p;
    }
    report.sort();
    let total_err = (total_p as f64 - total_t as f64) / total_t as f64 * 100.0;
    eprintln!("{}\ntotal {total_err:+.2}%", report.join("\n"));
    assert!(
        worst <= 10.0,
        "per pattern within 10%:\n{}",
        report.join("\n")
    );
    assert!(total_err.abs() <= 5.0, "total within 5%: {total_err:.2}%");
}

#[test]
fn real_dump_truncated_or_mutated_never_panics() {
    let s = RedisServer::start();
    let mut l = Loader::standalone(&s);
    for i in 0..30u64 {
        l.cmd("SET", &format!("k:{i}"), &[&"x".repeat(i as usize * 10)]);
        l.cmd("HSET", &format!("h:{i}"), &[&"f", &i]);
        l.cmd("RPUSH", &format!("l:{i}"), &[&"a", &"b"]);
        l.cmd("ZADD", &format!("z:{i}"), &[&1, &"m"]);
        l.cmd("SADD", &format!("s:{i}"), &[&1, &2]);
        l.cmd("XADD", &format!("x:{i}"), &[&"*", &"f", &"v"]);
    }
    l.flush();
    drop(l);
    let d = std::fs::read(save(&s)).unwrap();
    assert!(cachectl::rdb::parse(&d[..], |_| Ok(())).is_ok());
    for cut in (0..d.len()).step_by(7) {
        let r = cachectl::rdb::parse(&d[..cut], |_| Ok(()));
        let e = r.expect_err("a truncated dump is an error").to_string();
        assert!(e.contains("byte offset"), "{e}");
    }
    let mut x: u64 = 0x9E37_79B9;
    for _ in 0..3000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut m = d.clone();
        let i = (x as usize) % m.len();
        m[i] ^= ((x >> 40) as u8).max(1);
        let _ = cachectl::rdb::parse(&m[..], |_| Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// analyze --rdb

use crate::support::{cachectl, json, Cluster};
use serde_json::Value;

fn patterns_of(v: &Value) -> HashMap<String, Value> {
    v["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["pattern"].as_str().unwrap().to_string(), p.clone()))
        .collect()
}

/// Same patterns, key counts, types and TTL-less counts online and offline; memory per
/// pattern within 10% and in total within 5%; the expiry timeline covers every key once.
#[test]
fn analyze_rdb_matches_online_analyze() {
    let s = RedisServer::start();
    seed_every_encoding(&s);
    let online = json(&["--url", &s.url(), "analyze"]);
    let detail = json(&["--url", &s.url(), "analyze", "--detail"]);
    let path = save(&s);
    let offline = json(&["analyze", "--rdb", path.to_str().unwrap()]);
    // --detail online: the same encodings and element counts as the dump
    let (det, off0) = (patterns_of(&detail), patterns_of(&offline));
    for (name, p) in &det {
        for f in ["encodings", "elements_avg", "elements_max"] {
            assert_eq!(p[f], off0[name][f], "{name} {f}");
        }
    }
    assert!(patterns_of(&online)["hash:big:*"]["encodings"]
        .as_object()
        .unwrap()
        .is_empty());
    assert_eq!(offline["memory_source"], "rdb-estimate");
    assert_eq!(online["memory_source"], "memory-usage");
    assert_eq!(offline["scanned_keys"], online["scanned_keys"]);
    let (on, off) = (patterns_of(&online), patterns_of(&offline));
    let mut names: Vec<&String> = on.keys().collect();
    names.sort();
    let mut off_names: Vec<&String> = off.keys().collect();
    off_names.sort();
    assert_eq!(names, off_names);
    let (mut mem_on, mut mem_off) = (0f64, 0f64);
    for (name, p) in &on {
        let q = &off[name];
        for f in ["keys", "types", "no_ttl_keys", "ttl_max_s"] {
            if f == "ttl_max_s" && !p[f].is_null() {
                // whole seconds, measured a moment apart
                let d = p[f].as_i64().unwrap() - q[f].as_i64().unwrap();
                assert!(d.abs() <= 2, "{name} {f}: {} vs {}", p[f], q[f]);
                continue;
            }
            assert_eq!(p[f], q[f], "{name} {f}");
        }
        let (a, b) = (
            p["memory_bytes"].as_f64().unwrap(),
            q["memory_bytes"].as_f64().unwrap(),
        );
        assert!((b - a).abs() / a <= 0.10, "{name}: online {a} offline {b}");
        mem_on += a;
        mem_off += b;
        assert!(!q["encodings"].as_object().unwrap().is_empty(), "{name}");
        assert!(q["size_p50_bytes"].as_u64().unwrap() > 0);
    }
    assert!((mem_off - mem_on).abs() / mem_on <= 0.05);
    let total = offline["scanned_keys"].as_u64().unwrap();
    let timeline = offline["expiry_timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 8);
    let sum: u64 = timeline.iter().map(|b| b["keys"].as_u64().unwrap()).sum();
    assert_eq!(sum, total);
    let online_sum: u64 = online["expiry_timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["keys"].as_u64().unwrap())
        .sum();
    assert_eq!(online_sum, total);
    // hashes past the listpack threshold are reported
    let findings = offline["findings"].to_string();
    assert!(findings.contains("hashtable-encoded"), "{findings}");
    // the element counts and encodings are the server's
    let big = &off["hash:big:*"];
    assert_eq!(big["encodings"]["listpack"], 40); // hash-max-listpack-entries 512
    assert_eq!(big["elements_max"], 150 + 39 * 3);
    assert_eq!(off["hash:wide:*"]["encodings"]["hashtable"], 40);
    assert_eq!(off["set:bigints:*"]["encodings"]["hashtable"], 40);
    assert_eq!(off["set:ints:*"]["encodings"]["intset"], 40);
    assert_eq!(off["zset:big:*"]["encodings"]["skiplist"], 40);
    assert_eq!(off["list:long:*"]["encodings"]["quicklist"], 40);
    assert_eq!(off["stream:*"]["encodings"]["stream"], 10);
}

#[test]
fn analyze_rdb_cluster_dumps_combine_and_stdin_works() {
    let c = Cluster::start(0);
    let mut l = Loader::cluster(&c);
    for i in 0..3000u64 {
        l.cmd("SET", &format!("session:{i}"), &[&"x", &"EX", &600]);
        l.cmd("HSET", &format!("user:{i}:profile"), &[&"name", &i]);
    }
    l.flush();
    drop(l);
    let online = json(&["--url", &c.url(), "analyze"]);
    let mut args = vec!["analyze".to_string()];
    for p in c.primary_ports() {
        let n = c.nodes.iter().find(|n| n.port == p).unwrap();
        args.push("--rdb".into());
        args.push(save(n).display().to_string());
    }
    let argv: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let offline = json(&argv);
    assert_eq!(offline["scanned_keys"], 6000);
    assert_eq!(offline["nodes"].as_array().unwrap().len(), 3);
    let (on, off) = (patterns_of(&online), patterns_of(&offline));
    assert_eq!(on.len(), off.len());
    for (name, p) in &on {
        assert_eq!(p["keys"], off[name]["keys"], "{name}");
    }
    // one dump on stdin
    let file = std::fs::read(&args[2]).unwrap();
    let out = cachectl()
        .args(["analyze", "--rdb", "-", "-o", "json"])
        .write_stdin(file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["nodes"][0]["node"], "stdin");
    assert!(v["scanned_keys"].as_u64().unwrap() > 0);
}

#[test]
fn analyze_rdb_corrupt_or_missing_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.rdb");
    let s = RedisServer::start();
    let mut l = Loader::standalone(&s);
    for i in 0..100u64 {
        l.cmd("SET", &format!("k:{i}"), &[&"v".repeat(30)]);
    }
    l.cmd("SET", "canary", &[&"0123456789abcdef"]); // short: stored as is, not LZF
    l.flush();
    drop(l);
    let d = std::fs::read(save(&s)).unwrap();
    std::fs::write(&p, &d[..d.len() / 2]).unwrap();
    let out = cachectl()
        .args(["analyze", "--rdb", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("cachectl: error:"), "{err}");
    assert!(
        err.contains("byte offset") && err.contains("bad.rdb"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // one flipped byte inside a value: the structure still parses, the CRC-64 does not match
    let mut flipped = d.clone();
    let at = d
        .windows(16)
        .position(|w| w == b"0123456789abcdef")
        .unwrap()
        + 5;
    flipped[at] = b'w';
    std::fs::write(&p, &flipped).unwrap();
    let out = cachectl()
        .args(["analyze", "--rdb", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("checksum mismatch") && err.contains("byte offset"),
        "{err}"
    );
    // the intact dump verifies
    std::fs::write(&p, &d).unwrap();
    let out = cachectl()
        .args(["analyze", "--rdb", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&p, &d[..d.len() / 2]).unwrap();
    let out = cachectl()
        .args(["analyze", "--rdb", "/nonexistent/dump.rdb"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = cachectl()
        .args(["analyze", "--rdb", p.to_str().unwrap(), "--sample", "10"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn analyze_diff_against_an_earlier_run() {
    let s = RedisServer::start();
    let mut l = Loader::standalone(&s);
    for i in 0..500u64 {
        l.cmd("SET", &format!("session:{i}"), &[&"x"]);
        l.cmd("SET", &format!("gone:{i}"), &[&"y"]);
    }
    l.flush();
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let first = cachectl()
        .args(["--url", &s.url(), "analyze", "-o", "json"])
        .output()
        .unwrap();
    std::fs::write(&old, &first.stdout).unwrap();
    for i in 0..500u64 {
        l.cmd("DEL", &format!("gone:{i}"), &[]);
        l.cmd("SET", &format!("session:{}", i + 500), &[&"x"]);
        l.cmd("SET", &format!("fresh:{i}"), &[&"z".repeat(200)]);
    }
    l.flush();
    let v = json(&[
        "--url",
        &s.url(),
        "analyze",
        "--diff",
        old.to_str().unwrap(),
    ]);
    let d = &v["diff"];
    assert_eq!(d["new_patterns"], 1);
    assert_eq!(d["gone_patterns"], 1);
    let rows = d["patterns"].as_array().unwrap();
    assert_eq!(rows[0]["pattern"], "fresh:*", "largest growth first");
    assert_eq!(rows[0]["status"], "new");
    let sess = rows.iter().find(|r| r["pattern"] == "session:*").unwrap();
    assert_eq!(sess["keys_delta"], 500);
    assert_eq!(sess["status"], "changed");
    assert!(sess["memory_delta_bytes"].as_i64().unwrap() > 0);
    let gone = rows.iter().find(|r| r["pattern"] == "gone:*").unwrap();
    assert_eq!(gone["status"], "gone");
    assert_eq!(gone["keys_delta"], -500);
    // CSV carries the diff rows; a bad OLD.json is a usage error
    let out = cachectl()
        .args(["--url", &s.url(), "analyze", "-o", "csv", "--diff"])
        .arg(&old)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("pattern,status,keys_old,keys_new,keys_delta"),
        "{text}"
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{}").unwrap();
    let out = cachectl()
        .args(["--url", &s.url(), "analyze", "--diff"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn analyze_rdb_sync_matches_online_standalone_cluster_and_refusal() {
    let s = RedisServer::start();
    seed_every_encoding(&s);
    let online = json(&["--url", &s.url(), "analyze"]);
    let synced = json(&["--url", &s.url(), "analyze", "--rdb-sync"]);
    assert_eq!(synced["memory_source"], "rdb-estimate");
    let (on, sy) = (patterns_of(&online), patterns_of(&synced));
    assert_eq!(on.len(), sy.len());
    for (name, p) in &on {
        assert_eq!(p["keys"], sy[name]["keys"], "{name}");
    }
    // diskless replication: the EOF-marker format
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("repl-diskless-sync")
        .arg("yes")
        .query(&mut s.conn())
        .unwrap();
    let diskless = json(&["--url", &s.url(), "analyze", "--rdb-sync"]);
    assert_eq!(diskless["scanned_keys"], online["scanned_keys"]);
    // every primary of a cluster
    let c = Cluster::start(0);
    let mut l = Loader::cluster(&c);
    for i in 0..2000u64 {
        l.cmd("SET", &format!("session:{i}"), &[&"x"]);
    }
    l.flush();
    drop(l);
    let v = json(&["--url", &c.url(), "analyze", "--rdb-sync"]);
    assert_eq!(v["scanned_keys"], 2000);
    assert_eq!(v["nodes"].as_array().unwrap().len(), 3);
    // a server that refuses SYNC (as managed services do)
    let r = RedisServer::start_with(&["--rename-command", "SYNC", ""]);
    let out = cachectl()
        .args(["--url", &r.url(), "analyze", "--rdb-sync"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refused SYNC"), "{err}");
}
