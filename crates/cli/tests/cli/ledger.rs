use crate::{body, both, exec, export, ok, zg, Db};

fn demo_exports_and_reimports_to_the_same_document(db: &Db) {
    let work = tempfile::tempdir().expect("tempdir");
    let source = crate::sqlite();
    let shown = ok(&source, &["demo"]);
    assert!(
        shown.contains("cgj-editor") && shown.contains("zhenggai-demo"),
        "{shown}"
    );
    let verified = ok(&source, &["verify"]);
    assert!(verified.contains("事件链完整"), "{verified}");
    let first = export(&source, work.path(), "a.json");
    assert!(
        first.starts_with("{\"format\":\"zhenggai.ledger.v2\",\"anchor\":\""),
        "{}",
        &first[..80]
    );
    let refused = zg(&source, &["demo"]);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "demo refuses a non-empty database"
    );

    let a = work.path().join("a.json");
    let out = zg(db, &["import", a.to_str().expect("path")]);
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
        body(&export(db, work.path(), "b.json")),
        body(&first),
        "{}",
        db.url
    );
    assert!(ok(db, &["verify"]).contains("事件链完整"));
}

fn evidence_travels_in_the_archive(db: &Db) {
    let work = tempfile::tempdir().expect("tempdir");
    let source = crate::sqlite();
    ok(&source, &["demo"]);
    let zip = work.path().join("ledger.zip");
    let out = zg(
        &source,
        &[
            "export",
            "--with-evidence",
            "-o",
            zip.to_str().expect("path"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("含佐证文件 13 个"));
    let imported = ok(db, &["import", zip.to_str().expect("path")]);
    assert!(imported.contains("佐证文件 13"), "{imported}");
    let verified = ok(db, &["verify"]);
    assert!(verified.contains("13 个文件"), "{verified}");
    assert_eq!(
        body(&export(db, work.path(), "b.json")),
        body(&export(&source, work.path(), "a.json"))
    );
}

fn stats_report_the_demo_ledger(db: &Db) {
    ok(db, &["demo"]);
    let json = ok(db, &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&json).expect("json");
    let units = stats["units"].as_array().expect("units");
    assert_eq!(units.len(), 4);
    let mut statuses = std::collections::BTreeSet::new();
    for u in units {
        assert_eq!(u["findings"], 10);
        statuses.extend(
            u["by_status"]
                .as_object()
                .expect("by_status")
                .keys()
                .cloned(),
        );
    }
    assert_eq!(statuses.len(), 9, "every status appears: {statuses:?}");
    let text = ok(db, &["stats"]);
    assert!(
        text.contains("示例市委第三轮巡察") && text.contains("完成率"),
        "{text}"
    );
}

fn verify_names_an_event_edited_in_the_database(db: &Db) {
    ok(db, &["demo"]);
    exec(db, "UPDATE events SET actor = '冒名者' WHERE seq = 42");
    let out = zg(db, &["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", db.url);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("第 42 号事件"), "{text}");
}

fn verify_names_a_status_edited_in_its_table(db: &Db) {
    ok(db, &["demo"]);
    let before = ok(db, &["stats", "--json"]);
    exec(
        db,
        "UPDATE findings SET status = 'closed' WHERE status = 'open'",
    );
    assert_ne!(
        ok(db, &["stats", "--json"]),
        before,
        "the edit shows in the figures"
    );
    let out = zg(db, &["verify"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("记录 findings/fb-jgj.f") && text.contains("被直接改动"),
        "{text}"
    );
}

fn an_anchor_kept_elsewhere_proves_the_log(db: &Db) {
    ok(db, &["demo"]);
    let text = ok(db, &["verify"]);
    let anchor = text
        .lines()
        .find_map(|l| l.split("：").nth(1).filter(|a| a.contains(':')))
        .expect("anchor")
        .trim();
    let anchored = ok(db, &["verify", "--anchor", anchor]);
    assert!(anchored.contains("含锚点"), "{anchored}");
    let (seq, _) = anchor.split_once(':').expect("seq:hash");
    let forged = format!("{seq}:{}", "0".repeat(64));
    let out = zg(db, &["verify", "--anchor", &forged]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("锚点不符"));
    let out = zg(db, &["verify", "--anchor", "不是锚点"]);
    assert_eq!(out.status.code(), Some(1));
}

both!(
    demo_exports_and_reimports_to_the_same_document,
    evidence_travels_in_the_archive,
    stats_report_the_demo_ledger,
    verify_names_an_event_edited_in_the_database,
    verify_names_a_status_edited_in_its_table,
    an_anchor_kept_elsewhere_proves_the_log,
);
