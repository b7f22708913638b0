//! `ipconfig /all` and `ipconfig /allcompartments /all`: adapters, addresses, gateways, DNS
//! servers per compartment.
//!
//! * **Commands:** `ipconfig /allcompartments /all` (hnsdoctor, collectlogs), `ipconfig /all`.
//! * **Bundle path:** `net/ipconfig.txt`. **Legacy CollectLogs:** `ip.txt` — the ipconfig output
//!   followed by `Get-NetIPAddress` / `Get-NetIPInterface -IncludeAllCompartments` lists; those
//!   PowerShell lines are not parsed here: they are recorded as one skipped line with a reason
//!   and a warning naming the line range.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), OEM/UTF-8 from cmd.exe.
//! * **Shape:** optional compartment banners (`=====` lines around "Network Information for
//!   Compartment N (ACTIVE)"; the number and a parenthesised marker are read, not the words),
//!   a global block (Host Name …), then adapter blocks headed `<type> adapter <name>:` at column
//!   0, with `   Key . . . . : value` lines and continuation lines (further DNS servers,
//!   gateways) indented to the value column. Values may carry `(Preferred)` and `%zone`.
//! * **Locales:** keys are matched against a table of labels in English, German, French,
//!   Japanese, Chinese (Simplified) and Korean; addresses are also recognised by shape (a key
//!   containing `IPv4`/`IPv6` with an address value, a key containing `DNS` with an IP value, a
//!   `255.…` mask after an IPv4 address), and a MAC only when it has the MAC shape. Adapter
//!   headers are split on the localized word for "adapter" (`adapter`, `-Adapter`, `Carte …`,
//!   `アダプター`, `适配器`, `어댑터`); unknown header shapes keep the whole header as the name.
//!   Address states are normalised to `Preferred`/`Deprecated`/`Tentative`/`Duplicate` when
//!   known, else kept as printed.
//! * **Partial input:** unknown keys are ignored (ipconfig has many we do not need); a text
//!   without any ipconfig structure → `Broken` at its first line; empty / collector error →
//!   `Skip`. A cut-off file keeps the adapters read so far.
//! * **No adapter at all:** inside a pod without a NIC, `ipconfig /all` prints only the global
//!   block. When that block was shown through its `WINS Proxy Enabled` line (the last key of the
//!   block in every locale) and no adapter header follows, the compartment gets
//!   `no_adapters = true` — a fact, distinct from an output cut off before its adapters.
//!
//! Facts: [`Fact::IpConfig`], and [`Fact::IpConfigAllCompartments`] when compartment banners
//! were present.
//!
//! ```
//! use hnsdoctor_parse::{ipconfig, HostModel, Input, InputSummary, Fact};
//! let text = "\nWindows IP Configuration\n\n   Host Name . . . . . . . . . . . . : node1\n\n\
//!             Ethernet adapter vEthernet (nat):\n\n\
//!             \x20  IPv4 Address. . . . . . . . . . . : 172.20.16.1(Preferred)\n\
//!             \x20  Subnet Mask . . . . . . . . . . . : 255.255.240.0\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! ipconfig::parse(&Input::new("net/ipconfig.txt", text), &mut model, &mut summary).unwrap();
//! let adapter = &model.net.compartments[0].adapters[0];
//! assert_eq!(adapter.name, "vEthernet (nat)");
//! assert_eq!(adapter.ipv4[0].prefix_length, Some(20));
//! assert!(model.has(Fact::IpConfig) && !model.has(Fact::IpConfigAllCompartments));
//! ```

use crate::winout::{check_skip, is_ipv4, is_ipv6, is_mac, mark, skip_line, split_leader};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{Compartment, IpAdapter, IpAddrInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    HostName,
    DnsSuffix,
    Description,
    Mac,
    Dhcp,
    Ipv4,
    Ipv6,
    Mask,
    Gateway,
    DnsServers,
    Media,
    Other,
}

