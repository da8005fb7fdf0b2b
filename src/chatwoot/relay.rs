//! The relay: applies what Chatwoot's webhooks told Sofia, after they were stored and
//! acknowledged (`POST /webhooks/chatwoot/{key}` stores first and answers at once, since
//! Chatwoot waits 5 s at most).
//!
//! - An agent's public reply goes to the patient through the clinic's WhatsApp outbox, as the
//!   team's message ([`Desk::staff_wrote`]): the conversation is the team's from then on.
//! - The status set to `open`, or an assignment to a person, takes the conversation over
//!   even when Sofia never handed it off; `resolved` or `pending` gives it back to the bot.
//!
//! Events are applied one at a time in the order received, so a reply and the resolve that
//! follows it happen in that order. One that fails for a reason that may pass (the store is
//! down) is tried again with a back-off; anything else is recorded with its outcome and never
//! tried again.

use std::sync::Arc;

use chrono::Duration;
use sofia_core::clock::Clock;
use sofia_core::domain::{ChatwootConversationId, ConversationId};
use tokio::sync::Notify;
use tracing::Instrument;

use super::client::ConversationStatus;
use super::webhook::{self, DeskEvent};
use crate::engine::worker::Delivery;
use crate::handoff::{Desk, DeskError, HandoffConfig, StaffMessage};
use crate::metrics::Metrics;
use crate::store::{ChatwootEvent, StaffMember, Store, StoreError};

/// How long a relay holds the events it claimed (longer than applying them takes).
pub const CLAIM_LEASE: Duration = Duration::minutes(2);
/// Events claimed per round.
const BATCH: u32 = 50;
/// After this many failed attempts an event is recorded as given up.
const MAX_ATTEMPTS: u32 = 10;

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RelayReport {
    pub applied: usize,
    pub retrying: usize,
}

pub struct Relay {
    store: Arc<dyn Store>,
    metrics: Arc<Metrics>,
    clock: Arc<dyn Clock>,
    desk: Desk,
    delivery: Arc<dyn Delivery>,
    wake: Arc<Notify>,
}

/// Why an event could not be applied.
#[derive(Debug, thiserror::Error)]
enum ApplyError {
    /// May pass: tried again later.
    #[error("the store failed")]
    Store(#[from] StoreError),
    /// Will not pass: recorded as the outcome.
    #[error("{0}")]
    Final(String),
}

impl From<DeskError> for ApplyError {
    fn from(error: DeskError) -> Self {
        match error {
            DeskError::Store(error) => ApplyError::Store(error),
            other => ApplyError::Final(other.to_string()),
        }
    }
}

impl Relay {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        handoff: HandoffConfig,
        delivery: Arc<dyn Delivery>,
        metrics: Arc<Metrics>,
    ) -> Relay {
        let desk = Desk::new(Arc::clone(&store), Arc::clone(&clock), handoff);
        Relay { store, metrics, clock, desk, delivery, wake: Arc::new(Notify::new()) }
    }

