//! Ingest: what a parsed webhook changes in the store, and who is told about it.
//!
//! Patient messages go to the inbox (once per channel and provider id) and wake the engine;
//! messages staff typed on the clinic's phone are recorded and pause the bot; delivery
//! statuses update the outbound message they name; our own API's echoes are already in the
//! outbox and are skipped. Nothing is acknowledged before it is committed.

mod writer;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sofia_core::clock::Clock;
use sofia_core::domain::{ConversationId, MessageId, ProviderKind};

use crate::channels::{ChannelRoute, InboundEvent, InboundMessage, MessageContent, Origin, StatusUpdate};
use crate::metrics::Metrics;
use crate::store::{Author, DeadLetter, InboundReceipt, InboundWrite, NewInbound, Owner, Store, StoreError};

pub use writer::{InboxWriter, WriteError, WriterLoop};

/// Told when a conversation has a new patient message to answer. The conversation engine
/// implements it; it must return quickly (hand the work to a task), since the webhook that
/// stored the message waits for it.
pub trait InboxListener: Send + Sync {
    fn inbound_stored(&self, conversation: ConversationId);
}

/// The listener `serve` uses until an engine is wired in: it only logs.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogListener;

impl InboxListener for LogListener {
    fn inbound_stored(&self, conversation: ConversationId) {
        tracing::debug!(%conversation, "new patient message stored; no conversation engine is wired");
    }
}

/// What one webhook changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IngestSummary {
    /// New messages stored.
    pub stored: usize,
    /// Messages delivered before: acknowledged, stored once.
    pub duplicates: usize,
    /// Delivery statuses received.
    pub statuses: usize,
    /// Events recognised and not acted on (groups, receipts, our own echoes…).
    pub ignored: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("could not store the webhook")]
    Store(#[from] StoreError),
    #[error("the inbox writer has stopped")]
    Stopped,
}

impl From<WriteError> for IngestError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Store(error) => IngestError::Store(error),
            WriteError::Stopped => IngestError::Stopped,
        }
    }
}

pub struct Inbox {
    store: Arc<dyn Store>,
    writer: InboxWriter,
    clock: Arc<dyn Clock>,
    listener: Arc<dyn InboxListener>,
    metrics: Arc<Metrics>,
    staff_pause: Duration,
}

