//! `hnsdoctor npd [PATH…] [--only ID,ID]`: a node-problem-detector custom plugin.
//!
//! NPD's custom-plugin contract: the plugin prints a short message on stdout and exits 0 (OK),
//! 1 (problem: NPD sets the condition or emits the event) or 2 (unknown). NPD cuts the message
//! at `max_output_length` (80 by default), so [`MAX_MESSAGE`] bounds it here too, and it is
//! always one line. Every failure — not Windows, collection or input errors, no rule able to
//! run — is reported as *unknown* (exit 2), never as another exit code (clap usage errors
//! excepted, which a fixed config never hits).
//!
//! Without `PATH` the live host is collected to a temporary folder, as `doctor` does; with
//! paths, they are analysed like `analyze` does (used by the tests and for a dry run of a
//! config). One condition per finding family is a rule in the monitor config with its own
//! `--only` list (`deploy/npd/hnsdoctor-monitor.json`).

use crate::cmd::{analyze, collect};
use crate::exit::Exit;
use hnsdoctor_rules::{Options, Report, Severity};

/// NPD's default `max_output_length`.
pub const MAX_MESSAGE: usize = 80;
/// Contract: OK (exit 0).
pub const NPD_OK: Exit = Exit::Ok;
/// Contract: problem (exit 1).
pub const NPD_PROBLEM: Exit = Exit::Warnings;
/// Contract: unknown (exit 2).
pub const NPD_UNKNOWN: Exit = Exit::Errors;

/// Arguments of `npd`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Evidence to analyse instead of collecting this host (as for `analyze`).
    #[arg(value_name = "PATH")]
    pub inputs: Vec<String>,
    /// Check only these finding ids (comma-separated): one NPD condition per family.
    #[arg(long, value_name = "ID,ID", value_delimiter = ',')]
    pub only: Option<Vec<String>>,
    /// The lowest severity that counts as a problem (default: warning).
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = analyze::MinSeverity::Warning)]
    pub min_severity: analyze::MinSeverity,
}

/// Cut `s` to one line of at most `max` characters (`...` marks a cut).
#[must_use]
pub fn bounded(s: &str, max: usize) -> String {
    let one: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let one = one.trim();
    if one.chars().count() <= max {
        return one.to_string();
    }
    let mut cut: String = one.chars().take(max.saturating_sub(3)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push_str("...");
    cut
}

/// The exit code and message for a report: problem when a finding at or above `min` is
/// there, unknown when no selected rule could run, OK otherwise.
#[must_use]
pub fn verdict(report: &Report, min: Severity) -> (Exit, String) {
    let mut problems: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity >= min)
        .collect();
    problems.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));
    if let Some(first) = problems.first() {
        let more = if problems.len() > 1 {
            format!(" (+{} more)", problems.len() - 1)
        } else {
            String::new()
        };
        // keep the id and the count visible: cut the title, not them
        let head = format!("{}{more}: ", first.id);
        let room = MAX_MESSAGE.saturating_sub(head.chars().count());
        let msg = format!("{head}{}", bounded(&first.title, room));
        return (NPD_PROBLEM, bounded(&msg, MAX_MESSAGE));
    }
    if report.passed.is_empty() && report.findings.is_empty() {
        let missing = report
            .not_evaluated
            .first()
            .map(|n| {
                n.missing
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        return (
            NPD_UNKNOWN,
            bounded(
                &format!("unknown: no check could run (missing {missing})"),
                MAX_MESSAGE,
            ),
        );
    }
    (
        NPD_OK,
        bounded(
            &format!("OK: {} checks passed", report.passed.len()),
            MAX_MESSAGE,
        ),
    )
}

/// The outcome of one plugin run: exit code and message.
#[must_use]
pub fn outcome(args: &Args) -> (Exit, String) {
    let res = (|| -> anyhow::Result<(Exit, String)> {
        let opts: Options = analyze::options(&analyze::ReportArgs {
            format: analyze::ReportFormat::Text,
            out: None,
            port: None,
            service_cidr: None,
            dns_ip: None,
            network: None,
            since_hours: 24,
            only: args.only.clone(),
            width: 100,
            verbose: false,
            quiet: false,
            min_severity: args.min_severity,
        })?;
        let (model, _temp) = if args.inputs.is_empty() {
            let (m, t, _) = collect::live_model("npd")?;
            (m, Some(t))
        } else {
            (analyze::load_model(&args.inputs)?, None)
        };
        let report = hnsdoctor_rules::run(&model, &opts);
        Ok(verdict(&report, args.min_severity.into()))
    })();
    res.unwrap_or_else(|e| {
        (
            NPD_UNKNOWN,
            bounded(&format!("unknown: {e:#}"), MAX_MESSAGE),
        )
    })
}

/// Run `npd`: one line on stdout, exit 0/1/2.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let (code, msg) = outcome(args);
    println!("{msg}");
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_bounded_line() {
        assert_eq!(bounded("a\nb", 80), "a b");
        let long = "x".repeat(200);
        let b = bounded(&long, 80);
        assert_eq!(b.chars().count(), 80);
        assert!(b.ends_with("..."));
        let wide = "é".repeat(100);
        assert_eq!(bounded(&wide, 80).chars().count(), 80);
    }
}
