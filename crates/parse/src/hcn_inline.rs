//! HCN endpoint / network / load-balancer settings JSON as kubelet, containerd and CNI plugins
//! print it inline (`hcnCreateEndpoint … {"Name":"…","IpConfigurations":[…]}`) →
//! [`HostModel::hcn_settings`]; lines that also report a failure become [`LogEvent`]s.
//!
//! Pipeline stage: **parsers**. Format id `hcn-settings-inline`. [`settings_in`] is public so
//! that any reader of log lines can extract the same facts from a message.
//!
//! **Shapes.** The JSON follows an HCN call name (`hcnCreateEndpoint`, `HcnCreateNetwork`,
//! `hcnCreateLoadBalancer`, `HNSEndpointRequest`, `hnsCall`) or a CNI phrase (`Creating
//! endpoint`, `network configuration`) on the same line, possibly escaped inside a logrus
//! `msg="…"` (`{\"Name\":…}`). The first balanced `{…}` after the call is parsed; when it is
//! cut off (console width, log truncation) the keys that were printed are still scanned.
//!
//! **What is kept.** Object kind (endpoint / network / load-balancer, from the call or the keys),
//! `Name`, network `Type`, the network an endpoint refers to (`VirtualNetwork`,
//! `HostComputeNetwork`, `VirtualNetworkName`), addresses (`IpAddress`, `IPAddress`,
//! `IpAddressPrefix`, `AddressPrefix`, `FrontendVIPs`, `DestinationPrefix`, `GatewayAddress`),
//! policy types, and *invalid values*: strings left as placeholders (`<your service cidr>`,
//! `<...>`, `REPLACE_ME`) or keys that want an address or prefix holding something else.
//!
//! **Partial input.** Lines without a call and JSON are counted as filtered; text with none is
//! `Broken`.
//!
//! ```
//! use hnsdoctor_parse::hcn_inline::settings_in;
//! let line = r#"hcnCreateEndpoint failed: {"Name":"pod1_cbr0","VirtualNetworkName":"cbr0","Policies":[{"Type":"OutBoundNAT","Settings":{"Exceptions":["<your service cidr>"]}}]}"#;
//! let s = settings_in(line);
//! assert_eq!(s[0].kind, "endpoint");
//! assert_eq!(s[0].network.as_deref(), Some("cbr0"));
//! assert_eq!(s[0].invalid_values[0].1, "<your service cidr>");
//! ```

use crate::codes::error_codes;
use crate::logutil::mark;
use crate::pserror::guess_component;
use crate::winout::{is_ipv4, is_ipv6};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{HcnSettings, LogEvent, LogLevel, Prov};
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

static CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(hcn(?:create|modify|update)?(?:endpoint|network|loadbalancer)|hns(?:endpoint|network)request|hnscall|creating endpoint|creating network|network configuration|loadbalancer policy)")
        .expect("constant regex")
});

static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(?P<k>[A-Za-z]+)"\s*:\s*"(?P<v>[^"]*)""#).expect("constant regex")
});

/// Keys whose string values must be an address or a prefix.
const ADDRESS_KEYS: &[&str] = &[
    "ipaddress",
    "ipaddressprefix",
    "addressprefix",
    "destinationprefix",
    "gatewayaddress",
    "nexthop",
    "frontendvips",
    "vip",
    "sourcevip",
    "provideraddress",
    "exceptions",
    "destinationprefixes",
];

fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    (t.starts_with('<') && t.ends_with('>') && t.len() > 2)
        || t.to_ascii_lowercase().contains("<your")
        || t.eq_ignore_ascii_case("replace_me")
        || t.contains("${")
}

fn is_addr_or_prefix(v: &str) -> bool {
    let t = v.trim();
    let (a, p) = match t.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (t, None),
    };
    (is_ipv4(a) || is_ipv6(a)) && p.is_none_or(|p| p.parse::<u8>().is_ok_and(|n| n <= 128))
}

