//! The steps of [`MessageStore::record_inbound_batch`](super::MessageStore::record_inbound_batch),
//! each a few multi-row statements (per clinic or channel, in [`chunks`]) inside the batch's
//! transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::{Value, json};
use sofia_core::domain::{ChannelId, ClinicId, ConversationId, Direction, MessageId, PatientId, Phone};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Transaction, Type};
use uuid::Uuid;

use crate::store::dialect::{Dialect, SqlStore, SqlType, in_order};
use crate::store::{Author, InboundReceipt, InboundWrite, NewInbound, StoreError, StoreResult};

/// `(…), (…)`: `rows` tuples of `columns` parameters each, in order, for a multi-row `VALUES`.
///
/// sqlx's `QueryBuilder` would write these, but over a generic `DB` its `build()` borrows the
/// builder for as long as its arguments live (`DB::Arguments<'args>` cannot be shortened the
/// way a concrete type can), so a builder could never be dropped.
fn tuples<DB: Dialect>(rows: usize, columns: usize) -> String {
    let tuples: Vec<String> =
        (0..rows).map(|row| format!("({})", in_order::<DB>(1 + row * columns, columns))).collect();
    tuples.join(", ")
}

/// The statements of a batch, shared by both ways of running it (one multi-row statement per
/// chunk through sqlx, or one row at a time on SQLite's own handle): each is `… VALUES` + the
/// rows + its conflict clause.
pub(in crate::store) const INSERT_CONVERSATIONS: &str =
    "INSERT INTO conversations (id, clinic_id, phone, owner, state, created_at, updated_at) VALUES";
/// A conversation another batch created first is kept (and read back).
const KEEP_CONVERSATION: &str = "ON CONFLICT (clinic_id, phone) DO NOTHING";
pub(in crate::store) const INSERT_MESSAGES: &str = "INSERT INTO messages (id, clinic_id, conversation_id, channel_id, direction, author, kind, \
     body, payload, provider_message_id, processed_at, created_at, updated_at) VALUES";
/// A message the provider delivered before is stored once.
pub(in crate::store) const KEEP_MESSAGE: &str =
    "ON CONFLICT (channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING";
pub(in crate::store) const INSERT_PATIENTS: &str =
    "INSERT INTO patients (id, clinic_id, phone, name, created_at, updated_at) VALUES";
/// A push name fills a patient's name only where the clinic has none.
pub(in crate::store) const NAME_IF_NONE: &str = "ON CONFLICT (clinic_id, phone) DO UPDATE SET name = excluded.name, \
     updated_at = excluded.updated_at WHERE patients.name IS NULL";

/// Rows per multi-row statement at most: a full group commit (see `inbox::writer`) is one.
const MAX_CHUNK: usize = 64;

/// `items` in consecutive slices of 64, 32, 16, 8, 4, 2 or 1 rows, largest first.
///
/// Each statement is a round trip to the database (on SQLite, a hand-off to its worker thread
/// and back), and under `bench/ingest-ratio` those round trips, not the statements' work, were
/// what a batch waited on: so a statement takes as many rows as it can. Where a statement per
/// batch size would be a new statement to prepare for nearly every batch, these seven sizes
/// stay in sqlx's statement cache on both engines. Slices keep the batch's order, so
/// PostgreSQL still takes row locks in the global order.
fn chunks<T>(items: &[T]) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let size = if rest.len() >= MAX_CHUNK { MAX_CHUNK } else { 1 << rest.len().ilog2() };
        let (chunk, after) = rest.split_at(size);
        rest = after;
        Some(chunk)
    })
}

