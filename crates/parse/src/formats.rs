//! The one table of parser formats: [`FORMATS`].
//!
//! Each entry names a [`Format`] (its kebab-case id is also `InputSummary::format` and the
//! `parser` of a manifest record), a content detector for pastes and unnamed files, and the
//! parse function. Which files a format reads by name is not here: the artefact table
//! ([`hnsdoctor_bundle::artefacts`]) says it once for the collector, the opener and the parser.
//! To add a format: write `src/<artefact>.rs` with its fixtures, add a [`Format`] variant and
//! the artefacts it reads, and one entry here.

use crate::ParseFn;
pub use hnsdoctor_bundle::artefacts::Format;

/// How an artefact format is recognised and parsed.
#[derive(Debug, Clone, Copy)]
pub struct FormatDef {
    /// The format (its id: `hns-networks-json`, `ipconfig`, `netsh-excludedportrange`).
    pub format: Format,
    /// One-line description for `inspect` and the docs.
    pub description: &'static str,
    /// Content detector: 0 = not this format, 100 = certainly. Used for pastes and for files
    /// whose name selects nothing. Must be cheap: it sees the first ~64 KiB of text.
    pub detect: fn(&str) -> u8,
    /// The parser.
    pub parse: ParseFn,
}

/// Every known format. Order matters only for ties in detection (earlier wins).
pub static FORMATS: &[FormatDef] = &[
    FormatDef {
        format: Format::NetshExcludedportrange,
        description: "netsh int ipv4 show excludedportrange (tcp and/or udp, any locale)",
        detect: crate::netsh_ports::detect_excluded,
        parse: crate::netsh_ports::parse,
    },
    FormatDef {
        format: Format::NetshDynamicportrange,
        description: "netsh int ipv4 show dynamicportrange (tcp and/or udp, any locale)",
        detect: crate::netsh_ports::detect_dynamic,
        parse: crate::netsh_ports::parse,
    },
    FormatDef {
        format: Format::Osversion,
        description: "Windows version: [Environment]::OSVersion, ver, systeminfo, reg query CurrentVersion, collectlogs winver.txt",
        detect: crate::osversion::detect,
        parse: crate::osversion::parse,
    },
    FormatDef {
        format: Format::GetHotfix,
        description: "Get-HotFix table (Source Description HotFixID InstalledBy InstalledOn)",
        detect: crate::hotfix::detect,
        parse: crate::hotfix::parse,
    },
    FormatDef {
        format: Format::ContainerImages,
        description: "container images: docker images, ctr images ls, crictl images (with or without digests), docker image inspect JSON (OsVersion)",
        detect: crate::images::detect_images,
        parse: crate::images::parse_images,
    },
    FormatDef {
        format: Format::ContainerList,
        description: "running containers and their images: ctr -n k8s.io c ls, docker ps -a",
        detect: crate::images::detect_containers,
        parse: crate::images::parse_containers,
    },
    FormatDef {
        format: Format::ComponentLog,
        description: "kube-proxy / kubelet / containerd / docker / CNI plugin log lines (klog, JSON, logrus, calico, azure-vnet)",
        detect: crate::klog::detect,
        parse: crate::klog::parse,
    },
    FormatDef {
        format: Format::HnsNetworksJson,
        description: "HNS networks as JSON, v1 or v2 (HCN query, Get-HnsNetwork | ConvertTo-Json, -Detailed)",
        detect: crate::hns_json::detect_networks,
        parse: crate::hns_json::parse_networks,
    },
    FormatDef {
        format: Format::HnsEndpointsJson,
        description: "HNS endpoints as JSON, v1 or v2 (local and remote, State / Flags)",
        detect: crate::hns_json::detect_endpoints,
        parse: crate::hns_json::parse_endpoints,
    },
    FormatDef {
        format: Format::HnsNamespacesJson,
        description: "HNS namespaces (compartments) as JSON, v1 or v2",
        detect: crate::hns_json::detect_namespaces,
        parse: crate::hns_json::parse_namespaces,
    },
    FormatDef {
        format: Format::HnsLoadbalancersJson,
        description: "HNS v2 load balancers as JSON (FrontendVIPs, PortMappings, DSR flag)",
        detect: crate::hns_json::detect_load_balancers,
        parse: crate::hns_json::parse_load_balancers,
    },
    FormatDef {
        format: Format::HnsPolicylistsJson,
        description: "HNS v1 policy lists with ELB policies (Get-HnsPolicyList), or load balancers, as JSON",
        detect: |_| 0,
        parse: crate::hns_json::parse_load_balancers,
    },
    FormatDef {
        format: Format::HnsPortpoolsJson,
        description: "HNS port-pool allocations (GET /portpools, PortPoolAllocations)",
        detect: crate::hns_json::detect_port_pools,
        parse: crate::hns_json::parse_port_pools,
    },
    FormatDef {
        format: Format::HnsVersionJson,
        description: "HNS version from /globals/version ({\"Major\":N,\"Minor\":M})",
        detect: crate::hns_json::detect_version,
        parse: crate::hns_json::parse_version,
    },
    FormatDef {
        format: Format::HnsdiagDetailedJson,
        description: "hnsdiag list all -d: detailed JSON per object under Networks:/Endpoints:/… headers",
        detect: crate::hns_json::detect_any,
        parse: crate::hns_json::parse_any,
    },
    FormatDef {
        format: Format::Ipconfig,
        description: "ipconfig /all and /allcompartments /all (localized labels); legacy ip.txt",
        detect: crate::ipconfig::detect,
        parse: crate::ipconfig::parse,
    },
    FormatDef {
        format: Format::CniConfig,
        description: "CNI network configuration (.conf / .conflist JSON): name, version, plugin types, HNS network name",
        detect: crate::cni_config::detect,
        parse: crate::cni_config::parse,
    },
    FormatDef {
        format: Format::KubeClusterConfig,
        description: "AKS kubeclusterconfig.json or flannel net-conf.json: service/cluster CIDR, DNS IP, network name, runtime",
        detect: crate::cni_config::detect_cluster,
        parse: crate::cni_config::parse_cluster,
    },
    FormatDef {
        format: Format::FlannelSubnetEnv,
        description: "flannel subnet.env (FLANNEL_NETWORK, FLANNEL_SUBNET, FLANNEL_MTU)",
        detect: crate::cni_config::detect_subnet_env,
        parse: crate::cni_config::parse_subnet_env,
    },
    FormatDef {
        format: Format::HnsNetworksList,
        description: "Get-HnsNetwork as Format-List text, or collectlogs network.txt Select table without JSON",
        detect: crate::hns_list::detect_networks,
        parse: crate::hns_list::parse_networks,
    },
    FormatDef {
        format: Format::HnsEndpointsList,
        description: "Get-HnsEndpoint as Format-List text (v1 fields: State, IsRemoteEndpoint)",
        detect: crate::hns_list::detect_endpoints,
        parse: crate::hns_list::parse_endpoints,
    },
    FormatDef {
        format: Format::HnsPolicylistsList,
        description: "Get-HnsPolicyList as Format-List text (ELB policies, References)",
        detect: crate::hns_list::detect_policy_lists,
        parse: crate::hns_list::parse_policy_lists,
    },
    FormatDef {
        format: Format::HnsNamespacesList,
        description: "Get-HnsNamespace as Format-List text",
        detect: crate::hns_list::detect_namespaces,
        parse: crate::hns_list::parse_namespaces,
    },
    FormatDef {
        format: Format::ScQueryex,
        description: "sc query / sc queryex service blocks (SERVICE_NAME, STATE, PID)",
        detect: crate::services::detect,
        parse: crate::services::parse,
    },
    FormatDef {
        format: Format::GetService,
        description: "Get-Service table (Status Name DisplayName) or Format-List",
        detect: crate::services::detect,
        parse: crate::services::parse,
    },
    FormatDef {
        format: Format::HnsProcess,
        description: "HNS process: Id, thread count, working set (JSON, Get-Process table or list, bare Threads.Count)",
        detect: crate::hns_process::detect,
        parse: crate::hns_process::parse,
    },
    FormatDef {
        format: Format::HnsDataFile,
        description: "HNS.data persistence file size and last write time (Get-Item JSON or Format-List)",
        detect: crate::hns_process::detect_data,
        parse: crate::hns_process::parse_data,
    },
    FormatDef {
        format: Format::Netstat,
        description: "netstat -ano sockets (any locale) → listeners",
        detect: crate::listeners::detect,
        parse: crate::listeners::parse,
    },
    FormatDef {
        format: Format::NetshTcpconnections,
        description: "netsh int ipv4 show tcpconnections → listeners",
        detect: crate::listeners::detect,
        parse: crate::listeners::parse,
    },
    FormatDef {
        format: Format::GetNettcpconnection,
        description: "Get-NetTCPConnection / Get-NetUDPEndpoint tables → listeners",
        detect: crate::listeners::detect,
        parse: crate::listeners::parse,
    },
    FormatDef {
        format: Format::HnsdiagList,
        description: "hnsdiag list all|networks|endpoints|namespaces|loadbalancers (section tables or per-object blocks)",
        detect: crate::hnsdiag::detect,
        parse: crate::hnsdiag::parse,
    },
    FormatDef {
        format: Format::KubeEvents,
        description: "kubectl get events table or kubectl describe Events section (Warning rows and rows with error codes)",
        detect: crate::kube_events::detect,
        parse: crate::kube_events::parse,
    },
    FormatDef {
        format: Format::RegQueryNetparams,
        description: "reg query / Get-ItemProperty of Dnscache\\Parameters and Tcpip6\\Parameters",
        detect: crate::registry::detect,
        parse: crate::registry::parse,
    },
    FormatDef {
        format: Format::Vfpctrl,
        description: "vfpctrl text: /list-vmswitch-port, /get-port-state, layer/group/rule dumps, collectlogs vfpOutput.txt",
        detect: crate::vfpctrl::detect,
        parse: crate::vfpctrl::parse,
    },
    FormatDef {
        format: Format::NetshInterfaces,
        description: "netsh int ipv4 show interfaces / subinterfaces → interface MTUs (any locale)",
        detect: crate::mtu::detect,
        parse: crate::mtu::parse,
    },
    FormatDef {
        format: Format::Arp,
        description: "arp -a neighbour cache (any locale)",
        detect: crate::arp::detect,
        parse: crate::arp::parse,
    },
    FormatDef {
        format: Format::ReservedportsProbe,
        description: "collectlogs reservedports.txt port-reservation probe result",
        detect: crate::reservedports::detect,
        parse: crate::reservedports::parse,
    },
    FormatDef {
        format: Format::WevtutilXml,
        description: "Windows event log exported as XML (wevtutil qe /f:xml): System, HNS, Hyper-V-Compute, VmSwitch",
        detect: crate::eventlog::detect_xml,
        parse: crate::eventlog::parse_xml,
    },
    FormatDef {
        format: Format::GetWineventList,
        description: "Get-WinEvent | Format-List text (TimeCreated, ProviderName, Id, LevelDisplayName, Message)",
        detect: crate::eventlog::detect_list,
        parse: crate::eventlog::parse_list,
    },
    FormatDef {
        format: Format::RoutePrint,
        description: "route print (IPv4/IPv6 active and persistent routes, any locale); legacy routes.txt with a Get-NetRoute tail",
        detect: crate::routes::detect_route_print,
        parse: crate::routes::parse,
    },
    FormatDef {
        format: Format::GetNetroute,
        description: "Get-NetRoute [-IncludeAllCompartments] table (ifIndex DestinationPrefix NextHop RouteMetric ifMetric PolicyStore)",
        detect: crate::routes::detect_netroute,
        parse: crate::routes::parse,
    },
    FormatDef {
        format: Format::GetNetnat,
        description: "Get-NetNat list or table (Name, Internal/ExternalIPInterfaceAddressPrefix, Active)",
        detect: crate::nat::detect_netnat,
        parse: crate::nat::parse,
    },
    FormatDef {
        format: Format::GetNetnatstaticmapping,
        description: "Get-NetNatStaticMapping list or table (NatName, Protocol, External/Internal IP and port)",
        detect: crate::nat::detect_static_mappings,
        parse: crate::nat::parse,
    },
    FormatDef {
        format: Format::GetVmswitch,
        description: "Get-VMSwitch table or list (Name, SwitchType, AllowManagementOS, NetAdapterInterfaceDescription)",
        detect: crate::nat::detect_vmswitch,
        parse: crate::nat::parse,
    },
    FormatDef {
        format: Format::GetNetadapter,
        description: "Get-NetAdapter table or list (Name, InterfaceDescription, ifIndex, Status, MacAddress, LinkSpeed)",
        detect: crate::nat::detect_netadapter,
        parse: crate::nat::parse,
    },
    FormatDef {
        format: Format::NameResolution,
        description: "nslookup / ping / Resolve-DnsName / curl / Test-NetConnection name-resolution output (answers, NXDOMAIN, timeouts)",
        detect: crate::nameres::detect,
        parse: crate::nameres::parse,
    },
    FormatDef {
        format: Format::PowershellError,
        description: "PowerShell error records of any cmdlet (message, CategoryInfo, FullyQualifiedErrorId) and HNS error objects",
        detect: crate::pserror::detect,
        parse: crate::pserror::parse,
    },
    FormatDef {
        format: Format::DockerError,
        description: "docker CLI / daemon / Docker Desktop errors (Error response from daemon, hcsshim CreateContainer) with operation and network",
        detect: crate::docker::detect,
        parse: crate::docker::parse,
    },
    FormatDef {
        format: Format::ContainerdConfig,
        description: "containerd config.toml: runtime, CRI CNI bin_dir / conf_dir, sandbox image",
        detect: crate::containerd_config::detect,
        parse: crate::containerd_config::parse,
    },
    FormatDef {
        format: Format::EventTable,
        description: "Get-EventLog table/list, Get-WinEvent table, Event Viewer event text (SCM events about hns, vmcompute, kubelet, docker, containerd)",
        detect: crate::eventtable::detect,
        parse: crate::eventtable::parse,
    },
    FormatDef {
        format: Format::HcnSettingsInline,
        description: "HCN endpoint/network/load-balancer settings JSON printed inline by kubelet, containerd and CNI logs",
        detect: crate::hcn_inline::detect,
        parse: crate::hcn_inline::parse,
    },
    FormatDef {
        format: Format::HnsLbCountSeries,
        description: "load-balancer counts sampled over time (a loop printing hnsdiag / Get-HnsPolicyList counts, Count : N)",
        detect: crate::lbcount::detect,
        parse: crate::lbcount::parse,
    },
    FormatDef {
        format: Format::GoCrash,
        description: "Go panics with goroutine traces, klog fatal lines and start-up failures (kube-proxy, kubelet feature gates)",
        detect: crate::kube_crash::detect,
        parse: crate::kube_crash::parse,
    },
    FormatDef {
        format: Format::KubectlGetPods,
        description: "kubectl get pods [-A] [-o wide] table (status, restarts)",
        detect: crate::kube_pods::detect,
        parse: crate::kube_pods::parse,
    },
    FormatDef {
        format: Format::PktmonList,
        description: "pktmon list -a -i (text in any locale, or --json): Packet Monitor components with MAC, driver, switch port",
        detect: crate::pktmon::detect_list,
        parse: crate::pktmon::parse_list,
    },
    FormatDef {
        format: Format::PktmonCounters,
        description: "pktmon counters (text in any locale, or --json): per-component drop counters and the last drop reason",
        detect: crate::pktmon::detect_counters,
        parse: crate::pktmon::parse_counters,
    },
    FormatDef {
        format: Format::PktmonEtl2txt,
        description: "pktmon etl2txt of a capture (English or German messages): components, drop counters, drops with reason, location and addresses",
        detect: crate::pktmon::detect_etl2txt,
        parse: crate::pktmon::parse_etl2txt,
    },
    FormatDef {
        format: Format::PktmonCapture,
        description: "hnsdoctor's record of a drops-only capture (pktmon/capture.json: duration, session, bounds)",
        detect: |_| 0,
        parse: crate::pktmon::parse_capture,
    },
];

