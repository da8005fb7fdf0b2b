//! The store port: the clinic CRM, conversations, inbox/outbox, audit, the Chatwoot bridge (mirror and desk), CRM webhooks, admin API keys and the admin API's lists, behind one trait per
//! aggregate, each in its own file. The SQL is written once, generic over the engine
//! ([`SqlStore`], see `dialect.rs` for why its impl blocks spell out their bounds); `sqlite.rs`
//! (the embedded default) and `postgres.rs` (production) hold only what differs. Both pass
//! the same conformance suite (`tests/it/store`).

mod api_keys;
mod appointments;
mod audit;
mod chatwoot;
mod chatwoot_desk;
mod clinic;
mod conversations;
mod crm;
mod crm_events;
mod delivery;
mod dialect;
mod error;
mod handoffs;
mod jobs;
mod listings;
mod llm_usage;
mod messages;
mod patients;
mod privacy;
mod records;
mod rows;
mod waitlist;

pub mod postgres;
pub mod sqlite;

pub use api_keys::{ApiKey, ApiKeyStore, ApiRole, NewApiKey};
pub use appointments::AppointmentStore;
pub use audit::AuditStore;
pub use chatwoot::{ChatwootLink, ChatwootStore, MirrorJob, MirrorState, MirrorStatus};
pub use chatwoot_desk::{
    ChatwootDeskStore, ChatwootEvent, ChatwootEventRecord, EventReceipt, HandoffStep, HandoffTold,
    NewChatwootEvent,
};
pub use clinic::ClinicStore;
pub use conversations::ConversationStore;
pub use crm::{AttemptResult, ClaimedDelivery, CrmDelivery, CrmStats, CrmStore, DeliveryId, DeliveryState};
pub use delivery::{DeadLetter, DeliveryStore};
pub use dialect::{Dialect, Slot, SqlStore, SqlType};
pub use error::StoreError;
pub use handoffs::HandoffStore;
pub use jobs::{Attendance, ClaimedJob, JobId, JobKind, JobState, JobStats, JobStore, NewJob, Unplanned};
pub use listings::{
    After, AppointmentFilter, CONFIRMED_SINCE, ConversationSummary, HandoffWithPhone, ListingStore,
    PageRequest, PatientSearch, PeriodFacts,
};
pub use llm_usage::{LlmOutcome, LlmUsage, LlmUsageStore};
pub use messages::{HeldWork, InboundBatches, MessageStore, Waiting};
pub use patients::PatientStore;
pub use privacy::{Erasure, PrivacyStore, erased_phone};
pub use records::*;
pub use waitlist::{
    Hold, NewWaitlistEntry, NewWaitlistOffer, OfferStatus, WaitlistEntry, WaitlistEntryId, WaitlistOffer,
    WaitlistStatus, WaitlistStore,
};

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything Sofia keeps, behind one handle.
pub trait Store:
    ClinicStore
    + PatientStore
    + ApiKeyStore
    + AppointmentStore
    + ConversationStore
    + MessageStore
    + AuditStore
    + HandoffStore
    + LlmUsageStore
    + DeliveryStore
    + ChatwootStore
    + ChatwootDeskStore
    + JobStore
    + ListingStore
    + PrivacyStore
    + CrmStore
    + WaitlistStore
{
}

impl<T> Store for T where
    T: ClinicStore
        + PatientStore
        + ApiKeyStore
        + AppointmentStore
        + ConversationStore
        + MessageStore
        + AuditStore
        + HandoffStore
        + LlmUsageStore
        + DeliveryStore
        + ChatwootStore
        + ChatwootDeskStore
        + JobStore
        + ListingStore
        + PrivacyStore
        + CrmStore
        + WaitlistStore
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
