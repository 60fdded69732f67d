//! The embedded default: one SQLite file in WAL mode, synced on every commit so that an
//! acknowledged change survives a crash.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection};
use tokio::sync::mpsc;

use super::exec::SqlxExec;
use super::locked;
use super::migrate::Migrate;
use super::writer::Msg;
use super::{verify, Exec, Sql, SqlStore};
use crate::api::VerifyReport;
use crate::error::{Result, StoreError};
use crate::Options;
use zhenggai_core::event::Anchor;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl Sql for Sqlite {
    const NAME: &'static str = "sqlite";
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    // In WAL mode a deferred transaction reads one snapshot from its first read on.
    // BEGIN IMMEDIATE already holds the database's write lock.
    const LOCK_HEAD: &'static str = "SELECT seq, hash FROM chain_head WHERE id = 1";
    const BEGIN_SNAPSHOT: &'static str = "BEGIN";
    // BEGIN IMMEDIATE already excludes every other writer.
    const MIGRATION_LOCK: Option<&'static str> = None;

    // A consistent copy while others write: the file is written from one read snapshot.
    const BACKUP: Option<&'static str> = Some("VACUUM INTO $1");

    const SECONDARY_INDEXES: &'static str =
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         AND tbl_name IN ('events', 'feedbacks', 'categories', 'aspects', 'findings', 'measures', 'outcomes', 'closures')";
    // Without statistics the planner takes a round's index over a unit's for a question
    // about one unit of one round: at province scale that is 450,000 rows instead of 45.
    // `analysis_limit` (set on every connection) keeps this to a few milliseconds.
    const AFTER_BULK_LOAD: Option<&'static str> = Some("ANALYZE");
    const NUMBERED: bool = false;
    const JSON_ROWS: (&'static str, &'static str) = ("json_group_array(json_array(", "))");
    // The last transition is the one into the status unless history says otherwise; only
    // then is the whole history searched (a third of the time on 150,000 done findings).
    const CATEGORIES_BY_ASPECT: bool = true;
    // The report reads more of the file than a connection's 64 MiB page cache holds, and
    // one connection of the pool would then read its pages again and again from the OS
    // (0.25 s or 0.7 s for the same category count, depending on the connection). Mapped,
    // the pages are read in place, whichever connection asks. Unmapped after, so that a
    // server's memory does not keep the file's pages it once touched.
    const WHOLE_SCAN: Option<(&'static str, &'static str)> =
        Some(("PRAGMA mmap_size = 2147418112", "PRAGMA mmap_size = 0"));
    // Through the write-ahead log every page of a bulk load is written twice, to the log
    // and again when it is copied into the file, and every read looks the page up in the
    // log first. A rollback journal keeps only the pages that existed before (an empty
    // ledger's few), so the load is written once: 10,000 units in 18.6 s instead of 22.3.
    // Leaving the log needs the only connection to the file; with any other open (a
    // server, another process) the statement fails and the import goes through the log.
    // Readers would wait for the whole import, hence only for the sole user.
    const BULK_JOURNAL: Option<(&'static str, &'static str, &'static str)> = Some((
        "PRAGMA journal_mode = DELETE",
        "delete",
        "PRAGMA journal_mode = WAL",
    ));
    const DONE_ON: &'static str = "COALESCE(\
         CASE WHEN json_extract(f.body, '$.transitions[#-1].to') = f.status \
         THEN json_extract(f.body, '$.transitions[#-1].date') END, \
         (SELECT json_extract(t.value, '$.date') \
         FROM json_each(f.body, '$.transitions') t \
         WHERE json_extract(t.value, '$.to') = f.status ORDER BY t.key DESC LIMIT 1))";

    fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }

    type Conn<'c> = SqlxExec<'c, Sqlite>;
    fn exec(conn: &mut SqliteConnection) -> SqlxExec<'_, Sqlite> {
        SqlxExec(conn)
    }

    /// A thread of its own, with a connection of its own lent to it for good (`locked`):
    /// its statements then block that thread, never the server's, also while SQLite waits
    /// for another process's write lock.
    fn start_writer(store: SqlStore<Sqlite>, rx: mpsc::Receiver<Msg>) {
        let spawned = std::thread::Builder::new()
            .name("zhenggai-writer".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt.block_on(locked::run_writer(store, rx)),
                    Err(e) => tracing::error!(error = %e, "the writer's runtime"),
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "starting the writer");
        }
    }

    /// On the handle sqlx lends, so that none of a province's three million rows crosses
    /// from sqlx's worker thread (each did, at two context switches a row: 31.6 s at
    /// 10,000 units), and on a thread of the blocking pool, so that a server's requests
    /// are not held up meanwhile.
    async fn verify(store: &SqlStore<Sqlite>, anchor: Option<&Anchor>) -> Result<VerifyReport> {
        let mut conn = store.pool.acquire().await?;
        let anchor = anchor.cloned();
        let rt = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            rt.block_on(async {
                let mut locked = locked::Locked::lock(&mut conn).await?;
                locked.execute(Self::BEGIN_SNAPSHOT, Vec::new()).await?;
                let report = verify::verify_in(&mut locked, anchor.as_ref()).await?;
                locked.execute("ROLLBACK", Vec::new()).await?;
                Ok(report)
            })
        })
        .await
        .map_err(|e| StoreError::Internal(format!("verify: {e}")))?
    }
}

