use zhenggai_core::FindingCommandKind as C;
use zhenggai_core::*;
use zhenggai_store::{EventQuery, FindingQuery};
use zhenggai_testkit::*;

use super::{apply, start_work};

fn query() -> FindingQuery {
    FindingQuery {
        limit: 50,
        ..FindingQuery::default()
    }
}

async fn one_finding_reads_with_where_it_hangs(db: &Db) {
    seed(db.store()).await;
    let view = db.store.finding(&editor(), "fb1.f2").await.expect("view");
    assert_eq!(
        view.finding,
        feedback("fb1", "u1").categories[0].aspects[0].findings[1]
    );
    assert_eq!(
        (view.unit.id.as_str(), view.round.id.as_str()),
        ("u1", "r1")
    );
    assert_eq!(
        (view.category.as_str(), view.aspect.as_str()),
        ("党的领导弱化", "学习贯彻不到位")
    );
    assert_eq!(
        (view.plan, view.live_due),
        (PlanStatus::Draft, Some(date("2025-07-31")))
    );
    let hidden = db
        .store
        .finding(&editor(), "fb2.f2")
        .await
        .expect_err("other unit");
    let missing = db
        .store
        .finding(&editor(), "nope")
        .await
        .expect_err("missing");
    assert_eq!(
        (hidden.code(), hidden.to_string()),
        (missing.code(), missing.to_string())
    );
    assert_eq!(
        db.store
            .finding(&office(), "nope")
            .await
            .expect_err("missing")
            .code(),
        "not_found"
    );
    assert_eq!(
        db.store
            .finding(&Actor::public(), "fb1.f1")
            .await
            .expect_err("public")
            .code(),
        "forbidden"
    );
}

async fn findings_list_by_filter_with_keyset_pages(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    let today = date("2025-07-15");
    let ids = |page: &zhenggai_store::Page<zhenggai_store::FindingLine>| {
        page.items.iter().map(|l| l.id.clone()).collect::<Vec<_>>()
    };
    let all = db
        .store
        .findings(&office(), today, &query())
        .await
        .expect("all");
    assert_eq!(ids(&all), vec!["fb1.f1", "fb1.f2", "fb2.f1", "fb2.f2"]);
    assert_eq!(all.next, None);
    // Two at a time, each page continuing after the last.
    let first = db
        .store
        .findings(
            &office(),
            today,
            &FindingQuery {
                limit: 2,
                ..query()
            },
        )
        .await
        .expect("p1");
    assert_eq!(ids(&first), vec!["fb1.f1", "fb1.f2"]);
    let second = FindingQuery {
        limit: 2,
        after: first.next,
        ..query()
    };
    let second = db
        .store
        .findings(&office(), today, &second)
        .await
        .expect("p2");
    assert_eq!(
        (ids(&second), second.next),
        (vec!["fb2.f1".to_string(), "fb2.f2".to_string()], None)
    );

    let by = |q: FindingQuery| async move {
        ids(&db.store.findings(&office(), today, &q).await.expect("list"))
    };
    assert_eq!(
        by(FindingQuery {
            unit_id: Some("u2".into()),
            ..query()
        })
        .await,
        vec!["fb2.f1", "fb2.f2"]
    );
    assert_eq!(
        by(FindingQuery {
            status: Some(FindingStatus::InProgress),
            ..query()
        })
        .await,
        vec!["fb1.f1"]
    );
    // m1 of every finding is due in June or July: on 07-15, f1s are overdue (06-30).
    assert_eq!(
        by(FindingQuery {
            overdue: true,
            ..query()
        })
        .await,
        vec!["fb1.f1", "fb2.f1"]
    );
    assert_eq!(
        by(FindingQuery {
            warning: Some(Warning::Red),
            ..query()
        })
        .await,
        vec!["fb1.f1", "fb2.f1"]
    );
    assert_eq!(
        by(FindingQuery {
            warning: Some(Warning::Green),
            ..query()
        })
        .await,
        vec!["fb1.f2", "fb2.f2"]
    );
    assert!(by(FindingQuery {
        warning: Some(Warning::Yellow),
        ..query()
    })
    .await
    .is_empty());
    let owned = Change::EditMeasure {
        measure_id: "fb2.f2.m2".into(),
        measure: MeasureDraft {
            text: "专人负责".into(),
            kind: MeasureKind::ByDeadline,
            lead: String::new(),
            department: String::new(),
            owner: "李四".into(),
            due: Some(date("2025-12-31")),
        },
    };
    apply(db, &editor_of("u2"), owned).await.expect("owner");
    assert_eq!(
        by(FindingQuery {
            owner: Some("李四".into()),
            ..query()
        })
        .await,
        vec!["fb2.f2"]
    );
    // A unit's people list their own unit only, whatever they ask for.
    let mine = db
        .store
        .findings(&editor(), today, &query())
        .await
        .expect("mine");
    assert_eq!(ids(&mine), vec!["fb1.f1", "fb1.f2"]);
    let theirs = FindingQuery {
        unit_id: Some("u2".into()),
        ..query()
    };
    assert!(db
        .store
        .findings(&editor(), today, &theirs)
        .await
        .expect("none")
        .items
        .is_empty());
    let line = &all.items[0];
    assert_eq!(
        (line.unit.as_str(), line.measures, line.measures_done),
        ("测试单位u1", 2, 0)
    );
}

