//! docker CLI / daemon and Docker Desktop errors → [`HostModel::runtime_errors`] and a
//! [`LogEvent`] (component docker) each, with the operation and the network captured.
//!
//! Pipeline stage: **parsers**. Format id `docker-error`.
//!
//! **Shapes read** (any prefix before them is kept out of the message: `docker: `,
//! `C:\Program Files\Docker\docker.exe: `, a timestamp):
//! * `Error response from daemon: failed to create endpoint <name> on network <net>: HNS failed
//!   with error : <message>` → operation `create endpoint`, object, network;
//! * `… failed to create network <net>: …`, `… network <net> not found` → `create network`;
//! * `hcsshim::CreateComputeSystem <id>: … encountered an error during CreateContainer: failure
//!   in a Windows system call: <message> (0x…)` → the operation after "during";
//! * `Error: failed to start containers: <names>`, `… failed to start container …` → `start
//!   container`;
//! * published ports named in the error (`0.0.0.0:8080`, `port 8080`) are kept, for the WinNAT
//!   rules;
//! * Docker Desktop: `Docker Desktop - …`, `Docker.Core.Backend.BackendException`, "Docker
//!   Desktop failed to start", `error during connect: … open //./pipe/docker_engine`.
//!
//! Console-wrapped errors (the message continues on the following lines, or the whole error
//! is cut at the width) are re-joined: non-empty lines that follow an error and do not start
//! another one are appended, up to 40 lines. A fragment such as `… encountered an error during
//! CreateContainer: …` without its start is still an error.
//!
//! **Partial input.** Lines of no interest are counted as filtered; text with no docker error
//! at all is `Broken` at its first line. Facts `runtime-log`.
//!
//! ```
//! use hnsdoctor_parse::{docker, Input, HostModel, InputSummary};
//! let text = "docker: Error response from daemon: failed to create endpoint web1 on network nat: HNS failed with error : Failed to create endpoint.\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! docker::parse(&Input::new("paste#1", text), &mut m, &mut s).unwrap();
//! let e = &m.runtime_errors[0];
//! assert_eq!(e.operation.as_deref(), Some("create endpoint"));
//! assert_eq!((e.object.as_deref(), e.network.as_deref()), (Some("web1"), Some("nat")));
//! ```

use crate::codes::error_codes;
use crate::logutil::mark;
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{Component, LogEvent, LogLevel, RuntimeError};
use regex::Regex;
use std::sync::LazyLock;

/// Phrases that start a docker error (lower case).
const STARTS: &[&str] = &[
    "error response from daemon",
    "encountered an error during",
    "hcsshim::",
    "failure in a windows system call",
    "error: failed to start container",
    "failed to start container",
    "docker desktop failed to start",
    "docker desktop - ",
    "docker.core.backend",
    "error during connect:",
    "hns failed with error",
];

static ENDPOINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)failed to create endpoint\s+(?P<obj>\S+)\s+on network\s+(?P<net>[^\s:]+)")
        .expect("constant regex")
});
static NETWORK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:failed to create network|could not create network|error creating network)\s+(?P<net>[^\s:]+)|network\s+(?P<net2>[^\s:]+)\s+not found")
        .expect("constant regex")
});
static DURING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)encountered an error during\s+(?P<op>[A-Za-z]+)").expect("constant regex")
});
static START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)failed to start containers?:?\s*(?P<obj>[\w.-]+)?").expect("constant regex")
});
static PORTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\d{1,3}(?:\.\d{1,3}){3}|\[::\]):(?P<p>\d{1,5})\b|\bport\s+(?P<p2>\d{1,5})(?:[^\d.:]|$)").expect("constant regex")
});

fn starts_error(low: &str) -> Option<usize> {
    STARTS.iter().filter_map(|s| low.find(s)).min()
}

/// The operation, object and network an error names.
fn classify(msg: &str) -> (Option<String>, Option<String>, Option<String>) {
    if let Some(c) = ENDPOINT.captures(msg) {
        return (
            Some("create endpoint".into()),
            Some(c["obj"].to_string()),
            Some(c["net"].to_string()),
        );
    }
    if let Some(c) = NETWORK.captures(msg) {
        let net = c
            .name("net")
            .or_else(|| c.name("net2"))
            .map(|m| m.as_str().to_string());
        return (Some("create network".into()), None, net);
    }
    if let Some(c) = DURING.captures(msg) {
        return (Some(c["op"].to_string()), None, None);
    }
    if let Some(c) = START.captures(msg) {
        return (
            Some("start container".into()),
            c.name("obj").map(|m| m.as_str().to_string()),
            None,
        );
    }
    (None, None, None)
}

