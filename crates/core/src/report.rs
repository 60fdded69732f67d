//! The figures an office publishes about a round (or all rounds): findings fed back, done,
//! basically done and not done with the completion rate, by unit and by category, the
//! outcomes, closures month by month, and the paragraph an office would print
//! (截至…，反馈的N个问题已完成M个…).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::date::Date;
use crate::model::FindingStatus;
use crate::stats::{completion_rate, OutcomeTotals, UnitStats};

/// Findings counted the way roll-ups count them. Done is signed off or long-term;
/// transferred findings left the ordinary track and are neither done nor not done.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub findings: i64,
    pub done: i64,
    pub basically_done: i64,
    pub not_done: i64,
    pub transferred: i64,
    pub completion_rate: f64,
}

impl Tally {
    pub fn of(by_status: &BTreeMap<FindingStatus, i64>) -> Tally {
        let get = |s| by_status.get(&s).copied().unwrap_or(0);
        let findings: i64 = by_status.values().sum();
        let done = get(FindingStatus::Closed) + get(FindingStatus::LongTerm);
        let basically_done = get(FindingStatus::BasicallyDone);
        let transferred = get(FindingStatus::Transferred);
        Tally {
            findings,
            done,
            basically_done,
            not_done: findings - done - basically_done - transferred,
            transferred,
            completion_rate: completion_rate(by_status),
        }
    }
}

/// Findings under one category title, across the units that have it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryStats {
    pub title: String,
    pub by_status: BTreeMap<FindingStatus, i64>,
}

/// Findings signed off (or made long-term) in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthClosures {
    /// The month, as 2025-06.
    pub month: String,
    pub closed: i64,
}

/// Everything the statistics pages, files and charts show, for one round or all.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub as_of: Date,
    /// The round's id and name; none for all rounds.
    pub round_id: Option<String>,
    pub round: Option<String>,
    pub totals: Tally,
    pub units: Vec<UnitStats>,
    pub categories: Vec<CategoryStats>,
    pub months: Vec<MonthClosures>,
    pub outcomes: OutcomeTotals,
}

impl Report {
    /// Puts the parts together; the totals and outcomes are the sums over the units.
    pub fn new(
        as_of: Date,
        round: Option<(String, String)>,
        units: Vec<UnitStats>,
        categories: Vec<CategoryStats>,
        months: Vec<MonthClosures>,
    ) -> Report {
        let mut by_status: BTreeMap<FindingStatus, i64> = BTreeMap::new();
        let mut outcomes = OutcomeTotals::default();
        for u in &units {
            for (s, n) in &u.by_status {
                *by_status.entry(*s).or_default() += n;
            }
            outcomes.add(&u.outcomes);
        }
        let (round_id, round) = round.unzip();
        Report {
            as_of,
            round_id,
            round,
            totals: Tally::of(&by_status),
            units,
            categories,
            months,
            outcomes,
        }
    }

    /// The published sentence: 截至2025年6月30日，…反馈的45个问题，已完成整改30个、
    /// 基本完成5个、未完成10个，整改完成率66.7%；… Clauses with nothing to say are left out.
    pub fn paragraph(&self) -> String {
        let t = &self.totals;
        let mut s = format!("截至{}，", self.as_of.zh());
        match &self.round {
            Some(r) => {
                let _ = write!(s, "{r}");
            }
            None => s.push_str("各轮巡察"),
        }
        let _ = write!(s, "反馈的{}个问题，已完成整改{}个", t.findings, t.done);
        if t.basically_done > 0 {
            let _ = write!(s, "、基本完成{}个", t.basically_done);
        }
        let _ = write!(s, "、未完成{}个", t.not_done);
        if t.transferred > 0 {
            let _ = write!(s, "，移交问题线索{}个", t.transferred);
        }
        let _ = write!(s, "，整改完成率{}", percent(t.completion_rate));
        let mut clauses: Vec<String> = vec![];
        let o = &self.outcomes;
        let rule = |k: &str| o.rules.get(k).copied().unwrap_or(0);
        let rules = rule("new") + rule("revised") + rule("repealed");
        if rules > 0 {
            let parts: Vec<String> = [("new", "新建"), ("revised", "修订"), ("repealed", "废止")]
                .iter()
                .filter(|(k, _)| rule(k) > 0)
                .map(|(k, zh)| format!("{zh}{}项", rule(k)))
                .collect();
            clauses.push(format!("完善和新建制度{rules}项（{}）", parts.join("、")));
        }
        for (k, zh) in [
            ("refunded", "清退资金"),
            ("recovered", "追回资金"),
            ("saved", "挽回经济损失"),
        ] {
            if let Some(fen) = o.money_fen.get(k).filter(|f| **f > 0) {
                clauses.push(format!("{zh}{}", money(*fen)));
            }
        }
        if o.accountability_people > 0 {
            let forms: Vec<String> = o
                .accountability_by_form
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(form, n)| format!("{form}{n}人"))
                .collect();
            if forms.is_empty() {
                clauses.push(format!("问责{}人", o.accountability_people));
            } else {
                clauses.push(format!(
                    "问责{}人（{}）",
                    o.accountability_people,
                    forms.join("、")
                ));
            }
        }
        if o.meetings > 0 {
            clauses.push(format!("召开专题会议{}次", o.meetings));
        }
        if !clauses.is_empty() {
            s.push('；');
            s.push_str(&clauses.join("，"));
        }
        s.push('。');
        s
    }

    /// Closures added up month by month: how far the round had come at each month's end.
    pub fn cumulative(&self) -> Vec<(String, i64)> {
        let mut total = 0;
        self.months
            .iter()
            .map(|m| {
                total += m.closed;
                (m.month.clone(), total)
            })
            .collect()
    }
}

