//! The event chain. Each event's hash covers the previous hash and every field of the event,
//! the payload as the exact JSON text stored, so editing, deleting or reordering any stored
//! event breaks every later link. Hashing the stored bytes (instead of re-encoding parsed
//! JSON) keeps `verify` a straight sha256 pass over the log.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event before it is linked into the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    pub actor_id: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// The payload as JSON text.
    pub payload: String,
    /// Where the event belongs, for finding a unit's or a finding's history.
    pub round_id: Option<String>,
    pub unit_id: Option<String>,
    pub finding_id: Option<String>,
    /// `[[table, id, state hash], …]` of every row the event wrote, "" for a row it
    /// removed: what `verify` compares the stored rows with.
    pub states: String,
}

impl NewEvent {
    pub fn new<T: Serialize + ?Sized>(
        actor_id: &str,
        actor: &str,
        entity: &str,
        entity_id: &str,
        action: &str,
        payload: &T,
    ) -> NewEvent {
        NewEvent {
            actor_id: actor_id.to_string(),
            actor: actor.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            action: action.to_string(),
            // The payloads are plain records: serializing them cannot fail.
            payload: serde_json::to_string(payload).unwrap_or_default(),
            round_id: None,
            unit_id: None,
            finding_id: None,
            states: "[]".into(),
        }
    }

    pub fn placed(
        mut self,
        round_id: Option<&str>,
        unit_id: Option<&str>,
        finding_id: Option<&str>,
    ) -> NewEvent {
        self.round_id = round_id.map(str::to_string);
        self.unit_id = unit_id.map(str::to_string);
        self.finding_id = finding_id.map(str::to_string);
        self
    }

    pub fn with_states(mut self, states: &[RowState]) -> NewEvent {
        self.states = serde_json::to_string(states).unwrap_or_else(|_| "[]".into());
        self
    }
}

/// A row an event wrote: its table, id and the hash of its content afterwards ("" when
/// the event removed it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowState(pub String, pub String, pub String);

/// The hash of a stored row: its table and every column, length-prefixed, NULL told
/// apart from empty text.
pub fn row_hash<'a>(table: &str, columns: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut h = Sha256::new();
    put(&mut h, Some(table));
    for c in columns {
        put(&mut h, c);
    }
    hex::encode(h.finalize())
}

fn put(h: &mut Sha256, part: Option<&str>) {
    match part {
        Some(s) => {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        }
        None => h.update(u64::MAX.to_le_bytes()),
    }
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub seq: i64,
    /// RFC 3339 UTC time with microseconds.
    pub at: String,
    pub actor_id: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// The payload's JSON text, exactly as hashed.
    pub payload: String,
    pub round_id: Option<String>,
    pub unit_id: Option<String>,
    pub finding_id: Option<String>,
    pub states: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Event {
    /// Links `new` after an event whose hash is `prev_hash`.
    pub fn link(new: NewEvent, seq: i64, at: String, prev_hash: &str) -> Event {
        let mut e = Event {
            seq,
            at,
            actor_id: new.actor_id,
            actor: new.actor,
            entity: new.entity,
            entity_id: new.entity_id,
            action: new.action,
            payload: new.payload,
            round_id: new.round_id,
            unit_id: new.unit_id,
            finding_id: new.finding_id,
            states: new.states,
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        e.hash = e.recompute_hash();
        e
    }

    /// sha256 over the previous hash and every field but the hash itself, each
    /// length-prefixed so that no two different events share an encoding.
    pub fn recompute_hash(&self) -> String {
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        for part in [
            Some(self.prev_hash.as_str()),
            Some(seq.as_str()),
            Some(self.at.as_str()),
            Some(self.actor_id.as_str()),
            Some(self.actor.as_str()),
            Some(self.entity.as_str()),
            Some(self.entity_id.as_str()),
            Some(self.action.as_str()),
            Some(self.payload.as_str()),
            self.round_id.as_deref(),
            self.unit_id.as_deref(),
            self.finding_id.as_deref(),
            Some(self.states.as_str()),
        ] {
            put(&mut h, part);
        }
        hex::encode(h.finalize())
    }

    pub fn row_states(&self) -> Result<Vec<RowState>, serde_json::Error> {
        serde_json::from_str(&self.states)
    }
}

/// Why an event does not fit the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The sequence jumps: an event was deleted or reordered.
    Gap { expected: i64 },
    /// The stored previous hash is not the hash of the event before.
    Link,
    /// The stored hash does not match the event's content.
    Content,
}

impl ChainBreak {
    pub fn zh(&self) -> String {
        match self {
            ChainBreak::Gap { expected } => {
                format!("序号不连续（应为 {expected}），有事件被删除或调换")
            }
            ChainBreak::Link => "前一哈希与上一事件不符，有事件被删除、调换或改动".into(),
            ChainBreak::Content => "事件内容与其哈希不符，事件被改动".into(),
        }
    }
}

/// Walks a chain incrementally so that stores can stream events through it.
#[derive(Debug, Clone)]
pub struct ChainChecker {
    prev_hash: String,
    next_seq: i64,
    pub checked: u64,
}

impl Default for ChainChecker {
    fn default() -> Self {
        ChainChecker {
            prev_hash: GENESIS_HASH.to_string(),
            next_seq: 1,
            checked: 0,
        }
    }
}

impl ChainChecker {
    pub fn check(&mut self, e: &Event) -> Result<(), ChainBreak> {
        if e.seq != self.next_seq {
            return Err(ChainBreak::Gap {
                expected: self.next_seq,
            });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainBreak::Link);
        }
        if e.recompute_hash() != e.hash {
            return Err(ChainBreak::Content);
        }
        self.prev_hash = e.hash.clone();
        self.next_seq += 1;
        self.checked += 1;
        Ok(())
    }

    /// The hash the chain ends on so far, to compare with the recorded head.
    pub fn head(&self) -> (i64, &str) {
        (self.next_seq - 1, &self.prev_hash)
    }
}

