//! Dates as offices write them in a sheet: Excel dates (serial numbers), and text typed as
//! 2022年3月29日, 2022-03-29, 2022/3/29, 2022.3.29 or 20220329, in full-width digits too;
//! deadlines also as the end of a month or year (2022年6月底前, 2022年底).

use chrono::{Datelike, NaiveDate};
use zhenggai_core::Date;

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(NaiveDate::MIN)
}

/// The Excel serial number of a day (1900 date system).
pub fn excel_serial(d: Date) -> f64 {
    (d.0 - epoch()).num_days() as f64
}

/// The day an Excel serial number stands for, when it is a plausible ledger date
/// (1950 to 2199). Earlier serials would meet Excel's fictitious 1900-02-29.
pub fn from_serial(serial: f64) -> Option<Date> {
    if !serial.is_finite() || !(18_264.0..=109_574.0).contains(&serial) {
        return None;
    }
    Some(Date(
        epoch() + chrono::Duration::days(serial.floor() as i64),
    ))
}

/// Full-width digits and separators as their ASCII forms, character for character.
fn plain(c: char) -> char {
    match c {
        '０'..='９' => {
            char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
        }
        '－' | '—' | '–' => '-',
        '／' => '/',
        '．' | '。' => '.',
        c => c,
    }
}

/// How much of a date a text gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    Day(u32, u32),
    Month(u32),
    Year,
}

/// A date at the start of `chars`: its year, precision and how many characters it took.
fn scan(chars: &[char]) -> Option<(i32, Precision, usize)> {
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while chars.get(*i).is_some_and(|c| *c == ' ' || *c == '\u{3000}') {
            *i += 1;
        }
    };
    let number = |i: &mut usize, max: usize| -> Option<u32> {
        let start = *i;
        while *i < chars.len() && *i - start < max && chars[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i == start {
            return None;
        }
        chars[start..*i].iter().collect::<String>().parse().ok()
    };
    skip_space(&mut i);
    let start = i;
    let year_digits = {
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        j - start
    };
    if year_digits == 8 {
        // 20220329
        let y = number(&mut i, 4)? as i32;
        let m = number(&mut i, 2)?;
        let d = number(&mut i, 2)?;
        return Some((y, Precision::Day(m, d), i));
    }
    if year_digits != 4 {
        return None;
    }
    let y = number(&mut i, 4)? as i32;
    skip_space(&mut i);
    let sep = *chars.get(i)?;
    if !matches!(sep, '年' | '-' | '/' | '.') {
        return None;
    }
    i += 1;
    skip_space(&mut i);
    if sep == '年' {
        // 2022年底, 2022年年底, 2022年末
        let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
        if rest.starts_with('底') || rest.starts_with('末') {
            return Some((y, Precision::Year, i + 1));
        }
        if rest == "年底" || rest == "年末" {
            return Some((y, Precision::Year, i + 2));
        }
    }
    let before_month = i;
    let Some(m) = number(&mut i, 2) else {
        return (sep == '年').then_some((y, Precision::Year, before_month));
    };
    skip_space(&mut i);
    let sep2 = chars.get(i).copied();
    let month_sep = if sep == '年' { '月' } else { sep };
    if sep2 != Some(month_sep) {
        return (sep == '年' && sep2 == Some('月')).then_some((y, Precision::Month(m), i + 1));
    }
    i += 1;
    skip_space(&mut i);
    let after_month = i;
    match number(&mut i, 2) {
        Some(d) => {
            let mut j = i;
            skip_space(&mut j);
            if chars.get(j) == Some(&'日') || chars.get(j) == Some(&'号') {
                i = j + 1;
            }
            Some((y, Precision::Day(m, d), i))
        }
        None if sep == '年' => Some((y, Precision::Month(m), after_month)),
        None => None,
    }
}

fn chars_of(text: &str) -> Vec<char> {
    text.chars().map(plain).collect()
}

fn day_of(y: i32, m: u32, d: u32, shown: &str) -> Result<Date, String> {
    Date::ymd(y, m, d).ok_or_else(|| format!("日期“{shown}”不存在"))
}

fn last_of_month(y: i32, m: u32, shown: &str) -> Result<Date, String> {
    let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| format!("日期“{shown}”不存在"))?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    Ok(Date(next.map_or(first, |n| n.pred_opt().unwrap_or(first))))
}

/// Words after a deadline that say "by then": 前, 以前, 之前, 完成, 底前 ….
fn only_by_words(rest: &str) -> bool {
    let rest = rest.trim();
    let rest = rest
        .trim_start_matches(['底', '末'])
        .trim_end_matches(['。', '.', '；', ';']);
    [
        "",
        "前",
        "以前",
        "之前",
        "前完成",
        "完成",
        "止",
        "为止",
        "前办结",
        "办结",
        "前到位",
        "到位",
    ]
    .contains(&rest)
}

/// A whole cell that is one day: Ok(None) when it is not a date at all, an error when it
/// is one that does not exist (2022年2月30日).
pub fn day(text: &str) -> Result<Option<Date>, String> {
    let chars = chars_of(text.trim());
    let Some((y, Precision::Day(m, d), used)) = scan(&chars) else {
        return Ok(None);
    };
    let rest: String = chars[used..].iter().collect();
    if !rest.trim().is_empty() && !is_time(rest.trim()) {
        return Ok(None);
    }
    day_of(y, m, d, text.trim()).map(Some)
}

