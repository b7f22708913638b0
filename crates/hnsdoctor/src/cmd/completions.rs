//! `hnsdoctor completions <shell>`: shell completions generated from the clap tree.

use crate::cli::Cli;
use crate::exit::Exit;
use clap::CommandFactory;
use std::io::Write;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Write the completion script to stdout.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let mut cmd = Cli::command();
    // Render into memory first: clap_complete panics on a failed write (e.g. a closed pipe).
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "hnsdoctor", &mut buf);
    std::io::stdout().write_all(&buf)?;
    Ok(Exit::Ok)
}
