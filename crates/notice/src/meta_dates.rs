//! Dates in a notice's opening and signature: the inspection period, the feedback date and
//! the publication date. Written as 2022年3月29日, 2022年3月, 3月29日 (the year implied),
//! 2022-03-29, 二〇二二年三月二十九日, 4月上旬 (month precision), and, where a page lost the
//! characters 年 and 月, 2022329日 or 329日, split where the month and the day are valid.

use std::sync::LazyLock;

use regex::Regex;

use crate::extract::valid;
use crate::outline::re;

/// A date at the precision written; the year may be implied by the text around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: Option<i32>,
    pub month: u32,
    pub day: Option<u32>,
}

impl Date {
    /// "2022-03-29" or "2022-03", once the year is known.
    pub fn format(self, year: Option<i32>) -> Option<String> {
        let y = self.year.or(year)?;
        if !valid(y, self.month, self.day) {
            return None;
        }
        Some(match self.day {
            Some(d) => format!("{y:04}-{:02}-{d:02}", self.month),
            None => format!("{y:04}-{:02}", self.month),
        })
    }
}

/// A date found in a text, with where it is.
#[derive(Debug, Clone, Copy)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub date: Date,
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*(?:([0-9]{1,2})\s*日|上旬|中旬|下旬|初|底|末)?",
        r"|([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})",
        r"|([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日",
        r"|([0-9]{3,8})日",
        r"|([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日",
        r"|([0-9]{1,2})\s*月(?:上旬|中旬|下旬|初|底|末)?",
    ))
});

fn num(c: &regex::Captures<'_>, i: usize) -> Option<u32> {
    c.get(i)?.as_str().parse().ok()
}

/// Every date in `text`, in order.
pub fn find(text: &str) -> Vec<Found> {
    DATE.captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            // Digits glued before a match are some other number.
            if text[..m.start()].ends_with(|ch: char| ch.is_ascii_digit()) {
                return None;
            }
            let date = read(&c)?;
            Some(Found {
                start: m.start(),
                end: m.end(),
                date,
            })
        })
        .collect()
}

fn read(c: &regex::Captures<'_>) -> Option<Date> {
    if c.get(1).is_some() {
        return Some(Date {
            year: num(c, 1).map(|y| y as i32),
            month: num(c, 2)?,
            day: num(c, 3),
        });
    }
    if c.get(4).is_some() {
        return Some(Date {
            year: num(c, 4).map(|y| y as i32),
            month: num(c, 5)?,
            day: num(c, 6),
        });
    }
    if c.get(7).is_some() {
        return Some(Date {
            year: None,
            month: num(c, 7)?,
            day: num(c, 8),
        });
    }
    if let Some(digits) = c.get(9) {
        return compact(digits.as_str());
    }
    if c.get(13).is_some() {
        return Some(Date {
            year: None,
            month: num(c, 13)?,
            day: None,
        });
    }
    let year: String = c
        .get(10)?
        .as_str()
        .chars()
        .map(|ch| match ch {
            '〇' | '零' => Some('0'),
            _ => "一二三四五六七八九"
                .chars()
                .position(|d| d == ch)
                .and_then(|d| char::from_digit(d as u32 + 1, 10)),
        })
        .collect::<Option<String>>()?;
    Some(Date {
        year: year.parse().ok(),
        month: crate::measures::cn_number(c.get(11)?.as_str())? as u32,
        day: Some(crate::measures::cn_number(c.get(12)?.as_str())? as u32),
    })
}

/// 2024919日 → 2024-09-19, 917日 → 09-17: a date whose 年 and 月 were lost. The month and
/// day are split where both are valid; a split that two readings allow (2024111日) is
/// given up.
fn compact(digits: &str) -> Option<Date> {
    let (year, md) = match digits.len() {
        3 | 4 => (None, digits),
        6..=8 => (
            Some(digits.get(..4)?.parse::<i32>().ok()?),
            digits.get(4..)?,
        ),
        _ => return None,
    };
    let part = |s: &str| -> Option<u32> {
        if s.starts_with('0') {
            None
        } else {
            s.parse().ok()
        }
    };
    let readings: Vec<(u32, u32)> = (1..md.len())
        .filter_map(|cut| Some((part(md.get(..cut)?)?, part(md.get(cut..)?)?)))
        .filter(|(m, d)| valid(year.unwrap_or(2000), *m, Some(*d)))
        .collect();
    match readings.as_slice() {
        [(month, day)] => Some(Date {
            year,
            month: *month,
            day: Some(*day),
        }),
        _ => None,
    }
}

