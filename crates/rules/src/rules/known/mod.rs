//! Known issues that need a condition beyond the build, UBR or hotfix. Every other known issue,
//! image issue and platform gap is a knowledge-base entry with `[entry.finding]` and has no file
//! here: [`crate::known_issue::kb_rules`] turns it into a rule. The table test below covers every
//! such rule, with and without a file.

pub mod dns_negative_cache;
pub mod os_outdated;
pub mod overlay_hotfix_missing;
pub mod vfp_decap_regression;
pub mod ws2022_dsr_l2bridge;

#[cfg(test)]
mod tests {
    use crate::engine::Rule;
    use crate::finding::{Confidence, Severity};
    use crate::registry::rule;
    use crate::testkit::*;
    use hnsdoctor_kb::{EntryKind, Kb};
    use hnsdoctor_model::*;

    /// What the data holds beyond the OS build.
    #[derive(Clone, Copy)]
    enum Data {
        /// The build alone (`systeminfo.txt`).
        Build,
        /// An Overlay network.
        Overlay,
        /// An l2bridge network with a DSR load balancer.
        L2BridgeDsr,
        /// A container image (reference) on a fully patched host.
        Image(&'static str),
    }

    /// Expected outcome.
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Want {
        Quiet,
        Fires(Severity, Confidence),
    }
    use Want::{Fires, Quiet};

