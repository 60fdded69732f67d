//! The bridge between the changes and the import: random sequences of random changes by
//! random people (random roles, ids and units, namesakes with other ids, one id in several
//! roles) on a generated feedback, with a clock that moves forward. After every step:
//! - the import validator accepts the feedback (what the changes accept, the import accepts);
//! - a refused change left the feedback exactly as it was;
//! - an accepted status change obeys rules stated here from the history alone, without
//!   `rules::target`: who may do it, from where, on what request, with what evidence.
//!
//! Over the whole run a fair share of steps must be accepted and every finding and plan
//! status must be reached, so the test cannot pass by refusing everything.

mod common;

use std::cell::RefCell;
use std::collections::{BTreeSet, HashSet};

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use zhenggai_core::change::Target;
use zhenggai_core::{
    validate, Actor, Change, Feedback, Finding, FindingCommandKind as C, FindingContext,
    FindingStatus as S, MeasureKind, MeasureStatus, Outcome, PlanAction, PlanStatus, Role,
};

/// Who acts: an id and a name from small pools (so that namesakes with other ids and one
/// id in two roles both occur), a role, and for a unit's people the units they answer for.
#[derive(Debug, Clone)]
struct Who {
    id: usize,
    name: usize,
    role: Role,
    units: usize,
}

const IDS: [&str; 4] = ["u-1", "u-2", "u-3", "u-4"];
const NAMES: [&str; 2] = ["张敏", "王芳"];

impl Who {
    fn actor(&self) -> Actor {
        let units: Vec<String> = match (self.role.is_unit(), self.units) {
            (false, _) => vec![],
            (true, 0) => vec![OTHER_UNIT.into()],
            (true, 1) => vec![UNIT.into(), OTHER_UNIT.into()],
            (true, _) => vec![UNIT.into()],
        };
        Actor::new(IDS[self.id], NAMES[self.name], self.role, units).expect("actor")
    }
}

/// The roles likely to be allowed a change, or any role now and then.
fn who(likely: &'static [Role]) -> impl Strategy<Value = Who> {
    let role = prop_oneof![
        4 => prop::sample::select(likely),
        1 => prop::sample::select(Role::ALL.to_vec()),
    ];
    (0..IDS.len(), 0..NAMES.len(), role, 0..6usize).prop_map(|(id, name, role, units)| Who {
        id,
        name,
        role,
        units,
    })
}

const UNIT_ROLES: &[Role] = &[Role::UnitEditor, Role::UnitLead];
const CHECKERS: &[Role] = &[Role::Office, Role::Supervisor];
const OFFICE: &[Role] = &[Role::Office];
const LEAD: &[Role] = &[Role::UnitLead];

/// One step: a change to make, who makes it, and how many days pass before it.
#[derive(Debug, Clone)]
struct Step {
    days: i64,
    who: Who,
    what: What,
}