/// Known labels (lower case, single-spaced) per key.
const LABELS: &[(Key, &[&str])] = &[
    (
        Key::HostName,
        &[
            "host name",
            "hostname",
            "nom de l'hôte",
            "ホスト名",
            "主机名",
            "호스트 이름",
        ],
    ),
    (
        Key::DnsSuffix,
        &[
            "connection-specific dns suffix",
            "verbindungsspezifisches dns-suffix",
            "suffixe dns propre à la connexion",
            "接続固有の dns サフィックス",
            "连接特定的 dns 后缀",
            "연결별 dns 접미사",
        ],
    ),
    (
        Key::Description,
        &["description", "beschreibung", "説明", "描述", "설명"],
    ),
    (
        Key::Mac,
        &[
            "physical address",
            "physische adresse",
            "adresse physique",
            "物理アドレス",
            "物理地址",
            "물리적 주소",
        ],
    ),
    (
        Key::Dhcp,
        &[
            "dhcp enabled",
            "dhcp aktiviert",
            "dhcp activé",
            "dhcp 有効",
            "dhcp 已启用",
            "dhcp 사용",
        ],
    ),
    (
        Key::Mask,
        &[
            "subnet mask",
            "subnetzmaske",
            "masque de sous-réseau",
            "サブネット マスク",
            "子网掩码",
            "서브넷 마스크",
        ],
    ),
    (
        Key::Gateway,
        &[
            "default gateway",
            "standardgateway",
            "passerelle par défaut",
            "デフォルト ゲートウェイ",
            "默认网关",
            "기본 게이트웨이",
        ],
    ),
    (
        Key::DnsServers,
        &[
            "dns servers",
            "dns-server",
            "serveurs dns",
            "dns サーバー",
            "dns 服务器",
            "dns 서버",
        ],
    ),
    (
        Key::Media,
        &[
            "media state",
            "medienstatus",
            "statut du média",
            "メディアの状態",
            "媒体状态",
            "미디어 상태",
        ],
    ),
];

const YES: &[&str] = &["yes", "ja", "oui", "はい", "是", "예"];
const NO: &[&str] = &["no", "nein", "non", "いいえ", "否", "아니요"];

/// Localized address states → canonical.
const STATES: &[(&str, &[&str])] = &[
    (
        "Preferred",
        &[
            "preferred",
            "bevorzugt",
            "préféré",
            "優先",
            "首选",
            "기본 설정",
        ],
    ),
    (
        "Deprecated",
        &[
            "deprecated",
            "veraltet",
            "déconseillé",
            "推奨されない",
            "已弃用",
            "사용되지 않음",
        ],
    ),
    (
        "Tentative",
        &["tentative", "vorläufig", "provisoire", "仮", "暂定", "임시"],
    ),
    (
        "Duplicate",
        &["duplicate", "doppelt", "dupliqué", "重複", "重复", "중복"],
    ),
];

/// Localized titles of the output (lower case), for the detector.
const TITLES: &[&str] = &[
    "windows ip configuration",
    "windows-ip-konfiguration",
    "configuration ip de windows",
    "windows ip 構成",
    "windows ip 配置",
    "windows ip 구성",
];

/// Content detector.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let head: String = text.chars().take(4096).collect::<String>().to_lowercase();
    if TITLES.iter().any(|t| head.contains(t)) {
        95
    } else if head.contains(". . . :") && head.contains("ipv4") {
        60
    } else {
        0
    }
}

fn classify(label: &str, value: &str) -> Key {
    let norm = label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if let Some((k, _)) = LABELS.iter().find(|(_, ls)| ls.contains(&norm.as_str())) {
        return *k;
    }
    let first = value.split_whitespace().next().unwrap_or("");
    let addr = strip_addr(first).0;
    if norm.contains("ipv4") && !norm.contains("dhcp") && is_ipv4(&addr) {
        return Key::Ipv4;
    }
    if norm.contains("ipv6") && is_ipv6(&addr) {
        return Key::Ipv6;
    }
    if norm.contains("dns") && (is_ipv4(&addr) || is_ipv6(&addr)) {
        return Key::DnsServers;
    }
    Key::Other
}