    /// One row per case: (id, build, UBR, data, outcome). Every knowledge-base rule needs a row
    /// where it fires and one where it stays quiet (checked below).
    const CASES: &[(&str, u32, u32, Data, Want)] = &[
        (
            "dns-blackout-15min",
            16299,
            100,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        ("dns-blackout-15min", 16299, 248, Data::Build, Quiet),
        (
            "docker-slow-start-hnsdata",
            16299,
            334,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        ("docker-slow-start-hnsdata", 16299, 402, Data::Build, Quiet),
        (
            "netns-cleanup-on-crash",
            16299,
            402,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        ("netns-cleanup-on-crash", 17763, 100, Data::Build, Quiet),
        (
            "nodeport-from-node",
            17763,
            1000,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        ("nodeport-from-node", 17763, 1432, Data::Build, Quiet),
        (
            "outbound-lost-after-restart",
            16299,
            402,
            Data::Build,
            Fires(Severity::Warning, Confidence::High),
        ),
        ("outbound-lost-after-restart", 17134, 1, Data::Build, Quiet),
        (
            "service-vip-unreachable",
            16299,
            300,
            Data::Build,
            Fires(Severity::Warning, Confidence::High),
        ),
        ("service-vip-unreachable", 16299, 402, Data::Build, Quiet),
        (
            "winnat-port-collision",
            14393,
            1000,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        ("winnat-port-collision", 14393, 2068, Data::Build, Quiet),
        (
            "ws2019-container-dns-loss",
            17763,
            5000,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        ("ws2019-container-dns-loss", 20348, 100, Data::Build, Quiet),
        (
            "ws2022-dns-2025-07",
            20348,
            3932,
            Data::Build,
            Fires(Severity::Warning, Confidence::High),
        ),
        ("ws2022-dns-2025-07", 20348, 3000, Data::Build, Quiet),
        (
            "ws2022-pod-network-regression",
            20348,
            2600,
            Data::Build,
            Fires(Severity::Warning, Confidence::High),
        ),
        (
            "ws2022-pod-network-regression",
            20348,
            2762,
            Data::Build,
            Quiet,
        ),
        (
            "ws2019-pod-dns-2019-05",
            17763,
            437,
            Data::Build,
            Fires(Severity::Warning, Confidence::High),
        ),
        ("ws2019-pod-dns-2019-05", 17763, 529, Data::Build, Quiet),
        (
            "dns-negative-cache",
            15063,
            900,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        ("dns-negative-cache", 17763, 100, Data::Build, Quiet),
        (
            "vfp-decap-regression",
            17763,
            1457,
            Data::Build,
            Fires(Severity::Warning, Confidence::High),
        ),
        ("vfp-decap-regression", 17763, 1554, Data::Build, Quiet),
        (
            "overlay-hotfix-missing",
            17763,
            300,
            Data::Overlay,
            Fires(Severity::Error, Confidence::High),
        ),
        ("overlay-hotfix-missing", 17763, 379, Data::Overlay, Quiet),
        (
            "overlay-hotfix-missing",
            17763,
            300,
            Data::L2BridgeDsr,
            Quiet,
        ),
        (
            "ws2022-dsr-l2bridge",
            20348,
            300,
            Data::L2BridgeDsr,
            Fires(Severity::Warning, Confidence::High),
        ),
        ("ws2022-dsr-l2bridge", 20348, 100, Data::L2BridgeDsr, Quiet),
        ("ws2022-dsr-l2bridge", 20348, 300, Data::Overlay, Quiet),
        // platform gaps: info where open (high) or of unknown status (low)
        (
            "gap-node-to-service-vip",
            17763,
            1,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        (
            "gap-node-to-service-vip",
            20348,
            1,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        (
            "gap-ipsec",
            20348,
            1,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        (
            "gap-dnsrr",
            17763,
            1,
            Data::Build,
            Fires(Severity::Info, Confidence::Low),
        ),
        (
            "gap-http-proxy",
            17134,
            1,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        ("gap-http-proxy", 17763, 1, Data::Build, Quiet),
        (
            "gap-endpoint-hot-add",
            16299,
            1,
            Data::Build,
            Fires(Severity::Info, Confidence::High),
        ),
        ("gap-endpoint-hot-add", 17763, 1, Data::Build, Quiet),
        // image issues: the image decides, whatever the host's UBR
        (
            "ltsc2019-dns-2023-09",
            17763,
            6000,
            Data::Image("mcr.microsoft.com/windows/servercore:10.0.17763.4851"),
            Fires(Severity::Warning, Confidence::High),
        ),
        (
            "ltsc2019-dns-2023-09",
            17763,
            6000,
            Data::Image("mcr.microsoft.com/windows/nanoserver:1809-KB5030214"),
            Fires(Severity::Warning, Confidence::High),
        ),
        (
            "ltsc2019-dns-2023-09",
            17763,
            6000,
            Data::Image("mcr.microsoft.com/windows/servercore:ltsc2019"),
            Fires(Severity::Info, Confidence::Low),
        ),
        (
            "ltsc2019-dns-2023-09",
            17763,
            6000,
            Data::Image("mcr.microsoft.com/windows/servercore:10.0.17763.4974"),
            Quiet,
        ),
        (
            "ltsc2019-dns-2023-09",
            17763,
            6000,
            Data::Image("mcr.microsoft.com/windows/servercore:10.0.17763.4850"),
            Quiet,
        ),
        (
            "ltsc2019-dns-2023-09",
            17763,
            6000,
            Data::Image("contoso.azurecr.io/app:10.0.17763.4851"),
            Quiet,
        ),
        (
            "ltsc2019-dns-2023-09",
            17763,
            6000,
            Data::Image("mcr.microsoft.com/windows/servercore:10.0.20348.4851"),
            Quiet,
        ),
        (
            "ltsc2019-dns-2023-09",
            17763,
            4900,
            Data::Image("mcr.microsoft.com/windows/servercore:10.0.17763.5000"),
            Quiet,
        ),
    ];

    fn host(build: u32, ubr: u32, data: Data) -> HostModel {
        let mut m = os_model(build, Some(ubr));
        match data {
            Data::Build => {}
            Data::Overlay => {
                m.mark(Fact::HnsNetworks);
                m.mark(Fact::HnsLoadBalancers);
                m.hns.networks.push(network("N", "vxlan0", "Overlay"));
            }
            Data::L2BridgeDsr => {
                m.mark(Fact::HnsNetworks);
                m.mark(Fact::HnsLoadBalancers);
                m.hns.networks.push(network("N", "cbr0", "L2Bridge"));
                m.hns
                    .load_balancers
                    .push(lb("LB1", &["10.96.0.10"], &["E1"], 6, 53, true));
            }
            Data::Image(reference) => {
                m.mark(Fact::ContainerImages);
                m.images.push(
                    ContainerImage::from_reference(
                        reference,
                        prov("containers/images.txt", 2, reference),
                    )
                    .expect("image reference parses"),
                );
            }
        }
        m
    }

    #[test]
    fn known_issues_fire_on_affected_builds_and_stay_quiet_elsewhere() {
        let kb = Kb::get();
        for &(id, build, ubr, data, want) in CASES {
            let r = rule(id).unwrap_or_else(|| panic!("{id} is not registered"));
            let e = kb.entry(id).unwrap_or_else(|| panic!("{id} not in the KB"));
            let spec = e.finding.as_ref().expect("[entry.finding]");
            let f = findings(r, &host(build, ubr, data));
            let at = format!("{id} on {build}.{ubr}");
            match want {
                Quiet => assert!(f.is_empty(), "{at}: {f:?}"),
                Fires(sev, conf) => {
                    assert_eq!(f.len(), 1, "{at}: {f:?}");
                    let f = &f[0];
                    assert_eq!(
                        (f.id.as_str(), f.severity, f.confidence),
                        (id, sev, conf),
                        "{at}"
                    );
                    // title, why and fix come from the entry, never from code
                    assert_eq!(f.title, e.title, "{at}");
                    assert!(!f.fix.is_empty(), "{at}: fix from the KB");
                    match data {
                        Data::Image(_) => {
                            assert_eq!(f.evidence[0].source, "containers/images.txt", "{at}");
                        }
                        _ => {
                            assert_eq!(f.evidence[0].source, "systeminfo.txt", "{at}");
                            let shown = if e.kind == EntryKind::Gap {
                                format!("Build {build}")
                            } else {
                                format!("{build}.{ubr}")
                            };
                            assert!(f.observed.contains(&shown), "{at}: {}", f.observed);
                        }
                    }
                    if sev == crate::known_issue::severity_of(spec.severity) {
                        assert_eq!(f.why, spec.why, "{at}");
                    }
                }
            }
        }
    }

    /// Every knowledge-base entry reported by the generic rule has a row where it fires and one
    /// where it stays quiet, and is not evaluated without the data it keys on.
    #[test]
    fn every_kb_rule_has_table_rows() {
        let kb = Kb::get();
        let mut n = 0;
        for e in kb.entries().iter().filter(|e| e.finding.is_some()) {
            n += 1;
            let id = e.id.as_str();
            let rows = CASES.iter().filter(|c| c.0 == id);
            assert!(
                rows.clone().any(|c| c.4 != Quiet),
                "{id}: no row where it fires"
            );
            // (a gap that never closed is open on every build)
            let closes = e.kind != EntryKind::Gap || e.closed_from_build.is_some();
            assert!(
                !closes || rows.clone().any(|c| c.4 == Quiet),
                "{id}: no row where it is quiet"
            );
            let r = rule(id).expect("registered");
            let need = if e.affected_images.is_empty() {
                Fact::OsBuild
            } else {
                Fact::ContainerImages
            };
            assert!(missing(r, &model(&[])).contains(&need), "{id}");
        }
        assert!(n >= 20, "{n} KB rules");
        // and every row names an entry with [entry.finding]
        for c in CASES {
            assert!(
                kb.entry(c.0).is_some_and(|e| e.finding.is_some()),
                "{}: no [entry.finding]",
                c.0
            );
        }
    }

    /// A rule file that takes over a KB entry keeps the entry's title and severity.
    #[test]
    fn rule_files_take_title_and_severity_from_the_kb() {
        for r in [
            &super::vfp_decap_regression::RULE as &dyn Rule,
            &super::overlay_hotfix_missing::RULE,
            &super::ws2022_dsr_l2bridge::RULE,
            &super::dns_negative_cache::RULE,
        ] {
            let e = Kb::get().entry(r.id()).expect("entry");
            let spec = e.finding.as_ref().expect("[entry.finding]");
            assert_eq!(r.title(), e.title);
            assert_eq!(r.severity(), crate::known_issue::severity_of(spec.severity));
        }
    }
}
