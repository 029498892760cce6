//! MONITOR slices for `report --patterns` (SPEC §3 report): the only code that parses MONITOR
//! lines. A line becomes the keys it reads, writes or deletes; which arguments are keys comes
//! from the server's own command table (`COMMAND`: each entry's first key, last key and step,
//! as `COMMAND INFO` gives them), never from a hand-written list.
//!
//! A MONITOR client is a "normal" client whose output buffer has no limit by default: a slow
//! reader grows the server's memory. [`Engine::monitor_omem`] reads what MONITOR clients hold
//! (`CLIENT LIST`), so the caller can end a slice early.

use std::collections::HashMap;

use anyhow::{bail, Context, Result};
use futures::StreamExt;
use redis::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::link::{self, Link};
use super::{query, Engine};

/// How a command uses its keys, from its `COMMAND` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    pub first: i64,
    pub last: i64,
    pub step: i64,
    /// `readonly` flag: each key is a lookup (a keyspace hit or miss)
    pub readonly: bool,
    /// `write` flag
    pub write: bool,
}

/// What a command does to one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// a read: one keyspace hit or miss on the server
    Lookup,
    Write,
    /// DEL / UNLINK
    Delete,
}

/// The server's command table: lower-case name (`object|encoding` for subcommands) → keys.
#[derive(Debug, Clone, Default)]
pub struct CommandTable {
    map: HashMap<String, KeySpec>,
    /// commands with subcommands (`object`, `xinfo`, …): only these are looked up as `name|sub`
    containers: std::collections::HashSet<String>,
}

/// `bytes` lower-cased into `buf` (names longer than it are not commands), as text.
fn lower<'b>(bytes: &[u8], buf: &'b mut [u8; 64]) -> Option<&'b str> {
    let out = buf.get_mut(..bytes.len())?;
    for (o, b) in out.iter_mut().zip(bytes) {
        *o = b.to_ascii_lowercase();
    }
    std::str::from_utf8(out).ok()
}

impl CommandTable {
    /// From a `COMMAND` reply (an array of entries `[name, arity, flags, first, last, step,
    /// …, subcommands (7.0+: 10th element)]`).
    pub fn parse(v: &Value) -> CommandTable {
        let mut map = HashMap::new();
        if let Value::Array(entries) = v {
            for e in entries {
                add_entry(&mut map, e);
            }
        }
        let containers = map
            .keys()
            .filter_map(|k| k.split_once('|').map(|(c, _)| c.to_string()))
            .collect();
        CommandTable { map, containers }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// A line's command (a subcommand where the command has them); no allocation.
    fn spec(&self, args: &[Vec<u8>]) -> Option<&KeySpec> {
        let mut buf = [0u8; 64];
        let name = lower(args.first()?, &mut buf)?;
        if self.containers.contains(name) {
            if let Some(sub) = args.get(1) {
                let mut full = [0u8; 64];
                let n = name.len();
                let sub_at = full.get_mut(..n + 1)?;
                sub_at[..n].copy_from_slice(name.as_bytes());
                sub_at[n] = b'|';
                let mut sub_buf = [0u8; 64];
                let sub = lower(sub, &mut sub_buf)?;
                let whole = full.get_mut(..n + 1 + sub.len())?;
                whole[n + 1..].copy_from_slice(sub.as_bytes());
                if let Some(s) = std::str::from_utf8(whole)
                    .ok()
                    .and_then(|k| self.map.get(k))
                {
                    return Some(s);
                }
            }
        }
        self.map.get(name)
    }

    /// The keys of one command line and what it does to each (none for keyless commands).
    pub fn accesses<'a>(&self, args: &'a [Vec<u8>]) -> Vec<(Access, &'a [u8])> {
        let Some(s) = self.spec(args) else {
            return Vec::new();
        };
        if s.first <= 0 || s.step <= 0 || !(s.readonly || s.write) {
            return Vec::new();
        }
        let argc = args.len() as i64;
        let last = if s.last < 0 { argc + s.last } else { s.last };
        let name = &args[0];
        let kind = if s.readonly {
            Access::Lookup
        } else if name.eq_ignore_ascii_case(b"del") || name.eq_ignore_ascii_case(b"unlink") {
            Access::Delete
        } else {
            Access::Write
        };
        let mut out = Vec::new();
        let mut i = s.first;
        while i <= last && i < argc {
            out.push((kind, args[i as usize].as_slice()));
            i += s.step;
        }
        out
    }
}

