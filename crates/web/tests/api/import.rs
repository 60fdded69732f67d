//! Import through the API, the page's flow: a preview that stores nothing, then a
//! confirmation (or a cancellation) under the preview's token, for its maker only.

use reqwest::Method;
use serde_json::{json, Value};
use zhenggai_app::ledger_json;
use zhenggai_core::Role;
use zhenggai_testkit::{on_both, operator, seed, Db};

use crate::{ok, person, refused, start, Person};

/// A ledger document of the seeded ledger, made on a database of its own.
async fn document() -> Vec<u8> {
    let source = zhenggai_testkit::sqlite().await;
    seed(source.store()).await;
    let mut out = Vec::new();
    ledger_json::export(source.store(), &operator(), &mut out)
        .await
        .expect("exported");
    out
}

const NOTICE: &str = "根据市委统一部署，2025年3月3日至4月25日，市委第二巡察组对市测试局党组开展了常规巡察。现将巡察情况通报如下：
1.贯彻落实上级决策部署有差距。防汛物资储备不足，部分工程维护不及时。
2.落实全面从严治党责任不够到位。廉政风险排查流于形式，日常监督偏软偏松。
";

/// The office's people and a supervisor, on a ledger with nothing in it yet.
struct Importers {
    office: Person,
    office2: Person,
    supervisor: Person,
}

async fn importers(db: &Db) -> Importers {
    Importers {
        office: person(db, "office", Role::Office, &[]).await,
        office2: person(db, "office2", Role::Office, &[]).await,
        supervisor: person(db, "supervisor", Role::Supervisor, &[]).await,
    }
}

async fn findings(app: &crate::App, who: &Person) -> usize {
    let page = ok(app.get(who, "/api/v1/findings").await, 200);
    page["items"].as_array().map_or(0, Vec::len)
}

async fn a_document_is_previewed_then_imported(db: &Db) {
    let p = importers(db).await;
    let app = start(db).await;
    let ledger = document().await;
    refused(
        &app.upload(
            &p.supervisor,
            "/api/v1/imports",
            "ledger.json",
            ledger.clone(),
            &[],
        )
        .await,
        403,
        "forbidden",
    );
    let preview = ok(
        app.upload(
            &p.office,
            "/api/v1/imports",
            "ledger.json",
            ledger.clone(),
            &[],
        )
        .await,
        200,
    );
    assert_eq!(preview["ready"], true, "{preview}");
    let token = preview["token"].as_str().expect("a token").to_string();
    assert_eq!(
        findings(&app, &p.office).await,
        0,
        "a preview stores nothing"
    );

    // Only its maker confirms it, once.
    let confirm = format!("/api/v1/imports/{token}/confirm");
    refused(
        &app.post(&p.office2, &confirm, Value::Null).await,
        422,
        "invalid",
    );
    let done = ok(app.post(&p.office, &confirm, Value::Null).await, 200);
    assert_eq!(
        (&done["kind"], &done["summary"]["findings"]),
        (&json!("ledger"), &json!(4)),
        "{done}"
    );
    assert_eq!(findings(&app, &p.office).await, 4);
    refused(
        &app.post(&p.office, &confirm, Value::Null).await,
        422,
        "invalid",
    );

    // A cancelled upload cannot be confirmed.
    let again = ok(
        app.upload(&p.office, "/api/v1/imports", "ledger.json", ledger, &[])
            .await,
        200,
    );
    let token = again["token"].as_str().expect("a token");
    ok(
        app.call(
            &p.office,
            Method::DELETE,
            &format!("/api/v1/imports/{token}"),
            None,
        )
        .await,
        204,
    );
    refused(
        &app.post(
            &p.office,
            &format!("/api/v1/imports/{token}/confirm"),
            Value::Null,
        )
        .await,
        422,
        "invalid",
    );

    // A broken document is shown as such, with no token.
    let broken = ok(
        app.upload(
            &p.office,
            "/api/v1/imports",
            "bad.json",
            b"{\"format\":".to_vec(),
            &[],
        )
        .await,
        200,
    );
    assert_eq!(
        (&broken["ready"], &broken["token"]),
        (&json!(false), &Value::Null),
        "{broken}"
    );
    assert!(!broken["warnings"].as_array().expect("warnings").is_empty());
}

async fn a_notice_is_previewed_then_imported(db: &Db) {
    let p = importers(db).await;
    let app = start(db).await;
    let fields = [("round", "市委第二轮巡察")];
    let bytes = NOTICE.as_bytes().to_vec();
    let preview = ok(
        app.upload(
            &p.office,
            "/api/v1/imports",
            "通报.txt",
            bytes.clone(),
            &fields,
        )
        .await,
        200,
    );
    assert_eq!(preview["ready"], true, "{preview}");
    assert!(
        preview["summary"]
            .as_str()
            .expect("a summary")
            .contains("市测试局党组"),
        "{preview}"
    );
    // Without a round's name it cannot be imported.
    let nameless = ok(
        app.upload(&p.office, "/api/v1/imports", "通报.txt", bytes, &[])
            .await,
        200,
    );
    assert_eq!(nameless["ready"], false);

    let confirm = format!(
        "/api/v1/imports/{}/confirm",
        preview["token"].as_str().expect("a token")
    );
    let done = ok(app.post(&p.office, &confirm, Value::Null).await, 200);
    assert_eq!(done["kind"], "notice", "{done}");
    assert_eq!(findings(&app, &p.office).await, 2);
    let rounds = ok(app.get(&p.office, "/api/v1/rounds").await, 200);
    assert_eq!(rounds[0]["name"], "市委第二轮巡察");
}

on_both!(
    a_document_is_previewed_then_imported,
    a_notice_is_previewed_then_imported
);
