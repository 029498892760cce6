//! One integration-test binary: real redis-server processes, the real cachectl binary.

mod analyze;
mod cli;
mod completions;
mod invalidate;
mod rdb;
mod recommend;
mod report;
mod simulate;
mod support;
mod warm;
