//! The errors' codes, HTTP statuses and words; what each change is addressed to and
//! named; the manual clock.

mod common;

use common::*;
use zhenggai_core::change::Target;
use zhenggai_core::{
    http_status, Change, Clock, CoreError, FindingStatus as S, ManualClock, MeasureKind,
    PlanStatus as P, Unit,
};

#[test]
fn every_error_has_its_code_status_and_words() {
    let table = [
        (CoreError::forbidden("销号"), "forbidden", 403, "无权销号"),
        (
            CoreError::InvalidTransition {
                from: S::Closed,
                action: "退回".into(),
            },
            "invalid_transition",
            409,
            "问题当前状态为“已销号”，不能退回",
        ),
        (
            CoreError::PlanState {
                from: P::Submitted,
                action: "报送整改方案".into(),
            },
            "plan_state",
            409,
            "整改方案当前为“方案待审核”，不能报送整改方案",
        ),
        (
            CoreError::WorkFrozen {
                status: S::Transferred,
            },
            "work_frozen",
            409,
            "问题当前状态为“已移交”，整改记录不能再改动",
        ),
        (
            CoreError::MeasuresIncomplete,
            "measures_incomplete",
            422,
            "申请销号前，每项整改措施都须已完成，或为长期坚持并写明理由",
        ),
        (
            CoreError::EvidenceMissing,
            "evidence_missing",
            422,
            "申请销号前须至少上传一份佐证材料",
        ),
        (
            CoreError::SamePerson,
            "same_person",
            403,
            "销号或退回须由申请人以外的人办理",
        ),
        (
            CoreError::NotFound {
                what: "整改措施",
                id: "f1.m9".into(),
            },
            "not_found",
            404,
            "找不到整改措施“f1.m9”",
        ),
        (
            CoreError::invalid("reason", "不能为空"),
            "invalid",
            422,
            "reason：不能为空",
        ),
    ];
    for (e, code, status, words) in table {
        assert_eq!((e.code(), http_status(e.code())), (code, status));
        assert_eq!(e.to_string(), words);
    }
}

#[test]
fn the_other_layers_codes_map_to_their_statuses() {
    let table = [
        ("unauthenticated", 401),
        ("conflict", 409),
        ("too_large", 413),
        ("unsupported_media_type", 415),
        ("invalid_record", 422),
        ("invalid_json", 422),
        ("invalid_notice", 422),
        ("invalid_workbook", 422),
        ("too_many_attempts", 429),
        ("unavailable", 503),
        ("something_else", 500),
    ];
    for (code, status) in table {
        assert_eq!(http_status(code), status, "{code}");
    }
}

#[test]
fn every_change_names_what_it_is_addressed_to() {
    let unit = Unit {
        id: "u1".into(),
        name: "某局".into(),
        contact: Default::default(),
    };
    let draft = || draft("x", MeasureKind::Immediate, None);
    let table = [
        (
            Change::CreateUnit { unit: unit.clone() },
            Target::Unit("u1"),
            "create_unit",
            "新建单位",
        ),
        (
            Change::EditUnit { unit },
            Target::Unit("u1"),
            "edit_unit",
            "修改单位",
        ),
        (
            plan_change(zhenggai_core::PlanAction::Return, "r"),
            Target::Feedback("fb"),
            "return_plan",
            "退回整改方案",
        ),
        (
            Change::AddMeasure {
                finding_id: "f1".into(),
                measure: draft(),
            },
            Target::Finding("f1"),
            "add_measure",
            "增加整改措施",
        ),
        (
            attach("f2"),
            Target::Finding("f2"),
            "attach_evidence",
            "上传佐证材料",
        ),
        (
            Change::EditMeasure {
                measure_id: "f1.m1".into(),
                measure: draft(),
            },
            Target::Measure("f1.m1"),
            "edit_measure",
            "修改整改措施",
        ),
        (
            progress("f1.m2", "x"),
            Target::Measure("f1.m2"),
            "add_progress",
            "填报整改进展",
        ),
        (
            Change::DecideExtension {
                measure_id: "f1.m1".into(),
                extension_id: "x1".into(),
                approve: false,
            },
            Target::Measure("f1.m1"),
            "refuse_extension",
            "审批延期",
        ),
        (
            Change::MarkInternal {
                finding_id: "f3".into(),
                internal: true,
                reason: "r".into(),
            },
            Target::Finding("f3"),
            "mark_internal",
            "标记为不公开",
        ),
        (
            Change::MarkInternal {
                finding_id: "f3".into(),
                internal: false,
                reason: String::new(),
            },
            Target::Finding("f3"),
            "mark_public",
            "取消不公开标记",
        ),
    ];
    for (change, target, name, zh) in table {
        assert_eq!(
            (change.target(), change.name(), change.zh()),
            (target, name, zh)
        );
    }
}

#[test]
fn the_manual_clock_stands_where_it_is_set() {
    let clock = ManualClock::new(day(0));
    assert_eq!(clock.today(), day(0));
    assert_eq!(clock.now().to_rfc3339(), "2022-03-29T00:00:00+00:00");
    clock.set(day(3));
    assert_eq!(clock.today(), day(3));
    assert_eq!(clock.now().date_naive(), day(3).0);
}
