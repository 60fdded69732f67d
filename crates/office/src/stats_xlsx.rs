//! The statistics of a round as a workbook offices can file and print: a summary with the
//! published sentence and the outcomes, then the figures by unit, by category and by month.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use zhenggai_core::report::{Report, Tally};

use crate::OfficeError;

/// A4 in Excel's numbering of paper sizes.
const A4: u8 = 9;

struct Styles {
    title: Format,
    head: Format,
    cell: Format,
    number: Format,
    rate: Format,
    wrap: Format,
}

impl Styles {
    fn new() -> Styles {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            head: border(
                Format::new()
                    .set_bold()
                    .set_background_color("#E8EEF4")
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_text_wrap(),
            ),
            cell: border(Format::new().set_text_wrap()),
            number: border(Format::new().set_num_format("0")),
            rate: border(Format::new().set_num_format("0.0%")),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

fn page(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(A4);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_freeze_panes(header_row + 1, 0)?;
    Ok(())
}

fn headers(
    ws: &mut Worksheet,
    row: u32,
    s: &Styles,
    cols: &[(&str, f64)],
) -> Result<(), XlsxError> {
    for (i, (name, width)) in cols.iter().enumerate() {
        let c = i as u16;
        ws.set_column_width(c, *width)?;
        ws.write_string_with_format(row, c, *name, &s.head)?;
    }
    Ok(())
}

/// Tally columns from `col`: findings, done, basically done, not done, transferred, rate.
fn tally(ws: &mut Worksheet, row: u32, col: u16, t: &Tally, s: &Styles) -> Result<(), XlsxError> {
    for (i, n) in [
        t.findings,
        t.done,
        t.basically_done,
        t.not_done,
        t.transferred,
    ]
    .iter()
    .enumerate()
    {
        ws.write_number_with_format(row, col + i as u16, *n as f64, &s.number)?;
    }
    ws.write_number_with_format(row, col + 5, t.completion_rate, &s.rate)?;
    Ok(())
}

const TALLY_HEADS: [(&str, f64); 6] = [
    ("反馈问题", 10.0),
    ("已完成", 9.0),
    ("基本完成", 9.0),
    ("未完成", 9.0),
    ("移交", 8.0),
    ("完成率", 9.0),
];

/// The whole workbook as bytes.
pub fn workbook(report: &Report) -> Result<Vec<u8>, OfficeError> {
    build(report).map_err(|e| OfficeError::WriteXlsx(e.to_string()))
}

fn build(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let s = Styles::new();
    let mut wb = Workbook::new();
    let scope = r.round.clone().unwrap_or_else(|| "各轮巡察".into());

    let ws = wb.add_worksheet();
    ws.set_name("汇总")?;
    ws.merge_range(0, 0, 0, 5, &format!("{scope}整改情况统计"), &s.title)?;
    ws.merge_range(
        1,
        0,
        1,
        5,
        &format!("统计截至{}", r.as_of.zh()),
        &Format::new(),
    )?;
    ws.merge_range(2, 0, 2, 5, &r.paragraph(), &s.wrap)?;
    ws.set_row_height(2, 96)?;
    headers(ws, 4, &s, &TALLY_HEADS)?;
    tally(ws, 5, 0, &r.totals, &s)?;
    ws.write_string_with_format(7, 0, "整改成效", &s.head)?;
    ws.write_string_with_format(7, 1, "数量", &s.head)?;
    let o = &r.outcomes;
    let rule = |k: &str| o.rules.get(k).copied().unwrap_or(0) as f64;
    let yuan = |k: &str| o.money_fen.get(k).copied().unwrap_or(0) as f64 / 100.0;
    let mut lines: Vec<(String, f64, bool)> = vec![
        ("新建制度（项）".into(), rule("new"), false),
        ("修订制度（项）".into(), rule("revised"), false),
        ("废止制度（项）".into(), rule("repealed"), false),
        ("清退资金（元）".into(), yuan("refunded"), true),
        ("追回资金（元）".into(), yuan("recovered"), true),
        ("挽回经济损失（元）".into(), yuan("saved"), true),
        ("问责（人）".into(), o.accountability_people as f64, false),
    ];
    for (form, n) in &o.accountability_by_form {
        lines.push((format!("　其中：{form}（人）"), *n as f64, false));
    }
    lines.push(("召开专题会议（次）".into(), o.meetings as f64, false));
    let money = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0.00");
    for (i, (label, n, is_money)) in lines.iter().enumerate() {
        let row = 8 + i as u32;
        ws.write_string_with_format(row, 0, label, &s.cell)?;
        ws.write_number_with_format(row, 1, *n, if *is_money { &money } else { &s.number })?;
    }
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 14)?;
    ws.set_paper_size(A4);
    ws.set_landscape();

    let ws = wb.add_worksheet();
    ws.set_name("按单位")?;
    let mut cols = vec![("轮次", 22.0), ("单位", 26.0)];
    cols.extend(TALLY_HEADS);
    cols.extend([
        ("逾期", 8.0),
        ("红色预警", 9.0),
        ("黄色预警", 9.0),
        ("绿色预警", 9.0),
    ]);
    headers(ws, 0, &s, &cols)?;
    for (i, u) in r.units.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string_with_format(row, 0, &u.round, &s.cell)?;
        ws.write_string_with_format(row, 1, &u.unit, &s.cell)?;
        tally(ws, row, 2, &Tally::of(&u.by_status), &s)?;
        for (j, n) in [
            u.overdue,
            u.warnings.red,
            u.warnings.yellow,
            u.warnings.green,
        ]
        .iter()
        .enumerate()
        {
            ws.write_number_with_format(row, 8 + j as u16, *n as f64, &s.number)?;
        }
    }
    page(ws, 0)?;

    let ws = wb.add_worksheet();
    ws.set_name("按问题类别")?;
    let mut cols = vec![("问题类别", 40.0)];
    cols.extend(TALLY_HEADS);
    headers(ws, 0, &s, &cols)?;
    for (i, c) in r.categories.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string_with_format(row, 0, &c.title, &s.cell)?;
        tally(ws, row, 1, &Tally::of(&c.by_status), &s)?;
    }
    page(ws, 0)?;

    let ws = wb.add_worksheet();
    ws.set_name("按月销号")?;
    headers(
        ws,
        0,
        &s,
        &[("月份", 12.0), ("当月完成", 10.0), ("累计完成", 10.0)],
    )?;
    for (i, (m, (_, total))) in r.months.iter().zip(r.cumulative()).enumerate() {
        let row = 1 + i as u32;
        ws.write_string_with_format(row, 0, &m.month, &s.cell)?;
        ws.write_number_with_format(row, 1, m.closed as f64, &s.number)?;
        ws.write_number_with_format(row, 2, total as f64, &s.number)?;
    }
    page(ws, 0)?;

    wb.save_to_buffer()
}
