//! containerd `config.toml` → [`HostModel::k8s`]: runtime `containerd`, the CNI `bin_dir` /
//! `conf_dir`, the sandbox (pause) image.
//!
//! Pipeline stage: **parsers**. Format id `containerd-config`.
//!
//! **What produces it.** `C:\Program Files\containerd\config.toml` (written by
//! `containerd.exe config default` and edited by installers), pasted whole or in part. Version 2
//! configs put the CRI plugin under `[plugins."io.containerd.grpc.v1.cri"]` with
//! `[plugins."io.containerd.grpc.v1.cri".cni]`; version 3 under
//! `[plugins."io.containerd.cri.v1.runtime".cni]` and `[plugins."io.containerd.cri.v1.images".pinned_images]`;
//! version 1 under `[plugins.cri]` / `[plugins.cri.cni]`.
//!
//! **How it is read.** Line by line, not as a TOML document: pastes are often fragments (one
//! table cut out, an edited line with a Windows path in single backslashes that strict TOML
//! would refuse). A key is read when it appears under a table whose name ends in `.cni`
//! (`bin_dir`, `conf_dir`) or anywhere (`sandbox_image`, `sandbox`). Values in `"…"` or `'…'`
//! have `\\` unescaped.
//!
//! **Partial input.** Any one recognised key is enough; unknown keys are counted as filtered.
//! Text with neither a containerd table nor a key is `Broken`. Facts `runtime-config` and
//! `kube-context` (the runtime).
//!
//! ```
//! use hnsdoctor_parse::{containerd_config, Input, HostModel, InputSummary};
//! let text = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".cni]\n  bin_dir = \"C:\\\\opt\\\\cni\\\\bin\"\n  conf_dir = \"C:\\\\etc\\\\cni\\\\net.d\"\n";
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! containerd_config::parse(&Input::new("config.toml", text), &mut m, &mut s).unwrap();
//! assert_eq!(m.k8s.cni_bin_dir.as_deref(), Some("C:\\opt\\cni\\bin"));
//! assert_eq!(m.k8s.runtime.as_deref(), Some("containerd"));
//! ```

use crate::logutil::mark;
use crate::{Fact, HostModel, Input, InputSummary, ParseError};

fn value(v: &str) -> String {
    let v = v.trim();
    let v = v.split(" #").next().unwrap_or(v).trim();
    if let Some(inner) = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        inner.replace("\\\\", "\\")
    } else if let Some(inner) = v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
        inner.to_string()
    } else {
        v.to_string()
    }
}

/// Parse a containerd config. See the module doc.
///
/// # Errors
/// `Skip` for empty input; `Broken` when no containerd table or key is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if input.text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    let mut table = String::new();
    let mut read = 0usize;
    let mut containerd_table = false;
    for (no, raw) in input.lines() {
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with('[') {
            table = t.trim_matches(['[', ']']).to_string();
            containerd_table |= table.contains("io.containerd") || table.starts_with("plugins.cri");
            continue;
        }
        let Some((k, v)) = t.split_once('=') else {
            summary.filtered_lines += 1;
            continue;
        };
        let key = k.trim();
        let val = value(v);
        let prov = input.prov(no, raw);
        let slot = match key {
            "bin_dir" | "bin_dirs" if table.ends_with(".cni") || table.ends_with("cni") => {
                Some("cni_bin_dir")
            }
            "conf_dir" if table.ends_with(".cni") || table.ends_with("cni") => Some("cni_conf_dir"),
            "sandbox_image" | "sandbox" => Some("sandbox_image"),
            _ => None,
        };
        let Some(slot) = slot else {
            summary.filtered_lines += 1;
            continue;
        };
        let val = val.trim_matches(['[', ']', '"', ' ']).to_string();
        match slot {
            "cni_bin_dir" => model.k8s.cni_bin_dir = Some(val),
            "cni_conf_dir" => model.k8s.cni_conf_dir = Some(val),
            _ => model.k8s.sandbox_image = Some(val),
        }
        model.k8s.prov.push((slot.to_string(), prov));
        read += 1;
    }
    if read == 0 && !containerd_table {
        return Err(ParseError::broken_at_first_line(input, "a containerd config.toml ([plugins.\"io.containerd…\"] tables, bin_dir / conf_dir / sandbox_image)"));
    }
    if model.k8s.runtime.is_none() {
        model.k8s.runtime = Some("containerd".into());
        model.k8s.prov.push((
            "runtime".into(),
            input.prov(input.first_line, "containerd config.toml"),
        ));
    }
    summary.objects += read;
    mark(model, summary, Fact::RuntimeConfig);
    mark(model, summary, Fact::KubeContext);
    Ok(())
}

/// Detector: containerd plugin tables, the top-level `root` / `state` / pipe `address` naming
/// containerd (the first paragraph of the file alone), or the CNI keys together.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let mut keys = 0;
    let mut top = 0u8;
    for l in text.lines().take(600) {
        let t = l.trim();
        if t.starts_with("[plugins.\"io.containerd.") || t.starts_with("[plugins.cri") {
            return 92;
        }
        // the top of the file: `root = "C:\ProgramData\containerd\root"`, the containerd pipe
        let low = t.to_ascii_lowercase();
        if (low.starts_with("root =") || low.starts_with("state =") || low.starts_with("address ="))
            && low.contains("containerd")
        {
            top = top.max(80);
        }
        if t.starts_with("bin_dir") || t.starts_with("conf_dir") || t.starts_with("sandbox_image") {
            keys += 1;
        }
    }
    let by_keys = match keys {
        0 => 0,
        1 => 45,
        _ => 75,
    };
    top.max(by_keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{run, run_fixture};

    #[test]
    fn v2_config_with_cni_dirs() {
        let (r, m, _) = run_fixture(
            parse,
            "containerd/config.toml",
            include_bytes!("../fixtures/containerd_config/config-v2.toml"),
        );
        r.unwrap();
        assert_eq!(m.k8s.runtime.as_deref(), Some("containerd"));
        assert_eq!(
            m.k8s.cni_bin_dir.as_deref(),
            Some("C:\\Program Files\\containerd\\cni\\bin")
        );
        assert_eq!(
            m.k8s.cni_conf_dir.as_deref(),
            Some("C:\\Program Files\\containerd\\cni\\conf")
        );
        assert_eq!(
            m.k8s.sandbox_image.as_deref(),
            Some("mcr.microsoft.com/oss/kubernetes/pause:3.9")
        );
        assert!(m.has(Fact::RuntimeConfig) && m.has(Fact::KubeContext));
        assert!(m
            .k8s
            .prov
            .iter()
            .any(|(k, p)| k == "cni_conf_dir" && p.line > 1));
    }

    #[test]
    fn fragment_and_v1_table() {
        let text =
            "[plugins.cri.cni]\n    bin_dir = 'C:\\k\\cni'\n    conf_dir = 'C:\\k\\cni\\config'\n";
        assert!(detect(text) >= 90);
        let (m, _, r) = run(parse, "paste#1", text);
        r.unwrap();
        assert_eq!(m.k8s.cni_conf_dir.as_deref(), Some("C:\\k\\cni\\config"));
    }

    #[test]
    fn quiet_on_other_toml() {
        let text = "[server]\nport = 8080\nbin_dir = \"/usr/bin\"\n";
        let (m, _, r) = run(parse, "paste#2", text);
        assert!(matches!(r, Err(ParseError::Broken { .. })));
        assert!(m.k8s.cni_bin_dir.is_none() && m.k8s.runtime.is_none());
    }
}
