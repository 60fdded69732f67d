//! The Excel ledger from the command line: a round's workbook and a unit's sheet that
//! Excel's consumers open, exported, imported and exported again to the same ledger; a
//! sheet made by hand imported; broken workbooks refused with nothing written.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use zhenggai_office::xlsx::{open, read_ledger, ReadLedger};
use zhenggai_testkit::office;

use crate::{both, export, ok, zg, Db};

const TODAY: &str = "2026-01-05";
const ROUND: &str = "r-demo-3";
const UNIT: &str = "u-cgj";

fn p(path: &Path) -> &str {
    path.to_str().expect("path")
}

/// A ledger with the demo's rounds and units but no feedbacks: where a unit's sheet goes.
fn setup(db: &Db, work: &Path) {
    let source = crate::sqlite();
    ok(&source, &["demo"]);
    let doc = export(&source, work, "demo.json");
    // The document keeps its sections in order, so it is cut as text.
    let at = doc.find("\"feedbacks\":[").expect("feedbacks");
    let bare = work.join("bare.json");
    std::fs::write(&bare, format!("{}\"feedbacks\":[]}}", &doc[..at])).expect("write");
    ok(db, &["import", p(&bare)]);
}

/// The workbook of the demo's third round (of one unit), colours as on `TODAY`.
fn export_xlsx(db: &Db, file: &Path, unit: Option<&str>) {
    export_on(db, file, unit, TODAY);
}

fn export_on(db: &Db, file: &Path, unit: Option<&str>, today: &str) {
    let mut args = vec![
        "export",
        "--format",
        "xlsx",
        "--round",
        ROUND,
        "--today",
        today,
        "-o",
        p(file),
    ];
    if let Some(u) = unit {
        args.extend(["--unit", u]);
    }
    ok(db, &args);
}

fn sheet_of(file: &Path, name: &str) -> ReadLedger {
    let bytes = std::fs::read(file).expect("read");
    let mut book = open(&bytes).expect("open");
    let i = book
        .sheet_names()
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}: {:?}", book.sheet_names()));
    read_ledger(&book.sheet(i).expect("sheet")).expect("ledger")
}

/// What an import keeps: the sign-off dates and evidence names are for reading only.
fn without_sign_off(mut l: ReadLedger) -> ReadLedger {
    for f in &mut l.findings {
        f.signed_off = None;
        f.evidence.clear();
    }
    l
}

fn the_round_workbook_opens_in_excels_consumers(db: &Db) {
    ok(db, &["demo"]);
    let out = office::output_dir("ledger-xlsx");
    let file = out.join(format!(
        "round-{}.xlsx",
        db.url.split(':').next().unwrap_or("db")
    ));
    // The demo dates its work from the real today: the colours are reckoned on it.
    let today = chrono::Local::now().date_naive().to_string();
    export_on(db, &file, None, &today);
    let bytes = std::fs::read(&file).expect("read");
    let book = open(&bytes).expect("open");
    assert_eq!(book.sheet_names().len(), 5, "{:?}", book.sheet_names());
    assert_eq!(book.sheet_names()[0], "汇总");
    let cgj = sheet_of(&file, "中共示例市城市管理局党组");
    assert_eq!(cgj.findings.len(), 10);
    assert_eq!(
        cgj.findings.iter().map(|f| f.measures.len()).sum::<usize>(),
        21
    );
    assert!(cgj.warnings.is_empty(), "{:?}", cgj.warnings);
    let Some(tools) = office::consumers() else {
        return;
    };
    let read = tools.python(
        "import sys, openpyxl\n\
         wb = openpyxl.load_workbook(sys.argv[1])\n\
         print(','.join(wb.sheetnames))\n\
         ws = wb['中共示例市城市管理局党组']\n\
         print(ws['A1'].value)\n\
         print([c.value for c in ws[4]])\n\
         print(ws.freeze_panes, ws.print_title_rows, ws.page_setup.orientation, ws.page_setup.paperSize)\n\
         print(len(ws.merged_cells.ranges) > 10, ws['D5'].alignment.wrap_text)\n\
         fills = {c.fill.fgColor.rgb for row in ws.iter_rows(min_row=5) for c in row}\n\
         print('FFFFC7CE' in fills)\n\
         s = wb['汇总']\n\
         print(s['B4'].value, s['C8'].value)\n",
        &[&file],
    );
    let lines: Vec<&str> = read.lines().collect();
    assert_eq!(
        lines[0],
        "汇总,中共示例市城市管理局党组,中共示例市机关事务管理局党组,中共示例市农业农村局党组,中共示例市医疗保障局党组",
        "{read}"
    );
    assert_eq!(
        lines[1],
        "中共示例市城市管理局党组落实示例市委第三轮巡察反馈意见整改台账"
    );
    assert_eq!(
        lines[2],
        "['序号', '问题类别', '具体问题', '整改措施', '整改类型', '责任领导', '责任部门', '责任人', '整改时限', '整改进展', '完成情况', '销号日期', '佐证材料', '备注']"
    );
    assert_eq!(lines[3], "A5 $4:$4 landscape 9", "{read}");
    assert_eq!(lines[4], "True True", "{read}");
    assert_eq!(lines[5], "True", "overdue rows are red: {read}");
    assert_eq!(lines[6], "中共示例市城市管理局党组 40", "{read}");
    let pdf = tools.to_pdf(&file, &out);
    assert!(tools.pages(&pdf) >= 5, "a page a sheet at least");
    tools.page_png(&pdf, 2, &out.join("ledger-unit.png"));
    tools.page_png(&pdf, 1, &out.join("ledger-summary.png"));
}

