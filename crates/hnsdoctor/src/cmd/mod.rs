//! One module per command, each a glue function from parsed arguments to library calls and
//! output. [`run`] dispatches; [`crate::exit::Exit::for_error`] maps errors to the documented
//! exit codes.

pub mod analyze;
pub mod collect;
pub mod completions;
pub mod diff;
pub mod doctor;
pub mod eventlog;
pub mod explain;
pub mod fix;
pub mod fleet;
pub mod inspect;
pub mod k8s_events;
pub mod kb;
pub mod kubectl;
pub mod npd;
pub mod redact;
pub(crate) mod views;
pub mod watch;

use crate::cli::{Cli, Command};
use crate::exit::Exit;

/// Set to `1` to let `collect` and `doctor` run on a host that is not Windows (every Windows
/// source then fails; used by the tests to exercise the pipeline end to end off Windows).
pub const ALLOW_NON_WINDOWS_ENV: &str = "HNSDOCTOR_ALLOW_NON_WINDOWS";

/// `collect` or `doctor` on a host that is not Windows (exit code 6).
#[derive(Debug)]
pub struct NotWindows(pub &'static str);

impl std::fmt::Display for NotWindows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.starts_with("fix") {
            return write!(f, "`hnsdoctor {}` changes a Windows host and this host is {}: run it on the Windows node as administrator (without --apply, `hnsdoctor fix` prints the plan on any OS)", self.0, std::env::consts::OS);
        }
        write!(
            f,
            "`hnsdoctor {}` reads the live Windows host and this host is {}: run it on the \
             Windows node, or copy its logs here and run `hnsdoctor analyze <folder|zip|file>`",
            self.0,
            std::env::consts::OS
        )
    }
}

impl std::error::Error for NotWindows {}

/// Refuse a live-host command off Windows, unless [`ALLOW_NON_WINDOWS_ENV`] is `1`.
///
/// # Errors
/// [`NotWindows`] on a host that is not Windows.
pub fn require_windows(command: &'static str) -> Result<(), NotWindows> {
    if cfg!(windows) || std::env::var(ALLOW_NON_WINDOWS_ENV).is_ok_and(|v| v == "1") {
        Ok(())
    } else {
        Err(NotWindows(command))
    }
}

/// Bad input that concerns one path (the `path` of a JSON error); exit code 3 like [`BadInput`].
#[derive(Debug)]
pub struct BadInputAt {
    /// The input as given (`<stdin>` for `-`).
    pub path: String,
    /// The message, which names the path.
    pub message: String,
}

impl std::fmt::Display for BadInputAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BadInputAt {}

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
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Collect(args) => collect::run(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::Kb(args) => kb::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Fleet(args) => fleet::run(&args),
        Command::Npd(args) => npd::run(&args),
        Command::Redact(args) => redact::run(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Kubectl(args) => kubectl::run(&args),
    }
}

/// The `kind` of a JSON error: `bad-input`, `not-windows`, `io` or `internal`.
pub fn error_kind(err: &anyhow::Error) -> &'static str {
    match Exit::for_error(err) {
        Exit::NotWindows => "not-windows",
        Exit::BadInput => "bad-input",
        _ if err
            .chain()
            .any(|e| e.downcast_ref::<std::io::Error>().is_some()) =>
        {
            "io"
        }
        _ => "internal",
    }
}

/// The path an error concerns, when it names one.
pub fn error_path(err: &anyhow::Error) -> Option<String> {
    err.chain()
        .find_map(|e| e.downcast_ref::<BadInputAt>().map(|b| b.path.clone()))
        .or_else(|| {
            // anyhow finds a context of this type at any layer
            err.downcast_ref::<PathContext>()
                .map(|p| p.0.display().to_string())
        })
}

/// Context naming the file an I/O error happened on (`writing <path>`), so that a JSON error
/// can carry it as `path`.
#[derive(Debug)]
pub struct PathContext(pub std::path::PathBuf, pub &'static str);

impl std::fmt::Display for PathContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.1, self.0.display())
    }
}

/// The JSON error document printed on stdout with `--format json`:
/// `{"error": {"kind": …, "message": …, "path": …|null}}`, one line, pure ASCII (non-ASCII
/// as `\uXXXX`, like the report).
pub fn json_error(kind: &str, message: &str, path: Option<&str>) -> String {
    let doc = serde_json::json!({ "error": { "kind": kind, "message": message, "path": path } });
    hnsdoctor_report::json::ascii_escape(&doc.to_string())
}
