//! `kubectl get pods [-A] [-o wide]` tables → [`HostModel::pods`] (status and restart counts).
//!
//! Pipeline stage: **parsers**. Format id `kubectl-get-pods`.
//!
//! **Shape.** A tabwriter table: `[NAMESPACE]  NAME  READY  STATUS  RESTARTS  AGE  [IP  NODE …]`.
//! Cells are read at the header's column offsets. `RESTARTS` may read `14 (3m12s ago)` (kubectl
//! ≥ 1.23): the number is kept. Rows are kept whatever their status; rules pick the
//! `CrashLoopBackOff` / `Error` rows and the restart counts (kube-proxy, CNI daemonsets).
//!
//! **Partial input.** Rows after the header are read until the first line that is not a row;
//! a table cut mid-way keeps its rows. Rows quoted without their header are read by shape
//! (`name  0/1  CrashLoopBackOff  12 (3m ago)  2d  [ip  node]`, with a status kubectl prints);
//! the same row pasted twice counts once. Text with neither is `Broken`; `No resources found` is
//! `Skip`. Fact `kube-pods`.
//!
//! ```
//! use hnsdoctor_parse::{kube_pods, Input, HostModel, InputSummary};
//! let text = "NAMESPACE     NAME                      READY   STATUS             RESTARTS         AGE\n\
//! kube-system   kube-proxy-windows-x7k2p   0/1     CrashLoopBackOff   41 (2m5s ago)    3h\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! kube_pods::parse(&Input::new("paste#1", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.pods[0].status, "CrashLoopBackOff");
//! assert_eq!(m.pods[0].restarts, Some(41));
//! ```

use crate::logutil::mark;
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::PodStatus;
use regex::Regex;
use std::sync::LazyLock;

/// Pod statuses kubectl prints (lower case), to recognise rows without their header.
const STATUSES: &[&str] = &[
    "running",
    "pending",
    "crashloopbackoff",
    "error",
    "containercreating",
    "completed",
    "terminating",
    "imagepullbackoff",
    "errimagepull",
    "unknown",
    "oomkilled",
    "evicted",
    "createcontainererror",
    "runcontainererror",
    "containerstatusunknown",
];

/// A row without its header: `[ns] name ready status restarts [(ago)] age [ip node …]`.
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<ns>[a-z0-9][a-z0-9-]*)\s+)?(?P<name>[a-z0-9][a-z0-9.-]*)\s+(?P<ready>\d+/\d+)\s+(?P<status>[A-Za-z:]+)\s+(?P<restarts>\d+)(?:\s+\([^)]*\))?\s+(?P<age>\d+[smhdy]\w*)(?:\s+(?P<ip>[0-9a-f.:]+|<none>)\s+(?P<node>\S+))?",
    )
    .expect("constant regex")
});

/// A headerless row, when the line is one.
fn headerless(l: &str) -> Option<regex::Captures<'_>> {
    let c = ROW.captures(l.trim())?;
    let st = c["status"].to_ascii_lowercase();
    (STATUSES.contains(&st.as_str()) || st.starts_with("init:")).then_some(c)
}

struct Cols {
    namespace: Option<usize>,
    name: usize,
    ready: usize,
    status: usize,
    restarts: usize,
    node: Option<usize>,
    ip: Option<usize>,
}

fn header(l: &str) -> Option<Cols> {
    let words: Vec<&str> = l.split_whitespace().collect();
    if !(words.contains(&"NAME")
        && words.contains(&"READY")
        && words.contains(&"STATUS")
        && words.contains(&"RESTARTS"))
    {
        return None;
    }
    let find = |w: &str| {
        l.match_indices(w).map(|(i, _)| i).find(|&i| {
            (i == 0 || l.as_bytes().get(i - 1) == Some(&b' '))
                && l.as_bytes().get(i + w.len()).is_none_or(|b| *b == b' ')
        })
    };
    Some(Cols {
        namespace: find("NAMESPACE"),
        name: find("NAME")?,
        ready: find("READY")?,
        status: find("STATUS")?,
        restarts: find("RESTARTS")?,
        node: find("NODE"),
        ip: find("IP"),
    })
}

fn cell(l: &str, at: usize) -> &str {
    l.get(at..)
        .unwrap_or("")
        .split_whitespace()
        .next()
        .unwrap_or("")
}

