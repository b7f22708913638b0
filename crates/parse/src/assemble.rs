//! The assembler: an opened input ([`hnsdoctor_bundle::Opened`]) → one [`HostModel`].
//!
//! For every source it chooses a format from [`FORMATS`], runs the parser and records what
//! happened in an [`InputSummary`] (`model.inputs`), so `inspect` and the report can say what was
//! read and — as important — what was not:
//!
//! 1. **By manifest**: a bundle's manifest names the parser of each path (`SourceRecord::parser`).
//! 2. **By name**: a format's `names` entry matching the end of the source path, case-insensitively,
//!    on a `/` boundary (`hns/networks.json`, legacy `endpoint.txt`). Every matching format runs:
//!    a legacy file may hold two artefacts (`winver.txt` = version line + hotfix table).
//! 3. **By content**: each format's `detect` score on the first 64 KiB, plus a bonus when the
//!    prompt's command names the format (`PS C:\> netsh int ipv4 show excludedportrange` →
//!    `netsh-excludedportrange`); the best score ≥ [`MIN_DETECT_SCORE`] wins. A paste section with
//!    no command is first cut where the detected format changes
//!    ([`hnsdoctor_bundle::paste::split_on_format_change`]); the pieces are named `<section>.<k>`.
//!
//! Binary `.evtx` sources go to `eventlog::parse_evtx_bytes` (format `evtx`); other binary sources
//! are refused. Outcomes: text nobody recognises is recorded as format `unknown` with its lines counted as
//! skipped — never dropped silently. `ParseError::Skip` sets `refused` (evidence missing, with the
//! reason); `ParseError::Broken` becomes a `file:line` warning. Refused bundle sources (binary,
//! too large) and manifest entries that failed, timed out or were skipped get a summary with
//! `refused` set, so the report can list what is missing. One bad source never stops the others.
//! Finally [`reconcile`] drops HNS objects read twice (same GUID from JSON and from an hnsdiag
//! table), keeping the richer one.

use crate::formats::{FormatDef, FORMATS};
use crate::{Input, ParseError};
use hnsdoctor_bundle::manifest::{Manifest, SourceStatus, MANIFEST_NAME};
use hnsdoctor_bundle::paste;
use hnsdoctor_bundle::{Content, Opened, Source, SourceKind};
use hnsdoctor_model::{
    norm_guid, ApiSchema, Fact, HostModel, InputSummary, OsInfo, Prov, SkippedLine,
};
use std::borrow::Cow;

/// Lowest content-detection score (after the command-hint bonus) that selects a format.
pub const MIN_DETECT_SCORE: u8 = 30;
/// Bonus added to a format's score when the prompt's command names all its id words.
pub const HINT_BONUS: u8 = 40;
/// Bytes of text a detector sees.
pub const DETECT_WINDOW: usize = 64 * 1024;
/// Skipped lines kept per source (the count is kept in full).
pub const MAX_SKIPPED_KEPT: usize = 20;
/// Format id of text nobody recognised.
pub const UNKNOWN: &str = "unknown";
/// Format id recorded for a paste section that is only a command line whose values were read
/// ([`crate::command_line`]).
pub const COMMAND_LINE: &str = "command-line";
/// Format id recorded for binary `.evtx` event logs (read by `eventlog::parse_evtx_bytes`).
pub const EVTX: &str = "evtx";

