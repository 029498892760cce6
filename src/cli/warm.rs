//! `warm`: flags → `warm::Options`; the four source flags (clap keeps them exclusive) become
//! one `warm::Input`.

use std::path::PathBuf;

use super::WarmArgs;
use crate::warm::{Input, Options};

fn input(a: &WarmArgs) -> Option<Input> {
    if let Some(source) = &a.source {
        return Some(match source.as_str() {
            "-" => Input::Stdin,
            path => Input::File(PathBuf::from(path)),
        });
    }
    if let Some(command) = &a.source_cmd {
        return Some(Input::Command(command.clone()));
    }
    if let Some(job) = &a.job {
        return Some(Input::Job(job.clone()));
    }
    a.all_jobs.then_some(Input::AllJobs)
}

impl From<&WarmArgs> for Options {
    fn from(a: &WarmArgs) -> Self {
        Options {
            source: input(a),
            format: a.format,
            columns: a.columns.clone(),
            key: a.key.clone(),
            value: a.value.clone(),
            ttl: a.ttl,
            ttl_jitter: a.ttl_jitter,
            mode: a.mode,
            refresh_below: a.refresh_below,
            rate: a.rate,
            burst: a.burst,
            concurrency: a.concurrency,
            batch: a.batch,
            dry_run: a.dry_run,
            max_errors: a.max_errors,
            checkpoint: a.checkpoint.clone(),
            name: a.name.clone(),
            schedule: a.schedule.clone(),
            max_runs: a.max_runs,
        }
    }
}
