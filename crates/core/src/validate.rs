//! The import validator: turns deserialized ledger records into values the store may
//! accept. It uses the same record checks as the changes (`checks`) and replays every
//! history through the same rules (`rules`), so that any ledger the changes can build is
//! one an import accepts. Every refusal names the place as a JSON path, e.g.
//! `feedbacks[3].categories[0].aspects[1].findings[2].status`.

use std::collections::HashSet;
use std::fmt;

use crate::checks::{self, Check as FieldCheck};
use crate::error::CoreError;
use crate::limits::{check, check_id, NAME, TEXT, TITLE};
use crate::model::*;
use crate::rules;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.path, self.message)
    }
}

type Check = Result<(), Invalid>;

fn fail(path: impl Into<String>, message: impl Into<String>) -> Check {
    Err(Invalid {
        path: path.into(),
        message: message.into(),
    })
}

/// A record check's error, placed under `path`.
fn at(path: &str, r: FieldCheck) -> Check {
    r.map_err(|e| match e {
        CoreError::Invalid { field, message } => Invalid {
            path: format!("{path}.{field}"),
            message,
        },
        other => Invalid {
            path: path.to_string(),
            message: other.to_string(),
        },
    })
}

pub fn round(path: &str, r: &Round) -> Check {
    at(path, checks::round(r))
}

pub fn unit(path: &str, u: &Unit) -> Check {
    at(path, checks::unit(u))
}

/// Ids used inside one feedback tree that must be unique across it, per kind of record.
#[derive(Default)]
struct Seen {
    ids: HashSet<(&'static str, String)>,
}

impl Seen {
    fn add(&mut self, kind: &'static str, path: &str, id: &str) -> Check {
        at(path, check_id("id", id))?;
        if !self.ids.insert((kind, id.to_string())) {
            return fail(format!("{path}.id"), format!("标识“{id}”重复"));
        }
        Ok(())
    }
}

/// Ids unique within one parent (progress within a measure, evidence within a finding).
fn unique_within<'a>(path: &str, field: &str, ids: impl Iterator<Item = &'a str>) -> Check {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        at(&format!("{path}.{field}[{i}]"), check_id("id", id))?;
        if !seen.insert(id) {
            return fail(format!("{path}.{field}[{i}].id"), format!("标识“{id}”重复"));
        }
    }
    Ok(())
}

/// Validates one feedback tree. `known_round` and `known_unit` say whether a referenced
/// round or unit exists (in the document or the database).
pub fn feedback(
    path: &str,
    f: &Feedback,
    known_round: impl Fn(&str) -> bool,
    known_unit: impl Fn(&str) -> bool,
) -> Check {
    let mut seen = Seen::default();
    seen.add("feedback", path, &f.id)?;
    if !known_round(&f.round_id) {
        return fail(
            format!("{path}.round_id"),
            format!("引用了不存在的巡察轮次“{}”", f.round_id),
        );
    }
    if !known_unit(&f.unit_id) {
        return fail(
            format!("{path}.unit_id"),
            format!("引用了不存在的单位“{}”", f.unit_id),
        );
    }
    for (ci, c) in f.categories.iter().enumerate() {
        let cp = format!("{path}.categories[{ci}]");
        seen.add("category", &cp, &c.id)?;
        at(&cp, check("title", &c.title, TITLE, true))?;
        for (ai, a) in c.aspects.iter().enumerate() {
            let ap = format!("{cp}.aspects[{ai}]");
            seen.add("aspect", &ap, &a.id)?;
            at(&ap, check("title", &a.title, TITLE, true))?;
            for (fi, finding) in a.findings.iter().enumerate() {
                check_finding(&format!("{ap}.findings[{fi}]"), finding, &mut seen)?;
            }
        }
    }
    check_plan(path, f)
}

