//! # hnsdoctor-redact — one redaction engine
//!
//! Bundles travel from a customer's node through tickets and chat, so:
//! * [`secrets`] — what is always removed: files withheld whole (kubeconfigs, keys, token files,
//!   `azure.json`) and secret values replaced in the rest (passwords, tokens, keys, certificates
//!   and private keys, kubeconfig credentials, connection strings, SAS signatures). The collector
//!   (`hnsdoctor collect`) runs it on every copied file; `hnsdoctor redact` on any input.
//! * [`obfuscate`] — what `--obfuscate` replaces: IPv4/IPv6 addresses, MACs, host names, domain
//!   names and keywords, by consistent stand-ins that keep the relations the rules use.
//! * [`redact_path`] — a bundle folder, zip or single file in, the same kind out: every text file
//!   in its own encoding (UTF-16LE/BE with or without BOM, UTF-8 with or without BOM, 8-bit code
//!   pages), written under a temporary name and renamed at the end; the mapping only to a private
//!   file outside the output.
#![forbid(unsafe_code)]

pub mod obfuscate;
pub mod secrets;

use obfuscate::{Mapping, Obfuscator};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `hnsdoctor redact` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replace addresses, MACs, host and domain names too.
    pub obfuscate: bool,
    /// Words replaced as well (`--keyword`, any case).
    pub keywords: Vec<String>,
    /// Where the private mapping goes (default: beside the output, `<out>.mapping.json`). An
    /// existing file's key is reused, so the same originals get the same stand-ins.
    pub mapping: Option<PathBuf>,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Files written.
    pub files: usize,
    /// Files left out: (path, why).
    pub withheld: Vec<(String, String)>,
    /// Secrets replaced: (path, what, count).
    pub secrets: Vec<(String, String, u32)>,
    /// Notes (a mixed-encoding file written as UTF-8…).
    pub notes: Vec<String>,
    /// The mapping file written (with `--obfuscate`).
    pub mapping: Option<PathBuf>,
    /// Number of distinct stand-ins (addresses, MACs, hosts, domain labels, keywords).
    pub replaced: usize,
}

