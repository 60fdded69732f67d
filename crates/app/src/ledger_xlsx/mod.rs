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

use zhenggai_core::*;
use zhenggai_office::xlsx::{
    self, Book, FindingBlock, LedgerSheet, MeasureLine, Progress, Table, Tone, Value,
};
use zhenggai_office::OfficeError;
use zhenggai_store::Store;

use crate::error::AppError;

mod read;
pub use read::{describe, feedback, import, prepare, Prepared};

/// The title offices give aspect and category placeholders when a notice had none; the
/// sheet leaves them out and an import puts them back.
pub(crate) const NO_CATEGORY: &str = "（未分类）";
pub(crate) const NO_ASPECT: &str = "（未分组）";

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

pub(crate) fn office(file: &str, e: OfficeError) -> AppError {
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

/// Is this upload a workbook, by its name?
pub fn is_workbook(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".xlsx")
}
