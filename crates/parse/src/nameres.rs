//! Name resolution as people try it: `nslookup`, `ping`, `Resolve-DnsName`, `curl` /
//! `Invoke-WebRequest`, `Test-NetConnection` → [`HostModel::name_resolution`].
//!
//! Pipeline stage: **parsers**. Format id `name-resolution`.
//!
//! **Shapes read.**
//! * `nslookup`: `Server:  <name>` / `Address:  <ip>[#53]` (the server asked), then an answer
//!   (`Name:`, `Address:`/`Addresses:` with indented continuation lines, `Aliases:`) or an error
//!   (`*** <server> can't find <name>: Non-existent domain`, `… : Server failed`,
//!   `DNS request timed out.`, `*** Request to <server> timed-out`, `*** Default servers are not
//!   available`). German `Nicht autorisierende Antwort`, `Server:`/`Address:` in every locale.
//! * `ping`: `Ping request could not find host <name>. …` (also German and French), and
//!   `Pinging <name> [<ip>] with 32 bytes of data:` — resolved. `Request timed out.` is an ICMP
//!   result, not a name-resolution one, and is not read.
//! * `Resolve-DnsName`: the answer table (`Name  Type  TTL  Section  IPAddress`) or list
//!   (`Name : …`, `IPAddress : …`); its error records (`Resolve-DnsName : <name> : This operation
//!   returned because the timeout period expired`, `… : DNS name does not exist`) are read by
//!   [`crate::pserror`] and turned into attempts by [`from_error`].
//! * `Invoke-WebRequest` / `curl` alias: `The remote name could not be resolved: '<name>'`
//!   (PowerShell 7: `No such host is known.`; `Test-Connection`: `Cannot resolve the target name`);
//!   `curl.exe`: `curl: (6) Could not resolve host: <name>`; `Test-NetConnection`:
//!   `WARNING: Name resolution of <name> failed`; Go: `lookup <name> on <ip>:53: no such host`.
//!
//! **Why it matters.** nslookup asks the server itself; ping, curl and Resolve-DnsName go through
//! the DNS client service and its cache. "nslookup answers, ping cannot find the host" is the
//! negative-cache signature; timeouts point at the server or the path to it.
//!
//! **Partial input.** Any one of the shapes is an attempt; a nslookup answer without its
//! `Server:` lines has no server. Lines of no interest are counted as filtered. Text with no
//! attempt at all is `Broken` at its first line. Fact `name-resolution` (and `pasted-log` when
//! error records were read).
//!
//! ```
//! use hnsdoctor_parse::{nameres, Input, HostModel, InputSummary};
//! use hnsdoctor_model::{ResolveOutcome, ResolveTool};
//! let text = "Server:  dns1.corp.example\nAddress:  10.20.0.4\n\n\
//! *** dns1.corp.example can't find build.corp.example: Non-existent domain\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! nameres::parse(&Input::new("paste#1", text), &mut m, &mut s).unwrap();
//! let a = &m.name_resolution[0];
//! assert_eq!((a.tool, a.outcome), (ResolveTool::Nslookup, ResolveOutcome::NotFound));
//! assert_eq!(a.server_address.as_deref(), Some("10.20.0.4"));
//! assert!(a.is_for("build.corp.example"));
//! ```

use crate::logutil::mark;
use crate::winout::{is_ipv4, is_ipv6};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{NameResolution, Prov, ResolveOutcome, ResolveTool};
use regex::Regex;
use std::sync::LazyLock;

