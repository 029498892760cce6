//! The command line (clap derive): the top of the house. This module parses; its children
//! (one file per command, and `global`) convert the parsed flags into each feature's plain
//! `Options` (and `config::Globals`), so nothing below `cli` knows clap's structs. Defaults
//! are the features' `DEFAULT_*` constants, never restated here; `tests` checks that a bare
//! command line gives each feature's `Options::default()`.

mod analyze;
mod demo;
mod global;
mod invalidate;
mod recommend;
mod report;
mod simulate;
#[cfg(test)]
mod tests;
mod verify;
mod warm;

use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::render::{Color, Format};
use crate::report::{Events, FailOn};
use crate::simulate::{RecomputeDist, Strategies};
use crate::units::{duration_arg, format_duration, rate_arg};

/// A default computed from a feature's constant, as the `&'static str` clap shows in `--help`
/// and parses like a typed value (durations and percents print as they are written).
macro_rules! shown {
    ($text:expr) => {{
        static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        TEXT.get_or_init(|| $text).as_str()
    }};
}

fn percent_arg(s: &str) -> Result<f64, String> {
    crate::units::parse_percent(s)
}

/// `--monitor-budget`: a ratio of at least 1, or `off` (infinite).
fn budget_arg(s: &str) -> Result<f64, String> {
    if s.eq_ignore_ascii_case("off") {
        return Ok(f64::INFINITY);
    }
    match s.trim_end_matches(['x', 'X']).parse::<f64>() {
        Ok(r) if r >= 1.0 && r.is_finite() => Ok(r),
        _ => Err(format!(
            "expected a ratio of at least 1 (the server's CPU per command with the sample over without it, e.g. 1.25) or off, not {s:?}"
        )),
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "cachectl",
    version,
    about = "Operations tool for Redis caches (Redis 6.2+, Redis Cluster, Valkey)",
    long_about = "Operations tool for Redis caches (Redis 6.2+, Redis Cluster, Valkey).\n\n\
Results go to stdout as a table, CSV or JSON; logs and progress go to stderr.\n\
Nothing cachectl does blocks the server: no KEYS, SCAN with COUNT, pipelined batches,\n\
probes that leave LRU/LFU state untouched.\n\n\
Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 a check did not pass, 130 interrupted.",
    propagate_version = true,
    max_term_width = 100,
    after_help = "Examples:
  cachectl demo                    # a guided tour on a throwaway redis-server
  cachectl -u redis://cache-1:6379 analyze --top 20
  cachectl -P treebeard report --interval 30s
  cachectl -u rediss://cache-1:6380 --cacert ca.pem analyze   # TLS, private CA
  cachectl invalidate pattern 'user_profile:v1:*' --dry-run

Global options may come before or after the command. `cachectl help COMMAND`
(or `cachectl COMMAND --help`) shows a command's options and examples;
`man cachectl` when the man pages in man/ are installed."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes; `--help` lists them under their own heading, after the
/// command's own options.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalOpts {
    /// Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path.
    /// A comma-separated list is a set of cluster seed nodes.
    /// redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels
    /// for MASTER's primary (their own password: $CACHECTL_SENTINEL_PASSWORD).
    /// [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]
    #[arg(short = 'u', long, global = true, value_name = "URL")]
    pub url: Option<String>,

    /// Read the password from FILE (first line), keeping it out of argv and profiles; used
    /// when the URL has none. Must not be readable by others (chmod 600).
    /// [then env: REDISCLI_AUTH]
    #[arg(long, global = true, value_name = "FILE")]
    pub password_file: Option<std::path::PathBuf>,

    /// TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store
    /// (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]
    #[arg(long, global = true, value_name = "FILE")]
    pub cacert: Option<std::path::PathBuf>,

    /// TLS: present this client certificate (PEM), for servers with tls-auth-clients yes
    /// [env: CACHECTL_CERT]
    #[arg(long, global = true, value_name = "FILE")]
    pub cert: Option<std::path::PathBuf>,

    /// TLS: the client certificate's private key (PEM); must not be readable by others.
    /// Give it before the command (`warm --key` is the key template) [env: CACHECTL_KEY]
    #[arg(long, value_name = "FILE")]
    pub key: Option<std::path::PathBuf>,

    /// TLS: the server name to verify the certificate against (default: the URL's host)
    #[arg(long, global = true, value_name = "HOST")]
    pub sni: Option<String>,

    /// TLS: do not verify the server's certificate (also the URL fragment #insecure); warns
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Force Redis Cluster mode (otherwise detected from INFO cluster)
    #[arg(long, global = true)]
    pub cluster: bool,

    /// Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)
    #[arg(long, global = true)]
    pub replicas: bool,

    /// Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH,
    /// then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)
    #[arg(short = 'P', long, global = true, value_name = "P")]
    pub profile: Option<String>,

    /// Output format: a table for people; CSV and JSON with stable snake_case fields and raw
    /// numbers (`report` also prints `prometheus`)
    #[arg(short = 'o', long, global = true, value_enum, value_name = "FORMAT", default_value_t = Format::Table)]
    pub output: Format,

    /// Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)
    #[arg(long, global = true, value_name = "DUR", value_parser = duration_arg,
          default_value = shown!(format_duration(crate::config::DEFAULT_TIMEOUT)))]
    pub timeout: Duration,

    /// Less logging (errors only)
    #[arg(short = 'q', long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured
    #[arg(short = 'v', long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Tables show every column in full, even on a narrow terminal (piped output always does)
    #[arg(long, global = true)]
    pub wide: bool,

    /// Never draw progress bars (they are drawn only when stderr is a terminal anyway)
    #[arg(long, global = true)]
    pub no_progress: bool,

    /// When to use colors (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Key-pattern analysis: keys, memory, types, TTLs and idle time per pattern, in one SCAN pass
    Analyze(AnalyzeArgs),
    /// Delete (or expire) keys by exact name, glob, prefix, tag or profile namespace, safely
    Invalidate(InvalidateArgs),
    /// Pre-load keys from a file, a command (psql …) or profile jobs, rate-limited, on a schedule
    Warm(WarmArgs),
    /// Hit rate, evictions, memory and latency per node and per namespace, with SLO checks
    Report(ReportArgs),
    /// Recommend strategy, TTL, eviction, invalidation, stampede protection and warming per namespace
    Recommend(RecommendArgs),
    /// Is the cache telling the truth? Compare it with its source, or with another deployment
    Verify(VerifyArgs),
    /// Simulate cache stampedes to choose a protection (model in virtual time, or --live)
    #[command(
        subcommand,
        after_help = "Examples:
  cachectl simulate stampede --clients 1000
  cachectl simulate stampede --rate 1000/s --duration 10m --strategy all"
    )]
    Simulate(SimulateCommand),
    /// A guided tour on a throwaway redis-server: analyze, report, recommend, simulate
    Demo(DemoArgs),
    /// List, validate or print profiles
    #[command(
        subcommand,
        after_help = "Examples:
  cachectl profile list                      # names usable with -P
  cachectl profile check ./profiles/myapp.yaml
  cachectl profile show treebeard -o csv     # one row per namespace"
    )]
    Profile(ProfileCommand),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  cachectl analyze
  cachectl -P treebeard analyze --sample 100000 -o json > analyze.json
  cachectl analyze --match 'session:*' --rate 20000 --top 20
  cachectl analyze --rdb /var/lib/redis/dump.rdb --diff last-week.json
  cachectl analyze --values 200 --rate 5000     # value formats and compression")]
