//! The access matrix, generated from the router's own route list: every route of
//! `zhenggai_web::routes()` is tried by the anonymous visitor, by each role and by a unit's
//! people on their own unit's ids and on another unit's ids; what each should get follows
//! from the route's `Who` alone (and, for a unit's record, the unit of the id in the path),
//! never from the code that serves it.
//!
//! A request is let in when it got past access: any answer but 401, 403, 404 or a redirect
//! to the sign-in page (signing out, which redirects there and ends the session, is let in).
//! Changes are sent with a valid CSRF token and an empty or harmless body, so that those let
//! in are stopped by validation, not by a rule. A new `Who` does not compile here until the
//! test decides who it lets in; a path parameter the test cannot fill fails it.

use reqwest::{Method, StatusCode};
use zhenggai_core::Role;
use zhenggai_testkit::Db;
use zhenggai_web::{RouteSpec, Who};

use crate::harness::{Answer, Body, Browser, Demo, Ids, Multipart, Server, PASSWORD};

/// Who tries the routes, and on whose ids.
struct Visitor {
    label: &'static str,
    login: Option<&'static str>,
    role: Option<Role>,
    /// Tries unit B's ids (someone else's unit for the demo's unit A people).
    other_unit: bool,
}

const VISITORS: [Visitor; 8] = [
    Visitor {
        label: "anonymous",
        login: None,
        role: None,
        other_unit: false,
    },
    Visitor {
        label: "admin",
        login: Some("admin"),
        role: Some(Role::Admin),
        other_unit: false,
    },
    Visitor {
        label: "office",
        login: Some("office"),
        role: Some(Role::Office),
        other_unit: false,
    },
    Visitor {
        label: "supervisor",
        login: Some("supervisor"),
        role: Some(Role::Supervisor),
        other_unit: false,
    },
    Visitor {
        label: "unit_editor, own unit",
        login: Some("cgj-editor"),
        role: Some(Role::UnitEditor),
        other_unit: false,
    },
    Visitor {
        label: "unit_lead, own unit",
        login: Some("cgj-lead"),
        role: Some(Role::UnitLead),
        other_unit: false,
    },
    Visitor {
        label: "unit_editor, another unit's ids",
        login: Some("cgj-editor"),
        role: Some(Role::UnitEditor),
        other_unit: true,
    },
    Visitor {
        label: "unit_lead, another unit's ids",
        login: Some("cgj-lead"),
        role: Some(Role::UnitLead),
        other_unit: true,
    },
];

/// Whether `who` lets `v` in: the product's access rules as the issue states them.
fn lets_in(who: Who, v: &Visitor) -> bool {
    use Role::*;
    let Some(role) = v.role else {
        return who == Who::Anyone;
    };
    // No wildcard: a new kind of rule must be decided here before this compiles.
    match who {
        Who::Anyone | Who::SignedIn => true,
        Who::UnitRecord => match role {
            Admin | Office | Supervisor => true,
            UnitEditor | UnitLead => !v.other_unit,
            Public => false,
        },
        Who::Importers => matches!(role, Office | Admin),
        Who::Auditors => matches!(role, Office | Supervisor | Admin),
        Who::Admins => role == Admin,
    }
}

/// A path with its parameters filled from the demo ledger.
fn fill(spec: &RouteSpec, ids: &Ids, demo: &Demo) -> Result<String, String> {
    let segments: Vec<&str> = spec.path.split('/').collect();
    let mut out = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        let Some(param) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            out.push(seg.to_string());
            continue;
        };
        // `{id}` takes its meaning from the segment before it.
        let kind = if param == "id" {
            i.checked_sub(1).map_or("", |p| segments[p])
        } else {
            param
        };
        let value = match kind {
            "findings" | "finding" => ids.finding.clone(),
            "feedbacks" | "feedback" => ids.feedback.clone(),
            "units" | "unit" => ids.unit.clone(),
            "rounds" | "round" => "r-demo-3".to_string(),
            "users" | "user" => demo.user_id.clone(),
            "evidence" => ids.evidence.clone(),
            "chart" => "completion-by-unit.svg".to_string(),
            "token" => "0f1e2d3c4b5a69788796a5b4c3d2e1f0".to_string(),
            "file" if spec.path.starts_with("/api/docs/") => "index.css".to_string(),
            "file" => "app.css".to_string(),
            _ => {
                return Err(format!(
                    "{} {}: the test has no value for {{{param}}}; decide one in matrix::fill",
                    spec.method, spec.path
                ))
            }
        };
        out.push(value);
    }
    Ok(out.join("/"))
}

/// Routes that read an uploaded file get a multipart body; the API gets JSON.
fn empty_body(spec: &RouteSpec, csrf: &str) -> Body {
    if spec.api {
        Body::Json("{}".into())
    } else if spec.path.ends_with("/evidence") || spec.path == "/import" {
        Body::Multipart(Multipart::default().text("_csrf", csrf))
    } else {
        Body::Form(vec![("_csrf".into(), csrf.into())])
    }
}