/// The outcomes as label and figure, in the order offices list them, leaving out what is
/// nil: rules, money, people held accountable (and by form), meetings.
pub fn outcome_figures(o: &OutcomeTotals) -> Vec<(String, String)> {
    let mut out = vec![];
    for (k, zh) in [
        ("new", "新建制度"),
        ("revised", "修订制度"),
        ("repealed", "废止制度"),
    ] {
        if let Some(n) = o.rules.get(k).filter(|n| **n > 0) {
            out.push((zh.to_string(), format!("{n}项")));
        }
    }
    for (k, zh) in [
        ("refunded", "清退资金"),
        ("recovered", "追回资金"),
        ("saved", "挽回经济损失"),
    ] {
        if let Some(fen) = o.money_fen.get(k).filter(|f| **f > 0) {
            out.push((zh.to_string(), money(*fen)));
        }
    }
    if o.accountability_people > 0 {
        out.push(("问责".to_string(), format!("{}人", o.accountability_people)));
        for (form, n) in o.accountability_by_form.iter().filter(|(_, n)| **n > 0) {
            out.push((format!("其中{form}"), format!("{n}人")));
        }
    }
    if o.meetings > 0 {
        out.push(("召开专题会议".to_string(), format!("{}次", o.meetings)));
    }
    out
}

/// 66.7%, 100%, 0%.
pub fn percent(rate: f64) -> String {
    let p = (rate * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// Money as offices write it: 3,500元 below ten thousand, 12.35万元 above.
pub fn money(fen: i64) -> String {
    let yuan = fen as f64 / 100.0;
    if yuan.abs() >= 10_000.0 {
        format!("{}万元", trim(&format!("{:.2}", yuan / 10_000.0)))
    } else {
        format!("{}元", trim(&format!("{yuan:.2}")))
    }
}

fn trim(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_rates_read_as_offices_write_them() {
        assert_eq!(money(350_000), "3500元");
        assert_eq!(money(350_050), "3500.5元");
        assert_eq!(money(1_000_000), "1万元");
        assert_eq!(money(12_345_600), "12.35万元");
        assert_eq!(percent(2.0 / 3.0), "66.7%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
    }

    #[test]
    fn outcome_figures_list_what_is_there_in_the_offices_order() {
        let mut o = OutcomeTotals::default();
        assert!(outcome_figures(&o).is_empty());
        o.rules.insert("revised".into(), 2);
        o.rules.insert("new".into(), 3);
        o.rules.insert("repealed".into(), 0);
        o.money_fen.insert("recovered".into(), 1_250_000);
        o.accountability_people = 4;
        o.accountability_by_form.insert("诫勉谈话".into(), 3);
        o.accountability_by_form.insert("党纪处分".into(), 1);
        o.meetings = 2;
        let figures: Vec<String> = outcome_figures(&o)
            .into_iter()
            .map(|(l, v)| format!("{l}{v}"))
            .collect();
        assert_eq!(
            figures,
            [
                "新建制度3项",
                "修订制度2项",
                "追回资金1.25万元",
                "问责4人",
                "其中党纪处分1人",
                "其中诫勉谈话3人",
                "召开专题会议2次"
            ]
        );
    }

    #[test]
    fn a_tally_splits_done_basically_done_and_not_done() {
        let by: BTreeMap<FindingStatus, i64> = [
            (FindingStatus::Closed, 5),
            (FindingStatus::LongTerm, 1),
            (FindingStatus::BasicallyDone, 2),
            (FindingStatus::InProgress, 3),
            (FindingStatus::Reopened, 1),
            (FindingStatus::Transferred, 2),
        ]
        .into_iter()
        .collect();
        let t = Tally::of(&by);
        assert_eq!(
            (
                t.findings,
                t.done,
                t.basically_done,
                t.not_done,
                t.transferred
            ),
            (14, 6, 2, 4, 2)
        );
        assert!((t.completion_rate - 0.5).abs() < 1e-9);
    }

    #[test]
    fn closures_add_up_month_by_month() {
        let months = ["2025-06", "2025-07", "2025-09"]
            .iter()
            .zip([2, 0, 3])
            .map(|(m, closed)| MonthClosures {
                month: m.to_string(),
                closed,
            })
            .collect();
        let r = Report::new(
            Date::ymd(2025, 10, 1).expect("date"),
            None,
            vec![],
            vec![],
            months,
        );
        assert_eq!(
            r.cumulative(),
            [
                ("2025-06".to_string(), 2),
                ("2025-07".to_string(), 2),
                ("2025-09".to_string(), 5)
            ]
        );
        assert_eq!(
            r.paragraph(),
            "截至2025年10月1日，各轮巡察反馈的0个问题，已完成整改0个、未完成0个，整改完成率0%。"
        );
    }
}
