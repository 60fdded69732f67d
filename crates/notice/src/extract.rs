//! What a measure's text mentions: quantities (Arabic or Chinese numerals, 万/亿 scaling,
//! qualifiers), dates at the precision written, and 《…》 document titles.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{DateMention, Quantity};
use crate::outline::re;

static OPEN_TITLE: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("《".as_bytes()));

/// The titles inside 《…》, outermost brackets only, first-seen order, no repeats.
pub fn documents(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut from = 0;
    // Jump from one 《 to the next; only the inside of a title is walked char by char.
    while let Some(open) = OPEN_TITLE.find(&text.as_bytes()[from..]).map(|i| from + i) {
        let start = open + '《'.len_utf8();
        let mut depth = 1usize;
        let mut end = None;
        for (i, c) in text[start..].char_indices() {
            match c {
                '《' => depth += 1,
                '》' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(start + i);
                        break;
                    }
                }
                '\n' => break,
                _ => {}
            }
        }
        let Some(end) = end else {
            from = start;
            continue;
        };
        let title = text[start..end].trim();
        if !title.is_empty() && !out.iter().any(|t| t == title) {
            out.push(title.to_string());
        }
        from = end + '》'.len_utf8();
    }
    out.shrink_to_fit();
    out
}

/// Every written date form, most precise first, so each date is read at the precision
/// written.
const DATE_PATTERN: &str = concat!(
    r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日",
    r"|([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})",
    r"|([0-9]{4})\s*年\s*([0-9]{1,2})\s*月",
    r"|([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日",
    r"|((?:19|20)[0-9]{2})\s*年",
    r"|([0-9]{1,2})\s*月(?:份)?",
);

const UNITS: &str = "平方公里|平方米|平米|公里|千米|立方米|万元|亿元|元|个|座|件|次|人次|人|户|家|条|项|起|只|盏|杆|场|名|份|篇|期|批|处|所|辆|台|套|本|册|天|小时|吨|棵|株|间|栋|栏|块|张|笔|宗|轮|类|%|㎡|m²|km|m";

/// Dates first, then quantities, in one pattern: one pass over a measure finds both, and a
/// date is never also read as a quantity. A quantity is 约/近/共/累计, a number, a scale
/// (万, 亿) and/or a unit, and 余/多/以上/左右. Also scanned together with the enumeration
/// markers (`scan`).
pub(crate) fn mention_pattern() -> String {
    format!(
        r"{DATE_PATTERN}|(约|近|共|累计)?([0-9]+(?:\.[0-9]+)?|[零一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?)\s*(?:(万|亿)(余|多)?({UNITS})?|(余|多)?({UNITS}))(以上|左右|余|多)?"
    )
}

static MENTION: LazyLock<Regex> = LazyLock::new(|| re(&mention_pattern()));

/// Where the mention pattern finds mentions in `text` on its own.
#[cfg(test)]
pub(crate) fn mention_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    MENTION.find_iter(text).map(|m| m.range()).collect()
}

/// The days of a month (0 for a month that does not exist).
pub(crate) fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    }
}

/// A date that exists, in the years notices speak of; a month or a year alone too.
pub(crate) fn valid(y: i32, m: u32, d: Option<u32>) -> bool {
    (1900..=2100).contains(&y)
        && (1..=12).contains(&m)
        && d.is_none_or(|d| (1..=days_in_month(y, m)).contains(&d))
}

/// Dates in order of appearance, at the precision written; a date without a year takes the
/// latest year written before it, or `context_year`.
#[cfg(test)]
pub fn dates(text: &str, context_year: Option<i32>) -> Vec<DateMention> {
    mentions(text, context_year).1
}

/// Quantities written with a unit or a scale, in order. Dates, document titles and
/// numbering are not quantities.
#[cfg(test)]
pub fn quantities(text: &str) -> Vec<Quantity> {
    mentions(text, Some(2000)).0
}

/// The quantities and the dates a measure mentions. The pattern only locates them (its
/// DFA-only search is several times cheaper than capture groups); each match is then read
/// by hand, following the same grammar.
pub fn mentions(text: &str, context_year: Option<i32>) -> (Vec<Quantity>, Vec<DateMention>) {
    read_mentions(
        text,
        MENTION.find_iter(text).map(|m| m.range()),
        context_year,
    )
}

