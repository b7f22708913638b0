//! The one table of artefact formats: [`FORMATS`].
//!
//! Each entry names a format id (kebab-case, also used as `InputSummary::format` and as the
//! `parser` of a collector source), the bundle paths and legacy CollectLogs file names it is
//! read from, a content detector for pastes and unnamed files, and the parse function.
//! To add a format: write `src/<artefact>.rs` with its fixtures, add one entry here.

use crate::ParseFn;

/// How an artefact format is recognised and parsed.
#[derive(Debug, Clone, Copy)]
pub struct FormatDef {
    /// Format id, e.g. `hns-networks-json`, `ipconfig`, `netsh-excludedportrange`.
    pub id: &'static str,
    /// One-line description for `inspect` and the docs.
    pub description: &'static str,
    /// File names / path suffixes that select this format directly (bundle layout paths such
    /// as `hns/networks.json`, legacy CollectLogs names such as `network.txt`). Compared
    /// case-insensitively against the end of the relative path.
    pub names: &'static [&'static str],
    /// Content detector: 0 = not this format, 100 = certainly. Used for pastes and for files
    /// whose name selects nothing. Must be cheap: it sees the first ~64 KiB of text.
    pub detect: fn(&str) -> u8,
    /// The parser.
    pub parse: ParseFn,
}

