//! One integration-test binary: real redis-server processes, the real cachectl binary.

mod analyze;
mod cli;
mod completions;
mod glob;
mod hostile;
mod invalidate;
mod matrix;
mod outcome;
mod recommend;
mod report;
mod secrets;
mod simulate;
mod support;
mod tags;
mod term;
mod warm;
