//! The import validator on histories: status transitions replayed through the rules, what a
//! frozen or transferred finding must hold, the plan's history and how the plan and the
//! findings' statuses fit together. Each rule in both directions, at its exact JSON path.

mod common;

use common::ledger::*;
use common::*;
use zhenggai_core::{
    FindingCommandKind as C, FindingStatus as S, MeasureStatus, PlanAction, PlanStatus, Role,
};

fn t(i: usize) -> String {
    format!("{F1}.transitions[{i}]")
}

#[test]
fn each_transition_starts_where_the_last_one_ended() {
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[2].from = S::Planned),
        format!("{}.from", t(2))
    );
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[0].from = S::Planned),
        format!("{}.from", t(0))
    );
    assert_eq!(
        refused_at(|fb| f1(fb).transitions.remove(1)),
        format!("{}.from", t(1))
    );
}

#[test]
fn transitions_are_dated_in_order() {
    // transitions[3] (the return) is on day 15, [2] on day 14.
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[3].date = day(13)),
        format!("{}.date", t(3))
    );
    accepted(|fb| f1(fb).transitions[3].date = day(14));
}

#[test]
fn each_transition_names_its_actor_and_says_why_where_it_must() {
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[1].actor = " ".into()),
        format!("{}.actor", t(1))
    );
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[1].actor_id = String::new()),
        format!("{}.actor_id", t(1))
    );
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[3].reason = String::new()),
        format!("{}.reason", t(3))
    );
    assert_eq!(
        refused_at(|fb| f2(fb).transitions[2].reason = " ".into()),
        format!("{F2}.transitions[2].reason")
    );
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[5].reason = "\u{1b}[31m".into()),
        format!("{}.reason", t(5))
    );
    accepted(|fb| f1(fb).transitions[5].reason = "核查属实".into());
}

#[test]
fn each_transition_is_replayed_through_the_rules_by_role_and_second_person() {
    // The sign-off by the requester of the pending closure (editor-2).
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[5].actor_id = "editor-2".into()),
        format!("{}.command", t(5))
    );
    // The first requester (editor-1) may decide the second request…
    accepted(|fb| f1(fb).transitions[5].actor_id = "editor-1".into());
    // …and the same name with another id is another person.
    accepted(|fb| f1(fb).transitions[5].actor = "陈静".into());
    // The return, by the requester of the first closure (editor-1).
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[3].actor_id = "editor-1".into()),
        format!("{}.command", t(3))
    );
    // A role the command does not allow.
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[1].role = Role::Office),
        format!("{}.command", t(1))
    );
    // A command with no edge from where the history stands.
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[1].command = C::Resume),
        format!("{}.command", t(1))
    );
}

#[test]
fn each_transition_leads_where_the_rules_say() {
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[5].to = S::BasicallyDone),
        format!("{}.to", t(5))
    );
    assert_eq!(
        refused_at(|fb| f3(fb).transitions[0].to = S::InProgress),
        format!("{F3}.transitions[0].to")
    );
}

#[test]
fn transitions_cite_only_evidence_the_finding_has() {
    assert_eq!(
        refused_at(|fb| f1(fb).transitions[4].evidence = vec!["e1".into(), "e3".into()]),
        format!("{}.evidence", t(4))
    );
    accepted(|fb| f1(fb).transitions[4].evidence = vec!["e2".into(), "e1".into()]);
}

#[test]
fn the_status_is_where_the_history_ends() {
    assert_eq!(
        refused_at(|fb| f1(fb).status = S::BasicallyDone),
        format!("{F1}.status")
    );
    assert_eq!(
        refused_at(|fb| f1(fb).transitions.pop()),
        format!("{F1}.status")
    );
    // A whole history rewritten consistently to a basically-done sign-off is fine.
    accepted(|fb| {
        let f = f1(fb);
        f.transitions[5].command = C::SignOffBasicallyDone;
        f.transitions[5].to = S::BasicallyDone;
        f.status = S::BasicallyDone;
    });
}

#[test]
fn a_finding_under_review_or_signed_off_has_complete_measures_and_evidence() {
    assert_eq!(
        refused_at(|fb| f1(fb).measures[0].status = MeasureStatus::InProgress),
        format!("{F1}.measures[0].status")
    );
    assert_eq!(
        refused_at(|fb| f1(fb).measures[1].long_term_reason = None),
        format!("{F1}.measures[1].status")
    );
    assert_eq!(
        refused_at(|fb| {
            let f = f1(fb);
            f.evidence.clear();
            f.transitions[4].evidence.clear();
        }),
        format!("{F1}.evidence")
    );
    // Basically done thaws the work: an unfinished measure is fine there.
    accepted(|fb| {
        let f = f1(fb);
        f.transitions[5].command = C::SignOffBasicallyDone;
        f.transitions[5].to = S::BasicallyDone;
        f.status = S::BasicallyDone;
        f.measures[0].status = MeasureStatus::InProgress;
        f.evidence.clear();
        f.transitions[4].evidence.clear();
    });
    // A transferred finding keeps whatever state its work was in.
    accepted(|fb| {
        let f = f2(fb);
        f.measures[0].status = MeasureStatus::Pending;
        f.evidence.clear();
    });
}

