//! `cachectl invalidate`: exact keys, globs, prefixes, tags and profile namespaces, on a
//! server or every primary of a cluster; UNLINK in pipelined batches grouped by slot.
//!
//! - [`plan`]: flags + profile -> plans; the match-all guard (pure)
//! - [`tags`]: each tag's index found on the server (layout, prefixes) before any guard
//! - [`runner`]: count, collect or delete against the server, between-batch stop checks
//! - [`audit`]: the audit log, opened before any work, one line per run whatever happens
//! - [`output`]: rows and the run's status
//!
//! Order of a run: every guard on the total over all selectors first (`--max-keys`, the
//! confirmation prompt), then the deletes; what was done is reported and audited whether
//! the run ends well, fails, or is interrupted.

pub mod audit;
pub mod check;
pub mod link;
pub mod output;
pub mod plan;
pub mod runner;
pub mod tags;

use std::io::{IsTerminal, Write};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::audit::now_rfc3339;
use crate::config::Settings;
use crate::engine::Engine;
use crate::error::{exit_code_for, usage, ExitCode, Outcome};
use crate::signals::Stop;
use crate::units::human_count;

use audit::{AuditLog, Record};
pub use output::{InvalidateReport, Row};
use plan::{Plan, Target};
use runner::{Mode, Runner, Work};

/// Which keys to invalidate.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    /// Exact keys; `-` among them reads more from stdin, one per line
    Keys {
        keys: Vec<String>,
        /// read keys from this file, one per line
        from_file: Option<std::path::PathBuf>,
    },
    /// Keys matching Redis globs (SCAN MATCH on every primary)
    Pattern { globs: Vec<String> },
    /// Keys starting with a literal prefix (glob metacharacters are escaped)
    Prefix { prefixes: Vec<String> },
    /// Items tagged T, as the framework's client tagged them
    Tag {
        tags: Vec<String>,
        /// the tag layout; `None`: the profile's, else found automatically
        tag_format: Option<crate::profile::TagFormat>,
        /// the client's key prefix; `None`: the profile's, else inferred
        key_prefix: Option<String>,
        /// the framework's own prefix; `None`: the profile's, else inferred
        tag_prefix: Option<String>,
    },
    /// A profile namespace: its pattern and its tags
    Namespace { name: String },
}

pub const DEFAULT_BATCH: usize = 500;

/// What `invalidate` is asked (the command line, `cli::invalidate`): the selector and its
/// guards. [`Options::new`] gives the command line's defaults for a selector.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub selector: Selector,
    /// Count matching keys and show up to 10 of them; delete nothing
    pub dry_run: bool,
    /// Match first; if more than N keys would go, delete nothing and exit 3
    pub max_keys: Option<u64>,
    /// Do not ask for confirmation (asked only when stdin is a terminal)
    pub yes: bool,
    /// Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)
    pub all: bool,
    /// Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)
    pub require_match: bool,
    /// Instead of deleting, cap each key's TTL to DUR (graceful invalidation)
    pub soft: Option<std::time::Duration>,
    /// After success, PUBLISH one JSON event (default channel: the profile's, else cache:invalidate)
    pub publish: Option<Option<String>>,
    /// Append one JSON line per run to FILE (also when the run fails)
    pub audit_log: Option<std::path::PathBuf>,
    /// Cap deletions (or TTL changes) per second
    pub rate: Option<f64>,
    /// Keys per pipelined delete batch
    pub batch: usize,
    /// After the run, scan every node (replicas too) for keys the selector still matches;
    /// exit 3 if any are left
    pub verify: bool,
}

impl Options {
    /// `selector` with every other option at the command line's default.
    pub fn new(selector: Selector) -> Options {
        Options {
            selector,
            dry_run: false,
            max_keys: None,
            yes: false,
            all: false,
            require_match: false,
            soft: None,
            publish: None,
            audit_log: None,
            rate: None,
            batch: DEFAULT_BATCH,
            verify: false,
        }
    }
}

