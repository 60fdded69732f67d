//! A change without the session's CSRF token is refused on every route that is not a GET,
//! taken from the route table: the token left out, another session's token, a made-up
//! one; for the sign-in form, its double-submit cookie and field left out or unequal.
//! Nothing is written by any of them. Where the test knows a body that works, the same
//! request with the right token then goes through, so the token was what stopped it.

use reqwest::{Method, StatusCode};
use zhenggai_testkit::Db;
use zhenggai_web::{RouteSpec, Who};

use crate::escaping::round_form;
use crate::harness::{reader, Answer, Body, Browser, Demo, Multipart, Server, PASSWORD};

/// A request's body with `token` as its CSRF token (none when `None`).
fn body(spec: &RouteSpec, token: Option<&str>, fields: &Fields) -> Body {
    let multipart = !spec.api && (spec.path.ends_with("/evidence") || spec.path == "/import");
    if spec.api {
        return Body::Json("{}".into());
    }
    if multipart {
        let mut m = Multipart::default();
        if let Some(t) = token {
            m = m.text("_csrf", t);
        }
        return Body::Multipart(match spec.path {
            "/import" => m
                .text("round", "示例市委第三轮巡察")
                .text("unit", "中共示例市测试局党组")
                .file("通报.txt", "text/plain", NOTICE.as_bytes()),
            _ => m.text("description", "会议纪要").file(
                "整改会议纪要.pdf",
                "application/pdf",
                b"%PDF-1.4\n",
            ),
        });
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(t) = token {
        pairs.push(("_csrf".into(), t.into()));
    }
    pairs.extend(fields.iter().cloned());
    Body::Form(pairs)
}

type Fields = Vec<(String, String)>;

const NOTICE: &str = "中共示例市测试局党组关于巡察整改进展情况的通报\n\n一、党的领导弱化\n\
    1. 学习不够\n（1）理论学习流于形式。整改措施：一是制定学习计划。\n";

fn pairs(p: &[(&str, &str)]) -> Fields {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Who sends a route's changes, where, and a body that works with the right token (`None`:
/// the test knows none, and only the refusals are checked).
async fn case(
    spec: &RouteSpec,
    demo: &Demo,
    server: &Server,
) -> (Option<&'static str>, String, Option<Fields>) {
    let rounds = server.store.rounds(&reader()).await.expect("rounds");
    let r = &rounds[0];
    let f = &demo.in_progress;
    match (spec.method, spec.path) {
        ("POST", "/logout") => (Some("office"), "/logout".into(), Some(vec![])),
        ("POST", "/rounds/{id}/settings") => (
            Some("office"),
            format!("/rounds/{}/settings", r.id),
            Some(round_form(r, &r.name, "已改名的巡察组")),
        ),
        ("POST", "/feedbacks/{id}/plan") => (
            Some("office"),
            "/feedbacks/fb-jgj/plan".into(),
            Some(pairs(&[("action", "approve"), ("reason", "同意")])),
        ),
        ("POST", "/findings/{id}/do") => (
            Some("cgj-editor"),
            format!("/findings/{f}/do"),
            Some(pairs(&[
                ("action", "progress"),
                ("measure_id", &format!("{f}.m1")),
                ("text", "已召开专题会议"),
            ])),
        ),
        ("POST", "/findings/{id}/evidence") => (
            Some("cgj-editor"),
            format!("/findings/{f}/evidence"),
            Some(vec![]),
        ),
        ("POST", "/import") => (Some("office"), "/import".into(), Some(vec![])),
        // A made-up upload: with the right token it is refused as expired, not as forged.
        ("POST", "/import/{token}/confirm" | "/import/{token}/cancel") => (
            Some("office"),
            spec.path.replace("{token}", "0f1e2d3c4b5a6978"),
            Some(vec![]),
        ),
        ("POST", "/admin/users") => (
            Some("admin"),
            "/admin/users".into(),
            Some(pairs(&[
                ("login", "csrf-probe"),
                ("name", "测试用户"),
                ("role", "office"),
                ("password", "a-long-enough-password-2"),
            ])),
        ),
        ("POST", "/admin/users/{id}") => (
            Some("admin"),
            format!("/admin/users/{}", demo.user_id),
            Some(pairs(&[("action", "enable")])),
        ),
        _ => {
            let path = spec
                .path
                .replace("{id}", "made-up-id")
                .replace("{token}", "made-up-token");
            let login = match spec.who {
                Who::Anyone => None,
                Who::Admins => Some("admin"),
                Who::SignedIn | Who::UnitRecord | Who::Importers | Who::Auditors => Some("office"),
            };
            (login, path, None)
        }
    }
}

fn refused_for_csrf(spec: &RouteSpec, a: &Answer) -> bool {
    a.status == StatusCode::FORBIDDEN && (spec.api || a.body.contains("表单已过期或来源不明"))
}

async fn the_sign_in_form_needs_its_double_submit_token(server: &Server) {
    let b = Browser::anonymous(server);
    for (cookie, field) in [("", "t0k3n"), ("t0k3n", ""), ("t0k3n", "other")] {
        let a = b.post_login(cookie, field, "office", PASSWORD).await;
        assert_eq!(
            a.status,
            StatusCode::FORBIDDEN,
            "cookie {cookie:?} field {field:?}"
        );
        assert!(a.cookie("zg_session").is_none());
    }
    let a = b.post_login("t0k3n", "t0k3n", "office", PASSWORD).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
}

async fn every_change_without_the_sessions_token_is_refused(db: &Db) {
    let demo = Demo::fill(db).await;
    let server = Server::start(db, zhenggai_web::Settings::default()).await;
    the_sign_in_form_needs_its_double_submit_token(&server).await;
    let stranger = Browser::sign_in(&server, "supervisor").await;
    let changes: Vec<RouteSpec> = zhenggai_web::routes()
        .into_iter()
        .filter(|r| r.method != "GET" && r.path != "/login")
        .collect();
    assert!(changes.len() >= 9, "{} changing routes", changes.len());
    let events = server.events().await;
    let mut proved = 0;
    for spec in &changes {
        let (login, path, fields) = case(spec, &demo, &server).await;
        let login = login.expect("a change that needs no sign-in besides /login: decide its case");
        let me = Browser::sign_in(&server, login).await;
        let method = Method::from_bytes(spec.method.as_bytes()).expect("method");
        let known = fields.clone().unwrap_or_default();
        let before = server.events().await;
        let forged = ["", stranger.csrf.as_str(), "0123456789abcdef"];
        for token in forged {
            let t = (!token.is_empty()).then_some(token);
            let b = body(spec, t, &known);
            let a = if spec.api {
                let headers: Vec<(&str, &str)> =
                    t.map(|t| vec![("x-csrf-token", t)]).unwrap_or_default();
                me.send_with(method.clone(), &path, b, &[], &headers).await
            } else {
                me.send(method.clone(), &path, b, &[]).await
            };
            assert!(
                refused_for_csrf(spec, &a),
                "{} {path} with token {token:?}: {} {}",
                spec.method,
                a.status,
                a.flash()
            );
        }
        assert_eq!(
            server.events().await,
            before,
            "{} {path} wrote",
            spec.method
        );
        assert_eq!(
            me.get("/").await.status,
            StatusCode::OK,
            "the session survived"
        );
        if let Some(fields) = fields {
            let b = body(spec, Some(&me.csrf), &fields);
            let a = me.send(method, &path, b, &[]).await;
            let through = !refused_for_csrf(spec, &a)
                && !a.status.is_server_error()
                && !matches!(a.status, StatusCode::UNAUTHORIZED | StatusCode::NOT_FOUND);
            assert!(
                through,
                "{} {path} with the right token: {} {}",
                spec.method,
                a.status,
                a.flash()
            );
            proved += 1;
        }
    }
    assert!(
        proved >= 10,
        "only {proved} routes proved with the right token"
    );
    assert!(server.events().await > events);
    assert!(server.verifies().await);
}

zhenggai_testkit::on_both!(every_change_without_the_sessions_token_is_refused);