pub struct AnalyzeArgs {
    /// Only keys matching this glob (SCAN MATCH)
    #[arg(long = "match", value_name = "GLOB")]
    pub pattern: Option<String>,

    /// Only keys of this type (SCAN TYPE): string, list, set, zset, hash, stream
    #[arg(long = "type", value_name = "T")]
    pub key_type: Option<String>,

    /// Probe only N keys per node and extrapolate counts and memory from DBSIZE
    #[arg(long, value_name = "N")]
    pub sample: Option<u64>,

    /// SCAN COUNT hint per call (at most 1000 unless you know better)
    #[arg(long, value_name = "N", default_value_t = crate::analyze::DEFAULT_SCAN_COUNT)]
    pub scan_count: u64,

    /// Cap the probe rate over all nodes (keys per second), for busy production servers
    #[arg(long, value_name = "KEYS/S", value_parser = rate_arg)]
    pub rate: Option<f64>,

    /// Show only the N patterns using the most memory (0 = all)
    #[arg(long, value_name = "N", default_value_t = crate::analyze::DEFAULT_TOP)]
    pub top: usize,

    /// Characters that separate key segments
    #[arg(long, value_name = "CHARS", default_value = crate::analyze::DEFAULT_SEPARATORS)]
    pub separators: String,

    /// How many of the biggest keys to list
    #[arg(long, value_name = "N", default_value_t = crate::analyze::DEFAULT_BIG_KEYS)]
    pub big_keys: usize,

    #[command(flatten)]
    pub more: AnalyzeMore,
}

/// analyze: offline sources, per-key detail and comparison with an earlier run.
#[derive(Debug, Clone, Default, Args)]
pub struct AnalyzeMore {
    /// Analyze an RDB dump instead of probing the server (`-` reads stdin); repeat it for
    /// a cluster, one dump per primary. No connection is made
    #[arg(long, value_name = "FILE")]
    pub rdb: Vec<String>,

