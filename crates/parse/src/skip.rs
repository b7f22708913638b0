//! The one place where a parser decides that an input is the collector's own error text rather
//! than data (`check` → `Skip`), and the summary bookkeeping every parser shares (`mark`,
//! `skip_line`).
//!
//! There is **one** list of collector error texts ([`COLLECTOR_ERRORS`]); a parser family only
//! chooses how many leading lines are looked at and may add texts that mean "no data" for that
//! family alone ([`Family`]): an HNS API failure at the top of an HNS dump means the dump is
//! empty, while the same line at the top of a kube-proxy log is evidence and must be read.
//!
//! Pipeline stage: **parsers**. Private to this crate.

use crate::assemble::MAX_SKIPPED_KEPT;
use crate::{Fact, HostModel, InputSummary, ParseError, SkippedLine};

/// Error texts a collector writes instead of data (lower case), with localized variants for the
/// most common locales. Looked for in the first lines of an input.
pub(crate) const COLLECTOR_ERRORS: &[&str] = &[
    "is not recognized as the name of a cmdlet",
    "is not recognized as an internal or external command",
    "commandnotfoundexception",
    "objectnotfound:",
    "cannot find path",
    "does not exist.",
    "access is denied",
    "requires elevation",
    "run as administrator",
    "no events were found that match the specified selection criteria",
    "the specified channel could not be found",
    "cannot find a process with the name",
    "the system cannot find the file specified",
    "the specified module could not be found",
    "could not load file or assembly",
    "zugriff verweigert",
    "erfordert erhöhte rechte",
    "accès refusé",
    "nécessite une élévation",
    "拒绝访问",
    "需要提升",
    "アクセスが拒否されました",
    "昇格が必要です",
    "액세스가 거부되었습니다",
];

/// How one family of parsers looks for collector errors.
pub(crate) struct Family {
    /// How many leading non-empty lines are looked at.
    pub(crate) lines: usize,
    /// Texts (lower case) that mean "no data" for this family only.
    pub(crate) extra: &'static [&'static str],
    /// Whether an `error … 0x8xxxxxxx` line also means "no data".
    pub(crate) hresult: bool,
    /// Whether the look stops at the first line opening a JSON value (`{` or `[`).
    pub(crate) stop_at_json: bool,
}

/// Windows command output (`ipconfig`, `netsh`, `reg`, PowerShell tables).
pub(crate) const COMMAND: Family = Family {
    lines: 5,
    extra: &[],
    hresult: false,
    stop_at_json: false,
};

/// Logs, configs and event logs: only the first three lines, so that an error a log *records*
/// a little further down is read as evidence.
pub(crate) const LOG: Family = Family {
    lines: 3,
    extra: &[],
    hresult: false,
    stop_at_json: false,
};

/// HNS / HCN dumps: an API failure printed instead of the JSON means there is no HNS data.
pub(crate) const HNS: Family = Family {
    lines: 5,
    extra: &[
        "hns api not available",
        "failed to load vmcompute.dll",
        "hns failed with error",
        "failed in win32",
    ],
    hresult: true,
    stop_at_json: true,
};

/// `Err(Skip)` when `text` is empty or one of its first lines (as `family` says) is a collector
/// error message.
pub(crate) fn check(text: &str, family: &Family) -> Result<(), ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    match collector_error(text, family) {
        Some(reason) => Err(ParseError::skip(reason)),
        None => Ok(()),
    }
}

/// `collector error: <line>` when one of the first lines (as `family` says) is one.
pub(crate) fn collector_error(text: &str, family: &Family) -> Option<String> {
    for l in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(family.lines)
    {
        if family.stop_at_json && (l.starts_with('{') || l.starts_with('[')) {
            break;
        }
        let low = l.to_lowercase();
        let hit = COLLECTOR_ERRORS
            .iter()
            .chain(family.extra)
            .any(|e| low.contains(e))
            || (family.hresult && is_hresult_line(&low));
        if hit {
            return Some(format!(
                "collector error: {}",
                l.chars().take(160).collect::<String>()
            ));
        }
    }
    None
}

/// `... error ... 0x80xxxxxx` / `HRESULT 0x…` lines (lower case).
pub(crate) fn is_hresult_line(low: &str) -> bool {
    let has_hr = low.match_indices("0x8").any(|(i, _)| {
        low.get(i + 2..i + 10)
            .is_some_and(|h| h.len() == 8 && h.chars().all(|c| c.is_ascii_hexdigit()))
    });
    has_hr && (low.contains("error") || low.contains("failed") || low.contains("hresult"))
}

/// Record that `fact` was read, in the model and in the summary (once).
pub(crate) fn mark(model: &mut HostModel, summary: &mut InputSummary, fact: Fact) {
    model.mark(fact);
    if !summary.facts.contains(&fact) {
        summary.facts.push(fact);
    }
}

/// Record a line that was not used (the count keeps going past [`MAX_SKIPPED_KEPT`]).
pub(crate) fn skip_line(summary: &mut InputSummary, line: u32, reason: impl Into<String>) {
    summary.skipped_count += 1;
    if summary.skipped.len() < MAX_SKIPPED_KEPT {
        summary.skipped.push(SkippedLine {
            line,
            reason: reason.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_list_for_every_family() {
        for fam in [&COMMAND, &LOG, &HNS] {
            assert!(check("", fam).is_err());
            assert!(check("Access is denied.\n", fam).is_err());
            assert!(check("Zugriff verweigert\n", fam).is_err());
            assert!(check(
                "Get-HnsNetwork : The term is not recognized as the name of a cmdlet",
                fam
            )
            .is_err());
            assert!(check("Name  State\n----  -----\nvEth  Up\n", fam).is_ok());
        }
    }

    #[test]
    fn family_extras_and_windows() {
        let api = "HNS failed with error : 0x80070002\n";
        assert!(check(api, &HNS).is_err());
        assert!(
            check(api, &LOG).is_ok(),
            "an HNS failure in a log is evidence"
        );
        // The HNS family stops at the JSON, a log looks at three lines, commands at five.
        assert!(check("[\n{\"ID\": 1}\n]\naccess is denied", &HNS).is_ok());
        let fourth = "a\nb\nc\naccess is denied\n";
        assert!(check(fourth, &LOG).is_ok());
        assert!(check(fourth, &COMMAND).is_err());
        assert_eq!(
            collector_error("x\nAccess is denied.", &COMMAND).as_deref(),
            Some("collector error: Access is denied.")
        );
    }

    #[test]
    fn skipped_lines_are_capped_but_counted() {
        let mut s = InputSummary::default();
        for i in 0..(MAX_SKIPPED_KEPT as u32 + 5) {
            skip_line(&mut s, i, "x");
        }
        assert_eq!(s.skipped.len(), MAX_SKIPPED_KEPT);
        assert_eq!(s.skipped_count, MAX_SKIPPED_KEPT + 5);
    }
}
