//! Lays a `Book` out as an .xlsx: a title row, notes, a frozen header repeated on every
//! printed page, one row per measure with the finding's cells merged across them, wrapped
//! text in bordered cells, rows tall enough for their text, A4 landscape one page wide.

use std::collections::HashSet;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::columns::Column;
use super::dates::excel_serial;
use super::model::*;
use crate::OfficeError;

/// Excel refuses a cell of more than 32,767 characters; a finding's whole history can be
/// longer, and the ledger in the system keeps all of it.
const MAX_CELL_CHARS: usize = 32_000;
/// The tallest row Excel allows, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Points a line of 10-point text takes, with the CJK fonts' line gap.
const LINE_HEIGHT: f64 = 13.5;

const BODY_FONT: &str = "宋体";
const HEAD_FONT: &str = "黑体";
const DATE_FORMAT: &str = "yyyy\"年\"m\"月\"d\"日\"";

fn fill(tone: Option<Tone>) -> Option<Color> {
    tone.map(|t| match t {
        Tone::Red => Color::RGB(0xFFC7CE),
        Tone::Yellow => Color::RGB(0xFFEB9C),
        Tone::Green => Color::RGB(0xC6EFCE),
    })
}

/// The formats of the body, made once: by alignment, date or not, and colour.
struct Formats {
    title: Format,
    note: Format,
    header: Format,
    total: Format,
    body: [[Format; 4]; 3],
}

const TONES: [Option<Tone>; 4] = [None, Some(Tone::Green), Some(Tone::Yellow), Some(Tone::Red)];

#[derive(Clone, Copy)]
enum Shape {
    Left = 0,
    Centre = 1,
    Date = 2,
}

impl Formats {
    fn new() -> Formats {
        let cell = || {
            Format::new()
                .set_font_name(BODY_FONT)
                .set_font_size(10)
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
        };
        let shaped = |shape: Shape, tone: Option<Tone>| {
            let f = match shape {
                Shape::Left => cell().set_align(FormatAlign::Left),
                Shape::Centre => cell().set_align(FormatAlign::Center),
                Shape::Date => cell()
                    .set_align(FormatAlign::Center)
                    .set_num_format(DATE_FORMAT),
            };
            match fill(tone) {
                Some(c) => f.set_background_color(c),
                None => f,
            }
        };
        let row = |shape| TONES.map(|t| shaped(shape, t));
        Formats {
            title: Format::new()
                .set_font_name(HEAD_FONT)
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            note: Format::new()
                .set_font_name(BODY_FONT)
                .set_font_size(10)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            header: Format::new()
                .set_font_name(HEAD_FONT)
                .set_font_size(10)
                .set_bold()
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xD9D9D9))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            total: cell().set_bold().set_align(FormatAlign::Center),
            body: [row(Shape::Left), row(Shape::Centre), row(Shape::Date)],
        }
    }

    fn body(&self, shape: Shape, tone: Option<Tone>) -> &Format {
        let t = TONES.iter().position(|x| *x == tone).unwrap_or(0);
        &self.body[shape as usize][t]
    }
}

fn failed(e: rust_xlsxwriter::XlsxError) -> OfficeError {
    OfficeError::WriteXlsx(e.to_string())
}

/// The workbook's bytes.
pub fn write(book: &Book) -> Result<Vec<u8>, OfficeError> {
    let mut wb = Workbook::new();
    let formats = Formats::new();
    let mut names = SheetNames::default();
    for t in &book.tables {
        let ws = wb.add_worksheet();
        ws.set_name(names.take(&t.name)).map_err(failed)?;
        table(ws, t, &formats).map_err(failed)?;
    }
    for l in &book.ledgers {
        let ws = wb.add_worksheet();
        ws.set_name(names.take(&l.name)).map_err(failed)?;
        ledger(ws, l, &formats).map_err(failed)?;
    }
    if book.tables.is_empty() && book.ledgers.is_empty() {
        wb.add_worksheet();
    }
    wb.save_to_buffer().map_err(failed)
}

/// Tab names as Excel allows them: at most 31 characters, none of []:*?/\, not starting
/// or ending with an apostrophe, unique whatever the case.
#[derive(Default)]
struct SheetNames {
    taken: HashSet<String>,
}