static CANT_FIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\*\*\*\s*(?P<server>\S+)\s+can'?t find\s+(?P<name>[^\s:]+)\s*:\s*(?P<why>.+)$",
    )
    .expect("constant regex")
});
static PING_NOT_FOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:ping request could not find host|ping-anforderung konnte host|la requête ping n'a pas pu trouver l'hôte)\s+"?(?P<name>[^\s"]+?)"?\s*(?:\.\s|\.$|nicht|$)"#,
    )
    .expect("constant regex")
});
static PINGING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:pinging|ping wird ausgeführt für|envoi d'une requête 'ping' sur)\s+(?P<name>\S+)\s+\[(?P<ip>[0-9a-f:.]+)\]")
        .expect("constant regex")
});
static REMOTE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)the remote name could not be resolved:?\s*'?(?P<name>[^'\s]*)'?")
        .expect("constant regex")
});
static CURL_EXE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)curl: \(6\) could not resolve host:\s*(?P<name>\S+)").expect("constant regex")
});
static TNC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)name resolution of\s+(?P<name>\S+)\s+failed").expect("constant regex")
});
static GO_LOOKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)lookup\s+(?P<name>[^\s:]+)\s+on\s+(?P<server>[0-9a-f.:\[\]]+?)(?::53)?:\s*(?P<why>no such host|i/o timeout|server misbehaving|read udp[^\n]*timeout)")
        .expect("constant regex")
});
/// `<name> : <message>` inside a Resolve-DnsName error message.
static RDN_MSG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<name>[^\s:]+)\s*:\s*(?P<msg>.+)$").expect("constant regex"));

fn outcome_of(msg: &str) -> ResolveOutcome {
    let low = msg.to_ascii_lowercase();
    if low.contains("timed out")
        || low.contains("timed-out")
        || low.contains("timeout")
        || low.contains("zeitüberschreitung")
        || low.contains("délai")
    {
        ResolveOutcome::TimedOut
    } else if low.contains("no dns servers")
        || low.contains("no servers could be reached")
        || low.contains("default servers are not available")
        || low.contains("server failed")
        || low.contains("server misbehaving")
        || low.contains("no response from server")
        || low.contains("unreachable")
    {
        ResolveOutcome::ServerUnreachable
    } else if low.contains("non-existent domain")
        || low.contains("does not exist")
        || low.contains("could not find host")
        || low.contains("could not be resolved")
        || low.contains("could not resolve")
        || low.contains("no such host")
        || low.contains("nicht gefunden")
        || low.contains("nicht finden")
        || low.contains("name resolution of")
        || low.contains("no records")
    {
        ResolveOutcome::NotFound
    } else {
        ResolveOutcome::Failed
    }
}

/// A name-resolution attempt from a PowerShell error record (`Resolve-DnsName`,
/// `Invoke-WebRequest`/`curl`, `Test-NetConnection`), or `None` when the record is about
/// something else.
#[must_use]
pub fn from_error(
    cmdlet: Option<&str>,
    message: &str,
    error_id: Option<&str>,
    prov: &Prov,
) -> Option<NameResolution> {
    let cmd = cmdlet.unwrap_or("").to_ascii_lowercase();
    let id = error_id.unwrap_or("").to_ascii_lowercase();
    if cmd == "resolve-dnsname" || id.contains("resolvednsname") {
        let (name, msg) = match RDN_MSG.captures(message.trim()) {
            Some(c) => (Some(c["name"].to_string()), c["msg"].to_string()),
            None => (None, message.to_string()),
        };
        let mut outcome = outcome_of(&msg);
        if id.starts_with("error_timeout") {
            outcome = ResolveOutcome::TimedOut;
        } else if id.starts_with("dns_error_rcode_name_error") {
            outcome = ResolveOutcome::NotFound;
        }
        return Some(NameResolution {
            tool: ResolveTool::ResolveDnsName,
            name,
            outcome,
            prov: prov.clone(),
            ..NameResolution::default()
        });
    }
    let low = message.to_ascii_lowercase();
    let web = cmd.contains("webrequest") || cmd.contains("restmethod") || id.contains("webcmdlet");
    if (web || cmd == "test-connection")
        && (low.contains("no such host is known") || low.contains("cannot resolve the target name"))
    {
        return Some(NameResolution {
            tool: if web {
                ResolveTool::WebRequest
            } else {
                ResolveTool::Other
            },
            outcome: ResolveOutcome::NotFound,
            prov: prov.clone(),
            ..NameResolution::default()
        });
    }
    if let Some(c) = REMOTE_NAME.captures(message) {
        let name = Some(c["name"].to_string()).filter(|n| !n.is_empty());
        return Some(NameResolution {
            tool: ResolveTool::WebRequest,
            name,
            outcome: ResolveOutcome::NotFound,
            prov: prov.clone(),
            ..NameResolution::default()
        });
    }
    None
}

