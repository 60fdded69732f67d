//! The embedded default: one SQLite file in WAL mode, synced on every commit so that an
//! acknowledged change survives a crash.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection};

use crate::error::{Result, StoreError};

crate::backend::sql_backend!(Sqlite, SqliteConnection, "sqlite", "SELECT 1");

pub async fn connect(url: &str) -> Result<Backend> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30))
        // A 64 MiB page cache for the indexes of a province-scale import; the default
        // 2 MiB makes SQLite write the same index pages to the WAL over and over.
        .pragma("cache_size", "-65536");
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        // A ping before every use is a round trip to the worker thread; a broken file
        // connection surfaces on the statement itself.
        .test_before_acquire(false)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .map_err(StoreError::Migrate)?;
    Ok(Backend { pool })
}
