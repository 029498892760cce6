//! One renderer for every command: results are data (`Report`), rendered as a table
//! (humanised, for people), CSV (stable snake_case headers, raw numbers) or JSON (serde).
//! Tables fit the terminal (`table.rs`); piped output keeps every column.

pub mod column;
pub mod progress;
pub mod table;

#[cfg(test)]
mod snapshots;

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use serde::Serialize;

pub use column::{Column, Columns, Value, AUTO};
pub use table::{Cell, Table, Tone};

/// `--wide`: set once from the command line, before anything is rendered.
static WIDE: AtomicBool = AtomicBool::new(false);

/// `--wide`: tables show every column in full even on a terminal.
pub fn set_wide(wide: bool) {
    WIDE.store(wide, Ordering::Relaxed);
}

/// `-o`: how results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    /// Prometheus text exposition: `report` only (node_exporter's textfile collector), so it
    /// is listed in `report --help`, not here
    #[value(hide = true)]
    Prometheus,
}

/// `--color`: when to use colors (NO_COLOR is honoured by `Auto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy)]
pub struct RenderCtx {
    pub format: Format,
    pub color: bool,
    pub tty: bool,
    /// The terminal's width, when tables must fit one: stdout is a terminal and no `--wide`.
    pub width: Option<usize>,
}

/// The width of the terminal on stdout: `$COLUMNS` when set (shells export it, tests set it),
/// else the kernel's (`TIOCGWINSZ`); 80 when neither knows (a pty from `script` reports 0).
pub fn terminal_width() -> usize {
    if let Some(c) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20)
    {
        return c;
    }
    // SAFETY: TIOCGWINSZ fills a winsize struct we own; the fd is stdout's.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) };
    if rc == 0 && ws.ws_col >= 20 {
        ws.ws_col as usize
    } else {
        80
    }
}

impl RenderCtx {
    pub fn new(format: Format, color: Color) -> Self {
        let tty = std::io::stdout().is_terminal();
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => tty && !no_color_env,
        };
        let width = (tty && !WIDE.load(Ordering::Relaxed)).then(terminal_width);
        RenderCtx {
            format,
            color,
            tty,
            width,
        }
    }

    /// A table in the house style: a header, a rule under it (Unicode on a terminal, ASCII
    /// in files), one line per row, fitted to the terminal (see `table.rs`).
    pub fn table(&self, headers: &[&str]) -> Table {
        Table::new(headers, self.width, self.color, self.tty)
    }

    /// One line of a list (sample keys): on a terminal, shortened with `…` in the middle to
    /// its width, never wrapped; unchanged when piped.
    pub fn fit_line(&self, line: &str) -> String {
        match self.width {
            Some(w) if table::width(line) > w => table::shorten_middle(line, w),
            _ => line.to_string(),
        }
    }

    /// Prose (summaries, notes) for the terminal: wrapped at word boundaries to its width;
    /// unchanged when piped.
    pub fn prose(&self, text: &str) -> String {
        match self.width {
            None => text.to_string(),
            Some(w) => text
                .split('\n')
                .map(|para| {
                    let indent: String = para.chars().take_while(|c| *c == ' ').collect();
                    table::wrap_words(para, w.saturating_sub(indent.len()).max(20))
                        .into_iter()
                        .map(|l| format!("{indent}{l}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// A cell colored by severity word (critical/warning/info, CRIT/WARN/OK).
    pub fn severity_cell(&self, text: &str) -> Cell {
        self.colored_cell(text, text)
    }

    /// `text` colored as the severity word `level` says.
    pub fn colored_cell(&self, text: &str, level: &str) -> Cell {
        let mut c = Cell::new(text);
        if !self.color {
            return c;
        }
        c.tone = match level.to_ascii_lowercase().as_str() {
            "critical" | "crit" => Tone::Red,
            "warning" | "warn" => Tone::Yellow,
            "ok" => Tone::Green,
            _ => Tone::Blue,
        };
        c
    }
}

/// A command's result.
pub trait Report: Serialize {
    /// How the run ended: the one value the exit code, the stderr line and the `status`
    /// field all come from (SPEC §1 "One outcome per run"; `lib::exit` ends the process by it).
    fn outcome(&self) -> crate::error::Outcome;
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
        Format::Table => {
            let mut t = TrimTrailing::new(w);
            report.write_table(ctx, &mut t).context("writing table")
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, report).context("writing JSON")?;
            writeln!(w).context("writing JSON")
        }
        Format::Csv => {
            let mut cw = csv::Writer::from_writer(w);
            report.write_csv(&mut cw).context("writing CSV")?;
            cw.flush().context("writing CSV")
        }
        Format::Prometheus => report.write_prometheus(w),
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
