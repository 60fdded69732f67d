//! A whole feedback built through the changes, using every kind of record and history the
//! import knows, so that the validator tests can break one thing at a time at a known path.

use super::*;
use zhenggai_core::{
    Change, Feedback, FindingCommandKind as C, MeasureKind, MeasureStatus, MoneyKind, Outcome,
    PlanAction as A, RuleChange,
};

pub const F1: &str = "fb.categories[0].aspects[0].findings[0]";
pub const F2: &str = "fb.categories[0].aspects[0].findings[1]";
pub const F3: &str = "fb.categories[1].aspects[0].findings[0]";

fn on(fb: &mut Feedback, finding: &str, who: &Actor, n: i64, plan: PlanStatus, c: Change) {
    let f = fb
        .findings_mut()
        .find(|f| f.id == finding)
        .expect("finding in the ledger");
    f.apply(who, &ctx(plan, day(n)), &c)
        .unwrap_or_else(|e| panic!("{c:?}: {e}"));
}

fn plan(fb: &mut Feedback, who: &Actor, n: i64, action: A, reason: &str) {
    fb.apply_plan(who, day(n), &plan_change(action, reason))
        .unwrap_or_else(|e| panic!("{action:?}: {e}"));
}

fn add_measure(fb: &mut Feedback, finding: &str, kind: MeasureKind, due: Option<&str>) {
    let c = Change::AddMeasure {
        finding_id: finding.into(),
        measure: draft("落实整改责任", kind, due.map(d)),
    };
    on(fb, finding, &editor(), 1, PlanStatus::Draft, c);
}

/// The ledger, as the changes leave it:
/// - f1 (F1): measures f1.m1 (by 2022-06-30; progress p1 p2; one outcome of each kind;
///   extension x1 approved to 2022-07-31, x2 refused) and f1.m2 (long-term, with reason);
///   evidence e1 e2; transitions approve_plan, start, request_closure, return,
///   request_closure (citing e1), sign_off: closed.
/// - f2 (F2): measure f2.m1 with a pending extension x1 and progress p1; evidence e1;
///   transitions approve_plan, start, transfer: transferred.
/// - f3 (F3, in category c2): measure f3.m1; planned.
/// - the plan: submitted, returned, submitted, approved (history[0..4]).
pub fn full() -> Feedback {
    let mut f3_aspect = feedback(vec![finding("f3", "（1）选人用人不规范")]).categories;
    f3_aspect[0].id = "c2".into();
    f3_aspect[0].aspects[0].id = "a2".into();
    let mut fb = feedback(vec![
        finding("f1", "（1）理论学习流于形式"),
        finding("f2", "（2）违规发放津补贴"),
    ]);
    fb.categories.extend(f3_aspect);
    use PlanStatus as P;
    add_measure(&mut fb, "f1", MeasureKind::ByDeadline, Some("2022-06-30"));
    add_measure(&mut fb, "f1", MeasureKind::LongTerm, None);
    add_measure(&mut fb, "f2", MeasureKind::Immediate, Some("2022-04-30"));
    add_measure(&mut fb, "f3", MeasureKind::ByDeadline, Some("2022-09-30"));
    plan(&mut fb, &unit_lead(), 2, A::Submit, "");
    plan(&mut fb, &office(), 3, A::Return, "措施不够具体");
    plan(&mut fb, &unit_lead(), 4, A::Submit, "已修改");
    plan(&mut fb, &office(), 5, A::Approve, "");
    let (e, o) = (editor(), office());
    on(
        &mut fb,
        "f1",
        &e,
        6,
        P::Approved,
        command("f1", C::Start, ""),
    );
    on(
        &mut fb,
        "f1",
        &e,
        7,
        P::Approved,
        progress("f1.m1", "召开专题会"),
    );
    on(
        &mut fb,
        "f1",
        &editor2(),
        8,
        P::Approved,
        progress("f1.m1", "印发制度"),
    );
    let outcomes = [
        Outcome::Quantity {
            value: 3.0,
            unit: "次".into(),
            what: "专题学习".into(),
        },
        Outcome::Money {
            kind: MoneyKind::Refunded,
            fen: 120_000,
        },
        Outcome::Rule {
            change: RuleChange::New,
            title: "《党组议事规则》".into(),
        },
        Outcome::Accountability {
            form: "诫勉谈话".into(),
            people: 2,
        },
        Outcome::Meeting {
            date: day(7),
            title: "专题民主生活会".into(),
        },
        Outcome::Document {
            title: "《整改工作方案》".into(),
        },
        Outcome::Mentioned {
            value: "2022-04".into(),
            text: "四月完成".into(),
        },
    ];
    for outcome in outcomes {
        let c = Change::AddOutcome {
            measure_id: "f1.m1".into(),
            outcome,
        };
        on(&mut fb, "f1", &e, 8, P::Approved, c);
    }
    for (n, new_due, approve) in [(9, "2022-07-31", true), (11, "2022-08-15", false)] {
        let ask = Change::RequestExtension {
            measure_id: "f1.m1".into(),
            new_due: d(new_due),
            reason: "需报批".into(),
        };
        on(&mut fb, "f1", &e, n, P::Approved, ask);
        let x = format!("x{}", if approve { 1 } else { 2 });
        let decide = Change::DecideExtension {
            measure_id: "f1.m1".into(),
            extension_id: x,
            approve,
        };
        on(&mut fb, "f1", &o, n + 1, P::Approved, decide);
    }
    on(&mut fb, "f1", &e, 13, P::Approved, attach("f1"));
    on(&mut fb, "f1", &e, 13, P::Approved, attach("f1"));
    on(
        &mut fb,
        "f1",
        &e,
        13,
        P::Approved,
        set_status("f1.m1", MeasureStatus::Done),
    );
    let reason = Change::SetMeasureStatus {
        measure_id: "f1.m2".into(),
        status: MeasureStatus::InProgress,
        long_term_reason: Some("常态长效".into()),
    };
    on(&mut fb, "f1", &e, 13, P::Approved, reason);
    on(
        &mut fb,
        "f1",
        &e,
        14,
        P::Approved,
        command("f1", C::RequestClosure, ""),
    );
    on(
        &mut fb,
        "f1",
        &o,
        15,
        P::Approved,
        command("f1", C::Return, "佐证不足"),
    );
    let cite = Change::Finding {
        finding_id: "f1".into(),
        command: C::RequestClosure,
        reason: String::new(),
        evidence: vec!["e1".into()],
    };
    on(&mut fb, "f1", &editor2(), 16, P::Approved, cite);
    on(
        &mut fb,
        "f1",
        &supervisor(),
        17,
        P::Approved,
        command("f1", C::SignOff, ""),
    );

    on(
        &mut fb,
        "f2",
        &e,
        6,
        P::Approved,
        command("f2", C::Start, ""),
    );
    on(
        &mut fb,
        "f2",
        &e,
        7,
        P::Approved,
        progress("f2.m1", "清退资金"),
    );
    on(&mut fb, "f2", &e, 7, P::Approved, attach("f2"));
    let ask = Change::RequestExtension {
        measure_id: "f2.m1".into(),
        new_due: d("2022-05-31"),
        reason: "资金清退需时间".into(),
    };
    on(&mut fb, "f2", &e, 8, P::Approved, ask);
    on(
        &mut fb,
        "f2",
        &supervisor(),
        9,
        P::Approved,
        command("f2", C::Transfer, "涉嫌违纪"),
    );
    fb
}