/// Why a redaction failed.
#[derive(Debug, thiserror::Error)]
pub enum RedactError {
    /// The input could not be read.
    #[error("{path}: {message}")]
    Input {
        /// The input.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The output (or the mapping) could not be written.
    #[error("cannot write {path}: {message}")]
    Output {
        /// The output.
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl RedactError {
    /// Whether the error is the user's input (exit 3) rather than the output.
    #[must_use]
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Self::Input { .. })
    }
}

fn input_err(path: &Path, message: impl std::fmt::Display) -> RedactError {
    RedactError::Input {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

fn output_err(path: &Path, e: impl std::fmt::Display) -> RedactError {
    RedactError::Output {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// How a text file is stored, so it is written back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Storage {
    /// UTF-8 or an ASCII-compatible 8-bit code page: patterns run on the bytes.
    Bytes,
    /// UTF-16 (little or big endian), with or without a BOM.
    Utf16 { le: bool, bom: bool },
    /// Mixed encodings (`>>` appends): written back as the decoded UTF-8 text.
    Decoded,
    /// Not text: copied (secrets cannot be looked for) or withheld under `--obfuscate`.
    Binary,
}

fn storage(name: &str, bytes: &[u8]) -> (Storage, Option<String>) {
    if hnsdoctor_bundle::text::binary_magic(bytes).is_some() {
        return (Storage::Binary, None);
    }
    match hnsdoctor_bundle::text::decode(name, bytes) {
        Err(_) => (Storage::Binary, None),
        Ok(d) => match d.encoding.as_str() {
            "utf-16le-bom" => (
                Storage::Utf16 {
                    le: true,
                    bom: true,
                },
                None,
            ),
            "utf-16le" => (
                Storage::Utf16 {
                    le: true,
                    bom: false,
                },
                None,
            ),
            "utf-16be-bom" => (
                Storage::Utf16 {
                    le: false,
                    bom: true,
                },
                None,
            ),
            "utf-16be" => (
                Storage::Utf16 {
                    le: false,
                    bom: false,
                },
                None,
            ),
            e if e.starts_with("mixed") => (Storage::Decoded, Some(d.text)),
            _ => (Storage::Bytes, None),
        },
    }
}

/// One file's bytes through a text transform, in the file's own encoding.
fn transcode(
    name: &str,
    bytes: &[u8],
    f: &mut dyn FnMut(&[u8]) -> Vec<u8>,
) -> Option<(Vec<u8>, Option<String>)> {
    match storage(name, bytes) {
        (Storage::Binary, _) => None,
        (Storage::Bytes, _) => Some((f(bytes), None)),
        (Storage::Decoded, text) => Some((
            f(text.unwrap_or_default().as_bytes()),
            Some(format!(
                "{name}: mixed encodings (appended output); written as UTF-8"
            )),
        )),
        (Storage::Utf16 { le, bom }, _) => {
            let body = if bom { &bytes[2..] } else { bytes };
            let (text, odd) = body.split_at(body.len() & !1);
            let units: Vec<u16> = text
                .chunks_exact(2)
                .map(|c| {
                    if le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect();
            let s = String::from_utf16_lossy(&units);
            let done = f(s.as_bytes());
            let done = String::from_utf8_lossy(&done);
            let mut out = Vec::with_capacity(bytes.len());
            if bom {
                out.extend_from_slice(&bytes[..2]);
            }
            for u in done.encode_utf16() {
                out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            out.extend_from_slice(odd);
            Some((out, None))
        }
    }
}

/// Remove secrets from one text (any encoding `transcode` handles): bytes out, and what was
/// replaced.
fn redact_secrets(bytes: &[u8]) -> (Vec<u8>, Vec<(String, u32)>) {
    let mut r = secrets::Redactor::new();
    let mut out = Vec::with_capacity(bytes.len());
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        out.extend_from_slice(&r.line(line));
    }
    (out, r.findings())
}

/// What kind of input: a folder, a zip or one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    Zip,
    File,
}

/// Files of an input: (relative name with `/`, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// Read every file of the input.
fn read_input(input: &Path) -> Result<(Kind, Files), RedactError> {
    const CAP: u64 = 512 * 1024 * 1024;
    let meta = std::fs::metadata(input).map_err(|e| input_err(input, e))?;
    if meta.is_dir() {
        let mut files = Vec::new();
        let mut stack = vec![input.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).map_err(|e| input_err(&dir, e))? {
                let entry = entry.map_err(|e| input_err(&dir, e))?;
                let ft = entry.file_type().map_err(|e| input_err(&entry.path(), e))?;
                let path = entry.path();
                if ft.is_dir() {
                    stack.push(path);
                } else if ft.is_file() {
                    let rel = path
                        .strip_prefix(input)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/");
                    let f = std::fs::File::open(&path).map_err(|e| input_err(&path, e))?;
                    let bytes = hnsdoctor_bundle::guards::read_capped(&rel, f, CAP)
                        .map_err(|e| input_err(&path, e))?;
                    files.push((rel, bytes));
                }
            }
        }
        files.sort();
        return Ok((Kind::Dir, files));
    }
    let f = std::fs::File::open(input).map_err(|e| input_err(input, e))?;
    let bytes = hnsdoctor_bundle::guards::read_capped(&input.display().to_string(), f, CAP)
        .map_err(|e| input_err(input, e))?;
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let archive = input.display().to_string();
        let mut zip =
            zip::ZipArchive::new(std::io::Cursor::new(&bytes)).map_err(|e| input_err(input, e))?;
        let limits = hnsdoctor_bundle::guards::Limits::default();
        let declared = (0..zip.len())
            .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size()))
            .fold(0u64, u64::saturating_add);
        hnsdoctor_bundle::guards::check_archive_ratio(
            &archive,
            declared,
            u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            &limits,
        )
        .map_err(|e| input_err(input, e))?;
        let mut files = Vec::new();
        for i in 0..zip.len() {
            let f = zip.by_index(i).map_err(|e| input_err(input, e))?;
            let raw = f.name().map_err(|e| input_err(input, e))?.into_owned();
            let name = hnsdoctor_bundle::guards::safe_entry_name(&archive, &raw)
                .map_err(|e| input_err(input, e))?;
            if f.is_dir() || name.is_empty() || f.is_symlink() {
                continue;
            }
            let data = hnsdoctor_bundle::guards::read_capped(&name, f, limits.max_file_bytes)
                .map_err(|e| input_err(input, e))?;
            files.push((name, data));
        }
        return Ok((Kind::Zip, files));
    }
    let name = input
        .file_name()
        .map_or_else(|| "input".to_string(), |n| n.to_string_lossy().into_owned());
    Ok((Kind::File, vec![(name, bytes)]))
}

/// The default mapping file of an output: `<out>.mapping.json` beside it.
#[must_use]
pub fn default_mapping_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map_or_else(|| "redacted".into(), |n| n.to_os_string());
    name.push(".mapping.json");
    out.with_file_name(name)
}

/// A temporary name beside `dest` (same folder, so the final rename is atomic).
fn temp_beside(dest: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(dest.file_name().unwrap_or_default());
    name.push(format!(".partial-{}", std::process::id()));
    dest.with_file_name(name)
}

