//! Writes: UNLINK (DEL fallback), TTL caps, EXISTS, set/zset member scans, PUBLISH.
//! Multi-key commands are grouped by slot so they are valid on a cluster; every batch is
//! one pipeline per node.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use redis::Value;

use super::slot::key_slot;
use super::{query, Engine};

impl Engine {
    /// Index in `nodes` of the node that owns `key` (always 0 standalone).
    pub fn node_for(&self, key: &[u8]) -> usize {
        if self.slot_owner.is_empty() {
            return 0;
        }
        let owner = self.slot_owner[key_slot(key) as usize];
        if owner == u16::MAX {
            0
        } else {
            owner as usize
        }
    }

    /// Group keys by owning node.
    pub fn by_node(&self, keys: Vec<Vec<u8>>) -> BTreeMap<usize, Vec<Vec<u8>>> {
        let mut out: BTreeMap<usize, Vec<Vec<u8>>> = BTreeMap::new();
        for k in keys {
            out.entry(self.node_for(&k)).or_default().push(k);
        }
        out
    }

    /// One multi-key command per slot, all in one pipeline to `node`. Returns the summed
    /// integer replies.
    async fn per_slot_pipeline(&self, node: usize, cmd: &str, keys: &[Vec<u8>]) -> Result<u64> {
        if keys.is_empty() {
            return Ok(0);
        }
        let mut groups: BTreeMap<u16, Vec<&Vec<u8>>> = BTreeMap::new();
        for k in keys {
            let slot = if self.cluster { key_slot(k) } else { 0 };
            groups.entry(slot).or_default().push(k);
        }
        let mut pipe = redis::pipe();
        for g in groups.values() {
            let c = pipe.cmd(cmd);
            for k in g {
                c.arg(k.as_slice());
            }
        }
        let n = &self.nodes[node];
        let mut conn = n.conn.clone();
        let replies: Vec<i64> = pipe
            .query_async(&mut conn)
            .await
            .with_context(|| format!("{cmd} on {}", n.addr))?;
        Ok(replies.iter().map(|&r| r.max(0) as u64).sum())
    }

    /// UNLINK the keys (all owned by `node`); DEL where the server has no UNLINK.
    /// Returns how many existed and were removed.
    ///
    /// Behind Sentinel the deletion is confirmed by a replica (`WAIT 1`) as warm's writes are;
    /// an unconfirmed batch is an error a reconnect can fix (a timeout), so invalidate sends it
    /// again to the primary the sentinels name (what it removes then counts as deleted, what is
    /// already gone as unknown), and a failover cannot bring deleted keys back.
    pub async fn unlink(&self, node: usize, keys: &[Vec<u8>]) -> Result<u64> {
        let removed = match self.per_slot_pipeline(node, "UNLINK", keys).await {
            Err(e) if format!("{e:#}").contains("unknown command") => {
                self.per_slot_pipeline(node, "DEL", keys).await
            }
            r => r,
        }?;
        let n = &self.nodes[node];
        if n.confirm_writes && removed > 0 {
            if let Err(e) = self.confirm(n).await {
                let timeout = std::io::Error::new(std::io::ErrorKind::TimedOut, format!("{e:#}"));
                return Err(anyhow::Error::new(redis::RedisError::from(timeout))
                    .context(format!("UNLINK on {} not confirmed by a replica", n.addr)));
            }
        }
        Ok(removed)
    }

    /// How many of the keys exist.
    pub async fn exists(&self, node: usize, keys: &[Vec<u8>]) -> Result<u64> {
        self.per_slot_pipeline(node, "EXISTS", keys).await
    }

    /// Cap each key's TTL at `ms` (graceful invalidation): keys without a TTL or with a longer
    /// one get `ms`; shorter TTLs are kept. Returns how many keys were changed.
    pub async fn cap_ttl(&self, node: usize, keys: &[Vec<u8>], ms: u64) -> Result<u64> {
        if keys.is_empty() {
            return Ok(0);
        }
        let n = &self.nodes[node];
        let mut conn = n.conn.clone();
        let targets: Vec<&Vec<u8>> = if n.version >= (7, 0, 0) {
            keys.iter().collect()
        } else {
            // no `PEXPIRE … LT` before 7.0: read PTTLs first, then set only where needed
            let mut pipe = redis::pipe();
            for k in keys {
                pipe.cmd("PTTL").arg(k.as_slice());
            }
            let ttls: Vec<i64> = pipe
                .query_async(&mut conn)
                .await
                .with_context(|| format!("PTTL on {}", n.addr))?;
            keys.iter()
                .zip(ttls)
                .filter(|(_, t)| *t == -1 || *t > ms as i64)
                .map(|(k, _)| k)
                .collect()
        };
        if targets.is_empty() {
            // every TTL is already short enough: an empty pipeline is a client error
            return Ok(0);
        }
        let mut pipe = redis::pipe();
        for k in &targets {
            let c = pipe.cmd("PEXPIRE").arg(k.as_slice()).arg(ms);
            if n.version >= (7, 0, 0) {
                c.arg("LT");
            }
        }
        let replies: Vec<i64> = pipe
            .query_async(&mut conn)
            .await
            .with_context(|| format!("PEXPIRE on {}", n.addr))?;
        Ok(replies.iter().filter(|&&r| r == 1).count() as u64)
    }

