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
}

impl Pacer {
    pub fn new(rate_per_s: f64) -> Self {
        Pacer {
            rate: rate_per_s,
            next: Mutex::new(None),
        }
    }

    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Wait until `n` more units may go.
    pub async fn acquire(&self, n: usize) {
        let at = {
            let mut next = self.next.lock().expect("pacer lock");
            let now = Instant::now();
            let start = match *next {
                Some(t) if t > now => t,
                _ => now,
            };
            *next = Some(start + Duration::from_secs_f64(n as f64 / self.rate));
            start
        };
        tokio::time::sleep_until(at).await;
    }
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
