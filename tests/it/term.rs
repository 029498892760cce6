//! What a new user meets first: `--help`, completions, `profile list`, `demo --keep`, and the
//! small things (plural forms, `--top` findings, the audit user without `$USER`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::support::{cachectl, json, Loader, RedisServer};

fn help(args: &[&str]) -> String {
    let out = cachectl().args(args).env("COLUMNS", "80").output().unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Every command path, for help checks.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["analyze"],
    &["invalidate"],
    &["invalidate", "keys"],
    &["invalidate", "pattern"],
    &["invalidate", "prefix"],
    &["invalidate", "tag"],
    &["invalidate", "namespace"],
    &["warm"],
    &["report"],
    &["recommend"],
    &["simulate"],
    &["simulate", "stampede"],
    &["demo"],
    &["profile"],
    &["profile", "list"],
    &["profile", "check"],
    &["profile", "show"],
    &["completions"],
];

#[test]
fn help_has_global_options_apart_examples_that_fit_and_described_positionals() {
    for path in COMMANDS {
        let mut args: Vec<&str> = path.to_vec();
        args.push("--help");
        let text = help(&args);
        // global options under their own heading, after the command's own
        let g = text
            .find("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{path:?}: no Global options heading"));
        assert!(
            !text[..g].contains("--url <URL>"),
            "{path:?}: --url listed among the command's options"
        );
        // examples for every command with something to run (group commands included)
        let leaves_without_examples: &[&[&str]] = &[&["profile", "list"]];
        if !leaves_without_examples.contains(path) {
            let ex = text
                .find("\nExamples:\n")
                .unwrap_or_else(|| panic!("{path:?}: no examples"));
            let block: Vec<&str> = text[ex + 11..]
                .lines()
                .take_while(|l| !l.is_empty())
                .collect();
            assert!(
                (2..=5).contains(&block.len()),
                "{path:?}: {} example lines",
                block.len()
            );
            for l in &block {
                assert!(
                    l.chars().count() <= 80,
                    "{path:?}: example wraps at 80 columns: {l}"
                );
                assert!(l.starts_with("  "), "{path:?}: {l}");
            }
        }
        // every positional argument has a description
        if let Some(a) = text.find("\nArguments:\n") {
            // clap puts the description on the same line, or (long help) on the next one
            let lines: Vec<&str> = text[a + 12..]
                .lines()
                .take_while(|l| !l.is_empty())
                .collect();
            for (i, raw) in lines.iter().enumerate() {
                let l = raw.trim_start();
                if l.starts_with('<') || l.starts_with('[') {
                    let after = l.split_once("  ").map(|(_, d)| d.trim()).unwrap_or("");
                    let below = lines.get(i + 1).is_some_and(|n| {
                        let t = n.trim_start();
                        !t.is_empty() && !t.starts_with('<') && !t.starts_with('[')
                    });
                    assert!(
                        !after.is_empty() || below,
                        "{path:?}: undescribed argument: {l}"
                    );
                }
            }
        }
        // -o prometheus is offered where it works, and only there
        let mentions = text.contains("prometheus");
        if path == &["report"] {
            assert!(mentions, "report --help must list -o prometheus");
        } else {
            assert!(
                !text.contains("possible values: table, csv, json, prometheus"),
                "{path:?}: offers -o prometheus"
            );
        }
    }
}

