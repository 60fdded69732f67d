//! `zhenggai import-notice`: a published notice becomes a round (if new), a unit, a
//! feedback and its categories, aspects, findings and measures, with what each measure
//! mentions kept as outcomes, in one transaction with its events.

use std::fmt::Write;

use sha2::{Digest, Sha256};
use zhenggai_core::*;
use zhenggai_notice::Notice;
use zhenggai_store::Store;

use crate::error::AppError;

/// A stable id for a name: the same round or unit name always gets the same id.
fn id_for(prefix: &str, name: &str) -> String {
    format!(
        "{prefix}-{}",
        &hex::encode(Sha256::digest(name.as_bytes()))[..12]
    )
}

fn date(s: Option<&str>) -> Option<Date> {
    s.and_then(|s| Date::parse(s).ok())
}

fn round_kind(text: &str) -> RoundKind {
    if text.contains("回头看") {
        RoundKind::FollowUp
    } else if text.contains("提级") {
        RoundKind::Elevated
    } else if text.contains("交叉") {
        RoundKind::Cross
    } else if text.contains("专项") {
        RoundKind::Special
    } else {
        RoundKind::Routine
    }
}

/// The round a notice describes, when it is not in the ledger yet.
pub fn new_round(n: &Notice, name: &str) -> Result<Round, AppError> {
    let feedback = date(n.feedback_date.as_deref());
    let period = n.inspection_period.as_ref();
    let start = date(period.map(|p| p.start.as_str()))
        .or(feedback)
        .or(date(n.published.as_deref()));
    let end = date(period.map(|p| p.end.as_str())).or(start);
    let (Some(start), Some(end)) = (start, end) else {
        return Err(AppError::Notice {
            file: n.source.file.clone(),
            message: format!(
                "通报中没有巡察时间或反馈日期，无法新建轮次“{name}”：请先在账本中建立该轮次"
            ),
        });
    };
    let team = n.inspector.clone().unwrap_or_default();
    let context = format!("{name}{team}{}", n.title.as_deref().unwrap_or(""));
    Ok(Round {
        id: id_for("r", name),
        name: name.to_string(),
        level: if context.contains("巡视") {
            RoundLevel::Tour
        } else {
            RoundLevel::Inspection
        },
        kind: round_kind(&context),
        team,
        inspection_start: start,
        inspection_end: end.max(start),
        feedback_date: feedback.unwrap_or(end).max(start),
        policy: DeadlinePolicy::default(),
    })
}

fn measure_kind(text: &str) -> MeasureKind {
    if text.contains("长期坚持") || text.contains("长效") {
        MeasureKind::LongTerm
    } else if text.contains("立行立改") || text.contains("立即") {
        MeasureKind::Immediate
    } else {
        MeasureKind::ByDeadline
    }
}

/// The feedback tree of a notice. Findings without a category or aspect hang under one
/// untitled group, since the ledger always has the three levels. Each measure is due by
/// the end of the round's concentrated rectification unless it stands long-term.
pub fn feedback(n: &Notice, round: &Round, unit_id: &str, text_sha256: &str) -> Feedback {
    let fb = format!("fb-{}", &text_sha256[..text_sha256.len().min(12)]);
    let default_due = round
        .policy
        .concentrated_end(date(n.feedback_date.as_deref()).unwrap_or(round.feedback_date));
    let mut categories: Vec<Category> = if n.categories.is_empty() {
        vec![Category {
            id: format!("{fb}.c0"),
            title: "（未分类）".into(),
            aspects: vec![],
        }]
    } else {
        n.categories
            .iter()
            .enumerate()
            .map(|(i, c)| Category {
                id: format!("{fb}.c{}", i + 1),
                title: c.title.clone(),
                aspects: vec![],
            })
            .collect()
    };
    // Aspects keep their notice order inside their category; findings without an aspect
    // get one untitled aspect per category.
    let mut aspect_slot: Vec<(usize, usize)> = Vec::new();
    for (i, a) in n.aspects.iter().enumerate() {
        let ci = a.category.filter(|c| *c < categories.len()).unwrap_or(0);
        categories[ci].aspects.push(Aspect {
            id: format!("{fb}.a{}", i + 1),
            title: a.title.clone(),
            findings: vec![],
        });
        aspect_slot.push((ci, categories[ci].aspects.len() - 1));
    }
    for (fi, f) in n.findings.iter().enumerate() {
        let (ci, ai) = match f.aspect.and_then(|a| aspect_slot.get(a).copied()) {
            Some(slot) => slot,
            None => {
                let ci = f.category.filter(|c| *c < categories.len()).unwrap_or(0);
                let untitled = format!("{fb}.c{ci}.a0");
                let ai = match categories[ci].aspects.iter().position(|a| a.id == untitled) {
                    Some(ai) => ai,
                    None => {
                        categories[ci].aspects.push(Aspect {
                            id: untitled,
                            title: "（未分组）".into(),
                            findings: vec![],
                        });
                        categories[ci].aspects.len() - 1
                    }
                };
                (ci, ai)
            }
        };
        let fid = format!("{fb}.f{}", fi + 1);
        let measures = f
            .measures
            .iter()
            .map(|m| {
                // Sums of money the wording types (清退 / 追缴 / 挽回 …) become money
                // outcomes of their kind; every other quantity stays a quantity.
                let money = zhenggai_notice::money(&m.text);
                let mut outcomes: Vec<Outcome> = m
                    .quantities
                    .iter()
                    .filter(|q| !money.iter().any(|x| x.text == q.text))
                    .map(|q| Outcome::Quantity {
                        value: q.value,
                        unit: q.unit.clone().unwrap_or_default(),
                        what: q.text.clone(),
                    })
                    .collect();
                outcomes.extend(money.iter().map(|x| Outcome::Money {
                    kind: match x.kind {
                        zhenggai_notice::MoneyKind::Refunded => MoneyKind::Refunded,
                        zhenggai_notice::MoneyKind::Recovered => MoneyKind::Recovered,
                        zhenggai_notice::MoneyKind::Saved => MoneyKind::Saved,
                    },
                    fen: (x.yuan * 100.0).round() as i64,
                }));
                outcomes.extend(
                    m.documents
                        .iter()
                        .map(|t| Outcome::Document { title: t.clone() }),
                );
                outcomes.extend(m.dates.iter().map(|d| Outcome::Mentioned {
                    value: d.value.clone(),
                    text: d.text.clone(),
                }));
                // The deadline the measure states, else the end of concentrated
                // rectification; 长期坚持 makes it long-term, with no date.
                let (kind, due) = match zhenggai_notice::due(&m.text, n.context_year()) {
                    Some(zhenggai_notice::Due::LongTerm) => (MeasureKind::LongTerm, None),
                    Some(zhenggai_notice::Due::By(d)) => (
                        measure_kind(&m.text),
                        Date::parse(&d).ok().or(Some(default_due)),
                    ),
                    None => {
                        let kind = measure_kind(&m.text);
                        (kind, (kind != MeasureKind::LongTerm).then_some(default_due))
                    }
                };
                Measure {
                    id: format!("{fid}.m{}", m.ordinal),
                    text: if m.text.trim().is_empty() {
                        f.title.clone()
                    } else {
                        m.text.clone()
                    },
                    kind,
                    lead: String::new(),
                    department: String::new(),
                    owner: String::new(),
                    due,
                    status: MeasureStatus::Pending,
                    long_term_reason: None,
                    progress: vec![],
                    outcomes,
                    extensions: vec![],
                }
            })
            .collect();
        let title = if f.title.trim().is_empty() {
            format!("问题{}", f.number)
        } else {
            f.title.clone()
        };
        categories[ci].aspects[ai]
            .findings
            .push(Finding::fed_back(fid, title, measures));
    }
    // Groups that ended up empty carry nothing worth keeping.
    for c in &mut categories {
        c.aspects.retain(|a| !a.findings.is_empty());
    }
    categories.retain(|c| !c.aspects.is_empty());
    Feedback {
        id: fb,
        round_id: round.id.clone(),
        unit_id: unit_id.to_string(),
        date: date(n.feedback_date.as_deref()).unwrap_or(round.feedback_date),
        plan: Plan::default(),
        categories,
    }
}

