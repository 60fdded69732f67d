//! The pages, one module a page (or a family of them). Each handler gets the signed-in
//! person, asks the store (which asks core whether they may), and renders a template.

pub mod admin;
pub mod audit;
pub mod documents;
pub mod evidence;
pub mod finding;
mod finding_form;
pub mod home;
pub mod import;
pub mod ledger_xlsx;
pub mod login;
pub mod round;
pub mod stats;
pub mod unit;

use askama::Template;
use axum::response::Html;

use crate::error::{PageError, WebError};

/// Renders a template; a template that cannot render is the server's fault.
pub fn render<T: Template>(t: &T) -> Result<Html<String>, PageError> {
    t.render()
        .map(Html)
        .map_err(|e| PageError(WebError::BadRequest(format!("模板出错：{e}"))))
        .map_err(|e| {
            tracing::error!(error = %e.0, "template");
            PageError(WebError::Store(zhenggai_store::StoreError::Internal(
                "template".into(),
            )))
        })
}

/// The form field every form sends with the session's CSRF token.
#[derive(Debug, serde::Deserialize)]
pub struct CsrfOnly {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
}

/// The query of a page a form redirected back to: `ok` names what was done.
#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    pub ok: Option<String>,
}
