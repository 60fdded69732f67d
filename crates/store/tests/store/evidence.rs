use std::sync::Arc;

use zhenggai_core::*;
use zhenggai_store::{Options, Work};
use zhenggai_testkit::*;

use super::{finding, snapshot, start_work};

async fn evidence_files_are_kept_once_and_served_to_readers(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    let bytes = "会议纪要：研究部署整改工作".as_bytes();
    db.store
        .apply(&editor(), evidence("fb1.f1", "整改会议纪要.pdf", bytes))
        .await
        .expect("first");
    db.store
        .apply(&editor(), evidence("fb1.f1", "纪要副本.pdf", bytes))
        .await
        .expect("second");
    let f = finding(db, "fb1.f1").await;
    assert_eq!(
        f.evidence.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        vec!["e1", "e2"]
    );
    assert_eq!(f.evidence[0].added_by_id, editor().user_id);
    let (e, data) = db
        .store
        .evidence_file(&office(), "fb1.f1", "e2")
        .await
        .expect("download");
    assert_eq!((e.name.as_str(), data.as_slice()), ("纪要副本.pdf", bytes));
    let report = db.store.verify(None).await.expect("verify");
    assert_eq!(report.files, 1, "the same bytes are stored once");
    let err = db
        .store
        .evidence_file(&editor_of("u2"), "fb1.f1", "e1")
        .await
        .expect_err("other unit");
    assert_eq!(err.code(), "forbidden");
}

async fn an_item_needs_its_file(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    let before = snapshot(db.store()).await;
    let mut missing = evidence("fb1.f1", "a.pdf", b"abc");
    missing.blobs.clear();
    let err = db
        .store
        .apply(&editor(), missing)
        .await
        .expect_err("no bytes");
    assert_eq!(err.code(), "invalid");
    let mut wrong = evidence("fb1.f1", "a.pdf", b"abc");
    if let Change::AttachEvidence { evidence, .. } = &mut wrong.changes[0] {
        evidence.size = 99;
    }
    assert_eq!(
        db.store
            .apply(&editor(), wrong)
            .await
            .expect_err("size")
            .code(),
        "invalid"
    );
    assert_eq!(snapshot(db.store()).await, before);
}

async fn files_over_the_limit_are_refused_before_anything_is_written(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    let small = zhenggai_store::open_with(
        &db.url,
        Options {
            clock: db.clock.clone() as Arc<dyn Clock>,
            max_file: 1_000,
            ..Options::default()
        },
    )
    .await
    .expect("open");
    let before = snapshot(db.store()).await;
    let err = small
        .apply(&editor(), evidence("fb1.f1", "大文件.pdf", &[7u8; 1_001]))
        .await
        .expect_err("too large");
    assert_eq!(err.code(), "too_large");
    assert_eq!(err.http_status(), 413);
    assert_eq!(snapshot(db.store()).await, before);
    assert_eq!(db.store.verify(None).await.expect("verify").files, 0);
    small
        .apply(&editor(), evidence("fb1.f1", "小文件.pdf", &[7u8; 1_000]))
        .await
        .expect("at the limit");
    small.close().await;
}

async fn an_empty_file_is_no_evidence(db: &Db) {
    seed(db.store()).await;
    start_work(db, "fb1.f1").await;
    let err = db
        .store
        .apply(&editor(), evidence("fb1.f1", "空.pdf", b""))
        .await
        .expect_err("empty");
    assert_eq!(err.code(), "invalid");
    let _ = Work::default();
}

zhenggai_testkit::on_both!(
    evidence_files_are_kept_once_and_served_to_readers,
    an_item_needs_its_file,
    files_over_the_limit_are_refused_before_anything_is_written,
    an_empty_file_is_no_evidence,
);
