//! Pure pieces of `warm`: key/value templates and the row readers (CSV, JSON lines).
//! No Redis, no I/O beyond the `BufRead` they are given.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use serde_json::{Map, Value};

/// Column names of a CSV source and their positions, shared by all its rows.
#[derive(Debug, PartialEq)]
pub struct Columns {
    pub names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Columns {
    pub fn new(names: Vec<String>) -> Arc<Columns> {
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        Arc::new(Columns { names, index })
    }

    /// A column's position: a few names are compared directly (cheaper than hashing the
    /// name, once per field of every row), many are looked up.
    fn position(&self, name: &str) -> Option<usize> {
        if self.names.len() <= 16 {
            self.names.iter().position(|n| n == name)
        } else {
            self.index.get(name).copied()
        }
    }
}

/// A row's fields: a CSV record (strings, looked up through the shared columns; no per-row
/// maps, which dominated the cost of reading) or a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub enum Fields {
    Record(Arc<Columns>, csv::StringRecord),
    Json(Map<String, Value>),
}

/// One looked-up field.
pub enum FieldRef<'a> {
    Str(&'a str),
    Json(&'a Value),
}

impl Fields {
    pub fn get(&self, name: &str) -> Option<FieldRef<'_>> {
        match self {
            Fields::Record(cols, rec) => cols
                .position(name)
                .and_then(|i| rec.get(i))
                .map(FieldRef::Str),
            Fields::Json(m) => m.get(name).map(|v| match v {
                Value::String(s) => FieldRef::Str(s),
                v => FieldRef::Json(v),
            }),
        }
    }

    /// The field as text (strings raw, other JSON values as JSON), for tests and messages.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(|f| match f {
            FieldRef::Str(s) => s.to_string(),
            FieldRef::Json(v) => v.to_string(),
        })
    }

    pub fn names(&self) -> Vec<String> {
        match self {
            Fields::Record(cols, _) => cols.names.clone(),
            Fields::Json(m) => m.keys().cloned().collect(),
        }
    }

    /// The whole row as a JSON object (column order kept).
    pub fn to_json(&self) -> String {
        match self {
            Fields::Json(m) => Value::Object(m.clone()).to_string(),
            Fields::Record(cols, rec) => {
                let mut out = Vec::with_capacity(rec.as_slice().len() + 8 * rec.len() + 2);
                out.push(b'{');
                for (i, (name, v)) in cols.names.iter().zip(rec.iter()).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut out, name).expect("vec write");
                    out.push(b':');
                    serde_json::to_writer(&mut out, v).expect("vec write");
                }
                out.push(b'}');
                String::from_utf8(out).expect("JSON is UTF-8")
            }
        }
    }
}

/// A source row: its position and its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 0-based index among data rows (the checkpoint counts these)
    pub index: u64,
    /// 1-based line in the source, for messages
    pub line: u64,
    pub fields: Fields,
}

impl Row {
    pub fn empty() -> Row {
        Row {
            index: 0,
            line: 0,
            fields: Fields::Json(Map::new()),
        }
    }
}

/// A row that could not be read; counted and reported, never fatal.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub index: u64,
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    /// By file extension.
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else if [".jsonl", ".ndjson", ".json"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            Some(Format::Jsonl)
        } else {
            None
        }
    }

    /// By the first non-blank byte: `{` means JSON lines.
    pub fn sniff(r: &mut impl BufRead) -> std::io::Result<Format> {
        let buf = r.fill_buf()?;
        Ok(match buf.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Format::Jsonl,
            _ => Format::Csv,
        })
    }
}

/// `{column}` placeholders; `{{` and `}}` are literal braces.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
    /// bytes of literal text
    literal_len: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Lit(String),
    Field(String),
}

