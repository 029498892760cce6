//! The engine: the only code that speaks Redis. Commands ask it for topology, streams of
//! probed keys and server facts; they never build protocol commands themselves.

pub mod events;
pub mod info;
pub mod link;
pub mod monitor;
pub mod read;
pub mod retry;
pub mod scan;
pub mod sentinel;
pub mod slot;
pub mod sync;
pub mod tags;
pub mod tls;
pub mod values;
pub mod write;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, ConnectionAddr, ConnectionInfo, IntoConnectionInfo, Value};
use serde::Serialize;
use tracing::{debug, info, warn};

use crate::redact::url as redact_url;

/// How to reach the server(s).
#[derive(Debug, Clone)]
pub struct ConnSettings {
    /// One URL, or several cluster seed URLs.
    pub urls: Vec<String>,
    /// Password for URLs that carry none (--password-file, then $REDISCLI_AUTH).
    pub password: Option<String>,
    pub force_cluster: bool,
    pub replicas: bool,
    pub timeout: Duration,
    /// Connect to every node of every shard, primaries and replicas (report).
    pub all_nodes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Primary,
    Replica,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Replica => "replica",
        }
    }
}

/// One server the engine talks to.
#[derive(Clone)]
pub struct Node {
    /// `host:port` (or the socket path)
    pub addr: String,
    pub role: Role,
    pub version: (u32, u32, u32),
    /// private: the compiler keeps every protocol exchange inside `engine`
    conn: MultiplexedConnection,
    /// how to connect again (report reconnects across restarts)
    pub info: ConnectionInfo,
    /// index of the shard (cluster) this node serves; 0 standalone
    pub shard: usize,
    /// this user may not run INFO here (told once, at connect)
    no_info: bool,
    /// a primary found through Sentinel: a reconnect asks the sentinels again
    sentinel: Option<std::sync::Arc<sentinel::Source>>,
    /// writes are confirmed by `WAIT 1` (a Sentinel primary with a replica): a batch counts as
    /// written once a replica that could be promoted holds it
    confirm_writes: bool,
    /// plain sockets for warm's batches (`link`), one per writer in flight
    links: link::Links,
    /// `CLIENT NO-TOUCH on` was accepted: reads on this connection leave LRU/LFU alone
    pub no_touch: bool,
}

pub struct Engine {
    pub cluster: bool,
    /// The nodes read-only work runs on: every primary, or one replica per shard with --replicas.
    pub nodes: Vec<Node>,
    pub url_redacted: String,
    pub timeout: Duration,
    /// Cluster: the index in `nodes` that owns each of the 16384 slots (empty when standalone).
    pub slot_owner: Vec<u16>,
    /// Valkey (INFO `server_name:valkey`), whose `redis_version` says 7.2.4 whatever it is
    pub valkey: bool,
}

/// Bounded connect retry: refused/timeouts are retried with backoff while the overall
/// `--timeout` budget lasts; authentication and protocol errors fail at once.
async fn open(
    info: &ConnectionInfo,
    timeout: Duration,
) -> redis::RedisResult<MultiplexedConnection> {
    let deadline = Instant::now() + timeout;
    let mut backoff = Duration::from_millis(100);
    let mut attempt = 1;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let mut cfg = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(remaining.max(Duration::from_millis(50))))
            .set_response_timeout(Some(timeout));
        let client = match tls::sni_route(info) {
            Some((routed, resolver)) => {
                cfg = cfg.set_dns_resolver(resolver);
                redis::Client::open(routed)?
            }
            None => redis::Client::open(info.clone())?,
        };
        match client
            .get_multiplexed_async_connection_with_config(&cfg)
            .await
        {
            Ok(c) => return Ok(c),
            Err(e) => {
                let transient = (e.is_io_error() || e.is_connection_refusal() || e.is_timeout())
                    && tls::explain(&e).is_none();
                let left = deadline.saturating_duration_since(Instant::now());
                if !transient || left <= backoff || attempt >= 5 {
                    return Err(e);
                }
                debug!(attempt, error = %e, "connect failed, retrying");
                tokio::time::sleep(backoff).await;
                backoff *= 2;
                attempt += 1;
            }
        }
    }
}

/// A connection error in one line: a TLS failure says why and what fixes it (`tls::explain`).
fn describe(e: &redis::RedisError) -> String {
    tls::explain(e).unwrap_or_else(|| crate::redact::text(&e.to_string()))
}

fn addr_string(a: &ConnectionAddr) -> String {
    match a {
        ConnectionAddr::Tcp(h, p) => format!("{h}:{p}"),
        ConnectionAddr::TcpTls { host, port, .. } => format!("{host}:{port}"),
        ConnectionAddr::Unix(p) => p.display().to_string(),
        _ => "?".to_string(),
    }
}

