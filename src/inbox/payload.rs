//! How an inbound message is written to the inbox and read back for a turn: the one codec of
//! an inbound row, whatever the channel (a provider's webhook or the console), and the one
//! place an inbound row ([`NewInbound`]) is built.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sofia_core::domain::MessageId;

use crate::channels::{ChannelRoute, InboundMessage, MessageContent};
use crate::store::{Author, InboundWrite, NewInbound, StoredMessage};

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

/// The row that stores `message`, received on `channel` and written by `author`, at `now`.
pub(super) fn to_write(
    channel: &ChannelRoute,
    message: InboundMessage,
    author: Author,
    now: DateTime<Utc>,
) -> InboundWrite {
    // The providers put the business's own name on what the clinic's side wrote.
    let push_name = if author == Author::Patient { message.push_name } else { None };
    let body = searchable_text(&message.content);
    let kind = message.content.kind();
    let payload = InboxPayload { content: message.content, push_name: push_name.clone() };
    let payload = serde_json::to_value(&payload).unwrap_or_default();
    InboundWrite {
        message: NewInbound {
            id: MessageId::new_random(),
            clinic_id: channel.clinic_id,
            channel_id: channel.channel_id,
            body,
            phone: message.phone,
            provider_message_id: message.id.into(),
            author,
            kind,
            payload,
            // When the patient wrote it, so a late retry sorts where it belongs; never in the
            // future, whatever the provider's clock says.
            received_at: message.timestamp.min(now),
        },
        push_name,
    }
}

/// The human-readable part of a message, for logs, search and the admin API.
fn searchable_text(content: &MessageContent) -> String {
    let text = match content {
        MessageContent::Text { body } => Some(body.as_str()),
        MessageContent::ButtonReply { title, .. } | MessageContent::ListReply { title, .. } => {
            Some(title.as_str())
        }
        MessageContent::Image { caption, .. } | MessageContent::Video { caption, .. } => caption.as_deref(),
        MessageContent::Document { caption, filename, .. } => caption.as_deref().or(filename.as_deref()),
        MessageContent::Location { name, address, .. } => name.as_deref().or(address.as_deref()),
        MessageContent::Contact { name, .. } => Some(name.as_str()),
        MessageContent::Reaction { emoji, .. } => emoji.as_deref(),
        MessageContent::Audio { transcript, .. } => transcript.as_deref(),
        MessageContent::Order { summary } => Some(summary.as_str()),
        MessageContent::Sticker | MessageContent::Call { .. } | MessageContent::Unsupported { .. } => None,
    };
    text.unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use sofia_core::domain::{ChannelId, ClinicId, Phone, ProviderKind, TenantId};

    use super::*;
    use crate::channels::{Media, MediaSource, Origin, ProviderMessageId};

    fn route() -> ChannelRoute {
        let tenant = TenantId::parse("demo").unwrap();
        ChannelRoute {
            clinic_id: ClinicId::for_tenant(&tenant),
            channel_id: ChannelId::derived(&tenant, "evolution/bella-forma"),
            tenant,
            provider: ProviderKind::Evolution,
            index: 0,
        }
    }

    fn message(content: MessageContent, timestamp: DateTime<Utc>) -> InboundMessage {
        InboundMessage {
            id: ProviderMessageId::parse("3EB0C431D5A2B7F8E9A1").unwrap(),
            phone: Phone::parse("+5511987654321").unwrap(),
            push_name: Some("Maria Silva".into()),
            timestamp,
            origin: Origin::Patient,
            reply_to: None,
            content,
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn the_payload_is_the_content_json_and_the_kind_its_type_tag() {
        let content = MessageContent::Image {
            caption: Some("meu rosto hoje".into()),
            media: Media { mime_type: Some("image/jpeg".into()), source: MediaSource::EvolutionMessage },
        };
        let write = to_write(&route(), message(content.clone(), at(1_000)), Author::Patient, at(2_000));
        assert_eq!(write.message.kind, sofia_core::domain::MessageKind::Image);
        assert_eq!(write.message.body, "meu rosto hoje");
        assert_eq!(serde_json::from_value::<MessageContent>(write.message.payload).unwrap(), content);
        assert_eq!(write.message.provider_message_id, "3EB0C431D5A2B7F8E9A1");
        assert_eq!(write.push_name.as_deref(), Some("Maria Silva"));
    }

    #[test]
    fn a_turn_reads_back_the_content_and_the_push_name_written() {
        let content = MessageContent::Text { body: "oi, queria marcar botox".into() };
        let write = to_write(&route(), message(content.clone(), at(1_000)), Author::Patient, at(2_000));
        let read: InboxPayload = serde_json::from_value(write.message.payload).unwrap();
        assert_eq!(read, InboxPayload { content, push_name: Some("Maria Silva".into()) });
    }

    #[test]
    fn a_message_is_dated_when_written_but_never_in_the_future() {
        let text = MessageContent::Text { body: "oi".into() };
        assert_eq!(
            to_write(&route(), message(text.clone(), at(1_000)), Author::Patient, at(2_000))
                .message
                .received_at,
            at(1_000)
        );
        assert_eq!(
            to_write(&route(), message(text, at(9_000)), Author::Patient, at(2_000)).message.received_at,
            at(2_000)
        );
    }

    #[test]
    fn what_staff_write_never_names_the_patient() {
        let text = MessageContent::Text { body: "Oi Maria, aqui é a Juliana".into() };
        let write = to_write(&route(), message(text, at(1_000)), Author::StaffPhone, at(2_000));
        assert_eq!(write.message.author, Author::StaffPhone);
        assert_eq!(write.push_name, None);
        assert_eq!(write.message.payload.get("push_name"), None);
    }
}
