//! What both engines' paths of [`MessageStore::record_inbound_batch`](super::MessageStore::record_inbound_batch)
//! share: the batch's order, its phones, which push names it writes, and the receipts read off
//! what the write did. SQLite writes a batch on its connection's own handle (`sqlite_handle`),
//! PostgreSQL in one statement (`postgres_statement`).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use sofia_core::domain::{ChannelId, ClinicId, ConversationId, Direction, MessageId, Phone};
use uuid::Uuid;

use crate::store::{Author, InboundReceipt, InboundWrite, NewInbound, StoreError, StoreResult};

/// The inserts of a batch, shared by both engines' paths (a row at a time on SQLite's own
/// handle, all rows at once in PostgreSQL's one statement): each is the table and its columns,
/// then the rows (`VALUES` or a `SELECT`), then its conflict clause.
pub(in crate::store) const INSERT_CONVERSATIONS: &str =
    "INSERT INTO conversations (id, clinic_id, phone, owner, state, created_at, updated_at)";
pub(in crate::store) const INSERT_MESSAGES: &str = "INSERT INTO messages (id, clinic_id, conversation_id, channel_id, direction, author, kind, \
     body, payload, provider_message_id, processed_at, created_at, updated_at)";
/// A message the provider delivered before is stored once.
pub(in crate::store) const KEEP_MESSAGE: &str =
    "ON CONFLICT (channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING";
pub(in crate::store) const INSERT_PATIENTS: &str =
    "INSERT INTO patients (id, clinic_id, phone, name, created_at, updated_at)";
/// A push name fills a patient's name only where the clinic has none.
pub(in crate::store) const NAME_IF_NONE: &str = "ON CONFLICT (clinic_id, phone) DO UPDATE SET name = excluded.name, \
     updated_at = excluded.updated_at WHERE patients.name IS NULL";

/// The batch in its global order: by conversation (clinic, phone), then by message, so that
/// concurrent batches on PostgreSQL wait for each other instead of deadlocking.
pub(super) fn in_order(batch: &[InboundWrite]) -> Vec<&InboundWrite> {
    let mut order: Vec<&InboundWrite> = batch.iter().collect();
    order.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    order
}

fn sort_key(write: &InboundWrite) -> (ClinicId, &str, ChannelId, &str) {
    let message = &write.message;
    (message.clinic_id, message.phone.as_str(), message.channel_id, message.provider_message_id.as_str())
}

/// Every message's receipt, in the batch's order, read off what its transaction did.
pub(super) fn receipts(batch: &[InboundWrite], written: &BatchWritten) -> StoreResult<Vec<InboundReceipt>> {
    batch.iter().map(|write| receipt(&write.message, written)).collect()
}

/// The conversation of every (clinic, phone) in the batch, and whether the clinic already
/// knows that phone's patient by name.
#[derive(Default)]
pub struct Conversations(HashMap<(ClinicId, String), Found>);

/// One (clinic, phone)'s conversation, as read in the batch's transaction.
#[derive(Clone, Copy)]
struct Found {
    conversation: ConversationId,
    /// The phone's patient has a name: a WhatsApp push name cannot change it, so the batch
    /// need not write the patient at all (on PostgreSQL an upsert that changes nothing still
    /// locks, and so writes, the row).
    named: bool,
}

impl Conversations {
    pub(in crate::store) fn of(&self, message: &NewInbound) -> StoreResult<ConversationId> {
        self.0
            .get(&(message.clinic_id, message.phone.as_str().to_owned()))
            .map(|found| found.conversation)
            .ok_or(StoreError::NotFound("conversation"))
    }

    fn named(&self, clinic: ClinicId, phone: &str) -> bool {
        self.0.get(&(clinic, phone.to_owned())).is_some_and(|found| found.named)
    }

