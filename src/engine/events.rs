//! Keyspace notifications for `report --patterns` (SPEC §3 report): the only code that
//! subscribes. Each node that serves reads gets its own RESP2 pub/sub connection subscribed to
//! the `keymiss`, `expired` and `evicted` key-events of every database (exact channels, not
//! patterns: cheaper for the server), plus a channel of its
//! own on which the run publishes window markers: a marker is published in the same
//! transaction as the window's INFO sample, so the events between two markers are exactly the
//! ones the two INFO samples enclose.
//!
//! The `notify-keyspace-events` dance lives here too: [`needed_flags`] says what a value lacks,
//! [`Engine::notify_get`] / [`Engine::notify_set`] read and write it per node.

use anyhow::{Context, Result};
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{query, Engine};

/// The flags `report --patterns` needs: key-event channel, key misses, expirations, evictions.
pub const NEEDED: &str = "Exem";

/// The value `notify-keyspace-events` must get so that it holds every flag of [`NEEDED`]
/// (`current` followed by the missing ones), or None when nothing is missing. `A` stands for
/// `g$lshzxetd` (it includes `x` and `e`, never `m`).
pub fn needed_flags(current: &str) -> Option<String> {
    let has = |c: char| current.contains(c) || (current.contains('A') && "xe".contains(c));
    let missing: String = NEEDED.chars().filter(|&c| !has(c)).collect();
    (!missing.is_empty()).then(|| format!("{current}{missing}"))
}

/// What a key-event subscriber sends its reader.
#[derive(Debug, Clone, PartialEq)]
pub enum EventMsg {
    /// `at_s`: the wall-clock second it was received in (bursts are counted per second)
    Miss {
        node: usize,
        key: Vec<u8>,
        at_s: i64,
    },
    Expired {
        node: usize,
        key: Vec<u8>,
    },
    Evicted {
        node: usize,
        key: Vec<u8>,
    },
    /// a marker this run published on the node's own channel
    Marker {
        node: usize,
        text: String,
    },
    /// the subscriber's connection ended (`client-output-buffer-limit pubsub`, a kill, a restart)
    Lost {
        node: usize,
    },
}

/// A running subscriber; dropping it closes the connection.
pub struct Subscriber {
    pub node: usize,
    /// the channel markers for this node are published on
    pub channel: String,
    handle: JoinHandle<()>,
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

fn unix_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The channel a run publishes node `i`'s markers on.
pub fn marker_channel(run: &str, i: usize) -> String {
    format!("cachectl:patterns:{run}:{i}")
}

impl Engine {
    /// `notify-keyspace-events` of node `i`, or None when CONFIG GET is refused.
    pub async fn notify_get(&self, i: usize) -> Option<String> {
        Self::config_get(&self.nodes[i], "notify-keyspace-events").await
    }

    /// Set `notify-keyspace-events` on node `i`.
    pub async fn notify_set(&self, i: usize, value: &str) -> Result<()> {
        let n = &self.nodes[i];
        let mut c = n.conn.clone();
        query::<()>(
            &mut c,
            redis::cmd("CONFIG")
                .arg("SET")
                .arg("notify-keyspace-events")
                .arg(value),
        )
        .await
        .with_context(|| format!("CONFIG SET notify-keyspace-events on {}", n.addr))
    }

