//! Places where the changes once accepted what the import then refused, found by the
//! property test and fixed; each test states the rule as it holds now (docs/TESTING.md).

mod common;

use common::ledger::validate;
use common::*;
use zhenggai_core::{Change, CoreError, Feedback, MeasureKind, PlanStatus, Role};

fn apply(
    fb: &mut Feedback,
    finding: &str,
    who: &zhenggai_core::Actor,
    plan: PlanStatus,
    c: Change,
) -> Result<(), CoreError> {
    let taken: Vec<String> = fb
        .findings()
        .flat_map(|f| f.measures.iter().map(|m| m.id.clone()))
        .collect();
    let f = fb
        .findings_mut()
        .find(|f| f.id == finding)
        .expect("finding");
    let ctx = zhenggai_core::FindingContext {
        taken: &taken,
        ..ctx(plan, day(2))
    };
    f.apply(who, &ctx, &c).map(|_| ())
}

/// finding_rules.rs, `request_extension` (called from `Finding::apply`) checks only that the
/// work is not frozen, so an extension may be asked for while the plan is still a draft;
/// `edit_measure` then replaces the due date under it. The validator
/// (`check_extensions`) refuses the result: the extension no longer asks for a later date,
/// or the measure has no date at all.
#[test]
fn an_extension_asked_for_before_approval_survives_a_plan_edit() {
    let mut fb = feedback(vec![fresh()]);
    let ask = Change::RequestExtension {
        measure_id: "f1.m1".into(),
        new_due: d("2022-07-31"),
        reason: "需报批".into(),
    };
    let asked = apply(&mut fb, "f1", &editor(), PlanStatus::Draft, ask);
    let edit = Change::EditMeasure {
        measure_id: "f1.m1".into(),
        measure: draft("改写", MeasureKind::ByDeadline, None),
    };
    let edited = apply(&mut fb, "f1", &editor(), PlanStatus::Draft, edit);
    // Either change may be refused, but if both are accepted the import must accept too.
    if asked.is_ok() && edited.is_ok() {
        assert_eq!(validate(&fb), Ok(()));
    }
}

/// finding_rules.rs, `add_measure` picks `<finding>.mN` free among the finding's own
/// measures, while the validator (`Seen` in validate.rs) wants measure ids unique across the
/// whole feedback. A ledger imported with a measure named like another finding's next one
/// (valid on import) makes the next `AddMeasure` create a duplicate.
#[test]
fn a_new_measure_id_is_unique_across_the_feedback() {
    let mut f1 = finding("f1", "（1）问题一");
    f1.measures
        .push(measure("f2.m1", MeasureKind::LongTerm, None));
    let f2 = finding("f2", "（2）问题二");
    let mut fb = feedback(vec![f1, f2]);
    assert_eq!(validate(&fb), Ok(()), "the imported ledger is valid");
    let add = Change::AddMeasure {
        finding_id: "f2".into(),
        measure: draft("新措施", MeasureKind::LongTerm, None),
    };
    apply(&mut fb, "f2", &editor(), PlanStatus::Draft, add).expect("added");
    assert_eq!(validate(&fb), Ok(()));
}

/// actor.rs, `Actor::new` checks the units but neither the name nor the id, while every
/// record of history wants a non-blank name of at most 200 characters and an id of at most
/// 200 (`checks::person`). An actor with a blank name can make changes the import refuses.
#[test]
fn an_actor_records_only_what_the_import_accepts() {
    let nameless = zhenggai_core::Actor::new("editor-9", " ", Role::UnitEditor, [UNIT.to_string()]);
    let Ok(nameless) = nameless else {
        return; // refusing such an actor is one way to keep the rule
    };
    let mut fb = feedback(vec![fresh()]);
    apply(
        &mut fb,
        "f1",
        &nameless,
        PlanStatus::Draft,
        progress("f1.m1", "已开展"),
    )
    .expect("recorded");
    assert_eq!(validate(&fb), Ok(()));
}
