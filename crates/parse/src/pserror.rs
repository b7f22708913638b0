//! PowerShell error records of any cmdlet, and HNS error objects → [`HostModel::ps_errors`],
//! each also pushed as a [`LogEvent`] so the log-signature rules see it.
//!
//! Pipeline stage: **parsers**. Format id `powershell-error`.
//!
//! **What produces it.** Any failing cmdlet in a console (Windows PowerShell 5.1 `NormalView`):
//!
//! ```text
//! New-HnsNetwork : HNS failed with error : The object already exists.
//! At line:1 char:1
//! + New-HnsNetwork -Type NAT -Name nat2 -AddressPrefix 172.30.0.0/16
//! + ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//!     + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException
//!     + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,New-HnsNetwork
//! ```
//!
//! PowerShell 7 (`ConciseView`) prints only `Resolve-DnsName: <message>`; scripts print
//! `At C:\k\start.ps1:42 char:5`. The message, `CategoryInfo` and `FullyQualifiedErrorId` may be
//! wrapped at the console width: continuation lines are re-joined (without a space when a word was
//! cut at the width). The cmdlet is taken from the header (`Verb-Noun`, `*.ps1`, `*.exe` or a
//! short command alias such as `curl`), else from the `[Cmdlet]` of `CategoryInfo`, else from the
//! `…Commands.<Verb><Noun>Command` of the error id. HNS error objects
//! (`{"Success":false,"Error":"…","ErrorCode":2151350291}`), standalone or inside a record, give
//! the message and the code in decimal.
//!
//! **What is kept.** One [`PsErrorRecord`] per record with its error codes
//! ([`crate::codes::error_codes`]), one [`LogEvent`] (level error, component guessed from the
//! text, message `<cmdlet> : <message>`), and for name-resolution failures (`Resolve-DnsName`,
//! `Invoke-WebRequest` "The remote name could not be resolved", `Test-NetConnection`) a
//! [`hnsdoctor_model::NameResolution`] through [`crate::nameres`]. Fact `pasted-log` (and
//! `name-resolution` when such an attempt was read).
//!
//! **Partial input.** A record cut after its header and `At line:` is still a record; a record
//! whose header was lost keeps the `CategoryInfo` / error id; unrelated lines are counted as
//! filtered. Text with no record is `Broken` at its first line; empty text is `Skip`.
//!
//! ```
//! use hnsdoctor_parse::{pserror, Input, HostModel, InputSummary};
//! let text = "Get-HnsEndpoint : HNS failed with error : Element not found.\n\
//! At line:1 char:1\n\
//! + Get-HnsEndpoint -Id 5b0c\n\
//! + ~~~~~~~~~~~~~~~~~~~~~~~~\n\
//!     + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n\
//!     + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,Get-HnsEndpoint\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! pserror::parse(&Input::new("paste#1", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.ps_errors[0].cmdlet.as_deref(), Some("Get-HnsEndpoint"));
//! assert_eq!(m.ps_errors[0].error_codes, vec![0x8007_0490]);
//! assert_eq!(m.log_events.len(), 1);
//! ```

use crate::codes::error_codes;
use crate::logutil::{mark, MAX_EVENTS_PER_SOURCE};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{Component, LogEvent, LogLevel, Prov, PsErrorRecord};
use regex::Regex;
use std::sync::LazyLock;

/// `At line:1 char:1` / `At C:\k\start.ps1:42 char:5` (also `In Zeile:1 Zeichen:1`, `Au
/// caractère Ligne:1 : 1`, `En línea: 1 Carácter: 1`, `위치 줄:1 문자:1`, `行:1 文字:1`,
/// `所在位置 行:1 字符: 1`).
static AT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:at\s.*:\s?\d+\s+char:\s?\d+|in\s+zeile:\s?\d+|au caractère|en línea:\s?\d+|위치 줄:\s?\d+|所在位置|行:\s?\d+\s+文字|at line:\s?\d+)",
    )
    .expect("constant regex")
});

/// `+ CategoryInfo : value` / `+ FullyQualifiedErrorId : value`.
static PLUS_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\+\s*(CategoryInfo|FullyQualifiedErrorId)\s*:\s*(.*)$").expect("constant regex")
});

/// `<command> : <message>` (5.1) or `<Verb-Noun>: <message>` (7).
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<cmd>[A-Za-z][\w.\\:-]*?)(?P<sp>\s?):\s+(?P<msg>\S.*)$")
        .expect("constant regex")
});

/// A PowerShell `Verb-Noun` name.
static VERB_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][a-z]{1,11}-[A-Za-z][A-Za-z0-9]+$").expect("constant regex")
});

