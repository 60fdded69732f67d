//! Imports: whole records validated by core, buffered and written in large statements,
//! all in one transaction with an event per round, unit, feedback and finding.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use serde::Serialize;
use sqlx::{Executor, IntoArguments, Transaction};
use zhenggai_core::event::NewEvent;
use zhenggai_core::validate;
use zhenggai_core::*;

mod bulk_journal;
mod indexes;
mod paths;

use paths::path_of;

use super::chain::Linker;
use super::{by_table, write_rows, Sql, SqlStore, Stmt};
use crate::api::ImportSummary;
use crate::error::{Result, StoreError};
use crate::rows::*;
use crate::ImportTx;

/// Rows buffered before an import writes them, bounding its memory.
const FLUSH_ROWS: usize = 20_000;

/// The import's transaction: ready, or lent to a task writing the last batch while the
/// next one is prepared (parsing, checking and hashing overlap with the database's work).
pub(super) enum Slot<DB: Sql> {
    Ready(Transaction<'static, DB>),
    Writing(tokio::task::JoinHandle<(Transaction<'static, DB>, Result<()>)>),
    Gone,
}

pub struct Import<DB: Sql> {
    store: SqlStore<DB>,
    slot: Slot<DB>,
    actor: Actor,
    linker: Linker,
    pending: Vec<Row>,
    /// Hashes of every (table, id) this import wrote. A hit may be a true duplicate or a
    /// hash collision, and is settled by asking the database.
    seen: HashSet<u64>,
    /// When the import started on an empty ledger, only ids it wrote itself can clash.
    was_empty: bool,
    rounds: HashSet<String>,
    units: HashSet<String>,
    summary: ImportSummary,
    /// Indexes dropped for a bulk load into an empty ledger, rebuilt before commit.
    dropped: Vec<(String, String)>,
    /// Returns to the write-ahead log when the import left it (`Sql::BULK_JOURNAL`).
    back_to_log: Option<bulk_journal::BackToLog>,
}

impl<DB: Sql> Drop for Import<DB> {
    /// An import given up (refused input, a failure) returns to the write-ahead log once
    /// its transaction has rolled back; a committed one has done so already.
    fn drop(&mut self) {
        if let Some(back) = self.back_to_log.take() {
            let slot = std::mem::replace(&mut self.slot, Slot::Gone);
            bulk_journal::after_giving_up(slot, back);
        }
    }
}

fn id_hash(table: &str, id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (table, id).hash(&mut h);
    h.finish()
}

#[derive(Serialize)]
struct FeedbackImported<'a> {
    id: &'a str,
    round_id: &'a str,
    unit_id: &'a str,
    date: Date,
    plan: PlanStatus,
    categories: usize,
    findings: usize,
}

#[derive(Serialize)]
struct FindingImported<'a> {
    id: &'a str,
    title: &'a str,
    status: FindingStatus,
    measures: usize,
    evidence: usize,
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
    pub(crate) async fn start_import(&self, actor: &Actor) -> Result<Import<DB>> {
        authorize(actor, Access::Import)?;
        let back_to_log = self.leave_log_for_import().await;
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let linker = self.lock_head(&mut tx).await?;
        let was_empty = linker.head.0 == 0;
        let dropped = if was_empty {
            indexes::drop_secondary(&mut tx).await?
        } else {
            Vec::new()
        };
        let rounds: Vec<String> = sqlx::query_scalar("SELECT id FROM rounds")
            .fetch_all(&mut *tx)
            .await?;
        let units: Vec<String> = sqlx::query_scalar("SELECT id FROM units")
            .fetch_all(&mut *tx)
            .await?;
        Ok(Import {
            store: self.handle(),
            slot: Slot::Ready(tx),
            actor: actor.clone(),
            linker,
            pending: Vec::new(),
            seen: HashSet::new(),
            was_empty,
            rounds: rounds.into_iter().collect(),
            units: units.into_iter().collect(),
            summary: ImportSummary::default(),
            dropped,
            back_to_log,
        })
    }
}

impl<DB: Sql> Import<DB>
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
    /// Queues rows and the event that vouches for them.
    fn record<T: Serialize + ?Sized>(
        &mut self,
        rows: Vec<Row>,
        entity: &str,
        id: &str,
        payload: &T,
        place: [Option<&str>; 3],
    ) {
        let states: Vec<_> = rows
            .iter()
            .map(|r| zhenggai_core::event::RowState(r.table.name.into(), r.id().into(), r.hash()))
            .collect();
        for r in &rows {
            self.seen.insert(id_hash(r.table.name, r.id()));
        }
        self.pending.extend(rows);
        let event = NewEvent::new(
            &self.actor.user_id,
            &self.actor.name,
            entity,
            id,
            "import",
            payload,
        )
        .placed(place[0], place[1], place[2])
        .with_states(&states);
        self.linker.link(event);
        self.summary.events += 1;
    }

