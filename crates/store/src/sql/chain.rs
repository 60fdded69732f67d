//! The event log: appending under the chain head's lock, and reading its head. Verifying
//! it is `verify`'s.

use sqlx::{Executor, FromRow, IntoArguments};
use zhenggai_core::event::{Anchor, Event, NewEvent};

use super::{write_rows, Exec, Sql, SqlStore};
use crate::error::Result;
use crate::rows::{Row, Val, EVENTS};

/// The chain's end inside a writing transaction, and the time its new events carry.
pub(crate) struct Linker {
    pub head: (i64, String),
    pub at: String,
    pub events: Vec<Row>,
}

impl<DB: Sql> SqlStore<DB> {
    /// A linker after this head, its events stamped with the clock's time now.
    pub(crate) fn linker(&self, head: (i64, String)) -> Linker {
        Linker {
            head,
            at: super::timestamp(self.clock.now()),
            events: Vec::new(),
        }
    }
}

impl Linker {
    /// Links `new` after the head and queues its row; returns its sequence number.
    pub fn link(&mut self, new: NewEvent) -> i64 {
        let e = Event::link(new, self.head.0 + 1, self.at.clone(), &self.head.1);
        self.head = (e.seq, e.hash.clone());
        self.events.push(event_row(e));
        self.head.0
    }

    pub fn next_seq(&self) -> i64 {
        self.head.0 + 1
    }
}

fn event_row(e: Event) -> Row {
    Row {
        table: EVENTS,
        values: vec![
            Val::Int(e.seq),
            e.at.into(),
            e.actor_id.into(),
            e.actor.into(),
            e.entity.into(),
            e.entity_id.into(),
            e.action.into(),
            e.payload.into(),
            e.round_id.into(),
            e.unit_id.into(),
            e.finding_id.into(),
            e.states.into(),
            e.prev_hash.into(),
            e.hash.into(),
        ],
    }
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub(crate) struct EventRow {
    pub seq: i64,
    pub at: String,
    pub actor_id: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub payload: String,
    pub round_id: Option<String>,
    pub unit_id: Option<String>,
    pub finding_id: Option<String>,
    pub states: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<EventRow> for Event {
    fn from(r: EventRow) -> Event {
        Event {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            actor: r.actor,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            payload: r.payload,
            round_id: r.round_id,
            unit_id: r.unit_id,
            finding_id: r.finding_id,
            states: r.states,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

pub(crate) const EVENT_COLUMNS: &str =
    "seq, at, actor_id, actor, entity, entity_id, action, payload, round_id, unit_id, finding_id, states, prev_hash, hash";

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
    /// Locks the chain head for this transaction: writers append one after another.
    pub(crate) async fn lock_head(&self, conn: &mut DB::Connection) -> Result<Linker> {
        let head: (i64, String) = sqlx::query_as(DB::LOCK_HEAD).fetch_one(&mut *conn).await?;
        Ok(self.linker(head))
    }

    /// Writes the queued events and moves the head to the last of them.
    pub(crate) async fn append(&self, e: &mut impl Exec, linker: Linker) -> Result<()> {
        if linker.events.is_empty() {
            return Ok(());
        }
        write_rows::<DB>(e, EVENTS, linker.events).await?;
        e.execute(
            "UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1",
            vec![linker.head.0.into(), linker.head.1.into()],
        )
        .await
    }

    pub(crate) async fn read_head(&self) -> Result<Anchor> {
        let (seq, hash): (i64, String) =
            sqlx::query_as("SELECT seq, hash FROM chain_head WHERE id = 1")
                .fetch_one(&self.pool)
                .await?;
        Ok(Anchor { seq, hash })
    }
}
