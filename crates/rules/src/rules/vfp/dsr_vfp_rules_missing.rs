//! `dsr-vfp-rules-missing` — VFP rules that a DSR load balancer needs are missing.
//!
//! # What it finds
//! For every DSR load balancer and port mapping, the VFP rules HNS should have programmed:
//! on each local endpoint's port `LB_DSR_*_<mgmt>_<vip>_<ext>_<int>_<proto>` (layer `LB_DSR`,
//! group `LB_DSR_IPv4_OUT`), on backend endpoints `NAT_*_<vip>_<ext>_<proto>` and
//! `ALLOW_NAT_*_<vip>_<ext>_<proto>` (layer `SLB_NAT_LAYER`), and on the host vNIC port
//! `LB_HOST_*` (layer `LB`) when a backend is remote. Each missing rule is named exactly —
//! networkhealth named the LB_DSR rule even when the NAT rule was the one missing.
//! Ports whose rules were not dumped are not judged.
//!
//! # Why it matters
//! Without these rules, traffic to the service from (or via) that port is not load-balanced or
//! not un-NATed: connections to the VIP fail from those pods.
//!
//! # Evidence used
//! HNS load balancers, endpoints and networks (management IP, host vNIC port) and VFP rules
//! (`vfp-rules`).
//!
//! # Fix
//! From the knowledge base entry `dsr-vfp-rules-missing` (restart HNS, then kube-proxy).
//!
//! # Applies to
//! Builds with DSR (WS2019 17763.1432+ and later).
//!
//! # References
//! WCN networkhealth `DSRLoadBalancerPolicyVfpRules`; domain facts §2.2 L6, L11.

use crate::rules::prelude::*;
use regex::Regex;

/// The rule.
pub struct DsrVfpRulesMissing;

struct Expect {
    port: String,
    port_desc: String,
    layer: &'static str,
    group: &'static str,
    rule: String,
}

fn has_rule(p: &VfpPort, e: &Expect) -> bool {
    let Ok(re) = Regex::new(&format!("(?i){}", e.rule)) else {
        return false;
    };
    p.layers.iter().any(|l| {
        contains_ci(&l.name, e.layer)
            && l.groups
                .iter()
                .any(|g| contains_ci(&g.name, e.group) && g.rules.iter().any(|r| re.is_match(r)))
    })
}

