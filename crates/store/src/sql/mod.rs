//! The store, written once over sqlx and compiled for SQLite and PostgreSQL. What differs
//! between them is the small `Sql` dialect; everything else is ordinary generic code,
//! split by concern: `chain` (the event log and its verification), `writes` (units of
//! work), `import`, `reads`, `pages` (list pages, with `page_cache`), `stats`, `accounts`,
//! `migrate`. Loads and writes of rows run through `Exec`: sqlx on either backend, and for
//! SQLite's writer the handle sqlx lends it (`locked`), where a statement costs no round
//! trip to sqlx's worker thread.
//!
//! Every generic impl block repeats the same bounds: they say that the backend's
//! connection executes queries and that it reads and writes `String`, `i64` and bytes.
//! Rust does not carry such bounds from a trait to its users, so they are written out.

mod accounts;
mod chain;
mod exec;
mod import;
mod locked;
mod migrate;
mod page_cache;
mod pages;
pub mod postgres;
mod reads;
pub mod sqlite;
mod stats;
mod store_impl;
mod verify;
mod write_tx;
pub mod writer;
mod writes;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::{Database, Pool};
use zhenggai_core::{Clock, Date};

use crate::error::Result;
use crate::rows::{Kind, Row, Table, Update, Val};
pub(crate) use exec::{Arg, Exec, WriteTx};

/// What differs between the two databases.
pub trait Sql: Database {
    const NAME: &'static str;
    /// Starts a transaction that takes the write lock at once, so that concurrent writers
    /// queue instead of failing on upgrade (SQLite's `BEGIN IMMEDIATE`).
    const BEGIN_WRITE: &'static str;
    /// Reads the chain head inside a write transaction, holding it until commit.
    const LOCK_HEAD: &'static str;
    /// Starts a read-only transaction over one consistent snapshot.
    const BEGIN_SNAPSHOT: &'static str;
    /// Taken inside the migration transaction so that concurrent starts run them once.
    const MIGRATION_LOCK: Option<&'static str>;
    /// Copies the whole database into the file named by the one parameter, if the
    /// backend can.
    const BACKUP: Option<&'static str>;
    /// `$n` placeholders (PostgreSQL) or `?` in order (SQLite, where looking up numbered
    /// parameters by name costs time in the square of their number).
    const NUMBERED: bool;
    /// `(name, CREATE statement)` of the secondary indexes of the ledger's tables: an
    /// import into an empty ledger drops them and builds them once at the end.
    const SECONDARY_INDEXES: &'static str;
    /// Run after a bulk load so that the planner knows the new tables' sizes.
    const AFTER_BULK_LOAD: Option<&'static str>;
    /// An aggregate that turns the selected rows into one JSON array of arrays, `[]` when
    /// there are none: `(before the columns, after them)`. A page's many small rows then
    /// cross from the database as one value instead of one message per row.
    const JSON_ROWS: (&'static str, &'static str);
    /// The date a done finding `f` (closed or long-term) became so, read from its stored
    /// history: the last transition into its status. Only for findings done before the
    /// closures table existed; later ones have their row there.
    const DONE_ON: &'static str;
    /// Findings are counted by aspect before their category is looked up (SQLite), or
    /// joined to it one by one (PostgreSQL, whose hash join is the faster).
    const CATEGORIES_BY_ASPECT: bool;
    /// Statements run on a connection before and after a read of the whole ledger (the
    /// statistics report, an import's index builds).
    const WHOLE_SCAN: Option<(&'static str, &'static str)>;
    /// For an import into an empty ledger by the database's only user: the statement
    /// that leaves the write-ahead log, the mode it names when it succeeds, and the one
    /// that returns to the log after.
    const BULK_JOURNAL: Option<(&'static str, &'static str, &'static str)>;
    fn migrator() -> &'static sqlx::migrate::Migrator;

    /// A connection of sqlx's as the statements' runner.
    type Conn<'c>: Exec
    where
        Self: 'c;
    fn exec(conn: &mut Self::Connection) -> Self::Conn<'_>;

    /// Starts the writer of this store (`writer`), which takes its units of work from `rx`.
    fn start_writer(store: SqlStore<Self>, rx: tokio::sync::mpsc::Receiver<writer::Msg>);

    /// Runs `verify::verify_in` inside one snapshot of the whole database.
    fn verify(
        store: &SqlStore<Self>,
        anchor: Option<&zhenggai_core::event::Anchor>,
    ) -> impl std::future::Future<Output = Result<crate::api::VerifyReport>> + Send;
}

/// The store over one database. `DB` is `Sqlite` or `Postgres`.
pub struct SqlStore<DB: Database> {
    pub(crate) pool: Pool<DB>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) max_file: u64,
    pub(crate) sole_user: bool,
    pub(crate) url: String,
    /// Units of work go to one writer task that commits those waiting together
    /// (`writer`); `None` in the writer's own handle.
    pub(crate) writer: Option<tokio::sync::mpsc::Sender<writer::Msg>>,
    /// Ledger pages read recently, shared by every handle (`page_cache`).
    pub(crate) pages: Arc<page_cache::PageCache>,
}

impl<DB: Database> SqlStore<DB> {
    pub(crate) fn new(pool: Pool<DB>, options: crate::Options, url: &str) -> SqlStore<DB> {
        SqlStore {
            pool,
            clock: options.clock,
            max_file: options.max_file,
            sole_user: options.sole_user,
            url: url.to_string(),
            writer: None,
            pages: Arc::default(),
        }
    }

    /// Another handle on the same database, without the writer.
    pub(crate) fn handle(&self) -> SqlStore<DB> {
        SqlStore {
            pool: self.pool.clone(),
            clock: self.clock.clone(),
            max_file: self.max_file,
            sole_user: self.sole_user,
            url: self.url.clone(),
            writer: None,
            pages: self.pages.clone(),
        }
    }
}

