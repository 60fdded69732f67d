//! The store's contract, run on SQLite and PostgreSQL alike.

mod common;

use common::*;
use zhenggai_core::*;
use zhenggai_store::{Change, StoreError};

async fn snapshot(db: &Db) -> (i64, Vec<Feedback>) {
    let mut fbs = vec![];
    for id in db.store.feedback_ids().await.expect("ids") {
        fbs.push(db.store.feedback(&id).await.expect("feedback"));
    }
    (db.store.event_count().await.expect("count"), fbs)
}

fn finding_cmd(id: &str, command: FindingCommandKind) -> Change {
    Change::Finding {
        finding_id: id.into(),
        command,
        reason: "测试".into(),
        evidence: vec![],
    }
}

async fn apply(db: &Db, who: &Actor, change: Change) -> Result<(), StoreError> {
    db.store.apply(who, date("2025-06-01"), change).await
}

/// The office approves the plan and the unit starts work.
async fn start_work(db: &Db, f: &str) {
    apply(
        db,
        &office(),
        finding_cmd(f, FindingCommandKind::ApprovePlan),
    )
    .await
    .expect("approve");
    apply(db, &editor(), finding_cmd(f, FindingCommandKind::Start))
        .await
        .expect("start");
}

/// The unit attaches evidence item e1 to the finding.
async fn attach_evidence(db: &Db, f: &str) {
    let change = Change::AttachEvidence {
        finding_id: f.into(),
        evidence: evidence("e1"),
    };
    apply(db, &editor(), change).await.expect("evidence");
}

async fn complete_finding(db: &Db, fid: &str) {
    for m in ["m1", "m2"] {
        apply(
            db,
            &editor(),
            Change::SetMeasureStatus {
                measure_id: format!("{fid}.{m}"),
                status: MeasureStatus::Done,
                long_term_reason: None,
            },
        )
        .await
        .expect("measure done");
    }
}

async fn imported_tree_reads_back_identically(db: &Db) {
    seed(db.store.as_ref()).await;
    assert_eq!(
        db.store.feedback("fb1").await.expect("fb1"),
        feedback("fb1", "u1")
    );
    assert_eq!(db.store.rounds().await.expect("rounds"), vec![round()]);
    assert_eq!(
        db.store.feedback_ids().await.expect("ids"),
        vec!["fb1", "fb2"]
    );
    // round, 2 units, per feedback: header, category, aspect, 2 findings
    assert_eq!(db.store.event_count().await.expect("events"), 3 + 2 * 5);
    assert_eq!(db.store.verify().await.expect("verify").broken, None);
}

async fn failed_import_changes_nothing(db: &Db) {
    seed(db.store.as_ref()).await;
    let before = snapshot(db).await;
    let mut tx = db.store.begin_import("test").await.expect("begin");
    tx.put_feedback("feedbacks[0]", &feedback("fb3", "u1"))
        .await
        .expect("valid record");
    let mut bad = feedback("fb4", "u2");
    bad.categories[0].aspects[0].findings[1].status = FindingStatus::Closed;
    let err = tx
        .put_feedback("feedbacks[1]", &bad)
        .await
        .expect_err("closed without history");
    assert_eq!(err.code(), "invalid_record");
    assert!(
        err.to_string()
            .starts_with("feedbacks[1].categories[0].aspects[0].findings[1].status"),
        "{err}"
    );
    drop(tx);
    assert_eq!(snapshot(db).await, before);
}

