//! `dns-negative-cache` — a known issue from the knowledge base, or its signature in name-resolution output.
//!
//! # What it finds
//! Two kinds of evidence, either is enough:
//! * **the signature**: `nslookup` resolves a name (it asks the DNS server directly, bypassing
//!   the DNS client cache) while `ping`, `curl`/`Invoke-WebRequest`, `Resolve-DnsName` or
//!   `Test-NetConnection` — which go through the DNS client service and its cache — fail to find
//!   the same name (not found, not a timeout). Names match case-insensitively, nslookup's aliases
//!   included, and a short name matches the first label of the name nslookup answered for (the
//!   search suffix appended);
//! * **the build**: the host's build.UBR (and hotfix list) lies in the range the knowledge base
//!   lists for this known issue.
//!
//! # Why it matters
//! The knowledge base entry `dns-negative-cache` (`[entry.finding]` why, symptom and cause).
//!
//! # Evidence used
//! Name-resolution attempts (`name-resolution`: nslookup / ping / curl / Resolve-DnsName
//! output); OS build and UBR (`os-build`, `os-ubr` — without a UBR the build's first release is
//! assumed, at low confidence), `hotfixes`. Not evaluated only when neither was read.
//!
//! # Fix
//! From the knowledge base entry `dns-negative-cache`.
//!
//! # Applies to
//! The signature on any build; the build half on the entry's `[[entry.affected]]` ranges.
//!
//! # References
//! Domain facts §2.1 K5.

use crate::engine::{Ctx, Rule};
use crate::finding::{Confidence, Finding, Severity};
use crate::known_issue::KnownIssue;
use hnsdoctor_model::{Fact, NameResolution, ResolveOutcome, ResolveTool};
use std::collections::HashMap;

/// The build-keyed half of the rule (knowledge base range, title, severity and why).
pub const BY_BUILD: KnownIssue = KnownIssue::new("dns-negative-cache");

/// The rule: the nslookup-vs-cached-lookup signature, else the build range.
pub const RULE: DnsNegativeCache = DnsNegativeCache;

/// See the module doc.
#[derive(Debug, Clone, Copy)]
pub struct DnsNegativeCache;

/// How a tool is named in a finding.
#[must_use]
pub fn tool_name(t: ResolveTool) -> &'static str {
    match t {
        ResolveTool::Nslookup => "nslookup",
        ResolveTool::Ping => "ping",
        ResolveTool::ResolveDnsName => "Resolve-DnsName",
        ResolveTool::WebRequest => "Invoke-WebRequest (curl)",
        ResolveTool::Curl => "curl.exe",
        ResolveTool::TestNetConnection => "Test-NetConnection",
        ResolveTool::Other => "a lookup",
    }
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Pairs (nslookup answer, failed cached lookup) for the same name.
fn signature(attempts: &[NameResolution]) -> Vec<(&NameResolution, &NameResolution)> {
    let mut answered: HashMap<String, &NameResolution> = HashMap::new();
    for a in attempts
        .iter()
        .filter(|a| a.tool == ResolveTool::Nslookup && a.outcome == ResolveOutcome::Resolved)
    {
        for n in a.name.iter().chain(a.aliases.iter()) {
            let k = key(n);
            // a short name resolved through the search suffix: `web` → `web.default.svc…`
            if let Some((first, _)) = k.split_once('.') {
                answered.entry(first.to_string()).or_insert(a);
            }
            answered.insert(k, a);
        }
    }
    attempts
        .iter()
        .filter(|f| f.tool.uses_client_cache() && f.outcome == ResolveOutcome::NotFound)
        .filter_map(|f| {
            let n = f.name.as_deref()?;
            answered.get(&key(n)).map(|ns| (*ns, f))
        })
        .collect()
}

