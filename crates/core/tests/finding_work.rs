//! The unit's work record through `Finding::apply`: measures while the plan is open,
//! evidence, progress, measure status and outcomes, and when the record is frozen.

mod common;

use common::*;
use zhenggai_core::{
    Change, CoreError, Effect, FindingCommandKind as C, FindingStatus as S, MeasureKind,
    MeasureStatus, Outcome, PlanStatus,
};

fn add(finding_id: &str, text: &str) -> Change {
    Change::AddMeasure {
        finding_id: finding_id.into(),
        measure: draft(text, MeasureKind::Immediate, Some(day(30))),
    }
}

fn effect(entity: &'static str, id: &str, created: Option<&str>) -> Effect {
    Effect {
        entity,
        entity_id: id.into(),
        created: created.map(str::to_string),
        from: None,
        to: None,
    }
}

#[test]
fn measures_are_added_with_the_next_free_id_while_the_plan_is_open() {
    for plan in [PlanStatus::Draft, PlanStatus::Returned] {
        let mut f = reach(S::Open);
        let c = ctx(plan, day(1));
        let e = f.apply(&editor(), &c, &add("f1", "立即整改")).expect("add");
        assert_eq!(e, effect("finding", "f1", Some("f1.m2")));
        let m = f.measures.last().expect("added").clone();
        let mut want = measure("f1.m2", MeasureKind::Immediate, Some(day(30)));
        want.text = "立即整改".into();
        assert_eq!(m, want);
        // A gap left by a removal is not reused while a later id stands.
        f.measures.remove(0);
        let e = f
            .apply(&unit_lead(), &c, &add("f1", "再次整改"))
            .expect("add");
        assert_eq!(e.created.as_deref(), Some("f1.m3"));
        f.measures.retain(|m| m.id != "f1.m2");
        let e = f.apply(&editor(), &c, &add("f1", "第三项")).expect("add");
        assert_eq!(e.created.as_deref(), Some("f1.m2"));
    }
}

#[test]
fn measures_do_not_change_once_the_plan_is_submitted_or_approved() {
    for plan in [PlanStatus::Submitted, PlanStatus::Approved] {
        let changes = [
            add("f1", "新增"),
            Change::EditMeasure {
                measure_id: "f1.m1".into(),
                measure: draft("改写", MeasureKind::Immediate, None),
            },
            Change::RemoveMeasure {
                measure_id: "f1.m1".into(),
            },
        ];
        for change in changes {
            let mut f = reach(S::Open);
            let before = f.clone();
            assert_eq!(
                f.apply(&editor(), &ctx(plan, day(1)), &change),
                Err(CoreError::PlanState {
                    from: plan,
                    action: "修改整改措施".into()
                })
            );
            assert_eq!(f, before);
        }
    }
}

#[test]
fn measures_of_a_transferred_finding_are_frozen_even_in_an_open_plan() {
    let mut f = reach(S::Open);
    act(&mut f, &office(), 1, C::Transfer, "移交");
    assert_eq!(
        f.apply(&editor(), &ctx(PlanStatus::Draft, day(2)), &add("f1", "x")),
        Err(CoreError::WorkFrozen {
            status: S::Transferred
        })
    );
}

#[test]
fn a_measure_draft_is_checked_field_by_field() {
    let cases: [(&str, Edit<zhenggai_core::MeasureDraft>); 4] = [
        ("text", |m| m.text = " ".into()),
        ("lead", |m| m.lead = "名".repeat(201)),
        ("department", |m| m.department = "名".repeat(201)),
        ("owner", |m| m.owner = "名".repeat(201)),
    ];
    for (field, edit) in cases {
        let mut m = draft("措施", MeasureKind::ByDeadline, Some(day(9)));
        edit(&mut m);
        let mut f = reach(S::Open);
        for change in [
            Change::AddMeasure {
                finding_id: "f1".into(),
                measure: m.clone(),
            },
            Change::EditMeasure {
                measure_id: "f1.m1".into(),
                measure: m.clone(),
            },
        ] {
            let got = f.apply(&editor(), &ctx(PlanStatus::Draft, day(1)), &change);
            assert!(
                matches!(&got, Err(CoreError::Invalid { field: x, .. }) if x == field),
                "{field}: {got:?}"
            );
        }
        assert_eq!(f, reach(S::Open));
    }
}

