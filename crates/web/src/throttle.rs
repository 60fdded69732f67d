//! Slowing down repeated failed sign-ins, per account and per address: after a few free
//! tries each further failure doubles the wait, up to a quarter of an hour. In memory: a
//! restart forgives, which an attacker cannot trigger.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed before any wait.
const FREE: u32 = 5;
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// A key not failed for this long is forgotten.
const FORGET: Duration = Duration::from_secs(60 * 60);
/// Bound on the keys kept, so that a flood of made-up names cannot fill memory.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Record {
    failures: u32,
    last: Instant,
    until: Instant,
}

#[derive(Debug, Default)]
pub struct Throttle {
    keys: Mutex<HashMap<String, Record>>,
}

impl Throttle {
    /// How long each of `keys` must still wait, the longest of them.
    pub fn wait(&self, keys: &[String]) -> Option<Duration> {
        let now = Instant::now();
        let map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter()
            .filter_map(|k| map.get(k))
            .map(|r| r.until.saturating_duration_since(now))
            .filter(|d| !d.is_zero())
            .max()
    }

    pub fn failed(&self, keys: &[String]) {
        let now = Instant::now();
        let mut map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, r| now.duration_since(r.last) < FORGET);
        }
        for k in keys {
            let r = map.entry(k.clone()).or_insert(Record {
                failures: 0,
                last: now,
                until: now,
            });
            if now.duration_since(r.last) >= FORGET {
                r.failures = 0;
            }
            r.failures += 1;
            r.last = now;
            if r.failures > FREE {
                let wait =
                    Duration::from_secs(1u64 << (r.failures - FREE - 1).min(20)).min(MAX_WAIT);
                r.until = now + wait;
            }
        }
    }

    pub fn succeeded(&self, key: &str) {
        self.keys
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_the_free_tries_and_grow() {
        let t = Throttle::default();
        let keys = vec!["login:zhang".to_string()];
        for _ in 0..FREE {
            t.failed(&keys);
            assert_eq!(t.wait(&keys), None);
        }
        t.failed(&keys);
        let first = t.wait(&keys).expect("waiting");
        t.failed(&keys);
        let second = t.wait(&keys).expect("waiting");
        assert!(second > first, "{first:?} {second:?}");
        t.succeeded("login:zhang");
        assert_eq!(t.wait(&keys), None);
        assert_eq!(t.wait(&["addr:1.2.3.4".to_string()]), None);
    }
}
