//! `cachectl profile check|show`.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::profile::{self, Profile};
use crate::render::{RenderCtx, Report};

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub profile: String,
    pub file: String,
    pub valid: bool,
    pub namespaces: usize,
    pub warm_jobs: usize,
}

pub fn check(spec: &str) -> Result<CheckReport> {
    let l = profile::load(spec)?;
    Ok(CheckReport {
        profile: l.profile.name.clone(),
        file: l.origin.to_string(),
        valid: true,
        namespaces: l.profile.namespaces.len(),
        warm_jobs: l.profile.warm.len(),
    })
}

impl Report for CheckReport {
    fn write_table(&self, _ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        writeln!(
            w,
            "{}: profile `{}` is valid ({}, {})",
            self.file,
            self.profile,
            crate::units::plural(self.namespaces as u64, "namespace", "namespaces"),
            crate::units::plural(self.warm_jobs as u64, "warm job", "warm jobs")
        )?;
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        w.write_record(["profile", "file", "valid", "namespaces", "warm_jobs"])?;
        w.write_record([
            self.profile.clone(),
            self.file.clone(),
            self.valid.to_string(),
            self.namespaces.to_string(),
            self.warm_jobs.to_string(),
        ])?;
        Ok(())
    }
}

/// `cachectl profile list`: the names `-P` finds, and where from.
#[derive(Debug, Serialize)]
pub struct ListReport {
    pub profiles: Vec<ListRow>,
}

#[derive(Debug, Serialize)]
pub struct ListRow {
    pub name: String,
    pub file: String,
}

pub fn list() -> ListReport {
    ListReport {
        profiles: profile::list()
            .into_iter()
            .map(|(name, origin)| ListRow {
                name,
                file: origin.to_string(),
            })
            .collect(),
    }
}

impl Report for ListReport {
    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let mut t = ctx.table(&["NAME", "FILE"]);
        for p in &self.profiles {
            t.add_row(vec![p.name.clone(), p.file.clone()]);
        }
        writeln!(w, "{t}")?;
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        w.write_record(["name", "file"])?;
        for p in &self.profiles {
            w.write_record([&p.name, &p.file])?;
        }
        Ok(())
    }
}

/// The resolved profile: `${VAR}` expanded, defaults filled in. Table format prints YAML.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ShowReport(pub Profile);

pub fn show(spec: &str) -> Result<ShowReport> {
    let mut p = profile::load(spec)?.profile;
    redact_profile(&mut p);
    Ok(ShowReport(p))
}

/// Secrets never shown: URLs and commands lose their passwords, and every string loses the
/// secrets this run knows (URL passwords, REDISCLI_AUTH, secret-looking `${VAR}`s).
fn redact_profile(p: &mut Profile) {
    use crate::redact::{scrub, text};
    let sc = |s: &mut String| *s = scrub(s);
    let sco = |s: &mut Option<String>| {
        if let Some(v) = s {
            *v = scrub(v)
        }
    };
    if let Some(url) = p.redis.as_mut().and_then(|r| r.url.as_mut()) {
        *url = crate::redact::url(url);
    }
    sco(&mut p.description);
    for ns in p.namespaces.values_mut() {
        sco(&mut ns.description);
        sco(&mut ns.pattern);
        sco(&mut ns.format);
        sco(&mut ns.metrics_key);
        ns.tags.iter_mut().for_each(sc);
    }
    for job in p.warm.values_mut() {
        sc(&mut job.namespace);
        sco(&mut job.schedule);
        sc(&mut job.key);
        sco(&mut job.value);
        for s in [&mut job.source.command, &mut job.source.path]
            .into_iter()
            .flatten()
        {
            *s = text(s);
        }
        job.source.columns.iter_mut().for_each(sc);
    }
    sco(&mut p.invalidation.tag_prefix);
    sc(&mut p.invalidation.publish_channel);
}

impl Report for ShowReport {
    fn write_table(&self, _ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let text = serde_yaml_ng::to_string(&self.0)?;
        w.write_all(text.as_bytes())?;
        Ok(())
    }

    /// One row per namespace.
    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        w.write_record([
            "namespace",
            "pattern",
            "ttl_s",
            "ttl_jitter_pct",
            "read_write_ratio",
            "consistency",
            "access",
            "tags",
            "metrics_key",
        ])?;
        for (name, ns) in &self.0.namespaces {
            w.write_record([
                name.clone(),
                ns.glob(),
                ns.ttl
                    .map(|d| d.0.as_secs().to_string())
                    .unwrap_or_default(),
                ns.ttl_jitter.map(|p| p.0.to_string()).unwrap_or_default(),
                ns.read_write_ratio
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
                ns.consistency
                    .map(|c| format!("{c:?}").to_lowercase())
                    .unwrap_or_default(),
                ns.access
                    .map(|c| format!("{c:?}").to_lowercase())
                    .unwrap_or_default(),
                ns.tags.join(" "),
                ns.metrics_key.clone().unwrap_or_default(),
            ])?;
        }
        Ok(())
    }
}
