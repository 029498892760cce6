//! Profiles (SPEC §2): schema, `${VAR:-default}` expansion, lookup, validation with
//! `file:line` errors. Unknown fields are errors.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::usage;
use crate::units::{format_duration, parse_duration, parse_percent, parse_rate};

/// Profiles shipped in `profiles/`, compiled in so `-P treebeard` works from any directory.
pub const BUILTIN: [(&str, &str); 3] = [
    ("default", include_str!("../profiles/default.yaml")),
    ("treebeard", include_str!("../profiles/treebeard.yaml")),
    ("datapunk", include_str!("../profiles/datapunk.yaml")),
];

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<RedisSection>,
    #[serde(default)]
    pub slo: Slo,
    #[serde(default)]
    pub namespaces: BTreeMap<String, Namespace>,
    #[serde(default)]
    pub warm: BTreeMap<String, WarmJob>,
    #[serde(default)]
    pub invalidation: Invalidation,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// TLS (`--cacert`, `--cert`, `--key`, `--sni`, `--insecure`); relative paths are taken
    /// from the profile file's directory. Paths only: key material never enters a profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cacert: Option<std::path::PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert: Option<std::path::PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<std::path::PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Slo {
    pub hit_rate_pct: Below,
    pub memory_pct: Above,
    pub eviction_pct: CritAbove,
    pub p95_latency_ms: CritAbove,
    /// `verify`: fresh ÷ (fresh + stale) below this fails the check (exit 3)
    pub coherence_pct: CritBelow,
    #[serde(deserialize_with = "num")]
    pub min_lookups: u64,
}

