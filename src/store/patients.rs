//! Patients and leads. Saving a lead and an opt-out queue their CRM events (`lead.qualified`
//! once, `lead.stage_changed`, `patient.opted_out`) in their own transaction.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{ClinicId, FunnelStage, PatientId, Phone, Temperature};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::rows::{LEAD_COLUMNS, LeadRow, PATIENT_COLUMNS, PatientRow};
use super::{Lead, Patient, StoreError, StoreResult};

#[async_trait]
pub trait PatientStore: Send + Sync {
    /// The patient with this phone, created if new. A name fills a missing one but never
    /// overwrites a name the clinic already has.
    async fn upsert_patient(
        &self,
        clinic: ClinicId,
        phone: &Phone,
        name: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Patient>;
    async fn patient_by_phone(&self, clinic: ClinicId, phone: &Phone) -> StoreResult<Option<Patient>>;
    /// The patient, if they are this clinic's.
    async fn patient(&self, clinic: ClinicId, id: PatientId) -> StoreResult<Option<Patient>>;
    /// Records (or clears, with `None`) the patient's opt-out.
    async fn set_opted_out(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    /// Inserts the lead or replaces everything but its id and creation time (by clinic + phone).
    async fn save_lead(&self, lead: &Lead) -> StoreResult<Lead>;
    async fn lead_by_phone(&self, clinic: ClinicId, phone: &Phone) -> StoreResult<Option<Lead>>;
}

#[async_trait]
impl<DB> PatientStore for SqlStore<DB>
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
    async fn upsert_patient(
        &self,
        clinic: ClinicId,
        phone: &Phone,
        name: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Patient> {
        let sql = format!(
            "INSERT INTO patients (id, clinic_id, phone, name, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (clinic_id, phone) DO UPDATE SET name = COALESCE(patients.name, excluded.name), \
             updated_at = CASE WHEN patients.name IS NULL AND excluded.name IS NOT NULL \
             THEN excluded.updated_at ELSE patients.updated_at END \
             RETURNING {PATIENT_COLUMNS}"
        );
        let row: PatientRow = sqlx::query_as(&sql)
            .bind(PatientId::new_random().0)
            .bind(clinic.0)
            .bind(phone.as_str())
            .bind(name.map(str::trim).filter(|n| !n.is_empty()))
            .bind(now)
            .fetch_one(&self.writer)
            .await
            .map_err(StoreError::db("save a patient"))?;
        row.try_into()
    }

    async fn patient_by_phone(&self, clinic: ClinicId, phone: &Phone) -> StoreResult<Option<Patient>> {
        let sql = format!("SELECT {PATIENT_COLUMNS} FROM patients WHERE clinic_id = $1 AND phone = $2");
        let row: Option<PatientRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(phone.as_str())
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("find a patient"))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn patient(&self, clinic: ClinicId, id: PatientId) -> StoreResult<Option<Patient>> {
        let sql = format!("SELECT {PATIENT_COLUMNS} FROM patients WHERE clinic_id = $1 AND id = $2");
        let row: Option<PatientRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(id.0)
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("read a patient"))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn set_opted_out(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin an opt-out"))?;
        let before: Option<Option<DateTime<Utc>>> =
            sqlx::query_scalar("SELECT opted_out_at FROM patients WHERE clinic_id = $1 AND id = $2")
                .bind(clinic.0)
                .bind(patient.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::db("read an opt-out"))?;
        let Some(before) = before else { return Err(StoreError::NotFound("patient")) };
        sqlx::query(
            "UPDATE patients SET opted_out_at = $3, updated_at = COALESCE($3, updated_at) \
             WHERE clinic_id = $1 AND id = $2",
        )
        .bind(clinic.0)
        .bind(patient.0)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("record an opt-out"))?;
        // Told once, when the patient leaves; a repeated SAIR changes nothing the CRM must know.
        if let (None, Some(at)) = (before, at) {
            Self::opt_out_event(&mut tx, clinic, patient, at).await?;
        }
        tx.commit().await.map_err(StoreError::db("commit an opt-out"))
    }

    async fn save_lead(&self, lead: &Lead) -> StoreResult<Lead> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin saving a lead"))?;
        let before: Option<(String, Option<DateTime<Utc>>)> =
            sqlx::query_as("SELECT stage, qualified_at FROM leads WHERE clinic_id = $1 AND phone = $2")
                .bind(lead.clinic_id.0)
                .bind(lead.phone.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::db("read a lead"))?;
        let qualifies = lead.temperature == Temperature::Hot
            || matches!(lead.stage, FunnelStage::Scheduled | FunnelStage::Converted);
        let first_qualified = qualifies && before.as_ref().is_none_or(|(_, at)| at.is_none());
        // Set once: the first time the lead was hot or booked, whatever it became since.
        let sql = format!(
            "INSERT INTO leads (id, clinic_id, patient_id, phone, name, source, interest, facts, score, \
             temperature, stage, reasons, qualified_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14, $13, $15) \
             ON CONFLICT (clinic_id, phone) DO UPDATE SET patient_id = excluded.patient_id, \
             name = excluded.name, source = excluded.source, interest = excluded.interest, \
             facts = excluded.facts, score = excluded.score, temperature = excluded.temperature, \
             stage = excluded.stage, reasons = excluded.reasons, \
             qualified_at = COALESCE(leads.qualified_at, excluded.qualified_at), updated_at = excluded.updated_at \
             RETURNING {LEAD_COLUMNS}"
        );
        let reasons = serde_json::to_value(&lead.reasons).unwrap_or_default();
        let row: LeadRow = sqlx::query_as(&sql)
            .bind(lead.id.0)
            .bind(lead.clinic_id.0)
            .bind(lead.patient_id.map(|p| p.0))
            .bind(lead.phone.as_str())
            .bind(lead.name.as_deref())
            .bind(lead.source.as_str())
            .bind(lead.interest.as_deref())
            .bind(Json(&lead.facts))
            .bind(i32::from(lead.score.min(100)))
            .bind(lead.temperature.as_str())
            .bind(lead.stage.as_str())
            .bind(Json(&reasons))
            .bind(lead.created_at)
            .bind(qualifies.then_some(lead.updated_at))
            .bind(lead.updated_at)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::db("save a lead"))?;
        let saved: Lead = row.try_into()?;
        let previous_stage = before.and_then(|(stage, _)| FunnelStage::parse(&stage));
        Self::lead_events(&mut tx, &saved, previous_stage, first_qualified).await?;
        tx.commit().await.map_err(StoreError::db("commit a lead"))?;
        Ok(saved)
    }

    async fn lead_by_phone(&self, clinic: ClinicId, phone: &Phone) -> StoreResult<Option<Lead>> {
        let sql = format!("SELECT {LEAD_COLUMNS} FROM leads WHERE clinic_id = $1 AND phone = $2");
        let row: Option<LeadRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(phone.as_str())
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("find a lead"))?;
        row.map(TryInto::try_into).transpose()
    }
}
