//! `cachectl completions SHELL`: the scripts committed in `completions/`.

use clap::CommandFactory;

use crate::cli::Cli;

pub fn generate(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "cachectl", out);
}
