//! Go panics and start-up failures of kube-proxy (and other Go components): `panic:` with its
//! goroutine trace, klog fatal lines (`F0518 10:12:01.123456 …`), `failed to run …`, feature-gate
//! errors → [`LogEvent`]s of level fatal / error.
//!
//! Pipeline stage: **parsers**. Format id `go-crash`.
//!
//! **Shapes.**
//! * `panic: runtime error: invalid memory address or nil pointer dereference` followed by
//!   `[signal 0xc0000005 code=0x0 addr=0x18 pc=0x…]` and `goroutine 1 [running]:` frames
//!   (`k8s.io/kubernetes/pkg/proxy/winkernel.(*Proxier).syncProxyRules(…)` + file lines); one
//!   event per panic, with the first frames appended to the message (they name the component).
//! * klog fatal: `F0518 10:12:01.123456    4420 server.go:495] …` (also with the header trimmed to
//!   `server.go:495] …` after an `F`-less paste) → level fatal.
//! * start-up errors: `Error: unrecognized feature gate: WinDSR`, `invalid argument "…" for
//!   "--feature-gates" flag: cannot set feature gate WinOverlay to false, feature is locked to
//!   true`, `failed to run Kubelet: …`, `run.go:74] "command failed" err="…"`, `E… failed to create
//!   proxier: …` → level error.
//!
//! The component is taken from the text (`kube-proxy`, `winkernel`, `proxier` → kube-proxy;
//! `kubelet` → kubelet), else unknown. Fact `kube-proxy-log` when the component is kube-proxy,
//! else `pasted-log`.
//!
//! **Partial input.** A trace without its `panic:` line still yields one event ("goroutine
//! trace without its panic line"); other lines are counted as filtered. Text with none of the
//! shapes is `Broken`.
//!
//! ```
//! use hnsdoctor_parse::{kube_crash, Input, HostModel, InputSummary};
//! use hnsdoctor_model::{Component, LogLevel};
//! let text = "panic: runtime error: index out of range [0] with length 0\n\ngoroutine 212 [running]:\n\
//! k8s.io/kubernetes/pkg/proxy/winkernel.(*Proxier).syncProxyRules(0xc000412000)\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! kube_crash::parse(&Input::new("paste#1", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.log_events[0].level, LogLevel::Fatal);
//! assert_eq!(m.log_events[0].component, Component::KubeProxy);
//! ```

use crate::codes::error_codes;
use crate::logutil::mark;
use crate::pserror::guess_component;
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{Component, LogEvent, LogLevel};
use regex::Regex;
use std::sync::LazyLock;

static KLOG_FATAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^F(?P<md>\d{4})\s+(?P<time>\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s+\d+\s+(?P<msg>\S+\.go:\d+\].*)$")
        .expect("constant regex")
});

/// Start-up failure phrases (lower case).
const START_FAILURES: &[&str] = &[
    "unrecognized feature gate",
    "cannot set feature gate",
    "feature is locked to",
    "failed to run kubelet",
    "failed to run kube-proxy",
    "\"command failed\"",
    "failed to create proxier",
    "unable to create proxier",
    "error: unknown flag",
    "unknown flag: --",
    "invalid argument",
    "failed to load kube-proxy configuration",
    "error: failed to",
];

fn start_failure(low: &str) -> bool {
    START_FAILURES.iter().any(|p| low.contains(p))
}

