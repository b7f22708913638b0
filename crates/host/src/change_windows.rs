//! The real [`HostChange`] on Windows.
//!
//! * Registry: read on the host through the Win32 registry API (the read-only host's
//!   `registry_key`); written with `reg.exe add|delete` (inside a container: the same commands
//!   through the runtime's exec, read back with `reg.exe query`).
//! * Services: state from `sc.exe query|qc` (numeric state and start codes, which are not
//!   localised), stop/start with PowerShell `Stop-Service -Force` / `Start-Service` (they wait
//!   for the state change), start type with `sc.exe config <name> start= <type>`.
//! * HNS objects: listed with the HCN enumeration of the read-only host (v1 policy lists with
//!   `HNSCall GET /policylists`); deleted and re-created with `HcnDelete<X>` / `HcnCreate<X>`
//!   from `computenetwork.dll`, loaded from System32 at run time (policy lists with
//!   `HNSCall DELETE|POST /policylists`).
//! * Dynamic port range: `netsh int ipv4 show|set dynamicportrange`.
//! * WinNAT: `Get-NetNat`, `Remove-NetNat`, `New-NetNat`.
//!
//! Every tool runs by absolute path ([`resolve_tool`]).

use crate::change::{
    container_argv, ContainerRuntime, HnsObject, HnsRecord, HostChange, NatInstance, PortProtocol,
    PortRange, RegData, Scope, ServiceStatus, StartType,
};
use crate::windows::{hr_error, load_system_dll, symbol, take_string, wide, WindowsHost};
use crate::winparse::parse_guid;
use crate::{resolve_tool, CommandRequest, HcnKind, HcnQuery, Host, HostError, KnownFolders};
use libloading::Library;
use std::ffi::c_void;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;
use windows_sys::core::{GUID, HRESULT, PCWSTR, PWSTR};

type DeleteFn = unsafe extern "system" fn(*const GUID, *mut PWSTR) -> HRESULT;
type CreateFn =
    unsafe extern "system" fn(*const GUID, PCWSTR, *mut *mut c_void, *mut PWSTR) -> HRESULT;
type CloseFn = unsafe extern "system" fn(*mut c_void) -> HRESULT;

/// `HcnDelete<X>`, `HcnCreate<X>`, `HcnClose<X>` for networks, endpoints, load balancers.
struct HcnWrite {
    _lib: Library,
    fns: Vec<(HnsObject, DeleteFn, CreateFn, CloseFn)>,
}

fn load_write() -> Result<HcnWrite, HostError> {
    const DLL: &str = "computenetwork.dll";
    let lib = load_system_dll(DLL)?;
    let mut fns = Vec::new();
    for (k, o) in [
        (HnsObject::Network, "Network"),
        (HnsObject::Endpoint, "Endpoint"),
        (HnsObject::LoadBalancer, "LoadBalancer"),
    ] {
        fns.push((
            k,
            symbol(&lib, DLL, &format!("HcnDelete{o}"))?,
            symbol(&lib, DLL, &format!("HcnCreate{o}"))?,
            symbol(&lib, DLL, &format!("HcnClose{o}"))?,
        ));
    }
    Ok(HcnWrite { _lib: lib, fns })
}

static WRITE: OnceLock<Result<HcnWrite, HostError>> = OnceLock::new();

fn guid(id: &str) -> Result<GUID, HostError> {
    let (d1, d2, d3, d4) =
        parse_guid(id).ok_or_else(|| HostError::NotFound(format!("{id:?} is not an HNS id")))?;
    Ok(GUID {
        data1: d1,
        data2: d2,
        data3: d3,
        data4: d4,
    })
}

fn ps_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The real mutator.
pub(crate) struct WindowsChange {
    host: WindowsHost,
    folders: Option<KnownFolders>,
    runtime: Option<(ContainerRuntime, String)>,
}

impl WindowsChange {
    pub(crate) fn new() -> Self {
        let host = WindowsHost::new();
        let folders = host.known_folders();
        let mut runtime = None;
        let pf = folders.as_ref().map_or_else(
            || r"C:\Program Files".to_string(),
            |f| f.program_files.clone(),
        );
        for (rt, path) in [
            (ContainerRuntime::Docker, format!(r"{pf}\Docker\docker.exe")),
            (ContainerRuntime::Ctr, format!(r"{pf}\containerd\ctr.exe")),
            (
                ContainerRuntime::Crictl,
                format!(r"{pf}\containerd\crictl.exe"),
            ),
            (ContainerRuntime::Crictl, r"C:\k\crictl.exe".to_string()),
        ] {
            if Path::new(&path).is_file() {
                runtime = Some((rt, path));
                break;
            }
        }
        Self {
            host,
            folders,
            runtime,
        }
    }

