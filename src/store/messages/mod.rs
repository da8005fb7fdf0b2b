//! Messages: the inbox (what patients and staff wrote, waiting for a turn) and the outbox
//! (reply bubbles, claimed by one dispatcher and tracked until delivered).

pub(super) mod batch;
mod postgres_statement;
mod sqlite_handle;

pub(super) use postgres_statement::write_in_one_statement;
pub(super) use sqlite_handle::{hold_handle, write_on_handle};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{ChannelId, ClinicId, ConversationId, DeliveryStatus, MessageId};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType, placeholders};
use super::rows::{MESSAGE_COLUMNS, MessageRow};
use super::{
    InboundReceipt, InboundWrite, NewOutbound, OutboxReceipt, StaleClaims, StoreError, StoreResult,
    StoredMessage,
};

/// Inbound batches recorded one after another on a writer held for all of them (see
/// [`MessageStore::hold_inbound_writer`]).
pub trait InboundBatches {
    /// As [`MessageStore::record_inbound_batch`], on the held writer.
    fn record(&mut self, batch: &[InboundWrite]) -> StoreResult<Vec<InboundReceipt>>;
}

/// What runs with the writer held, given the batches' way in.
pub type HeldWork<'a> = &'a mut (dyn FnMut(&mut dyn InboundBatches) + Send);

