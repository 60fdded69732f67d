//! Raw bytes to text: encoding detection (BOMs, UTF-8, UTF-16 without BOM, then the
//! Chinese legacy encodings and chardetng for the rest), a record of the bytes no decoding
//! could read, and normalisation of widths, spaces and line ends.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use crate::normalize::{normalize, text_digest};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("文件是空的")]
    Empty,
    #[error("不是文本文件（{0}），无法作为通报读取")]
    NotText(&'static str),
}

impl DecodeError {
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::Empty => "empty_input",
            DecodeError::NotText(_) => "not_text",
        }
    }
}

/// A line of the decoded text that held bytes the chosen encoding could not read; each
/// unreadable sequence is one U+FFFD in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Damage {
    /// 1-based, in the decoded text (CR, LF and CRLF each end a line).
    pub line: usize,
    /// How many input bytes on that line could not be read.
    pub bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// utf-8, utf-16le, utf-16be, gb18030, big5, …
    pub encoding: String,
    /// The lines that held unreadable bytes, in order; empty for clean input.
    pub damage: Vec<Damage>,
}

impl Decoded {
    /// How many input bytes could not be read.
    pub fn damaged_bytes(&self) -> usize {
        self.damage.iter().map(|d| d.bytes).sum()
    }
}

const SIGNATURES: [(&[u8], &str); 6] = [
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"%PDF", "PDF 文件"),
    (b"PK\x03\x04", "压缩包或 Office 文件"),
    (b"\x7fELF", "程序文件"),
];

pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_borrowed(bytes).map(|(text, encoding, damage)| Decoded {
        text: text.into_owned(),
        encoding,
        damage,
    })
}

/// Text decoded with one encoding, and where (byte offset in the text, bytes) it could not
/// read the input.
struct Attempt {
    text: String,
    encoding: &'static Encoding,
    bad: Vec<(usize, usize)>,
}

impl Attempt {
    fn errors(&self) -> usize {
        self.bad.len()
    }

    /// All but a few sequences read: a damaged byte or a cut character, not a wrong guess.
    fn nearly_clean(&self) -> bool {
        let chars = self.text.chars().count();
        self.errors() <= 4 || self.errors() * 100 <= chars
    }

    fn count(&self, f: impl Fn(char) -> bool) -> usize {
        self.text.chars().filter(|c| f(*c)).count()
    }
}

/// Decodes without BOM handling, replacing each unreadable sequence with U+FFFD and
/// recording it.
fn attempt(encoding: &'static Encoding, bytes: &[u8]) -> Attempt {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3))
        .saturating_add(16);
    let mut text = String::with_capacity(capacity);
    let mut bad = Vec::new();
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = &rest[read.min(rest.len())..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(rest.len().saturating_mul(3) + 16),
            DecoderResult::Malformed(len, _) => {
                bad.push((text.len(), usize::from(len)));
                text.reserve(3);
                text.push('\u{fffd}');
            }
        }
    }
    Attempt {
        text,
        encoding,
        bad,
    }
}

fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Decodes without copying when the input already is UTF-8.
pub(crate) fn decode_borrowed(
    bytes: &[u8],
) -> Result<(Cow<'_, str>, String, Vec<Damage>), DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(DecodeError::NotText(what));
    }
    let chosen = if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        attempt(enc, &bytes[bom..])
    } else if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        // Vector validation: std's walks Chinese text a byte at a time (40 ms of a
        // 50 MiB parse's 600; 14 ms this way).
        return finish(Cow::Borrowed(s), "utf-8".to_string(), Vec::new());
    } else if let Some(enc) = utf16_without_bom(bytes) {
        attempt(enc, bytes)
    } else {
        guess(bytes)
    };
    let damage = damaged_lines(&chosen.text, &chosen.bad);
    let encoding = chosen.encoding.name().to_ascii_lowercase();
    finish(Cow::Owned(chosen.text), encoding, damage)
}

