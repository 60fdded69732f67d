//! 审计: the event log, filtered by round, unit, person and date, newest first; and the
//! chain's verification on demand (it reads the whole log and every record).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use zhenggai_core::*;
use zhenggai_store::EventQuery;

use super::render;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::view::{Flash, Me};

#[derive(Debug, Default, serde::Deserialize)]
pub struct Filters {
    #[serde(default)]
    round: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    before: Option<i64>,
    #[serde(default)]
    verify: String,
}

pub struct EventLine {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub actor_id: String,
    pub action: String,
    /// The action's code, as the log and its exports name it.
    pub code: String,
    pub entity: String,
    pub finding: Option<String>,
    pub unit: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    me: Option<Me>,
    flash: Option<Flash>,
    f: Filters,
    rounds: Vec<(String, String, bool)>,
    events: Vec<EventLine>,
    next: Option<String>,
    verified: Option<(bool, String)>,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

pub async fn page(
    State(state): State<AppState>,
    me: SignedIn,
    Query(f): Query<Filters>,
) -> Result<Html<String>, PageError> {
    let store = state.store.as_ref();
    authorize(&me.actor, Access::Audit)?;
    let query = EventQuery {
        round_id: opt(&f.round),
        unit_id: opt(&f.unit),
        actor_id: opt(&f.actor),
        from: Date::parse(f.from.trim()).ok(),
        to: Date::parse(f.to.trim()).ok(),
        before: f.before,
        limit: 100,
        ..Default::default()
    };
    let page = store.events(&me.actor, &query).await?;
    let verified = if f.verify == "1" {
        let report = store.verify(None).await?;
        Some(match report.broken {
            None => (
                true,
                format!(
                    "事件链完整：已校验 {} 个事件、{} 条记录、{} 个文件。链头锚点（请另行保存）：{}",
                    report.checked, report.records, report.files, report.head
                ),
            ),
            Some(b) => (false, format!("事件链被破坏：{b}（此前 {} 个事件完好）", report.checked)),
        })
    } else {
        None
    };
    let rounds = store
        .rounds(&me.actor)
        .await?
        .into_iter()
        .map(|r| {
            let selected = r.id == f.round;
            (r.id, r.name, selected)
        })
        .collect();
    let next = page.next.map(|n| {
        let pairs = [
            ("round", f.round.as_str()),
            ("unit", f.unit.as_str()),
            ("actor", f.actor.as_str()),
            ("from", f.from.as_str()),
            ("to", f.to.as_str()),
        ];
        let mut q = serde_urlencoded::to_string(pairs).unwrap_or_default();
        q.push_str(&format!("&before={n}"));
        q
    });
    let events = page
        .items
        .into_iter()
        .map(|e| EventLine {
            seq: e.seq,
            at: e
                .at
                .replace('T', " ")
                .trim_end_matches('Z')
                .chars()
                .take(19)
                .collect(),
            actor: e.actor,
            actor_id: e.actor_id,
            action: crate::view::action_label(&e.action),
            code: e.action,
            entity: format!("{} {}", e.entity, e.entity_id),
            finding: e.finding_id,
            unit: e.unit_id.unwrap_or_default(),
        })
        .collect();
    render(&AuditPage {
        me: Some(Me::of(&me)),
        flash: None,
        f,
        rounds,
        events,
        next,
        verified,
    })
}
