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
    /// Notes: cut-off fence, cut-off last line, prefixes removed.
    pub warnings: Vec<String>,
}

/// Scores for a text: `(format id, score 0..=100)` for every format that scores above 0.
pub type Scorer<'a> = &'a dyn Fn(&str) -> Vec<(&'static str, u8)>;

/// A score at or above this starts a new section when the format differs.
pub const STRONG_SCORE: u8 = 60;

#[derive(Debug, Clone)]
struct Line {
    no: u32,
    text: String,
}

/// Split a decoded paste into sections. Never fails; a paste of prose comes back as one section.
#[must_use]
pub fn split(text: &str) -> Vec<Section> {
    let mut lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, l)| Line {
            no: u32::try_from(i).unwrap_or(u32::MAX - 1).saturating_add(1),
            text: l.to_string(),
        })
        .collect();
    let mut global_notes = strip_common_prefixes(&mut lines);
    for l in &mut lines {
        l.text = strip_quote(&l.text).to_string();
        if let Some(rest) = strip_gha_level(&l.text) {
            l.text = rest;
        }
    }

    let mut sections: Vec<Section> = Vec::new();
    let mut cur: Vec<Line> = Vec::new();
    let mut cur_cmd: Option<String> = None;
    let mut fence_open: Option<u32> = None;
    for l in lines {
        let t = l.text.trim();
        if is_fence(t) {
            flush(&mut sections, &mut cur, cur_cmd.take());
            fence_open = if fence_open.is_some() {
                None
            } else {
                Some(l.no)
            };
            continue;
        }
        if let Some(cmd) = prompt_command(t).or_else(|| gha_start(t)) {
            flush(&mut sections, &mut cur, cur_cmd.take());
            cur_cmd = (!cmd.is_empty()).then_some(cmd);
            continue;
        }
        if t.starts_with("##[endgroup]") {
            flush(&mut sections, &mut cur, cur_cmd.take());
            continue;
        }
        cur.push(l);
    }
    flush(&mut sections, &mut cur, cur_cmd.take());

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
        first.warnings.append(&mut global_notes);
    }
    sections
}

/// Further split a section (one without a command hint) where the detected format changes.
///
/// The section is cut into paragraphs at blank lines; a paragraph whose best format scores at
/// least [`STRONG_SCORE`] and differs from the running format — while the running format scores
/// it below [`STRONG_SCORE`] — starts a new section. Paragraphs nobody recognises stay with the
/// section before them (ipconfig adapter blocks, table continuations).
#[must_use]
pub fn split_on_format_change(section: &Section, scores: Scorer<'_>) -> Vec<Section> {
    let mut paragraphs: Vec<(u32, Vec<&str>)> = Vec::new();
    let mut blank_run = true;
    for (i, l) in section.text.lines().enumerate() {
        let no = section
            .first_line
            .saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        if l.trim().is_empty() {
            blank_run = true;
            if let Some(p) = paragraphs.last_mut() {
                p.1.push(l);
            }
            continue;
        }
        if blank_run {
            paragraphs.push((no, Vec::new()));
            blank_run = false;
        }
        if let Some(p) = paragraphs.last_mut() {
            p.1.push(l);
        }
    }
    let mut out: Vec<Section> = Vec::new();
    let mut running: Option<&'static str> = None;
    for (no, lines) in paragraphs {
        let text = lines.join("\n");
        let found = scores(&text);
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
            out.push(Section {
                text: String::new(),
                first_line: no,
                command: None,
                warnings: Vec::new(),
            });
        }
        if let Some((id, s)) = best {
            if s >= STRONG_SCORE && (starts_new || running.is_none()) {
                running = Some(id);
            }
        }
        if let Some(cur) = out.last_mut() {
            if !cur.text.is_empty() {
                cur.text.push('\n');
            }
            cur.text.push_str(&text);
        }
    }
    for s in &mut out {
        let trimmed = s.text.trim_end().len();
        s.text.truncate(trimmed);
    }
    if let Some(first) = out.first_mut() {
        first.warnings.extend(section.warnings.iter().cloned());
    }
    if out.is_empty() {
        out.push(section.clone());
    }
    out
}

fn flush(sections: &mut Vec<Section>, cur: &mut Vec<Line>, command: Option<String>) {
    let mut lines = std::mem::take(cur);
    while lines.last().is_some_and(|l| l.text.trim().is_empty()) {
        lines.pop();
    }
    let start = lines
        .iter()
        .position(|l| !l.text.trim().is_empty())
        .unwrap_or(lines.len());
    let mut lines: Vec<Line> = lines.into_iter().skip(start).collect();
    if lines.is_empty() {
        return;
    }
    let warnings = strip_common_prefixes(&mut lines);
    let first_line = lines.first().map_or(1, |l| l.no);
    let text = lines
        .iter()
        .map(|l| l.text.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    sections.push(Section {
        text,
        first_line,
        command,
        warnings,
    });
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
    let (path_part, is_ps) = match t.strip_prefix("PS ") {
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

/// Strip prefixes found on every non-blank line; return notes saying what was removed.
fn strip_common_prefixes(lines: &mut [Line]) -> Vec<String> {
    let mut notes = Vec::new();
    type Matcher = fn(&str) -> Option<usize>;
    let kinds: [(&str, Matcher); 3] = [
        ("CI timestamp", ci_timestamp_len),
        ("[stdout]", |s| s.starts_with("[stdout] ").then_some(9)),
        ("[stderr]", |s| s.starts_with("[stderr] ").then_some(9)),
    ];
    loop {
        let mut changed = false;
        for (what, m) in kinds {
            let mut non_blank = lines
                .iter()
                .filter(|l| !l.text.trim().is_empty())
                .peekable();
            if non_blank.peek().is_none() {
                return notes;
            }
            if non_blank.all(|l| m(&l.text).is_some()) {
                for l in lines.iter_mut() {
                    if let Some(n) = m(&l.text) {
                        l.text = l.text.get(n..).unwrap_or_default().to_string();
                    }
                }
                notes.push(format!("removed a {what} prefix present on every line"));
                changed = true;
            }
        }
        if !changed {
            return notes;
        }
    }
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
        assert!(s[0].warnings.iter().any(|w| w.contains("CI timestamp")));
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
        let sec = Section {
            text: "Windows IP Configuration\n\nEthernet adapter x:\n\n   Host : a\n\nProtocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n".into(),
            first_line: 10,
            command: None,
            warnings: vec!["w".into()],
        };
        let out = split_on_format_change(&sec, &scorer);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].first_line, 10);
        assert!(out[0].text.ends_with("Host : a"), "{:?}", out[0].text);
        assert_eq!(out[1].first_line, 16);
        assert_eq!(
            out[1].text,
            "Protocol tcp Port Exclusion Ranges\n\nStart Port    End Port"
        );
        assert_eq!(out[0].warnings, vec!["w".to_string()]);
    }
}
