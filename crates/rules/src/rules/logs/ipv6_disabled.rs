//! `ipv6-disabled` — IPv6 is disabled on the host, which breaks HNS ("Element not found", 0x490).
//!
//! # What it finds
//! `HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters\DisabledComponents` set to a value
//! that disables IPv6 (anything but 0 or the harmless "prefer IPv4" 0x20), and/or HNS failures
//! "Element not found" (0x490 / 0x80070490). The causes are ranked: with the registry value
//! showing IPv6 disabled the finding is certain; with only the error it names both known causes
//! (IPv6 disabled, stale HNS state) at medium confidence; with the registry read and IPv6
//! enabled, 0x490 is not this issue and the rule stays quiet (`hns-operation-failed` reports it).
//! The operation the error was raised on refines it: on `CreateContainer` or on HNS endpoint /
//! network creation (where the nat interface needs IPv6) the finding names it; raised only on
//! other operations (deleting, querying), stale HNS state is ranked first at low confidence.
//!
//! # Why it matters
//! Since KB4015217 (WS2016 14393.1066) HNS requires IPv6: network and endpoint creation fail,
//! Docker does not start ("Error creating default network"), pods get no sandbox.
//!
//! # Evidence used
//! `tcpip6-params` and/or any log (at least one).
//!
//! # Fix
//! From the knowledge base entry `ipv6-disabled`.
//!
//! # Applies to
//! WS2016 14393.1066 and later.
//!
//! # References
//! Domain facts §2.2 L2.

use crate::rules::prelude::*;

/// The rule.
pub struct Ipv6Disabled;

/// ERROR_NOT_FOUND as HRESULT.
pub const CODE: u32 = 0x8007_0490;

/// The creation operation a line names, if any: `CreateContainer`, endpoint or network
/// creation.
#[must_use]
pub fn creation_op(msg: &str) -> Option<&'static str> {
    let l = msg.to_ascii_lowercase();
    if l.contains("createcontainer") || l.contains("createcomputesystem") {
        Some("CreateContainer")
    } else if l.contains("hcncreateendpoint")
        || l.contains("create endpoint")
        || l.contains("creating endpoint")
        || l.contains("new-hnsendpoint")
        || l.contains("provisionendpoint")
    {
        Some("endpoint creation")
    } else if l.contains("hcncreatenetwork")
        || l.contains("create network")
        || l.contains("creating network")
        || l.contains("creating default")
        || l.contains("new-hnsnetwork")
    {
        Some("network creation")
    } else {
        None
    }
}

/// Whether a DisabledComponents value disables IPv6 (0x20 only prefers IPv4).
#[must_use]
pub fn disables_ipv6(v: u32) -> bool {
    v & !0x20 != 0
}

