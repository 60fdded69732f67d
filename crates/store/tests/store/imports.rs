use zhenggai_core::*;
use zhenggai_testkit::*;

use super::snapshot;

async fn imported_tree_reads_back_identically(db: &Db) {
    seed(db.store()).await;
    let me = operator();
    assert_eq!(
        db.store.feedback(&me, "fb1").await.expect("fb1"),
        feedback("fb1", "u1")
    );
    assert_eq!(db.store.rounds(&me).await.expect("rounds"), vec![round()]);
    let ids: Vec<String> = db
        .store
        .feedbacks(&me)
        .await
        .expect("ids")
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(ids, vec!["fb1", "fb2"]);
    // round, 2 units, and per feedback its own event and one per finding
    assert_eq!(db.store.event_count().await.expect("events"), 3 + 2 * 3);
    let report = db.store.verify(None).await.expect("verify");
    assert_eq!(report.broken, None);
    // 1 round, 2 units, per feedback: 1 feedback, 1 category, 1 aspect, 2 findings, 4 measures
    assert_eq!((report.checked, report.records), (9, 3 + 2 * 9));
}

async fn failed_import_changes_nothing(db: &Db) {
    seed(db.store()).await;
    let before = snapshot(db.store()).await;
    let mut tx = db.store.begin_import(&operator()).await.expect("begin");
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
    assert_eq!(snapshot(db.store()).await, before);
}

async fn reimport_merges_and_conflicts_change_nothing(db: &Db) {
    seed(db.store()).await;
    let before = snapshot(db.store()).await;
    let mut tx = db.store.begin_import(&operator()).await.expect("begin");
    tx.put_round("rounds[0]", &round())
        .await
        .expect("same round");
    tx.put_feedback("feedbacks[0]", &feedback("fb1", "u1"))
        .await
        .expect("same feedback");
    let summary = tx.commit().await.expect("commit");
    assert_eq!((summary.unchanged, summary.events), (2, 0));
    assert_eq!(snapshot(db.store()).await, before);

    let mut tx = db.store.begin_import(&operator()).await.expect("begin");
    let mut changed = feedback("fb1", "u1");
    changed.categories[0].title = "另一个标题".into();
    let err = tx
        .put_feedback("feedbacks[0]", &changed)
        .await
        .expect_err("conflict");
    assert_eq!(err.code(), "conflict");
    drop(tx);

    // A new feedback reusing a stored measure id is refused at that measure.
    let mut tx = db.store.begin_import(&operator()).await.expect("begin");
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
    assert_eq!(snapshot(db.store()).await, before);
}

async fn text_is_bounded_and_free_of_nul_on_import(db: &Db) {
    seed(db.store()).await;
    let before = snapshot(db.store()).await;
    for (what, title) in [
        ("nul", "问题\0标题".to_string()),
        ("long", "长".repeat(limits::TITLE + 1)),
    ] {
        let mut tx = db.store.begin_import(&operator()).await.expect("begin");
        let mut bad = feedback("fb5", "u1");
        bad.categories[0].aspects[0].findings[0].title = title;
        let err = tx.put_feedback("feedbacks[0]", &bad).await.expect_err(what);
        assert_eq!(err.code(), "invalid_record", "{what}");
        assert!(
            err.to_string()
                .starts_with("feedbacks[0].categories[0].aspects[0].findings[0].title"),
            "{what}: {err}"
        );
    }
    assert_eq!(snapshot(db.store()).await, before);
}

async fn only_the_office_and_administrators_import(db: &Db) {
    for who in [editor(), lead_of("u1"), supervisor(), Actor::public()] {
        let err = db.store.begin_import(&who).await.err().expect("refused");
        assert_eq!(err.code(), "forbidden", "{:?}", who.role);
    }
    assert!(db.store.begin_import(&office()).await.is_ok());
}

zhenggai_testkit::on_both!(
    imported_tree_reads_back_identically,
    failed_import_changes_nothing,
    reimport_merges_and_conflicts_change_nothing,
    text_is_bounded_and_free_of_nul_on_import,
    only_the_office_and_administrators_import,
);