#[test]
fn a_transferred_finding_and_only_it_records_the_lead() {
    assert_eq!(refused_at(|fb| f2(fb).lead = None), format!("{F2}.lead"));
    assert_eq!(
        refused_at(|fb| f1(fb).lead = f2(&mut full()).lead.clone()),
        format!("{F1}.lead")
    );
    assert_eq!(
        refused_at(|fb| f2(fb).lead.as_mut().expect("lead").to_body = " ".into()),
        format!("{F2}.lead.to_body")
    );
    assert_eq!(
        refused_at(|fb| f2(fb).lead.as_mut().expect("lead").note = "\u{0}".into()),
        format!("{F2}.lead.note")
    );
    accepted(|fb| f2(fb).lead.as_mut().expect("lead").note = String::new());
}

fn h(i: usize) -> String {
    format!("fb.plan.history[{i}]")
}

#[test]
fn the_plan_history_is_replayed_through_the_plan_rules() {
    assert_eq!(
        refused_at(|fb| fb.plan.history[1].actor = String::new()),
        format!("{}.actor", h(1))
    );
    assert_eq!(
        refused_at(|fb| fb.plan.history[1].actor_id = String::new()),
        format!("{}.actor_id", h(1))
    );
    assert_eq!(
        refused_at(|fb| fb.plan.history[1].reason = " ".into()),
        format!("{}.reason", h(1))
    );
    assert_eq!(
        refused_at(|fb| fb.plan.history[0].reason = "\u{7}".into()),
        format!("{}.reason", h(0))
    );
    assert_eq!(
        refused_at(|fb| fb.plan.history[2].date = day(2)),
        format!("{}.date", h(2))
    );
    accepted(|fb| fb.plan.history[2].date = day(3));
    assert_eq!(
        refused_at(|fb| fb.plan.history[3].role = Role::Supervisor),
        format!("{}.action", h(3))
    );
    assert_eq!(
        refused_at(|fb| fb.plan.history[1].action = PlanAction::Approve),
        format!("{}.action", h(2)),
        "approved, the plan cannot be submitted again"
    );
    assert_eq!(
        refused_at(|fb| fb.plan.history.remove(0)),
        format!("{}.action", h(0))
    );
}

#[test]
fn the_plan_status_is_where_its_history_ends() {
    assert_eq!(
        refused_at(|fb| fb.plan.status = PlanStatus::Submitted),
        "fb.plan.status"
    );
    assert_eq!(refused_at(|fb| fb.plan.history.pop()), "fb.plan.status");
}

/// `full()` cut back to before the approval: every finding open again but f2 transferred
/// (as if transferred before approval), the plan submitted.
fn unapproved(fb: &mut zhenggai_core::Feedback) {
    fb.plan.history.pop();
    fb.plan.status = PlanStatus::Submitted;
    for f in fb.findings_mut() {
        if f.id == "f2" {
            f.transitions.drain(..2);
            f.transitions[0].from = S::Open;
        } else {
            *f = zhenggai_core::Finding {
                status: S::Open,
                transitions: vec![],
                evidence: vec![],
                ..f.clone()
            };
            f.measures
                .iter_mut()
                .for_each(|m| m.status = MeasureStatus::Pending);
        }
    }
}

#[test]
fn findings_leave_open_only_by_the_plans_approval_or_a_transfer() {
    accepted(unapproved);
    // Approved, yet a finding is still open.
    assert_eq!(
        refused_at(|fb| {
            let f = f3(fb);
            f.transitions.clear();
            f.status = S::Open;
        }),
        format!("{F3}.status")
    );
    // Not approved, yet a finding is planned.
    assert_eq!(
        refused_at(|fb| {
            unapproved(fb);
            let f = f3(fb);
            f.transitions = full().categories[1].aspects[0].findings[0]
                .transitions
                .clone();
            f.status = S::Planned;
        }),
        format!("{F3}.status")
    );
}

#[test]
fn a_submitted_or_approved_plan_was_complete() {
    for edit in [unapproved as fn(&mut zhenggai_core::Feedback), |_| {}] {
        assert_eq!(
            refused_at(|fb| {
                edit(fb);
                f3(fb).measures[0].owner = String::new();
            }),
            "fb.plan"
        );
    }
    // A draft or returned plan may be incomplete.
    accepted(|fb| {
        unapproved(fb);
        fb.plan.history.pop();
        fb.plan.status = PlanStatus::Returned;
        f3(fb).measures[0].owner = String::new();
    });
}
