use clap::Parser;
use tracing_subscriber::EnvFilter;

use cachectl::cli::Cli;
use cachectl::error::Outcome;

fn main() {
    // One line, no backtrace, even for a bug: operators read stderr in cron mail.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "cachectl: error: internal error{at}: {} (please report this)",
            cachectl::redact::text(&msg.replace('\n', " "))
        );
    }));
    // rediss:// needs a process-wide rustls crypto provider; ring is the one we ship.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_exit(e),
    };
    init_logging(cli.global.quiet, cli.global.verbose);
    cachectl::exit(cachectl::run(cli));
}

/// Help and version print as clap does; a usage error is one line and exit 2 (SPEC §1).
fn usage_exit(e: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let text = e.render().to_string();
    let msg = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let msg = msg.strip_prefix("error: ").unwrap_or(&msg);
    cachectl::redact::register_env();
    cachectl::exit(Outcome::Usage(format!("{msg} (see --help)")));
}

/// Logs go to stderr only; RUST_LOG wins over -q/-v.
fn init_logging(quiet: bool, verbose: u8) {
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| {
        EnvFilter::new(match (quiet, verbose) {
            (true, _) => "error",
            // warm logs one line per run at info: what cron mail should say
            (false, 0) => "warn,cachectl::warm=info",
            (false, 1) => "warn,cachectl=info",
            (false, 2) => "warn,cachectl=debug",
            _ => "trace",
        })
    });
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        // every log line is scrubbed of URLs' passwords and registered secrets
        .with_writer(|| cachectl::redact::ScrubWriter(std::io::stderr()))
        .with_ansi(ansi)
        .with_target(false)
        .init();
}
