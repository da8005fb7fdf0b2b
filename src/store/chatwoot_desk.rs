//! Chatwoot as the agents' desk: the webhook events Chatwoot sent (`chatwoot_events`), stored
//! before they are acknowledged and applied afterwards in the order received, and what
//! Chatwoot was told about each handoff (`chatwoot_handoffs`).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{ChatwootConversationId, ClinicId, ConversationId, HandoffId};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::rows::{HANDOFF_COLUMNS, HandoffRow};
use super::{Handoff, StoreError, StoreResult};

/// A webhook delivery from Chatwoot, as received.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChatwootEvent {
    pub id: Uuid,
    pub clinic_id: ClinicId,
    /// What makes two deliveries the same event (see [`ChatwootDeskStore::record_chatwoot_event`]).
    pub dedup_key: String,
    /// Chatwoot's event name (`message_created`, `conversation_status_changed`…).
    pub event: String,
    pub payload: Value,
    pub received_at: DateTime<Utc>,
}

/// Whether a delivery was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventReceipt {
    Stored,
    /// An event with the same key was stored before: nothing was added.
    Duplicate,
}

/// A stored event claimed to be applied.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatwootEvent {
    pub id: Uuid,
    pub clinic_id: ClinicId,
    pub event: String,
    pub payload: Value,
    pub received_at: DateTime<Utc>,
    /// Earlier attempts that failed for a reason that may pass.
    pub attempts: u32,
}

/// A stored event and what became of it (for operators and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatwootEventRecord {
    pub event: String,
    pub dedup_key: String,
    /// `None` while it waits to be applied.
    pub outcome: Option<String>,
}

/// What Chatwoot has been told about a handoff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HandoffTold {
    /// The conversation was opened there, with the note, labels and team.
    pub opened: bool,
    /// It was set back to pending after the handoff ended.
    pub closed: bool,
}

/// Which step of a handoff Chatwoot was told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffStep {
    Opened,
    Closed,
}

#[async_trait]
pub trait ChatwootDeskStore: Send + Sync {
    /// Stores an event unless one with the same `(clinic, dedup_key)` was stored before.
    async fn record_chatwoot_event(&self, event: &NewChatwootEvent) -> StoreResult<EventReceipt>;
    /// Takes up to `limit` events not applied yet and not claimed by a live claim, oldest
    /// first, for one relay until `until`.
    async fn claim_chatwoot_events(
        &self,
        claim: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ChatwootEvent>>;
    /// The event was applied (or deliberately ignored): `outcome` says what happened.
    async fn finish_chatwoot_event(&self, id: Uuid, outcome: &str, now: DateTime<Utc>) -> StoreResult<()>;
    /// The event could not be applied now; it is tried again from `retry_at`.
    async fn retry_chatwoot_event(&self, id: Uuid, retry_at: DateTime<Utc>) -> StoreResult<()>;
    /// A clinic's events, oldest first.
    async fn chatwoot_events(&self, clinic: ClinicId) -> StoreResult<Vec<ChatwootEventRecord>>;
    /// Our conversation mirrored to the clinic's Chatwoot conversation `chatwoot`.
    async fn conversation_in_chatwoot(
        &self,
        clinic: ClinicId,
        chatwoot: ChatwootConversationId,
    ) -> StoreResult<Option<ConversationId>>;
    /// The clinic's handoffs opened since `since`, in conversations mirrored to Chatwoot, that
    /// Chatwoot has not been told about (opened, or closed once resolved), oldest first.
    async fn handoffs_to_tell_chatwoot(
        &self,
        clinic: ClinicId,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<(Handoff, HandoffTold)>>;
    /// Records that Chatwoot was told `step` of the handoff.
    async fn chatwoot_told(
        &self,
        handoff: HandoffId,
        step: HandoffStep,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}

type EventRow = (Uuid, Uuid, String, Json<Value>, DateTime<Utc>, i32);

#[async_trait]
impl<DB> ChatwootDeskStore for SqlStore<DB>
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
    async fn record_chatwoot_event(&self, event: &NewChatwootEvent) -> StoreResult<EventReceipt> {
        let stored = sqlx::query(
            "INSERT INTO chatwoot_events (id, clinic_id, dedup_key, event, payload, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (clinic_id, dedup_key) DO NOTHING",
        )
        .bind(event.id)
        .bind(event.clinic_id.0)
        .bind(event.dedup_key.as_str())
        .bind(event.event.as_str())
        .bind(Json(&event.payload))
        .bind(event.received_at)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("store a Chatwoot event"))?;
        Ok(if DB::rows_affected(&stored) == 0 { EventReceipt::Duplicate } else { EventReceipt::Stored })
    }

    async fn claim_chatwoot_events(
        &self,
        claim: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ChatwootEvent>> {
        // The claim is re-checked by the UPDATE itself, so two relays racing for the same rows
        // (PostgreSQL re-evaluates the condition on the locked row) take each row once.
        sqlx::query(
            "UPDATE chatwoot_events SET claimed_by = $1, claimed_until = $3 \
             WHERE processed_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $2) \
             AND id IN (SELECT id FROM chatwoot_events WHERE processed_at IS NULL \
                 AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY received_at, id LIMIT $4)",
        )
        .bind(claim)
        .bind(now)
        .bind(until)
        .bind(i64::from(limit))
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("claim Chatwoot events"))?;
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT id, clinic_id, event, payload, received_at, attempts FROM chatwoot_events \
             WHERE claimed_by = $1 AND processed_at IS NULL ORDER BY received_at, id",
        )
        .bind(claim)
        .fetch_all(&self.writer)
        .await
        .map_err(StoreError::db("read claimed Chatwoot events"))?;
        rows.into_iter()
            .map(|(id, clinic, event, Json(payload), received_at, attempts)| {
                Ok(ChatwootEvent {
                    id,
                    clinic_id: ClinicId(clinic),
                    event,
                    payload,
                    received_at,
                    attempts: u32::try_from(attempts).map_err(|_| StoreError::Corrupt {
                        table: "chatwoot_events",
                        problem: "negative attempts".to_owned(),
                    })?,
                })
            })
            .collect()
    }

