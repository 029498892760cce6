//! `recommend`: flags → `recommend::Options`.

use super::RecommendArgs;
use crate::recommend::Options;

impl From<&RecommendArgs> for Options {
    fn from(a: &RecommendArgs) -> Self {
        Options {
            namespace: a.namespace.clone(),
            read_write_ratio: a.read_write_ratio,
            consistency: a.consistency,
            update_interval: a.update_interval,
            staleness: a.staleness,
            access: a.access,
            recompute: a.recompute,
            observe: a.observe,
            observe_window: a.observe_window.unwrap_or_default(),
        }
    }
}