/// The quantities and dates at `spans` of `text` (where the mention pattern matched it), in
/// order: a date without a year takes the latest year written before it, or `context_year`.
pub(crate) fn read_mentions(
    text: &str,
    spans: impl IntoIterator<Item = std::ops::Range<usize>>,
    context_year: Option<i32>,
) -> (Vec<Quantity>, Vec<DateMention>) {
    // Each list is made at the size it will have at most, so it is neither grown nor
    // shrunk: in a whole-process parse a grown list is fresh memory, one page fault a page.
    let spans: Vec<(std::ops::Range<usize>, &str)> = spans
        .into_iter()
        .filter_map(|m| Some((m.clone(), text.get(m)?)))
        .collect();
    let is_date = |t: &str| {
        t.ends_with(['日', '月', '份', '年']) || t.ends_with(|c: char| c.is_ascii_digit())
    };
    let date_count = spans.iter().filter(|(_, t)| is_date(t)).count();
    let mut quantities = Vec::with_capacity(spans.len() - date_count);
    let mut dates = Vec::with_capacity(date_count);
    let mut year = context_year;
    for (m, t) in spans {
        if is_date(t) {
            let after_digit = text[..m.start]
                .chars()
                .next_back()
                .is_some_and(|ch| ch.is_ascii_digit() || ch == '.');
            dates.extend(read_date(t, after_digit, &mut year));
        } else {
            quantities.extend(read_quantity(t, &text[m.end..]));
        }
    }
    (quantities, dates)
}

fn read_date(t: &str, after_digit: bool, year: &mut Option<i32>) -> Option<DateMention> {
    // At most three numbers (year, month, day), read without allocating.
    let mut numbers = [0u32; 3];
    let mut count = 0;
    for part in t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
    {
        if count == numbers.len() {
            break;
        }
        numbers[count] = part.parse().ok()?;
        count += 1;
    }
    let nums = &numbers[..count];
    let has_year = t.contains('年') || t.contains('-');
    let (y, mo, d) = match (
        has_year,
        t.ends_with('日') || t.contains('-'),
        t.ends_with(['月', '份']),
        nums,
    ) {
        (true, true, _, [y, mo, d, ..]) => (Some(*y as i32), Some(*mo), Some(*d)),
        (false, true, _, [mo, d, ..]) => (None, Some(*mo), Some(*d)),
        (true, false, true, [y, mo, ..]) => (Some(*y as i32), Some(*mo), None),
        // 1.5月 or 12个月 are not months.
        (false, false, true, [mo, ..]) if !after_digit => (None, Some(*mo), None),
        (true, false, false, [y, ..]) => (Some(*y as i32), None, None),
        _ => return None,
    };
    let written_year = y.is_some();
    let y = y.or(*year)?;
    let value = match (mo, d) {
        (Some(mo), Some(d)) if valid(y, mo, Some(d)) => iso(&[y as u32, mo, d]),
        (Some(mo), None) if valid(y, mo, None) => iso(&[y as u32, mo]),
        (None, None) if (1900..=2100).contains(&y) => iso(&[y as u32]),
        _ => return None,
    };
    if written_year {
        *year = Some(y);
    }
    Some(DateMention {
        text: t.to_string(),
        value,
    })
}

/// 2022-04-29, 2022-04 or 2022 from a valid year (four digits), month and day: written
/// digit by digit, as `format!` costs more than the rest of reading a date.
fn iso(parts: &[u32]) -> String {
    let mut out = String::with_capacity(10);
    for (k, &n) in parts.iter().enumerate() {
        if k > 0 {
            out.push('-');
        }
        let width = if k == 0 { 4 } else { 2 };
        for place in (0..width).rev() {
            let digit = (n / 10u32.pow(place)) % 10;
            out.push(char::from(b'0' + digit as u8));
        }
    }
    out
}

static UNIT_LIST: LazyLock<Vec<&'static str>> = LazyLock::new(|| UNITS.split('|').collect());
static UNIT_SET: LazyLock<std::collections::HashSet<&'static str>> =
    LazyLock::new(|| UNITS.split('|').collect());