/// Input that is neither valid UTF-8 nor UTF-16: UTF-8 with a few damaged bytes, the
/// Chinese legacy encoding when it reads all but a few bytes, else chardetng's guess.
fn guess(bytes: &[u8]) -> Attempt {
    let utf8 = attempt(encoding_rs::UTF_8, bytes);
    // Valid multi-byte sequences are rare by chance: many of them and a few errors is UTF-8
    // that was cut or damaged, not legacy text.
    let multibyte = utf8.count(|c| c > '\u{7f}' && c != '\u{fffd}');
    if utf8.nearly_clean() && multibyte >= 4 * utf8.errors().max(1) {
        return utf8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guessed = detector.guess(None, chardetng::Utf8Detection::Allow);
    // GBK text is decoded as its superset GB18030, which also covers the rarer characters.
    if guessed == encoding_rs::GBK || guessed == encoding_rs::GB18030 {
        return attempt(encoding_rs::GB18030, bytes);
    }
    let chosen = attempt(guessed, bytes);
    if guessed == encoding_rs::BIG5 && chosen.errors() == 0 {
        return chosen;
    }
    // One damaged byte disqualifies GBK for chardetng, which then settles on some other
    // legacy encoding; GB18030 reading nearly everything, as Chinese, is the better reading.
    let gb = attempt(encoding_rs::GB18030, bytes);
    if gb.nearly_clean() {
        let ideographs = gb.count(is_ideograph);
        let other = gb.count(|c| c > '\u{7f}' && !is_ideograph(c));
        if ideographs >= 8 && ideographs > other {
            return gb;
        }
    }
    chosen
}

/// The decoded text's lines that hold replacements, with the bytes each replaced.
fn damaged_lines(text: &str, bad: &[(usize, usize)]) -> Vec<Damage> {
    let mut out: Vec<Damage> = Vec::new();
    let mut line = 1;
    let mut from = 0;
    for &(at, bytes) in bad {
        let at = at.min(text.len());
        let chunk = text.as_bytes().get(from..at).unwrap_or_default();
        line += chunk
            .iter()
            .enumerate()
            .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && chunk.get(i + 1) != Some(&b'\n')))
            .count();
        from = at;
        match out.last_mut() {
            Some(d) if d.line == line => d.bytes += bytes,
            _ => out.push(Damage { line, bytes }),
        }
    }
    out
}

/// How many bytes are control characters other than line ends, tabs and form feeds. This
/// runs over every input: blocks of 64 bytes are first tested for anything below a space
/// but a line end (a branch-free test the compiler turns into vector code), and only the
/// few that have one are counted byte by byte.
fn control_bytes(bytes: &[u8]) -> usize {
    let mut blocks = bytes.chunks_exact(64);
    let mut n = 0;
    for block in &mut blocks {
        let suspect = block.iter().fold(0u8, |any, &b| {
            any | u8::from(((b < 0x20) & (b != b'\n') & (b != b'\r')) | (b == 0x7f))
        });
        if suspect != 0 {
            n += block.iter().filter(|&&b| is_control(b)).count();
        }
    }
    n + blocks
        .remainder()
        .iter()
        .filter(|&&b| is_control(b))
        .count()
}

fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || b == 0x7f
}

