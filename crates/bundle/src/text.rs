//! Text decoding: bytes of any Windows text file → UTF-8 with `\n` line ends, plus the name of
//! the encoding that was detected.
//!
//! What Windows writes (domain facts §5.1):
//! * Windows PowerShell 5.1 `>` / `Out-File`: UTF-16LE with BOM `FF FE`, CRLF.
//! * `>>` appends in the shell's default encoding **without** looking at the file, so a file begun
//!   by `cmd.exe` (OEM/ASCII) and continued by PowerShell (UTF-16LE, no BOM) — or the reverse —
//!   holds two encodings. [`decode`] finds each switch point, decodes every part on its own and
//!   records a warning naming the byte offset and line.
//! * PowerShell 6+ and most Linux tools: UTF-8 without BOM; `Out-File -Encoding ascii`: 7-bit.
//! * Native tools run from `cmd.exe`: raw OEM code page bytes (437/850 on Western systems).
//!   `encoding_rs` has no 437/850 decoder, so non-UTF-8 8-bit text is decoded as Windows-1252 and
//!   the guess is recorded as a warning (digits, ASCII labels and GUIDs — what the parsers need —
//!   are the same in all three).
//!
//! Line ends are normalised: CRLF, a lone CR and the `CR CR LF` that some redirections produce all
//! become `\n`. BOM characters inside the text and ANSI colour sequences are removed.
//! Binary data (executables, evtx, archives, NUL-riddled bytes) is refused with
//! [`BundleError::Binary`] naming the file.

use crate::error::BundleError;

/// A decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// UTF-8 text with `\n` line ends.
    pub text: String,
    /// Detected encoding: `utf-16le-bom`, `utf-16le`, `utf-16be-bom`, `utf-16be`, `utf-8-bom`,
    /// `utf-8`, `ascii`, `windows-1252`, or `mixed(<a>+<b>…)` for files with an appended tail
    /// in another encoding.
    pub encoding: String,
    /// Notes about the decoding (guessed code page, encoding switch points, invalid sequences).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enc {
    Utf16Le,
    Utf16Be,
    Bytes8,
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    enc: Enc,
    bom: bool,
    start: usize,
    end: usize,
}

/// Why `bytes` look binary, if they do (magic numbers of formats met in collections).
#[must_use]
pub fn binary_magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"ElfFile\0", "Windows event log (.evtx)"),
        (b"MZ", "Windows executable"),
        (b"PK\x03\x04", "zip archive"),
        (b"\x1f\x8b", "gzip archive"),
        (b"MSCF", "cabinet archive"),
        (b"%PDF", "PDF document"),
        (b"\x89PNG", "PNG image"),
        (b"\xd4\xc3\xb2\xa1", "pcap capture"),
        (b"\x0a\x0d\x0d\x0a", "pcapng capture"),
        (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    ];
    MAGICS
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, what)| *what)
}

/// Decode a file's bytes. `name` is only used in messages.
///
/// # Errors
/// [`BundleError::Binary`] when the bytes are not text.
pub fn decode(name: &str, bytes: &[u8]) -> Result<Decoded, BundleError> {
    decode_with_code_page(name, bytes, None)
}

/// Decode bytes of a single-byte or double-byte Windows code page (OEM or ANSI) to UTF-8, or
/// `None` when the code page is not known here. OEM code pages 437, 720, 737, 775, 850, 852,
/// 855, 857, 858, 860–865, 869 come from `oem_cp`; 866, 874, 932 (Japanese), 936 (Simplified
/// Chinese), 949 (Korean), 950 (Traditional Chinese), 1250–1258, 20866, 54936 and 65001 from
/// `encoding_rs`.
#[must_use]
pub fn decode_code_page(bytes: &[u8], code_page: u32) -> Option<String> {
    let enc = match code_page {
        866 => encoding_rs::IBM866,
        874 => encoding_rs::WINDOWS_874,
        932 => encoding_rs::SHIFT_JIS,
        936 => encoding_rs::GBK,
        949 => encoding_rs::EUC_KR,
        950 => encoding_rs::BIG5,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1252 => encoding_rs::WINDOWS_1252,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        20866 => encoding_rs::KOI8_R,
        54936 => encoding_rs::GB18030,
        65001 => encoding_rs::UTF_8,
        cp => {
            let table = oem_cp::code_table::DECODING_TABLE_CP_MAP.get(&u16::try_from(cp).ok()?)?;
            return Some(table.decode_string_lossy(bytes));
        }
    };
    Some(enc.decode_without_bom_handling(bytes).0.into_owned())
}

