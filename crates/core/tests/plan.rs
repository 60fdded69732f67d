//! The unit's plan as a whole (`Feedback::apply_plan`): its edges by role, what a
//! submission needs, what an approval does to the findings, and its dates.

mod common;

use common::*;
use zhenggai_core::rules::{decide_plan, plan_role_allowed, plan_target};
use zhenggai_core::{
    Change, CoreError, Feedback, FindingCommandKind as C, FindingStatus as S, MeasureKind,
    PlanAction as A, PlanStatus as P, PlanStep, Role,
};

/// Actions in `PlanAction::ALL` order: submit, approve, return.
fn expected_edges(from: P) -> [Option<P>; 3] {
    match from {
        P::Draft | P::Returned => [Some(P::Submitted), None, None],
        P::Submitted => [None, Some(P::Approved), Some(P::Returned)],
        P::Approved => [None, None, None],
    }
}

/// Roles in `Role::ALL` order: admin, office, supervisor, unit_editor, unit_lead, public.
fn expected_roles(action: A) -> [bool; 6] {
    match action {
        A::Submit => [false, false, false, false, true, false],
        A::Approve | A::Return => [false, true, false, false, false, false],
    }
}

fn step(fb: &mut Feedback, who: &zhenggai_core::Actor, n: i64, action: A, reason: &str) {
    fb.apply_plan(who, day(n), &plan_change(action, reason))
        .unwrap_or_else(|e| panic!("{action:?}: {e}"));
}

/// f1 with a measure due 2022-06-30 and f2 with a long-term one.
fn two_findings() -> Feedback {
    let mut f2 = finding("f2", "（2）民主集中制执行不到位");
    f2.measures
        .push(measure("f2.m1", MeasureKind::LongTerm, None));
    feedback(vec![fresh(), f2])
}

#[test]
fn every_plan_status_action_and_role() {
    for from in P::ALL {
        for (action, edge) in A::ALL.into_iter().zip(expected_edges(from)) {
            assert_eq!(plan_target(from, action), edge, "{from:?} {action:?}");
            for (role, allowed) in Role::ALL.into_iter().zip(expected_roles(action)) {
                assert_eq!(plan_role_allowed(action, role), allowed);
                let want = if !allowed {
                    Err(CoreError::forbidden(action.zh()))
                } else {
                    edge.ok_or_else(|| CoreError::PlanState {
                        from,
                        action: action.zh().into(),
                    })
                };
                assert_eq!(
                    decide_plan(from, action, role),
                    want,
                    "{from:?} {action:?} {role:?}"
                );
            }
        }
    }
}

#[test]
fn every_plan_action_by_every_role_through_apply_plan() {
    for from in P::ALL {
        for (action, edge) in A::ALL.into_iter().zip(expected_edges(from)) {
            for (who, allowed) in one_of_each().into_iter().zip(expected_roles(action)) {
                let mut fb = two_findings();
                fb.plan.status = from;
                let before = fb.clone();
                let got = fb.apply_plan(&who, day(3), &plan_change(action, "理由"));
                match (allowed, edge) {
                    (true, Some(to)) => {
                        let e = got.expect("accepted");
                        assert_eq!((e.entity, e.entity_id.as_str()), ("feedback", "fb"));
                        assert_eq!(e.from.as_deref(), Some(from.as_str()));
                        assert_eq!(e.to.as_deref(), Some(to.as_str()));
                        assert_eq!(fb.plan.status, to);
                    }
                    (true, None) => {
                        assert_eq!(
                            got,
                            Err(CoreError::PlanState {
                                from,
                                action: action.zh().into()
                            })
                        );
                        assert_eq!(fb, before);
                    }
                    (false, _) => {
                        assert_eq!(got, Err(CoreError::forbidden(action.zh())));
                        assert_eq!(fb, before);
                    }
                }
            }
        }
    }
}

#[test]
fn a_step_records_who_when_what_and_why() {
    let mut fb = two_findings();
    step(&mut fb, &unit_lead(), 1, A::Submit, "请审核");
    step(&mut fb, &office(), 2, A::Return, "措施不具体");
    assert_eq!(
        fb.plan.history,
        vec![
            PlanStep {
                date: day(1),
                actor: "李强".into(),
                actor_id: "lead-1".into(),
                role: Role::UnitLead,
                action: A::Submit,
                reason: "请审核".into(),
            },
            PlanStep {
                date: day(2),
                actor: "王芳".into(),
                actor_id: "office-1".into(),
                role: Role::Office,
                action: A::Return,
                reason: "措施不具体".into(),
            },
        ]
    );
    step(&mut fb, &unit_lead(), 3, A::Submit, "");
    assert_eq!(fb.plan.status, P::Submitted);
}

#[test]
fn a_return_needs_a_reason_and_the_others_do_not() {
    let mut fb = two_findings();
    step(&mut fb, &unit_lead(), 1, A::Submit, "");
    let before = fb.clone();
    assert_eq!(
        fb.apply_plan(&office(), day(2), &plan_change(A::Return, " ")),
        Err(CoreError::invalid("reason", "不能为空"))
    );
    assert_eq!(fb, before);
    step(&mut fb, &office(), 2, A::Approve, "");
}

