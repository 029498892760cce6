//! Strategy recommendation rules: pure, one table per decision, each rule with its reason.
//! Sources: CORE-CACHE-003 step 1 (strategy by read/write ratio and consistency), the TreeBeard
//! TTL decision matrix, the cache strategist guide (TTL bands, invalidation), Datapunk (TTL
//! jitter, volatile-lru), and the stampede model (`cachectl simulate stampede`).

use std::time::Duration;

use serde::Serialize;

use crate::profile::{Access, Consistency};
use crate::units::human_bytes;

/// What is known about one kind of cached data.
#[derive(Debug, Clone, Default)]
pub struct Traits {
    pub read_write_ratio: Option<f64>,
    pub consistency: Option<Consistency>,
    pub update_interval: Option<Duration>,
    pub staleness: Option<Duration>,
    pub access: Option<Access>,
    pub recompute: Option<Duration>,
    pub tags: Vec<String>,
    /// the namespace's key glob, to spot version segments (`:v1:`)
    pub pattern: Option<String>,
    /// a warm job of the profile fills this namespace
    pub warm_job: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub namespace: String,
    pub strategy: String,
    /// seconds
    pub ttl: u64,
    pub ttl_jitter_pct: f64,
    pub eviction_policy: String,
    pub invalidation: String,
    pub stampede_protection: String,
    pub warm: String,
    pub rationale: String,
}

const MIN: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

/// CORE-CACHE-003 step 1, in order; predictable hot data goes to refresh-ahead before the
/// read-heavy rules would pick cache-aside for it.
pub fn strategy(t: &Traits) -> (&'static str, String) {
    let rw = t.read_write_ratio.unwrap_or(10.0);
    let strong = t.consistency == Some(Consistency::Strong);
    let predictable = t.access == Some(Access::Predictable);
    if rw < 2.0 && strong {
        return ("write-through", format!("writes are as frequent as reads (r/w {rw}) and readers need strong consistency: write the cache with the database"));
    }
    if rw < 2.0 {
        return ("write-behind", format!("write-heavy (r/w {rw}) with eventual consistency: write to the cache and flush to the database asynchronously"));
    }
    if predictable {
        return (
            "refresh-ahead",
            "access is predictable: refresh hot values before they expire instead of on a miss"
                .into(),
        );
    }
    if rw > 10.0 && !strong {
        return (
            "cache-aside",
            format!(
                "read-heavy (r/w {rw}) with eventual consistency: the application loads on a miss"
            ),
        );
    }
    if rw > 5.0 && strong {
        return ("read-through", format!("read-heavy (r/w {rw}) with strong consistency: the cache loads from the source, one path for reads"));
    }
    (
        "cache-aside",
        format!("r/w {rw}: the default safe choice (cache-aside)"),
    )
}

/// The TreeBeard matrix: TTL from how often the data changes and how hot it is; the
/// staleness readers tolerate caps it; strong consistency keeps it short (5 min safety net).
pub fn ttl(t: &Traits) -> (u64, String) {
    let hot = t.access == Some(Access::Hot);
    let (mut ttl, mut why) = match t.update_interval.map(|d| d.as_secs()) {
        Some(u) if u < HOUR => (
            5 * MIN,
            "data changes within the hour (API responses: 5 min)".to_string(),
        ),
        Some(u) if u <= DAY && hot => (
            HOUR,
            "changes daily and is read very often (plan catalog: 1 h balances freshness and load)"
                .into(),
        ),
        Some(u) if u <= DAY => (
            DAY,
            "changes daily (recommendations: stable for a day, 24 h)".into(),
        ),
        Some(u) if u <= 7 * DAY => (DAY, "changes weekly (user profile: 24 h)".into()),
        Some(_) => (
            7 * DAY,
            "changes monthly or less (usage history: 1 week)".into(),
        ),
        None => (HOUR, "update interval unknown: 1 h, a medium TTL".into()),
    };
    if let Some(s) = t.staleness.map(|d| d.as_secs()) {
        if s > 0 && s < ttl {
            ttl = s;
            why = format!("{why}; capped by the tolerated staleness");
        } else if s == 0 {
            ttl = MIN;
            why = "readers tolerate no staleness: 1 min safety net, invalidate on write".into();
        }
    }
    if t.consistency == Some(Consistency::Strong) && ttl > 5 * MIN {
        ttl = 5 * MIN;
        why = format!("{why}; strong consistency keeps it short (5 min) behind event invalidation");
    }
    (ttl, why)
}

