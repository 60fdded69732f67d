//! The OpenAPI document against the route table: every API route of the table is
//! documented with its method and path, the document names no route the router lacks, and
//! the document holds together (every reference resolves, operation ids are unique).

use std::collections::BTreeSet;

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

fn document() -> Value {
    serde_json::to_value(zhenggai_web::openapi()).expect("the document serializes")
}

/// `(METHOD, path)` of every API route of the table.
fn api_routes() -> BTreeSet<(String, String)> {
    zhenggai_web::routes()
        .into_iter()
        .filter(|r| r.api)
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect()
}

/// `(METHOD, path)` of every operation the document describes.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if item.get(method).is_some() {
                ops.insert((method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    ops
}

/// What is in one set and not in the other, in words; empty when they agree.
fn mismatches(
    routes: &BTreeSet<(String, String)>,
    documented: &BTreeSet<(String, String)>,
) -> Vec<String> {
    let undocumented = routes
        .difference(documented)
        .map(|(m, p)| format!("{m} {p} is routed but not in the OpenAPI document"));
    let unrouted = documented
        .difference(routes)
        .map(|(m, p)| format!("{m} {p} is documented but the router has no such API route"));
    undocumented.chain(unrouted).collect()
}

#[test]
fn every_api_route_is_documented_and_every_documented_route_exists() {
    let routes = api_routes();
    assert!(
        routes.len() > 20,
        "the table's API routes: {}",
        routes.len()
    );
    let problems = mismatches(&routes, &documented(&document()));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_comparison_catches_a_route_missing_either_way() {
    let routes = api_routes();
    let mut doc = document();
    let paths = doc["paths"].as_object_mut().expect("paths");
    paths.remove("/api/v1/changes");
    paths.insert(
        "/api/v1/nowhere".into(),
        serde_json::json!({"get": {"responses": {}}}),
    );
    let problems = mismatches(&routes, &documented(&doc));
    assert_eq!(
        problems,
        [
            "POST /api/v1/changes is routed but not in the OpenAPI document",
            "GET /api/v1/nowhere is documented but the router has no such API route",
        ]
    );
}

#[test]
fn only_api_routes_are_documented_and_the_documents_routes_are_open() {
    let routes = zhenggai_web::routes();
    for path in ["/api/openapi.json", "/api/docs", "/api/docs/"] {
        let spec = routes
            .iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("{path} is in the route table"));
        assert_eq!(spec.who, zhenggai_web::Who::Anyone, "{path}");
        assert!(!spec.api, "{path} is not itself part of the API");
    }
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in doc["paths"].as_object().expect("paths").keys() {
        assert!(path.starts_with("/api/v1/"), "{path}");
    }
}

/// Every `$ref` in `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r);
            }
            map.values().for_each(|x| refs(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_and_operation_ids_are_unique() {
    let doc = document();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    for r in found {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{r} is local"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
    let mut ids = BTreeSet::new();
    for (m, p) in documented(&doc) {
        let op = &doc["paths"][&p][m.to_ascii_lowercase()];
        let id = op["operationId"].as_str().expect("an operation id");
        assert!(ids.insert(id.to_string()), "{id} is used twice");
        for status in ["401", "403", "422", "500"] {
            assert!(
                op["responses"].get(status).is_some(),
                "{m} {p} documents {status}"
            );
        }
    }
}

#[test]
fn dates_are_strings_of_format_date_and_tags_match_serde() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Date"]["type"], "string");
    assert_eq!(schemas["Date"]["format"], "date");
    // Changes are tagged by `change`, outcomes by `type`, with serde's snake_case names.
    let variant_tags = |schema: &Value, tag: &str| -> BTreeSet<String> {
        schema["oneOf"]
            .as_array()
            .expect("oneOf")
            .iter()
            .map(|v| {
                v["properties"][tag]["enum"][0]
                    .as_str()
                    .expect("tag")
                    .to_string()
            })
            .collect()
    };
    let changes = variant_tags(&schemas["Change"], "change");
    for name in [
        "create_round",
        "finding",
        "attach_evidence",
        "decide_extension",
    ] {
        assert!(changes.contains(name), "{name} in {changes:?}");
    }
    let outcomes = variant_tags(&schemas["Outcome"], "type");
    assert!(outcomes.contains("money") && outcomes.contains("mentioned"));
    let statuses = schemas["FindingStatus"]["enum"].as_array().expect("enum");
    assert!(statuses.contains(&Value::from("closure_requested")));
    // A ledger line nests its finding line: both carry `measures` (a count and a list).
    let ledger = &schemas["LedgerLine"]["properties"];
    assert!(ledger["finding"].is_object() && ledger["measures"]["type"] == "array");
}
