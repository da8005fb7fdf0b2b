//! The store port: the clinic CRM, conversations, inbox/outbox and audit, behind traits with
//! two adapters — SQLite (the embedded default) and PostgreSQL (production). Both pass the
//! same conformance suite (`tests/it/store`).

mod appointments;
mod delivery;
mod error;
pub(crate) mod llm_usage;
mod records;
mod rows;
mod shared;

pub mod postgres;
pub mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sofia_core::clinic::Clinic;
use sofia_core::domain::{
    AppointmentId, ChannelId, ClinicId, ConversationId, DeliveryStatus, HandoffId, MessageId, PatientId,
    Phone,
};

pub use delivery::{DeadLetter, DeliveryStore, InboundWrite};
pub use error::StoreError;
pub use llm_usage::{LlmOutcome, LlmUsage, LlmUsageStore};
pub use records::*;

pub type StoreResult<T> = Result<T, StoreError>;

/// Clinics, their catalogue (professionals, services, hours, packages) and channels.
#[async_trait]
pub trait ClinicStore: Send + Sync {
    /// Writes the clinic and everything in it; idempotent. Rows that left the file are
    /// deactivated, not deleted, so history keeps its references.
    async fn sync_clinic(
        &self,
        clinic: &Clinic,
        content_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<SyncOutcome>;
    async fn catalog_counts(&self, clinic: ClinicId) -> StoreResult<CatalogCounts>;
    /// The channel a webhook belongs to, by provider and external id (Meta phone_number_id,
    /// Evolution instance, Z-API instance id).
    async fn channel_id(
        &self,
        clinic: ClinicId,
        provider: &str,
        external_id: &str,
    ) -> StoreResult<Option<ChannelId>>;
    /// Round-trip to the database, for readiness checks.
    async fn ping(&self) -> StoreResult<()>;
}

/// Patients and leads.
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

/// Appointments and packages. Every write is scoped by clinic and, where a patient acts,
/// by patient: another patient's id is simply not found.
#[async_trait]
pub trait AppointmentStore: Send + Sync {
    /// Books atomically: fails with [`StoreError::SlotTaken`] if the professional already has a
    /// live appointment overlapping it, whoever wrote it and however many write at once.
    async fn insert_appointment(&self, new: &NewAppointment, now: DateTime<Utc>) -> StoreResult<Appointment>;
    /// The appointment, if it belongs to this clinic (and to `patient`, when given).
    async fn appointment(
        &self,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
    ) -> StoreResult<Option<Appointment>>;
    /// A patient's appointments starting at or after `from`, earliest first, any status.
    async fn patient_appointments(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        from: DateTime<Utc>,
    ) -> StoreResult<Vec<Appointment>>;
    /// Live appointments overlapping `[from, to)`, for slot computation.
    async fn busy_intervals(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BusyInterval>>;
    async fn change_appointment(
        &self,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
        change: &AppointmentChange,
        now: DateTime<Utc>,
    ) -> StoreResult<Appointment>;
    async fn add_patient_package(
        &self,
        new: &NewPatientPackage,
        now: DateTime<Utc>,
    ) -> StoreResult<PatientPackage>;
    async fn patient_packages(
        &self,
        clinic: ClinicId,
        patient: PatientId,
    ) -> StoreResult<Vec<PatientPackage>>;
}

/// Conversations: who owns them, their typed state, and the worker lease.
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

/// The inbox and the outbox.
#[async_trait]
pub trait MessageStore: Send + Sync {
    /// Stores an inbound message once per channel and provider id, creating its conversation.
    async fn record_inbound(&self, message: &NewInbound) -> StoreResult<InboundReceipt>;
    /// Inbound messages of the conversation not yet answered by a turn, oldest first.
    async fn pending_inbound(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>>;
    /// Conversations with inbound messages waiting for a turn (for workers after a restart).
    async fn conversations_with_pending_inbound(&self, limit: u32) -> StoreResult<Vec<ConversationId>>;
    async fn mark_processed(&self, ids: &[MessageId], now: DateTime<Utc>) -> StoreResult<()>;
    /// Queues a reply bubble once per idempotency key.
    async fn enqueue_outbound(&self, message: &NewOutbound) -> StoreResult<OutboxReceipt>;
    /// Outbound bubbles of the conversation not yet handed to a provider, oldest first.
    async fn pending_outbound(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>>;
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

/// Tool-call audit, handoffs and the interactions timeline.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn record_tool_call(&self, entry: &AuditEntry) -> StoreResult<()>;
    async fn tool_calls(&self, conversation: ConversationId) -> StoreResult<Vec<AuditEntry>>;
    async fn open_handoff(
        &self,
        clinic: ClinicId,
        conversation: ConversationId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Handoff>;
    async fn resolve_handoff(&self, id: HandoffId, now: DateTime<Utc>) -> StoreResult<()>;
    async fn handoffs(&self, clinic: ClinicId, only_open: bool) -> StoreResult<Vec<Handoff>>;
    async fn record_interaction(&self, interaction: &Interaction) -> StoreResult<()>;
    async fn interactions(&self, clinic: ClinicId, patient: PatientId) -> StoreResult<Vec<Interaction>>;
}

/// Everything Sofia keeps, behind one handle.
pub trait Store:
    ClinicStore
    + PatientStore
    + AppointmentStore
    + ConversationStore
    + MessageStore
    + AuditStore
    + LlmUsageStore
    + DeliveryStore
{
}

impl<T> Store for T where
    T: ClinicStore
        + PatientStore
        + AppointmentStore
        + ConversationStore
        + MessageStore
        + AuditStore
        + LlmUsageStore
        + DeliveryStore
{
}

/// Opens the store named by a database URL (`sqlite://…`, `postgres://…`) and applies its
/// migrations.
pub async fn open(url: &str) -> StoreResult<std::sync::Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = postgres::PgStore::connect(url).await?;
        store.migrate().await?;
        Ok(std::sync::Arc::new(store))
    } else if url.starts_with("sqlite:") {
        let store = sqlite::SqliteStore::connect(url).await?;
        store.migrate().await?;
        Ok(std::sync::Arc::new(store))
    } else {
        Err(StoreError::Connect("the database URL must start with sqlite:// or postgres://".to_owned()))
    }
}
