//! Statistics in bounded memory: the one percentile function (nearest rank), for latencies in
//! `report`, the stampede model and its live driver; and `analyze`'s per-pattern summaries of
//! values it does not keep: a size histogram (`SizeSketch`) and a uniform sample (`Reservoir`).

use std::collections::BTreeMap;

/// Nearest-rank percentile, `q` in (0, 1]: the smallest value that at least `q` of the values
/// are at or below. Reorders `values` (a selection, not a full sort). `None` when empty.
pub fn nearest_rank<T: Copy + Ord>(values: &mut [T], q: f64) -> Option<T> {
    if values.is_empty() {
        return None;
    }
    let idx = ((values.len() as f64 * q).ceil() as usize).clamp(1, values.len()) - 1;
    let (_, v, _) = values.select_nth_unstable(idx);
    Some(*v)
}

/// A percentile of latencies in microseconds, as milliseconds (0 when there are none).
pub fn percentile_us_as_ms(lat_us: &mut [u32], q: f64) -> f64 {
    nearest_rank(lat_us, q).map_or(0.0, |us| f64::from(us) / 1000.0)
}

/// A fixed-resolution histogram of sizes (about 3% relative error) in O(distinct
/// buckets) memory: the p50/p99 of a pattern without keeping its keys.
#[derive(Debug, Clone, Default)]
pub struct SizeSketch {
    buckets: BTreeMap<u16, f64>,
    max: u64,
}

impl SizeSketch {
    fn bucket(v: u64) -> u16 {
        if v < 64 {
            return v as u16;
        }
        let e = 63 - v.leading_zeros() as u64; // >= 6
        let sub = (v >> (e - 5)) & 31;
        (64 + (e - 6) * 32 + sub) as u16
    }

    fn value(b: u16) -> u64 {
        if b < 64 {
            return b as u64;
        }
        let e = (b as u64 - 64) / 32 + 6;
        let sub = (b as u64 - 64) % 32;
        let lo = (32 + sub) << (e - 5);
        lo + (1u64 << (e - 5)) / 2
    }

    pub fn push(&mut self, v: u64, weight: f64) {
        *self.buckets.entry(Self::bucket(v)).or_default() += weight;
        self.max = self.max.max(v);
    }

    pub fn merge(&mut self, o: SizeSketch) {
        for (b, w) in o.buckets {
            *self.buckets.entry(b).or_default() += w;
        }
        self.max = self.max.max(o.max);
    }

    /// The value at quantile q (0..=1).
    pub fn quantile(&self, q: f64) -> Option<u64> {
        let total: f64 = self.buckets.values().sum();
        if total <= 0.0 {
            return None;
        }
        let target = q * total;
        let mut acc = 0.0;
        for (b, w) in &self.buckets {
            acc += w;
            if acc >= target - 1e-9 {
                return Some(Self::value(*b).min(self.max));
            }
        }
        Some(self.max)
    }
}

/// A uniform sample of a stream of unknown length, bounded by `cap` items (Algorithm R, with
/// the crate's one generator, [`crate::random::Rng`]). Used by analyze's per-pattern TTL/idle
/// samples ([`Reservoir`]) and value samples, and by `verify --sample`.
#[derive(Debug, Clone)]
pub struct Sampler<T> {
    pub items: Vec<T>,
    /// items offered so far
    pub seen: u64,
    pub cap: usize,
    rng: crate::random::Rng,
}

impl<T> Sampler<T> {
    pub fn new(cap: usize, seed: u64) -> Self {
        Sampler {
            items: Vec::with_capacity(cap.min(1024)),
            seen: 0,
            cap,
            rng: crate::random::Rng::new(seed),
        }
    }

    /// Offer the next item: the slot it takes (`items.len()`: append it; below: replace that
    /// one), or None when it is not sampled.
    pub fn admit(&mut self) -> Option<usize> {
        self.seen += 1;
        if self.items.len() < self.cap {
            return Some(self.items.len());
        }
        let j = (self.rng.next_u64() % self.seen) as usize;
        (j < self.cap).then_some(j)
    }

    pub fn push(&mut self, item: T) {
        match self.admit() {
            Some(i) if i == self.items.len() => self.items.push(item),
            Some(i) => self.items[i] = item,
            None => {}
        }
    }

    /// Merge keeping each side's share proportional to how many items it has seen.
    pub fn merge(&mut self, mut other: Sampler<T>) {
        self.cap = self.cap.max(other.cap);
        let total = self.seen + other.seen;
        if self.items.len() + other.items.len() > self.cap && total > 0 {
            let take_other =
                ((other.seen as f64 / total as f64) * self.cap as f64).round() as usize;
            let take_other = take_other.min(other.items.len());
            let take_self = (self.cap - take_other).min(self.items.len());
            self.items.truncate(take_self);
            other.items.truncate(self.cap - take_self);
        }
        self.items.append(&mut other.items);
        self.seen = total;
    }
}

