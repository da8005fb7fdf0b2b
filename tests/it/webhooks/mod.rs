//! WhatsApp webhooks in and the outbox out, through the real HTTP app, on SQLite and
//! PostgreSQL, with wiremock standing in for the providers.

mod at_most_once;
mod ingest;
mod outbox;
mod refusals;
mod slow_clients;

use chrono::{DateTime, Utc};
use sofia::store::{Store, StoredMessage};
use sofia_core::clinic::Clinic;
use sofia_core::domain::{ChannelId, ConversationId, Phone};

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