#[test]
fn usage_errors_look_like_the_readme_says() {
    let out = cachectl()
        .args(["analyze", "--top", "lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(
            "cachectl: error: invalid value 'lots' for '--top <N>': invalid digit found in string (see --help)"
        ),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn profile_list_names_shipped_and_path_profiles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("profiles")).unwrap();
    std::fs::write(
        dir.path().join("profiles/myapp.yaml"),
        "name: myapp\nnamespaces: {}\n",
    )
    .unwrap();
    let out = cachectl()
        .args(["profile", "list", "-o", "csv"])
        .env("CACHECTL_PROFILE_PATH", dir.path())
        .current_dir(dir.path().join("profiles"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["myapp", "default", "treebeard", "datapunk"],
        "{text}"
    );
    assert!(text.contains("<built-in profiles/treebeard.yaml>"));
}

/// The committed bash script, sourced in a real bash: profile names after -P, namespaces
/// after `invalidate namespace`, subcommands as before.
#[test]
fn bash_completion_offers_profiles_and_namespaces() {
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let dir = bin.parent().unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/cachectl.bash");
    // An empty directory of the test's own: bash's file completion must find nothing beside the
    // names cachectl offers (in the shared temp dir any `t*` file showed up next to `treebeard`).
    let cwd = tempfile::tempdir().unwrap();
    let probe = |words: &str, cword: usize| -> String {
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source {}; COMP_WORDS=({words}); COMP_CWORD={cword}; \
                 _cachectl_with_names cachectl \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; \
                 printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                script.display()
            ))
            .env(
                "PATH",
                format!("{}:{}", dir.display(), std::env::var("PATH").unwrap()),
            )
            .env_remove("CACHECTL_PROFILE_PATH")
            .current_dir(cwd.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(probe("cachectl -P tr", 2).trim(), "treebeard");
    let ns = probe("cachectl -P treebeard invalidate namespace ''", 5);
    assert!(
        ns.contains("plan_catalog\n") && ns.contains("user_profile\n"),
        "{ns}"
    );
    assert_eq!(probe("cachectl ana", 1).trim(), "analyze");
    assert!(probe("cachectl profile check de", 3).contains("default\n"));
}

#[test]
fn top_limits_findings_to_the_patterns_shown() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..300 {
            // no TTL anywhere: one finding per pattern; big values first
            l.cmd("SET", &format!("big:{i}"), &[&"x".repeat(500)]);
            l.cmd("SET", &format!("mid:{i}"), &[&"x".repeat(100)]);
            l.cmd("SET", &format!("small:{i}"), &[&"x"]);
        }
    }
    let all = json(&["--url", &s.url(), "analyze"]);
    assert_eq!(all["findings"].as_array().unwrap().len(), 3);
    let top = json(&["--url", &s.url(), "analyze", "--top", "1"]);
    let f = top["findings"].as_array().unwrap();
    assert_eq!(top["patterns"].as_array().unwrap().len(), 1);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["pattern"], "big:*");
    // one key, one node, one pattern: singular forms
    let one = RedisServer::start();
    let _: () = redis::cmd("SET")
        .arg("solo")
        .arg("v")
        .query(&mut one.conn())
        .unwrap();
    let out = cachectl()
        .args(["--url", &one.url(), "analyze"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Analyzed 1 key on 1 node of") && text.contains(": 1 pattern, "),
        "{text}"
    );
    assert!(text.contains("1 of 1 key has no TTL"), "{text}");
    for l in text.lines() {
        assert!(!l.ends_with(' '), "trailing space: {l:?}");
    }
}

#[test]
fn audit_user_comes_from_the_uid_without_user_env() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    cachectl()
        .args(["--url", &s.url(), "invalidate", "pattern", "nothing:*"])
        .args(["--audit-log", log.to_str().unwrap()])
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .assert()
        .success();
    let line: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&log).unwrap().trim()).unwrap();
    let user = line["user"].as_str().unwrap();
    assert_ne!(user, "unknown");
    assert_eq!(user, cachectl::audit::user_from_uid());
}

