//! The conversation engine: stored inbound messages in, exactly one reply per turn out.
//!
//! A turn gathers every inbound message of a conversation not yet answered, runs the guards
//! (opt-out, emergency, a request for a person), asks the brain otherwise, cuts the draft into
//! WhatsApp-sized bubbles and writes the bubbles to the outbox under
//! idempotency keys derived from the turn, so that a turn retried after a crash queues nothing
//! twice. The [`worker`] decides when a turn runs: after a wake-up, once the debounce window is
//! quiet, by whichever worker holds the conversation's lease.
//!
//! [`Engine::run_turn`] is the whole turn, callable directly: `sofia chat` and `sofia eval`
//! store the patient's messages through the inbox's [`crate::inbox::Console`] and run it
//! without the debounce, with the same guards, brain and outbox as `serve`.

mod bubbles;
mod file_reply;
mod guards;
mod turn;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use sofia_core::clock::Clock;
use sofia_core::conversation::ConversationState;
use sofia_core::domain::{ClinicId, ConversationId, MessageId};

use crate::agent::tools::{ToolCall, Tools};
use crate::agent::{Brain, BrainKind, Usage};
use crate::channels::OutboundMessage;
use crate::clinics::{Clinics, LoadedClinic};
use crate::config::EngineConfig;
use crate::handoff::{Desk, DeskError, HandoffConfig};
use crate::media::Attachments;
use crate::store::{Store, StoreError};

pub use file_reply::{DOCUMENT_REASON, FileReply, ORDER_REASON};
pub use guards::Guard;

/// What the engine is built from; the wiring (`app::wiring`, `sofia chat`, `sofia eval`) picks the
/// adapters.
pub struct EngineParts {
    pub store: Arc<dyn Store>,
    pub clinics: Arc<Clinics>,
    pub brain: Arc<dyn Brain>,
    pub tools: Arc<Tools>,
    pub clock: Arc<dyn Clock>,
}

