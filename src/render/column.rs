//! Columns declared once per result: each [`Column`] knows its CSV name, its table header, its
//! raw value (CSV, Prometheus) and its human cell (table), so the table, the CSV and the
//! Prometheus gauges of a result are generated from one list and cannot drift.
//!
//! ```ignore
//! let mut c = Columns::<Row>::new();
//! c.col("keys", "KEYS", 1, |r| r.keys, |r, _| human_count(r.keys));
//! c.csv_only("rationale", |r| r.rationale.clone());
//! let table = c.table(ctx, &rows);
//! c.write_csv(w, &rows)?;
//! ```
//!
//! JSON stays serde: unit tests beside each report check that its CSV names are its JSON keys.

use std::io::Write;

use anyhow::Result;

use super::{Cell, RenderCtx, Table};

/// A raw value: what CSV prints (numbers unhumanised, absent as an empty cell) and what a
/// Prometheus gauge reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    UInt(u64),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Value {
    /// The CSV cell: `Display` of the raw value, empty when absent.
    pub fn csv(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::UInt(v) => v.to_string(),
            Value::Int(v) => v.to_string(),
            Value::Float(v) => v.to_string(),
            Value::Bool(v) => v.to_string(),
        }
    }

    /// The value as a gauge, when it is a number.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::UInt(v) => Some(*v as f64),
            Value::Int(v) => Some(*v as f64),
            Value::Float(v) => Some(*v),
            _ => None,
        }
    }
}

macro_rules! value_from {
    ($($t:ty => $v:ident as $as:ty),*) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$v(v as $as)
            }
        })*
    };
}
value_from!(u64 => UInt as u64, u32 => UInt as u64, u8 => UInt as u64, usize => UInt as u64,
    i64 => Int as i64, f64 => Float as f64);

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Empty, Into::into)
    }
}

/// Table priority: the column's position among the shown table columns (the table's default:
/// the first stays, the rightmost go first).
pub const AUTO: u32 = u32::MAX;

type ValueFn<'a, R> = Box<dyn Fn(&R) -> Value + 'a>;
type HumanFn<'a, R> = Box<dyn Fn(&R, &RenderCtx) -> Cell + 'a>;
type GaugeFn<'a, R> = Box<dyn Fn(&R) -> Option<f64> + 'a>;

/// A Prometheus gauge drawn from a column.
struct Metric<'a, R> {
    name: &'static str,
    help: &'static str,
    /// Overrides the column's value (a status word as its number).
    gauge: Option<GaugeFn<'a, R>>,
}

/// One column of a result.
pub struct Column<'a, R> {
    /// CSV header (stable snake_case); empty: table only.
    pub csv: &'static str,
    /// Table header; empty: CSV only.
    pub header: &'static str,
    /// Table priority: lower is more important, 0 is never dropped, [`AUTO`] by position.
    pub priority: u32,
    /// Drawn in the table (a column shown only when some row needs it).
    pub in_table: bool,
    /// In the table, drawn just before the column with this header (when the table order
    /// differs from the CSV order).
    pub table_before: Option<&'static str>,
    value: Option<ValueFn<'a, R>>,
    human: Option<HumanFn<'a, R>>,
    metric: Option<Metric<'a, R>>,
}

impl<R> Column<'_, R> {
    pub fn value(&self, r: &R) -> Value {
        self.value.as_ref().map_or(Value::Empty, |f| f(r))
    }

    pub fn human(&self, r: &R, ctx: &RenderCtx) -> Cell {
        match &self.human {
            Some(f) => f(r, ctx),
            None => Cell::new(self.value(r).csv()),
        }
    }
}

/// The columns of one kind of row, in CSV order.
pub struct Columns<'a, R> {
    cols: Vec<Column<'a, R>>,
    wrap_last: bool,
}

impl<R> Default for Columns<'_, R> {
    fn default() -> Self {
        Columns {
            cols: Vec::new(),
            wrap_last: false,
        }
    }
}

impl<'a, R> Columns<'a, R> {
    pub fn new() -> Self {
        Self::default()
    }

    /// A column in both the table and the CSV.
    pub fn col<V, H, C>(
        &mut self,
        csv: &'static str,
        header: &'static str,
        priority: u32,
        value: impl Fn(&R) -> V + 'a,
        human: H,
    ) -> &mut Self
    where
        V: Into<Value>,
        H: Fn(&R, &RenderCtx) -> C + 'a,
        C: Into<Cell>,
    {
        self.cols.push(Column {
            csv,
            header,
            priority,
            in_table: true,
            table_before: None,
            value: Some(Box::new(move |r| value(r).into())),
            human: Some(Box::new(move |r, ctx| human(r, ctx).into())),
            metric: None,
        });
        self
    }

