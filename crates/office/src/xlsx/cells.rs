//! What one cell of a ledger says, in the words offices use: the kind of a measure, its
//! deadline, its status, its dated progress. Each reader returns a message (without the
//! place, which the caller knows) when the cell cannot be understood.

use zhenggai_core::{Date, MeasureKind, MeasureStatus};

use super::dates;
use super::grid::Cell;

/// A measure's deadline as the sheet gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    None,
    On(Date),
    /// 长期坚持 written where a date would be.
    LongTerm,
    /// 立行立改 written where a date would be.
    Immediate,
}

/// One dated (or undated) update of 整改进展.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub date: Option<Date>,
    pub text: String,
}

/// A cell's text as the ledger keeps it: trimmed, line ends made `\n`.
pub fn clean(cell: &Cell) -> Result<String, String> {
    match cell {
        Cell::Error(e) => Err(format!("单元格是公式错误值 {e}，请改为文字")),
        other => Ok(other
            .text()
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .trim()
            .to_string()),
    }
}

/// The text without spaces and closing punctuation, for comparing with word lists.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect::<String>()
        .trim_end_matches(['。', '.', '；', ';', '，', ','])
        .to_string()
}

const KINDS: &[(&str, MeasureKind)] = &[
    ("立行立改", MeasureKind::Immediate),
    ("立即整改", MeasureKind::Immediate),
    ("即知即改", MeasureKind::Immediate),
    ("立查立改", MeasureKind::Immediate),
    ("马上就改", MeasureKind::Immediate),
    ("限期整改", MeasureKind::ByDeadline),
    ("限期完成", MeasureKind::ByDeadline),
    ("按期整改", MeasureKind::ByDeadline),
    ("阶段整改", MeasureKind::ByDeadline),
    ("长期坚持", MeasureKind::LongTerm),
    ("长期整改", MeasureKind::LongTerm),
    ("持续整改", MeasureKind::LongTerm),
    ("长期推进", MeasureKind::LongTerm),
    ("常态化推进", MeasureKind::LongTerm),
    ("长期", MeasureKind::LongTerm),
];

/// 整改类型. Empty is `None`: the reader of the ledger decides from the deadline.
pub fn kind(text: &str) -> Result<Option<MeasureKind>, String> {
    let k = key(text);
    if k.is_empty() {
        return Ok(None);
    }
    KINDS
        .iter()
        .find(|(w, _)| *w == k)
        .map(|(_, kind)| Some(*kind))
        .ok_or_else(|| format!("整改类型“{text}”无法识别：应为立行立改、限期整改或长期坚持"))
}

/// Words for a measure's status, each a whole cell or the start of one.
const STATUSES: &[(&str, MeasureStatus)] = &[
    ("未开始", MeasureStatus::Pending),
    ("未启动", MeasureStatus::Pending),
    ("尚未开始", MeasureStatus::Pending),
    ("未完成", MeasureStatus::Pending),
    ("尚未完成", MeasureStatus::Pending),
    ("未整改", MeasureStatus::Pending),
    ("否", MeasureStatus::Pending),
    ("推进中", MeasureStatus::InProgress),
    ("正在推进", MeasureStatus::InProgress),
    ("整改中", MeasureStatus::InProgress),
    ("正在整改", MeasureStatus::InProgress),
    ("进行中", MeasureStatus::InProgress),
    ("持续推进", MeasureStatus::InProgress),
    ("持续整改", MeasureStatus::InProgress),
    ("基本完成", MeasureStatus::InProgress),
    ("部分完成", MeasureStatus::InProgress),
    ("长期坚持", MeasureStatus::InProgress),
    ("已启动", MeasureStatus::InProgress),
    ("正在落实", MeasureStatus::InProgress),
    ("已完成", MeasureStatus::Done),
    ("完成", MeasureStatus::Done),
    ("已整改", MeasureStatus::Done),
    ("已整改到位", MeasureStatus::Done),
    ("整改完成", MeasureStatus::Done),
    ("已办结", MeasureStatus::Done),
    ("办结", MeasureStatus::Done),
    ("已落实", MeasureStatus::Done),
    ("已销号", MeasureStatus::Done),
    ("是", MeasureStatus::Done),
];

