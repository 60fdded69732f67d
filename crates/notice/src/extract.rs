//! What a measure's text mentions: quantities (Arabic or Chinese numerals, 万/亿 scaling,
//! qualifiers), dates at the precision written, and 《…》 document titles.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{DateMention, Quantity};
use crate::outline::re;

/// The titles inside 《…》, outermost brackets only, first-seen order, no repeats.
pub fn documents(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '《' => {
                if depth == 0 {
                    start = i + c.len_utf8();
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let title = text[start..i].trim().to_string();
                    if !title.is_empty() && !out.contains(&title) {
                        out.push(title);
                    }
                }
            }
            '\n' => depth = 0,
            _ => {}
        }
    }
    out
}

pub fn all_documents(text: &str) -> Vec<String> {
    documents(text)
}

static FULL_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"));
static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{4})-(\d{1,2})-(\d{1,2})"));
static YEAR_MONTH: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{4})\s*年\s*(\d{1,2})\s*月"));
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"((?:19|20)\d{2})\s*年"));
static MONTH: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{1,2})\s*月(?:份)?"));

fn valid(y: i32, m: u32, d: Option<u32>) -> bool {
    (1900..=2100).contains(&y)
        && (1..=12).contains(&m)
        && d.is_none_or(|d| {
            let days = match m {
                2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            (1..=days).contains(&d)
        })
}

/// Which bytes of a text are already read as part of a date.
struct Taken(Vec<bool>);

impl Taken {
    fn free(&self, s: usize, e: usize) -> bool {
        self.0[s..e].iter().all(|t| !t)
    }

    fn take(&mut self, s: usize, e: usize) {
        self.0[s..e].iter_mut().for_each(|t| *t = true);
    }
}

/// Dates in order of appearance. Each piece of text is read once, at the highest precision
/// that matches there; a date without a year takes the latest year written before it, or
/// `context_year`.
pub fn dates(text: &str, context_year: Option<i32>) -> Vec<DateMention> {
    dates_at(text, context_year)
        .into_iter()
        .map(|(_, _, d)| d)
        .collect()
}

/// Dates with their byte spans.
fn dates_at(text: &str, context_year: Option<i32>) -> Vec<(usize, usize, DateMention)> {
    let mut taken = Taken(vec![false; text.len()]);
    let mut found: Vec<(usize, usize, DateMention)> = Vec::new();
    let num =
        |c: &regex::Captures<'_>, i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    for pattern in [&*FULL_DATE, &*ISO_DATE] {
        for c in pattern.captures_iter(text) {
            let (Some(m), Some(y), Some(mo), Some(d)) =
                (c.get(0), num(&c, 1), num(&c, 2), num(&c, 3))
            else {
                continue;
            };
            if taken.free(m.start(), m.end()) && valid(y as i32, mo, Some(d)) {
                taken.take(m.start(), m.end());
                found.push((
                    m.start(),
                    m.end(),
                    DateMention {
                        text: m.as_str().into(),
                        value: format!("{y:04}-{mo:02}-{d:02}"),
                    },
                ));
            }
        }
    }
    for c in YEAR_MONTH.captures_iter(text) {
        let (Some(m), Some(y), Some(mo)) = (c.get(0), num(&c, 1), num(&c, 2)) else {
            continue;
        };
        if taken.free(m.start(), m.end()) && valid(y as i32, mo, None) {
            taken.take(m.start(), m.end());
            found.push((
                m.start(),
                m.end(),
                DateMention {
                    text: m.as_str().into(),
                    value: format!("{y:04}-{mo:02}"),
                },
            ));
        }
    }
    for c in YEAR.captures_iter(text) {
        let (Some(m), Some(y)) = (c.get(0), num(&c, 1)) else {
            continue;
        };
        if taken.free(m.start(), m.end()) {
            taken.take(m.start(), m.end());
            found.push((
                m.start(),
                m.end(),
                DateMention {
                    text: m.as_str().into(),
                    value: format!("{y:04}"),
                },
            ));
        }
    }
    // Without a year: resolved after the dated ones are known.
    let mut partial: Vec<(usize, usize, u32, Option<u32>)> = Vec::new();
    for c in MONTH_DAY.captures_iter(text) {
        let (Some(m), Some(mo), Some(d)) = (c.get(0), num(&c, 1), num(&c, 2)) else {
            continue;
        };
        if taken.free(m.start(), m.end()) {
            taken.take(m.start(), m.end());
            partial.push((m.start(), m.end(), mo, Some(d)));
        }
    }
    for c in MONTH.captures_iter(text) {
        let (Some(m), Some(mo)) = (c.get(0), num(&c, 1)) else {
            continue;
        };
        let preceded_by_digit = text[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|ch| ch.is_ascii_digit() || ch == '.');
        if taken.free(m.start(), m.end()) && !preceded_by_digit {
            taken.take(m.start(), m.end());
            partial.push((m.start(), m.end(), mo, None));
        }
    }
    found.sort_by_key(|(pos, _, _)| *pos);
    let years: Vec<(usize, Option<i32>)> = found
        .iter()
        .map(|(pos, _, dm)| (*pos, dm.value.get(..4).and_then(|y| y.parse::<i32>().ok())))
        .collect();
    for (start, end, mo, d) in partial {
        let before = years.partition_point(|(pos, _)| *pos < start);
        let year = before
            .checked_sub(1)
            .and_then(|i| years[i].1)
            .or(context_year);
        let Some(y) = year else { continue };
        if !valid(y, mo, d) {
            continue;
        }
        let value = match d {
            Some(d) => format!("{y:04}-{mo:02}-{d:02}"),
            None => format!("{y:04}-{mo:02}"),
        };
        found.push((
            start,
            end,
            DateMention {
                text: text[start..end].to_string(),
                value,
            },
        ));
    }
    found.sort_by_key(|(pos, _, _)| *pos);
    found
}

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(约|近|共|累计)?",
        r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?)",
        r"\s*(万|亿)?(余|多)?",
        r"(平方公里|平方米|平米|公里|千米|立方米|万元|亿元|元|个|座|件|次|人次|人|户|家|条|项|起|只|盏|杆|场|名|份|篇|期|批|处|所|辆|台|套|本|册|天|小时|吨|棵|株|间|栋|栏|块|张|笔|宗|轮|类|%|㎡|m²|km|m)?",
        r"(以上|左右|余|多)?"
    ))
});