/// One nslookup query being read.
#[derive(Default)]
struct Ns {
    server: Option<String>,
    server_address: Option<String>,
    answer: Option<NameResolution>,
    in_addresses: bool,
}

/// Parse name-resolution output. See the module doc.
///
/// # Errors
/// `Skip` for empty input; `Broken` at the first line when no attempt is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if input.text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    let before = model.name_resolution.len();
    let records = crate::pserror::scan(input, model, summary);
    let mut out: Vec<NameResolution> = Vec::new();
    let mut ns = Ns::default();
    let mut table_cols: Option<(usize, usize, usize)> = None; // Name, Type, IPAddress offsets
    let mut last_list_name: Option<(String, Prov)> = None;
    for (no, raw) in input.lines() {
        let t = raw.trim();
        let prov = input.prov(no, raw);
        if t.is_empty() {
            if let Some(a) = ns.answer.take() {
                out.push(a);
            }
            ns.in_addresses = false;
            table_cols = None;
            continue;
        }
        let low = t.to_ascii_lowercase();
        // nslookup
        if let Some(v) = key_value(t, &["server"]) {
            if let Some(a) = ns.answer.take() {
                out.push(a);
            }
            ns = Ns {
                server: Some(v.to_string()),
                ..Ns::default()
            };
            continue;
        }
        if let Some(v) = key_value(
            t,
            &["address", "addresses", "adresse", "adressen", "addresse"],
        ) {
            let ip = v.split('#').next().unwrap_or(v).trim().to_string();
            match ns.answer.as_mut() {
                Some(a) => {
                    a.addresses.push(ip);
                    ns.in_addresses = true;
                }
                None if ns.server.is_some() && ns.server_address.is_none() => {
                    ns.server_address = Some(ip);
                }
                None => {}
            }
            continue;
        }
        if ns.in_addresses && raw.starts_with(' ') && (is_ipv4(t) || is_ipv6(t)) {
            if let Some(a) = ns.answer.as_mut() {
                a.addresses.push(t.to_string());
            }
            continue;
        }
        ns.in_addresses = false;
        if let Some(v) = key_value(t, &["name"]) {
            if table_cols.is_none() && (ns.server.is_some() || ns.answer.is_none()) && !v.is_empty()
            {
                if let Some(a) = ns.answer.take() {
                    out.push(a);
                }
                if ns.server.is_some() {
                    ns.answer = Some(NameResolution {
                        tool: ResolveTool::Nslookup,
                        name: Some(v.to_string()),
                        server: ns.server.clone(),
                        server_address: ns.server_address.clone(),
                        outcome: ResolveOutcome::Resolved,
                        prov: prov.clone(),
                        ..NameResolution::default()
                    });
                } else {
                    // a Resolve-DnsName list record
                    last_list_name = Some((v.to_string(), prov.clone()));
                }
                continue;
            }
        }
        if let Some(v) = key_value(t, &["aliases", "alias"]) {
            if let Some(a) = ns.answer.as_mut() {
                a.aliases.push(v.to_string());
            }
            continue;
        }
        if let Some(v) = key_value(t, &["ipaddress", "ip4address", "ip6address"]) {
            if let Some((name, p)) = last_list_name.take() {
                out.push(NameResolution {
                    tool: ResolveTool::ResolveDnsName,
                    name: Some(name),
                    outcome: ResolveOutcome::Resolved,
                    addresses: vec![v.to_string()],
                    prov: p,
                    ..NameResolution::default()
                });
            }
            continue;
        }
        if let Some(c) = CANT_FIND.captures(t) {
            out.push(NameResolution {
                tool: ResolveTool::Nslookup,
                name: Some(c["name"].to_string()),
                server: ns.server.clone().or_else(|| Some(c["server"].to_string())),
                server_address: ns.server_address.clone(),
                outcome: outcome_of(&c["why"]),
                prov,
                ..NameResolution::default()
            });
            continue;
        }
        if low.starts_with("dns request timed out")
            || (low.starts_with("***") && (low.contains("timed-out") || low.contains("timed out")))
            || low.starts_with("*** default servers are not available")
            || low.starts_with("*** no internal type for both ipv4 and ipv6")
        {
            let outcome = outcome_of(&low);
            // nslookup prints one "timed out" per retry: keep one attempt per query
            let dup = out.last().is_some_and(|a: &NameResolution| {
                a.tool == ResolveTool::Nslookup
                    && a.outcome == outcome
                    && a.name.is_none()
                    && a.server == ns.server
            });
            if !dup {
                out.push(NameResolution {
                    tool: ResolveTool::Nslookup,
                    server: ns.server.clone(),
                    server_address: ns.server_address.clone(),
                    outcome,
                    prov,
                    ..NameResolution::default()
                });
            }
            continue;
        }
        // ping
        if let Some(c) = PING_NOT_FOUND.captures(t) {
            out.push(NameResolution {
                tool: ResolveTool::Ping,
                name: Some(c["name"].trim_end_matches('.').to_string()),
                outcome: ResolveOutcome::NotFound,
                prov,
                ..NameResolution::default()
            });
            continue;
        }
        if let Some(c) = PINGING.captures(t) {
            out.push(NameResolution {
                tool: ResolveTool::Ping,
                name: Some(c["name"].to_string()),
                outcome: ResolveOutcome::Resolved,
                addresses: vec![c["ip"].to_string()],
                prov,
                ..NameResolution::default()
            });
            continue;
        }
        // Resolve-DnsName table
        if let Some(cols) = rdn_header(raw) {
            table_cols = Some(cols);
            continue;
        }
        if let Some((name_at, type_at, ip_at)) = table_cols {
            if t.starts_with("----") {
                continue;
            }
            let cell = |at: usize| {
                raw.get(at..)
                    .unwrap_or("")
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
            };
            let (name, kind, ip) = (cell(name_at), cell(type_at), cell(ip_at));
            if !name.is_empty()
                && (is_ipv4(ip) || is_ipv6(ip) || kind.eq_ignore_ascii_case("CNAME"))
            {
                let addresses = if is_ipv4(ip) || is_ipv6(ip) {
                    vec![ip.to_string()]
                } else {
                    Vec::new()
                };
                out.push(NameResolution {
                    tool: ResolveTool::ResolveDnsName,
                    name: Some(name.to_string()),
                    outcome: ResolveOutcome::Resolved,
                    addresses,
                    prov,
                    ..NameResolution::default()
                });
                continue;
            }
        }
        // one-line failures of other tools (records were read by pserror::scan)
        let (tool, name) = if let Some(c) = CURL_EXE.captures(t) {
            (ResolveTool::Curl, Some(c["name"].to_string()))
        } else if let Some(c) = TNC.captures(t) {
            (ResolveTool::TestNetConnection, Some(c["name"].to_string()))
        } else if let Some(c) = GO_LOOKUP.captures(t) {
            out.push(NameResolution {
                tool: ResolveTool::Other,
                name: Some(c["name"].to_string()),
                server_address: Some(c["server"].trim_matches(['[', ']']).to_string()),
                outcome: outcome_of(&c["why"]),
                prov,
                ..NameResolution::default()
            });
            continue;
        } else if REMOTE_NAME.is_match(t) && records == 0 {
            let c = REMOTE_NAME.captures(t);
            (
                ResolveTool::WebRequest,
                c.map(|c| c["name"].to_string()).filter(|n| !n.is_empty()),
            )
        } else {
            summary.filtered_lines += 1;
            continue;
        };
        out.push(NameResolution {
            tool,
            name,
            outcome: ResolveOutcome::NotFound,
            prov,
            ..NameResolution::default()
        });
    }
    if let Some(a) = ns.answer.take() {
        out.push(a);
    }
    summary.objects += out.len();
    model.name_resolution.extend(out);
    if model.name_resolution.len() == before {
        return Err(ParseError::broken_at_first_line(
            input,
            "nslookup, ping, Resolve-DnsName or curl name-resolution output",
        ));
    }
    mark(model, summary, Fact::NameResolution);
    Ok(())
}

