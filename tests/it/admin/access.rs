//! Who may call what: every route answers 401 without a live key (none, wrong, revoked,
//! expired), 403 to a role too low, and 404 to a key of another clinic, whether it names that
//! clinic or only one of its ids. Failed attempts from one address are cut off with 429.

use reqwest::Method;
use serde_json::{Value, json};
use sofia::store::ApiRole;

use super::{Api, Seeded};
use crate::support::{TestDb, at, conformance};

conformance!(
    every_route_needs_a_live_key,
    every_route_refuses_a_role_too_low,
    another_clinics_key_finds_nothing_of_this_clinic,
    a_revoked_or_expired_key_is_refused_at_once,
    an_address_that_keeps_failing_is_cut_off,
);

/// A delivery id no clinic has: the replay route's path.
pub const UNKNOWN_DELIVERY: &str = "msg_0190aaaaaaaa7aaa8aaaaaaaaaaaaaaa";

/// Every `/api/v1` route but the OpenAPI document: method, path on `demo`, least role, body.
pub fn routes(seeded: &Seeded) -> Vec<(Method, String, ApiRole, Option<Value>)> {
    let clinic = "/api/v1/clinics/demo";
    let (p, a, c, h) = (seeded.patient.0, seeded.appointment.0, seeded.conversation.0, seeded.handoff.0);
    let get = |path: String| (Method::GET, path, ApiRole::Viewer, None);
    vec![
        (Method::GET, "/api/v1/clinics".to_owned(), ApiRole::Viewer, None),
        (Method::POST, format!("{clinic}/reload"), ApiRole::Admin, None),
        get(format!("{clinic}/handoffs")),
        (Method::POST, format!("{clinic}/handoffs/{h}/resolve"), ApiRole::Agent, Some(json!({}))),
        get(format!("{clinic}/leads")),
        get(format!("{clinic}/appointments")),
        (
            Method::POST,
            format!("{clinic}/appointments/{a}/mark"),
            ApiRole::Agent,
            Some(json!({"status": "completed"})),
        ),
        (
            Method::POST,
            format!("{clinic}/appointments/{a}/cancel"),
            ApiRole::Agent,
            Some(json!({"reason": "agenda"})),
        ),
        get(format!("{clinic}/patients")),
        get(format!("{clinic}/patients/{p}")),
        get(format!("{clinic}/patients/{p}/packages")),
        (
            Method::POST,
            format!("{clinic}/patients/{p}/packages"),
            ApiRole::Admin,
            Some(json!({"package": "Limpeza de Pele — 4 sessões"})),
        ),
        get(format!("{clinic}/conversations")),
        get(format!("{clinic}/conversations/{c}/messages")),
        get(format!("{clinic}/conversations/{c}/state")),
        get(format!("{clinic}/metrics?from=2026-03-01&to=2026-03-31")),
        get(format!("{clinic}/crm/deliveries?failed=true")),
        (Method::POST, format!("{clinic}/crm/deliveries/{UNKNOWN_DELIVERY}/replay"), ApiRole::Admin, None),
        (Method::GET, format!("{clinic}/patients/{p}/export"), ApiRole::Admin, None),
        (Method::DELETE, format!("{clinic}/patients/{p}"), ApiRole::Admin, None),
    ]
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

async fn every_route_needs_a_live_key(db: TestDb) {
    let api = Api::start(db).await;
    let wrong = format!("sofia_{}", "A".repeat(43));
    for (method, path, _, body) in routes(&api.demo) {
        for key in [None, Some(wrong.as_str()), Some("not-even-a-sofia-key")] {
            // Past the limit on failed keys from one address otherwise (that is tested below).
            api.app.clock.advance(chrono::Duration::seconds(6));
            let (status, answer) = api.call(method.clone(), &path, key, body.as_ref()).await;
            assert_eq!((status, code(&answer)), (401, "unauthorized"), "{method} {path} with {key:?}");
        }
    }
}

async fn every_route_refuses_a_role_too_low(db: TestDb) {
    let api = Api::start(db).await;
    let viewer = api.key(Some("demo"), ApiRole::Viewer).await;
    let agent = api.key(Some("demo"), ApiRole::Agent).await;
    let mut refused = 0;
    for (method, path, needed, body) in routes(&api.demo) {
        let below = match needed {
            ApiRole::Viewer => continue,
            ApiRole::Agent => &viewer,
            ApiRole::Admin => &agent,
        };
        let (status, answer) = api.call(method.clone(), &path, Some(below), body.as_ref()).await;
        assert_eq!((status, code(&answer)), (403, "forbidden"), "{method} {path}");
        refused += 1;
    }
    assert_eq!(refused, 8, "resolve, mark, cancel (agent); reload, sell, replay, export and erase (admin)");
}

async fn another_clinics_key_finds_nothing_of_this_clinic(db: TestDb) {
    let api = Api::start(db).await;
    let outra = api.key(Some("outra"), ApiRole::Admin).await;
    for (method, path, _, body) in routes(&api.demo) {
        if !path.starts_with("/api/v1/clinics/demo") {
            continue;
        }
        let (status, answer) = api.call(method.clone(), &path, Some(&outra), body.as_ref()).await;
        assert_eq!((status, code(&answer)), (404, "not_found"), "{method} {path}");
        // The same ids under the key's own clinic: not found either.
        let own = path.replace("/clinics/demo", "/clinics/outra");
        let (status, _) = api.call(method.clone(), &own, Some(&outra), body.as_ref()).await;
        let demo = &api.demo;
        let ids = [demo.patient.0, demo.appointment.0, demo.conversation.0, demo.handoff.0];
        if ids.iter().any(|id| own.contains(&id.to_string())) {
            assert_eq!(status, 404, "{method} {own}: demo's id under outra");
        }
    }
    let (status, clinics) = api.get("/api/v1/clinics", &outra).await;
    assert_eq!(status, 200);
    assert_eq!(
        clinics.as_array().unwrap().iter().map(|c| c["tenant"].as_str().unwrap()).collect::<Vec<_>>(),
        ["outra"]
    );
    // A key of every clinic sees both.
    let all = api.key(None, ApiRole::Viewer).await;
    assert_eq!(api.get("/api/v1/clinics", &all).await.1.as_array().unwrap().len(), 2);
    assert_eq!(api.get("/api/v1/clinics/outra/handoffs", &all).await.0, 200);
}

async fn a_revoked_or_expired_key_is_refused_at_once(db: TestDb) {
    let api = Api::start(db).await;
    let viewer = api.key(Some("demo"), ApiRole::Viewer).await;
    assert_eq!(api.get("/api/v1/clinics/demo/leads", &viewer).await.0, 200);

    let prefix = &viewer[..14];
    api.db.store.revoke_api_key(prefix, at(crate::app::NOW)).await.unwrap();
    let (status, answer) = api.get("/api/v1/clinics/demo/leads", &viewer).await;
    assert_eq!((status, code(&answer)), (401, "unauthorized"));
    assert!(!answer.to_string().contains(&viewer), "the key is never echoed");

    let issued = sofia::admin::keys::issue().unwrap();
    api.db
        .store
        .create_api_key(&sofia::store::NewApiKey {
            prefix: issued.prefix,
            key_hash: issued.hash,
            name: "temporária".into(),
            tenant: Some("demo".parse().unwrap()),
            role: ApiRole::Viewer,
            created_at: at(crate::app::NOW),
            expires_at: Some(at(crate::app::NOW) + chrono::Duration::hours(1)),
        })
        .await
        .unwrap();
    let expiring = issued.key.expose();
    assert_eq!(api.get("/api/v1/clinics/demo/leads", expiring).await.0, 200);
    api.app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(api.get("/api/v1/clinics/demo/leads", expiring).await.0, 401);
}

async fn an_address_that_keeps_failing_is_cut_off(db: TestDb) {
    let api = Api::start(db).await;
    let good = api.key(Some("demo"), ApiRole::Viewer).await;
    let wrong = format!("sofia_{}", "B".repeat(43));
    for attempt in 0..10 {
        assert_eq!(api.get("/api/v1/clinics/demo/leads", &wrong).await.0, 401, "attempt {attempt}");
    }
    let (status, answer) = api.get("/api/v1/clinics/demo/leads", &wrong).await;
    assert_eq!((status, code(&answer)), (429, "too_many_requests"));
    assert_eq!(api.get("/api/v1/clinics/demo/leads", &good).await.0, 429, "not even a good key, for now");
    // Six seconds on the app's clock give one more try.
    api.app.clock.advance(chrono::Duration::seconds(6));
    assert_eq!(api.get("/api/v1/clinics/demo/leads", &good).await.0, 200);
}
