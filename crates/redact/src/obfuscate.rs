//! Obfuscation (`hnsdoctor redact --obfuscate`): addresses and names replaced by consistent
//! stand-ins that keep the relations the rules rely on.
//!
//! * **IPv4** — prefix-preserving: bit *i* of the stand-in is bit *i* of the address XOR a keyed
//!   function of the bits before it, so two addresses sharing a /n prefix share a /n prefix after
//!   mapping; a CIDR `a/n` becomes `map(a)/n` masked to n bits, which holds exactly the mapped
//!   addresses of the original. Only bits 8..24 (after the kept class prefix) change: the last
//!   octet stays (`.0` network, `.1` gateway, `.255` broadcast conventions keep their meaning).
//! * **Addresses whose value has a meaning** stay as they are, by design: `0.0.0.0/8`,
//!   loopback `127/8`, link-local `169.254/16` (APIPA: `apipa-management-ip`), multicast
//!   `224/4`, reserved `240/4` (with `255.255.255.255`) and subnet masks (contiguous ones). The
//!   class of the others is kept: `10/8`, `172.16/12`, `192.168/16`, `100.64/10` stay private
//!   or shared address space, public addresses keep their first octet. Cluster addresses such
//!   as the DNS VIP `10.96.0.10` are mapped like any other: the rules relate them (VIP inside
//!   the service CIDR, LB VIP equal to the DNS address), they never compare them with a value.
//! * **IPv6** — the same scheme over bits 0..112 (`::`, `::1`, multicast `ff00::/8`, v4-mapped
//!   stay; link-local `fe80::/10` keeps its /64, unique-local `fc00::/7` and global `2000::/3`
//!   keep their class prefix). Written back in the standard compressed form.
//! * **MAC addresses** — the vendor half (OUI: `00-15-5D` is Hyper-V) stays, the device half
//!   goes through a keyed permutation (distinct MACs stay distinct); broadcast and multicast MACs
//!   stay. Separator and letter case are kept.
//! * **Host names** — learnt from what names a host (`Host Name . . . : X`, `"host"`,
//!   `"hostname"`, `"NodeName"`, `"ComputerName"` keys, `<Computer>` in event XML,
//!   `COMPUTERNAME=`, `--hostname-override`), then
//!   replaced as whole words everywhere, case-insensitively, by `host-xxxxxx` (upper-case when
//!   the original was).
//! * **Domain names** — every label but the top-level one is mapped label by label (a shared
//!   parent domain stays shared); well-known domains whose names the rules and the reader need
//!   stay (`cluster.local` service names, `microsoft.com`, `windows.net`, `k8s.io`, …).
//! * **Keywords** (`--keyword`) — replaced case-insensitively wherever they occur by
//!   `keyword-N`.
//!
//! Everything is a function of a 32-byte key: the same key gives the same stand-ins (the
//! mapping file keeps the key, so later runs with the same file stay consistent). The mapping
//! goes only to a private local file, never into the output.

use regex::bytes::{Captures, Regex};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

/// The private record of a run: the key and every replacement made.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Mapping {
    /// Hex of the 32-byte key all stand-ins derive from.
    pub key: String,
    /// IPv4/IPv6 addresses and CIDRs: original → stand-in.
    pub addresses: BTreeMap<String, String>,
    /// MAC addresses.
    pub macs: BTreeMap<String, String>,
    /// Host names (lower case).
    pub hosts: BTreeMap<String, String>,
    /// Domain labels (lower case).
    pub domain_labels: BTreeMap<String, String>,
    /// User-given keywords.
    pub keywords: BTreeMap<String, String>,
}

/// Domains (and their subdomains) left as they are: the rules read some of these names and
/// none of them identifies a customer.
pub const KEPT_DOMAINS: &[&str] = &[
    "cluster.local",
    "microsoft.com",
    "windows.net",
    "windows.com",
    "windowsupdate.com",
    "azure.com",
    "azure.net",
    "azurecr.io",
    "azmk8s.io",
    "k8s.io",
    "kubernetes.io",
    "docker.io",
    "docker.com",
    "gcr.io",
    "github.com",
    "githubusercontent.com",
    "golang.org",
    "projectcalico.org",
    "tigera.io",
    "example.com",
    "example.org",
    "in-addr.arpa",
    "ip6.arpa",
];

