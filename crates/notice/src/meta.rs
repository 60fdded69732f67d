//! The notice's metadata: title, rectifying unit, inspecting body, inspection period,
//! feedback and publication dates, and kind. Web pages put chrome around a notice (where
//! the page is, its source and time, counters): that is not its title, but its time is
//! when the notice was published.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::contact::contact;
use crate::meta_dates::{self as dates, Found};
use crate::model::{Kind, Period};
use crate::opening::{self, FIRST_PERSON, ORGANISATION_END, ORGANISATION_WORDS, TEAM, TEAM_COUNT};
use crate::outline::{classify, re};
use crate::short::Short;
use crate::signature;

pub struct Meta {
    pub title: Option<String>,
    pub unit: Option<String>,
    pub inspector: Option<String>,
    pub inspection_period: Option<Period>,
    pub feedback_date: Option<String>,
    pub published: Option<String>,
    pub kind: Kind,
    pub contact: BTreeMap<String, String>,
}

impl Meta {
    /// The year a date written without one most likely belongs to.
    pub fn context_year(&self) -> Option<i32> {
        crate::model::year_of([&self.feedback_date, &self.published])
    }
}

// The `Short` patterns below are run on the opening's lines, the title or a team's name
// (regex-lite unless the text is long).

/// Lines a web page puts around the notice.
static CHROME: LazyLock<Short> = LazyLock::new(|| {
    Short::new(
        r"^(?:-\s|当前位置|您当前的位置|您现在的位置|位置[:：]|首页|字体|字号)|来源[:：]|发布时间|发布日期|浏览|阅读次数|点击[数量率]|访问量|打印|>>|\s>\s",
    )
});
static TITLE_WORD: LazyLock<Short> =
    LazyLock::new(|| Short::new(r"通报|报告|公告|公示|综述|情况$|方案$"));
/// A title broken after the organisation's name: 中共某局党组 / 关于…的通报.
static ORGANISATION: LazyLock<Short> =
    LazyLock::new(|| Short::new(format!(r"^中共.{{2,40}}?{}$", ORGANISATION_END.as_str())));
static UNIT_AFTER_GUANYU: LazyLock<Short> = LazyLock::new(|| {
    Short::new(format!(
        r"^关于(中共.{{2,40}}?{})",
        ORGANISATION_END.as_str()
    ))
});
/// The unit's own rectification plan: 《中共某局党组关于…的整改方案》.
static PLAN_ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"《([^《》]{{2,40}}?{})关于[^《》]*?方案》",
        ORGANISATION_END.as_str()
    ))
});
static TIME_LINE: LazyLock<Short> = LazyLock::new(|| {
    Short::new(r"(?:时间|日期)\s*[:：]\s*([0-9]{4})[-/年.]\s*([0-9]{1,2})[-/月.]\s*([0-9]{1,2})")
});
/// A page stamp: 2021-02-23 12:42:06来源:….
static STAMP_LINE: LazyLock<Short> = LazyLock::new(|| {
    Short::new(
        r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?\s*(?:来源|$)",
    )
});
/// What the notice says it makes public: 现将巡察整改进展情况予以公布.
static ANNOUNCED: LazyLock<Short> = LazyLock::new(|| {
    Short::new(r"现(?:根据[^。,，]{0,8})?将[^。]{0,30}?(?:整改|整治)[^。]{0,12}?情况")
});
/// A feedback list or the news of a feedback meeting.
static FEEDBACK: LazyLock<Short> = LazyLock::new(|| {
    Short::new(
        r"反馈了?(?:巡察|巡视)(?:情况|意见)|(?:巡察|巡视)情况通报如下|反馈意见如下|反馈(?:的)?问题如下",
    )
});

fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    dates::Date {
        year: y.parse().ok(),
        month: m.parse().ok()?,
        day: Some(d.parse().ok()?),
    }
    .format(None)
}

