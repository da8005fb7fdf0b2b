//! The admin API's reads: a clinic's handoffs, leads, appointments, patients and
//! conversations, filtered and read a page at a time; and the facts of a period its metrics
//! are computed from.
//!
//! Pages are keyset pages: each row sorts by a time and its id, and the next page starts after
//! the last row's pair ([`After`]), so a row written meanwhile neither repeats nor shifts a
//! page, and a deep page costs what the first does.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{
    AppointmentId, AppointmentStatus, ClinicId, ConversationId, FunnelStage, PatientId, Phone,
    ProfessionalId, Temperature,
};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::rows::{
    APPOINTMENT_COLUMNS, AppointmentRow, CONVERSATION_COLUMNS, ConversationRow, HANDOFF_COLUMNS, HandoffRow,
    LEAD_COLUMNS, LeadRow, MESSAGE_COLUMNS, MessageRow, PATIENT_COLUMNS, PatientRow,
};
use super::{Appointment, Conversation, Handoff, Lead, Patient, StoreError, StoreResult, StoredMessage};

/// Where a page starts: after the row with this sort time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct After {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

/// Which page: the first when `after` is `None`, at most `limit` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub after: Option<After>,
    pub limit: u32,
}

/// A clinic's appointments, by any of: start in `[from, to)`, professional, status, patient.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppointmentFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub professional: Option<ProfessionalId>,
    pub status: Option<AppointmentStatus>,
    pub patient: Option<PatientId>,
}

/// A clinic's patients whose phone contains `phone_digits` and whose name contains `name`
/// (either, both, or neither for every patient).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PatientSearch {
    pub phone_digits: Option<String>,
    pub name: Option<String>,
}

/// A handoff and the phone of its conversation: who is waiting.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoffWithPhone {
    pub handoff: Handoff,
    pub phone: Phone,
}

/// A conversation and when its last message was written.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationSummary {
    pub conversation: Conversation,
    pub last_activity_at: Option<DateTime<Utc>>,
}

/// What a period's metrics are computed from (`admin::metrics`), read in one go.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodFacts {
    /// Appointments starting in the period.
    pub appointments: Vec<(AppointmentId, AppointmentStatus)>,
    /// Appointments a patient confirmed (a `confirmed` interaction names them), from
    /// [`CONFIRMED_SINCE`] before the period to its end.
    pub confirmed: Vec<AppointmentId>,
    /// Leads created in the period, as they stand now.
    pub leads: Vec<(Temperature, FunnelStage)>,
    /// Conversations in which the patient wrote during the period.
    pub conversations: u64,
    /// Handoffs opened in the period: when, and when a person first wrote after it.
    pub handoffs: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

/// How long before a period its appointments may have been confirmed (booking horizon and
/// reminders both fall well within it).
pub const CONFIRMED_SINCE: chrono::Duration = chrono::Duration::days(120);

