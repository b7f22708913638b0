//! The real Windows host. The only file with `unsafe` code.
//!
//! * HCN (v2) and HNS (v1) are reached through `computenetwork.dll` and `vmcompute.dll`, loaded at
//!   run time with `libloading` from System32 only (`LOAD_LIBRARY_SEARCH_SYSTEM32`, as hcsshim's
//!   `NewLazySystemDLL`: a DLL planted beside hnsdoctor is never loaded) the first time they are
//!   needed — never imported statically, so
//!   the exe starts on hosts without the Containers feature (CI checks the import table). A
//!   missing DLL becomes [`HostError::NotAvailable`] ("HNS API not available: …").
//! * One HCN listing = one `HcnEnumerate<X>` call, then `HcnOpen<X>` / `HcnQuery<X>Properties` /
//!   `HcnClose<X>` per object, all in-process (no process launch per object). Strings the API
//!   returns are freed with `CoTaskMemFree`.
//! * Commands run in a Job Object with `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`: at the timeout the
//!   job is terminated (whole tree), and closing the job also ends any leftover grandchildren.
//!   The child is assigned to the job right after it starts; a grandchild started in that
//!   instant could escape the job (std offers no suspended start).
//! * Registry (read-only `KEY_READ`, 64-bit view), token elevation, process snapshot and SCM
//!   status queries use `windows-sys`. Event logs are read with `wevtutil qe` to stdout (no
//!   temporary files on the host; the request is [`crate::events_request`]).
//! * Bundle folders get a protected DACL for SYSTEM and Administrators only
//!   (`SetNamedSecurityInfoW` with `D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)`).
//! * The console code pages (`GetOEMCP`, `GetACP`) and System32 (`GetSystemDirectoryW`) are
//!   reported so that the collector records them and runs every tool by absolute path.

use crate::exec::{run_with, TreeKiller};
use crate::winparse::{
    os_from_registry, parse_guid, reg_type_name, reg_value_json, split_registry_path,
};
use crate::{
    CodePages, CommandOutput, CommandRequest, FileData, FileMeta, FoundFile, HcnKind, HcnQuery,
    Host, HostError, KnownFolders, OsVersion, RegistryKey, RegistryValue, RunningProcess,
};
use libloading::os::windows::LOAD_LIBRARY_SEARCH_SYSTEM32;
use libloading::Library;
use std::ffi::c_void;
use std::os::windows::io::AsRawHandle;
use std::os::windows::process::CommandExt;
use std::process::{Child, Command};
use std::sync::OnceLock;
use windows_sys::core::{GUID, HRESULT, PCWSTR, PWSTR};
use windows_sys::Win32::Foundation::{
    CloseHandle, LocalFree, ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_SUCCESS, HANDLE,
    INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Globalization::{GetACP, GetOEMCP};
use windows_sys::Win32::Security::Authorization::{
    ConvertStringSecurityDescriptorToSecurityDescriptorW, SetNamedSecurityInfoW, SDDL_REVISION_1,
    SE_FILE_OBJECT,
};
use windows_sys::Win32::Security::{
    GetSecurityDescriptorDacl, GetTokenInformation, TokenElevation, ACL, DACL_SECURITY_INFORMATION,
    PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, TOKEN_ELEVATION, TOKEN_QUERY,
};
use windows_sys::Win32::System::Com::CoTaskMemFree;
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, Process32FirstW, Process32NextW, PROCESSENTRY32W, TH32CS_SNAPPROCESS,
};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
    SetInformationJobObject, TerminateJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
};
use windows_sys::Win32::System::ProcessStatus::{K32GetProcessMemoryInfo, PROCESS_MEMORY_COUNTERS};
use windows_sys::Win32::System::Registry::{
    RegCloseKey, RegEnumKeyExW, RegEnumValueW, RegOpenKeyExW, RegQueryInfoKeyW, HKEY,
    HKEY_CLASSES_ROOT, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, HKEY_USERS, KEY_READ,
    KEY_WOW64_64KEY,
};
use windows_sys::Win32::System::Services::{
    CloseServiceHandle, OpenSCManagerW, OpenServiceW, QueryServiceStatusEx, SC_MANAGER_CONNECT,
    SC_STATUS_PROCESS_INFO, SERVICE_QUERY_STATUS, SERVICE_STATUS_PROCESS,
};
use windows_sys::Win32::System::SystemInformation::GetSystemDirectoryW;
use windows_sys::Win32::System::Threading::{
    GetCurrentProcess, OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
    PROCESS_VM_READ,
};

