//! Supervision notices (督办单): for each unit of a round, its findings past their due date
//! (the red warning) listed with the unfinished measures, who answers for them, the due
//! date and the days overdue, and the date by which the unit must answer. One .docx per
//! unit that has any, from the built-in template or an office's own.

use std::collections::BTreeSet;

use zhenggai_core::policy::reply_due;
use zhenggai_core::{Actor, Date, Feedback, Round, Unit};
use zhenggai_office::template::Fill;
use zhenggai_store::Store;

use crate::error::AppError;
use crate::notice_export::{feedback_context, file_safe, not_found, Written};

#[derive(Debug, Clone)]
pub struct SupervisionOptions {
    /// Working days the unit has to answer.
    pub reply_working_days: u32,
    /// Who issues the notice, e.g. 中共某县委巡察工作领导小组办公室.
    pub issuer: String,
    /// An office's own .docx template; the built-in one when absent.
    pub template: Option<Vec<u8>>,
}

impl Default for SupervisionOptions {
    fn default() -> Self {
        SupervisionOptions {
            reply_working_days: zhenggai_core::policy::DEFAULT_REPLY_WORKING_DAYS,
            issuer: "巡察工作领导小组办公室".into(),
            template: None,
        }
    }
}

/// What fills a unit's supervision notice issued on `today`; `None` when none of its
/// findings is overdue.
pub fn fill(
    round: &Round,
    unit: &Unit,
    feedback: &Feedback,
    today: Date,
    options: &SupervisionOptions,
) -> Option<Fill> {
    let mut rows = Vec::new();
    for f in feedback.findings() {
        let Some(due) = f.live_due().filter(|d| *d < today) else {
            continue;
        };
        let late: Vec<&zhenggai_core::Measure> = f
            .measures
            .iter()
            .filter(|m| m.is_open_work() && m.effective_due().is_some_and(|d| d < today))
            .collect();
        let joined = |pick: fn(&zhenggai_core::Measure) -> &str| {
            late.iter()
                .map(|m| pick(m).trim())
                .filter(|s| !s.is_empty())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join("、")
        };
        let measures: Vec<String> = late
            .iter()
            .map(|m| zhenggai_notice::compose::clause(&m.text))
            .collect();
        rows.push(vec![
            ("序号", (rows.len() + 1).to_string()),
            ("问题", zhenggai_notice::compose::one_line(&f.title)),
            ("整改措施", measures.join("；")),
            ("责任部门", joined(|m| &m.department)),
            ("责任人", joined(|m| &m.owner)),
            ("整改时限", due.zh()),
            ("逾期天数", format!("{}天", due.days_until(today))),
            ("预警", "红色".to_string()),
        ]);
    }
    if rows.is_empty() {
        return None;
    }
    Some(Fill {
        fields: vec![
            ("单位", unit.name.clone()),
            ("轮次", round.name.clone()),
            ("日期", today.zh()),
            (
                "回复期限",
                reply_due(today, options.reply_working_days).zh(),
            ),
            ("问题数", rows.len().to_string()),
            ("督办单位", options.issuer.clone()),
        ],
        rows,
    })
}

fn written(unit: &Unit, fill: &Fill, options: &SupervisionOptions) -> Result<Written, AppError> {
    let bytes = zhenggai_office::supervision::supervision_docx(options.template.as_deref(), fill)?;
    Ok(Written {
        file_name: format!("督办单-{}.docx", file_safe(&unit.name)),
        bytes,
    })
}

/// The supervision notice of one feedback (None when nothing is overdue).
pub async fn for_feedback(
    store: &dyn Store,
    actor: &Actor,
    feedback_id: &str,
    options: &SupervisionOptions,
) -> Result<Option<Written>, AppError> {
    let (round, unit, fb) = feedback_context(store, actor, feedback_id).await?;
    let today = store.clock().today();
    fill(&round, &unit, &fb, today, options)
        .map(|f| written(&unit, &f, options))
        .transpose()
}

/// The supervision notices of a round (named by id or name), one per unit the actor sees
/// that has overdue findings, or of the one unit named.
pub async fn for_round(
    store: &dyn Store,
    actor: &Actor,
    round: &str,
    unit: Option<&str>,
    options: &SupervisionOptions,
) -> Result<Vec<Written>, AppError> {
    let r = store
        .rounds(actor)
        .await?
        .into_iter()
        .find(|r| r.id == round || r.name == round)
        .ok_or_else(|| not_found("巡察轮次", round))?;
    let units = store.units(actor).await?;
    let wanted: Vec<&Unit> = match unit {
        Some(u) => vec![units
            .iter()
            .find(|x| x.id == u || x.name == u)
            .ok_or_else(|| not_found("单位", u))?],
        None => units.iter().collect(),
    };
    // An office's template is checked before anything else, so that a mistake in it shows
    // even on a day when nothing is overdue.
    if let Some(t) = &options.template {
        zhenggai_office::template::fill_docx(t, &Fill::default())?;
    }
    let today = store.clock().today();
    let mut out = Vec::new();
    for fb in store.feedbacks(actor).await? {
        if fb.round_id != r.id {
            continue;
        }
        let Some(u) = wanted.iter().find(|u| u.id == fb.unit_id) else {
            continue;
        };
        let feedback = store.feedback(actor, &fb.id).await?;
        if let Some(f) = fill(&r, u, &feedback, today, options) {
            out.push(written(u, &f, options)?);
        }
    }
    Ok(out)
}
