//! A unit's ledger for one round (问题清单 / 任务清单 / 责任清单): category → aspect →
//! finding → measures with their owners, departments, leads, due dates, statuses and
//! warning colours; filtered and paged by the read model; the plan's review beside it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use zhenggai_core::*;
use zhenggai_store::{FeedbackHead, FindingQuery, LedgerLine, Work};

use super::render;
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::view::{self, Flash, Me};

#[derive(Debug, Default, serde::Deserialize)]
pub struct Filters {
    #[serde(default)]
    status: String,
    #[serde(default)]
    colour: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    overdue: String,
    after: Option<i64>,
    ok: Option<String>,
}

pub struct MeasureRow {
    pub text: String,
    pub kind: &'static str,
    pub lead: String,
    pub department: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
}

pub struct FindingRow {
    pub id: String,
    pub number: usize,
    pub category: String,
    pub aspect: String,
    pub title: String,
    pub status: &'static str,
    pub warn_class: &'static str,
    pub warn: &'static str,
    pub measures: Vec<MeasureRow>,
    pub span: usize,
}

pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    me: Option<Me>,
    flash: Option<Flash>,
    head: FeedbackHead,
    plan: &'static str,
    may_submit: bool,
    may_review: bool,
    rows: Vec<FindingRow>,
    statuses: Vec<Choice>,
    colours: Vec<Choice>,
    owner: String,
    overdue: bool,
    next: Option<String>,
    history: Vec<String>,
}

fn choices<T: Copy + PartialEq>(
    all: &[(T, &'static str, &'static str)],
    chosen: Option<T>,
) -> Vec<Choice> {
    all.iter()
        .map(|(v, value, label)| Choice {
            value,
            label,
            selected: chosen == Some(*v),
        })
        .collect()
}

fn rows(lines: Vec<LedgerLine>, policy: &DeadlinePolicy, today: Date) -> Vec<FindingRow> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let (warn_class, warn) = view::warning(policy, l.line.live_due, today);
            let measures: Vec<MeasureRow> = l
                .measures
                .iter()
                .map(|m| MeasureRow {
                    text: m.text.clone(),
                    kind: m.kind.zh(),
                    lead: m.lead.clone(),
                    department: m.department.clone(),
                    owner: m.owner.clone(),
                    due: view::opt_date(m.effective_due()),
                    status: m.status.zh(),
                })
                .collect();
            FindingRow {
                id: l.line.id.clone(),
                number: i + 1,
                category: l.category,
                aspect: l.aspect,
                title: l.line.title,
                status: l.line.status.zh(),
                warn_class,
                warn,
                span: measures.len().max(1),
                measures,
            }
        })
        .collect()
}

/// A unit's page: its ledger in the latest round, or the list of its rounds.
pub async fn unit(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let feedbacks: Vec<_> = state
        .store
        .feedbacks(&me.actor)
        .await?
        .into_iter()
        .filter(|f| f.unit_id == id && q.get("round").is_none_or(|r| *r == f.round_id))
        .collect();
    match feedbacks.last() {
        Some(f) => Ok(Redirect::to(&format!("/feedbacks/{}", f.id)).into_response()),
        None => Err(PageError(WebError::from(zhenggai_core::access::unseen(
            &me.actor, "查看", "单位", &id,
        )))),
    }
}

pub async fn ledger(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(f): Query<Filters>,
) -> Result<Html<String>, PageError> {
    let flash = Flash::from_code(f.ok.as_deref());
    show(&state, &me, &id, f, flash).await
}