/// 00:00:00 or 0:00 after a date copied from a date-time cell.
fn is_time(rest: &str) -> bool {
    !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
}

/// A deadline: a day, or the last day of a month (2022年6月, 2022年6月底前) or of a year
/// (2022年底, 2022年年底前), optionally followed by 前 / 以前 / 完成. Ok(None) when the text
/// is not a deadline of these forms.
pub fn deadline(text: &str) -> Result<Option<Date>, String> {
    let shown = text.trim();
    let chars = chars_of(shown);
    let Some((y, precision, used)) = scan(&chars) else {
        return Ok(None);
    };
    let rest: String = chars[used..].iter().collect();
    if !(only_by_words(&rest) || is_time(rest.trim())) {
        return Ok(None);
    }
    match precision {
        Precision::Day(m, d) => day_of(y, m, d, shown).map(Some),
        Precision::Month(m) => last_of_month(y, m, shown).map(Some),
        Precision::Year => day_of(y, 12, 31, shown).map(Some),
    }
}

/// A day at the start of a line, followed by a colon (or a space) and the rest of the
/// line: how each dated update of 整改进展 begins (2022年4月1日：召开专题会议).
pub fn leading_day(line: &str) -> Option<(Result<Date, String>, String)> {
    let chars = chars_of(line);
    let (y, Precision::Day(m, d), used) = scan(&chars)? else {
        return None;
    };
    let original: Vec<char> = line.chars().collect();
    let after = original.get(used).copied();
    if !matches!(after, Some('：' | ':' | ' ' | '\u{3000}' | '\t')) {
        return None;
    }
    let shown: String = original[..used].iter().collect();
    let rest: String = original[used + 1..].iter().collect();
    Some((day_of(y, m, d, shown.trim()), rest.trim_start().to_string()))
}

/// A day at the start of `text`, whatever follows (反馈日期：2022年3月29日　…).
pub fn prefix_day(text: &str) -> Option<Result<Date, String>> {
    let chars = chars_of(text);
    let (y, Precision::Day(m, d), used) = scan(&chars)? else {
        return None;
    };
    let shown: String = text.chars().take(used).collect();
    Some(day_of(y, m, d, shown.trim()))
}

/// How the export writes a day in text: 2022年3月29日.
pub fn zh(d: Date) -> String {
    format!("{}年{}月{}日", d.0.year(), d.0.month(), d.0.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn days_in_the_forms_offices_type() {
        for text in [
            "2022年3月29日",
            "2022年03月29日",
            " 2022 年 3 月 29 日 ",
            "2022-03-29",
            "2022-3-29",
            "2022/3/29",
            "2022.3.29",
            "20220329",
            "２０２２年３月２９日",
            "2022-03-29 00:00:00",
        ] {
            assert_eq!(day(text), Ok(Some(d("2022-03-29"))), "{text}");
        }
        assert_eq!(
            day("2022年2月30日"),
            Err("日期“2022年2月30日”不存在".into())
        );
        assert_eq!(day("长期坚持"), Ok(None));
        assert_eq!(day("2022年3月29日召开会议"), Ok(None));
        assert_eq!(day("44651"), Ok(None));
    }

    #[test]
    fn deadlines_reach_the_end_of_their_period() {
        assert_eq!(deadline("2022年6月底前"), Ok(Some(d("2022-06-30"))));
        assert_eq!(deadline("2022年6月"), Ok(Some(d("2022-06-30"))));
        assert_eq!(deadline("2024年2月底"), Ok(Some(d("2024-02-29"))));
        assert_eq!(deadline("2022年底"), Ok(Some(d("2022-12-31"))));
        assert_eq!(deadline("2022年年底前"), Ok(Some(d("2022-12-31"))));
        assert_eq!(deadline("2022年12月31日前完成"), Ok(Some(d("2022-12-31"))));
        assert_eq!(deadline("2022年13月"), Err("日期“2022年13月”不存在".into()));
        assert_eq!(deadline("立行立改"), Ok(None));
        assert_eq!(deadline("2022年底前完成制度修订"), Ok(None));
    }

    #[test]
    fn serials_are_excel_days() {
        assert_eq!(excel_serial(d("2022-03-29")), 44649.0);
        assert_eq!(from_serial(44649.0), Some(d("2022-03-29")));
        assert_eq!(from_serial(44649.75), Some(d("2022-03-29")));
        assert_eq!(from_serial(60.0), None);
        assert_eq!(from_serial(f64::NAN), None);
    }

    #[test]
    fn a_line_may_open_with_its_date() {
        let (date, rest) = leading_day("2022年4月1日：召开专题会议").expect("dated");
        assert_eq!((date, rest.as_str()), (Ok(d("2022-04-01")), "召开专题会议"));
        let (date, rest) = leading_day("2022-04-01 已完成").expect("dated");
        assert_eq!((date, rest.as_str()), (Ok(d("2022-04-01")), "已完成"));
        assert!(leading_day("2022年4月1日召开专题会议").is_none());
        assert!(leading_day("截至2022年4月1日：完成").is_none());
        let (date, _) = leading_day("2022年4月31日：x").expect("dated");
        assert!(date.is_err());
    }
}
