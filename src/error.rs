//! Exit codes (SPEC §1) and the few typed errors that choose one.
//!
//! Everything else is an `anyhow::Error` with context and exits 1. The exit code
//! is decided in exactly one place, [`exit_code_for`], by walking the cause chain.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    Failure = 1,
    Usage = 2,
    CheckFailed = 3,
    Interrupted = 130,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// How a run ended: the one value the exit code, the `status` field and the summary line
/// are all derived from (SPEC §1 "One outcome per run").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Outcome {
    /// everything asked was done
    #[default]
    Ok,
    /// `warm` stopped by SIGTERM: a clean stop (exit 0)
    Stopped,
    /// a check did not pass: --max-keys, --max-errors, --require-match, an SLO (exit 3)
    CheckFailed(String),
    /// a runtime failure after some work may have been done (exit 1)
    Failed(String),
    /// SIGINT (or SIGTERM for every command but warm) (exit 130)
    Interrupted,
}

impl Outcome {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Outcome::Ok | Outcome::Stopped => ExitCode::Success,
            Outcome::CheckFailed(_) => ExitCode::CheckFailed,
            Outcome::Failed(_) => ExitCode::Failure,
            Outcome::Interrupted => ExitCode::Interrupted,
        }
    }

    /// The `status` word of tables, CSV and JSON.
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Stopped => "stopped",
            Outcome::CheckFailed(_) => "check-failed",
            Outcome::Failed(_) => "failed",
            Outcome::Interrupted => "interrupted",
        }
    }

    /// The line printed on stderr after the result, if any.
    pub fn message(&self) -> Option<String> {
        match self {
            Outcome::Ok | Outcome::Stopped => None,
            Outcome::CheckFailed(m) | Outcome::Failed(m) => Some(m.clone()),
            Outcome::Interrupted => Some("interrupted".into()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::Stopped => 1,
            Outcome::CheckFailed(_) => 2,
            Outcome::Failed(_) => 3,
            Outcome::Interrupted => 4,
        }
    }

    /// The worse of two outcomes (several runs or selectors in one process).
    pub fn worst(self, other: Outcome) -> Outcome {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    /// The outcome an error stands for (usage errors never reach here: they stop a run
    /// before it starts).
    pub fn from_error(err: &anyhow::Error) -> Outcome {
        match exit_code_for(err) {
            ExitCode::Success => Outcome::Ok,
            ExitCode::CheckFailed => Outcome::CheckFailed(one_line(err)),
            ExitCode::Interrupted => Outcome::Interrupted,
            _ => Outcome::Failed(one_line(err)),
        }
    }
}

/// A usage error: bad flag value, bad duration, invalid profile. Exit 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for UsageError {}

/// A check that did not pass (report thresholds, --max-keys guard, --max-errors). Exit 3.
#[derive(Debug)]
pub struct CheckFailed(pub String);

impl fmt::Display for CheckFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for CheckFailed {}

/// The user pressed Ctrl-C. Exit 130.
#[derive(Debug)]
pub struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted")
    }
}
impl std::error::Error for Interrupted {}

/// Shorthand for returning a usage error.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}

/// True when the error is a closed stdout (`cachectl … | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|e| {
                matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// The one place an error becomes an exit code.
pub fn exit_code_for(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::Success;
    }
    for cause in err.chain() {
        if cause.is::<UsageError>() {
            return ExitCode::Usage;
        }
        if cause.is::<CheckFailed>() {
            return ExitCode::CheckFailed;
        }
        if cause.is::<Interrupted>() {
            return ExitCode::Interrupted;
        }
    }
    ExitCode::Failure
}

/// `cachectl: error: outer: cause: root` — one line, the whole chain, de-duplicated
/// (libraries often repeat their inner message in their own Display).
pub fn one_line(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let s = cause.to_string().replace('\n', " ");
        let s = s.trim().to_string();
        if s.is_empty() || parts.iter().any(|p| p.contains(&s)) {
            continue;
        }
        parts.push(s);
    }
    crate::redact::text(&parts.join(": "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn codes_follow_the_chain() {
        let e = Err::<(), _>(usage("bad")).context("outer").unwrap_err();
        assert_eq!(exit_code_for(&e), ExitCode::Usage);
        let e = anyhow::Error::new(CheckFailed("x".into()));
        assert_eq!(exit_code_for(&e), ExitCode::CheckFailed);
        assert_eq!(exit_code_for(&anyhow::anyhow!("boom")), ExitCode::Failure);
        let io = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe");
        assert_eq!(
            exit_code_for(&anyhow::Error::new(io).context("writing")),
            ExitCode::Success
        );
        assert_eq!(ExitCode::Interrupted.code(), 130);
    }

    #[test]
    fn outcome_status_and_code_agree() {
        let cases = [
            (Outcome::Ok, "ok", 0),
            (Outcome::Stopped, "stopped", 0),
            (Outcome::CheckFailed("x".into()), "check-failed", 3),
            (Outcome::Failed("x".into()), "failed", 1),
            (Outcome::Interrupted, "interrupted", 130),
        ];
        for (o, status, code) in cases {
            assert_eq!(o.status(), status);
            assert_eq!(o.exit_code().code(), code);
        }
        let w = Outcome::Ok.worst(Outcome::CheckFailed("a".into()));
        assert_eq!(w.status(), "check-failed");
        assert_eq!(w.worst(Outcome::Stopped).status(), "check-failed");
        assert_eq!(
            Outcome::Failed("f".into()).worst(Outcome::Interrupted),
            Outcome::Interrupted
        );
    }

    #[test]
    fn one_line_joins_and_dedups() {
        let e = Err::<(), _>(anyhow::anyhow!("connection refused"))
            .context("connecting to redis://:***@h:1")
            .unwrap_err();
        assert_eq!(
            one_line(&e),
            "connecting to redis://:***@h:1: connection refused"
        );
    }
}
