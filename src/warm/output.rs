//! What a warm run reports: one row per run of a job, its end derived from one value
//! ([`RunEnd`]) so the status word, the exit code and the log line never disagree.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::error::Outcome;
use crate::render::{Columns, RenderCtx, Report};
use crate::units::human_count;

/// How one run of a job ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum RunEnd {
    #[default]
    Ok,
    /// every row was read and sent, and some failed: no more than --max-errors allows
    /// (exit 0), but never `ok`
    Partial {
        failed: u64,
        max: Option<u64>,
    },
    DryRun,
    /// another run holds the job's lock: skipped (not a failure: that is the lock's job)
    Locked(String),
    /// SIGTERM: the batches in flight were finished
    Stopped,
    /// SIGINT
    Interrupted,
    /// more rows failed than --max-errors allows
    TooManyErrors {
        failed: u64,
        max: u64,
    },
    SourceFailed(String),
    RedisUnavailable(String),
    /// the server refused writes for a reason that holds for every key (OOM, READONLY,
    /// NOPERM, MISCONF): the run stopped sending at once
    ServerRefused(Refusal),
    LockLost,
    /// any other runtime failure of a scheduled run (the schedule goes on)
    Failed(String),
}

/// Why and where a run the server refused stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// the server's reply, `CODE detail`
    pub reason: String,
    pub written: u64,
    /// rows sent and refused (the batches in flight when the first refusal came back)
    pub refused: u64,
    /// a --checkpoint run: the next run resumes
    pub checkpoint: bool,
}

impl RunEnd {
    pub fn status(&self) -> &'static str {
        match self {
            RunEnd::Ok => "ok",
            RunEnd::Partial { .. } => "partial",
            RunEnd::DryRun => "dry-run",
            RunEnd::Locked(_) => "locked",
            RunEnd::Stopped => "stopped",
            RunEnd::Interrupted => "interrupted",
            RunEnd::TooManyErrors { .. } => "too-many-errors",
            RunEnd::SourceFailed(_) => "source-failed",
            RunEnd::RedisUnavailable(_) => "redis-unavailable",
            RunEnd::ServerRefused(_) => "server-refused",
            RunEnd::LockLost => "lock-lost",
            RunEnd::Failed(_) => "failed",
        }
    }

    pub fn outcome(&self) -> Outcome {
        match self {
            RunEnd::Ok | RunEnd::Partial { .. } | RunEnd::DryRun | RunEnd::Locked(_) => Outcome::Ok,
            RunEnd::Stopped => Outcome::Stopped,
            RunEnd::Interrupted => Outcome::Interrupted,
            RunEnd::TooManyErrors { .. } => {
                Outcome::CheckFailed(self.message().unwrap_or_default())
            }
            RunEnd::SourceFailed(_)
            | RunEnd::RedisUnavailable(_)
            | RunEnd::ServerRefused(_)
            | RunEnd::LockLost
            | RunEnd::Failed(_) => Outcome::Failed(self.message().unwrap_or_default()),
        }
    }

    /// The one line that explains a run that did not simply succeed.
    pub fn message(&self) -> Option<String> {
        match self {
            RunEnd::Ok | RunEnd::DryRun | RunEnd::Stopped | RunEnd::Interrupted => None,
            RunEnd::Locked(holder) => {
                Some(format!("skipped: the job is already running ({holder})"))
            }
            RunEnd::Partial { failed, max } => Some(format!(
                "{} failed{}",
                crate::units::plural(*failed, "row", "rows"),
                max.map(|m| format!(" (--max-errors {m} allows it)"))
                    .unwrap_or_default()
            )),
            RunEnd::TooManyErrors { failed, max } => Some(format!(
                "{} failed, more than --max-errors {max}",
                crate::units::plural(*failed, "row", "rows")
            )),
            RunEnd::ServerRefused(r) => Some(format!(
                "server refused writes: {} ({} written, {} refused, the rest not sent{})",
                r.reason.trim_end().trim_end_matches('.'),
                crate::units::plural(r.written, "row", "rows"),
                human_count(r.refused),
                if r.checkpoint {
                    "; run again with the same --checkpoint to resume"
                } else {
                    ""
                }
            )),
            RunEnd::SourceFailed(m) | RunEnd::RedisUnavailable(m) | RunEnd::Failed(m) => {
                Some(m.clone())
            }
            RunEnd::LockLost => Some(
                "lost the job lock (it expired and another run took it): stopped writing".into(),
            ),
        }
    }

    /// Table color.
    fn level(&self) -> &'static str {
        match self.outcome() {
            Outcome::Ok if matches!(self, RunEnd::Locked(_) | RunEnd::Partial { .. }) => "warn",
            Outcome::Ok => "ok",
            Outcome::Stopped | Outcome::Interrupted => "warn",
            _ => "crit",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RowError {
    /// first source line concerned
    pub line: u64,
    /// how many rows (a lost batch is one entry)
    pub rows: u64,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub key: String,
    pub value: String,
    pub ttl_ms: Option<u64>,
}

/// One run of one job.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunRow {
    pub job: String,
    pub rows: u64,
    pub written: u64,
    pub skipped: u64,
    pub failed: u64,
    pub duration_ms: u64,
    pub rate_per_s: f64,
    /// ok | partial | dry-run | locked | stopped | interrupted | too-many-errors |
    /// source-failed | redis-unavailable | server-refused | lock-lost | failed
    pub status: &'static str,
    /// why the run did not simply succeed
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub started_at: String,
    /// rows skipped because a checkpoint said they were done
    pub resumed_from: u64,
    /// rows lost to Redis errors after retries (included in `failed`)
    pub lost: u64,
    /// keys written without a TTL
    pub no_ttl: u64,
    pub errors: Vec<RowError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
    #[serde(skip)]
    pub end: RunEnd,
}

