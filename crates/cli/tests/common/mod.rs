//! Helpers for running the binary against a fresh SQLite file or PostgreSQL database.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use sqlx::{Connection, Executor};

pub struct Db {
    pub url: String,
    _dir: tempfile::TempDir,
}

pub fn sqlite() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    Db {
        url: format!("sqlite://{}", dir.path().join("z.db").display()),
        _dir: dir,
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

pub fn postgres() -> Option<Db> {
    let Ok(admin) = std::env::var("ZHENGGAI_TEST_POSTGRES") else {
        assert!(
            std::env::var("ZHENGGAI_REQUIRE_POSTGRES").is_err(),
            "PostgreSQL required"
        );
        eprintln!("skipping PostgreSQL: ZHENGGAI_TEST_POSTGRES is not set");
        return None;
    };
    let name = format!("cli_{}", std::process::id() as u64 * 1000 + rand_suffix());
    runtime().block_on(async {
        let mut c = sqlx::PgConnection::connect(&admin).await.expect("admin");
        c.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create");
    });
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin);
    Some(Db {
        url: format!("{base}/{name}"),
        _dir: tempfile::tempdir().expect("tempdir"),
    })
}

pub fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

pub fn backends() -> Vec<Db> {
    let mut v = vec![sqlite()];
    v.extend(postgres());
    v
}

pub fn zg(db: &Db, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .env_remove("ZHENGGAI_DATA")
        .output()
        .expect("run zhenggai")
}

pub fn ok(db: &Db, args: &[&str]) -> String {
    let out = zg(db, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

pub fn export(db: &Db, dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    ok(
        db,
        &[
            "export",
            "--format",
            "json",
            "-o",
            path.to_str().expect("path"),
        ],
    );
    std::fs::read_to_string(path).expect("read export")
}

pub fn exec(db: &Db, sql: &str) {
    runtime().block_on(async {
        if db.url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&db.url)
                .await
                .expect("sqlite");
            c.execute(sql).await.expect("sql");
        } else {
            let mut c = sqlx::PgConnection::connect(&db.url).await.expect("pg");
            c.execute(sql).await.expect("sql");
        }
    });
}
