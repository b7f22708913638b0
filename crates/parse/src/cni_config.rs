//! CNI configuration files, AKS `kubeclusterconfig.json`, flannel `net-conf.json` and
//! `subnet.env` → [`HostModel::cni`] and [`HostModel::k8s`].
//!
//! Pipeline stage: **parsers**. Format ids `cni-config`, `kube-cluster-config`,
//! `flannel-subnet-env`.
//!
//! **What produces it.** The node's CNI directory (`C:\etc\cni\net.d\*.conf`, `*.conflist`,
//! legacy `C:\k\cni\config\*`), AKS's `C:\k\kubeclusterconfig.json` and flannel's
//! `C:\etc\kube-flannel\net-conf.json` / `C:\run\flannel\subnet.env`, copied by the collector to
//! bundle `cni/<file>` and `k8s/<file>`. All JSON is UTF-8 (sometimes with a BOM, removed by the
//! bundle layer); `subnet.env` is `KEY=value` lines.
//!
//! **CNI config** (`.conf` one plugin, `.conflist` with `plugins`): name, cniVersion, the `type`
//! of every plugin and of a flannel `delegate` (e.g. `["flannel", "win-overlay"]`), and the HNS
//! network name: for the Windows plugins (`sdnoverlay`, `sdnbridge`, `win-overlay`, `win-bridge`,
//! `nat`, `flannel`, `azure-vnet`, `calico`) HNS looks the network up by the config `name`.
//! Fact CniConfig; the first network name seen also fills `k8s.network_name`.
//!
//! **kubeclusterconfig.json** (keys matched case-insensitively): `Kubernetes.Network.ServiceCidr`,
//! `ClusterCidr`, `DnsIp` (or `DnsServiceIp`), `Cni.NetworkName` or `Cni.Name`, `Cri.Name`
//! (runtime), `Kubernetes.Kubeproxy.FeatureGates` — `WinDSR=true` is read as DSR enabled, since
//! AKS passes `--enable-dsr=true` exactly then \[I\] — and `--enable-dsr` / `--source-vip` /
//! `--network-name` in `Kubeproxy.ConfigArgs`. **net-conf.json**: `Network` → cluster CIDR,
//! `Backend.Name` → network name. **subnet.env**: `FLANNEL_NETWORK` → cluster CIDR.
//! Each key gets its own provenance (the line that holds it); first value wins. Fact KubeContext.
//!
//! **Partial input.** Truncated or invalid JSON is `Broken` at the line serde reports; a JSON
//! document of the wrong shape (no `type`/`plugins`, no known key) is `Broken` at line 1;
//! empty input or collector error text is `Skip`.
//!
//! ```
//! use hnsdoctor_parse::{cni_config, Input, HostModel, InputSummary};
//! let text = r#"{"cniVersion":"0.2.0","name":"vxlan0","type":"sdnoverlay","ipam":{"subnet":"10.244.3.0/24"}}"#;
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! cni_config::parse(&Input::new("cni/sdnoverlay.conf", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.cni[0].plugin_types, vec!["sdnoverlay"]);
//! assert_eq!(m.k8s.network_name.as_deref(), Some("vxlan0"));
//! ```

use crate::logutil::{check_skip, mark};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{CniConfig, Prov};
use serde_json::Value;

/// Plugins whose config `name` is the HNS network name.
const NETWORK_NAMED_BY_CONFIG: &[&str] = &[
    "sdnoverlay",
    "sdnbridge",
    "win-overlay",
    "win-bridge",
    "nat",
    "flannel",
    "azure-vnet",
    "calico",
    "l2bridge",
    "overlay",
];

/// Detector for CNI configs: JSON with `cniVersion` and `type` or `plugins`.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let t = text.trim_start();
    if !t.starts_with('{') {
        return 0;
    }
    if t.contains("\"cniVersion\"") && (t.contains("\"plugins\"") || t.contains("\"type\"")) {
        95
    } else {
        0
    }
}

/// Detector for kubeclusterconfig.json / flannel net-conf.json.
#[must_use]
pub fn detect_cluster(text: &str) -> u8 {
    let t = text.trim_start();
    if !t.starts_with('{') {
        return 0;
    }
    let low = t.to_ascii_lowercase();
    if low.contains("\"servicecidr\"") && low.contains("\"kubernetes\"") {
        95
    } else if low.contains("\"backend\"")
        && low.contains("\"network\"")
        && !low.contains("cniversion")
    {
        80
    } else {
        0
    }
}