/// `demo --keep` prints commands to try; each of them works as printed.
#[test]
fn demo_keep_suggests_commands_that_work() {
    let out = cachectl()
        .args(["demo", "--keep"])
        .timeout(std::time::Duration::from_secs(180))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let tail = &text[text.find("keeps running on").expect("keep message")..];
    let port: u16 = tail
        .split("redis-cli -p ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .expect("port in the stop line");
    let pid: i32 = tail
        .split("(pid ")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .and_then(|p| p.parse().ok())
        .expect("pid");
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let suggestions: Vec<String> = tail
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("cachectl "))
        .map(|rest| format!("'{}' {rest}", bin.display()))
        .collect();
    assert_eq!(suggestions.len(), 4, "{tail}");
    let mut failures = Vec::new();
    for cmd in &suggestions {
        if cmd.contains("--watch") {
            // runs until stopped: wait for its first frame, then stop it
            let mut child = Command::new("sh")
                .arg("-c")
                .arg(format!("exec {cmd}"))
                .env("NO_COLOR", "1")
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let first = BufReader::new(child.stdout.take().unwrap())
                .lines()
                .next()
                .and_then(Result::ok)
                .unwrap_or_default();
            let _ = child.kill();
            let _ = child.wait();
            if !first.starts_with("hit rate") {
                failures.push(format!("{cmd}: {first}"));
            }
            continue;
        }
        let o = Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        if !o.status.success() {
            failures.push(format!("{cmd}: {}", String::from_utf8_lossy(&o.stderr)));
        }
    }
    // stop the kept server
    let _ = Command::new("redis-cli")
        .args(["-p", &port.to_string(), "shutdown", "nosave"])
        .output();
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Run cachectl in a real pseudo-terminal `cols` columns wide (util-linux `script`), as a
/// user would in tmux; returns what the terminal shows, without carriage returns.
fn pty(args: &[&str], cols: usize) -> String {
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let quoted: Vec<String> = args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let out = Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "stty cols {cols} rows 50; exec '{}' --no-progress {}",
            bin.display(),
            quoted.join(" ")
        ))
        .arg("/dev/null")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .env_remove("CACHECTL_PROFILE_PATH")
        .stdin(Stdio::null())
        .output()
        .expect("script(1) from util-linux");
    String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n")
}

fn assert_fits(text: &str, cols: usize, what: &str) {
    for l in text.lines() {
        assert!(
            crate::term::display_width(l) <= cols,
            "{what} at {cols} columns: a line is {} wide:\n{l}\n\n{text}",
            crate::term::display_width(l)
        );
        assert!(!l.ends_with(' '), "{what}: trailing space: {l:?}");
    }
}

fn display_width(s: &str) -> usize {
    s.chars().count()
}

/// Deterministic output (no server, a fixed seed), drawn in real terminals 80 and 120 wide.
#[test]
fn snapshots_of_tables_at_80_and_120_columns() {
    for cols in [80, 120] {
        let sim = pty(
            &[
                "simulate",
                "stampede",
                "--rate",
                "1000/s",
                "--duration",
                "10m",
                "--ttl",
                "10s",
                "--recompute",
                "100ms",
            ],
            cols,
        );
        assert_fits(&sim, cols, "simulate");
        insta::assert_snapshot!(format!("simulate_{cols}"), sim);
        let rec = pty(&["-P", "treebeard", "recommend"], cols);
        assert_fits(&rec, cols, "recommend");
        insta::assert_snapshot!(format!("recommend_{cols}"), rec);
    }
    // --wide and pipes keep every column
    let wide = pty(&["--wide", "simulate", "stampede", "--clients", "10"], 80);
    assert!(wide.lines().nth(1).unwrap().contains("MAX MS"), "{wide}");
    let piped = cachectl()
        .args(["simulate", "stampede", "--clients", "10"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    assert!(String::from_utf8(piped.stdout).unwrap().contains("MAX MS"));
}

/// analyze, report, invalidate --dry-run, warm and recommend --observe against a real server, in
/// real terminals 80, 100 and 120 wide: every line fits, numbers and patterns are whole.
#[test]
fn live_tables_fit_80_100_120_column_terminals() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..400 {
            l.cmd(
                "SET",
                &format!("user_profile:v1:user_{i}:preferences:notifications:email"),
                &[&"x".repeat(120), &"EX", &3600],
            );
            l.cmd("SET", &format!("plan_catalog:v1:plan_{i}"), &[&"y"]);
            l.cmd("HSET", &format!("session:{:032x}", i * 7919), &[&"u", &"1"]);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("plans.csv");
    std::fs::write(&csv, "id,name\n1,basic\n2,pro\n").unwrap();
    let url = s.url();
    for cols in [80, 100, 120] {
        let runs: Vec<(&str, Vec<&str>)> = vec![
            ("analyze", vec!["-u", &url, "-P", "treebeard", "analyze"]),
            (
                "report",
                vec![
                    "-u",
                    &url,
                    "report",
                    "--interval",
                    "0",
                    "--fail-on",
                    "never",
                ],
            ),
            (
                "invalidate",
                vec![
                    "-u",
                    &url,
                    "invalidate",
                    "pattern",
                    "user_profile:v1:*",
                    "--dry-run",
                ],
            ),
            (
                "warm",
                vec![
                    "-q", // the INFO log line is a log, not a table
                    "-u",
                    &url,
                    "warm",
                    "--source",
                    csv.to_str().unwrap(),
                    "--key",
                    "plan_catalog:v1:{id}",
                    "--ttl",
                    "1h",
                ],
            ),
            (
                "recommend",
                vec!["-u", &url, "-P", "treebeard", "recommend", "--observe"],
            ),
        ];
        for (what, args) in runs {
            let text = pty(&args, cols);
            assert!(!text.contains("error"), "{what}: {text}");
            assert_fits(&text, cols, what);
            if what == "analyze" {
                // patterns are whole or shortened with … — never split over two lines
                assert!(text.contains("plan_catalog:v1:*"), "{text}");
                assert!(text.contains("1,200") || text.contains("400"), "{text}");
            }
        }
    }
}

/// The README's simulate example is exactly what the binary prints for that seed (piped).
#[test]
fn readme_simulate_example_is_what_the_binary_prints() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let cmd =
        "$ cachectl simulate stampede --rate 1000/s --duration 10m --ttl 10s --recompute 100ms\n";
    let at = readme.find(cmd).expect("the example") + cmd.len();
    let shown = &readme[at..at + readme[at..].find("```").unwrap()];
    let out = cachectl()
        .args(cmd[11..].split_whitespace())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), shown);
}

