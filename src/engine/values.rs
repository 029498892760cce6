//! `analyze --values`: read the values of sampled keys, one pipeline per batch, every read
//! bounded whatever the key holds: a string's first bytes (`GETRANGE`), a collection's few
//! random members (`SRANDMEMBER`, `HRANDFIELD … WITHVALUES`, `ZRANDMEMBER`; before 6.2 one
//! `HSCAN`/`ZSCAN` page) or its head (`LRANGE 0 n-1`), each with the O(1) length beside it.
//! The connection's `CLIENT NO-TOUCH` (7.2+, Valkey) keeps these reads off LRU/LFU.

use anyhow::{Context, Result};
use redis::Value;

use super::scan::TYPES;
use super::Engine;

/// One key's value as read: a string (`len`: its whole length) or a collection's sampled
/// items (`len`: its element count).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadValue {
    pub items: Vec<Vec<u8>>,
    pub len: u64,
    pub string: bool,
}

/// What a batch of reads found, in the order asked; `None` for a key that vanished, changed
/// type, or is of a type without values to sample (streams, modules).
pub struct ReadBatch {
    pub values: Vec<Option<ReadValue>>,
    /// keyspace hits and misses the reads added (each read and length is a lookup)
    pub hits: u64,
    pub misses: u64,
    /// the first refusal (ACL `NOPERM`, a renamed command): `CODE details`
    pub refused: Option<String>,
}

/// The pipeline's commands for one key of this type: (length, read), or None.
fn commands(
    key: &[u8],
    type_idx: usize,
    items: usize,
    cap: usize,
    random_reads: bool,
) -> Option<(redis::Cmd, redis::Cmd)> {
    let one = |c: &str| {
        let mut x = redis::cmd(c);
        x.arg(key);
        x
    };
    let read = match TYPES.get(type_idx).copied()? {
        "string" => {
            let mut c = one("GETRANGE");
            c.arg(0).arg(cap.saturating_sub(1));
            return Some((one("STRLEN"), c));
        }
        "list" => {
            let mut c = one("LRANGE");
            c.arg(0).arg(items.saturating_sub(1));
            ("LLEN", c)
        }
        "set" => {
            let mut c = one("SRANDMEMBER");
            c.arg(items);
            ("SCARD", c)
        }
        "hash" if random_reads => {
            let mut c = one("HRANDFIELD");
            c.arg(items).arg("WITHVALUES");
            ("HLEN", c)
        }
        "hash" => {
            let mut c = one("HSCAN");
            c.arg(0).arg("COUNT").arg(items);
            ("HLEN", c)
        }
        "zset" if random_reads => {
            let mut c = one("ZRANDMEMBER");
            c.arg(items);
            ("ZCARD", c)
        }
        "zset" => {
            let mut c = one("ZSCAN");
            c.arg(0).arg("COUNT").arg(items);
            ("ZCARD", c)
        }
        _ => return None,
    };
    Some((one(read.0), read.1))
}

/// Every bulk string of a reply, flattened (RESP3 answers HRANDFIELD with pairs).
fn bulks(v: &Value, out: &mut Vec<Vec<u8>>) {
    match v {
        Value::BulkString(b) => out.push(b.clone()),
        Value::SimpleString(s) => out.push(s.clone().into_bytes()),
        Value::Int(i) => out.push(i.to_string().into_bytes()),
        Value::Array(a) | Value::Set(a) => a.iter().for_each(|x| bulks(x, out)),
        _ => {}
    }
}

/// The items to measure from a read's reply: a hash's field values, a sorted set's members,
/// a list's or set's elements; a SCAN-style reply is `[cursor, [elements…]]`.
fn items_of(type_name: &str, reply: &Value, random_reads: bool) -> Vec<Vec<u8>> {
    let elements = match (type_name, reply) {
        ("hash" | "zset", Value::Array(a)) if !random_reads && a.len() == 2 => &a[1],
        _ => reply,
    };
    let mut flat = Vec::new();
    bulks(elements, &mut flat);
    match type_name {
        // [field, value, …]: the values
        "hash" => flat.into_iter().skip(1).step_by(2).collect(),
        // ZSCAN: [member, score, …]; ZRANDMEMBER without scores: members
        "zset" if !random_reads => flat.into_iter().step_by(2).collect(),
        _ => flat,
    }
}

