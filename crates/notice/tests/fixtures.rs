//! Notices written for these tests in the layouts published notices use, each with the
//! structure a reader would annotate by hand (`*.expect.json`).

use std::path::{Path, PathBuf};

use serde_json::Value;
use zhenggai_notice::{parse, Notice};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

fn check(notice: &Notice, expect: &Value, name: &str) {
    let n = |k: &str| expect[k].as_u64().expect(k) as usize;
    assert_eq!(
        notice.categories.len(),
        n("categories"),
        "{name}: categories {:?}",
        notice.categories
    );
    assert_eq!(
        notice.aspects.len(),
        n("aspects"),
        "{name}: aspects {:?}",
        notice.aspects
    );
    let titles: Vec<&str> = notice.findings.iter().map(|f| f.title.as_str()).collect();
    let want: Vec<&str> = expect["titles"]
        .as_array()
        .expect("titles")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(titles, want, "{name}: titles");
    let measures: Vec<usize> = notice.findings.iter().map(|f| f.measures.len()).collect();
    let want: Vec<usize> = expect["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .filter_map(|v| v.as_u64().map(|v| v as usize))
        .collect();
    assert_eq!(measures, want, "{name}: measures per finding");
    let out = serde_json::to_value(notice).expect("json");
    for key in [
        "unit",
        "inspector",
        "inspection_period",
        "feedback_date",
        "published",
        "kind",
        "documents",
    ] {
        assert_eq!(out[key], expect[key], "{name}: {key}");
    }
    for (k, v) in expect["contact"].as_object().expect("contact") {
        assert_eq!(out["contact"][k], *v, "{name}: contact.{k}");
    }
}

#[test]
fn every_fixture_reads_as_annotated() {
    let files = fixtures();
    assert!(files.len() >= 4);
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let bytes = std::fs::read(&path).expect("read");
        let expect: Value = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("expect.json")).expect("expect"),
        )
        .expect("expect json");
        let notice = parse(&bytes, &name).expect("parse");
        check(&notice, &expect, &name);
        for f in &notice.findings {
            assert!(
                f.line >= 1 && f.measures.iter().all(|m| m.line >= f.line),
                "{name}: line numbers"
            );
        }
    }
}

#[test]
fn the_same_notice_in_legacy_encodings_reads_the_same() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sections_four_levels.txt");
    let text = std::fs::read_to_string(&path).expect("read");
    let utf8 = parse(text.as_bytes(), "x").expect("utf-8");
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let from_gb = parse(&gb, "x").expect("gb18030");
    assert_eq!(from_gb.source.encoding, "gb18030");
    let crlf = text.replace('\n', "\r\n");
    let mut utf16: Vec<u8> = vec![0xff, 0xfe];
    utf16.extend(crlf.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let from_16 = parse(&utf16, "x").expect("utf-16");
    assert_eq!(from_16.source.encoding, "utf-16le");
    let full_width: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                char::from_u32(c as u32 + 0xfee0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    let from_wide = parse(full_width.as_bytes(), "x").expect("full width");
    for other in [&from_gb, &from_16, &from_wide] {
        assert_eq!(other.findings, utf8.findings);
        assert_eq!(other.categories, utf8.categories);
        assert_eq!(other.published, utf8.published);
    }
}

#[test]
fn text_that_is_not_a_notice_gives_a_warning_not_an_error() {
    let n = parse(
        "今天天气很好，我们去公园散步。\n晚上看了一场电影。".as_bytes(),
        "x",
    )
    .expect("parse");
    assert!(n.findings.is_empty());
    assert!(!n.warnings.is_empty());
}

/// The development corpus, when it is beside the project (`../shared/corpus` with its
/// `other/` and `partial/` folders): every annotated document must be read to its
/// annotation's structure, kind and dates. As in the scorer, an empty
/// `measures_per_problem` means the measures were not annotated, and a kind of `unknown`
/// is not checked.
#[test]
fn the_development_corpus_matches_its_annotations_when_present() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipping: {} not found", root.display());
        return;
    }
    let mut checked = 0;
    for dir in [root.clone(), root.join("other"), root.join("partial")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let gold: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
            let Ok(bytes) = std::fs::read(path.with_extension("txt")) else {
                continue;
            };
            check_corpus_document(&path, &gold, &bytes);
            checked += 1;
        }
    }
    assert!(checked > 0, "no annotated document in {}", root.display());
}

fn check_corpus_document(path: &Path, gold: &Value, bytes: &[u8]) {
    let name = path.display();
    let text = String::from_utf8_lossy(bytes).to_string();
    let body = match text.split_once("\n---\n") {
        Some((head, body)) if head.starts_with("source:") => body.to_string(),
        _ => text,
    };
    let n = parse(body.as_bytes(), "corpus").expect("parse");
    let count = |v: usize| Some(v as u64);
    assert_eq!(
        count(n.findings.len()),
        gold["problems"].as_u64(),
        "{name}: findings"
    );
    assert_eq!(
        count(n.categories.len()),
        gold["sections"].as_u64(),
        "{name}: categories"
    );
    assert_eq!(
        count(n.aspects.len()),
        gold["aspects"].as_u64(),
        "{name}: aspects"
    );
    let want: Vec<u64> = gold["measures_per_problem"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    if !want.is_empty() {
        let counts: Vec<u64> = n.findings.iter().map(|f| f.measures.len() as u64).collect();
        assert_eq!(counts, want, "{name}: measures per finding");
    }
    let out = serde_json::to_value(&n).expect("json");
    if let Some(kind) = gold["kind"].as_str().filter(|k| *k != "unknown") {
        assert_eq!(out["kind"], kind, "{name}: kind");
    }
    for key in ["feedback_date", "published"] {
        if let Some(v) = gold.get(key) {
            assert_eq!(out[key], *v, "{name}: {key}");
        }
    }
    if let Some(period) = gold.get("inspection_period") {
        let got = match &n.inspection_period {
            Some(p) => serde_json::json!([p.start, p.end]),
            None => Value::Null,
        };
        assert_eq!(got, *period, "{name}: inspection_period");
    }
}

/// What `zhenggai parse` writes (each finding written as it is read, `parse_each` with
/// `json::Stream`) is what serde_json writes for the whole notice, for every fixture (the
/// traditional one included, whose findings are given back as written one by one) and,
/// when present, every document of the development corpus.
#[test]
fn a_notice_streamed_finding_by_finding_is_written_as_the_whole_notice() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut files = fixtures();
    for dir in [corpus.clone(), corpus.join("other"), corpus.join("partial")] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "txt")),
            );
        }
    }
    // Text with no findings at all: the head is written at the end.
    let plain = "今天天气很好，我们去公园散步。\n".as_bytes().to_vec();
    let mut cases: Vec<(String, Vec<u8>)> = vec![("plain".into(), plain)];
    for path in files {
        cases.push((
            path.display().to_string(),
            std::fs::read(&path).expect("read"),
        ));
    }
    for (name, bytes) in cases {
        let whole = serde_json::to_string(&parse(&bytes, &name).expect("parse")).expect("json");
        let mut out = Vec::new();
        let mut stream = zhenggai_notice::json::Stream::new(&mut out);
        let rest = zhenggai_notice::parse_each(&bytes, &name, |head, f| {
            assert!(head.findings.is_empty(), "{name}: findings kept");
            stream.finding(head, &f);
        })
        .expect("parse");
        stream.finish(&rest).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), whole, "{name}");
        assert_eq!(rest.findings.len(), 0, "{name}");
    }
}