fn add_entry(map: &mut HashMap<String, KeySpec>, e: &Value) {
    let Value::Array(f) = e else {
        return;
    };
    let text = |v: &Value| match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).to_ascii_lowercase()),
        Value::SimpleString(s) => Some(s.to_ascii_lowercase()),
        _ => None,
    };
    let int = |v: Option<&Value>| match v {
        Some(Value::Int(i)) => *i,
        _ => 0,
    };
    let Some(name) = f.first().and_then(text) else {
        return;
    };
    let flags: Vec<String> = match f.get(2) {
        Some(Value::Array(fl)) | Some(Value::Set(fl)) => fl.iter().filter_map(text).collect(),
        _ => Vec::new(),
    };
    map.insert(
        name,
        KeySpec {
            first: int(f.get(3)),
            last: int(f.get(4)),
            step: int(f.get(5)),
            readonly: flags.iter().any(|x| x == "readonly"),
            write: flags.iter().any(|x| x == "write"),
        },
    );
    if let Some(Value::Array(subs)) = f.get(9) {
        for s in subs {
            add_entry(map, s);
        }
    }
}

/// One MONITOR line: `1700000000.123456 [0 127.0.0.1:5000] "GET" "k"` (`[0 lua]` for a
/// script's commands).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub ts: f64,
    pub client: String,
    pub args: Vec<Vec<u8>>,
}

/// Parse a MONITOR line; arguments are quoted with the server's escapes (`\"`, `\\`, `\n`,
/// `\r`, `\t`, `\a`, `\b`, `\xHH`). None for anything else (the `OK` reply).
pub fn parse_line(line: &str) -> Option<Line> {
    let (ts, rest) = line.split_once(' ')?;
    let ts: f64 = ts.parse().ok()?;
    let rest = rest.strip_prefix('[')?;
    let close = rest.find(']')?;
    let client = rest[..close]
        .split_once(' ')
        .map_or("", |(_, c)| c)
        .to_string();
    let b = &rest.as_bytes()[close + 1..];
    let mut args = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b' ' {
            i += 1;
            continue;
        }
        if b[i] != b'"' {
            return None;
        }
        i += 1;
        let mut arg = Vec::new();
        loop {
            let c = *b.get(i)?;
            i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = *b.get(i)?;
                    i += 1;
                    match e {
                        b'n' => arg.push(b'\n'),
                        b'r' => arg.push(b'\r'),
                        b't' => arg.push(b'\t'),
                        b'a' => arg.push(7),
                        b'b' => arg.push(8),
                        b'x' => {
                            let h = std::str::from_utf8(b.get(i..i + 2)?).ok()?;
                            arg.push(u8::from_str_radix(h, 16).ok()?);
                            i += 2;
                        }
                        other => arg.push(other),
                    }
                }
                other => arg.push(other),
            }
        }
        args.push(arg);
    }
    Some(Line { ts, client, args })
}

/// What a MONITOR connection sends its reader.
#[derive(Debug)]
pub enum MonitorMsg {
    /// the accesses of one command line; `marker`: the text of an `ECHO` line
    Line {
        node: usize,
        accesses: Vec<(Access, Vec<u8>)>,
        marker: Option<String>,
    },
    /// the connection ended without being asked to (the server dropped it: output-buffer
    /// limit, `CLIENT KILL`, a restart)
    Dropped { node: usize },
}

/// A running MONITOR connection; dropping it (or [`MonitorTask::stop`]) closes it.
pub struct MonitorTask {
    pub node: usize,
    handle: JoinHandle<()>,
}

impl MonitorTask {
    pub fn stop(self) {
        self.handle.abort();
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }
}

impl Drop for MonitorTask {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

impl Engine {
    /// The command table of node `i` (`COMMAND`).
    pub async fn command_table(&self, i: usize) -> Result<CommandTable> {
        let mut c = self.nodes[i].conn.clone();
        let v: Value = query(&mut c, &redis::cmd("COMMAND"))
            .await
            .with_context(|| format!("COMMAND on {}", self.nodes[i].addr))?;
        Ok(CommandTable::parse(&v))
    }

