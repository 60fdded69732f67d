//! Where every command leads from every status, who may give it, and the second-person
//! rule: the tables are written out here by hand, not derived from `rules::target`, so a
//! wrong or missing edge in the rules shows up as a difference.

mod common;

use common::*;
use zhenggai_core::rules::{
    decide_edge, needs_reason, needs_second_person, requester_after, role_allowed, target,
};
use zhenggai_core::{CoreError, FindingCommandKind as C, FindingStatus as S, PlanStatus, Role};

/// Commands in `C::ALL` order: approve_plan, start, request_closure, sign_off,
/// sign_off_basically_done, sign_off_long_term, return, transfer, reopen, resume.
fn expected_edges(from: S) -> [Option<S>; 10] {
    const N: Option<S> = None;
    let t = Some(S::Transferred);
    let r = Some(S::Reopened);
    match from {
        S::Open => [Some(S::Planned), N, N, N, N, N, N, t, N, N],
        S::Planned => [N, Some(S::InProgress), N, N, N, N, N, t, N, N],
        S::InProgress => [N, N, Some(S::ClosureRequested), N, N, N, N, t, N, N],
        S::ClosureRequested => [
            N,
            N,
            N,
            Some(S::Closed),
            Some(S::BasicallyDone),
            Some(S::LongTerm),
            Some(S::InProgress),
            t,
            N,
            N,
        ],
        S::Closed => [N, N, N, N, N, N, N, N, r, N],
        S::BasicallyDone => [N, N, Some(S::ClosureRequested), N, N, N, N, N, r, N],
        S::LongTerm => [N, N, N, N, N, N, N, N, r, N],
        S::Transferred => [N; 10],
        S::Reopened => [N, N, N, N, N, N, N, t, N, Some(S::InProgress)],
    }
}

/// Roles in `Role::ALL` order: admin, office, supervisor, unit_editor, unit_lead, public.
fn expected_roles(cmd: C) -> [bool; 6] {
    match cmd {
        C::ApprovePlan => [false, true, false, false, false, false],
        C::Start | C::RequestClosure | C::Resume => [false, false, false, true, true, false],
        C::SignOff
        | C::SignOffBasicallyDone
        | C::SignOffLongTerm
        | C::Return
        | C::Transfer
        | C::Reopen => [false, true, true, false, false, false],
    }
}

/// Someone allowed to give `cmd`, never the requester editor-1.
fn allowed_actor(cmd: C) -> zhenggai_core::Actor {
    match cmd {
        C::ApprovePlan => office(),
        C::Start | C::RequestClosure | C::Resume => editor2(),
        _ => person(Role::Office, "office-2", "吴涛"),
    }
}

#[test]
fn every_status_and_command_pair_has_its_exact_target() {
    for from in S::ALL {
        for (cmd, want) in C::ALL.into_iter().zip(expected_edges(from)) {
            assert_eq!(target(from, cmd), want, "{from:?} --{cmd:?}-->");
        }
    }
}

#[test]
fn every_command_has_its_exact_roles() {
    for cmd in C::ALL {
        for (role, want) in Role::ALL.into_iter().zip(expected_roles(cmd)) {
            assert_eq!(role_allowed(cmd, role), want, "{cmd:?} by {role:?}");
        }
    }
}

#[test]
fn decide_edge_refuses_the_role_first_then_the_edge_then_the_same_person() {
    for from in S::ALL {
        for (cmd, want) in C::ALL.into_iter().zip(expected_edges(from)) {
            for (role, allowed) in Role::ALL.into_iter().zip(expected_roles(cmd)) {
                let got = decide_edge(from, Some("requester"), cmd, role, "decider");
                let expected = if !allowed {
                    Err(CoreError::forbidden(cmd.zh()))
                } else {
                    want.ok_or_else(|| CoreError::InvalidTransition {
                        from,
                        action: cmd.zh().to_string(),
                    })
                };
                assert_eq!(got, expected, "{from:?} {cmd:?} {role:?}");
                // The requester deciding their own request is refused wherever the edge is.
                let own = decide_edge(from, Some("decider"), cmd, role, "decider");
                if allowed && want.is_some() && needs_second_person(cmd) {
                    assert_eq!(own, Err(CoreError::SamePerson), "{from:?} {cmd:?}");
                } else {
                    assert_eq!(own, expected, "{from:?} {cmd:?} {role:?} by the requester");
                }
            }
        }
    }
}

