//! Rules fed by the real parsers: pasted command output goes through `hnsdoctor-parse` into a
//! host model, then through the rule engine. Guards the contract between the two crates (facts
//! marked, fields filled, provenance lines kept).

use hnsdoctor_model::{HostModel, InputSummary};
use hnsdoctor_parse::{formats, Input};
use hnsdoctor_rules::{run, Options, Severity};

fn feed(m: &mut HostModel, format: &str, source: &str, text: &str) {
    let def = formats::by_id(format).unwrap_or_else(|| panic!("no format {format}"));
    let mut summary = InputSummary {
        source: source.into(),
        format: format.into(),
        ..InputSummary::default()
    };
    let res = (def.parse)(&Input::new(source, text), m, &mut summary);
    assert!(res.is_ok(), "{format} failed: {res:?}");
    m.inputs.push(summary);
}

fn only(ids: &[&str]) -> Options {
    Options {
        only: Some(ids.iter().map(|s| (*s).to_string()).collect()),
        ..Options::default()
    }
}

const EXCLUDED_TCP: &str = "
Protocol tcp Port Exclusion Ranges

Start Port    End Port
----------    --------
     49152       64999
     50000       50059     *

* - Administered port exclusions.
";

const DYNAMIC_TCP: &str = "
Protocol tcp Dynamic Port Range
---------------------------------
Start Port      : 49152
Number of Ports : 16384
";

#[test]
fn netsh_output_drives_port_pool_exhaustion() {
    let mut m = HostModel::new();
    feed(
        &mut m,
        "netsh-excludedportrange",
        "excludedportrange.txt",
        EXCLUDED_TCP,
    );
    feed(
        &mut m,
        "netsh-dynamicportrange",
        "dynamicportrange.txt",
        DYNAMIC_TCP,
    );
    let r = run(&m, &only(&["port-pool-exhaustion"]));
    let f = r.findings.iter().find(|f| f.id == "port-pool-exhaustion");
    let f = f.unwrap_or_else(|| panic!("no finding: {r:#?}"));
    // 65000..=65535 = 536 free ports = 8 blocks
    assert!(
        f.observed.starts_with("8 free contiguous 64-port blocks"),
        "{}",
        f.observed
    );
    assert_eq!(f.severity, Severity::Error);
    assert!(f
        .evidence
        .iter()
        .any(|p| p.source == "excludedportrange.txt" && p.line > 0));
    assert!(!f.fix.is_empty());
}

#[test]
fn kube_proxy_log_drives_port_already_exists() {
    let log = "E0412 10:15:02.123456    4321 proxier.go:1234] \"Policy creation failed\" err=\"hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013) {\\\"Success\\\":false,\\\"Error\\\":\\\"The specified port already exists. \\\",\\\"ErrorCode\\\":2151350291}\"\n";
    let mut m = HostModel::new();
    feed(&mut m, "component-log", "kube-proxy.log", log);
    let r = run(&m, &only(&["port-already-exists", "hns-operation-failed"]));
    let ids: Vec<&str> = r.findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, vec!["port-already-exists"], "{r:#?}");
    assert_eq!(r.findings[0].evidence[0].source, "kube-proxy.log");
    assert_eq!(r.findings[0].evidence[0].line, 1);
    assert!(r.passed.contains(&"hns-operation-failed".to_string()));
}

#[test]
fn v1_endpoints_drive_endpoint_not_attached() {
    let json = r#"[{"ID":"028abaed-7ff6-4fdc-992c-d3b004936be0","Name":"pod-a","IPAddress":"10.244.1.5","IsRemoteEndpoint":false,"State":4,"VirtualNetworkName":"cbr0"},
 {"ID":"1a2b3c4d-0000-4000-8000-000000000001","Name":"pod-b","IPAddress":"10.244.1.6","IsRemoteEndpoint":false,"State":3,"VirtualNetworkName":"cbr0"}]"#;
    let mut m = HostModel::new();
    feed(&mut m, "hns-endpoints-json", "hns/endpoints.json", json);
    let r = run(&m, &only(&["endpoint-not-attached"]));
    assert!(r.not_evaluated.is_empty(), "{:?}", r.not_evaluated);
    assert_eq!(r.findings.len(), 1, "{r:#?}");
    assert!(r.findings[0].observed.contains("028ABAED"));
    assert!(r.findings[0].observed.contains("Detached"));
}