/// The first balanced `{…}` at or after `from`, or the rest of the text when it is cut off.
fn json_at(text: &str, from: usize) -> Option<(&str, bool)> {
    let start = from + text.get(from..)?.find('{')?;
    let mut depth = 0i32;
    let mut in_str = false;
    let mut esc = false;
    for (i, ch) in text.get(start..)?.char_indices() {
        if in_str {
            match ch {
                _ if esc => esc = false,
                '\\' => esc = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match ch {
            '"' => in_str = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return text.get(start..=start + i).map(|s| (s, true));
                }
            }
            _ => {}
        }
    }
    text.get(start..).map(|s| (s, false))
}

fn walk(v: &Value, key: &str, s: &mut HcnSettings) {
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                let lk = k.to_ascii_lowercase();
                match (lk.as_str(), val) {
                    ("name", Value::String(n)) if s.name.is_none() => s.name = Some(n.clone()),
                    ("type", Value::String(t)) if key == "policies" || key == "policy" => {
                        s.policies.push(t.clone())
                    }
                    ("type", Value::String(t)) if s.net_type.is_none() && key.is_empty() => {
                        s.net_type = Some(t.clone())
                    }
                    (
                        "virtualnetwork" | "hostcomputenetwork" | "virtualnetworkname"
                        | "networkname",
                        Value::String(n),
                    ) => {
                        s.network = Some(n.clone());
                    }
                    _ => {}
                }
                walk(val, &lk, s);
            }
        }
        Value::Array(items) => {
            for i in items {
                walk(i, key, s);
            }
        }
        Value::String(t) => string_value(key, t, s),
        _ => {}
    }
}

fn string_value(key: &str, t: &str, s: &mut HcnSettings) {
    if is_placeholder(t) {
        s.invalid_values.push((key.to_string(), t.to_string()));
        return;
    }
    if ADDRESS_KEYS.contains(&key) && !t.is_empty() {
        if is_addr_or_prefix(t) {
            if !s.addresses.iter().any(|a| a == t) {
                s.addresses.push(t.to_string());
            }
        } else {
            s.invalid_values.push((key.to_string(), t.to_string()));
        }
    }
}

/// HCN settings printed in one line of text (see the module doc); empty when there are none.
#[must_use]
pub fn settings_in(line: &str) -> Vec<HcnSettings> {
    let mut out = Vec::new();
    let unescaped;
    let text = if line.contains("\\\"") {
        unescaped = line.replace("\\\"", "\"");
        unescaped.as_str()
    } else {
        line
    };
    let mut from = 0;
    while let Some(m) = CALL.find_at(text, from) {
        let Some((json, complete)) = json_at(text, m.end()) else {
            break;
        };
        let call = m.as_str().to_string();
        let low = call.to_ascii_lowercase();
        let mut s = HcnSettings {
            call: Some(call),
            kind: if low.contains("endpoint") {
                "endpoint"
            } else if low.contains("loadbalancer") {
                "load-balancer"
            } else if low.contains("network") {
                "network"
            } else {
                "unknown"
            }
            .into(),
            ..HcnSettings::default()
        };
        match serde_json::from_str::<Value>(json)
            .ok()
            .filter(|_| complete)
        {
            Some(v) => walk(&v, "", &mut s),
            None => {
                for c in KEY_VALUE.captures_iter(json) {
                    let k = c["k"].to_ascii_lowercase();
                    let v = &c["v"];
                    match k.as_str() {
                        "name" if s.name.is_none() => s.name = Some(v.to_string()),
                        "virtualnetwork" | "hostcomputenetwork" | "virtualnetworkname" => {
                            s.network = Some(v.to_string())
                        }
                        _ => string_value(&k, v, &mut s),
                    }
                }
            }
        }
        if s.kind == "unknown" {
            if s.network.is_some() {
                s.kind = "endpoint".into();
            } else if s.net_type.is_some() {
                s.kind = "network".into();
            }
        }
        out.push(s);
        let consumed = json.as_ptr() as usize - text.as_ptr() as usize + json.len();
        from = consumed.min(text.len());
    }
    out
}

