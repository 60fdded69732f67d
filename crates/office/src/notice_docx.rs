//! A notice (`zhenggai_notice::document::Document`) as a .docx in the official document
//! format: the title in 二号 小标宋 centred with a blank line under it, the body in 三号
//! 仿宋 on the 22-line grid, headings 一、 in 黑体, （一） in 楷体 and 1. in bold 仿宋, and
//! the signature of an unsealed document (GB/T 9704 7.3.5.2).

use docx_rs::{AlignmentType, BreakType, Paragraph, Run};
use zhenggai_notice::document::{Block, Document, Level};

use crate::gbt9704::{self as g, Face};
use crate::OfficeError;

pub fn notice_docx(doc: &Document) -> Result<Vec<u8>, OfficeError> {
    let mut title = Paragraph::new();
    for (i, line) in title_lines(&doc.title).iter().enumerate() {
        let mut run = g::run(line, g::XIAOBIAOSONG, g::SIZE_TITLE);
        if i > 0 {
            run = Run::new()
                .add_break(BreakType::TextWrapping)
                .add_text(*line)
                .fonts(g::fonts(g::XIAOBIAOSONG))
                .size(g::SIZE_TITLE);
        }
        title = title.add_run(run);
    }
    let mut docx = g::document().add_paragraph(
        g::on_grid(title)
            .snap_to_grid(false)
            .align(AlignmentType::Center),
    );
    docx = docx.add_paragraph(g::blank());
    for b in &doc.blocks {
        match b {
            Block::Heading {
                level,
                number,
                text,
            } => {
                let (face, bold) = heading_face(*level);
                let mut run = g::run(&format!("{number}{text}"), face, g::SIZE_BODY);
                if bold {
                    run = run.bold();
                }
                docx = docx.add_paragraph(g::body(Paragraph::new().add_run(run)).keep_next(true));
            }
            Block::Paragraph(text) => {
                docx = docx.add_paragraph(g::body(g::paragraph(text, g::FANGSONG, g::SIZE_BODY)));
            }
            Block::Signature { issuer, date } => {
                let (issuer_right, date_right) = signature_indents(issuer, date);
                docx = docx.add_paragraph(g::blank());
                docx = docx.add_paragraph(signature_line(issuer, issuer_right).keep_next(true));
                docx = docx.add_paragraph(signature_line(date, date_right));
            }
        }
    }
    g::pack(docx)
}

/// Characters of 二号 a line holds: 442 pt / 22 pt.
const TITLE_CHARS: usize = 20;

/// A title longer than a line breaks where its sense does (GB/T 9704 7.3.1: 回行时要做到
/// 词意完整): the issuer on the first line, 关于… on the second.
fn title_lines(title: &str) -> Vec<&str> {
    match title.find("关于") {
        Some(at) if at > 0 && title.chars().count() > TITLE_CHARS => {
            vec![&title[..at], &title[at..]]
        }
        _ => vec![title],
    }
}

/// GB/T 9704 7.3.3: 一、 黑体, （一） 楷体, 1. and (1) 仿宋 (the third level bold, as
/// offices set it so that it stands out from the body).
fn heading_face(level: Level) -> (Face, bool) {
    match level {
        Level::First => (g::HEITI, false),
        Level::Second => (g::KAITI, false),
        Level::Third => (g::FANGSONG, true),
    }
}

fn signature_line(text: &str, right_chars: f64) -> Paragraph {
    let pitch = f64::from(g::text_width()) / f64::from(g::CHARS);
    g::on_grid(g::paragraph(text, g::FANGSONG, g::SIZE_BODY))
        .align(AlignmentType::Right)
        .indent(None, None, Some((right_chars * pitch).round() as i32), None)
}

/// Width in characters of the grid: a Chinese character is one, a digit or Latin letter
/// half.
fn width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

/// Right indents (in characters) of the issuer and the date of an unsealed document
/// (GB/T 9704 7.3.5.2): the issuer two characters in from the right, the date on the next
/// line starting two characters right of the issuer's start; a date longer than that
/// stays two characters in and the issuer moves left to keep the two-character step.
pub fn signature_indents(issuer: &str, date: &str) -> (f64, f64) {
    let (wi, wd) = (width(issuer), width(date));
    // Starts counted from the right edge: the date's (date_right + wd) is two less than the
    // issuer's (2 + wi).
    let date_right = wi - wd;
    if date_right >= 2.0 {
        (2.0, date_right)
    } else {
        (2.0 + wd + 2.0 - wi, 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_starts_two_characters_right_of_the_issuer() {
        // A long issuer: it stays two in; the date's start is two to the right of its start.
        let (i, d) = signature_indents("中共示例区水务局党组", "2024年12月20日");
        assert_eq!(i, 2.0);
        assert_eq!(
            d + width("2024年12月20日"),
            i + width("中共示例区水务局党组") - 2.0
        );
        // A short issuer: the date is two in, the issuer further in.
        let (i, d) = signature_indents("某局", "2024年12月20日");
        assert_eq!(d, 2.0);
        assert_eq!(d + width("2024年12月20日"), i + width("某局") - 2.0);
    }
}