impl Template {
    pub fn parse(s: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(ch) => name.push(ch),
                            None => return Err(format!("template `{s}`: unclosed `{{`")),
                        }
                    }
                    let name = name.trim().to_string();
                    if name.is_empty() {
                        return Err(format!("template `{s}`: empty `{{}}`"));
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Field(name));
                }
                '}' => return Err(format!("template `{s}`: unmatched `}}` (write `}}}}`)")),
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        let literal_len = parts
            .iter()
            .map(|p| match p {
                Part::Lit(l) => l.len(),
                Part::Field(_) => 0,
            })
            .sum();
        Ok(Template { parts, literal_len })
    }

    /// The keys this template can render, as a glob: literals escaped, each field `*`
    /// (`plan_catalog:v1:{id}` → `plan_catalog:v1:*`).
    pub fn glob(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit(l) => crate::glob::escape(l),
                Part::Field(_) => "*".to_string(),
            })
            .collect()
    }

    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(f) => Some(f.as_str()),
            Part::Lit(_) => None,
        })
    }

    /// Fill in a row. Strings go in raw; other JSON values as JSON text; a missing or null
    /// field is an error for the row.
    pub fn render(&self, row: &Fields) -> Result<String, String> {
        self.render_inner(row, false)
    }

    /// Like `render`, and an empty field is an error too (keys: `plan:` from an empty id
    /// would be junk).
    pub fn render_key(&self, row: &Fields) -> Result<String, String> {
        self.render_inner(row, true)
    }

    fn render_inner(&self, row: &Fields, non_empty: bool) -> Result<String, String> {
        // room for the literals and every field of a CSV row: one allocation per render,
        // never a reallocation (a 100-byte value used to grow its buffer once per row)
        let fields = match row {
            Fields::Record(_, rec) => rec.as_slice().len(),
            Fields::Json(_) => 64,
        };
        let mut out = String::with_capacity(self.literal_len + fields);
        self.render_into(row, non_empty, &mut out)?;
        Ok(out)
    }

    /// Render into `out` (cleared first): warm's hot path, where one buffer serves every
    /// row. `non_empty`: an empty field is an error (keys).
    pub fn render_into(
        &self,
        row: &Fields,
        non_empty: bool,
        out: &mut String,
    ) -> Result<(), String> {
        out.clear();
        for p in &self.parts {
            match p {
                Part::Lit(l) => out.push_str(l),
                Part::Field(f) => match row.get(f) {
                    Some(FieldRef::Str(s)) if non_empty && s.is_empty() => {
                        return Err(format!("column `{f}` is empty (used in the key)"))
                    }
                    Some(FieldRef::Str(s)) => out.push_str(s),
                    Some(FieldRef::Json(Value::Null)) => {
                        return Err(format!("column `{f}` is null"))
                    }
                    Some(FieldRef::Json(v)) => out.push_str(&v.to_string()),
                    None => {
                        return Err(format!(
                            "no column `{f}` (row has: {})",
                            row.names().join(", ")
                        ))
                    }
                },
            }
        }
        Ok(())
    }
}

/// Streams rows from CSV (header line, or `columns` given) or JSON lines.
///
/// A row that cannot be parsed is a [`BadRow`] and reading goes on; an I/O error ends the
/// rows (`None`) and is kept in [`RowReader::io_error`]: an unreadable source is fatal,
/// never a stream of bad rows.
pub struct RowReader<R: BufRead> {
    inner: Inner<R>,
    pos: Pos,
}

/// Where a reader is in its source.
#[derive(Default)]
struct Pos {
    /// the next data row's index
    index: u64,
    /// bytes consumed from line-based sources (the CSV reader keeps its own position)
    consumed: u64,
    io_error: Option<String>,
}

impl Pos {
    /// The index of the row just read (and count it).
    fn take_index(&mut self) -> u64 {
        self.index += 1;
        self.index - 1
    }
}

/// The states of a CSV field as the `csv` crate's parser (csv-core, default dialect) moves
/// through them, tracked over every byte it reads: at the end of input, `Quoted` means a
/// quoted field was never closed and the last "record" swallowed the rest of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    StartField,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// A `Read` that watches the CSV quoting state of what passes through it.
pub struct QuoteWatch<R> {
    inner: R,
    state: QuoteState,
    eof: bool,
}

impl<R> QuoteWatch<R> {
    fn new(inner: R) -> Self {
        QuoteWatch {
            inner,
            state: QuoteState::StartField,
            eof: false,
        }
    }

    /// The input ended inside a quoted field.
    fn open_quote_at_eof(&self) -> bool {
        self.eof && self.state == QuoteState::Quoted
    }
}