/// How a source's format was chosen.
#[derive(Debug, Clone)]
pub enum Selection {
    /// By the bundle manifest's parser id.
    Manifest(&'static FormatDef),
    /// By file name: every format listed runs.
    Named(Vec<&'static FormatDef>),
    /// By content detection (with the command hint), with the score.
    Detected(&'static FormatDef, u8),
    /// Nothing matched.
    Unknown,
}

/// Assemble a model from one opened input.
#[must_use]
pub fn assemble(opened: &Opened) -> HostModel {
    let mut model = HostModel::new();
    assemble_into(opened, &mut model);
    model
}

/// Add one opened input to an existing model (several inputs can describe one host).
pub fn assemble_into(opened: &Opened, model: &mut HostModel) {
    let manifest = opened.manifest.as_ref();
    for src in &opened.sources {
        let by_manifest = manifest.and_then(|m| manifest_parser(m, &src.name));
        assemble_source(src, by_manifest, model);
    }
    if let Some(m) = manifest {
        apply_manifest(m, opened, model);
    }
    read_error_lines(opened, model);
    crate::error_lines::fill_operations(model);
    reconcile(model);
}

/// The error-line path ([`crate::error_lines`]) over every paste section (whatever its format)
/// and every file no format recognised: an error code or error shape anywhere is evidence.
fn read_error_lines(opened: &Opened, model: &mut HostModel) {
    // Pieces of a split section are named `<section>.<k>`: a recognised piece counts for its
    // section.
    let mut recognised: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for s in model
        .inputs
        .iter()
        .filter(|s| s.refused.is_none() && s.format != UNKNOWN)
    {
        recognised.insert(s.source.as_str());
        if let Some((base, k)) = s.source.rsplit_once('.') {
            if k.bytes().all(|b| b.is_ascii_digit()) {
                recognised.insert(base);
            }
        }
    }
    let is_recognised = |name: &str| recognised.contains(name);
    let todo: Vec<(&str, &str, u32)> = opened
        .sources
        .iter()
        .filter_map(|src| {
            let Content::Text(t) = &src.content else {
                return None;
            };
            (src.kind == SourceKind::Section || !is_recognised(&src.name)).then_some((
                src.name.as_str(),
                t.as_str(),
                src.first_line,
            ))
        })
        .collect();
    let by_name: std::collections::HashMap<String, usize> = model
        .inputs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.source.clone(), i))
        .collect();
    for (name, text, first) in todo {
        let n = crate::error_lines::scan(name, text, first, model);
        if n > 0 {
            if let Some(s) = by_name.get(name).and_then(|&i| model.inputs.get_mut(i)) {
                s.objects += n;
                s.warnings
                    .push(format!("{n} error line(s) read as log events"));
            }
        }
    }
}

/// The same HNS object read from two sources (a legacy folder has endpoints in `endpoint.txt`
/// JSON *and* in `hnsdiag.txt`): keep one per GUID — the JSON-shaped one over a table row — at
/// the position it was first seen.
pub fn reconcile(model: &mut HostModel) {
    fn rank(s: ApiSchema) -> u8 {
        match s {
            ApiSchema::V1 | ApiSchema::V2 => 2,
            ApiSchema::Unknown => 1,
            ApiSchema::Table => 0,
        }
    }
    let hns = &mut model.hns;
    dedupe(&mut hns.networks, |n| &n.id, |n| rank(n.schema));
    dedupe(&mut hns.endpoints, |e| &e.id, |e| rank(e.schema));
    dedupe(&mut hns.load_balancers, |l| &l.id, |l| rank(l.schema));
    dedupe(
        &mut hns.namespaces,
        |n| &n.id,
        |n| u8::from(n.compartment_id.is_some()) + u8::from(n.ns_type.is_some()),
    );
}

fn dedupe<T>(items: &mut Vec<T>, id: impl Fn(&T) -> &String, rank: impl Fn(&T) -> u8) {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in items.drain(..) {
        let key = norm_guid(id(&item));
        if key.is_empty() {
            out.push(item);
            continue;
        }
        match seen.get(&key) {
            Some(&at) => {
                if let Some(kept) = out.get_mut(at) {
                    if rank(&item) > rank(kept) {
                        *kept = item;
                    }
                }
            }
            None => {
                seen.insert(key, out.len());
                out.push(item);
            }
        }
    }
    *items = out;
}

/// Choose the format(s) for a source.
#[must_use]
pub fn select(name: &str, command: Option<&str>, text: &str) -> Selection {
    let named = by_name(name);
    if !named.is_empty() {
        return Selection::Named(named);
    }
    let window = head(text, DETECT_WINDOW);
    let mut best: Option<(&'static FormatDef, u8)> = None;
    for f in FORMATS {
        let mut score = (f.detect)(window);
        if command.is_some_and(|c| hint_matches(c, f.id())) {
            score = score.saturating_add(HINT_BONUS).min(100);
        }
        if score >= MIN_DETECT_SCORE && best.is_none_or(|(_, s)| score > s) {
            best = Some((f, score));
        }
    }
    best.map_or(Selection::Unknown, |(f, s)| Selection::Detected(f, s))
}

/// Formats that read a source by its path: those of every artefact its name matches
/// ([`hnsdoctor_bundle::artefacts::matching`]), in [`crate::formats::FORMATS`] order.
#[must_use]
pub fn by_name(name: &str) -> Vec<&'static FormatDef> {
    hnsdoctor_bundle::artefacts::formats_for(name)
        .into_iter()
        .filter_map(crate::formats::by_format)
        .collect()
}

/// Whether a command line names a format: every word of the format id (split at `-`, at least
/// three letters) appears in the command, `.exe` and a plural `s` ignored.
#[must_use]
pub fn hint_matches(command: &str, format_id: &str) -> bool {
    let cmd = command.to_ascii_lowercase().replace(".exe", "");
    let words: Vec<&str> = format_id.split('-').filter(|w| w.len() >= 3).collect();
    !words.is_empty()
        && words.iter().all(|w| {
            let stem = w.strip_suffix('s').filter(|s| s.len() >= 3).unwrap_or(w);
            cmd.contains(stem)
        })
}

fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

fn manifest_parser(m: &Manifest, name: &str) -> Option<&'static FormatDef> {
    m.sources
        .iter()
        .find(|r| r.path.as_deref() == Some(name))
        .and_then(|r| r.parser.as_deref())
        .and_then(crate::formats::by_id)
}

