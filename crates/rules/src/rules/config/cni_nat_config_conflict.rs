//! `cni-nat-config-conflict` — a leftover NAT CNI config or HNS nat network shadows or collides
//! with the cluster network.
//!
//! # What it finds
//! (a) A CNI config of plugin type `nat` next to the cluster's CNI config: error when it sorts
//! first (the runtime uses the first config file), warning otherwise. (b) An HNS network of type
//! NAT whose subnet overlaps the cluster CIDR or a subnet of the cluster network (error), or a
//! NAT network on a containerd Kubernetes node, where nothing should create one (warning).
//! (c) Log signature, enough without the configs: the CNI `plugin type="nat"` failing to create
//! its network because HNS already has one (`hcnCreateNetwork` … "The object already exists",
//! 0x1392 / 0xb7) — a leftover nat CNI config is in use while a nat network exists.
//!
//! # Why it matters
//! Pods attached to the NAT network instead of the cluster network are unreachable from other
//! nodes; overlapping subnets make routing ambiguous.
//!
//! # Evidence used
//! `cni-config` and/or `hns-networks`, or any kubelet / runtime / CNI / pasted log or events (at
//! least one); the Kubernetes context when read.
//!
//! # Fix
//! From the knowledge base entry `cni-nat-config-conflict`.
//!
//! # Applies to
//! Kubernetes nodes converted from Docker, or with Docker Desktop / containers tooling installed.
//!
//! # References
//! Domain facts §4.2 (Docker NAT default 172.16.0.0/16 … `nat` network), finding catalogue.

use crate::rules::config::cni_runtime_mismatch::runtime;
use crate::rules::prelude::*;

/// The rule.
pub struct CniNatConfigConflict;

const NEEDS_ANY: &[Fact] = &[
    Fact::CniConfig,
    Fact::HnsNetworks,
    Fact::KubeletLog,
    Fact::RuntimeLog,
    Fact::CniLog,
    Fact::PastedLog,
    Fact::KubeEvents,
];

/// The NAT CNI plugin failing because the network exists.
fn nat_plugin_exists(e: &LogEvent) -> bool {
    let m = e.message.to_ascii_lowercase();
    let nat_plugin = m.contains("plugin type=\"nat\"")
        || m.contains("plugin type=nat")
        || m.contains("plugin type=\\\"nat\\\"");
    let exists = m.contains("already exists")
        || e.error_codes
            .iter()
            .any(|c| [0x8007_1392, 0x8007_00b7].contains(c));
    nat_plugin && exists
}

fn overlaps(a: &str, b: &str) -> bool {
    let (Some(na), Some(nb)) = (parse_cidr(a), parse_cidr(b)) else {
        return false;
    };
    na.contains(&nb.addr()) || nb.contains(&na.addr())
}

