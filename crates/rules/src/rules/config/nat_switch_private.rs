//! `nat-switch-private` — the WinNAT vSwitch is Private or has no host vNIC, so NAT cannot work.
//!
//! # What it finds
//! Hyper-V switches named like a NAT network (an HNS network of type NAT, or a Get-NetNat
//! instance) that are of type Private, or Internal without a host vNIC
//! (`AllowManagementOS` false). A switch named `nat` — the name Docker and the NAT CNI give
//! their NAT network's switch — counts as a NAT switch even when neither HNS networks nor
//! Get-NetNat are shown (medium confidence).
//!
//! # Why it matters
//! WinNAT translates between the host vNIC on the NAT switch and the outside; without a host
//! vNIC there is nothing to translate through — containers on that network have no outbound
//! or published-port connectivity.
//!
//! # Evidence used
//! `v-switches` (needed), and the NAT names from `hns-networks` and/or `net-nat` when read.
//!
//! # Fix
//! From the knowledge base entry `nat-switch-private`.
//!
//! # Applies to
//! Hosts with NAT container networks (Docker, containerd with the nat plugin).
//!
//! # References
//! Finding catalogue.

use crate::rules::prelude::*;

/// The rule.
pub struct NatSwitchPrivate;

impl Rule for NatSwitchPrivate {
    fn id(&self) -> &'static str {
        "nat-switch-private"
    }
    fn title(&self) -> &'static str {
        "NAT switch is private or has no host vNIC"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn needs(&self) -> &'static [Fact] {
        &[Fact::VSwitches]
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let m = ctx.model;
        let mut names: Vec<(&str, &Prov)> = m
            .hns
            .networks
            .iter()
            .filter(|n| n.net_type.eq_ignore_ascii_case("nat"))
            .map(|n| (n.name.as_str(), &n.prov))
            .collect();
        names.extend(m.nat.nats.iter().map(|n| (n.name.as_str(), &n.prov)));
        for sw in &m.nat.switches {
            let nprov = names
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&sw.name))
                .map(|(_, p)| *p);
            if nprov.is_none() && !sw.name.eq_ignore_ascii_case("nat") {
                continue;
            }
            let t = sw.switch_type.as_deref().unwrap_or("");
            let problem = if t.eq_ignore_ascii_case("private") {
                "is a Private switch (no host vNIC possible)"
            } else if sw.allow_management_os == Some(false) {
                "has no host vNIC (AllowManagementOS is False)"
            } else {
                continue;
            };
            let mut d = ctx
                .finding(self, format!("The NAT switch '{}' ({t}) {problem}.{}", sw.name,
                    if nprov.is_none() { " (A NAT switch by its name: HNS networks and Get-NetNat are not shown.)" } else { "" }))
                .why("WinNAT translates through the host vNIC on the NAT switch; without one, containers on the NAT network have no outbound or published-port connectivity.")
                .confidence(if nprov.is_some() { Confidence::High } else { Confidence::Medium })
                .evidence(&sw.prov);
            if let Some(p) = nprov {
                d = d.evidence(p);
            }
            d.push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn m(t: &str, mgmt: Option<bool>) -> HostModel {
        let mut m = model(&[Fact::VSwitches, Fact::HnsNetworks]);
        m.hns.networks.push(network("N", "nat", "NAT"));
        m.nat.switches.push(VSwitch {
            name: "nat".into(),
            switch_type: Some(t.into()),
            adapter_description: None,
            allow_management_os: mgmt,
            prov: prov("vmswitch.txt", 2, "nat Internal"),
        });
        m
    }

    #[test]
    fn fires_on_private_or_no_vnic() {
        assert!(findings(&NatSwitchPrivate, &m("Private", None))[0]
            .observed
            .contains("Private switch"));
        assert!(findings(&NatSwitchPrivate, &m("Internal", Some(false)))[0]
            .observed
            .contains("no host vNIC"));
    }

    #[test]
    fn switch_named_nat_alone_is_enough_other_names_are_not() {
        let mut v = model(&[Fact::VSwitches]);
        v.nat.switches.push(VSwitch {
            name: "nat".into(),
            switch_type: Some("Private".into()),
            adapter_description: None,
            allow_management_os: Some(false),
            prov: prov("vmswitch.txt", 1, "nat"),
        });
        let f = findings(&NatSwitchPrivate, &v);
        assert_eq!(f[0].confidence, Confidence::Medium);
        assert!(f[0].observed.contains("not shown"), "{}", f[0].observed);
        v.nat.switches[0].name = "LabPrivate".into();
        assert!(findings(&NatSwitchPrivate, &v).is_empty());
    }

    #[test]
    fn quiet_on_internal_with_vnic() {
        assert!(findings(&NatSwitchPrivate, &m("Internal", Some(true))).is_empty());
    }

    #[test]
    fn not_evaluated_without_switches() {
        assert_eq!(
            missing(&NatSwitchPrivate, &model(&[Fact::HnsNetworks])),
            vec![Fact::VSwitches]
        );
    }
}
