//! `demo`: flags → `commands::demo::Options`.

use super::DemoArgs;
use crate::commands::demo::Options;

impl From<&DemoArgs> for Options {
    fn from(a: &DemoArgs) -> Self {
        Options {
            keep: a.keep,
            explain: a.explain,
        }
    }
}
