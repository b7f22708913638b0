//! The HNS parsers' collector-error check: the crate's one list
//! ([`crate::skip::COLLECTOR_ERRORS`]) plus the HNS API failure texts and HRESULT lines
//! ([`crate::skip::HNS`]), looked for before the JSON starts. `mark` and `skip_line` are the
//! crate's (`crate::skip`).

use super::ParseError;

/// `Err(Skip)` when `text` is empty or one of its first non-empty lines is a collector error or
/// an HRESULT error line. Shared by the HNS-family parsers.
pub(crate) fn check_skip(text: &str) -> Result<(), ParseError> {
    crate::skip::check(text, &crate::skip::HNS)
}

pub(crate) use crate::skip::{mark, skip_line};
