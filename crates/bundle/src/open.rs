//! Opening an input: [`open`] takes a path (or `-` for stdin) and works out what it is.
//!
//! | input | recognised by | sources |
//! |---|---|---|
//! | hnsdoctor bundle folder or zip | `manifest.json` at the root | every file but the manifest, by bundle path |
//! | legacy CollectLogs folder or zip | at least three of its file names ([`crate::artefacts::is_collectlogs_name`]) | every file, by its CollectLogs name |
//! | any other folder | — | every file, by relative path |
//! | a text file, or stdin `-` | — | the paste split into sections ([`crate::paste`]) |
//!
//! A zip (or a folder) holding a single top directory is opened as that directory, as when a
//! collection folder was zipped from its parent. Source names are relative paths with forward
//! slashes; paste sections are `paste#N` (stdin) or `<file>#N` (a file with several sections),
//! and a file with one section keeps its own name so name-based format selection still works.
//!
//! Binary files are handled per source: `.evtx` logs are passed through as bytes for the evtx
//! parser; anything else binary, or larger than the per-file cap, becomes a refused source whose
//! message names the file — the rest of the input is still read. Zip-slip names, a blown total
//! size budget or too many files refuse the whole input ([`crate::guards`]).

use crate::error::BundleError;
use crate::guards::{self, Budget, DecodedBudget, Limits};
use crate::manifest::{Manifest, MANIFEST_NAME};
use crate::paste;
use crate::text;
use serde::Serialize;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

/// How many CollectLogs file names ([`crate::artefacts::is_collectlogs_name`]) at the root make a
/// folder a legacy CollectLogs output.
pub const LEGACY_MIN_MATCHES: usize = 3;

/// What kind of input was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// An hnsdoctor bundle (folder or zip) with a manifest.
    Bundle,
    /// A legacy CollectLogs.ps1 output (folder or zip).
    LegacyCollectLogs,
    /// Any other folder or zip: every file is a source.
    Folder,
    /// A single file, split into paste sections.
    File,
    /// Standard input, split into paste sections.
    Stdin,
}

/// Whether a source is a whole file or a section of a paste.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A whole file of a folder or zip.
    File,
    /// A section of a pasted text (stdin or a single file).
    Section,
}

/// The content of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Decoded text (`\n` line ends).
    Text(String),
    /// Raw bytes of a binary artefact a parser reads itself (`.evtx`).
    Binary(Vec<u8>),
    /// Not read, with the reason (binary, too large…); the reason names the file.
    Refused(String),
}

/// One input source: a file of a folder/zip, or a section of a paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Relative path with forward slashes, `paste#N`, or `<file>#N`.
    pub name: String,
    /// Text, bytes, or why it was refused.
    pub content: Content,
    /// Detected text encoding (`utf-16le-bom`, `ascii`, `mixed(…)`), `None` for binary/refused.
    pub encoding: Option<String>,
    /// 1-based line in the original file of the first line of the text.
    pub first_line: u32,
    /// File or paste section.
    pub kind: SourceKind,
    /// The command that produced a paste section, when a prompt named it.
    pub command: Option<String>,
    /// 1-based line of that command in the pasted file (0 when there is none).
    pub command_line: u32,
    /// Decoding and splitting notes.
    pub warnings: Vec<String>,
    /// What paste normalisation changed in these lines (see [`crate::paste::Section::notes`]).
    pub notes: Vec<String>,
}

impl Source {
    /// The text, when this source is text.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// An opened input.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// What the user gave (`-` for stdin).
    pub origin: String,
    /// What it turned out to be.
    pub kind: InputKind,
    /// Top directory stripped from every name (a zip wrapping one folder), if any.
    pub root: Option<String>,
    /// The bundle manifest, for [`InputKind::Bundle`].
    pub manifest: Option<Manifest>,
    /// The sources, sorted by name (paste sections in order).
    pub sources: Vec<Source>,
    /// Input-level notes (unreadable manifest, skipped entries…).
    pub warnings: Vec<String>,
}

/// Open a path, or stdin for `-`, with the default [`Limits`].
///
/// # Errors
/// See [`open_with`].
pub fn open(path_or_stdin: &str) -> Result<Opened, BundleError> {
    open_with(path_or_stdin, &Limits::default())
}

