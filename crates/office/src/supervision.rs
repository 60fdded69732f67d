//! The supervision notice (督办单) sent to a unit about its overdue (red-warning) findings:
//! the built-in template, written in the official document format with the placeholders of
//! `template`, and the filling of it or of an office's own template.

use docx_rs::{
    AlignmentType, LineSpacing, LineSpacingType, Table, TableCell, TableRow, VAlignType, WidthType,
};

use crate::gbt9704::{self as g, Face};
use crate::template::{fill_docx, Fill};
use crate::OfficeError;

/// Columns of the built-in table: heading, placeholder text, width in twips (the text
/// area's 8845 twips shared out; a date such as 2025年10月31日 takes two lines of 小四).
const COLUMNS: [(&str, &str, usize); 6] = [
    ("序号", "{{序号}}", 560),
    ("问题", "{{问题}}", 2400),
    ("未完成的整改措施", "{{整改措施}}", 2235),
    ("责任部门（责任人）", "{{责任部门}}（{{责任人}}）", 1450),
    ("整改时限", "{{整改时限}}", 1450),
    ("逾期", "{{逾期天数}}", 750),
];

/// The table in 小四 (12 pt): six columns of 四号 leave a date three characters a line.
const SIZE_CELL: usize = 24;

/// A cell's paragraph: single spacing off the grid, so that rows are as tall as their text.
fn cell(text: &str, face: Face, center: bool) -> TableCell {
    let p = g::paragraph(text, face, SIZE_CELL)
        .snap_to_grid(false)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(240),
        )
        .align(if center {
            AlignmentType::Center
        } else {
            AlignmentType::Left
        });
    TableCell::new()
        .add_paragraph(p)
        .vertical_align(VAlignType::Center)
}

/// The built-in template: title, the unit addressed, what is asked and by when, the table
/// with one row of row placeholders, and the issuer and date.
pub fn builtin_template() -> Result<Vec<u8>, OfficeError> {
    let header = TableRow::new(
        COLUMNS
            .iter()
            .map(|(h, _, w)| cell(h, g::HEITI, true).width(*w, WidthType::Dxa))
            .collect(),
    );
    let row = TableRow::new(
        COLUMNS
            .iter()
            .enumerate()
            .map(|(i, (_, p, w))| cell(p, g::FANGSONG, i == 0 || i >= 4).width(*w, WidthType::Dxa))
            .collect(),
    )
    .cant_split();
    let table = Table::new(vec![header, row])
        .set_grid(COLUMNS.iter().map(|c| c.2).collect())
        .width(g::text_width() as usize, WidthType::Dxa);
    let addressed = g::on_grid(g::paragraph("{{单位}}：", g::FANGSONG, g::SIZE_BODY));
    let asked = g::body(g::paragraph(
        "根据巡察整改台账，截至{{日期}}，你单位{{轮次}}反馈问题中有{{问题数}}个问题已超过整改时限（红色预警），详见下表，现予督办。请对照整改方案和责任分工抓紧整改，于{{回复期限}}前将整改进展情况和佐证材料书面报送{{督办单位}}。",
        g::FANGSONG,
        g::SIZE_BODY,
    ));
    let pitch = g::text_width() / g::CHARS;
    let right = |text: &str| {
        g::on_grid(g::paragraph(text, g::FANGSONG, g::SIZE_BODY))
            .align(AlignmentType::Right)
            .indent(None, None, Some(2 * pitch), None)
    };
    let docx = g::document()
        .add_paragraph(
            g::on_grid(g::paragraph(
                "巡察整改督办单",
                g::XIAOBIAOSONG,
                g::SIZE_TITLE,
            ))
            .align(AlignmentType::Center),
        )
        .add_paragraph(g::blank())
        .add_paragraph(addressed)
        .add_paragraph(asked)
        .add_table(table)
        .add_paragraph(g::blank())
        .add_paragraph(right("{{督办单位}}"))
        .add_paragraph(right("{{日期}}"));
    g::pack_with(docx, repeat_first_row)
}

/// Marks the first table row as a header row (`w:tblHeader`), so that a table running
/// onto the next page repeats it there; docx-rs has no switch for it.
fn repeat_first_row(xml: &mut String) {
    let Some(row) = xml.find("<w:tr>").or_else(|| xml.find("<w:tr ")) else {
        return;
    };
    let Some(at) = xml[row..].find("<w:trPr").map(|i| row + i) else {
        return;
    };
    let rest = &xml[at..];
    if let Some(tag) = ["<w:trPr />", "<w:trPr/>"]
        .into_iter()
        .find(|t| rest.starts_with(t))
    {
        xml.replace_range(at..at + tag.len(), "<w:trPr><w:tblHeader /></w:trPr>");
    } else if let Some(end) = rest.find('>') {
        xml.insert_str(at + end + 1, "<w:tblHeader />");
    }
}

/// The supervision notice: `template` (an office's own .docx) or the built-in one, filled.
pub fn supervision_docx(template: Option<&[u8]>, fill: &Fill) -> Result<Vec<u8>, OfficeError> {
    match template {
        Some(t) => fill_docx(t, fill),
        None => fill_docx(&builtin_template()?, fill),
    }
}
