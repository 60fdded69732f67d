//! The numbering that opens a line: 一、 (一) 1. (1) ① 问题1: 第一部分, or a paragraph
//! opening with 针对“…” and no number. Each pattern matches only the numbering, so
//! classifying a line costs the length of its numbering, not of the line.

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
    pub number: String,
    pub rest: &'a str,
}

// Each pattern matches only the numbering; the rest of the line is what follows the match,
// so classifying a line costs the length of its numbering, not of the line.
static CN_DUN: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([一二三四五六七八九十百]{1,4})\s*[、．.]\s*"));
static CN_PAREN: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[(（]\s*([一二三四五六七八九十百]{1,4})\s*[)）]\s*[、.．]?\s*"));
static AR_PAREN: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:[(（]\s*([0-9]{1,3})\s*[)）]|([0-9]{1,3})[)）])\s*[、.．]?\s*"));
static AR_DOT: LazyLock<Regex> = LazyLock::new(|| re(r"^([0-9]{1,3})\s*([、．.])\s*"));
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

/// The numbering that opens a line, if any. The first character says which patterns can
/// match, so most lines are decided without running any.
pub fn classify(line: &str) -> Option<Marked<'_>> {
    let line = line.trim();
    let first = line.chars().next()?;
    match first {
        '0'..='9' => arabic(line),
        '(' | '（' => {
            if let Some(c) = CN_PAREN.captures(line) {
                return Some(marked(Style::CnParen, &c, 1, line));
            }
            arabic(line)
        }
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' => CN_DUN
            .captures(line)
            .map(|c| marked(Style::CnDun, &c, 1, line)),
        '①'..='⑳' => CIRCLED
            .captures(line)
            .map(|c| marked(Style::Circled, &c, 1, line)),
        '问' | '反' | '存' | '巡' | '主' | '【' | '[' => PROBLEM
            .captures(line)
            .map(|c| marked(Style::Problem, &c, 1, line)),
        '第' => PART.captures(line).map(|c| marked(Style::Part, &c, 1, line)),
        '针' | '关' if ZHENDUI.is_match(line) => Some(Marked {
            style: Style::Unnumbered,
            number: String::new(),
            rest: line,
        }),
        _ => None,
    }
}

/// (1) 1) 1. 1、
fn arabic(line: &str) -> Option<Marked<'_>> {
    if let Some(c) = AR_PAREN.captures(line) {
        let group = if c.get(1).is_some() { 1 } else { 2 };
        return Some(marked(Style::ArParen, &c, group, line));
    }
    let c = AR_DOT.captures(line)?;
    let rest = c.get(0).map_or("", |m| &line[m.end()..]);
    // 1.5万元 and 2022.3 are numbers, not numbering.
    let decimal =
        c.get(2).is_some_and(|m| m.as_str() == ".") && rest.starts_with(|ch: char| ch.is_ascii_digit());
    (!decimal).then(|| marked(Style::ArDot, &c, 1, line))
}

fn marked<'a>(style: Style, c: &regex::Captures<'a>, number: usize, line: &'a str) -> Marked<'a> {
    let number = c.get(number).map_or("", |m| m.as_str());
    let number = match style {
        Style::Circled => number
            .chars()
            .next()
            .map(|ch| (ch as u32 - '①' as u32 + 1).to_string())
            .unwrap_or_default(),
        _ => number.to_string(),
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
    fn parts_are_numbered_headings() {
        assert_eq!(
            classify("第二部分:党建方面").map(|m| (m.style, m.number, m.rest)),
            Some((Style::Part, "二".to_string(), "党建方面"))
        );
        assert!(classify("第一责任人要履职").is_none());
    }
}
