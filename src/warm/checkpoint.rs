//! `--checkpoint FILE`: the highest data-row index below which every row is done, so an
//! interrupted run resumes exactly there. Batches finish out of order (several workers),
//! so finished ranges wait in `done` until the watermark reaches them.
//!
//! The file is written 0600 (atomically: temp file + rename) and holds no secrets: a
//! command source is recorded by a hash of its text.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::error::usage;

/// The pure part: which rows are done.
#[derive(Debug, Default)]
pub struct Progress {
    pub watermark: u64,
    done: BTreeMap<u64, u64>,
}

impl Progress {
    pub fn starting_at(watermark: u64) -> Progress {
        Progress {
            watermark,
            done: BTreeMap::new(),
        }
    }

    /// Rows `[first, end)` are done.
    pub fn complete(&mut self, first: u64, end: u64) {
        if end <= self.watermark {
            return;
        }
        self.done.insert(first, end);
        while let Some(end) = self.done.remove(&self.watermark) {
            self.watermark = end.max(self.watermark);
        }
    }
}

pub struct Checkpoint {
    path: Option<PathBuf>,
    job: String,
    source: String,
    pub progress: Progress,
    saved_at: Instant,
}

#[derive(Serialize, Deserialize)]
struct CheckpointFile {
    job: String,
    source: String,
    rows_done: u64,
    updated: String,
}

impl Checkpoint {
    /// Open (or start) the checkpoint of `job` reading `source_id`.
    pub fn load(path: Option<&Path>, job: &str, source_id: &str) -> Result<Checkpoint> {
        let mut cp = Checkpoint {
            path: path.map(Path::to_path_buf),
            job: job.to_string(),
            source: source_id.to_string(),
            progress: Progress::default(),
            saved_at: Instant::now(),
        };
        if let Some(p) = path {
            if p.exists() {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading checkpoint {}", p.display()))?;
                let f: CheckpointFile = serde_json::from_str(&text).map_err(|e| {
                    usage(format!("{}: not a cachectl checkpoint: {e}", p.display()))
                })?;
                if f.job != cp.job || f.source != cp.source {
                    return Err(usage(format!(
                        "{} belongs to job `{}` ({}), not `{}` ({}); remove it to start over",
                        p.display(),
                        f.job,
                        f.source,
                        cp.job,
                        cp.source
                    )));
                }
                cp.progress = Progress::starting_at(f.rows_done);
            }
        }
        Ok(cp)
    }

    pub fn watermark(&self) -> u64 {
        self.progress.watermark
    }

    /// Record finished rows; saved at most twice a second.
    pub fn complete(&mut self, first: u64, end: u64) {
        self.progress.complete(first, end);
        if self.saved_at.elapsed() > Duration::from_millis(500) {
            let _ = self.save();
        }
    }

    pub fn save(&mut self) -> Result<()> {
        let Some(p) = &self.path else { return Ok(()) };
        let f = CheckpointFile {
            job: self.job.clone(),
            source: self.source.clone(),
            rows_done: self.progress.watermark,
            updated: crate::audit::now_rfc3339(),
        };
        let tmp = p.with_extension("tmp");
        write_private(&tmp, serde_json::to_string(&f)?.as_bytes())
            .with_context(|| format!("writing checkpoint {}", tmp.display()))?;
        std::fs::rename(&tmp, p).with_context(|| format!("writing checkpoint {}", p.display()))?;
        self.saved_at = Instant::now();
        Ok(())
    }

    /// After a complete run: the next run starts from the top.
    pub fn remove(&self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Create or truncate `path` readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    #[cfg(unix)]
    {
        // an older file keeps its mode through open(): tighten it
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    f.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermark_waits_for_the_gap() {
        let mut p = Progress::starting_at(0);
        p.complete(100, 200);
        p.complete(200, 300);
        assert_eq!(p.watermark, 0, "rows 0..100 are not done yet");
        p.complete(0, 100);
        assert_eq!(p.watermark, 300);
        // a resumed run starts at the watermark; batches below it are ignored
        p.complete(50, 60);
        assert_eq!(p.watermark, 300);
        p.complete(300, 301);
        assert_eq!(p.watermark, 301);
    }

    #[test]
    fn file_is_private_and_roundtrips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cp.json");
        let mut cp = Checkpoint::load(Some(&path), "j", "command:abc").unwrap();
        cp.progress.complete(0, 42);
        cp.save().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let again = Checkpoint::load(Some(&path), "j", "command:abc").unwrap();
        assert_eq!(again.watermark(), 42);
        let err = Checkpoint::load(Some(&path), "other", "command:abc")
            .err()
            .unwrap();
        assert_eq!(
            crate::error::exit_code_for(&err),
            crate::error::ExitCode::Usage
        );
    }
}