/// Top-level domains a name must end with to be taken for a domain name (file names such as
/// `kubelet.log` or `networks.json` must not be).
const TLDS: &str = "com|net|org|io|local|internal|corp|lan|home|intra|intranet|cloud|dev|app|biz|info|gov|edu|mil|int|us|uk|de|fr|nl|jp|cn|in|au|ca|ch|se|no|dk|fi|it|es|pl|ru|br|kr|arpa|ad|test";

struct Patterns {
    ipv4: Regex,
    ipv6: Regex,
    mac: Regex,
    domain: Regex,
    host_sources: Vec<Regex>,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).unwrap_or_else(|e| panic!("obfuscation pattern {s}: {e}"));
        Patterns {
            // Whole runs of digits and dots, judged afterwards (versions like 10.0.17763.1234
            // are runs of five numbers or hold numbers above 255).
            ipv4: re(r"(?-u)[0-9]+(?:\.[0-9]+)+(?:/[0-9]{1,2}\b)?"),
            ipv6: re(r"(?-u)(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:/[0-9]{1,3}\b)?"),
            mac: re(
                r"(?-u)(?i)\b[0-9a-f]{2}(?:-[0-9a-f]{2}){5}\b|\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b",
            ),
            domain: re(&format!(
                r"(?-u)(?i)\b(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{TLDS})\b"
            )),
            host_sources: vec![
                re(r"(?-u)(?i)Host ?Name[ .]*: *([A-Za-z0-9][A-Za-z0-9_-]{1,62})"),
                re(
                    r#"(?-u)(?i)"(?:host|hostname|host_name|nodename|node_name|computername|computer_name|machinename)"\s*:\s*"([A-Za-z0-9][A-Za-z0-9_-]{1,62})""#,
                ),
                re(r"(?-u)<Computer>([A-Za-z0-9][A-Za-z0-9_-]{1,62})[.<]"),
                re(r"(?-u)(?i)\b(?:COMPUTERNAME|hostname-override)[= ]\x22?([A-Za-z0-9][A-Za-z0-9_-]{1,62})\b"),
            ],
        }
    })
}

/// Names that are never taken for a host name.
fn generic_host(name: &str) -> bool {
    name.len() < 3
        || matches!(
            name.to_ascii_lowercase().as_str(),
            "localhost" | "host" | "node" | "null" | "none" | "true" | "false" | "unknown"
        )
}

/// Consistent stand-ins for one key; [`Obfuscator::mapping`] is the private record.
#[derive(Debug)]
pub struct Obfuscator {
    key: [u8; 32],
    map: Mapping,
    host_re: Option<Regex>,
    keyword_re: Option<Regex>,
    v4_cache: HashMap<u32, u32>,
}

impl Obfuscator {
    /// A new obfuscator with `key`, replacing `keywords` (case-insensitively) as well.
    #[must_use]
    pub fn new(key: [u8; 32], keywords: &[String]) -> Self {
        let mut map = Mapping {
            key: hex(&key),
            ..Mapping::default()
        };
        let mut kws: Vec<&String> = keywords.iter().filter(|k| !k.trim().is_empty()).collect();
        // Longest first, so a keyword inside another does not split it.
        kws.sort_by_key(|k| std::cmp::Reverse(k.len()));
        for (i, k) in kws.iter().enumerate() {
            map.keywords
                .insert((*k).clone(), format!("keyword-{}", i + 1));
        }
        let keyword_re = (!kws.is_empty()).then(|| {
            let alt: Vec<String> = kws.iter().map(|k| regex::escape(k)).collect();
            Regex::new(&format!("(?i){}", alt.join("|")))
                .unwrap_or_else(|e| panic!("keywords: {e}"))
        });
        Self {
            key,
            map,
            host_re: None,
            keyword_re,
            v4_cache: HashMap::new(),
        }
    }

