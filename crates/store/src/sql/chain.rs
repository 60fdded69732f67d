//! The event log: appending under the chain head's lock, and verifying that the chain holds
//! and that every stored record and file is what the chain says it is.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::{Executor, FromRow, IntoArguments, Row as _};
use zhenggai_core::event::{Anchor, ChainChecker, Event, NewEvent, GENESIS_HASH};

use super::{write_rows, Exec, Sql, SqlStore};
use crate::api::{Broken, VerifyReport};
use crate::error::Result;
use crate::rows::{state_hash, Kind, Row, Table, Val, EVENTS, STATE_TABLES};

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

#[derive(Debug, Clone, FromRow)]
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

/// Keys of records are 128-bit hashes already; hashing them again would only cost time.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

type Latest = HashMap<u128, [u8; 16], BuildHasherDefault<KeyHasher>>;

/// A record's key in memory: 16 bytes of sha256 over its table and id. Keeping 16 bytes of
/// each state hash too holds a province-scale ledger (about two million records) in some
/// 80 MB while verifying, where full strings would take several times that.
fn key(table: &str, id: &str) -> u128 {
    let d = Sha256::new_with_prefix(table.as_bytes())
        .chain_update([0])
        .chain_update(id.as_bytes())
        .finalize();
    let mut k = [0u8; 16];
    k.copy_from_slice(&d[..16]);
    u128::from_le_bytes(k)
}

