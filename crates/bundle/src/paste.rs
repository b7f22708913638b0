//! Splitting a paste into sections, one per command output.
//!
//! People paste what they have: a terminal session with prompts, a GitHub issue in Markdown with
//! quotes and code fences, a CI log with a timestamp on every line. [`split`] undoes the wrapping
//! and cuts the text where a new command starts:
//!
//! * Markdown quote prefixes (`> `, nested `> > `) are removed from each line;
//! * code fences (```` ``` ````, `~~~`, with or without a language tag) delimit sections;
//! * prompt lines `PS C:\>`, `PS C:\k>`, `[node]: PS C:\>`, `PS>`, `C:\>` start a new section;
//!   the command after the prompt is kept as [`Section::command`], a hint for format selection;
//! * GitHub Actions markers: `##[group]<title>` and `##[command]<cmd>` start a section (title or
//!   command as the hint), `##[endgroup]` ends one, `##[error]`/`##[warning]`/… prefixes are
//!   dropped;
//! * prefixes present on **every** non-blank line (CI timestamps such as
//!   `2024-05-01T10:00:00.1234567Z `, `[stdout] `, `[stderr] `) are removed — first over the whole
//!   paste, then per section;
//! * a paste cut off inside a code fence or mid-line gets a warning instead of an error.
//!
//! Line numbers are never renumbered: a section's text is a run of consecutive original lines
//! starting at [`Section::first_line`], so provenance points into the pasted file.
//!
//! Without prompts, a paste may still hold several outputs back to back. Format detection lives in
//! `hnsdoctor-parse` (which depends on this crate, not the reverse), so
//! [`split_on_format_change`] takes the detector as a closure.

/// One command output cut out of a paste.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// The section text, prefixes removed, `\n` line ends, no leading or trailing blank lines.
    pub text: String,
    /// 1-based line number in the pasted text of the first line of `text`.
    pub first_line: u32,
    /// The command that produced it, from a prompt line or CI marker.
    pub command: Option<String>,
    /// 1-based line of that command in the pasted text (0 when there is none).
    pub command_line: u32,
    /// Notes: cut-off fence, cut-off last line.
    pub warnings: Vec<String>,
    /// What normalisation changed in this section's lines (prefixes, quote marks, backticks …),
    /// for `inspect`. The line count never changes, so provenance stays exact.
    pub notes: Vec<String>,
}

/// A section while the paste is being split: its text borrowed from the paste when its lines are
/// an unchanged run of it (no copy), owned when a normalisation changed one of them.
#[derive(Debug)]
struct Draft<'a> {
    text: Cow<'a, str>,
    first_line: u32,
    command: Option<String>,
    command_line: u32,
    warnings: Vec<String>,
    notes: Vec<String>,
}

impl Draft<'_> {
    fn into_section(mut self) -> Section {
        let text = std::mem::take(&mut self.text).into_owned();
        self.with_text(text)
    }

    /// The section with `text` as its text (the paste's own string, cut to this section).
    fn with_text(self, text: String) -> Section {
        Section {
            text,
            first_line: self.first_line,
            command: self.command,
            command_line: self.command_line,
            warnings: self.warnings,
            notes: self.notes,
        }
    }
}

/// One piece of a section cut by [`split_on_format_change`]: a run of its lines, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The piece's lines (trailing blank lines removed).
    pub text: &'a str,
    /// 1-based line number in the pasted text of its first line.
    pub first_line: u32,
}

use std::borrow::Cow;

/// Scores for a text: `(format id, score 0..=100)` for every format that scores above 0.
pub type Scorer<'a> = &'a dyn Fn(&str) -> Vec<(&'static str, u8)>;

/// A score at or above this starts a new section when the format differs.
pub const STRONG_SCORE: u8 = 60;

/// One line of a paste: borrowed from the decoded text until a normalisation changes it, so
/// splitting a large paste costs a small record per line, not a copy of every line.
#[derive(Debug, Clone)]
struct Line<'a> {
    no: u32,
    text: Cow<'a, str>,
}

/// Drop the first `k` bytes of a line (all of it when `k` is not a character boundary).
fn drop_front(text: &mut Cow<'_, str>, k: usize) {
    match text {
        Cow::Borrowed(s) => *s = s.get(k..).unwrap_or_default(),
        Cow::Owned(s) => *s = s.get(k..).unwrap_or_default().to_string(),
    }
}

/// Split a decoded paste into sections. Never fails; a paste of prose comes back as one section.
#[must_use]
pub fn split(text: &str) -> Vec<Section> {
    split_drafts(text)
        .into_iter()
        .map(Draft::into_section)
        .collect()
}

