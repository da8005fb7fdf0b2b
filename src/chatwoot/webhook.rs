//! What Chatwoot's webhooks say, read without trusting them: the signature, the key that makes
//! two deliveries one event, and the typed [`DeskEvent`] the relay acts on.
//!
//! Both of Chatwoot's webhook kinds are understood: account webhooks (`message_created`,
//! `conversation_status_changed`, `conversation_updated`) and agent-bot webhooks
//! (`message_created`, `conversation_opened`, `conversation_resolved`), which never carry
//! `conversation_status_changed`. Payloads follow `reference/whatsapp-providers.md` §4.2.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sofia_core::domain::{ChatwootConversationId, ChatwootMessageId};

use super::client::ConversationStatus;
use crate::secret::Secret;

/// How far a signed delivery's timestamp may be from our clock: a captured delivery replayed
/// later is refused, and clocks a little apart still agree.
pub const SIGNATURE_TOLERANCE: chrono::Duration = chrono::Duration::minutes(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the X-Chatwoot-Signature header is missing")]
    Missing,
    #[error("the X-Chatwoot-Timestamp header is missing or not a number of seconds")]
    NoTimestamp,
    #[error("the X-Chatwoot-Signature header is not `sha256=` followed by 64 hex digits")]
    Malformed,
    #[error("the X-Chatwoot-Signature signature does not match the body")]
    Mismatch,
    #[error("the X-Chatwoot-Timestamp is more than 5 minutes away from now")]
    Stale,
}

/// Checks `X-Chatwoot-Signature: sha256=<hex>`, the HMAC-SHA256 under the webhook's secret of
/// `{X-Chatwoot-Timestamp}.{raw body}`, in constant time, and that the timestamp is recent.
pub fn verify_signature(
    secret: &Secret,
    timestamp: Option<&str>,
    raw_body: &[u8],
    signature: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    let signature = signature.map(str::trim).filter(|s| !s.is_empty()).ok_or(SignatureError::Missing)?;
    let timestamp = timestamp.map(str::trim).ok_or(SignatureError::NoTimestamp)?;
    let seconds: i64 = timestamp.parse().map_err(|_| SignatureError::NoTimestamp)?;
    let hex_digest = signature.strip_prefix("sha256=").unwrap_or(signature);
    let expected = hex::decode(hex_digest).map_err(|_| SignatureError::Malformed)?;
    if expected.len() != 32 {
        return Err(SignatureError::Malformed);
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).map_err(|_| SignatureError::Mismatch)?;
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(raw_body);
    mac.verify_slice(&expected).map_err(|_| SignatureError::Mismatch)?;
    // Checked after the signature, so an unsigned guess learns nothing about our clock.
    let sent = DateTime::<Utc>::from_timestamp(seconds, 0).ok_or(SignatureError::NoTimestamp)?;
    if (now - sent).abs() > SIGNATURE_TOLERANCE {
        return Err(SignatureError::Stale);
    }
    Ok(())
}

/// The signature Chatwoot sends for `body` at `timestamp` (tests and the docs' examples).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        unreachable!("HMAC takes keys of any length")
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// What makes two deliveries the same event. A message reaches an account webhook and the
/// inbox's callback (or an agent bot) with different delivery ids: its id is the key. Other
/// events are keyed by Chatwoot's delivery id, or by the body's digest when there is none
/// (older versions send no `X-Chatwoot-Delivery`).
pub fn dedup_key(event: &str, payload: &Value, delivery: Option<&str>, raw_body: &[u8]) -> String {
    if event == "message_created"
        && let Some(id) = payload.get("id").and_then(Value::as_u64)
    {
        return format!("message:{id}");
    }
    match delivery.map(str::trim).filter(|d| !d.is_empty()) {
        Some(delivery) => format!("delivery:{}", delivery.chars().take(200).collect::<String>()),
        None => format!("body:{}", hex::encode(Sha256::digest(raw_body))),
    }
}

/// The events the relay acts on; anything else is acknowledged and not stored.
pub fn is_relevant(event: &str) -> bool {
    matches!(
        event,
        "message_created"
            | "conversation_status_changed"
            | "conversation_updated"
            | "conversation_opened"
            | "conversation_resolved"
    )
}

/// What an event means for Sofia.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeskEvent {
    /// A person of the team answered the patient in Chatwoot: it goes to WhatsApp.
    AgentReply {
        conversation: ChatwootConversationId,
        message: ChatwootMessageId,
        text: String,
        agent: Option<String>,
    },
    /// The conversation's status is now `status` (an agent opened it, resolved it, or gave it
    /// back to the bot as pending).
    Status { conversation: ChatwootConversationId, status: ConversationStatus, by: Option<String> },
    /// The conversation was assigned to a person of the team.
    Assigned { conversation: ChatwootConversationId, agent: String },
    /// Nothing for Sofia to do; the reason is recorded.
    Ignored(&'static str),
}

