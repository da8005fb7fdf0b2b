use chrono::TimeZone;
use serde_json::json;

use super::*;

/// The agent's answer of `reference/whatsapp-providers.md` §4.2, as Chatwoot posts it.
fn agent_answer() -> Value {
    json!({
        "event": "message_created",
        "id": 98765,
        "content": "Olá Maria, sou a Joana. Posso te ajudar com o horário?",
        "created_at": "2025-10-20T11:05:00.000Z",
        "message_type": "outgoing",
        "content_type": "text",
        "content_attributes": {},
        "private": false,
        "source_id": null,
        "sender": { "id": 5, "name": "Joana Souza", "email": "joana@clinica.com.br", "type": "user" },
        "inbox": { "id": 7, "name": "WhatsApp Bella Forma" },
        "account": { "id": 1, "name": "Bella Forma" },
        "conversation": {
            "id": 123, "inbox_id": 7, "status": "open", "channel": "Channel::Api",
            "meta": { "assignee": { "id": 5, "name": "Joana Souza", "type": "user" }, "team": null }
        }
    })
}

#[test]
fn an_agents_public_answer_goes_to_the_patient() {
    assert_eq!(
        read("message_created", &agent_answer()),
        DeskEvent::AgentReply {
            conversation: ChatwootConversationId(123),
            message: ChatwootMessageId(98765),
            text: "Olá Maria, sou a Joana. Posso te ajudar com o horário?".into(),
            agent: Some("Joana Souza".into()),
        }
    );
}

#[test]
fn private_notes_sofias_own_posts_bots_and_the_patients_messages_never_go_to_the_patient() {
    let mut note = agent_answer();
    note["private"] = json!(true);
    assert_eq!(read("message_created", &note), DeskEvent::Ignored("a private note"));

    let mut ours = agent_answer();
    ours["content_attributes"] = json!({ "sofia": { "message_id": "x", "author": "bot" } });
    assert_eq!(read("message_created", &ours), DeskEvent::Ignored("posted by Sofia"));

    let mut bot = agent_answer();
    bot["sender"] = json!({ "id": 2, "name": "Sofia", "type": "agent_bot" });
    assert_eq!(read("message_created", &bot), DeskEvent::Ignored("not written by a person of the team"));

    let mut incoming = agent_answer();
    incoming["message_type"] = json!("incoming");
    assert_eq!(read("message_created", &incoming), DeskEvent::Ignored("not a message to the patient"));

    let mut activity = agent_answer();
    activity["message_type"] = json!("activity");
    activity["content"] = json!("Conversation was resolved by Joana Souza");
    assert_eq!(read("message_created", &activity), DeskEvent::Ignored("not a message to the patient"));

    let mut empty = agent_answer();
    empty["content"] = json!("  ");
    assert!(matches!(read("message_created", &empty), DeskEvent::Ignored(_)));
}

/// `conversation_status_changed` of §4.2: the agent resolved the conversation.
fn status_changed(status: &str) -> Value {
    json!({
        "event": "conversation_status_changed",
        "id": 123, "inbox_id": 7, "status": status, "channel": "Channel::Api",
        "meta": { "sender": { "id": 42, "name": "Maria Silva", "type": "contact" },
                  "assignee": { "id": 5, "name": "Joana Souza", "type": "user" }, "team": null },
        "labels": ["whatsapp"], "messages": [], "timestamp": 1760959000,
        "changed_attributes": [ { "status": { "previous_value": "open", "current_value": status } } ]
    })
}

#[test]
fn status_changes_from_account_webhooks_and_agent_bot_events_read_alike() {
    let resolved = DeskEvent::Status {
        conversation: ChatwootConversationId(123),
        status: ConversationStatus::Resolved,
        by: Some("Joana Souza".into()),
    };
    assert_eq!(read("conversation_status_changed", &status_changed("resolved")), resolved);
    assert_eq!(read("conversation_resolved", &status_changed("resolved")), resolved);
    assert_eq!(
        read("conversation_opened", &status_changed("open")),
        DeskEvent::Status {
            conversation: ChatwootConversationId(123),
            status: ConversationStatus::Open,
            by: Some("Joana Souza".into()),
        }
    );
    assert!(matches!(
        read("conversation_status_changed", &status_changed("pending")),
        DeskEvent::Status { status: ConversationStatus::Pending, .. }
    ));
}

