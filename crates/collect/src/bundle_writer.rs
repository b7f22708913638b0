//! The bundle writer: outputs go into a temporary folder beside the final one
//! (`.<name>.partial`), `manifest.json` is written last, and only then is the folder renamed to
//! its final name `hnsdoctor-<host>-<UTC yyyymmddThhmmssZ>-<random 6>` (or `--out`) — so a
//! folder with the final name is always complete. The `.zip` is written as `<name>.zip.tmp` and
//! renamed too. Raw outputs are kept byte for byte as produced.

use crate::runner::{Collected, Output};
use hnsdoctor_bundle::manifest::{FileRecord, Manifest, SourceRecord, SourceStatus, MANIFEST_NAME};
use sha2::{Digest, Sha256};
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a bundle could not be written.
#[derive(Debug, Error)]
pub enum BundleError {
    /// The `--out` folder exists and is not empty.
    #[error("{0} already exists and is not empty")]
    Exists(PathBuf),
    /// I/O on a bundle path.
    #[error("{path}: {source}")]
    Io {
        /// Where.
        path: PathBuf,
        /// What.
        source: std::io::Error,
    },
    /// Zip writing failed.
    #[error("writing {path}: {message}")]
    Zip {
        /// The zip path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BundleError + '_ {
    move |source| BundleError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where the finished bundle is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundlePaths {
    /// The bundle folder.
    pub dir: PathBuf,
    /// The zip, unless `--no-zip`.
    pub zip: Option<PathBuf>,
}

/// Lower-case hex SHA-256.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d.iter() {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// SHA-256 (lower-case hex) and length of a file, read in 64 KiB pieces.
pub fn sha256_file(path: &Path) -> Result<(String, u64), BundleError> {
    use std::fmt::Write as _;
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(io(path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut len = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(io(path))?;
        if n == 0 {
            break;
        }
        len += n as u64;
        h.update(&buf[..n]);
    }
    let mut s = String::with_capacity(64);
    for b in h.finalize().iter() {
        let _ = write!(s, "{b:02x}");
    }
    Ok((s, len))
}

/// Six random lower-case base-36 characters (from the std hasher's per-process random keys,
/// the clock and the pid — no extra crate).
#[must_use]
pub fn random6() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.write_u32(std::process::id());
    let mut v = h.finish();
    let mut s = String::new();
    for _ in 0..6 {
        let d = u32::try_from(v % 36).unwrap_or(0);
        s.push(char::from_digit(d, 36).unwrap_or('0'));
        v /= 36;
    }
    s
}

/// `hnsdoctor-<host>-<yyyymmddThhmmssZ>-<random6>`, the host name reduced to `[A-Za-z0-9_-]`.
#[must_use]
pub fn bundle_name(host: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    let h: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(63)
        .collect();
    let h = if h.is_empty() { "host".to_string() } else { h };
    format!(
        "hnsdoctor-{h}-{}-{}",
        at.format("%Y%m%dT%H%M%SZ"),
        random6()
    )
}

/// Writes one bundle. Dropping it unfinished removes the temporary folder.
pub struct BundleWriter {
    final_dir: PathBuf,
    staging: PathBuf,
    finished: bool,
    host: Option<std::sync::Arc<dyn hnsdoctor_host::Host>>,
}

impl std::fmt::Debug for BundleWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundleWriter")
            .field("final_dir", &self.final_dir)
            .field("staging", &self.staging)
            .field("finished", &self.finished)
            .field("acl", &self.host.is_some())
            .finish()
    }
}

fn acl_error(path: &Path, e: &hnsdoctor_host::HostError) -> BundleError {
    BundleError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(format!(
            "could not restrict access to SYSTEM and Administrators: {e}"
        )),
    }
}

impl BundleWriter {
    /// Prepare a bundle: `out` is the exact final folder (must not exist or be empty); without
    /// it the folder is `parent/<bundle_name>`.
    pub fn create(
        out: Option<&Path>,
        parent: &Path,
        host: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Self, BundleError> {
        let final_dir = match out {
            Some(o) => o.to_path_buf(),
            None => parent.join(bundle_name(host, at)),
        };
        if final_dir.exists() {
            let empty = std::fs::read_dir(&final_dir)
                .map_err(io(&final_dir))?
                .next()
                .is_none();
            if !empty {
                return Err(BundleError::Exists(final_dir));
            }
        }
        let dir_parent = final_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&dir_parent).map_err(io(&dir_parent))?;
        let base = final_dir
            .file_name()
            .map_or_else(|| "bundle".into(), |n| n.to_string_lossy().into_owned());
        let staging = dir_parent.join(format!(".{base}.{}.partial", random6()));
        std::fs::create_dir_all(&staging).map_err(io(&staging))?;
        Ok(Self {
            final_dir,
            staging,
            finished: false,
            host: None,
        })
    }

