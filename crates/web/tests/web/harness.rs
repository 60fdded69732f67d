//! The application on a real listener over a demo ledger, and a plain HTTP client that
//! signs in through the pages as a browser would, holding its cookies by hand so that a
//! test can forge or leave out any of them.

use std::sync::Arc;

use reqwest::header::{HeaderMap, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Method, StatusCode};
use zhenggai_core::{Actor, FindingStatus, Role};
use zhenggai_store::Store;
use zhenggai_testkit::Db;
use zhenggai_web::Settings;

pub use zhenggai_app::demo::PASSWORD;

/// The application serving a store until dropped.
pub struct Server {
    pub base: String,
    pub store: Arc<dyn Store>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Server {
    pub async fn start(db: &Db, settings: Settings) -> Server {
        let store: Arc<dyn Store> = db.reopen().await.into();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("listen");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        tokio::spawn(zhenggai_web::serve(
            store.clone(),
            settings,
            listener,
            shutdown,
        ));
        Server {
            base,
            store,
            stop: Some(stop),
        }
    }

    /// The number of events in the chain; equal before and after means nothing was written.
    pub async fn events(&self) -> i64 {
        self.store.event_count().await.expect("event count")
    }

    /// Whether the chain, every record and every file still verify.
    pub async fn verifies(&self) -> bool {
        self.store
            .verify(None)
            .await
            .expect("verify")
            .broken
            .is_none()
    }
}

/// The ids of one unit's records in the demo ledger.
#[derive(Debug, Clone)]
pub struct Ids {
    pub unit: String,
    pub unit_name: String,
    pub feedback: String,
    /// A finding with at least one evidence file.
    pub finding: String,
    pub finding_title: String,
    pub evidence: String,
}

/// The demo ledger, filled through the real rules, and where its records are.
pub struct Demo {
    /// Unit A (城管局, whose people are `cgj-editor` and `cgj-lead`).
    pub a: Ids,
    /// Unit B (农业农村局), someone else's.
    pub b: Ids,
    /// A finding of unit A in progress.
    pub in_progress: String,
    /// The user id of `cgj-editor`.
    pub user_id: String,
}

pub fn reader() -> Actor {
    Actor::operator("测试")
}

async fn ids(store: &dyn Store, unit: &str) -> Ids {
    let me = reader();
    let fb = store
        .feedbacks(&me)
        .await
        .expect("feedbacks")
        .into_iter()
        .find(|f| f.unit_id == unit)
        .expect("the unit's feedback");
    let feedback = store.feedback(&me, &fb.id).await.expect("feedback");
    let f = feedback
        .findings()
        .find(|f| !f.evidence.is_empty())
        .expect("a finding with evidence");
    let unit_name = store
        .units(&me)
        .await
        .expect("units")
        .into_iter()
        .find(|u| u.id == unit)
        .expect("unit")
        .name;
    Ids {
        unit: unit.to_string(),
        unit_name,
        feedback: fb.id.clone(),
        finding: f.id.clone(),
        finding_title: f.title.clone(),
        evidence: f.evidence[0].id.clone(),
    }
}

impl Demo {
    /// Fills the empty database `db` with the demo ledger and its accounts.
    pub async fn fill(db: &Db) -> Demo {
        let users = zhenggai_app::demo::fill(db.store(), &db.clock)
            .await
            .expect("demo");
        let store = db.store();
        let a = ids(store, "u-cgj").await;
        let b = ids(store, "u-nyj").await;
        let feedback = store.feedback(&reader(), &a.feedback).await.expect("fb");
        let in_progress = feedback
            .findings()
            .find(|f| f.status == FindingStatus::InProgress)
            .expect("a finding in progress")
            .id
            .clone();
        let user_id = users
            .iter()
            .find(|u| u.login == "cgj-editor" && u.role == Role::UnitEditor)
            .expect("cgj-editor")
            .id
            .clone();
        Demo {
            a,
            b,
            in_progress,
            user_id,
        }
    }
}

/// A SQLite database with the demo ledger, served with `settings`.
pub async fn demo_on_sqlite(settings: Settings) -> (Db, Demo, Server) {
    let db = zhenggai_testkit::sqlite().await;
    let demo = Demo::fill(&db).await;
    let server = Server::start(&db, settings).await;
    (db, demo, server)
}

/// An answer, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn redirects_to_login(&self) -> bool {
        self.status.is_redirection() && self.location() == Some("/login")
    }

    /// The `Set-Cookie` headers that set `name`, as sent.
    pub fn set_cookies(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
            .collect()
    }

    /// The value a `Set-Cookie` gives `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies(name).first().and_then(|c| {
            c.split(';')
                .next()
                .and_then(|kv| kv.split_once('='))
                .map(|(_, v)| v.to_string())
        })
    }

    /// The text of the page's message boxes (`<p class="flash …">`).
    pub fn flash(&self) -> String {
        between_all(&self.body, "<p class=\"flash", "</p>").join(" | ")
    }
}

