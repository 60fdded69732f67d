//! The shared deployment: PostgreSQL. The chain head row is locked by every writing
//! transaction, so concurrent writers append to the chain one after another.

use sqlx::postgres::PgPoolOptions;
use sqlx::{PgConnection, Postgres};
use std::time::Duration;

use tokio::sync::mpsc;

use super::exec::SqlxExec;
use super::migrate::Migrate;
use super::write_tx::SqlxTx;
use super::writer::{answer_all, next_batch, Job, Msg};
use super::{verify, Sql, SqlStore};
use crate::api::VerifyReport;
use crate::error::Result;
use crate::Options;
use zhenggai_core::event::Anchor;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Sql for Postgres {
    const NAME: &'static str = "postgres";
    const BEGIN_WRITE: &'static str = "BEGIN";
    // The row lock queues concurrent writers behind this one.
    const LOCK_HEAD: &'static str = "SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE";
    const BEGIN_SNAPSHOT: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    // Any constant shared by every zhenggai process: "zg" in ASCII.
    const MIGRATION_LOCK: Option<&'static str> = Some("SELECT pg_advisory_xact_lock(31335)");

    // PostgreSQL deployments back up with pg_dump (see the README).
    const BACKUP: Option<&'static str> = None;

    const SECONDARY_INDEXES: &'static str =
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() \
         AND tablename IN ('events', 'feedbacks', 'categories', 'aspects', 'findings', 'measures', 'outcomes', 'closures') \
         AND indexname NOT LIKE '%_pkey'";
    // Without fresh statistics PostgreSQL scans the new findings to sort them.
    const AFTER_BULK_LOAD: Option<&'static str> = Some("ANALYZE");
    const NUMBERED: bool = true;
    const JSON_ROWS: (&'static str, &'static str) = (
        "COALESCE(json_agg(json_build_array(",
        ")), '[]'::json)::text",
    );
    const CATEGORIES_BY_ASPECT: bool = false;
    const WHOLE_SCAN: Option<(&'static str, &'static str)> = None;
    const BULK_JOURNAL: Option<(&'static str, &'static str, &'static str)> = None;
    const DONE_ON: &'static str = "(SELECT t.value ->> 'date' \
         FROM jsonb_array_elements(f.body::jsonb -> 'transitions') WITH ORDINALITY AS t(value, i) \
         WHERE t.value ->> 'to' = f.status ORDER BY t.i DESC LIMIT 1)";

    fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }

    type Conn<'c> = SqlxExec<'c, Postgres>;
    fn exec(conn: &mut PgConnection) -> SqlxExec<'_, Postgres> {
        SqlxExec(conn)
    }

    /// In one read-only transaction at repeatable read: one snapshot of the whole database.
    async fn verify(store: &SqlStore<Postgres>, anchor: Option<&Anchor>) -> Result<VerifyReport> {
        let mut tx = store.pool.begin_with(Self::BEGIN_SNAPSHOT).await?;
        let report = verify::verify_in(&mut SqlxExec::<Postgres>(&mut *tx), anchor).await?;
        tx.rollback().await?;
        Ok(report)
    }

    /// A task on the server's runtime, taking a connection of the pool for each batch.
    fn start_writer(store: SqlStore<Postgres>, mut rx: mpsc::Receiver<Msg>) {
        tokio::spawn(async move {
            // On the server's runtime: never awake without work.
            while let Some(batch) = next_batch(&mut rx, Duration::ZERO).await {
                if !batch.jobs.is_empty() {
                    match store.pool.acquire().await {
                        Ok(mut conn) => {
                            store
                                .commit_batch(&mut SqlxTx::new(&mut conn), batch.jobs)
                                .await
                        }
                        Err(e) => {
                            answer_all(batch.jobs.into_iter().map(Job::into_reply), &e.into())
                        }
                    }
                }
                if let Some(done) = batch.close {
                    let _ = done.send(());
                    return;
                }
            }
        });
    }
}

pub async fn connect(url: &str, options: Options) -> Result<SqlStore<Postgres>> {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        // A server that does not answer is reported after 10 s, not sqlx's 30.
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect(url)
        .await?;
    let mut store = SqlStore::new(pool, options, url);
    store.migrate().await?;
    store.start_writer();
    Ok(store)
}
