//! Pure comparison (no Redis, no I/O): values byte-exact or as JSON documents, TTLs within a
//! tolerance, keys about to expire, the per-scope tally, and a sample's estimate with its
//! 95% interval.

use serde::Serialize;
use serde_json::Value as Json;

/// How a value is compared with what it should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Compare {
    /// the same bytes
    Exact,
    /// the same JSON document: key order and spacing ignored, numbers compared as numbers
    /// (`1`, `1.0` and `1e0` are equal); a value that is not JSON is compared byte-exact
    Json,
}

/// The same value under `mode`.
pub fn same_value(mode: Compare, expected: &[u8], actual: &[u8]) -> bool {
    if expected == actual {
        return true;
    }
    match mode {
        Compare::Exact => false,
        Compare::Json => match (
            serde_json::from_slice::<Json>(expected),
            serde_json::from_slice::<Json>(actual),
        ) {
            (Ok(a), Ok(b)) => json_eq(&a, &b),
            _ => false,
        },
    }
}

/// JSON equality: objects as maps (order ignored), arrays in order, numbers by value.
pub fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => number_eq(x, y),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn number_eq(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    // integers exactly (an i64 beyond 2^53 must not equal its neighbour), else as floats
    match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
        (Some(a), Some(b), _, _) => a == b,
        (_, _, Some(a), Some(b)) => a == b,
        _ => match (x.as_f64(), y.as_f64()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
    }
}

/// Two remaining TTLs (PTTL: -1 none, ≥ 0 ms) agree within `tolerance_pct` of the larger.
pub fn ttl_close(a: i64, b: i64, tolerance_pct: f64) -> bool {
    match (a < 0, b < 0) {
        (true, true) => a == b,
        (false, false) => {
            let diff = (a - b).unsigned_abs() as f64;
            diff <= a.max(b) as f64 * tolerance_pct / 100.0
        }
        _ => false, // one side expires, the other does not
    }
}

/// A key about to expire (its PTTL below `window_ms`) is skipped: by the time it is read on
/// the other side, or read again, it may be gone without anything being wrong.
pub fn expiring(pttl: i64, window_ms: u64) -> bool {
    pttl >= 0 && (pttl as u64) < window_ms
}

/// What one key turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Fresh,
    Stale,
    Missing,
    /// about to expire: not judged
    Expiring,
    /// different at first, and written again by the recheck (a write in flight): not judged
    Changing,
}

/// Why a stale key is stale (against a deployment: several ways).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Why {
    Value,
    Type,
    Ttl,
}

/// `fresh ÷ (fresh + stale) × 100`; `None` when nothing was judged (missing keys are apart).
pub fn coherence_pct(fresh: u64, stale: u64) -> Option<f64> {
    let n = fresh + stale;
    (n > 0).then(|| fresh as f64 * 100.0 / n as f64)
}

/// A sample's coherence with its 95% interval (Wilson score, with the finite population
/// correction when the population is known).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// rows (or keys) the sample was drawn from
    pub population: u64,
    pub sampled: u64,
    pub coherence_pct: Option<f64>,
    pub low_pct: Option<f64>,
    pub high_pct: Option<f64>,
}

pub fn estimate(population: u64, sampled: u64, fresh: u64, stale: u64) -> Estimate {
    let n = (fresh + stale) as f64;
    let (mut low, mut high) = (None, None);
    let p_hat = coherence_pct(fresh, stale).map(|p| p / 100.0);
    if let Some(p) = p_hat {
        const Z: f64 = 1.959_963_984_540_054;
        // finite population: the effective sample grows as the sample nears the population
        let fpc = if population > 1 && (sampled as f64) < population as f64 {
            ((population as f64 - sampled as f64) / (population as f64 - 1.0)).max(0.0)
        } else if population > 0 && sampled >= population {
            0.0
        } else {
            1.0
        };
        let z2 = Z * Z * fpc;
        let denom = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / denom;
        let half = (z2.sqrt() / denom) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        low = Some(((centre - half) * 100.0).clamp(0.0, 100.0));
        high = Some(((centre + half) * 100.0).clamp(0.0, 100.0));
    }
    Estimate {
        population,
        sampled,
        coherence_pct: p_hat.map(|p| p * 100.0),
        low_pct: low,
        high_pct: high,
    }
}

