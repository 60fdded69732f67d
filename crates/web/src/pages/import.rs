//! 导入: upload a notice (.txt / .docx / .html), a ledger document (.json) or a unit's
//! Excel ledger (.xlsx, with its round and unit chosen), see what it
//! would bring in and its warnings, then confirm or cancel. Nothing is stored before the
//! confirmation; the upload waits in memory for a while, for the person who made it only.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use zhenggai_app::{ledger_json, ledger_xlsx, notice_import, notice_read};
use zhenggai_core::*;

use super::evidence::{read_upload, Upload};
use super::{render, CsrfOnly};
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::view::{Flash, Me};

/// How long an upload waits for its confirmation, and how many may wait at once.
const KEEP: Duration = Duration::from_secs(30 * 60);
const MAX_PENDING: usize = 20;

pub struct Waiting {
    user_id: String,
    name: String,
    bytes: Vec<u8>,
    round: String,
    unit: String,
    since: Instant,
}

#[derive(Default)]
pub struct Pending {
    uploads: Mutex<HashMap<String, Waiting>>,
}

impl Pending {
    fn put(&self, token: String, w: Waiting) {
        let mut map = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, w| w.since.elapsed() < KEEP);
        if map.len() >= MAX_PENDING {
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, w)| w.since)
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        map.insert(token, w);
    }

    /// The upload `token` names, if `user_id` made it and it has not expired; it waits no
    /// longer.
    pub fn take(&self, token: &str, user_id: &str) -> Option<Waiting> {
        let mut map = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        let mine = map
            .get(token)
            .is_some_and(|w| w.user_id == user_id && w.since.elapsed() < KEEP);
        if mine {
            map.remove(token)
        } else {
            None
        }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    me: Option<Me>,
    flash: Option<Flash>,
    csrf: String,
    preview: Option<Preview>,
}

pub struct Preview {
    pub token: String,
    pub name: String,
    pub summary: String,
    pub warnings: Vec<String>,
    pub ready: bool,
}

pub async fn form(State(_state): State<AppState>, me: SignedIn) -> Result<Html<String>, PageError> {
    authorize(&me.actor, Access::Import)?;
    render(&ImportPage {
        me: Some(Me::of(&me)),
        flash: None,
        csrf: me.csrf.clone(),
        preview: None,
    })
}

fn is_ledger(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json")
}

/// What the upload would bring in, without writing: a dry run of the import.
async fn preview(
    state: &AppState,
    actor: &Actor,
    w: &Waiting,
) -> Result<(String, Vec<String>, bool), WebError> {
    if ledger_xlsx::is_workbook(&w.name) {
        return Ok(preview_workbook(state, actor, w).await);
    }
    if is_ledger(&w.name) {
        // The whole import, rolled back: every record checked, nothing kept.
        let mut tx = state.store.begin_import(actor).await?;
        let checked = ledger_json::import_into(tx.as_mut(), &w.name, w.bytes.clone()).await;
        drop(tx);
        return Ok(match checked {
            Ok(()) => (
                format!("账本文档 {}：格式和内容检查通过，可以导入。", w.name),
                vec![],
                true,
            ),
            Err(e) => (
                format!("账本文档 {} 不能导入。", w.name),
                vec![e.to_string()],
                false,
            ),
        });
    }
    let reading = notice_read::read(&w.bytes, &w.name, true)?;
    let mut warnings: Vec<String> = reading
        .notice
        .warnings
        .iter()
        .map(|x| match x.line {
            Some(l) => format!("第 {l} 行：{}", x.message),
            None => x.message.clone(),
        })
        .collect();
    if w.round.trim().is_empty() {
        warnings.push("请填写巡察轮次名称".into());
        return Ok((format!("通报 {}", w.name), warnings, false));
    }
    let dry = import_notice(state, actor, w, &reading, true).await;
    let damaged = !reading.damage.is_empty();
    if damaged {
        warnings.insert(0, "文件中有无法解码的字节，可能已损坏，不能导入".into());
    }
    Ok(match dry {
        Ok(tree) => (tree, warnings, !damaged),
        Err(e) => (
            format!("通报 {} 不能导入。", w.name),
            [vec![e.to_string()], warnings].concat(),
            false,
        ),
    })
}

/// An Excel ledger for the round and unit the upload names: read, turned into a feedback
/// and checked through the rules in a transaction that is rolled back.
async fn preview_workbook(
    state: &AppState,
    actor: &Actor,
    w: &Waiting,
) -> (String, Vec<String>, bool) {
    let title = format!("Excel 台账 {}", w.name);
    if w.round.trim().is_empty() || w.unit.trim().is_empty() {
        return (
            title,
            vec!["导入 Excel 台账须填写巡察轮次和单位（名称或标识）".into()],
            false,
        );
    }
    match prepare_workbook(state, actor, w).await {
        Ok(p) => (ledger_xlsx::describe(&p), p.warnings, true),
        Err(e) => (format!("{title} 不能导入。"), vec![e.to_string()], false),
    }
}

