//! Deadlines and warnings. The thresholds are a round's configuration, and the colour is
//! computed from dates whenever it is needed, never stored.

use serde::{Deserialize, Serialize};

use crate::date::Date;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct DeadlinePolicy {
    /// Days after feedback by which the plan is due (整改方案).
    #[cfg_attr(feature = "openapi", schema(maximum = 3650))]
    pub plan_due_days: u32,
    /// Days after feedback by which the rectification report is due.
    #[cfg_attr(feature = "openapi", schema(maximum = 3650))]
    pub report_due_days: u32,
    /// Days after feedback at which concentrated rectification ends.
    #[cfg_attr(feature = "openapi", schema(maximum = 3650))]
    pub concentrated_days: u32,
    /// Days before a due date at which the green warning starts.
    #[cfg_attr(feature = "openapi", schema(maximum = 3650))]
    pub green_days: u32,
    /// Days before a due date at which the yellow warning starts.
    #[cfg_attr(feature = "openapi", schema(maximum = 3650))]
    pub yellow_days: u32,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        DeadlinePolicy {
            plan_due_days: 30,
            report_due_days: 60,
            concentrated_days: 180,
            green_days: 20,
            yellow_days: 10,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    Green,
    Yellow,
    Red,
}

impl DeadlinePolicy {
    pub fn plan_due(&self, feedback: Date) -> Date {
        feedback.add_days(self.plan_due_days.into())
    }

    pub fn report_due(&self, feedback: Date) -> Date {
        feedback.add_days(self.report_due_days.into())
    }

    pub fn concentrated_end(&self, feedback: Date) -> Date {
        feedback.add_days(self.concentrated_days.into())
    }

    /// The warning for work due on `due` that is not finished on `today`.
    pub fn warning(&self, due: Date, today: Date) -> Option<Warning> {
        let left = today.days_until(due);
        if left < 0 {
            Some(Warning::Red)
        } else if left <= i64::from(self.yellow_days) {
            Some(Warning::Yellow)
        } else if left <= i64::from(self.green_days) {
            Some(Warning::Green)
        } else {
            None
        }
    }

    /// The last due dates that are yellow and green on `today`: a due date before `today` is
    /// red, up to the first bound yellow, up to the second green, the same as `warning`.
    pub fn warning_window(&self, today: Date) -> (Date, Date) {
        (
            today.add_days(self.yellow_days.into()),
            today.add_days(self.green_days.into()),
        )
    }

    pub fn check(&self) -> Result<(), String> {
        let terms = [
            ("整改方案期限", self.plan_due_days),
            ("整改报告期限", self.report_due_days),
            ("集中整改期", self.concentrated_days),
            ("绿色预警", self.green_days),
            ("黄色预警", self.yellow_days),
        ];
        if let Some((name, _)) = terms.iter().find(|(_, days)| *days > MAX_POLICY_DAYS) {
            return Err(format!("{name}天数过大：最多 {MAX_POLICY_DAYS} 天"));
        }
        if self.yellow_days > self.green_days {
            return Err("黄色预警天数不能大于绿色预警天数".into());
        }
        Ok(())
    }
}

/// The longest term a deadline policy may set, in days (ten years): a longer one is a
/// mistyped number, and would put due dates past any report's reach.
pub const MAX_POLICY_DAYS: u32 = 3_650;

/// Working days a unit has to answer a supervision notice (督办单) unless the office
/// chooses otherwise when issuing it.
pub const DEFAULT_REPLY_WORKING_DAYS: u32 = 5;

/// The date by which a supervision notice issued on `issued` must be answered: the
/// `working_days`-th working day after it, counting Monday to Friday (public holidays and
/// the weekend days worked in their place are not known here; an office that needs them
/// counted gives the number of days accordingly). 0 means the day of issue.
pub fn reply_due(issued: Date, working_days: u32) -> Date {
    use chrono::{Datelike, Weekday};
    let mut day = issued;
    let mut left = working_days;
    while left > 0 {
        day = day.add_days(1);
        if !matches!(day.0.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    day
}

/// Overdue: not finished and its due date has passed.
pub fn is_overdue(due: Option<Date>, finished: bool, today: Date) -> bool {
    !finished && due.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("test date")
    }

    #[test]
    fn colours_follow_the_thresholds() {
        let p = DeadlinePolicy::default();
        let due = d("2022-06-30");
        assert_eq!(p.warning(due, d("2022-06-01")), None);
        assert_eq!(p.warning(due, d("2022-06-10")), Some(Warning::Green));
        assert_eq!(p.warning(due, d("2022-06-20")), Some(Warning::Yellow));
        assert_eq!(p.warning(due, d("2022-06-30")), Some(Warning::Yellow));
        assert_eq!(p.warning(due, d("2022-07-01")), Some(Warning::Red));
        let strict = DeadlinePolicy {
            green_days: 30,
            yellow_days: 15,
            ..p
        };
        assert_eq!(strict.warning(due, d("2022-06-01")), Some(Warning::Green));
        assert_eq!(strict.warning(due, d("2022-06-16")), Some(Warning::Yellow));
    }

    #[test]
    fn the_window_agrees_with_the_warning() {
        let p = DeadlinePolicy::default();
        let today = d("2022-06-01");
        let (yellow, green) = p.warning_window(today);
        for offset in -5..40 {
            let due = today.add_days(offset);
            let by_window = if due < today {
                Some(Warning::Red)
            } else if due <= yellow {
                Some(Warning::Yellow)
            } else if due <= green {
                Some(Warning::Green)
            } else {
                None
            };
            assert_eq!(by_window, p.warning(due, today), "{due}");
        }
    }

    #[test]
    fn replies_are_due_after_working_days() {
        // 2025-07-03 is a Thursday.
        assert_eq!(reply_due(d("2025-07-03"), 0), d("2025-07-03"));
        assert_eq!(reply_due(d("2025-07-03"), 1), d("2025-07-04"));
        assert_eq!(reply_due(d("2025-07-03"), 2), d("2025-07-07"));
        assert_eq!(reply_due(d("2025-07-03"), 5), d("2025-07-10"));
        // Issued on a Saturday: Monday is the first working day.
        assert_eq!(reply_due(d("2025-07-05"), 1), d("2025-07-07"));
        assert_eq!(reply_due(d("2025-07-05"), 10), d("2025-07-18"));
    }

    #[test]
    fn overdue_needs_an_unfinished_past_due_date() {
        let today = d("2022-07-01");
        assert!(is_overdue(Some(d("2022-06-30")), false, today));
        assert!(!is_overdue(Some(d("2022-06-30")), true, today));
        assert!(!is_overdue(Some(d("2022-07-01")), false, today));
        assert!(!is_overdue(None, false, today));
    }
}
