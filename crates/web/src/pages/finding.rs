//! One finding: the problem, its measures, the progress timeline, evidence, outcomes, its
//! history from the event log, and the actions the rules allow this person now. Which
//! actions show is decided by trying each on a copy of the finding with core's own rules.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use zhenggai_core::*;
use zhenggai_store::{EventQuery, FindingView, Work};

use super::finding_form::{change, ActionForm};
use super::{render, PageQuery};
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::view::{self, Flash, Me};

pub struct MeasureView {
    pub id: String,
    pub text: String,
    pub kind: &'static str,
    pub kind_value: &'static str,
    pub lead: String,
    pub department: String,
    pub owner: String,
    pub due: String,
    pub due_value: String,
    pub status: &'static str,
    /// The status's form value, so that the status form starts at the current one.
    pub status_value: &'static str,
    pub long_term_reason: String,
    pub extensions: Vec<String>,
    pub outcomes: Vec<String>,
    /// What this person may do to the measure now.
    pub may_record: bool,
    pub may_extend: bool,
    pub pending_extension: Option<String>,
    pub may_decide: bool,
    pub may_edit: bool,
}

pub struct Entry {
    pub date: String,
    pub who: String,
    pub text: String,
}

pub struct EvidenceView {
    pub id: String,
    pub name: String,
    pub size: String,
    pub added: String,
    pub description: String,
}

pub struct CommandButton {
    pub value: &'static str,
    pub label: &'static str,
    pub needs_reason: bool,
}

#[derive(Template)]
#[template(path = "finding.html")]
struct FindingPage {
    me: Option<Me>,
    flash: Option<Flash>,
    csrf: String,
    view: FindingView,
    status: &'static str,
    plan: &'static str,
    due: String,
    warn_class: &'static str,
    warn: &'static str,
    measures: Vec<MeasureView>,
    progress: Vec<Entry>,
    evidence: Vec<EvidenceView>,
    history: Vec<Entry>,
    commands: Vec<CommandButton>,
    /// Why closure cannot be requested yet, for those who would request it.
    blocked: Option<String>,
    may_add_measure: bool,
    may_upload: bool,
    lead: String,
}

/// Whether `change` would be accepted now: tried on a copy with core's rules.
fn allowed(me: &SignedIn, v: &FindingView, today: Date, change: &Change) -> bool {
    let ctx = FindingContext {
        unit_id: &v.unit.id,
        plan: v.plan,
        today,
        taken: &[],
    };
    v.finding.clone().apply(&me.actor, &ctx, change).is_ok()
}

fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Quantity { value, unit, what } => format!("数量：{value}{unit} {what}"),
        Outcome::Money { kind, fen } => {
            let k = match kind {
                MoneyKind::Refunded => "清退",
                MoneyKind::Recovered => "追回",
                MoneyKind::Saved => "挽回",
            };
            format!("{k}{}", view::yuan(*fen))
        }
        Outcome::Rule { change, title } => {
            let c = match change {
                RuleChange::New => "新建制度",
                RuleChange::Revised => "修订制度",
                RuleChange::Repealed => "废止制度",
            };
            format!("{c}：{title}")
        }
        Outcome::Accountability { form, people } => format!("问责：{form} {people}人"),
        Outcome::Meeting { date, title } => format!("会议：{} {title}", date.zh()),
        Outcome::Document { title } => format!("文件：{title}"),
        Outcome::Mentioned { value, text } => format!("时间：{value} {text}"),
    }
}