#[test]
fn the_decisions_on_a_request_need_a_second_person_and_nothing_else_does() {
    let second: Vec<C> = C::ALL
        .into_iter()
        .filter(|c| needs_second_person(*c))
        .collect();
    assert_eq!(
        second,
        [
            C::SignOff,
            C::SignOffBasicallyDone,
            C::SignOffLongTerm,
            C::Return
        ]
    );
}

#[test]
fn return_transfer_and_reopen_must_say_why_and_nothing_else_must() {
    let why: Vec<C> = C::ALL.into_iter().filter(|c| needs_reason(*c)).collect();
    assert_eq!(why, [C::Return, C::Transfer, C::Reopen]);
}

#[test]
fn sign_off_with_no_requester_recorded_is_refused() {
    for cmd in [
        C::SignOff,
        C::SignOffBasicallyDone,
        C::SignOffLongTerm,
        C::Return,
    ] {
        assert_eq!(
            decide_edge(S::ClosureRequested, None, cmd, Role::Office, "office-1"),
            Err(CoreError::SamePerson),
            "{cmd:?}"
        );
    }
    // A transfer decides no request: it needs no requester.
    assert_eq!(
        decide_edge(S::ClosureRequested, None, C::Transfer, Role::Office, "o"),
        Ok(S::Transferred)
    );
}

#[test]
fn the_requester_is_set_by_a_request_cleared_by_a_decision_or_transfer_and_kept_otherwise() {
    for cmd in C::ALL {
        let want = match cmd {
            C::RequestClosure => Some("now"),
            C::SignOff | C::SignOffBasicallyDone | C::SignOffLongTerm | C::Return | C::Transfer => {
                None
            }
            C::ApprovePlan | C::Start | C::Reopen | C::Resume => Some("before"),
        };
        assert_eq!(requester_after(cmd, "now", Some("before")), want, "{cmd:?}");
        let from_none = if cmd == C::RequestClosure {
            Some("now")
        } else {
            None
        };
        assert_eq!(requester_after(cmd, "now", None), from_none, "{cmd:?}");
    }
}

#[test]
fn every_edge_through_finding_apply_moves_the_finding_or_refuses_it_unchanged() {
    for from in S::ALL {
        for (cmd, want) in C::ALL.into_iter().zip(expected_edges(from)) {
            let mut f = ready(from);
            let before = f.clone();
            let who = allowed_actor(cmd);
            let got = f.apply(
                &who,
                &ctx(PlanStatus::Approved, day(9)),
                &command("f1", cmd, "理由"),
            );
            match (cmd, want) {
                (C::ApprovePlan, _) => {
                    assert_eq!(got.map(|_| ()).map_err(|e| e.code()), Err("invalid"));
                    assert_eq!(f, before);
                }
                (_, Some(to)) => {
                    let effect = got.unwrap_or_else(|e| panic!("{from:?} {cmd:?}: {e}"));
                    assert_eq!(effect.entity, "finding");
                    assert_eq!(effect.entity_id, "f1");
                    assert_eq!(effect.created, None);
                    assert_eq!(effect.from.as_deref(), Some(from.as_str()));
                    assert_eq!(effect.to.as_deref(), Some(to.as_str()));
                    assert_eq!(f.status, to);
                    let t = f.transitions.last().expect("a transition");
                    assert_eq!((t.from, t.to, t.command), (from, to, cmd));
                    assert_eq!(f.transitions.len(), before.transitions.len() + 1);
                }
                (_, None) => {
                    assert_eq!(
                        got,
                        Err(CoreError::InvalidTransition {
                            from,
                            action: cmd.zh().into()
                        }),
                        "{from:?} {cmd:?}"
                    );
                    assert_eq!(f, before, "a refusal changes nothing");
                }
            }
        }
    }
}

