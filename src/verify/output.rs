//! The report: rows per scope and a total (`scope, checked, fresh, stale, missing,
//! coherence_pct, example_key`, declared once), examples of stale keys (never their values
//! unless --show-values), and the run's one outcome.

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use serde::Serialize;

use super::compare::{estimate, Compare, Estimate};
use super::tally::{Example, Row, Tally};
use super::Options;
use crate::config::Settings;
use crate::error::Outcome;
use crate::render::{Columns, RenderCtx, Report};
use crate::signals::{Signal, Stop};
use crate::units::human_count;

#[derive(Debug, Serialize)]
pub struct VerifyReport {
    /// source | against
    pub mode: &'static str,
    pub rows: Vec<Row>,
    pub total: Row,
    /// ok | check-failed | interrupted
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// the threshold the total's coherence_pct was held to
    pub fail_below: f64,
    /// exact | json
    pub compare: &'static str,
    /// --sample: the coherence of everything, estimated from the sample
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
    /// the first stale keys (bounded), then the first missing ones
    pub stale_keys: Vec<Example>,
    pub missing_keys: Vec<Example>,
    /// keys about to expire, not judged
    pub expiring: u64,
    /// source rows that could not be read or rendered
    pub bad_rows: u64,
    /// the first of them and why (`line 2: …`)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_row: Option<String>,
    /// differences read again after --recheck, and those gone by then (writes in flight)
    pub rechecked: u64,
    pub settled: u64,
    /// differences whose values had changed again by the recheck: being written, not judged
    pub changing: u64,
    /// Redis before 7.2 (no CLIENT NO-TOUCH): the reads counted as accesses
    pub reads_touch_lru: bool,
    pub duration_ms: u64,
    pub keys_per_s: f64,
    #[serde(skip)]
    pub outcome: Outcome,
}

impl VerifyReport {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        mode: &'static str,
        tally: Tally,
        o: &Options,
        s: &Settings,
        elapsed: Duration,
        sample: Option<(u64, u64)>,
        reads_touch_lru: bool,
        stop: &Stop,
    ) -> VerifyReport {
        let total = tally.total();
        let fail_below = o.fail_below(s);
        let estimate = sample
            .map(|(population, sampled)| estimate(population, sampled, total.fresh, total.stale));
        let outcome = match (stop.signal(), total.coherence_pct) {
            (Some(Signal::Interrupt | Signal::Terminate), _) => Outcome::Interrupted,
            (None, Some(p)) if p < fail_below => Outcome::CheckFailed(format!(
                "coherence {p:.2}% is below {fail_below}% ({} stale, {} missing of {} checked; e.g. {})",
                human_count(total.stale),
                human_count(total.missing),
                human_count(total.checked),
                total.example_key.as_deref().unwrap_or("-"),
            )),
            // a source none of whose rows could be read checked nothing: a deploy hook gating
            // on verify must not pass on a broken source
            (None, None) if total.checked == 0 && tally.bad_rows > 0 => {
                Outcome::CheckFailed(format!(
                    "nothing was checked: {} of the source could not be read{}",
                    crate::units::plural(tally.bad_rows, "row", "rows"),
                    tally
                        .first_bad_row
                        .as_deref()
                        .map(|b| format!(" (the first: {b})"))
                        .unwrap_or_default()
                ))
            }
            _ => Outcome::Ok,
        };
        let secs = elapsed.as_secs_f64();
        let checked = total.checked + tally.expiring + tally.changing;
        VerifyReport {
            mode,
            rows: tally.rows(),
            status: outcome.status(),
            message: outcome.message(),
            fail_below,
            compare: match o.compare {
                Compare::Exact => "exact",
                Compare::Json => "json",
            },
            estimate,
            stale_keys: tally.stale_keys,
            missing_keys: tally.missing_keys,
            expiring: tally.expiring,
            bad_rows: tally.bad_rows,
            first_bad_row: tally.first_bad_row,
            rechecked: tally.rechecked,
            settled: tally.settled,
            changing: tally.changing,
            reads_touch_lru,
            duration_ms: elapsed.as_millis() as u64,
            keys_per_s: if secs > 0.0 {
                (checked as f64 / secs).round()
            } else {
                0.0
            },
            total,
            outcome,
        }
    }
}

