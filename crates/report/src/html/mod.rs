//! HTML renderer: one self-contained page a support engineer opens from a zip.
//!
//! Inline CSS, no external assets, no JavaScript (the severity filter is CSS-only, using
//! checkboxes and `:has()`; browsers without `:has()` simply show everything), works offline and
//! prints. The verdict is the page's heading. Findings come first, expanded (severity badge,
//! title, id, observed, why, evidence, fix steps with commands in `<pre>`, references as links —
//! `owner/repo#n` to its GitHub issue), then passed rules, the not-evaluated rules folded by the
//! input they need (the full list collapsed in `<details>`) and input notes, then the host
//! model's tables: OS and hotfixes, networks, endpoints, load balancers (VIPs, ports, backends,
//! DSR), port ranges (dynamic, excluded, listener count), services, and the inputs read.
//!
//! The page is built with [maud](https://maud.lambda.xyz) templates: every spliced value is
//! HTML-escaped by default (`&`, `<`, `>`, `"`), so a forgotten escape cannot happen; only the
//! inline CSS is spliced raw (`PreEscaped`). Every attribute is double-quoted, so `'` needs no
//! escape (the hand-written escaper used to turn it into `&#39;`; that is the one byte change
//! against the pre-maud page). Links are only made for `http(s)://` references.
//!
//! One file per job: this module is the page layout (head, header, footer); `finding.rs` the
//! finding card, `evidence.rs` its evidence block, `checks.rs` passed / not-evaluated rules and
//! input notes, `model.rs` the host-model tables. Literal `"\n"` splices keep the page's line
//! structure (one element per line) so the output stays diffable and the snapshots stable.

mod checks;
mod evidence;
mod finding;
mod model;

use crate::summary::verdict;
use crate::util::{counts_phrase, inputs_phrase, kb_line, plural, subject};
use crate::{counts, ordered};
use hnsdoctor_findings::Report;
use maud::{html, Markup, PreEscaped, DOCTYPE};

