//! The status machine of a finding and of a unit's plan: which command leads where, who may
//! give it, and the second-person rule. `finding_rules` and `plan_rules` apply changes
//! through these functions, and the import validator replays history through the same
//! ones, so that what one accepts the other accepts.

use crate::actor::Role;
use crate::error::CoreError;
use crate::model::{FindingCommandKind as Cmd, FindingStatus as St, PlanAction, PlanStatus};

/// The status a command leads to from `from`, if the edge exists at all.
pub fn target(from: St, cmd: Cmd) -> Option<St> {
    Some(match (cmd, from) {
        (Cmd::ApprovePlan, St::Open) => St::Planned,
        (Cmd::Start, St::Planned) => St::InProgress,
        (Cmd::RequestClosure, St::InProgress | St::BasicallyDone) => St::ClosureRequested,
        (Cmd::SignOff, St::ClosureRequested) => St::Closed,
        (Cmd::SignOffBasicallyDone, St::ClosureRequested) => St::BasicallyDone,
        (Cmd::SignOffLongTerm, St::ClosureRequested) => St::LongTerm,
        (Cmd::Return, St::ClosureRequested) => St::InProgress,
        (
            Cmd::Transfer,
            St::Open | St::Planned | St::InProgress | St::ClosureRequested | St::Reopened,
        ) => St::Transferred,
        (Cmd::Reopen, St::Closed | St::BasicallyDone | St::LongTerm) => St::Reopened,
        (Cmd::Resume, St::Reopened) => St::InProgress,
        _ => return None,
    })
}

/// Who may give a command to a finding.
pub fn role_allowed(cmd: Cmd, role: Role) -> bool {
    match cmd {
        Cmd::ApprovePlan => role == Role::Office,
        Cmd::Start | Cmd::RequestClosure | Cmd::Resume => role.is_unit(),
        Cmd::SignOff
        | Cmd::SignOffBasicallyDone
        | Cmd::SignOffLongTerm
        | Cmd::Return
        | Cmd::Transfer
        | Cmd::Reopen => role.is_checker(),
    }
}

/// Sign-offs and returns decide on somebody else's request.
pub fn needs_second_person(cmd: Cmd) -> bool {
    matches!(
        cmd,
        Cmd::SignOff | Cmd::SignOffBasicallyDone | Cmd::SignOffLongTerm | Cmd::Return
    )
}

/// Commands that must say why: a return tells the unit what is missing, a transfer and a
/// reopening are decisions someone answers for.
pub fn needs_reason(cmd: Cmd) -> bool {
    matches!(cmd, Cmd::Return | Cmd::Transfer | Cmd::Reopen)
}

/// Role, edge and second-person rules: what can be checked from history alone.
/// `requester` and `actor_id` are user ids.
pub fn decide_edge(
    from: St,
    requester: Option<&str>,
    cmd: Cmd,
    role: Role,
    actor_id: &str,
) -> Result<St, CoreError> {
    if !role_allowed(cmd, role) {
        return Err(CoreError::forbidden(cmd.zh()));
    }
    let to = target(from, cmd).ok_or_else(|| CoreError::InvalidTransition {
        from,
        action: cmd.zh().to_string(),
    })?;
    if needs_second_person(cmd) && requester.is_none_or(|r| r == actor_id) {
        return Err(CoreError::SamePerson);
    }
    Ok(to)
}

/// After a transition, whose closure request (a user id) is pending.
pub fn requester_after<'a>(
    cmd: Cmd,
    actor_id: &'a str,
    before: Option<&'a str>,
) -> Option<&'a str> {
    match cmd {
        Cmd::RequestClosure => Some(actor_id),
        Cmd::SignOff
        | Cmd::SignOffBasicallyDone
        | Cmd::SignOffLongTerm
        | Cmd::Return
        | Cmd::Transfer => None,
        Cmd::ApprovePlan | Cmd::Start | Cmd::Reopen | Cmd::Resume => before,
    }
}

/// The plan's edges: the unit's lead submits, the office approves or returns.
pub fn plan_target(from: PlanStatus, action: PlanAction) -> Option<PlanStatus> {
    Some(match (action, from) {
        (PlanAction::Submit, PlanStatus::Draft | PlanStatus::Returned) => PlanStatus::Submitted,
        (PlanAction::Approve, PlanStatus::Submitted) => PlanStatus::Approved,
        (PlanAction::Return, PlanStatus::Submitted) => PlanStatus::Returned,
        _ => return None,
    })
}

pub fn plan_role_allowed(action: PlanAction, role: Role) -> bool {
    match action {
        PlanAction::Submit => role == Role::UnitLead,
        PlanAction::Approve | PlanAction::Return => role == Role::Office,
    }
}

pub fn decide_plan(
    from: PlanStatus,
    action: PlanAction,
    role: Role,
) -> Result<PlanStatus, CoreError> {
    if !plan_role_allowed(action, role) {
        return Err(CoreError::forbidden(action.zh()));
    }
    plan_target(from, action).ok_or_else(|| CoreError::PlanState {
        from,
        action: action.zh().to_string(),
    })
}

/// Progress, measure status, outcomes, evidence and extension requests are the unit's.
pub fn may_record_work(role: Role) -> bool {
    role.is_unit()
}

/// Extensions are decided by the inspection office.
pub fn may_decide_extension(role: Role) -> bool {
    role == Role::Office
}

/// What the public notice leaves out is decided by the second party, never by the unit
/// that publishes it: the office or a supervisor.
pub fn may_mark_internal(role: Role) -> bool {
    role.is_checker()
}

/// Rounds, their policies and units are set up by the office; an administrator may too.
pub fn may_set_up(role: Role) -> bool {
    matches!(role, Role::Office | Role::Admin)
}
