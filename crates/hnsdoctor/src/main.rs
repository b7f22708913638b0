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
//! * 6 — `collect`/`doctor` on a host that is not Windows (use `analyze` on copied logs).
//!
//! With `--format json`, an error is also printed on stdout as
//! `{"error": {"kind", "message", "path"}}` so that `ConvertFrom-Json` always gets a document.

mod cli;
mod cmd;

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let json = cli.wants_json();
    match cmd::run(cli) {
        Ok(code) => code,
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