#[test]
fn an_edit_replaces_every_plan_field_and_drops_a_long_term_reason_with_the_kind() {
    let mut f = reach(S::Open);
    f.measures[0].kind = MeasureKind::LongTerm;
    f.measures[0].long_term_reason = Some("长期".into());
    let c = ctx(PlanStatus::Draft, day(1));
    let keep = Change::EditMeasure {
        measure_id: "f1.m1".into(),
        measure: draft("仍长期", MeasureKind::LongTerm, None),
    };
    assert_eq!(
        f.apply(&editor(), &c, &keep),
        Ok(effect("measure", "f1.m1", None))
    );
    assert_eq!(f.measures[0].long_term_reason.as_deref(), Some("长期"));
    let mut edited = draft("限期完成", MeasureKind::ByDeadline, Some(day(40)));
    edited.lead = "局长".into();
    edited.department = "人事科".into();
    edited.owner = "周敏".into();
    let change = Change::EditMeasure {
        measure_id: "f1.m1".into(),
        measure: edited,
    };
    f.apply(&editor(), &c, &change).expect("edit");
    let m = &f.measures[0];
    assert_eq!(
        (m.text.as_str(), m.kind, m.lead.as_str()),
        ("限期完成", MeasureKind::ByDeadline, "局长")
    );
    assert_eq!(
        (m.department.as_str(), m.owner.as_str()),
        ("人事科", "周敏")
    );
    assert_eq!(
        (m.due, m.long_term_reason.as_deref()),
        (Some(day(40)), None)
    );
    let missing = Change::EditMeasure {
        measure_id: "f1.m9".into(),
        measure: draft("x", MeasureKind::Immediate, None),
    };
    assert_eq!(
        f.apply(&editor(), &c, &missing),
        Err(CoreError::NotFound {
            what: "整改措施",
            id: "f1.m9".into()
        })
    );
}

#[test]
fn a_measure_is_removed_only_while_it_has_no_record() {
    let remove = Change::RemoveMeasure {
        measure_id: "f1.m1".into(),
    };
    let c = ctx(PlanStatus::Returned, day(2));
    let mut f = reach(S::Open);
    f.measures
        .push(measure("f1.m2", MeasureKind::Immediate, None));
    assert_eq!(
        f.apply(&editor(), &c, &remove),
        Ok(effect("finding", "f1", None))
    );
    assert_eq!(f.measures.len(), 1);
    assert_eq!(f.measures[0].id, "f1.m2");
    let records = [
        progress("f1.m1", "已开会"),
        Change::AddOutcome {
            measure_id: "f1.m1".into(),
            outcome: Outcome::Document {
                title: "《议事规则》".into(),
            },
        },
    ];
    for record in records {
        let mut f = reach(S::Open);
        f.apply(&editor(), &c, &record).expect("a record");
        let before = f.clone();
        assert_eq!(
            f.apply(&editor(), &c, &remove),
            Err(CoreError::invalid(
                "measure_id",
                "该措施已有进展、成效或延期记录，不能删除"
            )),
            "{record:?}"
        );
        assert_eq!(f, before);
    }
    let mut f = reach(S::Open);
    let gone = Change::RemoveMeasure {
        measure_id: "f1.m5".into(),
    };
    assert_eq!(
        f.apply(&editor(), &c, &gone).map_err(|e| e.code()),
        Err("not_found")
    );
}

#[test]
fn evidence_is_attached_with_the_next_id_and_who_added_it() {
    let mut f = reach(S::InProgress);
    let e = must(&mut f, &editor2(), day(8), attach("f1"));
    assert_eq!(e, effect("finding", "f1", Some("e1")));
    let e = must(&mut f, &editor(), day(9), attach("f1"));
    assert_eq!(e.created.as_deref(), Some("e2"));
    let x = &f.evidence[0];
    let want = evidence_draft("会议纪要.pdf");
    assert_eq!(
        (x.id.as_str(), x.name.as_str(), x.media_type.as_str()),
        ("e1", want.name.as_str(), want.media_type.as_str())
    );
    assert_eq!(
        (x.size, x.sha256.as_str()),
        (want.size, want.sha256.as_str())
    );
    assert_eq!(x.description, want.description);
    assert_eq!((x.added_on, x.added_by.as_str()), (day(8), "陈静"));
    assert_eq!(x.added_by_id, "editor-2");
}

