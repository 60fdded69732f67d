//! Where "now" comes from. Changes never take their date from the caller: the store asks
//! its clock, so a test or the demo can set the day while production reads the system.

use std::sync::Mutex;

use chrono::{DateTime, NaiveTime, Utc};

use crate::date::Date;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// The calendar day rules date things by, in the office's local time.
    fn today(&self) -> Date;
}

/// A clock that stands where it is set: for the demo's story and for tests.
#[derive(Debug)]
pub struct ManualClock {
    day: Mutex<Date>,
}

impl ManualClock {
    pub fn new(day: Date) -> ManualClock {
        ManualClock {
            day: Mutex::new(day),
        }
    }

    pub fn set(&self, day: Date) {
        // A poisoned lock still holds a valid date.
        *self.day.lock().unwrap_or_else(|e| e.into_inner()) = day;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.today().0.and_time(NaiveTime::MIN).and_utc()
    }

    fn today(&self) -> Date {
        *self.day.lock().unwrap_or_else(|e| e.into_inner())
    }
}
