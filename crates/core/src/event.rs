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
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// The payload as JSON text.
    pub payload: String,
}

impl NewEvent {
    pub fn new<T: Serialize + ?Sized>(
        actor: &str,
        entity: &str,
        entity_id: &str,
        action: &str,
        payload: &T,
    ) -> NewEvent {
        NewEvent {
            actor: actor.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            action: action.to_string(),
            // The payloads are plain records: serializing them cannot fail.
            payload: serde_json::to_string(payload).unwrap_or_default(),
        }
    }
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub seq: i64,
    /// RFC 3339 UTC time with microseconds.
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// The payload's JSON text, exactly as hashed.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an event: sha256 over the previous hash and every field but the hash,
/// each length-prefixed so that no two different events share an encoding.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    entity: &str,
    entity_id: &str,
    action: &str,
    payload: &str,
) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    for part in [
        prev_hash,
        seq.as_str(),
        at,
        actor,
        entity,
        entity_id,
        action,
        payload,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

impl Event {
    /// Links `new` after an event whose hash is `prev_hash`.
    pub fn link(new: &NewEvent, seq: i64, at: String, prev_hash: &str) -> Event {
        let hash = event_hash(
            prev_hash,
            seq,
            &at,
            &new.actor,
            &new.entity,
            &new.entity_id,
            &new.action,
            &new.payload,
        );
        Event {
            seq,
            at,
            actor: new.actor.clone(),
            entity: new.entity.clone(),
            entity_id: new.entity_id.clone(),
            action: new.action.clone(),
            payload: new.payload.clone(),
            prev_hash: prev_hash.to_string(),
            hash,
        }
    }

    pub fn recompute_hash(&self) -> String {
        event_hash(
            &self.prev_hash,
            self.seq,
            &self.at,
            &self.actor,
            &self.entity,
            &self.entity_id,
            &self.action,
            &self.payload,
        )
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chain(n: usize) -> Vec<Event> {
        let mut prev = GENESIS_HASH.to_string();
        (0..n)
            .map(|i| {
                let e = Event::link(
                    &NewEvent::new(
                        "甲",
                        "finding",
                        &format!("f{i}"),
                        "create",
                        &json!({"b": i, "a": "x"}),
                    ),
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
    fn intact_chain_verifies() {
        assert_eq!(first_break(&chain(5)), None);
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
    }
}
