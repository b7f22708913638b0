//! `winnat-preexisting-nat` — a leftover WinNAT instance blocks a new NAT network.
//!
//! # What it finds
//! * `Get-NetNat` shows a WinNAT instance whose internal prefix matches no subnet of the HNS
//!   NAT network (or there is no HNS NAT network at all, when HNS networks were read), or shows
//!   more than one instance (WinNAT supports one per host on most builds);
//! * errors that say a NAT could not be created because one exists: `New-NetNat … already
//!   exists`, "Multiple NAT networks are not supported", docker's `Error creating default "nat"
//!   network`, or a NAT network creation (`hcnCreateNetwork`, `create network nat`) failing with
//!   "already exists" (0x1392 / 0xb7). A CNI `plugin type="nat"` failure is left to
//!   `cni-nat-config-conflict`.
//!
//! # Why it matters
//! WinNAT allows one NAT instance; a stale one (from an earlier Docker, Hyper-V "NAT switch"
//! tutorial or a removed network) makes every new NAT network fail, so Docker or the NAT CNI
//! cannot create `nat` and containers get no network.
//!
//! # Evidence used
//! `net-nat` (Get-NetNat) and HNS networks when read; any log or error record. One of them.
//!
//! # Fix
//! From the knowledge base entry `winnat-preexisting-nat` (`Get-NetNat | Remove-NetNat`, then
//! restart HNS / docker).
//!
//! # Applies to
//! All builds with WinNAT (Windows 10 / Server 2016 and later).
//!
//! # References
//! docker/for-win#726; docker/for-win#1384; MicrosoftDocs/Virtualization-Documentation#589.

use crate::rules::prelude::*;

/// The rule.
pub struct WinnatPreexistingNat;

const NEEDS_ANY: &[Fact] = &[
    Fact::NetNat,
    Fact::KubeProxyLog,
    Fact::KubeletLog,
    Fact::RuntimeLog,
    Fact::CniLog,
    Fact::PastedLog,
    Fact::KubeEvents,
    Fact::HnsEventLog,
    Fact::SystemEventLog,
];

/// "Object already exists" (0x1392) and "file already exists" (0xb7) as HRESULTs.
const EXISTS: &[u32] = &[0x8007_1392, 0x8007_00b7];

/// Whether a log line says a NAT could not be created because one exists.
fn blocked_nat_line(e: &LogEvent) -> bool {
    let m = e.message.to_ascii_lowercase();
    if m.contains("plugin type=\"nat\"") || m.contains("plugin type=nat") {
        return false;
    }
    let exists = m.contains("already exists") || e.error_codes.iter().any(|c| EXISTS.contains(c));
    (m.contains("new-netnat") && exists)
        || m.contains("multiple nat networks are not supported")
        || m.contains("creating default \"nat\" network")
        || m.contains("creating default nat network")
        || (exists
            && (m.contains("hcncreatenetwork")
                || m.contains("create network")
                || m.contains("new-hnsnetwork"))
            && m.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w == "nat"))
}

impl Rule for WinnatPreexistingNat {
    fn id(&self) -> &'static str {
        "winnat-preexisting-nat"
    }
    fn title(&self) -> &'static str {
        "Leftover WinNAT instance blocks the NAT network"
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
        let lines: Vec<&LogEvent> = m
            .log_events
            .iter()
            .filter(|e| blocked_nat_line(e))
            .collect();
        let mut parts = Vec::new();
        let mut provs: Vec<&Prov> = Vec::new();
        let mut sev = Severity::Warning;
        let mut conf = Confidence::Medium;
        if let Some(l) = lines.first() {
            parts.push(format!(
                "{} say a NAT network could not be created because one exists; first: {}",
                plural(lines.len(), "error line"),
                quote(&l.message)
            ));
            provs.extend(lines.iter().take(3).map(|l| &l.prov));
            sev = Severity::Error;
        }
        if m.has(Fact::NetNat) && !m.nat.nats.is_empty() {
            let hns_nat_prefixes: Vec<&str> = m
                .hns
                .networks
                .iter()
                .filter(|n| n.net_type.eq_ignore_ascii_case("nat"))
                .flat_map(|n| n.subnets.iter().map(|s| s.prefix.as_str()))
                .collect();
            let nat_keys: std::collections::HashSet<String> =
                hns_nat_prefixes.iter().map(|p| prefix_key(p)).collect();
            let has_hns_nat = m
                .hns
                .networks
                .iter()
                .any(|n| n.net_type.eq_ignore_ascii_case("nat"));
            let stray: Vec<&NetNat> = m
                .nat
                .nats
                .iter()
                .filter(|n| match n.internal_prefix.as_deref() {
                    Some(p) if has_hns_nat => !nat_keys.contains(&prefix_key(p)),
                    _ => m.has(Fact::HnsNetworks) && !has_hns_nat,
                })
                .collect();
            if !stray.is_empty() {
                let desc: Vec<String> = stray
                    .iter()
                    .map(|n| {
                        format!(
                            "'{}' ({})",
                            n.name,
                            n.internal_prefix.as_deref().unwrap_or("prefix not shown")
                        )
                    })
                    .collect();
                parts.push(if has_hns_nat {
                    format!(
                        "WinNAT instance {} does not match the HNS NAT network's subnet ({})",
                        list(&desc, 3),
                        if hns_nat_prefixes.is_empty() {
                            "not shown".to_string()
                        } else {
                            list(&hns_nat_prefixes, 3)
                        }
                    )
                } else {
                    format!(
                        "WinNAT instance {} exists but HNS has no NAT network",
                        list(&desc, 3)
                    )
                });
                provs.extend(stray.iter().take(3).map(|n| &n.prov));
                if sev == Severity::Error {
                    conf = Confidence::High;
                }
            } else if m.nat.nats.len() > 1 {
                let names: Vec<&str> = m.nat.nats.iter().map(|n| n.name.as_str()).collect();
                parts.push(format!(
                    "{} WinNAT instances exist ({}); WinNAT supports one per host",
                    m.nat.nats.len(),
                    list(&names, 4)
                ));
                provs.extend(m.nat.nats.iter().take(3).map(|n| &n.prov));
            }
        } else if !lines.is_empty() {
            parts.push(
                "Get-NetNat is not shown, so the leftover instance is inferred from the error"
                    .into(),
            );
        }
        if parts.is_empty() {
            return;
        }
        ctx.finding(self, format!("{}.", parts.join("; ")))
            .severity(sev)
            .confidence(conf)
            .why("WinNAT allows one NAT instance per host: a leftover one makes every new NAT network fail, so Docker or the NAT CNI cannot create 'nat' and containers get no network.")
            .evidence_all(provs)
            .push(out);
    }
}

