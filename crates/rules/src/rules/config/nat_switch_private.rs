//! `nat-switch-private` — the WinNAT vSwitch is Private or has no host vNIC, so NAT cannot work.
//!
//! # What it finds
//! Hyper-V switches named like a NAT network (an HNS network of type NAT, or a Get-NetNat
//! instance) that are of type Private, or Internal without a host vNIC
//! (`AllowManagementOS` false).
//!
//! # Why it matters
//! WinNAT translates between the host vNIC on the NAT switch and the outside; without a host
//! vNIC there is nothing to translate through — containers on that network have no outbound
//! or published-port connectivity.
//!
//! # Evidence used
//! `v-switches` (needed), and the NAT names from `hns-networks` and/or `net-nat`; when neither
//! is shown, a switch named `nat` (the name HNS gives its default NAT network's switch) counts,
//! with medium confidence.
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
        // Neither HNS networks nor Get-NetNat shown: HNS names the switch of its NAT network
        // after the network, `nat` by default — that name alone is the (weaker) evidence.
        let by_default_name = !m.has(Fact::HnsNetworks) && !m.has(Fact::NetNat);
        let index: std::collections::HashMap<String, &Prov> = names
            .iter()
            .map(|(n, p)| (n.to_ascii_lowercase(), *p))
            .collect();
        for sw in &m.nat.switches {
            let nprov = index.get(&sw.name.to_ascii_lowercase()).copied();
            if nprov.is_none() && !(by_default_name && sw.name.eq_ignore_ascii_case("nat")) {
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
                .finding(self, format!("The NAT switch '{}' ({t}) {problem}.", sw.name))
                .why("WinNAT translates through the host vNIC on the NAT switch; without one, containers on the NAT network have no outbound or published-port connectivity.")
                .evidence(&sw.prov);
            d = match nprov {
                Some(p) => d.evidence(p),
                None => d.confidence(Confidence::Medium),
            };
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

    #[test]
    fn a_switch_named_nat_without_networks_shown() {
        let mut m = model(&[Fact::VSwitches]);
        m.nat.switches.push(VSwitch {
            name: "NAT".into(),
            switch_type: Some("Private".into()),
            adapter_description: None,
            allow_management_os: Some(false),
            prov: prov("paste", 9, "SwitchType : Private"),
        });
        let f = findings(&NatSwitchPrivate, &m);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].confidence, Confidence::Medium);
        // another name is not a NAT switch by itself
        m.nat.switches[0].name = "LabSwitch".into();
        assert!(findings(&NatSwitchPrivate, &m).is_empty());
        // networks shown and none is nat: a switch called nat is not claimed by name
        let mut m2 = model(&[Fact::VSwitches, Fact::HnsNetworks]);
        m2.nat.switches.push(VSwitch {
            name: "nat".into(),
            switch_type: Some("Private".into()),
            adapter_description: None,
            allow_management_os: None,
            prov: prov("paste", 9, "SwitchType : Private"),
        });
        assert!(findings(&NatSwitchPrivate, &m2).is_empty());
    }
}