fn a_unit_sheet_exports_imports_and_exports_the_same(db: &Db) {
    let work = tempfile::tempdir().expect("dir");
    let source = crate::sqlite();
    ok(&source, &["demo"]);
    let first = work.path().join("first.xlsx");
    export_xlsx(&source, &first, Some(UNIT));
    let name = "中共示例市城市管理局党组";

    setup(db, work.path());
    let shown = ok(
        db,
        &[
            "import",
            p(&first),
            "--round",
            ROUND,
            "--unit",
            name,
            "--today",
            TODAY,
        ],
    );
    assert!(shown.contains("问题 10 个，措施 21 项"), "{shown}");
    assert!(shown.contains("“销号日期”未导入"), "{shown}");
    let second = work.path().join("second.xlsx");
    export_xlsx(db, &second, Some(UNIT));
    let (a, b) = (sheet_of(&first, name), sheet_of(&second, name));
    let a = without_sign_off(a);
    assert_eq!(a.first_difference(&b), None);
    assert_eq!(a.findings, b.findings);
    assert!(ok(db, &["verify"]).contains("事件链完整"));

    // Once more from what the import made: nothing is lost or added any more.
    let again = crate::sqlite();
    setup(&again, work.path());
    ok(
        &again,
        &[
            "import",
            p(&second),
            "--round",
            ROUND,
            "--unit",
            UNIT,
            "--today",
            TODAY,
        ],
    );
    let third = work.path().join("third.xlsx");
    export_xlsx(&again, &third, Some(UNIT));
    assert_eq!(sheet_of(&third, name), sheet_of(&second, name));

    // The same sheet again is refused: the unit has its feedback now, unchanged.
    let twice = zg(db, &["import", p(&first), "--round", ROUND, "--unit", UNIT]);
    assert!(twice.status.success(), "the same content is unchanged");
    let out = String::from_utf8_lossy(&twice.stdout);
    assert!(out.contains("已存在且相同 1"), "{out}");

    // A unit's workbook opens in Excel's consumers too.
    let Some(tools) = office::consumers() else {
        return;
    };
    let read = tools.python(
        "import sys, openpyxl\n\
         wb = openpyxl.load_workbook(sys.argv[1])\n\
         print(','.join(wb.sheetnames), wb.active.max_row)\n",
        &[&second],
    );
    assert_eq!(
        read.trim(),
        format!("{name} 25"),
        "title, two notes, header, 21 rows"
    );
    let pdf = tools.to_pdf(&second, work.path());
    assert!(tools.pages(&pdf) >= 1);
}

fn put(ws: &mut Worksheet, row: u32, cells: &[(u16, &str)]) {
    for (col, text) in cells {
        ws.write_string(row, *col, *text).expect("write");
    }
}

/// A sheet as an office might keep it: a title, a date line, a blank row, a header in
/// its own order and words, section rows, a finding merged over its measures and one
/// repeated on each row, an Excel date, dates typed as text, an extra column.
fn handmade(bad_due: Option<&str>) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("城管局台账").expect("name");
    let plain = Format::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    ws.merge_range(0, 0, 0, 8, "城管局巡察整改工作台账（自填）", &plain)
        .expect("title");
    put(ws, 1, &[(0, "反馈时间：2026年5月12日")]);
    put(
        ws,
        3,
        &[
            (0, "编号"),
            (1, "问题清单"),
            (2, "具体措施"),
            (3, "牵头单位"),
            (4, "责任人"),
            (5, "完成时限"),
            (6, "联系电话"),
            (7, "进展情况"),
            (8, "整改状态"),
        ],
    );
    ws.merge_range(4, 0, 4, 8, "一、执法规范方面", &plain)
        .expect("section");
    ws.merge_range(5, 0, 6, 0, "1", &plain).expect("merge");
    ws.merge_range(5, 1, 6, 1, "渣土车夜间运输监管有空档", &plain)
        .expect("merge");
    put(
        ws,
        5,
        &[
            (2, "排出夜间巡查班次表"),
            (3, "执法大队"),
            (4, "钱进"),
            (6, "5550123"),
            (7, "2026-06-01 已排班\n2026-06-15 已覆盖全部工地"),
            (8, "完成"),
        ],
    );
    ws.write_datetime_with_format(
        5,
        5,
        rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 6, 30).expect("day"),
        &date,
    )
    .expect("date");
    put(
        ws,
        6,
        &[
            (2, "与住建部门共享工地名单"),
            (3, "执法大队"),
            (4, "钱进"),
            (5, bad_due.unwrap_or("2026年9月底前")),
            (8, "推进中"),
        ],
    );
    // A spacer row, then a finding repeated on each of its rows.
    put(
        ws,
        8,
        &[
            (0, "2"),
            (1, "门前三包责任书签订率低"),
            (2, "逐户补签责任书"),
            (3, "街道中队"),
            (4, "孙立"),
            (5, "2026.8.31"),
            (8, "未开始"),
        ],
    );
    put(
        ws,
        9,
        &[
            (0, "2"),
            (1, "门前三包责任书签订率低"),
            (2, "纳入月度考核"),
            (3, "街道中队"),
            (4, "孙立"),
            (5, "长期坚持"),
        ],
    );
    wb.save_to_buffer().expect("save")
}