/// [`split`] on an owned paste: when the whole paste is one section whose lines are an unchanged
/// run of it (a log piped to stdin), the paste's own string becomes the section's text, cut in
/// place; nothing is copied, so opening a large paste costs its size plus a record per line.
#[must_use]
pub fn split_owned(mut text: String) -> Vec<Section> {
    let mut drafts = split_drafts(&text);
    let span = match drafts.as_slice() {
        [Draft {
            text: Cow::Borrowed(t),
            ..
        }] => (t.as_ptr() as usize)
            .checked_sub(text.as_ptr() as usize)
            .filter(|start| start + t.len() <= text.len())
            .map(|start| (start, t.len())),
        _ => None,
    };
    match (span, drafts.pop()) {
        (Some((start, len)), Some(only)) => {
            // A new draft without the borrowed text, so `text` can be cut in place.
            let only = Draft {
                text: Cow::Borrowed(""),
                ..only
            };
            text.truncate(start + len);
            text.drain(..start);
            vec![only.with_text(text)]
        }
        (_, last) => drafts
            .into_iter()
            .chain(last)
            .map(Draft::into_section)
            .collect(),
    }
}

fn split_drafts(text: &str) -> Vec<Draft<'_>> {
    let mut lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, l)| Line {
            no: u32::try_from(i).unwrap_or(u32::MAX - 1).saturating_add(1),
            text: Cow::Borrowed(l),
        })
        .collect();
    let mut global_notes = strip_common_prefixes(&mut lines);
    let mut quoted = 0usize;
    let mut ticked = 0usize;
    for l in &mut lines {
        // `strip_quote` returns a suffix of the line.
        let cut = l.text.len() - strip_quote(&l.text).len();
        if cut > 0 {
            quoted += 1;
            drop_front(&mut l.text, cut);
        }
        if let Some(rest) = strip_gha_level(&l.text) {
            l.text = Cow::Owned(rest);
        }
        if let Some(rest) = strip_inline_backticks(&l.text) {
            ticked += 1;
            l.text = Cow::Owned(rest);
        }
    }
    if quoted > 0 {
        global_notes.push(format!(
            "removed Markdown quote marks from {quoted} line(s)"
        ));
    }
    if ticked > 0 {
        global_notes.push(format!(
            "removed inline-code backticks around {ticked} line(s)"
        ));
    }
    global_notes.extend(strip_common_prefixes(&mut lines));

    let mut sections: Vec<Draft> = Vec::new();
    let mut cur: Vec<Line> = Vec::new();
    let mut cur_cmd: Option<(String, u32)> = None;
    let mut fence_open: Option<u32> = None;
    for l in lines {
        let t = l.text.trim();
        if is_fence(t) {
            flush(text, &mut sections, &mut cur, cur_cmd.take());
            fence_open = if fence_open.is_some() {
                None
            } else {
                Some(l.no)
            };
            continue;
        }
        let bare = if fence_open.is_none() || cur.is_empty() {
            bare_command(t)
        } else {
            None
        };
        if let Some(cmd) = prompt_command(t).or_else(|| gha_start(t)).or(bare) {
            flush(text, &mut sections, &mut cur, cur_cmd.take());
            cur_cmd = (!cmd.is_empty()).then_some((cmd, l.no));
            continue;
        }
        if t.starts_with("##[endgroup]") {
            flush(text, &mut sections, &mut cur, cur_cmd.take());
            continue;
        }
        cur.push(l);
    }
    flush(text, &mut sections, &mut cur, cur_cmd.take());

    if let Some(open_line) = fence_open {
        if let Some(last) = sections.last_mut() {
            last.warnings.push(format!(
                "code fence opened at line {open_line} is not closed (paste cut off?)"
            ));
        }
    }
    if !text.is_empty() && !text.ends_with('\n') {
        if let Some(last) = sections.last_mut() {
            last.warnings.push(
                "the paste does not end with a line break: its last line may be cut off".into(),
            );
        }
    }
    if let Some(first) = sections.first_mut() {
        global_notes.append(&mut first.notes);
        first.notes = global_notes;
    }
    sections
}

