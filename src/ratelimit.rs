//! A pacer shared by all workers: each acquisition of `n` units reserves `n / rate` seconds
//! of a common timeline (virtual scheduling, as in GCRA). The achieved rate is exact on
//! average and never above `rate` by more than one batch.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub struct Pacer {
    rate: f64,
    next: Mutex<Option<Instant>>,
    /// units that may go at once when the bucket is full
    burst: u64,
}

impl Pacer {
    pub fn new(rate_per_s: f64) -> Self {
        Self::with_burst(rate_per_s, 0)
    }

    /// A token bucket holding `burst` tokens above the steady rate.
    pub fn with_burst(rate_per_s: f64, burst: u64) -> Self {
        Pacer {
            rate: rate_per_s,
            next: Mutex::new(None),
            burst,
        }
    }

    /// Wait until every reserved unit's slot has passed, so that `units / elapsed` never
    /// exceeds the rate (call once at the end of a run).
    pub async fn drain(&self) {
        let at = *self.next.lock().expect("pacer lock");
        if let Some(at) = at {
            tokio::time::sleep_until(at).await;
        }
    }

    /// Wait until `n` more units may go.
    pub async fn acquire(&self, n: usize) {
        let at = {
            let mut next = self.next.lock().expect("pacer lock");
            let now = Instant::now();
            // an idle bucket refills up to `burst` tokens: the timeline may lag `now` by that much
            let floor = now
                .checked_sub(secs(self.burst as f64 / self.rate))
                .unwrap_or(now);
            let start = match *next {
                Some(t) if t > floor => t,
                _ => floor,
            };
            *next = Some(start + secs(n as f64 / self.rate));
            start
        };
        if at > Instant::now() {
            tokio::time::sleep_until(at).await;
        }
    }
}

/// Seconds as a Duration, capped at 100 years (a huge --burst over a tiny --rate).
fn secs(s: f64) -> Duration {
    Duration::try_from_secs_f64(s.min(crate::units::MAX_DURATION_SECS)).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn paces_to_rate() {
        let p = Pacer::new(1000.0);
        let t0 = Instant::now();
        for _ in 0..20 {
            p.acquire(100).await;
        }
        // 20 batches of 100 at 1000/s: the 20th starts after 19 * 100ms
        let el = t0.elapsed();
        assert!(
            el >= Duration::from_millis(1900) && el < Duration::from_millis(1910),
            "{el:?}"
        );
    }
}