/// The address of a cluster node, over TLS (its announced `tls-port`) when the seed is TLS.
fn with_addr(seed: &ConnectionInfo, node: &info::ShardNode) -> ConnectionInfo {
    let host = node.host.clone();
    let addr = match seed.addr() {
        ConnectionAddr::TcpTls {
            insecure,
            tls_params,
            ..
        } => ConnectionAddr::TcpTls {
            host,
            port: node.tls_port.unwrap_or(node.port),
            insecure: *insecure,
            // the same trust store and client certificate as the seed (`--cacert`, `--cert`)
            tls_params: tls_params.clone(),
        },
        _ => ConnectionAddr::Tcp(host, node.port),
    };
    seed.clone().set_addr(addr)
}

/// The schemes redis-rs connects with.
const SCHEMES: [&str; 7] = [
    "redis",
    "rediss",
    "valkey",
    "valkeys",
    "unix",
    "redis+unix",
    "valkey+unix",
];

/// Parse a URL into redis-rs connection info; errors are usage errors without the password.
pub fn parse_url(url: &str) -> Result<ConnectionInfo> {
    let u = url.trim();
    if sentinel::is_sentinel_url(u) {
        // checked whole here; resolved through the sentinels at connect (`open_seed`)
        let su = sentinel::parse(u)?;
        let (host, port) = su.sentinels[0].clone();
        return Ok(ConnectionAddr::Tcp(host, port).into_connection_info()?);
    }
    let invalid = |why: String| {
        crate::error::usage(format!(
            "invalid URL `{}`: {why} (expected redis://[user[:pass]@]host[:port][/db], rediss://…, unix:///path)",
            redact_url(u),
        ))
    };
    let normalized = match u.split_once("://") {
        Some((scheme, _)) if !SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) => {
            let shown = if scheme.len() <= 16
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            {
                format!("unknown scheme `{scheme}`")
            } else {
                "unknown scheme".to_string()
            };
            return Err(invalid(shown));
        }
        Some(_) => u.to_string(),
        None if crate::redact::bare_address(u) => format!("redis://{u}"),
        None => {
            return Err(invalid(
                "no `//` after a scheme, and not a bare host[:port][/db] either".into(),
            ))
        }
    };
    normalized
        .as_str()
        .into_connection_info()
        .map_err(|e| invalid(crate::redact::text(&e.to_string())))
}

/// A password from outside the URL, for a URL without one (the URL's own password wins).
pub fn with_password(info: ConnectionInfo, password: Option<&str>) -> ConnectionInfo {
    match password {
        Some(pw) if info.redis_settings().password().is_none() => {
            let redis = info.redis_settings().clone().set_password(pw);
            info.set_redis_settings(redis)
        }
        _ => info,
    }
}

/// Open the first seed URL that answers (the others are tried in turn).
async fn open_seed(
    s: &ConnSettings,
    url_redacted: &str,
) -> Result<(ConnectionInfo, MultiplexedConnection)> {
    if let Some(url) = sentinel::of(s) {
        return sentinel::open_primary(url, s.password.as_deref(), s.timeout)
            .await
            .with_context(|| format!("cannot connect to {url_redacted}"));
    }
    let mut last_err = None;
    for url in &s.urls {
        let info = tls::apply(with_password(parse_url(url)?, s.password.as_deref()));
        match open(&info, s.timeout).await {
            Ok(c) => return Ok((info, c)),
            Err(e) => {
                // with several seeds, say which one failed; the final error says the rest
                if s.urls.len() > 1 {
                    warn!(url = %redact_url(url), error = %e, "seed node unreachable");
                }
                last_err = Some(e);
            }
        }
    }
    let e = last_err.map(|e| anyhow!(describe(&e)));
    Err(e
        .unwrap_or_else(|| anyhow!("no URL given"))
        .context(format!("cannot connect to {url_redacted}")))
}

/// The version of a server that would not say (INFO and HELLO refused): features that need
/// a given version stay off, except the harmless `CLIENT NO-TOUCH`, which is tried.
const UNKNOWN_VERSION: (u32, u32, u32) = (0, 0, 0);

/// What the seed server says about itself.
struct Facts {
    version: (u32, u32, u32),
    valkey: bool,
    cluster: bool,
    /// the seed's role (standalone; cluster roles come from the topology)
    role: Role,
    /// this user may not run INFO
    no_info: bool,
}

/// The optional commands this user may not run (an ACL user `+@all -@dangerous`, a managed
/// service that renames them) and what the run does without them: said in one warning line.
#[derive(Default)]
struct Degraded {
    refused: Vec<&'static str>,
    /// the server's first refusal, e.g. `NOPERM`
    code: Option<String>,
    instead: Vec<String>,
}

