//! The event chain seen from outside: what an event carries, that every field is in its
//! hash, that the checker counts exactly what it accepted and stands still on a refusal,
//! the row hashes and the anchors.

use serde_json::json;
use zhenggai_core::event::{
    row_hash, Anchor, ChainBreak, ChainChecker, Event, NewEvent, RowState, GENESIS_HASH,
};

type Edit = fn(&mut Event);

fn new_event(i: usize) -> NewEvent {
    NewEvent::new(
        "editor-1",
        "张敏",
        "finding",
        &format!("f{i}"),
        "start",
        &json!({"finding_id": format!("f{i}")}),
    )
    .placed(Some("r1"), Some("u1"), Some(&format!("f{i}")))
    .with_states(&[RowState(
        "findings".into(),
        format!("f{i}"),
        "cd".repeat(32),
    )])
}

fn chain(n: usize) -> Vec<Event> {
    let mut prev = GENESIS_HASH.to_string();
    (0..n)
        .map(|i| {
            let e = Event::link(
                new_event(i),
                i as i64 + 1,
                format!("2022-04-0{}T08:00:00.000000Z", i + 1),
                &prev,
            );
            prev = e.hash.clone();
            e
        })
        .collect()
}

#[test]
fn a_new_event_carries_what_it_was_given() {
    let e = NewEvent::new(
        "u7",
        "甲",
        "measure",
        "f1.m1",
        "add_progress",
        &json!({"a": 1}),
    );
    assert_eq!(
        (e.actor_id.as_str(), e.actor.as_str(), e.entity.as_str()),
        ("u7", "甲", "measure")
    );
    assert_eq!(
        (e.entity_id.as_str(), e.action.as_str()),
        ("f1.m1", "add_progress")
    );
    assert_eq!(e.payload, r#"{"a":1}"#);
    assert_eq!((e.round_id, e.unit_id, e.finding_id), (None, None, None));
    assert_eq!(e.states, "[]");
    let placed = new_event(3);
    assert_eq!(placed.round_id.as_deref(), Some("r1"));
    assert_eq!(placed.unit_id.as_deref(), Some("u1"));
    assert_eq!(placed.finding_id.as_deref(), Some("f3"));
    let unplaced = new_event(3).placed(None, None, None);
    assert_eq!(
        (unplaced.round_id, unplaced.unit_id, unplaced.finding_id),
        (None, None, None)
    );
}

#[test]
fn the_row_states_round_trip_through_the_event() {
    let states = vec![
        RowState("findings".into(), "f1".into(), "ab".repeat(32)),
        RowState("measures".into(), "f1.m1".into(), String::new()),
    ];
    let new = NewEvent::new("u", "甲", "finding", "f1", "x", &json!(null)).with_states(&states);
    assert_eq!(
        new.states,
        format!(
            r#"[["findings","f1","{}"],["measures","f1.m1",""]]"#,
            "ab".repeat(32)
        )
    );
    let e = Event::link(new, 1, "t".into(), GENESIS_HASH);
    assert_eq!(e.row_states().expect("parses"), states);
    let mut bad = e.clone();
    bad.states = "{".into();
    assert!(bad.row_states().is_err());
}

#[test]
fn linking_keeps_every_field_and_hashes_them() {
    let e = Event::link(
        new_event(0),
        7,
        "2022-04-01T08:00:00.000000Z".into(),
        &"9".repeat(64),
    );
    assert_eq!((e.seq, e.at.as_str()), (7, "2022-04-01T08:00:00.000000Z"));
    assert_eq!(
        (e.actor_id.as_str(), e.actor.as_str()),
        ("editor-1", "张敏")
    );
    assert_eq!(
        (e.entity.as_str(), e.entity_id.as_str(), e.action.as_str()),
        ("finding", "f0", "start")
    );
    assert_eq!(e.payload, r#"{"finding_id":"f0"}"#);
    assert_eq!(
        (e.round_id.as_deref(), e.unit_id.as_deref()),
        (Some("r1"), Some("u1"))
    );
    assert_eq!(e.finding_id.as_deref(), Some("f0"));
    assert_eq!(e.prev_hash, "9".repeat(64));
    assert_eq!(e.hash, e.recompute_hash());
    assert_eq!(e.hash.len(), 64);
    assert!(e
        .hash
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
}

#[test]
fn the_hash_is_sha256_over_length_prefixed_fields_with_none_told_apart() {
    // Pinned by hand: prev, seq, at, actor_id, actor, entity, entity_id, action, payload,
    // round_id, unit_id, finding_id, states; each as u64-LE length then bytes, None as u64::MAX.
    use sha2::{Digest, Sha256};
    let e = Event::link(new_event(0), 1, "t".into(), GENESIS_HASH).clone();
    let mut unplaced = e.clone();
    unplaced.round_id = None;
    let mut h = Sha256::new();
    let parts: [Option<&str>; 13] = [
        Some(GENESIS_HASH),
        Some("1"),
        Some("t"),
        Some("editor-1"),
        Some("张敏"),
        Some("finding"),
        Some("f0"),
        Some("start"),
        Some(&e.payload),
        None,
        Some("u1"),
        Some("f0"),
        Some(&e.states),
    ];
    for p in parts {
        match p {
            Some(s) => {
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
            None => h.update(u64::MAX.to_le_bytes()),
        }
    }
    assert_eq!(unplaced.recompute_hash(), hex::encode(h.finalize()));
    let mut empty = e.clone();
    empty.round_id = Some(String::new());
    assert_ne!(empty.recompute_hash(), unplaced.recompute_hash());
}

#[test]
fn every_field_of_an_event_is_in_its_hash() {
    let base = chain(1).remove(0);
    let edits: [(&str, Edit); 13] = [
        ("prev_hash", |e| e.prev_hash = "1".repeat(64)),
        ("seq", |e| e.seq = 2),
        ("at", |e| e.at.push('Z')),
        ("actor_id", |e| e.actor_id = "editor-2".into()),
        ("actor", |e| e.actor = "陈静".into()),
        ("entity", |e| e.entity = "measure".into()),
        ("entity_id", |e| e.entity_id = "f9".into()),
        ("action", |e| e.action = "sign_off".into()),
        ("payload", |e| e.payload = r#"{"finding_id":"f9"}"#.into()),
        ("round_id", |e| e.round_id = Some("r2".into())),
        ("unit_id", |e| e.unit_id = None),
        ("finding_id", |e| e.finding_id = Some("f9".into())),
        ("states", |e| e.states = "[]".into()),
    ];
    for (name, edit) in edits {
        let mut e = base.clone();
        edit(&mut e);
        assert_ne!(
            e.recompute_hash(),
            base.hash,
            "{name} is left out of the hash"
        );
        let mut checker = ChainChecker::default();
        let want = if name == "seq" {
            ChainBreak::Gap { expected: 1 }
        } else if name == "prev_hash" {
            ChainBreak::Link
        } else {
            ChainBreak::Content
        };
        assert_eq!(checker.check(&e), Err(want), "{name}");
    }
}

#[test]
fn the_checker_counts_exactly_what_it_accepted_and_ends_on_the_last_hash() {
    let events = chain(4);
    let mut c = ChainChecker::default();
    assert_eq!((c.checked, c.head()), (0, (0, GENESIS_HASH)));
    for (i, e) in events.iter().enumerate() {
        assert_eq!(c.check(e), Ok(()));
        assert_eq!(c.checked, i as u64 + 1);
        assert_eq!(c.head(), (e.seq, e.hash.as_str()));
    }
    // A refusal counts nothing and moves nothing; the right event still fits afterwards.
    let more = chain(6);
    let mut tampered = more[4].clone();
    tampered.actor = "冒名".into();
    assert_eq!(c.check(&tampered), Err(ChainBreak::Content));
    assert_eq!(c.check(&more[5]), Err(ChainBreak::Gap { expected: 5 }));
    assert_eq!(c.check(&events[3]), Err(ChainBreak::Gap { expected: 5 }));
    assert_eq!((c.checked, c.head()), (4, (4, events[3].hash.as_str())));
    assert_eq!(c.check(&more[4]), Ok(()));
    assert_eq!((c.checked, c.head()), (5, (5, more[4].hash.as_str())));
}

#[test]
fn a_relinked_event_is_a_broken_link_not_a_content_change() {
    let events = chain(3);
    let mut c = ChainChecker::default();
    c.check(&events[0]).expect("first");
    // An event linked after some other hash, with a hash matching its own content.
    let forged = Event::link(new_event(1), 2, events[1].at.clone(), &"5".repeat(64));
    assert_eq!(c.check(&forged), Err(ChainBreak::Link));
    assert_eq!(c.checked, 1);
}

#[test]
fn breaks_are_told_in_words() {
    assert_eq!(
        ChainBreak::Gap { expected: 3 }.zh(),
        "序号不连续（应为 3），有事件被删除或调换"
    );
    assert_eq!(
        ChainBreak::Link.zh(),
        "前一哈希与上一事件不符，有事件被删除、调换或改动"
    );
    assert_eq!(ChainBreak::Content.zh(), "事件内容与其哈希不符，事件被改动");
}

#[test]
fn a_row_hash_covers_the_table_and_every_column_in_order() {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for s in ["t", "ab"] {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    }
    h.update(u64::MAX.to_le_bytes());
    assert_eq!(row_hash("t", [Some("ab"), None]), hex::encode(h.finalize()));
    let base = row_hash("t", [Some("a"), Some("b")]);
    assert_ne!(base, row_hash("t", [Some("b"), Some("a")]));
    assert_ne!(base, row_hash("t", [Some("a"), Some("b"), None]));
    assert_ne!(base, row_hash("t", [Some("ab"), Some("")]));
}

#[test]
fn anchors_are_a_non_negative_sequence_and_a_sha256() {
    let hash = "Ab".repeat(32);
    let a = Anchor::parse(&format!("  0:{hash}\n")).expect("anchor");
    assert_eq!(
        a,
        Anchor {
            seq: 0,
            hash: "ab".repeat(32)
        }
    );
    assert_eq!(a.to_string(), format!("0:{}", "ab".repeat(32)));
    let good = "cd".repeat(32);
    assert_eq!(Anchor::parse(&format!("42:{good}")).map(|a| a.seq), Ok(42));
    for bad in [
        format!("-1:{good}"),
        format!("x:{good}"),
        format!(":{good}"),
        format!("42:{}", &good[1..]),
        format!("42:{}g", &good[1..]),
        format!("42-{good}"),
        "42".to_string(),
    ] {
        assert_eq!(
            Anchor::parse(&bad),
            Err(format!(
                "锚点“{bad}”格式不对，应为 序号:哈希（64 位十六进制）"
            )),
            "{bad}"
        );
    }
}
