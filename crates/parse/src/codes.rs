//! HRESULT / Win32 error codes in free text: the one extractor every log, event and paste
//! parser uses. It lives in the knowledge base ([`hnsdoctor_kb::codes`]), which also serves
//! `hnsdoctor explain`, and takes the message texts it recognises from `errors.toml`: `explain`
//! and `analyze` cannot disagree about a line.
//!
//! Pipeline stage: **parsers** (a helper, not an artefact: it has no entry in
//! [`crate::formats::FORMATS`]).
//!
//! Shapes recognised, all normalised to the unsigned 32-bit HRESULT form (Win32 codes through
//! [`win32_to_hresult`], so `0x57` → `0x80070057`):
//!
//! | shape | example | context required |
//! |---|---|---|
//! | parenthesised hex after a space | `… already exists. (0x803b0013)`, `(0x490)` | none (the Win32 wrapper shape) |
//! | decimal `ErrorCode` key (JSON or `key=value`) | `"ErrorCode":2151350291` | the key |
//! | keyed hex or decimal | `hr=0x80070057`, `HRESULT: 0x803B0013`, `error code 0x57`, `Win32 error 1168` | the key |
//! | bare 8-digit hex with the top bit set | `failed: 0x803B0013` | "fail", "error", "hresult" or "win32" earlier in the line |
//! | negative signed decimal (Go/.NET `int32` HRESULT) | `-2143617005` | as for bare hex |
//! | a message of `errors.toml` without a code | `Element not found`, `The parameter is incorrect` | none |
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

pub use hnsdoctor_kb::codes::{error_codes, message_of, normalise, parse_code, win32_to_hresult};

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
        assert_eq!(parse_code("0x12345678"), None, "neither HRESULT nor Win32");
        assert_eq!(
            message_of(0x803b_0013),
            Some("The specified port already exists.")
        );
    }
}
