//! The one shape every provider's webhook is parsed into.
//!
//! Meta, Evolution and Z-API each describe the same few things (a patient wrote, a message we
//! sent changed status, something we do not act on happened) in their own words. The parsers in
//! [`super::meta`], [`super::evolution`] and [`super::zapi`] translate; everything after them
//! reads only these types.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sofia_core::domain::{DeliveryStatus, MessageKind, Phone};

/// The id a provider gave a message (`wamid.…` on Meta, `3EB0…` on Evolution and Z-API).
///
/// It is the deduplication key of the inbox and the key that delivery statuses refer to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProviderMessageId(String);

/// Longer than any id the providers hand out; bounds what we store per row.
const MAX_MESSAGE_ID_LEN: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageIdError {
    #[error("a message id cannot be empty")]
    Empty,
    #[error("a message id is at most {MAX_MESSAGE_ID_LEN} bytes")]
    TooLong,
}

impl ProviderMessageId {
    pub fn parse(raw: &str) -> Result<Self, MessageIdError> {
        let id = raw.trim();
        if id.is_empty() {
            Err(MessageIdError::Empty)
        } else if id.len() > MAX_MESSAGE_ID_LEN {
            Err(MessageIdError::TooLong)
        } else {
            Ok(ProviderMessageId(id.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A fresh id for a message no provider numbered: a line typed at the console.
    pub(super) fn console() -> Self {
        ProviderMessageId(format!("console-{}", sofia_core::domain::MessageId::new_random()))
    }
}

impl fmt::Display for ProviderMessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ProviderMessageId {
    type Error = MessageIdError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        ProviderMessageId::parse(&raw)
    }
}

impl From<ProviderMessageId> for String {
    fn from(id: ProviderMessageId) -> String {
        id.0
    }
}

/// Everything a provider webhook can tell us, in one shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InboundEvent {
    /// A message in a 1:1 chat, written by the patient or by the clinic's side.
    Message(InboundMessage),
    /// A message we sent moved on (delivered, read, failed…).
    Status(StatusUpdate),
    /// Recognised, deliberately not acted on; the reason is for logs and metrics.
    Ignored { reason: IgnoreReason },
}

/// Who wrote a message in the chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The patient.
    Patient,
    /// Clinic staff typing on the business phone or WhatsApp Web: a human has stepped in.
    StaffPhone,
    /// Our own API call echoed back by the provider (already in the outbox).
    OurApi,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundMessage {
    pub id: ProviderMessageId,
    /// The patient's side of the chat: the sender of a patient message, the recipient of one
    /// the clinic sent.
    pub phone: Phone,
    /// The patient's WhatsApp profile name; never set on messages the clinic sent, where the
    /// providers put the business's own name.
    pub push_name: Option<String>,
    pub timestamp: DateTime<Utc>,
    pub origin: Origin,
    /// The message this one quotes or answers (e.g. the button message a reply belongs to).
    pub reply_to: Option<ProviderMessageId>,
    pub content: MessageContent,
}

impl InboundMessage {
    /// Whether the clinic's side wrote it (staff on the phone, or our own API).
    pub fn from_me(&self) -> bool {
        self.origin != Origin::Patient
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MessageContent {
    Text {
        body: String,
    },
    /// A tap on a reply button: `id` is the id we gave the button.
    ButtonReply {
        id: String,
        title: String,
    },
    /// A pick from a list: `id` is the id we gave the row.
    ListReply {
        id: String,
        title: String,
        description: Option<String>,
    },
    Audio {
        /// A push-to-talk voice note rather than an audio file.
        voice: bool,
        media: Media,
        /// What it says, once transcribed (`None` as the providers deliver it): the engine
        /// writes it here and into the message's text, so a later turn reads it, not the audio.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        transcript: Option<String>,
    },
    Image {
        caption: Option<String>,
        media: Media,
    },
    Video {
        caption: Option<String>,
        media: Media,
    },
    Document {
        caption: Option<String>,
        filename: Option<String>,
        media: Media,
    },
    Location {
        latitude: f64,
        longitude: f64,
        name: Option<String>,
        address: Option<String>,
    },
    /// A shared contact card. When several cards arrive in one message, the first is kept.
    Contact {
        name: String,
        /// The card's numbers that are valid phone numbers.
        phones: Vec<Phone>,
    },
    Reaction {
        /// `None` when the patient removed a reaction.
        emoji: Option<String>,
        target: ProviderMessageId,
    },
    /// A sticker: a gesture, answered like a reaction (never downloaded).
    Sticker,
    /// A voice or video call the patient placed to the clinic's WhatsApp number. Nobody picks it
    /// up there, so the patient is told to write instead.
    Call {
        video: bool,
    },
    /// A cart ordered from the clinic's WhatsApp catalogue, as the team should read it
    /// ("2 × botox-50u (R$ 800,00)"; with what the patient wrote along).
    Order {
        summary: String,
    },
    /// A kind we do not read (poll, event…), so the conversation can say so.
    Unsupported {
        kind: String,
    },
}

impl MessageContent {
    /// A reaction or a sticker: a gesture that closes a point rather than asks for an answer.
    pub fn is_gesture(&self) -> bool {
        matches!(self, MessageContent::Reaction { .. } | MessageContent::Sticker)
    }

    /// The kind the inbox stores, the same word as the content's JSON `type` tag.
    pub fn kind(&self) -> MessageKind {
        match self {
            MessageContent::Text { .. } => MessageKind::Text,
            MessageContent::ButtonReply { .. } => MessageKind::ButtonReply,
            MessageContent::ListReply { .. } => MessageKind::ListReply,
            MessageContent::Audio { .. } => MessageKind::Audio,
            MessageContent::Image { .. } => MessageKind::Image,
            MessageContent::Video { .. } => MessageKind::Video,
            MessageContent::Document { .. } => MessageKind::Document,
            MessageContent::Location { .. } => MessageKind::Location,
            MessageContent::Contact { .. } => MessageKind::Contact,
            MessageContent::Reaction { .. } => MessageKind::Reaction,
            MessageContent::Sticker => MessageKind::Sticker,
            MessageContent::Call { .. } => MessageKind::Call,
            MessageContent::Order { .. } => MessageKind::Order,
            MessageContent::Unsupported { .. } => MessageKind::Unsupported,
        }
    }
}

/// Where a media file can be fetched from; downloading is the caller's business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    pub mime_type: Option<String>,
    pub source: MediaSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "via", content = "value", rename_all = "snake_case")]
pub enum MediaSource {
    /// A Meta media id: `GET /{version}/{id}` with the access token answers a short-lived URL.
    MetaId(String),
    /// A plain URL (Z-API storage, Evolution with object storage). Z-API's expire in 30 days.
    Url(String),
    /// Evolution without object storage: `POST /chat/getBase64FromMediaMessage/{instance}` with
    /// this message's id. (Inline base64 in the webhook is not kept: it would bloat the inbox.)
    EvolutionMessage,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusUpdate {
    /// The id of the message we sent.
    pub id: ProviderMessageId,
    pub status: DeliveryStatus,
    /// When it happened, if the provider says (Evolution's status events carry no time).
    pub timestamp: Option<DateTime<Utc>>,
    /// Who the message was sent to, when the provider names a phone number.
    pub recipient: Option<Phone>,
    /// Why it failed (Meta only: 131047 means the 24-hour window closed).
    pub error: Option<DeliveryError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryError {
    pub code: i64,
    pub title: String,
}

/// Why an event was recognised but not acted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum IgnoreReason {
    /// Group chats are out of scope: Sofia talks to one patient at a time.
    Group,
    /// WhatsApp status stories, broadcast lists and channel (newsletter) posts.
    Broadcast,
    /// The sender is known only by a WhatsApp LID or another id that is not a phone number.
    NoPhone,
    /// A system notice rather than something a person wrote (deletions, edits, number changes…).
    System { kind: String },
    /// The provider's own connection to WhatsApp changed (`open`, `close`, …).
    Connection { state: String },
    /// A receipt for a message the patient sent (e.g. staff read it on the phone).
    ReceiptOfInbound,
    /// A delivery status this code does not know.
    UnknownStatus { status: String },
    /// An event kind we do not act on (presence, unknown callbacks, other Meta fields…).
    Unhandled { event: String },
}

impl fmt::Display for IgnoreReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IgnoreReason::Group => f.write_str("group chat"),
            IgnoreReason::Broadcast => f.write_str("status, broadcast or channel post"),
            IgnoreReason::NoPhone => f.write_str("sender has no phone number (LID only)"),
            IgnoreReason::System { kind } => write!(f, "system notice '{kind}'"),
            IgnoreReason::Connection { state } => write!(f, "connection is '{state}'"),
            IgnoreReason::ReceiptOfInbound => f.write_str("receipt for a message the patient sent"),
            IgnoreReason::UnknownStatus { status } => write!(f, "unknown delivery status '{status}'"),
            IgnoreReason::Unhandled { event } => write!(f, "unhandled event '{event}'"),
        }
    }
}

