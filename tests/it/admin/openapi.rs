//! The OpenAPI document is generated from the handlers: it lists exactly the routes the router
//! serves (read from the router itself), each with its role, and is served as JSON.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Api, access};
use crate::support::{TestDb, conformance};

conformance!(the_served_document_is_openapi_3_1_and_covers_every_tested_route);

/// axum prints a router's paths in its `Debug` (`RouteId(3): "/api/v1/leads"`): the routes
/// registered, whatever registered them.
fn registered_paths(router: &axum::Router<sofia::http::AppState>) -> BTreeSet<String> {
    let debug = format!("{router:?}");
    let path = regex::Regex::new(r#""(/api/v1/[^"]*)""#).unwrap();
    path.captures_iter(&debug).map(|c| c[1].to_owned()).collect()
}

#[test]
fn every_registered_route_is_in_the_document_and_nothing_else() {
    let (router, document) = sofia::admin::api().split_for_parts();
    let document = serde_json::to_value(&document).unwrap();
    let documented: BTreeSet<String> = document["paths"].as_object().unwrap().keys().cloned().collect();
    let registered = registered_paths(&router);
    assert!(registered.len() >= 10, "the router's paths were read: {registered:?}");
    assert_eq!(registered, documented);
}

#[test]
fn a_route_added_beside_the_document_would_be_caught() {
    let (router, _) = sofia::admin::api().split_for_parts();
    let router = router.route("/api/v1/undocumented", axum::routing::get(|| async {}));
    assert!(registered_paths(&router).contains("/api/v1/undocumented"));
}

#[test]
fn every_operation_names_its_role_and_its_key() {
    let document = serde_json::to_value(sofia::admin::api().into_openapi()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if path == "/api/v1/openapi.json" {
                continue;
            }
            let text = format!("{} {}", operation["summary"], operation["description"]);
            assert!(text.contains("Role: "), "{method} {path} documents its role: {text}");
            assert_eq!(operation["security"][0]["api_key"], serde_json::json!([]), "{method} {path}");
        }
    }
}

async fn the_served_document_is_openapi_3_1_and_covers_every_tested_route(db: TestDb) {
    let api = Api::start(db).await;
    let response = api.app.client.get(api.app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "no key needed");
    let document: Value = response.json().await.unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if path != "/api/v1/openapi.json" {
                operations.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let demo = &api.demo;
    let ids = [
        (demo.patient.0.to_string(), "{id}"),
        (demo.appointment.0.to_string(), "{id}"),
        (demo.conversation.0.to_string(), "{id}"),
        (demo.handoff.0.to_string(), "{id}"),
        (access::UNKNOWN_DELIVERY.to_owned(), "{id}"),
    ];
    let tested: BTreeSet<String> = access::routes(demo)
        .into_iter()
        .map(|(method, path, _, _)| {
            let path =
                path.split('?').next().unwrap_or_default().replace("/clinics/demo", "/clinics/{tenant}");
            let path = ids.iter().fold(path, |p, (id, param)| p.replace(id, param));
            format!("{method} {path}")
        })
        .collect();
    assert_eq!(tested, operations, "the access tests cover every documented operation");
}
