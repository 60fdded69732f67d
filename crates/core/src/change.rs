//! Every change the ledger accepts, as data. A unit of work is a list of them applied in
//! one transaction; each becomes one event whose payload is the change as written here.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::model::*;

/// The plan-time fields of a measure: what the unit writes into its plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MeasureDraft {
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
}

/// An evidence file as the unit describes it; its bytes travel beside the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EvidenceDraft {
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "change", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// A new round; an empty id is given one by the store.
    CreateRound {
        round: Round,
    },
    /// The round's settings and deadline policy, replaced as a whole.
    EditRound {
        round: Round,
    },
    CreateUnit {
        unit: Unit,
    },
    EditUnit {
        unit: Unit,
    },
    AddMeasure {
        finding_id: Id,
        measure: MeasureDraft,
    },
    EditMeasure {
        measure_id: Id,
        measure: MeasureDraft,
    },
    RemoveMeasure {
        measure_id: Id,
    },
    SubmitPlan {
        feedback_id: Id,
        #[serde(default)]
        reason: String,
    },
    ApprovePlan {
        feedback_id: Id,
        #[serde(default)]
        reason: String,
    },
    ReturnPlan {
        feedback_id: Id,
        reason: String,
    },
    /// A status command on a finding: start, request closure, sign off, return, …
    Finding {
        finding_id: Id,
        command: FindingCommandKind,
        #[serde(default)]
        reason: String,
        #[serde(default)]
        evidence: Vec<Id>,
    },
    AddProgress {
        measure_id: Id,
        text: String,
    },
    SetMeasureStatus {
        measure_id: Id,
        status: MeasureStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        long_term_reason: Option<String>,
    },
    AttachEvidence {
        finding_id: Id,
        evidence: EvidenceDraft,
    },
    AddOutcome {
        measure_id: Id,
        outcome: Outcome,
    },
    /// The unit asks for a later due date (延期).
    RequestExtension {
        measure_id: Id,
        new_due: Date,
        reason: String,
    },
    /// The inspection office approves or refuses the pending extension.
    DecideExtension {
        measure_id: Id,
        extension_id: Id,
        approve: bool,
    },
    /// Marks a finding internal (left out of the public notice) or public again; marking
    /// it internal says why.
    MarkInternal {
        finding_id: Id,
        internal: bool,
        #[serde(default)]
        reason: String,
    },
}

/// What a change is addressed to, for loading the right aggregate and for access checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Round(&'a str),
    Unit(&'a str),
    Feedback(&'a str),
    Finding(&'a str),
    Measure(&'a str),
}

impl Change {
    pub fn target(&self) -> Target<'_> {
        match self {
            Change::CreateRound { round } | Change::EditRound { round } => Target::Round(&round.id),
            Change::CreateUnit { unit } | Change::EditUnit { unit } => Target::Unit(&unit.id),
            Change::SubmitPlan { feedback_id, .. }
            | Change::ApprovePlan { feedback_id, .. }
            | Change::ReturnPlan { feedback_id, .. } => Target::Feedback(feedback_id),
            Change::AddMeasure { finding_id, .. }
            | Change::Finding { finding_id, .. }
            | Change::AttachEvidence { finding_id, .. }
            | Change::MarkInternal { finding_id, .. } => Target::Finding(finding_id),
            Change::EditMeasure { measure_id, .. }
            | Change::RemoveMeasure { measure_id }
            | Change::AddProgress { measure_id, .. }
            | Change::SetMeasureStatus { measure_id, .. }
            | Change::AddOutcome { measure_id, .. }
            | Change::RequestExtension { measure_id, .. }
            | Change::DecideExtension { measure_id, .. } => Target::Measure(measure_id),
        }
    }

    /// The snake_case name of the change, also the event's action unless a finding command
    /// names it more precisely.
    pub fn name(&self) -> &'static str {
        match self {
            Change::CreateRound { .. } => "create_round",
            Change::EditRound { .. } => "edit_round",
            Change::CreateUnit { .. } => "create_unit",
            Change::EditUnit { .. } => "edit_unit",
            Change::AddMeasure { .. } => "add_measure",
            Change::EditMeasure { .. } => "edit_measure",
            Change::RemoveMeasure { .. } => "remove_measure",
            Change::SubmitPlan { .. } => "submit_plan",
            Change::ApprovePlan { .. } => "approve_plan",
            Change::ReturnPlan { .. } => "return_plan",
            Change::Finding { command, .. } => command.as_str(),
            Change::AddProgress { .. } => "add_progress",
            Change::SetMeasureStatus { .. } => "set_measure_status",
            Change::AttachEvidence { .. } => "attach_evidence",
            Change::AddOutcome { .. } => "add_outcome",
            Change::RequestExtension { .. } => "request_extension",
            Change::DecideExtension { approve: true, .. } => "approve_extension",
            Change::DecideExtension { approve: false, .. } => "refuse_extension",
            Change::MarkInternal { internal: true, .. } => "mark_internal",
            Change::MarkInternal {
                internal: false, ..
            } => "mark_public",
        }
    }

    /// What the change does, in words for messages.
    pub fn zh(&self) -> &'static str {
        match self {
            Change::CreateRound { .. } => "新建巡察轮次",
            Change::EditRound { .. } => "修改巡察轮次",
            Change::CreateUnit { .. } => "新建单位",
            Change::EditUnit { .. } => "修改单位",
            Change::AddMeasure { .. } => "增加整改措施",
            Change::EditMeasure { .. } => "修改整改措施",
            Change::RemoveMeasure { .. } => "删除整改措施",
            Change::SubmitPlan { .. } => PlanAction::Submit.zh(),
            Change::ApprovePlan { .. } => PlanAction::Approve.zh(),
            Change::ReturnPlan { .. } => PlanAction::Return.zh(),
            Change::Finding { command, .. } => command.zh(),
            Change::AddProgress { .. } => "填报整改进展",
            Change::SetMeasureStatus { .. } => "更新措施状态",
            Change::AttachEvidence { .. } => "上传佐证材料",
            Change::AddOutcome { .. } => "登记整改成效",
            Change::RequestExtension { .. } => "申请延期",
            Change::DecideExtension { .. } => "审批延期",
            Change::MarkInternal { internal: true, .. } => "标记为不公开",
            Change::MarkInternal {
                internal: false, ..
            } => "取消不公开标记",
        }
    }
}
