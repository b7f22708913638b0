//! Platform gaps of the host's build (from the knowledge base).

pub mod gap_dnsrr;
pub mod gap_endpoint_hot_add;
pub mod gap_http_proxy;
pub mod gap_ipsec;
pub mod gap_node_to_service_vip;

#[cfg(test)]
mod tests {
    use crate::engine::Rule;
    use crate::finding::{Confidence, Severity};
    use crate::testkit::*;
    use hnsdoctor_model::Fact;

    /// The five gap rules, one generic implementation: each fires as info where the knowledge
    /// base has its gap open (high confidence) or of unknown status (low), and stays quiet
    /// where the gap closed.
    #[test]
    fn each_gap_fires_where_open_and_stays_quiet_where_closed() {
        // (rule, build, expected confidence or None = quiet)
        let cases: &[(&dyn Rule, u32, Option<Confidence>)] = &[
            (
                &super::gap_node_to_service_vip::RULE,
                17763,
                Some(Confidence::High),
            ),
            (
                &super::gap_node_to_service_vip::RULE,
                20348,
                Some(Confidence::High),
            ),
            (&super::gap_ipsec::RULE, 20348, Some(Confidence::High)),
            (&super::gap_dnsrr::RULE, 17763, Some(Confidence::Low)),
            (&super::gap_http_proxy::RULE, 17134, Some(Confidence::High)),
            (&super::gap_http_proxy::RULE, 17763, None),
            (
                &super::gap_endpoint_hot_add::RULE,
                16299,
                Some(Confidence::High),
            ),
            (&super::gap_endpoint_hot_add::RULE, 17763, None),
        ];
        for (rule, build, want) in cases {
            let f = findings(*rule, &os_model(*build, Some(1)));
            match want {
                None => assert!(f.is_empty(), "{} on {build}: {f:?}", rule.id()),
                Some(c) => {
                    assert_eq!(f.len(), 1, "{} on {build}", rule.id());
                    assert_eq!(f[0].id, rule.id());
                    assert_eq!(f[0].severity, Severity::Info);
                    assert_eq!(f[0].confidence, *c, "{} on {build}", rule.id());
                    assert!(f[0].observed.contains(&format!("Build {build}")));
                    assert!(!f[0].fix.is_empty(), "{}: fix from the KB", rule.id());
                }
            }
        }
    }

    #[test]
    fn gaps_are_not_evaluated_without_a_build() {
        for rule in [
            &super::gap_dnsrr::RULE,
            &super::gap_node_to_service_vip::RULE,
            &super::gap_ipsec::RULE,
            &super::gap_http_proxy::RULE,
            &super::gap_endpoint_hot_add::RULE,
        ] {
            assert_eq!(
                missing(rule, &model(&[])),
                vec![Fact::OsBuild],
                "{}",
                rule.id()
            );
        }
    }
}