/// The tree `--dry-run` shows.
pub fn describe(round: &Round, new_round: bool, unit: &Unit, f: &Feedback) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "轮次：{}（{}）",
        round.name,
        if new_round { "新建" } else { "已有" }
    );
    let _ = writeln!(out, "单位：{}", unit.name);
    let _ = writeln!(out, "反馈：{}，反馈日期 {}", f.id, f.date.zh());
    for c in &f.categories {
        let _ = writeln!(out, "  {}", c.title);
        for a in &c.aspects {
            let _ = writeln!(out, "    {}", a.title);
            for fi in &a.findings {
                let outcomes: usize = fi.measures.iter().map(|m| m.outcomes.len()).sum();
                let _ = writeln!(
                    out,
                    "      {}（措施 {} 项，成效记录 {} 条）",
                    fi.title,
                    fi.measures.len(),
                    outcomes
                );
            }
        }
    }
    let findings = f.findings().count();
    let measures: usize = f.findings().map(|x| x.measures.len()).sum();
    let _ = writeln!(out, "合计：问题 {findings} 个，措施 {measures} 项");
    out
}

/// Imports a notice as a round (if new), a unit (if new) and a feedback, in one
/// transaction; `store` is `None` for a dry run on a ledger that does not exist yet.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    store: Option<&dyn Store>,
    actor: &Actor,
    n: &Notice,
    text_sha256: &str,
    round_name: &str,
    unit_name: Option<&str>,
    dry_run: bool,
) -> Result<String, AppError> {
    let refuse = |message: String| AppError::Notice {
        file: n.source.file.clone(),
        message,
    };
    if n.findings.is_empty() {
        return Err(refuse(
            "没有识别出任何问题，未导入（可先用 zhenggai parse 查看识别结果）".into(),
        ));
    }
    let Some(unit_name) = unit_name.map(str::to_string).or_else(|| n.unit.clone()) else {
        return Err(refuse("通报中没有写明整改单位，请用 --unit 指定".into()));
    };
    let (rounds, units) = match store {
        Some(s) => (s.rounds(actor).await?, s.units(actor).await?),
        None => (vec![], vec![]),
    };
    let existing = rounds.into_iter().find(|r| r.name == round_name);
    let is_new = existing.is_none();
    let round = match existing {
        Some(r) => r,
        None => new_round(n, round_name)?,
    };
    let unit = units
        .into_iter()
        .find(|u| u.name == unit_name)
        .unwrap_or(Unit {
            id: id_for("u", &unit_name),
            name: unit_name.clone(),
            contact: Default::default(),
        });
    let fb = feedback(n, &round, &unit.id, text_sha256);
    let description = describe(&round, is_new, &unit, &fb);
    let Some(store) = store.filter(|_| !dry_run) else {
        return Ok(format!("{description}（试运行：未写入）"));
    };
    let mut tx = store.begin_import(actor).await?;
    tx.put_round("round", &round).await?;
    tx.put_unit("unit", &unit).await?;
    tx.put_source(&n.source.sha256, text_sha256, &n.source.file, &fb.id)
        .await?;
    tx.put_feedback("feedback", &fb).await?;
    let summary = tx.commit().await?;
    Ok(format!(
        "{description}已导入，写入事件 {} 个",
        summary.events
    ))
}