    /// The transaction, once the batch being written (if any) is in.
    async fn tx(&mut self) -> Result<&mut Transaction<'static, DB>> {
        if matches!(self.slot, Slot::Writing(_)) {
            let Slot::Writing(handle) = std::mem::replace(&mut self.slot, Slot::Gone) else {
                return Err(StoreError::Internal("import transaction lost".into()));
            };
            let (tx, written) = handle
                .await
                .map_err(|e| StoreError::Internal(format!("import writer: {e}")))?;
            self.slot = Slot::Ready(tx);
            written?;
        }
        match &mut self.slot {
            Slot::Ready(tx) => Ok(tx),
            _ => Err(StoreError::Internal("import transaction lost".into())),
        }
    }

    /// Hands the queued rows and events to a task that writes them, and returns at once.
    async fn flush(&mut self) -> Result<()> {
        self.tx().await?;
        let Slot::Ready(mut tx) = std::mem::replace(&mut self.slot, Slot::Gone) else {
            return Err(StoreError::Internal("import transaction lost".into()));
        };
        let rows = std::mem::take(&mut self.pending);
        let events = std::mem::take(&mut self.linker.events);
        self.slot = Slot::Writing(tokio::spawn(async move {
            let written = async {
                for (table, rows) in by_table(rows) {
                    write_rows::<DB>(&mut DB::exec(&mut tx), table, rows).await?;
                }
                write_rows::<DB>(&mut DB::exec(&mut tx), EVENTS, events).await
            }
            .await;
            (tx, written)
        }));
        Ok(())
    }

    /// Equal to what is stored: leave it. Different: refuse.
    fn same_or_conflict(&mut self, same: bool, path: &str, id: &str) -> Result<()> {
        if same {
            self.summary.unchanged += 1;
            Ok(())
        } else {
            Err(StoreError::Conflict {
                path: format!("{path}.id"),
                message: format!("标识“{id}”已存在且内容不同，未导入任何内容"),
            })
        }
    }

    /// Ids of `table` among `ids` that are stored already.
    async fn stored_ids(&mut self, table: &str, ids: &[&str]) -> Result<Vec<String>> {
        let mut found = Vec::new();
        for chunk in ids.chunks(10_000) {
            let mut st = Stmt::new::<DB>(format!("SELECT id FROM {table} WHERE id IN "));
            st.bind_list(chunk.iter().copied());
            let rows: Vec<(String,)> = st.query_as().fetch_all(&mut **self.tx().await?).await?;
            found.extend(rows.into_iter().map(|(id,)| id));
        }
        Ok(found)
    }

    /// Refuses a tree whose records reuse ids stored already or written by this import.
    async fn check_clashes(&mut self, path: &str, f: &Feedback, rows: &[Row]) -> Result<()> {
        let mut by_table: HashMap<&'static str, Vec<&str>> = HashMap::new();
        for r in rows {
            let suspect = !self.was_empty || self.seen.contains(&id_hash(r.table.name, r.id()));
            if suspect {
                by_table.entry(r.table.name).or_default().push(r.id());
            }
        }
        for (table, ids) in by_table {
            self.flush().await?;
            if let Some(id) = self.stored_ids(table, &ids).await?.into_iter().next() {
                return Err(StoreError::Conflict {
                    path: format!("{}.id", path_of(f, path, &id)),
                    message: format!("标识“{id}”已被其他记录使用，未导入任何内容"),
                });
            }
        }
        Ok(())
    }
}