impl QuoteState {
    /// One byte (the reference the fast scan below must agree with).
    fn step(self, b: u8) -> QuoteState {
        match (self, b) {
            (QuoteState::StartField, b'"') => QuoteState::Quoted,
            (QuoteState::StartField | QuoteState::Unquoted, b',' | b'\n' | b'\r') => {
                QuoteState::StartField
            }
            (QuoteState::StartField | QuoteState::Unquoted, _) => QuoteState::Unquoted,
            (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
            (QuoteState::Quoted, _) => QuoteState::Quoted,
            (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
            (QuoteState::QuoteInQuoted, b',' | b'\n' | b'\r') => QuoteState::StartField,
            (QuoteState::QuoteInQuoted, _) => QuoteState::Unquoted,
        }
    }

    /// The state after `buf`. Inside a field only its end (unquoted) or a quote (quoted)
    /// changes the state, so those runs are skipped with `memchr` instead of stepping
    /// byte by byte (which was the reader's largest cost).
    fn scan(mut self, buf: &[u8]) -> QuoteState {
        let mut i = 0;
        while i < buf.len() {
            match self {
                QuoteState::Unquoted => match memchr::memchr3(b',', b'\n', b'\r', &buf[i..]) {
                    Some(at) => {
                        self = QuoteState::StartField;
                        i += at + 1;
                    }
                    None => return self,
                },
                QuoteState::Quoted => match memchr::memchr(b'"', &buf[i..]) {
                    Some(at) => {
                        self = QuoteState::QuoteInQuoted;
                        i += at + 1;
                    }
                    None => return self,
                },
                _ => {
                    self = self.step(buf[i]);
                    i += 1;
                }
            }
        }
        self
    }
}

impl<R: std::io::Read> std::io::Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.eof = true;
        }
        self.state = self.state.scan(&buf[..n]);
        Ok(n)
    }
}

enum Inner<R: BufRead> {
    /// headerless, delimiter-separated lines as `psql -At -F,` prints them: no quoting, and
    /// the last column takes the rest of the line (so it may hold JSON with commas)
    Split(Lines<R>, Arc<Columns>),
    Csv {
        reader: csv::Reader<QuoteWatch<R>>,
        headers: Arc<Columns>,
    },
    Jsonl(Lines<R>),
}

/// A line-based source: the reader, the current line number, the line's buffer.
struct Lines<R> {
    reader: R,
    line: u64,
    buf: String,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R) -> Self {
        Lines {
            reader,
            line: 0,
            buf: String::new(),
        }
    }

    /// The next line that is not `blank` into `buf`: its row index; a line that is not
    /// UTF-8 is a bad row; `None` at the end or on an I/O error (kept in `pos`).
    fn next(&mut self, pos: &mut Pos, blank: fn(&str) -> bool) -> Option<Result<u64, BadRow>> {
        loop {
            self.buf.clear();
            self.line += 1;
            match self.reader.read_line(&mut self.buf) {
                Ok(0) => return None,
                Ok(n) => {
                    pos.consumed += n as u64;
                    if !blank(&self.buf) {
                        return Some(Ok(pos.take_index()));
                    }
                }
                Err(e) if is_bad_line(&e) => {
                    return Some(Err(BadRow {
                        index: pos.take_index(),
                        line: self.line,
                        message: format!("unreadable line: {e}"),
                    }));
                }
                Err(e) => {
                    pos.io_error = Some(e.to_string());
                    return None;
                }
            }
        }
    }
}

/// `out`'s record buffer, to be filled again (no allocation per row once it has grown).
fn reuse_record(out: &mut Row) -> csv::StringRecord {
    match std::mem::replace(&mut out.fields, Fields::Json(Map::new())) {
        Fields::Record(_, mut r) => {
            r.clear();
            r
        }
        Fields::Json(_) => csv::StringRecord::new(),
    }
}

fn wrong_width(index: u64, line: u64, want: usize, found: usize) -> BadRow {
    BadRow {
        index,
        line,
        message: format!("expected {want} fields, found {found}"),
    }
}

/// A headerless line: split on `,` into at most as many fields as there are columns.
fn split_next<R: BufRead>(
    lines: &mut Lines<R>,
    columns: &Arc<Columns>,
    pos: &mut Pos,
    out: &mut Row,
) -> Option<Result<(), BadRow>> {
    let index = match lines.next(pos, |l| l.trim_end_matches(['\n', '\r']).is_empty())? {
        Ok(i) => i,
        Err(bad) => return Some(Err(bad)),
    };
    let text = lines.buf.trim_end_matches(['\n', '\r']);
    let mut rec = reuse_record(out);
    for part in text.splitn(columns.names.len(), ',') {
        rec.push_field(part);
    }
    if rec.len() != columns.names.len() {
        let found = rec.len();
        return Some(Err(wrong_width(
            index,
            lines.line,
            columns.names.len(),
            found,
        )));
    }
    *out = Row {
        index,
        line: lines.line,
        fields: Fields::Record(columns.clone(), rec),
    };
    Some(Ok(()))
}

