//! Reads for `verify`: values and TTLs in pipelines per node, collections by pages (memory
//! bounded by a page whatever the collection's size), and `DIGEST` where the server has it.
//!
//! Every connection has `CLIENT NO-TOUCH on` from 7.2 (see `Engine::prepare`), so these
//! reads leave LRU/LFU alone there; [`Engine::reads_touch_lru`] says when they cannot.

use anyhow::{Context, Result};
use redis::Value;

use super::{query, Engine, UNKNOWN_VERSION};

/// One key read: its remaining TTL (PTTL: -2 missing, -1 none) and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct StringRead {
    pub pttl: i64,
    /// `Ok(None)`: no such key; `Err`: the server refused (WRONGTYPE: not a string)
    pub value: std::result::Result<Option<Vec<u8>>, String>,
}

/// A key's type and remaining TTL.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMeta {
    /// `none` when the key does not exist
    pub kind: String,
    pub pttl: i64,
}

/// A key's type, remaining TTL and, for a string, its value (or digest).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRead {
    pub meta: KeyMeta,
    /// a string's value (its `DIGEST` when asked); `None` for other types and missing keys
    pub value: Option<Vec<u8>>,
}

/// One page of a collection: entries and the cursor (or offset) to go on from; 0 / `None`
/// when it was the last.
pub type HashPage = (u64, Vec<(Vec<u8>, Vec<u8>)>);
pub type SetPage = (u64, Vec<Vec<u8>>);
pub type ZsetPage = (u64, Vec<(Vec<u8>, f64)>);
/// Stream entries: id and field/value pairs.
pub type StreamEntry = (String, Vec<(Vec<u8>, Vec<u8>)>);

fn server_error(v: &Value) -> Option<String> {
    match v {
        Value::ServerError(e) => Some(format!("{} {}", e.code(), e.details().unwrap_or_default())),
        _ => None,
    }
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        _ => -2,
    }
}

fn bytes(v: Value) -> Option<Vec<u8>> {
    match v {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.into_bytes()),
        Value::Okay => Some(b"OK".to_vec()),
        _ => None,
    }
}

/// The smallest stream id after `id` (`ms-seq` → `ms-seq+1`).
fn next_stream_id(id: &str) -> String {
    match id
        .split_once('-')
        .map(|(ms, seq)| (ms.parse::<u64>(), seq.parse::<u64>()))
    {
        Some((Ok(ms), Ok(u64::MAX))) => format!("{}-0", ms + 1),
        Some((Ok(ms), Ok(seq))) => format!("{ms}-{}", seq + 1),
        _ => format!("({id}"),
    }
}

impl Engine {
    /// True when a read here counts as an access (Redis before 7.2 has no `CLIENT NO-TOUCH`):
    /// the run says so once.
    pub fn reads_touch_lru(&self) -> bool {
        !self.valkey
            && self
                .nodes
                .iter()
                .any(|n| n.version < (7, 2, 0) && n.version != UNKNOWN_VERSION)
    }

    /// `PTTL` then `GET` of each key (all owned by `node`), one pipeline.
    pub async fn read_strings(&self, node: usize, keys: &[&[u8]]) -> Result<Vec<StringRead>> {
        self.pttl_and(node, keys, "GET").await
    }

    /// `PTTL` then `DIGEST` of each key (Redis 8.4+): the value's XXH3 digest in hex instead
    /// of the value (`verify` compares it with `redis::calculate_value_digest` of the value
    /// expected), so the value is not transferred.
    pub async fn read_digests(&self, node: usize, keys: &[&[u8]]) -> Result<Vec<StringRead>> {
        self.pttl_and(node, keys, "DIGEST").await
    }

