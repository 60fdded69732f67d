//! Downloads of the documents written from a unit's ledger: its notice (.docx or .txt,
//! progress or final, internal or public) and its supervision notice. Who may read the
//! feedback may download them; the store decides, reading it as the visitor.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use zhenggai_app::notice_export::{self, NoticeFormat, NoticeOptions, Written};
use zhenggai_app::supervision::{self, SupervisionOptions};
use zhenggai_notice::compose::NoticeKind;

use super::evidence::disposition;
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;

/// What the notice link asks for; anything unrecognised means the default.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoticeQuery {
    /// docx (default) or txt.
    format: Option<String>,
    /// progress (default) or final.
    kind: Option<String>,
    /// 1 for the public version.
    public: Option<String>,
}

impl NoticeQuery {
    pub fn from_parts(
        format: Option<String>,
        kind: Option<String>,
        public: Option<String>,
    ) -> NoticeQuery {
        NoticeQuery {
            format,
            kind,
            public,
        }
    }

    pub fn options(&self) -> NoticeOptions {
        NoticeOptions {
            kind: match self.kind.as_deref() {
                Some("final") => NoticeKind::Final,
                _ => NoticeKind::Progress,
            },
            public: matches!(self.public.as_deref(), Some("1" | "true")),
            format: match self.format.as_deref() {
                Some("txt") => NoticeFormat::Txt,
                _ => NoticeFormat::Docx,
            },
        }
    }
}

pub fn attachment(w: Written, media_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (header::CONTENT_DISPOSITION, disposition(&w.file_name)),
        ],
        w.bytes,
    )
        .into_response()
}

pub async fn notice_file(
    state: &AppState,
    actor: &zhenggai_core::Actor,
    feedback_id: &str,
    options: NoticeOptions,
) -> Result<Response, WebError> {
    let store = state.store.as_ref();
    let (round, unit, fb) = notice_export::feedback_context(store, actor, feedback_id).await?;
    let w = notice_export::write(&round, &unit, &fb, options, store.clock().today())?;
    Ok(attachment(w, options.format.media_type()))
}

pub async fn supervision_file(
    state: &AppState,
    actor: &zhenggai_core::Actor,
    feedback_id: &str,
) -> Result<Response, WebError> {
    let w = supervision::for_feedback(
        state.store.as_ref(),
        actor,
        feedback_id,
        &SupervisionOptions::default(),
    )
    .await?
    .ok_or_else(|| WebError::BadRequest("该单位没有逾期（红色预警）的问题，无需督办".into()))?;
    Ok(attachment(w, NoticeFormat::Docx.media_type()))
}

pub async fn notice(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    Ok(notice_file(&state, &me.actor, &id, q.options()).await?)
}

pub async fn supervision(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(supervision_file(&state, &me.actor, &id).await?)
}
