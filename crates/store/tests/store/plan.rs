use zhenggai_core::*;
use zhenggai_store::Work;
use zhenggai_testkit::*;

use super::{apply, finding, snapshot};

fn draft(text: &str, owner: &str, due: Option<&str>) -> MeasureDraft {
    MeasureDraft {
        text: text.into(),
        kind: MeasureKind::ByDeadline,
        lead: "副局长".into(),
        department: "办公室".into(),
        owner: owner.into(),
        due: due.map(date),
    }
}

async fn measures_change_only_while_the_plan_is_open(db: &Db) {
    seed(db.store()).await;
    let add = Change::AddMeasure {
        finding_id: "fb1.f1".into(),
        measure: draft("建立问题整改周调度机制", "李四", Some("2025-08-31")),
    };
    let applied = db
        .store
        .apply(&editor(), Work::one(add))
        .await
        .expect("add");
    assert_eq!(applied[0].effect.created.as_deref(), Some("fb1.f1.m3"));
    let edit = Change::EditMeasure {
        measure_id: "fb1.f1.m3".into(),
        measure: draft("建立问题整改周调度和通报机制", "李四", Some("2025-09-30")),
    };
    apply(db, &editor(), edit).await.expect("edit");
    let m = finding(db, "fb1.f1").await.measures[2].clone();
    assert_eq!(
        (m.text.as_str(), m.due),
        ("建立问题整改周调度和通报机制", Some(date("2025-09-30")))
    );
    apply(
        db,
        &editor(),
        Change::RemoveMeasure {
            measure_id: "fb1.f1.m3".into(),
        },
    )
    .await
    .expect("remove");
    assert_eq!(finding(db, "fb1.f1").await.measures.len(), 2);
    // The office reads the plan; it does not write the unit's measures.
    let edit = Change::EditMeasure {
        measure_id: "fb1.f1.m1".into(),
        measure: draft("改写", "李四", Some("2025-09-30")),
    };
    assert_eq!(
        apply(db, &office(), edit).await.expect_err("office").code(),
        "forbidden"
    );

    approve_plan(db.store(), "fb1", "u1").await;
    let late = Change::AddMeasure {
        finding_id: "fb1.f1".into(),
        measure: draft("补充措施", "李四", Some("2025-08-31")),
    };
    let err = apply(db, &editor(), late).await.expect_err("plan approved");
    assert_eq!(err.code(), "plan_state");
}

async fn submitting_needs_owners_and_dates(db: &Db) {
    seed(db.store()).await;
    let vague = Change::EditMeasure {
        measure_id: "fb1.f2.m1".into(),
        measure: draft("加强管理", "", Some("2025-08-31")),
    };
    apply(db, &editor(), vague)
        .await
        .expect("a draft may be vague");
    let before = snapshot(db.store()).await;
    let submit = Change::SubmitPlan {
        feedback_id: "fb1".into(),
        reason: String::new(),
    };
    assert_eq!(
        apply(db, &editor(), submit.clone())
            .await
            .expect_err("editor")
            .code(),
        "forbidden"
    );
    let err = apply(db, &lead_of("u1"), submit.clone())
        .await
        .expect_err("no owner");
    assert_eq!(err.code(), "invalid");
    assert!(
        err.to_string().contains("measures[fb1.f2.m1].owner"),
        "{err}"
    );
    assert_eq!(snapshot(db.store()).await, before);
    let fixed = Change::EditMeasure {
        measure_id: "fb1.f2.m1".into(),
        measure: draft("加强管理", "王五", Some("2025-08-31")),
    };
    apply(db, &editor(), fixed).await.expect("fixed");
    apply(db, &lead_of("u1"), submit.clone())
        .await
        .expect("submitted");
    let again = apply(db, &lead_of("u1"), submit.clone())
        .await
        .expect_err("twice");
    assert_eq!(again.code(), "plan_state");
    let back = |reason: &str| Change::ReturnPlan {
        feedback_id: "fb1".into(),
        reason: reason.into(),
    };
    assert_eq!(
        apply(db, &office(), back(""))
            .await
            .expect_err("no reason")
            .code(),
        "invalid"
    );
    apply(db, &office(), back("时限过宽"))
        .await
        .expect("returned");
    apply(db, &lead_of("u1"), submit)
        .await
        .expect("submitted again");
    let approve = Change::ApprovePlan {
        feedback_id: "fb1".into(),
        reason: "同意".into(),
    };
    let applied = db
        .store
        .apply(&office(), Work::one(approve))
        .await
        .expect("approved");
    assert_eq!(applied[0].effect.to.as_deref(), Some("approved"));
    let fb = db.store.feedback(&office(), "fb1").await.expect("fb1");
    assert_eq!(fb.plan.status, PlanStatus::Approved);
    assert_eq!(fb.plan.history.len(), 4);
    assert!(fb.findings().all(|f| f.status == FindingStatus::Planned));
    assert!(fb
        .findings()
        .all(|f| f.transitions[0].actor_id == office().user_id));
    // The other unit's plan is untouched.
    let other = db.store.feedback(&office(), "fb2").await.expect("fb2");
    assert!(other.findings().all(|f| f.status == FindingStatus::Open));
    validate::feedback("fb", &fb, |_| true, |_| true).expect("valid");
}

