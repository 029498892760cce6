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
pub mod verify;
pub mod warm;

use anyhow::{Context, Result};

use cli::{Cli, Command, ProfileCommand, SimulateCommand};
use error::Outcome;
use render::{emit, RenderCtx};

/// Run a parsed command line to its [`Outcome`] (print it and end the process with [`exit`]).
///
/// Every command returns its result; [`conclude`] prints it and hands on the outcome the
/// result itself gives (`render::Report::outcome`), and an error becomes an outcome too, so
/// the exit code, the stderr line and the `status` field cannot disagree. Long-running
/// commands get the process's one stop token ([`signals::install`]).
pub fn run(cli: Cli) -> Outcome {
    dispatch(&cli).unwrap_or_else(|e| Outcome::from_error(&e))
}

/// The one place a run ends: the outcome's line on stderr (none for success), then the exit
/// code it stands for — or, after Ctrl-C, death by SIGINT re-raised, so a calling shell sees
/// the interrupt (its `$?` is 130 either way).
pub fn exit(outcome: Outcome) -> ! {
    if let Some(line) = outcome.line() {
        eprintln!("{line}");
    }
    if outcome == Outcome::Interrupted && signals::received() == Some(signals::Signal::Interrupt) {
        signals::die_by_sigint();
    }
    std::process::exit(outcome.exit_code().code())
}

fn dispatch(cli: &Cli) -> Result<Outcome> {
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
            let cmd = <Cli as clap::CommandFactory>::command();
            commands::completions::generate(a.shell, cmd, &mut lock);
            std::io::Write::flush(&mut lock).context("writing completions")?;
            Ok(Outcome::Ok)
        }
        Command::Profile(p) => {
            let ctx = RenderCtx::new(g.format, g.color);
            match p {
                ProfileCommand::List => conclude(&commands::profile::list(), &ctx),
                ProfileCommand::Check { profile } => {
                    conclude(&commands::profile::check(profile)?, &ctx)
                }
                ProfileCommand::Show { profile } => {
                    conclude(&commands::profile::show(profile)?, &ctx)
                }
            }
        }
        Command::Invalidate(a) => {
            let settings = config::resolve(g)?;
            let (rt, stop) = runtime_with_signals()?;
            let report = rt.block_on(invalidate::run(&a.into(), &settings, &stop))?;
            conclude(&report, &settings.render)
        }
        Command::Warm(a) => {
            let settings = config::resolve(g)?;
            let (rt, stop) = runtime_with_signals()?;
            let report = rt.block_on(warm::run(&a.into(), &settings, &stop))?;
            conclude(&report, &settings.render)
        }
        Command::Verify(a) => {
            let settings = config::resolve(g)?;
            let (rt, stop) = runtime_with_signals()?;
            let report = rt.block_on(verify::run(&a.into(), &settings, &stop))?;
            conclude(&report, &settings.render)
        }
        Command::Report(a) => {
            let settings = config::resolve(g)?;
            let (rt, stop) = runtime_with_signals()?;
            let report = rt.block_on(report::run(&a.into(), &settings, &stop))?;
            if a.watch {
                // the frames were drawn as they came; only the outcome is left to say
                return Ok(render::Report::outcome(&report));
            }
            conclude(&report, &settings.render)
        }
        Command::Simulate(SimulateCommand::Stampede(a)) => {
            if a.live {
                let settings = config::resolve(g)?;
                let (rt, stop) = runtime_with_signals()?;
                let report = rt.block_on(simulate::run_live(&a.into(), &settings, &stop))?;
                conclude(&report, &settings.render)
            } else {
                let report = simulate::run_model(&a.into())?;
                conclude(&report, &RenderCtx::new(g.format, g.color))
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
            let report = runtime()?.block_on(recommend::run(&a.into(), &settings))?;
            conclude(&report, &settings.render)
        }
        Command::Demo(a) => {
            let ctx = RenderCtx::new(g.format, g.color);
            runtime()?.block_on(commands::demo::run(&a.into(), ctx, g.timeout))?;
            Ok(Outcome::Ok)
        }
        Command::Analyze(a) => {
            let settings = config::resolve(g)?;
            let (rt, stop) = runtime_with_signals()?;
            let report = rt.block_on(analyze::run(&a.into(), &settings, &stop))?;
            conclude(&report, &settings.render)
        }
    }
}

/// Print the result; its outcome is the run's (SPEC §1 "One outcome per run").
fn conclude<R: render::Report>(report: &R, ctx: &RenderCtx) -> Result<Outcome> {
    emit(report, ctx)?;
    Ok(report.outcome())
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