impl SheetNames {
    fn take(&mut self, wanted: &str) -> String {
        let clean: String = wanted
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        let clean = clean.trim().trim_matches('\'').trim();
        let base = if clean.is_empty() { "表" } else { clean };
        let mut n = 1;
        loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("({n})")
            };
            let room = 31 - suffix.chars().count();
            let name: String = base.chars().take(room).collect::<String>() + &suffix;
            if self.taken.insert(name.to_lowercase()) {
                return name;
            }
            n += 1;
        }
    }
}

fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        None => text.into(),
        Some((i, _)) => format!("{}…（余下内容见系统）", &text[..i]).into(),
    }
}

/// Lines `text` takes in a column `width` characters wide: a CJK character counts two,
/// as Excel's width unit is the width of a digit.
fn lines(text: &str, width: f64) -> f64 {
    let usable = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|l| {
            let w: f64 = l
                .chars()
                .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                .sum();
            (w / usable).ceil().max(1.0)
        })
        .sum()
}

fn height(lines: f64) -> f64 {
    (lines * LINE_HEIGHT + 4.0).min(MAX_ROW_HEIGHT)
}

fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    shape: Shape,
    tone: Option<Tone>,
    f: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match value {
        Value::Empty => ws.write_blank(row, col, f.body(shape, tone))?,
        Value::Text(s) => ws.write_string_with_format(row, col, shorten(s), f.body(shape, tone))?,
        Value::Date(d) => {
            ws.write_number_with_format(row, col, excel_serial(*d), f.body(Shape::Date, tone))?
        }
        Value::Number(n) => {
            ws.write_number_with_format(row, col, *n, f.body(Shape::Centre, tone))?
        }
        Value::Percent(p) => ws.write_number_with_format(
            row,
            col,
            *p,
            &f.body(Shape::Centre, tone).clone().set_num_format("0.0%"),
        )?,
    };
    Ok(())
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Date(d) => d.zh(),
        Value::Empty => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Percent(p) => format!("{:.1}%", p * 100.0),
    }
}

/// Title and notes above a header at row `header`, merged across `cols` columns.
fn heading(
    ws: &mut Worksheet,
    title: &str,
    notes: &[String],
    cols: u16,
    f: &Formats,
) -> Result<u32, rust_xlsxwriter::XlsxError> {
    ws.merge_range(0, 0, 0, cols - 1, &shorten(title), &f.title)?;
    ws.set_row_height(0, 32)?;
    for (i, n) in notes.iter().enumerate() {
        let row = 1 + i as u32;
        ws.merge_range(row, 0, row, cols - 1, &shorten(n), &f.note)?;
        ws.set_row_height(row, 18)?;
    }
    Ok(1 + notes.len() as u32)
}

fn page_setup(ws: &mut Worksheet, header: u32) -> Result<(), rust_xlsxwriter::XlsxError> {
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.5, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(header, header)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_freeze_panes(header + 1, 0)?;
    Ok(())
}