/// A bounded uniform sample of values (a [`Sampler`] of `RESERVOIR_CAP`, deterministic).
#[derive(Debug, Clone)]
pub struct Reservoir(Sampler<u64>);

pub const RESERVOIR_CAP: usize = 512;

impl Default for Reservoir {
    fn default() -> Self {
        Reservoir(Sampler::new(RESERVOIR_CAP, 0x9E37_79B9_7F4A_7C15))
    }
}

impl Reservoir {
    pub fn push(&mut self, v: u64) {
        self.0.push(v);
    }

    pub fn merge(&mut self, other: Reservoir) {
        self.0.merge(other.0);
    }

    /// Median of the sample (exact while fewer than RESERVOIR_CAP values were seen).
    pub fn median(&self) -> Option<u64> {
        if self.0.items.is_empty() {
            return None;
        }
        let mut v = self.0.items.clone();
        let mid = (v.len() - 1) / 2;
        let (_, m, _) = v.select_nth_unstable(mid);
        Some(*m)
    }
}

/// Counts of keys within a period (a second) in fixed memory: a count-min sketch (`depth`
/// rows of `width` counters). An estimate is never below the true count; it exceeds it by
/// at most total / width × e with probability 1 − e^−depth.
#[derive(Debug, Clone)]
pub struct CountMin {
    width: usize,
    rows: Vec<u32>,
}

impl CountMin {
    pub const DEPTH: usize = 4;

    pub fn new(width: usize) -> Self {
        CountMin {
            width: width.max(1),
            rows: vec![0; width.max(1) * Self::DEPTH],
        }
    }

    fn cells(&self, key: &[u8]) -> [usize; Self::DEPTH] {
        // one 64-bit FNV-1a hash of the key, mixed per row (splitmix64's finalizer): rows
        // whose cells are independent of each other
        let h = key.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        let mut out = [0; Self::DEPTH];
        for (i, o) in out.iter_mut().enumerate() {
            let mut z = h ^ (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            *o = i * self.width + (z % self.width as u64) as usize;
        }
        out
    }

    /// Count one occurrence; returns the key's estimate afterwards.
    pub fn add(&mut self, key: &[u8]) -> u64 {
        let mut est = u32::MAX;
        for c in self.cells(key) {
            self.rows[c] = self.rows[c].saturating_add(1);
            est = est.min(self.rows[c]);
        }
        u64::from(est)
    }

    pub fn estimate(&self, key: &[u8]) -> u64 {
        self.cells(key)
            .iter()
            .map(|&c| u64::from(self.rows[c]))
            .min()
            .unwrap_or(0)
    }

    pub fn clear(&mut self) {
        self.rows.iter_mut().for_each(|c| *c = 0);
    }
}

/// The heavy hitters of a stream of keys in fixed memory (Metwally et al.'s space-saving):
/// `capacity` counters; a key not in the table takes over the smallest counter, whose count it
/// inherits as its possible overcount (`err`). Every key seen more than total / capacity times
/// is in the table, and `count - err` is a lower bound of its true count (exact while fewer
/// than `capacity` distinct keys were seen).
///
/// Made for small tables (a pattern's top missed keys: 8): a key is found by a linear scan,
/// which at that size is cheaper than hashing it, and a counter taken over keeps its buffer
/// (no allocation per key once the table is full).
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceSaving {
    capacity: usize,
    entries: Vec<(Vec<u8>, u64, u64)>,
}

impl SpaceSaving {
    pub fn new(capacity: usize) -> Self {
        SpaceSaving {
            capacity: capacity.max(1),
            entries: Vec::new(),
        }
    }

    /// Count one occurrence of `key`; returns its (count, err) afterwards.
    pub fn add(&mut self, key: &[u8]) -> (u64, u64) {
        self.add_n(key, 1, 0)
    }

