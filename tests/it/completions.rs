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
