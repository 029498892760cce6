//! `--watch`: a frame per window, drawn as it comes.

use std::io::Write;

use anyhow::Result;

use super::columns::{lines, node_columns};
use super::window::sparkline;
use super::{ReportOut, Window};
use crate::render::Format;
use crate::render::RenderCtx;

/// `--watch`: each frame as it comes, in the output format. A table is redrawn in place on a
/// terminal (appended when piped), under a sparkline of the hit rate; CSV prints its header
/// once and then each window's rows; JSON one object per line (a single-window report);
/// Prometheus one exposition per window, blank-line separated.
pub(super) struct Frames {
    ctx: RenderCtx,
    csv_header: bool,
    /// the hit rate of every window so far (the sparkline shows the last 60)
    history: Vec<Option<f64>>,
}

impl Frames {
    pub fn new(ctx: RenderCtx) -> Frames {
        Frames {
            ctx,
            csv_header: false,
            history: Vec::new(),
        }
    }

    /// The first frame, at once: lifetime counters while the first window runs (it is not
    /// in the hit-rate history).
    pub fn first(&mut self, out: &ReportOut, w: &Window) -> Result<()> {
        self.draw(out, w)
    }

    /// A window's frame, its hit rate added to the history first.
    pub fn window(&mut self, out: &ReportOut, w: &Window) -> Result<()> {
        self.history.push(w.total.hit_rate_pct);
        self.draw(out, w)
    }

    fn draw(&mut self, out: &ReportOut, w: &Window) -> Result<()> {
        let single = ReportOut {
            url: out.url.clone(),
            cluster: out.cluster,
            eviction_policy: out.eviction_policy.clone(),
            patterns: out.patterns.clone(),
            windows: vec![w.clone()],
            status: w.status,
            failed_check: None,
            interrupted: false,
        };
        let mut buf: Vec<u8> = Vec::new();
        match self.ctx.format {
            Format::Table => {
                if self.ctx.tty {
                    write!(buf, "\x1b[2J\x1b[H")?;
                } else if w.window > 0 {
                    writeln!(buf)?;
                }
                let rate = w.total.hit_rate_pct.map_or("-".into(), |h| format!("{h}%"));
                writeln!(
                    buf,
                    "hit rate {}  {rate}{}  (Ctrl-C to stop)",
                    sparkline(&self.history[self.history.len().saturating_sub(60)..]),
                    if w.basis == "lifetime" {
                        " lifetime, first window in progress"
                    } else {
                        ""
                    }
                )?;
                crate::render::render(&single, &self.ctx, &mut buf)?;
            }
            Format::Csv => {
                let cols = node_columns();
                let mut cw = csv::Writer::from_writer(&mut buf);
                if !self.csv_header {
                    cw.write_record(cols.csv_header())?;
                    self.csv_header = true;
                }
                cols.write_csv_rows(&mut cw, &lines(w))?;
                cw.flush()?;
            }
            Format::Json => {
                serde_json::to_writer(&mut buf, &single)?;
                writeln!(buf)?;
            }
            Format::Prometheus => {
                if w.window > 0 {
                    writeln!(buf)?;
                }
                crate::render::render(&single, &self.ctx, &mut buf)?;
            }
        }
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&buf)?;
        stdout.flush()?;
        Ok(())
    }
}