/// The batch's global order: by conversation (clinic, phone), then by message.
pub(super) fn sort_key(write: &InboundWrite) -> (ClinicId, &str, ChannelId, &str) {
    let message = &write.message;
    (message.clinic_id, message.phone.as_str(), message.channel_id, message.provider_message_id.as_str())
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

    fn contains(&self, clinic: ClinicId, phone: &Phone) -> bool {
        self.0.contains_key(&(clinic, phone.as_str().to_owned()))
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
pub(super) fn receipt(message: &NewInbound, written: &BatchWritten) -> StoreResult<InboundReceipt> {
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

impl<DB> SqlStore<DB>
where
    DB: Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB> + ColumnIndex<DB::Row>,
    for<'q> Option<&'q str>: Encode<'q, DB>,
    for<'q> Json<&'q Value>: Encode<'q, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
    Uuid: SqlType<DB>,
    Option<Uuid>: SqlType<DB>,
    String: SqlType<DB>,
    DateTime<Utc>: SqlType<DB>,
    Option<DateTime<Utc>>: SqlType<DB>,
    NaiveDate: SqlType<DB>,
    NaiveTime: SqlType<DB>,
    i16: SqlType<DB>,
    i32: SqlType<DB>,
    i64: SqlType<DB>,
    Option<i64>: SqlType<DB>,
    bool: SqlType<DB>,
    Vec<u8>: SqlType<DB>,
    Json<Value>: SqlType<DB>,
{
    /// The batch's transaction through sqlx: a few multi-row statements per step, each a round
    /// trip to the server (see [`Dialect::write_inbound_batch`]).
    pub(in crate::store) async fn write_in_steps(
        &self,
        order: &[&InboundWrite],
    ) -> StoreResult<BatchWritten> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        let conversations = Self::create_conversations(&mut tx, order).await?;
        let rows = order
            .iter()
            .map(|write| Ok((&write.message, conversations.of(&write.message)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        let inserted = Self::insert_messages(&mut tx, &rows).await?;
        let earlier = Self::find_earlier(&mut tx, &rows, &inserted).await?;
        if let Some(names) = new_push_names(order, &conversations, &inserted) {
            Self::fill_push_names(&mut tx, names).await?;
        }
        tx.commit().await.map_err(StoreError::db("commit inbound messages"))?;
        Ok(BatchWritten { conversations, inserted, earlier })
    }

    /// The conversation of every (clinic, phone) in the batch: those that exist are read, and
    /// only the missing ones are created and read back. Under load nearly every phone already
    /// has its conversation, so a batch costs one statement per chunk here, not two. The same
    /// read says which patients already have a name (see [`Self::fill_push_names`]).
    async fn create_conversations(
        tx: &mut Transaction<'_, DB>,
        order: &[&InboundWrite],
    ) -> StoreResult<Conversations> {
        let phones = phones_by_clinic(order);
        let mut conversations = Conversations::default();
        let empty_state = json!({});
        for (clinic, phones) in &phones {
            for phones in chunks(phones) {
                Self::find_conversations(tx, *clinic, phones, &mut conversations).await?;
                let missing: Vec<&(&Phone, DateTime<Utc>)> =
                    phones.iter().filter(|(phone, _)| !conversations.contains(*clinic, phone)).collect();
                if missing.is_empty() {
                    continue;
                }
                let sql =
                    format!("{INSERT_CONVERSATIONS} {} {KEEP_CONVERSATION}", tuples::<DB>(missing.len(), 7));
                let mut insert = sqlx::query(&sql);
                for (phone, at) in &missing {
                    insert = insert
                        .bind(ConversationId::new_random().0)
                        .bind(clinic.0)
                        .bind(phone.as_str())
                        .bind("bot")
                        .bind(Json(&empty_state))
                        .bind(*at)
                        .bind(*at);
                }
                insert.execute(&mut **tx).await.map_err(StoreError::db("create conversations"))?;
                // Read back rather than RETURNING: on PostgreSQL a concurrent batch may have
                // created the same conversation, and DO NOTHING returns nothing for it.
                let missing: Vec<(&Phone, DateTime<Utc>)> = missing.into_iter().copied().collect();
                Self::find_conversations(tx, *clinic, &missing, &mut conversations).await?;
            }
        }
        Ok(conversations)
    }

    /// Adds the stored conversations of `phones` at `clinic` to `found`.
    async fn find_conversations(
        tx: &mut Transaction<'_, DB>,
        clinic: ClinicId,
        phones: &[(&Phone, DateTime<Utc>)],
        found: &mut Conversations,
    ) -> StoreResult<()> {
        let sql = format!(
            "SELECT c.id, c.phone, p.name IS NOT NULL FROM conversations c \
             LEFT JOIN patients p ON p.clinic_id = c.clinic_id AND p.phone = c.phone \
             WHERE c.clinic_id = {} AND c.phone IN ({})",
            in_order::<DB>(1, 1),
            in_order::<DB>(2, phones.len())
        );
        let mut select = sqlx::query_as::<_, (Uuid, String, bool)>(&sql).bind(clinic.0);
        for (phone, _) in phones {
            select = select.bind(phone.as_str());
        }
        let rows = select.fetch_all(&mut **tx).await.map_err(StoreError::db("find conversations"))?;
        for (id, phone, named) in rows {
            found.found(clinic, phone, ConversationId(id), named);
        }
        Ok(())
    }

    /// Inserts the messages not delivered before; returns the ids of those inserted.
    async fn insert_messages(
        tx: &mut Transaction<'_, DB>,
        rows: &[(&NewInbound, ConversationId)],
    ) -> StoreResult<HashSet<Uuid>> {
        let mut inserted = HashSet::with_capacity(rows.len());
        for rows in chunks(rows) {
            inserted.extend(Self::insert_message_rows(tx, rows).await?);
        }
        Ok(inserted)
    }

    /// One multi-row insert of [`Self::insert_messages`].
    async fn insert_message_rows(
        tx: &mut Transaction<'_, DB>,
        rows: &[(&NewInbound, ConversationId)],
    ) -> StoreResult<Vec<Uuid>> {
        let sql = format!("{INSERT_MESSAGES} {} {KEEP_MESSAGE} RETURNING id", tuples::<DB>(rows.len(), 13));
        let mut insert = sqlx::query_scalar::<_, Uuid>(&sql);
        for (message, conversation) in rows {
            insert = insert
                .bind(message.id.0)
                .bind(message.clinic_id.0)
                .bind(conversation.0)
                .bind(message.channel_id.0)
                .bind("inbound")
                .bind(message.author.as_str())
                .bind(message.kind.as_str())
                .bind(message.body.as_str())
                .bind(Json(&message.payload))
                .bind(message.provider_message_id.as_str())
                .bind(processed_at(message))
                .bind(message.received_at)
                .bind(message.received_at);
        }
        insert.fetch_all(&mut **tx).await.map_err(StoreError::db("store inbound messages"))
    }

    /// The stored copies of the messages that were not inserted (delivered before).
    async fn find_earlier(
        tx: &mut Transaction<'_, DB>,
        rows: &[(&NewInbound, ConversationId)],
        inserted: &HashSet<Uuid>,
    ) -> StoreResult<Earlier> {
        let mut repeated: BTreeMap<ChannelId, Vec<&str>> = BTreeMap::new();
        for (message, _) in rows {
            if !inserted.contains(&message.id.0) {
                repeated.entry(message.channel_id).or_default().push(message.provider_message_id.as_str());
            }
        }
        let mut earlier = HashMap::new();
        for (channel, ids) in &repeated {
            for ids in chunks(ids) {
                let sql = format!(
                    "SELECT id, conversation_id, provider_message_id, direction FROM messages \
                     WHERE channel_id = {} AND provider_message_id IN ({})",
                    in_order::<DB>(1, 1),
                    in_order::<DB>(2, ids.len())
                );
                let mut select = sqlx::query_as::<_, (Uuid, Uuid, String, String)>(&sql).bind(channel.0);
                for id in ids {
                    select = select.bind(*id);
                }
                let found =
                    select.fetch_all(&mut **tx).await.map_err(StoreError::db("find duplicate messages"))?;
                for (id, conversation, provider_id, direction) in found {
                    let direction = Direction::parse(&direction).ok_or_else(|| StoreError::Corrupt {
                        table: "messages",
                        problem: format!("direction '{direction}'"),
                    })?;
                    earlier.insert(
                        (*channel, provider_id),
                        (MessageId(id), ConversationId(conversation), direction),
                    );
                }
            }
        }
        Ok(earlier)
    }

    /// Writes the names the batch gives new patients ([`new_push_names`]).
    async fn fill_push_names(tx: &mut Transaction<'_, DB>, new: NewNames<'_>) -> StoreResult<()> {
        let NewNames { at: now, names } = new;
        for names in chunks(&names) {
            let sql = format!("{INSERT_PATIENTS} {} {NAME_IF_NONE}", tuples::<DB>(names.len(), 6));
            let mut upsert = sqlx::query(&sql);
            for ((clinic, phone), name) in names {
                upsert = upsert
                    .bind(PatientId::new_random().0)
                    .bind(clinic.0)
                    .bind(*phone)
                    .bind(*name)
                    .bind(now)
                    .bind(now);
            }
            upsert.execute(&mut **tx).await.map_err(StoreError::db("save patients' WhatsApp names"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::chunks;

    fn sizes(n: usize) -> Vec<usize> {
        let items: Vec<usize> = (0..n).collect();
        chunks(&items).map(<[usize]>::len).collect()
    }

    #[test]
    fn a_batch_is_cut_into_a_few_statement_sizes_in_order() {
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(1), [1]);
        assert_eq!(sizes(64), [64]);
        assert_eq!(sizes(100), [64, 32, 4]);
        assert_eq!(sizes(256), [64, 64, 64, 64]);
        let items: Vec<usize> = (0..100).collect();
        let joined: Vec<usize> = chunks(&items).flatten().copied().collect();
        assert_eq!(joined, items, "every row once, in the batch's order");
    }
}
