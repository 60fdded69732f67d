//! The round's deadline policy, the warning colours at their boundaries, overdue, dates
//! and the completion rate.

use std::collections::BTreeMap;

use zhenggai_core::policy::{is_overdue, MAX_POLICY_DAYS};
use zhenggai_core::stats::completion_rate;
use zhenggai_core::{Date, DeadlinePolicy, FindingStatus as S, Warning};

fn d(s: &str) -> Date {
    Date::parse(s).expect("test date")
}

/// A policy whose every number differs, so that no deadline can borrow another's.
fn distinct() -> DeadlinePolicy {
    DeadlinePolicy {
        plan_due_days: 15,
        report_due_days: 61,
        concentrated_days: 183,
        green_days: 25,
        yellow_days: 7,
    }
}

#[test]
fn each_deadline_counts_its_own_days_from_the_feedback() {
    let p = distinct();
    let fed = d("2022-03-29");
    assert_eq!(p.plan_due(fed), d("2022-04-13"));
    assert_eq!(p.report_due(fed), d("2022-05-29"));
    assert_eq!(p.concentrated_end(fed), d("2022-09-28"));
}

#[test]
fn the_default_policy_is_the_common_one() {
    assert_eq!(
        DeadlinePolicy::default(),
        DeadlinePolicy {
            plan_due_days: 30,
            report_due_days: 60,
            concentrated_days: 180,
            green_days: 20,
            yellow_days: 10,
        }
    );
}

#[test]
fn colours_change_exactly_at_their_thresholds() {
    let p = distinct();
    let due = d("2022-06-30");
    let cases = [
        (-26, None),
        (-25, Some(Warning::Green)),
        (-8, Some(Warning::Green)),
        (-7, Some(Warning::Yellow)),
        (0, Some(Warning::Yellow)),
        (1, Some(Warning::Red)),
        (100, Some(Warning::Red)),
    ];
    for (offset, want) in cases {
        assert_eq!(p.warning(due, due.add_days(offset)), want, "{offset}");
    }
}

#[test]
fn the_window_ends_on_the_last_yellow_and_green_due_dates() {
    let today = d("2022-06-01");
    assert_eq!(
        distinct().warning_window(today),
        (d("2022-06-08"), d("2022-06-26"))
    );
}

#[test]
fn yellow_may_not_start_before_green() {
    let mut p = distinct();
    assert_eq!(p.check(), Ok(()));
    p.yellow_days = p.green_days;
    assert_eq!(p.check(), Ok(()));
    p.yellow_days = p.green_days + 1;
    assert_eq!(p.check(), Err("黄色预警天数不能大于绿色预警天数".into()));
}

#[test]
fn no_term_may_run_past_ten_years() {
    let terms: [fn(&mut DeadlinePolicy) -> &mut u32; 5] = [
        |p| &mut p.plan_due_days,
        |p| &mut p.report_due_days,
        |p| &mut p.concentrated_days,
        |p| &mut p.green_days,
        |p| &mut p.yellow_days,
    ];
    for (i, term) in terms.iter().enumerate() {
        let mut p = DeadlinePolicy {
            green_days: MAX_POLICY_DAYS,
            ..DeadlinePolicy::default()
        };
        *term(&mut p) = MAX_POLICY_DAYS;
        assert_eq!(p.check(), Ok(()), "term {i} at the bound");
        *term(&mut p) = MAX_POLICY_DAYS + 1;
        let refused = p.check().err().unwrap_or_default();
        assert!(
            refused.ends_with("天数过大：最多 3650 天"),
            "term {i}: {refused}"
        );
    }
}

#[test]
fn overdue_is_unfinished_work_past_its_date() {
    let today = d("2022-07-01");
    assert!(is_overdue(Some(d("2022-06-30")), false, today));
    assert!(!is_overdue(Some(d("2022-06-30")), true, today));
    assert!(!is_overdue(Some(today), false, today));
    assert!(!is_overdue(None, false, today));
}

#[test]
fn dates_count_add_and_print() {
    let a = d("2022-02-27");
    assert_eq!(a.add_days(2), d("2022-03-01"));
    assert_eq!(a.add_days(-58), d("2021-12-31"));
    assert_eq!(a.days_until(d("2022-03-01")), 2);
    assert_eq!(d("2022-03-01").days_until(a), -2);
    assert_eq!(a.to_string(), "2022-02-27");
    assert_eq!(
        Date::ymd(987, 1, 2).map(|x| x.to_string()),
        Some("0987-01-02".into())
    );
    assert_eq!(a.zh(), "2022年2月27日");
    assert_eq!(Date::ymd(2022, 2, 29), None);
    assert_eq!(serde_json::to_string(&a).expect("json"), r#""2022-02-27""#);
    assert_eq!(
        serde_json::from_str::<Date>(r#""2022-02-27""#).ok(),
        Some(a)
    );
    assert!(serde_json::from_str::<Date>(r#""2022-02-30""#).is_err());
    for bad in [
        "2022/02/27",
        "2022-02-2x",
        "20220227",
        "2022-02-277",
        "a022-02-27",
    ] {
        assert_eq!(
            Date::parse(bad),
            Err(format!("日期“{bad}”格式不对，应为 YYYY-MM-DD")),
            "{bad}"
        );
    }
    assert_eq!(
        Date::parse("2022-13-01"),
        Err("日期“2022-13-01”不存在".into())
    );
}

#[test]
fn completion_counts_closed_and_long_term_over_what_was_not_transferred() {
    let rate =
        |pairs: &[(S, i64)]| completion_rate(&pairs.iter().copied().collect::<BTreeMap<_, _>>());
    assert_eq!(rate(&[]), 0.0);
    assert_eq!(rate(&[(S::Transferred, 3)]), 0.0);
    assert_eq!(
        rate(&[(S::Closed, 1), (S::LongTerm, 1), (S::BasicallyDone, 2)]),
        0.5
    );
    assert_eq!(
        rate(&[(S::Closed, 3), (S::Transferred, 5), (S::InProgress, 1)]),
        0.75
    );
}
