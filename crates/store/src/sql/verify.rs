//! `verify`: the chain holds, the head and an anchor kept elsewhere agree with it, and
//! every stored record and file is what the chain says it is. Written once against
//! `Exec::for_each`, inside one snapshot of the whole database; SQLite runs it on the
//! handle sqlx lends (`Sql::verify`), where no row crosses to another thread.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::{FromRow, Row, TypeInfo as _, ValueRef as _};
use zhenggai_core::event::{Anchor, ChainChecker, Event, GENESIS_HASH};

use super::chain::{EventRow, EVENT_COLUMNS};
use super::Exec;
use crate::api::{Broken, VerifyReport};
use crate::error::{Result, StoreError};
use crate::rows::{state_hash, Val, STATE_TABLES};

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

/// Verifies the database that `db` reads, already inside one snapshot of it.
pub(crate) async fn verify_in(db: &mut impl Exec, anchor: Option<&Anchor>) -> Result<VerifyReport> {
    let (stored_seq, stored_hash): (i64, String) = db
        .fetch_optional("SELECT seq, hash FROM chain_head WHERE id = 1", Vec::new())
        .await?
        .ok_or_else(|| StoreError::Corrupt("the chain head is missing".into()))?;
    let mut checker = ChainChecker::default();
    let mut latest = Latest::default();
    let mut broken = None;
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY seq");
    db.for_each(&sql, |row: EventRow| {
        let e = Event::from(row);
        broken = event(&mut checker, &mut latest, anchor, &e);
        Ok(broken.is_none())
    })
    .await?;
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
        (records, broken) = check_records(db, &mut latest).await?;
    }
    if broken.is_none() {
        (files, broken) = check_files(db).await?;
    }
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

/// Checks one event against the chain and the anchor, and notes the record states it left.
fn event(
    checker: &mut ChainChecker,
    latest: &mut Latest,
    anchor: Option<&Anchor>,
    e: &Event,
) -> Option<Broken> {
    if let Err(b) = checker.check(e) {
        return Some(Broken::Event {
            seq: e.seq,
            why: b.zh(),
        });
    }
    if let Some(a) = anchor.filter(|a| a.seq == e.seq && a.hash != e.hash) {
        return Some(Broken::Anchor {
            why: format!("第 {} 号事件的哈希与锚点不同：锚点之前的日志被改写", a.seq),
        });
    }
    let Ok(states) = e.row_states() else {
        return Some(Broken::Event {
            seq: e.seq,
            why: "记录状态无法读取".into(),
        });
    };
    for s in states {
        let k = key(&s.0, &s.1);
        if s.2.is_empty() {
            latest.remove(&k);
        } else {
            latest.insert(k, short(&s.2));
        }
    }
    None
}

/// Compares each stored record with the state its latest event recorded; what is left
/// in `latest` afterwards was deleted behind the ledger's back.
async fn check_records(db: &mut impl Exec, latest: &mut Latest) -> Result<(u64, Option<Broken>)> {
    let mut n = 0;
    let mut broken = None;
    for table in STATE_TABLES {
        let sql = format!("SELECT {} FROM {}", table.columns.join(", "), table.name);
        db.for_each(&sql, |Cells(values)| {
            let id = match values.first() {
                Some(Val::Text(id)) => id.as_str(),
                _ => "",
            };
            let why = match latest.remove(&key(table.name, id)) {
                None => "没有记录它的事件：是绕过账本写入的",
                Some(h) if h != short(&state_hash(table, &values)) => {
                    "内容与最新事件记录的不同：被直接改动过"
                }
                Some(_) => {
                    n += 1;
                    return Ok(true);
                }
            };
            broken = Some(Broken::Record {
                table: table.name.into(),
                id: id.to_string(),
                why: why.into(),
            });
            Ok(false)
        })
        .await?;
        if broken.is_some() {
            return Ok((n, broken));
        }
    }
    if latest.is_empty() {
        return Ok((n, None));
    }
    // Name one of the missing records: find its table and id in the events again.
    db.for_each(
        "SELECT states FROM events ORDER BY seq DESC",
        |(states,): (String,)| {
            let parsed: Vec<(String, String, String)> =
                serde_json::from_str(&states).unwrap_or_default();
            broken = parsed
                .into_iter()
                .find(|(t, id, _)| latest.contains_key(&key(t, id)))
                .map(|(table, id, _)| Broken::Record {
                    table,
                    id,
                    why: "记录被删除了，但没有删除它的事件".into(),
                });
            Ok(broken.is_none())
        },
    )
    .await?;
    Ok((n, broken))
}

async fn check_files(db: &mut impl Exec) -> Result<(u64, Option<Broken>)> {
    let mut n = 0;
    let mut broken = None;
    db.for_each("SELECT id, size, data FROM blobs", |f: FileRow| {
        if hex::encode(Sha256::digest(&f.data)) != f.id || f.size != f.data.len() as i64 {
            broken = Some(Broken::Record {
                table: "blobs".into(),
                id: f.id,
                why: "文件内容与其 sha256 不符：被改动过".into(),
            });
            return Ok(false);
        }
        n += 1;
        Ok(true)
    })
    .await?;
    Ok((n, broken))
}

#[derive(FromRow, Deserialize)]
struct FileRow {
    id: String,
    size: i64,
    #[serde(deserialize_with = "bytes")]
    data: Vec<u8>,
}

/// A BLOB column as the lent SQLite handle gives it: bytes, not a sequence.
fn bytes<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<u8>, D::Error> {
    struct Bytes;
    impl Visitor<'_> for Bytes {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("bytes")
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> std::result::Result<Vec<u8>, E> {
            Ok(v)
        }
    }
    d.deserialize_byte_buf(Bytes)
}

/// A record's columns in order, each as the database stored it: an integer or a text.
/// (A state hash reads an integer as its decimal text, so either reading hashes alike.)
struct Cells(Vec<Val>);

impl<'r, R: Row> FromRow<'r, R> for Cells
where
    usize: sqlx::ColumnIndex<R>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> sqlx::Result<Cells> {
        let mut values = Vec::with_capacity(row.len());
        for i in 0..row.len() {
            let raw = row.try_get_raw(i)?;
            values.push(if raw.is_null() {
                Val::Null
            } else if matches!(raw.type_info().name(), "INTEGER" | "INT8") {
                Val::Int(row.try_get(i)?)
            } else {
                Val::Text(row.try_get(i)?)
            });
        }
        Ok(Cells(values))
    }
}

impl<'de> Deserialize<'de> for Cells {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Cells, D::Error> {
        struct Seq;
        impl<'de> Visitor<'de> for Seq {
            type Value = Cells;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a row")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Cells, A::Error> {
                let mut values = Vec::new();
                while let Some(v) = seq.next_element::<Cell>()? {
                    values.push(v.0);
                }
                Ok(Cells(values))
            }
        }
        d.deserialize_seq(Seq)
    }
}

/// One column's value as a record holds it.
struct Cell(Val);

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Cell, D::Error> {
        struct One;
        impl Visitor<'_> for One {
            type Value = Cell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer, a text or NULL")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Cell, E> {
                Ok(Cell(Val::Int(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Cell, E> {
                Ok(Cell(Val::Text(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Cell, E> {
                Ok(Cell(Val::Text(v)))
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Cell, E> {
                Ok(Cell(Val::Null))
            }
        }
        d.deserialize_any(One)
    }
}
