//! # hnsdoctor — the binary
//!
//! Glue only: parse the command line ([`cli`]), call the command's function in [`cmd`], map the
//! outcome to a documented exit code. All the work lives in the library crates:
//! `collect` (sources) → `bundle` → `parse` → `model` → `rules` (+ `kb`) → `report`.
//!
//! Exit codes are stable and documented in the README; [`exit::Exit`] is the one list of them
//! (0 nothing found, 1 warnings, 2 errors, 3 bad input, 4 usage, 5 internal, 6 not Windows, 130
//! interrupted).
//!
//! With `--format json`, an error is also printed on stdout as
//! `{"error": {"kind", "message", "path"}}` so that `ConvertFrom-Json` always gets a document.

mod cli;
mod cmd;
mod exit;

use exit::Exit;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(c) => c,
        Err(code) => return code.into(),
    };
    let json = cli.wants_json();
    match cmd::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            if json {
                let doc = cmd::json_error(
                    cmd::error_kind(&err),
                    &format!("{err:#}"),
                    cmd::error_path(&err).as_deref(),
                );
                println!("{doc}");
            }
            eprintln!("hnsdoctor: error: {err:#}");
            Exit::for_error(&err).into()
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
