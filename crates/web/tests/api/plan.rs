//! The plan's review through the API: the unit's lead submits, the office returns (saying
//! why) or approves; measures change only while the plan is open.

use serde_json::json;
use zhenggai_testkit::{on_both, seed, Db};

use crate::{hidden, ok, people, refused, start};

async fn the_plan_is_reviewed_by_the_rules(db: &Db) {
    seed(db.store()).await;
    let p = people(db).await;
    let app = start(db).await;
    let submit = json!([{"change": "submit_plan", "feedback_id": "fb1"}]);
    let approve = json!([{"change": "approve_plan", "feedback_id": "fb1"}]);

    // Only the unit's lead submits; another unit's people cannot even see the plan.
    refused(
        &app.changes(&p.editor1, submit.clone()).await,
        403,
        "forbidden",
    );
    hidden(&app.changes(&p.editor2, submit.clone()).await);
    // A draft cannot be approved.
    refused(
        &app.changes(&p.office, approve.clone()).await,
        409,
        "plan_state",
    );

    let v = ok(app.changes(&p.lead1, submit.clone()).await, 200);
    assert_eq!(v["applied"][0]["action"], "submit_plan");
    assert!(
        v["applied"][0]["seq"].as_i64().is_some_and(|s| s > 0),
        "{v}"
    );

    // A submitted plan's measures are fixed.
    let measure = json!({"text": "补充制定专项整改办法", "kind": "by_deadline",
        "owner": "李四", "due": "2025-08-31"});
    let add = json!([{"change": "add_measure", "finding_id": "fb1.f1", "measure": measure}]);
    refused(
        &app.changes(&p.editor1, add.clone()).await,
        409,
        "plan_state",
    );

    // A return says why; the unit may then change the plan and submit it again.
    let silent = json!([{"change": "return_plan", "feedback_id": "fb1", "reason": ""}]);
    refused(&app.changes(&p.office, silent).await, 422, "invalid");
    let back = json!([{"change": "return_plan", "feedback_id": "fb1", "reason": "措施不具体"}]);
    ok(app.changes(&p.office, back).await, 200);
    let v = ok(app.changes(&p.editor1, add).await, 200);
    let created = v["applied"][0]["created"]
        .as_str()
        .expect("a new measure's id");
    ok(app.changes(&p.lead1, submit).await, 200);
    ok(app.changes(&p.office, approve.clone()).await, 200);
    refused(&app.changes(&p.office, approve).await, 409, "plan_state");

    let head = ok(app.get(&p.lead1, "/api/v1/feedbacks/fb1/head").await, 200);
    assert_eq!(head["plan"]["status"], "approved");
    let steps: Vec<&str> = head["plan"]["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|s| s["action"].as_str().expect("an action"))
        .collect();
    assert_eq!(steps, ["submit", "return", "submit", "approve"]);
    assert_eq!(head["plan"]["history"][1]["reason"], "措施不具体");

    // Approval moved every open finding on; the new measure is in the tree.
    let f = app.finding(&p.office, "fb1.f1").await;
    assert_eq!(f["finding"]["status"], "planned");
    let tree = ok(app.get(&p.editor1, "/api/v1/feedbacks/fb1").await, 200);
    let measures = &tree["categories"][0]["aspects"][0]["findings"][0]["measures"];
    assert!(
        measures
            .as_array()
            .expect("measures")
            .iter()
            .any(|m| m["id"] == created),
        "{measures}"
    );
    // The other unit's plan is untouched.
    let other = ok(app.get(&p.office, "/api/v1/feedbacks/fb2/head").await, 200);
    assert_eq!(other["plan"]["status"], "draft");
}

on_both!(the_plan_is_reviewed_by_the_rules);
