//! Lines → the outline of a notice. Numbering styles are not tied to levels: the levels are
//! the styles in the order the document first uses them, the finding level is the one whose
//! items read like problems (针对“…”问题), the one or two levels above it are aspects and
//! categories, anything above those is a section of the document, and anything below it is
//! a measure.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{AspectHeading, Heading, Warning};

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
    LazyLock::new(|| re(r"^(?:[(（]\s*(\d{1,3})\s*[)）]|(\d{1,3})[)）])\s*[、.．]?\s*"));
static AR_DOT: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{1,3})\s*([、．.])\s*"));
static CIRCLED: LazyLock<Regex> = LazyLock::new(|| re(r"^([①-⑳])\s*"));
static PROBLEM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[【\[]?(?:反馈|存在|巡察反馈|巡视反馈|主要)?问题\s*([一二三四五六七八九十百]{1,4}|\d{1,3})\s*[】\]]?\s*[:：、.．]?\s*",
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

/// The numbering that opens a line, if any.
pub fn classify(line: &str) -> Option<Marked<'_>> {
    let line = line.trim();
    let first = line.chars().next()?;
    if !(first.is_ascii_digit()
        || "一二三四五六七八九十百(（①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳问针关反存巡主【[第".contains(first))
    {
        return None;
    }
    if let Some(c) = CN_DUN.captures(line) {
        return Some(marked(Style::CnDun, &c, 1, line));
    }
    if let Some(c) = CN_PAREN.captures(line) {
        return Some(marked(Style::CnParen, &c, 1, line));
    }
    if let Some(c) = AR_PAREN.captures(line) {
        let group = if c.get(1).is_some() { 1 } else { 2 };
        return Some(marked(Style::ArParen, &c, group, line));
    }
    if let Some(c) = AR_DOT.captures(line) {
        let rest = c.get(0).map_or("", |m| &line[m.end()..]);
        // 1.5万元 and 2022.3 are numbers, not numbering.
        let decimal = c.get(2).is_some_and(|m| m.as_str() == ".")
            && rest.starts_with(|ch: char| ch.is_ascii_digit());
        if !decimal {
            return Some(marked(Style::ArDot, &c, 1, line));
        }
    }
    if let Some(c) = CIRCLED.captures(line) {
        return Some(marked(Style::Circled, &c, 1, line));
    }
    if let Some(c) = PROBLEM.captures(line) {
        return Some(marked(Style::Problem, &c, 1, line));
    }
    if let Some(c) = PART.captures(line) {
        return Some(marked(Style::Part, &c, 1, line));
    }
    if ZHENDUI.is_match(line) {
        return Some(Marked {
            style: Style::Unnumbered,
            number: String::new(),
            rest: line,
        });
    }
    None
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

/// Where the closing part of a notice starts: the invitation to supervise, the contact
/// details, the signature.
static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(欢迎|如有|如对|联系方式|联系电话|联系人|电话|电子邮箱|邮箱|邮政|邮编|通信地址|通讯地址|来信|特此通报|附件[:：]|下一步|下步|今后|接下来|我们将|总之|总的来看|(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2})$)",
    )
});

/// Titles of document sections that are not problem groups.
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"下一步|工作打算|主要做法|整改工作开展|基本情况|总体情况|整改成效|取得的成效|体会|提高政治站位|加强组织领导|高度重视|整改工作的|整改落实情况|整改进展情况|整改工作情况|长效机制",
    )
});

/// Sections whose numbered items are not findings even when they read like them: the
/// account of how the work was organised, and the plans for what comes next.
static ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"下一步|工作打算|主要做法|基本情况|总体情况|整改成效|取得的成效|体会|提高政治站位|加强组织领导|高度重视",
    )
});

static PROBLEMISH: LazyLock<Regex> = LazyLock::new(|| {
    re(r"不|未|差距|问题|薄弱|缺|弱化|虚化|淡化|有待|欠|偏|松|滞后|失|乏|低|慢|少|乱|违")
});

