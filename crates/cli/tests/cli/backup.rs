//! Backups of the embedded database while others write, and restores that refuse a
//! damaged copy.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::{ok, zg, Db};

#[test]
fn a_backup_taken_while_others_write_restores_and_verifies() {
    let db = crate::sqlite();
    ok(&db, &["demo"]);
    let backup = db.dir.path().join("backup.db");
    // Keep writing from another process while the backup is taken.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let url = db.url.clone();
        let data = db.dir.path().join("data");
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) && n < 30 {
                let other = Db {
                    url: url.clone(),
                    dir: tempfile::tempdir().expect("tmp"),
                };
                let _ = data;
                let out = crate::zg_in(
                    &other,
                    &["user", "add", &format!("w{n}"), "--role", "office"],
                    Some("long-enough-password\n"),
                );
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                n += 1;
            }
        })
    };
    let out = ok(&db, &["backup", "-o", backup.to_str().expect("path")]);
    stop.store(true, Ordering::SeqCst);
    writer.join().expect("writer");
    let anchor = out
        .lines()
        .find_map(|l| l.strip_prefix("备份时的链头锚点："))
        .expect("anchor")
        .to_string();
    assert_eq!(
        zg(&db, &["backup", "-o", backup.to_str().expect("path")])
            .status
            .code(),
        Some(1),
        "no overwrite"
    );

    // Restore into a fresh place: the copy verifies, anchor included.
    let target = crate::sqlite();
    let restored = ok(
        &target,
        &[
            "restore",
            backup.to_str().expect("path"),
            "--anchor",
            &anchor,
        ],
    );
    // The anchor printed is the copy's own head, not the live file's a moment later.
    assert!(
        restored.contains("已恢复") && restored.contains(&format!("链头 {anchor}")),
        "{restored}"
    );
    assert!(ok(&target, &["verify", "--anchor", &anchor]).contains("事件链完整"));

    // A damaged copy is refused and the ledger in place stays.
    let damaged = db.dir.path().join("damaged.db");
    std::fs::copy(&backup, &damaged).expect("copy");
    crate::exec(
        &Db {
            url: format!("sqlite://{}", damaged.display()),
            dir: tempfile::tempdir().expect("tmp"),
        },
        "UPDATE findings SET status = 'closed'",
    );
    let before = ok(&target, &["stats", "--json"]);
    let out = zg(&target, &["restore", damaged.to_str().expect("path")]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("校验未通过"));
    assert_eq!(ok(&target, &["stats", "--json"]), before);

    // So are a copy cut short and a file that is no database at all.
    let bytes = std::fs::read(&backup).expect("read");
    let cut = db.dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).expect("write");
    let text = db.dir.path().join("notes.db");
    std::fs::write(&text, "这不是数据库").expect("write");
    for bad in [&cut, &text] {
        let out = zg(&target, &["restore", bad.to_str().expect("path")]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("不是完整的台账数据库副本"), "{err}");
        assert_eq!(ok(&target, &["stats", "--json"]), before);
    }
}

#[test]
#[ignore = "needs PostgreSQL: scripts/test.sh runs it"]
fn postgres_deployments_are_told_to_use_pg_dump() {
    let db = crate::postgres();
    ok(&db, &["init"]);
    let out = zg(
        &db,
        &[
            "backup",
            "-o",
            db.dir.path().join("x.db").to_str().expect("path"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
}
