//! The closure workflow in a real browser, as the issue tells it: a unit editor signs in,
//! records progress with an evidence file named in Chinese, requests closure; an office
//! user returns it with a reason; the editor adds evidence and requests again; a second
//! office user signs it off; the home page's counts change; the evidence downloads with the
//! same bytes and its Chinese name. Markup typed into the forms on the way must open no
//! dialog. Every page is photographed at 1366×768, some at a phone's 390 px too.

use std::time::Instant;

use reqwest::header::CONTENT_DISPOSITION;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use super::{Driver, Page, DESKTOP, PHONE};
use crate::escaping::{IMG, SCRIPT};
use crate::harness::{demo_on_sqlite, disposition_name, reader, Browser};

const FIRST: &str = "整改会议纪要（第一次）.pdf";
const SECOND: &str = "制度执行记录（补充）.pdf";

fn text_of(html: &str, css: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The home page's counts: closure requests waiting, and the unit's signed-off findings.
fn counts(html: &str, unit: &str) -> (u32, u32) {
    let waiting = text_of(html, "h2")
        .into_iter()
        .find_map(|h| {
            h.strip_prefix("待审核的销号申请（")
                .and_then(|n| n.strip_suffix('）'))
                .and_then(|n| n.parse().ok())
        })
        .expect("the queue of closure requests");
    let doc = Html::parse_document(html);
    let rows = Selector::parse("tr").expect("selector");
    let cell = |label: &str| Selector::parse(&format!("td[data-label=\"{label}\"]")).expect("s");
    // The unit's row in the round's table (the queues list units too, without counts).
    let closed = doc
        .select(&rows)
        .filter(|r| {
            r.select(&cell("单位"))
                .any(|c| c.text().collect::<String>().trim() == unit)
        })
        .find_map(|r| r.select(&cell("已销号")).next())
        .and_then(|c| c.text().collect::<String>().trim().parse().ok())
        .expect("the unit's row");
    (waiting, closed)
}

/// The selector of the finding page's form for `action` (and `measure`).
fn form(action: &str, measure: Option<&str>) -> String {
    let m = measure
        .map(|m| format!(":has(input[name=measure_id][value=\"{m}\"])"))
        .unwrap_or_default();
    format!("form:has(input[name=action][value=\"{action}\"]){m}")
}

const UPLOAD: &str = "form[enctype=\"multipart/form-data\"]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium: scripts/test.sh installs it and runs this with ZHENGGAI_BROWSER=1"]
async fn browser_closure_workflow_with_chinese_evidence_and_screenshots() {
    assert_eq!(
        std::env::var("ZHENGGAI_BROWSER").as_deref(),
        Ok("1"),
        "the browser test runs with ZHENGGAI_BROWSER=1 after apt-get install chromium \
         chromium-driver fonts-noto-cjk (scripts/test.sh does both)"
    );
    let started = Instant::now();
    let (_db, demo, server) = demo_on_sqlite(zhenggai_web::Settings::default()).await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().expect("profile");
    let files = tempfile::tempdir().expect("files");
    let mut p = Page {
        c: driver.browser(profile.path()).await,
        base: server.base.clone(),
        width: DESKTOP,
        shots: Vec::new(),
    };
    p.resize(DESKTOP).await;
    let f = demo.in_progress.clone();
    let finding = format!("/findings/{f}");
    let view = server.store.finding(&reader(), &f).await.expect("finding");
    let measures: Vec<String> = view.finding.measures.iter().map(|m| m.id.clone()).collect();
    let unit = view.unit.name.clone();
    let first_bytes: Vec<u8> = b"%PDF-1.4\n% \xe6\x95\xb4\xe6\x94\xb9 minutes\n%%EOF\n".to_vec();
    let first = files.path().join(FIRST);
    std::fs::write(&first, &first_bytes).expect("file");
    let second = files.path().join(SECOND);
    std::fs::write(&second, b"%PDF-1.4\n% second\n%%EOF\n").expect("file");

    // The office's counts before.
    p.go("/login").await;
    p.shot("01-login").await;
    p.sign_in("office").await;
    p.shot("02-home-office-before").await;
    let before = counts(&p.html().await, &unit);
    p.sign_out().await;

    // The unit's editor: progress, evidence, measures done, closure requested.
    p.sign_in("cgj-editor").await;
    p.shot("03-home-editor").await;
    p.go(&format!("/feedbacks/{}", demo.a.feedback)).await;
    p.shot("04-ledger").await;
    p.go(&finding).await;
    p.shot("05-finding-before").await;
    assert!(
        !p.has(&form("sign_off", None)).await,
        "the editor may not sign off"
    );
    let progress = format!("已召开整改专题会议，逐项梳理请示报告事项{SCRIPT}");
    p.submit(
        &form("progress", Some(&measures[0])),
        &[("text", &progress)],
    )
    .await;
    p.shot("06-finding-progress").await;
    let path = first.to_str().expect("a path");
    let description = format!("会议纪要扫描件{IMG}");
    p.submit(UPLOAD, &[("file", path), ("description", &description)])
        .await;
    assert!(
        p.html().await.contains(FIRST),
        "the file is listed by its name"
    );
    p.shot("07-finding-evidence").await;
    for m in &measures {
        p.submit(&form("status", Some(m)), &[("status", "done")])
            .await;
    }
    p.shot("08-finding-measures-done").await;
    // Each status form starts at the measure's status, so pressing it changes nothing.
    let chosen = p
        .c
        .execute(
            "return Array.from(document.querySelectorAll('select[name=status]')).map(function (s) { return s.value; });",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(chosen, serde_json::json!(vec!["done"; measures.len()]));
    p.submit(
        &form("request_closure", None),
        &[("reason", "措施已全部落实，申请销号")],
    )
    .await;
    p.shot("09-finding-closure-requested").await;
    assert!(p.html().await.contains("已申请销号"));
    assert!(
        !p.has(&form("progress", None)).await,
        "work is frozen under review"
    );
    assert!(!p.has(UPLOAD).await);
    p.sign_out().await;

    // The office returns it with a reason.
    p.sign_in("office").await;
    let waiting = counts(&p.html().await, &unit);
    assert_eq!(waiting.0, before.0 + 1, "one more closure request waits");
    p.shot("10-home-office-requested").await;
    p.go(&finding).await;
    assert!(p.has(&form("sign_off", None)).await);
    let reason = format!("佐证材料不能反映制度执行情况，请补充{IMG}");
    p.submit(&form("return", None), &[("reason", &reason)])
        .await;
    p.shot("11-finding-returned").await;
    p.sign_out().await;

    // The editor adds evidence and asks again.
    p.sign_in("cgj-editor").await;
    assert!(
        p.html().await.contains(&view.finding.title),
        "returned, on the home page"
    );
    p.shot("12-home-editor-returned").await;
    p.go(&finding).await;
    let path = second.to_str().expect("a path");
    p.submit(UPLOAD, &[("file", path), ("description", "制度执行台账")])
        .await;
    p.submit(
        &form("request_closure", None),
        &[("reason", "已补充制度执行记录")],
    )
    .await;
    p.shot("13-finding-requested-again").await;
    p.resize(PHONE).await;
    p.go(&finding).await;
    p.shot("phone-finding").await;
    p.go("/").await;
    p.shot("phone-home-editor").await;
    p.go(&format!("/feedbacks/{}", demo.a.feedback)).await;
    p.shot("phone-ledger").await;
    p.resize(DESKTOP).await;
    p.sign_out().await;

    // A second office user signs it off; the counts move.
    p.sign_in("office2").await;
    p.go(&finding).await;
    p.submit(
        &form("sign_off", None),
        &[("reason", "经核查，整改到位，同意销号")],
    )
    .await;
    assert!(p.html().await.contains("已销号"));
    p.shot("14-finding-signed-off").await;
    p.go("/").await;
    let after = counts(&p.html().await, &unit);
    assert_eq!(
        after,
        (before.0, before.1 + 1),
        "home counts: {before:?} → {after:?}"
    );
    p.shot("15-home-office-after").await;

    // The evidence, downloaded with the browser's session: same bytes, same name.
    p.go(&finding).await;
    let link =
        p.c.find(fantoccini::Locator::LinkText(FIRST))
            .await
            .expect("the evidence link");
    let href = link.attr("href").await.expect("href").expect("a link");
    let session =
        p.c.get_named_cookie("zg_session")
            .await
            .expect("session cookie");
    assert_eq!(session.http_only(), Some(true));
    let b = Browser::holding(&server, session.value());
    let (status, headers, bytes) = b.download(&href).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, first_bytes);
    let d = headers
        .get(CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .expect("Content-Disposition");
    assert_eq!(disposition_name(d).as_deref(), Some(FIRST), "{d}");

    // The other pages, and the error pages.
    for (name, path) in [
        ("16-round", "/rounds/r-demo-3"),
        ("17-rounds", "/rounds"),
        ("18-audit", "/audit"),
        ("19-import", "/import"),
        ("20-not-found", "/no-such-page"),
        ("24-stats", "/stats"),
    ] {
        p.go(path).await;
        p.shot(name).await;
    }
    // The charts are drawn in the page itself, with their Chinese labels as text.
    assert!(p.has("figure.chart svg text").await, "charts on /stats");
    p.go(&format!("/feedbacks/{}", demo.a.feedback)).await;
    p.shot("21-ledger-office").await;
    p.sign_out().await;
    p.sign_in("admin").await;
    p.go("/admin/users").await;
    p.shot("22-users").await;
    p.sign_out().await;
    p.sign_in("cgj-editor").await;
    p.go(&format!("/findings/{}", demo.b.finding)).await;
    assert!(p.html().await.contains("无权访问"));
    p.shot("23-forbidden").await;
    p.sign_out().await;
    p.resize(PHONE).await;
    p.go("/login").await;
    p.shot("phone-login").await;

    let shots = p.shots.clone();
    p.c.close().await.expect("close the browser");
    eprintln!(
        "browser test: {} screenshots in {} in {:.1} s",
        shots.len(),
        super::screenshot_dir().display(),
        started.elapsed().as_secs_f64()
    );
}
