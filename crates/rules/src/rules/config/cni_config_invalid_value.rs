//! `cni-config-invalid-value` — a placeholder or an invalid address left in the CNI
//! configuration (or reaching HNS through it).
//!
//! # What it finds
//! * in a CNI config: string values left as template placeholders (`<your service cidr>`,
//!   `<...>`, `REPLACE_ME`, `${SERVICE_CIDR}`), and values under keys that want an address or
//!   prefix (`subnet`, `gateway`, `dst`, `GW`, `DestinationPrefix`, `ExceptionList`,
//!   `Exceptions`, `Nameservers`, `IpAddress`, `NextHop`) that are neither;
//! * in HCN settings printed by the CNI / runtime (`hcnCreateEndpoint … {…}`): the same;
//! * in any log line: a placeholder naming a CIDR, subnet, IP, prefix, address or gateway
//!   (`<service-cidr>`), which can only have come from an unfilled config.
//!
//! # Why it matters
//! HNS rejects the request (0x80070057 "The parameter is incorrect", HCN "invalid JSON") or,
//! worse, accepts a policy that matches nothing: pods fail to start or cannot reach Services.
//!
//! # Evidence used
//! `cni-config`, or any log (for HCN settings and placeholders in error lines); one of them.
//!
//! # Fix
//! From the knowledge base entry `cni-config-invalid-value`.
//!
//! # Applies to
//! All CNI plugins on Windows (flannel win-bridge/win-overlay, sdnbridge/sdnoverlay, nat).
//!
//! # References
//! microsoft/windows-container-networking#69; kubernetes-sigs/sig-windows-tools#249.

use crate::rules::prelude::*;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// The rule.
pub struct CniConfigInvalidValue;

const NEEDS_ANY: &[Fact] = &[
    Fact::CniConfig,
    Fact::KubeletLog,
    Fact::RuntimeLog,
    Fact::CniLog,
    Fact::PastedLog,
    Fact::KubeEvents,
];

/// Keys whose values must be an address or a prefix (lower case).
const ADDRESS_KEYS: &[&str] = &[
    "subnet",
    "gateway",
    "gw",
    "dst",
    "destinationprefix",
    "exceptionlist",
    "exceptions",
    "nameservers",
    "ipaddress",
    "nexthop",
    "addressprefix",
];

static PLACEHOLDER_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<[^<>]{0,40}(?:cidr|subnet|\bip\b|prefix|address|gateway|dns)[^<>]{0,40}>")
        .expect("constant regex")
});

fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    (t.starts_with('<') && t.ends_with('>') && t.len() > 2)
        || contains_ci(t, "<your")
        || t.eq_ignore_ascii_case("replace_me")
        || t.contains("${")
}

fn is_addr_or_prefix(v: &str) -> bool {
    let t = v.trim();
    parse_ip(t).is_some() || parse_cidr(t).is_some()
}

/// (key, value) pairs that are placeholders or bad addresses in a JSON document.
fn bad_values(v: &Value, key: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                bad_values(val, &k.to_ascii_lowercase(), out);
            }
        }
        Value::Array(items) => {
            for i in items {
                bad_values(i, key, out);
            }
        }
        Value::String(s)
            if is_placeholder(s)
                || (ADDRESS_KEYS.contains(&key) && !s.is_empty() && !is_addr_or_prefix(s)) =>
        {
            out.push((key.to_string(), s.clone()));
        }
        _ => {}
    }
}

