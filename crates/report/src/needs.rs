//! What the rules that could not run were missing, folded for a reader: instead of one line per
//! rule ("missing kube-proxy-log, kubelet-log, runtime-log, …"), one line per kind of input
//! ("22 checks need the OS build: add `cmd /c ver` or `systeminfo` output").
//!
//! Every [`Fact`] belongs to one [`Need`] (a kind of input one command or file provides); the
//! `match` in [`need_of`] is exhaustive, so a new fact cannot be added without saying how to get
//! it. A rule is grouped by the set of needs it misses; a rule that needs *any one* of several
//! facts (`NotEvaluated::any_of`, e.g. any log) is grouped under one "any of" need and worded as
//! such. Groups are sorted by how many rules they hold (most first), then by label, so the
//! output is deterministic.

use hnsdoctor_model::Fact;
use hnsdoctor_rules::{NotEvaluated, Report};

/// A kind of input: what a reader should add to make a group of rules run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Need {
    /// Short noun phrase: "the OS build".
    pub label: &'static str,
    /// What to add: "`cmd /c ver` or `systeminfo` output".
    pub hint: &'static str,
}

const fn need(label: &'static str, hint: &'static str) -> Need {
    Need { label, hint }
}

const OS_BUILD: Need = need(
    "the OS build",
    "`cmd /c ver` or `systeminfo` output (CollectLogs: winver.txt)",
);
const HOTFIXES: Need = need(
    "the installed updates",
    "`Get-HotFix` or `systeminfo` output",
);
const HNS: Need = need(
    "HNS objects",
    "`Get-HnsNetwork`, `Get-HnsEndpoint` and `Get-HnsPolicyList` as JSON, or `hnsdiag list all`",
);
const HNS_PROCESS: Need = need(
    "the HNS process and HNS.data",
    "a bundle from `hnsdoctor collect` (it records both)",
);
const IPCONFIG: Need = need(
    "IP configuration",
    "`ipconfig /allcompartments /all` output",
);
const ROUTES: Need = need("the routing table", "`route print` output");
const MTU: Need = need(
    "interface MTUs",
    "`netsh interface ipv4 show subinterfaces` output",
);
const ARP: Need = need("the ARP cache", "`arp -a` output");
const ADAPTERS: Need = need("network adapters", "`Get-NetAdapter` output");
const PORT_RANGES: Need = need(
    "the port ranges",
    "`netsh int ipv4 show dynamicport tcp` and `netsh int ipv4 show excludedportrange protocol=tcp` output (udp too)",
);
const LISTENERS: Need = need("listening ports", "`netstat -ano` output");
const PORT_PROBE: Need = need(
    "a port reservation probe",
    "a bundle from `hnsdoctor collect` (CollectLogs: reservedports.txt)",
);
const SERVICES: Need = need("the service list", "`sc queryex` or `Get-Service` output");
const VFP: Need = need(
    "VFP state",
    "`vfpctrl /list-vmswitch-port` and per-port `vfpctrl /port <name> /get-port-state` output",
);
const NAT: Need = need("WinNAT", "`Get-NetNat` output");
const VSWITCH: Need = need("Hyper-V switches", "`Get-VMSwitch` output");
const REGISTRY: Need = need(
    "DNS client and IPv6 registry settings",
    "`reg query` of `HKLM\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters` and `…\\Tcpip6\\Parameters`",
);
const CNI: Need = need(
    "the CNI config",
    "the files of the CNI config folder (e.g. `C:\\k\\cni\\config`)",
);
const K8S: Need = need(
    "the Kubernetes context",
    "`C:\\k\\kubeclusterconfig.json`, or `--dns-ip`/`--service-cidr`",
);
const KUBE_PROXY_LOG: Need = need("the kube-proxy log", "kube-proxy's log file");
const KUBELET_LOG: Need = need("the kubelet log", "kubelet's log file");
const RUNTIME_LOG: Need = need("the container runtime log", "containerd's or Docker's log");
const CNI_LOG: Need = need("the CNI log", "the CNI plugin's log file");
const PASTED_LOG: Need = need("pasted log lines", "the error lines you saw");
const EVENTS: Need = need("Kubernetes events", "`kubectl get events` output");
const EVENT_LOGS: Need = need(
    "Windows event logs",
    "the System and Microsoft-Windows-Host-Network-Service event logs (`wevtutil qe`)",
);
const FIREWALL: Need = need("firewall rules", "`Get-NetFirewallRule` output");
const CONTAINERS: Need = need(
    "the container list",
    "`ctr -n k8s.io containers list` or `hcsdiag list`",
);
const PUBLISHED: Need = need(
    "the ports being published",
    "the `docker run -p host:container …` command that publishes them",
);
const IMAGES: Need = need(
    "the container images",
    "`docker images`, `ctr -n k8s.io images ls` or `crictl images`",
);
const NAME_RESOLUTION: Need = need(
    "name-resolution output",
    "`nslookup <name>`, `ping <name>`, `Resolve-DnsName <name>` or `curl <url>` output",
);
const LB_COUNTS: Need = need(
    "load-balancer counts over time",
    "a loop printing `(hnsdiag list loadbalancers).Count` every few seconds",
);
const PODS: Need = need("the pod list", "`kubectl get pods -A -o wide`");
const RUNTIME_CONFIG: Need = need(
    "the containerd configuration",
    "`Get-Content 'C:\\Program Files\\containerd\\config.toml'`",
);
const PKTMON_COUNTERS: Need = need(
    "Packet Monitor counters",
    "`pktmon counters --json` and `pktmon list --json` output (a bundle from `hnsdoctor collect` has both)",
);
const PKTMON_DROPS: Need = need(
    "a drops-only Packet Monitor capture",
    "`hnsdoctor collect --drops 60s`, or `pktmon etl2txt` output of a `pktmon start -c --comp all --type drop` capture",
);
/// The need of a rule that wants any one of several facts (any log, any HNS object…).
const ANY_LOG: Need = need(
    "any log",
    "one of: kube-proxy, kubelet, containerd or CNI logs, `kubectl get events`, the System or HNS event log, or pasted error lines",
);

