//! `pod-without-adapter` — a container/pod compartment has no network adapter.
//!
//! # What it finds
//! (a) HNS namespaces that are not the host default and have containers but no endpoint
//! (error), or neither containers nor endpoints (warning: leftover); (b) compartments other
//! than 1 in `ipconfig /allcompartments` that list no adapter; (c) a plain `ipconfig /all` —
//! typically run inside a pod — shown complete (its global block through `WINS Proxy Enabled`)
//! with no adapter at all. An output cut off before its adapters is not evidence.
//!
//! # Why it matters
//! A pod whose compartment has no adapter has no network at all: the endpoint was removed
//! (e.g. when a container of the pod crashed on ≤ 1709) or never attached.
//!
//! # Evidence used
//! HNS namespaces (`hns-namespaces`), `ipconfig /allcompartments /all`
//! (`ip-config-all-compartments`) and/or `ipconfig /all` (`ip-config`); at least one of them.
//!
//! # Fix
//! From the knowledge base entry `pod-without-adapter` (recreate the pod).
//!
//! # Applies to
//! All builds; known issue on ≤ 1709 (`netns-cleanup-on-crash`).
//!
//! # References
//! Domain facts §2.1 K4, §2.2 L9, §4.5.

use crate::rules::prelude::*;

/// The rule.
pub struct PodWithoutAdapter;

impl Rule for PodWithoutAdapter {
    fn id(&self) -> &'static str {
        "pod-without-adapter"
    }
    fn title(&self) -> &'static str {
        "Pod compartment without a network adapter"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        &[
            Fact::HnsNamespaces,
            Fact::IpConfigAllCompartments,
            Fact::IpConfig,
        ]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        if m.has(Fact::HnsNamespaces) {
            for ns in &m.hns.namespaces {
                let default = ns.is_default == Some(true)
                    || ns
                        .ns_type
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case("HostDefault"))
                    || ns.compartment_id == Some(1);
                if default || !ns.endpoint_ids.is_empty() {
                    continue;
                }
                let with_containers = !ns.container_ids.is_empty();
                ctx.finding(
                    self,
                    format!(
                        "HNS namespace {}{} has no endpoint{}.",
                        ns.id,
                        ns.compartment_id.map(|c| format!(" (compartment {c})")).unwrap_or_default(),
                        if with_containers {
                            format!(" but containers {}", list(&ns.container_ids, 3))
                        } else {
                            " and no containers (leftover)".to_string()
                        }
                    ),
                )
                .severity(if with_containers { Severity::Error } else { Severity::Warning })
                .why("A pod's namespace without an endpoint gives its containers no network adapter: the pod has no network.")
                .evidence(&ns.prov)
                .push(out);
            }
        }
        if m.has(Fact::IpConfigAllCompartments) {
            for c in &m.net.compartments {
                let Some(id) = c.id else { continue };
                if id == 1 || !c.adapters.is_empty() {
                    continue;
                }
                ctx.finding(
                    self,
                    format!("Network compartment {id} lists no adapter in ipconfig /allcompartments."),
                )
                .why("A pod compartment without an adapter means the pod's containers have no network interface at all.")
                .confidence(Confidence::Medium)
                .evidence(&c.prov)
                .push(out);
            }
        }
        if m.has(Fact::IpConfig) {
            for c in m
                .net
                .compartments
                .iter()
                .filter(|c| c.id.is_none() && c.no_adapters)
            {
                ctx.finding(
                    self,
                    format!(
                        "ipconfig /all{} shows its complete global block and no network adapter at all.",
                        c.host_name.as_deref().map(|h| format!(" on '{h}'")).unwrap_or_default()
                    ),
                )
                .why("Run inside a pod, an ipconfig with no adapter means the pod has no network interface: its HNS endpoint was never attached (or was removed), e.g. because a stale endpoint holds its IP.")
                .confidence(Confidence::Medium)
                .evidence(&c.prov)
                .push(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn ns(id: &str, eps: &[&str], containers: &[&str]) -> Namespace {
        Namespace {
            id: id.into(),
            compartment_id: Some(7),
            ns_type: Some("Host".into()),
            is_default: Some(false),
            endpoint_ids: eps.iter().map(|s| (*s).to_string()).collect(),
            container_ids: containers.iter().map(|s| (*s).to_string()).collect(),
            prov: prov("hns/namespaces.json", 3, id),
        }
    }

    #[test]
    fn fires_on_namespace_and_compartment_without_adapter() {
        let mut m = model(&[Fact::HnsNamespaces, Fact::IpConfigAllCompartments]);
        m.hns.namespaces = vec![ns("NS1", &[], &["c1"])];
        m.net.compartments = vec![Compartment {
            id: Some(9),
            ..Compartment::default()
        }];
        let f = findings(&PodWithoutAdapter, &m);
        assert_eq!(f.len(), 2);
        assert!(f
            .iter()
            .any(|f| f.observed.contains("NS1") && f.observed.contains("c1")));
        assert!(f
            .iter()
            .any(|f| f.observed.contains("Network compartment 9")));
    }

    #[test]
    fn quiet_with_endpoints_and_adapters() {
        let mut m = model(&[Fact::HnsNamespaces, Fact::IpConfigAllCompartments]);
        m.hns.namespaces = vec![ns("NS1", &["E1"], &["c1"])];
        m.net.compartments = vec![
            Compartment {
                id: Some(1),
                ..Compartment::default()
            },
            Compartment {
                id: Some(9),
                adapters: vec![IpAdapter {
                    name: "vEthernet (x)".into(),
                    ..IpAdapter::default()
                }],
                ..Compartment::default()
            },
        ];
        assert!(findings(&PodWithoutAdapter, &m).is_empty());
    }

    #[test]
    fn not_evaluated_without_either() {
        let miss = missing(&PodWithoutAdapter, &model(&[Fact::Routes]));
        assert_eq!(
            miss,
            vec![
                Fact::HnsNamespaces,
                Fact::IpConfigAllCompartments,
                Fact::IpConfig
            ]
        );
    }

    #[test]
    fn plain_ipconfig_without_adapters_fires_only_when_complete() {
        let mut m = model(&[Fact::IpConfig]);
        m.net.compartments = vec![Compartment {
            host_name: Some("api-7c9d-q2xkp".into()),
            no_adapters: true,
            prov: prov("paste#1", 2, "Windows IP Configuration"),
            ..Compartment::default()
        }];
        let f = findings(&PodWithoutAdapter, &m);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].observed.contains("'api-7c9d-q2xkp'"),
            "{}",
            f[0].observed
        );
        m.net.compartments[0].no_adapters = false;
        assert!(
            findings(&PodWithoutAdapter, &m).is_empty(),
            "cut off or with adapters: quiet"
        );
    }
}
