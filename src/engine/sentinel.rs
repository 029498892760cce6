//! Redis Sentinel: `redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db]`.
//!
//! The sentinels (default port 26379) are asked in order, the first that answers wins:
//! `SENTINEL GET-MASTER-ADDR-BY-NAME MASTER` names the primary, which is dialled and verified
//! (`ROLE` says `master`; a sentinel may be stale during a failover: then ask again), and
//! `SENTINEL REPLICAS MASTER` names the replicas (`--replicas`, `report`).
//!
//! Credentials follow redis-rs (`SentinelClientBuilder`'s `client_to_redis_*` and
//! `client_to_sentinel_*`) and redis-py (`sentinel_kwargs`): the URL's `user:pass` (or
//! `--password-file`, `$REDISCLI_AUTH`) is for the data nodes, primary and replicas; the
//! sentinels' own password, when they have one (`requirepass` in sentinel.conf), comes from the
//! query parameter `sentinel_password=` (and `sentinel_username=`) or `$CACHECTL_SENTINEL_PASSWORD`.
//!
//! Every reconnect (`warm` and `invalidate` reconnect through `Engine::connect` after a
//! dropped connection, a `READONLY` or `NOREPLICAS` reply) resolves the primary again, so a
//! failover is followed; a primary that changed address since the last resolution is counted
//! in [`failovers`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use redis::aio::MultiplexedConnection;
use redis::{
    AsyncConnectionConfig, ConnectionAddr, ConnectionInfo, IntoConnectionInfo, RedisConnectionInfo,
    Value,
};
use tracing::{debug, warn};

use super::{open, query, ConnSettings, Node, Role};
use crate::redact::url as redact_url;

pub const DEFAULT_PORT: u16 = 26379;
const SCHEMES: [&str; 2] = ["redis+sentinel", "valkey+sentinel"];
const FORM: &str = "redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db]";

/// A parsed sentinel URL.
#[derive(Debug, Clone)]
pub struct SentinelUrl {
    pub sentinels: Vec<(String, u16)>,
    pub master: String,
    /// db, user and password for the data nodes
    pub node: RedisConnectionInfo,
    /// user and password for the sentinels
    pub sentinel: RedisConnectionInfo,
}

/// Whether `u` is a sentinel URL (by its scheme).
pub fn is_sentinel_url(u: &str) -> bool {
    u.trim()
        .split_once("://")
        .is_some_and(|(s, _)| SCHEMES.contains(&s.to_ascii_lowercase().as_str()))
}

/// The sentinel URL among the connection settings (a sentinel URL is always alone).
pub fn of(s: &ConnSettings) -> Option<&str> {
    s.urls
        .first()
        .map(String::as_str)
        .filter(|u| is_sentinel_url(u))
}

/// Where a sentinel-resolved primary comes from, kept by its node so that a reconnect
/// (`Engine::reopen`) resolves it again.
#[derive(Debug)]
pub struct Source {
    url: String,
    password: Option<String>,
    timeout: Duration,
}

impl Source {
    pub(super) fn of(s: &ConnSettings) -> Option<std::sync::Arc<Source>> {
        of(s).map(|url| {
            std::sync::Arc::new(Source {
                url: url.to_string(),
                password: s.password.clone(),
                timeout: s.timeout,
            })
        })
    }

    pub(super) async fn open_primary(&self) -> Result<(ConnectionInfo, MultiplexedConnection)> {
        open_primary(&self.url, self.password.as_deref(), self.timeout)
            .await
            .with_context(|| format!("reconnecting to {}", redact_url(&self.url)))
    }
}