#[test]
fn an_evidence_draft_is_checked_field_by_field() {
    let cases: [(&str, Edit<zhenggai_core::EvidenceDraft>); 9] = [
        ("name", |e| e.name = String::new()),
        ("name", |e| e.name = "n".repeat(201)),
        ("media_type", |e| e.media_type = " ".into()),
        ("description", |e| e.description = "d".repeat(20_001)),
        ("sha256", |e| e.sha256 = "AB".repeat(32)),
        ("sha256", |e| e.sha256 = "a".repeat(63)),
        ("sha256", |e| e.sha256 = "a".repeat(65)),
        ("sha256", |e| e.sha256 = format!("{}g", "a".repeat(63))),
        ("size", |e| e.size = 0),
    ];
    for (field, edit) in cases {
        let mut draft = evidence_draft("照片.jpg");
        edit(&mut draft);
        let mut f = reach(S::InProgress);
        let change = Change::AttachEvidence {
            finding_id: "f1".into(),
            evidence: draft,
        };
        let got = attempt(&mut f, &editor(), 8, &change);
        assert!(
            matches!(&got, Err(CoreError::Invalid { field: x, .. }) if x == field),
            "{field}: {got:?}"
        );
        assert!(f.evidence.is_empty());
    }
    // Every hex digit passes, and an empty description is fine.
    let mut ok = evidence_draft("x.pdf");
    ok.sha256 = "0123456789abcdef".repeat(4);
    ok.description = String::new();
    ok.size = 1;
    let mut f = reach(S::InProgress);
    let change = Change::AttachEvidence {
        finding_id: "f1".into(),
        evidence: ok,
    };
    must(&mut f, &editor(), day(8), change);
}

#[test]
fn progress_is_recorded_with_the_next_id_date_and_author() {
    let mut f = reach(S::InProgress);
    let e = must(&mut f, &editor(), day(8), progress("f1.m1", "召开专题会议"));
    assert_eq!(e, effect("measure", "f1.m1", Some("p1")));
    let e = must(&mut f, &editor2(), day(9), progress("f1.m1", "印发制度"));
    assert_eq!(e.created.as_deref(), Some("p2"));
    let p = &f.measures[0].progress[1];
    assert_eq!(
        (p.id.as_str(), p.date, p.text.as_str()),
        ("p2", day(9), "印发制度")
    );
    assert_eq!(
        (p.author.as_str(), p.author_id.as_str()),
        ("陈静", "editor-2")
    );
    let c = ctx(PlanStatus::Approved, day(9));
    assert_eq!(
        f.apply(&editor(), &c, &progress("f1.m1", " ")),
        Err(CoreError::invalid("text", "不能为空"))
    );
    assert_eq!(
        f.apply(&editor(), &c, &progress("f1.m7", "x"))
            .map_err(|e| e.code()),
        Err("not_found")
    );
    assert_eq!(f.measures[0].progress.len(), 2);
}

#[test]
fn measure_status_changes_report_their_edge_and_take_a_reason_only_when_long_term() {
    let mut f = reach(S::InProgress);
    let e = must(
        &mut f,
        &editor(),
        day(8),
        set_status("f1.m1", MeasureStatus::InProgress),
    );
    assert_eq!(
        e,
        effect("measure", "f1.m1", None).edge("pending", "in_progress")
    );
    assert_eq!(f.measures[0].status, MeasureStatus::InProgress);
    let with_reason = |id: &str, reason: &str| Change::SetMeasureStatus {
        measure_id: id.into(),
        status: MeasureStatus::Done,
        long_term_reason: Some(reason.into()),
    };
    let c = ctx(PlanStatus::Approved, day(8));
    let before = f.clone();
    assert_eq!(
        f.apply(&editor(), &c, &with_reason("f1.m1", "长期")),
        Err(CoreError::invalid(
            "long_term_reason",
            "只有长期坚持的措施才写长期理由"
        ))
    );
    assert_eq!(f, before);
    f.measures
        .push(measure("f1.m2", MeasureKind::LongTerm, None));
    assert_eq!(
        f.apply(&editor(), &c, &with_reason("f1.m2", "")),
        Err(CoreError::invalid("long_term_reason", "不能为空"))
    );
    must(&mut f, &editor(), day(8), with_reason("f1.m2", "常抓不懈"));
    assert_eq!(f.measures[1].long_term_reason.as_deref(), Some("常抓不懈"));
    must(
        &mut f,
        &editor(),
        day(8),
        set_status("f1.m2", MeasureStatus::Pending),
    );
    assert_eq!(
        f.measures[1].long_term_reason.as_deref(),
        Some("常抓不懈"),
        "no reason given keeps the one recorded"
    );
}

#[test]
fn outcomes_are_checked_then_recorded() {
    let mut f = reach(S::InProgress);
    let good = Outcome::Accountability {
        form: "诫勉谈话".into(),
        people: 2,
    };
    let add = |o: &Outcome| Change::AddOutcome {
        measure_id: "f1.m1".into(),
        outcome: o.clone(),
    };
    assert_eq!(
        must(&mut f, &editor(), day(8), add(&good)),
        effect("measure", "f1.m1", None)
    );
    let bad = Outcome::Accountability {
        form: "诫勉谈话".into(),
        people: 0,
    };
    assert_eq!(
        f.apply(&editor(), &ctx(PlanStatus::Approved, day(8)), &add(&bad)),
        Err(CoreError::invalid("people", "问责人数须大于 0"))
    );
    assert_eq!(f.measures[0].outcomes, vec![good]);
}

