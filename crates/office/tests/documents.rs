//! The notice and the supervision notice as .docx: read back by our reader and the notice
//! parser, by python-docx (page, margins, grid, faces, sizes, footers) and by LibreOffice
//! (converted to PDF, the first page rendered to PNG for looking at).

use std::path::Path;

use zhenggai_notice::compose::{compose, Counts, NoticeDraft, NoticeKind};
use zhenggai_notice::render::{DraftAspect, DraftCategory, DraftFinding};
use zhenggai_office::supervision::{builtin_template, supervision_docx};
use zhenggai_office::template::Fill;
use zhenggai_office::{docx_text, notice_docx::notice_docx};
use zhenggai_testkit::office;

fn draft() -> NoticeDraft {
    let finding = |t: &str, ms: &[&str]| DraftFinding {
        title: t.into(),
        measures: ms.iter().map(|m| m.to_string()).collect(),
    };
    NoticeDraft {
        kind: NoticeKind::Progress,
        unit: "中共示例县林业局党组".into(),
        round: "示例县委第七轮巡察".into(),
        level: "巡察".into(),
        team: "示例县委第三巡察组".into(),
        inspection_start: "2025年3月3日".into(),
        inspection_end: "2025年4月25日".into(),
        feedback_date: "2025年6月9日".into(),
        as_of: "2025年12月1日".into(),
        counts: Counts {
            findings: 3,
            done: 2,
            basically_done: 0,
            not_done: 1,
            transferred: 0,
        },
        categories: vec![
            DraftCategory {
                title: "生态保护责任落实不到位".into(),
                aspects: vec![DraftAspect {
                    title: "林地管护存在薄弱环节".into(),
                    findings: vec![
                        finding(
                            "护林员巡护记录不实",
                            &[
                                "逐一核查2024年以来巡护记录，清退不实补助1.2万元",
                                "启用巡护定位系统，每月抽查",
                            ],
                        ),
                        finding(
                            "违规占用林地未及时处置",
                            &["会同自然资源部门完成3宗占地的查处"],
                        ),
                    ],
                }],
            },
            DraftCategory {
                title: "制度执行不严".into(),
                aspects: vec![DraftAspect {
                    title: "公务接待管理不规范".into(),
                    findings: vec![finding(
                        "接待清单与发票不符",
                        &["修订《公务接待管理办法》", "对2名经办人员批评教育"],
                    )],
                }],
            },
        ],
        contact: vec![("联系电话".into(), "0559-1234567".into())],
    }
}

const CHECK_NOTICE: &str = r#"
import sys, docx
W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'
d = docx.Document(sys.argv[1])
s = d.sections[0]
print(*[round(x.mm, 1) for x in (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)])
g = s._sectPr.find(W + 'docGrid')
print(g.get(W + 'type'), g.get(W + 'linePitch'))
def face(r):
    f = r._element.rPr.find(W + 'rFonts')
    return f.get(W + 'eastAsia') + '/' + f.get(W + 'ascii')
def al(p):
    return None if p.alignment is None else int(p.alignment)
def spacing(p):
    sp = p._p.pPr.find(W + 'spacing')
    return sp.get(W + 'lineRule') + ':' + sp.get(W + 'line')
for p in d.paragraphs:
    if not p.runs:
        continue
    r = p.runs[0]
    cs = r._element.rPr.find(W + 'spacing')
    print(face(r), r.font.size.pt, bool(r.font.bold), al(p), spacing(p), None if cs is None else cs.get(W + 'val'), p.text[:6])
print('FOOTER', s.footer.paragraphs[0].text, al(s.footer.paragraphs[0]), face(s.footer.paragraphs[0].runs[0]), s.footer.paragraphs[0].runs[0].font.size.pt)
print('EVEN', s.even_page_footer.paragraphs[0].text, al(s.even_page_footer.paragraphs[0]), d.settings.odd_and_even_pages_header_footer)
"#;

