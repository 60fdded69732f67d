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

/// The same notice saved as UTF-8, GBK and UTF-16 is one notice: imported once.
fn a_notice_is_known_by_its_text_not_its_bytes(db: &Db) {
    let text = std::fs::read_to_string(fixture("sections_four_levels.txt")).expect("fixture");
    let dir = tempfile::tempdir().expect("tempdir");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let files = [
        ("utf8.txt", text.as_bytes().to_vec()),
        ("gbk.txt", gbk.into_owned()),
        ("utf16.txt", utf16),
    ];
    for (i, (name, bytes)) in files.iter().enumerate() {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let file = path.to_str().expect("path");
        let out = zg(db, &["import-notice", file, "--round", "县委第二轮巡察"]);
        let expected = if i == 0 { 0 } else { 1 };
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(expected), "{name}: {err}");
    }
    let doc: serde_json::Value =
        serde_json::from_str(&export(db, dir.path(), "e.json")).expect("json");
    assert_eq!(doc["feedbacks"].as_array().map(Vec::len), Some(1));
}

/// A GBK notice with a damaged byte is refused unless the user says to go on.
fn a_damaged_notice_is_refused_unless_allowed(db: &Db) {
    let text = std::fs::read_to_string(fixture("sections_four_levels.txt")).expect("fixture");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let mut bytes = gbk.into_owned();
    let at = bytes.len() / 2;
    bytes[at] = 0xFF;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("damaged.txt");
    std::fs::write(&path, &bytes).expect("write");
    let file = path.to_str().expect("path");
    let out = zg(db, &["import-notice", file, "--round", "县委第二轮巡察"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("无法解码") && err.contains("--allow-damaged"),
        "{err}"
    );
    let allowed = [
        "import-notice",
        file,
        "--round",
        "县委第二轮巡察",
        "--allow-damaged",
    ];
    assert!(ok(db, &allowed).contains("已导入"));
}

both!(
    a_notice_becomes_a_feedback_once,
    a_text_without_findings_is_refused,
    a_notice_is_known_by_its_text_not_its_bytes,
    a_damaged_notice_is_refused_unless_allowed,
);
