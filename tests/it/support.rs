//! Real `redis-server` processes for tests: one per test on a free port below 45000 (so the
//! cluster bus port, port+10000, is valid), and a 3-primary cluster built with
//! `redis-cli --cluster create`. Processes are killed when the handle drops.
//!
//! The server binary is `$CACHECTL_TEST_SERVER` (a path), default `redis-server` from PATH:
//! `.ci/run` runs `matrix::` and `report_patterns::core_` once per other server of the version
//! matrix (Redis 6.0, 6.2, Valkey 9).

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use cachectl::engine::info::parse_cluster_nodes;
use cachectl::engine::slot::key_slot;

static NEXT_PORT: AtomicU16 = AtomicU16::new(0);

/// The server binary under test: `$CACHECTL_TEST_SERVER`, else `redis-server` from PATH.
pub fn server_bin() -> String {
    std::env::var("CACHECTL_TEST_SERVER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "redis-server".into())
}

/// What `server_bin() --version` says: (is Valkey, its own version).
pub fn server_kind() -> (bool, (u32, u32, u32)) {
    static KIND: OnceLock<(bool, (u32, u32, u32))> = OnceLock::new();
    *KIND.get_or_init(|| {
        let out = Command::new(server_bin())
            .arg("--version")
            .output()
            .expect("server --version");
        let text = String::from_utf8_lossy(&out.stdout);
        let v = text
            .split_whitespace()
            .find_map(|w| w.strip_prefix("v="))
            .unwrap_or("0");
        (
            text.to_lowercase().contains("valkey"),
            cachectl::engine::info::parse_version(v),
        )
    })
}

/// The Redis version the server claims to be compatible with (`redis_version` in INFO):
/// Valkey 8/9 say 7.2.4.
pub fn redis_compat_version() -> (u32, u32, u32) {
    match server_kind() {
        (true, _) => (7, 2, 4),
        (false, v) => v,
    }
}

/// `redis 7.0.15` / `valkey 9.1.2`
pub fn server_label() -> String {
    let (valkey, (a, b, c)) = server_kind();
    format!("{} {a}.{b}.{c}", if valkey { "valkey" } else { "redis" })
}

/// A port p in 20000..27500 such that p and its cluster bus port p+10000 are free. Server
/// ports and bus ports live in disjoint ranges so one test's server never takes another's bus.
pub fn free_port() -> u16 {
    let _ = NEXT_PORT.compare_exchange(
        0,
        (std::process::id() % 250) as u16 * 30,
        Ordering::SeqCst,
        Ordering::SeqCst,
    );
    loop {
        let p = 20000 + NEXT_PORT.fetch_add(1, Ordering::SeqCst) % 7500;
        if TcpListener::bind(("127.0.0.1", p)).is_ok()
            && TcpListener::bind(("127.0.0.1", p + 10000)).is_ok()
        {
            return p;
        }
    }
}

pub struct RedisServer {
    pub port: u16,
    child: Child,
    pub dir: tempfile::TempDir,
}

impl RedisServer {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// A new server on a free port. A server that exits before answering (its port taken in
    /// the moment between `free_port` and its bind, or any other start failure) is started again
    /// on another port, up to three times; the panic then shows its log.
    pub fn start_with(extra: &[&str]) -> Self {
        let mut attempts = Vec::new();
        for _ in 0..3 {
            let dir = tempfile::tempdir().expect("tempdir");
            let port = free_port();
            let child = spawn_server(port, dir.path(), extra);
            let mut s = RedisServer { port, child, dir };
            match s.try_ready() {
                Ok(()) => return s,
                Err(why) => {
                    eprintln!("redis-server did not start, trying another port: {why}");
                    attempts.push(why)
                }
            }
        }
        panic!("redis-server did not start: {}", attempts.join(" | "));
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kill the server now (it was killed, not shut down: clients see a dropped connection).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The server's process id (for SIGSTOP/SIGCONT in fault tests).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kill it and start it again on the same port and dir without waiting until it answers
    /// (with AOF it is LOADING for a while).
    pub fn restart_nowait(&mut self, extra: &[&str]) {
        self.kill();
        self.child = spawn_server(self.port, self.dir.path(), extra);
    }

    /// Start it again on the same port (empty: nothing is persisted).
    pub fn restart(&mut self, extra: &[&str]) {
        self.kill();
        self.child = spawn_server(self.port, self.dir.path(), extra);
        self.wait_ready();
    }

    pub fn conn(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .expect("client")
            .get_connection()
            .expect("connect")
    }

    fn wait_ready(&mut self) {
        if let Err(why) = self.try_ready() {
            panic!("redis-server did not start: {why}");
        }
    }

    /// Wait until the server answers PING (30 s: a loaded CI machine), or say why not: the
    /// process's exit status if it exited, and the end of its log.
    fn try_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(c) = redis::Client::open(self.url()) {
                if let Ok(mut c) = c.get_connection_with_timeout(Duration::from_secs(2)) {
                    match redis::cmd("PING").query::<String>(&mut c) {
                        Ok(_) => return Ok(()),
                        Err(e) if e.code() == Some("NOAUTH") => return Ok(()),
                        Err(_) => {}
                    }
                }
            }
            let exited = self.child.try_wait().ok().flatten();
            if exited.is_some() || Instant::now() >= deadline {
                let log =
                    std::fs::read_to_string(self.dir.path().join("redis.log")).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(5).collect();
                let state = match exited {
                    Some(status) => format!("exited ({status})"),
                    None => "no answer within 30 s".to_string(),
                };
                return Err(format!(
                    "port {} {state}; log: {}",
                    self.port,
                    tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn dbsize(&self) -> u64 {
        redis::cmd("DBSIZE")
            .query(&mut self.conn())
            .expect("dbsize")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_server(port: u16, dir: &Path, extra: &[&str]) -> Child {
    let mut args: Vec<String> = vec![
        "--port".into(),
        port.to_string(),
        "--bind".into(),
        "127.0.0.1".into(),
        "--save".into(),
        "".into(),
        "--appendonly".into(),
        "no".into(),
        "--dir".into(),
        dir.display().to_string(),
        "--logfile".into(),
        dir.join("redis.log").display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Command::new(server_bin())
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect(
            "redis-server must be on PATH or in $CACHECTL_TEST_SERVER (bash .ci/run installs it)",
        )
}

/// A Redis Cluster of 3 primaries (and `replicas` replicas per primary).
pub struct Cluster {
    pub nodes: Vec<RedisServer>,
}

impl Cluster {
    fn cluster_node() -> RedisServer {
        RedisServer::start_with(&[
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            "5000",
        ])
    }

    fn create(nodes: &[RedisServer], replicas: usize) {
        let mut cmd = Command::new("redis-cli");
        cmd.arg("--cluster").arg("create");
        for s in nodes {
            cmd.arg(format!("127.0.0.1:{}", s.port));
        }
        cmd.args(["--cluster-replicas", &replicas.to_string(), "--cluster-yes"]);
        let out = cmd.output().expect("redis-cli --cluster create");
        assert!(
            out.status.success(),
            "cluster create failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    pub fn start(replicas: usize) -> Self {
        let n = 3 * (1 + replicas);
        let nodes: Vec<RedisServer> = (0..n).map(|_| Self::cluster_node()).collect();
        Self::create(&nodes, replicas);
        let c = Cluster { nodes };
        c.wait_ok(&[1 + replicas; 3]);
        c
    }

    /// 3 primaries (`nodes[0..3]`) and one replica of `nodes[0]` (`nodes[3]`), its
    /// replication link up: the smallest cluster with every role.
    pub fn start_one_replica() -> Self {
        let nodes: Vec<RedisServer> = (0..4).map(|_| Self::cluster_node()).collect();
        Self::create(&nodes[..3], 0);
        let id: String = redis::cmd("CLUSTER")
            .arg("MYID")
            .query(&mut nodes[0].conn())
            .expect("CLUSTER MYID");
        let mut r = nodes[3].conn();
        let _: () = redis::cmd("CLUSTER")
            .arg("MEET")
            .arg("127.0.0.1")
            .arg(nodes[0].port)
            .query(&mut r)
            .expect("CLUSTER MEET");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let known: String = redis::cmd("CLUSTER")
                .arg("NODES")
                .query(&mut r)
                .unwrap_or_default();
            if known.contains(&id) {
                let ok: redis::RedisResult<()> = redis::cmd("CLUSTER")
                    .arg("REPLICATE")
                    .arg(&id)
                    .query(&mut r);
                if ok.is_ok() {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "replica never met its primary");
            std::thread::sleep(Duration::from_millis(50));
        }
        let c = Cluster { nodes };
        c.wait_ok(&[1, 1, 2]);
        loop {
            let info: String = redis::cmd("INFO")
                .arg("replication")
                .query(&mut r)
                .unwrap_or_default();
            if info.contains("master_link_status:up") {
                break;
            }
            assert!(Instant::now() < deadline, "replica link never came up");
            std::thread::sleep(Duration::from_millis(50));
        }
        c
    }

    /// Wait until every node sees the cluster OK with these shard sizes (sorted).
    pub fn wait_ok(&self, sizes: &[usize]) {
        let deadline = Instant::now() + Duration::from_secs(30);
        'outer: while Instant::now() < deadline {
            for s in &self.nodes {
                let info: String = redis::cmd("CLUSTER")
                    .arg("INFO")
                    .query(&mut s.conn())
                    .unwrap_or_default();
                if !info.contains("cluster_state:ok") {
                    std::thread::sleep(Duration::from_millis(100));
                    continue 'outer;
                }
                let nodes: String = redis::cmd("CLUSTER")
                    .arg("NODES")
                    .query(&mut s.conn())
                    .unwrap_or_default();
                let mut got: Vec<usize> = parse_cluster_nodes(&nodes)
                    .iter()
                    .map(|sh| sh.nodes.len())
                    .collect();
                got.sort();
                if got != sizes {
                    std::thread::sleep(Duration::from_millis(100));
                    continue 'outer;
                }
            }
            return;
        }
        panic!("cluster did not become ready");
    }

    /// Wait until every replica has caught up with its primary (WAIT on each primary).
    pub fn sync_replicas(&self) {
        for p in self.primary_ports() {
            let s = self.nodes.iter().find(|n| n.port == p).unwrap();
            let info: String = redis::cmd("INFO")
                .arg("replication")
                .query(&mut s.conn())
                .unwrap_or_default();
            let n: u64 = info
                .lines()
                .find_map(|l| l.trim().strip_prefix("connected_slaves:"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if n == 0 {
                continue;
            }
            let _: i64 = redis::cmd("WAIT")
                .arg(n)
                .arg(5000)
                .query(&mut s.conn())
                .unwrap_or(0);
        }
    }

    pub fn url(&self) -> String {
        self.nodes[0].url()
    }

    /// Primary port for every slot.
    pub fn slot_map(&self) -> Vec<u16> {
        let text: String = redis::cmd("CLUSTER")
            .arg("NODES")
            .query(&mut self.nodes[0].conn())
            .expect("cluster nodes");
        let mut map = vec![0u16; 16384];
        for shard in parse_cluster_nodes(&text) {
            for (a, b) in &shard.slots {
                for s in *a..=*b {
                    map[s as usize] = shard.nodes[0].port;
                }
            }
        }
        map
    }

    /// (primary port, its replicas' ports) per shard.
    pub fn shards(&self) -> Vec<(u16, Vec<u16>)> {
        let text: String = redis::cmd("CLUSTER")
            .arg("NODES")
            .query(&mut self.nodes[0].conn())
            .expect("cluster nodes");
        parse_cluster_nodes(&text)
            .into_iter()
            .filter(|s| !s.slots.is_empty())
            .map(|s| {
                (
                    s.nodes[0].port,
                    s.nodes[1..].iter().map(|n| n.port).collect(),
                )
            })
            .collect()
    }

    pub fn primary_ports(&self) -> Vec<u16> {
        let mut p: Vec<u16> = self.slot_map();
        p.sort();
        p.dedup();
        p
    }

    pub fn total_dbsize(&self) -> u64 {
        self.primary_ports()
            .iter()
            .map(|p| {
                let s = self.nodes.iter().find(|n| n.port == *p).unwrap();
                s.dbsize()
            })
            .sum()
    }
}

/// Write commands through pipelines of 1000, routed by slot on a cluster.
pub struct Loader {
    conns: Vec<(u16, redis::Connection, redis::Pipeline, usize)>,
    slot_map: Option<Vec<u16>>,
}

impl Loader {
    pub fn standalone(s: &RedisServer) -> Self {
        Loader {
            conns: vec![(s.port, s.conn(), redis::pipe(), 0)],
            slot_map: None,
        }
    }

    pub fn cluster(c: &Cluster) -> Self {
        let map = c.slot_map();
        let conns = c
            .primary_ports()
            .into_iter()
            .map(|p| {
                let s = c.nodes.iter().find(|n| n.port == p).unwrap();
                (p, s.conn(), redis::pipe(), 0)
            })
            .collect();
        Loader {
            conns,
            slot_map: Some(map),
        }
    }

    /// Queue a command whose first argument is the key.
    pub fn cmd(&mut self, name: &str, key: &str, args: &[&dyn std::fmt::Display]) {
        let idx = match &self.slot_map {
            None => 0,
            Some(m) => {
                let port = m[key_slot(key.as_bytes()) as usize];
                self.conns.iter().position(|c| c.0 == port).unwrap()
            }
        };
        let entry = &mut self.conns[idx];
        let c = entry.2.cmd(name).arg(key);
        for a in args {
            c.arg(a.to_string());
        }
        c.ignore();
        entry.3 += 1;
        if entry.3 >= 1000 {
            entry.2.exec(&mut entry.1).expect("pipeline");
            entry.2 = redis::pipe();
            entry.3 = 0;
        }
    }

    pub fn flush(&mut self) {
        for entry in &mut self.conns {
            if entry.3 > 0 {
                entry.2.exec(&mut entry.1).expect("pipeline");
                entry.2 = redis::pipe();
                entry.3 = 0;
            }
        }
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        self.flush();
    }
}

/// The exit status as a shell reports it in `$?`: the exit code, or 128+N for a process killed
/// by signal N. After Ctrl-C cachectl reports, then ends by SIGINT re-raised (a calling shell
/// loop must see the interrupt), so an interrupted run has no exit code of its own: it is
/// 130 here, as in a shell.
pub fn shell_code(status: std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .or_else(|| status.signal().map(|sig| 128 + sig))
}

pub fn cachectl() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("cachectl").expect("binary");
    c.env_remove("CACHECTL_URL")
        .env_remove("REDIS_URL")
        .env_remove("RUST_LOG")
        .env_remove("CACHECTL_PROFILE_PATH")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120));
    c
}

/// Run cachectl with `-o json` and decode stdout; panics with stderr on failure.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = cachectl().args(args).args(["-o", "json"]).output().unwrap();
    assert!(
        out.status.success(),
        "cachectl {:?} failed ({:?}): {}",
        args,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Poll `cond` every 10 ms until it holds; panics after `timeout`, naming `what`. A test waits
/// for the event it needs (the first key written, the first line printed, a command the server
/// ran) instead of a fixed sleep: too long on a quiet machine, too short on a busy one.
pub fn wait_until(timeout: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let t = Instant::now();
    while !cond() {
        assert!(t.elapsed() < timeout, "waited {timeout:?} for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// How many times the server behind `c` has run `command` (lower case; INFO commandstats).
pub fn calls(c: &mut redis::Connection, command: &str) -> u64 {
    let text: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(c)
        .expect("INFO commandstats");
    let prefix = format!("cmdstat_{command}:calls=");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|rest| rest.split(',').next())
        .map_or(0, |n| n.parse().expect("calls"))
}

impl RedisServer {
    /// Wait until the server has run `command` more than `before` times (from [`calls`]):
    /// e.g. `report` has taken its first sample once it sends its first PING.
    pub fn wait_for_calls(&self, command: &str, before: u64) {
        let mut c = self.conn();
        wait_until(
            Duration::from_secs(60),
            &format!("{command} on port {}", self.port),
            || calls(&mut c, command) > before,
        );
    }

    /// Wait until DBSIZE satisfies `cond` (the first keys written or deleted).
    pub fn wait_for_dbsize(&self, what: &str, cond: impl Fn(u64) -> bool) {
        let mut c = self.conn();
        wait_until(Duration::from_secs(60), what, || {
            cond(redis::cmd("DBSIZE").query(&mut c).expect("dbsize"))
        });
    }
}

/// A child's output read on a thread as it comes: a test can wait for a line (a prompt, the
/// first frame) and still have all of the output at the end.
pub struct Tail {
    text: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    reader: std::thread::JoinHandle<()>,
}

impl Tail {
    pub fn new(mut r: impl std::io::Read + Send + 'static) -> Tail {
        let text = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = text.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = r.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Tail { text, reader }
    }

    /// Wait until the output so far contains `needle`.
    pub fn wait_for(&self, needle: &str) {
        wait_until(Duration::from_secs(60), needle, || {
            String::from_utf8_lossy(&self.text.lock().unwrap()).contains(needle)
        });
    }

    /// All of the output, once the child closed it.
    pub fn finish(self) -> Vec<u8> {
        self.reader.join().expect("reader");
        std::sync::Arc::try_unwrap(self.text)
            .expect("one owner")
            .into_inner()
            .unwrap()
    }
}

/// Is PostgreSQL reachable with `psql -d test`? Under CI=true it must be (.ci/run starts it):
/// a missing one fails the test; elsewhere the test is skipped (false, with a line saying so).
pub fn postgres_or_skip() -> bool {
    let ok = std::process::Command::new("psql")
        .args(["-d", "test", "-Atc", "select 1"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var("CI").is_err(),
            "CI=true: PostgreSQL must be running (bash .ci/run starts it)"
        );
        eprintln!("skipping: no PostgreSQL reachable with `psql -d test`");
    }
    ok
}

/// The harness itself: a server whose port is taken is seen to exit at once, and says why (its
/// exit status and log), which is what `start_with` retries on another port.
#[test]
fn a_server_on_a_taken_port_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _taken = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let child = spawn_server(port, dir.path(), &[]);
    let mut s = RedisServer { port, child, dir };
    let why = s.try_ready().unwrap_err();
    assert!(why.contains("exited"), "{why}");
    assert!(
        why.to_lowercase().contains("address already in use"),
        "{why}"
    );
}