fn strip_any<'a>(s: &'a str, options: &[&'static str]) -> (Option<&'static str>, &'a str) {
    options
        .iter()
        .find_map(|o| s.strip_prefix(o).map(|rest| (Some(*o), rest)))
        .unwrap_or((None, s))
}

fn read_quantity(t: &str, after: &str) -> Option<Quantity> {
    let (prefix, rest) = strip_any(t, &["约", "近", "共", "累计"]);
    let number_len = rest
        .char_indices()
        .find(|(_, c)| {
            !(c.is_ascii_digit() || *c == '.' || "零一二两三四五六七八九十百千点".contains(*c))
        })
        .map_or(rest.len(), |(i, _)| i);
    let (number, rest) = rest.split_at(number_len);
    let rest = rest.trim_start();
    let (scale, rest) = strip_any(rest, &["万", "亿"]);
    let (q1, rest) = strip_any(rest, &["余", "多"]);
    // What is left is the unit and a qualifier after it, as the pattern matched them: the
    // qualifier is taken off the end and the unit looked up, not tried one by one.
    let (unit_text, q2) = ["以上", "左右", "余", "多"]
        .iter()
        .find_map(|q| rest.strip_suffix(q).map(|u| (u, Some(*q))))
        .unwrap_or((rest, None));
    let (unit, q2) = match UNIT_SET.get(unit_text) {
        Some(u) => (Some(*u), q2),
        None if unit_text.is_empty() => (None, q2),
        None => {
            let (unit, rest) = strip_any(rest, &UNIT_LIST);
            (unit, strip_any(rest, &["以上", "左右", "余", "多"]).0)
        }
    };
    let arabic = number.starts_with(|ch: char| ch.is_ascii_digit());
    // A bare Chinese numeral without a unit is a word (一是, 统一), not a quantity.
    if unit.is_none() && (scale.is_none() || !arabic) {
        return None;
    }
    if unit.is_none() && after.starts_with(|ch: char| ch.is_ascii_digit()) {
        return None;
    }
    let base = if arabic {
        number.parse::<f64>().ok()?
    } else {
        cn_value(number)?
    };
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
    let qualifier = prefix.filter(|p| matches!(*p, "约" | "近")).or(q1).or(q2);
    // 约 and 近 belong to the quantity's text; 共 and 累计 do not.
    let text = match prefix {
        Some(p) if !matches!(p, "约" | "近") => &t[p.len()..],
        _ => t,
    };
    Some(Quantity {
        text: text.trim().to_string(),
        value: (base * factor * 1000.0).round() / 1000.0,
        unit: unit.map(str::to_string),
        qualifier: qualifier.map(str::to_string),
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The unit and qualifiers read by trying each word in turn, as before the lookup.
    fn unit_one_by_one(t: &str) -> (Option<&'static str>, Option<&'static str>) {
        let (_, rest) = strip_any(t, &["约", "近", "共", "累计"]);
        let rest = rest.trim_start_matches(|c: char| {
            c.is_ascii_digit() || c == '.' || "零一二两三四五六七八九十百千点".contains(c)
        });
        let (_, rest) = strip_any(rest.trim_start(), &["万", "亿"]);
        let (_, rest) = strip_any(rest, &["余", "多"]);
        let (unit, rest) = strip_any(rest, &UNIT_LIST);
        (unit, strip_any(rest, &["以上", "左右", "余", "多"]).0)
    }

    proptest::proptest! {
        #[test]
        fn units_looked_up_as_when_tried_in_turn(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "约", "共", "3", "12.5", "三", "两", "万", "亿", "余", "多", "以上", "左右",
                "人", "人次", "次", "元", "万元", "平方米", "平米", "m", "m²", "个", "%", "年", "月", "日", "是",
            ]), 0..8)
        ) {
            let text: String = parts.concat();
            for m in MENTION.find_iter(&text) {
                let t = m.as_str();
                if let Some(q) = read_quantity(t, &text[m.end()..]) {
                    let (unit, q2) = unit_one_by_one(t);
                    let unit = match unit {
                        Some("万元") | Some("亿元") => Some("元"),
                        u => u,
                    };
                    proptest::prop_assert_eq!(q.unit.as_deref(), unit, "{}", t);
                    if q2.is_some() {
                        proptest::prop_assert!(q.qualifier.is_some(), "{}", t);
                    }
                }
            }
        }
    }

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