/// `CREATE_NO_WINDOW`: no console window flashes up per command.
const CREATE_NO_WINDOW: u32 = 0x0800_0000;
/// `E_ACCESSDENIED`.
const E_ACCESSDENIED: HRESULT = 0x8007_0005_u32 as HRESULT;

type EnumFn = unsafe extern "system" fn(PCWSTR, *mut PWSTR, *mut PWSTR) -> HRESULT;
type OpenFn = unsafe extern "system" fn(*const GUID, *mut *mut c_void, *mut PWSTR) -> HRESULT;
type QueryFn = unsafe extern "system" fn(*mut c_void, PCWSTR, *mut PWSTR, *mut PWSTR) -> HRESULT;
type CloseFn = unsafe extern "system" fn(*mut c_void) -> HRESULT;
type HnsCallFn = unsafe extern "system" fn(PCWSTR, PCWSTR, PCWSTR, *mut PWSTR) -> HRESULT;

/// The four functions of one HCN object kind.
#[derive(Clone, Copy)]
struct KindFns {
    enumerate: EnumFn,
    open: OpenFn,
    query: QueryFn,
    close: CloseFn,
}

/// `computenetwork.dll`, loaded once and kept for the life of the process.
struct HcnLib {
    _lib: Library,
    kinds: Vec<(HcnKind, KindFns)>,
}

/// `vmcompute.dll!HNSCall`.
struct HnsLib {
    _lib: Library,
    call: HnsCallFn,
}

fn load_error(dll: &str, e: &libloading::Error) -> HostError {
    // libloading wraps the OS error in a private type: read the innermost message, which ends
    // in "(os error N)".
    let mut inner = e.to_string();
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = src {
        inner = s.to_string();
        src = s.source();
    }
    let why = match inner.rsplit_once("(os error ") {
        Some((msg, code)) => format!(
            "{dll} could not be loaded ({}): {}",
            code.trim_end_matches(')'),
            msg.trim()
        ),
        None => format!("{dll} could not be loaded: {inner}"),
    };
    HostError::not_available("HNS API", why)
}

pub(crate) fn symbol<T: Copy>(lib: &Library, dll: &str, name: &str) -> Result<T, HostError> {
    let mut cname = name.as_bytes().to_vec();
    cname.push(0);
    // SAFETY: `T` is the documented signature of the named export (see the type aliases, which
    // follow the HCN / vmcompute C headers); the pointer is copied out and only used while the
    // library stays loaded (it is kept in a process-wide `OnceLock` and never unloaded).
    unsafe { lib.get::<T>(cname.as_slice()).map(|s| *s) }
        .map_err(|e| HostError::not_available("HNS API", format!("{dll} has no {name}: {e}")))
}

/// Load a DLL from System32 only: never the application folder, the current folder or `PATH`.
pub(crate) fn load_system_dll(dll: &str) -> Result<Library, HostError> {
    // SAFETY: loading a system DLL from System32 runs its DllMain; computenetwork.dll and
    // vmcompute.dll are system components with no initialisation side effects we depend on.
    unsafe { libloading::os::windows::Library::load_with_flags(dll, LOAD_LIBRARY_SEARCH_SYSTEM32) }
        .map(Library::from)
        .map_err(|e| load_error(dll, &e))
}

fn load_hcn() -> Result<HcnLib, HostError> {
    const DLL: &str = "computenetwork.dll";
    let lib = load_system_dll(DLL)?;
    let mut kinds = Vec::new();
    for kind in [
        HcnKind::Networks,
        HcnKind::Endpoints,
        HcnKind::Namespaces,
        HcnKind::LoadBalancers,
    ] {
        let o = kind.object();
        kinds.push((
            kind,
            KindFns {
                enumerate: symbol(&lib, DLL, &format!("HcnEnumerate{}", kind.plural()))?,
                open: symbol(&lib, DLL, &format!("HcnOpen{o}"))?,
                query: symbol(&lib, DLL, &format!("HcnQuery{o}Properties"))?,
                close: symbol(&lib, DLL, &format!("HcnClose{o}"))?,
            },
        ));
    }
    Ok(HcnLib { _lib: lib, kinds })
}

