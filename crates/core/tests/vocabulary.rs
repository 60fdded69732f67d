//! The names of statuses, commands, kinds and actions: the snake_case names that JSON,
//! events and the API use (and parse back), the Chinese words people read, and the
//! derived properties of the statuses.

use zhenggai_core::{
    Change, FindingCommandKind as C, FindingStatus as S, MeasureKind as K, MeasureStatus as M,
    PlanAction as A, PlanStatus as P, RoundKind, RoundLevel,
};

/// The functions that name a value, read its name back and put it in words.
struct Naming<T> {
    name: fn(T) -> &'static str,
    parse: Option<fn(&str) -> Option<T>>,
    zh: fn(T) -> &'static str,
}

/// `(value, name, word)` for every value in `ALL` order, checked against serde too; the
/// name parses back and `wrong` does not.
fn names<T>(all: &[T], table: &[(T, &str, &str)], f: Naming<T>, wrong: &str)
where
    T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
{
    let values: Vec<T> = table.iter().map(|r| r.0).collect();
    assert_eq!(values, all, "the table lists every value in order");
    for &(v, n, w) in table {
        assert_eq!(((f.name)(v), (f.zh)(v)), (n, w), "{v:?}");
        assert_eq!(serde_json::to_value(v).expect("json"), serde_json::json!(n));
        if let Some(parse) = f.parse {
            assert_eq!(parse(n), Some(v));
            assert_eq!(parse(wrong), None);
        }
    }
}

#[test]
fn finding_statuses() {
    let table = [
        (S::Open, "open", "待制定方案"),
        (S::Planned, "planned", "方案已审定"),
        (S::InProgress, "in_progress", "整改中"),
        (S::ClosureRequested, "closure_requested", "已申请销号"),
        (S::Closed, "closed", "已销号"),
        (S::BasicallyDone, "basically_done", "基本完成"),
        (S::LongTerm, "long_term", "长期坚持"),
        (S::Transferred, "transferred", "已移交"),
        (S::Reopened, "reopened", "回头看重新打开"),
    ];
    let naming = Naming {
        name: S::as_str,
        parse: Some(S::parse),
        zh: S::zh,
    };
    names(&S::ALL, &table, naming, "Open");
}

#[test]
fn settled_and_frozen_statuses() {
    let settled: Vec<S> = S::ALL.into_iter().filter(|s| s.is_settled()).collect();
    assert_eq!(settled, [S::Closed, S::LongTerm, S::Transferred]);
    let frozen: Vec<S> = S::ALL.into_iter().filter(|s| s.freezes_work()).collect();
    assert_eq!(
        frozen,
        [S::ClosureRequested, S::Closed, S::LongTerm, S::Transferred]
    );
}

#[test]
fn finding_commands() {
    let table = [
        (C::ApprovePlan, "approve_plan", "审定整改方案"),
        (C::Start, "start", "开始整改"),
        (C::RequestClosure, "request_closure", "申请销号"),
        (C::SignOff, "sign_off", "销号"),
        (
            C::SignOffBasicallyDone,
            "sign_off_basically_done",
            "认定基本完成",
        ),
        (C::SignOffLongTerm, "sign_off_long_term", "认定长期坚持"),
        (C::Return, "return", "退回"),
        (C::Transfer, "transfer", "移交问题线索"),
        (C::Reopen, "reopen", "回头看重新打开"),
        (C::Resume, "resume", "恢复整改"),
    ];
    let naming = Naming {
        name: C::as_str,
        parse: Some(C::parse),
        zh: C::zh,
    };
    names(&C::ALL, &table, naming, "sign-off");
    for (c, n, _) in table {
        let change = Change::Finding {
            finding_id: "f1".into(),
            command: c,
            reason: String::new(),
            evidence: vec![],
        };
        assert_eq!(change.name(), n, "a command's event is named after it");
    }
}

#[test]
fn measure_kinds_and_statuses() {
    let kinds = [
        (K::Immediate, "immediate", "立行立改"),
        (K::ByDeadline, "by_deadline", "限期整改"),
        (K::LongTerm, "long_term", "长期坚持"),
    ];
    let naming = Naming {
        name: K::as_str,
        parse: Some(K::parse),
        zh: K::zh,
    };
    names(&K::ALL, &kinds, naming, "longterm");
    let statuses = [
        (M::Pending, "pending", "未开始"),
        (M::InProgress, "in_progress", "推进中"),
        (M::Done, "done", "已完成"),
    ];
    let naming = Naming {
        name: M::as_str,
        parse: Some(M::parse),
        zh: M::zh,
    };
    names(&M::ALL, &statuses, naming, "finished");
}

#[test]
fn plan_statuses_and_actions() {
    let statuses = [
        (P::Draft, "draft", "方案编制中"),
        (P::Submitted, "submitted", "方案待审核"),
        (P::Approved, "approved", "方案已审定"),
        (P::Returned, "returned", "方案被退回"),
    ];
    let naming = Naming {
        name: P::as_str,
        parse: None,
        zh: P::zh,
    };
    names(&P::ALL, &statuses, naming, "");
    let open: Vec<P> = P::ALL.into_iter().filter(|p| p.is_open()).collect();
    assert_eq!(open, [P::Draft, P::Returned]);
    assert_eq!(P::default(), P::Draft);
    let actions = [
        (A::Submit, "submit_plan", "报送整改方案"),
        (A::Approve, "approve_plan", "审定整改方案"),
        (A::Return, "return_plan", "退回整改方案"),
    ];
    for (a, n, w) in actions {
        assert_eq!((a.as_str(), a.zh()), (n, w));
    }
    assert_eq!(A::ALL.to_vec(), actions.map(|r| r.0).to_vec());
}

#[test]
fn round_levels_and_kinds() {
    assert_eq!(
        (RoundLevel::Tour.zh(), RoundLevel::Inspection.zh()),
        ("巡视", "巡察")
    );
    let kinds = [
        (RoundKind::Routine, "常规"),
        (RoundKind::Special, "专项"),
        (RoundKind::Cross, "交叉"),
        (RoundKind::Elevated, "提级"),
        (RoundKind::FollowUp, "回头看"),
    ];
    for (k, w) in kinds {
        assert_eq!(k.zh(), w);
    }
}