pub fn eviction_policy(t: &Traits) -> (&'static str, &'static str) {
    match t.access {
        Some(Access::Hot) => (
            "volatile-lfu",
            "a small hot set: LFU keeps the most used keys",
        ),
        Some(Access::Rare) => (
            "volatile-ttl",
            "rarely read: evict the soonest-expiring first",
        ),
        _ => (
            "volatile-lru",
            "volatile-lru evicts only keys with a TTL, protecting persistent keys",
        ),
    }
}

pub fn invalidation(t: &Traits) -> (String, String) {
    let mut parts = Vec::new();
    let mut why = Vec::new();
    if t.consistency == Some(Consistency::Strong) || t.read_write_ratio.is_some_and(|r| r < 2.0) {
        parts.push("event delete".to_string());
        why.push("delete on write (cachectl invalidate keys in the write path)".to_string());
    } else {
        parts.push("ttl".to_string());
        why.push("let TTLs expire; eventual consistency allows it".to_string());
    }
    if !t.tags.is_empty() {
        parts.push(format!("tags ({})", t.tags.join(", ")));
        why.push("tags for bulk changes (cachectl invalidate tag)".into());
    }
    if t.pattern.as_deref().is_some_and(has_version_segment) {
        parts.push("version bump".into());
        why.push("bump the key version (v1 -> v2) on schema changes; old keys expire".into());
    }
    (parts.join(" + "), why.join("; "))
}

fn has_version_segment(p: &str) -> bool {
    p.split([':', '/', '|', '#']).any(|seg| {
        seg.len() >= 2 && seg.starts_with('v') && seg[1..].chars().all(|c| c.is_ascii_digit())
    })
}

/// Choose among the strategies `cachectl simulate stampede` compares.
pub fn stampede(t: &Traits) -> (&'static str, String) {
    let recompute_ms = t.recompute.map_or(0, |d| d.as_millis() as u64);
    let hot = t.access == Some(Access::Hot);
    let predictable = t.access == Some(Access::Predictable);
    let strong = t.consistency == Some(Consistency::Strong);
    let stale_ok = t
        .staleness
        .is_some_and(|s| s.as_millis() as u64 >= recompute_ms)
        && !strong;
    if recompute_ms < 10 {
        return (
            "none",
            format!("a rebuild costs {recompute_ms} ms: a stampede is cheap"),
        );
    }
    if !(hot || predictable) && recompute_ms < 500 {
        return (
            "singleflight",
            "not hot: collapsing concurrent misses per app node is enough".into(),
        );
    }
    if strong {
        return ("lock", "strong consistency forbids serving stale values: one rebuild under a SET NX lock, readers wait".into());
    }
    if predictable {
        return (
            "refresh-ahead",
            "a predictable hot set: refresh before expiry, readers never miss".into(),
        );
    }
    if stale_ok {
        return ("swr", format!("readers tolerate staleness longer than the {recompute_ms} ms rebuild: serve stale while one refresh runs (1 origin call per expiry, no waiting)"));
    }
    ("xfetch-lock", format!("hot and {recompute_ms} ms to rebuild: probabilistic early refresh under a lock (1 origin call per expiry, ~0 misses) instead of 1+λδ calls with none"))
}

