//! Warm's write path: SET commands rendered once, as RESP bytes, into one buffer per batch
//! ([`SetRows`]), and written to the server over plain sockets of their own ([`Link`]), so a
//! batch is one `write` of one contiguous buffer and its replies are read as bytes (`+OK`
//! needs no `Value`). No `Cmd` per row, no copy of a key or value after it is rendered.
//!
//! A node reached over TLS, a Sentinel primary whose writes are confirmed by `WAIT 1`, and
//! `--mode refresh` (PTTLs first) go through redis-rs ([`Engine::set_batch`]) with items
//! derived from the buffer ([`SetRows::item`]). The other users of a [`Link`] are the streams
//! of `report --patterns` — the key-event subscriber (`events.rs`) and the MONITOR slices
//! (`monitor.rs`), read as bytes through [`Link::stream`]; every other command keeps redis-rs's
//! connection handling.

use std::ops::Range;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use redis::{ConnectionAddr, ConnectionInfo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
#[cfg(unix)]
use tokio::net::UnixStream;

use super::write::{SetItem, SetMode, SetOutcome};
use super::{Engine, Node};

/// A node's pool of links: each writer takes one and gives it back after a clean exchange.
pub(super) type Links = std::sync::Arc<std::sync::Mutex<Vec<Link>>>;

/// One row's place in a [`SetRows`] buffer.
#[derive(Debug, Clone)]
struct Span {
    /// where the row's command starts (it ends where the next one starts)
    start: u32,
    key: (u32, u32),
    value: (u32, u32),
    ttl_ms: Option<u64>,
}

/// A batch of `SET key value [PX ms] [NX]` commands, encoded as RESP into one buffer, with
/// where each row's command, key and value are.
#[derive(Debug, Clone)]
pub struct SetRows {
    buf: Vec<u8>,
    spans: Vec<Span>,
    nx: bool,
}

fn bulk(buf: &mut Vec<u8>, bytes: &[u8]) -> (u32, u32) {
    let mut n = itoa::Buffer::new();
    buf.push(b'$');
    buf.extend_from_slice(n.format(bytes.len()).as_bytes());
    buf.extend_from_slice(b"\r\n");
    let at = buf.len() as u32;
    buf.extend_from_slice(bytes);
    buf.extend_from_slice(b"\r\n");
    (at, bytes.len() as u32)
}

impl SetRows {
    /// Room for `rows` commands of about `bytes` bytes in all (one allocation per batch).
    pub fn with_capacity(mode: SetMode, rows: usize, bytes: usize) -> SetRows {
        SetRows {
            buf: Vec::with_capacity(bytes),
            spans: Vec::with_capacity(rows),
            nx: mode == SetMode::Missing,
        }
    }

    /// Append one `SET`.
    pub fn push(&mut self, key: &[u8], value: &[u8], ttl_ms: Option<u64>) {
        assert!(
            self.buf.len() + key.len() + value.len() + 64 < u32::MAX as usize,
            "a batch under 4 GiB"
        );
        let start = self.buf.len() as u32;
        let args = 3 + if ttl_ms.is_some() { 2 } else { 0 } + usize::from(self.nx);
        self.buf.push(b'*');
        self.buf.push(b'0' + args as u8);
        self.buf.extend_from_slice(b"\r\n$3\r\nSET\r\n");
        let key = bulk(&mut self.buf, key);
        let value = bulk(&mut self.buf, value);
        if let Some(ms) = ttl_ms {
            self.buf.extend_from_slice(b"$2\r\nPX\r\n");
            let mut n = itoa::Buffer::new();
            bulk(&mut self.buf, n.format(ms.max(1)).as_bytes());
        }
        if self.nx {
            self.buf.extend_from_slice(b"$2\r\nNX\r\n");
        }
        self.spans.push(Span {
            start,
            key,
            value,
            ttl_ms,
        });
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Bytes of the encoded commands.
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    fn slice(&self, (at, len): (u32, u32)) -> &[u8] {
        &self.buf[at as usize..(at + len) as usize]
    }

    pub fn key(&self, i: usize) -> &[u8] {
        self.slice(self.spans[i].key)
    }

    pub fn value(&self, i: usize) -> &[u8] {
        self.slice(self.spans[i].value)
    }

    pub fn ttl_ms(&self, i: usize) -> Option<u64> {
        self.spans[i].ttl_ms
    }

    /// Row `i`'s encoded command.
    fn command(&self, i: usize) -> Range<usize> {
        let end = self
            .spans
            .get(i + 1)
            .map_or(self.buf.len(), |s| s.start as usize);
        self.spans[i].start as usize..end
    }

    /// Row `i` as an item of its own (the redis-rs path).
    pub fn item(&self, i: usize) -> SetItem {
        SetItem {
            key: self.key(i).to_vec(),
            value: self.value(i).to_vec(),
            ttl_ms: self.ttl_ms(i),
        }
    }

    /// The encoded commands of rows `idx` (all of them: the buffer as it is, no copy).
    fn packed<'a>(&'a self, idx: Option<&[usize]>, out: &'a mut Vec<u8>) -> &'a [u8] {
        match idx {
            None => &self.buf,
            Some(idx) => {
                out.clear();
                for &i in idx {
                    out.extend_from_slice(&self.buf[self.command(i)]);
                }
                out
            }
        }
    }
}

/// A plain socket to one node, for [`SetRows`] batches: authenticated, on the URL's
/// database, named `cachectl`; RESP2 (no `HELLO`), so a `SET` answers `+OK`, `$-1` or an
/// error line.
pub struct Link {
    stream: Stream,
    /// when its last exchange ended (a link idle for long is not reused)
    used: Instant,
    /// replies read and not yet parsed: `rbuf[pos..]`
    rbuf: Vec<u8>,
    pos: usize,
}

enum Stream {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
}

/// One reply to a `SET`.
#[derive(Debug, PartialEq)]
enum Reply {
    Ok,
    Nil,
    /// `CODE detail`, as [`SetOutcome::Failed`] reads (and redis-rs's error would print)
    Error(String),
    Int(i64),
}

impl Link {
    /// A socket to the node at `info`; `None` where this path does not go (TLS).
    pub(super) async fn open(info: &ConnectionInfo, timeout: Duration) -> Result<Option<Link>> {
        let stream = match info.addr() {
            ConnectionAddr::Tcp(host, port) => {
                let s = tokio::time::timeout(timeout, TcpStream::connect((host.as_str(), *port)))
                    .await
                    .context("connect timed out")??;
                s.set_nodelay(true)?;
                Stream::Tcp(s)
            }
            #[cfg(unix)]
            ConnectionAddr::Unix(path) => Stream::Unix(
                tokio::time::timeout(timeout, UnixStream::connect(path))
                    .await
                    .context("connect timed out")??,
            ),
            _ => return Ok(None),
        };
        let mut link = Link {
            stream,
            used: Instant::now(),
            rbuf: Vec::with_capacity(64 * 1024),
            pos: 0,
        };
        let r = info.redis_settings();
        let mut hello = Vec::with_capacity(256);
        let mut expect = Vec::new();
        if let Some(pw) = r.password() {
            match r.username() {
                Some(user) => command(&mut hello, &[b"AUTH", user.as_bytes(), pw.as_bytes()]),
                None => command(&mut hello, &[b"AUTH", pw.as_bytes()]),
            }
            expect.push("AUTH");
        }
        if r.db() != 0 {
            let mut n = itoa::Buffer::new();
            command(&mut hello, &[b"SELECT", n.format(r.db()).as_bytes()]);
            expect.push("SELECT");
        }
        command(&mut hello, &[b"CLIENT", b"SETNAME", b"cachectl"]);
        expect.push("CLIENT SETNAME");
        let replies = tokio::time::timeout(timeout, link.exchange(&hello, expect.len()))
            .await
            .context("no reply in time")??;
        for (what, reply) in expect.iter().zip(replies) {
            // the name is best effort (an ACL may refuse CLIENT); the rest is not
            if let Reply::Error(e) = reply {
                if *what != "CLIENT SETNAME" {
                    bail!("{what}: {e}"); // the server's reply, never the password
                }
            }
        }
        Ok(Some(link))
    }

    pub(super) async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.stream {
            Stream::Tcp(s) => s.write_all(bytes).await,
            #[cfg(unix)]
            Stream::Unix(s) => s.write_all(bytes).await,
        }
    }

    /// What was read and not yet consumed.
    pub(super) fn buffered(&self) -> &[u8] {
        &self.rbuf[self.pos..]
    }

    /// `n` bytes of [`Link::buffered`] were used.
    pub(super) fn consume(&mut self, n: usize) {
        self.pos += n;
    }

    /// Read what the server sent next (at least one byte; an error at the end of the stream).
    pub(super) async fn fill(&mut self) -> std::io::Result<()> {
        if self.pos == self.rbuf.len() {
            self.rbuf.clear();
            self.pos = 0;
        } else if self.pos > self.rbuf.capacity() / 2 {
            self.rbuf.drain(..self.pos);
            self.pos = 0;
        }
        if self.rbuf.capacity() - self.rbuf.len() < 4096 {
            self.rbuf.reserve(64 * 1024);
        }
        let n = match &mut self.stream {
            Stream::Tcp(s) => s.read_buf(&mut self.rbuf).await?,
            #[cfg(unix)]
            Stream::Unix(s) => s.read_buf(&mut self.rbuf).await?,
        };
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        Ok(())
    }

    /// Read until the stream ends, handing the complete items of each read to `tx` as one
    /// batch (one hand-over per read, not per item). `next` takes the first item of what is
    /// buffered: `Some((item, used))` (`item` None: nothing to hand over), None while it is
    /// incomplete, an error when the stream is out of step. At the end (the server closed the
    /// connection, a stream out of step) `end` is sent; a closed receiver ends it quietly.
    pub(super) async fn stream<T>(
        mut self,
        mut next: impl FnMut(&[u8]) -> Result<Option<(Option<T>, usize)>>,
        tx: tokio::sync::mpsc::Sender<Vec<T>>,
        end: T,
    ) {
        loop {
            let mut batch = Vec::new();
            let mut broken = false;
            loop {
                match next(self.buffered()) {
                    Ok(Some((item, used))) => {
                        batch.extend(item);
                        self.consume(used);
                    }
                    Ok(None) => break,
                    Err(_) => {
                        broken = true;
                        break;
                    }
                }
            }
            if !batch.is_empty() && tx.send(batch).await.is_err() {
                return;
            }
            if broken || self.fill().await.is_err() {
                break;
            }
        }
        let _ = tx.send(vec![end]).await;
    }

    /// Write `bytes` (`n` commands) and read their `n` replies.
    async fn exchange(&mut self, bytes: &[u8], n: usize) -> Result<Vec<Reply>> {
        self.write(bytes).await?;
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match parse(&self.rbuf[self.pos..])? {
                Some((r, used)) => {
                    self.pos += used;
                    out.push(r);
                }
                None => self.fill().await?,
            }
        }
        Ok(out)
    }
}

