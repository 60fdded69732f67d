//! Extensions (延期): asked for by the unit for a later date than the one in force, one
//! pending at a time, decided once by the office no earlier than asked.

mod common;

use common::*;
use zhenggai_core::{
    Change, CoreError, Effect, ExtensionDecision, Finding, FindingStatus as S, MeasureKind,
    MeasureStatus, PlanStatus, Role,
};

fn ask(new_due: &str) -> Change {
    Change::RequestExtension {
        measure_id: "f1.m1".into(),
        new_due: d(new_due),
        reason: "需报上级审批".into(),
    }
}

fn decide(extension_id: &str, approve: bool) -> Change {
    Change::DecideExtension {
        measure_id: "f1.m1".into(),
        extension_id: extension_id.into(),
        approve,
    }
}

fn try_on(f: &mut Finding, who: &zhenggai_core::Actor, n: i64, c: Change) -> Result<(), CoreError> {
    f.apply(who, &ctx(PlanStatus::Approved, day(n)), &c)
        .map(|_| ())
}

/// f1 in progress; f1.m1 due 2022-06-30.
fn working() -> Finding {
    reach(S::InProgress)
}

#[test]
fn a_request_is_recorded_pending_with_the_next_id() {
    let mut f = working();
    let e = must(&mut f, &editor2(), day(8), ask("2022-07-31"));
    assert_eq!(
        e,
        Effect {
            entity: "measure",
            entity_id: "f1.m1".into(),
            created: Some("x1".into()),
            from: None,
            to: None,
        }
    );
    let x = &f.measures[0].extensions[0];
    assert_eq!((x.id.as_str(), x.requested_on), ("x1", day(8)));
    assert_eq!(
        (x.requested_by.as_str(), x.requested_by_id.as_str()),
        ("陈静", "editor-2")
    );
    assert_eq!(
        (x.new_due, x.reason.as_str()),
        (d("2022-07-31"), "需报上级审批")
    );
    assert_eq!(x.decision, ExtensionDecision::Requested);
    assert_eq!(
        (&x.decided_by, &x.decided_by_id, x.decided_on),
        (&None, &None, None)
    );
    assert_eq!(
        f.measures[0].effective_due(),
        Some(d("2022-06-30")),
        "a pending request moves nothing"
    );
}

#[test]
fn a_request_must_ask_for_a_later_date_than_the_one_in_force() {
    let mut f = working();
    let later = CoreError::invalid("new_due", "延期后的时限须晚于现在的时限");
    assert_eq!(
        try_on(&mut f, &editor(), 8, ask("2022-06-30")),
        Err(later.clone())
    );
    assert_eq!(
        try_on(&mut f, &editor(), 8, ask("2022-06-29")),
        Err(later.clone())
    );
    assert_eq!(try_on(&mut f, &editor(), 8, ask("2022-07-01")), Ok(()));
    try_on(&mut f, &office(), 9, decide("x1", true)).expect("approve");
    assert_eq!(f.measures[0].effective_due(), Some(d("2022-07-01")));
    // The date in force is now the extended one.
    assert_eq!(try_on(&mut f, &editor(), 10, ask("2022-07-01")), Err(later));
    assert_eq!(try_on(&mut f, &editor(), 10, ask("2022-07-02")), Ok(()));
}

#[test]
fn a_request_needs_a_due_date_a_reason_and_unfinished_work() {
    let mut f = working();
    f.measures[0].due = None;
    assert_eq!(
        try_on(&mut f, &editor(), 8, ask("2022-07-31")),
        Err(CoreError::invalid(
            "measure_id",
            "该措施没有整改时限，无需延期"
        ))
    );
    let mut f = working();
    let blank = Change::RequestExtension {
        measure_id: "f1.m1".into(),
        new_due: d("2022-07-31"),
        reason: " ".into(),
    };
    assert_eq!(
        try_on(&mut f, &editor(), 8, blank),
        Err(CoreError::invalid("reason", "不能为空"))
    );
    f.measures[0].status = MeasureStatus::Done;
    assert_eq!(
        try_on(&mut f, &editor(), 8, ask("2022-07-31")),
        Err(CoreError::invalid("measure_id", "已完成的措施不需要延期"))
    );
    f.measures[0].status = MeasureStatus::InProgress;
    assert_eq!(try_on(&mut f, &editor(), 8, ask("2022-07-31")), Ok(()));
    assert_eq!(f.measures[0].extensions.len(), 1);
}

#[test]
fn one_request_is_pending_at_a_time() {
    let mut f = working();
    try_on(&mut f, &editor(), 8, ask("2022-07-31")).expect("first");
    assert_eq!(
        try_on(&mut f, &editor(), 8, ask("2022-08-31")),
        Err(CoreError::invalid(
            "measure_id",
            "该措施已有待审批的延期申请"
        ))
    );
    try_on(&mut f, &office(), 9, decide("x1", false)).expect("refuse");
    let e = must(&mut f, &editor(), day(10), ask("2022-08-31"));
    assert_eq!(e.created.as_deref(), Some("x2"));
}