impl From<IgnoreReason> for InboundEvent {
    fn from(reason: IgnoreReason) -> Self {
        InboundEvent::Ignored { reason }
    }
}

/// Why a webhook body could not be read. Messages name the JSON path and never echo values,
/// which may be phone numbers.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("the body is not JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    #[error("`{path}` is missing")]
    Missing { path: String },
    #[error("`{path}` is invalid: {reason}")]
    Invalid { path: String, reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_trimmed_and_bounded() {
        assert_eq!(ProviderMessageId::parse(" wamid.X ").unwrap().as_str(), "wamid.X");
        assert_eq!(ProviderMessageId::parse("  "), Err(MessageIdError::Empty));
        assert_eq!(ProviderMessageId::parse(&"a".repeat(513)), Err(MessageIdError::TooLong));
    }

    #[test]
    fn events_round_trip_through_json_for_the_inbox() {
        let event = InboundEvent::Message(InboundMessage {
            id: ProviderMessageId::parse("3EB0C431D5A2B7F8E9A1").unwrap(),
            phone: Phone::parse("5511987654321").unwrap(),
            push_name: Some("Maria Silva".into()),
            timestamp: DateTime::from_timestamp(1_760_968_800, 0).unwrap(),
            origin: Origin::Patient,
            reply_to: None,
            content: MessageContent::Audio {
                voice: true,
                media: Media { mime_type: None, source: MediaSource::EvolutionMessage },
                transcript: None,
            },
        });
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(serde_json::from_str::<InboundEvent>(&json).unwrap(), event);
        let ignored: InboundEvent = IgnoreReason::Connection { state: "close".into() }.into();
        let json = serde_json::to_string(&ignored).unwrap();
        assert_eq!(serde_json::from_str::<InboundEvent>(&json).unwrap(), ignored);
    }
}