/// HNS error object.
static HNS_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{[^{}]*"Success"\s*:\s*false[^{}]*\}"#).expect("constant regex")
});

/// `…Commands.InvokeWebRequestCommand` at the end of an error id.
static ID_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\.([A-Z][a-z]+)([A-Z][A-Za-z0-9]+)Command$").expect("constant regex")
});

/// Short commands that are not `Verb-Noun` but print error records (aliases, executables).
const COMMANDS: &[&str] = &[
    "curl", "wget", "iwr", "irm", "docker", "kubectl", "ctr", "crictl", "hnsdiag", "nslookup",
    "ping", "sc", "netsh", "hcsdiag", "vfpctrl",
];

fn is_command(cmd: &str) -> bool {
    let low = cmd.to_ascii_lowercase();
    VERB_NOUN.is_match(cmd)
        || low.ends_with(".ps1")
        || low.ends_with(".exe")
        || COMMANDS.contains(&low.as_str())
}

/// Whether a line opens or belongs to the tail of an error record.
fn is_tail(t: &str) -> bool {
    AT_LINE.is_match(t) || PLUS_FIELD.is_match(t)
}

/// Append a wrapped continuation: without a space when a word was cut at the console width.
/// Messages keep a space when the wrapped line ended in one (a word boundary at the width);
/// `CategoryInfo` / error-id values are padded by PowerShell, so there a lower-case
/// continuation after a letter is always a cut word (`Win32Except` + `ion`).
fn join_wrapped(acc: &mut String, prev_raw: &str, next: &str, field: bool) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    let prev = prev_raw.trim_end_matches('\r');
    let cut_candidate = acc.chars().last().is_some_and(char::is_alphanumeric)
        && next.chars().next().is_some_and(char::is_lowercase);
    let cut_word = cut_candidate
        && if field {
            true
        } else {
            prev.chars().count() >= 79 && !prev.ends_with(char::is_whitespace)
        };
    if !acc.is_empty() && !cut_word {
        acc.push(' ');
    }
    acc.push_str(next);
}

/// Guess the writer of an error text (hns, docker, kubelet, kube-proxy, containerd, CNI).
#[must_use]
pub fn guess_component(text: &str) -> Component {
    let low = text.to_ascii_lowercase();
    if low.contains("kube-proxy")
        || low.contains("kubeproxy")
        || low.contains("winkernel")
        || low.contains("proxier")
    {
        Component::KubeProxy
    } else if low.contains("kubelet") || low.contains("podsandbox") || low.contains("pod sandbox") {
        Component::Kubelet
    } else if low.contains("containerd") {
        Component::Containerd
    } else if low.contains("docker")
        || low.contains("error response from daemon")
        || low.contains("hcsshim")
    {
        Component::Docker
    } else if low.contains("flannel")
        || low.contains("win-overlay")
        || low.contains("win-bridge")
        || low.contains("sdnoverlay")
    {
        Component::Cni("flannel".into())
    } else if low.contains("azure-vnet") || low.contains("azure-cni") {
        Component::Cni("azure-vnet".into())
    } else if low.contains("calico") {
        Component::Cni("calico".into())
    } else if low.contains("hns") || low.contains("hcn") {
        Component::Hns
    } else {
        Component::Unknown
    }
}

/// The cmdlet named by a record's `CategoryInfo` (`… [Resolve-DnsName], Win32Exception`) or
/// error id (`…,Microsoft.PowerShell.Commands.InvokeWebRequestCommand`).
fn cmdlet_from_tail(category: Option<&str>, id: Option<&str>) -> Option<String> {
    if let Some(c) = category {
        if let (Some(a), Some(b)) = (c.rfind('['), c.rfind(']')) {
            let inner = c.get(a + 1..b).unwrap_or("").trim();
            if VERB_NOUN.is_match(inner) && inner != "Write-Error" {
                return Some(inner.to_string());
            }
        }
    }
    let id = id?;
    let last = id.rsplit(',').next().unwrap_or(id).trim();
    if VERB_NOUN.is_match(last) {
        return Some(last.to_string());
    }
    ID_COMMAND
        .captures(last)
        .map(|c| format!("{}-{}", &c[1], &c[2]))
}

/// One record being read.
#[derive(Default)]
struct Rec {
    line: u32,
    raw: String,
    cmdlet: Option<String>,
    message: String,
    category: Option<String>,
    error_id: Option<String>,
}