/// `10.0.0.4(Preferred)` / `fe80::1%7(Preferred)` → (address without zone, state).
fn strip_addr(v: &str) -> (String, Option<String>) {
    let v = v.trim();
    let (addr, state) = match v.split_once('(') {
        Some((a, s)) => (a.trim(), Some(s.trim_end_matches(')').trim())),
        None => (v, None),
    };
    let addr = addr.split('%').next().unwrap_or(addr).to_string();
    let state = state.filter(|s| !s.is_empty()).map(|s| {
        let low = s.to_lowercase();
        STATES
            .iter()
            .find(|(_, ls)| ls.contains(&low.as_str()))
            .map_or_else(|| s.to_string(), |(c, _)| (*c).to_string())
    });
    (addr, state)
}

fn mask_prefix(mask: &str) -> Option<u8> {
    let ip: std::net::Ipv4Addr = mask.parse().ok()?;
    let bits = u32::from(ip);
    let ones = bits.leading_ones();
    if bits.checked_shl(ones).unwrap_or(0) != 0 {
        return None; // not contiguous
    }
    u8::try_from(ones).ok()
}

/// Split an adapter header (without the trailing colon) into (kind, name).
fn split_header(h: &str) -> (Option<String>, String) {
    for word in [
        " adapter ",
        "-Adapter ",
        " Adapter ",
        " アダプター ",
        " 어댑터 ",
    ] {
        if let Some((k, n)) = h.split_once(word) {
            return (Some(k.trim().to_string()), n.trim().to_string());
        }
    }
    if let Some((k, n)) = h.split_once("适配器") {
        return (Some(k.trim().to_string()), n.trim().to_string());
    }
    if let Some(rest) = h.strip_prefix("Carte ") {
        for kind in ["réseau sans fil", "Ethernet", "Tunnel", "inconnue"] {
            if let Some(n) = rest.strip_prefix(kind) {
                if n.starts_with(' ') {
                    return (Some(kind.to_string()), n.trim().to_string());
                }
            }
        }
        if let Some((k, n)) = rest.split_once(' ') {
            return (Some(k.to_string()), n.trim().to_string());
        }
    }
    (None, h.trim().to_string())
}

fn indent(raw: &str) -> usize {
    raw.chars().take_while(|c| *c == ' ' || *c == '\t').count()
}

/// A column-0 line that starts PowerShell output (`IPAddress         : 10.0.0.4`, or a table
/// header): the end of the ipconfig part of collectlogs `ip.txt`.
fn starts_powershell(raw: &str, next: Option<&str>) -> bool {
    if raw.starts_with(' ') || raw.trim().is_empty() {
        return false;
    }
    if let Some((name, _)) = crate::psformat::split_list_line(raw) {
        let single_word = !name.contains(' ') && name.chars().all(|c| c.is_ascii_alphanumeric());
        let padded = raw.contains("  :");
        if single_word && padded {
            return true;
        }
    }
    next.is_some_and(|n| crate::psformat::is_dash_line(n) && n.split_whitespace().count() >= 2)
}

struct State {
    compartments: Vec<Compartment>,
    adapter: Option<IpAdapter>,
    last: Key,
}

impl State {
    fn comp(&mut self, input: &Input<'_>) -> &mut Compartment {
        if self.compartments.is_empty() {
            self.compartments.push(Compartment {
                prov: input.prov(input.first_line, ""),
                ..Compartment::default()
            });
        }
        let last = self.compartments.len() - 1;
        &mut self.compartments[last]
    }

    fn flush(&mut self, input: &Input<'_>) {
        if let Some(a) = self.adapter.take() {
            self.comp(input).adapters.push(a);
        }
    }
}

