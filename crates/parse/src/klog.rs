//! Component logs: kube-proxy, kubelet, containerd / docker and CNI plugins → log lines of
//! interest in [`HostModel::log_events`], plus kube-proxy's logged flags in [`HostModel::k8s`].
//!
//! Pipeline stage: **parsers**. Format id `component-log`.
//!
//! **What produces it.** The node's services write these files; the collector copies them:
//! bundle `logs/kube-proxy*.log`, `logs/kubelet*.log`, `logs/containerd*.log`,
//! `logs/docker*.log`, `logs/cni/*.log`; legacy names from `C:\k` and older scripts
//! (`kubeproxy.log`, `kubeproxy.err.log`, `kubelet.log`, `kubelet.err.log`, `containerd.log`,
//! `flanneld.log`, `azure-vnet.log`, `calico.log`). Pastes of such lines are accepted too.
//!
//! **Line shapes**, detected per line (a file may mix them):
//! * klog text — `E0412 10:15:02.123456    4567 proxier.go:1234] msg` (kube-proxy, kubelet,
//!   flannel); the time has no year and is kept as printed (`0412 10:15:02.123456`);
//! * JSON logging — `{"ts":1712916902.123,"caller":"…","msg":"…","err":"…"}` (klog JSON, zap,
//!   logrus JSON); `err` without a level means error; a numeric `ts` becomes RFC 3339;
//! * logrus text — `time="2024-04-12T10:15:02.123Z" level=error msg="…" error="…"` (containerd,
//!   dockerd, the windows-container-networking CNI plugins);
//! * calico — `2024-04-12 10:15:02.123 [ERROR][4567] plugin.go 123: msg`;
//! * timestamped text — `2024/04/12 10:15:02 [4567] [cni-net] msg` (azure-vnet) or an ISO time
//!   then text; the level comes from words (`error`, `failed` → error; `warn` → warning).
//!
//! **Component** from the file name (above), else from content markers: `proxier.go`,
//! `winkernel`, `hns.go`, `server_windows.go` → kube-proxy; `kubelet.go`, `kuberuntime`,
//! `pod_workers.go` → kubelet; `[cni-net]` → azure-vnet; `flannel`/`vxlan_network` → flannel.
//! Facts: KubeProxyLog / KubeletLog / RuntimeLog / CniLog; PastedLog when no component is known.
//!
//! **Filtering (memory bound).** Logs are streamed line by line. A line is kept only if it is a
//! warning or worse, carries an error code ([`crate::codes`]) or a known signature (domain sheet
//! §4.8). A cheap token pre-filter runs first, as insights' `Syslog` does, so most lines are never
//! parsed; everything not kept is counted in `InputSummary::filtered_lines`. At most 20 000 events
//! are kept per source (a warning gives the rest). Go panic stacks and other continuation lines
//! are not joined.
//!
//! **kube-proxy flags** logged at start-up (`FLAG: --network-name="vxlan0"`,
//! `FLAG: --enable-dsr="true"`, `--source-vip`, `--cluster-cidr`) fill `model.k8s` (first value
//! wins) with a provenance per key, fact KubeContext.
//!
//! **Encodings.** The files are UTF-8 (Go services) but PowerShell-redirected copies may be
//! UTF-16LE; the bundle layer decodes both. `Skip` for empty input or collector error text;
//! `Broken` only when a log that is plainly not a log (no line has any known shape) is given as
//! one by name.
//!
//! ```
//! use hnsdoctor_parse::{klog, Input, HostModel, InputSummary};
//! let text = "I0412 10:15:00.000001    4567 flags.go:64] FLAG: --network-name=\"vxlan0\"\n\
//! E0412 10:15:02.123456    4567 proxier.go:1234] \"Policy creation failed\" err=\"hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013)\"\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! klog::parse(&Input::new("logs/kube-proxy.log", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.log_events[0].error_codes, vec![0x803b_0013]);
//! assert_eq!(m.k8s.network_name.as_deref(), Some("vxlan0"));
//! ```

