//! An import killed half-way leaves the ledger as it was: on SQLite the bulk load into an
//! empty file goes through a rollback journal, which the next start rolls back.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use zhenggai_testkit::{feedback, round, unit};

use crate::ok;

/// A ledger of `n` units, each with a two-finding feedback, as `zhenggai export` writes it.
fn write_ledger(path: &Path, n: usize) {
    let units: Vec<_> = (0..n).map(|i| unit(&format!("u{i}"))).collect();
    let feedbacks: Vec<_> = (0..n)
        .map(|i| feedback(&format!("fb{i}"), &format!("u{i}")))
        .collect();
    // Written by hand: the sections must come in the document's order.
    let doc = format!(
        "{{\"format\":\"zhenggai.ledger.v2\",\"rounds\":[{}],\"units\":{},\"feedbacks\":{}}}",
        serde_json::to_string(&round()).expect("json"),
        serde_json::to_string(&units).expect("json"),
        serde_json::to_string(&feedbacks).expect("json")
    );
    std::fs::write(path, doc).expect("write ledger");
}

fn in_wal_mode(file: &Path) -> bool {
    let header = std::fs::read(file).expect("database file");
    header[18] == 2 && header[19] == 2
}

#[test]
fn a_killed_import_leaves_the_ledger_empty_and_the_next_start_restores_it() {
    let db = crate::sqlite();
    let ledger = db.dir.path().join("ledger.json");
    write_ledger(&ledger, 3_000);
    ok(&db, &["init"]);
    let file = db.dir.path().join("z.db");
    let journal = db.dir.path().join("z.db-journal");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .arg("--database")
        .arg(&db.url)
        .arg("--data")
        .arg(db.dir.path().join("data"))
        .arg("import")
        .arg(&ledger)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(db.dir.path().join("stderr")).expect("stderr"))
        .spawn()
        .expect("run zhenggai");
    // The journal appears with the import's first write; kill it once rows are going in.
    let started = Instant::now();
    while !journal.exists() || std::fs::metadata(&file).expect("file").len() < 1 << 20 {
        if let Some(status) = child.try_wait().expect("wait") {
            let said = std::fs::read_to_string(db.dir.path().join("stderr")).unwrap_or_default();
            panic!("the import ended ({status}) before it could be killed: {said}");
        }
        assert!(started.elapsed() < Duration::from_secs(120), "no journal");
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    assert!(journal.exists(), "a hot journal is left behind");
    assert!(!in_wal_mode(&file), "killed outside the write-ahead log");

    let verified = ok(&db, &["verify"]);
    assert!(verified.contains("已校验 0 个事件"), "{verified}");
    assert!(!journal.exists(), "rolled back on the next start");
    assert!(in_wal_mode(&file), "and back in the write-ahead log");

    let imported = ok(&db, &["import", ledger.to_str().expect("path")]);
    assert!(imported.contains("单位 3000"), "{imported}");
    assert!(ok(&db, &["verify"]).contains("事件链完整"));
}
