//! The demo's story: where each finding goes (closed, returned, long-term, …) and the steps
//! that take it there, each a unit of work by the person whose job it is on a given day.

use sha2::{Digest, Sha256};
use zhenggai_core::*;
use zhenggai_store::Work;

/// Where the story takes each finding of the units whose plan was approved.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Planned,
    InProgress,
    Transferred,
    ClosureRequested,
    Closed,
    ReturnedThenClosed,
    BasicallyDone,
    LongTerm,
    Reopened,
}

pub(super) const TARGETS: [Target; 9] = [
    Target::Closed,
    Target::InProgress,
    Target::ClosureRequested,
    Target::ReturnedThenClosed,
    Target::BasicallyDone,
    Target::Planned,
    Target::LongTerm,
    Target::Transferred,
    Target::Reopened,
];

pub(super) struct Cast {
    pub(super) office: Actor,
    pub(super) office2: Actor,
    pub(super) supervisor: Actor,
    pub(super) editors: Vec<Actor>,
    pub(super) leads: Vec<Actor>,
}

/// On `day`, `who` applies `work`.
pub(super) struct Step {
    pub(super) day: i64,
    pub(super) who: Actor,
    pub(super) work: Work,
}

fn step(day: i64, who: &Actor, changes: Vec<Change>) -> Step {
    Step {
        day,
        who: who.clone(),
        work: Work::from(changes),
    }
}

fn command(finding: &Finding, command: FindingCommandKind, reason: &str) -> Change {
    Change::Finding {
        finding_id: finding.id.clone(),
        command,
        reason: reason.into(),
        evidence: vec![],
    }
}

/// An evidence file of the story: a short text, attached with its bytes.
fn evidence(finding: &Finding, n: usize, what: &str) -> Work {
    let bytes = format!("{}\n\n{what}（演示材料）\n", finding.title).into_bytes();
    let change = Change::AttachEvidence {
        finding_id: finding.id.clone(),
        evidence: EvidenceDraft {
            name: format!("整改佐证材料（{n}）.txt"),
            media_type: "text/plain; charset=utf-8".into(),
            size: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&bytes)),
            description: what.into(),
        },
    };
    Work {
        changes: vec![change],
        blobs: vec![bytes],
    }
}

/// The unit's work on every measure in one unit of work: progress, then done (or
/// standing long-term with its reason).
fn work_on_measures(f: &Finding) -> Vec<Change> {
    let mut changes = Vec::new();
    for m in &f.measures {
        changes.push(Change::AddProgress {
            measure_id: m.id.clone(),
            text: format!("已按计划推进：{}，形成阶段性工作记录。", m.text),
        });
        let long = m.kind == MeasureKind::LongTerm;
        changes.push(Change::SetMeasureStatus {
            measure_id: m.id.clone(),
            status: if long {
                MeasureStatus::InProgress
            } else {
                MeasureStatus::Done
            },
            long_term_reason: long.then(|| "机制已建立，需在日常工作中长期执行".to_string()),
        });
    }
    changes
}

fn outcome(f: &Finding, n: usize, base: Date) -> Option<Change> {
    let outcome = match n % 5 {
        0 => Outcome::Money {
            kind: MoneyKind::Refunded,
            fen: 1_268_000 + n as i64 * 10_000,
        },
        1 => Outcome::Rule {
            change: RuleChange::New,
            title: format!(
                "《{}工作规程》",
                f.title.chars().take(6).collect::<String>()
            ),
        },
        2 => Outcome::Rule {
            change: RuleChange::Revised,
            title: "《重大事项请示报告实施办法》".into(),
        },
        3 => Outcome::Accountability {
            form: "诫勉谈话".into(),
            people: 2,
        },
        _ => Outcome::Meeting {
            date: base.add_days(30),
            title: "巡察整改专题民主生活会".into(),
        },
    };
    f.measures.first().map(|m| Change::AddOutcome {
        measure_id: m.id.clone(),
        outcome,
    })
}