/// Further split a section's text (one without a command hint) where the detected format
/// changes; `first_line` is the line number of its first line.
///
/// The text is cut into paragraphs at blank lines; a paragraph whose best format scores at
/// least [`STRONG_SCORE`] and differs from the running format — while the running format scores
/// it below [`STRONG_SCORE`] — starts a new piece. Paragraphs nobody recognises stay with the
/// piece before them (ipconfig adapter blocks, table continuations). The pieces borrow from
/// `text`; a text with no blank line is one piece without a copy.
#[must_use]
pub fn split_on_format_change<'a>(
    text: &'a str,
    first_line: u32,
    scores: Scorer<'_>,
) -> Vec<Piece<'a>> {
    // Paragraphs as (first line number, byte start, byte end): a paragraph runs from its first
    // non-blank line to the end of the blank lines after it.
    let mut paragraphs: Vec<(u32, usize, usize)> = Vec::new();
    let mut blank_run = true;
    let mut at = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        let start = at;
        at += l.len();
        let line = l.strip_suffix('\n').unwrap_or(l);
        let end = start + line.len();
        let no = first_line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        if line.trim().is_empty() {
            blank_run = true;
            if let Some(p) = paragraphs.last_mut() {
                p.2 = end;
            }
            continue;
        }
        if blank_run {
            paragraphs.push((no, start, end));
            blank_run = false;
        }
        if let Some(p) = paragraphs.last_mut() {
            p.2 = end;
        }
    }
    // Pieces as (first line number, byte start, byte end).
    let mut out: Vec<(u32, usize, usize)> = Vec::new();
    let mut running: Option<&'static str> = None;
    for (no, start, end) in paragraphs {
        let found = scores(&text[start..end]);
        let best = found.iter().copied().max_by_key(|(_, s)| *s);
        let running_score = running
            .and_then(|r| found.iter().find(|(id, _)| *id == r))
            .map_or(0, |(_, s)| *s);
        let starts_new = match (best, running) {
            (Some((id, s)), Some(r)) => {
                s >= STRONG_SCORE && id != r && running_score < STRONG_SCORE
            }
            (Some((_, s)), None) => s >= STRONG_SCORE && !out.is_empty(),
            (None, _) => false,
        };
        if starts_new || out.is_empty() {
            out.push((no, start, end));
        }
        if let Some((id, s)) = best {
            if s >= STRONG_SCORE && (starts_new || running.is_none()) {
                running = Some(id);
            }
        }
        if let Some(cur) = out.last_mut() {
            cur.2 = end;
        }
    }
    if out.is_empty() {
        return vec![Piece { text, first_line }];
    }
    out.into_iter()
        .map(|(no, start, end)| Piece {
            text: text[start..end].trim_end(),
            first_line: no,
        })
        .collect()
}

