//! Loading aggregates for changes, and the reads pages make: each asks core's access
//! function for the actor, and hides from a unit's people whether another unit's ids exist.

use std::collections::HashMap;

use sqlx::{Executor, IntoArguments};
use zhenggai_core::event::Event;
use zhenggai_core::*;

use super::chain::{EventRow, EVENT_COLUMNS};
use super::{Exec, Sql, SqlStore, Stmt};
use crate::api::*;
use crate::error::{Result, StoreError};
use crate::rows::*;

/// The rows of `table` that pass `filter`, as one JSON array of arrays in column order.
pub(crate) fn select_json<DB: Sql>(table: Table, filter: &str) -> String {
    let (open, close) = DB::JSON_ROWS;
    format!(
        "SELECT {open}{}{close} FROM {} WHERE {filter}",
        table.columns.join(", "),
        table.name
    )
}

pub(crate) fn select(table: Table, filter: &str) -> String {
    format!(
        "SELECT {} FROM {} WHERE {filter}",
        table.columns.join(", "),
        table.name
    )
}

/// A record that is missing, or in a unit the actor may not see (core decides which
/// refusal tells them nothing).
pub(crate) fn hidden(actor: &Actor, action: &str, what: &'static str, id: &str) -> StoreError {
    StoreError::Rule(zhenggai_core::access::unseen(actor, action, what, id))
}

pub(crate) fn readable(
    actor: &Actor,
    what: &'static str,
    id: &str,
    unit: Option<&str>,
) -> Result<()> {
    Ok(zhenggai_core::access::read(actor, what, id, unit)?)
}