fn scores(text: &str) -> Vec<(&'static str, u8)> {
    let window = head(text, DETECT_WINDOW);
    FORMATS
        .iter()
        .filter_map(|f| {
            let s = (f.detect)(window);
            (s > 0).then_some((f.id(), s))
        })
        .collect()
}

fn new_summary(src: &Source, name: &str) -> InputSummary {
    InputSummary {
        source: name.to_string(),
        format: UNKNOWN.to_string(),
        encoding: src.encoding.clone(),
        warnings: src.warnings.clone(),
        ..InputSummary::default()
    }
}

fn assemble_source(src: &Source, by_manifest: Option<&'static FormatDef>, model: &mut HostModel) {
    let text = match &src.content {
        Content::Text(t) => t,
        Content::Refused(why) => {
            let mut s = new_summary(src, &src.name);
            s.format = by_name(&src.name)
                .first()
                .map_or(UNKNOWN, |f| f.id())
                .to_string();
            s.refused = Some(why.clone());
            model.inputs.push(s);
            return;
        }
        Content::Binary(bytes) if src.name.to_ascii_lowercase().ends_with(".evtx") => {
            let mut s = new_summary(src, &src.name);
            s.format = EVTX.to_string();
            let before = model.facts.clone();
            match crate::eventlog::parse_evtx_bytes(&src.name, bytes, model, &mut s) {
                Ok(()) => {}
                Err(ParseError::Skip { reason }) => s.refused = Some(reason),
                Err(e @ ParseError::Broken { .. }) => s.warnings.push(e.to_string()),
            }
            for fact in model.facts.difference(&before) {
                if !s.facts.contains(fact) {
                    s.facts.push(*fact);
                }
            }
            finish_summary(&mut s);
            model.inputs.push(s);
            return;
        }
        Content::Binary(bytes) => {
            let mut s = new_summary(src, &src.name);
            let named = by_manifest.map_or_else(|| by_name(&src.name), |f| vec![f]);
            s.format = named.first().map_or("binary", |f| f.id()).to_string();
            s.refused = Some(format!(
                "{}: binary file ({} bytes); no parser for binary data is registered",
                src.name,
                bytes.len()
            ));
            model.inputs.push(s);
            return;
        }
    };
    let from_command = src.command.as_deref().map_or(0, |c| {
        crate::command_line::read(c, &src.name, src.command_line, model)
    });
    if text.trim().is_empty() {
        if from_command > 0 {
            let mut s = new_summary(src, &src.name);
            s.format = COMMAND_LINE.to_string();
            s.objects = from_command;
            s.selected_by = Some("the command line".into());
            model.inputs.push(s);
        }
        return;
    }
    let mut notes = src.notes.clone();
    if from_command > 0 {
        notes.push(format!(
            "read {from_command} value(s) from the command line at line {}",
            src.command_line
        ));
    }
    let named = by_manifest.is_some() || !by_name(&src.name).is_empty();
    // Paste sections get the alternative reading; whole files of a folder are read as they are.
    let (text, alt_used) = if named || src.kind != SourceKind::Section {
        (Cow::Borrowed(text.as_str()), false)
    } else {
        best_reading(text, src.command.as_deref())
    };
    let text: &str = &text;
    if alt_used {
        notes.push(
            "read with the log prefixes common to the block removed (timestamps, [pid] tags)"
                .into(),
        );
    }
    if !named && src.command.is_none() {
        // A paste section (or unnamed file) without a prompt may hold several outputs back to
        // back: cut where the detected format changes.
        let pieces = paste::split_on_format_change(text, src.first_line, &scores);
        if pieces.len() > 1 {
            for (k, piece) in pieces.iter().enumerate() {
                let name = format!("{}.{}", src.name, k + 1);
                let mut s = new_summary(src, &name);
                let (ptext, palt) = best_reading(piece.text, None);
                if k == 0 {
                    s.normalised.clone_from(&notes);
                } else {
                    s.warnings.clear();
                }
                if palt && !alt_used {
                    s.normalised.push("read with the log prefixes common to the block removed (timestamps, [pid] tags)".into());
                }
                let sel = select(&name, None, &ptext);
                run_selection(&sel, &name, &ptext, piece.first_line, s, model);
            }
            return;
        }
    }
    let selection = match by_manifest {
        Some(f) => Selection::Manifest(f),
        None => select(&src.name, src.command.as_deref(), text),
    };
    let mut s = new_summary(src, &src.name);
    s.normalised = notes;
    run_selection(&selection, &src.name, text, src.first_line, s, model);
}