pub async fn connect(url: &str, options: Options) -> Result<SqlStore<Sqlite>> {
    let connect = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30))
        // A 64 MiB page cache for the indexes of a province-scale import; the default
        // 2 MiB makes SQLite write the same index pages to the WAL over and over.
        // New files get 4 KiB pages (existing ones keep theirs). Every commit writes each
        // page it touched whole to the log, and a change touches a dozen or more: single
        // changes 2,574-2,863 a second against 2,080-2,238 at 16 KiB (1,000 units), 64
        // writers at once 5,727-7,122 against 4,383-4,485 (10,000 units). 16 KiB pages
        // only made the bulk import faster (17.5-18.9 s instead of 19.6-20.8 s for 10,000
        // units): a one-off, against every user's every day.
        .pragma("page_size", "4096")
        .pragma("cache_size", "-65536")
        // ANALYZE samples at most this many rows per index: enough for the planner, and
        // fast on a ledger of millions of rows.
        .pragma("analysis_limit", "400");
    // The sole user (a command-line import) needs one connection, and must have only
    // one for an import to leave the write-ahead log (`BULK_JOURNAL`).
    let connections = if options.sole_user { 1 } else { 4 };
    let pool = open_pool(connect, connections).await?;
    let mut store = SqlStore::new(pool, options, url);
    store.migrate().await?;
    // A ledger that grew through daily work rather than one import gets its statistics
    // here (SQLite's advice for long-lived connections); it does nothing when they are
    // fresh. Only an optimisation: when another process holds the write lock (two starts
    // at once) SQLite refuses at once rather than waiting, and the next start does it.
    if let Err(e) = sqlx::query("PRAGMA optimize=0x10002")
        .execute(&store.pool)
        .await
    {
        tracing::debug!("PRAGMA optimize skipped: {e}");
    }
    store.start_writer();
    Ok(store)
}

/// Switching a new file to WAL takes an exclusive lock for which SQLite does not wait
/// (the busy timeout does not apply), so a process starting beside another may be
/// refused at once. It waits a little and tries again, as the busy timeout would have.
async fn open_pool(connect: SqliteConnectOptions, connections: u32) -> Result<sqlx::SqlitePool> {
    let mut attempt = 0u64;
    loop {
        let opened = SqlitePoolOptions::new()
            .max_connections(connections)
            // A ping before every use is a round trip to the worker thread; a broken file
            // connection surfaces on the statement itself.
            .test_before_acquire(false)
            .connect_with(connect.clone())
            .await;
        match opened {
            Err(e) if is_busy(&e) && attempt < 100 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(10 * attempt.min(20))).await;
            }
            other => return Ok(other?),
        }
    }
}

fn is_busy(e: &sqlx::Error) -> bool {
    // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with or without an extended code.
    matches!(e, sqlx::Error::Database(d)
        if d.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| matches!(c & 0xff, 5 | 6)))
}