fn apply(a: &mut IpAdapter, key: Key, value: &str) {
    let (addr, state) = strip_addr(value);
    match key {
        Key::DnsSuffix if !value.is_empty() => a.dns_suffix = Some(value.to_string()),
        Key::Description if !value.is_empty() => a.description = Some(value.to_string()),
        Key::Mac if is_mac(value) => a.mac = Some(value.to_ascii_uppercase().replace(':', "-")),
        Key::Dhcp => {
            let low = value.to_lowercase();
            if YES.contains(&low.as_str()) {
                a.dhcp = Some(true);
            } else if NO.contains(&low.as_str()) {
                a.dhcp = Some(false);
            }
        }
        Key::Ipv4 if is_ipv4(&addr) => a.ipv4.push(IpAddrInfo {
            address: addr,
            prefix_length: None,
            state,
        }),
        Key::Ipv6 if is_ipv6(&addr) => a.ipv6.push(IpAddrInfo {
            address: addr,
            prefix_length: None,
            state,
        }),
        Key::Mask => {
            if let (Some(p), Some(last)) = (mask_prefix(value), a.ipv4.last_mut()) {
                if last.prefix_length.is_none() {
                    last.prefix_length = Some(p);
                }
            }
        }
        Key::Gateway if is_ipv4(&addr) || is_ipv6(&addr) => a.gateways.push(addr),
        Key::DnsServers if is_ipv4(&addr) || is_ipv6(&addr) => a.dns_servers.push(addr),
        Key::Media if !value.is_empty() => a.disconnected = true,
        _ => {}
    }
}

