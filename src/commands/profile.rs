//! `cachectl profile check|show`.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::profile::{self, Profile};
use crate::render::{Columns, RenderCtx, Report, AUTO};

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

/// `profile check` as one CSV row (the table is a sentence).
fn check_columns() -> Columns<'static, CheckReport> {
    let mut c: Columns<CheckReport> = Columns::new();
    c.csv_only("profile", |r| r.profile.clone())
        .csv_only("file", |r| r.file.clone())
        .csv_only("valid", |r| r.valid)
        .csv_only("namespaces", |r| r.namespaces)
        .csv_only("warm_jobs", |r| r.warm_jobs);
    c
}

impl Report for CheckReport {
    fn outcome(&self) -> crate::error::Outcome {
        crate::error::Outcome::Ok
    }

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
        check_columns().write_csv(w, [self])
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

fn list_columns() -> Columns<'static, ListRow> {
    let mut c: Columns<ListRow> = Columns::new();
    c.plain("name", "NAME", AUTO, |p| p.name.clone())
        .plain("file", "FILE", AUTO, |p| p.file.clone());
    c
}

impl Report for ListReport {
    fn outcome(&self) -> crate::error::Outcome {
        crate::error::Outcome::Ok
    }

    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        writeln!(w, "{}", list_columns().table(ctx, &self.profiles))?;
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        list_columns().write_csv(w, &self.profiles)
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
    fn outcome(&self) -> crate::error::Outcome {
        crate::error::Outcome::Ok
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_names_the_json_fields() {
        let c = CheckReport {
            profile: "p".into(),
            file: "f".into(),
            valid: true,
            namespaces: 1,
            warm_jobs: 0,
        };
        crate::render::column::assert_csv_matches_json(&check_columns(), &c, &[], &[]);
        let l = ListRow {
            name: "n".into(),
            file: "f".into(),
        };
        crate::render::column::assert_csv_matches_json(&list_columns(), &l, &[], &[]);
    }
}