use crate::codes::error_codes;
use crate::logutil::{
    check_skip, file_name, has_signature, mark, prefilter, unix_to_rfc3339, MAX_EVENTS_PER_SOURCE,
};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{Component, LogEvent, LogLevel, Prov};
use regex::Regex;
use std::sync::LazyLock;

static KLOG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([IWEF])(\d{4}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s+(\d+)\s+([^\s\]]+:\d+)\] ?(.*)$")
        .expect("constant regex")
});
/// A klog line whose `I0412 10:15:02.123456 4567 ` header was cut off in the paste:
/// `proxier.go:1234] msg`, `proxier.go: 1756] msg`.
static KLOG_TRIMMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z0-9_.-]+\.go):\s?(\d+)\] ?(.*)$").expect("constant regex")
});
static LOGRUS_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\btime="([^"]+)""#).expect("constant regex"));
static LOGRUS_LEVEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\blevel=([A-Za-z]+)").expect("constant regex"));
static LOGRUS_MSG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bmsg="((?:[^"\\]|\\.)*)""#).expect("constant regex"));
static LOGRUS_ERR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\berror="((?:[^"\\]|\\.)*)""#).expect("constant regex"));
static CALICO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) \[([A-Za-z]+)\]\[\d+\] ?(.*)$")
        .expect("constant regex")
});
static STAMPED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+(?:\[\d+\]\s+)?(.*)$",
    )
    .expect("constant regex")
});
static FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\bflag:\s*--([a-z0-9-]+)=(?:"([^"]*)"|(\S*))"#).expect("constant regex")
});
static WORD_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:error|failed|failure|fatal|panic|exception)\b|\[(?:error|err|fatal)\]")
        .expect("constant regex")
});
static WORD_WARN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bwarn(?:ing)?\b|\[warn(?:ing)?\]").expect("constant regex"));

/// Content detector: klog headers, logrus `level=… msg=`, JSON `"ts"`/`"msg"`, calico or
/// azure-vnet lines. Scores by the share of the first 40 non-empty lines with a known shape.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let mut total = 0u32;
    let mut hits = 0u32;
    for l in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(40)
    {
        total += 1;
        let known = KLOG.is_match(l)
            || (l.contains("level=") && l.contains("msg="))
            || (l.starts_with('{')
                && l.contains("\"msg\"")
                && (l.contains("\"ts\"") || l.contains("\"time\"")))
            || CALICO.is_match(l)
            || KLOG_TRIMMED.is_match(l)
            || (STAMPED.is_match(l) && (l.contains("[cni-net]") || WORD_ERROR.is_match(l)))
            || is_bare_hns_error(l);
        if known {
            hits += 1;
        }
    }
    if total == 0 || hits == 0 {
        return 0;
    }
    let share = hits * 100 / total;
    if share >= 50 {
        85
    } else if share >= 20 {
        60
    } else {
        30
    }
}

/// Fragments of the error lines people paste into tickets with no log prefix at all: HNS/HCN
/// wrappers, kubelet/containerd sandbox failures (without the `kubectl describe` Events
/// columns), docker daemon answers, HCS container creation, CNI plugin failures.
const BARE_ERROR_MARKERS: &[&str] = &[
    "failed in win32",
    "hns failed with error",
    "hcn failed with error",
    "hnscall failed",
    "unable to find hns network",
    "hns api v2 required",
    "failed to create pod sandbox",
    "failed to setup network for sandbox",
    "failed to set up sandbox container",
    "networkplugin cni failed",
    "error response from daemon",
    "encountered an error during",
    "failed to find hnsendpoint",
    "failed (add):",
    "failed (delete):",
    "rpc error: code =",
];

