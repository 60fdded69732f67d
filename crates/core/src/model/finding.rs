use serde::{Deserialize, Serialize};

use super::{Id, Measure};
use crate::actor::Role;
use crate::date::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// While a closure is under review, after sign-off and after transfer the unit's work
    /// record (measures, progress, evidence, outcomes) is frozen: what was checked stays
    /// what it was. A return or a reopening thaws it.
    pub fn freezes_work(self) -> bool {
        matches!(
            self,
            FindingStatus::ClosureRequested
                | FindingStatus::Closed
                | FindingStatus::LongTerm
                | FindingStatus::Transferred
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Left out of the public version of the notice (涉密, under investigation, …): set
    /// by the office or a supervisor. Absent from stored bodies and documents when false,
    /// so ledgers written before the mark existed read and verify unchanged.
    #[serde(default, skip_serializing_if = "is_false")]
    pub internal: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub id: Id,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    #[serde(default)]
    pub description: String,
    pub added_on: Date,
    pub added_by: String,
    pub added_by_id: Id,
}

impl Finding {
    /// A problem as fed back: open, with the measures planned for it and nothing done yet.
    pub fn fed_back(id: Id, title: String, measures: Vec<Measure>) -> Finding {
        Finding {
            id,
            title,
            status: FindingStatus::Open,
            measures,
            evidence: vec![],
            transitions: vec![],
            lead: None,
            internal: false,
        }
    }

    /// The earliest due date among the unfinished measures while the finding is not
    /// settled: what overdue and the warning colour are decided on. Its one definition.
    pub fn live_due(&self) -> Option<Date> {
        if self.status.is_settled() {
            return None;
        }
        self.measures
            .iter()
            .filter(|m| m.is_open_work())
            .filter_map(Measure::effective_due)
            .min()
    }

    pub fn measures_complete(&self) -> bool {
        self.measures.iter().all(Measure::is_complete)
    }

    /// Who asked for the pending closure (their user id), as the history tells it.
    pub fn requester(&self) -> Option<&str> {
        self.transitions.iter().fold(None, |req, t| {
            crate::rules::requester_after(t.command, &t.actor_id, req)
        })
    }
}

/// A problem handed to the discipline body (问题线索移交).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Lead {
    pub transferred_on: Date,
    pub to_body: String,
    #[serde(default)]
    pub note: String,
}

/// One status change of a finding: who, when, from, to, why and on what evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub date: Date,
    pub actor: String,
    pub actor_id: Id,
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
