//! The mapping between a feedback tree and table rows, shared by both backends so that
//! they store exactly the same thing.

use std::collections::HashMap;

use serde::Serialize;
use zhenggai_core::*;

/// A value bound into a statement; the two backends bind the same three kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Text(String),
    Int(i64),
    Null,
}

impl From<&str> for Val {
    fn from(s: &str) -> Val {
        Val::Text(s.to_string())
    }
}

impl From<String> for Val {
    fn from(s: String) -> Val {
        Val::Text(s)
    }
}

impl From<i64> for Val {
    fn from(i: i64) -> Val {
        Val::Int(i)
    }
}

impl From<Option<String>> for Val {
    fn from(o: Option<String>) -> Val {
        o.map_or(Val::Null, Val::Text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

const TREE: &[&str] = &["id", "feedback_id", "parent_id", "pos", "body"];

pub const ROUNDS: Table = Table {
    name: "rounds",
    columns: &["id", "name", "body"],
};
pub const UNITS: Table = Table {
    name: "units",
    columns: &["id", "name", "body"],
};
pub const FEEDBACKS: Table = Table {
    name: "feedbacks",
    columns: &["id", "round_id", "unit_id", "body"],
};
pub const CATEGORIES: Table = Table {
    name: "categories",
    columns: TREE,
};
pub const ASPECTS: Table = Table {
    name: "aspects",
    columns: TREE,
};
pub const FINDINGS: Table = Table {
    name: "findings",
    columns: &[
        "id",
        "feedback_id",
        "parent_id",
        "pos",
        "body",
        "status",
        "requester",
        "live_due",
    ],
};
pub const MEASURES: Table = Table {
    name: "measures",
    columns: &[
        "id",
        "feedback_id",
        "parent_id",
        "pos",
        "body",
        "status",
        "kind",
        "effective_due",
        "complete",
    ],
};
pub const OUTCOMES: Table = Table {
    name: "outcomes",
    columns: &[
        "id",
        "feedback_id",
        "parent_id",
        "pos",
        "type",
        "kind",
        "amount",
    ],
};
pub const NOTICE_SOURCES: Table = Table {
    name: "notice_sources",
    columns: &["sha256", "file", "feedback_id", "imported_at"],
};
pub const EVENTS: Table = Table {
    name: "events",
    columns: &[
        "seq",
        "at",
        "actor",
        "entity",
        "entity_id",
        "action",
        "payload",
        "prev_hash",
        "hash",
    ],
};

/// The tables a feedback tree is read back from, parents before children.
pub const TREE_TABLES: [Table; 4] = [CATEGORIES, ASPECTS, FINDINGS, MEASURES];

pub type Rows = Vec<(Table, Vec<Val>)>;

fn json<T: Serialize>(v: &T) -> String {
    // Serializing these plain structs cannot fail: no maps with non-string keys.
    serde_json::to_string(v).unwrap_or_default()
}

#[derive(Serialize)]
pub struct FeedbackHead<'a> {
    pub id: &'a str,
    pub round_id: &'a str,
    pub unit_id: &'a str,
    pub date: Date,
}

#[derive(Serialize)]
struct Titled<'a> {
    id: &'a str,
    title: &'a str,
}

/// A finding without its measures, which have rows of their own.
#[derive(Serialize)]
pub struct FindingHead<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub status: FindingStatus,
    pub evidence: &'a [Evidence],
    pub transitions: &'a [Transition],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead: &'a Option<Lead>,
}

pub fn feedback_head(f: &Feedback) -> FeedbackHead<'_> {
    FeedbackHead {
        id: &f.id,
        round_id: &f.round_id,
        unit_id: &f.unit_id,
        date: f.date,
    }
}

pub fn finding_head(f: &Finding) -> FindingHead<'_> {
    FindingHead {
        id: &f.id,
        title: &f.title,
        status: f.status,
        evidence: &f.evidence,
        transitions: &f.transitions,
        lead: &f.lead,
    }
}