/// Every known format. Order matters only for ties in detection (earlier wins).
pub static FORMATS: &[FormatDef] = &[
    FormatDef {
        id: "netsh-excludedportrange",
        description: "netsh int ipv4 show excludedportrange (tcp and/or udp, any locale)",
        names: &["ports/excludedportrange.txt", "excludedportrange.txt"],
        detect: crate::netsh_ports::detect_excluded,
        parse: crate::netsh_ports::parse,
    },
    FormatDef {
        id: "netsh-dynamicportrange",
        description: "netsh int ipv4 show dynamicportrange (tcp and/or udp, any locale)",
        names: &["ports/dynamicportrange.txt", "dynamicportrange.txt"],
        detect: crate::netsh_ports::detect_dynamic,
        parse: crate::netsh_ports::parse,
    },
    FormatDef {
        id: "osversion",
        description: "Windows version: [Environment]::OSVersion, ver, systeminfo, reg query CurrentVersion, collectlogs winver.txt",
        names: &[
            "os/winver.txt",
            "os/ver.txt",
            "os/systeminfo.txt",
            "os/currentversion-reg.txt",
            "winver.txt",
            "systeminfo.txt",
        ],
        detect: crate::osversion::detect,
        parse: crate::osversion::parse,
    },
    FormatDef {
        id: "get-hotfix",
        description: "Get-HotFix table (Source Description HotFixID InstalledBy InstalledOn)",
        names: &["os/hotfix.txt", "hotfix.txt", "hotfixes.txt"],
        detect: crate::hotfix::detect,
        parse: crate::hotfix::parse,
    },
    FormatDef {
        id: "container-images",
        description: "container images: docker images, ctr images ls, crictl images (with or without digests), docker image inspect JSON (OsVersion)",
        names: &[
            "containers/images.txt",
            "containers/ctr-images.txt",
            "containers/crictl-images.txt",
            "containers/docker-images.txt",
            "containers/image-inspect.json",
            "images.txt",
        ],
        detect: crate::images::detect_images,
        parse: crate::images::parse_images,
    },
    FormatDef {
        id: "container-list",
        description: "running containers and their images: ctr -n k8s.io c ls, docker ps -a",
        names: &[
            "containers/ctr.txt",
            "containers/docker-ps.txt",
            "containers.txt",
            "docker.txt",
        ],
        detect: crate::images::detect_containers,
        parse: crate::images::parse_containers,
    },
    FormatDef {
        id: "component-log",
        description: "kube-proxy / kubelet / containerd / docker / CNI plugin log lines (klog, JSON, logrus, calico, azure-vnet)",
        names: &[
            "kube-proxy.log",
            "kube-proxy.err.log",
            "kubeproxy.log",
            "kubeproxy.err.log",
            "kubelet.log",
            "kubelet.err.log",
            "containerd.log",
            "containerd.err.log",
            "docker.log",
            "dockerd.log",
            "flanneld.log",
            "flanneld.err.log",
            "azure-vnet.log",
            "azure-vnet-ipam.log",
            "calico.log",
            "calico-cni.log",
        ],
        detect: crate::klog::detect,
        parse: crate::klog::parse,
    },
    FormatDef {
        id: "hns-networks-json",
        description: "HNS networks as JSON, v1 or v2 (HCN query, Get-HnsNetwork | ConvertTo-Json, -Detailed)",
        names: &["hns/networks.json", "network.txt", "networkdetailed.txt"],
        detect: crate::hns_json::detect_networks,
        parse: crate::hns_json::parse_networks,
    },
    FormatDef {
        id: "hns-endpoints-json",
        description: "HNS endpoints as JSON, v1 or v2 (local and remote, State / Flags)",
        names: &["hns/endpoints.json", "endpoint.txt"],
        detect: crate::hns_json::detect_endpoints,
        parse: crate::hns_json::parse_endpoints,
    },
    FormatDef {
        id: "hns-namespaces-json",
        description: "HNS namespaces (compartments) as JSON, v1 or v2",
        names: &["hns/namespaces.json", "namespaces.txt"],
        detect: crate::hns_json::detect_namespaces,
        parse: crate::hns_json::parse_namespaces,
    },
    FormatDef {
        id: "hns-loadbalancers-json",
        description: "HNS v2 load balancers as JSON (FrontendVIPs, PortMappings, DSR flag)",
        names: &["hns/loadbalancers.json"],
        detect: crate::hns_json::detect_load_balancers,
        parse: crate::hns_json::parse_load_balancers,
    },
    FormatDef {
        id: "hns-policylists-json",
        description: "HNS v1 policy lists with ELB policies (Get-HnsPolicyList), or load balancers, as JSON",
        names: &["hns/policylists.json", "policy.txt"],
        detect: |_| 0,
        parse: crate::hns_json::parse_load_balancers,
    },
    FormatDef {
        id: "hns-portpools-json",
        description: "HNS port-pool allocations (GET /portpools, PortPoolAllocations)",
        names: &["hns/portpools.json", "hnsportpoolallocs.txt"],
        detect: crate::hns_json::detect_port_pools,
        parse: crate::hns_json::parse_port_pools,
    },
    FormatDef {
        id: "hns-version-json",
        description: "HNS version from /globals/version ({\"Major\":N,\"Minor\":M})",
        names: &["hns/version.json"],
        detect: crate::hns_json::detect_version,
        parse: crate::hns_json::parse_version,
    },
    FormatDef {
        id: "hnsdiag-detailed-json",
        description: "hnsdiag list all -d: detailed JSON per object under Networks:/Endpoints:/… headers",
        names: &["hnsdiag.txt", "hnsdiag.json", "hns/hnsdiag.json"],
        detect: crate::hns_json::detect_any,
        parse: crate::hns_json::parse_any,
    },
    FormatDef {
        id: "ipconfig",
        description: "ipconfig /all and /allcompartments /all (localized labels); legacy ip.txt",
        names: &["net/ipconfig.txt", "ipconfig.txt", "ip.txt"],
        detect: crate::ipconfig::detect,
        parse: crate::ipconfig::parse,
    },
    FormatDef {
        id: "cni-config",
        description: "CNI network configuration (.conf / .conflist JSON): name, version, plugin types, HNS network name",
        names: &[
            "cni.conf",
            "cni.json",
            "10-flannel.conf",
            "10-flannel.conflist",
            "10-azure.conflist",
            "10-calico.conflist",
            "l2bridge.conf",
            "sdnbridge.conf",
            "sdnoverlay.conf",
        ],
        detect: crate::cni_config::detect,
        parse: crate::cni_config::parse,
    },
    FormatDef {
        id: "kube-cluster-config",
        description: "AKS kubeclusterconfig.json or flannel net-conf.json: service/cluster CIDR, DNS IP, network name, runtime",
        names: &["kubeclusterconfig.json", "net-conf.json"],
        detect: crate::cni_config::detect_cluster,
        parse: crate::cni_config::parse_cluster,
    },
    FormatDef {
        id: "flannel-subnet-env",
        description: "flannel subnet.env (FLANNEL_NETWORK, FLANNEL_SUBNET, FLANNEL_MTU)",
        names: &["subnet.env"],
        detect: crate::cni_config::detect_subnet_env,
        parse: crate::cni_config::parse_subnet_env,
    },
    FormatDef {
        id: "hns-networks-list",
        description: "Get-HnsNetwork as Format-List text, or collectlogs network.txt Select table without JSON",
        names: &["hns/networks.txt", "network.txt"],
        detect: crate::hns_list::detect_networks,
        parse: crate::hns_list::parse_networks,
    },
    FormatDef {
        id: "hns-endpoints-list",
        description: "Get-HnsEndpoint as Format-List text (v1 fields: State, IsRemoteEndpoint)",
        names: &["hns/endpoints.txt", "endpoint.txt"],
        detect: crate::hns_list::detect_endpoints,
        parse: crate::hns_list::parse_endpoints,
    },
    FormatDef {
        id: "hns-policylists-list",
        description: "Get-HnsPolicyList as Format-List text (ELB policies, References)",
        names: &["hns/policylists.txt", "policy.txt"],
        detect: crate::hns_list::detect_policy_lists,
        parse: crate::hns_list::parse_policy_lists,
    },
    FormatDef {
        id: "hns-namespaces-list",
        description: "Get-HnsNamespace as Format-List text",
        names: &["hns/namespaces.txt", "namespaces.txt"],
        detect: crate::hns_list::detect_namespaces,
        parse: crate::hns_list::parse_namespaces,
    },
    FormatDef {
        id: "sc-queryex",
        description: "sc query / sc queryex service blocks (SERVICE_NAME, STATE, PID)",
        names: &["services/scqueryex.txt", "scqueryex.txt"],
        detect: crate::services::detect,
        parse: crate::services::parse,
    },
    FormatDef {
        id: "get-service",
        description: "Get-Service table (Status Name DisplayName) or Format-List",
        names: &["services/services.txt", "windowsservices.txt"],
        detect: crate::services::detect,
        parse: crate::services::parse,
    },
    FormatDef {
        id: "hns-process",
        description: "HNS process: Id, thread count, working set (JSON, Get-Process table or list, bare Threads.Count)",
        names: &["hns/process.json", "hnsprocess.txt", "hns_threads.txt"],
        detect: crate::hns_process::detect,
        parse: crate::hns_process::parse,
    },
    FormatDef {
        id: "hns-data-file",
        description: "HNS.data persistence file size and last write time (Get-Item JSON or Format-List)",
        names: &["hns/hnsdata.json", "hnsdata.txt"],
        detect: crate::hns_process::detect_data,
        parse: crate::hns_process::parse_data,
    },
    FormatDef {
        id: "netstat",
        description: "netstat -ano sockets (any locale) → listeners",
        names: &["ports/netstat.txt", "netstat.txt"],
        detect: crate::listeners::detect,
        parse: crate::listeners::parse,
    },
    FormatDef {
        id: "netsh-tcpconnections",
        description: "netsh int ipv4 show tcpconnections → listeners",
        names: &["ports/tcpconnections.txt", "tcpconnections.txt"],
        detect: crate::listeners::detect,
        parse: crate::listeners::parse,
    },
    FormatDef {
        id: "get-nettcpconnection",
        description: "Get-NetTCPConnection / Get-NetUDPEndpoint tables → listeners",
        names: &["ports/nettcpconnection.txt", "ports/netudpendpoint.txt"],
        detect: crate::listeners::detect,
        parse: crate::listeners::parse,
    },
    FormatDef {
        id: "hnsdiag-list",
        description: "hnsdiag list all|networks|endpoints|namespaces|loadbalancers (section tables or per-object blocks)",
        names: &["hns/hnsdiag.txt", "hns/hnsdiag-list.txt", "hnsdiag.txt"],
        detect: crate::hnsdiag::detect,
        parse: crate::hnsdiag::parse,
    },
    FormatDef {
        id: "kube-events",
        description: "kubectl get events table or kubectl describe Events section (Warning rows and rows with error codes)",
        names: &["k8s/events.txt", "events.txt", "kubectl-events.txt"],
        detect: crate::kube_events::detect,
        parse: crate::kube_events::parse,
    },
    FormatDef {
        id: "reg-query-netparams",
        description: "reg query / Get-ItemProperty of Dnscache\\Parameters and Tcpip6\\Parameters",
        names: &["registry/dnscache.txt", "registry/tcpip6.txt"],
        detect: crate::registry::detect,
        parse: crate::registry::parse,
    },
    FormatDef {
        id: "vfpctrl",
        description: "vfpctrl text: /list-vmswitch-port, /get-port-state, layer/group/rule dumps, collectlogs vfpOutput.txt",
        names: &[
            "vfp/ports.txt",
            "vfp/port-state.txt",
            "vfp/rules.txt",
            "ports.txt",
            "vfpOutput.txt",
        ],
        detect: crate::vfpctrl::detect,
        parse: crate::vfpctrl::parse,
    },
    FormatDef {
        id: "netsh-interfaces",
        description: "netsh int ipv4 show interfaces / subinterfaces → interface MTUs (any locale)",
        names: &["net/mtu.txt", "mtu.txt"],
        detect: crate::mtu::detect,
        parse: crate::mtu::parse,
    },
    FormatDef {
        id: "arp",
        description: "arp -a neighbour cache (any locale)",
        names: &["net/arp.txt", "arp.txt"],
        detect: crate::arp::detect,
        parse: crate::arp::parse,
    },
    FormatDef {
        id: "reservedports-probe",
        description: "collectlogs reservedports.txt port-reservation probe result",
        names: &["ports/reservedports.txt", "reservedports.txt"],
        detect: crate::reservedports::detect,
        parse: crate::reservedports::parse,
    },
    FormatDef {
        id: "wevtutil-xml",
        description: "Windows event log exported as XML (wevtutil qe /f:xml): System, HNS, Hyper-V-Compute, VmSwitch",
        names: &["events/system.xml", "system.xml"],
        detect: crate::eventlog::detect_xml,
        parse: crate::eventlog::parse_xml,
    },
    FormatDef {
        id: "get-winevent-list",
        description: "Get-WinEvent | Format-List text (TimeCreated, ProviderName, Id, LevelDisplayName, Message)",
        names: &["events/system.txt", "systemevents.txt"],
        detect: crate::eventlog::detect_list,
        parse: crate::eventlog::parse_list,
    },
    FormatDef {
        id: "route-print",
        description: "route print (IPv4/IPv6 active and persistent routes, any locale); legacy routes.txt with a Get-NetRoute tail",
        names: &["net/route-print.txt", "routes.txt"],
        detect: crate::routes::detect_route_print,
        parse: crate::routes::parse,
    },
    FormatDef {
        id: "get-netroute",
        description: "Get-NetRoute [-IncludeAllCompartments] table (ifIndex DestinationPrefix NextHop RouteMetric ifMetric PolicyStore)",
        names: &["net/netroute.txt"],
        detect: crate::routes::detect_netroute,
        parse: crate::routes::parse,
    },
    FormatDef {
        id: "get-netnat",
        description: "Get-NetNat list or table (Name, Internal/ExternalIPInterfaceAddressPrefix, Active)",
        names: &["nat/netnat.txt"],
        detect: crate::nat::detect_netnat,
        parse: crate::nat::parse,
    },
    FormatDef {
        id: "get-netnatstaticmapping",
        description: "Get-NetNatStaticMapping list or table (NatName, Protocol, External/Internal IP and port)",
        names: &["nat/static-mappings.txt"],
        detect: crate::nat::detect_static_mappings,
        parse: crate::nat::parse,
    },
    FormatDef {
        id: "get-vmswitch",
        description: "Get-VMSwitch table or list (Name, SwitchType, AllowManagementOS, NetAdapterInterfaceDescription)",
        names: &["vswitch/vmswitch.txt"],
        detect: crate::nat::detect_vmswitch,
        parse: crate::nat::parse,
    },
    FormatDef {
        id: "get-netadapter",
        description: "Get-NetAdapter table or list (Name, InterfaceDescription, ifIndex, Status, MacAddress, LinkSpeed)",
        names: &["net/netadapter.txt", "netadapter.txt"],
        detect: crate::nat::detect_netadapter,
        parse: crate::nat::parse,
    },
    FormatDef {
        id: "name-resolution",
        description: "nslookup / ping / Resolve-DnsName / curl / Test-NetConnection name-resolution output (answers, NXDOMAIN, timeouts)",
        names: &["dns/nslookup.txt", "dns/resolve-dnsname.txt"],
        detect: crate::nameres::detect,
        parse: crate::nameres::parse,
    },
    FormatDef {
        id: "powershell-error",
        description: "PowerShell error records of any cmdlet (message, CategoryInfo, FullyQualifiedErrorId) and HNS error objects",
        names: &[],
        detect: crate::pserror::detect,
        parse: crate::pserror::parse,
    },
    FormatDef {
        id: "docker-error",
        description: "docker CLI / daemon / Docker Desktop errors (Error response from daemon, hcsshim CreateContainer) with operation and network",
        names: &[],
        detect: crate::docker::detect,
        parse: crate::docker::parse,
    },
    FormatDef {
        id: "containerd-config",
        description: "containerd config.toml: runtime, CRI CNI bin_dir / conf_dir, sandbox image",
        names: &["containerd/config.toml", "containerd-config.toml"],
        detect: crate::containerd_config::detect,
        parse: crate::containerd_config::parse,
    },
    FormatDef {
        id: "event-table",
        description: "Get-EventLog table/list, Get-WinEvent table, Event Viewer event text (SCM events about hns, vmcompute, kubelet, docker, containerd)",
        names: &[],
        detect: crate::eventtable::detect,
        parse: crate::eventtable::parse,
    },
    FormatDef {
        id: "hcn-settings-inline",
        description: "HCN endpoint/network/load-balancer settings JSON printed inline by kubelet, containerd and CNI logs",
        names: &[],
        detect: crate::hcn_inline::detect,
        parse: crate::hcn_inline::parse,
    },
    FormatDef {
        id: "hns-lb-count-series",
        description: "load-balancer counts sampled over time (a loop printing hnsdiag / Get-HnsPolicyList counts, Count : N)",
        names: &[],
        detect: crate::lbcount::detect,
        parse: crate::lbcount::parse,
    },
    FormatDef {
        id: "go-crash",
        description: "Go panics with goroutine traces, klog fatal lines and start-up failures (kube-proxy, kubelet feature gates)",
        names: &[],
        detect: crate::kube_crash::detect,
        parse: crate::kube_crash::parse,
    },
    FormatDef {
        id: "kubectl-get-pods",
        description: "kubectl get pods [-A] [-o wide] table (status, restarts)",
        names: &["k8s/pods.txt"],
        detect: crate::kube_pods::detect,
        parse: crate::kube_pods::parse,
    },
    FormatDef {
        id: "pktmon-list",
        description: "pktmon list -a -i (text in any locale, or --json): Packet Monitor components with MAC, driver, switch port",
        names: &["pktmon/list.json", "pktmon/list.txt", "pktmon-list.txt", "pktmon-list.json"],
        detect: crate::pktmon::detect_list,
        parse: crate::pktmon::parse_list,
    },
    FormatDef {
        id: "pktmon-counters",
        description: "pktmon counters (text in any locale, or --json): per-component drop counters and the last drop reason",
        names: &[
            "pktmon/counters.json",
            "pktmon/counters-before.json",
            "pktmon/counters-after.json",
            "pktmon/counters.txt",
            "pktmon-counters.txt",
            "pktmon-counters.json",
        ],
        detect: crate::pktmon::detect_counters,
        parse: crate::pktmon::parse_counters,
    },
    FormatDef {
        id: "pktmon-etl2txt",
        description: "pktmon etl2txt of a capture (English or German messages): components, drop counters, drops with reason, location and addresses",
        names: &["pktmon/drops.txt", "pktmon.txt", "pktmon-drops.txt"],
        detect: crate::pktmon::detect_etl2txt,
        parse: crate::pktmon::parse_etl2txt,
    },
    FormatDef {
        id: "pktmon-capture",
        description: "hnsdoctor's record of a drops-only capture (pktmon/capture.json: duration, session, bounds)",
        names: &["pktmon/capture.json"],
        detect: |_| 0,
        parse: crate::pktmon::parse_capture,
    },
];

/// Look a format up by id.
#[must_use]
pub fn by_id(id: &str) -> Option<&'static FormatDef> {
    FORMATS.iter().find(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_kebab() {
        let mut seen = std::collections::BTreeSet::new();
        for f in FORMATS {
            assert!(seen.insert(f.id), "duplicate format id {}", f.id);
            assert!(
                f.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "format id not kebab-case: {}",
                f.id
            );
            assert!(!f.description.is_empty(), "{} has no description", f.id);
        }
    }
}