#[test]
fn a_decision_is_the_offices_once_and_no_earlier_than_the_request() {
    let mut f = working();
    try_on(&mut f, &editor(), 8, ask("2022-07-31")).expect("ask");
    for role in [
        Role::Admin,
        Role::Supervisor,
        Role::UnitEditor,
        Role::UnitLead,
    ] {
        let who = person(role, "someone", "某人");
        assert_eq!(
            try_on(&mut f, &who, 9, decide("x1", true)),
            Err(CoreError::forbidden("审批延期")),
            "{role:?}"
        );
    }
    assert_eq!(
        try_on(&mut f, &office(), 7, decide("x1", true)),
        Err(CoreError::invalid("date", "审批日期早于申请日期"))
    );
    assert_eq!(
        try_on(&mut f, &office(), 8, decide("x9", true)),
        Err(CoreError::NotFound {
            what: "延期申请",
            id: "x9".into()
        })
    );
    let e = must(&mut f, &office(), day(8), decide("x1", true));
    assert_eq!((e.entity, e.created), ("measure", None));
    let x = &f.measures[0].extensions[0];
    assert_eq!(x.decision, ExtensionDecision::Approved);
    assert_eq!(x.decided_by.as_deref(), Some("王芳"));
    assert_eq!(x.decided_by_id.as_deref(), Some("office-1"));
    assert_eq!(x.decided_on, Some(day(8)));
    for approve in [true, false] {
        assert_eq!(
            try_on(&mut f, &office(), 9, decide("x1", approve)),
            Err(CoreError::invalid("extension_id", "该延期申请已审批过"))
        );
    }
}

#[test]
fn only_an_approved_extension_moves_the_effective_due_date() {
    let mut f = working();
    try_on(&mut f, &editor(), 8, ask("2022-07-15")).expect("ask");
    try_on(&mut f, &office(), 8, decide("x1", false)).expect("refuse");
    assert_eq!(
        f.measures[0].extensions[0].decision,
        ExtensionDecision::Refused
    );
    assert_eq!(f.measures[0].effective_due(), Some(d("2022-06-30")));
    try_on(&mut f, &editor(), 9, ask("2022-07-20")).expect("ask again");
    try_on(&mut f, &office(), 9, decide("x2", true)).expect("approve");
    try_on(&mut f, &editor(), 10, ask("2022-08-20")).expect("ask a third time");
    assert_eq!(f.measures[0].effective_due(), Some(d("2022-07-20")));
    try_on(&mut f, &office(), 10, decide("x3", true)).expect("approve");
    assert_eq!(f.measures[0].effective_due(), Some(d("2022-08-20")));
    assert_eq!(f.live_due(), Some(d("2022-08-20")));
}

#[test]
fn the_live_due_date_is_the_earliest_open_work_of_an_unsettled_finding() {
    let mut f = working();
    f.measures.push(measure(
        "f1.m2",
        MeasureKind::ByDeadline,
        Some(d("2022-05-31")),
    ));
    f.measures.push(measure(
        "f1.m3",
        MeasureKind::LongTerm,
        Some(d("2022-04-30")),
    ));
    f.measures
        .push(measure("f1.m4", MeasureKind::Immediate, None));
    assert_eq!(
        f.live_due(),
        Some(d("2022-05-31")),
        "long-term work binds no date"
    );
    f.measures[1].status = MeasureStatus::Done;
    assert_eq!(
        f.live_due(),
        Some(d("2022-06-30")),
        "done work binds no date"
    );
    f.measures[0].status = MeasureStatus::Done;
    assert_eq!(f.live_due(), None);
    f.measures[0].status = MeasureStatus::InProgress;
    for (status, live) in [
        (S::Closed, false),
        (S::LongTerm, false),
        (S::Transferred, false),
        (S::BasicallyDone, true),
        (S::ClosureRequested, true),
        (S::Reopened, true),
    ] {
        f.status = status;
        assert_eq!(f.live_due().is_some(), live, "{status:?}");
    }
}

#[test]
fn completeness_is_done_or_long_term_with_a_reason_that_is_not_blank() {
    let mut m = measure("m", MeasureKind::ByDeadline, None);
    assert!(!m.is_complete());
    m.long_term_reason = Some("理由".into());
    assert!(
        !m.is_complete(),
        "a reason makes only long-term work complete"
    );
    m.status = MeasureStatus::Done;
    assert!(m.is_complete());
    let mut lt = measure("m", MeasureKind::LongTerm, None);
    assert!(!lt.is_complete());
    lt.long_term_reason = Some(" \n".into());
    assert!(!lt.is_complete());
    lt.long_term_reason = Some("长期坚持".into());
    assert!(lt.is_complete());
    assert!(!lt.is_open_work());
    assert!(m.extensions.is_empty() && !m.is_open_work());
    assert!(measure("m", MeasureKind::Immediate, None).is_open_work());
}
