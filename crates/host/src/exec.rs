//! Running a child process with a timeout, a stdout tail cap and a stderr excerpt. Shared by the
//! Windows and local hosts; each supplies how to kill the whole process tree (a Job Object on
//! Windows, a process group elsewhere).

use crate::{CommandOutput, CommandRequest, HostError, STDERR_EXCERPT};
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;
use wait_timeout::ChildExt;

/// Kills a child and everything it started.
pub(crate) trait TreeKiller {
    /// Kill the tree; called once at the timeout.
    fn kill_tree(&mut self, child: &mut Child);
}

/// How long to wait for the output pipes to close after the process ended or was killed.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// Read a stream to its end, keeping at most `max` bytes (the tail); returns (tail, total).
fn read_tail(mut r: impl Read, max: usize) -> (Vec<u8>, u64) {
    let mut kept: Vec<u8> = Vec::new();
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                total += n as u64;
                kept.extend_from_slice(&buf[..n]);
                // Trim lazily so a long stream costs amortised O(n).
                if kept.len() > max.saturating_mul(2).max(64 * 1024) {
                    let cut = kept.len() - max;
                    kept.drain(..cut);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    if kept.len() > max {
        let cut = kept.len() - max;
        kept.drain(..cut);
    }
    (kept, total)
}

/// Spawn `cmd` (stdio is set here), wait up to `req.timeout`, kill the tree at the timeout.
pub(crate) fn run_with(
    mut cmd: Command,
    req: &CommandRequest,
    make_killer: impl FnOnce(&Child) -> Box<dyn TreeKiller>,
) -> Result<CommandOutput, HostError> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            HostError::not_available(&req.program, "program not found on this host")
        }
        std::io::ErrorKind::PermissionDenied => HostError::AccessDenied(req.program.clone()),
        _ => HostError::Io(format!("{}: {e}", req.program)),
    })?;
    let mut killer = make_killer(&child);
    let max = usize::try_from(req.max_bytes).unwrap_or(usize::MAX);
    let (otx, orx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        thread::spawn(move || {
            let _ = otx.send(read_tail(out, max));
        });
    }
    let (etx, erx) = mpsc::channel();
    if let Some(err) = child.stderr.take() {
        thread::spawn(move || {
            let _ = etx.send(read_tail(err, STDERR_EXCERPT));
        });
    }
    let status = child
        .wait_timeout(req.timeout)
        .map_err(|e| HostError::Io(format!("waiting for {}: {e}", req.program)))?;
    let (exit_code, timed_out) = match status {
        Some(s) => (s.code().map(i64::from), false),
        None => {
            killer.kill_tree(&mut child);
            let _ = child.kill();
            let _ = child.wait();
            (None, true)
        }
    };
    drop(killer);
    let (stdout, total) = orx.recv_timeout(DRAIN_GRACE).unwrap_or_default();
    let (stderr, _) = erx.recv_timeout(DRAIN_GRACE).unwrap_or_default();
    Ok(CommandOutput {
        truncated: total > stdout.len() as u64,
        stdout,
        stderr: String::from_utf8_lossy(&stderr).trim().to_string(),
        exit_code,
        timed_out,
        total_bytes: total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_tail_keeps_last_bytes_and_counts_all() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let (kept, total) = read_tail(&data[..], 1000);
        assert_eq!(total, 200_000);
        assert_eq!(kept.len(), 1000);
        assert_eq!(&kept[..], &data[data.len() - 1000..]);
    }

    #[test]
    fn read_tail_short_input_is_whole() {
        let (kept, total) = read_tail(&b"abc"[..], 1000);
        assert_eq!(kept, b"abc");
        assert_eq!(total, 3);
    }
}
