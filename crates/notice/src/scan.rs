//! One pass over a finding's text for both things read from it: the markers of an inline
//! enumeration (一是…, 第一，…, ①…, （一）…, 1.…) that split it into measures, and where the
//! quantities and dates its measures mention are. An automaton's pass over the text is the
//! parser's largest cost, and one automaton for both patterns costs what one of them did.

use std::ops::Range;
use std::sync::LazyLock;

use regex_automata::meta::Regex;
use regex_automata::Input;

use crate::extract;
use crate::measures::cn_number;
use crate::model::{DateMention, Quantity};

/// Every inline enumeration style in one pattern: 一是 (groups 1–2), 第一, (3–4), ① (5),
/// (一) (6–7) and 1. / (1) (8–9), the last two only at the start of a sentence or clause.
/// A marker closed by . or 、 must not run on into a number (1.5万元 is no marker; (3)2023年
///底前 opens the third item): that is checked by hand (`scan`), so that the character
/// after it stays free for a mention.
const ENUMERATION: &str = concat!(
    r"(([一二三四五六七八九十]{1,3})是)",
    r"|([第其]([一二三四五六七八九十]{1,3})\s*[,，、:：])",
    r"|([①-⑳])",
    r"|(?:^|[。;；:：\n ])\s*(?:([(（]([一二三四五六七八九十]{1,3})[)）])|([(（]?([0-9]{1,2})[)）.、]))",
);

/// The numbered style (1. / (1)), the one checked by hand.
const NUMBERED: usize = 4;

fn build(patterns: &[&str]) -> Regex {
    debug_assert!(Regex::new_many(patterns).is_ok(), "invalid patterns");
    // Constants checked by the tests: a failure is a programming error, and must not take
    // down a parse in the field.
    match Regex::new_many(patterns) {
        Ok(re) => re,
        Err(_) => Regex::new("$^").unwrap_or_else(|_| unreachable!()),
    }
}

static MARKERS: LazyLock<Regex> = LazyLock::new(|| build(&[ENUMERATION]));
/// Mentions first: where both could start at one place, a mention is what was written.
static MARKERS_AND_MENTIONS: LazyLock<Regex> =
    LazyLock::new(|| build(&[&extract::mention_pattern(), ENUMERATION]));

/// A marker of an inline enumeration: its style (the order of the pattern's alternatives),
/// where it starts, where the text it opens starts, and its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marker {
    style: usize,
    start: usize,
    content: usize,
    value: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Scanned {
    pub markers: Vec<Marker>,
    /// Where the mentions are, in order (only when asked for).
    pub mentions: Vec<Range<usize>>,
}

