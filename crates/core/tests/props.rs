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
#[path = "props/gen.rs"]
mod gen;

use std::cell::RefCell;
use std::collections::{BTreeSet, HashSet};

use common::*;
use gen::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use zhenggai_core::change::Target;
use zhenggai_core::{
    validate, Actor, Change, Feedback, Finding, FindingCommandKind as C, FindingContext,
    FindingStatus as S, MeasureKind, MeasureStatus, PlanStatus, Role,
};

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
    // As the store does: every measure id of the feedback; the finding's own are its own.
    let taken: Vec<String> = fb
        .findings()
        .flat_map(|f| f.measures.iter().map(|m| m.id.clone()))
        .collect();
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
                    taken: &taken,
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

fn finding_of<'a>(fb: &'a Feedback, id: &str) -> Option<&'a Finding> {
    fb.findings().find(|f| f.id == id)
}

fn run(fb0: Feedback, steps: Vec<Step>, tally: &RefCell<Tally>) -> Result<(), TestCaseError> {
    let mut fb = fb0;
    let mut today = day(1);
    let mut tally = tally.borrow_mut();
    for (n, s) in steps.iter().enumerate() {
        today = today.add_days(s.days);
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
            } else if f.internal != old.internal {
                // Marked for the notices: in any status, and nothing else moves.
                prop_assert!(matches!(who.role, Role::Office | Role::Supervisor));
                let unmarked = Finding {
                    internal: old.internal,
                    ..f.clone()
                };
                prop_assert_eq!(&unmarked, old);
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
        "mark_internal",
        "mark_public",
    ]
    .into_iter()
    .collect();
    assert_eq!(
        t.kinds, every,
        "every kind of change accepted at least once"
    );
}
