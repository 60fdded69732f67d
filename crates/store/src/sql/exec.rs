//! Where the statements of loads and writes run. The code that loads aggregates and writes
//! rows is written once against `Exec`; sqlx runs it on either backend (`SqlxExec`), and
//! the SQLite writer runs it on the handle sqlx lends it (`locked`), where each statement
//! costs no hand-off to sqlx's worker thread.

use std::future::Future;

use futures_util::TryStreamExt;
use serde::de::DeserializeOwned;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Arguments as _, Database, Executor, FromRow, IntoArguments};

use crate::error::{Result, StoreError};
use crate::rows::{Kind, Val};

/// A value bound into a statement. A NULL carries its column's kind, which PostgreSQL needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Int(i64),
    Bytes(Vec<u8>),
    NullText,
    NullInt,
}

impl Arg {
    /// A row's value bound as its column's kind.
    pub fn of(v: Val, kind: Kind) -> Arg {
        match (v, kind) {
            (Val::Text(s), _) => Arg::Text(s),
            (Val::Int(i), _) => Arg::Int(i),
            (Val::Null, Kind::Int) => Arg::NullInt,
            (Val::Null, Kind::Text) => Arg::NullText,
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(i: i64) -> Arg {
        Arg::Int(i)
    }
}

/// A row type that loads read: by sqlx on either backend (`FromRow`, by column name), or
/// through serde from the lent SQLite handle (also by column name; tuples by position).
pub trait Load:
    DeserializeOwned + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> Load for T where
    T: DeserializeOwned
        + for<'r> FromRow<'r, SqliteRow>
        + for<'r> FromRow<'r, PgRow>
        + Send
        + Unpin
{
}

/// Runs statements with `$n` (or, on SQLite, `?`) placeholders.
pub trait Exec: Send {
    /// A statement without rows.
    fn execute(&mut self, sql: &str, args: Vec<Arg>) -> impl Future<Output = Result<()>> + Send;

    fn fetch_all<T: Load>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
    ) -> impl Future<Output = Result<Vec<T>>> + Send;

    /// Hands the rows of a query without parameters to `each`, one at a time as they are
    /// read, until it returns `false`: for reading the whole ledger without holding it.
    fn for_each<T: Load>(
        &mut self,
        sql: &str,
        each: impl FnMut(T) -> Result<bool> + Send,
    ) -> impl Future<Output = Result<()>> + Send;

    fn fetch_optional<T: Load>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
    ) -> impl Future<Output = Result<Option<T>>> + Send {
        async move { Ok(self.fetch_all(sql, args).await?.into_iter().next()) }
    }
}

/// sqlx's connection of either backend.
pub struct SqlxExec<'c, DB: Database>(pub &'c mut DB::Connection);

/// The values of one statement, as sqlx binds them.
fn arguments<'q, DB>(args: Vec<Arg>) -> Result<DB::Arguments<'q>>
where
    DB: Database,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> Vec<u8>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> Option<String>: sqlx::Encode<'a, DB>,
    for<'a> Option<i64>: sqlx::Encode<'a, DB>,
{
    let mut out = DB::Arguments::<'q>::default();
    for a in args {
        match a {
            Arg::Text(s) => out.add(s),
            Arg::Int(i) => out.add(i),
            Arg::Bytes(b) => out.add(b),
            Arg::NullText => out.add(None::<String>),
            Arg::NullInt => out.add(None::<i64>),
        }
        .map_err(|e| StoreError::Internal(format!("binding a value: {e}")))?;
    }
    Ok(out)
}

async fn sqlx_execute<DB>(conn: &mut DB::Connection, sql: &str, args: Vec<Arg>) -> Result<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> Vec<u8>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> Option<String>: sqlx::Encode<'a, DB>,
    for<'a> Option<i64>: sqlx::Encode<'a, DB>,
{
    sqlx::query_with::<DB, _>(sql, arguments::<DB>(args)?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn sqlx_fetch_all<DB, T>(
    conn: &mut DB::Connection,
    sql: &str,
    args: Vec<Arg>,
) -> Result<Vec<T>>
where
    DB: Database,
    T: for<'r> FromRow<'r, DB::Row> + Send + Unpin,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> Vec<u8>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> Option<String>: sqlx::Encode<'a, DB>,
    for<'a> Option<i64>: sqlx::Encode<'a, DB>,
{
    Ok(sqlx::query_as_with::<DB, T, _>(sql, arguments::<DB>(args)?)
        .fetch_all(&mut *conn)
        .await?)
}

async fn sqlx_for_each<DB, T>(
    conn: &mut DB::Connection,
    sql: &str,
    mut each: impl FnMut(T) -> Result<bool> + Send,
) -> Result<()>
where
    DB: Database,
    T: for<'r> FromRow<'r, DB::Row> + Send + Unpin,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
{
    let mut rows = sqlx::query_as::<DB, T>(sql).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await? {
        if !each(row)? {
            break;
        }
    }
    Ok(())
}

impl Exec for SqlxExec<'_, sqlx::Sqlite> {
    fn execute(&mut self, sql: &str, args: Vec<Arg>) -> impl Future<Output = Result<()>> + Send {
        sqlx_execute::<sqlx::Sqlite>(self.0, sql, args)
    }

    fn fetch_all<T: Load>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        sqlx_fetch_all::<sqlx::Sqlite, T>(self.0, sql, args)
    }

    fn for_each<T: Load>(
        &mut self,
        sql: &str,
        each: impl FnMut(T) -> Result<bool> + Send,
    ) -> impl Future<Output = Result<()>> + Send {
        sqlx_for_each::<sqlx::Sqlite, T>(self.0, sql, each)
    }
}

impl Exec for SqlxExec<'_, sqlx::Postgres> {
    fn execute(&mut self, sql: &str, args: Vec<Arg>) -> impl Future<Output = Result<()>> + Send {
        sqlx_execute::<sqlx::Postgres>(self.0, sql, args)
    }

    fn fetch_all<T: Load>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        sqlx_fetch_all::<sqlx::Postgres, T>(self.0, sql, args)
    }

    fn for_each<T: Load>(
        &mut self,
        sql: &str,
        each: impl FnMut(T) -> Result<bool> + Send,
    ) -> impl Future<Output = Result<()>> + Send {
        sqlx_for_each::<sqlx::Postgres, T>(self.0, sql, each)
    }
}

/// The writer's transaction: begun with the chain head locked, then committed or rolled
/// back. Dropped while open, it leaves nothing behind on its connection.
pub trait WriteTx: Exec {
    /// Begins the transaction and reads the chain head it holds until the end.
    fn begin(&mut self) -> impl Future<Output = Result<(i64, String)>> + Send;
    fn commit(&mut self) -> impl Future<Output = Result<()>> + Send;
    fn rollback(&mut self) -> impl Future<Output = Result<()>> + Send;
}