#[test]
fn an_update_means_something_only_when_the_status_or_the_assignee_changed() {
    let mut assigned = status_changed("pending");
    assigned["changed_attributes"] =
        json!([{ "assignee_id": { "previous_value": null, "current_value": 5 } }]);
    assert_eq!(
        read("conversation_updated", &assigned),
        DeskEvent::Assigned { conversation: ChatwootConversationId(123), agent: "Joana Souza".into() }
    );
    let mut labelled = status_changed("pending");
    labelled["changed_attributes"] =
        json!([{ "label_list": { "previous_value": [], "current_value": ["sofia"] } }]);
    assert_eq!(
        read("conversation_updated", &labelled),
        DeskEvent::Ignored("no change of status or assignee")
    );
    let mut to_a_bot = assigned.clone();
    to_a_bot["meta"]["assignee"] = json!({ "id": 9, "name": "Bot", "type": "agent_bot" });
    assert_eq!(read("conversation_updated", &to_a_bot), DeskEvent::Ignored("unassigned"));
}

#[test]
fn a_payload_without_what_matters_is_ignored_not_an_error() {
    assert!(matches!(read("message_created", &json!({})), DeskEvent::Ignored(_)));
    assert!(matches!(read("conversation_status_changed", &json!({ "id": 1 })), DeskEvent::Ignored(_)));
    assert!(matches!(read("conversation_opened", &json!([])), DeskEvent::Ignored(_)));
    assert!(matches!(read("contact_created", &json!({ "id": 1 })), DeskEvent::Ignored(_)));
}

#[test]
fn the_same_message_is_one_event_whatever_the_delivery() {
    let answer = agent_answer();
    assert_eq!(dedup_key("message_created", &answer, Some("a"), b"x"), "message:98765");
    assert_eq!(dedup_key("message_created", &answer, Some("b"), b"y"), "message:98765");
    let status = status_changed("resolved");
    assert_eq!(dedup_key("conversation_status_changed", &status, Some("d-1"), b"x"), "delivery:d-1");
    let undelivered = dedup_key("conversation_status_changed", &status, None, b"body");
    assert_eq!(undelivered, dedup_key("conversation_status_changed", &status, Some(" "), b"body"));
    assert_ne!(undelivered, dedup_key("conversation_status_changed", &status, None, b"other"));
}

#[test]
fn a_signature_is_checked_over_the_timestamp_and_the_raw_body() {
    let secret = Secret::new("hmac-secret".to_owned());
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
    let at = now.timestamp();
    let body = br#"{"event":"message_created","id":1}"#;
    let good = sign("hmac-secret", at, body);
    let stamp = at.to_string();
    assert_eq!(verify_signature(&secret, Some(&stamp), body, Some(&good), now), Ok(()));
    // Some verifiers and versions send the bare hex digest.
    let bare = good.trim_start_matches("sha256=").to_owned();
    assert_eq!(verify_signature(&secret, Some(&stamp), body, Some(&bare), now), Ok(()));

    let tampered = br#"{"event":"message_created","id":2}"#;
    assert_eq!(
        verify_signature(&secret, Some(&stamp), tampered, Some(&good), now),
        Err(SignatureError::Mismatch)
    );
    let other_time = (at + 1).to_string();
    assert_eq!(
        verify_signature(&secret, Some(&other_time), body, Some(&good), now),
        Err(SignatureError::Mismatch)
    );
    let forged = sign("guessed", at, body);
    assert_eq!(
        verify_signature(&secret, Some(&stamp), body, Some(&forged), now),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(verify_signature(&secret, Some(&stamp), body, None, now), Err(SignatureError::Missing));
    assert_eq!(verify_signature(&secret, None, body, Some(&good), now), Err(SignatureError::NoTimestamp));
    assert_eq!(
        verify_signature(&secret, Some(&stamp), body, Some("sha256=zz"), now),
        Err(SignatureError::Malformed)
    );

    let old = at - 3600;
    let replayed = sign("hmac-secret", old, body);
    assert_eq!(
        verify_signature(&secret, Some(&old.to_string()), body, Some(&replayed), now),
        Err(SignatureError::Stale)
    );
}
