//! The error-line path: every line that carries an HCN/HNS or Win32 error code (in any form the
//! one extractor, [`crate::codes::error_codes`], knows: hex, decimal, signed, or only the message
//! text of a code in the knowledge base) or a bare error shape ([`crate::klog::is_bare_hns_error`])
//! becomes a [`LogEvent`], wherever it stands: in a paste section that a format parser read for
//! something else (an OS version block with a docker error above it), in a PowerShell error
//! record, or in a file no format recognised.
//!
//! Pipeline stage: **parsers** (a pass of the assembler, not an artefact: no entry in
//! [`crate::formats::FORMATS`]). Lines a parser already turned into a log event (same source and
//! line) are not read twice.
//!
//! It also names the operation a line reports on ([`operation_of`]) for every log event, so rules
//! can tell `0xb7` creating a load balancer from `0xb7` elsewhere.
//!
//! ```
//! use hnsdoctor_model::{HnsOperation, HostModel};
//! use hnsdoctor_parse::error_lines::{operation_of, scan};
//! let mut m = HostModel::new();
//! let n = scan("paste#1", "Some text\ncreate failed: hnsCall failed in Win32: Element not found. (0x490)\n", 1, &mut m);
//! assert_eq!(n, 1);
//! assert_eq!(m.log_events[0].error_codes, vec![0x8007_0490]);
//! assert_eq!(m.log_events[0].prov.line, 2);
//! assert_eq!(operation_of("hcnCreateLoadBalancer failed in Win32"), Some(HnsOperation::CreateLoadBalancer));
//! ```

use crate::codes::error_codes;
use crate::klog::{component_from_content, fact_for, is_bare_hns_error, parse_line};
use hnsdoctor_model::{HnsOperation, HostModel, LogEvent, LogLevel, Prov};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Lines longer than this are cut in the event's message (the provenance keeps the line number).
pub const MAX_MESSAGE: usize = 2000;

/// At most this many events from one source (a pasted log of thousands of identical errors
/// gives the rules all they need in the first ones).
pub const MAX_EVENTS: usize = 5000;

/// `hcnCreateLoadBalancer`, `HNSCall … CreateEndpoint`, `hcsshim::CreateComputeSystem`.
static API: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:hcn|hns)?(create|delete|modify|open|query|enumerate|add|remove|attach)(network|endpoint|loadbalancer|namespace|policylist|namespaceendpoint)s?\b",
    )
    .expect("constant regex")
});

/// Wording of the runtimes and CNI plugins: "failed to create endpoint x on network nat".
static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:failed to |error |unable to |cannot )(create|delete|remove|attach|find|provision|setup|set up|add)\s+(?:an? |the )?(hns ?|hcn ?)?(network|endpoint|load ?balancer|policy ?list|namespace)\b",
    )
    .expect("constant regex")
});

/// The operation a log line reports on, when it names one.
#[must_use]
pub fn operation_of(text: &str) -> Option<HnsOperation> {
    use HnsOperation as O;
    let low = text.to_ascii_lowercase();
    if low.contains("createcontainer") || low.contains("createcomputesystem") {
        return Some(O::CreateContainer);
    }
    if low.contains("provisionendpoint") {
        return Some(O::CreateEndpoint);
    }
    let from = |verb: &str, noun: &str| -> Option<HnsOperation> {
        let noun = noun.replace(' ', "");
        Some(match (verb, noun.as_str()) {
            ("create" | "provision" | "setup" | "set up", "network") => O::CreateNetwork,
            ("delete" | "remove", "network") => O::DeleteNetwork,
            ("create" | "provision" | "setup" | "set up", "endpoint") => O::CreateEndpoint,
            ("delete" | "remove", "endpoint") => O::DeleteEndpoint,
            ("modify", "endpoint") => O::ModifyEndpoint,
            ("add" | "attach", "endpoint" | "namespaceendpoint") => O::AttachEndpoint,
            ("create", "loadbalancer" | "policylist") => O::CreateLoadBalancer,
            ("delete" | "remove", "loadbalancer" | "policylist") => O::DeleteLoadBalancer,
            ("create", "namespace") => O::CreateNamespace,
            ("open" | "query" | "enumerate" | "find", _) => O::Query,
            _ => return None,
        })
    };
    if let Some(c) = API.captures(&low) {
        if let (Some(v), Some(n)) = (c.get(1), c.get(2)) {
            if let Some(op) = from(v.as_str(), n.as_str()) {
                return Some(op);
            }
        }
    }
    if let Some(c) = WORDS.captures(&low) {
        if let (Some(v), Some(n)) = (c.get(1), c.get(3)) {
            if let Some(op) = from(v.as_str(), n.as_str()) {
                return Some(op);
            }
        }
    }
    if low.contains("runpodsandbox")
        || low.contains("pod sandbox")
        || low.contains("failed to start container")
        || low.contains("failed to start containers")
    {
        return Some(O::StartContainer);
    }
    None
}

/// Fill [`LogEvent::operation`] for every event that has none (one pass, linear).
pub fn fill_operations(model: &mut HostModel) {
    for e in &mut model.log_events {
        if e.operation.is_none() {
            e.operation = operation_of(&e.message);
        }
    }
}

