//! `report --patterns`: the pure per-pattern accounting of one window (SPEC §3 report). No I/O:
//! the shell (`live`) feeds it the key-events and MONITOR accesses of the window and the INFO
//! deltas at its end.
//!
//! - Keys are classified like `analyze` does: a profile namespace first (by name), else the
//!   pattern engine (`analyze::patterns`, its trie and cardinality guard): memory O(patterns).
//! - Misses, expirations and evictions are counted from key-events: exact.
//! - Lookups, writes and deletes come from MONITOR samples. Per node, the sampled lookups of each
//!   pattern are scaled so that their sum is the node's exact Δ(keyspace_hits + keyspace_misses);
//!   hits = lookups − misses. A sample of every command (`--sample-reads 100%`) is exact; a
//!   partial one carries a 95% interval (binomial share of each node's sample).
//! - Top missed keys: one space-saving table (fixed size) for the window; miss bursts: a key
//!   missed at least `burst_misses` times within one wall-clock second (a fixed-size table per
//!   second), at most [`MAX_BURSTS`] per window.

use serde::Serialize;

use crate::analyze::aggregate::NamespaceRule;
use crate::analyze::patterns::{self as pat, Merge, PatternTrie};
use crate::engine::monitor::Access;
use crate::keys::key_text;
use crate::stats::{CountMin, SpaceSaving};

/// Counters of each pattern's top-missed-keys table.
pub const TOP_MISSED: usize = 8;
/// Counters per row of the per-second count-min sketch of misses.
pub const BURST_WIDTH: usize = 16_384;
/// Keys that reached the burst threshold, kept per second.
pub const BURST_CANDIDATES: usize = 256;
/// Bursts kept per window (the largest when more happened).
pub const MAX_BURSTS: usize = 100;

/// One pattern's counts in a window: sampled per node (lookups, writes, deletes) and exact
/// (misses, expired, evicted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub lookups: Vec<u64>,
    pub writes: Vec<u64>,
    pub deletes: Vec<u64>,
    pub misses: u64,
    pub expired: u64,
    pub evicted: u64,
    /// the pattern's most missed keys (space-saving, [`TOP_MISSED`] counters)
    pub top: Option<SpaceSaving>,
}

fn bump(v: &mut Vec<u64>, node: usize) {
    if v.len() <= node {
        v.resize(node + 1, 0);
    }
    v[node] += 1;
}

fn add_vec(a: &mut Vec<u64>, b: Vec<u64>) {
    if a.len() < b.len() {
        a.resize(b.len(), 0);
    }
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

impl Merge for Counts {
    fn merge(&mut self, o: Counts) {
        add_vec(&mut self.lookups, o.lookups);
        add_vec(&mut self.writes, o.writes);
        add_vec(&mut self.deletes, o.deletes);
        self.misses += o.misses;
        self.expired += o.expired;
        self.evicted += o.evicted;
        match (&mut self.top, o.top) {
            (Some(a), Some(b)) => a.merge(b),
            (a @ None, b) => *a = b,
            _ => {}
        }
    }
}

/// A pattern's row (SPEC §3 report `--patterns`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PatternRow {
    pub pattern: String,
    pub namespace: Option<String>,
    pub lookups: Option<u64>,
    pub hits: Option<u64>,
    pub misses: Option<u64>,
    pub hit_rate_pct: Option<f64>,
    pub hit_rate_low_pct: Option<f64>,
    pub hit_rate_high_pct: Option<f64>,
    /// lookups (and so hits and the hit rate) scaled from a partial MONITOR sample
    pub estimated: bool,
    pub writes: Option<u64>,
    pub deletes: Option<u64>,
    pub expired: Option<u64>,
    pub evicted: Option<u64>,
    pub top_missed_key: Option<String>,
    pub top_missed_count: Option<u64>,
}

/// A key missed at least `--burst-misses` times within one second.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MissBurst {
    pub key: String,
    pub pattern: String,
    pub namespace: Option<String>,
    /// misses in its worst second
    pub count: u64,
    /// that second (UTC)
    pub at: String,
    /// seconds of the window in which it burst
    pub seconds: u64,
}