/// Ask on stderr, read the answer from stdin (only called when stdin is a terminal).
/// Ctrl-C at the prompt ends the run at once (nothing deleted, audited, exit 130): the answer
/// is read on its own thread so the stop token is not stuck behind a blocking read.
fn confirm(question: &str, stop: &Stop) -> Result<bool> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush().ok();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut answer = String::new();
        let r = std::io::stdin().read_line(&mut answer).map(|_| answer);
        let _ = tx.send(r);
    });
    loop {
        match rx.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(answer) => {
                let answer = answer.context("reading the answer")?;
                if answer.is_empty() {
                    // end of input: a Ctrl-C on a closing terminal may be a moment behind it
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
                if stop.is_set() {
                    eprintln!();
                    return Err(anyhow::Error::new(crate::error::Interrupted));
                }
                return Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"));
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if stop.is_set() => {
                eprintln!();
                return Err(anyhow::Error::new(crate::error::Interrupted));
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(false),
        }
    }
}

fn finish_row(plan: &Plan, w: &mut Work, started: Instant, dry_run: bool) -> Row {
    let mut row = std::mem::take(&mut w.row);
    row.selector = plan.selector.clone();
    row.kind = plan.kind.to_string();
    row.nodes = w.nodes.len();
    row.dry_run = dry_run;
    row.duration_ms = started.elapsed().as_millis() as u64;
    row
}

/// Everything between the guards and the report; `rows` holds what was done even when it
/// returns an error.
async fn execute(a: &Options, s: &Settings, stop: &Stop, rows: &mut Vec<Row>) -> Result<Outcome> {
    let mut plans = plan::plans(a, s)?;
    // writes always go to primaries
    let mut conn = s.conn.clone();
    conn.replicas = false;
    let engine = Engine::connect(&conn).await?;
    // find every tag's index (and refuse ambiguity) before any guard or delete
    let say = |line: &str| {
        if tracing::enabled!(tracing::Level::WARN) {
            eprintln!("cachectl: {line}");
        }
    };
    if let Some(refused) = tags::resolve(&engine, &mut plans, a.require_match, say).await? {
        return Ok(refused);
    }
    let session = Session {
        a,
        stop,
        interactive: std::io::stdin().is_terminal() && !a.yes && !a.dry_run,
        url_redacted: engine.url_redacted.clone(),
        runner: Runner::new(
            link::Link::new(engine, conn, stop.clone()),
            a,
            stop,
            s.progress,
        ),
        plans,
    };
    let refused = if a.dry_run {
        session.dry_run(rows).await?;
        None
    } else if let Some(limit) = a.max_keys {
        session.match_then_delete(limit, rows).await?
    } else {
        session.stream(rows).await?
    };
    if let Some(refused) = refused {
        return Ok(refused);
    }
    // the engine that serves now (after a failover, the new topology's)
    let engine = session.runner.engine();
    let Session { runner, plans, .. } = session;
    drop(runner); // the progress bar goes before anything else is printed
    if let Some(failed) = require_match(a, rows) {
        return Ok(failed);
    }
    if a.verify {
        let all = check::all_nodes(&s.conn).await?;
        let left = check::left_over(&all, &plans).await?;
        let mut failed = Vec::new();
        for (row, l) in rows.iter_mut().zip(left) {
            if l.keys > 0 {
                failed.push(format!(
                    "{} `{}`: {} left on {} (e.g. {})",
                    row.kind,
                    row.selector,
                    crate::units::plural(l.keys, "key", "keys"),
                    crate::units::plural(l.nodes as u64, "node", "nodes"),
                    l.examples.first().map_or("-", String::as_str)
                ));
            }
            row.verified = Some(if l.unchecked && l.keys == 0 {
                "unchecked".into()
            } else if l.keys == 0 {
                format!(
                    "no key left on {}",
                    crate::units::plural(all.nodes.len() as u64, "node", "nodes")
                )
            } else {
                format!("{} left", crate::units::plural(l.keys, "key", "keys"))
            });
            row.left = Some(l.keys);
            row.left_keys = l.examples;
        }
        if !failed.is_empty() {
            return Ok(Outcome::CheckFailed(format!(
                "--verify: {}",
                failed.join("; ")
            )));
        }
    }
    if let (Some(channel), false) = (&a.publish, a.dry_run) {
        publish(
            &engine,
            s,
            channel.as_deref(),
            &plans,
            rows,
            a.soft.is_some(),
        )
        .await?;
    }
    Ok(Outcome::Ok)
}

/// A run past the tag resolution: its plans, the runner, and how to ask.
struct Session<'a> {
    a: &'a Options,
    stop: &'a Stop,
    /// stdin is a terminal and neither --yes nor --dry-run: confirm before deleting
    interactive: bool,
    url_redacted: String,
    runner: Runner<'a>,
    plans: Vec<Plan>,
}

