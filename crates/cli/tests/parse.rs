//! `zhenggai parse` on good notices in three formats and on every kind of bad input: a
//! clear message or warnings, never a panic.

use std::path::Path;
use std::process::{Command, Output};

fn parse(path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .arg("parse")
        .arg(path)
        .output()
        .expect("run")
}

fn json(out: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().next().expect("a line")).expect("json")
}

const NOTICE: &str = "中共示例局党组关于市委巡察整改进展情况的通报\n\
2023年3月1日至4月30日,市委第二巡察组对示例局党组进行了巡察。2023年6月5日,巡察组反馈了意见。\n\
一、党的领导方面\n\
1.学习不深入\n\
(1)针对“学习计划不落实”问题。一是制定计划;二是按月检查。\n\
(2)针对“研讨走过场”问题。已建立研讨发言审核制度。\n\
欢迎监督。联系电话:0551-1234567。\n";

fn assert_clean_failure(out: &Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(out.stdout.is_empty(), "{what}: nothing on stdout");
    assert!(
        err.contains("错误") && !err.contains("panicked"),
        "{what}: {err}"
    );
}

#[test]
fn text_docx_and_html_notices_parse_alike() {
    let dir = tempfile::tempdir().expect("tempdir");
    let txt = dir.path().join("n.txt");
    std::fs::write(&txt, NOTICE).expect("write");
    let docx = dir.path().join("n.docx");
    let mut d = docx_rs::Docx::new();
    for line in NOTICE.lines() {
        d = d.add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text(line)));
    }
    d.build()
        .pack(std::fs::File::create(&docx).expect("create"))
        .expect("pack");
    let html = dir.path().join("n.html");
    let body: String = NOTICE.lines().map(|l| format!("<p>{l}</p>")).collect();
    std::fs::write(
        &html,
        format!("<html><head><style>p{{}}</style></head><body>{body}</body></html>"),
    )
    .expect("write");
    let results: Vec<serde_json::Value> = [&txt, &docx, &html]
        .iter()
        .map(|p| {
            let out = parse(p);
            assert!(
                out.status.success(),
                "{}: {}",
                p.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            json(&out)
        })
        .collect();
    for r in &results {
        assert_eq!(r["findings"], results[0]["findings"]);
        assert_eq!(r["findings"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            r["findings"][0]["measures"].as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(r["feedback_date"], "2023-06-05");
    }
    assert_eq!(results[1]["source"]["encoding"], "docx");
    // Several files: one JSON object per line.
    let out = Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .arg("parse")
        .arg(&txt)
        .arg(&html)
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
}

#[test]
fn bad_inputs_give_messages_not_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        p
    };
    assert_clean_failure(&parse(&write("empty.txt", b"")), "empty file");
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    assert_clean_failure(&parse(&write("binary.txt", &binary)), "binary file");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0u8; 64]);
    assert_clean_failure(&parse(&write("image.txt", &png)), "image renamed .txt");
    let mut docx = Vec::new();
    docx_rs::Docx::new()
        .add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("一、甲")))
        .build()
        .pack(std::io::Cursor::new(&mut docx))
        .expect("pack");
    assert_clean_failure(
        &parse(&write("cut.docx", &docx[..docx.len() / 3])),
        "truncated docx",
    );
    assert_clean_failure(&parse(&dir.path().join("missing.txt")), "missing file");

    let none = parse(&write(
        "none.txt",
        "这是一段普通的文字，没有任何问题编号。".as_bytes(),
    ));
    assert!(none.status.success());
    let v = json(&none);
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0));
    assert!(!v["warnings"].as_array().expect("warnings").is_empty());
}

#[test]
fn huge_and_deeply_nested_inputs_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 20 MB on one line.
    let line: String =
        "针对“问题”问题。一是整改;二是落实。投入0.5万元,2022年3月。".repeat(20 * 1024 * 1024 / 90);
    let big = dir.path().join("big.txt");
    std::fs::write(&big, &line).expect("write");
    let out = parse(&big);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Numbering 1,000 deep, every style in turn.
    let styles = ["一、", "(一)", "1.", "(1)", "①", "问题1:"];
    let deep: String = (0..1000)
        .map(|i| {
            format!(
                "{}{}针对“第{i}层”问题。一是甲;二是乙。\n",
                " ".repeat(i % 7),
                styles[i % styles.len()]
            )
        })
        .collect();
    let nested = dir.path().join("deep.txt");
    std::fs::write(&nested, deep).expect("write");
    let out = parse(&nested);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!json(&out)["findings"]
        .as_array()
        .expect("findings")
        .is_empty());
}

#[test]
fn a_directory_is_walked_in_a_stable_order_and_a_bad_file_does_not_stop_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = dir.path().join("b_second").join("deeper");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let mut expected = Vec::new();
    for (i, folder) in [dir.path(), sub.as_path()].iter().enumerate() {
        for name in ["n1.txt", "n2.TXT", "n3.html"] {
            let p = folder.join(format!("{i}_{name}"));
            let body = if name.ends_with("html") {
                format!("<p>{}</p>", NOTICE.replace('\n', "</p><p>"))
            } else {
                NOTICE.to_string()
            };
            std::fs::write(&p, body).expect("write");
            expected.push(p);
        }
    }
    // Not notices: skipped by the walk.
    std::fs::write(dir.path().join("0_n1.json"), "{}").expect("write");
    // A notice that cannot be read as one: its error, and the rest still parsed.
    let broken = dir.path().join("a_broken.txt");
    std::fs::write(&broken, b"").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .arg("parse")
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "one file failed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a_broken.txt") && err.contains("错误"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    let files: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            assert_eq!(v["findings"].as_array().map(Vec::len), Some(2));
            v["source"]["file"].as_str().expect("file").to_string()
        })
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(files, expected);
}
