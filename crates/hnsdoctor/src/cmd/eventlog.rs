//! `--eventlog` (`doctor`, `watch`): error findings as warning events in the Windows
//! Application log, source `hnsdoctor`, so that they reach whatever already watches the
//! Event Log on the node (Windows Admin Center, Azure Monitor agent, SCOM, forwarded events).
//!
//! * Source: `hnsdoctor` is registered on first use (the key
//!   `HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\hnsdoctor`, message file
//!   .NET's `EventLogMessages.dll` whose every message is `%1`, as PowerShell's `New-EventLog`
//!   does). Registering needs administrator rights; without them events are still written
//!   (Event Viewer then prefixes "The description … cannot be found").
//! * Selection ([`select`]): error findings only, each once per run (the worst severity of an
//!   id); `watch` passes the previous run's ids so that a finding is written when it appears,
//!   not every interval.
//! * Event: type warning (`EVENTLOG_WARNING_TYPE`), id [`EVENT_ID`], one string
//!   ([`message`]): finding id, host, title, what was observed, the first fix step, and the
//!   command that explains it; at most [`MAX_MESSAGE`] characters.
//!
//! Off Windows [`ensure_available`] fails with a sentence saying so (exit code 5).

use hnsdoctor_rules::{Finding, Report, Severity};
use std::collections::BTreeSet;

/// The event source name.
pub const SOURCE: &str = "hnsdoctor";
/// The event id of a finding event.
pub const EVENT_ID: u32 = 1001;
/// Longest message written (characters); ReportEventW allows 31,839 per string.
pub const MAX_MESSAGE: usize = 4000;

/// One event to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The finding id (for the caller's bookkeeping).
    pub id: String,
    /// The message text (CRLF line ends, as Event Viewer shows them).
    pub message: String,
}

/// The events for `report`: its error findings that are not in `already` (ids written by the
/// previous run), in report order, one per id.
#[must_use]
pub fn select(report: &Report, already: &BTreeSet<String>) -> Vec<Event> {
    let mut seen = BTreeSet::new();
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| !already.contains(&f.id) && seen.insert(f.id.clone()))
        .map(|f| Event {
            id: f.id.clone(),
            message: message(f, report.host.as_deref()),
        })
        .collect()
}

/// The ids of the error findings of `report` (what `watch` remembers between runs).
#[must_use]
pub fn error_ids(report: &Report) -> BTreeSet<String> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.id.clone())
        .collect()
}

/// The event text of one finding.
#[must_use]
pub fn message(f: &Finding, host: Option<&str>) -> String {
    let mut lines = vec![format!(
        "hnsdoctor found {} on {}: {}",
        f.id,
        host.filter(|h| !h.is_empty()).unwrap_or("this host"),
        f.title
    )];
    if !f.observed.is_empty() {
        lines.push(format!("Observed: {}", f.observed));
    }
    if !f.why.is_empty() {
        lines.push(format!("Why it matters: {}", f.why));
    }
    if let Some(step) = f.fix.first() {
        let mut s = format!("First step: {}", step.text);
        if let Some(c) = &step.command {
            s.push_str(&format!(" ({c})"));
        }
        lines.push(s);
    }
    lines.push(format!(
        "Details: run `hnsdoctor explain {}` or `hnsdoctor doctor` on this node.",
        f.id
    ));
    bound(&lines.join("\r\n"))
}

/// Cut `s` to [`MAX_MESSAGE`] characters (on a character boundary, marked with `…`).
fn bound(s: &str) -> String {
    if s.chars().count() <= MAX_MESSAGE {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX_MESSAGE - 1).collect();
    out.push('…');
    out
}

/// Fail unless events can be written here (Windows).
///
/// # Errors
/// Off Windows: a sentence naming the flag and the host's OS.
pub fn ensure_available() -> anyhow::Result<()> {
    if cfg!(windows) {
        Ok(())
    } else {
        anyhow::bail!(
            "--eventlog writes events (source {SOURCE}, id {EVENT_ID}) to the Windows Event Log \
             and this host is {}: drop --eventlog, or run hnsdoctor on the Windows node",
            std::env::consts::OS
        )
    }
}

