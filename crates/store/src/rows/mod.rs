//! The mapping between the domain's records and table rows, shared by both backends so
//! that they store exactly the same thing. Writes are whole rows computed from the
//! aggregate after core changed it (`ledger`); reads assemble aggregates from `FromRow`
//! structs (`read`). A row's state hash covers its table and every column.

mod ledger;
mod read;

use std::collections::BTreeMap;

use zhenggai_core::event::{row_hash, RowState};

pub use ledger::*;
pub use read::*;

/// A value bound into a statement or read back from a column; the two backends store the
/// same two kinds (text and 64-bit integers), so a row hashes alike on both.
#[derive(Debug, Clone, PartialEq, Eq)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// The columns holding integers; all others hold text.
    pub ints: &'static [&'static str],
}

impl Table {
    pub fn kind(&self, column: &str) -> Kind {
        if self.ints.contains(&column) {
            Kind::Int
        } else {
            Kind::Text
        }
    }
}

/// One row: its table and the values of `table.columns`, the id first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub table: Table,
    pub values: Vec<Val>,
}

impl Row {
    pub fn id(&self) -> &str {
        match self.values.first() {
            Some(Val::Text(id)) => id,
            _ => "",
        }
    }

    pub fn hash(&self) -> String {
        state_hash(self.table, &self.values)
    }
}

pub fn state_hash(table: Table, values: &[Val]) -> String {
    let ints: Vec<Option<String>> = values
        .iter()
        .map(|v| match v {
            Val::Int(i) => Some(i.to_string()),
            _ => None,
        })
        .collect();
    row_hash(
        table.name,
        values.iter().zip(&ints).map(|(v, i)| match v {
            Val::Text(s) => Some(s.as_str()),
            Val::Int(_) => i.as_deref(),
            Val::Null => None,
        }),
    )
}

/// Rows keyed by (table, id), to compare what an aggregate was with what it became.
#[derive(Debug, Default, Clone)]
pub struct RowSet(BTreeMap<(&'static str, String), Row>);

impl RowSet {
    pub fn new(rows: impl IntoIterator<Item = Row>) -> RowSet {
        RowSet(
            rows.into_iter()
                .map(|r| ((r.table.name, r.id().to_string()), r))
                .collect(),
        )
    }

    /// The rows to write and the (table, id) of rows to delete, to turn `self` into
    /// `after`, with the state each leaves behind for the event.
    pub fn diff(&self, after: &RowSet) -> Diff {
        let mut diff = Diff::default();
        for (key, row) in &after.0 {
            match self.0.get(key) {
                Some(before) if before == row => continue,
                Some(before) => diff.updates.push(Update {
                    row: row.clone(),
                    changed: (1..row.values.len())
                        .filter(|&i| before.values.get(i) != row.values.get(i))
                        .collect(),
                }),
                None => diff.inserts.push(row.clone()),
            }
            diff.states
                .push(RowState(key.0.into(), key.1.clone(), row.hash()));
        }
        for (key, row) in &self.0 {
            if !after.0.contains_key(key) {
                diff.states
                    .push(RowState(key.0.into(), key.1.clone(), String::new()));
                diff.deletes.push((row.table, key.1.clone()));
            }
        }
        diff
    }
}

/// A row that was there, and the positions of the columns whose values changed: only
/// those are written, so that SQLite leaves the index entries of the others alone (an
/// upsert of every column rewrote all eight of a finding's indexes for one progress note).
#[derive(Debug, Clone)]
pub struct Update {
    pub row: Row,
    pub changed: Vec<usize>,
}

#[derive(Debug, Default, Clone)]
pub struct Diff {
    /// New rows: inserted, so that an id taken elsewhere is refused, never overwritten.
    pub inserts: Vec<Row>,
    /// Rows that were there and changed.
    pub updates: Vec<Update>,
    pub deletes: Vec<(Table, String)>,
    pub states: Vec<RowState>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.inserts.is_empty() && self.updates.is_empty() && self.deletes.is_empty()
    }
}

/// Serializing these plain records cannot fail: no maps with non-string keys.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}
