//! `hnsdoctor analyze <path|->…`: diagnose from evidence. Reads anything `inspect` reads (an
//! hnsdoctor bundle, a legacy CollectLogs folder or zip, any folder, a pasted file, stdin),
//! assembles one host model from all inputs, runs every rule and renders the report.
//!
//! Glue only: `hnsdoctor_bundle::open` → `hnsdoctor_parse::assemble::assemble_into` →
//! `hnsdoctor_rules::run` → `hnsdoctor_report::render`. [`analyze_model`] is the second half of
//! that pipeline, for commands that already have a model (the live `doctor`).
//!
//! Exit codes (README): 0 nothing found (info findings alone count as nothing), 1 warnings only,
//! 2 errors found, 3 bad input (missing, empty or unrecognised input, unknown `--only` id),
//! 4 usage (bad `--dns-ip`/`--service-cidr`, clap errors), 5 I/O errors writing `--out`.

use crate::cmd::{BadInput, BadInputAt, PathContext};
use crate::exit::Exit;
use anyhow::Context as _;
use hnsdoctor_model::HostModel;
use hnsdoctor_report::{Format, RenderOptions};
use hnsdoctor_rules::{Options, Report, Severity};
use std::io::Write;
use std::path::PathBuf;

/// `--format` of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportFormat {
    /// Doctor-style checklist for the terminal.
    #[default]
    Text,
    /// Versioned JSON (docs/json.md, "analyze report").
    Json,
    /// Markdown for a GitHub issue or a chat.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

impl From<ReportFormat> for Format {
    fn from(f: ReportFormat) -> Self {
        match f {
            ReportFormat::Text => Format::Text,
            ReportFormat::Json => Format::Json,
            ReportFormat::Markdown => Format::Markdown,
            ReportFormat::Html => Format::Html,
        }
    }
}

/// Arguments of `analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to read, one or more: an hnsdoctor bundle (folder or zip), a legacy CollectLogs
    /// folder or zip, any folder, a text file of pasted output or logs, or `-` for stdin. All
    /// inputs are taken to describe the same host.
    #[arg(required = true, value_name = "PATH|-")]
    pub inputs: Vec<String>,
    /// Rule and report options.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Rule and report options, shared by `analyze` and `doctor`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Check this port: excluded ranges, reservations, listeners, NodePorts, load balancers.
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// The cluster's service CIDR (overrides what the input says).
    #[arg(long, value_name = "CIDR", value_parser = parse_cidr)]
    pub service_cidr: Option<String>,
    /// The cluster DNS service IP (overrides kubeclusterconfig.json and the like).
    #[arg(long, value_name = "IP", value_parser = parse_ip)]
    pub dns_ip: Option<String>,
    /// The HNS network name kube-proxy / the CNI uses (overrides the input).
    #[arg(long, value_name = "NAME")]
    pub network: Option<String>,
    /// Time window for "recent" events such as HNS crashes, in hours before collection.
    #[arg(long, value_name = "HOURS", default_value_t = 24)]
    pub since_hours: u32,
    /// Run only these rules (comma-separated finding ids).
    #[arg(long, value_name = "ID,ID", value_delimiter = ',')]
    pub only: Option<Vec<String>>,
    /// Wrap text output at this many columns.
    #[arg(long, value_name = "COLUMNS", default_value_t = 100)]
    pub width: usize,
    /// List every passed and not-evaluated check with what it misses (text), instead of folding
    /// them by the input they need.
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
    /// The verdict and the findings only, each in a few lines (text and Markdown).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Leave out findings below this severity (in every format; the exit code follows what is
    /// shown).
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = MinSeverity::Info)]
    pub min_severity: MinSeverity,
}

/// `--min-severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MinSeverity {
    /// Everything.
    #[default]
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

impl From<MinSeverity> for Severity {
    fn from(m: MinSeverity) -> Self {
        match m {
            MinSeverity::Info => Severity::Info,
            MinSeverity::Warning => Severity::Warning,
            MinSeverity::Error => Severity::Error,
        }
    }
}

fn parse_ip(s: &str) -> Result<String, String> {
    s.trim()
        .parse::<std::net::IpAddr>()
        .map(|ip| ip.to_string())
        .map_err(|_| format!("not an IP address: {s:?}"))
}

