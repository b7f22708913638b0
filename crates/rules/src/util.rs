//! Small helpers shared by rules: IP/CIDR parsing (the arithmetic is `ipnet`'s), log-line
//! matching, formatting.

use hnsdoctor_model::{HostModel, LogEvent};
use ipnet::IpNet;
use std::net::IpAddr;

/// Parse an IP address, tolerating a `/prefix`, a `%zone` and surrounding whitespace (the
/// model's parser, which [`hnsdoctor_model::Addr`] uses too).
pub use hnsdoctor_model::parse_ip;

/// Parse a CIDR `a.b.c.d/n` (or a bare address as a host route), tolerating whitespace around
/// either part. The address keeps its host bits (`10.0.0.1/24` stays that), as written.
#[must_use]
pub fn parse_cidr(s: &str) -> Option<IpNet> {
    let s = s.trim();
    match s.split_once('/') {
        Some((ip, len)) => IpNet::new(ip.trim().parse().ok()?, len.trim().parse().ok()?).ok(),
        None => s.parse::<IpAddr>().ok().map(IpNet::from),
    }
}

/// Whether `ip` lies inside `cidr`.
#[must_use]
pub fn cidr_contains(cidr: &str, ip: &str) -> bool {
    let (Some(net), Some(ip)) = (parse_cidr(cidr), parse_ip(ip)) else {
        return false;
    };
    net.contains(&ip)
}

/// Whether an address is IPv4 link-local (APIPA, 169.254.0.0/16).
#[must_use]
pub fn is_apipa(ip: &str) -> bool {
    matches!(parse_ip(ip), Some(IpAddr::V4(v4)) if v4.is_link_local())
}

/// Same address (parsed comparison, so `10.0.0.1` equals `10.0.0.1/24`).
#[must_use]
pub fn same_ip(a: &str, b: &str) -> bool {
    match (parse_ip(a), parse_ip(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

/// Log lines whose message contains any of `needles` (case-insensitive) or carries any of
/// `codes` (HRESULT form, see `hnsdoctor_kb::codes::win32_to_hresult`).
#[must_use]
pub fn log_matches<'m>(model: &'m HostModel, needles: &[&str], codes: &[u32]) -> Vec<&'m LogEvent> {
    let needles: Vec<String> = needles.iter().map(|n| n.to_ascii_lowercase()).collect();
    model
        .log_events
        .iter()
        .filter(|e| {
            e.error_codes.iter().any(|c| codes.contains(c)) || {
                let m = e.message.to_ascii_lowercase();
                needles.iter().any(|n| m.contains(n.as_str()))
            }
        })
        .collect()
}

/// Whether a message contains a needle, case-insensitively (ASCII; no allocation).
#[must_use]
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return true;
    }
    h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// `n thing` / `n things`.
#[must_use]
/// A log message quoted in prose: `"msg"`, or — when the message carries double quotes itself
/// (klog's structured `"Error adding pod" err="…"`) — `'msg'`, so no `""` appears; a message
/// with both kinds of quote is set off by a colon-space only.
pub fn quote(msg: &str) -> String {
    let msg = msg.trim();
    if !msg.contains('"') {
        format!("\"{msg}\"")
    } else if !msg.contains('\'') {
        format!("'{msg}'")
    } else {
        msg.to_string()
    }
}

/// `n word` or `n words`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Join at most `max` items with `, ` and add `… (N more)`.
#[must_use]
pub fn list<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut s = items
        .iter()
        .take(max)
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        s.push_str(&format!(" … ({} more)", items.len() - max));
    }
    s
}

/// Protocol number → name.
#[must_use]
pub fn proto_name(p: u32) -> String {
    hnsdoctor_model::protocol::name(p).map_or_else(|| format!("protocol {p}"), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_never_doubles_a_quote() {
        assert_eq!(quote("Element not found"), "\"Element not found\"");
        assert_eq!(
            quote(r#""Error adding pod" err="x""#),
            r#"'"Error adding pod" err="x"'"#
        );
        assert_eq!(quote(r#"it's "x""#), r#"it's "x""#);
    }

    #[test]
    fn cidr_math() {
        assert!(cidr_contains("10.96.0.0/12", "10.96.0.10"));
        assert!(cidr_contains("10.96.0.0/12", "10.111.255.255"));
        assert!(!cidr_contains("10.96.0.0/12", "10.112.0.1"));
        assert!(!cidr_contains("garbage", "10.0.0.1"));
        assert!(cidr_contains("fd00::/8", "fd12::1"));
        assert!(is_apipa("169.254.12.3"));
        assert!(!is_apipa("10.0.0.1"));
        assert!(same_ip("10.0.0.1/24", "10.0.0.1"));
        assert_eq!(list(&["a", "b", "c"], 2), "a, b … (1 more)");
        let net = parse_cidr("10.96.0.0/12").unwrap();
        assert!(net.contains(&"10.97.1.2".parse::<IpAddr>().unwrap()));
        assert!(!net.contains(&"fd00::1".parse::<IpAddr>().unwrap()));
        assert_eq!(
            parse_cidr(" 10.0.0.1 / 24 ").unwrap().to_string(),
            "10.0.0.1/24"
        );
        assert_eq!(parse_cidr("10.0.0.1").unwrap().to_string(), "10.0.0.1/32");
        assert_eq!(parse_cidr("::1").unwrap().to_string(), "::1/128");
        assert!(parse_cidr("10.0.0.0/33").is_none());
        assert!(parse_cidr("0.0.0.0/0")
            .unwrap()
            .contains(&"8.8.8.8".parse::<IpAddr>().unwrap()));
        assert!(contains_ci("HNS Failed: Element NOT found", "element not"));
        assert!(!contains_ci("abc", "abcd"));
        assert!(contains_ci("abc", ""));
    }
}
