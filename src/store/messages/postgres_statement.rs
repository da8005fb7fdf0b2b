//! The inbox's group commit on PostgreSQL, as one statement.
//!
//! A batch written step by step (begin, read the conversations, insert the messages, commit) was
//! a chain of round trips, each with its own statement start-up in the server, and under
//! `bench/ingest-ratio` the server's backends and `serve` spent their time on those, not on the
//! rows. Here the whole batch is one statement: its rows travel as arrays (`unnest`), and
//! data-modifying `WITH` clauses create the missing conversations, insert the messages, and
//! fill new patients' names, all atomically and committed by the statement itself. It writes
//! exactly the rows the SQLite path (`sqlite_handle`) writes.
//!
//! One case needs a second statement: a conversation another batch created while this one ran.
//! Its `ON CONFLICT DO NOTHING` waits for that batch to commit, but the statement's snapshot
//! cannot see the row, so that phone's messages are not inserted and are written again by a
//! new statement, which sees it. The first statement's rows are then committed on their own: if
//! the second failed, the batch's requests get an error, the provider delivers again, and the
//! rows already stored are found as duplicates and processed once.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use sofia_core::domain::{ConversationId, Direction, MessageId, PatientId};
use sqlx::types::Json;
use sqlx::{Pool, Postgres};
use uuid::Uuid;

use super::batch::{
    BatchWritten, Conversations, Earlier, INSERT_CONVERSATIONS, INSERT_MESSAGES, INSERT_PATIENTS,
    KEEP_MESSAGE, NAME_IF_NONE, phones_by_clinic, processed_at,
};
use crate::store::{Author, InboundWrite, StoreError, StoreResult};

/// Statements at most for one batch: the first, and one for phones whose conversation a
/// concurrent batch created meanwhile (a third would mean something else is wrong).
const ATTEMPTS: usize = 3;

