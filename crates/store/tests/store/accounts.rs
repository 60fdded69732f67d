use zhenggai_core::*;
use zhenggai_store::{AccountChange, NewUser};
use zhenggai_testkit::*;

fn new_user(login: &str, role: Role, units: &[&str]) -> NewUser {
    NewUser {
        login: login.into(),
        name: format!("{login}的姓名"),
        role,
        units: units.iter().map(|u| u.to_string()).collect(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
    }
}

async fn accounts_are_managed_by_administrators(db: &Db) {
    seed(db.store()).await;
    let before = db.store.event_count().await.expect("count");
    let err = db
        .store
        .add_user(&office(), new_user("zhang", Role::UnitEditor, &["u1"]))
        .await
        .expect_err("office");
    assert_eq!(err.code(), "forbidden");
    let user = db
        .store
        .add_user(&admin(), new_user("zhang", Role::UnitEditor, &["u1"]))
        .await
        .expect("add");
    assert_eq!(
        (user.role, user.units.clone(), user.disabled),
        (Role::UnitEditor, vec!["u1".to_string()], false)
    );
    assert_eq!(
        db.store
            .add_user(&admin(), new_user("zhang", Role::Office, &[]))
            .await
            .expect_err("taken")
            .code(),
        "conflict"
    );
    assert_eq!(
        db.store
            .add_user(&admin(), new_user("li", Role::UnitLead, &[]))
            .await
            .expect_err("no unit")
            .code(),
        "invalid"
    );
    assert_eq!(
        db.store
            .add_user(&admin(), new_user("wang", Role::UnitLead, &["u404"]))
            .await
            .expect_err("no such unit")
            .code(),
        "invalid"
    );
    let (found, hash) = db
        .store
        .credentials("zhang")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(
        (found.id.as_str(), hash.starts_with("$argon2id$")),
        (user.id.as_str(), true)
    );
    assert_eq!(
        db.store.users(&admin()).await.expect("list"),
        vec![user.clone()]
    );
    assert_eq!(
        db.store.users(&office()).await.expect_err("office").code(),
        "forbidden"
    );
    // One event per account change, and none of them carries the hash.
    assert_eq!(db.store.event_count().await.expect("count"), before + 1);
    let events = db
        .store
        .events(
            &admin(),
            &zhenggai_store::EventQuery {
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .expect("events");
    assert!(
        !events.items[0].payload.contains("argon2"),
        "{}",
        events.items[0].payload
    );
    assert_eq!(db.store.verify(None).await.expect("verify").broken, None);
}

async fn sessions_end_when_the_account_is_disabled(db: &Db) {
    seed(db.store()).await;
    let user = db
        .store
        .add_user(&admin(), new_user("zhang", Role::Office, &[]))
        .await
        .expect("add");
    db.store
        .create_session("s1hash", &user.id, "csrf1")
        .await
        .expect("session");
    let s = db
        .store
        .session("s1hash", true)
        .await
        .expect("read")
        .expect("alive");
    assert_eq!((s.user.login.as_str(), s.csrf.as_str()), ("zhang", "csrf1"));
    assert!(db
        .store
        .session("other", false)
        .await
        .expect("read")
        .is_none());
    db.store
        .change_account(
            &admin(),
            AccountChange::Disable {
                user_id: user.id.clone(),
            },
        )
        .await
        .expect("disable");
    assert!(db
        .store
        .session("s1hash", false)
        .await
        .expect("read")
        .is_none());
    let (u, _) = db
        .store
        .credentials("zhang")
        .await
        .expect("read")
        .expect("still there");
    assert!(u.disabled);
    db.store
        .change_account(
            &admin(),
            AccountChange::Enable {
                user_id: user.id.clone(),
            },
        )
        .await
        .expect("enable");
    db.store
        .create_session("s2hash", &user.id, "csrf2")
        .await
        .expect("session");
    db.store.end_session("s2hash").await.expect("logout");
    assert!(db
        .store
        .session("s2hash", false)
        .await
        .expect("read")
        .is_none());
}

async fn tokens_name_their_user_until_revoked(db: &Db) {
    seed(db.store()).await;
    let user = db
        .store
        .add_user(&admin(), new_user("api", Role::Supervisor, &[]))
        .await
        .expect("add");
    let me = user.actor().expect("actor");
    let add = AccountChange::AddToken {
        user_id: user.id.clone(),
        token_sha256: "t".repeat(64),
        label: "数据对接".into(),
    };
    // A user issues their own tokens; another user may not.
    let err = db
        .store
        .change_account(&office(), add.clone())
        .await
        .expect_err("not theirs");
    assert_eq!(err.code(), "forbidden");
    db.store.change_account(&me, add).await.expect("own token");
    assert_eq!(
        db.store
            .token_user(&"t".repeat(64))
            .await
            .expect("read")
            .map(|u| u.id),
        Some(user.id.clone())
    );
    assert_eq!(db.store.tokens(&me, &user.id).await.expect("list").len(), 1);
    db.store
        .change_account(
            &admin(),
            AccountChange::RevokeToken {
                token_sha256: "t".repeat(64),
            },
        )
        .await
        .expect("revoke");
    assert_eq!(
        db.store.token_user(&"t".repeat(64)).await.expect("read"),
        None
    );
    let change = AccountChange::SetPassword {
        user_id: user.id.clone(),
        password_hash: "$argon2id$new".into(),
    };
    db.store
        .change_account(&me, change)
        .await
        .expect("own password");
    assert_eq!(
        db.store
            .credentials("api")
            .await
            .expect("read")
            .map(|(_, h)| h),
        Some("$argon2id$new".to_string())
    );
    assert_eq!(db.store.verify(None).await.expect("verify").broken, None);
}

zhenggai_testkit::on_both!(
    accounts_are_managed_by_administrators,
    sessions_end_when_the_account_is_disabled,
    tokens_name_their_user_until_revoked,
);