/// 完成情况: the status its first words give, and the rest of the cell when it says more
/// than a status word (kept by the importer as progress, so nothing is lost).
pub fn status(text: &str) -> Result<Option<(MeasureStatus, String)>, String> {
    let k = key(text);
    if k.is_empty() {
        return Ok(None);
    }
    if let Some((_, s)) = STATUSES.iter().find(|(w, _)| *w == k) {
        return Ok(Some((*s, String::new())));
    }
    // Longest word first, so that 未完成 is not read as 完成.
    let mut words: Vec<&(&str, MeasureStatus)> = STATUSES
        .iter()
        .filter(|(w, _)| w.chars().count() > 1)
        .collect();
    words.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
    words
        .into_iter()
        .find(|(w, _)| k.starts_with(w))
        .map(|(_, s)| Some((*s, text.trim().to_string())))
        .ok_or_else(|| {
            format!(
                "完成情况“{text}”无法识别：应以已完成、推进中或未开始开头（进展写在整改进展列）"
            )
        })
}

/// 整改时限: an Excel date, a date typed as text, the end of a month or year, or the words
/// 长期坚持 / 立行立改 where offices write them instead of a date.
pub fn due(cell: &Cell) -> Result<Due, String> {
    match cell {
        Cell::Empty => Ok(Due::None),
        Cell::Date(d) => Ok(Due::On(*d)),
        Cell::Number(n) => number_date(*n).map(Due::On),
        Cell::Error(_) => clean(cell).map(|_| Due::None),
        Cell::Text(t) => {
            let k = key(t);
            if k.is_empty() {
                return Ok(Due::None);
            }
            match kind(&k) {
                Ok(Some(MeasureKind::LongTerm)) => return Ok(Due::LongTerm),
                Ok(Some(MeasureKind::Immediate)) => return Ok(Due::Immediate),
                _ => {}
            }
            match dates::deadline(t)? {
                Some(d) => Ok(Due::On(d)),
                None => Err(format!(
                    "整改时限“{}”无法识别为日期：请写成 2022年3月29日、2022-03-29 或 2022年6月底前，或写“长期坚持”",
                    t.trim()
                )),
            }
        }
    }
}

/// A date held as a plain number: an Excel serial without a date format, or 20220329.
fn number_date(n: f64) -> Result<Date, String> {
    if n.fract() == 0.0 && (19_000_101.0..=21_991_231.0).contains(&n) {
        let v = n as i64;
        let (y, m, d) = (
            (v / 10_000) as i32,
            (v / 100 % 100) as u32,
            (v % 100) as u32,
        );
        return Date::ymd(y, m, d).ok_or_else(|| format!("日期“{v}”不存在"));
    }
    dates::from_serial(n).ok_or_else(|| format!("数字“{n}”不是日期：请写成 2022年3月29日"))
}

/// A day in a cell of its own (销号日期): Ok(None) when the cell is not a date.
pub fn day(cell: &Cell) -> Result<Option<Date>, String> {
    match cell {
        Cell::Date(d) => Ok(Some(*d)),
        Cell::Number(n) => number_date(*n).map(Some),
        Cell::Text(t) => match dates::day(t)? {
            Some(d) => Ok(Some(d)),
            None => Ok(dates::prefix_day(t).transpose()?),
        },
        Cell::Empty | Cell::Error(_) => Ok(None),
    }
}