impl Degraded {
    fn refuse(&mut self, cmd: &'static str, e: &redis::RedisError) {
        debug!(error = %e, "{cmd} refused");
        self.refused.push(cmd);
        if self.code.is_none() {
            self.code = e.code().map(str::to_string);
        }
    }

    fn line(&self) -> Option<String> {
        if self.refused.is_empty() {
            return None;
        }
        let code = self
            .code
            .as_deref()
            .map_or(String::new(), |c| format!(" ({c})"));
        Some(format!(
            "this user may not run {}{code}: {}",
            self.refused.join(", "),
            self.instead.join("; ")
        ))
    }

    /// The warning, at most once per run (warm reconnects; each connect reads the facts).
    fn warn_once(&self) {
        static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if let Some(line) = self.line() {
            if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
                warn!("{line}");
            }
        }
    }
}

/// The server refused the command: not allowed to this user (ACL), or renamed away.
fn is_refusal(e: &redis::RedisError) -> bool {
    e.code() == Some("NOPERM") || unknown_command(e)
}

/// `unknown command` / `unknown subcommand` (Redis 6.0 spells it `Unknown subcommand`).
fn unknown_command(e: &redis::RedisError) -> bool {
    e.detail().is_some_and(|d| {
        let d = d.to_ascii_lowercase();
        d.contains("unknown command") || d.contains("unknown subcommand")
    })
}

/// Version, flavour, cluster mode and role of the seed: from INFO; when this user may not run
/// INFO, from HELLO, else from `--cluster` or a CLUSTER SHARDS probe (said in `degraded`).
/// `report` (`all_nodes`) reads INFO for its data: a refusal is its error.
async fn read_facts(
    conn: &mut MultiplexedConnection,
    s: &ConnSettings,
    url_redacted: &str,
    degraded: &mut Degraded,
) -> Result<Facts> {
    let facts = match query::<String>(conn, redis::cmd("INFO").arg("server")).await {
        Ok(text) => facts_from_info(conn, &text).await,
        Err(e) if e.code() == Some("NOAUTH") => bail!(
            "{url_redacted} requires a password: give it with --password-file FILE, $REDISCLI_AUTH, or in the URL (redis://user:PASSWORD@host, best in $CACHECTL_URL)"
        ),
        Err(e) if is_refusal(&e) && s.all_nodes => bail!(
            "report reads INFO, and this user may not run it on {url_redacted} ({} {}): grant the user +info",
            e.code().unwrap_or_default(),
            e.detail().unwrap_or_default()
        ),
        Err(e) if is_refusal(&e) => {
            degraded.refuse("INFO", &e);
            facts_without_info(conn, s, degraded).await
        }
        Err(e) => return Err(anyhow!(e).context(format!("INFO on {url_redacted}"))),
    };
    if s.force_cluster && !facts.cluster {
        bail!("--cluster given but {url_redacted} is not a cluster node (cluster_enabled:0)");
    }
    Ok(facts)
}

async fn facts_from_info(conn: &mut MultiplexedConnection, server_text: &str) -> Facts {
    let server = info::parse_info(server_text);
    let cluster_text: String = query(conn, redis::cmd("INFO").arg("cluster"))
        .await
        .unwrap_or_default();
    let cluster = info::parse_info(&cluster_text)
        .get("cluster_enabled")
        .is_some_and(|v| v == "1");
    let mut role = Role::Primary;
    if !cluster {
        let repl: String = query(conn, redis::cmd("INFO").arg("replication"))
            .await
            .unwrap_or_default();
        if info::parse_info(&repl).get("role").map(String::as_str) == Some("slave") {
            role = Role::Replica;
        }
    }
    Facts {
        version: info::parse_version(server.get("redis_version").map_or("0", |v| v.as_str())),
        valkey: server.get("server_name").is_some_and(|v| v == "valkey")
            || server.contains_key("valkey_version"),
        cluster,
        role,
        no_info: false,
    }
}