impl Rule for DsrVfpRulesMissing {
    fn id(&self) -> &'static str {
        "dsr-vfp-rules-missing"
    }
    fn title(&self) -> &'static str {
        "VFP rules of a DSR load balancer missing"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[
            Fact::HnsLoadBalancers,
            Fact::HnsEndpoints,
            Fact::HnsNetworks,
            Fact::VfpRules,
        ]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let Some(net) = m.hns.networks.iter().find(|n| n.management_ip.is_some()) else {
            return;
        };
        let mgmt = net.management_ip.clone().unwrap_or_default();
        let esc = |s: &str| regex::escape(s);
        let locals: Vec<&Endpoint> = m
            .hns
            .endpoints
            .iter()
            .filter(|e| e.remote() == Some(false) && e.vfp_port.is_some())
            .collect();
        for lb in m.hns.load_balancers.iter().filter(|l| l.dsr == Some(true)) {
            let vip = lb.vips.first().cloned().unwrap_or_else(|| mgmt.clone());
            let backends: Vec<&Endpoint> = lb
                .endpoint_ids
                .iter()
                .filter_map(|id| m.hns.endpoints.iter().find(|e| e.id == norm_guid(id)))
                .collect();
            let remote_backend = backends.iter().any(|e| e.remote() == Some(true));
            for pm in &lb.port_mappings {
                let (ext, int, pr) = (pm.external_port, pm.internal_port, pm.protocol);
                let mut expects = Vec::new();
                for ep in &locals {
                    let port = ep.vfp_port.clone().unwrap_or_default();
                    let desc = format!("pod {} (endpoint {})", list(&ep.ips, 1), ep.id);
                    expects.push(Expect {
                        port: port.clone(),
                        port_desc: desc.clone(),
                        layer: "LB_DSR",
                        group: "LB_DSR_IPv4_OUT",
                        rule: format!("LB_DSR_\\w*_{}_{}_{ext}_{int}_{pr}", esc(&mgmt), esc(&vip)),
                    });
                    if backends.iter().any(|b| b.id == ep.id) {
                        expects.push(Expect {
                            port: port.clone(),
                            port_desc: desc.clone(),
                            layer: "SLB_NAT_LAYER",
                            group: "SLB_GROUP_NAT_IPv4_IN",
                            rule: format!("NAT_\\w*_{}_{ext}_{pr}", esc(&vip)),
                        });
                        expects.push(Expect {
                            port,
                            port_desc: desc,
                            layer: "SLB_NAT_LAYER",
                            group: "SLB_GROUP_NAT_IPv4_OUT",
                            rule: format!("ALLOW_NAT_\\w*_{}_{ext}_{pr}", esc(&vip)),
                        });
                    }
                }
                if remote_backend {
                    if let Some(hp) = &net.host_vnic_port {
                        expects.push(Expect {
                            port: hp.clone(),
                            port_desc: format!("host vNIC of network '{}'", net.name),
                            layer: "LB",
                            group: "LB_OUT",
                            rule: format!("LB_HOST_\\w*_{}_{ext}_{int}_{pr}", esc(&vip)),
                        });
                    }
                }
                let mut missing = Vec::new();
                let mut provs = vec![lb.prov.clone()];
                for e in &expects {
                    let Some(p) = m
                        .vfp
                        .ports
                        .iter()
                        .find(|p| norm_guid(&p.name) == norm_guid(&e.port))
                    else {
                        continue;
                    };
                    if p.layers.is_empty() || has_rule(p, e) {
                        continue;
                    }
                    missing.push(format!(
                        "{} (layer {}, group {}) on the VFP port of {}",
                        e.rule.replace("\\w*", "*").replace('\\', ""),
                        e.layer,
                        e.group,
                        e.port_desc
                    ));
                    provs.push(p.prov.clone());
                }
                if missing.is_empty() {
                    continue;
                }
                ctx.finding(
                    self,
                    format!(
                        "DSR load balancer {} ({vip}:{ext} {}) lacks {}: {}.",
                        lb.id,
                        proto_name(pr),
                        plural(missing.len(), "VFP rule"),
                        list(&missing, 6)
                    ),
                )
                .why("HNS did not (fully) program this DSR service into VFP; connections to it from the listed ports are not balanced or their replies not un-NATed.")
                .evidence_all(provs.iter())
                .push(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn vport(name: &str, rules: &[(&str, &str, &str)]) -> VfpPort {
        let mut layers: Vec<VfpLayer> = Vec::new();
        for (l, g, r) in rules {
            layers.push(VfpLayer {
                name: (*l).into(),
                groups: vec![VfpGroup {
                    name: (*g).into(),
                    direction: None,
                    rules: vec![(*r).into()],
                }],
            });
        }
        VfpPort {
            name: name.into(),
            layers,
            prov: prov("vfp/rules.txt", 30, name),
            ..VfpPort::default()
        }
    }

    fn m(rules: &[(&str, &str, &str)]) -> HostModel {
        let mut m = model(&[
            Fact::HnsLoadBalancers,
            Fact::HnsEndpoints,
            Fact::HnsNetworks,
            Fact::VfpRules,
        ]);
        let mut n = network("N", "cbr0", "L2Bridge");
        n.management_ip = Some("10.240.0.4".into());
        m.hns.networks.push(n);
        let mut ep = local_ep("E1", "10.244.1.5", Some(3));
        ep.vfp_port = Some("P1".into());
        m.hns.endpoints.push(ep);
        let mut l = lb("LB", &["10.96.0.20"], &["E1"], 6, 80, true);
        l.port_mappings[0].internal_port = 8080;
        m.hns.load_balancers.push(l);
        m.vfp.ports.push(vport("P1", rules));
        m
    }

    const DSR: (&str, &str, &str) = (
        "LB_DSR",
        "LB_DSR_IPv4_OUT",
        "LB_DSR_1_10.240.0.4_10.96.0.20_80_8080_6",
    );
    const NAT: (&str, &str, &str) = (
        "SLB_NAT_LAYER",
        "SLB_GROUP_NAT_IPv4_IN",
        "NAT_1_10.96.0.20_80_6",
    );
    const ALLOW: (&str, &str, &str) = (
        "SLB_NAT_LAYER",
        "SLB_GROUP_NAT_IPv4_OUT",
        "ALLOW_NAT_1_10.96.0.20_80_6",
    );

    /// networkhealth defect: it named the LB_DSR rule when NAT/ALLOW_NAT was missing. We name
    /// the rule that is actually missing.
    #[test]
    fn names_the_rule_actually_missing() {
        let f = findings(&DsrVfpRulesMissing, &m(&[DSR, ALLOW]));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].observed
                .contains("NAT_*_10.96.0.20_80_6 (layer SLB_NAT_LAYER"),
            "{}",
            f[0].observed
        );
        assert!(!f[0].observed.contains("LB_DSR_*"), "{}", f[0].observed);
        assert!(f[0].observed.contains("1 VFP rule:"));
    }

    #[test]
    fn quiet_when_all_rules_present_or_not_dumped() {
        assert!(findings(&DsrVfpRulesMissing, &m(&[DSR, NAT, ALLOW])).is_empty());
        assert!(findings(&DsrVfpRulesMissing, &m(&[])).is_empty());
    }

    #[test]
    fn not_evaluated_without_vfp_rules() {
        let mut mm = m(&[]);
        mm.facts.remove(&Fact::VfpRules);
        assert_eq!(missing(&DsrVfpRulesMissing, &mm), vec![Fact::VfpRules]);
    }
}