async fn reimport_merges_and_conflicts_change_nothing(db: &Db) {
    seed(db.store.as_ref()).await;
    let before = snapshot(db).await;
    let mut tx = db.store.begin_import("test").await.expect("begin");
    tx.put_round("rounds[0]", &round())
        .await
        .expect("same round");
    tx.put_feedback("feedbacks[0]", &feedback("fb1", "u1"))
        .await
        .expect("same feedback");
    let summary = tx.commit().await.expect("commit");
    assert_eq!((summary.unchanged, summary.events), (2, 0));
    assert_eq!(snapshot(db).await, before);

    let mut tx = db.store.begin_import("test").await.expect("begin");
    let mut changed = feedback("fb1", "u1");
    changed.categories[0].title = "另一个标题".into();
    let err = tx
        .put_feedback("feedbacks[0]", &changed)
        .await
        .expect_err("conflict");
    assert_eq!(err.code(), "conflict");
    drop(tx);

    // A new feedback reusing a stored measure id is refused at that measure.
    let mut tx = db.store.begin_import("test").await.expect("begin");
    let mut clash = feedback("fb9", "u1");
    clash.categories[0].aspects[0].findings[0].measures[1].id = "fb2.f2.m1".into();
    let err = tx
        .put_feedback("feedbacks[0]", &clash)
        .await
        .expect_err("clash");
    assert_eq!(err.code(), "conflict");
    assert!(
        err.to_string().contains("findings[0].measures[1].id"),
        "{err}"
    );
    drop(tx);
    assert_eq!(snapshot(db).await, before);
}

async fn closure_rules_hold_in_the_store(db: &Db) {
    seed(db.store.as_ref()).await;
    let f = "fb1.f1";
    start_work(db, f).await;
    let events = db.store.event_count().await.expect("count");

    let err = apply(
        db,
        &editor(),
        finding_cmd(f, FindingCommandKind::RequestClosure),
    )
    .await
    .expect_err("measures open");
    assert_eq!(err.code(), "measures_incomplete");
    complete_finding(db, f).await;
    let err = apply(
        db,
        &editor(),
        finding_cmd(f, FindingCommandKind::RequestClosure),
    )
    .await
    .expect_err("no evidence");
    assert_eq!(err.code(), "evidence_missing");
    let err = apply(
        db,
        &office(),
        Change::AttachEvidence {
            finding_id: f.into(),
            evidence: evidence("e1"),
        },
    )
    .await
    .expect_err("office cannot upload");
    assert_eq!(err.code(), "forbidden");
    attach_evidence(db, f).await;
    apply(
        db,
        &editor(),
        finding_cmd(f, FindingCommandKind::RequestClosure),
    )
    .await
    .expect("request");

    let err = apply(db, &editor(), finding_cmd(f, FindingCommandKind::SignOff))
        .await
        .expect_err("unit cannot sign off");
    assert_eq!(err.code(), "forbidden");
    let requester_as_office = Actor::new(editor().name, Role::Office);
    let err = apply(
        db,
        &requester_as_office,
        finding_cmd(f, FindingCommandKind::SignOff),
    )
    .await
    .expect_err("same person");
    assert_eq!(err.code(), "same_person");
    // Returned, asked again, signed off, reopened by a follow-up, resumed.
    use FindingCommandKind as C;
    let steps = [
        (supervisor(), C::Return),
        (editor(), C::RequestClosure),
        (office(), C::SignOff),
        (supervisor(), C::Reopen),
        (editor(), C::Resume),
    ];
    for (who, command) in steps {
        apply(db, &who, finding_cmd(f, command))
            .await
            .unwrap_or_else(|e| panic!("{command:?} by {}: {e}", who.name));
    }

    // 2 measures + evidence + 6 transitions; refused commands left no event.
    assert_eq!(db.store.event_count().await.expect("count"), events + 9);
    let fb = db.store.feedback("fb1").await.expect("fb1");
    let finding = fb.findings().next().expect("finding");
    assert_eq!(finding.status, FindingStatus::InProgress);
    let path: Vec<_> = finding.transitions.iter().map(|t| t.to).collect();
    use FindingStatus::*;
    assert_eq!(
        path,
        vec![
            Planned,
            InProgress,
            ClosureRequested,
            InProgress,
            ClosureRequested,
            Closed,
            Reopened,
            InProgress
        ]
    );
    // The stored history passes the import validator: what the store writes it can read back.
    zhenggai_core::validate::feedback("fb", &fb, |_| true, |_| true).expect("history valid");
    assert_eq!(db.store.verify().await.expect("verify").broken, None);
}

