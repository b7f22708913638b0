//! HRESULT / Win32 error codes in free text: the one extractor every log, event and paste
//! parser uses, and the token parser behind `hnsdoctor explain <code>`.
//!
//! Pipeline stage: **parsers** (a helper, not an artefact: it has no entry in
//! [`crate::formats::FORMATS`]).
//!
//! Shapes recognised, all normalised to the unsigned 32-bit HRESULT form (Win32 codes through
//! [`hnsdoctor_model::win32_to_hresult`], so `0x57` → `0x80070057`):
//!
//! | shape | example | context required |
//! |---|---|---|
//! | parenthesised hex after a space | `… already exists. (0x803b0013)`, `(0x490)` | none (the Win32 wrapper shape) |
//! | decimal `ErrorCode` key (JSON or `key=value`) | `"ErrorCode":2151350291` | the key |
//! | keyed hex or decimal | `hr=0x80070057`, `HRESULT: 0x803B0013`, `error code 0x57`, `Win32 error 1168` | the key |
//! | bare 8-digit hex with the top bit set | `failed: 0x803B0013` | "fail", "error", "hresult" or "win32" earlier in the line |
//! | negative signed decimal (Go/.NET `int32` HRESULT) | `-2143617005` | as for bare hex |
//! | known system message without a code | `Element not found`, `The parameter is incorrect` | none |
//!
//! False positives avoided on purpose: memory addresses (more than 8 hex digits, or no error
//! context), Go call arguments (`f(0x5)` — the parenthesis must follow a space or start the
//! text), GUID fragments and MAC addresses (no `0x` prefix, never keyed), zero, and values that
//! are neither an HRESULT (top bit set) nor a Win32 code (≤ 0xFFFF). Codes are returned in order
//! of appearance without duplicates, so a message and its own `(0x…)` count once.
//!
//! ```
//! use hnsdoctor_parse::codes::{error_codes, parse_code};
//! let line = r#"hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013) {"Success":false,"ErrorCode":2151350291}"#;
//! assert_eq!(error_codes(line), vec![0x803b_0013]);
//! assert_eq!(parse_code("-2147024809"), Some(0x8007_0057));
//! ```

use hnsdoctor_model::win32_to_hresult;
use regex::Regex;
use std::sync::LazyLock;

/// System messages that identify a code when printed without one (lower case → HRESULT).
/// Only exact Windows message texts; matched case-insensitively.
pub const KNOWN_MESSAGES: &[(&str, u32)] = &[
    ("the wrong diskette is in the drive", 0x8007_0022),
    ("element not found", 0x8007_0490),
    ("the parameter is incorrect", 0x8007_0057),
    (
        "cannot create a file when that file already exists",
        0x8007_00b7,
    ),
    ("the specified port already exists", 0x803b_0013),
    ("an address provided is invalid or reserved", 0x803b_002f),
    ("the switch-port was not found", 0x803b_0007),
    ("the specified module could not be found", 0x8007_007e),
    ("the system cannot find the file specified", 0x8007_0002),
];

/// `(0x…)` after whitespace, `:` or at the start.
static PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s:,;=])\(\s*0x([0-9a-f]{1,8})\s*\)").expect("constant regex")
});

/// A key that announces a code, then the value.
static KEYED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(\berror\s*code|\bhresult|\bhr|\bwin32\s+error|\bstatus\s*code)(?:\\?")?\s*(?:[=:]|\bis\b)?\s*(?:\\?")?(0x[0-9a-f]{1,8}|-?\d{1,10})\b"#,
    )
    .expect("constant regex")
});

/// Bare 8-digit hex with the top bit set.
static BARE_HEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^0-9a-z_])0x([89a-f][0-9a-f]{7})\b").expect("constant regex")
});

/// Negative int32 HRESULT (`-2147024809`).
static NEG_DEC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9a-zA-Z_.\-])(-2[01]\d{8})\b").expect("constant regex"));

/// Known messages, one alternation.
static MESSAGES: LazyLock<Regex> = LazyLock::new(|| {
    let alts: Vec<String> = KNOWN_MESSAGES
        .iter()
        .map(|(m, _)| regex::escape(m))
        .collect();
    Regex::new(&format!("(?i){}", alts.join("|"))).expect("constant regex")
});

/// Cheap test before running the regexes: could `text` hold a code at all?
#[must_use]
pub fn may_have_code(text: &str) -> bool {
    let b = text.as_bytes();
    if b.windows(2).any(|w| w == b"0x" || w == b"0X") {
        return true;
    }
    if b.windows(3)
        .any(|w| w == b"-21" || w.eq_ignore_ascii_case(b"hr="))
    {
        return true;
    }
    let low = text.to_ascii_lowercase();
    low.contains("errorcode")
        || low.contains("error code")
        || low.contains("hresult")
        || low.contains("win32 error")
        || KNOWN_MESSAGES.iter().any(|(m, _)| low.contains(m))
}

