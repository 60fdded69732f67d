//! The Excel ledger through the API: a round's workbook and a unit's sheet downloaded
//! within the caller's units, and a sheet imported through the preview and confirmation.

use reqwest::Method;
use serde_json::Value;
use zhenggai_core::Role;
use zhenggai_office::xlsx::{open, read_ledger};
use zhenggai_testkit::{on_both, operator, seed, unit, Db};

use crate::{hidden, ok, person, refused, start, App, Person};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The bytes of a download, after checking it is a workbook sent as an attachment.
async fn download(app: &App, who: &Person, path: &str) -> Vec<u8> {
    let response = app
        .http
        .request(Method::GET, app.url(path))
        .bearer_auth(&who.token)
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 200, "{path}");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("content-type"), XLSX);
    assert!(header("content-disposition").starts_with("attachment;"));
    response.bytes().await.expect("bytes").to_vec()
}

fn sheets(bytes: &[u8]) -> Vec<String> {
    open(bytes).expect("a workbook").sheet_names().to_vec()
}

async fn workbooks_follow_the_callers_units(db: &Db) {
    seed(db.store()).await;
    let office = person(db, "office", Role::Office, &[]).await;
    let editor = person(db, "editor", Role::UnitEditor, &["u1"]).await;
    let app = start(db).await;
    let round = zhenggai_testkit::round().id;
    let all = download(
        &app,
        &office,
        &format!("/api/v1/rounds/{round}/ledger.xlsx"),
    )
    .await;
    assert_eq!(sheets(&all).len(), 3, "{:?}", sheets(&all));
    assert_eq!(sheets(&all)[0], "汇总");
    let own = download(
        &app,
        &editor,
        &format!("/api/v1/rounds/{round}/ledger.xlsx"),
    )
    .await;
    assert_eq!(
        sheets(&own).len(),
        2,
        "a unit's people see their unit only: {:?}",
        sheets(&own)
    );
    let one = download(&app, &editor, "/api/v1/feedbacks/fb1/ledger.xlsx").await;
    let mut book = open(&one).expect("a workbook");
    let ledger = read_ledger(&book.sheet(0).expect("a sheet")).expect("a ledger");
    assert_eq!(ledger.findings.len(), 2);
    hidden(&app.get(&editor, "/api/v1/feedbacks/fb2/ledger.xlsx").await);
    refused(
        &app.get(&office, "/api/v1/rounds/nope/ledger.xlsx").await,
        404,
        "not_found",
    );
}

async fn a_sheet_is_previewed_then_imported(db: &Db) {
    seed(db.store()).await;
    let mut tx = db.store().begin_import(&operator()).await.expect("begin");
    let mut u3 = unit("u3");
    u3.name = "第三单位".into();
    tx.put_unit("units[0]", &u3).await.expect("unit");
    tx.commit().await.expect("commit");
    let office = person(db, "office", Role::Office, &[]).await;
    let app = start(db).await;
    let sheet = download(&app, &office, "/api/v1/feedbacks/fb1/ledger.xlsx").await;
    let round = zhenggai_testkit::round();
    let preview = |unit: &'static str, bytes: Vec<u8>| {
        let (app, office, round) = (&app, &office, round.name.clone());
        async move {
            ok(
                app.upload(
                    office,
                    "/api/v1/imports",
                    "台账.xlsx",
                    bytes,
                    &[("round", &round), ("unit", unit)],
                )
                .await,
                200,
            )
        }
    };
    // u2 has its feedback already: a sheet does not overwrite it.
    let taken = preview("u2", sheet.clone()).await;
    assert_eq!(taken["ready"], false, "{taken}");
    assert!(
        taken["warnings"][0]
            .as_str()
            .unwrap_or_default()
            .contains("已有反馈意见"),
        "{taken}"
    );
    let broken = preview("u3", sheet[..sheet.len() / 2].to_vec()).await;
    assert_eq!(broken["ready"], false, "{broken}");
    let fine = preview("第三单位", sheet.clone()).await;
    assert_eq!(fine["ready"], true, "{fine}");
    assert!(
        fine["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("合计：问题 2 个"),
        "{fine}"
    );
    let confirm = format!(
        "/api/v1/imports/{}/confirm",
        fine["token"].as_str().expect("a token")
    );
    let done = ok(app.post(&office, &confirm, Value::Null).await, 200);
    assert_eq!(done["kind"], "workbook", "{done}");
    assert_eq!(done["summary"]["findings"], 2, "{done}");
    let feedbacks = ok(app.get(&office, "/api/v1/feedbacks").await, 200);
    let of_u3: Vec<&Value> = feedbacks
        .as_array()
        .expect("a list")
        .iter()
        .filter(|f| f["unit_id"] == "u3")
        .collect();
    assert_eq!(of_u3.len(), 1, "{feedbacks}");
}

on_both!(
    workbooks_follow_the_callers_units,
    a_sheet_is_previewed_then_imported
);
