//! The one random-number generator (splitmix64: small, fast, and stable across versions, so a
//! seed's output never changes) and the one TTL-jitter formula, shared by `warm`, `demo` and
//! the stampede model.

/// splitmix64: small, fast, and stable across versions (a seed's output never changes).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// uniform in (0, 1]
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.unit(), self.unit());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

impl Rng {
    /// Seeded from the clock (warm's TTL jitter: no reproducibility needed).
    pub fn from_clock() -> Rng {
        Rng::new((crate::audit::now_ms() as u64) ^ (u64::from(std::process::id()) << 40))
    }

    /// `ttl_ms` spread by ± `jitter_pct` percent (see [`jittered_ttl_ms`]).
    pub fn jittered_ttl_ms(&mut self, ttl_ms: u64, jitter_pct: f64) -> u64 {
        jittered_ttl_ms(ttl_ms, jitter_pct, self.unit())
    }
}

/// TTL with symmetric jitter: `ttl × (1 + u)`, u uniform in [-pct, +pct] (Datapunk's
/// `get_ttl_with_jitter`), never below 1 ms. `unit` is a uniform sample in [0, 1).
pub fn jittered_ttl_ms(ttl_ms: u64, jitter_pct: f64, unit: f64) -> u64 {
    let u = (unit * 2.0 - 1.0) * jitter_pct / 100.0;
    ((ttl_ms as f64) * (1.0 + u)).round().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_bounds() {
        assert_eq!(jittered_ttl_ms(1000, 10.0, 0.0), 900);
        assert_eq!(jittered_ttl_ms(1000, 10.0, 0.5), 1000);
        assert!(jittered_ttl_ms(1000, 10.0, 0.999_999) <= 1100);
        assert_eq!(jittered_ttl_ms(1000, 0.0, 0.3), 1000);
        assert_eq!(jittered_ttl_ms(1, 100.0, 0.0), 1);
    }

    #[test]
    fn seeds_are_stable() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        assert_eq!(a.next_u64(), b.next_u64());
        let u = a.unit();
        assert!(u > 0.0 && u <= 1.0);
    }
}