/// A CSV record (quoted fields may span lines).
fn csv_next<R: BufRead>(
    reader: &mut csv::Reader<QuoteWatch<R>>,
    headers: &Arc<Columns>,
    pos: &mut Pos,
    out: &mut Row,
) -> Option<Result<(), BadRow>> {
    let mut rec = reuse_record(out);
    match reader.read_record(&mut rec) {
        Ok(false) => None,
        Ok(true) => {
            let index = pos.take_index();
            let line = rec.position().map_or(0, |p| p.line());
            if reader.get_ref().open_quote_at_eof() {
                let last = reader.position().line();
                return Some(Err(BadRow {
                    index,
                    line,
                    message: format!(
                        "a quoted field opened on line {line} is never closed: lines {line}-{last} (the rest of the input) were not read as rows"
                    ),
                }));
            }
            if rec.len() != headers.names.len() {
                return Some(Err(wrong_width(
                    index,
                    line,
                    headers.names.len(),
                    rec.len(),
                )));
            }
            *out = Row {
                index,
                line,
                fields: Fields::Record(headers.clone(), rec),
            };
            Some(Ok(()))
        }
        Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
            pos.io_error = Some(e.to_string());
            None
        }
        Err(e) => Some(Err(BadRow {
            index: pos.take_index(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })),
    }
}

/// A JSON-lines object.
fn jsonl_next<R: BufRead>(
    lines: &mut Lines<R>,
    pos: &mut Pos,
    out: &mut Row,
) -> Option<Result<(), BadRow>> {
    let index = match lines.next(pos, |l| l.trim().is_empty())? {
        Ok(i) => i,
        Err(bad) => return Some(Err(bad)),
    };
    let line = lines.line;
    let bad = |message: String| {
        Some(Err(BadRow {
            index,
            line,
            message,
        }))
    };
    match serde_json::from_str::<Value>(lines.buf.trim()) {
        Ok(Value::Object(fields)) => {
            *out = Row {
                index,
                line,
                fields: Fields::Json(fields),
            };
            Some(Ok(()))
        }
        Ok(_) => bad("not a JSON object".into()),
        Err(e) => bad(format!("invalid JSON: {e}")),
    }
}

impl<R: BufRead> RowReader<R> {
    /// `columns`: CSV without a header line (psql -At output). Errors only for an
    /// unreadable header.
    pub fn new(reader: R, format: Format, columns: &[String]) -> Result<Self, String> {
        let inner = match format {
            Format::Csv if !columns.is_empty() => {
                Inner::Split(Lines::new(reader), Columns::new(columns.to_vec()))
            }
            Format::Csv => {
                let mut rdr = csv::ReaderBuilder::new()
                    .has_headers(columns.is_empty())
                    .flexible(true)
                    .from_reader(QuoteWatch::new(reader));
                let headers = Columns::new(
                    rdr.headers()
                        .map_err(|e| format!("reading the CSV header: {e}"))?
                        .iter()
                        .map(|h| h.trim().to_string())
                        .collect(),
                );
                Inner::Csv {
                    reader: rdr,
                    headers,
                }
            }
            Format::Jsonl => Inner::Jsonl(Lines::new(reader)),
        };
        Ok(RowReader {
            inner,
            pos: Pos::default(),
        })
    }

    /// The source's column names, when it has them before its first row (CSV).
    pub fn columns(&self) -> Option<&[String]> {
        match &self.inner {
            Inner::Split(_, columns) => Some(&columns.names),
            Inner::Csv { headers, .. } => Some(&headers.names),
            Inner::Jsonl(_) => None,
        }
    }

    /// The I/O error that ended the rows early, if one did.
    pub fn io_error(&self) -> Option<&str> {
        self.pos.io_error.as_deref()
    }
}

/// A line that is not UTF-8 is a bad row (the reader has consumed it); any other I/O
/// error means the source itself is unreadable.
fn is_bad_line(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::InvalidData
}

