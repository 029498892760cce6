//! `verify`: flags → `verify::Options`; the five target flags (clap keeps them exclusive)
//! become one `verify::Target`, the source ones through warm's `Input`.

use std::path::PathBuf;

use super::VerifyArgs;
use crate::verify::{Options, Target};
use crate::warm::Input;

fn target(a: &VerifyArgs) -> Option<Target> {
    if let Some(url) = &a.against {
        return Some(Target::Against(url.clone()));
    }
    let input = if let Some(source) = &a.source {
        match source.as_str() {
            "-" => Input::Stdin,
            path => Input::File(PathBuf::from(path)),
        }
    } else if let Some(command) = &a.source_cmd {
        Input::Command(command.clone())
    } else if let Some(job) = &a.job {
        Input::Job(job.clone())
    } else if a.all_jobs {
        Input::AllJobs
    } else {
        return None;
    };
    Some(Target::Source(input))
}

impl From<&VerifyArgs> for Options {
    fn from(a: &VerifyArgs) -> Self {
        Options {
            target: target(a),
            format: a.format,
            columns: a.columns.clone(),
            key: a.key.clone(),
            value: a.value.clone(),
            pattern: a.pattern.clone(),
            key_type: a.key_type.clone(),
            compare: a.compare,
            sample: a.sample,
            rate: a.rate,
            fail_below: a.fail_below,
            recheck: a.recheck,
            ttl_tolerance: a.ttl_tolerance,
            show_values: a.show_values,
            batch: a.batch,
        }
    }
}
