//! Into an empty ledger an import drops the secondary indexes and builds each once before
//! it commits: several times faster than keeping them up to date row by row. DDL is
//! transactional on both databases, so a refused import leaves them as they were.

use sqlx::{Executor, IntoArguments, Transaction};

use super::super::Sql;
use crate::error::Result;

/// The secondary indexes, dropped: each one's name and the statement that builds it.
pub(super) async fn drop_secondary<DB: Sql>(
    tx: &mut Transaction<'static, DB>,
) -> Result<Vec<(String, String)>>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let dropped: Vec<(String, String)> = sqlx::query_as(DB::SECONDARY_INDEXES)
        .fetch_all(&mut **tx)
        .await?;
    for (name, _) in &dropped {
        sqlx::query(&format!("DROP INDEX {name}"))
            .execute(&mut **tx)
            .await?;
    }
    Ok(dropped)
}

/// Builds the indexes `drop_secondary` dropped, then the planner's statistics.
pub(super) async fn rebuild<DB: Sql>(
    tx: &mut Transaction<'static, DB>,
    dropped: Vec<(String, String)>,
) -> Result<()>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
{
    if dropped.is_empty() {
        return Ok(());
    }
    // Each build reads its whole table: mapped, without a read call per page. Unmapped
    // whatever the builds end in, since a refused import's connection goes back to a
    // server's pool.
    if let Some((on, _)) = DB::WHOLE_SCAN {
        sqlx::query(on).execute(&mut **tx).await?;
    }
    let built: Result<()> = async {
        for (_, create) in dropped {
            sqlx::query(&create).execute(&mut **tx).await?;
        }
        if let Some(sql) = DB::AFTER_BULK_LOAD {
            sqlx::query(sql).execute(&mut **tx).await?;
        }
        Ok(())
    }
    .await;
    if let Some((_, off)) = DB::WHOLE_SCAN {
        sqlx::query(off).execute(&mut **tx).await?;
    }
    built
}