/// Where the first CRLF of `rest` starts. (`memchr` for the CR: `memmem::find` builds a
/// searcher per call, which cost more than the search on these short lines: ~15% of the key-event
/// subscriber's CPU.)
pub(super) fn crlf(rest: &[u8]) -> Option<usize> {
    let mut from = 0;
    loop {
        let cr = from + memchr::memchr(b'\r', &rest[from..])?;
        match rest.get(cr + 1) {
            Some(b'\n') => return Some(cr),
            Some(_) => from = cr + 1,
            None => return None,
        }
    }
}

/// The first complete reply in `rest` and its length, if there is one.
fn parse(rest: &[u8]) -> Result<Option<(Reply, usize)>> {
    if rest.starts_with(b"+OK\r\n") {
        return Ok(Some((Reply::Ok, 5)));
    }
    let Some(eol) = crlf(rest) else {
        return Ok(None);
    };
    let line = &rest[1..eol];
    let number = |what: &str| {
        std::str::from_utf8(line)
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .with_context(|| format!("a malformed {what} reply"))
    };
    let reply = match rest[0] {
        b'+' => Reply::Ok,
        b'-' => {
            let text = String::from_utf8_lossy(line);
            Reply::Error(match text.split_once(' ') {
                Some((code, detail)) => format!("{code} {detail}"),
                None => format!("{text} "),
            })
        }
        b'$' if line == b"-1" => Reply::Nil,
        b':' => Reply::Int(number("integer")?),
        b'$' => {
            // a bulk string (no SET sends one back): skipped whole
            let len = usize::try_from(number("bulk")?).context("a malformed bulk reply")?;
            let end = eol + 2 + len + 2;
            if rest.len() < end {
                return Ok(None);
            }
            return Ok(Some((
                Reply::Error(format!("unexpected reply (a {len}-byte string)")),
                end,
            )));
        }
        other => bail!("unexpected reply starting with {:?}", other as char),
    };
    Ok(Some((reply, eol + 2)))
}

