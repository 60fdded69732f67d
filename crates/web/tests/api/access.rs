//! Who sees what: a unit's people get their units' records only, and for another unit's
//! record the answer a record that does not exist gets, with no data; lists are scoped;
//! the routes of the office, auditors, importers and administrators are theirs.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use zhenggai_testkit::{evidence, on_both, seed, Db};

use crate::{hidden, ok, people, refused, start, App, Person};

async fn ids(app: &App, who: &Person, path: &str, key: &str) -> BTreeSet<String> {
    let v = ok(app.get(who, path).await, 200);
    let items = v
        .get("items")
        .unwrap_or(&v)
        .as_array()
        .expect("a list")
        .clone();
    items
        .iter()
        .map(|x| x[key].as_str().expect("an id").to_string())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

async fn another_units_records_are_hidden(db: &Db) {
    seed(db.store()).await;
    db.store()
        .apply(
            &zhenggai_testkit::editor(),
            evidence("fb1.f1", "纪要.pdf", b"minutes"),
        )
        .await
        .expect("evidence on u1's finding");
    let p = people(db).await;
    let app = start(db).await;
    let title = app.finding(&p.office, "fb1.f1").await["finding"]["title"]
        .as_str()
        .expect("a title")
        .to_string();
    for path in [
        "/api/v1/findings/fb1.f1",
        "/api/v1/findings/fb1.f1/evidence/e1",
        "/api/v1/feedbacks/fb1",
        "/api/v1/feedbacks/fb1/head",
        "/api/v1/units/u1",
        "/api/v1/events?finding=fb1.f1",
    ] {
        let answer = app.get(&p.editor2, path).await;
        hidden(&answer);
        assert!(
            !answer.1.to_string().contains(&title),
            "{path}: {}",
            answer.1
        );
        // The same answer as for a record that does not exist.
        let none = app
            .get(
                &p.editor2,
                &path.replace("fb1", "nothing").replace("u1", "u9"),
            )
            .await;
        assert_eq!(
            (answer.0, &answer.1["error"]),
            (none.0, &none.1["error"]),
            "{path}"
        );
    }
    // The office, who sees every unit, learns that a record does not exist.
    refused(
        &app.get(&p.office, "/api/v1/findings/nothing").await,
        404,
        "not_found",
    );

    // Changes to another unit's records are refused and leave nothing.
    let events = db.store().event_count().await.expect("events");
    let work = json!([{"change": "add_progress", "measure_id": "fb1.f1.m1", "text": "越权填报"}]);
    hidden(&app.changes(&p.editor2, work).await);
    let upload = "/api/v1/findings/fb1.f1/evidence";
    hidden(
        &app.upload(&p.editor2, upload, "x.pdf", b"x".to_vec(), &[])
            .await,
    );
    assert_eq!(db.store().event_count().await.expect("events"), events);

    // Lists hold the caller's units only.
    let theirs = set(&["fb2.f1", "fb2.f2"]);
    assert_eq!(
        ids(&app, &p.editor2, "/api/v1/findings", "id").await,
        theirs
    );
    assert_eq!(
        ids(&app, &p.editor2, "/api/v1/findings?unit=u1", "id").await,
        set(&[])
    );
    assert_eq!(
        ids(&app, &p.editor2, "/api/v1/feedbacks", "id").await,
        set(&["fb2"])
    );
    assert_eq!(
        ids(&app, &p.editor2, "/api/v1/units", "id").await,
        set(&["u2"])
    );
    assert_eq!(
        ids(&app, &p.editor2, "/api/v1/stats", "unit_id").await,
        set(&["u2"])
    );
    let seen = ok(app.get(&p.editor2, "/api/v1/events?limit=500").await, 200);
    let units: BTreeSet<String> = seen["items"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["unit_id"].to_string())
        .collect();
    assert!(!units.contains("\"u1\""), "{units:?}");
    assert!(units.contains("\"u2\""), "{units:?}");
    assert_eq!(
        ids(&app, &p.office, "/api/v1/findings", "id").await.len(),
        4
    );
}

async fn each_role_reaches_its_own_routes(db: &Db) {
    seed(db.store()).await;
    let p = people(db).await;
    let app = start(db).await;
    let me = ok(app.get(&p.editor1, "/api/v1/me").await, 200);
    assert_eq!(
        (&me["login"], &me["role"], &me["units"]),
        (&json!("editor1"), &json!("unit_editor"), &json!(["u1"]))
    );

    refused(&app.get(&p.office, "/api/v1/users").await, 403, "forbidden");
    ok(app.get(&p.admin, "/api/v1/users").await, 200);
    // The gate comes before the body: a body that would not even parse is not reached.
    refused(
        &app.post(&p.office, "/api/v1/users", json!({})).await,
        403,
        "forbidden",
    );
    let drop = app
        .call(
            &p.supervisor,
            reqwest::Method::DELETE,
            "/api/v1/imports/t",
            None,
        )
        .await;
    refused(&drop, 403, "forbidden");
    let upload = "/api/v1/findings/fb1.f1/evidence";
    hidden(&app.post(&p.editor2, upload, json!({})).await);
    refused(
        &app.post(&p.editor1, upload, json!({})).await,
        415,
        "unsupported_media_type",
    );
    refused(
        &app.get(&p.editor1, "/api/v1/verify").await,
        403,
        "forbidden",
    );
    let report = ok(app.get(&p.supervisor, "/api/v1/verify").await, 200);
    assert_eq!(report["broken"], Value::Null, "{report}");
    let head = format!(
        "{}:{}",
        report["head"]["seq"],
        report["head"]["hash"].as_str().expect("a hash")
    );
    let anchored = ok(
        app.get(&p.office, &format!("/api/v1/verify?anchor={head}"))
            .await,
        200,
    );
    assert_eq!(anchored["broken"], Value::Null);
    refused(
        &app.get(&p.office, "/api/v1/verify?anchor=bad").await,
        422,
        "invalid",
    );
    let upload = app
        .upload(
            &p.supervisor,
            "/api/v1/imports",
            "l.json",
            b"{}".to_vec(),
            &[],
        )
        .await;
    refused(&upload, 403, "forbidden");

    // Rounds and units are the office's to set up.
    let mut round = serde_json::to_value(zhenggai_testkit::round()).expect("a round");
    round["id"] = json!("");
    round["name"] = json!("测试市委第二轮巡察");
    refused(
        &app.post(&p.editor1, "/api/v1/rounds", round.clone()).await,
        403,
        "forbidden",
    );
    let made = ok(app.post(&p.office, "/api/v1/rounds", round).await, 201);
    let id = made["id"].as_str().expect("an id given by the store");
    assert!(!id.is_empty());
    let mut edited = made.clone();
    edited["policy"]["yellow_days"] = json!(7);
    let path = format!("/api/v1/rounds/{id}");
    let stored = ok(
        app.call(&p.office, reqwest::Method::PUT, &path, Some(edited))
            .await,
        200,
    );
    assert_eq!(stored["policy"]["yellow_days"], 7);
    assert_eq!(ok(app.get(&p.office, &path).await, 200), stored);
    let unit = json!({"id": "", "name": "测试单位三"});
    let made = ok(app.post(&p.admin, "/api/v1/units", unit).await, 201);
    assert_eq!(made["name"], "测试单位三");
    let mismatch = json!({"id": "other", "name": "改名"});
    let answer = app
        .call(
            &p.office,
            reqwest::Method::PUT,
            "/api/v1/units/u1",
            Some(mismatch),
        )
        .await;
    refused(&answer, 422, "invalid");
}

on_both!(
    another_units_records_are_hidden,
    each_role_reaches_its_own_routes
);
