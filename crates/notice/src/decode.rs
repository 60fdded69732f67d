//! Raw bytes to text: encoding detection (BOMs, UTF-8, UTF-16 without BOM, then chardetng
//! for GB18030/GBK and the rest) and normalisation of widths, spaces and line ends.

use std::borrow::Cow;

use thiserror::Error;

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// utf-8, utf-16le, utf-16be, gb18030, big5, …
    pub encoding: String,
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
    decode_borrowed(bytes).map(|(text, encoding)| Decoded {
        text: text.into_owned(),
        encoding,
    })
}

/// Decodes without copying when the input already is UTF-8.
pub(crate) fn decode_borrowed(bytes: &[u8]) -> Result<(Cow<'_, str>, String), DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(DecodeError::NotText(what));
    }
    let (text, encoding, legacy) = if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, _) = enc.decode(bytes);
        (text, enc.name().to_ascii_lowercase(), true)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        (Cow::Borrowed(s), "utf-8".to_string(), false)
    } else if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        (text, enc.name().to_ascii_lowercase(), true)
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let mut enc = detector.guess(None, chardetng::Utf8Detection::Allow);
        // GBK text is decoded as its superset GB18030, which also covers the rarer characters.
        if enc == encoding_rs::GBK {
            enc = encoding_rs::GB18030;
        }
        let (text, _) = enc.decode_without_bom_handling(bytes);
        (text, enc.name().to_ascii_lowercase(), true)
    };
    // Binary content shows as control characters; a wrong legacy guess as replacement
    // characters. One pass over the bytes for the first, over the chars only when decoded.
    let controls = text
        .bytes()
        .filter(|b| (*b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || *b == 0x7f)
        .count();
    let replaced = if legacy {
        text.matches('\u{fffd}').count()
    } else {
        0
    };
    let total = (text.len() / 2).max(1);
    if controls * 20 > total || replaced * 10 > total {
        return Err(DecodeError::NotText("含有大量控制字符或无法解码的字节"));
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok((text, encoding))
}

/// UTF-16 without a BOM: in one byte position of every pair, the high bytes of what
/// notices are written in (ASCII 0x00, CJK punctuation 0x30, ideographs 0x4e–0x9f, full-width
/// forms 0xff) make up nearly everything. GBK and other legacy text does not look like that.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
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

/// Full-width ASCII to half-width, every kind of space to a plain one, runs of spaces to
/// one, CR and CRLF to LF. The number of lines is kept, so line numbers refer to the
/// decoded text.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    // Ordinary characters are copied a run at a time; only the ones that change stop a run.
    let mut run = 0;
    for (i, c) in text.char_indices() {
        let special = c == ' '
            || c.is_control()
            || matches!(c, '\u{a0}' | '\u{2002}'..='\u{2060}' | '\u{3000}' | '\u{feff}' | '\u{ff01}'..='\u{ff5e}');
        if !special {
            continue;
        }
        if run < i {
            out.push_str(&text[run..i]);
            last_space = false;
        }
        run = i + c.len_utf8();
        let c = match c {
            '\r' if text[run..].starts_with('\n') => continue,
            '\r' | '\n' => '\n',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{2060}' => continue,
            '\u{2010}'..='\u{201f}' | '\u{2020}'..='\u{2027}' | '\u{2030}'..='\u{205e}' => c,
            _ => ' ',
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        out.push(c);
    }
    out.push_str(&text[run..]);
    out
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

    #[test]
    fn normalizes_widths_spaces_and_line_ends() {
        assert_eq!(
            normalize("（１）针对：\u{3000}\u{3000}a\r\nb\rc"),
            "(1)针对: a\nb\nc"
        );
    }
}