/// A bare error line as people paste it into a ticket (see `BARE_ERROR_MARKERS`):
/// `hcnCreateEndpoint failed in Win32: … (0x803b002f)`, `HNS failed with error : …`,
/// `Failed to create pod sandbox: rpc error: …`, `Error response from daemon: …`.
#[must_use]
pub fn is_bare_hns_error(l: &str) -> bool {
    let low = l.to_ascii_lowercase();
    BARE_ERROR_MARKERS.iter().any(|m| low.contains(m))
}

/// Component from a source name (`logs/kube-proxy.log`, `kubeproxy.err.log`, `logs/cni/…`).
#[must_use]
pub fn component_from_name(source: &str) -> Option<Component> {
    let name = file_name(source);
    let low_path = source.to_ascii_lowercase().replace('\\', "/");
    let stem = name.split('.').next().unwrap_or(&name).to_string();
    if name.starts_with("kube-proxy") || name.starts_with("kubeproxy") {
        return Some(Component::KubeProxy);
    }
    if name.starts_with("kubelet") {
        return Some(Component::Kubelet);
    }
    if name.starts_with("containerd") {
        return Some(Component::Containerd);
    }
    if name.starts_with("docker") {
        return Some(Component::Docker);
    }
    const CNI: &[(&str, &str)] = &[
        ("flannel", "flannel"),
        ("azure-vnet", "azure-vnet"),
        ("azure-cns", "azure-cns"),
        ("calico", "calico"),
        ("win-overlay", "win-overlay"),
        ("win-bridge", "win-bridge"),
        ("sdnoverlay", "sdnoverlay"),
        ("sdnbridge", "sdnbridge"),
    ];
    if let Some((_, n)) = CNI.iter().find(|(p, _)| name.starts_with(p)) {
        return Some(Component::Cni((*n).to_string()));
    }
    if low_path.contains("/cni/") || low_path.starts_with("cni/") {
        return Some(Component::Cni(stem));
    }
    None
}

/// Component from content markers on one line (caller file, well-known tags).
pub(crate) fn component_from_content(line: &str) -> Option<Component> {
    let low = line.to_ascii_lowercase();
    if [
        "proxier.go",
        "winkernel",
        "hns.go",
        "server_windows.go",
        "kube-proxy",
    ]
    .iter()
    .any(|m| low.contains(m))
    {
        Some(Component::KubeProxy)
    } else if ["kubelet.go", "kuberuntime", "pod_workers.go", "kubelet_"]
        .iter()
        .any(|m| low.contains(m))
    {
        Some(Component::Kubelet)
    } else if low.contains("[cni-net]") || low.contains("[azure-vnet]") {
        Some(Component::Cni("azure-vnet".into()))
    } else if low.contains("flannel") || low.contains("vxlan_network.go") {
        Some(Component::Cni("flannel".into()))
    } else if low.contains("pod sandbox")
        || low.contains("podsandbox")
        || low.contains("for sandbox")
    {
        // kubelet reports sandbox failures; containerd logs them as RunPodSandbox
        if low.contains("runpodsandbox") || low.contains("level=") {
            Some(Component::Containerd)
        } else {
            Some(Component::Kubelet)
        }
    } else if low.contains("error response from daemon") || low.contains("docker") {
        Some(Component::Docker)
    } else if low.contains("containerd") {
        Some(Component::Containerd)
    } else if low.contains("azure-cni") || low.contains("azure-vnet") {
        Some(Component::Cni("azure-vnet".into()))
    } else {
        cni_plugin_type(&low).map(Component::Cni)
    }
}

/// `plugin type="nat"` → `nat` (the CNI runtime's wording of a plugin failure).
fn cni_plugin_type(low: &str) -> Option<String> {
    let at = low.find("plugin type=")? + "plugin type=".len();
    let rest = low.get(at..)?.trim_start_matches(['"', '\\']);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then_some(name)
}

pub(crate) fn fact_for(c: &Component) -> Fact {
    match c {
        Component::KubeProxy => Fact::KubeProxyLog,
        Component::Kubelet => Fact::KubeletLog,
        Component::Containerd | Component::Docker => Fact::RuntimeLog,
        Component::Cni(_) => Fact::CniLog,
        _ => Fact::PastedLog,
    }
}