/// What a node gave the window: its exact INFO deltas and how much of it MONITOR saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeTotals {
    /// Δ(keyspace_hits + keyspace_misses); None when unknown (a restart inside the window)
    pub lookups: Option<u64>,
    /// Δkeyspace_misses
    pub misses: Option<u64>,
    /// share of the window MONITOR was on (1.0: all of it, between the markers)
    pub sampled_fraction: f64,
    /// a MONITOR connection was dropped or a slice cut short: the interval is widened
    pub sample_cut: bool,
    /// the node's key-event stream ran whole from one marker to the other (no disconnect)
    pub events_whole: bool,
}

/// Below this share of a node's misses seen as events, its events are taken as lost (a
/// restart that dropped `notify-keyspace-events`), not as `OBJECT` lookups, which miss without
/// an event.
const MIN_EVENTS_COVERAGE: f64 = 0.9;

impl NodeTotals {
    /// Are the node's misses known from its events: a whole stream that saw (nearly) every
    /// miss INFO counted?
    pub fn events_complete(&self, events: u64) -> bool {
        self.events_whole
            && match self.misses {
                Some(0) => true,
                Some(m) => events as f64 >= MIN_EVENTS_COVERAGE * m as f64,
                None => false,
            }
    }
}

/// A node's figures for the window's `pattern_nodes`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NodeCoverage {
    pub node: String,
    /// Δ(keyspace_hits + keyspace_misses) from INFO
    pub lookups: Option<u64>,
    /// Δkeyspace_misses from INFO
    pub misses: Option<u64>,
    /// lookups seen by MONITOR
    pub sampled_lookups: u64,
    pub sampled_pct: f64,
    /// `keymiss` events received
    pub keymiss_events: u64,
    /// keymiss events / Δkeyspace_misses, percent (below 100: OBJECT lookups, or lost events)
    pub events_coverage_pct: Option<f64>,
    /// the server's CPU per command while MONITOR was on over that while it was off (null: not
    /// measured: the whole window sampled, or too few commands)
    pub monitor_cost_ratio: Option<f64>,
    /// the server's CPU per command in this window while MONITOR was off (key-events on) over
    /// that before the run added the key-event flags (null: the flags were there already, the
    /// server was idle, or the whole window was sampled)
    pub events_cost_ratio: Option<f64>,
}

/// The accounting of one window.
pub struct Accountant {
    seps: Vec<u8>,
    rules: Vec<NamespaceRule>,
    ns: Vec<Counts>,
    trie: PatternTrie<Counts>,
    /// keymiss events per node
    node_events: Vec<u64>,
    /// sampled lookups per node
    node_sampled: Vec<u64>,
    burst_misses: u64,
    burst_second: Option<i64>,
    burst_sketch: CountMin,
    burst_keys: Vec<Vec<u8>>,
    bursts: Vec<(Vec<u8>, u64, i64)>,
    /// a key's pattern text and tokens, in buffers reused from key to key
    text: String,
    tokens: pat::Tokens,
}

impl Accountant {
    pub fn new(seps: &[u8], rules: Vec<NamespaceRule>, nodes: usize, burst_misses: u64) -> Self {
        Accountant {
            seps: seps.to_vec(),
            ns: vec![Counts::default(); rules.len()],
            rules,
            trie: PatternTrie::new(seps),
            node_events: vec![0; nodes],
            node_sampled: vec![0; nodes],
            burst_misses: burst_misses.max(1),
            burst_second: None,
            burst_sketch: CountMin::new(BURST_WIDTH),
            burst_keys: Vec::new(),
            bursts: Vec::new(),
            text: String::new(),
            tokens: pat::Tokens::default(),
        }
    }

    fn slot(&mut self, key: &[u8]) -> &mut Counts {
        if let Some(i) = self.rules.iter().position(|r| r.matcher.matches(key)) {
            return &mut self.ns[i];
        }
        self.text.clear();
        pat::pattern_text_into(key, &mut self.text);
        pat::tokenize_into(&self.text, &self.seps, &mut self.tokens);
        self.trie.entry(self.tokens.iter())
    }

