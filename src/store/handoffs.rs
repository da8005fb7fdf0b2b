//! Handoffs: a person of the clinic's team owns a conversation until the handoff is resolved.
//!
//! Opening a handoff makes its conversation human-owned and resolving it gives the conversation
//! back to the bot, each in one transaction, so "owner = human" and "an open handoff" never
//! disagree; the CRM events `handoff.opened` and `handoff.resolved` are queued in the same
//! transaction. The schema allows at most one open handoff per conversation.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{ClinicId, ConversationId, CrmEvent, HandoffId};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::rows::{HANDOFF_COLUMNS, HandoffRow, resolved_by_column};
use super::{Handoff, NewHandoff, ResolvedBy, StaffMember, StoreError, StoreResult};

#[async_trait]
pub trait HandoffStore: Send + Sync {
    /// Opens a handoff and makes its conversation human-owned (whatever owned it before), in
    /// one transaction. [`StoreError::HandoffOpen`] if the conversation already has an open one.
    async fn hand_to_human(&self, handoff: &NewHandoff) -> StoreResult<Handoff>;
    /// Resolves an open handoff and gives its conversation back to the bot, in one
    /// transaction. `NotFound("open handoff")` if there is no such handoff or it is resolved.
    async fn return_to_bot(&self, id: HandoffId, by: &ResolvedBy, now: DateTime<Utc>)
    -> StoreResult<Handoff>;
    /// Who on the team is answering the handoff (a Chatwoot assignment).
    async fn assign_handoff(&self, id: HandoffId, assignee: &StaffMember) -> StoreResult<Handoff>;
    async fn handoff(&self, id: HandoffId) -> StoreResult<Option<Handoff>>;
    /// The conversation's open handoff, if it has one.
    async fn open_handoff_of(&self, conversation: ConversationId) -> StoreResult<Option<Handoff>>;
    /// A clinic's handoffs, oldest first.
    async fn handoffs(&self, clinic: ClinicId, only_open: bool) -> StoreResult<Vec<Handoff>>;
    /// Open handoffs, of every clinic, opened at or before `since` in conversations where no
    /// person has written since then.
    async fn idle_handoffs(&self, since: DateTime<Utc>) -> StoreResult<Vec<Handoff>>;
    /// A person of the team wrote to the patient at `at`.
    async fn human_wrote(&self, conversation: ConversationId, at: DateTime<Utc>) -> StoreResult<()>;
}