#[test]
fn plan_steps_may_not_go_back_in_time() {
    let mut fb = two_findings();
    step(&mut fb, &unit_lead(), 5, A::Submit, "");
    let before = fb.clone();
    assert_eq!(
        fb.apply_plan(&office(), day(4), &plan_change(A::Approve, "")),
        Err(CoreError::invalid("date", "日期早于整改方案上一次审核"))
    );
    assert_eq!(fb, before);
    step(&mut fb, &office(), 5, A::Approve, "");
}

#[test]
fn approval_plans_every_open_finding_as_the_office_and_leaves_transferred_ones() {
    let mut fb = two_findings();
    let mut f3 = finding("f3", "（3）违规发放津补贴");
    act(&mut f3, &supervisor(), 1, C::Transfer, "移交纪委");
    fb.categories[0].aspects[0].findings.push(f3.clone());
    step(&mut fb, &unit_lead(), 1, A::Submit, "");
    step(&mut fb, &office(), 2, A::Approve, "同意");
    let statuses: Vec<S> = fb.findings().map(|f| f.status).collect();
    assert_eq!(statuses, [S::Planned, S::Planned, S::Transferred]);
    for f in fb.findings().take(2) {
        assert_eq!(f.transitions.len(), 1);
        let t = &f.transitions[0];
        assert_eq!(
            (t.command, t.from, t.to),
            (C::ApprovePlan, S::Open, S::Planned)
        );
        assert_eq!(
            (t.actor.as_str(), t.actor_id.as_str()),
            ("王芳", "office-1")
        );
        assert_eq!(
            (t.role, t.date, t.reason.as_str()),
            (Role::Office, day(2), "同意")
        );
        assert!(t.evidence.is_empty());
    }
    assert_eq!(fb.findings().nth(2), Some(&f3));
}

#[test]
fn a_plan_change_is_not_given_through_another_change() {
    let mut fb = two_findings();
    assert_eq!(
        fb.apply_plan(&editor(), day(1), &command("f1", C::Start, "")),
        Err(CoreError::invalid("change", "这不是对整改方案的改动"))
    );
    let outsider =
        zhenggai_core::Actor::new("lead-x", "钱进", Role::UnitLead, [OTHER_UNIT.to_string()])
            .expect("actor");
    assert_eq!(
        fb.apply_plan(&outsider, day(1), &plan_change(A::Submit, "")),
        Err(CoreError::forbidden("报送整改方案"))
    );
    let not_plan = Change::AddProgress {
        measure_id: "f1.m1".into(),
        text: "x".into(),
    };
    assert_eq!(
        fb.apply_plan(&editor(), day(1), &not_plan)
            .map_err(|e| e.code()),
        Err("invalid")
    );
}

fn submit_refusal(fb: &mut Feedback) -> CoreError {
    let before = fb.clone();
    let err = fb
        .apply_plan(&unit_lead(), day(1), &plan_change(A::Submit, ""))
        .expect_err("incomplete");
    assert_eq!(*fb, before);
    err
}

#[test]
fn submission_needs_measures_with_owners_and_dates_and_names_the_gap() {
    let mut fb = two_findings();
    fb.categories[0].aspects[0].findings[1].measures.clear();
    assert_eq!(
        submit_refusal(&mut fb),
        CoreError::invalid(
            "findings[f2].measures",
            "问题“（2）民主集中制执行不到位”还没有整改措施"
        )
    );
    let mut fb = two_findings();
    fb.categories[0].aspects[0].findings[0].measures[0].owner = " ".into();
    assert_eq!(
        submit_refusal(&mut fb),
        CoreError::invalid(
            "measures[f1.m1].owner",
            "报送方案前须写明责任人（问题“（1）党组理论学习中心组学习流于形式”）"
        )
    );
    let mut fb = two_findings();
    fb.categories[0].aspects[0].findings[0].measures[0].due = None;
    let err = submit_refusal(&mut fb);
    assert!(
        matches!(&err, CoreError::Invalid { field, .. } if field == "measures[f1.m1].due"),
        "{err:?}"
    );
    for kind in [MeasureKind::Immediate, MeasureKind::ByDeadline] {
        let mut fb = two_findings();
        fb.categories[0].aspects[0].findings[1].measures[0].kind = kind;
        let err = submit_refusal(&mut fb);
        assert!(matches!(&err, CoreError::Invalid { field, .. } if field == "measures[f2.m1].due"));
    }
}

#[test]
fn a_transferred_finding_needs_no_measures_to_submit() {
    let mut fb = two_findings();
    let mut f3 = finding("f3", "（3）违规问题");
    f3.status = S::Transferred;
    fb.categories[0].aspects[0].findings.push(f3);
    assert_eq!(fb.check_complete(), Ok(()));
    fb.categories[0].aspects[0].findings[2].status = S::Open;
    assert!(fb.check_complete().is_err());
}

#[test]
fn a_long_title_is_cut_at_thirty_characters_in_the_message() {
    let title30 = "问".repeat(30);
    let mut fb = feedback(vec![finding("f1", &title30)]);
    assert_eq!(
        fb.check_complete(),
        Err(CoreError::invalid(
            "findings[f1].measures",
            format!("问题“{title30}”还没有整改措施")
        ))
    );
    fb.categories[0].aspects[0].findings[0].title = "问".repeat(31);
    assert_eq!(
        fb.check_complete(),
        Err(CoreError::invalid(
            "findings[f1].measures",
            format!("问题“{title30}…”还没有整改措施")
        ))
    );
}