/// The first lines that are the notice's own, not the page's: the title is among them.
fn title(nonempty: &[(usize, &str)]) -> Option<String> {
    let candidates: Vec<&(usize, &str)> = nonempty
        .iter()
        .take(10)
        .filter(|(_, l)| !CHROME.is_match(l))
        .take(4)
        .collect();
    let (at, line) = candidates.iter().find(|(_, l)| {
        classify(l).is_none()
            && !l.contains('。')
            && l.chars().count() <= 100
            && TITLE_WORD.is_match(l)
    })?;
    let before = nonempty.iter().take_while(|(j, _)| j < at).last();
    Some(match before {
        Some((_, org)) if line.starts_with("关于") && ORGANISATION.is_match(org) => {
            format!("{org}{line}")
        }
        Some((j, start)) if j + 1 == *at && wrapped_start(start, line) => format!("{start}{line}"),
        _ => line.to_string(),
    })
}

/// A title wrapped onto the next line, as text taken from a PDF is: 关于某局党组巡察整改 /
/// 进展情况的通报. The first line opens with 关于 and is long enough not to be a link of the
/// page (关于我们); the second says what kind of document it is and does not open a title
/// of its own.
fn wrapped_start(start: &str, line: &str) -> bool {
    start.starts_with("关于")
        && start.chars().count() >= 8
        && !start.contains('。')
        && !TITLE_WORD.is_match(start)
        && classify(start).is_none()
        && !line.contains("关于")
        && !line.starts_with("中共")
        && start.chars().count() + line.chars().count() <= 100
}

/// A title without the tags sites put before it: 【通报】, [公示].
fn without_tags(mut title: &str) -> &str {
    loop {
        let close = match title.chars().next() {
            Some('【') => '】',
            Some('[') => ']',
            _ => return title,
        };
        match title.find(close) {
            Some(end) if title[..end].chars().count() <= 9 => {
                title = &title[end + close.len_utf8()..];
            }
            _ => return title,
        }
    }
}

/// 中共某局党组关于…的通报, or 关于中共某局党组…的通报.
fn unit_of_title(title: &str) -> Option<String> {
    let title = without_tags(title);
    let cut = title.find("关于")?;
    let u = title[..cut].trim();
    if u.is_empty() {
        UNIT_AFTER_GUANYU
            .captures(title)
            .and_then(|c| c.get(1))
            .map(str::to_string)
    } else {
        Some(u.to_string())
    }
}

/// A unit named without its party organisation (某街道) is, where the text names it so
/// (某街道工委), that organisation: the unit's name, at most six more characters (no
/// punctuation or conjunction), and a word that ends an organisation's name.
fn with_organisation(unit: String, text: &str) -> String {
    if ORGANISATION_WORDS.iter().any(|w| unit.ends_with(w)) {
        return unit;
    }
    let stop = |c: char| {
        matches!(
            c,
            ',' | '，' | '。' | ';' | '；' | '、' | '和' | '及' | '与'
        ) || c.is_whitespace()
    };
    for (at, _) in text.match_indices(unit.as_str()) {
        let after = &text[at + unit.len()..];
        for (k, (i, c)) in after.char_indices().enumerate() {
            if let Some(w) = ORGANISATION_WORDS
                .iter()
                .find(|w| after[i..].starts_with(**w))
            {
                return text[at..at + unit.len() + i + w.len()].to_string();
            }
            if k == 6 || stop(c) {
                break;
            }
        }
    }
    unit
}

/// The first team named in the head, then anywhere; none when the head names several.
fn any_team(lines: &[&str]) -> Option<String> {
    lines.iter().find_map(|l| {
        TEAM.find_iter(l).into_iter().find_map(|m| {
            let t = opening::bare_team(m.as_str());
            (!t.is_empty() && !TEAM_COUNT.is_match(t)).then(|| t.to_string())
        })
    })
}

/// The date nearest before a 反馈 in the same sentence; a date without a year takes the
/// latest year written before it.
fn feedback_date(text: &str) -> Option<String> {
    let all = dates::find(text);
    text.match_indices("反馈").find_map(|(at, _)| {
        let sentence_start = text[..at].rfind(['。', ';', '；', '\n']).map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
        let date: &Found = all
            .iter()
            .rev()
            .find(|f| f.start >= sentence_start && f.end <= at)?;
        let gap = text[date.end..at].chars().count();
        (gap <= 40)
            .then(|| date.date.format(dates::year_before(&all, date.start)))
            .flatten()
    })
}

