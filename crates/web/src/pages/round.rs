//! Rounds: the list, and one round's units with status counts, completion and warnings,
//! with its settings and deadline policy for those who set rounds up.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use zhenggai_core::*;
use zhenggai_store::Work;

use super::stats::StatsView;
use super::{render, PageQuery};
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::view::{self, Flash, Me};

pub struct RoundLine {
    pub id: String,
    pub name: String,
    pub team: String,
    pub feedback: String,
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    me: Option<Me>,
    flash: Option<Flash>,
    rounds: Vec<RoundLine>,
}

pub async fn list(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, PageError> {
    let rounds = state
        .store
        .rounds(&me.actor)
        .await?
        .into_iter()
        .map(|r| RoundLine {
            feedback: r.feedback_date.zh(),
            id: r.id,
            name: r.name,
            team: r.team,
        })
        .collect();
    render(&RoundsPage {
        me: Some(Me::of(&me)),
        flash: None,
        rounds,
    })
}

pub struct UnitLine {
    pub unit_id: String,
    /// The unit's feedback in this round, for the document downloads.
    pub feedback_id: String,
    pub unit: String,
    pub findings: i64,
    pub statuses: String,
    pub overdue: i64,
    pub completion: String,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub money: String,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    me: Option<Me>,
    flash: Option<Flash>,
    round: Round,
    units: Vec<UnitLine>,
    totals: (i64, i64, String),
    may_edit: bool,
    csrf: String,
    level_tour: bool,
    kinds: Vec<(&'static str, &'static str, bool)>,
    stats: StatsView,
}

pub async fn page(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, PageError> {
    show(&state, &me, &id, Flash::from_code(q.ok.as_deref())).await
}

async fn show(
    state: &AppState,
    me: &SignedIn,
    id: &str,
    flash: Option<Flash>,
) -> Result<Html<String>, PageError> {
    let store = state.store.as_ref();
    let round = store
        .rounds(&me.actor)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| WebError::from(access::unseen(&me.actor, "查看", "巡察轮次", id)))?;
    let today = store.clock().today();
    let feedbacks = store.feedbacks(&me.actor).await?;
    let feedback_of = |unit: &str| {
        feedbacks
            .iter()
            .find(|f| f.round_id == id && f.unit_id == unit)
            .map(|f| f.id.clone())
            .unwrap_or_default()
    };
    let report = state.report(&me.actor, today, Some(id)).await?;
    let units = report
        .units
        .iter()
        .map(|s| {
            let statuses: Vec<String> = FindingStatus::ALL
                .iter()
                .filter_map(|st| s.by_status.get(st).map(|n| format!("{}{n}", st.zh())))
                .collect();
            UnitLine {
                feedback_id: feedback_of(&s.unit_id),
                unit_id: s.unit_id.clone(),
                unit: s.unit.clone(),
                findings: s.findings,
                statuses: statuses.join("、"),
                overdue: s.overdue,
                completion: view::percent(s.completion_rate),
                red: s.warnings.red,
                yellow: s.warnings.yellow,
                green: s.warnings.green,
                money: view::yuan(s.outcomes.money_fen.values().sum()),
            }
        })
        .collect();
    let edit = Change::EditRound {
        round: round.clone(),
    };
    let kinds = [
        RoundKind::Routine,
        RoundKind::Special,
        RoundKind::Cross,
        RoundKind::Elevated,
        RoundKind::FollowUp,
    ]
    .iter()
    .map(|k| (kind_value(*k), k.zh(), *k == round.kind))
    .collect();
    let page = RoundPage {
        me: Some(Me::of(me)),
        flash,
        may_edit: authorize(&me.actor, Access::Change(&edit, None)).is_ok(),
        csrf: me.csrf.clone(),
        level_tour: round.level == RoundLevel::Tour,
        kinds,
        // The report's rate, which leaves transferred findings out like each unit's.
        totals: (
            report.totals.findings,
            report.totals.done,
            if report.totals.findings > 0 {
                view::percent(report.totals.completion_rate)
            } else {
                "—".into()
            },
        ),
        round,
        units,
        stats: StatsView::of(&report),
    };
    render(&page)
}

fn kind_value(k: RoundKind) -> &'static str {
    match k {
        RoundKind::Routine => "routine",
        RoundKind::Special => "special",
        RoundKind::Cross => "cross",
        RoundKind::Elevated => "elevated",
        RoundKind::FollowUp => "follow_up",
    }
}

#[derive(serde::Deserialize)]
pub struct SettingsForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    inspection_start: String,
    #[serde(default)]
    inspection_end: String,
    #[serde(default)]
    feedback_date: String,
    #[serde(default)]
    plan_due_days: String,
    #[serde(default)]
    report_due_days: String,
    #[serde(default)]
    concentrated_days: String,
    #[serde(default)]
    green_days: String,
    #[serde(default)]
    yellow_days: String,
}

fn days(field: &str, s: &str) -> Result<u32, WebError> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| *d <= 3650)
        .ok_or_else(|| WebError::from(CoreError::invalid(field, "须为 0 至 3650 的天数")))
}

fn day(field: &str, s: &str) -> Result<Date, WebError> {
    Date::parse(s.trim()).map_err(|m| WebError::from(CoreError::invalid(field, m)))
}

fn edited(id: &str, f: &SettingsForm) -> Result<Round, WebError> {
    let kind = [
        RoundKind::Routine,
        RoundKind::Special,
        RoundKind::Cross,
        RoundKind::Elevated,
        RoundKind::FollowUp,
    ]
    .into_iter()
    .find(|k| kind_value(*k) == f.kind)
    .unwrap_or(RoundKind::Routine);
    Ok(Round {
        id: id.to_string(),
        name: f.name.trim().to_string(),
        level: if f.level == "tour" {
            RoundLevel::Tour
        } else {
            RoundLevel::Inspection
        },
        kind,
        team: f.team.trim().to_string(),
        inspection_start: day("inspection_start", &f.inspection_start)?,
        inspection_end: day("inspection_end", &f.inspection_end)?,
        feedback_date: day("feedback_date", &f.feedback_date)?,
        policy: DeadlinePolicy {
            plan_due_days: days("plan_due_days", &f.plan_due_days)?,
            report_due_days: days("report_due_days", &f.report_due_days)?,
            concentrated_days: days("concentrated_days", &f.concentrated_days)?,
            green_days: days("green_days", &f.green_days)?,
            yellow_days: days("yellow_days", &f.yellow_days)?,
        },
    })
}

pub async fn settings(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, PageError> {
    me.check_csrf(&form.csrf)?;
    let result = match edited(&id, &form) {
        Ok(round) => state
            .apply(&me.actor, Work::one(Change::EditRound { round }))
            .await
            .map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/rounds/{id}?ok=applied")).into_response()),
        Err(e)
            if matches!(e.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
                || e.status().is_server_error() =>
        {
            Err(PageError(e))
        }
        Err(e) => {
            let status = e.status();
            Ok((
                status,
                show(&state, &me, &id, Flash::bad(e.public_message())).await?,
            )
                .into_response())
        }
    }
}
