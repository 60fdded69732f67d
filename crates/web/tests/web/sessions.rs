//! Signing in: the session cookie's flags, a new session id at every sign-in, the throttle
//! on wrong passwords with one message for a wrong name and a wrong password, idle expiry.

use std::time::Duration;

use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;
use zhenggai_core::Clock;
use zhenggai_web::Settings;

use crate::harness::{demo_on_sqlite, Browser, Demo, Server, PASSWORD};

fn flags_of(cookie: &str) -> Vec<String> {
    cookie
        .split(';')
        .skip(1)
        .map(|f| f.trim().to_ascii_lowercase())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_http_only_strict_and_new_at_every_sign_in() {
    let (_db, _demo, server) = demo_on_sqlite(Settings::default()).await;
    let anonymous = Browser::anonymous(&server);
    let form = anonymous.get("/login").await;
    for cookie in form.set_cookies("zg_login") {
        let flags = flags_of(&cookie);
        assert!(flags.contains(&"httponly".into()), "{cookie}");
        assert!(flags.contains(&"samesite=strict".into()), "{cookie}");
    }

    // A session id planted before sign-in (fixation) is not the one issued.
    let planted = Browser::holding(&server, "planted-by-someone-else");
    let first = planted.try_sign_in("office", PASSWORD).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let cookies = first.set_cookies("zg_session");
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let flags = flags_of(&cookies[0]);
    assert!(flags.contains(&"httponly".into()), "{}", cookies[0]);
    assert!(flags.contains(&"samesite=strict".into()), "{}", cookies[0]);
    assert!(flags.contains(&"path=/".into()), "{}", cookies[0]);
    let one = first.cookie("zg_session").expect("a session");
    assert_ne!(one, "planted-by-someone-else");
    assert!(one.len() >= 32, "a short session id: {one}");

    // Signing in again, with the old cookie sent along: a new id, and the old one ends.
    let old = Browser::holding(&server, &one);
    assert_eq!(old.get("/").await.status, StatusCode::OK);
    let again = old.post_login("tok", "tok", "office", PASSWORD).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let two = again.cookie("zg_session").expect("a session");
    assert_ne!(two, one);
    assert!(
        old.get("/").await.redirects_to_login(),
        "the old id still works"
    );
    let new = Browser::holding(&server, &two);
    assert_eq!(new.get("/").await.status, StatusCode::OK);
    // Another sign-in of the same person, elsewhere, gets an id of its own.
    let three = Browser::sign_in(&server, "office").await;
    assert_ne!(three.session.as_deref(), Some(two.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_slowed_and_a_wrong_name_reads_like_a_wrong_password() {
    let (_db, _demo, server) = demo_on_sqlite(Settings::default()).await;
    let b = Browser::anonymous(&server);
    let no_such = b.try_sign_in("no-such-person", "whatever-1").await;
    let wrong = b.try_sign_in("office", "whatever-1").await;
    assert_eq!(no_such.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(!wrong.flash().is_empty());
    assert_eq!(no_such.flash(), wrong.flash());
    let mut tries = 2;
    let throttled = loop {
        let a = b.try_sign_in("office", "whatever-2").await;
        tries += 1;
        if a.status == StatusCode::TOO_MANY_REQUESTS {
            break a;
        }
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(tries < 10, "ten wrong passwords and no slowing down");
    };
    let wait: u64 = throttled
        .headers
        .get(RETRY_AFTER)
        .expect("Retry-After")
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(wait >= 1);
    assert!(
        throttled.flash().contains("尝试次数过多"),
        "{}",
        throttled.flash()
    );
    // While it lasts, even the right password does not sign in.
    let right = b.try_sign_in("office", PASSWORD).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(right.cookie("zg_session").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_left_idle_ends() {
    let db = zhenggai_testkit::sqlite().await;
    Demo::fill(&db).await;
    // Idle for a day: a ten-minute limit ends the session, a three-day one does not (the
    // absolute limit, a month here, plays no part).
    let with_idle = |minutes: u64| Settings {
        idle: Duration::from_secs(minutes * 60),
        absolute: Duration::from_secs(30 * 24 * 3600),
        ..Settings::default()
    };
    let short = Server::start(&db, with_idle(10)).await;
    let long = Server::start(&db, with_idle(3 * 24 * 60)).await;
    let office = Browser::sign_in(&short, "office").await;
    let lasting = Browser::sign_in(&long, "office").await;
    assert_eq!(office.get("/api/v1/me").await.status, StatusCode::OK);
    let today = db.clock.today();
    db.clock.set(today.add_days(1));
    assert!(office.get("/").await.redirects_to_login());
    assert_eq!(lasting.get("/").await.status, StatusCode::OK);
    // Ended, not only hidden: back on the day it was used, it is still gone.
    db.clock.set(today);
    assert!(office.get("/").await.redirects_to_login());
    assert_eq!(
        office.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}