    /// Restrict the bundle to SYSTEM and Administrators through `host` (before any output is
    /// written; files created inside inherit it), and the zip the same way when it is made.
    /// An ACL that cannot be set stops the collection: the bundle would be readable by every
    /// local user.
    pub fn restrict_to_admins(
        mut self,
        host: std::sync::Arc<dyn hnsdoctor_host::Host>,
    ) -> Result<Self, BundleError> {
        host.restrict_to_admins(&self.staging)
            .map_err(|e| acl_error(&self.staging, &e))?;
        self.host = Some(host);
        Ok(self)
    }

    /// The temporary folder outputs go to.
    #[must_use]
    pub fn staging_dir(&self) -> &Path {
        &self.staging
    }

    /// The folder the bundle will have once finished.
    #[must_use]
    pub fn final_dir(&self) -> &Path {
        &self.final_dir
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), BundleError> {
        let safe: Vec<&str> = rel
            .split('/')
            .filter(|s| !s.is_empty() && *s != "." && *s != "..")
            .collect();
        let mut p = self.staging.clone();
        for s in &safe {
            p.push(s);
        }
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).map_err(io(d))?;
        }
        std::fs::write(&p, bytes).map_err(io(&p))
    }

    /// Write a source's output and return its manifest record. A write error turns the record
    /// into `failed` with the error text; it never aborts the run.
    pub fn write(&mut self, c: Collected) -> SourceRecord {
        let s = c.source;
        let mut rec = SourceRecord {
            id: s.id.to_string(),
            status: c.status,
            via: s.via.describe(),
            parser: s.parser().id().map(str::to_string),
            path: None,
            exit_code: c.exit_code,
            duration_ms: u64::try_from(c.duration.as_millis()).unwrap_or(u64::MAX),
            bytes: 0,
            truncated: c.truncated,
            sha256: None,
            error: c.error,
            files: Vec::new(),
            encoding: c.encoding.map(str::to_string),
            withheld: c.withheld,
            redacted: c.redacted,
        };
        let fail = |rec: &mut SourceRecord, e: BundleError| {
            rec.status = SourceStatus::Failed;
            let prev = rec.error.take();
            rec.error = Some(match prev {
                Some(p) => format!("{p}; could not write output: {e}"),
                None => format!("could not write output: {e}"),
            });
        };
        match c.output {
            Output::None => {}
            Output::File(bytes) => match self.put(s.path(), &bytes) {
                Ok(()) => {
                    rec.path = Some(s.path().to_string());
                    rec.bytes = bytes.len() as u64;
                    rec.sha256 = Some(sha256_hex(&bytes));
                }
                Err(e) => fail(&mut rec, e),
            },
            Output::Written(files) => {
                let single = !s.is_folder();
                for (rel, truncated) in files {
                    let p = crate::runner::bundle_file(&self.staging, &rel);
                    match sha256_file(&p) {
                        Ok((sha, len)) => {
                            rec.bytes += len;
                            if single {
                                rec.sha256 = Some(sha);
                                rec.path = Some(rel);
                            } else {
                                rec.files.push(FileRecord {
                                    sha256: sha,
                                    path: rel,
                                    bytes: len,
                                    truncated,
                                });
                            }
                        }
                        Err(e) => fail(&mut rec, e),
                    }
                }
                if !single && !rec.files.is_empty() {
                    rec.path = Some(format!("{}/", s.path().trim_end_matches('/')));
                }
            }
            Output::Folder(files) => {
                let dir = s.path().trim_end_matches('/');
                for (name, bytes, truncated) in files {
                    let rel = format!("{dir}/{name}");
                    match self.put(&rel, &bytes) {
                        Ok(()) => {
                            rec.bytes += bytes.len() as u64;
                            rec.files.push(FileRecord {
                                sha256: sha256_hex(&bytes),
                                path: rel,
                                bytes: bytes.len() as u64,
                                truncated,
                            });
                        }
                        Err(e) => fail(&mut rec, e),
                    }
                }
                if !rec.files.is_empty() {
                    rec.path = Some(format!("{dir}/"));
                }
            }
        }
        rec
    }

    /// Write `manifest.json`, move the folder to its final name, and zip it unless `zip` is
    /// false.
    pub fn finish(mut self, manifest: &Manifest, zip: bool) -> Result<BundlePaths, BundleError> {
        let mut json = serde_json::to_vec_pretty(manifest).map_err(|e| BundleError::Io {
            path: self.staging.join(MANIFEST_NAME),
            source: std::io::Error::other(e),
        })?;
        json.push(b'\n');
        self.put(MANIFEST_NAME, &json)?;
        if self.final_dir.exists() {
            // Checked empty at create(); an empty folder is replaced (rename onto a folder is not
            // portable).
            std::fs::remove_dir(&self.final_dir).map_err(io(&self.final_dir))?;
        }
        std::fs::rename(&self.staging, &self.final_dir).map_err(io(&self.final_dir))?;
        self.finished = true;
        let zip = if zip {
            let mut zp = self.final_dir.clone().into_os_string();
            zp.push(".zip");
            let zp = PathBuf::from(zp);
            match &self.host {
                Some(h) => write_zip_with(&self.final_dir, &zp, &|p| {
                    h.restrict_to_admins(p).map_err(|e| acl_error(p, &e))
                })?,
                None => write_zip(&self.final_dir, &zp)?,
            }
            Some(zp)
        } else {
            None
        };
        Ok(BundlePaths {
            dir: self.final_dir.clone(),
            zip,
        })
    }
}