impl RunRow {
    /// Set how the run ended (and with it the status and message).
    pub fn finish(&mut self, end: RunEnd) {
        self.status = end.status();
        self.message = end.message();
        self.end = end;
    }
}

#[derive(Debug, Serialize)]
pub struct WarmReport {
    /// the worst run's status word: ok | partial | stopped | check-failed | failed |
    /// interrupted (`partial`: exit 0, but some rows failed)
    pub status: &'static str,
    pub runs: Vec<RunRow>,
    #[serde(skip)]
    pub outcome: Outcome,
}

impl WarmReport {
    pub fn new(runs: Vec<RunRow>, extra: Option<Outcome>) -> WarmReport {
        let outcome = runs
            .iter()
            .map(|r| r.end.outcome())
            .chain(extra)
            .fold(Outcome::Ok, Outcome::worst);
        // a run with failed rows is never `ok`, even where --max-errors lets it exit 0
        let partial = runs.iter().any(|r| matches!(r.end, RunEnd::Partial { .. }));
        WarmReport {
            status: match outcome {
                Outcome::Ok if partial => "partial",
                _ => outcome.status(),
            },
            runs,
            outcome,
        }
    }
}

/// One row per run: the table and the CSV (SPEC §3 warm summary).
fn columns() -> Columns<'static, RunRow> {
    let mut c: Columns<RunRow> = Columns::new();
    c.plain("job", "JOB", 0, |r| r.job.clone())
        .col("rows", "ROWS", 3, |r| r.rows, |r, _| human_count(r.rows))
        .col(
            "written",
            "WRITTEN",
            1,
            |r| r.written,
            |r, _| human_count(r.written),
        )
        .col(
            "skipped",
            "SKIPPED",
            4,
            |r| r.skipped,
            |r, _| human_count(r.skipped),
        )
        .col(
            "failed",
            "FAILED",
            1,
            |r| r.failed,
            |r, _| human_count(r.failed),
        )
        .col(
            "duration_ms",
            "DURATION",
            5,
            |r| r.duration_ms,
            |r, _| {
                if r.duration_ms < 1000 {
                    format!("{} ms", r.duration_ms)
                } else {
                    format!("{:.1} s", r.duration_ms as f64 / 1000.0)
                }
            },
        )
        .col(
            "rate_per_s",
            "RATE/S",
            6,
            |r| r.rate_per_s,
            |r, _| format!("{:.0}", r.rate_per_s),
        )
        .col(
            "status",
            "STATUS",
            0,
            |r| r.status,
            |r, ctx| ctx.colored_cell(r.status, r.end.level()),
        )
        .csv_only("started_at", |r| r.started_at.clone());
    c
}

