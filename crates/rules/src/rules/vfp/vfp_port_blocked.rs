//! `vfp-port-blocked` — a VFP port of an endpoint, the host vNIC or the external adapter is blocked.
//!
//! # What it finds
//! VFP switch ports whose `/get-port-state` shows `Blocked : TRUE`, named by whose port it is:
//! a local endpoint (with its IP), a network's host vNIC, a network's external adapter, or an
//! unknown owner (with the VM/friendly name VFP gives).
//!
//! # Why it matters
//! A blocked VFP port forwards nothing: a blocked endpoint port cuts one pod off, a blocked host
//! vNIC or external port cuts the whole node's container network off.
//!
//! # Evidence used
//! VFP port state (`vfp-port-state`); HNS endpoints and networks, when read, to name the owner.
//!
//! # Fix
//! From the knowledge base entry `vfp-port-blocked`.
//!
//! # Applies to
//! All builds with the VFP extension (l2bridge, overlay, Azure CNI).
//!
//! # References
//! WCN networkhealth `EndpointVfpPortStateTest`; domain facts §2.2 L11.

use crate::rules::prelude::*;
use crate::ObjId;

/// The rule.
pub struct VfpPortBlocked;

/// Who owns a VFP port, in words, with the provenance of the owner object. Endpoints are found
/// through the run's [`crate::ModelIndex`]; networks (a handful) are compared by parsed id.
#[must_use]
pub fn port_owner<'m>(ctx: &Ctx<'m>, port: &str) -> (String, Option<&'m Prov>, bool) {
    let m: &'m HostModel = ctx.model;
    if let Some(ep) = ctx
        .index()
        .endpoint_of_vfp_port(port)
        .map(|i| &m.hns.endpoints[i])
    {
        return (
            format!("endpoint {} (IP {})", ep.id, list(&ep.ips, 2)),
            Some(&ep.prov),
            false,
        );
    }
    let Some(port) = ObjId::parse(port) else {
        return ("a port of unknown owner".to_string(), None, false);
    };
    let is = |p: &Option<String>| p.as_deref().and_then(ObjId::parse).as_ref() == Some(&port);
    for n in &m.hns.networks {
        if is(&n.host_vnic_port) {
            return (
                format!("the host vNIC of network '{}'", n.name),
                Some(&n.prov),
                true,
            );
        }
        if is(&n.external_port) {
            return (
                format!("the external adapter of network '{}'", n.name),
                Some(&n.prov),
                true,
            );
        }
    }
    ("a port of unknown owner".to_string(), None, false)
}

impl Rule for VfpPortBlocked {
    fn id(&self) -> &'static str {
        "vfp-port-blocked"
    }
    fn title(&self) -> &'static str {
        "VFP port blocked"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::VfpPortState]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        for p in ctx
            .model
            .vfp
            .ports
            .iter()
            .filter(|p| p.blocked == Some(true))
        {
            let (owner, oprov, node_wide) = port_owner(ctx, &p.name);
            let extra = p
                .vm_name
                .as_deref()
                .or(p.friendly_name.as_deref())
                .map(|n| format!(", VFP name '{n}'"))
                .unwrap_or_default();
            let mut d = ctx
                .finding(
                    self,
                    format!("VFP port {} ({owner}{extra}) is blocked.", p.name),
                )
                .why(if node_wide {
                    "A blocked host vNIC or external-adapter port stops all container traffic to and from this node on that network."
                } else {
                    "A blocked endpoint port forwards nothing: the pod behind it is cut off."
                })
                .evidence(&p.prov);
            if let Some(op) = oprov {
                d = d.evidence(op);
            }
            if owner.starts_with("a port of unknown") {
                d = d.confidence(Confidence::Medium);
            }
            d.push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn port(name: &str, blocked: Option<bool>) -> VfpPort {
        VfpPort {
            name: name.into(),
            blocked,
            prov: prov("vfp/ports.txt", 8, "Blocked : TRUE"),
            ..VfpPort::default()
        }
    }

    #[test]
    fn fires_and_names_owner() {
        let mut m = model(&[Fact::VfpPortState, Fact::HnsEndpoints, Fact::HnsNetworks]);
        let mut ep = local_ep("E1", "10.244.1.5", Some(3));
        ep.vfp_port = Some("p-ep".into());
        m.hns.endpoints.push(ep);
        let mut n = network("N1", "cbr0", "L2Bridge");
        n.host_vnic_port = Some("P-HOST".into());
        n.external_port = Some("p-ext".into());
        m.hns.networks.push(n);
        m.vfp.ports = vec![
            port("P-EP", Some(true)),
            port("P-HOST", Some(true)),
            port("P-EXT", Some(true)),
        ];
        let f = findings(&VfpPortBlocked, &m);
        assert_eq!(f.len(), 3);
        assert!(f[0].observed.contains("endpoint E1 (IP 10.244.1.5)"));
        assert!(f[1].observed.contains("host vNIC of network 'cbr0'"));
        assert!(f[2].observed.contains("external adapter"));
    }

    #[test]
    fn quiet_when_unblocked_or_unknown() {
        let mut m = model(&[Fact::VfpPortState]);
        m.vfp.ports = vec![port("A", Some(false)), port("B", None)];
        assert!(findings(&VfpPortBlocked, &m).is_empty());
    }

    #[test]
    fn not_evaluated_without_port_state() {
        assert_eq!(
            missing(&VfpPortBlocked, &model(&[Fact::VfpPorts])),
            vec![Fact::VfpPortState]
        );
    }
}
