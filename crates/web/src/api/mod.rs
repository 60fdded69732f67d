//! The JSON API under `/api/v1`: the same store, the same access function, errors as
//! `{"error": code, "message": text}` with each code's HTTP status.

use axum::extract::{Path, State};
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};

use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::routes::{RouteSpec, Who};
use crate::state::AppState;

fn api(
    method: &'static str,
    path: &'static str,
    who: Who,
    handler: MethodRouter<AppState>,
) -> (RouteSpec, MethodRouter<AppState>) {
    (
        RouteSpec {
            method,
            path,
            who,
            api: true,
        },
        handler,
    )
}

pub fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    vec![
        api("GET", "/api/v1/me", Who::SignedIn, get(me)),
        api(
            "GET",
            "/api/v1/findings/{id}",
            Who::UnitRecord,
            get(finding),
        ),
    ]
}

/// The OpenAPI document and its browser.
pub fn docs() -> Router<AppState> {
    Router::new()
}

#[derive(serde::Serialize)]
pub struct MeBody {
    pub id: String,
    pub login: String,
    pub name: String,
    pub role: zhenggai_core::Role,
    pub units: Vec<String>,
}

async fn me(State(_state): State<AppState>, who: ApiUser) -> Result<Json<MeBody>, ApiError> {
    Ok(Json(MeBody {
        id: who.user.id,
        login: who.user.login,
        name: who.user.name,
        role: who.user.role,
        units: who.user.units,
    }))
}

async fn finding(
    State(state): State<AppState>,
    who: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<zhenggai_store::FindingView>, ApiError> {
    Ok(Json(state.store.finding(&who.actor, &id).await?))
}