/// A change with its targets as indices, resolved against the feedback when applied.
#[derive(Debug, Clone)]
enum What {
    /// A status command: one of the moves that usually make sense from where the finding
    /// stands (`Err`, an index into `moves`), or any command (`Ok`); given by `checker`
    /// when it is a checker's kind of command, else by the step's actor.
    Command {
        f: usize,
        cmd: Result<C, usize>,
        checker: Who,
        reason: bool,
        cite: bool,
    },
    Plan(PlanAction, bool),
    AddMeasure {
        f: usize,
        kind: MeasureKind,
        due: Option<i64>,
    },
    EditMeasure {
        m: usize,
        kind: MeasureKind,
        due: Option<i64>,
    },
    RemoveMeasure {
        m: usize,
    },
    Progress {
        m: usize,
    },
    Status {
        m: usize,
        status: MeasureStatus,
        reason: bool,
    },
    Evidence {
        f: usize,
    },
    Outcome {
        m: usize,
        people: u32,
    },
    AskExtension {
        m: usize,
        days: i64,
    },
    DecideExtension {
        m: usize,
        x: usize,
        approve: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let f = 0..8usize;
    let m = 0..8usize;
    let kind = prop::sample::select(MeasureKind::ALL.to_vec());
    let due = prop::option::weighted(0.9, 0..200i64);
    let cmd = prop_oneof![
        4 => (0..4usize).prop_map(Err),
        1 => prop::sample::select(C::ALL.to_vec()).prop_map(Ok),
    ];
    let command = (
        f.clone(),
        cmd,
        who(CHECKERS),
        prop::bool::weighted(0.9),
        any::<bool>(),
    );
    let what = prop_oneof![
        12 => (command, who(UNIT_ROLES)).prop_map(|((f, cmd, checker, reason, cite), w)| {
            (w, What::Command { f, cmd, checker, reason, cite })
        }),
        2 => (prop::sample::select(vec![PlanAction::Submit]), any::<bool>(), who(LEAD))
            .prop_map(|(a, r, w)| (w, What::Plan(a, r))),
        2 => (prop::sample::select(vec![PlanAction::Approve, PlanAction::Return]),
              prop::bool::weighted(0.8), who(OFFICE))
            .prop_map(|(a, r, w)| (w, What::Plan(a, r))),
        1 => (f.clone(), kind.clone(), due.clone(), who(UNIT_ROLES))
            .prop_map(|(f, kind, due, w)| (w, What::AddMeasure { f, kind, due })),
        1 => (m.clone(), kind.clone(), due, who(UNIT_ROLES))
            .prop_map(|(m, kind, due, w)| (w, What::EditMeasure { m, kind, due })),
        1 => (m.clone(), who(UNIT_ROLES)).prop_map(|(m, w)| (w, What::RemoveMeasure { m })),
        2 => (m.clone(), who(UNIT_ROLES)).prop_map(|(m, w)| (w, What::Progress { m })),
        6 => (m.clone(), prop::sample::select(vec![MeasureStatus::Done, MeasureStatus::Done,
              MeasureStatus::Done, MeasureStatus::InProgress, MeasureStatus::Pending]),
              prop::bool::weighted(0.3),
              who(UNIT_ROLES))
            .prop_map(|(m, status, reason, w)| (w, What::Status { m, status, reason })),
        3 => (f.clone(), who(UNIT_ROLES)).prop_map(|(f, w)| (w, What::Evidence { f })),
        1 => (m.clone(), 0..3u32, who(UNIT_ROLES))
            .prop_map(|(m, people, w)| (w, What::Outcome { m, people })),
        2 => (m.clone(), -5..60i64, who(UNIT_ROLES))
            .prop_map(|(m, days, w)| (w, What::AskExtension { m, days })),
        3 => (m, 0..4usize, any::<bool>(), who(OFFICE))
            .prop_map(|(m, x, approve, w)| (w, What::DecideExtension { m, x, approve })),
    ];
    (prop::sample::select(vec![0i64, 0, 1, 1, 2, 5]), what).prop_map(|(days, (who, what))| Step {
        days,
        who,
        what,
    })
}

/// 1 to 3 findings in one or two categories, each with 1 or 2 measures.
fn ledger() -> impl Strategy<Value = Feedback> {
    let shape = (prop::sample::select(MeasureKind::ALL.to_vec()), 30..200i64);
    let shapes = prop::collection::vec(shape, 1..3);
    let findings = prop::collection::vec(shapes, 1..4);
    (findings, prop::bool::weighted(0.75)).prop_map(|(findings, approved)| {
        let mut fb = feedback(vec![]);
        let mut second = fb.categories[0].clone();
        second.id = "c2".into();
        second.aspects[0].id = "a2".into();
        fb.categories.push(second);
        for (i, measures) in findings.into_iter().enumerate() {
            let id = format!("f{}", i + 1);
            let mut f = finding(&id, &format!("（{}）问题", i + 1));
            for (j, (kind, due)) in measures.into_iter().enumerate() {
                let due = (kind != MeasureKind::LongTerm).then(|| day(due));
                f.measures
                    .push(measure(&format!("{id}.m{}", j + 1), kind, due));
            }
            fb.categories[i % 2].aspects[0].findings.push(f);
        }
        if approved {
            // Most ledgers start with the plan approved, through the changes; one
            // that is incomplete stays a draft.
            let _ = fb.apply_plan(&unit_lead(), day(0), &plan_change(PlanAction::Submit, ""));
            let _ = fb.apply_plan(&office(), day(0), &plan_change(PlanAction::Approve, ""));
        }
        fb
    })
}

/// The commands worth trying from a status, to move findings along: a guess of the test's
/// own, never the rules' table.
fn moves(s: S) -> &'static [C] {
    match s {
        S::Open | S::Planned => &[C::Start],
        S::InProgress => &[
            C::RequestClosure,
            C::RequestClosure,
            C::RequestClosure,
            C::RequestClosure,
            C::Transfer,
        ],
        S::ClosureRequested => &[
            C::SignOff,
            C::SignOffBasicallyDone,
            C::SignOffLongTerm,
            C::Return,
        ],
        S::Closed | S::LongTerm | S::Transferred => &[C::Reopen],
        S::BasicallyDone => &[C::RequestClosure, C::Reopen],
        S::Reopened => &[C::Resume, C::Resume, C::Resume, C::Transfer],
    }
}

