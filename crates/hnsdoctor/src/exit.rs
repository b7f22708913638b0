//! [`Exit`]: every exit code the binary uses, in one enum. Commands return an [`Exit`]; errors
//! map to one through [`Exit::for_error`]; `main` turns it into the process's exit code.
//!
//! The numbers are stable and documented in the README's "Exit codes" table (and per command in
//! `docs/fix.md` and `docs/json.md`); a test below checks that the README table lists exactly
//! the codes of this enum and that the `fix` table uses no other.

use crate::cmd::{BadInput, BadInputAt, NotWindows};
use std::process::ExitCode;

/// An exit code of `hnsdoctor`. Codes 0–2 are outcomes of a command that ran; 3–6 are failures;
/// 130 is an interrupted collection.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exit {
    /// 0 — success: `analyze`/`doctor`/`fleet` found nothing, `diff` saw no change, `fix` printed
    /// its plan or cleared every finding or undid its run, `npd` OK.
    Ok = 0,
    /// 1 — `analyze`/`doctor`: warnings only; `fleet`: warnings, deviations or unreadable inputs
    /// only; `diff`: something changed; `fix`: a finding is still present or the confirmation
    /// was declined; `npd`: problem.
    Warnings = 1,
    /// 2 — `analyze`/`doctor`/`fleet`: errors found; `fix`: the run or the undo stopped at a
    /// failure; `npd`: unknown.
    Errors = 2,
    /// 3 — bad input: unreadable, binary or empty input, unknown build or id.
    BadInput = 3,
    /// 4 — usage error (clap's own errors, which clap would exit with 2, and bad option values).
    Usage = 4,
    /// 5 — internal or environment error (I/O, not administrator where required).
    Internal = 5,
    /// 6 — a command that reads or changes the live host (`collect`, `doctor`, `fix --apply`)
    /// on a host that is not Windows.
    NotWindows = 6,
    /// 130 — `collect` stopped at once by a second Ctrl-C (128 + SIGINT, the shells'
    /// convention); the first Ctrl-C stops the collection cleanly.
    Interrupted = 130,
}

impl Exit {
    /// Every exit code, in numeric order.
    pub const ALL: [Self; 8] = [
        Self::Ok,
        Self::Warnings,
        Self::Errors,
        Self::BadInput,
        Self::Usage,
        Self::Internal,
        Self::NotWindows,
        Self::Interrupted,
    ];

    /// The number the process exits with.
    #[must_use]
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The exit code for an error that ended a command: [`Exit::NotWindows`] for
    /// [`NotWindows`], [`Exit::BadInput`] for [`BadInput`] / [`BadInputAt`], else
    /// [`Exit::Internal`].
    #[must_use]
    pub fn for_error(err: &anyhow::Error) -> Self {
        if err
            .chain()
            .any(|e| e.downcast_ref::<NotWindows>().is_some())
        {
            Self::NotWindows
        } else if err.chain().any(|e| {
            e.downcast_ref::<BadInput>().is_some() || e.downcast_ref::<BadInputAt>().is_some()
        }) {
            Self::BadInput
        } else {
            Self::Internal
        }
    }

    /// Stop the process now with this code (for a signal handler, where no `main` return is
    /// possible).
    pub fn exit_now(self) -> ! {
        std::process::exit(i32::from(self.code()))
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        Self::from(e.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The codes of the first table after `heading` in `doc` (rows `| <n> | … |`).
    fn table_codes(doc: &str, heading: &str) -> BTreeSet<u8> {
        let start = doc
            .find(heading)
            .unwrap_or_else(|| panic!("no {heading:?} section"));
        doc[start..]
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| l.split('|').nth(1)?.trim().parse().ok())
            .collect()
    }

    fn enum_codes() -> BTreeSet<u8> {
        Exit::ALL.iter().map(|e| e.code()).collect()
    }

    #[test]
    fn codes_are_the_documented_numbers() {
        let got: Vec<u8> = Exit::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(got, [0, 1, 2, 3, 4, 5, 6, 130]);
        assert!(Exit::ALL.windows(2).all(|w| w[0] < w[1]), "ALL is sorted");
        assert_eq!(Exit::Warnings.max(Exit::Ok), Exit::Warnings);
    }

    #[test]
    fn readme_table_lists_exactly_the_enum() {
        let readme = include_str!("../../../README.md");
        assert_eq!(table_codes(readme, "## Exit codes"), enum_codes());
    }

    #[test]
    fn fix_doc_uses_only_enum_codes() {
        let fix = include_str!("../../../docs/fix.md");
        let codes = table_codes(fix, "## Exit codes");
        assert!(codes.len() >= 7, "{codes:?}");
        assert!(codes.is_subset(&enum_codes()), "{codes:?}");
    }

    #[test]
    fn errors_map_to_their_codes() {
        let e = anyhow::Error::new(BadInput("x".into())).context("reading");
        assert_eq!(Exit::for_error(&e), Exit::BadInput);
        let e = anyhow::Error::new(NotWindows("collect"));
        assert_eq!(Exit::for_error(&e), Exit::NotWindows);
        let e = anyhow::anyhow!("disk full");
        assert_eq!(Exit::for_error(&e), Exit::Internal);
    }
}
