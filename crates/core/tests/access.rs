//! `authorize`: every kind of access by every role, on the actor's own unit and on
//! another, with the refusal's exact wording. And how an actor's scope follows its role.

mod common;

use common::*;
use zhenggai_core::access::{read, unseen};
use zhenggai_core::{
    authorize, Access, Actor, Change, CoreError, FindingCommandKind as C, MeasureKind,
    MeasureStatus, Outcome, Role, Round, RoundKind, RoundLevel, Scope, Unit,
};

/// One change of every kind, with the roles (in `Role::ALL` order: admin, office,
/// supervisor, unit_editor, unit_lead, public) that may make it in a unit they cover.
fn every_change() -> Vec<(Change, [bool; 6])> {
    let round = Round {
        id: "r".into(),
        name: "第一轮巡察".into(),
        level: RoundLevel::Inspection,
        kind: RoundKind::Routine,
        team: "第一巡察组".into(),
        inspection_start: day(-60),
        inspection_end: day(-30),
        feedback_date: day(0),
        policy: Default::default(),
    };
    let unit = Unit {
        id: "u".into(),
        name: "市教育局".into(),
        contact: Default::default(),
    };
    let setup = [true, true, false, false, false, false];
    let unit_work = [false, false, false, true, true, false];
    let lead_only = [false, false, false, false, true, false];
    let office_only = [false, true, false, false, false, false];
    let checkers = [false, true, true, false, false, false];
    let m = || "f1.m1".to_string();
    vec![
        (
            Change::CreateRound {
                round: round.clone(),
            },
            setup,
        ),
        (Change::EditRound { round }, setup),
        (Change::CreateUnit { unit: unit.clone() }, setup),
        (Change::EditUnit { unit }, setup),
        (
            Change::AddMeasure {
                finding_id: "f1".into(),
                measure: draft("x", MeasureKind::Immediate, None),
            },
            unit_work,
        ),
        (
            Change::EditMeasure {
                measure_id: m(),
                measure: draft("x", MeasureKind::Immediate, None),
            },
            unit_work,
        ),
        (Change::RemoveMeasure { measure_id: m() }, unit_work),
        (
            plan_change(zhenggai_core::PlanAction::Submit, ""),
            lead_only,
        ),
        (
            plan_change(zhenggai_core::PlanAction::Approve, ""),
            office_only,
        ),
        (
            plan_change(zhenggai_core::PlanAction::Return, "r"),
            office_only,
        ),
        (command("f1", C::ApprovePlan, ""), office_only),
        (command("f1", C::Start, ""), unit_work),
        (command("f1", C::RequestClosure, ""), unit_work),
        (command("f1", C::Resume, ""), unit_work),
        (command("f1", C::SignOff, ""), checkers),
        (command("f1", C::SignOffBasicallyDone, ""), checkers),
        (command("f1", C::SignOffLongTerm, ""), checkers),
        (command("f1", C::Return, ""), checkers),
        (command("f1", C::Transfer, ""), checkers),
        (command("f1", C::Reopen, ""), checkers),
        (progress(&m(), "x"), unit_work),
        (set_status(&m(), MeasureStatus::Done), unit_work),
        (attach("f1"), unit_work),
        (
            Change::AddOutcome {
                measure_id: m(),
                outcome: Outcome::Document { title: "t".into() },
            },
            unit_work,
        ),
        (
            Change::RequestExtension {
                measure_id: m(),
                new_due: day(9),
                reason: "r".into(),
            },
            unit_work,
        ),
        (
            Change::DecideExtension {
                measure_id: m(),
                extension_id: "x1".into(),
                approve: true,
            },
            office_only,
        ),
        (
            Change::DecideExtension {
                measure_id: m(),
                extension_id: "x1".into(),
                approve: false,
            },
            office_only,
        ),
        (
            Change::MarkInternal {
                finding_id: "f1".into(),
                internal: true,
                reason: "涉及正在审查的案件".into(),
            },
            checkers,
        ),
        (
            Change::MarkInternal {
                finding_id: "f1".into(),
                internal: false,
                reason: String::new(),
            },
            checkers,
        ),
    ]
}

#[test]
fn every_change_by_every_role_on_its_own_unit_another_unit_and_no_unit() {
    for (change, roles) in every_change() {
        for (who, allowed) in one_of_each().into_iter().zip(roles) {
            let refusal = Err(CoreError::forbidden(change.zh()));
            let in_scope = |u: &str| who.scope.covers(u);
            for unit in [Some(UNIT), Some(OTHER_UNIT), None] {
                let want = if allowed && unit.is_none_or(in_scope) {
                    Ok(())
                } else {
                    refusal.clone()
                };
                assert_eq!(
                    authorize(&who, Access::Change(&change, unit)),
                    want,
                    "{} by {:?} in {unit:?}",
                    change.name(),
                    who.role
                );
            }
        }
    }
}

