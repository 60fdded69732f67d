use zhenggai_core::FindingCommandKind as C;
use zhenggai_core::*;
use zhenggai_store::Work;
use zhenggai_testkit::*;

use super::{apply, finding, ready_for_closure, snapshot, start_work};

async fn closure_rules_hold_in_the_store(db: &Db) {
    seed(db.store()).await;
    let f = "fb1.f1";
    start_work(db, f).await;
    let events = db.store.event_count().await.expect("count");
    let err = apply(db, &editor(), command(f, C::RequestClosure, ""))
        .await
        .expect_err("measures open");
    assert_eq!(err.code(), "measures_incomplete");
    db.store
        .apply(&editor(), finish_measures(&finding(db, f).await))
        .await
        .expect("done");
    let err = apply(db, &editor(), command(f, C::RequestClosure, ""))
        .await
        .expect_err("no evidence");
    assert_eq!(err.code(), "evidence_missing");
    let err = db
        .store
        .apply(&office(), evidence(f, "纪要.pdf", b"x"))
        .await
        .expect_err("office cannot upload");
    assert_eq!(err.code(), "forbidden");
    db.store
        .apply(&editor(), evidence(f, "纪要.pdf", b"x"))
        .await
        .expect("evidence");
    apply(db, &editor(), command(f, C::RequestClosure, ""))
        .await
        .expect("request");

    let err = apply(db, &editor(), command(f, C::SignOff, ""))
        .await
        .expect_err("unit cannot sign off");
    assert_eq!(err.code(), "forbidden");
    // The same person, by user id, acting in the office's role.
    let same = Actor {
        role: Role::Office,
        scope: Scope::All,
        ..editor()
    };
    let err = apply(db, &same, command(f, C::SignOff, ""))
        .await
        .expect_err("same person");
    assert_eq!(err.code(), "same_person");
    // Another person of the same name is a second person.
    let namesake = Actor {
        user_id: "usr-namesake".into(),
        role: Role::Office,
        scope: Scope::All,
        ..editor()
    };
    let steps = [
        (supervisor(), C::Return, "请补充材料"),
        (editor(), C::RequestClosure, ""),
        (namesake, C::SignOff, "同意"),
        (supervisor(), C::Reopen, "回头看发现反弹"),
        (editor(), C::Resume, ""),
    ];
    for (who, cmd, reason) in steps {
        apply(db, &who, command(f, cmd, reason))
            .await
            .unwrap_or_else(|e| panic!("{cmd:?} by {}: {e}", who.name));
    }
    // 2 measures, evidence, 6 transitions; refused commands left no event.
    assert_eq!(db.store.event_count().await.expect("count"), events + 9);
    let found = finding(db, f).await;
    assert_eq!(found.status, FindingStatus::InProgress);
    let path: Vec<_> = found.transitions.iter().map(|t| t.to).collect();
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
    assert_eq!(found.transitions[5].actor_id, "usr-namesake");
    let fb = db.store.feedback(&operator(), "fb1").await.expect("fb1");
    validate::feedback("fb", &fb, |_| true, |_| true).expect("history valid");
    assert_eq!(db.store.verify(None).await.expect("verify").broken, None);
}

async fn a_unit_of_work_is_all_or_nothing(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    let before = snapshot(db.store()).await;
    let progress = Change::AddProgress {
        measure_id: "fb1.f1.m1".into(),
        text: "已完成摸底".into(),
    };
    let bad = Change::AddProgress {
        measure_id: "fb1.f1.m1".into(),
        text: "含\0控制字符".into(),
    };
    let err = db
        .store
        .apply(&editor(), Work::from(vec![progress.clone(), bad]))
        .await
        .expect_err("refused");
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("text"), "{err}");
    assert_eq!(snapshot(db.store()).await, before);

    let status = Change::SetMeasureStatus {
        measure_id: "fb1.f1.m1".into(),
        status: MeasureStatus::Done,
        long_term_reason: None,
    };
    let applied = db
        .store
        .apply(&editor(), Work::from(vec![progress, status]))
        .await
        .expect("work");
    let seqs: Vec<i64> = applied.iter().map(|a| a.seq).collect();
    assert_eq!(seqs, vec![before.0 + 1, before.0 + 2]);
    assert_eq!(applied[0].effect.created.as_deref(), Some("p1"));
    assert_eq!(
        (
            applied[1].effect.from.as_deref(),
            applied[1].effect.to.as_deref()
        ),
        (Some("pending"), Some("done"))
    );
    assert_eq!(applied[1].action, "set_measure_status");
}