/// Whether a line is an error line for this path.
fn is_error_line(line: &str) -> Option<Vec<u32>> {
    let codes = error_codes(line);
    (!codes.is_empty() || is_bare_hns_error(line)).then_some(codes)
}

/// Read the error lines of one text (`source`, lines numbered from `first_line`) into
/// `model.log_events`, skipping lines already read as events of the same source. Returns how many
/// events were added; marks the log fact of each component seen.
pub fn scan(source: &str, text: &str, first_line: u32, model: &mut HostModel) -> usize {
    let seen: HashSet<u32> = model
        .log_events
        .iter()
        .filter(|e| same_source(&e.prov, source))
        .map(|e| e.prov.line)
        .collect();
    let mut added = 0usize;
    for (i, raw) in text.lines().enumerate() {
        if added >= MAX_EVENTS {
            break;
        }
        let no = first_line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        let l = raw.trim();
        if l.is_empty() || seen.contains(&no) {
            continue;
        }
        let Some(codes) = is_error_line(l) else {
            continue;
        };
        let line = parse_line(l);
        let component = line
            .caller
            .as_deref()
            .and_then(component_from_content)
            .or_else(|| component_from_content(l))
            .unwrap_or_default();
        let mut message = line.message;
        if message.len() > MAX_MESSAGE {
            let mut end = MAX_MESSAGE;
            while !message.is_char_boundary(end) {
                end -= 1;
            }
            message.truncate(end);
        }
        let operation = operation_of(&message);
        model.mark(fact_for(&component));
        model.log_events.push(LogEvent {
            time: line.time,
            component,
            level: line.level.max(LogLevel::Error),
            message,
            error_codes: codes,
            operation,
            prov: Prov::quoted(source, no, raw),
        });
        added += 1;
    }
    added
}

/// `paste#1.2` belongs to `paste#1` (pieces of a section are named `<section>.<k>`).
fn same_source(p: &Prov, source: &str) -> bool {
    p.source == source
        || p.source
            .strip_prefix(source)
            .is_some_and(|rest| rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hnsdoctor_model::{Component, Fact};

    #[test]
    fn every_code_shape_becomes_an_event_with_its_operation() {
        let text = "Windows IP Configuration\n\
            E0409 13:34:04.794013 3560 proxier.go:998] \"Source Vip endpoint creation failed\" err=\"hcnCreateEndpoint failed in Win32: An address provided is invalid or reserved. (0x803b002f)\"\n\
            docker: Error response from daemon: failed to create endpoint web on network nat: HNS failed with error : The object already exists.\n\
            Exception: {\"Success\":false,\"Error\":\"x\",\"ErrorCode\":2151350291}\n\
            nothing here 0x1234\n";
        let mut m = HostModel::new();
        assert_eq!(scan("paste#2", text, 10, &mut m), 3);
        let e = &m.log_events;
        assert_eq!(e[0].prov.line, 11);
        assert_eq!(e[0].component, Component::KubeProxy);
        assert_eq!(e[0].operation, Some(HnsOperation::CreateEndpoint));
        assert_eq!(e[0].error_codes, vec![0x803b_002f]);
        assert_eq!(e[1].component, Component::Docker);
        assert_eq!(e[1].operation, Some(HnsOperation::CreateEndpoint));
        assert_eq!(
            e[1].error_codes,
            vec![0x8007_1392],
            "message text of errors.toml"
        );
        assert_eq!(e[2].error_codes, vec![0x803b_0013]);
        assert!(m.has(Fact::KubeProxyLog) && m.has(Fact::RuntimeLog) && m.has(Fact::PastedLog));
    }

    #[test]
    fn lines_already_read_are_not_read_twice() {
        let mut m = HostModel::new();
        let text = "hnsCall failed in Win32: Element not found. (0x490)\n";
        scan("paste#1.1", text, 3, &mut m);
        assert_eq!(scan("paste#1", text, 3, &mut m), 0);
        assert_eq!(scan("paste#2", text, 3, &mut m), 1);
        assert_eq!(m.log_events.len(), 2);
    }

    #[test]
    fn operations_from_api_names_and_words() {
        use HnsOperation as O;
        for (t, op) in [
            ("hcnCreateNetwork failed in Win32", Some(O::CreateNetwork)),
            ("HNSCall DeleteEndpoint failed", Some(O::DeleteEndpoint)),
            (
                "Policy creation failed: hcnCreateLoadBalancer failed",
                Some(O::CreateLoadBalancer),
            ),
            (
                "failed to create endpoint sql on network nat",
                Some(O::CreateEndpoint),
            ),
            ("error while ProvisionEndpoint(x)", Some(O::CreateEndpoint)),
            (
                "encountered an error during CreateContainer: failure",
                Some(O::CreateContainer),
            ),
            ("Unable to find HNS Network cbr0", Some(O::Query)),
            (
                "Failed to create pod sandbox: rpc error",
                Some(O::StartContainer),
            ),
            ("The parameter is incorrect.", None),
        ] {
            assert_eq!(operation_of(t), op, "{t}");
        }
    }

    #[test]
    fn a_paste_without_codes_or_error_shapes_adds_nothing() {
        let mut m = HostModel::new();
        assert_eq!(
            scan(
                "p",
                "Name : nat\nSwitchType : Internal\nerror budget ok\n",
                1,
                &mut m
            ),
            0
        );
        assert!(m.facts.is_empty());
    }
}
