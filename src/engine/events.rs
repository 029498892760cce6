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

use anyhow::{bail, Context, Result};
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::link::{self, Link};
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
    /// channel; returns once the server confirmed the subscriptions. Events arrive on `tx` in
    /// batches (what one read of the socket held): one hand-over per batch, not per event.
    ///
    /// Over TCP and Unix sockets the messages are read as bytes from a plain socket of the
    /// subscriber's own ([`Link`]); over TLS through redis-rs's pub/sub connection. A
    /// miss-heavy load sends hundreds of thousands of events a second, and every CPU cycle the
    /// subscriber takes is one the server and the application on the same machine may miss
    /// (redis-rs's parser took ~2 µs per event, measured with `perf`).
    pub async fn subscribe_key_events(
        &self,
        i: usize,
        run: &str,
        tx: mpsc::Sender<Vec<EventMsg>>,
    ) -> Result<Subscriber> {
        let n = &self.nodes[i];
        let channel = marker_channel(run, i);
        // exact channels, one per database and event: a pattern subscription costs the server
        // a glob match per published event (measured: 5.1 against 3.7 µs per command of a
        // miss-heavy load, 2.1 without events)
        let dbs = Self::config_get(n, "databases")
            .await
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(16)
            .clamp(1, 256);
        let mut channels: Vec<String> = (0..dbs)
            .flat_map(|db| {
                ["keymiss", "expired", "evicted"]
                    .into_iter()
                    .map(move |ev| format!("__keyevent@{db}__:{ev}"))
            })
            .collect();
        channels.push(channel.clone());
        let own = channel.clone();
        let link = Link::open(&n.info, self.timeout)
            .await
            .with_context(|| format!("subscribing on {}", n.addr))?;
        let handle = match link {
            Some(mut link) => {
                let mut cmd = Vec::new();
                let mut args: Vec<&[u8]> = vec![b"SUBSCRIBE"];
                args.extend(channels.iter().map(|c| c.as_bytes()));
                link::command(&mut cmd, &args);
                tokio::time::timeout(self.timeout, confirm(&mut link, &cmd, channels.len()))
                    .await
                    .map_err(|_| anyhow::anyhow!("timed out"))
                    .and_then(|r| r)
                    .with_context(|| format!("SUBSCRIBE on {}", n.addr))?;
                // every complete message of a read is one batch
                let next = move |buf: &[u8]| {
                    Ok(parse_push(buf)?.map(|(p, used)| {
                        let item = match p {
                            Push::Message { channel, payload } => {
                                event_of(i, channel, payload, own.as_bytes(), unix_s())
                            }
                            _ => None,
                        };
                        (item, used)
                    }))
                };
                tokio::spawn(link.stream(next, tx, EventMsg::Lost { node: i }))
            }
            None => {
                let mut info = n.info.clone();
                let redis = info
                    .redis_settings()
                    .clone()
                    .set_protocol(redis::ProtocolVersion::RESP2);
                info = info.set_redis_settings(redis);
                let client = redis::Client::open(info)?;
                let mut ps = tokio::time::timeout(self.timeout, client.get_async_pubsub())
                    .await
                    .map_err(|_| anyhow::anyhow!("timed out"))
                    .and_then(|r| r.map_err(anyhow::Error::from))
                    .with_context(|| format!("subscribing on {}", n.addr))?;
                ps.subscribe(&channels)
                    .await
                    .with_context(|| format!("SUBSCRIBE on {}", n.addr))?;
                tokio::spawn(async move {
                    let mut s = ps.into_on_message().ready_chunks(1024);
                    while let Some(ms) = s.next().await {
                        let at_s = unix_s();
                        let batch: Vec<EventMsg> = ms
                            .iter()
                            .filter_map(|m| {
                                let name = m.get_channel_name().as_bytes();
                                event_of(i, name, m.get_payload_bytes(), own.as_bytes(), at_s)
                            })
                            .collect();
                        if !batch.is_empty() && tx.send(batch).await.is_err() {
                            return;
                        }
                    }
                    let _ = tx.send(vec![EventMsg::Lost { node: i }]).await;
                })
            }
        };
        Ok(Subscriber {
            node: i,
            channel,
            handle,
        })
    }

    /// A key no application uses, in a slot node `i` serves: `cachectl:probe:{N}:RUN`.
    pub fn probe_key(&self, i: usize, run: &str) -> Vec<u8> {
        let shard = self.nodes[i].shard;
        (0u32..)
            .map(|n| format!("cachectl:probe:{{{n}}}:{run}").into_bytes())
            .find(|k| {
                self.slot_owner.is_empty()
                    || self.nodes[self.slot_owner[super::slot::key_slot(k) as usize] as usize].shard
                        == shard
            })
            .expect("some slot of the shard")
    }

    /// One lookup of `key` on node `i` (`EXISTS`, a keyspace miss): where `notify-keyspace-events`
    /// cannot be read (no CONFIG), whether its `keymiss` event comes through says whether the
    /// server publishes them.
    pub async fn probe_miss(&self, i: usize, key: &[u8]) -> Result<()> {
        let mut c = self.nodes[i].conn.clone();
        query::<i64>(&mut c, redis::cmd("EXISTS").arg(key))
            .await
            .with_context(|| format!("EXISTS on {}", self.nodes[i].addr))?;
        Ok(())
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
        // a dropped connection is opened again (once); a server loading its data after a
        // restart (LOADING, or EXECABORT for it) is waited for, up to --timeout
        let deadline = std::time::Instant::now() + self.timeout;
        let mut reopened = false;
        loop {
            let mut c = self.nodes[i].conn.clone();
            let r: redis::RedisResult<(String,)> = pipe.query_async(&mut c).await;
            match r {
                Ok((t,)) => return Ok(t),
                Err(e) if (e.is_io_error() || e.is_connection_dropped()) && !reopened => {
                    reopened = true;
                    self.reopen(i).await?;
                }
                Err(e) if super::retry::is_loading(&e) && std::time::Instant::now() < deadline => {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => {
                    return Err(anyhow::Error::from(e))
                        .with_context(|| format!("INFO on {}", self.nodes[i].addr))
                }
            }
        }
    }
}