    /// A key from a mapping file's `key`, if it is 64 hex digits.
    #[must_use]
    pub fn key_from_hex(s: &str) -> Option<[u8; 32]> {
        let b = s.as_bytes();
        if b.len() != 64 {
            return None;
        }
        let mut key = [0u8; 32];
        for (i, k) in key.iter_mut().enumerate() {
            *k = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(key)
    }

    /// Learn the host names a text names (call on every file before [`Self::apply`]).
    pub fn learn_hosts(&mut self, text: &[u8]) {
        let mut added = false;
        for re in &patterns().host_sources {
            for c in re.captures_iter(text) {
                let Some(name) = c.get(1).map(|m| String::from_utf8_lossy(m.as_bytes())) else {
                    continue;
                };
                if generic_host(&name) {
                    continue;
                }
                let lower = name.to_ascii_lowercase();
                if !self.map.hosts.contains_key(&lower) {
                    let stand_in =
                        format!("host-{}", &hex(&self.prf(b"host", lower.as_bytes()))[..6]);
                    self.map.hosts.insert(lower, stand_in);
                    added = true;
                }
            }
        }
        if added {
            let mut names: Vec<&String> = self.map.hosts.keys().collect();
            names.sort_by_key(|n| std::cmp::Reverse(n.len()));
            let alt: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
            self.host_re = Regex::new(&format!(r"(?-u)(?i)\b(?:{})\b", alt.join("|"))).ok();
        }
    }

    /// The private record so far.
    #[must_use]
    pub fn mapping(&self) -> &Mapping {
        &self.map
    }

    /// Obfuscate one text (UTF-8 or any ASCII-compatible 8-bit encoding).
    pub fn apply(&mut self, text: &[u8]) -> Vec<u8> {
        let p = patterns();
        let mut cur = text.to_vec();
        if let Some(re) = self.keyword_re.clone() {
            let kws = self.map.keywords.clone();
            cur = re
                .replace_all(&cur, |c: &Captures| {
                    let m = String::from_utf8_lossy(&c[0]).to_lowercase();
                    kws.iter()
                        .find(|(k, _)| k.to_lowercase() == m)
                        .map_or_else(|| b"keyword".to_vec(), |(_, v)| v.clone().into_bytes())
                })
                .into_owned();
        }
        cur = p
            .mac
            .replace_all(&cur, |c: &Captures| self.mac(&c[0]))
            .into_owned();
        cur = p
            .ipv4
            .replace_all(&cur, |c: &Captures| {
                let start = c.get(0).map_or(0, |m| m.start());
                if is_version_value(&cur[..start]) {
                    return c[0].to_vec();
                }
                self.ipv4_token(&c[0]).unwrap_or_else(|| c[0].to_vec())
            })
            .into_owned();
        // IPv6 candidates are judged with their neighbours: a token followed by `.` is the
        // front of something else (`::ffff:10.0.0.1`, a version), and `12:00:00` is a time.
        let mut out = Vec::with_capacity(cur.len());
        let mut last = 0;
        for m in p.ipv6.find_iter(&cur) {
            let next = cur.get(m.end()).copied();
            let prev = m.start().checked_sub(1).and_then(|i| cur.get(i)).copied();
            if next == Some(b'.')
                || next.is_some_and(|b| b.is_ascii_alphanumeric())
                || prev.is_some_and(|b| b.is_ascii_alphanumeric() || b == b':')
            {
                continue;
            }
            if let Some(new) = self.ipv6_token(m.as_bytes()) {
                out.extend_from_slice(&cur[last..m.start()]);
                out.extend_from_slice(&new);
                last = m.end();
            }
        }
        out.extend_from_slice(&cur[last..]);
        cur = out;
        cur = p
            .domain
            .replace_all(&cur, |c: &Captures| self.domain(&c[0]))
            .into_owned();
        if let Some(re) = self.host_re.clone() {
            cur = re
                .replace_all(&cur, |c: &Captures| {
                    let orig = String::from_utf8_lossy(&c[0]).into_owned();
                    let new = self
                        .map
                        .hosts
                        .get(&orig.to_ascii_lowercase())
                        .cloned()
                        .unwrap_or_else(|| orig.clone());
                    same_case(&orig, &new).into_bytes()
                })
                .into_owned();
        }
        cur
    }

    fn prf(&self, tag: &[u8], data: &[u8]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update((tag.len() as u64).to_le_bytes());
        h.update(tag);
        h.update(data);
        h.finalize().into()
    }

    /// Prefix-preserving map of the bits `from..to` of a 128-bit value (IPv4 uses the top 32).
    fn prefix_preserve(&self, tag: &[u8], v: u128, width: u32, from: u32, to: u32) -> u128 {
        let mut out = v;
        for i in from..to {
            // Bit i counted from the most significant of `width` bits.
            let shift = width - 1 - i;
            let prefix = if i == 0 { 0 } else { v >> (width - i) };
            let mut data = [0u8; 20];
            data[..16].copy_from_slice(&prefix.to_be_bytes());
            data[16..].copy_from_slice(&i.to_be_bytes());
            let flip = u128::from(self.prf(tag, &data)[0] & 1);
            out ^= flip << shift;
        }
        out
    }

    /// The stand-in of one IPv4 address.
    pub fn map_ipv4(&mut self, a: Ipv4Addr) -> Ipv4Addr {
        let v = u32::from(a);
        if let Some(m) = self.v4_cache.get(&v) {
            return Ipv4Addr::from(*m);
        }
        let keep = ipv4_kept_bits(a);
        let m = if keep >= 24 {
            v
        } else {
            let mapped = self.prefix_preserve(b"ipv4", u128::from(v), 32, keep, 24);
            u32::try_from(mapped).unwrap_or(v)
        };
        self.v4_cache.insert(v, m);
        Ipv4Addr::from(m)
    }

    /// The stand-in of one IPv6 address.
    pub fn map_ipv6(&mut self, a: Ipv6Addr) -> Ipv6Addr {
        let keep = ipv6_kept_bits(a);
        if keep >= 112 {
            return a;
        }
        Ipv6Addr::from(self.prefix_preserve(b"ipv6", u128::from(a), 128, keep, 112))
    }

    fn ipv4_token(&mut self, tok: &[u8]) -> Option<Vec<u8>> {
        let s = std::str::from_utf8(tok).ok()?;
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u32>().ok().filter(|l| *l <= 32)?)),
            None => (s, None),
        };
        let parts: Vec<&str> = addr.split('.').collect();
        if parts.len() != 4
            || parts
                .iter()
                .any(|p| p.len() > 3 || (p.len() > 1 && p.starts_with('0')))
        {
            return None;
        }
        let a: Ipv4Addr = addr.parse().ok()?;
        let mut m = self.map_ipv4(a);
        if let Some(len) = len {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            m = Ipv4Addr::from(u32::from(m) & mask);
            if u32::from(a) & mask != u32::from(a) {
                // A host address written with its prefix (10.0.0.4/24): keep the host part.
                m = self.map_ipv4(a);
            }
        }
        let new = match len {
            Some(l) => format!("{m}/{l}"),
            None => m.to_string(),
        };
        if new != s {
            self.map.addresses.insert(s.to_string(), new.clone());
        }
        Some(new.into_bytes())
    }

    fn ipv6_token(&mut self, tok: &[u8]) -> Option<Vec<u8>> {
        let s = std::str::from_utf8(tok).ok()?;
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u32>().ok().filter(|l| *l <= 128)?)),
            None => (s, None),
        };
        if !addr.contains("::") && addr.matches(':').count() != 7 {
            return None;
        }
        let a: Ipv6Addr = addr.parse().ok()?;
        let mut m = self.map_ipv6(a);
        if let Some(len) = len {
            let mask = if len == 0 {
                0
            } else {
                u128::MAX << (128 - len)
            };
            if u128::from(a) & mask == u128::from(a) {
                m = Ipv6Addr::from(u128::from(m) & mask);
            }
        }
        if m == a {
            return None; // keep the original spelling
        }
        let upper = addr.bytes().any(|b| b.is_ascii_uppercase());
        let mut new = m.to_string();
        if upper {
            new = new.to_ascii_uppercase();
        }
        if let Some(l) = len {
            new = format!("{new}/{l}");
        }
        self.map.addresses.insert(s.to_string(), new.clone());
        Some(new.into_bytes())
    }

    fn mac(&mut self, tok: &[u8]) -> Vec<u8> {
        let s = String::from_utf8_lossy(tok).into_owned();
        let sep = if s.contains('-') { '-' } else { ':' };
        let bytes: Vec<u8> = s
            .split(sep)
            .filter_map(|h| u8::from_str_radix(h, 16).ok())
            .collect();
        if bytes.len() != 6 || bytes[0] & 1 == 1 || bytes.iter().all(|b| *b == 0) {
            return tok.to_vec(); // multicast/broadcast or all zero
        }
        let dev = u32::from(bytes[3]) << 16 | u32::from(bytes[4]) << 8 | u32::from(bytes[5]);
        let new_dev = self.permute24(dev);
        let out = [
            bytes[0],
            bytes[1],
            bytes[2],
            (new_dev >> 16) as u8,
            (new_dev >> 8) as u8,
            new_dev as u8,
        ];
        let upper = s.bytes().any(|b| b.is_ascii_uppercase());
        let new: Vec<String> = out
            .iter()
            .map(|b| {
                if upper {
                    format!("{b:02X}")
                } else {
                    format!("{b:02x}")
                }
            })
            .collect();
        let new = new.join(&sep.to_string());
        self.map.macs.insert(s, new.clone());
        new.into_bytes()
    }

    /// A keyed permutation of 24-bit values (four Feistel rounds on 12-bit halves).
    fn permute24(&self, v: u32) -> u32 {
        let (mut l, mut r) = (v >> 12 & 0xfff, v & 0xfff);
        for round in 0u8..4 {
            let f = self.prf(b"mac", &[round, (r >> 8) as u8, r as u8]);
            let f = (u32::from(f[0]) << 8 | u32::from(f[1])) & 0xfff;
            (l, r) = (r, l ^ f);
        }
        l << 12 | r
    }

    fn domain(&mut self, tok: &[u8]) -> Vec<u8> {
        let s = String::from_utf8_lossy(tok).into_owned();
        let lower = s.to_ascii_lowercase();
        if KEPT_DOMAINS
            .iter()
            .any(|k| lower == *k || lower.ends_with(&format!(".{k}")))
        {
            return tok.to_vec();
        }
        let labels: Vec<&str> = s.split('.').collect();
        let Some((tld, rest)) = labels.split_last() else {
            return tok.to_vec();
        };
        let mut out: Vec<String> = Vec::with_capacity(labels.len());
        for l in rest {
            let ll = l.to_ascii_lowercase();
            let new = if let Some(h) = self.map.hosts.get(&ll) {
                h.clone()
            } else if ll.starts_with("host-")
                || ll.starts_with("dom-")
                || ll.starts_with("keyword-")
            {
                ll.clone()
            } else {
                let n = format!("dom-{}", &hex(&self.prf(b"label", ll.as_bytes()))[..6]);
                self.map.domain_labels.insert(ll.clone(), n.clone());
                n
            };
            out.push(same_case(l, &new));
        }
        out.push((*tld).to_string());
        out.join(".").into_bytes()
    }
}

