use clap::Parser;
use tracing_subscriber::EnvFilter;

use cachectl::cli::Cli;
use cachectl::error::{exit_code_for, one_line, ExitCode};

fn main() {
    let cli = Cli::parse();
    init_logging(cli.global.quiet, cli.global.verbose);
    let code = match cachectl::run(cli) {
        Ok(code) => code,
        Err(err) => {
            let code = exit_code_for(&err);
            if code != ExitCode::Success {
                eprintln!("cachectl: error: {}", one_line(&err));
            }
            code
        }
    };
    std::process::exit(code.code());
}

/// Logs go to stderr only; RUST_LOG wins over -q/-v.
fn init_logging(quiet: bool, verbose: u8) {
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| {
        EnvFilter::new(match (quiet, verbose) {
            (true, _) => "error",
            (false, 0) => "warn",
            (false, 1) => "warn,cachectl=info",
            (false, 2) => "warn,cachectl=debug",
            _ => "trace",
        })
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
