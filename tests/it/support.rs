//! Real `redis-server` processes for tests: one per test on a free port below 45000 (so the
//! cluster bus port, port+10000, is valid), and a 3-primary cluster built with
//! `redis-cli --cluster create`. Processes are killed when the handle drops.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use cachectl::engine::info::parse_cluster_nodes;
use cachectl::engine::slot::key_slot;

static NEXT_PORT: AtomicU16 = AtomicU16::new(0);

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

    pub fn start_with(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let child = spawn_server(port, dir.path(), extra);
        let s = RedisServer { port, child, dir };
        s.wait_ready();
        s
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

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(c) = redis::Client::open(self.url()) {
                if let Ok(mut c) = c.get_connection() {
                    match redis::cmd("PING").query::<String>(&mut c) {
                        Ok(_) => return,
                        Err(e) if e.code() == Some("NOAUTH") => return,
                        Err(_) => {}
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server on port {} did not start", self.port);
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
    Command::new("redis-server")
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server must be on PATH (bash .ci/run installs it)")
}

/// A Redis Cluster of 3 primaries (and `replicas` replicas per primary).
pub struct Cluster {
    pub nodes: Vec<RedisServer>,
}

impl Cluster {
    pub fn start(replicas: usize) -> Self {
        let n = 3 * (1 + replicas);
        let nodes: Vec<RedisServer> = (0..n)
            .map(|_| {
                RedisServer::start_with(&[
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-node-timeout",
                    "5000",
                ])
            })
            .collect();
        let mut cmd = Command::new("redis-cli");
        cmd.arg("--cluster").arg("create");
        for s in &nodes {
            cmd.arg(format!("127.0.0.1:{}", s.port));
        }
        cmd.args(["--cluster-replicas", &replicas.to_string(), "--cluster-yes"]);
        let out = cmd.output().expect("redis-cli --cluster create");
        assert!(
            out.status.success(),
            "cluster create failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let c = Cluster { nodes };
        c.wait_ok(replicas);
        c
    }

    fn wait_ok(&self, replicas: usize) {
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
                let shards = parse_cluster_nodes(&nodes);
                if shards.len() != 3 || shards.iter().any(|sh| sh.nodes.len() != 1 + replicas) {
                    std::thread::sleep(Duration::from_millis(100));
                    continue 'outer;
                }
            }
            return;
        }
        panic!("cluster did not become ready");
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
