//! Checks that turn deserialized ledger records into values the store may accept. Every
//! refusal names the place as a JSON path, e.g. `feedbacks[3].categories[0].aspects[1].findings[2].status`.

use std::collections::HashSet;
use std::fmt;

use crate::model::*;
use crate::rules::{self, Actor};

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

pub fn check_id(path: &str, id: &str) -> Check {
    let ok = !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if ok {
        Ok(())
    } else {
        fail(
            format!("{path}.id"),
            format!("标识“{id}”无效：须为 1 至 100 个字母、数字或 - _ . : 字符"),
        )
    }
}

fn check_text(path: &str, field: &str, text: &str) -> Check {
    if text.trim().is_empty() {
        fail(format!("{path}.{field}"), "不能为空")
    } else {
        Ok(())
    }
}

pub fn round(path: &str, r: &Round) -> Check {
    check_id(path, &r.id)?;
    check_text(path, "name", &r.name)?;
    if r.inspection_end < r.inspection_start {
        return fail(format!("{path}.inspection_end"), "巡察结束日期早于开始日期");
    }
    if r.feedback_date < r.inspection_start {
        return fail(format!("{path}.feedback_date"), "反馈日期早于巡察开始日期");
    }
    r.policy
        .check()
        .or_else(|m| fail(format!("{path}.policy"), m))
}

pub fn unit(path: &str, u: &Unit) -> Check {
    check_id(path, &u.id)?;
    check_text(path, "name", &u.name)
}

/// Ids already used inside one feedback tree, per kind of record.
#[derive(Default)]
struct Seen {
    ids: HashSet<(&'static str, String)>,
}

impl Seen {
    fn add(&mut self, kind: &'static str, path: &str, id: &str) -> Check {
        check_id(path, id)?;
        if !self.ids.insert((kind, id.to_string())) {
            return fail(format!("{path}.id"), format!("标识“{id}”重复"));
        }
        Ok(())
    }
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
        check_text(&cp, "title", &c.title)?;
        for (ai, a) in c.aspects.iter().enumerate() {
            let ap = format!("{cp}.aspects[{ai}]");
            seen.add("aspect", &ap, &a.id)?;
            check_text(&ap, "title", &a.title)?;
            for (fi, finding) in a.findings.iter().enumerate() {
                check_finding(&format!("{ap}.findings[{fi}]"), finding, &mut seen)?;
            }
        }
    }
    Ok(())
}

fn check_finding(path: &str, f: &Finding, seen: &mut Seen) -> Check {
    seen.add("finding", path, &f.id)?;
    check_text(path, "title", &f.title)?;
    for (mi, m) in f.measures.iter().enumerate() {
        check_measure(&format!("{path}.measures[{mi}]"), m, seen)?;
    }
    for (ei, e) in f.evidence.iter().enumerate() {
        let ep = format!("{path}.evidence[{ei}]");
        seen.add("evidence", &ep, &e.id)?;
        check_text(&ep, "name", &e.name)?;
        let hex_ok = e.sha256.len() == 64
            && e.sha256
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
        if !hex_ok {
            return fail(format!("{ep}.sha256"), "须为 64 位小写十六进制 sha256");
        }
    }
    let evidence_ids: HashSet<&str> = f.evidence.iter().map(|e| e.id.as_str()).collect();
    let mut status = FindingStatus::Open;
    let mut requester: Option<String> = None;
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
        let actor = Actor::new(t.actor.clone(), t.role);
        let to = rules::decide_edge(status, requester.as_deref(), t.command, &actor)
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
        requester = rules::requester_after(t.command, &actor, requester);
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
    if matches!(
        f.status,
        FindingStatus::ClosureRequested | FindingStatus::Closed
    ) {
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
        _ => Ok(()),
    }
}

fn check_measure(path: &str, m: &Measure, seen: &mut Seen) -> Check {
    seen.add("measure", path, &m.id)?;
    check_text(path, "text", &m.text)?;
    if m.long_term_reason.is_some() && m.kind != MeasureKind::LongTerm {
        return fail(
            format!("{path}.long_term_reason"),
            "只有长期坚持的措施才写长期理由",
        );
    }
    for (pi, p) in m.progress.iter().enumerate() {
        let pp = format!("{path}.progress[{pi}]");
        seen.add("progress", &pp, &p.id)?;
        check_text(&pp, "text", &p.text)?;
    }
    for (oi, o) in m.outcomes.iter().enumerate() {
        let op = format!("{path}.outcomes[{oi}]");
        match o {
            Outcome::Quantity { value, .. } if !value.is_finite() || *value < 0.0 => {
                return fail(format!("{op}.value"), "数量须为非负数");
            }
            Outcome::Money { fen, .. } if *fen < 0 => {
                return fail(format!("{op}.fen"), "金额不能为负");
            }
            Outcome::Rule { title, .. } => check_text(&op, "title", title)?,
            Outcome::Accountability { people: 0, .. } => {
                return fail(format!("{op}.people"), "问责人数须大于 0");
            }
            _ => {}
        }
    }
    for (xi, x) in m.extensions.iter().enumerate() {
        let xp = format!("{path}.extensions[{xi}]");
        seen.add("extension", &xp, &x.id)?;
        let decided = x.decided_by.is_some() && x.decided_on.is_some();
        if (x.decision == ExtensionDecision::Requested) == decided {
            return fail(
                format!("{xp}.decision"),
                "已批准或已拒绝的延期须写明审批人和日期，待审批的不写",
            );
        }
    }
    Ok(())
}
