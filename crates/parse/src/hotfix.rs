//! `Get-HotFix` Format-Table output: the installed updates.
//!
//! * **Command:** `Get-HotFix` (default table view) or `Get-HotFix | Format-Table -AutoSize`.
//! * **Bundle path:** `os/hotfix.txt`. **Legacy CollectLogs:** the table is the tail of
//!   `winver.txt` (after the `[Environment]::OSVersion` line), read by [`crate::osversion`] through
//!   `read_hotfix_tables`.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), UTF-8 (PowerShell 7).
//! * **Shape:** columns `Source Description HotFixID InstalledBy InstalledOn` (property names,
//!   never translated); cells cut at the output width end in `...` (5.1) or `…` (7). KB ids are
//!   taken with a regex from the `HotFixID` cell, or from the whole row when that cell is cut.
//!   `InstalledOn` is kept as printed (culture-specific date, possibly cut, then ending in `...`).
//! * **Partial input:** rows without a KB id are skipped with a reason; a header with no rows
//!   still marks [`Fact::Hotfixes`] (an empty list). Collector errors (`Get-HotFix : Access is
//!   denied`) → `Skip`; text without a HotFixID table → `Broken` at its first line.
//!
//! Fills `model.os.hotfixes` (merging: ids already present are kept once) and `model.host_name`
//! from an uncut `Source` cell when no host name is known yet.
//!
//! ```
//! use hnsdoctor_parse::{hotfix, HostModel, Input, InputSummary, Fact};
//! let text = "\nSource        Description      HotFixID      InstalledBy          InstalledOn\n\
//!             ------        -----------      --------      -----------          -----------\n\
//!             AKSWIN000000  Security Update  KB5032196     NT AUTHORITY\\SYSTEM  11/15/2023 12:00:00 AM\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! hotfix::parse(&Input::new("os/hotfix.txt", text), &mut model, &mut summary).unwrap();
//! let os = model.os.as_ref().unwrap();
//! assert_eq!(os.hotfixes[0].id, "KB5032196");
//! assert_eq!(os.hotfixes[0].description.as_deref(), Some("Security Update"));
//! assert!(model.has(Fact::Hotfixes));
//! ```

use crate::psformat::{parse_tables, Cell};
use crate::winout::{check_skip, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::Hotfix;
use regex::Regex;
use std::sync::LazyLock;

static KB: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)]
    Regex::new(r"(?i)\bKB(\d{5,8})\b").unwrap()
});

/// The first whole `KB…` id in `s`, upper case; an id cut by the formatter (`KB50321...`) is
/// not taken.
pub(crate) fn kb_id(s: &str) -> Option<String> {
    KB.captures_iter(s).find_map(|c| {
        let m = c.get(1)?;
        let rest = s.get(m.end()..).unwrap_or("");
        if rest.starts_with("..") || rest.starts_with('…') {
            None
        } else {
            Some(format!("KB{}", m.as_str()))
        }
    })
}

/// Content detector: a HotFixID table header.
#[must_use]
pub fn detect(text: &str) -> u8 {
    if text.contains("HotFixID") && text.contains("InstalledOn") {
        90
    } else {
        0
    }
}

fn as_printed(c: &Cell) -> Option<String> {
    if c.text.is_empty() {
        None
    } else if c.truncated {
        Some(format!("{}...", c.text))
    } else {
        Some(c.text.clone())
    }
}

