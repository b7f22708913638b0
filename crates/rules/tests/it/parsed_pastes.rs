//! Everyday pastes (name resolution, PowerShell error records, docker errors, pod ipconfig,
//! kube-proxy crashes, load-balancer counts, CNI events) through the real parsers and the rule
//! engine: each reader's facts reach the rule that diagnoses them. Texts are written for these
//! tests in the shapes the commands print.

use hnsdoctor_model::{HostModel, InputSummary};
use hnsdoctor_parse::{formats, Input};
use hnsdoctor_rules::{run, Finding, Options};

fn feed(m: &mut HostModel, format: &str, text: &str) {
    let def = formats::by_id(format).unwrap_or_else(|| panic!("no format {format}"));
    let mut summary = InputSummary {
        source: "paste#1".into(),
        format: format.into(),
        ..InputSummary::default()
    };
    let res = (def.parse)(&Input::new("paste#1", text), m, &mut summary);
    assert!(res.is_ok(), "{format} failed: {res:?}");
    m.inputs.push(summary);
}

fn finding(m: &HostModel, id: &str) -> Option<Finding> {
    let r = run(
        m,
        &Options {
            only: Some(vec![id.to_string()]),
            ..Options::default()
        },
    );
    assert!(
        r.not_evaluated.is_empty(),
        "{id} not evaluated: {:?}",
        r.not_evaluated
    );
    r.findings.into_iter().find(|f| f.id == id)
}

/// The format the content detectors pick for a text (as the assembler does for a paste).
fn detected(text: &str) -> &'static str {
    formats::FORMATS
        .iter()
        .map(|f| (f.id, (f.detect)(text)))
        .filter(|(_, s)| *s >= 30)
        .fold(None, |best: Option<(&str, u8)>, (id, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((id, s)),
        })
        .map_or("unknown", |(id, _)| id)
}

#[test]
fn nslookup_answers_ping_fails_is_negative_cache() {
    let nslookup = "Server:  dns.corp.example\nAddress:  172.18.0.53\n\nNon-authoritative answer:\nName:    web-07.prod.corp.example\nAddress:  172.18.4.77\nAliases:  portal.corp.example\n";
    let ping = "Ping request could not find host portal.corp.example. Please check the name and try again.\n";
    assert_eq!(detected(nslookup), "name-resolution");
    assert_eq!(detected(ping), "name-resolution");
    let mut m = HostModel::new();
    feed(&mut m, "name-resolution", nslookup);
    feed(&mut m, "name-resolution", ping);
    let f = finding(&m, "dns-negative-cache").expect("negative cache");
    assert!(
        f.observed.contains("portal.corp.example") && f.observed.contains("172.18.0.53"),
        "{}",
        f.observed
    );
    assert!(!f.fix.is_empty());
}

#[test]
fn resolve_dnsname_timeout_is_resolution_failing() {
    let text = "Resolve-DnsName : api.internal.example : This operation returned because the timeout period expired\nAt line:1 char:1\n+ Resolve-DnsName api.internal.example\n+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n    + CategoryInfo          : OperationTimeout: (api.internal.example:String) [Resolve-DnsName], Win32Exception\n    + FullyQualifiedErrorId : ERROR_TIMEOUT,Microsoft.DnsClient.Commands.ResolveDnsName\n";
    assert_eq!(detected(text), "name-resolution");
    let mut m = HostModel::new();
    feed(&mut m, "name-resolution", text);
    let f = finding(&m, "dns-resolution-failing").expect("resolution failing");
    assert!(f.observed.contains("timed out"), "{}", f.observed);
    assert!(finding(&m, "dns-negative-cache").is_none());
}

#[test]
fn docker_endpoint_on_nat_is_stale_static_mapping_and_createcontainer_0x490_is_ipv6() {
    let text = "docker: Error response from daemon: failed to create endpoint ledger-db on network nat: HNS failed with error : Failed to create endpoint.\n";
    assert_eq!(detected(text), "docker-error");
    let mut m = HostModel::new();
    feed(&mut m, "docker-error", text);
    let f = finding(&m, "winnat-stale-static-mapping").expect("static mapping");
    assert!(
        f.observed.contains("No WinNAT static mapping is shown"),
        "{}",
        f.observed
    );
    let t2 = "Error response from daemon: container 9f0e1d2c encountered an error during CreateContainer: failure in a Windows system call: Element not found. (0x490)\n";
    let mut m2 = HostModel::new();
    feed(&mut m2, "docker-error", t2);
    let f = finding(&m2, "ipv6-disabled").expect("ipv6");
    assert!(
        f.observed.contains("raised on CreateContainer"),
        "{}",
        f.observed
    );
}

#[test]
fn new_netnat_error_record_is_preexisting_nat() {
    let text = "New-NetNat : Instance MSFT_NetNat already exists\nAt line:1 char:1\n+ New-NetNat -Name labnat -InternalIPInterfaceAddressPrefix 192.168.90.0/24\n+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n    + CategoryInfo          : ResourceExists: (MSFT_NetNat:ROOT/StandardCimv2/MSFT_NetNat) [New-NetNat], CimException\n    + FullyQualifiedErrorId : Windows System Error 183,New-NetNat\n";
    assert_eq!(detected(text), "powershell-error");
    let mut m = HostModel::new();
    feed(&mut m, "powershell-error", text);
    assert!(finding(&m, "winnat-preexisting-nat").is_some());
}

#[test]
fn pod_ipconfig_without_adapter() {
    let text = "\nWindows IP Configuration\n\n   Host Name . . . . . . . . . . . . : orders-5f7d9c-xw2lm\n   Primary Dns Suffix  . . . . . . . : \n   Node Type . . . . . . . . . . . . : Hybrid\n   IP Routing Enabled. . . . . . . . : No\n   WINS Proxy Enabled. . . . . . . . : No\n";
    let mut m = HostModel::new();
    feed(&mut m, "ipconfig", text);
    let f = finding(&m, "pod-without-adapter").expect("no adapter");
    assert!(f.observed.contains("orders-5f7d9c-xw2lm"), "{}", f.observed);
}