/// A heading that names one problem: 针对“…”问题, 关于“…”的问题, 针对…的问题. Headings
/// about a whole area (关于…方面的问题) name a group, not a finding.
static QUOTED_PROBLEM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^(?:针对|关于)[^。;；“"「『]{0,12}[“"「『‘'].+?[”"」』’']|^(?:针对|关于)[^。;；]{2,80}?问题"#,
    )
});
static AREA: LazyLock<Regex> =
    LazyLock::new(|| re(r"^.{0,60}?方面(?:的问题|存在的问题|问题)?\s*[。.:：]?$"));

/// What an account of work done opens with, as opposed to a problem statement.
static ACTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:已|建立|制定|开展|召开|完成|组织|印发|修订|出台|加强|强化|推进|落实|梳理|成立|严格|持续|举办|对|结合|聘请|实行|推行|明确|规范|健全|完善|坚持|深入|全面|及时|每|按|围绕|将|由|督促|要求|采取|重新|补充|整改|目前)",
    )
});

fn names_a_problem(style: Style, rest: &str) -> bool {
    // Only the opening of the heading matters, and headings can run on into long text.
    let opening = match rest.char_indices().nth(100) {
        Some((i, _)) => &rest[..i],
        None => rest,
    };
    style == Style::Unnumbered
        || style == Style::Problem
        || (QUOTED_PROBLEM.is_match(opening)
            && !AREA.is_match(rest.split(['。', ';', '；']).next().unwrap_or("")))
}

/// One numbered item of the outline, with the lines of text that follow it.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub level: usize,
    pub style: Style,
    pub number: String,
    pub rest: &'a str,
    /// 0-based index of the heading line.
    pub line: usize,
    /// 0-based indexes of the plain lines that follow, before the next item.
    pub body: Vec<usize>,
    /// Whether the heading names one problem, worked out once (`names_a_problem`).
    pub problem: bool,
}

/// A finding with what belongs to it: its heading and everything below it.
#[derive(Debug, Clone)]
pub struct FindingItem<'a> {
    pub number: String,
    pub rest: &'a str,
    pub line: usize,
    pub category: Option<usize>,
    pub aspect: Option<usize>,
    /// Lines below the heading: (0-based line, text, the numbering of a measure line if the
    /// line is one).
    pub body: Vec<(usize, &'a str, Option<String>)>,
}

#[derive(Debug, Default)]
pub struct Tree<'a> {
    pub categories: Vec<Heading>,
    pub aspects: Vec<AspectHeading>,
    pub findings: Vec<FindingItem<'a>>,
}

fn clean_title(s: &str) -> String {
    s.trim()
        .trim_end_matches(['。', '.', ';', '；', ':', '：', ',', '，', ' '])
        .to_string()
}

