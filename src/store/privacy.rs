//! LGPD: erasing a patient's personal data everywhere Sofia keeps it, and purging old message
//! bodies after the retention period.
//!
//! Erasing keeps what the clinic must keep — the appointments (dates, services, prices, fees)
//! and the package sessions, so counts and money still add up — under a patient whose phone is
//! replaced by a placeholder (`+000` and twelve digits of its id: unique, and still a phone to
//! the schema) and whose name is gone. Everything else that names or quotes the person is
//! blanked or deleted, in one transaction: message bodies and raw payloads, the conversation's
//! state (what Sofia knew), tool-call arguments and results, handoff reasons and summaries,
//! timeline entries, the lead's contact and facts, the Chatwoot contact link, dead letters and
//! Chatwoot events that quote the phone or a message, and anything still waiting to be sent
//! (replies, reminders and alerts, waitlist places).
//! The erasure itself is audited, without personal data.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use sofia_core::domain::{ClinicId, ConversationId, PatientId, Phone};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Transaction, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType, placeholders};
use super::{StoreError, StoreResult};

/// What an erasure changed, for the audit and the operator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Erasure {
    pub conversations: u64,
    pub messages: u64,
    /// Replies and proactive messages that were waiting to be sent, and are not.
    pub unsent_messages: u64,
    pub appointments_kept: u64,
    pub dead_letters: u64,
    pub chatwoot_events: u64,
    /// CRM deliveries about the patient not yet delivered (dropped), or delivered (blanked).
    pub crm_deliveries: u64,
}

/// Message text shorter than this is not looked for in raw payloads ("oi", "sim" would match
/// other people's).
const QUOTED_TEXT_MIN_CHARS: usize = 8;

