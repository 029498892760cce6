#!/usr/bin/env bash
# Regenerate the committed completion scripts from the binary.
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