/// The reading of a block that detection recognises better: the text itself, or the
/// alternative with log prefixes common to the block removed ([`paste::alt_reading`]; `true`
/// when the alternative won). The alternative is made only here and dropped when it loses, so
/// a large paste is not held twice while it is parsed.
fn best_reading<'a>(text: &'a str, command: Option<&str>) -> (Cow<'a, str>, bool) {
    let Some(alt) = paste::alt_reading(text) else {
        return (Cow::Borrowed(text), false);
    };
    let score = |t: &str| match select("", command, t) {
        Selection::Detected(_, s) => s,
        _ => 0,
    };
    // A prefix common to most lines was found: on a tie the reading without it wins (the title
    // of a table can be found in both, its rows only in the stripped one).
    if score(&alt) >= score(text) {
        (Cow::Owned(alt), true)
    } else {
        (Cow::Borrowed(text), false)
    }
}

fn run_selection(
    selection: &Selection,
    name: &str,
    text: &str,
    first_line: u32,
    mut summary: InputSummary,
    model: &mut HostModel,
) {
    let input = Input {
        source: name,
        text,
        first_line,
    };
    summary.selected_by = match selection {
        Selection::Manifest(_) => Some("manifest".into()),
        Selection::Named(_) => Some("file name".into()),
        Selection::Detected(_, score) => Some(format!("content (score {score})")),
        Selection::Unknown => None,
    };
    match selection {
        Selection::Unknown => {
            record_unknown(&input, &mut summary);
        }
        Selection::Detected(f, _) | Selection::Manifest(f) => {
            run_one(f, &input, model, &mut summary);
        }
        Selection::Named(formats) => {
            let mut merged: Option<InputSummary> = None;
            for f in formats {
                let mut one = InputSummary {
                    source: name.to_string(),
                    ..InputSummary::default()
                };
                run_one(f, &input, model, &mut one);
                merged = Some(match merged {
                    None => one,
                    Some(acc) => merge(acc, one),
                });
            }
            if let Some(m) = merged {
                summary.format = m.format;
                summary.objects = m.objects;
                summary.facts = m.facts;
                summary.skipped = m.skipped;
                summary.skipped_count = m.skipped_count;
                summary.warnings.extend(m.warnings);
                summary.refused = m.refused;
            }
        }
    }
    finish_summary(&mut summary);
    model.inputs.push(summary);
}

