//! Feedbacks: what a round handed a unit, as a listing, as the whole tree (categories,
//! aspects, findings with their measures) and as the heading of a ledger page.

use axum::extract::State;
use axum::Json;
use zhenggai_core::Feedback;
use zhenggai_store::{FeedbackHead, FeedbackRef};

use super::extract::{PathParams, QueryParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedbackFilters {
    /// Only this round's feedbacks.
    round: Option<String>,
    /// Only this unit's feedbacks.
    unit: Option<String>,
}

/// The feedbacks the caller may see, in id order.
#[utoipa::path(get, path = "/api/v1/feedbacks", operation_id = "list_feedbacks", tag = "ledger", params(FeedbackFilters),
    responses((status = 200, description = "Feedbacks", body = Vec<FeedbackRef>)))]
pub async fn list(
    State(state): State<AppState>,
    who: ApiUser,
    QueryParams(f): QueryParams<FeedbackFilters>,
) -> Result<Json<Vec<FeedbackRef>>, ApiError> {
    let all = state.store.feedbacks(&who.actor).await?;
    let wanted = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
    Ok(Json(
        all.into_iter()
            .filter(|r| wanted(&f.round, &r.round_id) && wanted(&f.unit, &r.unit_id))
            .collect(),
    ))
}

/// One feedback with its whole tree and its plan's review.
#[utoipa::path(get, path = "/api/v1/feedbacks/{id}", operation_id = "feedback", tag = "ledger",
    params(("id" = String, Path, description = "The feedback's id")),
    responses((status = 200, description = "The feedback", body = Feedback),
        (status = 404, description = "No such feedback", body = crate::error::ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
) -> Result<Json<Feedback>, ApiError> {
    Ok(Json(state.store.feedback(&who.actor, &id).await?))
}

/// A feedback without its tree: its round, unit, date and plan.
#[utoipa::path(get, path = "/api/v1/feedbacks/{id}/head", operation_id = "feedback_head", tag = "ledger",
    params(("id" = String, Path, description = "The feedback's id")),
    responses((status = 200, description = "The feedback's heading", body = FeedbackHead),
        (status = 404, description = "No such feedback", body = crate::error::ErrorBody)))]
pub async fn head(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
) -> Result<Json<FeedbackHead>, ApiError> {
    Ok(Json(state.store.feedback_head(&who.actor, &id).await?))
}
