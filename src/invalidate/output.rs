//! What `invalidate` reports: one row per selector and one status for the run, derived
//! from the run's outcome like its exit code.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::error::Outcome;
use crate::render::{Columns, RenderCtx, Report, AUTO};
use crate::units::{human_count, plural};

/// One selector's outcome.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    pub selector: String,
    pub kind: String,
    /// distinct keys selected: scanned, listed, or members of a tag index
    pub matched: u64,
    /// keys removed by UNLINK/DEL
    pub deleted: u64,
    /// keys whose TTL was capped (`--soft`)
    pub expired: u64,
    /// selected keys that did not exist when they were to be deleted (expired meanwhile,
    /// or never existed)
    pub missing: u64,
    /// keys in a batch whose reply was lost (connection dropped, server paused): they may or
    /// may not be gone; never guessed
    pub unknown: u64,
    pub nodes: usize,
    pub duration_ms: u64,
    pub dry_run: bool,
    /// with --dry-run: up to 10 of the matched keys
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sample_keys: Vec<String>,
    /// tag indexes read for this selector
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tag_indexes: Vec<String>,
    /// tags: the layout found (`symfony (5.4-6.2)`, …), its index key and the prefixes
    /// (bytes escaped as `\xNN`); a namespace with several tags lists each, comma-separated
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_prefix: Option<String>,
    /// --verify: keys the selector still matches on any node after the run
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<u64>,
    /// --verify: up to 10 of them
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_keys: Vec<String>,
    /// --verify: what the check found, in words
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<String>,
}

impl Row {
    /// Selected keys that existed (what `--require-match` asks for).
    pub fn found(&self) -> u64 {
        self.matched.saturating_sub(self.missing)
    }
}

#[derive(Debug, Serialize)]
pub struct InvalidateReport {
    /// ok | check-failed | failed | interrupted: the same value the exit code comes from
    pub status: &'static str,
    /// why the run did not simply succeed
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub rows: Vec<Row>,
    /// failovers followed during the run (Sentinel: the primary moved, the batch in flight
    /// was retried on the new one)
    #[serde(skip_serializing_if = "is_zero")]
    pub failovers: u64,
    #[serde(skip)]
    pub outcome: Outcome,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl InvalidateReport {
    pub fn new(rows: Vec<Row>, outcome: Outcome) -> InvalidateReport {
        InvalidateReport {
            status: outcome.status(),
            message: outcome.message(),
            rows,
            failovers: crate::engine::sentinel::failovers(),
            outcome,
        }
    }
}

impl InvalidateReport {
    /// One row per selector: the table and the CSV (SPEC §3 invalidate). The table shows
    /// UNKNOWN only when a reply was lost, and the tag columns only for tags.
    fn columns(&self) -> Columns<'static, Row> {
        let show_unknown = self.rows.iter().any(|r| r.unknown > 0);
        let show_tags = self.rows.iter().any(|r| r.format.is_some());
        let status = self.status;
        let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        let mut c: Columns<Row> = Columns::new();
        c.plain("selector", "SELECTOR", AUTO, |r| r.selector.clone())
            .plain("kind", "KIND", AUTO, |r| r.kind.clone())
            .col(
                "matched",
                "MATCHED",
                AUTO,
                |r| r.matched,
                |r, _| human_count(r.matched),
            )
            .col(
                "deleted",
                "DELETED",
                AUTO,
                |r| r.deleted,
                |r, _| human_count(r.deleted),
            )
            .col(
                "expired",
                "EXPIRED",
                AUTO,
                |r| r.expired,
                |r, _| human_count(r.expired),
            )
            .col(
                "missing",
                "MISSING",
                AUTO,
                |r| r.missing,
                |r, _| human_count(r.missing),
            )
            .plain("nodes", "NODES", AUTO, |r| r.nodes)
            .col(
                "duration_ms",
                "DURATION",
                AUTO,
                |r| r.duration_ms,
                |r, _| format!("{} ms", r.duration_ms),
            )
            .csv_only("dry_run", |r| r.dry_run)
            .col(
                "unknown",
                "UNKNOWN",
                AUTO,
                |r| r.unknown,
                |r, _| human_count(r.unknown),
            )
            .table_if(show_unknown)
            .table_before("NODES")
            .csv_only("status", move |_| status)
            .col(
                "format",
                "FORMAT",
                AUTO,
                |r| r.format.clone(),
                move |r, _| or_dash(&r.format),
            )
            .table_if(show_tags)
            .col(
                "index",
                "INDEX",
                AUTO,
                |r| r.index.clone(),
                move |r, _| or_dash(&r.index),
            )
            .table_if(show_tags)
            .col(
                "key_prefix",
                "KEY PREFIX",
                AUTO,
                |r| r.key_prefix.clone(),
                |r, _| {
                    r.key_prefix
                        .as_ref()
                        .map_or_else(|| "-".into(), |p| format!("\"{p}\""))
                },
            )
            .table_if(show_tags)
            .csv_only("tag_prefix", |r| r.tag_prefix.clone());
        c
    }
}

