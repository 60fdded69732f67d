//! Roll-ups per round and unit: findings by status, overdue, completion and outcome totals.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::FindingStatus;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeTotals {
    /// Money in fen by kind: refunded, recovered, saved.
    pub money_fen: BTreeMap<String, i64>,
    /// Rules by change: new, revised, repealed.
    pub rules: BTreeMap<String, i64>,
    pub accountability_people: i64,
    /// People held accountable by form (诫勉谈话, 党纪处分, …) as recorded.
    pub accountability_by_form: BTreeMap<String, i64>,
    pub meetings: i64,
    pub quantities: i64,
}

impl OutcomeTotals {
    pub fn add(&mut self, other: &OutcomeTotals) {
        for (k, v) in &other.money_fen {
            *self.money_fen.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.rules {
            *self.rules.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.accountability_by_form {
            *self.accountability_by_form.entry(k.clone()).or_default() += v;
        }
        self.accountability_people += other.accountability_people;
        self.meetings += other.meetings;
        self.quantities += other.quantities;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitStats {
    pub round_id: String,
    pub round: String,
    pub unit_id: String,
    pub unit: String,
    pub findings: i64,
    pub by_status: BTreeMap<FindingStatus, i64>,
    /// Findings with at least one unfinished measure past its (extended) due date.
    pub overdue: i64,
    /// Open findings by the warning their earliest open due date gives today under the
    /// round's policy; red is the same count as `overdue`.
    pub warnings: WarningCounts,
    pub completion_rate: f64,
    pub outcomes: OutcomeTotals,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarningCounts {
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
}

/// Signed off as closed or long-term, over every finding not transferred to the
/// discipline body (those leave the ordinary track).
pub fn completion_rate(by_status: &BTreeMap<FindingStatus, i64>) -> f64 {
    let get = |s| by_status.get(&s).copied().unwrap_or(0);
    let total: i64 = by_status.values().sum::<i64>() - get(FindingStatus::Transferred);
    if total <= 0 {
        return 0.0;
    }
    (get(FindingStatus::Closed) + get(FindingStatus::LongTerm)) as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_leaves_out_transferred_findings() {
        let mut m = BTreeMap::new();
        m.insert(FindingStatus::Closed, 3);
        m.insert(FindingStatus::LongTerm, 1);
        m.insert(FindingStatus::InProgress, 4);
        m.insert(FindingStatus::Transferred, 2);
        assert!((completion_rate(&m) - 0.5).abs() < 1e-9);
        assert_eq!(completion_rate(&BTreeMap::new()), 0.0);
    }

    fn totals(n: i64, kind: &str) -> OutcomeTotals {
        let one = |k: &str| BTreeMap::from([(k.to_string(), n)]);
        OutcomeTotals {
            money_fen: one(kind),
            rules: one(kind),
            accountability_people: n,
            accountability_by_form: one(kind),
            meetings: n + 1,
            quantities: n + 2,
        }
    }

    #[test]
    fn outcome_totals_add_up_field_by_field_and_key_by_key() {
        let mut sum = totals(3, "refunded");
        sum.add(&totals(4, "refunded"));
        sum.add(&totals(5, "saved"));
        let both = BTreeMap::from([("refunded".to_string(), 7), ("saved".to_string(), 5)]);
        assert_eq!(
            sum,
            OutcomeTotals {
                money_fen: both.clone(),
                rules: both.clone(),
                accountability_people: 12,
                accountability_by_form: both,
                meetings: 15,
                quantities: 18,
            }
        );
    }
}
