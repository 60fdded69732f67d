//! The parts of a notice. Many notices are written in parts: how the rectification was
//! organised (一、提高政治站位，压实整改责任 / 整改工作组织情况), how each problem fed back
//! was rectified (二、反馈问题整改落实情况, in many wordings), and what comes next
//! (三、下一步工作打算). Only the part about the problems holds findings; the others
//! describe meetings, leading groups and plans, even when their paragraphs are numbered
//! like problems and enumerate like measures. A notice cut off before its problems part has
//! no findings.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Warning;
use crate::outline::{re, Item, Style};
use crate::words::{says_wrong, Words};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// How the work was organised: leadership, responsibility, meetings, plans.
    Organising,
    /// The rectification of the problems fed back: where findings are.
    Problems,
    /// What comes next, lessons learnt.
    Closing,
}

impl PartKind {
    /// Whether a part of this kind holds no findings.
    pub fn is_aside(self) -> bool {
        self != PartKind::Problems
    }
}

static CLOSING: LazyLock<Regex> =
    LazyLock::new(|| re(r"下一步|下步|今后|工作打算|工作计划|努力方向|体会|启示|几点思考"));
/// Wording that names the problems part outright.
static PROBLEMS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"反馈问题|反馈意见|问题整改|问题的整改|整改任务|具体问题|存在问题|主要问题|问题清单")
});
/// How the work was organised, said of the rectification (整改 / 巡察 in the title)…
static ORGANISING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"组织|领导|站位|责任|推进|部署|基本情况|总体情况|开展|做法|重视|认识|机制|成效|成果运用|动员",
    )
});
/// …or in words that only ever head that account.
static ORGANISING_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"整体推进|总体情况|基本情况|主要做法|组织领导|政治站位|高度重视|工作成效|取得的成效|长效机制|成果运用",
    )
});
static RECTIFICATION: LazyLock<Regex> = LazyLock::new(|| re(r"整改|巡察|巡视"));
/// 党的领导方面: a category of problems, whatever it names.
static AREA: LazyLock<Words> =
    LazyLock::new(|| Words::at_end("方面|方面的问题|方面存在的问题|方面问题"));
/// Wording that names the account of rectification without saying of what: the problems
/// part when nothing says it is about the organisation.
static ACCOUNT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"整改落实情况|整改进展情况|整改完成情况|落实情况|进展情况|完成情况|整改情况")
});

/// What part a heading opens, if it opens one. Only short headings qualify: a part's title
/// stands alone on its line.
pub fn kind(title: &str) -> Option<PartKind> {
    let title = title.trim().trim_end_matches(['。', '.', ':', '：']);
    if title.is_empty()
        || title.chars().count() > 40
        || title.contains('。')
        || AREA.is_match(title)
        // A title that says what went wrong (不严不实, 有差距) is a problem or a category
        // of problems, not a part.
        || says_wrong(title, false)
    {
        return None;
    }
    let organising = ORGANISING_ALONE.is_match(title)
        || (RECTIFICATION.is_match(title) && ORGANISING.is_match(title));
    if CLOSING.is_match(title) {
        Some(PartKind::Closing)
    } else if PROBLEMS.is_match(title) {
        Some(PartKind::Problems)
    } else if organising {
        Some(PartKind::Organising)
    } else if ACCOUNT.is_match(title) {
        Some(PartKind::Problems)
    } else {
        None
    }
}

/// 下一步工作打算, 今后工作安排: the heading of the closing part, nothing more.
static CLOSING_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:下一步|下步|今后|接下来)[^,，。;；:：]{0,6}(?:打算|计划|安排|措施|方向|思路|重点)[。.:：]?$",
    )
});

/// Labels that open a finding's account (整改情况 / 整改措施), not a part.
static LABEL: LazyLock<Words> = LazyLock::new(|| {
    Words::whole("整改措施|整改情况|整改进展|整改落实情况|整改完成情况|整改成效|整改结果|整改举措")
});
/// An unnumbered line that heads a part: short, no sentence, ending as part titles end.
static HEADING_END: LazyLock<Words> = LazyLock::new(|| Words::at_end("情况|打算|计划|做法|成效"));

