//! A ledger sheet as an office makes one by hand: a title and a feedback date above a
//! header of two rows in its own order and words, section rows across the table, spacer
//! rows, a finding merged across its measures, one repeated on each row, one left blank
//! below its first row, dates as Excel dates, as plain serial numbers and typed as text.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};
use zhenggai_core::{MeasureKind, MeasureStatus};
use zhenggai_office::xlsx::*;

use super::{d, read_only_sheet};

fn put(ws: &mut Worksheet, row: u32, cells: &[(u16, &str)]) {
    for (col, text) in cells {
        ws.write_string(row, *col, *text).expect("write");
    }
}

/// Columns: A 编号, B 问题方面, C 问题表现, D 整改举措, E–G 责任 (领导 / 单位 / 人),
/// H 完成时限, I 整改进度, J 完成情况, K 配合单位 (not ours), L 备注.
pub fn messy_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2024年台账").expect("name");
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let centre = Format::new().set_align(FormatAlign::Center);
    ws.merge_range(
        0,
        0,
        0,
        11,
        "某区市场监管局落实区委巡察反馈意见整改清单",
        &centre,
    )
    .expect("title");
    ws.merge_range(
        1,
        0,
        1,
        11,
        "填报单位（盖章）：某区市场监管局　　反馈日期：2024年9月12日",
        &Format::new(),
    )
    .expect("subtitle");
    // Row 3 is a spacer; the header takes rows 4 and 5.
    for (col, text) in [
        (0u16, "编号"),
        (1, "问题方面"),
        (2, "问题表现"),
        (3, "整改举措"),
        (7, "完成时限"),
        (8, "整改进度"),
        (9, "完成情况"),
        (10, "配合单位"),
        (11, "备注"),
    ] {
        ws.merge_range(3, col, 4, col, text, &Format::new())
            .expect("header");
    }
    ws.merge_range(3, 4, 3, 6, "责任", &centre).expect("group");
    put(ws, 4, &[(4, "领导"), (5, "单位"), (6, "人")]);
    ws.merge_range(5, 0, 5, 11, "一、基层党建方面", &Format::new())
        .expect("section");
    // A finding merged across its two measures.
    ws.merge_range(6, 0, 7, 0, "1", &Format::new())
        .expect("serial");
    ws.merge_range(
        6,
        2,
        7,
        2,
        "支部“三会一课”记录不全，个别月份未按期开展",
        &Format::new(),
    )
    .expect("finding");
    put(
        ws,
        6,
        &[
            (3, "逐月检查支部会议记录，补齐缺漏内容"),
            (4, "王副局长"),
            (5, "机关党委"),
            (6, "李明"),
            (8, "2024年10月8日：完成首轮检查\n发现问题3处已整改"),
            (9, "已完成"),
            (10, "各支部"),
        ],
    );
    ws.write_number_with_format(6, 7, 45657.0, &date)
        .expect("excel date");
    put(
        ws,
        7,
        &[
            (3, "建立会议提醒制度"),
            (4, "王副局长"),
            (5, "机关党委"),
            (6, "李明"),
            (7, "2025年3月底前"),
            (9, "正在推进"),
            (11, "待区委组织部指导"),
        ],
    );
    // A spacer row between findings.
    // A finding not merged: its second measure leaves the finding blank.
    put(
        ws,
        9,
        &[
            (0, "2"),
            (2, "执法车辆管理不规范，存在公车私用现象"),
            (3, "开展车辆使用专项检查"),
            (5, "办公室"),
            (6, "赵强"),
            (7, "2024.11.30"),
            (9, "未开始"),
        ],
    );
    put(
        ws,
        10,
        &[
            (3, "修订《公务用车管理办法》"),
            (5, "办公室"),
            (6, "赵强"),
            (7, "长期坚持"),
        ],
    );
    ws.merge_range(11, 0, 11, 11, "二、业务工作方面", &Format::new())
        .expect("section");
    // A finding repeated on each of its rows, with its own category and a plain serial.
    put(
        ws,
        12,
        &[
            (0, "3"),
            (1, "食品安全监管"),
            (2, "小餐饮整治反复，群众反映强烈"),
            (3, "划定临时疏导点"),
            (5, "食品科"),
            (6, "周敏"),
            (9, "推进中"),
        ],
    );
    ws.write_number(12, 7, 45626.0).expect("plain serial");
    put(
        ws,
        13,
        &[
            (0, "3"),
            (1, "食品安全监管"),
            (2, "小餐饮整治反复，群众反映强烈"),
            (3, "加强夜间巡查"),
            (5, "食品科"),
            (6, "周敏"),
            (7, "2024/12/31"),
            (9, "已完成。共巡查40次"),
        ],
    );
    // The header again, as when two sheets were glued together, then a closing note.
    put(
        ws,
        14,
        &[
            (0, "编号"),
            (2, "问题表现"),
            (3, "整改举措"),
            (7, "完成时限"),
        ],
    );
    put(ws, 16, &[(0, "注：本表每月5日前更新。")]);
    wb.save_to_buffer().expect("save")
}

