//! The numbering that opens a line: 一、 (一) 1. (1) ① 问题1: 第一部分, or a paragraph
//! opening with 针对“…” and no number. Each pattern matches only the numbering, so
//! classifying a line costs the length of its numbering, not of the line.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// 一、
    CnDun,
    /// (一)
    CnParen,
    /// 1. 1、
    ArDot,
    /// (1) 1)
    ArParen,
    /// ①
    Circled,
    /// 问题1: 问题一、
    Problem,
    /// A paragraph opening with 针对“…” and no number.
    Unnumbered,
    /// 第一部分 / 第一方面 / 第一类
    Part,
    /// An unnumbered heading of a part of the document (整改工作组织情况).
    Section,
}

#[derive(Debug, Clone)]
pub struct Marked<'a> {
    pub style: Style,
    pub number: Cow<'a, str>,
    pub rest: &'a str,
}

// Each pattern matches only the numbering; the rest of the line is what follows the match,
// so classifying a line costs the length of its numbering, not of the line. The common
// forms (一、 (一) 1. (1)) are read by hand below: every line is classified, and a regex
// with captures costs more than everything else done with most lines.
static CIRCLED: LazyLock<Regex> = LazyLock::new(|| re(r"^([①-⑳])\s*"));
static PROBLEM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[【\[]?(?:反馈|存在|巡察反馈|巡视反馈|主要)?问题\s*([一二三四五六七八九十百]{1,4}|[0-9]{1,3})\s*[】\]]?\s*[:：、.．]?\s*",
    )
});
static PART: LazyLock<Regex> =
    LazyLock::new(|| re(r"^第([一二三四五六七八九十]{1,3})(?:部分|方面|类)\s*[:：、.．]?\s*"));
static ZHENDUI: LazyLock<Regex> = LazyLock::new(|| re(r#"^(?:针对|关于)\s*[“"「『‘']"#));

pub fn re(pattern: &str) -> Regex {
    debug_assert!(Regex::new(pattern).is_ok(), "invalid pattern {pattern}");
    // The patterns are constants checked by the tests; an invalid one is a programming error
    // caught before release, and must not take down a parse in the field.
    Regex::new(pattern).unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()))
}

/// regex-lite, for `short::Short` (and the tests): it compiles in microseconds where `re`
/// takes up to half a millisecond (the Unicode classes' automata, forwards and backwards),
/// but matches far more slowly. A pattern is never regex-lite alone: on regex-lite the
/// metadata and contact patterns made a parse of one notice five times slower, and the team
/// pattern, run over every line when the opening names no team, a 10 MB parse eight times
/// slower. Both read the same syntax; on normalised text (no Unicode spaces left) `\s`
/// means the same in both.
pub fn lite(pattern: &str) -> regex_lite::Regex {
    debug_assert!(
        regex_lite::Regex::new(pattern).is_ok(),
        "invalid pattern {pattern}"
    );
    regex_lite::Regex::new(pattern)
        .unwrap_or_else(|_| regex_lite::Regex::new("$^").unwrap_or_else(|_| unreachable!()))
}

const CN_DIGITS: &str = "一二三四五六七八九十百";

fn spaces(s: &str) -> &str {
    s.trim_start_matches([' ', '\t'])
}

/// A run of 1 to `max` characters that `is` accepts, and what follows it.
fn run(s: &str, max: usize, is: impl Fn(char) -> bool) -> Option<(&str, &str)> {
    let end = s.find(|c: char| !is(c)).unwrap_or(s.len());
    let count = s[..end].chars().count();
    (1..=max).contains(&count).then(|| s.split_at(end))
}

fn strip_one<'a>(s: &'a str, options: &[char]) -> Option<&'a str> {
    s.strip_prefix(options)
}

/// What may follow a closing bracket or a separator: spaces, one more separator, spaces.
fn tail(s: &str) -> &str {
    let s = spaces(s);
    spaces(strip_one(s, &['、', '.', '．']).unwrap_or(s))
}

/// (一) (１) 一、 1. 1) (1): the number and the rest of the line.
fn bracketed(line: &str, digits: impl Fn(char) -> bool + Copy, max: usize) -> Option<(&str, &str)> {
    let inner = spaces(strip_one(line, &['(', '（'])?);
    let (number, after) = run(inner, max, digits)?;
    let after = strip_one(spaces(after), &[')', '）'])?;
    Some((number, tail(after)))
}

/// The numbering that opens a line, if any. The first character says which forms can
/// match, so most lines are decided at once.
pub fn classify(line: &str) -> Option<Marked<'_>> {
    let line = line.trim();
    let first = line.chars().next()?;
    let is_cn = |c: char| CN_DIGITS.contains(c);
    let mark = |style, number, rest| Marked {
        style,
        number: Cow::Borrowed(number),
        rest,
    };
    match first {
        '0'..='9' => arabic(line),
        '(' | '（' => match bracketed(line, is_cn, 4) {
            Some((number, rest)) => Some(mark(Style::CnParen, number, rest)),
            None => arabic(line),
        },
        c if is_cn(c) => {
            let (number, after) = run(line, 4, is_cn)?;
            let after = strip_one(spaces(after), &['、', '．', '.'])?;
            Some(mark(Style::CnDun, number, spaces(after)))
        }
        '①'..='⑳' => CIRCLED
            .captures(line)
            .map(|c| marked(Style::Circled, &c, 1, line)),
        '问' | '反' | '存' | '巡' | '主' | '【' | '[' => PROBLEM
            .captures(line)
            .map(|c| marked(Style::Problem, &c, 1, line)),
        '第' => PART
            .captures(line)
            .map(|c| marked(Style::Part, &c, 1, line)),
        '针' | '关' if ZHENDUI.is_match(line) => Some(Marked {
            style: Style::Unnumbered,
            number: Cow::Borrowed(""),
            rest: line,
        }),
        _ => None,
    }
}