async fn facts_without_info(
    conn: &mut MultiplexedConnection,
    s: &ConnSettings,
    degraded: &mut Degraded,
) -> Facts {
    let mut facts = Facts {
        version: UNKNOWN_VERSION,
        valkey: false,
        cluster: s.force_cluster,
        role: Role::Primary,
        no_info: true,
    };
    match query::<Value>(conn, &redis::cmd("HELLO")).await {
        Ok(v) => {
            let hello = info::parse_hello(&v);
            facts.version = info::parse_version(hello.get("version").map_or("0", |v| v.as_str()));
            facts.valkey = hello.get("server").is_some_and(|v| v == "valkey");
            facts.cluster = hello.get("mode").is_some_and(|m| m == "cluster");
            if hello
                .get("role")
                .is_some_and(|r| r == "replica" || r == "slave")
            {
                facts.role = Role::Replica;
            }
            degraded
                .instead
                .push("version and cluster mode from HELLO".into());
            return facts;
        }
        Err(e) => degraded.refuse("HELLO", &e),
    }
    degraded.instead.push("server version unknown".into());
    if s.force_cluster {
        degraded.instead.push("cluster mode from --cluster".into());
        return facts;
    }
    match cluster_probe(conn).await {
        Ok(cluster) => {
            facts.cluster = cluster;
            degraded
                .instead
                .push("cluster mode from CLUSTER SHARDS".into());
        }
        Err(e) => {
            degraded.refuse("CLUSTER SHARDS", &e);
            degraded
                .instead
                .push("cluster mode unknown, standalone assumed (--cluster for a cluster)".into());
        }
    }
    facts
}

