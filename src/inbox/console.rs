//! The console's way into the inbox. `sofia chat` and `sofia eval` hand what the patient types
//! to [`Inbox::ingest`] exactly as a webhook hands a provider's messages (stored with the push
//! name, group-committed, counted, staff pauses honoured); they then run the turn themselves,
//! at once, with [`crate::engine::Engine::run_turn`] instead of waiting out a debounce window.

use sofia_core::clinic::Clinic;
use sofia_core::domain::{ChannelId, ConversationId, Phone, TenantId};

use super::{Inbox, IngestError};
use crate::channels::{ChannelRoute, MessageContent, console};
use crate::store::StoreError;

/// A clinic's console channel and the inbox it writes to.
pub struct Console {
    inbox: Inbox,
    route: ChannelRoute,
}

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("clinic '{0}' has no console channel (add `- provider: console` to its channels)")]
    NoConsoleChannel(TenantId),
    #[error("could not store the patient's messages")]
    Ingest(#[from] IngestError),
    #[error("the inbox stored none of the patient's messages")]
    NothingStored,
}

impl Console {
    pub fn new(inbox: Inbox, clinic: &Clinic) -> Result<Console, ConsoleError> {
        let route =
            console::route(clinic).ok_or_else(|| ConsoleError::NoConsoleChannel(clinic.tenant.clone()))?;
        Ok(Console { inbox, route })
    }

    /// The console channel: what is printed on it is delivered.
    pub fn channel(&self) -> ChannelId {
        self.route.channel_id
    }

    /// The patient's conversation with the clinic, created (owned by the bot) if new: where the
    /// team writes in `sofia chat` and evals before the patient has said anything.
    pub async fn conversation(&self, phone: &Phone) -> Result<ConversationId, StoreError> {
        let now = self.inbox.clock.now();
        Ok(self.inbox.store.conversation_for(self.route.clinic_id, phone, now).await?.id)
    }

    /// Stores the lines the patient typed, in order and at once (a burst inside one debounce
    /// window); returns their conversation, which now has messages to answer.
    pub async fn receive(
        &self,
        phone: &Phone,
        push_name: Option<&str>,
        texts: &[impl AsRef<str>],
    ) -> Result<ConversationId, ConsoleError> {
        let contents =
            texts.iter().map(|text| MessageContent::Text { body: text.as_ref().to_owned() }).collect();
        self.receive_contents(phone, push_name, contents).await
    }

    /// Stores what the patient sent, of any kind (an eval's voice notes and photos), in order and
    /// at once; returns their conversation.
    pub async fn receive_contents(
        &self,
        phone: &Phone,
        push_name: Option<&str>,
        contents: Vec<MessageContent>,
    ) -> Result<ConversationId, ConsoleError> {
        let now = self.inbox.clock.now();
        let events =
            contents.into_iter().map(|content| console::sent(phone, push_name, content, now)).collect();
        let summary = self.inbox.ingest(&self.route, events).await?;
        summary.to_answer.first().copied().ok_or(ConsoleError::NothingStored)
    }
}
