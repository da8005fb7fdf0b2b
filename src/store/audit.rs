//! Tool-call audit and the interactions timeline.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{ClinicId, ConversationId, PatientId};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::rows::{AUDIT_COLUMNS, AuditRow, INTERACTION_COLUMNS, InteractionRow};
use super::{AuditEntry, Interaction, StoreError, StoreResult};

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn record_tool_call(&self, entry: &AuditEntry) -> StoreResult<()>;
    async fn tool_calls(&self, conversation: ConversationId) -> StoreResult<Vec<AuditEntry>>;
    async fn record_interaction(&self, interaction: &Interaction) -> StoreResult<()>;
    async fn interactions(&self, clinic: ClinicId, patient: PatientId) -> StoreResult<Vec<Interaction>>;
}

#[async_trait]
impl<DB> AuditStore for SqlStore<DB>
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
    async fn record_tool_call(&self, entry: &AuditEntry) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (id, clinic_id, conversation_id, tool, arguments, result, outcome, \
             duration_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(Uuid::new_v4())
        .bind(entry.clinic_id.0)
        .bind(entry.conversation_id.map(|c| c.0))
        .bind(entry.tool.as_str())
        .bind(Json(&entry.arguments))
        .bind(Json(&entry.result))
        .bind(entry.outcome.as_str())
        .bind(i32::try_from(entry.duration_ms).unwrap_or(i32::MAX))
        .bind(entry.created_at)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("audit a tool call"))?;
        Ok(())
    }

    async fn tool_calls(&self, conversation: ConversationId) -> StoreResult<Vec<AuditEntry>> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE conversation_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<AuditRow> = sqlx::query_as(&sql)
            .bind(conversation.0)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("read the audit log"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn record_interaction(&self, interaction: &Interaction) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO interactions (id, clinic_id, patient_id, lead_id, kind, summary, data, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::new_v4())
        .bind(interaction.clinic_id.0)
        .bind(interaction.patient_id.map(|p| p.0))
        .bind(interaction.lead_id.map(|l| l.0))
        .bind(interaction.kind.as_str())
        .bind(interaction.summary.as_str())
        .bind(Json(&interaction.data))
        .bind(interaction.created_at)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("record an interaction"))?;
        Ok(())
    }

    async fn interactions(&self, clinic: ClinicId, patient: PatientId) -> StoreResult<Vec<Interaction>> {
        let sql = format!(
            "SELECT {INTERACTION_COLUMNS} FROM interactions WHERE clinic_id = $1 AND patient_id = $2 \
             ORDER BY created_at, id"
        );
        let rows: Vec<InteractionRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(patient.0)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("read interactions"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }
}