    /// `PTTL` then `read` (`GET` or `DIGEST`, whose hex is lowercased) of each key, one pipeline.
    async fn pttl_and(&self, node: usize, keys: &[&[u8]], read: &str) -> Result<Vec<StringRead>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let n = &self.nodes[node];
        let mut pipe = redis::Pipeline::with_capacity(keys.len() * 2);
        pipe.ignore_errors();
        for k in keys {
            pipe.cmd("PTTL").arg(*k);
            pipe.cmd(read).arg(*k);
        }
        let mut conn = n.conn.clone();
        let replies: Vec<Value> = pipe
            .query_async(&mut conn)
            .await
            .with_context(|| format!("{read} on {}", n.addr))?;
        let digest = read == "DIGEST";
        let mut it = replies.into_iter();
        let mut out = Vec::with_capacity(keys.len());
        while let (Some(t), Some(v)) = (it.next(), it.next()) {
            let value = match server_error(&v) {
                Some(e) => Err(e),
                None if digest => Ok(bytes(v).map(|d| d.to_ascii_lowercase())),
                None => Ok(bytes(v)),
            };
            out.push(StringRead {
                pttl: int(&t),
                value,
            });
        }
        Ok(out)
    }

    /// `TYPE`, `PTTL` and `GET` (or `DIGEST`) of each key (all owned by `node`), one pipeline:
    /// a string's value comes with its type in one round trip (`GET` of another type is a
    /// WRONGTYPE reply, and no value).
    pub async fn read_keys(
        &self,
        node: usize,
        keys: &[&[u8]],
        digest: bool,
    ) -> Result<Vec<KeyRead>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let n = &self.nodes[node];
        let mut pipe = redis::Pipeline::with_capacity(keys.len() * 3);
        pipe.ignore_errors();
        for k in keys {
            pipe.cmd("TYPE").arg(*k);
            pipe.cmd("PTTL").arg(*k);
            pipe.cmd(if digest { "DIGEST" } else { "GET" }).arg(*k);
        }
        let mut conn = n.conn.clone();
        let replies: Vec<Value> = pipe
            .query_async(&mut conn)
            .await
            .with_context(|| format!("TYPE, PTTL, GET on {}", n.addr))?;
        let mut it = replies.into_iter();
        let mut out = Vec::with_capacity(keys.len());
        while let (Some(t), Some(p), Some(v)) = (it.next(), it.next(), it.next()) {
            if let Some(e) = server_error(&t) {
                anyhow::bail!("TYPE on {}: {e}", n.addr);
            }
            let kind = match t {
                Value::SimpleString(s) => s,
                other => bytes(other)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_else(|| "none".into()),
            };
            let value = bytes(v).map(|b| if digest { b.to_ascii_lowercase() } else { b });
            out.push(KeyRead {
                meta: KeyMeta {
                    kind,
                    pttl: int(&p),
                },
                value,
            });
        }
        Ok(out)
    }

    /// Whether the servers have `DIGEST` (Redis 8.4+): a value's hash computed by the server,
    /// so two deployments compare strings without transferring them.
    pub async fn has_digest(&self) -> bool {
        let Some(n) = self.nodes.first() else {
            return false;
        };
        let mut conn = n.conn.clone();
        let reply: redis::RedisResult<Value> =
            query(&mut conn, redis::cmd("COMMAND").arg("INFO").arg("DIGEST")).await;
        matches!(reply, Ok(Value::Array(v)) if v.first().is_some_and(|c| !matches!(c, Value::Nil)))
    }

    /// The number of elements of a collection (`HLEN`, `SCARD`, `ZCARD`, `LLEN`, `XLEN`).
    pub async fn cardinality(&self, key: &[u8], kind: &str) -> Result<u64> {
        let cmd = match kind {
            "hash" => "HLEN",
            "set" => "SCARD",
            "zset" => "ZCARD",
            "list" => "LLEN",
            "stream" => "XLEN",
            _ => return Ok(0),
        };
        let n = &self.nodes[self.node_for(key)];
        let mut conn = n.conn.clone();
        query(&mut conn, redis::cmd(cmd).arg(key))
            .await
            .with_context(|| format!("{cmd} on {}", n.addr))
    }

    fn conn_for(&self, key: &[u8]) -> (redis::aio::MultiplexedConnection, &str) {
        let n = &self.nodes[self.node_for(key)];
        (n.conn.clone(), n.addr.as_str())
    }

    /// One `HSCAN` page.
    pub async fn hash_page(&self, key: &[u8], cursor: u64, count: usize) -> Result<HashPage> {
        let (mut c, addr) = self.conn_for(key);
        let (next, flat): (u64, Vec<Vec<u8>>) = query(
            &mut c,
            redis::cmd("HSCAN")
                .arg(key)
                .arg(cursor)
                .arg("COUNT")
                .arg(count),
        )
        .await
        .with_context(|| format!("HSCAN on {addr}"))?;
        let mut it = flat.into_iter();
        let mut out = Vec::new();
        while let (Some(f), Some(v)) = (it.next(), it.next()) {
            out.push((f, v));
        }
        Ok((next, out))
    }

    /// `HMGET` of some fields.
    pub async fn hash_fields(&self, key: &[u8], fields: &[&[u8]]) -> Result<Vec<Option<Vec<u8>>>> {
        if fields.is_empty() {
            return Ok(Vec::new());
        }
        let (mut c, addr) = self.conn_for(key);
        let mut cmd = redis::cmd("HMGET");
        cmd.arg(key);
        for f in fields {
            cmd.arg(*f);
        }
        query(&mut c, &cmd)
            .await
            .with_context(|| format!("HMGET on {addr}"))
    }

    /// One `SSCAN` page.
    pub async fn set_page(&self, key: &[u8], cursor: u64, count: usize) -> Result<SetPage> {
        let (mut c, addr) = self.conn_for(key);
        query(
            &mut c,
            redis::cmd("SSCAN")
                .arg(key)
                .arg(cursor)
                .arg("COUNT")
                .arg(count),
        )
        .await
        .with_context(|| format!("SSCAN on {addr}"))
    }

    /// `SISMEMBER` of some members, one pipeline (`SMISMEMBER` is 6.2+).
    pub async fn set_members(&self, key: &[u8], members: &[&[u8]]) -> Result<Vec<bool>> {
        let (mut c, addr) = self.conn_for(key);
        let mut pipe = redis::Pipeline::with_capacity(members.len());
        for m in members {
            pipe.cmd("SISMEMBER").arg(key).arg(*m);
        }
        pipe.query_async(&mut c)
            .await
            .with_context(|| format!("SISMEMBER on {addr}"))
    }

    /// One `ZSCAN` page.
    pub async fn zset_page(&self, key: &[u8], cursor: u64, count: usize) -> Result<ZsetPage> {
        let (mut c, addr) = self.conn_for(key);
        let (next, flat): (u64, Vec<Vec<u8>>) = query(
            &mut c,
            redis::cmd("ZSCAN")
                .arg(key)
                .arg(cursor)
                .arg("COUNT")
                .arg(count),
        )
        .await
        .with_context(|| format!("ZSCAN on {addr}"))?;
        let mut it = flat.into_iter();
        let mut out = Vec::new();
        while let (Some(m), Some(s)) = (it.next(), it.next()) {
            let score = String::from_utf8_lossy(&s)
                .parse::<f64>()
                .unwrap_or(f64::NAN);
            out.push((m, score));
        }
        Ok((next, out))
    }

    /// `ZSCORE` of some members, one pipeline (`ZMSCORE` is 6.2+).
    pub async fn zset_scores(&self, key: &[u8], members: &[&[u8]]) -> Result<Vec<Option<f64>>> {
        let (mut c, addr) = self.conn_for(key);
        let mut pipe = redis::Pipeline::with_capacity(members.len());
        for m in members {
            pipe.cmd("ZSCORE").arg(key).arg(*m);
        }
        let replies: Vec<Option<String>> = pipe
            .query_async(&mut c)
            .await
            .with_context(|| format!("ZSCORE on {addr}"))?;
        Ok(replies
            .into_iter()
            .map(|r| r.and_then(|s| s.parse::<f64>().ok()))
            .collect())
    }

    /// `LRANGE key start start+count-1`.
    pub async fn list_page(&self, key: &[u8], start: u64, count: usize) -> Result<Vec<Vec<u8>>> {
        let (mut c, addr) = self.conn_for(key);
        let stop = start + count as u64 - 1;
        query(&mut c, redis::cmd("LRANGE").arg(key).arg(start).arg(stop))
            .await
            .with_context(|| format!("LRANGE on {addr}"))
    }

    /// `XRANGE key (after + COUNT count`: the entries after `after` (from the start: `None`).
    pub async fn stream_page(
        &self,
        key: &[u8],
        after: Option<&str>,
        count: usize,
    ) -> Result<Vec<StreamEntry>> {
        let (mut c, addr) = self.conn_for(key);
        // the id after `after` (an exclusive `(id` needs 6.2)
        let start = after.map_or("-".to_string(), next_stream_id);
        let reply: Value = query(
            &mut c,
            redis::cmd("XRANGE")
                .arg(key)
                .arg(start)
                .arg("+")
                .arg("COUNT")
                .arg(count),
        )
        .await
        .with_context(|| format!("XRANGE on {addr}"))?;
        let mut out = Vec::new();
        if let Value::Array(entries) = reply {
            for e in entries {
                let Value::Array(mut parts) = e else { continue };
                if parts.len() != 2 {
                    continue;
                }
                let fields = parts.pop().expect("two parts");
                let id = bytes(parts.pop().expect("two parts"))
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                let mut fv = Vec::new();
                if let Value::Array(flat) = fields {
                    let mut it = flat.into_iter();
                    while let (Some(f), Some(v)) = (it.next(), it.next()) {
                        fv.push((bytes(f).unwrap_or_default(), bytes(v).unwrap_or_default()));
                    }
                }
                out.push((id, fv));
            }
        }
        Ok(out)
    }
}
