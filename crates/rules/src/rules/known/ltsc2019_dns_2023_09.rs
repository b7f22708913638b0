//! `ltsc2019-dns-2023-09` — DNS from ltsc2019 containers fails with the September 2023 image.
//!
//! # What it finds
//! A container image the host has or runs (`docker images`, `ctr images ls`, `crictl images`,
//! `ctr c ls`, `docker image inspect`) is a `servercore`/`nanoserver` ltsc2019 image whose
//! revision lies in the range the knowledge base lists (the break is in the image, not in the
//! host: the host's UBR does not matter). A floating `ltsc2019` tag whose revision is not shown
//! gives an info finding at low confidence.
//!
//! # Why it matters
//! Every DNS lookup from containers running that image fails.
//!
//! # Evidence used
//! `container-images`: image repository, tag and revision (`10.0.17763.4851` tags, KB tags
//! resolved through the update map, `OsVersion` of `docker image inspect`).
//!
//! # Fix
//! From the knowledge base entry `ltsc2019-dns-2023-09`.
//!
//! # Applies to
//! Images 10.0.17763.4851 up to before 10.0.17763.4974.
//!
//! # References
//! Domain facts §2.2 L17; microsoft/Windows-Containers#420; GoogleCloudPlatform/ops-agent#1467.

use crate::finding::Severity;
use crate::known_issue::ImageIssue;

/// The rule.
pub const RULE: ImageIssue = ImageIssue {
    id: "ltsc2019-dns-2023-09",
    title: "DNS from ltsc2019 containers fails after the September 2023 update",
    severity: Severity::Warning,
    why: "Every DNS lookup from containers running the September 2023 ltsc2019 image fails, whatever the host's update level.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    #[allow(unused_imports)]
    use hnsdoctor_model::*;

    fn with_image(reference: &str) -> HostModel {
        // The host is fully patched: the image alone decides.
        let mut m = os_model(17763, Some(6000));
        m.mark(Fact::ContainerImages);
        m.images.push(
            ContainerImage::from_reference(reference, prov("containers/images.txt", 2, reference))
                .unwrap(),
        );
        m
    }

    #[test]
    fn fires_on_the_affected_image_whatever_the_host() {
        let f = findings(
            &RULE,
            &with_image("mcr.microsoft.com/windows/servercore:10.0.17763.4851"),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].observed.contains("servercore:10.0.17763.4851"),
            "{}",
            f[0].observed
        );
        assert_eq!(f[0].evidence[0].source, "containers/images.txt");
        // A KB tag resolves through the update map (KB5030214 = 17763.4851).
        assert_eq!(
            findings(
                &RULE,
                &with_image("mcr.microsoft.com/windows/nanoserver:1809-KB5030214")
            )
            .len(),
            1
        );
    }

    #[test]
    fn quiet_on_fixed_or_other_images() {
        assert!(findings(
            &RULE,
            &with_image("mcr.microsoft.com/windows/servercore:10.0.17763.4974")
        )
        .is_empty());
        assert!(findings(
            &RULE,
            &with_image("mcr.microsoft.com/windows/servercore:10.0.17763.4850")
        )
        .is_empty());
        assert!(findings(&RULE, &with_image("contoso.azurecr.io/app:10.0.17763.4851")).is_empty());
        assert!(findings(
            &RULE,
            &with_image("mcr.microsoft.com/windows/servercore:10.0.20348.4851")
        )
        .is_empty());
        // The host UBR in the old range changes nothing without an affected image.
        let mut m = with_image("mcr.microsoft.com/windows/servercore:10.0.17763.5000");
        m.os.as_mut().unwrap().ubr = Some(4900);
        assert!(findings(&RULE, &m).is_empty());
    }

    #[test]
    fn floating_tag_is_info_at_low_confidence() {
        let f = findings(
            &RULE,
            &with_image("mcr.microsoft.com/windows/servercore:ltsc2019"),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(
            f[0].observed.contains("revision is not shown"),
            "{}",
            f[0].observed
        );
    }

    #[test]
    fn not_evaluated_without_images() {
        assert!(missing(&RULE, &os_model(17763, Some(4900))).contains(&Fact::ContainerImages));
    }
}