/// Parse a sentinel URL; a malformed one (no master name, a bad port) is a usage error
/// without the password.
pub fn parse(u: &str) -> Result<SentinelUrl> {
    let u = u.trim();
    let invalid = |why: &str| {
        crate::error::usage(format!(
            "invalid sentinel URL `{}`: {why} (expected {FORM})",
            redact_url(u)
        ))
    };
    let rest = u.split_once("://").map_or("", |(_, r)| r);
    let (rest, query) = match rest.rfind('?') {
        Some(q) if q > rest.rfind('@').unwrap_or(0) => (&rest[..q], Some(&rest[q + 1..])),
        _ => (rest, None),
    };
    let (userinfo, rest) = match rest.rfind('@') {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    };
    let (hosts, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut sentinels = Vec::new();
    for h in hosts.split(',').map(str::trim) {
        if h.is_empty() {
            return Err(invalid("an empty sentinel address"));
        }
        sentinels.push(host_port(h).ok_or_else(|| invalid("a bad sentinel host:port"))?);
    }
    let mut segs = path.split('/');
    let master = segs.next().unwrap_or("").trim();
    if master.is_empty() {
        return Err(invalid("no master name"));
    }
    let mut node = RedisConnectionInfo::default();
    if let Some(db) = segs.next().filter(|d| !d.is_empty()) {
        match db.parse::<i64>() {
            Ok(db) if db >= 0 => node = node.set_db(db),
            _ => return Err(invalid("the db after the master name is not a number")),
        }
    }
    if segs.any(|s| !s.is_empty()) {
        return Err(invalid("more path than /MASTER/db"));
    }
    if let Some(ui) = userinfo {
        // as redis-rs reads `redis://name@host`: a lone name is the user
        let (user, pass) = ui.split_once(':').unwrap_or((ui, ""));
        let (user, pass) = (
            crate::redact::percent_decode(user),
            crate::redact::percent_decode(pass),
        );
        if !user.is_empty() {
            node = node.set_username(user);
        }
        if !pass.is_empty() {
            crate::redact::register(&pass);
            node = node.set_password(pass);
        }
    }
    let mut sentinel = RedisConnectionInfo::default();
    if let Ok(pw) = std::env::var("CACHECTL_SENTINEL_PASSWORD") {
        if !pw.is_empty() {
            crate::redact::register(&pw);
            sentinel = sentinel.set_password(pw);
        }
    }
    for kv in query.unwrap_or("").split('&').filter(|kv| !kv.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        let v = crate::redact::percent_decode(v);
        match k {
            "sentinel_password" => {
                crate::redact::register(&v);
                sentinel = sentinel.set_password(v);
            }
            "sentinel_username" => sentinel = sentinel.set_username(v),
            _ => return Err(invalid(&format!("unknown parameter `{k}`"))),
        }
    }
    Ok(SentinelUrl {
        sentinels,
        master: master.to_string(),
        node,
        sentinel,
    })
}

/// `host[:port]`, `[v6][:port]`; the port defaults to 26379.
fn host_port(h: &str) -> Option<(String, u16)> {
    let (host, port) = match h.strip_prefix('[') {
        Some(r) => {
            let (host, tail) = r.split_once(']')?;
            (host, tail.strip_prefix(':'))
        }
        None => match h.rsplit_once(':') {
            Some((host, p)) => (host, Some(p)),
            None => (h, None),
        },
    };
    if host.is_empty() || host.contains(['/', '@', '?']) {
        return None;
    }
    let port = match port {
        Some(p) => p.parse().ok().filter(|&p| p > 0)?,
        None => DEFAULT_PORT,
    };
    Some((host.to_string(), port))
}

impl SentinelUrl {
    /// Connection info for a data node at `host:port`: the URL's db and credentials, else the
    /// password from outside the URL.
    fn node_info(&self, host: &str, port: u16, password: Option<&str>) -> ConnectionInfo {
        let info = ConnectionAddr::Tcp(host.to_string(), port)
            .into_connection_info()
            .expect("an address")
            .set_redis_settings(self.node.clone());
        super::with_password(info, password)
    }

    fn sentinel_info(&self, (host, port): &(String, u16)) -> ConnectionInfo {
        ConnectionAddr::Tcp(host.clone(), *port)
            .into_connection_info()
            .expect("an address")
            .set_redis_settings(self.sentinel.clone())
    }
}

/// One connection attempt, no retry: a sentinel that does not answer is skipped at once.
async fn dial(
    info: &ConnectionInfo,
    timeout: Duration,
) -> redis::RedisResult<MultiplexedConnection> {
    let cfg = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(timeout))
        .set_response_timeout(Some(timeout));
    redis::Client::open(info.clone())?
        .get_multiplexed_async_connection_with_config(&cfg)
        .await
}