#[test]
fn kube_proxy_panic_and_locked_gate() {
    let panic = "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 204 [running]:\nk8s.io/kubernetes/pkg/proxy/winkernel.(*Proxier).syncProxyRules(0xc000a1c000)\n\tC:/go/src/k8s.io/kubernetes/pkg/proxy/winkernel/proxier.go:1402 +0x1f2a\n";
    assert_eq!(detected(panic), "go-crash");
    let mut m = HostModel::new();
    feed(&mut m, "go-crash", panic);
    assert!(finding(&m, "kube-proxy-crash").is_some());
    assert!(finding(&m, "kube-proxy-start-failure").is_none());
    let gate = "E0301 08:12:44.100200    2210 run.go:74] \"command failed\" err=\"failed complete: cannot set feature gate IPv6DualStack to false, feature is locked to true\"\n";
    let mut g = HostModel::new();
    feed(&mut g, "go-crash", gate);
    assert!(
        finding(&g, "kube-proxy-start-failure").is_some(),
        "{:?}",
        g.log_events
    );
}

#[test]
fn lb_count_loop_collapse() {
    let text = "11-02 07:14 - loadbalancers: 812\n11-02 07:15 - loadbalancers: 812\n11-02 07:16 - loadbalancers: 4\n11-02 07:17 - loadbalancers: 9\n";
    assert_eq!(detected(text), "hns-lb-count-series");
    let mut m = HostModel::new();
    feed(&mut m, "hns-lb-count-series", text);
    let f = finding(&m, "lb-mass-loss").expect("mass loss");
    assert!(f.observed.contains("from 812"), "{}", f.observed);
}

#[test]
fn kubelet_events_drive_cni_config_rules() {
    let events = "  Type     Reason                  Age   From     Message\n  ----     ------                  ----  ----     -------\n  Warning  FailedCreatePodSandBox  12s   kubelet  Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox \"c0ffee12\": error while ProvisionEndpoint(c0ffee12_flannel.4096,11111111-2222-4333-8444-555555555555,c0ffee12): failed to find HNSEndpoint c0ffee12_flannel.4096: Endpoint c0ffee12_flannel.4096 not found\n  Warning  FailedCreatePodSandBox  3s    kubelet  Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox \"beef0042\": plugin type=\"nat\" name=\"nat\" failed (add): hcnCreateNetwork failed in Win32: The object already exists. (0x1392) {\"Success\":false,\"Error\":\"The object already exists. \",\"ErrorCode\":2147947410}\n";
    let mut m = HostModel::new();
    feed(&mut m, "kube-events", events);
    assert!(finding(&m, "cni-runtime-mismatch").is_some());
    assert!(finding(&m, "cni-nat-config-conflict").is_some());
    assert!(
        finding(&m, "winnat-preexisting-nat").is_none(),
        "the CNI nat plugin is left to cni-nat-config-conflict"
    );
}

#[test]
fn inline_hcn_settings_with_placeholder() {
    let text = "E0109 08:00:02.118420    3312 endpoint.go:64] hcnCreateEndpoint failed in Win32: The parameter is incorrect. (0x57) {\"Name\":\"77ab_cbr0\",\"HostComputeNetwork\":\"cbr0\",\"Policies\":[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"<service cidr>\"]}}]}\n";
    let mut m = HostModel::new();
    feed(&mut m, "hcn-settings-inline", text);
    let f = finding(&m, "cni-config-invalid-value").expect("placeholder");
    assert!(f.observed.contains("<service cidr>"), "{}", f.observed);
}

#[test]
fn event_table_feeds_hns_crash() {
    let text = "TimeCreated                     Id LevelDisplayName Message\n-----------                     -- ---------------- -------\n3/9/2025 4:12:55 PM           7031 Error            The Host Network Service service terminated unexpectedly.  It has done this 1 time(s).\n";
    let mut m = HostModel::new();
    feed(&mut m, "event-table", text);
    assert!(finding(&m, "hns-crash").is_some(), "{:?}", m.event_records);
}

#[test]
fn containerd_config_gives_the_runtime_for_cni_runtime_mismatch() {
    let toml = "[plugins.\"io.containerd.grpc.v1.cri\".cni]\n  bin_dir = \"C:\\\\opt\\\\cni\\\\bin\"\n  conf_dir = \"C:\\\\etc\\\\cni\\\\net.d\"\n";
    let conf = "{\"cniVersion\":\"0.2.0\",\"name\":\"vxlan0\",\"type\":\"win-overlay\",\"ipam\":{\"subnet\":\"10.244.9.0/24\"}}";
    let mut m = HostModel::new();
    feed(&mut m, "containerd-config", toml);
    feed(&mut m, "cni-config", conf);
    let f = finding(&m, "cni-runtime-mismatch").expect("mismatch");
    assert!(f.observed.contains("containerd"), "{}", f.observed);
}

#[test]
fn quoted_pod_rows_feed_kube_proxy_crash() {
    let text = "kube-system   kube-proxy-windows-4hx8d   0/1   CrashLoopBackOff   31 (2m ago)   6h   10.40.2.8   win-b   <none>   <none>\n";
    assert_eq!(detected(text), "kubectl-get-pods");
    let mut m = HostModel::new();
    feed(&mut m, "kubectl-get-pods", text);
    let f = finding(&m, "kube-proxy-crash").expect("crash loop");
    assert!(f.observed.contains("31 restarts"), "{}", f.observed);
}
