//! The checks of single records and the text bounds (`checks`, `limits`), shared by the
//! changes and the import: each rule in both directions, at its boundary.

mod common;

use common::*;
use zhenggai_core::checks::{self, next_id, outcome, person as person_check, sha256_hex};
use zhenggai_core::limits::{check, check_id, ID, NAME, TEXT, TITLE};
use zhenggai_core::{CoreError, MeasureKind, MoneyKind, Outcome, RuleChange};

fn field(r: Result<(), CoreError>) -> Option<String> {
    match r {
        Ok(()) => None,
        Err(CoreError::Invalid { field, .. }) => Some(field),
        Err(other) => panic!("not an invalid field: {other:?}"),
    }
}

#[test]
fn the_bounds_are_the_documented_ones() {
    assert_eq!((ID, NAME, TITLE, TEXT), (100, 200, 5_000, 20_000));
}

#[test]
fn text_is_bounded_in_characters_not_bytes() {
    assert_eq!(check("f", &"字".repeat(NAME), NAME, true), Ok(()));
    assert_eq!(
        check("f", &"字".repeat(NAME + 1), NAME, true),
        Err(CoreError::invalid("f", "过长：最多 200 个字符"))
    );
    assert_eq!(check("f", "", 0, false), Ok(()));
    assert_eq!(field(check("f", "a", 0, false)), Some("f".into()));
}

#[test]
fn text_refuses_control_characters_but_tabs_and_line_breaks() {
    assert_eq!(check("f", "一\t二\n三\r\n", 10, true), Ok(()));
    for c in ['\0', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}'] {
        let text = format!("a{c}b");
        assert_eq!(
            check("f", &text, 10, false),
            Err(CoreError::invalid(
                "f",
                format!("含有不允许的控制字符 U+{:04X}", u32::from(c))
            )),
            "{c:?}"
        );
    }
}

#[test]
fn required_text_is_not_blank_and_optional_text_may_be() {
    for blank in ["", " ", "\n\t"] {
        assert_eq!(
            check("f", blank, 10, true),
            Err(CoreError::invalid("f", "不能为空"))
        );
        assert_eq!(check("f", blank, 10, false), Ok(()));
    }
}

#[test]
fn ids_are_one_to_a_hundred_ascii_letters_digits_and_separators() {
    for ok in ["a", "fb-1.c2:a_3", "Z9", &"a".repeat(ID)] {
        assert_eq!(check_id("id", ok), Ok(()), "{ok}");
    }
    for bad in ["", "a b", "问题", "a/b", "é", &"a".repeat(ID + 1)] {
        assert_eq!(field(check_id("id", bad)), Some("id".into()), "{bad}");
    }
    assert_eq!(
        check_id("x", "坏"),
        Err(CoreError::invalid(
            "x",
            "标识“坏”无效：须为 1 至 100 个字母、数字或 - _ . : 字符"
        ))
    );
}

#[test]
fn sha256_is_64_lowercase_hex_digits() {
    assert_eq!(sha256_hex("h", &"0123456789abcdef".repeat(4)), Ok(()));
    for bad in [
        "A".repeat(64),
        "a".repeat(63),
        "a".repeat(65),
        format!("{}g", "a".repeat(63)),
        format!("{}/", "a".repeat(63)),
        format!("{}`", "a".repeat(63)),
        String::new(),
    ] {
        assert_eq!(
            sha256_hex("h", &bad),
            Err(CoreError::invalid("h", "须为 64 位小写十六进制 sha256")),
            "{bad}"
        );
    }
    // 64 bytes but fewer characters: lengths are bytes here.
    assert!(sha256_hex("h", &"é".repeat(32)).is_err());
}

#[test]
fn quantities_are_finite_and_not_negative() {
    let q = |value: f64| Outcome::Quantity {
        value,
        unit: "次".into(),
        what: "谈心谈话".into(),
    };
    for ok in [0.0, 0.5, 1e12] {
        assert_eq!(outcome(&q(ok)), Ok(()));
    }
    for bad in [-0.5, -1e-9, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(
            outcome(&q(bad)),
            Err(CoreError::invalid("value", "数量须为非负数")),
            "{bad}"
        );
    }
    let unit = Outcome::Quantity {
        value: 1.0,
        unit: "u".repeat(NAME + 1),
        what: String::new(),
    };
    assert_eq!(field(outcome(&unit)), Some("unit".into()));
    let what = Outcome::Quantity {
        value: 1.0,
        unit: String::new(),
        what: "w".repeat(TITLE + 1),
    };
    assert_eq!(field(outcome(&what)), Some("what".into()));
}