/// The text of README.md between `after` and the next line starting with `until`.
fn readme_between(after: &str, until: &str) -> String {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let at = readme.find(after).expect(after) + after.len();
    let end = readme[at..].find(until).expect(until);
    readme[at..at + end].to_string()
}

/// The README's `profile check bad.yaml` example: its file gives the error shown, exit 2.
#[test]
fn readme_profile_check_example_is_what_the_binary_prints() {
    let dir = tempfile::tempdir().unwrap();
    let file = readme_between("$ cat bad.yaml\n", "$ cachectl profile check bad.yaml\n");
    std::fs::write(dir.path().join("bad.yaml"), file).unwrap();
    let shown = readme_between("$ cachectl profile check bad.yaml\n", " …\n");
    let out = cachectl()
        .args(["profile", "check", "bad.yaml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with(&shown), "{err}\nREADME: {shown}");
}

/// The README's warm examples: its plans.csv gives the rows, failures and dry-run keys shown.
#[test]
fn readme_warm_example_is_what_the_binary_prints() {
    let s = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let csv = readme_between("$ cat plans.csv\n", "\n$ ");
    std::fs::write(dir.path().join("plans.csv"), csv).unwrap();
    let cmd = "$ cachectl warm --source plans.csv --key 'plan_catalog:v1:{id}' --value '{name}' --dry-run\n";
    let shown = readme_between(cmd, "```");
    let out = cachectl()
        .args(["-u", &s.url(), "warm", "--source", "plans.csv"])
        .args([
            "--key",
            "plan_catalog:v1:{id}",
            "--value",
            "{name}",
            "--dry-run",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    // the table's DURATION and RATE/S columns vary; everything after it is exact
    let tail = |t: &str| t[t.find("\n\n").unwrap()..].to_string();
    assert_eq!(tail(&stdout), tail(&shown), "{stdout}");
    assert!(stdout.starts_with("JOB"), "{stdout}");
    assert!(
        shown.contains("\nplans  4     0        3        1  "),
        "{shown}"
    );
    assert!(
        stdout.contains("\nplans  4     0        3        1  "),
        "{stdout}"
    );
    assert_eq!(s.dbsize(), 0);
}

/// Progress (render::progress, one constructor for every command) is drawn on a terminal's
/// stderr, and never with --no-progress or when stderr is not a terminal.
#[test]
fn progress_only_on_a_terminal_without_no_progress() {
    let s = crate::support::RedisServer::start();
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let warm = format!(
        "'{}' --url {} {{}} warm --source-cmd 'sleep 1; printf \"id\\n1\\n\"' --key 'k:{{id}}' --ttl 1m",
        bin.display(),
        s.url()
    );
    let in_pty = |global: &str| {
        let out = Command::new("script")
            .args(["-qec"])
            .arg(format!(
                "stty cols 100 rows 50; exec {}",
                warm.replace("{}", global)
            ))
            .arg("/dev/null")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("script(1) from util-linux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(in_pty("").contains("warming command"), "{}", in_pty(""));
    assert!(!in_pty("--no-progress").contains("warming command"));
    let piped = Command::new("sh")
        .arg("-c")
        .arg(format!("exec {}", warm.replace("{}", "")))
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("warming command"));
}

/// `report --watch` on a terminal redraws in place: the lifetime frame, then each window.
#[test]
fn watch_redraws_in_place_on_a_terminal() {
    let s = RedisServer::start();
    let text = pty(
        &[
            "--url",
            &s.url(),
            "report",
            "--watch",
            "--interval",
            "1s",
            "--count",
            "1",
            "--latency-samples",
            "5",
        ],
        100,
    );
    assert_eq!(text.matches("\x1b[2J\x1b[H").count(), 2, "{text:?}");
    assert!(text.contains("Window 0: lifetime counters"), "{text}");
    assert!(text.contains("Window 1: "), "{text}");
}

/// What a color terminal shows, its escape sequences (SGR colors) taken out.
fn strip_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters, then a final byte in @..~
            if chars.next() == Some('[') {
                for f in chars.by_ref() {
                    if ('@'..='~').contains(&f) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Issue 23 (1): analyze in a color terminal 80 columns wide (a user's tmux, not `NO_COLOR`):
/// the Findings table's wrapped message lines sit under MESSAGE, and no line is wider than 80.
/// A pattern column that is wide and messages that wrap are what broke it.
#[test]
fn analyze_findings_fit_an_80_column_color_terminal() {
    let s = RedisServer::start();
    {
        let mut l = Loader::standalone(&s);
        for i in 0..150 {
            l.cmd(
                "SET",
                &format!(
                    "legacy_recommendation_engine:v2:user_{i}:items:region_eu_west_1:segment_premium"
                ),
                &[&"x".repeat(200)],
            );
            l.cmd(
                "SET",
                &format!("plan_catalog:v1:plan_{i}"),
                &[&"y", &"EX", &3600],
            );
        }
    }
    let bin = assert_cmd::cargo::cargo_bin("cachectl");
    let out = Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "stty cols 80 rows 50; exec '{}' --no-progress -u '{}' -P treebeard analyze",
            bin.display(),
            s.url()
        ))
        .arg("/dev/null")
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("CACHECTL_PROFILE_PATH")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .output()
        .expect("script(1) from util-linux");
    let raw = String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n");
    assert!(raw.contains("\x1b["), "colors on a terminal: {raw}");
    let text = strip_sgr(&raw);
    assert_fits(&text, 80, "analyze (color)");
    let at = text
        .find("\nFindings\n")
        .unwrap_or_else(|| panic!("{text}"))
        + 10;
    let findings: Vec<&str> = text[at..].lines().collect();
    let message_col = findings[0].find("MESSAGE").expect("MESSAGE header");
    let mut continued = 0;
    for l in &findings[2..] {
        if l.starts_with(' ') {
            continued += 1;
            let indent = l.len() - l.trim_start().len();
            assert_eq!(
                indent, message_col,
                "continuation not under MESSAGE: {l:?}\n{text}"
            );
        }
    }
    assert!(continued > 0, "a message wraps: {text}");
}