    /// Start MONITOR on node `i` (returns once the server confirmed it): every command line
    /// the node runs from now on is parsed with `table` and sent to `tx`, in batches (the lines
    /// one read of the socket held). Over TCP and Unix sockets the lines are read as bytes from
    /// a plain socket of the slice's own ([`Link`]); over TLS through redis-rs.
    pub async fn monitor(
        &self,
        i: usize,
        table: std::sync::Arc<CommandTable>,
        tx: mpsc::Sender<Vec<MonitorMsg>>,
    ) -> Result<MonitorTask> {
        let n = &self.nodes[i];
        let link = Link::open(&n.info, self.timeout)
            .await
            .with_context(|| format!("MONITOR on {}", n.addr))?;
        if let Some(mut link) = link {
            let mut cmd = Vec::new();
            link::command(&mut cmd, &[b"MONITOR"]);
            tokio::time::timeout(self.timeout, start_plain(&mut link, &cmd))
                .await
                .map_err(|_| anyhow::anyhow!("timed out"))
                .and_then(|r| r)
                .with_context(|| format!("MONITOR on {}", n.addr))?;
            // lines `+TEXT\r\n` (MONITOR escapes every CR and LF of an argument); the
            // complete lines of a read are one batch
            let next = move |buf: &[u8]| {
                Ok(link::crlf(buf).map(|eol| {
                    let item = buf[..eol]
                        .strip_prefix(b"+")
                        .and_then(|t| std::str::from_utf8(t).ok())
                        .and_then(|t| message_of(i, &table, t));
                    (item, eol + 2)
                }))
            };
            let handle = tokio::spawn(link.stream(next, tx, MonitorMsg::Dropped { node: i }));
            return Ok(MonitorTask { node: i, handle });
        }
        let client = redis::Client::open(n.info.clone())?;
        let mon = tokio::time::timeout(self.timeout, client.get_async_monitor())
            .await
            .map_err(|_| anyhow::anyhow!("timed out"))
            .and_then(|r| r.map_err(anyhow::Error::from))
            .with_context(|| format!("MONITOR on {}", n.addr))?;
        let handle = tokio::spawn(async move {
            let mut s = mon.into_on_message::<String>().ready_chunks(1024);
            while let Some(lines) = s.next().await {
                let batch: Vec<MonitorMsg> = lines
                    .iter()
                    .filter_map(|t| message_of(i, &table, t))
                    .collect();
                if !batch.is_empty() && tx.send(batch).await.is_err() {
                    return;
                }
            }
            let _ = tx.send(vec![MonitorMsg::Dropped { node: i }]).await;
        });
        Ok(MonitorTask { node: i, handle })
    }

    /// Node `i`'s CPU time (INFO `used_cpu_sys + used_cpu_user`, seconds) and
    /// `total_commands_processed`: what a MONITOR slice costs the server is measured with
    /// them. None when INFO fails.
    pub async fn cpu_and_commands(&self, i: usize) -> Option<(f64, u64)> {
        let mut c = self.nodes[i].conn.clone();
        let (cpu, stats): (String, String) = redis::pipe()
            .cmd("INFO")
            .arg("cpu")
            .cmd("INFO")
            .arg("stats")
            .query_async(&mut c)
            .await
            .ok()?;
        let cpu = super::info::parse_info(&cpu);
        let stats = super::info::parse_info(&stats);
        let f = |k: &str| cpu.get(k).and_then(|v| v.trim().parse::<f64>().ok());
        let commands = stats
            .get("total_commands_processed")
            .and_then(|v| v.trim().parse().ok())?;
        Some((f("used_cpu_sys")? + f("used_cpu_user")?, commands))
    }

