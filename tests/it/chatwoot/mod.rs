//! The Chatwoot bridge against a wiremock Chatwoot whose answers are the fixtures
//! under `tests/fixtures/chatwoot/` (shapes of Chatwoot's Application API: `message_type` is an
//! integer in REST answers).

mod client;
mod desk;
mod mirror;

use std::sync::atomic::{AtomicU64, Ordering};

use std::time::Duration as StdDuration;

use serde_json::{Value, json};
use sofia::store::StoredMessage;
use sofia_core::clinic::Clinic;
use sofia_core::domain::{ConversationId, DeliveryStatus};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::app::{ProviderUrls, TestApp, TestKnowledge, fixture as provider_fixture};
use crate::support::{TestDb, at, repo_path};
use crate::webhooks::{MARIA, conversation_of};

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

/// Evolution's send routes (text, buttons, lists).
pub const SEND_PATHS: &str = r"^/message/send\w+/bella-forma$";

/// Evolution's answer to a send, with a new message id each time, as the real one.
pub struct EvolutionSends(AtomicU64);

impl wiremock::Respond for EvolutionSends {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let id = format!("3EB0SOFIA{:04}", self.0.fetch_add(1, Ordering::SeqCst));
        ResponseTemplate::new(201).set_body_json(json!({
            "key": { "remoteJid": "5511987654321@s.whatsapp.net", "fromMe": true, "id": id },
            "status": "PENDING", "messageType": "conversation", "messageTimestamp": 1_772_452_805,
        }))
    }
}

/// The app on the test clinic, its WhatsApp on a fake Evolution API that takes everything,
/// its Chatwoot on `chatwoot`.
pub struct Scene {
    pub db: TestDb,
    pub app: TestApp,
    pub clinic: Clinic,
    pub evolution: MockServer,
    _knowledge: TestKnowledge,
}

pub async fn scene(db: TestDb, chatwoot: &MockServer) -> Scene {
    let evolution = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/chat/(markMessageAsRead|sendPresence)/bella-forma$"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&evolution)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(SEND_PATHS))
        .respond_with(EvolutionSends(AtomicU64::new(1)))
        .mount(&evolution)
        .await;
    let knowledge = TestKnowledge::with_chatwoot(
        &ProviderUrls { evolution: evolution.uri(), ..ProviderUrls::default() },
        &chatwoot.uri(),
    );
    let clinic = knowledge.clinic();
    // A short debounce: the workers answer as soon as the webhook is stored.
    let app =
        TestApp::spawn_configured(&db.url, &knowledge.dir, |config| config.engine.debounce_ms = 20).await;
    Scene { db, app, clinic, evolution, _knowledge: knowledge }
}

impl Scene {
    pub async fn conversation(&self) -> ConversationId {
        conversation_of(self.db.store.as_ref(), &self.clinic, MARIA, at(crate::app::NOW)).await
    }

    /// Maria writes (the Evolution fixture, with `text` and `id` when given) and Sofia's
    /// answer leaves through the fake WhatsApp provider; answers the conversation's transcript.
    pub async fn patient_writes_and_sofia_answers(
        &self,
        id_and_text: Option<(&str, &str)>,
    ) -> Vec<StoredMessage> {
        let mut body = String::from_utf8(provider_fixture("evolution", "text.json")).unwrap();
        if let Some((id, text)) = id_and_text {
            body = body.replace("3EB0C431D5A2B7F8E9A1", id).replace("Oi! Vocês atendem no sábado?", text);
        }
        let before = self.replies_sent().await;
        assert_eq!(self.app.post_evolution(body.into_bytes()).await.0, 200);
        let answered = |transcript: &[StoredMessage]| {
            let sent = transcript.iter().filter(|m| m.delivery_status == Some(DeliveryStatus::Sent)).count();
            sent > before && transcript.iter().all(|m| m.delivery_status != Some(DeliveryStatus::Pending))
        };
        let mut transcript = self.transcript().await;
        for _ in 0..400 {
            if answered(&transcript) {
                break;
            }
            tokio::time::sleep(StdDuration::from_millis(50)).await;
            transcript = self.transcript().await;
        }
        assert!(answered(&transcript), "Sofia answered through WhatsApp: {transcript:?}");
        transcript
    }

    pub async fn replies_sent(&self) -> usize {
        let transcript = self.transcript().await;
        transcript.iter().filter(|m| m.delivery_status == Some(DeliveryStatus::Sent)).count()
    }

    pub async fn transcript(&self) -> Vec<StoredMessage> {
        self.db.store.transcript(self.conversation().await).await.unwrap()
    }
}
