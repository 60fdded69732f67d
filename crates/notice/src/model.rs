//! The `zhenggai.notice.v1` document (shared/spec/notice-json.md).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "zhenggai.notice.v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub format: String,
    pub source: Source,
    pub kind: Kind,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub inspector: Option<String>,
    pub inspection_period: Option<Period>,
    pub feedback_date: Option<String>,
    pub published: Option<String>,
    pub categories: Vec<Heading>,
    pub aspects: Vec<AspectHeading>,
    pub findings: Vec<Finding>,
    pub documents: Vec<String>,
    pub contact: BTreeMap<String, String>,
    pub warnings: Vec<Warning>,
}

impl Notice {
    /// The year a date written without one most likely belongs to: the feedback's, else
    /// the publication's.
    pub fn context_year(&self) -> Option<i32> {
        year_of([&self.feedback_date, &self.published])
    }
}

/// The year of the first of these dates that is given.
pub(crate) fn year_of(dates: [&Option<String>; 2]) -> Option<i32> {
    dates.iter().find_map(|d| {
        d.as_ref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    pub encoding: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Progress,
    Final,
    Plan,
    Feedback,
    Aggregate,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    pub number: String,
    pub title: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AspectHeading {
    pub number: String,
    pub title: String,
    pub category: Option<usize>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    Done,
    InProgress,
    LongTerm,
    Transferred,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub number: String,
    pub title: String,
    pub category: Option<usize>,
    pub aspect: Option<usize>,
    pub line: usize,
    pub status: FindingStatus,
    pub measures: Vec<Measure>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub ordinal: usize,
    pub text: String,
    pub line: usize,
    pub quantities: Vec<Quantity>,
    pub dates: Vec<DateMention>,
    pub documents: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub text: String,
    pub value: f64,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    pub text: String,
    /// "2022-04-29", "2022-04" or "2022": the precision written.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub line: Option<usize>,
    pub message: String,
}