impl<DB: Sql> SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> Vec<u8>: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> Option<String>: sqlx::Encode<'a, DB>,
    for<'a> Option<i64>: sqlx::Encode<'a, DB>,
    for<'r> &'r str: sqlx::ColumnIndex<DB::Row>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    pub(crate) async fn load_round(&self, e: &mut impl Exec, id: &str) -> Result<Option<Round>> {
        let body: Option<(String,)> = e
            .fetch_optional("SELECT body FROM rounds WHERE id = $1", vec![id.into()])
            .await?;
        body.map(|(b,)| {
            serde_json::from_str(&b).map_err(|e| StoreError::Corrupt(format!("round {id}: {e}")))
        })
        .transpose()
    }

    pub(crate) async fn load_unit(&self, e: &mut impl Exec, id: &str) -> Result<Option<Unit>> {
        let body: Option<(String,)> = e
            .fetch_optional("SELECT body FROM units WHERE id = $1", vec![id.into()])
            .await?;
        body.map(|(b,)| {
            serde_json::from_str(&b).map_err(|e| StoreError::Corrupt(format!("unit {id}: {e}")))
        })
        .transpose()
    }

    /// A finding with its measures, and its row (where it hangs).
    pub(crate) async fn load_finding(
        &self,
        e: &mut impl Exec,
        id: &str,
    ) -> Result<Option<(FindingRow, Finding)>> {
        let row: Option<FindingRow> = e
            .fetch_optional(&select(FINDINGS, "id = $1"), vec![id.into()])
            .await?;
        let Some(row) = row else { return Ok(None) };
        let finding = self.with_measures(e, row.clone()).await?;
        Ok(Some((row, finding)))
    }

    /// The finding of this row, with its measures.
    async fn with_measures(&self, e: &mut impl Exec, row: FindingRow) -> Result<Finding> {
        let measures: Vec<MeasureRow> = e
            .fetch_all(
                &select(MEASURES, "finding_id = $1"),
                vec![row.id.clone().into()],
            )
            .await?;
        let measures = measures_by_finding(measures)?
            .remove(&row.id)
            .unwrap_or_default();
        Ok(row.finding(measures)?)
    }

    /// The finding a change addresses (by its id, or by one of its measures' ids), with its
    /// feedback's plan status: one statement for the row, one for the measures.
    pub(crate) async fn load_for_change(
        &self,
        e: &mut impl Exec,
        id: &str,
        by_measure: bool,
    ) -> Result<Option<(FindingRow, Finding, PlanStatus)>> {
        #[derive(sqlx::FromRow, serde::Deserialize)]
        struct WithPlan {
            #[sqlx(flatten)]
            #[serde(flatten)]
            row: FindingRow,
            plan_status: String,
        }
        let columns: Vec<String> = FINDINGS.columns.iter().map(|c| format!("f.{c}")).collect();
        let which = if by_measure {
            "(SELECT finding_id FROM measures WHERE id = $1)"
        } else {
            "$1"
        };
        let sql = format!(
            "SELECT {}, fb.plan_status FROM findings f JOIN feedbacks fb ON fb.id = f.feedback_id WHERE f.id = {which}",
            columns.join(", ")
        );
        let found: Option<WithPlan> = e.fetch_optional(&sql, vec![id.into()]).await?;
        let Some(WithPlan { row, plan_status }) = found else {
            return Ok(None);
        };
        let plan = PlanStatus::ALL
            .into_iter()
            .find(|p| p.as_str() == plan_status)
            .ok_or_else(|| {
                StoreError::Corrupt(format!("feedback {}: plan status", row.feedback_id))
            })?;
        let finding = self.with_measures(e, row.clone()).await?;
        Ok(Some((row, finding, plan)))
    }

    pub(crate) async fn plan_status(
        &self,
        e: &mut impl Exec,
        feedback_id: &str,
    ) -> Result<PlanStatus> {
        let (s,): (String,) = e
            .fetch_optional(
                "SELECT plan_status FROM feedbacks WHERE id = $1",
                vec![feedback_id.into()],
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("feedback {feedback_id} is missing")))?;
        PlanStatus::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| StoreError::Corrupt(format!("feedback {feedback_id}: plan status {s}")))
    }

    /// A whole feedback tree, and the `ord` of each of its findings.
    pub(crate) async fn load_tree(
        &self,
        e: &mut impl Exec,
        id: &str,
    ) -> Result<Option<(Feedback, HashMap<String, i64>)>> {
        let head: Option<FeedbackRow> = e
            .fetch_optional(&select(FEEDBACKS, "id = $1"), vec![id.into()])
            .await?;
        let Some(head) = head else { return Ok(None) };
        let categories: Vec<CategoryRow> = e
            .fetch_all(&select(CATEGORIES, "feedback_id = $1"), vec![id.into()])
            .await?;
        let aspects: Vec<AspectRow> = e
            .fetch_all(&select(ASPECTS, "feedback_id = $1"), vec![id.into()])
            .await?;
        let findings: Vec<FindingRow> = e
            .fetch_all(&select(FINDINGS, "feedback_id = $1"), vec![id.into()])
            .await?;
        let measures: Vec<MeasureRow> = e
            .fetch_all(&select(MEASURES, "feedback_id = $1"), vec![id.into()])
            .await?;
        let ords = findings.iter().map(|f| (f.id.clone(), f.ord)).collect();
        Ok(Some((
            assemble(&head, categories, aspects, findings, measures)?,
            ords,
        )))
    }

    pub(crate) async fn read_feedback(&self, actor: &Actor, id: &str) -> Result<Feedback> {
        let mut conn = self.pool.acquire().await?;
        let tree = self.load_tree(&mut DB::exec(&mut conn), id).await?;
        readable(
            actor,
            "反馈",
            id,
            tree.as_ref().map(|(f, _)| f.unit_id.as_str()),
        )?;
        tree.map(|(f, _)| f)
            .ok_or_else(|| StoreError::not_found("反馈", id))
    }

    pub(crate) async fn load_finding_view(&self, actor: &Actor, id: &str) -> Result<FindingView> {
        let mut conn = self.pool.acquire().await?;
        let loaded = self.load_finding(&mut DB::exec(&mut conn), id).await?;
        readable(
            actor,
            "问题",
            id,
            loaded.as_ref().map(|(r, _)| r.unit_id.as_str()),
        )?;
        let Some((row, finding)) = loaded else {
            return Err(StoreError::not_found("问题", id));
        };
        let round = self
            .load_round(&mut DB::exec(&mut conn), &row.round_id)
            .await?;
        let unit = self
            .load_unit(&mut DB::exec(&mut conn), &row.unit_id)
            .await?;
        let (category, aspect): (String, String) = sqlx::query_as(
            "SELECT c.title, a.title FROM aspects a JOIN categories c ON c.id = a.category_id WHERE a.id = $1",
        )
        .bind(row.aspect_id.clone())
        .fetch_one(&mut *conn)
        .await?;
        let plan = self
            .plan_status(&mut DB::exec(&mut conn), &row.feedback_id)
            .await?;
        let corrupt = |what: &str| StoreError::Corrupt(format!("finding {id}: missing {what}"));
        Ok(FindingView {
            live_due: finding.live_due(),
            finding,
            ord: row.ord,
            feedback_id: row.feedback_id,
            round: round.ok_or_else(|| corrupt("round"))?,
            unit: unit.ok_or_else(|| corrupt("unit"))?,
            category,
            aspect,
            plan,
        })
    }

    /// Events newest first: of one finding, unit or round, by one person, in a date range;
    /// a unit's people see their units' events only.
    pub(crate) async fn load_events(&self, actor: &Actor, q: &EventQuery) -> Result<Page<Event>> {
        authorize(actor, Access::ReadScoped)?;
        let limit = q.limit.clamp(1, 500) as i64;
        let mut st = Stmt::new::<DB>(format!("SELECT {EVENT_COLUMNS} FROM events WHERE 1 = 1"));
        if let Some(f) = &q.finding_id {
            let mut conn = self.pool.acquire().await?;
            let row = self
                .load_finding(&mut DB::exec(&mut conn), f)
                .await?
                .map(|(r, _)| r);
            readable(actor, "问题", f, row.as_ref().map(|r| r.unit_id.as_str()))?;
            // A finding's history includes what happened to its feedback as a whole: the
            // import and the plan's review, which moved it too.
            if let Some(r) = row {
                st.push(" AND (finding_id = ")
                    .bind(f.as_str())
                    .push(" OR (unit_id = ")
                    .bind(r.unit_id)
                    .push(" AND finding_id IS NULL AND entity = 'feedback' AND entity_id = ")
                    .bind(r.feedback_id)
                    .push("))");
            }
        }
        for (column, v) in [
            ("unit_id", &q.unit_id),
            ("round_id", &q.round_id),
            ("actor_id", &q.actor_id),
        ] {
            if let Some(v) = v {
                st.push(&format!(" AND {column} = ")).bind(v.as_str());
            }
        }
        if let Some(from) = q.from {
            st.push(" AND at >= ").bind(from.to_string());
        }
        if let Some(to) = q.to {
            st.push(" AND at < ").bind(to.add_days(1).to_string());
        }
        push_scope(&mut st, actor, "unit_id");
        if let Some(before) = q.before {
            st.push(" AND seq < ").bind(before);
        }
        st.push(" ORDER BY seq DESC LIMIT ").bind(limit + 1);
        let rows: Vec<EventRow> = st.query_as().fetch_all(&self.pool).await?;
        Ok(page(
            rows.into_iter().map(Event::from).collect(),
            limit as usize,
            |e| e.seq,
        ))
    }

    pub(crate) async fn read_evidence(
        &self,
        actor: &Actor,
        finding_id: &str,
        evidence_id: &str,
    ) -> Result<(Evidence, Vec<u8>)> {
        let mut conn = self.pool.acquire().await?;
        let loaded = self
            .load_finding(&mut DB::exec(&mut conn), finding_id)
            .await?;
        readable(
            actor,
            "问题",
            finding_id,
            loaded.as_ref().map(|(r, _)| r.unit_id.as_str()),
        )?;
        let evidence = loaded
            .and_then(|(_, f)| f.evidence.into_iter().find(|e| e.id == evidence_id))
            .ok_or_else(|| StoreError::not_found("佐证材料", evidence_id))?;
        let data: Option<Vec<u8>> = sqlx::query_scalar("SELECT data FROM blobs WHERE id = $1")
            .bind(evidence.sha256.clone())
            .fetch_optional(&mut *conn)
            .await?;
        let data = data.ok_or_else(|| StoreError::not_found("佐证材料文件", &evidence.sha256))?;
        Ok((evidence, data))
    }
}

/// Limits a query to the units the actor may see.
pub(crate) fn push_scope(st: &mut Stmt, actor: &Actor, column: &str) {
    match &actor.scope {
        Scope::All => {}
        Scope::Units(units) if !units.is_empty() => {
            st.push(&format!(" AND {column} IN "))
                .bind_list(units.iter().map(String::as_str));
        }
        Scope::Units(_) | Scope::None => {
            st.push(" AND 1 = 0");
        }
    }
}

/// One page of a query that asked for one row more than `limit`: that row's presence says
/// there is a next page, which continues after the last row kept.
pub(crate) fn page<T>(mut items: Vec<T>, limit: usize, key: impl Fn(&T) -> i64) -> Page<T> {
    let more = items.len() > limit;
    items.truncate(limit);
    let next = if more { items.last().map(key) } else { None };
    Page { items, next }
}
