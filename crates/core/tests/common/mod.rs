//! Builders shared by core's integration tests: people, dates, a feedback whose plan the
//! tests drive, and findings walked to every status through the public changes.
#![allow(dead_code)]

pub mod ledger;

use zhenggai_core::*;

/// One edit of a record, for tables of cases.
pub type Edit<T> = fn(&mut T);

/// The unit whose ledger the tests change, and one whose data its people may not touch.
pub const UNIT: &str = "wh-jsj";
pub const OTHER_UNIT: &str = "wh-czj";
pub const ROUND: &str = "wh-11-1";

/// The feedback date of the round; `day(n)` is n days after it.
pub fn day(n: i64) -> Date {
    Date::ymd(2022, 3, 29).expect("a real date").add_days(n)
}

pub fn d(s: &str) -> Date {
    Date::parse(s).expect("test date")
}

/// Someone acting in `role`; a unit's people belong to `UNIT`.
pub fn person(role: Role, id: &str, name: &str) -> Actor {
    let units = if role.is_unit() {
        vec![UNIT.to_string()]
    } else {
        vec![]
    };
    Actor::new(id, name, role, units).expect("a valid actor")
}

pub fn editor() -> Actor {
    person(Role::UnitEditor, "editor-1", "张敏")
}
pub fn editor2() -> Actor {
    person(Role::UnitEditor, "editor-2", "陈静")
}
pub fn unit_lead() -> Actor {
    person(Role::UnitLead, "lead-1", "李强")
}
pub fn office() -> Actor {
    person(Role::Office, "office-1", "王芳")
}
pub fn supervisor() -> Actor {
    person(Role::Supervisor, "sup-1", "赵刚")
}
pub fn admin() -> Actor {
    person(Role::Admin, "admin-1", "孙磊")
}
pub fn public() -> Actor {
    Actor::public()
}

/// One person of each role, in `Role::ALL` order.
pub fn one_of_each() -> Vec<Actor> {
    Role::ALL
        .into_iter()
        .map(|r| person(r, &format!("{}-9", r.as_str()), "周平"))
        .collect()
}

pub fn ctx(plan: PlanStatus, today: Date) -> FindingContext<'static> {
    FindingContext {
        unit_id: UNIT,
        plan,
        today,
        taken: &[],
    }
}

pub fn draft(text: &str, kind: MeasureKind, due: Option<Date>) -> MeasureDraft {
    MeasureDraft {
        text: text.into(),
        kind,
        lead: "分管副局长".into(),
        department: "办公室".into(),
        owner: "刘洋".into(),
        due,
    }
}

pub fn evidence_draft(name: &str) -> EvidenceDraft {
    EvidenceDraft {
        name: name.into(),
        media_type: "application/pdf".into(),
        size: 2048,
        sha256: "ab".repeat(32),
        description: "党组会议纪要".into(),
    }
}

pub fn sha(c: char) -> String {
    c.to_string().repeat(64)
}

/// A finding as fed back: open, with no measures yet.
pub fn finding(id: &str, title: &str) -> Finding {
    Finding {
        id: id.into(),
        title: title.into(),
        status: FindingStatus::Open,
        measures: vec![],
        evidence: vec![],
        transitions: vec![],
        lead: None,
        internal: false,
    }
}

/// A measure as a plan writes it, before any work.
pub fn measure(id: &str, kind: MeasureKind, due: Option<Date>) -> Measure {
    let d = draft("建立健全议事规则", kind, due);
    Measure {
        id: id.into(),
        text: d.text,
        kind,
        lead: d.lead,
        department: d.department,
        owner: d.owner,
        due,
        status: MeasureStatus::Pending,
        long_term_reason: None,
        progress: vec![],
        outcomes: vec![],
        extensions: vec![],
    }
}

/// A feedback to `UNIT` with one category and one aspect holding `findings`.
pub fn feedback(findings: Vec<Finding>) -> Feedback {
    Feedback {
        id: "fb".into(),
        round_id: ROUND.into(),
        unit_id: UNIT.into(),
        date: day(0),
        plan: Plan::default(),
        categories: vec![Category {
            id: "c1".into(),
            title: "一、党的领导弱化".into(),
            aspects: vec![Aspect {
                id: "a1".into(),
                title: "1. 理论学习不深入".into(),
                findings,
            }],
        }],
    }
}

pub fn only_finding(fb: &Feedback) -> &Finding {
    fb.findings().next().expect("one finding")
}

/// A finding command with a reason (ignored by the commands that need none).
pub fn command(finding_id: &str, command: FindingCommandKind, reason: &str) -> Change {
    Change::Finding {
        finding_id: finding_id.into(),
        command,
        reason: reason.into(),
        evidence: vec![],
    }
}

pub fn set_status(measure_id: &str, status: MeasureStatus) -> Change {
    Change::SetMeasureStatus {
        measure_id: measure_id.into(),
        status,
        long_term_reason: None,
    }
}