/// The latest year written at or before `at`.
pub fn year_before(found: &[Found], at: usize) -> Option<i32> {
    found
        .iter()
        .take_while(|f| f.start <= at)
        .filter_map(|f| f.date.year)
        .last()
}

static RANGE: &[&str] = &["至", "到", "—", "-", "~", "～", "－"];

/// The first two dates joined by 至 (or a dash): the inspection period. An end without a
/// year takes the start's; a start without one takes the end's.
pub fn period(text: &str, found: &[Found]) -> Option<(String, String)> {
    found.windows(2).find_map(|w| {
        let between = text.get(w[0].end..w[1].start)?.trim();
        if !RANGE.contains(&between) {
            return None;
        }
        let (a, b) = (w[0].date, w[1].date);
        let year_a = a.year.or(b.year).or_else(|| year_before(found, w[0].start));
        Some((a.format(year_a)?, b.format(b.year.or(year_a))?))
    })
}

static FROM: LazyLock<Regex> = LazyLock::new(|| re(r"[从自]([^。;；起]{2,20})起"));

/// A notice of the teams leaving: from the day they started (从3月17日起) to the day they
/// leave (于2021年5月21日…撤离), a few sentences later.
pub fn stationed(text: &str) -> Option<(String, String)> {
    let from = FROM.captures(text)?;
    let after = from.get(0)?.end();
    let leave = after + text.get(after..)?.find("撤离")?;
    if leave - after > 1200 {
        return None;
    }
    let yu = text[after..leave].rfind('于')? + after;
    let start = *find(from.get(1)?.as_str()).first()?;
    let end = *find(&text[yu..leave]).first()?;
    let year = end.date.year.or(start.date.year);
    Some((start.date.format(year)?, end.date.format(year)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<Option<String>> {
        let found = find(text);
        found
            .iter()
            .map(|f| f.date.format(year_before(&found, f.start)))
            .collect()
    }

    #[test]
    fn every_written_form() {
        assert_eq!(
            dates("2022年3月29日,2022年4月上旬,5月6日,2023-07-18,二〇二二年十一月二十五日"),
            vec![
                Some("2022-03-29".into()),
                Some("2022-04".into()),
                Some("2022-05-06".into()),
                Some("2023-07-18".into()),
                Some("2022-11-25".into())
            ]
        );
    }

    #[test]
    fn dates_that_lost_nian_and_yue() {
        assert_eq!(
            dates("202442日至820日,2024919日反馈,914日"),
            vec![
                Some("2024-04-02".into()),
                Some("2024-08-20".into()),
                Some("2024-09-19".into()),
                Some("2024-09-14".into())
            ]
        );
        // Two readings (1-11 and 11-1): given up.
        assert!(dates("2024111日").is_empty());
        // No thirteenth month, with or without a day.
        assert_eq!(dates("2024年13月"), vec![None]);
    }

    #[test]
    fn periods_borrow_the_year() {
        let t = "2024年7月9日至9月14日开展巡察";
        assert_eq!(
            period(t, &find(t)),
            Some(("2024-07-09".into(), "2024-09-14".into()))
        );
        let t = "2022年4月上旬至6月中旬";
        assert_eq!(
            period(t, &find(t)),
            Some(("2022-04".into(), "2022-06".into()))
        );
        let t = "从3月17日起对多个单位开展巡察。巡察组将于2021年5月21日17:00前撤离";
        assert_eq!(
            stationed(t),
            Some(("2021-03-17".into(), "2021-05-21".into()))
        );
    }
}