async fn failed_change_rolls_back(db: &Db) {
    seed(db.store.as_ref()).await;
    let f = "fb1.f1";
    start_work(db, f).await;
    complete_finding(db, f).await;
    attach_evidence(db, f).await;
    let before = snapshot(db).await;
    let dangling = Change::Finding {
        finding_id: f.into(),
        command: FindingCommandKind::RequestClosure,
        reason: String::new(),
        evidence: vec!["nope".into()],
    };
    let err = apply(db, &editor(), dangling)
        .await
        .expect_err("dangling evidence");
    assert_eq!(err.code(), "not_found");
    let dup = apply(
        db,
        &editor(),
        Change::AttachEvidence {
            finding_id: f.into(),
            evidence: evidence("e1"),
        },
    )
    .await;
    assert!(dup.is_err());
    assert_eq!(snapshot(db).await, before);
}

async fn verify_names_the_edited_event(db: &Db) {
    seed(db.store.as_ref()).await;
    assert_eq!(db.store.verify().await.expect("verify").checked, 13);
    db.exec(
        "UPDATE events SET payload = REPLACE(payload, '测试单位u2', '测试单位X') WHERE seq = 3",
    )
    .await;
    let report = db.store.verify().await.expect("verify");
    assert_eq!(report.broken.map(|b| b.0), Some(3));
    assert_eq!(report.checked, 2);
}

async fn verify_names_deleted_and_reordered_events(db: &Db) {
    seed(db.store.as_ref()).await;
    db.exec("DELETE FROM events WHERE seq = 13").await;
    assert_eq!(
        db.store.verify().await.expect("verify").broken.map(|b| b.0),
        Some(13)
    );
    db.exec("DELETE FROM events WHERE seq = 5").await;
    assert_eq!(
        db.store.verify().await.expect("verify").broken.map(|b| b.0),
        Some(6)
    );
    db.exec("UPDATE events SET seq = seq + 100 WHERE seq IN (7, 8)")
        .await;
    db.exec("UPDATE events SET seq = 8 WHERE seq = 107").await;
    db.exec("UPDATE events SET seq = 7 WHERE seq = 108").await;
    assert_eq!(
        db.store.verify().await.expect("verify").broken.map(|b| b.0),
        Some(6)
    );
}

async fn stats_count_status_overdue_and_outcomes(db: &Db) {
    seed(db.store.as_ref()).await;
    apply(
        db,
        &office(),
        finding_cmd("fb1.f1", FindingCommandKind::ApprovePlan),
    )
    .await
    .expect("approve");
    apply(
        db,
        &editor(),
        Change::AddOutcome {
            measure_id: "fb1.f1.m1".into(),
            outcome: Outcome::Money {
                kind: MoneyKind::Refunded,
                fen: 12_345,
            },
        },
    )
    .await
    .expect("money");
    apply(
        db,
        &editor(),
        Change::AddOutcome {
            measure_id: "fb1.f2.m1".into(),
            outcome: Outcome::Money {
                kind: MoneyKind::Refunded,
                fen: 5,
            },
        },
    )
    .await
    .expect("money");
    apply(
        db,
        &editor(),
        Change::AddOutcome {
            measure_id: "fb1.f2.m2".into(),
            outcome: Outcome::Accountability {
                form: "诫勉谈话".into(),
                people: 3,
            },
        },
    )
    .await
    .expect("people");
    let stats = db.store.stats(date("2025-08-01")).await.expect("stats");
    assert_eq!(stats.len(), 2);
    let s = &stats[0];
    assert_eq!((s.unit_id.as_str(), s.findings), ("u1", 2));
    assert_eq!(s.by_status.get(&FindingStatus::Planned), Some(&1));
    assert_eq!(s.by_status.get(&FindingStatus::Open), Some(&1));
    // f1.m1 due 06-30 and f2.m1 due 07-31 are past on 08-01.
    assert_eq!(s.overdue, 2);
    assert_eq!(s.outcomes.money_fen.get("refunded"), Some(&12_350));
    assert_eq!(s.outcomes.accountability_people, 3);
    // On 2025-06-25, f1's earliest open due date (06-30) is 5 days away: yellow; f2's
    // (07-31) is 36 days away: no warning. On 07-15, f2 is 16 days away: green.
    let early = &db.store.stats(date("2025-06-25")).await.expect("stats")[0].warnings;
    assert_eq!((early.red, early.yellow, early.green), (0, 1, 0));
    let mid = &db.store.stats(date("2025-07-15")).await.expect("stats")[0].warnings;
    assert_eq!((mid.red, mid.yellow, mid.green), (1, 0, 1));
    assert_eq!(
        db.store.stats(date("2025-07-15")).await.expect("stats")[0].overdue,
        1
    );
    complete_finding(db, "fb1.f1").await;
    assert_eq!(
        db.store.stats(date("2025-08-01")).await.expect("stats")[0].overdue,
        1
    );
}