/// Read every Get-HotFix table in `input`'s lines from `from_line` on, merging the updates into
/// `model.os`. Returns `None` when no table with a `HotFixID` column is present, else the
/// number of hotfixes read (marking [`Fact::Hotfixes`]).
pub(crate) fn read_hotfix_tables(
    input: &Input<'_>,
    from_line: u32,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Option<usize> {
    let tables = parse_tables(input.lines().filter(|(n, _)| *n >= from_line));
    let mut found = None;
    for t in tables.iter().filter(|t| t.col("HotFixID").is_some()) {
        let count = found.get_or_insert(0usize);
        for row in &t.rows {
            let cell_id = t.cell(row, "HotFixID");
            let id = cell_id
                .filter(|c| !c.truncated)
                .and_then(|c| kb_id(&c.text))
                .or_else(|| kb_id(&row.raw));
            let Some(id) = id else {
                skip_line(summary, row.line, "hotfix row without a KB id");
                continue;
            };
            let hf = Hotfix {
                id,
                description: t.cell(row, "Description").and_then(as_printed),
                installed_on: t.cell(row, "InstalledOn").and_then(as_printed),
                prov: input.prov(row.line, &row.raw),
            };
            if model.host_name.is_none() {
                if let Some(src) = t
                    .cell(row, "Source")
                    .filter(|c| !c.truncated && !c.text.is_empty())
                {
                    model.host_name = Some(src.text.clone());
                }
            }
            let os = model.os.get_or_insert_with(Default::default);
            if !os.hotfixes.iter().any(|h| h.id == hf.id) {
                os.hotfixes.push(hf);
            }
            *count += 1;
        }
    }
    if found.is_some() {
        model.os.get_or_insert_with(Default::default);
        mark(model, summary, Fact::Hotfixes);
        summary.objects += found.unwrap_or(0);
    }
    found
}

/// Parse Get-HotFix table output.
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no HotFixID table is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    if read_hotfix_tables(input, input.first_line, model, summary).is_some() {
        return Ok(());
    }
    let (no, l) = input
        .lines()
        .find(|(_, l)| !l.trim().is_empty())
        .unwrap_or((input.first_line, ""));
    Err(ParseError::broken(
        input,
        no,
        "a Get-HotFix table (Source Description HotFixID InstalledBy InstalledOn)",
        l,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(bytes: &[u8]) -> (Result<(), ParseError>, HostModel, InputSummary) {
        crate::testutil::run_fixture(parse, "os/hotfix.txt", bytes)
    }

    #[test]
    fn en_us_utf16_with_truncated_cells() {
        let (r, m, s) = run(include_bytes!("../fixtures/hotfix/en-us-utf16le.txt"));
        r.unwrap();
        let os = m.os.unwrap();
        let ids: Vec<&str> = os.hotfixes.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["KB5034619", "KB5034768", "KB5035849"]);
        let last = &os.hotfixes[2];
        assert_eq!(last.installed_on.as_deref(), Some("3/12/2024 1..."));
        assert_eq!(last.description.as_deref(), Some("Security Update"));
        assert_eq!(last.prov.line, 6);
        // Source column is cut ("WIN-NODE-L...") so no host name is taken from it
        assert_eq!(m.host_name, None);
        assert_eq!(s.objects, 3);
        assert!(m.facts.contains(&Fact::Hotfixes));
    }

    #[test]
    fn cut_hotfix_id_falls_back_to_row_and_host_name() {
        let text = "\nSource   Description HotFixID   InstalledBy InstalledOn\n------   ----------- --------   ----------- -----------\nAKSWIN0  Update      KB50321... NT AUTH...  11/14/2023\nAKSWIN0  Update      n/a                    11/14/2023\n";
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        parse(&Input::new("h", text), &mut m, &mut s).unwrap();
        // the id is cut in its own cell and nowhere else: the row is skipped
        assert!(m.os.as_ref().unwrap().hotfixes.is_empty());
        assert_eq!(s.skipped_count, 2);
        assert_eq!(s.skipped[0].line, 4);
        assert_eq!(m.host_name.as_deref(), None);
        assert!(m.has(Fact::Hotfixes));
    }

    #[test]
    fn skip_and_broken() {
        let (r, m, _) = run(include_bytes!("../fixtures/hotfix/access-denied.txt"));
        assert!(
            matches!(r, Err(ParseError::Skip { ref reason }) if reason.contains("Access is denied"))
        );
        assert!(m.os.is_none());
        let (r, _, _) = run(b"\nnothing to see\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 2, .. })));
    }

    #[test]
    fn kb_regex() {
        assert_eq!(kb_id("kb4074588 x").as_deref(), Some("KB4074588"));
        assert_eq!(kb_id("KB12"), None);
        assert_eq!(kb_id("KB50321... KB5032196"), Some("KB5032196".into()));
    }
}
