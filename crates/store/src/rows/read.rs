//! Rows as read back, and the records assembled from them.

use std::collections::HashMap;

use sqlx::FromRow;
use zhenggai_core::*;

use super::ledger::{FeedbackBody, FindingBody, MeasureBody, Place};

#[derive(Debug, thiserror::Error)]
#[error("stored record {table} {id} is damaged: {why}")]
pub struct CorruptRow {
    pub table: &'static str,
    pub id: String,
    pub why: String,
}

fn corrupt(table: &'static str, id: &str, why: impl ToString) -> CorruptRow {
    CorruptRow {
        table,
        id: id.to_string(),
        why: why.to_string(),
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(
    table: &'static str,
    id: &str,
    body: &str,
) -> Result<T, CorruptRow> {
    serde_json::from_str(body).map_err(|e| corrupt(table, id, e))
}

fn parse_date(table: &'static str, id: &str, s: Option<&str>) -> Result<Option<Date>, CorruptRow> {
    s.map(|s| Date::parse(s).map_err(|e| corrupt(table, id, e)))
        .transpose()
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct FeedbackRow {
    pub id: String,
    pub round_id: String,
    pub unit_id: String,
    pub plan_status: String,
    pub body: String,
}

impl FeedbackRow {
    /// The feedback without its tree.
    pub fn head(&self) -> Result<Feedback, CorruptRow> {
        let body: FeedbackBody<Plan> = parse_json("feedbacks", &self.id, &self.body)?;
        if body.plan.status.as_str() != self.plan_status {
            return Err(corrupt(
                "feedbacks",
                &self.id,
                "plan_status differs from body",
            ));
        }
        Ok(Feedback {
            id: self.id.clone(),
            round_id: self.round_id.clone(),
            unit_id: self.unit_id.clone(),
            date: body.date,
            plan: body.plan,
            categories: vec![],
        })
    }
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct CategoryRow {
    pub id: String,
    pub feedback_id: String,
    pub pos: i64,
    pub title: String,
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct AspectRow {
    pub id: String,
    pub feedback_id: String,
    pub category_id: String,
    pub pos: i64,
    pub title: String,
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct FindingRow {
    pub id: String,
    pub ord: i64,
    pub feedback_id: String,
    pub round_id: String,
    pub unit_id: String,
    pub aspect_id: String,
    pub pos: i64,
    pub title: String,
    pub status: String,
    pub requester_id: Option<String>,
    pub live_due: Option<String>,
    pub returned: i64,
    pub body: String,
}

impl FindingRow {
    pub fn place(&self) -> Place {
        Place {
            ord: self.ord,
            feedback_id: self.feedback_id.clone(),
            round_id: self.round_id.clone(),
            unit_id: self.unit_id.clone(),
            aspect_id: self.aspect_id.clone(),
            pos: self.pos,
        }
    }

    pub fn status(&self) -> Result<FindingStatus, CorruptRow> {
        FindingStatus::parse(&self.status)
            .ok_or_else(|| corrupt("findings", &self.id, "unknown status"))
    }

    pub fn live_due(&self) -> Result<Option<Date>, CorruptRow> {
        parse_date("findings", &self.id, self.live_due.as_deref())
    }

    pub fn finding(&self, measures: Vec<Measure>) -> Result<Finding, CorruptRow> {
        let body: FindingBody<Vec<Evidence>, Vec<Transition>, Lead> =
            parse_json("findings", &self.id, &self.body)?;
        Ok(Finding {
            id: self.id.clone(),
            title: self.title.clone(),
            status: self.status()?,
            measures,
            evidence: body.evidence,
            transitions: body.transitions,
            lead: body.lead,
            internal: body.internal,
        })
    }
}

/// Also read from a JSON array in column order (see `Sql::JSON_ROWS`).
#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct MeasureRow {
    pub id: String,
    pub feedback_id: String,
    pub unit_id: String,
    pub finding_id: String,
    pub pos: i64,
    pub text: String,
    pub kind: String,
    pub status: String,
    pub lead: String,
    pub department: String,
    pub owner: String,
    pub due: Option<String>,
    pub effective_due: Option<String>,
    pub complete: i64,
    pub pending_extension: i64,
    pub body: String,
}

impl MeasureRow {
    pub fn measure(&self) -> Result<Measure, CorruptRow> {
        let id = &self.id;
        let body: MeasureBody<String, Vec<ProgressUpdate>, Vec<Outcome>, Vec<Extension>> =
            parse_json("measures", id, &self.body)?;
        Ok(Measure {
            id: id.clone(),
            text: self.text.clone(),
            kind: MeasureKind::parse(&self.kind)
                .ok_or_else(|| corrupt("measures", id, "unknown kind"))?,
            lead: self.lead.clone(),
            department: self.department.clone(),
            owner: self.owner.clone(),
            due: parse_date("measures", id, self.due.as_deref())?,
            status: MeasureStatus::parse(&self.status)
                .ok_or_else(|| corrupt("measures", id, "unknown status"))?,
            long_term_reason: body.long_term_reason,
            progress: body.progress,
            outcomes: body.outcomes,
            extensions: body.extensions,
        })
    }
}

/// Measures grouped under their findings, in position order.
pub fn measures_by_finding(
    rows: Vec<MeasureRow>,
) -> Result<HashMap<String, Vec<Measure>>, CorruptRow> {
    let mut rows = rows;
    rows.sort_by(|a, b| (&a.finding_id, a.pos).cmp(&(&b.finding_id, b.pos)));
    let mut out: HashMap<String, Vec<Measure>> = HashMap::new();
    for r in &rows {
        out.entry(r.finding_id.clone())
            .or_default()
            .push(r.measure()?);
    }
    Ok(out)
}

/// Rebuilds a feedback tree from its rows.
pub fn assemble(
    head: &FeedbackRow,
    mut categories: Vec<CategoryRow>,
    mut aspects: Vec<AspectRow>,
    mut findings: Vec<FindingRow>,
    measures: Vec<MeasureRow>,
) -> Result<Feedback, CorruptRow> {
    let mut fb = head.head()?;
    let mut measures = measures_by_finding(measures)?;
    categories.sort_by_key(|c| c.pos);
    aspects.sort_by(|a, b| (&a.category_id, a.pos).cmp(&(&b.category_id, b.pos)));
    findings.sort_by(|a, b| (&a.aspect_id, a.pos).cmp(&(&b.aspect_id, b.pos)));
    let mut aspects_of: HashMap<String, Vec<Aspect>> = HashMap::new();
    let mut findings_of: HashMap<String, Vec<Finding>> = HashMap::new();
    for f in &findings {
        let ms = measures.remove(&f.id).unwrap_or_default();
        findings_of
            .entry(f.aspect_id.clone())
            .or_default()
            .push(f.finding(ms)?);
    }
    for a in aspects {
        let findings = findings_of.remove(&a.id).unwrap_or_default();
        aspects_of.entry(a.category_id).or_default().push(Aspect {
            id: a.id,
            title: a.title,
            findings,
        });
    }
    fb.categories = categories
        .into_iter()
        .map(|c| Category {
            aspects: aspects_of.remove(&c.id).unwrap_or_default(),
            id: c.id,
            title: c.title,
        })
        .collect();
    Ok(fb)
}