pub fn attach(finding_id: &str) -> Change {
    Change::AttachEvidence {
        finding_id: finding_id.into(),
        evidence: evidence_draft("会议纪要.pdf"),
    }
}

pub fn progress(measure_id: &str, text: &str) -> Change {
    Change::AddProgress {
        measure_id: measure_id.into(),
        text: text.into(),
    }
}

/// Applies `change` to `f` under an approved plan on `today`; panics if refused.
pub fn must(f: &mut Finding, who: &Actor, today: Date, change: Change) -> Effect {
    f.apply(who, &ctx(PlanStatus::Approved, today), &change)
        .unwrap_or_else(|e| panic!("{change:?} by {} refused: {e}", who.user_id))
}

/// Applies `change` to `f` on day `n` under an approved plan.
pub fn attempt(f: &mut Finding, who: &Actor, n: i64, change: &Change) -> Result<Effect, CoreError> {
    f.apply(who, &ctx(PlanStatus::Approved, day(n)), change)
}

/// Gives `cmd` to `f` on day `n` under an approved plan; panics if refused.
pub fn act(f: &mut Finding, who: &Actor, n: i64, cmd: FindingCommandKind, reason: &str) -> Effect {
    let id = f.id.clone();
    must(f, who, day(n), command(&id, cmd, reason))
}

/// Evidence attached if there is none, f1.m1 done, and closure asked for by `who` on day `n`.
pub fn request_closure(f: &mut Finding, who: &Actor, n: i64) -> Effect {
    if f.evidence.is_empty() {
        must(f, who, day(n), attach(&f.id.clone()));
    }
    must(f, who, day(n), set_status("f1.m1", MeasureStatus::Done));
    act(f, who, n, FindingCommandKind::RequestClosure, "")
}

pub fn plan_change(action: PlanAction, reason: &str) -> Change {
    let (feedback_id, reason) = ("fb".to_string(), reason.to_string());
    match action {
        PlanAction::Submit => Change::SubmitPlan {
            feedback_id,
            reason,
        },
        PlanAction::Approve => Change::ApprovePlan {
            feedback_id,
            reason,
        },
        PlanAction::Return => Change::ReturnPlan {
            feedback_id,
            reason,
        },
    }
}

/// Finding f1 as fed back, with measure f1.m1 due 2022-06-30 in its draft plan.
pub fn fresh() -> Finding {
    let mut f = finding("f1", "（1）党组理论学习中心组学习流于形式");
    f.measures.push(measure(
        "f1.m1",
        MeasureKind::ByDeadline,
        Some(d("2022-06-30")),
    ));
    f
}

/// Finding f1 (see `fresh`) under a plan the unit's lead submitted on
/// day 1 and the office approved on day 2: the finding is planned.
pub fn planned() -> Finding {
    let mut fb = feedback(vec![fresh()]);
    for (who, action, n) in [
        (unit_lead(), PlanAction::Submit, 1),
        (office(), PlanAction::Approve, 2),
    ] {
        fb.apply_plan(&who, day(n), &plan_change(action, ""))
            .expect("plan step");
    }
    only_finding(&fb).clone()
}

/// Finding f1 walked to `status` through the changes, the last step on day 7 at the latest:
/// closure asked for by editor-1 (with evidence e1 and f1.m1 done), decided by office-1,
/// reopened from closed, transferred from in progress by the supervisor.
pub fn reach(status: FindingStatus) -> Finding {
    use FindingCommandKind as C;
    use FindingStatus as S;
    if status == S::Open {
        return fresh();
    }
    let mut f = planned();
    if status == S::Planned {
        return f;
    }
    act(&mut f, &editor(), 3, C::Start, "");
    match status {
        S::InProgress => return f,
        S::Transferred => {
            act(&mut f, &supervisor(), 4, C::Transfer, "涉嫌违纪");
            return f;
        }
        _ => {}
    }
    request_closure(&mut f, &editor(), 5);
    let decision = match status {
        S::ClosureRequested => return f,
        S::BasicallyDone => C::SignOffBasicallyDone,
        S::LongTerm => C::SignOffLongTerm,
        _ => C::SignOff,
    };
    must(&mut f, &office(), day(6), command("f1", decision, ""));
    if status == S::Reopened {
        act(&mut f, &office(), 7, C::Reopen, "回头看发现反弹");
    }
    assert_eq!(f.status, status, "the walk reaches {status:?}");
    f
}

/// `reach(status)`, with f1.m1 done and evidence attached wherever work may still change,
/// so that a closure request is refused for nothing but its edge.
pub fn ready(status: FindingStatus) -> Finding {
    let mut f = reach(status);
    if !status.freezes_work() {
        let c = ctx(PlanStatus::Approved, day(8));
        if f.evidence.is_empty() {
            f.apply(&editor(), &c, &attach("f1")).expect("attach");
        }
        f.apply(&editor(), &c, &set_status("f1.m1", MeasureStatus::Done))
            .expect("done");
    }
    f
}
