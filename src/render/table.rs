//! Tables that fit the terminal they are drawn on (SPEC §1).
//!
//! A row is always one line: cells are never wrapped, numbers are never split. When the table is
//! wider than the terminal, in this order:
//! 1. shortenable columns (keys, patterns, examples) give up width down to a comfortable
//!    minimum, shortened with `…` in the middle (`user_profile:v1:…:preferences`);
//! 2. columns are dropped, least important first (by priority; by default the rightmost);
//! 3. shortenable columns shrink down to a hard minimum;
//! 4. more columns are dropped, down to the first one; as a last resort a line is cut.
//!
//! Space left over goes back to the shortened columns. The last column may instead be prose
//! (`wrap_last`): it is wrapped at word boundaries under itself, never cut.
//! Without a width (output is not a terminal, or `--wide`) every column is shown in full.
//!
//! [`fit`] is the pure part: column widths in, a layout out.

use std::fmt;

use unicode_width::UnicodeWidthStr;

/// Spaces between columns.
pub const GAP: usize = 2;
/// A shortenable column keeps at least this many characters while others can still be dropped.
pub const COMFORTABLE: usize = 28;
/// ... and at least this many in any case.
pub const HARD_MIN: usize = 12;

/// How the cell is colored on a color terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Red,
    Yellow,
    Green,
    Blue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub tone: Tone,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            tone: Tone::Plain,
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::new(s)
    }
}
impl From<&String> for Cell {
    fn from(s: &String) -> Self {
        Cell::new(s.clone())
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::new(s)
    }
}
impl From<comfy_table::Cell> for Cell {
    fn from(c: comfy_table::Cell) -> Self {
        Cell::new(c.content())
    }
}