impl FormatDef {
    /// The format id (`hns-networks-json`).
    #[must_use]
    pub const fn id(&self) -> &'static str {
        self.format.id()
    }
}

/// Look a format up by id.
#[must_use]
pub fn by_id(id: &str) -> Option<&'static FormatDef> {
    Format::from_id(id).and_then(by_format)
}

/// The entry of a format. Every [`Format`] has one (a test checks).
#[must_use]
pub fn by_format(format: Format) -> Option<&'static FormatDef> {
    FORMATS.iter().find(|f| f.format == format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_kebab() {
        let mut seen = std::collections::BTreeSet::new();
        for f in FORMATS {
            assert!(seen.insert(f.id()), "duplicate format id {}", f.id());
            assert!(
                f.id()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "format id not kebab-case: {}",
                f.id()
            );
            assert!(!f.description.is_empty(), "{} has no description", f.id());
        }
    }

    /// The artefact table and this one agree: every format has exactly one entry here, in the
    /// same order (detection ties go to the earlier one).
    #[test]
    fn every_format_has_one_parser_and_a_way_in() {
        let here: Vec<Format> = FORMATS.iter().map(|f| f.format).collect();
        assert_eq!(here, Format::ALL, "FORMATS and artefacts::Format differ");
        for f in FORMATS {
            assert_eq!(by_id(f.id()).map(|d| d.format), Some(f.format));
        }
    }
}