    /// Stream the RDB from the server over the replication protocol (as `redis-cli --rdb`),
    /// every primary of a cluster (a replica each with --replicas); nothing is written to disk
    #[arg(long, conflicts_with = "rdb")]
    pub rdb_sync: bool,

    /// Online: also probe OBJECT ENCODING and the element count of every key (one more
    /// probe per key) for the encodings and elements_* columns
    #[arg(long)]
    pub detail: bool,

    /// Compare with an earlier `analyze -o json` run: keys and memory deltas per pattern,
    /// new and gone patterns, sorted by memory growth
    #[arg(long, value_name = "OLD.json")]
    pub diff: Option<std::path::PathBuf>,

    /// Sample N keys per pattern and read their values: the format (json, msgpack, gzip, …)
    /// and what zstd and lz4 would save. Online the reads are bounded, pipelined and under
    /// --rate; with --rdb/--rdb-sync they come from the dump
    #[arg(long, value_name = "N")]
    pub values: Option<usize>,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Invalidate options")]
#[command(after_help = "Examples:
  cachectl invalidate pattern 'user_profile:v1:*' --dry-run
  cachectl invalidate prefix 'cache:response:' --yes --publish
  cachectl invalidate tag users --dry-run
  cachectl -P treebeard invalidate namespace recommendations --soft 5m \\
      --audit-log /var/log/cachectl.jsonl

Guards (--max-keys, match-all, --audit-log writable) are checked on all
selectors together before anything is deleted. Ctrl-C or SIGTERM stops between
batches: what was done is printed and audited; keys in a batch whose reply was
lost are reported as `unknown`.

Exit codes: 0 done (also when nothing matched, unless --require-match),
1 failure (the report says what was deleted before it), 2 usage (e.g. a
match-everything pattern without --all), 3 a guard: --max-keys,
--require-match, or the confirmation declined; 130 interrupted.")]
pub struct InvalidateArgs {
    #[command(subcommand)]
    pub selector: SelectorArgs,

    /// Count matching keys and show up to 10 of them; delete nothing
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// Match first; if more than N keys would go, delete nothing and exit 3
    #[arg(long, global = true, value_name = "N")]
    pub max_keys: Option<u64>,

    /// Do not ask for confirmation (asked only when stdin is a terminal)
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,

    /// Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)
    #[arg(long, global = true)]
    pub all: bool,

    /// Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)
    #[arg(long, global = true)]
    pub require_match: bool,

    /// Instead of deleting, cap each key's TTL to DUR (graceful invalidation)
    #[arg(long, global = true, value_name = "DUR", value_parser = duration_arg)]
    pub soft: Option<Duration>,

    /// After success, PUBLISH one JSON event (default channel: the profile's, else cache:invalidate)
    #[arg(long, global = true, value_name = "CHANNEL", num_args = 0..=1, require_equals = true)]
    pub publish: Option<Option<String>>,

    /// Append one JSON line per run to FILE (also when the run fails)
    #[arg(long, global = true, value_name = "FILE")]
    pub audit_log: Option<std::path::PathBuf>,

    /// Cap deletions (or TTL changes) per second
    #[arg(long, global = true, value_name = "OPS/S", value_parser = rate_arg)]
    pub rate: Option<f64>,

    /// Keys per pipelined delete batch
    #[arg(long, global = true, value_name = "N", default_value_t = crate::invalidate::DEFAULT_BATCH)]
    pub batch: usize,

