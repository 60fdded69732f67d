//! A finding's rules through the API: who gives which command, closure only with every
//! measure done and evidence attached, the work record frozen under review, a second
//! person to sign off or return, reasons where they are owed, a unit of work applied
//! whole or not at all; extensions and transfers.

use serde_json::{json, Value};
use zhenggai_testkit::{approve_plan, on_both, seed, Db};

use crate::{command, ok, people, refused, start, App, Person};

fn progress(measure: &str) -> Value {
    json!({"change": "add_progress", "measure_id": measure, "text": "召开专题会议研究整改"})
}

fn done(measure: &str) -> Value {
    json!({"change": "set_measure_status", "measure_id": measure, "status": "done"})
}

async fn status(app: &App, office: &Person, id: &str) -> Value {
    app.finding(office, id).await["finding"]["status"].clone()
}

async fn a_finding_is_closed_only_by_the_rules(db: &Db) {
    seed(db.store()).await;
    approve_plan(db.store(), "fb1", "u1").await;
    let p = people(db).await;
    let app = start(db).await;
    let f1 = "fb1.f1";

    // The unit starts its work; the office does not.
    refused(
        &app.changes(&p.office, json!([command(f1, "start", "")]))
            .await,
        403,
        "forbidden",
    );
    let v = ok(
        app.changes(&p.editor1, json!([command(f1, "start", "")]))
            .await,
        200,
    );
    assert_eq!(
        (&v["applied"][0]["from"], &v["applied"][0]["to"]),
        (&json!("planned"), &json!("in_progress"))
    );

    // Closure needs every measure done: a unit of work with a refused change keeps nothing.
    let request = json!([command(f1, "request_closure", "")]);
    refused(
        &app.changes(&p.editor1, request.clone()).await,
        422,
        "measures_incomplete",
    );
    let both = json!([progress("fb1.f1.m1"), command(f1, "request_closure", "")]);
    refused(
        &app.changes(&p.editor1, both).await,
        422,
        "measures_incomplete",
    );
    let f = app.finding(&p.office, f1).await;
    assert_eq!(
        f["finding"]["measures"][0]["progress"],
        json!([]),
        "nothing of the refused unit stays"
    );
    let v = ok(
        app.changes(&p.editor1, json!([done("fb1.f1.m1"), done("fb1.f1.m2")]))
            .await,
        200,
    );
    assert_eq!(v["applied"].as_array().map(Vec::len), Some(2));

    // And at least one evidence file.
    refused(
        &app.changes(&p.editor1, request.clone()).await,
        422,
        "evidence_missing",
    );
    let path = format!("/api/v1/findings/{f1}/evidence");
    let v = ok(
        app.upload(
            &p.editor1,
            &path,
            "会议纪要.pdf",
            b"%PDF-1.4 minutes".to_vec(),
            &[("description", "整改专题会议纪要")],
        )
        .await,
        201,
    );
    assert_eq!(v["applied"][0]["action"], "attach_evidence");
    ok(app.changes(&p.editor1, request.clone()).await, 200);
    assert_eq!(status(&app, &p.office, f1).await, "closure_requested");

    // Under review the work record is frozen.
    refused(
        &app.changes(&p.editor1, json!([progress("fb1.f1.m1")]))
            .await,
        409,
        "work_frozen",
    );
    let frozen = app
        .upload(&p.editor1, &path, "补充.pdf", b"more".to_vec(), &[])
        .await;
    refused(&frozen, 409, "work_frozen");

    // The unit cannot sign off its own work; a return must say why.
    refused(
        &app.changes(&p.editor1, json!([command(f1, "sign_off", "")]))
            .await,
        403,
        "forbidden",
    );
    refused(
        &app.changes(&p.office, json!([command(f1, "return", "")]))
            .await,
        422,
        "invalid",
    );
    ok(
        app.changes(&p.office, json!([command(f1, "return", "佐证材料不足")]))
            .await,
        200,
    );
    let returned = ok(
        app.get(&p.editor1, "/api/v1/findings?returned=true").await,
        200,
    );
    assert_eq!(returned["items"][0]["id"], f1, "{returned}");
    assert_eq!(returned["items"].as_array().map(Vec::len), Some(1));
    ok(app.changes(&p.editor1, request).await, 200);

    // The requester may not decide on their own request, whatever their role now: the
    // editor moves to the inspection office (accounts have no role change, so as an
    // administrator with database access would record it).
    let moved = format!(
        "UPDATE users SET role = 'office', units = '[]' WHERE id = '{}'",
        p.editor1.id
    );
    db.exec(&moved).await;
    refused(
        &app.changes(&p.editor1, json!([command(f1, "sign_off", "")]))
            .await,
        403,
        "same_person",
    );
    refused(
        &app.changes(&p.editor1, json!([command(f1, "return", "再补充")]))
            .await,
        403,
        "same_person",
    );
    ok(
        app.changes(&p.office2, json!([command(f1, "sign_off", "")]))
            .await,
        200,
    );
    assert_eq!(status(&app, &p.office, f1).await, "closed");

    // A follow-up reopens it, saying why; the unit resumes.
    refused(
        &app.changes(&p.supervisor, json!([command(f1, "reopen", "")]))
            .await,
        422,
        "invalid",
    );
    ok(
        app.changes(&p.supervisor, json!([command(f1, "reopen", "问题反弹")]))
            .await,
        200,
    );
    refused(
        &app.changes(&p.office, json!([command(f1, "resume", "")]))
            .await,
        403,
        "forbidden",
    );
    ok(
        app.changes(&p.lead1, json!([command(f1, "resume", "")]))
            .await,
        200,
    );
    assert_eq!(status(&app, &p.office, f1).await, "in_progress");

    // Every transition is in the finding's history, with who did it.
    let history = ok(
        app.get(&p.lead1, &format!("/api/v1/events?finding={f1}&limit=100"))
            .await,
        200,
    );
    let by = |action: &str| -> Vec<String> {
        history["items"]
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["action"] == action)
            .map(|e| e["actor_id"].as_str().expect("an actor").to_string())
            .collect()
    };
    assert_eq!(by("sign_off"), [p.office2.id.as_str()]);
    assert_eq!(by("return"), [p.office.id.as_str()]);
    assert_eq!(
        by("request_closure"),
        [p.editor1.id.clone(), p.editor1.id.clone()]
    );
}