impl Rule for DnsNegativeCache {
    fn id(&self) -> &'static str {
        BY_BUILD.id
    }
    fn title(&self) -> &'static str {
        BY_BUILD.title()
    }
    fn severity(&self) -> Severity {
        BY_BUILD.severity()
    }
    fn needs(&self) -> &'static [Fact] {
        &[]
    }
    fn unmet(&self, ctx: &Ctx<'_>) -> Vec<Fact> {
        if ctx.model.has(Fact::NameResolution) {
            Vec::new()
        } else {
            let mut v = BY_BUILD.unmet(ctx);
            if !v.is_empty() {
                v.push(Fact::NameResolution);
            }
            v
        }
    }
    fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        let pairs = signature(&ctx.model.name_resolution);
        if let Some((ns, failed)) = pairs.first() {
            let name = failed.name.as_deref().unwrap_or("?");
            let server = match (&ns.server, &ns.server_address) {
                (Some(s), Some(a)) => format!(" from {s} ({a})"),
                (Some(s), None) => format!(" from {s}"),
                (None, Some(a)) => format!(" from {a}"),
                (None, None) => String::new(),
            };
            let tools: Vec<String> = pairs
                .iter()
                .map(|(_, f)| tool_name(f.tool).to_string())
                .collect();
            let mut d = ctx
                .finding(
                    self,
                    format!(
                        "nslookup resolves {name}{server} ({} address(es)), but {} cannot find the same name: the server answers, the DNS client cache holds a negative entry.",
                        ns.addresses.len(),
                        crate::util::list(&tools, 4)
                    ),
                )
                .severity(Severity::Warning)
                .confidence(Confidence::High)
                .why("nslookup asks the DNS server directly; ping, curl and Resolve-DnsName go through the DNS client cache, which keeps a negative answer until it expires.")
                .evidence(&ns.prov);
            for (_, f) in pairs.iter().take(4) {
                d = d.evidence(&f.prov);
            }
            d.push(out);
            return;
        }
        if BY_BUILD.unmet(ctx).is_empty() {
            BY_BUILD.check(ctx, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    #[allow(unused_imports)]
    use hnsdoctor_model::*;

    fn host(build: u32, ubr: u32) -> HostModel {
        os_model(build, Some(ubr))
    }

    #[test]
    fn fires_on_affected_build() {
        let f = findings(&RULE, &host(15063, 900));
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("15063.900"), "{}", f[0].observed);
        assert_eq!(f[0].evidence[0].source, "systeminfo.txt");
    }

    #[test]
    fn quiet_on_fixed_or_other_build() {
        assert!(findings(&RULE, &host(17763, 100)).is_empty());
    }

    #[test]
    fn not_evaluated_without_build() {
        let miss = missing(&RULE, &model(&[]));
        assert!(miss.contains(&Fact::OsBuild) && miss.contains(&Fact::NameResolution));
    }

    fn attempt(
        tool: ResolveTool,
        name: &str,
        outcome: ResolveOutcome,
        line: u32,
    ) -> NameResolution {
        NameResolution {
            tool,
            name: Some(name.into()),
            outcome,
            prov: prov("paste#1", line, name),
            ..NameResolution::default()
        }
    }

    #[test]
    fn fires_on_nslookup_answer_and_ping_not_found() {
        let mut m = model(&[Fact::NameResolution]);
        let mut ns = attempt(
            ResolveTool::Nslookup,
            "edge.cdn.example",
            ResolveOutcome::Resolved,
            3,
        );
        ns.aliases = vec!["Static.Example.COM".into()];
        ns.server = Some("kube-dns.kube-system.svc.cluster.local".into());
        ns.server_address = Some("10.96.0.10".into());
        ns.addresses = vec!["198.51.100.7".into()];
        m.name_resolution = vec![
            ns,
            attempt(
                ResolveTool::Ping,
                "static.example.com",
                ResolveOutcome::NotFound,
                9,
            ),
        ];
        let f = findings(&RULE, &m);
        assert_eq!(f.len(), 1);
        assert!(f[0].observed.contains("10.96.0.10"), "{}", f[0].observed);
        assert!(f[0].observed.contains("ping"), "{}", f[0].observed);
        assert_eq!(f[0].evidence.len(), 2);
        assert_eq!(f[0].evidence[1].line, 9);
    }

    #[test]
    fn short_name_matches_through_the_search_suffix() {
        let mut m = model(&[Fact::NameResolution]);
        m.name_resolution = vec![
            attempt(
                ResolveTool::Nslookup,
                "billing.shop.svc.cluster.local",
                ResolveOutcome::Resolved,
                2,
            ),
            attempt(
                ResolveTool::WebRequest,
                "billing",
                ResolveOutcome::NotFound,
                8,
            ),
        ];
        assert_eq!(findings(&RULE, &m).len(), 1);
    }

    #[test]
    fn quiet_when_both_fail_or_only_timeouts() {
        let mut m = model(&[Fact::NameResolution]);
        m.name_resolution = vec![
            attempt(
                ResolveTool::Nslookup,
                "a.example",
                ResolveOutcome::NotFound,
                1,
            ),
            attempt(ResolveTool::Ping, "a.example", ResolveOutcome::NotFound, 2),
            attempt(
                ResolveTool::Nslookup,
                "b.example",
                ResolveOutcome::Resolved,
                3,
            ),
            attempt(
                ResolveTool::ResolveDnsName,
                "b.example",
                ResolveOutcome::TimedOut,
                4,
            ),
            attempt(ResolveTool::Ping, "c.example", ResolveOutcome::NotFound, 5),
        ];
        assert!(findings(&RULE, &m).is_empty());
    }

    #[test]
    fn partial_name_resolution_without_build_still_runs() {
        let mut m = model(&[Fact::NameResolution]);
        m.name_resolution = vec![attempt(
            ResolveTool::Ping,
            "x.example",
            ResolveOutcome::NotFound,
            1,
        )];
        assert!(
            findings(&RULE, &m).is_empty(),
            "one side only: quiet, but evaluated"
        );
    }
}
