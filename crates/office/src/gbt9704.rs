//! The page and type of an official document (党政机关公文格式, GB/T 9704-2012), shared by
//! the notice and the supervision notice: A4, the text area of 156 mm × 225 mm placed by
//! margins of 37 / 35 / 28 / 26 mm, 22 lines of 28 characters of 三号 仿宋 (a line grid
//! of 28.95 pt and type condensed by 0.25 pt), page numbers
//! "— 1 —" in 四号 宋体 at the outer edge, and the Chinese typefaces named with the
//! substitutes Word and WPS fall back to when an office lacks them.

use docx_rs::{
    AlignmentType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
};

use crate::OfficeError;

/// Twips (1/20 pt) in a millimetre.
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

/// A4 in twips (210 mm × 297 mm).
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;

/// Margins in millimetres (GB/T 9704 5.2.2: 天头 37 mm, 订口 28 mm; the text area
/// 156 mm × 225 mm leaves 35 mm at the foot and 26 mm on the right).
pub const MARGIN_MM: Margins = Margins {
    top: 37.0,
    bottom: 35.0,
    left: 28.0,
    right: 26.0,
};

#[derive(Debug, Clone, Copy)]
pub struct Margins {
    pub top: f64,
    pub bottom: f64,
    pub left: f64,
    pub right: f64,
}

/// Lines a page and characters a line (GB/T 9704 5.2.2).
pub const LINES: i32 = 22;
pub const CHARS: i32 = 28;

/// Type sizes in half-points, as Word counts them: 二号 22 pt, 三号 16 pt, 四号 14 pt.
pub const SIZE_TITLE: usize = 44;
pub const SIZE_BODY: usize = 32;
pub const SIZE_PAGE_NO: usize = 28;

/// A typeface and the one Word and WPS put in its place where it is not installed (the
/// font table's altName); the Founder and _GB2312 faces are what offices use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Face {
    pub name: &'static str,
    pub fallback: &'static str,
}

pub const XIAOBIAOSONG: Face = Face {
    name: "方正小标宋简体",
    fallback: "宋体",
};
pub const FANGSONG: Face = Face {
    name: "仿宋_GB2312",
    fallback: "仿宋",
};
pub const HEITI: Face = Face {
    name: "黑体",
    fallback: "SimHei",
};
pub const KAITI: Face = Face {
    name: "楷体_GB2312",
    fallback: "楷体",
};
pub const SONGTI: Face = Face {
    name: "宋体",
    fallback: "SimSun",
};

const FACES: [Face; 5] = [XIAOBIAOSONG, FANGSONG, HEITI, KAITI, SONGTI];

/// The text area in twips.
pub fn text_width() -> i32 {
    PAGE_WIDTH as i32 - mm(MARGIN_MM.left) - mm(MARGIN_MM.right)
}

pub fn text_height() -> i32 {
    PAGE_HEIGHT as i32 - mm(MARGIN_MM.top) - mm(MARGIN_MM.bottom)
}

/// The line pitch in twips: the text height shared by 22 lines, rounded down so that the
/// 22nd line still fits (12756 / 22 = 579.8 → 579, 28.95 pt).
pub fn line_pitch() -> i32 {
    text_height() / LINES
}

/// The pitch of a character on a line of 28: 8845 twips / 28 = 15.795 pt, a little less
/// than the 16 pt of 三号.
pub fn char_pitch_pt() -> f64 {
    f64::from(text_width()) / 20.0 / f64::from(CHARS)
}

/// The character spacing (twips, negative: condensed) that makes 28 characters of 三号
/// fit a line: 16 pt − 0.25 pt = 15.75 pt ≤ 15.795 pt. Set on the runs rather than by a
/// character grid (docGrid linesAndChars), because LibreOffice lays a grid cell narrower
/// than the type out as two cells, halving the characters a line.
pub const BODY_CHAR_SPACING: i32 = -5;

/// Every face for East Asian and Latin text alike, hinted East Asian so that Word picks
/// the Chinese face for shared punctuation.
pub fn fonts(face: Face) -> RunFonts {
    RunFonts::new()
        .ascii(face.name)
        .hi_ansi(face.name)
        .east_asia(face.name)
        .cs(face.name)
        .hint("eastAsia")
}

pub fn run(text: &str, face: Face, size: usize) -> Run {
    let r = Run::new().add_text(text).fonts(fonts(face)).size(size);
    if size == SIZE_BODY {
        r.character_spacing(BODY_CHAR_SPACING)
    } else {
        r
    }
}

/// A paragraph on the grid: exact line spacing of one grid line.
pub fn on_grid(p: Paragraph) -> Paragraph {
    p.line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(line_pitch()),
    )
}

/// A body paragraph: justified, its first line indented two characters (given in
/// characters for Word and WPS, and in twips for readers that ignore those).
pub fn body(p: Paragraph) -> Paragraph {
    on_grid(p)
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(2 * 315)),
            None,
            None,
        )
        .first_line_chars(200)
}