impl Default for Slo {
    /// CORE-CACHE-003 quantitative thresholds and the TreeBeard >80% goal.
    fn default() -> Self {
        Slo {
            hit_rate_pct: Below {
                warn_below: 80.0,
                crit_below: 70.0,
            },
            memory_pct: Above {
                warn_above: 80.0,
                crit_above: 90.0,
            },
            eviction_pct: CritAbove { crit_above: 5.0 },
            p95_latency_ms: CritAbove { crit_above: 10.0 },
            // CORE-CACHE-003: invalidation accuracy >= 99%
            coherence_pct: CritBelow { crit_below: 99.0 },
            min_lookups: 1000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Below {
    #[serde(deserialize_with = "num")]
    pub warn_below: f64,
    #[serde(deserialize_with = "num")]
    pub crit_below: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Above {
    #[serde(deserialize_with = "num")]
    pub warn_above: f64,
    #[serde(deserialize_with = "num")]
    pub crit_above: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CritBelow {
    #[serde(deserialize_with = "num")]
    pub crit_below: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CritAbove {
    #[serde(deserialize_with = "num")]
    pub crit_above: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Namespace {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// glob, e.g. `plan_catalog:v1:*`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// key format, e.g. `app:{service}:{entity}:{id}:{field?}`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<Dur>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_jitter: Option<Percent>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_num"
    )]
    pub read_write_ratio: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consistency: Option<Consistency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_interval: Option<Dur>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staleness: Option<Dur>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recompute: Option<Dur>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_key: Option<String>,
}

impl Namespace {
    /// The glob shown for this namespace (its pattern, or its format with `{x}` as `*`).
    pub fn glob(&self) -> String {
        match (&self.pattern, &self.format) {
            (Some(p), _) => p.clone(),
            (None, Some(f)) => crate::glob::from_format(f),
            (None, None) => String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Consistency {
    Strong,
    Eventual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    Hot,
    Predictable,
    Uniform,
    Rare,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarmJob {
    pub namespace: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    pub source: WarmSource,
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<Dur>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_jitter: Option<Percent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Rate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<WarmMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_below: Option<Dur>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarmSource {
    #[serde(rename = "type")]
    pub kind: SourceKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<SourceFormat>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    #[default]
    File,
    Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum WarmMode {
    Overwrite,
    Missing,
    Refresh,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Invalidation {
    /// `invalidate tag`/`namespace` layout; `auto` (the default) finds it
    pub tag_format: TagFormat,
    /// the client key prefix (phpredis `OPT_PREFIX`, Laravel `REDIS_PREFIX`)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_prefix: Option<String>,
    /// the framework's own prefix (Symfony namespace, Laravel cache prefix)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_prefix: Option<String>,
    pub publish_channel: String,
}

impl Default for Invalidation {
    fn default() -> Self {
        Invalidation {
            tag_format: TagFormat::Auto,
            key_prefix: None,
            tag_prefix: None,
            publish_channel: "cache:invalidate".into(),
        }
    }
}

/// Tag layouts (docs/tag-layouts.md): `auto` finds the index among all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum TagFormat {
    /// find the index among every layout
    Auto,
    /// set `{P}{S}tag:{T}` of item keys
    Cachectl,
    /// Laravel 10-13 zset `tag:{T}:entries`, 8-9 `tag:{T}:key` + reference sets
    Laravel,
    /// Symfony RedisTagAwareAdapter set `{S}\0tags\0{T}` (5.4-6.2) / `\x01tags\x01` (6.3+)
    Symfony,
    /// Symfony TagAwareAdapter tag version key `{S}{T}\0tags\0`
    SymfonyTagaware,
    /// cashews set `_tag:{T}`
    Cashews,
}

impl TagFormat {
    /// The layout family to look in (`None` = every layout, `auto`).
    pub fn family(self) -> Option<crate::tags::Family> {
        use crate::tags::Family;
        match self {
            TagFormat::Auto => None,
            TagFormat::Cachectl => Some(Family::Cachectl),
            TagFormat::Laravel => Some(Family::Laravel),
            TagFormat::Symfony => Some(Family::Symfony),
            TagFormat::SymfonyTagaware => Some(Family::SymfonyTagaware),
            TagFormat::Cashews => Some(Family::Cashews),
        }
    }
}

thread_local! {
    /// Set during the schema pass over the raw text, where `${VAR}`s are not expanded yet:
    /// typed scalars holding a `${…}` are accepted there and checked after expansion.
    static LENIENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn unexpanded(v: &str) -> bool {
    LENIENT.with(|l| l.get()) && v.contains("${")
}

/// Numbers written as numbers or as numeric strings (a `${VAR}` expands to a string).
struct NumVisitor<T>(std::marker::PhantomData<T>);

impl<T: std::str::FromStr + Default> serde::de::Visitor<'_> for NumVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        if unexpanded(v) {
            return Ok(T::default());
        }
        v.trim()
            .parse()
            .map_err(|_| E::custom(format!("invalid number `{v}`")))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
}

fn num<'de, D: Deserializer<'de>, T: std::str::FromStr + Default>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(NumVisitor(std::marker::PhantomData))
}

fn opt_num<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    num(d).map(Some)
}

/// A duration written as `500ms`, `30s`, `15m`, `1h`, `7d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dur(pub Duration);

/// Scalars written as strings or numbers (`1h`, `10%`, `200/s`, `30`), parsed by `parse`.
/// A visitor (not an intermediate `Value`) keeps the error at the scalar's own line.
struct ScalarVisitor<T>(fn(&str) -> Result<T, String>, &'static str);

impl<T> serde::de::Visitor<'_> for ScalarVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.1)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        if unexpanded(v) {
            // checked again once expanded; any valid value will do meanwhile
            return (self.0)("1").map_err(E::custom);
        }
        (self.0)(v).map_err(E::custom)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        self.visit_str(&format!("{v:?}")) // 1e30, not 31 digits, in messages
    }
}

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor(
            |s| parse_duration(s).map(Dur),
            "a duration such as 30s or 1h",
        ))
    }
}

impl Serialize for Dur {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_duration(self.0))
    }
}

/// A percentage written as `10%` or `10`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent(pub f64);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor(
            |s| parse_percent(s).map(Percent),
            "a percentage such as 10%",
        ))
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{}%", self.0))
    }
}

/// A rate written as `200/s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate(pub f64);

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor(
            |s| parse_rate(s).map(Rate),
            "a rate such as 200/s",
        ))
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{}/s", self.0))
    }
}

