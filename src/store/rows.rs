//! Raw rows as both backends decode them, and their conversion into typed records.
//! `sqlx::FromRow` derives generically over the database, so both adapters share these.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sofia_core::domain::{
    AppointmentId, AppointmentStatus, BookedBy, ChannelId, ClinicId, ConversationId, DeliveryStatus,
    Direction, FunnelStage, HandoffId, InteractionKind, LeadId, MessageId, MessageKind, Money, PackageId,
    PatientId, PatientPackageId, Phone, ProfessionalId, ServiceId, Temperature,
};
use sqlx::types::Json;
use uuid::Uuid;

use super::error::StoreError;
use super::records::*;

fn corrupt(table: &'static str, problem: impl Into<String>) -> StoreError {
    StoreError::Corrupt { table, problem: problem.into() }
}

fn phone(table: &'static str, raw: &str) -> Result<Phone, StoreError> {
    Phone::parse(raw).map_err(|e| corrupt(table, format!("phone: {e}")))
}

fn count(table: &'static str, field: &str, raw: i32) -> Result<u32, StoreError> {
    u32::try_from(raw).map_err(|_| corrupt(table, format!("{field} is negative")))
}

#[derive(sqlx::FromRow)]
pub(crate) struct PatientRow {
    id: Uuid,
    clinic_id: Uuid,
    phone: String,
    name: Option<String>,
    opted_out_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl TryFrom<PatientRow> for Patient {
    type Error = StoreError;
    fn try_from(row: PatientRow) -> Result<Self, StoreError> {
        Ok(Patient {
            id: PatientId(row.id),
            clinic_id: ClinicId(row.clinic_id),
            phone: phone("patients", &row.phone)?,
            name: row.name,
            opted_out_at: row.opted_out_at,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct LeadRow {
    id: Uuid,
    clinic_id: Uuid,
    patient_id: Option<Uuid>,
    phone: String,
    name: Option<String>,
    source: String,
    interest: Option<String>,
    facts: Json<Value>,
    score: i32,
    temperature: String,
    stage: String,
    reasons: Json<Value>,
    qualified_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<LeadRow> for Lead {
    type Error = StoreError;
    fn try_from(row: LeadRow) -> Result<Self, StoreError> {
        Ok(Lead {
            id: LeadId(row.id),
            clinic_id: ClinicId(row.clinic_id),
            patient_id: row.patient_id.map(PatientId),
            phone: phone("leads", &row.phone)?,
            name: row.name,
            source: row.source,
            interest: row.interest,
            facts: row.facts.0,
            score: u8::try_from(row.score).map_err(|_| corrupt("leads", "score out of range"))?,
            temperature: Temperature::parse(&row.temperature)
                .ok_or_else(|| corrupt("leads", format!("temperature '{}'", row.temperature)))?,
            stage: FunnelStage::parse(&row.stage)
                .ok_or_else(|| corrupt("leads", format!("stage '{}'", row.stage)))?,
            reasons: serde_json::from_value(row.reasons.0)
                .map_err(|_| corrupt("leads", "reasons are not a list of text"))?,
            qualified_at: row.qualified_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AppointmentRow {
    id: Uuid,
    clinic_id: Uuid,
    patient_id: Uuid,
    professional_id: Uuid,
    service_id: Uuid,
    patient_package_id: Option<Uuid>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: String,
    booked_by: String,
    price_cents: i64,
    cancellation_reason: Option<String>,
    late_fee_cents: Option<i64>,
    cancelled_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<AppointmentRow> for Appointment {
    type Error = StoreError;
    fn try_from(row: AppointmentRow) -> Result<Self, StoreError> {
        Ok(Appointment {
            id: AppointmentId(row.id),
            clinic_id: ClinicId(row.clinic_id),
            patient_id: PatientId(row.patient_id),
            professional_id: ProfessionalId(row.professional_id),
            service_id: ServiceId(row.service_id),
            patient_package_id: row.patient_package_id.map(PatientPackageId),
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            status: AppointmentStatus::parse(&row.status)
                .ok_or_else(|| corrupt("appointments", format!("status '{}'", row.status)))?,
            booked_by: BookedBy::parse(&row.booked_by)
                .ok_or_else(|| corrupt("appointments", format!("booked_by '{}'", row.booked_by)))?,
            price: Money::from_centavos(row.price_cents),
            cancellation_reason: row.cancellation_reason,
            late_fee: row.late_fee_cents.map(Money::from_centavos),
            cancelled_at: row.cancelled_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct BusyRow {
    id: Uuid,
    professional_id: Uuid,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

impl From<BusyRow> for BusyInterval {
    fn from(row: BusyRow) -> Self {
        BusyInterval {
            appointment_id: AppointmentId(row.id),
            professional_id: ProfessionalId(row.professional_id),
            starts_at: row.starts_at,
            ends_at: row.ends_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PatientPackageRow {
    id: Uuid,
    clinic_id: Uuid,
    patient_id: Uuid,
    package_id: Uuid,
    sessions_total: i32,
    sessions_used: i32,
    purchased_on: NaiveDate,
    expires_on: NaiveDate,
}

impl TryFrom<PatientPackageRow> for PatientPackage {
    type Error = StoreError;
    fn try_from(row: PatientPackageRow) -> Result<Self, StoreError> {
        Ok(PatientPackage {
            id: PatientPackageId(row.id),
            clinic_id: ClinicId(row.clinic_id),
            patient_id: PatientId(row.patient_id),
            package_id: PackageId(row.package_id),
            sessions_total: count("patient_packages", "sessions_total", row.sessions_total)?,
            sessions_used: count("patient_packages", "sessions_used", row.sessions_used)?,
            purchased_on: row.purchased_on,
            expires_on: row.expires_on,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ConversationRow {
    id: Uuid,
    clinic_id: Uuid,
    phone: String,
    patient_id: Option<Uuid>,
    owner: String,
    paused_until: Option<DateTime<Utc>>,
    state: Json<Value>,
    lease_holder: Option<String>,
    lease_until: Option<DateTime<Utc>>,
    human_wrote_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ConversationRow> for Conversation {
    type Error = StoreError;
    fn try_from(row: ConversationRow) -> Result<Self, StoreError> {
        let owner = owner_of(&row.owner, row.paused_until)?;
        Ok(Conversation {
            id: ConversationId(row.id),
            clinic_id: ClinicId(row.clinic_id),
            phone: phone("conversations", &row.phone)?,
            patient_id: row.patient_id.map(PatientId),
            owner,
            state: row.state.0,
            lease_holder: row.lease_holder,
            lease_until: row.lease_until,
            human_wrote_at: row.human_wrote_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The [`Owner`] stored in the `owner` and `paused_until` columns.
pub(crate) fn owner_of(owner: &str, paused_until: Option<DateTime<Utc>>) -> Result<Owner, StoreError> {
    match (owner, paused_until) {
        ("bot", _) => Ok(Owner::Bot),
        ("human", _) => Ok(Owner::Human),
        ("paused", Some(until)) => Ok(Owner::Paused(until)),
        (other, _) => Err(corrupt("conversations", format!("owner '{other}'"))),
    }
}

/// The `owner` and `paused_until` columns for an [`Owner`].
pub(crate) fn owner_columns(owner: Owner) -> (&'static str, Option<DateTime<Utc>>) {
    match owner {
        Owner::Bot => ("bot", None),
        Owner::Human => ("human", None),
        Owner::Paused(until) => ("paused", Some(until)),
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MessageRow {
    id: Uuid,
    clinic_id: Uuid,
    conversation_id: Uuid,
    channel_id: Option<Uuid>,
    direction: String,
    author: String,
    kind: String,
    body: String,
    payload: Json<Value>,
    provider_message_id: Option<String>,
    idempotency_key: Option<String>,
    delivery_status: Option<String>,
    error: Option<String>,
    processed_at: Option<DateTime<Utc>>,
    sent_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl TryFrom<MessageRow> for StoredMessage {
    type Error = StoreError;
    fn try_from(row: MessageRow) -> Result<Self, StoreError> {
        Ok(StoredMessage {
            id: MessageId(row.id),
            clinic_id: ClinicId(row.clinic_id),
            conversation_id: ConversationId(row.conversation_id),
            channel_id: row.channel_id.map(ChannelId),
            direction: Direction::parse(&row.direction)
                .ok_or_else(|| corrupt("messages", format!("direction '{}'", row.direction)))?,
            author: Author::parse(&row.author)
                .ok_or_else(|| corrupt("messages", format!("author '{}'", row.author)))?,
            kind: MessageKind::parse(&row.kind)
                .ok_or_else(|| corrupt("messages", format!("kind '{}'", row.kind)))?,
            body: row.body,
            payload: row.payload.0,
            provider_message_id: row.provider_message_id,
            idempotency_key: row.idempotency_key,
            delivery_status: row
                .delivery_status
                .map(|s| {
                    DeliveryStatus::parse(&s)
                        .ok_or_else(|| corrupt("messages", format!("delivery_status '{s}'")))
                })
                .transpose()?,
            error: row.error,
            processed_at: row.processed_at,
            sent_at: row.sent_at,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    clinic_id: Uuid,
    conversation_id: Option<Uuid>,
    tool: String,
    arguments: Json<Value>,
    result: Json<Value>,
    outcome: String,
    duration_ms: i32,
    created_at: DateTime<Utc>,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;
    fn try_from(row: AuditRow) -> Result<Self, StoreError> {
        Ok(AuditEntry {
            clinic_id: ClinicId(row.clinic_id),
            conversation_id: row.conversation_id.map(ConversationId),
            tool: row.tool,
            arguments: row.arguments.0,
            result: row.result.0,
            outcome: ToolOutcome::parse(&row.outcome)
                .ok_or_else(|| corrupt("audit_log", format!("outcome '{}'", row.outcome)))?,
            duration_ms: count("audit_log", "duration_ms", row.duration_ms)?,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct HandoffRow {
    id: Uuid,
    clinic_id: Uuid,
    conversation_id: Uuid,
    reason: String,
    summary: String,
    opened_by: String,
    assignee: Option<String>,
    status: String,
    external_ref: Option<String>,
    created_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
    resolved_by: Option<String>,
}

impl TryFrom<HandoffRow> for Handoff {
    type Error = StoreError;
    fn try_from(row: HandoffRow) -> Result<Self, StoreError> {
        let origin = HandoffOrigin::parse(&row.opened_by)
            .ok_or_else(|| corrupt("handoffs", format!("opened_by '{}'", row.opened_by)))?;
        let assignee = row
            .assignee
            .map(|name| StaffMember::parse(&name).map_err(|e| corrupt("handoffs", format!("assignee: {e}"))))
            .transpose()?;
        let resolved_by = row.resolved_by.as_deref().map(resolved_by_of).transpose()?;
        Ok(Handoff {
            id: HandoffId(row.id),
            clinic_id: ClinicId(row.clinic_id),
            conversation_id: ConversationId(row.conversation_id),
            reason: row.reason,
            summary: row.summary,
            origin,
            assignee,
            open: row.status == "open",
            external_ref: row.external_ref,
            created_at: row.created_at,
            resolved_at: row.resolved_at,
            resolved_by,
        })
    }
}

/// The `resolved_by` column: `staff:<name>` or `idle`.
pub(crate) fn resolved_by_column(by: &ResolvedBy) -> String {
    match by {
        ResolvedBy::Staff(member) => format!("staff:{member}"),
        ResolvedBy::Idle => "idle".to_owned(),
    }
}

fn resolved_by_of(raw: &str) -> Result<ResolvedBy, StoreError> {
    match raw.strip_prefix("staff:") {
        Some(name) => StaffMember::parse(name)
            .map(ResolvedBy::Staff)
            .map_err(|e| corrupt("handoffs", format!("resolved_by: {e}"))),
        None if raw == "idle" => Ok(ResolvedBy::Idle),
        None => Err(corrupt("handoffs", format!("resolved_by '{raw}'"))),
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct InteractionRow {
    clinic_id: Uuid,
    patient_id: Option<Uuid>,
    lead_id: Option<Uuid>,
    kind: String,
    summary: String,
    data: Json<Value>,
    created_at: DateTime<Utc>,
}

impl TryFrom<InteractionRow> for Interaction {
    type Error = StoreError;
    fn try_from(row: InteractionRow) -> Result<Self, StoreError> {
        Ok(Interaction {
            clinic_id: ClinicId(row.clinic_id),
            patient_id: row.patient_id.map(PatientId),
            lead_id: row.lead_id.map(LeadId),
            kind: InteractionKind::parse(&row.kind)
                .ok_or_else(|| corrupt("interactions", format!("kind '{}'", row.kind)))?,
            summary: row.summary,
            data: row.data.0,
            created_at: row.created_at,
        })
    }
}

/// Checks that an appointment in `status` may undergo `change`.
pub(crate) fn check_transition(
    status: AppointmentStatus,
    change: &AppointmentChange,
) -> Result<(), StoreError> {
    let (allowed, action) = match change {
        AppointmentChange::Confirm => {
            (status == AppointmentStatus::Scheduled || status == AppointmentStatus::Confirmed, "confirmed")
        }
        AppointmentChange::Cancel { .. } => (status.is_active(), "cancelled"),
        AppointmentChange::Reschedule { .. } => (status.is_active(), "rescheduled"),
        AppointmentChange::Complete => (status.is_active(), "completed"),
        AppointmentChange::NoShow => (status.is_active(), "marked as a no-show"),
    };
    if allowed { Ok(()) } else { Err(StoreError::InvalidTransition { status, action }) }
}

/// Column lists, so that every statement of a table selects the shape its row type decodes.
pub(crate) const PATIENT_COLUMNS: &str = "id, clinic_id, phone, name, opted_out_at, created_at";
pub(crate) const LEAD_COLUMNS: &str = "id, clinic_id, patient_id, phone, name, source, interest, facts, score, \
     temperature, stage, reasons, qualified_at, created_at, updated_at";
pub(crate) const APPOINTMENT_COLUMNS: &str = "id, clinic_id, patient_id, professional_id, service_id, \
     patient_package_id, starts_at, ends_at, status, booked_by, price_cents, cancellation_reason, \
     late_fee_cents, cancelled_at, created_at, updated_at";
pub(crate) const PATIENT_PACKAGE_COLUMNS: &str =
    "id, clinic_id, patient_id, package_id, sessions_total, sessions_used, purchased_on, expires_on";
pub(crate) const CONVERSATION_COLUMNS: &str = "id, clinic_id, phone, patient_id, owner, paused_until, state, \
     lease_holder, lease_until, human_wrote_at, created_at, updated_at";
pub(crate) const MESSAGE_COLUMNS: &str = "id, clinic_id, conversation_id, channel_id, direction, author, kind, \
     body, payload, provider_message_id, idempotency_key, delivery_status, error, processed_at, sent_at, created_at";
pub(crate) const AUDIT_COLUMNS: &str =
    "clinic_id, conversation_id, tool, arguments, result, outcome, duration_ms, created_at";
pub(crate) const HANDOFF_COLUMNS: &str = "id, clinic_id, conversation_id, reason, summary, opened_by, assignee, \
     status, external_ref, created_at, resolved_at, resolved_by";
pub(crate) const INTERACTION_COLUMNS: &str =
    "clinic_id, patient_id, lead_id, kind, summary, data, created_at";
