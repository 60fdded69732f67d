//! The shared deployment: PostgreSQL. The chain head row is locked by every writing
//! transaction, so concurrent writers append to the chain one after another.

use sqlx::postgres::PgPoolOptions;
use sqlx::{PgConnection, Postgres};

use crate::error::{Result, StoreError};

crate::backend::sql_backend!(
    Postgres,
    PgConnection,
    "postgres",
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
);

pub async fn connect(url: &str) -> Result<Backend> {
    let pool = PgPoolOptions::new().max_connections(8).connect(url).await?;
    sqlx::migrate!("./migrations/postgres")
        .run(&pool)
        .await
        .map_err(StoreError::Migrate)?;
    Ok(Backend { pool })
}
