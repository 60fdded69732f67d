//! A finding's heading and text → its title, measures and inferred status. Measures are
//! numbered lines below the finding, or enumerations inside its text (一是…二是…, 第一,…,
//! ①②, 1.…2.…), or, when there are none, one block holding the whole text.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::extract;
use crate::model::{Finding, Measure, Warning};
use crate::outline::{re, FindingItem, Tree};
use crate::scan;
use crate::status::status;

static QUOTE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:等)?(?:的)?(?:问题|方面问题|方面)?(?:的)?(?:整改(?:情况|进展情况|进展|落实情况|措施))?\s*[。.,，:：;；]?\s*",
    )
});
static BARE_ZHENDUI: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:针对|关于)(.{2,80}?)(?:的)?问题\s*[。.,，:：;；]?\s*"));
pub(crate) static LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:存在的?|反馈的?|巡察|巡视)?问题(?:描述|表现)?\s*[:：]\s*"));
/// Where the problem statement of a bare heading ends and the account of the work begins.
/// An explicit start of the account of work on a heading line.
static TITLE_END: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"整改(?:措施|情况|进展|落实情况|成效|结果)\s*[:：]?|[:：]|(?:^|[。;；,，])\s*(?:一是|第一\s*[,，、]|①|1[.、]|[(（][1一][)）])",
    )
});
/// How a sentence of the account of work opens, as opposed to more of the problem.
static ACCOUNT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:已|正在|力争|建立|制定|开展|召开|完成|组织|印发|修订|出台|加强|强化|推进|落实|梳理|成立|严格|持续|举办|对|结合|聘请|实行|推行|明确|规范|健全|完善|坚持|深入|全面|及时|每|按|围绕|将|由|督促|要求|采取|重新|补充|整改|目前|截至|截止|经|通过|针对|按照|根据|为|在|局党组|党组|党委|我局|我委|我们|本单位|该|立即|迅速|认真|专门|自|今年|去年|近年|年初|[0-9]{4}年)",
    )
});
/// A line reporting how the measures went, after them: 整改进展：… / 完成情况：….
/// Labels are written 整改进展： or 【整改进展】.
static PROGRESS: LazyLock<Regex> = LazyLock::new(|| {
    let words = "整改进展|整改进度|进展情况|完成情况|整改完成情况|整改成效|整改结果";
    re(&format!(
        r"^(?:目前)?(?:【(?:{words})】\s*[:：]?|(?:{words})\s*[:：])"
    ))
});
static LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    let label = "整改(?:措施|情况|进展|落实情况|成效|结果)";
    re(&format!(
        r"^(?:【{label}】\s*[:：]?\s*|{label}\s*[:：]?\s*)"
    ))
});

pub fn cn_number(s: &str) -> Option<usize> {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => digit(*u).map(|u| 10 + u),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// The run 1, 2, 3, … of one style of inline enumeration in `text`, as (where the marker
/// starts, where the measure's own text starts).
pub(crate) fn best_run(text: &str) -> Vec<(usize, usize)> {
    scan::run_of(&scan::scan(text, false).markers)
}

/// `针对“…”问题`: the quoted problem, with the quote closed by its own partner (so ‘…’
/// inside “…” stays in), a few words allowed before it (针对巡察反馈的“…”), and several
/// quotes joined (针对“甲”和“乙”问题).
fn quoted(rest: &str) -> Option<(&str, &str)> {
    let after_lead = rest
        .strip_prefix("针对")
        .or_else(|| rest.strip_prefix("关于"))?;
    let (skip, open) = after_lead
        .char_indices()
        .take(13)
        .take_while(|(_, c)| !matches!(c, '。' | ';' | '；' | ',' | '，'))
        .find(|(_, c)| matches!(c, '“' | '"' | '「' | '『' | '‘' | '\''))?;
    let close = match open {
        '“' => '”',
        '「' => '」',
        '『' => '』',
        '‘' => '’',
        other => other,
    };
    let start = skip + open.len_utf8();
    let mut end = closing(&after_lead[start..], open, close)? + start;
    // 和“乙” / 、“乙” / 及“乙”: the next quote belongs to the same title.
    loop {
        let tail = &after_lead[end + close.len_utf8()..];
        let Some(next) = tail
            .strip_prefix(['和', '、', '及', '与', ',', '，'])
            .and_then(|t| t.strip_prefix(open))
        else {
            break;
        };
        let from = after_lead.len() - next.len();
        match closing(next, open, close) {
            Some(i) => end = from + i,
            None => break,
        }
    }
    Some((
        &after_lead[start..end],
        &after_lead[end + close.len_utf8()..],
    ))
}

/// Where `close` ends a quote opened just before `s`, counting nested pairs.
fn closing(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        if c == close && depth == 0 {
            return Some(i);
        }
        if c == open && open != close {
            depth += 1;
        } else if c == close {
            depth = depth.saturating_sub(1);
        }
    }
    None
}

