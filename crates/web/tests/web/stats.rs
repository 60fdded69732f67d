//! Statistics on the round page and the statistics page: the published sentence, charts
//! drawn inline, and the downloads (workbook, text, JSON, SVG), each holding the figures
//! the caller may see and no more.

use reqwest::StatusCode;
use zhenggai_testkit::office;
use zhenggai_web::Settings;

use crate::harness::{demo_on_sqlite, disposition_name, Browser};

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("json")
}

fn findings(report: &serde_json::Value) -> i64 {
    report["totals"]["findings"].as_i64().expect("findings")
}

#[tokio::test]
async fn a_round_page_shows_the_sentence_the_tables_and_three_charts() {
    let (_db, demo, server) = demo_on_sqlite(Settings::default()).await;
    let office = Browser::sign_in(&server, "office").await;
    let page = office.get("/rounds/r-demo-3").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains("截至") && html.contains("反馈的"), "{html}");
    assert_eq!(html.matches("<figure class=\"chart\"").count(), 3);
    assert_eq!(html.matches("<svg xmlns").count(), 3);
    for title in ["各单位整改完成率", "各类问题整改情况", "销号进度"] {
        assert!(html.contains(title), "chart {title}");
    }
    assert!(html.contains(&demo.a.unit_name));
    assert!(html.contains("/stats/download?round=r%2Ddemo%2D3"));

    // The page's downloads hold the same figures as the API.
    let (status, headers, bytes) = office
        .download("/stats/download?round=r-demo-3&format=json")
        .await;
    assert_eq!(status, StatusCode::OK);
    let name = disposition_name(
        headers["content-disposition"]
            .to_str()
            .expect("ascii header"),
    )
    .expect("name");
    assert!(
        name.ends_with(".json") && name.contains("整改统计"),
        "{name}"
    );
    let from_page = json(&bytes);
    let api = office.get("/api/v1/report?round=r-demo-3").await;
    assert_eq!(api.status, StatusCode::OK);
    let from_api: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(from_page, from_api);
    assert_eq!(findings(&from_page), 40);

    let (status, _, text) = office
        .download("/stats/download?round=r-demo-3&format=txt")
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(text).expect("utf-8");
    assert!(text.starts_with("截至"), "{text}");
    assert!(text.contains("反馈的40个问题"), "{text}");

    let (status, headers, svg) = office
        .download("/stats/charts/status-by-category.svg?round=r-demo-3")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .expect("type")
        .starts_with("image/svg+xml"));
    let svg = String::from_utf8(svg).expect("utf-8");
    assert!(svg.starts_with("<svg") && svg.contains("各类问题整改情况"));

    let (status, headers, xlsx) = office.download("/stats/download?round=r-demo-3").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .expect("type")
        .contains("spreadsheetml"));
    assert!(xlsx.starts_with(b"PK"), "a zip");
    if let Some(tools) = office::consumers() {
        let dir = office::output_dir("web-stats");
        let file = dir.join("stats.xlsx");
        std::fs::write(&file, &xlsx).expect("write");
        let sheets = tools.python(
            "import openpyxl, sys\nwb = openpyxl.load_workbook(sys.argv[1])\nprint(','.join(wb.sheetnames))",
            &[file.as_path()],
        );
        assert!(sheets.contains("汇总"), "{sheets}");
        tools.to_pdf(&file, &dir);
    }
}

#[tokio::test]
async fn the_statistics_page_covers_all_rounds_or_one() {
    let (_db, _demo, server) = demo_on_sqlite(Settings::default()).await;
    let office = Browser::sign_in(&server, "office").await;
    let all = office.get("/stats").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("各轮巡察反馈的"), "{}", all.body);
    assert!(all.body.contains("<option value=\"r-demo-3\""));
    let one = office.get("/stats?round=r-demo-3").await;
    assert!(one.body.contains("<option value=\"r-demo-3\" selected>"));
    assert!(!one.body.contains("各轮巡察反馈的"));

    let every = json(&office.download("/stats/download?format=json").await.2);
    let round = json(
        &office
            .download("/stats/download?round=r-demo-3&format=json")
            .await
            .2,
    );
    assert!(findings(&every) >= findings(&round));
    assert!(every["round_id"].is_null());

    assert_eq!(
        office
            .get("/stats/download?round=r-demo-3&format=pdf")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        office.get("/stats/charts/pie.svg").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        office.get("/stats?round=no-such-round").await.status,
        StatusCode::NOT_FOUND
    );
    let api = office.get("/api/v1/report?round=no-such-round").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.body.contains("\"error\":\"not_found\""), "{}", api.body);
}

#[tokio::test]
async fn a_units_people_see_the_figures_of_their_own_unit_only() {
    let (_db, demo, server) = demo_on_sqlite(Settings::default()).await;
    let office = Browser::sign_in(&server, "office").await;
    let editor = Browser::sign_in(&server, "cgj-editor").await;
    let whole = json(
        &office
            .download("/stats/download?round=r-demo-3&format=json")
            .await
            .2,
    );
    let own = json(
        &editor
            .download("/stats/download?round=r-demo-3&format=json")
            .await
            .2,
    );
    let units: Vec<&str> = own["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["unit_id"].as_str().expect("id"))
        .collect();
    assert_eq!(units, [demo.a.unit.as_str()]);
    let theirs = whole["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["unit_id"] == demo.a.unit.as_str())
        .expect("the unit in the whole");
    assert_eq!(findings(&own), theirs["findings"].as_i64().expect("n"));
    assert!(findings(&own) < findings(&whole));

    let page = editor.get("/stats").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&demo.a.unit_name));
    assert!(
        !page.body.contains(&demo.b.unit_name),
        "another unit's name"
    );
    let svg = editor
        .download("/stats/charts/completion-by-unit.svg?round=r-demo-3")
        .await
        .2;
    let svg = String::from_utf8(svg).expect("utf-8");
    assert!(!svg.contains(&demo.b.unit_name));

    let anonymous = Browser::anonymous(&server);
    assert!(anonymous.get("/stats").await.redirects_to_login());
    assert!(anonymous
        .get("/stats/download?format=json")
        .await
        .redirects_to_login());
}