/// The message of `channel` (a key-event or the run's own marker channel), or None.
fn event_of(
    node: usize,
    channel: &[u8],
    payload: &[u8],
    own: &[u8],
    at_s: i64,
) -> Option<EventMsg> {
    Some(if channel == own {
        EventMsg::Marker {
            node,
            text: String::from_utf8_lossy(payload).into_owned(),
        }
    } else if channel.ends_with(b":keymiss") {
        EventMsg::Miss {
            node,
            key: payload.to_vec(),
            at_s,
        }
    } else if channel.ends_with(b":expired") {
        EventMsg::Expired {
            node,
            key: payload.to_vec(),
        }
    } else if channel.ends_with(b":evicted") {
        EventMsg::Evicted {
            node,
            key: payload.to_vec(),
        }
    } else {
        return None;
    })
}

/// Send `subscribe` (one SUBSCRIBE of `n` channels) and wait for its `n` confirmations; a
/// refusal (`-NOPERM`: an ACL without the channels) is the error.
async fn confirm(link: &mut Link, subscribe: &[u8], n: usize) -> Result<()> {
    link.write(subscribe).await?;
    let mut confirmed = 0;
    while confirmed < n {
        match parse_push(link.buffered())? {
            Some((Push::Subscribed, used)) => {
                link.consume(used);
                confirmed += 1;
            }
            Some((Push::Error(e), _)) => bail!("{}", String::from_utf8_lossy(e)),
            Some((_, used)) => link.consume(used),
            None => link.fill().await?,
        }
    }
    Ok(())
}

/// One RESP2 push on a subscriber connection.
#[derive(Debug, PartialEq)]
pub enum Push<'a> {
    /// `message CHANNEL PAYLOAD`
    Message {
        channel: &'a [u8],
        payload: &'a [u8],
    },
    /// `subscribe CHANNEL COUNT`: a subscription confirmed
    Subscribed,
    /// an error reply (a refused SUBSCRIBE)
    Error(&'a [u8]),
    /// anything else (an `unsubscribe`, a `pong`)
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Elem<'a> {
    Bulk(&'a [u8]),
    Int,
    Nil,
}

/// The line starting at `from` (without its CRLF) and where the next one starts.
fn line(rest: &[u8], from: usize) -> Option<(&[u8], usize)> {
    let eol = from + link::crlf(&rest[from..])?;
    Some((&rest[from..eol], eol + 2))
}

fn number(text: &[u8]) -> Result<i64> {
    std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse().ok())
        .context("a malformed length on the subscriber connection")
}

