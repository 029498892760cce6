//! `cachectl recommend`: the rules of `recommend.rs` per profile namespace (or one ad-hoc
//! description), optionally adjusted by what the live server shows (`--observe`).

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use serde::Serialize;

use crate::cli::{AccessArg, AnalyzeArgs, ConsistencyArg, RecommendArgs, ReportArgs};
use crate::config::Settings;
use crate::error::usage;
use crate::profile::{Access, Consistency, Profile};
use crate::recommend::{recommend, Recommendation, Traits};
use crate::render::{RenderCtx, Report};
use crate::util::human_bytes;

#[derive(Debug, Serialize)]
pub struct Instance {
    pub current_policy: Option<String>,
    pub recommended_policy: String,
    pub used_memory: u64,
    pub maxmemory: u64,
    pub recommended_maxmemory: u64,
    pub keys: u64,
    pub keys_without_ttl: u64,
    pub evicted: u64,
    pub rationale: String,
}

#[derive(Debug, Serialize)]
pub struct RecommendOut {
    pub recommendations: Vec<Recommendation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<Instance>,
    /// Table only: leave out the per-namespace rationale paragraphs (`demo` without
    /// `--explain`). CSV and JSON always carry them.
    #[serde(skip)]
    pub brief: bool,
}

fn adhoc_traits(a: &RecommendArgs) -> Traits {
    Traits {
        read_write_ratio: a.read_write_ratio,
        consistency: a.consistency.map(|c| match c {
            ConsistencyArg::Strong => Consistency::Strong,
            ConsistencyArg::Eventual => Consistency::Eventual,
        }),
        update_interval: a.update_interval,
        staleness: a.staleness,
        access: a.access.map(|x| match x {
            AccessArg::Hot => Access::Hot,
            AccessArg::Predictable => Access::Predictable,
            AccessArg::Uniform => Access::Uniform,
            AccessArg::Rare => Access::Rare,
        }),
        recompute: a.recompute,
        ..Traits::default()
    }
}

fn has_adhoc(a: &RecommendArgs) -> bool {
    a.read_write_ratio.is_some()
        || a.consistency.is_some()
        || a.update_interval.is_some()
        || a.staleness.is_some()
        || a.access.is_some()
        || a.recompute.is_some()
}

/// Profile namespace traits, with ad-hoc flags overriding.
fn profile_traits(p: &Profile, name: &str, a: &RecommendArgs) -> Traits {
    let ns = &p.namespaces[name];
    let flags = adhoc_traits(a);
    Traits {
        read_write_ratio: flags.read_write_ratio.or(ns.read_write_ratio),
        consistency: flags.consistency.or(ns.consistency),
        update_interval: flags.update_interval.or(ns.update_interval.map(|d| d.0)),
        staleness: flags.staleness.or(ns.staleness.map(|d| d.0)),
        access: flags.access.or(ns.access),
        recompute: flags.recompute.or(ns.recompute.map(|d| d.0)),
        tags: ns.tags.clone(),
        pattern: Some(ns.glob()),
        warm_job: p
            .warm
            .iter()
            .find(|(_, j)| j.namespace == name)
            .map(|(n, _)| n.clone()),
    }
}

pub async fn run(a: &RecommendArgs, s: &Settings) -> Result<RecommendOut> {
    if a.read_write_ratio
        .is_some_and(|r| !(r > 0.0 && r.is_finite()))
    {
        return Err(usage("--read-write-ratio must be a positive number"));
    }
    let profile = s.profile.as_ref().map(|l| &l.profile);
    let mut recs = Vec::new();
    match profile.filter(|p| !p.namespaces.is_empty()) {
        Some(p) => {
            let names: Vec<String> = match &a.namespace {
                Some(n) if p.namespaces.contains_key(n) => vec![n.clone()],
                Some(n) if has_adhoc(a) => {
                    recs.push(recommend(n, &adhoc_traits(a)));
                    vec![]
                }
                Some(n) => {
                    return Err(usage(format!(
                        "namespace `{n}` is not in profile `{}` (it has: {})",
                        p.name,
                        p.namespaces.keys().cloned().collect::<Vec<_>>().join(", ")
                    )))
                }
                None => p.namespaces.keys().cloned().collect(),
            };
            for n in names {
                recs.push(recommend(&n, &profile_traits(p, &n, a)));
            }
        }
        None => {
            if !has_adhoc(a) {
                return Err(usage(
                    "describe the data (--read-write-ratio, --consistency, --update-interval, --staleness, --access, --recompute) or give a profile with namespaces (-P NAME)",
                ));
            }
            let name = a.namespace.clone().unwrap_or_else(|| "(ad hoc)".into());
            recs.push(recommend(&name, &adhoc_traits(a)));
        }
    }
    let instance = if a.observe {
        Some(observe(&mut recs, s, profile).await?)
    } else {
        None
    };
    Ok(RecommendOut {
        recommendations: recs,
        instance,
        brief: false,
    })
}