pub fn build<'a>(lines: &[&'a str], warnings: &mut Vec<Warning>) -> Tree<'a> {
    // Pass 1: items in order, each with the plain lines after it.
    let mut items: Vec<Item<'a>> = Vec::new();
    let mut levels: Vec<Style> = Vec::new();
    let mut closed = false;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(m) = classify(line) {
            let level = match levels.iter().position(|s| *s == m.style) {
                Some(l) => l,
                None => {
                    levels.push(m.style);
                    levels.len() - 1
                }
            };
            closed = false;
            items.push(Item {
                level,
                style: m.style,
                number: m.number,
                rest: m.rest,
                line: i,
                body: vec![],
                problem: names_a_problem(m.style, m.rest),
            });
        } else if CLOSING.is_match(line) {
            closed = true;
        } else if !closed {
            if let Some(last) = items.last_mut() {
                // A number alone on its line: its heading is the next line.
                if last.rest.is_empty() && last.body.is_empty() {
                    last.rest = line;
                    last.problem = names_a_problem(last.style, line);
                } else {
                    last.body.push(i);
                }
            }
        }
    }
    if items.is_empty() {
        return Tree::default();
    }
    let level_count = merge_interchangeable_levels(&mut items, levels.len());

    let finding_level = finding_level(&items, level_count, lines);
    // Levels above the findings: the section-like ones are document structure, the nearest
    // two of the rest are aspects (just above) and categories.
    // Only headings with findings below them say what a level is for.
    let has_findings: Vec<bool> = (0..items.len())
        .map(|i| {
            items[i + 1..]
                .iter()
                .take_while(|it| it.level > items[i].level)
                .any(|it| it.level == finding_level)
        })
        .collect();
    let section_like: Vec<bool> = (0..level_count)
        .map(|l| {
            let titles: Vec<&str> = items
                .iter()
                .zip(&has_findings)
                .filter(|(it, has)| it.level == l && **has)
                .map(|(it, _)| it.rest)
                .collect();
            let sections = titles
                .iter()
                .filter(|t| SECTION.is_match(t) && !QUOTED_PROBLEM.is_match(t))
                .count();
            l < finding_level && !titles.is_empty() && sections * 2 >= titles.len()
        })
        .collect();
    let grouping: Vec<usize> = (0..finding_level).filter(|l| !section_like[*l]).collect();
    let (cat_level, asp_level) = match grouping.as_slice() {
        [] => (None, None),
        [only] => (Some(*only), None),
        [.., c, a] => (Some(*c), Some(*a)),
    };

    // Pass 2: walk the items, keeping the current category, aspect and section.
    let mut tree = Tree::default();
    // The current category and aspect headings, as indexes into `items`.
    let mut cat: Option<usize> = None;
    let mut asp: Option<usize> = None;
    let mut pending_cats: HashMap<usize, usize> = HashMap::new(); // item index → category index
    let mut pending_asps: HashMap<usize, usize> = HashMap::new();
    let mut skip_section = false;
    let mut current: Option<FindingItem<'a>> = None;
    for (idx, it) in items.iter().enumerate() {
        if it.level < finding_level {
            if let Some(f) = current.take() {
                tree.findings.push(f);
            }
            if section_like[it.level] || (it.level < cat_level.unwrap_or(0)) {
                skip_section = ASIDE.is_match(it.rest)
                    && !QUOTED_PROBLEM.is_match(it.rest)
                    && !PROBLEMISH.is_match(it.rest.split(['。', ':', '：']).next().unwrap_or(""));
                cat = None;
                asp = None;
            }
            if Some(it.level) == cat_level {
                cat = Some(idx);
                asp = None;
            } else if Some(it.level) == asp_level {
                asp = Some(idx);
            }
            // Text under a heading above the findings is commentary, not a finding.
            continue;
        }
        if it.level == finding_level {
            if let Some(f) = current.take() {
                tree.findings.push(f);
            }
            if skip_section {
                warnings.push(Warning {
                    line: Some(it.line + 1),
                    message: "该条目位于非问题章节（如“下一步工作”），未作为问题读取".into(),
                });
                continue;
            }
            let category = cat.map(|ci| {
                let n = tree.categories.len();
                *pending_cats.entry(ci).or_insert_with(|| {
                    let c = &items[ci];
                    tree.categories.push(Heading {
                        number: c.number.clone(),
                        title: clean_title(c.rest),
                        line: c.line + 1,
                    });
                    n
                })
            });
            let aspect = asp.map(|ai| {
                let n = tree.aspects.len();
                *pending_asps.entry(ai).or_insert_with(|| {
                    let a = &items[ai];
                    tree.aspects.push(AspectHeading {
                        number: a.number.clone(),
                        title: clean_title(a.rest),
                        category,
                        line: a.line + 1,
                    });
                    n
                })
            });
            let number = if it.style == Style::Unnumbered {
                (tree.findings.len() + 1).to_string()
            } else {
                it.number.clone()
            };
            current = Some(FindingItem {
                number,
                rest: it.rest,
                line: it.line,
                category,
                aspect,
                body: it
                    .body
                    .iter()
                    .map(|&b| (b, lines[b].trim(), None))
                    .collect(),
            });
            continue;
        }
        // Deeper than a finding: a measure line of the current finding.
        if let Some(f) = current.as_mut() {
            f.body.push((it.line, it.rest, Some(it.number.clone())));
            f.body
                .extend(it.body.iter().map(|&b| (b, lines[b].trim(), None)));
        } else {
            warnings.push(Warning {
                line: Some(it.line + 1),
                message: "编号条目不属于任何问题，已跳过".into(),
            });
        }
    }
    if let Some(f) = current.take() {
        tree.findings.push(f);
    }
    for (idx, it) in items.iter().enumerate() {
        let grouping_item = Some(it.level) == cat_level || Some(it.level) == asp_level;
        if grouping_item && !pending_cats.contains_key(&idx) && !pending_asps.contains_key(&idx) {
            warnings.push(Warning {
                line: Some(it.line + 1),
                message: format!("标题“{}”下没有问题，未计入", clean_title(it.rest)),
            });
        }
    }
    tree
}

