//! Exit codes (SPEC §1), the run's [`Outcome`], and the few typed errors that choose one.
//!
//! Everything else is an `anyhow::Error` with context and exits 1. An error becomes an
//! `Outcome` ([`Outcome::from_error`], walking the cause chain in [`exit_code_for`]); a report
//! gives its own (`render::Report::outcome`); `lib::exit` prints the outcome's one line and
//! ends the process with its code.

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
    /// the command line (or a profile) was wrong: nothing was done (exit 2)
    Usage(String),
    /// SIGINT (or SIGTERM for every command but warm) (exit 130)
    Interrupted,
}

impl Outcome {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Outcome::Ok | Outcome::Stopped => ExitCode::Success,
            Outcome::CheckFailed(_) => ExitCode::CheckFailed,
            Outcome::Failed(_) => ExitCode::Failure,
            Outcome::Usage(_) => ExitCode::Usage,
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
            Outcome::Usage(_) => "usage-error",
            Outcome::Interrupted => "interrupted",
        }
    }

    /// What went wrong, if anything (audit logs, summaries).
    pub fn message(&self) -> Option<String> {
        match self {
            Outcome::Ok | Outcome::Stopped => None,
            Outcome::CheckFailed(m) | Outcome::Failed(m) | Outcome::Usage(m) => Some(m.clone()),
            Outcome::Interrupted => Some("interrupted".into()),
        }
    }

    /// The one line printed on stderr at the end of the run, if any: `cachectl: interrupted`,
    /// or `cachectl: error: …` (secrets redacted).
    pub fn line(&self) -> Option<String> {
        match self {
            Outcome::Ok | Outcome::Stopped => None,
            Outcome::Interrupted => Some("cachectl: interrupted".into()),
            Outcome::CheckFailed(m) | Outcome::Failed(m) | Outcome::Usage(m) => {
                Some(format!("cachectl: error: {}", crate::redact::text(m)))
            }
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::Stopped => 1,
            Outcome::CheckFailed(_) => 2,
            Outcome::Failed(_) => 3,
            Outcome::Usage(_) => 4,
            Outcome::Interrupted => 5,
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

    /// The outcome an error stands for: a closed stdout is a success, the typed errors
    /// choose their code, everything else is a failure.
    pub fn from_error(err: &anyhow::Error) -> Outcome {
        match exit_code_for(err) {
            ExitCode::Success => Outcome::Ok,
            ExitCode::CheckFailed => Outcome::CheckFailed(one_line(err)),
            ExitCode::Usage => Outcome::Usage(one_line(err)),
            ExitCode::Interrupted => Outcome::Interrupted,
            ExitCode::Failure => Outcome::Failed(one_line(err)),
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

/// The exit code an error stands for (checks that do not pass are outcomes, never errors).
pub fn exit_code_for(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::Success;
    }
    for cause in err.chain() {
        if cause.is::<UsageError>() {
            return ExitCode::Usage;
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
        let e = anyhow::Error::new(Interrupted).context("at the prompt");
        assert_eq!(exit_code_for(&e), ExitCode::Interrupted);
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
            (Outcome::Usage("x".into()), "usage-error", 2),
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
    fn errors_become_outcomes_with_the_same_line() {
        let interrupted = anyhow::Error::new(Interrupted).context("reading the answer");
        assert_eq!(Outcome::from_error(&interrupted), Outcome::Interrupted);
        assert_eq!(
            Outcome::Interrupted.line().as_deref(),
            Some("cachectl: interrupted")
        );
        let bad = Outcome::from_error(&usage("--batch must be at least 1"));
        assert_eq!(bad.exit_code(), ExitCode::Usage);
        assert_eq!(
            bad.line().as_deref(),
            Some("cachectl: error: --batch must be at least 1")
        );
        let io = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe");
        let closed = Outcome::from_error(&anyhow::Error::new(io));
        assert_eq!(
            (closed.line(), closed.exit_code()),
            (None, ExitCode::Success)
        );
        assert_eq!(
            Outcome::from_error(&anyhow::anyhow!("boom"))
                .line()
                .as_deref(),
            Some("cachectl: error: boom")
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
