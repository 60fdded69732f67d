//! Lines → the outline of a notice. Numbering styles are not tied to levels: the levels are
//! the styles in the order the document first uses them, the finding level is the one whose
//! items read like problems (针对“…”问题), the one or two levels above it are aspects and
//! categories, anything above those is a section of the document, and anything below it is
//! a measure.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::levels::{finding_level, merge_interchangeable_levels};
use crate::model::{AspectHeading, Heading, Warning};
pub use crate::numbering::{classify, re, Style};
use crate::parts::{self, PartKind};
use crate::problem_heading::{names_a_problem, quoted_problem};
use crate::signature;
use crate::words;

/// Titles of document sections that are not problem groups.
pub(crate) static SECTION: LazyLock<Regex> = LazyLock::new(|| {
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

/// What an account of work done opens with, as opposed to a problem statement.
pub(crate) static ACTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:已|建立|制定|开展|召开|完成|组织|印发|修订|出台|加强|强化|推进|落实|梳理|成立|严格|持续|举办|对|结合|聘请|实行|推行|明确|规范|健全|完善|坚持|深入|全面|及时|每|按|围绕|将|由|督促|要求|采取|重新|补充|整改|目前)",
    )
});

/// One numbered item of the outline, with the lines of text that follow it.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub level: usize,
    pub style: Style,
    pub number: Cow<'a, str>,
    pub rest: &'a str,
    /// 0-based index of the heading line.
    pub line: usize,
    /// 0-based indexes of the plain lines that follow, before the next item.
    pub body: Vec<usize>,
    /// Whether the heading names one problem, worked out once (`names_a_problem`).
    pub problem: bool,
    /// The part of the document the heading opens, if it opens one.
    pub part: Option<PartKind>,
}

/// A finding with what belongs to it: its heading and everything below it.
#[derive(Debug, Clone)]
pub struct FindingItem<'a> {
    pub number: Cow<'a, str>,
    pub rest: &'a str,
    pub line: usize,
    pub category: Option<usize>,
    pub aspect: Option<usize>,
    /// Lines below the heading: (0-based line, text, and for a numbered measure line the
    /// whole line with its numbering).
    pub body: Vec<(usize, &'a str, Option<&'a str>)>,
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
    // Sized for the most items a text can have (untouched capacity costs no memory): a
    // list grown by doubling is copied into fresh memory again and again.
    let mut items: Vec<Item<'a>> = Vec::with_capacity(lines.len());
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
                part: None,
            });
        } else if let Some(last) = items
            .last_mut()
            .filter(|l| !closed && l.rest.is_empty() && l.body.is_empty())
        {
            // A number alone on its line: its heading is the next line.
            last.rest = line;
            last.problem = names_a_problem(last.style, line);
        } else if let Some(kind) = parts::unnumbered(line) {
            closed = false;
            items.push(Item {
                level: usize::MAX,
                style: Style::Section,
                number: Cow::Borrowed(""),
                rest: line,
                line: i,
                body: vec![],
                problem: false,
                part: Some(kind),
            });
        } else if words::opens_closing(line) {
            if let Some(last) = items.last_mut().filter(|_| !closed) {
                signature::unsign(&mut last.body, line, lines);
            }
            closed = true;
        } else if !closed {
            if let Some(last) = items.last_mut() {
                last.body.push(i);
            }
        }
    }
    if items.is_empty() {
        return Tree::default();
    }
    let level_count = levels.len();
    let (mut items, level_count) = parts::problems_only(items, level_count, warnings);
    if items.is_empty() {
        return Tree::default();
    }
    let level_count = merge_interchangeable_levels(&mut items, level_count);
    // (一)存在问题：… / 1.问题描述：…: an item that says itself it states a problem names
    // one, unless numbered items follow beneath it (then the label names a group).
    for i in 0..items.len() {
        let leaf = items
            .get(i + 1)
            .is_none_or(|next| next.level <= items[i].level);
        if leaf && !items[i].problem && crate::measures::LABEL.is_match(items[i].rest) {
            items[i].problem = true;
        }
    }

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
                .filter(|t| SECTION.is_match(t) && !quoted_problem(t))
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
    let mut tree = Tree {
        findings: Vec::with_capacity(items.len()),
        ..Tree::default()
    };
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
                    && !quoted_problem(it.rest)
                    && !words::says_wrong(
                        it.rest.split(['。', ':', '：']).next().unwrap_or(""),
                        true,
                    );
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
                        number: c.number.to_string(),
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
                        number: a.number.to_string(),
                        title: clean_title(a.rest),
                        category,
                        line: a.line + 1,
                    });
                    n
                })
            });
            let number = if it.style == Style::Unnumbered {
                Cow::Owned((tree.findings.len() + 1).to_string())
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
            f.body.push((it.line, it.rest, Some(lines[it.line].trim())));
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
    fn parts_are_numbered_headings() {
        let (c, _, f) = tree("第一方面 党的领导\n(1)针对“甲”问题。已整改\n第二方面 党的建设\n(2)针对“乙”问题。已整改");
        assert_eq!((c, f.len()), (2, 2));
    }

    #[test]
    fn findings_numbered_two_ways_are_one_level() {
        let (c, _, f) = tree("一、甲方面\n(1)针对“甲一”问题。一是;二是\n(2)针对“甲二”问题。已整改\n二、乙方面\n1.针对“乙一”问题。已整改\n①补记台账");
        assert_eq!((c, f.len()), (2, 3));
    }

    #[test]
    fn labelled_problems_are_findings_unless_items_follow_beneath() {
        let (c, _, f) = tree("一、关于党建问题\n(一)存在问题:学习不深入。\n整改情况:制定计划\n(二)存在问题:制度不健全。\n整改情况:已修订");
        assert_eq!((c, f.len()), (1, 2), "{f:?}");
        let (_, _, f) = tree("一、反馈问题整改情况\n(一)反馈问题:责任落实不到位。\n1.药品管理不规范\n(1)结余药品管理不规范。整改情况:一是盘点;二是建账");
        assert!(
            !f.is_empty() && f.iter().all(|t| !t.contains("责任落实")),
            "{f:?}"
        );
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