/// The validator on a feedback whose round and unit are known.
pub fn validate(fb: &Feedback) -> Result<(), zhenggai_core::validate::Invalid> {
    zhenggai_core::validate::feedback("fb", fb, |r| r == ROUND, |u| u == UNIT)
}

/// How the validator refuses `full()` after `edit`.
pub fn refusal<R>(edit: impl FnOnce(&mut Feedback) -> R) -> zhenggai_core::validate::Invalid {
    let mut fb = full();
    edit(&mut fb);
    validate(&fb).expect_err("the validator accepted the edited ledger")
}

/// The path at which the validator refuses `full()` after `edit`.
pub fn refused_at<R>(edit: impl FnOnce(&mut Feedback) -> R) -> String {
    refusal(edit).path
}

/// Whether the validator accepts `full()` after `edit`; panics with the refusal if not.
pub fn accepted<R>(edit: impl FnOnce(&mut Feedback) -> R) {
    let mut fb = full();
    edit(&mut fb);
    if let Err(e) = validate(&fb) {
        panic!("refused: {e}");
    }
}

/// The finding at `(category, aspect, finding)`.
pub fn at(fb: &mut Feedback, c: usize, a: usize, f: usize) -> &mut zhenggai_core::Finding {
    &mut fb.categories[c].aspects[a].findings[f]
}

/// f1, f2 and f3 of `full()`.
pub fn f1(fb: &mut Feedback) -> &mut zhenggai_core::Finding {
    at(fb, 0, 0, 0)
}
pub fn f2(fb: &mut Feedback) -> &mut zhenggai_core::Finding {
    at(fb, 0, 0, 1)
}
pub fn f3(fb: &mut Feedback) -> &mut zhenggai_core::Finding {
    at(fb, 1, 0, 0)
}
