//! An import into an empty SQLite ledger by the file's only user goes through a rollback
//! journal instead of the write-ahead log (`Sql::BULK_JOURNAL`), and returns to the log
//! after, committed or given up.

use std::future::Future;
use std::pin::Pin;

use sqlx::{Executor, IntoArguments};

use super::super::{Sql, SqlStore};
use super::Slot;

/// Returns to the write-ahead log; made where the database's bounds are known, run where
/// they are not (an import dropped).
pub(super) type BackToLog =
    Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Back to the write-ahead log after a bulk load. Should it fail, the next connection
/// opened sets the log again (every connection asks for it).
async fn return_to_log<DB: Sql>(pool: &sqlx::Pool<DB>, back: &str)
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
{
    if let Err(e) = sqlx::query(back).execute(pool).await {
        tracing::warn!("returning to the write-ahead log after an import: {e}");
    }
}

impl<DB: Sql> SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'r> &'r str: sqlx::ColumnIndex<DB::Row>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    /// Leaves the write-ahead log for an import when it may, with what brings it back.
    pub(super) async fn leave_log_for_import(&self) -> Option<BackToLog> {
        let (_, _, back) = DB::BULK_JOURNAL?;
        if !self.leave_log().await {
            return None;
        }
        let pool = self.pool.clone();
        Some(Box::new(move || {
            Box::pin(async move { return_to_log::<DB>(&pool, back).await })
        }))
    }

    /// Leaves the write-ahead log for an import into an empty ledger when this process is
    /// the database's only user and the backend gains by it; true if it did. The sole
    /// user's pool has one connection, so the import's transaction runs on this one.
    async fn leave_log(&self) -> bool {
        let Some((leave, mode, _)) = DB::BULK_JOURNAL.filter(|_| self.sole_user) else {
            return false;
        };
        let Ok(mut conn) = self.pool.acquire().await else {
            return false;
        };
        let head = sqlx::query_scalar::<DB, i64>("SELECT seq FROM chain_head WHERE id = 1")
            .fetch_one(&mut *conn)
            .await;
        if !matches!(head, Ok(0)) {
            return false;
        }
        // Another process with the file open makes SQLite refuse at once.
        match sqlx::query_scalar::<DB, String>(leave)
            .fetch_one(&mut *conn)
            .await
        {
            Ok(now) => now.eq_ignore_ascii_case(mode),
            Err(e) => {
                tracing::debug!("import stays in the write-ahead log: {e}");
                false
            }
        }
    }
}

/// An import given up: its transaction rolled back, then back to the log, in a task
/// because a drop cannot wait.
pub(super) fn after_giving_up<DB: Sql>(slot: Slot<DB>, back: BackToLog) {
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            match slot {
                Slot::Ready(tx) => {
                    let _ = tx.rollback().await;
                }
                Slot::Writing(handle) => {
                    if let Ok((tx, _)) = handle.await {
                        let _ = tx.rollback().await;
                    }
                }
                Slot::Gone => {}
            }
            back().await;
        });
    }
}