fn level_word(w: &str) -> Option<LogLevel> {
    match w.to_ascii_lowercase().as_str() {
        "trace" | "debug" => Some(LogLevel::Debug),
        "info" | "information" | "notice" => Some(LogLevel::Info),
        "warn" | "warning" => Some(LogLevel::Warning),
        "error" | "err" => Some(LogLevel::Error),
        "fatal" | "panic" | "critical" | "crit" | "dpanic" => Some(LogLevel::Fatal),
        _ => None,
    }
}

fn level_from_words(msg: &str) -> LogLevel {
    if WORD_ERROR.is_match(msg) {
        LogLevel::Error
    } else if WORD_WARN.is_match(msg) {
        LogLevel::Warning
    } else {
        LogLevel::Info
    }
}

/// One line, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) time: Option<String>,
    pub(crate) level: LogLevel,
    pub(crate) message: String,
    /// Text used for content markers (caller file…).
    pub(crate) caller: Option<String>,
    /// Whether the line had a recognised shape (not just free text).
    pub(crate) shaped: bool,
}

fn unescape(s: &str) -> String {
    s.replace("\\\"", "\"").replace("\\\\", "\\")
}

fn parse_json(l: &str) -> Option<Line> {
    let v: serde_json::Value = serde_json::from_str(l).ok()?;
    let o = v.as_object()?;
    let msg = o
        .get("msg")
        .or_else(|| o.get("message"))
        .and_then(|m| m.as_str())?;
    let err = o
        .get("err")
        .or_else(|| o.get("error"))
        .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_owned));
    let time = match o
        .get("ts")
        .or_else(|| o.get("time"))
        .or_else(|| o.get("timestamp"))
    {
        Some(serde_json::Value::Number(n)) => n.as_f64().and_then(|f| {
            // milliseconds when the value is too large to be seconds
            if f > 1e11 {
                unix_to_rfc3339(f / 1000.0)
            } else {
                unix_to_rfc3339(f)
            }
        }),
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let level = o
        .get("level")
        .or_else(|| o.get("severity"))
        .and_then(|l| l.as_str())
        .and_then(level_word)
        .unwrap_or(if err.is_some() {
            LogLevel::Error
        } else {
            LogLevel::Info
        });
    let message = match err {
        Some(e) => format!("{msg} err=\"{e}\""),
        None => msg.to_string(),
    };
    Some(Line {
        time,
        level,
        message,
        caller: o
            .get("caller")
            .or_else(|| o.get("logger"))
            .and_then(|c| c.as_str())
            .map(str::to_owned),
        shaped: true,
    })
}