impl Drop for BundleWriter {
    fn drop(&mut self) {
        if !self.finished {
            // A source abandoned mid-write may add a file while the folder is removed: retry.
            for _ in 0..5 {
                if std::fs::remove_dir_all(&self.staging).is_ok() || !self.staging.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
}

fn list_files(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), BundleError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(io(dir))?.flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            list_files(root, &p, out)?;
        } else {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, p));
        }
    }
    Ok(())
}

/// Zip `dir` (entries relative to it, `manifest.json` at the root) to `zip_path` via a `.tmp`
/// file renamed at the end.
pub fn write_zip(dir: &Path, zip_path: &Path) -> Result<(), BundleError> {
    write_zip_with(dir, zip_path, &|_| Ok(()))
}

/// [`write_zip`], calling `protect` on the new (still empty) zip file before anything is
/// written into it.
pub fn write_zip_with(
    dir: &Path,
    zip_path: &Path,
    protect: &dyn Fn(&Path) -> Result<(), BundleError>,
) -> Result<(), BundleError> {
    let mut tmp = zip_path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let zerr = |m: String| BundleError::Zip {
        path: zip_path.to_path_buf(),
        message: m,
    };
    let mut files = Vec::new();
    list_files(dir, dir, &mut files)?;
    let f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
    if let Err(e) = protect(&tmp) {
        drop(f);
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let mut zw = zip::ZipWriter::new(std::io::BufWriter::new(f));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let result = (|| {
        for (rel, p) in &files {
            zw.start_file(rel.as_str(), opts)
                .map_err(|e| zerr(e.to_string()))?;
            let mut f = std::fs::File::open(p).map_err(io(p))?;
            std::io::copy(&mut f, &mut zw).map_err(|e| zerr(e.to_string()))?;
        }
        let mut inner = zw.finish().map_err(|e| zerr(e.to_string()))?;
        inner.flush().map_err(|e| zerr(e.to_string()))
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, zip_path).map_err(io(zip_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hashes() {
        let at = chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap();
        let n = bundle_name("AKS WIN/01", at);
        assert!(
            n.starts_with("hnsdoctor-AKS_WIN_01-20251124T160000Z-"),
            "{n}"
        );
        assert_eq!(n.len(), "hnsdoctor-AKS_WIN_01-20251124T160000Z-".len() + 6);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let r = random6();
        assert_eq!(r.len(), 6);
        assert!(r
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    }

    #[test]
    fn unfinished_writer_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("b");
        let w = BundleWriter::create(Some(&out), d.path(), "h", chrono::Utc::now()).unwrap();
        assert!(w.staging_dir().exists());
        drop(w);
        assert!(!out.exists());
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
    }

    #[test]
    fn refuses_non_empty_out() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("x"), b"1").unwrap();
        let e =
            BundleWriter::create(Some(d.path()), d.path(), "h", chrono::Utc::now()).unwrap_err();
        assert!(matches!(e, BundleError::Exists(_)));
    }
}