fn check_plan(path: &str, f: &Feedback) -> Check {
    let pp = format!("{path}.plan");
    let mut status = PlanStatus::Draft;
    let mut last = None;
    for (i, s) in f.plan.history.iter().enumerate() {
        let sp = format!("{pp}.history[{i}]");
        at(
            &sp,
            checks::person("actor", &s.actor, "actor_id", &s.actor_id),
        )?;
        at(
            &sp,
            check("reason", &s.reason, TEXT, s.action == PlanAction::Return),
        )?;
        if last.is_some_and(|d| s.date < d) {
            return fail(format!("{sp}.date"), "日期早于上一次审核");
        }
        status = rules::decide_plan(status, s.action, s.role)
            .or_else(|e| fail(format!("{sp}.action"), e.to_string()).map(|_| status))?;
        last = Some(s.date);
    }
    if status != f.plan.status {
        return fail(
            format!("{pp}.status"),
            format!(
                "“{}”与审核记录不符（记录止于“{}”）",
                f.plan.status.as_str(),
                status.as_str()
            ),
        );
    }
    // Approval moves every open finding to planned, and nothing else leaves open but a
    // transfer; a submitted or approved plan was complete when submitted and is frozen.
    let approved = status == PlanStatus::Approved;
    for (fp, finding) in findings_with_paths(path, f) {
        let ok = match finding.status {
            FindingStatus::Open => !approved,
            FindingStatus::Transferred => true,
            _ => approved,
        };
        if !ok {
            return fail(
                format!("{fp}.status"),
                format!(
                    "整改方案为“{}”，问题不能是“{}”",
                    status.as_str(),
                    finding.status.as_str()
                ),
            );
        }
    }
    if matches!(status, PlanStatus::Submitted | PlanStatus::Approved) {
        if let Err(e) = f.check_complete() {
            return fail(pp, e.to_string());
        }
    }
    Ok(())
}

fn findings_with_paths<'a>(
    path: &'a str,
    f: &'a Feedback,
) -> impl Iterator<Item = (String, &'a Finding)> {
    f.categories.iter().enumerate().flat_map(move |(ci, c)| {
        c.aspects.iter().enumerate().flat_map(move |(ai, a)| {
            a.findings.iter().enumerate().map(move |(fi, x)| {
                (
                    format!("{path}.categories[{ci}].aspects[{ai}].findings[{fi}]"),
                    x,
                )
            })
        })
    })
}

fn check_finding(path: &str, f: &Finding, seen: &mut Seen) -> Check {
    seen.add("finding", path, &f.id)?;
    at(path, check("title", &f.title, TITLE, true))?;
    for (mi, m) in f.measures.iter().enumerate() {
        check_measure(&format!("{path}.measures[{mi}]"), m, seen)?;
    }
    unique_within(path, "evidence", f.evidence.iter().map(|e| e.id.as_str()))?;
    for (ei, e) in f.evidence.iter().enumerate() {
        let ep = format!("{path}.evidence[{ei}]");
        let draft = crate::change::EvidenceDraft {
            name: e.name.clone(),
            media_type: e.media_type.clone(),
            size: e.size,
            sha256: e.sha256.clone(),
            description: e.description.clone(),
        };
        at(&ep, checks::evidence_draft(&draft))?;
        at(
            &ep,
            checks::person("added_by", &e.added_by, "added_by_id", &e.added_by_id),
        )?;
    }
    replay_transitions(path, f)?;
    if f.status.freezes_work() && f.status != FindingStatus::Transferred {
        if let Some(mi) = f.measures.iter().position(|m| !m.is_complete()) {
            return fail(
                format!("{path}.measures[{mi}].status"),
                format!("问题状态为“{}”，但此措施未完成", f.status.as_str()),
            );
        }
        if f.evidence.is_empty() {
            return fail(
                format!("{path}.evidence"),
                format!("问题状态为“{}”，但没有佐证材料", f.status.as_str()),
            );
        }
    }
    match (&f.lead, f.status) {
        (None, FindingStatus::Transferred) => {
            fail(format!("{path}.lead"), "已移交的问题须写明移交情况")
        }
        (Some(_), s) if s != FindingStatus::Transferred => {
            fail(format!("{path}.lead"), "只有已移交的问题才有移交情况")
        }
        (Some(lead), _) => {
            at(
                &format!("{path}.lead"),
                check("to_body", &lead.to_body, NAME, true),
            )?;
            at(
                &format!("{path}.lead"),
                check("note", &lead.note, TEXT, false),
            )
        }
        (None, _) => Ok(()),
    }
}

