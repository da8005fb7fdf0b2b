//! [`Desk`]: what the clinic's team does to a conversation, and the bot taking it back.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;
use sofia_core::clock::Clock;
use sofia_core::conversation::{ConversationState, Handover};
use sofia_core::domain::{ConversationId, HandoffId, InteractionKind, MessageId};

use super::HandoffConfig;
use crate::channels::{MessageError, OutboundMessage};
use crate::store::{
    Author, Conversation, Handoff, HandoffOrigin, NewHandoff, NewOutbound, OutboxReceipt, Owner, ResolvedBy,
    StaffMember, Store, StoreError,
};

/// Where the team meets Sofia's conversations: a person writing to the patient, a handoff
/// resolved or assigned, and the idle return. Cheap to build; holds no state of its own.
pub struct Desk {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    settings: HandoffConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("handoff {0} does not exist")]
    UnknownHandoff(HandoffId),
    #[error("handoff {id} was already resolved on {at} (by {by})")]
    AlreadyResolved { id: HandoffId, at: DateTime<Utc>, by: String },
    #[error("conversation {0} does not exist")]
    UnknownConversation(ConversationId),
    #[error("the conversation {0} has no open handoff")]
    NothingOpen(ConversationId),
    #[error("the team's message cannot go to WhatsApp")]
    Message(#[from] MessageError),
    #[error("the store failed")]
    Store(#[from] StoreError),
    #[error("cannot serialise the conversation state or a message")]
    Json(#[from] serde_json::Error),
}

/// A message a person of the team writes to the patient.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffMessage {
    pub text: String,
    pub by: StaffMember,
    /// The sender's own id for the message (a Chatwoot message id): a redelivery of the same
    /// message queues nothing twice. Without one, every call queues a message.
    pub reference: Option<String>,
}

/// What [`Desk::staff_wrote`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffWrote {
    /// The outbox row the message waits in.
    pub message: MessageId,
    /// The conversation's open handoff.
    pub handoff: Handoff,
    /// The bot owned the conversation: this message took it over.
    pub took_over: bool,
}

