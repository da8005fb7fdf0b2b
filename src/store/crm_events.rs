//! What each CRM event carries (docs/crm-webhooks.md has an example of each), read inside the
//! transaction of the change, so the data is the change's own.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::{Value, json};
use sofia_core::domain::{ClinicId, CrmEvent, FunnelStage, PatientId};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Transaction, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::{Appointment, Handoff, Lead, StoreError, StoreResult};

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
    /// `appointment.booked`, `.rescheduled` (with the time it left) or `.cancelled`.
    pub(super) async fn appointment_event(
        tx: &mut Transaction<'_, DB>,
        event: CrmEvent,
        appointment: &Appointment,
        before: &Appointment,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let endpoints = Self::crm_subscribers(tx, appointment.clinic_id, event).await?;
        if endpoints.is_empty() {
            return Ok(());
        }
        let (service, professional): (String, String) = sqlx::query_as(
            "SELECT s.name, p.name FROM services s, professionals p WHERE s.id = $1 AND p.id = $2",
        )
        .bind(appointment.service_id.0)
        .bind(appointment.professional_id.0)
        .fetch_one(&mut **tx)
        .await
        .map_err(StoreError::db("read an appointment's service and professional"))?;
        let mut data = json!({
            "id": appointment.id,
            "status": appointment.status,
            "service": { "id": appointment.service_id, "name": service },
            "professional": { "id": appointment.professional_id, "name": professional },
            "starts_at": appointment.starts_at,
            "ends_at": appointment.ends_at,
            "price_cents": appointment.price.centavos(),
            "booked_by": appointment.booked_by,
            "patient": Self::patient_data(tx, appointment.patient_id).await?,
        });
        match event {
            CrmEvent::AppointmentRescheduled => {
                data["previous"] = json!({
                    "starts_at": before.starts_at,
                    "ends_at": before.ends_at,
                    "professional_id": before.professional_id,
                });
            }
            CrmEvent::AppointmentCancelled => {
                data["cancellation_reason"] = json!(appointment.cancellation_reason);
                data["late_fee_cents"] = json!(appointment.late_fee.map(|fee| fee.centavos()));
            }
            _ => {}
        }
        Self::enqueue_crm(tx, appointment.clinic_id, &endpoints, event, data, now).await
    }

    /// `lead.qualified` the first time the lead is hot or booked (`first_qualified`), and
    /// `lead.stage_changed` when an existing lead's stage moved from `previous_stage`.
    pub(super) async fn lead_events(
        tx: &mut Transaction<'_, DB>,
        lead: &Lead,
        previous_stage: Option<FunnelStage>,
        first_qualified: bool,
    ) -> StoreResult<()> {
        let mut events = Vec::new();
        if first_qualified {
            events.push(CrmEvent::LeadQualified);
        }
        if previous_stage.is_some_and(|stage| stage != lead.stage) {
            events.push(CrmEvent::LeadStageChanged);
        }
        for event in events {
            let endpoints = Self::crm_subscribers(tx, lead.clinic_id, event).await?;
            if endpoints.is_empty() {
                continue;
            }
            let mut data = json!({
                "id": lead.id,
                "name": lead.name,
                "phone": lead.phone.as_str(),
                "interest": lead.interest,
                "score": lead.score,
                "temperature": lead.temperature,
                "reasons": lead.reasons,
                "stage": lead.stage,
                "source": lead.source,
                "patient_id": lead.patient_id,
            });
            if event == CrmEvent::LeadStageChanged {
                data["previous_stage"] = json!(previous_stage);
            }
            Self::enqueue_crm(tx, lead.clinic_id, &endpoints, event, data, lead.updated_at).await?;
        }
        Ok(())
    }

    /// `handoff.opened` or `handoff.resolved`.
    pub(super) async fn handoff_event(
        tx: &mut Transaction<'_, DB>,
        event: CrmEvent,
        handoff: &Handoff,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let endpoints = Self::crm_subscribers(tx, handoff.clinic_id, event).await?;
        if endpoints.is_empty() {
            return Ok(());
        }
        let (phone, patient, name): (String, Option<Uuid>, Option<String>) = sqlx::query_as(
            "SELECT c.phone, p.id, p.name FROM conversations c LEFT JOIN patients p ON p.id = c.patient_id \
             WHERE c.id = $1",
        )
        .bind(handoff.conversation_id.0)
        .fetch_one(&mut **tx)
        .await
        .map_err(StoreError::db("read a handoff's patient"))?;
        let mut data = json!({
            "id": handoff.id,
            "conversation_id": handoff.conversation_id,
            "reason": handoff.reason,
            "origin": handoff.origin,
            "opened_at": handoff.created_at,
            "patient": { "id": patient, "name": name, "phone": phone },
        });
        if event == CrmEvent::HandoffResolved {
            data["resolved_at"] = json!(handoff.resolved_at);
            data["resolved_by"] = json!(handoff.resolved_by);
        }
        Self::enqueue_crm(tx, handoff.clinic_id, &endpoints, event, data, now).await
    }

    /// `patient.opted_out`.
    pub(super) async fn opt_out_event(
        tx: &mut Transaction<'_, DB>,
        clinic: ClinicId,
        patient: PatientId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let event = CrmEvent::PatientOptedOut;
        let endpoints = Self::crm_subscribers(tx, clinic, event).await?;
        if endpoints.is_empty() {
            return Ok(());
        }
        let data = json!({ "patient": Self::patient_data(tx, patient).await?, "opted_out_at": at });
        Self::enqueue_crm(tx, clinic, &endpoints, event, data, at).await
    }

    async fn patient_data(tx: &mut Transaction<'_, DB>, patient: PatientId) -> StoreResult<Value> {
        let (name, phone): (Option<String>, String) =
            sqlx::query_as("SELECT name, phone FROM patients WHERE id = $1")
                .bind(patient.0)
                .fetch_one(&mut **tx)
                .await
                .map_err(StoreError::db("read a patient for a CRM event"))?;
        Ok(json!({ "id": patient, "name": name, "phone": phone }))
    }
}