/// Parse lines carrying inline HCN settings. See the module doc.
///
/// # Errors
/// `Skip` for empty input; `Broken` when no line carries settings.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if input.text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    let before = model.hcn_settings.len();
    for (no, raw) in input.lines() {
        let found = settings_in(raw);
        if found.is_empty() {
            summary.filtered_lines += 1;
            continue;
        }
        let prov: Prov = input.prov(no, raw);
        let low = raw.to_ascii_lowercase();
        let codes = error_codes(raw);
        if !codes.is_empty() || low.contains("fail") || low.contains("error") {
            model.log_events.push(LogEvent {
                component: guess_component(raw),
                level: LogLevel::Error,
                message: raw.trim().to_string(),
                error_codes: codes,
                prov: prov.clone(),
                ..LogEvent::default()
            });
            mark(model, summary, Fact::PastedLog);
        }
        for mut s in found {
            s.prov = prov.clone();
            model.hcn_settings.push(s);
            summary.objects += 1;
        }
    }
    if model.hcn_settings.len() == before {
        return Err(ParseError::broken_at_first_line(
            input,
            "an HCN call followed by its settings JSON",
        ));
    }
    mark(model, summary, Fact::PastedLog);
    Ok(())
}

/// Detector: an HCN call name followed by JSON on the same line.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let hit = text.lines().take(400).any(|l| {
        CALL.find(l).is_some_and(|m| {
            l.get(m.end()..)
                .is_some_and(|r| r.contains("{\"") || r.contains("{\\\""))
        })
    });
    if hit {
        65
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{run, run_fixture};

    #[test]
    fn cni_and_containerd_lines_utf16() {
        let (r, m, _) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/hcn_inline/cni-lines-utf16le.txt"),
        );
        r.unwrap();
        let s = &m.hcn_settings;
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].kind, "network");
        assert_eq!(s[0].name.as_deref(), Some("vxlan0"));
        assert_eq!(s[0].net_type.as_deref(), Some("Overlay"));
        assert!(s[0].addresses.contains(&"10.244.6.0/24".to_string()));
        assert_eq!(s[1].kind, "endpoint");
        assert_eq!(s[1].network.as_deref(), Some("vxlan0"));
        assert_eq!(s[1].policies, ["OutBoundNAT", "SDNROUTE"]);
        assert_eq!(
            s[1].invalid_values,
            vec![("exceptions".to_string(), "<service-cidr>".to_string())]
        );
        assert_eq!(m.log_events.len(), 1, "the failing line");
        assert_eq!(m.log_events[0].error_codes, vec![0x8007_0057]);
    }

    #[test]
    fn escaped_and_cut_json() {
        let line = r#"time="2025-01-09T08:00:01Z" level=error msg="hcnCreateEndpoint failed: {\"Name\":\"abc_cbr0\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.300\"}],\"Dns\":{\"Ser"#;
        let s = settings_in(line);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].name.as_deref(), Some("abc_cbr0"));
        assert_eq!(
            s[0].invalid_values,
            vec![("ipaddress".to_string(), "10.244.1.300".to_string())]
        );
    }

    #[test]
    fn quiet_without_settings() {
        assert!(
            settings_in("hcnCreateEndpoint failed in Win32: Element not found. (0x490)").is_empty()
        );
        let (m, _, r) = run(parse, "paste#2", "{\"Name\":\"x\"}\n");
        assert!(matches!(r, Err(ParseError::Broken { .. })));
        assert!(m.hcn_settings.is_empty());
        assert_eq!(detect("I0101 hcnCreateEndpoint done"), 0);
    }
}
