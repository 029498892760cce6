//! The one progress-bar constructor: every command's bar or spinner is made here, drawn on
//! stderr only when enabled (`Settings::progress`: stderr is a terminal and no
//! `--no-progress`), hidden otherwise, so cron and CI logs never carry one.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

use crate::units::human_count;

/// A bar of `len` steps (`Some`, above 0) or a spinner (`None`), in `template` (indicatif's
/// syntax, plus `{rate}`: human keys per second), ticking on its own; hidden unless `enabled`.
pub fn new(enabled: bool, len: Option<u64>, template: &str) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(template)
        .expect("a valid progress template")
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{} keys/s", human_count(s.per_sec() as u64));
        });
    let bar = match len {
        Some(n) if n > 0 => ProgressBar::new(n),
        _ => ProgressBar::new_spinner(),
    }
    .with_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_unless_enabled_and_every_template_parses() {
        assert!(new(false, Some(10), "{bar:30}").is_hidden());
        assert!(new(false, None, "{spinner}").is_hidden());
        for t in [
            crate::analyze::PROGRESS_SCAN,
            crate::analyze::PROGRESS_SCAN_FILTERED,
            crate::analyze::offline::PROGRESS_RDB,
            crate::invalidate::runner::PROGRESS,
            crate::warm::PROGRESS_FILE,
            crate::warm::PROGRESS_STREAM,
            crate::verify::PROGRESS,
        ] {
            let b = new(true, Some(5), t);
            b.finish_and_clear();
            let s = new(true, None, t);
            s.finish_and_clear();
        }
    }
}