/// Whether the server is a cluster node, from `CLUSTER SHARDS` (`CLUSTER NODES` before 7.0):
/// a standalone server answers `cluster support disabled`.
async fn cluster_probe(conn: &mut MultiplexedConnection) -> redis::RedisResult<bool> {
    let disabled = |e: &redis::RedisError| {
        e.detail()
            .is_some_and(|d| d.contains("cluster support disabled"))
    };
    let e = match query::<Value>(conn, redis::cmd("CLUSTER").arg("SHARDS")).await {
        Ok(_) => return Ok(true),
        Err(e) if disabled(&e) => return Ok(false),
        Err(e) => e,
    };
    if !unknown_command(&e) {
        return Err(e);
    }
    match query::<Value>(conn, redis::cmd("CLUSTER").arg("NODES")).await {
        Ok(_) => Ok(true),
        Err(e) if disabled(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Which nodes of each shard a connection reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// every primary
    Primaries,
    /// one replica per shard (`--replicas`), its primary when none can be reached
    Replicas,
    /// every node, primaries and replicas (report)
    AllNodes,
}

impl Reads {
    fn of(s: &ConnSettings) -> Reads {
        if s.all_nodes {
            Reads::AllNodes
        } else if s.replicas {
            Reads::Replicas
        } else {
            Reads::Primaries
        }
    }
}

/// The nodes of one shard to open, in order.
#[derive(Debug, PartialEq, Eq)]
struct Picks<'a> {
    /// (node, whether it may be left out when it cannot be reached): a replica that died but
    /// is not flagged `fail` yet still looks usable, so reaching it is the real test; the
    /// primary is never optional
    open: Vec<(&'a info::ShardNode, bool)>,
    /// replicas the cluster marks failed or disconnected, left out (`AllNodes`)
    failed: Vec<&'a info::ShardNode>,
}

/// Which nodes of `shard` (its primary first) to open: the primary; or the healthy replicas,
/// then the usable ones, then the primary as the fallback (`Replicas`: the first reached is
/// kept); or the primary and every usable replica (`AllNodes`).
fn pick_nodes(shard: &info::Shard, reads: Reads) -> Picks<'_> {
    let primary = &shard.nodes[0];
    let replicas = || shard.nodes.iter().filter(|n| !n.primary);
    let mut failed = Vec::new();
    let open = match reads {
        Reads::Primaries => vec![(primary, false)],
        Reads::Replicas => replicas()
            .filter(|n| n.healthy)
            .chain(replicas().filter(|n| n.usable && !n.healthy))
            .map(|n| (n, true))
            .chain([(primary, false)])
            .collect(),
        Reads::AllNodes => {
            let mut v = vec![(primary, false)];
            for r in replicas() {
                if r.usable {
                    v.push((r, true));
                } else {
                    failed.push(r);
                }
            }
            v
        }
    };
    Picks { open, failed }
}

/// The slot map: each of the 16384 slots to the index (in the engine's `nodes`) of the first
/// node opened for the shard serving it (`first_node[shard]`); `u16::MAX` for a slot no shard
/// serves.
fn slot_owners(shards: &[info::Shard], first_node: &[usize]) -> Vec<u16> {
    let mut owner = vec![u16::MAX; slot::SLOTS as usize];
    for (shard, &first) in shards.iter().zip(first_node) {
        for &(a, b) in &shard.slots {
            for sl in a..=b.min(slot::SLOTS - 1) {
                owner[sl as usize] = first as u16;
            }
        }
    }
    owner
}

/// Send one command on a connection (the engine's single call site for `query_async`).
pub async fn query<T: redis::FromRedisValue>(
    conn: &mut MultiplexedConnection,
    cmd: &redis::Cmd,
) -> redis::RedisResult<T> {
    cmd.query_async(conn).await
}

impl Engine {
    /// The same connections, primaries only: one engine connected to every node (report)
    /// serves a keyspace scan too (`recommend --observe`), without connecting twice.
    pub fn primaries(&self) -> Engine {
        let keep: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].role == Role::Primary)
            .collect();
        let mut new_index = vec![u16::MAX; self.nodes.len()];
        for (n, &i) in keep.iter().enumerate() {
            new_index[i] = n as u16;
        }
        Engine {
            cluster: self.cluster,
            nodes: keep.iter().map(|&i| self.nodes[i].clone()).collect(),
            url_redacted: self.url_redacted.clone(),
            timeout: self.timeout,
            slot_owner: self
                .slot_owner
                .iter()
                .map(|&o| {
                    if o == u16::MAX {
                        o
                    } else {
                        new_index[o as usize]
                    }
                })
                .collect(),
            valkey: self.valkey,
        }
    }

    pub async fn connect(s: &ConnSettings) -> Result<Engine> {
        let url_redacted = redact_url(&s.urls.join(","));
        let (seed_info, mut seed_conn) = open_seed(s, &url_redacted).await?;
        let mut degraded = Degraded::default();
        let facts = read_facts(&mut seed_conn, s, &url_redacted, &mut degraded).await?;
        let Facts {
            version,
            valkey,
            cluster: cluster_enabled,
            role: seed_role,
            no_info,
        } = facts;
        let (mut nodes, slot_owner) = if cluster_enabled {
            Self::open_cluster(
                &mut seed_conn,
                &seed_info,
                s,
                &url_redacted,
                version,
                no_info,
            )
            .await?
        } else {
            let seed = Node {
                addr: addr_string(seed_info.addr()),
                role: seed_role,
                version,
                conn: seed_conn,
                info: seed_info.clone(),
                shard: 0,
                no_info,
                sentinel: sentinel::Source::of(s),
                confirm_writes: false,
                links: Default::default(),
                no_touch: false,
            };
            let mut nodes = vec![seed];
            sentinel::confirm_setup(&mut nodes[0]).await;
            if sentinel::of(s).is_some() && (s.replicas || s.all_nodes) {
                sentinel::add_replicas(&mut nodes, s).await?;
            }
            (nodes, Vec::new())
        };
        for n in &mut nodes {
            Self::prepare(n).await;
        }
        if no_info
            && Self::config_get(&nodes[0], "maxmemory-policy")
                .await
                .is_none()
        {
            degraded.refused.push("CONFIG GET");
            degraded.instead.push("eviction policy unknown".into());
        }
        degraded.warn_once();
        info!(
            nodes = nodes.len(),
            cluster = cluster_enabled,
            version = format!("{}.{}.{}", version.0, version.1, version.2),
            "connected to {url_redacted}"
        );
        Ok(Engine {
            cluster: cluster_enabled,
            nodes,
            url_redacted,
            timeout: s.timeout,
            slot_owner,
            valkey,
        })
    }

    /// Read the topology and open the nodes of every shard that `s` asks for; returns them
    /// and the slot map (each slot to the index of its shard's first node).
    async fn open_cluster(
        seed_conn: &mut MultiplexedConnection,
        seed_info: &ConnectionInfo,
        s: &ConnSettings,
        url_redacted: &str,
        version: (u32, u32, u32),
        no_info: bool,
    ) -> Result<(Vec<Node>, Vec<u16>)> {
        let shards = Self::discover(seed_conn)
            .await
            .map_err(|e| anyhow!(crate::redact::text(&e.to_string())))
            .with_context(|| {
                format!("reading the cluster topology of {url_redacted} (the user needs +cluster|shards, or +cluster|nodes before Redis 7.0)")
            })?;
        if shards.is_empty() {
            bail!("cluster at {url_redacted} has no slots assigned");
        }
        let reads = Reads::of(s);
        let mut nodes = Vec::new();
        let mut first_node = Vec::with_capacity(shards.len());
        for (idx, shard) in shards.iter().enumerate() {
            first_node.push(nodes.len());
            for (pick, optional) in Self::shard_picks(shard, reads) {
                let ci = with_addr(seed_info, pick);
                let addr = format!("{}:{}", pick.host, pick.port);
                let conn = match open(&ci, s.timeout).await {
                    Ok(c) => c,
                    Err(e) if optional => {
                        let error = crate::redact::text(&e.to_string());
                        let primary = &shard.nodes[0];
                        match reads {
                            Reads::AllNodes => {
                                warn!(replica = addr, %error, "replica unreachable: left out")
                            }
                            _ => warn!(
                                replica = addr,
                                %error,
                                "--replicas: replica unreachable, reading {}:{} instead",
                                primary.host,
                                primary.port
                            ),
                        }
                        continue;
                    }
                    Err(e) => {
                        return Err(anyhow!(describe(&e)))
                            .with_context(|| format!("cannot connect to cluster node {addr}"))
                    }
                };
                let role = if pick.primary {
                    Role::Primary
                } else {
                    Role::Replica
                };
                nodes.push(Node {
                    addr,
                    role,
                    version,
                    conn,
                    info: ci,
                    shard: idx,
                    no_info,
                    sentinel: None,
                    confirm_writes: false,
                    links: Default::default(),
                    no_touch: false,
                });
                if reads == Reads::Replicas {
                    break; // one node per shard
                }
            }
        }
        let owners = slot_owners(&shards, &first_node);
        Ok((nodes, owners))
    }

    /// [`pick_nodes`], and the warnings about the replicas it leaves out.
    fn shard_picks(shard: &info::Shard, reads: Reads) -> Vec<(&info::ShardNode, bool)> {
        let picks = pick_nodes(shard, reads);
        for r in &picks.failed {
            warn!(
                replica = format!("{}:{}", r.host, r.port),
                "replica is marked failed or disconnected: left out"
            );
        }
        if reads == Reads::Replicas && picks.open.len() == 1 {
            let p = &shard.nodes[0];
            warn!(
                primary = format!("{}:{}", p.host, p.port),
                "--replicas: shard has no usable replica, reading its primary"
            );
        }
        picks.open
    }

    /// Topology from CLUSTER SHARDS (7.0+), falling back to CLUSTER NODES.
    async fn discover(conn: &mut MultiplexedConnection) -> redis::RedisResult<Vec<info::Shard>> {
        match query::<Value>(conn, &redis::cmd("CLUSTER").arg("SHARDS").clone()).await {
            Ok(v) => {
                let mut shards = info::parse_cluster_shards(&v);
                if !shards.is_empty() {
                    // SHARDS says `online` for a replica that died until it is flagged `fail`;
                    // the link state in CLUSTER NODES already shows it `disconnected`
                    if let Ok(text) =
                        query::<String>(conn, redis::cmd("CLUSTER").arg("NODES")).await
                    {
                        let down: Vec<String> = info::parse_cluster_nodes(&text)
                            .into_iter()
                            .flat_map(|s| s.nodes)
                            .filter(|n| !n.usable)
                            .map(|n| n.id)
                            .collect();
                        for n in shards.iter_mut().flat_map(|s| s.nodes.iter_mut()) {
                            if !n.primary && down.contains(&n.id) {
                                n.usable = false;
                                n.healthy = false;
                            }
                        }
                    }
                    return Ok(shards);
                }
            }
            Err(e) => debug!(error = %e, "CLUSTER SHARDS unavailable, using CLUSTER NODES"),
        }
        let text: String = query(conn, redis::cmd("CLUSTER").arg("NODES")).await?;
        Ok(info::parse_cluster_nodes(&text))
    }

    /// Per-connection setup: a client name, READONLY on replicas, and CLIENT NO-TOUCH
    /// (7.2+) so even commands that would touch keys leave LRU/LFU alone. Best effort.
    async fn prepare(n: &mut Node) {
        let _ = query::<()>(
            &mut n.conn,
            redis::cmd("CLIENT").arg("SETNAME").arg("cachectl"),
        )
        .await;
        if n.role == Role::Replica {
            let _ = query::<()>(&mut n.conn, &redis::cmd("READONLY")).await;
        }
        // an unknown version (INFO and HELLO refused) tries it: an error is harmless
        if n.version >= (7, 2, 0) || n.version == UNKNOWN_VERSION {
            match query::<()>(&mut n.conn, redis::cmd("CLIENT").arg("NO-TOUCH").arg("on")).await {
                Ok(()) => n.no_touch = true,
                Err(e) => debug!(node = %n.addr, error = %e, "CLIENT NO-TOUCH refused"),
            }
        }
    }

    /// Open a fresh connection to node `i` (after a restart or a dropped connection).
    pub async fn reopen(&mut self, i: usize) -> Result<()> {
        let n = &mut self.nodes[i];
        if let Some(src) = n.sentinel.clone() {
            // the primary may have moved: ask the sentinels again
            let (info, conn) = src.open_primary().await?;
            n.addr = addr_string(info.addr());
            n.info = info;
            n.conn = conn;
            n.links = Default::default();
            sentinel::confirm_setup(n).await;
            Self::prepare(n).await;
            return Ok(());
        }
        let conn = open(&n.info, self.timeout)
            .await
            .map_err(|e| anyhow!(describe(&e)))
            .with_context(|| format!("reconnecting to {}", n.addr))?;
        n.conn = conn;
        n.links = Default::default();
        Self::prepare(n).await;
        Ok(())
    }

    /// Full `INFO` text of node `i`, reconnecting once if the connection dropped.
    pub async fn info_text(&mut self, i: usize) -> Result<String> {
        let mut c = self.nodes[i].conn.clone();
        match query::<String>(&mut c, &redis::cmd("INFO")).await {
            Ok(t) => Ok(t),
            Err(e) => {
                debug!(node = %self.nodes[i].addr, error = %e, "INFO failed, reconnecting");
                self.reopen(i).await?;
                let mut c = self.nodes[i].conn.clone();
                query::<String>(&mut c, &redis::cmd("INFO"))
                    .await
                    .with_context(|| format!("INFO on {}", self.nodes[i].addr))
            }
        }
    }

    /// Round-trip times of `n` PINGs to node `i` (PING touches no key: no hit, no miss). A
    /// server still loading its data after a restart (`LOADING`) is waited for, up to
    /// `--timeout`.
    pub async fn ping_times(&self, i: usize, n: usize) -> Result<Vec<Duration>> {
        let mut c = self.nodes[i].conn.clone();
        let mut out = Vec::with_capacity(n);
        let deadline = Instant::now() + self.timeout;
        while out.len() < n {
            let t = Instant::now();
            match query::<String>(&mut c, &redis::cmd("PING")).await {
                Ok(_) => out.push(t.elapsed()),
                Err(e) if retry::is_loading(&e) && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    return Err(anyhow::Error::from(e))
                        .with_context(|| format!("PING on {}", self.nodes[i].addr))
                }
            }
        }
        Ok(out)
    }

    /// HGETALL of a hash (on the node owning it). Note: a read, so it counts as a keyspace
    /// hit or miss on that node: callers keep it outside measurement windows.
    pub async fn hgetall(&self, key: &str) -> Result<HashMap<String, String>> {
        let n = &self.nodes[self.node_for(key.as_bytes())];
        let mut c = n.conn.clone();
        query(&mut c, redis::cmd("HGETALL").arg(key))
            .await
            .with_context(|| format!("HGETALL {key} on {}", n.addr))
    }

    /// DBSIZE of one node.
    pub async fn dbsize(node: &Node) -> Result<u64> {
        let mut c = node.conn.clone();
        query(&mut c, &redis::cmd("DBSIZE"))
            .await
            .with_context(|| format!("DBSIZE on {}", node.addr))
    }

    /// The node's maxmemory-policy: CONFIG GET, else the `maxmemory_policy` field of
    /// `INFO memory` (an ACL user without +config, a managed service that renames CONFIG).
    pub async fn eviction_policy(node: &Node) -> Option<String> {
        if let Some(p) = Self::config_get(node, "maxmemory-policy").await {
            return Some(p);
        }
        if node.no_info {
            // INFO was refused at connect, whose one warning said the policy is unknown
            return None;
        }
        let mut c = node.conn.clone();
        match query::<String>(&mut c, redis::cmd("INFO").arg("memory")).await {
            Ok(text) => {
                let p = info::parse_info(&text).remove("maxmemory_policy");
                if p.is_some() {
                    debug!(node = %node.addr, "maxmemory-policy read from INFO memory");
                } else {
                    warn!(node = %node.addr, "maxmemory-policy unknown: CONFIG GET refused and INFO memory has no maxmemory_policy");
                }
                p
            }
            Err(e) => {
                warn!(node = %node.addr, error = %e, "maxmemory-policy unknown: CONFIG GET and INFO memory refused");
                None
            }
        }
    }

    /// A CONFIG GET value, or None when CONFIG is disabled (managed services rename it).
    pub async fn config_get(node: &Node, param: &str) -> Option<String> {
        let mut c = node.conn.clone();
        let v: redis::RedisResult<HashMap<String, String>> =
            query(&mut c, redis::cmd("CONFIG").arg("GET").arg(param)).await;
        match v {
            Ok(m) => m.get(param).cloned(),
            Err(e) => {
                debug!(node = %node.addr, error = %e, "CONFIG GET {param} refused");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(port: u16, primary: bool, healthy: bool, usable: bool) -> info::ShardNode {
        info::ShardNode {
            id: port.to_string(),
            host: "10.0.0.1".into(),
            port,
            primary,
            healthy,
            usable,
            tls_port: None,
        }
    }

    fn ports(p: &Picks) -> Vec<(u16, bool)> {
        p.open.iter().map(|(n, o)| (n.port, *o)).collect()
    }

    #[test]
    fn picks_per_reading_mode() {
        let shard = info::Shard {
            slots: vec![(0, 100)],
            nodes: vec![
                node(1, true, true, true),
                // loading: usable, not preferred
                node(2, false, false, true),
                node(3, false, true, true),
                node(4, false, false, false),
            ],
        };
        let p = pick_nodes(&shard, Reads::Primaries);
        assert_eq!(ports(&p), vec![(1, false)]);
        assert!(p.failed.is_empty());
        // healthy replicas first, then usable ones, the primary last; failed never
        let p = pick_nodes(&shard, Reads::Replicas);
        assert_eq!(ports(&p), vec![(3, true), (2, true), (1, false)]);
        assert!(p.failed.is_empty());
        let p = pick_nodes(&shard, Reads::AllNodes);
        assert_eq!(ports(&p), vec![(1, false), (2, true), (3, true)]);
        assert_eq!(p.failed.iter().map(|n| n.port).collect::<Vec<_>>(), vec![4]);
        // no usable replica: --replicas reads the primary
        let alone = info::Shard {
            slots: vec![(0, 1)],
            nodes: vec![node(1, true, true, true), node(2, false, false, false)],
        };
        assert_eq!(
            ports(&pick_nodes(&alone, Reads::Replicas)),
            vec![(1, false)]
        );
    }

    #[test]
    fn slot_map_points_at_each_shards_first_node() {
        let shard = |slots: Vec<(u16, u16)>| info::Shard {
            slots,
            nodes: vec![node(1, true, true, true)],
        };
        let shards = vec![
            shard(vec![(0, 5460)]),
            shard(vec![(5461, 10922), (16000, 16383)]),
            // a range past the last slot is clamped
            shard(vec![(10923, 15999), (16383, 20000)]),
        ];
        // the second shard opened two nodes (report): the third starts at index 3
        let owner = slot_owners(&shards, &[0, 1, 3]);
        assert_eq!(owner.len(), 16384);
        assert_eq!((owner[0], owner[5460]), (0, 0));
        assert_eq!((owner[5461], owner[10922], owner[16000]), (1, 1, 1));
        assert_eq!((owner[10923], owner[15999], owner[16383]), (3, 3, 3));
        let partial = slot_owners(&shards[..1], &[0]);
        assert_eq!((partial[5460], partial[5461]), (0, u16::MAX));
    }

    #[test]
    fn one_warning_line_says_what_the_run_went_without() {
        assert_eq!(Degraded::default().line(), None);
        let noperm = redis::RedisError::from((
            redis::ErrorKind::Server(redis::ServerErrorKind::NoPerm),
            "",
            "this user has no permissions to run the 'info' command".to_string(),
        ));
        assert!(is_refusal(&noperm));
        // Redis 6.0 without CLUSTER SHARDS; a server error that is no refusal
        let err = |detail: &str| {
            redis::RedisError::from((
                redis::ErrorKind::Server(redis::ServerErrorKind::ResponseError),
                "",
                detail.to_string(),
            ))
        };
        assert!(is_refusal(&err(
            "Unknown subcommand or wrong number of arguments for 'SHARDS'. Try CLUSTER HELP."
        )));
        assert!(!is_refusal(&err(
            "This instance has cluster support disabled"
        )));
        let mut d = Degraded::default();
        d.refuse("INFO", &noperm);
        d.instead.push("server version unknown".into());
        d.refuse("CLUSTER SHARDS", &noperm);
        d.instead.push("cluster mode unknown".into());
        assert_eq!(
            d.line().unwrap(),
            "this user may not run INFO, CLUSTER SHARDS (NOPERM): server version unknown; cluster mode unknown"
        );
    }

    #[test]
    fn malformed_urls_are_usage_errors_without_the_password() {
        for (url, says) in [
            ("redis:S3cret-pw@127.0.0.1", "no `//`"),
            ("redis:S3cret-pw@host:6379/0", "bare host"),
            ("http://u:S3cret-pw@127.0.0.1", "unknown scheme `http`"),
            ("redis+sentinel://:S3cret-pw@h:1", "no master name"),
        ] {
            let e = parse_url(url).unwrap_err();
            assert!(
                e.downcast_ref::<crate::error::UsageError>().is_some(),
                "{url}: {e:#}"
            );
            let msg = format!("{e:#}");
            assert!(msg.contains(says), "{url}: {msg}");
            assert!(!msg.contains("S3cret"), "{url}: {msg}");
        }
        for ok in [
            "redis://h:1/2",
            "rediss://u:p@h",
            "unix:///tmp/r.sock",
            "REDIS://h",
            "h:1",
        ] {
            assert!(parse_url(ok).is_ok(), "{ok}");
        }
    }
}
