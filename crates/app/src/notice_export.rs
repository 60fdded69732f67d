//! A unit's progress or final notice written from its ledger, as .docx or plain text: the
//! internal version lists every finding, the public one leaves out those marked internal
//! (and counts only what it lists, so that nothing about them can be read off the
//! figures). Who may read is the store's business: the feedback is read as the actor.

use zhenggai_core::{Actor, Date, Feedback, FindingStatus, Round, Unit};
use zhenggai_notice::compose::{clause, compose, Counts, NoticeDraft, NoticeKind};
use zhenggai_notice::render::{DraftAspect, DraftCategory, DraftFinding};
use zhenggai_store::Store;

use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeFormat {
    Docx,
    Txt,
}

impl NoticeFormat {
    pub fn extension(self) -> &'static str {
        match self {
            NoticeFormat::Docx => "docx",
            NoticeFormat::Txt => "txt",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            NoticeFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            NoticeFormat::Txt => "text/plain; charset=utf-8",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeOptions {
    pub kind: NoticeKind,
    /// The public version: findings marked internal left out.
    pub public: bool,
    pub format: NoticeFormat,
}

/// A written notice with the name to save it under.
#[derive(Debug, Clone)]
pub struct Written {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The round, unit and feedback named by id or name, as the actor sees them. A round or
/// unit the actor cannot see is reported as not found, like one that does not exist.
pub async fn find_feedback(
    store: &dyn Store,
    actor: &Actor,
    round: &str,
    unit: &str,
) -> Result<(Round, Unit, Feedback), AppError> {
    let rounds = store.rounds(actor).await?;
    let r = rounds
        .into_iter()
        .find(|r| r.id == round || r.name == round)
        .ok_or_else(|| not_found("巡察轮次", round))?;
    let u = store
        .units(actor)
        .await?
        .into_iter()
        .find(|u| u.id == unit || u.name == unit)
        .ok_or_else(|| not_found("单位", unit))?;
    let fb = store
        .feedbacks(actor)
        .await?
        .into_iter()
        .find(|f| f.round_id == r.id && f.unit_id == u.id)
        .ok_or_else(|| not_found("反馈", &format!("{} / {}", r.name, u.name)))?;
    let feedback = store.feedback(actor, &fb.id).await?;
    Ok((r, u, feedback))
}

/// The round and unit a feedback belongs to, as the actor sees them.
pub async fn feedback_context(
    store: &dyn Store,
    actor: &Actor,
    feedback_id: &str,
) -> Result<(Round, Unit, Feedback), AppError> {
    let feedback = store.feedback(actor, feedback_id).await?;
    let round = store
        .rounds(actor)
        .await?
        .into_iter()
        .find(|r| r.id == feedback.round_id)
        .ok_or_else(|| not_found("巡察轮次", &feedback.round_id))?;
    let unit = store
        .units(actor)
        .await?
        .into_iter()
        .find(|u| u.id == feedback.unit_id)
        .ok_or_else(|| not_found("单位", &feedback.unit_id))?;
    Ok((round, unit, feedback))
}

pub(crate) fn not_found(what: &'static str, id: &str) -> AppError {
    AppError::from(zhenggai_core::CoreError::NotFound {
        what,
        id: id.to_string(),
    })
}

/// What the notice says, from the ledger, as of `as_of`.
pub fn draft(
    round: &Round,
    unit: &Unit,
    feedback: &Feedback,
    kind: NoticeKind,
    public: bool,
    as_of: Date,
) -> NoticeDraft {
    let mut counts = Counts::default();
    let categories = feedback
        .categories
        .iter()
        .map(|c| DraftCategory {
            title: c.title.clone(),
            aspects: c
                .aspects
                .iter()
                .map(|a| DraftAspect {
                    title: a.title.clone(),
                    findings: a
                        .findings
                        .iter()
                        .filter(|f| !(public && f.internal))
                        .map(|f| {
                            count(&mut counts, f.status);
                            DraftFinding {
                                title: f.title.clone(),
                                measures: f.measures.iter().map(measure_words).collect(),
                            }
                        })
                        .collect(),
                })
                .filter(|a| !a.findings.is_empty())
                .collect(),
        })
        .filter(|c: &DraftCategory| !c.aspects.is_empty())
        .collect();
    NoticeDraft {
        kind,
        unit: unit.name.clone(),
        round: round.name.clone(),
        level: round.level.zh().to_string(),
        team: round.team.clone(),
        inspection_start: round.inspection_start.zh(),
        inspection_end: round.inspection_end.zh(),
        feedback_date: feedback.date.zh(),
        as_of: as_of.zh(),
        counts,
        categories,
        contact: unit
            .contact
            .fields()
            .iter()
            .filter(|(_, _, v)| !v.trim().is_empty())
            .map(|(_, label, v)| (label.to_string(), v.to_string()))
            .collect(),
    }
}

fn count(c: &mut Counts, status: FindingStatus) {
    c.findings += 1;
    match status {
        FindingStatus::Closed | FindingStatus::LongTerm => c.done += 1,
        FindingStatus::BasicallyDone => c.basically_done += 1,
        FindingStatus::Transferred => c.transferred += 1,
        _ => c.not_done += 1,
    }
}

/// A measure as the notice words it: what was planned, then what was reported done, in
/// the order it was recorded, each as written.
pub fn measure_words(m: &zhenggai_core::Measure) -> String {
    let mut parts = vec![clause(&m.text)];
    parts.extend(m.progress.iter().map(|p| clause(&p.text)));
    parts.retain(|p| !p.is_empty());
    parts.join("。")
}

/// The notice of a feedback as `options` asks, dated `as_of`.
pub fn write(
    round: &Round,
    unit: &Unit,
    feedback: &Feedback,
    options: NoticeOptions,
    as_of: Date,
) -> Result<Written, AppError> {
    let d = draft(round, unit, feedback, options.kind, options.public, as_of);
    let doc = compose(&d);
    let bytes = match options.format {
        NoticeFormat::Txt => doc.to_text().into_bytes(),
        NoticeFormat::Docx => zhenggai_office::notice_docx::notice_docx(&doc)?,
    };
    let what = match options.kind {
        NoticeKind::Progress => "整改进展情况通报",
        NoticeKind::Final => "整改情况通报",
    };
    let version = if options.public {
        "（公开版）"
    } else {
        ""
    };
    Ok(Written {
        file_name: format!(
            "{}{what}{version}.{}",
            file_safe(&unit.name),
            options.format.extension()
        ),
        bytes,
    })
}

/// A name safe as a file name on every system: separators and reserved characters become _.
pub fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The notice of the unit's feedback in a round (each named by id or name).
pub async fn notice(
    store: &dyn Store,
    actor: &Actor,
    round: &str,
    unit: &str,
    options: NoticeOptions,
) -> Result<Written, AppError> {
    let (r, u, fb) = find_feedback(store, actor, round, unit).await?;
    write(&r, &u, &fb, options, store.clock().today())
}
