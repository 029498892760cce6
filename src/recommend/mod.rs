//! `cachectl recommend`: the rules of `recommend.rs` per profile namespace (or one ad-hoc
//! description), optionally adjusted by what the live server shows (`--observe`).

pub mod rules;

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use serde::Serialize;

use crate::config::Settings;
use crate::engine::Engine;
use crate::error::usage;
use crate::profile::Profile;
use crate::render::{Columns, RenderCtx, Report};
use crate::units::human_bytes;
use rules::{recommend, Recommendation, Traits};

/// What `recommend` is asked: the command line (`cli::recommend`) or `demo`. Every field is
/// unset by default (the command line's defaults), so `Default` is derived (clippy's
/// `derivable_impls` refuses a hand-written one).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// Only this profile namespace (or the name of an ad-hoc description)
    pub namespace: Option<String>,
    /// Reads per write
    pub read_write_ratio: Option<f64>,
    /// What readers need
    pub consistency: Option<crate::profile::Consistency>,
    /// How often the source data changes
    pub update_interval: Option<std::time::Duration>,
    /// How stale a reader may see it
    pub staleness: Option<std::time::Duration>,
    /// Access pattern
    pub access: Option<crate::profile::Access>,
    /// Cost of a miss at the origin
    pub recompute: Option<std::time::Duration>,
    /// Read the live keyspace (analyze) and counters (report) and adjust; also recommend the
    /// instance's maxmemory-policy and maxmemory
    pub observe: bool,
    /// `--observe-window`: watch the traffic this long with `report --patterns` (zero: lifetime
    /// counters only)
    pub observe_window: Duration,
}

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

fn adhoc_traits(a: &Options) -> Traits {
    Traits {
        read_write_ratio: a.read_write_ratio,
        consistency: a.consistency,
        update_interval: a.update_interval,
        staleness: a.staleness,
        access: a.access,
        recompute: a.recompute,
        ..Traits::default()
    }
}

fn has_adhoc(a: &Options) -> bool {
    a.read_write_ratio.is_some()
        || a.consistency.is_some()
        || a.update_interval.is_some()
        || a.staleness.is_some()
        || a.access.is_some()
        || a.recompute.is_some()
}

/// Profile namespace traits, with ad-hoc flags overriding.
fn profile_traits(p: &Profile, name: &str, a: &Options) -> Traits {
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

pub async fn run(a: &Options, s: &Settings, stop: &crate::signals::Stop) -> Result<RecommendOut> {
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
        Some(observe(&mut recs, a.observe_window, s, profile, stop).await?)
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
    window: Duration,
    s: &Settings,
    profile: Option<&Profile>,
    stop: &crate::signals::Stop,
) -> Result<Instance> {
    // one connection to every node: the report reads them all, the keyspace scan its primaries
    let mut engine = Engine::connect(&crate::report::connect_settings(s)).await?;
    let never = crate::signals::Stop::never();
    let analyze = crate::analyze::collect(
        &engine.primaries(),
        &crate::analyze::Options {
            big_keys: 0,
            ..Default::default()
        },
        s,
        &never,
    )
    .await?;
    let report = crate::report::run_on(
        &mut engine,
        &crate::report::Options {
            interval: window,
            count: Some(1),
            latency_samples: 20,
            fail_on: crate::report::FailOn::Never,
            patterns: !window.is_zero(),
            ..Default::default()
        },
        s,
        stop,
    )
    .await?;
    if report.interrupted {
        return Err(anyhow::Error::new(crate::error::Interrupted));
    }
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
                    crate::units::n_of_keys_have(p.no_ttl_keys, p.keys),
                    crate::units::format_duration(Duration::from_secs(r.ttl))
                ));
            }
            if let Some(med) = p.ttl_p50_s {
                if med > r.ttl.saturating_mul(2) || med.saturating_mul(2) < r.ttl {
                    notes.push(format!(
                        "the median live TTL is {}, far from the recommended {}: align the writer",
                        crate::units::format_duration(Duration::from_secs(med)),
                        crate::units::format_duration(Duration::from_secs(r.ttl))
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
        if let Some(w) = window {
            observed_bursts(r, w, &mut notes);
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
    let (policy, recommended_max, why) = rules::instance_policy(&rules::InstanceFacts {
        keys,
        no_ttl,
        hot_share,
        current_policy: analyze.eviction_policy.as_deref(),
        evicted,
        used,
        maxmemory: maxm,
        warn_above_pct: slo.memory_pct.warn_above,
    });
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

/// `--observe-window`: miss bursts the namespace's keys showed in the window (`report
/// --patterns`: a stampede seen live) → a stampede protection. (Its hit rate, where the
/// application keeps no `metrics_key`, comes from the patterns too: `report` fills the
/// namespace row from them, and the rule above reads that row.)
fn observed_bursts(r: &mut Recommendation, w: &crate::report::Window, notes: &mut Vec<String>) {
    let bursts: Vec<_> = w
        .miss_bursts
        .iter()
        .flatten()
        .filter(|b| b.namespace.as_deref() == Some(r.namespace.as_str()))
        .collect();
    if let Some(b) = bursts.iter().max_by_key(|b| b.count) {
        notes.push(format!(
            "{} miss burst{} seen (`{}` missed {} times within one second at {}): a stampede; `cachectl simulate stampede --rate {}` compares the protections",
            bursts.len(),
            if bursts.len() == 1 { "" } else { "s" },
            b.key,
            b.count,
            b.at,
            b.count
        ));
        if r.stampede_protection == "none" {
            r.stampede_protection = "singleflight".into();
            notes
                .push("stampede protection none → singleflight: the misses were concurrent".into());
        }
    }
}

/// One row per namespace: the table and the CSV (SPEC §3 recommend).
fn columns() -> Columns<'static, Recommendation> {
    let mut c: Columns<Recommendation> = Columns::new();
    c.plain("namespace", "NAMESPACE", 0, |r| r.namespace.clone())
        .plain("strategy", "STRATEGY", 1, |r| r.strategy.clone())
        .col(
            "ttl",
            "TTL",
            1,
            |r| r.ttl,
            |r, _| crate::units::format_duration(Duration::from_secs(r.ttl)),
        )
        .col(
            "ttl_jitter_pct",
            "JITTER",
            5,
            |r| r.ttl_jitter_pct,
            |r, _| format!("{}%", r.ttl_jitter_pct),
        )
        .plain("eviction_policy", "EVICTION", 3, |r| {
            r.eviction_policy.clone()
        })
        .plain("invalidation", "INVALIDATION", 4, |r| {
            r.invalidation.clone()
        })
        .plain("stampede_protection", "STAMPEDE", 2, |r| {
            r.stampede_protection.clone()
        })
        .plain("warm", "WARM", 6, |r| r.warm.clone())
        .csv_only("rationale", |r| r.rationale.clone());
    c
}

impl Report for RecommendOut {
    fn outcome(&self) -> crate::error::Outcome {
        crate::error::Outcome::Ok
    }

    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let t = columns().table(ctx, &self.recommendations);
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
        columns().write_csv(w, &self.recommendations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_names_the_json_fields() {
        let r = Recommendation {
            namespace: "n".into(),
            strategy: "cache-aside".into(),
            ttl: 60,
            ttl_jitter_pct: 10.0,
            eviction_policy: "allkeys-lru".into(),
            invalidation: "ttl".into(),
            stampede_protection: "lock".into(),
            warm: "no".into(),
            rationale: "why".into(),
        };
        crate::render::column::assert_csv_matches_json(&columns(), &r, &[], &[]);
    }
}
