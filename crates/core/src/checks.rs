//! Checks of single records, shared by the changes (`finding_rules`, `plan_rules`,
//! `setup_rules`) and by the import validator, so that a value one accepts the other
//! accepts. Fields are named relative to the record; callers prefix the path.

use crate::change::{EvidenceDraft, MeasureDraft};
use crate::error::CoreError;
use crate::limits::{self, check, check_id, NAME, TEXT, TITLE};
use crate::model::*;

pub type Check = Result<(), CoreError>;

pub fn round(r: &Round) -> Check {
    check_id("id", &r.id)?;
    check("name", &r.name, NAME, true)?;
    check("team", &r.team, NAME, false)?;
    if r.inspection_end < r.inspection_start {
        return Err(CoreError::invalid(
            "inspection_end",
            "巡察结束日期早于开始日期",
        ));
    }
    if r.feedback_date < r.inspection_start {
        return Err(CoreError::invalid(
            "feedback_date",
            "反馈日期早于巡察开始日期",
        ));
    }
    r.policy
        .check()
        .map_err(|m| CoreError::invalid("policy", m))
}

pub fn unit(u: &Unit) -> Check {
    check_id("id", &u.id)?;
    check("name", &u.name, NAME, true)?;
    for (field, _, value) in u.contact.fields() {
        check(&format!("contact.{field}"), value, NAME, false)?;
        if value.contains(['\n', '\r']) {
            return Err(CoreError::invalid(
                format!("contact.{field}"),
                "联系方式须写在一行内",
            ));
        }
    }
    Ok(())
}

pub fn measure_draft(m: &MeasureDraft) -> Check {
    check("text", &m.text, TEXT, true)?;
    check("lead", &m.lead, NAME, false)?;
    check("department", &m.department, NAME, false)?;
    check("owner", &m.owner, NAME, false)
}

/// What a submitted plan needs of each measure: someone answering for it and a date.
pub fn measure_planned(m: &Measure) -> Check {
    if m.owner.trim().is_empty() {
        return Err(CoreError::invalid("owner", "报送方案前须写明责任人"));
    }
    if m.due.is_none() && m.kind != MeasureKind::LongTerm {
        return Err(CoreError::invalid(
            "due",
            "报送方案前须写明整改时限（长期坚持的措施除外）",
        ));
    }
    Ok(())
}

pub fn sha256_hex(field: &str, s: &str) -> Check {
    let ok = s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(CoreError::invalid(field, "须为 64 位小写十六进制 sha256"))
    }
}

pub fn evidence_draft(e: &EvidenceDraft) -> Check {
    check("name", &e.name, NAME, true)?;
    check("media_type", &e.media_type, NAME, true)?;
    check("description", &e.description, TEXT, false)?;
    sha256_hex("sha256", &e.sha256)?;
    if e.size == 0 {
        return Err(CoreError::invalid("size", "佐证材料不能是空文件"));
    }
    Ok(())
}

pub fn outcome(o: &Outcome) -> Check {
    match o {
        Outcome::Quantity { value, unit, what } => {
            if !value.is_finite() || *value < 0.0 {
                return Err(CoreError::invalid("value", "数量须为非负数"));
            }
            check("unit", unit, NAME, false)?;
            check("what", what, TITLE, false)
        }
        Outcome::Money { fen, .. } if *fen < 0 => Err(CoreError::invalid("fen", "金额不能为负")),
        Outcome::Money { .. } => Ok(()),
        Outcome::Rule { title, .. } => check("title", title, TITLE, true),
        Outcome::Accountability { form, people } => {
            check("form", form, NAME, true)?;
            if *people == 0 {
                return Err(CoreError::invalid("people", "问责人数须大于 0"));
            }
            Ok(())
        }
        Outcome::Meeting { title, .. } => check("title", title, TITLE, true),
        Outcome::Document { title } => check("title", title, TITLE, true),
        Outcome::Mentioned { value, text } => {
            check("value", value, NAME, true)?;
            check("text", text, TITLE, false)
        }
    }
}

/// A person as recorded in history: a name to show and a user id to compare.
pub fn person(name_field: &str, name: &str, id_field: &str, id: &str) -> Check {
    check(name_field, name, NAME, true)?;
    check(id_field, id, limits::ID * 2, true)
}

/// The next free child id with `prefix` among `taken`, e.g. p3 after p1 and p2.
pub fn next_id<'a>(prefix: &str, taken: impl Iterator<Item = &'a str> + Clone) -> Id {
    let mut n = taken.clone().count() + 1;
    loop {
        let id = format!("{prefix}{n}");
        if !taken.clone().any(|t| t == id) {
            return id;
        }
        n += 1;
    }
}