    /// A column in both, its table cell the raw value as text.
    pub fn plain<V: Into<Value>>(
        &mut self,
        csv: &'static str,
        header: &'static str,
        priority: u32,
        value: impl Fn(&R) -> V + 'a,
    ) -> &mut Self {
        self.cols.push(Column {
            csv,
            header,
            priority,
            in_table: true,
            table_before: None,
            value: Some(Box::new(move |r| value(r).into())),
            human: None,
            metric: None,
        });
        self
    }

    /// A count: raw in CSV, `1,234,567` in the table; an absent value (`None`) is empty in both.
    pub fn count<V: Into<Option<u64>>>(
        &mut self,
        csv: &'static str,
        header: &'static str,
        priority: u32,
        get: impl Fn(&R) -> V + 'a,
    ) -> &mut Self {
        self.number(csv, header, priority, get, crate::units::human_count)
    }

    /// A size in bytes: raw in CSV, `1.5 KiB` in the table.
    pub fn bytes<V: Into<Option<u64>>>(
        &mut self,
        csv: &'static str,
        header: &'static str,
        priority: u32,
        get: impl Fn(&R) -> V + 'a,
    ) -> &mut Self {
        self.number(csv, header, priority, get, crate::units::human_bytes)
    }

    /// A percentage (0–100): raw in CSV, one decimal in the table (`48.6`).
    pub fn percent<V: Into<Option<f64>>>(
        &mut self,
        csv: &'static str,
        header: &'static str,
        priority: u32,
        get: impl Fn(&R) -> V + 'a,
    ) -> &mut Self {
        self.number(csv, header, priority, get, |v| format!("{v:.1}"))
    }

    /// A duration in whole milliseconds: raw in CSV, `57 ms` or `2.4 s` in the table.
    pub fn ms<V: Into<Option<u64>>>(
        &mut self,
        csv: &'static str,
        header: &'static str,
        priority: u32,
        get: impl Fn(&R) -> V + 'a,
    ) -> &mut Self {
        self.number(csv, header, priority, get, human_ms)
    }

    /// A number column: `get` gives the raw value (CSV), `show` its table cell.
    fn number<T, V>(
        &mut self,
        csv: &'static str,
        header: &'static str,
        priority: u32,
        get: impl Fn(&R) -> V + 'a,
        show: fn(T) -> String,
    ) -> &mut Self
    where
        T: 'a,
        V: Into<Option<T>>,
        Option<T>: Into<Value>,
    {
        let get = std::rc::Rc::new(move |r: &R| get(r).into());
        let raw = get.clone();
        self.cols.push(Column {
            csv,
            header,
            priority,
            in_table: true,
            table_before: None,
            value: Some(Box::new(move |r| raw(r).into())),
            human: Some(Box::new(move |r, _| {
                Cell::new(get(r).map(show).unwrap_or_default())
            })),
            metric: None,
        });
        self
    }

    /// A CSV column that the table does not show.
    pub fn csv_only<V: Into<Value>>(
        &mut self,
        csv: &'static str,
        value: impl Fn(&R) -> V + 'a,
    ) -> &mut Self {
        self.cols.push(Column {
            csv,
            header: "",
            priority: AUTO,
            in_table: false,
            table_before: None,
            value: Some(Box::new(move |r| value(r).into())),
            human: None,
            metric: None,
        });
        self
    }

    /// A table column with no CSV counterpart.
    pub fn table_only<C: Into<Cell>>(
        &mut self,
        header: &'static str,
        priority: u32,
        human: impl Fn(&R, &RenderCtx) -> C + 'a,
    ) -> &mut Self {
        self.cols.push(Column {
            csv: "",
            header,
            priority,
            in_table: true,
            table_before: None,
            value: None,
            human: Some(Box::new(move |r, ctx| human(r, ctx).into())),
            metric: None,
        });
        self
    }

