//! What an importer reads from a measure's text beyond the `zhenggai.notice.v1` contract:
//! sums of money by kind (refunded, recovered, saved) where the wording says which, and
//! the due date the measure states (2022年底前, 6月底前完成) or that it is long-term
//! (长期坚持). Pure functions of the text; the parse output does not carry them.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::extract::{self, days_in_month, valid};
use crate::outline::re;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyKind {
    /// 清退, 退还: paid back by those who received it.
    Refunded,
    /// 追缴, 追回: recovered from those who owed it.
    Recovered,
    /// 挽回, 节约, 减少损失: a loss avoided or a cost saved.
    Saved,
}

/// The words that say what kind of sum follows, in one place. Longer words first, so that
/// 减少经济损失 is read before any shorter word inside it.
const MONEY_WORDS: &[(&str, MoneyKind)] = &[
    ("减少经济损失", MoneyKind::Saved),
    ("减少损失", MoneyKind::Saved),
    ("挽回", MoneyKind::Saved),
    ("节约", MoneyKind::Saved),
    ("节省", MoneyKind::Saved),
    ("清退", MoneyKind::Refunded),
    ("退还", MoneyKind::Refunded),
    ("退回", MoneyKind::Refunded),
    ("追缴", MoneyKind::Recovered),
    ("追回", MoneyKind::Recovered),
    ("收缴", MoneyKind::Recovered),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    pub kind: MoneyKind,
    /// In yuan: 66.57万元 → 665700.
    pub yuan: f64,
    /// As written: "66.57万元".
    pub text: String,
}

/// The sums of money in `text` whose kind its wording states: the nearest money word
/// before the sum, in the same clause (a clause ends at 、,;。). Sums with no such word are
/// left out: they stay plain quantities.
pub fn money(text: &str) -> Vec<Money> {
    let (quantities, _) = extract::mentions(text, None);
    let mut out = Vec::new();
    let mut from = 0;
    for q in quantities {
        let Some(at) = text[from..].find(q.text.as_str()).map(|i| from + i) else {
            continue;
        };
        from = at + q.text.len();
        if q.unit.as_deref() != Some("元") {
            continue;
        }
        let clause_start = text[..at]
            .rfind(['、', ',', '，', ';', '；', '。', '\n'])
            .map_or(0, |i| {
                i + text[i..].chars().next().map_or(1, char::len_utf8)
            });
        let clause = &text[clause_start..at];
        let kind = MONEY_WORDS
            .iter()
            .filter_map(|(word, kind)| clause.rfind(word).map(|i| (i, word.len(), *kind)))
            // The word nearest the sum; on a tie the longer one.
            .max_by_key(|(i, len, _)| (*i, *len))
            .map(|(_, _, kind)| kind);
        if let Some(kind) = kind {
            out.push(Money {
                kind,
                yuan: q.value,
                text: q.text,
            });
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// The last day the text allows: 2022年底前 → 2022-12-31, 6月底前 → that year's 06-30.
    By(String),
    /// 长期坚持: no end date.
    LongTerm,
}

/// A deadline: a date (year, month, day, each optional from the left) or 年底/年内/上半年,
/// followed by 前 or 完成.
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:([0-9]{4})\s*年\s*)?(?:([0-9]{1,2})\s*月\s*(?:([0-9]{1,2})\s*日)?)?",
        r"(底|末|年底|年末|上半年|下半年|年内|前)?",
        r"\s*(?:前|以前|之前|完成|到位|办结)"
    ))
});
static LONG_TERM: LazyLock<Regex> = LazyLock::new(|| re(r"长期坚持|长期推进|长期执行|常态化推进"));

/// The due date a measure's text states, or that it is long-term. A date without a year
/// takes the latest year written before it in the text, else `context_year` (the notice's:
/// `Notice::context_year`). None when the text states neither.
pub fn due(text: &str, context_year: Option<i32>) -> Option<Due> {
    if LONG_TERM.is_match(text) {
        return Some(Due::LongTerm);
    }
    for c in DEADLINE.captures_iter(text) {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (year, month, day) = (num(1), num(2), num(3));
        let tail = c.get(4).map_or("", |m| m.as_str());
        // 前 alone after nothing is no date; 完成 after a bare year is (2023年完成).
        if year.is_none()
            && month.is_none()
            && !matches!(tail, "年底" | "年末" | "年内" | "上半年" | "下半年")
        {
            continue;
        }
        let start = c.get(0).map_or(0, |m| m.start());
        let y = match year {
            Some(y) => y as i32,
            None => extract::mentions(&text[..start], context_year)
                .1
                .iter()
                .rev()
                .find_map(|d| d.value.get(..4)?.parse().ok())
                .or(context_year)?,
        };
        let (m, d) = match (month, day, tail) {
            (Some(m), Some(d), _) => (m, d),
            (Some(m), None, _) => (m, days_in_month(y, m)),
            (None, _, "上半年") => (6, 30),
            (None, _, _) => (12, 31),
        };
        if !valid(y, m, Some(d)) {
            continue;
        }
        return Some(Due::By(format!("{y:04}-{m:02}-{d:02}")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(MoneyKind, f64)> {
        money(text).into_iter().map(|m| (m.kind, m.yuan)).collect()
    }

    #[test]
    fn money_by_the_word_before_it() {
        assert_eq!(
            kinds("清退违规资金6.5万元、追回应由个人承担的费用12万元,挽回经济损失300万元"),
            vec![
                (MoneyKind::Refunded, 65_000.0),
                (MoneyKind::Recovered, 120_000.0),
                (MoneyKind::Saved, 3_000_000.0)
            ]
        );
        assert_eq!(
            kinds("节约电费约100万元"),
            vec![(MoneyKind::Saved, 1_000_000.0)]
        );
        // A sum the wording does not type, or not of money, is left out.
        assert!(kinds("投入资金400万元,清理雨水井1.1万余座").is_empty());
    }

    #[test]
    fn due_dates_as_stated() {
        let due = |t: &str| due(t, Some(2022));
        assert_eq!(
            due("2022年底前全部完成"),
            Some(Due::By("2022-12-31".into()))
        );
        assert_eq!(
            due("力争6月底前完成整改"),
            Some(Due::By("2022-06-30".into()))
        );
        assert_eq!(
            due("2023年4月以来已完成一半,2023年9月15日前办结"),
            Some(Due::By("2023-09-15".into()))
        );
        assert_eq!(due("年底前完成"), Some(Due::By("2022-12-31".into())));
        assert_eq!(due("建立长效机制,长期坚持"), Some(Due::LongTerm));
        assert_eq!(due("已召开会议3次"), None);
        assert_eq!(super::due("6月底前完成", None), None);
    }
}
