//! Windows services: `sc query` / `sc queryex` and `Get-Service` (table or list).
//!
//! * **Commands:** `sc.exe queryex [name]`, `sc.exe query [name]`, `Get-Service hns, vmcompute, …`
//!   (default table `Status Name DisplayName`) or `Get-Service … | Format-List *`.
//! * **Bundle paths:** `services/scqueryex.txt`, `services/services.txt`. **Legacy CollectLogs:**
//!   `scqueryex.txt`, `windowsServices.txt`.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), OEM/UTF-8 from cmd.exe.
//! * **sc shape:** blocks starting `SERVICE_NAME: hns`, then `DISPLAY_NAME:` and indented
//!   `STATE : 4  RUNNING`, `PID : 2816` (the labels are not translated; the state is read from its
//!   number: 1 stopped, 4 running, 2/3/5/6 pending, 7 paused). A query for a missing service prints
//!   `[SC] … OpenService FAILED 1060:` and "The specified service does not exist as an installed
//!   service." without the name: the service is recorded as `Missing` when the name is known
//!   from a command echo (`sc.exe queryex kubeproxy`) just before, else a warning is added.
//! * **Get-Service shapes:** a `Status Name DisplayName` table (cut cells end in `...`; the name
//!   is then skipped with a reason) or Format-List records with `Name`, `DisplayName`, `Status`,
//!   `StartType`. `Get-Service : Cannot find any service with service name 'x'.` → `x` Missing.
//! * Service names are lower-cased. A service already in the model (from another file) is
//!   updated field by field, not replaced.
//! * **Partial input:** empty / collector error text → `Skip`; no service block, row or record →
//!   `Broken` at the first line.
//!
//! Fact: [`Fact::Services`].
//!
//! ```
//! use hnsdoctor_parse::{services, HostModel, Input, InputSummary, Fact, };
//! use hnsdoctor_model::ServiceState;
//! let text = "\nSERVICE_NAME: hns\nDISPLAY_NAME: Host Network Service\n        TYPE               : 20  WIN32_SHARE_PROCESS\n        STATE              : 4  RUNNING\n        PID                : 2816\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! services::parse(&Input::new("scqueryex.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.services[0].state, ServiceState::Running);
//! assert_eq!(model.services[0].pid, Some(2816));
//! assert!(model.has(Fact::Services));
//! ```