/// Where a profile came from, for messages.
#[derive(Debug, Clone)]
pub enum Origin {
    File(PathBuf),
    Builtin(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::Builtin(n) => write!(f, "<built-in profiles/{n}.yaml>"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Loaded {
    pub profile: Profile,
    pub origin: Origin,
}

/// Find a profile: an existing path; else `profiles/NAME.yaml` in each `$CACHECTL_PROFILE_PATH`
/// directory, then `./profiles`; else a built-in copy of a shipped profile.
pub fn resolve(spec: &str) -> Result<(Origin, String)> {
    let as_path = Path::new(spec);
    if as_path.is_file() {
        let text = std::fs::read_to_string(as_path)
            .with_context(|| format!("reading profile {}", as_path.display()))?;
        return Ok((Origin::File(as_path.to_path_buf()), text));
    }
    let looks_like_path = spec.contains('/') || spec.ends_with(".yaml") || spec.ends_with(".yml");
    if !looks_like_path {
        let mut dirs: Vec<PathBuf> = std::env::var_os("CACHECTL_PROFILE_PATH")
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default();
        dirs.push(PathBuf::from("."));
        for dir in dirs {
            for candidate in [
                dir.join("profiles").join(format!("{spec}.yaml")),
                dir.join(format!("{spec}.yaml")),
            ] {
                if candidate.is_file() {
                    let text = std::fs::read_to_string(&candidate)
                        .with_context(|| format!("reading profile {}", candidate.display()))?;
                    return Ok((Origin::File(candidate), text));
                }
            }
        }
        if let Some((name, text)) = BUILTIN.iter().find(|(n, _)| *n == spec) {
            return Ok((Origin::Builtin(name), text.to_string()));
        }
    }
    Err(usage(format!(
        "profile `{spec}` not found (a path, or a name looked up as profiles/{spec}.yaml in $CACHECTL_PROFILE_PATH and ./profiles; built-in: default, treebeard, datapunk)"
    )))
}

/// Every profile `-P NAME` can find, in lookup order; a name found twice is listed once, where
/// `resolve` would take it from. Files that are not `*.yaml` are skipped.
pub fn list() -> Vec<(String, Origin)> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("CACHECTL_PROFILE_PATH")
        .map(|v| std::env::split_paths(&v).collect())
        .unwrap_or_default();
    let from_path = dirs.len();
    dirs.push(PathBuf::from("."));
    let mut out: Vec<(String, Origin)> = Vec::new();
    for (i, dir) in dirs.iter().enumerate() {
        // resolve() also takes DIR/NAME.yaml; listing every YAML file of the working
        // directory would be noise, so only the $CACHECTL_PROFILE_PATH dirs are listed so
        let mut candidates = vec![dir.join("profiles")];
        if i < from_path {
            candidates.push(dir.clone());
        }
        for d in candidates {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml") && p.is_file())
                .collect();
            files.sort();
            for f in files {
                let Some(name) = f.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                if !out.iter().any(|(n, _)| n == name) {
                    out.push((name.to_string(), Origin::File(f.clone())));
                }
            }
        }
    }
    for (name, _) in BUILTIN {
        if !out.iter().any(|(n, _)| n == name) {
            out.push((name.to_string(), Origin::Builtin(name)));
        }
    }
    out
}

pub fn load(spec: &str) -> Result<Loaded> {
    let (origin, text) = resolve(spec)?;
    let profile = parse(&text, &origin.to_string())?;
    Ok(Loaded { profile, origin })
}

/// Parse and validate profile text; errors are usage errors naming `file:line`.
///
/// `${VAR}` and `${VAR:-default}` expand after YAML parsing, inside string scalars only: an
/// expanded value is never YAML (a password `pa"ss` or `a: [b]` stays that string; `\t` stays
/// two characters). Mapping keys are not expanded. A numeric field may hold a `${VAR}` whose
/// value is a number.
pub fn parse(text: &str, file: &str) -> Result<Profile> {
    let located = |e: serde_yaml_ng::Error| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let msg = e.to_string();
        // serde_yaml appends " at line N column M"; we print it up front instead
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        usage(format!("{file}:{line}:{col}: {msg}"))
    };
    // 1. syntax and schema on the text itself, so errors point at their line
    LENIENT.with(|l| l.set(true));
    let schema = serde_yaml_ng::from_str::<Profile>(text);
    LENIENT.with(|l| l.set(false));
    schema.map_err(located)?;
    // 2. expand string scalars
    let mut value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(located)?;
    let mut expanded = Vec::new();
    expand_value(&mut value, &|k| std::env::var(k).ok(), &mut expanded).map_err(
        |(needle, msg)| usage(format!("{file}:{}: {msg}", line_containing(text, &needle))),
    )?;
    // 3. the typed profile from the expanded values; an error can only come from a value
    let profile: Profile = serde_yaml_ng::from_value(value).map_err(|e| {
        let msg = e.to_string();
        // the value the message quotes, else the longest one it mentions
        let line = expanded
            .iter()
            .find(|(_, v)| msg.contains(&format!("`{v}`")))
            .or_else(|| {
                expanded
                    .iter()
                    .filter(|(_, v)| !v.is_empty() && msg.contains(v.as_str()))
                    .max_by_key(|(_, v)| v.len())
            })
            .map_or(1, |(orig, _)| line_containing(text, orig));
        usage(format!("{file}:{line}: {msg} (after expanding ${{…}})"))
    })?;
    validate(&profile, text).map_err(|(line, msg)| usage(format!("{file}:{line}: {msg}")))?;
    Ok(profile)
}

/// Expand every string scalar of a YAML tree (not mapping keys). Records (original, expanded)
/// for error messages; errors carry the text to look for in the file.
fn expand_value(
    v: &mut serde_yaml_ng::Value,
    get: &dyn Fn(&str) -> Option<String>,
    expanded: &mut Vec<(String, String)>,
) -> std::result::Result<(), (String, String)> {
    use serde_yaml_ng::Value;
    match v {
        Value::String(s) if s.contains("${") => {
            let new = expand_str(s, get).map_err(|msg| (s.clone(), msg))?;
            expanded.push((s.clone(), new.clone()));
            *s = new;
        }
        Value::Sequence(items) => {
            for item in items {
                expand_value(item, get, expanded)?;
            }
        }
        Value::Mapping(m) => {
            for (_, item) in m.iter_mut() {
                expand_value(item, get, expanded)?;
            }
        }
        Value::Tagged(t) => expand_value(&mut t.value, get, expanded)?,
        _ => {}
    }
    Ok(())
}

/// Variables whose values are secrets: masked wherever the run prints text.
fn secret_name(var: &str) -> bool {
    let v = var.to_ascii_uppercase();
    [
        "PASS",
        "PWD",
        "SECRET",
        "TOKEN",
        "AUTH",
        "CREDENTIAL",
        "PRIVATE",
        "API_KEY",
        "APIKEY",
    ]
    .iter()
    .any(|w| v.contains(w))
}

/// Expand `${VAR}` and `${VAR:-default}` in one string. An unset `${VAR}` without default is
/// an error; an empty one takes the default.
pub fn expand_str(
    text: &str,
    get: &dyn Fn(&str) -> Option<String>,
) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err("unterminated ${…} reference".into());
        };
        let inner = &after[..end];
        let (var, default) = match inner.split_once(":-") {
            Some((v, d)) => (v, Some(d)),
            None => (inner, None),
        };
        if var.is_empty() || !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("invalid variable reference `${{{inner}}}`"));
        }
        match (
            get(var).filter(|v| !v.is_empty() || default.is_none()),
            default,
        ) {
            (Some(v), _) => {
                if secret_name(var) {
                    crate::redact::register(&v);
                }
                out.push_str(&v)
            }
            (None, Some(d)) => out.push_str(d),
            (None, None) => {
                return Err(format!(
                    "environment variable {var} is not set (use ${{{var}:-default}})"
                ))
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Line (1-based) of the first line containing `needle` (or its first line), else 1.
fn line_containing(text: &str, needle: &str) -> usize {
    let first = needle.lines().next().unwrap_or(needle);
    text.lines()
        .position(|l| l.contains(first))
        .or_else(|| {
            // a quoted scalar may be written with escapes: look for the first reference
            let r = first.find("${").map(|i| &first[i..])?;
            let r = &r[..r.find('}').map_or(r.len(), |j| j + 1)];
            text.lines().position(|l| l.contains(r))
        })
        .map_or(1, |i| i + 1)
}

/// Line (1-based) of the first line whose trimmed text starts with `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with(needle))
        .map_or(1, |i| i + 1)
}

fn validate(p: &Profile, text: &str) -> std::result::Result<(), (usize, String)> {
    let slo = &p.slo;
    if slo.hit_rate_pct.crit_below > slo.hit_rate_pct.warn_below {
        return Err((
            line_of(text, "hit_rate_pct"),
            "slo.hit_rate_pct: crit_below must not be above warn_below".into(),
        ));
    }
    if slo.memory_pct.crit_above < slo.memory_pct.warn_above {
        return Err((
            line_of(text, "memory_pct"),
            "slo.memory_pct: crit_above must not be below warn_above".into(),
        ));
    }
    for (name, ns) in &p.namespaces {
        let line = line_of(text, &format!("{name}:"));
        match (&ns.pattern, &ns.format) {
            (None, None) => {
                return Err((
                    line,
                    format!("namespace `{name}` needs `pattern` or `format`"),
                ))
            }
            (Some(_), Some(_)) => {
                return Err((
                    line,
                    format!("namespace `{name}` has both `pattern` and `format`; keep one"),
                ))
            }
            _ => {}
        }
        if let Some(pat) = &ns.pattern {
            if crate::glob::matches_everything(pat) {
                return Err((
                    line_of(text, "pattern:").max(line),
                    format!("namespace `{name}`: pattern `{pat}` matches every key"),
                ));
            }
        }
        if let Some(r) = ns.read_write_ratio {
            if r.is_nan() || r <= 0.0 {
                return Err((
                    line,
                    format!("namespace `{name}`: read_write_ratio must be > 0"),
                ));
            }
        }
    }
    for (name, job) in &p.warm {
        let line = line_of(text, &format!("{name}:"));
        if !p.namespaces.contains_key(&job.namespace) {
            return Err((
                line,
                format!(
                    "warm job `{name}`: unknown namespace `{}` (defined: {})",
                    job.namespace,
                    p.namespaces.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        match job.source.kind {
            SourceKind::Command if job.source.command.is_none() => {
                return Err((
                    line,
                    format!("warm job `{name}`: source type command needs `command`"),
                ))
            }
            SourceKind::File if job.source.path.is_none() => {
                return Err((
                    line,
                    format!("warm job `{name}`: source type file needs `path`"),
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_of(text: &str) -> String {
        format!("{:#}", parse(text, "p.yaml").unwrap_err())
    }

    #[test]
    fn shipped_profiles_parse() {
        for (name, text) in BUILTIN {
            let p = parse(text, name).unwrap_or_else(|e| panic!("{name}: {e:#}"));
            assert_eq!(p.name, name);
        }
        let tb = parse(BUILTIN[1].1, "tb").unwrap();
        assert_eq!(tb.namespaces.len(), 5);
        assert_eq!(
            tb.namespaces["plan_catalog"].ttl,
            Some(Dur(Duration::from_secs(3600)))
        );
        assert_eq!(
            tb.namespaces["usage_analysis"].ttl,
            Some(Dur(Duration::from_secs(604_800)))
        );
    }

    #[test]
    fn env_expansion() {
        let get = |k: &str| (k == "SET").then(|| "v".to_string());
        assert_eq!(expand_str("a ${SET} b", &get).unwrap(), "a v b");
        assert_eq!(expand_str("${UNSET:-x:1}", &get).unwrap(), "x:1");
        assert_eq!(expand_str("${SET:-d}", &get).unwrap(), "v");
        assert!(expand_str("${UNSET}", &get).unwrap_err().contains("UNSET"));
        assert!(expand_str("${bad-name}", &get).is_err());
        assert!(expand_str("${open", &get).is_err());
    }

    fn parse_with(text: &str, vars: &[(&str, &str)]) -> Result<Profile> {
        // the environment is process-wide: names unique to each test
        for (k, v) in vars {
            std::env::set_var(k, v);
        }
        let r = parse(text, "p.yaml");
        for (k, _) in vars {
            std::env::remove_var(k);
        }
        r
    }

    #[test]
    fn expanded_values_are_never_yaml() {
        let text = "name: x\nredis: { url: \"redis://:${CT_PW1}@h/0\" }\nnamespaces:\n  a:\n    pattern: \"${CT_PAT1:-a:*}\"\n    description: ${CT_DESC1}\n";
        for pw in [
            "pa\"ss",
            "pa\\tss",
            "x\n  injected: true",
            "a: [b]",
            "'q'",
            "#c",
        ] {
            let p = parse_with(text, &[("CT_PW1", pw), ("CT_DESC1", pw)]).unwrap();
            assert_eq!(p.redis.unwrap().url.unwrap(), format!("redis://:{pw}@h/0"));
            assert_eq!(p.namespaces["a"].description.as_deref(), Some(pw));
            assert_eq!(p.namespaces["a"].pattern.as_deref(), Some("a:*"));
        }
        // the shipped profiles survive a hostile REDIS_URL
        std::env::set_var("REDIS_URL", "redis://:pa\"ss\\t@h/0");
        for (name, text) in BUILTIN {
            let p = parse(text, name).unwrap_or_else(|e| panic!("{name}: {e:#}"));
            if let Some(u) = p.redis.and_then(|r| r.url) {
                assert_eq!(u, "redis://:pa\"ss\\t@h/0");
            }
        }
        std::env::remove_var("REDIS_URL");
    }

    #[test]
    fn typed_fields_from_variables() {
        let text = "name: x\nslo:\n  min_lookups: ${CT_N2:-50}\n  hit_rate_pct: { warn_below: \"${CT_W2:-85}\", crit_below: 60 }\nnamespaces:\n  a:\n    pattern: \"a:*\"\n    ttl: ${CT_TTL2:-2h}\n    read_write_ratio: ${CT_R2:-7}\n";
        let p = parse_with(text, &[]).unwrap();
        assert_eq!(p.slo.min_lookups, 50);
        assert_eq!(p.slo.hit_rate_pct.warn_below, 85.0);
        assert_eq!(p.namespaces["a"].ttl, Some(Dur(Duration::from_secs(7200))));
        assert_eq!(p.namespaces["a"].read_write_ratio, Some(7.0));
        // a bad value from the environment names the line of its reference
        let e = format!(
            "{:#}",
            parse_with(text, &[("CT_TTL2", "1 hour")]).unwrap_err()
        );
        assert!(
            e.starts_with("p.yaml:8:") && e.contains("invalid duration"),
            "{e}"
        );
        let e = format!(
            "{:#}",
            parse_with(
                "name: x\nnamespaces:\n  a:\n    pattern: ${CT_UNSET3}\n",
                &[]
            )
            .unwrap_err()
        );
        assert!(e.starts_with("p.yaml:4:") && e.contains("CT_UNSET3"), "{e}");
    }

    #[test]
    fn unknown_field_names_file_and_line() {
        let e = err_of("name: x\nnamespaces:\n  a:\n    pattern: \"a:*\"\n    tll: 1h\n");
        assert!(e.starts_with("p.yaml:5:"), "{e}");
        assert!(e.contains("unknown field `tll`"), "{e}");
    }

    #[test]
    fn bad_values_name_the_line() {
        let e = err_of("name: x\nnamespaces:\n  a:\n    pattern: \"a:*\"\n    ttl: 1 hour\n");
        assert!(e.starts_with("p.yaml:5:"), "{e}");
        assert!(e.contains("invalid duration"), "{e}");
        let e =
            err_of("name: x\nnamespaces:\n  a:\n    pattern: \"a:*\"\n    consistency: maybe\n");
        assert!(e.starts_with("p.yaml:5:"), "{e}");
        let e = err_of("name: x\nnamespaces:\n  a:\n    ttl: 1h\n");
        assert!(
            e.starts_with("p.yaml:3:") && e.contains("needs `pattern` or `format`"),
            "{e}"
        );
        let e = err_of("name: x\nwarm:\n  j:\n    namespace: nope\n    source: {type: file, path: x.csv}\n    key: \"k:{id}\"\n");
        assert!(
            e.starts_with("p.yaml:3:") && e.contains("unknown namespace"),
            "{e}"
        );
        let e = err_of("name: [unclosed\n");
        assert!(e.starts_with("p.yaml:"), "{e}");
    }

    #[test]
    fn defaults_filled() {
        let p = parse("name: bare\n", "b").unwrap();
        assert_eq!(p.slo.hit_rate_pct.warn_below, 80.0);
        assert_eq!(p.slo.min_lookups, 1000);
        assert_eq!(p.invalidation.publish_channel, "cache:invalidate");
        assert_eq!(p.invalidation.tag_format, TagFormat::Auto);
        assert_eq!(format_duration(Duration::from_secs(5400)), "90m");
        assert_eq!(format_duration(Duration::from_millis(450)), "450ms");
    }

    #[test]
    fn tag_formats() {
        for (text, f) in [
            ("auto", TagFormat::Auto),
            ("cachectl", TagFormat::Cachectl),
            ("laravel", TagFormat::Laravel),
            ("symfony", TagFormat::Symfony),
            ("symfony-tagaware", TagFormat::SymfonyTagaware),
            ("cashews", TagFormat::Cashews),
        ] {
            let p = parse(
                &format!("name: x\ninvalidation: {{ tag_format: {text}, key_prefix: \"pp:\" }}\n"),
                "p.yaml",
            )
            .unwrap();
            assert_eq!(p.invalidation.tag_format, f);
            assert_eq!(p.invalidation.key_prefix.as_deref(), Some("pp:"));
        }
        let e = err_of("name: x\ninvalidation:\n  tag_format: drupal\n");
        assert!(e.starts_with("p.yaml:3:"), "{e}");
    }
}