/// The markers of `text`, and where its mentions are when `with_mentions`. The markers are
/// those the enumeration pattern finds on its own, the mentions those the mention pattern
/// finds on its own: neither kind can start inside the other, and the one place they
/// could meet, the character after a numbered marker, is settled as each pattern alone
/// settles it (the property tests in `tests` compare both with the patterns alone).
pub(crate) fn scan(text: &str, with_mentions: bool) -> Scanned {
    let (re, marker_id) = if with_mentions {
        (&*MARKERS_AND_MENTIONS, 1)
    } else {
        (&*MARKERS, 0)
    };
    let mut out = Scanned::default();
    let mut at = 0;
    // The pattern alone took the character after a numbered marker into its match, so no
    // marker starts there.
    let mut no_marker_before = 0;
    while at < text.len() {
        let Some(m) = re.search(&Input::new(text).range(at..)) else {
            break;
        };
        if m.pattern().as_usize() != marker_id {
            out.mentions.push(m.range());
            at = m.end();
            continue;
        }
        if m.start() < no_marker_before {
            at = no_marker_before;
            continue;
        }
        let read = read_marker(&text[m.range()]);
        // A numbered marker's match ends with its closing character; only . and 、 may be
        // the middle of a number (1.5, 1、2).
        let numeric_close = text[m.range()].ends_with(['.', '、']);
        if matches!(read, Some((NUMBERED, ..))) && numeric_close {
            let next = text[m.end()..].chars().next();
            if next.is_some_and(|c| c.is_ascii_digit()) {
                // No marker starts here: go on from the next character.
                at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            no_marker_before = m.end() + next.map_or(0, char::len_utf8);
        }
        if let Some((style, start, end, value)) = read {
            out.markers.push(Marker {
                style,
                start: m.start() + start,
                content: m.start() + end,
                value,
            });
        }
        at = m.end();
    }
    out
}

/// The run 1, 2, 3, … of one style of inline enumeration, as (where the marker starts,
/// where the measure's own text starts). The longest run wins; on a tie the earlier style
/// in the pattern; a single marker is no enumeration.
pub(crate) fn run_of(markers: &[Marker]) -> Vec<(usize, usize)> {
    const STYLES: usize = 5;
    let mut runs: [Vec<(usize, usize)>; STYLES] = Default::default();
    for m in markers {
        if let Some(run) = runs.get_mut(m.style) {
            if m.value == run.len() + 1 {
                run.push((m.start, m.content));
            }
        }
    }
    let mut best = runs
        .into_iter()
        .rev()
        .max_by_key(Vec::len)
        .unwrap_or_default();
    if best.len() < 2 {
        best.clear();
    }
    best
}

/// One match of the enumeration pattern: its style, where the marker starts and ends
/// inside the match, and its number.
fn read_marker(t: &str) -> Option<(usize, usize, usize, usize)> {
    if let Some(number) = t.strip_suffix('是') {
        return Some((0, 0, t.len(), cn_number(number)?));
    }
    if let Some(rest) = t.strip_prefix(['第', '其']) {
        let number = rest.trim_end_matches([',', '，', '、', ':', '：']).trim();
        return Some((1, 0, t.len(), cn_number(number)?));
    }
    let first = t.chars().next()?;
    if ('①'..='⑳').contains(&first) {
        return Some((
            2,
            0,
            first.len_utf8(),
            (first as u32 - '①' as u32 + 1) as usize,
        ));
    }
    // The clause-opening forms: skip the delimiter and spaces before the marker.
    let start = t.len()
        - t.trim_start_matches(['。', ';', '；', ':', '：', '\n', ' '])
            .len();
    let body = &t[start..];
    let inner = body.trim_start_matches(['(', '（']);
    let open = body.len() - inner.len();
    let digits = inner.len() - inner.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let close = inner[digits..].chars().next()?;
        let end = start + open + digits + close.len_utf8();
        return Some((NUMBERED, start, end, inner[..digits].parse().ok()?));
    }
    let numeral = inner.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c));
    let number = &inner[..inner.len() - numeral.len()];
    let close = numeral.chars().next()?;
    let end = start + open + number.len() + close.len_utf8();
    Some((3, start, end, cn_number(number)?))
}