/// What the first sentinel that answers says about the master.
enum Answer {
    Primary(String, u16),
    /// every sentinel that answered said nil
    Unknown,
}

/// Ask the sentinels in order for the master's address; the first that answers wins.
async fn ask(su: &SentinelUrl, timeout: Duration) -> Result<(Answer, Vec<String>)> {
    let mut failures = Vec::new();
    let mut answered = false;
    for addr in &su.sentinels {
        let shown = format!("{}:{}", addr.0, addr.1);
        let mut conn = match dial(&su.sentinel_info(addr), timeout).await {
            Ok(c) => c,
            Err(e) => {
                debug!(sentinel = %shown, error = %e, "sentinel unreachable");
                failures.push(format!("{shown}: {}", crate::redact::text(&e.to_string())));
                continue;
            }
        };
        let reply: redis::RedisResult<Option<(String, String)>> = query(
            &mut conn,
            redis::cmd("SENTINEL")
                .arg("GET-MASTER-ADDR-BY-NAME")
                .arg(&su.master),
        )
        .await;
        match reply {
            Ok(Some((host, port))) => {
                let port = port
                    .parse()
                    .map_err(|_| anyhow!("sentinel {shown} gave a bad port `{port}`"))?;
                return Ok((Answer::Primary(host, port), failures));
            }
            Ok(None) => {
                answered = true;
                failures.push(format!("{shown}: unknown master"));
            }
            Err(e) => failures.push(format!("{shown}: {}", crate::redact::text(&e.to_string()))),
        }
    }
    if answered {
        return Ok((Answer::Unknown, failures));
    }
    bail!("no sentinel answered ({})", failures.join("; "))
}

/// Whether the server says it is a primary (`ROLE`).
async fn is_master(conn: &mut MultiplexedConnection) -> redis::RedisResult<bool> {
    let v: Value = query(conn, &redis::cmd("ROLE")).await?;
    let first = match v {
        Value::Array(items) => items.into_iter().next(),
        _ => None,
    };
    Ok(match first {
        Some(Value::BulkString(b)) => b == b"master",
        Some(Value::SimpleString(s)) => s == "master",
        _ => false,
    })
}

static LAST_PRIMARY: Mutex<Option<String>> = Mutex::new(None);
static FAILOVERS: AtomicU64 = AtomicU64::new(0);

/// How many times this run found the primary at a new address (a failover followed).
pub fn failovers() -> u64 {
    FAILOVERS.load(Ordering::SeqCst)
}

fn note_primary(master: &str, addr: &str) {
    let mut last = LAST_PRIMARY.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(old) = last.as_deref() {
        if old != addr {
            FAILOVERS.fetch_add(1, Ordering::SeqCst);
            warn!("failover: the sentinels name {addr} the primary of `{master}` (was {old})");
        }
    }
    *last = Some(addr.to_string());
}

