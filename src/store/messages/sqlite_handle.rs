//! The inbox's group commit on SQLite, run on the writer connection's own handle.
//!
//! Through sqlx, every statement is a hand-off to the connection's worker thread and back: a
//! commit of a few statements was a chain of thread wake-ups, with the machine half idle under
//! `bench/ingest-ratio`. Here the batch takes the connection from sqlx's worker
//! ([`SqliteConnection::lock_handle`]) and runs the whole transaction as plain function calls:
//! one short statement per step, prepared once per batch and run per row. That stored about a
//! fifth more deliveries a second, with a tenth less CPU each (docs/architecture.md).
//!
//! Taking the connection and its handle still cost a batch about a fifth of its time (two
//! round trips to that worker thread), so the inbox's writer loop holds them for consecutive
//! batches ([`hold_handle`]) and pays it once for several.
//!
//! It writes exactly the rows PostgreSQL's one statement (`postgres_statement`) writes, from
//! the inserts in [`super::batch`], with values encoded as sqlx encodes them, so the rest of
//! the store reads them back alike.

use std::collections::HashSet;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sofia_core::domain::{ConversationId, Direction, MessageId, PatientId};
use sqlx::{Pool, Sqlite};
use uuid::Uuid;

use super::batch::{
    self, BatchWritten, Conversations, Earlier, INSERT_CONVERSATIONS, INSERT_MESSAGES, INSERT_PATIENTS,
    KEEP_MESSAGE, NAME_IF_NONE, NewNames, new_push_names, phones_by_clinic, processed_at,
};
use super::{HeldWork, InboundBatches};
use crate::store::{InboundReceipt, InboundWrite, StoreError, StoreResult};

/// Writes the batch (`order`: its global order) in one transaction on the writer connection.
pub(in crate::store) async fn write_on_handle(
    writer: &Pool<Sqlite>,
    order: &[&InboundWrite],
) -> StoreResult<BatchWritten> {
    on_handle(writer, |db| write(db, order)).await
}

/// Runs `work` with the writer connection held: each batch it records is one transaction on
/// the connection's handle.
pub(in crate::store) async fn hold_handle(writer: &Pool<Sqlite>, work: HeldWork<'_>) -> StoreResult<()> {
    on_handle(writer, |db| {
        work(&mut Handle { db });
        Ok(())
    })
    .await
}

/// Takes the writer connection and its handle, and runs `work` on it where blocking is allowed.
async fn on_handle<T>(
    writer: &Pool<Sqlite>,
    work: impl FnOnce(&Connection) -> StoreResult<T> + Send,
) -> StoreResult<T> {
    let mut connection = writer.acquire().await.map_err(StoreError::db("take the writer connection"))?;
    let mut handle =
        connection.lock_handle().await.map_err(StoreError::db("take the writer connection's handle"))?;
    let raw = handle.as_raw_handle();
    blocking(|| {
        // SAFETY: `handle` keeps sqlx's worker thread off this connection until it is dropped,
        // after `db`; `from_handle` borrows the connection and never closes it. Nothing else
        // holds the handle meanwhile, and `db` does not leave this closure.
        #[allow(unsafe_code)]
        let db = unsafe { Connection::from_handle(raw.as_ptr()) }
            .map_err(embedded("take the writer connection's handle"))?;
        work(&db)
    })
}

/// The held writer connection, as the inbox's writer loop records through it.
struct Handle<'a> {
    db: &'a Connection,
}

impl InboundBatches for Handle<'_> {
    fn record(&mut self, batch: &[InboundWrite]) -> StoreResult<Vec<InboundReceipt>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let written = write(self.db, &batch::in_order(batch))?;
        batch::receipts(batch, &written)
    }
}

/// Runs `work` where blocking is allowed: on a multi-threaded runtime the worker's other tasks
/// move to another thread while it runs; a single-threaded runtime (tests) just runs it.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|runtime| runtime.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}

fn write(db: &Connection, order: &[&InboundWrite]) -> StoreResult<BatchWritten> {
    // IMMEDIATE: the write lock from the start, so a conversation found missing below is still
    // missing when it is created (another process writing the same file waits for us).
    let tx = rusqlite::Transaction::new_unchecked(db, TransactionBehavior::Immediate)
        .map_err(embedded("begin"))?;
    let conversations = conversations(&tx, order)?;
    let inserted = insert_messages(&tx, order, &conversations)?;
    let earlier = find_earlier(&tx, order, &inserted)?;
    if let Some(names) = new_push_names(order, &conversations, &inserted) {
        fill_push_names(&tx, names)?;
    }
    tx.commit().map_err(embedded("commit inbound messages"))?;
    Ok(BatchWritten { conversations, inserted, earlier })
}