/// Open a path, or stdin for `-`.
///
/// # Errors
/// [`BundleError::NotFound`], [`BundleError::Empty`], [`BundleError::Binary`] for a binary single
/// file, guard errors for hostile archives, [`BundleError::Io`] for read failures.
pub fn open_with(path_or_stdin: &str, limits: &Limits) -> Result<Opened, BundleError> {
    if path_or_stdin == "-" {
        let bytes = guards::read_capped("<stdin>", std::io::stdin().lock(), limits.max_file_bytes)?;
        return open_paste_owned("-", "paste", InputKind::Stdin, bytes, limits);
    }
    let path = Path::new(path_or_stdin);
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => BundleError::NotFound {
            path: path.to_path_buf(),
        },
        _ => BundleError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    if meta.is_dir() {
        return open_dir(path, limits);
    }
    let file = std::fs::File::open(path).map_err(|source| io(path, source))?;
    let mut head = [0u8; 4];
    let n = (&file).read(&mut head).map_err(|source| io(path, source))?;
    if head.get(..n) == Some(&b"PK\x03\x04"[..]) || head.get(..n) == Some(&b"PK\x05\x06"[..]) {
        // A zip is bounded by the total budget; its entries by the per-file cap.
        if meta.len() > limits.max_total_bytes {
            return Err(BundleError::TotalTooLarge {
                name: path_or_stdin.to_string(),
                cap: limits.max_total_bytes,
            });
        }
        return open_zip(path, std::io::BufReader::new(file), meta.len(), limits);
    }
    drop(file);
    if meta.len() > limits.max_file_bytes {
        return Err(BundleError::TooLarge {
            name: path_or_stdin.to_string(),
            size: meta.len(),
            cap: limits.max_file_bytes,
        });
    }
    let bytes = guards::read_capped(
        path_or_stdin,
        std::fs::File::open(path).map_err(|source| io(path, source))?,
        limits.max_file_bytes,
    )?;
    let file_name = path.file_name().map_or_else(
        || path_or_stdin.to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    if is_evtx(&file_name, &bytes) {
        let mut budget = DecodedBudget::new(limits);
        return Ok(Opened {
            origin: path_or_stdin.to_string(),
            kind: InputKind::File,
            root: None,
            manifest: None,
            sources: vec![file_source(&file_name, bytes, None, &mut budget)],
            warnings: Vec::new(),
        });
    }
    let mut opened = open_paste_owned(path_or_stdin, &file_name, InputKind::File, bytes, limits)?;
    opened.origin = path_or_stdin.to_string();
    Ok(opened)
}

/// Open an in-memory paste (what `-` does with stdin). `base` names the sections: one section
/// is named `base` itself when `base` is a file name, else `base#1`; several are `base#N`.
///
/// # Errors
/// [`BundleError::Empty`] for blank input, [`BundleError::Binary`] for binary bytes.
pub fn open_paste_bytes(
    origin: &str,
    base: &str,
    kind: InputKind,
    bytes: &[u8],
) -> Result<Opened, BundleError> {
    open_paste_owned(origin, base, kind, bytes.to_vec(), &Limits::default())
}

/// [`open_paste_bytes`] on owned bytes: the raw bytes are turned into text (without a copy for
/// UTF-8) and dropped before the paste is split, and the decoded text is refused past
/// [`Limits::max_decoded_bytes`], so memory stays a small multiple of the input.
///
/// # Errors
/// As [`open_paste_bytes`], and [`BundleError::DecodedTooLarge`].
pub fn open_paste_owned(
    origin: &str,
    base: &str,
    kind: InputKind,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<Opened, BundleError> {
    let shown = if origin == "-" { "<stdin>" } else { origin };
    let cap = usize::try_from(limits.max_decoded_bytes).unwrap_or(usize::MAX);
    let decoded = text::decode_owned_capped(shown, bytes, None, cap)?;
    if decoded.text.trim().is_empty() {
        return Err(BundleError::Empty {
            name: shown.to_string(),
        });
    }
    let text::Decoded {
        text,
        encoding,
        warnings: decoded_warnings,
        ..
    } = decoded;
    let sections = paste::split_owned(text);
    let single = sections.len() == 1 && kind == InputKind::File;
    let sources = sections
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let mut warnings = decoded_warnings.clone();
            warnings.extend(s.warnings);
            Source {
                name: if single && s.command.is_none() {
                    base.to_string()
                } else {
                    format!("{base}#{}", i + 1)
                },
                content: Content::Text(s.text),
                encoding: Some(encoding.clone()),
                first_line: s.first_line,
                kind: SourceKind::Section,
                command: s.command,
                command_line: s.command_line,
                warnings,
                notes: s.notes,
            }
        })
        .collect();
    Ok(Opened {
        origin: origin.to_string(),
        kind,
        root: None,
        manifest: None,
        sources,
        warnings: Vec::new(),
    })
}