impl Report for InvalidateReport {
    fn outcome(&self) -> Outcome {
        self.outcome.clone()
    }

    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let t = self.columns().table(ctx, &self.rows);
        writeln!(w, "{t}")?;
        for r in &self.rows {
            if let Some(v) = &r.verified {
                let mut note = format!("verify {} `{}`: {v}", r.kind, r.selector);
                if !r.left_keys.is_empty() {
                    note.push_str(&format!(" (e.g. {})", r.left_keys.join(", ")));
                }
                writeln!(w, "{}", ctx.prose(&note))?;
            }
        }
        for r in self.rows.iter().filter(|r| r.dry_run) {
            let note = format!(
                "dry run: {} would be invalidated for {} `{}`{}",
                plural(r.found(), "key", "keys"),
                r.kind,
                r.selector,
                if r.sample_keys.is_empty() {
                    ""
                } else {
                    ", for example:"
                }
            );
            writeln!(w, "\n{}", ctx.prose(&note))?;
            for k in &r.sample_keys {
                writeln!(w, "{}", ctx.fit_line(&format!("  {k}")))?;
            }
        }
        let unknown: u64 = self.rows.iter().map(|r| r.unknown).sum();
        if unknown > 0 {
            writeln!(
                w,
                "\n{} in a batch whose reply was lost: they may or may not be deleted",
                plural(unknown, "key was", "keys were")
            )?;
        }
        if self.failovers > 0 {
            let line = format!(
                "the primary failed over during the run ({}): the batch in flight was retried on the new primary",
                plural(self.failovers, "failover", "failovers")
            );
            writeln!(w, "\n{}", ctx.prose(&line))?;
        }
        if self.outcome != Outcome::Ok {
            writeln!(w, "status: {}", self.status)?;
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        self.columns().write_csv(w, &self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_names_the_json_fields() {
        let r = Row {
            format: Some("cachectl".into()),
            index: Some("tag:x".into()),
            key_prefix: Some(String::new()),
            tag_prefix: Some(String::new()),
            sample_keys: vec!["k".into()],
            tag_indexes: vec!["tag:x".into()],
            ..Row::default()
        };
        let report = InvalidateReport::new(vec![r.clone()], Outcome::Ok);
        // status is the run's (top level in JSON); samples and indexes are JSON detail
        crate::render::column::assert_csv_matches_json(
            &report.columns(),
            &r,
            &["status"],
            &["sample_keys", "tag_indexes"],
        );
    }

    #[test]
    fn unknown_and_tag_columns_only_when_needed() {
        let plain = InvalidateReport::new(vec![Row::default()], Outcome::Ok);
        assert_eq!(
            plain.columns().table_headers(),
            ["SELECTOR", "KIND", "MATCHED", "DELETED", "EXPIRED", "MISSING", "NODES", "DURATION"]
        );
        let lost = InvalidateReport::new(
            vec![Row {
                unknown: 3,
                format: Some("laravel".into()),
                ..Row::default()
            }],
            Outcome::Ok,
        );
        assert_eq!(
            lost.columns().table_headers(),
            [
                "SELECTOR",
                "KIND",
                "MATCHED",
                "DELETED",
                "EXPIRED",
                "MISSING",
                "UNKNOWN",
                "NODES",
                "DURATION",
                "FORMAT",
                "INDEX",
                "KEY PREFIX"
            ]
        );
    }
}