fn measure_view(me: &SignedIn, v: &FindingView, today: Date, m: &Measure) -> MeasureView {
    let try_change = |c: Change| allowed(me, v, today, &c);
    let pending = m
        .extensions
        .iter()
        .find(|x| x.decision == ExtensionDecision::Requested)
        .map(|x| x.id.clone());
    MeasureView {
        id: m.id.clone(),
        text: m.text.clone(),
        kind: m.kind.zh(),
        kind_value: m.kind.as_str(),
        lead: m.lead.clone(),
        department: m.department.clone(),
        owner: m.owner.clone(),
        due: view::opt_date(m.effective_due()),
        due_value: m.due.map(|d| d.to_string()).unwrap_or_default(),
        status: m.status.zh(),
        status_value: m.status.as_str(),
        long_term_reason: m.long_term_reason.clone().unwrap_or_default(),
        extensions: m
            .extensions
            .iter()
            .map(|x| {
                let decided = match (&x.decision, &x.decided_by, x.decided_on) {
                    (ExtensionDecision::Approved, Some(by), Some(on)) => {
                        format!("，{by}于{}批准", on.zh())
                    }
                    (ExtensionDecision::Refused, Some(by), Some(on)) => {
                        format!("，{by}于{}不予批准", on.zh())
                    }
                    _ => "，待审批".into(),
                };
                format!(
                    "{} {}申请延期至{}：{}{decided}",
                    x.requested_on.zh(),
                    x.requested_by,
                    x.new_due.zh(),
                    x.reason
                )
            })
            .collect(),
        outcomes: m.outcomes.iter().map(outcome_text).collect(),
        may_record: try_change(Change::AddProgress {
            measure_id: m.id.clone(),
            text: "试".into(),
        }),
        may_extend: m.effective_due().is_some_and(|d| {
            try_change(Change::RequestExtension {
                measure_id: m.id.clone(),
                new_due: d.add_days(30),
                reason: "试".into(),
            })
        }),
        may_decide: pending.as_ref().is_some_and(|x| {
            try_change(Change::DecideExtension {
                measure_id: m.id.clone(),
                extension_id: x.clone(),
                approve: true,
            })
        }),
        pending_extension: pending,
        may_edit: try_change(Change::RemoveMeasure {
            measure_id: m.id.clone(),
        }) || try_change(Change::EditMeasure {
            measure_id: m.id.clone(),
            measure: MeasureDraft {
                text: m.text.clone(),
                kind: m.kind,
                lead: m.lead.clone(),
                department: m.department.clone(),
                owner: m.owner.clone(),
                due: m.due,
            },
        }),
    }
}

const COMMANDS: [FindingCommandKind; 9] = [
    FindingCommandKind::Start,
    FindingCommandKind::RequestClosure,
    FindingCommandKind::SignOff,
    FindingCommandKind::SignOffBasicallyDone,
    FindingCommandKind::SignOffLongTerm,
    FindingCommandKind::Return,
    FindingCommandKind::Transfer,
    FindingCommandKind::Reopen,
    FindingCommandKind::Resume,
];

