//! 导入, as the page does it: upload a ledger document (.json) or a notice (.txt, .docx,
//! .html) and see what it would bring in; then confirm it under the preview's token, or
//! drop it. Nothing is stored before the confirmation.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use zhenggai_core::{authorize, Access};

use super::extract::{Form, PathParams};
use crate::auth::ApiUser;
use crate::error::{ApiError, WebError};
use crate::pages::evidence::read_upload;
use crate::pages::import::{commit, stage, Imported};
use crate::state::AppState;

/// A document to import.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Documents the form that `read_upload` reads field by field.
pub struct ImportForm {
    /// A ledger document (`.json`, zhenggai.ledger.v2), a unit's Excel ledger (`.xlsx`) or
    /// a notice (.txt, .docx, .html).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// For a notice: the round's name (a new round is made from the notice); for an Excel
    /// ledger (required): the round's id or name.
    round: Option<String>,
    /// For a notice: the unit's name, when the notice does not say it; for an Excel ledger
    /// (required): the unit's id or name.
    unit: Option<String>,
}

/// What a document would bring in.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ImportPreview {
    /// Confirm with this; absent when the document cannot be imported.
    pub token: Option<String>,
    pub name: String,
    /// The tree it would import, in words.
    pub summary: String,
    pub warnings: Vec<String>,
    /// Whether it can be imported as it is.
    pub ready: bool,
}

/// Checks a document without storing anything; a document that can be imported waits
/// for its confirmation (30 minutes, for the caller only).
#[utoipa::path(post, path = "/api/v1/imports", operation_id = "preview_import", tag = "import",
    request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses((status = 200, description = "What it would bring in", body = ImportPreview),
        (status = 413, description = "The file is over the limit", body = crate::error::ErrorBody),
        (status = 415, description = "Not a multipart form", body = crate::error::ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    who: ApiUser,
    form: Result<Form, ApiError>,
) -> Result<Json<ImportPreview>, ApiError> {
    authorize(&who.actor, Access::Import)?;
    let Form(form) = form?;
    let up = read_upload(form, state.settings.max_upload).await?;
    if up.name.is_empty() {
        return Err(WebError::BadRequest("缺少文件：表单字段 file".into()).into());
    }
    let p = stage(&state, &who.actor, up).await?;
    Ok(Json(ImportPreview {
        token: p.ready.then_some(p.token),
        name: p.name,
        summary: p.summary,
        warnings: p.warnings,
        ready: p.ready,
    }))
}

/// Imports the document a preview checked, in one transaction. A token under which no
/// upload waits (expired, handled, or another's) is refused as invalid.
#[utoipa::path(post, path = "/api/v1/imports/{token}/confirm", operation_id = "confirm_import", tag = "import",
    params(("token" = String, Path, description = "The preview's token")),
    responses((status = 200, description = "Imported", body = Imported),
        (status = 409, description = "A record conflicts with the ledger", body = crate::error::ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(token): PathParams<String>,
) -> Result<Json<Imported>, ApiError> {
    Ok(Json(commit(&state, &who.actor, &token).await?))
}

/// Drops a document waiting for its confirmation.
#[utoipa::path(delete, path = "/api/v1/imports/{token}", operation_id = "cancel_import", tag = "import",
    params(("token" = String, Path, description = "The preview's token")),
    responses((status = 204, description = "Dropped (or already gone)")))]
pub async fn cancel(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(token): PathParams<String>,
) -> Result<StatusCode, ApiError> {
    authorize(&who.actor, Access::Import)?;
    state.pending.take(&token, &who.actor.user_id);
    Ok(StatusCode::NO_CONTENT)
}
