//! A fake host scripted from the source table itself, for tests and benches: every command
//! answers, every registry key, file glob, event channel and process exists, HCN returns one
//! small object per kind, and `vfpctrl /list-vmswitch-port` lists two ports. Each source's
//! answer can be given a latency, so the bench can model a real node.
//!
//! Behind the cargo feature `testkit` (enabled by this crate's dev-dependencies), so release
//! builds leave it out: the binary never uses it.

use crate::source::{SourceDef, Via};
use crate::sources;
use hnsdoctor_host::fake::{json, ok, FakeHost};
use hnsdoctor_host::{HcnKind, RegistryKey, RegistryValue, RunningProcess};
use std::time::Duration;

/// The canned `vfpctrl /list-vmswitch-port` listing (two ports).
pub const VFP_PORTS: &str = "ITEM LIST\r\n===========\r\n\r\n  Port name            : 0D1E5F2B-1111-4C3A-9D1E-000000000001\r\n  Port Friendly name   : Container NIC 1\r\n\r\n  Port name            : 0D1E5F2B-1111-4C3A-9D1E-000000000002\r\n  Port Friendly name   : Container NIC 2\r\n";

/// The canned HCN v2 networks JSON.
pub const NETWORKS_JSON: &str = r#"[{"Name":"azure","Id":"2A79B8C6-4E2E-4A8D-A9F6-5C0D3E1F0001","Type":"L2Bridge","Ipams":[{"Subnets":[{"IpAddressPrefix":"10.240.0.0/16"}]}],"SchemaVersion":{"Major":2,"Minor":0}}]"#;
/// The canned HCN v2 endpoints JSON.
pub const ENDPOINTS_JSON: &str = r#"[{"Name":"ep1","Id":"6E3B8C1A-0000-4C3A-9D1E-000000000001","HostComputeNetwork":"2A79B8C6-4E2E-4A8D-A9F6-5C0D3E1F0001","IpConfigurations":[{"IpAddress":"10.240.0.12","PrefixLength":16}],"MacAddress":"00-15-5D-00-00-01","SchemaVersion":{"Major":2,"Minor":0}}]"#;

/// A plausible file name for a glob (wildcards filled in).
#[must_use]
pub fn sample_path(glob: &str) -> String {
    let g = glob.replace("**", "sample.log").replace('*', "sample");
    g.replace('?', "x")
}

/// A fake host where every source of the table succeeds, each after `latency(source)`.
#[must_use]
pub fn full_fake(latency: &dyn Fn(&SourceDef) -> Duration) -> FakeHost {
    let mut h = FakeHost::new().default_command(ok("generic output\r\n"));
    for s in sources::all() {
        let d = latency(s);
        if let Some(r) = s.requires {
            // The full host has every optional feature (e.g. the Hyper-V role).
            h = h.registry(RegistryKey {
                path: r.probe_key().to_string(),
                ..RegistryKey::default()
            });
        }
        h = match s.via {
            Via::Command(c) => {
                let pat = std::iter::once(c.program.trim_end_matches(".exe"))
                    .chain(c.args.iter().copied())
                    .collect::<Vec<_>>()
                    .join(" ");
                let text = if s.id == "vfp.ports" {
                    VFP_PORTS.to_string()
                } else {
                    format!("output of {}\r\n", c.display())
                };
                h.command(&pat, ok(text).after(d))
            }
            Via::Commands(cs) => {
                let mut h = h;
                for c in cs {
                    let pat = std::iter::once(c.program.trim_end_matches(".exe"))
                        .chain(c.args.iter().copied())
                        .collect::<Vec<_>>()
                        .join(" ");
                    h = h.command(&pat, ok(format!("output of {}\r\n", c.display())).after(d));
                }
                h
            }
            Via::FanOut { per_item, .. } => {
                let mut h = h;
                for c in per_item {
                    // `vfpctrl /port` answers every per-port command.
                    let pat = format!("{} {}", c.program.trim_end_matches(".exe"), c.args[0]);
                    h = h.command(&pat, ok("per-port output\r\n").after(d));
                }
                h
            }
            Via::PowerShell(_) => h.command("powershell", ok("cmdlet output\r\n").after(d)),
            Via::Hcn { kind, schema } => {
                let body = match kind {
                    HcnKind::Networks => NETWORKS_JSON,
                    HcnKind::Endpoints => ENDPOINTS_JSON,
                    _ => "[]",
                };
                if schema == 1 {
                    h.hcn_v1(kind, json(body).after(d))
                } else {
                    h.hcn(kind, json(body).after(d))
                }
            }
            Via::HnsCall { path, .. } => {
                let body = if path == "/globals/version" {
                    r#"{"Success":true,"Output":{"Major":10,"Minor":4}}"#
                } else {
                    r#"{"Success":true,"Output":[]}"#
                };
                h.hns(path, json(body).after(d))
            }
            Via::Registry(keys) => {
                let mut h = h;
                for k in keys {
                    h = h.registry(RegistryKey {
                        path: (*k).to_string(),
                        values: vec![RegistryValue {
                            name: "UBR".into(),
                            kind: "REG_DWORD".into(),
                            data: serde_json::json!(5458),
                        }],
                        subkeys: Vec::new(),
                    });
                }
                h
            }
            Via::Files { globs, .. } => {
                let mut h = h;
                for g in globs {
                    let mut path = sample_path(g);
                    if let Some(ext) = s.only_ext.first() {
                        if !path.ends_with(&format!(".{ext}")) {
                            path = format!("{path}.{ext}");
                        }
                    }
                    h = h.file(&path, format!("I1124 02:00:00.000000    1234 {g}\n"));
                }
                h
            }
            Via::FileMeta(paths) => {
                let mut h = h;
                for p in paths {
                    h = h.file(p, vec![0u8; 4096]);
                }
                h
            }
            Via::Events(ch) => h.events(
                ch,
                ok(format!(
                    "<Events><Event><System><Provider Name='{ch}'/></System></Event></Events>"
                ))
                .after(d),
            ),
            Via::Process(name) => h.process(RunningProcess {
                pid: 1234,
                name: name.to_string(),
                threads: 48,
                working_set_bytes: Some(50 << 20),
            }),
        };
    }
    h
}