/// The kind of input a fact comes from.
#[must_use]
pub fn need_of(f: Fact) -> Need {
    match f {
        Fact::OsBuild | Fact::OsUbr => OS_BUILD,
        Fact::Hotfixes => HOTFIXES,
        Fact::HnsVersion
        | Fact::HnsNetworks
        | Fact::HnsEndpoints
        | Fact::HnsEndpointState
        | Fact::HnsNamespaces
        | Fact::HnsLoadBalancers
        | Fact::HnsPortPools => HNS,
        Fact::HnsProcess | Fact::HnsDataFile => HNS_PROCESS,
        Fact::IpConfig | Fact::IpConfigAllCompartments => IPCONFIG,
        Fact::Routes => ROUTES,
        Fact::InterfaceMtu => MTU,
        Fact::Neighbors => ARP,
        Fact::Adapters => ADAPTERS,
        Fact::DynamicPortRangeTcp
        | Fact::DynamicPortRangeUdp
        | Fact::ExcludedPortRangeTcp
        | Fact::ExcludedPortRangeUdp => PORT_RANGES,
        Fact::TcpListeners | Fact::UdpListeners => LISTENERS,
        Fact::PortReservationProbe => PORT_PROBE,
        Fact::Services => SERVICES,
        Fact::VfpPorts | Fact::VfpPortState | Fact::VfpRules => VFP,
        Fact::NetNat => NAT,
        Fact::VSwitches => VSWITCH,
        Fact::DnsCacheParams | Fact::Tcpip6Params => REGISTRY,
        Fact::CniConfig => CNI,
        Fact::KubeContext => K8S,
        Fact::KubeProxyLog => KUBE_PROXY_LOG,
        Fact::KubeletLog => KUBELET_LOG,
        Fact::RuntimeLog => RUNTIME_LOG,
        Fact::CniLog => CNI_LOG,
        Fact::PastedLog => PASTED_LOG,
        Fact::KubeEvents => EVENTS,
        Fact::SystemEventLog | Fact::HnsEventLog => EVENT_LOGS,
        Fact::Firewall => FIREWALL,
        Fact::Containers => CONTAINERS,
        Fact::PublishedPorts => PUBLISHED,
        Fact::ContainerImages => IMAGES,
        Fact::NameResolution => NAME_RESOLUTION,
        Fact::LbCountSeries => LB_COUNTS,
        Fact::KubePods => PODS,
        Fact::PktmonComponents | Fact::PktmonCounters => PKTMON_COUNTERS,
        Fact::PktmonDrops => PKTMON_DROPS,
        Fact::RuntimeConfig => RUNTIME_CONFIG,
    }
}

