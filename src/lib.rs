//! cachectl: an operations tool for Redis caches. `run` is the one dispatch.

pub mod analyze;
pub mod audit;
pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod error;
pub mod glob;
pub mod invalidate;
pub mod keys;
pub mod profile;
pub mod random;
pub mod ratelimit;
pub mod rdb;
pub mod recommend;
pub mod redact;
pub mod render;
pub mod report;
pub mod schedule;
pub mod signals;
pub mod simulate;
pub mod stats;
pub mod tags;
pub mod units;
pub mod warm;

use anyhow::{Context, Result};

use cli::{Cli, Command, ProfileCommand, SimulateCommand};
use error::{ExitCode, Outcome};
use render::{emit, RenderCtx};

/// Run a parsed command line; the returned code is the process exit code.
///
/// Every command returns its result and one [`Outcome`]; [`conclude`] prints the result
/// and maps the outcome to the exit code, so the two cannot disagree. Long-running
/// commands get the process's one stop token ([`signals::install`]).
pub fn run(cli: Cli) -> Result<ExitCode> {
    let g = &config::Globals::from(&cli.global);
    // learn every password this run may hold before anything can print it
    redact::register_env();
    if let Some(u) = &g.url {
        redact::register_url(u);
    }
    render::set_wide(cli.global.wide);
    if g.format == render::Format::Prometheus && !matches!(cli.command, Command::Report(_)) {
        return Err(error::usage("-o prometheus is only for `cachectl report`"));
    }
    match &cli.command {
        Command::Completions(a) => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            commands::completions::generate(
                a.shell,
                <Cli as clap::CommandFactory>::command(),
                &mut lock,
            );
            std::io::Write::flush(&mut lock).context("writing completions")?;
            Ok(ExitCode::Success)
        }
        Command::Profile(p) => {
            let ctx = RenderCtx::new(g.format, g.color);
            match p {
                ProfileCommand::List => conclude(&commands::profile::list(), Outcome::Ok, &ctx),
                ProfileCommand::Check { profile } => {
                    conclude(&commands::profile::check(profile)?, Outcome::Ok, &ctx)
                }
                ProfileCommand::Show { profile } => {
                    conclude(&commands::profile::show(profile)?, Outcome::Ok, &ctx)
                }
            }
        }
        Command::Invalidate(a) => {
            let settings = config::resolve(g)?;
            let (rt, stop) = runtime_with_signals()?;
            let report = rt.block_on(invalidate::run(&a.into(), &settings, &stop))?;
            conclude(&report, report.outcome.clone(), &settings.render)
        }
        Command::Warm(a) => {
            let settings = config::resolve(g)?;
            let (rt, stop) = runtime_with_signals()?;
            let report = rt.block_on(warm::run(&a.into(), &settings, &stop))?;
            conclude(&report, report.outcome.clone(), &settings.render)
        }
        Command::Report(a) => {
            let settings = config::resolve(g)?;
            let (rt, stop) = runtime_with_signals()?;
            let report = rt.block_on(report::run(&a.into(), &settings, &stop))?;
            if a.watch {
                // the frames were drawn as they came; only the outcome is left to say
                return Ok(finish(report.outcome()));
            }
            conclude(&report, report.outcome(), &settings.render)
        }
        Command::Simulate(SimulateCommand::Stampede(a)) => {
            if a.live {
                let settings = config::resolve(g)?;
                let (rt, stop) = runtime_with_signals()?;
                let r = rt.block_on(simulate::run_live(&a.into(), &settings, &stop))?;
                let outcome = if r.interrupted {
                    Outcome::Interrupted
                } else {
                    Outcome::Ok
                };
                conclude(&r, outcome, &settings.render)
            } else {
                let report = simulate::run_model(&a.into())?;
                conclude(&report, Outcome::Ok, &RenderCtx::new(g.format, g.color))
            }
        }
        Command::Recommend(a) => {
            let settings = if a.observe {
                config::resolve(g)?
            } else {
                // no connection needed: just the profile and the renderer
                config::Settings {
                    conn: config::offline_conn(g),
                    profile: g.profile.as_deref().map(profile::load).transpose()?,
                    render: RenderCtx::new(g.format, g.color),
                    progress: false,
                }
            };
            let out = runtime()?.block_on(recommend::run(&a.into(), &settings))?;
            conclude(&out, Outcome::Ok, &settings.render)
        }
        Command::Demo(a) => {
            let ctx = RenderCtx::new(g.format, g.color);
            runtime()?.block_on(commands::demo::run(&a.into(), ctx, g.timeout))?;
            Ok(ExitCode::Success)
        }
        Command::Analyze(a) => {
            let settings = config::resolve(g)?;
            let (rt, stop) = runtime_with_signals()?;
            let report = rt.block_on(analyze::run(&a.into(), &settings, &stop))?;
            let outcome = if report.interrupted {
                Outcome::Interrupted
            } else {
                Outcome::Ok
            };
            conclude(&report, outcome, &settings.render)
        }
    }
}

/// Print the result, then the outcome's one line on stderr; the exit code comes from the
/// same outcome as the result's `status` (SPEC §1 "One outcome per run").
fn conclude<R: render::Report>(report: &R, outcome: Outcome, ctx: &RenderCtx) -> Result<ExitCode> {
    emit(report, ctx)?;
    Ok(finish(outcome))
}

/// The outcome's one line on stderr (none for success), and its exit code.
fn finish(outcome: Outcome) -> ExitCode {
    match &outcome {
        Outcome::Interrupted => eprintln!("cachectl: interrupted"),
        o => {
            if let Some(m) = o.message() {
                eprintln!("cachectl: error: {}", redact::text(&m));
            }
        }
    }
    outcome.exit_code()
}

/// The runtime, with the SIGINT/SIGTERM handlers installed in it.
fn runtime_with_signals() -> Result<(tokio::runtime::Runtime, signals::Stop)> {
    let rt = runtime()?;
    let stop = rt.block_on(async { signals::install() });
    Ok((rt, stop))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")
}