/// A link idle for longer is closed rather than reused: a server's `timeout` may have closed
/// it meanwhile (a scheduled run's next batch would meet a dead socket and retry).
const LINK_IDLE: Duration = Duration::from_secs(10);

/// A command of a few arguments, encoded.
pub(super) fn command(buf: &mut Vec<u8>, args: &[&[u8]]) {
    buf.push(b'*');
    buf.extend_from_slice(itoa::Buffer::new().format(args.len()).as_bytes());
    buf.extend_from_slice(b"\r\n");
    for a in args {
        bulk(buf, a);
    }
}

impl Node {
    /// Can a batch in `mode` go over a [`Link`]? Not over TLS, not where writes are
    /// confirmed by `WAIT 1` (Sentinel), not in refresh mode (PTTLs first).
    fn takes_links(&self, mode: SetMode) -> bool {
        !matches!(mode, SetMode::Refresh(_))
            && !self.confirm_writes
            && matches!(
                self.info.addr(),
                ConnectionAddr::Tcp(..) | ConnectionAddr::Unix(..)
            )
    }
}

impl Engine {
    /// Write rows `idx` of `rows` (all of them when `None`), owned by `node`, in one
    /// pipeline. `Err` means the connection failed and nothing is known about the batch.
    ///
    /// Each concurrent caller takes a [`Link`] of its own from the node's pool (opening
    /// one when none is free), so as many batches are in flight as there are writers; a
    /// link that failed is dropped, never reused.
    pub async fn set_rows(
        &self,
        node: usize,
        rows: &SetRows,
        idx: Option<&[usize]>,
        mode: SetMode,
    ) -> Result<Vec<SetOutcome>> {
        let n = &self.nodes[node];
        if !n.takes_links(mode) {
            let items: Vec<SetItem> = match idx {
                None => (0..rows.len()).map(|i| rows.item(i)).collect(),
                Some(idx) => idx.iter().map(|&i| rows.item(i)).collect(),
            };
            return self.set_batch(node, &items, mode).await;
        }
        let count = idx.map_or(rows.len(), <[usize]>::len);
        if count == 0 {
            return Ok(Vec::new());
        }
        let pooled = {
            let mut pool = n.links.lock().expect("links");
            pool.retain(|l| l.used.elapsed() < LINK_IDLE);
            pool.pop()
        };
        let mut link = match pooled {
            Some(l) => l,
            None => Link::open(&n.info, self.timeout)
                .await
                .with_context(|| format!("connecting to {}", n.addr))?
                .context("no plain link")?,
        };
        let mut scratch = Vec::new();
        let bytes = rows.packed(idx, &mut scratch);
        let replies = tokio::time::timeout(self.timeout, link.exchange(bytes, count))
            .await
            .map_err(|_| {
                anyhow::Error::new(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("no reply within {:?}", self.timeout),
                ))
            })
            .and_then(|r| r)
            .with_context(|| format!("SET on {}", n.addr))?;
        link.used = Instant::now();
        n.links.lock().expect("links").push(link);
        Ok(replies
            .into_iter()
            .map(|r| match r {
                Reply::Ok => SetOutcome::Written,
                Reply::Nil => SetOutcome::Skipped, // NX and the key exists
                Reply::Error(e) => SetOutcome::Failed(e),
                Reply::Int(i) => SetOutcome::Failed(format!("unexpected reply {i}")),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_is_found_past_lone_carriage_returns() {
        assert_eq!(crlf(b"+OK\r\n"), Some(3));
        assert_eq!(crlf(b"a\rb\r\n"), Some(3));
        assert_eq!(crlf(b"abc\r"), None);
        assert_eq!(crlf(b"abc"), None);
        assert_eq!(crlf(b""), None);
        assert_eq!(crlf(b"\r\r\n"), Some(1));
    }

    #[test]
    fn rows_encode_as_redis_rs_encodes_the_same_commands() {
        for (mode, ttl) in [
            (SetMode::Overwrite, None),
            (SetMode::Overwrite, Some(3_600_000)),
            (SetMode::Missing, None),
            (SetMode::Missing, Some(0)),
        ] {
            let mut rows = SetRows::with_capacity(mode, 2, 0);
            let mut expected = redis::pipe();
            for (k, v) in [(&b"k:1"[..], &b"v\r\n1"[..]), (b"", b"")] {
                rows.push(k, v, ttl);
                let c = expected.cmd("SET").arg(k).arg(v);
                if let Some(ms) = ttl {
                    c.arg("PX").arg(ms.max(1));
                }
                if mode == SetMode::Missing {
                    c.arg("NX");
                }
            }
            assert_eq!(rows.buf, expected.get_packed_pipeline(), "{mode:?} {ttl:?}");
            assert_eq!((rows.key(0), rows.value(0)), (&b"k:1"[..], &b"v\r\n1"[..]));
            assert_eq!(rows.ttl_ms(1), ttl);
            let mut out = Vec::new();
            let second = rows.packed(Some(&[1]), &mut out).to_vec();
            assert_eq!(&rows.buf[rows.buf.len() - second.len()..], &second[..]);
            assert_eq!(rows.item(0).key, b"k:1");
        }
    }

    #[test]
    fn replies_parse_as_redis_rs_reads_them() {
        let mut rest: &[u8] =
            b"+OK\r\n$-1\r\n-OOM command not allowed\r\n-ERR\r\n:3\r\n$2\r\nab\r\n+QUEUED\r\n-MOV";
        let mut got = Vec::new();
        while let Some((r, used)) = parse(rest).unwrap() {
            got.push(r);
            rest = &rest[used..];
        }
        assert_eq!(
            got,
            vec![
                Reply::Ok,
                Reply::Nil,
                Reply::Error("OOM command not allowed".into()),
                Reply::Error("ERR ".into()),
                Reply::Int(3),
                Reply::Error("unexpected reply (a 2-byte string)".into()),
                Reply::Ok,
            ]
        );
        assert_eq!(rest, b"-MOV", "an incomplete reply waits");
        assert!(parse(b"$2\r\na").unwrap().is_none());
        assert!(parse(b"*1\r\n").is_err());
    }
}
