//! Markup and script typed into every text field a form accepts come back as text: each
//! field gets both payloads behind a tag of its own, every page that shows them is read,
//! no page holds a payload unescaped, and every tag is found escaped somewhere (so a field
//! that never came back fails instead of passing unseen).

use reqwest::StatusCode;
use zhenggai_core::{Date, Round};

use crate::harness::{demo_on_sqlite, reader, Answer, Body, Browser, Multipart};

pub const SCRIPT: &str = "<script>alert(1)</script>";
pub const IMG: &str = "\"><img src=x onerror=alert(1)>";

/// A field's hostile value: its tag, then both payloads.
pub fn hostile(tag: &str) -> String {
    format!("{tag}{SCRIPT}{IMG}")
}

/// What must never be in a page: a payload as markup, or a quote that closed an
/// attribute.
pub fn unescaped(html: &str) -> Option<&'static str> {
    ["<script>alert(1)", "<img src=x", "\"&gt;&lt;img"]
        .into_iter()
        .find(|raw| html.contains(raw))
}

/// The tag of every field given a hostile value below.
const TAGS: [&str; 15] = [
    "方案退回理由",
    "措施内容",
    "责任领导",
    "责任部门",
    "责任人",
    "整改进展",
    "延期理由",
    "制度名称",
    "材料说明",
    "佐证文件名",
    "销号申请说明",
    "销号退回理由",
    "用户姓名",
    "轮次名称",
    "巡察组名",
];

/// Markup a page should not have, read by an HTML parser as a browser would: a script
/// other than the interface's own, an image, an event-handler attribute, an element or
/// attribute that came out of a field's text.
pub fn injected(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    for node in doc.root_element().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        if el.name() == "script" && el.attr("src") != Some("/static/app.js") {
            return Some("a <script> of its own".into());
        }
        if el.name() == "img" {
            return Some("an <img>".into());
        }
        if let Some((name, _)) = el
            .attrs()
            .find(|(n, _)| n.starts_with("on") || *n == "src" && el.name() != "script")
        {
            return Some(format!("<{} {name}=…>", el.name()));
        }
    }
    None
}

/// A page with the numeric character references askama writes (`&#60;`) in their named
/// form, so that one spelling is searched for.
pub fn normalized(html: &str) -> String {
    html.replace("&#60;", "&lt;")
        .replace("&#62;", "&gt;")
        .replace("&#34;", "&quot;")
        .replace("&#39;", "&apos;")
}

/// How a tag's value reads once escaped (and normalized).
fn escaped(tag: &str) -> String {
    format!("{tag}&lt;script&gt;alert(1)&lt;/script&gt;")
}

fn expect_done(a: &Answer, what: &str) {
    assert_eq!(
        a.status,
        StatusCode::SEE_OTHER,
        "{what}: {} {}",
        a.status,
        a.flash()
    );
}

fn iso(d: Date) -> String {
    d.to_string()
}

