//! The ledger's types. The nested `Feedback` tree is the aggregate that is imported,
//! exported and stored as a unit; its JSON form is `zhenggai.ledger.v1`
//! (docs/ledger-json.md).

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::policy::DeadlinePolicy;
use crate::rules::Role;

pub type Id = String;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundLevel {
    /// 巡视: by the centre or a province.
    Tour,
    /// 巡察: by a city or a county.
    Inspection,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    Routine,
    Special,
    Cross,
    Elevated,
    FollowUp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    pub id: Id,
    pub name: String,
    pub level: RoundLevel,
    pub kind: RoundKind,
    pub team: String,
    pub inspection_start: Date,
    pub inspection_end: Date,
    pub feedback_date: Date,
    #[serde(default)]
    pub policy: DeadlinePolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: Id,
    pub name: String,
}

/// What one round handed one unit, with everything the unit did about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    pub id: Id,
    pub round_id: Id,
    pub unit_id: Id,
    pub date: Date,
    #[serde(default)]
    pub categories: Vec<Category>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub aspects: Vec<Aspect>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aspect {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    Open,
    Planned,
    InProgress,
    ClosureRequested,
    Closed,
    BasicallyDone,
    LongTerm,
    Transferred,
    Reopened,
}

impl FindingStatus {
    pub const ALL: [FindingStatus; 9] = [
        FindingStatus::Open,
        FindingStatus::Planned,
        FindingStatus::InProgress,
        FindingStatus::ClosureRequested,
        FindingStatus::Closed,
        FindingStatus::BasicallyDone,
        FindingStatus::LongTerm,
        FindingStatus::Transferred,
        FindingStatus::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Open => "open",
            FindingStatus::Planned => "planned",
            FindingStatus::InProgress => "in_progress",
            FindingStatus::ClosureRequested => "closure_requested",
            FindingStatus::Closed => "closed",
            FindingStatus::BasicallyDone => "basically_done",
            FindingStatus::LongTerm => "long_term",
            FindingStatus::Transferred => "transferred",
            FindingStatus::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<FindingStatus> {
        FindingStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            FindingStatus::Open => "待制定方案",
            FindingStatus::Planned => "方案已审定",
            FindingStatus::InProgress => "整改中",
            FindingStatus::ClosureRequested => "已申请销号",
            FindingStatus::Closed => "已销号",
            FindingStatus::BasicallyDone => "基本完成",
            FindingStatus::LongTerm => "长期坚持",
            FindingStatus::Transferred => "已移交",
            FindingStatus::Reopened => "回头看重新打开",
        }
    }

    /// Signed off in one of its forms: the work on it no longer drives deadlines.
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            FindingStatus::Closed | FindingStatus::LongTerm | FindingStatus::Transferred
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub id: Id,
    pub title: String,
    pub status: FindingStatus,
    #[serde(default)]
    pub measures: Vec<Measure>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Every status change, oldest first; replaying it through the rules must end at `status`.
    #[serde(default)]
    pub transitions: Vec<Transition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Lead>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    Immediate,
    ByDeadline,
    LongTerm,
}

impl MeasureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::Immediate => "immediate",
            MeasureKind::ByDeadline => "by_deadline",
            MeasureKind::LongTerm => "long_term",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    Pending,
    InProgress,
    Done,
}

impl MeasureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureStatus::Pending => "pending",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[serde(deny_unknown_fields)]
pub struct ProgressUpdate {
    pub id: Id,
    pub date: Date,
    pub author: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub id: Id,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[serde(rename_all = "snake_case")]
pub enum RuleChange {
    New,
    Revised,
    Repealed,
}

/// What a measure achieved, typed so that roll-ups can add it up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[serde(rename_all = "snake_case")]
pub enum ExtensionDecision {
    Requested,
    Approved,
    Refused,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    pub id: Id,
    pub requested_on: Date,
    pub requested_by: String,
    pub new_due: Date,
    pub reason: String,
    pub decision: ExtensionDecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
}

/// A problem handed to the discipline body (问题线索移交).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lead {
    pub transferred_on: Date,
    pub to_body: String,
    #[serde(default)]
    pub note: String,
}

/// One status change of a finding: who, when, from, to, why and on what evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub date: Date,
    pub actor: String,
    pub role: Role,
    pub command: FindingCommandKind,
    pub from: FindingStatus,
    pub to: FindingStatus,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub evidence: Vec<Id>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingCommandKind {
    ApprovePlan,
    Start,
    RequestClosure,
    SignOff,
    SignOffBasicallyDone,
    SignOffLongTerm,
    Return,
    Transfer,
    Reopen,
    Resume,
}

impl FindingCommandKind {
    pub const ALL: [FindingCommandKind; 10] = [
        FindingCommandKind::ApprovePlan,
        FindingCommandKind::Start,
        FindingCommandKind::RequestClosure,
        FindingCommandKind::SignOff,
        FindingCommandKind::SignOffBasicallyDone,
        FindingCommandKind::SignOffLongTerm,
        FindingCommandKind::Return,
        FindingCommandKind::Transfer,
        FindingCommandKind::Reopen,
        FindingCommandKind::Resume,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingCommandKind::ApprovePlan => "approve_plan",
            FindingCommandKind::Start => "start",
            FindingCommandKind::RequestClosure => "request_closure",
            FindingCommandKind::SignOff => "sign_off",
            FindingCommandKind::SignOffBasicallyDone => "sign_off_basically_done",
            FindingCommandKind::SignOffLongTerm => "sign_off_long_term",
            FindingCommandKind::Return => "return",
            FindingCommandKind::Transfer => "transfer",
            FindingCommandKind::Reopen => "reopen",
            FindingCommandKind::Resume => "resume",
        }
    }

    pub fn parse(s: &str) -> Option<FindingCommandKind> {
        FindingCommandKind::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            FindingCommandKind::ApprovePlan => "审定整改方案",
            FindingCommandKind::Start => "开始整改",
            FindingCommandKind::RequestClosure => "申请销号",
            FindingCommandKind::SignOff => "销号",
            FindingCommandKind::SignOffBasicallyDone => "认定基本完成",
            FindingCommandKind::SignOffLongTerm => "认定长期坚持",
            FindingCommandKind::Return => "退回",
            FindingCommandKind::Transfer => "移交问题线索",
            FindingCommandKind::Reopen => "回头看重新打开",
            FindingCommandKind::Resume => "恢复整改",
        }
    }
}

impl Feedback {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.categories
            .iter()
            .flat_map(|c| c.aspects.iter())
            .flat_map(|a| a.findings.iter())
    }
}