    async fn finish_chatwoot_event(&self, id: Uuid, outcome: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "UPDATE chatwoot_events SET processed_at = $2, outcome = $3, claimed_by = NULL, \
             claimed_until = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .bind(outcome)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("finish a Chatwoot event"))?;
        Ok(())
    }

    async fn retry_chatwoot_event(&self, id: Uuid, retry_at: DateTime<Utc>) -> StoreResult<()> {
        // Held by no relay until `retry_at`: the claim's expiry is the retry time.
        sqlx::query(
            "UPDATE chatwoot_events SET attempts = attempts + 1, claimed_by = NULL, claimed_until = $2 \
             WHERE id = $1 AND processed_at IS NULL",
        )
        .bind(id)
        .bind(retry_at)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("schedule a Chatwoot event retry"))?;
        Ok(())
    }

    async fn chatwoot_events(&self, clinic: ClinicId) -> StoreResult<Vec<ChatwootEventRecord>> {
        let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT event, dedup_key, outcome FROM chatwoot_events WHERE clinic_id = $1 \
             ORDER BY received_at, id",
        )
        .bind(clinic.0)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("list Chatwoot events"))?;
        Ok(rows
            .into_iter()
            .map(|(event, dedup_key, outcome)| ChatwootEventRecord { event, dedup_key, outcome })
            .collect())
    }

    async fn conversation_in_chatwoot(
        &self,
        clinic: ClinicId,
        chatwoot: ChatwootConversationId,
    ) -> StoreResult<Option<ConversationId>> {
        let id = i64::try_from(chatwoot.0).map_err(|_| StoreError::Corrupt {
            table: "chatwoot_links",
            problem: "a Chatwoot id beyond the 64-bit signed range".to_owned(),
        })?;
        let found: Option<Uuid> = sqlx::query_scalar(
            "SELECT conversation_id FROM chatwoot_links WHERE clinic_id = $1 AND chatwoot_conversation_id = $2 \
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(clinic.0)
        .bind(id)
        .fetch_optional(&self.reader)
        .await
        .map_err(StoreError::db("find a conversation by its Chatwoot id"))?;
        Ok(found.map(ConversationId))
    }

    async fn handoffs_to_tell_chatwoot(
        &self,
        clinic: ClinicId,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<(Handoff, HandoffTold)>> {
        let sql = format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE clinic_id = $1 AND created_at >= $2 \
             AND conversation_id IN (SELECT conversation_id FROM chatwoot_links) \
             AND NOT EXISTS (SELECT 1 FROM chatwoot_handoffs s WHERE s.handoff_id = handoffs.id \
                 AND s.opened_at IS NOT NULL AND (handoffs.status = 'open' OR s.closed_at IS NOT NULL)) \
             ORDER BY created_at, id LIMIT $3"
        );
        let rows: Vec<HandoffRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(since)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("find handoffs to tell Chatwoot"))?;
        let mut found = Vec::with_capacity(rows.len());
        for row in rows {
            let handoff: Handoff = row.try_into()?;
            let told: Option<(Option<DateTime<Utc>>, Option<DateTime<Utc>>)> =
                sqlx::query_as("SELECT opened_at, closed_at FROM chatwoot_handoffs WHERE handoff_id = $1")
                    .bind(handoff.id.0)
                    .fetch_optional(&self.reader)
                    .await
                    .map_err(StoreError::db("read what Chatwoot was told of a handoff"))?;
            let told = told
                .map(|(opened, closed)| HandoffTold { opened: opened.is_some(), closed: closed.is_some() })
                .unwrap_or_default();
            found.push((handoff, told));
        }
        Ok(found)
    }

    async fn chatwoot_told(
        &self,
        handoff: HandoffId,
        step: HandoffStep,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let sql = match step {
            HandoffStep::Opened => {
                "INSERT INTO chatwoot_handoffs (handoff_id, opened_at, updated_at) VALUES ($1, $2, $2) \
                 ON CONFLICT (handoff_id) DO UPDATE SET opened_at = excluded.opened_at, updated_at = excluded.updated_at"
            }
            HandoffStep::Closed => {
                "INSERT INTO chatwoot_handoffs (handoff_id, closed_at, updated_at) VALUES ($1, $2, $2) \
                 ON CONFLICT (handoff_id) DO UPDATE SET closed_at = excluded.closed_at, updated_at = excluded.updated_at"
            }
        };
        sqlx::query(sql)
            .bind(handoff.0)
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(StoreError::db("record what Chatwoot was told of a handoff"))?;
        Ok(())
    }
}
