//! Who is asking, and the ledger's frame: rounds with their deadline policy, and units.
//! Creating and editing are changes like any other, decided by core's setup rules.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use zhenggai_core::{access, Change, CoreError, Round, Unit};
use zhenggai_store::Work;

use super::extract::{JsonBody, PathParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::state::AppState;

/// The caller: their account, role and units.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct MeBody {
    pub id: String,
    pub login: String,
    pub name: String,
    pub role: zhenggai_core::Role,
    pub units: Vec<String>,
}

/// The caller's account.
#[utoipa::path(get, path = "/api/v1/me", tag = "setup",
    responses((status = 200, description = "The caller", body = MeBody)))]
pub async fn me(who: ApiUser) -> Json<MeBody> {
    Json(MeBody {
        id: who.user.id,
        login: who.user.login,
        name: who.user.name,
        role: who.user.role,
        units: who.user.units,
    })
}

/// Rounds the caller may see (a unit's people: the rounds that inspected their units).
#[utoipa::path(get, path = "/api/v1/rounds", tag = "setup",
    responses((status = 200, description = "Rounds in id order", body = Vec<Round>)))]
pub async fn rounds(
    State(state): State<AppState>,
    who: ApiUser,
) -> Result<Json<Vec<Round>>, ApiError> {
    Ok(Json(state.store.rounds(&who.actor).await?))
}

/// The record `id` among those the caller may see, or the refusal for one they cannot.
fn one<T>(
    seen: Vec<T>,
    key: impl Fn(&T) -> &str,
    who: &ApiUser,
    what: &'static str,
    id: &str,
) -> Result<T, ApiError> {
    seen.into_iter()
        .find(|x| key(x) == id)
        .ok_or_else(|| ApiError::from(access::unseen(&who.actor, "查看", what, id)))
}

async fn find_round(state: &AppState, who: &ApiUser, id: &str) -> Result<Round, ApiError> {
    let rounds = state.store.rounds(&who.actor).await?;
    one(rounds, |r| &r.id, who, "巡察轮次", id)
}

/// One round with its deadline policy.
#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "setup",
    params(("id" = String, Path, description = "The round's id")),
    responses((status = 200, description = "The round", body = Round),
        (status = 404, description = "No such round, or not the caller's to see", body = crate::error::ErrorBody)))]
pub async fn round(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
) -> Result<Json<Round>, ApiError> {
    Ok(Json(find_round(&state, &who, &id).await?))
}

/// Applies one change and answers with the id of the record it is about.
async fn apply_one(state: &AppState, who: &ApiUser, change: Change) -> Result<String, ApiError> {
    let applied = state.apply(&who.actor, Work::one(change)).await?;
    Ok(applied
        .into_iter()
        .next()
        .map(|a| a.effect.entity_id)
        .unwrap_or_default())
}

/// The path names the record (read first: another unit's or none is refused before the
/// body is read); a body naming another is refused.
fn same_id(path: &str, body: &mut String) -> Result<(), ApiError> {
    if body.is_empty() {
        *body = path.to_string();
    }
    if body != path {
        return Err(CoreError::invalid("id", "正文中的标识与路径不符").into());
    }
    Ok(())
}

/// A new round (an empty id is given one). The office and administrators set rounds up.
#[utoipa::path(post, path = "/api/v1/rounds", tag = "setup", request_body = Round,
    responses((status = 201, description = "The round as stored", body = Round)))]
pub async fn create_round(
    State(state): State<AppState>,
    who: ApiUser,
    JsonBody(round): JsonBody<Round>,
) -> Result<(StatusCode, Json<Round>), ApiError> {
    let id = apply_one(&state, &who, Change::CreateRound { round }).await?;
    Ok((
        StatusCode::CREATED,
        Json(find_round(&state, &who, &id).await?),
    ))
}

/// A round's settings and deadline policy, replaced as a whole.
#[utoipa::path(put, path = "/api/v1/rounds/{id}", tag = "setup", request_body = Round,
    params(("id" = String, Path, description = "The round's id")),
    responses((status = 200, description = "The round as stored", body = Round),
        (status = 404, description = "No such round", body = crate::error::ErrorBody)))]
pub async fn edit_round(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
    body: Result<JsonBody<Round>, ApiError>,
) -> Result<Json<Round>, ApiError> {
    find_round(&state, &who, &id).await?;
    let JsonBody(mut round) = body?;
    same_id(&id, &mut round.id)?;
    apply_one(&state, &who, Change::EditRound { round }).await?;
    Ok(Json(find_round(&state, &who, &id).await?))
}

/// Units the caller may see.
#[utoipa::path(get, path = "/api/v1/units", tag = "setup",
    responses((status = 200, description = "Units in id order", body = Vec<Unit>)))]
pub async fn units(
    State(state): State<AppState>,
    who: ApiUser,
) -> Result<Json<Vec<Unit>>, ApiError> {
    Ok(Json(state.store.units(&who.actor).await?))
}

async fn find_unit(state: &AppState, who: &ApiUser, id: &str) -> Result<Unit, ApiError> {
    let units = state.store.units(&who.actor).await?;
    one(units, |u| &u.id, who, "单位", id)
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "setup",
    params(("id" = String, Path, description = "The unit's id")),
    responses((status = 200, description = "The unit", body = Unit),
        (status = 404, description = "No such unit", body = crate::error::ErrorBody)))]
pub async fn unit(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
) -> Result<Json<Unit>, ApiError> {
    Ok(Json(find_unit(&state, &who, &id).await?))
}

/// A new unit (an empty id is given one).
#[utoipa::path(post, path = "/api/v1/units", tag = "setup", request_body = Unit,
    responses((status = 201, description = "The unit as stored", body = Unit)))]
pub async fn create_unit(
    State(state): State<AppState>,
    who: ApiUser,
    JsonBody(unit): JsonBody<Unit>,
) -> Result<(StatusCode, Json<Unit>), ApiError> {
    let id = apply_one(&state, &who, Change::CreateUnit { unit }).await?;
    Ok((
        StatusCode::CREATED,
        Json(find_unit(&state, &who, &id).await?),
    ))
}

/// A unit's name.
#[utoipa::path(put, path = "/api/v1/units/{id}", tag = "setup", request_body = Unit,
    params(("id" = String, Path, description = "The unit's id")),
    responses((status = 200, description = "The unit as stored", body = Unit),
        (status = 404, description = "No such unit", body = crate::error::ErrorBody)))]
pub async fn edit_unit(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(id): PathParams<String>,
    body: Result<JsonBody<Unit>, ApiError>,
) -> Result<Json<Unit>, ApiError> {
    find_unit(&state, &who, &id).await?;
    let JsonBody(mut unit) = body?;
    same_id(&id, &mut unit.id)?;
    apply_one(&state, &who, Change::EditUnit { unit }).await?;
    Ok(Json(find_unit(&state, &who, &id).await?))
}
