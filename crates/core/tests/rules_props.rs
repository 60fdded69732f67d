//! Random sequences of commands by random people in random roles never reach a state the
//! rules forbid. The invariants are checked against the history, independently of
//! `rules::target`, so a wrong edge in the table shows up here.

use proptest::prelude::*;
use zhenggai_core::rules::{decide, requester_after};
use zhenggai_core::{Actor, FindingCommand, FindingFacts, FindingStatus as St, Role};

#[derive(Debug, Clone)]
enum Step {
    Command(FindingCommand, Actor),
    SetMeasuresComplete(bool),
    SetEvidence(usize),
}

fn actor() -> impl Strategy<Value = Actor> {
    (
        prop::sample::select(vec!["甲", "乙", "丙"]),
        prop::sample::select(Role::ALL.to_vec()),
    )
        .prop_map(|(n, r)| Actor::new(n, r))
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (prop::sample::select(zhenggai_core::FindingCommandKind::ALL.to_vec()), actor())
            .prop_map(|(c, a)| Step::Command(c, a)),
        1 => any::<bool>().prop_map(Step::SetMeasuresComplete),
        1 => (0usize..3).prop_map(Step::SetEvidence),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn no_forbidden_state_is_reachable(steps in prop::collection::vec(step(), 0..60)) {
        let mut facts = FindingFacts {
            status: St::Open,
            requester: None,
            measures_complete: false,
            evidence_count: 0,
        };
        // What the pending closure request rested on when it was made.
        let mut request_was_sound = false;
        for s in steps {
            match s {
                Step::SetMeasuresComplete(b) => facts.measures_complete = b,
                Step::SetEvidence(n) => facts.evidence_count = n,
                Step::Command(cmd, who) => {
                    let before = facts.clone();
                    let Ok(to) = decide(&facts, cmd, &who) else { continue };
                    match to {
                        St::ClosureRequested => {
                            prop_assert!(matches!(who.role, Role::UnitEditor | Role::UnitLead));
                            prop_assert!(matches!(before.status, St::InProgress | St::BasicallyDone));
                            request_was_sound = before.measures_complete && before.evidence_count > 0;
                            prop_assert!(request_was_sound);
                        }
                        St::Closed | St::BasicallyDone | St::LongTerm if before.status == St::ClosureRequested => {
                            prop_assert!(matches!(who.role, Role::Office | Role::Supervisor));
                            prop_assert_ne!(before.requester.as_deref(), Some(who.name.as_str()));
                            prop_assert!(request_was_sound);
                        }
                        St::Closed | St::BasicallyDone | St::LongTerm => {
                            prop_assert!(false, "settled without a closure request: {:?} → {:?}", before.status, to);
                        }
                        St::InProgress => {
                            prop_assert!(matches!(before.status, St::Planned | St::Reopened | St::ClosureRequested));
                            if before.status == St::ClosureRequested {
                                prop_assert!(matches!(who.role, Role::Office | Role::Supervisor));
                                prop_assert_ne!(before.requester.as_deref(), Some(who.name.as_str()));
                            }
                        }
                        St::Reopened => {
                            prop_assert!(matches!(before.status, St::Closed | St::BasicallyDone | St::LongTerm));
                        }
                        St::Planned => prop_assert_eq!(who.role, Role::Office),
                        St::Transferred => {
                            prop_assert!(matches!(who.role, Role::Office | Role::Supervisor));
                            prop_assert!(!matches!(before.status, St::Closed | St::Transferred));
                        }
                        St::Open => prop_assert!(false, "nothing leads back to open"),
                    }
                    prop_assert_ne!(who.role, Role::Public);
                    prop_assert_ne!(who.role, Role::Admin);
                    facts.requester = requester_after(cmd, &who, facts.requester.take());
                    facts.status = to;
                }
            }
        }
    }
}
