use serde::{Deserialize, Serialize};

use super::Id;
use crate::date::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    Immediate,
    ByDeadline,
    LongTerm,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 3] = [
        MeasureKind::Immediate,
        MeasureKind::ByDeadline,
        MeasureKind::LongTerm,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::Immediate => "immediate",
            MeasureKind::ByDeadline => "by_deadline",
            MeasureKind::LongTerm => "long_term",
        }
    }

    pub fn parse(s: &str) -> Option<MeasureKind> {
        MeasureKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            MeasureKind::Immediate => "立行立改",
            MeasureKind::ByDeadline => "限期整改",
            MeasureKind::LongTerm => "长期坚持",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    Pending,
    InProgress,
    Done,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 3] = [
        MeasureStatus::Pending,
        MeasureStatus::InProgress,
        MeasureStatus::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeasureStatus::Pending => "pending",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<MeasureStatus> {
        MeasureStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            MeasureStatus::Pending => "未开始",
            MeasureStatus::InProgress => "推进中",
            MeasureStatus::Done => "已完成",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub id: Id,
    pub text: String,
    pub kind: MeasureKind,
    #[serde(default)]
    pub lead: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    pub status: MeasureStatus,
    /// Why a long-term measure counts as in hand although it never ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_term_reason: Option<String>,
    #[serde(default)]
    pub progress: Vec<ProgressUpdate>,
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
    #[serde(default)]
    pub extensions: Vec<Extension>,
}

impl Measure {
    /// Done, or long-term with a reason: what closure requires of every measure.
    pub fn is_complete(&self) -> bool {
        self.status == MeasureStatus::Done
            || (self.kind == MeasureKind::LongTerm
                && self
                    .long_term_reason
                    .as_deref()
                    .is_some_and(|r| !r.trim().is_empty()))
    }

    /// Unfinished work that a due date binds: not done and not standing long-term.
    pub fn is_open_work(&self) -> bool {
        self.status != MeasureStatus::Done && self.kind != MeasureKind::LongTerm
    }

    /// The due date after the last approved extension.
    pub fn effective_due(&self) -> Option<Date> {
        self.extensions
            .iter()
            .rev()
            .find(|e| e.decision == ExtensionDecision::Approved)
            .map(|e| e.new_due)
            .or(self.due)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgressUpdate {
    pub id: Id,
    pub date: Date,
    pub author: String,
    pub author_id: Id,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MoneyKind {
    /// 清退
    Refunded,
    /// 追回
    Recovered,
    /// 挽回
    Saved,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RuleChange {
    New,
    Revised,
    Repealed,
}

/// What a measure achieved, typed so that roll-ups can add it up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    Quantity {
        value: f64,
        unit: String,
        #[serde(default)]
        what: String,
    },
    /// Money in fen (分) so that totals are exact.
    Money {
        kind: MoneyKind,
        fen: i64,
    },
    Rule {
        change: RuleChange,
        title: String,
    },
    Accountability {
        form: String,
        people: u32,
    },
    Meeting {
        date: Date,
        title: String,
    },
    /// A document (《…》) the measure produced or relied on.
    Document {
        title: String,
    },
    /// A date the measure's account mentions, at the precision written (2022, 2022-04,
    /// 2022-04-29).
    Mentioned {
        value: String,
        text: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExtensionDecision {
    Requested,
    Approved,
    Refused,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Extension {
    pub id: Id,
    pub requested_on: Date,
    pub requested_by: String,
    pub requested_by_id: Id,
    pub new_due: Date,
    pub reason: String,
    pub decision: ExtensionDecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
}