async fn approved_extensions_move_the_due_date(db: &Db) {
    seed(db.store.as_ref()).await;
    // fb1.f1.m1 is due 2025-06-30: overdue on 2025-07-15.
    async fn overdue(db: &Db) -> i64 {
        db.store.stats(date("2025-07-15")).await.expect("stats")[0].overdue
    }
    assert_eq!(overdue(db).await, 1);
    let request = |id: &str| Change::RequestExtension {
        measure_id: "fb1.f1.m1".into(),
        extension_id: id.into(),
        new_due: date("2025-08-31"),
        reason: "需等待上级批复".into(),
    };
    let err = apply(db, &office(), request("x1"))
        .await
        .expect_err("office does not request");
    assert_eq!(err.code(), "forbidden");
    apply(db, &editor(), request("x1")).await.expect("request");
    assert!(
        apply(db, &editor(), request("x2")).await.is_err(),
        "one pending request at a time"
    );
    let decide = |approve| Change::DecideExtension {
        measure_id: "fb1.f1.m1".into(),
        extension_id: "x1".into(),
        approve,
    };
    let err = apply(db, &editor(), decide(true))
        .await
        .expect_err("unit does not decide");
    assert_eq!(err.code(), "forbidden");
    assert_eq!(overdue(db).await, 1, "a pending request moves nothing");
    apply(db, &office(), decide(true)).await.expect("approve");
    assert_eq!(overdue(db).await, 0);
    assert!(
        apply(db, &office(), decide(false)).await.is_err(),
        "decided once"
    );
    let fb = db.store.feedback("fb1").await.expect("fb1");
    let m = &fb.findings().next().expect("finding").measures[0];
    assert_eq!(m.effective_due(), Some(date("2025-08-31")));
    zhenggai_core::validate::feedback("fb", &fb, |_| true, |_| true).expect("valid");
}

async fn concurrent_changes_keep_one_chain(db: &Db) {
    seed(db.store.as_ref()).await;
    let store = db.store.as_ref();
    let who = editor();
    let updates = (0..40).map(|i| {
        let measure = if i % 2 == 0 { "fb1.f1.m1" } else { "fb2.f2.m2" };
        store.apply(
            &who,
            date("2025-06-02"),
            Change::AddProgress {
                measure_id: measure.into(),
                update: ProgressUpdate {
                    id: format!("p{i}"),
                    date: date("2025-06-02"),
                    author: "编辑乙".into(),
                    text: format!("第{i}次进展"),
                },
            },
        )
    });
    for r in futures_util::future::join_all(updates).await {
        r.expect("progress");
    }
    let report = db.store.verify().await.expect("verify");
    assert_eq!((report.checked, report.broken), (53, None));
}

on_both!(
    imported_tree_reads_back_identically,
    failed_import_changes_nothing,
    reimport_merges_and_conflicts_change_nothing,
    closure_rules_hold_in_the_store,
    failed_change_rolls_back,
    verify_names_the_edited_event,
    verify_names_deleted_and_reordered_events,
    stats_count_status_overdue_and_outcomes,
    concurrent_changes_keep_one_chain,
    approved_extensions_move_the_due_date,
);