fn load_hns() -> Result<HnsLib, HostError> {
    const DLL: &str = "vmcompute.dll";
    let lib = load_system_dll(DLL)?;
    let call = symbol(&lib, DLL, "HNSCall")?;
    Ok(HnsLib { _lib: lib, call })
}

static HCN: OnceLock<Result<HcnLib, HostError>> = OnceLock::new();
static HNS: OnceLock<Result<HnsLib, HostError>> = OnceLock::new();

pub(crate) fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Take ownership of a string the HCN/HNS API allocated: copy it and free it.
pub(crate) fn take_string(p: PWSTR) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: `p` is a NUL-terminated UTF-16 string allocated by the API with CoTaskMemAlloc;
    // we read up to its terminator, copy it, then free it exactly once.
    unsafe {
        let mut len = 0usize;
        while *p.add(len) != 0 {
            len += 1;
        }
        let s = String::from_utf16_lossy(std::slice::from_raw_parts(p, len));
        CoTaskMemFree(p as *const c_void);
        s
    }
}

pub(crate) fn hr_error(func: &str, hr: HRESULT, result: &str) -> HostError {
    if hr == E_ACCESSDENIED {
        return HostError::AccessDenied(format!("{func}: {result}"));
    }
    let msg = std::io::Error::from_raw_os_error(hr).to_string();
    HostError::Failed {
        code: i64::from(hr as u32),
        message: format!(
            "{func} failed in Win32: {msg} (0x{:08x}) {result}",
            hr as u32
        )
        .trim_end()
        .to_string(),
    }
}

/// Kills the job (the whole process tree) at the timeout; closing it ends any leftovers.
struct JobKiller(HANDLE);

impl TreeKiller for JobKiller {
    fn kill_tree(&mut self, _child: &mut Child) {
        if !self.0.is_null() {
            // SAFETY: `self.0` is a job handle we created and still own.
            unsafe {
                TerminateJobObject(self.0, 1);
            }
        }
    }
}

impl Drop for JobKiller {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: closing our own job handle once; KILL_ON_JOB_CLOSE ends what is left.
            unsafe {
                CloseHandle(self.0);
            }
        }
    }
}

fn job_for(child: &Child) -> JobKiller {
    // SAFETY: plain Win32 calls on handles we own: a new unnamed job, its limit set from a
    // zeroed, correctly sized struct, and the child's process handle (valid while `child`
    // lives). On any failure the job is closed and a null killer returned (std's kill still
    // ends the direct child).
    unsafe {
        let job = CreateJobObjectW(std::ptr::null(), std::ptr::null());
        if job.is_null() {
            return JobKiller(std::ptr::null_mut());
        }
        let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = std::mem::zeroed();
        info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        let ok = SetInformationJobObject(
            job,
            JobObjectExtendedLimitInformation,
            (&raw const info).cast::<c_void>(),
            u32::try_from(std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>()).unwrap_or(0),
        );
        if ok == 0 || AssignProcessToJobObject(job, child.as_raw_handle() as HANDLE) == 0 {
            CloseHandle(job);
            return JobKiller(std::ptr::null_mut());
        }
        JobKiller(job)
    }
}

/// SYSTEM and BUILTIN\\Administrators full control, inherited by new files and folders
/// (`OICI`), the parent's ACEs not inherited (`P`).
const ADMIN_ONLY_SDDL: &str = "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

