use zhenggai_core::FindingCommandKind as C;
use zhenggai_core::*;
use zhenggai_store::Work;
use zhenggai_testkit::*;

use super::{apply, ready_for_closure};

/// The seed ledger with fb1.f1 requested for closure and signed off on 2025-07-10.
async fn one_signed_off_in_july(db: &Db) {
    seed(db.store()).await;
    ready_for_closure(db, "fb1.f1").await;
    db.on("2025-07-10");
    apply(db, &editor(), command("fb1.f1", C::RequestClosure, ""))
        .await
        .expect("request");
    apply(db, &office(), command("fb1.f1", C::SignOff, "同意"))
        .await
        .expect("sign off");
}

/// One finding of four signed off in July, outcomes recorded: the report counts it by
/// unit, by category and by month, and says so in the published sentence.
async fn the_report_counts_by_unit_category_and_month(db: &Db) {
    one_signed_off_in_july(db).await;
    let outcomes = [
        Outcome::Accountability {
            form: "诫勉谈话".into(),
            people: 2,
        },
        Outcome::Accountability {
            form: "党纪处分".into(),
            people: 1,
        },
        Outcome::Rule {
            change: RuleChange::New,
            title: "公务接待管理办法".into(),
        },
        Outcome::Money {
            kind: MoneyKind::Refunded,
            fen: 12_345_600,
        },
    ];
    let work: Vec<Change> = outcomes
        .into_iter()
        .map(|outcome| Change::AddOutcome {
            measure_id: "fb1.f2.m1".into(),
            outcome,
        })
        .collect();
    db.store
        .apply(&editor(), Work::from(work))
        .await
        .expect("outcomes");

    let today = date("2025-08-01");
    let r = db
        .store
        .report(&office(), today, Some("r1"))
        .await
        .expect("report");
    assert_eq!(r.round_id.as_deref(), Some("r1"));
    assert_eq!(
        (r.totals.findings, r.totals.done, r.totals.not_done),
        (4, 1, 3)
    );
    assert_eq!(r.units.len(), 2);
    assert_eq!(r.categories.len(), 1);
    assert_eq!(r.categories[0].title, "党的领导弱化");
    assert_eq!(r.categories[0].by_status.values().sum::<i64>(), 4);
    assert_eq!(
        r.months
            .iter()
            .map(|m| (m.month.as_str(), m.closed))
            .collect::<Vec<_>>(),
        [("2025-07", 1)]
    );
    assert_eq!(r.outcomes.accountability_people, 3);
    assert_eq!(r.outcomes.accountability_by_form.get("诫勉谈话"), Some(&2));
    assert_eq!(r.outcomes.accountability_by_form.get("党纪处分"), Some(&1));
    let text = r.paragraph();
    assert!(
        text.starts_with("截至2025年8月1日，测试市委第一轮巡察反馈的4个问题，已完成整改1个、未完成3个，整改完成率25%"),
        "{text}"
    );
    assert!(text.contains("完善和新建制度1项（新建1项）"), "{text}");
    assert!(text.contains("清退资金12.35万元"), "{text}");
    assert!(
        text.contains("问责3人（党纪处分1人、诫勉谈话2人）"),
        "{text}"
    );

    // A unit's people see their unit only; a reopened finding leaves the month's count.
    let mine = db
        .store
        .report(&editor(), today, Some("r1"))
        .await
        .expect("unit");
    assert_eq!((mine.units.len(), mine.totals.findings), (1, 2));
    let theirs = db
        .store
        .report(&editor_of("u2"), today, None)
        .await
        .expect("other unit");
    assert_eq!((theirs.totals.findings, theirs.months.len()), (2, 0));
    apply(
        db,
        &supervisor(),
        command("fb1.f1", C::Reopen, "回头看发现反弹"),
    )
    .await
    .expect("reopen");
    let after = db
        .store
        .report(&office(), today, None)
        .await
        .expect("all rounds");
    assert!(after.months.is_empty());
    assert_eq!(after.round, None);
    assert!(after
        .paragraph()
        .contains("各轮巡察反馈的4个问题，已完成整改0个"));
    let err = db
        .store
        .report(&office(), today, Some("nope"))
        .await
        .expect_err("no such round");
    assert_eq!(err.code(), "not_found");
    let verify = db.store.verify(None).await.expect("verify");
    assert!(verify.broken.is_none(), "{:?}", verify.broken);
}

/// A ledger written before the closures table has no rows there for the findings done
/// before it: the months count them from their history all the same.
async fn findings_done_before_the_closures_table_count_in_their_month(db: &Db) {
    one_signed_off_in_july(db).await;
    let months = |r: &zhenggai_core::report::Report| {
        r.months
            .iter()
            .map(|m| (m.month.clone(), m.closed))
            .collect::<Vec<_>>()
    };
    let today = date("2025-08-01");
    let before = db
        .store
        .report(&office(), today, None)
        .await
        .expect("report");
    assert_eq!(months(&before), [("2025-07".to_string(), 1)]);
    // As the ledger looked before the table: the row is not there.
    db.exec("DELETE FROM closures").await;
    for round in [None, Some("r1")] {
        let r = db
            .store
            .report(&office(), today, round)
            .await
            .expect("report");
        assert_eq!(months(&r), months(&before), "{round:?}");
    }
    let theirs = db
        .store
        .report(&editor_of("u2"), today, None)
        .await
        .expect("other unit");
    assert!(theirs.months.is_empty(), "another unit's closure");
}

zhenggai_testkit::on_both!(
    the_report_counts_by_unit_category_and_month,
    findings_done_before_the_closures_table_count_in_their_month
);