/// The change a step names, resolved against the feedback as it stands.
fn resolve(fb: &Feedback, today: zhenggai_core::Date, what: &What) -> Change {
    let findings: Vec<&Finding> = fb.findings().collect();
    // Index 7 names nothing; the others wrap around what there is.
    let pick = |i: usize, len: usize| (i != 7 && len > 0).then(|| i % len);
    let fid = |i: usize| pick(i, findings.len()).map_or("f9".into(), |i| findings[i].id.clone());
    let measures: Vec<String> = findings
        .iter()
        .flat_map(|f| f.measures.iter().map(|m| m.id.clone()))
        .collect();
    let mid = |i: usize| pick(i, measures.len()).map_or("f1.m9".into(), |i| measures[i].clone());
    let reason = |r: bool| {
        if r {
            "理由".to_string()
        } else {
            String::new()
        }
    };
    match what.clone() {
        What::Command {
            f,
            cmd,
            reason: r,
            cite,
            ..
        } => {
            let status = pick(f, findings.len()).map_or(S::Open, |i| findings[i].status);
            Change::Finding {
                finding_id: fid(f),
                command: cmd.unwrap_or_else(|i| moves(status)[i % moves(status).len()]),
                reason: reason(r),
                evidence: if cite { vec!["e1".into()] } else { vec![] },
            }
        }
        What::Plan(action, r) => plan_change(action, &reason(r)),
        What::AddMeasure { f, kind, due } => Change::AddMeasure {
            finding_id: fid(f),
            measure: draft("整改措施", kind, due.map(day)),
        },
        What::EditMeasure { m, kind, due } => Change::EditMeasure {
            measure_id: mid(m),
            measure: draft("修改后的措施", kind, due.map(day)),
        },
        What::RemoveMeasure { m } => Change::RemoveMeasure { measure_id: mid(m) },
        What::Progress { m } => progress(&mid(m), "推进中"),
        What::Status {
            m,
            status,
            reason: r,
        } => Change::SetMeasureStatus {
            measure_id: mid(m),
            status,
            long_term_reason: r.then(|| "长期坚持".to_string()),
        },
        What::Evidence { f } => attach(&fid(f)),
        What::Outcome { m, people } => Change::AddOutcome {
            measure_id: mid(m),
            outcome: Outcome::Accountability {
                form: "谈话提醒".into(),
                people,
            },
        },
        What::AskExtension { m, days } => {
            let id = mid(m);
            let base = findings
                .iter()
                .flat_map(|f| f.measures.iter())
                .find(|x| x.id == id)
                .and_then(|x| x.effective_due())
                .unwrap_or(today);
            Change::RequestExtension {
                measure_id: id,
                new_due: base.add_days(days),
                reason: "需要时间".into(),
            }
        }
        What::DecideExtension { m, x, approve } => {
            // Mostly the pending request of some measure, if there is one.
            let pending = findings
                .iter()
                .flat_map(|f| f.measures.iter())
                .find_map(|m| {
                    let x = m.extensions.last()?;
                    (x.decision == zhenggai_core::ExtensionDecision::Requested)
                        .then(|| (m.id.clone(), x.id.clone()))
                });
            let (measure_id, extension_id) = match pending {
                Some(p) if x > 0 => p,
                _ => (mid(m), format!("x{}", x + 1)),
            };
            Change::DecideExtension {
                measure_id,
                extension_id,
                approve,
            }
        }
    }
}

