//! The SQLite writer's transaction, run on the connection sqlx opened while sqlx lends its
//! handle (`SqliteConnection::lock_handle`). Through sqlx every statement is a round trip to
//! the connection's worker thread, and waking a thread on the other CPU costs tens of
//! microseconds: nine of them held single changes one after another near 1,000 a second.
//! Lent, a whole batch runs here without one; the statements are the same text the
//! PostgreSQL writer sends through sqlx (`Exec`).

use std::borrow::Cow;
use std::future::{ready, Future};

use rusqlite::types::{Null, ValueRef};
use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection};
use sqlx::{ConnectOptions, Connection, Sqlite};
use tokio::sync::mpsc;

use super::exec::{Arg, Exec, Load, WriteTx};
use super::writer::{answer_all, next_batch, Batch, Job, Msg, AWAKE};
use super::SqlStore;
use crate::error::{Result, StoreError};

/// Statements the writer keeps prepared: every kind of change's loads and writes, with room.
const CACHED_STATEMENTS: usize = 64;

/// The SQLite writer's loop. Its connection is opened at the first batch (so that a
/// command that never writes keeps the file to its pool, as an import leaving the
/// write-ahead log needs), then kept and lent to it until the store closes: its page cache
/// and its prepared statements stay warm from one change to the next.
pub(crate) async fn run_writer(store: SqlStore<Sqlite>, mut rx: mpsc::Receiver<Msg>) {
    let (mut conn, first) = loop {
        let Some(batch) = next_batch(&mut rx, AWAKE).await else {
            return;
        };
        if batch.jobs.is_empty() {
            return finish(batch);
        }
        // Statement and savepoint journals in memory: on disk SQLite creates a temporary
        // file for one as soon as it outgrows 64 KiB, which one commit in 27 did on a
        // freshly imported ledger (one in 18 at 16 KiB pages). They hold only the pages
        // one unit of work changes.
        let options = (*store.pool.connect_options())
            .clone()
            .pragma("temp_store", "memory");
        match options.connect().await {
            Ok(conn) => break (conn, batch),
            Err(e) => {
                let close = batch.close;
                answer_all(batch.jobs.into_iter().map(Job::into_reply), &e.into());
                if let Some(done) = close {
                    let _ = done.send(());
                    return;
                }
            }
        }
    };
    let mut locked = match Locked::lock(&mut conn).await {
        Ok(locked) => locked,
        Err(e) => {
            answer_all(first.jobs.into_iter().map(Job::into_reply), &e);
            return;
        }
    };
    let mut pending = Some(first);
    loop {
        let batch = match pending.take() {
            Some(batch) => batch,
            None => match next_batch(&mut rx, AWAKE).await {
                Some(batch) => batch,
                None => break,
            },
        };
        store.commit_batch(&mut locked, batch.jobs).await;
        if let Some(done) = batch.close {
            drop(locked);
            if let Err(e) = conn.close().await {
                tracing::error!(error = %e, "closing the writer's connection");
            }
            let _ = done.send(());
            return;
        }
    }
}

fn finish(batch: Batch) {
    if let Some(done) = batch.close {
        let _ = done.send(());
    }
}

pub struct Locked<'c> {
    // Declared before the guard, so dropped first: its cached statements are finalized
    // while the handle is still lent.
    conn: rusqlite::Connection,
    _guard: LockedSqliteHandle<'c>,
}

impl<'c> Locked<'c> {
    pub(crate) async fn lock(conn: &'c mut SqliteConnection) -> Result<Locked<'c>> {
        let mut guard = conn.lock_handle().await?;
        let raw = guard.as_raw_handle();
        // SAFETY: the handle is valid, and used by nobody else, while `guard` lives: sqlx's
        // worker thread waits for it back. A connection made by `from_handle` never closes
        // the handle, and this one is dropped before the guard (field order above).
        let conn = unsafe { rusqlite::Connection::from_handle(raw.as_ptr()) }.map_err(failure)?;
        conn.set_prepared_statement_cache_capacity(CACHED_STATEMENTS);
        Ok(Locked {
            conn,
            _guard: guard,
        })
    }

    fn run(&mut self, sql: &str, args: Vec<Arg>) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(failure)?;
        bind_all(&mut stmt, args)?;
        stmt.raw_execute().map_err(failure)?;
        Ok(())
    }

    fn query<T: DeserializeOwned>(&mut self, sql: &str, args: Vec<Arg>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.scan(sql, args, |row| {
            out.push(row);
            Ok(true)
        })?;
        Ok(out)
    }

    /// Hands each row to `each` as SQLite steps to it, until `each` returns `false`.
    fn scan<T: DeserializeOwned>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
        mut each: impl FnMut(T) -> Result<bool>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(failure)?;
        bind_all(&mut stmt, args)?;
        let names: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next().map_err(failure)? {
            let mut cells = Vec::with_capacity(names.len());
            for i in 0..names.len() {
                cells.push(Cell::read(row.get_ref(i).map_err(failure)?)?);
            }
            let names = names.as_slice();
            let row = T::deserialize(RowDe { names, cells })
                .map_err(|e| StoreError::Corrupt(format!("{sql}: {e}")))?;
            if !each(row)? {
                break;
            }
        }
        Ok(())
    }

    fn begin_now(&mut self) -> Result<(i64, String)> {
        // A batch that failed to end leaves its transaction open: nothing of it stands.
        if !self.conn.is_autocommit() {
            self.run("ROLLBACK", Vec::new())?;
        }
        self.run("BEGIN IMMEDIATE", Vec::new())?;
        let head: Option<(i64, String)> = self
            .query("SELECT seq, hash FROM chain_head WHERE id = 1", Vec::new())?
            .into_iter()
            .next();
        head.ok_or_else(|| StoreError::Corrupt("the chain head is missing".into()))
    }
}