    /// After the run, scan every node (replicas too) for keys the selector still matches and
    /// report them; exit 3 if any are left
    #[arg(long, global = true, conflicts_with_all = ["dry_run", "soft"])]
    pub verify: bool,
}

#[derive(Debug, Clone, Subcommand)]
pub enum SelectorArgs {
    /// Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`
    #[command(after_help = "Examples:
  cachectl invalidate keys plan_catalog:v1:plan_1 plan_catalog:v1:plan_2
  cachectl invalidate keys --from-file stale-keys.txt --rate 5000/s
  grep -v '^#' stale-keys.txt | cachectl invalidate keys - --yes")]
    Keys {
        /// Keys to invalidate, written as cachectl prints them (`\xff`, `\n`; a backslash
        /// as `\\`); `-` reads raw keys from stdin, one per line
        #[arg(value_name = "K")]
        keys: Vec<String>,
        /// Read keys from a file, one per line
        #[arg(long, value_name = "F")]
        from_file: Option<std::path::PathBuf>,
    },
    /// Keys matching Redis globs (SCAN MATCH on every primary)
    #[command(after_help = "Examples:
  cachectl invalidate pattern 'user_profile:v1:*' --dry-run
  cachectl invalidate pattern 'session:*' --max-keys 10000 --yes
  cachectl invalidate pattern 'cache:response:*' --soft 5m --publish")]
    Pattern {
        /// Redis globs (`*`, `?`, `[abc]`, backslash escapes); quote them for the shell
        #[arg(value_name = "GLOB", required = true)]
        globs: Vec<String>,
    },
    /// Keys starting with a literal prefix (glob metacharacters are escaped)
    #[command(after_help = "Examples:
  cachectl invalidate prefix 'cache:response:' --dry-run
  cachectl invalidate prefix 'cache:response:' --yes --require-match")]
    Prefix {
        /// Literal key prefixes; `*`, `?`, `[` in them match only themselves
        #[arg(value_name = "P", required = true)]
        prefixes: Vec<String>,
    },
    /// Items tagged T, as the framework's client tagged them (Symfony, Laravel, cashews, cachectl)
    #[command(after_help = "Examples:
  cachectl invalidate tag users --dry-run
  cachectl invalidate tag users --tag-format symfony --tag-prefix app:")]
    Tag {
        /// Tag names, as the application tags items (the index's key is built from them)
        #[arg(value_name = "T", required = true)]
        tags: Vec<String>,
        /// Tag layout; auto finds T's index among all of them and says what it found
        /// [default: the profile's, else auto]
        #[arg(long, value_enum, value_name = "FORMAT")]
        tag_format: Option<crate::profile::TagFormat>,
        /// The client's key prefix, put before every key (phpredis OPT_PREFIX, Laravel
        /// REDIS_PREFIX) [default: the profile's, else inferred]
        #[arg(long, value_name = "P")]
        key_prefix: Option<String>,
        /// The framework's own prefix as it appears in Redis (Symfony namespace, Laravel cache
        /// prefix) [default: the profile's, else inferred]
        #[arg(long, value_name = "S")]
        tag_prefix: Option<String>,
    },
    /// A profile namespace: its pattern and its tags
    #[command(after_help = "Examples:
  cachectl -P treebeard invalidate namespace plan_catalog --dry-run
  cachectl -P treebeard invalidate namespace recommendations --soft 5m")]
    Namespace {
        /// A namespace of the profile given with -P (`cachectl profile show P` lists them)
        #[arg(value_name = "NAME")]
        name: String,
    },
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  cachectl warm --source plans.csv --key 'plan_catalog:v1:{id}' --ttl 1h
  psql -At -F, -c 'select id, name from plans' | cachectl warm --source - \\
      --columns id,name --key 'plan:{id}' --value '{name}' --ttl 1h
  cachectl -P treebeard warm --job popular_plans --rate 200/s
  cachectl -P treebeard warm --all-jobs --schedule '*/30 * * * *'

Templates use {column} from the CSV header (or --columns) or the JSON fields;
--value defaults to the whole row as JSON. Exit codes: 0 done (or skipped:
another host holds the job's lock), 1 failure, 2 usage (bad template, cron
line, duration), 3 more failed rows than --max-errors, 130 interrupted by
Ctrl-C (the batch in flight is finished and reported; SIGTERM is a clean stop:
exit 0).")]
pub struct WarmArgs {
    /// Rows from a file (CSV with a header, or JSON lines), or `-` for stdin
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["source_cmd", "job", "all_jobs"])]
    pub source: Option<String>,

    /// Rows from the standard output of a shell command (psql, mysql, a script)
    #[arg(long, value_name = "COMMAND", conflicts_with_all = ["job", "all_jobs"])]
    pub source_cmd: Option<String>,

    /// Source format [default: by extension, else sniffed: `{` starts JSON lines]
    #[arg(long, value_enum, value_name = "F")]
    pub format: Option<crate::profile::SourceFormat>,

    /// Column names for CSV without a header line (e.g. psql -At output)
    #[arg(long, value_name = "A,B,…", value_delimiter = ',')]
    pub columns: Vec<String>,

    /// Key template, e.g. 'plan_catalog:v1:{id}'
    #[arg(long, value_name = "TEMPLATE")]
    pub key: Option<String>,

    /// Value template [default: the row as JSON]
    #[arg(long, value_name = "TEMPLATE")]
    pub value: Option<String>,

    /// TTL of written keys [default: the job's or namespace's; none without a profile]
    #[arg(long, value_name = "DUR", value_parser = duration_arg)]
    pub ttl: Option<Duration>,

    /// Spread TTLs by ± this much so warmed keys do not expire together [default: 10%]
    #[arg(long, value_name = "PCT", value_parser = percent_arg)]
    pub ttl_jitter: Option<f64>,

