//! The `zhenggai` binary as a user runs it, on a SQLite file and on PostgreSQL.

mod common;

use common::*;

#[test]
fn demo_exports_and_reimports_to_the_same_document_on_both_backends() {
    let work = tempfile::tempdir().expect("tempdir");
    let source = sqlite();
    ok(&source, &["demo"]);
    let verified = ok(&source, &["verify"]);
    assert!(verified.contains("事件链完整"), "{verified}");
    let first = export(&source, work.path(), "a.json");
    assert!(first.starts_with("{\"format\":\"zhenggai.ledger.v1\""));
    let refused = zg(&source, &["demo"]);
    assert!(
        !refused.status.success(),
        "demo must refuse a non-empty database"
    );

    let a = work.path().join("a.json");
    for target in backends() {
        let out = zg(&target, &["import", a.to_str().expect("path")]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "a piped import prints no progress bar"
        );
        assert_eq!(
            export(&target, work.path(), "b.json"),
            first,
            "{}",
            target.url
        );
        assert!(ok(&target, &["verify"]).contains("事件链完整"));
    }
}

#[test]
fn stats_report_the_demo_ledger() {
    let db = sqlite();
    ok(&db, &["demo"]);
    let json = ok(&db, &["stats", "--json", "--today", "2026-11-26"]);
    let stats: serde_json::Value = serde_json::from_str(&json).expect("json");
    let units = stats.as_array().expect("array");
    assert_eq!(units.len(), 4);
    for u in units {
        assert_eq!(u["findings"], 10);
        let by_status = u["by_status"].as_object().expect("by_status");
        assert_eq!(by_status.len(), 9, "every status appears: {by_status:?}");
        assert!(u["overdue"].as_i64().expect("overdue") > 0);
    }
    let text = ok(&db, &["stats", "--today", "2026-11-26"]);
    assert!(
        text.contains("示例市委第三轮巡察") && text.contains("完成率"),
        "{text}"
    );
}

#[test]
fn verify_names_an_event_edited_in_the_database() {
    for db in backends() {
        ok(&db, &["demo"]);
        exec(&db, "UPDATE events SET actor = '冒名者' WHERE seq = 42");
        let out = zg(&db, &["verify"]);
        assert_eq!(out.status.code(), Some(1), "{}", db.url);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("第 42 号事件"), "{text}");
    }
}

/// Each bad document is refused with the place named, and the database is left exactly
/// as it was.
#[test]
fn bad_imports_name_the_place_and_change_nothing() {
    let work = tempfile::tempdir().expect("tempdir");
    let source = sqlite();
    ok(&source, &["demo"]);
    let good = export(&source, work.path(), "good.json");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "malformed",
            good[..good.find("\"feedbacks\"").expect("feedbacks") + 40].to_string(),
            "bad.json:",
        ),
        (
            "version",
            good.replacen("zhenggai.ledger.v1", "zhenggai.ledger.v7", 1),
            "zhenggai.ledger.v7",
        ),
        (
            "dangling",
            good.replacen("\"unit_id\":\"u-nyj\"", "\"unit_id\":\"u-none\"", 1),
            "unit_id",
        ),
        (
            "duplicate",
            good.replacen("\"id\":\"fb-cgj.f2\"", "\"id\":\"fb-cgj.f1\"", 1),
            "findings[1].id",
        ),
        (
            "status",
            good.replacen("\"status\":\"planned\"", "\"status\":\"closed\"", 1),
            ".status",
        ),
        (
            "date",
            good.replacen("\"2026-05-20\"", "\"2022-02-30\"", 1),
            "2022-02-30",
        ),
        (
            "unknown field",
            good.replacen("\"title\":", "\"titel\":", 1),
            "titel",
        ),
    ];
    for db in backends() {
        // A database that already holds something, so "unchanged" is not trivially empty.
        let base = work.path().join("base.json");
        let units_only = format!(
            "{}\"feedbacks\":[]}}\n",
            &good[..good.find("\"feedbacks\"").expect("feedbacks")]
        );
        std::fs::write(&base, units_only).expect("write");
        ok(&db, &["import", base.to_str().expect("path")]);
        let before = export(&db, work.path(), "before.json");
        for (what, text, named) in &cases {
            let bad = work.path().join("bad.json");
            std::fs::write(&bad, text).expect("write");
            let out = zg(&db, &["import", bad.to_str().expect("path")]);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{what}: {err}");
            assert!(
                err.contains(named),
                "{what}: error should name {named}: {err}"
            );
            assert!(!err.contains("panicked"), "{what}: {err}");
            assert_eq!(
                export(&db, work.path(), "after.json"),
                before,
                "{what} changed the database"
            );
        }
        assert!(ok(&db, &["verify"]).contains("事件链完整"));
    }
}
