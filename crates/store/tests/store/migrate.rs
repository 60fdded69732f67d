//! Several processes starting on a new database at once all come up, with the schema
//! applied once.

use zhenggai_store::Options;

async fn concurrent_first_starts(url: String) {
    let opens = (0..6).map(|_| {
        let url = url.clone();
        tokio::spawn(async move {
            zhenggai_store::open_with(&url, Options::default())
                .await
                .map(|s| s.backend())
        })
    });
    for r in futures_util::future::join_all(opens).await {
        r.expect("task").expect("every start succeeds");
    }
    let store = zhenggai_store::open(&url).await.expect("open");
    assert!(store.is_empty().await.expect("empty"));
    assert_eq!(store.verify(None).await.expect("verify").broken, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_migrations_are_safe_under_concurrent_starts() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().expect("tempdir");
        concurrent_first_starts(format!("sqlite://{}", dir.path().join("new.db").display())).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: scripts/test.sh runs it"]
async fn postgres_migrations_are_safe_under_concurrent_starts() {
    for _ in 0..5 {
        concurrent_first_starts(zhenggai_testkit::postgres_url().await).await;
    }
}
