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
    decode_core(name, Input::Borrowed(bytes), code_page, usize::MAX)
}

/// Decode owned bytes as [`decode_with_code_page`] does, refusing before any text is made when
/// the decoded UTF-8 could exceed `max_out` bytes ([`BundleError::DecodedTooLarge`]).
///
/// The bound is computed from the bytes alone (UTF-16 exactly, per code unit;
/// 8-bit text that is not UTF-8 at most 3 bytes per byte from 0x80 — windows-1252's 0x80–0x9F
/// become 3-byte characters — and 2 per byte from 0xA0), so a hostile input cannot make the
/// decoder allocate past the budget. UTF-8 input is turned into the text without a copy.
///
/// # Errors
/// [`BundleError::Binary`] when the bytes are not text, [`BundleError::DecodedTooLarge`].
pub fn decode_owned_capped(
    name: &str,
    bytes: Vec<u8>,
    code_page: Option<u32>,
    max_out: usize,
) -> Result<Decoded, BundleError> {
    decode_core(name, Input::Owned(bytes), code_page, max_out)
}

/// Raw bytes handed to the decoder: borrowed, or owned (a UTF-8 input then becomes the text
/// without a copy).
enum Input<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl Input<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Input::Borrowed(b) => b,
            Input::Owned(v) => v,
        }
    }
}

/// Upper bound of the UTF-8 length of a segment once decoded.
fn decoded_bound(seg: &Segment, part: &[u8], code_page: Option<u32>) -> usize {
    match seg.enc {
        // Per code unit: ASCII 1, up to U+07FF 2, else 3 (a lone surrogate is U+FFFD);
        // an odd trailing byte becomes U+FFFD (3).
        Enc::Utf16Le | Enc::Utf16Be => {
            let le = seg.enc == Enc::Utf16Le;
            let units: usize = part
                .chunks_exact(2)
                .map(|p| {
                    let (x, y) = (
                        p.first().copied().unwrap_or(0),
                        p.get(1).copied().unwrap_or(0),
                    );
                    match if le {
                        u16::from_le_bytes([x, y])
                    } else {
                        u16::from_be_bytes([x, y])
                    } {
                        0..=0x7f => 1,
                        0x80..=0x7ff => 2,
                        _ => 3,
                    }
                })
                .sum();
            units + 3 * (part.len() % 2)
        }
        Enc::Bytes8 => {
            if std::str::from_utf8(part).is_ok() {
                return part.len();
            }
            let cp1252 = code_page.is_none();
            part.iter()
                .map(|b| match b {
                    0..=0x7f => 1,
                    0xa0..=0xff if cp1252 => 2,
                    _ => 3,
                })
                .sum()
        }
    }
}