    /// A key a MONITOR line read, wrote or deleted on `node`.
    pub fn access(&mut self, node: usize, a: Access, key: &[u8]) {
        if a == Access::Lookup {
            bump(&mut self.node_sampled, node);
        }
        let c = self.slot(key);
        match a {
            Access::Lookup => bump(&mut c.lookups, node),
            Access::Write => bump(&mut c.writes, node),
            Access::Delete => bump(&mut c.deletes, node),
        }
    }

    /// A `keymiss` event of `node`, received in wall-clock second `unix_s`.
    pub fn miss(&mut self, node: usize, key: &[u8], unix_s: i64) {
        bump(&mut self.node_events, node);
        let c = self.slot(key);
        c.misses += 1;
        c.top
            .get_or_insert_with(|| SpaceSaving::new(TOP_MISSED))
            .add(key);
        if self.burst_second != Some(unix_s) {
            self.flush_second();
            self.burst_second = Some(unix_s);
        }
        let est = self.burst_sketch.add(key);
        if est == self.burst_misses && self.burst_keys.len() < BURST_CANDIDATES {
            self.burst_keys.push(key.to_vec());
        }
    }

    pub fn expired(&mut self, key: &[u8]) {
        self.slot(key).expired += 1;
    }

    pub fn evicted(&mut self, key: &[u8]) {
        self.slot(key).evicted += 1;
    }

    /// Close the current second: the keys whose count reached `burst_misses` in it are
    /// bursts (counts: the sketch's estimate, never below the true count).
    fn flush_second(&mut self) {
        if let Some(s) = self.burst_second {
            for k in std::mem::take(&mut self.burst_keys) {
                let c = self.burst_sketch.estimate(&k);
                self.bursts.push((k, c, s));
            }
            self.burst_sketch.clear();
        }
        self.burst_keys.clear();
    }

