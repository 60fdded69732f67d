//! The notice's metadata: title, rectifying unit, inspecting body, inspection period,
//! feedback and publication dates, kind, and the closing contact block.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Kind, Period};
use crate::outline::{classify, re};

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
        [&self.feedback_date, &self.published].iter().find_map(|d| {
            d.as_ref()
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse().ok())
        })
    }
}

static DATE: &str = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日";
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?\s*(?:至|到|—|-|～|~)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?",
    )
});
/// A date to the day or to the month.
static DATE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?"));
/// 二〇二二年十一月二十五日, as signatures are often dated.
static CN_DATE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$",
    )
});
static ORGANISATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^中共.{2,40}?(?:党组|党委|委员会|党工委|总支部|总支|支部)$"));
static FEEDBACK_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"反馈[^。;；]{{0,12}}?{DATE}")));
static TIME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|\s)(?:发布时间|发布日期|时间|日期)\s*[:：]\s*(\d{4})[-/年.]\s*(\d{1,2})[-/月.]\s*(\d{1,2})",
    )
});
static DATE_ONLY: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^{DATE}$")));
static ISO_ONLY: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"));
static TEAM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"([^,，。;；、:：\s“”()（）]{2,40}?(?:巡视|巡察)(?:工作)?(?:第[一二三四五六七八九十\d]+)?(?:组|队))",
    )
});
static LEADING_DATES: LazyLock<Regex> = LazyLock::new(|| re(r"^.*?(?:日|月|年)(?:至|到)?.*?日"));
static UNIT_AFTER_GUANYU: LazyLock<Regex> =
    LazyLock::new(|| re(r"^关于(中共.{2,40}?(?:党组|党委|委员会|党工委|总支部|总支|支部))"));
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:电话|热线|手机|传真)\s*[:：]?\s*((?:[\d(][\d\-—－ ()]{5,}\d)(?:\s*[、/或,，]\s*[\d(][\d\-—－()]{5,}\d)*)",
    )
});
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"));
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| re(r"(?:邮编|邮政编码)\s*[:：]?\s*(\d{6})"));
static MAILBOX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[^电子])(?:邮政邮箱|邮政信箱|信箱|邮箱|来信地址|邮寄地址|来信请寄|信函请寄|来信请寄至)\s*[:：]?\s*([^;；。,，\n]+)",
    )
});
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:通信地址|通讯地址|办公地址|来信地址|邮寄地址|地址)\s*[:：]\s*([^;；。\n]+)")
});

/// The date nearest before a 反馈 in the same sentence.
fn feedback_date(text: &str) -> Option<String> {
    text.match_indices("反馈").find_map(|(at, _)| {
        // Look back a bounded distance, so that a text full of 反馈 stays linear.
        let window = text[..at]
            .char_indices()
            .rev()
            .take(120)
            .last()
            .map_or(at, |(i, _)| i);
        let sentence_start = text[window..at]
            .char_indices()
            .rev()
            .find(|(_, c)| matches!(c, '。' | ';' | '；' | '\n'))
            .map_or(window, |(i, c)| window + i + c.len_utf8());
        let sentence = &text[sentence_start..at];
        let c = DATE_RE.captures_iter(sentence).last()?;
        let gap = sentence[c.get(0)?.end()..].chars().count();
        (gap <= 40).then(|| partial_date(&c, 1)).flatten()
    })
}

fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// A date at the precision written: YYYY-MM-DD, or YYYY-MM when the day group is empty.
fn partial_date(c: &regex::Captures<'_>, first: usize) -> Option<String> {
    match c.get(first + 2) {
        Some(_) => caps_date(c, first),
        None => {
            let (y, m): (i32, u32) = (
                c.get(first)?.as_str().parse().ok()?,
                c.get(first + 1)?.as_str().parse().ok()?,
            );
            ((1900..=2100).contains(&y) && (1..=12).contains(&m)).then(|| format!("{y:04}-{m:02}"))
        }
    }
}

/// 二〇二二年十一月二十五日 → 2022-11-25.
fn cn_date(c: &regex::Captures<'_>) -> Option<String> {
    let digits = |s: &str| -> Option<String> {
        s.chars()
            .map(|ch| {
                "〇一二三四五六七八九"
                    .chars()
                    .position(|d| d == ch)
                    .or(if ch == '零' { Some(0) } else { None })
                    .map(|d| char::from(b'0' + d as u8))
            })
            .collect()
    };
    let small = |s: &str| crate::measures::cn_number(s).map(|n| n.to_string());
    ymd(
        &digits(c.get(1)?.as_str())?,
        &small(c.get(2)?.as_str())?,
        &small(c.get(3)?.as_str())?,
    )
}

fn caps_date(c: &regex::Captures<'_>, first: usize) -> Option<String> {
    ymd(
        c.get(first)?.as_str(),
        c.get(first + 1)?.as_str(),
        c.get(first + 2)?.as_str(),
    )
}