/// Split header lines into the cmdlet and the message.
fn header(lines: &[(u32, &str)]) -> Rec {
    // the last line that has the `<command> : ` shape starts the record
    let start = lines
        .iter()
        .rposition(|(_, l)| {
            HEADER
                .captures(l.trim())
                .is_some_and(|c| is_command(&c["cmd"]))
        })
        .unwrap_or(0);
    let lines = lines.get(start..).unwrap_or(&[]);
    let mut rec = Rec::default();
    let Some(&(no, first)) = lines.first() else {
        return rec;
    };
    rec.line = no;
    rec.raw = first.trim().to_string();
    let mut prev = first;
    match HEADER
        .captures(first.trim())
        .filter(|c| is_command(&c["cmd"]))
    {
        Some(c) => {
            rec.cmdlet = Some(c["cmd"].to_string());
            rec.message = c["msg"].trim().to_string();
        }
        None => rec.message = first.trim().to_string(),
    }
    for &(_, l) in lines.iter().skip(1) {
        join_wrapped(&mut rec.message, prev, l, false);
        prev = l;
    }
    rec
}

/// Parse PowerShell error records and HNS error objects. See the module doc.
///
/// # Errors
/// `Skip` for empty input; `Broken` at the first line when no record is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if input.text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    let found = scan(input, model, summary);
    if found == 0 {
        return Err(ParseError::broken_at_first_line(input, "a PowerShell error record (`Cmdlet : message`, `At line:`, `+ CategoryInfo`) or an HNS error object"));
    }
    Ok(())
}

/// Read every error record and HNS error object of `input` into `model` (also used by the
/// name-resolution reader for the records among its output). Returns the number of records.
pub(crate) fn scan(input: &Input<'_>, model: &mut HostModel, summary: &mut InputSummary) -> usize {
    let lines: Vec<(u32, &str)> = input.lines().collect();
    let mut pending: Vec<(u32, &str)> = Vec::new();
    let mut records = 0usize;
    let mut i = 0;
    while i < lines.len() {
        let (no, raw) = lines[i];
        let t = raw.trim();
        if t.is_empty() {
            summary.filtered_lines += pending.len();
            pending.clear();
            i += 1;
            continue;
        }
        if is_tail(t) {
            let mut rec = header(&pending);
            summary.filtered_lines += pending.len().saturating_sub(1);
            pending.clear();
            if rec.line == 0 {
                rec.line = no;
                rec.raw = t.to_string();
            }
            // the tail: At line, `+ <echo>`, `+ ~~~`, the two fields and their continuations
            let mut field: Option<(bool, String)> = None; // (is_category, value)
            let mut prev = raw;
            while i < lines.len() {
                let (_, l) = lines[i];
                let lt = l.trim();
                if lt.is_empty() {
                    break;
                }
                if let Some(c) = PLUS_FIELD.captures(lt) {
                    finish_field(&mut rec, field.take());
                    field = Some((&c[1] == "CategoryInfo", c[2].trim().to_string()));
                } else if AT_LINE.is_match(lt) || lt.starts_with('+') {
                    finish_field(&mut rec, field.take());
                } else if let Some((_, v)) = field.as_mut() {
                    if l.starts_with(' ') {
                        join_wrapped(v, prev, lt, true);
                    } else {
                        break;
                    }
                } else if rec.category.is_none() && rec.error_id.is_none() && !l.starts_with(' ') {
                    break;
                }
                prev = l;
                i += 1;
            }
            finish_field(&mut rec, field);
            push(input, model, summary, rec);
            records += 1;
            continue;
        }
        if let Some(m) = HNS_OBJECT.find(t) {
            // a standalone HNS error object, or a line carrying one that no record claims
            let next_is_tail = lines.get(i + 1).is_some_and(|(_, l)| is_tail(l.trim()));
            if !next_is_tail {
                let mut rec = header(&pending);
                summary.filtered_lines += pending.len().saturating_sub(1);
                pending.clear();
                let err = serde_json::from_str::<serde_json::Value>(m.as_str())
                    .ok()
                    .and_then(|v| v.get("Error").and_then(|e| e.as_str()).map(str::to_string));
                let before = t.get(..m.start()).unwrap_or("").trim();
                if rec.line == 0 {
                    rec.line = no;
                    rec.raw = t.to_string();
                    rec.message = if before.is_empty() {
                        err.unwrap_or_default().trim().to_string()
                    } else {
                        before.to_string()
                    };
                    if let Some(c) = HEADER.captures(before).filter(|c| is_command(&c["cmd"])) {
                        rec.cmdlet = Some(c["cmd"].to_string());
                        rec.message = c["msg"].trim().to_string();
                    }
                }
                rec.message.push(' ');
                rec.message.push_str(m.as_str());
                push(input, model, summary, rec);
                records += 1;
                i += 1;
                continue;
            }
        }
        // PowerShell 7 ConciseView: `Verb-Noun: message` with no tail
        if let Some(c) = HEADER.captures(t) {
            let next_is_tail = lines
                .get(i + 1)
                .is_some_and(|(_, l)| is_tail(l.trim()) || l.starts_with(' '));
            if c["sp"].is_empty() && VERB_NOUN.is_match(&c["cmd"]) && !next_is_tail {
                summary.filtered_lines += pending.len();
                pending.clear();
                let rec = Rec {
                    line: no,
                    raw: t.to_string(),
                    cmdlet: Some(c["cmd"].to_string()),
                    message: c["msg"].trim().to_string(),
                    ..Rec::default()
                };
                push(input, model, summary, rec);
                records += 1;
                i += 1;
                continue;
            }
        }
        pending.push((no, raw));
        if pending.len() > 8 {
            pending.remove(0);
            summary.filtered_lines += 1;
        }
        i += 1;
    }
    summary.filtered_lines += pending.len();
    if records > 0 {
        mark(model, summary, Fact::PastedLog);
    }
    records
}