/// The quantities and dates of the measure `measure`, found at `at` in the scanned text:
/// read from the scan's `mentions` when none of them runs across either end of the
/// measure, else (rarely) found in the measure alone.
pub(crate) fn mentions_of(
    measure: &str,
    at: usize,
    mentions: &[Range<usize>],
    context_year: Option<i32>,
) -> (Vec<Quantity>, Vec<DateMention>) {
    let end = at + measure.len();
    let from = mentions.partition_point(|m| m.end <= at);
    let to = mentions.partition_point(|m| m.start < end);
    let inside = mentions.get(from..to).unwrap_or_default();
    let crosses = |m: &Range<usize>| m.start < at || m.end > end;
    if inside.first().is_some_and(crosses) || inside.last().is_some_and(crosses) {
        return extract::mentions(measure, context_year);
    }
    extract::read_mentions(
        measure,
        inside.iter().map(|m| m.start - at..m.end - at),
        context_year,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    /// The enumeration pattern as one pattern: the character after a marker closed by . or
    /// 、 matched as part of it.
    const ENUMERATION_ALONE: &str = concat!(
        r"(([一二三四五六七八九十]{1,3})是)",
        r"|([第其]([一二三四五六七八九十]{1,3})\s*[,，、:：])",
        r"|([①-⑳])",
        r"|(?:^|[。;；:：\n ])\s*(?:([(（]([一二三四五六七八九十]{1,3})[)）])|([(（]?([0-9]{1,2})[)）])|([(（]?([0-9]{1,2})[.、])(?:[^0-9]|$))",
    );

    /// The markers the pattern alone finds. A numbered marker is read without the character
    /// it took after it (read with it, 1.是… was taken for 一是 and lost).
    fn markers_alone(text: &str) -> Vec<Marker> {
        let re = regex::Regex::new(ENUMERATION_ALONE).expect("pattern");
        re.captures_iter(text)
            .filter_map(|c| {
                let m = c.get(0)?;
                let end = c
                    .get(8)
                    .or(c.get(10))
                    .map_or(m.end(), |numbered| numbered.end());
                let (style, start, end, value) = read_marker(&text[m.start()..end])?;
                Some(Marker {
                    style,
                    start: m.start() + start,
                    content: m.start() + end,
                    value,
                })
            })
            .collect()
    }

    /// Text made of what markers and mentions are made of, run together every which way.
    fn texts() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                "一是",
                "二是",
                "十二是",
                "是",
                "第一，",
                "其二：",
                "第",
                "①",
                "②",
                "（一）",
                "(二)",
                "（1）",
                "(2)",
                "1.",
                "2、",
                "3)",
                "1",
                "2",
                "12",
                "2022",
                "05",
                "；",
                "。",
                "：",
                ",",
                " ",
                "\n",
                "年",
                "月",
                "日",
                "份",
                "底前",
                "-",
                ".",
                "5",
                "万",
                "亿",
                "元",
                "万元",
                "个",
                "项",
                "次",
                "人次",
                "余",
                "多",
                "以上",
                "左右",
                "约",
                "近",
                "共",
                "累计",
                "三",
                "十",
                "百",
                "两",
                "点",
                "建立",
                "制度",
                "%",
                "m",
            ]),
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// The markers are those of the enumeration pattern alone, with or without the
        /// mentions beside them, and so is the run they make.
        #[test]
        fn markers_as_the_enumeration_pattern_alone(text in texts()) {
            let alone = markers_alone(&text);
            proptest::prop_assert_eq!(&scan(&text, false).markers, &alone);
            proptest::prop_assert_eq!(&scan(&text, true).markers, &alone);
        }

        /// Each measure's quantities and dates are those the mention pattern finds in the
        /// measure alone.
        #[test]
        fn mentions_as_in_each_measure_alone(text in texts(), year in proptest::option::of(2018i32..2026)) {
            let scanned = scan(&text, true);
            let alone = extract::mention_spans(&text);
            proptest::prop_assert_eq!(&scanned.mentions, &alone);
            let run = run_of(&scanned.markers);
            let mut cuts: Vec<usize> = vec![0];
            for &(marker, content) in &run {
                cuts.push(marker);
                cuts.push(content);
            }
            cuts.push(text.len());
            // Every stretch between two cuts, trimmed as a measure is, and some untrimmed.
            for pair in cuts.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let piece = &text[a..b];
                let lead = piece.len() - piece.trim_start().len();
                let measure = crate::measures::trimmed_measure(piece);
                let at = a + lead;
                proptest::prop_assert_eq!(
                    mentions_of(measure, at, &scanned.mentions, year),
                    extract::mentions(measure, year),
                    "{:?}", measure
                );
                proptest::prop_assert_eq!(
                    mentions_of(piece, a, &scanned.mentions, year),
                    extract::mentions(piece, year),
                    "{:?}", piece
                );
            }
        }
    }

    #[test]
    fn a_numbered_marker_does_not_take_the_mention_after_it() {
        let text = "整改:1.约5万元已清退;2.追缴1.5万元;3.一是建制;4.5";
        let s = scan(text, true);
        let run = run_of(&s.markers);
        // 4.5 is a number, not the fourth marker.
        assert_eq!(run.len(), 3);
        let mentions: Vec<&str> = s.mentions.iter().map(|m| &text[m.clone()]).collect();
        assert_eq!(mentions, ["约5万元", "1.5万元"]);
        // "3." took 一 from the enumeration pattern, so 一是 is no marker there.
        assert!(s.markers.iter().all(|m| m.style != 0));
        // A parenthesised number may be followed by a number; a measure may open with 是.
        assert_eq!(
            run_of(&scan("(1)甲;(2)乙;(3)2023年底前完成", false).markers).len(),
            3
        );
        assert_eq!(
            run_of(&scan("1.是否建档;2.是否公示", false).markers).len(),
            2
        );
    }
}
