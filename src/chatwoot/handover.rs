//! Telling Chatwoot where each handoff stands, so the agents' view matches who owns the
//! conversation: while the bot has it, it is `pending`; a handoff opens it (with a private
//! note saying why and what to know, labels, and the clinic's team), and when the handoff
//! ends it goes back to `pending` with a note saying so.
//!
//! It runs in the mirror's round, after the conversation's messages, so the note comes after
//! the messages that led to the handoff. What Chatwoot was told is recorded per handoff
//! (`chatwoot_handoffs`): each step is done once, and a step Chatwoot could not take now is
//! tried again next round. A handoff that had already ended when first told is not opened
//! (that would read as an agent opening it, and take the conversation over): it gets its note
//! for the record and goes back to pending.

use sofia_core::clinic::Clinic;
use sofia_core::clock::Clock;
use sofia_core::domain::{ChatwootTeamId, ClinicId};

use super::client::{Assignee, ChatwootClient, ChatwootError, ConversationStatus, NewMessage};
use super::mirror::LOOKBACK;
use super::note::{self, NoteFacts};
use crate::store::{Handoff, HandoffOrigin, HandoffStep, HandoffTold, Store, StoreError};

/// Handoffs told per clinic and round.
const BATCH: u32 = 50;

/// What telling a clinic's handoffs did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct HandoverReport {
    pub opened: usize,
    pub closed: usize,
}

pub(super) struct Handover<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    pub clinic: &'a Clinic,
    pub client: &'a ChatwootClient,
}

enum Stop {
    Store(StoreError),
    /// Chatwoot could not take a call now.
    Unavailable(ChatwootError),
}

impl From<StoreError> for Stop {
    fn from(error: StoreError) -> Self {
        Stop::Store(error)
    }
}

impl Handover<'_> {
    pub async fn tell(&self, clinic_id: ClinicId) -> Result<HandoverReport, StoreError> {
        let mut report = HandoverReport::default();
        let since = self.clock.now() - LOOKBACK;
        for (handoff, told) in self.store.handoffs_to_tell_chatwoot(clinic_id, since, BATCH).await? {
            match self.handoff(&handoff, told, &mut report).await {
                Ok(()) => {}
                Err(Stop::Store(error)) => return Err(error),
                Err(Stop::Unavailable(error)) => {
                    tracing::info!(handoff = %handoff.id, %error, "Chatwoot could not be told of a handoff now; next round");
                    return Ok(report);
                }
            }
        }
        Ok(report)
    }

    #[tracing::instrument(name = "handover", skip_all, fields(handoff = %handoff.id))]
    async fn handoff(
        &self,
        handoff: &Handoff,
        told: HandoffTold,
        report: &mut HandoverReport,
    ) -> Result<(), Stop> {
        let Some(link) = self.store.chatwoot_link(handoff.conversation_id).await? else { return Ok(()) };
        let conversation = link.chatwoot_conversation_id;
        let now = self.clock.now();
        if !told.opened {
            let facts = NoteFacts::gather(self.store, self.clinic, handoff, now).await?;
            if handoff.open {
                self.step(
                    "toggle_status open",
                    self.client.toggle_status(conversation, ConversationStatus::Open),
                )
                .await?;
                let labels = note::labels(&facts);
                let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
                self.step("labels", self.client.add_labels(conversation, &labels)).await?;
                if let (HandoffOrigin::Bot, Some(team)) = (handoff.origin, self.team()) {
                    self.step("team assignment", self.client.assign(conversation, Assignee::Team(team)))
                        .await?;
                }
            }
            let today = now.with_timezone(&self.clinic.timezone).date_naive();
            let text = note::opened(self.clinic, &facts, today);
            self.step(
                "handoff note",
                self.client.create_message(conversation, &NewMessage::private_note(text)),
            )
            .await?;
            self.store.chatwoot_told(handoff.id, HandoffStep::Opened, self.clock.now()).await?;
            report.opened += 1;
        }
        if !handoff.open && !told.closed {
            self.step(
                "toggle_status pending",
                self.client.toggle_status(conversation, ConversationStatus::Pending),
            )
            .await?;
            let text = note::closed(handoff);
            self.step(
                "return note",
                self.client.create_message(conversation, &NewMessage::private_note(text)),
            )
            .await?;
            self.store.chatwoot_told(handoff.id, HandoffStep::Closed, self.clock.now()).await?;
            report.closed += 1;
        }
        Ok(())
    }

    /// One call: a refusal (bad team id, a label Chatwoot will not take) is logged and the
    /// handoff goes on; only an unavailable Chatwoot stops it for this round.
    async fn step<T>(
        &self,
        what: &'static str,
        call: impl Future<Output = Result<T, ChatwootError>>,
    ) -> Result<(), Stop> {
        match call.await {
            Ok(_) => Ok(()),
            Err(error) if error.is_retryable() => Err(Stop::Unavailable(error)),
            Err(error) => {
                tracing::warn!(step = what, %error, "Chatwoot refused a handoff step; going on without it");
                Ok(())
            }
        }
    }

    fn team(&self) -> Option<ChatwootTeamId> {
        self.clinic.chatwoot.as_ref().and_then(|spec| spec.team_id)
    }
}