/// Write `events` to the Application log under [`SOURCE`] (registering it when possible).
///
/// # Errors
/// Off Windows; when the event source cannot be opened or an event cannot be written.
pub fn write(events: &[Event]) -> anyhow::Result<()> {
    ensure_available()?;
    if events.is_empty() {
        return Ok(());
    }
    sys::write(events)
}

#[cfg(windows)]
mod sys {
    //! The Win32 calls.
    use super::{Event, EVENT_ID, SOURCE};
    use windows_sys::Win32::Foundation::ERROR_SUCCESS;
    use windows_sys::Win32::System::EventLog::{
        DeregisterEventSource, RegisterEventSourceW, ReportEventW, EVENTLOG_WARNING_TYPE,
    };
    use windows_sys::Win32::System::Registry::{
        RegCloseKey, RegCreateKeyExW, RegSetValueExW, HKEY, HKEY_LOCAL_MACHINE, KEY_WRITE,
        REG_DWORD, REG_EXPAND_SZ, REG_OPTION_NON_VOLATILE,
    };

    fn wide(s: &str) -> Vec<u16> {
        s.encode_utf16().chain(std::iter::once(0)).collect()
    }

    /// Register the source (idempotent); false when the key cannot be written (not admin).
    fn register() -> bool {
        let key = wide(&format!(
            r"SYSTEM\CurrentControlSet\Services\EventLog\Application\{SOURCE}"
        ));
        let mut h: HKEY = std::ptr::null_mut();
        // SAFETY: valid NUL-terminated strings and out pointer; the key is closed below.
        let rc = unsafe {
            RegCreateKeyExW(
                HKEY_LOCAL_MACHINE,
                key.as_ptr(),
                0,
                std::ptr::null(),
                REG_OPTION_NON_VOLATILE,
                KEY_WRITE,
                std::ptr::null(),
                &mut h,
                std::ptr::null_mut(),
            )
        };
        if rc != ERROR_SUCCESS {
            return false;
        }
        let file = wide(r"%SystemRoot%\Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll");
        let name = wide("EventMessageFile");
        let types_name = wide("TypesSupported");
        let types: u32 = 7; // error, warning, information
                            // SAFETY: h is an open key; the buffers outlive the calls and their sizes are in bytes.
        let ok = unsafe {
            RegSetValueExW(
                h,
                name.as_ptr(),
                0,
                REG_EXPAND_SZ,
                file.as_ptr().cast(),
                u32::try_from(file.len() * 2).unwrap_or(u32::MAX),
            ) == ERROR_SUCCESS
                && RegSetValueExW(
                    h,
                    types_name.as_ptr(),
                    0,
                    REG_DWORD,
                    std::ptr::from_ref(&types).cast(),
                    4,
                ) == ERROR_SUCCESS
        };
        // SAFETY: h was opened above.
        unsafe { RegCloseKey(h) };
        ok
    }

    pub(super) fn write(events: &[Event]) -> anyhow::Result<()> {
        if !register() {
            tracing::warn!("event source {SOURCE} not registered (not administrator)");
        }
        let source = wide(SOURCE);
        // SAFETY: NUL-terminated source name; the handle is deregistered below.
        let h = unsafe { RegisterEventSourceW(std::ptr::null(), source.as_ptr()) };
        if h.is_null() {
            anyhow::bail!(
                "cannot open the event source {SOURCE}: {}",
                std::io::Error::last_os_error()
            );
        }
        let mut result = Ok(());
        for e in events {
            let text = wide(&e.message);
            let strings = [text.as_ptr()];
            // SAFETY: one valid NUL-terminated string; no binary data.
            let ok = unsafe {
                ReportEventW(
                    h,
                    EVENTLOG_WARNING_TYPE,
                    0,
                    EVENT_ID,
                    std::ptr::null_mut(),
                    1,
                    0,
                    strings.as_ptr(),
                    std::ptr::null(),
                )
            };
            if ok == 0 {
                result = Err(anyhow::anyhow!(
                    "cannot write the event for {}: {}",
                    e.id,
                    std::io::Error::last_os_error()
                ));
                break;
            }
        }
        // SAFETY: h came from RegisterEventSourceW.
        unsafe { DeregisterEventSource(h) };
        result
    }
}