/// A CIDR in one spelling (parsed network and length), so equal prefixes compare equal.
fn prefix_key(p: &str) -> String {
    match parse_cidr(p) {
        Some(net) => net.to_string(),
        None => p.trim().to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn nat(name: &str, prefix: &str) -> NetNat {
        NetNat {
            name: name.into(),
            internal_prefix: Some(prefix.into()),
            active: Some(true),
            prov: prov("nat/netnat.txt", 2, name),
        }
    }

    fn hns_nat(prefix: &str) -> Network {
        let mut n = network("N1", "nat", "NAT");
        n.subnets.push(Subnet {
            prefix: prefix.into(),
            gateway: None,
        });
        n
    }

    #[test]
    fn fires_on_mismatched_winnat_and_on_error_lines() {
        let mut m = model(&[Fact::NetNat, Fact::HnsNetworks]);
        m.nat.nats = vec![nat("DockerNAT", "10.0.75.0/24")];
        m.hns.networks = vec![hns_nat("172.27.16.0/20")];
        let f = findings(&WinnatPreexistingNat, &m);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].observed.contains("'DockerNAT' (10.0.75.0/24)"),
            "{}",
            f[0].observed
        );
        assert!(
            f[0].observed.contains("172.27.16.0/20"),
            "{}",
            f[0].observed
        );
        let mut l = model(&[Fact::PastedLog]);
        l.log_events.push(log(
            Component::Unknown,
            "New-NetNat : Instance MSFT_NetNat already exists",
            &[],
        ));
        let f = findings(&WinnatPreexistingNat, &l);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].observed.contains("Get-NetNat is not shown"),
            "{}",
            f[0].observed
        );
        let mut d = model(&[Fact::RuntimeLog]);
        d.log_events.push(log(
            Component::Docker,
            "Error starting daemon: Error initializing network controller: Error creating default \"nat\" network: HNS failed with error : The object already exists.",
            &[0x8007_1392],
        ));
        assert_eq!(findings(&WinnatPreexistingNat, &d).len(), 1);
    }

    #[test]
    fn quiet_on_matching_nat_and_on_cni_nat_plugin() {
        let mut m = model(&[Fact::NetNat, Fact::HnsNetworks, Fact::PastedLog]);
        m.nat.nats = vec![nat("HNS-nat", "172.27.16.0/20")];
        m.hns.networks = vec![hns_nat("172.27.16.0/20")];
        m.log_events.push(log(
            Component::Kubelet,
            "plugin type=\"nat\" name=\"nat\" failed (add): hcnCreateNetwork failed in Win32: The object already exists. (0x1392)",
            &[0x8007_1392],
        ));
        assert!(findings(&WinnatPreexistingNat, &m).is_empty());
    }

    #[test]
    fn partial_netnat_without_hns_networks_and_not_evaluated() {
        let mut m = model(&[Fact::NetNat]);
        m.nat.nats = vec![nat("LabNAT", "192.168.50.0/24")];
        assert!(
            findings(&WinnatPreexistingNat, &m).is_empty(),
            "one NAT, HNS not shown: no claim"
        );
        m.nat.nats.push(nat("DockerNAT", "10.0.75.0/24"));
        let f = findings(&WinnatPreexistingNat, &m);
        assert!(
            f[0].observed.contains("2 WinNAT instances"),
            "{}",
            f[0].observed
        );
        assert_eq!(
            missing(&WinnatPreexistingNat, &model(&[])).len(),
            NEEDS_ANY.len()
        );
    }
}