impl Engine {
    /// Read the values of `keys` (key, type index) on node `node` in one pipeline: up to
    /// `items` members of a collection, the first `cap` bytes of a string. Items beyond
    /// `items` (a one-page SCAN may return more) and bytes beyond `cap` are dropped.
    pub async fn read_values(
        &self,
        node: usize,
        keys: &[(Vec<u8>, usize)],
        items: usize,
        cap: usize,
    ) -> Result<ReadBatch> {
        let n = &self.nodes[node];
        let random_reads = self.valkey || n.version >= (6, 2, 0);
        let mut pipe = redis::pipe();
        pipe.ignore_errors();
        let mut asked = Vec::with_capacity(keys.len());
        for (k, t) in keys {
            let cmds = commands(k, *t, items, cap, random_reads);
            if let Some((len, read)) = &cmds {
                pipe.add_command(len.clone()).add_command(read.clone());
            }
            asked.push(cmds.is_some());
        }
        let mut out = ReadBatch {
            values: Vec::with_capacity(keys.len()),
            hits: 0,
            misses: 0,
            refused: None,
        };
        if !asked.iter().any(|a| *a) {
            out.values.resize(keys.len(), None);
            return Ok(out);
        }
        let mut conn = n.conn.clone();
        let replies: Vec<Value> = pipe
            .query_async(&mut conn)
            .await
            .with_context(|| format!("value reads on {}", n.addr))?;
        let mut replies = replies.chunks(2);
        for ((_, t), asked) in keys.iter().zip(asked) {
            if !asked {
                out.values.push(None);
                continue;
            }
            let pair = replies.next().context("value reads: a reply is missing")?;
            let len = match &pair[0] {
                Value::Int(i) => Some(*i),
                _ => None,
            };
            if out.refused.is_none() {
                out.refused = pair.iter().find_map(|v| match v {
                    Value::ServerError(e) if e.code() != "WRONGTYPE" => {
                        Some(format!("{} {}", e.code(), e.details().unwrap_or_default()))
                    }
                    _ => None,
                });
            }
            let type_name = TYPES[*t];
            let value = match (len, &pair[1]) {
                (Some(len), read) if len > 0 && !matches!(read, Value::ServerError(_)) => {
                    let mut it = items_of(type_name, read, random_reads);
                    it.truncate(items);
                    for v in &mut it {
                        v.truncate(cap);
                    }
                    Some(ReadValue {
                        items: it,
                        len: len as u64,
                        string: type_name == "string",
                    })
                }
                _ => None,
            };
            if value.is_some() {
                out.hits += 2;
            } else if len == Some(0) {
                out.misses += 2;
            }
            out.values.push(value);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    #[test]
    fn items_are_the_values_whatever_the_reply_shape() {
        let flat = Value::Array(vec![b("f1"), b("v1"), b("f2"), b("v2")]);
        assert_eq!(
            items_of("hash", &flat, true),
            [b"v1".to_vec(), b"v2".to_vec()]
        );
        let pairs = Value::Array(vec![
            Value::Array(vec![b("f1"), b("v1")]),
            Value::Array(vec![b("f2"), b("v2")]),
        ]);
        assert_eq!(
            items_of("hash", &pairs, true),
            [b"v1".to_vec(), b"v2".to_vec()]
        );
        let hscan = Value::Array(vec![b("0"), flat]);
        assert_eq!(
            items_of("hash", &hscan, false),
            [b"v1".to_vec(), b"v2".to_vec()]
        );
        let zscan = Value::Array(vec![
            b("0"),
            Value::Array(vec![b("m1"), b("1"), b("m2"), b("2")]),
        ]);
        assert_eq!(
            items_of("zset", &zscan, false),
            [b"m1".to_vec(), b"m2".to_vec()]
        );
        let members = Value::Array(vec![b("m1"), b("m2")]);
        assert_eq!(
            items_of("zset", &members, true),
            [b"m1".to_vec(), b"m2".to_vec()]
        );
        assert_eq!(items_of("string", &b("abc"), true), [b"abc".to_vec()]);
    }

    #[test]
    fn every_read_is_bounded() {
        let packed =
            |c: &redis::Cmd| String::from_utf8_lossy(&c.get_packed_command()).replace("\r\n", " ");
        let (len, read) = commands(b"k", 0, 16, 65536, true).unwrap();
        assert!(packed(&len).contains("STRLEN"));
        assert!(
            packed(&read).ends_with("GETRANGE $1 k $1 0 $5 65535 "),
            "{}",
            packed(&read)
        );
        let (_, read) = commands(b"k", 1, 16, 65536, true).unwrap();
        assert!(
            packed(&read).contains("LRANGE $1 k $1 0 $2 15"),
            "{}",
            packed(&read)
        );
        let (_, read) = commands(b"k", 4, 16, 65536, false).unwrap();
        assert!(
            packed(&read).contains("HSCAN $1 k $1 0 $5 COUNT $2 16"),
            "{}",
            packed(&read)
        );
        assert!(
            commands(b"k", 5, 16, 65536, true).is_none(),
            "streams are not read"
        );
    }
}