#[async_trait]
pub trait MessageStore: Send + Sync {
    /// Stores inbound messages in one transaction, each once per channel and provider id (the
    /// receipts are in the batch's order), creating their conversations, and fills a new
    /// patient's name from the push name. Messages not written by the patient are stored as
    /// processed: they are context for the next turn, not a turn of their own.
    async fn record_inbound_batch(&self, batch: &[InboundWrite]) -> StoreResult<Vec<InboundReceipt>>;
    /// Whether the engine has one writer that consecutive inbound batches had better hold than
    /// take for each batch: SQLite's writer connection. PostgreSQL has none to hold.
    fn has_one_writer(&self) -> bool;
    /// Runs `work` with the engine's one writer held, where it may block: every batch `work`
    /// records goes through that writer, taken once for all of them, so batches that follow
    /// each other pay no hand-off to another thread between them. Meanwhile nothing else
    /// writes; `work` should return once it has nothing queued, or after a few batches.
    /// [`StoreError::NoWriterToHold`] where the engine has none (see
    /// [`has_one_writer`](Self::has_one_writer)).
    async fn hold_inbound_writer(&self, work: HeldWork<'_>) -> StoreResult<()>;
    /// Inbound messages of the conversation not yet answered by a turn, oldest first.
    async fn pending_inbound(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>>;
    /// Conversations of `clinics` with messages `waiting`, oldest first, for the sweeps: the
    /// engine's (inbound messages waiting for a turn) and the outbox's (unclaimed queued
    /// replies). Only the clinics a replica serves: a clinic removed from the deployment leaves
    /// rows no one can handle, which must not fill every sweep.
    async fn conversations_waiting(
        &self,
        waiting: Waiting,
        clinics: &[ClinicId],
        limit: u32,
    ) -> StoreResult<Vec<ConversationId>>;
    async fn mark_processed(&self, ids: &[MessageId], now: DateTime<Utc>) -> StoreResult<()>;
    /// Stores what a voice note said as the message's text, with the `payload` that marks it
    /// transcribed, so the transcript (not the audio) is what history, search and Chatwoot read.
    async fn record_transcript(
        &self,
        id: MessageId,
        text: &str,
        payload: &Value,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The patient's most recent message in the conversation (for read receipts and typing).
    async fn latest_patient_message(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Option<StoredMessage>>;
    /// Queues a reply bubble once per idempotency key.
    async fn enqueue_outbound(&self, message: &NewOutbound) -> StoreResult<OutboxReceipt>;
    /// Outbound bubbles of the conversation not yet handed to a provider, oldest first.
    async fn pending_outbound(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>>;
    /// Takes every queued reply of the conversation for one dispatcher, oldest first. Empty when
    /// another claim of this conversation is still in flight, so bubbles never overtake each
    /// other. A claimed row is never handed out again.
    async fn claim_outbound(
        &self,
        conversation: ConversationId,
        claim: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredMessage>>;
    /// Gives rows still under `claim` back to the queue, for rows that certainly were not
    /// sent. A row another claim holds by now is left alone.
    async fn release_outbound(
        &self,
        ids: &[MessageId],
        claim: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Records, durably and before the request leaves, that the row's send is starting. False
    /// when the row is no longer under `claim` (the claim expired and the row went back to the
    /// queue): the caller must not send it.
    async fn mark_send_started(&self, id: MessageId, claim: &str, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Settles rows claimed before `claimed_before` and still pending, whose dispatcher died
    /// (or hung): a row whose send never started goes back to the queue; one whose request
    /// started may have been delivered, so it is failed with `error`, never sent again.
    async fn expire_stale_claims(
        &self,
        claimed_before: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<StaleClaims>;
    async fn mark_sent(
        &self,
        id: MessageId,
        channel: ChannelId,
        provider_message_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn mark_send_failed(&self, id: MessageId, error: &str, now: DateTime<Utc>) -> StoreResult<()>;
    /// Applies a provider's delivery status to the outbound message it names. Statuses arrive
    /// out of order, so one never replaces a later one. False if no message matched.
    async fn record_delivery_status(
        &self,
        channel: ChannelId,
        provider_message_id: &str,
        status: DeliveryStatus,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Every message of the conversation, oldest first.
    async fn transcript(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>>;
}

#[async_trait]
impl<DB> MessageStore for SqlStore<DB>
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
    async fn record_inbound_batch(&self, batch: &[InboundWrite]) -> StoreResult<Vec<InboundReceipt>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let written = DB::write_inbound_batch(self, &batch::in_order(batch)).await?;
        batch::receipts(batch, &written)
    }

    fn has_one_writer(&self) -> bool {
        DB::ONE_WRITER
    }

    async fn hold_inbound_writer(&self, work: HeldWork<'_>) -> StoreResult<()> {
        DB::hold_inbound_writer(self, work).await
    }

    async fn pending_inbound(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND direction = 'inbound' \
             AND processed_at IS NULL ORDER BY created_at, id"
        );
        let rows: Vec<MessageRow> = sqlx::query_as(&sql)
            .bind(conversation.0)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("read pending messages"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn conversations_waiting(
        &self,
        waiting: Waiting,
        clinics: &[ClinicId],
        limit: u32,
    ) -> StoreResult<Vec<ConversationId>> {
        if clinics.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT conversation_id FROM messages WHERE {} AND clinic_id IN ({}) \
             GROUP BY conversation_id ORDER BY MIN(created_at) LIMIT $1",
            waiting.condition(),
            placeholders(2, clinics.len())
        );
        let mut query = sqlx::query_scalar(&sql).bind(i64::from(limit));
        for clinic in clinics {
            query = query.bind(clinic.0);
        }
        let ids: Vec<Uuid> = query
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("list conversations with waiting messages"))?;
        Ok(ids.into_iter().map(ConversationId).collect())
    }

    async fn mark_processed(&self, ids: &[MessageId], now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        for id in ids {
            sqlx::query("UPDATE messages SET processed_at = $2, updated_at = $2 WHERE id = $1")
                .bind(id.0)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db("mark a message processed"))?;
        }
        tx.commit().await.map_err(StoreError::db("commit processed messages"))?;
        Ok(())
    }

    async fn record_transcript(
        &self,
        id: MessageId,
        text: &str,
        payload: &Value,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let updated =
            sqlx::query("UPDATE messages SET body = $2, payload = $3, updated_at = $4 WHERE id = $1")
                .bind(id.0)
                .bind(text)
                .bind(Json(payload))
                .bind(now)
                .execute(&self.writer)
                .await
                .map_err(StoreError::db("store a transcript"))?;
        if DB::rows_affected(&updated) == 0 {
            return Err(StoreError::NotFound("message"));
        }
        Ok(())
    }

    async fn latest_patient_message(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Option<StoredMessage>> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND direction = 'inbound' \
             AND author = 'patient' ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        let row: Option<MessageRow> = sqlx::query_as(&sql)
            .bind(conversation.0)
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("read the patient's last message"))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn enqueue_outbound(&self, message: &NewOutbound) -> StoreResult<OutboxReceipt> {
        // The conflict target names the partial index PostgreSQL keeps of the keys (migration
        // 0015); SQLite's unique index of the column satisfies it as well.
        let inserted = sqlx::query(
            "INSERT INTO messages (id, clinic_id, conversation_id, direction, author, kind, body, payload, \
             idempotency_key, delivery_status, created_at, updated_at) \
             VALUES ($1, $2, $3, 'outbound', $4, $5, $6, $7, $8, 'pending', $9, $9) \
             ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING",
        )
        .bind(message.id.0)
        .bind(message.clinic_id.0)
        .bind(message.conversation_id.0)
        .bind(message.author.as_str())
        .bind(message.kind.as_str())
        .bind(message.body.as_str())
        .bind(Json(&message.payload))
        .bind(message.idempotency_key.as_str())
        .bind(message.created_at)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("queue a reply"))?;
        if DB::rows_affected(&inserted) == 1 {
            return Ok(OutboxReceipt::Queued(message.id));
        }
        // The row that won the key is committed (the conflict waited for it): a reader sees it.
        let existing: Uuid = sqlx::query_scalar("SELECT id FROM messages WHERE idempotency_key = $1")
            .bind(message.idempotency_key.as_str())
            .fetch_one(&self.reader)
            .await
            .map_err(StoreError::db("find a queued reply"))?;
        Ok(OutboxReceipt::AlreadyQueued(MessageId(existing)))
    }

    async fn pending_outbound(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND direction = 'outbound' \
             AND delivery_status = 'pending' ORDER BY created_at, id"
        );
        let rows: Vec<MessageRow> = sqlx::query_as(&sql)
            .bind(conversation.0)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("read the outbox"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn claim_outbound(
        &self,
        conversation: ConversationId,
        claim: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredMessage>> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        // A no-op write that locks the conversation's row on PostgreSQL (SQLite's single
        // writer serialises anyway), so two claims of one conversation never interleave.
        let found = sqlx::query("UPDATE conversations SET updated_at = updated_at WHERE id = $1")
            .bind(conversation.0)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("lock a conversation's outbox"))?;
        if DB::rows_affected(&found) == 0 {
            return Err(StoreError::NotFound("conversation"));
        }
        // Someone is sending this conversation's bubbles: leave the rest to them, or a later
        // bubble could overtake an earlier one.
        let in_flight: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = $1 AND direction = 'outbound' \
             AND delivery_status = 'pending' AND claimed_at IS NOT NULL",
        )
        .bind(conversation.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::db("look for a send in flight"))?;
        if in_flight > 0 {
            return Ok(Vec::new());
        }
        sqlx::query(
            "UPDATE messages SET claimed_by = $2, claimed_at = $3 WHERE conversation_id = $1 \
             AND direction = 'outbound' AND delivery_status = 'pending' AND claimed_at IS NULL",
        )
        .bind(conversation.0)
        .bind(claim)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("claim queued replies"))?;
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND claimed_by = $2 \
             AND delivery_status = 'pending' ORDER BY created_at, idempotency_key"
        );
        let rows: Vec<MessageRow> = sqlx::query_as(&sql)
            .bind(conversation.0)
            .bind(claim)
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::db("read claimed replies"))?;
        tx.commit().await.map_err(StoreError::db("commit a claim"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn release_outbound(
        &self,
        ids: &[MessageId],
        claim: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        for id in ids {
            sqlx::query(
                "UPDATE messages SET claimed_by = NULL, claimed_at = NULL, send_started_at = NULL, \
                 error = $3, updated_at = $4 \
                 WHERE id = $1 AND claimed_by = $2 AND delivery_status = 'pending'",
            )
            .bind(id.0)
            .bind(claim)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("release a reply"))?;
        }
        tx.commit().await.map_err(StoreError::db("commit released replies"))?;
        Ok(())
    }

    async fn mark_send_started(&self, id: MessageId, claim: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE messages SET send_started_at = COALESCE(send_started_at, $3) \
             WHERE id = $1 AND claimed_by = $2 AND delivery_status = 'pending'",
        )
        .bind(id.0)
        .bind(claim)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("record that a send is starting"))?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn expire_stale_claims(
        &self,
        claimed_before: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<StaleClaims> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        let requeued = sqlx::query(
            "UPDATE messages SET claimed_by = NULL, claimed_at = NULL, updated_at = $2 \
             WHERE direction = 'outbound' AND delivery_status = 'pending' AND claimed_at < $1 \
             AND send_started_at IS NULL",
        )
        .bind(claimed_before)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("requeue abandoned claims"))?;
        let failed = sqlx::query(
            "UPDATE messages SET delivery_status = 'failed', error = $2, updated_at = $3 \
             WHERE direction = 'outbound' AND delivery_status = 'pending' AND claimed_at < $1 \
             AND send_started_at IS NOT NULL",
        )
        .bind(claimed_before)
        .bind(error)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("fail abandoned sends"))?;
        tx.commit().await.map_err(StoreError::db("commit settled claims"))?;
        Ok(StaleClaims { requeued: DB::rows_affected(&requeued), failed: DB::rows_affected(&failed) })
    }

    async fn mark_sent(
        &self,
        id: MessageId,
        channel: ChannelId,
        provider_message_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE messages SET channel_id = $2, provider_message_id = $3, sent_at = $4, updated_at = $4, \
             delivery_status = CASE WHEN delivery_status = 'pending' THEN 'sent' ELSE delivery_status END \
             WHERE id = $1",
        )
        .bind(id.0)
        .bind(channel.0)
        .bind(provider_message_id)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("mark a reply sent"))?;
        Ok(())
    }

