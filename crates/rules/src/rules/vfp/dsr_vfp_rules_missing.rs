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
use rayon::prelude::*;
use std::hash::{Hash, Hasher};

/// The rule.
pub struct DsrVfpRulesMissing;

/// A rule HNS should have programmed: on VFP port `port` (index into `vfp.ports`), in a layer
/// whose name contains `layer` and a group whose name contains `group`, a rule named
/// `…<prefix><word chars>_<tail>` (case-insensitive).
struct Expect<'a> {
    port: usize,
    port_desc: &'a str,
    layer: &'static str,
    group: &'static str,
    prefix: &'static str,
    tail: String,
}

/// A case-insensitive (ASCII) string key.
#[derive(Clone, Copy)]
struct Ci<'a>(&'a str);

impl PartialEq for Ci<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.0.eq_ignore_ascii_case(o.0)
    }
}
impl Eq for Ci<'_> {}
impl Hash for Ci<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        let mut buf = [0u8; 32];
        for chunk in self.0.as_bytes().chunks(buf.len()) {
            for (d, s) in buf.iter_mut().zip(chunk) {
                *d = s.to_ascii_uppercase();
            }
            h.write(&buf[..chunk.len()]);
        }
        h.write_u8(0xFF);
    }
}

/// The rule-name prefixes expected, each with the length (in `_`-separated parts) of the tail
/// after `<prefix><word chars>_`: NAT/ALLOW_NAT `<vip>_<ext>_<proto>`, LB_HOST
/// `<vip>_<ext>_<int>_<proto>`, LB_DSR `<mgmt>_<vip>_<ext>_<int>_<proto>`. Addresses hold no
/// `_`, so the parts are exact.
const KINDS: [(&str, usize); 4] = [
    ("LB_DSR_", 5),
    ("LB_HOST_", 4),
    ("NAT_", 3),
    ("ALLOW_NAT_", 3),
];

/// `(layer, group, rule)` positions inside one VFP port.
type RuleAt = (usize, usize, usize);

/// Every dumped rule of one port, by name tail for each expected prefix its name holds: built
/// once per run (every port on its own core), so checking an expected rule is one hash lookup
/// instead of a regex compiled and run over the port's rules. Rules sharing a tail are chained
/// through `next` (no list allocated per key: a node has 300,000 dumped rules).
#[derive(Default)]
struct PortIndex<'a> {
    first: foldhash::HashMap<Ci<'a>, usize>,
    /// `(position, next entry with the same tail)`.
    entries: Vec<(RuleAt, Option<usize>)>,
}

impl PortIndex<'_> {
    /// The rules filed under a tail.
    fn get(&self, tail: &str) -> impl Iterator<Item = RuleAt> + '_ {
        let mut at = self.first.get(&Ci(tail)).copied();
        std::iter::from_fn(move || {
            let (pos, next) = *self.entries.get(at?)?;
            at = next;
            Some(pos)
        })
    }
}

fn port_index(p: &VfpPort) -> PortIndex<'_> {
    let mut ix = PortIndex::default();
    for (li, l) in p.layers.iter().enumerate() {
        for (gi, g) in l.groups.iter().enumerate() {
            for (ri, r) in g.rules.iter().enumerate() {
                let mut last = None;
                for (prefix, k) in KINDS {
                    if last == Some(k) || !contains_ci(r, prefix) {
                        continue;
                    }
                    if let Some(t) = tail(r, k) {
                        let n = ix.entries.len();
                        let prev = ix.first.insert(Ci(t), n);
                        ix.entries.push(((li, gi, ri), prev));
                        last = Some(k);
                    }
                }
            }
        }
    }
    ix
}

/// The last `k` `_`-separated parts of `name` (without the `_` before them), when it has more.
fn tail(name: &str, k: usize) -> Option<&str> {
    let mut cut = name.len();
    for _ in 0..k {
        cut = name[..cut].rfind('_')?;
    }
    Some(&name[cut + 1..])
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `head` (the rule name before `_<tail>`) ends in `<prefix><word chars>`.
fn head_matches(head: &str, prefix: &str) -> bool {
    let (h, p) = (head.as_bytes(), prefix.as_bytes());
    // The last case-insensitive occurrence of the (ASCII) prefix, without an upper-cased copy.
    (0..=h.len().saturating_sub(p.len()))
        .rev()
        .find(|&i| {
            h.get(i..i + p.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(p))
        })
        .is_some_and(|i| {
            head.get(i + p.len()..)
                .is_some_and(|r| r.chars().all(is_word))
        })
}

fn present(ports: &[VfpPort], ix: &[PortIndex<'_>], e: &Expect<'_>) -> bool {
    let p = &ports[e.port];
    ix.get(e.port)
        .into_iter()
        .flat_map(|pi| pi.get(&e.tail))
        .any(|(li, gi, ri)| {
            let l = &p.layers[li];
            let g = &l.groups[gi];
            let r = &g.rules[ri];
            contains_ci(&l.name, e.layer)
                && contains_ci(&g.name, e.group)
                && head_matches(&r[..r.len() - e.tail.len() - 1], e.prefix)
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
        let ix = ctx.index();
        let Some(net) = m.hns.networks.iter().find(|n| n.management_ip.is_some()) else {
            return;
        };
        let mgmt = net.management_ip.clone().unwrap_or_default();
        let ports = &m.vfp.ports;
        // Only ports whose rules were dumped are judged: resolve them once.
        let dumped = |id: &str| ix.vfp_port(id).filter(|&p| !ports[p].layers.is_empty());
        // (endpoint index, dumped VFP port index, description) of local endpoints
        let locals: Vec<(usize, usize, String)> = m
            .hns
            .endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| e.remote() == Some(false))
            .filter_map(|(i, e)| {
                let p = dumped(e.vfp_port.as_deref()?)?;
                Some((i, p, format!("pod {} (endpoint {})", list(&e.ips, 1), e.id)))
            })
            .collect();
        let host = net
            .host_vnic_port
            .as_deref()
            .and_then(dumped)
            .map(|p| (p, format!("host vNIC of network '{}'", net.name)));
        if locals.is_empty() && host.is_none() {
            return;
        }
        let judged = Judged {
            rules: ports.par_iter().map(port_index).collect(),
            locals,
            host,
            mgmt,
        };
        let dsr: Vec<(usize, &LoadBalancer)> = m
            .hns
            .load_balancers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.dsr == Some(true))
            .collect();
        // Load balancers are checked on every core; their findings are taken in order.
        let found: Vec<Vec<Finding>> = dsr
            .par_iter()
            .map(|&(li, lb)| {
                let mut out = Vec::new();
                self.check_lb(ctx, &judged, li, lb, &mut out);
                out
            })
            .collect();
        out.extend(found.into_iter().flatten());
    }
}

/// What the load balancers are checked against: the dumped ports' rule indexes, the local
/// endpoints' dumped ports, the host vNIC's port and the management IP.
struct Judged<'a> {
    rules: Vec<PortIndex<'a>>,
    /// (endpoint index, dumped VFP port index, description) of local endpoints.
    locals: Vec<(usize, usize, String)>,
    /// The host vNIC's dumped port, with its description.
    host: Option<(usize, String)>,
    mgmt: String,
}