#[test]
fn every_command_by_every_role_through_finding_apply() {
    for cmd in C::ALL {
        for (who, allowed) in one_of_each().into_iter().zip(expected_roles(cmd)) {
            let mut f = ready(S::ClosureRequested);
            let got = f.apply(
                &who,
                &ctx(PlanStatus::Approved, day(9)),
                &command("f1", cmd, "理由"),
            );
            if !allowed {
                assert_eq!(got, Err(CoreError::forbidden(cmd.zh())), "{cmd:?} {who:?}");
            } else {
                assert_ne!(got.map_err(|e| e.code()), Err("forbidden"), "{cmd:?}");
            }
        }
    }
}

#[test]
fn people_are_told_apart_by_id_not_by_name() {
    // Same name, other id: a different person who may decide the request.
    let namesake = person(Role::Office, "office-7", "张敏");
    let mut f = reach(S::ClosureRequested);
    must(&mut f, &namesake, day(9), command("f1", C::SignOff, ""));
    assert_eq!(f.status, S::Closed);
    // Same id, other name: the requester renamed, still the same person.
    let renamed = person(Role::Office, "editor-1", "张敏（已更名）");
    for cmd in [
        C::SignOff,
        C::SignOffBasicallyDone,
        C::SignOffLongTerm,
        C::Return,
    ] {
        let mut f = reach(S::ClosureRequested);
        let got = f.apply(
            &renamed,
            &ctx(PlanStatus::Approved, day(9)),
            &command("f1", cmd, "补充材料"),
        );
        assert_eq!(got, Err(CoreError::SamePerson), "{cmd:?}");
        assert_eq!(f.status, S::ClosureRequested);
    }
}

#[test]
fn the_requester_follows_the_history_through_apply() {
    let mut f = reach(S::InProgress);
    assert_eq!(f.requester(), None);
    request_closure(&mut f, &editor(), 8);
    assert_eq!(f.requester(), Some("editor-1"));
    act(&mut f, &office(), 9, C::Return, "佐证不足");
    assert_eq!(f.requester(), None, "cleared by a return");
    act(&mut f, &editor2(), 10, C::RequestClosure, "");
    assert_eq!(f.requester(), Some("editor-2"), "the new requester");
    act(&mut f, &office(), 11, C::SignOffBasicallyDone, "");
    assert_eq!(f.requester(), None, "cleared by a sign-off");
    act(&mut f, &editor(), 12, C::RequestClosure, "");
    act(&mut f, &office(), 13, C::SignOffLongTerm, "");
    assert_eq!(f.requester(), None, "cleared by a long-term sign-off");
    act(&mut f, &office(), 14, C::Reopen, "反弹");
    act(&mut f, &editor(), 15, C::Resume, "");
    assert_eq!(f.requester(), None, "reopen and resume keep what was there");
    act(&mut f, &editor(), 16, C::RequestClosure, "");
    act(&mut f, &office(), 17, C::Transfer, "移交");
    assert_eq!(f.requester(), None, "cleared by a transfer");
}

#[test]
fn the_same_person_may_not_sign_off_after_a_return_and_a_new_request() {
    let mut f = reach(S::ClosureRequested);
    act(&mut f, &office(), 8, C::Return, "补充");
    // office-1 returned it; the next request is editor-2's, so office-1 may decide it…
    act(&mut f, &editor2(), 9, C::RequestClosure, "");
    // …but not as editor-2.
    let as_requester = person(Role::Supervisor, "editor-2", "陈静");
    assert_eq!(
        attempt(&mut f, &as_requester, 9, &command("f1", C::SignOff, "")),
        Err(CoreError::SamePerson)
    );
    act(&mut f, &office(), 9, C::SignOff, "");
}
