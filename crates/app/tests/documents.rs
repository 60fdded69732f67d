//! Notices and supervision notices written from the ledger, on both backends: the notice
//! (.txt and .docx) parses back to the ledger's tree in the ledger's words, on the demo and
//! on a generated ledger; the public version leaves out findings marked internal and ends
//! with the unit's contact block; supervision notices list exactly the overdue findings;
//! every .docx opens in python-docx and LibreOffice.

use zhenggai_app::notice_export::{self, NoticeFormat, NoticeOptions};
use zhenggai_app::supervision::{self, SupervisionOptions};
use zhenggai_app::{demo, AppError};
use zhenggai_core::*;
use zhenggai_notice::compose::{clause, one_line, NoticeKind};
use zhenggai_store::Work;
use zhenggai_testkit::{office, on_both, Db};

/// The parser makes full-width punctuation plain and drops a heading's closing 。.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect()
}

type Tree = (Vec<String>, Vec<String>, Vec<(String, Vec<String>)>);

/// The tree a notice of `fb` should read back as.
fn ledger_tree(fb: &Feedback, public: bool) -> Tree {
    let shown = |f: &&Finding| !(public && f.internal);
    let aspects_shown = |a: &&Aspect| a.findings.iter().any(|f| shown(&f));
    let cats = fb
        .categories
        .iter()
        .filter(|c| c.aspects.iter().any(|a| aspects_shown(&a)))
        .map(|c| plain(one_line(&c.title).trim_end_matches('。')))
        .collect();
    let asps = fb
        .categories
        .iter()
        .flat_map(|c| c.aspects.iter().filter(aspects_shown))
        .map(|a| plain(one_line(&a.title).trim_end_matches('。')))
        .collect();
    let findings = fb
        .findings()
        .filter(shown)
        .map(|f| {
            (
                plain(&one_line(&f.title)),
                f.measures
                    .iter()
                    .map(|m| plain(&clause(&notice_export::measure_words(m))))
                    .collect(),
            )
        })
        .collect();
    (cats, asps, findings)
}

fn read_tree(n: &zhenggai_notice::Notice) -> Tree {
    (
        n.categories.iter().map(|c| c.title.clone()).collect(),
        n.aspects.iter().map(|a| a.title.clone()).collect(),
        n.findings
            .iter()
            .map(|f| {
                (
                    f.title.clone(),
                    f.measures.iter().map(|m| m.text.clone()).collect(),
                )
            })
            .collect(),
    )
}

fn options(format: NoticeFormat, public: bool, kind: NoticeKind) -> NoticeOptions {
    NoticeOptions {
        kind,
        public,
        format,
    }
}

/// Writes the notice in both formats and parses each back.
async fn written_and_read(
    db: &Db,
    actor: &Actor,
    round: &str,
    unit: &str,
    public: bool,
    kind: NoticeKind,
) -> Vec<(zhenggai_notice::Notice, Vec<u8>)> {
    let mut out = Vec::new();
    for format in [NoticeFormat::Txt, NoticeFormat::Docx] {
        let w = notice_export::notice(
            db.store(),
            actor,
            round,
            unit,
            options(format, public, kind),
        )
        .await
        .expect("notice");
        let text = match format {
            NoticeFormat::Txt => String::from_utf8(w.bytes.clone()).expect("utf-8"),
            NoticeFormat::Docx => zhenggai_office::docx_text(&w.bytes).expect("docx"),
        };
        out.push((
            zhenggai_notice::parse_text(&text, &w.file_name, "utf-8", "0"),
            w.bytes,
        ));
    }
    out
}

async fn fill_demo(db: &Db) {
    demo::fill(db.store(), &db.clock).await.expect("demo");
}

async fn the_demo_notices_read_back_as_the_ledger(db: &Db) {
    fill_demo(db).await;
    let office = zhenggai_testkit::office();
    for (unit, name) in demo::UNITS {
        let (_, _, fb) = notice_export::find_feedback(db.store(), &office, "r-demo-3", unit)
            .await
            .expect("feedback");
        for (n, _) in written_and_read(
            db,
            &office,
            "示例市委第三轮巡察",
            name,
            false,
            NoticeKind::Progress,
        )
        .await
        {
            assert_eq!(read_tree(&n), ledger_tree(&fb, false), "{unit}");
            assert_eq!(n.unit.as_deref(), Some(*name));
            assert_eq!(n.kind, zhenggai_notice::Kind::Progress);
            assert_eq!(n.inspector.as_deref(), Some("示例市委第二巡察组"));
            assert_eq!(
                n.published.as_deref(),
                Some(db.clock.today().to_string().as_str())
            );
        }
    }
}

