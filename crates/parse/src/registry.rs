//! DNS client and TCP/IPv6 registry settings: `reg query` and `Get-ItemProperty` text.
//!
//! * **Commands:** `reg query HKLM\SYSTEM\CurrentControlSet\Services\Dnscache\Parameters`
//!   (`MaxCacheTtl`, `MaxNegativeCacheTtl` as `REG_DWORD 0x…`),
//!   `reg query HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters [/v DisabledComponents]`,
//!   `Get-ItemProperty HKLM:\SYSTEM\…\Parameters` (Format-List, decimal values, `PSPath` names
//!   the key). Several queries may be appended in one file.
//! * **Bundle paths:** `registry/dnscache.txt`, `registry/tcpip6.txt`. No legacy CollectLogs file.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), OEM/UTF-8 from cmd.exe.
//!   `reg` labels are not translated; the error line is (only the English one is recognised).
//! * **Facts:** [`Fact::DnsCacheParams`] / [`Fact::Tcpip6Params`] are marked when the *key* was
//!   read, even if the value is absent: no `DisabledComponents` means IPv6 is fully enabled, no
//!   `MaxCacheTtl` means the default. Each value read is recorded in `registry.prov`.
//! * **Errors:** "ERROR: The system was unable to find the specified registry key or value." after
//!   a value query whose command echo is present (`reg query …\Tcpip6\Parameters /v
//!   DisabledComponents`) means the value is absent (fact marked); without such an echo and with
//!   no key read it is treated as a missing key → `Skip`. Empty / collector errors → `Skip`; text
//!   with neither a known key nor an error → `Broken` at its first line.
//!
//! ```
//! use hnsdoctor_parse::{registry, HostModel, Input, InputSummary, Fact};
//! let text = "\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters\n    DisabledComponents    REG_DWORD    0xff\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! registry::parse(&Input::new("registry/tcpip6.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.registry.ipv6_disabled_components, Some(255));
//! assert_eq!(model.registry.prov[0].1.line, 3);
//! assert!(model.has(Fact::Tcpip6Params));
//! ```

use crate::psformat::parse_list;
use crate::winout::{check_skip, mark, reg_number, reg_value};
use crate::{Fact, HostModel, Input, InputSummary, ParseError, Prov};

const NOT_FOUND: &str = "unable to find the specified registry key or value";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Dnscache,
    Tcpip6,
    Other,
}

fn key_of(path: &str) -> Key {
    let p: String = path
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if p.contains(r"services\dnscache\parameters") {
        Key::Dnscache
    } else if p.contains(r"services\tcpip6\parameters") {
        Key::Tcpip6
    } else {
        Key::Other
    }
}

/// Content detector.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let k = key_of(text);
    let head: String = text.chars().take(4096).collect();
    if k == Key::Other {
        return 0;
    }
    if head.contains("    REG_") || head.contains("PSPath") {
        95
    } else {
        40
    }
}

fn set(model: &mut HostModel, key: Key, name: &str, value: Option<u32>, prov: Prov) -> bool {
    let Some(v) = value else { return false };
    let slot = match (key, name.to_ascii_lowercase().as_str()) {
        (Key::Dnscache, "maxcachettl") => &mut model.registry.dns_max_cache_ttl,
        (Key::Dnscache, "maxnegativecachettl") => &mut model.registry.dns_max_negative_cache_ttl,
        (Key::Tcpip6, "disabledcomponents") => &mut model.registry.ipv6_disabled_components,
        _ => return false,
    };
    *slot = Some(v);
    model.registry.prov.retain(|(n, _)| n != name);
    model.registry.prov.push((name.to_string(), prov));
    true
}

fn fact(k: Key) -> Option<Fact> {
    match k {
        Key::Dnscache => Some(Fact::DnsCacheParams),
        Key::Tcpip6 => Some(Fact::Tcpip6Params),
        Key::Other => None,
    }
}

