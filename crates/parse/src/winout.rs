//! Shared helpers for the parsers of Windows command output (`ipconfig`, `netsh`, `route`, `sc`,
//! `reg`, PowerShell Format-Table/List text): the collector's own error text (→ `Skip`), leader-dot
//! keys (`Host Name . . . . : x`), value shapes (IPv4, IPv6, MAC) and summary bookkeeping.
//!
//! Pipeline stage: **parsers**. Private to this crate; each artefact module documents its format.

use crate::ParseError;
use std::net::{Ipv4Addr, Ipv6Addr};

/// `Err(Skip)` when `text` is empty or begins with a collector error message
/// ([`crate::skip::COLLECTOR_ERRORS`], first five lines).
pub(crate) fn check_skip(text: &str) -> Result<(), ParseError> {
    crate::skip::check(text, &crate::skip::COMMAND)
}

pub(crate) use crate::skip::{mark, skip_line};

/// Dotted IPv4 address.
pub(crate) fn is_ipv4(s: &str) -> bool {
    s.parse::<Ipv4Addr>().is_ok()
}

/// IPv6 address, optionally with a `%zone` suffix.
pub(crate) fn is_ipv6(s: &str) -> bool {
    let base = s.split('%').next().unwrap_or(s);
    base.parse::<Ipv6Addr>().is_ok()
}

/// MAC address `00-15-5D-A4-20-01` or `00:15:5d:a4:20:01` (exactly six hex pairs).
pub(crate) fn is_mac(s: &str) -> bool {
    let sep = if s.contains('-') { '-' } else { ':' };
    let parts: Vec<&str> = s.split(sep).collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Split an ipconfig/netsh style `Key . . . . : value` line at the first `:` and strip the dot
/// leaders (and the French non-breaking space before the colon) from the key. `None` when the
/// line has no colon.
pub(crate) fn split_leader(line: &str) -> Option<(&str, &str)> {
    let (k, v) = line.split_once(':')?;
    let key = k
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace() || c == '\u{a0}')
        .trim_start();
    Some((key, v.trim()))
}

/// A `reg query` value line `    Name    REG_TYPE    data` → (name, type, data). The name may
/// contain single spaces; `data` may be empty.
pub(crate) fn reg_value(line: &str) -> Option<(&str, &str, &str)> {
    if !line.starts_with(' ') {
        return None;
    }
    let body = line.trim();
    let at = body.find("    REG_")?;
    let name = body.get(..at)?.trim();
    let rest = body.get(at..)?.trim_start();
    let (ty, data) = match rest.find(char::is_whitespace) {
        Some(i) => (rest.get(..i)?, rest.get(i..)?.trim()),
        None => (rest, ""),
    };
    if name.is_empty() || !ty.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        return None;
    }
    Some((name, ty, data))
}

/// A `REG_DWORD` / `REG_QWORD` datum as `reg query` prints it (`0x1552`), or decimal.
pub(crate) fn reg_number(data: &str) -> Option<u32> {
    let d = data.trim();
    match d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => d.parse().ok(),
    }
}

/// Decode a fixture as Windows wrote it (UTF-16LE with BOM from PowerShell 5.1 `>`, UTF-8 with
/// or without BOM, OEM text…) through the production decoder, `hnsdoctor_bundle::text::decode`,
/// so parser tests read fixtures exactly as `analyze` reads files. Test helper.
#[cfg(test)]
pub(crate) fn decode(bytes: &[u8]) -> String {
    match hnsdoctor_bundle::text::decode("fixture", bytes) {
        Ok(d) => d.text,
        Err(e) => panic!("fixture does not decode: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(is_ipv4("10.240.0.35"));
        assert!(!is_ipv4("10.240.0"));
        assert!(is_ipv6("fe80::1c2d:3e4f:5a6b:7c8d%7"));
        assert!(!is_ipv6("Hybrid"));
        assert!(is_mac("00-15-5D-A4-20-01"));
        assert!(!is_mac("00-01-00-01-2C-5E-8A-10-00-15-5D-A4-20-01"));
    }

    #[test]
    fn leader_split() {
        assert_eq!(
            split_leader("   Host Name . . . . . . . . . . . . : AKSWIN000000"),
            Some(("Host Name", "AKSWIN000000"))
        );
        assert_eq!(
            split_leader("   Adresse IPv4. . . . . . . . . . . . . .\u{a0}: 192.168.1.10(préféré)"),
            Some(("Adresse IPv4", "192.168.1.10(préféré)"))
        );
    }

    #[test]
    fn reg_lines() {
        assert_eq!(
            reg_value("    UBR    REG_DWORD    0x1552"),
            Some(("UBR", "REG_DWORD", "0x1552"))
        );
        assert_eq!(
            reg_value("    ProductName    REG_SZ    Windows Server 2019 Datacenter"),
            Some(("ProductName", "REG_SZ", "Windows Server 2019 Datacenter"))
        );
        assert_eq!(
            reg_value("    (Default)    REG_SZ"),
            Some(("(Default)", "REG_SZ", ""))
        );
        assert_eq!(reg_value("HKEY_LOCAL_MACHINE\\SOFTWARE"), None);
        assert_eq!(reg_number("0x1552"), Some(5458));
        assert_eq!(reg_number("0xff"), Some(255));
        assert_eq!(reg_number("x"), None);
    }

    #[test]
    fn skip_detection() {
        assert!(matches!(check_skip("  \n\n"), Err(ParseError::Skip { .. })));
        let err =
            check_skip("\nThe requested operation requires elevation (Run as administrator).\n");
        assert!(
            matches!(err, Err(ParseError::Skip { ref reason }) if reason.contains("requires elevation"))
        );
        assert!(check_skip("Protocol tcp Dynamic Port Range").is_ok());
    }

    #[test]
    fn decode_utf16() {
        let mut b = vec![0xFF, 0xFE];
        for u in "a\r\nb".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&b), "a\nb");
    }
}
