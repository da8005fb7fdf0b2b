//! The Chatwoot bridge's first half against a wiremock Chatwoot whose answers are the fixtures
//! under `tests/fixtures/chatwoot/` (shapes of Chatwoot's Application API: `message_type` is an
//! integer in REST answers).

mod client;
mod mirror;

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::repo_path;

pub const ACCOUNT: &str = "/api/v1/accounts/1";
/// The fixtures' contact, conversation and session ids.
pub const CONTACT_ID: u64 = 42;
pub const CONVERSATION_ID: u64 = 123;
pub const SOURCE_ID: &str = "b7e3c0de-2f7a-4e0a-9a55-6c1f3b9e2d11";

/// `tests/fixtures/chatwoot/{name}` as JSON.
pub fn fixture(name: &str) -> Value {
    let path = repo_path("tests/fixtures/chatwoot").join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap()
}

/// Answers each message create with a new id and the REST shape (`message_type` 0 or 1).
struct NumberedMessages(AtomicU64);

impl wiremock::Respond for NumberedMessages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let sent: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let mut answer = fixture("message_created.json");
        answer["id"] = (1000 + self.0.fetch_add(1, Ordering::SeqCst)).into();
        answer["content"] = sent["content"].clone();
        answer["private"] = sent["private"].clone();
        answer["content_attributes"] = sent["content_attributes"].clone();
        answer["message_type"] = if sent["message_type"] == "incoming" { 0 } else { 1 }.into();
        ResponseTemplate::new(200).set_body_json(answer)
    }
}

/// A Chatwoot that does not know the patient yet: the search finds nobody, the contact and
/// the conversation are created, and every message is taken.
pub async fn mount_fresh_chatwoot(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(format!("{ACCOUNT}/contacts/search")))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("contact_search_none.json")))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{ACCOUNT}/contacts")))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("contact_created.json")))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ACCOUNT}/contacts/{CONTACT_ID}/conversations")))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("contact_conversations_none.json")))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{ACCOUNT}/conversations")))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("conversation_created.json")))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(format!(r"^{ACCOUNT}/conversations/\d+/messages$")))
        .respond_with(NumberedMessages(AtomicU64::new(1)))
        .mount(server)
        .await;
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