fn ledger(
    ws: &mut Worksheet,
    l: &LedgerSheet,
    f: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let cols = Column::ALL.len() as u16;
    let header = heading(ws, &l.title, &l.notes, cols, f)?;
    for c in Column::ALL {
        let col = c.index() as u16;
        ws.set_column_width(col, c.width())?;
        ws.write_string_with_format(header, col, c.header(), &f.header)?;
    }
    ws.set_row_height(header, 28)?;
    page_setup(ws, header)?;
    let mut row = header + 1;
    for (i, block) in l.findings.iter().enumerate() {
        let first = row;
        let empty = [MeasureLine::default()];
        let measures = if block.measures.is_empty() {
            &empty[..]
        } else {
            &block.measures[..]
        };
        let mut heights = Vec::with_capacity(measures.len());
        for m in measures {
            let cells = [
                (Column::Measure, Value::text(m.text.clone())),
                (Column::Kind, Value::text(m.kind.clone())),
                (Column::Lead, Value::text(m.lead.clone())),
                (Column::Department, Value::text(m.department.clone())),
                (Column::Owner, Value::text(m.owner.clone())),
                (Column::Due, m.due.clone()),
                (Column::Progress, Value::text(m.progress.clone())),
                (Column::Status, Value::text(m.status.clone())),
                (Column::Remark, Value::text(m.remark.clone())),
            ];
            let mut need: f64 = 1.0;
            for (c, v) in &cells {
                let shape = if c.centred() {
                    Shape::Centre
                } else {
                    Shape::Left
                };
                write_value(ws, row, c.index() as u16, v, shape, m.tone, f)?;
                need = need.max(lines(&value_text(v), c.width()));
            }
            heights.push(height(need));
            row += 1;
        }
        let last = row - 1;
        let finding_cells = [
            (Column::Serial, Value::Number((i + 1) as f64)),
            (Column::Category, Value::text(block.category.clone())),
            (Column::Finding, Value::text(block.title.clone())),
            (Column::SignedOff, block.signed_off.clone()),
            (Column::Evidence, Value::text(block.evidence.clone())),
        ];
        let mut need: f64 = 1.0;
        for (c, v) in &finding_cells {
            let col = c.index() as u16;
            let shape = if c.centred() {
                Shape::Centre
            } else {
                Shape::Left
            };
            if last > first {
                ws.merge_range(first, col, last, col, "", f.body(shape, block.tone))?;
            }
            write_value(ws, first, col, v, shape, block.tone, f)?;
            need = need.max(lines(&value_text(v), c.width()));
        }
        // A merged cell does not make its rows taller: when the measures' rows are too
        // short for the finding's text, the difference is shared among them.
        let have: f64 = heights.iter().sum();
        let want = height(need);
        if want > have {
            let extra = (want - have) / heights.len() as f64;
            for h in &mut heights {
                *h = (*h + extra).min(MAX_ROW_HEIGHT);
            }
        }
        for (k, h) in heights.iter().enumerate() {
            ws.set_row_height(first + k as u32, *h)?;
        }
    }
    Ok(())
}

fn table(ws: &mut Worksheet, t: &Table, f: &Formats) -> Result<(), rust_xlsxwriter::XlsxError> {
    let cols = t.columns.len().max(1) as u16;
    let header = heading(ws, &t.title, &t.notes, cols.max(2), f)?;
    for (i, (name, width)) in t.columns.iter().enumerate() {
        ws.set_column_width(i as u16, *width)?;
        ws.write_string_with_format(header, i as u16, name, &f.header)?;
    }
    ws.set_row_height(header, 28)?;
    page_setup(ws, header)?;
    let mut row = header + 1;
    for values in &t.rows {
        for (i, v) in values.iter().enumerate() {
            let shape = if i == 1 { Shape::Left } else { Shape::Centre };
            write_value(ws, row, i as u16, v, shape, None, f)?;
        }
        row += 1;
    }
    if let Some(total) = &t.total {
        for (i, v) in total.iter().enumerate() {
            match v {
                Value::Text(s) => ws.write_string_with_format(row, i as u16, s, &f.total)?,
                Value::Number(n) => ws.write_number_with_format(row, i as u16, *n, &f.total)?,
                Value::Percent(p) => ws.write_number_with_format(
                    row,
                    i as u16,
                    *p,
                    &f.total.clone().set_num_format("0.0%"),
                )?,
                _ => ws.write_blank(row, i as u16, &f.total)?,
            };
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut n = SheetNames::default();
        assert_eq!(n.take("城管局"), "城管局");
        assert_eq!(n.take("城管局"), "城管局(2)");
        assert_eq!(n.take("a/b:c"), "a_b_c");
        assert_eq!(n.take("'"), "表");
        let long = "某".repeat(40);
        let first = n.take(&long);
        assert_eq!(first.chars().count(), 31);
        let second = n.take(&long);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("(2)"));
    }

    #[test]
    fn rows_grow_with_their_text() {
        assert_eq!(lines("", 10.0), 1.0);
        assert_eq!(lines("一二三四", 10.0), 1.0);
        assert_eq!(lines("一二三四五", 10.0), 2.0);
        assert_eq!(lines("a\nb", 10.0), 2.0);
        assert!(height(1000.0) <= MAX_ROW_HEIGHT);
    }

    #[test]
    fn overlong_cells_are_cut_with_a_note() {
        let long = "字".repeat(MAX_CELL_CHARS + 10);
        let cut = shorten(&long);
        assert!(cut.ends_with("（余下内容见系统）"));
        assert!(cut.chars().count() < 32_767);
        assert_eq!(shorten("短"), "短");
    }
}