    /// The largest output buffer (`omem`, bytes) of a MONITOR client on node `i` (`CLIENT LIST`,
    /// flag `O`): an upper bound of our own. None when CLIENT LIST is refused.
    pub async fn monitor_omem(&self, i: usize) -> Option<u64> {
        let mut c = self.nodes[i].conn.clone();
        let text: String = query(&mut c, redis::cmd("CLIENT").arg("LIST")).await.ok()?;
        Some(max_monitor_omem(&text))
    }
}

/// What one MONITOR line means for the accounting: its accesses, or the run's `ECHO` marker;
/// None for a line of neither (a keyless command, the `OK`).
fn message_of(node: usize, table: &CommandTable, text: &str) -> Option<MonitorMsg> {
    let line = parse_line(text)?;
    let marker = (line.args.len() == 2 && line.args[0].eq_ignore_ascii_case(b"echo"))
        .then(|| String::from_utf8_lossy(&line.args[1]).into_owned());
    let accesses: Vec<(Access, Vec<u8>)> = table
        .accesses(&line.args)
        .into_iter()
        .map(|(a, k)| (a, k.to_vec()))
        .collect();
    if accesses.is_empty() && marker.is_none() {
        return None;
    }
    Some(MonitorMsg::Line {
        node,
        accesses,
        marker,
    })
}

/// Send MONITOR and wait for its `+OK` (an error reply: refused, e.g. an ACL without it).
async fn start_plain(link: &mut Link, monitor: &[u8]) -> Result<()> {
    link.write(monitor).await?;
    loop {
        if let Some(eol) = link::crlf(link.buffered()) {
            let line = link.buffered()[..eol].to_vec();
            link.consume(eol + 2);
            return match line.first() {
                Some(b'+') => Ok(()),
                _ => bail!("{}", String::from_utf8_lossy(line.get(1..).unwrap_or(&[]))),
            };
        }
        link.fill().await?;
    }
}

/// The largest `omem` of the `CLIENT LIST` lines whose flags hold `O` (MONITOR clients).
pub fn max_monitor_omem(text: &str) -> u64 {
    text.lines()
        .filter_map(|l| {
            let mut flags = "";
            let mut omem = 0u64;
            for f in l.split(' ') {
                if let Some(v) = f.strip_prefix("flags=") {
                    flags = v;
                } else if let Some(v) = f.strip_prefix("omem=") {
                    omem = v.parse().unwrap_or(0);
                }
            }
            flags.contains('O').then_some(omem)
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bs(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    fn entry(name: &str, first: i64, last: i64, step: i64, flags: &[&str]) -> Value {
        Value::Array(vec![
            bs(name),
            Value::Int(-2),
            Value::Array(
                flags
                    .iter()
                    .map(|f| Value::SimpleString(f.to_string()))
                    .collect(),
            ),
            Value::Int(first),
            Value::Int(last),
            Value::Int(step),
        ])
    }

    fn args(a: &[&str]) -> Vec<Vec<u8>> {
        a.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn key_positions_come_from_the_command_table() {
        let mut object = match entry("object", 0, 0, 0, &[]) {
            Value::Array(v) => v,
            _ => unreachable!(),
        };
        object.extend([
            Value::Nil,
            Value::Nil,
            Value::Nil,
            Value::Array(vec![entry("object|encoding", 2, 2, 1, &["readonly"])]),
        ]);
        let t = CommandTable::parse(&Value::Array(vec![
            entry("get", 1, 1, 1, &["readonly", "fast"]),
            entry("MGET", 1, -1, 1, &["readonly", "fast"]),
            entry("mset", 1, -1, 2, &["write", "denyoom"]),
            entry("del", 1, -1, 1, &["write"]),
            entry("ping", 0, 0, 0, &["fast"]),
            Value::Array(object),
        ]));
        assert_eq!(t.len(), 7);
        let a = args(&["MGET", "a", "b", "c"]);
        assert_eq!(
            t.accesses(&a),
            vec![
                (Access::Lookup, &b"a"[..]),
                (Access::Lookup, &b"b"[..]),
                (Access::Lookup, &b"c"[..])
            ]
        );
        let a = args(&["mset", "k1", "v1", "k2", "v2"]);
        assert_eq!(
            t.accesses(&a),
            vec![(Access::Write, &b"k1"[..]), (Access::Write, &b"k2"[..])]
        );
        let a = args(&["DEL", "x"]);
        assert_eq!(t.accesses(&a), vec![(Access::Delete, &b"x"[..])]);
        let a = args(&["object", "ENCODING", "o"]);
        assert_eq!(t.accesses(&a), vec![(Access::Lookup, &b"o"[..])]);
        assert!(t.accesses(&args(&["PING"])).is_empty());
        assert!(t.accesses(&args(&["nosuch", "k"])).is_empty());
        // a short line (wrong arity) never reads past its arguments
        assert!(t.accesses(&args(&["get"])).is_empty());
    }

    #[test]
    fn monitor_lines_unquote_like_the_server_quotes() {
        let l = parse_line(
            r#"1700000000.123456 [0 127.0.0.1:5000] "MGET" "a b" "q\"x\\" "\x00\xff\n""#,
        )
        .unwrap();
        assert_eq!(l.client, "127.0.0.1:5000");
        assert!((l.ts - 1_700_000_000.123456).abs() < 1e-6);
        assert_eq!(
            l.args,
            vec![
                b"MGET".to_vec(),
                b"a b".to_vec(),
                b"q\"x\\".to_vec(),
                vec![0, 255, b'\n']
            ]
        );
        let lua = parse_line(r#"1.5 [3 lua] "get" "k""#).unwrap();
        assert_eq!(lua.client, "lua");
        assert_eq!(lua.args.len(), 2);
        assert_eq!(parse_line("OK"), None);
        assert_eq!(parse_line(r#"1.0 [0 x] "unterminated"#), None);
    }

    #[test]
    fn omem_of_monitor_clients_only() {
        let text = "id=3 addr=127.0.0.1:1 flags=N omem=900 cmd=get\n\
                    id=4 addr=127.0.0.1:2 flags=O omem=4096 cmd=monitor\n\
                    id=5 addr=127.0.0.1:3 flags=O omem=20 cmd=monitor\n";
        assert_eq!(max_monitor_omem(text), 4096);
        assert_eq!(max_monitor_omem("id=3 flags=N omem=9\n"), 0);
    }
}