async fn show(
    state: &AppState,
    me: &SignedIn,
    id: &str,
    f: Filters,
    flash: Option<Flash>,
) -> Result<Html<String>, PageError> {
    let store = state.store.as_ref();
    let head = store.feedback_head(&me.actor, id).await?;
    let today = store.clock().today();
    let status = FindingStatus::parse(&f.status);
    let colour = match f.colour.as_str() {
        "red" => Some(Warning::Red),
        "yellow" => Some(Warning::Yellow),
        "green" => Some(Warning::Green),
        _ => None,
    };
    let query = FindingQuery {
        feedback_id: Some(id.to_string()),
        status,
        warning: colour,
        owner: Some(f.owner.trim().to_string()).filter(|o| !o.is_empty()),
        overdue: f.overdue == "1",
        after: f.after,
        limit: 50,
        ..Default::default()
    };
    let page = store.ledger(&me.actor, today, &query).await?;
    let mut filters = format!(
        "status={}&colour={}&owner={}&overdue={}",
        f.status,
        f.colour,
        percent_encoding::utf8_percent_encode(&f.owner, percent_encoding::NON_ALPHANUMERIC),
        f.overdue
    );
    let next = page.next.map(|n| {
        filters.push_str(&format!("&after={n}"));
        filters.clone()
    });
    let statuses: Vec<(FindingStatus, &'static str, &'static str)> = FindingStatus::ALL
        .iter()
        .map(|s| (*s, s.as_str(), s.zh()))
        .collect();
    let colours = [
        (Warning::Red, "red", "红色（逾期）"),
        (Warning::Yellow, "yellow", "黄色"),
        (Warning::Green, "green", "绿色"),
    ];
    let history = head
        .plan
        .history
        .iter()
        .map(|s| {
            let reason = if s.reason.is_empty() {
                String::new()
            } else {
                format!("：{}", s.reason)
            };
            format!(
                "{} {}（{}）{}{}",
                view::date(s.date),
                s.actor,
                s.role.zh(),
                s.action.zh(),
                reason
            )
        })
        .collect();
    let unit = head.unit.id.clone();
    let submit = Change::SubmitPlan {
        feedback_id: id.to_string(),
        reason: String::new(),
    };
    let review = Change::ApprovePlan {
        feedback_id: id.to_string(),
        reason: String::new(),
    };
    let may = |c: &Change| authorize(&me.actor, Access::Change(c, Some(&unit))).is_ok();
    let page = LedgerPage {
        me: Some(Me::of(me)),
        flash,
        plan: head.plan.status.zh(),
        may_submit: may(&submit) && head.plan.status.is_open(),
        may_review: may(&review) && head.plan.status == PlanStatus::Submitted,
        rows: rows(page.items, &head.round.policy, today),
        statuses: choices(&statuses, status),
        colours: choices(&colours, colour),
        owner: f.owner,
        overdue: f.overdue == "1",
        next,
        history,
        head,
    };
    render(&page)
}

#[derive(serde::Deserialize)]
pub struct PlanForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

/// The plan's review: the unit's lead submits, the office approves or returns.
pub async fn plan(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<PlanForm>,
) -> Result<Response, PageError> {
    me.check_csrf(&form.csrf)?;
    let feedback_id = id.clone();
    let change = match form.action.as_str() {
        "submit" => Change::SubmitPlan {
            feedback_id,
            reason: form.reason,
        },
        "approve" => Change::ApprovePlan {
            feedback_id,
            reason: form.reason,
        },
        "return" => Change::ReturnPlan {
            feedback_id,
            reason: form.reason,
        },
        _ => {
            // The record's gate before the form's words: someone who may not see the
            // feedback gets the refusal any request about it gets.
            state.store.feedback_head(&me.actor, &id).await?;
            return Err(PageError(WebError::BadRequest("未知的操作".into())));
        }
    };
    match state.apply(&me.actor, Work::one(change)).await {
        Ok(_) => Ok(Redirect::to(&format!("/feedbacks/{id}?ok=applied")).into_response()),
        Err(e) => {
            let e = WebError::from(e);
            let status = e.status();
            if status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND {
                return Err(PageError(e));
            }
            let html = show(
                &state,
                &me,
                &id,
                Filters::default(),
                Flash::bad(e.public_message()),
            )
            .await?;
            Ok((status, html).into_response())
        }
    }
}
