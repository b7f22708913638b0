//! Packet drops for rules: the packet-path view ([`PacketPath`], built from the model; it lives
//! in `hnsdoctor_model::packet_path` so that the report can render it without the rule engine)
//! and the classes of drop reasons ([`class_of`]) the drop rules key on.

pub use hnsdoctor_model::packet_path::{Hop, PacketPath, Role};

/// The kind of a drop reason, for rules: reasons are matched lower-case with `Drop_` and
/// non-alphanumerics removed (`Drop_MTUMismatch`, `MTU Mismatch`, `MTU-Konflikt` → `mtu…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropClass {
    /// VFP rule / ACL / security policy (network policy).
    Acl,
    /// MTU, oversize frame or fragment.
    Mtu,
    /// Encapsulation: virtual subnet id, WNV, VXLAN decap.
    Encap,
    /// MAC spoofing or an unauthorised source MAC.
    MacSpoofing,
    /// A required vSwitch extension is missing.
    ExtensionMissing,
}

/// The class of a reason as printed, if it is one the rules know.
#[must_use]
pub fn class_of(reason: &str) -> Option<DropClass> {
    let k: String = reason
        .to_lowercase()
        .trim_start_matches("drop_")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let has = |s: &str| k.contains(s);
    if has("requiredextensionmissing") || has("extensionmissing") {
        Some(DropClass::ExtensionMissing)
    } else if has("macspoof")
        || has("unauthorizedmac")
        || has("invalidsourcemac")
        || has("macguard")
    {
        Some(DropClass::MacSpoofing)
    } else if has("mtu") || has("frametoolong") || has("dontfragment") || has("fragment") {
        Some(DropClass::Mtu)
    } else if has("virtualsubnetid") || k == "wnv" || has("encap") || has("vxlan") {
        Some(DropClass::Encap)
    } else if has("vfprule")
        || has("vfpregel")
        || has("acl")
        || k == "filtered"
        || has("failedsecuritypolicy")
        || has("failedpacketfilter")
    {
        Some(DropClass::Acl)
    } else {
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testkit::*;
    use hnsdoctor_model::{
        Fact, HostModel, PktComponent, PktCounter, PktDrop, PodStatus, Snapshot,
    };

    /// A host whose HNS objects and pktmon map agree (same MACs, port names, ids).
    pub(crate) fn joined() -> HostModel {
        let mut m = model(&[
            Fact::HnsEndpoints,
            Fact::HnsLoadBalancers,
            Fact::PktmonComponents,
            Fact::PktmonCounters,
        ]);
        let mut web = local_ep(
            "5F7D8C1B-0000-4000-8000-000000000001",
            "10.244.1.5",
            Some(3),
        );
        web.mac = Some("00-15-5D-0A-0B-31".into());
        let mut api = local_ep(
            "8A2B3C4D-0000-4000-8000-000000000002",
            "10.244.1.6",
            Some(3),
        );
        api.vfp_port = Some("0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D".into());
        let mut db = local_ep(
            "11111111-0000-4000-8000-000000000003",
            "10.244.1.7",
            Some(3),
        );
        db.mac = Some("00:15:5d:0a:0b:33".into());
        m.hns.endpoints = vec![web, api, db];
        m.hns.load_balancers.push(lb(
            "LB1",
            &["10.96.0.20"],
            &["5F7D8C1B-0000-4000-8000-000000000001"],
            6,
            80,
            false,
        ));
        m.pods.push(PodStatus {
            namespace: Some("default".into()),
            name: "web-7f9".into(),
            status: "Running".into(),
            ip: Some("10.244.1.5".into()),
            ..PodStatus::default()
        });
        let comp =
            |id: u32, name: &str, kind: &str, mac: Option<&str>, port: Option<&str>| PktComponent {
                id,
                name: name.into(),
                kind: Some(kind.into()),
                mac: mac.map(str::to_string),
                port_name: port.map(str::to_string),
                prov: prov("pktmon/list.json", id, name),
                ..PktComponent::default()
            };
        m.packets.components = vec![
            comp(9, "Ethernet0", "Miniport", Some("00-15-5d-0a-0b-01"), None),
            comp(
                14,
                "Virtual Filtering Platform VMSwitch Extension",
                "Filter",
                None,
                None,
            ),
            // joined by name prefix (and MAC)
            comp(
                31,
                "Container NIC 5f7d8c1b",
                "vSwitch port",
                Some("00-15-5d-0a-0b-31"),
                None,
            ),
            // joined by the switch port name = VFP port
            comp(
                32,
                "port b",
                "vSwitch port",
                None,
                Some("0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"),
            ),
            // joined by MAC only
            comp(
                33,
                "port c",
                "vSwitch port",
                Some("00-15-5d-0a-0b-33"),
                None,
            ),
        ];
        let ctr = |c: u32, out: u64, reason: Option<&str>, snapshot: Snapshot| PktCounter {
            component: c,
            drops_out: out,
            last_reason: reason.map(str::to_string),
            snapshot,
            prov: prov("pktmon/counters.json", c, "DropCounters"),
            ..PktCounter::default()
        };
        m.packets.counters = vec![
            ctr(31, 100, Some("VFP Rule Drop"), Snapshot::Before),
            ctr(31, 412, Some("VFP Rule Drop"), Snapshot::After),
            ctr(32, 0, None, Snapshot::After),
            ctr(33, 0, None, Snapshot::After),
        ];
        m
    }

    #[test]
    fn joins_ports_to_endpoints_pods_and_services() {
        let m = joined();
        let p = PacketPath::build(&m);
        let web = p.hop(31).unwrap();
        assert_eq!(web.role, Role::EndpointPort);
        assert_eq!(
            web.owner.as_deref(),
            Some("pod default/web-7f9 (10.244.1.5)")
        );
        assert_eq!(web.vips, vec!["10.96.0.20"]);
        assert_eq!(web.rose, Some(312));
        assert_eq!(web.dropped(), 312);
        assert_eq!(p.hop(32).unwrap().endpoint, Some(1));
        assert_eq!(p.hop(33).unwrap().endpoint, Some(2));
        assert_eq!(p.hop(9).unwrap().role, Role::HostNic);
        assert_eq!(p.hop(14).unwrap().role, Role::Vfp);
        // path order: pod ports first, host NIC last
        assert_eq!(p.hops.first().unwrap().role, Role::EndpointPort);
        assert_eq!(p.hops.last().unwrap().role, Role::HostNic);
        assert_eq!(
            p.owner_of_ip("10.244.1.5"),
            Some("pod default/web-7f9 (10.244.1.5)")
        );
    }

    #[test]
    fn capture_drops_are_grouped_by_reason() {
        let mut m = joined();
        for (reason, n) in [
            ("VFP Rule Drop", 3),
            ("Drop_MTUMismatch", 5),
            ("VFP Rule Drop", 2),
        ] {
            m.packets.drops.push(PktDrop {
                component: 31,
                reason: reason.into(),
                count: n,
                ..PktDrop::default()
            });
        }
        let p = PacketPath::build(&m);
        assert_eq!(
            p.hop(31).unwrap().reasons,
            vec![("Drop_MTUMismatch", 5), ("VFP Rule Drop", 5)]
        );
    }

    #[test]
    fn reason_classes() {
        assert_eq!(class_of("VFP Rule Drop"), Some(DropClass::Acl));
        assert_eq!(class_of("Drop_Filtered"), Some(DropClass::Acl));
        assert_eq!(class_of("Drop_MTUMismatch"), Some(DropClass::Mtu));
        assert_eq!(class_of("MTU-Konflikt"), Some(DropClass::Mtu));
        assert_eq!(
            class_of("Drop_NL_DontFragmentMtuExceeded"),
            Some(DropClass::Mtu)
        );
        assert_eq!(class_of("Drop_VirtualSubnetId"), Some(DropClass::Encap));
        assert_eq!(class_of("Drop_MacSpoofing"), Some(DropClass::MacSpoofing));
        assert_eq!(
            class_of("Drop_RequiredExtensionMissing"),
            Some(DropClass::ExtensionMissing)
        );
        assert_eq!(class_of("Drop_INET_Rst"), None);
    }
}
