//! The Excel ledger (整改台账) of a round or of one unit in a round, out and in.
//!
//! Out: the feedbacks of the round, one sheet a unit (one row a measure, the finding's
//! cells merged across its measures, unfinished work coloured by the round's warning
//! policy on `today`), after a summary sheet for a round.
//! In, in stages: bytes → workbook → the unit's sheet → header and rows (`zhenggai_office`)
//! → a `Feedback` whose every text is checked here with the place it came from → the
//! store's validated import, in one transaction. What the sheet holds that an import
//! cannot honestly make (a sign-off date, evidence named but not uploaded, remarks) is
//! named in the warnings and left out: signing off needs a second person and files.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use zhenggai_core::limits::{self, NAME, TEXT, TITLE};
use zhenggai_core::*;
use zhenggai_office::xlsx::{
    self, Book, Column, Due, FindingBlock, LedgerSheet, MeasureLine, Progress, ReadLedger,
    SignedOff, Table, Tone, Value,
};
use zhenggai_office::OfficeError;
use zhenggai_store::{ImportSummary, Store};

use crate::error::AppError;

/// The title offices give aspect and category placeholders when a notice had none; the
/// sheet leaves them out and an import puts them back.
const NO_CATEGORY: &str = "（未分类）";
const NO_ASPECT: &str = "（未分组）";

fn tone(w: Warning) -> Tone {
    match w {
        Warning::Green => Tone::Green,
        Warning::Yellow => Tone::Yellow,
        Warning::Red => Tone::Red,
    }
}

/// The round named by id or by name.
pub async fn find_round(store: &dyn Store, actor: &Actor, key: &str) -> Result<Round, AppError> {
    let key = key.trim();
    store
        .rounds(actor)
        .await?
        .into_iter()
        .find(|r| r.id == key || r.name == key)
        .ok_or_else(|| {
            AppError::from(CoreError::NotFound {
                what: "巡察轮次",
                id: key.to_string(),
            })
        })
}

/// The unit named by id or by name.
pub async fn find_unit(store: &dyn Store, actor: &Actor, key: &str) -> Result<Unit, AppError> {
    let key = key.trim();
    store
        .units(actor)
        .await?
        .into_iter()
        .find(|u| u.id == key || u.name == key)
        .ok_or_else(|| {
            AppError::from(CoreError::NotFound {
                what: "单位",
                id: key.to_string(),
            })
        })
}

fn signed_off_on(f: &Finding) -> Option<Date> {
    matches!(
        f.status,
        FindingStatus::Closed | FindingStatus::BasicallyDone | FindingStatus::LongTerm
    )
    .then(|| f.transitions.last().map(|t| t.date))
    .flatten()
}

fn measure_line(m: &Measure, policy: &DeadlinePolicy, today: Date) -> MeasureLine {
    let due = m.effective_due();
    let warning = due
        .filter(|_| m.is_open_work())
        .and_then(|d| policy.warning(d, today));
    let progress: Vec<Progress> = m
        .progress
        .iter()
        .map(|p| Progress {
            date: Some(p.date),
            text: p.text.clone(),
        })
        .collect();
    MeasureLine {
        text: m.text.clone(),
        kind: m.kind.zh().into(),
        lead: m.lead.clone(),
        department: m.department.clone(),
        owner: m.owner.clone(),
        due: match (due, m.kind) {
            (Some(d), _) => Value::Date(d),
            (None, MeasureKind::LongTerm) => Value::text(MeasureKind::LongTerm.zh()),
            (None, _) => Value::Empty,
        },
        progress: xlsx::write_progress(&progress),
        status: m.status.zh().into(),
        remark: m.long_term_reason.clone().unwrap_or_default(),
        tone: warning.map(tone),
    }
}

fn category_cell(c: &Category, a: &Aspect) -> String {
    let category = if c.title == NO_CATEGORY { "" } else { &c.title };
    match (category, a.title.as_str()) {
        (c, a) if a.is_empty() || a == NO_ASPECT => c.to_string(),
        ("", a) => format!("\n{a}"),
        (c, a) => format!("{c}\n{a}"),
    }
}

