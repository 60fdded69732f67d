//! Who may read and change what: the one function every read and every change asks.
//!
//! A unit's people see and change their own units only; the office and supervisors see all
//! units; the office changes what the rules give it; administrators manage accounts and
//! settings and may read everything; the public reads published notices only. A refusal
//! never says whether the thing asked for exists.

use crate::actor::{Actor, Role};
use crate::change::Change;
use crate::error::CoreError;
use crate::model::PlanAction;
use crate::rules;

#[derive(Debug, Clone, Copy)]
pub enum Access<'a> {
    /// One unit's ledger: its feedback, findings, measures, evidence and events.
    ReadUnit(&'a str),
    /// Lists and figures over many units; the caller filters them to the actor's scope.
    ReadScoped,
    /// The whole event log and the chain's verification.
    Audit,
    /// Whole-ledger export and backup.
    ExportAll,
    /// Bringing notices and ledger documents in.
    Import,
    /// Users, roles, units of users, API tokens.
    ManageAccounts,
    /// A change to the data of `unit` (`None` for rounds and units themselves).
    Change(&'a Change, Option<&'a str>),
    /// Published notices: open to anyone.
    ReadPublished,
}

pub fn authorize(actor: &Actor, access: Access<'_>) -> Result<(), CoreError> {
    let allowed = match access {
        Access::ReadPublished => true,
        Access::ReadUnit(unit) => actor.role != Role::Public && actor.scope.covers(unit),
        Access::ReadScoped => actor.role != Role::Public,
        Access::Audit => matches!(actor.role, Role::Office | Role::Supervisor | Role::Admin),
        Access::ExportAll => matches!(actor.role, Role::Office | Role::Supervisor | Role::Admin),
        Access::Import => matches!(actor.role, Role::Office | Role::Admin),
        Access::ManageAccounts => actor.role == Role::Admin,
        Access::Change(change, unit) => {
            unit.is_none_or(|u| actor.scope.covers(u)) && may_change(actor.role, change)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(CoreError::forbidden(match access {
            Access::Change(change, _) => change.zh(),
            Access::ManageAccounts => "管理用户",
            Access::Import => "导入",
            Access::Audit => "查看审计记录",
            Access::ExportAll => "导出整个账本",
            Access::ReadUnit(_) | Access::ReadScoped | Access::ReadPublished => "查看",
        }))
    }
}

/// The refusal for a record asked for by id that does not exist or lies outside what the
/// actor may see. Those who see every unit learn that it does not exist; everyone else
/// gets the refusal they would get for another unit's record, and so learns nothing.
pub fn unseen(actor: &Actor, action: &str, what: &'static str, id: &str) -> CoreError {
    if actor.scope == crate::actor::Scope::All {
        CoreError::NotFound {
            what,
            id: id.to_string(),
        }
    } else {
        CoreError::forbidden(action)
    }
}

/// May the actor read the record `id`, found in `unit` (or not found: `None`)?
pub fn read(
    actor: &Actor,
    what: &'static str,
    id: &str,
    unit: Option<&str>,
) -> Result<(), CoreError> {
    match unit {
        Some(u) if authorize(actor, Access::ReadUnit(u)).is_ok() => Ok(()),
        _ => Err(unseen(actor, "查看", what, id)),
    }
}

/// The role each change needs, whatever the unit.
fn may_change(role: Role, change: &Change) -> bool {
    match change {
        Change::CreateRound { .. }
        | Change::EditRound { .. }
        | Change::CreateUnit { .. }
        | Change::EditUnit { .. } => rules::may_set_up(role),
        Change::AddMeasure { .. } | Change::EditMeasure { .. } | Change::RemoveMeasure { .. } => {
            role.is_unit()
        }
        Change::SubmitPlan { .. } => rules::plan_role_allowed(PlanAction::Submit, role),
        Change::ApprovePlan { .. } => rules::plan_role_allowed(PlanAction::Approve, role),
        Change::ReturnPlan { .. } => rules::plan_role_allowed(PlanAction::Return, role),
        Change::Finding { command, .. } => rules::role_allowed(*command, role),
        Change::AddProgress { .. }
        | Change::SetMeasureStatus { .. }
        | Change::AttachEvidence { .. }
        | Change::AddOutcome { .. }
        | Change::RequestExtension { .. } => rules::may_record_work(role),
        Change::DecideExtension { .. } => rules::may_decide_extension(role),
        Change::MarkInternal { .. } => rules::may_mark_internal(role),
    }
}