#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Erases the patient's personal data (see the module's documentation). `None` if the
    /// clinic has no such patient; erasing twice finds nothing left to erase.
    async fn erase_patient(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        requested_by: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Erasure>>;

    /// The patient's conversations: linked to them, or from their phone.
    async fn patient_conversations(
        &self,
        clinic: ClinicId,
        patient: PatientId,
    ) -> StoreResult<Vec<ConversationId>>;

    /// Blanks the bodies and raw payloads of messages created before `before` (the retention
    /// period); returns how many. Messages still to be answered or sent are left alone.
    async fn purge_message_bodies(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// The placeholder phone of an erased patient: `+000` and twelve digits of its id.
pub fn erased_phone(patient: PatientId) -> Phone {
    let digits = patient.0.as_u128() % 1_000_000_000_000;
    Phone::parse(&format!("+000{digits:012}")).unwrap_or_else(|_| unreachable!("fifteen digits parse"))
}

#[async_trait]
impl<DB> PrivacyStore for SqlStore<DB>
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
    async fn erase_patient(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        requested_by: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Erasure>> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin"))?;
        let phone: Option<String> =
            sqlx::query_scalar("SELECT phone FROM patients WHERE clinic_id = $1 AND id = $2")
                .bind(clinic.0)
                .bind(patient.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::db("find the patient to erase"))?;
        let Some(phone) = phone else { return Ok(None) };
        let placeholder = erased_phone(patient);
        let conversations: Vec<Uuid> = sqlx::query_scalar(
            "SELECT id FROM conversations WHERE clinic_id = $1 AND (patient_id = $2 OR phone = $3)",
        )
        .bind(clinic.0)
        .bind(patient.0)
        .bind(phone.as_str())
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::db("find the patient's conversations"))?;

        // What raw payloads may quote: the phone's digits and what the patient wrote.
        let mut needles = vec![phone.trim_start_matches('+').to_owned()];
        needles.extend(Self::patient_texts(&mut tx, &conversations).await?);

        let mut erasure = Erasure { conversations: conversations.len() as u64, ..Erasure::default() };
        erasure.unsent_messages = Self::in_conversations(
            &mut tx,
            &conversations,
            "DELETE FROM messages WHERE direction = 'outbound' AND delivery_status = 'pending' AND conversation_id IN",
            "drop the patient's unsent messages",
        )
        .await?;
        erasure.messages = Self::in_conversations(
            &mut tx,
            &conversations,
            "UPDATE messages SET body = '', payload = '{}', error = NULL WHERE conversation_id IN",
            "blank the patient's messages",
        )
        .await?;
        let blank_in_conversations = [
            (
                "DELETE FROM chatwoot_deliveries WHERE status = 'pending' AND conversation_id IN",
                "drop unsent mirrors",
            ),
            ("DELETE FROM chatwoot_links WHERE conversation_id IN", "drop the Chatwoot contact link"),
            (
                "UPDATE audit_log SET arguments = '{}', result = '{}' WHERE conversation_id IN",
                "blank tool calls",
            ),
            (
                "UPDATE handoffs SET reason = '', summary = '' WHERE conversation_id IN",
                "blank handoff reasons",
            ),
        ];
        for (statement, operation) in blank_in_conversations {
            Self::in_conversations(&mut tx, &conversations, statement, operation).await?;
        }
        let sql = format!(
            "UPDATE conversations SET phone = $1, state = '{{}}', updated_at = $2 WHERE id IN ({})",
            placeholders(3, conversations.len())
        );
        if !conversations.is_empty() {
            let mut query = sqlx::query(&sql).bind(placeholder.as_str()).bind(now);
            for id in &conversations {
                query = query.bind(*id);
            }
            query.execute(&mut *tx).await.map_err(StoreError::db("forget the conversation"))?;
        }

        let by_patient = [
            (
                "UPDATE interactions SET summary = '', data = '{}' WHERE clinic_id = $1 AND (patient_id = $2 \
                 OR lead_id IN (SELECT id FROM leads WHERE clinic_id = $1 AND (patient_id = $2 OR phone = $3)))",
                "blank the timeline",
            ),
            (
                "UPDATE leads SET phone = $4, name = NULL, interest = NULL, facts = '{}', updated_at = $5 \
                 WHERE clinic_id = $1 AND (patient_id = $2 OR phone = $3)",
                "anonymise the lead",
            ),
            (
                "UPDATE jobs SET state = 'skipped', outcome = 'patient erased', updated_at = $5 \
                 WHERE clinic_id = $1 AND state = 'due' AND (appointment_id IN \
                 (SELECT id FROM appointments WHERE patient_id = $2) OR patient_package_id IN \
                 (SELECT id FROM patient_packages WHERE patient_id = $2))",
                "cancel proactive work",
            ),
            (
                "UPDATE waitlist SET status = 'expired', updated_at = $5 \
                 WHERE clinic_id = $1 AND patient_id = $2 AND status IN ('waiting', 'offered')",
                "take the patient off the waitlist",
            ),
            (
                "UPDATE appointments SET cancellation_reason = NULL WHERE clinic_id = $1 AND patient_id = $2",
                "blank cancellation reasons",
            ),
            (
                "UPDATE patients SET phone = $4, name = NULL, opted_out_at = COALESCE(opted_out_at, $5), \
                 updated_at = $5 WHERE clinic_id = $1 AND id = $2",
                "anonymise the patient",
            ),
        ];
        for (statement, operation) in by_patient {
            sqlx::query(statement)
                .bind(clinic.0)
                .bind(patient.0)
                .bind(phone.as_str())
                .bind(placeholder.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db(operation))?;
        }
        erasure.appointments_kept = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM appointments WHERE clinic_id = $1 AND patient_id = $2",
        )
        .bind(clinic.0)
        .bind(patient.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::db("count the kept appointments"))?
        .unsigned_abs();
        erasure.dead_letters = Self::drop_quoting_dead_letters(&mut tx, clinic, &needles).await?;
        erasure.chatwoot_events = Self::drop_quoting_chatwoot_events(&mut tx, clinic, &needles).await?;
        erasure.crm_deliveries = Self::forget_crm_deliveries(&mut tx, clinic, &needles).await?;

        let arguments = json!({ "patient": patient.0, "requested_by": requested_by });
        let result = json!(erasure);
        sqlx::query(
            "INSERT INTO audit_log (id, clinic_id, conversation_id, tool, arguments, result, outcome, duration_ms, \
             created_at) VALUES ($1, $2, NULL, 'erase_patient', $3, $4, 'ok', 0, $5)",
        )
        .bind(Uuid::now_v7())
        .bind(clinic.0)
        .bind(Json(&arguments))
        .bind(Json(&result))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("audit the erasure"))?;
        tx.commit().await.map_err(StoreError::db("commit the erasure"))?;
        Ok(Some(erasure))
    }

    async fn patient_conversations(
        &self,
        clinic: ClinicId,
        patient: PatientId,
    ) -> StoreResult<Vec<ConversationId>> {
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "SELECT id FROM conversations WHERE clinic_id = $1 AND (patient_id = $2 \
             OR phone = (SELECT phone FROM patients WHERE clinic_id = $1 AND id = $2)) ORDER BY created_at, id",
        )
        .bind(clinic.0)
        .bind(patient.0)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("find the patient's conversations"))?;
        Ok(ids.into_iter().map(ConversationId).collect())
    }

    async fn purge_message_bodies(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE messages SET body = '', payload = '{}' WHERE created_at < $1 AND body <> '' \
             AND processed_at IS NOT NULL",
        )
        .bind(before)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("purge old message bodies"))?;
        Ok(DB::rows_affected(&done))
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
    /// Runs `statement` (ending in `… IN`) over the conversations; how many rows it touched.
    async fn in_conversations(
        tx: &mut Transaction<'_, DB>,
        conversations: &[Uuid],
        statement: &str,
        operation: &'static str,
    ) -> StoreResult<u64> {
        if conversations.is_empty() {
            return Ok(0);
        }
        let sql = format!("{statement} ({})", placeholders(1, conversations.len()));
        let mut query = sqlx::query(&sql);
        for id in conversations {
            query = query.bind(*id);
        }
        let done = query.execute(&mut **tx).await.map_err(StoreError::db(operation))?;
        Ok(DB::rows_affected(&done))
    }

    /// What the patient wrote, long enough to be theirs alone when found in a raw payload.
    async fn patient_texts(tx: &mut Transaction<'_, DB>, conversations: &[Uuid]) -> StoreResult<Vec<String>> {
        if conversations.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT body FROM messages WHERE direction = 'inbound' AND conversation_id IN ({})",
            placeholders(1, conversations.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for id in conversations {
            query = query.bind(*id);
        }
        let bodies =
            query.fetch_all(&mut **tx).await.map_err(StoreError::db("read what the patient wrote"))?;
        Ok(bodies
            .into_iter()
            .map(|body| body.trim().to_owned())
            .filter(|body| body.chars().count() >= QUOTED_TEXT_MIN_CHARS)
            .collect())
    }

    /// Deletes the clinic's dead letters (and those of no channel) that quote the patient.
    async fn drop_quoting_dead_letters(
        tx: &mut Transaction<'_, DB>,
        clinic: ClinicId,
        needles: &[String],
    ) -> StoreResult<u64> {
        let letters: Vec<(Uuid, Vec<u8>)> = sqlx::query_as(
            "SELECT id, body FROM dead_letters WHERE channel_id IS NULL \
             OR channel_id IN (SELECT id FROM channels WHERE clinic_id = $1)",
        )
        .bind(clinic.0)
        .fetch_all(&mut **tx)
        .await
        .map_err(StoreError::db("read dead letters"))?;
        let quoting: Vec<Uuid> = letters
            .into_iter()
            .filter(|(_, body)| quotes(&String::from_utf8_lossy(body), needles))
            .map(|(id, _)| id)
            .collect();
        Self::delete_ids(tx, "dead_letters", &quoting, "drop dead letters quoting the patient").await
    }

    /// Deletes the clinic's stored Chatwoot events that quote the patient.
    async fn drop_quoting_chatwoot_events(
        tx: &mut Transaction<'_, DB>,
        clinic: ClinicId,
        needles: &[String],
    ) -> StoreResult<u64> {
        let events: Vec<(Uuid, Json<Value>)> =
            sqlx::query_as("SELECT id, payload FROM chatwoot_events WHERE clinic_id = $1")
                .bind(clinic.0)
                .fetch_all(&mut **tx)
                .await
                .map_err(StoreError::db("read Chatwoot events"))?;
        let quoting: Vec<Uuid> = events
            .into_iter()
            .filter(|(_, payload)| quotes(&payload.0.to_string(), needles))
            .map(|(id, _)| id)
            .collect();
        Self::delete_ids(tx, "chatwoot_events", &quoting, "drop Chatwoot events quoting the patient").await
    }

    /// CRM deliveries that quote the patient: one not yet delivered is not sent at all; the
    /// body of one delivered is blanked (the CRM has it; Sofia keeps no copy).
    async fn forget_crm_deliveries(
        tx: &mut Transaction<'_, DB>,
        clinic: ClinicId,
        needles: &[String],
    ) -> StoreResult<u64> {
        let deliveries: Vec<(Uuid, String, String)> =
            sqlx::query_as("SELECT id, state, body FROM crm_deliveries WHERE clinic_id = $1")
                .bind(clinic.0)
                .fetch_all(&mut **tx)
                .await
                .map_err(StoreError::db("read CRM deliveries"))?;
        let (delivered, waiting): (Vec<_>, Vec<_>) = deliveries
            .into_iter()
            .filter(|(_, _, body)| quotes(body, needles))
            .partition(|(_, state, _)| state == "delivered");
        let waiting: Vec<Uuid> = waiting.into_iter().map(|(id, ..)| id).collect();
        let mut forgotten =
            Self::delete_ids(tx, "crm_deliveries", &waiting, "drop CRM deliveries about the patient").await?;
        for (id, ..) in delivered {
            let done = sqlx::query("UPDATE crm_deliveries SET body = '{}' WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await
                .map_err(StoreError::db("blank a delivered CRM event"))?;
            forgotten += DB::rows_affected(&done);
        }
        Ok(forgotten)
    }

    async fn delete_ids(
        tx: &mut Transaction<'_, DB>,
        table: &'static str,
        ids: &[Uuid],
        operation: &'static str,
    ) -> StoreResult<u64> {
        let mut deleted = 0;
        for chunk in ids.chunks(500) {
            let sql = format!("DELETE FROM {table} WHERE id IN ({})", placeholders(1, chunk.len()));
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            let done = query.execute(&mut **tx).await.map_err(StoreError::db(operation))?;
            deleted += DB::rows_affected(&done);
        }
        Ok(deleted)
    }
}

/// Whether `text` contains any of `needles`, as written or as JSON escapes them.
fn quotes(text: &str, needles: &[String]) -> bool {
    needles.iter().any(|needle| {
        text.contains(needle.as_str())
            || serde_json::to_string(needle).is_ok_and(|quoted| text.contains(quoted.trim_matches('"')))
    })
}
