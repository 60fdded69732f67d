//! Evidence files through the API: refused over the limit before anything is stored,
//! downloaded as an attachment under the original (Chinese) name.

use serde_json::json;
use zhenggai_testkit::{approve_plan, on_both, seed, Db};
use zhenggai_web::Settings;

use crate::{command, ok, people, refused, start_with};

const LIMIT: u64 = 4096;

async fn the_upload_limit_refuses_and_stores_nothing(db: &Db) {
    seed(db.store()).await;
    approve_plan(db.store(), "fb1", "u1").await;
    let p = people(db).await;
    let settings = Settings {
        max_upload: LIMIT,
        ..Settings::default()
    };
    let app = start_with(db, settings).await;
    ok(
        app.changes(&p.editor1, json!([command("fb1.f1", "start", "")]))
            .await,
        200,
    );
    let path = "/api/v1/findings/fb1.f1/evidence";
    let events = db.store().event_count().await.expect("events");

    let over = vec![b'x'; LIMIT as usize + 1];
    refused(
        &app.upload(&p.editor1, path, "大.pdf", over, &[]).await,
        413,
        "too_large",
    );
    assert_eq!(db.store().event_count().await.expect("events"), events);
    let f = app.finding(&p.office, "fb1.f1").await;
    assert_eq!(f["finding"]["evidence"], json!([]));

    // Not a multipart form.
    let wrong = app.post(&p.editor1, path, json!({"file": "x"})).await;
    refused(&wrong, 415, "unsupported_media_type");
    // No file in the form.
    let form = reqwest::multipart::Form::new().text("description", "只有说明");
    let request = app.http.post(app.url(path)).bearer_auth(&p.editor1.token);
    let response = request.multipart(form).send().await.expect("a response");
    assert_eq!(response.status(), 422);

    let name = "整改会议纪要（一）.pdf";
    let bytes = vec![b'y'; LIMIT as usize];
    let v = ok(
        app.upload(&p.editor1, path, name, bytes.clone(), &[]).await,
        201,
    );
    let id = v["applied"][0]["created"]
        .as_str()
        .expect("the file's id")
        .to_string();

    let download = format!("{path}/{id}");
    let response = app
        .http
        .get(app.url(&download))
        .bearer_auth(&p.lead1.token)
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("content-type"), "application/pdf");
    let disposition = header("content-disposition");
    assert!(disposition.starts_with("attachment; "), "{disposition}");
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    assert!(
        disposition.contains(&format!("filename*=UTF-8''{encoded}")),
        "{disposition}"
    );
    assert_eq!(response.bytes().await.expect("the file").to_vec(), bytes);

    // Another unit's people cannot fetch it.
    let other = app.get(&p.editor2, &download).await;
    assert!(matches!(other.0.as_u16(), 403 | 404), "{other:?}");
}

on_both!(the_upload_limit_refuses_and_stores_nothing);