    /// overwrite: SET; missing: SET NX (never overwrite); refresh: only keys missing or
    /// whose TTL is below --refresh-below
    #[arg(long, value_enum, value_name = "MODE")]
    pub mode: Option<crate::profile::WarmMode>,

    /// With --mode refresh: rewrite keys whose remaining TTL is below this
    #[arg(long, value_name = "DUR", value_parser = duration_arg)]
    pub refresh_below: Option<Duration>,

    /// Writes per second over all workers (token bucket); protects the origin
    #[arg(long, value_name = "N/s", value_parser = rate_arg)]
    pub rate: Option<f64>,

    /// Writes allowed at once above --rate when the bucket is full
    #[arg(long, value_name = "N", default_value_t = crate::warm::DEFAULT_BURST)]
    pub burst: u64,

    /// Concurrent write pipelines
    #[arg(long, value_name = "N", default_value_t = crate::warm::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,

    /// Keys per pipelined write batch (smaller under a low --rate, for smooth pacing)
    #[arg(long, value_name = "N", default_value_t = crate::warm::DEFAULT_BATCH)]
    pub batch: usize,

    /// Read and render every row, write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Exit 3 when more rows than this fail
    #[arg(long, value_name = "N")]
    pub max_errors: Option<u64>,

    /// Record progress in FILE; a later run resumes after the last row written
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<std::path::PathBuf>,

    /// Run a profile warm job
    #[arg(long, value_name = "NAME", conflicts_with = "all_jobs")]
    pub job: Option<String>,

    /// Run every warm job of the profile, one after the other
    #[arg(long)]
    pub all_jobs: bool,

    /// Job name for an ad-hoc run (lock key, summary) [default: the source file's stem]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Stay in the foreground and run on this cron schedule (5 fields, or 6 with seconds;
    /// `job` uses the job's schedule from the profile)
    #[arg(long, value_name = "CRON")]
    pub schedule: Option<String>,

    /// With --schedule: stop after N runs
    #[arg(long, value_name = "N")]
    pub max_runs: Option<u64>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  cachectl verify --source plans.csv --key 'plan_catalog:v1:{id}'
  cachectl -P treebeard verify --job popular_plans --compare json
  cachectl invalidate prefix plan_catalog: --yes && cachectl -P treebeard verify --all-jobs || rollback
  cachectl -u redis://blue:6379 verify --against redis://green:6379 --sample 10000

Against a source, the rows, jobs and templates mean what they mean to `warm`;
each key is read (PTTL + GET, pipelined; CLIENT NO-TOUCH on 7.2+) and compared.
Against a deployment, keys are scanned on --url and read on both: type, value
(collections page by page) and TTL within --ttl-tolerance. A difference is
read again after --recheck and counts only if it persists. Values are never
printed unless --show-values.

coherence_pct = fresh / (fresh + stale) x 100; missing keys are reported apart.
Exit codes: 0 coherent, 1 failure, 2 usage, 3 coherence_pct below --fail-below
(default: the profile's slo.coherence_pct.crit_below, else 99), 130 interrupted
(what was checked is reported).")]
pub struct VerifyArgs {
    /// Rows from a file (CSV with a header, or JSON lines), or `-` for stdin
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["source_cmd", "job", "all_jobs", "against"])]
    pub source: Option<String>,

    /// Rows from the standard output of a shell command (psql, mysql, a script)
    #[arg(long, value_name = "COMMAND", conflicts_with_all = ["job", "all_jobs", "against"])]
    pub source_cmd: Option<String>,

    /// What a profile warm job says the cache should hold
    #[arg(long, value_name = "NAME", conflicts_with_all = ["all_jobs", "against"])]
    pub job: Option<String>,

    /// Every warm job of the profile, one after the other
    #[arg(long, conflicts_with = "against")]
    pub all_jobs: bool,

    /// Another deployment (replica, region, blue/green twin): keys scanned on --url, read on
    /// both; a comma-separated list is a set of cluster seed nodes
    #[arg(long, value_name = "URL")]
    pub against: Option<String>,

    /// Source format [default: by extension, else sniffed: `{` starts JSON lines]
    #[arg(long, value_enum, value_name = "F")]
    pub format: Option<crate::profile::SourceFormat>,

    /// Column names for CSV without a header line (e.g. psql -At output)
    #[arg(long, value_name = "A,B,…", value_delimiter = ',')]
    pub columns: Vec<String>,

    /// Key template, as warm's, e.g. 'plan_catalog:v1:{id}'
    #[arg(long, value_name = "TEMPLATE")]
    pub key: Option<String>,

    /// Value template, as warm's [default: the row as JSON]
    #[arg(long, value_name = "TEMPLATE")]
    pub value: Option<String>,