/// Whether four dotted numbers that follow `before` are a version, not an address: written
/// `v1.0.0.0`, or the value of a key that ends in `version` on the same line (`"Version":
/// "1.0.0.0"`, `FileVersion : 10.0.0.1`, `Version 1.0.0.0`). Only the key right before the
/// value counts, so `"Version": 2, "IPAddress": "10.0.0.4"` is still an address.
fn is_version_value(before: &[u8]) -> bool {
    if before.last().is_some_and(|b| matches!(b, b'v' | b'V')) {
        let prev = before.len().checked_sub(2).map(|i| before[i]);
        return !prev.is_some_and(|b| b.is_ascii_alphanumeric());
    }
    let line = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(before, |i| &before[i + 1..]);
    let key_end = line
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'"' | b'\'' | b':' | b'=' | b'.'))
        .map_or(0, |i| i + 1);
    let key = &line[..key_end];
    key.len() >= 7 && key[key.len() - 7..].eq_ignore_ascii_case(b"version")
}

/// How many leading bits of an IPv4 address stay (32: the whole address).
#[must_use]
pub fn ipv4_kept_bits(a: Ipv4Addr) -> u32 {
    let v = u32::from(a);
    let o = a.octets();
    let is_mask = v != 0 && v.leading_ones() + v.trailing_zeros() == 32;
    if o[0] == 0 || o[0] == 127 || a.is_link_local() || o[0] >= 224 || is_mask {
        32
    } else if o[0] == 10 {
        8
    } else if o[0] == 172 && (o[1] & 0xf0) == 16 {
        12
    } else if o[0] == 192 && o[1] == 168 {
        16
    } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
        10
    } else {
        8
    }
}