#[async_trait]
impl<DB: Sql> ImportTx for Import<DB>
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
    async fn put_round(&mut self, path: &str, round: &Round) -> Result<()> {
        validate::round(path, round)?;
        if self.rounds.insert(round.id.clone()) {
            let place = [Some(round.id.as_str()), None, None];
            self.record(vec![round_row(round)], "round", &round.id, round, place);
            self.summary.rounds += 1;
            return Ok(());
        }
        self.flush().await?;
        let store = self.store.handle();
        let stored = store
            .load_round(&mut DB::exec(self.tx().await?), &round.id)
            .await?;
        self.same_or_conflict(stored.as_ref() == Some(round), path, &round.id)
    }

    async fn put_unit(&mut self, path: &str, unit: &Unit) -> Result<()> {
        validate::unit(path, unit)?;
        if self.units.insert(unit.id.clone()) {
            let place = [None, Some(unit.id.as_str()), None];
            self.record(vec![unit_row(unit)], "unit", &unit.id, unit, place);
            self.summary.units += 1;
            return Ok(());
        }
        self.flush().await?;
        let store = self.store.handle();
        let stored = store
            .load_unit(&mut DB::exec(self.tx().await?), &unit.id)
            .await?;
        self.same_or_conflict(stored.as_ref() == Some(unit), path, &unit.id)
    }

    async fn put_feedback(&mut self, path: &str, f: &Feedback) -> Result<()> {
        validate::feedback(
            path,
            f,
            |r| self.rounds.contains(r),
            |u| self.units.contains(u),
        )?;
        if !self.was_empty || self.seen.contains(&id_hash("feedbacks", &f.id)) {
            self.flush().await?;
            let store = self.store.handle();
            let stored = store
                .load_tree(&mut DB::exec(self.tx().await?), &f.id)
                .await?;
            if let Some((stored, _)) = stored {
                return self.same_or_conflict(&stored == f, path, &f.id);
            }
        }
        // The feedback's event comes first, then one event per finding in tree order:
        // each finding's order is the sequence number of its event.
        let first = self.linker.next_seq();
        let ords: HashMap<&str, i64> = f
            .findings()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), first + 1 + i as i64))
            .collect();
        let rows = feedback_rows(f, |x| ords.get(x.id.as_str()).copied().unwrap_or_default());
        self.check_clashes(path, f, &rows).await?;
        let (head, rest): (Vec<Row>, Vec<Row>) = rows
            .into_iter()
            .partition(|r| matches!(r.table.name, "feedbacks" | "categories" | "aspects"));
        let mut rows = rest.into_iter().peekable();
        let payload = FeedbackImported {
            id: &f.id,
            round_id: &f.round_id,
            unit_id: &f.unit_id,
            date: f.date,
            plan: f.plan.status,
            categories: f.categories.len(),
            findings: ords.len(),
        };
        let place = [Some(f.round_id.as_str()), Some(f.unit_id.as_str())];
        self.record(
            head,
            "feedback",
            &f.id,
            &payload,
            [place[0], place[1], None],
        );
        for finding in f.findings() {
            let mut own = Vec::with_capacity(1 + finding.measures.len() * 2);
            own.extend(rows.next());
            while let Some(r) = rows.next_if(|r| r.table != FINDINGS) {
                own.push(r);
            }
            let payload = FindingImported {
                id: &finding.id,
                title: &finding.title,
                status: finding.status,
                measures: finding.measures.len(),
                evidence: finding.evidence.len(),
            };
            self.record(
                own,
                "finding",
                &finding.id,
                &payload,
                [place[0], place[1], Some(&finding.id)],
            );
            self.summary.findings += 1;
            self.summary.measures += finding.measures.len() as u64;
        }
        self.summary.feedbacks += 1;
        if self.pending.len() >= FLUSH_ROWS {
            self.flush().await?;
        }
        Ok(())
    }

    async fn put_blob(&mut self, bytes: &[u8]) -> Result<String> {
        if bytes.len() as u64 > self.store.max_file {
            return Err(StoreError::TooLarge {
                size: bytes.len() as u64,
                max: self.store.max_file,
            });
        }
        self.summary.evidence_files += 1;
        let store = self.store.handle();
        store.put_blob(&mut DB::exec(self.tx().await?), bytes).await
    }

    async fn put_source(
        &mut self,
        file_sha256: &str,
        text_sha256: &str,
        file: &str,
        feedback_id: &str,
    ) -> Result<()> {
        self.flush().await?;
        let seen: Option<String> = sqlx::query_scalar(
            "SELECT imported_at FROM notice_sources WHERE id = $1 OR text_sha256 = $2",
        )
        .bind(file_sha256.to_string())
        .bind(text_sha256.to_string())
        .fetch_optional(&mut **self.tx().await?)
        .await?;
        if let Some(at) = seen {
            return Err(StoreError::Conflict {
                path: file.to_string(),
                message: format!(
                    "这份通报（内容 sha256 {}…）已于 {} 导入过，不再重复导入",
                    &text_sha256[..text_sha256.len().min(12)],
                    &at[..at.len().min(10)]
                ),
            });
        }
        #[derive(Serialize)]
        struct Source<'a> {
            sha256: &'a str,
            text_sha256: &'a str,
            file: &'a str,
            feedback_id: &'a str,
        }
        let row = Row {
            table: NOTICE_SOURCES,
            values: vec![
                file_sha256.into(),
                text_sha256.into(),
                file.into(),
                feedback_id.into(),
                self.linker.at.clone().into(),
            ],
        };
        let payload = Source {
            sha256: file_sha256,
            text_sha256,
            file,
            feedback_id,
        };
        self.record(
            vec![row],
            "notice_source",
            file_sha256,
            &payload,
            [None, None, None],
        );
        Ok(())
    }

    async fn commit(mut self: Box<Self>) -> Result<ImportSummary> {
        self.flush().await?;
        let dropped = std::mem::take(&mut self.dropped);
        let head = self.linker.head.clone();
        let tx = self.tx().await?;
        indexes::rebuild(tx, dropped).await?;
        sqlx::query("UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(head.0)
            .bind(head.1)
            .execute(&mut **tx)
            .await?;
        let summary = std::mem::take(&mut self.summary);
        if let Slot::Ready(tx) = std::mem::replace(&mut self.slot, Slot::Gone) {
            tx.commit().await?;
        }
        if let Some(back) = self.back_to_log.take() {
            back().await;
        }
        Ok(summary)
    }
}