    /// Notified by the webhook route after it stored an event: the relay applies it at once
    /// instead of at the next tick.
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Applies events as they arrive, and every `every` (for retries and other replicas'
    /// events), until `shutdown` resolves.
    pub async fn run(&self, every: std::time::Duration, shutdown: impl Future<Output = ()>) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                () = self.wake.notified() => {}
                () = &mut shutdown => return,
            }
            if let Err(error) = self.round().await {
                tracing::warn!(error = &error as &dyn std::error::Error, "Chatwoot relay round failed");
            }
        }
    }

    /// Applies every stored event not applied yet, oldest first.
    pub async fn round(&self) -> Result<RelayReport, StoreError> {
        let mut report = RelayReport::default();
        loop {
            let claim = uuid::Uuid::new_v4().to_string();
            let now = self.clock.now();
            let events = self.store.claim_chatwoot_events(&claim, now, now + CLAIM_LEASE, BATCH).await?;
            if events.is_empty() {
                return Ok(report);
            }
            for event in &events {
                let span = tracing::info_span!("chatwoot_event", event = %event.event, id = %event.id);
                if self.settle(event).instrument(span).await? {
                    report.applied += 1;
                } else {
                    report.retrying += 1;
                }
            }
            if report.retrying > 0 {
                // What is left waits for its back-off; the next round starts over.
                return Ok(report);
            }
        }
    }

    /// Applies one event and records the outcome, or schedules a retry. Answers whether it
    /// is settled.
    async fn settle(&self, event: &ChatwootEvent) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let (settled, counted) = match self.apply(event).await {
            Ok(outcome) => {
                tracing::info!(outcome, "Chatwoot event applied");
                self.store.finish_chatwoot_event(event.id, &outcome, now).await?;
                (true, if outcome.starts_with("ignored:") { "ignored" } else { "applied" })
            }
            Err(ApplyError::Final(reason)) => {
                tracing::warn!(reason, "a Chatwoot event could not be applied");
                self.store.finish_chatwoot_event(event.id, &format!("not applied: {reason}"), now).await?;
                (true, "not_applied")
            }
            Err(ApplyError::Store(error)) if event.attempts + 1 >= MAX_ATTEMPTS => {
                let outcome = format!("given up after {MAX_ATTEMPTS} attempts: {error}");
                tracing::error!(outcome, "a Chatwoot event was given up");
                self.store.finish_chatwoot_event(event.id, &outcome, now).await?;
                (true, "given_up")
            }
            Err(ApplyError::Store(error)) => {
                let wait = Duration::seconds(5 * (1 << event.attempts.min(7)));
                tracing::warn!(
                    error = &error as &dyn std::error::Error,
                    "a Chatwoot event waits for a retry"
                );
                self.store.retry_chatwoot_event(event.id, now + wait).await?;
                (false, "retrying")
            }
        };
        self.metrics.chatwoot.inc(&["relay", counted]);
        Ok(settled)
    }

    async fn apply(&self, event: &ChatwootEvent) -> Result<String, ApplyError> {
        let conversation_of = |chatwoot| self.conversation_of(event, chatwoot);
        match webhook::read(&event.event, &event.payload) {
            DeskEvent::Ignored(reason) => Ok(format!("ignored: {reason}")),
            DeskEvent::AgentReply { conversation, message, text, agent } => {
                let conversation = conversation_of(conversation).await?;
                let staff = StaffMessage {
                    text,
                    by: staff_member(agent.as_deref()),
                    reference: Some(format!("chatwoot:{message}")),
                };
                let wrote = self.desk.staff_wrote(conversation, &staff).await?;
                self.send(conversation);
                Ok(if wrote.took_over {
                    "the agent's reply is on its way to the patient; the team took the conversation over"
                } else {
                    "the agent's reply is on its way to the patient"
                }
                .to_owned())
            }
            DeskEvent::Status { conversation, status, by } => {
                let conversation = conversation_of(conversation).await?;
                let by = staff_member(by.as_deref());
                match status {
                    ConversationStatus::Open => self.take_over(conversation, &by).await,
                    ConversationStatus::Resolved | ConversationStatus::Pending => {
                        match self.desk.resolve_conversation(conversation, &by).await {
                            Ok(_) => Ok("handed back to Sofia".to_owned()),
                            Err(DeskError::NothingOpen(_)) => {
                                Ok("Sofia had the conversation already".to_owned())
                            }
                            Err(error) => Err(error.into()),
                        }
                    }
                    ConversationStatus::Snoozed => Ok("ignored: snoozed".to_owned()),
                }
            }
            DeskEvent::Assigned { conversation, agent } => {
                let conversation = conversation_of(conversation).await?;
                let by = staff_member(Some(&agent));
                let (handoff, took_over) = self.desk.take_over_conversation(conversation, &by).await?;
                if took_over {
                    return Ok(format!("assigned to {by}: the team took the conversation over"));
                }
                self.desk.assign(handoff.id, &by).await?;
                Ok(format!("assigned to {by}"))
            }
        }
    }

    /// Ours, for the clinic whose key the webhook used.
    async fn conversation_of(
        &self,
        event: &ChatwootEvent,
        chatwoot: ChatwootConversationId,
    ) -> Result<ConversationId, ApplyError> {
        self.store
            .conversation_in_chatwoot(event.clinic_id, chatwoot)
            .await?
            .ok_or_else(|| ApplyError::Final("a Chatwoot conversation Sofia did not mirror".to_owned()))
    }

    async fn take_over(&self, conversation: ConversationId, by: &StaffMember) -> Result<String, ApplyError> {
        let (_, took_over) = self.desk.take_over_conversation(conversation, by).await?;
        Ok(if took_over { "opened: the team took the conversation over" } else { "the team had it already" }
            .to_owned())
    }

    /// Sends the conversation's outbox now, off the relay's loop: a slow provider must not
    /// hold the next events (the outbox sweep sends whatever this misses).
    fn send(&self, conversation: ConversationId) {
        let delivery = Arc::clone(&self.delivery);
        tokio::spawn(async move { delivery.deliver(conversation).await }.in_current_span());
    }
}

/// The agent's name as Chatwoot gives it, or the team's.
fn staff_member(name: Option<&str>) -> StaffMember {
    name.and_then(|name| StaffMember::parse(name).ok()).unwrap_or_else(StaffMember::team)
}
