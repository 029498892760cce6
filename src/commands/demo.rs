//! `cachectl demo`: a newcomer's first command. Starts a throwaway redis-server (from PATH) on
//! a free port, loads a TreeBeard keyspace with a few realistic problems, and walks through
//! analyze → report → recommend → simulate; then stops the server (`--keep` leaves it).

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};

use crate::config::Settings;
use crate::engine::write::{SetItem, SetMode};
use crate::engine::{ConnSettings, Engine};
use crate::render::{render, Format, RenderCtx};
use crate::report::FailOn;

/// What `demo` is asked (the command line, `cli::demo`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// leave the server running and print its URL and commands to try
    pub keep: bool,
    /// show the reasoning behind each recommendation
    pub explain: bool,
}

/// The server process; killed on drop unless kept.
struct Server {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn find_redis_server() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("redis-server"))
            .find(|p| p.is_file())
    })
}

fn start_server() -> Result<Server> {
    let bin = find_redis_server().ok_or_else(|| {
        anyhow!("redis-server is not installed (or not on PATH): install it with `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), then run `cachectl demo` again")
    })?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .context("finding a free port")?
        .port();
    let dir = std::env::temp_dir().join(format!("cachectl-demo-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let child = Command::new(&bin)
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .args(["--maxmemory-policy", "noeviction", "--logfile", ""])
        .arg("--dir")
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    Ok(Server {
        child: Some(child),
        port,
        dir,
    })
}

fn hex32(i: u64) -> String {
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let mut out = String::new();
    for _ in 0..2 {
        x ^= x >> 31;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        out.push_str(&format!("{x:016x}"));
    }
    out
}

/// The TreeBeard keyspace, with the problems a real one has.
async fn load(engine: &Engine) -> Result<u64> {
    let mut items = Vec::new();
    let mut rng = crate::random::Rng::new(7);
    let mut ttl = |base: u64, jitter: bool| -> Option<u64> {
        Some(if jitter {
            rng.jittered_ttl_ms(base * 1000, 10.0)
        } else {
            base * 1000
        })
    };
    for i in 0..600 {
        items.push(SetItem {
            key: format!("plan_catalog:v1:plan_{i}").into_bytes(),
            value: format!(
                r#"{{"id":{i},"name":"Plan {i}","rate_kwh":0.{:02}}}"#,
                i % 97
            )
            .into_bytes(),
            ttl_ms: ttl(3600, true),
        });
    }
    for i in 0..6000 {
        items.push(SetItem {
            key: format!("user_profile:v1:user_{i}").into_bytes(),
            value: format!(
                r#"{{"user":{i},"zip":"{:05}","plan":"plan_{}"}}"#,
                10000 + i % 90000,
                i % 600
            )
            .into_bytes(),
            ttl_ms: ttl(86_400, true),
        });
    }
    for i in 0..4000 {
        // a quarter written by an old job without TTL: analyze and recommend will say so
        items.push(SetItem {
            key: format!("recommendations:v1:user_{i}").into_bytes(),
            value: format!(
                r#"["plan_{}","plan_{}","plan_{}"]"#,
                i % 600,
                (i * 7) % 600,
                (i * 13) % 600
            )
            .into_bytes(),
            ttl_ms: if i % 4 == 0 { None } else { ttl(86_400, true) },
        });
    }
    for i in 0..3000 {
        items.push(SetItem {
            key: format!("usage_analysis:v1:user_{}:2024-{:02}", i / 12, i % 12 + 1).into_bytes(),
            value: format!(r#"{{"kwh":{},"cost":{}}}"#, 300 + i % 700, 40 + i % 90).into_bytes(),
            ttl_ms: ttl(604_800, true),
        });
    }
    for i in 0..4000 {
        // every response cached with exactly 5 minutes: they will all expire together
        items.push(SetItem {
            key: format!("cache:response:{}", hex32(i)).into_bytes(),
            value: "x".repeat(200 + (i as usize % 800)).into_bytes(),
            ttl_ms: ttl(300, false),
        });
    }
    for i in 0..800 {
        // persistent application data sharing the instance
        items.push(SetItem {
            key: format!("session:{}-{}", &hex32(i + 99)[..8], &hex32(i + 7)[..12]).into_bytes(),
            value: b"{\"uid\":1}".to_vec(),
            ttl_ms: None,
        });
    }
    let n = items.len() as u64;
    for chunk in items.chunks(1000) {
        engine.set_batch(0, chunk, SetMode::Overwrite).await?;
    }
    let plans: Vec<String> = (0..600)
        .map(|i| format!("plan_catalog:v1:plan_{i}"))
        .collect();
    engine.sadd("tag:plans", &plans).await?;
    // the application's counters (CORE-CACHE-003 monitor) before the window
    for (ns, h, m) in [
        ("plan_catalog", 9_500, 500),
        ("user_profile", 8_000, 2_000),
        ("recommendations", 4_000, 6_000),
    ] {
        engine
            .hincrby(&format!("cache:metrics:{ns}"), "hits", h)
            .await?;
        engine
            .hincrby(&format!("cache:metrics:{ns}"), "misses", m)
            .await?;
    }
    Ok(n)
}

/// Reads like the application's during the report window, and its counters.
async fn traffic(engine: Arc<Engine>, stop: Arc<AtomicBool>) -> Result<()> {
    let mut i = 0u64;
    while !stop.load(Ordering::Relaxed) {
        for _ in 0..50 {
            i += 1;
            let (key, ns) = match i % 10 {
                0..=4 => (format!("plan_catalog:v1:plan_{}", i % 700), "plan_catalog"), // 600 exist
                5..=7 => (format!("user_profile:v1:user_{}", i % 7000), "user_profile"),
                _ => (
                    format!("recommendations:v1:user_{}", i % 9000),
                    "recommendations",
                ),
            };
            let hit = engine.get(&key).await?.is_some();
            engine
                .hincrby(
                    &format!("cache:metrics:{ns}"),
                    if hit { "hits" } else { "misses" },
                    1,
                )
                .await?;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}

fn step(out: &mut dyn Write, ctx: &RenderCtx, n: u32, title: &str, why: &str) -> Result<()> {
    writeln!(
        out,
        "\n{}\n{}\n",
        ctx.prose(&format!("━━ {n}/4 {title}")),
        ctx.prose(&why.replace('\n', " "))
    )?;
    Ok(())
}

/// Connect to the new server, waiting (up to 10 s) until it accepts connections.
async fn connect(conn: &ConnSettings) -> Result<Engine> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Engine::connect(conn).await {
            Ok(e) => return Ok(e),
            Err(e) if Instant::now() > deadline => {
                return Err(e.context("the demo server did not start"))
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

fn intro(out: &mut dyn Write, ctx: &RenderCtx, url: &str, keys: u64) -> Result<()> {
    let intro = format!(
        "cachectl demo: a throwaway redis-server on {url}, loaded with {} keys of the TreeBeard application \
         (profiles/treebeard.yaml: plan catalog, user profiles, recommendations, usage analysis, API responses) \
         and a few problems real caches have. Everything below is what you would run against your own server.",
        crate::units::human_count(keys)
    );
    writeln!(out, "{}", ctx.prose(&intro))?;
    Ok(())
}

async fn analyze_step(out: &mut dyn Write, settings: &Settings) -> Result<()> {
    let ctx = &settings.render;
    step(out, ctx, 1, "cachectl -P treebeard analyze",
        "One SCAN pass with no-touch probes: which key patterns use the memory, which lack TTLs, what expires together.")?;
    let analyze = crate::analyze::run(
        &crate::analyze::Options {
            big_keys: 3,
            ..Default::default()
        },
        settings,
        &crate::signals::Stop::never(),
    )
    .await?;
    render(&analyze, ctx, out)
}

/// A 3 s report window while the demo application reads (its traffic and counters).
async fn report_step(out: &mut dyn Write, settings: &Settings, engine: Engine) -> Result<()> {
    let ctx = &settings.render;
    step(out, ctx, 2, "cachectl -P treebeard report --interval 3s",
        "Two INFO samples 3 s apart while the demo application reads: hit rate per node and per namespace (from the\napp's cache:metrics:* counters), judged against the profile's SLO (hit rate >= 80%, memory, evictions, p95).")?;
    out.flush()?;
    let stop = Arc::new(AtomicBool::new(false));
    let app = tokio::spawn(traffic(Arc::new(engine), stop.clone()));
    let report = crate::report::run(
        &crate::report::Options {
            interval: Duration::from_secs(3),
            latency_samples: 50,
            fail_on: FailOn::Never,
            ..Default::default()
        },
        settings,
        &crate::signals::Stop::never(),
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    app.await.map_err(|e| anyhow!("{e}"))??;
    render(&report?, ctx, out)
}

async fn recommend_step(out: &mut dyn Write, settings: &Settings, explain: bool) -> Result<()> {
    let ctx = &settings.render;
    step(out, ctx, 3, "cachectl -P treebeard recommend --observe",
        "Strategy, TTL, eviction, invalidation, stampede protection and warming per namespace (CORE-CACHE-003,\nthe TreeBeard TTL matrix), adjusted by what analyze and report just saw; then the instance's policy and maxmemory.")?;
    let mut rec = crate::recommend::run(
        &crate::recommend::Options {
            observe: true,
            ..Default::default()
        },
        settings,
        &crate::signals::Stop::never(),
    )
    .await?;
    // the per-namespace reasons are a page of prose: shown with --explain (CSV/JSON carry them)
    rec.brief = !explain;
    render(&rec, ctx, out)?;
    if !explain && ctx.format == Format::Table {
        let hint = "(Why each row: `cachectl demo --explain`, or `recommend -o csv` for the rationale column.)";
        writeln!(out, "\n{}", ctx.prose(hint))?;
    }
    Ok(())
}

fn simulate_step(out: &mut dyn Write, ctx: &RenderCtx) -> Result<()> {
    step(out, ctx, 4, "cachectl simulate stampede --rate 1000/s --duration 10m --ttl 1m --recompute 450ms",
        "The plan catalog is hot and takes 450 ms to rebuild: what happens to the database when a key expires,\nunder each protection (a deterministic model; add --live to run it against Redis).")?;
    let sim = crate::simulate::run_model(&crate::simulate::Options {
        // exactly the flags the step prints; the rest are the command line's defaults
        rate: Some(1000.0),
        duration: Duration::from_secs(600),
        ttl: Duration::from_secs(60),
        recompute: Duration::from_millis(450),
        ..Default::default()
    })?;
    render(&sim, ctx, out)
}

/// `--keep`: leave the server running, with a small source file for the warm suggestion
/// beside its files, and say what to try.
fn keep(out: &mut dyn Write, mut server: Server, url: &str) -> Result<()> {
    let plans = server.dir.join("plans.csv");
    let mut csv = String::from("id,name,rate_kwh\n");
    for i in 0..20 {
        csv.push_str(&format!("{i},Plan {i},0.{:02}\n", 10 + i));
    }
    std::fs::write(&plans, csv).with_context(|| format!("writing {}", plans.display()))?;
    let child = server.child.take();
    let pid = child.as_ref().map_or(0, |c| c.id());
    std::mem::forget(child); // keep it running after we exit
    writeln!(
        out,
        "\nThe demo server keeps running on {url} (pid {}). Try:\n  \
         cachectl -u {url} -P treebeard analyze --match 'recommendations:*'\n  \
         cachectl -u {url} -P treebeard invalidate namespace plan_catalog --dry-run\n  \
         cachectl -u {url} warm --source {} --key 'plan_catalog:v1:{{id}}' --ttl 1h --rate 200/s\n  \
         cachectl -u {url} report --watch --interval 2s\n\
         Stop it with: redis-cli -p {} shutdown nosave",
        pid,
        plans.display(),
        server.port
    )?;
    Ok(())
}

pub async fn run(a: &Options, ctx: RenderCtx, timeout: Duration) -> Result<()> {
    let started = Instant::now();
    let server = start_server()?;
    let url = format!("redis://127.0.0.1:{}", server.port);
    let conn = ConnSettings {
        urls: vec![url.clone()],
        password: None,
        force_cluster: false,
        replicas: false,
        timeout,
        all_nodes: false,
    };
    let engine = connect(&conn).await?;
    let settings = Settings {
        conn,
        profile: Some(crate::profile::load("treebeard")?),
        render: ctx,
        progress: false,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    intro(&mut out, &ctx, &url, load(&engine).await?)?;
    analyze_step(&mut out, &settings).await?;
    report_step(&mut out, &settings, engine).await?;
    recommend_step(&mut out, &settings, a.explain).await?;
    simulate_step(&mut out, &ctx)?;
    if a.keep {
        keep(&mut out, server, &url)?;
    } else {
        drop(server);
        let done = format!("Done in {:.1} s; the demo server is stopped. Run `cachectl demo --keep` to explore it yourself.", started.elapsed().as_secs_f64());
        writeln!(out, "\n{}", ctx.prose(&done))?;
    }
    out.flush()?;
    Ok(())
}