fn flush<'a>(
    paste: &'a str,
    sections: &mut Vec<Draft<'a>>,
    cur: &mut Vec<Line<'a>>,
    command: Option<(String, u32)>,
) {
    let mut lines = std::mem::take(cur);
    while lines.last().is_some_and(|l| l.text.trim().is_empty()) {
        lines.pop();
    }
    let start = lines
        .iter()
        .position(|l| !l.text.trim().is_empty())
        .unwrap_or(lines.len());
    let mut lines: Vec<Line> = lines.into_iter().skip(start).collect();
    let (command, command_line) = command.map_or((None, 0), |(c, no)| (Some(c), no));
    if lines.is_empty() {
        // A command whose output is empty (or not shown) is still a command that was run.
        if let Some(cmd) = command {
            sections.push(Draft {
                text: Cow::Owned(String::new()),
                first_line: command_line.saturating_add(1),
                command: Some(cmd),
                command_line,
                warnings: Vec::new(),
                notes: Vec::new(),
            });
        }
        return;
    }
    let notes = strip_common_prefixes(&mut lines);
    let first_line = lines.first().map_or(1, |l| l.no);
    let text = unchanged_run(paste, &lines).map_or_else(
        || {
            Cow::Owned(
                lines
                    .iter()
                    .map(|l| l.text.trim_end())
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        },
        Cow::Borrowed,
    );
    sections.push(Draft {
        text,
        first_line,
        command,
        command_line,
        warnings: Vec::new(),
        notes,
    });
}

/// The span of `paste` that `lines` are, when they are consecutive lines of it left unchanged
/// (borrowed, `\n`-separated, nothing trimmed): joining them would copy that span.
fn unchanged_run<'a>(paste: &'a str, lines: &[Line<'a>]) -> Option<&'a str> {
    let base = paste.as_ptr() as usize;
    let mut start = None;
    let mut end = 0usize;
    for l in lines {
        let Cow::Borrowed(t) = l.text else {
            return None;
        };
        if t.len() != t.trim_end().len() {
            return None;
        }
        let off = (t.as_ptr() as usize).checked_sub(base)?;
        match start {
            None => start = Some(off),
            Some(_) if off != end + 1 || paste.as_bytes().get(end) != Some(&b'\n') => return None,
            Some(_) => {}
        }
        end = off + t.len();
    }
    paste.get(start?..end)
}

fn is_fence(t: &str) -> bool {
    t.starts_with("```") || t.starts_with("~~~")
}

/// Remove Markdown quote markers (`>` followed by a space or the end of line), nested too.
/// PowerShell's continuation prompt `>> ` is left alone.
fn strip_quote(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if t.starts_with(">>") {
            return s;
        }
        match t.strip_prefix('>') {
            Some(rest) if rest.is_empty() => return rest,
            Some(rest) if rest.starts_with(' ') => s = rest.strip_prefix(' ').unwrap_or(rest),
            _ => return s,
        }
    }
}

/// `##[error]text` → `text` (level markers that prefix a line of output).
fn strip_gha_level(s: &str) -> Option<String> {
    for m in [
        "##[error]",
        "##[warning]",
        "##[debug]",
        "##[notice]",
        "##[section]",
    ] {
        if let Some(rest) = s.trim_start().strip_prefix(m) {
            return Some(rest.to_string());
        }
    }
    None
}

/// `##[group]title` / `##[command]cmd` → the title or command.
fn gha_start(t: &str) -> Option<String> {
    t.strip_prefix("##[group]")
        .or_else(|| t.strip_prefix("##[command]"))
        .map(|c| c.trim().to_string())
}

/// The command of a prompt line (`PS C:\k> ipconfig /all` → `ipconfig /all`), `Some("")` for a
/// bare prompt, `None` when the line is not a prompt.
fn prompt_command(t: &str) -> Option<String> {
    // `[host]: PS C:\>` (remoting)
    let t = match t.strip_prefix('[') {
        Some(rest) => match rest.split_once("]: ") {
            Some((host, after)) if !host.contains(' ') => after,
            _ => t,
        },
        None => t,
    };
    if let Some(rest) = t.strip_prefix("PS>") {
        return Some(rest.trim().to_string());
    }
    // `S C:\>` is a prompt whose first character was lost in the copy.
    let (path_part, is_ps) = match t.strip_prefix("PS ").or_else(|| t.strip_prefix("S ")) {
        Some(rest) => (rest, true),
        None => (t, false),
    };
    let b = path_part.as_bytes();
    let drive = b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.get(1) == Some(&b':')
        && b.get(2) == Some(&b'\\');
    let unc = is_ps && path_part.starts_with("Microsoft.PowerShell.Core\\FileSystem::");
    if !(drive || unc) {
        return None;
    }
    let gt = path_part.find('>')?;
    let path = path_part.get(..gt)?;
    if path.contains(['<', '|', '"', '*', '?']) {
        return None;
    }
    let rest = path_part.get(gt + 1..)?;
    // `C:\> ` only: output lines such as `C:\Windows\system32>` mid-sentence are unlikely.
    Some(rest.trim().to_string())
}

/// Share of non-blank lines (in percent) that must carry a prefix before it is stripped from a
/// block of five or more lines (smaller blocks need it on every line): a provisioning log's
/// `==> name:` banner or a stray unprefixed line does not keep the rest from being read.
pub const PREFIX_MAJORITY_PERCENT: usize = 80;

type Matcher = fn(&str) -> Option<usize>;

/// Whether a prefix found by `m` stands on enough of the non-blank lines.
fn prefix_common(lines: &[Line], m: impl Fn(&str) -> Option<usize>) -> bool {
    let non_blank: Vec<&Line> = lines.iter().filter(|l| !l.text.trim().is_empty()).collect();
    if non_blank.is_empty() {
        return false;
    }
    let with = non_blank.iter().filter(|l| m(&l.text).is_some()).count();
    if non_blank.len() < 5 {
        with == non_blank.len()
    } else {
        with >= 3 && with * 100 >= non_blank.len() * PREFIX_MAJORITY_PERCENT
    }
}

/// Strip prefixes common to the block (see [`PREFIX_MAJORITY_PERCENT`]): CI timestamps,
/// `[stdout] `/`[stderr] `, and a provisioner's `name: ` label (`    vhd: `, `==> vhd: `). Returns
/// notes saying what was removed.
fn strip_common_prefixes(lines: &mut [Line]) -> Vec<String> {
    let mut notes = Vec::new();
    let kinds: [(&str, Matcher); 3] = [
        ("CI timestamp", ci_timestamp_len),
        ("[stdout]", |s| s.starts_with("[stdout] ").then_some(9)),
        ("[stderr]", |s| s.starts_with("[stderr] ").then_some(9)),
    ];
    loop {
        let mut changed = false;
        for (what, m) in kinds {
            if prefix_common(lines, m) {
                let mut n = 0usize;
                for l in lines.iter_mut() {
                    if let Some(k) = m(&l.text) {
                        drop_front(&mut l.text, k);
                        n += 1;
                    }
                }
                notes.push(format!("removed a {what} prefix from {n} line(s)"));
                changed = true;
            }
        }
        if let Some(label) = common_label(lines) {
            let mut n = 0usize;
            for l in lines.iter_mut() {
                if let Some(k) = label_len(&l.text, &label) {
                    drop_front(&mut l.text, k);
                    n += 1;
                }
            }
            notes.push(format!("removed a `{label}:` line prefix from {n} line(s)"));
            changed = true;
        }
        if !changed {
            return notes;
        }
    }
}

/// `    vhd: text`, `==> vhd: text`, `vhd:` → the label (`vhd`) and the prefix length.
fn label_of(s: &str) -> Option<(&str, usize)> {
    let t = s.trim_start();
    let mut off = s.len() - t.len();
    let t2 = t.strip_prefix("==>").map(str::trim_start);
    if let Some(rest) = t2 {
        off += t.len() - rest.len();
    }
    let t = t2.unwrap_or(t);
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .map_or(t.len(), |(i, _)| i);
    let label = t.get(..end)?;
    if label.is_empty() || label.len() > 40 || !label.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return None;
    }
    let rest = t.get(end..)?;
    let after = rest.strip_prefix(':')?;
    // `name: x` or `name:` alone; not `C:\`, `http://`, `12:30`, `key:value`.
    let len = if after.is_empty() {
        0
    } else if after.starts_with(' ') {
        1
    } else {
        return None;
    };
    Some((label, off + end + 1 + len))
}

