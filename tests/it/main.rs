//! One integration-test binary: real redis-server processes, the real cachectl binary.

mod analyze;
mod cli;
mod completions;
mod invalidate;
mod outcome;
mod recommend;
mod report;
mod simulate;
mod support;
mod tag_cli;
mod tags;
mod warm;
