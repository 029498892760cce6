//! The client-side glob matcher agrees with the server's own `SCAN MATCH` (Redis's
//! stringmatchlen) on generated keys and patterns, corner cases included.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::support::RedisServer;

/// Bytes that exercise every branch: metacharacters, range bounds, a byte >= 0x80.
const ALPHABET: &[u8] = b"*?[]^-\\ab\xe9";

fn scan_match(conn: &mut redis::Connection, pattern: &[u8]) -> BTreeSet<Vec<u8>> {
    let mut out = BTreeSet::new();
    let mut cursor: u64 = 0;
    loop {
        let (next, keys): (u64, Vec<Vec<u8>>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(pattern)
            .arg("COUNT")
            .arg(10_000)
            .query(conn)
            .expect("SCAN");
        out.extend(keys);
        cursor = next;
        if cursor == 0 {
            return out;
        }
    }
}

#[test]
fn glob_matcher_agrees_with_scan_match() {
    let server = RedisServer::start();
    let mut conn = server.conn();
    // every key of 1 to 3 bytes over the alphabet, and the empty key
    let mut keys: Vec<Vec<u8>> = vec![Vec::new()];
    for &a in ALPHABET {
        keys.push(vec![a]);
        for &b in ALPHABET {
            keys.push(vec![a, b]);
            for &c in ALPHABET {
                keys.push(vec![a, b, c]);
            }
        }
    }
    // and a few longer ones
    for k in [
        &b"ab-ab]ab"[..],
        b"a*b?c",
        b"[ab]^-\\",
        b"aaaaaaab",
        b"\xe9a\xe9b",
    ] {
        keys.push(k.to_vec());
    }
    let mut pipe = redis::pipe();
    for k in &keys {
        pipe.cmd("SET").arg(k).arg(1).ignore();
    }
    pipe.exec(&mut conn).expect("load keys");

    let check = |conn: &mut redis::Connection, pattern: &[u8]| -> Result<(), TestCaseError> {
        let server_side = scan_match(conn, pattern);
        let ours: BTreeSet<Vec<u8>> = keys
            .iter()
            .filter(|k| cachectl::glob::matches(pattern, k))
            .cloned()
            .collect();
        prop_assert_eq!(
            &ours,
            &server_side,
            "pattern {:?}",
            String::from_utf8_lossy(pattern)
        );
        Ok(())
    };
    // hand-picked corner cases first
    for p in [
        &b""[..],
        b"*",
        b"**",
        b"[",
        b"[^",
        b"[]",
        b"[^]",
        b"[]a]",
        b"\\",
        b"a\\",
        b"[\\",
        b"[a-]",
        b"[-a]",
        b"[b-a]",
        b"[a-\xe9]",
        b"[^a-b]*",
        b"*[",
        b"?*",
        b"*?",
        b"\\*",
    ] {
        check(&mut conn, p).unwrap();
    }
    let conn = std::cell::RefCell::new(conn);
    let mut runner = TestRunner::new(Config {
        cases: 400,
        failure_persistence: None,
        ..Config::default()
    });
    let pattern = proptest::collection::vec(proptest::sample::select(ALPHABET), 0..8);
    runner
        .run(&pattern, |p| check(&mut conn.borrow_mut(), &p))
        .unwrap_or_else(|e| panic!("{e}"));
}