/// Parse panics and start-up failures. See the module doc.
///
/// # Errors
/// `Skip` for empty input; `Broken` when none of the shapes is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if input.text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    let mut events: Vec<LogEvent> = Vec::new();
    // index of the open panic event and how many frames were appended
    let mut open_panic: Option<(usize, usize)> = None;
    for (no, raw) in input.lines() {
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        let low = t.to_ascii_lowercase();
        if let Some(rest) = t.strip_prefix("panic:") {
            events.push(LogEvent {
                level: LogLevel::Fatal,
                message: format!("panic:{rest}"),
                prov: input.prov(no, raw),
                ..LogEvent::default()
            });
            open_panic = Some((events.len() - 1, 0));
            continue;
        }
        if low.starts_with("goroutine ") && low.ends_with(':') {
            if open_panic.is_none() {
                events.push(LogEvent {
                    level: LogLevel::Fatal,
                    message: "goroutine trace without its panic line:".into(),
                    prov: input.prov(no, raw),
                    ..LogEvent::default()
                });
                open_panic = Some((events.len() - 1, 0));
            }
            continue;
        }
        if let Some((i, frames)) = open_panic.as_mut() {
            // frames: `pkg.(*T).f(…)` and `\tC:/…/file.go:123 +0x1a`; keep the first four calls
            if (t.contains('(') && t.contains('.') && !t.contains(' ')) || t.starts_with("[signal")
            {
                if *frames < 4 {
                    if let Some(e) = events.get_mut(*i) {
                        e.message.push_str(" | ");
                        e.message.push_str(t);
                    }
                    *frames += 1;
                }
                continue;
            }
            if t.contains(".go:") && !t.contains(']')
                || t.starts_with("<autogenerated>")
                || t.starts_with("created by ")
            {
                continue;
            }
            open_panic = None;
        }
        if let Some(c) = KLOG_FATAL.captures(t) {
            events.push(LogEvent {
                time: Some(format!("{} {}", &c["md"], &c["time"])),
                level: LogLevel::Fatal,
                message: c["msg"].to_string(),
                prov: input.prov(no, raw),
                ..LogEvent::default()
            });
            continue;
        }
        if start_failure(&low) {
            events.push(LogEvent {
                level: LogLevel::Error,
                message: t.to_string(),
                prov: input.prov(no, raw),
                ..LogEvent::default()
            });
            continue;
        }
        summary.filtered_lines += 1;
    }
    if events.is_empty() {
        return Err(ParseError::broken_at_first_line(
            input,
            "a Go panic, a klog fatal line or a start-up failure",
        ));
    }
    for mut e in events {
        e.component = guess_component(&e.message);
        if e.component == Component::Unknown {
            let low = e.message.to_ascii_lowercase();
            if low.contains("windsr") || low.contains("winoverlay") || low.contains("/proxy/") {
                e.component = Component::KubeProxy;
            }
        }
        e.error_codes = error_codes(&e.message);
        let fact = match e.component {
            Component::KubeProxy => Fact::KubeProxyLog,
            Component::Kubelet => Fact::KubeletLog,
            _ => Fact::PastedLog,
        };
        mark(model, summary, fact);
        summary.objects += 1;
        model.log_events.push(e);
    }
    Ok(())
}

/// Detector: `panic:` with a goroutine trace, klog fatal lines, start-up failure phrases.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let mut panic = false;
    let mut goroutine = false;
    let mut score = 0u8;
    for l in text.lines().take(600) {
        let t = l.trim();
        let low = t.to_ascii_lowercase();
        panic |= t.starts_with("panic:");
        goroutine |= low.starts_with("goroutine ") && low.ends_with(':');
        if KLOG_FATAL.is_match(t) {
            score = score.max(70);
        }
        if low.contains("unrecognized feature gate") || low.contains("feature is locked to") {
            score = score.max(85);
        }
    }
    if panic && goroutine {
        score = score.max(95);
    } else if panic || goroutine {
        score = score.max(75);
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{run, run_fixture};

    #[test]
    fn kube_proxy_panic_with_trace_utf16() {
        let (r, m, _) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/kube_crash/kube-proxy-panic-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(m.log_events.len(), 1, "{:?}", m.log_events);
        let e = &m.log_events[0];
        assert_eq!(e.level, LogLevel::Fatal);
        assert_eq!(e.component, Component::KubeProxy);
        assert!(e
            .message
            .starts_with("panic: runtime error: invalid memory address"));
        assert!(
            e.message.contains("winkernel.(*Proxier).syncProxyRules"),
            "{}",
            e.message
        );
        assert_eq!(e.prov.line, 3);
        assert!(m.has(Fact::KubeProxyLog));
    }

    #[test]
    fn locked_feature_gate_and_klog_fatal() {
        let (r, m, _) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/kube_crash/feature-gate-locked.txt"),
        );
        r.unwrap();
        assert_eq!(m.log_events.len(), 2, "{:?}", m.log_events);
        assert!(m.log_events[0]
            .message
            .contains("feature is locked to true"));
        assert_eq!(m.log_events[0].component, Component::KubeProxy);
        assert_eq!(m.log_events[1].level, LogLevel::Fatal);
        assert_eq!(
            m.log_events[1].time.as_deref(),
            Some("1103 14:22:09.318774")
        );
    }

    #[test]
    fn partial_trace_and_quiet() {
        let (m, _, r) = run(
            parse,
            "paste#2",
            "goroutine 1 [running]:\nk8s.io/kubernetes/pkg/proxy/winkernel.newHostNetworkService(0x0)\n",
        );
        r.unwrap();
        assert!(m.log_events[0]
            .message
            .starts_with("goroutine trace without"));
        let q =
            "I1103 14:22:09.318774    5120 server.go:221] \"Successfully retrieved node IP(s)\"\n";
        assert!(detect(q) < 30);
        let (m, _, r) = run(parse, "paste#3", q);
        assert!(matches!(r, Err(ParseError::Broken { .. })));
        assert!(m.log_events.is_empty());
    }
}