/// The part an unnumbered line heads, if it is a part heading (整改工作组织情况 alone on
/// its line).
pub fn unnumbered(line: &str) -> Option<PartKind> {
    let line = line.trim();
    if line.chars().count() > 24
        || line.contains([':', '：', ',', '，', '。', ';', '；'])
        || !HEADING_END.is_match(line)
        || LABEL.is_match(line)
    {
        return None;
    }
    kind(line)
}

/// The items of the parts that hold findings, with their levels renumbered in the order
/// the remaining items first use them. Parts are opened by unnumbered part headings, and by
/// the top numbered level when one of its headings names an organising or problems part;
/// the headings of parts are not categories. When the top level only has a closing part
/// (categories, then 四、下一步工作打算), that part goes and the categories stay.
pub fn problems_only<'a>(
    items: Vec<Item<'a>>,
    levels: usize,
    warnings: &mut Vec<Warning>,
) -> (Vec<Item<'a>>, usize) {
    let (items, levels) = if items.iter().any(|it| it.style == Style::Section) {
        let sections = drop_asides(
            items,
            |it| (it.style == Style::Section).then_some((it.part, false)),
            warnings,
        );
        relevel(sections, levels)
    } else {
        (items, levels)
    };
    // The heading of the closing part ends the findings wherever its numbering put it (三、
    // after categories numbered (一)): what follows it is plans.
    let mut items = items;
    if let Some(at) = items
        .iter()
        .position(|it| !it.problem && CLOSING_HEADING.is_match(it.rest.trim()))
    {
        warnings.push(Warning {
            line: Some(items[at].line + 1),
            message: format!(
                "“{}”及其后的条目是下一步打算，未作为问题读取",
                items[at].rest.trim()
            ),
        });
        items.truncate(at);
    }
    let kind_at_top = |it: &Item<'_>| {
        if it.level == 0 && !it.problem {
            kind(it.rest)
        } else {
            None
        }
    };
    let part_level = items.iter().any(|it| {
        matches!(
            kind_at_top(it),
            Some(PartKind::Organising | PartKind::Problems)
        )
    });
    if !part_level && !items.iter().any(|it| kind_at_top(it).is_some()) {
        return (items, levels);
    }
    let items = drop_asides(
        items,
        |it| match kind_at_top(it) {
            Some(k) => Some((Some(k), false)),
            // Where the top level is made of parts, a top heading of no kind is the problems
            // part in other words; where it holds categories, it is one, and ends a closing
            // part before it.
            None if it.level == 0 => Some((None, !part_level)),
            None => None,
        },
        warnings,
    );
    relevel(items, levels)
}

/// Drops everything in the aside parts. `part` tells whether an item opens a part: its
/// kind (`None` when unknown: its content stays) and whether the heading itself stays.
fn drop_asides<'a>(
    items: Vec<Item<'a>>,
    part: impl Fn(&Item<'a>) -> Option<(Option<PartKind>, bool)>,
    warnings: &mut Vec<Warning>,
) -> Vec<Item<'a>> {
    let mut aside = false;
    let mut kept = Vec::with_capacity(items.len());
    for it in items {
        match part(&it) {
            Some((k, keep)) => {
                aside = k.is_some_and(PartKind::is_aside);
                if aside {
                    warnings.push(Warning {
                        line: Some(it.line + 1),
                        message: format!(
                            "“{}”一部分不是反馈问题的整改情况，其中的条目未作为问题读取",
                            it.rest.trim()
                        ),
                    });
                }
                if keep {
                    kept.push(it);
                }
            }
            None if aside => {}
            None => kept.push(it),
        }
    }
    kept
}

