//! TLS as production runs it: a throwaway private CA made with `openssl`, redis-server with
//! `--tls-port`, mutual TLS, and a TLS cluster (issue 19).

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::{cachectl, free_port, Cluster, RedisServer};

/// A CA, a server certificate for 127.0.0.1/localhost signed by it, an expired one, and a
/// client certificate (its key chmod 600).
struct Pki {
    dir: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("openssl (bash .ci/run installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const EC: [&str; 4] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];

impl Pki {
    fn new() -> Pki {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        openssl(
            d,
            &[
                &[
                    "req",
                    "-x509",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=cachectl test CA",
                ][..],
                &EC,
                &["-keyout", "ca.key", "-out", "ca.pem"],
            ]
            .concat(),
        );
        std::fs::write(
            d.join("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
        )
        .unwrap();
        std::fs::write(d.join("client.ext"), "extendedKeyUsage=clientAuth\n").unwrap();
        for (name, ext, days) in [
            ("server", "server.ext", "2"),
            ("expired", "server.ext", "-1"),
            ("client", "client.ext", "2"),
        ] {
            let (key, csr, pem) = (
                format!("{name}.key"),
                format!("{name}.csr"),
                format!("{name}.pem"),
            );
            openssl(
                d,
                &[
                    &["req", "-nodes", "-subj", "/CN=localhost"][..],
                    &EC,
                    &["-keyout", &key, "-out", &csr],
                ]
                .concat(),
            );
            openssl(
                d,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr,
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    days,
                    "-extfile",
                    ext,
                    "-out",
                    &pem,
                ],
            );
        }
        chmod(&d.join("client.key"), 0o600);
        Pki { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// A server on a TLS port (and a plain one, for seeding) with this certificate.
    fn server(&self, cert: &str, auth_clients: &str) -> (RedisServer, u16) {
        let tls_port = free_port();
        let s = RedisServer::start_with(&[
            "--tls-port",
            &tls_port.to_string(),
            "--tls-cert-file",
            &self.path(&format!("{cert}.pem")),
            "--tls-key-file",
            &self.path(&format!("{cert}.key")),
            "--tls-ca-cert-file",
            &self.path("ca.pem"),
            "--tls-auth-clients",
            auth_clients,
        ]);
        let mut c = s.conn();
        for i in 0..50 {
            let _: () = redis::cmd("SET")
                .arg(format!("tls:item_{i}"))
                .arg(i)
                .query(&mut c)
                .unwrap();
        }
        (s, tls_port)
    }
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn url(port: u16) -> String {
    format!("rediss://127.0.0.1:{port}")
}

/// cachectl with no TLS environment of the developer's leaking in.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = cachectl();
    for k in [
        "CACHECTL_CACERT",
        "CACHECTL_CERT",
        "CACHECTL_KEY",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ] {
        c.env_remove(k);
    }
    c.envs(env.iter().copied()).args(args).output().unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn analyzed_keys(o: &Output) -> u64 {
    assert_eq!(o.status.code(), Some(0), "{}", err(o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["patterns"][0]["keys"].as_u64().unwrap()
}

/// One `cachectl: error:` line, exit 1, containing every needle.
fn one_error_line(o: &Output, code: i32, needles: &[&str]) {
    let e = err(o);
    assert_eq!(o.status.code(), Some(code), "{e}");
    assert_eq!(e.trim_end().lines().count(), 1, "{e}");
    assert!(e.starts_with("cachectl: error: "), "{e}");
    for n in needles {
        assert!(e.contains(n), "{n:?} not in {e}");
    }
    assert!(!e.contains("InvalidCertificate"), "a debug string: {e}");
}

#[test]
fn private_ca_trusted_with_cacert_env_profile_and_ssl_cert_file() {
    let pki = Pki::new();
    let (_s, port) = pki.server("server", "no");
    let u = url(port);
    let ca = pki.path("ca.pem");
    // without the CA: one line naming the reason and the flag
    let o = run(&["-u", &u, "analyze"], &[]);
    one_error_line(&o, 1, &["unknown issuer", "--cacert"]);
    // --cacert, $CACHECTL_CACERT, $SSL_CERT_FILE, a profile's redis.cacert (relative path)
    let o = run(&["-u", &u, "--cacert", &ca, "analyze", "-o", "json"], &[]);
    assert_eq!(analyzed_keys(&o), 50);
    let o = run(
        &["-u", &u, "analyze", "-o", "json"],
        &[("CACHECTL_CACERT", &ca)],
    );
    assert_eq!(analyzed_keys(&o), 50);
    let o = run(
        &["-u", &u, "analyze", "-o", "json"],
        &[("SSL_CERT_FILE", &ca)],
    );
    assert_eq!(analyzed_keys(&o), 50);
    let profile = pki.dir.path().join("p.yaml");
    std::fs::write(
        &profile,
        format!("name: p\nredis:\n  url: {u}\n  cacert: ca.pem\n"),
    )
    .unwrap();
    let o = run(
        &["-P", profile.to_str().unwrap(), "analyze", "-o", "json"],
        &[],
    );
    assert_eq!(analyzed_keys(&o), 50);
    // report and warm over TLS
    let o = run(
        &[
            "-u",
            &u,
            "--cacert",
            &ca,
            "report",
            "--interval",
            "0",
            "--fail-on",
            "never",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let mut w = cachectl();
    w.env_remove("SSL_CERT_FILE")
        .args([
            "-u", &u, "--cacert", &ca, "warm", "--source", "-", "--key", "w:{id}", "-o", "json",
        ])
        .write_stdin("id,v\n1,a\n2,b\n3,c\n");
    let o = w.output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let n: u64 = redis::cmd("EXISTS")
        .arg("w:1")
        .arg("w:2")
        .arg("w:3")
        .query(&mut _s.conn())
        .unwrap();
    assert_eq!(n, 3);
    // the name verified is --sni's
    let o = run(
        &["-u", &u, "--cacert", &ca, "--sni", "wronghost", "analyze"],
        &[],
    );
    one_error_line(&o, 1, &["does not match", "--sni"]);
    let o = run(
        &[
            "-u",
            &format!("rediss://localhost:{port}"),
            "--cacert",
            &ca,
            "--sni",
            "localhost",
            "analyze",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(analyzed_keys(&o), 50);
    // --insecure: works, one warning line
    let o = run(&["-u", &u, "--insecure", "analyze", "-o", "json"], &[]);
    assert_eq!(analyzed_keys(&o), 50);
    let e = err(&o);
    assert_eq!(e.matches("--insecure").count(), 1, "{e}");
    // TLS flags with a plain URL, a missing CA file, a PEM without a certificate: usage
    let o = run(&["-u", &_s.url(), "--cacert", &ca, "analyze"], &[]);
    one_error_line(&o, 2, &["rediss://"]);
    let o = run(
        &["-u", &u, "--cacert", "/nonexistent/ca.pem", "analyze"],
        &[],
    );
    one_error_line(&o, 2, &["--cacert /nonexistent/ca.pem"]);
    let o = run(
        &["-u", &u, "--cacert", &pki.path("server.ext"), "analyze"],
        &[],
    );
    one_error_line(&o, 2, &["no certificate"]);
}

#[test]
fn expired_certificate_is_one_line() {
    let pki = Pki::new();
    let (_s, port) = pki.server("expired", "no");
    let o = run(
        &["-u", &url(port), "--cacert", &pki.path("ca.pem"), "analyze"],
        &[],
    );
    one_error_line(&o, 1, &["expired"]);
}

#[test]
fn mutual_tls_with_cert_and_key() {
    let pki = Pki::new();
    let (_s, port) = pki.server("server", "yes");
    let (u, ca) = (url(port), pki.path("ca.pem"));
    let (cert, key) = (pki.path("client.pem"), pki.path("client.key"));
    let o = run(&["-u", &u, "--cacert", &ca, "analyze"], &[]);
    one_error_line(&o, 1, &["client certificate", "--cert"]);
    let o = run(
        &[
            "-u", &u, "--cacert", &ca, "--cert", &cert, "--key", &key, "analyze", "-o", "json",
        ],
        &[],
    );
    assert_eq!(analyzed_keys(&o), 50);
    let o = run(
        &["-u", &u, "analyze", "-o", "json"],
        &[
            ("CACHECTL_CACERT", &ca),
            ("CACHECTL_CERT", &cert),
            ("CACHECTL_KEY", &key),
        ],
    );
    assert_eq!(analyzed_keys(&o), 50);
    // --rdb-sync over the same TLS settings
    let o = run(
        &[
            "-u",
            &u,
            "--cacert",
            &ca,
            "--cert",
            &cert,
            "--key",
            &key,
            "analyze",
            "--rdb-sync",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(analyzed_keys(&o), 50);
    // --cert without --key; a key others may read
    let o = run(
        &["-u", &u, "--cacert", &ca, "--cert", &cert, "analyze"],
        &[],
    );
    one_error_line(&o, 2, &["--cert needs --key"]);
    let open_key = pki.dir.path().join("open.key");
    std::fs::copy(&key, &open_key).unwrap();
    chmod(&open_key, 0o644);
    let o = run(
        &[
            "-u",
            &u,
            "--cacert",
            &ca,
            "--cert",
            &cert,
            "--key",
            open_key.to_str().unwrap(),
            "analyze",
        ],
        &[],
    );
    one_error_line(&o, 2, &["too open", "chmod 600"]);
}

#[test]
fn profile_show_prints_tls_paths_not_keys() {
    let pki = Pki::new();
    let profile = pki.dir.path().join("p.yaml");
    let key = pki.path("client.key");
    std::fs::write(
        &profile,
        format!("name: p\nredis:\n  url: rediss://h:6380\n  cacert: ca.pem\n  cert: client.pem\n  key: {key}\n"),
    )
    .unwrap();
    let o = run(&["profile", "show", profile.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("cacert: ca.pem") && out.contains(&format!("key: {key}")),
        "{out}"
    );
    assert!(
        !out.contains("PRIVATE KEY") && !out.contains("BEGIN"),
        "{out}"
    );
}

/// 3 TLS primaries (`--tls-cluster yes`), the cluster bus and replication over TLS.
fn tls_cluster(pki: &Pki) -> (Cluster, Vec<u16>) {
    let mut nodes = Vec::new();
    let mut tls_ports = Vec::new();
    for _ in 0..3 {
        let p = free_port();
        nodes.push(RedisServer::start_with(&[
            "--tls-port",
            &p.to_string(),
            "--tls-cert-file",
            &pki.path("server.pem"),
            "--tls-key-file",
            &pki.path("server.key"),
            "--tls-ca-cert-file",
            &pki.path("ca.pem"),
            "--tls-auth-clients",
            "no",
            "--tls-cluster",
            "yes",
            "--tls-replication",
            "yes",
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            "5000",
        ]));
        tls_ports.push(p);
    }
    let mut cmd = Command::new("redis-cli");
    cmd.args([
        "--tls",
        "--cacert",
        &pki.path("ca.pem"),
        "--cluster",
        "create",
    ]);
    for p in &tls_ports {
        cmd.arg(format!("127.0.0.1:{p}"));
    }
    let out = cmd.args(["--cluster-yes"]).output().expect("redis-cli");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let c = Cluster { nodes };
    c.wait_ok(&[1, 1, 1]);
    (c, tls_ports)
}

#[test]
fn tls_cluster_every_node_verified() {
    let pki = Pki::new();
    let (c, tls_ports) = tls_cluster(&pki);
    let mut loader = crate::support::Loader::cluster(&c);
    for i in 0..300 {
        loader.cmd("SET", &format!("tls:item_{i}"), &[&i]);
    }
    loader.flush();
    let u = url(tls_ports[0]);
    let ca = pki.path("ca.pem");
    let o = run(&["-u", &u, "--cacert", &ca, "analyze", "-o", "json"], &[]);
    assert_eq!(analyzed_keys(&o), 300);
    // every node is verified, not only the seed
    let o = run(&["-u", &u, "analyze"], &[]);
    one_error_line(&o, 1, &["unknown issuer"]);
    let o = run(
        &[
            "-u",
            &u,
            "--cacert",
            &ca,
            "invalidate",
            "pattern",
            "tls:item_1*",
            "--yes",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // 1, 10-19, 100-199
    assert_eq!(c.total_dbsize(), 300 - 111);
}

/// `report --patterns` over mutual TLS: the key-event subscriber (redis-rs's pub/sub over TLS,
/// not the plain-socket reader) and the MONITOR slices connect with the same certificates;
/// misses and lookups are exact at 100%.
#[test]
fn report_patterns_over_mutual_tls() {
    let pki = Pki::new();
    let (s, port) = pki.server("server", "yes");
    let (u, ca) = (url(port), pki.path("ca.pem"));
    let (cert, key) = (pki.path("client.pem"), pki.path("client.key"));
    // the window's start marker, seen on the plain port
    let client = redis::Client::open(s.url()).unwrap();
    let mut sub = client.get_connection().unwrap();
    sub.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    let mut ps = sub.as_pubsub();
    ps.psubscribe("cachectl:patterns:*").unwrap();
    let child = Command::new(assert_cmd::cargo::cargo_bin("cachectl"))
        .args(["-u", &u, "--cacert", &ca, "--cert", &cert, "--key", &key])
        .args([
            "report",
            "--patterns",
            "--interval",
            "4s",
            "--sample-reads",
            "100%",
        ])
        .args(["--latency-samples", "5", "--fail-on", "never", "-o", "json"])
        .env_remove("CACHECTL_CACERT")
        .env_remove("SSL_CERT_FILE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        let m = ps.get_message().expect("the window's start marker");
        let p: String = m.get_payload().unwrap();
        if p.ends_with(":1:start") {
            break;
        }
    }
    let mut c = s.conn();
    for i in 0..30 {
        let _: Option<String> = redis::cmd("GET").arg("tls:missing").query(&mut c).unwrap();
        let _: Option<String> = redis::cmd("GET")
            .arg(format!("tls:item_{}", i % 20))
            .query(&mut c)
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["patterns"]["events"], "on", "{}", v["patterns"]);
    let rows = v["windows"][0]["patterns"].as_array().unwrap();
    let sum = |f: &str| rows.iter().map(|r| r[f].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum("misses"), 30, "{rows:?}");
    assert_eq!(sum("lookups"), 60, "{rows:?}");
}