/// The earliest due date among a finding's unfinished, non-long-term measures, while the
/// finding is not settled: what "overdue" is decided on.
pub fn live_due(f: &Finding) -> Option<Date> {
    if f.status.is_settled() {
        return None;
    }
    f.measures
        .iter()
        .filter(|m| m.status != MeasureStatus::Done && m.kind != MeasureKind::LongTerm)
        .filter_map(Measure::effective_due)
        .min()
}

pub fn round_row(r: &Round) -> Vec<Val> {
    vec![r.id.as_str().into(), r.name.as_str().into(), json(r).into()]
}

pub fn unit_row(u: &Unit) -> Vec<Val> {
    vec![u.id.as_str().into(), u.name.as_str().into(), json(u).into()]
}

fn tree_row(id: &str, fb: &str, parent: &str, pos: usize, body: String) -> Vec<Val> {
    vec![
        id.into(),
        fb.into(),
        parent.into(),
        Val::Int(pos as i64),
        body.into(),
    ]
}

pub fn finding_row(
    fb: &str,
    parent: &str,
    pos: usize,
    f: &Finding,
    requester: Option<String>,
) -> Vec<Val> {
    let mut row = tree_row(&f.id, fb, parent, pos, json(&finding_head(f)));
    row.push(f.status.as_str().into());
    row.push(requester.into());
    row.push(live_due(f).map(|d| d.to_string()).into());
    row
}

pub fn measure_row(fb: &str, parent: &str, pos: usize, m: &Measure) -> Vec<Val> {
    let mut row = tree_row(&m.id, fb, parent, pos, json(m));
    row.push(m.status.as_str().into());
    row.push(m.kind.as_str().into());
    row.push(m.effective_due().map(|d| d.to_string()).into());
    row.push(Val::Int(i64::from(m.is_complete())));
    row
}

fn outcome_columns(o: &Outcome) -> (&'static str, Option<&'static str>, i64) {
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
        Outcome::Accountability { people, .. } => ("accountability", None, i64::from(*people)),
        Outcome::Meeting { .. } => ("meeting", None, 1),
        Outcome::Document { .. } => ("document", None, 1),
        Outcome::Mentioned { .. } => ("date", None, 1),
    }
}

pub fn outcome_row(fb: &str, measure: &str, pos: usize, o: &Outcome) -> Vec<Val> {
    let (ty, kind, amount) = outcome_columns(o);
    vec![
        format!("{measure}#{pos}").into(),
        fb.into(),
        measure.into(),
        Val::Int(pos as i64),
        ty.into(),
        kind.map(str::to_string).into(),
        Val::Int(amount),
    ]
}

/// The pending requester of a closure, as the history tells it.
pub fn requester_of(f: &Finding) -> Option<String> {
    f.transitions.iter().fold(None, |req, t| {
        zhenggai_core::rules::requester_after(t.command, &Actor::new(t.actor.clone(), t.role), req)
    })
}

/// Every row of a feedback tree, parents first.
pub fn feedback_rows(f: &Feedback) -> Rows {
    let fb = f.id.as_str();
    let mut rows: Rows = vec![(
        FEEDBACKS,
        vec![
            fb.into(),
            f.round_id.as_str().into(),
            f.unit_id.as_str().into(),
            json(&feedback_head(f)).into(),
        ],
    )];
    for (ci, c) in f.categories.iter().enumerate() {
        rows.push((
            CATEGORIES,
            tree_row(
                &c.id,
                fb,
                fb,
                ci,
                json(&Titled {
                    id: &c.id,
                    title: &c.title,
                }),
            ),
        ));
        for (ai, a) in c.aspects.iter().enumerate() {
            rows.push((
                ASPECTS,
                tree_row(
                    &a.id,
                    fb,
                    &c.id,
                    ai,
                    json(&Titled {
                        id: &a.id,
                        title: &a.title,
                    }),
                ),
            ));
            for (fi, finding) in a.findings.iter().enumerate() {
                finding_rows(fb, &a.id, fi, finding, &mut rows);
            }
        }
    }
    rows
}

