//! A unit's people guessing another unit's ids: every read and every change of the other
//! unit's records is refused with 403 or 404, the answer holds none of its data, an id that
//! exists is refused exactly like one that does not (no oracle), and nothing is written.

use reqwest::{Method, StatusCode};
use zhenggai_web::Settings;

use crate::harness::{demo_on_sqlite, reader, Answer, Body, Browser, Multipart};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_user_guessing_another_units_ids_gets_refused_and_no_data() {
    let (db, demo, server) = demo_on_sqlite(Settings::default()).await;
    let b = &demo.b;
    let other = db
        .store()
        .feedback(&reader(), &b.feedback)
        .await
        .expect("fb");
    let findings: Vec<String> = other.findings().map(|f| f.id.clone()).collect();
    let mut secrets: Vec<String> = vec![b.unit_name.clone()];
    secrets.extend(
        other
            .findings()
            .flat_map(|f| f.measures.iter())
            .flat_map(|m| m.progress.iter().map(|p| p.text.clone())),
    );
    secrets.extend(
        other
            .findings()
            .flat_map(|f| f.transitions.iter())
            .flat_map(|t| [t.reason.clone(), t.actor.clone()])
            .filter(|r| !r.is_empty()),
    );
    for login in ["cgj-editor", "cgj-lead"] {
        let me = Browser::sign_in(&server, login).await;
        let events = server.events().await;
        let mut answers: Vec<(String, Answer)> = Vec::new();
        let mut reads = vec![
            format!("/units/{}", b.unit),
            format!("/units/{}?round=r-demo-3", b.unit),
            format!("/feedbacks/{}", b.feedback),
            format!("/feedbacks/{}?status=closed", b.feedback),
            format!("/findings/{}/evidence/{}", b.finding, b.evidence),
            format!("/api/v1/findings/{}", b.finding),
        ];
        reads.extend(findings.iter().map(|f| format!("/findings/{f}")));
        for path in reads {
            let a = me.get(&path).await;
            answers.push((path, a));
        }
        let f = &b.finding;
        let changes = [
            (
                format!("/findings/{f}/do"),
                vec![
                    ("action", "progress".to_string()),
                    ("measure_id", format!("{f}.m1")),
                    ("text", "越权填报".to_string()),
                ],
            ),
            (
                format!("/findings/{f}/do"),
                vec![("action", "request_closure".to_string())],
            ),
            (
                format!("/feedbacks/{}/plan", b.feedback),
                vec![("action", "submit".to_string())],
            ),
        ];
        for (path, fields) in &changes {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let a = me.post(path, &pairs).await;
            answers.push((path.clone(), a));
        }
        let upload = Multipart::default().text("_csrf", &me.csrf).file(
            "越权上传.pdf",
            "application/pdf",
            b"%PDF-1.4\n",
        );
        let path = format!("/findings/{f}/evidence");
        let a = me
            .send(Method::POST, &path, Body::Multipart(upload), &[])
            .await;
        answers.push((path, a));

        for (path, a) in &answers {
            assert!(
                matches!(a.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{login} {path}: {}",
                a.status
            );
            if let Some(secret) = secrets.iter().find(|s| a.body.contains(s.as_str())) {
                panic!("{login} {path}: the answer holds {secret:?}");
            }
        }
        assert_eq!(server.events().await, events, "{login} wrote something");

        // A made-up id of the same shape gets the very same answer.
        for (real, made_up) in [
            (
                format!("/findings/{f}"),
                "/findings/fb-nyj.f999".to_string(),
            ),
            (
                format!("/feedbacks/{}", b.feedback),
                "/feedbacks/fb-zzz".into(),
            ),
            (format!("/units/{}", b.unit), "/units/u-zzz".into()),
        ] {
            let (x, y) = (me.get(&real).await, me.get(&made_up).await);
            assert_eq!(x.status, y.status, "{real} and {made_up} differ");
            assert_eq!(x.flash(), y.flash());
            let strip = |s: &str| s.replace(&real, "").replace(&made_up, "");
            let body = |a: &Answer, id: &str| strip(&a.body.replace(id, ""));
            let (rid, mid) = (
                real.rsplit('/').next().unwrap_or(""),
                made_up.rsplit('/').next().unwrap_or(""),
            );
            assert_eq!(body(&x, rid), body(&y, mid), "{real} vs {made_up}");
        }
    }
    // The same pages for someone who may read them hold what was kept from the others.
    let office = Browser::sign_in(&server, "office").await;
    let page = office.get(&format!("/feedbacks/{}", b.feedback)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&b.unit_name));
}