fn io(path: &Path, source: std::io::Error) -> BundleError {
    BundleError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn is_evtx(name: &str, bytes: &[u8]) -> bool {
    name.to_ascii_lowercase().ends_with(".evtx") || bytes.starts_with(b"ElfFile\0")
}

/// Build a file source from its bytes: evtx passes through, text is decoded (8-bit text that is
/// not UTF-8 with `code_page` when the bundle recorded one), other binary is refused; what is
/// kept is charged to `budget`, and a source that would pass it is refused.
fn file_source(
    name: &str,
    bytes: Vec<u8>,
    code_page: Option<u32>,
    budget: &mut DecodedBudget,
) -> Source {
    let mut src = Source {
        name: name.to_string(),
        content: Content::Refused(String::new()),
        encoding: None,
        first_line: 1,
        kind: SourceKind::File,
        command: None,
        command_line: 0,
        warnings: Vec::new(),
        notes: Vec::new(),
    };
    if is_evtx(name, &bytes) {
        if bytes.len() > budget.left_usize() {
            src.content = Content::Refused(
                BundleError::DecodedTooLarge {
                    name: name.to_string(),
                    size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
                    cap: budget.left(),
                }
                .to_string(),
            );
            return src;
        }
        budget.charge(bytes.len());
        src.content = Content::Binary(bytes);
        return src;
    }
    match text::decode_owned_capped(name, bytes, code_page, budget.left_usize()) {
        Ok(d) => {
            budget.charge(d.text.len());
            src.content = Content::Text(d.text);
            src.encoding = Some(d.encoding);
            src.warnings = d.warnings;
        }
        Err(e) => src.content = Content::Refused(e.to_string()),
    }
    src
}

fn refused(name: &str, why: String) -> Source {
    Source {
        name: name.to_string(),
        content: Content::Refused(why),
        encoding: None,
        first_line: 1,
        kind: SourceKind::File,
        command: None,
        command_line: 0,
        warnings: Vec::new(),
        notes: Vec::new(),
    }
}

/// Read and parse a manifest's bytes.
///
/// # Errors
/// [`BundleError::Manifest`] with the JSON error's line.
pub fn read_manifest(path: &str, bytes: &[u8]) -> Result<Manifest, BundleError> {
    let text = text::decode(path, bytes)?.text;
    serde_json::from_str(&text).map_err(|e| BundleError::Manifest {
        path: path.to_string(),
        line: e.line(),
        message: e.to_string(),
    })
}

/// Classify by the names at the root (after stripping a single top directory).
fn classify(names: &[String]) -> InputKind {
    if names.iter().any(|n| n == MANIFEST_NAME) {
        return InputKind::Bundle;
    }
    let hits = names
        .iter()
        .filter(|n| !n.contains('/'))
        .filter(|n| crate::artefacts::is_collectlogs_name(n))
        .count();
    if hits >= LEGACY_MIN_MATCHES {
        InputKind::LegacyCollectLogs
    } else {
        InputKind::Folder
    }
}

/// The single top directory shared by every name, if any (and if it isn't the only level).
fn common_top(names: &[String]) -> Option<String> {
    let first = names.first()?.split_once('/')?.0.to_string();
    names
        .iter()
        .all(|n| n.split_once('/').is_some_and(|(top, _)| top == first))
        .then_some(first)
}

/// Parse a manifest's bytes; a broken manifest is a warning and the files are read without it.
fn manifest_from(bytes: Option<Vec<u8>>, warnings: &mut Vec<String>) -> Option<Manifest> {
    match read_manifest(MANIFEST_NAME, &bytes?) {
        Ok(m) => Some(m),
        Err(e) => {
            warnings.push(format!("{e}; reading the files without it"));
            None
        }
    }
}

/// The code page to decode a bundle file's 8-bit text with: the manifest's OEM code page for
/// native-tool output, its ANSI code page for the rest.
fn code_page_for(
    manifest: Option<&Manifest>,
    oem: &std::collections::HashSet<&str>,
    name: &str,
) -> Option<u32> {
    manifest
        .and_then(|m| m.code_pages)
        .map(|c| if oem.contains(name) { c.oem } else { c.ansi })
}

/// A note on the input when sources were refused for the decoded-size budget.
fn budget_warning(sources: &[Source], limits: &Limits, warnings: &mut Vec<String>) {
    let refused = sources
        .iter()
        .filter(|s| matches!(&s.content, Content::Refused(why) if why.contains("memory budget")))
        .count();
    if refused > 0 {
        warnings.push(format!(
            "{refused} source(s) not read: the {} MiB memory budget for decoded input was used up",
            limits.max_decoded_bytes >> 20
        ));
    }
}

/// Classify the input from its file names and put the sources in name order.
fn finish(
    origin: &str,
    root: Option<String>,
    names: &[String],
    mut sources: Vec<Source>,
    manifest: Option<Manifest>,
    warnings: Vec<String>,
) -> Result<Opened, BundleError> {
    if names.is_empty() {
        return Err(BundleError::Empty {
            name: origin.to_string(),
        });
    }
    let kind = classify(names);
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Opened {
        origin: origin.to_string(),
        kind,
        root,
        manifest,
        sources,
        warnings,
    })
}