impl Session<'_> {
    /// The confirmation for the total over all selectors (`false`: declined).
    fn ask(&self, count: u64, samples: &[String]) -> Result<bool> {
        let what = match self.plans.as_slice() {
            [p] => format!("{} `{}`", p.kind, p.selector),
            ps => format!("{} selectors", ps.len()),
        };
        self.runner.bar.suspend(|| {
            let verb = match self.a.soft {
                Some(d) => format!("Cap the TTL to {} of", crate::units::format_duration(d)),
                None => "Delete".to_string(),
            };
            for k in samples.iter().take(3) {
                eprintln!("  e.g. {k}");
            }
            confirm(
                &format!(
                    "{verb} {} {} ({what}) on {}?",
                    human_count(count),
                    if count == 1 { "key" } else { "keys" },
                    self.url_redacted
                ),
                self.stop,
            )
        })
    }

    /// Walk every plan in `mode`, one row each (pushed even when the walk fails).
    async fn walk_all(&self, mode: Mode, dry_run: bool, rows: &mut Vec<Row>) -> Result<()> {
        for plan in &self.plans {
            let (started, mut w) = (Instant::now(), Work::default());
            let r = self.runner.walk(plan, mode, &mut w).await;
            rows.push(finish_row(plan, &mut w, started, dry_run));
            r?;
        }
        Ok(())
    }

    /// `--dry-run`: count and sample.
    async fn dry_run(&self, rows: &mut Vec<Row>) -> Result<()> {
        self.runner.phase("matched");
        self.walk_all(Mode::DryRun, true, rows).await
    }

    /// `--max-keys`: match everything first, holding at most `limit` keys over all
    /// selectors; refuse past it, ask, then delete exactly what was matched.
    async fn match_then_delete(&self, limit: u64, rows: &mut Vec<Row>) -> Result<Option<Outcome>> {
        self.runner.phase("matched");
        let mut works = Vec::new();
        for plan in &self.plans {
            let (started, mut w) = (Instant::now(), Work::default());
            let r = self.runner.walk(plan, Mode::Collect, &mut w).await;
            rows.push(finish_row(plan, &mut w, started, false));
            r?;
            works.push((started, w));
        }
        let total: u64 = rows.iter().map(|r| r.matched).sum();
        if let Some(failed) = require_match_first(self.a, rows.iter().map(|r| (r, r.matched))) {
            return Ok(Some(failed));
        }
        if self.runner.budget.lock().expect("budget").over {
            return Ok(Some(Outcome::CheckFailed(format!(
                "{} {} match, more than --max-keys {limit}; nothing deleted",
                human_count(total),
                if total == 1 { "key" } else { "keys" },
            ))));
        }
        if self.interactive && total > 0 {
            let samples: Vec<String> = works
                .iter()
                .flat_map(|(_, w)| w.collected.iter())
                .take(3)
                .map(|k| crate::keys::key_text(k))
                .collect();
            if !self.ask(total, &samples)? {
                return Ok(Some(declined()));
            }
        }
        self.runner.phase("invalidated");
        for (i, (plan, (started, w))) in self.plans.iter().zip(works.iter_mut()).enumerate() {
            w.row = std::mem::take(&mut rows[i]);
            let r = apply_collected(&self.runner, plan, w).await;
            rows[i] = finish_row(plan, w, *started, false);
            r?;
        }
        Ok(None)
    }

    /// The default: delete as the keys are found (after a count pass when a question is asked
    /// or several selectors must each match).
    async fn stream(&self, rows: &mut Vec<Row>) -> Result<Option<Outcome>> {
        if self.interactive || (self.a.require_match && self.plans.len() > 1) {
            if let Some(refused) = self.count_first(rows).await? {
                return Ok(Some(refused));
            }
        }
        self.runner.phase("invalidated");
        self.walk_all(Mode::Apply, false, rows).await?;
        Ok(None)
    }

    /// Count every selector (memory: the dedup set only), check --require-match on each, ask.
    async fn count_first(&self, rows: &mut Vec<Row>) -> Result<Option<Outcome>> {
        self.runner.phase("matched");
        let (mut total, mut samples, mut counted) = (0, Vec::new(), Vec::new());
        for plan in &self.plans {
            let (started, mut probe) = (Instant::now(), Work::default());
            self.runner.walk(plan, Mode::DryRun, &mut probe).await?;
            total += probe.row.found();
            samples.extend(std::mem::take(&mut probe.row.sample_keys));
            counted.push(finish_row(plan, &mut probe, started, false));
        }
        if let Some(failed) = require_match_first(self.a, counted.iter().map(|r| (r, r.found()))) {
            // what each selector matched; nothing was deleted
            rows.extend(counted);
            return Ok(Some(failed));
        }
        if self.interactive && total > 0 && !self.ask(total, &samples)? {
            return Ok(Some(declined()));
        }
        Ok(None)
    }
}