/// (1) 1) 1. 1、
fn arabic(line: &str) -> Option<Marked<'_>> {
    let digit = |c: char| c.is_ascii_digit();
    let mark = |style, number, rest| Marked {
        style,
        number: Cow::Borrowed(number),
        rest,
    };
    if let Some((number, rest)) = bracketed(line, digit, 3) {
        return Some(mark(Style::ArParen, number, rest));
    }
    let (number, after) = run(line, 3, digit)?;
    if let Some(rest) = strip_one(after, &[')', '）']) {
        return Some(mark(Style::ArParen, number, tail(rest)));
    }
    let after = spaces(after);
    let rest = spaces(strip_one(after, &['、', '．', '.'])?);
    // 1.5万元 and 2022.3 are numbers, not numbering.
    let decimal = after.starts_with('.') && rest.starts_with(|c: char| c.is_ascii_digit());
    (!decimal).then(|| mark(Style::ArDot, number, rest))
}

fn marked<'a>(style: Style, c: &regex::Captures<'a>, number: usize, line: &'a str) -> Marked<'a> {
    let number = c.get(number).map_or("", |m| m.as_str());
    let number = match style {
        Style::Circled => Cow::Owned(
            number
                .chars()
                .next()
                .map(|ch| (ch as u32 - '①' as u32 + 1).to_string())
                .unwrap_or_default(),
        ),
        _ => Cow::Borrowed(number),
    };
    Marked {
        style,
        number,
        rest: c.get(0).map_or(line, |m| &line[m.end()..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_problem_numbers_are_findings() {
        for line in [
            "问题1:台账不全",
            "反馈问题2:台账不全",
            "【问题三】台账不全",
            "存在问题4、台账不全",
        ] {
            let m = classify(line).expect(line);
            assert_eq!((m.style, m.rest), (Style::Problem, "台账不全"), "{line}");
        }
    }

    #[test]
    fn every_numbering_form() {
        fn read(line: &str) -> Option<(Style, String, String)> {
            classify(line).map(|m| (m.style, m.number.into_owned(), m.rest.to_string()))
        }
        fn some(style: Style, n: &str, rest: &str) -> Option<(Style, String, String)> {
            Some((style, n.to_string(), rest.to_string()))
        }
        assert_eq!(read("一、 甲"), some(Style::CnDun, "一", "甲"));
        assert_eq!(read("十二．甲"), some(Style::CnDun, "十二", "甲"));
        assert_eq!(read("(三) 、甲"), some(Style::CnParen, "三", "甲"));
        assert_eq!(read("（ 1 ）甲"), some(Style::ArParen, "1", "甲"));
        assert_eq!(read("12)甲"), some(Style::ArParen, "12", "甲"));
        assert_eq!(read("3 、甲"), some(Style::ArDot, "3", "甲"));
        assert_eq!(read("3.甲"), some(Style::ArDot, "3", "甲"));
        assert_eq!(read("1.5万元"), None);
        assert_eq!(read("1234.甲"), None);
        assert_eq!(read("一二三四五、甲"), None);
        assert_eq!(read("一是加强"), None);
        assert_eq!(read("(甲)乙"), None);
        assert_eq!(read("②甲"), some(Style::Circled, "2", "甲"));
    }

    /// The hand-read forms against the patterns they replace.
    fn by_pattern(line: &str) -> Option<(Style, String, String)> {
        let line = line.trim();
        let forms = [
            (
                Style::CnDun,
                r"^([一二三四五六七八九十百]{1,4})\s*[、．.]\s*",
            ),
            (
                Style::CnParen,
                r"^[(（]\s*([一二三四五六七八九十百]{1,4})\s*[)）]\s*[、.．]?\s*",
            ),
            (
                Style::ArParen,
                r"^(?:[(（]\s*([0-9]{1,3})\s*[)）]|([0-9]{1,3})[)）])\s*[、.．]?\s*",
            ),
            (Style::ArDot, r"^([0-9]{1,3})\s*([、．.])\s*"),
        ];
        for (style, pattern) in forms {
            let Some(c) = re(pattern).captures(line) else {
                continue;
            };
            let whole = c.get(0)?;
            let rest = &line[whole.end()..];
            if style == Style::ArDot
                && c.get(2).is_some_and(|m| m.as_str() == ".")
                && rest.starts_with(|ch: char| ch.is_ascii_digit())
            {
                continue;
            }
            let number = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
            return Some((style, number.to_string(), rest.to_string()));
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn hand_reading_agrees_with_the_patterns(line in "[ (（)）一二十百0-9、.．甲乙5]{0,12}") {
            let hand = classify(&line)
                .filter(|m| !matches!(m.style, Style::Circled | Style::Problem | Style::Part | Style::Unnumbered))
                .map(|m| (m.style, m.number.into_owned(), m.rest.to_string()));
            proptest::prop_assert_eq!(hand, by_pattern(&line));
        }
    }

    #[test]
    fn parts_are_numbered_headings() {
        assert_eq!(
            classify("第二部分:党建方面").map(|m| (m.style, m.number.into_owned(), m.rest)),
            Some((Style::Part, "二".to_string(), "党建方面"))
        );
        assert!(classify("第一责任人要履职").is_none());
    }
}