/// Run one parser; its outcome goes into `summary`. Facts it marked are listed too.
fn run_one(f: &FormatDef, input: &Input<'_>, model: &mut HostModel, summary: &mut InputSummary) {
    summary.format = f.id().to_string();
    let before = model.facts.clone();
    match (f.parse)(input, model, summary) {
        Ok(()) => {}
        Err(ParseError::Skip { reason }) => summary.refused = Some(reason),
        Err(e @ ParseError::Broken { .. }) => summary.warnings.push(e.to_string()),
    }
    for fact in model.facts.difference(&before) {
        if !summary.facts.contains(fact) {
            summary.facts.push(*fact);
        }
    }
}

/// Merge the outcome of a second format run on the same source.
fn merge(mut a: InputSummary, b: InputSummary) -> InputSummary {
    // A parser that declined (Skip) while another parsed keeps only a note.
    match (&a.refused, &b.refused) {
        (None, Some(r)) => {
            a.warnings.push(format!("{}: {r}", b.format));
            return a;
        }
        (Some(r), None) => {
            let mut b = b;
            b.warnings.insert(0, format!("{}: {r}", a.format));
            return b;
        }
        _ => {}
    }
    a.format = format!("{}+{}", a.format, b.format);
    a.objects += b.objects;
    for f in b.facts {
        if !a.facts.contains(&f) {
            a.facts.push(f);
        }
    }
    a.skipped.extend(b.skipped);
    a.skipped_count += b.skipped_count;
    a.warnings.extend(b.warnings);
    if let (Some(x), Some(y)) = (&a.refused, &b.refused) {
        a.refused = Some(format!("{x}; {y}"));
    }
    a
}

fn record_unknown(input: &Input<'_>, summary: &mut InputSummary) {
    summary.format = UNKNOWN.to_string();
    let mut count = 0usize;
    for (no, line) in input.lines() {
        if line.trim().is_empty() {
            continue;
        }
        count += 1;
        if summary.skipped.len() < 3 {
            summary.skipped.push(SkippedLine {
                line: no,
                reason: format!(
                    "not recognised as any known format: {:?}",
                    line.trim().chars().take(80).collect::<String>()
                ),
            });
        }
    }
    summary.skipped_count = count;
}

fn finish_summary(s: &mut InputSummary) {
    s.skipped_count = s.skipped_count.max(s.skipped.len());
    s.skipped.truncate(MAX_SKIPPED_KEPT);
}

fn status_name(s: SourceStatus) -> &'static str {
    match s {
        SourceStatus::Ok => "ok",
        SourceStatus::Failed => "failed",
        SourceStatus::Timeout => "timed out",
        SourceStatus::Skipped => "skipped",
    }
}