pub use crate::stats::Sampler;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ignores_key_order_spacing_and_number_spelling() {
        let a = br#"{"id":7,"name":"Pro","tags":["a","b"],"price":12.5,"n":{"x":1,"y":null}}"#;
        let b = br#"{ "price": 12.50, "n": { "y": null, "x": 1.0 }, "tags": [ "a", "b" ], "name": "Pro", "id": 7 }"#;
        assert!(!same_value(Compare::Exact, a, b));
        assert!(same_value(Compare::Json, a, b));
        // arrays keep their order, values count, extra keys count
        let c = br#"{"id":7,"name":"Pro","tags":["b","a"],"price":12.5,"n":{"x":1,"y":null}}"#;
        assert!(!same_value(Compare::Json, a, c));
        assert!(!same_value(
            Compare::Json,
            br#"{"a":1}"#,
            br#"{"a":1,"b":2}"#
        ));
        assert!(!same_value(Compare::Json, br#"{"a":"1"}"#, br#"{"a":1}"#));
        assert!(same_value(Compare::Json, b"1e2", b"100"));
        // large integers exactly
        assert!(!same_value(
            Compare::Json,
            b"9007199254740993",
            b"9007199254740992"
        ));
        // not JSON: bytes
        assert!(same_value(Compare::Json, b"plain", b"plain"));
        assert!(!same_value(Compare::Json, b"plain", b"plain "));
    }

    #[test]
    fn ttls_agree_within_the_tolerance_of_the_larger() {
        assert!(ttl_close(-1, -1, 10.0));
        assert!(!ttl_close(-1, 5000, 10.0));
        assert!(ttl_close(10_000, 9_000, 10.0));
        assert!(!ttl_close(10_000, 8_999, 10.0));
        assert!(expiring(500, 1000));
        assert!(!expiring(-1, 1000));
        assert!(!expiring(1000, 1000));
    }

    #[test]
    fn coherence_counts_fresh_over_fresh_and_stale() {
        // the issue's case: 2,000 rows, 100 changed, 20 deleted
        let p = coherence_pct(1880, 100).unwrap();
        assert!((p - 94.949_494).abs() < 1e-4, "{p}");
        assert_eq!(coherence_pct(0, 0), None);
    }

    #[test]
    fn the_interval_holds_the_estimate_and_narrows_with_the_sample() {
        let e = estimate(2000, 500, 475, 25);
        let (lo, hi) = (e.low_pct.unwrap(), e.high_pct.unwrap());
        assert!(lo < 95.0 && 95.0 < hi, "{e:?}");
        assert!(lo > 92.0 && hi < 97.5, "{e:?}");
        let wide = estimate(1_000_000, 50, 47, 3);
        assert!(wide.high_pct.unwrap() - wide.low_pct.unwrap() > hi - lo);
        // the whole population: no uncertainty
        let all = estimate(500, 500, 475, 25);
        assert!((all.low_pct.unwrap() - 95.0).abs() < 1e-9, "{all:?}");
        assert!((all.high_pct.unwrap() - 95.0).abs() < 1e-9, "{all:?}");
    }

    #[test]
    fn the_sampler_is_uniform_and_bounded() {
        let mut hits = [0u32; 10];
        for seed in 0..2000 {
            let mut s = Sampler::new(3, seed + 1);
            for i in 0..10 {
                s.push(i);
            }
            assert_eq!((s.items.len(), s.seen), (3, 10));
            for &i in &s.items {
                hits[i] += 1;
            }
        }
        // each of 10 items is kept 3/10 of the time: 600 of 2000
        for h in hits {
            assert!((480..=720).contains(&h), "{hits:?}");
        }
    }
}
