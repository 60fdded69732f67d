//! What `write` lays out, `read_ledger` reads back value for value.

use proptest::prelude::*;
use zhenggai_core::{Date, MeasureKind, MeasureStatus};
use zhenggai_office::xlsx::*;

use super::{d, line, read_only_sheet};

fn sheet(findings: Vec<FindingBlock>) -> LedgerSheet {
    LedgerSheet {
        name: "示例单位".into(),
        title: "示例单位巡察整改台账".into(),
        notes: vec![
            "巡察轮次：示例市委第二轮巡察　反馈日期：2024年5月10日".into(),
            "红色：已逾期；黄色：10天内到期；绿色：20天内到期".into(),
        ],
        findings,
    }
}

#[test]
fn a_ledger_reads_back_as_written() {
    let progress = [
        Progress {
            date: Some(d("2024-06-01")),
            text: "召开党组会专题研究".into(),
        },
        Progress {
            date: Some(d("2024-07-15")),
            text: "修订完成\n已印发执行".into(),
        },
    ];
    let findings = vec![
        FindingBlock {
            category: "一、落实主体责任方面\n（一）责任传导不到位".into(),
            title: "党组会议研究全面从严治党工作次数偏少".into(),
            signed_off: Value::Date(d("2024-09-30")),
            evidence: "党组会议纪要.pdf\n工作规则.docx".into(),
            tone: None,
            measures: vec![
                line(
                    "每季度至少专题研究一次",
                    MeasureKind::LongTerm,
                    "张三",
                    None,
                    MeasureStatus::Done,
                    &progress,
                    "长期坚持理由：制度性安排",
                ),
                line(
                    "修订党组工作规则",
                    MeasureKind::ByDeadline,
                    "李四",
                    Some(d("2024-08-31")),
                    MeasureStatus::Done,
                    &[],
                    "",
                ),
            ],
        },
        FindingBlock {
            category: "一、落实主体责任方面\n（一）责任传导不到位".into(),
            title: "谈心谈话流于形式".into(),
            signed_off: Value::Empty,
            evidence: String::new(),
            tone: Some(Tone::Red),
            measures: vec![line(
                "制定谈心谈话计划",
                MeasureKind::Immediate,
                "王五",
                Some(d("2024-06-30")),
                MeasureStatus::InProgress,
                &[],
                "",
            )],
        },
        FindingBlock {
            category: "二、作风建设方面".into(),
            title: "没有措施的问题".into(),
            signed_off: Value::text("已申请销号，待审核"),
            evidence: String::new(),
            tone: None,
            measures: vec![],
        },
    ];
    let bytes = write(&Book {
        tables: vec![],
        ledgers: vec![sheet(findings)],
    })
    .expect("write");
    let read = read_only_sheet(&bytes).expect("read");
    assert_eq!(read.feedback_date, Some(d("2024-05-10")));
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(read.findings.len(), 3);
    let f = &read.findings[0];
    assert_eq!(f.row, 5, "title, two notes and the header come first");
    assert_eq!(f.category, "一、落实主体责任方面\n（一）责任传导不到位");
    assert_eq!(f.signed_off, Some(SignedOff::On(d("2024-09-30"))));
    assert_eq!(f.evidence, "党组会议纪要.pdf\n工作规则.docx");
    assert_eq!(f.measures.len(), 2);
    let m = &f.measures[0];
    assert_eq!(m.kind, Some(MeasureKind::LongTerm));
    assert_eq!(m.due, Due::LongTerm);
    assert_eq!(m.progress, progress);
    assert_eq!(m.status, Some(MeasureStatus::Done));
    assert_eq!(m.remark, "长期坚持理由：制度性安排");
    assert_eq!(f.measures[1].due, Due::On(d("2024-08-31")));
    assert_eq!(
        read.findings[1].measures[0].kind,
        Some(MeasureKind::Immediate)
    );
    assert_eq!(read.findings[1].serial, "2");
    assert_eq!(read.findings[2].measures, vec![]);
    assert_eq!(
        read.findings[2].signed_off,
        Some(SignedOff::Text("已申请销号，待审核".into()))
    );
    assert_eq!(read.first_difference(&read.clone()), None);
}