async fn changes_take_their_date_from_the_clock(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    db.on("2025-07-03");
    let add = Change::AddProgress {
        measure_id: "fb1.f1.m1".into(),
        text: "推进中".into(),
    };
    apply(db, &editor(), add).await.expect("progress");
    let f = finding(db, "fb1.f1").await;
    assert_eq!(f.measures[0].progress[0].date, date("2025-07-03"));
    assert_eq!(f.measures[0].progress[0].author_id, editor().user_id);
    // A clock set back does not make history run backwards.
    db.on("2025-05-01");
    let err = apply(db, &supervisor(), command("fb1.f1", C::Transfer, "移交"))
        .await
        .expect_err("earlier");
    assert_eq!(err.code(), "invalid");
}

async fn a_units_people_stay_in_their_unit(db: &Db) {
    seed(db.store()).await;
    approve_plan(db.store(), "fb2", "u2").await;
    let before = snapshot(db.store()).await;
    let other = apply(db, &editor(), command("fb2.f1", C::Start, ""))
        .await
        .expect_err("other unit");
    let missing = apply(db, &editor(), command("fb9.f9", C::Start, ""))
        .await
        .expect_err("no such finding");
    // The same refusal either way: nothing tells the editor whether fb2.f1 exists.
    assert_eq!(other.code(), "forbidden");
    assert_eq!(other.to_string(), missing.to_string());
    let measure = Change::AddProgress {
        measure_id: "fb2.f1.m1".into(),
        text: "越权".into(),
    };
    assert_eq!(
        apply(db, &editor(), measure)
            .await
            .expect_err("other unit")
            .code(),
        "forbidden"
    );
    assert_eq!(snapshot(db.store()).await, before);
    let office_missing = apply(db, &office(), command("fb9.f9", C::Transfer, "x"))
        .await
        .expect_err("missing");
    assert_eq!(office_missing.code(), "not_found");
    apply(db, &editor_of("u2"), command("fb2.f1", C::Start, ""))
        .await
        .expect("own unit");
}

async fn approved_extensions_move_the_due_date(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    // fb1.f1.m1 is due 2025-06-30: overdue on 2025-07-15.
    async fn overdue(db: &Db) -> i64 {
        db.store
            .stats(&office(), date("2025-07-15"))
            .await
            .expect("stats")[0]
            .overdue
    }
    assert_eq!(overdue(db).await, 1);
    let request = |due: &str| Change::RequestExtension {
        measure_id: "fb1.f1.m1".into(),
        new_due: date(due),
        reason: "需等待上级批复".into(),
    };
    let err = apply(db, &office(), request("2025-08-31"))
        .await
        .expect_err("office does not request");
    assert_eq!(err.code(), "forbidden");
    let err = apply(db, &editor(), request("2025-06-01"))
        .await
        .expect_err("not later");
    assert_eq!(err.code(), "invalid");
    apply(db, &editor(), request("2025-08-31"))
        .await
        .expect("request");
    assert_eq!(
        apply(db, &editor(), request("2025-09-30"))
            .await
            .expect_err("one pending")
            .code(),
        "invalid"
    );
    let decide = |approve| Change::DecideExtension {
        measure_id: "fb1.f1.m1".into(),
        extension_id: "x1".into(),
        approve,
    };
    assert_eq!(
        apply(db, &editor(), decide(true))
            .await
            .expect_err("unit does not decide")
            .code(),
        "forbidden"
    );
    assert_eq!(overdue(db).await, 1, "a pending request moves nothing");
    apply(db, &office(), decide(true)).await.expect("approve");
    assert_eq!(overdue(db).await, 0);
    assert!(
        apply(db, &office(), decide(false)).await.is_err(),
        "decided once"
    );
    let f = finding(db, "fb1.f1").await;
    assert_eq!(f.measures[0].effective_due(), Some(date("2025-08-31")));
    assert_eq!(
        f.measures[0].extensions[0].decided_by_id.as_deref(),
        Some(office().user_id.as_str())
    );
}

async fn concurrent_changes_keep_one_chain(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    approve_plan(db.store(), "fb2", "u2").await;
    let before = db.store.event_count().await.expect("count");
    let updates = (0..40).map(|i| {
        let (measure, who) = if i % 2 == 0 {
            ("fb1.f1.m1", editor())
        } else {
            ("fb2.f2.m2", editor_of("u2"))
        };
        let change = Change::AddProgress {
            measure_id: measure.into(),
            text: format!("第{i}次进展"),
        };
        async move { db.store.apply(&who, Work::one(change)).await }
    });
    for r in futures_util::future::join_all(updates).await {
        r.expect("progress");
    }
    let report = db.store.verify(None).await.expect("verify");
    assert_eq!(
        (report.checked, report.broken),
        ((before + 40) as u64, None)
    );
    assert_eq!(finding(db, "fb1.f1").await.measures[0].progress.len(), 20);
}