async fn prepare_workbook(
    state: &AppState,
    actor: &Actor,
    w: &Waiting,
) -> Result<ledger_xlsx::Prepared, zhenggai_app::AppError> {
    let store = state.store.as_ref();
    let today = store.clock().today();
    ledger_xlsx::prepare(store, actor, &w.name, &w.bytes, &w.round, &w.unit, today).await
}

/// Checks an upload (its fields `round` and `unit` name where a notice goes) and, when it
/// can be imported, keeps it for its maker's confirmation under the preview's token.
pub async fn stage(state: &AppState, actor: &Actor, up: Upload) -> Result<Preview, WebError> {
    authorize(actor, Access::Import)?;
    let field = |k: &str| up.fields.get(k).cloned().unwrap_or_default();
    let (round, unit) = (field("round"), field("unit"));
    let waiting = Waiting {
        user_id: actor.user_id.clone(),
        name: up.name,
        bytes: up.bytes,
        round,
        unit,
        since: Instant::now(),
    };
    let (summary, warnings, ready) = preview(state, actor, &waiting).await?;
    let token = zhenggai_app::accounts::secret();
    let staged = Preview {
        token: token.clone(),
        name: waiting.name.clone(),
        summary,
        warnings,
        ready,
    };
    if ready {
        state.pending.put(token, waiting);
    }
    Ok(staged)
}

/// What a confirmed import brought in.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Imported {
    /// A ledger document: the records it added and those already present.
    Ledger {
        summary: zhenggai_store::ImportSummary,
    },
    /// A notice: the round, unit and feedback it became, in words.
    Notice { description: String },
    /// A unit's Excel ledger: the feedback it became.
    Workbook {
        summary: zhenggai_store::ImportSummary,
    },
}

/// Imports the upload `stage` kept under `token`, for the person who made it.
pub async fn commit(state: &AppState, actor: &Actor, token: &str) -> Result<Imported, WebError> {
    authorize(actor, Access::Import)?;
    let w = state
        .pending
        .take(token, &actor.user_id)
        .ok_or_else(|| WebError::BadRequest("这次上传已过期或已处理，请重新上传".into()))?;
    if ledger_xlsx::is_workbook(&w.name) {
        // Read again: the ledger may have changed since the preview.
        let prepared = prepare_workbook(state, actor, &w).await?;
        let summary = ledger_xlsx::import(state.store.as_ref(), actor, &w.name, &prepared).await?;
        state.changed();
        return Ok(Imported::Workbook { summary });
    }
    if is_ledger(&w.name) {
        let summary = ledger_json::import(state.store.as_ref(), actor, &w.name, w.bytes).await?;
        state.changed();
        return Ok(Imported::Ledger { summary });
    }
    let reading = notice_read::read(&w.bytes, &w.name, true)?;
    let description = import_notice(state, actor, &w, &reading, false).await?;
    state.changed();
    Ok(Imported::Notice { description })
}

/// A notice into the round and unit the upload names (or the notice names), or a dry run
/// of it that writes nothing.
async fn import_notice(
    state: &AppState,
    actor: &Actor,
    w: &Waiting,
    reading: &zhenggai_notice::Reading,
    dry_run: bool,
) -> Result<String, zhenggai_app::AppError> {
    let unit = Some(w.unit.trim()).filter(|u| !u.is_empty());
    notice_import::run(
        Some(state.store.as_ref()),
        actor,
        &reading.notice,
        &reading.text_sha256,
        w.round.trim(),
        unit,
        dry_run,
    )
    .await
}

pub async fn upload(
    State(state): State<AppState>,
    me: SignedIn,
    form: Multipart,
) -> Result<Response, PageError> {
    authorize(&me.actor, Access::Import)?;
    let up = read_upload(form, state.settings.max_upload).await?;
    me.check_csrf(&up.csrf)?;
    let staged = stage(&state, &me.actor, up).await?;
    let ready = staged.ready;
    let page = ImportPage {
        me: Some(Me::of(&me)),
        flash: None,
        csrf: me.csrf.clone(),
        preview: Some(staged),
    };
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn confirm(
    State(state): State<AppState>,
    me: SignedIn,
    Path(token): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    me.check_csrf(&form.csrf)?;
    commit(&state, &me.actor, &token).await?;
    Ok(Redirect::to("/?ok=imported").into_response())
}

pub async fn cancel(
    State(state): State<AppState>,
    me: SignedIn,
    Path(token): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    me.check_csrf(&form.csrf)?;
    authorize(&me.actor, Access::Import)?;
    state.pending.take(&token, &me.actor.user_id);
    Ok(Redirect::to("/?ok=cancelled").into_response())
}
