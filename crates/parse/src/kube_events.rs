//! Kubernetes events: `kubectl get events` tables and the `Events:` section of
//! `kubectl describe pod|node` → [`HostModel::log_events`] with component `KubeEvents`.
//!
//! Pipeline stage: **parsers**. Format id `kube-events`.
//!
//! **What produces it.** `kubectl get events [-A] [-o wide]` (bundle `k8s/events.txt`, legacy
//! `events.txt`, `kubectl-events.txt`) and `kubectl describe pod <p>` (`k8s/describe-*.txt`, or
//! pasted). Both are tabwriter tables: columns are aligned to the header, so a row's `TYPE` /
//! `REASON` cells are read at the header's column offsets and the `MESSAGE` runs to the end of the
//! line. Headers: `LAST SEEN  TYPE  REASON  OBJECT  MESSAGE` (optionally `NAMESPACE` first) and
//! `Type  Reason  Age  From  Message` (describe, indented two spaces under `Events:`).
//!
//! **What is kept.** `Warning` rows (level warning), and any row whose message carries an error
//! code ([`crate::codes`]) — e.g. `FailedCreatePodSandBox … failed to setup network for sandbox …
//! hcnCreateEndpoint failed in Win32: … (0x803b002f)`. The message is stored as
//! `<Reason> <object>: <message>`; the relative age (`2m`, `3m (x4 over 10m)`) is not a time and
//! is left out. `Normal` rows are counted in `filtered_lines`. Fact KubeEvents.
//!
//! **Partial input.** Lines before the header (the rest of a `describe` output) are ignored;
//! `<none>` events yield no rows but still mark the fact. Text without any event header is
//! `Broken` at its first line; empty input or collector error text (`No resources found`,
//! `error: the server doesn't have a resource type`) is `Skip`.
//!
//! ```
//! use hnsdoctor_parse::{kube_events, Input, HostModel, InputSummary};
//! let text = "LAST SEEN   TYPE      REASON                   OBJECT      MESSAGE\n\
//! 2m          Warning   FailedCreatePodSandBox   pod/web-0   Failed to create pod sandbox: hcnCreateEndpoint failed in Win32: Element not found. (0x490)\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! kube_events::parse(&Input::new("k8s/events.txt", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.log_events[0].error_codes, vec![0x8007_0490]);
//! assert!(m.log_events[0].message.starts_with("FailedCreatePodSandBox pod/web-0:"));
//! ```

use crate::codes::error_codes;
use crate::logutil::{check_skip, mark};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{Component, LogEvent, LogLevel};

/// Column offsets found in a header line.
#[derive(Debug, Clone, Copy)]
struct Cols {
    kind: usize,
    reason: usize,
    object: Option<usize>,
    message: usize,
}

fn header(l: &str) -> Option<Cols> {
    let find = |name: &str| {
        l.match_indices(name)
            .map(|(i, _)| i)
            .find(|&i| i == 0 || l.as_bytes().get(i - 1) == Some(&b' '))
    };
    if let (Some(kind), Some(reason), Some(message)) =
        (find("TYPE"), find("REASON"), find("MESSAGE"))
    {
        return Some(Cols {
            kind,
            reason,
            object: find("OBJECT"),
            message,
        });
    }
    if let (Some(kind), Some(reason), Some(message)) =
        (find("Type"), find("Reason"), find("Message"))
    {
        return Some(Cols {
            kind,
            reason,
            object: None,
            message,
        });
    }
    None
}

/// The whitespace-delimited cell starting at byte `at`.
fn cell(l: &str, at: usize) -> &str {
    l.get(at..)
        .unwrap_or("")
        .split_whitespace()
        .next()
        .unwrap_or("")
}

/// Detector: an events header.
#[must_use]
pub fn detect(text: &str) -> u8 {
    for l in text.lines().take(400) {
        let t = l.trim_start();
        if t.contains("LAST SEEN") && t.contains("REASON") && t.contains("MESSAGE") {
            return 95;
        }
        if t.starts_with("Type")
            && t.contains("Reason")
            && t.contains("Message")
            && t.contains("From")
        {
            return 85;
        }
    }
    0
}