async fn stats_count_status_overdue_and_outcomes(db: &Db) {
    seed(db.store()).await;
    approve_plan(db.store(), "fb1", "u1").await;
    let outcomes = vec![
        (
            "fb1.f1.m1",
            Outcome::Money {
                kind: MoneyKind::Refunded,
                fen: 12_345,
            },
        ),
        (
            "fb1.f2.m1",
            Outcome::Money {
                kind: MoneyKind::Refunded,
                fen: 5,
            },
        ),
        (
            "fb1.f2.m2",
            Outcome::Accountability {
                form: "诫勉谈话".into(),
                people: 3,
            },
        ),
    ];
    let work: Vec<Change> = outcomes
        .into_iter()
        .map(|(m, outcome)| Change::AddOutcome {
            measure_id: m.into(),
            outcome,
        })
        .collect();
    db.store
        .apply(&editor(), Work::from(work))
        .await
        .expect("outcomes");
    let bad = Change::AddOutcome {
        measure_id: "fb1.f1.m1".into(),
        outcome: Outcome::Accountability {
            form: "诫勉谈话".into(),
            people: 0,
        },
    };
    assert_eq!(
        apply(db, &editor(), bad)
            .await
            .expect_err("zero people")
            .code(),
        "invalid"
    );
    let stats = db
        .store
        .stats(&office(), date("2025-08-01"))
        .await
        .expect("stats");
    assert_eq!(stats.len(), 2);
    let s = &stats[0];
    assert_eq!((s.unit_id.as_str(), s.findings), ("u1", 2));
    assert_eq!(s.by_status.get(&FindingStatus::Planned), Some(&2));
    // f1.m1 due 06-30 and f2.m1 due 07-31 are past on 08-01.
    assert_eq!(s.overdue, 2);
    assert_eq!(s.outcomes.money_fen.get("refunded"), Some(&12_350));
    assert_eq!(s.outcomes.accountability_people, 3);
    // On 06-25, f1's earliest open due date (06-30) is 5 days away: yellow; f2's (07-31) is
    // 36 days away: none. On 07-15, f1 is overdue and f2 is 16 days away: green.
    let early = &db
        .store
        .stats(&office(), date("2025-06-25"))
        .await
        .expect("stats")[0]
        .warnings;
    assert_eq!((early.red, early.yellow, early.green), (0, 1, 0));
    let mid = &db
        .store
        .stats(&office(), date("2025-07-15"))
        .await
        .expect("stats")[0]
        .warnings;
    assert_eq!((mid.red, mid.yellow, mid.green), (1, 0, 1));
    // A unit's people see their unit's figures only.
    let own = db
        .store
        .stats(&editor(), date("2025-08-01"))
        .await
        .expect("stats");
    assert_eq!(
        own.iter().map(|s| s.unit_id.as_str()).collect::<Vec<_>>(),
        vec!["u1"]
    );
    assert_eq!(
        db.store
            .stats(&Actor::public(), date("2025-08-01"))
            .await
            .expect_err("public")
            .code(),
        "forbidden"
    );
}

async fn work_is_frozen_while_closure_is_reviewed(db: &Db) {
    seed(db.store()).await;
    ready_for_closure(db, "fb1.f1").await;
    apply(db, &editor(), command("fb1.f1", C::RequestClosure, ""))
        .await
        .expect("request");
    let reopen_measure = Change::SetMeasureStatus {
        measure_id: "fb1.f1.m1".into(),
        status: MeasureStatus::Pending,
        long_term_reason: None,
    };
    let err = apply(db, &editor(), reopen_measure.clone())
        .await
        .expect_err("frozen");
    assert_eq!(err.code(), "work_frozen");
    apply(db, &office(), command("fb1.f1", C::Return, "请补充"))
        .await
        .expect("return");
    apply(db, &editor(), reopen_measure)
        .await
        .expect("thawed after return");
}

/// Progress text, with a NUL (refused) in every third.
fn every_third_refused(i: i32) -> String {
    if i % 3 == 0 {
        format!("第{i}次\0")
    } else {
        format!("第{i}次进展")
    }
}