impl Rule for Ipv6Disabled {
    fn id(&self) -> &'static str {
        "ipv6-disabled"
    }
    fn title(&self) -> &'static str {
        "IPv6 disabled on the host"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        &[
            Fact::Tcpip6Params,
            Fact::KubeProxyLog,
            Fact::KubeletLog,
            Fact::RuntimeLog,
            Fact::CniLog,
            Fact::PastedLog,
            Fact::HnsEventLog,
            Fact::SystemEventLog,
        ]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let reg = m
            .has(Fact::Tcpip6Params)
            .then_some(m.registry.ipv6_disabled_components);
        let reg_prov = m
            .registry
            .prov
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("DisabledComponents"))
            .map(|(_, p)| p.clone());
        let hits = log_matches(m, &["Element not found"], &[CODE]);
        let disabled = matches!(reg, Some(Some(v)) if disables_ipv6(v));
        let registry_fine =
            matches!(reg, Some(None)) || matches!(reg, Some(Some(v)) if !disables_ipv6(v));
        if registry_fine || (!disabled && hits.is_empty()) {
            return;
        }
        let mut parts = Vec::new();
        if let Some(Some(v)) = reg {
            parts.push(format!(
                "Tcpip6\\Parameters\\DisabledComponents = 0x{v:x} (IPv6 disabled)"
            ));
        }
        let on_create: Vec<&str> = hits
            .iter()
            .filter_map(|h| match h.operation {
                Some(HnsOperation::CreateContainer | HnsOperation::StartContainer) => {
                    Some("CreateContainer")
                }
                Some(HnsOperation::CreateEndpoint | HnsOperation::AttachEndpoint) => {
                    Some("endpoint creation")
                }
                Some(HnsOperation::CreateNetwork) => Some("network creation"),
                Some(_) => None,
                None => creation_op(&h.message),
            })
            .collect();
        if let Some(h) = hits.first() {
            parts.push(format!(
                "{} with \"Element not found\" (0x490){}, first: {}",
                plural(hits.len(), "HNS failure line"),
                on_create
                    .first()
                    .map(|op| format!(" raised on {op}"))
                    .unwrap_or_default(),
                quote(&h.message)
            ));
        }
        let (conf, rank) = if disabled {
            (Confidence::High, String::new())
        } else if on_create.is_empty() {
            (
                Confidence::Low,
                " The error was not raised on creating a container, endpoint or network. Causes, most likely first: 1. stale or corrupt HNS state (the object was removed); 2. IPv6 disabled (the registry value was not in the data — check it).".to_string(),
            )
        } else {
            (
                Confidence::Medium,
                " Causes, most likely first: 1. IPv6 disabled (the registry value was not in the data — check it); 2. stale or corrupt HNS state (network or switch gone).".to_string(),
            )
        };
        let mut d = ctx
            .finding(self, format!("{}.{rank}", parts.join("; ")))
            .why("HNS requires IPv6 since KB4015217: with it disabled, creating networks and endpoints fails with \"Element not found\", Docker cannot create its default network and pods get no sandbox.")
            .confidence(conf)
            .evidence_all(hits.iter().take(5).map(|h| &h.prov));
        if let Some(p) = &reg_prov {
            d = d.evidence(p);
        }
        d.push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    const LINE: &str = "Failed to create endpoint: HNS failed with error : Element not found.";

    #[test]
    fn fires_on_registry_and_ranks_error_only() {
        let mut m = model(&[Fact::Tcpip6Params]);
        m.registry.ipv6_disabled_components = Some(0xff);
        m.registry.prov.push((
            "DisabledComponents".into(),
            prov("registry.txt", 4, "DisabledComponents REG_DWORD 0xff"),
        ));
        let f = findings(&Ipv6Disabled, &m);
        assert_eq!(f[0].confidence, Confidence::High);
        assert!(f[0].observed.contains("0xff"));
        let mut l = model(&[Fact::KubeletLog]);
        l.log_events.push(log(Component::Kubelet, LINE, &[CODE]));
        let f = findings(&Ipv6Disabled, &l);
        assert_eq!(f[0].confidence, Confidence::Medium);
        assert!(f[0].observed.contains("1. IPv6 disabled"));
        assert!(
            f[0].observed.contains("raised on endpoint creation"),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn quiet_when_registry_shows_ipv6_on() {
        let mut m = model(&[Fact::Tcpip6Params, Fact::KubeletLog]);
        m.registry.ipv6_disabled_components = Some(0x20);
        m.log_events.push(log(Component::Kubelet, LINE, &[CODE]));
        assert!(findings(&Ipv6Disabled, &m).is_empty());
        assert!(findings(&Ipv6Disabled, &model(&[Fact::Tcpip6Params])).is_empty());
    }

    #[test]
    fn not_evaluated_without_registry_or_logs() {
        assert_eq!(missing(&Ipv6Disabled, &model(&[])).len(), 8);
    }

    #[test]
    fn operation_refines_the_ranking() {
        let mut d = model(&[Fact::RuntimeLog]);
        d.log_events.push(log(
            Component::Docker,
            "container 7a1c encountered an error during CreateContainer: failure in a Windows system call: Element not found. (0x490)",
            &[CODE],
        ));
        let f = findings(&Ipv6Disabled, &d);
        assert!(
            f[0].observed.contains("raised on CreateContainer"),
            "{}",
            f[0].observed
        );
        assert_eq!(f[0].confidence, Confidence::Medium);
        let mut o = model(&[Fact::KubeProxyLog]);
        o.log_events.push(log(
            Component::KubeProxy,
            "hcnDeleteLoadBalancer failed in Win32: Element not found. (0x490)",
            &[CODE],
        ));
        let f = findings(&Ipv6Disabled, &o);
        assert_eq!(f[0].confidence, Confidence::Low);
        assert!(
            f[0].observed.contains("1. stale or corrupt HNS state"),
            "{}",
            f[0].observed
        );
    }
}