/// One unit's sheet.
pub fn sheet(round: &Round, unit: &Unit, fb: &Feedback, today: Date) -> LedgerSheet {
    let policy = &round.policy;
    let mut findings = Vec::new();
    for c in &fb.categories {
        for a in &c.aspects {
            for f in &a.findings {
                let measures: Vec<MeasureLine> = f
                    .measures
                    .iter()
                    .map(|m| measure_line(m, policy, today))
                    .collect();
                let frozen = f.status.freezes_work();
                let tone = if frozen {
                    None
                } else {
                    measures
                        .iter()
                        .filter_map(|m| m.tone)
                        .max_by_key(|t| *t as u8)
                };
                findings.push(FindingBlock {
                    category: category_cell(c, a),
                    title: f.title.clone(),
                    signed_off: signed_off_on(f).map_or(Value::Empty, Value::Date),
                    evidence: f
                        .evidence
                        .iter()
                        .map(|e| e.name.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                    tone,
                    measures,
                });
            }
        }
    }
    LedgerSheet {
        name: unit.name.clone(),
        title: format!("{}落实{}反馈意见整改台账", unit.name, round.name),
        notes: vec![
            format!(
                "巡察轮次：{}　反馈日期：{}　统计日期：{}",
                round.name,
                fb.date.zh(),
                today.zh()
            ),
            format!(
                "底色（未完成的措施）：红色为已逾期，黄色为{}天内到期，绿色为{}天内到期",
                policy.yellow_days, policy.green_days
            ),
        ],
        findings,
    }
}

#[derive(Default)]
struct Tally {
    findings: usize,
    signed_off: usize,
    measures: usize,
    done: usize,
    red: usize,
    yellow: usize,
}

fn summary(round: &Round, rows: &[(String, Tally)], today: Date) -> Table {
    let columns: Vec<(String, f64)> = [
        ("序号", 6.0),
        ("单位", 30.0),
        ("问题数", 9.0),
        ("已销号", 9.0),
        ("销号率", 9.0),
        ("措施数", 9.0),
        ("措施已完成", 11.0),
        ("逾期措施", 10.0),
        ("将到期措施", 11.0),
    ]
    .into_iter()
    .map(|(h, w)| (h.to_string(), w))
    .collect();
    let rate = |done: usize, all: usize| {
        if all == 0 {
            Value::Empty
        } else {
            Value::Percent(done as f64 / all as f64)
        }
    };
    let line = |i: Option<usize>, name: &str, t: &Tally| {
        vec![
            i.map_or(Value::text("合计"), |i| Value::Number(i as f64)),
            Value::text(name),
            Value::Number(t.findings as f64),
            Value::Number(t.signed_off as f64),
            rate(t.signed_off, t.findings),
            Value::Number(t.measures as f64),
            Value::Number(t.done as f64),
            Value::Number(t.red as f64),
            Value::Number(t.yellow as f64),
        ]
    };
    let mut total = Tally::default();
    for (_, t) in rows {
        total.findings += t.findings;
        total.signed_off += t.signed_off;
        total.measures += t.measures;
        total.done += t.done;
        total.red += t.red;
        total.yellow += t.yellow;
    }
    Table {
        name: "汇总".into(),
        title: format!("{}整改台账汇总", round.name),
        notes: vec![format!(
            "统计日期：{}　单位 {} 个；各单位台账见后续工作表",
            today.zh(),
            rows.len()
        )],
        columns,
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, (name, t))| line(Some(i + 1), name, t))
            .collect(),
        total: Some(line(None, "", &total)),
    }
}

fn tally(sheet: &LedgerSheet) -> Tally {
    let mut t = Tally::default();
    for f in &sheet.findings {
        t.findings += 1;
        t.signed_off += usize::from(f.signed_off != Value::Empty);
        for m in &f.measures {
            t.measures += 1;
            t.done += usize::from(m.status == MeasureStatus::Done.zh());
            t.red += usize::from(m.tone == Some(Tone::Red));
            t.yellow += usize::from(m.tone == Some(Tone::Yellow));
        }
    }
    t
}

fn office(file: &str, e: OfficeError) -> AppError {
    AppError::Office {
        file: file.to_string(),
        source: Box::new(e),
    }
}

/// The workbook of `round` (a summary, then a sheet per unit with a feedback), or of one
/// unit in it; colours as on `today`. Only what `actor` may read is written.
pub async fn export(
    store: &dyn Store,
    actor: &Actor,
    round: &str,
    unit: Option<&str>,
    today: Date,
) -> Result<Vec<u8>, AppError> {
    let round = find_round(store, actor, round).await?;
    let only = match unit {
        Some(u) => Some(find_unit(store, actor, u).await?),
        None => None,
    };
    let units: BTreeMap<String, Unit> = store
        .units(actor)
        .await?
        .into_iter()
        .map(|u| (u.id.clone(), u))
        .collect();
    let mut book = Book::default();
    let mut rows = Vec::new();
    for r in store.feedbacks(actor).await? {
        if r.round_id != round.id || only.as_ref().is_some_and(|u| u.id != r.unit_id) {
            continue;
        }
        let Some(u) = units.get(&r.unit_id) else {
            continue;
        };
        let fb = store.feedback(actor, &r.id).await?;
        let s = sheet(&round, u, &fb, today);
        rows.push((u.name.clone(), tally(&s)));
        book.ledgers.push(s);
    }
    if let Some(u) = &only {
        if book.ledgers.is_empty() {
            return Err(AppError::Invalid(format!(
                "{}在{}中没有反馈意见，没有台账可导出",
                u.name, round.name
            )));
        }
    } else {
        book.tables.push(summary(&round, &rows, today));
    }
    xlsx::write(&book).map_err(|e| {
        tracing::error!("ledger workbook: {e:?}");
        office("台账.xlsx", e)
    })
}

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
        category.aspects[ai].findings.push(Finding {
            id: fid,
            title: f.title.clone(),
            status: FindingStatus::Open,
            measures,
            evidence: vec![],
            transitions: vec![],
            lead: None,
            internal: false,
        });
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

/// Is this upload a workbook, by its name?
pub fn is_workbook(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".xlsx")
}
