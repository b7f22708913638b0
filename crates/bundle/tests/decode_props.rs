//! Property tests of the text decoder: any text written in a supported encoding (UTF-8 with or
//! without BOM, UTF-16LE/BE with BOM, UTF-16LE without BOM starting with ASCII) decodes back to
//! itself once line ends are normalised, and the owned, budgeted decoder agrees with the
//! borrowed one.

use hnsdoctor_bundle::text::{decode, decode_owned_capped, normalize};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// Fixed seed: the properties run the same cases on every machine, so CI never flakes; change
/// the seed (or raise the cases) locally to explore.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x6e73_646f_6374_6f72),
        ..ProptestConfig::default()
    }
}

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut v = Vec::new();
    if bom {
        v.extend_from_slice(if le { &[0xff, 0xfe] } else { &[0xfe, 0xff] });
    }
    for u in s.encode_utf16() {
        v.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    v
}

/// Text as collected: printable ASCII, Latin-1, CJK, kana, Cyrillic, tabs and line ends.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            8 => proptest::char::range(' ', '~'),
            1 => Just('\n'),
            1 => Just('\t'),
            1 => proptest::char::range('\u{e0}', '\u{ff}'),
            1 => proptest::char::range('\u{4e00}', '\u{9fa5}'),
            1 => proptest::char::range('\u{30a1}', '\u{30f6}'),
            1 => proptest::char::range('\u{430}', '\u{44f}'),
        ],
        1..400,
    )
    .prop_map(|v| v.into_iter().collect::<String>())
    .prop_filter("some non-blank text", |s| !s.trim().is_empty())
}

/// Text long enough for a BOM-less encoding to be told apart (a handful of UTF-16 units is
/// ambiguous by nature: "a弍匠" is also a valid 8-bit text with a line break in it).
fn long_text() -> impl Strategy<Value = String> {
    text().prop_filter("16 characters or more", |s| s.chars().count() >= 16)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn round_trips_in_every_encoding_with_a_bom(s in text(), crlf in any::<bool>()) {
        let s = if crlf { s.replace('\n', "\r\n") } else { s };
        let want = normalize(&s);
        let mut utf8_bom = vec![0xef, 0xbb, 0xbf];
        utf8_bom.extend_from_slice(s.as_bytes());
        for bytes in [s.as_bytes().to_vec(), utf8_bom, utf16(&s, true, true), utf16(&s, false, true)] {
            let d = decode("p", &bytes).unwrap();
            prop_assert_eq!(&d.text, &want);
            let o = decode_owned_capped("p", bytes, None, usize::MAX).unwrap();
            prop_assert_eq!(&o, &d);
        }
    }

    #[test]
    fn utf16le_without_bom_round_trips_when_it_starts_with_ascii(
        head in "[A-Za-z0-9 :]{4,12}",
        s in long_text(),
    ) {
        let full = format!("{head}{s}");
        let bytes = utf16(&full, true, false);
        let d = decode("p", &bytes).unwrap();
        prop_assert_eq!(d.text, normalize(&full));
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn utf16be_without_bom_round_trips(head in "[A-Za-z0-9 :]{4,12}", s in long_text()) {
        let full = format!("{head}{s}");
        let bytes = utf16(&full, false, false);
        let d = decode("p", &bytes).unwrap();
        prop_assert_eq!(d.text, normalize(&full));
    }
}
