//! `invalidate`: flags → `invalidate::Options` (the selector subcommand → `Selector`).

use super::{InvalidateArgs, SelectorArgs};
use crate::invalidate::{Options, Selector};

impl From<&SelectorArgs> for Selector {
    fn from(s: &SelectorArgs) -> Self {
        match s.clone() {
            SelectorArgs::Keys { keys, from_file } => Selector::Keys { keys, from_file },
            SelectorArgs::Pattern { globs } => Selector::Pattern { globs },
            SelectorArgs::Prefix { prefixes } => Selector::Prefix { prefixes },
            SelectorArgs::Tag {
                tags,
                tag_format,
                key_prefix,
                tag_prefix,
            } => Selector::Tag {
                tags,
                tag_format,
                key_prefix,
                tag_prefix,
            },
            SelectorArgs::Namespace { name } => Selector::Namespace { name },
        }
    }
}

impl From<&InvalidateArgs> for Options {
    fn from(a: &InvalidateArgs) -> Self {
        Options {
            selector: (&a.selector).into(),
            dry_run: a.dry_run,
            max_keys: a.max_keys,
            yes: a.yes,
            all: a.all,
            require_match: a.require_match,
            soft: a.soft,
            publish: a.publish.clone(),
            audit_log: a.audit_log.clone(),
            rate: a.rate,
            batch: a.batch,
            verify: a.verify,
        }
    }
}