    /// Run a program (inbox tool by absolute path) and return stdout; a non-zero exit is an
    /// error carrying the exit code and what the tool printed.
    fn run(&self, program: &str, args: &[String]) -> Result<String, HostError> {
        let mut req = CommandRequest::new(
            &resolve_tool(program, self.folders.as_ref()),
            &[],
            Duration::from_secs(300),
            4 << 20,
        );
        req.args = args.to_vec();
        let out = self.host.run(&req)?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if out.timed_out {
            return Err(HostError::Timeout(300_000));
        }
        match out.exit_code {
            Some(0) => Ok(stdout),
            code => Err(HostError::Failed {
                code: code.unwrap_or(-1),
                message: format!("{}: {} {}", req.display(), out.stderr.trim(), stdout.trim())
                    .trim()
                    .to_string(),
            }),
        }
    }

    /// Run `argv` on the host, or inside the scope's container through its runtime.
    fn run_in(&self, scope: &Scope, argv: &[String]) -> Result<String, HostError> {
        match scope {
            Scope::Host => self.run(&argv[0], &argv[1..]),
            Scope::Container { runtime, id } => {
                let program = match &self.runtime {
                    Some((rt, path)) if rt == runtime => path.clone(),
                    _ => runtime.program().to_string(),
                };
                self.run(&program, &container_argv(*runtime, id, argv))
            }
        }
    }

    fn powershell(&self, scope: &Scope, script: &str) -> Result<String, HostError> {
        let argv: Vec<String> = [
            "powershell.exe",
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            script,
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
        self.run_in(scope, &argv)
    }

    fn hcn_write(&self) -> Result<&'static HcnWrite, HostError> {
        WRITE.get_or_init(load_write).as_ref().map_err(Clone::clone)
    }

    fn hns_ok(&self, method: &str, path: &str, body: &str) -> Result<serde_json::Value, HostError> {
        let resp = self.host.hns_call(method, path, body)?;
        let v: serde_json::Value = serde_json::from_str(&resp).unwrap_or(serde_json::Value::Null);
        if v.get("Success").and_then(serde_json::Value::as_bool) == Some(false) {
            return Err(HostError::Failed {
                code: 0,
                message: format!(
                    "HNSCall {method} {path}: {}",
                    v.get("Error")
                        .map_or_else(|| resp.clone(), ToString::to_string)
                ),
            });
        }
        Ok(v)
    }
}

fn state_code(out: &str, label: &str) -> Option<u32> {
    out.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        if k.trim().eq_ignore_ascii_case(label) {
            v.split_whitespace().next()?.parse().ok()
        } else {
            None
        }
    })
}

impl HostChange for WindowsChange {
    fn is_admin(&self) -> bool {
        self.host.is_admin()
    }

    fn container_runtime(&self) -> Option<ContainerRuntime> {
        self.runtime.as_ref().map(|(r, _)| *r)
    }

