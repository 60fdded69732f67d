//! `zhenggai stats` for one round in each format: the sentence an office publishes, JSON
//! that adds up, and a workbook that Excel's consumers open.

use zhenggai_testkit::office;

use crate::{both, ok, zg, Db};

fn stats_of_a_round_in_text_json_and_a_workbook(db: &Db) {
    ok(db, &["demo"]);
    let json = ok(
        db,
        &[
            "stats",
            "--round",
            "r-demo-3",
            "--format",
            "json",
            "--today",
            "2026-01-05",
        ],
    );
    let r: serde_json::Value = serde_json::from_str(&json).expect("json");
    let t = &r["totals"];
    let n = |v: &serde_json::Value| v.as_i64().expect("number");
    assert_eq!(n(&t["findings"]), 40);
    assert_eq!(
        n(&t["done"]) + n(&t["basically_done"]) + n(&t["not_done"]) + n(&t["transferred"]),
        40
    );
    let units = r["units"].as_array().expect("units");
    assert_eq!(units.len(), 4);
    let by_category: i64 = r["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            c["by_status"]
                .as_object()
                .expect("map")
                .values()
                .map(n)
                .sum::<i64>()
        })
        .sum();
    assert_eq!(by_category, 40, "every finding under one category");
    let closed: i64 = r["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| n(&m["closed"]))
        .sum();
    assert_eq!(closed, n(&t["done"]), "each done finding in one month");

    let text = ok(
        db,
        &["stats", "--round", "r-demo-3", "--today", "2026-01-05"],
    );
    assert!(
        text.starts_with(&format!(
            "截至2026年1月5日，示例市委第三轮巡察反馈的40个问题，已完成整改{}个",
            n(&t["done"])
        )),
        "{text}"
    );
    assert!(
        text.contains("按问题类别：") && text.contains("按月完成"),
        "{text}"
    );

    let refused = zg(db, &["stats", "--format", "xlsx"]);
    assert_eq!(refused.status.code(), Some(1));
    let missing = zg(db, &["stats", "--round", "nope"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("找不到巡察轮次“nope”"));

    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("统计.xlsx");
    ok(
        db,
        &[
            "stats",
            "--round",
            "r-demo-3",
            "--format",
            "xlsx",
            "-o",
            file.to_str().expect("path"),
            "--today",
            "2026-01-05",
        ],
    );
    let Some(tools) = office::consumers() else {
        return;
    };
    let read = tools.python(
        "import sys, openpyxl\n\
         wb = openpyxl.load_workbook(sys.argv[1])\n\
         print(','.join(wb.sheetnames))\n\
         ws = wb['汇总']\n\
         print(ws['A1'].value)\n\
         print(ws['A6'].value, ws['B6'].value)\n\
         print(wb['按单位'].max_row - 1, wb['按单位'].page_setup.orientation, wb['按单位'].freeze_panes)\n",
        &[&file],
    );
    let lines: Vec<&str> = read.lines().collect();
    assert_eq!(lines[0], "汇总,按单位,按问题类别,按月销号", "{read}");
    assert_eq!(lines[1], "示例市委第三轮巡察整改情况统计");
    assert_eq!(lines[2], format!("40 {}", n(&t["done"])));
    assert_eq!(lines[3], "4 landscape A2");
    // A folder per backend: both tests may convert at once.
    let out = office::output_dir(&format!(
        "stats-{}",
        db.url.split(':').next().unwrap_or("db")
    ));
    let pdf = tools.to_pdf(&file, &out);
    assert!(tools.pages(&pdf) >= 4, "a page a sheet at least");
    tools.page_png(&pdf, 1, &out.join("stats-summary.png"));
}

both!(stats_of_a_round_in_text_json_and_a_workbook);
