//! Running a child process with a timeout, a stdout tail cap and a stderr excerpt. Shared by the
//! Windows and local hosts; each supplies how to kill the whole process tree (a Job Object on
//! Windows, a process group elsewhere).

use crate::{CommandOutput, CommandRequest, HostError, Keep, STDERR_EXCERPT};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
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

/// Read a stream to its end, keeping the first `max` bytes; returns (head, total).
fn read_head(mut r: impl Read, max: usize) -> (Vec<u8>, u64) {
    let mut kept: Vec<u8> = Vec::new();
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                total += n as u64;
                let room = max.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(&buf[..room]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    (kept, total)
}

/// Stream `r` into the file `path`, keeping at most `max` bytes (the head or the tail) and
/// never more than one 64 KiB buffer in memory. The tail is kept with two files used in turn
/// (each at most `max` bytes) and joined at the end. Returns the total bytes seen.
pub(crate) fn stream_to_file(
    mut r: impl Read,
    max: u64,
    keep: Keep,
    path: &Path,
) -> std::io::Result<u64> {
    if keep == Keep::Tail && max <= SMALL_TAIL {
        // A small tail is cheaper kept in memory (bounded by twice the cap) than rotated
        // through files every `max` bytes.
        let (kept, total) = read_tail(r, usize::try_from(max).unwrap_or(usize::MAX));
        std::fs::write(path, kept)?;
        return Ok(total);
    }
    let mut buf = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    let alt = sibling(path, ".rot");
    let mut cur = File::create(path)?;
    let mut cur_is_main = true;
    let mut cur_len: u64 = 0;
    let mut prev_len: u64 = 0;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        total += n as u64;
        let mut chunk = &buf[..n];
        while !chunk.is_empty() && max > 0 {
            if cur_len >= max {
                if keep == Keep::Head {
                    break;
                }
                // Rotate: the full file becomes the previous one, the other is reused.
                cur.flush()?;
                cur_is_main = !cur_is_main;
                cur = File::create(if cur_is_main { path } else { &alt })?;
                prev_len = cur_len;
                cur_len = 0;
            }
            let room = usize::try_from(max - cur_len).unwrap_or(usize::MAX);
            let take = room.min(chunk.len());
            cur.write_all(&chunk[..take])?;
            cur_len += take as u64;
            chunk = &chunk[take..];
        }
    }
    cur.flush()?;
    drop(cur);
    let need_prev = max.saturating_sub(cur_len).min(prev_len);
    if need_prev == 0 {
        if !cur_is_main {
            std::fs::rename(&alt, path)?;
        } else {
            let _ = std::fs::remove_file(&alt);
        }
        return Ok(total);
    }
    // Join the end of the previous file and the whole current one.
    let (prev_p, cur_p) = if cur_is_main {
        (alt.clone(), path.to_path_buf())
    } else {
        (path.to_path_buf(), alt.clone())
    };
    let joined = sibling(path, ".join");
    {
        let mut out = File::create(&joined)?;
        let mut p = File::open(&prev_p)?;
        p.seek(SeekFrom::Start(prev_len - need_prev))?;
        std::io::copy(&mut p, &mut out)?;
        std::io::copy(&mut File::open(&cur_p)?, &mut out)?;
        out.flush()?;
    }
    let _ = std::fs::remove_file(&alt);
    std::fs::rename(&joined, path)?;
    Ok(total)
}

/// Tails up to this size are kept in memory rather than rotated through two files.
const SMALL_TAIL: u64 = 4 * 1024 * 1024;

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Spawn `cmd` (stdio is set here), wait up to `req.timeout`, kill the tree at the timeout.
pub(crate) fn run_with(
    mut cmd: Command,
    req: &CommandRequest,
    make_killer: impl FnOnce(&Child) -> Box<dyn TreeKiller>,
) -> Result<CommandOutput, HostError> {
    for k in &req.env_remove {
        cmd.env_remove(k);
    }
    for (k, v) in &req.env {
        cmd.env(k, v);
    }
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
        let keep = req.keep;
        let file = req.stdout_file.clone();
        let cap = req.max_bytes;
        thread::spawn(move || {
            let r = match (file, keep) {
                (Some(p), k) => match stream_to_file(out, cap, k, &p) {
                    Ok(total) => (
                        Vec::new(),
                        total,
                        std::fs::metadata(&p).map_or(0, |m| m.len()),
                        None,
                    ),
                    Err(e) => (Vec::new(), 0, 0, Some(format!("{}: {e}", p.display()))),
                },
                (None, Keep::Tail) => {
                    let (b, t) = read_tail(out, max);
                    let n = b.len() as u64;
                    (b, t, n, None)
                }
                (None, Keep::Head) => {
                    let (b, t) = read_head(out, max);
                    let n = b.len() as u64;
                    (b, t, n, None)
                }
            };
            let _ = otx.send(r);
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
    let (stdout, total, kept, write_err) = orx.recv_timeout(DRAIN_GRACE).unwrap_or_default();
    let (stderr, _) = erx.recv_timeout(DRAIN_GRACE).unwrap_or_default();
    if let Some(e) = write_err {
        return Err(HostError::Io(format!(
            "writing the output of {}: {e}",
            req.program
        )));
    }
    Ok(CommandOutput {
        truncated: total > kept,
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
    fn read_head_keeps_first_bytes() {
        let (kept, total) = read_head(&b"0123456789"[..], 4);
        assert_eq!(kept, b"0123");
        assert_eq!(total, 10);
    }

    fn streamed(data: &[u8], max: u64, keep: Keep) -> (Vec<u8>, u64) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("out.txt");
        let total = stream_to_file(data, max, keep, &p).unwrap();
        let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "helper files are removed");
        (std::fs::read(&p).unwrap(), total)
    }

    #[test]
    fn stream_to_file_keeps_head_or_tail_exactly() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        for max in [0u64, 1000, 65_536, 100_000, 299_999, 300_000, 1 << 20] {
            // Both tail strategies: in memory (small caps) and rotating files (`big`).
            let big: Vec<u8> = (0..(SMALL_TAIL as usize + max as usize * 3))
                .map(|i| (i % 253) as u8)
                .collect();
            let mb = usize::try_from(max).unwrap() + SMALL_TAIL as usize + 1;
            let (tail, total) = streamed(&big, mb as u64, Keep::Tail);
            assert_eq!(total, big.len() as u64);
            assert_eq!(
                tail,
                &big[big.len() - mb.min(big.len())..],
                "rotated tail, max {mb}"
            );
            let m = usize::try_from(max).unwrap().min(data.len());
            let (tail, total) = streamed(&data, max, Keep::Tail);
            assert_eq!(total, 300_000);
            assert_eq!(tail, &data[data.len() - m..], "tail, max {max}");
            let (head, _) = streamed(&data, max, Keep::Head);
            assert_eq!(head, &data[..m], "head, max {max}");
        }
    }

    #[test]
    fn read_tail_short_input_is_whole() {
        let (kept, total) = read_tail(&b"abc"[..], 1000);
        assert_eq!(kept, b"abc");
        assert_eq!(total, 3);
    }
}