/// Resolve and dial the primary, verified by `ROLE`; during a failover a sentinel may still
/// name the old primary (now a replica): ask again until the `--timeout` budget is spent.
pub(super) async fn open_primary(
    url: &str,
    password: Option<&str>,
    timeout: Duration,
) -> Result<(ConnectionInfo, MultiplexedConnection)> {
    let su = parse(url)?;
    let deadline = Instant::now() + timeout.max(Duration::from_secs(2));
    loop {
        let (answer, failures) = ask(&su, timeout).await?;
        let (host, port) = match answer {
            Answer::Primary(h, p) => (h, p),
            Answer::Unknown => bail!(
                "the sentinels do not know a master named `{}` ({}); SENTINEL MASTERS lists the names they monitor",
                su.master,
                failures.join("; ")
            ),
        };
        let addr = format!("{host}:{port}");
        let info = su.node_info(&host, port, password);
        let why = match open(&info, timeout).await {
            Ok(mut conn) => match is_master(&mut conn).await {
                Ok(true) => {
                    note_primary(&su.master, &addr);
                    return Ok((info, conn));
                }
                Ok(false) => format!("{addr} is not a primary (ROLE)"),
                Err(e) if e.code() == Some("NOAUTH") || e.code() == Some("NOPERM") => {
                    // no ROLE for this user: trust the sentinel
                    debug!(error = %e, "ROLE refused; the sentinel's answer is taken");
                    note_primary(&su.master, &addr);
                    return Ok((info, conn));
                }
                Err(e) => crate::redact::text(&e.to_string()),
            },
            Err(e) => crate::redact::text(&e.to_string()),
        };
        if Instant::now() >= deadline {
            bail!(
                "the primary of `{}` named by the sentinels cannot be used: {why}",
                su.master
            );
        }
        debug!(primary = %addr, %why, "sentinel answer stale, asking again");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The replicas the sentinels know of `url`'s master, as connection infos (those flagged
/// down or disconnected are left out, with a warning).
pub(super) async fn replicas(
    url: &str,
    password: Option<&str>,
    timeout: Duration,
) -> Result<Vec<(String, ConnectionInfo)>> {
    let su = parse(url)?;
    let mut last = None;
    for addr in &su.sentinels {
        let mut conn = match dial(&su.sentinel_info(addr), timeout).await {
            Ok(c) => c,
            Err(e) => {
                last = Some(e);
                continue;
            }
        };
        let v: Value = match query(
            &mut conn,
            redis::cmd("SENTINEL").arg("REPLICAS").arg(&su.master),
        )
        .await
        {
            Ok(v) => v,
            Err(e) => {
                last = Some(e);
                continue;
            }
        };
        let mut out = Vec::new();
        for r in parse_replicas(&v) {
            let shown = format!("{}:{}", r.0, r.1);
            if r.2 {
                warn!(replica = %shown, "the sentinels flag this replica down or disconnected: left out");
                continue;
            }
            out.push((shown, su.node_info(&r.0, r.1, password)));
        }
        return Ok(out);
    }
    let e = last.map_or("no sentinel given".to_string(), |e| {
        crate::redact::text(&e.to_string())
    });
    bail!("SENTINEL REPLICAS {}: {e}", su.master)
}

/// The replicas of a sentinel-resolved primary (`nodes[0]`): with `report` (`all_nodes`) every
/// replica is added; with `--replicas` the first that answers replaces the primary for
/// read-only work (the primary stays when none answers).
pub(super) async fn add_replicas(nodes: &mut Vec<Node>, s: &ConnSettings) -> Result<()> {
    let Some(url) = of(s) else { return Ok(()) };
    let primary = nodes[0].clone();
    let found = match replicas(url, s.password.as_deref(), s.timeout).await {
        Ok(r) => r,
        Err(e) => {
            warn!(
                "replicas unknown, reading the primary only: {}",
                crate::error::one_line(&e)
            );
            Vec::new()
        }
    };
    let mut opened = Vec::new();
    for (addr, info) in found {
        match open(&info, s.timeout).await {
            Ok(conn) => {
                opened.push(Node {
                    addr,
                    role: Role::Replica,
                    version: primary.version,
                    conn,
                    info,
                    shard: 0,
                    no_info: primary.no_info,
                    sentinel: None,
                    confirm_writes: false,
                    links: Default::default(),
                    no_touch: false,
                });
                if !s.all_nodes {
                    break;
                }
            }
            Err(e) => {
                let error = crate::redact::text(&e.to_string());
                warn!(replica = %addr, %error, "replica unreachable: left out");
            }
        }
    }
    if s.all_nodes {
        nodes.extend(opened);
    } else if let Some(r) = opened.into_iter().next() {
        *nodes = vec![r];
    } else {
        warn!(primary = %primary.addr, "--replicas: no usable replica, reading the primary");
    }
    Ok(())
}

/// A Sentinel primary with a connected replica confirms writes with `WAIT 1` (see
/// `Engine::set_batch`): replication is asynchronous, and a batch the old primary acknowledged
/// but had not yet passed on would vanish with it at a failover.
pub(super) async fn confirm_setup(n: &mut Node) {
    if n.sentinel.is_none() {
        return;
    }
    let v: redis::RedisResult<Value> = query(&mut n.conn, &redis::cmd("ROLE")).await;
    n.confirm_writes = match v {
        Ok(Value::Array(items)) => matches!(items.get(2), Some(Value::Array(r)) if !r.is_empty()),
        _ => false,
    };
    debug!(primary = %n.addr, confirm = n.confirm_writes, "writes confirmed by WAIT 1");
}

/// `(ip, port, down)` of each entry of a `SENTINEL REPLICAS` reply (flat key/value arrays in
/// RESP2, maps in RESP3).
fn parse_replicas(v: &Value) -> Vec<(String, u16, bool)> {
    let text = |v: &Value| match v {
        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        Value::SimpleString(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        _ => String::new(),
    };
    let Value::Array(items) = v else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let pairs: Vec<(String, String)> = match item {
            Value::Array(kv) => kv
                .chunks(2)
                .map(|p| (text(&p[0]), p.get(1).map(text).unwrap_or_default()))
                .collect(),
            Value::Map(m) => m.iter().map(|(k, v)| (text(k), text(v))).collect(),
            _ => continue,
        };
        let get = |k: &str| pairs.iter().find(|(a, _)| a == k).map(|(_, b)| b.as_str());
        let (Some(ip), Some(port)) = (get("ip"), get("port").and_then(|p| p.parse().ok())) else {
            continue;
        };
        let flags = get("flags").unwrap_or("");
        let down = flags
            .split(',')
            .any(|f| matches!(f, "s_down" | "o_down" | "disconnected"));
        out.push((ip.to_string(), port, down));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let su = parse("redis+sentinel://u:p%40ss@s1,s2:26380,[::1]:5/mymaster/3").unwrap();
        assert_eq!(
            su.sentinels,
            vec![
                ("s1".to_string(), 26379),
                ("s2".to_string(), 26380),
                ("::1".to_string(), 5)
            ]
        );
        assert_eq!(su.master, "mymaster");
        assert_eq!(su.node.db(), 3);
        assert_eq!(su.node.username(), Some("u"));
        assert_eq!(su.node.password(), Some("p@ss"));
        assert_eq!(su.sentinel.password(), None);
        let su = parse("REDIS+SENTINEL://h/m?sentinel_password=sp").unwrap();
        assert_eq!(su.sentinel.password(), Some("sp"));
        assert_eq!(su.node.password(), None);
        assert_eq!(su.node.db(), 0);
        assert!(is_sentinel_url(" valkey+sentinel://h/m"));
        assert!(!is_sentinel_url("redis://h"));
    }

    #[test]
    fn bad_urls_are_usage_errors_without_the_password() {
        for (url, says) in [
            ("redis+sentinel://:S3cret-pw@h1,h2", "no master name"),
            ("redis+sentinel://:S3cret-pw@h1/", "no master name"),
            ("redis+sentinel://:S3cret-pw@h1:x/m", "host:port"),
            ("redis+sentinel://:S3cret-pw@h1,,h2/m", "empty"),
            ("redis+sentinel://:S3cret-pw@h1/m/zero", "db"),
            (
                "redis+sentinel://h1/m?sentinel_password=S3cret-pw&x=1",
                "unknown parameter",
            ),
        ] {
            let e = parse(url).unwrap_err();
            assert!(
                e.downcast_ref::<crate::error::UsageError>().is_some(),
                "{url}: {e:#}"
            );
            let msg = format!("{e:#}");
            assert!(msg.contains(says), "{url}: {msg}");
            assert!(!msg.contains("S3cret"), "{url}: {msg}");
        }
    }

    #[test]
    fn replicas_reply() {
        let b = |s: &str| Value::BulkString(s.as_bytes().to_vec());
        let entry = |ip: &str, port: &str, flags: &str| {
            Value::Array(vec![
                b("name"),
                b("x"),
                b("ip"),
                b(ip),
                b("port"),
                b(port),
                b("flags"),
                b(flags),
            ])
        };
        let v = Value::Array(vec![
            entry("10.0.0.2", "6380", "slave"),
            entry("10.0.0.3", "6381", "s_down,slave,disconnected"),
        ]);
        assert_eq!(
            parse_replicas(&v),
            vec![
                ("10.0.0.2".to_string(), 6380, false),
                ("10.0.0.3".to_string(), 6381, true)
            ]
        );
    }
}
