//! Findings: lists and a unit's ledger (问题清单 / 任务清单 / 责任清单) filtered and paged by
//! the read model, and one finding with everything about it.

use axum::extract::State;
use axum::Json;
use zhenggai_core::{FindingStatus, Warning};
use zhenggai_store::{FindingLine, FindingQuery, FindingView, LedgerLine, Page};

use super::extract::{PathParams, QueryParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::state::AppState;

/// A page holds this many findings unless `limit` says otherwise.
const PAGE: u32 = 50;

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FindingFilters {
    /// Only this round's findings.
    round: Option<String>,
    /// Only this unit's findings.
    unit: Option<String>,
    /// Only this feedback's findings.
    feedback: Option<String>,
    /// Only findings in this status.
    status: Option<FindingStatus>,
    /// Only findings with a measure this person answers for.
    owner: Option<String>,
    /// Only findings whose earliest open due date gives this colour today.
    warning: Option<Warning>,
    /// Only overdue findings.
    #[serde(default)]
    overdue: bool,
    /// Only findings whose last closure request was returned.
    #[serde(default)]
    returned: bool,
    /// Only findings with an extension request waiting for a decision.
    #[serde(default)]
    extension_pending: bool,
    /// Continue after this position: the `next` of the page before.
    after: Option<i64>,
    /// Findings a page (at most 500).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

impl FindingFilters {
    fn query(self) -> FindingQuery {
        let given = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        FindingQuery {
            round_id: given(self.round),
            unit_id: given(self.unit),
            feedback_id: given(self.feedback),
            status: self.status,
            owner: given(self.owner),
            warning: self.warning,
            overdue: self.overdue,
            returned: self.returned,
            extension_pending: self.extension_pending,
            after: self.after,
            limit: self.limit.unwrap_or(PAGE),
        }
    }
}

/// Findings the caller may see, in ledger order, a page at a time.
#[utoipa::path(get, path = "/api/v1/findings", operation_id = "list_findings", tag = "ledger", params(FindingFilters),
    responses((status = 200, description = "A page of findings", body = Page<FindingLine>)))]
pub async fn list(
    State(state): State<AppState>,
    who: ApiUser,
    QueryParams(f): QueryParams<FindingFilters>,
) -> Result<Json<Page<FindingLine>>, ApiError> {
    let store = state.store.as_ref();
    let today = store.clock().today();
    Ok(Json(store.findings(&who.actor, today, &f.query()).await?))
}

/// The ledger: the same page of findings with their measures (owners, departments, leads,
/// due dates) and the category and aspect each hangs under.
#[utoipa::path(get, path = "/api/v1/ledger", tag = "ledger", params(FindingFilters),
    responses((status = 200, description = "A page of the ledger", body = Page<LedgerLine>)))]
pub async fn ledger(
    State(state): State<AppState>,
    who: ApiUser,
    QueryParams(f): QueryParams<FindingFilters>,
) -> Result<Json<Page<LedgerLine>>, ApiError> {
    let store = state.store.as_ref();
    let today = store.clock().today();
    Ok(Json(store.ledger(&who.actor, today, &f.query()).await?))
}

/// One finding: measures, progress, evidence, outcomes, transitions, and where it hangs.
#[utoipa::path(get, path = "/api/v1/findings/{id}", operation_id = "finding", tag = "ledger",
    params(("id" = String, Path, description = "The finding's id")),
    responses((status = 200, description = "The finding", body = FindingView),
        (status = 404, description = "No such finding", body = crate::error::ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
) -> Result<Json<FindingView>, ApiError> {
    Ok(Json(state.store.finding(&who.actor, &id).await?))
}