/// Replays the status history through the rules: each step must be allowed from where the
/// previous one ended, by its role, by a second person where the rules want one.
fn replay_transitions(path: &str, f: &Finding) -> Check {
    let evidence_ids: HashSet<&str> = f.evidence.iter().map(|e| e.id.as_str()).collect();
    let mut status = FindingStatus::Open;
    let mut requester: Option<&str> = None;
    let mut last_date = None;
    for (ti, t) in f.transitions.iter().enumerate() {
        let tp = format!("{path}.transitions[{ti}]");
        if t.from != status {
            return fail(
                format!("{tp}.from"),
                format!(
                    "应为“{}”（上一状态），实为“{}”",
                    status.as_str(),
                    t.from.as_str()
                ),
            );
        }
        if last_date.is_some_and(|d| t.date < d) {
            return fail(format!("{tp}.date"), "状态变更日期早于上一次变更");
        }
        at(
            &tp,
            checks::person("actor", &t.actor, "actor_id", &t.actor_id),
        )?;
        at(
            &tp,
            check("reason", &t.reason, TEXT, rules::needs_reason(t.command)),
        )?;
        let to = rules::decide_edge(status, requester, t.command, t.role, &t.actor_id)
            .or_else(|e| fail(format!("{tp}.command"), e.to_string()).map(|_| status))?;
        if to != t.to {
            return fail(
                format!("{tp}.to"),
                format!("“{}”之后应为“{}”", t.command.zh(), to.as_str()),
            );
        }
        if let Some(missing) = t
            .evidence
            .iter()
            .find(|id| !evidence_ids.contains(id.as_str()))
        {
            return fail(
                format!("{tp}.evidence"),
                format!("引用了不存在的佐证材料“{missing}”"),
            );
        }
        requester = rules::requester_after(t.command, &t.actor_id, requester);
        status = to;
        last_date = Some(t.date);
    }
    if status != f.status {
        return fail(
            format!("{path}.status"),
            format!(
                "状态“{}”与状态变更记录不符（记录止于“{}”）",
                f.status.as_str(),
                status.as_str()
            ),
        );
    }
    Ok(())
}

fn check_measure(path: &str, m: &Measure, seen: &mut Seen) -> Check {
    seen.add("measure", path, &m.id)?;
    let draft = crate::change::MeasureDraft {
        text: m.text.clone(),
        kind: m.kind,
        lead: m.lead.clone(),
        department: m.department.clone(),
        owner: m.owner.clone(),
        due: m.due,
    };
    at(path, checks::measure_draft(&draft))?;
    if let Some(reason) = &m.long_term_reason {
        if m.kind != MeasureKind::LongTerm {
            return fail(
                format!("{path}.long_term_reason"),
                "只有长期坚持的措施才写长期理由",
            );
        }
        at(path, check("long_term_reason", reason, TEXT, true))?;
    }
    unique_within(path, "progress", m.progress.iter().map(|p| p.id.as_str()))?;
    for (pi, p) in m.progress.iter().enumerate() {
        let pp = format!("{path}.progress[{pi}]");
        at(&pp, check("text", &p.text, TEXT, true))?;
        at(
            &pp,
            checks::person("author", &p.author, "author_id", &p.author_id),
        )?;
    }
    for (oi, o) in m.outcomes.iter().enumerate() {
        at(&format!("{path}.outcomes[{oi}]"), checks::outcome(o))?;
    }
    check_extensions(path, m)
}

/// Replays the extensions in order: one pending at a time, each asking for a later date
/// than the one in force, decided no earlier than asked.
fn check_extensions(path: &str, m: &Measure) -> Check {
    unique_within(
        path,
        "extensions",
        m.extensions.iter().map(|x| x.id.as_str()),
    )?;
    let mut due = m.due;
    let last = m.extensions.len().saturating_sub(1);
    for (xi, x) in m.extensions.iter().enumerate() {
        let xp = format!("{path}.extensions[{xi}]");
        at(
            &xp,
            checks::person(
                "requested_by",
                &x.requested_by,
                "requested_by_id",
                &x.requested_by_id,
            ),
        )?;
        at(&xp, check("reason", &x.reason, TEXT, true))?;
        let Some(current) = due else {
            return fail(format!("{xp}.new_due"), "措施没有整改时限，不能延期");
        };
        if x.new_due <= current {
            return fail(format!("{xp}.new_due"), "延期后的时限须晚于当时的时限");
        }
        match (&x.decision, &x.decided_by, &x.decided_by_id, x.decided_on) {
            (ExtensionDecision::Requested, None, None, None) if xi == last => {}
            (ExtensionDecision::Requested, None, None, None) => {
                return fail(format!("{xp}.decision"), "之后又有延期申请，此申请应已审批");
            }
            (
                ExtensionDecision::Approved | ExtensionDecision::Refused,
                Some(by),
                Some(by_id),
                Some(on),
            ) => {
                at(
                    &xp,
                    checks::person("decided_by", by, "decided_by_id", by_id),
                )?;
                if on < x.requested_on {
                    return fail(format!("{xp}.decided_on"), "审批日期早于申请日期");
                }
                if x.decision == ExtensionDecision::Approved {
                    due = Some(x.new_due);
                }
            }
            _ => {
                return fail(
                    format!("{xp}.decision"),
                    "已批准或已拒绝的延期须写明审批人、审批人标识和日期，待审批的不写",
                );
            }
        }
    }
    Ok(())
}