    /// Records that `phone` at `clinic` has `conversation`, and whether its patient has a name.
    pub(in crate::store) fn found(
        &mut self,
        clinic: ClinicId,
        phone: String,
        conversation: ConversationId,
        named: bool,
    ) {
        self.0.insert((clinic, phone), Found { conversation, named });
    }
}

/// What a batch's transaction did: each phone's conversation, the messages inserted now, and
/// the stored copies of those delivered before. Receipts are read off it after the commit.
pub struct BatchWritten {
    pub conversations: Conversations,
    pub inserted: HashSet<Uuid>,
    pub earlier: Earlier,
}

/// The phones of the batch, each once, by clinic, with when its first message arrived (a new
/// conversation's creation time). `order` is the batch's global order, so a phone's messages
/// are next to each other.
pub(in crate::store) fn phones_by_clinic<'a>(
    order: &[&'a InboundWrite],
) -> BTreeMap<ClinicId, Vec<(&'a Phone, DateTime<Utc>)>> {
    let mut phones: BTreeMap<ClinicId, Vec<(&Phone, DateTime<Utc>)>> = BTreeMap::new();
    for write in order {
        let of_clinic = phones.entry(write.message.clinic_id).or_default();
        if of_clinic.last().is_none_or(|(phone, _)| *phone != &write.message.phone) {
            of_clinic.push((&write.message.phone, write.message.received_at));
        }
    }
    phones
}

/// The names a batch gives new patients, and when (the batch's first arrival).
pub(in crate::store) struct NewNames<'a> {
    pub at: DateTime<Utc>,
    pub names: Vec<((ClinicId, &'a str), &'a str)>,
}

/// The names the batch gives new patients, if any: the first push name of a phone whose
/// patient has none, from a patient's message stored now. A name the clinic already has is kept
/// (and not written again: `conversations` says which).
pub(in crate::store) fn new_push_names<'a>(
    order: &[&'a InboundWrite],
    conversations: &Conversations,
    inserted: &HashSet<Uuid>,
) -> Option<NewNames<'a>> {
    let mut names: BTreeMap<(ClinicId, &str), &str> = BTreeMap::new();
    for write in order {
        let message = &write.message;
        if let Some(name) = write.push_name.as_deref().map(str::trim).filter(|n| !n.is_empty())
            && message.author == Author::Patient
            && inserted.contains(&message.id.0)
            && !conversations.named(message.clinic_id, message.phone.as_str())
        {
            names.entry((message.clinic_id, message.phone.as_str())).or_insert(name);
        }
    }
    let first = order.first().filter(|_| !names.is_empty())?;
    Some(NewNames { at: first.message.received_at, names: names.into_iter().collect() })
}

/// Whether an inbound row waits for a turn: only the patient's messages do; what staff typed
/// is context, stored as processed when it arrived.
pub(in crate::store) fn processed_at(message: &NewInbound) -> Option<DateTime<Utc>> {
    (message.author != Author::Patient).then_some(message.received_at)
}

/// Messages with the provider's id already stored, by channel and provider id, and whether
/// each is one Sofia sent (its id came back with the send's answer).
pub type Earlier = HashMap<(ChannelId, String), (MessageId, ConversationId, Direction)>;

/// What storing `message` did: stored now, or found from an earlier delivery.
fn receipt(message: &NewInbound, written: &BatchWritten) -> StoreResult<InboundReceipt> {
    if written.inserted.contains(&message.id.0) {
        return Ok(InboundReceipt::Stored {
            conversation_id: written.conversations.of(message)?,
            message_id: message.id,
        });
    }
    let (message_id, conversation_id, direction) = written
        .earlier
        .get(&(message.channel_id, message.provider_message_id.clone()))
        .copied()
        .ok_or(StoreError::NotFound("duplicate message"))?;
    Ok(match direction {
        // The provider's echo of a message Sofia sent, reported as written from the phone.
        Direction::Outbound => InboundReceipt::Echo { conversation_id, message_id },
        Direction::Inbound => InboundReceipt::Duplicate { conversation_id, message_id },
    })
}