fn finding_rows(fb: &str, parent: &str, pos: usize, f: &Finding, rows: &mut Rows) {
    rows.push((FINDINGS, finding_row(fb, parent, pos, f, requester_of(f))));
    for (mi, m) in f.measures.iter().enumerate() {
        rows.push((MEASURES, measure_row(fb, &f.id, mi, m)));
        for (oi, o) in m.outcomes.iter().enumerate() {
            rows.push((OUTCOMES, outcome_row(fb, &m.id, oi, o)));
        }
    }
}

/// A stored row of a tree table: (parent id, position, JSON body).
pub type TreeRow = (String, i64, String);

#[derive(Debug, thiserror::Error)]
#[error("stored record in {table} is not valid JSON: {source}")]
pub struct CorruptRow {
    pub table: &'static str,
    pub source: serde_json::Error,
}

fn grouped<T: serde::de::DeserializeOwned>(
    table: &'static str,
    rows: Vec<TreeRow>,
) -> Result<HashMap<String, Vec<T>>, CorruptRow> {
    let mut sorted = rows;
    sorted.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut out: HashMap<String, Vec<T>> = HashMap::new();
    for (parent, _, body) in sorted {
        let v = serde_json::from_str(&body).map_err(|source| CorruptRow { table, source })?;
        out.entry(parent).or_default().push(v);
    }
    Ok(out)
}

/// Rebuilds a feedback tree from its head and the rows of each tree table.
pub fn assemble(
    head_body: &str,
    mut tables: HashMap<&'static str, Vec<TreeRow>>,
) -> Result<Feedback, CorruptRow> {
    let mut take = |t: Table| tables.remove(t.name).unwrap_or_default();
    let mut fb: Feedback = serde_json::from_str(head_body).map_err(|source| CorruptRow {
        table: "feedbacks",
        source,
    })?;
    let cats: HashMap<String, Vec<Category>> = grouped("categories", take(CATEGORIES))?;
    let mut aspects: HashMap<String, Vec<Aspect>> = grouped("aspects", take(ASPECTS))?;
    let mut findings: HashMap<String, Vec<Finding>> = grouped("findings", take(FINDINGS))?;
    let mut measures: HashMap<String, Vec<Measure>> = grouped("measures", take(MEASURES))?;
    fb.categories = cats.into_iter().next().map(|(_, v)| v).unwrap_or_default();
    for c in &mut fb.categories {
        c.aspects = aspects.remove(&c.id).unwrap_or_default();
        for a in &mut c.aspects {
            a.findings = findings.remove(&a.id).unwrap_or_default();
            for f in &mut a.findings {
                f.measures = measures.remove(&f.id).unwrap_or_default();
            }
        }
    }
    Ok(fb)
}

/// Every id a tree would insert, per table, to check for clashes before inserting.
pub fn ids_by_table(rows: &Rows) -> HashMap<&'static str, Vec<&str>> {
    let mut out: HashMap<&'static str, Vec<&str>> = HashMap::new();
    for (t, vals) in rows {
        if let Some(Val::Text(id)) = vals.first() {
            out.entry(t.name).or_default().push(id);
        }
    }
    out
}

/// For each finding in `rows`, in order: the sha256 of its stored body followed by its
/// measures' stored bodies. An import event carries this digest instead of a second copy
/// of the content, and it binds the event to exactly the rows written.
pub fn finding_digests(rows: &Rows) -> Vec<String> {
    use sha2::{Digest, Sha256};
    let mut out = Vec::new();
    let mut current: Option<Sha256> = None;
    for (table, row) in rows {
        let body = match row.get(4) {
            Some(Val::Text(b)) => b.as_bytes(),
            _ => continue,
        };
        if *table == FINDINGS {
            if let Some(h) = current.take() {
                out.push(hex::encode(h.finalize()));
            }
            current = Some(Sha256::new_with_prefix(body));
        } else if *table == MEASURES {
            if let Some(h) = current.as_mut() {
                h.update(b"\n");
                h.update(body);
            }
        }
    }
    if let Some(h) = current {
        out.push(hex::encode(h.finalize()));
    }
    out
}