/// 整改进展: a line opening with a date and a colon starts a dated update, the lines after
/// it belong to it; lines before any date make one undated update.
pub fn progress(text: &str) -> Result<Vec<Progress>, String> {
    let mut out: Vec<Progress> = Vec::new();
    for line in text.split('\n') {
        match dates::leading_day(line) {
            Some((date, rest)) => out.push(Progress {
                date: Some(date?),
                text: rest.trim_end().to_string(),
            }),
            None => match out.last_mut() {
                Some(p) => {
                    p.text.push('\n');
                    p.text.push_str(line.trim_end());
                }
                None => out.push(Progress {
                    date: None,
                    text: line.trim_end().to_string(),
                }),
            },
        }
    }
    for p in &mut out {
        p.text = p.text.trim().to_string();
    }
    out.retain(|p| !p.text.is_empty());
    Ok(out)
}

/// How the export writes progress, one update a line (or more): 2022年4月1日：….
pub fn write_progress(updates: &[Progress]) -> String {
    updates
        .iter()
        .map(|p| match p.date {
            Some(d) => format!("{}：{}", dates::zh(d), p.text),
            None => p.text.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn kinds_in_office_words() {
        assert_eq!(kind("立行立改"), Ok(Some(MeasureKind::Immediate)));
        assert_eq!(kind(" 长期坚持 "), Ok(Some(MeasureKind::LongTerm)));
        assert_eq!(kind("限期整改。"), Ok(Some(MeasureKind::ByDeadline)));
        assert_eq!(kind(""), Ok(None));
        assert!(kind("尽快").is_err());
    }

    #[test]
    fn statuses_by_their_first_words() {
        assert_eq!(
            status("已完成"),
            Ok(Some((MeasureStatus::Done, String::new())))
        );
        assert_eq!(
            status("未完成"),
            Ok(Some((MeasureStatus::Pending, String::new())))
        );
        assert_eq!(
            status("正在推进，已完成初稿"),
            Ok(Some((
                MeasureStatus::InProgress,
                "正在推进，已完成初稿".into()
            )))
        );
        assert_eq!(
            status("未完成，待上级批复"),
            Ok(Some((MeasureStatus::Pending, "未完成，待上级批复".into())))
        );
        assert_eq!(status(""), Ok(None));
        assert!(status("见附件").is_err());
    }

    #[test]
    fn deadlines_as_dates_numbers_and_words() {
        assert_eq!(
            due(&Cell::Date(d("2022-06-30"))),
            Ok(Due::On(d("2022-06-30")))
        );
        assert_eq!(due(&Cell::Number(44742.0)), Ok(Due::On(d("2022-06-30"))));
        assert_eq!(due(&Cell::Number(20220630.0)), Ok(Due::On(d("2022-06-30"))));
        assert_eq!(
            due(&Cell::Text("2022年6月底前".into())),
            Ok(Due::On(d("2022-06-30")))
        );
        assert_eq!(due(&Cell::Text("长期坚持".into())), Ok(Due::LongTerm));
        assert_eq!(due(&Cell::Text("立行立改".into())), Ok(Due::Immediate));
        assert_eq!(due(&Cell::Empty), Ok(Due::None));
        assert!(due(&Cell::Text("尽快".into())).is_err());
        assert!(due(&Cell::Number(3.0)).is_err());
        assert!(due(&Cell::Text("2022年2月30日".into())).is_err());
    }

    #[test]
    fn progress_lines_by_their_dates() {
        let text = "先期已摸底\n2022年4月1日：召开专题会议\n形成纪要\n2022-05-06：完成制度修订";
        assert_eq!(
            progress(text),
            Ok(vec![
                Progress {
                    date: None,
                    text: "先期已摸底".into()
                },
                Progress {
                    date: Some(d("2022-04-01")),
                    text: "召开专题会议\n形成纪要".into()
                },
                Progress {
                    date: Some(d("2022-05-06")),
                    text: "完成制度修订".into()
                },
            ])
        );
        let written = write_progress(&progress(text).expect("read"));
        assert_eq!(progress(&written), progress(text));
        assert!(progress("2022年2月30日：x").is_err());
        assert_eq!(progress(""), Ok(vec![]));
    }
}