    /// Count `n` occurrences of `key`, of which up to `err` may be overcounted.
    pub fn add_n(&mut self, key: &[u8], n: u64, err: u64) -> (u64, u64) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.0 == key) {
            e.1 += n;
            e.2 += err;
            return (e.1, e.2);
        }
        if self.entries.len() < self.capacity {
            self.entries.push((key.to_vec(), n, err));
            return (n, err);
        }
        let e = self
            .entries
            .iter_mut()
            .min_by_key(|e| e.1)
            .expect("capacity >= 1");
        let min = e.1;
        e.0.clear();
        e.0.extend_from_slice(key);
        e.1 = min + n;
        e.2 = min + err;
        (min + n, min + err)
    }

    /// Fold another table in (its counts and errors added key by key).
    pub fn merge(&mut self, other: SpaceSaving) {
        for (k, c, e) in other.entries {
            self.add_n(&k, c, e);
        }
    }

    /// (key, count, err), the largest counts first.
    pub fn top(&self) -> Vec<(Vec<u8>, u64, u64)> {
        let mut v = self.entries.clone();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_matches_the_definition() {
        let mut v: Vec<u32> = (1..=100).rev().collect();
        assert_eq!(nearest_rank(&mut v, 0.95), Some(95));
        assert_eq!(nearest_rank(&mut v, 0.5), Some(50));
        assert_eq!(nearest_rank(&mut v, 1.0), Some(100));
        assert_eq!(nearest_rank(&mut v, 0.001), Some(1));
        assert_eq!(nearest_rank(&mut [7u32], 0.99), Some(7));
        assert_eq!(nearest_rank::<u32>(&mut [], 0.5), None);
        assert_eq!(percentile_us_as_ms(&mut [1500, 500, 2500], 0.5), 1.5);
        assert_eq!(percentile_us_as_ms(&mut [], 0.5), 0.0);
    }

    #[test]
    fn size_sketch_quantiles() {
        let mut s = SizeSketch::default();
        for v in 1..=1000u64 {
            s.push(v * 100, 1.0);
        }
        let p50 = s.quantile(0.5).unwrap() as f64;
        let p99 = s.quantile(0.99).unwrap() as f64;
        assert!((p50 / 50_000.0 - 1.0).abs() < 0.04, "{p50}");
        assert!((p99 / 99_000.0 - 1.0).abs() < 0.04, "{p99}");
        let mut one = SizeSketch::default();
        one.push(7, 1.0);
        assert_eq!(one.quantile(0.99), Some(7));
        assert_eq!(SizeSketch::default().quantile(0.5), None);
    }

    #[test]
    fn reservoir_median_exact_when_small() {
        let mut r = Reservoir::default();
        for v in [5, 1, 9, 3, 7] {
            r.push(v);
        }
        assert_eq!(r.median(), Some(5));
        let mut big = Reservoir::default();
        for v in 0..100_000 {
            big.push(v);
        }
        let m = big.median().unwrap();
        assert!((40_000..60_000).contains(&m), "{m}");
    }

    #[test]
    fn space_saving_keeps_the_heavy_hitters_in_fixed_memory() {
        let mut t = SpaceSaving::new(4);
        for _ in 0..150 {
            t.add(b"hot");
        }
        // a long tail of distinct keys: each takes over the smallest counter
        for i in 0..200u32 {
            t.add(format!("cold{i}").as_bytes());
            if i % 2 == 0 {
                t.add(b"warm");
            }
        }
        let top = t.top();
        assert_eq!(top.len(), 4);
        assert_eq!(top[0].0, b"hot".to_vec());
        assert_eq!((top[0].1, top[0].2), (150, 0));
        // a count never under-counts, count - err never over-counts (warm: 100)
        if let Some(w) = top.iter().find(|e| e.0 == b"warm") {
            assert!(w.1 >= 100 && w.1 - w.2 <= 100, "{w:?}");
        }
        for e in &top[1..] {
            assert!(e.1 - e.2 <= 100, "{e:?}");
        }
        t.clear();
        assert!(t.is_empty());
        assert_eq!(t.add(b"x"), (1, 0));
    }

    #[test]
    fn count_min_never_undercounts_and_finds_a_burst_among_many_keys() {
        let mut cm = CountMin::new(16_384);
        // 20,000 misses over 4,000 keys (5 each), and one key 25 times
        for i in 0..20_000u32 {
            cm.add(format!("k:{}", i % 4000).as_bytes());
        }
        for _ in 0..25 {
            cm.add(b"burst");
        }
        assert!(cm.estimate(b"burst") >= 25);
        // keys that differ in their last bytes only (a pattern's keys) stay close to the truth
        let worst = (0..4000u32)
            .map(|i| cm.estimate(format!("k:{i}").as_bytes()))
            .max()
            .unwrap();
        assert!(worst <= 12, "worst estimate {worst} for a true 5");
        let over = (0..4000u32)
            .filter(|i| cm.estimate(format!("k:{i}").as_bytes()) >= 20)
            .count();
        assert_eq!(over, 0, "no key of 5 misses looks like a burst");
        cm.clear();
        assert_eq!(cm.estimate(b"burst"), 0);
    }
}