/// Concurrent units of work are committed together; the refused ones among them change
/// nothing and cost the others nothing.
async fn refused_units_among_concurrent_ones_change_nothing(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    let before = db.store.event_count().await.expect("count");
    let units = (0..60).map(|i| {
        let text = every_third_refused(i);
        let work = Work::from(vec![
            Change::AddProgress {
                measure_id: "fb1.f1.m1".into(),
                text: format!("前置{i}"),
            },
            Change::AddProgress {
                measure_id: "fb1.f1.m2".into(),
                text,
            },
        ]);
        async move { db.store.apply(&editor(), work).await }
    });
    let results = futures_util::future::join_all(units).await;
    let refused = results.iter().filter(|r| r.is_err()).count();
    assert_eq!(refused, 20);
    assert!(results.iter().flatten().all(|a| a.len() == 2));
    let f = finding(db, "fb1.f1").await;
    assert_eq!(
        (f.measures[0].progress.len(), f.measures[1].progress.len()),
        (40, 40)
    );
    let report = db.store.verify(None).await.expect("verify");
    assert_eq!(
        (report.checked, report.broken),
        ((before + 80) as u64, None)
    );
}

/// Lone changes in a shared batch take no savepoint unless they add or remove rows: a
/// refused one has written nothing, and the others commit without it.
async fn refused_lone_changes_among_concurrent_ones_change_nothing(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    let before = db.store.event_count().await.expect("count");
    let units = (0..60).map(|i| {
        let text = every_third_refused(i);
        let measure_id = format!("fb1.f1.m{}", 1 + i % 2);
        let work = Work::one(Change::AddProgress { measure_id, text });
        async move { db.store.apply(&editor(), work).await }
    });
    let results = futures_util::future::join_all(units).await;
    let refused: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(refused.len(), 20);
    assert!(refused.iter().all(|e| e.code() == "invalid"), "{refused:?}");
    let f = finding(db, "fb1.f1").await;
    assert_eq!(
        f.measures[0].progress.len() + f.measures[1].progress.len(),
        40
    );
    assert!(f
        .measures
        .iter()
        .flat_map(|m| &m.progress)
        .all(|p| !p.text.contains('\0')));
    let report = db.store.verify(None).await.expect("verify");
    assert_eq!(
        (report.checked, report.broken),
        ((before + 40) as u64, None)
    );
}

/// The internal mark is kept in the finding's body, written with its event, verified, and
/// a body without it (every ledger written before the mark existed) reads as public.
async fn findings_are_marked_internal_and_public_again_with_their_events(db: &Db) {
    seed(db.store()).await;
    let mark = |internal: bool, reason: &str| Change::MarkInternal {
        finding_id: "fb1.f2".into(),
        internal,
        reason: reason.into(),
    };
    assert_eq!(
        apply(db, &editor(), mark(true, "涉密"))
            .await
            .expect_err("the unit does not decide")
            .code(),
        "forbidden"
    );
    let applied = db
        .store
        .apply(&supervisor(), Work::one(mark(true, "涉及正在审查的案件")))
        .await
        .expect("mark");
    assert_eq!(applied[0].action, "mark_internal");
    assert!(finding(db, "fb1.f2").await.internal);
    assert!(!finding(db, "fb1.f1").await.internal);
    let fb = db
        .store
        .feedback(&operator(), "fb1")
        .await
        .expect("feedback");
    assert_eq!(
        fb.findings().filter(|f| f.internal).count(),
        1,
        "the tree carries the mark"
    );
    let events = db
        .store
        .events(
            &operator(),
            &zhenggai_store::EventQuery {
                finding_id: Some("fb1.f2".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .expect("events");
    assert!(events.items[0].payload.contains("涉及正在审查的案件"));
    apply(db, &office(), mark(false, "")).await.expect("public");
    assert!(!finding(db, "fb1.f2").await.internal);
    let report = db.store.verify(None).await.expect("verify");
    assert_eq!(report.broken, None);
}

zhenggai_testkit::on_both!(
    findings_are_marked_internal_and_public_again_with_their_events,
    refused_units_among_concurrent_ones_change_nothing,
    refused_lone_changes_among_concurrent_ones_change_nothing,
    closure_rules_hold_in_the_store,
    a_unit_of_work_is_all_or_nothing,
    changes_take_their_date_from_the_clock,
    a_units_people_stay_in_their_unit,
    approved_extensions_move_the_due_date,
    concurrent_changes_keep_one_chain,
    stats_count_status_overdue_and_outcomes,
    work_is_frozen_while_closure_is_reviewed,
);
