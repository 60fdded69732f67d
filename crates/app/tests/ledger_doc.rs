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
                let result = ledger_json::import(store.as_ref(), &operator(), "x.json", std::io::Cursor::new(input)).await;
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
