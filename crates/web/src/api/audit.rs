//! The event log (newest first, a page at a time), the roll-ups per round and unit, and the
//! chain's verification.

use axum::extract::State;
use axum::Json;
use zhenggai_core::event::{Anchor, Event};
use zhenggai_core::report::Report;
use zhenggai_core::stats::UnitStats;
use zhenggai_core::{authorize, Access, CoreError, Date};
use zhenggai_store::{EventQuery, Page, VerifyReport};

use super::extract::QueryParams;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::state::AppState;

/// A page holds this many events unless `limit` says otherwise.
const PAGE: u32 = 100;

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventFilters {
    /// Only this round's events.
    round: Option<String>,
    /// Only this unit's events.
    unit: Option<String>,
    /// Only this finding's history (with its feedback's import and plan review).
    finding: Option<String>,
    /// Only what this user (by id) did.
    actor: Option<String>,
    /// From this day on.
    from: Option<Date>,
    /// Up to and including this day.
    to: Option<Date>,
    /// Continue before this sequence number: the `next` of the page before.
    before: Option<i64>,
    /// Events a page (at most 500).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

/// Events the caller may see, newest first. A unit's people see their units' events.
#[utoipa::path(get, path = "/api/v1/events", tag = "audit", params(EventFilters),
    responses((status = 200, description = "A page of events", body = Page<Event>),
        (status = 404, description = "No such finding", body = crate::error::ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    who: ApiUser,
    QueryParams(f): QueryParams<EventFilters>,
) -> Result<Json<Page<Event>>, ApiError> {
    let query = EventQuery {
        round_id: f.round,
        unit_id: f.unit,
        finding_id: f.finding,
        actor_id: f.actor,
        from: f.from,
        to: f.to,
        before: f.before,
        limit: f.limit.unwrap_or(PAGE),
    };
    Ok(Json(state.store.events(&who.actor, &query).await?))
}

/// Per round and unit: findings by status, overdue, warnings under the round's policy,
/// completion rate and outcome totals, as of today.
#[utoipa::path(get, path = "/api/v1/stats", tag = "audit",
    responses((status = 200, description = "Figures per round and unit", body = Vec<UnitStats>)))]
pub async fn stats(
    State(state): State<AppState>,
    who: ApiUser,
) -> Result<Json<Vec<UnitStats>>, ApiError> {
    let today = state.store.clock().today();
    let stats = state.stats(&who.actor, today).await?;
    Ok(Json(Vec::clone(&stats)))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// A round's id; all rounds when left out.
    round: Option<String>,
}

/// The statistics of a round (or of all rounds) over the units the caller may read:
/// findings done, basically done and not done with the completion rate, by unit, by
/// category and by month of closure, the outcomes, and the sentence an office publishes.
#[utoipa::path(get, path = "/api/v1/report", tag = "audit", params(ReportParams),
    responses((status = 200, description = "The statistics", body = Report),
        (status = 404, description = "No such round", body = crate::error::ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    who: ApiUser,
    QueryParams(p): QueryParams<ReportParams>,
) -> Result<Json<Report>, ApiError> {
    let today = state.store.clock().today();
    let round = p.round.as_deref().filter(|r| !r.is_empty());
    let report = state.report(&who.actor, today, round).await?;
    Ok(Json(Report::clone(&report)))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyParams {
    /// An anchor kept elsewhere, `SEQ:HASH`, that the chain must still hold.
    #[param(pattern = "^[0-9]+:[0-9a-fA-F]{64}$")]
    anchor: Option<String>,
}

/// Walks the event chain and compares every stored record and file with it (reads the
/// whole ledger). For the office, supervisors and administrators.
#[utoipa::path(get, path = "/api/v1/verify", tag = "audit", params(VerifyParams),
    responses((status = 200, description = "The report: `broken` is null when everything holds", body = VerifyReport)))]
pub async fn verify(
    State(state): State<AppState>,
    who: ApiUser,
    QueryParams(p): QueryParams<VerifyParams>,
) -> Result<Json<VerifyReport>, ApiError> {
    authorize(&who.actor, Access::Audit)?;
    let anchor = p
        .anchor
        .map(|a| Anchor::parse(&a).map_err(|m| CoreError::invalid("anchor", m)))
        .transpose()?;
    Ok(Json(state.store.verify(anchor.as_ref()).await?))
}
