//! The Chatwoot bridge's first half against a wiremock Chatwoot whose answers are the fixtures
//! under `tests/fixtures/chatwoot/` (shapes of Chatwoot's Application API: `message_type` is an
//! integer in REST answers).

mod client;

use serde_json::Value;
use wiremock::{MockServer, Request};

use crate::support::repo_path;

pub const ACCOUNT: &str = "/api/v1/accounts/1";
pub const CONVERSATION_ID: u64 = 123;

/// `tests/fixtures/chatwoot/{name}` as JSON.
pub fn fixture(name: &str) -> Value {
    let path = repo_path("tests/fixtures/chatwoot").join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap()
}

/// The requests Chatwoot received for `route` (method and path), in order.
pub async fn requests_to(server: &MockServer, verb: &str, route: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == route)
        .collect()
}

/// The bodies of the message creates Chatwoot received, in order (refused ones included).
pub async fn posted_messages(server: &MockServer) -> Vec<Value> {
    requests_to(server, "POST", &format!("{ACCOUNT}/conversations/{CONVERSATION_ID}/messages"))
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}
