//! The JSON API under `/api/v1`: the same store, the same access function, errors as
//! `{"error": code, "message": text}` with each code's HTTP status, keyset paging; its
//! OpenAPI document at `/api/openapi.json` and Swagger UI at `/api/docs`. One module a
//! concern; every route is in `table()`.

mod accounts;
mod audit;
mod changes;
mod docs;
mod documents;
mod evidence;
mod extract;
mod feedbacks;
mod findings;
mod import;
mod ledger_xlsx;
mod setup;

use axum::routing::{delete, get, post, put, MethodRouter};

pub use docs::openapi;

use crate::routes::{route, Route, Who};
use crate::state::AppState;

fn api(
    method: &'static str,
    path: &'static str,
    who: Who,
    handler: MethodRouter<AppState>,
) -> Route {
    route(method, path, who, true, handler)
}

/// The document and its browser: open to anyone, not part of the API they describe.
fn doc(path: &'static str, handler: MethodRouter<AppState>) -> Route {
    route("GET", path, Who::Anyone, false, handler)
}

pub fn table() -> Vec<Route> {
    use Who::*;
    vec![
        doc("/api/openapi.json", get(docs::document)),
        doc("/api/docs", get(docs::ui_root)),
        doc("/api/docs/", get(docs::ui_index)),
        doc("/api/docs/{file}", get(docs::ui_asset)),
        api("GET", "/api/v1/me", SignedIn, get(setup::me)),
        api("GET", "/api/v1/rounds", SignedIn, get(setup::rounds)),
        api(
            "POST",
            "/api/v1/rounds",
            SignedIn,
            post(setup::create_round),
        ),
        api("GET", "/api/v1/rounds/{id}", SignedIn, get(setup::round)),
        api(
            "PUT",
            "/api/v1/rounds/{id}",
            SignedIn,
            put(setup::edit_round),
        ),
        api("GET", "/api/v1/units", SignedIn, get(setup::units)),
        api("POST", "/api/v1/units", SignedIn, post(setup::create_unit)),
        api("GET", "/api/v1/units/{id}", UnitRecord, get(setup::unit)),
        api(
            "PUT",
            "/api/v1/units/{id}",
            UnitRecord,
            put(setup::edit_unit),
        ),
        api("GET", "/api/v1/feedbacks", SignedIn, get(feedbacks::list)),
        api(
            "GET",
            "/api/v1/feedbacks/{id}",
            UnitRecord,
            get(feedbacks::one),
        ),
        api(
            "GET",
            "/api/v1/feedbacks/{id}/head",
            UnitRecord,
            get(feedbacks::head),
        ),
        api(
            "GET",
            "/api/v1/rounds/{id}/ledger.xlsx",
            SignedIn,
            get(ledger_xlsx::round),
        ),
        api(
            "GET",
            "/api/v1/feedbacks/{id}/ledger.xlsx",
            UnitRecord,
            get(ledger_xlsx::feedback),
        ),
        api("GET", "/api/v1/ledger", SignedIn, get(findings::ledger)),
        api("GET", "/api/v1/findings", SignedIn, get(findings::list)),
        api(
            "GET",
            "/api/v1/findings/{id}",
            UnitRecord,
            get(findings::one),
        ),
        api(
            "POST",
            "/api/v1/findings/{id}/evidence",
            UnitRecord,
            post(evidence::upload),
        ),
        api(
            "GET",
            "/api/v1/findings/{id}/evidence/{evidence}",
            UnitRecord,
            get(evidence::download),
        ),
        api(
            "GET",
            "/api/v1/feedbacks/{id}/notice",
            UnitRecord,
            get(documents::notice),
        ),
        api(
            "GET",
            "/api/v1/feedbacks/{id}/supervision",
            UnitRecord,
            get(documents::supervision),
        ),
        api("POST", "/api/v1/changes", SignedIn, post(changes::apply)),
        api("GET", "/api/v1/events", SignedIn, get(audit::events)),
        api("GET", "/api/v1/stats", SignedIn, get(audit::stats)),
        api("GET", "/api/v1/report", SignedIn, get(audit::report)),
        api("GET", "/api/v1/verify", Auditors, get(audit::verify)),
        api("POST", "/api/v1/imports", Importers, post(import::preview)),
        api(
            "POST",
            "/api/v1/imports/{token}/confirm",
            Importers,
            post(import::confirm),
        ),
        api(
            "DELETE",
            "/api/v1/imports/{token}",
            Importers,
            delete(import::cancel),
        ),
        api("GET", "/api/v1/users", Admins, get(accounts::list)),
        api("POST", "/api/v1/users", Admins, post(accounts::add)),
        api(
            "POST",
            "/api/v1/users/{id}/disable",
            Admins,
            post(accounts::disable),
        ),
        api(
            "POST",
            "/api/v1/users/{id}/enable",
            Admins,
            post(accounts::enable),
        ),
        api(
            "PUT",
            "/api/v1/users/{id}/password",
            Admins,
            put(accounts::password),
        ),
        api(
            "GET",
            "/api/v1/users/{id}/tokens",
            Admins,
            get(accounts::tokens),
        ),
        api(
            "POST",
            "/api/v1/users/{id}/tokens",
            Admins,
            post(accounts::issue),
        ),
        api(
            "DELETE",
            "/api/v1/users/{id}/tokens/{token}",
            Admins,
            delete(accounts::revoke),
        ),
    ]
}
