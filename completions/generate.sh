#!/usr/bin/env bash
# Regenerate the committed completion scripts and man pages from the clap definition.
# tests/it/completions.rs fails when either drifts from the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/cachectl
"$bin" completions bash       > completions/cachectl.bash
"$bin" completions zsh        > completions/_cachectl
"$bin" completions fish       > completions/cachectl.fish
"$bin" completions powershell > completions/_cachectl.ps1
"$bin" completions elvish     > completions/cachectl.elv
echo "completions/ regenerated"
# man/*.1: clap_mangen is a dev-dependency (the shipped binary does not carry it), so the
# drift test renders the pages and, with CACHECTL_WRITE_MAN=1, writes them.
CACHECTL_WRITE_MAN=1 cargo test --quiet --test it completions::committed_man_pages >/dev/null
echo "man/ regenerated ($(ls man/*.1 | wc -l) pages)"
