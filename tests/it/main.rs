//! One integration-test binary: real redis-server processes, the real cachectl binary.

mod acl;
mod analyze;
mod cli;
mod completions;
mod fuzz;
mod glob;
mod hostile;
mod invalidate;
mod matrix;
mod outcome;
mod rdb;
mod rdb_cases;
mod recommend;
mod report;
mod secrets;
mod sentinel;
mod simulate;
mod support;
mod tag_cli;
mod tags;
mod term;
mod tls;
mod urls;
mod values;
mod verify;
mod warm;
