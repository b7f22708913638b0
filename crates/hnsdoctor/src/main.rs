//! # hnsdoctor — the binary
//!
//! Glue only: parse the command line ([`cli`]), call the command's function in [`cmd`], map the
//! outcome to a documented exit code. All the work lives in the library crates:
//! `collect` (sources) → `bundle` → `parse` → `model` → `rules` (+ `kb`) → `report`.
//!
//! Exit codes (stable, documented in the README):
//! * 0 — success; for `analyze`/`doctor`: nothing found.
//! * 1 — `analyze`/`doctor`: warnings only.
//! * 2 — `analyze`/`doctor`: errors found.
//! * 3 — bad input (unreadable, unknown or empty input; unknown build or id).
//! * 4 — usage error (clap's own errors also exit with 2 by clap convention are remapped to 4).
//! * 5 — internal / environment error (I/O, not admin where required).

mod cli;
mod cmd;

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(c) => c,
        Err(code) => return code,
    };
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        cli::set_color(false);
    }
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("hnsdoctor: error: {err:#}");
            ExitCode::from(cmd::exit_code_for(&err))
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