/// Renumbers levels in the order the items first use them.
fn relevel(mut items: Vec<Item<'_>>, levels: usize) -> (Vec<Item<'_>>, usize) {
    let mut map: Vec<Option<usize>> = vec![None; levels];
    let mut next = 0;
    for it in &mut items {
        let Some(slot) = map.get_mut(it.level) else {
            continue;
        };
        let level = *slot.get_or_insert_with(|| {
            next += 1;
            next - 1
        });
        it.level = level;
    }
    (items, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The lists that were patterns with more than alternatives in them read as those
        /// patterns did.
        #[test]
        fn rewritten_lists_read_as_their_patterns(s in prop::collection::vec(
            prop::sample::select(vec![
                "方面", "的", "存在", "问题", "整改", "措施", "情况", "进展", "落实", "完成",
                "成效", "结果", "举措", "打算", "计划", "做法", "工作", "。",
            ]),
            0..5,
        ).prop_map(|p| p.concat())) {
            for (pattern, words) in [
                (r"方面(?:的问题|存在的问题|问题)?$", &*AREA),
                (r"^整改(?:措施|情况|进展|落实情况|完成情况|成效|结果|举措)$", &*LABEL),
                (r"(?:情况|打算|计划|做法|成效)$", &*HEADING_END),
            ] {
                let re = regex::Regex::new(pattern).expect("pattern");
                prop_assert_eq!(words.is_match(&s), re.is_match(&s), "{}", pattern);
            }
        }
    }

    /// Every word of the old patterns, each alone and with text before it.
    #[test]
    fn rewritten_lists_hold_every_word_of_their_patterns() {
        let inner = |p: &'static str| -> Vec<&'static str> {
            let start = p.find("(?:").map_or(0, |i| i + 3);
            let end = p[start..].find(')').map_or(p.len(), |i| start + i);
            p[start..end].split('|').collect()
        };
        for w in inner(r"方面(?:的问题|存在的问题|问题)?$") {
            assert!(AREA.is_match(&format!("党建方面{w}")), "{w}");
        }
        for w in inner(r"^整改(?:措施|情况|进展|落实情况|完成情况|成效|结果|举措)$")
        {
            assert!(LABEL.is_match(&format!("整改{w}")), "{w}");
            assert!(!LABEL.is_match(&format!("整改{w}的")), "{w}");
        }
        for w in inner(r"(?:情况|打算|计划|做法|成效)$") {
            assert!(HEADING_END.is_match(&format!("组织{w}")), "{w}");
            assert!(!HEADING_END.is_match(&format!("{w}组织")), "{w}");
        }
    }

    #[test]
    fn parts_by_what_their_titles_say() {
        for t in [
            "组织整改落实情况",
            "整改工作组织情况",
            "提高政治站位,压实整改责任",
            "整体推进情况",
            "整改工作基本情况",
            "落实巡察整改主体责任情况",
            "整改工作的主要做法",
            "巡察整改组织领导情况",
            "整改工作开展情况",
            "强化成果运用,建立健全长效机制",
        ] {
            assert_eq!(kind(t), Some(PartKind::Organising), "{t}");
        }
        for t in [
            "巡察反馈问题整改进展情况",
            "反馈问题整改落实情况",
            "巡察整改任务落实情况",
            "整改落实情况",
        ] {
            assert_eq!(kind(t), Some(PartKind::Problems), "{t}");
        }
        assert_eq!(kind("下一步工作打算"), Some(PartKind::Closing));
        // Categories of problems are no parts, even when they name an organisation.
        assert_eq!(kind("基层党组织建设不严不实,党内政治生活不规范。"), None);
        assert_eq!(kind("党的领导方面"), None);
        assert_eq!(kind("党组织建设"), None);
        assert_eq!(kind("问题整改和成果运用存在差距"), None);
        assert_eq!(kind("关于党的建设方面的问题"), None);
        assert_eq!(kind("加强组织领导"), Some(PartKind::Organising));
    }

    #[test]
    fn unnumbered_part_headings_are_short_lines_not_labels() {
        assert_eq!(unnumbered("整改工作组织情况"), Some(PartKind::Organising));
        assert_eq!(unnumbered("下一步工作打算"), Some(PartKind::Closing));
        assert_eq!(unnumbered("整改情况"), None);
        assert_eq!(unnumbered("整改情况:已完成"), None);
    }
}
