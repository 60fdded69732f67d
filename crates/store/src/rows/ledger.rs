//! Tables and the rows each record becomes.

use serde::Serialize;
use zhenggai_core::*;

use super::{json, Row, Table, Val};

pub const ROUNDS: Table = Table {
    name: "rounds",
    columns: &["id", "name", "body"],
    ints: &[],
};
pub const UNITS: Table = Table {
    name: "units",
    columns: &["id", "name", "body"],
    ints: &[],
};
pub const FEEDBACKS: Table = Table {
    name: "feedbacks",
    columns: &["id", "round_id", "unit_id", "plan_status", "body"],
    ints: &[],
};
pub const CATEGORIES: Table = Table {
    name: "categories",
    columns: &["id", "feedback_id", "pos", "title"],
    ints: &["pos"],
};
pub const ASPECTS: Table = Table {
    name: "aspects",
    columns: &["id", "feedback_id", "category_id", "pos", "title"],
    ints: &["pos"],
};
pub const FINDINGS: Table = Table {
    name: "findings",
    columns: &[
        "id",
        "ord",
        "feedback_id",
        "round_id",
        "unit_id",
        "aspect_id",
        "pos",
        "title",
        "status",
        "requester_id",
        "live_due",
        "returned",
        "body",
    ],
    ints: &["ord", "pos", "returned"],
};
pub const MEASURES: Table = Table {
    name: "measures",
    columns: &[
        "id",
        "feedback_id",
        "unit_id",
        "finding_id",
        "pos",
        "text",
        "kind",
        "status",
        "lead",
        "department",
        "owner",
        "due",
        "effective_due",
        "complete",
        "pending_extension",
        "body",
    ],
    ints: &["pos", "complete", "pending_extension"],
};
pub const OUTCOMES: Table = Table {
    name: "outcomes",
    columns: &[
        "id",
        "feedback_id",
        "measure_id",
        "pos",
        "type",
        "kind",
        "amount",
    ],
    ints: &["pos", "amount"],
};
pub const NOTICE_SOURCES: Table = Table {
    name: "notice_sources",
    columns: &["id", "text_sha256", "file", "feedback_id", "imported_at"],
    ints: &[],
};
pub const USERS: Table = Table {
    name: "users",
    columns: &[
        "id",
        "login",
        "name",
        "role",
        "units",
        "password_hash",
        "disabled",
        "created_at",
    ],
    ints: &["disabled"],
};
pub const API_TOKENS: Table = Table {
    name: "api_tokens",
    columns: &["id", "user_id", "label", "created_at"],
    ints: &[],
};
pub const EVENTS: Table = Table {
    name: "events",
    columns: &[
        "seq",
        "at",
        "actor_id",
        "actor",
        "entity",
        "entity_id",
        "action",
        "payload",
        "round_id",
        "unit_id",
        "finding_id",
        "states",
        "prev_hash",
        "hash",
    ],
    ints: &["seq"],
};

pub const CLOSURES: Table = Table {
    name: "closures",
    columns: &["id", "feedback_id", "round_id", "unit_id", "closed_on"],
    ints: &[],
};

/// Every table whose rows events vouch for, parents before children: what `verify`
/// compares with the chain.
pub const STATE_TABLES: [Table; 12] = [
    ROUNDS,
    UNITS,
    FEEDBACKS,
    CATEGORIES,
    ASPECTS,
    FINDINGS,
    MEASURES,
    OUTCOMES,
    CLOSURES,
    NOTICE_SOURCES,
    USERS,
    API_TOKENS,
];

pub fn table_named(name: &str) -> Option<Table> {
    STATE_TABLES.into_iter().find(|t| t.name == name)
}

fn text(s: &str) -> Val {
    Val::Text(s.to_string())
}

fn date(d: Option<Date>) -> Val {
    d.map_or(Val::Null, |d| Val::Text(d.to_string()))
}

