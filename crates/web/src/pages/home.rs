//! 工作台: what the signed-in person has to do. A unit's people see their unit's ledgers
//! and what waits for them; the office and supervisors see the rounds and what waits for
//! them to decide.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use zhenggai_core::*;
use zhenggai_store::{FindingLine, FindingQuery};

use super::render;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::view::{self, Flash, Me};

pub struct Line {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub status: &'static str,
    pub due: String,
}

impl Line {
    fn of(l: &FindingLine) -> Line {
        Line {
            id: l.id.clone(),
            title: l.title.clone(),
            unit: l.unit.clone(),
            status: l.status.zh(),
            due: view::opt_date(l.live_due),
        }
    }
}

pub struct Queue {
    pub title: &'static str,
    pub empty: &'static str,
    pub lines: Vec<Line>,
}

pub struct UnitRow {
    pub unit_id: String,
    pub unit: String,
    pub round_id: String,
    pub findings: i64,
    pub closed: i64,
    pub completion: String,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
}

pub struct RoundBlock {
    pub id: String,
    pub name: String,
    pub units: Vec<UnitRow>,
    pub more: usize,
}

pub struct PlanLine {
    pub feedback_id: String,
    pub unit: String,
    pub round: String,
    pub plan: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    me: Option<Me>,
    flash: Option<Flash>,
    today: String,
    rounds: Vec<RoundBlock>,
    plans: Vec<PlanLine>,
    queues: Vec<Queue>,
}

/// Units shown per round on the home page; the round's page lists them all.
const UNITS_SHOWN: usize = 30;

#[derive(serde::Deserialize)]
pub struct HomeQuery {
    ok: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<HomeQuery>,
) -> Result<Html<String>, PageError> {
    let store = state.store.as_ref();
    let actor = &me.actor;
    let today = store.clock().today();
    let stats = state.stats(actor, today).await?;
    let mut rounds: BTreeMap<String, RoundBlock> = BTreeMap::new();
    for s in stats.iter() {
        let block = rounds
            .entry(s.round_id.clone())
            .or_insert_with(|| RoundBlock {
                id: s.round_id.clone(),
                name: s.round.clone(),
                units: vec![],
                more: 0,
            });
        if block.units.len() >= UNITS_SHOWN {
            block.more += 1;
            continue;
        }
        block.units.push(UnitRow {
            unit_id: s.unit_id.clone(),
            unit: s.unit.clone(),
            round_id: s.round_id.clone(),
            findings: s.findings,
            closed: s
                .by_status
                .get(&FindingStatus::Closed)
                .copied()
                .unwrap_or(0),
            completion: view::percent(s.completion_rate),
            red: s.warnings.red,
            yellow: s.warnings.yellow,
            green: s.warnings.green,
        });
    }
    let units: BTreeMap<String, String> = store
        .units(actor)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let round_names: BTreeMap<String, String> = store
        .rounds(actor)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let checker = actor.role.is_checker();
    let plans = store
        .feedbacks(actor)
        .await?
        .into_iter()
        .filter(|f| {
            if checker {
                f.plan == PlanStatus::Submitted
            } else {
                f.plan.is_open()
            }
        })
        .take(50)
        .map(|f| PlanLine {
            unit: units.get(&f.unit_id).cloned().unwrap_or_default(),
            round: round_names.get(&f.round_id).cloned().unwrap_or_default(),
            feedback_id: f.id,
            plan: f.plan.zh(),
        })
        .collect();
    let list = |query: FindingQuery| async move {
        let q = FindingQuery { limit: 20, ..query };
        store
            .findings(actor, today, &q)
            .await
            .map(|p| p.items.iter().map(Line::of).collect::<Vec<_>>())
    };
    let queues = if checker {
        vec![
            Queue {
                title: "待审核的销号申请",
                empty: "没有待审核的销号申请",
                lines: list(FindingQuery {
                    status: Some(FindingStatus::ClosureRequested),
                    ..Default::default()
                })
                .await?,
            },
            Queue {
                title: "待审批的延期申请",
                empty: "没有待审批的延期申请",
                lines: list(FindingQuery {
                    extension_pending: true,
                    ..Default::default()
                })
                .await?,
            },
        ]
    } else if actor.role.is_unit() {
        vec![
            Queue {
                title: "被退回的销号申请",
                empty: "没有被退回的问题",
                lines: list(FindingQuery {
                    returned: true,
                    ..Default::default()
                })
                .await?,
            },
            Queue {
                title: "已逾期",
                empty: "没有逾期的问题",
                lines: list(FindingQuery {
                    overdue: true,
                    ..Default::default()
                })
                .await?,
            },
            Queue {
                title: "即将到期（黄色预警）",
                empty: "没有即将到期的问题",
                lines: list(FindingQuery {
                    warning: Some(Warning::Yellow),
                    ..Default::default()
                })
                .await?,
            },
        ]
    } else {
        vec![]
    };
    let page = HomePage {
        me: Some(Me::of(&me)),
        flash: Flash::from_code(q.ok.as_deref()),
        today: view::date(today),
        rounds: rounds.into_values().collect(),
        plans,
        queues,
    };
    render(&page)
}
