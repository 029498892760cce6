//! What a run found, per scope (a profile namespace, or a pattern) and in total, with a
//! bounded list of example keys: memory is bounded by the scopes and the examples, never by
//! the number of keys checked.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::compare::{coherence_pct, Verdict, Why};
use super::{Item, Judged};
use crate::units::human_count;

/// Stale (and missing) keys listed in the output, at most.
pub const EXAMPLES: usize = 20;
/// Scopes reported one by one, at most; the rest are summed under [`OTHER`].
pub const MAX_SCOPES: usize = 100;
pub const OTHER: &str = "(other)";
/// Values shown with --show-values are cut at this many bytes.
const VALUE_SHOWN: usize = 200;

/// One row of the report: a scope, or the total.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Row {
    pub scope: String,
    pub checked: u64,
    pub fresh: u64,
    pub stale: u64,
    pub missing: u64,
    /// fresh ÷ (fresh + stale) × 100; `null` when no key was judged
    pub coherence_pct: Option<f64>,
    /// the first stale key found in the scope (else the first missing one)
    pub example_key: Option<String>,
}

impl Row {
    fn add(&mut self, other: &Row) {
        self.checked += other.checked;
        self.fresh += other.fresh;
        self.stale += other.stale;
        self.missing += other.missing;
        self.coherence_pct = coherence_pct(self.fresh, self.stale);
    }
}

/// A stale or missing key in the output (its values only with --show-values).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub key: String,
    pub scope: String,
    /// stale | missing
    pub verdict: Verdict,
    /// what differs: value | type | ttl
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<Why>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
}

#[derive(Debug, Default)]
pub struct Tally {
    rows: BTreeMap<String, Row>,
    /// stale keys first found, then missing ones (each list bounded)
    pub stale_keys: Vec<Example>,
    pub missing_keys: Vec<Example>,
    /// about to expire (or gone from the first deployment meanwhile): not judged
    pub expiring: u64,
    /// rows of the source that could not be read or rendered
    pub bad_rows: u64,
    /// the first of them and why (`line 2: a quoted field opened on line 2 is never closed…`)
    pub first_bad_row: Option<String>,
    /// differences read again after --recheck
    pub rechecked: u64,
    /// differences gone at the recheck (writes in flight)
    pub settled: u64,
    /// differences whose values changed again by the recheck (being written): not judged
    pub changing: u64,
}

fn shown(v: Option<Vec<u8>>) -> Option<String> {
    v.map(|b| {
        let text = String::from_utf8_lossy(&b[..b.len().min(VALUE_SHOWN)]).into_owned();
        if b.len() > VALUE_SHOWN {
            format!("{text}…")
        } else {
            text
        }
    })
}

impl Tally {
    fn row(&mut self, scope: &str) -> &mut Row {
        let scope = if self.rows.contains_key(scope) || self.rows.len() < MAX_SCOPES {
            scope
        } else {
            OTHER
        };
        self.rows.entry(scope.to_string()).or_insert_with(|| Row {
            scope: scope.to_string(),
            ..Row::default()
        })
    }

    /// Count one key's final verdict.
    pub fn record<T: Item>(&mut self, j: Judged<T>, show_values: bool) {
        match j.verdict {
            Verdict::Expiring => {
                self.expiring += 1;
                return;
            }
            Verdict::Changing => {
                self.changing += 1;
                return;
            }
            _ => {}
        }
        let key = crate::keys::key_text(j.item.key());
        let scope = j.item.scope().to_string();
        let row = self.row(&scope);
        row.checked += 1;
        match j.verdict {
            Verdict::Fresh => row.fresh += 1,
            Verdict::Stale => {
                row.stale += 1;
                if row.stale == 1 {
                    row.example_key = Some(key.clone());
                }
            }
            Verdict::Missing => {
                row.missing += 1;
                if row.stale == 0 && row.example_key.is_none() {
                    row.example_key = Some(key.clone());
                }
            }
            Verdict::Expiring | Verdict::Changing => unreachable!("counted above"),
        }
        row.coherence_pct = coherence_pct(row.fresh, row.stale);
        let list = match j.verdict {
            Verdict::Stale => &mut self.stale_keys,
            Verdict::Missing => &mut self.missing_keys,
            _ => return,
        };
        if list.len() < EXAMPLES {
            list.push(Example {
                key,
                scope,
                verdict: j.verdict,
                why: j.why,
                expected: show_values.then(|| shown(j.expected)).flatten(),
                actual: show_values.then(|| shown(j.actual)).flatten(),
            });
        }
    }

    /// Keys read so far, judged or not.
    pub fn seen(&self) -> u64 {
        self.rows.values().map(|r| r.checked).sum::<u64>() + self.expiring + self.changing
    }

    /// The progress bar's message.
    pub fn progress(&self) -> String {
        let t = self.total();
        format!(
            "{} keys: {} stale, {} missing",
            human_count(t.checked),
            human_count(t.stale),
            human_count(t.missing)
        )
    }

