//! Error codes: lookup in any form (hex, unsigned or signed decimal, plain Win32), extraction
//! from pasted log lines, and `explain`.
//!
//! Every code is normalised to its HRESULT: plain Win32 codes become `0x8007xxxx` exactly as
//! [`win32_to_hresult`] does, so `0x57`, `87`, `0x80070057` and `2147942487`
//! are one code.

use crate::{Entry, ErrorCode, Kb, QueryError};
use regex::Regex;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One code found in the input, with what the knowledge base knows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeInfo<'a> {
    /// The HRESULT.
    pub value: u32,
    /// The table row, when known.
    pub code: Option<&'a ErrorCode>,
    /// The entries it points to.
    pub entries: Vec<&'a Entry>,
}

/// What `explain` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Explanation<'a> {
    /// The input was a knowledge-base id.
    Entry {
        /// The entry.
        entry: &'a Entry,
        /// Error codes that point to it.
        codes: Vec<&'a ErrorCode>,
    },
    /// The input was, or contained, error codes (at least one known).
    Codes {
        /// The codes, in order of appearance.
        codes: Vec<CodeInfo<'a>>,
    },
}

/// Convert a Win32 error code to its HRESULT form (`0x57` → `0x80070057`); HRESULTs and zero
/// pass through unchanged.
#[must_use]
pub fn win32_to_hresult(code: u32) -> u32 {
    if code & 0x8000_0000 != 0 || code == 0 {
        code
    } else {
        0x8007_0000 | (code & 0xffff)
    }
}