/// The encoding name [`Decoded::encoding`] reports for text decoded with a code page.
#[must_use]
pub fn code_page_name(code_page: u32) -> String {
    match code_page {
        1250..=1258 => format!("windows-{code_page}"),
        65001 => "utf-8".to_string(),
        cp => format!("cp{cp}"),
    }
}

/// Decode a file's bytes as [`decode`] does, but 8-bit text that is not UTF-8 is decoded with
/// `code_page` (the OEM code page a bundle's manifest recorded for native-tool output, or its
/// ANSI code page for copied files) instead of being guessed as Windows-1252. A code page this
/// module does not know falls back to the guess, with a warning naming it.
///
/// # Errors
/// [`BundleError::Binary`] when the bytes are not text.
pub fn decode_with_code_page(
    name: &str,
    bytes: &[u8],
    code_page: Option<u32>,
) -> Result<Decoded, BundleError> {
    if let Some(what) = binary_magic(bytes) {
        // "MZ" is also a plausible start of text; require a NUL early on for that one.
        let mz_text = what == "Windows executable" && !bytes.iter().take(512).any(|b| *b == 0);
        if !mz_text {
            return Err(BundleError::Binary {
                name: name.to_string(),
                why: what.to_string(),
            });
        }
    }
    let segments = segment(name, bytes)?;
    let mut text = String::with_capacity(bytes.len());
    let mut names: Vec<String> = Vec::new();
    let mut warnings = Vec::new();
    let mut guessed_1252 = false;
    let mut oem_hint = false;
    let mut unknown_cp = None;
    let cp_name = code_page.map(code_page_name);
    for (i, seg) in segments.iter().enumerate() {
        let part = bytes.get(seg.start..seg.end).unwrap_or_default();
        let (decoded, enc_name, had_errors) = match seg.enc {
            Enc::Utf16Le => {
                let (c, e) = encoding_rs::UTF_16LE.decode_without_bom_handling(part);
                (c, if seg.bom { "utf-16le-bom" } else { "utf-16le" }, e)
            }
            Enc::Utf16Be => {
                let (c, e) = encoding_rs::UTF_16BE.decode_without_bom_handling(part);
                (c, if seg.bom { "utf-16be-bom" } else { "utf-16be" }, e)
            }
            Enc::Bytes8 => match std::str::from_utf8(part) {
                Ok(s) => {
                    let n = if seg.bom {
                        "utf-8-bom"
                    } else if s.is_ascii() {
                        "ascii"
                    } else {
                        "utf-8"
                    };
                    (std::borrow::Cow::Borrowed(s), n, false)
                }
                Err(_) => match code_page
                    .and_then(|cp| decode_code_page(part, cp))
                    .zip(cp_name.as_deref())
                {
                    Some((t, n)) => (std::borrow::Cow::Owned(t), n, false),
                    None => {
                        unknown_cp = code_page;
                        guessed_1252 = true;
                        oem_hint |= looks_oem(part);
                        let (c, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(part);
                        (c, "windows-1252", false)
                    }
                },
            },
        };
        if had_errors {
            warnings.push(format!(
                "invalid {enc_name} sequences replaced with U+FFFD (bytes {}..{})",
                seg.start, seg.end
            ));
        }
        if i > 0 {
            let line = text.matches('\n').count() + 1;
            let prev = names.last().map_or("?", String::as_str);
            warnings.push(format!(
                "encoding changes at byte {} (line {line}) from {prev} to {enc_name}: text appended \
                 with `>>` in another encoding? each part decoded on its own",
                seg.start
            ));
        }
        names.push(enc_name.to_string());
        text.push_str(&decoded);
    }
    if let Some(cp) = unknown_cp {
        warnings.push(format!(
            "the bundle records code page {cp}, which hnsdoctor cannot decode; guessed windows-1252"
        ));
    } else if guessed_1252 {
        warnings.push(if oem_hint {
            "not UTF-8: bytes look like an OEM code page (437/850), which is not supported; \
             decoded as windows-1252, non-ASCII letters may be wrong"
                .to_string()
        } else {
            "not UTF-8: decoded as windows-1252 (an OEM code page such as 437/850 is possible; \
             non-ASCII letters may be wrong)"
                .to_string()
        });
    }
    let text = normalize(&text);
    if let Some(why) = binary_text(&text) {
        return Err(BundleError::Binary {
            name: name.to_string(),
            why,
        });
    }
    let encoding = match names.as_slice() {
        [] => "ascii".to_string(),
        [one] => one.clone(),
        many => {
            let mut uniq: Vec<&str> = Vec::new();
            for n in many {
                if uniq.last() != Some(&n.as_str()) {
                    uniq.push(n);
                }
            }
            format!("mixed({})", uniq.join("+"))
        }
    };
    Ok(Decoded {
        text,
        encoding,
        warnings,
    })
}

/// Bytes typical of OEM 437/850 text but unusual (or undefined) in Windows-1252: box drawing,
/// and the code points 1252 leaves undefined.
fn looks_oem(part: &[u8]) -> bool {
    part.iter().any(|b| {
        matches!(
            b,
            0x81 | 0x8d | 0x8f | 0x90 | 0x9d | 0xb3 | 0xba | 0xc4 | 0xcd
        )
    })
}

fn segment(name: &str, b: &[u8]) -> Result<Vec<Segment>, BundleError> {
    let (mut enc, mut bom, mut pos) = if b.starts_with(&[0xef, 0xbb, 0xbf]) {
        (Enc::Bytes8, true, 3)
    } else if b.starts_with(&[0xff, 0xfe]) {
        (Enc::Utf16Le, true, 2)
    } else if b.starts_with(&[0xfe, 0xff]) {
        (Enc::Utf16Be, true, 2)
    } else {
        (sniff(b), false, 0)
    };
    let mut out = Vec::new();
    while pos < b.len() {
        let end = match enc {
            Enc::Utf16Le => end_of_utf16le(b, pos),
            Enc::Utf16Be => b.len(),
            Enc::Bytes8 => end_of_8bit(name, b, pos)?,
        };
        out.push(Segment {
            enc,
            bom,
            start: pos,
            end,
        });
        if end >= b.len() || end <= pos {
            break;
        }
        pos = end;
        bom = false;
        enc = match enc {
            Enc::Utf16Le | Enc::Utf16Be => Enc::Bytes8,
            Enc::Bytes8 => {
                if b.get(pos..pos + 2) == Some(&[0xff, 0xfe][..]) {
                    pos += 2;
                    bom = true;
                }
                Enc::Utf16Le
            }
        };
    }
    Ok(out)
}

/// UTF-16 without BOM: mostly-ASCII text has NULs in every second byte.
fn sniff(b: &[u8]) -> Enc {
    let sample = b.get(..4096).unwrap_or(b);
    let pairs = sample.len() / 2;
    // 8-bit text at the start wins even if a long UTF-16 tail follows (`>>` appends).
    if pairs < 2 || !sample.iter().take(16).any(|b| *b == 0) {
        return Enc::Bytes8;
    }
    let (mut even0, mut odd0) = (0usize, 0usize);
    for (i, byte) in sample.iter().enumerate() {
        if *byte == 0 {
            if i % 2 == 0 {
                even0 += 1;
            } else {
                odd0 += 1;
            }
        }
    }
    if odd0 * 10 >= pairs * 3 && even0 * 20 < pairs {
        Enc::Utf16Le
    } else if even0 * 10 >= pairs * 3 && odd0 * 20 < pairs {
        Enc::Utf16Be
    } else {
        Enc::Bytes8
    }
}

/// End of a UTF-16LE run starting at `pos`: where a stretch of 8-bit text (no NULs, with a line
/// end, or reaching the end of the data as printable ASCII) begins.
fn end_of_utf16le(b: &[u8], pos: usize) -> usize {
    let mut i = pos;
    while i + 1 < b.len() {
        let hi = b.get(i + 1).copied().unwrap_or(0);
        if hi != 0 {
            let window = b.get(i..(i + 64).min(b.len())).unwrap_or_default();
            let no_nul = !window.contains(&0);
            let reaches_end = i + 64 >= b.len();
            let has_nl = window.contains(&b'\n');
            let printable = window
                .iter()
                .all(|c| matches!(c, b'\t' | b'\r' | b'\n' | 0x20..=0x7e));
            if window.len() >= 4 && no_nul && (has_nl || (reaches_end && printable)) {
                return i;
            }
        }
        i += 2;
    }
    b.len()
}

/// End of an 8-bit run starting at `pos`: a UTF-16LE BOM, or four UTF-16LE ASCII characters.
fn end_of_8bit(name: &str, b: &[u8], pos: usize) -> Result<usize, BundleError> {
    let mut i = pos;
    while i < b.len() {
        let at = |k: usize| b.get(i + k).copied();
        if at(0) == Some(0xff) && at(1) == Some(0xfe) {
            return Ok(i);
        }
        let utf16_ascii = (0..4)
            .all(|p| at(2 * p).is_some_and(|c| c != 0 && c < 0x80) && at(2 * p + 1) == Some(0));
        if utf16_ascii {
            return Ok(i);
        }
        if at(0) == Some(0) {
            return Err(BundleError::Binary {
                name: name.to_string(),
                why: format!("NUL byte at offset {i} in 8-bit text"),
            });
        }
        i += 1;
    }
    Ok(b.len())
}

/// Normalise line ends to `\n`, drop BOM characters, NULs and ANSI CSI colour sequences.
#[must_use]
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                while chars.peek() == Some(&'\r') {
                    chars.next();
                }
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{feff}' | '\0' => {}
            '\u{1b}' if chars.peek() == Some(&'[') => {
                chars.next();
                // CSI: parameters and intermediates, then one final byte in @..~
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Decoded text that is really binary: many control characters or replacement characters.
fn binary_text(text: &str) -> Option<String> {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars().take(8192) {
        total += 1;
        if (c.is_control() && !matches!(c, '\n' | '\t' | '\u{c}')) || c == '\u{fffd}' {
            bad += 1;
        }
    }
    (bad >= 8 && bad * 10 > total)
        .then(|| format!("{bad} of the first {total} characters are control or invalid characters"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xff, 0xfe] } else { Vec::new() };
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_le_bytes());
        }
        v
    }

    #[test]
    fn utf16le_with_bom_and_crlf() {
        let d = decode(
            "a.txt",
            &utf16le("Name : cbr0\r\nType : L2Bridge\r\n", true),
        )
        .unwrap();
        assert_eq!(d.text, "Name : cbr0\nType : L2Bridge\n");
        assert_eq!(d.encoding, "utf-16le-bom");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn utf16le_without_bom_is_sniffed() {
        let d = decode("a.txt", &utf16le("Start Port    End Port\r\n", false)).unwrap();
        assert_eq!(d.encoding, "utf-16le");
        assert_eq!(d.text, "Start Port    End Port\n");
    }

    #[test]
    fn utf16be_bom_and_utf8_bom() {
        let mut be = vec![0xfe, 0xff];
        for u in "ok\r\n".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode("b", &be).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("ok\n", "utf-16be-bom")
        );
        let d = decode("c", b"\xef\xbb\xbfh\xc3\xa9\n").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("h\u{e9}\n", "utf-8-bom")
        );
    }

    #[test]
    fn plain_utf8_ascii_and_1252_fallback() {
        assert_eq!(decode("a", b"abc\n").unwrap().encoding, "ascii");
        assert_eq!(
            decode("a", "Plage de ports dynamique\u{e9}\n".as_bytes())
                .unwrap()
                .encoding,
            "utf-8"
        );
        let d = decode("fr.txt", b"Port de d\xe9marrage : 49152\r\n").unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "Port de d\u{e9}marrage : 49152\n");
        assert!(
            d.warnings.iter().any(|w| w.contains("437/850")),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn ascii_file_with_utf16_tail_appended() {
        let mut b = b"Windows IP Configuration\r\n\r\n".to_vec();
        b.extend(utf16le("IPAddress : 10.244.3.17\r\n", false));
        let d = decode("ip.txt", &b).unwrap();
        assert_eq!(
            d.text,
            "Windows IP Configuration\n\nIPAddress : 10.244.3.17\n"
        );
        assert_eq!(d.encoding, "mixed(ascii+utf-16le)");
        assert!(
            d.warnings
                .iter()
                .any(|w| w.contains("byte 28") && w.contains("line 3")),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn utf16_file_with_ascii_tail_appended() {
        let mut b = utf16le("Protocol tcp Dynamic Port Range\r\n", true);
        b.extend_from_slice(b"Start Port      : 49152\r\nNumber of Ports : 16384\r\n");
        let d = decode("dyn.txt", &b).unwrap();
        assert_eq!(
            d.text,
            "Protocol tcp Dynamic Port Range\nStart Port      : 49152\nNumber of Ports : 16384\n"
        );
        assert_eq!(d.encoding, "mixed(utf-16le-bom+ascii)");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn line_ends_and_ansi() {
        assert_eq!(normalize("a\r\nb\rc\r\r\nd\n"), "a\nb\nc\nd\n");
        assert_eq!(normalize("\u{1b}[36mINFO\u{1b}[0m x"), "INFO x");
    }

    #[test]
    fn binary_is_refused_with_the_name() {
        let e = decode("System.evtx", b"ElfFile\0\x01\x02").unwrap_err();
        assert!(e.to_string().contains("System.evtx"), "{e}");
        let e = decode(
            "blob.bin",
            &[0x41, 0x00, 0x00, 0x00, 0x05, 0x07, 0x41, 0x41],
        )
        .unwrap_err();
        assert!(matches!(e, BundleError::Binary { .. }), "{e}");
        let mut noise = Vec::new();
        for i in 0u8..200 {
            noise.push(i.wrapping_mul(37) | 0x01);
            noise.push(i % 7 + 1);
        }
        assert!(decode("noise", &noise).is_err());
    }

    #[test]
    fn recorded_code_page_decodes_oem_text() {
        // "Physische Adresse . . : 00-15-5D" with "ä" (0x84 in CP850) and box-free text.
        let de: &[u8] = b"   Verbindungsspezifisches DNS-Suffix: \x84\x94\x81\r\n";
        let d = decode_with_code_page("ipconfig.txt", de, Some(850)).unwrap();
        assert!(d.text.contains("Suffix: äöü"), "{}", d.text);
        assert_eq!(d.encoding, "cp850");
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        // Without the code page the same bytes are a windows-1252 guess.
        let g = decode("ipconfig.txt", de).unwrap();
        assert_eq!(g.encoding, "windows-1252");
        assert!(!g.text.contains("äöü"));
        // Shift_JIS (CP932): "イーサネット アダプター" is not valid UTF-8.
        let (ja, _, _) = encoding_rs::SHIFT_JIS.encode("イーサネット アダプター Ethernet:\r\n");
        let d = decode_with_code_page("ipconfig.txt", &ja, Some(932)).unwrap();
        assert_eq!(d.text, "イーサネット アダプター Ethernet:\n");
        assert_eq!(d.encoding, "cp932");
        // UTF-8 stays UTF-8 whatever the code page.
        let u = decode_with_code_page("x", "ä\n".as_bytes(), Some(932)).unwrap();
        assert_eq!((u.text.as_str(), u.encoding.as_str()), ("ä\n", "utf-8"));
        // An unknown code page falls back with a warning naming it.
        let x = decode_with_code_page("x", b"\xe4\n", Some(12345)).unwrap();
        assert!(x.warnings[0].contains("12345"), "{:?}", x.warnings);
        assert_eq!(decode_code_page(b"\x80", 437).as_deref(), Some("Ç"));
        assert_eq!(decode_code_page(b"\xb0\xa1", 949).as_deref(), Some("가"));
        assert_eq!(decode_code_page(b"\xc4\xe3", 936).as_deref(), Some("你"));
    }

    #[test]
    fn empty_input_decodes_to_empty_text() {
        let d = decode("e", b"").unwrap();
        assert_eq!(d.text, "");
    }
}
