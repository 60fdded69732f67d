//! Status commands through `Finding::apply`: what a closure request needs, reasons, dates,
//! evidence cited, what a transition records and what a transfer leaves behind.

mod common;

use common::*;
use zhenggai_core::{
    Change, CoreError, FindingCommandKind as C, FindingStatus as S, Lead, MeasureKind,
    MeasureStatus, PlanStatus, Role,
};

fn refused(status: S, who: &zhenggai_core::Actor, change: Change, today_n: i64) -> CoreError {
    let mut f = ready(status);
    let before = f.clone();
    let err = f
        .apply(who, &ctx(PlanStatus::Approved, day(today_n)), &change)
        .expect_err("refused");
    assert_eq!(f, before, "a refused change leaves the finding as it was");
    err
}

#[test]
fn closure_needs_every_measure_complete() {
    let mut f = reach(S::InProgress);
    must(&mut f, &editor(), day(8), attach("f1"));
    let before = f.clone();
    let got = attempt(&mut f, &editor(), 8, &command("f1", C::RequestClosure, ""));
    assert_eq!(got, Err(CoreError::MeasuresIncomplete));
    assert_eq!(f, before);
    // Done counts as complete…
    must(
        &mut f,
        &editor(),
        day(8),
        set_status("f1.m1", MeasureStatus::Done),
    );
    act(&mut f, &editor(), 8, C::RequestClosure, "");
    assert_eq!(f.status, S::ClosureRequested);
}

#[test]
fn closure_counts_a_long_term_measure_with_a_reason_as_complete() {
    let mut f = reach(S::InProgress);
    f.measures
        .push(measure("f1.m2", MeasureKind::LongTerm, None));
    must(&mut f, &editor(), day(8), attach("f1"));
    must(
        &mut f,
        &editor(),
        day(8),
        set_status("f1.m1", MeasureStatus::Done),
    );
    let request = command("f1", C::RequestClosure, "");
    let c = ctx(PlanStatus::Approved, day(8));
    assert_eq!(
        f.apply(&editor(), &c, &request),
        Err(CoreError::MeasuresIncomplete)
    );
    let reason = Change::SetMeasureStatus {
        measure_id: "f1.m2".into(),
        status: MeasureStatus::InProgress,
        long_term_reason: Some("制度建设须长期坚持".into()),
    };
    must(&mut f, &editor(), day(8), reason);
    must(&mut f, &editor(), day(8), request);
    assert_eq!(f.status, S::ClosureRequested);
}

#[test]
fn closure_needs_evidence_once_the_measures_are_done() {
    let mut f = reach(S::InProgress);
    must(
        &mut f,
        &editor(),
        day(8),
        set_status("f1.m1", MeasureStatus::Done),
    );
    let got = attempt(&mut f, &editor(), 8, &command("f1", C::RequestClosure, ""));
    assert_eq!(got, Err(CoreError::EvidenceMissing));
}

#[test]
fn closure_is_not_asked_for_from_long_term_nor_transfer_made_from_basically_done() {
    assert_eq!(
        refused(
            S::LongTerm,
            &editor(),
            command("f1", C::RequestClosure, ""),
            9
        ),
        CoreError::InvalidTransition {
            from: S::LongTerm,
            action: "申请销号".into()
        }
    );
    assert_eq!(
        refused(
            S::BasicallyDone,
            &office(),
            command("f1", C::Transfer, "移交"),
            9
        ),
        CoreError::InvalidTransition {
            from: S::BasicallyDone,
            action: "移交问题线索".into()
        }
    );
}

#[test]
fn return_transfer_and_reopen_are_refused_without_a_reason() {
    for (status, cmd) in [
        (S::ClosureRequested, C::Return),
        (S::InProgress, C::Transfer),
        (S::Closed, C::Reopen),
    ] {
        for blank in ["", "  \n"] {
            assert_eq!(
                refused(status, &office(), command("f1", cmd, blank), 9),
                CoreError::invalid("reason", "不能为空"),
                "{cmd:?}"
            );
        }
    }
    // The others go without one.
    let mut f = reach(S::ClosureRequested);
    act(&mut f, &office(), 9, C::SignOff, "");
    assert_eq!(f.transitions.last().map(|t| t.reason.as_str()), Some(""));
}

