//! What the store takes and gives back: units of work and their results, the read model's
//! queries and views, accounts.

use serde::Serialize;
use zhenggai_core::*;

/// A list of changes applied in one transaction, with the bytes of the evidence files any
/// of them attaches (each found by its sha256).
#[derive(Debug, Clone, Default)]
pub struct Work {
    pub changes: Vec<Change>,
    pub blobs: Vec<Vec<u8>>,
}

impl Work {
    pub fn one(change: Change) -> Work {
        Work {
            changes: vec![change],
            blobs: vec![],
        }
    }
}

impl From<Vec<Change>> for Work {
    fn from(changes: Vec<Change>) -> Work {
        Work {
            changes,
            blobs: vec![],
        }
    }
}

/// What one change of a unit of work did, with the sequence number of its event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applied {
    pub seq: i64,
    pub action: String,
    #[serde(flatten)]
    pub effect: Effect,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    pub rounds: u64,
    pub units: u64,
    pub feedbacks: u64,
    pub findings: u64,
    pub measures: u64,
    pub evidence_files: u64,
    /// Records already present with the same content, left as they were.
    pub unchanged: u64,
    pub events: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyReport {
    /// Events whose links and hashes hold.
    pub checked: u64,
    /// Stored records compared with the state their latest event recorded.
    pub records: u64,
    /// Evidence files compared with their sha256.
    pub files: u64,
    /// Where the chain ends: the anchor to keep elsewhere.
    pub head: Anchor,
    /// The first thing that does not fit, and why.
    pub broken: Option<Broken>,
}

pub use zhenggai_core::event::Anchor;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Broken {
    /// An event that does not fit the chain.
    Event { seq: i64, why: String },
    /// A stored record whose content is not what its latest event recorded.
    Record {
        table: String,
        id: String,
        why: String,
    },
    /// The anchor given is not in the chain.
    Anchor { why: String },
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broken::Event { seq, why } => write!(f, "第 {seq} 号事件不符：{why}"),
            Broken::Record { table, id, why } => write!(f, "记录 {table}/{id} 不符：{why}"),
            Broken::Anchor { why } => write!(f, "锚点不符：{why}"),
        }
    }
}

/// One finding as its page shows it: the finding with measures, progress, evidence and
/// outcomes, and where it hangs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingView {
    pub finding: Finding,
    pub ord: i64,
    pub feedback_id: Id,
    pub round: Round,
    pub unit: Unit,
    pub category: String,
    pub aspect: String,
    pub plan: PlanStatus,
    pub live_due: Option<Date>,
}

/// A line of a findings list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingLine {
    pub id: Id,
    pub ord: i64,
    pub feedback_id: Id,
    pub aspect_id: Id,
    pub round_id: Id,
    pub unit_id: Id,
    pub unit: String,
    pub title: String,
    pub status: FindingStatus,
    pub live_due: Option<Date>,
    pub measures: i64,
    pub measures_done: i64,
    /// Its last closure request was returned.
    pub returned: bool,
    /// A measure of it waits for the office's decision on an extension.
    pub extension_pending: bool,
}

/// A line of a unit's ledger (问题清单 / 任务清单 / 责任清单): the finding, where it hangs,
/// and its measures with their owners and due dates. The line is nested under `finding`
/// (not flattened): its `measures` is a count, beside this list of measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerLine {
    #[serde(rename = "finding")]
    pub line: FindingLine,
    pub category: String,
    pub aspect: String,
    pub measures: Vec<Measure>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingQuery {
    pub round_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub feedback_id: Option<Id>,
    pub status: Option<FindingStatus>,
    /// Findings with a measure this person answers for.
    pub owner: Option<String>,
    /// Findings whose earliest open due date gives this colour today, under each round's
    /// policy.
    pub warning: Option<Warning>,
    pub overdue: bool,
    /// Only findings whose last closure request was returned.
    pub returned: bool,
    /// Only findings with an extension request waiting for a decision.
    pub extension_pending: bool,
    /// Continue after this `ord` (keyset paging).
    pub after: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventQuery {
    pub round_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub finding_id: Option<Id>,
    pub actor_id: Option<Id>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Continue before this sequence number (newest first).
    pub before: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass back as `after` / `before` for the next page; absent on the last.
    pub next: Option<i64>,
}

/// A feedback without its tree: what a ledger page's heading shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackHead {
    pub id: Id,
    pub round: Round,
    pub unit: Unit,
    pub date: Date,
    pub plan: Plan,
}

/// A feedback in a listing: which round handed it to which unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackRef {
    pub id: Id,
    pub round_id: Id,
    pub unit_id: Id,
    pub plan: PlanStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Id,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub units: Vec<Id>,
    pub disabled: bool,
    pub created_at: String,
}

impl User {
    pub fn actor(&self) -> Result<Actor, CoreError> {
        Actor::new(
            self.id.clone(),
            self.name.clone(),
            self.role,
            self.units.clone(),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub login: String,
    pub name: String,
    pub role: Role,
    pub units: Vec<Id>,
    /// An argon2id PHC string: the store never sees a password.
    pub password_hash: String,
}

/// What an account change does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChange {
    Disable {
        user_id: Id,
    },
    Enable {
        user_id: Id,
    },
    SetPassword {
        user_id: Id,
        password_hash: String,
    },
    /// `token_sha256` is the hash of a token shown to the user once.
    AddToken {
        user_id: Id,
        token_sha256: String,
        label: String,
    },
    RevokeToken {
        token_sha256: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: String,
    pub user_id: Id,
    pub label: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub created_at: String,
    pub seen_at: String,
}