fn label_len(s: &str, label: &str) -> Option<usize> {
    label_of(s).filter(|(l, _)| *l == label).map(|(_, n)| n)
}

/// The `name:` label that stands before most lines of the block, if any. A label shared by few
/// lines, or different keys of a `key: value` listing, are not prefixes.
fn common_label(lines: &[Line]) -> Option<String> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for l in lines {
        if let Some((label, _)) = label_of(&l.text) {
            *counts.entry(label).or_default() += 1;
        }
    }
    let (label, _) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    // Single-line blocks and two-line blocks are never a prefixed log.
    let n_non_blank = lines.iter().filter(|l| !l.text.trim().is_empty()).count();
    (n_non_blank >= 3 && prefix_common(lines, |t| label_len(t, label))).then(|| label.to_string())
}

/// A line wrapped in inline-code backticks (Markdown: `` `text` ``, or only one end of a
/// multi-line span): the text without them. Code fences are left to the fence logic.
fn strip_inline_backticks(s: &str) -> Option<String> {
    let t = s.trim_end();
    if t.trim_start().starts_with("```") || t.ends_with("```") {
        return None;
    }
    let lead = t.len() - t.trim_start().len();
    let body = t.trim_start();
    let (body, a) = match body.strip_prefix('`') {
        Some(rest) => (rest, true),
        None => (body, false),
    };
    let (body, b) = match body.strip_suffix('`') {
        Some(rest) => (rest, true),
        None => (body, false),
    };
    // The opening backtick becomes a blank, so table columns keep their alignment.
    (a || b).then(|| format!("{}{body}", " ".repeat(lead + usize::from(a))))
}

