//! Error codes: lookup in any form (hex, unsigned or signed decimal, plain Win32), extraction
//! from pasted log lines, and `explain`.
//!
//! Every code is normalised to its HRESULT: plain Win32 codes become `0x8007xxxx` exactly as
//! [`hnsdoctor_model::win32_to_hresult`] does, so `0x57`, `87`, `0x80070057` and `2147942487`
//! are one code.

use crate::{Entry, ErrorCode, Kb, QueryError};
use hnsdoctor_model::win32_to_hresult;
use regex::Regex;
use serde::Serialize;
use std::sync::OnceLock;

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

fn re_hex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)\b0x([0-9a-f]{1,8})\b").expect("static regex"))
}

fn re_dec() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // Ten-digit (optionally negative) numbers not part of a longer token, or an ErrorCode field.
    R.get_or_init(|| {
        Regex::new(
            r#"(?i)"?errorcode"?\s*[:=]\s*(-?\d{1,10})\b|(?:^|[^\w.-])(-?\d{10})(?:$|[^\w.])"#,
        )
        .expect("static regex")
    })
}

/// A number as a user writes a code: `0x803b0013`, `2151350291`, `-2143617005`, `87`, `0x57`.
/// Returns the HRESULT (Win32 codes normalised), `None` if it is not a number in range.
pub fn parse_code(s: &str) -> Option<u32> {
    let t = s.trim();
    let v: u32 = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u32::from_str_radix(h, 16).ok()?
    } else if let Some(n) = t.strip_prefix('-') {
        let n: i64 = n.parse().ok()?;
        i32::try_from(-n).ok()? as u32
    } else {
        t.parse().ok()?
    };
    (v != 0).then(|| win32_to_hresult(v))
}

impl Kb {
    /// The table row of a code in any numeric form (Win32 codes are normalised to `0x8007xxxx`).
    pub fn error_code(&self, code: u32) -> Option<&ErrorCode> {
        self.code_index
            .get(&win32_to_hresult(code))
            .map(|&i| &self.codes[i])
    }

    /// The codes in a pasted text, normalised to HRESULTs, in order of appearance without
    /// duplicates: hex (`0x803b0013`, `(0x57)`), ten-digit decimals (`2151350291`,
    /// `-2143617005`), `"ErrorCode":N` fields, and known message texts without a code ("The
    /// wrong diskette is in the drive").
    pub fn find_codes(&self, text: &str) -> Vec<u32> {
        let mut found: Vec<(usize, u32)> = Vec::new();
        for c in re_hex().captures_iter(text) {
            if let (Some(m), Ok(v)) = (c.get(0), u32::from_str_radix(&c[1], 16)) {
                if v != 0 {
                    found.push((m.start(), win32_to_hresult(v)));
                }
            }
        }
        for c in re_dec().captures_iter(text) {
            let Some(m) = c.get(1).or_else(|| c.get(2)) else {
                continue;
            };
            let Some(v) = parse_code(m.as_str()) else {
                continue;
            };
            // A bare ten-digit number must look like an HRESULT (severity bit set).
            if c.get(2).is_some() && v & 0x8000_0000 == 0 {
                continue;
            }
            found.push((m.start(), v));
        }
        let lower = text.to_lowercase();
        for code in &self.codes {
            if let Some(msg) = &code.message {
                let needle = msg.trim_end_matches('.').to_lowercase();
                if let Some(pos) = lower.find(&needle) {
                    found.push((pos, code.value));
                }
            }
        }
        found.sort();
        let mut out: Vec<u32> = Vec::new();
        for (_, v) in found {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
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