    fn last(&mut self) -> &mut Column<'a, R> {
        self.cols.last_mut().expect("a column was added")
    }

    /// The last column is drawn in the table only when `show` (e.g. some row needs it).
    pub fn table_if(&mut self, show: bool) -> &mut Self {
        let c = self.last();
        c.in_table = c.in_table && show;
        self
    }

    /// The last column sits before `header` in the table (its CSV place is where it was added).
    pub fn table_before(&mut self, header: &'static str) -> &mut Self {
        self.last().table_before = Some(header);
        self
    }

    /// The last column is also the Prometheus gauge `cachectl_{name}` (its raw value).
    pub fn metric(&mut self, name: &'static str, help: &'static str) -> &mut Self {
        self.last().metric = Some(Metric {
            name,
            help,
            gauge: None,
        });
        self
    }

    /// The last column is also a gauge, with its own numeric reading (a status as a number).
    pub fn gauge(
        &mut self,
        name: &'static str,
        help: &'static str,
        get: impl Fn(&R) -> Option<f64> + 'a,
    ) -> &mut Self {
        self.last().metric = Some(Metric {
            name,
            help,
            gauge: Some(Box::new(get)),
        });
        self
    }

    /// The table's last column is prose, wrapped under itself.
    pub fn wrap_last(&mut self) -> &mut Self {
        self.wrap_last = true;
        self
    }

    /// The columns, in CSV order.
    pub fn iter(&self) -> impl Iterator<Item = &Column<'a, R>> {
        self.cols.iter()
    }

    /// The CSV header.
    pub fn csv_header(&self) -> Vec<&'static str> {
        self.cols
            .iter()
            .filter(|c| !c.csv.is_empty())
            .map(|c| c.csv)
            .collect()
    }

    /// One CSV record.
    pub fn csv_record(&self, r: &R) -> Vec<String> {
        self.cols
            .iter()
            .filter(|c| !c.csv.is_empty())
            .map(|c| c.value(r).csv())
            .collect()
    }

    /// The header and one record per row.
    pub fn write_csv<'r, W: Write>(
        &self,
        w: &mut csv::Writer<W>,
        rows: impl IntoIterator<Item = &'r R>,
    ) -> Result<()>
    where
        R: 'r,
    {
        w.write_record(self.csv_header())?;
        self.write_csv_rows(w, rows)
    }

    /// Records without the header (appending to a history file).
    pub fn write_csv_rows<'r, W: Write>(
        &self,
        w: &mut csv::Writer<W>,
        rows: impl IntoIterator<Item = &'r R>,
    ) -> Result<()>
    where
        R: 'r,
    {
        for r in rows {
            w.write_record(self.csv_record(r))?;
        }
        Ok(())
    }

    /// The table columns, in table order.
    fn table_columns(&self) -> Vec<&Column<'a, R>> {
        let shown: Vec<&Column<'a, R>> = self
            .cols
            .iter()
            .filter(|c| c.in_table && !c.header.is_empty())
            .collect();
        let mut out: Vec<&Column<'a, R>> = shown
            .iter()
            .copied()
            .filter(|c| c.table_before.is_none())
            .collect();
        for c in shown.iter().filter(|c| c.table_before.is_some()) {
            let at = out
                .iter()
                .position(|o| Some(o.header) == c.table_before)
                .unwrap_or(out.len());
            out.insert(at, c);
        }
        out
    }

    /// The table headers, in table order.
    pub fn table_headers(&self) -> Vec<&'static str> {
        self.table_columns().iter().map(|c| c.header).collect()
    }

    /// A fitted table (see `table.rs`) of the rows.
    pub fn table<'r>(&self, ctx: &RenderCtx, rows: impl IntoIterator<Item = &'r R>) -> Table
    where
        R: 'r,
    {
        let cols = self.table_columns();
        let headers: Vec<&str> = cols.iter().map(|c| c.header).collect();
        let mut t = ctx.table(&headers);
        let prio: Vec<u32> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if c.priority == AUTO {
                    i as u32
                } else {
                    c.priority
                }
            })
            .collect();
        t.priorities(&prio);
        if self.wrap_last {
            t.wrap_last();
        }
        for r in rows {
            t.add_row(cols.iter().map(|c| c.human(r, ctx)).collect::<Vec<_>>());
        }
        t
    }

    /// Prometheus gauges, one `# HELP`/`# TYPE` block per metric column, one series per row
    /// (labels from `labels`); absent values are left out.
    pub fn write_prometheus(
        &self,
        w: &mut dyn Write,
        rows: &[&R],
        labels: impl Fn(&R) -> String,
    ) -> Result<()> {
        for c in &self.cols {
            let Some(m) = &c.metric else { continue };
            writeln!(w, "# HELP cachectl_{} {}.", m.name, m.help)?;
            writeln!(w, "# TYPE cachectl_{} gauge", m.name)?;
            for r in rows {
                let v = match &m.gauge {
                    Some(g) => g(r),
                    None => c.value(r).number(),
                };
                if let Some(v) = v {
                    writeln!(w, "cachectl_{}{{{}}} {v}", m.name, labels(r))?;
                }
            }
        }
        Ok(())
    }
}