/// Normalise a code value: HRESULTs (top bit set) pass, Win32 codes (1..=0xFFFF) become
/// `0x8007xxxx`, anything else (zero, 0x10000..0x7FFFFFFF) is not a code.
#[must_use]
pub fn normalise(v: u32) -> Option<u32> {
    if v & 0x8000_0000 != 0 {
        Some(v)
    } else if (1..=0xffff).contains(&v) {
        Some(win32_to_hresult(v))
    } else {
        None
    }
}

/// Parse one token as a code: `0x803b0013`, `803B0013` (8 hex digits), `2151350291`,
/// `-2143617005`, `0x57`, `87` (decimal Win32) → normalised HRESULT. Used by `explain`.
#[must_use]
pub fn parse_code(token: &str) -> Option<u32> {
    let t = token
        .trim()
        .trim_matches(|c| c == '(' || c == ')' || c == '.');
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u32::from_str_radix(hex, 16).ok().and_then(normalise);
    }
    if let Some(neg) = t.strip_prefix('-') {
        let v: i64 = neg.parse::<i64>().ok()?.checked_neg()?;
        let v = i32::try_from(v).ok()?;
        return normalise(u32::from_ne_bytes(v.to_ne_bytes()));
    }
    if t.len() == 8 && t.chars().any(|c| c.is_ascii_alphabetic()) {
        return u32::from_str_radix(t, 16).ok().and_then(normalise);
    }
    t.parse::<u32>().ok().and_then(normalise)
}

/// The canonical message for a code, when it is one of [`KNOWN_MESSAGES`].
#[must_use]
pub fn message_of(code: u32) -> Option<&'static str> {
    KNOWN_MESSAGES
        .iter()
        .find(|(_, c)| *c == code)
        .map(|(m, _)| *m)
}

/// Whether an error word occurs in `low` (lower-cased line) before byte `pos`.
fn error_context_before(low: &str, pos: usize) -> bool {
    let head = low.get(..pos).unwrap_or(low);
    ["fail", "error", "hresult", "win32", "hr="]
        .iter()
        .any(|w| head.contains(w))
}