    /// With --against: only keys matching this glob (SCAN MATCH)
    #[arg(long = "match", value_name = "GLOB", requires = "against")]
    pub pattern: Option<String>,

    /// With --against: only keys of this type (SCAN TYPE)
    #[arg(long = "type", value_name = "T", requires = "against")]
    pub key_type: Option<String>,

    /// exact: the same bytes; json: the same JSON document (key order and spacing ignored,
    /// numbers compared as numbers)
    #[arg(long, value_enum, value_name = "HOW", default_value_t = crate::verify::DEFAULT_COMPARE)]
    pub compare: crate::verify::Compare,

    /// Check a uniform sample of N rows (or keys) and estimate the whole, with its 95% interval
    #[arg(long, value_name = "N")]
    pub sample: Option<u64>,

    /// Keys read per second (token bucket over all reads)
    #[arg(long, value_name = "N/s", value_parser = rate_arg)]
    pub rate: Option<f64>,

    /// Exit 3 when coherence_pct is below PCT [default: the profile's
    /// slo.coherence_pct.crit_below, else 99]
    #[arg(long, value_name = "PCT", value_parser = percent_arg)]
    pub fail_below: Option<f64>,

    /// Read a difference again after DUR; it counts only if it persists (0: no recheck)
    #[arg(long, value_name = "DUR", value_parser = duration_arg,
          default_value = shown!(format_duration(crate::verify::DEFAULT_RECHECK)))]
    pub recheck: Duration,

    /// TTLs agree when they differ by at most PCT of the larger (--against); keys whose TTL
    /// is within PCT of a job's TTL from expiring are not judged
    #[arg(long, value_name = "PCT", value_parser = percent_arg,
          default_value = shown!(format!("{}%", crate::verify::DEFAULT_TTL_TOLERANCE)))]
    pub ttl_tolerance: f64,

    /// Show the expected and cached values of stale keys (they may be personal data)
    #[arg(long)]
    pub show_values: bool,

    /// Keys per read pipeline (smaller under a low --rate, for smooth pacing)
    #[arg(long, value_name = "N", default_value_t = crate::verify::DEFAULT_BATCH)]
    pub batch: usize,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  cachectl report                        # a 10 s window on every node
  cachectl -P treebeard report --fail-on warn --append history.csv
  cachectl report --watch --interval 5s  # redraw every 5 s, with a sparkline
  cachectl report -o prometheus --fail-on never > cachectl.prom
  cachectl report --patterns --interval 30s   # hit rate per key pattern

Output: -o table|csv|json|prometheus. prometheus (report only) is the text
exposition format for node_exporter's textfile collector.
Exit codes: 0 healthy (or below --fail-on), 1 failure, 2 usage, 3 an SLO
breached at the --fail-on level (crit by default; UNKNOWN never fails).")]
pub struct ReportArgs {
    /// Window between the two INFO samples; 0 reports lifetime counters (since start)
    #[arg(long, value_name = "DUR", value_parser = duration_arg,
          default_value = shown!(format_duration(crate::report::DEFAULT_INTERVAL)))]
    pub interval: Duration,

    /// Number of consecutive windows to report [default: 1; with --watch: until Ctrl-C]
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,

    /// Draw lifetime figures at once, then every window as it ends: redrawn on a terminal with a
    /// sparkline of the hit rate, one record per window with -o csv/json (Ctrl-C stops)
    #[arg(long)]
    pub watch: bool,

    /// Client-side PING round trips per node for the p95 latency
    #[arg(long, value_name = "N", default_value_t = crate::report::DEFAULT_LATENCY_SAMPLES)]
    pub latency_samples: usize,

    /// Exit 3 when the overall status reaches this level
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = crate::report::DEFAULT_FAIL_ON)]
    pub fail_on: FailOn,

    /// Append one CSV row per node per window to FILE (header written once), for cron history
    #[arg(long, value_name = "FILE.csv")]
    pub append: Option<std::path::PathBuf>,

    /// For cron/Nagios: judge the window since the sample the previous run stored in FILE,
    /// without waiting (replaces --interval), then store this run's sample there (0600). The
    /// first run, a restart, a stats reset or a file from another server: a labelled lifetime report
    #[arg(long, value_name = "FILE", conflicts_with_all = ["watch", "interval"])]
    pub since: Option<std::path::PathBuf>,

    /// Hit rate per key pattern: misses, expirations, evictions from key-events (exact),
    /// lookups from a MONITOR sample scaled to INFO. Adds missing notify-keyspace-events flags
    /// for the run and restores them (see --events)
    #[arg(long, conflicts_with = "since")]
    pub patterns: bool,

    /// --patterns: share of the window MONITOR is on, in slices (100%: every command, exact;
    /// 0: misses only)
    #[arg(long, value_name = "PCT", value_parser = percent_arg, requires = "patterns",
          default_value = shown!(format!("{}%", crate::report::DEFAULT_SAMPLE_READS_PCT)))]
    pub sample_reads: f64,

    /// --patterns: subscribe to key-events, adding missing notify-keyspace-events flags for the
    /// run (on), or never change the server (off)
    #[arg(long, value_enum, value_name = "on|off", requires = "patterns",
          default_value_t = crate::report::DEFAULT_EVENTS)]
    pub events: Events,

    /// --patterns: misses of one key within a second that make a miss burst (a stampede)
    #[arg(long, value_name = "N", requires = "patterns",
          default_value_t = crate::report::DEFAULT_BURST_MISSES)]
    pub burst_misses: u64,

    /// --patterns: keep the server's CPU per command within RATIO times what it is without the
    /// MONITOR sample: MONITOR's cost is measured during the window and the sampled share
    /// lowered where it costs more (large arguments); where the run measured the key-events'
    /// cost too (the second before it set them), also the whole run within 1.2 times the CPU
    /// per command before it; off: the share as asked
    #[arg(long, value_name = "RATIO|off", value_parser = budget_arg, requires = "patterns",
          default_value = shown!(crate::report::DEFAULT_MONITOR_BUDGET.to_string()))]
    pub monitor_budget: f64,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  cachectl -P treebeard recommend            # one row per profile namespace
  cachectl -P treebeard recommend --observe  # adjusted by the live server
  cachectl recommend --read-write-ratio 50 --consistency eventual \\
      --update-interval 1d --access hot --recompute 300ms")]
