//! The one percentile function (nearest rank), for latencies in `report`, the stampede model
//! and its live driver.

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
}