#[test]
fn a_reason_with_a_control_character_is_refused_even_where_none_is_needed() {
    let err = refused(
        S::ClosureRequested,
        &office(),
        command("f1", C::SignOff, "a\u{7}"),
        9,
    );
    assert_eq!(err.code(), "invalid");
    assert!(matches!(err, CoreError::Invalid { ref field, .. } if field == "reason"));
}

#[test]
fn a_command_dated_before_the_last_transition_is_refused_and_the_same_day_is_not() {
    // The closure was asked for on day 5.
    assert_eq!(
        refused(
            S::ClosureRequested,
            &office(),
            command("f1", C::SignOff, ""),
            4
        ),
        CoreError::invalid("date", "日期早于上一次状态变更")
    );
    let mut f = reach(S::ClosureRequested);
    act(&mut f, &office(), 5, C::SignOff, "");
    assert_eq!(f.status, S::Closed);
}

#[test]
fn a_transition_records_who_when_from_to_why_and_the_evidence_cited() {
    let mut f = reach(S::ClosureRequested);
    let e = act(&mut f, &office(), 9, C::Return, "照片不清晰");
    assert_eq!(e.from.as_deref(), Some("closure_requested"));
    assert_eq!(e.to.as_deref(), Some("in_progress"));
    let cite = Change::Finding {
        finding_id: "f1".into(),
        command: C::RequestClosure,
        reason: "已补充".into(),
        evidence: vec!["e1".into()],
    };
    must(&mut f, &editor2(), day(10), cite);
    let t = f.transitions.last().expect("transition").clone();
    assert_eq!(t.date, day(10));
    assert_eq!(t.actor, "陈静");
    assert_eq!(t.actor_id, "editor-2");
    assert_eq!(t.role, Role::UnitEditor);
    assert_eq!(t.command, C::RequestClosure);
    assert_eq!((t.from, t.to), (S::InProgress, S::ClosureRequested));
    assert_eq!(t.reason, "已补充");
    assert_eq!(t.evidence, vec!["e1".to_string()]);
}

#[test]
fn citing_evidence_the_finding_does_not_have_is_refused() {
    let change = Change::Finding {
        finding_id: "f1".into(),
        command: C::SignOff,
        reason: String::new(),
        evidence: vec!["e1".into(), "e9".into()],
    };
    assert_eq!(
        refused(S::ClosureRequested, &office(), change, 9),
        CoreError::NotFound {
            what: "佐证材料",
            id: "e9".into()
        }
    );
}

#[test]
fn a_transfer_records_the_lead_and_nothing_else_does() {
    let mut f = reach(S::Reopened);
    assert_eq!(f.lead, None);
    act(&mut f, &supervisor(), 9, C::Transfer, "涉嫌违纪，移交");
    assert_eq!(
        f.lead,
        Some(Lead {
            transferred_on: day(9),
            to_body: "纪检监察机关".into(),
            note: "涉嫌违纪，移交".into(),
        })
    );
    for status in [S::Closed, S::InProgress, S::BasicallyDone, S::LongTerm] {
        assert_eq!(reach(status).lead, None, "{status:?}");
    }
}

#[test]
fn approve_plan_is_not_a_finding_command_even_for_the_office() {
    assert_eq!(
        refused(S::Open, &office(), command("f1", C::ApprovePlan, ""), 9),
        CoreError::invalid("command", "整改方案按单位整体审定：请审定该单位的整改方案")
    );
}

#[test]
fn plan_and_setup_changes_are_not_finding_changes() {
    let plan = plan_change(zhenggai_core::PlanAction::Submit, "");
    assert_eq!(
        refused(S::Open, &unit_lead(), plan, 9),
        CoreError::invalid("change", "这不是对问题的改动")
    );
    let unit = Change::CreateUnit {
        unit: zhenggai_core::Unit {
            id: "x".into(),
            name: "某局".into(),
            contact: Default::default(),
        },
    };
    assert_eq!(
        refused(S::Open, &office(), unit, 9),
        CoreError::invalid("change", "这不是对问题的改动")
    );
}

#[test]
fn a_change_to_another_units_finding_is_forbidden() {
    let outsider = zhenggai_core::Actor::new(
        "editor-x",
        "钱进",
        Role::UnitEditor,
        [OTHER_UNIT.to_string()],
    )
    .expect("actor");
    for change in [
        command("f1", C::Start, ""),
        progress("f1.m1", "已整改"),
        attach("f1"),
    ] {
        let zh = change.zh();
        assert_eq!(
            refused(S::Planned, &outsider, change, 9),
            CoreError::forbidden(zh)
        );
    }
}
