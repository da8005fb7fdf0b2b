//! How an inbound message's payload is stored, and read back for a turn.

use serde::{Deserialize, Serialize};

use crate::channels::MessageContent;
use crate::store::StoredMessage;

/// The `payload` of an inbound row: the message's content, as the provider parsers give it,
/// plus the sender's WhatsApp profile name (the name a new lead is registered under).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxPayload {
    #[serde(flatten)]
    pub content: MessageContent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_name: Option<String>,
}

impl InboxPayload {
    /// Reads a stored row back. A payload this version cannot read (written by an older one,
    /// or by hand) still gives the patient's words: its text column.
    pub fn of(message: &StoredMessage) -> InboxPayload {
        serde_json::from_value(message.payload.clone()).unwrap_or_else(|_| InboxPayload {
            content: MessageContent::Text { body: message.body.clone() },
            push_name: None,
        })
    }
}