pub fn round_row(r: &Round) -> Row {
    Row {
        table: ROUNDS,
        values: vec![text(&r.id), text(&r.name), json(r).into()],
    }
}

pub fn unit_row(u: &Unit) -> Row {
    Row {
        table: UNITS,
        values: vec![text(&u.id), text(&u.name), json(u).into()],
    }
}

/// What a feedback row holds beyond its typed columns.
#[derive(Serialize, serde::Deserialize)]
pub struct FeedbackBody<T> {
    pub date: Date,
    pub plan: T,
}

pub fn feedback_row(f: &Feedback) -> Row {
    Row {
        table: FEEDBACKS,
        values: vec![
            text(&f.id),
            text(&f.round_id),
            text(&f.unit_id),
            text(f.plan.status.as_str()),
            json(&FeedbackBody {
                date: f.date,
                plan: &f.plan,
            })
            .into(),
        ],
    }
}

/// Where a finding hangs: its feedback, round, unit and aspect, its position under the
/// aspect, and its order among all findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub ord: i64,
    pub feedback_id: String,
    pub round_id: String,
    pub unit_id: String,
    pub aspect_id: String,
    pub pos: i64,
}

/// What a finding row holds beyond its typed columns.
#[derive(Serialize, serde::Deserialize)]
#[serde(bound(
    deserialize = "E: serde::Deserialize<'de>, T: serde::Deserialize<'de>, L: serde::Deserialize<'de>"
))]
pub struct FindingBody<E, T, L> {
    pub evidence: E,
    pub transitions: T,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lead: Option<L>,
    /// Absent when false: bodies written before the mark existed hash the same.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub internal: bool,
}

/// What a measure row holds beyond its typed columns.
#[derive(Serialize, serde::Deserialize)]
#[serde(bound(
    deserialize = "R: serde::Deserialize<'de>, P: serde::Deserialize<'de>, O: serde::Deserialize<'de>, X: serde::Deserialize<'de>"
))]
pub struct MeasureBody<R, P, O, X> {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub long_term_reason: Option<R>,
    pub progress: P,
    pub outcomes: O,
    pub extensions: X,
}

/// The finding's row, its measures' rows and their outcomes' rows.
pub fn finding_rows(p: &Place, f: &Finding) -> Vec<Row> {
    let mut rows = Vec::with_capacity(1 + f.measures.len() * 2);
    rows.push(Row {
        table: FINDINGS,
        values: vec![
            text(&f.id),
            Val::Int(p.ord),
            text(&p.feedback_id),
            text(&p.round_id),
            text(&p.unit_id),
            text(&p.aspect_id),
            Val::Int(p.pos),
            text(&f.title),
            text(f.status.as_str()),
            f.requester().map(str::to_string).into(),
            date(f.live_due()),
            Val::Int(i64::from(
                f.status == FindingStatus::InProgress
                    && f.transitions
                        .last()
                        .is_some_and(|t| t.command == FindingCommandKind::Return),
            )),
            json(&FindingBody {
                evidence: &f.evidence,
                transitions: &f.transitions,
                lead: f.lead.as_ref(),
                internal: f.internal,
            })
            .into(),
        ],
    });
    if let Some(on) = done_on(f) {
        rows.push(Row {
            table: CLOSURES,
            values: vec![
                text(&f.id),
                text(&p.feedback_id),
                text(&p.round_id),
                text(&p.unit_id),
                text(&on.to_string()),
            ],
        });
    }
    for (mi, m) in f.measures.iter().enumerate() {
        rows.push(measure_row(p, &f.id, mi, m));
        for (oi, o) in m.outcomes.iter().enumerate() {
            rows.push(outcome_row(&p.feedback_id, &m.id, oi, o));
        }
    }
    rows
}

/// The date of the transition that made a finding done (closed or long-term), while it is.
fn done_on(f: &Finding) -> Option<Date> {
    if !matches!(f.status, FindingStatus::Closed | FindingStatus::LongTerm) {
        return None;
    }
    f.transitions
        .iter()
        .rev()
        .find(|t| t.to == f.status)
        .map(|t| t.date)
}