async fn extensions_are_decided_by_the_office_and_transfers_say_why(db: &Db) {
    seed(db.store()).await;
    approve_plan(db.store(), "fb1", "u1").await;
    let p = people(db).await;
    let app = start(db).await;
    let ask = json!([{"change": "request_extension", "measure_id": "fb1.f2.m1",
        "new_due": "2025-10-31", "reason": "涉及跨部门协调"}]);
    refused(&app.changes(&p.office, ask.clone()).await, 403, "forbidden");
    let v = ok(app.changes(&p.editor1, ask).await, 200);
    let extension = v["applied"][0]["created"]
        .as_str()
        .expect("the request's id")
        .to_string();
    let waiting = ok(
        app.get(&p.office, "/api/v1/findings?extension_pending=true")
            .await,
        200,
    );
    assert_eq!(waiting["items"][0]["id"], "fb1.f2", "{waiting}");

    let decide = json!([{"change": "decide_extension", "measure_id": "fb1.f2.m1",
        "extension_id": extension, "approve": true}]);
    refused(
        &app.changes(&p.lead1, decide.clone()).await,
        403,
        "forbidden",
    );
    let v = ok(app.changes(&p.office, decide).await, 200);
    assert_eq!(v["applied"][0]["action"], "approve_extension");
    let f = app.finding(&p.office, "fb1.f2").await;
    let m = &f["finding"]["measures"][0];
    assert_eq!(
        (
            &m["extensions"][0]["decision"],
            &m["extensions"][0]["new_due"]
        ),
        (&json!("approved"), &json!("2025-10-31"))
    );
    let waiting = ok(
        app.get(&p.office, "/api/v1/findings?extension_pending=true")
            .await,
        200,
    );
    assert_eq!(waiting["items"], json!([]));

    // A transfer to the discipline body is the checkers' and says why.
    let transfer = |reason: &str| json!([command("fb1.f2", "transfer", reason)]);
    refused(
        &app.changes(&p.editor1, transfer("移交")).await,
        403,
        "forbidden",
    );
    refused(&app.changes(&p.office, transfer("")).await, 422, "invalid");
    ok(
        app.changes(&p.supervisor, transfer("涉嫌违纪，移交纪委监委"))
            .await,
        200,
    );
    let moved = ok(
        app.get(&p.office, "/api/v1/findings?status=transferred")
            .await,
        200,
    );
    assert_eq!(moved["items"][0]["id"], "fb1.f2", "{moved}");
    refused(
        &app.changes(&p.editor1, json!([progress("fb1.f2.m2")]))
            .await,
        409,
        "work_frozen",
    );
}

on_both!(
    a_finding_is_closed_only_by_the_rules,
    extensions_are_decided_by_the_office_and_transfers_say_why,
);
