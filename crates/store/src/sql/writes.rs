//! A unit of work inside the writer's transaction (`writer`): load the aggregate each change
//! is addressed to, let core decide, write the rows that changed and one event per change.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Executor, IntoArguments};
use zhenggai_core::event::NewEvent;
use zhenggai_core::*;

use super::chain::Linker;
use super::reads::hidden;
use super::{by_table, update_rows, write_rows, Arg, Exec, Sql, SqlStore};
use crate::api::{Applied, Work};
use crate::error::{Result, StoreError};
use crate::rows::*;

/// A new row whose id another record holds already: a conflict, not a failure.
fn taken_id(e: StoreError, ids: &[String]) -> StoreError {
    match &e {
        StoreError::Database(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            StoreError::Conflict {
                path: "id".into(),
                message: format!("标识“{}”已被其他记录使用", ids.join("、")),
            }
        }
        _ => e,
    }
}

/// How a unit of work sharing a batch is kept apart from the others. A lone change
/// without files writes nothing until core has accepted it, so a refusal needs no
/// savepoint; it takes one only before rows that a constraint may still refuse (new ids,
/// deletions). Every other unit takes its savepoint before it starts.
#[derive(Default)]
pub(super) struct Guard {
    /// Take the savepoint only when a change inserts or deletes rows.
    pub(super) lazy: bool,
    /// The savepoint is taken.
    pub(super) taken: bool,
    /// Rows were written without a savepoint: a failure after that leaves the batch's
    /// transaction in a state no unit can be answered from.
    pub(super) exposed: bool,
}

/// What core decided about one change, ready to write.
struct Decided {
    diff: Diff,
    effect: Effect,
    round_id: Option<String>,
    unit_id: Option<String>,
    finding_id: Option<String>,
}

#[derive(Serialize)]
struct Payload<'a> {
    change: &'a Change,
    result: &'a Effect,
}

/// A round or a unit as stored.
enum Setup {
    Round(Round),
    Unit(Unit),
}

impl Setup {
    fn row(&self) -> Row {
        match self {
            Setup::Round(r) => round_row(r),
            Setup::Unit(u) => unit_row(u),
        }
    }
}