fn feedback_of(db: &Db, work: &Path) -> serde_json::Value {
    let doc = export(db, work, "after.json");
    let value: serde_json::Value = serde_json::from_str(&doc).expect("json");
    value["feedbacks"]
        .as_array()
        .expect("feedbacks")
        .iter()
        .find(|f| f["unit_id"] == UNIT)
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}

fn write(work: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = work.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn a_handmade_sheet_imports_as_meant(db: &Db) {
    let work = tempfile::tempdir().expect("dir");
    setup(db, work.path());
    let file = write(work.path(), "自填台账.xlsx", &handmade(None));
    let shown = ok(
        db,
        &[
            "import",
            p(&file),
            "--round",
            "示例市委第三轮巡察",
            "--unit",
            UNIT,
            "--today",
            TODAY,
        ],
    );
    assert!(
        shown.contains("G列“联系电话”"),
        "the unknown column is named: {shown}"
    );
    let fb = feedback_of(db, work.path());
    assert_eq!(fb["date"], "2026-05-12", "the date above the header");
    let c = &fb["categories"][0];
    assert_eq!(c["title"], "一、执法规范方面");
    let findings = c["aspects"][0]["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2);
    let m = &findings[0]["measures"];
    assert_eq!(findings[0]["title"], "渣土车夜间运输监管有空档");
    assert_eq!(m[0]["due"], "2026-06-30");
    assert_eq!(m[0]["status"], "done");
    assert_eq!(m[0]["department"], "执法大队");
    assert_eq!(m[0]["progress"][1]["date"], "2026-06-15");
    assert_eq!(m[0]["progress"][1]["text"], "已覆盖全部工地");
    assert_eq!(m[1]["due"], "2026-09-30");
    assert_eq!(m[1]["status"], "in_progress");
    let m = &findings[1]["measures"];
    assert_eq!(m.as_array().map(Vec::len), Some(2));
    assert_eq!(m[0]["due"], "2026-08-31");
    assert_eq!(m[1]["kind"], "long_term");
    assert_eq!(findings[1]["status"], "open");
}

fn a_bad_workbook_writes_nothing(db: &Db) {
    let work = tempfile::tempdir().expect("dir");
    setup(db, work.path());
    let before = export(db, work.path(), "before.json");
    let refuse = |file: &Path| {
        let out = zg(db, &["import", p(file), "--round", ROUND, "--unit", UNIT]);
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    // The second finding's second measure has a day that does not exist: the first
    // finding, read without fault, is not written either.
    let bad = write(work.path(), "bad.xlsx", &handmade(Some("2026年2月30日")));
    let err = refuse(&bad);
    assert!(
        err.contains("工作表“城管局台账”第7行“整改时限”列（F列）：日期“2026年2月30日”不存在"),
        "{err}"
    );
    let good = handmade(None);
    let truncated = write(work.path(), "cut.xlsx", &good[..good.len() / 2]);
    assert!(refuse(&truncated).contains("已损坏或不完整"));
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.resize(4096, 0);
    let renamed = write(work.path(), "old.xlsx", &xls);
    assert!(refuse(&renamed).contains("97-2003"));
    let no_unit = zg(db, &["import", p(&bad), "--round", ROUND]);
    assert_eq!(no_unit.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_unit.stderr).contains("--unit"));
    assert_eq!(
        crate::body(&export(db, work.path(), "after.json")),
        crate::body(&before),
        "nothing written"
    );
}

both!(
    the_round_workbook_opens_in_excels_consumers,
    a_unit_sheet_exports_imports_and_exports_the_same,
    a_handmade_sheet_imports_as_meant,
    a_bad_workbook_writes_nothing,
);
