//! Normalised text: full-width forms to half-width, spaces and line ends made plain, and
//! the digest of a notice's text.

/// For each row of 64 characters of the BMP (`code >> 6`), which ones normalising changes
/// (spaces, zero widths, full-width forms) and which are traditional.
struct Rows {
    /// `[changes, traditional]` side by side: one cache line holds both for a character.
    rows: [[u64; 2]; 1024],
}

static ROWS: std::sync::LazyLock<Box<Rows>> = std::sync::LazyLock::new(|| {
    let map = crate::hant::Map::get();
    let mut rows = Box::new(Rows {
        rows: [[0; 2]; 1024],
    });
    for code in 0x800u32..=0xffff {
        let (row, bit) = ((code >> 6) as usize, 1u64 << (code & 0x3f));
        if let Some([changes, traditional]) = rows.rows.get_mut(row) {
            if wide_changes(code) {
                *changes |= bit;
            }
            if map.has_simplified(code) {
                *traditional |= bit;
            }
        }
    }
    rows
});

/// The characters beyond U+0800 that normalising changes: spaces, zero widths, the BOM,
/// full-width ASCII.
fn wide_changes(code: u32) -> bool {
    code == 0x3000
        || code == 0x1680
        || code == 0xfeff
        || (0x2000..=0x2060).contains(&code)
        || (0xff01..=0xff5e).contains(&code)
}

/// Full-width ASCII to half-width, every kind of space to a plain one, runs of spaces to
/// one, CR and CRLF to LF. The number of lines is kept, so line numbers refer to the
/// decoded text.
pub fn normalize(text: &str) -> String {
    normalize_noting_traditional(text).0
}

/// `normalize`, and whether the text holds a traditional character: the one pass over every
/// character tells both.
pub(crate) fn normalize_noting_traditional(text: &str) -> (String, bool) {
    let rows = &*ROWS;
    let mut traditional = false;
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    // Ordinary characters are copied a run at a time; only the ones that change stop a run.
    let mut run = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Most of a notice is printable ASCII and three-byte characters (ideographs, CJK
        // punctuation) that stay as they are: these are stepped over without decoding.
        let lead = bytes[i];
        // A line feed stays as it is: in a run it ends any run of spaces as a flush would.
        if (0x21..0x7f).contains(&lead) || lead == b'\n' {
            i += 1;
            continue;
        }
        if let (0xe0..=0xef, Some(&b1), Some(&b2)) = (lead, bytes.get(i + 1), bytes.get(i + 2)) {
            // A three-byte character's first two bytes name its row of 64 in the BMP, the
            // third its bit: one bit test says whether it changes, another whether it is
            // traditional, without decoding it.
            let row = usize::from(lead & 0x0f) << 6 | usize::from(b1 & 0x3f);
            let bit = 1u64 << (b2 & 0x3f);
            let [changes, trad] = rows.rows[row];
            if changes & bit == 0 {
                traditional |= trad & bit != 0;
                i += 3;
                continue;
            }
            // Full-width ASCII (the commas, colons and brackets of Chinese text) becomes
            // its ASCII form, never a space.
            let code = (row as u32) << 6 | u32::from(b2 & 0x3f);
            if (0xff01..=0xff5e).contains(&code) {
                if run < i {
                    out.push_str(&text[run..i]);
                }
                out.push(char::from((code - 0xfee0) as u8));
                last_space = false;
                i += 3;
                run = i;
                continue;
            }
        }
        // A no-break space (web pages indent paragraphs with them, a quarter of a million
        // in the 10 MB file) becomes a plain one without decoding it.
        if lead == 0xc2 && bytes.get(i + 1) == Some(&0xa0) {
            if run < i {
                out.push_str(&text[run..i]);
                last_space = false;
            }
            i += 2;
            run = i;
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        let special = c == ' ' || c == '\u{a0}' || c.is_control() || wide_changes(c as u32);
        if !special {
            continue;
        }
        let at = i - c.len_utf8();
        if run < at {
            out.push_str(&text[run..at]);
            last_space = false;
        }
        run = i;
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
    (out, traditional)
}

/// The sha256 of a notice's text as a reader sees it: normalised, each line trimmed, blank
/// lines dropped. The same notice saved as UTF-8, GBK or UTF-16, with CRLF or LF, with or
/// without a BOM or full-width digits, has one digest.
pub fn text_digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let normal = normalize(text);
    let mut hasher = Sha256::new();
    for line in normal.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules of `normalize`, one character at a time.
    fn normalize_by_char(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let mapped = match c {
                '\r' if chars.peek() == Some(&'\n') => continue,
                '\r' | '\n' => '\n',
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{2060}' => continue,
                '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}' => c,
                ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{2060}' | '\u{3000}' => ' ',
                c if c.is_control() => ' ',
                c => c,
            };
            if mapped == ' ' && out.ends_with(' ') && !matches!(c, '\u{2010}'..='\u{2027}') {
                continue;
            }
            out.push(mapped);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn normalize_follows_its_rules(text in "[ -~\u{a0}\u{1680}\u{2000}-\u{2060}\u{3000}-\u{3010}\u{4e00}-\u{4e10}\u{9fa0}-\u{9fff}\u{ff01}-\u{ff5e}\u{feff}\r\n\t\u{1}-\u{1f}\u{7f}書]{0,64}") {
            proptest::prop_assert_eq!(normalize(&text), normalize_by_char(&text));
        }

        #[test]
        fn traditional_is_noted_when_a_character_has_a_simplified_form(text in "[ -~\u{a0}\u{3000}-\u{3010}\u{3400}-\u{3440}\u{4e00}-\u{4e80}\u{9fa0}-\u{9fff}\u{ff01}-\u{ff5e}書組饋們]{0,24}") {
            let map = crate::hant::Map::get();
            let expected = text.chars().any(|c| map.simplified(c).is_some());
            proptest::prop_assert_eq!(normalize_noting_traditional(&text).1, expected);
        }
    }

    /// The patterns read with regex-lite (`numbering::lite`) take `\s` as ASCII spaces,
    /// `regex` as every Unicode space: on normalised text the two must mean the same.
    #[test]
    fn only_plain_spaces_and_line_feeds_are_left() {
        let every_space: String = (0..=0x10ffff_u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .flat_map(|c| ['x', c])
            .collect();
        let out = normalize(&every_space);
        let left: Vec<char> = out
            .chars()
            .filter(|&c| c.is_whitespace() && c != ' ' && c != '\n')
            .collect();
        assert!(left.is_empty(), "spaces left after normalising: {left:?}");
    }

    #[test]
    fn normalizes_widths_spaces_and_line_ends() {
        assert_eq!(
            normalize("（１）针对：\u{3000}\u{3000}a\r\nb\rc"),
            "(1)针对: a\nb\nc"
        );
    }
}
