//! How a caller is known: a bearer token (until it is revoked or its account disabled), or
//! a browser's session, whose CSRF token must come with every change; accounts managed
//! through the API.

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use zhenggai_testkit::{on_both, seed, sha256_hex, Db};

use crate::{ok, people, refused, start, App, Person, PASSWORD};

/// Signs in through the sign-in form; returns a client holding the session cookie and the
/// session's CSRF token, as a page gives it to its script.
async fn sign_in(app: &App, login: &str, password: &str) -> (Client, String) {
    let browser = Client::builder()
        .cookie_store(true)
        .build()
        .expect("a client");
    let form = browser
        .get(app.url("/login"))
        .send()
        .await
        .expect("the form");
    let html = form.text().await.expect("its page");
    let login_token = between(&html, "name=\"_csrf\" value=\"", "\"");
    let signed = browser
        .post(app.url("/login"))
        .form(&[
            ("login", login),
            ("password", password),
            ("_csrf", &login_token),
        ])
        .send()
        .await
        .expect("signed in");
    let home = signed.text().await.expect("the home page");
    (
        browser,
        between(&home, "name=\"csrf-token\" content=\"", "\""),
    )
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {text}"))
        + start.len();
    let len = text[from..].find(end).expect("its end");
    text[from..from + len].to_string()
}

