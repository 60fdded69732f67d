//! The API's OpenAPI 3.1 document, generated from the handlers' annotations and the types'
//! `ToSchema` derives, served at `/api/openapi.json`; and Swagger UI, built into the binary
//! (vendored: nothing fetched at build or run time), served at `/api/docs/` from our own
//! origin. A test checks the document against the route table.

use std::sync::{Arc, LazyLock};

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::extract::PathParams;
use super::{
    accounts, audit, changes, documents, evidence, feedbacks, findings, import, ledger_xlsx, setup,
};
use crate::auth::SESSION_COOKIE;
use crate::error::{ApiError, ErrorBody, WebError};
use zhenggai_core::Warning;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "整改台账 zhenggai API",
        description = "The ledger of rectifying what an inspection found, as JSON. Every call \
            is decided by the same access function and rules as the pages. Errors are \
            `{\"error\": code, \"message\": text}` with the HTTP status of the code. Lists \
            are paged by key: pass a page's `next` back as `after` (findings) or `before` \
            (events)."
    ),
    paths(
        setup::me,
        setup::rounds,
        setup::round,
        setup::create_round,
        setup::edit_round,
        setup::units,
        setup::unit,
        setup::create_unit,
        setup::edit_unit,
        feedbacks::list,
        feedbacks::one,
        feedbacks::head,
        findings::list,
        findings::ledger,
        findings::one,
        ledger_xlsx::round,
        ledger_xlsx::feedback,
        changes::apply,
        evidence::upload,
        evidence::download,
        audit::events,
        audit::stats,
        audit::report,
        audit::verify,
        import::preview,
        import::confirm,
        import::cancel,
        accounts::list,
        accounts::add,
        accounts::disable,
        accounts::enable,
        accounts::password,
        accounts::tokens,
        accounts::issue,
        accounts::revoke,
        documents::notice,
        documents::supervision,
    ),
    components(schemas(ErrorBody, Warning)),
    modifiers(&Security, &Errors),
    tags(
        (name = "setup", description = "The caller, rounds and units"),
        (name = "ledger", description = "Feedbacks, the ledger and findings"),
        (name = "changes", description = "Units of work: every change of the ledger"),
        (name = "evidence", description = "Evidence files"),
        (name = "audit", description = "The event log, figures and the chain's verification"),
        (name = "import", description = "Ledger documents and notices brought in"),
        (name = "accounts", description = "Accounts and API tokens, for administrators"),
    )
)]
struct ApiDoc;

/// How a caller is known: an API token, or a browser's session whose CSRF token comes
/// with every request that changes something.
struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description = Some("An API token (zhenggai user token LOGIN, or an administrator's POST /api/v1/users/{id}/tokens)".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The session cookie of a signed-in browser",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's CSRF token, required with the cookie on every request that changes something",
            ))),
        );
        let none: [&str; 0] = [];
        doc.security = Some(vec![
            SecurityRequirement::new("bearer", none),
            SecurityRequirement::new("session", none).add("csrf", none),
        ]);
    }
}

/// The refusals every operation can give, as shared responses.
const COMMON: [(&str, &str, &str); 4] = [
    ("401", "Unauthenticated", "No valid token or session"),
    (
        "403",
        "Forbidden",
        "Not the caller's to do or see (also `same_person`)",
    ),
    (
        "422",
        "Invalid",
        "The request, its parameters or a change is refused as invalid",
    ),
    (
        "500",
        "ServerError",
        "The server failed; the cause is in its log",
    ),
];

/// And those of every operation that takes a body.
const WITH_BODY: [(&str, &str, &str); 2] = [
    (
        "413",
        "TooLarge",
        "The body is over the upload limit; nothing was stored",
    ),
    (
        "415",
        "WrongMediaType",
        "The body is not of the media type documented",
    ),
];

struct Errors;

impl Modify for Errors {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        for &(_, name, description) in COMMON.iter().chain(WITH_BODY.iter()) {
            let content = Content::new(Some(Ref::from_schema_name("ErrorBody")));
            let response = ResponseBuilder::new()
                .description(description)
                .content("application/json", content)
                .build();
            components
                .responses
                .insert(name.to_string(), RefOr::T(response));
        }
        for item in doc.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
            ];
            for op in operations.into_iter().flatten() {
                let body = op.request_body.is_some().then_some(WITH_BODY.iter());
                for &(status, name, _) in COMMON.iter().chain(body.into_iter().flatten()) {
                    let shared = RefOr::Ref(Ref::from_response_name(name));
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert(shared);
                }
            }
        }
    }
}

/// The document, made once.
pub fn openapi() -> Document {
    ApiDoc::openapi()
}

static DOCUMENT: LazyLock<Result<String, String>> =
    LazyLock::new(|| openapi().to_pretty_json().map_err(|e| e.to_string()));

pub async fn document() -> Response {
    match DOCUMENT.as_ref() {
        Ok(json) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            json.as_str(),
        )
            .into_response(),
        Err(e) => internal(format!("openapi document: {e}")),
    }
}

/// A failure of ours: logged with its cause, answered without it.
fn internal(cause: String) -> Response {
    ApiError(WebError::Store(zhenggai_store::StoreError::Internal(cause))).into_response()
}

static UI: LazyLock<Arc<utoipa_swagger_ui::Config<'static>>> = LazyLock::new(|| {
    Arc::new(
        utoipa_swagger_ui::Config::new(["/api/openapi.json"])
            // No badge fetched from validator.swagger.io: nothing leaves our origin.
            .validator_url("none")
            .try_it_out_enabled(true),
    )
});

/// Swagger UI's files are relative to its folder: `/api/docs` goes to `/api/docs/`.
pub async fn ui_root() -> Redirect {
    Redirect::permanent("/api/docs/")
}

pub async fn ui_index() -> Response {
    ui_file("index.html")
}

pub async fn ui_asset(PathParams(file): PathParams<String>) -> Response {
    ui_file(&file)
}

fn ui_file(name: &str) -> Response {
    match utoipa_swagger_ui::serve(name, UI.clone()) {
        Ok(Some(file)) => {
            let kind = HeaderValue::from_str(&file.content_type)
                .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
            ([(header::CONTENT_TYPE, kind)], file.bytes.into_owned()).into_response()
        }
        Ok(None) => ApiError(WebError::NoRoute).into_response(),
        Err(e) => internal(format!("swagger ui: {e}")),
    }
}
