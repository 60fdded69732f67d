//! Evidence files (佐证材料): uploaded as `multipart/form-data`, refused over the size limit
//! before anything is stored; downloaded as attachments under their original name.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;

use super::changes::AppliedBody;
use super::extract::{Form, PathParams};
use crate::auth::ApiUser;
use crate::error::{ApiError, WebError};
use crate::pages::evidence::{attach, fetch, read_upload};
use crate::state::AppState;

/// An upload: the file (its name and media type are kept) and what it shows.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Documents the form that `read_upload` reads field by field.
pub struct EvidenceForm {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// What the file shows, e.g. 整改专题会议纪要.
    description: Option<String>,
}

/// A file's bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // Documents the body of a download.
pub struct FileBytes(Vec<u8>);

/// Attaches an evidence file to a finding.
#[utoipa::path(post, path = "/api/v1/findings/{id}/evidence", operation_id = "upload_evidence", tag = "evidence",
    params(("id" = String, Path, description = "The finding's id")),
    request_body(content = EvidenceForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "Attached; `created` is the evidence id", body = AppliedBody),
        (status = 404, description = "No such finding", body = crate::error::ErrorBody),
        (status = 409, description = "The finding's work record is frozen", body = crate::error::ErrorBody),
        (status = 413, description = "The file is over the limit; nothing was stored", body = crate::error::ErrorBody),
        (status = 415, description = "Not a multipart form", body = crate::error::ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
    form: Result<Form, ApiError>,
) -> Result<(StatusCode, Json<AppliedBody>), ApiError> {
    // Not the caller's finding, or none: refused before the body is read.
    state.store.finding(&who.actor, &id).await?;
    let Form(form) = form?;
    let up = read_upload(form, state.settings.max_upload).await?;
    if up.name.is_empty() {
        return Err(WebError::BadRequest("缺少文件：表单字段 file".into()).into());
    }
    let applied = state.apply(&who.actor, attach(&id, up)).await?;
    Ok((StatusCode::CREATED, Json(AppliedBody { applied })))
}

/// An evidence file of a finding, as an attachment.
#[utoipa::path(get, path = "/api/v1/findings/{id}/evidence/{evidence}", operation_id = "download_evidence", tag = "evidence",
    params(("id" = String, Path, description = "The finding's id"),
        ("evidence" = String, Path, description = "The evidence file's id")),
    responses((status = 200, description = "The file in its own media type, with `Content-Disposition: attachment` and its name (RFC 6266, `filename*` per RFC 5987)",
            content_type = "*/*", body = FileBytes),
        (status = 404, description = "No such file", body = crate::error::ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams((id, evidence)): PathParams<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(fetch(&state, &who.actor, &id, &evidence).await?)
}