/// The round's settings form as the page would send it, with `name` and `team`.
pub fn round_form(r: &Round, name: &str, team: &str) -> Vec<(String, String)> {
    let p = &r.policy;
    [
        ("name", name.to_string()),
        ("team", team.to_string()),
        ("level", "inspection".into()),
        ("kind", "routine".into()),
        ("inspection_start", iso(r.inspection_start)),
        ("inspection_end", iso(r.inspection_end)),
        ("feedback_date", iso(r.feedback_date)),
        ("plan_due_days", p.plan_due_days.to_string()),
        ("report_due_days", p.report_due_days.to_string()),
        ("concentrated_days", p.concentrated_days.to_string()),
        ("green_days", p.green_days.to_string()),
        ("yellow_days", p.yellow_days.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_every_text_field_comes_back_escaped() {
    let (db, demo, server) = demo_on_sqlite(zhenggai_web::Settings::default()).await;
    let office = Browser::sign_in(&server, "office").await;
    let office2 = Browser::sign_in(&server, "office2").await;
    let admin = Browser::sign_in(&server, "admin").await;
    let editor = Browser::sign_in(&server, "cgj-editor").await;
    let jgj = Browser::sign_in(&server, "jgj-editor").await;

    // The plan of 机关事务局 waits for review: the office returns it, its editor adds a
    // measure with every field hostile.
    let reason = hostile("方案退回理由");
    office
        .done(
            "/feedbacks/fb-jgj/plan",
            &[("action", "return"), ("reason", &reason)],
        )
        .await;
    let fields = [
        hostile("措施内容"),
        hostile("责任领导"),
        hostile("责任部门"),
        hostile("责任人"),
    ];
    jgj.done(
        "/findings/fb-jgj.f1/do",
        &[
            ("action", "add_measure"),
            ("text", &fields[0]),
            ("kind", "by_deadline"),
            ("lead", &fields[1]),
            ("department", &fields[2]),
            ("owner", &fields[3]),
            ("due", "2030-01-31"),
        ],
    )
    .await;

    // The finding in progress of 城管局: progress, an extension, an outcome, evidence, the
    // request for closure, the office's return.
    let f = demo.in_progress.clone();
    let act = format!("/findings/{f}/do");
    let finding = db.store().finding(&reader(), &f).await.expect("finding");
    let measures: Vec<String> = finding
        .finding
        .measures
        .iter()
        .map(|m| m.id.clone())
        .collect();
    let (progress, why_later, rule) = (
        hostile("整改进展"),
        hostile("延期理由"),
        hostile("制度名称"),
    );
    let (m1, m2) = (measures[0].as_str(), measures[1].as_str());
    let forms: [&[(&str, &str)]; 3] = [
        &[
            ("action", "progress"),
            ("measure_id", m1),
            ("text", &progress),
        ],
        &[
            ("action", "extension"),
            ("measure_id", m2),
            ("new_due", "2031-06-30"),
            ("reason", &why_later),
        ],
        &[
            ("action", "outcome"),
            ("measure_id", m1),
            ("outcome", "rule_new"),
            ("title", &rule),
        ],
    ];
    for pairs in forms {
        editor.done(&act, pairs).await;
    }
    let description = hostile("材料说明");
    let upload = Multipart::default()
        .text("_csrf", &editor.csrf)
        .text("description", &description)
        .file(
            "佐证文件名<img src=x onerror=alert(1)>.pdf",
            "application/pdf",
            b"%PDF-1.4\n",
        );
    let a = editor
        .send(
            reqwest::Method::POST,
            &format!("/findings/{f}/evidence"),
            Body::Multipart(upload),
            &[],
        )
        .await;
    expect_done(&a, "upload");
    for m in &measures {
        editor
            .done(
                &act,
                &[("action", "status"), ("measure_id", m), ("status", "done")],
            )
            .await;
    }
    let ask = hostile("销号申请说明");
    editor
        .done(&act, &[("action", "request_closure"), ("reason", &ask)])
        .await;
    let back = hostile("销号退回理由");
    office2
        .done(&act, &[("action", "return"), ("reason", &back)])
        .await;

    // An account and a round named with markup.
    let name = hostile("用户姓名");
    admin
        .done(
            "/admin/users",
            &[
                ("login", "zhang-hostile"),
                ("name", &name),
                ("role", "unit_editor"),
                ("unit", "u-cgj"),
                ("password", "a-long-enough-password-1"),
            ],
        )
        .await;
    let rounds = db.store().rounds(&reader()).await.expect("rounds");
    let mut settings: Vec<(String, String)> = vec![("_csrf".into(), office.csrf.clone())];
    settings.extend(round_form(
        &rounds[0],
        &hostile("轮次名称"),
        &hostile("巡察组名"),
    ));
    let a = office
        .send(
            reqwest::Method::POST,
            &format!("/rounds/{}/settings", rounds[0].id),
            Body::Form(settings),
            &[],
        )
        .await;
    expect_done(&a, "round settings");

    // Every page that shows them, and pages that echo what a link or a form sent.
    let reflected = urlencode(&hostile("筛选"));
    let pages: Vec<(&Browser, String)> = vec![
        (&office, "/".into()),
        (&office, "/rounds".into()),
        (&office, format!("/rounds/{}", rounds[0].id)),
        (&office, "/feedbacks/fb-jgj".into()),
        (&office, "/findings/fb-jgj.f1".into()),
        (&jgj, "/findings/fb-jgj.f1".into()),
        (&office, format!("/feedbacks/{}", demo.a.feedback)),
        (&office, format!("/findings/{f}")),
        (&editor, format!("/findings/{f}")),
        (&editor, "/".into()),
        (&office, "/audit".into()),
        (&admin, "/admin/users".into()),
        (
            &office,
            format!("/feedbacks/{}?owner={reflected}", demo.a.feedback),
        ),
        (
            &office,
            format!("/audit?actor={reflected}&unit={reflected}&from={reflected}"),
        ),
        (&office, format!("/findings/{reflected}")),
        (&editor, format!("/feedbacks/{reflected}")),
    ];
    let mut all = String::new();
    for (who, path) in &pages {
        let page = who.get(path).await;
        assert!(
            page.status.is_success() || page.status.is_client_error(),
            "{path}: {}",
            page.status
        );
        if let Some(raw) = unescaped(&page.body) {
            panic!("{path} holds {raw:?} unescaped");
        }
        if let Some(what) = injected(&page.body) {
            panic!("{path} has {what}");
        }
        all.push_str(&normalized(&page.body));
    }
    let login = crate::harness::Browser::anonymous(&server)
        .try_sign_in(&hostile("登录名"), "wrong")
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        unescaped(&login.body),
        None,
        "the sign-in form echoes the name"
    );
    assert_eq!(
        injected(&login.body),
        None,
        "the sign-in form echoes the name"
    );
    assert!(normalized(&login.body).contains(&escaped("登录名")));
    assert!(
        all.contains(&escaped("筛选")),
        "a filter's value is echoed escaped"
    );
    assert!(all.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let missing: Vec<&&str> = TAGS
        .iter()
        .filter(|t| !all.contains(&format!("{t}&lt;")))
        .collect();
    assert!(missing.is_empty(), "never shown (escaped): {missing:?}");
}

pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
