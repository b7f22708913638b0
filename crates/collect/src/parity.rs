//! CollectLogs parity: every artefact `collectlogs.ps1` (microsoft/SDN) writes and what it held
//! (the CollectLogs rows of [`hnsdoctor_bundle::artefacts`]), and — from the source table's
//! `legacy` fields — which hnsdoctor sources replace it. Renders
//! `docs/collectlogs-parity.md`; a test keeps the checked-in file in sync (set
//! `HNSDOCTOR_BLESS=1` to rewrite it).

use crate::source::Parser;
use crate::sources;
use std::fmt::Write as _;

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
    for (artefact, held) in hnsdoctor_bundle::artefacts::collectlogs() {
        let name = artefact.name;
        let by: Vec<_> = all.iter().filter(|s| s.legacy.contains(&name)).collect();
        if by.is_empty() {
            let _ = writeln!(s, "| `{name}` | {held} | **not covered** | | |");
            continue;
        }
        for (i, src) in by.iter().enumerate() {
            let (a, h) = if i == 0 {
                (format!("`{name}`"), held.to_string())
            } else {
                (String::new(), String::new())
            };
            let _ = writeln!(
                s,
                "| {a} | {h} | `{}` | `{}` | {} |",
                src.id,
                src.path(),
                parser_text(src.parser())
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
            src.path(),
            parser_text(src.parser())
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
