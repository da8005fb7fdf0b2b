//! Domain types that turn raw input into something the core can trust (parse, don't validate).

mod chatwoot;
mod crm;
mod ids;
mod money;
mod phone;
mod status;

pub use chatwoot::{
    ChatwootAccountId, ChatwootContactId, ChatwootConversationId, ChatwootInboxId, ChatwootMessageId,
    ChatwootTeamId,
};
pub use crm::CrmEvent;
pub use ids::{
    AppointmentId, ChannelId, ClinicId, ConversationId, HandoffId, LeadId, MessageId, PackageId, PatientId,
    PatientPackageId, ProfessionalId, ServiceId, TenantId, TenantIdError,
};
pub use money::{Money, MoneyError};
pub use phone::{Phone, PhoneError};
pub use status::{
    AppointmentStatus, BookedBy, DeliveryStatus, Direction, FunnelStage, InteractionKind, MessageKind,
    ProviderKind, Temperature,
};
