use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date written as `YYYY-MM-DD` in JSON. Parsing is strict so that an impossible
/// date such as 2022-02-30 is refused at the place it appears instead of being shifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(y, m, d).map(Date)
    }

    pub fn parse(s: &str) -> Result<Date, String> {
        let bytes = s.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(format!("日期“{s}”格式不对，应为 YYYY-MM-DD"));
        }
        // Read by hand: chrono's parser interprets its pattern on every call, and an import
        // reads millions of dates. The shape was checked above, so the slices are digits.
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
            .map(Date)
            .ok_or_else(|| format!("日期“{s}”不存在"))
    }

    pub fn days_until(self, other: Date) -> i64 {
        (other.0 - self.0).num_days()
    }

    /// The date `days` later (earlier when negative). A date past the written form's range
    /// (a deadline policy of a billion days) stays at its end, 9999-12-31 or 0001-01-01:
    /// it means "never", and the date is still written and read as YYYY-MM-DD.
    pub fn add_days(self, days: i64) -> Date {
        let (first, last) = (Date::FIRST, Date::LAST);
        let moved = chrono::TimeDelta::try_days(days).and_then(|d| self.0.checked_add_signed(d));
        match moved {
            Some(d) if d > last.0 => last,
            Some(d) if d < first.0 => first,
            Some(d) => Date(d),
            None if days < 0 => first,
            None => last,
        }
    }

    /// The first and last dates the form YYYY-MM-DD can write.
    const FIRST: Date = Date(NaiveDate::from_ymd_opt(1, 1, 1).expect("a valid date"));
    const LAST: Date = Date(NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date"));

    /// The Chinese written form used in documents: 2022年3月29日.
    pub fn zh(self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written by hand: chrono's format parses its pattern on every call, and dates are
        // written millions of times by an import (and several times by each change).
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        let y = match u32::try_from(y) {
            Ok(y) if y < 10_000 => y,
            _ => return write!(f, "{y:04}-{m:02}-{d:02}"),
        };
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let text = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ];
        f.write_str(std::str::from_utf8(&text).unwrap_or_default())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// In the API's OpenAPI document a date is what JSON carries: a `string` of format `date`.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .description(Some("A calendar date, YYYY-MM-DD"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Date {}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_written_as_the_formatter_writes_them_for_every_year() {
        let formatted =
            |d: &chrono::NaiveDate| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        let mut day = chrono::NaiveDate::MIN;
        // Every 97th day from the first chrono knows to the last: every month and year
        // length, negative years and years past 9999.
        while let Some(next) = day.checked_add_days(chrono::Days::new(97)) {
            assert_eq!(Date(day).to_string(), formatted(&day));
            day = next;
        }
        for d in ["0001-01-01", "0999-12-31", "2022-03-29", "9999-12-31"] {
            assert_eq!(Date::parse(d).map(|x| x.to_string()), Ok(d.to_string()));
        }
    }

    use super::*;

    #[test]
    fn far_dates_stay_at_the_ends_of_the_written_form() {
        let d = Date::ymd(2026, 11, 29).expect("date");
        assert_eq!(d.add_days(1).to_string(), "2026-11-30");
        assert_eq!(d.add_days(-29).to_string(), "2026-10-31");
        assert_eq!(d.add_days(i64::from(u32::MAX)).to_string(), "9999-12-31");
        assert_eq!(d.add_days(i64::MAX).to_string(), "9999-12-31");
        assert_eq!(d.add_days(-3_000_000).to_string(), "0001-01-01");
        assert_eq!(d.add_days(i64::MIN).to_string(), "0001-01-01");
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn the_api_document_describes_a_date_as_a_string_of_format_date() {
        let schema = serde_json::to_value(<Date as utoipa::PartialSchema>::schema())
            .expect("schema as JSON");
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["format"], "date");
    }

    #[test]
    fn refuses_impossible_and_misshapen_dates() {
        assert!(Date::parse("2022-02-30").is_err());
        assert!(Date::parse("2022-2-3").is_err());
        assert!(Date::parse("２０２２-02-03").is_err());
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()),
            Ok("2024-02-29".to_string())
        );
    }

    #[test]
    fn writes_chinese_form() {
        assert_eq!(
            Date::ymd(2022, 3, 29).map(Date::zh),
            Some("2022年3月29日".into())
        );
    }
}
