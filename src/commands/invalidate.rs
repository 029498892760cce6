//! `cachectl invalidate`: exact keys, globs, prefixes, tags and profile namespaces, on a
//! server or every primary of a cluster; UNLINK in pipelined batches grouped by slot.
//!
//! Counts are exact: SCAN may return a key twice (while the server resizes its hash table,
//! which deletions cause), so matched keys are deduplicated by a keyed 64-bit hash (16 bytes
//! per matched key). `--max-keys N` holds at most N+1 keys, matches first, and deletes exactly
//! what it matched.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::cli::{InvalidateArgs, Selector, TagFormatArg};
use crate::config::Settings;
use crate::engine::Engine;
use crate::error::{usage, CheckFailed, ExitCode};
use crate::profile::TagFormat;
use crate::ratelimit::Pacer;
use crate::render::{RenderCtx, Report};
use crate::util::{human_count, now_rfc3339};

const SAMPLE_KEYS: usize = 10;
const SCAN_COUNT: u64 = 1000;

/// One selector's outcome.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    pub selector: String,
    pub kind: String,
    /// distinct keys selected
    pub matched: u64,
    /// keys removed by UNLINK/DEL
    pub deleted: u64,
    /// keys whose TTL was capped (`--soft`)
    pub expired: u64,
    /// selected keys already gone when deleted (expired meanwhile, or never existed)
    pub missing: u64,
    pub nodes: usize,
    pub duration_ms: u64,
    pub dry_run: bool,
    /// with --dry-run: up to 10 of the matched keys
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sample_keys: Vec<String>,
    /// tag indexes removed (or capped) with their keys
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tag_indexes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct InvalidateReport {
    pub rows: Vec<Row>,
    /// Set when a guard tripped: the run deleted nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    #[serde(skip)]
    pub exit: ExitCode,
}

/// What to select, resolved from the command line and profile.
#[derive(Debug, Clone)]
enum Target {
    Keys(Vec<Vec<u8>>),
    Glob(String),
    /// tag index key and the prefix its members need to become full keys
    TagIndex {
        index: Vec<u8>,
        member_prefix: Vec<u8>,
    },
}

#[derive(Debug, Clone)]
struct Plan {
    selector: String,
    kind: &'static str,
    targets: Vec<Target>,
}

/// The tag index key for a tag in a format.
pub fn tag_index(format: TagFormat, prefix: &str, tag: &str) -> (Vec<u8>, Vec<u8>) {
    match format {
        TagFormat::Cachectl => (format!("{prefix}tag:{tag}").into_bytes(), Vec::new()),
        TagFormat::Laravel => (
            format!("{prefix}tag:{tag}:entries").into_bytes(),
            prefix.as_bytes().to_vec(),
        ),
        TagFormat::Symfony => {
            let ns = if prefix.is_empty() || prefix.ends_with(':') {
                prefix.to_string()
            } else {
                format!("{prefix}:")
            };
            (format!("{ns}\x01tags\x01{tag}").into_bytes(), Vec::new())
        }
    }
}

fn check_glob(glob: &str, all: bool) -> Result<()> {
    if crate::glob::matches_everything(glob) && !all {
        return Err(usage(format!(
            "pattern `{glob}` matches every key; add --all if you really mean to invalidate everything"
        )));
    }
    Ok(())
}

fn read_key_lines(r: impl BufRead, what: &str) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for line in r.split(b'\n') {
        let mut line = line.with_context(|| format!("reading keys from {what}"))?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if !line.is_empty() {
            out.push(line);
        }
    }
    Ok(out)
}