    /// The window's rows (sorted by misses, then lookups), bursts and node figures. `events`:
    /// key-events were received (else misses, expirations and evictions are unknown).
    pub fn finish(
        mut self,
        node_names: &[String],
        totals: &[NodeTotals],
        events: bool,
    ) -> (Vec<PatternRow>, Vec<MissBurst>, Vec<NodeCoverage>) {
        self.flush_second();
        let mut all: Vec<(String, Option<String>, Counts)> = self
            .rules
            .iter()
            .zip(std::mem::take(&mut self.ns))
            .filter(|(_, c)| *c != Counts::default())
            .map(|(r, c)| (r.glob.clone(), Some(r.name.clone()), c))
            .collect();
        let trie = std::mem::replace(&mut self.trie, PatternTrie::new(&self.seps));
        all.extend(trie.into_patterns().into_iter().map(|(p, c)| (p, None, c)));

        // per node: the factor from sampled lookups to the exact ones; None: cannot apportion
        let factors: Vec<Option<f64>> = totals
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let s = self.node_sampled.get(i).copied().unwrap_or(0);
                match t.lookups {
                    Some(0) => Some(0.0),
                    Some(l) if s > 0 => Some(l as f64 / s as f64),
                    _ => None,
                }
            })
            .collect();
        let exact = totals
            .iter()
            .all(|t| t.sampled_fraction >= 1.0 && !t.sample_cut);
        let widen = if totals.iter().any(|t| t.sample_cut) {
            2.0
        } else {
            1.0
        };

        // misses are exact only where every node's key-events were: else unknown (a row's
        // misses would be a lower bound, and its hit rate too high)
        let known = events
            && totals
                .iter()
                .enumerate()
                .all(|(i, t)| t.events_complete(self.node_events.get(i).copied().unwrap_or(0)));
        let mut rows: Vec<PatternRow> = all
            .iter()
            .map(|(p, ns, c)| {
                let misses = known.then_some(c.misses);
                let (lookups, sd) = scaled_lookups(c, &factors, &self.node_sampled, totals);
                let lookups = lookups.map(|l| l.max(misses.unwrap_or(0) as f64));
                let sd = sd * widen;
                let (hr, lo, hi) = match (lookups, misses) {
                    (Some(l), Some(m)) => hit_rates(l, m as f64, if exact { 0.0 } else { sd }),
                    _ => (None, None, None),
                };
                let lookups_n = lookups.map(|l| l.round() as u64);
                // writes and deletes seen in the sample, scaled by the node's share of
                // commands sampled (its lookups' factor: MONITOR slows a busy server, so the
                // share of its commands a slice sees is below the share of time it is on), or
                // by the share of time where the node had no lookups; unknown on a node no
                // MONITOR watched
                let scale = |v: &Vec<u64>| -> Option<u64> {
                    let mut sum = 0.0;
                    for (i, t) in totals.iter().enumerate() {
                        if t.sampled_fraction <= 0.0 {
                            return None;
                        }
                        let n = v.get(i).copied().unwrap_or(0) as f64;
                        sum += match factors.get(i).copied().flatten() {
                            Some(f) if f > 0.0 => n * f,
                            _ => n / t.sampled_fraction.min(1.0),
                        };
                    }
                    Some(sum.round() as u64)
                };
                let top = c.top.as_ref().map(|t| t.top()).unwrap_or_default();
                // the most missed key, where one stands out: its count is exact (the table
                // never overflowed) or it was missed more than 1/TOP_MISSED of the pattern's
                // misses for sure (count − err above that share); spread-out misses name none
                let hh = top.first().filter(|(_, n, e)| {
                    *e == 0 || (n - e) as f64 > c.misses as f64 / TOP_MISSED as f64
                });
                PatternRow {
                    pattern: p.clone(),
                    namespace: ns.clone(),
                    lookups: lookups_n,
                    hits: match (lookups_n, misses) {
                        (Some(l), Some(m)) => Some(l.saturating_sub(m)),
                        _ => None,
                    },
                    misses,
                    hit_rate_pct: hr,
                    hit_rate_low_pct: lo,
                    hit_rate_high_pct: hi,
                    estimated: !exact,
                    writes: scale(&c.writes),
                    deletes: scale(&c.deletes),
                    expired: known.then_some(c.expired),
                    evicted: known.then_some(c.evicted),
                    top_missed_key: hh.map(|(k, _, _)| key_text(k)),
                    top_missed_count: hh.map(|(_, c, e)| c - e),
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            b.misses
                .cmp(&a.misses)
                .then(b.lookups.cmp(&a.lookups))
                .then_with(|| a.pattern.cmp(&b.pattern))
        });

        // one burst per key (its largest second, and in how many seconds it burst), the
        // largest MAX_BURSTS, in time order
        let mut bursts = std::mem::take(&mut self.bursts);
        bursts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        let mut per_key: Vec<(Vec<u8>, u64, i64, u64)> = Vec::new();
        for (k, c, s) in bursts {
            match per_key.iter_mut().find(|x| x.0 == k) {
                Some(x) => x.3 += 1,
                None => per_key.push((k, c, s, 1)),
            }
        }
        per_key.truncate(MAX_BURSTS);
        per_key.sort_by_key(|b| b.2);
        let bursts = per_key
            .into_iter()
            .map(|(k, count, s, seconds)| {
                let (pattern, namespace) = self.pattern_of(&rows, &k);
                MissBurst {
                    key: key_text(&k),
                    pattern,
                    namespace,
                    count,
                    seconds,
                    at: chrono::DateTime::from_timestamp(s, 0)
                        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                        .unwrap_or_default(),
                }
            })
            .collect();

        let nodes = totals
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let ev = self.node_events.get(i).copied().unwrap_or(0);
                NodeCoverage {
                    node: node_names.get(i).cloned().unwrap_or_default(),
                    lookups: t.lookups,
                    misses: t.misses,
                    sampled_lookups: self.node_sampled.get(i).copied().unwrap_or(0),
                    sampled_pct: crate::report::window::round1(t.sampled_fraction * 100.0),
                    keymiss_events: ev,
                    events_coverage_pct: match (events, t.misses) {
                        (true, Some(0)) => Some(100.0),
                        // rounded down: 37 events lost of 148,946 is 99.9, not 100.0
                        (true, Some(m)) if ev >= m => Some(100.0),
                        (true, Some(m)) => Some((ev as f64 * 1000.0 / m as f64).floor() / 10.0),
                        _ => None,
                    },
                    monitor_cost_ratio: None,
                    events_cost_ratio: None,
                }
            })
            .collect();
        (rows, bursts, nodes)
    }

    fn pattern_of(&self, rows: &[PatternRow], key: &[u8]) -> (String, Option<String>) {
        if let Some(r) = self.rules.iter().find(|r| r.matcher.matches(key)) {
            return (r.glob.clone(), Some(r.name.clone()));
        }
        let own = pat::normalize(&pat::pattern_text(key), &self.seps);
        if rows
            .iter()
            .any(|r| r.namespace.is_none() && r.pattern == own)
        {
            return (own, None);
        }
        rows.iter()
            .find(|r| r.namespace.is_none() && crate::glob::matches(r.pattern.as_bytes(), key))
            .map_or((own, None), |r| (r.pattern.clone(), None))
    }
}