    fn registry_value(
        &self,
        scope: &Scope,
        key: &str,
        name: &str,
    ) -> Result<Option<RegData>, HostError> {
        if *scope == Scope::Host {
            let k = match self.host.registry_key(key) {
                Ok(k) => k,
                Err(HostError::NotFound(_)) => return Ok(None),
                Err(e) => return Err(e),
            };
            let Some(v) = k.values.iter().find(|v| v.name.eq_ignore_ascii_case(name)) else {
                return Ok(None);
            };
            let data = match (v.kind.as_str(), &v.data) {
                ("REG_DWORD", d) => d
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .map(RegData::Dword),
                ("REG_QWORD", d) => d.as_u64().map(RegData::Qword),
                ("REG_SZ", d) => d.as_str().map(|s| RegData::Sz(s.into())),
                ("REG_EXPAND_SZ", d) => d.as_str().map(|s| RegData::ExpandSz(s.into())),
                ("REG_MULTI_SZ", d) => d.as_array().map(|a| {
                    RegData::MultiSz(
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect(),
                    )
                }),
                _ => None,
            };
            return data.map(Some).ok_or_else(|| HostError::Failed {
                code: 0,
                message: format!(
                    "{key}\\{name} is {}, which hnsdoctor cannot back up",
                    v.kind
                ),
            });
        }
        let argv: Vec<String> = vec![
            "reg.exe".into(),
            "query".into(),
            key.into(),
            "/v".into(),
            name.into(),
        ];
        match self.run_in(scope, &argv) {
            Ok(out) => Ok(RegData::from_reg_query(&out, name)),
            // reg.exe exits 1 when the value (or the key) does not exist
            Err(HostError::Failed { code: 1, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn set_registry_value(
        &self,
        scope: &Scope,
        key: &str,
        name: &str,
        data: &RegData,
    ) -> Result<(), HostError> {
        let mut argv: Vec<String> = vec![
            "reg.exe".into(),
            "add".into(),
            key.into(),
            "/v".into(),
            name.into(),
        ];
        argv.extend(data.reg_args());
        argv.push("/f".into());
        self.run_in(scope, &argv).map(|_| ())
    }

    fn delete_registry_value(&self, scope: &Scope, key: &str, name: &str) -> Result<(), HostError> {
        let argv: Vec<String> = vec![
            "reg.exe".into(),
            "delete".into(),
            key.into(),
            "/v".into(),
            name.into(),
            "/f".into(),
        ];
        self.run_in(scope, &argv).map(|_| ())
    }

    fn service(&self, scope: &Scope, name: &str) -> Result<Option<ServiceStatus>, HostError> {
        let q = match self.run_in(scope, &["sc.exe".into(), "query".into(), name.into()]) {
            Ok(o) => o,
            // ERROR_SERVICE_DOES_NOT_EXIST
            Err(HostError::Failed { code: 1060, .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let qc = self.run_in(scope, &["sc.exe".into(), "qc".into(), name.into()])?;
        let state = state_code(&q, "STATE").ok_or_else(|| HostError::Failed {
            code: 0,
            message: format!("sc.exe query {name}: no STATE line"),
        })?;
        let start = match state_code(&qc, "START_TYPE") {
            Some(0 | 1) => StartType::Boot,
            Some(2) => StartType::Auto,
            Some(3) => StartType::Manual,
            Some(4) => StartType::Disabled,
            _ => {
                return Err(HostError::Failed {
                    code: 0,
                    message: format!("sc.exe qc {name}: no START_TYPE line"),
                })
            }
        };
        // 2 START_PENDING, 4 RUNNING
        Ok(Some(ServiceStatus {
            running: matches!(state, 2 | 4),
            start,
        }))
    }

    fn stop_service(&self, scope: &Scope, name: &str) -> Result<(), HostError> {
        self.powershell(
            scope,
            &format!(
                "Stop-Service -Name {} -Force -ErrorAction Stop",
                ps_quote(name)
            ),
        )
        .map(|_| ())
    }

    fn start_service(&self, scope: &Scope, name: &str) -> Result<(), HostError> {
        self.powershell(
            scope,
            &format!("Start-Service -Name {} -ErrorAction Stop", ps_quote(name)),
        )
        .map(|_| ())
    }

    fn set_service_start(
        &self,
        scope: &Scope,
        name: &str,
        start: StartType,
    ) -> Result<(), HostError> {
        let argv: Vec<String> = vec![
            "sc.exe".into(),
            "config".into(),
            name.into(),
            "start=".into(),
            start.sc_word().into(),
        ];
        self.run_in(scope, &argv).map(|_| ())
    }

    fn hns_objects(&self, kind: HnsObject) -> Result<Vec<HnsRecord>, HostError> {
        let list: serde_json::Value = match kind {
            HnsObject::PolicyList => self
                .hns_ok("GET", "/policylists", "")?
                .get("Output")
                .cloned()
                .unwrap_or(serde_json::Value::Null),
            _ => {
                let k = match kind {
                    HnsObject::Network => HcnKind::Networks,
                    HnsObject::Endpoint => HcnKind::Endpoints,
                    _ => HcnKind::LoadBalancers,
                };
                let text = self.host.hcn_list(k, HcnQuery::V2_DETAILED)?;
                serde_json::from_str(&text).map_err(|e| HostError::Failed {
                    code: 0,
                    message: format!("HCN {kind} list is not JSON: {e}"),
                })?
            }
        };
        Ok(list
            .as_array()
            .map(|a| a.iter().cloned().filter_map(HnsRecord::from_json).collect())
            .unwrap_or_default())
    }

    fn delete_hns_object(&self, kind: HnsObject, id: &str) -> Result<(), HostError> {
        if kind == HnsObject::PolicyList {
            return self
                .hns_ok("DELETE", &format!("/policylists/{id}"), "")
                .map(|_| ());
        }
        let w = self.hcn_write()?;
        let (_, delete, _, _) = w.fns.iter().find(|f| f.0 == kind).copied().ok_or_else(|| {
            HostError::not_available("HNS API", format!("no delete function for {kind}"))
        })?;
        let g = guid(id)?;
        let mut err: PWSTR = std::ptr::null_mut();
        // SAFETY: documented `HcnDelete<X>(REFGUID, PWSTR*)` signature; the GUID is a local and
        // the error record is taken (and freed) right after.
        let hr = unsafe { delete(&g, &mut err) };
        let err = take_string(err);
        if hr < 0 {
            if kind == HnsObject::LoadBalancer {
                // a v1 load balancer is a policy list of the same id
                if self
                    .hns_ok("DELETE", &format!("/policylists/{id}"), "")
                    .is_ok()
                {
                    return Ok(());
                }
            }
            return Err(hr_error(&format!("HcnDelete {kind} {id}"), hr, &err));
        }
        Ok(())
    }

    fn create_hns_object(&self, kind: HnsObject, record: &HnsRecord) -> Result<(), HostError> {
        let body = record.json.to_string();
        if kind == HnsObject::PolicyList {
            return self.hns_ok("POST", "/policylists", &body).map(|_| ());
        }
        let w = self.hcn_write()?;
        let (_, _, create, close) =
            w.fns.iter().find(|f| f.0 == kind).copied().ok_or_else(|| {
                HostError::not_available("HNS API", format!("no create function for {kind}"))
            })?;
        let g = guid(&record.id)?;
        let settings = wide(&body);
        let mut handle: *mut c_void = std::ptr::null_mut();
        let mut err: PWSTR = std::ptr::null_mut();
        // SAFETY: documented `HcnCreate<X>(REFGUID, PCWSTR, HCN_X*, PWSTR*)` signature; the
        // settings are NUL-terminated; the handle is closed once below.
        let hr = unsafe { create(&g, settings.as_ptr(), &mut handle, &mut err) };
        let err = take_string(err);
        if hr < 0 {
            return Err(hr_error(
                &format!("HcnCreate {kind} {}", record.id),
                hr,
                &err,
            ));
        }
        // SAFETY: the handle was just returned by HcnCreate<X>; closed exactly once.
        unsafe {
            close(handle);
        }
        Ok(())
    }

    fn file_exists(&self, path: &str) -> Result<bool, HostError> {
        Ok(Path::new(path).exists())
    }

    fn copy_file(&self, from: &str, to: &Path) -> Result<u64, HostError> {
        std::fs::copy(from, to).map_err(|e| HostError::from_io(from, &e))
    }

    fn rename_file(&self, from: &str, to: &str) -> Result<(), HostError> {
        std::fs::rename(from, to).map_err(|e| HostError::from_io(from, &e))
    }

    fn dynamic_port_range(&self, protocol: PortProtocol) -> Result<PortRange, HostError> {
        let out = self.run(
            "netsh.exe",
            &["int", "ipv4", "show", "dynamicportrange", protocol.as_str()].map(String::from),
        )?;
        PortRange::from_netsh(&out).ok_or_else(|| HostError::Failed {
            code: 0,
            message: format!("netsh printed no dynamic port range: {}", out.trim()),
        })
    }

    fn set_dynamic_port_range(
        &self,
        protocol: PortProtocol,
        range: PortRange,
    ) -> Result<(), HostError> {
        self.run(
            "netsh.exe",
            &[
                "int".into(),
                "ipv4".into(),
                "set".into(),
                "dynamicportrange".into(),
                protocol.as_str().into(),
                format!("start={}", range.start),
                format!("num={}", range.count),
            ],
        )
        .map(|_| ())
    }

    fn nat_instances(&self) -> Result<Vec<NatInstance>, HostError> {
        let out = self.powershell(
            &Scope::Host,
            "Get-NetNat | ForEach-Object { $_.Name + [char]9 + $_.InternalIPInterfaceAddressPrefix }",
        )?;
        Ok(out
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(n, p)| NatInstance {
                name: n.trim().to_string(),
                prefix: p.trim().to_string(),
            })
            .collect())
    }

    fn remove_nat_instance(&self, name: &str) -> Result<(), HostError> {
        self.powershell(
            &Scope::Host,
            &format!(
                "Remove-NetNat -Name {} -Confirm:$false -ErrorAction Stop",
                ps_quote(name)
            ),
        )
        .map(|_| ())
    }

    fn add_nat_instance(&self, nat: &NatInstance) -> Result<(), HostError> {
        self.powershell(
            &Scope::Host,
            &format!(
                "New-NetNat -Name {} -InternalIPInterfaceAddressPrefix {} -ErrorAction Stop | Out-Null",
                ps_quote(&nat.name),
                ps_quote(&nat.prefix)
            ),
        )
        .map(|_| ())
    }
}
