//! A unit of work: a list of changes applied in one transaction, one event each, or none
//! of them. Every change is decided by core's rules for the caller; evidence files, whose
//! bytes travel beside their change, go through the upload (`evidence::upload`).

use axum::extract::State;
use axum::Json;
use zhenggai_core::Change;
use zhenggai_store::{Applied, Work};

use super::extract::JsonBody;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::state::AppState;

/// A unit of work.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkBody {
    /// Applied in this order; the first refused change undoes the whole unit.
    pub changes: Vec<Change>,
}

/// What a unit of work did: for each change, its event's sequence number and effect.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AppliedBody {
    pub applied: Vec<Applied>,
}

/// Applies a unit of work: every change or none.
#[utoipa::path(post, path = "/api/v1/changes", operation_id = "apply_changes", tag = "changes", request_body = WorkBody,
    responses((status = 200, description = "Every change applied", body = AppliedBody),
        (status = 404, description = "A change names a record that does not exist", body = crate::error::ErrorBody),
        (status = 409, description = "A change does not fit the record's state", body = crate::error::ErrorBody)))]
pub async fn apply(
    State(state): State<AppState>,
    who: ApiUser,
    JsonBody(body): JsonBody<WorkBody>,
) -> Result<Json<AppliedBody>, ApiError> {
    let applied = state.apply(&who.actor, Work::from(body.changes)).await?;
    Ok(Json(AppliedBody { applied }))
}