async fn events_of_a_finding_unit_or_round_newest_first(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    apply(
        db,
        &supervisor(),
        command("fb1.f2", C::Transfer, "移交线索"),
    )
    .await
    .expect("transfer");
    let q = |f: fn(&mut EventQuery)| {
        let mut q = EventQuery {
            limit: 50,
            ..EventQuery::default()
        };
        f(&mut q);
        q
    };
    let of_f1 = db
        .store
        .events(&office(), &q(|q| q.finding_id = Some("fb1.f1".into())))
        .await
        .expect("f1");
    let actions: Vec<&str> = of_f1.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec!["start", "approve_plan", "submit_plan", "import", "import"]
    );
    let of_u1 = db
        .store
        .events(&office(), &q(|q| q.unit_id = Some("u1".into())))
        .await
        .expect("u1");
    // the unit, its feedback and 2 findings, submit, approve, start, transfer
    assert_eq!(of_u1.items.len(), 8);
    let by_sup = db
        .store
        .events(&office(), &q(|q| q.actor_id = Some(supervisor().user_id)))
        .await
        .expect("sup");
    assert_eq!(by_sup.items.len(), 1);
    // Paged newest first.
    let page = db
        .store
        .events(&office(), &q(|q| q.limit = 3))
        .await
        .expect("page");
    let after_first = q(|q| {
        q.limit = 3;
        q.before = Some(13);
    });
    let next = db
        .store
        .events(&office(), &after_first)
        .await
        .expect("next");
    assert_eq!(
        page.items.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![13, 12, 11]
    );
    assert_eq!(page.next, Some(11));
    assert_eq!(
        next.items.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![12, 11, 10]
    );
    // A unit's people see their units' events only, and not another unit's finding's.
    let mine = db.store.events(&editor(), &q(|_| {})).await.expect("mine");
    assert!(mine
        .items
        .iter()
        .all(|e| e.unit_id.as_deref() == Some("u1")));
    let err = db
        .store
        .events(&editor(), &q(|q| q.finding_id = Some("fb2.f1".into())))
        .await
        .expect_err("theirs");
    assert_eq!(err.code(), "forbidden");
}

