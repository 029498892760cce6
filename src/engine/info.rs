//! Parsing of server replies that carry structure in text: INFO, CLUSTER NODES, CLUSTER SHARDS.
//! Pure functions, unit-tested without a server.

use std::collections::HashMap;

use redis::Value;

/// `INFO` text -> field map (section headers and blank lines skipped).
pub fn parse_info(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.trim_end_matches('\r').split_once(':'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `db0:keys=10,expires=2,avg_ttl=0` -> (keys, expires) of one keyspace line.
pub fn parse_keyspace_db(v: &str) -> (u64, u64) {
    let mut keys = 0;
    let mut expires = 0;
    for part in v.split(',') {
        if let Some((k, n)) = part.split_once('=') {
            match k {
                "keys" => keys = n.parse().unwrap_or(0),
                "expires" => expires = n.parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    (keys, expires)
}

/// `7.2.4` -> (7, 2, 4)
pub fn parse_version(v: &str) -> (u32, u32, u32) {
    let mut it = v.split('.').map(|p| p.parse().unwrap_or(0));
    (
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardNode {
    pub id: String,
    pub host: String,
    pub port: u16,
    pub primary: bool,
    /// `online` in CLUSTER SHARDS / `connected` without fail flags in CLUSTER NODES
    pub healthy: bool,
    /// not failed (CLUSTER SHARDS `loading` replicas are usable but not preferred)
    pub usable: bool,
    /// CLUSTER SHARDS `tls-port`, for TLS clusters
    pub tls_port: Option<u16>,
}

/// One shard: its primary and replicas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    pub slots: Vec<(u16, u16)>,
    pub nodes: Vec<ShardNode>,
}

/// CLUSTER NODES text -> shards. Lines: `id addr flags master ping pong epoch state slots…`.
pub fn parse_cluster_nodes(text: &str) -> Vec<Shard> {
    let mut primaries: Vec<(String, Shard)> = Vec::new();
    let mut replicas: Vec<(String, ShardNode)> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 8 {
            continue;
        }
        let flags: Vec<&str> = f[2].split(',').collect();
        if flags.contains(&"noaddr") || flags.contains(&"handshake") {
            continue;
        }
        // ip:port@cport[,hostname]
        let addr = f[1].split(',').next().unwrap_or("");
        let addr = addr.split('@').next().unwrap_or("");
        let Some((host, port)) = addr.rsplit_once(':') else {
            continue;
        };
        let Ok(port) = port.parse() else { continue };
        let node = ShardNode {
            id: f[0].to_string(),
            host: host.trim_matches(['[', ']']).to_string(),
            port,
            primary: flags.contains(&"master"),
            healthy: !flags.iter().any(|x| x.starts_with("fail")) && f[7] == "connected",
            // a replica whose process died shows `disconnected` before it is flagged `fail`
            // (node timeout): not usable either; a primary owns slots, so it stays
            usable: !flags.iter().any(|x| x.starts_with("fail"))
                && (flags.contains(&"master") || f[7] == "connected"),
            tls_port: None,
        };
        if node.primary {
            let slots = f[8..]
                .iter()
                .filter(|s| !s.starts_with('['))
                .filter_map(|s| match s.split_once('-') {
                    Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
                    None => s.parse().ok().map(|v| (v, v)),
                })
                .collect();
            primaries.push((
                node.id.clone(),
                Shard {
                    slots,
                    nodes: vec![node],
                },
            ));
        } else {
            replicas.push((f[3].to_string(), node));
        }
    }
    for (master, node) in replicas {
        if let Some((_, shard)) = primaries.iter_mut().find(|(id, _)| *id == master) {
            shard.nodes.push(node);
        }
    }
    primaries
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| !s.slots.is_empty())
        .collect()
}

fn value_str(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) => Some(s.clone()),
        Value::VerbatimString { text, .. } => Some(text.clone()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

fn value_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        other => value_str(other)?.parse().ok(),
    }
}

/// A RESP2 flat array of key/value pairs or a RESP3 map, as (key, value) pairs.
fn pairs(v: &Value) -> Vec<(String, &Value)> {
    match v {
        Value::Array(items) => items
            .chunks(2)
            .filter_map(|c| Some((value_str(c.first()?)?, c.get(1)?)))
            .collect(),
        Value::Map(items) => items
            .iter()
            .filter_map(|(k, v)| Some((value_str(k)?, v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// What `HELLO` (no arguments, 6.2+) says of the server, as text: `server` (`redis` or
/// `valkey`), `version`, `mode` (`standalone`, `cluster`, `sentinel`), `role` (`master`,
/// `replica`). A user without +info may still run it: it is the engine's second source.
pub fn parse_hello(v: &Value) -> HashMap<String, String> {
    pairs(v)
        .into_iter()
        .filter_map(|(k, v)| Some((k, value_str(v)?)))
        .collect()
}

/// CLUSTER SHARDS reply (Redis 7.0+) -> shards.
pub fn parse_cluster_shards(v: &Value) -> Vec<Shard> {
    let Value::Array(shards) = v else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for shard in shards {
        let mut slots = Vec::new();
        let mut nodes = Vec::new();
        for (k, val) in pairs(shard) {
            match (k.as_str(), val) {
                ("slots", Value::Array(s)) => {
                    for c in s.chunks(2) {
                        if let (Some(a), Some(b)) =
                            (c.first().and_then(value_int), c.get(1).and_then(value_int))
                        {
                            slots.push((a as u16, b as u16));
                        }
                    }
                }
                ("nodes", Value::Array(ns)) => {
                    for n in ns {
                        let mut node = ShardNode {
                            id: String::new(),
                            host: String::new(),
                            port: 0,
                            primary: false,
                            healthy: true,
                            usable: true,
                            tls_port: None,
                        };
                        let mut endpoint = String::new();
                        let mut ip = String::new();
                        for (nk, nv) in pairs(n) {
                            match nk.as_str() {
                                "id" => node.id = value_str(nv).unwrap_or_default(),
                                "port" => node.port = value_int(nv).unwrap_or(0) as u16,
                                "tls-port" => {
                                    node.tls_port =
                                        value_int(nv).filter(|p| *p > 0).map(|p| p as u16)
                                }
                                "ip" => ip = value_str(nv).unwrap_or_default(),
                                "endpoint" => endpoint = value_str(nv).unwrap_or_default(),
                                "role" => node.primary = value_str(nv).as_deref() == Some("master"),
                                "health" => {
                                    let h = value_str(nv);
                                    node.healthy = h.as_deref() == Some("online");
                                    // Redis 7.0 shows idle replicas at offset 0 as `loading`
                                    node.usable = h.as_deref() != Some("fail");
                                }
                                _ => {}
                            }
                        }
                        node.host = if endpoint.is_empty() || endpoint == "?" {
                            ip
                        } else {
                            endpoint
                        };
                        if (node.port != 0 || node.tls_port.is_some()) && !node.host.is_empty() {
                            nodes.push(node);
                        }
                    }
                }
                _ => {}
            }
        }
        // primary first
        nodes.sort_by_key(|n| !n.primary);
        if !slots.is_empty() && nodes.first().is_some_and(|n| n.primary) {
            out.push(Shard { slots, nodes });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_fields() {
        let text = "# Server\r\nredis_version:7.0.15\r\nrun_id:abc\r\n\r\n# Keyspace\r\ndb0:keys=10,expires=2,avg_ttl=0\r\n";
        let m = parse_info(text);
        assert_eq!(m["redis_version"], "7.0.15");
        assert_eq!(parse_keyspace_db(&m["db0"]), (10, 2));
        assert_eq!(parse_version("7.2.4"), (7, 2, 4));
        assert_eq!(parse_version("6.2"), (6, 2, 0));
    }

    #[test]
    fn hello_reply() {
        let bs = |s: &str| Value::BulkString(s.as_bytes().to_vec());
        let reply = Value::Array(vec![
            bs("server"),
            bs("redis"),
            bs("version"),
            bs("7.0.15"),
            bs("proto"),
            Value::Int(2),
            bs("mode"),
            bs("cluster"),
            bs("role"),
            bs("replica"),
            bs("modules"),
            Value::Array(vec![]),
        ]);
        let h = parse_hello(&reply);
        assert_eq!(h["version"], "7.0.15");
        assert_eq!(h["mode"], "cluster");
        assert_eq!(h["role"], "replica");
        assert_eq!(h["proto"], "2");
        assert!(!h.contains_key("modules"));
        // RESP3 answers a map
        let map = Value::Map(vec![(bs("server"), bs("valkey"))]);
        assert_eq!(parse_hello(&map)["server"], "valkey");
    }

    #[test]
    fn cluster_nodes_text() {
        let text = "\
a1 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460
b2 127.0.0.1:30002@40002 master - 0 1 2 connected 5461-10922
c3 127.0.0.1:30003@40003,host3 master - 0 1 3 connected 10923-16383 [42->-b2]
d4 127.0.0.1:30004@40004 slave a1 0 1 1 connected
e5 127.0.0.1:30005@40005 slave,fail b2 0 1 2 disconnected
f6 127.0.0.1:30006@40006 slave c3 0 1 3 disconnected
";
        let shards = parse_cluster_nodes(text);
        assert_eq!(shards.len(), 3);
        assert_eq!(shards[0].slots, vec![(0, 5460)]);
        assert_eq!(shards[0].nodes.len(), 2);
        assert_eq!(shards[0].nodes[1].port, 30004);
        assert!(!shards[1].nodes[1].healthy);
        assert!(!shards[1].nodes[1].usable);
        // died, not yet flagged fail
        assert_eq!(shards[2].nodes[1].port, 30006);
        assert!(!shards[2].nodes[1].usable && !shards[2].nodes[1].healthy);
        assert!(shards[0].nodes[1].usable);
        assert_eq!(shards[2].slots, vec![(10923, 16383)]);
    }

    #[test]
    fn cluster_shards_reply() {
        let bs = |s: &str| Value::BulkString(s.as_bytes().to_vec());
        let node = |id: &str, port: i64, role: &str| {
            Value::Array(vec![
                bs("id"),
                bs(id),
                bs("port"),
                Value::Int(port),
                bs("ip"),
                bs("127.0.0.1"),
                bs("endpoint"),
                bs("127.0.0.1"),
                bs("role"),
                bs(role),
                bs("health"),
                bs("online"),
            ])
        };
        let reply = Value::Array(vec![Value::Array(vec![
            bs("slots"),
            Value::Array(vec![Value::Int(0), Value::Int(5460)]),
            bs("nodes"),
            Value::Array(vec![
                node("r", 30004, "replica"),
                node("p", 30001, "master"),
            ]),
        ])]);
        let shards = parse_cluster_shards(&reply);
        assert_eq!(shards.len(), 1);
        assert_eq!(shards[0].nodes[0].tls_port, None);
        assert_eq!(shards[0].slots, vec![(0, 5460)]);
        assert!(shards[0].nodes[0].primary);
        assert_eq!(shards[0].nodes[0].port, 30001);
    }
}
