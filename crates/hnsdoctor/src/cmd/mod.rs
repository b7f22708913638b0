//! One module per command, each a glue function from parsed arguments to library calls and
//! output. [`run`] dispatches; [`exit_code_for`] maps errors to the documented exit codes.

pub mod analyze;
pub mod collect;
pub mod completions;
pub mod doctor;
pub mod explain;
pub mod inspect;
pub mod kb;

use crate::cli::{Cli, Command};
use std::process::ExitCode;

/// Exit code for bad input (unreadable, unknown, empty; unknown build or id).
pub const EXIT_BAD_INPUT: u8 = 3;
/// Exit code for internal or environment errors.
pub const EXIT_INTERNAL: u8 = 5;

/// An error caused by what the user gave us (exit code 3), as opposed to a tool failure.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Run the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Collect(args) => collect::run(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::Kb(args) => kb::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Inspect(args) => inspect::run(&args),
    }
}

/// The exit code for an error that ended a command.
pub fn exit_code_for(err: &anyhow::Error) -> u8 {
    if err.chain().any(|e| e.downcast_ref::<BadInput>().is_some()) {
        EXIT_BAD_INPUT
    } else {
        EXIT_INTERNAL
    }
}