/// Rounds and units created without an id get a fresh one.
fn fill_id(change: &mut Change) {
    let fresh = |prefix: &str| {
        format!(
            "{prefix}-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        )
    };
    match change {
        Change::CreateRound { round } if round.id.is_empty() => round.id = fresh("r"),
        Change::CreateUnit { unit } if unit.id.is_empty() => unit.id = fresh("u"),
        _ => {}
    }
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
    /// One unit of work inside the batch's transaction.
    pub(super) async fn apply_in(
        &self,
        tx: &mut impl Exec,
        linker: &mut Linker,
        actor: &Actor,
        work: Work,
        guard: &mut Guard,
    ) -> Result<Vec<Applied>> {
        let mut changes = work.changes;
        changes.iter_mut().for_each(fill_id);
        let today = self.clock.today();
        let mut uploaded = HashMap::new();
        for bytes in &work.blobs {
            uploaded.insert(self.put_blob(tx, bytes).await?, bytes.len() as u64);
        }
        let mut out = Vec::with_capacity(changes.len());
        for change in &changes {
            let d = self.decide(tx, actor, today, change, &uploaded).await?;
            if guard.lazy && !guard.taken {
                if d.diff.inserts.is_empty() && d.diff.deletes.is_empty() {
                    guard.exposed = true;
                } else {
                    tx.execute("SAVEPOINT unit", Vec::new()).await?;
                    guard.taken = true;
                }
            }
            update_rows::<DB>(tx, d.diff.updates).await?;
            for (table, rows) in by_table(d.diff.inserts) {
                let ids: Vec<String> = rows.iter().map(|r| r.id().to_string()).collect();
                write_rows::<DB>(tx, table, rows)
                    .await
                    .map_err(|e| taken_id(e, &ids))?;
            }
            for (table, id) in &d.diff.deletes {
                tx.execute(
                    &format!("DELETE FROM {} WHERE id = $1", table.name),
                    vec![id.as_str().into()],
                )
                .await?;
            }
            let payload = Payload {
                change,
                result: &d.effect,
            };
            let event = NewEvent::new(
                &actor.user_id,
                &actor.name,
                d.effect.entity,
                &d.effect.entity_id,
                change.name(),
                &payload,
            )
            .placed(
                d.round_id.as_deref(),
                d.unit_id.as_deref(),
                d.finding_id.as_deref(),
            )
            .with_states(&d.diff.states);
            out.push(Applied {
                seq: linker.link(event),
                action: change.name().to_string(),
                effect: d.effect,
            });
        }
        Ok(out)
    }

    /// Stores a file's bytes once by their sha256.
    pub(crate) async fn put_blob(&self, conn: &mut impl Exec, bytes: &[u8]) -> Result<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        conn.execute(
            "INSERT INTO blobs (id, size, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            vec![
                sha.as_str().into(),
                (bytes.len() as i64).into(),
                Arg::Bytes(bytes.to_vec()),
            ],
        )
        .await?;
        Ok(sha)
    }

    async fn decide(
        &self,
        conn: &mut impl Exec,
        actor: &Actor,
        today: Date,
        change: &Change,
        uploaded: &HashMap<String, u64>,
    ) -> Result<Decided> {
        match change.target() {
            Target::Round(_) | Target::Unit(_) => self.decide_setup(conn, actor, change).await,
            Target::Feedback(id) => {
                let tree = self.load_tree(conn, id).await?;
                let Some((mut fb, ords)) = tree.filter(|(f, _)| actor.scope.covers(&f.unit_id))
                else {
                    return Err(hidden(actor, change.zh(), "反馈", id));
                };
                let ord = |f: &Finding| ords.get(&f.id).copied().unwrap_or_default();
                let before = RowSet::new(feedback_rows(&fb, ord));
                let effect = fb.apply_plan(actor, today, change)?;
                let diff = before.diff(&RowSet::new(feedback_rows(&fb, ord)));
                Ok(Decided {
                    diff,
                    effect,
                    round_id: Some(fb.round_id),
                    unit_id: Some(fb.unit_id),
                    finding_id: None,
                })
            }
            Target::Finding(_) | Target::Measure(_) => {
                self.decide_finding(conn, actor, today, change, uploaded)
                    .await
            }
        }
    }

    /// A round or a unit: created when new, replaced when edited.
    async fn decide_setup(
        &self,
        conn: &mut impl Exec,
        actor: &Actor,
        change: &Change,
    ) -> Result<Decided> {
        let stored = match change.target() {
            Target::Round(id) => self.load_round(conn, id).await?.map(Setup::Round),
            Target::Unit(id) => self.load_unit(conn, id).await?.map(Setup::Unit),
            _ => None,
        };
        let before = RowSet::new(stored.iter().map(Setup::row));
        let exists = stored.is_some();
        let (effect, after) = match (change, stored) {
            (Change::CreateRound { round }, _) => (
                setup_rules::create(actor, change, exists)?,
                Setup::Round(round.clone()),
            ),
            (Change::CreateUnit { unit }, _) => (
                setup_rules::create(actor, change, exists)?,
                Setup::Unit(unit.clone()),
            ),
            (_, Some(Setup::Round(mut r))) => (
                setup_rules::edit_round(actor, &mut r, change)?,
                Setup::Round(r),
            ),
            (_, Some(Setup::Unit(mut u))) => (
                setup_rules::edit_unit(actor, &mut u, change)?,
                Setup::Unit(u),
            ),
            (_, None) => {
                let (what, id) = match change.target() {
                    Target::Round(id) => ("巡察轮次", id),
                    Target::Unit(id) => ("单位", id),
                    _ => ("记录", ""),
                };
                return Err(hidden(actor, change.zh(), what, id));
            }
        };
        let (round_id, unit_id) = match &after {
            Setup::Round(r) => (Some(r.id.clone()), None),
            Setup::Unit(u) => (None, Some(u.id.clone())),
        };
        Ok(Decided {
            diff: before.diff(&RowSet::new([after.row()])),
            effect,
            round_id,
            unit_id,
            finding_id: None,
        })
    }

    async fn decide_finding(
        &self,
        conn: &mut impl Exec,
        actor: &Actor,
        today: Date,
        change: &Change,
        uploaded: &HashMap<String, u64>,
    ) -> Result<Decided> {
        let (what, id, by_measure) = match change.target() {
            Target::Measure(m) => ("整改措施", m, true),
            Target::Finding(f) => ("问题", f, false),
            _ => ("问题", "", false),
        };
        let loaded = self.load_for_change(conn, id, by_measure).await?;
        let Some((row, mut finding, plan)) =
            loaded.filter(|(r, _, _)| actor.scope.covers(&r.unit_id))
        else {
            return Err(hidden(actor, change.zh(), what, id));
        };
        if let Change::AttachEvidence { evidence, .. } = change {
            self.check_file(conn, uploaded, &evidence.sha256, evidence.size)
                .await?;
        }
        let place = row.place();
        let taken = match change {
            Change::AddMeasure { .. } => {
                let ids: Vec<(String,)> = conn
                    .fetch_all(
                        "SELECT id FROM measures WHERE feedback_id = $1 AND finding_id <> $2",
                        vec![place.feedback_id.as_str().into(), row.id.as_str().into()],
                    )
                    .await?;
                ids.into_iter().map(|(id,)| id).collect()
            }
            _ => Vec::new(),
        };
        let ctx = FindingContext {
            unit_id: &place.unit_id,
            plan,
            today,
            taken: &taken,
        };
        let before = RowSet::new(finding_rows(&place, &finding));
        let effect = finding.apply(actor, &ctx, change)?;
        let diff = before.diff(&RowSet::new(finding_rows(&place, &finding)));
        Ok(Decided {
            diff,
            effect,
            round_id: Some(place.round_id),
            unit_id: Some(place.unit_id),
            finding_id: Some(finding.id),
        })
    }

    /// An evidence item must describe a file that was uploaded, by its sha256 and size.
    async fn check_file(
        &self,
        conn: &mut impl Exec,
        uploaded: &HashMap<String, u64>,
        sha256: &str,
        size: u64,
    ) -> Result<()> {
        let stored = match uploaded.get(sha256) {
            Some(n) => Some(*n as i64),
            None => conn
                .fetch_optional::<(i64,)>(
                    "SELECT size FROM blobs WHERE id = $1",
                    vec![sha256.into()],
                )
                .await?
                .map(|(n,)| n),
        };
        match stored {
            None => Err(CoreError::invalid("evidence.sha256", "没有收到这份佐证材料的文件").into()),
            Some(n) if n != size as i64 => {
                Err(CoreError::invalid("evidence.size", "与收到的文件大小不符").into())
            }
            Some(_) => Ok(()),
        }
    }
}
