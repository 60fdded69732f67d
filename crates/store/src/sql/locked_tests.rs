// Clippy does not see `#[tokio::test]` bodies as tests, where a failed step should panic.
#![allow(clippy::unwrap_used)]

use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

use super::*;

async fn memory() -> SqliteConnection {
    SqliteConnectOptions::from_str("sqlite::memory:")
        .unwrap()
        .connect()
        .await
        .unwrap()
}

#[derive(Debug, PartialEq, serde::Deserialize, sqlx::FromRow)]
struct Item {
    id: String,
    n: i64,
    note: Option<String>,
}

fn item(id: &str, n: i64, note: Option<&str>) -> Item {
    Item {
        id: id.into(),
        n,
        note: note.map(str::to_string),
    }
}

const TABLE: &str = "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL, note TEXT)";

#[tokio::test]
async fn parameters_bind_by_number_and_rows_read_by_column_name() {
    let mut conn = memory().await;
    let mut l = Locked::lock(&mut conn).await.unwrap();
    l.execute(TABLE, vec![]).await.unwrap();
    // Numbered out of order, as generic code over two backends writes them; and `?` in order.
    l.execute(
        "INSERT INTO t (n, note, id) VALUES ($2, $3, $1)",
        vec!["a".into(), 7.into(), Arg::NullText],
    )
    .await
    .unwrap();
    l.execute(
        "INSERT INTO t (id, n, note) VALUES (?, ?, ?)",
        vec!["b".into(), 8.into(), "x".into()],
    )
    .await
    .unwrap();
    let rows: Vec<Item> = l
        .fetch_all("SELECT note, n, id FROM t ORDER BY id", vec![])
        .await
        .unwrap();
    assert_eq!(rows, vec![item("a", 7, None), item("b", 8, Some("x"))]);
    let one: Option<(i64, String)> = l
        .fetch_optional("SELECT n, id FROM t WHERE id = $1", vec!["b".into()])
        .await
        .unwrap();
    assert_eq!(one, Some((8, "b".to_string())));
    let none: Option<(i64,)> = l
        .fetch_optional("SELECT n FROM t WHERE id = $1", vec!["c".into()])
        .await
        .unwrap();
    assert_eq!(none, None);
}

#[tokio::test]
async fn a_parameter_without_a_value_is_refused_not_bound_as_null() {
    let mut conn = memory().await;
    let mut l = Locked::lock(&mut conn).await.unwrap();
    l.execute(TABLE, vec![]).await.unwrap();
    let e = l
        .execute(
            "INSERT INTO t (id, n, note) VALUES ($1, $2, $3)",
            vec!["a".into(), 1.into()],
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "internal");
    let rows: Vec<Item> = l.fetch_all("SELECT * FROM t", vec![]).await.unwrap();
    assert!(rows.is_empty());
}

#[tokio::test]
async fn a_taken_id_is_reported_as_sqlx_reports_a_unique_violation() {
    let mut conn = memory().await;
    let mut l = Locked::lock(&mut conn).await.unwrap();
    l.execute(TABLE, vec![]).await.unwrap();
    let insert = "INSERT INTO t (id, n) VALUES ($1, $2)";
    l.execute(insert, vec!["a".into(), 1.into()]).await.unwrap();
    let e = l
        .execute(insert, vec!["a".into(), 2.into()])
        .await
        .unwrap_err();
    match e {
        StoreError::Database(sqlx::Error::Database(d)) => assert!(d.is_unique_violation()),
        other => panic!("expected a database error, got {other:?}"),
    }
    let e = l
        .execute(insert, vec![Arg::NullText, Arg::NullInt])
        .await
        .unwrap_err();
    match e {
        StoreError::Database(sqlx::Error::Database(d)) => {
            assert_eq!(d.kind(), sqlx::error::ErrorKind::NotNullViolation)
        }
        other => panic!("expected a database error, got {other:?}"),
    }
}

#[tokio::test]
async fn dropped_inside_its_transaction_it_leaves_nothing_behind() {
    let mut conn = memory().await;
    {
        let mut l = Locked::lock(&mut conn).await.unwrap();
        l.execute(TABLE, vec![]).await.unwrap();
        l.execute(
            "CREATE TABLE chain_head (id INTEGER PRIMARY KEY, seq INTEGER, hash TEXT)",
            vec![],
        )
        .await
        .unwrap();
        l.execute("INSERT INTO chain_head VALUES (1, 4, 'h')", vec![])
            .await
            .unwrap();
        assert_eq!(l.begin().await.unwrap(), (4, "h".to_string()));
        l.execute("INSERT INTO t (id, n) VALUES ('a', 1)", vec![])
            .await
            .unwrap();
    }
    // Back in sqlx's hands: outside any transaction, without the row.
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 0);
    let mut l = Locked::lock(&mut conn).await.unwrap();
    // A batch whose end failed leaves its transaction open; the next begins afresh.
    l.begin().await.unwrap();
    l.execute("INSERT INTO t (id, n) VALUES ('b', 1)", vec![])
        .await
        .unwrap();
    l.begin().await.unwrap();
    l.execute("INSERT INTO t (id, n) VALUES ('c', 1)", vec![])
        .await
        .unwrap();
    l.commit().await.unwrap();
    let ids: Vec<(String,)> = l.fetch_all("SELECT id FROM t", vec![]).await.unwrap();
    assert_eq!(ids, vec![("c".to_string(),)]);
}