async fn show(
    state: &AppState,
    me: &SignedIn,
    id: &str,
    flash: Option<Flash>,
) -> Result<Html<String>, PageError> {
    let store = state.store.as_ref();
    let v = store.finding(&me.actor, id).await?;
    let today = store.clock().today();
    let f = &v.finding;
    let measures: Vec<MeasureView> = f
        .measures
        .iter()
        .map(|m| measure_view(me, &v, today, m))
        .collect();
    let mut progress: Vec<(Date, Entry)> = f
        .measures
        .iter()
        .enumerate()
        .flat_map(|(i, m)| {
            m.progress.iter().map(move |p| {
                let entry = Entry {
                    date: p.date.zh(),
                    who: p.author.clone(),
                    text: format!("措施{}：{}", i + 1, p.text),
                };
                (p.date, entry)
            })
        })
        .collect();
    progress.sort_by_key(|(d, _)| std::cmp::Reverse(*d));
    let history = store
        .events(
            &me.actor,
            &EventQuery {
                finding_id: Some(id.to_string()),
                limit: 100,
                ..Default::default()
            },
        )
        .await?
        .items
        .into_iter()
        .map(|e| Entry {
            date: view::event_day(&e.at),
            who: e.actor.clone(),
            text: describe_event(&e),
        })
        .collect();
    let commands = COMMANDS
        .iter()
        .filter(|c| {
            let change = Change::Finding {
                finding_id: f.id.clone(),
                command: **c,
                reason: "试".into(),
                evidence: vec![],
            };
            allowed(me, &v, today, &change)
        })
        .map(|c| CommandButton {
            value: c.as_str(),
            label: c.zh(),
            needs_reason: rules::needs_reason(*c),
        })
        .collect();
    let blocked = if me.actor.role.is_unit()
        && matches!(
            f.status,
            FindingStatus::InProgress | FindingStatus::BasicallyDone
        ) {
        let ctx = FindingContext {
            unit_id: &v.unit.id,
            plan: v.plan,
            today,
            taken: &[],
        };
        let ask = Change::Finding {
            finding_id: f.id.clone(),
            command: FindingCommandKind::RequestClosure,
            reason: String::new(),
            evidence: vec![],
        };
        v.finding
            .clone()
            .apply(&me.actor, &ctx, &ask)
            .err()
            .map(|e| e.to_string())
    } else {
        None
    };
    let probe = MeasureDraft {
        text: "试".into(),
        kind: MeasureKind::ByDeadline,
        lead: String::new(),
        department: String::new(),
        owner: String::new(),
        due: None,
    };
    let may_add_measure = allowed(
        me,
        &v,
        today,
        &Change::AddMeasure {
            finding_id: f.id.clone(),
            measure: probe,
        },
    );
    let may_upload = allowed(
        me,
        &v,
        today,
        &Change::AttachEvidence {
            finding_id: f.id.clone(),
            evidence: EvidenceDraft {
                name: "试.pdf".into(),
                media_type: "application/pdf".into(),
                size: 1,
                sha256: "0".repeat(64),
                description: String::new(),
            },
        },
    );
    let (warn_class, warn) = view::warning(&v.round.policy, v.live_due, today);
    let lead = f
        .lead
        .as_ref()
        .map(|l| format!("{}移交{}：{}", l.transferred_on.zh(), l.to_body, l.note))
        .unwrap_or_default();
    let page = FindingPage {
        me: Some(Me::of(me)),
        flash,
        csrf: me.csrf.clone(),
        status: f.status.zh(),
        plan: v.plan.zh(),
        due: view::opt_date(v.live_due),
        warn_class,
        warn,
        measures,
        progress: progress.into_iter().map(|(_, e)| e).collect(),
        evidence: f
            .evidence
            .iter()
            .map(|e| EvidenceView {
                id: e.id.clone(),
                name: e.name.clone(),
                size: view::size_text(e.size),
                added: format!("{} {}", e.added_on.zh(), e.added_by),
                description: e.description.clone(),
            })
            .collect(),
        history,
        commands,
        blocked,
        may_add_measure,
        may_upload,
        lead,
        view: v,
    };
    render(&page)
}

/// An event of the finding's history in words.
fn describe_event(e: &zhenggai_core::event::Event) -> String {
    let payload: serde_json::Value = serde_json::from_str(&e.payload).unwrap_or_default();
    let reason = payload["change"]["reason"].as_str().unwrap_or("");
    let what = view::action_label(&e.action);
    if reason.is_empty() {
        what
    } else {
        format!("{what}：{reason}")
    }
}

pub async fn page(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, PageError> {
    show(&state, &me, &id, Flash::from_code(q.ok.as_deref())).await
}

pub async fn act(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    me.check_csrf(&form.csrf)?;
    let result = match change(&id, form) {
        Ok(c) => state
            .apply(&me.actor, Work::one(c))
            .await
            .map_err(WebError::from),
        Err(e) => Err(e),
    };
    respond(&state, &me, &id, result.map(|_| "applied")).await
}

/// After a change: back to the page with a message, or the page again with the refusal.
pub async fn respond(
    state: &AppState,
    me: &SignedIn,
    id: &str,
    result: Result<&str, WebError>,
) -> Result<Response, PageError> {
    match result {
        Ok(code) => Ok(Redirect::to(&format!("/findings/{id}?ok={code}")).into_response()),
        Err(e) => {
            let status = e.status();
            if matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
                || status.is_server_error()
            {
                return Err(PageError(e));
            }
            let html = show(state, me, id, Flash::bad(e.public_message())).await?;
            Ok((status, html).into_response())
        }
    }
}
