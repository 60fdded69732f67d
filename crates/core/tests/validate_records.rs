//! The import validator on the records of a feedback tree: ids, texts, measures, progress,
//! outcomes, extensions and evidence, each rule in both directions at its exact JSON path.

mod common;

use common::ledger::*;
use common::*;
use zhenggai_core::validate;
use zhenggai_core::{ExtensionDecision, MeasureKind, Outcome};

fn m1(fb: &mut zhenggai_core::Feedback) -> &mut zhenggai_core::Measure {
    &mut f1(fb).measures[0]
}

#[test]
fn the_ledger_the_changes_built_is_accepted() {
    assert_eq!(validate(&full()), Ok(()));
}

#[test]
fn the_feedback_names_a_known_round_and_unit_with_a_valid_id() {
    assert_eq!(refused_at(|fb| fb.id = "反馈".into()), "fb.id");
    assert_eq!(refused_at(|fb| fb.round_id = "r9".into()), "fb.round_id");
    assert_eq!(refused_at(|fb| fb.unit_id = "u9".into()), "fb.unit_id");
    let unknown = validate::feedback("x", &full(), |_| true, |_| false).expect_err("unit");
    assert_eq!(unknown.path, "x.unit_id");
    assert_eq!(unknown.message, format!("引用了不存在的单位“{UNIT}”"));
    assert_eq!(
        unknown.to_string(),
        format!("x.unit_id：引用了不存在的单位“{UNIT}”")
    );
}

#[test]
fn categories_aspects_and_findings_have_unique_ids_and_titles() {
    assert_eq!(
        refused_at(|fb| fb.categories[1].id = "c1".into()),
        "fb.categories[1].id"
    );
    assert_eq!(
        refused_at(|fb| fb.categories[1].aspects[0].id = "a1".into()),
        "fb.categories[1].aspects[0].id"
    );
    assert_eq!(refused_at(|fb| f3(fb).id = "f1".into()), format!("{F3}.id"));
    assert_eq!(
        refused_at(|fb| f3(fb).id = "f 3".into()),
        format!("{F3}.id")
    );
    // Ids are unique per kind of record: a category may share an aspect's id.
    accepted(|fb| fb.categories[1].id = "a1".into());
    accepted(|fb| f3(fb).id = "c1".into());
    assert_eq!(
        refused_at(|fb| fb.categories[0].title = " ".into()),
        "fb.categories[0].title"
    );
    assert_eq!(
        refused_at(|fb| fb.categories[1].aspects[0].title = "a\u{0}".into()),
        "fb.categories[1].aspects[0].title"
    );
    assert_eq!(
        refused_at(|fb| f2(fb).title = "题".repeat(5_001)),
        format!("{F2}.title")
    );
    accepted(|fb| f2(fb).title = "题".repeat(5_000));
}

#[test]
fn measures_have_unique_ids_across_the_feedback_and_valid_texts() {
    assert_eq!(
        refused_at(|fb| f3(fb).measures[0].id = "f1.m1".into()),
        format!("{F3}.measures[0].id")
    );
    let cases: [(&str, Edit<zhenggai_core::Measure>); 4] = [
        ("text", |m| m.text = String::new()),
        ("lead", |m| m.lead = "l".repeat(201)),
        ("department", |m| m.department = "\u{1}".into()),
        ("owner", |m| m.owner = "o".repeat(201)),
    ];
    for (field, edit) in cases {
        assert_eq!(
            refused_at(|fb| edit(&mut f3(fb).measures[0])),
            format!("{F3}.measures[0].{field}")
        );
    }
}

#[test]
fn only_long_term_measures_carry_a_long_term_reason_and_it_is_not_blank() {
    let m2 = format!("{F1}.measures[1].long_term_reason");
    assert_eq!(
        refused_at(|fb| f1(fb).measures[1].long_term_reason = Some(" ".into())),
        m2
    );
    assert_eq!(
        refused_at(|fb| f1(fb).measures[1].kind = MeasureKind::ByDeadline),
        m2
    );
    assert_eq!(
        refused_at(|fb| f3(fb).measures[0].long_term_reason = Some("长期".into())),
        format!("{F3}.measures[0].long_term_reason")
    );
}

