//! A feedback's heading and ledger, and a finding with its history, are served from memory
//! between changes: every change shows at once, also one made by another process on the
//! same database.

use zhenggai_core::event::Event;
use zhenggai_core::*;
use zhenggai_store::{
    EventQuery, FeedbackHead, FindingQuery, FindingView, LedgerLine, Page, Store, Work,
};
use zhenggai_testkit::*;

use super::apply;

fn fb1() -> FindingQuery {
    FindingQuery {
        feedback_id: Some("fb1".into()),
        limit: 50,
        ..FindingQuery::default()
    }
}

/// Read three times, so that a cached copy is what the last read returned.
async fn read(store: &dyn Store, today: Date) -> (FeedbackHead, Page<LedgerLine>) {
    let mut last = None;
    for _ in 0..3 {
        let head = store.feedback_head(&editor(), "fb1").await.expect("head");
        let page = store
            .ledger(&editor(), today, &fb1())
            .await
            .expect("ledger");
        if let Some(previous) = &last {
            assert_eq!(previous, &(head.clone(), page.clone()), "reads differ");
        }
        last = Some((head, page));
    }
    last.expect("read")
}

/// A finding and its history, read three times like the ledger.
async fn read_finding(store: &dyn Store, id: &str) -> (FindingView, Page<Event>) {
    let q = EventQuery {
        finding_id: Some(id.into()),
        limit: 50,
        ..EventQuery::default()
    };
    let mut last = None;
    for _ in 0..3 {
        let view = store.finding(&editor(), id).await.expect("finding");
        let events = store.events(&editor(), &q).await.expect("events");
        if let Some(previous) = &last {
            assert_eq!(previous, &(view.clone(), events.clone()), "reads differ");
        }
        last = Some((view, events));
    }
    last.expect("read")
}

async fn changes_show_at_once_through_every_process(db: &Db) {
    seed(db.store()).await;
    let today = date("2025-07-15");
    let other = db.reopen().await;
    read(db.store(), today).await;
    read(other.as_ref(), today).await;

    // The plan approved by the other process: the heading says so.
    approve_plan(other.as_ref(), "fb1", "u1").await;
    let (head, before) = read(db.store(), today).await;
    assert_eq!(head.plan.status, PlanStatus::Approved);
    apply(
        db,
        &editor(),
        command("fb1.f2", FindingCommandKind::Start, ""),
    )
    .await
    .expect("start");
    let (_, started) = read(other.as_ref(), today).await;
    assert_ne!(before, started);
    let (_, history) = read_finding(db.store(), "fb1.f2").await;

    // Progress recorded by the other process.
    other
        .apply(
            &editor(),
            Work::one(Change::AddProgress {
                measure_id: "fb1.f2.m2".into(),
                text: "另一进程记录的进展".into(),
            }),
        )
        .await
        .expect("progress");
    let (_, after) = read(db.store(), today).await;
    assert_ne!(started, after);
    let progress = &after.items[1].measures[1].progress;
    assert_eq!(
        progress.last().map(|p| p.text.as_str()),
        Some("另一进程记录的进展")
    );
    let (view, newer) = read_finding(db.store(), "fb1.f2").await;
    assert_eq!(view.finding.measures[1].progress, *progress);
    assert_eq!(newer.items.len(), history.items.len() + 1);
    assert_eq!(newer.items[0].action, "add_progress");

    // The unit renamed, and the round's deadline policy changed, by this process.
    let mut unit = unit("u1");
    unit.name = "改名后的单位".into();
    db.store
        .apply(&office(), Work::one(Change::EditUnit { unit }))
        .await
        .expect("unit");
    let (head, page) = read(other.as_ref(), today).await;
    assert_eq!(head.unit.name, "改名后的单位");
    assert!(page.items.iter().all(|l| l.line.unit == "改名后的单位"));
    let mut round = round();
    round.name = "改名后的轮次".into();
    round.policy.yellow_days += 3;
    db.store
        .apply(
            &office(),
            Work::one(Change::EditRound {
                round: round.clone(),
            }),
        )
        .await
        .expect("round");
    let (head, _) = read(other.as_ref(), today).await;
    assert_eq!(head.round, round);

    // Another day: the page is read again for it.
    let later = date("2025-12-31");
    let overdue = FindingQuery {
        overdue: true,
        ..fb1()
    };
    let now = db
        .store
        .ledger(&editor(), today, &overdue)
        .await
        .expect("now");
    let then = db
        .store
        .ledger(&editor(), later, &overdue)
        .await
        .expect("later");
    assert_eq!(
        then,
        other
            .ledger(&editor(), later, &overdue)
            .await
            .expect("other")
    );
    assert_ne!(now.items.len(), then.items.len());
}

/// Someone outside the unit learns nothing from what others have read.
async fn a_cached_ledger_is_not_shown_outside_its_unit(db: &Db) {
    seed(db.store()).await;
    let today = date("2025-07-15");
    read(db.store(), today).await;
    let stranger = editor_of("u2");
    let page = db
        .store
        .ledger(&stranger, today, &fb1())
        .await
        .expect("scoped");
    assert!(page.items.is_empty());
    let refused = db.store.feedback_head(&stranger, "fb1").await;
    let uncached = db.reopen().await.feedback_head(&stranger, "fb1").await;
    assert_eq!(
        refused.map_err(|e| e.code()),
        uncached.map_err(|e| e.code())
    );
}

zhenggai_testkit::on_both!(
    changes_show_at_once_through_every_process,
    a_cached_ledger_is_not_shown_outside_its_unit,
);