#[async_trait]
impl<DB> HandoffStore for SqlStore<DB>
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
    async fn hand_to_human(&self, handoff: &NewHandoff) -> StoreResult<Handoff> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        let sql = format!(
            "INSERT INTO handoffs (id, clinic_id, conversation_id, reason, summary, opened_by, assignee, status, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING {HANDOFF_COLUMNS}"
        );
        let row: HandoffRow = sqlx::query_as(&sql)
            .bind(HandoffId::new_random().0)
            .bind(handoff.clinic_id.0)
            .bind(handoff.conversation_id.0)
            .bind(handoff.reason.as_str())
            .bind(handoff.summary.as_str())
            .bind(handoff.origin.as_str())
            .bind(handoff.assignee.as_ref().map(StaffMember::as_str))
            .bind(handoff.opened_at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|error| {
                // The partial unique index: one open handoff per conversation.
                if matches!(&error, sqlx::Error::Database(db) if db.is_unique_violation()) {
                    StoreError::HandoffOpen
                } else {
                    StoreError::Database { operation: "record a handoff", source: error }
                }
            })?;
        let done = sqlx::query(
            "UPDATE conversations SET owner = 'human', paused_until = NULL, updated_at = $2 WHERE id = $1",
        )
        .bind(handoff.conversation_id.0)
        .bind(handoff.opened_at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("give a conversation to a human"))?;
        if DB::rows_affected(&done) == 0 {
            return Err(StoreError::NotFound("conversation"));
        }
        let opened: Handoff = row.try_into()?;
        Self::handoff_event(&mut tx, CrmEvent::HandoffOpened, &opened, handoff.opened_at).await?;
        tx.commit().await.map_err(StoreError::db("commit a handoff"))?;
        Ok(opened)
    }

    async fn return_to_bot(
        &self,
        id: HandoffId,
        by: &ResolvedBy,
        now: DateTime<Utc>,
    ) -> StoreResult<Handoff> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        let sql = format!(
            "UPDATE handoffs SET status = 'resolved', resolved_at = $2, resolved_by = $3 \
             WHERE id = $1 AND status = 'open' RETURNING {HANDOFF_COLUMNS}"
        );
        let row: Option<HandoffRow> = sqlx::query_as(&sql)
            .bind(id.0)
            .bind(now)
            .bind(resolved_by_column(by))
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::db("resolve a handoff"))?;
        let handoff: Handoff = row.ok_or(StoreError::NotFound("open handoff"))?.try_into()?;
        // Only a human-owned conversation changes hands: a conversation staff paused on the
        // phone since stays paused.
        sqlx::query(
            "UPDATE conversations SET owner = 'bot', paused_until = NULL, updated_at = $2 \
             WHERE id = $1 AND owner = 'human'",
        )
        .bind(handoff.conversation_id.0)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("give a conversation back to the bot"))?;
        Self::handoff_event(&mut tx, CrmEvent::HandoffResolved, &handoff, now).await?;
        tx.commit().await.map_err(StoreError::db("commit a resolved handoff"))?;
        Ok(handoff)
    }

    async fn assign_handoff(&self, id: HandoffId, assignee: &StaffMember) -> StoreResult<Handoff> {
        let sql = format!(
            "UPDATE handoffs SET assignee = $2 WHERE id = $1 AND status = 'open' RETURNING {HANDOFF_COLUMNS}"
        );
        let row: Option<HandoffRow> = sqlx::query_as(&sql)
            .bind(id.0)
            .bind(assignee.as_str())
            .fetch_optional(&self.writer)
            .await
            .map_err(StoreError::db("assign a handoff"))?;
        row.ok_or(StoreError::NotFound("open handoff"))?.try_into()
    }

    async fn handoff(&self, id: HandoffId) -> StoreResult<Option<Handoff>> {
        let sql = format!("SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE id = $1");
        let row: Option<HandoffRow> = sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("read a handoff"))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn open_handoff_of(&self, conversation: ConversationId) -> StoreResult<Option<Handoff>> {
        let sql =
            format!("SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE conversation_id = $1 AND status = 'open'");
        let row: Option<HandoffRow> = sqlx::query_as(&sql)
            .bind(conversation.0)
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("read a conversation's handoff"))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn handoffs(&self, clinic: ClinicId, only_open: bool) -> StoreResult<Vec<Handoff>> {
        let sql = format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE clinic_id = $1 AND ($2 = false OR status = 'open') \
             ORDER BY created_at, id"
        );
        let rows: Vec<HandoffRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(only_open)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("list handoffs"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn idle_handoffs(&self, since: DateTime<Utc>) -> StoreResult<Vec<Handoff>> {
        let sql = format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE status = 'open' AND created_at <= $1 \
             AND conversation_id IN (SELECT id FROM conversations WHERE human_wrote_at IS NULL OR human_wrote_at <= $1) \
             ORDER BY created_at, id"
        );
        let rows: Vec<HandoffRow> = sqlx::query_as(&sql)
            .bind(since)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("find idle handoffs"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn human_wrote(&self, conversation: ConversationId, at: DateTime<Utc>) -> StoreResult<()> {
        // Never moves back: a late report of an older message does not shorten the wait.
        let done = sqlx::query(
            "UPDATE conversations SET human_wrote_at = CASE WHEN human_wrote_at IS NULL OR human_wrote_at < $2 \
             THEN $2 ELSE human_wrote_at END, updated_at = $2 WHERE id = $1",
        )
        .bind(conversation.0)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("record that a person wrote"))?;
        if DB::rows_affected(&done) == 0 { Err(StoreError::NotFound("conversation")) } else { Ok(()) }
    }
}
