//! The names of statuses, commands, kinds and actions: the snake_case names that JSON,
//! events and the API use (and parse back), the Chinese words people read, and the
//! derived properties of the statuses.

use zhenggai_core::{
    Change, FindingCommandKind as C, FindingStatus as S, MeasureKind as K, MeasureStatus as M,
    PlanAction as A, PlanStatus as P, RoundKind, RoundLevel,
};

/// `(value, name, word)` for every value in `ALL` order, checked against serde too.
fn names<T>(
    all: &[T],
    table: &[(T, &str, &str)],
    name: fn(T) -> &'static str,
    zh: fn(T) -> &'static str,
) where
    T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
{
    let values: Vec<T> = table.iter().map(|r| r.0).collect();
    assert_eq!(values, all, "the table lists every value in order");
    for &(v, n, w) in table {
        assert_eq!((name(v), zh(v)), (n, w), "{v:?}");
        assert_eq!(serde_json::to_value(v).expect("json"), serde_json::json!(n));
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
    names(&S::ALL, &table, S::as_str, S::zh);
    for (s, n, _) in table {
        assert_eq!(S::parse(n), Some(s));
    }
    assert_eq!(S::parse("Open"), None);
    assert_eq!(S::parse(""), None);
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
    names(&C::ALL, &table, C::as_str, C::zh);
    for (c, n, _) in table {
        assert_eq!(C::parse(n), Some(c));
        let change = Change::Finding {
            finding_id: "f1".into(),
            command: c,
            reason: String::new(),
            evidence: vec![],
        };
        assert_eq!(change.name(), n, "a command's event is named after it");
    }
    assert_eq!(C::parse("sign-off"), None);
}

#[test]
fn measure_kinds_and_statuses() {
    let kinds = [
        (K::Immediate, "immediate", "立行立改"),
        (K::ByDeadline, "by_deadline", "限期整改"),
        (K::LongTerm, "long_term", "长期坚持"),
    ];
    names(&K::ALL, &kinds, K::as_str, K::zh);
    for (k, n, _) in kinds {
        assert_eq!(K::parse(n), Some(k));
    }
    assert_eq!(K::parse("longterm"), None);
    let statuses = [
        (M::Pending, "pending", "未开始"),
        (M::InProgress, "in_progress", "推进中"),
        (M::Done, "done", "已完成"),
    ];
    names(&M::ALL, &statuses, M::as_str, M::zh);
    for (s, n, _) in statuses {
        assert_eq!(M::parse(n), Some(s));
    }
    assert_eq!(M::parse("finished"), None);
}

#[test]
fn plan_statuses_and_actions() {
    let statuses = [
        (P::Draft, "draft", "方案编制中"),
        (P::Submitted, "submitted", "方案待审核"),
        (P::Approved, "approved", "方案已审定"),
        (P::Returned, "returned", "方案被退回"),
    ];
    names(&P::ALL, &statuses, P::as_str, P::zh);
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