#[test]
fn the_notice_docx_reads_back_and_follows_the_format() {
    let d = draft();
    let doc = compose(&d);
    let bytes = notice_docx(&doc).expect("docx");
    // Our reader and the parser give the same tree as the text.
    let text = docx_text(&bytes).expect("reads");
    let from_docx = zhenggai_notice::parse_text(&text, "n.docx", "utf-8", "0");
    let from_txt = zhenggai_notice::parse_text(&doc.to_text(), "n.txt", "utf-8", "0");
    assert_eq!(from_docx.findings.len(), 3);
    let titles = |n: &zhenggai_notice::Notice| {
        let c: Vec<String> = n.categories.iter().map(|c| c.title.clone()).collect();
        let a: Vec<String> = n.aspects.iter().map(|a| a.title.clone()).collect();
        (c, a)
    };
    assert_eq!(titles(&from_docx), titles(&from_txt));
    let tree = |n: &zhenggai_notice::Notice| {
        n.findings
            .iter()
            .map(|f| {
                (
                    f.title.clone(),
                    f.measures
                        .iter()
                        .map(|m| m.text.clone())
                        .collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(tree(&from_docx), tree(&from_txt));
    assert_eq!(from_docx.title, from_txt.title);
    assert_eq!(from_docx.unit, from_txt.unit);
    assert_eq!(from_docx.published.as_deref(), Some("2025-12-01"));

    let Some(tools) = office::consumers() else {
        return;
    };
    let out = office::output_dir("notice");
    let file = out.join("notice.docx");
    std::fs::write(&file, &bytes).expect("write");
    let read = tools.python(CHECK_NOTICE, &[&file]);
    let lines: Vec<&str> = read.lines().collect();
    assert_eq!(lines[0], "210.0 297.0 37.0 35.0 28.0 26.0", "{read}");
    assert_eq!(lines[1], "lines 579", "{read}");
    // The title: 二号 小标宋, centred.
    assert_eq!(
        lines[2], "方正小标宋简体/方正小标宋简体 22.0 False 1 exact:579 None 中共示例县林",
        "{read}"
    );
    // The opening: 三号 仿宋, justified.
    assert!(
        lines[3].starts_with("仿宋_GB2312/仿宋_GB2312 16.0 False 3 exact:579 -5 "),
        "{read}"
    );
    let heading = lines
        .iter()
        .find(|l| l.ends_with("一、生态保护"))
        .expect("first heading");
    assert!(heading.starts_with("黑体/黑体 16.0 False"), "{heading}");
    let aspect = lines
        .iter()
        .find(|l| l.ends_with("1.林地管护"))
        .expect("aspect heading");
    assert!(
        aspect.starts_with("仿宋_GB2312/仿宋_GB2312 16.0 True"),
        "{aspect}"
    );
    let footer = lines
        .iter()
        .find(|l| l.starts_with("FOOTER"))
        .expect("footer");
    assert_eq!(*footer, "FOOTER — 1 — 2 宋体/宋体 14.0", "{read}");
    let even = lines
        .iter()
        .find(|l| l.starts_with("EVEN"))
        .expect("even footer");
    assert_eq!(*even, "EVEN — 1 — 0 True", "{read}");
    // The font table names each Chinese face's substitute.
    let fonts = tools.python(
        "import sys, zipfile\nprint(zipfile.ZipFile(sys.argv[1]).read('word/fontTable.xml').decode())",
        &[&file],
    );
    assert!(
        fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#),
        "{fonts}"
    );
    assert!(
        fonts.contains(r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>"#),
        "{fonts}"
    );
    render(&tools, &file, &out, "notice-page1.png");
}

fn render(tools: &office::Consumers, file: &Path, out: &Path, png: &str) {
    let pdf = tools.to_pdf(file, out);
    assert!(tools.pages(&pdf) >= 1);
    tools.page_png(&pdf, 1, &out.join(png));
}

fn fill(rows: usize) -> Fill {
    Fill {
        fields: vec![
            ("单位", "中共示例县林业局党组".into()),
            ("轮次", "示例县委第七轮巡察".into()),
            ("日期", "2025年12月1日".into()),
            ("回复期限", "2025年12月8日".into()),
            ("问题数", rows.to_string()),
            ("督办单位", "中共示例县委巡察工作领导小组办公室".into()),
        ],
        rows: (1..=rows)
            .map(|i| {
                vec![
                    ("序号", i.to_string()),
                    ("问题", format!("第{i}个逾期问题：巡护记录不实")),
                    ("整改措施", "启用巡护定位系统，每月抽查".into()),
                    ("责任部门", "资源管理股".into()),
                    ("责任人", "王强".into()),
                    ("整改时限", "2025年10月31日".into()),
                    ("逾期天数", format!("{}天", 30 + i)),
                    ("预警", "红".into()),
                ]
            })
            .collect(),
    }
}

const CHECK_SUPERVISION: &str = r#"
import sys, docx
d = docx.Document(sys.argv[1])
s = d.sections[0]
print(*[round(x.mm, 1) for x in (s.page_width, s.page_height, s.top_margin, s.left_margin)])
t = d.tables[0]
print(len(t.rows))
from docx.oxml.ns import qn
print(','.join(str(i) for i, r in enumerate(t.rows) if r._tr.trPr is not None and r._tr.trPr.find(qn('w:tblHeader')) is not None))
for r in t.rows:
    print('|'.join(c.text for c in r.cells))
for p in d.paragraphs:
    print(p.text)
"#;

#[test]
fn the_supervision_notice_lists_each_overdue_finding() {
    let bytes = supervision_docx(None, &fill(3)).expect("docx");
    let text = docx_text(&bytes).expect("reads");
    assert!(!text.contains("{{"), "{text}");
    assert!(text.contains("中共示例县林业局党组："), "{text}");
    assert!(text.contains("于2025年12月8日前"), "{text}");
    let Some(tools) = office::consumers() else {
        return;
    };
    let out = office::output_dir("supervision");
    let file = out.join("supervision.docx");
    std::fs::write(&file, &bytes).expect("write");
    let read = tools.python(CHECK_SUPERVISION, &[&file]);
    let lines: Vec<&str> = read.lines().collect();
    assert_eq!(lines[0], "210.0 297.0 37.0 28.0", "{read}");
    assert_eq!(lines[1], "4", "{read}");
    assert_eq!(
        lines[2], "0",
        "only the heading row repeats on each page: {read}"
    );
    assert_eq!(
        lines[4],
        "1|第1个逾期问题：巡护记录不实|启用巡护定位系统，每月抽查|资源管理股（王强）|2025年10月31日|31天",
        "{read}"
    );
    assert!(lines[6].starts_with("3|第3个"), "{read}");
    render(&tools, &file, &out, "supervision-page1.png");

    // A long list runs onto more pages, each with the table's heading row.
    let long = out.join("supervision-long.docx");
    std::fs::write(&long, supervision_docx(None, &fill(40)).expect("docx")).expect("write");
    let pdf = tools.to_pdf(&long, &out);
    assert!(tools.pages(&pdf) >= 2, "40 rows take more than a page");
    tools.page_png(&pdf, 2, &out.join("supervision-long-page2.png"));
}

/// An office's own template, edited in Word: its placeholders split over runs, a
/// header with a field, a row of its own design.
#[test]
fn an_offices_template_is_filled() {
    let builtin = builtin_template().expect("template");
    // Rewrite the built-in body the way Word stores edits: every placeholder cut in two
    // runs with different formatting.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&builtin)).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("body"),
        &mut xml,
    )
    .expect("read");
    let split = xml
        .replace("{{单位}}", "{{单</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>位}}")
        .replace("{{问题}}", "{</w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r><w:t>{问题}</w:t></w:r><w:r><w:t>}");
    assert_ne!(split, xml);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index(i).expect("entry");
        if entry.name() == "word/document.xml" {
            drop(entry);
            out.start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .expect("start");
            std::io::Write::write_all(&mut out, split.as_bytes()).expect("write");
        } else {
            out.raw_copy_file(entry).expect("copy");
        }
    }
    let template = out.finish().expect("zip").into_inner();
    let bytes = supervision_docx(Some(&template), &fill(2)).expect("filled");
    let text = docx_text(&bytes).expect("reads");
    assert!(!text.contains('{') && !text.contains('}'), "{text}");
    assert!(text.contains("中共示例县林业局党组："), "{text}");
    assert!(text.contains("第2个逾期问题"), "{text}");
    // Garbage and unknown placeholders are refused, not panicked on.
    assert!(supervision_docx(Some(b"not a zip"), &fill(1)).is_err());
    let unknown = template_with("{{单位名称}}");
    let e = supervision_docx(Some(&unknown), &fill(1)).expect_err("unknown placeholder");
    assert_eq!(e.code(), "template_unknown_placeholder");
}

fn template_with(body: &str) -> Vec<u8> {
    let builtin = builtin_template().expect("template");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&builtin)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index(i).expect("entry");
        if entry.name() == "word/document.xml" {
            drop(entry);
            out.start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .expect("start");
            let xml = format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>"#
            );
            std::io::Write::write_all(&mut out, xml.as_bytes()).expect("write");
        } else {
            out.raw_copy_file(entry).expect("copy");
        }
    }
    out.finish().expect("zip").into_inner()
}