pub struct RecommendArgs {
    /// Only this profile namespace (or the name of an ad-hoc description)
    #[arg(long, value_name = "NAME")]
    pub namespace: Option<String>,

    /// Reads per write
    #[arg(long, value_name = "R")]
    pub read_write_ratio: Option<f64>,

    /// What readers need
    #[arg(long, value_enum, value_name = "C")]
    pub consistency: Option<crate::profile::Consistency>,

    /// How often the source data changes
    #[arg(long, value_name = "DUR", value_parser = duration_arg)]
    pub update_interval: Option<Duration>,

    /// How stale a reader may see it
    #[arg(long, value_name = "DUR", value_parser = duration_arg)]
    pub staleness: Option<Duration>,

    /// Access pattern
    #[arg(long, value_enum, value_name = "A")]
    pub access: Option<crate::profile::Access>,

    /// Cost of a miss at the origin
    #[arg(long, value_name = "DUR", value_parser = duration_arg)]
    pub recompute: Option<Duration>,

    /// Read the live keyspace (analyze) and counters (report) and adjust; also recommend the
    /// instance's maxmemory-policy and maxmemory
    #[arg(long)]
    pub observe: bool,

    /// With --observe: watch the traffic this long with `report --patterns` (hit rates per key
    /// pattern from key-events and a MONITOR sample, miss bursts) and adjust TTL, warming and
    /// stampede protection from what each namespace's patterns show; 0 reads lifetime counters
    /// only [default: 0]
    #[arg(long, value_name = "DUR", value_parser = duration_arg, requires = "observe")]
    pub observe_window: Option<Duration>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  cachectl demo            # a few seconds; the server is stopped at the end
  cachectl demo --explain  # also why each recommendation was made
  cachectl demo --keep     # leave the server running and explore it

Needs redis-server on PATH (Debian/Ubuntu: apt-get install redis-server).")]
pub struct DemoArgs {
    /// Leave the demo server running and print its URL and commands to try
    #[arg(long)]
    pub keep: bool,

    /// Show the reasoning behind each recommendation (longer output)
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Subcommand)]
pub enum SimulateCommand {
    /// Clients reading hot keys whose values take --recompute to rebuild: origin calls,
    /// hit rate and latency per protection strategy
    Stampede(StampedeArgs),
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  cachectl simulate stampede --clients 1000     # a burst at expiry
  cachectl simulate stampede --rate 1000/s --duration 10m --ttl 10s \\
      --recompute 100ms
  cachectl simulate stampede --rate 2000/s --keys 500 --ttl-jitter 10%
  cachectl simulate stampede --clients 1000 --strategy lock --live

Strategies: none, lock (SET NX PX; waiters poll every 10 ms), singleflight
(one recompute per app node), xfetch (early recompute when
now - delta*beta*ln(rand) >= expiry), xfetch-lock, swr (serve stale while one
refresh runs), refresh-ahead (refresh after 80% of the TTL). Without --rate
the workload is a burst of --clients requests at the moment the key expires.")]
pub struct StampedeArgs {
    /// Burst size: requests arriving at the moment the key expires
    #[arg(long, value_name = "N", default_value_t = crate::simulate::DEFAULT_CLIENTS)]
    pub clients: u64,