/// Commands people paste above the output without a prompt (`netsh int ipv4 show …`,
/// `kubectl exec … -- ipconfig /all`, `docker start x`). The first word decides; the line must be
/// short and command-shaped. Returns the command, used as a format hint.
fn bare_command(t: &str) -> Option<String> {
    const COMMANDS: &[&str] = &[
        "netsh",
        "ipconfig",
        "route",
        "arp",
        "hnsdiag",
        "vfpctrl",
        "nslookup",
        "ping",
        "tracert",
        "curl",
        "curl.exe",
        "wget",
        "sc",
        "sc.exe",
        "docker",
        "docker.exe",
        "kubectl",
        "crictl",
        "ctr",
        "systeminfo",
        "wmic",
        "winver",
        "reg",
        "pktmon",
        "hcsdiag",
        "nerdctl",
    ];
    // Output lines that start with a command's name are not commands: `Ping request could not
    // find host x.`, `curl : The remote name …` (a PowerShell error record), sentences.
    if t.len() > 400 || t.contains("  ") || t.contains(" : ") || t.ends_with('.') {
        return None;
    }
    let first = t.split_whitespace().next()?;
    let low = first.to_ascii_lowercase();
    let is_cmdlet = {
        let (verb, noun) = first.split_once('-').unwrap_or(("", ""));
        matches!(
            verb.to_ascii_lowercase().as_str(),
            "get"
                | "resolve"
                | "test"
                | "invoke"
                | "new"
                | "remove"
                | "set"
                | "restart"
                | "start"
                | "stop"
        ) && noun.len() >= 3
            && noun.starts_with(|c: char| c.is_ascii_uppercase())
            && noun.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let is_script = low.ends_with(".ps1") || low.ends_with(".cmd");
    // Native tools are typed in lower case; `Ping request …` is their output.
    let known = COMMANDS.contains(&low.as_str()) && first == low;
    // `route print`, `ping x` need an argument; a bare word might be prose.
    let has_args = t.split_whitespace().count() >= 2 || low == "ipconfig" || low == "systeminfo";
    ((known && has_args) || is_cmdlet || is_script).then(|| t.to_string())
}

/// The block with log-line prefixes common to most lines removed (timestamps in any common
/// shape, then `[1234]`-style pid or level tags), or `None` when nothing common was found.
#[must_use]
pub fn alt_reading(text: &str) -> Option<String> {
    let mut lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, l)| Line {
            no: u32::try_from(i).unwrap_or(0),
            text: Cow::Borrowed(l),
        })
        .collect();
    let kinds: [Matcher; 2] = [log_timestamp_len, bracket_tag_len];
    let mut changed = false;
    for m in kinds {
        if prefix_common(&lines, m) {
            for l in &mut lines {
                if let Some(k) = m(&l.text) {
                    drop_front(&mut l.text, k);
                }
            }
            changed = true;
        }
    }
    changed.then(|| {
        lines
            .iter()
            .map(|l| l.text.as_ref())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Length of a leading log timestamp and the blank after it: `2021/04/15 00:12:02 `,
/// `2024-05-01 10:00:00.123 `, `[2024-05-01T10:00:00+02:00] `, `10:00:00.123 `.
fn log_timestamp_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = usize::from(b.first() == Some(&b'['));
    let start = i;
    if d(i) && d(i + 1) && d(i + 2) && d(i + 3) && matches!(b.get(i + 4), Some(b'-' | b'/')) {
        if !(d(i + 5)
            && d(i + 6)
            && matches!(b.get(i + 7), Some(b'-' | b'/'))
            && d(i + 8)
            && d(i + 9))
        {
            return None;
        }
        i += 10;
        if !matches!(b.get(i), Some(b' ' | b'T')) {
            return None;
        }
        i += 1;
    }
    if !(d(i) && d(i + 1) && b.get(i + 2) == Some(&b':') && d(i + 3) && d(i + 4)) {
        return None;
    }
    i += 5;
    if b.get(i) == Some(&b':') && d(i + 1) && d(i + 2) {
        i += 3;
    }
    if matches!(b.get(i), Some(b'.' | b',')) {
        i += 1;
        while d(i) {
            i += 1;
        }
    }
    if b.get(i) == Some(&b'Z') {
        i += 1;
    } else if matches!(b.get(i), Some(b'+' | b'-')) && d(i + 1) && d(i + 2) {
        i += 3;
        if b.get(i) == Some(&b':') {
            i += 1;
        }
        while d(i) {
            i += 1;
        }
    }
    if start == 1 {
        if b.get(i) != Some(&b']') {
            return None;
        }
        i += 1;
    }
    match b.get(i) {
        Some(b' ' | b'\t') => {
            while matches!(b.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            Some(i)
        }
        None => Some(i),
        _ => None,
    }
}

/// Length of a leading `[1234] ` / `[INFO] ` tag and the blank after it.
fn bracket_tag_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('[')?;
    let end = rest.find(']')?;
    let tag = rest.get(..end)?;
    if tag.is_empty() || tag.len() > 12 || !tag.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let after = rest.get(end + 1..)?;
    let blank = after.len() - after.trim_start().len();
    (blank > 0 || after.is_empty()).then_some(1 + end + 1 + blank)
}

/// Length of a leading `YYYY-MM-DDTHH:MM:SS[.fraction]Z ` (the trailing space included).
fn ci_timestamp_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    let ok = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && b.get(10) == Some(&b'T')
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !ok {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if b.get(i) != Some(&b'Z') {
        return None;
    }
    i += 1;
    match b.get(i) {
        Some(b' ') => Some(i + 1),
        None => Some(i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_split_and_name_the_command() {
        let paste = "PS C:\\k> ipconfig /all\n\nWindows IP Configuration\n\n   Host Name . . : n1\nPS C:\\k> netsh int ipv4 show excludedportrange tcp\n\nProtocol tcp Port Exclusion Ranges\nPS C:\\k>\n";
        let s = split(paste);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].command.as_deref(), Some("ipconfig /all"));
        assert_eq!(s[0].first_line, 3);
        assert_eq!(
            s[0].text,
            "Windows IP Configuration\n\n   Host Name . . : n1"
        );
        assert_eq!(
            s[1].command.as_deref(),
            Some("netsh int ipv4 show excludedportrange tcp")
        );
        assert_eq!(s[1].first_line, 8);
        assert!(s.iter().all(|x| x.warnings.is_empty()), "{s:?}");
    }

    #[test]
    fn cmd_and_remoting_prompts() {
        assert_eq!(
            prompt_command("C:\\> route print").as_deref(),
            Some("route print")
        );
        assert_eq!(
            prompt_command("[akswin0]: PS C:\\> hnsdiag list all").as_deref(),
            Some("hnsdiag list all")
        );
        assert_eq!(
            prompt_command("PS> Get-HnsNetwork").as_deref(),
            Some("Get-HnsNetwork")
        );
        assert_eq!(
            prompt_command("PS C:\\Users\\me\\my dir> ").as_deref(),
            Some("")
        );
        assert_eq!(prompt_command("   Default Gateway . . . : 10.0.0.1"), None);
        assert_eq!(prompt_command("C:\\k\\kubelet.exe --v=2"), None);
    }

    #[test]
    fn markdown_quotes_and_fences() {
        let paste = "I ran this:\n> ```\n> PS C:\\> route print\n> ===\n> Interface List\n> ```\n\nthanks\n";
        let s = split(paste);
        let texts: Vec<_> = s
            .iter()
            .map(|x| (x.first_line, x.text.as_str(), x.command.as_deref()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (1, "I ran this:", None),
                (4, "===\nInterface List", Some("route print")),
                (8, "thanks", None)
            ]
        );
    }

    #[test]
    fn unclosed_fence_and_cut_off_line_are_warnings() {
        let s = split("```json\n[\n  {\"ID\": \"A\",\n  \"Na");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].first_line, 2);
        assert!(
            s[0].warnings
                .iter()
                .any(|w| w.contains("line 1 is not closed")),
            "{:?}",
            s[0].warnings
        );
        assert!(s[0].warnings.iter().any(|w| w.contains("cut off")));
    }

    #[test]
    fn ci_prefixes_and_groups() {
        let paste = "2024-05-01T10:00:00.1234567Z ##[group]Run hnsdiag list all\n\
                     2024-05-01T10:00:01.0000000Z Networks:\n\
                     2024-05-01T10:00:01.0000000Z Name             ID\n\
                     2024-05-01T10:00:02.0000000Z ##[endgroup]\n\
                     2024-05-01T10:00:03.0000000Z ##[error]Process completed with exit code 1.\n";
        let s = split(paste);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].command.as_deref(), Some("Run hnsdiag list all"));
        assert_eq!(s[0].text, "Networks:\nName             ID");
        assert_eq!(s[0].first_line, 2);
        assert!(
            s[0].notes.iter().any(|w| w.contains("CI timestamp")),
            "{s:?}"
        );
        assert_eq!(s[1].text, "Process completed with exit code 1.");
        assert_eq!(s[1].first_line, 5);
    }

    #[test]
    fn stdout_prefix_only_when_on_every_line() {
        let s = split("[stdout] a\n[stdout] b\n");
        assert_eq!(s[0].text, "a\nb");
        let s = split("[stdout] a\nb\n");
        assert_eq!(s[0].text, "[stdout] a\nb");
        assert_eq!(ci_timestamp_len("2024-05-01T10:00:00Z x"), Some(21));
        assert_eq!(ci_timestamp_len("2024-05-01 10:00:00Z x"), None);
    }

    #[test]
    fn format_change_split_with_a_fake_detector() {
        let scorer = |t: &str| -> Vec<(&'static str, u8)> {
            let mut v = Vec::new();
            if t.contains("Windows IP Configuration") {
                v.push(("ipconfig", 90));
            }
            if t.contains("Port Exclusion Ranges") {
                v.push(("netsh-excludedportrange", 95));
            }
            if t.contains(" : ") {
                v.push(("format-list", 40));
            }
            v
        };
        let text = "Windows IP Configuration\n\nEthernet adapter x:\n\n   Host : a\n\nProtocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n";
        let out = split_on_format_change(text, 10, &scorer);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].first_line, 10);
        assert!(out[0].text.ends_with("Host : a"), "{:?}", out[0].text);
        assert_eq!(out[1].first_line, 16);
        assert_eq!(
            out[1].text,
            "Protocol tcp Port Exclusion Ranges\n\nStart Port    End Port"
        );
        // Borrowed from the text, not copied.
        assert!(std::ptr::eq(out[0].text.as_ptr(), text.as_ptr()));
        // Nothing recognised: one piece, the whole text.
        let out = split_on_format_change("a\n\nb\n", 3, &|_| Vec::new());
        assert_eq!(
            out,
            vec![Piece {
                text: "a\n\nb",
                first_line: 3
            }]
        );
    }

    #[test]
    fn provisioner_label_prefix_on_most_lines() {
        // A packer-style log: `name:` before every output line, a banner line with `==>`, blank
        // lines without the prefix.
        let paste = "==> win: Running the network check script
    win: Show range
    win:
    win: Protocol tcp Dynamic Port Range
    win: ---------------------------------
    win: Start Port      : 10000
    win: Number of Ports : 55535

    win: done
";
        let s = split(paste);
        assert_eq!(s.len(), 1, "{s:?}");
        assert!(
            s[0].text.contains("\nProtocol tcp Dynamic Port Range\n"),
            "{:?}",
            s[0].text
        );
        assert!(s[0].text.starts_with("Running the network check script"));
        assert_eq!(s[0].first_line, 1);
        assert!(
            s[0].notes.iter().any(|n| n.contains("`win:`")),
            "{:?}",
            s[0].notes
        );
        // Different `key: value` keys are not a common prefix.
        let s = split("name: a\nkind: b\nsize: c\nmode: d\nuser: e\n");
        assert_eq!(s[0].text, "name: a\nkind: b\nsize: c\nmode: d\nuser: e");
        assert!(s[0].notes.is_empty());
        // A drive letter is not a label.
        assert_eq!(label_of("C:\\k\\x"), None);
        assert_eq!(label_of("  vhd: x"), Some(("vhd", 7)));
    }

    #[test]
    fn inline_backticks_and_a_lost_prompt_character() {
        let s = split("`Start    End\n----   ---\n  100    199`\n");
        assert_eq!(s[0].text, " Start    End\n----   ---\n  100    199");
        assert_eq!(
            strip_inline_backticks("`Id   Name").as_deref(),
            Some(" Id   Name")
        );
        assert!(s[0].notes.iter().any(|n| n.contains("backticks")));
        let s = split("S C:\\> ipconfig /all\n\nWindows IP Configuration\n");
        assert_eq!(s[0].command.as_deref(), Some("ipconfig /all"));
        assert_eq!(s[0].text, "Windows IP Configuration");
        // fences stay fences
        assert_eq!(strip_inline_backticks("```"), None);
    }

    #[test]
    fn bare_command_lines_start_a_section() {
        let s = split(
            "netsh int ipv4 show excludedportrange tcp\n\nProtocol tcp Port Exclusion Ranges\n",
        );
        assert_eq!(
            s[0].command.as_deref(),
            Some("netsh int ipv4 show excludedportrange tcp")
        );
        let s = split("kubectl exec -n x pod/p -- ipconfig /all\nWindows IP Configuration\n");
        assert_eq!(
            s[0].command.as_deref(),
            Some("kubectl exec -n x pod/p -- ipconfig /all")
        );
        assert!(bare_command("Get-HnsEndpoint | Format-Table Id").is_some());
        assert!(bare_command("docker start web").is_some());
        // prose, table rows and single words are not commands
        assert!(bare_command("Name      ID").is_none());
        assert!(bare_command("route").is_none());
        assert!(bare_command("Getting-Started is here").is_none());
        // output that starts with a command's name
        assert!(
            bare_command("Ping request could not find host x. Please check the name").is_none()
        );
        assert!(bare_command("curl : The remote name could not be resolved: 'x'").is_none());
        assert!(
            bare_command("Resolve-DnsName : x : This operation returned because the timeout")
                .is_none()
        );
        assert!(bare_command("ping works but curl does not.").is_none());
    }

    #[test]
    fn an_unchanged_paste_becomes_its_own_section_without_a_copy() {
        let text = String::from(
            "\n\nI1130 10:00:00.000001 1 proxier.go:1] a\nE1130 10:00:01.000001 1 x.go:2] b\n\n",
        );
        let heap = text.as_ptr();
        let s = split_owned(text.clone());
        assert_eq!(s, split(&text));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].first_line, 3);
        assert_eq!(
            s[0].text,
            "I1130 10:00:00.000001 1 proxier.go:1] a\nE1130 10:00:01.000001 1 x.go:2] b"
        );
        let s = split_owned(text);
        assert!(
            std::ptr::eq(s[0].text.as_ptr(), heap),
            "the paste's own buffer"
        );
        // Changed lines (quote marks, trailing blanks), CRLF and several sections are copied,
        // and read as `split` reads them.
        for t in [
            "> a\n> b\n",
            "a  \nb\n",
            "a\r\nb\r\n",
            "PS C:\\> ipconfig\nWindows IP Configuration\nPS C:\\> route print\nx\n",
        ] {
            assert_eq!(split_owned(t.to_string()), split(t), "{t:?}");
        }
        assert!(split_owned("\n \n".to_string()).is_empty());
        // Found by fuzzing (analyze_file): a paste that is only a prompt is one section with no
        // text, which is not a part of the paste's string.
        let t = "PS C:\\> reg query HKLM\\SYSTEM\\x /v DisabledComponents\n";
        let s = split_owned(t.to_string());
        assert_eq!(s, split(t));
        assert_eq!(s[0].text, "");
        assert!(s[0].command.is_some());
    }

    #[test]
    fn alternative_reading_without_log_prefixes() {
        let block = "2021/04/15 00:12:02 [8076] Protocol tcp Dynamic Port Range\n2021/04/15 00:12:02 [8076] Start Port : 1025\n2021/04/15 00:12:03 [8076] Number of Ports : 64510\n";
        let alt = alt_reading(block).unwrap();
        assert_eq!(
            alt,
            "Protocol tcp Dynamic Port Range\nStart Port : 1025\nNumber of Ports : 64510"
        );
        assert_eq!(alt_reading("plain\ntext\n"), None);
        assert_eq!(
            log_timestamp_len("[2024-05-01T10:00:00.5+02:00] x"),
            Some(30)
        );
        assert_eq!(log_timestamp_len("10:00:00.123 x"), Some(13));
        assert_eq!(log_timestamp_len("1024 x"), None);
        assert_eq!(bracket_tag_len("[8076] x"), Some(7));
        assert_eq!(bracket_tag_len("[a b] x"), None);
    }
}
