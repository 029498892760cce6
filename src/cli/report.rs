//! `report`: flags → `report::Options`.

use super::ReportArgs;
use crate::report::Options;

impl From<&ReportArgs> for Options {
    fn from(a: &ReportArgs) -> Self {
        Options {
            interval: a.interval,
            count: a.count,
            watch: a.watch,
            latency_samples: a.latency_samples,
            fail_on: a.fail_on,
            append: a.append.clone(),
            since: a.since.clone(),
            patterns: a.patterns,
            sample_reads_pct: a.sample_reads,
            events: a.events,
            burst_misses: a.burst_misses,
            monitor_budget: a.monitor_budget.is_finite().then_some(a.monitor_budget),
            ..Options::default()
        }
    }
}
