//! [`Addr`]: an address parsed once into a typed key (an IP, or normalised text for what is no
//! address), so joins by address are hash lookups. Used by the rules' model index and by the
//! [`crate::packet_path`] view.

use std::net::IpAddr;

/// Parse an IP address, tolerating a `/prefix`, a `%zone` and surrounding whitespace
/// (`10.0.0.1/24` → `10.0.0.1`).
#[must_use]
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let s = s.split('/').next().unwrap_or(s);
    let s = s.split('%').next().unwrap_or(s);
    s.parse().ok()
}

/// A normalised address: an IP (`10.0.0.1/24` and `fe80::1%3` reduced to the address), or for
/// text that is no address the trimmed lower-case text — the meaning of
/// `same_ip` in the rules crate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Addr {
    /// An IP address.
    Ip(IpAddr),
    /// Not an address, normalised.
    Other(Box<str>),
}

impl Addr {
    /// Parse an address (never fails: non-addresses become [`Addr::Other`]).
    #[must_use]
    pub fn parse(s: &str) -> Self {
        match parse_ip(s) {
            Some(ip) => Self::Ip(ip),
            None => Self::Other(s.trim().to_ascii_lowercase().into_boxed_str()),
        }
    }

    /// The IP, when it is one.
    #[must_use]
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Self::Ip(ip) => Some(*ip),
            Self::Other(_) => None,
        }
    }
}
