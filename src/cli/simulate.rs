//! `simulate stampede`: flags → `simulate::Options` (`--strategy` was parsed by clap).

use super::StampedeArgs;
use crate::simulate::Options;

impl From<&StampedeArgs> for Options {
    fn from(a: &StampedeArgs) -> Self {
        Options {
            clients: a.clients,
            rate: a.rate,
            duration: a.duration,
            ttl: a.ttl,
            recompute: a.recompute,
            recompute_dist: a.recompute_dist,
            strategies: a.strategy.0.clone(),
            beta: a.beta,
            nodes: a.nodes,
            keys: a.keys,
            ttl_jitter: a.ttl_jitter,
            seed: a.seed,
            cold: a.cold,
            live: a.live,
        }
    }
}