impl Rule for CniConfigInvalidValue {
    fn id(&self) -> &'static str {
        "cni-config-invalid-value"
    }
    fn title(&self) -> &'static str {
        "Placeholder or invalid value in the CNI configuration"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        NEEDS_ANY
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        for c in &m.cni {
            let mut bad = Vec::new();
            bad_values(&c.raw, "", &mut bad);
            if bad.is_empty() {
                continue;
            }
            let desc: Vec<String> = bad.iter().map(|(k, v)| format!("{k} = \"{v}\"")).collect();
            ctx.finding(
                self,
                format!("CNI config {} holds {}: {}.", c.path, plural(bad.len(), "invalid value"), list(&desc, 4)),
            )
            .why("The plugin passes these values to HNS, which rejects the request or programs a policy that matches nothing: pods fail to start or cannot reach Services.")
            .evidence(&c.prov)
            .push(out);
        }
        for s in m
            .hcn_settings
            .iter()
            .filter(|s| !s.invalid_values.is_empty())
        {
            let desc: Vec<String> = s
                .invalid_values
                .iter()
                .map(|(k, v)| format!("{k} = \"{v}\""))
                .collect();
            ctx.finding(
                self,
                format!(
                    "HCN {} settings{} sent by {} hold {}.",
                    s.kind,
                    s.name.as_deref().map(|n| format!(" '{n}'")).unwrap_or_default(),
                    s.call.as_deref().unwrap_or("the CNI"),
                    list(&desc, 4)
                ),
            )
            .why("These values come from the CNI configuration; HNS rejects them or programs a policy that matches nothing.")
            .evidence(&s.prov)
            .push(out);
        }
        if m.cni.is_empty() && m.hcn_settings.iter().all(|s| s.invalid_values.is_empty()) {
            let lines: Vec<(&LogEvent, String)> = m
                .log_events
                .iter()
                .filter_map(|e| {
                    PLACEHOLDER_IN_TEXT
                        .find(&e.message)
                        .map(|p| (e, p.as_str().to_string()))
                })
                .collect();
            if let Some((e, p)) = lines.first() {
                ctx.finding(
                    self,
                    format!(
                        "{} carry the unfilled placeholder {p} to HNS; first: {}. The CNI config itself is not shown.",
                        plural(lines.len(), "log line"),
                        quote(&e.message)
                    ),
                )
                .confidence(Confidence::Medium)
                .why("A template placeholder can only reach HNS from a CNI configuration that was never filled in.")
                .evidence_all(lines.iter().take(3).map(|(e, _)| &e.prov))
                .push(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn cni(raw: &str) -> CniConfig {
        CniConfig {
            path: "C:/etc/cni/net.d/10-sdnbridge.conf".into(),
            plugin_types: vec!["sdnbridge".into()],
            raw: serde_json::from_str(raw).unwrap(),
            prov: prov("cni.conf", 1, "{"),
            ..CniConfig::default()
        }
    }

    #[test]
    fn fires_on_placeholder_and_bad_subnet() {
        let mut m = model(&[Fact::CniConfig]);
        m.cni.push(cni(r#"{"cniVersion":"0.2.0","type":"sdnbridge","ipam":{"subnet":"10.244.300.0/24"},"AdditionalArgs":[{"Name":"EndpointPolicy","Value":{"Type":"OutBoundNAT","Settings":{"Exceptions":["<your service cidr>"]}}}]}"#));
        let f = findings(&CniConfigInvalidValue, &m);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].observed.contains("subnet = \"10.244.300.0/24\""),
            "{}",
            f[0].observed
        );
        assert!(
            f[0].observed.contains("<your service cidr>"),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn fires_from_hcn_settings_and_log_placeholder() {
        let mut m = model(&[Fact::PastedLog]);
        m.hcn_settings.push(HcnSettings {
            call: Some("hcnCreateEndpoint".into()),
            kind: "endpoint".into(),
            invalid_values: vec![("exceptions".into(), "<service-cidr>".into())],
            prov: prov("paste#1", 3, "hcnCreateEndpoint"),
            ..HcnSettings::default()
        });
        assert_eq!(findings(&CniConfigInvalidValue, &m).len(), 1);
        let mut l = model(&[Fact::KubeletLog]);
        l.log_events.push(log(
            Component::Kubelet,
            "hcnCreateEndpoint failed: invalid ExceptionList entry <cluster-cidr>",
            &[0x8007_0057],
        ));
        let f = findings(&CniConfigInvalidValue, &l);
        assert!(
            f[0].observed.contains("<cluster-cidr>") && f[0].observed.contains("not shown"),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn quiet_on_valid_config_and_not_evaluated() {
        let mut m = model(&[Fact::CniConfig, Fact::PastedLog]);
        m.cni.push(cni(r#"{"type":"sdnbridge","ipam":{"subnet":"10.244.3.0/24","routes":[{"GW":"10.244.3.2"}]},"dns":{"Nameservers":["10.96.0.10"]},"AdditionalArgs":[{"Value":{"Settings":{"ExceptionList":["10.96.0.0/12","10.244.0.0/16"]}}}]}"#));
        m.log_events
            .push(log(Component::Unknown, "<html> not found", &[]));
        assert!(findings(&CniConfigInvalidValue, &m).is_empty());
        assert_eq!(
            missing(&CniConfigInvalidValue, &model(&[])).len(),
            NEEDS_ANY.len()
        );
    }
}
