//! Keyset paging: following `next` returns every finding (and every event) exactly once,
//! in order, for whoever asks and whatever the filters.

use std::collections::BTreeSet;

use serde_json::Value;
use zhenggai_testkit::{feedback, on_both, operator, round, unit, Db};

use crate::{ok, people, start, App, Person};

/// A round with units u1 and u2 and nine feedbacks, two findings each, alternating units.
async fn big_ledger(db: &Db) -> Vec<(String, String)> {
    let mut tx = db
        .store()
        .begin_import(&operator())
        .await
        .expect("an import");
    tx.put_round("round", &round()).await.expect("the round");
    for u in ["u1", "u2"] {
        tx.put_unit(u, &unit(u)).await.expect("a unit");
    }
    let mut findings = Vec::new();
    for i in 1..=9 {
        let u = if i % 2 == 0 { "u2" } else { "u1" };
        let fb = feedback(&format!("fb{i}"), u);
        findings.extend(fb.findings().map(|f| (f.id.clone(), u.to_string())));
        tx.put_feedback(&format!("feedbacks[{i}]"), &fb)
            .await
            .expect("a feedback");
    }
    tx.commit().await.expect("committed");
    findings
}

/// Follows `next` from the first page to the last; every id seen, in order.
async fn walk(app: &App, who: &Person, path: &str, id: &str, cursor: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut next: Option<i64> = None;
    for _ in 0..100 {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = match next {
            Some(n) => format!("{path}{sep}{cursor}={n}"),
            None => path.to_string(),
        };
        let page = ok(app.get(who, &url).await, 200);
        for item in page["items"].as_array().expect("items") {
            seen.push(
                item.pointer(id)
                    .and_then(Value::as_str)
                    .expect("an id")
                    .to_string(),
            );
        }
        match page["next"].as_i64() {
            Some(n) => next = Some(n),
            None => return seen,
        }
    }
    panic!("{path} never ended");
}

#[track_caller]
fn once_each(seen: &[String], expected: impl IntoIterator<Item = String>) {
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a finding came twice: {seen:?}");
    let expected: BTreeSet<String> = expected.into_iter().collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        expected
    );
}

async fn paging_returns_every_finding_exactly_once(db: &Db) {
    let all = big_ledger(db).await;
    let p = people(db).await;
    let app = start(db).await;
    let ids = |unit: Option<&str>| {
        all.iter()
            .filter(|(_, u)| unit.is_none_or(|x| x == u))
            .map(|(f, _)| f.clone())
            .collect::<Vec<_>>()
    };
    let seen = walk(&app, &p.office, "/api/v1/findings?limit=4", "/id", "after").await;
    once_each(&seen, ids(None));
    let seen = walk(
        &app,
        &p.office,
        "/api/v1/ledger?limit=5",
        "/finding/id",
        "after",
    )
    .await;
    once_each(&seen, ids(None));
    let seen = walk(
        &app,
        &p.office,
        "/api/v1/findings?unit=u2&limit=3",
        "/id",
        "after",
    )
    .await;
    once_each(&seen, ids(Some("u2")));
    // A unit's people page through their unit's findings only.
    let seen = walk(&app, &p.editor1, "/api/v1/findings?limit=2", "/id", "after").await;
    once_each(&seen, ids(Some("u1")));
    // One page when everything fits; a page of one at a time.
    let page = ok(app.get(&p.office, "/api/v1/findings?limit=500").await, 200);
    assert_eq!(
        (page["items"].as_array().map(Vec::len), &page["next"]),
        (Some(18), &Value::Null)
    );
    let seen = walk(
        &app,
        &p.office,
        "/api/v1/findings?feedback=fb3&limit=1",
        "/id",
        "after",
    )
    .await;
    assert_eq!(seen, ["fb3.f1", "fb3.f2"]);
}

async fn events_page_newest_first(db: &Db) {
    big_ledger(db).await;
    let p = people(db).await;
    let app = start(db).await;
    let mut seqs = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let url = match before {
            Some(b) => format!("/api/v1/events?limit=7&before={b}"),
            None => "/api/v1/events?limit=7".to_string(),
        };
        let page = ok(app.get(&p.office, &url).await, 200);
        seqs.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|e| e["seq"].as_i64().expect("a seq")),
        );
        match page["next"].as_i64() {
            Some(n) => before = Some(n),
            None => break,
        }
    }
    let count = db.store().event_count().await.expect("events");
    let expected: Vec<i64> = (1..=count).rev().collect();
    assert_eq!(seqs, expected, "every event once, newest first");
}

on_both!(
    paging_returns_every_finding_exactly_once,
    events_page_newest_first
);
