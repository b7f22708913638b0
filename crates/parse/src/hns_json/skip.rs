//! Collector error text and HNSCall failure lines (`check_skip`), and the fact / skipped-line
//! helpers (`mark`, `skip_line`) the other HNS parsers share.

use super::*;

/// Lower-case collector / API error texts that mean "no HNS evidence here".
pub(super) const HNS_ERRORS: &[&str] = &[
    "is not recognized as the name of a cmdlet",
    "is not recognized as an internal or external command",
    "commandnotfoundexception",
    "access is denied",
    "requires elevation",
    "hns api not available",
    "the specified module could not be found",
    "failed to load vmcompute.dll",
    "hns failed with error",
    "failed in win32",
    "the system cannot find the file specified",
    "could not load file or assembly",
];

/// `Err(Skip)` when `text` is empty or one of its first non-empty lines is a collector error or
/// an HRESULT error line. Shared by the HNS-family parsers.
pub(crate) fn check_skip(text: &str) -> Result<(), ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    for l in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(5)
    {
        if l.starts_with('{') || l.starts_with('[') {
            break;
        }
        let low = l.to_ascii_lowercase();
        if HNS_ERRORS.iter().any(|e| low.contains(e)) || is_hresult_line(&low) {
            return Err(ParseError::skip(format!(
                "collector error: {}",
                l.chars().take(160).collect::<String>()
            )));
        }
    }
    Ok(())
}

/// `... error ... 0x80xxxxxx` / `HRESULT 0x…` lines.
pub(super) fn is_hresult_line(low: &str) -> bool {
    let has_hr = low.match_indices("0x8").any(|(i, _)| {
        low.get(i + 2..i + 10)
            .is_some_and(|h| h.len() == 8 && h.chars().all(|c| c.is_ascii_hexdigit()))
    });
    has_hr && (low.contains("error") || low.contains("failed") || low.contains("hresult"))
}

/// Record a fact in the model and the summary.
pub(crate) fn mark(model: &mut HostModel, summary: &mut InputSummary, fact: Fact) {
    model.mark(fact);
    if !summary.facts.contains(&fact) {
        summary.facts.push(fact);
    }
}

/// Record a skipped line.
pub(crate) fn skip_line(summary: &mut InputSummary, line: u32, reason: impl Into<String>) {
    summary.skipped_count += 1;
    if summary.skipped.len() < MAX_SKIPPED_KEPT {
        summary.skipped.push(SkippedLine {
            line,
            reason: reason.into(),
        });
    }
}
