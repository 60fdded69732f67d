//! The documents written from a unit's ledger, as files: its notice and its supervision
//! notice. The same files as the pages' download buttons, under the same reading rule.

use axum::extract::State;
use axum::response::Response;

use super::evidence::FileBytes;
use super::extract::{PathParams, QueryParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::pages::documents::{notice_file, supervision_file};
use crate::state::AppState;

/// Which notice: its format, progress or final, internal or public.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeParams {
    /// `docx` (the official document format, the default) or `txt`.
    format: Option<String>,
    /// `progress` (整改进展情况, the default) or `final` (整改情况).
    kind: Option<String>,
    /// `1` for the public version: findings marked internal left out.
    public: Option<String>,
}

/// The unit's notice written from its ledger as of today.
#[utoipa::path(get, path = "/api/v1/feedbacks/{id}/notice", operation_id = "feedback_notice", tag = "documents",
    params(("id" = String, Path, description = "The feedback's id"), NoticeParams),
    responses((status = 200, description = "The notice as .docx or UTF-8 text, with `Content-Disposition: attachment` and its name",
            content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = FileBytes),
        (status = 404, description = "No such feedback", body = crate::error::ErrorBody)))]
pub async fn notice(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
    QueryParams(q): QueryParams<NoticeParams>,
) -> Result<Response, ApiError> {
    let query = crate::pages::documents::NoticeQuery::from_parts(q.format, q.kind, q.public);
    Ok(notice_file(&state, &who.actor, &id, query.options()).await?)
}

/// The supervision notice (督办单) of the unit's overdue findings, issued today.
#[utoipa::path(get, path = "/api/v1/feedbacks/{id}/supervision", operation_id = "feedback_supervision", tag = "documents",
    params(("id" = String, Path, description = "The feedback's id")),
    responses((status = 200, description = "The supervision notice as .docx, with `Content-Disposition: attachment` and its name",
            content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = FileBytes),
        (status = 400, description = "Nothing of the unit's is overdue", body = crate::error::ErrorBody),
        (status = 404, description = "No such feedback", body = crate::error::ErrorBody)))]
pub async fn supervision(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
) -> Result<Response, ApiError> {
    Ok(supervision_file(&state, &who.actor, &id).await?)
}
