//! WhatsApp webhooks in and the outbox out, through the real HTTP app, on SQLite and
//! PostgreSQL, with wiremock standing in for the providers.

mod at_most_once;
mod fuzz;
mod ingest;
mod outbox;
mod refusals;
mod slow_clients;

use chrono::{DateTime, Utc};
use sofia::channels::OutboundMessage;
use sofia::store::{Author, NewOutbound, OutboxReceipt, Store, StoredMessage};
use sofia_core::clinic::Clinic;
use sofia_core::domain::{ChannelId, ConversationId, MessageId, MessageKind, Phone};

use crate::support::{TestDb, at};

pub const MARIA: &str = "+5511987654321";

pub fn phone(raw: &str) -> Phone {
    Phone::parse(raw).unwrap()
}

/// The channel at `index` in the clinic's list (0 Evolution, 1 Z-API, 2 Meta).
pub fn channel(clinic: &Clinic, index: usize) -> ChannelId {
    clinic.channels[index].id(&clinic.tenant)
}

pub async fn conversation_of(
    store: &dyn Store,
    clinic: &Clinic,
    raw_phone: &str,
    now: DateTime<Utc>,
) -> ConversationId {
    store.conversation_for(clinic.id, &phone(raw_phone), now).await.unwrap().id
}

pub async fn transcript_of(
    store: &dyn Store,
    clinic: &Clinic,
    raw_phone: &str,
    now: DateTime<Utc>,
) -> Vec<StoredMessage> {
    let conversation = conversation_of(store, clinic, raw_phone, now).await;
    store.transcript(conversation).await.unwrap()
}

/// Queues a bot reply of `text` in the outbox, as a turn would, at the tests' `NOW`.
pub async fn queue(
    db: &TestDb,
    clinic: &Clinic,
    conversation: ConversationId,
    key: &str,
    text: &str,
) -> MessageId {
    let message = OutboundMessage::text(text).unwrap();
    let receipt = db
        .store
        .enqueue_outbound(&NewOutbound {
            id: MessageId::new_random(),
            clinic_id: clinic.id,
            conversation_id: conversation,
            idempotency_key: key.into(),
            author: Author::Bot,
            kind: MessageKind::Text,
            body: text.into(),
            payload: serde_json::to_value(&message).unwrap(),
            created_at: at(crate::app::NOW),
        })
        .await
        .unwrap();
    match receipt {
        OutboxReceipt::Queued(id) => id,
        OutboxReceipt::AlreadyQueued(_) => panic!("{key} queued twice"),
    }
}