#[derive(Default)]
struct Tally {
    steps: usize,
    accepted: usize,
    statuses: BTreeSet<S>,
    plans: HashSet<PlanStatus>,
    kinds: BTreeSet<&'static str>,
    /// Tried and accepted, by kind of change: shown when the share is too low.
    tried: std::collections::BTreeMap<&'static str, (usize, usize)>,
}

/// Applies one change as the store would: plan changes to the feedback, the others to the
/// finding they address.
fn apply(fb: &mut Feedback, who: &Actor, today: zhenggai_core::Date, c: &Change) -> bool {
    let (plan, unit) = (fb.plan.status, fb.unit_id.clone());
    let holds = |f: &Finding, t: &Target| match *t {
        Target::Finding(id) => f.id == id,
        Target::Measure(id) => f.measures.iter().any(|m| m.id == id),
        _ => false,
    };
    match c.target() {
        Target::Feedback(_) => fb.apply_plan(who, today, c).is_ok(),
        t => match fb.findings_mut().find(|f| holds(f, &t)) {
            Some(f) => {
                let ctx = FindingContext {
                    unit_id: &unit,
                    plan,
                    today,
                };
                f.apply(who, &ctx, c).is_ok()
            }
            None => false,
        },
    }
}

/// The rules of one accepted status change, from the finding before and after it.
fn check_edge(before: &Finding, after: &Finding, who: &Actor) -> Result<(), TestCaseError> {
    let t = after.transitions.last().expect("a new transition");
    let (from, to) = (before.status, after.status);
    prop_assert_eq!(
        (t.from, t.to, t.actor_id.as_str()),
        (from, to, who.user_id.as_str())
    );
    let checker = matches!(who.role, Role::Office | Role::Supervisor);
    let unit = matches!(who.role, Role::UnitEditor | Role::UnitLead);
    // The pending request's maker: whoever last moved the finding into review.
    let requester = before
        .transitions
        .iter()
        .rev()
        .find(|t| t.to == S::ClosureRequested)
        .map(|t| t.actor_id.clone());
    match (from, to) {
        (S::InProgress | S::BasicallyDone, S::ClosureRequested) => {
            prop_assert!(unit);
            prop_assert!(!before.evidence.is_empty());
            prop_assert!(before
                .measures
                .iter()
                .all(|m| m.status == MeasureStatus::Done
                    || (m.kind == MeasureKind::LongTerm && m.long_term_reason.is_some())));
        }
        (S::ClosureRequested, S::Closed | S::BasicallyDone | S::LongTerm | S::InProgress) => {
            prop_assert!(checker);
            prop_assert!(requester.is_some());
            prop_assert_ne!(requester.as_deref(), Some(who.user_id.as_str()));
            if to == S::InProgress {
                prop_assert!(!t.reason.trim().is_empty());
            }
        }
        (S::Planned | S::Reopened, S::InProgress) => prop_assert!(unit),
        (S::Closed | S::BasicallyDone | S::LongTerm, S::Reopened) => {
            prop_assert!(checker && !t.reason.trim().is_empty());
        }
        (
            S::Open | S::Planned | S::InProgress | S::ClosureRequested | S::Reopened,
            S::Transferred,
        ) => {
            prop_assert!(checker && !t.reason.trim().is_empty());
            prop_assert_eq!(
                after.lead.as_ref().map(|l| l.note.as_str()),
                Some(t.reason.as_str())
            );
        }
        _ => prop_assert!(
            false,
            "no such edge: {:?} → {:?} by {:?}",
            from,
            to,
            who.role
        ),
    }
    Ok(())
}

/// Extension requests are left out while the plan is open: the rules accept one there, and a
/// later plan edit of the measure's due date then leaves a ledger the import refuses (the
/// ignored test `bugs::an_extension_asked_for_before_approval_survives_a_plan_edit`).
const KNOWN_BUG_EXTENSION_BEFORE_APPROVAL: bool = true;

fn finding_of<'a>(fb: &'a Feedback, id: &str) -> Option<&'a Finding> {
    fb.findings().find(|f| f.id == id)
}