/// Parse pod tables. See the module doc.
///
/// # Errors
/// `Skip` for empty input or `No resources found`; `Broken` without a pods header.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if input.text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    if input.text.trim_start().starts_with("No resources found") {
        return Err(ParseError::skip("kubectl: No resources found"));
    }
    let mut cols: Option<Cols> = None;
    let mut seen_header = false;
    for (no, raw) in input.lines() {
        if let Some(c) = header(raw) {
            cols = Some(c);
            seen_header = true;
            continue;
        }
        let Some(c) = &cols else {
            summary.filtered_lines += 1;
            continue;
        };
        let name = cell(raw, c.name);
        let ready = cell(raw, c.ready);
        let status = cell(raw, c.status);
        if name.is_empty() || !ready.contains('/') || status.is_empty() {
            cols = None;
            summary.filtered_lines += 1;
            continue;
        }
        let restarts = cell(raw, c.restarts).parse().ok();
        model.pods.push(PodStatus {
            namespace: c.namespace.map(|n| cell(raw, n).to_string()),
            name: name.to_string(),
            ready: Some(ready.to_string()),
            status: status.to_string(),
            restarts,
            node: c
                .node
                .map(|n| cell(raw, n).to_string())
                .filter(|s| !s.is_empty() && s != "<none>"),
            ip: c
                .ip
                .map(|n| cell(raw, n).to_string())
                .filter(|s| !s.is_empty() && s != "<none>"),
            prov: input.prov(no, raw),
        });
        summary.objects += 1;
    }
    if !seen_header {
        // rows without their header (a row or two quoted in an issue)
        for (no, raw) in input.lines() {
            let Some(c) = headerless(raw) else {
                continue;
            };
            let dup = model
                .pods
                .last()
                .is_some_and(|p: &PodStatus| p.name == c["name"] && p.prov.source == input.source);
            if dup {
                continue; // the same row pasted twice
            }
            model.pods.push(PodStatus {
                namespace: c.name("ns").map(|m| m.as_str().to_string()),
                name: c["name"].to_string(),
                ready: Some(c["ready"].to_string()),
                status: c["status"].to_string(),
                restarts: c["restarts"].parse().ok(),
                node: c
                    .name("node")
                    .map(|m| m.as_str().to_string())
                    .filter(|n| n != "<none>"),
                ip: c
                    .name("ip")
                    .map(|m| m.as_str().to_string())
                    .filter(|n| n != "<none>"),
                prov: input.prov(no, raw),
            });
            summary.objects += 1;
            seen_header = true;
        }
    }
    if !seen_header {
        return Err(ParseError::broken_at_first_line(
            input,
            "a kubectl get pods header (NAME READY STATUS RESTARTS AGE)",
        ));
    }
    mark(model, summary, Fact::KubePods);
    Ok(())
}

/// Detector: the `kubectl get pods` header (95), or rows without it (60).
#[must_use]
pub fn detect(text: &str) -> u8 {
    if text.lines().take(200).any(|l| header(l).is_some()) {
        95
    } else if text.lines().take(200).any(|l| headerless(l).is_some()) {
        60
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{run, run_fixture};

    #[test]
    fn wide_table_all_namespaces() {
        let (r, m, _) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/kube_pods/get-pods-wide-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(m.pods.len(), 4);
        let kp = m
            .pods
            .iter()
            .find(|p| p.name.starts_with("kube-proxy-windows"))
            .unwrap();
        assert_eq!(kp.status, "CrashLoopBackOff");
        assert_eq!(kp.restarts, Some(57));
        assert_eq!(kp.namespace.as_deref(), Some("kube-system"));
        assert_eq!(kp.node.as_deref(), Some("winnode-02"));
        assert!(m.has(Fact::KubePods));
    }

    #[test]
    fn rows_without_header() {
        let text = "kube-proxy-windows-9xk2q   0/1   CrashLoopBackOff   23 (41s ago)   2h   10.30.1.9   winnode-07   <none>   <none>\nkube-proxy-windows-9xk2q   0/1   CrashLoopBackOff   23 (41s ago)   2h   10.30.1.9   winnode-07   <none>   <none>\n";
        assert_eq!(detect(text), 60);
        let (m, _, r) = run(parse, "paste#4", text);
        r.unwrap();
        assert_eq!(m.pods.len(), 1, "pasted twice, one pod");
        assert_eq!(m.pods[0].restarts, Some(23));
        assert_eq!(m.pods[0].ip.as_deref(), Some("10.30.1.9"));
        assert_eq!(m.pods[0].node.as_deref(), Some("winnode-07"));
        assert_eq!(
            detect("build   1/2   done   3   4d\n"),
            0,
            "not a kubectl status"
        );
    }

    #[test]
    fn cut_table_and_quiet() {
        let text = "NAME                 READY   STATUS    RESTARTS   AGE\nweb-6d4cf56db6-abcde   1/1     Running   0          5d\nweb-6d4cf56db6-fg";
        let (m, _, r) = run(parse, "paste#2", text);
        r.unwrap();
        assert_eq!(m.pods.len(), 1, "the cut row is not a row");
        assert_eq!(m.pods[0].restarts, Some(0));
        let (m, _, r) = run(parse, "paste#3", "NAME   TYPE   DATA\nfoo    Opaque 1\n");
        assert!(matches!(r, Err(ParseError::Broken { .. })));
        assert!(m.pods.is_empty());
    }
}
