//! The reads pages make most: a feedback's heading and its ledger, a finding with its
//! history (served from `page_cache` while nothing they show has changed), and findings
//! filtered and keyset-paged.

use std::collections::HashMap;

use sqlx::{Executor, IntoArguments};
use zhenggai_core::event::Event;
use zhenggai_core::*;

use super::page_cache::{Cached, Place, Stamp};
use super::reads::{page, push_scope, readable, select, select_json};
use super::{Sql, SqlStore, Stmt};
use crate::api::*;
use crate::error::{Result, StoreError};
use crate::rows::*;

/// Read from a JSON array in the order of `LINE_COLUMNS`.
#[derive(Debug, serde::Deserialize)]
struct LineRow {
    id: String,
    ord: i64,
    feedback_id: String,
    aspect_id: String,
    round_id: String,
    unit_id: String,
    unit: String,
    title: String,
    status: String,
    live_due: Option<String>,
    returned: i64,
    measures: i64,
    measures_done: i64,
    extension_pending: i64,
}

const LINE_COLUMNS: &str = "id, ord, feedback_id, aspect_id, round_id, unit_id, unit, title, status, live_due, returned, measures, measures_done, extension_pending";

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
    pub(crate) async fn read_feedback_head(&self, actor: &Actor, id: &str) -> Result<FeedbackHead> {
        let record = format!("feedback:{id}");
        let Some(place) = self.pages.place(&record) else {
            let head = self.load_feedback_head(actor, id).await?;
            self.pages
                .remember(&record, place_of(&head.unit.id, &head.round.id));
            return Ok(head);
        };
        readable(actor, "反馈", id, Some(&place.unit_id))?;
        let load = async {
            let head = self.load_feedback_head(actor, id).await?;
            Ok(Cached::Head(Box::new(head)))
        };
        match self
            .through_cache(&record, &place, "head".into(), load)
            .await?
        {
            Cached::Head(head) => Ok(*head),
            _ => Err(mixed_up()),
        }
    }

    /// A finding with its measures and where it hangs, from `page_cache` while its stamp
    /// holds.
    pub(crate) async fn read_finding(&self, actor: &Actor, id: &str) -> Result<FindingView> {
        let record = format!("finding:{id}");
        let Some(place) = self.pages.place(&record) else {
            let view = self.load_finding_view(actor, id).await?;
            self.pages
                .remember(&record, place_of(&view.unit.id, &view.round.id));
            return Ok(view);
        };
        readable(actor, "问题", id, Some(&place.unit_id))?;
        let load = async {
            let view = self.load_finding_view(actor, id).await?;
            Ok(Cached::Finding(Box::new(view)))
        };
        match self
            .through_cache(&record, &place, "view".into(), load)
            .await?
        {
            Cached::Finding(view) => Ok(*view),
            _ => Err(mixed_up()),
        }
    }

    /// Events newest first; a finding's history from `page_cache` while its stamp holds
    /// (every event of a finding and of its feedback is placed on its unit).
    pub(crate) async fn read_events(&self, actor: &Actor, q: &EventQuery) -> Result<Page<Event>> {
        authorize(actor, Access::ReadScoped)?;
        let record = q.finding_id.as_ref().map(|f| format!("finding:{f}"));
        let Some((record, place)) = record.and_then(|r| self.pages.place(&r).map(|p| (r, p)))
        else {
            return self.load_events(actor, q).await;
        };
        let finding = q.finding_id.as_deref().unwrap_or_default();
        readable(actor, "问题", finding, Some(&place.unit_id))?;
        let load = async { Ok(Cached::Events(self.load_events(actor, q).await?)) };
        match self
            .through_cache(&record, &place, format!("events {q:?}"), load)
            .await?
        {
            Cached::Events(page) => Ok(page),
            _ => Err(mixed_up()),
        }
    }

    /// The read `read` of `record` as kept under the current stamp, or else `load`ed (after
    /// the stamp: an async block does nothing until awaited) and kept.
    async fn through_cache(
        &self,
        record: &str,
        place: &Place,
        read: String,
        load: impl std::future::Future<Output = Result<Cached>>,
    ) -> Result<Cached> {
        let stamp = self.stamp(place).await?;
        if let Some(hit) = self.pages.get(record, &stamp, &read) {
            return Ok(hit);
        }
        let value = load.await?;
        self.pages.put(record, place, &stamp, read, value.clone());
        Ok(value)
    }

    /// What a record's pages show changed last (`page_cache`): read before the data.
    pub(crate) async fn stamp(&self, place: &Place) -> Result<Stamp> {
        let (unit_seq, round_body): (Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT (SELECT MAX(seq) FROM events WHERE unit_id = $1), \
             (SELECT body FROM rounds WHERE id = $2)",
        )
        .bind(place.unit_id.clone())
        .bind(place.round_id.clone())
        .fetch_one(&self.pool)
        .await?;
        Ok(Stamp {
            unit_seq,
            round_body,
        })
    }

    async fn load_feedback_head(&self, actor: &Actor, id: &str) -> Result<FeedbackHead> {
        let mut conn = self.pool.acquire().await?;
        let row: Option<FeedbackRow> = sqlx::query_as(&select(FEEDBACKS, "id = $1"))
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        readable(actor, "反馈", id, row.as_ref().map(|r| r.unit_id.as_str()))?;
        let Some(row) = row else {
            return Err(StoreError::not_found("反馈", id));
        };
        let head = row.head()?;
        let corrupt = |what: &str| StoreError::Corrupt(format!("feedback {id}: missing {what}"));
        let mut e = DB::exec(&mut conn);
        Ok(FeedbackHead {
            round: self
                .load_round(&mut e, &head.round_id)
                .await?
                .ok_or_else(|| corrupt("round"))?,
            unit: self
                .load_unit(&mut e, &head.unit_id)
                .await?
                .ok_or_else(|| corrupt("unit"))?,
            id: head.id,
            date: head.date,
            plan: head.plan,
        })
    }

    /// Keyset-paged findings, filtered as asked and to what the actor may see.
    pub(crate) async fn read_findings(
        &self,
        actor: &Actor,
        today: Date,
        q: &FindingQuery,
    ) -> Result<Page<FindingLine>> {
        authorize(actor, Access::ReadScoped)?;
        let limit = q.limit.clamp(1, 500) as i64;
        let (open, close) = DB::JSON_ROWS;
        let mut st = Stmt::new::<DB>(format!(
            "SELECT {open}{LINE_COLUMNS}{close} FROM (\
             SELECT f.id, f.ord, f.feedback_id, f.aspect_id, f.round_id, f.unit_id, u.name AS unit, f.title, f.status, f.live_due, f.returned, \
             (SELECT COUNT(*) FROM measures m WHERE m.finding_id = f.id) AS measures, \
             (SELECT COUNT(*) FROM measures m WHERE m.finding_id = f.id AND m.complete = 1) AS measures_done, \
             (SELECT COUNT(*) FROM measures m WHERE m.finding_id = f.id AND m.pending_extension = 1) AS extension_pending \
             FROM findings f JOIN units u ON u.id = f.unit_id WHERE 1 = 1",
        ));
        for (column, v) in [
            ("round_id", &q.round_id),
            ("unit_id", &q.unit_id),
            ("feedback_id", &q.feedback_id),
        ] {
            if let Some(v) = v {
                st.push(&format!(" AND f.{column} = ")).bind(v.as_str());
            }
        }
        if let Some(s) = q.status {
            st.push(" AND f.status = ").bind(s.as_str());
        }
        if let Some(owner) = &q.owner {
            st.push(
                " AND EXISTS (SELECT 1 FROM measures m WHERE m.finding_id = f.id AND m.owner = ",
            )
            .bind(owner.as_str())
            .push(")");
        }
        if q.overdue {
            st.push(" AND f.live_due < ").bind(today.to_string());
        }
        if q.returned {
            st.push(" AND f.returned = 1");
        }
        if q.extension_pending {
            st.push(" AND EXISTS (SELECT 1 FROM measures m WHERE m.finding_id = f.id AND m.pending_extension = 1)");
        }
        if let Some(colour) = q.warning {
            self.push_warning(&mut st, today, colour, q.round_id.as_deref())
                .await?;
        }
        push_scope(&mut st, actor, "f.unit_id");
        if let Some(after) = q.after {
            st.push(" AND f.ord > ").bind(after);
        }
        st.push(" ORDER BY f.ord LIMIT ")
            .bind(limit + 1)
            .push(") page");
        let (json,): (String,) = st.query_as().fetch_one(&self.pool).await?;
        let mut rows: Vec<LineRow> = serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("a page of findings: {e}")))?;
        // The aggregate need not keep the inner order.
        rows.sort_by_key(|r| r.ord);
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            items.push(FindingLine {
                status: FindingStatus::parse(&r.status)
                    .ok_or_else(|| StoreError::Corrupt(format!("finding {}", r.id)))?,
                live_due: r.live_due.as_deref().and_then(|d| Date::parse(d).ok()),
                id: r.id,
                ord: r.ord,
                feedback_id: r.feedback_id,
                aspect_id: r.aspect_id,
                round_id: r.round_id,
                unit_id: r.unit_id,
                unit: r.unit,
                title: r.title,
                measures: r.measures,
                measures_done: r.measures_done,
                returned: r.returned != 0,
                extension_pending: r.extension_pending > 0,
            });
        }
        Ok(page(items, limit as usize, |l| l.ord))
    }

    /// A page of findings with their measures and titles; a feedback's pages are served
    /// from `page_cache` while its stamp holds.
    pub(crate) async fn read_ledger(
        &self,
        actor: &Actor,
        today: Date,
        q: &FindingQuery,
    ) -> Result<Page<LedgerLine>> {
        authorize(actor, Access::ReadScoped)?;
        let Some(feedback) = q.feedback_id.as_deref() else {
            return self.load_ledger(actor, today, q).await;
        };
        let record = format!("feedback:{feedback}");
        let Some(place) = self.pages.place(&record) else {
            let page = self.load_ledger(actor, today, q).await?;
            if let Some(l) = page.items.first() {
                self.pages
                    .remember(&record, place_of(&l.line.unit_id, &l.line.round_id));
            }
            return Ok(page);
        };
        // Someone outside the unit gets what the query gives them (nothing), uncached.
        if readable(actor, "反馈", feedback, Some(&place.unit_id)).is_err() {
            return self.load_ledger(actor, today, q).await;
        }
        let load = async { Ok(Cached::Ledger(self.load_ledger(actor, today, q).await?)) };
        let read = format!("ledger {q:?} {today}");
        match self.through_cache(&record, &place, read, load).await? {
            Cached::Ledger(page) => Ok(page),
            _ => Err(mixed_up()),
        }
    }

    /// A page of findings with their measures and titles: three statements whatever the
    /// page's length.
    async fn load_ledger(
        &self,
        actor: &Actor,
        today: Date,
        q: &FindingQuery,
    ) -> Result<Page<LedgerLine>> {
        let page = self.read_findings(actor, today, q).await?;
        if page.items.is_empty() {
            return Ok(Page {
                items: vec![],
                next: None,
            });
        }
        let ids: Vec<&str> = page.items.iter().map(|l| l.id.as_str()).collect();
        let mut st = Stmt::new::<DB>(select_json::<DB>(MEASURES, "finding_id IN "));
        st.bind_list(ids.iter().copied());
        let (json,): (String,) = st.query_as().fetch_one(&self.pool).await?;
        let measures: Vec<MeasureRow> = serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("measures of a page: {e}")))?;
        let mut measures = measures_by_finding(measures)?;
        let mut aspects: Vec<&str> = page.items.iter().map(|l| l.aspect_id.as_str()).collect();
        aspects.sort_unstable();
        aspects.dedup();
        let mut st = Stmt::new::<DB>(
            "SELECT a.id, a.title, c.title FROM aspects a JOIN categories c ON c.id = a.category_id WHERE a.id IN ",
        );
        st.bind_list(aspects);
        let titles: Vec<(String, String, String)> = st.query_as().fetch_all(&self.pool).await?;
        let titles: HashMap<String, (String, String)> =
            titles.into_iter().map(|(id, a, c)| (id, (c, a))).collect();
        let items = page
            .items
            .into_iter()
            .map(|line| {
                let (category, aspect) = titles.get(&line.aspect_id).cloned().unwrap_or_default();
                LedgerLine {
                    measures: measures.remove(&line.id).unwrap_or_default(),
                    category,
                    aspect,
                    line,
                }
            })
            .collect();
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// The colour a finding's live due date gives today differs by round: one condition
    /// per round, each with its own policy's window.
    async fn push_warning(
        &self,
        st: &mut Stmt,
        today: Date,
        colour: Warning,
        round: Option<&str>,
    ) -> Result<()> {
        let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM rounds")
            .fetch_all(&self.pool)
            .await?;
        st.push(" AND (1 = 0");
        for body in bodies {
            let r: Round = serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("round: {e}")))?;
            if round.is_some_and(|id| id != r.id) {
                continue;
            }
            let (yellow, green) = r.policy.warning_window(today);
            st.push(" OR (f.round_id = ").bind(r.id.as_str());
            match colour {
                Warning::Red => st.push(" AND f.live_due < ").bind(today.to_string()),
                Warning::Yellow => st
                    .push(" AND f.live_due >= ")
                    .bind(today.to_string())
                    .push(" AND f.live_due <= ")
                    .bind(yellow.to_string()),
                Warning::Green => st
                    .push(" AND f.live_due > ")
                    .bind(yellow.to_string())
                    .push(" AND f.live_due <= ")
                    .bind(green.to_string()),
            };
            st.push(")");
        }
        st.push(")");
        Ok(())
    }
}

/// A cached read of one kind found under the key of another: keys name their kind, so
/// this is a defect, not bad input.
fn mixed_up() -> StoreError {
    StoreError::Internal("page cache: a read kept under another kind's key".into())
}

pub(crate) fn place_of(unit_id: &str, round_id: &str) -> Place {
    Place {
        unit_id: unit_id.to_string(),
        round_id: round_id.to_string(),
    }
}