impl<R: BufRead> RowReader<R> {
    /// Bytes of the source consumed so far (for progress against a file's size).
    pub fn bytes_read(&self) -> u64 {
        match &self.inner {
            Inner::Csv { reader, .. } => reader.position().byte(),
            _ => self.pos.consumed,
        }
    }

    /// Read the next row into `out`, reusing its buffers (the reader's hot path: no
    /// allocation per CSV row once the buffers have grown). `None` at the end.
    pub fn read_next(&mut self, out: &mut Row) -> Option<Result<(), BadRow>> {
        let pos = &mut self.pos;
        match &mut self.inner {
            Inner::Split(lines, columns) => split_next(lines, columns, pos, out),
            Inner::Csv { reader, headers } => csv_next(reader, headers, pos, out),
            Inner::Jsonl(lines) => jsonl_next(lines, pos, out),
        }
    }
}

impl<R: BufRead> Iterator for RowReader<R> {
    type Item = Result<Row, BadRow>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut row = Row::empty();
        self.read_next(&mut row).map(|r| r.map(|()| row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, f: Format, cols: &[&str]) -> Vec<Result<Row, BadRow>> {
        let cols: Vec<String> = cols.iter().map(|s| s.to_string()).collect();
        RowReader::new(text.as_bytes(), f, &cols).unwrap().collect()
    }

    #[test]
    fn templates() {
        let t = Template::parse("plan_catalog:v1:{id}").unwrap();
        let mut map = Map::new();
        map.insert("id".into(), Value::String("p1".into()));
        map.insert("n".into(), serde_json::json!(5));
        map.insert("obj".into(), serde_json::json!({"a": 1}));
        let row = Fields::Json(map.clone());
        assert_eq!(t.render(&row).unwrap(), "plan_catalog:v1:p1");
        assert_eq!(
            Template::parse("{n}:{obj}").unwrap().render(&row).unwrap(),
            "5:{\"a\":1}"
        );
        assert_eq!(
            Template::parse("{{lit}}:{ id }")
                .unwrap()
                .render(&row)
                .unwrap(),
            "{lit}:p1"
        );
        assert!(Template::parse("{x}")
            .unwrap()
            .render(&row)
            .unwrap_err()
            .contains("no column `x`"));
        assert!(Template::parse("a{b").is_err());
        assert!(Template::parse("a}b").is_err());
        assert!(Template::parse("{}").is_err());
        assert_eq!(t.fields().collect::<Vec<_>>(), vec!["id"]);
        map.insert("id".into(), Value::String(String::new()));
        let row = Fields::Json(map);
        assert!(t.render_key(&row).unwrap_err().contains("is empty"));
        assert_eq!(t.render(&row).unwrap(), "plan_catalog:v1:");
        let rec = Fields::Record(
            Columns::new(vec!["id".into(), "name".into()]),
            csv::StringRecord::from(vec!["7", "a \"b\""]),
        );
        assert_eq!(t.render(&rec).unwrap(), "plan_catalog:v1:7");
        assert_eq!(rec.to_json(), r#"{"id":"7","name":"a \"b\""}"#);
    }

    #[test]
    fn csv_rows_with_line_numbers() {
        let r = rows(
            "id,name\n1,a\n2,b,extra\n3,\"multi\nline\"\n4,d\n",
            Format::Csv,
            &[],
        );
        assert_eq!(r.len(), 4);
        let ok0 = r[0].as_ref().unwrap();
        assert_eq!((ok0.index, ok0.line), (0, 2));
        assert_eq!(ok0.fields.text("name").unwrap(), "a");
        let bad = r[1].as_ref().unwrap_err();
        assert_eq!((bad.index, bad.line), (1, 3));
        assert!(bad.message.contains("expected 2 fields"));
        assert_eq!(
            r[2].as_ref().unwrap().fields.text("name").unwrap(),
            "multi\nline"
        );
        assert_eq!(r[3].as_ref().unwrap().line, 6);
    }

    proptest::proptest! {
        /// The memchr scan agrees with stepping byte by byte, from every state.
        #[test]
        fn quote_scan_matches_the_byte_steps(
            bytes in proptest::collection::vec(proptest::sample::select(b"ab\",\n\r".to_vec()), 0..64),
            start in 0usize..4,
        ) {
            let st = [
                QuoteState::StartField,
                QuoteState::Unquoted,
                QuoteState::Quoted,
                QuoteState::QuoteInQuoted,
            ][start];
            let slow = bytes.iter().fold(st, |s, &b| s.step(b));
            proptest::prop_assert_eq!(st.scan(&bytes), slow);
        }
    }

    #[test]
    fn an_unclosed_quote_is_one_bad_row_not_one_giant_field() {
        let mut text = String::from("id,name\n1,a\n2,\"oops\n");
        for i in 3..1000 {
            text.push_str(&format!("{i},n{i}\n"));
        }
        let r = rows(&text, Format::Csv, &[]);
        assert_eq!(r.len(), 2, "row 1 and the broken one");
        assert!(r[0].is_ok());
        let bad = r[1].as_ref().unwrap_err();
        assert_eq!(bad.line, 3);
        assert!(bad.message.contains("never closed"), "{}", bad.message);
        assert!(bad.message.contains("lines 3-"), "{}", bad.message);
        // closed quotes, escaped quotes and a quote inside an unquoted field are fine,
        // also on the last line without a newline
        let ok = rows(
            "id,name\n1,\"a \"\"b\"\"\"\n2,x\"y\n3,\"multi\nline\"",
            Format::Csv,
            &[],
        );
        assert_eq!(ok.len(), 3);
        assert!(ok.iter().all(|r| r.is_ok()), "{ok:?}");
        assert_eq!(
            ok[2].as_ref().unwrap().fields.text("name").unwrap(),
            "multi\nline"
        );
    }

    #[test]
    fn an_unreadable_source_ends_the_rows_with_an_io_error() {
        struct Broken;
        impl std::io::Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::from_raw_os_error(21)) // EISDIR
            }
        }
        for f in [Format::Csv, Format::Jsonl] {
            let cols = if f == Format::Csv {
                vec!["id".to_string()]
            } else {
                vec![]
            };
            let mut r = RowReader::new(std::io::BufReader::new(Broken), f, &cols).unwrap();
            assert!(r.next().is_none());
            assert!(r.io_error().is_some());
        }
        let mut r = RowReader::new(std::io::BufReader::new(Broken), Format::Csv, &[]);
        assert!(r.is_err() || r.as_mut().unwrap().next().is_none());
    }

    #[test]
    fn headerless_lines_use_columns_and_keep_the_rest_in_the_last() {
        // psql -At -F, output: unquoted, the last column may contain commas and quotes
        let r = rows(
            "7,{\"id\":7,\"name\":\"a, b\"}\n8,{\"x\":2}\r\n\n9\n",
            Format::Csv,
            &["id", "json"],
        );
        assert_eq!(r.len(), 3);
        let first = r[0].as_ref().unwrap();
        assert_eq!(first.fields.text("id").unwrap(), "7");
        assert_eq!(
            first.fields.text("json").unwrap(),
            "{\"id\":7,\"name\":\"a, b\"}"
        );
        assert_eq!(
            r[1].as_ref().unwrap().fields.text("json").unwrap(),
            "{\"x\":2}"
        );
        let bad = r[2].as_ref().unwrap_err();
        assert_eq!((bad.index, bad.line), (2, 4));
    }

    #[test]
    fn jsonl_rows() {
        let r = rows(
            "{\"id\":1}\n\nnot json\n[1]\n{\"id\":2,\"v\":{\"a\":true}}\n",
            Format::Jsonl,
            &[],
        );
        assert_eq!(r.len(), 4);
        assert_eq!(r[0].as_ref().unwrap().line, 1);
        let bad = r[1].as_ref().unwrap_err();
        assert_eq!((bad.index, bad.line), (1, 3));
        assert!(r[2]
            .as_ref()
            .unwrap_err()
            .message
            .contains("not a JSON object"));
        let last = r[3].as_ref().unwrap();
        assert_eq!((last.index, last.line), (3, 5));
        assert_eq!(last.fields.text("v").unwrap(), "{\"a\":true}");
    }

    #[test]
    fn formats() {
        assert_eq!(Format::from_path("plans.CSV"), Some(Format::Csv));
        assert_eq!(Format::from_path("x.ndjson"), Some(Format::Jsonl));
        assert_eq!(Format::from_path("x.txt"), None);
        assert_eq!(
            Format::sniff(&mut &b"  {\"a\":1}"[..]).unwrap(),
            Format::Jsonl
        );
        assert_eq!(Format::sniff(&mut &b"id,name"[..]).unwrap(), Format::Csv);
    }
}
