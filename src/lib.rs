//! cachectl: an operations tool for Redis caches. `run` is the one dispatch.

pub mod analysis;
pub mod analyze_offline;
pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod error;
pub mod glob;
pub mod patterns;
pub mod profile;
pub mod ratelimit;
pub mod rdb;
pub mod recommend;
pub mod render;
pub mod report;
pub mod schedule;
pub mod sim;
pub mod util;
pub mod warm;

use anyhow::{Context, Result};

use cli::{Cli, Command, ProfileCommand, SimulateCommand};
use error::ExitCode;
use render::{emit, RenderCtx};

/// Run a parsed command line; the returned code is the process exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let g = &cli.global;
    if g.output == cli::OutputFormat::Prometheus && !matches!(cli.command, Command::Report(_)) {
        return Err(error::usage("-o prometheus is only for `cachectl report`"));
    }
    match &cli.command {
        Command::Completions(a) => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            commands::completions::generate(a.shell, &mut lock);
            std::io::Write::flush(&mut lock).context("writing completions")?;
            Ok(ExitCode::Success)
        }
        Command::Profile(p) => {
            let ctx = RenderCtx::new(g.output, g.color);
            match p {
                ProfileCommand::Check { profile } => {
                    emit(&commands::profile::check(profile)?, &ctx)?
                }
                ProfileCommand::Show { profile } => emit(&commands::profile::show(profile)?, &ctx)?,
            }
            Ok(ExitCode::Success)
        }
        Command::Invalidate(a) => {
            let settings = config::resolve(g)?;
            let started = std::time::Instant::now();
            let mut tally = commands::invalidate::Tally::default();
            let result = runtime()?.block_on(commands::invalidate::run(a, &settings, &mut tally));
            let (code, err_text) = match &result {
                Ok(r) => (r.exit, r.refused.clone()),
                Err(e) => (error::exit_code_for(e), Some(error::one_line(e))),
            };
            if let Some(path) = &a.audit_log {
                commands::invalidate::audit(
                    path,
                    &settings,
                    a,
                    &tally,
                    started.elapsed(),
                    code.code(),
                    err_text,
                )?;
            }
            let report = result?;
            emit(&report, &settings.render)?;
            match report.refusal() {
                Some(e) => Err(e),
                None => Ok(ExitCode::Success),
            }
        }
        Command::Warm(a) => {
            let settings = config::resolve(g)?;
            let mut report = runtime()?.block_on(commands::warm::run(a, &settings))?;
            emit(&report, &settings.render)?;
            match report.error.take() {
                Some(e) => Err(e),
                None => Ok(report.exit),
            }
        }
        Command::Report(a) => {
            let settings = config::resolve(g)?;
            let report = runtime()?.block_on(commands::report::run(a, &settings))?;
            if !a.watch {
                emit(&report, &settings.render)?;
            }
            match report.exit() {
                (_, Some(e)) => Err(e),
                (code, None) => Ok(code),
            }
        }
        Command::Simulate(SimulateCommand::Stampede(a)) => {
            let report = if a.live {
                let settings = config::resolve(g)?;
                let r = runtime()?.block_on(commands::simulate::run_live(a, &settings))?;
                emit(&r, &settings.render)?;
                return Ok(ExitCode::Success);
            } else {
                commands::simulate::run_model(a)?
            };
            emit(&report, &RenderCtx::new(g.output, g.color))?;
            Ok(ExitCode::Success)
        }
        Command::Recommend(a) => {
            let settings = if a.observe {
                config::resolve(g)?
            } else {
                // no connection needed: just the profile and the renderer
                config::Settings {
                    conn: config::offline_conn(g),
                    profile: g.profile.as_deref().map(profile::load).transpose()?,
                    render: RenderCtx::new(g.output, g.color),
                    progress: false,
                }
            };
            let out = runtime()?.block_on(commands::recommend::run(a, &settings))?;
            emit(&out, &settings.render)?;
            Ok(ExitCode::Success)
        }
        Command::Demo(a) => {
            let ctx = RenderCtx::new(g.output, g.color);
            runtime()?.block_on(commands::demo::run(a, ctx, g.timeout))?;
            Ok(ExitCode::Success)
        }
        Command::Analyze(a) => {
            let settings = config::resolve(g)?;
            let report = runtime()?.block_on(commands::analyze::run(a, &settings))?;
            emit(&report, &settings.render)?;
            Ok(if report.interrupted {
                ExitCode::Interrupted
            } else {
                ExitCode::Success
            })
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")
}
