//! The `zhenggai` binary as people run it, on a SQLite file and on PostgreSQL.

mod backup;
mod documents;
mod interrupted;
mod ledger;
mod notice;
mod quiet;
mod stats;
mod users;
mod xlsx;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub struct Db {
    pub url: String,
    pub dir: tempfile::TempDir,
}

pub fn sqlite() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    Db {
        url: format!("sqlite://{}", dir.path().join("z.db").display()),
        dir,
    }
}

pub fn postgres() -> Db {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    Db {
        url: rt.block_on(zhenggai_testkit::postgres_url()),
        dir: tempfile::tempdir().expect("tempdir"),
    }
}

/// One test per backend from a `fn(&Db)`; the PostgreSQL one runs when asked for.
#[macro_export]
macro_rules! both {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $case() {
                    super::$case(&$crate::sqlite());
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                #[ignore = "needs PostgreSQL: scripts/test.sh runs it"]
                fn $case() {
                    super::$case(&$crate::postgres());
                }
            )*
        }
    };
}

/// Runs zhenggai on the database, in the test's own directory (logs go there).
pub fn zg(db: &Db, args: &[&str]) -> Output {
    zg_in(db, args, None)
}

pub fn zg_in(db: &Db, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .arg("--database")
        .arg(&db.url)
        .arg("--data")
        .arg(db.dir.path().join("data"))
        .args(args)
        .env_remove("ZHENGGAI_DATA")
        .env_remove("ZHENGGAI_DATABASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run zhenggai");
    if let Some(input) = stdin {
        child
            .stdin
            .as_mut()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
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

/// The document without the anchor of the chain it came from.
pub fn body(doc: &str) -> &str {
    doc.find("\"rounds\"").map_or(doc, |i| &doc[i..])
}

pub fn exec(db: &Db, sql: &str) {
    use sqlx::{Connection, Executor};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
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
