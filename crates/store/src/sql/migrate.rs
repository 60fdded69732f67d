//! Migrations under a lock, so that several processes starting on a new database apply
//! them once: the schema check and every migration run in one write transaction
//! (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's advisory lock), and whoever comes second
//! finds them applied.

use async_trait::async_trait;
use sqlx::{Executor, IntoArguments};

use super::{Sql, SqlStore};
use crate::error::{Result, StoreError};

/// Called through a boxed future: a plain generic async method called from the concrete
/// `connect` functions would make their futures fail rustc's `Send` check.
#[async_trait]
pub(crate) trait Migrate {
    async fn migrate(&self) -> Result<()>;
}

#[async_trait]
impl<DB: Sql> Migrate for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> Vec<u8>: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> Option<String>: sqlx::Encode<'a, DB>,
    for<'a> Option<i64>: sqlx::Encode<'a, DB>,
    for<'r> &'r str: sqlx::ColumnIndex<DB::Row>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    async fn migrate(&self) -> Result<()> {
        let fail = |e: sqlx::Error| {
            tracing::error!(error = %e, "migration failed");
            StoreError::Migrate(e.to_string())
        };
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await.map_err(fail)?;
        if let Some(lock) = DB::MIGRATION_LOCK {
            (&mut *tx).execute(lock).await.map_err(fail)?;
        }
        (&mut *tx)
            .execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations \
                 (version BIGINT PRIMARY KEY, description TEXT NOT NULL, checksum TEXT NOT NULL)",
            )
            .await
            .map_err(fail)?;
        let applied: Vec<(i64, String)> =
            sqlx::query_as("SELECT version, checksum FROM schema_migrations")
                .fetch_all(&mut *tx)
                .await
                .map_err(fail)?;
        for m in DB::migrator().iter() {
            let checksum = hex::encode(&m.checksum);
            match applied.iter().find(|(v, _)| *v == m.version) {
                Some((_, c)) if *c == checksum => continue,
                Some(_) => {
                    return Err(StoreError::Migrate(format!(
                        "migration {} was changed after it was applied",
                        m.version
                    )))
                }
                None => {}
            }
            (&mut *tx).execute(m.sql.as_ref()).await.map_err(fail)?;
            sqlx::query("INSERT INTO schema_migrations (version, description, checksum) VALUES ($1, $2, $3)")
                .bind(m.version)
                .bind(m.description.to_string())
                .bind(checksum)
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
        }
        tx.commit().await.map_err(fail)?;
        Ok(())
    }
}