/// `$1`–`$4`: the batch's phones, each once in the batch's order (clinic, phone, first arrival,
/// an id for its conversation if it has none). `$5`–`$17`: its messages in the batch's order.
/// `$18`: when the batch began (a new patient's creation time).
///
/// Every clause that writes takes its rows in the batch's order, as the other engine's path
/// does, so that concurrent batches lock rows in one global order.
static WRITE_BATCH: LazyLock<String> = LazyLock::new(|| {
    format!(
        "\
WITH phones AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::uuid[])
        WITH ORDINALITY AS p(clinic_id, phone, first_at, new_conversation, ord)
), input AS (
    SELECT * FROM unnest($5::uuid[], $6::uuid[], $7::text[], $8::uuid[], $9::text[], $10::text[],
                         $11::text[], $12::jsonb[], $13::text[], $14::timestamptz[], $15::timestamptz[],
                         $16::text[], $17::uuid[])
        WITH ORDINALITY AS i(id, clinic_id, phone, channel_id, author, kind, body, payload,
                             provider_message_id, processed_at, received_at, push_name, new_patient, ord)
), existing AS (
    -- Each lookup is a `LATERAL` subquery with a `LIMIT` (on a unique key, so it changes no
    -- result) because such a subquery is never flattened into a join: it runs once per phone as
    -- an index lookup. With a plain join, `auto_explain` under `bench/ingest-ratio` showed the
    -- planner hashing the batch and reading every conversation and every patient for it, which
    -- its estimate calls cheap while the tables are small.
    SELECT c.id, ph.clinic_id, ph.phone, c.named
    FROM phones ph
    CROSS JOIN LATERAL (
        SELECT c.id, p.name IS NOT NULL AS named
        FROM conversations c
        LEFT JOIN patients p ON p.clinic_id = c.clinic_id AND p.phone = c.phone
        WHERE c.clinic_id = ph.clinic_id AND c.phone = ph.phone
        LIMIT 1
    ) c
), created AS (
    {INSERT_CONVERSATIONS}
    SELECT ph.new_conversation, ph.clinic_id, ph.phone, 'bot', '{{}}', ph.first_at, ph.first_at
    FROM phones ph
    WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.clinic_id = ph.clinic_id AND e.phone = ph.phone)
    ORDER BY ph.ord
    ON CONFLICT (clinic_id, phone) DO NOTHING
    RETURNING id, clinic_id, phone
), conversation AS (
    SELECT id, clinic_id, phone, named FROM existing
    UNION ALL
    SELECT c.id, c.clinic_id, c.phone, coalesce(p.named, false)
    FROM created c
    LEFT JOIN LATERAL (
        SELECT p.name IS NOT NULL AS named FROM patients p
        WHERE p.clinic_id = c.clinic_id AND p.phone = c.phone
        LIMIT 1
    ) p ON true
), inserted AS (
    {INSERT_MESSAGES}
    SELECT i.id, i.clinic_id, c.id, i.channel_id, 'inbound', i.author, i.kind, i.body, i.payload,
           i.provider_message_id, i.processed_at, i.received_at, i.received_at
    FROM input i JOIN conversation c ON c.clinic_id = i.clinic_id AND c.phone = i.phone
    ORDER BY i.ord
    {KEEP_MESSAGE}
    RETURNING id, conversation_id, channel_id, provider_message_id
), named AS (
    -- The first push name of each phone, from a message stored now (see `new_push_names`).
    {INSERT_PATIENTS}
    SELECT DISTINCT ON (i.clinic_id, i.phone) i.new_patient, i.clinic_id, i.phone, i.push_name, $18, $18
    FROM input i
    JOIN inserted m ON m.id = i.id
    JOIN conversation c ON c.clinic_id = i.clinic_id AND c.phone = i.phone
    WHERE i.push_name IS NOT NULL AND NOT c.named
    ORDER BY i.clinic_id, i.phone, i.ord
    {NAME_IF_NONE}
)
SELECT c.id AS conversation, c.named, m.id IS NOT NULL AS inserted,
       earlier.id AS earlier_id, earlier.conversation_id AS earlier_conversation, earlier.direction
FROM input i
LEFT JOIN conversation c ON c.clinic_id = i.clinic_id AND c.phone = i.phone
LEFT JOIN inserted m ON m.id = i.id
LEFT JOIN LATERAL (
    -- Not inserted: stored by an earlier batch, or by this one from an earlier row.
    SELECT s.id, s.conversation_id, s.direction FROM messages s
    WHERE m.id IS NULL AND s.channel_id = i.channel_id AND s.provider_message_id = i.provider_message_id
    UNION ALL
    SELECT t.id, t.conversation_id, 'inbound' FROM inserted t
    WHERE m.id IS NULL AND t.channel_id = i.channel_id AND t.provider_message_id = i.provider_message_id
    LIMIT 1
) earlier ON true
ORDER BY i.ord"
    )
});

/// One message's outcome, in the batch's order.
#[derive(sqlx::FromRow)]
struct Outcome {
    /// `None` only for a phone whose conversation a concurrent batch created meanwhile.
    conversation: Option<Uuid>,
    named: Option<bool>,
    inserted: bool,
    earlier_id: Option<Uuid>,
    earlier_conversation: Option<Uuid>,
    direction: Option<String>,
}

/// Writes the batch (`order`: its global order), one statement per attempt.
pub(in crate::store) async fn write_in_one_statement(
    writer: &Pool<Postgres>,
    order: &[&InboundWrite],
) -> StoreResult<BatchWritten> {
    let mut written = BatchWritten {
        conversations: Conversations::default(),
        inserted: HashSet::new(),
        earlier: Earlier::new(),
    };
    let mut left: Vec<&InboundWrite> = order.to_vec();
    for _ in 0..ATTEMPTS {
        if left.is_empty() {
            return Ok(written);
        }
        let outcomes = run(writer, &left).await?;
        let mut again = Vec::new();
        for (write, outcome) in left.into_iter().zip(outcomes) {
            if record(&mut written, write, outcome)? {
                again.push(write);
            }
        }
        if !again.is_empty() {
            tracing::debug!(
                messages = again.len(),
                "another batch was creating their conversations; writing them again"
            );
        }
        left = again;
    }
    if left.is_empty() { Ok(written) } else { Err(StoreError::NotFound("conversation")) }
}

