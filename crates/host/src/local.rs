//! The non-Windows real host: lets `hnsdoctor collect` run on Linux (and in CI). Commands run for
//! real, each in its own process group so a timeout kills the whole tree; files are read from the
//! local disk; every Windows-only facility (HNS, registry, event log) reports
//! [`HostError::NotAvailable`], so the bundle records those sources as `failed`.

use crate::exec::{run_with, TreeKiller};
use crate::{
    CommandOutput, CommandRequest, FileData, FileMeta, FoundFile, HcnKind, HcnQuery, Host,
    HostError, OsVersion, RegistryKey, RunningProcess,
};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

/// The real host on a non-Windows system.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalHost;

impl LocalHost {
    /// A new local host.
    #[must_use]
    pub fn new() -> Self {
        Self
    }
}

/// Kills the child's process group (the child leads its own group).
struct GroupKiller(u32);

impl TreeKiller for GroupKiller {
    fn kill_tree(&mut self, _child: &mut Child) {
        // `kill -KILL -- -<pgid>` signals the whole group; no unsafe code needed.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0)])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}

fn not_windows(what: &str) -> HostError {
    HostError::not_available(what, "not a Windows host")
}

/// The value of a `Key:   value` line in a /proc status file.
fn proc_field(status: &str, key: &str) -> Option<String> {
    status.lines().find_map(|l| {
        l.strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .map(|v| v.trim().to_string())
    })
}

impl Host for LocalHost {
    fn run(&self, req: &CommandRequest) -> Result<CommandOutput, HostError> {
        let mut cmd = Command::new(&req.program);
        cmd.args(&req.args).process_group(0);
        run_with(cmd, req, |child: &Child| Box::new(GroupKiller(child.id())))
    }

    fn hcn_list(&self, _kind: HcnKind, _query: HcnQuery) -> Result<String, HostError> {
        Err(HostError::not_available(
            "HNS API",
            "computenetwork.dll could not be loaded (not a Windows host)",
        ))
    }

    fn hns_call(&self, _method: &str, _path: &str, _body: &str) -> Result<String, HostError> {
        Err(HostError::not_available(
            "HNS API",
            "vmcompute.dll could not be loaded (not a Windows host)",
        ))
    }

    fn registry_key(&self, _path: &str) -> Result<RegistryKey, HostError> {
        Err(not_windows("registry"))
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
        // The POSIX counterpart of "SYSTEM and Administrators only": the owner alone.
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { 0o700 } else { 0o600 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| HostError::from_io(&path.to_string_lossy(), &e))
    }

    fn is_admin(&self) -> bool {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| proc_field(&s, "Uid"))
            .and_then(|uids| uids.split_whitespace().nth(1).map(|e| e == "0"))
            .unwrap_or(false)
    }

    fn host_name(&self) -> String {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .or_else(|_| std::fs::read_to_string("/etc/hostname"))
            .map(|s| s.trim().to_string())
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_else(|| "localhost".to_string())
    }

    fn os_version(&self) -> Result<OsVersion, HostError> {
        Err(not_windows("Windows version"))
    }

    fn processes(&self, name: &str) -> Result<Vec<RunningProcess>, HostError> {
        let rd = std::fs::read_dir("/proc").map_err(|e| HostError::from_io("/proc", &e))?;
        let mut out = Vec::new();
        for e in rd.flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(status) = std::fs::read_to_string(e.path().join("status")) else {
                continue;
            };
            let pname = proc_field(&status, "Name").unwrap_or_default();
            if !pname.eq_ignore_ascii_case(name) {
                continue;
            }
            let threads = proc_field(&status, "Threads")
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let working_set_bytes = proc_field(&status, "VmRSS")
                .and_then(|v| {
                    v.split_whitespace()
                        .next()
                        .and_then(|k| k.parse::<u64>().ok())
                })
                .map(|kb| kb * 1024);
            out.push(RunningProcess {
                pid,
                name: pname,
                threads,
                working_set_bytes,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn runs_a_command_and_captures_output() {
        let h = LocalHost::new();
        let req = CommandRequest::new(
            "sh",
            &["-c", "echo out; echo err >&2; exit 3"],
            Duration::from_secs(10),
            1024,
        );
        let o = h.run(&req).unwrap();
        assert_eq!(o.stdout, b"out\n");
        assert_eq!(o.stderr, "err");
        assert_eq!(o.exit_code, Some(3));
        assert!(!o.timed_out);
    }

    #[test]
    fn timeout_kills_the_tree() {
        let h = LocalHost::new();
        // The grandchild `sleep` holds the pipe open; only a tree kill lets us return promptly.
        let req = CommandRequest::new(
            "sh",
            &["-c", "echo early; sleep 30 & sleep 30"],
            Duration::from_millis(200),
            1024,
        );
        let start = Instant::now();
        let o = h.run(&req).unwrap();
        assert!(o.timed_out);
        assert_eq!(o.exit_code, None);
        assert_eq!(o.stdout, b"early\n");
        // generous sanity bound: far below the 30 s the tree would otherwise live
        assert!(start.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn output_is_tail_capped() {
        let h = LocalHost::new();
        let req = CommandRequest::new("sh", &["-c", "seq 1 100000"], Duration::from_secs(10), 100);
        let o = h.run(&req).unwrap();
        assert!(o.truncated);
        assert_eq!(o.stdout.len(), 100);
        assert!(o.stdout.ends_with(b"100000\n"));
        assert!(o.total_bytes > 100);
    }

    #[test]
    fn missing_program_and_hns_are_not_available() {
        let h = LocalHost::new();
        let req = CommandRequest::new(
            "definitely-not-a-program-xyz",
            &[],
            Duration::from_secs(1),
            10,
        );
        assert!(matches!(h.run(&req), Err(HostError::NotAvailable { .. })));
        let e = h
            .hcn_list(HcnKind::Networks, HcnQuery::V2_DETAILED)
            .unwrap_err();
        assert!(e.to_string().starts_with("HNS API not available"));
        assert!(!h.host_name().is_empty());
    }

    /// Fault 2 at the process level: removed variables are gone in the child, set ones are set.
    #[test]
    fn environment_changes_reach_the_child() {
        let mut req = CommandRequest::new(
            "sh",
            &["-c", "printf '%s|%s' \"${HOME-unset}\" \"$HNSDOCTOR_X\""],
            Duration::from_secs(10),
            1 << 20,
        );
        req.env_remove = vec!["HOME".into()];
        req.env = vec![("HNSDOCTOR_X".into(), "1".into())];
        let o = LocalHost::new().run(&req).unwrap();
        assert_eq!(String::from_utf8_lossy(&o.stdout), "unset|1");
    }

    #[test]
    fn stdout_streams_into_a_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("out.txt");
        let mut req =
            CommandRequest::new("sh", &["-c", "seq 1 100000"], Duration::from_secs(10), 100);
        req.stdout_file = Some(p.clone());
        let o = LocalHost::new().run(&req).unwrap();
        assert!(o.stdout.is_empty());
        assert!(o.truncated);
        assert_eq!(std::fs::read_to_string(&p).unwrap().len(), 100);
        assert!(std::fs::read_to_string(&p).unwrap().ends_with("100000\n"));
    }
}