fn plans(a: &InvalidateArgs, s: &Settings) -> Result<Vec<Plan>> {
    let profile = s.profile.as_ref().map(|l| &l.profile);
    let default_format = profile.map_or(TagFormat::Cachectl, |p| p.invalidation.tag_format);
    let default_prefix = profile
        .and_then(|p| p.invalidation.tag_prefix.clone())
        .unwrap_or_default();
    Ok(match &a.selector {
        Selector::Keys { keys, from_file } => {
            let mut list: Vec<Vec<u8>> = Vec::new();
            let mut from_stdin = false;
            for k in keys {
                if k == "-" {
                    from_stdin = true;
                } else {
                    list.push(k.clone().into_bytes());
                }
            }
            if let Some(f) = from_file {
                let file = std::fs::File::open(f)
                    .with_context(|| format!("opening --from-file {}", f.display()))?;
                list.extend(read_key_lines(
                    std::io::BufReader::new(file),
                    &f.display().to_string(),
                )?);
            }
            if from_stdin {
                list.extend(read_key_lines(std::io::stdin().lock(), "stdin")?);
            }
            if list.is_empty() && !from_stdin && from_file.is_none() {
                return Err(usage(
                    "invalidate keys needs keys: as arguments, --from-file F, or `-` for stdin",
                ));
            }
            let selector = match (keys.is_empty(), from_file) {
                (_, Some(f)) => format!("@{}", f.display()),
                _ if from_stdin => "-".to_string(),
                _ => keys.join(" "),
            };
            vec![Plan {
                selector,
                kind: "keys",
                targets: vec![Target::Keys(list)],
            }]
        }
        Selector::Pattern { globs } => globs
            .iter()
            .map(|g| {
                check_glob(g, a.all)?;
                Ok(Plan {
                    selector: g.clone(),
                    kind: "pattern",
                    targets: vec![Target::Glob(g.clone())],
                })
            })
            .collect::<Result<_>>()?,
        Selector::Prefix { prefixes } => prefixes
            .iter()
            .map(|p| {
                let g = format!("{}*", crate::glob::escape(p));
                check_glob(&g, a.all)?;
                Ok(Plan {
                    selector: p.clone(),
                    kind: "prefix",
                    targets: vec![Target::Glob(g)],
                })
            })
            .collect::<Result<_>>()?,
        Selector::Tag {
            tags,
            tag_format,
            tag_prefix,
        } => {
            let format = match tag_format {
                Some(TagFormatArg::Cachectl) => TagFormat::Cachectl,
                Some(TagFormatArg::Laravel) => TagFormat::Laravel,
                Some(TagFormatArg::Symfony) => TagFormat::Symfony,
                None => default_format,
            };
            let prefix = tag_prefix.clone().unwrap_or(default_prefix);
            tags.iter()
                .map(|t| {
                    let (index, member_prefix) = tag_index(format, &prefix, t);
                    Plan {
                        selector: t.clone(),
                        kind: "tag",
                        targets: vec![Target::TagIndex {
                            index,
                            member_prefix,
                        }],
                    }
                })
                .collect()
        }
        Selector::Namespace { name } => {
            let Some(p) = profile else {
                return Err(usage(
                    "invalidate namespace needs a profile (-P NAME) that defines the namespace",
                ));
            };
            let Some(ns) = p.namespaces.get(name) else {
                return Err(usage(format!(
                    "namespace `{name}` is not in profile `{}` (it has: {})",
                    p.name,
                    p.namespaces.keys().cloned().collect::<Vec<_>>().join(", ")
                )));
            };
            let glob = ns.glob();
            check_glob(&glob, a.all)?;
            let mut targets = vec![Target::Glob(glob)];
            for t in &ns.tags {
                let (index, member_prefix) = tag_index(default_format, &default_prefix, t);
                targets.push(Target::TagIndex {
                    index,
                    member_prefix,
                });
            }
            vec![Plan {
                selector: name.clone(),
                kind: "namespace",
                targets,
            }]
        }
    })
}

/// Running totals, kept outside the fallible work so a failure can still be reported.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub matched: u64,
    pub deleted: u64,
    pub expired: u64,
}

enum Mode {
    /// count and sample
    DryRun,
    /// collect up to the limit (for --max-keys or the confirmation prompt)
    Collect(u64),
    /// delete (or cap TTLs) as batches arrive
    Apply,
}

