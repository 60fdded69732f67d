//! The writer's transaction through sqlx (PostgreSQL). It is begun and the chain head
//! locked in one round trip (`BEGIN …; SELECT … head`, sent as one simple query), and ended
//! by a plain COMMIT or ROLLBACK: each hand-off to the database's connection costs time,
//! and the writer's single changes are bound by those hand-offs. (SQLite's writer runs on
//! the handle sqlx lends it instead: `locked`.)
//!
//! A connection that an error or a cancelled task leaves inside the transaction is
//! closed when dropped, never handed back to the pool still open.

use std::future::Future;

use sqlx::pool::PoolConnection;
use sqlx::{Executor, Postgres, Row as _};

use super::exec::{Arg, Exec, Load, SqlxExec, WriteTx};
use super::Sql;
use crate::error::{Result, StoreError};

pub struct SqlxTx<'c> {
    conn: &'c mut PoolConnection<Postgres>,
    open: bool,
}

impl<'c> SqlxTx<'c> {
    pub(crate) fn new(conn: &'c mut PoolConnection<Postgres>) -> SqlxTx<'c> {
        SqlxTx { conn, open: false }
    }

    async fn begin_now(&mut self) -> Result<(i64, String)> {
        self.open = true;
        let sql = format!("{}; {}", Postgres::BEGIN_WRITE, Postgres::LOCK_HEAD);
        let rows = (&mut **self.conn).fetch_all(sqlx::raw_sql(&sql)).await?;
        let head = rows
            .first()
            .ok_or_else(|| StoreError::Corrupt("the chain head is missing".into()))?;
        Ok((head.try_get::<i64, _>(0)?, head.try_get::<String, _>(1)?))
    }

    async fn end(&mut self, sql: &'static str) -> Result<()> {
        (&mut **self.conn).execute(sqlx::raw_sql(sql)).await?;
        self.open = false;
        Ok(())
    }
}

impl Drop for SqlxTx<'_> {
    fn drop(&mut self) {
        if self.open {
            self.conn.close_on_drop();
        }
    }
}

impl Exec for SqlxTx<'_> {
    async fn execute(&mut self, sql: &str, args: Vec<Arg>) -> Result<()> {
        SqlxExec::<Postgres>(&mut **self.conn)
            .execute(sql, args)
            .await
    }

    async fn fetch_all<T: Load>(&mut self, sql: &str, args: Vec<Arg>) -> Result<Vec<T>> {
        SqlxExec::<Postgres>(&mut **self.conn)
            .fetch_all(sql, args)
            .await
    }

    async fn for_each<T: Load>(
        &mut self,
        sql: &str,
        each: impl FnMut(T) -> Result<bool> + Send,
    ) -> Result<()> {
        SqlxExec::<Postgres>(&mut **self.conn)
            .for_each(sql, each)
            .await
    }
}

impl WriteTx for SqlxTx<'_> {
    fn begin(&mut self) -> impl Future<Output = Result<(i64, String)>> + Send {
        self.begin_now()
    }

    fn commit(&mut self) -> impl Future<Output = Result<()>> + Send {
        self.end("COMMIT")
    }

    fn rollback(&mut self) -> impl Future<Output = Result<()>> + Send {
        self.end("ROLLBACK")
    }
}