pub fn warm(t: &Traits) -> (String, String) {
    if let Some(j) = &t.warm_job {
        return (
            format!("yes (job {j})"),
            "the profile's warm job pre-loads it".into(),
        );
    }
    let expensive = t.recompute.is_some_and(|d| d >= Duration::from_millis(500));
    match t.access {
        Some(Access::Predictable) => (
            "yes".into(),
            "the hot set is known in advance: warm it before traffic (cachectl warm)".into(),
        ),
        Some(Access::Hot) if expensive => (
            "yes".into(),
            "hot and expensive to rebuild: warm after deploys and restarts".into(),
        ),
        _ => ("no".into(), "loaded on demand".into()),
    }
}

/// All rules for one namespace.
pub fn recommend(namespace: &str, t: &Traits) -> Recommendation {
    let (strategy, s_why) = strategy(t);
    let (ttl, t_why) = ttl(t);
    let (policy, p_why) = eviction_policy(t);
    let (inval, i_why) = invalidation(t);
    let (stampede, st_why) = stampede(t);
    let (warm, w_why) = warm(t);
    let jitter = if ttl <= MIN { 0.0 } else { 10.0 };
    let rationale = format!(
        "Strategy {strategy}: {s_why}. TTL {}: {t_why}{}. Eviction {policy}: {p_why}. Invalidation: {i_why}. Stampede: {st_why}. Warm: {w_why}.",
        crate::units::format_duration(Duration::from_secs(ttl)),
        if jitter > 0.0 { ", ±10% jitter so keys written together do not expire together" } else { "" },
    );
    Recommendation {
        namespace: namespace.to_string(),
        strategy: strategy.into(),
        ttl,
        ttl_jitter_pct: jitter,
        eviction_policy: policy.into(),
        invalidation: inval,
        stampede_protection: stampede.into(),
        warm,
        rationale,
    }
}

/// What the instance-wide advice (`recommend --observe`) is decided from.
#[derive(Debug, Clone)]
pub struct InstanceFacts<'a> {
    pub keys: u64,
    pub no_ttl: u64,
    /// most namespaces want volatile-lfu (hot, skewed access)
    pub hot_share: bool,
    pub current_policy: Option<&'a str>,
    pub evicted: u64,
    pub used: u64,
    pub maxmemory: u64,
    /// the SLO's memory warning level, percent of maxmemory
    pub warn_above_pct: f64,
}

/// The instance's `maxmemory-policy` and `maxmemory`, with the reasons (Datapunk: volatile-lru
/// when cache and persistent keys share an instance). maxmemory suggestions are rounded up to
/// a multiple of 64 MiB.
pub fn instance_policy(f: &InstanceFacts<'_>) -> (&'static str, u64, Vec<String>) {
    let (no_ttl, keys, hot_share, evicted, used, maxm) = (
        f.no_ttl,
        f.keys,
        f.hot_share,
        f.evicted,
        f.used,
        f.maxmemory,
    );
    let (policy, p_why) = match (no_ttl > 0, hot_share) {
        (true, true) => ("volatile-lfu", format!("{} no TTL (persistent keys share the instance): evict only keys with a TTL, by frequency for the hot namespaces", crate::units::n_of_keys_have(no_ttl, keys))),
        (true, false) => ("volatile-lru", format!("{} no TTL (persistent keys share the instance): volatile-lru evicts only cache keys", crate::units::n_of_keys_have(no_ttl, keys))),
        (false, true) => ("allkeys-lfu", "every key has a TTL and access is skewed: allkeys-lfu keeps the hot set".to_string()),
        (false, false) => ("allkeys-lru", "every key has a TTL: allkeys-lru uses all of memory as cache".to_string()),
    };
    let mut why = vec![format!("maxmemory-policy {policy}: {p_why}")];
    if let Some(cur) = f.current_policy {
        if cur == "noeviction" {
            why.push(
                "the current noeviction makes writes fail with OOM when memory is full".into(),
            );
        } else if evicted > 0 && cur != policy {
            why.push(format!(
                "{} evicted under the current {cur}",
                crate::units::plural(evicted, "key was", "keys were")
            ));
        }
    }
    let recommended_max = if maxm == 0 {
        let target = (used as f64 * 1.5) as u64;
        why.push(format!(
            "maxmemory is not set: set it to {} (1.5 × the {} in use, rounded up to a multiple of 64 MiB; at most the host's RAM less what else runs there) so eviction happens before the host runs out",
            human_bytes(round_up(target)),
            human_bytes(used)
        ));
        round_up(target)
    } else if used as f64 > maxm as f64 * f.warn_above_pct / 100.0 {
        let target = (used as f64 / 0.7) as u64;
        why.push(format!(
            "memory is at {:.0}% of maxmemory: raise it to {} (the memory in use ÷ 0.7 for 30% headroom, rounded up to a multiple of 64 MiB)",
            used as f64 * 100.0 / maxm as f64,
            human_bytes(round_up(target))
        ));
        round_up(target)
    } else {
        why.push(format!(
            "memory headroom is fine ({:.0}% of {})",
            used as f64 * 100.0 / maxm.max(1) as f64,
            human_bytes(maxm)
        ));
        maxm
    };
    if evicted > 0 {
        why.push(format!(
            "{} evicted since start: more memory, or shorter TTLs for the coldest namespaces",
            crate::units::plural(evicted, "key", "keys")
        ));
    }
    (policy, recommended_max, why)
}