/// A point of the chain kept outside the database (in a published notice, on paper):
/// `SEQ:HASH`. A chain that still holds it was not cut or rewritten before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

impl Anchor {
    pub fn parse(s: &str) -> Result<Anchor, String> {
        let bad = || format!("锚点“{s}”格式不对，应为 序号:哈希（64 位十六进制）");
        let (seq, hash) = s.trim().split_once(':').ok_or_else(bad)?;
        let seq: i64 = seq.parse().map_err(|_| bad())?;
        let hash = hash.to_ascii_lowercase();
        if seq < 0 || crate::checks::sha256_hex("anchor", &hash).is_err() {
            return Err(bad());
        }
        Ok(Anchor { seq, hash })
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chain(n: usize) -> Vec<Event> {
        let mut prev = GENESIS_HASH.to_string();
        (0..n)
            .map(|i| {
                let new = NewEvent::new(
                    "u1",
                    "甲",
                    "finding",
                    &format!("f{i}"),
                    "create",
                    &json!({"b": i, "a": "x"}),
                )
                .placed(Some("r1"), Some("u1"), None)
                .with_states(&[RowState(
                    "findings".into(),
                    format!("f{i}"),
                    "ab".into(),
                )]);
                let e = Event::link(
                    new,
                    i as i64 + 1,
                    "2022-03-29T00:00:00.000000Z".into(),
                    &prev,
                );
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn first_break(events: &[Event]) -> Option<(i64, ChainBreak)> {
        let mut c = ChainChecker::default();
        events
            .iter()
            .find_map(|e| c.check(e).err().map(|b| (e.seq, b)))
    }

    #[test]
    fn intact_chain_verifies_and_counts() {
        let events = chain(5);
        let mut c = ChainChecker::default();
        for e in &events {
            assert_eq!(c.check(e), Ok(()));
        }
        assert_eq!(c.checked, 5);
        assert_eq!(c.head(), (5, events[4].hash.as_str()));
        assert_eq!(ChainChecker::default().head(), (0, GENESIS_HASH));
    }

    #[test]
    fn every_field_is_covered_by_the_hash() {
        let base = chain(1).remove(0);
        type Edit = (&'static str, fn(&mut Event));
        let edits: Vec<Edit> = vec![
            ("seq", |e| e.seq += 1),
            ("at", |e| e.at.push('1')),
            ("actor_id", |e| e.actor_id.push('1')),
            ("actor", |e| e.actor.push('1')),
            ("entity", |e| e.entity.push('1')),
            ("entity_id", |e| e.entity_id.push('1')),
            ("action", |e| e.action.push('1')),
            ("payload", |e| e.payload.push(' ')),
            ("round_id", |e| e.round_id = None),
            ("unit_id", |e| e.unit_id = Some("u2".into())),
            ("finding_id", |e| e.finding_id = Some(String::new())),
            ("states", |e| e.states.push(' ')),
            ("prev_hash", |e| e.prev_hash = "1".repeat(64)),
        ];
        for (field, edit) in edits {
            let mut e = base.clone();
            edit(&mut e);
            assert_ne!(e.recompute_hash(), base.hash, "{field} is not hashed");
        }
        // Moving text between neighbouring fields changes the hash too.
        let mut shifted = base.clone();
        shifted.actor_id = format!("{}{}", base.actor_id, base.actor);
        shifted.actor = String::new();
        assert_ne!(shifted.recompute_hash(), base.hash);
    }

    #[test]
    fn edits_deletions_and_swaps_are_named() {
        let mut edited = chain(5);
        edited[2].payload = r#"{"a":"y","b":2}"#.into();
        assert_eq!(first_break(&edited), Some((3, ChainBreak::Content)));

        let mut deleted = chain(5);
        deleted.remove(1);
        assert_eq!(
            first_break(&deleted),
            Some((3, ChainBreak::Gap { expected: 2 }))
        );

        let mut swapped = chain(5);
        swapped.swap(1, 2);
        let (s1, s2) = (swapped[1].seq, swapped[2].seq);
        swapped[1].seq = s2;
        swapped[2].seq = s1;
        assert_eq!(first_break(&swapped), Some((2, ChainBreak::Link)));

        let mut c = ChainChecker::default();
        let events = chain(3);
        assert!(c.check(&events[0]).is_ok());
        assert!(c.check(&events[2]).is_err());
        assert_eq!(c.checked, 1, "a refused event is not counted");
    }

    #[test]
    fn row_hash_tells_null_from_empty_and_columns_apart() {
        let a = row_hash("t", [Some("ab"), Some("")]);
        assert_ne!(a, row_hash("t", [Some("ab"), None]));
        assert_ne!(a, row_hash("t", [Some("a"), Some("b")]));
        assert_ne!(a, row_hash("u", [Some("ab"), Some("")]));
        assert_eq!(a, row_hash("t", [Some("ab"), Some("")]));
    }

    #[test]
    fn anchors_parse_and_print() {
        let a = Anchor::parse(&format!("12:{}", "AB".repeat(32))).expect("anchor");
        assert_eq!(a.seq, 12);
        assert_eq!(a.to_string(), format!("12:{}", "ab".repeat(32)));
        assert!(Anchor::parse("12").is_err());
        assert!(Anchor::parse("x:ab").is_err());
        assert!(Anchor::parse(&format!("-1:{}", "ab".repeat(32))).is_err());
    }
}