#[cfg(not(windows))]
mod sys {
    //! Off Windows there is no Event Log; [`super::write`] refuses before getting here.
    use super::Event;

    pub(super) fn write(_: &[Event]) -> anyhow::Result<()> {
        super::ensure_available()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hnsdoctor_rules::{Confidence, FixStep};

    fn finding(id: &str, severity: Severity) -> Finding {
        Finding {
            id: id.into(),
            severity,
            title: format!("title of {id}"),
            observed: "0 free 64-port blocks in the TCP dynamic range".into(),
            why: "new connections fail".into(),
            evidence: Vec::new(),
            fix: vec![FixStep {
                text: "Release the excluded ranges".into(),
                command: Some("netsh int ipv4 show excludedportrange tcp".into()),
                last_resort: false,
                changes_host: false,
                targets: Vec::new(),
            }],
            references: Vec::new(),
            confidence: Confidence::High,
        }
    }

    #[test]
    fn the_message_names_finding_host_observation_and_first_step() {
        let m = message(
            &finding("port-pool-exhaustion", Severity::Error),
            Some("WIN-7"),
        );
        assert_eq!(
            m,
            "hnsdoctor found port-pool-exhaustion on WIN-7: title of port-pool-exhaustion\r\n\
             Observed: 0 free 64-port blocks in the TCP dynamic range\r\n\
             Why it matters: new connections fail\r\n\
             First step: Release the excluded ranges (netsh int ipv4 show excludedportrange tcp)\r\n\
             Details: run `hnsdoctor explain port-pool-exhaustion` or `hnsdoctor doctor` on this node."
        );
        let mut long = finding("x", Severity::Error);
        long.observed = "é".repeat(10_000);
        let m = message(&long, None);
        assert_eq!(m.chars().count(), MAX_MESSAGE);
        assert!(m.starts_with("hnsdoctor found x on this host") && m.ends_with('…'));
    }

    #[test]
    fn errors_only_once_each_and_not_again_while_they_last() {
        let mut report =
            hnsdoctor_rules::run(&hnsdoctor_model::HostModel::new(), &Default::default());
        report.host = Some("WIN-7".into());
        report.findings = vec![
            finding("dns-lb-missing", Severity::Error),
            finding("stale-remote-endpoint", Severity::Warning),
            finding("port-pool-exhaustion", Severity::Error),
            finding("dns-lb-missing", Severity::Error),
        ];
        let ids = |v: Vec<Event>| v.into_iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(
            ids(select(&report, &BTreeSet::new())),
            ["dns-lb-missing", "port-pool-exhaustion"]
        );
        let before: BTreeSet<String> = ["dns-lb-missing".to_string()].into();
        assert_eq!(ids(select(&report, &before)), ["port-pool-exhaustion"]);
        assert_eq!(
            error_ids(&report).into_iter().collect::<Vec<_>>(),
            ["dns-lb-missing", "port-pool-exhaustion"]
        );
    }

    #[test]
    fn off_windows_the_flag_is_refused_clearly() {
        if cfg!(windows) {
            return;
        }
        let e = ensure_available().unwrap_err().to_string();
        assert!(
            e.contains("--eventlog") && e.contains(std::env::consts::OS),
            "{e}"
        );
        let ev = Event {
            id: "x".into(),
            message: "m".into(),
        };
        assert!(write(&[ev]).is_err());
    }
}