#[async_trait]
pub trait ListingStore: Send + Sync {
    /// The facts of `[from, to)`.
    async fn period_facts(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<PeriodFacts>;
    /// Handoffs by opening time, with their conversation's phone.
    async fn list_handoffs(
        &self,
        clinic: ClinicId,
        only_open: bool,
        page: PageRequest,
    ) -> StoreResult<Vec<HandoffWithPhone>>;
    /// Leads by creation time.
    async fn list_leads(
        &self,
        clinic: ClinicId,
        stage: Option<FunnelStage>,
        temperature: Option<Temperature>,
        page: PageRequest,
    ) -> StoreResult<Vec<Lead>>;
    /// Appointments by start.
    async fn list_appointments(
        &self,
        clinic: ClinicId,
        filter: &AppointmentFilter,
        page: PageRequest,
    ) -> StoreResult<Vec<Appointment>>;
    /// Patients by creation time.
    async fn search_patients(
        &self,
        clinic: ClinicId,
        search: &PatientSearch,
        page: PageRequest,
    ) -> StoreResult<Vec<Patient>>;
    /// Conversations by creation time, with their last activity.
    async fn list_conversations(
        &self,
        clinic: ClinicId,
        page: PageRequest,
    ) -> StoreResult<Vec<ConversationSummary>>;
    /// A conversation's messages, oldest first, a page at a time.
    async fn transcript_page(
        &self,
        conversation: ConversationId,
        page: PageRequest,
    ) -> StoreResult<Vec<StoredMessage>>;
}

/// `LIKE` treats `%` and `_` as wildcards: a search for them finds them literally.
fn like_pattern(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// The keyset condition on `at_column` and `id`, with the page's parameters `$n` and `$n+1`.
fn after_clause(at_column: &str, n: usize) -> String {
    format!("(${n} IS NULL OR {at_column} > ${n} OR ({at_column} = ${n} AND id > ${}))", n + 1)
}

#[derive(sqlx::FromRow)]
struct StatusRow {
    id: Uuid,
    status: String,
}

#[derive(sqlx::FromRow)]
struct QualificationRow {
    temperature: String,
    stage: String,
}

#[derive(sqlx::FromRow)]
struct ReplyRow {
    created_at: DateTime<Utc>,
    first_reply_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct HandoffPhoneRow {
    #[sqlx(flatten)]
    handoff: HandoffRow,
    phone: String,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    conversation: ConversationRow,
    last_activity_at: Option<DateTime<Utc>>,
}

#[async_trait]
impl<DB> ListingStore for SqlStore<DB>
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
    async fn period_facts(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<PeriodFacts> {
        let corrupt = |table, problem: String| StoreError::Corrupt { table, problem };
        let statuses: Vec<StatusRow> = sqlx::query_as(
            "SELECT id, status FROM appointments WHERE clinic_id = $1 AND starts_at >= $2 AND starts_at < $3",
        )
        .bind(clinic.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("read a period's appointments"))?;
        let appointments = statuses
            .into_iter()
            .map(|row| {
                let status = AppointmentStatus::parse(&row.status)
                    .ok_or_else(|| corrupt("appointments", format!("status '{}'", row.status)))?;
                Ok((AppointmentId(row.id), status))
            })
            .collect::<StoreResult<_>>()?;
        let confirmations: Vec<(Json<Value>,)> = sqlx::query_as(
            "SELECT data FROM interactions WHERE clinic_id = $1 AND kind = 'confirmed' \
             AND created_at >= $2 AND created_at < $3",
        )
        .bind(clinic.0)
        .bind(from - CONFIRMED_SINCE)
        .bind(to)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("read a period's confirmations"))?;
        let confirmed = confirmations
            .into_iter()
            .filter_map(|(data,)| data.0.get("appointment_id")?.as_str()?.parse().ok())
            .collect();
        let qualifications: Vec<QualificationRow> = sqlx::query_as(
            "SELECT temperature, stage FROM leads WHERE clinic_id = $1 AND created_at >= $2 AND created_at < $3",
        )
        .bind(clinic.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("read a period's leads"))?;
        let leads = qualifications
            .into_iter()
            .map(|row| {
                let temperature = Temperature::parse(&row.temperature)
                    .ok_or_else(|| corrupt("leads", format!("temperature '{}'", row.temperature)))?;
                let stage = FunnelStage::parse(&row.stage)
                    .ok_or_else(|| corrupt("leads", format!("stage '{}'", row.stage)))?;
                Ok((temperature, stage))
            })
            .collect::<StoreResult<_>>()?;
        let (conversations,): (i64,) = sqlx::query_as(
            "SELECT COUNT(DISTINCT conversation_id) FROM messages WHERE clinic_id = $1 AND author = 'patient' \
             AND created_at >= $2 AND created_at < $3",
        )
        .bind(clinic.0)
        .bind(from)
        .bind(to)
        .fetch_one(&self.reader)
        .await
        .map_err(StoreError::db("count a period's conversations"))?;
        let replies: Vec<ReplyRow> = sqlx::query_as(
            "SELECT h.created_at, (SELECT MIN(m.created_at) FROM messages m WHERE m.conversation_id = h.conversation_id \
             AND m.author IN ('agent', 'staff_phone') AND m.created_at >= h.created_at) AS first_reply_at \
             FROM handoffs h WHERE h.clinic_id = $1 AND h.created_at >= $2 AND h.created_at < $3",
        )
        .bind(clinic.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("read a period's handoffs"))?;
        Ok(PeriodFacts {
            appointments,
            confirmed,
            leads,
            conversations: u64::try_from(conversations).unwrap_or(0),
            handoffs: replies.into_iter().map(|row| (row.created_at, row.first_reply_at)).collect(),
        })
    }

    async fn list_handoffs(
        &self,
        clinic: ClinicId,
        only_open: bool,
        page: PageRequest,
    ) -> StoreResult<Vec<HandoffWithPhone>> {
        let sql = format!(
            "SELECT {HANDOFF_COLUMNS}, \
             (SELECT c.phone FROM conversations c WHERE c.id = handoffs.conversation_id) AS phone \
             FROM handoffs WHERE clinic_id = $1 AND ($2 = false OR status = 'open') \
             AND {} ORDER BY created_at, id LIMIT $5",
            after_clause("created_at", 3)
        );
        let rows: Vec<HandoffPhoneRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(only_open)
            .bind(page.after.map(|a| a.at))
            .bind(page.after.map(|a| a.id))
            .bind(i64::from(page.limit))
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("list handoffs"))?;
        rows.into_iter()
            .map(|row| {
                let phone = Phone::parse(&row.phone).map_err(|e| StoreError::Corrupt {
                    table: "conversations",
                    problem: format!("phone: {e}"),
                })?;
                Ok(HandoffWithPhone { handoff: row.handoff.try_into()?, phone })
            })
            .collect()
    }

    async fn list_leads(
        &self,
        clinic: ClinicId,
        stage: Option<FunnelStage>,
        temperature: Option<Temperature>,
        page: PageRequest,
    ) -> StoreResult<Vec<Lead>> {
        let sql = format!(
            "SELECT {LEAD_COLUMNS} FROM leads WHERE clinic_id = $1 AND ($2 IS NULL OR stage = $2) \
             AND ($3 IS NULL OR temperature = $3) AND {} ORDER BY created_at, id LIMIT $6",
            after_clause("created_at", 4)
        );
        let rows: Vec<LeadRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(stage.map(FunnelStage::as_str))
            .bind(temperature.map(Temperature::as_str))
            .bind(page.after.map(|a| a.at))
            .bind(page.after.map(|a| a.id))
            .bind(i64::from(page.limit))
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("list leads"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn list_appointments(
        &self,
        clinic: ClinicId,
        filter: &AppointmentFilter,
        page: PageRequest,
    ) -> StoreResult<Vec<Appointment>> {
        let sql = format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments WHERE clinic_id = $1 \
             AND ($2 IS NULL OR starts_at >= $2) AND ($3 IS NULL OR starts_at < $3) \
             AND ($4 IS NULL OR professional_id = $4) AND ($5 IS NULL OR status = $5) \
             AND ($6 IS NULL OR patient_id = $6) AND {} ORDER BY starts_at, id LIMIT $9",
            after_clause("starts_at", 7)
        );
        let rows: Vec<AppointmentRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(filter.from)
            .bind(filter.to)
            .bind(filter.professional.map(|p| p.0))
            .bind(filter.status.map(AppointmentStatus::as_str))
            .bind(filter.patient.map(|p| p.0))
            .bind(page.after.map(|a| a.at))
            .bind(page.after.map(|a| a.id))
            .bind(i64::from(page.limit))
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("list appointments"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn search_patients(
        &self,
        clinic: ClinicId,
        search: &PatientSearch,
        page: PageRequest,
    ) -> StoreResult<Vec<Patient>> {
        let sql = format!(
            "SELECT {PATIENT_COLUMNS} FROM patients WHERE clinic_id = $1 \
             AND ($2 IS NULL OR phone LIKE $2 ESCAPE '\\') AND ($3 IS NULL OR LOWER(name) LIKE $3 ESCAPE '\\') \
             AND {} ORDER BY created_at, id LIMIT $6",
            after_clause("created_at", 4)
        );
        let phone = search.phone_digits.as_deref().map(like_pattern);
        let name = search.name.as_deref().map(|name| like_pattern(&name.to_lowercase()));
        let rows: Vec<PatientRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(phone.as_deref())
            .bind(name.as_deref())
            .bind(page.after.map(|a| a.at))
            .bind(page.after.map(|a| a.id))
            .bind(i64::from(page.limit))
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("search patients"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn list_conversations(
        &self,
        clinic: ClinicId,
        page: PageRequest,
    ) -> StoreResult<Vec<ConversationSummary>> {
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS}, \
             (SELECT MAX(m.created_at) FROM messages m WHERE m.conversation_id = conversations.id) AS last_activity_at \
             FROM conversations WHERE clinic_id = $1 AND {} ORDER BY created_at, id LIMIT $4",
            after_clause("created_at", 2)
        );
        let rows: Vec<SummaryRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(page.after.map(|a| a.at))
            .bind(page.after.map(|a| a.id))
            .bind(i64::from(page.limit))
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("list conversations"))?;
        rows.into_iter()
            .map(|row| {
                Ok(ConversationSummary {
                    conversation: row.conversation.try_into()?,
                    last_activity_at: row.last_activity_at,
                })
            })
            .collect()
    }

    async fn transcript_page(
        &self,
        conversation: ConversationId,
        page: PageRequest,
    ) -> StoreResult<Vec<StoredMessage>> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND {} \
             ORDER BY created_at, id LIMIT $4",
            after_clause("created_at", 2)
        );
        let rows: Vec<MessageRow> = sqlx::query_as(&sql)
            .bind(conversation.0)
            .bind(page.after.map(|a| a.at))
            .bind(page.after.map(|a| a.id))
            .bind(i64::from(page.limit))
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("read a page of a transcript"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_a_search_are_literal() {
        assert_eq!(like_pattern("ana"), "%ana%");
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
