//! What the property test generates: people, steps and ledgers, and how a step's indices
//! become a change against the ledger as it stands.

use proptest::prelude::*;
use zhenggai_core::{
    Actor, Change, Feedback, Finding, FindingCommandKind as C, FindingStatus as S, MeasureKind,
    MeasureStatus, Outcome, PlanAction, Role,
};

use crate::common::*;

/// Who acts: an id and a name from small pools (so that namesakes with other ids and one
/// id in two roles both occur), a role, and for a unit's people the units they answer for.
#[derive(Debug, Clone)]
pub(crate) struct Who {
    pub(crate) id: usize,
    pub(crate) name: usize,
    pub(crate) role: Role,
    pub(crate) units: usize,
}

pub(crate) const IDS: [&str; 4] = ["u-1", "u-2", "u-3", "u-4"];
pub(crate) const NAMES: [&str; 2] = ["张敏", "王芳"];

impl Who {
    pub(crate) fn actor(&self) -> Actor {
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
pub(crate) fn who(likely: &'static [Role]) -> impl Strategy<Value = Who> {
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

pub(crate) const UNIT_ROLES: &[Role] = &[Role::UnitEditor, Role::UnitLead];
pub(crate) const CHECKERS: &[Role] = &[Role::Office, Role::Supervisor];
pub(crate) const OFFICE: &[Role] = &[Role::Office];
pub(crate) const LEAD: &[Role] = &[Role::UnitLead];

/// One step: a change to make, who makes it, and how many days pass before it.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) days: i64,
    pub(crate) who: Who,
    pub(crate) what: What,
}

/// A change with its targets as indices, resolved against the feedback when applied.
#[derive(Debug, Clone)]
pub(crate) enum What {
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
    /// Marks a finding internal (with a reason or, now and then, without) or public.
    Mark {
        f: usize,
        internal: bool,
        reason: bool,
    },
}

pub(crate) fn step() -> impl Strategy<Value = Step> {
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
        1 => (f, any::<bool>(), prop::bool::weighted(0.9), who(CHECKERS))
            .prop_map(|(f, internal, reason, w)| (w, What::Mark { f, internal, reason })),
    ];
    (prop::sample::select(vec![0i64, 0, 1, 1, 2, 5]), what).prop_map(|(days, (who, what))| Step {
        days,
        who,
        what,
    })
}

/// 1 to 3 findings in one or two categories, each with 1 or 2 measures.
pub(crate) fn ledger() -> impl Strategy<Value = Feedback> {
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
pub(crate) fn moves(s: S) -> &'static [C] {
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
pub(crate) fn resolve(fb: &Feedback, today: zhenggai_core::Date, what: &What) -> Change {
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
        What::Mark {
            f,
            internal,
            reason: r,
        } => Change::MarkInternal {
            finding_id: fid(f),
            internal,
            reason: reason(r),
        },
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