#[test]
fn a_messy_sheet_reads_as_its_maker_meant() {
    let read = read_only_sheet(&messy_workbook()).expect("read");
    assert_eq!(read.sheet, (1, "2024年台账".to_string()));
    assert_eq!(read.feedback_date, Some(d("2024-09-12")));
    assert_eq!(read.warnings.len(), 1, "{:?}", read.warnings);
    assert!(
        read.warnings[0].contains("K列“配合单位”"),
        "{:?}",
        read.warnings
    );
    let f: Vec<(&str, &str, usize)> = read
        .findings
        .iter()
        .map(|f| (f.category.as_str(), f.title.as_str(), f.measures.len()))
        .collect();
    assert_eq!(
        f,
        [
            (
                "一、基层党建方面",
                "支部“三会一课”记录不全，个别月份未按期开展",
                2
            ),
            (
                "一、基层党建方面",
                "执法车辆管理不规范，存在公车私用现象",
                2
            ),
            ("食品安全监管", "小餐饮整治反复，群众反映强烈", 2),
        ]
    );
    let m = &read.findings[0].measures;
    assert_eq!((m[0].row, m[1].row), (7, 8));
    assert_eq!(m[0].lead, "王副局长");
    assert_eq!(m[0].department, "机关党委");
    assert_eq!(m[0].owner, "李明");
    assert_eq!(m[0].due, Due::On(d("2024-12-31")));
    assert_eq!(m[0].status, Some(MeasureStatus::Done));
    assert_eq!(
        m[0].progress,
        vec![Progress {
            date: Some(d("2024-10-08")),
            text: "完成首轮检查\n发现问题3处已整改".into()
        }]
    );
    assert_eq!(m[1].due, Due::On(d("2025-03-31")));
    assert_eq!(m[1].status, Some(MeasureStatus::InProgress));
    assert_eq!(m[1].remark, "待区委组织部指导");
    let m = &read.findings[1].measures;
    assert_eq!(m[0].due, Due::On(d("2024-11-30")));
    assert_eq!(m[0].status, Some(MeasureStatus::Pending));
    assert_eq!(
        (m[1].due, m[1].kind, m[1].status),
        (Due::LongTerm, None, None)
    );
    let m = &read.findings[2].measures;
    assert_eq!(m[0].due, Due::On(d("2024-11-30")), "a plain serial number");
    assert_eq!(m[1].due, Due::On(d("2024-12-31")));
    assert_eq!(
        (m[1].status, m[1].status_note.as_str()),
        (Some(MeasureStatus::Done), "已完成。共巡查40次")
    );
    assert_eq!(m[1].kind, None::<MeasureKind>);
}

#[test]
fn a_bad_cell_is_named_by_sheet_row_and_column() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("城管局").expect("name");
    put(ws, 0, &[(0, "城管局整改台账")]);
    put(
        ws,
        1,
        &[
            (0, "序号"),
            (1, "存在问题"),
            (2, "整改措施"),
            (3, "牵头单位"),
            (4, "完成时限"),
        ],
    );
    put(
        ws,
        2,
        &[
            (0, "1"),
            (1, "问题甲"),
            (2, "措施一"),
            (3, "办公室"),
            (4, "2024年12月31日"),
        ],
    );
    put(
        ws,
        3,
        &[
            (0, "2"),
            (1, "问题乙"),
            (2, "措施二"),
            (3, "办公室"),
            (4, "2024年2月30日"),
        ],
    );
    let err = read_only_sheet(&wb.save_to_buffer().expect("save")).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "工作表“城管局”第4行“整改时限”列（E列）：日期“2024年2月30日”不存在"
    );
    assert_eq!(err.code(), "invalid_workbook");
}

#[test]
fn a_measure_without_its_finding_or_text_is_refused() {
    let build = |rows: &[&[(u16, &str)]]| {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        put(
            ws,
            0,
            &[
                (0, "具体问题"),
                (1, "整改措施"),
                (2, "责任人"),
                (3, "整改时限"),
            ],
        );
        for (i, r) in rows.iter().enumerate() {
            put(ws, 1 + i as u32, r);
        }
        read_only_sheet(&wb.save_to_buffer().expect("save"))
    };
    let err = build(&[&[(1, "措施一"), (2, "张三")]]).expect_err("no finding");
    assert!(
        err.to_string().contains("第2行“具体问题”列（A列）"),
        "{err}"
    );
    let err = build(&[&[(0, "问题甲"), (2, "张三")]]).expect_err("no text");
    assert!(
        err.to_string().contains("第2行“整改措施”列（B列）"),
        "{err}"
    );
    assert!(err.to_string().contains("责任人"), "{err}");
    let err = build(&[
        &[(0, "问题甲"), (1, "措施一")],
        &[(0, "问题乙"), (1, "措施二")],
        &[],
    ])
    .map(|l| l.findings.len());
    assert_eq!(err, Ok(2));
}

#[test]
fn two_columns_of_one_meaning_are_refused() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    put(
        ws,
        0,
        &[
            (0, "具体问题"),
            (1, "整改措施"),
            (2, "责任单位"),
            (3, "责任部门"),
        ],
    );
    let err = read_only_sheet(&wb.save_to_buffer().expect("save")).expect_err("refused");
    assert!(err.to_string().contains("责任部门"), "{err}");
    assert!(err.to_string().contains("C列"), "{err}");
}

#[test]
fn a_sheet_without_a_header_says_what_it_looks_for() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    put(ws, 0, &[(0, "姓名"), (1, "电话")]);
    let err = read_only_sheet(&wb.save_to_buffer().expect("save")).expect_err("refused");
    assert!(err.to_string().contains("找不到表头"), "{err}");
    assert!(err.to_string().starts_with("工作表“Sheet1”"), "{err}");
}