#[test]
fn the_round_workbook_has_a_summary_first() {
    let table = Table {
        name: "汇总".into(),
        title: "汇总表".into(),
        notes: vec![],
        columns: vec![
            ("序号".into(), 5.0),
            ("单位".into(), 20.0),
            ("完成率".into(), 8.0),
        ],
        rows: vec![vec![
            Value::Number(1.0),
            Value::text("甲单位"),
            Value::Percent(0.5),
        ]],
        total: Some(vec![Value::text("合计"), Value::Empty, Value::Percent(0.5)]),
    };
    let bytes = write(&Book {
        tables: vec![table],
        ledgers: vec![sheet(vec![]), sheet(vec![])],
    })
    .expect("write");
    let book = open(&bytes).expect("open");
    assert_eq!(book.sheet_names(), ["汇总", "示例单位", "示例单位(2)"]);
}

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(
        "[\u{4e00}-\u{4e3f}a-zA-Z，。《》（）“”、0-9][\u{4e00}-\u{4e3f}a-z，。、 0-9]{{0,{max}}}[\u{4e00}-\u{4e3f}]"
    ))
    .expect("regex")
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), text(6)]
}

fn date() -> impl Strategy<Value = Date> {
    (2000i32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, dd)| Date::ymd(y, m, dd).expect("day"))
}

fn progress() -> impl Strategy<Value = Vec<Progress>> {
    // A continuation line that opened with a date and a colon would start an update of
    // its own: the text's lines here start with a letter or a character, as prose does.
    let update =
        (date(), text(20), proptest::option::of(text(10))).prop_map(|(d, a, b)| Progress {
            date: Some(d),
            text: match b {
                Some(b) => format!("{a}\n{b}"),
                None => a,
            },
        });
    proptest::collection::vec(update, 0..3)
}

prop_compose! {
    fn measure()(
        text in text(30),
        kind in prop_oneof![Just(MeasureKind::Immediate), Just(MeasureKind::ByDeadline), Just(MeasureKind::LongTerm)],
        status in prop_oneof![Just(MeasureStatus::Pending), Just(MeasureStatus::InProgress), Just(MeasureStatus::Done)],
        lead in name(), department in name(), owner in name(),
        due in proptest::option::of(date()),
        progress in progress(),
        remark in name(),
    ) -> (MeasureLine, ReadMeasure) {
        let mut written = line(&text, kind, &owner, due, status, &progress, &remark);
        written.lead = lead.clone();
        written.department = department.clone();
        let read_due = match (due, kind) {
            (Some(d), _) => Due::On(d),
            (None, MeasureKind::LongTerm) => Due::LongTerm,
            (None, _) => Due::None,
        };
        let read = ReadMeasure {
            row: 0, text, kind: Some(kind), lead, department, owner, due: read_due,
            status: Some(status), status_note: String::new(), progress, remark,
        };
        (written, read)
    }
}

prop_compose! {
    fn finding()(
        category in text(10),
        aspect in proptest::option::of(text(10)),
        title in text(60),
        signed in proptest::option::of(date()),
        evidence in name(),
        measures in proptest::collection::vec(measure(), 0..4),
    ) -> (FindingBlock, ReadFinding) {
        let category = match aspect {
            Some(a) => format!("{category}\n{a}"),
            None => category,
        };
        let block = FindingBlock {
            category: category.clone(),
            title: title.clone(),
            signed_off: signed.map_or(Value::Empty, Value::Date),
            evidence: evidence.clone(),
            tone: None,
            measures: measures.iter().map(|(w, _)| w.clone()).collect(),
        };
        let read = ReadFinding {
            row: 0, serial: String::new(), category, title,
            signed_off: signed.map(SignedOff::On), evidence,
            measures: measures.into_iter().map(|(_, r)| r).collect(),
        };
        (block, read)
    }
}

fn without_rows(mut f: ReadFinding) -> ReadFinding {
    f.row = 0;
    f.serial = String::new();
    for m in &mut f.measures {
        m.row = 0;
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_ledger_reads_back_as_written(findings in proptest::collection::vec(finding(), 1..6)) {
        let blocks: Vec<FindingBlock> = findings.iter().map(|(b, _)| b.clone()).collect();
        let bytes = write(&Book { tables: vec![], ledgers: vec![sheet(blocks)] }).expect("write");
        let read = read_only_sheet(&bytes).expect("read");
        let got: Vec<ReadFinding> = read.findings.into_iter().map(without_rows).collect();
        let want: Vec<ReadFinding> = findings.into_iter().map(|(_, r)| r).collect();
        prop_assert_eq!(got, want);
    }
}