fn finish<'a>(
    text: Cow<'a, str>,
    encoding: String,
    damage: Vec<Damage>,
) -> Result<(Cow<'a, str>, String, Vec<Damage>), DecodeError> {
    // Binary content shows as control characters; a wrong guess as many replacements.
    let controls = control_bytes(text.as_bytes());
    let replaced: usize = damage.iter().map(|d| d.bytes).sum();
    let total = (text.len() / 2).max(1);
    if controls * 20 > total || replaced * 10 > total {
        return Err(DecodeError::NotText("含有大量控制字符或无法解码的字节"));
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok((text, encoding, damage))
}

/// UTF-16 without a BOM: in one byte position of every pair, the high bytes of what
/// notices are written in (ASCII 0x00, CJK punctuation 0x30, ideographs 0x4e–0x9f, full-width
/// forms 0xff) make up nearly everything. GBK and other legacy text does not look like that.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let high = |b: &u8| matches!(*b, 0x00 | 0x20 | 0x30 | 0x4e..=0x9f | 0xff);
    let odd_high = bytes.iter().skip(1).step_by(2).filter(|b| high(b)).count();
    let even_high = bytes.iter().step_by(2).filter(|b| high(b)).count();
    let zeros = bytes.iter().filter(|b| **b == 0).count();
    if zeros == 0 && pairs < 8 {
        return None;
    }
    if odd_high * 20 >= pairs * 19 && even_high * 20 < pairs * 19 {
        Some(encoding_rs::UTF_16LE)
    } else if even_high * 20 >= pairs * 19 && odd_high * 20 < pairs * 19 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_encoding_and_names_it() {
        let text = "一、关于整改（一）针对“问题”。";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let d = decode(&gb).expect("gb18030");
        assert_eq!((d.text.as_str(), d.encoding.as_str()), (text, "gb18030"));
        let mut bom = vec![0xef, 0xbb, 0xbf];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom).expect("bom").text, text);
        let le: Vec<u8> = "问题1: ok\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let d = decode(&le).expect("utf-16le");
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("问题1: ok\n", "utf-16le")
        );
    }

    #[test]
    fn refuses_empty_and_binary_input() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0"),
            Err(DecodeError::NotText(_))
        ));
        assert!(decode(&[0u8, 1, 2, 3, 4, 5, 6, 0, 0, 0, 9, 0]).is_err());
    }

    const NOTICE: &str = "关于巡察整改进展情况的通报\r\n一、党的领导方面\r\n（一）针对“学习不深入”问题。一是制定计划；二是按月检查。\r\n二、全面从严治党方面\r\n（二）针对“台账不全”问题。已补齐台账，整改到位。\r\n";

    #[test]
    fn a_damaged_or_cut_gbk_notice_stays_chinese_and_names_the_line() {
        let (gb, _, _) = encoding_rs::GB18030.encode(NOTICE);
        let mut damaged = gb.to_vec();
        // The lead byte of a character on the third line becomes one GBK cannot start with.
        let third = NOTICE.find("学习").expect("word");
        let (before, _, _) = encoding_rs::GB18030.encode(&NOTICE[..third]);
        damaged[before.len()] = 0xff;
        let d = decode(&damaged).expect("decodes");
        assert_eq!(d.encoding, "gb18030");
        // The byte after the damaged one may go with it, as the decoder resynchronises.
        assert_eq!(d.damage.iter().map(|d| d.line).collect::<Vec<_>>(), vec![3]);
        assert!((1..=2).contains(&d.damaged_bytes()));
        assert!(d.text.contains("二、全面从严治党方面"));

        let cut = &gb[..gb.len() - 3];
        let d = decode(cut).expect("decodes");
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.damage.len(), 1);
        assert_eq!(d.damage[0].line, 5);
    }

    #[test]
    fn a_cut_utf8_notice_stays_utf8() {
        let bytes = NOTICE.as_bytes();
        let end = NOTICE.find("整改到位").expect("word") + 1;
        let d = decode(&bytes[..end]).expect("decodes");
        assert_eq!(d.encoding, "utf-8");
        assert_eq!(d.damage, vec![Damage { line: 5, bytes: 1 }]);
        assert_eq!(d.damaged_bytes(), 1);
    }

    #[test]
    fn clean_input_has_no_damage() {
        for bytes in [
            NOTICE.as_bytes().to_vec(),
            encoding_rs::GB18030.encode(NOTICE).0.into_owned(),
        ] {
            assert_eq!(decode(&bytes).expect("decodes").damage, vec![]);
        }
    }

    #[test]
    fn the_digest_is_of_the_text_not_the_bytes() {
        let utf8 = decode(NOTICE.as_bytes()).expect("utf-8");
        let gbk = decode(&encoding_rs::GB18030.encode(NOTICE).0).expect("gbk");
        let mut utf16: Vec<u8> = vec![0xff, 0xfe];
        utf16.extend(NOTICE.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let utf16 = decode(&utf16).expect("utf-16");
        let lf = NOTICE.replace("\r\n", "\n");
        let digests: Vec<String> = [&utf8.text, &gbk.text, &utf16.text, &lf]
            .iter()
            .map(|t| text_digest(t))
            .collect();
        assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");
        assert_ne!(text_digest("另一份通报"), digests[0]);
    }

    #[test]
    fn control_bytes_are_counted_in_every_block() {
        let mut bytes = vec![b'a'; 1000];
        for i in [0, 254, 255, 256, 999] {
            bytes[i] = 0x01;
        }
        bytes[500] = 0x7f;
        bytes[501] = b'\n';
        assert_eq!(control_bytes(&bytes), 6);
        assert_eq!(control_bytes(&[0x01; 300]), 300);
    }

    proptest::proptest! {
        #[test]
        fn control_bytes_counts_what_a_byte_by_byte_reading_counts(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    0u8..0x20,
                    proptest::strategy::Just(0x7f),
                    0x20u8..0x7f,
                    0x80u8..=0xff,
                    proptest::strategy::Just(b'\n'),
                ],
                0..400,
            )
        ) {
            let by_char = bytes
                .iter()
                .filter(|&&b| char::from(b).is_control() && !"\n\r\t\x0c".contains(char::from(b)) && b < 0x80)
                .count();
            proptest::prop_assert_eq!(control_bytes(&bytes), by_char);
        }
    }
}