/// The first complete push in `rest` and its length; None while it is incomplete.
pub fn parse_push(rest: &[u8]) -> Result<Option<(Push<'_>, usize)>> {
    let Some((head, mut at)) = line(rest, 0) else {
        return Ok(None);
    };
    match head.first() {
        Some(b'-') => return Ok(Some((Push::Error(&head[1..]), at))),
        Some(b'+') | Some(b':') => return Ok(Some((Push::Other, at))),
        Some(b'*') => {}
        _ => bail!("unexpected reply on the subscriber connection"),
    }
    let n = number(&head[1..])?;
    let mut elems = [Elem::Nil; 3];
    for k in 0..n.max(0) as usize {
        let Some((h, next)) = line(rest, at) else {
            return Ok(None);
        };
        let e = match h.first() {
            Some(b'$') => {
                let len = number(&h[1..])?;
                if len < 0 {
                    at = next;
                    Elem::Nil
                } else {
                    let end = next + len as usize;
                    if rest.len() < end + 2 {
                        return Ok(None);
                    }
                    at = end + 2;
                    Elem::Bulk(&rest[next..end])
                }
            }
            Some(b':') => {
                at = next;
                Elem::Int
            }
            _ => bail!("unexpected element in a pub/sub message"),
        };
        if k < elems.len() {
            elems[k] = e;
        }
    }
    let push = match (n, elems) {
        (3, [Elem::Bulk(b"message"), Elem::Bulk(channel), Elem::Bulk(payload)]) => {
            Push::Message { channel, payload }
        }
        (3, [Elem::Bulk(b"subscribe"), _, Elem::Int]) => Push::Subscribed,
        _ => Push::Other,
    };
    Ok(Some((push, at)))
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

    #[test]
    fn pushes_parse_from_bytes_and_wait_for_the_rest() {
        let msg = b"*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:keymiss\r\n$6\r\na\r\nb:c\r\n";
        let sub = b"*3\r\n$9\r\nsubscribe\r\n$3\r\nabc\r\n:12\r\n";
        let mut all = Vec::new();
        all.extend_from_slice(sub);
        all.extend_from_slice(msg);
        all.extend_from_slice(b"-NOPERM no channel\r\n");
        let (p, used) = parse_push(&all).unwrap().unwrap();
        assert_eq!((p, used), (Push::Subscribed, sub.len()));
        let (p, used2) = parse_push(&all[used..]).unwrap().unwrap();
        assert_eq!(
            p,
            Push::Message {
                channel: b"__keyevent@0__:keymiss",
                payload: b"a\r\nb:c" // a key holding CRLF is read by its length
            }
        );
        assert_eq!(used2, msg.len());
        let (p, _) = parse_push(&all[used + used2..]).unwrap().unwrap();
        assert_eq!(p, Push::Error(b"NOPERM no channel"));
        // every prefix of a push is incomplete, never an error or a wrong message
        for cut in 0..msg.len() {
            assert_eq!(parse_push(&msg[..cut]).unwrap(), None, "cut at {cut}");
        }
        assert!(parse_push(b"?what\r\n").is_err());
        let (p, _) = parse_push(b"*2\r\n$4\r\npong\r\n$-1\r\n").unwrap().unwrap();
        assert_eq!(p, Push::Other);
    }

    #[test]
    fn events_by_channel() {
        let own = b"cachectl:patterns:r:0";
        assert_eq!(
            event_of(1, b"__keyevent@3__:keymiss", b"k", own, 7),
            Some(EventMsg::Miss {
                node: 1,
                key: b"k".to_vec(),
                at_s: 7
            })
        );
        assert_eq!(
            event_of(0, b"__keyevent@0__:expired", b"k", own, 7),
            Some(EventMsg::Expired {
                node: 0,
                key: b"k".to_vec()
            })
        );
        assert_eq!(
            event_of(0, own, b"r:1:start", own, 7),
            Some(EventMsg::Marker {
                node: 0,
                text: "r:1:start".into()
            })
        );
        assert_eq!(event_of(0, b"other", b"k", own, 7), None);
    }
}