const CSS: &str = r#"
:root{--err:#c62828;--err-bg:#fdecea;--warn:#a15c00;--warn-bg:#fff4e0;--info:#1565c0;--info-bg:#e8f1fc;
--ok:#2e7d32;--ok-bg:#e8f5e9;--muted:#5f6368;--line:#dadce0;--code-bg:#f6f8fa;--fg:#202124}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",sans-serif;color:var(--fg);background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
header{background:#263238;color:#fff;padding:20px 28px}
header .inner{max-width:1180px;margin:0 auto}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header .sub{color:#cfd8dc;font-size:14px}
.counts{display:flex;gap:10px;flex-wrap:wrap;margin-top:12px}
.pill{display:inline-block;border-radius:999px;padding:2px 12px;font-size:13px;font-weight:600}
.pill.error{background:var(--err);color:#fff}.pill.warning{background:#f9a825;color:#212121}
.pill.info{background:var(--info);color:#fff}.pill.ok{background:var(--ok);color:#fff}
.pill.muted{background:#546e7a;color:#fff}
h2{font-size:19px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:22px 0 8px}
nav.toc{font-size:14px;margin:14px 0 0}nav.toc a{color:#b3e5fc;margin-right:14px}
.filters{font-size:14px;color:var(--muted);margin:0 0 12px}
.filters label{margin-right:14px;cursor:pointer}
body:has(#show-error:not(:checked)) .finding.error,
body:has(#show-warning:not(:checked)) .finding.warning,
body:has(#show-info:not(:checked)) .finding.info{display:none}
.finding{background:#fff;border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:6px;padding:14px 18px;margin:0 0 14px}
.finding.error{border-left-color:var(--err)}.finding.warning{border-left-color:#f9a825}.finding.info{border-left-color:var(--info)}
.finding h3{margin:0 0 6px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.badge{font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:4px;padding:1px 8px}
.badge.error{background:var(--err-bg);color:var(--err)}.badge.warning{background:var(--warn-bg);color:var(--warn)}
.badge.info{background:var(--info-bg);color:var(--info)}
.fid{font:13px ui-monospace,SFMono-Regular,Consolas,"Liberation Mono",monospace;color:var(--muted)}
dl.kv{display:grid;grid-template-columns:110px 1fr;gap:4px 12px;margin:8px 0}
dl.kv dt{color:var(--muted);font-weight:600}dl.kv dd{margin:0}
pre{background:var(--code-bg);border:1px solid var(--line);border-radius:4px;padding:8px 10px;margin:4px 0 8px;
overflow-x:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Consolas,"Liberation Mono",monospace;white-space:pre}
pre.evidence{white-space:pre-wrap;overflow-wrap:anywhere}
pre.cmd{background:#263238;color:#eceff1;border-color:#263238}
pre .loc{color:#1a73e8}
ol.fix{margin:4px 0 8px;padding-left:22px}ol.fix li{margin:0 0 6px}
.tag{display:inline-block;font-size:11px;font-weight:700;border-radius:3px;padding:0 6px;margin-right:6px;vertical-align:1px}
.tag.host{background:var(--warn-bg);color:var(--warn)}.tag.last{background:var(--err-bg);color:var(--err)}
.meta{color:var(--muted);font-size:13px}
.meta a{color:var(--info)}
.ok-list code,.ne code{font-size:13px}
.ne li,.notes li{margin:2px 0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13.5px;margin:4px 0 10px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eceff1;font-weight:600}
td.mono,span.mono{font-family:ui-monospace,SFMono-Regular,Consolas,"Liberation Mono",monospace;font-size:12.5px}
tr.bad td{background:var(--err-bg)}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;margin-top:36px}
@media print{.filters{display:none}header{background:#fff;color:#000}header .sub{color:#333}.finding{break-inside:avoid}}
"#;

/// Render the report as one self-contained HTML page.
#[must_use]
pub fn render(report: &Report) -> String {
    let title = format!("hnsdoctor — {}", subject(report));
    let page = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                meta name="generator" content={ "hnsdoctor " (report.tool_version) }; "\n"
                title { (title) } "\n"
                style { (PreEscaped(CSS)) } "\n"
            }
            "\n"
            body {
                "\n"
                (header(report))
                main {
                    "\n"
                    (findings(report))
                    @if let Some(p) = crate::packet_path::html(report) { (p) }
                    (checks::checks(report))
                    (model::tables(&report.model, report))
                    footer {
                        "Generated by hnsdoctor " (report.tool_version)
                        " · report schema " (report.schema_version)
                        " · model schema " (report.model.schema_version)
                        " · " (kb_line(report))
                        ". This page is self-contained: no scripts, no external resources."
                    }
                    "\n"
                }
                "\n"
            }
            "\n"
        }
        "\n"
    };
    page.into_string()
}

fn header(report: &Report) -> Markup {
    let (e, w, i) = counts(report);
    let mut sub: Vec<String> = Vec::new();
    if let Some(os) = &report.model.os {
        sub.extend(os.product_name.iter().cloned());
        sub.extend(os.display_version.iter().cloned());
    }
    if let Some(t) = &report.model.collected_at {
        sub.push(format!("collected {t}"));
    }
    sub.push(inputs_phrase(&report.inputs));
    html! {
        header {
            div class="inner" {
                "\n"
                h1 { (verdict(report)) } "\n"
                div class="sub" { "hnsdoctor report: " (subject(report)) } "\n"
                div class="sub" { (sub.join(" · ")) } "\n"
                div class="counts" {
                    span class="pill error" { (plural(e, "error", "errors")) }
                    span class="pill warning" { (plural(w, "warning", "warnings")) }
                    span class="pill info" { (i) " info" }
                    span class="pill ok" { (report.passed.len()) " passed" }
                    span class="pill muted" { (report.not_evaluated.len()) " not evaluated" }
                }
                "\n"
                nav class="toc" {
                    @for (href, label) in TOC {
                        a href={ "#" (href) } { (label) }
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}

/// The header's table of contents: section anchor and label.
const TOC: [(&str, &str); 9] = [
    ("findings", "Findings"),
    ("checks", "Checks"),
    ("os", "OS"),
    ("networks", "Networks"),
    ("endpoints", "Endpoints"),
    ("lbs", "Load balancers"),
    ("ports", "Ports"),
    ("services", "Services"),
    ("inputs", "Inputs"),
];

fn findings(report: &Report) -> Markup {
    let list = ordered(report);
    html! {
        h2 id="findings" { "Findings " span class="meta" { "(" (counts_phrase(report)) ")" } } "\n"
        @if list.is_empty() {
            p class="empty" { "No problems found in what was read." } "\n"
        } @else {
            div class="filters" {
                "Show: "
                @for (sev, label) in [("error", "errors"), ("warning", "warnings"), ("info", "info")] {
                    label { input type="checkbox" id={ "show-" (sev) } checked; " " (label) }
                }
            }
            "\n"
            @for f in list {
                (finding::card(f))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixture::{empty_report, sample_report};

    #[test]
    fn snapshot_sample() {
        insta::assert_snapshot!(render(&sample_report()));
    }

    #[test]
    fn snapshot_empty() {
        insta::assert_snapshot!(render(&empty_report()));
    }

    #[test]
    fn escapes_every_data_string() {
        let mut r = sample_report();
        let evil = "<script>alert('x')</script>";
        r.host = Some(evil.into());
        r.model.host_name = Some(evil.into());
        r.findings[0].title = evil.into();
        r.findings[0].evidence[0].text = Some(evil.into());
        r.findings[0].fix[0].command = Some(evil.into());
        r.findings[0].references = vec![format!("https://x.invalid/\"><script>")];
        r.model.hns.networks[0].name = evil.into();
        r.inputs[0].source = evil.into();
        let out = render(&r);
        assert!(!out.contains("<script"), "unescaped script tag");
        // maud escapes `&<>"`; `'` needs none inside double-quoted attributes and text
        assert!(out.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
        assert!(!out.contains("alert('x')</"), "closing tag escaped");
        assert!(
            out.contains("href=\"https://x.invalid/&quot;&gt;&lt;script&gt;\""),
            "attribute break-out"
        );
    }

    #[test]
    fn self_contained_and_complete() {
        let out = render(&sample_report());
        for banned in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!out.contains(banned), "external or script: {banned}");
        }
        for id in [
            "port-pool-exhaustion",
            "endpoint-not-attached",
            "stale-remote-endpoint",
            "os-outdated",
        ] {
            assert!(out.contains(&format!("id=\"f-{id}\"")), "{id}");
        }
        for s in [
            "ノード-01",
            "10.96.0.10",
            "UDP 53→53",
            "49152–65535",
            "KB5034768",
            "containerd",
            "vfp/ports.txt",
            "<details><summary class=\"meta\">Every check not evaluated",
            "<i>missing tcpip6-params</i>",
            "<pre class=\"cmd\">netsh int ipv4 set dynamicport tcp start=33000 num=32535</pre>",
            "<span class=\"tag last\">last resort</span>",
        ] {
            assert!(out.contains(s), "missing {s}");
        }
    }

    #[test]
    fn verdict_heads_the_page_and_references_link() {
        let mut r = sample_report();
        r.findings[0].references = vec!["kubernetes/community#8883".into(), "plain text".into()];
        let out = render(&r);
        assert!(
            out.contains("<h1>2 errors, 1 warning, 1 info — "),
            "verdict first"
        );
        assert!(out.contains(
            "<a href=\"https://github.com/kubernetes/community/issues/8883\">kubernetes/community#8883</a>"
        ));
        assert!(out.contains(" · plain text"));
        assert!(out.contains("<li>1 check needs any log: add one of: kube-proxy"));
    }

    #[test]
    fn empty_lists_say_not_read() {
        let out = render(&empty_report());
        assert!(out.contains("Not read (missing hns-networks)"));
        assert!(out.contains("No problems found"));
    }
}
