//! The writer held to serde_json, byte for byte.

use super::*;
use proptest::prelude::*;

fn ours(n: &Notice) -> String {
    let mut v = Vec::new();
    write(n, &mut v).expect("to memory");
    String::from_utf8(v).expect("utf-8")
}

/// Text with every kind of character that escaping treats apart, in runs longer and
/// shorter than the 32 bytes checked at once.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("\"".to_string()),
            Just("\\".to_string()),
            (0u8..0x20).prop_map(|b| char::from(b).to_string()),
            Just("\u{7f}".to_string()),
            Just("整改措施".to_string()),
            Just("整改措施已全部落实到位，".to_string()),
            Just("，".to_string()),
            Just("/".to_string()),
            "[a-z0-9 ]{0,9}",
            any::<char>().prop_map(String::from),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

fn float(f: f64) -> String {
    let mut w = Vec::new();
    let mut out = Out {
        buf: Vec::new(),
        w: &mut w,
    };
    out.float(f).expect("to memory");
    String::from_utf8(out.buf).expect("utf-8")
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn measure() -> impl Strategy<Value = Measure> {
    (
        (0usize..40, text(), any::<usize>()),
        proptest::collection::vec((text(), any::<f64>(), opt_text(), opt_text()), 0..3),
        proptest::collection::vec((text(), text()), 0..3),
        proptest::collection::vec(text(), 0..3),
    )
        .prop_map(|((ordinal, text, line), q, d, documents)| Measure {
            ordinal,
            text,
            line,
            quantities: q
                .into_iter()
                // JSON has no NaN or infinity; a parse never produces them.
                .filter(|(_, v, _, _)| v.is_finite())
                .map(|(text, value, unit, qualifier)| Quantity {
                    text,
                    value,
                    unit,
                    qualifier,
                })
                .collect(),
            dates: d
                .into_iter()
                .map(|(text, value)| DateMention { text, value })
                .collect(),
            documents,
        })
}

fn finding() -> impl Strategy<Value = Finding> {
    (
        (text(), text(), proptest::option::of(0usize..9)),
        (proptest::option::of(0usize..9), any::<usize>(), 0usize..5),
        proptest::collection::vec(measure(), 0..3),
    )
        .prop_map(
            |((number, title, category), (aspect, line, s), measures)| Finding {
                number,
                title,
                category,
                aspect,
                line,
                status: [
                    FindingStatus::Done,
                    FindingStatus::InProgress,
                    FindingStatus::LongTerm,
                    FindingStatus::Transferred,
                    FindingStatus::Unknown,
                ][s],
                measures,
            },
        )
}

fn notice() -> impl Strategy<Value = Notice> {
    (
        (text(), text(), text(), text(), 0usize..6),
        (
            opt_text(),
            opt_text(),
            opt_text(),
            proptest::option::of((text(), text())),
        ),
        (opt_text(), opt_text()),
        (
            proptest::collection::vec((text(), text(), any::<usize>()), 0..3),
            proptest::collection::vec(
                (
                    text(),
                    text(),
                    proptest::option::of(0usize..3),
                    any::<usize>(),
                ),
                0..3,
            ),
            proptest::collection::vec(finding(), 0..4),
        ),
        (
            proptest::collection::vec(text(), 0..3),
            proptest::collection::btree_map(text(), text(), 0..3),
            proptest::collection::vec((proptest::option::of(any::<usize>()), text()), 0..3),
        ),
    )
        .prop_map(
            |(
                (format, file, sha256, encoding, k),
                (title, unit, inspector, period),
                (feedback_date, published),
                (categories, aspects, findings),
                (documents, contact, warnings),
            )| Notice {
                format,
                source: Source {
                    file,
                    sha256,
                    encoding,
                },
                kind: [
                    Kind::Progress,
                    Kind::Final,
                    Kind::Plan,
                    Kind::Feedback,
                    Kind::Aggregate,
                    Kind::Unknown,
                ][k],
                title,
                unit,
                inspector,
                inspection_period: period.map(|(start, end)| Period { start, end }),
                feedback_date,
                published,
                categories: categories
                    .into_iter()
                    .map(|(number, title, line)| Heading {
                        number,
                        title,
                        line,
                    })
                    .collect(),
                aspects: aspects
                    .into_iter()
                    .map(|(number, title, category, line)| AspectHeading {
                        number,
                        title,
                        category,
                        line,
                    })
                    .collect(),
                findings,
                documents,
                contact,
                warnings: warnings
                    .into_iter()
                    .map(|(line, message)| Warning { line, message })
                    .collect(),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn strings_escape_as_serde_json_escapes_them(s in text()) {
        let mut v = Vec::new();
        escape_into(&mut v, &s);
        let serde = serde_json::to_string(&s).expect("string");
        prop_assert_eq!(format!("\"{}\"", String::from_utf8(v).expect("utf-8")), serde);
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them(
        f in prop_oneof![
            any::<f64>().prop_filter("finite", |f| f.is_finite()),
            any::<i64>().prop_map(|n| n as f64),
            (-1_000_000_000_000_000i64..1_000_000_000_000_000).prop_map(|n| n as f64),
            (-100_000i64..100_000).prop_map(|n| n as f64 / 4.0),
            prop::sample::select(vec![0.0, -0.0, 1e15, -1e15, 1e15 - 1.0, 1e16, 0.5, -0.5]),
        ]
    ) {
        prop_assert_eq!(float(f), serde_json::to_string(&f).expect("number"));
    }

    #[test]
    fn a_notice_is_written_as_serde_json_writes_it(n in notice()) {
        prop_assert_eq!(ours(&n), serde_json::to_string(&n).expect("notice"));
    }
}

#[test]
fn a_parsed_notice_is_written_as_serde_json_writes_it() {
    let text = "中共示例局党组关于巡察整改进展情况的通报\n一、党建方面\n(一)关于“台账不全”的问题\n整改措施:1.补齐台账3本，清退资金1.5万元;2.2024年6月底前建立《核对制度》。\n来信请寄：示例路1号\t\"引号\"\\";
    let n = crate::parse_text(text, "a\u{1}b.txt", "utf-8", "00");
    assert!(!n.findings.is_empty());
    assert_eq!(ours(&n), serde_json::to_string(&n).expect("notice"));
}

#[test]
fn numbers_are_written_in_decimal() {
    let mut b = [0u8; 20];
    for n in [0u64, 7, 10, 99, 12345, u64::MAX] {
        assert_eq!(format_uint(&mut b, n), n.to_string().as_bytes());
    }
}
