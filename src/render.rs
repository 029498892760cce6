//! One renderer for every command: results are data (`Report`), rendered as a table
//! (humanised, for people), CSV (stable snake_case headers, raw numbers) or JSON (serde).

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};
use serde::Serialize;

use crate::cli::{ColorChoice, OutputFormat};

/// comfy-table preset strings: everything blank but the header line and its crossings.
const HEADER_LINE_UTF8: &str = "     ──            ";
const HEADER_LINE_ASCII: &str = "     --            ";

#[derive(Debug, Clone, Copy)]
pub struct RenderCtx {
    pub format: OutputFormat,
    pub color: bool,
    pub tty: bool,
}

impl RenderCtx {
    pub fn new(format: OutputFormat, color: ColorChoice) -> Self {
        let tty = std::io::stdout().is_terminal();
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color_env,
        };
        RenderCtx { format, color, tty }
    }

    /// A table in the house style: no outer borders, header bold, wraps only on a terminal.
    pub fn table(&self, headers: &[&str]) -> Table {
        let mut t = Table::new();
        // only a line under the header (psql style); Unicode on a terminal, ASCII in files
        if self.tty {
            t.load_preset(HEADER_LINE_UTF8);
            // wrap to the terminal only when its width is known and sane (a pty from
            // `script` or some CI runners reports 0 columns)
            if t.width().is_some_and(|w| w >= 40) {
                t.set_content_arrangement(ContentArrangement::Dynamic);
            }
        } else {
            t.load_preset(HEADER_LINE_ASCII);
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t.set_header(headers.iter().map(|h| {
            let c = Cell::new(h);
            if self.color {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        }));
        t
    }

    /// A cell colored by severity word (critical/warning/info, CRIT/WARN/OK).
    pub fn severity_cell(&self, text: &str) -> Cell {
        self.colored_cell(text, text)
    }

    /// `text` colored as the severity word `level` says.
    pub fn colored_cell(&self, text: &str, level: &str) -> Cell {
        let c = Cell::new(text);
        if !self.color {
            return c;
        }
        match level.to_ascii_lowercase().as_str() {
            "critical" | "crit" => c.fg(Color::Red).add_attribute(Attribute::Bold),
            "warning" | "warn" => c.fg(Color::Yellow),
            "ok" => c.fg(Color::Green),
            _ => c.fg(Color::Blue),
        }
    }
}

/// A command's result.
pub trait Report: Serialize {
    /// Human form. May print several tables and short notes.
    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()>;
    /// The main rows as CSV with stable snake_case headers and raw numbers.
    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()>;
    /// Prometheus text exposition; only `report` has one.
    fn write_prometheus(&self, _w: &mut dyn Write) -> Result<()> {
        Err(crate::error::usage(
            "-o prometheus is only for `cachectl report`",
        ))
    }
}

/// Render to stdout. A closed pipe is reported as an io::Error the caller maps to exit 0.
pub fn emit<R: Report>(report: &R, ctx: &RenderCtx) -> Result<()> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    render(report, ctx, &mut lock)?;
    lock.flush().context("writing to stdout")
}

pub fn render<R: Report>(report: &R, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
    match ctx.format {
        OutputFormat::Table => {
            let mut t = TrimTrailing::new(w);
            report.write_table(ctx, &mut t).context("writing table")
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, report).context("writing JSON")?;
            writeln!(w).context("writing JSON")
        }
        OutputFormat::Csv => {
            let mut cw = csv::Writer::from_writer(w);
            report.write_csv(&mut cw).context("writing CSV")?;
            cw.flush().context("writing CSV")
        }
        OutputFormat::Prometheus => report.write_prometheus(w),
    }
}

/// Optional numbers as CSV cells: empty when absent.
pub fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Passes text through, dropping the spaces at the end of each line (comfy-table pads the last
/// column to its width): a copied table row never carries invisible trailing blanks.
pub struct TrimTrailing<'a> {
    inner: &'a mut dyn Write,
    spaces: usize,
}

impl<'a> TrimTrailing<'a> {
    pub fn new(inner: &'a mut dyn Write) -> Self {
        TrimTrailing { inner, spaces: 0 }
    }

    fn emit_spaces(&mut self) -> std::io::Result<()> {
        const BLANKS: [u8; 64] = [b' '; 64];
        while self.spaces > 0 {
            let n = self.spaces.min(BLANKS.len());
            self.inner.write_all(&BLANKS[..n])?;
            self.spaces -= n;
        }
        Ok(())
    }
}

impl Write for TrimTrailing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0;
        for (i, &b) in buf.iter().enumerate() {
            match b {
                b' ' => {
                    self.inner.write_all(&buf[start..i])?;
                    start = i + 1;
                    self.spaces += 1;
                }
                b'\n' => {
                    self.inner.write_all(&buf[start..i])?;
                    start = i;
                    self.spaces = 0;
                }
                _ => {
                    if self.spaces > 0 {
                        self.inner.write_all(&buf[start..i])?;
                        start = i;
                        self.emit_spaces()?;
                    }
                }
            }
        }
        self.inner.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trim(chunks: &[&str]) -> String {
        let mut out = Vec::new();
        {
            let mut t = TrimTrailing::new(&mut out);
            for c in chunks {
                t.write_all(c.as_bytes()).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn trailing_spaces_are_dropped_inner_ones_kept() {
        assert_eq!(trim(&[" a   b   \n c  \n"]), " a   b\n c\n");
        // split across writes, and at the end without a newline
        assert_eq!(trim(&[" a ", "  ", " b", "  \n", "x  "]), " a    b\nx");
        assert_eq!(trim(&["\u{2500}\u{2500}  \n"]), "\u{2500}\u{2500}\n");
    }
}