/// How many leading bits of an IPv6 address stay (≥ 112: the whole address).
#[must_use]
pub fn ipv6_kept_bits(a: Ipv6Addr) -> u32 {
    let v = u128::from(a);
    let s = a.segments();
    if v <= 1 || s[0] >> 8 == 0xff || (s[..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0)) {
        128
    } else if s[0] & 0xffc0 == 0xfe80 {
        64
    } else if s[0] & 0xfe00 == 0xfc00 {
        7
    } else {
        3
    }
}

fn same_case(orig: &str, new: &str) -> String {
    let has_lower = orig.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = orig.bytes().any(|b| b.is_ascii_uppercase());
    if has_upper && !has_lower {
        new.to_ascii_uppercase()
    } else {
        new.to_string()
    }
}

/// Lower-case hex.
#[must_use]
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A fresh random key (from the standard library's per-process random hash keys).
#[must_use]
pub fn random_key() -> [u8; 32] {
    use std::hash::{BuildHasher, Hasher};
    let mut h = Sha256::new();
    for i in 0..4u8 {
        let mut s = std::collections::hash_map::RandomState::new().build_hasher();
        s.write_u8(i);
        h.update(s.finish().to_le_bytes());
    }
    h.update(std::process::id().to_le_bytes());
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.update(d.as_nanos().to_le_bytes());
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ob() -> Obfuscator {
        Obfuscator::new([7; 32], &["Contoso".to_string()])
    }

    fn run(o: &mut Obfuscator, s: &str) -> String {
        o.learn_hosts(s.as_bytes());
        String::from_utf8(o.apply(s.as_bytes())).unwrap()
    }

    #[test]
    fn ipv4_relations_and_special_addresses() {
        let mut o = ob();
        let out = run(
            &mut o,
            "ip 10.244.1.5 gw 10.244.1.1 net 10.244.1.0/24 svc 10.96.0.0/12 dns 10.96.0.10 \
             lo 127.0.0.1 any 0.0.0.0 apipa 169.254.1.9 mc 224.0.0.251 mask 255.255.240.0 \
             ver 10.0.17763.1234 pub 52.1.2.3",
        );
        let w: Vec<&str> = out.split_whitespace().collect();
        let (ip, gw, net, svc, dns) = (w[1], w[3], w[5], w[7], w[9]);
        assert_ne!(ip, "10.244.1.5");
        assert!(ip.starts_with("10.") && ip.ends_with(".5"), "{out}");
        assert_eq!(
            ip.rsplit_once('.').unwrap().0,
            gw.rsplit_once('.').unwrap().0
        );
        assert_eq!(net, format!("{}.0/24", ip.rsplit_once('.').unwrap().0));
        let (sbase, slen) = svc.split_once('/').unwrap();
        assert_eq!(slen, "12");
        let mask = u32::MAX << 20;
        let d: Ipv4Addr = dns.parse().unwrap();
        let b: Ipv4Addr = sbase.parse().unwrap();
        assert_eq!(u32::from(d) & mask, u32::from(b), "{out}");
        for kept in [
            "127.0.0.1",
            "0.0.0.0",
            "169.254.1.9",
            "224.0.0.251",
            "255.255.240.0",
            "10.0.17763.1234",
        ] {
            assert!(out.contains(kept), "{kept} changed: {out}");
        }
        assert!(w[w.len() - 1].starts_with("52."));
        assert!(!out.contains("52.1.2.3"));
    }

    #[test]
    fn four_number_versions_are_not_addresses() {
        let mut o = ob();
        let text = "  \"Version\": \"1.0.0.0\",\n\
                    FileVersion : 10.0.0.1\n\
                    ProductVersion . . : 2.1.0.3\n\
                    plugin v1.2.3.4 ready\n\
                    \"Version\": 2, \"IPAddress\": \"10.0.0.4\"\n\
                    version 1.0.0.0 at 10.1.2.3\n\
                    dev1.2.3.4 Address: 10.0.0.5\n";
        let out = run(&mut o, text);
        for kept in ["1.0.0.0", "10.0.0.1", "2.1.0.3", "v1.2.3.4"] {
            assert!(out.contains(kept), "{kept} changed:\n{out}");
        }
        for gone in ["10.0.0.4", "10.1.2.3", "dev1.2.3.4", "10.0.0.5"] {
            assert!(!out.contains(gone), "{gone} left in:\n{out}");
        }
    }

    #[test]
    fn ipv6_mac_hosts_domains_keywords() {
        let mut o = ob();
        let text = "   Host Name . . . . . . . . . . . . : AKSWIN000001\n\
                    addr fd00:10:244:1::5 ll fe80::1c2:3%7 lo ::1 [::]:53 at 12:00:00\n\
                    mac 00-15-5D-01-02-03 mac2 00:15:5d:01:02:04 bc FF-FF-FF-FF-FF-FF\n\
                    node akswin000001.contoso.local svc kube-dns.kube-system.svc.cluster.local\n\
                    img mcr.microsoft.com/oss/kubernetes/pause:3.9 file kubelet.log owner Contoso Ltd\n";
        let out = run(&mut o, text);
        for gone in [
            "AKSWIN000001",
            "akswin000001",
            "fd00:10:244:1::5",
            "01-02-03",
            "01:02:04",
            "contoso",
            "Contoso",
        ] {
            assert!(!out.contains(gone), "{gone} left in:\n{out}");
        }
        for kept in [
            "::1",
            "[::]:53",
            "12:00:00",
            "00-15-5D-",
            "00:15:5d:",
            "FF-FF-FF-FF-FF-FF",
            "kube-dns.kube-system.svc.cluster.local",
            "mcr.microsoft.com/oss",
            "kubelet.log",
            "%7",
            "keyword-1 Ltd",
        ] {
            assert!(out.contains(kept), "{kept} lost:\n{out}");
        }
        assert!(out.contains("fe80::"), "{out}");
        let host = o.mapping().hosts["akswin000001"].clone();
        assert!(out.contains(&host.to_ascii_uppercase()), "{out}");
        assert!(out.contains(&format!("{host}.keyword-1.local")), "{out}");
    }

    #[test]
    fn same_key_same_stand_ins_and_distinct_macs_stay_distinct() {
        let a = run(
            &mut ob(),
            "10.1.2.3 00-15-5D-00-00-01 00-15-5D-00-00-02 x.corp",
        );
        let b = run(
            &mut ob(),
            "10.1.2.3 00-15-5D-00-00-01 00-15-5D-00-00-02 x.corp",
        );
        assert_eq!(a, b);
        let w: Vec<&str> = a.split_whitespace().collect();
        assert_ne!(w[1], w[2]);
        let c = run(
            &mut Obfuscator::new([8; 32], &[]),
            "10.1.2.3 00-15-5D-00-00-01 00-15-5D-00-00-02 x.corp",
        );
        assert_ne!(a, c);
        assert_eq!(Obfuscator::key_from_hex(&hex(&[7; 32])), Some([7; 32]));
    }
}