fn decode_core(
    name: &str,
    input: Input<'_>,
    code_page: Option<u32>,
    max_out: usize,
) -> Result<Decoded, BundleError> {
    let bytes = input.bytes();
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
    let bound: usize = segments
        .iter()
        .map(|seg| {
            decoded_bound(
                seg,
                bytes.get(seg.start..seg.end).unwrap_or_default(),
                code_page,
            )
        })
        .fold(0usize, usize::saturating_add);
    if bound > max_out {
        return Err(BundleError::DecodedTooLarge {
            name: name.to_string(),
            size: u64::try_from(bound).unwrap_or(u64::MAX),
            cap: u64::try_from(max_out).unwrap_or(u64::MAX),
        });
    }
    // The common case, one UTF-8 segment of owned bytes: no copy.
    if let (Input::Owned(_), [seg]) = (&input, segments.as_slice()) {
        if seg.enc == Enc::Bytes8
            && std::str::from_utf8(bytes.get(seg.start..seg.end).unwrap_or_default()).is_ok()
        {
            let (bom, start) = (seg.bom, seg.start);
            let Input::Owned(mut v) = input else {
                unreachable!("matched Owned above")
            };
            v.drain(..start);
            let encoding = if bom {
                "utf-8-bom"
            } else if v.is_ascii() {
                "ascii"
            } else {
                "utf-8"
            };
            let text = String::from_utf8(v).unwrap_or_default();
            return finish_text(name, text, encoding.to_string(), Vec::new());
        }
    }
    // The bound is exact for UTF-16 (and at most 3× for 8-bit text): the text never grows,
    // and a UTF-16 file does not reserve twice what it needs.
    let mut text = String::with_capacity(bound);
    let mut names: Vec<String> = Vec::new();
    let mut warnings = Vec::new();
    let mut guessed_1252 = false;
    let mut oem_hint = false;
    let mut unknown_cp = None;
    let cp_name = code_page.map(code_page_name);
    for (i, seg) in segments.iter().enumerate() {
        let part = bytes.get(seg.start..seg.end).unwrap_or_default();
        let before = text.len();
        let (decoded, enc_name, had_errors) = match seg.enc {
            // UTF-16 is decoded straight into the text: no intermediate copy of a large file.
            Enc::Utf16Le => (
                std::borrow::Cow::Borrowed(""),
                if seg.bom { "utf-16le-bom" } else { "utf-16le" },
                push_utf16(encoding_rs::UTF_16LE, part, &mut text),
            ),
            Enc::Utf16Be => (
                std::borrow::Cow::Borrowed(""),
                if seg.bom { "utf-16be-bom" } else { "utf-16be" },
                push_utf16(encoding_rs::UTF_16BE, part, &mut text),
            ),
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
            // The line where this segment starts (a UTF-16 segment is already in `text`).
            let line = text.get(..before).unwrap_or_default().matches('\n').count() + 1;
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
    drop(input);
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
    finish_text(name, text, encoding, warnings)
}

/// Decode UTF-16 `part` onto the end of `text` (replacing bad sequences with U+FFFD); whether
/// any were replaced.
fn push_utf16(enc: &'static encoding_rs::Encoding, part: &[u8], text: &mut String) -> bool {
    let mut dec = enc.new_decoder_without_bom_handling();
    let (mut pos, mut had_errors) = (0, false);
    loop {
        let (res, read, errs) =
            dec.decode_to_string(part.get(pos..).unwrap_or_default(), text, true);
        pos += read;
        had_errors |= errs;
        match res {
            encoding_rs::CoderResult::InputEmpty => return had_errors,
            // Only when the caller's bound was short; grow by what the rest can need at most.
            encoding_rs::CoderResult::OutputFull => text.reserve(
                dec.max_utf8_buffer_length(part.len().saturating_sub(pos))
                    .unwrap_or(4096)
                    .max(4),
            ),
        }
    }
}

/// Normalise the decoded text in place and refuse it when it is really binary.
fn finish_text(
    name: &str,
    text: String,
    encoding: String,
    warnings: Vec<String>,
) -> Result<Decoded, BundleError> {
    let text = normalize_owned(text);
    if let Some(why) = binary_text(&text) {
        return Err(BundleError::Binary {
            name: name.to_string(),
            why,
        });
    }
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
    let mut empty_in_a_row = 0;
    while pos < b.len() {
        let mut end = match enc {
            Enc::Utf16Le => end_of_utf16le(b, pos),
            Enc::Utf16Be => b.len(),
            Enc::Bytes8 => end_of_8bit(name, b, pos)?,
        };
        if end <= pos {
            // A run that ends where it starts (8-bit text whose first bytes already look like
            // UTF-16): no empty segment, try the other encoding from here; twice in a row
            // cannot happen, but if it did the rest is read in the current encoding.
            empty_in_a_row += 1;
            if empty_in_a_row > 1 {
                end = b.len();
            }
        } else {
            empty_in_a_row = 0;
        }
        if end > pos {
            out.push(Segment {
                enc,
                bom,
                start: pos,
                end,
            });
        }
        if end >= b.len() {
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

/// Whether a UTF-16 code unit is a plausible character of collected text: printable ASCII and
/// white space, Latin-1 and Latin Extended-A, Greek, Cyrillic, general punctuation and
/// symbols, CJK (punctuation, kana, unified ideographs, Hangul, full-width forms).
fn plausible_unit(u: u16) -> bool {
    matches!(u,
        0x09 | 0x0a | 0x0d | 0x20..=0x7e | 0xa0..=0x17f | 0x391..=0x3c9 | 0x400..=0x45f
        | 0x2000..=0x206f | 0x20ac | 0x2100..=0x21ff | 0x2500..=0x257f | 0x3000..=0x30ff
        | 0x4e00..=0x9fff | 0xac00..=0xd7a3 | 0xff00..=0xffef)
}

/// How an encoding without a BOM is chosen, over the whole buffer (one linear pass):
/// * no NUL byte at all, or a first line of 8-bit ASCII text (a file begun by `cmd.exe` and
///   continued with `>>` by PowerShell): 8-bit — the segmenter finds any UTF-16 tail;
/// * else each code unit is scored as UTF-16LE and as UTF-16BE ([`plausible_unit`]); the better
///   reading wins when at least 70% of its units are plausible characters — so a mostly-CJK
///   event paste that starts with a few ASCII characters is UTF-16LE, not 8-bit;
/// * else 8-bit (where a NUL then makes it binary).
fn sniff(b: &[u8]) -> Enc {
    if b.len() < 4 || !b.contains(&0) {
        return Enc::Bytes8;
    }
    if let Some(nl) = b.iter().position(|c| *c == b'\n') {
        let head = b.get(..nl).unwrap_or_default();
        if !head.is_empty()
            && head
                .iter()
                .all(|c| matches!(c, b'\t' | b'\r' | 0x20..=0x7e))
        {
            return Enc::Bytes8;
        }
    }
    // Plausible units, and a weight where ASCII counts double: ASCII text in UTF-16BE read as
    // LE is CJK (plausible too), so the NUL-byte side decides a tie.
    let (mut le, mut be, mut le_w, mut be_w, mut units) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for pair in b.chunks_exact(2) {
        let (x, y) = (
            pair.first().copied().unwrap_or(0),
            pair.get(1).copied().unwrap_or(0),
        );
        units += 1;
        let (ul, ub) = (u16::from_le_bytes([x, y]), u16::from_be_bytes([x, y]));
        if plausible_unit(ul) {
            le += 1;
            le_w += if ul < 0x80 { 2 } else { 1 };
        }
        if plausible_unit(ub) {
            be += 1;
            be_w += if ub < 0x80 { 2 } else { 1 };
        }
    }
    let (enc, best) = if le_w >= be_w {
        (Enc::Utf16Le, le)
    } else {
        (Enc::Utf16Be, be)
    };
    if best * 10 < units * 7 {
        Enc::Bytes8
    } else {
        enc
    }
}

/// End of a UTF-16LE run starting at `pos`: where a stretch of 8-bit text (no NULs, mostly
/// ASCII, with a line end, or reaching the end of the data as printable ASCII) begins. Pairs of
/// CJK characters can hold a `0x0A` byte, so a window is only 8-bit text when 90% of it is ASCII.
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
            let ascii = window.iter().filter(|c| c.is_ascii()).count();
            let mostly_ascii = ascii * 10 >= window.len() * 9;
            if window.len() >= 4
                && no_nul
                && ((has_nl && mostly_ascii) || (reaches_end && printable))
            {
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
    normalize_owned(s.to_string())
}

/// [`normalize`] in place: every change only removes bytes or replaces `\r` by `\n`, so the
/// text is rewritten inside its own buffer (no second copy of a large input).
#[must_use]
pub fn normalize_owned(s: String) -> String {
    let mut v = s.into_bytes();
    let len = v.len();
    let (mut r, mut w) = (0usize, 0usize);
    let at = |v: &[u8], i: usize| v.get(i).copied();
    while r < len {
        let c = v.get(r).copied().unwrap_or(0);
        match c {
            b'\r' => {
                r += 1;
                while at(&v, r) == Some(b'\r') {
                    r += 1;
                }
                if at(&v, r) == Some(b'\n') {
                    r += 1;
                }
                v[w] = b'\n';
                w += 1;
            }
            0 => r += 1,
            0xef if at(&v, r + 1) == Some(0xbb) && at(&v, r + 2) == Some(0xbf) => r += 3,
            0x1b if at(&v, r + 1) == Some(b'[') => {
                r += 2;
                // CSI: parameters and intermediates, then one final byte in @..~ (bytes of
                // multi-byte characters are never in that range, so this skips whole chars).
                while r < len {
                    let d = v.get(r).copied().unwrap_or(0);
                    r += 1;
                    if (b'@'..=b'~').contains(&d) {
                        break;
                    }
                }
            }
            _ => {
                v[w] = c;
                w += 1;
                r += 1;
            }
        }
    }
    v.truncate(w);
    // Only whole characters were removed (NUL, U+FEFF, ASCII CSI bytes and the multi-byte
    // characters inside a CSI run), so this cannot fail; fall back to a lossy copy regardless.
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
    fn utf16le_without_bom_starting_with_ascii_is_not_empty() {
        // Issue 14, defect 3: a mostly-CJK event paste that starts with a few ASCII characters
        // was stored as an empty 8-bit segment and read as nothing.
        let text = "Event 1046: ネットワーク アダプターの初期化に失敗しました。エンドポイントを作成できません\r\n\
                    仮想スイッチの構成を確認してください。ホスト ネットワーク サービスを再起動します\r\n";
        let d = decode("event.txt", &utf16le(text, false)).unwrap();
        assert_eq!(d.encoding, "utf-16le");
        assert_eq!(d.text, text.replace("\r\n", "\n"));
        // Two ASCII characters, then CJK (used to be refused as binary).
        let short = "ab 日本語のテキストが続きます。エラーが発生しました\r\n";
        let d = decode("e2.txt", &utf16le(short, false)).unwrap();
        assert_eq!(d.text, short.replace("\r\n", "\n"));
        // UTF-16BE without BOM, the same text.
        let mut be = Vec::new();
        for u in text.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode("be.txt", &be).unwrap();
        assert_eq!(
            (d.encoding.as_str(), d.text.len()),
            ("utf-16be", text.len() - 2)
        );
        // Text followed by junk: the text is kept, the junk does not blank it out.
        let mut junk = utf16le("Name : cbr0\r\nType : L2Bridge\r\n", false);
        junk.extend_from_slice(&[0x12, 0x34, 0x56, 0x78]);
        let d = decode("j.txt", &junk).unwrap();
        assert!(
            d.text.starts_with("Name : cbr0\nType : L2Bridge\n"),
            "{:?}",
            d.text
        );
    }

    #[test]
    fn decoded_budget_counts_1252_expansion() {
        // Issue 14, defect 2: 0x80-0x9F decoded as windows-1252 are 3-byte UTF-8 characters.
        let raw = vec![0x80u8; 1000];
        let e = decode_owned_capped("x.txt", raw.clone(), None, 2000).unwrap_err();
        assert!(
            matches!(
                e,
                BundleError::DecodedTooLarge {
                    size: 3000,
                    cap: 2000,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("x.txt"), "{e}");
        let d = decode_owned_capped("x.txt", raw, None, 3000).unwrap();
        assert_eq!(d.text.len(), 3000);
        // UTF-8 and UTF-16 are bounded by what they really decode to.
        assert!(decode_owned_capped("a", b"abcd\n".to_vec(), None, 5).is_ok());
        assert!(decode_owned_capped("a", b"abcd\n".to_vec(), None, 4).is_err());
        assert!(decode_owned_capped("u", utf16le("abcd", true), None, 6).is_ok());
    }

    #[test]
    fn owned_decoding_matches_borrowed() {
        for bytes in [
            b"\xef\xbb\xbfa\r\nb\x1b[31mc\x1b[0m\r\r\n".to_vec(),
            b"plain\n".to_vec(),
            utf16le("x\r\ny", true),
            b"d\xe9j\xe0\r\n".to_vec(),
        ] {
            let a = decode("f", &bytes).unwrap();
            let b = decode_owned_capped("f", bytes, None, usize::MAX).unwrap();
            assert_eq!(a, b);
        }
        assert_eq!(normalize("a\u{feff}b\0c\u{1b}[1;2mé\r"), "abcé\n");
    }

    #[test]
    fn empty_input_decodes_to_empty_text() {
        let d = decode("e", b"").unwrap();
        assert_eq!(d.text, "");
    }
}