impl Desk {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, settings: HandoffConfig) -> Desk {
        Desk { store, clock, settings }
    }

    pub fn settings(&self) -> &HandoffConfig {
        &self.settings
    }

    /// A person of the team wrote to the patient: the text goes to the outbox (as the team's,
    /// not the bot's), the conversation is human-owned from now on — a "taken over" handoff is
    /// opened when Sofia never handed it off — and the idle return counts from now.
    #[tracing::instrument(name = "staff_wrote", skip_all, fields(%conversation))]
    pub async fn staff_wrote(
        &self,
        conversation: ConversationId,
        message: &StaffMessage,
    ) -> Result<StaffWrote, DeskError> {
        let now = self.clock.now();
        let found = self.conversation(conversation).await?;
        let bubble = OutboundMessage::text(message.text.trim())?;
        let (handoff, took_over) = match self.store.open_handoff_of(conversation).await? {
            Some(open) => (open, false),
            None => (self.take_over(&found, &message.by, now).await?, true),
        };
        let key = match &message.reference {
            Some(reference) => format!("staff:{conversation}:{reference}"),
            None => format!("staff:{}", MessageId::new_random()),
        };
        let queued = self
            .store
            .enqueue_outbound(&NewOutbound {
                id: MessageId::new_random(),
                clinic_id: found.clinic_id,
                conversation_id: conversation,
                idempotency_key: key,
                author: Author::Agent,
                kind: bubble.kind(),
                body: bubble.plain_text(),
                payload: serde_json::to_value(&bubble)?,
                created_at: now,
            })
            .await?;
        let (OutboxReceipt::Queued(id) | OutboxReceipt::AlreadyQueued(id)) = queued;
        self.store.human_wrote(conversation, now).await?;
        tracing::info!(handoff = %handoff.id, took_over, "a person of the team wrote to the patient");
        Ok(StaffWrote { message: id, handoff, took_over })
    }

    /// The team is done: the handoff is resolved and the bot answers the patient again.
    /// An unknown or already resolved handoff is an error that says which.
    #[tracing::instrument(name = "resolve_handoff", skip_all, fields(handoff = %id))]
    pub async fn resolve(&self, id: HandoffId, by: &StaffMember) -> Result<Handoff, DeskError> {
        let now = self.clock.now();
        let handoff = match self.store.return_to_bot(id, &ResolvedBy::Staff(by.clone()), now).await {
            Ok(handoff) => handoff,
            Err(StoreError::NotFound(_)) => return Err(self.why_not_open(id).await?),
            Err(error) => return Err(error.into()),
        };
        self.returned(&handoff, InteractionKind::HandoffResolved, now).await?;
        tracing::info!(conversation = %handoff.conversation_id, "handoff resolved; the bot answers again");
        Ok(handoff)
    }

    /// The conversation's open handoff, resolved (for callers that know the conversation, not
    /// the handoff: `sofia chat`'s `/resolve`, an eval's `resolve: true`).
    pub async fn resolve_conversation(
        &self,
        conversation: ConversationId,
        by: &StaffMember,
    ) -> Result<Handoff, DeskError> {
        let open =
            self.store.open_handoff_of(conversation).await?.ok_or(DeskError::NothingOpen(conversation))?;
        self.resolve(open.id, by).await
    }

    /// A person of the team took the conversation without writing to the patient yet (in
    /// Chatwoot: opened it, or assigned it to someone): it is human-owned from now on, with a
    /// "taken over" handoff when the bot had it. Returns the open handoff and whether this
    /// call took the conversation over (`false`: the team had it already).
    #[tracing::instrument(name = "take_over", skip_all, fields(%conversation))]
    pub async fn take_over_conversation(
        &self,
        conversation: ConversationId,
        by: &StaffMember,
    ) -> Result<(Handoff, bool), DeskError> {
        if let Some(open) = self.store.open_handoff_of(conversation).await? {
            return Ok((open, false));
        }
        let found = self.conversation(conversation).await?;
        let handoff = match self.take_over(&found, by, self.clock.now()).await {
            Ok(handoff) => handoff,
            // Another event (or replica) took it over first.
            Err(DeskError::Store(StoreError::HandoffOpen)) => {
                let open = self.store.open_handoff_of(conversation).await?;
                return open.map(|open| (open, false)).ok_or(DeskError::NothingOpen(conversation));
            }
            Err(error) => return Err(error),
        };
        tracing::info!(handoff = %handoff.id, "a person of the team took the conversation over");
        Ok((handoff, true))
    }

    /// Who on the team answers the handoff.
    pub async fn assign(&self, id: HandoffId, assignee: &StaffMember) -> Result<Handoff, DeskError> {
        match self.store.assign_handoff(id, assignee).await {
            Ok(handoff) => Ok(handoff),
            Err(StoreError::NotFound(_)) => Err(self.why_not_open(id).await?),
            Err(error) => Err(error.into()),
        }
    }

    /// Gives `conversation` back to the bot if a human owns it and nobody from the team wrote
    /// for `handoff.idle_return_h`: a turn calls it before deciding whether the bot may answer.
    /// Returns the handoff it resolved.
    pub async fn return_if_idle(&self, conversation: &Conversation) -> Result<Option<Handoff>, DeskError> {
        if conversation.owner != Owner::Human {
            return Ok(None);
        }
        let Some(open) = self.store.open_handoff_of(conversation.id).await? else { return Ok(None) };
        let now = self.clock.now();
        let since = now - self.settings.idle_return();
        let quiet = open.created_at <= since && conversation.human_wrote_at.is_none_or(|at| at <= since);
        if !quiet {
            return Ok(None);
        }
        self.return_idle_handoff(open.id, now).await
    }

    /// Every human-owned conversation, of every clinic, that nobody from the team wrote in for
    /// `handoff.idle_return_h`, back to the bot. Returns the handoffs it resolved.
    pub async fn return_idle(&self) -> Result<Vec<Handoff>, DeskError> {
        let now = self.clock.now();
        let mut returned = Vec::new();
        for idle in self.store.idle_handoffs(now - self.settings.idle_return()).await? {
            if let Some(handoff) = self.return_idle_handoff(idle.id, now).await? {
                returned.push(handoff);
            }
        }
        Ok(returned)
    }

    async fn return_idle_handoff(
        &self,
        id: HandoffId,
        now: DateTime<Utc>,
    ) -> Result<Option<Handoff>, DeskError> {
        let handoff = match self.store.return_to_bot(id, &ResolvedBy::Idle, now).await {
            Ok(handoff) => handoff,
            // Resolved meanwhile, by a person or another replica's sweep.
            Err(StoreError::NotFound(_)) => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        self.returned(&handoff, InteractionKind::ReturnedToBot, now).await?;
        tracing::info!(
            conversation = %handoff.conversation_id,
            hours = self.settings.idle_return_h,
            "nobody from the team wrote; the bot answers again"
        );
        Ok(Some(handoff))
    }

    /// Opens the handoff of a conversation a person took over from the bot.
    async fn take_over(
        &self,
        conversation: &Conversation,
        by: &StaffMember,
        now: DateTime<Utc>,
    ) -> Result<Handoff, DeskError> {
        let handoff = self
            .store
            .hand_to_human(&NewHandoff {
                clinic_id: conversation.clinic_id,
                conversation_id: conversation.id,
                reason: "a equipe assumiu a conversa".to_owned(),
                summary: summary_of(&ConversationState::from_json(&conversation.state)),
                origin: HandoffOrigin::Staff,
                assignee: Some(by.clone()),
                opened_at: now,
            })
            .await?;
        self.record(
            conversation,
            InteractionKind::TakenOver,
            &handoff,
            format!("{by} assumiu a conversa."),
            now,
        )
        .await?;
        Ok(handoff)
    }

    /// After a handoff ended: the state says the human stretch is over, and the timeline says
    /// who ended it.
    async fn returned(
        &self,
        handoff: &Handoff,
        kind: InteractionKind,
        now: DateTime<Utc>,
    ) -> Result<(), DeskError> {
        let conversation = self.conversation(handoff.conversation_id).await?;
        let mut state = ConversationState::from_json(&conversation.state);
        state.handover = Handover::Returned { at: now };
        self.store.save_state(conversation.id, &state.to_json()?, now).await?;
        let summary = match &handoff.resolved_by {
            Some(ResolvedBy::Staff(by)) => format!("{by} encerrou o atendimento; a Sofia volta a responder."),
            _ => format!(
                "Ninguém da equipe escreveu por {} h; a Sofia volta a responder.",
                self.settings.idle_return_h
            ),
        };
        self.record(&conversation, kind, handoff, summary, now).await
    }

    async fn record(
        &self,
        conversation: &Conversation,
        kind: InteractionKind,
        handoff: &Handoff,
        summary: String,
        now: DateTime<Utc>,
    ) -> Result<(), DeskError> {
        let data = json!({ "handoff_id": handoff.id, "conversation_id": conversation.id });
        super::timeline::record(self.store.as_ref(), conversation, kind, summary, data, now).await?;
        Ok(())
    }

    async fn conversation(&self, id: ConversationId) -> Result<Conversation, DeskError> {
        self.store.conversation(id).await?.ok_or(DeskError::UnknownConversation(id))
    }

    /// Why `id` could not be resolved or assigned: it does not exist, or it is resolved.
    async fn why_not_open(&self, id: HandoffId) -> Result<DeskError, DeskError> {
        Ok(match self.store.handoff(id).await? {
            Some(Handoff { resolved_at: Some(at), resolved_by, .. }) => DeskError::AlreadyResolved {
                id,
                at,
                by: resolved_by.map(|by| by.to_string()).unwrap_or_default(),
            },
            _ => DeskError::UnknownHandoff(id),
        })
    }
}

/// What the team should know before answering, from the conversation's state: who, what they
/// want, and what awaited their yes.
pub(crate) fn summary_of(state: &ConversationState) -> String {
    let mut lines = Vec::new();
    if let Some(name) = &state.patient_name {
        lines.push(format!("Paciente: {name}."));
    }
    if let Some(interest) = &state.facts.interest {
        lines.push(format!("Interesse: {interest}."));
    }
    if let Some(pending) = &state.pending {
        lines.push(format!("Aguardava confirmação: {}", pending.summary));
    }
    lines.join(" ")
}
