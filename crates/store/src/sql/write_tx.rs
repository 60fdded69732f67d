//! The writer's transaction. It is begun and the chain head locked in one round trip
//! (`BEGIN …; SELECT … head`, sent as one simple query), and ended by a plain COMMIT or
//! ROLLBACK: each hand-off to the database's connection costs tens of microseconds, and
//! the writer's single changes are bound by those hand-offs, not by the disk.
//!
//! A connection that an error or a cancelled task leaves inside the transaction is
//! closed when dropped, never handed back to the pool still open.

use sqlx::pool::PoolConnection;
use sqlx::{Executor, Row as _};

use super::chain::Linker;
use super::{Sql, SqlStore};
use crate::error::{Result, StoreError};

pub(super) struct WriteTx<DB: Sql> {
    conn: PoolConnection<DB>,
    open: bool,
}

impl<DB: Sql> WriteTx<DB>
where
    for<'e> &'e mut DB::Connection: Executor<'e, Database = DB>,
    for<'a> String: sqlx::Decode<'a, DB> + sqlx::Type<DB>,
    for<'a> i64: sqlx::Decode<'a, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    /// Begins the write transaction on a connection of the store's pool and locks the
    /// chain head.
    pub(super) async fn begin(store: &SqlStore<DB>) -> Result<(WriteTx<DB>, Linker)> {
        let conn = store.pool.acquire().await?;
        let mut tx = WriteTx { conn, open: true };
        let sql = format!("{}; {}", DB::BEGIN_WRITE, DB::LOCK_HEAD);
        let rows = (&mut *tx.conn).fetch_all(sqlx::raw_sql(&sql)).await?;
        let head = rows
            .first()
            .ok_or_else(|| StoreError::Corrupt("the chain head is missing".into()))?;
        let head = (head.try_get::<i64, _>(0)?, head.try_get::<String, _>(1)?);
        Ok((tx, store.linker(head)))
    }

    pub(super) fn conn(&mut self) -> &mut DB::Connection {
        &mut self.conn
    }

    pub(super) async fn commit(mut self) -> Result<()> {
        (&mut *self.conn).execute(sqlx::raw_sql("COMMIT")).await?;
        self.open = false;
        Ok(())
    }

    pub(super) async fn rollback(mut self) -> Result<()> {
        (&mut *self.conn).execute(sqlx::raw_sql("ROLLBACK")).await?;
        self.open = false;
        Ok(())
    }
}

impl<DB: Sql> Drop for WriteTx<DB> {
    fn drop(&mut self) {
        if self.open {
            self.conn.close_on_drop();
        }
    }
}