fn cn_value(s: &str) -> Option<f64> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as f64)
            .or(if c == '两' { Some(2.0) } else { None })
    };
    let (int, frac) = match s.split_once('点') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let mut total = 0.0;
    let mut current = 0.0;
    let mut any = false;
    for c in int.chars() {
        if let Some(d) = digit(c) {
            current = d;
            any = true;
        } else {
            let unit = match c {
                '十' => 10.0,
                '百' => 100.0,
                '千' => 1000.0,
                _ => return None,
            };
            total += if current == 0.0 { 1.0 } else { current } * unit;
            current = 0.0;
            any = true;
        }
    }
    if !any {
        return None;
    }
    let mut value = total + current;
    if let Some(f) = frac {
        let mut scale = 0.1;
        for c in f.chars() {
            value += digit(c)? * scale;
            scale /= 10.0;
        }
    }
    Some(value)
}

/// Quantities written with a unit or a scale, in order. Dates, document titles and
/// numbering are not quantities.
pub fn quantities(text: &str) -> Vec<Quantity> {
    // Dates are blanked out byte for byte, so offsets in `masked` are offsets in `text`.
    let mut masked = text.as_bytes().to_vec();
    for (s, e, _) in dates_at(text, Some(2000)) {
        masked[s..e].iter_mut().for_each(|b| *b = b'_');
    }
    let masked = String::from_utf8(masked).unwrap_or_default();
    let mut out = Vec::new();
    for c in QUANTITY.captures_iter(&masked) {
        let Some(all) = c.get(0) else { continue };
        let number = c.get(2).map_or("", |m| m.as_str());
        let scale = c.get(3).map(|m| m.as_str());
        let unit = c.get(5).map(|m| m.as_str());
        let qualifier = c
            .get(1)
            .map(|m| m.as_str())
            .filter(|q| matches!(*q, "约" | "近"))
            .or(c.get(4).map(|m| m.as_str()))
            .or(c.get(6).map(|m| m.as_str()));
        let arabic = number.starts_with(|ch: char| ch.is_ascii_digit());
        // A bare Chinese numeral without a unit is a word (一是, 统一), not a quantity.
        if unit.is_none() && (scale.is_none() || !arabic) {
            continue;
        }
        let followed = masked[all.end()..].chars().next();
        if unit.is_none() && followed.is_some_and(|ch| ch.is_ascii_digit()) {
            continue;
        }
        let base = if arabic {
            number.parse::<f64>().ok()
        } else {
            cn_value(number)
        };
        let Some(base) = base else { continue };
        let (factor, unit) = match (scale, unit) {
            (Some("万"), u) => (10_000.0, u),
            (Some("亿"), u) => (100_000_000.0, u),
            (_, Some("万元")) => (10_000.0, Some("元")),
            (_, Some("亿元")) => (100_000_000.0, Some("元")),
            (_, u) => (1.0, u),
        };
        let unit = match unit {
            Some("万元") | Some("亿元") => Some("元"),
            u => u,
        };
        let value = (base * factor * 1000.0).round() / 1000.0;
        let start = c.get(2).map_or(all.start(), |m| m.start());
        let start = if qualifier.is_some() && c.get(1).is_some() {
            all.start()
        } else {
            start
        };
        out.push(Quantity {
            text: text.get(start..all.end()).unwrap_or("").trim().to_string(),
            value,
            unit: unit.map(str::to_string),
            qualifier: qualifier.map(str::to_string),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<(f64, Option<String>, Option<String>)> {
        quantities(text)
            .into_iter()
            .map(|q| (q.value, q.unit, q.qualifier))
            .collect()
    }

    #[test]
    fn quantities_scale_and_qualify() {
        assert_eq!(
            q("发现0.32万余个问题"),
            vec![(3200.0, Some("个".into()), Some("余".into()))]
        );
        assert_eq!(
            q("投入资金400万元"),
            vec![(4_000_000.0, Some("元".into()), None)]
        );
        assert_eq!(
            q("亮灯率98%以上"),
            vec![(98.0, Some("%".into()), Some("以上".into()))]
        );
        assert_eq!(q("召开会议三次"), vec![(3.0, Some("次".into()), None)]);
        assert_eq!(
            q("节约约100万"),
            vec![(1_000_000.0, None, Some("约".into()))]
        );
        assert!(q("2022年4月以来").is_empty());
    }

    #[test]
    fn dates_keep_precision_and_borrow_the_year() {
        let v: Vec<String> = dates("2022年4月以来,5月12日开展;2021年底", None)
            .into_iter()
            .map(|d| d.value)
            .collect();
        assert_eq!(v, vec!["2022-04", "2022-05-12", "2021"]);
        let v: Vec<String> = dates("3月份完成", Some(2023))
            .into_iter()
            .map(|d| d.value)
            .collect();
        assert_eq!(v, vec!["2023-03"]);
        assert!(dates("2022年2月30日", None)
            .iter()
            .all(|d| d.value != "2022-02-30"));
    }

    #[test]
    fn documents_keep_inner_brackets_once() {
        assert_eq!(
            documents("印发《甲〈乙〉的通知》和《丙》,再学《甲〈乙〉的通知》"),
            vec!["甲〈乙〉的通知".to_string(), "丙".to_string()]
        );
    }
}