/// Parse one log line of any known shape. Free text gets a word-based level.
pub(crate) fn parse_line(l: &str) -> Line {
    if let Some(c) = KLOG.captures(l) {
        let g = |i| c.get(i).map_or("", |m| m.as_str());
        let level = match g(1) {
            "W" => LogLevel::Warning,
            "E" => LogLevel::Error,
            "F" => LogLevel::Fatal,
            _ => LogLevel::Info,
        };
        return Line {
            time: Some(format!("{} {}", g(2), g(3))),
            level,
            message: g(6).to_string(),
            caller: Some(g(5).to_string()),
            shaped: true,
        };
    }
    if let Some(c) = KLOG_TRIMMED.captures(l) {
        let g = |i| c.get(i).map_or("", |m| m.as_str());
        let msg = g(3);
        return Line {
            time: None,
            level: level_from_words(msg),
            message: msg.to_string(),
            caller: Some(format!("{}:{}", g(1), g(2))),
            shaped: true,
        };
    }
    if l.starts_with('{') {
        if let Some(j) = parse_json(l) {
            return j;
        }
    }
    if l.contains("level=") {
        if let (Some(lv), Some(msg)) = (LOGRUS_LEVEL.captures(l), LOGRUS_MSG.captures(l)) {
            let level = lv
                .get(1)
                .and_then(|m| level_word(m.as_str()))
                .unwrap_or_default();
            let mut message = unescape(msg.get(1).map_or("", |m| m.as_str()));
            if let Some(e) = LOGRUS_ERR.captures(l).and_then(|c| c.get(1)) {
                message.push_str(&format!(" error=\"{}\"", unescape(e.as_str())));
            }
            return Line {
                time: LOGRUS_TIME
                    .captures(l)
                    .and_then(|c| c.get(1))
                    .map(|m| m.as_str().to_string()),
                level,
                message,
                caller: None,
                shaped: true,
            };
        }
    }
    if let Some(c) = CALICO.captures(l) {
        let g = |i| c.get(i).map_or("", |m| m.as_str());
        return Line {
            time: Some(g(1).to_string()),
            level: level_word(g(2)).unwrap_or_default(),
            message: g(3).to_string(),
            caller: None,
            shaped: true,
        };
    }
    if let Some(c) = STAMPED.captures(l) {
        let g = |i| c.get(i).map_or("", |m| m.as_str());
        let msg = g(2);
        return Line {
            time: Some(g(1).to_string()),
            level: level_from_words(msg),
            message: msg.to_string(),
            caller: None,
            shaped: true,
        };
    }
    Line {
        time: None,
        level: level_from_words(l),
        message: l.trim().to_string(),
        caller: None,
        shaped: false,
    }
}

/// Whether a cheap look at the raw line says "maybe interesting": the token pre-filter, or a
/// klog W/E/F header.
fn maybe_interesting(l: &str, low: &str) -> bool {
    matches!(l.as_bytes().first(), Some(b'W' | b'E' | b'F'))
        && l.as_bytes().get(1).is_some_and(u8::is_ascii_digit)
        || prefilter(low)
}

fn set_k8s(model: &mut HostModel, key: &str, value: &str, prov: &Prov) -> bool {
    let k = &mut model.k8s;
    let slot = match key {
        "network-name" => &mut k.network_name,
        "source-vip" => &mut k.source_vip,
        "cluster-cidr" => &mut k.cluster_cidr,
        "bind-address" | "node-ip" => &mut k.node_ip,
        "enable-dsr" => {
            if k.enable_dsr.is_some() {
                return false;
            }
            let Ok(b) = value.to_ascii_lowercase().parse::<bool>() else {
                return false;
            };
            k.enable_dsr = Some(b);
            k.prov.push(("enable_dsr".into(), prov.clone()));
            return true;
        }
        _ => return false,
    };
    if slot.is_some() || value.is_empty() || value == "0.0.0.0" {
        return false;
    }
    *slot = Some(value.to_string());
    k.prov.push((key.replace('-', "_"), prov.clone()));
    true
}

