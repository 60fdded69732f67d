//! Roll-ups per round and unit over what the actor may see: findings by status, overdue,
//! warnings under each round's policy, completion and outcome totals.

use std::collections::HashMap;

use sqlx::{Executor, FromRow, IntoArguments};
use zhenggai_core::stats::{completion_rate, OutcomeTotals, UnitStats};
use zhenggai_core::*;

use super::reads::push_scope;
use super::{Sql, SqlStore, Stmt};
use crate::error::{Result, StoreError};

#[derive(FromRow)]
struct Head {
    id: String,
    round_id: String,
    round: String,
    unit_id: String,
    unit: String,
}

#[derive(FromRow)]
struct Tally {
    feedback_id: String,
    status: String,
    n: i64,
    overdue: i64,
}

#[derive(FromRow)]
struct OutcomeSum {
    feedback_id: String,
    r#type: String,
    kind: Option<String>,
    total: i64,
}

#[derive(FromRow)]
struct Colours {
    feedback_id: String,
    yellow: i64,
    green: i64,
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
    pub(crate) async fn read_stats(&self, actor: &Actor, today: Date) -> Result<Vec<UnitStats>> {
        authorize(actor, Access::ReadScoped)?;
        let mut tx = self.pool.begin_with(DB::BEGIN_SNAPSHOT).await?;
        let mut st = Stmt::new::<DB>(
            "SELECT f.id, f.round_id, r.name AS round, f.unit_id, u.name AS unit \
             FROM feedbacks f JOIN rounds r ON r.id = f.round_id JOIN units u ON u.id = f.unit_id WHERE 1 = 1",
        );
        push_scope(&mut st, actor, "f.unit_id");
        let heads: Vec<Head> = st.query_as().fetch_all(&mut *tx).await?;
        let mut out: Vec<UnitStats> = Vec::new();
        let mut slot_of_pair: HashMap<(String, String), usize> = HashMap::new();
        let mut slot: HashMap<String, usize> = HashMap::new();
        for h in heads {
            let i = *slot_of_pair
                .entry((h.round_id.clone(), h.unit_id.clone()))
                .or_insert_with(|| {
                    out.push(UnitStats {
                        round_id: h.round_id.clone(),
                        round: h.round.clone(),
                        unit_id: h.unit_id.clone(),
                        unit: h.unit.clone(),
                        findings: 0,
                        by_status: Default::default(),
                        overdue: 0,
                        warnings: Default::default(),
                        completion_rate: 0.0,
                        outcomes: OutcomeTotals::default(),
                    });
                    out.len() - 1
                });
            slot.insert(h.id, i);
        }
        let mut st = Stmt::new::<DB>(
            "SELECT feedback_id, status, COUNT(*) AS n, CAST(SUM(CASE WHEN live_due < ",
        );
        st.bind(today.to_string());
        st.push(" THEN 1 ELSE 0 END) AS BIGINT) AS overdue FROM findings WHERE 1 = 1");
        push_scope(&mut st, actor, "unit_id");
        st.push(" GROUP BY feedback_id, status");
        let tallies: Vec<Tally> = st.query_as().fetch_all(&mut *tx).await?;
        for t in tallies {
            if let (Some(s), Some(st)) = (
                slot.get(&t.feedback_id).and_then(|i| out.get_mut(*i)),
                FindingStatus::parse(&t.status),
            ) {
                *s.by_status.entry(st).or_default() += t.n;
                s.findings += t.n;
                s.overdue += t.overdue;
            }
        }
        let mut st = Stmt::new::<DB>("SELECT feedback_id, type, kind, CAST(SUM(amount) AS BIGINT) AS total FROM outcomes WHERE 1 = 1");
        if actor.scope != Scope::All {
            st.push(" AND feedback_id IN (SELECT id FROM feedbacks WHERE 1 = 1");
            push_scope(&mut st, actor, "unit_id");
            st.push(")");
        }
        st.push(" GROUP BY feedback_id, type, kind");
        let sums: Vec<OutcomeSum> = st.query_as().fetch_all(&mut *tx).await?;
        for r in sums {
            if let Some(s) = slot.get(&r.feedback_id).and_then(|i| out.get_mut(*i)) {
                let o = &mut s.outcomes;
                match (r.r#type.as_str(), r.kind) {
                    ("money", Some(k)) => *o.money_fen.entry(k).or_default() += r.total,
                    ("rule", Some(k)) => *o.rules.entry(k).or_default() += r.total,
                    ("accountability", _) => o.accountability_people += r.total,
                    ("meeting", _) => o.meetings += r.total,
                    ("quantity", _) => o.quantities += r.total,
                    _ => {}
                }
            }
        }
        // Yellow and green: each round under its own policy.
        let rounds: Vec<String> = sqlx::query_scalar("SELECT body FROM rounds")
            .fetch_all(&mut *tx)
            .await?;
        for body in rounds {
            let round: Round = serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("round: {e}")))?;
            let (yellow_until, green_until) = round.policy.warning_window(today);
            let mut st = Stmt::new::<DB>("SELECT feedback_id, CAST(SUM(CASE WHEN live_due <= ");
            st.bind(yellow_until.to_string());
            st.push(" THEN 1 ELSE 0 END) AS BIGINT) AS yellow, CAST(SUM(CASE WHEN live_due > ");
            st.bind(yellow_until.to_string());
            st.push(" THEN 1 ELSE 0 END) AS BIGINT) AS green FROM findings WHERE round_id = ");
            st.bind(round.id.as_str());
            st.push(" AND live_due >= ").bind(today.to_string());
            st.push(" AND live_due <= ").bind(green_until.to_string());
            push_scope(&mut st, actor, "unit_id");
            st.push(" GROUP BY feedback_id");
            let colours: Vec<Colours> = st.query_as().fetch_all(&mut *tx).await?;
            for c in colours {
                if let Some(s) = slot.get(&c.feedback_id).and_then(|i| out.get_mut(*i)) {
                    s.warnings.yellow += c.yellow;
                    s.warnings.green += c.green;
                }
            }
        }
        tx.rollback().await?;
        for s in &mut out {
            s.completion_rate = completion_rate(&s.by_status);
            s.warnings.red = s.overdue;
        }
        out.sort_by(|a, b| (&a.round_id, &a.unit_id).cmp(&(&b.round_id, &b.unit_id)));
        Ok(out)
    }
}