fn declined() -> Outcome {
    Outcome::CheckFailed("not confirmed: nothing deleted".into())
}

/// `--publish`: one event for app-local L1 caches after a successful run.
async fn publish(
    engine: &Engine,
    s: &Settings,
    channel: Option<&str>,
    plans: &[Plan],
    rows: &[Row],
    soft: bool,
) -> Result<()> {
    let channel = channel.map(str::to_string).unwrap_or_else(|| {
        s.profile
            .as_ref()
            .map(|l| l.profile.invalidation.publish_channel.clone())
            .unwrap_or_else(|| "cache:invalidate".into())
    });
    let event = serde_json::json!({
        "selector": plans.iter().map(|p| p.selector.as_str()).collect::<Vec<_>>().join(" "),
        "selectors": plans.iter().map(|p| p.selector.as_str()).collect::<Vec<_>>(),
        "kind": plans.first().map_or("keys", |p| p.kind),
        "keys": rows.iter().map(|r| r.deleted + r.expired).sum::<u64>(),
        "soft": soft,
        "ts": now_rfc3339(),
    });
    let receivers = engine.publish(&channel, &event.to_string()).await?;
    tracing::info!(channel, receivers, "published invalidation event");
    Ok(())
}

/// `--require-match` after the run. Each selector was checked before anything was deleted
/// (count pass, collect pass, or this dry run; a namespace's tags when they were resolved);
/// what is left is a run that found nothing at all (listed keys that do not exist).
fn require_match(a: &Options, rows: &[Row]) -> Option<Outcome> {
    if a.dry_run {
        return require_match_first(a, rows.iter().map(|r| (r, r.found())));
    }
    let none = rows.iter().all(|r| r.found() == 0);
    (a.require_match && none).then(|| {
        let what: Vec<String> = rows
            .iter()
            .map(|r| format!("{} `{}`", r.kind, r.selector))
            .collect();
        Outcome::CheckFailed(format!(
            "--require-match: no key matched {}",
            what.join(", ")
        ))
    })
}

/// `--require-match` before anything is deleted, from a count pass: each row with what it
/// found. The run ends here when a selector found nothing.
fn require_match_first<'r>(
    a: &Options,
    counted: impl Iterator<Item = (&'r Row, u64)>,
) -> Option<Outcome> {
    if !a.require_match {
        return None;
    }
    let none: Vec<String> = counted
        .filter(|(_, n)| *n == 0)
        .map(|(r, _)| format!("{} `{}`", r.kind, r.selector))
        .collect();
    (!none.is_empty()).then(|| {
        Outcome::CheckFailed(format!(
            "--require-match: no key matched {}; nothing {}",
            none.join(", "),
            if a.dry_run {
                "would be deleted"
            } else if a.soft.is_some() {
                "capped"
            } else {
                "deleted"
            }
        ))
    })
}