pub fn has_enumeration(text: &str) -> bool {
    !best_run(text).is_empty()
}

/// The problem as stated, and what follows it on the heading line.
pub fn split_title(rest: &str) -> (String, &str) {
    let rest = rest.trim();
    if let Some((title, after)) = quoted(rest) {
        let end = QUOTE_TAIL.find(after).map_or(0, |m| m.end());
        // The quote is the problem when only the words that close such a heading follow
        // it (…”问题。 / …”的整改情况:); 关于“三重一大”决策制度执行不严格的问题 names more
        // than its quote.
        if end > 0 || after.trim().is_empty() {
            return (title.trim().to_string(), &after[end..]);
        }
    }
    if let Some(c) = BARE_ZHENDUI.captures(rest) {
        let title = c.get(1).map_or("", |m| m.as_str());
        let end = c.get(0).map_or(0, |m| m.end());
        // An opening quote never closed (针对“学习不深入的问题) is dropped; one that closes
        // inside the title stays.
        let title = match title.strip_prefix(['“', '"']) {
            Some(inner) if !inner.contains(['”', '"']) => inner,
            _ => title,
        };
        return (title.to_string(), &rest[end..]);
    }
    let body = match LABEL.find(rest) {
        Some(m) => &rest[m.end()..],
        None => rest,
    };
    // The problem runs until the account of work starts: an explicit label or enumeration,
    // or else the first sentence that reads like work done.
    let limit = TITLE_END.find(body).filter(|m| m.start() > 0);
    let head = limit.map_or(body, |m| &body[..m.start()]);
    let mut end = 0;
    for sentence in head.split_inclusive('。') {
        if end > 0 && ACCOUNT.is_match(sentence.trim_start()) {
            break;
        }
        end += sentence.len();
    }
    let title = body[..end]
        .trim()
        .trim_end_matches(['。', '.', ',', '，', ';', '；'])
        .trim();
    let rest = match limit {
        // An enumeration opens the rest: keep its first marker for the measures.
        Some(m) if end == m.start() => {
            let marker = m
                .as_str()
                .trim_start_matches(['。', ';', '；', ',', '，', ' ']);
            &body[m.end() - marker.len()..]
        }
        _ => &body[end..],
    };
    let rest = rest.trim_start_matches(['。', ' ', ':', '：', ',', '，', ';', '；']);
    (title.to_string(), rest)
}

/// A measure's text without the spaces around it and the punctuation that closed it: a
/// piece of `s` that starts where `s.trim_start()` does.
pub(crate) fn trimmed_measure(s: &str) -> &str {
    s.trim()
        .trim_end_matches([';', '；', ',', '，', '。', ' ', '\n'])
        .trim()
}

/// Reads the findings of `tree` in order, each handed to `each` as soon as it is read.
pub fn each_finding(
    tree: &Tree<'_>,
    context_year: Option<i32>,
    warnings: &mut Vec<Warning>,
    mut each: impl FnMut(Finding),
) {
    for f in &tree.findings {
        each(finding(f, context_year, warnings));
    }
}