/// Parse docker errors. See the module doc.
///
/// # Errors
/// `Skip` for empty input; `Broken` when no docker error is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if input.text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    let mut found: Vec<(u32, String, String)> = Vec::new(); // line, quoted start, message
    for (no, raw) in input.lines() {
        let t = raw.trim();
        if t.is_empty() {
            if let Some(last) = found.last_mut() {
                last.1.push('\u{0}'); // closed: a blank line ends the continuation
            }
            continue;
        }
        let low = t.to_ascii_lowercase();
        match starts_error(&low) {
            Some(at) if !continues_previous(&found, &low) => {
                found.push((no, t.to_string(), t.get(at..).unwrap_or(t).to_string()));
            }
            _ => match found.last_mut() {
                Some(last) if !last.1.ends_with('\u{0}') && last.2.len() < 16_000 => {
                    last.2.push(' ');
                    last.2.push_str(t);
                }
                _ => summary.filtered_lines += 1,
            },
        }
    }
    if found.is_empty() {
        return Err(ParseError::broken_at_first_line(
            input,
            "a docker / Docker Desktop error",
        ));
    }
    for (no, quoted, message) in found {
        let (operation, object, network) = classify(&message);
        let codes = error_codes(&message);
        let prov = input.prov(no, quoted.trim_end_matches('\u{0}'));
        let ports: Vec<u16> = PORTS
            .captures_iter(&message)
            .filter_map(|c| c.name("p").or_else(|| c.name("p2")))
            .filter_map(|m| m.as_str().parse().ok())
            .filter(|p| *p > 0)
            .collect();
        model.log_events.push(LogEvent {
            time: None,
            component: Component::Docker,
            level: LogLevel::Error,
            message: message.clone(),
            error_codes: codes.clone(),
            operation: crate::error_lines::operation_of(&message),
            prov: prov.clone(),
        });
        model.runtime_errors.push(RuntimeError {
            operation,
            object,
            network,
            ports,
            message,
            error_codes: codes,
            prov,
        });
        summary.objects += 1;
    }
    mark(model, summary, Fact::RuntimeLog);
    Ok(())
}

/// A start phrase on a continuation line that belongs to the error before it (`Error response
/// from daemon: … HNS failed with error : …` wrapped just before "HNS").
fn continues_previous(found: &[(u32, String, String)], low: &str) -> bool {
    let Some(last) = found.last() else {
        return false;
    };
    if last.1.ends_with('\u{0}') {
        return false;
    }
    let prev = last.2.to_ascii_lowercase();
    (low.starts_with("hns failed with error") && prev.ends_with(':'))
        || (low.starts_with("failure in a windows system call")
            && prev.contains("encountered an error during"))
        || (low.starts_with("encountered an error during")
            && prev.contains("hcsshim::")
            && !prev.contains("encountered"))
}

/// Detector: docker error phrases (also as fragments of a wrapped line).
#[must_use]
pub fn detect(text: &str) -> u8 {
    let mut score = 0u8;
    for l in text.lines().take(400) {
        let low = l.to_ascii_lowercase();
        let s = if low.contains("error response from daemon") {
            92
        } else if low.contains("encountered an error during") || low.contains("hcsshim::") {
            88
        } else if low.contains("failed to create endpoint") && low.contains("on network") {
            85
        } else if low.contains("docker desktop") && (low.contains("fail") || low.contains("error"))
        {
            75
        } else if low.contains("failure in a windows system call")
            || low.contains("failed to start containers")
        {
            70
        } else {
            0
        };
        score = score.max(s);
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{run, run_fixture};

    #[test]
    fn daemon_errors_with_operation_and_network_utf16() {
        let (r, m, s) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/docker/daemon-errors-utf16le.txt"),
        );
        r.unwrap();
        let e = &m.runtime_errors;
        assert_eq!(e.len(), 4, "{e:?}");
        assert_eq!(e[0].operation.as_deref(), Some("create endpoint"));
        assert_eq!(e[0].object.as_deref(), Some("billing-api"));
        assert_eq!(e[0].network.as_deref(), Some("nat"));
        assert!(
            e[0].message.contains("HNS failed with error"),
            "re-joined: {}",
            e[0].message
        );
        assert_eq!(e[0].ports, vec![8443]);
        assert_eq!(e[1].operation.as_deref(), Some("start container"));
        assert_eq!(e[1].object.as_deref(), Some("billing-api"));
        assert_eq!(e[2].operation.as_deref(), Some("CreateContainer"));
        assert_eq!(e[2].error_codes, vec![0x8007_0490], "{}", e[2].message);
        assert_eq!(e[3].operation.as_deref(), Some("create network"));
        assert_eq!(e[3].network.as_deref(), Some("ext-l2"));
        assert_eq!(m.log_events.len(), 4);
        assert!(m
            .log_events
            .iter()
            .all(|l| l.component == Component::Docker));
        assert!(m.has(Fact::RuntimeLog));
        assert_eq!(s.objects, 4);
    }

    #[test]
    fn fragment_of_a_cut_line_is_still_an_error() {
        let text = "1d2e3f4a5b encountered an error during CreateContainer:\nndows system call: Element not found. (0x490) extra info: {\"SystemType\":\"Container\",\"Name\":\"1d2e3f\n";
        assert!(detect(text) >= 80);
        let (m, _, r) = run(parse, "paste#2", text);
        r.unwrap();
        assert_eq!(m.runtime_errors.len(), 1);
        assert_eq!(
            m.runtime_errors[0].operation.as_deref(),
            Some("CreateContainer")
        );
        assert_eq!(m.runtime_errors[0].error_codes, vec![0x8007_0490]);
    }

    #[test]
    fn quiet_on_docker_ps_and_broken() {
        let text = "CONTAINER ID   IMAGE                          COMMAND       STATUS\n4f1a2b3c4d5e   mcr.microsoft.com/windows/nanoserver:ltsc2022   \"cmd\"   Up 2 hours\n";
        assert_eq!(detect(text), 0);
        let (m, _, r) = run(parse, "paste#3", text);
        assert!(matches!(r, Err(ParseError::Broken { line: 1, .. })));
        assert!(m.runtime_errors.is_empty());
    }
}
