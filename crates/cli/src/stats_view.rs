//! The table `zhenggai stats` prints for people.

use std::fmt::Write;

use zhenggai_core::stats::UnitStats;
use zhenggai_core::FindingStatus;

fn yuan(fen: i64) -> String {
    if fen >= 1_000_000 {
        format!("{:.2}万元", fen as f64 / 1_000_000.0)
    } else {
        format!("{:.2}元", fen as f64 / 100.0)
    }
}

pub fn render(stats: &[UnitStats]) -> String {
    let mut out = String::new();
    let mut round = None;
    for s in stats {
        if round != Some(&s.round_id) {
            let _ = writeln!(out, "【{}】", s.round);
            round = Some(&s.round_id);
        }
        let statuses: Vec<String> = FindingStatus::ALL
            .iter()
            .filter_map(|st| s.by_status.get(st).map(|n| format!("{}{}", st.zh(), n)))
            .collect();
        let _ = writeln!(
            out,
            "  {}：问题{}个（{}），逾期{}个，完成率{:.1}%",
            s.unit,
            s.findings,
            statuses.join("、"),
            s.overdue,
            s.completion_rate * 100.0
        );
        let w = &s.warnings;
        if w.red + w.yellow + w.green > 0 {
            let _ = writeln!(
                out,
                "    预警：红色{}个，黄色{}个，绿色{}个",
                w.red, w.yellow, w.green
            );
        }
        let o = &s.outcomes;
        let mut parts = Vec::new();
        for (kind, zh) in [
            ("refunded", "清退"),
            ("recovered", "追回"),
            ("saved", "挽回"),
        ] {
            if let Some(fen) = o.money_fen.get(kind) {
                parts.push(format!("{zh}{}", yuan(*fen)));
            }
        }
        for (kind, zh) in [
            ("new", "新建制度"),
            ("revised", "修订制度"),
            ("repealed", "废止制度"),
        ] {
            if let Some(n) = o.rules.get(kind) {
                parts.push(format!("{zh}{n}项"));
            }
        }
        if o.accountability_people > 0 {
            parts.push(format!("问责{}人", o.accountability_people));
        }
        if o.meetings > 0 {
            parts.push(format!("召开会议{}次", o.meetings));
        }
        if !parts.is_empty() {
            let _ = writeln!(out, "    成效：{}", parts.join("，"));
        }
    }
    if stats.is_empty() {
        out.push_str("账本中还没有数据。\n");
    }
    out
}