impl DsrVfpRulesMissing {
    /// The expected rules of one DSR load balancer; a finding when any is missing.
    fn check_lb(
        &self,
        ctx: &Ctx<'_>,
        judged: &Judged<'_>,
        li: usize,
        lb: &LoadBalancer,
        out: &mut Vec<Finding>,
    ) {
        let (m, ix) = (ctx.model, ctx.index());
        let ports = &m.vfp.ports;
        let Judged {
            rules,
            locals,
            host,
            mgmt,
        } = judged;
        let vip = lb.vips.first().cloned().unwrap_or_else(|| mgmt.to_string());
        let backends = ix.lb_backends(li);
        // Backend endpoints as a set: each local endpoint is one lookup, not a scan.
        let is_backend: std::collections::HashSet<usize> = backends.iter().copied().collect();
        let remote_backend = backends
            .iter()
            .any(|&b| m.hns.endpoints[b].remote() == Some(true));
        for pm in &lb.port_mappings {
            let (ext, int, pr) = (pm.external_port, pm.internal_port, pm.protocol);
            let mut expects = Vec::new();
            for (ei, port, desc) in locals {
                expects.push(Expect {
                    port: *port,
                    port_desc: desc,
                    layer: "LB_DSR",
                    group: "LB_DSR_IPv4_OUT",
                    prefix: "LB_DSR_",
                    tail: format!("{mgmt}_{vip}_{ext}_{int}_{pr}"),
                });
                if is_backend.contains(ei) {
                    expects.push(Expect {
                        port: *port,
                        port_desc: desc,
                        layer: "SLB_NAT_LAYER",
                        group: "SLB_GROUP_NAT_IPv4_IN",
                        prefix: "NAT_",
                        tail: format!("{vip}_{ext}_{pr}"),
                    });
                    expects.push(Expect {
                        port: *port,
                        port_desc: desc,
                        layer: "SLB_NAT_LAYER",
                        group: "SLB_GROUP_NAT_IPv4_OUT",
                        prefix: "ALLOW_NAT_",
                        tail: format!("{vip}_{ext}_{pr}"),
                    });
                }
            }
            if remote_backend {
                if let Some((port, desc)) = host.as_ref() {
                    expects.push(Expect {
                        port: *port,
                        port_desc: desc,
                        layer: "LB",
                        group: "LB_OUT",
                        prefix: "LB_HOST_",
                        tail: format!("{vip}_{ext}_{int}_{pr}"),
                    });
                }
            }
            let mut missing = Vec::new();
            let mut provs = vec![&lb.prov];
            for e in &expects {
                if present(ports, rules, e) {
                    continue;
                }
                missing.push(format!(
                    "{}*_{} (layer {}, group {}) on the VFP port of {}",
                    e.prefix, e.tail, e.layer, e.group, e.port_desc
                ));
                provs.push(&ports[e.port].prov);
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
            .evidence_all(provs)
            .push(out);
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

    /// Names compare case-insensitively and by their whole tail: a rule for protocol 60 is not
    /// the rule for protocol 6 (a prefix match would have taken it).
    #[test]
    fn rule_names_match_case_insensitively_and_by_whole_tail() {
        let lower = (
            "lb_dsr",
            "lb_dsr_ipv4_out",
            "lb_dsr_1_10.240.0.4_10.96.0.20_80_8080_6",
        );
        assert!(findings(&DsrVfpRulesMissing, &m(&[lower, NAT, ALLOW])).is_empty());
        let other_proto = (
            "LB_DSR",
            "LB_DSR_IPv4_OUT",
            "LB_DSR_1_10.240.0.4_10.96.0.20_80_8080_60",
        );
        let f = findings(&DsrVfpRulesMissing, &m(&[other_proto, NAT, ALLOW]));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0]
            .observed
            .contains("LB_DSR_*_10.240.0.4_10.96.0.20_80_8080_6 (layer LB_DSR"));
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