pub struct Engine {
    store: Arc<dyn Store>,
    clinics: Arc<Clinics>,
    brain: Arc<dyn Brain>,
    tools: Arc<Tools>,
    clock: Arc<dyn Clock>,
    settings: EngineConfig,
    /// Hands conversations back from the team: a turn returns an idle one before answering.
    desk: Desk,
    /// Reads the turn's voice notes, photos and documents.
    attachments: Attachments,
    /// Names this engine in leases and locks; unique per process start.
    worker_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("conversation {0} belongs to no loaded clinic")]
    UnknownClinic(ClinicId),
    #[error("conversation {0} does not exist")]
    UnknownConversation(ConversationId),
    #[error("conversation {0} is being worked by another worker")]
    Busy(ConversationId),
    /// The lease ran out during the turn and another worker holds it now: this turn stopped
    /// where it was, so two turns never run tools for one conversation at once.
    #[error("conversation {0} was taken over by another worker during the turn; the turn stopped")]
    LeaseLost(ConversationId),
    #[error("the store failed")]
    Store(#[from] StoreError),
    #[error("cannot serialise the conversation state or a message")]
    Json(#[from] serde_json::Error),
    #[error("a reply does not fit WhatsApp")]
    Message(#[from] crate::channels::MessageError),
    #[error("the conversation could not be returned from the team")]
    Handoff(#[from] DeskError),
}

/// Everything one turn did, for `sofia chat --trace`, evals and tests.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TurnOutcome {
    /// The bubbles queued in the outbox, in order.
    pub bubbles: Vec<OutboundMessage>,
    /// Their outbox rows, in the same order.
    pub queued: Vec<MessageId>,
    /// Every tool call made during the turn, by a guard or the brain, including those of a
    /// draft discarded because a new message arrived.
    pub tool_calls: Vec<ToolCall>,
    /// A handoff to a human happened in this turn.
    pub handoff: bool,
    /// Which guard answered, if one did.
    pub guard: Option<Guard>,
    /// The fixed answer about the turn's files, if one answered (no brain did).
    pub file_reply: Option<FileReply>,
    /// Which brain answered; `None` when a guard did or the bot was silent.
    pub brain: Option<BrainKind>,
    pub usage: Option<Usage>,
    /// The bot did not answer because a human owns the conversation or it is paused.
    pub silenced: bool,
    /// The draft was thrown away because a person of the team took the conversation during
    /// the turn.
    pub dropped: bool,
    /// Drafts thrown away because the patient wrote again before they were sent.
    pub redone: u32,
    /// The inbound messages this turn answered.
    pub answered: Vec<MessageId>,
    /// The conversation state after the turn.
    pub state: ConversationState,
}

impl Engine {
    /// An engine with the default `[handoff]` settings; see [`Engine::with_handoff`].
    pub fn new(parts: EngineParts, settings: EngineConfig) -> Engine {
        let desk = Desk::new(Arc::clone(&parts.store), Arc::clone(&parts.clock), HandoffConfig::default());
        Engine {
            desk,
            attachments: Attachments::unavailable(),
            store: parts.store,
            clinics: parts.clinics,
            brain: parts.brain,
            tools: parts.tools,
            clock: parts.clock,
            settings,
            worker_id: format!("sofia-{}", uuid::Uuid::new_v4()),
        }
    }

    /// Returns idle human-owned conversations after `handoff.idle_return_h` of `settings`.
    pub fn with_handoff(mut self, settings: HandoffConfig) -> Engine {
        self.desk = Desk::new(Arc::clone(&self.store), Arc::clone(&self.clock), settings);
        self
    }

    /// Fetches and transcribes the files patients send (without it, none can be read).
    pub fn with_attachments(mut self, attachments: Attachments) -> Engine {
        self.attachments = attachments;
        self
    }

    pub fn settings(&self) -> &EngineConfig {
        &self.settings
    }

    /// Where the team's actions on this engine's conversations go: `sofia chat`'s `/staff` and
    /// `/resolve`, an eval's `staff:` and `resolve:` turns.
    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The clock every turn reads the time from.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub fn brain_kind(&self) -> BrainKind {
        self.brain.kind()
    }

    /// Runs one turn now for everything pending in the conversation: guards, brain, bubbles,
    /// outbox. Fails with [`EngineError::Busy`] if another worker holds the conversation.
    ///
    /// Everything it logs is inside a `conversation` span: the clinic, the masked phone and an
    /// id naming this turn.
    #[tracing::instrument(
        name = "conversation",
        skip_all,
        fields(
            %conversation,
            turn = %uuid::Uuid::new_v4(),
            clinic = tracing::field::Empty,
            phone = tracing::field::Empty,
        )
    )]
    pub async fn run_turn(&self, conversation: ConversationId) -> Result<TurnOutcome, EngineError> {
        let now = self.clock.now();
        let until = now + chrono::Duration::seconds(i64::try_from(self.settings.lease_s).unwrap_or(30));
        if !self.store.claim_lease(conversation, &self.worker_id, until, now).await? {
            return Err(EngineError::Busy(conversation));
        }
        let outcome = self.renewing_lease(conversation, turn::run(self, conversation)).await;
        if let Err(error) = self.store.release_lease(conversation, &self.worker_id).await {
            // The lease expires on its own; the next turn only waits for it.
            tracing::warn!(
                error = &error as &dyn std::error::Error,
                "could not release a conversation lease"
            );
        }
        outcome
    }

    /// Runs `turn`, renewing this worker's lease on `conversation` every third of
    /// `engine.lease_s`, so a slow model never lets another replica take over a live turn; only
    /// a dead (or stalled) worker's lease runs out. A turn whose lease another worker took is
    /// stopped at once: its next tool call, or its reply, would race the new owner's.
    async fn renewing_lease(
        &self,
        conversation: ConversationId,
        turn: impl Future<Output = Result<TurnOutcome, EngineError>>,
    ) -> Result<TurnOutcome, EngineError> {
        let lease = chrono::Duration::seconds(i64::try_from(self.settings.lease_s).unwrap_or(30));
        let every = Duration::from_secs(self.settings.lease_s).max(Duration::from_secs(1)) / 3;
        let mut turn = std::pin::pin!(turn);
        loop {
            tokio::select! {
                outcome = &mut turn => return outcome,
                () = tokio::time::sleep(every) => {
                    let now = self.clock.now();
                    match self.store.claim_lease(conversation, &self.worker_id, now + lease, now).await {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::warn!(%conversation, "another worker took over a running turn; stopping it");
                            return Err(EngineError::LeaseLost(conversation));
                        }
                        Err(error) => tracing::warn!(
                            error = &error as &dyn std::error::Error,
                            "could not renew a conversation lease"
                        ),
                    }
                }
            }
        }
    }

    /// The clinic as loaded now; a turn keeps it to its end, even if the clinic is reloaded
    /// meanwhile.
    fn clinic_by_id(&self, id: ClinicId) -> Result<Arc<LoadedClinic>, EngineError> {
        self.clinics.by_id(id).ok_or(EngineError::UnknownClinic(id))
    }

    fn debounce(&self) -> Duration {
        Duration::from_millis(self.settings.debounce_ms)
    }
}
