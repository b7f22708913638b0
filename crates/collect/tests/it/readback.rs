//! Read-back: a bundle written by the collector from a scripted fake host, opened by
//! `hnsdoctor-bundle` and assembled by `hnsdoctor-parse`, gives the model the scripted data
//! implies. Also checks that every parser id in the source table is a registered format.

use hnsdoctor_collect::runner::RunOptions;
use hnsdoctor_collect::testkit::full_fake;
use hnsdoctor_collect::{collect, sources, CollectOptions};
use hnsdoctor_host::fake::ok;
use hnsdoctor_model::Fact;
use std::sync::Arc;
use std::time::Duration;

const EXCLUDED_TCP: &str = "\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n----------    --------\r\n      5357        5357\r\n     50000       50059     *\r\n\r\n* - Administered port exclusions.\r\n\r\n";
const EXCLUDED_UDP: &str = "\r\nProtocol udp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n----------    --------\r\n\r\n* - Administered port exclusions.\r\n\r\n";
const DYNAMIC_TCP: &str = "\r\nProtocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 49152\r\nNumber of Ports : 16384\r\n\r\n";
const REG_CURRENTVERSION: &str = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n    CurrentBuild    REG_SZ    17763\r\n    CurrentBuildNumber    REG_SZ    17763\r\n    UBR    REG_DWORD    0x1552\r\n    ProductName    REG_SZ    Windows Server 2019 Datacenter\r\n    ReleaseId    REG_SZ    1809\r\n\r\n";

#[test]
fn every_parser_id_is_a_registered_format() {
    for s in sources::all() {
        if let Some(id) = s.parser().id() {
            assert!(
                hnsdoctor_parse::formats::by_id(id).is_some(),
                "{}: parser {id} is not in hnsdoctor_parse::formats::FORMATS",
                s.id
            );
        }
    }
}

#[test]
fn a_collected_bundle_reads_back_into_the_model() {
    let host = full_fake(&|_| Duration::ZERO)
        .command("netsh int ipv4 sh excludedportrange tcp", ok(EXCLUDED_TCP))
        .command("netsh int ipv4 sh excludedportrange udp", ok(EXCLUDED_UDP))
        .command("netsh int ipv4 sh dynamicportrange tcp", ok(DYNAMIC_TCP))
        .command("netsh int ipv4 sh dynamicportrange udp", ok(""))
        .command(
            r"reg query HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion",
            ok(REG_CURRENTVERSION),
        );
    let d = tempfile::tempdir().unwrap();
    let opts = CollectOptions {
        parent: Some(d.path().to_path_buf()),
        zip: false,
        run: RunOptions {
            timeout_scale: 0.01,
            ..RunOptions::default()
        },
        only: [
            "hns.networks",
            "hns.endpoints",
            "hns.process",
            "hns.data",
            "ports.excluded",
            "ports.dynamic",
            "os.version",
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect(),
        ..CollectOptions::default()
    };
    let r = collect(Arc::new(host), &opts, &mut |_| {}).unwrap();
    let opened = hnsdoctor_bundle::open(&r.paths.dir.to_string_lossy()).unwrap();
    let m = hnsdoctor_parse::assemble::assemble(&opened);

    assert!(m.has(Fact::HnsNetworks), "{:?}", m.inputs);
    assert_eq!(m.hns.networks.len(), 1);
    assert_eq!(m.hns.networks[0].name, "azure");
    assert_eq!(m.hns.endpoints.len(), 1);
    assert!(m.hns.endpoints[0].ips.iter().any(|ip| ip == "10.240.0.12"));
    let p = m.hns.process.as_ref().expect("hns process");
    assert_eq!(p.threads, Some(48));
    assert_eq!(p.working_set, Some(50 << 20));
    assert_eq!(m.hns.data_file.as_ref().and_then(|f| f.size), Some(4096));
    let ex: Vec<(u16, u16, bool)> = m
        .ports
        .excluded
        .iter()
        .map(|e| (e.start, e.end, e.administered))
        .collect();
    assert!(ex.contains(&(50000, 50059, true)), "{ex:?}");
    assert!(ex.contains(&(5357, 5357, false)), "{ex:?}");
    assert!(m
        .ports
        .dynamic
        .iter()
        .any(|d| d.start == 49152 && d.count == 16384));
    let os = m.os.as_ref().expect("os");
    assert_eq!(os.build, 17763);
    assert_eq!(os.ubr, Some(5458));
    assert_eq!(m.host_name.as_deref(), Some("FAKEHOST"));
}

/// The findings the scripted data implies: a TCP dynamic range almost entirely covered by
/// administered exclusions must read back as `port-pool-exhaustion`, and the scripted HNS
/// process (48 threads) must let `hns-deadlock` pass — through collect → bundle → parse →
/// rules, exactly as `analyze` runs them.
#[test]
fn a_collected_bundle_yields_the_findings_its_data_implies() {
    let exhausted = "\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n----------    --------\r\n     49152       65000     *\r\n\r\n* - Administered port exclusions.\r\n\r\n";
    let host = full_fake(&|_| Duration::ZERO)
        .command("netsh int ipv4 sh excludedportrange tcp", ok(exhausted))
        .command("netsh int ipv4 sh excludedportrange udp", ok(EXCLUDED_UDP))
        .command("netsh int ipv4 sh dynamicportrange tcp", ok(DYNAMIC_TCP))
        .command(
            r"reg query HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion",
            ok(REG_CURRENTVERSION),
        );
    let d = tempfile::tempdir().unwrap();
    let opts = CollectOptions {
        parent: Some(d.path().to_path_buf()),
        zip: false,
        run: RunOptions {
            timeout_scale: 0.01,
            ..RunOptions::default()
        },
        only: [
            "hns.process",
            "ports.excluded",
            "ports.dynamic",
            "os.version",
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect(),
        ..CollectOptions::default()
    };
    let r = collect(Arc::new(host), &opts, &mut |_| {}).unwrap();
    let opened = hnsdoctor_bundle::open(&r.paths.dir.to_string_lossy()).unwrap();
    let model = hnsdoctor_parse::assemble::assemble(&opened);
    let report = hnsdoctor_rules::run(&model, &hnsdoctor_rules::Options::default());
    let pool: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.id == "port-pool-exhaustion")
        .collect();
    assert_eq!(pool.len(), 1, "{:#?}", report.findings);
    assert_eq!(pool[0].severity, hnsdoctor_rules::Severity::Error);
    assert!(
        pool[0]
            .evidence
            .iter()
            .any(|e| e.source == "ports/excludedportrange.txt"),
        "evidence points into the bundle: {:?}",
        pool[0].evidence
    );
    assert!(
        report.passed.iter().any(|id| id == "hns-deadlock"),
        "passed: {:?}",
        report.passed
    );
}