    async fn mark_send_failed(&self, id: MessageId, error: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "UPDATE messages SET delivery_status = 'failed', error = $2, updated_at = $3 WHERE id = $1",
        )
        .bind(id.0)
        .bind(error)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("mark a reply failed"))?;
        Ok(())
    }

    async fn record_delivery_status(
        &self,
        channel: ChannelId,
        provider_message_id: &str,
        status: DeliveryStatus,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        // Read and update in one write transaction: two statuses of one message arriving at
        // once must not both see the old one.
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        let current: Option<(Uuid, Option<String>)> = sqlx::query_as(
            "SELECT id, delivery_status FROM messages \
             WHERE channel_id = $1 AND provider_message_id = $2 AND direction = 'outbound'",
        )
        .bind(channel.0)
        .bind(provider_message_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::db("find a sent message"))?;
        let Some((id, current)) = current else { return Ok(false) };
        let current = current.as_deref().and_then(DeliveryStatus::parse).unwrap_or(DeliveryStatus::Pending);
        if status.rank() > current.rank() {
            sqlx::query(
                "UPDATE messages SET delivery_status = $2, error = COALESCE($3, error), updated_at = $4 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(status.as_str())
            .bind(error)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("record a delivery status"))?;
        }
        tx.commit().await.map_err(StoreError::db("commit a delivery status"))?;
        Ok(true)
    }

    async fn transcript(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<MessageRow> = sqlx::query_as(&sql)
            .bind(conversation.0)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("read a transcript"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }
}

/// What a sweep looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Patient messages no turn has answered yet.
    ForTurn,
    /// Queued replies no dispatcher has claimed.
    ForSend,
}

impl Waiting {
    fn condition(self) -> &'static str {
        match self {
            Waiting::ForTurn => "direction = 'inbound' AND processed_at IS NULL",
            Waiting::ForSend => {
                "direction = 'outbound' AND delivery_status = 'pending' AND claimed_at IS NULL"
            }
        }
    }
}