/// Parse ipconfig output.
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no ipconfig structure is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let lines: Vec<(u32, &str)> = input.lines().collect();
    let mut st = State {
        compartments: Vec::new(),
        adapter: None,
        last: Key::Other,
    };
    let mut banners = false;
    let mut prev_banner = false;
    let mut recognised = false;
    let mut stop: Option<usize> = None;
    for (i, &(no, raw)) in lines.iter().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if line.len() >= 10 && line.chars().all(|c| c == '=') {
            prev_banner = !prev_banner;
            continue;
        }
        if prev_banner {
            // the compartment title between two banner lines
            st.flush(input);
            banners = true;
            recognised = true;
            let id = line
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| !w.is_empty())
                .and_then(|w| w.parse().ok());
            st.compartments.push(Compartment {
                id,
                active: line.contains('('),
                prov: input.prov(no, raw),
                ..Compartment::default()
            });
            continue;
        }
        let next = lines.get(i + 1).map(|(_, l)| *l);
        if starts_powershell(raw, next) {
            stop = Some(i);
            break;
        }
        let ind = indent(raw);
        if ind == 0 {
            let t = line.trim_end_matches([' ', '\u{a0}']);
            if let Some(h) = t.strip_suffix(':') {
                st.flush(input);
                let (kind, name) = split_header(h.trim_end_matches([' ', '\u{a0}']));
                st.adapter = Some(IpAdapter {
                    name,
                    kind,
                    prov: input.prov(no, raw),
                    ..IpAdapter::default()
                });
                st.last = Key::Other;
                recognised = true;
            } else if TITLES.contains(&line.to_lowercase().as_str()) {
                recognised = true;
            } else {
                skip_line(summary, no, "not an ipconfig line");
            }
            continue;
        }
        if ind >= 10 || split_leader(raw).is_none() {
            // continuation of a multi-value key
            if let Some(a) = st.adapter.as_mut() {
                apply(a, st.last, line);
            }
            continue;
        }
        let Some((label, value)) = split_leader(raw) else {
            continue;
        };
        let mut key = classify(label, value);
        // a mask-shaped value right after an IPv4 address, whatever its label
        if key == Key::Other
            && st.last == Key::Ipv4
            && value.starts_with("255.")
            && mask_prefix(value).is_some()
        {
            key = Key::Mask;
        }
        recognised = true;
        match (st.adapter.as_mut(), key) {
            (None, Key::HostName) => {
                if !value.is_empty() {
                    st.comp(input).host_name = Some(value.to_string());
                }
            }
            // `WINS Proxy Enabled` (every locale keeps "WINS") closes the global block: the
            // output was shown that far; `no_adapters` is confirmed below if none follows.
            (None, _) if label.to_ascii_uppercase().contains("WINS") => {
                st.comp(input).no_adapters = true;
            }
            (Some(a), k) => apply(a, k, value),
            (None, _) => {}
        }
        st.last = key;
    }
    st.flush(input);
    for c in &mut st.compartments {
        c.no_adapters = c.no_adapters && c.adapters.is_empty();
    }

    if !recognised {
        let (no, l) = lines
            .iter()
            .find(|(_, l)| !l.trim().is_empty())
            .copied()
            .unwrap_or((input.first_line, ""));
        return Err(ParseError::broken(
            input,
            no,
            "ipconfig /all output (title, compartment banner, adapter header or `Key . . : value`)",
            l,
        ));
    }
    if let Some(i) = stop {
        let from = lines.get(i).map_or(0, |(n, _)| *n);
        let to = lines.last().map_or(from, |(n, _)| *n);
        skip_line(
            summary,
            from,
            format!("PowerShell output (Get-NetIPAddress/Get-NetIPInterface), lines {from}-{to}: not parsed by the ipconfig reader"),
        );
        summary.warnings.push(format!(
            "{}:{from}-{to}: PowerShell lists after the ipconfig output were not parsed",
            input.source
        ));
    }
    if model.host_name.is_none() {
        model.host_name = st.compartments.iter().find_map(|c| c.host_name.clone());
    }
    summary.objects += st
        .compartments
        .iter()
        .map(|c| c.adapters.len())
        .sum::<usize>();
    // a new ipconfig listing replaces compartments with the same id
    for c in st.compartments {
        model.net.compartments.retain(|o| o.id != c.id);
        model.net.compartments.push(c);
    }
    mark(model, summary, Fact::IpConfig);
    if banners {
        mark(model, summary, Fact::IpConfigAllCompartments);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str, bytes: &[u8]) -> (Result<(), ParseError>, HostModel, InputSummary) {
        crate::testutil::run_fixture(parse, source, bytes)
    }

    fn addrs(v: &[IpAddrInfo]) -> Vec<(&str, Option<u8>, Option<&str>)> {
        v.iter()
            .map(|a| (a.address.as_str(), a.prefix_length, a.state.as_deref()))
            .collect()
    }

    #[test]
    fn complete_global_block_without_adapters_is_a_fact() {
        let (r, m, _) = run(
            "paste#1",
            include_bytes!("../fixtures/ipconfig/pod-no-adapter-utf16le.txt"),
        );
        r.unwrap();
        let c = &m.net.compartments;
        assert_eq!(c.len(), 1);
        assert!(c[0].adapters.is_empty());
        assert!(c[0].no_adapters, "complete global block, no adapter");
        assert_eq!(
            c[0].host_name.as_deref(),
            Some("api-gateway-7c9d8b6f5-q2xkp")
        );
    }

    #[test]
    fn cut_off_global_block_or_adapters_present_is_not_no_adapters() {
        let (r, m, _) = run(
            "paste#1",
            include_bytes!("../fixtures/ipconfig/global-block-cut.txt"),
        );
        r.unwrap();
        assert!(!m.net.compartments[0].no_adapters, "cut before WINS line");
        let (r, m, _) = run(
            "net/ipconfig.txt",
            include_bytes!("../fixtures/ipconfig/allcompartments-en-us-utf16le.txt"),
        );
        r.unwrap();
        assert!(m.net.compartments.iter().all(|c| !c.no_adapters));
    }

    #[test]
    fn allcompartments_en_us_utf16() {
        let (r, m, s) = run(
            "net/ipconfig.txt",
            include_bytes!("../fixtures/ipconfig/allcompartments-en-us-utf16le.txt"),
        );
        r.unwrap();
        assert!(m.has(Fact::IpConfig) && m.has(Fact::IpConfigAllCompartments));
        let c = &m.net.compartments;
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].id, c[0].active), (Some(1), true));
        assert_eq!((c[1].id, c[1].active), (Some(3), false));
        assert_eq!(c[0].host_name.as_deref(), Some("AKSWIN000000"));
        assert_eq!(m.host_name.as_deref(), Some("AKSWIN000000"));
        let a = &c[0].adapters[0];
        assert_eq!(a.name, "vEthernet (Ethernet 2)");
        assert_eq!(a.kind.as_deref(), Some("Ethernet"));
        assert_eq!(a.mac.as_deref(), Some("00-15-5D-A4-20-01"));
        assert_eq!(a.dhcp, Some(false));
        assert_eq!(
            addrs(&a.ipv4),
            [("10.240.0.35", Some(16), Some("Preferred"))]
        );
        assert_eq!(
            addrs(&a.ipv6),
            [("fe80::9c1e:5a2b:3c4d:7e8f", None, Some("Preferred"))]
        );
        assert_eq!(a.gateways, ["10.240.0.1"]);
        assert_eq!(a.dns_servers, ["168.63.129.16", "10.0.0.10"]);
        assert_eq!(a.dns_suffix.as_deref(), Some("cluster.internal"));
        assert_eq!(a.prov.line, 16);
        let d = &c[0].adapters[1];
        assert_eq!(d.name, "Ethernet 3");
        assert!(d.disconnected);
        assert!(d.ipv4.is_empty());
        let pod = &c[1].adapters[0];
        assert_eq!(pod.name, "vEthernet (2b9f7c1d_cbr0)");
        assert_eq!(
            addrs(&pod.ipv4),
            [("10.244.1.23", Some(24), Some("Preferred"))]
        );
        assert_eq!(pod.gateways, ["10.244.1.2"]);
        assert_eq!(s.objects, 3);
        assert_eq!(s.skipped_count, 0);
        assert_eq!(m.net.host_addresses()[0], "10.240.0.35");
    }

    #[test]
    fn de_de_plain_all() {
        let (r, m, _) = run(
            "net/ipconfig.txt",
            include_bytes!("../fixtures/ipconfig/all-de-de.txt"),
        );
        r.unwrap();
        assert!(!m.has(Fact::IpConfigAllCompartments));
        let c = &m.net.compartments[0];
        assert_eq!(c.id, None);
        assert_eq!(c.host_name.as_deref(), Some("WINNODE01"));
        let a = &c.adapters[0];
        assert_eq!(a.name, "vEthernet (nat)");
        assert_eq!(a.kind.as_deref(), Some("Ethernet"));
        assert_eq!(a.dhcp, Some(false));
        assert_eq!(
            addrs(&a.ipv4),
            [("172.28.144.1", Some(20), Some("Preferred"))]
        );
        assert_eq!(
            a.description.as_deref(),
            Some("Hyper-V Virtual Ethernet Adapter")
        );
        let e = &c.adapters[1];
        assert_eq!(e.name, "Ethernet");
        assert_eq!(e.dhcp, Some(true));
        assert_eq!(e.gateways, ["192.168.10.1"]);
        assert_eq!(e.dns_servers, ["192.168.10.2", "192.168.10.3"]);
        assert_eq!(e.mac.as_deref(), Some("00-15-5D-0A-11-22"));
    }

    #[test]
    fn fr_fr_utf16() {
        let (r, m, _) = run(
            "ip.txt",
            include_bytes!("../fixtures/ipconfig/all-fr-fr-utf16le.txt"),
        );
        r.unwrap();
        let c = &m.net.compartments[0];
        assert_eq!(c.host_name.as_deref(), Some("NOEUD-WIN"));
        let a = &c.adapters[0];
        assert_eq!(a.name, "vEthernet (Ethernet)");
        assert_eq!(a.kind.as_deref(), Some("Ethernet"));
        assert_eq!(addrs(&a.ipv4), [("10.1.0.5", Some(24), Some("Preferred"))]);
        assert_eq!(a.gateways, ["10.1.0.1"]);
        assert_eq!(a.dns_servers, ["10.1.0.53"]);
        assert_eq!(a.dhcp, Some(false));
        let w = &c.adapters[1];
        assert_eq!(w.kind.as_deref(), Some("réseau sans fil"));
        assert_eq!(w.name, "Wi-Fi");
        assert!(w.disconnected);
    }

    #[test]
    fn ja_jp_and_zh_cn() {
        let (r, m, _) = run(
            "net/ipconfig.txt",
            include_bytes!("../fixtures/ipconfig/all-ja-jp-utf16le.txt"),
        );
        r.unwrap();
        let c = &m.net.compartments[0];
        assert_eq!(c.host_name.as_deref(), Some("WINNODE-JP"));
        let a = &c.adapters[0];
        assert_eq!(a.name, "vEthernet (Ethernet)");
        assert_eq!(a.kind.as_deref(), Some("イーサネット"));
        assert_eq!(
            addrs(&a.ipv4),
            [("192.168.50.20", Some(24), Some("Preferred"))]
        );
        assert_eq!(
            addrs(&a.ipv6),
            [("fe80::5d1:2a3b:4c5d:6e7f", None, Some("Preferred"))]
        );
        assert_eq!(a.gateways, ["192.168.50.1"]);
        assert_eq!(a.dns_servers, ["192.168.50.1", "8.8.8.8"]);
        assert_eq!(a.dhcp, Some(false));

        let (r, m, _) = run(
            "net/ipconfig.txt",
            include_bytes!("../fixtures/ipconfig/all-zh-cn.txt"),
        );
        r.unwrap();
        let a = &m.net.compartments[0].adapters[0];
        assert_eq!(a.name, "vEthernet (cbr0)");
        assert_eq!(a.kind.as_deref(), Some("以太网"));
        assert_eq!(
            addrs(&a.ipv4),
            [("10.244.0.2", Some(24), Some("Preferred"))]
        );
        assert_eq!(a.mac.as_deref(), Some("00-15-5D-31-42-53"));
        assert_eq!(a.dhcp, Some(false));
    }

    #[test]
    fn legacy_ip_txt_stops_at_powershell() {
        let (r, m, s) = run(
            "ip.txt",
            include_bytes!("../fixtures/ipconfig/legacy-ip-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(m.net.compartments.len(), 1);
        assert_eq!(m.net.compartments[0].adapters.len(), 1);
        assert_eq!(s.skipped_count, 1);
        assert_eq!(s.skipped[0].line, 22);
        assert!(s.warnings[0].starts_with("ip.txt:22-"));
        // the Get-NetIPAddress list did not leak into the adapter
        assert_eq!(m.net.compartments[0].adapters[0].ipv4.len(), 1);
    }

    #[test]
    fn skip_and_broken() {
        let (r, _, _) = run("ip.txt", b"");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (r, _, _) = run(
            "ip.txt",
            b"'ipconfig' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (r, m, _) = run("ip.txt", b"\n\nrandom words here\nmore words\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 3, .. })));
        assert!(m.facts.is_empty());
    }

    #[test]
    fn helpers() {
        assert_eq!(mask_prefix("255.255.240.0"), Some(20));
        assert_eq!(mask_prefix("255.0.255.0"), None);
        assert_eq!(mask_prefix("0.0.0.0"), Some(0));
        assert_eq!(
            split_header("Unbekannter Adapter Teredo Tunneling Pseudo-Interface"),
            (
                Some("Unbekannter".into()),
                "Teredo Tunneling Pseudo-Interface".into()
            )
        );
        assert_eq!(
            split_header("무선 LAN 어댑터 Wi-Fi"),
            (Some("무선 LAN".into()), "Wi-Fi".into())
        );
        assert_eq!(
            strip_addr("fe80::1%7(Bevorzugt)"),
            ("fe80::1".into(), Some("Preferred".into()))
        );
    }
}