/// "— 1 —": the page number between two em dashes, 四号 宋体, one character in from the
/// outer edge (GB/T 9704 7.5: 单页码居右空一字，双页码居左空一字).
fn page_number(odd: bool) -> Paragraph {
    let f = || fonts(SONGTI);
    let one_char = 20 * 14;
    let p = Paragraph::new()
        .add_run(Run::new().add_text("— ").fonts(f()).size(SIZE_PAGE_NO))
        .add_run(
            Run::new()
                .add_field_char(FieldCharType::Begin, false)
                .fonts(f())
                .size(SIZE_PAGE_NO),
        )
        .add_run(
            Run::new()
                .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
                .fonts(f())
                .size(SIZE_PAGE_NO),
        )
        .add_run(
            Run::new()
                .add_field_char(FieldCharType::Separate, false)
                .fonts(f())
                .size(SIZE_PAGE_NO),
        )
        .add_run(Run::new().add_text("1").fonts(f()).size(SIZE_PAGE_NO))
        .add_run(
            Run::new()
                .add_field_char(FieldCharType::End, false)
                .fonts(f())
                .size(SIZE_PAGE_NO),
        )
        .add_run(Run::new().add_text(" —").fonts(f()).size(SIZE_PAGE_NO))
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(one_char),
        );
    if odd {
        p.align(AlignmentType::Right)
            .indent(None, None, Some(one_char), None)
    } else {
        p.align(AlignmentType::Left)
            .indent(Some(one_char), None, None, None)
    }
}

/// A document with the page, the grid, the default type and the page numbers set.
pub fn document() -> Docx {
    // The footer's top edge 7 mm below the text area (GB/T 9704 7.5): the footer is one
    // 14 pt line whose bottom sits that line's height lower.
    let footer_distance = mm(MARGIN_MM.bottom - 7.0) - 20 * 14;
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(mm(MARGIN_MM.top))
                .bottom(mm(MARGIN_MM.bottom))
                .left(mm(MARGIN_MM.left))
                .right(mm(MARGIN_MM.right))
                .header(851)
                .footer(footer_distance)
                .gutter(0),
        )
        .default_fonts(fonts(FANGSONG))
        .default_size(SIZE_BODY)
        .footer(Footer::new().add_paragraph(page_number(true)))
        .even_footer(Footer::new().add_paragraph(page_number(false)));
    docx.document = docx.document.doc_grid(
        DocGrid::new()
            .grid_type(DocGridType::Lines)
            .line_pitch(line_pitch() as usize),
    );
    docx
}

/// Packs the document, with a font table that names each Chinese face's substitute.
pub fn pack(docx: Docx) -> Result<Vec<u8>, OfficeError> {
    pack_with(docx, |_| {})
}

/// Packs the document after `tweak` has edited its body's XML, for what docx-rs cannot
/// express.
pub fn pack_with(docx: Docx, tweak: impl FnOnce(&mut String)) -> Result<Vec<u8>, OfficeError> {
    let mut xml = docx.build();
    let mut body = String::from_utf8_lossy(&xml.document).into_owned();
    tweak(&mut body);
    xml.document = body.into_bytes();
    xml.font_table = font_table().into_bytes();
    let mut out = std::io::Cursor::new(Vec::with_capacity(32 * 1024));
    xml.pack(&mut out)
        .map_err(|e| OfficeError::WriteDocx(e.to_string()))?;
    Ok(out.into_inner())
}

/// The font table: Latin defaults and each Chinese face with its altName, GB2312 charset
/// (86) so that Word and WPS substitute a Chinese face, never a Latin one.
fn font_table() -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
    );
    for f in FACES {
        s.push_str(&format!(
            r#"<w:font w:name="{}"><w:altName w:val="{}"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#,
            f.name, f.fallback
        ));
    }
    s.push_str("</w:fonts>");
    s
}

/// A paragraph in a given face and size with its text.
pub fn paragraph(text: &str, face: Face, size: usize) -> Paragraph {
    Paragraph::new().add_run(run(text, face, size))
}

/// A blank line on the grid.
pub fn blank() -> Paragraph {
    on_grid(Paragraph::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_22_lines_of_28_characters() {
        assert_eq!(text_width(), 8845);
        assert_eq!(text_height(), 12756);
        assert_eq!(line_pitch(), 579);
        assert!(line_pitch() * LINES <= text_height());
        assert!((line_pitch() + 1) * LINES > text_height());
        let condensed = 16.0 + f64::from(BODY_CHAR_SPACING) / 20.0;
        assert!(condensed * f64::from(CHARS) <= char_pitch_pt() * f64::from(CHARS));
        assert!(16.0 * f64::from(CHARS) > char_pitch_pt() * f64::from(CHARS));
    }
}