/// Replace the DACL of `path` with [`ADMIN_ONLY_SDDL`], protected from inheritance.
fn protect(path: &std::path::Path) -> Result<(), HostError> {
    let shown = path.display().to_string();
    let sddl = wide(ADMIN_ONLY_SDDL);
    let wpath = wide(&path.to_string_lossy());
    let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    // SAFETY: NUL-terminated SDDL; the descriptor is allocated by the API and freed with
    // LocalFree below, after the DACL pointer taken from it is no longer used.
    unsafe {
        if ConvertStringSecurityDescriptorToSecurityDescriptorW(
            sddl.as_ptr(),
            SDDL_REVISION_1,
            &mut sd,
            std::ptr::null_mut(),
        ) == 0
        {
            return Err(HostError::Failed {
                code: i64::from(std::io::Error::last_os_error().raw_os_error().unwrap_or(0)),
                message: format!("{shown}: could not build the administrators-only ACL"),
            });
        }
        let mut present = 0;
        let mut defaulted = 0;
        let mut dacl: *mut ACL = std::ptr::null_mut();
        let ok = GetSecurityDescriptorDacl(sd, &mut present, &mut dacl, &mut defaulted);
        let rc = if ok == 0 || present == 0 {
            u32::MAX
        } else {
            SetNamedSecurityInfoW(
                wpath.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                dacl,
                std::ptr::null(),
            )
        };
        LocalFree(sd);
        match rc {
            ERROR_SUCCESS => Ok(()),
            ERROR_ACCESS_DENIED => Err(HostError::AccessDenied(shown)),
            c => Err(HostError::Failed {
                code: i64::from(c),
                message: format!("{shown}: setting the administrators-only ACL failed"),
            }),
        }
    }
}

/// An open registry key, closed on drop.
struct Key(HKEY);

impl Drop for Key {
    fn drop(&mut self) {
        // SAFETY: closing a key we opened, once.
        unsafe {
            RegCloseKey(self.0);
        }
    }
}