impl Rule for CniNatConfigConflict {
    fn id(&self) -> &'static str {
        "cni-nat-config-conflict"
    }
    fn title(&self) -> &'static str {
        "NAT network or CNI config next to the cluster network"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn needs_any(&self) -> &'static [Fact] {
        NEEDS_ANY
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let sig: Vec<&LogEvent> = m
            .log_events
            .iter()
            .filter(|e| nat_plugin_exists(e))
            .collect();
        if let Some(first) = sig.first() {
            ctx.finding(
                self,
                format!(
                    "The NAT CNI plugin (type \"nat\") tries to create its network and HNS says it already exists: a leftover nat CNI config is used for pods while a nat network exists; {}, first: {}.",
                    plural(sig.len(), "log line"),
                    quote(&first.message)
                ),
            )
            .severity(Severity::Error)
            .why("Pods are being set up through a NAT CNI config left from Docker or a NAT test instead of the cluster network: their sandboxes fail, or they land on a host-only network.")
            .evidence_all(sig.iter().take(3).map(|e| &e.prov))
            .push(out);
        }
        let is_nat = |c: &CniConfig| c.plugin_types.iter().any(|t| t.eq_ignore_ascii_case("nat"));
        let mut sorted: Vec<&CniConfig> = m.cni.iter().collect();
        sorted.sort_by(|a, b| {
            a.path
                .to_ascii_lowercase()
                .cmp(&b.path.to_ascii_lowercase())
        });
        if sorted.iter().any(|c| !is_nat(c)) {
            for (i, c) in sorted.iter().enumerate().filter(|(_, c)| is_nat(c)) {
                let first = i == 0;
                ctx.finding(
                    self,
                    format!(
                        "NAT CNI config {} sits next to the cluster CNI config{}.",
                        c.path,
                        if first { " and sorts first, so the runtime uses it" } else { "" }
                    ),
                )
                .severity(if first { Severity::Error } else { Severity::Warning })
                .why("The runtime takes the first CNI config file; pods attached through the NAT config land on a host-only network, unreachable from other nodes.")
                .evidence(&c.prov)
                .push(out);
            }
        }
        let cluster_net = ctx.network_name();
        let cluster_cidr = m.k8s.cluster_cidr.clone();
        let cluster_subnets: Vec<String> = m
            .hns
            .networks
            .iter()
            .filter(|n| !n.net_type.eq_ignore_ascii_case("nat"))
            .filter(|n| {
                cluster_net
                    .as_ref()
                    .is_none_or(|c| n.name.eq_ignore_ascii_case(&c.value))
            })
            .flat_map(|n| n.subnets.iter().map(|s| s.prefix.clone()))
            .chain(cluster_cidr)
            .collect();
        let containerd_k8s =
            m.has(Fact::KubeContext) && runtime(m).is_some_and(|(r, _)| r.contains("containerd"));
        for n in m
            .hns
            .networks
            .iter()
            .filter(|n| n.net_type.eq_ignore_ascii_case("nat"))
        {
            let clash: Vec<String> = n
                .subnets
                .iter()
                .flat_map(|s| {
                    cluster_subnets
                        .iter()
                        .filter(|c| overlaps(&s.prefix, c))
                        .map(move |c| format!("{} overlaps {c}", s.prefix))
                })
                .collect();
            if !clash.is_empty() {
                ctx.finding(
                    self,
                    format!("HNS NAT network '{}' collides with the cluster network: {}.", n.name, list(&clash, 3)),
                )
                .severity(Severity::Error)
                .why("Two networks with overlapping subnets make routing to pods ambiguous: traffic for cluster pods may go to the NAT network.")
                .evidence(&n.prov)
                .push(out);
            } else if containerd_k8s {
                ctx.finding(
                    self,
                    format!("HNS NAT network '{}' exists on a containerd Kubernetes node (leftover of Docker or a NAT CNI config).", n.name),
                )
                .confidence(Confidence::Medium)
                .why("Nothing in a containerd Kubernetes setup needs a NAT network; pods created through a leftover NAT config land on it.")
                .evidence(&n.prov)
                .push(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn cni(path: &str, t: &str) -> CniConfig {
        CniConfig {
            path: path.into(),
            plugin_types: vec![t.into()],
            prov: prov(path, 1, t),
            ..CniConfig::default()
        }
    }

    #[test]
    fn fires_on_nat_config_first_and_overlapping_nat_network() {
        let mut m = model(&[Fact::CniConfig, Fact::HnsNetworks]);
        m.cni = vec![
            cni("net.d/10-sdnoverlay.conf", "sdnoverlay"),
            cni("net.d/0-containerd-nat.json", "nat"),
        ];
        let mut c = network("C", "vxlan0", "Overlay");
        c.subnets.push(Subnet {
            prefix: "10.244.0.0/16".into(),
            gateway: None,
        });
        let mut n = network("N", "nat", "NAT");
        n.subnets.push(Subnet {
            prefix: "10.244.3.0/24".into(),
            gateway: None,
        });
        m.hns.networks = vec![c, n];
        let f = findings(&CniNatConfigConflict, &m);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(f.iter().all(|f| f.severity == Severity::Error));
        assert!(f.iter().any(|f| f.observed.contains("sorts first")));
        assert!(f
            .iter()
            .any(|f| f.observed.contains("10.244.3.0/24 overlaps 10.244.0.0/16")));
    }

    #[test]
    fn quiet_on_docker_nat_apart_from_cluster() {
        let mut m = model(&[Fact::CniConfig, Fact::HnsNetworks]);
        m.cni = vec![cni("net.d/10-sdnoverlay.conf", "sdnoverlay")];
        let mut n = network("N", "nat", "NAT");
        n.subnets.push(Subnet {
            prefix: "172.16.0.0/16".into(),
            gateway: None,
        });
        m.hns.networks = vec![network("C", "vxlan0", "Overlay"), n];
        assert!(findings(&CniNatConfigConflict, &m).is_empty());
    }

    #[test]
    fn not_evaluated_without_cni_or_networks() {
        assert_eq!(
            missing(&CniNatConfigConflict, &model(&[])).len(),
            NEEDS_ANY.len()
        );
    }

    #[test]
    fn fires_on_nat_plugin_object_exists_signature() {
        let mut m = model(&[Fact::KubeEvents]);
        m.log_events.push(log(
            Component::KubeEvents,
            "FailedCreatePodSandBox pod/web-1: failed to setup network for sandbox \"9a1f\": plugin type=\"nat\" name=\"nat\" failed (add): hcnCreateNetwork failed in Win32: The object already exists. (0x1392)",
            &[0x8007_1392],
        ));
        let f = findings(&CniNatConfigConflict, &m);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        let mut q = model(&[Fact::KubeEvents]);
        q.log_events.push(log(
            Component::KubeEvents,
            "plugin type=\"sdnbridge\" failed (add): hcnCreateEndpoint failed in Win32: The object already exists. (0x1392)",
            &[0x8007_1392],
        ));
        assert!(findings(&CniNatConfigConflict, &q).is_empty());
    }
}