/// The plain Win32 code inside a `0x8007xxxx` HRESULT (`0x80070057` → `0x57`): the inverse of
/// [`win32_to_hresult`]; `None` for any other value.
#[must_use]
pub fn hresult_to_win32(hr: u32) -> Option<u32> {
    (hr & 0xffff_0000 == 0x8007_0000).then_some(hr & 0xffff)
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

/// Parse one token as a code, as a user writes it: `0x803b0013`, `803B0013` (8 hex digits),
/// `2151350291`, `-2143617005`, `0x57`, `87` (decimal Win32), `(0x57).` → the normalised
/// HRESULT; `None` for anything that is neither an HRESULT nor a Win32 code (`0x12345678`, `0`).
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

/// The message texts of `errors.toml` (lower case, final period dropped) with their codes, as
/// one alternation, longest first so a longer message wins over a shorter one it contains.
struct Messages {
    re: Option<Regex>,
    by_text: HashMap<String, u32>,
}

static MESSAGES: LazyLock<Messages> = LazyLock::new(|| {
    let mut by_text: HashMap<String, u32> = HashMap::new();
    for c in &Kb::get().codes {
        if let Some(m) = &c.message {
            let key = m.trim().trim_end_matches('.').trim().to_lowercase();
            // Short texts ("Access is denied") match too much prose; keep messages of 3+ words.
            if key.split_whitespace().count() >= 3 {
                by_text.entry(key).or_insert(c.value);
            }
        }
    }
    let mut keys: Vec<&String> = by_text.keys().collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    let re = (!keys.is_empty()).then(|| {
        let alts: Vec<String> = keys.iter().map(|k| regex::escape(k)).collect();
        Regex::new(&format!("(?i){}", alts.join("|"))).expect("escaped alternation")
    });
    Messages { re, by_text }
});

/// Cheap test before running the regexes: could `text` hold a code at all?
fn may_have_code(text: &str) -> bool {
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
        || low.contains("status code")
        || MESSAGES.re.as_ref().is_some_and(|r| r.is_match(text))
}

/// Whether an error word occurs in `low` (lower-cased line) before byte `pos`.
fn error_context_before(low: &str, pos: usize) -> bool {
    let head = low.get(..pos).unwrap_or(low);
    ["fail", "error", "hresult", "win32", "hr="]
        .iter()
        .any(|w| head.contains(w))
}

/// Every error code in `text` (normally one line), normalised to HRESULTs, in order of first
/// appearance, without duplicates. The one extractor: `analyze` (every parser) and `explain` use
/// it, so both name the same code for the same line.
///
/// | shape | example | context required |
/// |---|---|---|
/// | parenthesised hex after a space | `… already exists. (0x803b0013)`, `(0x490)` | none |
/// | decimal `ErrorCode` key (JSON or `key=value`) | `"ErrorCode":2151350291` | the key |
/// | keyed hex or decimal | `hr=0x80070057`, `HRESULT: 0x803B0013`, `Win32 error 1168` | the key |
/// | bare 8-digit hex with the top bit set | `failed: 0x803B0013` | an error word before it |
/// | negative signed decimal (int32 HRESULT) | `-2143617005` | an error word before it |
/// | a message of `errors.toml` without a code | `Element not found` | none |
///
/// Not codes: memory addresses (more than 8 hex digits, or no error context), Go call arguments
/// (`f(0x5)`), GUID fragments and MAC addresses, zero, and values that are neither an HRESULT
/// nor a Win32 code (`0x12345678`).
///
/// ```
/// use hnsdoctor_kb::codes::error_codes;
/// let line = r#"hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013) {"ErrorCode":2151350291}"#;
/// assert_eq!(error_codes(line), vec![0x803b_0013]);
/// assert_eq!(error_codes("HNS failed with error : Element not found."), vec![0x8007_0490]);
/// ```
#[must_use]
pub fn error_codes(text: &str) -> Vec<u32> {
    if !may_have_code(text) {
        return Vec::new();
    }
    let low = text.to_ascii_lowercase();
    let mut hits: Vec<(usize, u32)> = Vec::new();
    let hex = |m: regex::Match<'_>| u32::from_str_radix(m.as_str(), 16).ok().and_then(normalise);
    for c in PAREN.captures_iter(text) {
        if let Some(m) = c.get(1) {
            if let Some(v) = hex(m) {
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
                if let Some(v) = hex(m) {
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
    if let Some(re) = &MESSAGES.re {
        for m in re.find_iter(text) {
            if let Some(v) = MESSAGES.by_text.get(&m.as_str().to_lowercase()) {
                hits.push((m.start(), *v));
            }
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

/// The message text of a code in `errors.toml`, when the data has one.
#[must_use]
pub fn message_of(code: u32) -> Option<&'static str> {
    Kb::get()
        .error_code(code)
        .and_then(|c| c.message.as_deref())
}

impl Kb {
    /// The table row of a code in any numeric form (Win32 codes are normalised to `0x8007xxxx`).
    pub fn error_code(&self, code: u32) -> Option<&ErrorCode> {
        self.code_index
            .get(&win32_to_hresult(code))
            .map(|&i| &self.codes[i])
    }

    /// The codes in a pasted text: [`error_codes`], the extractor `analyze` uses too.
    pub fn find_codes(&self, text: &str) -> Vec<u32> {
        error_codes(text)
    }

    /// The error codes that link to `id`.
    pub fn codes_for_entry(&self, id: &str) -> Vec<&ErrorCode> {
        self.codes
            .iter()
            .filter(|c| c.findings.iter().any(|f| f == id))
            .collect()
    }

    /// Explain a code, an id, or a pasted error line.
    pub fn explain(&self, input: &str) -> Result<Explanation<'_>, QueryError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(QueryError::EmptyExplain);
        }
        let lower = t.to_ascii_lowercase();
        if let Some(entry) = self.entry(&lower) {
            return Ok(Explanation::Entry {
                entry,
                codes: self.codes_for_entry(&entry.id),
            });
        }
        let codes = match parse_code(t) {
            Some(v) => vec![v],
            None => self.find_codes(t),
        };
        if codes.is_empty() {
            return Err(QueryError::NothingFound {
                input: t.to_string(),
                suggestions: self.suggest_ids(&lower),
            });
        }
        if codes.iter().all(|c| self.error_code(*c).is_none()) {
            return Err(QueryError::UnknownCodes(codes));
        }
        let codes = codes
            .into_iter()
            .map(|value| {
                let code = self.error_code(value);
                let entries = code
                    .map(|c| c.findings.iter().filter_map(|f| self.entry(f)).collect())
                    .unwrap_or_default();
                CodeInfo {
                    value,
                    code,
                    entries,
                }
            })
            .collect();
        Ok(Explanation::Codes { codes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win32_and_hresult_round_trip() {
        assert_eq!(win32_to_hresult(0x57), 0x8007_0057);
        assert_eq!(hresult_to_win32(0x8007_0057), Some(0x57));
        assert_eq!(hresult_to_win32(win32_to_hresult(1168)), Some(1168));
        assert_eq!(hresult_to_win32(0x803b_0013), None);
    }

    #[test]
    fn numeric_forms_are_one_code() {
        for s in ["0x803b0013", "0X803B0013", "2151350291", "-2143617005"] {
            assert_eq!(parse_code(s), Some(0x803b_0013), "{s}");
        }
        for s in ["0x57", "87", "0x80070057", "2147942487"] {
            assert_eq!(parse_code(s), Some(0x8007_0057), "{s}");
        }
        assert_eq!(parse_code("0"), None);
        assert_eq!(parse_code("-99999999999"), None);
        assert_eq!(parse_code("zz"), None);
    }

    #[test]
    fn lookup_and_meanings() {
        let kb = Kb::get();
        assert_eq!(
            kb.error_code(0x803b_0013).unwrap().name,
            "HCN_E_PORT_ALREADY_EXISTS"
        );
        assert_eq!(kb.error_code(0x22).unwrap().name, "ERROR_WRONG_DISK");
        assert_eq!(kb.error_code(0x490).unwrap().name, "ERROR_NOT_FOUND");
        assert_eq!(kb.error_code(0xb7).unwrap().name, "ERROR_ALREADY_EXISTS");
        // 0x1392 is 5010, "The object already exists"; "corrupted and unreadable" is 1392 = 0x570.
        assert_eq!(
            kb.error_code(0x1392).unwrap().name,
            "ERROR_OBJECT_ALREADY_EXISTS"
        );
        assert_eq!(kb.error_code(1392).unwrap().name, "ERROR_FILE_CORRUPT");
        assert_eq!(kb.error_code(0x803b_0013).unwrap().signed(), -2_143_617_005);
        assert_eq!(kb.error_code(0x57).unwrap().win32(), Some(0x57));
        // Every row of the HCN table, ranges expanded.
        for v in 0x803b_0001..=0x803b_0037u32 {
            assert!(kb.error_code(v).is_some(), "0x{v:08x} missing");
        }
    }

    #[test]
    fn codes_from_a_pasted_line() {
        let kb = Kb::get();
        let line = r#"E0412 proxier.go:1234] Policy creation failed: hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013) {"Success":false,"Error":"The specified port already exists. ","ErrorCode":2151350291}"#;
        assert_eq!(kb.find_codes(line), vec![0x803b_0013]);
        let line = r#"hcnCreateLoadBalancer failed in Win32: The parameter is incorrect. (0x57) {"ErrorCode":2147942487}"#;
        assert_eq!(kb.find_codes(line), vec![0x8007_0057]);
        assert_eq!(
            kb.find_codes("hnsCall failed in Win32: The wrong diskette is in the drive."),
            vec![0x8007_0022]
        );
        // Ports, IPs and GUIDs are not codes.
        assert!(kb
            .find_codes("10.244.3.2:30080 endpoint 9E1D4C2B-7A6F-4E3D-8C2B-1A0F9E8D7C6B port 10256")
            .is_empty());
        assert_eq!(
            kb.find_codes("ErrorCode: -2143617005 and 0x803b002f"),
            vec![0x803b_0013, 0x803b_002f]
        );
    }

    #[test]
    fn explain_forms() {
        let kb = Kb::get();
        match kb.explain("port-already-exists").unwrap() {
            Explanation::Entry { entry, codes } => {
                assert_eq!(entry.id, "port-already-exists");
                assert!(codes.iter().any(|c| c.value == 0x803b_0013));
            }
            other => panic!("{other:?}"),
        }
        match kb.explain("87").unwrap() {
            Explanation::Codes { codes } => {
                assert_eq!(codes[0].value, 0x8007_0057);
                assert!(codes[0]
                    .entries
                    .iter()
                    .any(|e| e.id == "lb-too-many-backends"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(kb.explain(" "), Err(QueryError::EmptyExplain));
        assert!(matches!(
            kb.explain("0x80004005"),
            Err(QueryError::UnknownCodes(_))
        ));
        match kb.explain("port-already-exist") {
            Err(QueryError::NothingFound { suggestions, .. }) => {
                assert_eq!(suggestions[0], "port-already-exists")
            }
            other => panic!("{other:?}"),
        }
    }
}