/// `57 ms` below a second, `2.4 s` from one on.
pub fn human_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// The keys of a serialized row (a JSON object), for tests that CSV and JSON name the same
/// fields.
#[cfg(test)]
pub fn json_keys<T: serde::Serialize>(row: &T) -> std::collections::BTreeSet<String> {
    match serde_json::to_value(row).expect("serializes") {
        serde_json::Value::Object(m) => m.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

/// Asserts that the CSV header names the JSON row's fields, apart from the named exceptions
/// (CSV-only columns, JSON-only fields).
#[cfg(test)]
pub fn assert_csv_matches_json<R, T: serde::Serialize>(
    cols: &Columns<'_, R>,
    row: &T,
    csv_only: &[&str],
    json_only: &[&str],
) {
    use std::collections::BTreeSet;
    let csv: BTreeSet<String> = cols.csv_header().iter().map(|s| s.to_string()).collect();
    assert_eq!(
        csv.len(),
        cols.csv_header().len(),
        "duplicate CSV names: {:?}",
        cols.csv_header()
    );
    let json = json_keys(row);
    let want_csv: BTreeSet<String> = json
        .iter()
        .filter(|k| !json_only.contains(&k.as_str()))
        .cloned()
        .chain(csv_only.iter().map(|s| s.to_string()))
        .collect();
    assert_eq!(csv, want_csv, "CSV header and JSON keys drifted apart");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Format;

    struct Row {
        name: &'static str,
        n: u64,
        rate: Option<f64>,
        late: u64,
    }

    fn cols() -> Columns<'static, Row> {
        let mut c = Columns::new();
        c.col(
            "name",
            "NAME",
            0,
            |r: &Row| r.name,
            |r, _| r.name.to_uppercase(),
        );
        c.plain("n", "N", AUTO, |r| r.n)
            .metric("n_total", "How many");
        c.csv_only("rate", |r| r.rate).metric("rate", "A rate");
        c.plain("late", "LATE", 5, |r| r.late).table_before("N");
        c.table_only("NOTE", 9, |_, _| "x");
        c
    }

    fn rows() -> Vec<Row> {
        vec![
            Row {
                name: "a",
                n: 1,
                rate: Some(0.5),
                late: 7,
            },
            Row {
                name: "b",
                n: 2,
                rate: None,
                late: 8,
            },
        ]
    }

    #[test]
    fn csv_and_table_from_one_list() {
        let c = cols();
        assert_eq!(c.csv_header(), ["name", "n", "rate", "late"]);
        assert_eq!(c.table_headers(), ["NAME", "LATE", "N", "NOTE"]);
        let mut w = csv::Writer::from_writer(Vec::new());
        c.write_csv(&mut w, &rows()).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "name,n,rate,late\na,1,0.5,7\nb,2,,8\n");
        let ctx = RenderCtx {
            format: Format::Table,
            color: false,
            tty: false,
            width: None,
        };
        let t = c.table(&ctx, &rows()).to_string();
        assert_eq!(t.lines().next().unwrap(), "NAME  LATE  N  NOTE");
        assert_eq!(t.lines().nth(2).unwrap(), "A     7     1  x");
    }

    struct Num {
        keys: u64,
        bytes: Option<u64>,
        pct: f64,
        took_ms: u64,
    }

    #[test]
    fn number_helpers_are_raw_in_csv_and_human_in_the_table() {
        let mut c: Columns<Num> = Columns::new();
        c.count("keys", "KEYS", AUTO, |r| r.keys)
            .bytes("bytes", "SIZE", AUTO, |r| r.bytes)
            .percent("pct", "PCT", AUTO, |r| r.pct)
            .ms("took_ms", "TOOK", AUTO, |r| r.took_ms);
        let rows = [
            Num {
                keys: 1_234_567,
                bytes: Some(1536),
                pct: 48.64,
                took_ms: 57,
            },
            Num {
                keys: 0,
                bytes: None,
                pct: 100.0,
                took_ms: 2_400,
            },
        ];
        assert_eq!(c.csv_record(&rows[0]), ["1234567", "1536", "48.64", "57"]);
        assert_eq!(c.csv_record(&rows[1]), ["0", "", "100", "2400"]);
        let ctx = RenderCtx {
            format: Format::Table,
            color: false,
            tty: false,
            width: None,
        };
        let t = c.table(&ctx, &rows).to_string();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[2], "1,234,567  1.5 KiB  48.6   57 ms");
        assert_eq!(lines[3], "0                   100.0  2.4 s");
    }

    #[test]
    fn prometheus_from_metric_columns() {
        let c = cols();
        let rows = rows();
        let refs: Vec<&Row> = rows.iter().collect();
        let mut out = Vec::new();
        c.write_prometheus(&mut out, &refs, |r| format!("name=\"{}\"", r.name))
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("# HELP cachectl_n_total How many.\n# TYPE cachectl_n_total gauge\ncachectl_n_total{name=\"a\"} 1\ncachectl_n_total{name=\"b\"} 2\n"));
        assert!(text.contains("cachectl_rate{name=\"a\"} 0.5\n"));
        assert!(!text.contains("cachectl_rate{name=\"b\"}"));
    }
}