impl Drop for Locked<'_> {
    /// A transaction left open (a batch that failed between its BEGIN and its end) is
    /// rolled back before sqlx has the connection again.
    fn drop(&mut self) {
        if !self.conn.is_autocommit() {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::error!(error = %e, "rolling back the writer's transaction");
            }
        }
    }
}

impl Exec for Locked<'_> {
    fn execute(&mut self, sql: &str, args: Vec<Arg>) -> impl Future<Output = Result<()>> + Send {
        ready(self.run(sql, args))
    }

    fn fetch_all<T: Load>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        ready(self.query(sql, args))
    }

    fn for_each<T: Load>(
        &mut self,
        sql: &str,
        each: impl FnMut(T) -> Result<bool> + Send,
    ) -> impl Future<Output = Result<()>> + Send {
        ready(self.scan(sql, Vec::new(), each))
    }
}

impl WriteTx for Locked<'_> {
    fn begin(&mut self) -> impl Future<Output = Result<(i64, String)>> + Send {
        ready(self.begin_now())
    }

    fn commit(&mut self) -> impl Future<Output = Result<()>> + Send {
        ready(self.run("COMMIT", Vec::new()))
    }

    fn rollback(&mut self) -> impl Future<Output = Result<()>> + Send {
        ready(self.run("ROLLBACK", Vec::new()))
    }
}

/// Binds each of the statement's parameters: `?` in order, or `$n` / `?n` by number.
fn bind_all(stmt: &mut rusqlite::Statement<'_>, args: Vec<Arg>) -> Result<()> {
    let mut args: Vec<Option<Arg>> = args.into_iter().map(Some).collect();
    for i in 1..=stmt.parameter_count() {
        let n = match stmt.parameter_name(i) {
            None => Some(i),
            Some(name) => name.get(1..).and_then(|n| n.parse::<usize>().ok()),
        };
        let arg = n
            .and_then(|n| args.get_mut(n.wrapping_sub(1)))
            .and_then(Option::take)
            .ok_or_else(|| StoreError::Internal(format!("parameter {i} has no value")))?;
        match arg {
            Arg::Text(s) => stmt.raw_bind_parameter(i, s),
            Arg::Int(v) => stmt.raw_bind_parameter(i, v),
            Arg::Bytes(b) => stmt.raw_bind_parameter(i, b),
            Arg::NullText | Arg::NullInt => stmt.raw_bind_parameter(i, Null),
        }
        .map_err(failure)?;
    }
    Ok(())
}

/// SQLite's failures as sqlx reports them, so that callers tell a taken id or a busy
/// database apart in one way for both drivers.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
struct Failure {
    extended_code: i32,
    message: String,
}

fn failure(e: rusqlite::Error) -> StoreError {
    let extended_code = match &e {
        rusqlite::Error::SqliteFailure(f, _) => f.extended_code,
        _ => rusqlite::ffi::SQLITE_ERROR,
    };
    sqlx::Error::Database(Box::new(Failure {
        extended_code,
        message: e.to_string(),
    }))
    .into()
}

impl sqlx::error::DatabaseError for Failure {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(self.extended_code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        use rusqlite::ffi;
        use sqlx::error::ErrorKind;
        match self.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

/// One column's value, owned.
enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl Cell {
    fn read(v: ValueRef<'_>) -> Result<Cell> {
        Ok(match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Int(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(t) => Cell::Text(
                String::from_utf8(t.to_vec())
                    .map_err(|e| StoreError::Corrupt(format!("text column: {e}")))?,
            ),
            ValueRef::Blob(b) => Cell::Bytes(b.to_vec()),
        })
    }
}

type DeError = serde::de::value::Error;

impl<'de> serde::Deserializer<'de> for Cell {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        match self {
            Cell::Null => v.visit_unit(),
            Cell::Int(i) => v.visit_i64(i),
            Cell::Real(f) => v.visit_f64(f),
            Cell::Text(s) => v.visit_string(s),
            Cell::Bytes(b) => v.visit_byte_buf(b),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        match self {
            Cell::Null => v.visit_none(),
            other => v.visit_some(other),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, DeError> for Cell {
    type Deserializer = Cell;

    fn into_deserializer(self) -> Cell {
        self
    }
}

/// A row: a struct by column name, a tuple by position.
struct RowDe<'n> {
    names: &'n [String],
    cells: Vec<Cell>,
}

impl<'de> serde::Deserializer<'de> for RowDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_map(MapDeserializer::new(
            self.names.iter().map(String::as_str).zip(self.cells),
        ))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_seq(SeqDeserializer::new(self.cells.into_iter()))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
#[path = "locked_tests.rs"]
mod tests;
