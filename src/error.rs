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