/// `Key:  value` (nslookup, any spacing) or `Key : value` (Format-List) for one of `keys`.
fn key_value<'a>(t: &'a str, keys: &[&str]) -> Option<&'a str> {
    let (k, v) = t.split_once(':')?;
    let k = k.trim();
    if keys.iter().any(|x| k.eq_ignore_ascii_case(x)) {
        Some(v.trim())
    } else {
        None
    }
}

/// The Resolve-DnsName table header: offsets of Name, Type and IPAddress (or NameHost).
fn rdn_header(raw: &str) -> Option<(usize, usize, usize)> {
    let words: Vec<&str> = raw.split_whitespace().collect();
    if words.first() != Some(&"Name") || !words.contains(&"Type") || !words.contains(&"Section") {
        return None;
    }
    let at = |w: &str| raw.find(w);
    let ip = at("IPAddress").or_else(|| at("NameHost"))?;
    Some((at("Name")?, at("Type")?, ip))
}

/// Detector: nslookup `Server:`/`Address:` with an answer or error, ping's host lines, the
/// Resolve-DnsName table or error record, curl's "could not be resolved" (96 for the lookup error
/// records, above [`crate::pserror::detect`]'s 95).
#[must_use]
pub fn detect(text: &str) -> u8 {
    let mut server = false;
    let mut score = 0u8;
    for l in text.lines().take(400) {
        let t = l.trim();
        let low = t.to_ascii_lowercase();
        if key_value(t, &["server"]).is_some() {
            server = true;
        }
        let s = if CANT_FIND.is_match(t) || PING_NOT_FOUND.is_match(t) {
            92
        } else if server
            && (low.starts_with("non-authoritative answer")
                || low.starts_with("nicht autorisierende antwort")
                || low.starts_with("réponse ne faisant pas autorité")
                || low.starts_with("dns request timed out")
                || key_value(t, &["name"]).is_some())
        {
            90
        } else if (low.starts_with("resolve-dnsname") && t.contains(" : "))
            || REMOTE_NAME.is_match(t)
        {
            // above a plain PowerShell error record (95): the record is a lookup, and this
            // reader reads its records too
            96
        } else if rdn_header(l).is_some() || CURL_EXE.is_match(t) || TNC.is_match(t) {
            88
        } else if PINGING.is_match(t) {
            80
        } else if server && low.starts_with("address") {
            45
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

    fn by_tool(m: &HostModel, t: ResolveTool) -> Vec<&NameResolution> {
        m.name_resolution.iter().filter(|a| a.tool == t).collect()
    }

    #[test]
    fn nslookup_answers_but_client_tools_fail_utf16() {
        let (r, m, _) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/nameres/nslookup-ping-curl-utf16le.txt"),
        );
        r.unwrap();
        let ns = by_tool(&m, ResolveTool::Nslookup);
        assert_eq!(ns.len(), 1, "{:?}", m.name_resolution);
        assert_eq!(ns[0].outcome, ResolveOutcome::Resolved);
        assert_eq!(
            ns[0].server.as_deref(),
            Some("coredns.kube-system.svc.cluster.local")
        );
        assert_eq!(ns[0].server_address.as_deref(), Some("10.96.0.10"));
        assert_eq!(ns[0].addresses.len(), 4, "continuation addresses");
        assert!(ns[0].is_for("assets.example-cdn.net"), "alias matches");
        let ping = by_tool(&m, ResolveTool::Ping);
        assert_eq!(ping[0].outcome, ResolveOutcome::NotFound);
        assert!(ping[0].is_for("assets.example-cdn.net"));
        let web = by_tool(&m, ResolveTool::WebRequest);
        assert_eq!(web.len(), 1, "the curl error record");
        assert_eq!(web[0].name.as_deref(), Some("assets.example-cdn.net"));
        assert_eq!(m.ps_errors.len(), 1);
        assert!(m.has(Fact::NameResolution) && m.has(Fact::PastedLog));
    }

    #[test]
    fn resolve_dnsname_timeouts_and_table() {
        let (r, m, _) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/nameres/resolve-dnsname.txt"),
        );
        r.unwrap();
        let rdn = by_tool(&m, ResolveTool::ResolveDnsName);
        assert_eq!(rdn.len(), 4, "{rdn:?}");
        assert_eq!(rdn[0].name.as_deref(), Some("login.example.org"));
        assert_eq!(rdn[0].outcome, ResolveOutcome::TimedOut);
        assert_eq!(
            rdn[1].name.as_deref(),
            Some("svc-a.default"),
            "wrapped category re-joined"
        );
        assert_eq!(rdn[1].outcome, ResolveOutcome::TimedOut);
        assert_eq!(rdn[2].outcome, ResolveOutcome::NotFound);
        assert_eq!(rdn[3].outcome, ResolveOutcome::Resolved);
        assert_eq!(rdn[3].addresses, ["93.184.10.20"]);
    }

    #[test]
    fn nslookup_timeouts_and_nxdomain() {
        let text = "DNS request timed out.\n    timeout was 2 seconds.\nServer:  UnKnown\nAddress:  10.96.0.10\n\nDNS request timed out.\n    timeout was 2 seconds.\nDNS request timed out.\n    timeout was 2 seconds.\n*** Request to UnKnown timed-out\n";
        let (m, _, r) = run(parse, "paste#2", text);
        r.unwrap();
        assert!(detect(text) >= 90);
        let ns = by_tool(&m, ResolveTool::Nslookup);
        assert!(ns.iter().all(|a| a.outcome == ResolveOutcome::TimedOut));
        assert!(ns
            .iter()
            .any(|a| a.server_address.as_deref() == Some("10.96.0.10")));
        assert!(ns.len() <= 3, "{ns:?}");
    }

    #[test]
    fn partial_ping_line_alone_and_german_ping() {
        let (m, _, r) = run(
            parse,
            "paste#3",
            "Die Ping-Anforderung konnte Host \"registry.intern.example\" nicht finden. Überprüfen Sie den Namen, und versuchen Sie es erneut.\n",
        );
        r.unwrap();
        assert_eq!(
            m.name_resolution[0].name.as_deref(),
            Some("registry.intern.example")
        );
        assert_eq!(m.name_resolution[0].outcome, ResolveOutcome::NotFound);
    }

    #[test]
    fn powershell_7_wordings() {
        let p = Prov::new("paste#5", 1);
        let a = from_error(
            Some("Invoke-WebRequest"),
            "No such host is known.",
            None,
            &p,
        )
        .unwrap();
        assert_eq!(
            (a.tool, a.outcome),
            (ResolveTool::WebRequest, ResolveOutcome::NotFound)
        );
        let r = from_error(
            Some("Resolve-DnsName"),
            "db.example : DNS name does not exist.",
            None,
            &p,
        )
        .unwrap();
        assert_eq!(r.name.as_deref(), Some("db.example"));
        assert_eq!(r.outcome, ResolveOutcome::NotFound);
        assert!(from_error(Some("Get-HnsNetwork"), "No such host is known.", None, &p).is_none());
    }

    #[test]
    fn quiet_on_other_text() {
        let text = "Name    : nat\nType    : NAT\nSubnets : {172.24.0.0/20}\n";
        assert!(detect(text) < 30);
        let (m, _, r) = run(parse, "paste#4", text);
        assert!(matches!(r, Err(ParseError::Broken { .. })));
        assert!(m.name_resolution.is_empty());
    }
}
