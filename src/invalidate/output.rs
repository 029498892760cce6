//! What `invalidate` reports: one row per selector and one status for the run, derived
//! from the run's outcome like its exit code.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::error::Outcome;
use crate::render::{RenderCtx, Report};
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
    #[serde(skip)]
    pub outcome: Outcome,
}

impl InvalidateReport {
    pub fn new(rows: Vec<Row>, outcome: Outcome) -> InvalidateReport {
        InvalidateReport {
            status: outcome.status(),
            message: outcome.message(),
            rows,
            outcome,
        }
    }
}

impl Report for InvalidateReport {
    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        let show_unknown = self.rows.iter().any(|r| r.unknown > 0);
        let show_tags = self.rows.iter().any(|r| r.format.is_some());
        let mut headers = vec![
            "SELECTOR", "KIND", "MATCHED", "DELETED", "EXPIRED", "MISSING",
        ];
        if show_unknown {
            headers.push("UNKNOWN");
        }
        headers.extend(["NODES", "DURATION"]);
        if show_tags {
            headers.extend(["FORMAT", "INDEX", "KEY PREFIX"]);
        }
        let mut t = ctx.table(&headers);
        for r in &self.rows {
            let mut cells = vec![
                r.selector.clone(),
                r.kind.clone(),
                human_count(r.matched),
                human_count(r.deleted),
                human_count(r.expired),
                human_count(r.missing),
            ];
            if show_unknown {
                cells.push(human_count(r.unknown));
            }
            cells.extend([r.nodes.to_string(), format!("{} ms", r.duration_ms)]);
            if show_tags {
                let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                cells.extend([
                    or_dash(&r.format),
                    or_dash(&r.index),
                    r.key_prefix
                        .as_ref()
                        .map_or_else(|| "-".into(), |p| format!("\"{p}\"")),
                ]);
            }
            t.add_row(cells);
        }
        writeln!(w, "{t}")?;
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
        if self.outcome != Outcome::Ok {
            writeln!(w, "status: {}", self.status)?;
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
            "unknown",
            "status",
            "format",
            "index",
            "key_prefix",
            "tag_prefix",
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
                r.unknown.to_string(),
                self.status.to_string(),
                r.format.clone().unwrap_or_default(),
                r.index.clone().unwrap_or_default(),
                r.key_prefix.clone().unwrap_or_default(),
                r.tag_prefix.clone().unwrap_or_default(),
            ])?;
        }
        Ok(())
    }
}