/// How a group asks for its input: all of its needs, or any one of them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Want {
    /// Every one of these is needed.
    All(Vec<Need>),
    /// Any one of these would do (worded "needs any of"); with needs that are also required.
    AnyOf {
        /// Needed in any case.
        all: Vec<Need>,
        /// Alternatives.
        any: Vec<Need>,
    },
}

/// Rules not evaluated for the same missing input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// What they miss.
    pub want: Want,
    /// The rules, sorted by id.
    pub ids: Vec<String>,
}

fn dedup_needs(facts: impl Iterator<Item = Fact>) -> Vec<Need> {
    let mut v: Vec<Need> = facts.map(need_of).collect();
    v.sort();
    v.dedup();
    v
}

/// What one not-evaluated rule wants, as needs.
#[must_use]
pub fn want_of(n: &NotEvaluated) -> Want {
    let all = dedup_needs(n.missing.iter().copied().filter(|f| !n.any_of.contains(f)));
    if n.any_of.is_empty() {
        return Want::All(all);
    }
    let any = dedup_needs(n.any_of.iter().copied());
    if n.any_of.iter().all(|f| Fact::LOGS.contains(f)) && any.len() > 1 {
        return Want::AnyOf {
            all,
            any: vec![ANY_LOG],
        };
    }
    if any.len() == 1 {
        let mut all = all;
        all.extend(any);
        all.sort();
        all.dedup();
        return Want::All(all);
    }
    Want::AnyOf { all, any }
}

/// Fold the report's not-evaluated rules into groups by what they miss, biggest group first.
#[must_use]
pub fn fold(report: &Report) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: std::collections::HashMap<Want, usize> = std::collections::HashMap::new();
    for n in &report.not_evaluated {
        let want = want_of(n);
        match index.get(&want) {
            Some(&i) => groups[i].ids.push(n.id.clone()),
            None => {
                index.insert(want.clone(), groups.len());
                groups.push(Group {
                    want,
                    ids: vec![n.id.clone()],
                });
            }
        }
    }
    for g in &mut groups {
        g.ids.sort();
    }
    groups.sort_by(|a, b| {
        b.ids
            .len()
            .cmp(&a.ids.len())
            .then_with(|| a.want.cmp(&b.want))
    });
    groups
}

fn join_and(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} {word} {last}", head.join(", ")),
    }
}

impl Group {
    fn checks_need(&self) -> String {
        match self.ids.len() {
            1 => "1 check needs".to_string(),
            n => format!("{n} checks need"),
        }
    }

    /// The sentence without the hint: "22 checks need the OS build".
    #[must_use]
    pub fn short(&self) -> String {
        let labels = |v: &[Need]| v.iter().map(|x| x.label.to_string()).collect::<Vec<_>>();
        let checks = self.checks_need();
        match &self.want {
            Want::All(all) => format!("{checks} {}", join_and(&labels(all), "and")),
            Want::AnyOf { all, any } => {
                let any_part = if any.len() == 1 {
                    any[0].label.to_string()
                } else {
                    format!("any of {}", join_and(&labels(any), "or"))
                };
                if all.is_empty() {
                    format!("{checks} {any_part}")
                } else {
                    format!("{checks} {} and {any_part}", join_and(&labels(all), "and"))
                }
            }
        }
    }

