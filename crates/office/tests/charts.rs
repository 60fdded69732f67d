//! The charts are well-formed SVG whatever the figures and names, say what they show, and
//! keep markup in names as text.

use std::collections::BTreeMap;

use proptest::prelude::*;
use zhenggai_core::report::{CategoryStats, MonthClosures, Report};
use zhenggai_core::stats::{OutcomeTotals, UnitStats, WarningCounts};
use zhenggai_core::{Date, FindingStatus};
use zhenggai_office::charts::{self, CHARTS, MAX_UNIT_BARS};

fn unit(name: &str, closed: i64, open: i64) -> UnitStats {
    let by_status: BTreeMap<FindingStatus, i64> = [
        (FindingStatus::Closed, closed),
        (FindingStatus::InProgress, open),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .collect();
    UnitStats {
        round_id: "r1".into(),
        round: "第一轮".into(),
        unit_id: format!("id-{name}"),
        unit: name.into(),
        findings: closed + open,
        by_status,
        overdue: 0,
        warnings: WarningCounts::default(),
        completion_rate: 0.0,
        outcomes: OutcomeTotals::default(),
    }
}

fn report(units: Vec<UnitStats>, categories: Vec<CategoryStats>, months: &[(&str, i64)]) -> Report {
    Report::new(
        Date::ymd(2025, 9, 30).expect("date"),
        Some(("r1".into(), "第一轮".into())),
        units,
        categories,
        months
            .iter()
            .map(|(m, n)| MonthClosures {
                month: m.to_string(),
                closed: *n,
            })
            .collect(),
    )
}

/// Parses the SVG (failing on anything malformed) and returns all its text.
fn text_of(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn each_chart_names_what_it_shows() {
    let r = report(
        vec![unit("城管局", 3, 1), unit("农业农村局", 0, 4)],
        vec![CategoryStats {
            title: "党的领导弱化".into(),
            by_status: [(FindingStatus::Closed, 3), (FindingStatus::InProgress, 5)]
                .into_iter()
                .collect(),
        }],
        &[("2025-06", 1), ("2025-08", 2)],
    );
    let by_unit = text_of(&charts::completion_by_unit(&r.units));
    assert!(by_unit.contains("城管局"), "{by_unit}");
    assert!(by_unit.contains("75%（3/4）"), "{by_unit}");
    assert!(by_unit.contains("0%（0/4）"), "{by_unit}");
    // Lowest completion first.
    assert!(by_unit.find("农业农村局") < by_unit.find("城管局"));
    let by_category = text_of(&charts::status_by_category(&r));
    assert!(by_category.contains("党的领导弱化"));
    assert!(by_category.contains("3/8"));
    let progress = text_of(&charts::progress(&r));
    assert!(progress.contains("2025年6月"), "{progress}");
    assert!(progress.contains("2025年8月"), "{progress}");
    assert!(progress.contains("累计3个"), "{progress}");
    assert!(progress.contains("反馈问题 8 个"), "{progress}");
    for (name, title) in CHARTS {
        let svg = charts::chart(name, &r).expect("known chart");
        assert!(text_of(&svg).contains(&title[..6]), "{name}");
    }
    assert!(charts::chart("nope", &r).is_none());
}

#[test]
fn many_units_become_a_histogram_and_no_data_says_so() {
    let units: Vec<UnitStats> = (0..=MAX_UNIT_BARS)
        .map(|i| unit(&format!("单位{i}"), i as i64 % 5, 4))
        .collect();
    let text = text_of(&charts::completion_by_unit(&units));
    assert!(
        text.contains(&format!("（{}个单位）", MAX_UNIT_BARS + 1)),
        "{text}"
    );
    assert!(!text.contains("单位7"), "a bar per unit: {text}");
    let none = report(vec![], vec![], &[]);
    for (name, _) in CHARTS {
        let svg = charts::chart(name, &none).expect("chart");
        assert!(text_of(&svg).contains("暂无数据"), "{name}");
    }
}

#[test]
fn markup_in_names_stays_text() {
    let evil = "<script>alert(1)</script>&\"'";
    let r = report(
        vec![unit(evil, 1, 1)],
        vec![CategoryStats {
            title: evil.into(),
            by_status: [(FindingStatus::Closed, 1)].into_iter().collect(),
        }],
        &[],
    );
    for svg in [
        charts::completion_by_unit(&r.units),
        charts::status_by_category(&r),
    ] {
        assert!(!svg.contains("<script"), "{svg}");
        let doc = roxmltree::Document::parse(&svg).expect("well formed");
        assert!(doc.descendants().all(|n| n.tag_name().name() != "script"));
        assert!(text_of(&svg).contains("<script>"), "kept as text");
    }
}

proptest! {
    #[test]
    fn any_figures_and_names_give_well_formed_svg(
        units in proptest::collection::vec(("\\PC{0,30}", 0i64..500, 0i64..500), 0..60),
        months in proptest::collection::vec(0i64..1000, 0..30),
    ) {
        let units: Vec<UnitStats> = units.iter().map(|(n, c, o)| unit(n, *c, *o)).collect();
        let categories = units
            .iter()
            .map(|u| CategoryStats { title: u.unit.clone(), by_status: u.by_status.clone() })
            .collect();
        let months: Vec<(String, i64)> = months
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("{}-{:02}", 2024 + i / 12, 1 + i % 12), *n))
            .collect();
        let months: Vec<(&str, i64)> = months.iter().map(|(m, n)| (m.as_str(), *n)).collect();
        let r = report(units, categories, &months);
        for (name, _) in CHARTS {
            let svg = charts::chart(name, &r).expect("chart");
            let doc = roxmltree::Document::parse(&svg);
            prop_assert!(doc.is_ok(), "{}", svg);
            if let Ok(doc) = doc {
                for n in doc.descendants() {
                    for a in n.attributes() {
                        if ["x", "y", "width", "height", "cx", "cy", "x1", "x2", "y1", "y2"].contains(&a.name()) {
                            let v: f64 = a.value().parse().unwrap_or(f64::NAN);
                            prop_assert!(v.is_finite() && v >= 0.0, "{}={} in {}", a.name(), a.value(), svg);
                        }
                    }
                }
            }
        }
    }
}