/// Parse a component log. See the module doc.
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` (at the first non-empty line) when
/// no line of the text has any log shape and no line is of interest.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let named = component_from_name(input.source);
    // Without a name: the one component the content markers point at, if only one.
    let file_comp = named.clone().or_else(|| {
        let mut found: Vec<Component> = Vec::new();
        for c in input
            .text
            .lines()
            .take(400)
            .filter_map(component_from_content)
        {
            if !found.contains(&c) {
                found.push(c);
            }
        }
        match found.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    });
    let mut kept = 0usize;
    let mut dropped = 0usize;
    let mut shaped_any = false;
    let mut first_line: Option<(u32, &str)> = None;
    let mut comps_seen: Vec<Component> = Vec::new();
    let mut flags_set = false;
    for (no, raw) in input.lines() {
        let l = raw.trim_end();
        if l.trim().is_empty() {
            continue;
        }
        if first_line.is_none() {
            first_line = Some((no, l));
        }
        let low = l.to_ascii_lowercase();
        if low.contains("flag: --") || low.contains("flag:--") {
            if let Some(c) = FLAG.captures(l) {
                let key = c.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
                let val = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
                flags_set |= set_k8s(model, &key, val, &input.prov(no, l));
            }
            shaped_any = true;
            summary.filtered_lines += 1;
            continue;
        }
        if !maybe_interesting(l, &low) && !has_signature(&low) {
            if !shaped_any && (KLOG.is_match(l) || parse_line(l).shaped) {
                shaped_any = true;
            }
            summary.filtered_lines += 1;
            continue;
        }
        let line = parse_line(l);
        shaped_any |= line.shaped;
        let codes = error_codes(l);
        let interesting =
            line.level >= LogLevel::Warning || !codes.is_empty() || has_signature(&low);
        if !interesting {
            summary.filtered_lines += 1;
            continue;
        }
        let component = named
            .clone()
            .or_else(|| line.caller.as_deref().and_then(component_from_content))
            .or_else(|| component_from_content(l))
            .or_else(|| file_comp.clone())
            .unwrap_or_default();
        if !comps_seen.contains(&component) {
            comps_seen.push(component.clone());
        }
        if kept >= MAX_EVENTS_PER_SOURCE {
            dropped += 1;
            continue;
        }
        kept += 1;
        model.log_events.push(LogEvent {
            time: line.time,
            component,
            level: line.level,
            message: line.message,
            error_codes: codes,
            operation: None,
            prov: input.prov(no, l),
        });
    }
    if !shaped_any && kept == 0 {
        let (no, l) = first_line.unwrap_or((input.first_line, ""));
        return Err(ParseError::broken(
            input,
            no,
            "log lines (klog, logrus, JSON, timestamped text)",
            l,
        ));
    }
    if dropped > 0 {
        summary.warnings.push(format!(
            "{dropped} more lines of interest not kept (limit {MAX_EVENTS_PER_SOURCE} per source)"
        ));
    }
    summary.objects += kept;
    match (&named, &file_comp) {
        (Some(c), _) => mark(model, summary, fact_for(c)),
        (None, _) if !comps_seen.is_empty() => {
            for c in &comps_seen {
                mark(model, summary, fact_for(c));
            }
        }
        (None, Some(c)) => mark(model, summary, fact_for(c)),
        (None, None) => mark(model, summary, Fact::PastedLog),
    }
    if flags_set {
        mark(model, summary, Fact::KubeContext);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str, text: &str) -> (HostModel, InputSummary, Result<(), ParseError>) {
        crate::testutil::run(parse, source, text)
    }

    const KUBE_PROXY: &str = include_str!("../fixtures/klog/kube-proxy.log");
    const KUBELET_ERR: &str = include_str!("../fixtures/klog/kubelet.err.log");
    const CONTAINERD: &str = include_str!("../fixtures/klog/containerd.log");
    const AZURE_VNET: &str = include_str!("../fixtures/klog/azure-vnet.log");
    const CALICO_LOG: &str = include_str!("../fixtures/klog/calico.log");
    const JSON_LOG: &str = include_str!("../fixtures/klog/kube-proxy-json.log");
    const PASTE: &str = include_str!("../fixtures/klog/paste-mixed.txt");

    #[test]
    fn kube_proxy_klog() {
        let (m, s, r) = run("logs/kube-proxy.log", KUBE_PROXY);
        assert!(r.is_ok(), "{r:?}");
        assert!(m.has(Fact::KubeProxyLog));
        assert!(m.has(Fact::KubeContext));
        assert_eq!(m.k8s.network_name.as_deref(), Some("vxlan0"));
        assert_eq!(m.k8s.enable_dsr, Some(true));
        assert_eq!(m.k8s.source_vip.as_deref(), Some("10.244.3.2"));
        assert_eq!(m.k8s.cluster_cidr.as_deref(), Some("10.244.0.0/16"));
        let (_, p) = m
            .k8s
            .prov
            .iter()
            .find(|(k, _)| k == "enable_dsr")
            .expect("prov for enable_dsr");
        assert_eq!(p.line, 3);
        // every event is kube-proxy; info lines were only counted
        assert!(m
            .log_events
            .iter()
            .all(|e| e.component == Component::KubeProxy));
        let lb = m
            .log_events
            .iter()
            .find(|e| e.error_codes == vec![0x803b_0013])
            .expect("port-exists line");
        assert_eq!(lb.level, LogLevel::Error);
        assert_eq!(lb.time.as_deref(), Some("0412 10:15:02.123456"));
        assert_eq!(lb.prov.line, 8);
        assert!(lb.prov.text.as_deref().unwrap_or("").starts_with("E0412"));
        // W line with a signature and no code
        assert!(m
            .log_events
            .iter()
            .any(|e| e.level == LogLevel::Warning && e.message.contains("Stale loadbalancers")));
        // info line carrying a known signature is kept even at I level
        assert!(
            m.log_events
                .iter()
                .any(|e| e.level == LogLevel::Info
                    && e.message.contains("Unable to find HNS Network"))
        );
        assert_eq!(s.objects, m.log_events.len());
        assert_eq!(s.objects, 5);
        assert_eq!(s.filtered_lines, 8);
    }

    #[test]
    fn kubelet_err_log_by_legacy_name() {
        let (m, _, r) = run(r"C:\k\kubelet.err.log", KUBELET_ERR);
        assert!(r.is_ok());
        assert!(m.has(Fact::KubeletLog));
        assert!(!m.has(Fact::KubeProxyLog));
        let e = m.log_events.first().expect("one event");
        assert_eq!(e.component, Component::Kubelet);
        assert_eq!(e.error_codes, vec![0x8007_0490]);
        assert_eq!(m.log_events.len(), 2);
        assert_eq!(m.log_events.get(1).map(|e| e.level), Some(LogLevel::Fatal));
    }

    #[test]
    fn containerd_logrus() {
        let (m, s, r) = run("logs/containerd.log", CONTAINERD);
        assert!(r.is_ok());
        assert!(m.has(Fact::RuntimeLog));
        assert_eq!(m.log_events.len(), 2);
        let e = m.log_events.first().expect("event");
        assert_eq!(e.component, Component::Containerd);
        assert_eq!(e.level, LogLevel::Error);
        assert_eq!(e.time.as_deref(), Some("2024-04-12T10:15:03.250000000Z"));
        assert!(e
            .message
            .starts_with("RunPodSandbox for &PodSandboxMetadata"));
        assert!(e.message.contains("error=\"failed to setup network"));
        assert_eq!(e.error_codes, vec![0x803b_002f]);
        let w = m.log_events.get(1).expect("warning");
        assert_eq!(w.level, LogLevel::Warning);
        assert_eq!(s.filtered_lines, 2);
    }

    #[test]
    fn azure_vnet_by_cni_path() {
        let (m, _, r) = run("logs/cni/azure-vnet.log", AZURE_VNET);
        assert!(r.is_ok());
        assert!(m.has(Fact::CniLog));
        assert_eq!(m.log_events.len(), 1);
        let e = m.log_events.first().expect("event");
        assert_eq!(e.component, Component::Cni("azure-vnet".into()));
        assert_eq!(e.time.as_deref(), Some("2024/04/12 10:16:40"));
        assert!(e.message.starts_with("[cni-net] Failed to create endpoint"));
        assert_eq!(e.level, LogLevel::Error);
        assert_eq!(e.error_codes, vec![0x803b_0007]);
    }

    #[test]
    fn calico_levels() {
        let (m, _, r) = run("logs/cni/calico.log", CALICO_LOG);
        assert!(r.is_ok());
        assert_eq!(m.log_events.len(), 2);
        assert!(m
            .log_events
            .iter()
            .all(|e| e.component == Component::Cni("calico".into())));
        assert_eq!(
            m.log_events.first().map(|e| e.level),
            Some(LogLevel::Warning)
        );
        assert_eq!(m.log_events.get(1).map(|e| e.level), Some(LogLevel::Error));
        assert_eq!(
            m.log_events.get(1).and_then(|e| e.time.clone()).as_deref(),
            Some("2024-04-12 10:17:05.412")
        );
    }

    #[test]
    fn json_logging() {
        let (m, s, r) = run("kubeproxy.log", JSON_LOG);
        assert!(r.is_ok());
        assert_eq!(m.log_events.len(), 1);
        let e = m.log_events.first().expect("event");
        assert_eq!(e.level, LogLevel::Error);
        assert_eq!(e.time.as_deref(), Some("2024-04-12T10:15:02.123000Z"));
        assert_eq!(e.error_codes, vec![0x8007_0057]);
        assert!(e.message.starts_with("Policy creation failed err="));
        assert_eq!(s.filtered_lines, 2);
    }

    #[test]
    fn paste_components_from_content() {
        let (m, _, r) = run("paste#1", PASTE);
        assert!(r.is_ok());
        let comps: Vec<&Component> = m.log_events.iter().map(|e| &e.component).collect();
        assert_eq!(
            comps,
            vec![
                &Component::KubeProxy,
                &Component::KubeProxy,
                &Component::Kubelet,
                &Component::Unknown
            ]
        );
        assert!(m.has(Fact::KubeProxyLog));
        assert!(m.has(Fact::KubeletLog));
        assert!(m.has(Fact::PastedLog));
        assert_eq!(
            m.log_events.last().map(|e| e.error_codes.clone()),
            Some(vec![0x8007_0022])
        );
    }

    #[test]
    fn outcomes() {
        let (_, _, r) = run("logs/kubelet.log", "");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, _, r) = run(
            "logs/kubelet.log",
            "Get-Content : Cannot find path 'C:\\k\\kubelet.log' because it does not exist.\n",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, _, r) = run(
            "logs/kubelet.log",
            "\n\n\u{1}\u{2}garbage\u{3}\nmore garbage\n",
        );
        match r {
            Err(ParseError::Broken { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected Broken, got {other:?}"),
        }
        // info-only log: read, nothing kept, fact still marked
        let (m, s, r) = run(
            "logs/kube-proxy.log",
            "I0412 10:15:02.123456    4567 proxier.go:1] syncing\n",
        );
        assert!(r.is_ok());
        assert!(m.log_events.is_empty());
        assert!(m.has(Fact::KubeProxyLog));
        assert_eq!(s.filtered_lines, 1);
    }

    #[test]
    fn detector() {
        assert!(detect(KUBE_PROXY) >= 80);
        assert!(detect(CONTAINERD) >= 80);
        assert!(detect(AZURE_VNET) >= 60);
        assert_eq!(detect("Name  ID\n----  --\nnat   B5083512\n"), 0);
    }

    /// A ticket often holds just the error line, with no log prefix: it is still a log line,
    /// and its code is extracted.
    #[test]
    fn bare_pasted_hcn_error_line() {
        let line = "Failed to create endpoint: hcnCreateEndpoint failed in Win32: An address provided is invalid or reserved. (0x803b002f) {\"Success\":false,\"ErrorCode\":2151350319}\n";
        assert!(detect(line) >= 80, "{}", detect(line));
        let (m, _, r) = run("paste#1", line);
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(m.log_events.len(), 1);
        assert_eq!(m.log_events[0].error_codes, vec![0x803b_002f]);
        assert!(m.has(Fact::PastedLog));
        // ordinary prose that merely mentions HNS is not a log
        assert_eq!(detect("HNS is the Host Networking Service.\n"), 0);
    }

    #[test]
    fn names() {
        assert_eq!(
            component_from_name("logs/cni/flanneld.log"),
            Some(Component::Cni("flannel".into()))
        );
        assert_eq!(
            component_from_name("logs/cni/nat.log"),
            Some(Component::Cni("nat".into()))
        );
        assert_eq!(
            component_from_name("logs/dockerd.log"),
            Some(Component::Docker)
        );
        assert_eq!(component_from_name("network.txt"), None);
    }
}