    /// "22 checks need the OS build: add `cmd /c ver` or `systeminfo` output".
    #[must_use]
    pub fn sentence(&self) -> String {
        let checks = self.checks_need();
        let labels = |v: &[Need]| v.iter().map(|x| x.label.to_string()).collect::<Vec<_>>();
        let hints = |v: &[Need]| v.iter().map(|x| x.hint.to_string()).collect::<Vec<_>>();
        match &self.want {
            Want::All(all) => format!(
                "{checks} {}: add {}",
                join_and(&labels(all), "and"),
                join_and(&hints(all), "and")
            ),
            Want::AnyOf { all, any } => {
                let any_part = if any.len() == 1 {
                    any[0].label.to_string()
                } else {
                    format!("any of {}", join_and(&labels(any), "or"))
                };
                let any_hint = if any.len() == 1 {
                    any[0].hint.to_string()
                } else {
                    format!("one of {}", join_and(&hints(any), "or"))
                };
                if all.is_empty() {
                    format!("{checks} {any_part}: add {any_hint}")
                } else {
                    format!(
                        "{checks} {} and {any_part}: add {} and {any_hint}",
                        join_and(&labels(all), "and"),
                        join_and(&hints(all), "and")
                    )
                }
            }
        }
    }
}

/// One rule's missing input, worded with "any of" where any one fact would do:
/// "missing hns-endpoints; needs any of kube-proxy-log, kubelet-log".
#[must_use]
pub fn missing_phrase(n: &NotEvaluated) -> String {
    let all: Vec<String> = n
        .missing
        .iter()
        .filter(|f| !n.any_of.contains(f))
        .map(|f| f.name())
        .collect();
    let any: Vec<String> = n.any_of.iter().map(|f| f.name()).collect();
    match (all.is_empty(), any.is_empty()) {
        (true, true) => "missing input".into(),
        (false, true) => format!("missing {}", all.join(", ")),
        (true, false) => format!("needs any of {}", any.join(", ")),
        (false, false) => format!(
            "missing {}; needs any of {}",
            all.join(", "),
            any.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixture::sample_report;

    fn ne(id: &str, missing: &[Fact], any_of: &[Fact]) -> NotEvaluated {
        NotEvaluated {
            id: id.into(),
            title: id.into(),
            missing: missing.to_vec(),
            any_of: any_of.to_vec(),
        }
    }

    #[test]
    fn groups_by_what_is_missing_biggest_first() {
        let mut r = sample_report();
        r.not_evaluated = vec![
            ne("a", &[Fact::OsBuild], &[]),
            ne("b", &[Fact::OsBuild, Fact::OsUbr], &[]),
            ne("c", &[Fact::VfpPorts], &[]),
            ne("d", Fact::LOGS, Fact::LOGS),
            ne("e", &[Fact::OsBuild], &[]),
        ];
        let g = fold(&r);
        assert_eq!(g.len(), 3, "{g:#?}");
        assert_eq!(g[0].ids, vec!["a", "b", "e"]);
        assert!(
            g[0].sentence()
                .starts_with("3 checks need the OS build: add `cmd /c ver`"),
            "{}",
            g[0].sentence()
        );
        let logs = g.iter().find(|g| g.ids == vec!["d"]).unwrap();
        assert!(
            logs.sentence()
                .starts_with("1 check needs any log: add one of: kube-proxy"),
            "{}",
            logs.sentence()
        );
    }

    #[test]
    fn any_of_is_worded_as_such() {
        let n = ne(
            "x",
            &[Fact::HnsEndpoints, Fact::KubeProxyLog, Fact::KubeletLog],
            &[Fact::KubeProxyLog, Fact::KubeletLog],
        );
        assert_eq!(
            missing_phrase(&n),
            "missing hns-endpoints; needs any of kube-proxy-log, kubelet-log"
        );
        let g = Group {
            want: want_of(&n),
            ids: vec!["x".into()],
        };
        assert_eq!(
            g.sentence(),
            "1 check needs HNS objects and any log: add `Get-HnsNetwork`, `Get-HnsEndpoint` and \
             `Get-HnsPolicyList` as JSON, or `hnsdiag list all` and one of: kube-proxy, kubelet, \
             containerd or CNI logs, `kubectl get events`, the System or HNS event log, or pasted \
             error lines"
        );
        // alternatives that are not logs are listed with "or"
        let n = ne(
            "y",
            &[Fact::Services, Fact::Firewall],
            &[Fact::Services, Fact::Firewall],
        );
        let s = Group {
            want: want_of(&n),
            ids: vec!["y".into()],
        }
        .sentence();
        assert!(
            s.starts_with("1 check needs any of firewall rules or the service list"),
            "{s}"
        );
        assert_eq!(
            missing_phrase(&ne("z", &[Fact::Routes], &[])),
            "missing routes"
        );
    }
}