async fn the_public_notice_leaves_out_internal_findings(db: &Db) {
    fill_demo(db).await;
    let office = zhenggai_testkit::office();
    let (round, mut unit, fb) =
        notice_export::find_feedback(db.store(), &office, "r-demo-3", "u-cgj")
            .await
            .expect("feedback");
    let hidden: Vec<String> = fb.findings().take(2).map(|f| f.id.clone()).collect();
    let mut changes: Vec<Change> = hidden
        .iter()
        .map(|id| Change::MarkInternal {
            finding_id: id.clone(),
            internal: true,
            reason: "涉及正在审查调查的案件".into(),
        })
        .collect();
    unit.contact = Contact {
        phone: "0551-7654321".into(),
        email: "jubao@example.cn".into(),
        postcode: "230000".into(),
        mailbox: "示例市12号信箱".into(),
        address: String::new(),
    };
    changes.push(Change::EditUnit { unit });
    db.store()
        .apply(&office, Work::from(changes))
        .await
        .expect("marked");
    let (_, _, fb) = notice_export::find_feedback(db.store(), &office, &round.id, "u-cgj")
        .await
        .expect("feedback");
    assert_eq!(fb.findings().filter(|f| f.internal).count(), 2);
    let all = fb.findings().count();
    for (n, _) in written_and_read(db, &office, &round.id, "u-cgj", true, NoticeKind::Final).await {
        assert_eq!(n.findings.len(), all - 2);
        assert_eq!(read_tree(&n), ledger_tree(&fb, true));
        assert_eq!(n.kind, zhenggai_notice::Kind::Final);
        assert_eq!(
            n.contact.get("phone").map(String::as_str),
            Some("0551-7654321")
        );
        assert_eq!(
            n.contact.get("email").map(String::as_str),
            Some("jubao@example.cn")
        );
        assert_eq!(
            n.contact.get("postcode").map(String::as_str),
            Some("230000")
        );
    }
    for (n, _) in written_and_read(db, &office, &round.id, "u-cgj", false, NoticeKind::Final).await
    {
        assert_eq!(
            n.findings.len(),
            all,
            "the internal version lists every finding"
        );
    }
    // A unit's people read their own unit's notice only; another unit is as if absent.
    let editor = zhenggai_testkit::editor_of("u-nyj");
    let refused = notice_export::notice(
        db.store(),
        &editor,
        &round.id,
        "u-cgj",
        options(NoticeFormat::Txt, true, NoticeKind::Progress),
    )
    .await
    .expect_err("another unit");
    assert_eq!(refused.code(), "not_found");
    let own = notice_export::notice(
        db.store(),
        &editor,
        &round.id,
        "u-nyj",
        options(NoticeFormat::Txt, true, NoticeKind::Progress),
    )
    .await;
    assert!(own.is_ok(), "{own:?}");
}