async fn findings_waiting_for_someone_are_listed(db: &Db) {
    seed(db.store()).await;
    super::ready_for_closure(db, "fb1.f1").await;
    apply(db, &editor(), command("fb1.f1", C::RequestClosure, ""))
        .await
        .expect("request");
    apply(db, &office(), command("fb1.f1", C::Return, "补充材料"))
        .await
        .expect("return");
    let ask = Change::RequestExtension {
        measure_id: "fb1.f2.m1".into(),
        new_due: date("2025-12-31"),
        reason: "需协调".into(),
    };
    apply(db, &editor(), ask).await.expect("extension");
    let today = date("2025-07-15");
    let ids = |q: FindingQuery| async move {
        let page = db.store.findings(&office(), today, &q).await.expect("list");
        page.items
            .into_iter()
            .map(|l| (l.id, l.returned, l.extension_pending))
            .collect::<Vec<_>>()
    };
    let returned = FindingQuery {
        returned: true,
        ..query()
    };
    assert_eq!(
        ids(returned).await,
        vec![("fb1.f1".to_string(), true, false)]
    );
    let waiting = FindingQuery {
        extension_pending: true,
        ..query()
    };
    assert_eq!(
        ids(waiting).await,
        vec![("fb1.f2".to_string(), false, true)]
    );
    apply(
        db,
        &editor(),
        command("fb1.f1", C::RequestClosure, "已补充"),
    )
    .await
    .expect("again");
    assert!(ids(FindingQuery {
        returned: true,
        ..query()
    })
    .await
    .is_empty());
}

/// The ledger page crosses from the database as JSON: text that JSON must escape comes
/// back as it went in, and every measure sits under its finding.
async fn a_ledger_page_holds_each_finding_with_its_measures(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f2").await;
    let awkward = "引号\"、反斜杠\\、换行\n、制表\t、<b>标记</b>、😀、\u{1}之外";
    apply(
        db,
        &editor(),
        Change::AddProgress {
            measure_id: "fb1.f2.m2".into(),
            text: awkward.replace('\u{1}', ""),
        },
    )
    .await
    .expect("progress");
    let today = date("2025-07-15");
    let q = FindingQuery {
        feedback_id: Some("fb1".into()),
        ..query()
    };
    let page = db.store.ledger(&editor(), today, &q).await.expect("ledger");
    assert_eq!(page.next, None);
    let ids: Vec<&str> = page.items.iter().map(|l| l.line.id.as_str()).collect();
    assert_eq!(ids, ["fb1.f1", "fb1.f2"]);
    for l in &page.items {
        assert_eq!(
            (l.category.as_str(), l.aspect.as_str()),
            ("党的领导弱化", "学习贯彻不到位")
        );
        assert_eq!(l.measures, super::finding(db, &l.line.id).await.measures);
        assert_eq!(l.line.measures, l.measures.len() as i64);
    }
    let progress = &page.items[1].measures[1].progress;
    assert_eq!(
        progress.last().map(|p| p.text.as_str()),
        Some(awkward.replace('\u{1}', "").as_str())
    );
    let first = FindingQuery {
        limit: 1,
        ..q.clone()
    };
    let one = db
        .store
        .ledger(&editor(), today, &first)
        .await
        .expect("page");
    assert_eq!(one.items.len(), 1);
    let rest = FindingQuery {
        after: one.next,
        ..q.clone()
    };
    let two = db
        .store
        .ledger(&editor(), today, &rest)
        .await
        .expect("rest");
    assert_eq!(
        two.items
            .iter()
            .map(|l| l.line.id.as_str())
            .collect::<Vec<_>>(),
        ["fb1.f2"]
    );
    let theirs = FindingQuery {
        feedback_id: Some("fb2".into()),
        ..query()
    };
    let hidden = db
        .store
        .ledger(&editor(), today, &theirs)
        .await
        .expect("scoped");
    assert!(hidden.items.is_empty());
    let all = db
        .store
        .ledger(&office(), today, &theirs)
        .await
        .expect("office");
    assert_eq!(all.items.len(), 2);
}

zhenggai_testkit::on_both!(
    a_ledger_page_holds_each_finding_with_its_measures,
    findings_waiting_for_someone_are_listed,
    one_finding_reads_with_where_it_hangs,
    findings_list_by_filter_with_keyset_pages,
    events_of_a_finding_unit_or_round_newest_first,
);