fn apply_manifest(m: &Manifest, opened: &Opened, model: &mut HostModel) {
    if !m.host.trim().is_empty() {
        model.host_name = Some(m.host.trim().to_string());
    }
    let when = if m.finished_at.is_empty() {
        &m.started_at
    } else {
        &m.finished_at
    };
    if !when.is_empty() {
        model.collected_at = Some(when.clone());
    }
    for r in &m.sources {
        let name = r.path.clone().unwrap_or_else(|| r.id.clone());
        let present = opened
            .sources
            .iter()
            .any(|s| Some(&s.name) == r.path.as_ref());
        if r.status == SourceStatus::Ok {
            if r.truncated {
                if let Some(s) = model.inputs.iter_mut().find(|s| s.source == name) {
                    s.warnings.push(
                        "the collector cut this output at its size cap; only the tail is kept"
                            .into(),
                    );
                }
            }
            if r.path.is_some() && !present {
                model.inputs.push(InputSummary {
                    source: name,
                    format: r.parser.clone().unwrap_or_else(|| UNKNOWN.into()),
                    refused: Some(format!(
                        "listed in {MANIFEST_NAME} as collected ({}) but missing from the bundle",
                        r.id
                    )),
                    ..InputSummary::default()
                });
            }
            continue;
        }
        if present {
            // Partial output of a failed source was parsed above; note the failure there.
            if let Some(s) = model.inputs.iter_mut().find(|s| s.source == name) {
                s.warnings.push(format!(
                    "collection {}: {}",
                    status_name(r.status),
                    r.error.as_deref().unwrap_or("no error text")
                ));
            }
            continue;
        }
        model.inputs.push(InputSummary {
            source: name,
            format: r.parser.clone().unwrap_or_else(|| UNKNOWN.into()),
            refused: Some(format!(
                "{} {} during collection ({}): {}",
                r.id,
                status_name(r.status),
                r.via,
                r.error.as_deref().unwrap_or("no error text")
            )),
            ..InputSummary::default()
        });
    }
    if let Some(v) = m.os_build.as_deref() {
        apply_os_build(v, model);
    }
}

