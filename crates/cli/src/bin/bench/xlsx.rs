//! The Excel ledger's timings for zhenggai-bench: a round's workbook written from the
//! imported ledger, and a workbook of 10,000 measure rows read, checked and imported.

use std::time::Instant;

use zhenggai_app::ledger_xlsx;
use zhenggai_core::{Actor, Date, Unit};
use zhenggai_office::xlsx::{self, Book, FindingBlock, LedgerSheet, MeasureLine, Value};
use zhenggai_store::Store;

/// A unit's sheet of `rows` measure rows, three to a finding, as an office would fill it.
fn big_sheet(rows: usize, due: Date) -> LedgerSheet {
    let findings = rows.div_ceil(3);
    LedgerSheet {
        name: "大台账".into(),
        title: "大台账单位落实巡视反馈意见整改台账".into(),
        notes: vec!["反馈日期：2025年5月10日".into()],
        findings: (0..findings)
            .map(|f| FindingBlock {
                category: format!("{}、第{}方面问题\n第{}类问题", f / 500 + 1, f / 500 + 1, f / 50 + 1),
                title: format!("第{f}个问题：制度执行不到位，监督检查流于形式，整改责任压得不实"),
                signed_off: Value::Empty,
                evidence: String::new(),
                tone: None,
                measures: (0..3)
                    .map(|m| MeasureLine {
                        text: format!("第{f}个问题第{m}项措施：修订完善相关制度，开展专项检查并建立台账，逐项对账销号"),
                        kind: "限期整改".into(),
                        lead: "分管副局长".into(),
                        department: "办公室".into(),
                        owner: format!("责任人{}", m + f % 7),
                        due: Value::Date(due.add_days((f % 90) as i64)),
                        progress: "2025年6月1日：已召开专题会议部署\n2025年7月1日：已完成制度修订初稿".into(),
                        status: "推进中".into(),
                        remark: String::new(),
                        tone: None,
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub async fn run(
    store: &dyn Store,
    me: &Actor,
    today: Date,
    peak: fn() -> f64,
) -> anyhow::Result<()> {
    // What reading the round's feedbacks costs, apart from laying them out.
    let t = Instant::now();
    let feedbacks = store.feedbacks(me).await?;
    for f in &feedbacks {
        store.feedback(me, &f.id).await?;
    }
    println!(
        "reading the round's {} feedbacks: {:.2} s",
        feedbacks.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let bytes = ledger_xlsx::export(store, me, "r1", None, today).await?;
    let secs = t.elapsed().as_secs_f64();
    let sheets = xlsx::open(&bytes)
        .map(|b| b.sheet_names().len())
        .unwrap_or(0);
    println!(
        "round workbook: {sheets} sheets, {:.1} MiB in {secs:.2} s, peak RSS {:.0} MiB",
        bytes.len() as f64 / 1_048_576.0,
        peak()
    );

    let rows = 10_000;
    let bytes = xlsx::write(&Book {
        tables: vec![],
        ledgers: vec![big_sheet(rows, today)],
    })?;
    let mut tx = store.begin_import(me).await?;
    let unit = Unit {
        id: "u-xlsx".into(),
        name: "大台账".into(),
        contact: Default::default(),
    };
    tx.put_unit("unit", &unit).await?;
    tx.commit().await?;
    let t = Instant::now();
    let prepared =
        ledger_xlsx::prepare(store, me, "big.xlsx", &bytes, "r1", &unit.id, today).await?;
    let checked = t.elapsed().as_secs_f64();
    let summary = ledger_xlsx::import(store, me, "big.xlsx", &prepared).await?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "import of a {rows}-row workbook ({:.1} MiB): {} findings, {} measures in {secs:.2} s (read and checked in {checked:.2} s), peak RSS {:.0} MiB",
        bytes.len() as f64 / 1_048_576.0,
        summary.findings,
        summary.measures,
        peak()
    );
    Ok(())
}