/// Every phone's conversation, created when missing, and whether its patient has a name.
fn conversations(db: &Connection, order: &[&InboundWrite]) -> StoreResult<Conversations> {
    let mut find = db
        .prepare(
            "SELECT c.id, p.name IS NOT NULL FROM conversations c \
             LEFT JOIN patients p ON p.clinic_id = c.clinic_id AND p.phone = c.phone \
             WHERE c.clinic_id = ?1 AND c.phone = ?2",
        )
        .map_err(embedded("find conversations"))?;
    // No conflict clause: under the transaction's write lock a conversation found missing
    // cannot have been created since, and if it were, failing beats a wrong id.
    let mut create = db
        .prepare(&format!("{INSERT_CONVERSATIONS} VALUES (?1, ?2, ?3, 'bot', '{{}}', ?4, ?4)"))
        .map_err(embedded("create conversations"))?;
    let mut conversations = Conversations::default();
    for (clinic, phones) in phones_by_clinic(order) {
        for (phone, at) in phones {
            let found = find
                .query_row(params![clinic.0.as_bytes(), phone.as_str()], |row| {
                    Ok((row.get::<_, [u8; 16]>(0)?, row.get::<_, bool>(1)?))
                })
                .optional()
                .map_err(embedded("find conversations"))?;
            let (conversation, named) = match found {
                Some((id, named)) => (ConversationId(Uuid::from_bytes(id)), named),
                None => {
                    let id = ConversationId::new_random();
                    create
                        .execute(params![id.0.as_bytes(), clinic.0.as_bytes(), phone.as_str(), time(at)])
                        .map_err(embedded("create conversations"))?;
                    (id, false)
                }
            };
            conversations.found(clinic, phone.as_str().to_owned(), conversation, named);
        }
    }
    Ok(conversations)
}

/// Inserts the messages not delivered before; returns the ids of those inserted.
fn insert_messages(
    db: &Connection,
    order: &[&InboundWrite],
    conversations: &Conversations,
) -> StoreResult<HashSet<Uuid>> {
    let mut insert = db
        .prepare(&format!(
            "{INSERT_MESSAGES} VALUES (?1, ?2, ?3, ?4, 'inbound', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11) {KEEP_MESSAGE}"
        ))
        .map_err(embedded("store inbound messages"))?;
    let mut inserted = HashSet::with_capacity(order.len());
    for write in order {
        let message = &write.message;
        let payload = serde_json::to_string(&message.payload)
            .map_err(|e| StoreError::Corrupt { table: "messages", problem: format!("payload: {e}") })?;
        let changed = insert
            .execute(params![
                message.id.0.as_bytes(),
                message.clinic_id.0.as_bytes(),
                conversations.of(message)?.0.as_bytes(),
                message.channel_id.0.as_bytes(),
                message.author.as_str(),
                message.kind.as_str(),
                message.body,
                payload,
                message.provider_message_id,
                processed_at(message).map(time),
                time(message.received_at),
            ])
            .map_err(embedded("store inbound messages"))?;
        if changed == 1 {
            inserted.insert(message.id.0);
        }
    }
    Ok(inserted)
}

/// The stored copies of the messages that were not inserted (delivered before).
fn find_earlier(db: &Connection, order: &[&InboundWrite], inserted: &HashSet<Uuid>) -> StoreResult<Earlier> {
    let mut earlier = Earlier::new();
    let repeated: Vec<_> = order
        .iter()
        .map(|write| &write.message)
        .filter(|message| !inserted.contains(&message.id.0))
        .collect();
    if repeated.is_empty() {
        return Ok(earlier);
    }
    let mut find = db
        .prepare("SELECT id, conversation_id, direction FROM messages WHERE channel_id = ?1 AND provider_message_id = ?2")
        .map_err(embedded("find duplicate messages"))?;
    for message in repeated {
        let found = find
            .query_row(params![message.channel_id.0.as_bytes(), message.provider_message_id], |row| {
                Ok((row.get::<_, [u8; 16]>(0)?, row.get::<_, [u8; 16]>(1)?, row.get::<_, String>(2)?))
            })
            .optional()
            .map_err(embedded("find duplicate messages"))?;
        if let Some((id, conversation, direction)) = found {
            let direction = Direction::parse(&direction).ok_or_else(|| StoreError::Corrupt {
                table: "messages",
                problem: format!("direction '{direction}'"),
            })?;
            earlier.insert(
                (message.channel_id, message.provider_message_id.clone()),
                (MessageId(Uuid::from_bytes(id)), ConversationId(Uuid::from_bytes(conversation)), direction),
            );
        }
    }
    Ok(earlier)
}

/// Writes the names the batch gives new patients.
fn fill_push_names(db: &Connection, new: NewNames<'_>) -> StoreResult<()> {
    let now = time(new.at);
    let mut upsert = db
        .prepare(&format!("{INSERT_PATIENTS} VALUES (?1, ?2, ?3, ?4, ?5, ?5) {NAME_IF_NONE}"))
        .map_err(embedded("save patients' WhatsApp names"))?;
    for ((clinic, phone), name) in new.names {
        upsert
            .execute(params![PatientId::new_random().0.as_bytes(), clinic.0.as_bytes(), phone, name, now])
            .map_err(embedded("save patients' WhatsApp names"))?;
    }
    Ok(())
}

/// A time as sqlx writes `DateTime<Utc>` to SQLite, so that rows from either path sort and
/// compare alike.
fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn embedded(operation: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Embedded { operation, source }
}
