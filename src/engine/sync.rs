//! `analyze --rdb-sync`: the RDB streamed from a node over the replication protocol, as
//! `redis-cli --rdb` gets it: `REPLCONF rdb-only 1` (Redis 7+, so the server sends the
//! snapshot and no command stream), then `SYNC`; the payload is `$<len>\r\n<bytes>` or,
//! diskless, `$EOF:<40-byte mark>\r\n<bytes><mark>`. Nothing is written to disk: the caller
//! parses the stream as it arrives.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use redis::ConnectionAddr;

use super::Node;

fn command(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn read_line(r: &mut impl BufRead) -> Result<String> {
    let mut line = Vec::new();
    r.read_until(b'\n', &mut line)
        .context("reading the reply")?;
    if line.is_empty() {
        bail!("connection closed by the server");
    }
    Ok(String::from_utf8_lossy(&line).trim_end().to_string())
}

/// A socket the replication stream runs on: plain TCP, or TLS (`rediss://`).
trait Socket: Read + Write + Send {}
impl<T: Read + Write + Send> Socket for T {}

/// Open a replication stream on `node` and return a reader positioned at the RDB's first byte.
pub fn rdb_stream(node: &Node, timeout: Duration) -> Result<Box<dyn Read + Send>> {
    // the snapshot may take a while to start (fork, disk); the server sends newlines meanwhile
    let read_timeout = timeout.max(Duration::from_secs(60));
    let (host, port, stream): (String, u16, Box<dyn Socket>) = match node.info.addr() {
        ConnectionAddr::Tcp(h, p) => {
            let stream = TcpStream::connect((h.as_str(), *p))
                .with_context(|| format!("connecting to {h}:{p}"))?;
            stream.set_read_timeout(Some(read_timeout))?;
            (h.clone(), *p, Box::new(stream))
        }
        ConnectionAddr::TcpTls {
            host,
            port,
            insecure,
            ..
        } => {
            let stream = super::tls::connect_blocking(host, *port, *insecure, timeout)?;
            stream.sock.set_read_timeout(Some(read_timeout))?;
            (host.clone(), *port, Box::new(stream))
        }
        _ => {
            bail!("--rdb-sync needs a TCP address; use --rdb with the server's dump file")
        }
    };
    let mut r = BufReader::with_capacity(256 * 1024, stream);
    let settings = node.info.redis_settings();
    if let Some(pass) = settings.password() {
        let cmd = match settings.username() {
            Some(u) => command(&[b"AUTH", u.as_bytes(), pass.as_bytes()]),
            None => command(&[b"AUTH", pass.as_bytes()]),
        };
        r.get_mut().write_all(&cmd)?;
        let reply = read_line(&mut r)?;
        if reply.starts_with('-') {
            bail!("authentication failed on {host}:{port}");
        }
    }
    // refused by servers before 7.0: then the command stream follows the snapshot, which we
    // do not read anyway
    r.get_mut()
        .write_all(&command(&[b"REPLCONF", b"rdb-only", b"1"]))?;
    let _ = read_line(&mut r)?;
    r.get_mut().write_all(&command(&[b"SYNC"]))?;
    let header = loop {
        let line = read_line(&mut r)?;
        if line.is_empty() {
            continue; // keepalive while the snapshot is prepared
        }
        break line;
    };
    if let Some(e) = header.strip_prefix('-') {
        bail!(
            "{host}:{port} refused SYNC ({e}): managed services usually forbid replication; export a dump and use --rdb"
        );
    }
    let Some(size) = header.strip_prefix('$') else {
        bail!("unexpected reply to SYNC from {host}:{port}: {header:.60}");
    };
    if size.starts_with("EOF:") {
        // diskless: the parser stops at the RDB's own EOF opcode, before the mark
        return Ok(Box::new(r));
    }
    let len: u64 = size
        .parse()
        .with_context(|| format!("bad RDB length from {host}:{port}: {size:.40}"))?;
    Ok(Box::new(r.take(len)))
}