/// Every error code in `text` (normally one line), normalised, in order of first appearance,
/// without duplicates. See the module doc for the shapes and the contexts required.
#[must_use]
pub fn error_codes(text: &str) -> Vec<u32> {
    if !may_have_code(text) {
        return Vec::new();
    }
    let low = text.to_ascii_lowercase();
    let mut hits: Vec<(usize, u32)> = Vec::new();
    for c in PAREN.captures_iter(text) {
        if let Some(m) = c.get(1) {
            if let Some(v) = u32::from_str_radix(m.as_str(), 16).ok().and_then(normalise) {
                hits.push((m.start(), v));
            }
        }
    }
    for c in KEYED.captures_iter(text) {
        let (Some(key), Some(val)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let key = key.as_str().to_ascii_lowercase();
        let raw = val.as_str();
        let v = if raw.starts_with("0x") || raw.starts_with("0X") {
            parse_code(raw)
        } else if key == "hr" || key.starts_with("status") {
            // `hr=5` is too weak on its own; only int32-wide decimals.
            parse_code(raw).filter(|_| raw.trim_start_matches('-').len() >= 10)
        } else {
            parse_code(raw)
        };
        if let Some(v) = v {
            hits.push((val.start(), v));
        }
    }
    for c in BARE_HEX.captures_iter(text) {
        if let Some(m) = c.get(1) {
            if error_context_before(&low, m.start()) {
                if let Some(v) = u32::from_str_radix(m.as_str(), 16).ok().and_then(normalise) {
                    hits.push((m.start(), v));
                }
            }
        }
    }
    for c in NEG_DEC.captures_iter(text) {
        if let Some(m) = c.get(1) {
            if error_context_before(&low, m.start()) {
                if let Some(v) = parse_code(m.as_str()).filter(|v| *v >= 0x8000_0000) {
                    hits.push((m.start(), v));
                }
            }
        }
    }
    for m in MESSAGES.find_iter(text) {
        let key = m.as_str().to_ascii_lowercase();
        if let Some((_, v)) = KNOWN_MESSAGES.iter().find(|(k, _)| *k == key) {
            hits.push((m.start(), *v));
        }
    }
    hits.sort_by_key(|(pos, _)| *pos);
    let mut out: Vec<u32> = Vec::with_capacity(hits.len());
    for (_, v) in hits {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapper_shapes() {
        assert_eq!(
            error_codes("hnsCall failed in Win32: The wrong diskette is in the drive. (0x22)"),
            vec![0x8007_0022]
        );
        assert_eq!(
            error_codes("hcnCreateEndpoint failed in Win32: Element not found. (0x490)"),
            vec![0x8007_0490]
        );
        assert_eq!(
            error_codes(
                "failed in Win32: Cannot create a file when that file already exists. (0xb7)"
            ),
            vec![0x8007_00b7]
        );
        assert_eq!(error_codes("boom (0x57)"), vec![0x8007_0057]);
        assert_eq!(error_codes("(0x803B0013) at start"), vec![0x803b_0013]);
    }

    #[test]
    fn decimal_and_negative() {
        assert_eq!(
            error_codes(r#"{"Success":false,"Error":"x","ErrorCode":2151350291}"#),
            vec![0x803b_0013]
        );
        // JSON-escaped inside another JSON string
        assert_eq!(
            error_codes(r#"{"msg":"oops","err":"{\"ErrorCode\":2147942487}"}"#),
            vec![0x8007_0057]
        );
        assert_eq!(
            error_codes("CreateEndpoint failed with HRESULT -2143617005"),
            vec![0x803b_0013]
        );
        assert_eq!(
            error_codes("operation failed, result -2147024809"),
            vec![0x8007_0057]
        );
        // no error context: a negative number is just a number
        assert!(error_codes("offset -2147024809 bytes").is_empty());
    }

    #[test]
    fn keyed_forms() {
        assert_eq!(error_codes("Create hr=0x80070057"), vec![0x8007_0057]);
        assert_eq!(error_codes("HRESULT: 0x803B0013"), vec![0x803b_0013]);
        assert_eq!(error_codes("error code 0x57"), vec![0x8007_0057]);
        assert_eq!(error_codes("The error code is 0x490."), vec![0x8007_0490]);
        assert_eq!(error_codes("Win32 error 1168"), vec![0x8007_0490]);
        // a small decimal after hr= is not trusted
        assert!(error_codes("step hr=5 of 7").is_empty());
    }

    #[test]
    fn bare_hex_needs_error_context() {
        assert_eq!(
            error_codes("CreateLoadBalancer failed: 0x803B0013"),
            vec![0x803b_0013]
        );
        assert!(error_codes("buffer at 0x803B0013 ok").is_empty());
        // 64-bit address, even with context
        assert!(error_codes("panic: error at 0xc000123456").is_empty());
    }

    #[test]
    fn messages_and_dedup() {
        assert_eq!(
            error_codes("HNS failed with error : Element not found."),
            vec![0x8007_0490]
        );
        assert_eq!(
            error_codes("hns failed with error : the switch-port was not found."),
            vec![0x803b_0007]
        );
        assert_eq!(
            error_codes(
                "Policy creation failed: hcnCreateLoadBalancer failed in Win32: The parameter is incorrect. (0x57) {\"ErrorCode\":2147942487}"
            ),
            vec![0x8007_0057]
        );
        // two different codes keep their order
        assert_eq!(
            error_codes("An address provided is invalid or reserved. (0x803b002f); then (0x490)"),
            vec![0x803b_002f, 0x8007_0490]
        );
    }

    #[test]
    fn false_positives() {
        assert!(error_codes("goroutine 1 [running]: main.f(0x5, 0xc000012345)").is_empty());
        assert!(
            error_codes("endpoint 0b4c9e52-6f1d-4a8e-93c2-5d7e8f9a0b1c mac 00-15-5D-A4-20-1E")
                .is_empty()
        );
        assert!(error_codes("LastErrorCode\":0").is_empty());
        assert!(error_codes("value (0x0)").is_empty());
        assert!(error_codes("id (0x12345678)").is_empty());
        assert!(error_codes("").is_empty());
    }

    #[test]
    fn token_parse() {
        assert_eq!(parse_code("0x803b0013"), Some(0x803b_0013));
        assert_eq!(parse_code("803B0013"), Some(0x803b_0013));
        assert_eq!(parse_code("2151350291"), Some(0x803b_0013));
        assert_eq!(parse_code("-2143617005"), Some(0x803b_0013));
        assert_eq!(parse_code("(0x57)"), Some(0x8007_0057));
        assert_eq!(parse_code("87"), Some(0x8007_0057));
        assert_eq!(parse_code("0"), None);
        assert_eq!(parse_code("cbr0"), None);
        assert_eq!(
            message_of(0x803b_0013),
            Some("the specified port already exists")
        );
    }
}
