//! In, in stages: bytes → workbook → the unit's sheet → header and rows (`zhenggai_office`)
//! → a `Feedback` whose every text is checked here with the place it came from → the
//! store's validated import, in one transaction.

use sha2::{Digest, Sha256};
use zhenggai_core::limits::{self, NAME, TEXT, TITLE};
use zhenggai_core::*;
use zhenggai_office::xlsx::{self, Column, Due, Progress, ReadLedger, SignedOff};
use zhenggai_office::OfficeError;
use zhenggai_store::{ImportSummary, Store};

use super::{find_round, find_unit, office, NO_ASPECT, NO_CATEGORY};
use crate::error::AppError;

/// A workbook read and turned into the feedback it would import, not yet written.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub round: Round,
    pub unit: Unit,
    pub sheet: String,
    pub feedback: Feedback,
    pub warnings: Vec<String>,
}

/// The sheet of `unit` in a workbook: the one named for it, else the only sheet with a
/// ledger's header.
fn pick_sheet(bytes: &[u8], unit: &Unit) -> Result<ReadLedger, OfficeError> {
    let mut book = xlsx::open(bytes)?;
    let names = book.sheet_names().to_vec();
    if let Some(i) = names.iter().position(|n| n.trim() == unit.name.trim()) {
        let grid = book.sheet(i)?;
        return Ok(xlsx::read_ledger(&grid)?);
    }
    let mut found: Vec<ReadLedger> = Vec::new();
    let mut first_error = None;
    for i in 0..names.len() {
        let grid = book.sheet(i)?;
        match xlsx::read_ledger(&grid) {
            Ok(l) => found.push(l),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
        if found.len() > 1 {
            return Err(xlsx::WorkbookError::new(
                xlsx::Problem::Content,
                format!(
                    "工作簿中有多张台账表（{}），没有一张名为“{}”：请把要导入的表改名为单位名称，或只保留这一张",
                    names.join("、"),
                    unit.name
                ),
            )
            .into());
        }
    }
    match (found.pop(), first_error) {
        (Some(l), _) => Ok(l),
        (None, Some(e)) => Err(e.into()),
        (None, None) => {
            Err(xlsx::WorkbookError::new(xlsx::Problem::Content, "工作簿中没有台账表").into())
        }
    }
}

/// Checks a text for the ledger's bounds, naming its place.
fn bounded(
    read: &ReadLedger,
    row: u32,
    column: Column,
    text: &str,
    max: usize,
) -> Result<(), AppError> {
    limits::check("", text, max, false).map_err(|e| {
        let message = match e {
            CoreError::Invalid { message, .. } => message,
            other => other.to_string(),
        };
        AppError::Invalid(format!("{}：{message}", read.place(row, column)))
    })
}

/// The feedback `read` describes for `round` and `unit`, with every text checked and
/// every value typed; undated progress is dated `today` and credited to `actor`.
pub fn feedback(
    read: &ReadLedger,
    round: &Round,
    unit: &Unit,
    actor: &Actor,
    today: Date,
) -> Result<(Feedback, Vec<String>), AppError> {
    let hash = hex::encode(Sha256::digest(format!("{}\u{0}{}", round.id, unit.id)));
    let fb_id = format!("xl-{}", &hash[..12]);
    let mut warnings = read.warnings.clone();
    let mut categories: Vec<Category> = Vec::new();
    let (mut signed, mut evidence, mut remarks) = (0usize, 0usize, 0usize);
    for (fi, f) in read.findings.iter().enumerate() {
        bounded(read, f.row, Column::Category, &f.category, TITLE)?;
        bounded(read, f.row, Column::Finding, &f.title, TITLE)?;
        let (c_title, a_title) = match f.category.split_once('\n') {
            Some((c, a)) => (c.trim(), a.trim()),
            None => (f.category.trim(), ""),
        };
        let c_title = if c_title.is_empty() {
            NO_CATEGORY
        } else {
            c_title
        };
        let a_title = if a_title.is_empty() {
            NO_ASPECT
        } else {
            a_title
        };
        let ci = match categories.iter().position(|c| c.title == c_title) {
            Some(i) => i,
            None => {
                categories.push(Category {
                    id: format!("{fb_id}.c{}", categories.len() + 1),
                    title: c_title.to_string(),
                    aspects: vec![],
                });
                categories.len() - 1
            }
        };
        let category = &mut categories[ci];
        let ai = match category.aspects.iter().position(|a| a.title == a_title) {
            Some(i) => i,
            None => {
                category.aspects.push(Aspect {
                    id: format!("{}.a{}", category.id, category.aspects.len() + 1),
                    title: a_title.to_string(),
                    findings: vec![],
                });
                category.aspects.len() - 1
            }
        };
        let fid = format!("{fb_id}.f{}", fi + 1);
        signed += usize::from(matches!(
            f.signed_off,
            Some(SignedOff::On(_) | SignedOff::Text(_))
        ));
        evidence += usize::from(!f.evidence.is_empty());
        let mut measures = Vec::new();
        for (mi, m) in f.measures.iter().enumerate() {
            bounded(read, m.row, Column::Measure, &m.text, TEXT)?;
            for (col, text) in [
                (Column::Lead, &m.lead),
                (Column::Department, &m.department),
                (Column::Owner, &m.owner),
            ] {
                bounded(read, m.row, col, text, NAME)?;
            }
            let kind = m.kind.unwrap_or(match m.due {
                Due::LongTerm => MeasureKind::LongTerm,
                Due::Immediate => MeasureKind::Immediate,
                _ => MeasureKind::ByDeadline,
            });
            let due = match m.due {
                Due::On(d) => Some(d),
                _ => None,
            };
            let long_term_reason = if kind == MeasureKind::LongTerm && !m.remark.is_empty() {
                bounded(read, m.row, Column::Remark, &m.remark, TEXT)?;
                Some(m.remark.clone())
            } else {
                remarks += usize::from(!m.remark.is_empty());
                None
            };
            let mut updates: Vec<&Progress> = m.progress.iter().collect();
            let note = Progress {
                date: None,
                text: m.status_note.clone(),
            };
            if !m.status_note.is_empty() {
                updates.push(&note);
            }
            let mut progress = Vec::new();
            for (pi, p) in updates.into_iter().enumerate() {
                bounded(read, m.row, Column::Progress, &p.text, TEXT)?;
                progress.push(ProgressUpdate {
                    id: format!("p{}", pi + 1),
                    date: p.date.unwrap_or(today),
                    author: actor.name.clone(),
                    author_id: actor.user_id.clone(),
                    text: p.text.clone(),
                });
            }
            // The ledger keeps progress oldest first; a sheet may list it newest first.
            progress.sort_by_key(|p| p.date);
            for (pi, p) in progress.iter_mut().enumerate() {
                p.id = format!("p{}", pi + 1);
            }
            measures.push(Measure {
                id: format!("{fid}.m{}", mi + 1),
                text: m.text.clone(),
                kind,
                lead: m.lead.clone(),
                department: m.department.clone(),
                owner: m.owner.clone(),
                due,
                status: m.status.unwrap_or(MeasureStatus::Pending),
                long_term_reason,
                progress,
                outcomes: vec![],
                extensions: vec![],
            });
        }
        category.aspects[ai]
            .findings
            .push(Finding::fed_back(fid, f.title.clone(), measures));
    }
    if read.findings.is_empty() {
        return Err(AppError::Invalid(format!(
            "工作表“{}”中没有问题可导入",
            read.sheet.1
        )));
    }
    if signed > 0 {
        warnings.push(format!(
            "{signed} 个问题的“销号日期”未导入：销号须在系统中由第二人审核"
        ));
    }
    if evidence > 0 {
        warnings.push(format!(
            "{evidence} 个问题的“佐证材料”未导入：请在问题页面上传文件"
        ));
    }
    if remarks > 0 {
        warnings.push(format!(
            "{remarks} 项措施的“备注”未导入（只有长期坚持的措施把备注作为长期坚持的理由）"
        ));
    }
    let fb = Feedback {
        id: fb_id,
        round_id: round.id.clone(),
        unit_id: unit.id.clone(),
        date: read.feedback_date.unwrap_or(round.feedback_date),
        plan: Plan::default(),
        categories,
    };
    Ok((fb, warnings))
}

/// Reads `bytes` (named `file`) as the ledger of `unit` in `round`, checks it through the
/// rules in a transaction that is rolled back, and says what it would import.
pub async fn prepare(
    store: &dyn Store,
    actor: &Actor,
    file: &str,
    bytes: &[u8],
    round: &str,
    unit: &str,
    today: Date,
) -> Result<Prepared, AppError> {
    authorize(actor, Access::Import)?;
    let round = find_round(store, actor, round).await?;
    let unit = find_unit(store, actor, unit).await?;
    let read = pick_sheet(bytes, &unit).map_err(|e| office(file, e))?;
    let (feedback, warnings) = feedback(&read, &round, &unit, actor, today)?;
    if let Some(other) = store
        .feedbacks(actor)
        .await?
        .into_iter()
        .find(|r| r.round_id == round.id && r.unit_id == unit.id && r.id != feedback.id)
    {
        return Err(AppError::Invalid(format!(
            "{}在{}中已有反馈意见（{}）：Excel 台账只导入到尚无反馈意见的单位，已有的请在系统中修改",
            unit.name, round.name, other.id
        )));
    }
    let mut tx = store.begin_import(actor).await?;
    tx.put_feedback("feedback", &feedback)
        .await
        .map_err(|e| AppError::Record {
            file: file.to_string(),
            source: e,
        })?;
    drop(tx);
    Ok(Prepared {
        round,
        unit,
        sheet: read.sheet.1,
        feedback,
        warnings,
    })
}

/// What a prepared import brings in, as the preview shows it.
pub fn describe(p: &Prepared) -> String {
    let tree = crate::notice_import::describe(&p.round, false, &p.unit, &p.feedback);
    format!("工作表：{}\n{tree}", p.sheet)
}

/// Writes a prepared import in one transaction.
pub async fn import(
    store: &dyn Store,
    actor: &Actor,
    file: &str,
    p: &Prepared,
) -> Result<ImportSummary, AppError> {
    let mut tx = store.begin_import(actor).await?;
    tx.put_feedback("feedback", &p.feedback)
        .await
        .map_err(|e| AppError::Record {
            file: file.to_string(),
            source: e,
        })?;
    Ok(tx.commit().await?)
}