/// Parse reg query / Get-ItemProperty output for the Dnscache and Tcpip6 keys.
///
/// # Errors
/// `Skip` for empty input, collector errors or a missing key; `Broken` when nothing is recognised.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let mut keys_read: Vec<Key> = Vec::new();
    let mut cur = Key::Other;
    let mut echo: Option<Key> = None;
    let mut errors = 0usize;
    let mut values = 0usize;
    for (no, raw) in input.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let low = line.to_ascii_lowercase();
        if low.contains("reg query") || low.contains("reg.exe query") {
            // a command echo: remember the key in case the answer is "not found"
            echo = low.contains("/v ").then(|| key_of(line));
            continue;
        }
        if line.starts_with("HKEY_") || line.starts_with("HKLM\\") {
            cur = key_of(line);
            if cur != Key::Other && !keys_read.contains(&cur) {
                keys_read.push(cur);
            }
            echo = None;
            continue;
        }
        if low.contains(NOT_FOUND) {
            errors += 1;
            if let Some(k) = echo.take().filter(|k| *k != Key::Other) {
                // a value query answered "not found": the key exists, the value is absent
                if !keys_read.contains(&k) {
                    keys_read.push(k);
                }
            }
            continue;
        }
        if let Some((name, _ty, data)) = reg_value(raw) {
            if set(model, cur, name, reg_number(data), input.prov(no, raw)) {
                values += 1;
            }
        }
    }
    if keys_read.is_empty() && input.text.contains("PSPath") {
        for rec in parse_list(input.lines()).records {
            let Some(k) = rec.get("PSPath").map(key_of).filter(|k| *k != Key::Other) else {
                continue;
            };
            if !keys_read.contains(&k) {
                keys_read.push(k);
            }
            for f in &rec.fields {
                let text = format!("{} : {}", f.name, f.value);
                if set(
                    model,
                    k,
                    &f.name,
                    reg_number(&f.value),
                    input.prov(f.line, &text),
                ) {
                    values += 1;
                }
            }
        }
    }
    if keys_read.is_empty() {
        if errors > 0 {
            return Err(ParseError::skip(
                "reg query: the registry key was not found",
            ));
        }
        return Err(ParseError::broken_at_first_line(
            input,
            r"reg query output for Services\Dnscache\Parameters or Services\Tcpip6\Parameters",
        ));
    }
    summary.objects += values;
    for k in keys_read {
        if let Some(f) = fact(k) {
            mark(model, summary, f);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str, bytes: &[u8]) -> (Result<(), ParseError>, HostModel, InputSummary) {
        crate::testutil::run_fixture(parse, source, bytes)
    }

    #[test]
    fn reg_query_both_keys_utf16() {
        let (r, m, s) = run(
            "registry/dnscache.txt",
            include_bytes!("../fixtures/registry/reg-query-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(m.registry.dns_max_cache_ttl, Some(0));
        assert_eq!(m.registry.dns_max_negative_cache_ttl, Some(0));
        assert_eq!(m.registry.ipv6_disabled_components, Some(0xff));
        let p = &m.registry.prov;
        assert_eq!(p[0].0, "MaxCacheTtl");
        assert_eq!(p[0].1.line, 3);
        assert!(m.has(Fact::DnsCacheParams) && m.has(Fact::Tcpip6Params));
        assert_eq!(s.objects, 3);
    }

    #[test]
    fn value_absent_after_echo_marks_fact() {
        let (r, m, _) = run(
            "registry/tcpip6.txt",
            include_bytes!("../fixtures/registry/value-absent.txt"),
        );
        r.unwrap();
        assert_eq!(m.registry.ipv6_disabled_components, None);
        assert!(m.has(Fact::Tcpip6Params));
    }

    #[test]
    fn key_only_without_values_marks_fact() {
        let text = "\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters\n    ServiceDll    REG_EXPAND_SZ    %SystemRoot%\\System32\\dnsrslvr.dll\n";
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        parse(&Input::new("r", text), &mut m, &mut s).unwrap();
        assert!(m.has(Fact::DnsCacheParams));
        assert_eq!(m.registry.dns_max_cache_ttl, None);
    }

    #[test]
    fn get_itemproperty_list() {
        let (r, m, _) = run(
            "registry/dnscache.txt",
            include_bytes!("../fixtures/registry/get-itemproperty-dnscache.txt"),
        );
        r.unwrap();
        assert_eq!(m.registry.dns_max_cache_ttl, Some(30));
        assert_eq!(m.registry.dns_max_negative_cache_ttl, Some(0));
        assert_eq!(m.registry.prov[0].1.line, 2);
        assert!(m.has(Fact::DnsCacheParams) && !m.has(Fact::Tcpip6Params));
    }

    #[test]
    fn missing_key_is_skip_and_garbage_broken() {
        let (r, m, _) = run(
            "registry/tcpip6.txt",
            b"ERROR: The system was unable to find the specified registry key or value.\r\n",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        assert!(m.facts.is_empty());
        let (r, _, _) = run("registry/tcpip6.txt", b"\r\nfoo bar\r\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 2, .. })));
    }
}