/// A generated ledger: three categories of three aspects of five findings, each with
/// measures of its own words, some findings with one measure.
fn generated(unit: &str) -> Feedback {
    let words = [
        "建立", "台账", "督查", "通报", "约谈", "培训", "清查", "整治", "公示",
    ];
    let mut n = 0;
    let categories = (0..3)
        .map(|c| Category {
            id: format!("g.c{c}"),
            title: format!("{}方面存在差距", words[c]),
            aspects: (0..3)
                .map(|a| Aspect {
                    id: format!("g.c{c}.a{a}"),
                    title: format!("{}{}工作不扎实", words[a + 3], words[c]),
                    findings: (0..5)
                        .map(|_| {
                            n += 1;
                            let measures = (0..1 + n % 3)
                                .map(|m| {
                                    let mut x = zhenggai_testkit::measure(
                                        &format!("g.f{n}.m{m}"),
                                        "2025-09-30",
                                    );
                                    x.text = format!(
                                        "{}{}问题清单，完成{}项，涉及资金{}.5万元",
                                        words[(n + m) % 9],
                                        words[(n * 7 + m) % 9],
                                        n + m,
                                        n * 3
                                    );
                                    x
                                })
                                .collect();
                            let mut f = zhenggai_testkit::finding(&format!("g.f{n}"), measures);
                            f.title = format!("{}不到位第{n}项", words[n % 9]);
                            f
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Feedback {
        id: "g".into(),
        round_id: "r1".into(),
        unit_id: unit.into(),
        date: zhenggai_testkit::date("2025-05-10"),
        plan: Plan::default(),
        categories,
    }
}

async fn a_generated_ledger_reads_back(db: &Db) {
    let op = zhenggai_testkit::operator();
    let mut tx = db.store().begin_import(&op).await.expect("begin");
    tx.put_round("rounds[0]", &zhenggai_testkit::round())
        .await
        .expect("round");
    tx.put_unit("units[0]", &zhenggai_testkit::unit("u1"))
        .await
        .expect("unit");
    tx.put_feedback("feedbacks[0]", &generated("u1"))
        .await
        .expect("feedback");
    tx.commit().await.expect("commit");
    let (_, _, fb) = notice_export::find_feedback(db.store(), &op, "r1", "u1")
        .await
        .expect("feedback");
    assert_eq!(fb.findings().count(), 45);
    for (n, _) in written_and_read(db, &op, "r1", "u1", false, NoticeKind::Progress).await {
        assert_eq!(read_tree(&n), ledger_tree(&fb, false));
    }
}

async fn supervision_notices_list_the_overdue_findings(db: &Db) {
    fill_demo(db).await;
    let office = zhenggai_testkit::office();
    let today = db.clock.today();
    let docs = supervision::for_round(
        db.store(),
        &office,
        "r-demo-3",
        None,
        &SupervisionOptions::default(),
    )
    .await
    .expect("supervision");
    let mut expected_units = 0;
    for (unit, name) in demo::UNITS {
        let (_, _, fb) = notice_export::find_feedback(db.store(), &office, "r-demo-3", unit)
            .await
            .expect("feedback");
        let overdue: Vec<&Finding> = fb
            .findings()
            .filter(|f| f.live_due().is_some_and(|d| d < today))
            .collect();
        let doc = docs.iter().find(|d| d.file_name.contains(name));
        if overdue.is_empty() {
            assert!(doc.is_none(), "{unit} has nothing overdue");
            continue;
        }
        expected_units += 1;
        let doc = doc.expect("a notice for a unit with overdue findings");
        let text = zhenggai_office::docx_text(&doc.bytes).expect("docx");
        assert!(text.contains(&format!("{name}：")), "{text}");
        let due = policy::reply_due(today, policy::DEFAULT_REPLY_WORKING_DAYS).zh();
        assert!(text.contains(&format!("于{due}前")), "{text}");
        assert!(
            text.contains(&format!("有{}个问题", overdue.len())),
            "{text}"
        );
        for f in &overdue {
            assert!(text.contains(&one_line(&f.title)), "{}", f.title);
            assert!(text.contains(&f.live_due().expect("due").zh()));
        }
        let not_overdue = fb
            .findings()
            .filter(|f| !overdue.iter().any(|o| o.id == f.id));
        for f in not_overdue {
            assert!(
                !text.contains(&format!("\n{}\n", one_line(&f.title))),
                "{}",
                f.title
            );
        }
    }
    assert_eq!(docs.len(), expected_units);
    assert!(expected_units > 0, "the demo has overdue findings");
    // One unit only, and by feedback id as the web asks.
    let one = supervision::for_round(
        db.store(),
        &office,
        "r-demo-3",
        Some("u-cgj"),
        &SupervisionOptions::default(),
    )
    .await
    .expect("one unit");
    assert!(one.len() <= 1);
    let by_feedback = supervision::for_feedback(
        db.store(),
        &office,
        "fb-cgj",
        &SupervisionOptions::default(),
    )
    .await
    .expect("by feedback");
    assert_eq!(by_feedback.is_some(), one.len() == 1);
    // A template that cannot be filled is refused with its reason.
    let bad = SupervisionOptions {
        template: Some(b"PK not really".to_vec()),
        ..SupervisionOptions::default()
    };
    if !one.is_empty() {
        let e: AppError = supervision::for_feedback(db.store(), &office, "fb-cgj", &bad)
            .await
            .expect_err("bad template");
        assert_eq!(e.http_status(), 422, "{e}");
    }
    // Every document opens in python-docx and LibreOffice.
    let Some(tools) = office::consumers() else {
        return;
    };
    let out = office::output_dir(&format!("app-documents-{}", db.store().backend()));
    let notice = notice_export::notice(
        db.store(),
        &office,
        "r-demo-3",
        "u-cgj",
        options(NoticeFormat::Docx, false, NoticeKind::Progress),
    )
    .await
    .expect("notice");
    let mut files = vec![(out.join("notice-demo.docx"), notice.bytes)];
    for (i, d) in docs.into_iter().enumerate() {
        files.push((out.join(format!("supervision-{i}.docx")), d.bytes));
    }
    for (path, bytes) in &files {
        std::fs::write(path, bytes).expect("write");
        let read = tools.python(
            "import sys, docx\nd = docx.Document(sys.argv[1])\ns = d.sections[0]\nprint(round(s.page_width.mm), round(s.page_height.mm), len(d.paragraphs) > 3)",
            &[path],
        );
        assert_eq!(read.trim(), "210 297 True", "{}", path.display());
        let pdf = tools.to_pdf(path, &out);
        assert!(tools.pages(&pdf) >= 1);
    }
    let pdf = tools.to_pdf(&files[0].0, &out);
    tools.page_png(&pdf, 1, &out.join("notice-demo-page1.png"));
    let pdf = tools.to_pdf(&files[1].0, &out);
    tools.page_png(&pdf, 1, &out.join("supervision-demo-page1.png"));
}

on_both!(
    the_demo_notices_read_back_as_the_ledger,
    the_public_notice_leaves_out_internal_findings,
    a_generated_ledger_reads_back,
    supervision_notices_list_the_overdue_findings,
);
