//! CollectLogs parity: every artefact `collectlogs.ps1` (microsoft/SDN) writes, what it held,
//! and — from the source table's `legacy` fields — which hnsdoctor sources replace it. Renders
//! `docs/collectlogs-parity.md`; a test keeps the checked-in file in sync (set
//! `HNSDOCTOR_BLESS=1` to rewrite it).

use crate::source::Parser;
use crate::sources;
use std::fmt::Write as _;

/// Every CollectLogs artefact with what it contained (prior-art §1, domain-facts §5.9).
pub const COLLECTLOGS_ARTEFACTS: &[(&str, &str)] = &[
    ("network.txt", "Get-HnsNetwork summary + JSON"),
    ("networkdetailed.txt", "Get-HnsNetwork -Detailed JSON per network"),
    ("endpoint.txt", "Get-HnsEndpoint summary (IsRemoteEndpoint, State) + JSON"),
    ("policy.txt", "Get-HnsPolicyList / load balancers JSON"),
    ("namespaces.txt", "HNS namespaces"),
    ("hnsportpoolallocs.txt", "HNS portpools (PortPoolAllocations)"),
    ("ports.txt", "vfpctrl /list-vmswitch-port + /get-port-counter per port"),
    ("vfpOutput.txt", "dumpVfpPolicies.ps1: per-port spaces, mappings, rules, counters, state, NAT ranges, flow stats"),
    ("ip.txt", "ipconfig /allcompartments /all + Get-NetIPAddress/-NetIPInterface -IncludeAllCompartments"),
    ("routes.txt", "route print + Get-NetRoute -IncludeAllCompartments"),
    ("mtu.txt", "netsh int ipv4 sh int"),
    ("nvspinfo.txt", "nvspinfo -a -i -h -D -p -d -m -q"),
    ("nmscrub.txt", "nmscrub -a -n -t"),
    ("nmbind.txt", "nmbind"),
    ("arp.txt", "arp -a + Get-NetNeighbor -IncludeAllCompartments"),
    ("windowsServices.txt", "Get-Service hns, vfpext, kubeproxy, tcpip, kubelet, containerd, docker"),
    ("scqueryex.txt", "sc queryex + sc qc of 16 services"),
    ("netadapter.txt", "Get-NetAdapter -IncludeHidden"),
    (r"adapters\*_int.txt", "per adapter: netsh int ipv4 sh int <idx> + Format-List *"),
    ("firewall.txt", "Get-NetFirewallRule -PolicyStore ActiveStore"),
    (r"wfp\*", "netsh wfp show netevents/state/filters XML"),
    ("hnsdiag.txt", "hnsdiag list all -d"),
    ("hnsdiag.adapters.txt", "hnsdiag list adapters"),
    ("hcsdiag.txt", "hcsdiag list"),
    ("containers.txt", "ctr -n k8s.io c ls"),
    ("docker.txt", "docker ps -a"),
    ("reservedports.txt", "free 64-port chunk estimate + portReservationTest.ps1 (active probe)"),
    ("excludedportrange.txt", "netsh int ipv4 sh excludedportrange tcp + udp"),
    ("dynamicportrange.txt", "netsh int ipv4 sh dynamicportrange tcp + udp"),
    ("tcpconnections.txt", "netsh int ipv4 sh tcpconnections"),
    ("winver.txt", "[Environment]::OSVersion (no UBR) + Get-HotFix"),
    (r"winevt\Application.evtx", "whole Application log copy"),
    (r"winevt\System.evtx", "whole System log copy"),
    (r"winevt\Microsoft-Windows-Hyper-V*.evtx", "whole Hyper-V logs copies"),
    (r"winevt\Microsoft-Windows-Host-Network-Service*.evtx", "whole HNS logs copies"),
    (r"logs\NetSetup\*", r"C:\Windows\logs\NetSetup (unbounded)"),
    (r"logs\dism\*", r"C:\Windows\logs\dism (unbounded)"),
    (r"logs\cbs\*", r"C:\Windows\logs\CBS (unbounded)"),
];

fn parser_text(p: Parser) -> String {
    match p {
        Parser::Format(id) => format!("`{id}`"),
        Parser::RawOnly(why) => format!("raw ({why})"),
    }
}

/// The Markdown of `docs/collectlogs-parity.md`.
#[must_use]
pub fn markdown() -> String {
    let mut s = String::new();
    s.push_str(
        "# CollectLogs parity\n\n\
         <!-- Generated from crates/collect/src/sources/*.rs by hnsdoctor_collect::parity::markdown();\n\
         a test fails when this file is out of date (HNSDOCTOR_BLESS=1 cargo test -p hnsdoctor-collect rewrites it). -->\n\n\
         Every artefact of microsoft/SDN `collectlogs.ps1` and the `hnsdoctor collect` source(s) that replace it.\n\
         All sources run concurrently with a timeout, a size cap (the tail is kept) and a manifest record each;\n\
         nothing is downloaded and nothing on the host is changed. `hnsdoctor collect --list-sources` prints the\n\
         full table.\n\n\
         | CollectLogs artefact | what it held | hnsdoctor source | bundle path | parser |\n\
         |---|---|---|---|---|\n",
    );
    let all = sources::all();
    for (name, held) in COLLECTLOGS_ARTEFACTS {
        let by: Vec<_> = all.iter().filter(|s| s.legacy.contains(name)).collect();
        if by.is_empty() {
            let _ = writeln!(s, "| `{name}` | {held} | **not covered** | | |");
            continue;
        }
        for (i, src) in by.iter().enumerate() {
            let (a, h) = if i == 0 {
                (format!("`{name}`"), (*held).to_string())
            } else {
                (String::new(), String::new())
            };
            let _ = writeln!(
                s,
                "| {a} | {h} | `{}` | `{}` | {} |",
                src.id,
                src.path,
                parser_text(src.parser)
            );
        }
    }
    s.push_str(
        "\n## Beyond CollectLogs\n\n\
         | hnsdoctor source | what it gathers | bundle path | parser |\n|---|---|---|---|\n",
    );
    for src in all.iter().filter(|s| s.legacy.is_empty()) {
        let _ = writeln!(
            s,
            "| `{}` | {} | `{}` | {} |",
            src.id,
            src.what.replace('|', "\\|"),
            src.path,
            parser_text(src.parser)
        );
    }
    s.push_str(
        "\n## Done differently, on purpose\n\n\
         * **HNS objects**: one in-process HCN enumeration per object type (detailed), instead of N+1 PowerShell\n\
         \x20 calls and three extra v1 queries per endpoint; v1-only fields (`IsRemoteEndpoint`, `State`) come from\n\
         \x20 one `HNSCall GET /endpoints`.\n\
         * **`reservedports.txt`**: `portReservationTest.ps1` is an active probe (it takes port reservations), so it\n\
         \x20 is not repeated; the excluded/dynamic ranges and HNS port pools answer the question read-only.\n\
         * **Event logs**: the last `--since` hours (default 24) as XML, not whole `.evtx` copies of any size.\n\
         * **Setup logs** (NetSetup, DISM, CBS): copied with a per-file cap and a file-count cap.\n\
         * **HNS.data**: size and time only; HNS is never stopped to copy it (Get-NetView does, which drops pods'\n\
         \x20 HNS state on a Kubernetes node).\n\
         * **VFP switch forwarding settings** (dumpVfpPolicies' switch-level query) are not gathered; per-port\n\
         \x20 state, rules, spaces, mappings, NAT ranges, counters and flow stats are, bounded by the VFP budget.\n\
         * **Kubeconfig files** are never copied (credentials).\n",
    );
    s
}
