//! The command line as a new user meets it: Chinese throughout, quiet when piped, exit 1 for
//! refused input that changed nothing, and nothing left behind by a command that failed.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::{both, export, ok, zg, Db};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhenggai"));
    c.env_remove("ZHENGGAI_DATA")
        .env_remove("ZHENGGAI_DATABASE");
    c
}

fn no_english_or_colour(text: &str) {
    for word in [
        "Usage",
        "Options",
        "Print help",
        "error:",
        "Error",
        "ossible values",
        "default:",
        "env:",
        "OPTIONS",
        "\u{1b}[",
    ] {
        assert!(!text.contains(word), "{word:?} in {text}");
    }
}

#[test]
fn help_and_usage_errors_are_chinese() {
    let help = bin().arg("--help").output().expect("run");
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success());
    assert!(
        text.contains("用法")
            && text.contains("命令")
            && text.contains("选项")
            && text.contains("显示帮助"),
        "{text}"
    );
    no_english_or_colour(&text);
    let sub = bin().args(["import", "--help"]).output().expect("run");
    let text = String::from_utf8_lossy(&sub.stdout);
    assert!(text.contains("参数") && text.contains("导入人"), "{text}");
    no_english_or_colour(&text);
    // Every command's help, the options with a list of values and a default too.
    for command in [
        "parse",
        "import-notice",
        "init",
        "demo",
        "verify",
        "export",
        "import",
        "stats",
        "notice",
        "supervise",
        "user",
        "serve",
        "backup",
        "restore",
    ] {
        let out = bin().args([command, "--help"]).output().expect("run");
        assert!(out.status.success(), "{command}");
        no_english_or_colour(&String::from_utf8_lossy(&out.stdout));
    }
    let export = bin().args(["export", "--help"]).output().expect("run");
    let text = String::from_utf8_lossy(&export.stdout);
    assert!(
        text.contains("可选值") && text.contains("[默认：json]"),
        "{text}"
    );
    for (args, says) in [
        (vec!["import"], "缺少必需的参数"),
        (vec!["frobnicate"], "没有“frobnicate”这个命令"),
        (vec!["stats", "--bogus"], "不认识的选项或参数“--bogus”"),
        (vec!["export", "--format", "xml"], "取值“xml”无效"),
    ] {
        let out = bin().args(&args).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
        no_english_or_colour(&err);
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let db = crate::sqlite();
    ok(&db, &["demo"]);
    let mut child = bin()
        .args(["--database", &db.url, "export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut head = [0u8; 16];
    child
        .stdout
        .as_mut()
        .expect("stdout")
        .read_exact(&mut head)
        .expect("read");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_failed_import_of_a_missing_file_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let out = bin()
        .args([
            "--data",
            data.to_str().expect("path"),
            "import",
            "no-such-file.json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("不存在"), "{err}");
    no_english_or_colour(&err);
    assert!(
        !data.exists(),
        "no data directory, database or log was made"
    );
    let stats = bin()
        .args(["--data", data.to_str().expect("path"), "stats"])
        .output()
        .expect("run");
    assert_eq!(stats.status.code(), Some(1));
    assert!(!data.exists());
}

#[test]
fn a_database_failure_points_to_a_log_that_exists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    // A file that is not a database.
    let file = dir.path().join("z.db");
    std::fs::write(&file, "这不是数据库文件".repeat(100)).expect("write");
    let url = format!("sqlite://{}", file.display());
    let out = bin()
        .args([
            "--data",
            data.to_str().expect("path"),
            "--database",
            &url,
            "stats",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("详情见日志"), "{err}");
    no_english_or_colour(&err);
    let logs: Vec<_> = std::fs::read_dir(data.join("logs"))
        .expect("log dir")
        .collect();
    assert_eq!(logs.len(), 1);
    let log = std::fs::read_to_string(logs[0].as_ref().expect("entry").path()).expect("log");
    assert!(log.contains("database error"), "{log}");
}

/// Each bad document is refused with the place named, and the database is left exactly as
/// it was.
fn bad_imports_name_the_place_and_change_nothing(db: &Db) {
    let work = tempfile::tempdir().expect("tempdir");
    let source = crate::sqlite();
    ok(&source, &["demo"]);
    let good = export(&source, work.path(), "good.json");
    let cut = good.find("\"feedbacks\"").expect("feedbacks");
    let cases: Vec<(&str, String, &str)> = vec![
        ("malformed", good[..cut + 40].to_string(), "bad.json:"),
        (
            "version",
            good.replacen("zhenggai.ledger.v2", "zhenggai.ledger.v7", 1),
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
            good.replacen("\"date\":\"20", "\"date\":\"2022-02-30\",\"x\":\"20", 1),
            "2022-02-30",
        ),
        (
            "unknown field",
            good.replacen("\"title\":", "\"titel\":", 1),
            "未知字段“titel”",
        ),
        (
            "missing field",
            good.replacen("\"name\":", "\"nmae\":", 1),
            "nmae",
        ),
        (
            "nul",
            good.replacen("\"title\":\"", "\"title\":\"\\u0000", 1),
            "控制字符",
        ),
    ];
    let base = work.path().join("base.json");
    std::fs::write(&base, format!("{}\"feedbacks\":[]}}\n", &good[..cut])).expect("write");
    ok(db, &["import", base.to_str().expect("path")]);
    let before = export(db, work.path(), "before.json");
    for (what, text, named) in &cases {
        let bad = work.path().join("bad.json");
        std::fs::write(&bad, text).expect("write");
        let out = zg(db, &["import", bad.to_str().expect("path")]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert!(
            err.contains(named),
            "{what}: error should name {named}: {err}"
        );
        assert!(!err.contains("panicked"), "{what}: {err}");
        no_english_or_colour(&err);
        assert_eq!(
            export(db, work.path(), "after.json"),
            before,
            "{what} changed the database"
        );
    }
    // A byte order mark is no error; columns count characters.
    let bom = work.path().join("bom.json");
    std::fs::write(
        &bom,
        format!("\u{feff}{}\"feedbacks\":[]}}\n", &good[..cut]),
    )
    .expect("write");
    assert!(ok(db, &["import", bom.to_str().expect("path")]).contains("已存在且相同"));
    let wide = work.path().join("wide.json");
    std::fs::write(
        &wide,
        "{\"format\":\"zhenggai.ledger.v2\",\"rounds\":[{\"id\":\"巡察\" x",
    )
    .expect("write");
    let out = zg(db, &["import", wide.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&out.stderr);
    let column = "{\"format\":\"zhenggai.ledger.v2\",\"rounds\":[{\"id\":\"巡察\" x"
        .chars()
        .count();
    assert!(err.contains(&format!("wide.json:1:{column}:")), "{err}");
    assert!(ok(db, &["verify"]).contains("事件链完整"));
}

both!(bad_imports_name_the_place_and_change_nothing);

#[test]
fn several_first_starts_at_once_all_succeed() {
    for _ in 0..3 {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let starts: Vec<_> = (0..4)
            .map(|_| {
                bin()
                    .args(["--data", data.to_str().expect("path"), "init"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in starts {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let verified = bin()
            .args(["--data", data.to_str().expect("path"), "verify"])
            .output()
            .expect("run");
        assert!(String::from_utf8_lossy(&verified.stdout).contains("已校验 0 个事件"));
    }
}
