//! The HTTP router under random requests: paths, methods, headers and bodies a scanner, a
//! broken proxy or a misconfigured provider might send. Whatever arrives, the answer is one of
//! the statuses the API promises, with a JSON body (`/metrics` and Meta's handshake echo are
//! plain text by their specifications), and the process keeps serving.

use proptest::prelude::*;
use proptest::test_runner::{Config as Cases, TestRunner};
use serde_json::Value;

use crate::app::{
    CHATWOOT_WEBHOOK_KEY, EVOLUTION_KEY, ProviderUrls, TestApp, TestKnowledge, ZAPI_KEY, fixture,
};
use crate::support::TestDb;

const STATUSES: [u16; 8] = [200, 400, 401, 403, 404, 405, 413, 503];

#[derive(Debug, Clone)]
struct Request {
    method: reqwest::Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn paths() -> impl Strategy<Value = String> {
    let known = prop_oneof![
        Just("/healthz".to_owned()),
        Just("/readyz".to_owned()),
        Just("/metrics".to_owned()),
        Just("/webhooks/meta".to_owned()),
        Just("/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=123".to_owned()),
        Just(format!("/webhooks/evolution/{EVOLUTION_KEY}")),
        Just(format!("/webhooks/zapi/{ZAPI_KEY}")),
        Just(format!("/webhooks/chatwoot/{CHATWOOT_WEBHOOK_KEY}")),
    ];
    let near = ("(evolution|zapi|chatwoot|meta)", "[a-zA-Z0-9._~-]{0,48}")
        .prop_map(|(provider, key)| format!("/webhooks/{provider}/{key}"));
    let anywhere = "/[a-zA-Z0-9/._~?=&-]{0,80}";
    prop_oneof![3 => known, 2 => near, 1 => anywhere]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let content_type = prop_oneof![
        Just("application/json".to_owned()),
        Just("application/json; charset=utf-8".to_owned()),
        Just("text/plain".to_owned()),
        Just("application/x-www-form-urlencoded".to_owned()),
        "[a-z/+.;= -]{0,30}",
    ]
    .prop_map(|value| ("content-type".to_owned(), value));
    let signature = prop_oneof![
        "sha256=[0-9a-f]{0,64}".prop_map(|value| ("x-hub-signature-256".to_owned(), value)),
        "[0-9a-f]{0,64}".prop_map(|value| ("x-chatwoot-signature".to_owned(), value)),
        "[0-9]{0,12}".prop_map(|value| ("x-chatwoot-timestamp".to_owned(), value)),
    ];
    let other = ("x-[a-z-]{1,16}", "[ -~]{0,60}").prop_map(|(name, value)| (name, value.trim().to_owned()));
    prop::collection::vec(prop_oneof![content_type, signature, other], 0..5)
}

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let fixtures: Vec<Vec<u8>> = [("evolution", "text.json"), ("zapi", "text.json"), ("meta", "text.json")]
        .iter()
        .map(|(provider, name)| fixture(provider, name))
        .collect();
    let mutated = (prop::sample::select(fixtures), any::<prop::sample::Index>(), any::<u8>()).prop_map(
        |(mut body, at, byte)| {
            let at = at.index(body.len());
            body[at] = byte;
            body
        },
    );
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        "[{}\\[\\]\":,a-z0-9 ]{0,400}".prop_map(String::into_bytes),
        mutated,
        Just(b"{\"event\":\"messages.upsert\",\"data\":null}".to_vec()),
    ]
}

fn requests() -> impl Strategy<Value = Request> {
    let method = prop::sample::select(vec![
        reqwest::Method::GET,
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
    ]);
    (method, paths(), headers(), bodies()).prop_map(|(method, path, headers, body)| Request {
        method,
        path,
        headers,
        body,
    })
}

async fn send(app: &TestApp, request: &Request) -> (u16, Option<String>, Vec<u8>) {
    let mut builder =
        app.client.request(request.method.clone(), app.url(&request.path)).body(request.body.clone());
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder.send().await.expect("the server answers every request");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, content_type, response.bytes().await.unwrap_or_default().to_vec())
}

#[test]
fn any_request_gets_a_promised_status_and_a_json_body() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let db = runtime.block_on(TestDb::sqlite());
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let app = runtime.block_on(TestApp::spawn_in(&db.url, &knowledge.dir));
    let mut runner = TestRunner::new(Cases { cases: 300, failure_persistence: None, ..Cases::default() });

    let outcome = runner.run(&requests(), |request| {
        let (status, content_type, body) = runtime.block_on(send(&app, &request));
        prop_assert!(
            STATUSES.contains(&status),
            "{status} for {request:?}: {}",
            String::from_utf8_lossy(&body)
        );
        let plain_text_by_spec = status == 200
            && request.method == reqwest::Method::GET
            && (request.path.starts_with("/metrics") || request.path.starts_with("/webhooks/meta"));
        if !plain_text_by_spec {
            prop_assert!(
                serde_json::from_slice::<Value>(&body).is_ok(),
                "{status} ({content_type:?}) is not JSON for {request:?}: {}",
                String::from_utf8_lossy(&body)
            );
        }
        Ok(())
    });

    let still_serving = runtime.block_on(app.get("/healthz"));
    runtime.block_on(app.shutdown());
    outcome.unwrap();
    assert_eq!(still_serving.0, 200);
}
