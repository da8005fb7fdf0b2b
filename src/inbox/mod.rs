//! Ingest: what a parsed webhook (or a line typed at the [`Console`]) changes in the store, and
//! who is told about it.
//!
//! Patient messages go to the inbox (once per channel and provider id) and wake the engine;
//! messages staff typed on the clinic's phone are recorded and pause the bot; delivery
//! statuses update the outbound message they name; our own API's echoes are already in the
//! outbox and are skipped. Nothing is acknowledged before it is committed.

mod console;
mod payload;
mod writer;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sofia_core::clock::Clock;
use sofia_core::domain::{ConversationId, InteractionKind, ProviderKind};

use self::payload::to_write;
use crate::channels::{ChannelRoute, InboundEvent, Origin, StatusUpdate};
use crate::config::EngineConfig;
use crate::metrics::Metrics;
use crate::store::{Author, DeadLetter, InboundReceipt, Owner, Store, StoreError};

pub use console::{Console, ConsoleError};
pub use payload::InboxPayload;
pub use writer::{InboxWriter, WriteError, WriterLoop};

/// Told when a conversation has a new patient message to answer. The conversation engine
/// implements it; it must return quickly (hand the work to a task), since the webhook that
/// stored the message waits for it.
pub trait InboxListener: Send + Sync {
    fn inbound_stored(&self, conversation: ConversationId);
}

/// The listener of an inbox nobody works from: `serve` before its engine is wired in, and
/// `sofia chat` and `sofia eval`, which run each turn themselves. It only logs.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogListener;

impl InboxListener for LogListener {
    fn inbound_stored(&self, conversation: ConversationId) {
        tracing::debug!(%conversation, "new patient message stored; no conversation engine is wired");
    }
}

/// What one webhook changed.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct IngestSummary {
    /// New messages stored.
    pub stored: usize,
    /// Messages delivered before: acknowledged, stored once.
    pub duplicates: usize,
    /// Delivery statuses received.
    pub statuses: usize,
    /// Events recognised and not acted on (groups, receipts, our own echoes…).
    pub ignored: usize,
    /// The conversations with a new patient message, as told to the listener, in id order.
    #[serde(skip)]
    pub to_answer: Vec<ConversationId>,
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

    /// An inbox whose group-commit writer runs on a task of its own, ending when the inbox is
    /// dropped: for `sofia chat`, `sofia eval` and tests, which run each turn themselves and
    /// have no supervisor (`serve` supervises its writer and uses [`Inbox::new`]).
    pub fn standalone(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        listener: Arc<dyn InboxListener>,
        metrics: Arc<Metrics>,
        settings: &EngineConfig,
    ) -> Self {
        let (writer, commits) = InboxWriter::new(Arc::clone(&store));
        tokio::spawn(async move { commits.run().await });
        Inbox::new(store, clock, listener, metrics, staff_pause(settings), writer)
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
                InboundReceipt::Echo { .. } => {
                    // Never a reason to pause: staff did not type it, Sofia (or an agent
                    // through Sofia) sent it.
                    self.ignored(provider, "our_reply_echo", &mut summary);
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
        for conversation in &woken {
            self.listener.inbound_stored(*conversation);
        }
        summary.to_answer = woken.into_iter().collect();
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
    /// is already past, as for a message redelivered long after. In a conversation a human
    /// owns, records instead that a person wrote (see `crate::handoff`).
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
        let before = self.store.conversation(conversation).await?;
        let owner = self.store.pause_for_staff(conversation, until, now).await?;
        match owner {
            Owner::Human => {
                // A person answering from the phone keeps the handoff alive as much as one
                // answering through Sofia: the idle return counts from here.
                self.store.human_wrote(conversation, written_at).await?;
                tracing::debug!(%conversation, "staff wrote in a conversation a human already owns")
            }
            _ => {
                // On the timeline once, when the bot had the conversation; a longer pause is
                // not a change of owner.
                if let Some(before) = before.filter(|before| before.owner.bot_may_reply(now)) {
                    let minutes = self.staff_pause.num_minutes();
                    let summary = format!(
                        "A equipe escreveu pelo telefone da clínica; a Sofia pausa por {minutes} min."
                    );
                    let data = serde_json::json!({ "until": until, "conversation_id": conversation });
                    crate::handoff::timeline::record(
                        self.store.as_ref(),
                        &before,
                        InteractionKind::PausedForStaff,
                        summary,
                        data,
                        now,
                    )
                    .await?;
                }
                tracing::info!(%conversation, ?owner, "staff wrote on the phone; the bot pauses")
            }
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

/// How long the bot stays silent after staff wrote on the clinic's phone.
pub fn staff_pause(settings: &EngineConfig) -> Duration {
    Duration::minutes(i64::from(settings.staff_pause_minutes))
}