/// Redact `input` (a folder, zip or single file) into `out` (the same kind).
///
/// # Errors
/// [`RedactError::Input`] when the input cannot be read (missing, hostile zip);
/// [`RedactError::Output`] when the output or the mapping cannot be written (nothing is left
/// under the output's name then).
pub fn redact_path(input: &Path, out: &Path, opts: &Options) -> Result<Summary, RedactError> {
    let (kind, files) = read_input(input)?;
    if out.exists() {
        return Err(output_err(out, "already exists (choose another --out)"));
    }
    let mapping_path = opts.obfuscate.then(|| {
        opts.mapping
            .clone()
            .unwrap_or_else(|| default_mapping_path(out))
    });
    if let Some(m) = &mapping_path {
        let canon_out = out
            .parent()
            .and_then(|p| {
                std::fs::canonicalize(if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                })
                .ok()
            })
            .map(|p| p.join(out.file_name().unwrap_or_default()));
        let canon_map = m.parent().and_then(|p| {
            std::fs::canonicalize(if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            })
            .ok()
        });
        if let (Some(o), Some(mp)) = (canon_out, canon_map) {
            if mp.starts_with(&o) {
                return Err(output_err(m, "the mapping must not go inside the output"));
            }
        }
    }
    let previous: Option<Mapping> = mapping_path
        .as_ref()
        .filter(|p| p.exists())
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| input_err(p, e))?;
            serde_json::from_str(&text)
                .map_err(|e| input_err(p, format!("not a mapping file: {e}")))
        })
        .transpose()?;
    let key = previous
        .as_ref()
        .and_then(|m| Obfuscator::key_from_hex(&m.key))
        .unwrap_or_else(obfuscate::random_key);
    let mut ob = Obfuscator::new(key, &opts.keywords);
    let mut summary = Summary::default();
    // Pass 1: secrets out, withheld files dropped; host names learnt from every file.
    let mut kept: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let head = bytes.get(..16 * 1024).unwrap_or(&bytes);
        if let Some(why) = secrets::withhold_reason(&name, head) {
            summary.withheld.push((name, why));
            continue;
        }
        let mut found = Vec::new();
        let Some((clean, note)) = transcode(&name, &bytes, &mut |t| {
            let (o, f) = redact_secrets(t);
            found = f;
            o
        }) else {
            if opts.obfuscate {
                summary.withheld.push((
                    name,
                    "binary file: its addresses and names cannot be obfuscated".into(),
                ));
            } else {
                summary.notes.push(format!(
                    "{name}: binary file copied as it is (not searched for secrets)"
                ));
                kept.push((name, bytes));
            }
            continue;
        };
        summary.notes.extend(note);
        for (what, n) in found {
            summary.secrets.push((name.clone(), what, n));
        }
        if opts.obfuscate {
            transcode(&name, &clean, &mut |t| {
                ob.learn_hosts(t);
                Vec::new()
            });
        }
        kept.push((name, clean));
    }
    // Pass 2: obfuscation, consistent across files.
    if opts.obfuscate {
        for (name, bytes) in &mut kept {
            if let Some((o, _)) = transcode(name, bytes, &mut |t| ob.apply(t)) {
                *bytes = o;
            }
        }
    }
    summary.files = kept.len();
    write_output(kind, out, &kept)?;
    if let Some(m) = &mapping_path {
        let mut map = ob.mapping().clone();
        if let Some(prev) = previous {
            merge(&mut map, prev);
        }
        summary.replaced = map.addresses.len()
            + map.macs.len()
            + map.hosts.len()
            + map.domain_labels.len()
            + map.keywords.len();
        write_private(m, &serde_json::to_vec_pretty(&map).unwrap_or_default())?;
        summary.mapping = Some(m.clone());
    }
    Ok(summary)
}

fn merge(map: &mut Mapping, prev: Mapping) {
    for (a, b) in [
        (&mut map.addresses, prev.addresses),
        (&mut map.macs, prev.macs),
        (&mut map.hosts, prev.hosts),
        (&mut map.domain_labels, prev.domain_labels),
        (&mut map.keywords, prev.keywords),
    ] {
        for (k, v) in b {
            a.entry(k).or_insert(v);
        }
    }
}

/// Write the mapping readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), RedactError> {
    let tmp = temp_beside(path);
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let res = o
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        output_err(path, e)
    })
}

fn write_output(kind: Kind, out: &Path, files: &[(String, Vec<u8>)]) -> Result<(), RedactError> {
    let tmp = temp_beside(out);
    let res = (|| -> std::io::Result<()> {
        match kind {
            Kind::Dir => {
                std::fs::create_dir_all(&tmp)?;
                for (name, bytes) in files {
                    let p = tmp.join(name);
                    if let Some(parent) = p.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::write(p, bytes)?;
                }
            }
            Kind::Zip => {
                let f = std::fs::File::create(&tmp)?;
                let mut z = zip::ZipWriter::new(f);
                let o = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated);
                for (name, bytes) in files {
                    z.start_file(name.as_str(), o)?;
                    z.write_all(bytes)?;
                }
                z.finish()?.sync_all()?;
            }
            Kind::File => {
                let mut f = std::fs::File::create(&tmp)?;
                if let Some((_, bytes)) = files.first() {
                    f.write_all(bytes)?;
                }
                f.sync_all()?;
            }
        }
        std::fs::rename(&tmp, out)
    })();
    res.map_err(|e| {
        let _ = if tmp.is_dir() {
            std::fs::remove_dir_all(&tmp)
        } else {
            std::fs::remove_file(&tmp)
        };
        output_err(out, e)
    })
}

/// Redact (secrets only) a whole text in memory; see [`secrets::redact_text`].
#[must_use]
pub fn redact_text(text: &str) -> (String, Vec<(String, u32)>) {
    secrets::redact_text(text)
}