/// One row per scope and the total (SPEC §3 verify); a coherence below `fail_below` in red.
fn columns(fail_below: f64) -> Columns<'static, Row> {
    let mut c: Columns<Row> = Columns::new();
    c.plain("scope", "SCOPE", 0, |r| r.scope.clone())
        .count("checked", "CHECKED", 2, |r| r.checked)
        .count("fresh", "FRESH", 3, |r| r.fresh)
        .count("stale", "STALE", 0, |r| r.stale)
        .count("missing", "MISSING", 1, |r| r.missing)
        .col(
            "coherence_pct",
            "COHERENCE",
            0,
            |r| r.coherence_pct,
            move |r, ctx| match r.coherence_pct {
                None => ctx.colored_cell("-", "info"),
                Some(p) if p < fail_below => ctx.colored_cell(&format!("{p:.2}%"), "crit"),
                Some(p) => ctx.colored_cell(&format!("{p:.2}%"), "ok"),
            },
        )
        .plain("example_key", "EXAMPLE", 4, |r| {
            r.example_key.clone().unwrap_or_default()
        });
    c
}

impl Report for VerifyReport {
    fn outcome(&self) -> Outcome {
        self.outcome.clone()
    }

    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let t = columns(self.fail_below)
            .table(ctx, self.rows.iter().chain(std::iter::once(&self.total)));
        writeln!(w, "{t}")?;
        let mut notes = Vec::new();
        if let Some(e) = &self.estimate {
            if let (Some(p), Some(lo), Some(hi)) = (e.coherence_pct, e.low_pct, e.high_pct) {
                notes.push(format!(
                    "sample of {} of {}: coherence ≈ {p:.2}% (95% interval {lo:.2}–{hi:.2}%)",
                    human_count(e.sampled),
                    human_count(e.population)
                ));
            }
        }
        if self.expiring > 0 {
            notes.push(format!(
                "{} about to expire, not judged",
                crate::units::plural(self.expiring, "key", "keys")
            ));
        }
        if self.settled > 0 {
            notes.push(format!(
                "{} differed at first and agreed when read again (writes in flight)",
                crate::units::plural(self.settled, "key", "keys")
            ));
        }
        if self.changing > 0 {
            notes.push(format!(
                "{} differed and had been written again when read again (being written, not judged)",
                crate::units::plural(self.changing, "key", "keys")
            ));
        }
        if self.bad_rows > 0 {
            notes.push(format!(
                "{} of the source could not be read (not checked){}",
                crate::units::plural(self.bad_rows, "row", "rows"),
                self.first_bad_row
                    .as_deref()
                    .map(|b| format!("; the first: {b}"))
                    .unwrap_or_default()
            ));
        }
        for n in notes {
            writeln!(w, "{}", ctx.prose(&n))?;
        }
        if !self.stale_keys.is_empty() {
            writeln!(w, "\nstale keys (first {}):", self.stale_keys.len())?;
            for e in &self.stale_keys {
                let why = e.why.map(|w| format!(" ({w:?})").to_lowercase());
                let mut line = format!("  {}{}", e.key, why.unwrap_or_default());
                if let (Some(x), Some(a)) = (&e.expected, &e.actual) {
                    line.push_str(&format!(": expected {x}, cached {a}"));
                }
                writeln!(w, "{}", ctx.fit_line(&line))?;
            }
        }
        if let Some(m) = &self.message {
            writeln!(
                w,
                "{}",
                ctx.prose(&format!("status: {} ({m})", self.status))
            )?;
        } else {
            writeln!(w, "status: {}", self.status)?;
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        columns(self.fail_below).write_csv(w, self.rows.iter().chain(std::iter::once(&self.total)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_names_the_json_fields() {
        crate::render::column::assert_csv_matches_json(&columns(99.0), &Row::default(), &[], &[]);
    }
}
