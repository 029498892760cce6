//! Flags + profile -> the jobs to run (pure: no Redis, no I/O).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use crate::config::Settings;
use crate::engine::write::SetMode;
use crate::error::usage;
use crate::profile::{Profile, SourceFormat, SourceKind, WarmMode};

use super::rows::{Format, Template};
use super::Input;

/// FNV-1a, 64 bit: stable across runs and Rust versions (a checkpoint outlives a build).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Stdin,
    Command(String),
}

impl Source {
    /// What a checkpoint records to recognise its source. A command line may hold
    /// credentials (`psql postgres://u:pw@…`), so only a hash of it is kept.
    pub fn id(&self) -> String {
        match self {
            Source::File(p) => format!("file:{}", p.display()),
            Source::Stdin => "stdin".into(),
            Source::Command(c) => format!("command:{:016x}", fnv1a(c.as_bytes())),
        }
    }
}

/// One warm job, resolved from flags and profile.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    /// the profile namespace the job fills (`verify` reports by it)
    pub namespace: Option<String>,
    pub source: Source,
    pub format: Option<Format>,
    pub columns: Vec<String>,
    pub key: Template,
    pub value: Option<Template>,
    pub ttl_ms: Option<u64>,
    pub jitter_pct: f64,
    pub mode: SetMode,
    pub rate: Option<f64>,
    pub schedule: Option<String>,
}

fn format_of(f: Option<SourceFormat>) -> Option<Format> {
    f.map(|f| match f {
        SourceFormat::Csv => Format::Csv,
        SourceFormat::Jsonl => Format::Jsonl,
    })
}

fn template(s: &str, what: &str) -> Result<Template> {
    Template::parse(s).map_err(|e| usage(format!("{what}: {e}")))
}

fn set_mode(
    mode: Option<WarmMode>,
    profile: Option<WarmMode>,
    below: Option<Duration>,
) -> Result<SetMode> {
    // the flag wins over the profile
    let m = match mode.or(profile) {
        None | Some(WarmMode::Overwrite) => SetMode::Overwrite,
        Some(WarmMode::Missing) => SetMode::Missing,
        Some(WarmMode::Refresh) => {
            let b = below.ok_or_else(|| usage("--mode refresh needs --refresh-below DUR"))?;
            SetMode::Refresh(b.as_millis().max(1) as u64)
        }
    };
    Ok(m)
}

/// Flags + profile -> the jobs to run.
pub fn jobs(a: &super::Options, s: &Settings) -> Result<Vec<Job>> {
    let names_asked = match &a.source {
        Some(Input::Job(n)) => Some(n),
        Some(Input::AllJobs) => None,
        _ => return Ok(vec![adhoc_job(a)?]),
    };
    let p = s
        .profile
        .as_ref()
        .map(|l| &l.profile)
        .ok_or_else(|| usage("--job/--all-jobs need a profile (-P NAME)"))?;
    let names: Vec<String> = match names_asked {
        Some(n) if !p.warm.contains_key(n) => {
            return Err(usage(format!(
                "no warm job `{n}` in profile `{}` (it has: {})",
                p.name,
                p.warm.keys().cloned().collect::<Vec<_>>().join(", ")
            )))
        }
        Some(n) => vec![n.clone()],
        None => p.warm.keys().cloned().collect(),
    };
    if names.is_empty() {
        return Err(usage(format!("profile `{}` has no warm jobs", p.name)));
    }
    names
        .into_iter()
        .map(|name| profile_job(a, p, name))
        .collect()
}

/// A job of the profile; flags given on the command line win over its settings.
fn profile_job(a: &super::Options, p: &Profile, name: String) -> Result<Job> {
    let j = &p.warm[&name];
    let ns = p.namespaces.get(&j.namespace);
    let source = match j.source.kind {
        SourceKind::Command => Source::Command(j.source.command.clone().unwrap_or_default()),
        SourceKind::File => match j.source.path.as_deref() {
            Some("-") | None => Source::Stdin,
            Some(p) => Source::File(PathBuf::from(p)),
        },
    };
    let columns = if a.columns.is_empty() {
        j.source.columns.clone()
    } else {
        a.columns.clone()
    };
    Ok(Job {
        source,
        format: format_of(a.format).or(format_of(j.source.format)),
        columns,
        key: template(
            a.key.as_deref().unwrap_or(&j.key),
            &format!("job `{name}` key"),
        )?,
        value: match a.value.as_deref().or(j.value.as_deref()) {
            Some(v) => Some(template(v, &format!("job `{name}` value"))?),
            None => None,
        },
        ttl_ms: a
            .ttl
            .or(j.ttl.map(|d| d.0))
            .or(ns.and_then(|n| n.ttl.map(|d| d.0)))
            .map(|d| d.as_millis() as u64),
        jitter_pct: a
            .ttl_jitter
            .or(j.ttl_jitter.map(|p| p.0))
            .or(ns.and_then(|n| n.ttl_jitter.map(|p| p.0)))
            .unwrap_or(10.0),
        mode: set_mode(
            a.mode,
            j.mode,
            a.refresh_below.or(j.refresh_below.map(|d| d.0)),
        )?,
        rate: a.rate.or(j.rate.map(|r| r.0)),
        schedule: j.schedule.clone(),
        namespace: Some(j.namespace.clone()).filter(|n| !n.is_empty()),
        name,
    })
}

/// The job the flags describe (`--source`/`--source-cmd`, `--key`, …).
fn adhoc_job(a: &super::Options) -> Result<Job> {
    let source = match &a.source {
        Some(Input::Stdin) => Source::Stdin,
        Some(Input::File(p)) => Source::File(p.clone()),
        Some(Input::Command(c)) => Source::Command(c.clone()),
        _ => {
            return Err(usage(
                "warm needs a source: --source FILE|-, --source-cmd COMMAND, or --job NAME / --all-jobs with a profile",
            ))
        }
    };
    let key = a
        .key
        .as_deref()
        .ok_or_else(|| usage("--key TEMPLATE is required (e.g. --key 'plan_catalog:v1:{id}')"))?;
    let name = a.name.clone().unwrap_or_else(|| match &source {
        Source::File(p) => p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into()),
        Source::Stdin => "stdin".into(),
        Source::Command(_) => "command".into(),
    });
    let format = format_of(a.format).or(match &source {
        Source::File(p) => Format::from_path(&p.display().to_string()),
        _ => None,
    });
    Ok(Job {
        name,
        source,
        format,
        columns: a.columns.clone(),
        key: template(key, "--key")?,
        value: a
            .value
            .as_deref()
            .map(|v| template(v, "--value"))
            .transpose()?,
        ttl_ms: a.ttl.map(|d| d.as_millis() as u64),
        jitter_pct: a.ttl_jitter.unwrap_or(10.0),
        mode: set_mode(a.mode, None, a.refresh_below)?,
        rate: a.rate,
        schedule: None,
        namespace: None,
    })
}

impl Job {
    /// Every `{column}` the key and value templates name.
    pub fn template_fields(&self) -> impl Iterator<Item = &str> {
        self.key
            .fields()
            .chain(self.value.iter().flat_map(|v| v.fields()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_sources_are_recorded_by_hash_only() {
        let s = Source::Command("psql postgres://u:S3cret@db/app -c 'select 1'".into());
        let id = s.id();
        assert!(id.starts_with("command:") && !id.contains("S3cret"), "{id}");
        assert_eq!(id, s.id(), "stable");
        assert_ne!(id, Source::Command("psql other".into()).id());
        assert_eq!(Source::File("a.csv".into()).id(), "file:a.csv");
    }
}