/// Delete what the collect pass held, then invalidate the tags it counted, page by page
/// (their pages must remove exactly the members they delete, so they are walked again; the
/// keys the pass held are the ones not counted again).
async fn apply_collected(runner: &Runner<'_>, plan: &Plan, w: &mut Work) -> Result<()> {
    let keys = std::mem::take(&mut w.collected);
    if plan
        .targets
        .iter()
        .any(|t| matches!(t, Target::TagIndex(_)))
    {
        // tag members are counted again as they are deleted (members added since count)
        w.row.matched -= std::mem::take(&mut w.tag_matched);
        runner.reset_seen(w, &keys);
    }
    runner.apply(keys, w, false).await?;
    let tags_only = Plan {
        targets: plan
            .targets
            .iter()
            .filter(|t| matches!(t, Target::TagIndex(_)))
            .cloned()
            .collect(),
        ..plan.clone()
    };
    runner.walk(&tags_only, Mode::Apply, w).await
}

/// "stopped after 1,200 keys were deleted…": the first thing cron mail should say.
fn done_so_far(rows: &[Row]) -> String {
    let sum = |f: fn(&Row) -> u64| rows.iter().map(f).sum::<u64>();
    let (deleted, expired, unknown) = (sum(|r| r.deleted), sum(|r| r.expired), sum(|r| r.unknown));
    let mut s = format!(
        "stopped after {deleted} {} deleted",
        if deleted == 1 { "key was" } else { "keys were" }
    );
    if expired > 0 {
        s.push_str(&format!(" and {expired} TTLs capped"));
    }
    if unknown > 0 {
        s.push_str(&format!(" ({unknown} unknown)"));
    }
    s
}

/// The selector as the audit log names it.
fn selector_and_kind(a: &Options) -> (String, &'static str) {
    match &a.selector {
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
    }
}

pub async fn run(a: &Options, s: &Settings, stop: &Stop) -> Result<InvalidateReport> {
    if a.batch == 0 {
        return Err(usage("--batch must be at least 1"));
    }
    if a.verify && (a.dry_run || a.soft.is_some()) {
        return Err(usage(
            "--verify checks that no key is left after a deletion: not with --dry-run or --soft",
        ));
    }
    if a.soft.is_some_and(|d| d.is_zero()) {
        return Err(usage("--soft needs a positive duration (e.g. 5m)"));
    }
    let mut audit = a.audit_log.as_deref().map(AuditLog::open).transpose()?;
    let started = Instant::now();
    let mut rows = Vec::new();
    let result = execute(a, s, stop, &mut rows).await;
    let (outcome, err) = match result {
        Ok(o) => (o, None),
        Err(e) => {
            let outcome = match Outcome::from_error(&e) {
                Outcome::Failed(m) if !rows.is_empty() => {
                    Outcome::Failed(format!("{}: {m}", done_so_far(&rows)))
                }
                o => o,
            };
            (outcome, Some(e))
        }
    };
    if let Some(log) = &mut audit {
        let (selector, kind) = selector_and_kind(a);
        let sum = |f: fn(&Row) -> u64| rows.iter().map(f).sum::<u64>();
        log.write(&Record {
            ts: now_rfc3339(),
            user: crate::audit::current_user(),
            host: crate::audit::host_name(),
            url: crate::redact::url(&s.conn.urls.join(",")),
            selector: &selector,
            kind,
            dry_run: a.dry_run,
            soft: a.soft.map(crate::units::format_duration),
            matched: sum(|r| r.matched),
            deleted: sum(|r| r.deleted),
            expired: sum(|r| r.expired),
            missing: sum(|r| r.missing),
            unknown: sum(|r| r.unknown),
            duration_ms: started.elapsed().as_millis() as u64,
            status: match &err {
                Some(e) if exit_code_for(e) == ExitCode::Usage => "usage-error",
                _ => outcome.status(),
            },
            exit_code: match &err {
                Some(e) => exit_code_for(e).code(),
                None => outcome.exit_code().code(),
            },
            error: outcome.message(),
        })?;
    }
    match err {
        // nothing was done (or the command line was wrong): the error alone says it
        Some(e) if rows.is_empty() || exit_code_for(&e) == ExitCode::Usage => Err(e),
        _ => Ok(InvalidateReport::new(rows, outcome)),
    }
}
