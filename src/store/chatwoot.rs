//! The Chatwoot mirror's tables: which Chatwoot conversation each conversation is mirrored to
//! (`chatwoot_links`), and one delivery row per message to mirror (`chatwoot_deliveries`),
//! keyed by the message so that it is queued once however often the mirror looks.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{
    ChatwootContactId, ChatwootConversationId, ChatwootMessageId, ClinicId, ConversationId, MessageId,
};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::rows::{MESSAGE_COLUMNS, MessageRow};
use super::{StoreError, StoreResult, StoredMessage};

/// Where a conversation lives in the clinic's Chatwoot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatwootLink {
    pub conversation_id: ConversationId,
    pub clinic_id: ClinicId,
    pub contact_id: ChatwootContactId,
    pub chatwoot_conversation_id: ChatwootConversationId,
    pub created_at: DateTime<Utc>,
}

/// Where a message's mirroring stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MirrorStatus {
    /// Waiting for its turn or for its next attempt.
    Pending,
    /// Chatwoot holds it.
    Mirrored,
    /// Chatwoot refused it for a reason no retry fixes (or kept failing for too long); kept
    /// with its error for an operator, never tried again.
    Parked,
}

impl MirrorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MirrorStatus::Pending => "pending",
            MirrorStatus::Mirrored => "mirrored",
            MirrorStatus::Parked => "parked",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(MirrorStatus::Pending),
            "mirrored" => Some(MirrorStatus::Mirrored),
            "parked" => Some(MirrorStatus::Parked),
            _ => None,
        }
    }
}

/// A message claimed for mirroring, with the attempts already made.
#[derive(Debug, Clone, PartialEq)]
pub struct MirrorJob {
    pub message: StoredMessage,
    pub attempts: u32,
}

/// A delivery row as it stands (for operators and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorState {
    pub message_id: MessageId,
    pub status: MirrorStatus,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub chatwoot_message_id: Option<ChatwootMessageId>,
}

