//! The finding status rules, enforced here and nowhere else: the store asks `decide` before
//! it writes a transition, and the import validator replays history through `decide_edge`.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::model::{FindingCommandKind as Cmd, FindingStatus as St};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Office,
    Supervisor,
    UnitEditor,
    UnitLead,
    Public,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Office,
        Role::Supervisor,
        Role::UnitEditor,
        Role::UnitLead,
        Role::Public,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Office => "office",
            Role::Supervisor => "supervisor",
            Role::UnitEditor => "unit_editor",
            Role::UnitLead => "unit_lead",
            Role::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    fn is_checker(self) -> bool {
        matches!(self, Role::Office | Role::Supervisor)
    }

    fn is_unit(self) -> bool {
        matches!(self, Role::UnitEditor | Role::UnitLead)
    }
}

/// Who is acting: a person's name and the role they act in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    pub role: Role,
}

impl Actor {
    pub fn new(name: impl Into<String>, role: Role) -> Actor {
        Actor {
            name: name.into(),
            role,
        }
    }
}

pub type FindingCommand = Cmd;

/// What the rules need to know about a finding to decide a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingFacts {
    pub status: St,
    /// Who asked for the pending closure, if one is pending.
    pub requester: Option<String>,
    pub measures_complete: bool,
    pub evidence_count: usize,
}

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

fn role_allowed(cmd: Cmd, role: Role) -> bool {
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

fn needs_second_person(cmd: Cmd) -> bool {
    matches!(
        cmd,
        Cmd::SignOff | Cmd::SignOffBasicallyDone | Cmd::SignOffLongTerm | Cmd::Return
    )
}

/// Role, edge and second-person rules: what can be checked from history alone.
pub fn decide_edge(
    from: St,
    requester: Option<&str>,
    cmd: Cmd,
    actor: &Actor,
) -> Result<St, CoreError> {
    if !role_allowed(cmd, actor.role) {
        return Err(CoreError::Forbidden {
            role: actor.role.as_str().to_string(),
            action: cmd.zh().to_string(),
        });
    }
    let to = target(from, cmd).ok_or_else(|| CoreError::InvalidTransition {
        from,
        action: cmd.zh().to_string(),
    })?;
    if needs_second_person(cmd) && requester.is_none_or(|r| r == actor.name) {
        return Err(CoreError::SamePerson);
    }
    Ok(to)
}

/// The full rule: `decide_edge` plus the guards on the finding's present measures and evidence.
pub fn decide(facts: &FindingFacts, cmd: Cmd, actor: &Actor) -> Result<St, CoreError> {
    let to = decide_edge(facts.status, facts.requester.as_deref(), cmd, actor)?;
    if cmd == Cmd::RequestClosure {
        if !facts.measures_complete {
            return Err(CoreError::MeasuresIncomplete);
        }
        if facts.evidence_count == 0 {
            return Err(CoreError::EvidenceMissing);
        }
    }
    Ok(to)
}

/// After a transition, who is the pending requester.
pub fn requester_after(cmd: Cmd, actor: &Actor, before: Option<String>) -> Option<String> {
    match cmd {
        Cmd::RequestClosure => Some(actor.name.clone()),
        Cmd::SignOff
        | Cmd::SignOffBasicallyDone
        | Cmd::SignOffLongTerm
        | Cmd::Return
        | Cmd::Transfer => None,
        _ => before,
    }
}

/// Progress, measure status and evidence are the unit's to write.
pub fn may_edit_unit_work(role: Role) -> bool {
    role.is_unit()
}

/// Extensions are decided by the inspection office.
pub fn may_decide_extension(role: Role) -> bool {
    role == Role::Office
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(status: St) -> FindingFacts {
        FindingFacts {
            status,
            requester: None,
            measures_complete: true,
            evidence_count: 1,
        }
    }

    #[test]
    fn closure_request_needs_complete_measures_and_evidence() {
        let editor = Actor::new("张三", Role::UnitEditor);
        let mut f = facts(St::InProgress);
        f.measures_complete = false;
        assert_eq!(
            decide(&f, Cmd::RequestClosure, &editor),
            Err(CoreError::MeasuresIncomplete)
        );
        f.measures_complete = true;
        f.evidence_count = 0;
        assert_eq!(
            decide(&f, Cmd::RequestClosure, &editor),
            Err(CoreError::EvidenceMissing)
        );
        f.evidence_count = 2;
        assert_eq!(
            decide(&f, Cmd::RequestClosure, &editor),
            Ok(St::ClosureRequested)
        );
    }

    #[test]
    fn only_a_second_checker_signs_off() {
        let mut f = facts(St::ClosureRequested);
        f.requester = Some("李四".into());
        let same = Actor::new("李四", Role::Office);
        assert_eq!(decide(&f, Cmd::SignOff, &same), Err(CoreError::SamePerson));
        let editor = Actor::new("王五", Role::UnitEditor);
        assert!(matches!(
            decide(&f, Cmd::SignOff, &editor),
            Err(CoreError::Forbidden { .. })
        ));
        let admin = Actor::new("管理员", Role::Admin);
        assert!(matches!(
            decide(&f, Cmd::Return, &admin),
            Err(CoreError::Forbidden { .. })
        ));
        let checker = Actor::new("赵六", Role::Supervisor);
        assert_eq!(decide(&f, Cmd::SignOff, &checker), Ok(St::Closed));
        assert_eq!(decide(&f, Cmd::Return, &checker), Ok(St::InProgress));
    }

    #[test]
    fn reopened_goes_back_to_in_progress() {
        let office = Actor::new("巡察办", Role::Office);
        let editor = Actor::new("张三", Role::UnitEditor);
        let to = decide(&facts(St::Closed), Cmd::Reopen, &office);
        assert_eq!(to, Ok(St::Reopened));
        assert_eq!(
            decide(&facts(St::Reopened), Cmd::Resume, &editor),
            Ok(St::InProgress)
        );
        assert!(decide(&facts(St::Reopened), Cmd::RequestClosure, &editor).is_err());
    }
}
