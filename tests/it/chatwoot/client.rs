//! The Chatwoot client's calls for the handoff and webhook work (status, team, labels, private
//! notes), and what its errors say.

use std::time::Duration;

use serde_json::{Value, json};
use sofia::chatwoot::{
    Assignee, ChatwootClient, ChatwootError, ConversationStatus, MAX_ANSWER_BYTES, NewMessage,
};
use sofia::secret::Secret;
use sofia_core::clinic::ChatwootSpec;
use sofia_core::domain::{ChatwootAccountId, ChatwootConversationId, ChatwootInboxId, ChatwootTeamId, Phone};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{ACCOUNT, CONVERSATION_ID, fixture, posted_messages};

const TOKEN: &str = "chatwoot-access-token-for-tests";

fn client_at(base_url: &str) -> ChatwootClient {
    let spec = ChatwootSpec {
        base_url: base_url.to_owned(),
        account_id: ChatwootAccountId(1),
        inbox_id: ChatwootInboxId(7),
        api_access_token_env: "TESTE_CHATWOOT_TOKEN".into(),
        webhook_key_env: "TESTE_CHATWOOT_WEBHOOK_KEY".into(),
        hmac_secret_env: None,
        team_id: Some(ChatwootTeamId(3)),
    };
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    ChatwootClient::new(&spec, Secret::new(TOKEN), http).unwrap()
}

const CONVERSATION: ChatwootConversationId = ChatwootConversationId(CONVERSATION_ID);

#[tokio::test]
async fn a_handoff_can_open_assign_label_and_annotate_a_conversation() {
    let chatwoot = MockServer::start().await;
    let route = |tail: &str| format!("{ACCOUNT}/conversations/{CONVERSATION_ID}/{tail}");
    Mock::given(method("POST"))
        .and(path(route("toggle_status")))
        .and(header("api_access_token", TOKEN))
        .and(body_json(json!({ "status": "open" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("toggle_status.json")))
        .expect(1)
        .mount(&chatwoot)
        .await;
    Mock::given(method("POST"))
        .and(path(route("assignments")))
        .and(body_json(json!({ "team_id": 3 })))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("team_assigned.json")))
        .expect(1)
        .mount(&chatwoot)
        .await;
    Mock::given(method("POST"))
        .and(path(route("labels")))
        .and(body_json(json!({ "labels": ["whatsapp", "sofia"] })))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("labels.json")))
        .expect(1)
        .mount(&chatwoot)
        .await;
    let mut created = fixture("message_created.json");
    created["message_type"] = 1.into();
    created["private"] = true.into();
    Mock::given(method("POST"))
        .and(path(route("messages")))
        .respond_with(ResponseTemplate::new(200).set_body_json(created))
        .expect(1)
        .mount(&chatwoot)
        .await;
    let client = client_at(&chatwoot.uri());

    let note = NewMessage::private_note("Paciente pediu para falar com uma pessoa.");
    assert_eq!(client.create_message(CONVERSATION, &note).await.unwrap().0, 98765);
    assert_eq!(
        client.toggle_status(CONVERSATION, ConversationStatus::Open).await.unwrap(),
        ConversationStatus::Open
    );
    client.assign(CONVERSATION, Assignee::Team(ChatwootTeamId(3))).await.unwrap();
    assert_eq!(client.add_labels(CONVERSATION, &["whatsapp", "sofia"]).await.unwrap(), ["whatsapp", "sofia"]);

    let posted: Vec<Value> = posted_messages(&chatwoot).await;
    assert_eq!(
        posted,
        [json!({
            "content": "Paciente pediu para falar com uma pessoa.",
            "message_type": "outgoing",
            "private": true,
            "content_attributes": { "sofia": { "author": "bot" } },
        })]
    );
}

#[tokio::test]
async fn errors_say_whether_to_retry_and_never_show_the_token_or_the_phone() {
    let chatwoot = MockServer::start().await;
    let search = format!("{ACCOUNT}/contacts/search");
    Mock::given(method("GET"))
        .and(path(&search))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "120"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&chatwoot)
        .await;
    Mock::given(method("GET"))
        .and(path(&search))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "Invalid Access Token" })))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&chatwoot)
        .await;
    Mock::given(method("GET"))
        .and(path(&search))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(MAX_ANSWER_BYTES + 1)))
        .with_priority(3)
        .mount(&chatwoot)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{ACCOUNT}/contacts")))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_json(json!({ "message": "Phone number +5511987654321 has already been taken" })),
        )
        .mount(&chatwoot)
        .await;
    let client = client_at(&chatwoot.uri());
    let maria = Phone::parse("+5511987654321").unwrap();

    let unavailable = client.search_contact(&maria).await.unwrap_err();
    assert_eq!(
        unavailable,
        ChatwootError::Unavailable { reason: "HTTP 503".into(), retry_after: Some(Duration::from_secs(120)) }
    );
    let unauthorized = client.search_contact(&maria).await.unwrap_err();
    assert_eq!(unauthorized, ChatwootError::Unauthorized { status: 401 });
    assert!(unauthorized.is_retryable(), "a token an operator fixes lets what waited through");
    let too_long = client.search_contact(&maria).await.unwrap_err();
    assert!(too_long.to_string().contains("longer than"), "{too_long}");
    let refused = client.create_contact(&maria, "Maria Silva").await.unwrap_err();
    assert!(!refused.is_retryable());
    assert_eq!(
        refused.to_string(),
        "Chatwoot refused the request: HTTP 422: Phone number +5511… has already been taken"
    );
    let unreachable = client_at("http://127.0.0.1:9").search_contact(&maria).await.unwrap_err();
    assert!(unreachable.is_retryable());
    for error in [unavailable, unauthorized, too_long, refused, unreachable] {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(TOKEN) && !shown.contains("987654321"), "{shown}");
    }
}