fn short(hash: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    if let Ok(bytes) = hex::decode(hash) {
        for (o, b) in out.iter_mut().zip(bytes) {
            *o = b;
        }
    }
    out
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

    pub(crate) async fn verify_all(&self, anchor: Option<&Anchor>) -> Result<VerifyReport> {
        let mut tx = self.pool.begin_with(DB::BEGIN_SNAPSHOT).await?;
        let (stored_seq, stored_hash): (i64, String) =
            sqlx::query_as("SELECT seq, hash FROM chain_head WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        let mut checker = ChainChecker::default();
        let mut latest = Latest::default();
        let mut broken = None;
        {
            let sql = format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY seq");
            let mut events = sqlx::query_as::<DB, EventRow>(&sql).fetch(&mut *tx);
            while let Some(row) = events.try_next().await? {
                let e = Event::from(row);
                if let Err(b) = checker.check(&e) {
                    broken = Some(Broken::Event {
                        seq: e.seq,
                        why: b.zh(),
                    });
                    break;
                }
                if let Some(a) = anchor.filter(|a| a.seq == e.seq && a.hash != e.hash) {
                    broken = Some(Broken::Anchor {
                        why: format!("第 {} 号事件的哈希与锚点不同：锚点之前的日志被改写", a.seq),
                    });
                    break;
                }
                let Ok(states) = e.row_states() else {
                    broken = Some(Broken::Event {
                        seq: e.seq,
                        why: "记录状态无法读取".into(),
                    });
                    break;
                };
                for s in states {
                    let k = key(&s.0, &s.1);
                    if s.2.is_empty() {
                        latest.remove(&k);
                    } else {
                        latest.insert(k, short(&s.2));
                    }
                }
            }
        }
        let (last, last_hash) = checker.head();
        let last_hash = last_hash.to_string();
        if broken.is_none() {
            broken = if stored_seq > last {
                Some(Broken::Event {
                    seq: last + 1,
                    why: "事件缺失：链头记录的事件已被删除".into(),
                })
            } else if stored_seq < last {
                Some(Broken::Event {
                    seq: stored_seq + 1,
                    why: "链头之后多出事件：事件是绕过账本写入的".into(),
                })
            } else if stored_hash != last_hash {
                Some(Broken::Event {
                    seq: stored_seq,
                    why: "链头哈希与最后一个事件不符".into(),
                })
            } else {
                None
            };
        }
        if let Some(a) = anchor.filter(|a| broken.is_none() && a.seq > last) {
            broken = Some(Broken::Anchor {
                why: format!(
                    "日志只到第 {last} 号事件，锚点记录的第 {} 号事件不在了：日志被截断",
                    a.seq
                ),
            });
        }
        let mut records = 0;
        let mut files = 0;
        if broken.is_none() {
            let (n, b) = self.check_records(&mut tx, &mut latest).await?;
            records = n;
            broken = b;
        }
        if broken.is_none() {
            let (n, b) = self.check_files(&mut tx).await?;
            files = n;
            broken = b;
        }
        tx.rollback().await?;
        let head = if last == 0 {
            Anchor {
                seq: 0,
                hash: GENESIS_HASH.into(),
            }
        } else {
            Anchor {
                seq: last,
                hash: last_hash,
            }
        };
        Ok(VerifyReport {
            checked: checker.checked,
            records,
            files,
            head,
            broken,
        })
    }

    /// Compares each stored record with the state its latest event recorded; what is left
    /// in `latest` afterwards was deleted behind the ledger's back.
    async fn check_records(
        &self,
        conn: &mut DB::Connection,
        latest: &mut Latest,
    ) -> Result<(u64, Option<Broken>)> {
        let mut n = 0;
        for table in STATE_TABLES {
            let sql = format!("SELECT {} FROM {}", table.columns.join(", "), table.name);
            let mut rows = sqlx::query(&sql).fetch(&mut *conn);
            while let Some(row) = rows.try_next().await? {
                let values = decode_row::<DB>(table, &row)?;
                let id = match values.first() {
                    Some(Val::Text(id)) => id.clone(),
                    _ => String::new(),
                };
                let why = match latest.remove(&key(table.name, &id)) {
                    None => "没有记录它的事件：是绕过账本写入的",
                    Some(h) if h != short(&state_hash(table, &values)) => {
                        "内容与最新事件记录的不同：被直接改动过"
                    }
                    Some(_) => {
                        n += 1;
                        continue;
                    }
                };
                let broken = Broken::Record {
                    table: table.name.into(),
                    id,
                    why: why.into(),
                };
                return Ok((n, Some(broken)));
            }
        }
        if latest.is_empty() {
            return Ok((n, None));
        }
        // Name one of the missing records: find its table and id in the events again.
        let sql = "SELECT states FROM events ORDER BY seq DESC";
        let mut states = sqlx::query_scalar::<DB, String>(sql).fetch(&mut *conn);
        while let Some(s) = states.try_next().await? {
            let parsed: Vec<(String, String, String)> =
                serde_json::from_str(&s).unwrap_or_default();
            if let Some((t, id, _)) = parsed
                .into_iter()
                .find(|(t, id, _)| latest.contains_key(&key(t, id)))
            {
                let broken = Broken::Record {
                    table: t,
                    id,
                    why: "记录被删除了，但没有删除它的事件".into(),
                };
                return Ok((n, Some(broken)));
            }
        }
        Ok((n, None))
    }

    async fn check_files(&self, conn: &mut DB::Connection) -> Result<(u64, Option<Broken>)> {
        let mut n = 0;
        let mut rows = sqlx::query("SELECT id, size, data FROM blobs").fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            let id: String = row.try_get(0)?;
            let size: i64 = row.try_get(1)?;
            let data: Vec<u8> = row.try_get(2)?;
            if hex::encode(Sha256::digest(&data)) != id || size != data.len() as i64 {
                let broken = Broken::Record {
                    table: "blobs".into(),
                    id,
                    why: "文件内容与其 sha256 不符：被改动过".into(),
                };
                return Ok((n, Some(broken)));
            }
            n += 1;
        }
        Ok((n, None))
    }
}

/// A row read back column by column, as the table declares its columns.
pub(crate) fn decode_row<DB>(table: Table, row: &DB::Row) -> Result<Vec<Val>>
where
    DB: Sql,
    for<'a> String: sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> i64: sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, c) in table.columns.iter().enumerate() {
        values.push(match table.kind(c) {
            Kind::Int => row
                .try_get::<Option<i64>, _>(i)?
                .map_or(Val::Null, Val::Int),
            Kind::Text => row
                .try_get::<Option<String>, _>(i)?
                .map_or(Val::Null, Val::Text),
        });
    }
    Ok(values)
}