#[test]
fn every_read_and_administration_by_every_role() {
    // admin, office, supervisor, unit_editor, unit_lead, public
    let table: [(Access<'_>, [bool; 6], &str); 8] = [
        (Access::ReadPublished, [true; 6], "查看"),
        (
            Access::ReadUnit(UNIT),
            [true, true, true, true, true, false],
            "查看",
        ),
        (
            Access::ReadUnit(OTHER_UNIT),
            [true, true, true, false, false, false],
            "查看",
        ),
        (
            Access::ReadScoped,
            [true, true, true, true, true, false],
            "查看",
        ),
        (
            Access::Audit,
            [true, true, true, false, false, false],
            "查看审计记录",
        ),
        (
            Access::ExportAll,
            [true, true, true, false, false, false],
            "导出整个账本",
        ),
        (
            Access::Import,
            [true, true, false, false, false, false],
            "导入",
        ),
        (
            Access::ManageAccounts,
            [true, false, false, false, false, false],
            "管理用户",
        ),
    ];
    for (access, roles, zh) in table {
        for (who, allowed) in one_of_each().into_iter().zip(roles) {
            let want = if allowed {
                Ok(())
            } else {
                Err(CoreError::forbidden(zh))
            };
            assert_eq!(
                authorize(&who, access),
                want,
                "{access:?} by {:?}",
                who.role
            );
        }
    }
}

#[test]
fn the_public_reads_no_unit_even_with_a_scope_covering_it() {
    // An actor built by hand with a wide scope: the role alone keeps the public out.
    let odd = Actor {
        user_id: "p".into(),
        name: "公众".into(),
        role: Role::Public,
        scope: Scope::All,
    };
    assert_eq!(
        authorize(&odd, Access::ReadUnit(UNIT)),
        Err(CoreError::forbidden("查看"))
    );
    assert!(authorize(&odd, Access::ReadScoped).is_err());
}

#[test]
fn the_scope_follows_the_role() {
    let units = || vec![UNIT.to_string(), "wh-jyj".to_string()];
    for role in [Role::UnitEditor, Role::UnitLead] {
        let a = Actor::new("u", "甲", role, units()).expect("unit person");
        assert_eq!(a.scope, Scope::Units(units().into_iter().collect()));
        assert!(a.scope.covers(UNIT) && a.scope.covers("wh-jyj"));
        assert!(!a.scope.covers(OTHER_UNIT));
        assert_eq!(
            Actor::new("u", "甲", role, Vec::new()),
            Err(CoreError::invalid("units", "单位人员须至少属于一个单位"))
        );
    }
    for role in [Role::Admin, Role::Office, Role::Supervisor, Role::Public] {
        let a = Actor::new("u", "甲", role, Vec::new()).expect("no units");
        let want = if role == Role::Public {
            Scope::None
        } else {
            Scope::All
        };
        assert_eq!(a.scope, want);
        assert_eq!(
            (a.user_id.as_str(), a.name.as_str(), a.role),
            ("u", "甲", role)
        );
        assert_eq!(a.scope.covers(UNIT), role != Role::Public);
        assert_eq!(
            Actor::new("u", "甲", role, units()),
            Err(CoreError::invalid("units", "只有单位人员才归属单位"))
        );
    }
}

#[test]
fn the_operator_and_the_public_are_fixed_actors() {
    assert_eq!(
        Actor::operator("张三"),
        Actor {
            user_id: "cli:张三".into(),
            name: "张三".into(),
            role: Role::Admin,
            scope: Scope::All,
        }
    );
    assert_eq!(
        Actor::public(),
        Actor {
            user_id: "public".into(),
            name: "公众".into(),
            role: Role::Public,
            scope: Scope::None,
        }
    );
}

#[test]
fn roles_have_names_words_and_kinds() {
    let table = [
        (Role::Admin, "admin", "系统管理员", false, false),
        (Role::Office, "office", "巡察办", true, false),
        (Role::Supervisor, "supervisor", "纪检监察", true, false),
        (Role::UnitEditor, "unit_editor", "单位填报人", false, true),
        (Role::UnitLead, "unit_lead", "单位负责人", false, true),
        (Role::Public, "public", "公众", false, false),
    ];
    for (role, name, zh, checker, unit) in table {
        assert_eq!((role.as_str(), role.zh()), (name, zh));
        assert_eq!(Role::parse(name), Some(role));
        assert_eq!(
            (role.is_checker(), role.is_unit()),
            (checker, unit),
            "{role:?}"
        );
    }
    assert_eq!(Role::parse("Office"), None);
}

#[test]
fn an_unseen_record_is_not_found_for_those_who_see_all_and_forbidden_for_the_rest() {
    for who in one_of_each() {
        let want = if matches!(who.role, Role::Admin | Role::Office | Role::Supervisor) {
            CoreError::NotFound {
                what: "问题",
                id: "f9".into(),
            }
        } else {
            CoreError::forbidden("销号")
        };
        assert_eq!(unseen(&who, "销号", "问题", "f9"), want, "{:?}", who.role);
    }
}

#[test]
fn a_record_is_read_where_its_unit_may_be_read() {
    let not_found = |id: &str| {
        Err(CoreError::NotFound {
            what: "整改措施",
            id: id.into(),
        })
    };
    let hidden = Err(CoreError::forbidden("查看"));
    for who in one_of_each() {
        let sees_all = matches!(who.role, Role::Admin | Role::Office | Role::Supervisor);
        let (own, other, missing) = match who.role {
            Role::Public => (hidden.clone(), hidden.clone(), hidden.clone()),
            _ if sees_all => (Ok(()), Ok(()), not_found("m9")),
            _ => (Ok(()), hidden.clone(), hidden.clone()),
        };
        assert_eq!(
            read(&who, "整改措施", "m1", Some(UNIT)),
            own,
            "{:?}",
            who.role
        );
        assert_eq!(read(&who, "整改措施", "m2", Some(OTHER_UNIT)), other);
        assert_eq!(read(&who, "整改措施", "m9", None), missing);
    }
}