fn measure_row(p: &Place, finding_id: &str, pos: usize, m: &Measure) -> Row {
    Row {
        table: MEASURES,
        values: vec![
            text(&m.id),
            text(&p.feedback_id),
            text(&p.unit_id),
            text(finding_id),
            Val::Int(pos as i64),
            text(&m.text),
            text(m.kind.as_str()),
            text(m.status.as_str()),
            text(&m.lead),
            text(&m.department),
            text(&m.owner),
            date(m.due),
            date(m.effective_due()),
            Val::Int(i64::from(m.is_complete())),
            Val::Int(i64::from(
                m.extensions
                    .iter()
                    .any(|x| x.decision == ExtensionDecision::Requested),
            )),
            json(&MeasureBody {
                long_term_reason: m.long_term_reason.as_ref(),
                progress: &m.progress,
                outcomes: &m.outcomes,
                extensions: &m.extensions,
            })
            .into(),
        ],
    }
}

/// The columns roll-ups add up: a type, a kind within it (for accountability, its form as
/// written), an amount.
fn outcome_columns(o: &Outcome) -> (&'static str, Option<&str>, i64) {
    match o {
        Outcome::Quantity { .. } => ("quantity", None, 1),
        Outcome::Money { kind, fen } => (
            "money",
            Some(match kind {
                MoneyKind::Refunded => "refunded",
                MoneyKind::Recovered => "recovered",
                MoneyKind::Saved => "saved",
            }),
            *fen,
        ),
        Outcome::Rule { change, .. } => (
            "rule",
            Some(match change {
                RuleChange::New => "new",
                RuleChange::Revised => "revised",
                RuleChange::Repealed => "repealed",
            }),
            1,
        ),
        Outcome::Accountability { form, people } => (
            "accountability",
            Some(form.as_str()).filter(|f| !f.trim().is_empty()),
            i64::from(*people),
        ),
        Outcome::Meeting { .. } => ("meeting", None, 1),
        Outcome::Document { .. } => ("document", None, 1),
        Outcome::Mentioned { .. } => ("date", None, 1),
    }
}

fn outcome_row(fb: &str, measure: &str, pos: usize, o: &Outcome) -> Row {
    let (ty, kind, amount) = outcome_columns(o);
    Row {
        table: OUTCOMES,
        values: vec![
            Val::Text(format!("{measure}#{pos}")),
            text(fb),
            text(measure),
            Val::Int(pos as i64),
            text(ty),
            kind.map(str::to_string).into(),
            Val::Int(amount),
        ],
    }
}

/// The rows of a whole feedback tree, parents first, given each finding's `ord`.
pub fn feedback_rows(f: &Feedback, mut ord: impl FnMut(&Finding) -> i64) -> Vec<Row> {
    let mut rows = vec![feedback_row(f)];
    for (ci, c) in f.categories.iter().enumerate() {
        rows.push(Row {
            table: CATEGORIES,
            values: vec![
                text(&c.id),
                text(&f.id),
                Val::Int(ci as i64),
                text(&c.title),
            ],
        });
        for (ai, a) in c.aspects.iter().enumerate() {
            rows.push(Row {
                table: ASPECTS,
                values: vec![
                    text(&a.id),
                    text(&f.id),
                    text(&c.id),
                    Val::Int(ai as i64),
                    text(&a.title),
                ],
            });
            for (fi, finding) in a.findings.iter().enumerate() {
                let place = Place {
                    ord: ord(finding),
                    feedback_id: f.id.clone(),
                    round_id: f.round_id.clone(),
                    unit_id: f.unit_id.clone(),
                    aspect_id: a.id.clone(),
                    pos: fi as i64,
                };
                rows.extend(finding_rows(&place, finding));
            }
        }
    }
    rows
}