    pub fn total(&self) -> Row {
        let mut t = Row {
            scope: "total".into(),
            ..Row::default()
        };
        for r in self.rows.values() {
            t.add(r);
        }
        // the first stale key of any scope, else the first missing one
        t.example_key = self
            .stale_keys
            .first()
            .or(self.missing_keys.first())
            .map(|e| e.key.clone());
        t
    }

    /// The scope rows, in scope order.
    pub fn rows(&self) -> Vec<Row> {
        self.rows.values().cloned().collect()
    }
}

/// Which scope a key is reported under: the job's namespace; else the first profile
/// namespace whose pattern (or format) matches it; else a fixed scope (the key template as a
/// glob, or `--match`); else the key's pattern (`analyze`'s normalization, split on `:`).
#[derive(Debug, Clone, Default)]
pub struct Scoper {
    pub fixed: Option<Arc<str>>,
    pub namespaces: Vec<(Arc<str>, String)>,
    pub fallback: Option<Arc<str>>,
}

impl Scoper {
    /// The profile's namespaces, each with its glob.
    pub fn with_profile(mut self, p: Option<&crate::profile::Profile>) -> Self {
        if let Some(p) = p {
            for (name, ns) in &p.namespaces {
                let glob = match (&ns.pattern, &ns.format) {
                    (Some(g), _) => g.clone(),
                    (None, Some(f)) => crate::glob::from_format(f),
                    (None, None) => continue,
                };
                self.namespaces.push((Arc::from(name.as_str()), glob));
            }
        }
        self
    }

    pub fn scope(&self, key: &[u8]) -> Arc<str> {
        if let Some(f) = &self.fixed {
            return f.clone();
        }
        for (name, glob) in &self.namespaces {
            if crate::glob::matches(glob.as_bytes(), key) {
                return name.clone();
            }
        }
        match &self.fallback {
            Some(f) => f.clone(),
            None => Arc::from(crate::analyze::patterns::normalize(
                &crate::keys::key_text(key),
                b":",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct K(&'static str, &'static str);
    impl Item for K {
        fn key(&self) -> &[u8] {
            self.0.as_bytes()
        }
        fn scope(&self) -> &str {
            self.1
        }
    }

    #[test]
    fn scopes_add_up_to_the_total_and_examples_are_stale_keys() {
        let mut t = Tally::default();
        t.record(Judged::new(K("a:1", "a:*"), Verdict::Fresh), false);
        t.record(Judged::new(K("a:2", "a:*"), Verdict::Missing), false);
        t.record(Judged::stale(K("a:3", "a:*"), Why::Value), false);
        t.record(Judged::new(K("b:1", "b:*"), Verdict::Fresh), false);
        t.record(Judged::new(K("b:2", "b:*"), Verdict::Expiring), false);
        let rows = t.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (
                rows[0].checked,
                rows[0].fresh,
                rows[0].stale,
                rows[0].missing
            ),
            (3, 1, 1, 1)
        );
        assert_eq!(rows[0].coherence_pct, Some(50.0));
        assert_eq!(rows[0].example_key.as_deref(), Some("a:3"));
        let total = t.total();
        assert_eq!((total.checked, total.fresh, total.stale), (4, 2, 1));
        assert_eq!(total.example_key.as_deref(), Some("a:3"));
        assert_eq!(t.expiring, 1);
        assert_eq!(t.stale_keys[0].why, Some(Why::Value));
    }

    #[test]
    fn keys_are_scoped_by_job_namespace_then_profile_then_pattern() {
        let mut s = Scoper {
            namespaces: vec![(Arc::from("plans"), "plan_catalog:v1:*".into())],
            ..Scoper::default()
        };
        assert_eq!(&*s.scope(b"plan_catalog:v1:42"), "plans");
        assert_eq!(&*s.scope(b"user:1234:profile"), "user:*:profile");
        s.fallback = Some(Arc::from("user:*"));
        assert_eq!(&*s.scope(b"user:1234:profile"), "user:*");
        s.fixed = Some(Arc::from("job_ns"));
        assert_eq!(&*s.scope(b"plan_catalog:v1:42"), "job_ns");
    }

    #[test]
    fn values_are_kept_only_when_asked_and_lists_are_bounded() {
        let mut t = Tally::default();
        for i in 0..(EXAMPLES as u64 + 5) {
            let mut j = Judged::stale(K("k", "s"), Why::Value);
            j.expected = Some(format!("secret-{i}").into_bytes());
            t.record(j, false);
        }
        assert_eq!(t.stale_keys.len(), EXAMPLES);
        assert!(t.stale_keys.iter().all(|e| e.expected.is_none()));
        let mut j = Judged::stale(K("k", "s"), Why::Value);
        j.expected = Some(b"v".to_vec());
        let mut t = Tally::default();
        t.record(j, true);
        assert_eq!(t.stale_keys[0].expected.as_deref(), Some("v"));
    }
}
