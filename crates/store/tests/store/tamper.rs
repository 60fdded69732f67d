//! What `verify` catches when someone with database access changes data behind the ledger.

use zhenggai_core::event::Anchor;
use zhenggai_store::Broken;
use zhenggai_testkit::*;

use super::ready_for_closure;

fn record(table: &str, id: &str) -> Option<(String, String)> {
    Some((table.to_string(), id.to_string()))
}

fn broken_record(b: Option<Broken>) -> Option<(String, String)> {
    match b {
        Some(Broken::Record { table, id, .. }) => Some((table, id)),
        _ => None,
    }
}

fn broken_event(b: Option<Broken>) -> Option<i64> {
    match b {
        Some(Broken::Event { seq, .. }) => Some(seq),
        _ => None,
    }
}

async fn verify_names_the_edited_event(db: &Db) {
    seed(db.store()).await;
    assert_eq!(db.store.verify(None).await.expect("verify").checked, 9);
    db.exec(
        "UPDATE events SET payload = REPLACE(payload, '测试单位u2', '测试单位X') WHERE seq = 3",
    )
    .await;
    let report = db.store.verify(None).await.expect("verify");
    assert_eq!(broken_event(report.broken), Some(3));
    assert_eq!(report.checked, 2);
}

async fn verify_names_deleted_and_reordered_events(db: &Db) {
    seed(db.store()).await;
    db.exec("DELETE FROM events WHERE seq = 5").await;
    assert_eq!(
        broken_event(db.store.verify(None).await.expect("verify").broken),
        Some(6)
    );
    db.exec("UPDATE events SET seq = seq + 100 WHERE seq IN (7, 8)")
        .await;
    db.exec("UPDATE events SET seq = 8 WHERE seq = 107").await;
    db.exec("UPDATE events SET seq = 7 WHERE seq = 108").await;
    assert_eq!(
        broken_event(db.store.verify(None).await.expect("verify").broken),
        Some(6)
    );
}

async fn an_emptied_log_is_a_broken_chain(db: &Db) {
    seed(db.store()).await;
    db.exec("DELETE FROM events").await;
    let report = db.store.verify(None).await.expect("a report, not an error");
    assert_eq!(broken_event(report.broken), Some(1));
}

async fn a_state_edited_in_its_table_is_named(db: &Db) {
    seed(db.store()).await;
    ready_for_closure(db, "fb1.f1").await;
    assert_eq!(db.store.verify(None).await.expect("verify").broken, None);
    db.exec("UPDATE findings SET status = 'closed' WHERE id = 'fb1.f2'")
        .await;
    let report = db.store.verify(None).await.expect("verify");
    assert_eq!(broken_record(report.broken), record("findings", "fb1.f2"));
}

async fn rows_added_or_removed_behind_the_ledger_are_named(db: &Db) {
    seed(db.store()).await;
    db.exec("DELETE FROM measures WHERE id = 'fb2.f1.m2'").await;
    assert_eq!(
        broken_record(db.store.verify(None).await.expect("verify").broken),
        record("measures", "fb2.f1.m2")
    );
    // Units are compared before measures, so the added one is named first.
    db.exec("INSERT INTO units (id, name, body) VALUES ('u9', '冒名单位', '{\"id\":\"u9\",\"name\":\"冒名单位\"}')").await;
    assert_eq!(
        broken_record(db.store.verify(None).await.expect("verify").broken),
        record("units", "u9")
    );
}

async fn an_edited_file_is_named(db: &Db) {
    seed(db.store()).await;
    ready_for_closure(db, "fb1.f1").await;
    let sha = sha256_hex(b"%PDF-1.4 minutes");
    let tamper = if db.url.starts_with("sqlite:") {
        format!("UPDATE blobs SET data = X'00' WHERE id = '{sha}'")
    } else {
        format!("UPDATE blobs SET data = '\\x00'::bytea WHERE id = '{sha}'")
    };
    db.exec(&tamper).await;
    assert_eq!(
        broken_record(db.store.verify(None).await.expect("verify").broken),
        record("blobs", &sha)
    );
}

async fn a_cut_log_is_caught_by_its_anchor(db: &Db) {
    seed(db.store()).await;
    let head = db.store.head().await.expect("head");
    assert_eq!(head.seq, 9);
    assert_eq!(
        db.store.verify(Some(&head)).await.expect("verify").broken,
        None
    );
    // Remove the last event and move the head back: nothing inside the database shows it
    // but the state it wrote; drop that too, and only the anchor kept elsewhere tells.
    db.exec("DELETE FROM measures WHERE finding_id = 'fb2.f2'")
        .await;
    db.exec("DELETE FROM findings WHERE id = 'fb2.f2'").await;
    db.exec("DELETE FROM events WHERE seq = 9").await;
    let prev: Anchor = {
        let report = db.store.verify(None).await.expect("verify");
        report.head
    };
    db.exec(&format!(
        "UPDATE chain_head SET seq = 8, hash = '{}' WHERE id = 1",
        prev.hash
    ))
    .await;
    let report = db.store.verify(None).await.expect("verify");
    assert_eq!(report.broken, None, "a clean cut is invisible from inside");
    let anchored = db.store.verify(Some(&head)).await.expect("verify");
    assert!(
        matches!(anchored.broken, Some(Broken::Anchor { .. })),
        "{:?}",
        anchored.broken
    );
    let forged = Anchor {
        seq: 3,
        hash: "0".repeat(64),
    };
    assert!(matches!(
        db.store.verify(Some(&forged)).await.expect("verify").broken,
        Some(Broken::Anchor { .. })
    ));
}

zhenggai_testkit::on_both!(
    verify_names_the_edited_event,
    verify_names_deleted_and_reordered_events,
    an_emptied_log_is_a_broken_chain,
    a_state_edited_in_its_table_is_named,
    rows_added_or_removed_behind_the_ledger_are_named,
    an_edited_file_is_named,
    a_cut_log_is_caught_by_its_anchor,
);
