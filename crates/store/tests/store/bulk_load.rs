//! An import into an empty SQLite ledger by the file's only user leaves the write-ahead
//! log for a rollback journal and returns to the log after, committed or not.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use zhenggai_core::*;
use zhenggai_store::{Options, Store};
use zhenggai_testkit::*;

use super::snapshot;

/// Whether the file's header says write-ahead log (its read and write versions are 2).
fn in_wal_mode(file: &Path) -> bool {
    let header = std::fs::read(file).expect("database file");
    header[18] == 2 && header[19] == 2
}

async fn open(sole_user: bool) -> (tempfile::TempDir, PathBuf, Box<dyn Store>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bulk.db");
    let options = Options {
        clock: Arc::new(ManualClock::new(start_day())),
        sole_user,
        ..Options::default()
    };
    let store = zhenggai_store::open_with(&format!("sqlite://{}", file.display()), options)
        .await
        .expect("open");
    (dir, file, store)
}

fn wal_of(file: &Path) -> PathBuf {
    file.with_file_name("bulk.db-wal")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sole_user_loads_an_empty_ledger_without_the_log_and_returns_to_it() {
    let (_dir, file, store) = open(true).await;
    assert!(in_wal_mode(&file));
    let mut tx = store.begin_import(&operator()).await.expect("begin");
    assert!(!in_wal_mode(&file), "left the log for the load");
    assert!(!wal_of(&file).exists());
    tx.put_round("rounds[0]", &round()).await.expect("round");
    tx.put_unit("units[0]", &unit("u1")).await.expect("unit");
    tx.put_feedback("feedbacks[0]", &feedback("fb1", "u1"))
        .await
        .expect("feedback");
    tx.commit().await.expect("commit");
    assert!(in_wal_mode(&file), "back in the log");
    let me = operator();
    assert_eq!(
        store.feedback(&me, "fb1").await.expect("fb1"),
        feedback("fb1", "u1")
    );
    let report = store.verify(None).await.expect("verify");
    assert_eq!(report.broken, None);
    // A second import finds a ledger that is no longer empty and stays in the log.
    let _tx = store.begin_import(&operator()).await.expect("begin");
    assert!(in_wal_mode(&file));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_bulk_load_changes_nothing_and_returns_to_the_log() {
    let (_dir, file, store) = open(true).await;
    let before = snapshot(store.as_ref()).await;
    let mut tx = store.begin_import(&operator()).await.expect("begin");
    assert!(!in_wal_mode(&file));
    tx.put_round("rounds[0]", &round()).await.expect("round");
    tx.put_unit("units[0]", &unit("u1")).await.expect("unit");
    let mut bad = feedback("fb1", "u1");
    bad.categories[0].aspects[0].findings[1].status = FindingStatus::Closed;
    let err = tx
        .put_feedback("feedbacks[0]", &bad)
        .await
        .expect_err("closed without history");
    assert_eq!(err.code(), "invalid_record");
    drop(tx);
    // The return happens in a task once the transaction has rolled back.
    for _ in 0..100 {
        if in_wal_mode(&file) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(in_wal_mode(&file), "back in the log");
    assert_eq!(snapshot(store.as_ref()).await, before);
    assert!(store.is_empty().await.expect("empty"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_users_keep_the_import_in_the_log() {
    // Not the sole user: a server, say.
    let (_dir, file, store) = open(false).await;
    let _tx = store.begin_import(&operator()).await.expect("begin");
    assert!(in_wal_mode(&file));
    drop(_tx);
    // The sole user, but another process has the file open and reading.
    let (_dir, file, store) = open(true).await;
    let url = format!("sqlite://{}", file.display());
    let other = zhenggai_store::open(&url).await.expect("second process");
    assert!(other.is_empty().await.expect("read"));
    let _reading = other.rounds(&operator()).await.expect("rounds");
    let mut tx = store.begin_import(&operator()).await.expect("begin");
    assert!(
        in_wal_mode(&file),
        "another connection is open: stay in the log"
    );
    tx.put_round("rounds[0]", &round()).await.expect("round");
    tx.commit().await.expect("commit");
    assert_eq!(
        other.rounds(&operator()).await.expect("rounds"),
        vec![round()]
    );
}