/// A pattern's lookups: Σ over nodes of its sampled lookups × the node's factor, and the
/// standard deviation of that estimate (binomial share of each node's sample; 0 for a node
/// sampled whole). None when a node with lookups had none in its sample.
fn scaled_lookups(
    c: &Counts,
    factors: &[Option<f64>],
    sampled: &[u64],
    totals: &[NodeTotals],
) -> (Option<f64>, f64) {
    let mut est = 0.0;
    let mut var = 0.0;
    for (i, f) in factors.iter().enumerate() {
        let n = c.lookups.get(i).copied().unwrap_or(0) as f64;
        let Some(f) = f else {
            return (None, 0.0);
        };
        est += n * f;
        let s = sampled.get(i).copied().unwrap_or(0) as f64;
        let whole = totals[i].sampled_fraction >= 1.0 && !totals[i].sample_cut;
        if s > 0.0 && !whole {
            let p = n / s;
            let l = totals[i].lookups.unwrap_or(0) as f64;
            // at least one lookup's worth of uncertainty per node, even at p = 0 or 1
            var += l * l * (p * (1.0 - p)).max(0.25 / s) / s;
        }
    }
    (Some(est), var.sqrt())
}

/// Hit rate and its 95% interval from lookups (± 1.96 sd) and exact misses.
fn hit_rates(lookups: f64, misses: f64, sd: f64) -> (Option<f64>, Option<f64>, Option<f64>) {
    if lookups <= 0.0 {
        return (None, None, None);
    }
    let rate = |l: f64| {
        if l <= 0.0 {
            0.0
        } else {
            ((l - misses).max(0.0) / l * 100.0).clamp(0.0, 100.0)
        }
    };
    let r1 = crate::report::window::round1;
    let lo = (lookups - 1.96 * sd).max(misses);
    let hi = lookups + 1.96 * sd;
    (
        Some(r1(rate(lookups))),
        Some(r1(rate(lo))),
        Some(r1(rate(hi))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::aggregate::NamespaceMatcher;

    const SEPS: &[u8] = b":/|#";

    fn whole(lookups: u64, misses: u64) -> NodeTotals {
        NodeTotals {
            lookups: Some(lookups),
            misses: Some(misses),
            sampled_fraction: 1.0,
            sample_cut: false,
            events_whole: true,
        }
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("n{i}")).collect()
    }

    #[test]
    fn a_whole_sample_gives_exact_lookups_hits_and_misses() {
        let mut a = Accountant::new(SEPS, Vec::new(), 1, 20);
        for i in 0..100 {
            a.access(0, Access::Lookup, format!("user:{i}").as_bytes());
        }
        for i in 0..10 {
            a.access(0, Access::Lookup, format!("cart:{i}").as_bytes());
            a.miss(0, format!("cart:{i}").as_bytes(), 1000);
        }
        a.miss(0, b"user:7", 1000);
        a.access(0, Access::Write, b"user:1");
        a.access(0, Access::Delete, b"user:2");
        a.expired(b"user:3");
        let (rows, bursts, nodes) = a.finish(&names(1), &[whole(110, 11)], true);
        assert!(bursts.is_empty());
        assert_eq!(rows.len(), 2);
        // sorted by misses
        assert_eq!(rows[0].pattern, "cart:*");
        assert_eq!(
            (rows[0].lookups, rows[0].hits, rows[0].misses),
            (Some(10), Some(0), Some(10))
        );
        assert_eq!(rows[0].hit_rate_pct, Some(0.0));
        let u = &rows[1];
        assert_eq!(u.pattern, "user:*");
        assert_eq!(
            (u.lookups, u.hits, u.misses),
            (Some(100), Some(99), Some(1))
        );
        assert_eq!(
            (u.hit_rate_pct, u.hit_rate_low_pct, u.hit_rate_high_pct),
            (Some(99.0), Some(99.0), Some(99.0))
        );
        assert!(!u.estimated);
        assert_eq!(
            (u.writes, u.deletes, u.expired),
            (Some(1), Some(1), Some(1))
        );
        assert_eq!(u.top_missed_key.as_deref(), Some("user:7"));
        assert_eq!(u.top_missed_count, Some(1));
        assert_eq!(nodes[0].keymiss_events, 11);
        assert_eq!(nodes[0].events_coverage_pct, Some(100.0));
    }

    #[test]
    fn a_partial_sample_is_scaled_to_info_with_an_interval() {
        let mut a = Accountant::new(SEPS, Vec::new(), 2, 20);
        // node 0 sampled 1/10th: 300 a-lookups, 100 b-lookups; node 1 only a
        for i in 0..300 {
            a.access(0, Access::Lookup, format!("a:{i}").as_bytes());
        }
        for i in 0..100 {
            a.access(0, Access::Lookup, format!("b:{i}").as_bytes());
            a.access(0, Access::Write, format!("b:{i}").as_bytes());
        }
        for i in 0..50 {
            a.access(1, Access::Lookup, format!("a:{i}").as_bytes());
        }
        for i in 0..2000 {
            a.miss(0, format!("b:{}", i % 500).as_bytes(), 7);
        }
        let part = |l, m| NodeTotals {
            lookups: Some(l),
            misses: Some(m),
            sampled_fraction: 0.1,
            sample_cut: false,
            events_whole: true,
        };
        let (rows, _, _) = a.finish(&names(2), &[part(4000, 2000), part(500, 0)], true);
        let b = rows.iter().find(|r| r.pattern == "b:*").unwrap();
        let x = rows.iter().find(|r| r.pattern == "a:*").unwrap();
        // node 0: 4000 lookups × (300, 100)/400; node 1: all 500 are a's
        assert_eq!(x.lookups, Some(3500));
        // b's scaled lookups (1000) are below its exact misses: raised to them, hit rate 0
        assert_eq!(b.misses, Some(2000));
        assert_eq!(b.lookups, Some(2000));
        assert_eq!(b.hits, Some(0));
        assert!(b.estimated && x.estimated);
        assert_eq!(x.hit_rate_pct, Some(100.0));
        // a's share has an interval; its misses are 0 so the rate stays 100
        assert_eq!(x.hit_rate_low_pct, Some(100.0));
        assert_eq!(b.writes, Some(1000));
    }

    #[test]
    fn misses_are_unknown_where_the_events_broke_and_coverage_rounds_down() {
        let run = |whole: bool, info_misses: u64| {
            let mut a = Accountant::new(SEPS, Vec::new(), 1, 20);
            for i in 0..1000 {
                a.access(0, Access::Lookup, format!("p:{i}").as_bytes());
            }
            for i in 0..999 {
                a.miss(0, format!("p:{i}").as_bytes(), 1);
            }
            let t = NodeTotals {
                lookups: Some(1000),
                misses: Some(info_misses),
                sampled_fraction: 1.0,
                sample_cut: false,
                events_whole: whole,
            };
            a.finish(&names(1), &[t], true)
        };
        // whole, 999 of 1000 misses seen (an OBJECT lookup): known; coverage 99.9, not 100.0
        let (rows, _, nodes) = run(true, 1000);
        assert_eq!(rows[0].misses, Some(999));
        assert_eq!(nodes[0].events_coverage_pct, Some(99.9));
        // the stream broke (a disconnect): unknown, not a lower bound
        let (rows, _, _) = run(false, 1000);
        assert_eq!((rows[0].misses, rows[0].hit_rate_pct), (None, None));
        // whole but far below INFO's misses (flags lost in a restart): unknown
        let (rows, _, nodes) = run(true, 5000);
        assert_eq!(rows[0].misses, None);
        assert_eq!(nodes[0].events_coverage_pct, Some(19.9));
    }

    #[test]
    fn writes_scale_by_the_share_of_commands_sampled_not_of_time() {
        // MONITOR on for 10% of the window, but the server slowed while it was: the sample saw
        // 400 of 2000 lookups (20% of the commands): 100 sampled writes are ~500, not 1000
        let mut a = Accountant::new(SEPS, Vec::new(), 1, 20);
        for i in 0..400 {
            a.access(0, Access::Lookup, format!("p:{i}").as_bytes());
        }
        for i in 0..100 {
            a.access(0, Access::Write, format!("p:{i}").as_bytes());
        }
        let t = NodeTotals {
            lookups: Some(2000),
            misses: Some(0),
            sampled_fraction: 0.1,
            sample_cut: false,
            events_whole: true,
        };
        let (rows, _, _) = a.finish(&names(1), &[t], true);
        assert_eq!(rows[0].writes, Some(500));
        // no MONITOR at all (refused, or --sample-reads 0): writes unknown, not 0
        let mut a = Accountant::new(SEPS, Vec::new(), 1, 20);
        a.miss(0, b"p:1", 1);
        let t = NodeTotals {
            lookups: Some(2000),
            misses: Some(1),
            sampled_fraction: 0.0,
            sample_cut: false,
            events_whole: true,
        };
        let (rows, _, _) = a.finish(&names(1), &[t], true);
        assert_eq!((rows[0].writes, rows[0].deletes), (None, None));
    }

    #[test]
    fn the_top_missed_key_is_named_only_where_one_stands_out() {
        // 250 keys missed 40 times each, interleaved: no key stands out of 8 counters
        let mut a = Accountant::new(SEPS, Vec::new(), 1, 1_000_000);
        for _ in 0..40 {
            for k in 0..250 {
                a.miss(0, format!("page:{k}").as_bytes(), 1);
            }
        }
        // and one key missed 3,000 times among them
        let mut b = Accountant::new(SEPS, Vec::new(), 1, 1_000_000);
        for r in 0..40 {
            for k in 0..250 {
                b.miss(0, format!("page:{k}").as_bytes(), 1);
                if k % 10 == r % 10 {
                    for _ in 0..3 {
                        b.miss(0, b"page:999999", 1);
                    }
                }
            }
        }
        let t = |m| NodeTotals {
            lookups: Some(m),
            misses: Some(m),
            sampled_fraction: 1.0,
            sample_cut: false,
            events_whole: true,
        };
        let (rows, _, _) = a.finish(&names(1), &[t(10_000)], true);
        assert_eq!(
            (rows[0].top_missed_key.as_deref(), rows[0].top_missed_count),
            (None, None)
        );
        let (rows, _, _) = b.finish(&names(1), &[t(13_000)], true);
        assert_eq!(rows[0].top_missed_key.as_deref(), Some("page:999999"));
        let n = rows[0].top_missed_count.unwrap();
        assert!(n > 13_000 / 8 && n <= 3_000, "{n}");
    }

    #[test]
    fn the_interval_narrows_with_the_sample_and_holds_the_rate() {
        let run = |per: u64| {
            let mut a = Accountant::new(SEPS, Vec::new(), 1, 20);
            for i in 0..per {
                a.access(0, Access::Lookup, format!("a:{i}").as_bytes());
                a.access(0, Access::Lookup, format!("b:{i}").as_bytes());
            }
            for i in 0..500 {
                a.miss(0, format!("a:{i}").as_bytes(), 1);
            }
            let t = NodeTotals {
                lookups: Some(2000),
                misses: Some(500),
                sampled_fraction: 0.1,
                sample_cut: false,
                events_whole: true,
            };
            let (rows, _, _) = a.finish(&names(1), &[t], true);
            rows.into_iter().find(|r| r.pattern == "a:*").unwrap()
        };
        let small = run(20);
        let big = run(200);
        for r in [&small, &big] {
            assert_eq!(r.hit_rate_pct, Some(50.0));
            assert!(r.hit_rate_low_pct.unwrap() <= 50.0 && r.hit_rate_high_pct.unwrap() >= 50.0);
        }
        let width = |r: &PatternRow| r.hit_rate_high_pct.unwrap() - r.hit_rate_low_pct.unwrap();
        assert!(width(&small) > width(&big), "{small:?} {big:?}");
    }

    #[test]
    fn namespaces_come_first_and_bursts_are_per_second() {
        let rules = vec![NamespaceRule {
            name: "sessions".into(),
            glob: "sess:*".into(),
            matcher: NamespaceMatcher::Glob("sess:*".into()),
            ttl_s: None,
            ttl_jitter_pct: 0.0,
        }];
        let mut a = Accountant::new(SEPS, rules, 1, 20);
        // 25 misses of one key in second 100, 19 in second 101 (no burst), 20 in 102
        for _ in 0..25 {
            a.miss(0, b"sess:42", 100);
        }
        for _ in 0..19 {
            a.miss(0, b"hot:1", 101);
        }
        for _ in 0..20 {
            a.miss(0, b"hot:1", 102);
        }
        for _ in 0..30 {
            a.miss(0, b"hot:1", 103);
        }
        let (rows, bursts, _) = a.finish(&names(1), &[whole(94, 94)], true);
        // sorted by misses: hot:* (69) before the namespace (25)
        assert_eq!(rows[0].pattern, "hot:*");
        assert_eq!(rows[1].namespace.as_deref(), Some("sessions"));
        assert_eq!(rows[1].pattern, "sess:*");
        assert_eq!(rows[1].top_missed_key.as_deref(), Some("sess:42"));
        assert_eq!(bursts.len(), 2);
        assert_eq!(
            (
                bursts[0].key.as_str(),
                bursts[0].count,
                bursts[0].namespace.as_deref()
            ),
            ("sess:42", 25, Some("sessions"))
        );
        assert_eq!(bursts[0].at, "1970-01-01T00:01:40Z");
        // hot:1 burst in seconds 102 and 103: one entry, its worst second
        assert_eq!((bursts[1].key.as_str(), bursts[1].count), ("hot:1", 30));
        assert_eq!(
            (bursts[1].at.as_str(), bursts[1].seconds),
            ("1970-01-01T00:01:43Z", 2)
        );
        assert_eq!(bursts[1].pattern, "hot:*");
    }

    #[test]
    fn without_events_misses_are_unknown_and_lookups_remain() {
        let mut a = Accountant::new(SEPS, Vec::new(), 1, 20);
        a.access(0, Access::Lookup, b"k:1");
        let (rows, _, nodes) = a.finish(&names(1), &[whole(1, 0)], false);
        assert_eq!(
            (rows[0].lookups, rows[0].misses, rows[0].hits),
            (Some(1), None, None)
        );
        assert_eq!(rows[0].hit_rate_pct, None);
        assert_eq!(nodes[0].events_coverage_pct, None);
    }

    #[test]
    fn a_node_whose_sample_saw_no_lookup_leaves_lookups_unknown() {
        let mut a = Accountant::new(SEPS, Vec::new(), 2, 20);
        a.access(0, Access::Lookup, b"k:1");
        let t = NodeTotals {
            lookups: Some(10),
            misses: Some(0),
            sampled_fraction: 0.1,
            sample_cut: false,
            events_whole: true,
        };
        let (rows, _, _) = a.finish(&names(2), &[t, t], true);
        assert_eq!(rows[0].lookups, None);
    }
}
