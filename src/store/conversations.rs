//! Conversations: who owns them, their typed state, and the worker lease.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::{Value, json};
use sofia_core::domain::{ClinicId, ConversationId, PatientId, Phone};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Transaction, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::rows::{self, CONVERSATION_COLUMNS, ConversationRow};
use super::{Conversation, Owner, StoreError, StoreResult};

#[async_trait]
pub trait ConversationStore: Send + Sync {
    /// The conversation with this phone, created (owned by the bot) if new.
    async fn conversation_for(
        &self,
        clinic: ClinicId,
        phone: &Phone,
        now: DateTime<Utc>,
    ) -> StoreResult<Conversation>;
    async fn conversation(&self, id: ConversationId) -> StoreResult<Option<Conversation>>;
    async fn save_state(&self, id: ConversationId, state: &Value, now: DateTime<Utc>) -> StoreResult<()>;
    async fn link_patient(
        &self,
        id: ConversationId,
        patient: PatientId,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Changes the owner; returns the previous one.
    async fn set_owner(&self, id: ConversationId, owner: Owner, now: DateTime<Utc>) -> StoreResult<Owner>;
    /// Silences the bot until `until` (or a later pause already set) because staff wrote on the
    /// phone, unless a human owns the conversation. Returns the owner afterwards.
    async fn pause_for_staff(
        &self,
        id: ConversationId,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Owner>;
    /// Takes the worker lease if it is free, expired, or already `holder`'s. True when held.
    async fn claim_lease(
        &self,
        id: ConversationId,
        holder: &str,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn release_lease(&self, id: ConversationId, holder: &str) -> StoreResult<()>;
}

#[async_trait]
impl<DB> ConversationStore for SqlStore<DB>
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
    async fn conversation_for(
        &self,
        clinic: ClinicId,
        phone: &Phone,
        now: DateTime<Utc>,
    ) -> StoreResult<Conversation> {
        sqlx::query(
            "INSERT INTO conversations (id, clinic_id, phone, owner, state, created_at, updated_at) \
             VALUES ($1, $2, $3, 'bot', $4, $5, $5) ON CONFLICT (clinic_id, phone) DO NOTHING",
        )
        .bind(ConversationId::new_random().0)
        .bind(clinic.0)
        .bind(phone.as_str())
        .bind(Json(&json!({})))
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("create a conversation"))?;
        let sql =
            format!("SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE clinic_id = $1 AND phone = $2");
        // The insert is committed: a reader sees it.
        let row: Option<ConversationRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(phone.as_str())
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("find a conversation"))?;
        row.ok_or(StoreError::NotFound("conversation"))?.try_into()
    }

    async fn conversation(&self, id: ConversationId) -> StoreResult<Option<Conversation>> {
        let sql = format!("SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = $1");
        let row: Option<ConversationRow> = sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("read a conversation"))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn save_state(&self, id: ConversationId, state: &Value, now: DateTime<Utc>) -> StoreResult<()> {
        let done = sqlx::query("UPDATE conversations SET state = $2, updated_at = $3 WHERE id = $1")
            .bind(id.0)
            .bind(Json(state))
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(StoreError::db("save conversation state"))?;
        if DB::rows_affected(&done) == 0 { Err(StoreError::NotFound("conversation")) } else { Ok(()) }
    }

    async fn link_patient(
        &self,
        id: ConversationId,
        patient: PatientId,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let done = sqlx::query("UPDATE conversations SET patient_id = $2, updated_at = $3 WHERE id = $1")
            .bind(id.0)
            .bind(patient.0)
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(StoreError::db("link a patient"))?;
        if DB::rows_affected(&done) == 0 { Err(StoreError::NotFound("conversation")) } else { Ok(()) }
    }

    async fn set_owner(&self, id: ConversationId, owner: Owner, now: DateTime<Utc>) -> StoreResult<Owner> {
        // The previous owner is read in the transaction that replaces it, so that two changes
        // at once each return what they replaced.
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        let previous = Self::owner_in(&mut tx, id).await?.ok_or(StoreError::NotFound("conversation"))?;
        let (owner, paused_until) = rows::owner_columns(owner);
        sqlx::query("UPDATE conversations SET owner = $2, paused_until = $3, updated_at = $4 WHERE id = $1")
            .bind(id.0)
            .bind(owner)
            .bind(paused_until)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("change a conversation's owner"))?;
        tx.commit().await.map_err(StoreError::db("commit an owner change"))?;
        Ok(previous)
    }

    async fn pause_for_staff(
        &self,
        id: ConversationId,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Owner> {
        // The owner is read back in the same transaction: it is the one this pause left.
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        sqlx::query(
            "UPDATE conversations SET owner = 'paused', updated_at = $3, paused_until = \
             CASE WHEN owner = 'paused' AND paused_until > $2 THEN paused_until ELSE $2 END \
             WHERE id = $1 AND owner <> 'human'",
        )
        .bind(id.0)
        .bind(until)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("pause the bot for staff"))?;
        let owner = Self::owner_in(&mut tx, id).await;
        tx.commit().await.map_err(StoreError::db("commit a staff pause"))?;
        owner?.ok_or(StoreError::NotFound("conversation"))
    }

    async fn claim_lease(
        &self,
        id: ConversationId,
        holder: &str,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE conversations SET lease_holder = $2, lease_until = $3 \
             WHERE id = $1 AND (lease_holder IS NULL OR lease_holder = $2 OR lease_until <= $4)",
        )
        .bind(id.0)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("claim a conversation"))?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn release_lease(&self, id: ConversationId, holder: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE conversations SET lease_holder = NULL, lease_until = NULL WHERE id = $1 AND lease_holder = $2",
        )
        .bind(id.0)
        .bind(holder)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("release a conversation"))?;
        Ok(())
    }
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
    /// The conversation's owner as the caller's transaction sees it; `None` if there is no
    /// such conversation.
    async fn owner_in(tx: &mut Transaction<'_, DB>, id: ConversationId) -> StoreResult<Option<Owner>> {
        let owner: Option<(String, Option<DateTime<Utc>>)> =
            sqlx::query_as("SELECT owner, paused_until FROM conversations WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut **tx)
                .await
                .map_err(StoreError::db("read a conversation's owner"))?;
        owner.map(|(owner, until)| rows::owner_of(&owner, until)).transpose()
    }
}