/// Detector for flannel `subnet.env`.
#[must_use]
pub fn detect_subnet_env(text: &str) -> u8 {
    if text.contains("FLANNEL_NETWORK=") && text.contains("FLANNEL_SUBNET=") {
        95
    } else {
        0
    }
}

/// Parse JSON, mapping a serde error to `Broken` at its line.
fn parse_json(input: &Input<'_>) -> Result<Value, ParseError> {
    serde_json::from_str::<Value>(input.text).map_err(|e| {
        let rel = u32::try_from(e.line()).unwrap_or(1).max(1);
        let line = input.first_line.saturating_add(rel - 1);
        let found = input
            .text
            .lines()
            .nth((rel - 1) as usize)
            .unwrap_or("")
            .to_string();
        ParseError::broken(input, line, format!("valid JSON ({e})"), &found)
    })
}

/// The first line holding `"key"` (case-insensitive), as provenance; line 1 when not found.
fn prov_of(input: &Input<'_>, key: &str) -> Prov {
    let needle = format!("\"{}\"", key.to_ascii_lowercase());
    input
        .lines()
        .find(|(_, l)| l.to_ascii_lowercase().contains(&needle))
        .map_or_else(
            || Prov::new(input.source, input.first_line),
            |(n, l)| input.prov(n, l),
        )
}

/// Case-insensitive object lookup.
fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn get_str<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    get(v, key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Set a k8s string field if unset; returns whether it was set.
fn set_if_none(
    slot: &mut Option<String>,
    value: &str,
    key: &str,
    prov: Prov,
    provs: &mut Vec<(String, Prov)>,
) -> bool {
    if slot.is_some() || value.trim().is_empty() {
        return false;
    }
    *slot = Some(value.trim().to_string());
    provs.push((key.to_string(), prov));
    true
}

/// Parse a CNI `.conf` / `.conflist`.
///
/// # Errors
/// `Skip` for empty input or collector text; `Broken` for invalid JSON or a JSON document that
/// is not a CNI config.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let doc = parse_json(input)?;
    let first = input.lines().next().map_or("", |(_, l)| l);
    if !doc.is_object() {
        return Err(ParseError::broken(
            input,
            input.first_line,
            "a JSON object (CNI config)",
            first,
        ));
    }
    let mut plugins: Vec<&Value> = Vec::new();
    match get(&doc, "plugins").and_then(Value::as_array) {
        Some(list) => plugins.extend(list.iter()),
        None if get(&doc, "type").is_some() => plugins.push(&doc),
        None => {
            return Err(ParseError::broken(
                input,
                input.first_line,
                "a CNI config with \"type\" or \"plugins\"",
                first,
            ))
        }
    }
    let mut types: Vec<String> = Vec::new();
    for p in &plugins {
        if let Some(t) = get_str(p, "type") {
            types.push(t.to_string());
        }
        if let Some(t) = get(p, "delegate").and_then(|d| get_str(d, "type")) {
            types.push(t.to_string());
        }
    }
    let name = get_str(&doc, "name").map(str::to_owned);
    let network_name = name.clone().filter(|_| {
        types
            .iter()
            .any(|t| NETWORK_NAMED_BY_CONFIG.contains(&t.to_ascii_lowercase().as_str()))
    });
    let prov = prov_of(input, "name");
    if let Some(n) = &network_name {
        let k = &mut model.k8s;
        set_if_none(
            &mut k.network_name,
            n,
            "network_name",
            prov.clone(),
            &mut k.prov,
        );
        mark(model, summary, Fact::KubeContext);
    }
    model.cni.push(CniConfig {
        path: input.source.to_string(),
        name,
        cni_version: get_str(&doc, "cniVersion").map(str::to_owned),
        plugin_types: types,
        network_name,
        raw: doc,
        prov,
    });
    summary.objects += 1;
    mark(model, summary, Fact::CniConfig);
    Ok(())
}