pub fn read(text: &str, lines: &[&str]) -> Meta {
    let nonempty: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let title = nonempty
        .iter()
        .take(5)
        .find(|(_, l)| {
            classify(l).is_none()
                && (l.contains("通报") || l.contains("情况") || l.contains("关于"))
                && l.chars().count() <= 120
        })
        .map(|(i, l)| {
            // A title broken after the organisation's name: 中共某局党组 / 关于…的通报.
            let before = nonempty.iter().take_while(|(j, _)| j < i).last();
            match before {
                Some((_, org)) if l.starts_with("关于") && ORGANISATION.is_match(org) => {
                    format!("{org}{l}")
                }
                _ => l.to_string(),
            }
        });
    // 中共某局党组关于…的通报, or 关于中共某局党组…的通报.
    let unit = title.as_deref().and_then(|t| {
        let cut = t.find("关于")?;
        let u = t[..cut].trim();
        if u.is_empty() {
            UNIT_AFTER_GUANYU
                .captures(t)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_string())
        } else {
            Some(u.to_string())
        }
    });
    let head: String = nonempty
        .iter()
        .take(12)
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");

    let inspection_period = PERIOD
        .captures(&head)
        .or_else(|| PERIOD.captures(text))
        .and_then(|c| {
            // Each end at the precision written: to the day, or to the month.
            let start = partial_date(&c, 1)?;
            let end_year = c
                .get(4)
                .map_or_else(|| c.get(1).map_or("", |m| m.as_str()), |m| m.as_str());
            let end = match c.get(6) {
                Some(d) => ymd(end_year, c.get(5)?.as_str(), d.as_str())?,
                None => {
                    let (y, m): (i32, u32) =
                        (end_year.parse().ok()?, c.get(5)?.as_str().parse().ok()?);
                    (1..=12).contains(&m).then(|| format!("{y:04}-{m:02}"))?
                }
            };
            Some(Period { start, end })
        });
    let feedback_date = feedback_date(&head)
        .or_else(|| feedback_date(text))
        .or_else(|| FEEDBACK_AFTER.captures(text).and_then(|c| caps_date(&c, 1)));
    let published = nonempty
        .iter()
        .take(6)
        .find_map(|(_, l)| TIME_LINE.captures(l).and_then(|c| caps_date(&c, 1)))
        .or_else(|| {
            nonempty.iter().rev().take(4).find_map(|(_, l)| {
                DATE_ONLY
                    .captures(l)
                    .or_else(|| ISO_ONLY.captures(l))
                    .and_then(|c| caps_date(&c, 1))
                    .or_else(|| CN_DATE_ONLY.captures(l).and_then(|c| cn_date(&c)))
            })
        });
    let inspector = head
        .lines()
        .chain(text.lines())
        .filter(|l| Some(*l) != title.as_deref())
        .find_map(|l| {
            TEAM.captures(l)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_string())
        })
        .map(|t| match LEADING_DATES.find(&t) {
            Some(m) if m.end() < t.len() && t[..m.end()].chars().any(|c| c.is_ascii_digit()) => {
                t[m.end()..].to_string()
            }
            _ => t,
        });
    // The most specific wording first: a rectification report that mentions the feedback it
    // answers is still a rectification report.
    let kind = match title.as_deref() {
        Some(t) if t.contains("整改方案") => Kind::Plan,
        Some(t)
            if t.contains("综述")
                || t.contains("汇总")
                || t.contains("各单位")
                || t.contains("集中公开") =>
        {
            Kind::Aggregate
        }
        Some(t) if t.contains("整改") && (t.contains("进展") || t.contains("阶段")) => {
            Kind::Progress
        }
        Some(t) if t.contains("整改") => Kind::Final,
        Some(t) if t.contains("反馈") => Kind::Feedback,
        _ => Kind::Unknown,
    };
    Meta {
        title,
        unit,
        inspector,
        inspection_period,
        feedback_date,
        published,
        kind,
        contact: contact(&nonempty),
    }
}

/// A web page's footer: the site's own details, not the unit's.
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"版权所有|Copyright|copyright|ICP备|公网安备|网站标识码|主办单位|承办单位|技术支持|网站地图",
    )
});