/// `10.0.17763.5458` from the manifest: fills the OS build/UBR when no parser did.
fn apply_os_build(v: &str, model: &mut HostModel) {
    let Some(hnsdoctor_kb::BuildUbr { build, ubr, .. }) = hnsdoctor_kb::parse_build_ubr(v) else {
        return;
    };
    match &mut model.os {
        None => {
            model.os = Some(OsInfo {
                build,
                ubr,
                prov: Prov::quoted(MANIFEST_NAME, 0, v),
                ..OsInfo::default()
            });
            model.mark(Fact::OsBuild);
            if ubr.is_some() {
                model.mark(Fact::OsUbr);
            }
        }
        Some(os) if os.build == build && os.ubr.is_none() && ubr.is_some() => {
            os.ubr = ubr;
            model.mark(Fact::OsUbr);
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hnsdoctor_bundle::manifest::SourceRecord;
    use hnsdoctor_bundle::{InputKind, SourceKind};

    fn text_source(name: &str, text: &str) -> Source {
        Source {
            name: name.into(),
            content: Content::Text(text.into()),
            encoding: Some("ascii".into()),
            first_line: 1,
            kind: SourceKind::File,
            command: None,
            command_line: 0,
            warnings: vec![],
            notes: vec![],
        }
    }

    fn opened(sources: Vec<Source>, manifest: Option<Manifest>) -> Opened {
        Opened {
            origin: "t".into(),
            kind: InputKind::Folder,
            root: None,
            manifest,
            sources,
            warnings: vec![],
        }
    }

    #[test]
    fn hints_match_format_ids() {
        assert!(hint_matches(
            "netsh int ipv4 show excludedportrange protocol=tcp",
            "netsh-excludedportrange"
        ));
        assert!(hint_matches(
            "ipconfig.exe /allcompartments /all",
            "ipconfig"
        ));
        assert!(hint_matches(
            "Get-HnsNetwork | ConvertTo-Json",
            "hns-networks-json"
        ));
        assert!(!hint_matches("route print", "ipconfig"));
        assert!(!hint_matches("anything", ""));
    }

    #[test]
    fn unknown_text_is_reported_as_skipped_not_dropped() {
        let o = opened(
            vec![text_source(
                "notes/readme.xyz",
                "hello there\n\nsecond line\n",
            )],
            None,
        );
        let m = assemble(&o);
        assert_eq!(m.inputs.len(), 1);
        let s = &m.inputs[0];
        assert_eq!(s.format, UNKNOWN);
        assert_eq!(s.skipped_count, 2);
        assert_eq!(s.skipped[0].line, 1);
        assert_eq!(s.skipped[1].line, 3);
        assert!(s.skipped[0].reason.contains("hello there"));
    }

    #[test]
    fn refused_and_binary_sources_get_a_summary() {
        let mut bin = text_source("winevt/System.evtx", "");
        bin.content = Content::Binary(b"ElfFile\0 truncated header".to_vec());
        let mut big = text_source("logs/cbs.log", "");
        big.content = Content::Refused("logs/cbs.log: too large".into());
        let m = assemble(&opened(vec![bin, big], None));
        assert_eq!(m.inputs.len(), 2);
        // a broken evtx header is a warning naming the file, not a stop
        assert_eq!(m.inputs[0].format, EVTX);
        assert!(
            m.inputs[0]
                .warnings
                .iter()
                .any(|w| w.contains("System.evtx")),
            "{:?}",
            m.inputs[0]
        );
        assert!(m.inputs[1].refused.is_some());
        assert!(m.inputs[1].refused.as_deref().unwrap().contains("cbs.log"));
    }

    #[test]
    fn manifest_header_failed_sources_and_os_build() {
        let man = Manifest {
            host: "AKSWIN000001".into(),
            finished_at: "2026-11-24T02:00:07Z".into(),
            os_build: Some("10.0.17763.5458".into()),
            sources: vec![
                SourceRecord {
                    id: "hns.networks".into(),
                    status: SourceStatus::Timeout,
                    via: "HcnEnumerateNetworks".into(),
                    path: Some("hns/networks.json".into()),
                    error: Some("no answer in 30 s".into()),
                    ..SourceRecord::default()
                },
                SourceRecord {
                    id: "vfp.ports".into(),
                    status: SourceStatus::Ok,
                    path: Some("vfp/ports.txt".into()),
                    ..SourceRecord::default()
                },
            ],
            ..Manifest::default()
        };
        let m = assemble(&opened(vec![], Some(man)));
        assert_eq!(m.host_name.as_deref(), Some("AKSWIN000001"));
        assert_eq!(m.collected_at.as_deref(), Some("2026-11-24T02:00:07Z"));
        let os = m.os.as_ref().unwrap();
        assert_eq!((os.build, os.ubr), (17763, Some(5458)));
        assert!(m.has(Fact::OsUbr));
        let t = m
            .inputs
            .iter()
            .find(|s| s.source == "hns/networks.json")
            .unwrap();
        let why = t.refused.as_deref().unwrap();
        assert!(
            why.contains("timed out") && why.contains("no answer in 30 s"),
            "{why}"
        );
        let missing = m
            .inputs
            .iter()
            .find(|s| s.source == "vfp/ports.txt")
            .unwrap();
        assert!(missing
            .refused
            .as_deref()
            .unwrap()
            .contains("missing from the bundle"));
    }

    #[test]
    fn paste_dispatch_through_the_real_table() {
        // Two netsh outputs pasted without prompts: split at the format change, both parsed.
        let paste = "\nProtocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n      5357        5357\n     50000       50059     *\n\n* - Administered port exclusions.\n\n\nProtocol tcp Dynamic Port Range\n---------------------------------\nStart Port      : 49152\nNumber of Ports : 16384\n\n";
        let o = hnsdoctor_bundle::open::open_paste_bytes(
            "-",
            "paste",
            InputKind::Stdin,
            paste.as_bytes(),
        )
        .unwrap();
        let m = assemble(&o);
        let formats: Vec<_> = m
            .inputs
            .iter()
            .map(|s| (s.source.as_str(), s.format.as_str()))
            .collect();
        assert_eq!(
            formats,
            [
                ("paste#1.1", "netsh-excludedportrange"),
                ("paste#1.2", "netsh-dynamicportrange")
            ],
            "{:#?}",
            m.inputs
        );
        assert_eq!(m.ports.excluded.len(), 2);
        assert_eq!(
            m.ports.excluded[0].prov.line, 6,
            "provenance points into the paste"
        );
        assert_eq!(m.ports.dynamic.len(), 1);
        assert!(m.has(Fact::ExcludedPortRangeTcp) && m.has(Fact::DynamicPortRangeTcp));
    }

    #[test]
    fn prompt_hint_selects_the_format() {
        let paste = "PS C:\\> netsh int ipv4 show dynamicportrange tcp\n\nProtocol tcp Dynamic Port Range\n---------------------------------\nStart Port      : 1025\nNumber of Ports : 64511\n";
        let o = hnsdoctor_bundle::open::open_paste_bytes(
            "-",
            "paste",
            InputKind::Stdin,
            paste.as_bytes(),
        )
        .unwrap();
        let m = assemble(&o);
        assert_eq!(m.inputs[0].format, "netsh-dynamicportrange");
        assert_eq!(m.ports.dynamic[0].start, 1025);
        assert_eq!(m.ports.dynamic[0].prov.line, 5);
    }

    #[test]
    fn duplicate_hns_objects_keep_the_json_one() {
        use hnsdoctor_model::Endpoint;
        let mut m = HostModel::new();
        let table = Endpoint {
            id: "0b4c9e52-6f1d-4a8e-93c2-5d7e8f9a0b1c".into(),
            schema: ApiSchema::Table,
            ..Endpoint::default()
        };
        let json = Endpoint {
            id: "0B4C9E52-6F1D-4A8E-93C2-5D7E8F9A0B1C".into(),
            state: Some(3),
            schema: ApiSchema::V1,
            ..Endpoint::default()
        };
        let other = Endpoint {
            id: "1C5DAF63-7021-4B9F-A4D3-6E8F9A0B1C2D".into(),
            schema: ApiSchema::Table,
            ..Endpoint::default()
        };
        m.hns.endpoints = vec![table, other, json];
        reconcile(&mut m);
        assert_eq!(m.hns.endpoints.len(), 2);
        assert_eq!(m.hns.endpoints[0].state, Some(3));
        assert_eq!(
            m.hns.endpoints[1].id,
            "1C5DAF63-7021-4B9F-A4D3-6E8F9A0B1C2D"
        );
    }

    #[test]
    fn name_matching_is_on_a_path_boundary() {
        use hnsdoctor_bundle::artefacts::ARTEFACTS;
        for a in ARTEFACTS {
            let n = a.name;
            if n.ends_with('/') || n.contains('*') {
                continue;
            }
            for f in a.formats() {
                let found = by_name(&format!("some/dir/{}", n.to_ascii_uppercase()));
                assert!(found.iter().any(|g| g.format == *f), "{n}");
                let glued = format!("x{n}");
                let other_name_fits = ARTEFACTS
                    .iter()
                    .any(|b| b.formats().contains(f) && glued.ends_with(&format!("/{}", b.name)));
                if !other_name_fits {
                    assert!(!by_name(&glued).iter().any(|g| g.format == *f), "{glued}");
                }
            }
        }
        // A legacy `network.txt` is JSON or a list: both formats run, in table order.
        let ids: Vec<&str> = by_name("out/NETWORK.TXT").iter().map(|f| f.id()).collect();
        assert_eq!(ids, ["hns-networks-json", "hns-networks-list"]);
    }
}