/// Parse `kubeclusterconfig.json` (AKS) or flannel `net-conf.json`.
///
/// # Errors
/// `Skip` for empty input or collector text; `Broken` for invalid JSON or when no known key is
/// present.
pub fn parse_cluster(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let doc = parse_json(input)?;
    let mut set = 0usize;
    let k = &mut model.k8s;
    if let Some(kube) = get(&doc, "Kubernetes") {
        let net = get(kube, "Network").unwrap_or(&Value::Null);
        if let Some(v) = get_str(net, "ServiceCidr") {
            set += usize::from(set_if_none(
                &mut k.service_cidr,
                v,
                "service_cidr",
                prov_of(input, "ServiceCidr"),
                &mut k.prov,
            ));
        }
        if let Some(v) = get_str(net, "ClusterCidr") {
            set += usize::from(set_if_none(
                &mut k.cluster_cidr,
                v,
                "cluster_cidr",
                prov_of(input, "ClusterCidr"),
                &mut k.prov,
            ));
        }
        for key in ["DnsIp", "DnsServiceIp"] {
            if let Some(v) = get_str(net, key) {
                set += usize::from(set_if_none(
                    &mut k.dns_ip,
                    v,
                    "dns_ip",
                    prov_of(input, key),
                    &mut k.prov,
                ));
            }
        }
        if let Some(kp) = get(kube, "Kubeproxy") {
            if let Some(gates) = get(kp, "FeatureGates").and_then(Value::as_array) {
                let dsr = gates
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|g| g.replace(' ', "").eq_ignore_ascii_case("WinDSR=true"));
                if dsr && k.enable_dsr.is_none() {
                    k.enable_dsr = Some(true);
                    k.prov
                        .push(("enable_dsr".into(), prov_of(input, "FeatureGates")));
                    set += 1;
                }
            }
            let args: Vec<&str> = get(kp, "ConfigArgs")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for a in args {
                let Some((flag, val)) = a.trim_start_matches('-').split_once('=') else {
                    continue;
                };
                let val = val.trim_matches('"');
                let needle_prov = input.lines().find(|(_, l)| l.contains(flag)).map_or_else(
                    || Prov::new(input.source, input.first_line),
                    |(n, l)| input.prov(n, l),
                );
                match flag {
                    "enable-dsr" => {
                        if let (None, Ok(b)) = (k.enable_dsr, val.parse::<bool>()) {
                            k.enable_dsr = Some(b);
                            k.prov.push(("enable_dsr".into(), needle_prov));
                            set += 1;
                        }
                    }
                    "source-vip" => {
                        set += usize::from(set_if_none(
                            &mut k.source_vip,
                            val,
                            "source_vip",
                            needle_prov,
                            &mut k.prov,
                        ));
                    }
                    "network-name" => {
                        set += usize::from(set_if_none(
                            &mut k.network_name,
                            val,
                            "network_name",
                            needle_prov,
                            &mut k.prov,
                        ));
                    }
                    "cluster-cidr" => {
                        set += usize::from(set_if_none(
                            &mut k.cluster_cidr,
                            val,
                            "cluster_cidr",
                            needle_prov,
                            &mut k.prov,
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(cni) = get(&doc, "Cni") {
        if let Some(v) = get_str(cni, "NetworkName").or_else(|| get_str(cni, "Name")) {
            let key = if get_str(cni, "NetworkName").is_some() {
                "NetworkName"
            } else {
                "Name"
            };
            let p = input
                .lines()
                .skip_while(|(_, l)| !l.to_ascii_lowercase().contains("\"cni\""))
                .find(|(_, l)| {
                    l.to_ascii_lowercase()
                        .contains(&format!("\"{}\"", key.to_ascii_lowercase()))
                })
                .map_or_else(|| prov_of(input, key), |(n, l)| input.prov(n, l));
            set += usize::from(set_if_none(
                &mut k.network_name,
                v,
                "network_name",
                p,
                &mut k.prov,
            ));
        }
    }
    if let Some(cri) = get(&doc, "Cri") {
        if let Some(v) = get_str(cri, "Name") {
            let p = input
                .lines()
                .skip_while(|(_, l)| !l.to_ascii_lowercase().contains("\"cri\""))
                .find(|(_, l)| l.to_ascii_lowercase().contains("\"name\""))
                .map_or_else(|| prov_of(input, "Cri"), |(n, l)| input.prov(n, l));
            set += usize::from(set_if_none(
                &mut k.runtime,
                &v.to_ascii_lowercase(),
                "runtime",
                p,
                &mut k.prov,
            ));
        }
    }
    // flannel net-conf.json
    if let (Some(network), Some(backend)) = (get_str(&doc, "Network"), get(&doc, "Backend")) {
        set += usize::from(set_if_none(
            &mut k.cluster_cidr,
            network,
            "cluster_cidr",
            prov_of(input, "Network"),
            &mut k.prov,
        ));
        if let Some(n) = get_str(backend, "Name") {
            set += usize::from(set_if_none(
                &mut k.network_name,
                n,
                "network_name",
                prov_of(input, "Name"),
                &mut k.prov,
            ));
        }
    }
    let known = get(&doc, "Kubernetes").is_some() || get(&doc, "Backend").is_some();
    if !known {
        let first = input.lines().next().map_or("", |(_, l)| l);
        return Err(ParseError::broken(
            input,
            input.first_line,
            "kubeclusterconfig.json (Kubernetes.Network…) or flannel net-conf.json (Network, Backend)",
            first,
        ));
    }
    summary.objects += set;
    if set == 0 {
        summary
            .warnings
            .push("no cluster value was new (all unset or already known)".into());
    }
    mark(model, summary, Fact::KubeContext);
    Ok(())
}

/// Parse flannel `subnet.env`.
///
/// # Errors
/// `Skip` for empty input or collector text; `Broken` at the first line that is not `KEY=value`.
pub fn parse_subnet_env(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let mut seen = false;
    for (no, l) in input.lines() {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let Some((key, val)) = t.split_once('=') else {
            return Err(ParseError::broken(input, no, "KEY=value", l));
        };
        if !key.starts_with("FLANNEL_") {
            return Err(ParseError::broken(input, no, "FLANNEL_* variable", l));
        }
        seen = true;
        if key == "FLANNEL_NETWORK" {
            let k = &mut model.k8s;
            if set_if_none(
                &mut k.cluster_cidr,
                val,
                "cluster_cidr",
                input.prov(no, l),
                &mut k.prov,
            ) {
                summary.objects += 1;
            }
        }
    }
    if seen {
        mark(model, summary, Fact::KubeContext);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testutil::run;

    const FLANNEL: &str = include_str!("../fixtures/cni_config/10-flannel.conflist");
    const SDNBRIDGE: &str = include_str!("../fixtures/cni_config/sdnbridge.conf");
    const AZURE: &str = include_str!("../fixtures/cni_config/10-azure.conflist");
    const KCC: &str = include_str!("../fixtures/cni_config/kubeclusterconfig.json");
    const NETCONF: &str = include_str!("../fixtures/cni_config/net-conf.json");
    const SUBNET_ENV: &str = include_str!("../fixtures/cni_config/subnet.env");
    const TRUNCATED: &str = include_str!("../fixtures/cni_config/truncated.conflist");

    #[test]
    fn flannel_conflist_with_delegate() {
        let (m, s, r) = run(parse, "cni/10-flannel.conflist", FLANNEL);
        assert!(r.is_ok(), "{r:?}");
        let c = m.cni.first().expect("config");
        assert_eq!(c.name.as_deref(), Some("vxlan0"));
        assert_eq!(c.cni_version.as_deref(), Some("0.3.0"));
        assert_eq!(c.plugin_types, vec!["flannel", "win-overlay"]);
        assert_eq!(c.network_name.as_deref(), Some("vxlan0"));
        assert_eq!(c.prov.line, 2);
        assert!(m.has(Fact::CniConfig));
        assert_eq!(m.k8s.network_name.as_deref(), Some("vxlan0"));
        assert_eq!(s.objects, 1);
    }

    #[test]
    fn sdnbridge_conf() {
        let (m, _, r) = run(parse, r"C:\etc\cni\net.d\l2bridge.conf", SDNBRIDGE);
        assert!(r.is_ok());
        let c = m.cni.first().expect("config");
        assert_eq!(c.plugin_types, vec!["sdnbridge"]);
        assert_eq!(c.network_name.as_deref(), Some("cbr0"));
        assert_eq!(
            c.raw.pointer("/ipam/subnet").and_then(Value::as_str),
            Some("10.244.3.0/24")
        );
    }

    #[test]
    fn azure_vnet_conflist() {
        let (m, _, r) = run(parse, "cni/10-azure.conflist", AZURE);
        assert!(r.is_ok());
        let c = m.cni.first().expect("config");
        assert_eq!(c.plugin_types, vec!["azure-vnet"]);
        assert_eq!(c.network_name.as_deref(), Some("azure"));
    }

    #[test]
    fn kubeclusterconfig() {
        let (m, s, r) = run(parse_cluster, "k8s/kubeclusterconfig.json", KCC);
        assert!(r.is_ok(), "{r:?}");
        let k = &m.k8s;
        assert_eq!(k.service_cidr.as_deref(), Some("10.0.0.0/16"));
        assert_eq!(k.cluster_cidr.as_deref(), Some("10.244.0.0/16"));
        assert_eq!(k.dns_ip.as_deref(), Some("10.0.0.10"));
        assert_eq!(k.network_name.as_deref(), Some("azure"));
        assert_eq!(k.runtime.as_deref(), Some("containerd"));
        assert_eq!(k.enable_dsr, Some(true));
        let line_of = |key: &str| k.prov.iter().find(|(n, _)| n == key).map(|(_, p)| p.line);
        assert_eq!(line_of("service_cidr"), Some(15));
        assert_eq!(line_of("dns_ip"), Some(17));
        assert_eq!(line_of("runtime"), Some(3));
        assert_eq!(line_of("network_name"), Some(7));
        assert!(m.has(Fact::KubeContext));
        assert_eq!(s.objects, 6);
    }

    #[test]
    fn flannel_net_conf_and_subnet_env() {
        let (m, _, r) = run(parse_cluster, "k8s/net-conf.json", NETCONF);
        assert!(r.is_ok());
        assert_eq!(m.k8s.cluster_cidr.as_deref(), Some("10.244.0.0/16"));
        assert_eq!(m.k8s.network_name.as_deref(), Some("vxlan0"));
        let (m, _, r) = run(parse_subnet_env, "k8s/subnet.env", SUBNET_ENV);
        assert!(r.is_ok());
        assert_eq!(m.k8s.cluster_cidr.as_deref(), Some("10.244.0.0/16"));
        assert_eq!(m.k8s.prov.first().map(|(_, p)| p.line), Some(1));
        let (_, _, r) = run(
            parse_subnet_env,
            "k8s/subnet.env",
            "FLANNEL_NETWORK=1.2.3.0/24\nbogus line\n",
        );
        assert!(
            matches!(r, Err(ParseError::Broken { line: 2, .. })),
            "{r:?}"
        );
    }

    #[test]
    fn outcomes() {
        let (_, _, r) = run(parse, "cni/x.conf", "");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, _, r) = run(
            parse,
            "cni/x.conf",
            "Get-Content : Cannot find path 'C:\\etc\\cni\\net.d\\x.conf' because it does not exist.",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (m, _, r) = run(parse, "cni/10-flannel.conflist", TRUNCATED);
        match r {
            Err(ParseError::Broken { line, .. }) => assert_eq!(line, 9),
            other => panic!("expected Broken, got {other:?}"),
        }
        assert!(!m.has(Fact::CniConfig));
        let (_, _, r) = run(parse, "cni/x.conf", "{\"foo\": 1}");
        assert!(matches!(r, Err(ParseError::Broken { line: 1, .. })));
        let (_, _, r) = run(parse_cluster, "k8s/kubeclusterconfig.json", "{\"foo\": 1}");
        assert!(matches!(r, Err(ParseError::Broken { line: 1, .. })));
    }

    #[test]
    fn detectors() {
        assert_eq!(detect(FLANNEL), 95);
        assert_eq!(detect(KCC), 0);
        assert_eq!(detect_cluster(KCC), 95);
        assert!(detect_cluster(NETCONF) >= 80);
        assert_eq!(detect_cluster(FLANNEL), 0);
        assert_eq!(detect_subnet_env(SUBNET_ENV), 95);
    }
}
