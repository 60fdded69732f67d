//! Every route, with who may use it, in one table: the router is built from it and the
//! access-matrix test reads it, so a route cannot be added without its access rule. The
//! rule here is the gate a request meets first; core's access function, asked by the store,
//! decides the rest (a unit's people get only their unit's records).

use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;

use crate::error::{ApiError, PageError, WebError};
use crate::pages::{
    admin, audit, documents, evidence, finding, home, import, ledger_xlsx, login, round, stats,
    unit,
};
use crate::state::AppState;
use crate::{api, assets, headers};

/// Who a route lets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// No sign-in needed.
    Anyone,
    /// Anyone signed in; what they see is limited to their units.
    SignedIn,
    /// One unit's record, named in the path: that unit's people, the office, supervisors
    /// and administrators read it; who may change it is the rules' business.
    UnitRecord,
    /// Those who bring documents in: the office and administrators.
    Importers,
    /// Those who read the whole event log: the office, supervisors, administrators.
    Auditors,
    /// Administrators.
    Admins,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub who: Who,
    /// Part of the JSON API (answers with JSON errors, documented in OpenAPI).
    pub api: bool,
}

/// A row of the table.
pub(crate) type Route = (RouteSpec, MethodRouter<AppState>);

/// A route of the table: its method, path, who may use it, whether it is part of the API.
pub(crate) fn route(
    method: &'static str,
    path: &'static str,
    who: Who,
    api: bool,
    handler: MethodRouter<AppState>,
) -> Route {
    let spec = RouteSpec {
        method,
        path,
        who,
        api,
    };
    (spec, handler)
}

fn page(
    method: &'static str,
    path: &'static str,
    who: Who,
    handler: MethodRouter<AppState>,
) -> Route {
    route(method, path, who, false, handler)
}

fn table() -> Vec<Route> {
    use Who::*;
    let mut t = vec![
        page("GET", "/login", Anyone, get(login::form)),
        page("POST", "/login", Anyone, post(login::submit)),
        page("POST", "/logout", SignedIn, post(login::logout)),
        page("GET", "/static/{file}", Anyone, get(assets::file)),
        page("GET", "/", SignedIn, get(home::page)),
        page("GET", "/rounds", SignedIn, get(round::list)),
        page("GET", "/rounds/{id}", SignedIn, get(round::page)),
        page(
            "POST",
            "/rounds/{id}/settings",
            SignedIn,
            post(round::settings),
        ),
        page(
            "GET",
            "/rounds/{id}/ledger.xlsx",
            SignedIn,
            get(ledger_xlsx::round),
        ),
        page("GET", "/stats", SignedIn, get(stats::page)),
        page("GET", "/stats/download", SignedIn, get(stats::download)),
        page("GET", "/stats/charts/{chart}", SignedIn, get(stats::chart)),
        page("GET", "/units/{id}", UnitRecord, get(unit::unit)),
        page("GET", "/feedbacks/{id}", UnitRecord, get(unit::ledger)),
        page("POST", "/feedbacks/{id}/plan", UnitRecord, post(unit::plan)),
        page(
            "GET",
            "/feedbacks/{id}/ledger.xlsx",
            UnitRecord,
            get(ledger_xlsx::unit),
        ),
        page(
            "GET",
            "/feedbacks/{id}/notice",
            UnitRecord,
            get(documents::notice),
        ),
        page(
            "GET",
            "/feedbacks/{id}/supervision",
            UnitRecord,
            get(documents::supervision),
        ),
        page("GET", "/findings/{id}", UnitRecord, get(finding::page)),
        page("POST", "/findings/{id}/do", UnitRecord, post(finding::act)),
        page(
            "POST",
            "/findings/{id}/evidence",
            UnitRecord,
            post(evidence::upload),
        ),
        page(
            "GET",
            "/findings/{id}/evidence/{evidence}",
            UnitRecord,
            get(evidence::download),
        ),
        page("GET", "/import", Importers, get(import::form)),
        page("POST", "/import", Importers, post(import::upload)),
        page(
            "POST",
            "/import/{token}/confirm",
            Importers,
            post(import::confirm),
        ),
        page(
            "POST",
            "/import/{token}/cancel",
            Importers,
            post(import::cancel),
        ),
        page("GET", "/audit", Auditors, get(audit::page)),
        page("GET", "/admin/users", Admins, get(admin::page)),
        page("POST", "/admin/users", Admins, post(admin::add)),
        page("POST", "/admin/users/{id}", Admins, post(admin::act)),
    ];
    t.extend(api::table());
    t
}

/// The routes and who may use each.
pub fn routes() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

/// No such route: a JSON error under `/api/`, the error page elsewhere.
async fn no_route(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError(WebError::NoRoute).into_response()
    } else {
        PageError(WebError::NoRoute).into_response()
    }
}

pub fn router(state: AppState) -> Router {
    let limit = usize::try_from(state.settings.max_upload)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    // One method router a path, all its methods merged.
    let mut by_path: Vec<(&'static str, Vec<MethodRouter<AppState>>)> = Vec::new();
    for (spec, handler) in table() {
        match by_path.iter_mut().find(|(p, _)| *p == spec.path) {
            Some((_, handlers)) => handlers.push(handler),
            None => by_path.push((spec.path, vec![handler])),
        }
    }
    let mut router = Router::new();
    for (path, handlers) in by_path {
        if let Some(merged) = handlers.into_iter().reduce(MethodRouter::merge) {
            router = router.route(path, merged);
        }
    }
    router
        .fallback(no_route)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(headers::secure))
        .with_state(state)
}