#[async_trait]
pub trait ChatwootStore: Send + Sync {
    /// Queues the clinic's messages stored since `since` that are not queued yet, oldest first,
    /// at most `limit`; returns how many. Left out: Sofia's replies still waiting to be sent
    /// (and whatever follows one in its conversation, so that Chatwoot shows the order the
    /// patient saw), a patient's voice note not yet transcribed by its turn (and what follows
    /// it), and what agents wrote in Chatwoot itself (it is there already) unless it could not be
    /// sent: then the agents must see that, as a private note.
    async fn queue_for_chatwoot(
        &self,
        clinic: ClinicId,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<u64>;
    /// The clinic's conversations whose oldest pending row is due and not claimed, oldest first.
    async fn conversations_to_mirror(
        &self,
        clinic: ClinicId,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ConversationId>>;
    /// Takes the conversation's pending rows (oldest first, at most `limit`) for one mirror
    /// until `until`. Empty when another mirror's claim is still live or the oldest row is not
    /// due: rows are mirrored in order, so later ones wait behind it.
    async fn claim_mirror_jobs(
        &self,
        conversation: ConversationId,
        claim: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<MirrorJob>>;
    async fn mark_mirrored(
        &self,
        message: MessageId,
        chatwoot_message: ChatwootMessageId,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Records a failed attempt and when to try again; the claim is given up.
    async fn retry_mirror(
        &self,
        message: MessageId,
        error: &str,
        retry_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Records a failed attempt that no retry will fix: the row is never tried again.
    async fn park_mirror(&self, message: MessageId, error: &str, now: DateTime<Utc>) -> StoreResult<()>;
    /// Gives back the rows `claim` still holds (not tried, because an earlier one failed).
    async fn release_mirror_claim(&self, claim: &str) -> StoreResult<()>;
    /// Where the conversation is mirrored to, once its Chatwoot conversation exists.
    async fn chatwoot_link(&self, conversation: ConversationId) -> StoreResult<Option<ChatwootLink>>;
    /// Records (or replaces) where the conversation is mirrored to.
    async fn save_chatwoot_link(&self, link: &ChatwootLink) -> StoreResult<()>;
    /// Every delivery row of the conversation, in mirroring order.
    async fn mirror_states(&self, conversation: ConversationId) -> StoreResult<Vec<MirrorState>>;
}

fn stored_id(value: u64) -> StoreResult<i64> {
    i64::try_from(value).map_err(|_| StoreError::Corrupt {
        table: "chatwoot_links",
        problem: "a Chatwoot id beyond the 64-bit signed range".to_owned(),
    })
}

fn chatwoot_id(table: &'static str, value: i64) -> StoreResult<u64> {
    u64::try_from(value)
        .map_err(|_| StoreError::Corrupt { table, problem: "a negative Chatwoot id".to_owned() })
}

fn attempts(value: i32) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt {
        table: "chatwoot_deliveries",
        problem: "negative attempts".to_owned(),
    })
}

type StateRow = (Uuid, String, i32, DateTime<Utc>, Option<String>, Option<i64>);

#[async_trait]
impl<DB> ChatwootStore for SqlStore<DB>
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
    async fn queue_for_chatwoot(
        &self,
        clinic: ClinicId,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<u64> {
        // One statement, so two mirrors (replicas) queue each message once: the primary key
        // turns the second insert into nothing. A voice note (and what follows it) waits for
        // its turn, which writes its transcript, so Chatwoot shows the words, not "[áudio]".
        let queued = sqlx::query(
            "INSERT INTO chatwoot_deliveries (message_id, clinic_id, conversation_id, message_created_at, \
             status, attempts, next_attempt_at, created_at, updated_at) \
             SELECT m.id, m.clinic_id, m.conversation_id, m.created_at, 'pending', 0, $3, $3, $3 \
             FROM messages m \
             WHERE m.clinic_id = $1 AND m.created_at >= $2 \
             AND NOT (m.direction = 'outbound' AND m.author = 'agent' \
                 AND (m.delivery_status IS NULL OR m.delivery_status <> 'failed')) \
             AND NOT EXISTS (SELECT 1 FROM messages a WHERE a.conversation_id = m.conversation_id \
                 AND a.direction = 'inbound' AND a.kind = 'audio' AND a.processed_at IS NULL \
                 AND (a.created_at < m.created_at OR (a.created_at = m.created_at AND a.id <= m.id))) \
             AND NOT EXISTS (SELECT 1 FROM chatwoot_deliveries d WHERE d.message_id = m.id) \
             AND NOT EXISTS (SELECT 1 FROM messages w WHERE w.conversation_id = m.conversation_id \
                 AND w.direction = 'outbound' AND w.delivery_status = 'pending' \
                 AND (w.created_at < m.created_at OR (w.created_at = m.created_at AND w.id <= m.id))) \
             ORDER BY m.created_at, m.id LIMIT $4 \
             ON CONFLICT (message_id) DO NOTHING",
        )
        .bind(clinic.0)
        .bind(since)
        .bind(now)
        .bind(i64::from(limit))
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("queue messages for Chatwoot"))?;
        Ok(DB::rows_affected(&queued))
    }

    async fn conversations_to_mirror(
        &self,
        clinic: ClinicId,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ConversationId>> {
        // A conversation is due when its oldest pending row is: no pending row before a due
        // one waits for a later attempt. Conversations another mirror holds are left alone.
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "SELECT d.conversation_id FROM chatwoot_deliveries d \
             WHERE d.clinic_id = $3 AND d.status = 'pending' AND d.next_attempt_at <= $1 \
             AND NOT EXISTS (SELECT 1 FROM chatwoot_deliveries e WHERE e.conversation_id = d.conversation_id \
                 AND e.status = 'pending' AND e.next_attempt_at > $1 \
                 AND (e.message_created_at < d.message_created_at \
                      OR (e.message_created_at = d.message_created_at AND e.message_id < d.message_id))) \
             AND NOT EXISTS (SELECT 1 FROM chatwoot_deliveries c WHERE c.conversation_id = d.conversation_id \
                 AND c.status = 'pending' AND c.claimed_until > $1) \
             GROUP BY d.conversation_id ORDER BY MIN(d.message_created_at) LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .bind(clinic.0)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("list conversations to mirror"))?;
        Ok(ids.into_iter().map(ConversationId).collect())
    }

    async fn claim_mirror_jobs(
        &self,
        conversation: ConversationId,
        claim: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<MirrorJob>> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        // A no-op write that locks the conversation's row on PostgreSQL (SQLite's single
        // writer serialises anyway), so two claims of one conversation never interleave.
        let found = sqlx::query("UPDATE conversations SET updated_at = updated_at WHERE id = $1")
            .bind(conversation.0)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("lock a conversation's mirror"))?;
        if DB::rows_affected(&found) == 0 {
            return Err(StoreError::NotFound("conversation"));
        }
        let live: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM chatwoot_deliveries WHERE conversation_id = $1 AND status = 'pending' \
             AND claimed_until > $2",
        )
        .bind(conversation.0)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::db("look for a mirror in flight"))?;
        if live > 0 {
            return Ok(Vec::new());
        }
        let pending: Vec<(Uuid, i32, DateTime<Utc>)> = sqlx::query_as(
            "SELECT message_id, attempts, next_attempt_at FROM chatwoot_deliveries \
             WHERE conversation_id = $1 AND status = 'pending' \
             ORDER BY message_created_at, message_id LIMIT $2",
        )
        .bind(conversation.0)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::db("read a conversation's pending mirror rows"))?;
        match pending.first() {
            Some((_, _, next_attempt_at)) if *next_attempt_at <= now => {}
            _ => return Ok(Vec::new()),
        }
        for (message, _, _) in &pending {
            sqlx::query(
                "UPDATE chatwoot_deliveries SET claimed_by = $2, claimed_until = $3 WHERE message_id = $1",
            )
            .bind(*message)
            .bind(claim)
            .bind(until)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("claim a mirror row"))?;
        }
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE id IN \
             (SELECT message_id FROM chatwoot_deliveries WHERE claimed_by = $1) ORDER BY created_at, id"
        );
        let rows: Vec<MessageRow> = sqlx::query_as(&sql)
            .bind(claim)
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::db("read the messages to mirror"))?;
        tx.commit().await.map_err(StoreError::db("commit a mirror claim"))?;
        let mut messages: HashMap<Uuid, StoredMessage> = HashMap::new();
        for row in rows {
            let message: StoredMessage = row.try_into()?;
            messages.insert(message.id.0, message);
        }
        pending
            .into_iter()
            .filter_map(|(id, tries, _)| messages.remove(&id).map(|message| (message, tries)))
            .map(|(message, tries)| Ok(MirrorJob { message, attempts: attempts(tries)? }))
            .collect()
    }

    async fn mark_mirrored(
        &self,
        message: MessageId,
        chatwoot_message: ChatwootMessageId,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE chatwoot_deliveries SET status = 'mirrored', chatwoot_message_id = $2, \
             attempts = attempts + 1, last_error = NULL, claimed_by = NULL, claimed_until = NULL, \
             updated_at = $3 WHERE message_id = $1",
        )
        .bind(message.0)
        .bind(stored_id(chatwoot_message.0)?)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("mark a message mirrored"))?;
        Ok(())
    }

    async fn retry_mirror(
        &self,
        message: MessageId,
        error: &str,
        retry_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE chatwoot_deliveries SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, \
             claimed_by = NULL, claimed_until = NULL, updated_at = $4 \
             WHERE message_id = $1 AND status = 'pending'",
        )
        .bind(message.0)
        .bind(error)
        .bind(retry_at)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("schedule a mirror retry"))?;
        Ok(())
    }

    async fn park_mirror(&self, message: MessageId, error: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "UPDATE chatwoot_deliveries SET status = 'parked', attempts = attempts + 1, last_error = $2, \
             claimed_by = NULL, claimed_until = NULL, updated_at = $3 \
             WHERE message_id = $1 AND status = 'pending'",
        )
        .bind(message.0)
        .bind(error)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("park a mirror row"))?;
        Ok(())
    }

    async fn release_mirror_claim(&self, claim: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE chatwoot_deliveries SET claimed_by = NULL, claimed_until = NULL \
             WHERE claimed_by = $1 AND status = 'pending'",
        )
        .bind(claim)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("release mirror rows"))?;
        Ok(())
    }

    async fn chatwoot_link(&self, conversation: ConversationId) -> StoreResult<Option<ChatwootLink>> {
        let row: Option<(Uuid, Uuid, i64, i64, DateTime<Utc>)> = sqlx::query_as(
            "SELECT conversation_id, clinic_id, contact_id, chatwoot_conversation_id, created_at \
             FROM chatwoot_links WHERE conversation_id = $1",
        )
        .bind(conversation.0)
        .fetch_optional(&self.reader)
        .await
        .map_err(StoreError::db("read a Chatwoot link"))?;
        row.map(|(conversation, clinic, contact, chatwoot_conversation, created_at)| {
            Ok(ChatwootLink {
                conversation_id: ConversationId(conversation),
                clinic_id: ClinicId(clinic),
                contact_id: ChatwootContactId(chatwoot_id("chatwoot_links", contact)?),
                chatwoot_conversation_id: ChatwootConversationId(chatwoot_id(
                    "chatwoot_links",
                    chatwoot_conversation,
                )?),
                created_at,
            })
        })
        .transpose()
    }

    async fn save_chatwoot_link(&self, link: &ChatwootLink) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO chatwoot_links (conversation_id, clinic_id, contact_id, chatwoot_conversation_id, \
             created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (conversation_id) DO UPDATE SET contact_id = excluded.contact_id, \
             chatwoot_conversation_id = excluded.chatwoot_conversation_id",
        )
        .bind(link.conversation_id.0)
        .bind(link.clinic_id.0)
        .bind(stored_id(link.contact_id.0)?)
        .bind(stored_id(link.chatwoot_conversation_id.0)?)
        .bind(link.created_at)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("save a Chatwoot link"))?;
        Ok(())
    }

    async fn mirror_states(&self, conversation: ConversationId) -> StoreResult<Vec<MirrorState>> {
        let rows: Vec<StateRow> = sqlx::query_as(
            "SELECT message_id, status, attempts, next_attempt_at, last_error, chatwoot_message_id \
             FROM chatwoot_deliveries WHERE conversation_id = $1 ORDER BY message_created_at, message_id",
        )
        .bind(conversation.0)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("read a conversation's mirror rows"))?;
        rows.into_iter()
            .map(|(message, status, tries, next_attempt_at, last_error, chatwoot_message)| {
                Ok(MirrorState {
                    message_id: MessageId(message),
                    status: MirrorStatus::parse(&status).ok_or_else(|| StoreError::Corrupt {
                        table: "chatwoot_deliveries",
                        problem: format!("status '{status}'"),
                    })?,
                    attempts: attempts(tries)?,
                    next_attempt_at,
                    last_error,
                    chatwoot_message_id: chatwoot_message
                        .map(|id| chatwoot_id("chatwoot_deliveries", id).map(ChatwootMessageId))
                        .transpose()?,
                })
            })
            .collect()
    }
}