/// `--service-cidr`: an address and a prefix length (`ipnet`); the address is kept as given
/// (host bits are not cleared), written canonically.
fn parse_cidr(s: &str) -> Result<String, String> {
    let s = s.trim();
    let (ip, _) = s
        .split_once('/')
        .ok_or_else(|| format!("not a CIDR (expected ADDRESS/LENGTH, e.g. 10.96.0.0/12): {s:?}"))?;
    if ip.parse::<std::net::IpAddr>().is_err() {
        return Err(format!("not a CIDR: bad address in {s:?}"));
    }
    s.parse::<ipnet::IpNet>()
        .map(|n| n.to_string())
        .map_err(|_| format!("not a CIDR: bad prefix length in {s:?}"))
}

fn shown(input: &str) -> &str {
    if input == "-" {
        "<stdin>"
    } else {
        input
    }
}

/// `C:\…`, `D:/…` or `\\server\share`: a Windows path.
fn is_windows_path(p: &str) -> bool {
    let b = p.as_bytes();
    (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/'))
        || p.starts_with("\\\\")
}

/// A hint for a Windows path given on a non-Windows host, where it cannot exist.
pub fn windows_path_hint(input: &str) -> Option<String> {
    if cfg!(windows) || !is_windows_path(input) {
        return None;
    }
    let b = input.as_bytes();
    let wsl = if b.len() >= 3 && b[1] == b':' {
        format!(
            " (under WSL the drive is /mnt/{}/…)",
            char::from(b[0]).to_ascii_lowercase()
        )
    } else {
        String::new()
    };
    Some(format!(
        "this is a Windows path and this host is not Windows: copy the file or zip here and give \
         its local path{wsl}"
    ))
}

/// Open every input and assemble one model. An input from which nothing was recognised is not an
/// error (the report says so as the `input-not-recognised` finding); a warning names it.
///
/// # Errors
/// [`BadInput`] naming the input that is missing, empty or binary; I/O errors.
pub fn load_model(inputs: &[String]) -> anyhow::Result<HostModel> {
    if inputs.iter().filter(|i| i.as_str() == "-").count() > 1 {
        return Err(BadInput("`-` (stdin) can be given only once".into()).into());
    }
    let mut model = HostModel::new();
    for input in inputs {
        let opened = hnsdoctor_bundle::open(input).map_err(|e| {
            if e.is_bad_input() {
                // The opener's message names the path already; say it once.
                let msg = e.to_string();
                let mut msg = if msg.contains(shown(input)) {
                    msg
                } else {
                    format!("{}: {msg}", shown(input))
                };
                if let Some(h) = windows_path_hint(input) {
                    msg.push_str(&format!(" — {h}"));
                }
                anyhow::Error::new(BadInputAt {
                    path: shown(input).to_string(),
                    message: msg,
                })
            } else {
                anyhow::Error::new(e).context(format!("reading {}", shown(input)))
            }
        })?;
        let facts_before = model.facts.len();
        let inputs_before = model.inputs.len();
        hnsdoctor_parse::assemble::assemble_into(&opened, &mut model);
        // An hnsdoctor bundle's manifest is evidence in itself: every source failing ("HNS API
        // not available") is a diagnosis, not unreadable input.
        let recognised = opened.manifest.is_some()
            || model.facts.len() > facts_before
            || model.inputs.iter().skip(inputs_before).any(|s| {
                s.refused.is_none()
                    && s.format != hnsdoctor_parse::assemble::UNKNOWN
                    && (s.objects > 0 || !s.facts.is_empty())
            });
        if !recognised {
            // Not a refusal: the `input-not-recognised` finding says so in the report when
            // nothing at all was read; with several inputs, name the one that gave nothing.
            eprintln!(
                "hnsdoctor: warning: {}: nothing recognised (run `hnsdoctor inspect {}` to see what was read)",
                shown(input),
                input
            );
        }
    }
    Ok(model)
}

/// The exit code a report calls for: 2 errors, 1 warnings only, 0 otherwise.
#[must_use]
pub fn exit_for_report(report: &Report) -> Exit {
    match report.worst() {
        Some(Severity::Error) => Exit::Errors,
        Some(Severity::Warning) => Exit::Warnings,
        Some(Severity::Info) | None => Exit::Ok,
    }
}

/// Run the rules on a model, leave out findings below `min` (`--min-severity`), render the
/// report in `format` and write it to `out`; returns the exit code the report calls for (see
/// [`exit_for_report`]) and the verdict (for the `-o` confirmation). The `doctor` command
/// reaches it with the live host's model through [`report_model`].
///
/// # Errors
/// Write errors from `out`.
pub fn analyze_model(
    model: HostModel,
    opts: &Options,
    min: Severity,
    format: Format,
    render: &RenderOptions,
    out: &mut dyn Write,
) -> anyhow::Result<(Exit, String)> {
    let mut report = hnsdoctor_rules::run_owned(model, opts);
    report.findings.retain(|f| f.severity >= min);
    hnsdoctor_report::write(&report, format, render, out)?;
    out.flush()?;
    Ok((
        exit_for_report(&report),
        hnsdoctor_report::summary::verdict(&report),
    ))
}

/// Rule options from the command line.
///
/// # Errors
/// [`BadInput`] for an unknown `--only` id.
pub fn options(args: &ReportArgs) -> anyhow::Result<Options> {
    let only = match &args.only {
        Some(ids) => {
            let ids: Vec<String> = ids
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            for id in &ids {
                if hnsdoctor_rules::registry::rule(hnsdoctor_rules::redirects::resolve(id))
                    .is_none()
                {
                    return Err(BadInput(format!(
                        "--only: unknown finding id {id:?} (see `hnsdoctor explain <id>` and the \
                         finding catalogue)"
                    ))
                    .into());
                }
            }
            Some(ids)
        }
        None => None,
    };
    Ok(Options {
        port: args.port,
        service_cidr: args.service_cidr.clone(),
        dns_ip: args.dns_ip.clone(),
        network: args.network.clone(),
        window_hours: args.since_hours,
        only,
        ..Options::default()
    })
}

/// Read the inputs, analyse, write the report.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let opts = options(&args.report)?;
    let model = load_model(&args.inputs)?;
    report_model(model, &opts, &args.report)
}

