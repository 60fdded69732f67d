//! The store's contract, every case on a fresh SQLite file and on a fresh PostgreSQL
//! database (see zhenggai-testkit).

mod accounts;
mod bulk_load;
mod changes;
mod evidence;
mod imports;
mod migrate;
mod page_cache;
mod plan;
mod reads;
mod report;
mod tamper;

use zhenggai_core::*;
use zhenggai_store::{Store, Work};
use zhenggai_testkit::*;

/// The ledger as export sees it, with the number of events: equal before and after a
/// refused change means nothing was written.
pub async fn snapshot(store: &dyn Store) -> (i64, Vec<Feedback>) {
    let me = operator();
    let mut fbs = vec![];
    for f in store.feedbacks(&me).await.expect("feedbacks") {
        fbs.push(store.feedback(&me, &f.id).await.expect("feedback"));
    }
    (store.event_count().await.expect("count"), fbs)
}

pub async fn apply(db: &Db, who: &Actor, change: Change) -> Result<(), zhenggai_store::StoreError> {
    db.store.apply(who, Work::one(change)).await.map(|_| ())
}

pub async fn finding(db: &Db, id: &str) -> Finding {
    db.store
        .finding(&operator(), id)
        .await
        .expect("finding")
        .finding
}

/// The plan approved and work started on `f` (of fb1, unit u1).
pub async fn start_work(db: &Db, f: &str) {
    approve_plan(db.store(), "fb1", "u1").await;
    apply(db, &editor(), command(f, FindingCommandKind::Start, ""))
        .await
        .expect("start");
}

/// Work started, every measure done and one evidence file attached: ready to request.
pub async fn ready_for_closure(db: &Db, f: &str) {
    start_work(db, f).await;
    let done = finish_measures(&finding(db, f).await);
    db.store
        .apply(&editor(), done)
        .await
        .expect("measures done");
    db.store
        .apply(&editor(), evidence(f, "会议纪要.pdf", b"%PDF-1.4 minutes"))
        .await
        .expect("evidence");
}
