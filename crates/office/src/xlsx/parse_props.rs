//! Property tests of the cell parsers: any text or number gives a value or a message,
//! never a panic; what the export writes reads back as the same value.

use proptest::prelude::*;
use zhenggai_core::Date;

use super::cells::{self, Due, Progress};
use super::columns::{header_key, Column};
use super::dates;
use super::grid::Cell;

fn day() -> impl Strategy<Value = Date> {
    (1950i32..2199, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real day", |(y, m, d)| Date::ymd(y, m, d))
}

/// Text near the forms offices type: digits, date separators, CJK date words, spaces.
fn datelike() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "[0-9０-９年月日号底末前以之完成止 \u{3000}./\\-:：长期坚持立行改]{0,24}",
    )
    .expect("regex")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn date_parsers_never_panic(text in datelike(), any in ".{0,40}") {
        for t in [&text, &any] {
            let _ = dates::day(t);
            let _ = dates::deadline(t);
            let _ = dates::leading_day(t);
            let _ = dates::prefix_day(t);
            let _ = cells::due(&Cell::Text(t.clone()));
            let _ = cells::day(&Cell::Text(t.clone()));
            let _ = cells::kind(t);
            let _ = cells::status(t);
            let _ = cells::progress(t);
        }
    }

    #[test]
    fn numbers_never_panic(n in any::<f64>()) {
        let _ = cells::due(&Cell::Number(n));
        let _ = cells::day(&Cell::Number(n));
        let _ = dates::from_serial(n);
        let _ = Cell::Number(n).text();
    }

    /// Every form the export or an office writes a day in reads as that day.
    #[test]
    fn days_read_back_in_every_written_form(d in day()) {
        use chrono::Datelike;
        let (y, m, dd) = (d.0.year(), d.0.month(), d.0.day());
        for text in [
            dates::zh(d),
            format!("{y}-{m:02}-{dd:02}"),
            format!("{y}/{m}/{dd}"),
            format!("{y}.{m}.{dd}"),
            format!("{y}{m:02}{dd:02}"),
            format!(" {y} 年 {m} 月 {dd} 日 "),
        ] {
            prop_assert_eq!(dates::day(&text), Ok(Some(d)), "{}", text);
            prop_assert_eq!(cells::due(&Cell::Text(text.clone())), Ok(Due::On(d)), "{}", text);
        }
        prop_assert_eq!(cells::due(&Cell::Date(d)), Ok(Due::On(d)));
        prop_assert_eq!(cells::due(&Cell::Number(dates::excel_serial(d))), Ok(Due::On(d)));
        prop_assert_eq!(dates::from_serial(dates::excel_serial(d)), Some(d));
    }

    /// The last day of any month, written as 某年某月底前, is that day.
    #[test]
    fn month_ends_are_the_last_day(d in day()) {
        use chrono::Datelike;
        let text = format!("{}年{}月底前", d.0.year(), d.0.month());
        let got = dates::deadline(&text).ok().flatten().expect("a deadline");
        prop_assert_eq!((got.0.year(), got.0.month()), (d.0.year(), d.0.month()));
        prop_assert!(got >= d);
        prop_assert!(got.add_days(1).0.month() != got.0.month());
    }

    /// Progress written one update a line reads back update for update.
    #[test]
    fn progress_reads_back(updates in proptest::collection::vec(
        (day(), "[\u{4e00}-\u{4e3f}a-z][\u{4e00}-\u{4e3f}a-z，。 ]{0,20}[\u{4e00}-\u{4e3f}]"), 0..4)
    ) {
        let updates: Vec<Progress> = updates
            .into_iter()
            .map(|(d, text)| Progress { date: Some(d), text })
            .collect();
        prop_assert_eq!(cells::progress(&cells::write_progress(&updates)), Ok(updates));
    }

    /// Headers with spaces, line breaks, a required-field star or a bracketed note name
    /// the same column as the bare header; any other text names at most one column.
    #[test]
    fn header_variants_name_their_column(
        which in 0usize..14,
        variant in 0usize..8,
        pad in "[ \u{3000}\n]{0,3}",
        note in "[\u{4e00}-\u{4e3f}]{0,6}",
        any in ".{0,30}",
    ) {
        let column = Column::ALL[which];
        let names = column.names();
        let name = names[variant % names.len()];
        let mut spaced: String = name.chars().flat_map(|c| [c].into_iter().chain(pad.chars())).collect();
        spaced.push_str(&format!("（{note}）"));
        prop_assert_eq!(Column::named(&spaced), Some(column), "{}", spaced);
        prop_assert_eq!(Column::named(&format!("*{name}")), Some(column));
        let _ = Column::named(&any);
        let _ = header_key(&any);
    }
}