use crate::psformat::{parse_list, parse_tables};
use crate::winout::{check_skip, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{Service, ServiceState};

/// Content detector.
#[must_use]
pub fn detect(text: &str) -> u8 {
    if text.contains("SERVICE_NAME:") {
        return 95;
    }
    // Get-Service: a table header `Status   Name   DisplayName`, or list records whose keys
    // *start* with Status / Name / DisplayName (not e.g. a firewall rule's `PrimaryStatus`).
    let key = |l: &str, k: &str| {
        l.strip_prefix(k)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    };
    let mut table = false;
    let (mut status, mut name, mut display) = (false, false, false);
    for l in text.lines().take(400) {
        let t = l.trim_start();
        let words: Vec<&str> = t.split_whitespace().collect();
        if words.starts_with(&["Status", "Name", "DisplayName"]) {
            table = true;
        }
        status |= key(t, "Status");
        name |= key(t, "Name");
        display |= key(t, "DisplayName");
    }
    if table || (status && name && display) {
        70
    } else {
        0
    }
}

fn sc_state(v: &str) -> ServiceState {
    match v
        .split_whitespace()
        .next()
        .and_then(|n| n.parse::<u32>().ok())
    {
        Some(1) => ServiceState::Stopped,
        Some(4) => ServiceState::Running,
        Some(2 | 3 | 5 | 6 | 7) => ServiceState::Pending,
        _ => ServiceState::Unknown,
    }
}

fn ps_state(v: &str) -> ServiceState {
    match v.trim().to_ascii_lowercase().as_str() {
        "running" => ServiceState::Running,
        "stopped" => ServiceState::Stopped,
        "startpending" | "stoppending" | "continuepending" | "pausepending" | "paused" => {
            ServiceState::Pending
        }
        _ => ServiceState::Unknown,
    }
}

/// Merge `s` into the model's list (by lower-case name).
fn upsert(model: &mut HostModel, s: Service) {
    if let Some(o) = model.services.iter_mut().find(|o| o.name == s.name) {
        if s.state != ServiceState::Unknown {
            o.state = s.state;
            o.prov = s.prov;
        }
        if s.pid.is_some() {
            o.pid = s.pid;
        }
        if s.display_name.is_some() {
            o.display_name = s.display_name;
        }
        if s.start_type.is_some() {
            o.start_type = s.start_type;
        }
    } else {
        model.services.push(s);
    }
}

/// The service name in a command echo such as `sc.exe queryex kubeproxy` or `> sc query hns`.
fn echoed_name(line: &str) -> Option<String> {
    let mut it = line.split_whitespace().skip_while(|w| {
        let w = w.to_ascii_lowercase();
        !(w == "queryex" || w == "query")
    });
    it.next()?;
    it.next().map(|n| n.trim_matches('"').to_ascii_lowercase())
}

fn parse_sc(input: &Input<'_>, model: &mut HostModel, summary: &mut InputSummary) -> usize {
    let mut n = 0usize;
    let mut cur: Option<Service> = None;
    let mut last_echo: Option<String> = None;
    for (no, raw) in input.lines() {
        let line = raw.trim();
        if let Some(name) = echoed_name(line) {
            last_echo = Some(name);
            continue;
        }
        if let Some(v) = line.strip_prefix("SERVICE_NAME:") {
            if let Some(s) = cur.take() {
                upsert(model, s);
            }
            cur = Some(Service {
                name: v.trim().to_ascii_lowercase(),
                prov: input.prov(no, raw),
                ..Service::default()
            });
            n += 1;
            last_echo = None;
            continue;
        }
        if line.contains("FAILED 1060") || line.contains("does not exist as an installed service") {
            if line.contains("FAILED 1060") {
                match last_echo.take() {
                    Some(name) => {
                        upsert(
                            model,
                            Service {
                                name,
                                state: ServiceState::Missing,
                                prov: input.prov(no, raw),
                                ..Service::default()
                            },
                        );
                        n += 1;
                    }
                    None => summary.warnings.push(format!(
                        "{}:{no}: a queried service does not exist (sc does not print its name)",
                        input.source
                    )),
                }
            }
            continue;
        }
        let Some(s) = cur.as_mut() else { continue };
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        match k.trim() {
            "DISPLAY_NAME" => s.display_name = Some(v.trim().to_string()),
            "STATE" => {
                s.state = sc_state(v);
                s.prov = input.prov(no, raw);
            }
            "PID" => s.pid = v.trim().parse().ok().filter(|p| *p != 0),
            _ => {}
        }
    }
    if let Some(s) = cur.take() {
        upsert(model, s);
    }
    n
}

fn parse_ps(input: &Input<'_>, model: &mut HostModel, summary: &mut InputSummary) -> usize {
    let mut n = 0usize;
    // errors for missing services, e.g. Get-Service : Cannot find any service with service name 'kubeproxy'.
    for (no, raw) in input.lines() {
        if let Some(rest) = raw.split("service name '").nth(1) {
            if let Some(name) = rest.split('\'').next().filter(|s| !s.is_empty()) {
                upsert(
                    model,
                    Service {
                        name: name.to_ascii_lowercase(),
                        state: ServiceState::Missing,
                        prov: input.prov(no, raw),
                        ..Service::default()
                    },
                );
                n += 1;
            }
        }
    }
    for t in parse_tables(input.lines()) {
        if t.col("Name").is_none() || t.col("Status").is_none() {
            continue;
        }
        for row in &t.rows {
            let Some(name) = t.cell(row, "Name").filter(|c| !c.text.is_empty()) else {
                skip_line(summary, row.line, "service row without a name");
                continue;
            };
            if name.truncated {
                skip_line(summary, row.line, "service name cut by the table width");
                continue;
            }
            let display = t
                .cell(row, "DisplayName")
                .filter(|c| !c.text.is_empty())
                .map(|c| {
                    if c.truncated {
                        format!("{}...", c.text)
                    } else {
                        c.text.clone()
                    }
                });
            upsert(
                model,
                Service {
                    name: name.text.to_ascii_lowercase(),
                    display_name: display,
                    state: t
                        .cell(row, "Status")
                        .map_or(ServiceState::Unknown, |c| ps_state(&c.text)),
                    prov: input.prov(row.line, &row.raw),
                    ..Service::default()
                },
            );
            n += 1;
        }
    }
    if n == 0 {
        let doc = parse_list(input.lines());
        for rec in doc.records {
            let Some(name) = rec.non_empty("Name") else {
                continue;
            };
            let Some(status) = rec.field("Status") else {
                continue;
            };
            upsert(
                model,
                Service {
                    name: name.to_ascii_lowercase(),
                    display_name: rec.non_empty("DisplayName").map(str::to_string),
                    state: ps_state(&status.value),
                    start_type: rec.non_empty("StartType").map(str::to_string),
                    pid: None,
                    prov: input.prov(
                        rec.field("Name").map_or(rec.line, |f| f.line),
                        &format!("Name : {name}"),
                    ),
                },
            );
            n += 1;
        }
    }
    n
}

/// Parse sc or Get-Service output.
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no service is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if !input.text.contains("service name '") {
        check_skip(input.text)?;
    }
    let n = if input.text.contains("SERVICE_NAME:") || input.text.contains("FAILED 1060") {
        parse_sc(input, model, summary)
    } else {
        parse_ps(input, model, summary)
    };
    if n == 0 && summary.warnings.is_empty() {
        return Err(ParseError::broken_at_first_line(
            input,
            "sc query blocks (SERVICE_NAME:) or a Get-Service table/list",
        ));
    }
    summary.objects += n;
    mark(model, summary, Fact::Services);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::winout::decode;

    fn run(source: &str, bytes: &[u8]) -> (Result<(), ParseError>, HostModel, InputSummary) {
        crate::testutil::run_fixture(parse, source, bytes)
    }

    fn get<'a>(m: &'a HostModel, name: &str) -> &'a Service {
        m.services.iter().find(|s| s.name == name).unwrap()
    }

    /// A firewall-rule list has `Name`, `DisplayName` and `PrimaryStatus`: not services.
    #[test]
    fn detector_ignores_firewall_rules() {
        let fw = "Name          : KubeletAllow10250\nDisplayName   : kubelet\nEnabled       : True\nDirection     : Inbound\nPrimaryStatus : OK\n";
        assert_eq!(detect(fw), 0);
        let list = "Status      : Running\nName        : hns\nDisplayName : Host Network Service\n";
        assert_eq!(detect(list), 70);
        let table = "\nStatus   Name               DisplayName\n------   ----               -----------\nRunning  hns                Host Network Service\n";
        assert_eq!(detect(table), 70);
    }

    #[test]
    fn sc_queryex_utf16_with_missing() {
        let (r, m, s) = run(
            "scqueryex.txt",
            include_bytes!("../fixtures/services/scqueryex-utf16le.txt"),
        );
        r.unwrap();
        let hns = get(&m, "hns");
        assert_eq!(hns.state, ServiceState::Running);
        assert_eq!(hns.pid, Some(2816));
        assert_eq!(hns.display_name.as_deref(), Some("Host Network Service"));
        assert_eq!(hns.prov.line, 5); // the STATE line
        let kp = get(&m, "kubeproxy");
        assert_eq!(kp.state, ServiceState::Stopped);
        assert_eq!(kp.pid, None);
        let docker = get(&m, "docker");
        assert_eq!(docker.state, ServiceState::Missing);
        assert_eq!(s.warnings.len(), 1);
        assert!(s.warnings[0].contains("scqueryex.txt:"));
        assert!(m.has(Fact::Services));
    }

    #[test]
    fn get_service_table_and_list_merge() {
        let mut m = HostModel::new();
        let text = decode(include_bytes!(
            "../fixtures/services/get-service-table-utf16le.txt"
        ));
        let mut s = InputSummary::default();
        parse(&Input::new("windowsServices.txt", &text), &mut m, &mut s).unwrap();
        assert_eq!(get(&m, "hns").state, ServiceState::Running);
        assert_eq!(get(&m, "kubelet").state, ServiceState::Stopped);
        assert_eq!(get(&m, "vfpext").state, ServiceState::Running);
        assert_eq!(get(&m, "containerd").state, ServiceState::Missing);
        assert_eq!(
            get(&m, "vmcompute").display_name.as_deref(),
            Some("Hyper-V Host Compute Se...")
        );
        assert_eq!(s.skipped_count, 1); // the cut name
        let text = decode(include_bytes!("../fixtures/services/get-service-list.txt"));
        let mut s = InputSummary::default();
        parse(&Input::new("services/services.txt", &text), &mut m, &mut s).unwrap();
        let hns = get(&m, "hns");
        assert_eq!(hns.start_type.as_deref(), Some("Manual"));
        assert_eq!(hns.state, ServiceState::Running);
        assert_eq!(hns.prov.source, "services/services.txt");
        assert_eq!(get(&m, "kubeproxy").state, ServiceState::Pending);
        assert_eq!(s.objects, 2);
    }

    #[test]
    fn skip_and_broken() {
        let (r, _, _) = run("scqueryex.txt", b"\r\n");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (r, _, _) = run(
            "scqueryex.txt",
            b"[SC] OpenSCManager FAILED 5:\r\n\r\nAccess is denied.\r\n",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (r, m, _) = run("scqueryex.txt", b"\r\n\r\nlorem ipsum\r\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 3, .. })));
        assert!(!m.has(Fact::Services));
    }
}