/// Every piece of `text` between `start` and the next `end`.
pub fn between_all(text: &str, start: &str, end: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(start) {
        rest = &rest[i + start.len()..];
        let j = rest.find(end).unwrap_or(rest.len());
        found.push(rest[..j].to_string());
        rest = &rest[j..];
    }
    found
}

/// The value of the first hidden `_csrf` field of a page.
pub fn form_token(html: &str) -> Option<String> {
    between_all(html, "name=\"_csrf\" value=\"", "\"")
        .into_iter()
        .next()
}

/// A body to send.
pub enum Body {
    None,
    Form(Vec<(String, String)>),
    Multipart(Multipart),
    Json(String),
}

pub fn form(pairs: &[(&str, &str)]) -> Body {
    Body::Form(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// A multipart body written byte by byte, so that a test controls every header of a part.
pub struct Multipart {
    boundary: String,
    bytes: Vec<u8>,
}

impl Default for Multipart {
    fn default() -> Self {
        Multipart {
            boundary: "zg-test-boundary-7d1f0c".into(),
            bytes: Vec::new(),
        }
    }
}

impl Multipart {
    pub fn text(mut self, name: &str, value: &str) -> Multipart {
        let head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n",
            self.boundary
        );
        self.bytes.extend_from_slice(head.as_bytes());
        self.bytes.extend_from_slice(value.as_bytes());
        self.bytes.extend_from_slice(b"\r\n");
        self
    }

    /// A file part; `disposition_tail` follows `name="file"; ` as written, e.g.
    /// `filename="a.pdf"`.
    pub fn file_raw(mut self, disposition_tail: &[u8], media_type: &str, body: &[u8]) -> Self {
        let head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"file\"; ",
            self.boundary
        );
        self.bytes.extend_from_slice(head.as_bytes());
        self.bytes.extend_from_slice(disposition_tail);
        self.bytes
            .extend_from_slice(format!("\r\nContent-Type: {media_type}\r\n\r\n").as_bytes());
        self.bytes.extend_from_slice(body);
        self.bytes.extend_from_slice(b"\r\n");
        self
    }

    pub fn file(self, name: &str, media_type: &str, body: &[u8]) -> Multipart {
        let tail = format!("filename=\"{name}\"");
        self.file_raw(tail.as_bytes(), media_type, body)
    }

    fn finish(mut self) -> (String, Vec<u8>) {
        self.bytes
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (
            format!("multipart/form-data; boundary={}", self.boundary),
            self.bytes,
        )
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// Someone at a browser: the cookie of their session (none when anonymous) and the
/// session's CSRF token.
#[derive(Clone)]
pub struct Browser {
    pub base: String,
    pub session: Option<String>,
    pub csrf: String,
    http: reqwest::Client,
}

impl Browser {
    pub fn anonymous(server: &Server) -> Browser {
        Browser {
            base: server.base.clone(),
            session: None,
            csrf: String::new(),
            http: client(),
        }
    }

    /// A browser that sends `session` as its session cookie.
    pub fn holding(server: &Server, session: &str) -> Browser {
        Browser {
            session: Some(session.to_string()),
            ..Browser::anonymous(server)
        }
    }

    /// Signs in through the sign-in form; panics unless it works.
    pub async fn sign_in(server: &Server, login: &str) -> Browser {
        let mut b = Browser::anonymous(server);
        let answer = b.try_sign_in(login, PASSWORD).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "sign-in as {login}: {}",
            answer.flash()
        );
        b.session = Some(answer.cookie("zg_session").expect("a session cookie"));
        let home = b.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "home after sign-in");
        b.csrf = between_all(&home.body, "<meta name=\"csrf-token\" content=\"", "\"")
            .into_iter()
            .next()
            .expect("csrf meta");
        b
    }

    /// Fetches the sign-in form and posts it with its double-submit token, sending this
    /// browser's session cookie if it has one.
    pub async fn try_sign_in(&self, login: &str, password: &str) -> Answer {
        let page = self.send(Method::GET, "/login", Body::None, &[]).await;
        let token = page.cookie("zg_login").expect("a sign-in token cookie");
        assert_eq!(form_token(&page.body).as_deref(), Some(token.as_str()));
        self.post_login(&token, &token, login, password).await
    }

    /// Posts the sign-in form with the given cookie and form tokens.
    pub async fn post_login(
        &self,
        cookie_token: &str,
        form_token: &str,
        login: &str,
        password: &str,
    ) -> Answer {
        let body = form(&[
            ("_csrf", form_token),
            ("login", login),
            ("password", password),
        ]);
        let cookie = format!("zg_login={cookie_token}");
        self.send(Method::POST, "/login", body, &[&cookie]).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, Body::None, &[]).await
    }

    /// Posts a form with this session's CSRF token first.
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        self.send(Method::POST, path, form(&all), &[]).await
    }

    /// Posts a form that must be taken: a redirect back, not the form again.
    pub async fn done(&self, path: &str, pairs: &[(&str, &str)]) {
        let a = self.post(path, pairs).await;
        assert_eq!(
            a.status,
            StatusCode::SEE_OTHER,
            "{path} {pairs:?}: {}",
            a.flash()
        );
    }

    /// Sends a request with this browser's session cookie and `cookies` besides.
    pub async fn send(&self, method: Method, path: &str, body: Body, cookies: &[&str]) -> Answer {
        self.send_with(method, path, body, cookies, &[]).await
    }

    /// `send` with headers besides.
    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Body,
        cookies: &[&str],
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut jar: Vec<String> = cookies.iter().map(|c| c.to_string()).collect();
        if let Some(s) = &self.session {
            jar.push(format!("zg_session={s}"));
        }
        let mut rq = self.http.request(method, format!("{}{path}", self.base));
        if !jar.is_empty() {
            rq = rq.header(COOKIE, jar.join("; "));
        }
        for (k, v) in headers {
            rq = rq.header(*k, *v);
        }
        rq = match body {
            Body::None => rq,
            Body::Form(pairs) => rq.form(&pairs),
            Body::Json(text) => rq.header(CONTENT_TYPE, "application/json").body(text),
            Body::Multipart(m) => {
                let (kind, bytes) = m.finish();
                rq.header(CONTENT_TYPE, kind).body(bytes)
            }
        };
        let response = rq.send().await.expect("request");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("body");
        Answer {
            status,
            headers,
            body,
        }
    }

    /// Fetches a file, as bytes.
    pub async fn download(&self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut rq = self.http.get(format!("{}{path}", self.base));
        if let Some(s) = &self.session {
            rq = rq.header(COOKIE, format!("zg_session={s}"));
        }
        let response = rq.send().await.expect("request");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("bytes").to_vec();
        (status, headers, bytes)
    }
}

/// The file name a `Content-Disposition` header gives in its RFC 5987 `filename*`.
pub fn disposition_name(header: &str) -> Option<String> {
    let encoded = header.split("filename*=UTF-8''").nth(1)?;
    let encoded = encoded.split(';').next().unwrap_or(encoded).trim();
    percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}