impl Report for WarmReport {
    fn outcome(&self) -> Outcome {
        self.outcome.clone()
    }

    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let t = columns().table(ctx, &self.runs);
        writeln!(w, "{t}")?;
        for r in &self.runs {
            if r.resumed_from > 0 {
                let line = format!(
                    "{}: resumed after row {} (checkpoint)",
                    r.job, r.resumed_from
                );
                writeln!(w, "{}", ctx.prose(&line))?;
            }
            // a partial run's failed rows are listed below
            let listed = matches!(r.end, RunEnd::Partial { .. });
            if let Some(m) = r.end.message().filter(|_| !listed) {
                writeln!(w, "{}", ctx.prose(&format!("{}: {m}", r.job)))?;
            }
            if r.lost > 0 {
                let line = format!(
                    "{}: {} lost to Redis errors (see below); a --checkpoint run retries them",
                    r.job,
                    crate::units::plural(r.lost, "row", "rows")
                );
                writeln!(w, "{}", ctx.prose(&line))?;
            }
            if !r.samples.is_empty() {
                writeln!(w, "\n{}: dry run, first keys:", r.job)?;
                for sm in &r.samples {
                    let ttl = sm
                        .ttl_ms
                        .map(|t| format!(" (ttl {}s)", t / 1000))
                        .unwrap_or_default();
                    writeln!(
                        w,
                        "{}",
                        ctx.fit_line(&format!("  {} = {}{ttl}", sm.key, sm.value))
                    )?;
                }
            }
            if !r.errors.is_empty() {
                writeln!(
                    w,
                    "\n{}: {} failed, first ones:",
                    r.job,
                    crate::units::plural(r.failed, "row", "rows")
                )?;
                for e in r.errors.iter().take(10) {
                    if e.rows > 1 {
                        let more = crate::units::plural(e.rows - 1, "row", "rows");
                        let line = format!("  line {} (+{more}): {}", e.line, e.message);
                        writeln!(w, "{}", ctx.prose(&line))?;
                    } else {
                        let line = format!("  line {}: {}", e.line, e.message);
                        writeln!(w, "{}", ctx.prose(&line))?;
                    }
                }
            }
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        columns().write_csv(w, &self.runs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_with_failed_rows_is_never_ok() {
        let mut r = RunRow::default();
        r.finish(RunEnd::Partial {
            failed: 3,
            max: None,
        });
        let rep = WarmReport::new(vec![r], None);
        assert_eq!((rep.status, rep.runs[0].status), ("partial", "partial"));
        assert_eq!(rep.outcome, Outcome::Ok, "within --max-errors: exit 0");
        let refused = RunEnd::ServerRefused(Refusal {
            reason: "OOM command not allowed when used memory > 'maxmemory'.".into(),
            written: 9378,
            refused: 862,
            checkpoint: false,
        });
        assert_eq!(
            refused.message().unwrap(),
            "server refused writes: OOM command not allowed when used memory > 'maxmemory' \
             (9,378 rows written, 862 refused, the rest not sent)"
        );
        assert_eq!(
            refused.outcome().exit_code(),
            crate::error::ExitCode::Failure
        );
    }

    #[test]
    fn csv_names_the_json_fields() {
        let r = RunRow::default();
        // the summary (SPEC §3 warm) plus started_at; the rest is JSON detail
        crate::render::column::assert_csv_matches_json(
            &columns(),
            &r,
            &[],
            &["resumed_from", "lost", "no_ttl", "errors"],
        );
    }
}