/// The steps that take one finding to its target.
pub(super) fn finding_story(
    f: &Finding,
    target: Target,
    n: usize,
    unit: usize,
    cast: &Cast,
    base: Date,
) -> Vec<Step> {
    let (editor, lead) = (&cast.editors[unit], &cast.leads[unit]);
    let requester = if n.is_multiple_of(2) { editor } else { lead };
    let mut steps = Vec::new();
    match target {
        Target::Planned => return steps,
        Target::Transferred => {
            let reason = "涉及违纪问题线索，移交纪检监察机关核查";
            steps.push(step(
                25,
                &cast.supervisor,
                vec![command(f, FindingCommandKind::Transfer, reason)],
            ));
            return steps;
        }
        _ => steps.push(step(
            20,
            editor,
            vec![command(f, FindingCommandKind::Start, "")],
        )),
    }
    if target == Target::InProgress {
        if let Some(m) = f.measures.first() {
            let progress = Change::AddProgress {
                measure_id: m.id.clone(),
                text: "已完成摸底排查，正在制定具体方案。".into(),
            };
            steps.push(step(45, editor, vec![progress]));
            if let Some(due) = m.due {
                let ask = Change::RequestExtension {
                    measure_id: m.id.clone(),
                    new_due: due.add_days(120),
                    reason: "涉及跨部门协调，需延长整改时限".into(),
                };
                steps.push(step(60, editor, vec![ask]));
                let decide = Change::DecideExtension {
                    measure_id: m.id.clone(),
                    extension_id: "x1".into(),
                    approve: true,
                };
                steps.push(step(65, &cast.office, vec![decide]));
            }
        }
        return steps;
    }
    steps.push(step(45, editor, work_on_measures(f)));
    steps.extend(outcome(f, n, base).map(|c| step(50, editor, vec![c])));
    steps.push(Step {
        day: 55,
        who: editor.clone(),
        work: evidence(f, 1, "会议纪要、制度文件及台账扫描件"),
    });
    let ask = "措施已全部落实，申请销号";
    steps.push(step(
        80,
        requester,
        vec![command(f, FindingCommandKind::RequestClosure, ask)],
    ));
    let sign_off = "经核查，整改到位，同意销号";
    match target {
        Target::Closed => steps.push(step(
            95,
            &cast.office,
            vec![command(f, FindingCommandKind::SignOff, sign_off)],
        )),
        Target::ReturnedThenClosed => {
            let why = "佐证材料不能反映整改实效，请补充制度执行情况";
            steps.push(step(
                90,
                &cast.office2,
                vec![command(f, FindingCommandKind::Return, why)],
            ));
            steps.push(Step {
                day: 100,
                who: editor.clone(),
                work: evidence(f, 2, "制度执行记录"),
            });
            let again = "已补充制度执行记录";
            steps.push(step(
                105,
                requester,
                vec![command(f, FindingCommandKind::RequestClosure, again)],
            ));
            steps.push(step(
                120,
                &cast.office,
                vec![command(f, FindingCommandKind::SignOff, sign_off)],
            ));
        }
        Target::BasicallyDone => {
            let why = "主体工作完成，长效机制需持续推进";
            steps.push(step(
                95,
                &cast.office,
                vec![command(f, FindingCommandKind::SignOffBasicallyDone, why)],
            ));
        }
        Target::LongTerm => {
            let why = "阶段任务完成，转入长期坚持";
            steps.push(step(
                95,
                &cast.supervisor,
                vec![command(f, FindingCommandKind::SignOffLongTerm, why)],
            ));
        }
        Target::Reopened => {
            steps.push(step(
                95,
                &cast.office,
                vec![command(f, FindingCommandKind::SignOff, sign_off)],
            ));
            let why = "回头看发现问题反弹，重新整改";
            steps.push(step(
                190,
                &cast.supervisor,
                vec![command(f, FindingCommandKind::Reopen, why)],
            ));
        }
        _ => {}
    }
    steps
}

/// The plans: three units submit and have them approved; the fourth's is returned, mended
/// and submitted again, and waits for the office.
pub(super) fn plan_story(feedbacks: &[Feedback], cast: &Cast) -> Vec<Step> {
    let mut steps = Vec::new();
    for (u, fb) in feedbacks.iter().enumerate() {
        let submit = |reason: &str| Change::SubmitPlan {
            feedback_id: fb.id.clone(),
            reason: reason.into(),
        };
        steps.push(step(
            8,
            &cast.leads[u],
            vec![submit("整改方案经党组会议研究通过，现报送审核")],
        ));
        if u + 1 < feedbacks.len() {
            let approve = Change::ApprovePlan {
                feedback_id: fb.id.clone(),
                reason: "整改方案措施具体、责任明确，同意".into(),
            };
            steps.push(step(12, &cast.office, vec![approve]));
            continue;
        }
        let back = Change::ReturnPlan {
            feedback_id: fb.id.clone(),
            reason: "部分措施时限过宽，请细化到月".into(),
        };
        steps.push(step(11, &cast.office2, vec![back]));
        if let Some(m) = fb.findings().next().and_then(|f| f.measures.first()) {
            let edit = Change::EditMeasure {
                measure_id: m.id.clone(),
                measure: MeasureDraft {
                    text: format!("{}（按月推进）", m.text),
                    kind: m.kind,
                    lead: m.lead.clone(),
                    department: m.department.clone(),
                    owner: m.owner.clone(),
                    due: m.due.map(|d| d.add_days(-30)),
                },
            };
            steps.push(step(13, &cast.editors[u], vec![edit]));
        }
        steps.push(step(
            15,
            &cast.leads[u],
            vec![submit("已按意见细化时限，重新报送")],
        ));
    }
    steps
}