#[test]
fn money_is_not_negative() {
    for kind in [MoneyKind::Refunded, MoneyKind::Recovered, MoneyKind::Saved] {
        assert_eq!(outcome(&Outcome::Money { kind, fen: 0 }), Ok(()));
        assert_eq!(outcome(&Outcome::Money { kind, fen: 1 }), Ok(()));
        assert_eq!(
            outcome(&Outcome::Money { kind, fen: -1 }),
            Err(CoreError::invalid("fen", "金额不能为负"))
        );
    }
}

#[test]
fn accountability_names_a_form_and_at_least_one_person() {
    let a = |form: &str, people| Outcome::Accountability {
        form: form.into(),
        people,
    };
    assert_eq!(outcome(&a("党内警告", 1)), Ok(()));
    assert_eq!(
        outcome(&a("党内警告", 0)),
        Err(CoreError::invalid("people", "问责人数须大于 0"))
    );
    assert_eq!(field(outcome(&a(" ", 3))), Some("form".into()));
}

#[test]
fn rules_meetings_documents_and_mentions_need_their_text() {
    let long = "题".repeat(TITLE + 1);
    let cases = [
        (
            Outcome::Rule {
                change: RuleChange::New,
                title: " ".into(),
            },
            "title",
        ),
        (
            Outcome::Meeting {
                date: day(3),
                title: String::new(),
            },
            "title",
        ),
        (
            Outcome::Document {
                title: long.clone(),
            },
            "title",
        ),
        (
            Outcome::Mentioned {
                value: String::new(),
                text: "x".into(),
            },
            "value",
        ),
        (
            Outcome::Mentioned {
                value: "2022-04".into(),
                text: long,
            },
            "text",
        ),
    ];
    for (o, want) in cases {
        assert_eq!(field(outcome(&o)), Some(want.into()), "{o:?}");
    }
    let fine = [
        Outcome::Rule {
            change: RuleChange::Repealed,
            title: "《公务接待办法》".into(),
        },
        Outcome::Meeting {
            date: day(3),
            title: "专题民主生活会".into(),
        },
        Outcome::Document {
            title: "《整改方案》".into(),
        },
        Outcome::Mentioned {
            value: "2022".into(),
            text: String::new(),
        },
    ];
    for o in fine {
        assert_eq!(outcome(&o), Ok(()), "{o:?}");
    }
}

#[test]
fn a_person_in_history_has_a_name_and_an_id_of_bounded_length() {
    assert_eq!(person_check("by", "张三", "by_id", "u1"), Ok(()));
    assert_eq!(
        person_check("by", "张三", "by_id", &"i".repeat(2 * ID)),
        Ok(())
    );
    let cases = [
        ("", "u1", "by"),
        (&*"名".repeat(NAME + 1), "u1", "by"),
        ("张三", "", "by_id"),
        ("张三", &*"i".repeat(2 * ID + 1), "by_id"),
    ];
    for (name, id, want) in cases {
        assert_eq!(
            field(person_check("by", name, "by_id", id)),
            Some(want.into())
        );
    }
}

#[test]
fn a_submitted_measure_has_an_owner_and_a_date_unless_long_term() {
    let m = measure("m1", MeasureKind::ByDeadline, Some(day(9)));
    assert_eq!(checks::measure_planned(&m), Ok(()));
    let mut no_owner = m.clone();
    no_owner.owner = "\t".into();
    assert_eq!(
        checks::measure_planned(&no_owner),
        Err(CoreError::invalid("owner", "报送方案前须写明责任人"))
    );
    for kind in [MeasureKind::Immediate, MeasureKind::ByDeadline] {
        let undated = measure("m1", kind, None);
        assert_eq!(field(checks::measure_planned(&undated)), Some("due".into()));
    }
    let long = measure("m1", MeasureKind::LongTerm, None);
    assert_eq!(checks::measure_planned(&long), Ok(()));
}

#[test]
fn the_next_id_counts_past_what_is_taken() {
    let none: [&str; 0] = [];
    assert_eq!(next_id("p", none.iter().copied()), "p1");
    assert_eq!(next_id("p", ["p1", "p2"].iter().copied()), "p3");
    assert_eq!(next_id("p", ["p2"].iter().copied()), "p3");
    assert_eq!(next_id("p", ["p1", "p3"].iter().copied()), "p4");
    assert_eq!(next_id("p", ["p3", "p4", "x"].iter().copied()), "p5");
    assert_eq!(next_id("f.m", ["a", "b"].iter().copied()), "f.m3");
}