fn finding(f: &FindingItem<'_>, context_year: Option<i32>, warnings: &mut Vec<Warning>) -> Finding {
    let (title, after) = split_title(f.rest);
    let after = LEAD_IN
        .find(after.trim())
        .map_or(after.trim(), |m| &after.trim()[m.end()..]);
    // The finding's text as (line, text) pieces, the heading's remainder first.
    // (line, text, the whole line of a numbered measure line)
    let mut pieces: Vec<(usize, &str, Option<&str>)> = Vec::new();
    if !after.trim().is_empty() {
        pieces.push((f.line, after, None));
    }
    pieces.extend(f.body.iter().copied());
    // A line of its own after the measures that reports how they went (整改进展：…) counts
    // for the status but is no measure's text.
    let report_at = pieces
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, p)| p.2.is_none() && PROGRESS.is_match(p.1.trim_start()))
        .map(|(k, _)| k);
    let report: Vec<&str> = match report_at {
        Some(k) => pieces.drain(k..).map(|p| p.1).collect(),
        None => Vec::new(),
    };

    // Measures borrow from the lines, or from the finding's text joined when it spans
    // several: each is copied once, when it is trimmed. Those cut from the joined text keep
    // where they start in it, to take their mentions from the one scan of it.
    let mut measures: Vec<(usize, Cow<'_, str>, Option<usize>)> = Vec::new();
    let joined: Cow<'_, str>;
    let mut scanned = scan::Scanned::default();
    if pieces.iter().any(|p| p.2.is_some()) {
        // Numbered lines below the finding: one measure each, with the plain lines after it.
        for (line, text, numbered) in &pieces {
            match numbered {
                // (1)甲;(2)乙 on one line: the line's own number opens a run that goes on
                // inline, and each item of it is a measure.
                Some(whole) => {
                    let run = best_run(whole);
                    if run.first().is_some_and(|first| first.0 == 0) {
                        for (i, &(_, content)) in run.iter().enumerate() {
                            let end = run.get(i + 1).map_or(whole.len(), |next| next.0);
                            measures.push((*line, Cow::Borrowed(&whole[content..end]), None));
                        }
                    } else {
                        measures.push((*line, Cow::Borrowed(text), None));
                    }
                }
                None => {
                    if let Some(last) = measures.last_mut() {
                        let m = last.1.to_mut();
                        m.push('\n');
                        m.push_str(text);
                    }
                }
            }
        }
    } else {
        let mut starts: Vec<(usize, usize)> = Vec::new();
        joined = match pieces.as_slice() {
            [(line, text, _)] => {
                starts.push((0, *line));
                Cow::Borrowed(text)
            }
            _ => {
                let mut all = String::new();
                for (line, text, _) in &pieces {
                    if !all.is_empty() {
                        all.push('\n');
                    }
                    starts.push((all.len(), *line));
                    all.push_str(text);
                }
                Cow::Owned(all)
            }
        };
        let line_at = |pos: usize| {
            starts
                .iter()
                .rev()
                .find(|(s, _)| *s <= pos)
                .map_or(f.line, |(_, l)| *l)
        };
        scanned = scan::scan(&joined, true);
        let run = scan::run_of(&scanned.markers);
        if run.is_empty() {
            // One block of text: without the 整改情况: label it may open with.
            let block = joined.trim_start();
            let block = LEAD_IN.find(block).map_or(block, |m| &block[m.end()..]);
            if !block.trim().is_empty() {
                let at = joined.len() - block.len();
                measures.push((line_at(at), Cow::Borrowed(block), Some(at)));
            }
        } else {
            for (i, &(marker, content)) in run.iter().enumerate() {
                let end = run.get(i + 1).map_or(joined.len(), |next| next.0);
                let text = &joined[content..end];
                measures.push((line_at(marker), Cow::Borrowed(text), Some(content)));
            }
        }
    }
    if measures.is_empty() {
        warnings.push(Warning {
            line: Some(f.line + 1),
            message: "问题下没有整改措施的文字，按一项措施计".into(),
        });
        measures.push((f.line, Cow::Borrowed(f.rest.trim()), None));
    }
    let texts: Vec<&str> = measures
        .iter()
        .map(|m| m.1.as_ref())
        .chain(report)
        .collect();
    Finding {
        number: f.number.to_string(),
        title,
        category: f.category,
        aspect: f.aspect,
        line: f.line + 1,
        status: status(&texts),
        measures: measures
            .into_iter()
            .enumerate()
            .map(|(i, (line, text, at))| {
                let trimmed = trimmed_measure(&text);
                let (quantities, dates) = match at {
                    Some(at) => {
                        let lead = text.len() - text.trim_start().len();
                        scan::mentions_of(trimmed, at + lead, &scanned.mentions, context_year)
                    }
                    None => extract::mentions(trimmed, context_year),
                };
                Measure {
                    ordinal: i + 1,
                    quantities,
                    dates,
                    documents: extract::documents(trimmed),
                    text: trimmed.to_string(),
                    line: line + 1,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_line_after_the_measures_is_no_measure_but_sets_the_status() {
        let text = "一、党建方面\n(一)关于“台账不全”的问题\n整改措施:1.补齐台账;2.建立核对制度。\n整改进展:已全部整改到位。\n(二)关于“制度不健全”的问题\n整改进展:一是修订制度;二是组织培训";
        let n = crate::parse_text(text, "t", "utf-8", "");
        let texts = |i: usize| -> Vec<&str> {
            n.findings[i]
                .measures
                .iter()
                .map(|m| m.text.as_str())
                .collect()
        };
        assert_eq!(texts(0), ["补齐台账", "建立核对制度"]);
        assert_eq!(n.findings[0].status, crate::model::FindingStatus::Done);
        // A label that opens the finding's text introduces its measures.
        assert_eq!(texts(1), ["修订制度", "组织培训"]);
        // The same labels in brackets.
        let n = crate::parse_text(
            "【问题1】台账不全。\n【整改措施】一是补齐台账;二是建立核对制度。\n【整改进展】已完成整改。\n【问题2】制度不全。\n【整改措施】修订制度。",
            "t",
            "utf-8",
            "",
        );
        let texts: Vec<Vec<&str>> = n
            .findings
            .iter()
            .map(|f| f.measures.iter().map(|m| m.text.as_str()).collect())
            .collect();
        assert_eq!(texts, [vec!["补齐台账", "建立核对制度"], vec!["修订制度"]]);
        assert_eq!(n.findings[0].status, crate::model::FindingStatus::Done);
    }

    #[test]
    fn the_signature_above_the_closing_date_is_no_measure_text() {
        let last = |text: &str| {
            let n = crate::parse_text(text, "t", "utf-8", "");
            n.findings
                .last()
                .and_then(|f| f.measures.last())
                .map(|m| m.text.clone())
        };
        let body = "一、党建方面\n(一)台账不全。\n补齐台账;\n建立核对制度。\n";
        assert_eq!(
            last(&format!("{body}中共示例局党组\n2023年12月1日")).as_deref(),
            Some("补齐台账;\n建立核对制度")
        );
        // A line that names no body stays the measure's, date or not.
        assert_eq!(
            last(&format!("{body}长期坚持\n2023年12月1日")).as_deref(),
            Some("补齐台账;\n建立核对制度。\n长期坚持")
        );
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(cn_number("三"), Some(3));
        assert_eq!(cn_number("十"), Some(10));
        assert_eq!(cn_number("十二"), Some(12));
        assert_eq!(cn_number("二十"), Some(20));
        assert_eq!(cn_number("三十五"), Some(35));
        assert_eq!(cn_number("百"), None);
    }

    #[test]
    fn titles_come_from_quotes_labels_or_the_first_sentence() {
        assert_eq!(
            split_title("针对“会议记录缺失”问题。一是补记").0,
            "会议记录缺失"
        );
        assert_eq!(
            split_title("关于\"资金拨付慢\"的问题:已拨付").0,
            "资金拨付慢"
        );
        assert_eq!(split_title("针对学习不深入的问题,一是").0, "学习不深入");
        assert_eq!(split_title("问题:台账不全。整改情况:已补齐").0, "台账不全");
        assert_eq!(split_title("问题描述:台账不全。").0, "台账不全");
        assert_eq!(
            split_title("公车管理不规范。一是修订制度").0,
            "公车管理不规范"
        );
        assert_eq!(split_title("值班制度落实不严").0, "值班制度落实不严");
        assert_eq!(
            split_title("学习不深入。研讨次数不足。"),
            ("学习不深入。研讨次数不足".to_string(), "")
        );
        assert_eq!(
            split_title("公车管理不规范。已修订办法。"),
            ("公车管理不规范".to_string(), "已修订办法。")
        );
        assert_eq!(
            split_title("公车管理不规范。一是修订;二是检查"),
            ("公车管理不规范".to_string(), "一是修订;二是检查")
        );
        assert_eq!(
            split_title("公车管理不规范,一是修订;二是检查").0,
            "公车管理不规范"
        );
        assert_eq!(
            split_title("公车管理不规范。(1)修订办法;(2)开展检查"),
            ("公车管理不规范".to_string(), "(1)修订办法;(2)开展检查")
        );
        assert_eq!(
            split_title("教育管理不严。正在开展警示教育").0,
            "教育管理不严"
        );
        assert_eq!(
            LEAD_IN.find("整改情况:已补齐").map(|m| m.end()),
            Some("整改情况:".len())
        );
        assert_eq!(
            split_title("针对“‘三会一课’不规范”问题。").0,
            "‘三会一课’不规范"
        );
        assert_eq!(split_title("针对巡察反馈的“台账缺失”问题。").0, "台账缺失");
        assert_eq!(
            split_title("关于“三重一大”决策制度执行不严格的问题").0,
            "“三重一大”决策制度执行不严格"
        );
        assert_eq!(
            split_title("关于“台账缺失”问题的整改情况:已补齐"),
            ("台账缺失".to_string(), "已补齐")
        );
        assert_eq!(
            split_title("针对“甲不严”和“乙不实”问题。一是").0,
            "甲不严”和“乙不实"
        );
    }

    #[test]
    fn the_longest_enumeration_wins() {
        assert_eq!(best_run("一是甲;二是乙;三是丙").len(), 3);
        assert_eq!(best_run("第一,甲。第二,乙").len(), 2);
        assert_eq!(best_run("其一,甲;其二,乙;其三,丙").len(), 3);
        assert_eq!(best_run("①甲②乙③丙④丁").len(), 4);
        assert_eq!(best_run("1.甲;2.乙").len(), 2);
        assert!(best_run("投入1.5万元,完成2项").is_empty());
        assert!(best_run("只有一是这一条").is_empty());
        // A list inside a measure does not outrank the measures themselves.
        assert_eq!(best_run("一是整改(1)甲(2)乙(3)丙;二是建制").len(), 2);
    }
}
