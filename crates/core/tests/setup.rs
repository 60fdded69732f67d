//! Rounds and units (`setup_rules`) and the record checks they share with the import:
//! dates in order, a sane warning policy, ids and names within bounds.

mod common;

use common::*;
use zhenggai_core::setup_rules::{create, edit_round, edit_unit};
use zhenggai_core::{
    Change, CoreError, DeadlinePolicy, Effect, Role, Round, RoundKind, RoundLevel, Unit,
};

fn round(id: &str) -> Round {
    Round {
        id: id.into(),
        name: "十一届市委第一轮巡察".into(),
        level: RoundLevel::Inspection,
        kind: RoundKind::Routine,
        team: "市委第一巡察组".into(),
        inspection_start: d("2022-01-04"),
        inspection_end: d("2022-02-28"),
        feedback_date: d("2022-03-29"),
        policy: DeadlinePolicy::default(),
    }
}

fn unit(id: &str) -> Unit {
    Unit {
        id: id.into(),
        name: "市教育局党组".into(),
        contact: Default::default(),
    }
}

fn field_of(r: Result<Effect, CoreError>) -> String {
    match r {
        Err(CoreError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

#[test]
fn the_office_and_administrators_set_up_and_nobody_else_does() {
    for who in one_of_each() {
        let allowed = matches!(who.role, Role::Office | Role::Admin);
        for change in [
            Change::CreateRound { round: round("r1") },
            Change::CreateUnit { unit: unit("u1") },
        ] {
            let got = create(&who, &change, false);
            if allowed {
                assert!(got.is_ok(), "{who:?}");
            } else {
                assert_eq!(got, Err(CoreError::forbidden(change.zh())));
            }
        }
        let mut r = round("r1");
        let got = edit_round(&who, &mut r, &Change::EditRound { round: round("r1") });
        assert_eq!(got.is_ok(), allowed);
        let mut u = unit("u1");
        let got = edit_unit(&who, &mut u, &Change::EditUnit { unit: unit("u1") });
        assert_eq!(got.is_ok(), allowed);
    }
}

#[test]
fn creation_names_the_record_and_refuses_a_taken_id() {
    let c = Change::CreateRound { round: round("r1") };
    assert_eq!(create(&office(), &c, false), Ok(Effect::on("round", "r1")));
    assert_eq!(
        create(&office(), &c, true),
        Err(CoreError::invalid("id", "标识“r1”已被使用"))
    );
    let c = Change::CreateUnit { unit: unit("u1") };
    assert_eq!(create(&admin(), &c, false), Ok(Effect::on("unit", "u1")));
    assert_eq!(
        create(&admin(), &c, true),
        Err(CoreError::invalid("id", "标识“u1”已被使用"))
    );
    let edit = Change::EditUnit { unit: unit("u1") };
    assert_eq!(
        create(&office(), &edit, false),
        Err(CoreError::invalid("change", "这不是新建轮次或单位"))
    );
}

#[test]
fn a_round_is_checked_before_it_is_created_or_edited() {
    let cases: [(&str, Edit<Round>); 9] = [
        ("id", |r| r.id = "第一轮".into()),
        ("name", |r| r.name = " ".into()),
        ("name", |r| r.name = "轮".repeat(201)),
        ("team", |r| r.team = "组".repeat(201)),
        ("team", |r| r.team = "a\u{0}".into()),
        ("inspection_end", |r| r.inspection_end = d("2022-01-03")),
        ("feedback_date", |r| r.feedback_date = d("2022-01-03")),
        ("policy", |r| r.policy.yellow_days = 21),
        ("id", |r| r.id = String::new()),
    ];
    for (field, edit) in cases {
        let mut bad = round("r1");
        edit(&mut bad);
        let c = Change::CreateRound { round: bad.clone() };
        assert_eq!(field_of(create(&office(), &c, false)), field);
        let mut stored = round("r1");
        let c = Change::EditRound { round: bad };
        assert_eq!(field_of(edit_round(&office(), &mut stored, &c)), field);
        assert_eq!(stored, round("r1"), "a refused edit keeps the stored round");
    }
}

#[test]
fn a_round_may_start_end_and_be_fed_back_on_one_day_with_an_empty_team() {
    let mut r = round("r1");
    r.inspection_end = r.inspection_start;
    r.feedback_date = r.inspection_start;
    r.team = String::new();
    r.policy.yellow_days = r.policy.green_days;
    assert!(create(&office(), &Change::CreateRound { round: r }, false).is_ok());
    // Fed back before the inspection ended is allowed: only the start binds it.
    let mut r = round("r1");
    r.feedback_date = d("2022-02-01");
    assert!(create(&office(), &Change::CreateRound { round: r }, false).is_ok());
}

#[test]
fn an_edit_replaces_the_settings_but_never_the_id() {
    let mut stored = round("r1");
    let mut edited = round("r1");
    edited.name = "第二轮巡察".into();
    edited.policy.plan_due_days = 15;
    let c = Change::EditRound {
        round: edited.clone(),
    };
    assert_eq!(
        edit_round(&office(), &mut stored, &c),
        Ok(Effect::on("round", "r1"))
    );
    assert_eq!(stored, edited);
    let c = Change::EditRound { round: round("r2") };
    assert_eq!(
        edit_round(&office(), &mut stored, &c),
        Err(CoreError::invalid("id", "轮次标识不能修改"))
    );
    assert_eq!(stored, edited);
    let c = Change::EditUnit { unit: unit("u1") };
    assert_eq!(
        edit_round(&office(), &mut stored, &c),
        Err(CoreError::invalid("change", "这不是修改轮次"))
    );
}

#[test]
fn a_unit_edit_replaces_the_name_but_never_the_id() {
    let mut stored = unit("u1");
    let mut renamed = unit("u1");
    renamed.name = "市教育局".into();
    let c = Change::EditUnit {
        unit: renamed.clone(),
    };
    assert_eq!(
        edit_unit(&office(), &mut stored, &c),
        Ok(Effect::on("unit", "u1"))
    );
    assert_eq!(stored, renamed);
    let c = Change::EditUnit { unit: unit("u2") };
    assert_eq!(
        edit_unit(&office(), &mut stored, &c),
        Err(CoreError::invalid("id", "单位标识不能修改"))
    );
    let blank = Change::EditUnit {
        unit: Unit {
            id: "u1".into(),
            name: String::new(),
            contact: Default::default(),
        },
    };
    assert_eq!(
        edit_unit(&office(), &mut stored, &blank),
        Err(CoreError::invalid("name", "不能为空"))
    );
    assert_eq!(stored, renamed);
    let c = Change::EditRound { round: round("r1") };
    assert_eq!(
        edit_unit(&office(), &mut stored, &c),
        Err(CoreError::invalid("change", "这不是修改单位"))
    );
    let bad_id = Change::CreateUnit { unit: unit("u 1") };
    assert_eq!(field_of(create(&office(), &bad_id, false)), "id");
}

#[test]
fn a_units_contact_block_is_edited_with_the_unit_and_checked_field_by_field() {
    let mut stored = unit("u1");
    let mut edited = unit("u1");
    edited.contact = zhenggai_core::Contact {
        phone: "0551-7654321".into(),
        mailbox: "示例市12号信箱".into(),
        email: "jubangongshi@example.cn".into(),
        ..Default::default()
    };
    edit_unit(
        &office(),
        &mut stored,
        &Change::EditUnit {
            unit: edited.clone(),
        },
    )
    .expect("edit");
    assert_eq!(stored, edited);
    let bad = |contact: zhenggai_core::Contact| {
        let mut u = unit("u1");
        u.contact = contact;
        field_of(create(&office(), &Change::CreateUnit { unit: u }, false))
    };
    assert_eq!(
        bad(zhenggai_core::Contact {
            phone: "0551\n7654321".into(),
            ..Default::default()
        }),
        "contact.phone"
    );
    assert_eq!(
        bad(zhenggai_core::Contact {
            address: "路".repeat(201),
            ..Default::default()
        }),
        "contact.address"
    );
    // An empty block is left out of the stored JSON, so older units hash the same.
    assert_eq!(
        serde_json::to_string(&unit("u1")).expect("json"),
        r#"{"id":"u1","name":"市教育局党组"}"#
    );
}

#[test]
fn a_contact_given_for_one_notice_overrides_the_stored_one_field_by_field() {
    let stored = zhenggai_core::Contact {
        phone: "1".into(),
        email: "a@example.cn".into(),
        ..Default::default()
    };
    let over = zhenggai_core::Contact {
        phone: "2".into(),
        postcode: "230000".into(),
        ..Default::default()
    };
    let got = stored.overridden_by(&over);
    assert_eq!(
        (
            got.phone.as_str(),
            got.email.as_str(),
            got.postcode.as_str()
        ),
        ("2", "a@example.cn", "230000")
    );
    assert!(zhenggai_core::Contact::default().is_empty());
    assert!(!got.is_empty());
}
