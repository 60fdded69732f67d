//! The document downloads of a unit's ledger over HTTP: the ledger page links them, the
//! notice comes as an attachment in the format asked for, and another unit's people are
//! refused as if it did not exist.

use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::StatusCode;
use zhenggai_web::Settings;

use crate::harness::{demo_on_sqlite, Browser};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_page_offers_the_notice_and_the_supervision_notice() {
    let (_db, demo, server) = demo_on_sqlite(Settings::default()).await;
    let editor = Browser::sign_in(&server, "cgj-editor").await;
    let fb = &demo.a.feedback;
    let page = editor.get(&format!("/feedbacks/{fb}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for link in [
        format!("/feedbacks/{fb}/notice?format=txt"),
        format!("/feedbacks/{fb}/notice?public=1"),
        format!("/feedbacks/{fb}/supervision"),
    ] {
        assert!(page.body.contains(&link), "{link} missing");
    }
    let txt = editor
        .get(&format!("/feedbacks/{fb}/notice?format=txt&public=1"))
        .await;
    assert_eq!(txt.status, StatusCode::OK);
    let kind = txt.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    assert_eq!(kind, Some("text/plain; charset=utf-8"));
    let name = txt
        .headers
        .get(CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        name.starts_with("attachment;") && name.contains(".txt"),
        "{name}"
    );
    assert!(
        txt.body.starts_with(&format!("{}关于", demo.a.unit_name)),
        "{}",
        txt.body
    );
    assert!(
        txt.body.contains(&demo.a.finding_title),
        "the notice lists the unit's findings"
    );
    let docx = editor.get(&format!("/feedbacks/{fb}/notice")).await;
    let kind = docx.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    assert_eq!(
        kind,
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    // Another unit's editor: refused, as for a feedback that does not exist.
    let other = Browser::sign_in(&server, "cgj-editor").await;
    let refused = other
        .get(&format!("/feedbacks/{}/notice?format=txt", demo.b.feedback))
        .await;
    assert!(
        matches!(
            refused.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        refused.status
    );
    let round = Browser::sign_in(&server, "office")
        .await
        .get("/rounds/r-demo-3")
        .await;
    assert!(
        round
            .body
            .contains(&format!("/feedbacks/{fb}/notice?public=1")),
        "round page links"
    );
}