fn read_key(path: &str) -> Result<RegistryKey, HostError> {
    let (root, sub) = split_registry_path(path)
        .ok_or_else(|| HostError::NotFound(format!("{path} (unknown registry root)")))?;
    let root = match root {
        "HKCU" => HKEY_CURRENT_USER,
        "HKU" => HKEY_USERS,
        "HKCR" => HKEY_CLASSES_ROOT,
        _ => HKEY_LOCAL_MACHINE,
    };
    let wsub = wide(sub);
    let mut h: HKEY = std::ptr::null_mut();
    // SAFETY: valid root constant, NUL-terminated sub-key, out pointer to a local; read-only access.
    let rc = unsafe { RegOpenKeyExW(root, wsub.as_ptr(), 0, KEY_READ | KEY_WOW64_64KEY, &mut h) };
    match rc {
        ERROR_SUCCESS => {}
        ERROR_FILE_NOT_FOUND => return Err(HostError::NotFound(path.to_string())),
        ERROR_ACCESS_DENIED => return Err(HostError::AccessDenied(path.to_string())),
        c => {
            return Err(HostError::Failed {
                code: i64::from(c),
                message: format!(
                    "RegOpenKeyExW {path}: {}",
                    std::io::Error::from_raw_os_error(c as i32)
                ),
            })
        }
    }
    let key = Key(h);
    let (mut nsub, mut maxsub, mut nval, mut maxname, mut maxdata) = (0u32, 0u32, 0u32, 0u32, 0u32);
    // SAFETY: `key.0` is open; all out pointers point to locals; unused outputs are null.
    let rc = unsafe {
        RegQueryInfoKeyW(
            key.0,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null(),
            &mut nsub,
            &mut maxsub,
            std::ptr::null_mut(),
            &mut nval,
            &mut maxname,
            &mut maxdata,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    if rc != ERROR_SUCCESS {
        return Err(HostError::Failed {
            code: i64::from(rc),
            message: format!("RegQueryInfoKeyW {path}"),
        });
    }
    let mut out = RegistryKey {
        path: path.to_string(),
        ..RegistryKey::default()
    };
    for i in 0..nval {
        let mut name = vec![0u16; maxname as usize + 2];
        let mut name_len = u32::try_from(name.len()).unwrap_or(0);
        let mut data = vec![0u8; maxdata as usize + 2];
        let mut data_len = u32::try_from(data.len()).unwrap_or(0);
        let mut t = 0u32;
        // SAFETY: buffers sized from RegQueryInfoKeyW plus slack, lengths passed in/out.
        let rc = unsafe {
            RegEnumValueW(
                key.0,
                i,
                name.as_mut_ptr(),
                &mut name_len,
                std::ptr::null(),
                &mut t,
                data.as_mut_ptr(),
                &mut data_len,
            )
        };
        if rc != ERROR_SUCCESS {
            continue; // changed under us or too large: skip this value
        }
        let n = String::from_utf16_lossy(&name[..(name_len as usize).min(name.len())]);
        let d = &data[..(data_len as usize).min(data.len())];
        out.values.push(RegistryValue {
            name: n,
            kind: reg_type_name(t).to_string(),
            data: reg_value_json(t, d),
        });
    }
    for i in 0..nsub {
        let mut name = vec![0u16; maxsub as usize + 2];
        let mut len = u32::try_from(name.len()).unwrap_or(0);
        // SAFETY: buffer sized from RegQueryInfoKeyW plus slack; class/time outputs unused.
        let rc = unsafe {
            RegEnumKeyExW(
                key.0,
                i,
                name.as_mut_ptr(),
                &mut len,
                std::ptr::null(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        if rc == ERROR_SUCCESS {
            out.subkeys.push(String::from_utf16_lossy(
                &name[..(len as usize).min(name.len())],
            ));
        }
    }
    Ok(out)
}

fn service_pid(name: &str) -> Option<u32> {
    let wname = wide(name);
    // SAFETY: SCM handles are opened with connect/query rights only and closed before return;
    // the status buffer is a correctly sized local struct.
    unsafe {
        let scm = OpenSCManagerW(std::ptr::null(), std::ptr::null(), SC_MANAGER_CONNECT);
        if scm.is_null() {
            return None;
        }
        let svc = OpenServiceW(scm, wname.as_ptr(), SERVICE_QUERY_STATUS);
        let mut pid = None;
        if !svc.is_null() {
            let mut st: SERVICE_STATUS_PROCESS = std::mem::zeroed();
            let mut needed = 0u32;
            let size = u32::try_from(std::mem::size_of::<SERVICE_STATUS_PROCESS>()).unwrap_or(0);
            if QueryServiceStatusEx(
                svc,
                SC_STATUS_PROCESS_INFO,
                (&raw mut st).cast::<u8>(),
                size,
                &mut needed,
            ) != 0
                && st.dwProcessId != 0
            {
                pid = Some(st.dwProcessId);
            }
            CloseServiceHandle(svc);
        }
        CloseServiceHandle(scm);
        pid
    }
}

fn working_set(pid: u32) -> Option<u64> {
    // SAFETY: query-only process handle, closed before return; counters struct sized correctly.
    unsafe {
        let h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, 0, pid);
        if h.is_null() {
            return None;
        }
        let mut c: PROCESS_MEMORY_COUNTERS = std::mem::zeroed();
        let size = u32::try_from(std::mem::size_of::<PROCESS_MEMORY_COUNTERS>()).unwrap_or(0);
        c.cb = size;
        let ok = K32GetProcessMemoryInfo(h, &mut c, size);
        CloseHandle(h);
        (ok != 0).then_some(c.WorkingSetSize as u64)
    }
}

fn snapshot() -> Result<Vec<RunningProcess>, HostError> {
    let mut out = Vec::new();
    // SAFETY: a process snapshot handle we own and close; the entry struct has dwSize set as the
    // API requires; the image name is read up to its NUL within the fixed array.
    unsafe {
        let snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
        if snap == INVALID_HANDLE_VALUE || snap.is_null() {
            return Err(HostError::Failed {
                code: i64::from(std::io::Error::last_os_error().raw_os_error().unwrap_or(0)),
                message: "CreateToolhelp32Snapshot failed".into(),
            });
        }
        let mut e: PROCESSENTRY32W = std::mem::zeroed();
        e.dwSize = u32::try_from(std::mem::size_of::<PROCESSENTRY32W>()).unwrap_or(0);
        let mut more = Process32FirstW(snap, &mut e) != 0;
        while more {
            let n = e
                .szExeFile
                .iter()
                .position(|c| *c == 0)
                .unwrap_or(e.szExeFile.len());
            out.push(RunningProcess {
                pid: e.th32ProcessID,
                name: String::from_utf16_lossy(&e.szExeFile[..n]),
                threads: e.cntThreads,
                working_set_bytes: None,
            });
            more = Process32NextW(snap, &mut e) != 0;
        }
        CloseHandle(snap);
    }
    Ok(out)
}

/// The real Windows host.
#[derive(Debug, Default)]
pub(crate) struct WindowsHost;

impl WindowsHost {
    /// A new host; DLLs load lazily on first use.
    pub(crate) fn new() -> Self {
        Self
    }

    fn hcn(&self) -> Result<&'static HcnLib, HostError> {
        HCN.get_or_init(load_hcn).as_ref().map_err(Clone::clone)
    }

    fn hns(&self) -> Result<&'static HnsLib, HostError> {
        HNS.get_or_init(load_hns).as_ref().map_err(Clone::clone)
    }
}

impl Host for WindowsHost {
    fn run(&self, req: &CommandRequest) -> Result<CommandOutput, HostError> {
        let mut cmd = Command::new(&req.program);
        cmd.args(&req.args).creation_flags(CREATE_NO_WINDOW);
        run_with(cmd, req, |child: &Child| Box::new(job_for(child)))
    }

    fn hcn_list(&self, kind: HcnKind, query: HcnQuery) -> Result<String, HostError> {
        let lib = self.hcn()?;
        let f = lib
            .kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                HostError::not_available("HNS API", format!("no functions for {kind:?}"))
            })?;
        let q = wide(&query.to_json());
        let mut ids: PWSTR = std::ptr::null_mut();
        let mut result: PWSTR = std::ptr::null_mut();
        // SAFETY: documented signature; query is NUL-terminated; both out strings are taken
        // (and freed) right after.
        let hr = unsafe { (f.enumerate)(q.as_ptr(), &mut ids, &mut result) };
        let ids = take_string(ids);
        let result = take_string(result);
        let enum_name = format!("HcnEnumerate{}", kind.plural());
        if hr < 0 {
            return Err(hr_error(&enum_name, hr, &result));
        }
        let ids: Vec<String> = serde_json::from_str::<Option<Vec<String>>>(&ids)
            .map_err(|e| HostError::Failed {
                code: 0,
                message: format!("{enum_name} returned unreadable JSON: {e}"),
            })?
            .unwrap_or_default();
        let mut objects = Vec::with_capacity(ids.len());
        for id in ids {
            let Some((d1, d2, d3, d4)) = parse_guid(&id) else {
                objects.push(serde_json::json!({ "Id": id, "hnsdoctor_error": "not a GUID" }));
                continue;
            };
            let guid = GUID {
                data1: d1,
                data2: d2,
                data3: d3,
                data4: d4,
            };
            let mut handle: *mut c_void = std::ptr::null_mut();
            let mut res: PWSTR = std::ptr::null_mut();
            // SAFETY: documented signature; GUID and out pointers are locals.
            let hr = unsafe { (f.open)(&guid, &mut handle, &mut res) };
            let res = take_string(res);
            if hr < 0 {
                // Deleted between enumeration and open: record and go on.
                objects.push(serde_json::json!({
                    "Id": id, "hnsdoctor_error": hr_error(&format!("HcnOpen{}", kind.object()), hr, &res).to_string()
                }));
                continue;
            }
            let mut props: PWSTR = std::ptr::null_mut();
            let mut res: PWSTR = std::ptr::null_mut();
            // SAFETY: `handle` was just opened; query is NUL-terminated; outputs taken below.
            let hr = unsafe { (f.query)(handle, q.as_ptr(), &mut props, &mut res) };
            // SAFETY: closing the handle opened above, once.
            unsafe {
                (f.close)(handle);
            }
            let props = take_string(props);
            let res = take_string(res);
            if hr < 0 {
                objects.push(serde_json::json!({
                    "Id": id,
                    "hnsdoctor_error": hr_error(&format!("HcnQuery{}Properties", kind.object()), hr, &res).to_string()
                }));
                continue;
            }
            match serde_json::from_str::<serde_json::Value>(&props) {
                Ok(v) => objects.push(v),
                Err(_) => objects.push(serde_json::json!({ "Id": id, "hnsdoctor_raw": props })),
            }
        }
        serde_json::to_string_pretty(&objects).map_err(|e| HostError::Io(e.to_string()))
    }

    fn hns_call(&self, method: &str, path: &str, body: &str) -> Result<String, HostError> {
        let lib = self.hns()?;
        let (m, p, b) = (wide(method), wide(path), wide(body));
        let mut resp: PWSTR = std::ptr::null_mut();
        // SAFETY: documented HNSCall signature; all inputs NUL-terminated; response taken below.
        let hr = unsafe { (lib.call)(m.as_ptr(), p.as_ptr(), b.as_ptr(), &mut resp) };
        let resp = take_string(resp);
        if hr < 0 {
            return Err(hr_error(&format!("HNSCall {method} {path}"), hr, &resp));
        }
        Ok(resp)
    }

    fn registry_key(&self, path: &str) -> Result<RegistryKey, HostError> {
        read_key(path)
    }

    fn read_file(&self, path: &str, max_bytes: u64) -> Result<FileData, HostError> {
        crate::files::read_tail(path, max_bytes)
    }

    fn glob(&self, pattern: &str) -> Result<Vec<FoundFile>, HostError> {
        Ok(crate::glob::fs_glob(pattern))
    }

    fn metadata(&self, path: &str) -> Result<FileMeta, HostError> {
        crate::files::metadata(path)
    }

    fn open_file(
        &self,
        path: &str,
        max_bytes: u64,
    ) -> Result<(Box<dyn std::io::Read + Send>, FileData), HostError> {
        crate::files::open_tail(path, max_bytes)
    }

    fn restrict_to_admins(&self, path: &std::path::Path) -> Result<(), HostError> {
        protect(path)
    }

    fn code_pages(&self) -> Option<CodePages> {
        // SAFETY: plain queries without arguments.
        let (oem, ansi) = unsafe { (GetOEMCP(), GetACP()) };
        Some(CodePages { oem, ansi })
    }

    fn known_folders(&self) -> Option<KnownFolders> {
        let mut buf = vec![0u16; 520];
        // SAFETY: the buffer and its length in characters are passed together.
        let n =
            unsafe { GetSystemDirectoryW(buf.as_mut_ptr(), u32::try_from(buf.len()).unwrap_or(0)) };
        let n = usize::try_from(n).unwrap_or(0);
        if n == 0 || n >= buf.len() {
            return None;
        }
        let system32 = String::from_utf16_lossy(&buf[..n]);
        let windows = system32
            .rsplit_once('\\')
            .map_or_else(|| r"C:\Windows".to_string(), |(w, _)| w.to_string());
        let drive = windows.get(..2).unwrap_or("C:").to_string();
        let env = |k: &str, d: String| std::env::var(k).ok().filter(|v| !v.is_empty()).unwrap_or(d);
        Some(KnownFolders {
            system32,
            program_files: env(
                "ProgramW6432",
                env("ProgramFiles", format!(r"{drive}\Program Files")),
            ),
            program_data: env("ProgramData", format!(r"{drive}\ProgramData")),
        })
    }

    fn is_admin(&self) -> bool {
        // SAFETY: query-only token of our own process, closed before return; the elevation
        // struct is a correctly sized local.
        unsafe {
            let mut tok: HANDLE = std::ptr::null_mut();
            if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut tok) == 0 {
                return false;
            }
            let mut e: TOKEN_ELEVATION = std::mem::zeroed();
            let mut ret = 0u32;
            let size = u32::try_from(std::mem::size_of::<TOKEN_ELEVATION>()).unwrap_or(0);
            let ok = GetTokenInformation(
                tok,
                TokenElevation,
                (&raw mut e).cast::<c_void>(),
                size,
                &mut ret,
            );
            CloseHandle(tok);
            ok != 0 && e.TokenIsElevated != 0
        }
    }

    fn host_name(&self) -> String {
        std::env::var("COMPUTERNAME")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "localhost".into())
    }

    fn os_version(&self) -> Result<OsVersion, HostError> {
        read_key(r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion").map(|k| os_from_registry(&k))
    }

    fn processes(&self, name: &str) -> Result<Vec<RunningProcess>, HostError> {
        let all = snapshot()?;
        let mut found: Vec<RunningProcess> = if std::path::Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("exe"))
        {
            all.into_iter()
                .filter(|p| p.name.eq_ignore_ascii_case(name))
                .collect()
        } else {
            match service_pid(name) {
                Some(pid) => all.into_iter().filter(|p| p.pid == pid).collect(),
                None => Vec::new(),
            }
        };
        for p in &mut found {
            p.working_set_bytes = working_set(p.pid);
        }
        Ok(found)
    }
}