/// The contact details near the end: phone, e-mail, postcode, mailbox, address.
fn contact(nonempty: &[(usize, &str)]) -> BTreeMap<String, String> {
    let end = nonempty
        .iter()
        .position(|(_, l)| FOOTER.is_match(l))
        .unwrap_or(nonempty.len());
    let nonempty = &nonempty[..end];
    let tail: String = nonempty
        .iter()
        .rev()
        .take(8)
        .rev()
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeMap::new();
    if let Some(m) = PHONE.captures(&tail).and_then(|c| c.get(1)) {
        out.insert("phone".to_string(), m.as_str().trim().to_string());
    }
    if let Some(m) = EMAIL.find(&tail) {
        out.insert("email".to_string(), m.as_str().to_string());
    }
    if let Some(m) = POSTCODE.captures(&tail).and_then(|c| c.get(1)) {
        out.insert("postcode".to_string(), m.as_str().to_string());
    }
    if let Some(m) = MAILBOX
        .captures_iter(&tail)
        .filter_map(|c| c.get(1))
        .find(|m| !m.as_str().contains('@'))
    {
        out.insert("mailbox".to_string(), m.as_str().trim().to_string());
    }
    if let Some(m) = ADDRESS.captures(&tail).and_then(|c| c.get(1)) {
        out.insert(
            "address".to_string(),
            m.as_str().trim().trim_end_matches(['，', ',']).to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(text: &str) -> Meta {
        let lines: Vec<&str> = text.split('\n').collect();
        read(text, &lines)
    }

    #[test]
    fn inspector_is_the_team_not_the_dates_before_it() {
        let team = |t: &str| meta(t).inspector;
        assert_eq!(team("通报\n2021年10月28日至2022年1月10日,十一届某市委第一提级交叉巡察组对某局开展了巡察。").as_deref(), Some("十一届某市委第一提级交叉巡察组"));
        assert_eq!(
            team("通报\n根据部署,省委第二巡视组对某厅党组进行了巡视。").as_deref(),
            Some("省委第二巡视组")
        );
        assert_eq!(
            team("通报\n县委第三轮巡察第二巡察组进驻").as_deref(),
            Some("县委第三轮巡察第二巡察组")
        );
    }

    #[test]
    fn kind_follows_the_most_specific_wording() {
        let kind = |t: &str| meta(t).kind;
        assert_eq!(kind("某局党组关于巡察反馈意见整改情况的通报"), Kind::Final);
        assert_eq!(kind("某局党组关于巡察整改进展情况的通报"), Kind::Progress);
        assert_eq!(kind("某局党组关于巡察整改方案的通报"), Kind::Plan);
        assert_eq!(
            kind("关于市委第二轮巡察整改情况综述的通报"),
            Kind::Aggregate
        );
        assert_eq!(kind("关于巡察反馈情况的通报"), Kind::Feedback);
    }

    #[test]
    fn unit_stands_before_or_just_after_guanyu() {
        assert_eq!(
            meta("中共某局党组关于巡察整改情况的通报").unit.as_deref(),
            Some("中共某局党组")
        );
        assert_eq!(
            meta("关于中共某镇委员会巡察整改情况的通报").unit.as_deref(),
            Some("中共某镇委员会")
        );
    }

    #[test]
    fn feedback_date_is_the_one_next_to_fankui() {
        let m = meta("某通报\n2022年9月1日至10月31日开展巡察，2022年12月20日反馈了意见。");
        assert_eq!(m.feedback_date.as_deref(), Some("2022-12-20"));
        assert_eq!(
            m.inspection_period.map(|p| p.end).as_deref(),
            Some("2022-10-31")
        );
    }

    #[test]
    fn dates_at_the_precision_written() {
        let m = meta("中共某局党组\n关于巡察整改情况的通报\n2022年3月至4月开展巡察,于2022年6月反馈意见。\n某党组\n二〇二二年十一月二十五日");
        assert_eq!(
            m.title.as_deref(),
            Some("中共某局党组关于巡察整改情况的通报")
        );
        assert_eq!(m.unit.as_deref(), Some("中共某局党组"));
        assert_eq!(
            m.inspection_period,
            Some(Period {
                start: "2022-03".into(),
                end: "2022-04".into()
            })
        );
        assert_eq!(m.feedback_date.as_deref(), Some("2022-06"));
        assert_eq!(m.published.as_deref(), Some("2022-11-25"));
    }

    #[test]
    fn published_from_a_time_line_or_the_closing_date() {
        assert_eq!(
            meta("标题通报\n来源:某网 发布时间:2024-05-06 09:00\n正文")
                .published
                .as_deref(),
            Some("2024-05-06")
        );
        assert_eq!(
            meta("标题通报\n正文\n某党组\n2023年4月3日")
                .published
                .as_deref(),
            Some("2023-04-03")
        );
    }

    #[test]
    fn a_web_footer_is_not_the_contact_block() {
        let m = meta(
            "标题通报\n正文\n联系电话:0551-1111111\n版权所有:某某网 电话:010-9999999 邮编:100000",
        );
        assert_eq!(
            m.contact.get("phone").map(String::as_str),
            Some("0551-1111111")
        );
        assert_eq!(m.contact.get("postcode"), None);
    }

    #[test]
    fn contact_details_by_kind() {
        let m = meta("标题通报\n正文\n联系电话:(0554)6543210;来信请寄:某路9号,邮编232000;电子邮箱:a.b@example.cn;通讯地址:某路1号");
        assert_eq!(
            m.contact.get("phone").map(String::as_str),
            Some("(0554)6543210")
        );
        assert_eq!(
            m.contact.get("mailbox").map(String::as_str),
            Some("某路9号")
        );
        assert_eq!(
            m.contact.get("postcode").map(String::as_str),
            Some("232000")
        );
        assert_eq!(
            m.contact.get("email").map(String::as_str),
            Some("a.b@example.cn")
        );
        assert_eq!(
            m.contact.get("address").map(String::as_str),
            Some("某路1号")
        );
    }
}