fn finish_field(rec: &mut Rec, field: Option<(bool, String)>) {
    match field {
        Some((true, v)) if !v.is_empty() => rec.category = Some(v),
        Some((false, v)) if !v.is_empty() => rec.error_id = Some(v),
        _ => {}
    }
}

fn push(input: &Input<'_>, model: &mut HostModel, summary: &mut InputSummary, mut rec: Rec) {
    // the tail names the cmdlet behind an alias (`iwr`, `curl` → Invoke-WebRequest)
    let alias = rec
        .cmdlet
        .as_deref()
        .is_none_or(|c| COMMANDS.contains(&c.to_ascii_lowercase().as_str()));
    if alias {
        if let Some(c) = cmdlet_from_tail(rec.category.as_deref(), rec.error_id.as_deref()) {
            rec.cmdlet = Some(c);
        }
    }
    if rec.message.is_empty() {
        rec.message = rec
            .category
            .clone()
            .or_else(|| rec.error_id.clone())
            .unwrap_or_default();
    }
    let all = format!(
        "{} {} {}",
        rec.message,
        rec.category.as_deref().unwrap_or(""),
        rec.error_id.as_deref().unwrap_or("")
    );
    let codes = error_codes(&all);
    let prov = Prov::quoted(input.source, rec.line, &rec.raw);
    let text = match &rec.cmdlet {
        Some(c) => format!("{c} : {}", rec.message),
        None => rec.message.clone(),
    };
    if let Some(attempt) = crate::nameres::from_error(
        rec.cmdlet.as_deref(),
        &rec.message,
        rec.error_id.as_deref(),
        &prov,
    ) {
        model.name_resolution.push(attempt);
        mark(model, summary, Fact::NameResolution);
    }
    summary.objects += 1;
    if model.log_events.len() < MAX_EVENTS_PER_SOURCE * 8 {
        model.log_events.push(LogEvent {
            time: None,
            component: guess_component(&text),
            level: LogLevel::Error,
            message: match &rec.error_id {
                Some(id) => format!("{text} [{id}]"),
                None => text,
            },
            error_codes: codes.clone(),
            operation: crate::error_lines::operation_of(&rec.message),
            prov: prov.clone(),
        });
    }
    model.ps_errors.push(PsErrorRecord {
        cmdlet: rec.cmdlet,
        message: rec.message,
        category: rec.category,
        error_id: rec.error_id,
        error_codes: codes,
        prov,
    });
}

