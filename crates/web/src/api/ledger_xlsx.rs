//! The Excel ledger (整改台账) as a download, for a round or for one feedback's unit.

use axum::extract::State;
use axum::response::Response;

use super::evidence::FileBytes;
use super::extract::PathParams;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::pages::ledger_xlsx::{round_workbook, unit_workbook};
use crate::state::AppState;

/// A round's ledger as an Excel workbook: a summary sheet, then a sheet for each unit the
/// caller may read (one row a measure; overdue and due-soon work coloured as of today).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/ledger.xlsx", operation_id = "round_ledger_xlsx", tag = "ledger",
    params(("id" = String, Path, description = "The round's id or name")),
    responses((status = 200, description = "The workbook, as an attachment",
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = FileBytes),
        (status = 404, description = "No such round", body = crate::error::ErrorBody)))]
pub async fn round(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
) -> Result<Response, ApiError> {
    Ok(round_workbook(&state, &who.actor, &id).await?)
}

/// One unit's ledger in one round (the feedback's) as an Excel workbook of one sheet.
#[utoipa::path(get, path = "/api/v1/feedbacks/{id}/ledger.xlsx", operation_id = "feedback_ledger_xlsx", tag = "ledger",
    params(("id" = String, Path, description = "The feedback's id")),
    responses((status = 200, description = "The workbook, as an attachment",
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = FileBytes),
        (status = 404, description = "No such feedback", body = crate::error::ErrorBody)))]
pub async fn feedback(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
) -> Result<Response, ApiError> {
    Ok(unit_workbook(&state, &who.actor, &id).await?)
}
