use serde::{Deserialize, Serialize};

use super::Id;
use crate::actor::Role;
use crate::date::Date;

/// Where the unit's rectification plan (整改方案) stands. Measures can be added, edited and
/// removed only while it is `draft` or `returned`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    #[default]
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 4] = [
        PlanStatus::Draft,
        PlanStatus::Submitted,
        PlanStatus::Approved,
        PlanStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Approved => "approved",
            PlanStatus::Returned => "returned",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            PlanStatus::Draft => "方案编制中",
            PlanStatus::Submitted => "方案待审核",
            PlanStatus::Approved => "方案已审定",
            PlanStatus::Returned => "方案被退回",
        }
    }

    /// The plan's measures may still be changed by the unit.
    pub fn is_open(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Returned)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanAction {
    Submit,
    Approve,
    Return,
}

impl PlanAction {
    pub const ALL: [PlanAction; 3] = [PlanAction::Submit, PlanAction::Approve, PlanAction::Return];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanAction::Submit => "submit_plan",
            PlanAction::Approve => "approve_plan",
            PlanAction::Return => "return_plan",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            PlanAction::Submit => "报送整改方案",
            PlanAction::Approve => "审定整改方案",
            PlanAction::Return => "退回整改方案",
        }
    }
}

/// One step of the plan's review: who, when, what and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanStep {
    pub date: Date,
    pub actor: String,
    pub actor_id: Id,
    pub role: Role,
    pub action: PlanAction,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub status: PlanStatus,
    /// Every step, oldest first; replaying it through the rules must end at `status`.
    #[serde(default)]
    pub history: Vec<PlanStep>,
}
