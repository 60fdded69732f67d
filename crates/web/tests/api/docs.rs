//! The API's document and browser are served to anyone from our own origin; answers the
//! API cannot give are JSON too, and a server error says only that the server failed.

use reqwest::StatusCode;
use serde_json::Value;
use zhenggai_testkit::{on_both, seed, Db};

use crate::{people, refused, start};

async fn the_document_and_swagger_ui_are_served_to_anyone(db: &Db) {
    let app = start(db).await;
    let response = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 200);
    let served: Value = response.json().await.expect("JSON");
    let made = serde_json::to_value(zhenggai_web::openapi()).expect("the document");
    assert_eq!(served, made);

    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let root = no_redirects
        .get(app.url("/api/docs"))
        .send()
        .await
        .expect("a response");
    assert!(root.status().is_redirection());
    assert_eq!(root.headers()["location"], "/api/docs/");

    let index = app
        .http
        .get(app.url("/api/docs/"))
        .send()
        .await
        .expect("a response");
    assert_eq!(index.status(), 200);
    let csp = index.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let html = index.text().await.expect("the page");
    assert!(html.contains("swagger-ui-bundle.js"), "{html}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "only our own origin: {html}"
    );
    let init = app
        .http
        .get(app.url("/api/docs/swagger-initializer.js"))
        .send()
        .await
        .expect("a response");
    let init = init.text().await.expect("the script");
    assert!(init.contains("\"/api/openapi.json\""), "{init}");
    let bundle = app
        .http
        .get(app.url("/api/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .expect("a response");
    assert_eq!(bundle.status(), 200);
    assert!(bundle.headers()["content-type"]
        .to_str()
        .is_ok_and(|t| t.contains("javascript")));
    let missing = app
        .http
        .get(app.url("/api/docs/nothing.js"))
        .send()
        .await
        .expect("a response");
    assert_eq!(missing.status(), 404);
}

async fn unknown_api_paths_and_server_errors_answer_json(db: &Db) {
    seed(db.store()).await;
    let p = people(db).await;
    let app = start(db).await;
    refused(
        &app.get(&p.office, "/api/v1/nowhere").await,
        404,
        "not_found",
    );
    refused(
        &app.get(&p.office, "/api/v1/findings?limit=many").await,
        422,
        "invalid",
    );
    refused(
        &app.get(&p.office, "/api/v1/findings?status=lost").await,
        422,
        "invalid",
    );
    let broken = app
        .http
        .post(app.url("/api/v1/changes"))
        .bearer_auth(&p.office.token)
        .header("content-type", "application/json")
        .body("{\"changes\": [")
        .send()
        .await
        .expect("a response");
    assert_eq!(broken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        broken.json::<Value>().await.expect("JSON")["error"],
        "invalid_json"
    );
    let unknown = serde_json::json!([{"change": "delete_everything"}]);
    refused(&app.changes(&p.office, unknown).await, 422, "invalid_json");

    // The database fails under the server: the answer says so and nothing more.
    db.exec("ALTER TABLE feedbacks RENAME TO feedbacks_gone")
        .await;
    let answer = app.get(&p.office, "/api/v1/feedbacks").await;
    refused(&answer, 500, "database");
    let message = answer.1["message"].as_str().expect("a message");
    assert!(
        !message.contains("feedbacks") && !message.to_lowercase().contains("sql"),
        "{message}"
    );
}

on_both!(
    the_document_and_swagger_ui_are_served_to_anyone,
    unknown_api_paths_and_server_errors_answer_json,
);
