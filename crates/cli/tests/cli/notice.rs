//! `zhenggai import-notice`: the tree lands in one transaction with its events, the same
//! notice is refused the second time, and a dry run writes nothing.

use std::path::PathBuf;

use crate::{both, export, ok, zg, Db};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../notice/tests/fixtures")
        .join(name)
}

fn a_notice_becomes_a_feedback_once(db: &Db) {
    let work = tempfile::tempdir().expect("tempdir");
    let file = fixture("sections_four_levels.txt");
    let file = file.to_str().expect("path");
    let round = ["--round", "县委第二轮巡察"];
    let dry = ok(
        db,
        &["import-notice", file, round[0], round[1], "--dry-run"],
    );
    assert!(
        dry.contains("问题 5 个") && dry.contains("措施 11 项"),
        "{dry}"
    );
    if let Some(f) = db.url.strip_prefix("sqlite://") {
        assert!(
            !std::path::Path::new(f).exists(),
            "a dry run makes no database"
        );
    }
    let done = ok(db, &["import-notice", file, round[0], round[1]]);
    assert!(done.contains("已导入"), "{done}");
    let doc: serde_json::Value =
        serde_json::from_str(&export(db, work.path(), "e.json")).expect("json");
    assert_eq!(doc["rounds"][0]["name"], "县委第二轮巡察");
    assert_eq!(doc["rounds"][0]["team"], "县委第三巡察组");
    assert_eq!(doc["rounds"][0]["feedback_date"], "2023-06-02");
    assert_eq!(doc["units"][0]["name"], "中共示例县财政局党组");
    let fb = &doc["feedbacks"][0];
    assert_eq!(fb["plan"]["status"], "draft");
    assert_eq!(fb["categories"].as_array().map(Vec::len), Some(2));
    let finding = &fb["categories"][0]["aspects"][1]["findings"][0];
    assert_eq!(finding["title"], "惠农补贴资金拨付进度慢");
    let measure = &finding["measures"][0];
    assert!(
        measure["due"].is_string(),
        "every measure gets a due date: {measure}"
    );
    let outcomes = measure["outcomes"].as_array().expect("outcomes");
    assert!(
        outcomes
            .iter()
            .any(|o| o["type"] == "quantity" && o["value"] == 120_000_000.0),
        "{outcomes:?}"
    );
    let events_after_first = ok(db, &["verify"]);
    let again = zg(db, &["import-notice", file, round[0], round[1]]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("导入过"));
    assert_eq!(
        ok(db, &["verify"]),
        events_after_first,
        "a refused import adds no event"
    );
}

fn a_text_without_findings_is_refused(db: &Db) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("plain.txt");
    std::fs::write(&file, "会议通知：明天上午九点开会。").expect("write");
    let out = zg(
        db,
        &[
            "import-notice",
            file.to_str().expect("path"),
            "--round",
            "某轮",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有识别出任何问题"));
}

both!(
    a_notice_becomes_a_feedback_once,
    a_text_without_findings_is_refused
);
