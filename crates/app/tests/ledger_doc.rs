//! The ledger document reader on arbitrary input: it never panics, and whatever it refuses
//! leaves the database as it was.

use std::sync::Arc;

use proptest::prelude::*;
use zhenggai_app::{demo, ledger_json};
use zhenggai_core::ManualClock;
use zhenggai_store::Options;
use zhenggai_testkit::{operator, start_day};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A valid document written by the demo, to mutate; made once.
fn demo_document() -> &'static [u8] {
    static DOC: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        runtime().block_on(async {
            let dir = tempfile::tempdir().expect("tempdir");
            let url = format!("sqlite://{}", dir.path().join("demo.db").display());
            let clock = Arc::new(ManualClock::new(start_day()));
            let options = Options {
                clock: clock.clone(),
                ..Options::default()
            };
            let store = zhenggai_store::open_with(&url, options)
                .await
                .expect("open");
            demo::fill(store.as_ref(), &clock).await.expect("demo");
            let mut out = Vec::new();
            ledger_json::export(store.as_ref(), &operator(), &mut out)
                .await
                .expect("export");
            out
        })
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Delete(usize, usize),
    Splice(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), 1usize..200).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (
            any::<usize>(),
            prop::sample::select(vec![
                "\"status\":\"closed\"".to_string(),
                "\"2022-02-30\"".to_string(),
                "null".to_string(),
                "{}".to_string(),
                "[".to_string(),
                "\"id\":\"\"".to_string(),
                "-1".to_string(),
                "1e999".to_string(),
            ])
        )
            .prop_map(|(i, s)| Mutation::Splice(i, s)),
    ]
}

fn apply(doc: &[u8], m: &Mutation) -> Vec<u8> {
    let mut d = doc.to_vec();
    match m {
        Mutation::Truncate(i) => d.truncate(i % (d.len() + 1)),
        Mutation::Flip(i, b) => {
            let i = i % d.len();
            d[i] = *b;
        }
        Mutation::Delete(i, n) => {
            let i = i % d.len();
            let end = (i + n).min(d.len());
            d.drain(i..end);
        }
        Mutation::Splice(i, s) => {
            let i = i % d.len();
            d.splice(i..i, s.bytes());
        }
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn mutated_documents_are_imported_whole_or_not_at_all(
        mutations in prop::collection::vec(mutation(), 1..4),
        raw in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let rt = runtime();
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bad = demo_document().to_vec();
        for m in &mutations {
            bad = apply(&bad, m);
        }
        rt.block_on(async {
            let url = format!("sqlite://{}", dir.path().join("target.db").display());
            let store = zhenggai_store::open(&url).await.expect("open");
            for input in [bad, raw] {
                let before = store.event_count().await.expect("count");
                let result = ledger_json::import(store.as_ref(), &operator(), "x.json", input).await;
                let after = store.event_count().await.expect("count");
                match result {
                    Ok(s) => assert_eq!(after - before, s.events as i64),
                    Err(e) => {
                        assert_eq!(after, before, "refused import changed the database: {e}");
                        assert!(e.to_string().starts_with("x.json"), "{e}");
                    }
                }
            }
            assert_eq!(store.verify(None).await.expect("verify").broken, None);
        });
    }
}

/// A fresh SQLite store in `dir`.
async fn fresh(dir: &std::path::Path, name: &str) -> Box<dyn zhenggai_store::Store> {
    let url = format!("sqlite://{}", dir.join(name).display());
    zhenggai_store::open(&url).await.expect("open")
}

#[test]
fn progress_moves_record_by_record_to_the_end_of_the_file() {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = demo_document();
    for (name, bom) in [("plain.json", ""), ("bom.json", "\u{feff}")] {
        let path = dir.path().join(name);
        let mut bytes = bom.as_bytes().to_vec();
        bytes.extend_from_slice(doc);
        std::fs::write(&path, &bytes).expect("write");
        let told = Arc::new(std::sync::Mutex::new(Vec::new()));
        let summary = rt.block_on(async {
            let store = fresh(dir.path(), &format!("{name}.db")).await;
            let t = told.clone();
            let progress = move |n| t.lock().expect("lock").push(n);
            ledger_json::import_path(store.as_ref(), &operator(), &path, progress)
                .await
                .expect("import")
        });
        let told = told.lock().expect("lock").clone();
        assert_eq!(told.iter().sum::<u64>(), bytes.len() as u64, "{name}");
        let records = summary.rounds + summary.units + summary.feedbacks;
        assert_eq!(
            told.len() as u64,
            records + 1,
            "one step per record, then the rest"
        );
        // Each step but the last ends where a record's first key begins.
        let text = &bytes[bom.len()..];
        let mut at = 0usize;
        for n in &told[..told.len() - 1] {
            at += *n as usize;
            let offset = at - bom.len();
            assert_eq!(&text[offset - 2..offset], b"{\"", "{name} at {offset}");
        }
    }
}

#[test]
fn an_error_inside_a_record_names_its_line_and_character_column() {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = String::from_utf8(demo_document().to_vec()).expect("utf-8");
    // Break a value that stands after Chinese text, in a feedback some lines down.
    let lines: Vec<&str> = doc.lines().collect();
    let (index, line) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.contains("\"findings\"") && !l.is_ascii())
        .expect("a feedback line with Chinese text");
    let key = "\"status\":";
    // A finding's status, which follows its Chinese title.
    let findings = line.find("\"findings\"").expect("findings");
    let at = findings + line[findings..].find(key).expect("a status") + key.len();
    assert!(!line[..at].is_ascii(), "Chinese text stands before it");
    let broken = format!("{}@{}", &line[..at], &line[at..]);
    let column = line[..at].chars().count() + 1;
    for bom in ["", "\u{feff}"] {
        let mut text = String::from(bom);
        for (i, l) in lines.iter().enumerate() {
            text.push_str(if i == index { &broken } else { l });
            text.push('\n');
        }
        let err = rt.block_on(async {
            let store = fresh(dir.path(), "target.db").await;
            let err = ledger_json::import(store.as_ref(), &operator(), "x.json", text)
                .await
                .expect_err("refused");
            assert_eq!(store.event_count().await.expect("count"), 0);
            err
        });
        let place = format!("x.json:{}:{column}:", index + 1);
        assert!(err.to_string().starts_with(&place), "{place} in {err}");
    }
}