/// Adds one message's outcome to `written`; true when it must be written again (its
/// conversation was being created by another batch).
fn record(written: &mut BatchWritten, write: &InboundWrite, outcome: Outcome) -> StoreResult<bool> {
    let message = &write.message;
    let Some(conversation) = outcome.conversation else { return Ok(true) };
    written.conversations.found(
        message.clinic_id,
        message.phone.as_str().to_owned(),
        ConversationId(conversation),
        outcome.named.unwrap_or(false),
    );
    if outcome.inserted {
        written.inserted.insert(message.id.0);
    } else if let (Some(id), Some(conversation), Some(direction)) =
        (outcome.earlier_id, outcome.earlier_conversation, outcome.direction)
    {
        let direction = Direction::parse(&direction).ok_or_else(|| StoreError::Corrupt {
            table: "messages",
            problem: format!("direction '{direction}'"),
        })?;
        written.earlier.insert(
            (message.channel_id, message.provider_message_id.clone()),
            (MessageId(id), ConversationId(conversation), direction),
        );
    }
    Ok(false)
}

/// Runs [`WRITE_BATCH`] for `order`; one outcome per message, in order.
async fn run(writer: &Pool<Postgres>, order: &[&InboundWrite]) -> StoreResult<Vec<Outcome>> {
    let phones = phones_by_clinic(order);
    let (mut clinics, mut numbers, mut first_at, mut new_conversations) = (vec![], vec![], vec![], vec![]);
    for (clinic, phones) in &phones {
        for (phone, at) in phones {
            clinics.push(clinic.0);
            numbers.push(phone.as_str());
            first_at.push(*at);
            new_conversations.push(ConversationId::new_random().0);
        }
    }
    let messages = order.iter().map(|write| &write.message);
    let began: Option<DateTime<Utc>> = order.first().map(|write| write.message.received_at);
    sqlx::query_as::<_, Outcome>(WRITE_BATCH.as_str())
        .bind(clinics)
        .bind(numbers)
        .bind(first_at)
        .bind(new_conversations)
        .bind(messages.clone().map(|m| m.id.0).collect::<Vec<_>>())
        .bind(messages.clone().map(|m| m.clinic_id.0).collect::<Vec<_>>())
        .bind(messages.clone().map(|m| m.phone.as_str()).collect::<Vec<_>>())
        .bind(messages.clone().map(|m| m.channel_id.0).collect::<Vec<_>>())
        .bind(messages.clone().map(|m| m.author.as_str()).collect::<Vec<_>>())
        .bind(messages.clone().map(|m| m.kind.as_str()).collect::<Vec<_>>())
        .bind(messages.clone().map(|m| m.body.as_str()).collect::<Vec<_>>())
        .bind(messages.clone().map(|m| Json(&m.payload)).collect::<Vec<_>>())
        .bind(messages.clone().map(|m| m.provider_message_id.as_str()).collect::<Vec<_>>())
        .bind(messages.clone().map(processed_at).collect::<Vec<_>>())
        .bind(messages.clone().map(|m| m.received_at).collect::<Vec<_>>())
        .bind(order.iter().map(|write| push_name(write)).collect::<Vec<_>>())
        .bind(order.iter().map(|_| PatientId::new_random().0).collect::<Vec<_>>())
        .bind(began)
        .fetch_all(writer)
        .await
        .map_err(StoreError::db("store inbound messages"))
}

/// The WhatsApp name a message may give its patient: a patient's own, not blank.
fn push_name(write: &InboundWrite) -> Option<&str> {
    write
        .push_name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty() && write.message.author == Author::Patient)
}