fn run(fb0: Feedback, steps: Vec<Step>, tally: &RefCell<Tally>) -> Result<(), TestCaseError> {
    let mut fb = fb0;
    let mut today = day(1);
    let mut tally = tally.borrow_mut();
    for (n, s) in steps.iter().enumerate() {
        today = today.add_days(s.days);
        if KNOWN_BUG_EXTENSION_BEFORE_APPROVAL
            && matches!(s.what, What::AskExtension { .. })
            && fb.plan.status.is_open()
        {
            continue;
        }
        let change = resolve(&fb, today, &s.what);
        let who = match (&s.what, &change) {
            (What::Command { checker, .. }, Change::Finding { command, .. })
                if !matches!(command, C::Start | C::RequestClosure | C::Resume) =>
            {
                checker.actor()
            }
            _ => s.who.actor(),
        };
        let before = fb.clone();
        let ok = apply(&mut fb, &who, today, &change);
        tally.steps += 1;
        let tried = tally.tried.entry(change.name()).or_default();
        tried.0 += 1;
        tried.1 += usize::from(ok);
        if !ok {
            prop_assert_eq!(
                &fb,
                &before,
                "step {}: a refused change changed the ledger",
                n
            );
            continue;
        }
        tally.accepted += 1;
        tally.kinds.insert(change.name());
        if let Err(e) = validate::feedback("fb", &fb, |r| r == ROUND, |u| u == UNIT) {
            return Err(TestCaseError::fail(format!(
                "step {n}: {change:?} by {who:?} accepted, but the import refuses: {e}\n{fb:#?}"
            )));
        }
        tally.plans.insert(fb.plan.status);
        for f in fb.findings() {
            tally.statuses.insert(f.status);
            let old = finding_of(&before, &f.id).expect("findings stay");
            if f.transitions.len() > old.transitions.len() {
                prop_assert!(f.transitions.last().map(|t| t.date) == Some(today));
                if old.status == S::Open && f.status == S::Planned {
                    prop_assert_eq!(who.role, Role::Office);
                    prop_assert_eq!(fb.plan.status, PlanStatus::Approved);
                } else {
                    check_edge(old, f, &who)?;
                }
            } else if f != old {
                // Work recorded: never while under review, signed off or transferred.
                prop_assert!(
                    !matches!(
                        old.status,
                        S::ClosureRequested | S::Closed | S::LongTerm | S::Transferred
                    ),
                    "work changed on a {:?} finding by {:?}",
                    old.status,
                    change
                );
            }
        }
    }
    Ok(())
}

#[test]
fn anything_the_changes_accept_the_import_accepts() {
    let config = Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let tally = RefCell::new(Tally::default());
    let scenario = (ledger(), prop::collection::vec(step(), 1..120));
    if let Err(e) = runner.run(&scenario, |(fb, steps)| run(fb, steps, &tally)) {
        panic!("{e}");
    }
    let t = tally.into_inner();
    let share = t.accepted as f64 / t.steps as f64;
    eprintln!(
        "{} of {} steps accepted: {:?}",
        t.accepted, t.steps, t.tried
    );
    assert!(
        share >= 0.2,
        "only {} of {} steps accepted: {:?}",
        t.accepted,
        t.steps,
        t.tried
    );
    assert_eq!(
        t.statuses,
        S::ALL.into_iter().collect(),
        "finding statuses reached"
    );
    assert_eq!(t.plans.len(), 4, "plan statuses reached: {:?}", t.plans);
    let every: BTreeSet<&str> = [
        "submit_plan",
        "approve_plan",
        "return_plan",
        "start",
        "request_closure",
        "sign_off",
        "sign_off_basically_done",
        "sign_off_long_term",
        "return",
        "transfer",
        "reopen",
        "resume",
        "add_measure",
        "edit_measure",
        "remove_measure",
        "add_progress",
        "set_measure_status",
        "attach_evidence",
        "add_outcome",
        "request_extension",
        "approve_extension",
        "refuse_extension",
    ]
    .into_iter()
    .collect();
    assert_eq!(
        t.kinds, every,
        "every kind of change accepted at least once"
    );
}
