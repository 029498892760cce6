//! `analyze`: flags → `analyze::Options`.

use super::AnalyzeArgs;
use crate::analyze::Options;

impl From<&AnalyzeArgs> for Options {
    fn from(a: &AnalyzeArgs) -> Self {
        Options {
            pattern: a.pattern.clone(),
            key_type: a.key_type.clone(),
            sample: a.sample,
            scan_count: a.scan_count,
            rate: a.rate,
            top: a.top,
            separators: a.separators.clone(),
            big_keys: a.big_keys,
            rdb: a.more.rdb.clone(),
            rdb_sync: a.more.rdb_sync,
            detail: a.more.detail,
            diff: a.more.diff.clone(),
            values: a.more.values,
        }
    }
}
