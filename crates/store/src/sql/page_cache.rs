//! Pages read recently (a feedback's heading and ledger, a finding with its history), served
//! again while the database says that nothing they show has changed. A ledger page costs six
//! statements and the JSON of every measure; the check costs one statement that reads two
//! index entries.
//!
//! Everything these pages show is written together with an event placed on its unit
//! (findings, measures, evidence, the plan, the unit itself), except the round and its
//! deadline policy, which are compared whole. So a `Stamp` (the unit's latest
//! event and the round's stored body) taken *before* the data are read says when they
//! are stale: a change committed in between makes the next stamp differ. The check runs
//! against the database on every request, so several servers over one PostgreSQL
//! database each stay correct.

use std::collections::HashMap;
use std::sync::Mutex;

use zhenggai_core::event::Event;

use crate::api::{FeedbackHead, FindingView, LedgerLine, Page};

/// Records (feedbacks, findings) kept, and reads (filters, pages, days) kept per record.
const MAX_FEEDBACKS: usize = 1024;
const MAX_PAGES: usize = 16;

/// What one read returned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cached {
    Head(Box<FeedbackHead>),
    Ledger(Page<LedgerLine>),
    Finding(Box<FindingView>),
    Events(Page<Event>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub unit_seq: Option<i64>,
    pub round_body: Option<String>,
}

/// Where a record hangs: a feedback or finding never moves to another unit or round.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub unit_id: String,
    pub round_id: String,
}

struct Entry {
    place: Place,
    stamp: Option<Stamp>,
    used: u64,
    reads: HashMap<String, Cached>,
}

#[derive(Default)]
pub(crate) struct PageCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    tick: u64,
    entries: HashMap<String, Entry>,
}

impl Inner {
    fn entry(&mut self, feedback: &str) -> Option<&mut Entry> {
        self.tick += 1;
        let tick = self.tick;
        let e = self.entries.get_mut(feedback)?;
        e.used = tick;
        Some(e)
    }

    /// The entry for `feedback` holding data as of `stamp`; older data are dropped.
    fn fresh(&mut self, feedback: &str, place: &Place, stamp: &Stamp) -> &mut Entry {
        if !self.entries.contains_key(feedback) && self.entries.len() >= MAX_FEEDBACKS {
            if let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            {
                self.entries.remove(&oldest);
            }
        }
        self.tick += 1;
        let tick = self.tick;
        let e = self
            .entries
            .entry(feedback.to_string())
            .or_insert_with(|| Entry {
                place: place.clone(),
                stamp: None,
                used: tick,
                reads: HashMap::new(),
            });
        e.used = tick;
        if e.stamp.as_ref() != Some(stamp) {
            e.stamp = Some(stamp.clone());
            e.reads.clear();
        }
        e
    }
}

impl PageCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves nothing half-written that matters:
        // at worst an entry is served or read again.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where `feedback` hangs, if it has been read before.
    pub fn place(&self, feedback: &str) -> Option<Place> {
        self.lock().entry(feedback).map(|e| e.place.clone())
    }

    /// Remembers where `feedback` hangs, so that the next read can take a stamp first.
    pub fn remember(&self, feedback: &str, place: Place) {
        let mut inner = self.lock();
        if inner.entry(feedback).is_none() {
            let stamp = Stamp {
                unit_seq: None,
                round_body: None,
            };
            let e = inner.fresh(feedback, &place, &stamp);
            e.stamp = None;
        }
    }

    /// The read `read` of `record`, if it was made under `stamp`.
    pub fn get(&self, record: &str, stamp: &Stamp, read: &str) -> Option<Cached> {
        let mut inner = self.lock();
        let e = inner.entry(record)?;
        if e.stamp.as_ref() != Some(stamp) {
            return None;
        }
        e.reads.get(read).cloned()
    }

    /// Keeps what `read` of `record` returned under `stamp` (taken before reading).
    pub fn put(&self, record: &str, place: &Place, stamp: &Stamp, read: String, value: Cached) {
        let mut inner = self.lock();
        let e = inner.fresh(record, place, stamp);
        if e.reads.len() >= MAX_PAGES {
            e.reads.clear();
        }
        e.reads.insert(read, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(seq: i64) -> Stamp {
        Stamp {
            unit_seq: Some(seq),
            round_body: Some("{}".into()),
        }
    }

    fn place() -> Place {
        Place {
            unit_id: "u1".into(),
            round_id: "r1".into(),
        }
    }

    fn page(next: i64) -> Cached {
        Cached::Ledger(Page {
            items: vec![],
            next: Some(next),
        })
    }

    #[test]
    fn serves_a_page_only_under_the_stamp_it_was_read_with() {
        let c = PageCache::default();
        let key = "q 2026-01-05".to_string();
        assert!(c.place("fb1").is_none());
        c.remember("fb1", place());
        assert_eq!(c.place("fb1").map(|p| p.unit_id), Some("u1".into()));
        assert!(c.get("fb1", &stamp(1), &key).is_none());
        c.put("fb1", &place(), &stamp(1), key.clone(), page(7));
        assert_eq!(c.get("fb1", &stamp(1), &key), Some(page(7)));
        // A later event on the unit, or another read: not served.
        assert!(c.get("fb1", &stamp(2), &key).is_none());
        assert!(c.get("fb1", &stamp(1), "q 2026-01-06").is_none());
        assert!(c.get("fb2", &stamp(1), &key).is_none());
        // The round edited: its body differs.
        let edited = Stamp {
            unit_seq: Some(1),
            round_body: Some("{\"x\":1}".into()),
        };
        assert!(c.get("fb1", &edited, &key).is_none());
        // Data read under a newer stamp replace the old ones.
        c.put("fb1", &place(), &stamp(2), key.clone(), page(8));
        assert!(c.get("fb1", &stamp(1), &key).is_none());
        assert_eq!(c.get("fb1", &stamp(2), &key), Some(page(8)));
    }

    #[test]
    fn keeps_a_bounded_number_of_feedbacks_dropping_the_least_recently_used() {
        let c = PageCache::default();
        for i in 0..MAX_FEEDBACKS {
            c.remember(&format!("fb{i}"), place());
        }
        assert!(c.place("fb0").is_some()); // used now: fb1 is the oldest
        c.remember("new", place());
        assert!(c.place("fb1").is_none());
        assert!(c.place("fb0").is_some());
        assert!(c.place("new").is_some());
        assert_eq!(c.lock().entries.len(), MAX_FEEDBACKS);
    }
}
