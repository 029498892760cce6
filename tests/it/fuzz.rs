//! Bounded fuzzing (proptest) of every parser that takes outside input: durations, rates,
//! percents, globs, URLs and their redaction, profiles and `${VAR}`s, cron lines, CSV/JSONL
//! rows, INFO / CLUSTER NODES text. None may panic; a few properties are checked on the way.
//! Case counts are small so the whole module runs in seconds.

use std::io::Cursor;

use proptest::prelude::*;
use proptest::sample::select;

use cachectl::glob;
use cachectl::redact;
use cachectl::units::{parse_duration, parse_percent, parse_rate, MAX_DURATION_SECS};

fn cfg(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Strings over an alphabet, for inputs that hit the parsers' branches more often than
/// arbitrary Unicode does.
fn text_over(alphabet: &'static [char], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(select(alphabet), 0..max).prop_map(|v| v.into_iter().collect())
}

const DUR: &[char] = &[
    '0', '1', '5', '9', '.', 'e', 'E', '-', '+', 'm', 's', 'h', 'd', 'w', 'n', 'a', 'i', 'f', ' ',
    '%', '/',
];

proptest! {
    #![proptest_config(cfg(1000))]

    #[test]
    fn durations_never_panic(s in prop_oneof![any::<String>(), text_over(DUR, 12)]) {
        if let Ok(d) = parse_duration(&s) {
            prop_assert!(d.as_secs_f64() <= MAX_DURATION_SECS + 1.0, "{s}: {d:?}");
        }
        if let Ok(p) = parse_percent(&s) {
            prop_assert!((0.0..=100.0).contains(&p), "{s}: {p}");
        }
        if let Ok(r) = parse_rate(&s) {
            prop_assert!(r.is_finite() && r > 0.0, "{s}: {r}");
        }
    }

    #[test]
    fn durations_from_numbers(secs in any::<f64>()) {
        let s = format!("{secs}");
        match parse_duration(&s) {
            Ok(d) => prop_assert!((0.0..=MAX_DURATION_SECS).contains(&secs) && (d.as_secs_f64() - secs).abs() < 1e-3),
            Err(_) => prop_assert!(!(secs.is_finite() && (0.0..=MAX_DURATION_SECS).contains(&secs))),
        }
    }

    #[test]
    fn globs_never_panic_and_match_everything_is_exact(
        p in proptest::collection::vec(select(b"*?[]^-\\ab\xff".as_slice()), 0..10),
        k in proptest::collection::vec(any::<u8>(), 1..12),
    ) {
        let everything = std::str::from_utf8(&p).map(glob::matches_everything).unwrap_or(false);
        let m = glob::matches(&p, &k);
        if everything && !p.is_empty() {
            // sound: it does match every non-empty key
            prop_assert!(m, "{:?} should match {:?}", String::from_utf8_lossy(&p), k);
            for b in 0..=255u8 {
                prop_assert!(glob::matches(&p, &[b]));
            }
        } else if std::str::from_utf8(&p).is_ok() && !p.is_empty() {
            // complete: some key of one or two bytes escapes it
            let escapes = (0..=255u8).any(|b| !glob::matches(&p, &[b]))
                || !glob::matches(&p, b"ab");
            prop_assert!(escapes, "{:?}", String::from_utf8_lossy(&p));
        }
    }

    #[test]
    fn urls_never_panic(s in prop_oneof![any::<String>(), text_over(&[':', '/', '@', '?', '&', '=', ',', 'p', 'a', 's', 'r', 'e', 'd', 'i', 'u', 'n', 'x', '%', '4', '0', '[', ']'], 30)]) {
        let _ = redact::url(&s);
        let _ = redact::text(&s);
        let _ = redact::split_list(&s);
        let _ = cachectl::engine::parse_url(&s);
    }

    #[test]
    fn url_passwords_are_always_masked(pw in "[ -~]{4,16}", user in "[a-z]{0,5}") {
        prop_assume!(!pw.contains("://") && !pw.contains("***"));
        let tcp = format!("redis://{user}:{pw}@cache-1:6379/0");
        prop_assert!(!redact::url(&tcp).contains(&pw), "{tcp} -> {}", redact::url(&tcp));
        let msg = redact::text(&format!("error for `{tcp}`: refused"));
        prop_assert!(!msg.contains(&pw), "{}", msg);
        // a query password ends at `&`, as the URL parser reads it
        prop_assume!(!pw.contains('&'));
        let unix = format!("unix:///run/redis.sock?db=1&pass={pw}");
        prop_assert!(!redact::url(&unix).contains(&pw), "{unix} -> {}", redact::url(&unix));
    }

    #[test]
    fn percent_encoded_passwords_are_decoded(pw in "[ -~]{1,16}") {
        let enc: String = pw.bytes().map(|b| format!("%{b:02X}")).collect();
        let info = cachectl::engine::parse_url(&format!("redis://u:{enc}@h:1")).unwrap();
        prop_assert_eq!(info.redis_settings().password(), Some(pw.as_str()));
        prop_assert_eq!(redact::percent_decode(&enc), pw);
    }

    #[test]
    fn env_expansion_never_panics(s in prop_oneof![any::<String>(), text_over(&['$', '{', '}', ':', '-', 'A', '_', 'x', ' '], 20)]) {
        let get = |k: &str| (k == "A").then(|| "a\"b\n: [c]".to_string());
        let _ = cachectl::profile::expand_str(&s, &get);
    }

    #[test]
    fn cron_lines_never_panic(s in prop_oneof![any::<String>(), text_over(&['*', '/', ',', '-', ' ', '0', '1', '5', '7', '9', '@', 'L', 'W', '#', '?', 'd', 'a', 'i', 'l', 'y'], 24)]) {
        if let Ok(sch) = cachectl::schedule::Schedule::parse(&s) {
            let _ = sch.next_local();
        }
    }

    #[test]
    fn info_text_never_panics(s in prop_oneof![any::<String>(), text_over(&['a', 'b', ':', '=', ',', '\r', '\n', '#', '1', '9', '-', ' ', '@', '[', ']', '>', '<'], 80)]) {
        let _ = cachectl::engine::info::parse_info(&s);
        let _ = cachectl::engine::info::parse_keyspace_db(&s);
        let _ = cachectl::engine::info::parse_version(&s);
        let _ = cachectl::engine::info::parse_cluster_nodes(&s);
        let _ = cachectl::report::window::Sample::parse(&s);
    }

    #[test]
    fn cluster_nodes_lines_never_panic(
        fields in proptest::collection::vec(
            prop_oneof![
                Just("a1".to_string()), Just("127.0.0.1:30001@40001".to_string()),
                Just("[::1]:7000@17000,host".to_string()), Just(":".to_string()),
                Just("myself,master".to_string()), Just("slave,fail".to_string()),
                Just("-".to_string()), Just("connected".to_string()),
                Just("0-16383".to_string()), Just("16383-0".to_string()),
                Just("99999".to_string()), Just("[42->-b2]".to_string()), "[0-9-]{1,7}",
            ],
            0..12,
        ),
    ) {
        let line = fields.join(" ");
        let _ = cachectl::engine::info::parse_cluster_nodes(&format!("{line}\n{line}\n"));
    }
}

proptest! {
    #![proptest_config(cfg(400))]

    #[test]
    fn rows_never_panic(
        body in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..200),
            text_over(&['{', '}', '"', ':', ',', '[', ']', '\n', '\r', 'a', '1', ' ', '\\', 'n', 'u', 'l', '.', 'e'], 120).prop_map(String::into_bytes),
        ],
        jsonl in any::<bool>(),
        cols in any::<bool>(),
    ) {
        use cachectl::warm::rows::{Format, RowReader};
        let format = if jsonl { Format::Jsonl } else { Format::Csv };
        let columns: Vec<String> = if cols { vec!["id".into(), "v".into()] } else { Vec::new() };
        if let Ok(reader) = RowReader::new(Cursor::new(body), format, &columns) {
            for row in reader.take(500).flatten() {
                let _ = row.fields.to_json();
            }
        }
    }

    #[test]
    fn profiles_never_panic(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("name: x".to_string()),
                Just("namespaces:".to_string()),
                Just("  a:".to_string()),
                Just("    pattern: \"a:*\"".to_string()),
                Just("    format: \"app:{id}\"".to_string()),
                Just("warm:".to_string()),
                Just("  j: { namespace: a, source: { type: file, path: x.csv }, key: \"k:{id}\" }".to_string()),
                Just("slo:".to_string()),
                Just("  hit_rate_pct: { warn_below: 80, crit_below: 70 }".to_string()),
                Just("  min_lookups: ${N:-5}".to_string()),
                Just("redis: { url: \"${U:-redis://:p@h}\" }".to_string()),
                "    (ttl|ttl_jitter|recompute|staleness|read_write_ratio|rate): [-0-9.e%/a-z${}:]{0,8}",
                "    (pattern|tags|consistency|access): [\\[\\]*?a-z\"'{}$:, -]{0,10}",
                any::<String>(),
            ],
            0..10,
        ),
    ) {
        let text = lines.join("\n");
        let _ = cachectl::profile::parse(&text, "fuzz.yaml");
    }
}
