//! What the store hands back and takes in: typed records, never raw rows.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;
use sofia_core::domain::{
    AppointmentId, AppointmentStatus, BookedBy, ChannelId, ClinicId, ConversationId, DeliveryStatus,
    Direction, FunnelStage, HandoffId, InteractionKind, LeadId, MessageId, MessageKind, Money, PackageId,
    PatientId, PatientPackageId, Phone, ProfessionalId, ServiceId, Temperature,
};

/// Whether loading a clinic file changed anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncOutcome {
    Created,
    Updated,
    Unchanged,
}

/// How much of a clinic's catalogue is active in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CatalogCounts {
    pub services: i64,
    pub professionals: i64,
    pub packages: i64,
    pub channels: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Patient {
    pub id: PatientId,
    pub clinic_id: ClinicId,
    pub phone: Phone,
    pub name: Option<String>,
    pub opted_out_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lead {
    pub id: LeadId,
    pub clinic_id: ClinicId,
    pub patient_id: Option<PatientId>,
    pub phone: Phone,
    pub name: Option<String>,
    /// Where the lead came from: `whatsapp`, `instagram`, `indicação`…
    pub source: String,
    pub interest: Option<String>,
    /// Qualification facts as recorded by `update_lead`.
    pub facts: Value,
    pub score: u8,
    pub temperature: Temperature,
    pub stage: FunnelStage,
    /// Why the score is what it is, one line per point added or taken ("+50 has an
    /// appointment booked").
    pub reasons: Vec<String>,
    /// When the lead first became hot or booked (set by the store, which sends
    /// `lead.qualified` then); ignored when saving.
    pub qualified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewAppointment {
    pub id: AppointmentId,
    pub clinic_id: ClinicId,
    pub patient_id: PatientId,
    pub professional_id: ProfessionalId,
    pub service_id: ServiceId,
    pub patient_package_id: Option<PatientPackageId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub booked_by: BookedBy,
    pub price: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appointment {
    pub id: AppointmentId,
    pub clinic_id: ClinicId,
    pub patient_id: PatientId,
    pub professional_id: ProfessionalId,
    pub service_id: ServiceId,
    pub patient_package_id: Option<PatientPackageId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub booked_by: BookedBy,
    pub price: Money,
    pub cancellation_reason: Option<String>,
    pub late_fee: Option<Money>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A change to an existing appointment. The store applies it atomically, re-checking the
/// professional's time for a reschedule and refusing a change that makes no sense for the
/// appointment's status (cancelling twice, confirming a cancelled one…).
#[derive(Debug, Clone, PartialEq)]
pub enum AppointmentChange {
    Confirm,
    Cancel {
        reason: String,
        /// Set when the clinic's late-cancellation fee applies.
        late_fee: Option<Money>,
        /// Late cancellation of a package session: the session counts as used.
        consume_package_session: bool,
    },
    Reschedule {
        professional_id: ProfessionalId,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        late_fee: Option<Money>,
        /// Late move of a package session: the session counts as used, and the moved
        /// appointment still takes another one when it happens.
        consume_package_session: bool,
    },
    Complete,
    NoShow,
}

impl AppointmentChange {
    /// Whether the change uses up one of the appointment's package sessions (if it has one).
    pub(crate) fn consumes_package_session(&self) -> bool {
        match self {
            AppointmentChange::Cancel { consume_package_session, .. }
            | AppointmentChange::Reschedule { consume_package_session, .. } => *consume_package_session,
            AppointmentChange::Complete | AppointmentChange::NoShow => true,
            AppointmentChange::Confirm => false,
        }
    }
}

/// A professional's time held by a live (scheduled or confirmed) appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusyInterval {
    pub appointment_id: AppointmentId,
    pub professional_id: ProfessionalId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewPatientPackage {
    pub id: PatientPackageId,
    pub clinic_id: ClinicId,
    pub patient_id: PatientId,
    pub package_id: PackageId,
    pub sessions_total: u32,
    pub sessions_used: u32,
    pub purchased_on: NaiveDate,
    pub expires_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientPackage {
    pub id: PatientPackageId,
    pub clinic_id: ClinicId,
    pub patient_id: PatientId,
    pub package_id: PackageId,
    pub sessions_total: u32,
    pub sessions_used: u32,
    pub purchased_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// Who may answer the patient right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "owner", content = "until", rename_all = "snake_case")]
pub enum Owner {
    Bot,
    /// After a handoff: the bot stays silent until a human hands the conversation back.
    Human,
    /// Clinic staff typed on the phone: the bot stays silent until then.
    Paused(DateTime<Utc>),
}

impl Owner {
    /// Whether the bot may reply at `now`.
    pub fn bot_may_reply(&self, now: DateTime<Utc>) -> bool {
        match self {
            Owner::Bot => true,
            Owner::Human => false,
            Owner::Paused(until) => now >= *until,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conversation {
    pub id: ConversationId,
    pub clinic_id: ClinicId,
    pub phone: Phone,
    pub patient_id: Option<PatientId>,
    pub owner: Owner,
    /// The typed conversation state, serialised by its owner (the engine).
    pub state: Value,
    pub lease_holder: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    /// When a person of the clinic's team last wrote to the patient through Sofia: a
    /// human-owned conversation nobody writes in goes back to the bot.
    pub human_wrote_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Patient,
    /// Clinic staff typing on the clinic's phone (a `fromMe` message we did not send).
    StaffPhone,
    Bot,
    /// A human agent replying through Chatwoot or the admin API.
    Agent,
}

impl Author {
    pub fn as_str(self) -> &'static str {
        match self {
            Author::Patient => "patient",
            Author::StaffPhone => "staff_phone",
            Author::Bot => "bot",
            Author::Agent => "agent",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "patient" => Some(Author::Patient),
            "staff_phone" => Some(Author::StaffPhone),
            "bot" => Some(Author::Bot),
            "agent" => Some(Author::Agent),
            _ => None,
        }
    }
}

/// A message received from a provider, stored before it is acknowledged.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInbound {
    pub id: MessageId,
    pub clinic_id: ClinicId,
    pub channel_id: ChannelId,
    pub phone: Phone,
    pub provider_message_id: String,
    pub author: Author,
    pub kind: MessageKind,
    pub body: String,
    pub payload: Value,
    pub received_at: DateTime<Utc>,
}

/// One inbound message of a group-committed batch.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundWrite {
    pub message: NewInbound,
    /// The patient's WhatsApp name: fills the patient's name when the clinic has none.
    pub push_name: Option<String>,
}

/// What storing an inbound message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboundReceipt {
    Stored {
        conversation_id: ConversationId,
        message_id: MessageId,
    },
    /// The provider delivered this message before: nothing new was stored.
    Duplicate {
        conversation_id: ConversationId,
        message_id: MessageId,
    },
    /// The provider's id is that of a message Sofia sent (`message_id`): an echo of our own
    /// reply, whatever the provider calls it. Nothing was stored.
    Echo {
        conversation_id: ConversationId,
        message_id: MessageId,
    },
}

/// A reply bubble written to the outbox before anything is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutbound {
    pub id: MessageId,
    pub clinic_id: ClinicId,
    pub conversation_id: ConversationId,
    /// One per turn and bubble: a retried turn finds its bubbles already queued.
    pub idempotency_key: String,
    pub author: Author,
    pub kind: MessageKind,
    pub body: String,
    pub payload: Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxReceipt {
    Queued(MessageId),
    AlreadyQueued(MessageId),
}

/// What the outbox sweep did with claims whose dispatcher stopped answering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StaleClaims {
    /// Rows whose send never started: back in the queue, to be sent.
    pub requeued: u64,
    /// Rows whose request had started: maybe delivered, so failed as unknown.
    pub failed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredMessage {
    pub id: MessageId,
    pub clinic_id: ClinicId,
    pub conversation_id: ConversationId,
    pub channel_id: Option<ChannelId>,
    pub direction: Direction,
    pub author: Author,
    pub kind: MessageKind,
    pub body: String,
    pub payload: Value,
    pub provider_message_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub delivery_status: Option<DeliveryStatus>,
    pub error: Option<String>,
    pub processed_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// How a tool call ended, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolOutcome {
    Ok,
    /// Validation or scoping refused it: nothing was done.
    Refused,
    Error,
}

impl ToolOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ToolOutcome::Ok => "ok",
            ToolOutcome::Refused => "refused",
            ToolOutcome::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ok" => Some(ToolOutcome::Ok),
            "refused" => Some(ToolOutcome::Refused),
            "error" => Some(ToolOutcome::Error),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub clinic_id: ClinicId,
    pub conversation_id: Option<ConversationId>,
    pub tool: String,
    pub arguments: Value,
    pub result: Value,
    pub outcome: ToolOutcome,
    pub duration_ms: u32,
    pub created_at: DateTime<Utc>,
}

/// A person of the clinic's team, as named by whoever reports what they did: the operator of
/// `sofia handoffs resolve`, an agent in Chatwoot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct StaffMember(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffMemberError {
    #[error("a staff member needs a name")]
    Empty,
    #[error("a staff member's name has at most {max} characters")]
    TooLong { max: usize },
}

impl StaffMember {
    const MAX_CHARS: usize = 120;

    /// The name trimmed; refused when empty, too long, or made of control characters.
    pub fn parse(name: &str) -> Result<StaffMember, StaffMemberError> {
        let name: String = name.trim().chars().filter(|c| !c.is_control()).collect();
        if name.is_empty() {
            Err(StaffMemberError::Empty)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(StaffMemberError::TooLong { max: Self::MAX_CHARS })
        } else {
            Ok(StaffMember(name))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The clinic's team, when the person is not named (a Chatwoot event without its agent).
    pub fn team() -> StaffMember {
        StaffMember("Equipe".to_owned())
    }
}

impl std::fmt::Display for StaffMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who opened a handoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffOrigin {
    /// Sofia handed the conversation over: the patient asked for a person, an emergency…
    Bot,
    /// A person wrote to the patient while the bot owned the conversation: the team took it over.
    Staff,
}

impl HandoffOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            HandoffOrigin::Bot => "bot",
            HandoffOrigin::Staff => "staff",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "bot" => Some(HandoffOrigin::Bot),
            "staff" => Some(HandoffOrigin::Staff),
            _ => None,
        }
    }
}

/// Who ended a handoff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", content = "name", rename_all = "snake_case")]
pub enum ResolvedBy {
    Staff(StaffMember),
    /// Nobody wrote to the patient for `handoff.idle_return_h`: the bot took the conversation back.
    Idle,
}

impl std::fmt::Display for ResolvedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolvedBy::Staff(member) => member.fmt(f),
            ResolvedBy::Idle => f.write_str("sem resposta da equipe"),
        }
    }
}

/// A handoff to be opened.
#[derive(Debug, Clone, PartialEq)]
pub struct NewHandoff {
    pub clinic_id: ClinicId,
    pub conversation_id: ConversationId,
    /// Why a person takes over, for the team: "o paciente pediu para falar com uma pessoa".
    pub reason: String,
    /// What the team should know before answering (the conversation so far, in a few lines).
    pub summary: String,
    pub origin: HandoffOrigin,
    pub assignee: Option<StaffMember>,
    pub opened_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handoff {
    pub id: HandoffId,
    pub clinic_id: ClinicId,
    pub conversation_id: ConversationId,
    pub reason: String,
    pub summary: String,
    pub origin: HandoffOrigin,
    pub assignee: Option<StaffMember>,
    pub open: bool,
    pub external_ref: Option<String>,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<ResolvedBy>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interaction {
    pub clinic_id: ClinicId,
    pub patient_id: Option<PatientId>,
    pub lead_id: Option<LeadId>,
    pub kind: InteractionKind,
    pub summary: String,
    pub data: Value,
    pub created_at: DateTime<Utc>,
}
