//! The Excel ledger as a download: a round's workbook from the round page, a unit's sheet
//! from its ledger page. Each has what its reader may see: a unit's people get their own
//! unit's sheet only, as the store reads for them.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use zhenggai_app::ledger_xlsx;
use zhenggai_core::Actor;

use super::evidence::disposition;
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn attachment(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(XLSX)),
            (header::CONTENT_DISPOSITION, disposition(name)),
        ],
        bytes,
    )
        .into_response()
}

/// The workbook of round `id`: a summary and a sheet for each unit the actor may read.
pub async fn round_workbook(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<Response, WebError> {
    let store = state.store.as_ref();
    let round = ledger_xlsx::find_round(store, actor, id).await?;
    let today = store.clock().today();
    let bytes = ledger_xlsx::export(store, actor, &round.id, None, today).await?;
    Ok(attachment(&format!("{}整改台账.xlsx", round.name), bytes))
}

/// The sheet of feedback `id`: its unit's ledger in its round.
pub async fn unit_workbook(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<Response, WebError> {
    let store = state.store.as_ref();
    let head = store.feedback_head(actor, id).await?;
    let today = store.clock().today();
    let bytes =
        ledger_xlsx::export(store, actor, &head.round.id, Some(&head.unit.id), today).await?;
    Ok(attachment(
        &format!("{}整改台账（{}）.xlsx", head.unit.name, head.round.name),
        bytes,
    ))
}

pub async fn round(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(round_workbook(&state, &me.actor, &id).await?)
}

pub async fn unit(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(unit_workbook(&state, &me.actor, &id).await?)
}