/// At most the first `n` bytes, cut at a character boundary.
fn prefix(text: &str, n: usize) -> &str {
    let mut end = n.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

pub fn read(text: &str, lines: &[&str]) -> Meta {
    // Only the opening and the end of a notice hold its metadata: the body is not walked.
    let nonempty = || {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i, l.trim()))
            .filter(|(_, l)| !l.is_empty())
    };
    let opening: Vec<(usize, &str)> = nonempty().take(12).collect();
    let mut end: Vec<(usize, &str)> = nonempty().rev().take(40).collect();
    end.reverse();
    let title = title(&opening);
    let head_lines: Vec<&str> = opening.iter().map(|(_, l)| *l).collect();
    let head = head_lines.join("\n");
    let inspection = opening::read(&head);

    let unit = title
        .as_deref()
        .and_then(unit_of_title)
        .or_else(|| {
            PLAN_ISSUER
                .captures(prefix(text, 64 * 1024))
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_string())
        })
        .or_else(|| {
            inspection
                .unit
                .clone()
                .map(|u| with_organisation(u, prefix(text, 64 * 1024)))
        })
        .or_else(|| signature::signer(&end));
    let inspector = if inspection.several_units {
        None
    } else {
        inspection.team.clone().or_else(|| {
            let rest: Vec<&str> = lines
                .iter()
                .copied()
                .filter(|l| Some(l.trim()) != title.as_deref())
                .collect();
            any_team(&head_lines).or_else(|| any_team(&rest))
        })
    };

    let head_dates = dates::find(&head);
    let inspection_period = dates::period(&head, &head_dates)
        .or_else(|| dates::stationed(&head))
        .or_else(|| {
            let more = prefix(text, 16 * 1024);
            dates::period(more, &dates::find(more))
        })
        .map(|(start, end)| Period { start, end });
    let feedback_date = feedback_date(&head).or_else(|| feedback_date(prefix(text, 64 * 1024)));
    let published = opening
        .iter()
        .take(8)
        .find_map(|(_, l)| {
            TIME_LINE
                .captures(l)
                .or_else(|| STAMP_LINE.captures(l))
                .and_then(|c| ymd(c.get(1)?, c.get(2)?, c.get(3)?))
        })
        .or_else(|| {
            // The signature's date: the last line that is a date and nothing else.
            nonempty()
                .rev()
                .filter(|(_, l)| l.len() <= 48)
                .find_map(|(_, l)| {
                    let found = dates::find(l);
                    match found.as_slice() {
                        [f] if f.start == 0 && f.end == l.len() && f.date.day.is_some() => {
                            f.date.format(None)
                        }
                        _ => None,
                    }
                })
        });
    let kind = title.as_deref().map_or(Kind::Unknown, kind_of_title);
    let kind = if kind == Kind::Unknown {
        kind_of_text(&head, &inspection)
    } else {
        kind
    };
    Meta {
        title,
        unit,
        inspector,
        inspection_period,
        feedback_date,
        published,
        kind,
        contact: contact(&end),
    }
}

/// The most specific wording first: a rectification report that mentions the feedback it
/// answers is still a rectification report.
fn kind_of_title(t: &str) -> Kind {
    if t.contains("整改方案") {
        Kind::Plan
    } else if ["综述", "汇总", "各单位", "集中公开"]
        .iter()
        .any(|w| t.contains(w))
    {
        Kind::Aggregate
    } else if t.contains("整改") && (t.contains("进展") || t.contains("阶段")) {
        Kind::Progress
    } else if t.contains("整改") {
        Kind::Final
    } else if t.contains("反馈") {
        Kind::Feedback
    } else {
        Kind::Unknown
    }
}

/// Without a telling title: a roll-up of several teams and units, not written by one of
/// them; what the notice says it makes public (整改进展情况 → progress, 整改情况 → final);
/// a feedback list or the news of a feedback meeting.
fn kind_of_text(head: &str, inspection: &opening::Inspection) -> Kind {
    let teams = TEAM_COUNT
        .captures(head)
        .and_then(|c| c.get(1))
        .is_some_and(|n| n != "一" && n != "1");
    if teams && inspection.several_units && !FIRST_PERSON.is_match(head) {
        return Kind::Aggregate;
    }
    if let Some(m) = ANNOUNCED.find(head) {
        return if m.as_str().contains("进展") || m.as_str().contains("阶段") {
            Kind::Progress
        } else {
            Kind::Final
        };
    }
    if FEEDBACK.is_match(head) {
        return Kind::Feedback;
    }
    Kind::Unknown
}

#[cfg(test)]
mod tests;
