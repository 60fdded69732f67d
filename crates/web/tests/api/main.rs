//! The JSON API through HTTP, on both backends: the application is served on
//! `127.0.0.1:0` over a fresh database and driven with reqwest, as a program would drive it.
//! One test binary; a module per concern.

mod access;
mod auth;
mod docs;
mod finding;
mod import;
mod paging;
mod plan;
mod uploads;
mod xlsx;

use std::sync::Arc;

use reqwest::multipart::{Form, Part};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use zhenggai_app::accounts;
use zhenggai_core::Role;
use zhenggai_testkit::{operator, Db};
use zhenggai_web::Settings;

pub const PASSWORD: &str = "测试口令-12345";

/// The application, served for one test.
pub struct App {
    pub base: String,
    pub http: Client,
}

/// Serves the application over `db` (a second store on the same database, as the server
/// process would open it) until the test ends.
pub async fn start(db: &Db) -> App {
    start_with(db, Settings::default()).await
}

pub async fn start_with(db: &Db, settings: Settings) -> App {
    let store: Arc<dyn zhenggai_store::Store> = Arc::from(db.reopen().await);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    tokio::spawn(zhenggai_web::serve(
        store,
        settings,
        listener,
        std::future::pending(),
    ));
    App {
        base,
        http: Client::new(),
    }
}

/// An account with an API token.
pub struct Person {
    pub id: String,
    pub login: String,
    pub token: String,
}

pub async fn person(db: &Db, login: &str, role: Role, units: &[&str]) -> Person {
    let units = units.iter().map(|u| u.to_string()).collect();
    let store = db.store();
    let user = accounts::add_user(store, &operator(), login, login, role, units, PASSWORD)
        .await
        .expect("an account");
    let token = accounts::issue_token(store, &operator(), &user.id, "tests")
        .await
        .expect("a token");
    Person {
        id: user.id,
        login: login.into(),
        token,
    }
}

/// One of each role; the unit's people of the seeded units u1 and u2.
pub struct People {
    pub admin: Person,
    pub office: Person,
    pub office2: Person,
    pub supervisor: Person,
    pub editor1: Person,
    pub lead1: Person,
    pub editor2: Person,
}

pub async fn people(db: &Db) -> People {
    People {
        admin: person(db, "admin", Role::Admin, &[]).await,
        office: person(db, "office", Role::Office, &[]).await,
        office2: person(db, "office2", Role::Office, &[]).await,
        supervisor: person(db, "supervisor", Role::Supervisor, &[]).await,
        editor1: person(db, "editor1", Role::UnitEditor, &["u1"]).await,
        lead1: person(db, "lead1", Role::UnitLead, &["u1"]).await,
        editor2: person(db, "editor2", Role::UnitEditor, &["u2"]).await,
    }
}

/// A status and the JSON body (`null` when there is none).
pub type Answer = (StatusCode, Value);

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let text = response.text().await.expect("a body");
    if text.is_empty() {
        return (status, Value::Null);
    }
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, value)
}

impl App {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn call(
        &self,
        who: &Person,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&who.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.expect("a response")).await
    }

    pub async fn get(&self, who: &Person, path: &str) -> Answer {
        self.call(who, Method::GET, path, None).await
    }

    pub async fn post(&self, who: &Person, path: &str, body: Value) -> Answer {
        self.call(who, Method::POST, path, Some(body)).await
    }

    /// A unit of work.
    pub async fn changes(&self, who: &Person, changes: Value) -> Answer {
        self.post(who, "/api/v1/changes", json!({ "changes": changes }))
            .await
    }

    /// A multipart upload of one file (and the form's other fields) to `path`.
    pub async fn upload(
        &self,
        who: &Person,
        path: &str,
        name: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
    ) -> Answer {
        let mut form = Form::new().part(
            "file",
            Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str("application/pdf")
                .expect("a media type"),
        );
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let request = self.http.post(self.url(path)).bearer_auth(&who.token);
        answer(request.multipart(form).send().await.expect("a response")).await
    }

    /// The finding as the office sees it.
    pub async fn finding(&self, office: &Person, id: &str) -> Value {
        let (status, v) = self.get(office, &format!("/api/v1/findings/{id}")).await;
        assert_eq!(status, 200, "{v}");
        v
    }
}

/// Asserts a refusal: its status, its code, and a body of those two fields only.
#[track_caller]
pub fn refused(answer: &Answer, status: u16, code: &str) {
    let (s, v) = answer;
    assert_eq!(
        (s.as_u16(), v["error"].as_str()),
        (status, Some(code)),
        "{v}"
    );
    assert_only_error(v);
}

/// Asserts the refusal a record outside the caller's units gets: 403 or 404, no data.
#[track_caller]
pub fn hidden(answer: &Answer) {
    let (s, v) = answer;
    assert!(matches!(s.as_u16(), 403 | 404), "{s} {v}");
    assert_only_error(v);
}

#[track_caller]
fn assert_only_error(v: &Value) {
    let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["error", "message"], "{v}");
}

/// Asserts success and returns the body.
#[track_caller]
pub fn ok(answer: Answer, status: u16) -> Value {
    let (s, v) = answer;
    assert_eq!(s.as_u16(), status, "{v}");
    v
}

/// A finding command as JSON.
pub fn command(finding: &str, command: &str, reason: &str) -> Value {
    json!({"change": "finding", "finding_id": finding, "command": command, "reason": reason})
}