#[test]
fn progress_ids_are_unique_within_a_measure_only() {
    let p = format!("{F1}.measures[0].progress[1]");
    assert_eq!(
        refused_at(|fb| m1(fb).progress[1].id = "p1".into()),
        format!("{p}.id")
    );
    assert_eq!(
        refused_at(|fb| m1(fb).progress[1].id = "进展".into()),
        format!("{p}.id")
    );
    // f2.m1 has its own p1.
    accepted(|fb| assert_eq!(f2(fb).measures[0].progress[0].id, "p1"));
    assert_eq!(
        refused_at(|fb| m1(fb).progress[1].text = "\t".into()),
        format!("{p}.text")
    );
    assert_eq!(
        refused_at(|fb| m1(fb).progress[1].author = String::new()),
        format!("{p}.author")
    );
    assert_eq!(
        refused_at(|fb| m1(fb).progress[1].author_id = String::new()),
        format!("{p}.author_id")
    );
}

#[test]
fn outcomes_are_checked_at_their_index() {
    let o = format!("{F1}.measures[0].outcomes");
    let cases: [(usize, &str, Outcome); 6] = [
        (0, "value", q(-1.0)),
        (0, "value", q(f64::NAN)),
        (0, "value", q(f64::INFINITY)),
        (
            1,
            "fen",
            Outcome::Money {
                kind: zhenggai_core::MoneyKind::Saved,
                fen: -100,
            },
        ),
        (
            3,
            "people",
            Outcome::Accountability {
                form: "通报批评".into(),
                people: 0,
            },
        ),
        (
            6,
            "value",
            Outcome::Mentioned {
                value: " ".into(),
                text: String::new(),
            },
        ),
    ];
    for (i, field, bad) in cases {
        assert_eq!(
            refused_at(|fb| m1(fb).outcomes[i] = bad),
            format!("{o}[{i}].{field}")
        );
    }
}

fn q(value: f64) -> Outcome {
    Outcome::Quantity {
        value,
        unit: "次".into(),
        what: String::new(),
    }
}

#[test]
fn extensions_ask_for_a_later_date_than_the_one_in_force() {
    let x = format!("{F1}.measures[0].extensions");
    // x1 moved the date to 2022-07-31; x2 (refused) asked for 2022-08-15.
    assert_eq!(
        refused_at(|fb| m1(fb).extensions[1].new_due = d("2022-07-31")),
        format!("{x}[1].new_due")
    );
    assert_eq!(
        refused_at(|fb| m1(fb).extensions[0].new_due = d("2022-06-30")),
        format!("{x}[0].new_due")
    );
    accepted(|fb| m1(fb).extensions[1].new_due = d("2022-08-01"));
    // A refusal moves nothing: after a refused x1, x2 needs only beat the original date.
    accepted(|fb| {
        m1(fb).extensions[0].decision = ExtensionDecision::Refused;
        m1(fb).extensions[1].new_due = d("2022-07-01");
    });
    assert_eq!(
        refused_at(|fb| m1(fb).due = None),
        format!("{x}[0].new_due"),
        "no due date, no extension"
    );
}