/// Parse events. See the module doc.
///
/// # Errors
/// `Skip` for empty input or `kubectl` error text; `Broken` at the first line when no events
/// header is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let first = input
        .lines()
        .find(|(_, l)| !l.trim().is_empty())
        .unwrap_or((input.first_line, ""));
    let low = first.1.trim().to_ascii_lowercase();
    if low.starts_with("no resources found") || low.starts_with("error:") {
        return Err(ParseError::skip(format!("kubectl: {}", first.1.trim())));
    }
    let mut cols: Option<Cols> = None;
    let mut seen_header = false;
    for (no, l) in input.lines() {
        if let Some(c) = header(l) {
            cols = Some(c);
            seen_header = true;
            continue;
        }
        let Some(c) = cols else { continue };
        let t = l.trim();
        if t.is_empty() {
            // a describe Events section ends at a blank line
            cols = None;
            continue;
        }
        if t.chars().all(|ch| ch == '-' || ch == ' ') {
            continue;
        }
        let kind = cell(l, c.kind);
        let reason = cell(l, c.reason);
        let message = l.get(c.message..).unwrap_or("").trim();
        let codes = error_codes(l);
        let level = match kind {
            "Warning" => LogLevel::Warning,
            "Normal" => LogLevel::Info,
            _ => {
                crate::logutil::skip_line(summary, no, "not an event row");
                continue;
            }
        };
        if level < LogLevel::Warning && codes.is_empty() {
            summary.filtered_lines += 1;
            continue;
        }
        let object = c.object.map(|o| cell(l, o)).filter(|o| !o.is_empty());
        let head = match object {
            Some(o) => format!("{reason} {o}"),
            None => reason.to_string(),
        };
        model.log_events.push(LogEvent {
            time: None,
            component: Component::KubeEvents,
            level,
            message: format!("{head}: {message}"),
            error_codes: codes,
            operation: None,
            prov: input.prov(no, l),
        });
        summary.objects += 1;
    }
    if !seen_header {
        return Err(ParseError::broken(
            input,
            first.0,
            "a kubectl events header (LAST SEEN TYPE REASON … MESSAGE, or Type Reason Age From Message)",
            first.1,
        ));
    }
    mark(model, summary, Fact::KubeEvents);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str, text: &str) -> (HostModel, InputSummary, Result<(), ParseError>) {
        crate::testutil::run(parse, source, text)
    }

    const GET: &str = include_str!("../fixtures/kube_events/get-events-all-namespaces.txt");
    const DESCRIBE: &str = include_str!("../fixtures/kube_events/describe-pod.txt");

    #[test]
    fn get_events_table() {
        let (m, s, r) = run("k8s/events.txt", GET);
        assert!(r.is_ok(), "{r:?}");
        assert!(m.has(Fact::KubeEvents));
        assert_eq!(m.log_events.len(), 2);
        let e = m.log_events.first().expect("event");
        assert_eq!(e.component, Component::KubeEvents);
        assert_eq!(e.level, LogLevel::Warning);
        assert_eq!(e.error_codes, vec![0x803b_002f]);
        assert!(e
            .message
            .starts_with("FailedCreatePodSandBox pod/web-0: Failed to create pod sandbox"));
        assert_eq!(e.prov.line, 3);
        let dns = m.log_events.get(1).expect("dns event");
        assert!(dns.message.starts_with("DNSConfigForming pod/web-1:"));
        assert!(dns.error_codes.is_empty());
        assert_eq!(s.filtered_lines, 2);
    }

    #[test]
    fn describe_pod_events() {
        let (m, s, r) = run("paste#2", DESCRIBE);
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(m.log_events.len(), 1);
        let e = m.log_events.first().expect("event");
        assert!(e
            .message
            .starts_with("FailedCreatePodSandBox: Failed to create pod sandbox"));
        assert_eq!(e.error_codes, vec![0x8007_0490]);
        assert_eq!(e.prov.line, 14);
        assert_eq!(s.filtered_lines, 1);
    }

    #[test]
    fn outcomes() {
        let (_, _, r) = run("k8s/events.txt", "");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, _, r) = run(
            "k8s/events.txt",
            "No resources found in default namespace.\n",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, _, r) = run("k8s/events.txt", "\nsomething else\n");
        assert!(
            matches!(r, Err(ParseError::Broken { line: 2, .. })),
            "{r:?}"
        );
        let (m, _, r) = run(
            "paste#1",
            "Events:  <none>\nType  Reason  Age  From  Message\n",
        );
        assert!(r.is_ok());
        assert!(m.has(Fact::KubeEvents));
        assert!(m.log_events.is_empty());
    }

    #[test]
    fn detector() {
        assert_eq!(detect(GET), 95);
        assert_eq!(detect(DESCRIBE), 85);
        assert_eq!(detect("I0412 10:15:02.1 1 x.go:1] a\n"), 0);
    }
}