    /// PUBLISH a message; returns how many subscribers received it.
    pub async fn publish(&self, channel: &str, message: &str) -> Result<u64> {
        let n = &self.nodes[0];
        let mut conn = n.conn.clone();
        let v: Value = query(&mut conn, redis::cmd("PUBLISH").arg(channel).arg(message))
            .await
            .with_context(|| format!("PUBLISH {channel} on {}", n.addr))?;
        Ok(match v {
            Value::Int(i) => i.max(0) as u64,
            _ => 0,
        })
    }
}

/// How `warm` writes a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetMode {
    /// SET
    Overwrite,
    /// SET NX: never overwrite
    Missing,
    /// write only keys that are missing or whose TTL is below this many ms
    Refresh(u64),
}

#[derive(Debug, Clone)]
pub struct SetItem {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    pub ttl_ms: Option<u64>,
}

/// The server's error reply behind a failed call, as `CODE detail` (the form of
/// [`SetOutcome::Failed`]); `None` for a connection error.
pub fn server_error(e: &anyhow::Error) -> Option<String> {
    let r = e
        .chain()
        .find_map(|c| c.downcast_ref::<redis::RedisError>())?;
    let code = r.code()?;
    Some(format!("{code} {}", r.detail().unwrap_or_default()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetOutcome {
    Written,
    Skipped,
    /// the server refused this one key (e.g. OOM): the message
    Failed(String),
}

impl Engine {
    /// Write a batch of keys owned by `node` in one pipeline (two for `Refresh`: PTTLs first).
    /// `Err` means the connection failed and nothing is known about the batch.
    pub async fn set_batch(
        &self,
        node: usize,
        items: &[SetItem],
        mode: SetMode,
    ) -> Result<Vec<SetOutcome>> {
        let n = &self.nodes[node];
        let mut conn = n.conn.clone();
        let mut todo: Vec<bool> = vec![true; items.len()];
        if let SetMode::Refresh(below) = mode {
            let mut pipe = redis::pipe();
            for it in items {
                pipe.cmd("PTTL").arg(it.key.as_slice());
            }
            let ttls: Vec<i64> = pipe
                .query_async(&mut conn)
                .await
                .with_context(|| format!("PTTL on {}", n.addr))?;
            for (t, pttl) in todo.iter_mut().zip(ttls) {
                *t = pttl == -2 || (pttl >= 0 && (pttl as u64) < below);
            }
        }
        let mut pipe = redis::Pipeline::with_capacity(items.len());
        pipe.ignore_errors();
        for (it, _) in items.iter().zip(&todo).filter(|(_, t)| **t) {
            // sized up front: warm's hot path, where reallocations dominated the client's CPU
            let mut c = redis::Cmd::with_capacity(6, it.key.len() + it.value.len() + 32);
            c.arg("SET").arg(it.key.as_slice()).arg(it.value.as_slice());
            if let Some(ms) = it.ttl_ms {
                c.arg("PX").arg(ms.max(1));
            }
            if mode == SetMode::Missing {
                c.arg("NX");
            }
            pipe.add_command(c);
        }
        let replies: Vec<Value> = if todo.iter().any(|t| *t) {
            pipe.query_async(&mut conn)
                .await
                .with_context(|| format!("SET on {}", n.addr))?
        } else {
            Vec::new()
        };
        if n.confirm_writes && !replies.is_empty() {
            self.confirm(n).await?;
        }
        let mut replies = replies.into_iter();
        Ok(todo
            .iter()
            .map(|t| {
                if !t {
                    return SetOutcome::Skipped;
                }
                match replies.next() {
                    Some(Value::Okay) | Some(Value::SimpleString(_)) => SetOutcome::Written,
                    Some(Value::Nil) => SetOutcome::Skipped, // NX and the key exists
                    Some(Value::ServerError(e)) => SetOutcome::Failed(format!(
                        "{} {}",
                        e.code(),
                        e.details().unwrap_or_default()
                    )),
                    other => SetOutcome::Failed(format!("unexpected reply {other:?}")),
                }
            })
            .collect())
    }

    /// `WAIT 1`: a replica holds what this connection wrote. Behind Sentinel a batch is
    /// confirmed so, and sent again (after the primary is resolved anew) when no replica
    /// confirms it: a failover would otherwise lose what the old primary had not passed on.
    async fn confirm(&self, n: &super::Node) -> Result<()> {
        let wait_ms = self.timeout.as_millis().clamp(100, 1000) as u64;
        let mut conn = n.conn.clone();
        let acked: i64 = query(&mut conn, redis::cmd("WAIT").arg(1).arg(wait_ms))
            .await
            .with_context(|| format!("WAIT on {}", n.addr))?;
        if acked < 1 {
            anyhow::bail!(
                "no replica of {} confirmed the batch within {wait_ms} ms (a failover under way?)",
                n.addr
            );
        }
        Ok(())
    }

    /// Take a lock: `SET key token NX PX ttl`. Returns the current holder when it is taken.
    pub async fn lock_acquire(
        &self,
        key: &str,
        token: &str,
        ttl_ms: u64,
    ) -> Result<Option<String>> {
        let n = &self.nodes[self.node_for(key.as_bytes())];
        let mut conn = n.conn.clone();
        let got: Option<String> = query(
            &mut conn,
            redis::cmd("SET")
                .arg(key)
                .arg(token)
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms),
        )
        .await
        .with_context(|| format!("taking lock {key}"))?;
        if got.is_some() {
            return Ok(None);
        }
        let holder: Option<String> = query(&mut conn, redis::cmd("GET").arg(key))
            .await
            .unwrap_or(None);
        Ok(Some(holder.unwrap_or_else(|| "unknown".into())))
    }

    /// Extend (ttl_ms > 0) or release (ttl_ms == 0) a lock only if `token` still holds it.
    /// A lock that vanished (the server restarted without persistence) is taken again: no one
    /// else holds it. A bounded O(1) script, so a lock that expired and was taken by someone
    /// else is left alone (false: lost).
    pub async fn lock_touch(&self, key: &str, token: &str, ttl_ms: u64) -> Result<bool> {
        const SCRIPT: &str = "local v = redis.call('GET', KEYS[1]) \
             if v == ARGV[1] then \
               if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end \
               return redis.call('PEXPIRE', KEYS[1], ARGV[2]) \
             elseif v == false and ARGV[2] ~= '0' then \
               redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 \
             else return 0 end";
        let n = &self.nodes[self.node_for(key.as_bytes())];
        let mut conn = n.conn.clone();
        let r: i64 = query(
            &mut conn,
            redis::cmd("EVAL")
                .arg(SCRIPT)
                .arg(1)
                .arg(key)
                .arg(token)
                .arg(ttl_ms),
        )
        .await
        .with_context(|| format!("renewing lock {key}"))?;
        Ok(r == 1)
    }
}

/// Single-key calls for the live stampede simulation (routed to the owning node).
impl Engine {
    pub async fn get(&self, key: &str) -> Result<Option<String>> {
        let n = &self.nodes[self.node_for(key.as_bytes())];
        let mut c = n.conn.clone();
        query(&mut c, redis::cmd("GET").arg(key))
            .await
            .with_context(|| format!("GET on {}", n.addr))
    }

    /// SET with PX; `nx` only if absent. Returns whether it was set.
    pub async fn set_px(&self, key: &str, value: &str, ms: u64, nx: bool) -> Result<bool> {
        let n = &self.nodes[self.node_for(key.as_bytes())];
        let mut c = n.conn.clone();
        let mut cmd = redis::cmd("SET");
        cmd.arg(key).arg(value).arg("PX").arg(ms.max(1));
        if nx {
            cmd.arg("NX");
        }
        let r: Option<String> = query(&mut c, &cmd)
            .await
            .with_context(|| format!("SET on {}", n.addr))?;
        Ok(r.is_some())
    }
}

/// Small writes the demo uses to build its keyspace.
impl Engine {
    pub async fn hincrby(&self, key: &str, field: &str, by: i64) -> Result<i64> {
        let n = &self.nodes[self.node_for(key.as_bytes())];
        let mut c = n.conn.clone();
        query(&mut c, redis::cmd("HINCRBY").arg(key).arg(field).arg(by))
            .await
            .with_context(|| format!("HINCRBY on {}", n.addr))
    }

    pub async fn sadd(&self, key: &str, members: &[String]) -> Result<i64> {
        let n = &self.nodes[self.node_for(key.as_bytes())];
        let mut c = n.conn.clone();
        query(&mut c, redis::cmd("SADD").arg(key).arg(members))
            .await
            .with_context(|| format!("SADD on {}", n.addr))
    }
}
