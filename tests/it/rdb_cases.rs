//! The RDB parser against the HDT3213/rdb project's test dumps (`tests/fixtures/rdb/`, Apache-2.0,
//! its LICENSE beside them): every `.rdb` with a `.json` expectation. Per dump: the keys (db and
//! name), their types, element counts, expiries, the value items `parse_with` delivers (strings
//! whole, the first members, list elements or hash values of a collection) and the hash fields
//! with a TTL of their own.

use std::collections::HashMap;
use std::path::PathBuf;

use cachectl::rdb::{parse_with, ParseOptions};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rdb")
}

/// What the parser reported for one key.
#[derive(Debug)]
struct Got {
    db: u64,
    r#type: &'static str,
    elements: Option<u64>,
    expire_ms: Option<i64>,
    values: Vec<Vec<u8>>,
    fields_with_ttl: u64,
}

const VALUES: usize = 1_000;

fn parse_case(name: &str) -> (cachectl::rdb::RdbSummary, HashMap<(u64, Vec<u8>), Got>) {
    let f = std::fs::File::open(fixtures().join(format!("{name}.rdb"))).unwrap();
    let mut out = HashMap::new();
    let sum = parse_with(f, ParseOptions { values: VALUES }, |k| {
        let prev = out.insert(
            (k.db, k.key.to_vec()),
            Got {
                db: k.db,
                r#type: cachectl::analyze::aggregate::TYPES[k.type_idx],
                elements: k.elements,
                expire_ms: k.expire_ms,
                values: k.values.to_vec(),
                fields_with_ttl: k.fields_with_ttl,
            },
        );
        assert!(prev.is_none(), "{name}: key reported twice");
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{name}.rdb: {e:#}"));
    (sum, out)
}

/// A JSON scalar as the bytes the server holds (numbers as Redis prints integers).
fn bytes_of(v: &Value) -> Vec<u8> {
    match v {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Number(n) => n.to_string().into_bytes(),
        other => panic!("not a scalar: {other}"),
    }
}

/// The expected (element count, value items in any order / in order) of one JSON entry.
fn expected(e: &Value) -> (Option<u64>, Vec<Vec<u8>>, bool) {
    let arr = |k: &str| e[k].as_array().cloned().unwrap_or_default();
    match e["type"].as_str().unwrap() {
        "string" => (None, vec![bytes_of(&e["value"])], true),
        "list" => {
            let v = arr("values");
            (Some(v.len() as u64), v.iter().map(bytes_of).collect(), true)
        }
        "set" => {
            let v = arr("members");
            (
                Some(v.len() as u64),
                v.iter().map(bytes_of).collect(),
                false,
            )
        }
        "zset" => {
            let v = arr("entries");
            let m = v.iter().map(|x| bytes_of(&x["member"])).collect();
            (Some(v.len() as u64), m, false)
        }
        "hash" => {
            let h = e["hash"].as_object().unwrap();
            (
                Some(h.len() as u64),
                h.values().map(bytes_of).collect(),
                false,
            )
        }
        "stream" => (e["len"].as_u64(), Vec::new(), true),
        t => panic!("unexpected type {t}"),
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn check_case(name: &str) -> usize {
    let json: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join(format!("{name}.json"))).unwrap(),
    )
    .unwrap();
    let keys: Vec<&Value> = json
        .iter()
        .filter(|e| !matches!(e["type"].as_str(), Some("aux" | "functions")))
        .collect();
    let (sum, got) = parse_case(name);
    assert_eq!(
        sum.keys as usize,
        keys.len(),
        "{name}: keys in the dump vs the .json"
    );
    assert_eq!(got.len(), keys.len(), "{name}: distinct (db, key)");
    for e in keys {
        let db = e["db"].as_u64().unwrap();
        let key = e["key"].as_str().unwrap();
        let g = got
            .get(&(db, key.as_bytes().to_vec()))
            .unwrap_or_else(|| panic!("{name}: key {key} (db {db}) not reported"));
        let ctx = format!("{name}: {key}");
        assert_eq!(g.db, db, "{ctx}");
        assert_eq!(g.r#type, e["type"].as_str().unwrap(), "{ctx}: type");
        let (elements, mut want, ordered) = expected(e);
        assert_eq!(g.elements, elements, "{ctx}: elements");
        // value items: all of them here (each collection is smaller than VALUES)
        let mut have = g.values.clone();
        if !ordered {
            want.sort();
            have.sort();
        }
        assert_eq!(
            have.iter().map(|v| text(v)).collect::<Vec<_>>(),
            want.iter().map(|v| text(v)).collect::<Vec<_>>(),
            "{ctx}: value items"
        );
        match e.get("expiration").and_then(Value::as_str) {
            Some(t) => {
                let ms = chrono::DateTime::parse_from_rfc3339(t)
                    .unwrap()
                    .timestamp_millis();
                assert_eq!(g.expire_ms, Some(ms), "{ctx}: expiry");
            }
            None => assert_eq!(g.expire_ms, None, "{ctx}: expiry"),
        }
        let ttl_fields = e
            .get("expire")
            .and_then(Value::as_object)
            .map_or(0, |m| m.values().filter(|v| v.as_i64() > Some(0)).count());
        assert_eq!(
            g.fields_with_ttl, ttl_fields as u64,
            "{ctx}: fields with a TTL"
        );
    }
    json.len()
}

/// Every fixture with an expectation, by name.
fn cases() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "json" && p.with_extension("rdb").exists())
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_peer_dump_parses_to_its_expectation() {
    let cases = cases();
    assert!(cases.len() >= 35, "fixtures missing: {cases:?}");
    let mut failed = Vec::new();
    for c in &cases {
        let r = std::panic::catch_unwind(|| check_case(c));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failed.push(format!("{c}: {msg}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The formats the issue names, each present and parsed (a renamed or dropped fixture fails here
/// rather than silently shrinking the suite above).
#[test]
fn the_named_formats_are_covered() {
    for name in [
        "zipmap_that_doesnt_compress",
        "zipmap_big_len",
        "ziplist_with_integers",
        "intset_16",
        "intset_32",
        "intset_64",
        "quicklist",
        "listpack",
        "set_listpack",
        "stream_listoacks_3",
        "stream_listpacks_2",
        "function",
        "rdb_version_5_with_checksum",
        "hash_with_hfe",
        "hash_as_listpack_with_hfe",
        "valkey_hash2_with_hfe",
    ] {
        check_case(name);
    }
    // the hash-field TTLs are counted: 3 of 8 (Redis 7.4 hashtable), 2 of 3 (listpackex),
    // 2 of 3 (Valkey 9)
    for (name, key, n) in [
        ("hash_with_hfe", "hash-hfe", 3),
        ("hash_as_listpack_with_hfe", "listpack-hfe", 2),
        ("valkey_hash2_with_hfe", "hash2-hfe", 2),
    ] {
        let (_, got) = parse_case(name);
        assert_eq!(
            got[&(0, key.as_bytes().to_vec())].fields_with_ttl,
            n,
            "{name}"
        );
    }
}

/// A dump's checksum is verified: one flipped byte in a string value of the RDB 5 dump is an
/// error naming the checksum.
#[test]
fn a_peer_dump_with_a_flipped_byte_fails_its_checksum() {
    let mut d = std::fs::read(fixtures().join("rdb_version_5_with_checksum.rdb")).unwrap();
    let at = d
        .windows(4)
        .position(|w| w == b"efgh")
        .expect("value in the dump");
    d[at] = b'X';
    let e = cachectl::rdb::parse(&d[..], |_| Ok(()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("checksum mismatch"), "{e}");
}

/// `analyze --rdb` reports the hash fields with a TTL of their own per pattern (JSON and CSV),
/// from a Redis 7.4 hashtable, a listpackex and a Valkey 9 hash; other dumps say 0.
#[test]
fn analyze_rdb_reports_fields_with_ttl_per_pattern() {
    for (name, pattern, n) in [
        ("hash_with_hfe", "hash-hfe", 3),
        ("hash_as_listpack_with_hfe", "listpack-hfe", 2),
        ("valkey_hash2_with_hfe", "hash2-hfe", 2),
        ("hash_as_ziplist", "zipmap_compresses_easily", 0),
    ] {
        let path = fixtures().join(format!("{name}.rdb"));
        let out = crate::support::cachectl()
            .args(["analyze", "--rdb", path.to_str().unwrap(), "-o", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {:?}", out);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let p = v["patterns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["pattern"] == pattern)
            .unwrap_or_else(|| panic!("{name}: no pattern {pattern} in {v}"));
        assert_eq!(p["fields_with_ttl"], n, "{name}");
        let csv = crate::support::cachectl()
            .args(["analyze", "--rdb", path.to_str().unwrap(), "-o", "csv"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&csv.stdout);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let col = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "fields_with_ttl")
            .expect("fields_with_ttl column");
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[col], n.to_string(), "{name}");
    }
}