/// What a visitor got.
#[derive(Debug, PartialEq)]
enum Got {
    In,
    Out,
}

fn judge(spec: &RouteSpec, v: &Visitor, a: &Answer) -> Result<Got, String> {
    if a.status.is_server_error() {
        return Err(format!("server error {}", a.status));
    }
    let signs_out = a
        .set_cookies("zg_session")
        .iter()
        .any(|c| c.contains("Max-Age=0"));
    if v.login.is_none() && !lets_in(spec.who, v) {
        // Someone not signed in is sent to sign in (pages) or told to (API).
        let right = if spec.api {
            a.status == StatusCode::UNAUTHORIZED
        } else {
            a.redirects_to_login()
        };
        return if right {
            Ok(Got::Out)
        } else {
            Err(format!("anonymous got {} {:?}", a.status, a.location()))
        };
    }
    let refused = matches!(
        a.status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) || (a.redirects_to_login() && !signs_out);
    Ok(if refused { Got::Out } else { Got::In })
}

/// Tries one route as one visitor.
async fn visit(
    server: &Server,
    demo: &Demo,
    spec: &RouteSpec,
    v: &Visitor,
    main: &Browser,
) -> Answer {
    let ids = if v.other_unit { &demo.b } else { &demo.a };
    let path = match fill(spec, ids, demo) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let method = Method::from_bytes(spec.method.as_bytes()).expect("method");
    if method == Method::GET {
        return main.get(&path).await;
    }
    // Signing in and out end the session they are sent with: they get one of their own.
    let own;
    let who = if spec.path == "/login" || spec.path == "/logout" {
        own = match v.login {
            Some(login) => Browser::sign_in(server, login).await,
            None => Browser::anonymous(server),
        };
        &own
    } else {
        main
    };
    if spec.path == "/login" {
        // The double-submit token is any value sent both as the cookie and in the form (a
        // signed-in browser is not shown the form).
        let login = v.login.unwrap_or("admin");
        let token = "5f0c1e2d3b4a5968";
        return who.post_login(token, token, login, PASSWORD).await;
    }
    if spec.api {
        let token = who.csrf.clone();
        let headers = [("x-csrf-token", token.as_str())];
        return who
            .send_with(method, &path, empty_body(spec, &token), &[], &headers)
            .await;
    }
    who.send(method, &path, empty_body(spec, &who.csrf), &[])
        .await
}

async fn every_route_lets_in_exactly_whom_its_rule_names(db: &Db) {
    let demo = Demo::fill(db).await;
    let server = Server::start(db, zhenggai_web::Settings::default()).await;
    let routes = zhenggai_web::routes();
    let mut sessions = Vec::new();
    for v in &VISITORS {
        sessions.push(match v.login {
            Some(login) => Browser::sign_in(&server, login).await,
            None => Browser::anonymous(&server),
        });
    }
    let mut wrong = Vec::new();
    let mut checked = std::collections::BTreeSet::new();
    let mut cells = 0;
    for spec in &routes {
        for (v, main) in VISITORS.iter().zip(&sessions) {
            let answer = visit(&server, &demo, spec, v, main).await;
            let expected = if lets_in(spec.who, v) {
                Got::In
            } else {
                Got::Out
            };
            match judge(spec, v, &answer) {
                Ok(got) if got == expected => {}
                Ok(got) => wrong.push(format!(
                    "{} {} ({:?}) as {}: expected {expected:?}, got {got:?} ({} {})",
                    spec.method,
                    spec.path,
                    spec.who,
                    v.label,
                    answer.status,
                    answer.flash()
                )),
                Err(e) => wrong.push(format!(
                    "{} {} ({:?}) as {}: {e}",
                    spec.method, spec.path, spec.who, v.label
                )),
            }
            if expected == Got::Out {
                let other = if v.other_unit { &demo.b } else { &demo.a };
                let leaked = [&other.finding_title, &other.unit_name]
                    .into_iter()
                    .find(|s| answer.body.contains(s.as_str()));
                if let Some(s) = leaked {
                    wrong.push(format!(
                        "{} {} as {}: refused, yet the body holds {s:?}",
                        spec.method, spec.path, v.label
                    ));
                }
            }
            cells += 1;
        }
        checked.insert((spec.method, spec.path));
    }
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(
        checked.len(),
        routes.len(),
        "every route checked once (a route listed twice?)"
    );
    assert_eq!(cells, routes.len() * VISITORS.len());
    assert!(
        routes.len() >= 20,
        "the route table shrank to {}",
        routes.len()
    );
}

zhenggai_testkit::on_both!(every_route_lets_in_exactly_whom_its_rule_names);
