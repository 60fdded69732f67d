//! `zhenggai user …`: accounts from the command line, the password from stdin.

use crate::{both, ok, zg, zg_in, Db};

fn users_are_added_listed_and_disabled(db: &Db) {
    ok(db, &["demo"]);
    let out = zg_in(
        db,
        &[
            "user",
            "add",
            "wangwu",
            "--role",
            "unit_editor",
            "--unit",
            "中共示例市农业农村局党组",
            "--name",
            "王五",
        ],
        Some("一个足够长的密码\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = ok(db, &["user", "list"]);
    assert!(
        list.lines()
            .any(|l| l.starts_with("wangwu") && l.contains("unit_editor") && l.contains("u-nyj")),
        "{list}"
    );
    let short = zg_in(
        db,
        &["user", "add", "zhaoliu", "--role", "office"],
        Some("短\n"),
    );
    assert_eq!(short.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&short.stderr).contains("密码至少"));
    let bad_role = zg_in(
        db,
        &["user", "add", "x", "--role", "boss"],
        Some("whatever-long\n"),
    );
    assert_eq!(bad_role.status.code(), Some(1));
    let no_unit = zg_in(
        db,
        &["user", "add", "y", "--role", "unit_lead"],
        Some("whatever-long\n"),
    );
    assert_eq!(no_unit.status.code(), Some(1));
    ok(db, &["user", "disable", "wangwu"]);
    assert!(ok(db, &["user", "list"]).contains("（已停用）"));
    let token = ok(db, &["user", "token", "office", "--label", "数据对接"]);
    assert_eq!(token.lines().next().map(str::len), Some(64), "{token}");
    assert_eq!(
        zg(db, &["user", "disable", "nobody"]).status.code(),
        Some(1)
    );
    assert!(ok(db, &["verify"]).contains("事件链完整"));
}

both!(users_are_added_listed_and_disabled);
