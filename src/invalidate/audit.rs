//! `--audit-log FILE`: one JSON line per run, appended whatever the outcome. The file is
//! opened before any work, so an unwritable log refuses the run instead of being noticed
//! after the keys are gone.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

pub struct AuditLog {
    path: PathBuf,
    file: std::fs::File,
}

/// One record. Counts are exact; `unknown` are keys in a batch whose reply was lost (they
/// may or may not be gone).
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub ts: String,
    pub user: String,
    pub host: String,
    pub url: String,
    pub selector: &'a str,
    pub kind: &'a str,
    pub dry_run: bool,
    pub soft: Option<String>,
    pub matched: u64,
    pub deleted: u64,
    pub expired: u64,
    pub missing: u64,
    pub unknown: u64,
    pub duration_ms: u64,
    pub status: &'a str,
    pub exit_code: i32,
    pub error: Option<String>,
}

impl AuditLog {
    pub fn open(path: &Path) -> Result<AuditLog> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| {
                format!(
                    "opening --audit-log {} (checked before anything is deleted)",
                    path.display()
                )
            })?;
        Ok(AuditLog {
            path: path.to_path_buf(),
            file,
        })
    }

    pub fn write(&mut self, record: &Record<'_>) -> Result<()> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        // one write(2) of the whole line: concurrent runs appending to one log do not interleave
        self.file
            .write_all(&line)
            .with_context(|| format!("writing --audit-log {}", self.path.display()))
    }
}