/// Adjust by what the server shows: keys without TTL, TTLs far from the recommendation, low
/// hit rates, evictions and memory headroom; recommend the instance's policy and maxmemory.
async fn observe(
    recs: &mut [Recommendation],
    s: &Settings,
    profile: Option<&Profile>,
) -> Result<Instance> {
    let analyze = crate::commands::analyze::run(
        &AnalyzeArgs {
            pattern: None,
            key_type: None,
            sample: None,
            scan_count: 1000,
            rate: None,
            top: 0,
            separators: ":/|#".into(),
            big_keys: 0,
        },
        s,
        &crate::signals::Stop::never(),
    )
    .await?;
    let report = crate::commands::report::run(
        &ReportArgs {
            interval: Duration::ZERO,
            count: 1,
            watch: false,
            latency_samples: 20,
            fail_on: crate::cli::FailOn::Never,
            append: None,
        },
        s,
        &crate::signals::Stop::never(),
    )
    .await?;
    let slo = profile.map(|p| p.slo.clone()).unwrap_or_default();
    let window = report.windows.first();
    for r in recs.iter_mut() {
        let mut notes = Vec::new();
        if let Some(p) = analyze
            .patterns
            .iter()
            .find(|p| p.namespace.as_deref() == Some(r.namespace.as_str()))
        {
            if p.no_ttl_keys > 0 {
                notes.push(format!(
                    "{} no TTL: write them with a TTL of {} (they never expire and volatile-* policies never evict them)",
                    crate::util::n_of_keys_have(p.no_ttl_keys, p.keys),
                    crate::profile::format_duration(Duration::from_secs(r.ttl))
                ));
            }
            if let Some(med) = p.ttl_p50_s {
                if med > r.ttl.saturating_mul(2) || med.saturating_mul(2) < r.ttl {
                    notes.push(format!(
                        "the median live TTL is {}, far from the recommended {}: align the writer",
                        crate::profile::format_duration(Duration::from_secs(med)),
                        crate::profile::format_duration(Duration::from_secs(r.ttl))
                    ));
                }
            }
        } else {
            notes.push("no live keys in this namespace".into());
        }
        if let Some(ns) =
            window.and_then(|w| w.namespaces.iter().find(|n| n.namespace == r.namespace))
        {
            let lookups = ns.hits.unwrap_or(0) + ns.misses.unwrap_or(0);
            if let Some(hr) = ns
                .hit_rate_pct
                .filter(|_| lookups >= slo.min_lookups.min(100))
            {
                if hr < slo.hit_rate_pct.warn_below {
                    notes.push(format!(
                        "the hit rate is {hr}% (< {}%): lengthen the TTL within the staleness readers tolerate and warm the hot set",
                        slo.hit_rate_pct.warn_below
                    ));
                    if r.warm == "no" {
                        r.warm = "yes".into();
                    }
                }
            }
        }
        if !notes.is_empty() {
            r.rationale = format!("{} Observed: {}.", r.rationale, notes.join("; "));
        }
    }
    // the instance
    let no_ttl: u64 = analyze.patterns.iter().map(|p| p.no_ttl_keys).sum();
    let keys = analyze.total_keys;
    let (used, maxm, evicted) = window.map_or((0, 0, 0), |w| {
        let primaries: Vec<_> = w.nodes.iter().filter(|n| n.role != "replica").collect();
        (
            primaries.iter().map(|n| n.used_memory).sum(),
            primaries.iter().map(|n| n.maxmemory).sum(),
            primaries.iter().filter_map(|n| n.evicted).sum(),
        )
    });
    let hot_share = recs
        .iter()
        .filter(|r| r.eviction_policy == "volatile-lfu")
        .count()
        * 2
        > recs.len().max(1);
    let (policy, p_why) = match (no_ttl > 0, hot_share) {
        (true, true) => ("volatile-lfu", format!("{} no TTL (persistent keys share the instance): evict only keys with a TTL, by frequency for the hot namespaces", crate::util::n_of_keys_have(no_ttl, keys))),
        (true, false) => ("volatile-lru", format!("{} no TTL (persistent keys share the instance): volatile-lru evicts only cache keys", crate::util::n_of_keys_have(no_ttl, keys))),
        (false, true) => ("allkeys-lfu", "every key has a TTL and access is skewed: allkeys-lfu keeps the hot set".to_string()),
        (false, false) => ("allkeys-lru", "every key has a TTL: allkeys-lru uses all of memory as cache".to_string()),
    };
    let mut why = vec![format!("maxmemory-policy {policy}: {p_why}")];
    if let Some(cur) = &analyze.eviction_policy {
        if cur == "noeviction" {
            why.push(
                "the current noeviction makes writes fail with OOM when memory is full".into(),
            );
        } else if evicted > 0 && cur != policy {
            why.push(format!(
                "{} evicted under the current {cur}",
                crate::util::plural(evicted, "key was", "keys were")
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
    } else if used as f64 > maxm as f64 * slo.memory_pct.warn_above / 100.0 {
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
            crate::util::plural(evicted, "key", "keys")
        ));
    }
    Ok(Instance {
        current_policy: analyze.eviction_policy.clone(),
        recommended_policy: policy.into(),
        used_memory: used,
        maxmemory: maxm,
        recommended_maxmemory: recommended_max,
        keys,
        keys_without_ttl: no_ttl,
        evicted,
        rationale: why.join("; "),
    })
}

/// Round up to 64 MiB.
fn round_up(bytes: u64) -> u64 {
    const STEP: u64 = 64 * 1024 * 1024;
    bytes.div_ceil(STEP).max(1) * STEP
}

impl Report for RecommendOut {
    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let mut t = ctx.table(&[
            "NAMESPACE",
            "STRATEGY",
            "TTL",
            "JITTER",
            "EVICTION",
            "INVALIDATION",
            "STAMPEDE",
            "WARM",
        ]);
        t.priorities(&[0, 1, 1, 5, 3, 4, 2, 6]);
        for r in &self.recommendations {
            t.add_row(vec![
                r.namespace.clone(),
                r.strategy.clone(),
                crate::profile::format_duration(Duration::from_secs(r.ttl)),
                format!("{}%", r.ttl_jitter_pct),
                r.eviction_policy.clone(),
                r.invalidation.clone(),
                r.stampede_protection.clone(),
                r.warm.clone(),
            ]);
        }
        writeln!(w, "{t}")?;
        for r in self.recommendations.iter().filter(|_| !self.brief) {
            writeln!(
                w,
                "\n{}",
                ctx.prose(&format!("{}: {}", r.namespace, r.rationale))
            )?;
        }
        if let Some(i) = &self.instance {
            let text = format!(
                "\nInstance: maxmemory-policy {} (now {}), maxmemory {} (now {}, {} used).\n  {}",
                i.recommended_policy,
                i.current_policy.as_deref().unwrap_or("unknown"),
                human_bytes(i.recommended_maxmemory),
                if i.maxmemory == 0 {
                    "not set".into()
                } else {
                    human_bytes(i.maxmemory)
                },
                human_bytes(i.used_memory),
                i.rationale
            );
            writeln!(w, "{}", ctx.prose(&text))?;
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        w.write_record([
            "namespace",
            "strategy",
            "ttl",
            "ttl_jitter_pct",
            "eviction_policy",
            "invalidation",
            "stampede_protection",
            "warm",
            "rationale",
        ])?;
        for r in &self.recommendations {
            w.write_record([
                r.namespace.clone(),
                r.strategy.clone(),
                r.ttl.to_string(),
                r.ttl_jitter_pct.to_string(),
                r.eviction_policy.clone(),
                r.invalidation.clone(),
                r.stampede_protection.clone(),
                r.warm.clone(),
                r.rationale.clone(),
            ])?;
        }
        Ok(())
    }
}
