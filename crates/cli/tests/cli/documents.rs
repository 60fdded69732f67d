//! `zhenggai notice` and `zhenggai supervise` on the demo: the notice in text and Word
//! parses back (with `zhenggai parse`) to the same tree, and supervision notices are
//! written one per unit with overdue findings.

use crate::{both, ok, zg, Db};

fn notices_and_supervision_notices_from_the_demo(db: &Db) {
    ok(db, &["demo"]);
    let dir = tempfile::tempdir().expect("dir");
    let mut parsed = Vec::new();
    for (format, name) in [("txt", "n.txt"), ("docx", "n.docx")] {
        let file = dir.path().join(name);
        let path = file.to_str().expect("path");
        ok(
            db,
            &[
                "notice",
                "--round",
                "示例市委第三轮巡察",
                "--unit",
                "u-cgj",
                "--format",
                format,
                "-o",
                path,
                "--today",
                "2026-01-05",
            ],
        );
        let json = ok(db, &["parse", path]);
        let n: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(n["published"], "2026-01-05");
        assert_eq!(n["unit"], "中共示例市城市管理局党组");
        assert_eq!(n["kind"], "progress");
        assert_eq!(
            n["findings"].as_array().expect("findings").len(),
            10,
            "{json}"
        );
        parsed.push(n);
    }
    let tree = |n: &serde_json::Value| {
        (
            n["categories"]
                .as_array()
                .map(|c| c.iter().map(|x| x["title"].clone()).collect::<Vec<_>>()),
            n["findings"].as_array().map(|f| {
                f.iter()
                    .map(|x| {
                        (
                            x["title"].clone(),
                            x["measures"]
                                .as_array()
                                .map(|m| m.iter().map(|y| y["text"].clone()).collect::<Vec<_>>()),
                        )
                    })
                    .collect::<Vec<_>>()
            }),
        )
    };
    assert_eq!(
        tree(&parsed[0]),
        tree(&parsed[1]),
        "text and Word say the same"
    );
    let missing = zg(
        db,
        &[
            "notice", "--round", "r-demo-3", "--unit", "nope", "-o", "x.txt",
        ],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("找不到单位“nope”"));

    // Long after the demo's deadlines: every unit has overdue findings.
    let out = dir.path().join("督办");
    let said = ok(
        db,
        &[
            "supervise",
            "--round",
            "r-demo-3",
            "-o",
            out.to_str().expect("path"),
            "--today",
            "2030-06-03",
        ],
    );
    let files: Vec<_> = std::fs::read_dir(&out).expect("dir").collect();
    assert!(!files.is_empty(), "{said}");
    assert_eq!(files.len(), 4, "{said}");
    assert_eq!(said.lines().count(), files.len(), "{said}");
    let bad = dir.path().join("bad.docx");
    std::fs::write(&bad, b"not a docx").expect("write");
    let refused = zg(
        db,
        &[
            "supervise",
            "--round",
            "r-demo-3",
            "-o",
            out.to_str().expect("path"),
            "--template",
            bad.to_str().expect("path"),
            "--today",
            "2026-01-05",
        ],
    );
    assert_eq!(
        refused.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

both!(notices_and_supervision_notices_from_the_demo);