/// Display width of a cell's text (East Asian wide characters count 2).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` without its color escapes (SGR, `ESC [ … m`): the text a terminal shows.
pub fn strip_sgr(s: &str) -> String {
    if !s.contains('\x1b') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for f in chars.by_ref() {
                if ('@'..='~').contains(&f) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` in at most `w` columns, the middle replaced by `…` when it does not fit: both ends of a
/// key or pattern carry meaning (`cache:response:08f9…7e0d78`).
pub fn shorten_middle(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let budget = w - 1; // the ellipsis
    let head_w = budget.div_ceil(2);
    let tail_w = budget - head_w;
    let mut head = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]));
        if used + cw > head_w {
            break;
        }
        used += cw;
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let cw = width(c.encode_utf8(&mut [0; 4]));
        if used + cw > tail_w {
            break;
        }
        used += cw;
        tail.push(c);
    }
    tail.reverse();
    format!("{head}…{}", tail.into_iter().collect::<String>())
}

/// Greedy word wrap of prose to `w` columns (a word longer than `w` gets a line of its own).
pub fn wrap_words(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    // a number and its unit stay on one line ("79.7 KiB", "450 ms")
    const UNITS: [&str; 8] = ["B", "KiB", "MiB", "GiB", "TiB", "ms", "s", "%"];
    let mut words: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        let unit = UNITS.contains(&word.trim_end_matches([',', '.', ';', ':', ')']));
        match words.last_mut() {
            Some(prev) if unit && prev.ends_with(|c: char| c.is_ascii_digit()) => {
                prev.push(' ');
                prev.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    for word in words.iter().map(String::as_str) {
        // a word wider than the line (a long key) is shortened in the middle, not let out
        let short;
        let word = if width(word) > w {
            short = shorten_middle(word, w);
            short.as_str()
        } else {
            word
        };
        if !line.is_empty() && width(&line) + 1 + width(word) > w {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// What [`fit`] needs to know about a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Widest cell, header included.
    pub natural: usize,
    /// The header's width: a column is never narrower.
    pub header: usize,
    /// Lower is more important; 0 is never dropped.
    pub priority: u32,
    /// May be shortened with `…` (keys, patterns).
    pub shorten: bool,
    /// Prose, wrapped under itself (only the last column).
    pub wrap: bool,
}

/// The columns to show, in table order, with their widths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub shown: Vec<usize>,
    pub widths: Vec<usize>,
}

fn total(widths: &[usize]) -> usize {
    widths.iter().sum::<usize>() + GAP * widths.len().saturating_sub(1)
}

/// Choose columns and widths for a terminal `width` columns wide (`None`: everything, in full).
///
/// Every way of dropping the least important columns (1, 2, … of them, by priority) is
/// tried with the shortenable columns at their comfortable minimum; the room left goes back to
/// them, most important first. The layout that loses least wins: dropping a column costs
/// `1 / (1 + priority)`, shortening one costs twice that times the fraction cut off. So a key
/// column is kept whole when dropping a minor column is enough, and shortened when only
/// important columns could make room.
pub fn fit(cols: &[ColumnSpec], width: Option<usize>) -> Layout {
    let all: Vec<usize> = (0..cols.len()).collect();
    let Some(limit) = width else {
        return Layout {
            widths: cols.iter().map(|c| c.natural).collect(),
            shown: all,
        };
    };
    let floor = |c: &ColumnSpec, min: usize| -> usize {
        if c.shorten {
            c.natural.min(min.max(c.header))
        } else if c.wrap {
            c.natural.min(COMFORTABLE.max(c.header))
        } else {
            c.natural
        }
    };
    let weight = |i: usize| 1.0 / (1.0 + cols[i].priority as f64);
    // widths at `min`, then the spare room back to the shortened columns, most important first
    let layout_at = |shown: &[usize], min: usize| -> Vec<usize> {
        let mut widths: Vec<usize> = shown.iter().map(|&i| floor(&cols[i], min)).collect();
        let mut spare = limit.saturating_sub(total(&widths));
        let mut by_importance: Vec<usize> = (0..shown.len()).collect();
        by_importance.sort_by_key(|&k| (cols[shown[k]].priority, k));
        for k in by_importance {
            let want = cols[shown[k]].natural.saturating_sub(widths[k]);
            let give = want.min(spare);
            widths[k] += give;
            spare -= give;
        }
        widths
    };
    let cost = |shown: &[usize], widths: &[usize]| -> f64 {
        let dropped: f64 = all
            .iter()
            .filter(|i| !shown.contains(i))
            .map(|&i| weight(i))
            .sum();
        let cut: f64 = shown
            .iter()
            .zip(widths)
            .filter(|(&i, &w)| w < cols[i].natural && !cols[i].wrap)
            .map(|(&i, &w)| {
                2.0 * weight(i) * (cols[i].natural - w) as f64 / cols[i].natural.max(1) as f64
            })
            .sum();
        dropped + cut
    };
    // drop order: highest priority number first, rightmost first among equals; never a
    // column of priority 0
    let mut order: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| cols[i].priority > 0)
        .collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(cols[i].priority), std::cmp::Reverse(i)));

    let mut best: Option<(f64, Vec<usize>, Vec<usize>)> = None;
    for k in 0..=order.len() {
        let shown: Vec<usize> = all
            .iter()
            .copied()
            .filter(|i| !order[..k].contains(i))
            .collect();
        let widths = layout_at(&shown, COMFORTABLE);
        if total(&widths) > limit {
            continue;
        }
        let c = cost(&shown, &widths);
        if best.as_ref().is_none_or(|(bc, _, _)| c < *bc - 1e-9) {
            best = Some((c, shown, widths));
        }
    }
    let (mut shown, mut widths) = match best {
        Some((_, s, w)) => (s, w),
        None => {
            // only essential columns left: shrink harder, then drop even those, keeping the
            // first
            let mut shown: Vec<usize> =
                all.iter().copied().filter(|i| !order.contains(i)).collect();
            loop {
                let w = layout_at(&shown, HARD_MIN);
                if total(&w) <= limit || shown.len() == 1 {
                    break (shown, w);
                }
                shown.pop();
            }
        }
    };
    // a column dropped for its priority may still fit in what is left: take it back, most
    // important first (a narrow one can follow a wide one that had to go)
    let mut dropped: Vec<usize> = all.iter().copied().filter(|i| !shown.contains(i)).collect();
    dropped.sort_by_key(|&i| (cols[i].priority, i));
    for i in dropped {
        let w = cols[i].natural;
        if total(&widths) + GAP + w <= limit {
            let at = shown.partition_point(|&j| j < i);
            shown.insert(at, i);
            widths.insert(at, w);
        }
    }
    // a single column wider than the terminal: cut it to fit
    if shown.len() == 1 && widths[0] > limit {
        widths[0] = limit;
    }
    Layout { shown, widths }
}

/// A table in the house style: a header, a rule under it, one line per row, no borders.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
    priority: Vec<u32>,
    shorten: Vec<bool>,
    wrap_last: bool,
    width: Option<usize>,
    color: bool,
    utf8: bool,
}

impl Table {
    pub fn new(headers: &[&str], width: Option<usize>, color: bool, utf8: bool) -> Table {
        let n = headers.len();
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            // default: the first column stays, then the rightmost go first
            priority: (0..n as u32).collect(),
            shorten: headers.iter().map(|h| shortenable_header(h)).collect(),
            wrap_last: false,
            width,
            color,
            utf8,
        }
    }

    pub fn add_row<I, C>(&mut self, row: I) -> &mut Self
    where
        I: IntoIterator<Item = C>,
        C: Into<Cell>,
    {
        let mut cells: Vec<Cell> = row.into_iter().map(Into::into).collect();
        cells.resize(self.headers.len(), Cell::new(""));
        self.rows.push(cells);
        self
    }

    /// Column priorities, in column order: lower is more important, 0 is never dropped.
    pub fn priorities(&mut self, p: &[u32]) -> &mut Self {
        for (slot, v) in self.priority.iter_mut().zip(p) {
            *slot = *v;
        }
        self
    }

    /// Mark a column as shortenable with `…` in the middle (keys, patterns).
    pub fn shorten(&mut self, col: usize, yes: bool) -> &mut Self {
        if let Some(s) = self.shorten.get_mut(col) {
            *s = yes;
        }
        self
    }

    /// The last column is prose: wrapped at word boundaries under itself rather than cut.
    pub fn wrap_last(&mut self) -> &mut Self {
        self.wrap_last = true;
        self
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn specs(&self) -> Vec<ColumnSpec> {
        let n = self.headers.len();
        (0..n)
            .map(|i| {
                let header = width(&self.headers[i]);
                let natural = self
                    .rows
                    .iter()
                    .map(|r| width(&r[i].text))
                    .max()
                    .unwrap_or(0)
                    .max(header);
                ColumnSpec {
                    natural,
                    header,
                    priority: self.priority[i],
                    shorten: self.shorten[i],
                    wrap: self.wrap_last && i + 1 == n,
                }
            })
            .collect()
    }

    /// The table as lines, without trailing spaces.
    pub fn lines(&self) -> Vec<String> {
        let specs = self.specs();
        let layout = fit(&specs, self.width);
        let mut out = Vec::new();
        let header: Vec<Cell> = self.headers.iter().map(|h| Cell::new(h.as_str())).collect();
        out.extend(self.render_row(&header, &layout, &specs, true));
        let rule_w = total(&layout.widths);
        out.push(if self.utf8 { "─" } else { "-" }.repeat(rule_w));
        for r in &self.rows {
            out.extend(self.render_row(r, &layout, &specs, false));
        }
        out
    }

    fn render_row(
        &self,
        row: &[Cell],
        layout: &Layout,
        specs: &[ColumnSpec],
        header: bool,
    ) -> Vec<String> {
        let mut line = String::new();
        // where the line has got to on the screen: `line` holds color escapes, which take
        // no room (counting them put wrapped findings 9 columns right of MESSAGE)
        let mut at = 0;
        let mut extra: Vec<String> = Vec::new();
        let mut indent = 0;
        for (k, (&i, &w)) in layout.shown.iter().zip(&layout.widths).enumerate() {
            let last = k + 1 == layout.shown.len();
            let cell = &row[i];
            let text = if specs[i].wrap && !header {
                let mut parts = wrap_words(&cell.text, w);
                let first = parts.remove(0);
                extra = parts;
                first
            } else if specs[i].shorten || specs[i].wrap || width(&cell.text) > w {
                shorten_middle(&cell.text, w)
            } else {
                cell.text.clone()
            };
            if k > 0 {
                line.push_str(&" ".repeat(GAP));
                at += GAP;
            }
            indent = at;
            let pad = if last {
                0
            } else {
                w.saturating_sub(width(&text))
            };
            line.push_str(&self.paint(&text, cell.tone, header));
            line.push_str(&" ".repeat(pad));
            at += width(&text) + pad;
        }
        let mut lines = vec![line.trim_end().to_string()];
        for e in extra {
            lines.push(format!("{}{e}", " ".repeat(indent)));
        }
        // never wider than the terminal, even in the last resort (a line cut there loses
        // its colors rather than a color's end)
        if let Some(limit) = self.width {
            for l in &mut lines {
                let plain = strip_sgr(l);
                if width(&plain) > limit {
                    *l = shorten_middle(&plain, limit);
                }
            }
        }
        lines
    }

    fn paint(&self, text: &str, tone: Tone, header: bool) -> String {
        if !self.color || text.is_empty() {
            return text.to_string();
        }
        let code = match (header, tone) {
            (true, _) => "1",
            (_, Tone::Plain) => return text.to_string(),
            (_, Tone::Red) => "1;31",
            (_, Tone::Yellow) => "33",
            (_, Tone::Green) => "32",
            (_, Tone::Blue) => "34",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = self.lines();
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{l}")?;
        }
        Ok(())
    }
}

/// Columns shortened by default, by their header: keys, patterns and similar names.
fn shortenable_header(h: &str) -> bool {
    matches!(
        h,
        "PATTERN" | "KEY" | "EXAMPLE" | "SELECTOR" | "METRICS KEY" | "FILE" | "SCOPE"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_keeps_its_unit() {
        let lines = wrap_words("memory is at 79.7 KiB of the limit", 16);
        assert!(lines.iter().any(|l| l.contains("79.7 KiB")), "{lines:?}");
        let lines = wrap_words("rebuild takes 450 ms, then", 17);
        assert!(lines.iter().any(|l| l.contains("450 ms,")), "{lines:?}");
    }

    fn spec(natural: usize, priority: u32, shorten: bool) -> ColumnSpec {
        ColumnSpec {
            natural,
            header: 4,
            priority,
            shorten,
            wrap: false,
        }
    }

    #[test]
    fn shorten_keeps_both_ends() {
        assert_eq!(shorten_middle("abcdefghij", 10), "abcdefghij");
        assert_eq!(shorten_middle("abcdefghij", 7), "abc…hij");
        assert_eq!(shorten_middle("abcdefghij", 6), "abc…ij");
        assert_eq!(width(&shorten_middle("plan_catalog:v1:plan_2298", 12)), 12);
        assert_eq!(shorten_middle("日本語のキー", 7), "日…ー");
    }

    #[test]
    fn wrap_breaks_at_words() {
        assert_eq!(
            wrap_words("5000 of 5000 keys have no TTL", 12),
            ["5000 of 5000", "keys have no", "TTL"]
        );
        assert_eq!(wrap_words("", 5), [""]);
        // a key wider than the line (verify's status line at 80 columns) is shortened in
        // the middle: no line is wider than asked
        let key = format!("tenant:acme:catalog:product:{}1", "x".repeat(110));
        let text = format!("status: check-failed (1 stale of 3 checked; e.g. {key})");
        let lines = wrap_words(&text, 80);
        assert!(lines.iter().all(|l| width(l) <= 80), "{lines:#?}");
        assert!(lines
            .iter()
            .any(|l| l.starts_with("tenant:acme:") && l.contains('…')));
    }

    #[test]
    fn everything_without_a_width() {
        let cols = [spec(30, 0, true), spec(10, 1, false), spec(50, 2, true)];
        let l = fit(&cols, None);
        assert_eq!(l.shown, [0, 1, 2]);
        assert_eq!(l.widths, [30, 10, 50]);
    }

    #[test]
    fn drops_minor_columns_or_shortens_whichever_loses_less() {
        // 30 + 10 + 50 + 4 gaps = 94: a little shortening of the two long columns fits 80
        let cols = [spec(30, 0, true), spec(10, 1, false), spec(50, 2, true)];
        let l = fit(&cols, Some(80));
        assert_eq!(l.shown, [0, 1, 2]);
        assert!(total(&l.widths) <= 80);
        assert_eq!(
            l.widths[0], 30,
            "the most important column gets its room back first"
        );
        assert_eq!(l.widths[1], 10, "numbers keep their width");
        // a key column stays whole when dropping a minor column is enough (big keys table)
        let cols = [
            spec(55, 0, true),
            spec(6, 2, false),
            spec(8, 1, false),
            spec(4, 3, false),
            spec(48, 4, true),
        ];
        let l = fit(&cols, Some(80));
        assert_eq!(l.shown, [0, 1, 2, 3]);
        assert_eq!(l.widths[0], 55);
        // narrower: the least important column goes, the rest get their room back
        let cols = [spec(30, 0, true), spec(10, 1, false), spec(50, 2, true)];
        let l = fit(&cols, Some(50));
        assert_eq!(l.shown, [0, 1]);
        assert_eq!(l.widths, [30, 10]);
        // priorities decide, not position
        let cols = [spec(30, 0, true), spec(10, 3, false), spec(20, 1, false)];
        assert_eq!(fit(&cols, Some(55)).shown, [0, 2]);
    }

    #[test]
    fn numbers_are_never_narrowed_only_dropped() {
        let cols: Vec<ColumnSpec> = (0..12).map(|i| spec(9, i, false)).collect();
        for w in [40, 80, 100, 120] {
            let l = fit(&cols, Some(w));
            assert!(l.widths.iter().all(|&x| x == 9), "{w}: {l:?}");
            assert!(total(&l.widths) <= w);
        }
    }

    #[test]
    fn a_lone_first_column_is_cut_to_the_terminal() {
        let cols = [spec(200, 0, false)];
        let l = fit(&cols, Some(80));
        assert_eq!(l.widths, [80]);
    }

    fn table(width: Option<usize>) -> Table {
        let mut t = Table::new(
            &["PATTERN", "KEYS", "MEMORY", "EXAMPLE"],
            width,
            false,
            false,
        );
        t.add_row([
            "cache:response:*",
            "5,000",
            "1.4 MiB",
            "cache:response:08f90c1a417155361a5c4b8d297e0d78",
        ]);
        t.add_row([
            "user_profile:v1:user_*:preferences",
            "149,907",
            "12.0 MiB",
            "user_profile:v1:user_4308:preferences",
        ]);
        t
    }

    #[test]
    fn rows_stay_one_line_and_fit() {
        for w in [40, 60, 80, 120] {
            let lines = table(Some(w)).lines();
            assert_eq!(lines.len(), 4, "{w}: {lines:#?}");
            for l in &lines {
                assert!(width(l) <= w, "{w}: {l}");
                assert!(!l.ends_with(' '));
            }
            // numbers whole, or not there at all
            let body = lines.join("\n");
            assert!(
                !body.contains("149,90\n") && !body.contains("49,907") || body.contains("149,907")
            );
        }
        let wide = table(None).lines();
        assert!(wide[3].ends_with("user_profile:v1:user_4308:preferences"));
    }

    #[test]
    fn colored_prose_wraps_under_its_column_and_fits() {
        // a colored severity takes no room: wrapped lines sit under MESSAGE (they were 9
        // columns right of it, 88 wide at 80)
        let mut t = Table::new(&["SEVERITY", "PATTERN", "MESSAGE"], Some(80), true, true);
        t.priorities(&[0, 0, 0]).wrap_last();
        t.add_row([
            Cell {
                text: "warning".into(),
                tone: Tone::Yellow,
            },
            Cell::new("legacy_recommendation_engine:v2:user_*:items:region_*:segment_premium"),
            Cell::new("150 of 150 keys have no TTL: they never expire and are evicted only under allkeys-* policies"),
        ]);
        let lines: Vec<String> = t.lines().iter().map(|l| strip_sgr(l)).collect();
        let indent = lines[0].find("MESSAGE").unwrap();
        assert!(lines.len() > 3, "{lines:#?}");
        for l in &lines[3..] {
            assert_eq!(l.len() - l.trim_start().len(), indent, "{lines:#?}");
        }
        assert!(lines.iter().all(|l| width(l) <= 80), "{lines:#?}");
        assert_eq!(strip_sgr("\x1b[1;31mcritical\x1b[0m x"), "critical x");
    }

    #[test]
    fn prose_wraps_under_its_column() {
        let mut t = Table::new(&["SEVERITY", "PATTERN", "MESSAGE"], Some(50), false, true);
        t.wrap_last();
        t.add_row([
            "warning",
            "session:*",
            "all 5000 TTLs end within the same minute: add TTL jitter",
        ]);
        let lines = t.lines();
        assert!(lines.len() > 3, "{lines:#?}");
        let indent = lines[0].find("MESSAGE").unwrap();
        assert!(lines[3].starts_with(&" ".repeat(indent)));
        assert!(lines.iter().all(|l| width(l) <= 50));
    }
}