#[test]
fn extensions_are_decided_whole_one_pending_at_a_time_and_not_before_they_were_asked() {
    let x = format!("{F1}.measures[0].extensions");
    let half: [Edit<zhenggai_core::Extension>; 4] = [
        |e| e.decided_by = None,
        |e| e.decided_by_id = None,
        |e| e.decided_on = None,
        |e| e.decision = ExtensionDecision::Requested,
    ];
    for edit in half {
        assert_eq!(
            refused_at(|fb| edit(&mut m1(fb).extensions[1])),
            format!("{x}[1].decision")
        );
    }
    // A pending request with a decider written in is half-decided too.
    let f2x = format!("{F2}.measures[0].extensions[0]");
    assert_eq!(
        refused_at(|fb| f2(fb).measures[0].extensions[0].decided_on = Some(day(9))),
        format!("{f2x}.decision")
    );
    // Pending and followed by another request.
    let pending_then_more = refusal(|fb| {
        let e = &mut m1(fb).extensions[0];
        (e.decision, e.decided_by, e.decided_by_id, e.decided_on) =
            (ExtensionDecision::Requested, None, None, None);
    });
    assert_eq!(
        (pending_then_more.path, pending_then_more.message),
        (
            format!("{x}[0].decision"),
            "之后又有延期申请，此申请应已审批".to_string()
        )
    );
    let half_decided = refusal(|fb| m1(fb).extensions[1].decided_on = None);
    assert_eq!(
        half_decided.message,
        "已批准或已拒绝的延期须写明审批人、审批人标识和日期，待审批的不写"
    );
    assert_eq!(
        refused_at(|fb| m1(fb).extensions[1].decided_on = Some(day(10))),
        format!("{x}[1].decided_on")
    );
    accepted(|fb| m1(fb).extensions[1].decided_on = Some(day(11)));
    assert_eq!(
        refused_at(|fb| m1(fb).extensions[1].decided_by = Some(String::new())),
        format!("{x}[1].decided_by")
    );
    assert_eq!(
        refused_at(|fb| m1(fb).extensions[1].decided_by_id = Some(String::new())),
        format!("{x}[1].decided_by_id")
    );
}

#[test]
fn extensions_have_unique_ids_a_requester_and_a_reason() {
    let x = format!("{F1}.measures[0].extensions[1]");
    assert_eq!(
        refused_at(|fb| m1(fb).extensions[1].id = "x1".into()),
        format!("{x}.id")
    );
    assert_eq!(
        refused_at(|fb| m1(fb).extensions[1].reason = " ".into()),
        format!("{x}.reason")
    );
    assert_eq!(
        refused_at(|fb| m1(fb).extensions[1].requested_by = String::new()),
        format!("{x}.requested_by")
    );
    assert_eq!(
        refused_at(|fb| m1(fb).extensions[1].requested_by_id = String::new()),
        format!("{x}.requested_by_id")
    );
}

#[test]
fn evidence_ids_are_unique_within_the_finding_and_each_file_is_checked() {
    let e = format!("{F1}.evidence[1]");
    assert_eq!(
        refused_at(|fb| f1(fb).evidence[1].id = "e1".into()),
        format!("{e}.id")
    );
    assert_eq!(
        refused_at(|fb| f1(fb).evidence[1].id = String::new()),
        format!("{e}.id")
    );
    accepted(|fb| assert_eq!(f2(fb).evidence[0].id, "e1"));
    let cases: [(&str, Edit<zhenggai_core::Evidence>); 7] = [
        ("sha256", |x| x.sha256 = "AB".repeat(32)),
        ("sha256", |x| x.sha256 = "ab".repeat(31)),
        ("size", |x| x.size = 0),
        ("name", |x| x.name = String::new()),
        ("media_type", |x| x.media_type = "m".repeat(201)),
        ("added_by", |x| x.added_by = " ".into()),
        ("added_by_id", |x| x.added_by_id = String::new()),
    ];
    for (field, edit) in cases {
        assert_eq!(
            refused_at(|fb| edit(&mut f1(fb).evidence[1])),
            format!("{e}.{field}")
        );
    }
    assert_eq!(
        refused_at(|fb| f1(fb).evidence[0].description = "d\u{0}".into()),
        format!("{F1}.evidence[0].description")
    );
}

#[test]
fn rounds_and_units_are_checked_under_their_path() {
    let round = zhenggai_core::Round {
        id: "r1".into(),
        name: "第一轮".into(),
        level: zhenggai_core::RoundLevel::Tour,
        kind: zhenggai_core::RoundKind::FollowUp,
        team: String::new(),
        inspection_start: day(10),
        inspection_end: day(9),
        feedback_date: day(20),
        policy: Default::default(),
    };
    assert_eq!(
        validate::round("rounds[2]", &round).map_err(|e| e.path),
        Err("rounds[2].inspection_end".into())
    );
    let unit = zhenggai_core::Unit {
        id: "u1".into(),
        name: String::new(),
        contact: Default::default(),
    };
    assert_eq!(
        validate::unit("units[0]", &unit),
        Err(validate::Invalid {
            path: "units[0].name".into(),
            message: "不能为空".into()
        })
    );
}