    /// Subscribe node `i` to the key-events [`report --patterns`] counts and to its marker
    /// channel; returns once the server confirmed the subscriptions.
    pub async fn subscribe_key_events(
        &self,
        i: usize,
        run: &str,
        tx: mpsc::Sender<EventMsg>,
    ) -> Result<Subscriber> {
        let n = &self.nodes[i];
        let mut info = n.info.clone();
        let redis = info
            .redis_settings()
            .clone()
            .set_protocol(redis::ProtocolVersion::RESP2);
        info = info.set_redis_settings(redis);
        let client = redis::Client::open(info)?;
        let channel = marker_channel(run, i);
        let mut ps = tokio::time::timeout(self.timeout, client.get_async_pubsub())
            .await
            .map_err(|_| anyhow::anyhow!("timed out"))
            .and_then(|r| r.map_err(anyhow::Error::from))
            .with_context(|| format!("subscribing on {}", n.addr))?;
        // exact channels, one per database and event: a pattern subscription costs the server
        // a glob match per published event (measured: 5.1 against 3.7 µs per command of a
        // miss-heavy load, 2.1 without events)
        let dbs = Self::config_get(n, "databases")
            .await
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(16)
            .clamp(1, 256);
        let channels: Vec<String> = (0..dbs)
            .flat_map(|db| {
                ["keymiss", "expired", "evicted"]
                    .into_iter()
                    .map(move |ev| format!("__keyevent@{db}__:{ev}"))
            })
            .collect();
        ps.subscribe(&channels)
            .await
            .with_context(|| format!("SUBSCRIBE on {}", n.addr))?;
        ps.subscribe(&channel)
            .await
            .with_context(|| format!("SUBSCRIBE on {}", n.addr))?;
        let own = channel.clone();
        let handle = tokio::spawn(async move {
            let mut s = ps.into_on_message();
            while let Some(m) = s.next().await {
                let name = m.get_channel_name();
                let payload = m.get_payload_bytes().to_vec();
                let msg = if name == own {
                    EventMsg::Marker {
                        node: i,
                        text: String::from_utf8_lossy(&payload).into_owned(),
                    }
                } else if name.ends_with(":keymiss") {
                    EventMsg::Miss {
                        node: i,
                        key: payload,
                        at_s: unix_s(),
                    }
                } else if name.ends_with(":expired") {
                    EventMsg::Expired {
                        node: i,
                        key: payload,
                    }
                } else if name.ends_with(":evicted") {
                    EventMsg::Evicted {
                        node: i,
                        key: payload,
                    }
                } else {
                    continue;
                };
                if tx.send(msg).await.is_err() {
                    return;
                }
            }
            let _ = tx.send(EventMsg::Lost { node: i }).await;
        });
        Ok(Subscriber {
            node: i,
            channel,
            handle,
        })
    }

    /// One end of a window on node `i`, atomically (MULTI/EXEC): the INFO sample, an `ECHO`
    /// of `marker` (seen by a MONITOR) and a PUBLISH of it on `channel` (seen by the
    /// subscriber). Nothing another client sends can fall between the three. Returns the
    /// INFO text; reconnects once when the connection dropped.
    pub async fn marked_info(&mut self, i: usize, marker: &str, channel: &str) -> Result<String> {
        let pipe = redis::pipe()
            .atomic()
            .cmd("INFO")
            .cmd("ECHO")
            .arg(marker)
            .ignore()
            .cmd("PUBLISH")
            .arg(channel)
            .arg(marker)
            .ignore()
            .clone();
        let mut c = self.nodes[i].conn.clone();
        let r: redis::RedisResult<(String,)> = pipe.query_async(&mut c).await;
        match r {
            Ok((t,)) => Ok(t),
            Err(e) if e.is_io_error() || e.is_connection_dropped() => {
                self.reopen(i).await?;
                let mut c = self.nodes[i].conn.clone();
                let (t,): (String,) = pipe
                    .query_async(&mut c)
                    .await
                    .with_context(|| format!("INFO on {}", self.nodes[i].addr))?;
                Ok(t)
            }
            Err(e) => Err(anyhow::Error::from(e))
                .with_context(|| format!("INFO on {}", self.nodes[i].addr)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_missing_flags_are_added_after_the_original() {
        assert_eq!(needed_flags("").as_deref(), Some("Exem"));
        assert_eq!(needed_flags("Exem"), None);
        assert_eq!(needed_flags("mexE"), None);
        // A holds x and e, never m
        assert_eq!(needed_flags("AE").as_deref(), Some("AEm"));
        assert_eq!(needed_flags("AKEm"), None);
        // keyspace (K) only: the key-event class is missing too
        assert_eq!(needed_flags("Kx").as_deref(), Some("KxEem"));
    }
}
