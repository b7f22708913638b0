//! Packet drops end to end on the fake host: `collect --drops` on a host whose HNS endpoints
//! and Packet Monitor map agree (same MACs, port names and endpoint ids) writes a bundle that
//! reads back into a model where the drops are joined to the pod, and the rules name that pod.

use hnsdoctor_collect::drops::DropsOptions;
use hnsdoctor_collect::runner::RunOptions;
use hnsdoctor_collect::source::Requirement;
use hnsdoctor_collect::testkit::full_fake;
use hnsdoctor_collect::{collect, CollectOptions};
use hnsdoctor_host::fake::{json, ok};
use hnsdoctor_host::{HcnKind, RegistryKey};
use hnsdoctor_model::Fact;
use hnsdoctor_rules::packets::{PacketPath, Role};
use std::sync::Arc;
use std::time::Duration;

/// Endpoints whose MAC / id match the pktmon fixtures of the parse crate.
const ENDPOINTS: &str = r#"[
 {"Name":"web","Id":"5F7D8C1B-0000-4000-8000-000000000001","HostComputeNetwork":"2A79B8C6-4E2E-4A8D-A9F6-5C0D3E1F0001","IpConfigurations":[{"IpAddress":"10.244.1.5","PrefixLength":24}],"MacAddress":"00-15-5D-0A-0B-31","SchemaVersion":{"Major":2,"Minor":0}},
 {"Name":"api","Id":"8A2B3C4D-0000-4000-8000-000000000002","HostComputeNetwork":"2A79B8C6-4E2E-4A8D-A9F6-5C0D3E1F0001","IpConfigurations":[{"IpAddress":"10.244.1.6","PrefixLength":24}],"MacAddress":"00-15-5D-0A-0B-32","SchemaVersion":{"Major":2,"Minor":0}}
]"#;
const LIST: &[u8] = include_bytes!("../../../parse/fixtures/pktmon/list.json");
const COUNTERS: &[u8] = include_bytes!("../../../parse/fixtures/pktmon/counters.json");
const DROPS: &[u8] = include_bytes!("../../../parse/fixtures/pktmon/drops-en.txt");

#[test]
fn drops_capture_reads_back_joined_to_pods_and_fires_rules() {
    let host = full_fake(&|_| Duration::ZERO)
        .registry(RegistryKey {
            path: Requirement::Pktmon.probe_key().to_string(),
            ..RegistryKey::default()
        })
        .hcn(HcnKind::Endpoints, json(ENDPOINTS))
        .command("pktmon status", ok("Packet Monitor is not running.\r\n"))
        .command("pktmon list --json", ok(LIST))
        .command("pktmon counters --json", ok(COUNTERS))
        .command("pktmon start", ok("Logger Parameters:\r\n"))
        .command("pktmon stop", ok("Stopped.\r\n"))
        .command("pktmon etl2txt", ok(DROPS));
    let d = tempfile::tempdir().unwrap();
    let mut drops = DropsOptions::new(Duration::from_secs(1), 16, false).unwrap();
    drops.duration = Duration::from_millis(5);
    let opts = CollectOptions {
        parent: Some(d.path().to_path_buf()),
        zip: false,
        run: RunOptions {
            timeout_scale: 0.01,
            ..RunOptions::default()
        },
        only: ["hns.networks", "hns.endpoints", "pktmon"]
            .iter()
            .map(|s| (*s).to_string())
            .collect(),
        drops: Some(drops),
        ..CollectOptions::default()
    };
    let r = collect(Arc::new(host), &opts, &mut |_| {}).unwrap();
    let opened = hnsdoctor_bundle::open(&r.paths.dir.to_string_lossy()).unwrap();
    let m = hnsdoctor_parse::assemble::assemble(&opened);
    for f in [
        Fact::PktmonComponents,
        Fact::PktmonCounters,
        Fact::PktmonDrops,
        Fact::HnsEndpoints,
    ] {
        assert!(m.has(f), "{f} missing: {:#?}", m.inputs);
    }
    // counters before and after were both read
    assert!(m.packets.counters.len() >= 6, "{:?}", m.packets.counters);
    assert_eq!(m.packets.capture_seconds, Some(1));

    let path = PacketPath::build(&m);
    let web = path.hop(31).expect("component 31");
    assert_eq!(web.role, Role::EndpointPort);
    assert_eq!(web.owner.as_deref(), Some("endpoint web (10.244.1.5)"));
    assert_eq!(web.reasons, vec![("VFP Rule Drop", 3)]);
    assert_eq!(path.hop(32).and_then(|h| h.endpoint), Some(1));

    let report = hnsdoctor_rules::run(&m, &hnsdoctor_rules::Options::default());
    let acl = report
        .findings
        .iter()
        .find(|f| f.id == "drops-vfp-acl")
        .expect("drops-vfp-acl fires");
    assert!(
        acl.observed
            .contains("endpoint web (10.244.1.5): 3 packets dropped by a VFP rule"),
        "{}",
        acl.observed
    );
    assert!(acl.evidence.iter().any(|p| p.source == "pktmon/drops.txt"));
    assert!(report.findings.iter().any(|f| f.id == "drops-mtu"));
}