/// Read cap for one file: the per-file cap, and twice what is left of the decoded budget (UTF-16
/// is two bytes per ASCII character; anything longer cannot fit once decoded).
fn read_cap(limits: &Limits, budget: &DecodedBudget) -> u64 {
    limits
        .max_file_bytes
        .min(budget.left().saturating_mul(2).saturating_add(16))
}

/// Read one file or entry within [`read_cap`]: `Ok(None)` (with a refused source pushed) when it
/// is too large.
fn read_one(
    name: &str,
    reader: impl Read,
    limits: &Limits,
    budget: &DecodedBudget,
    sources: &mut Vec<Source>,
) -> Result<Option<Vec<u8>>, BundleError> {
    let cap = read_cap(limits, budget);
    match guards::read_capped(name, reader, cap) {
        Ok(b) => Ok(Some(b)),
        Err(BundleError::TooLarge { size, .. }) => {
            let e = if cap < limits.max_file_bytes {
                BundleError::DecodedTooLarge {
                    name: name.to_string(),
                    size,
                    cap: budget.left(),
                }
            } else {
                BundleError::TooLarge {
                    name: name.to_string(),
                    size,
                    cap,
                }
            };
            sources.push(refused(name, e.to_string()));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn open_dir(dir: &Path, limits: &Limits) -> Result<Opened, BundleError> {
    let origin = dir.to_string_lossy().into_owned();
    let mut files: Vec<(String, PathBuf, u64)> = Vec::new();
    let mut warnings = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((abs, rel)) = stack.pop() {
        let rd = std::fs::read_dir(&abs).map_err(|source| io(&abs, source))?;
        for entry in rd {
            let entry = entry.map_err(|source| io(&abs, source))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel_name = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let ft = entry
                .file_type()
                .map_err(|source| io(&entry.path(), source))?;
            if ft.is_symlink() {
                warnings.push(format!("{rel_name}: symbolic link, not followed"));
            } else if ft.is_dir() {
                stack.push((entry.path(), rel_name));
            } else if ft.is_file() {
                let size = entry
                    .metadata()
                    .map_err(|source| io(&entry.path(), source))?
                    .len();
                files.push((rel_name, entry.path(), size));
                if files.len() > limits.max_files {
                    return Err(BundleError::TooManyFiles {
                        name: origin,
                        cap: limits.max_files,
                    });
                }
            }
        }
    }
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    let root = common_top(&names);
    let mut budget = Budget::default();
    let mut decoded = DecodedBudget::new(limits);
    let mut sources = Vec::new();
    let strip = |rel: String| match &root {
        Some(r) => rel.get(r.len() + 1..).map_or(rel.clone(), str::to_string),
        None => rel,
    };
    let files: Vec<(String, PathBuf, u64)> = files
        .into_iter()
        .map(|(rel, abs, size)| (strip(rel), abs, size))
        .collect();
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    // The manifest first: the code pages it records decode the rest as it is read.
    let manifest_bytes = match files.iter().find(|f| f.0 == MANIFEST_NAME) {
        Some((name, abs, _)) => {
            let f = std::fs::File::open(abs).map_err(|source| io(abs, source))?;
            Some(guards::read_capped(name, f, 16 * 1024 * 1024)?)
        }
        None => None,
    };
    let manifest = manifest_from(manifest_bytes, &mut warnings);
    let oem = manifest
        .as_ref()
        .map(Manifest::oem_paths)
        .unwrap_or_default();
    for (name, abs, size) in &files {
        if name == MANIFEST_NAME {
            continue;
        }
        if *size > limits.max_file_bytes {
            sources.push(refused(
                name,
                BundleError::TooLarge {
                    name: name.clone(),
                    size: *size,
                    cap: limits.max_file_bytes,
                }
                .to_string(),
            ));
            continue;
        }
        budget.take(&origin, *size, limits)?;
        let f = std::fs::File::open(abs).map_err(|source| io(abs, source))?;
        let Some(bytes) = read_one(name, f, limits, &decoded, &mut sources)? else {
            continue;
        };
        let page = code_page_for(manifest.as_ref(), &oem, name);
        sources.push(file_source(name, bytes, page, &mut decoded));
    }
    budget_warning(&sources, limits, &mut warnings);
    finish(&origin, root, &names, sources, manifest, warnings)
}

fn open_zip<R: Read + Seek>(
    path: &Path,
    reader: R,
    archive_len: u64,
    limits: &Limits,
) -> Result<Opened, BundleError> {
    let archive_name = path.to_string_lossy().into_owned();
    let zerr = |e: zip::result::ZipError| BundleError::Zip {
        archive: archive_name.clone(),
        message: e.to_string(),
    };
    let mut zip = zip::ZipArchive::new(reader).map_err(zerr)?;
    if zip.len() > limits.max_files {
        return Err(BundleError::TooManyFiles {
            name: archive_name,
            cap: limits.max_files,
        });
    }
    // Pass 1: names and sizes, zip-slip checks.
    let mut entries: Vec<(usize, String, u64, u64)> = Vec::new();
    let mut warnings = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(zerr)?;
        let raw = f.name().map_err(zerr)?.into_owned();
        let name = guards::safe_entry_name(&archive_name, &raw)?;
        if f.is_dir() || name.is_empty() || name.starts_with("__MACOSX/") {
            continue;
        }
        if f.is_symlink() {
            warnings.push(format!("{name}: symbolic link entry, not read"));
            continue;
        }
        entries.push((i, name, f.size(), f.compressed_size()));
    }
    let declared = entries.iter().fold(0u64, |sum, e| sum.saturating_add(e.2));
    guards::check_archive_ratio(&archive_name, declared, archive_len, limits)?;
    let names: Vec<String> = entries.iter().map(|e| e.1.clone()).collect();
    let root = common_top(&names);
    let strip = |full: &str| match &root {
        Some(r) => full.get(r.len() + 1..).unwrap_or(full).to_string(),
        None => full.to_string(),
    };
    let names: Vec<String> = names.iter().map(|n| strip(n)).collect();
    let mut budget = Budget::default();
    let mut decoded = DecodedBudget::new(limits);
    let mut sources = Vec::new();
    // The manifest first: the code pages it records decode the rest as it is read.
    let manifest_bytes = match entries.iter().find(|e| strip(&e.1) == MANIFEST_NAME) {
        Some((i, _, _, _)) => {
            let f = zip.by_index(*i).map_err(zerr)?;
            Some(guards::read_capped(MANIFEST_NAME, f, 16 * 1024 * 1024)?)
        }
        None => None,
    };
    let manifest = manifest_from(manifest_bytes, &mut warnings);
    let oem = manifest
        .as_ref()
        .map(Manifest::oem_paths)
        .unwrap_or_default();
    for (i, full, size, compressed) in entries {
        let name = strip(&full);
        if name == MANIFEST_NAME {
            continue;
        }
        if size > limits.max_file_bytes {
            sources.push(refused(
                &name,
                BundleError::TooLarge {
                    name: name.clone(),
                    size,
                    cap: limits.max_file_bytes,
                }
                .to_string(),
            ));
            continue;
        }
        if let Err(e) = guards::check_ratio(&archive_name, &full, size, compressed, limits) {
            sources.push(refused(&name, e.to_string()));
            continue;
        }
        budget.take(&archive_name, size, limits)?;
        let f = zip.by_index(i).map_err(zerr)?;
        let bytes = match read_one(&name, f, limits, &decoded, &mut sources) {
            Ok(Some(b)) => b,
            Ok(None) => continue,
            Err(BundleError::Io { source, .. }) => {
                sources.push(refused(
                    &name,
                    format!("{name}: unreadable zip entry: {source}"),
                ));
                continue;
            }
            Err(e) => return Err(e),
        };
        // The declared size may lie; account for what was really read.
        let real = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if real > size {
            budget.take(&archive_name, real - size, limits)?;
        }
        let page = code_page_for(manifest.as_ref(), &oem, &name);
        sources.push(file_source(&name, bytes, page, &mut decoded));
    }
    budget_warning(&sources, limits, &mut warnings);
    finish(&archive_name, root, &names, sources, manifest, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn utf16(s: &str) -> Vec<u8> {
        let mut v = vec![0xff, 0xfe];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_le_bytes());
        }
        v
    }

    fn write(dir: &Path, rel: &str, bytes: &[u8]) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, bytes) in files {
                w.start_file(*name, opts).unwrap();
                w.write_all(bytes).unwrap();
            }
            w.finish().unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn legacy_folder_is_recognised_and_decoded() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "network.txt", &utf16("Name Type\r\n"));
        write(d.path(), "endpoint.txt", &utf16("Id\r\n"));
        write(
            d.path(),
            "winver.txt",
            &utf16("Microsoft Windows NT 10.0.17763.0\r\n"),
        );
        write(d.path(), "winevt/System.evtx", b"ElfFile\0rest");
        write(d.path(), "tools.exe", b"MZ\x90\0\x03\0\0\0");
        let o = open(d.path().to_str().unwrap()).unwrap();
        assert_eq!(o.kind, InputKind::LegacyCollectLogs);
        let names: Vec<_> = o.sources.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "endpoint.txt",
                "network.txt",
                "tools.exe",
                "winevt/System.evtx",
                "winver.txt"
            ]
        );
        assert_eq!(o.sources[1].text(), Some("Name Type\n"));
        assert_eq!(o.sources[1].encoding.as_deref(), Some("utf-16le-bom"));
        assert!(matches!(o.sources[3].content, Content::Binary(_)));
        match &o.sources[2].content {
            Content::Refused(why) => assert!(why.contains("tools.exe"), "{why}"),
            c => panic!("{c:?}"),
        }
    }

    #[test]
    fn bundle_zip_with_top_dir_and_manifest() {
        let z = zip_of(&[
            (
                "n1-20261124/manifest.json",
                br#"{"format_version":1,"host":"n1","sources":[]}"#,
            ),
            ("n1-20261124/hns/networks.json", b"[]"),
        ]);
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("b.zip");
        std::fs::write(&p, z).unwrap();
        let o = open(p.to_str().unwrap()).unwrap();
        assert_eq!(o.kind, InputKind::Bundle);
        assert_eq!(o.root.as_deref(), Some("n1-20261124"));
        assert_eq!(o.manifest.as_ref().map(|m| m.host.as_str()), Some("n1"));
        assert_eq!(o.sources.len(), 1);
        assert_eq!(o.sources[0].name, "hns/networks.json");
    }

    #[test]
    fn zip_slip_is_refused() {
        let z = zip_of(&[("../evil.txt", b"x"), ("ok.txt", b"y")]);
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("evil.zip");
        std::fs::write(&p, z).unwrap();
        let e = open(p.to_str().unwrap()).unwrap_err();
        assert!(matches!(e, BundleError::ZipSlip { .. }), "{e}");
        assert!(e.to_string().contains("../evil.txt"));
    }

    #[test]
    fn oversized_entry_and_bomb_ratio_are_refused_per_entry() {
        let big = vec![b'a'; 3 * 1024 * 1024];
        let z = zip_of(&[("a/big.txt", &big), ("a/small.txt", b"hello\n")]);
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("z.zip");
        std::fs::write(&p, z).unwrap();
        let o = open(p.to_str().unwrap()).unwrap();
        match &o.sources[0].content {
            Content::Refused(w) => assert!(w.contains("big.txt") && w.contains("zip bomb"), "{w}"),
            c => panic!("{c:?}"),
        }
        assert_eq!(o.sources[1].text(), Some("hello\n"));
        let small = Limits {
            max_file_bytes: 1000,
            max_ratio: 1_000_000,
            ..Limits::default()
        };
        let o = open_with(p.to_str().unwrap(), &small).unwrap();
        match &o.sources[0].content {
            Content::Refused(w) => assert!(w.contains("big.txt") && w.contains("1000-byte"), "{w}"),
            c => panic!("{c:?}"),
        }
        let tiny_total = Limits {
            max_total_bytes: 10,
            max_ratio: 1_000_000,
            ..Limits::default()
        };
        assert!(matches!(
            open_with(p.to_str().unwrap(), &tiny_total),
            Err(BundleError::TotalTooLarge { .. })
        ));
    }

    #[test]
    fn many_small_entries_are_judged_as_a_whole_archive() {
        // Issue 14, defect 1: entries of 1 MiB or less were never ratio-checked.
        let entry = vec![b'a'; 512 * 1024];
        let names: Vec<String> = (0..64).map(|i| format!("logs/f{i}.txt")).collect();
        let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &entry[..])).collect();
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("many.zip");
        std::fs::write(&p, zip_of(&files)).unwrap();
        let l = Limits {
            archive_ratio_floor: 1024 * 1024,
            ..Limits::default()
        };
        let e = open_with(p.to_str().unwrap(), &l).unwrap_err();
        assert!(matches!(e, BundleError::ArchiveRatio { .. }), "{e}");
        assert!(e.to_string().contains("many.zip"), "{e}");
    }

    #[test]
    fn decoded_budget_refuses_sources_past_it_and_counts_1252_expansion() {
        // Issue 14, defects 1 and 2: the budget is on decoded bytes, per input.
        let cp1252 = vec![0x80u8; 4000]; // 4,000 raw bytes, 12,000 decoded
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a.txt", b"hello\n");
        write(d.path(), "b.txt", &cp1252);
        write(d.path(), "c.txt", b"world\n");
        let l = Limits {
            max_decoded_bytes: 10_000,
            ..Limits::default()
        };
        let o = open_with(d.path().to_str().unwrap(), &l).unwrap();
        assert_eq!(o.sources[0].text(), Some("hello\n"));
        match &o.sources[1].content {
            Content::Refused(w) => {
                assert!(w.contains("b.txt") && w.contains("memory budget"), "{w}");
            }
            c => panic!("{c:?}"),
        }
        assert_eq!(o.sources[2].text(), Some("world\n"));
        assert!(
            o.warnings
                .iter()
                .any(|w| w.contains("1 source(s) not read")),
            "{:?}",
            o.warnings
        );
        // The same bytes in a zip, and as a paste (what stdin does).
        let z = d.path().join("z.zip");
        std::fs::write(&z, zip_of(&[("b.txt", &cp1252), ("a.txt", b"x\n")])).unwrap();
        let o = open_with(z.to_str().unwrap(), &l).unwrap();
        assert!(matches!(o.sources[1].content, Content::Refused(_)));
        let e = open_paste_owned("-", "paste", InputKind::Stdin, cp1252, &l).unwrap_err();
        assert!(matches!(e, BundleError::DecodedTooLarge { .. }), "{e}");
        assert!(e.to_string().contains("<stdin>"), "{e}");
    }

    #[test]
    fn manifest_code_page_applies_when_read_first() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a/ipconfig.txt", b"Suffix: \x84\n");
        write(
            d.path(),
            "manifest.json",
            br#"{"format_version":1,"host":"n1","sources":[],"code_pages":{"oem":850,"ansi":1252}}"#,
        );
        let o = open(d.path().to_str().unwrap()).unwrap();
        assert_eq!(o.kind, InputKind::Bundle);
        assert_eq!(
            o.sources[0].text(),
            Some("Suffix: \u{201e}\n"),
            "ANSI 1252 for a non-OEM file"
        );
    }

    #[test]
    fn single_file_paste_sections_and_errors() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("issue.md");
        std::fs::write(
            &p,
            "PS C:\\> route print\nIPv4 Route Table\nPS C:\\> arp -a\nInterface: 10.0.0.4\n",
        )
        .unwrap();
        let o = open(p.to_str().unwrap()).unwrap();
        assert_eq!(o.kind, InputKind::File);
        let names: Vec<_> = o
            .sources
            .iter()
            .map(|s| (s.name.as_str(), s.first_line))
            .collect();
        assert_eq!(names, [("issue.md#1", 2), ("issue.md#2", 4)]);
        let one = d.path().join("network.txt");
        std::fs::write(&one, utf16("Name Type\r\n")).unwrap();
        let o = open(one.to_str().unwrap()).unwrap();
        assert_eq!(o.sources[0].name, "network.txt");

        let empty = d.path().join("empty.txt");
        std::fs::write(&empty, "\r\n  \r\n").unwrap();
        assert!(matches!(
            open(empty.to_str().unwrap()),
            Err(BundleError::Empty { .. })
        ));
        let missing = d.path().join("nope");
        let e = open(missing.to_str().unwrap()).unwrap_err();
        assert!(matches!(e, BundleError::NotFound { .. }) && e.to_string().contains("nope"));
        let bin = d.path().join("x.bin");
        std::fs::write(&bin, [0x01u8, 0, 0, 0, 7, 7, 0, 0, 1]).unwrap();
        let e = open(bin.to_str().unwrap()).unwrap_err();
        assert!(e.to_string().contains("x.bin"), "{e}");
        let empty_dir = d.path().join("emptydir");
        std::fs::create_dir(&empty_dir).unwrap();
        assert!(matches!(
            open(empty_dir.to_str().unwrap()),
            Err(BundleError::Empty { .. })
        ));
    }

    /// Inputs that crashed a fuzz target (`fuzz/`, docs/fuzzing.md), kept as they were found:
    /// each opens as a file and as stdin would, without a panic.
    #[test]
    fn fuzz_crashes_stay_fixed() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz");
        let mut n = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if let Ok(o) = open_paste_bytes("-", "paste", InputKind::Stdin, &bytes) {
                assert!(!o.sources.is_empty(), "{name}");
            }
            let _ = open(path.to_str().unwrap());
            n += 1;
        }
        assert!(n >= 1, "no fuzz regressions in {}", dir.display());
    }

    #[test]
    fn stdin_style_paste_is_named_paste_n() {
        let o = open_paste_bytes("-", "paste", InputKind::Stdin, b"hello\n").unwrap();
        assert_eq!(o.sources[0].name, "paste#1");
        assert_eq!(o.sources[0].kind, SourceKind::Section);
    }

    #[test]
    fn broken_manifest_is_a_warning_not_an_error() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "manifest.json", b"{ nope");
        write(d.path(), "hns/networks.json", b"[]");
        let o = open(d.path().to_str().unwrap()).unwrap();
        assert_eq!(o.kind, InputKind::Bundle);
        assert!(o.manifest.is_none());
        assert!(
            o.warnings.iter().any(|w| w.contains("manifest.json")),
            "{:?}",
            o.warnings
        );
    }
}
