//! The console channel: someone typing at a terminal (`sofia chat`), or an eval's scripted
//! patient, instead of WhatsApp. What they type becomes the [`InboundEvent`] every provider's
//! webhook is parsed into, so the inbox stores it as it stores theirs; replies go out through
//! [`super::ConsoleProvider`].

use chrono::{DateTime, Utc};
use sofia_core::clinic::{ChannelSpec, Clinic};
use sofia_core::domain::Phone;

use super::{ChannelRoute, InboundEvent, InboundMessage, MessageContent, Origin, ProviderMessageId};

/// The clinic's console channel, if its file declares one.
pub fn route(clinic: &Clinic) -> Option<ChannelRoute> {
    clinic
        .channels
        .iter()
        .enumerate()
        .find(|(_, spec)| matches!(spec, ChannelSpec::Console))
        .map(|(index, spec)| ChannelRoute::new(clinic, index, spec))
}

/// A message the patient sent at `at` (a line typed, an eval's voice note or photo), under
/// their WhatsApp profile name.
pub fn sent(
    phone: &Phone,
    push_name: Option<&str>,
    content: MessageContent,
    at: DateTime<Utc>,
) -> InboundEvent {
    InboundEvent::Message(InboundMessage {
        id: ProviderMessageId::console(),
        phone: phone.clone(),
        push_name: push_name.map(str::to_owned),
        timestamp: at,
        origin: Origin::Patient,
        reply_to: None,
        content,
    })
}