struct Runner<'a> {
    engine: &'a Engine,
    a: &'a InvalidateArgs,
    pacer: Option<Arc<Pacer>>,
    hasher: RandomState,
    bar: ProgressBar,
}

/// Per-plan working state.
#[derive(Default)]
struct Work {
    seen: HashSet<u64>,
    row: Row,
    collected: Vec<Vec<u8>>,
    overflow: bool,
    nodes: HashSet<usize>,
}

impl Runner<'_> {
    /// Feed one batch of candidate keys owned by `node`.
    async fn feed(
        &self,
        node: usize,
        keys: Vec<Vec<u8>>,
        mode: &Mode,
        w: &mut Work,
        tally: &mut Tally,
        known_to_exist: bool,
    ) -> Result<()> {
        let fresh: Vec<Vec<u8>> = keys
            .into_iter()
            .filter(|k| w.seen.insert(self.hasher.hash_one(k)))
            .collect();
        if fresh.is_empty() {
            return Ok(());
        }
        w.nodes.insert(node);
        match mode {
            Mode::DryRun => {
                let present = if known_to_exist {
                    fresh.len() as u64
                } else {
                    self.engine.exists(node, &fresh).await?
                };
                w.row.matched += present;
                tally.matched += present;
                w.row.missing += fresh.len() as u64 - present;
                for k in fresh
                    .iter()
                    .take(SAMPLE_KEYS.saturating_sub(w.row.sample_keys.len()))
                {
                    w.row.sample_keys.push(crate::patterns::key_text(k));
                }
                self.bar.inc(fresh.len() as u64);
            }
            Mode::Collect(limit) => {
                let fresh_len = fresh.len() as u64;
                // past the limit keep counting (for an exact message) but hold nothing
                w.row.matched += fresh.len() as u64;
                tally.matched += fresh.len() as u64;
                if w.row.matched > *limit {
                    w.overflow = true;
                    w.collected = Vec::new();
                } else {
                    w.collected.extend(fresh);
                }
                self.bar.inc(fresh_len);
            }
            Mode::Apply => {
                w.row.matched += fresh.len() as u64;
                tally.matched += fresh.len() as u64;
                self.apply(node, &fresh, w, tally).await?;
            }
        }
        Ok(())
    }

    /// Delete or cap, in --batch sized pipelines, paced by --rate.
    async fn apply(
        &self,
        node: usize,
        keys: &[Vec<u8>],
        w: &mut Work,
        tally: &mut Tally,
    ) -> Result<()> {
        for chunk in keys.chunks(self.a.batch.max(1)) {
            if let Some(p) = &self.pacer {
                p.acquire(chunk.len()).await;
            }
            match self.a.soft {
                Some(d) => {
                    let n = self.engine.cap_ttl(node, chunk, soft_ms(d)).await?;
                    w.row.expired += n;
                    tally.expired += n;
                }
                None => {
                    let n = self.engine.unlink(node, chunk).await?;
                    w.row.deleted += n;
                    tally.deleted += n;
                    w.row.missing += chunk.len() as u64 - n;
                }
            }
            self.bar.inc(chunk.len() as u64);
        }
        Ok(())
    }

    /// Remove a tag index (or cap its TTL with --soft) once its keys are done.
    async fn drop_index(&self, index: &[u8]) -> Result<()> {
        let node = self.engine.node_for(index);
        let ix = [index.to_vec()];
        match self.a.soft {
            Some(d) => self.engine.cap_ttl(node, &ix, soft_ms(d)).await?,
            None => self.engine.unlink(node, &ix).await?,
        };
        Ok(())
    }

    /// Label the progress spinner and restart its count.
    fn phase(&self, verb: &'static str) {
        self.bar.set_message(verb);
        self.bar.set_position(0);
        self.bar.reset_eta();
    }

    /// Walk every target of a plan in `mode`.
    async fn walk(&self, plan: &Plan, mode: &Mode, w: &mut Work, tally: &mut Tally) -> Result<()> {
        for t in &plan.targets {
            match t {
                Target::Keys(keys) => {
                    for chunk in keys.chunks(SCAN_COUNT as usize) {
                        for (node, ks) in self.engine.by_node(chunk.to_vec()) {
                            self.feed(node, ks, mode, w, tally, false).await?;
                        }
                    }
                }
                Target::Glob(g) => {
                    let (mut rx, handle) = self.engine.scan_keys(g.clone(), SCAN_COUNT);
                    while let Some(b) = rx.recv().await {
                        self.feed(b.node, b.keys, mode, w, tally, true).await?;
                    }
                    handle.await.map_err(|e| anyhow!("scan task: {e}"))??;
                }
                Target::TagIndex {
                    index,
                    member_prefix,
                } => {
                    // TYPE once per index, then page through it
                    if let Some(zset) = self.engine.index_kind(index).await? {
                        let mut cursor = 0;
                        loop {
                            let (next, members) = self
                                .engine
                                .scan_members(index, zset, cursor, SCAN_COUNT)
                                .await?;
                            let keys: Vec<Vec<u8>> = members
                                .into_iter()
                                .map(|m| [member_prefix.as_slice(), &m].concat())
                                .collect();
                            for (node, ks) in self.engine.by_node(keys) {
                                self.feed(node, ks, mode, w, tally, false).await?;
                            }
                            cursor = next;
                            if cursor == 0 {
                                break;
                            }
                        }
                    }
                    let name = crate::patterns::key_text(index);
                    if !w.row.tag_indexes.contains(&name) {
                        w.row.tag_indexes.push(name);
                    }
                    // the index goes with its keys
                    if matches!(mode, Mode::Apply) {
                        self.drop_index(index).await?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn spinner(enabled: bool) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{spinner} {human_pos} keys {msg}  {rate}")
        .expect("template")
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{} keys/s", human_count(s.per_sec() as u64));
            },
        );
    let b = ProgressBar::new_spinner().with_style(style);
    b.enable_steady_tick(Duration::from_millis(200));
    b
}

/// Ask on stderr, read the answer from stdin (only called when stdin is a terminal).
fn confirm(question: &str) -> Result<bool> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .context("reading the answer")?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

pub async fn run(a: &InvalidateArgs, s: &Settings, tally: &mut Tally) -> Result<InvalidateReport> {
    if a.batch == 0 {
        return Err(usage("--batch must be at least 1"));
    }
    if a.soft.is_some_and(|d| d.is_zero()) {
        return Err(usage("--soft needs a positive duration (e.g. 5m)"));
    }
    let plans = plans(a, s)?;
    // writes always go to primaries
    let mut conn = s.conn.clone();
    conn.replicas = false;
    let engine = Engine::connect(&conn).await?;
    let runner = Runner {
        engine: &engine,
        a,
        pacer: a.rate.map(|r| Arc::new(Pacer::new(r))),
        hasher: RandomState::new(),
        bar: spinner(s.progress),
    };
    let interactive = std::io::stdin().is_terminal() && !a.yes && !a.dry_run;
    let mut rows = Vec::new();
    let mut refused = None;
    let mut exit = ExitCode::Success;

    for plan in &plans {
        let started = Instant::now();
        let mut w = Work::default();
        let what = format!("{} `{}`", plan.kind, plan.selector);
        let ask = |count: u64, samples: &[String]| -> Result<()> {
            runner.bar.suspend(|| {
                let verb = match a.soft {
                    Some(d) => format!("Cap the TTL to {} of", crate::profile::format_duration(d)),
                    None => "Delete".to_string(),
                };
                for k in samples.iter().take(3) {
                    eprintln!("  e.g. {k}");
                }
                if confirm(&format!(
                    "{verb} {} keys ({what}) on {}?",
                    human_count(count),
                    engine.url_redacted
                ))? {
                    Ok(())
                } else {
                    Err(anyhow!("not confirmed: nothing deleted"))
                }
            })
        };
        if a.dry_run {
            runner.phase("matched");
            runner.walk(plan, &Mode::DryRun, &mut w, tally).await?;
        } else if let Some(limit) = a.max_keys {
            // match first, holding at most `limit` keys; then delete exactly what matched
            runner.phase("matched");
            runner
                .walk(plan, &Mode::Collect(limit), &mut w, tally)
                .await?;
            if w.overflow {
                refused = Some(format!(
                    "{what}: {} keys match, more than --max-keys {limit}; nothing deleted",
                    human_count(w.row.matched)
                ));
                exit = ExitCode::CheckFailed;
            } else {
                if interactive && !w.collected.is_empty() {
                    let samples: Vec<String> = w
                        .collected
                        .iter()
                        .take(3)
                        .map(|k| crate::patterns::key_text(k))
                        .collect();
                    ask(w.collected.len() as u64, &samples)?;
                }
                runner.phase("invalidated");
                let keys = std::mem::take(&mut w.collected);
                for (node, ks) in engine.by_node(keys) {
                    runner
                        .apply(node, &ks, &mut w, tally)
                        .await
                        .with_context(|| deleted_before(tally))?;
                }
                for t in &plan.targets {
                    if let Target::TagIndex { index, .. } = t {
                        runner.drop_index(index).await?;
                    }
                }
            }
        } else {
            if interactive {
                // count first (memory: the dedup set only), ask, then stream the deletion
                runner.phase("matched");
                let mut probe = Work::default();
                runner
                    .walk(plan, &Mode::DryRun, &mut probe, &mut Tally::default())
                    .await?;
                if probe.row.matched > 0 {
                    ask(probe.row.matched, &probe.row.sample_keys)?;
                }
            }
            runner.phase("invalidated");
            runner
                .walk(plan, &Mode::Apply, &mut w, tally)
                .await
                .with_context(|| deleted_before(tally))?;
        }
        w.row.selector = plan.selector.clone();
        w.row.kind = plan.kind.to_string();
        w.row.nodes = w.nodes.len();
        w.row.dry_run = a.dry_run;
        w.row.duration_ms = started.elapsed().as_millis() as u64;
        rows.push(w.row);
        if refused.is_some() {
            break;
        }
    }
    runner.bar.finish_and_clear();

    if let (Some(channel), false, None) = (&a.publish, a.dry_run, &refused) {
        let channel = channel.clone().unwrap_or_else(|| {
            s.profile
                .as_ref()
                .map(|l| l.profile.invalidation.publish_channel.clone())
                .unwrap_or_else(|| "cache:invalidate".into())
        });
        let event = serde_json::json!({
            "selector": plans.iter().map(|p| p.selector.as_str()).collect::<Vec<_>>().join(" "),
            "selectors": plans.iter().map(|p| p.selector.as_str()).collect::<Vec<_>>(),
            "kind": plans.first().map_or("keys", |p| p.kind),
            "keys": tally.deleted + tally.expired,
            "soft": a.soft.is_some(),
            "ts": now_rfc3339(),
        });
        let receivers = engine.publish(&channel, &event.to_string()).await?;
        tracing::info!(channel, receivers, "published invalidation event");
    }
    Ok(InvalidateReport {
        rows,
        refused,
        exit,
    })
}

fn soft_ms(d: Duration) -> u64 {
    d.as_millis().max(1) as u64
}

fn deleted_before(t: &Tally) -> String {
    format!(
        "stopped after {} keys were deleted and {} TTLs capped",
        t.deleted, t.expired
    )
}

/// One JSON line per run, appended even when the run failed.
pub fn audit(
    path: &std::path::Path,
    s: &Settings,
    a: &InvalidateArgs,
    tally: &Tally,
    duration: Duration,
    exit_code: i32,
    error: Option<String>,
) -> Result<()> {
    let (selector, kind) = match &a.selector {
        Selector::Keys { keys, from_file } => (
            from_file
                .as_ref()
                .map(|f| format!("@{}", f.display()))
                .unwrap_or_else(|| keys.join(" ")),
            "keys",
        ),
        Selector::Pattern { globs } => (globs.join(" "), "pattern"),
        Selector::Prefix { prefixes } => (prefixes.join(" "), "prefix"),
        Selector::Tag { tags, .. } => (tags.join(" "), "tag"),
        Selector::Namespace { name } => (name.clone(), "namespace"),
    };
    let record = serde_json::json!({
        "ts": now_rfc3339(),
        "user": crate::util::current_user(),
        "host": crate::util::host_name(),
        "url": crate::redact::url(&s.conn.urls.join(",")),
        "selector": selector,
        "kind": kind,
        "dry_run": a.dry_run,
        "soft": a.soft.map(crate::profile::format_duration),
        "matched": tally.matched,
        "deleted": tally.deleted,
        "expired": tally.expired,
        "duration_ms": duration.as_millis() as u64,
        "exit_code": exit_code,
        "error": error,
    });
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening --audit-log {}", path.display()))?;
    writeln!(f, "{record}").with_context(|| format!("writing --audit-log {}", path.display()))
}

impl Report for InvalidateReport {
    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let mut t = ctx.table(&[
            "SELECTOR", "KIND", "MATCHED", "DELETED", "EXPIRED", "MISSING", "NODES", "DURATION",
        ]);
        for r in &self.rows {
            t.add_row(vec![
                r.selector.clone(),
                r.kind.clone(),
                human_count(r.matched),
                human_count(r.deleted),
                human_count(r.expired),
                human_count(r.missing),
                r.nodes.to_string(),
                format!("{} ms", r.duration_ms),
            ]);
        }
        writeln!(w, "{t}")?;
        for r in self.rows.iter().filter(|r| r.dry_run) {
            writeln!(
                w,
                "\ndry run: {} keys would be invalidated for {} `{}`{}",
                human_count(r.matched),
                r.kind,
                r.selector,
                if r.sample_keys.is_empty() {
                    ""
                } else {
                    ", for example:"
                }
            )?;
            for k in &r.sample_keys {
                writeln!(w, "  {k}")?;
            }
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        w.write_record([
            "selector",
            "kind",
            "matched",
            "deleted",
            "expired",
            "missing",
            "nodes",
            "duration_ms",
            "dry_run",
        ])?;
        for r in &self.rows {
            w.write_record([
                r.selector.clone(),
                r.kind.clone(),
                r.matched.to_string(),
                r.deleted.to_string(),
                r.expired.to_string(),
                r.missing.to_string(),
                r.nodes.to_string(),
                r.duration_ms.to_string(),
                r.dry_run.to_string(),
            ])?;
        }
        Ok(())
    }
}

impl InvalidateReport {
    /// The error to print after the summary when a guard tripped.
    pub fn refusal(&self) -> Option<anyhow::Error> {
        self.refused
            .as_ref()
            .map(|m| anyhow::Error::new(CheckFailed(m.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_index_keys() {
        assert_eq!(tag_index(TagFormat::Cachectl, "", "plans").0, b"tag:plans");
        let (ix, pre) = tag_index(TagFormat::Laravel, "laravel_cache:", "users");
        assert_eq!(ix, b"laravel_cache:tag:users:entries");
        assert_eq!(pre, b"laravel_cache:");
        assert_eq!(
            tag_index(TagFormat::Symfony, "app", "t").0,
            b"app:\x01tags\x01t"
        );
        assert_eq!(
            tag_index(TagFormat::Symfony, "app:", "t").0,
            b"app:\x01tags\x01t"
        );
    }

    #[test]
    fn match_all_refused_without_all() {
        for g in ["*", "**", ""] {
            assert!(check_glob(g, false).is_err());
            assert!(check_glob(g, true).is_ok());
        }
        assert!(check_glob("user:*", false).is_ok());
    }

    #[test]
    fn key_lines() {
        let keys = read_key_lines(&b"a\r\nb\n\nc"[..], "t").unwrap();
        assert_eq!(keys, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
    }
}