/// Two numbering styles that both head problems, where one never appears inside the other
/// (findings numbered (1) under one category and 1. under the next), are one level. Returns
/// the number of levels left.
fn merge_interchangeable_levels(items: &mut [Item<'_>], levels: usize) -> usize {
    let mut levels = levels;
    while let Some((a, b)) = interchangeable_pair(items, levels) {
        for it in items.iter_mut() {
            if it.level == b {
                it.level = a;
            } else if it.level > b {
                it.level -= 1;
            }
        }
        levels -= 1;
    }
    levels
}

fn interchangeable_pair(items: &[Item<'_>], levels: usize) -> Option<(usize, usize)> {
    let problem_ratio = |l: usize| {
        let at: Vec<&Item<'_>> = items.iter().filter(|it| it.level == l).collect();
        at.iter().filter(|it| it.problem).count() as f64 / at.len().max(1) as f64
    };
    let heads: Vec<bool> = (0..levels).map(|l| problem_ratio(l) >= 0.5).collect();
    let nests = |a: usize, b: usize| {
        // The level each item hangs under: the nearest earlier item of a shallower level.
        let mut stack: Vec<usize> = Vec::new();
        items.iter().any(|it| {
            while stack.last().is_some_and(|&top| top >= it.level) {
                stack.pop();
            }
            let under_a = it.level == b && stack.last() == Some(&a);
            stack.push(it.level);
            under_a
        })
    };
    (0..levels)
        .flat_map(|a| (a + 1..levels).map(move |b| (a, b)))
        .find(|&(a, b)| heads[a] && heads[b] && !nests(a, b))
}

/// The level whose items are the findings: the one whose headings name problems, else the
/// shallowest whose items carry enumerated measures, else the deepest whose headings read
/// like problems rather than accounts of work.
fn finding_level(items: &[Item<'_>], levels: usize, lines: &[&str]) -> usize {
    let at = |l: usize| items.iter().filter(move |it| it.level == l);
    let ratio = |l: usize, f: &dyn Fn(&Item<'_>) -> bool| {
        let n = at(l).count();
        if n == 0 {
            0.0
        } else {
            at(l).filter(|it| f(it)).count() as f64 / n as f64
        }
    };
    let mut best: Option<(usize, f64)> = None;
    for l in 0..levels {
        let r = ratio(l, &|it| it.problem);
        // On a tie the deeper level: a group heading may name a problem too.
        if r >= 0.3 && best.is_none_or(|(_, b)| r >= b) {
            best = Some((l, r));
        }
    }
    if let Some((l, _)) = best {
        return l;
    }
    let text_of = |it: &Item<'_>| {
        let mut t = it.rest.to_string();
        for &b in &it.body {
            t.push('\n');
            t.push_str(lines[b]);
        }
        t
    };
    for l in 0..levels {
        if ratio(l, &|it| crate::measures::has_enumeration(&text_of(it))) > 0.5 {
            return l;
        }
    }
    let first_sentence = |it: &Item<'_>| {
        it.rest
            .split(['。', ':', '：'])
            .next()
            .unwrap_or("")
            .to_string()
    };
    (0..levels)
        .rev()
        .find(|&l| {
            ratio(l, &|it| PROBLEMISH.is_match(&first_sentence(it))) >= 0.5
                && ratio(l, &|it| ACTION.is_match(it.rest)) < 0.5
                && ratio(l, &|it| SECTION.is_match(it.rest)) < 0.5
        })
        .unwrap_or(levels.saturating_sub(1).min(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> (usize, usize, Vec<String>) {
        let lines: Vec<&str> = text.split('\n').collect();
        let t = build(&lines, &mut Vec::new());
        (
            t.categories.len(),
            t.aspects.len(),
            t.findings.iter().map(|f| f.rest.to_string()).collect(),
        )
    }

    #[test]
    fn numbering_styles_take_levels_in_order_of_use() {
        let (c, a, f) = tree("(一)甲方面\n1.乙不到位\n①针对“丙”问题。一是;二是\n②针对“丁”问题。");
        assert_eq!((c, a, f.len()), (1, 1, 2));
    }

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
        let (c, _, f) = tree("第一方面 党的领导\n(1)针对“甲”问题。已整改\n第二方面 党的建设\n(2)针对“乙”问题。已整改");
        assert_eq!((c, f.len()), (2, 2));
    }

    #[test]
    fn findings_numbered_two_ways_are_one_level() {
        let (c, _, f) = tree("一、甲方面\n(1)针对“甲一”问题。一是;二是\n(2)针对“甲二”问题。已整改\n二、乙方面\n1.针对“乙一”问题。已整改\n①补记台账");
        assert_eq!((c, f.len()), (2, 3));
    }

    #[test]
    fn area_headings_are_groups_not_findings() {
        let (c, a, f) = tree("一、关于党的领导方面的问题\n(一)学习不深入。整改情况:一是甲;二是乙\n(二)制度不健全。整改情况:一是甲;二是乙");
        assert_eq!((c, a, f.len()), (1, 0, 2));
    }

    #[test]
    fn quoted_area_headings_are_groups_too() {
        let (c, _, f) = tree("一、关于“三重一大”决策方面\n(一)针对“议事规则不健全”问题。一是甲;二是乙\n二、关于“两个责任”方面的问题\n(二)针对“监督缺位”问题。已整改");
        assert_eq!((c, f.len()), (2, 2));
        let (_, _, f) =
            tree("(一)针对“财务方面制度不全”问题。已整改\n(二)针对“台账缺失”问题。已补齐");
        assert_eq!(
            f.len(),
            2,
            "方面 inside a finding's quote does not make it a group"
        );
    }

    #[test]
    fn sections_without_findings_are_not_categories() {
        let (c, _, f) = tree("一、主要做法\n(一)加强领导\n二、整改落实情况\n(一)党建方面\n1.针对“甲”问题。已整改\n三、下一步工作打算\n(一)巩固成果");
        assert_eq!((c, f.len()), (1, 1));
    }

    #[test]
    fn problem_headings_over_action_lines() {
        let (c, _, f) = tree("一、党建\n(一)责任落实不够\n1.制定清单。\n2.开展述职。\n(二)教育流于形式\n1.开展教育。");
        assert_eq!((c, f.len()), (1, 2));
    }

    #[test]
    fn a_number_alone_takes_the_next_line_as_its_heading() {
        let (c, _, f) = tree("一、\n党建方面\n(1)\n针对“台账缺失”问题。一是补记;二是核对");
        assert_eq!(c, 1);
        assert_eq!(f, vec!["针对“台账缺失”问题。一是补记;二是核对".to_string()]);
    }

    #[test]
    fn an_epilogue_ends_the_last_finding() {
        let lines: Vec<&str> =
            "一、甲\n(1)针对“乙”问题。一是甲;二是乙\n下一步,我们将:一是;二是;三是"
                .split('\n')
                .collect();
        let t = build(&lines, &mut Vec::new());
        assert!(t.findings[0].body.is_empty());
    }
}