async fn rounds_and_units_are_set_up_by_the_office(db: &Db) {
    let mut r = round();
    r.id = String::new();
    r.name = "测试市委第二轮巡察".into();
    let create = Change::CreateRound { round: r.clone() };
    assert_eq!(
        apply(db, &editor(), create.clone())
            .await
            .expect_err("editor")
            .code(),
        "forbidden"
    );
    let applied = db
        .store
        .apply(&office(), Work::one(create))
        .await
        .expect("created");
    let id = applied[0].effect.entity_id.clone();
    assert!(id.starts_with("r-"), "{id}");
    r.id = id.clone();
    r.policy.yellow_days = 15;
    r.policy.green_days = 30;
    apply(db, &office(), Change::EditRound { round: r.clone() })
        .await
        .expect("policy");
    assert_eq!(
        db.store.rounds(&office()).await.expect("rounds"),
        vec![r.clone()]
    );
    r.policy.yellow_days = 40;
    let err = apply(db, &office(), Change::EditRound { round: r })
        .await
        .expect_err("yellow after green");
    assert_eq!(err.code(), "invalid");
    let u = Unit {
        id: "u7".into(),
        name: "测试单位七".into(),
        contact: Default::default(),
    };
    apply(db, &admin(), Change::CreateUnit { unit: u.clone() })
        .await
        .expect("unit");
    let err = apply(db, &office(), Change::CreateUnit { unit: u })
        .await
        .expect_err("taken");
    assert_eq!(err.code(), "invalid");
    let renamed = Unit {
        id: "u7".into(),
        name: "测试单位七（更名）".into(),
        contact: Default::default(),
    };
    apply(
        db,
        &office(),
        Change::EditUnit {
            unit: renamed.clone(),
        },
    )
    .await
    .expect("rename");
    assert_eq!(
        db.store.units(&office()).await.expect("units"),
        vec![renamed]
    );
    assert_eq!(db.store.verify(None).await.expect("verify").broken, None);
}

/// A new measure never overwrites a record of another feedback that holds its id.
async fn a_new_measures_id_taken_elsewhere_is_refused(db: &Db) {
    seed(db.store()).await;
    let mut odd = feedback("fb3", "u2");
    odd.categories[0].aspects[0].findings[0].measures[0].id = "fb1.f1.m3".into();
    let mut tx = db.store.begin_import(&operator()).await.expect("begin");
    tx.put_feedback("feedbacks[0]", &odd).await.expect("import");
    tx.commit().await.expect("commit");
    let before = snapshot(db.store()).await;
    let add = Change::AddMeasure {
        finding_id: "fb1.f1".into(),
        measure: draft("新措施", "李四", Some("2025-08-31")),
    };
    let err = apply(db, &editor(), add).await.expect_err("taken");
    assert_eq!(err.code(), "conflict");
    assert_eq!(snapshot(db.store()).await, before);
    assert_eq!(db.store.verify(None).await.expect("verify").broken, None);
}

zhenggai_testkit::on_both!(
    a_new_measures_id_taken_elsewhere_is_refused,
    measures_change_only_while_the_plan_is_open,
    submitting_needs_owners_and_dates,
    rounds_and_units_are_set_up_by_the_office,
);