/// Reads an event's payload. Never fails: what cannot be read is [`DeskEvent::Ignored`] with
/// the reason.
pub fn read(event: &str, payload: &Value) -> DeskEvent {
    match event {
        "message_created" => message(payload),
        "conversation_opened" => status_is(payload, ConversationStatus::Open),
        "conversation_resolved" => status_is(payload, ConversationStatus::Resolved),
        "conversation_status_changed" => match status_of(payload) {
            Some(status) => status_is(payload, status),
            None => DeskEvent::Ignored("no readable status"),
        },
        "conversation_updated" => updated(payload),
        _ => DeskEvent::Ignored("an event Sofia does not act on"),
    }
}

fn message(payload: &Value) -> DeskEvent {
    let Some(conversation) = conversation_id(payload.get("conversation").unwrap_or(&Value::Null)) else {
        return DeskEvent::Ignored("a message without its conversation");
    };
    // A string in webhooks; an integer (1 = outgoing) in REST answers, accepted too.
    let outgoing = match payload.get("message_type") {
        Some(Value::String(kind)) => kind == "outgoing",
        Some(Value::Number(kind)) => kind.as_u64() == Some(1),
        _ => false,
    };
    if !outgoing {
        return DeskEvent::Ignored("not a message to the patient");
    }
    if payload.get("private").and_then(Value::as_bool).unwrap_or(false) {
        return DeskEvent::Ignored("a private note");
    }
    if is_ours(payload) {
        return DeskEvent::Ignored("posted by Sofia");
    }
    let sender = payload.get("sender").unwrap_or(&Value::Null);
    if sender.get("type").and_then(Value::as_str) != Some("user") {
        return DeskEvent::Ignored("not written by a person of the team");
    }
    let Some(message) = payload.get("id").and_then(Value::as_u64).map(ChatwootMessageId) else {
        return DeskEvent::Ignored("a message without an id");
    };
    let text = payload.get("content").and_then(Value::as_str).unwrap_or_default().trim();
    if text.is_empty() {
        return DeskEvent::Ignored("an agent's message without text (attachments are not sent)");
    }
    DeskEvent::AgentReply { conversation, message, text: text.to_owned(), agent: name_of(sender) }
}

/// What Sofia posted carries `content_attributes.sofia` (see `message::mirrored`).
fn is_ours(payload: &Value) -> bool {
    payload.get("content_attributes").and_then(|attributes| attributes.get("sofia")).is_some()
}

fn status_is(payload: &Value, status: ConversationStatus) -> DeskEvent {
    match conversation_id(payload) {
        Some(conversation) => DeskEvent::Status { conversation, status, by: assignee(payload) },
        None => DeskEvent::Ignored("a conversation event without the conversation's id"),
    }
}

/// `conversation_updated` fires for every attribute (labels, custom attributes… our own
/// calls too): only a change of status or of assignee means something here.
fn updated(payload: &Value) -> DeskEvent {
    let changed: Vec<&str> = payload
        .get("changed_attributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|change| change.keys().map(String::as_str))
        .collect();
    if changed.contains(&"status") {
        return match status_of(payload) {
            Some(status) => status_is(payload, status),
            None => DeskEvent::Ignored("no readable status"),
        };
    }
    if changed.contains(&"assignee_id") {
        return match (conversation_id(payload), assignee(payload)) {
            (Some(conversation), Some(agent)) => DeskEvent::Assigned { conversation, agent },
            (Some(_), None) => DeskEvent::Ignored("unassigned"),
            (None, _) => DeskEvent::Ignored("a conversation event without the conversation's id"),
        };
    }
    DeskEvent::Ignored("no change of status or assignee")
}

fn conversation_id(conversation: &Value) -> Option<ChatwootConversationId> {
    conversation.get("id").and_then(Value::as_u64).map(ChatwootConversationId)
}

fn status_of(conversation: &Value) -> Option<ConversationStatus> {
    serde_json::from_value(conversation.get("status")?.clone()).ok()
}

/// The person the conversation is assigned to, when it is a person (not a bot or a team).
fn assignee(conversation: &Value) -> Option<String> {
    let assignee = conversation.get("meta")?.get("assignee")?;
    match assignee.get("type").and_then(Value::as_str) {
        Some("user") | None => name_of(assignee),
        Some(_) => None,
    }
}

fn name_of(person: &Value) -> Option<String> {
    person
        .get("available_name")
        .or_else(|| person.get("name"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests;