/// Analyse a model and write the report where `args` says (stdout or `--out`).
///
/// # Errors
/// I/O errors writing the report.
pub fn report_model(model: HostModel, opts: &Options, args: &ReportArgs) -> anyhow::Result<Exit> {
    let format = Format::from(args.format);
    let render = RenderOptions {
        color: args.out.is_none() && format == Format::Text && crate::cli::color(),
        width: args.width,
        verbose: args.verbose,
        quiet: args.quiet,
    };
    let min = Severity::from(args.min_severity);
    match &args.out {
        Some(path) => {
            let mut buf = Vec::new();
            let (code, verdict) = analyze_model(model, opts, min, format, &render, &mut buf)?;
            std::fs::write(path, &buf).with_context(|| PathContext(path.clone(), "writing"))?;
            // Say where the report went (stderr: stdout stays free for data).
            eprintln!(
                "wrote the {} report to {} ({} bytes): {verdict}",
                format_name(format),
                path.display(),
                buf.len()
            );
            Ok(code)
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            analyze_model(model, opts, min, format, &render, &mut lock).map(|(c, _)| c)
        }
    }
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Text => "text",
        Format::Json => "JSON",
        Format::Markdown => "Markdown",
        Format::Html => "HTML",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_and_ip_validation() {
        assert_eq!(parse_cidr("10.96.0.0/12").as_deref(), Ok("10.96.0.0/12"));
        assert_eq!(parse_cidr("fd00::/108").as_deref(), Ok("fd00::/108"));
        assert!(parse_cidr("10.96.0.0").is_err());
        assert!(parse_cidr("10.96.0.0/33").is_err());
        assert!(parse_cidr("ten/8").unwrap_err().contains("bad address"));
        assert!(parse_cidr("10.0.0.0/x")
            .unwrap_err()
            .contains("bad prefix length"));
        assert_eq!(parse_cidr("10.96.0.1/12").as_deref(), Ok("10.96.0.1/12"));
        assert_eq!(parse_ip(" 10.96.0.10 ").as_deref(), Ok("10.96.0.10"));
        assert!(parse_ip("10.96.0").is_err());
    }

    #[test]
    fn exit_codes_follow_the_worst_severity() {
        let mut r = hnsdoctor_report::test_fixture::sample_report();
        assert_eq!(exit_for_report(&r), Exit::Errors);
        r.findings.retain(|f| f.severity != Severity::Error);
        assert_eq!(exit_for_report(&r), Exit::Warnings);
        r.findings.retain(|f| f.severity != Severity::Warning);
        assert_eq!(exit_for_report(&r), Exit::Ok, "info alone is not a failure");
    }

    #[test]
    fn windows_paths_are_recognised() {
        for p in [r"C:\k\logs.zip", "d:/x", r"\\server\share\x"] {
            assert!(is_windows_path(p), "{p}");
        }
        for p in ["/tmp/x", "C:", "examples/a", "c:x", "-"] {
            assert!(!is_windows_path(p), "{p}");
        }
        if cfg!(not(windows)) {
            let h = windows_path_hint(r"C:\k\x.zip").unwrap_or_default();
            assert!(h.contains("/mnt/c/"), "{h}");
        }
    }
}
