//! A bare command line gives each feature's `Options::default()`: the defaults are the
//! features' constants, and the conversions lose nothing on the way.

use clap::Parser;

use super::{Cli, Command, SimulateCommand};

fn parse(args: &[&str]) -> Cli {
    Cli::try_parse_from(std::iter::once("cachectl").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[test]
fn bare_global_options_are_the_config_defaults() {
    let cli = parse(&["profile", "list"]);
    assert_eq!(
        crate::config::Globals::from(&cli.global),
        crate::config::Globals::default()
    );
}

#[test]
fn bare_commands_give_the_features_defaults() {
    match parse(&["analyze"]).command {
        Command::Analyze(a) => assert_eq!(
            crate::analyze::Options::from(&a),
            crate::analyze::Options::default()
        ),
        c => panic!("{c:?}"),
    }
    match parse(&["warm"]).command {
        Command::Warm(a) => assert_eq!(
            crate::warm::Options::from(&a),
            crate::warm::Options::default()
        ),
        c => panic!("{c:?}"),
    }
    match parse(&["verify"]).command {
        Command::Verify(a) => assert_eq!(
            crate::verify::Options::from(&a),
            crate::verify::Options::default()
        ),
        c => panic!("{c:?}"),
    }
    match parse(&["report"]).command {
        Command::Report(a) => assert_eq!(
            crate::report::Options::from(&a),
            crate::report::Options::default()
        ),
        c => panic!("{c:?}"),
    }
    match parse(&["recommend"]).command {
        Command::Recommend(a) => assert_eq!(
            crate::recommend::Options::from(&a),
            crate::recommend::Options::default()
        ),
        c => panic!("{c:?}"),
    }
    match parse(&["simulate", "stampede"]).command {
        Command::Simulate(SimulateCommand::Stampede(a)) => assert_eq!(
            crate::simulate::Options::from(&a),
            crate::simulate::Options::default()
        ),
        c => panic!("{c:?}"),
    }
    match parse(&["demo"]).command {
        Command::Demo(a) => assert_eq!(
            crate::commands::demo::Options::from(&a),
            crate::commands::demo::Options::default()
        ),
        c => panic!("{c:?}"),
    }
}

#[test]
fn bare_invalidate_is_its_selector_with_the_defaults() {
    use crate::invalidate::{Options, Selector};
    match parse(&["invalidate", "pattern", "a:*"]).command {
        Command::Invalidate(a) => assert_eq!(
            Options::from(&a),
            Options::new(Selector::Pattern {
                globs: vec!["a:*".into()]
            })
        ),
        c => panic!("{c:?}"),
    }
}

#[test]
fn warm_sources_become_one_input() {
    use crate::warm::{Input, Options};
    let input = |args: &[&str]| match parse(args).command {
        Command::Warm(a) => Options::from(&a).source,
        c => panic!("{c:?}"),
    };
    assert_eq!(
        input(&["warm", "--source", "p.csv"]),
        Some(Input::File("p.csv".into()))
    );
    assert_eq!(input(&["warm", "--source", "-"]), Some(Input::Stdin));
    assert_eq!(
        input(&["warm", "--source-cmd", "psql"]),
        Some(Input::Command("psql".into()))
    );
    assert_eq!(input(&["warm", "--job", "j"]), Some(Input::Job("j".into())));
    assert_eq!(input(&["warm", "--all-jobs"]), Some(Input::AllJobs));
}

#[test]
fn strategies_are_parsed_once_by_the_command_line() {
    use crate::simulate::model::Strategy;
    match parse(&["simulate", "stampede", "--strategy", "lock, xfetch"]).command {
        Command::Simulate(SimulateCommand::Stampede(a)) => assert_eq!(
            crate::simulate::Options::from(&a).strategies,
            vec![Strategy::Lock, Strategy::Xfetch]
        ),
        c => panic!("{c:?}"),
    }
    let err = Cli::try_parse_from(["cachectl", "simulate", "stampede", "--strategy", "nope"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown strategy `nope`"), "{err}");
}