/// Detector: the record's tail lines (any cmdlet), a PS 7 `Verb-Noun:` error, an HNS error object;
/// 95 when records make up most of the text (so the echoed command line, e.g. `New-NetNat
/// -InternalIPInterfaceAddressPrefix …`, does not make it look like that command's output).
#[must_use]
pub fn detect(text: &str) -> u8 {
    let mut score = 0u8;
    let (mut nonblank, mut tailish) = (0usize, 0usize);
    for l in text.lines().take(400) {
        let t = l.trim();
        if !t.is_empty() {
            nonblank += 1;
            if t.starts_with('+') || AT_LINE.is_match(t) {
                tailish += 1;
            }
        }
    }
    for l in text.lines().take(400) {
        let t = l.trim();
        let s = if let Some(c) = PLUS_FIELD.captures(t) {
            if &c[1] == "FullyQualifiedErrorId" {
                85
            } else {
                80
            }
        } else if AT_LINE.is_match(t) {
            70
        } else if HNS_OBJECT.is_match(t) {
            60
        } else {
            0
        };
        score = score.max(s);
        if score >= 85 {
            break;
        }
    }
    // text that is mostly error records is nothing else, whatever names the echoed command holds
    if score >= 80 && tailish >= 3 && tailish * 2 >= nonblank {
        score = 95;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{run, run_fixture};

    #[test]
    fn records_of_several_cmdlets_utf16_wrapped() {
        let (r, m, s) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/pserror/records-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(m.ps_errors.len(), 3, "{:?}", m.ps_errors);
        let a = &m.ps_errors[0];
        assert_eq!(a.cmdlet.as_deref(), Some("New-HnsNetwork"));
        assert!(
            a.message.contains("The object already exists"),
            "{}",
            a.message
        );
        assert_eq!(a.error_codes, vec![0x8007_1392]);
        assert_eq!(
            a.error_id.as_deref(),
            Some("Microsoft.PowerShell.Commands.WriteErrorException,New-HnsNetwork")
        );
        assert_eq!(a.prov.line, 1);
        let b = &m.ps_errors[1];
        assert_eq!(
            b.cmdlet.as_deref(),
            Some("Invoke-WebRequest"),
            "from the error id"
        );
        assert!(
            b.category.as_deref().unwrap().ends_with("WebException"),
            "wrapped category re-joined: {:?}",
            b.category
        );
        let c = &m.ps_errors[2];
        assert_eq!(c.cmdlet.as_deref(), Some("Restart-Service"));
        assert!(
            c.message.contains("could not be found on this computer"),
            "{}",
            c.message
        );
        assert_eq!(m.log_events.len(), 3);
        assert_eq!(m.log_events[0].component, Component::Hns);
        assert!(m.has(Fact::PastedLog));
        assert_eq!(s.objects, 3);
    }

    #[test]
    fn hns_error_object_standalone_and_ps7_concise() {
        let text = "{\"Success\":false,\"Error\":\"An address provided is invalid or reserved. \",\"ErrorCode\":2151350319}\n\nRemove-HnsNetwork: The network was not found.\n";
        let (m, _, r) = run(parse, "paste#2", text);
        r.unwrap();
        assert_eq!(m.ps_errors.len(), 2);
        assert_eq!(m.ps_errors[0].error_codes, vec![0x803b_002f]);
        assert!(m.ps_errors[0].message.starts_with("An address provided"));
        assert_eq!(m.ps_errors[1].cmdlet.as_deref(), Some("Remove-HnsNetwork"));
        assert_eq!(m.log_events[1].prov.line, 3);
    }

    #[test]
    fn localized_position_lines() {
        for at in [
            "In Zeile:1 Zeichen:1",
            "En línea: 1 Carácter: 1",
            "위치 줄:1 문자:1",
            "所在位置 行:1 字符: 1",
        ] {
            let text = format!(
                "Get-HnsNetwork : Das Objekt ist bereits vorhanden.\n{at}\n+ Get-HnsNetwork\n"
            );
            let (m, _, r) = run(parse, "paste#9", &text);
            r.unwrap();
            assert_eq!(m.ps_errors.len(), 1, "{at}");
            assert_eq!(m.ps_errors[0].cmdlet.as_deref(), Some("Get-HnsNetwork"));
        }
    }

    #[test]
    fn partial_record_without_header_keeps_its_tail() {
        let text = "    + CategoryInfo          : ObjectNotFound: (vEthernet (nat):String) [Get-NetAdapter], CimJobException\n    + FullyQualifiedErrorId : CmdletizationQuery_NotFound_Name,Get-NetAdapter\n";
        let (m, _, r) = run(parse, "paste#3", text);
        r.unwrap();
        assert_eq!(m.ps_errors.len(), 1);
        assert_eq!(m.ps_errors[0].cmdlet.as_deref(), Some("Get-NetAdapter"));
        assert!(m.ps_errors[0].message.contains("ObjectNotFound"));
    }

    #[test]
    fn quiet_on_format_list_and_broken_without_records() {
        let text = "Name        : nat\nType        : NAT\nSubnets     : {172.24.0.0/20}\n";
        assert_eq!(detect(text), 0);
        let (m, _, r) = run(parse, "paste#4", text);
        assert!(matches!(r, Err(ParseError::Broken { line: 1, .. })));
        assert!(m.ps_errors.is_empty() && m.log_events.is_empty());
        assert!(detect(include_str!("../fixtures/pserror/records.txt")) >= 85);
    }
}