async fn call(
    browser: &Client,
    app: &App,
    method: Method,
    path: &str,
    csrf: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut request = browser.request(method, app.url(path)).json(&body);
    if let Some(token) = csrf {
        request = request.header("X-CSRF-Token", token);
    }
    let response = request.send().await.expect("a response");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_session_needs_its_csrf_token_for_changes(db: &Db) {
    seed(db.store()).await;
    let p = people(db).await;
    let app = start(db).await;
    let (browser, csrf) = sign_in(&app, &p.lead1.login, PASSWORD).await;
    assert_eq!(csrf.len(), 64);
    let me = call(&browser, &app, Method::GET, "/api/v1/me", None, Value::Null).await;
    assert_eq!((me.0.as_u16(), &me.1["login"]), (200, &json!("lead1")));

    let submit = json!({"changes": [{"change": "submit_plan", "feedback_id": "fb1"}]});
    let forged = "0".repeat(64);
    for token in [None, Some(""), Some(forged.as_str()), Some(&csrf[..63])] {
        let answer = call(
            &browser,
            &app,
            Method::POST,
            "/api/v1/changes",
            token,
            submit.clone(),
        )
        .await;
        refused(&answer, 403, "forbidden");
    }
    let head = ok(app.get(&p.office, "/api/v1/feedbacks/fb1/head").await, 200);
    assert_eq!(head["plan"]["status"], "draft", "nothing was changed");
    let answer = call(
        &browser,
        &app,
        Method::POST,
        "/api/v1/changes",
        Some(&csrf),
        submit,
    )
    .await;
    assert_eq!(answer.0, 200, "{}", answer.1);

    // A bearer token needs no CSRF token, and no cookie can stand in for a bad token.
    let undo = json!([{"change": "return_plan", "feedback_id": "fb1", "reason": "退回重报"}]);
    ok(app.changes(&p.office, undo).await, 200);
    let wrong = browser
        .get(app.url("/api/v1/me"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .expect("a response");
    assert_eq!(wrong.status(), 401);
}

async fn tokens_work_until_revoked_or_their_account_disabled(db: &Db) {
    seed(db.store()).await;
    let p = people(db).await;
    let app = start(db).await;
    let nobody = Person {
        id: String::new(),
        login: String::new(),
        token: "x".repeat(64),
    };
    refused(
        &app.get(&nobody, "/api/v1/me").await,
        401,
        "unauthenticated",
    );
    let bare = app
        .http
        .get(app.url("/api/v1/rounds"))
        .send()
        .await
        .expect("a response");
    assert_eq!(bare.status(), 401);
    assert_eq!(
        bare.json::<Value>().await.expect("JSON")["error"],
        "unauthenticated"
    );

    let path = format!("/api/v1/users/{}/tokens", p.editor1.id);
    let issued = ok(
        app.post(&p.admin, &path, json!({"label": "报表系统"}))
            .await,
        201,
    );
    let token = issued["token"]
        .as_str()
        .expect("the token, shown once")
        .to_string();
    let second = Person {
        id: p.editor1.id.clone(),
        login: "editor1".into(),
        token: token.clone(),
    };
    ok(app.get(&second, "/api/v1/me").await, 200);
    let listed = ok(app.get(&p.admin, &path).await, 200);
    let ids: Vec<&str> = listed
        .as_array()
        .expect("tokens")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert!(
        ids.contains(&sha256_hex(token.as_bytes()).as_str()),
        "{listed}"
    );
    assert!(
        !listed.to_string().contains(&token),
        "a token is never shown again"
    );

    let revoke = format!("{path}/{}", sha256_hex(token.as_bytes()));
    refused(
        &app.call(&p.office, Method::DELETE, &revoke, None).await,
        403,
        "forbidden",
    );
    ok(app.call(&p.admin, Method::DELETE, &revoke, None).await, 204);
    refused(
        &app.get(&second, "/api/v1/me").await,
        401,
        "unauthenticated",
    );
    // Revoking it again changes nothing (and no other user's token is touched).
    let events = db.store().event_count().await.expect("events");
    ok(app.call(&p.admin, Method::DELETE, &revoke, None).await, 204);
    let theirs = format!(
        "/api/v1/users/{}/tokens/{}",
        p.lead1.id,
        sha256_hex(p.editor1.token.as_bytes())
    );
    ok(app.call(&p.admin, Method::DELETE, &theirs, None).await, 204);
    assert_eq!(db.store().event_count().await.expect("events"), events);
    ok(app.get(&p.editor1, "/api/v1/me").await, 200);

    let user = format!("/api/v1/users/{}", p.editor1.id);
    ok(
        app.post(&p.admin, &format!("{user}/disable"), Value::Null)
            .await,
        204,
    );
    refused(
        &app.get(&p.editor1, "/api/v1/me").await,
        401,
        "unauthenticated",
    );
    ok(
        app.post(&p.admin, &format!("{user}/enable"), Value::Null)
            .await,
        204,
    );
    ok(app.get(&p.editor1, "/api/v1/me").await, 200);
}

async fn administrators_manage_accounts(db: &Db) {
    seed(db.store()).await;
    let p = people(db).await;
    let app = start(db).await;
    let new = json!({"login": "lead2", "name": "负责人二", "role": "unit_lead", "units": ["u2"], "password": "新口令-2025"});
    refused(
        &app.post(&p.office, "/api/v1/users", new.clone()).await,
        403,
        "forbidden",
    );
    let user = ok(app.post(&p.admin, "/api/v1/users", new.clone()).await, 201);
    assert_eq!(
        (&user["role"], &user["units"], &user["disabled"]),
        (&json!("unit_lead"), &json!(["u2"]), &json!(false))
    );
    assert!(
        !user.to_string().contains("argon2"),
        "no password hash is shown"
    );
    refused(
        &app.post(&p.admin, "/api/v1/users", new).await,
        409,
        "conflict",
    );
    let weak = json!({"login": "weak", "role": "office", "password": "short"});
    refused(
        &app.post(&p.admin, "/api/v1/users", weak).await,
        422,
        "invalid",
    );
    let listed = ok(app.get(&p.admin, "/api/v1/users").await, 200);
    assert!(listed
        .as_array()
        .expect("users")
        .iter()
        .any(|u| u["login"] == "lead2"));

    let password = format!(
        "/api/v1/users/{}/password",
        user["id"].as_str().expect("an id")
    );
    let set = json!({"password": "另一个口令-2026"});
    ok(
        app.call(&p.admin, Method::PUT, &password, Some(set)).await,
        204,
    );
    let (_, csrf) = sign_in(&app, "lead2", "另一个口令-2026").await;
    assert_eq!(csrf.len(), 64, "signed in with the new password");
}

on_both!(
    a_session_needs_its_csrf_token_for_changes,
    tokens_work_until_revoked_or_their_account_disabled,
    administrators_manage_accounts,
);
