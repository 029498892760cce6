//! The committed completion scripts are exactly what the binary generates.

use crate::support::cachectl;

#[test]
fn committed_completions_match_the_binary() {
    use clap_complete::Shell;
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let name = cachectl::cli::completion_file_name(shell);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("completions")
            .join(name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let out = cachectl()
            .args(["completions", &shell.to_string()])
            .output()
            .unwrap();
        assert!(out.status.success());
        let generated = String::from_utf8(out.stdout).unwrap();
        assert!(
            committed == generated,
            "completions/{name} is out of date: run `bash completions/generate.sh`"
        );
    }
}

/// The man pages in `man/` (one per command and subcommand) are what clap_mangen renders from
/// the clap definition. `CACHECTL_WRITE_MAN=1` rewrites them (completions/generate.sh does).
#[test]
fn committed_man_pages_match_the_cli() {
    use clap::CommandFactory;
    let dir = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(cachectl::cli::Cli::command(), dir.path()).unwrap();
    let man = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let list = |d: &std::path::Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .map(|r| {
                r.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".1"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let generated = list(dir.path());
    assert!(generated.contains(&"cachectl.1".to_string()));
    assert!(generated.contains(&"cachectl-invalidate-pattern.1".to_string()));
    if std::env::var_os("CACHECTL_WRITE_MAN").is_some() {
        std::fs::create_dir_all(&man).unwrap();
        for old in list(&man) {
            std::fs::remove_file(man.join(old)).unwrap();
        }
        for name in &generated {
            std::fs::copy(dir.path().join(name), man.join(name)).unwrap();
        }
    }
    assert_eq!(
        list(&man),
        generated,
        "man/ is out of date: run `bash completions/generate.sh`"
    );
    for name in &generated {
        let committed = std::fs::read_to_string(man.join(name)).unwrap();
        let fresh = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(
            committed == fresh,
            "man/{name} is out of date: run `bash completions/generate.sh`"
        );
    }
}