/// The system's clock: UTC for event times, the local calendar day for the rules.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn today(&self) -> Date {
        Date(chrono::Local::now().date_naive())
    }
}

pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Bound parameters per statement, under SQLite's and PostgreSQL's limits.
const MAX_PARAMS: usize = 30_000;

/// SQL text with `$n` placeholders and the values bound to them, built up piece by piece
/// for the queries whose filters vary. (sqlx's QueryBuilder ties its arguments' lifetime to
/// its own, which generic code over two databases cannot satisfy.)
#[derive(Debug, Clone, Default)]
pub(crate) struct Stmt {
    pub sql: String,
    pub args: Vec<Val>,
    numbered: bool,
}

impl Stmt {
    pub fn new<DB: Sql>(sql: impl Into<String>) -> Stmt {
        Stmt {
            sql: sql.into(),
            args: Vec::new(),
            numbered: DB::NUMBERED,
        }
    }

    pub fn push(&mut self, sql: &str) -> &mut Stmt {
        self.sql.push_str(sql);
        self
    }

    pub fn bind(&mut self, v: impl Into<Val>) -> &mut Stmt {
        self.args.push(v.into());
        placeholder(&mut self.sql, self.numbered, self.args.len());
        self
    }

    /// `(​$a, $b, …)` for an IN list.
    pub fn bind_list<V: Into<Val>>(&mut self, vals: impl IntoIterator<Item = V>) -> &mut Stmt {
        self.push("(");
        for (i, v) in vals.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(v);
        }
        self.push(")")
    }

    pub fn query_as<DB, O>(&self) -> sqlx::query::QueryAs<'_, DB, O, DB::Arguments<'_>>
    where
        DB: Database,
        O: for<'r> sqlx::FromRow<'r, DB::Row>,
        for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
        for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
        for<'a> Option<String>: sqlx::Encode<'a, DB>,
    {
        let mut q = sqlx::query_as(&self.sql);
        for v in &self.args {
            q = match v {
                Val::Text(s) => q.bind(s.clone()),
                Val::Int(i) => q.bind(*i),
                Val::Null => q.bind(None::<String>),
            };
        }
        q
    }
}

fn placeholder(sql: &mut String, numbered: bool, n: usize) {
    if numbered {
        sql.push('$');
        sql.push_str(&n.to_string());
    } else {
        sql.push('?');
    }
}

/// Inserts rows of one table in statements of as many rows as the parameter limit allows.
pub(crate) async fn write_rows<DB: Sql>(
    e: &mut impl Exec,
    table: Table,
    rows: Vec<Row>,
) -> Result<()> {
    let width = table.columns.len();
    let per_statement = (MAX_PARAMS / width).max(1);
    let head = format!(
        "INSERT INTO {} ({}) VALUES ",
        table.name,
        table.columns.join(", ")
    );
    let kinds: Vec<Kind> = table.columns.iter().map(|c| table.kind(c)).collect();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Row> = rows.by_ref().take(per_statement).collect();
        let mut sql = String::with_capacity(head.len() + chunk.len() * width * 6);
        sql.push_str(&head);
        let mut n = 0;
        for (ri, _) in chunk.iter().enumerate() {
            sql.push_str(if ri == 0 { "(" } else { ", (" });
            for ci in 0..width {
                n += 1;
                if ci > 0 {
                    sql.push_str(", ");
                }
                placeholder(&mut sql, DB::NUMBERED, n);
            }
            sql.push(')');
        }
        let mut args = Vec::with_capacity(n);
        for row in chunk {
            for (v, kind) in row.values.into_iter().zip(&kinds) {
                args.push(Arg::of(v, *kind));
            }
        }
        e.execute(&sql, args).await?;
    }
    Ok(())
}

/// Writes the changed columns of rows that exist, one statement a row.
pub(crate) async fn update_rows<DB: Sql>(e: &mut impl Exec, updates: Vec<Update>) -> Result<()> {
    for Update { row, changed } in updates {
        let table = row.table;
        let (Some(id_column), false) = (table.columns.first(), changed.is_empty()) else {
            continue;
        };
        let mut sql = format!("UPDATE {} SET ", table.name);
        for (n, &c) in changed.iter().enumerate() {
            if n > 0 {
                sql.push_str(", ");
            }
            sql.push_str(table.columns.get(c).copied().unwrap_or_default());
            sql.push_str(" = ");
            placeholder(&mut sql, DB::NUMBERED, n + 1);
        }
        sql.push_str(" WHERE ");
        sql.push_str(id_column);
        sql.push_str(" = ");
        placeholder(&mut sql, DB::NUMBERED, changed.len() + 1);
        let mut values: Vec<Option<Val>> = row.values.into_iter().map(Some).collect();
        let mut args = Vec::with_capacity(changed.len() + 1);
        for c in changed.into_iter().chain([0]) {
            let kind = table
                .columns
                .get(c)
                .map_or(Kind::Text, |name| table.kind(name));
            let v = values
                .get_mut(c)
                .and_then(Option::take)
                .unwrap_or(Val::Null);
            args.push(Arg::of(v, kind));
        }
        e.execute(&sql, args).await?;
    }
    Ok(())
}

/// Rows grouped by table in first-seen order, so that parents are written before children.
pub(crate) fn by_table(rows: Vec<Row>) -> Vec<(Table, Vec<Row>)> {
    let mut out: Vec<(Table, Vec<Row>)> = Vec::new();
    for row in rows {
        match out.iter_mut().find(|(t, _)| *t == row.table) {
            Some((_, rs)) => rs.push(row),
            None => out.push((row.table, vec![row])),
        }
    }
    out
}