/// Round up to 64 MiB.
fn round_up(bytes: u64) -> u64 {
    const STEP: u64 = 64 * 1024 * 1024;
    bytes.div_ceil(STEP).max(1) * STEP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_policy_rules() {
        const MIB: u64 = 1024 * 1024;
        let base = InstanceFacts {
            keys: 1000,
            no_ttl: 0,
            hot_share: false,
            current_policy: Some("noeviction"),
            evicted: 0,
            used: 100 * MIB,
            maxmemory: 0,
            warn_above_pct: 80.0,
        };
        let (p, max, why) = instance_policy(&base);
        assert_eq!(p, "allkeys-lru");
        assert_eq!(max, 192 * MIB, "1.5 × 100 MiB rounded up to 64 MiB");
        assert!(why.iter().any(|w| w.contains("noeviction")));
        let mixed = InstanceFacts {
            no_ttl: 10,
            ..base.clone()
        };
        assert_eq!(instance_policy(&mixed).0, "volatile-lru");
        let hot = InstanceFacts {
            no_ttl: 10,
            hot_share: true,
            ..base.clone()
        };
        assert_eq!(instance_policy(&hot).0, "volatile-lfu");
        let hot_all_ttl = InstanceFacts {
            hot_share: true,
            ..base.clone()
        };
        assert_eq!(instance_policy(&hot_all_ttl).0, "allkeys-lfu");
        // 90% of maxmemory: headroom to 70%
        let full = InstanceFacts {
            maxmemory: 111 * MIB,
            ..base.clone()
        };
        assert_eq!(instance_policy(&full).1, 192 * MIB);
        let fine = InstanceFacts {
            maxmemory: 1024 * MIB,
            ..base
        };
        assert_eq!(instance_policy(&fine).1, 1024 * MIB);
    }

    fn t(rw: f64, c: Consistency) -> Traits {
        Traits {
            read_write_ratio: Some(rw),
            consistency: Some(c),
            ..Traits::default()
        }
    }

    #[test]
    fn core_cache_003_strategies() {
        assert_eq!(strategy(&t(50.0, Consistency::Eventual)).0, "cache-aside");
        assert_eq!(strategy(&t(8.0, Consistency::Strong)).0, "read-through");
        assert_eq!(strategy(&t(1.0, Consistency::Strong)).0, "write-through");
        assert_eq!(strategy(&t(1.0, Consistency::Eventual)).0, "write-behind");
        assert_eq!(
            strategy(&t(4.0, Consistency::Eventual)).0,
            "cache-aside",
            "default"
        );
        assert_eq!(
            strategy(&t(3.0, Consistency::Strong)).0,
            "cache-aside",
            "default"
        );
        let mut p = t(20.0, Consistency::Eventual);
        p.access = Some(Access::Predictable);
        assert_eq!(strategy(&p).0, "refresh-ahead");
    }

    #[test]
    fn treebeard_ttl_matrix() {
        let with = |update: u64, access: Access| Traits {
            update_interval: Some(Duration::from_secs(update)),
            access: Some(access),
            consistency: Some(Consistency::Eventual),
            ..Traits::default()
        };
        assert_eq!(ttl(&with(DAY, Access::Hot)).0, HOUR, "plan catalog");
        assert_eq!(ttl(&with(7 * DAY, Access::Hot)).0, DAY, "user profile");
        assert_eq!(
            ttl(&with(DAY, Access::Predictable)).0,
            DAY,
            "recommendations"
        );
        assert_eq!(
            ttl(&with(30 * DAY, Access::Rare)).0,
            7 * DAY,
            "usage analysis"
        );
        assert_eq!(
            ttl(&with(5 * MIN, Access::Uniform)).0,
            5 * MIN,
            "API responses"
        );
        let mut s = with(DAY, Access::Hot);
        s.staleness = Some(Duration::from_secs(10 * MIN));
        assert_eq!(ttl(&s).0, 10 * MIN, "staleness caps the TTL");
        s.consistency = Some(Consistency::Strong);
        assert_eq!(ttl(&s).0, 5 * MIN);
        s.staleness = Some(Duration::ZERO);
        assert_eq!(ttl(&s).0, MIN);
    }

    #[test]
    fn stampede_choices() {
        let base = |ms: u64, access: Access, c: Consistency, stale_s: u64| Traits {
            recompute: Some(Duration::from_millis(ms)),
            access: Some(access),
            consistency: Some(c),
            staleness: Some(Duration::from_secs(stale_s)),
            ..Traits::default()
        };
        assert_eq!(
            stampede(&base(5, Access::Hot, Consistency::Eventual, 60)).0,
            "none"
        );
        assert_eq!(
            stampede(&base(100, Access::Uniform, Consistency::Eventual, 60)).0,
            "singleflight"
        );
        assert_eq!(
            stampede(&base(450, Access::Hot, Consistency::Strong, 60)).0,
            "lock"
        );
        assert_eq!(
            stampede(&base(450, Access::Predictable, Consistency::Eventual, 60)).0,
            "refresh-ahead"
        );
        assert_eq!(
            stampede(&base(450, Access::Hot, Consistency::Eventual, 3600)).0,
            "swr"
        );
        assert_eq!(
            stampede(&base(450, Access::Hot, Consistency::Eventual, 0)).0,
            "xfetch-lock"
        );
    }

    #[test]
    fn invalidation_warm_policy() {
        let mut x = t(1000.0, Consistency::Eventual);
        x.tags = vec!["plans".into()];
        x.pattern = Some("plan_catalog:v1:*".into());
        assert_eq!(invalidation(&x).0, "ttl + tags (plans) + version bump");
        assert_eq!(invalidation(&t(1.0, Consistency::Strong)).0, "event delete");
        x.access = Some(Access::Predictable);
        assert_eq!(warm(&x).0, "yes");
        x.warm_job = Some("popular_plans".into());
        assert_eq!(warm(&x).0, "yes (job popular_plans)");
        assert_eq!(warm(&t(50.0, Consistency::Eventual)).0, "no");
        x.access = Some(Access::Hot);
        assert_eq!(eviction_policy(&x).0, "volatile-lfu");
        let r = recommend("plans", &x);
        assert!(
            r.rationale.contains("Strategy cache-aside") && r.rationale.contains("Stampede"),
            "{}",
            r.rationale
        );
        assert!(!has_version_segment("video:*"));
    }
}