#[test]
fn work_is_frozen_under_review_after_sign_off_and_transfer_and_thawed_after_return_or_reopen() {
    let frozen = [S::ClosureRequested, S::Closed, S::LongTerm, S::Transferred];
    for status in S::ALL {
        let work = [
            progress("f1.m1", "继续整改"),
            set_status("f1.m1", MeasureStatus::InProgress),
            attach("f1"),
            Change::AddOutcome {
                measure_id: "f1.m1".into(),
                outcome: Outcome::Meeting {
                    date: day(8),
                    title: "专题民主生活会".into(),
                },
            },
            Change::RequestExtension {
                measure_id: "f1.m1".into(),
                new_due: d("2022-08-01"),
                reason: "需上级批复".into(),
            },
        ];
        for change in work {
            let mut f = reach(status);
            // Work that is not done yet, so that an extension may be asked for.
            f.measures[0].status = MeasureStatus::InProgress;
            let got = attempt(&mut f, &editor(), 9, &change);
            if frozen.contains(&status) {
                assert_eq!(got, Err(CoreError::WorkFrozen { status }), "{change:?}");
            } else {
                assert!(got.is_ok(), "{status:?} {change:?}: {got:?}");
            }
        }
    }
    let mut returned = reach(S::ClosureRequested);
    act(&mut returned, &office(), 8, C::Return, "补充");
    must(
        &mut returned,
        &editor(),
        day(8),
        progress("f1.m1", "补充材料"),
    );
    let mut reopened = reach(S::Reopened);
    must(
        &mut reopened,
        &editor(),
        day(8),
        progress("f1.m1", "重新整改"),
    );
}

fn mark(internal: bool, reason: &str) -> Change {
    Change::MarkInternal {
        finding_id: "f1".into(),
        internal,
        reason: reason.into(),
    }
}

#[test]
fn the_office_or_a_supervisor_marks_a_finding_internal_in_any_status_with_a_reason() {
    for status in S::ALL {
        for checker in [office(), supervisor()] {
            let mut f = reach(status);
            let before = f.clone();
            let e = attempt(&mut f, &checker, 9, &mark(true, "涉及正在审查调查的案件"))
                .unwrap_or_else(|e| panic!("{status:?} by {:?}: {e}", checker.role));
            assert!(f.internal);
            assert_eq!(
                e,
                Effect::on("finding", "f1").edge("public", "internal"),
                "{status:?}"
            );
            // Nothing else of the finding moves: no transition, the work record as it was.
            assert_eq!(
                zhenggai_core::Finding {
                    internal: false,
                    ..f.clone()
                },
                before
            );
            let e = attempt(&mut f, &checker, 9, &mark(false, "")).expect("public again");
            assert_eq!(e, Effect::on("finding", "f1").edge("internal", "public"));
            assert_eq!(f, before);
        }
    }
}

#[test]
fn the_unit_and_administrators_cannot_mark_findings_and_a_mark_needs_a_reason_and_a_difference() {
    for who in [editor(), unit_lead(), admin(), public()] {
        let mut f = reach(S::InProgress);
        assert_eq!(
            attempt(&mut f, &who, 9, &mark(true, "涉密")),
            Err(CoreError::forbidden("标记为不公开")),
            "{:?}",
            who.role
        );
        assert!(!f.internal);
    }
    let mut f = reach(S::InProgress);
    assert_eq!(
        attempt(&mut f, &office(), 9, &mark(true, "  ")),
        Err(CoreError::invalid("reason", "不能为空"))
    );
    assert_eq!(
        attempt(&mut f, &office(), 9, &mark(false, "")),
        Err(CoreError::invalid("internal", "该问题本来就公开"))
    );
    must(&mut f, &office(), day(9), mark(true, "涉密"));
    assert_eq!(
        attempt(&mut f, &supervisor(), 9, &mark(true, "另一理由")),
        Err(CoreError::invalid("internal", "该问题已标记为不公开"))
    );
    assert!(f.internal);
}

#[test]
fn the_mark_is_absent_from_json_when_false_and_read_when_true() {
    let mut f = reach(S::Closed);
    let json = serde_json::to_string(&f).expect("json");
    assert!(!json.contains("internal"), "{json}");
    f.internal = true;
    let json = serde_json::to_string(&f).expect("json");
    assert!(json.contains(r#""internal":true"#), "{json}");
    let back: zhenggai_core::Finding = serde_json::from_str(&json).expect("read");
    assert_eq!(back, f);
}