    /// Open-loop Poisson arrivals at this rate instead of a burst
    #[arg(long, value_name = "REQ/S", value_parser = rate_arg)]
    pub rate: Option<f64>,

    /// With --rate: how long arrivals go on (virtual time)
    #[arg(long, value_name = "DUR", value_parser = duration_arg,
          default_value = shown!(format_duration(crate::simulate::DEFAULT_DURATION)))]
    pub duration: Duration,

    /// TTL of the cached values
    #[arg(long, value_name = "DUR", value_parser = duration_arg,
          default_value = shown!(format_duration(crate::simulate::DEFAULT_TTL)))]
    pub ttl: Duration,

    /// Time to rebuild a value at the origin (the mean, with --recompute-dist lognormal)
    #[arg(long, value_name = "DUR", value_parser = duration_arg,
          default_value = shown!(format_duration(crate::simulate::DEFAULT_RECOMPUTE)))]
    pub recompute: Duration,

    /// Rebuild time distribution
    #[arg(long, value_enum, value_name = "D", default_value_t = crate::simulate::DEFAULT_RECOMPUTE_DIST)]
    pub recompute_dist: RecomputeDist,

    /// Strategies to compare (comma-separated), or `all`
    #[arg(long, value_name = "LIST|all", value_parser = Strategies::parse, default_value_t = Strategies::all())]
    pub strategy: Strategies,

    /// XFetch's β: above 1 recomputes earlier, below 1 later
    #[arg(long, value_name = "F", default_value_t = crate::simulate::DEFAULT_BETA)]
    pub beta: f64,

    /// Application nodes (singleflight dedupes per node)
    #[arg(long, value_name = "K", default_value_t = crate::simulate::DEFAULT_NODES)]
    pub nodes: u64,

    /// Number of keys, all cached at t=0 (they expire together unless --ttl-jitter)
    #[arg(long, value_name = "K", default_value_t = crate::simulate::DEFAULT_KEYS)]
    pub keys: u64,

    /// Spread each key's TTL by ± this much
    #[arg(long, value_name = "PCT", value_parser = percent_arg,
          default_value = shown!(format!("{}%", crate::simulate::DEFAULT_TTL_JITTER)))]
    pub ttl_jitter: f64,

    /// RNG seed: the same seed gives byte-identical output
    #[arg(long, value_name = "S", default_value_t = crate::simulate::DEFAULT_SEED)]
    pub seed: u64,

    /// Start with an empty cache instead of freshly cached keys
    #[arg(long)]
    pub cold: bool,

    /// Run real concurrent clients against the Redis at --url (keys under cachectl:sim:,
    /// removed afterwards); the origin is simulated latency
    #[arg(long)]
    pub live: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// List the profiles -P finds by name: profiles/*.yaml in $CACHECTL_PROFILE_PATH and
    /// ./profiles, and the built-in ones
    List,
    /// Validate a profile (exit 2 with file:line on error)
    #[command(after_help = "Examples:
  cachectl profile check treebeard
  cachectl profile check /etc/cachectl/myapp.yaml && echo valid")]
    Check {
        /// Profile path or name
        #[arg(value_name = "P")]
        profile: String,
    },
    /// Print a profile with ${VAR} expanded and defaults filled in
    #[command(after_help = "Examples:
  cachectl profile show treebeard           # YAML, secrets masked
  cachectl profile show treebeard -o csv    # one row per namespace")]
    Show {
        /// Profile path or name
        #[arg(value_name = "P")]
        profile: String,
    },
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  cachectl completions bash > /etc/bash_completion.d/cachectl
  cachectl completions zsh > ~/.zfunc/_cachectl
  cachectl completions fish > ~/.config/fish/completions/cachectl.fish

bash, zsh and fish also complete profile names after -P (from
`cachectl profile list`) and namespace names after `invalidate namespace`.")]
pub struct CompletionsArgs {
    /// Shell to generate completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Files in `completions/`, one per shell, as generated by `cachectl completions SHELL`.
pub fn completion_file_name(shell: clap_complete::Shell) -> &'static str {
    use clap_complete::Shell;
    match shell {
        Shell::Bash => "cachectl.bash",
        Shell::Zsh => "_cachectl",
        Shell::Fish => "cachectl.fish",
        Shell::PowerShell => "_cachectl.ps1",
        Shell::Elvish => "cachectl.elv",
        _ => "cachectl.unknown",
    }
}