impl Inbox {
    /// `writer` is the group-commit writer's handle; its [`WriterLoop`] must run for
    /// [`Inbox::ingest`] to answer.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        listener: Arc<dyn InboxListener>,
        metrics: Arc<Metrics>,
        staff_pause: Duration,
        writer: InboxWriter,
    ) -> Self {
        Inbox { store, writer, clock, listener, metrics, staff_pause }
    }

    /// Applies a webhook's events, all for one channel, and tells the listener about every
    /// conversation with a new patient message. Returns once everything is committed.
    pub async fn ingest(
        &self,
        channel: &ChannelRoute,
        events: Vec<InboundEvent>,
    ) -> Result<IngestSummary, IngestError> {
        let provider = channel.provider;
        let now = self.clock.now();
        let mut summary = IngestSummary::default();
        let mut writes = Vec::new();
        let mut statuses = Vec::new();
        for event in events {
            match event {
                InboundEvent::Message(message) => match message.origin {
                    Origin::Patient => writes.push(to_write(channel, message, Author::Patient, now)),
                    Origin::StaffPhone => writes.push(to_write(channel, message, Author::StaffPhone, now)),
                    // Already in the outbox; its id arrived with the send's answer.
                    Origin::OurApi => self.ignored(provider, "our_api_echo", &mut summary),
                },
                InboundEvent::Status(status) => statuses.push(status),
                InboundEvent::Ignored { reason } => {
                    let label = serde_json::to_value(&reason)
                        .ok()
                        .and_then(|value| value.get("reason").and_then(|r| r.as_str()).map(str::to_owned))
                        .unwrap_or_else(|| "other".to_owned());
                    tracing::debug!(provider = %provider, %reason, "webhook event ignored");
                    self.ignored(provider, &label, &mut summary);
                }
            }
        }
        let written: Vec<(Author, DateTime<Utc>)> =
            writes.iter().map(|write| (write.message.author, write.message.received_at)).collect();
        let receipts = self.writer.write(writes).await?;
        let mut woken = BTreeSet::new();
        for ((author, written_at), receipt) in written.into_iter().zip(receipts) {
            match receipt {
                InboundReceipt::Stored { conversation_id, .. } => {
                    summary.stored += 1;
                    self.metrics.inbound_messages.inc(&[provider.as_str(), "stored"]);
                    match author {
                        Author::StaffPhone => self.pause_for_staff(conversation_id, written_at, now).await?,
                        _ => {
                            woken.insert(conversation_id);
                        }
                    }
                }
                InboundReceipt::Duplicate { conversation_id, .. } => {
                    summary.duplicates += 1;
                    self.metrics.inbound_messages.inc(&[provider.as_str(), "duplicate"]);
                    // A provider redelivers what was not acknowledged: if the first delivery was
                    // stored but the process died before pausing, the pause happens now.
                    if author == Author::StaffPhone {
                        self.pause_for_staff(conversation_id, written_at, now).await?;
                    }
                }
            }
        }
        for status in statuses {
            self.apply_status(channel, &status, now).await?;
            summary.statuses += 1;
        }
        for conversation in woken {
            self.listener.inbound_stored(conversation);
        }
        Ok(summary)
    }

    /// Keeps a body that an authenticated provider sent but that could not be read.
    pub async fn dead_letter(
        &self,
        provider: ProviderKind,
        channel: Option<&ChannelRoute>,
        reason: &str,
        body: &[u8],
    ) -> Result<(), IngestError> {
        let letter = DeadLetter {
            id: uuid::Uuid::new_v4(),
            provider,
            channel_id: channel.map(|c| c.channel_id),
            reason: reason.to_owned(),
            body: body.to_vec(),
            received_at: self.clock.now(),
        };
        self.store.record_dead_letter(&letter).await?;
        tracing::warn!(provider = %provider, reason, "unreadable webhook kept as a dead letter");
        Ok(())
    }

    fn ignored(&self, provider: ProviderKind, reason: &str, summary: &mut IngestSummary) {
        summary.ignored += 1;
        self.metrics.ignored_events.inc(&[provider.as_str(), reason]);
    }

    /// Silences the bot until `staff_pause` after staff wrote (`written_at`); nothing when that
    /// is already past, as for a message redelivered long after.
    async fn pause_for_staff(
        &self,
        conversation: ConversationId,
        written_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), IngestError> {
        let until = written_at + self.staff_pause;
        if until <= now {
            return Ok(());
        }
        let owner = self.store.pause_for_staff(conversation, until, now).await?;
        match owner {
            Owner::Human => {
                tracing::debug!(%conversation, "staff wrote in a conversation a human already owns")
            }
            _ => tracing::info!(%conversation, ?owner, "staff wrote on the phone; the bot pauses"),
        }
        Ok(())
    }

    async fn apply_status(
        &self,
        channel: &ChannelRoute,
        status: &StatusUpdate,
        now: DateTime<Utc>,
    ) -> Result<(), IngestError> {
        let error = status.error.as_ref().map(|e| format!("{}: {}", e.code, e.title));
        let matched = self
            .store
            .record_delivery_status(
                channel.channel_id,
                status.id.as_str(),
                status.status,
                error.as_deref(),
                now,
            )
            .await?;
        self.metrics.delivery_statuses.inc(&[
            channel.provider.as_str(),
            status.status.as_str(),
            if matched { "true" } else { "false" },
        ]);
        if !matched {
            // Statuses of messages sent outside Sofia (staff on the phone) are normal.
            tracing::debug!(provider = %channel.provider, status = %status.status, "status of a message we did not send");
        }
        Ok(())
    }
}

fn to_write(
    channel: &ChannelRoute,
    message: InboundMessage,
    author: Author,
    now: DateTime<Utc>,
) -> InboundWrite {
    let payload = serde_json::to_value(&message.content).unwrap_or_default();
    InboundWrite {
        message: NewInbound {
            id: MessageId::new_random(),
            clinic_id: channel.clinic_id,
            channel_id: channel.channel_id,
            body: searchable_text(&message.content),
            phone: message.phone,
            provider_message_id: message.id.into(),
            author,
            kind: message.content.kind(),
            payload,
            // When the patient wrote it, so a late retry sorts where it belongs; never in the
            // future, whatever the provider's clock says.
            received_at: message.timestamp.min(now),
        },
        push_name: if author == Author::Patient { message.push_name } else { None },
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
        MessageContent::Audio { .. } | MessageContent::Unsupported { .. } => None,
    };
    text.unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use sofia_core::domain::{ChannelId, ClinicId, Phone, TenantId};

    use super::*;
    use crate::channels::{Media, MediaSource, ProviderMessageId};

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
    }
}
