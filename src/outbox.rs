//! The outbox dispatcher: hands queued reply bubbles to the clinic's channels and records what
//! became of each.
//!
//! # Delivery guarantee: at most once
//!
//! WhatsApp providers take no idempotency key, so a bubble handed to a provider whose answer
//! was lost cannot be told apart from one that never left. Sofia chooses never to send a
//! bubble twice over always sending it:
//!
//! - a dispatcher first *claims* every queued row of the conversation in one transaction; a
//!   claimed row is never claimed again, so two dispatchers (two replicas, or the engine and
//!   the periodic sweep) cannot both send it, and bubbles never overtake each other;
//! - rows the provider certainly did not take (every channel answered "try later") are given
//!   back to the queue and retried by the sweep, until they are [`MAX_QUEUE_AGE`] old;
//! - just before each request leaves, the row records that its send started (and only while
//!   the claim is still the dispatcher's own);
//! - a row still claimed after [`CLAIM_TIMEOUT`] belonged to a dispatcher that died or hung. If
//!   its send never started (the dispatcher was marking read, showing typing or waiting on a
//!   rate limit), it certainly was not delivered and goes back to the queue. If its request had
//!   started, the provider may have taken it: it is failed as "outcome unknown", not resent.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sofia_core::clinic::Clinic;
use sofia_core::clock::Clock;
use sofia_core::domain::{ChannelId, ClinicId, ConversationId, MessageId, Phone, TenantId};

use crate::channels::{
    ChannelConfigError, Fault, OutboundMessage, ProviderMessageId, Router, RouterConfig, SendError,
    SendStart, Sleeper, provider_from_spec,
};
use crate::metrics::{BreakerSample, Metrics};
use crate::store::{Author, Conversation, HandoffOrigin, Owner, Store, StoreError, StoredMessage, Waiting};

/// The default `outbox.claim_timeout_s`: longer than any one send can take through the router
/// (retries and failover included).
pub const CLAIM_TIMEOUT: Duration = Duration::minutes(10);
/// A reply not sent within this long is failed rather than sent late: the conversation has
/// moved on, and slots it offers may be gone.
pub const MAX_QUEUE_AGE: Duration = Duration::minutes(30);
/// Conversations the sweep takes per round.
const SWEEP_BATCH: u32 = 100;

/// Where the console channel writes a bubble (stdout in `serve`; tests capture it).
pub type ConsoleOutput = Arc<dyn Fn(&str) + Send + Sync>;

/// Prints to stdout: the console channel is "WhatsApp" for an operator at a terminal.
pub fn stdout_console() -> ConsoleOutput {
    Arc::new(|line| println!("{line}"))
}

/// How the dispatcher's routers behave.
#[derive(Clone)]
pub struct DispatcherConfig {
    pub router: RouterConfig,
    /// How long a provider may take to answer a send (or a read receipt) before its outcome is
    /// unknown: a hung provider must not hold a conversation worker.
    pub send_timeout: std::time::Duration,
    /// How long a dispatcher may hold a claim before the sweep settles it (see the module docs).
    pub claim_timeout: Duration,
    /// How the routers wait for back-off and rate limits.
    pub sleeper: Arc<dyn Sleeper>,
    pub console: ConsoleOutput,
}

/// What a dispatch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: usize,
    pub failed: usize,
    /// Given back to the queue for the sweep to try again.
    pub deferred: usize,
}

impl std::ops::AddAssign for DispatchReport {
    fn add_assign(&mut self, other: Self) {
        self.sent += other.sent;
        self.failed += other.failed;
        self.deferred += other.deferred;
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error("could not read or update the outbox")]
    Store(#[from] StoreError),
    #[error("conversation {0} does not exist")]
    NoConversation(ConversationId),
    #[error("conversation {0} belongs to a clinic that is not loaded")]
    UnknownClinic(ConversationId),
}

struct ClinicChannels {
    tenant: TenantId,
    router: Router,
    /// Channel ids in the clinic's priority order (the router's channel indexes).
    channel_ids: Vec<ChannelId>,
}

pub struct Dispatcher {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    clinics: HashMap<ClinicId, ClinicChannels>,
    console: ConsoleOutput,
    claim_timeout: Duration,
}

/// How one row ended.
enum RowOutcome {
    Sent,
    Failed,
    /// Not taken by any channel now; the reason is recorded on the row.
    Later(String),
}

impl Dispatcher {
    /// Builds each clinic's router from its channels in priority order, reading their secrets
    /// through `env`.
    pub fn new(
        clinics: &[&Clinic],
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        metrics: Arc<Metrics>,
        http: &reqwest::Client,
        env: &dyn Fn(&str) -> Option<String>,
        config: DispatcherConfig,
    ) -> Result<Self, ChannelConfigError> {
        let mut by_clinic = HashMap::new();
        for clinic in clinics {
            let providers = clinic
                .channels
                .iter()
                .map(|spec| provider_from_spec(spec, http, env))
                .collect::<Result<_, _>>()?;
            let router =
                Router::new(providers, config.router, Arc::clone(&clock), Arc::clone(&config.sleeper));
            let channel_ids = clinic.channels.iter().map(|spec| spec.id(&clinic.tenant)).collect();
            by_clinic
                .insert(clinic.id, ClinicChannels { tenant: clinic.tenant.clone(), router, channel_ids });
        }
        Ok(Dispatcher {
            store,
            clock,
            metrics,
            clinics: by_clinic,
            console: config.console,
            claim_timeout: config.claim_timeout,
        })
    }

    /// Sends the conversation's queued replies, oldest first, until none is left. Returns at
    /// once (with nothing done) when another dispatcher is sending this conversation.
    #[tracing::instrument(name = "dispatch", skip_all, fields(%conversation))]
    pub async fn dispatch(&self, conversation: ConversationId) -> Result<DispatchReport, DispatchError> {
        let record = self
            .store
            .conversation(conversation)
            .await?
            .ok_or(DispatchError::NoConversation(conversation))?;
        let clinic = self.clinics.get(&record.clinic_id).ok_or(DispatchError::UnknownClinic(conversation))?;
        let mut report = DispatchReport::default();
        let mut greeted = false;
        loop {
            let claim = uuid::Uuid::new_v4().to_string();
            let rows = self.store.claim_outbound(conversation, &claim, self.clock.now()).await?;
            if rows.is_empty() {
                return Ok(report);
            }
            if !greeted {
                self.before_reply(clinic, &record).await;
                greeted = true;
            }
            let mut rows = rows.into_iter();
            while let Some(row) = rows.next() {
                let outcome = match self.send_or_drop(clinic, &record.phone, &row, &claim).await {
                    Ok(outcome) => outcome,
                    Err(error) => {
                        // The rows not tried yet were certainly not sent: give them back.
                        let untried: Vec<MessageId> = rows.map(|r| r.id).collect();
                        if let Err(release) = self
                            .store
                            .release_outbound(&untried, &claim, "deferred: store error", self.clock.now())
                            .await
                        {
                            // They stay claimed until the claim times out; their sends never
                            // started, so the sweep queues them again then.
                            tracing::warn!(error = %release, rows = untried.len(), "could not give unsent replies back");
                        }
                        return Err(error.into());
                    }
                };
                match outcome {
                    RowOutcome::Sent => report.sent += 1,
                    RowOutcome::Failed => report.failed += 1,
                    RowOutcome::Later(reason) => {
                        // Later bubbles wait too, or they would arrive before this one.
                        let ids: Vec<MessageId> = std::iter::once(row.id).chain(rows.map(|r| r.id)).collect();
                        report.deferred += ids.len();
                        self.store.release_outbound(&ids, &claim, &reason, self.clock.now()).await?;
                        return Ok(report);
                    }
                }
            }
        }
    }

    /// One round of the periodic sweep: fails sends abandoned by a dead dispatcher, then
    /// dispatches every conversation with queued replies (left by a crash, or deferred).
    pub async fn sweep(&self) -> Result<DispatchReport, DispatchError> {
        let now = self.clock.now();
        let stale = self
            .store
            .expire_stale_claims(
                now - self.claim_timeout,
                "unknown: the sender stopped mid-send; not sent again",
                now,
            )
            .await?;
        if stale.requeued > 0 {
            tracing::warn!(rows = stale.requeued, "replies a stopped sender never started are queued again");
            self.metrics.sends.add(&["", "none", "none", "requeued"], stale.requeued);
        }
        if stale.failed > 0 {
            tracing::warn!(
                rows = stale.failed,
                "replies whose send outcome is unknown were failed, not resent"
            );
            self.metrics.sends.add(&["", "none", "none", "unknown"], stale.failed);
        }
        let mut report = DispatchReport::default();
        let clinics: Vec<ClinicId> = self.clinics.keys().copied().collect();
        for conversation in self.store.conversations_waiting(Waiting::ForSend, &clinics, SWEEP_BATCH).await? {
            match self.dispatch(conversation).await {
                Ok(done) => report += done,
                Err(error) => tracing::warn!(%conversation, error = %error, "outbox sweep: dispatch failed"),
            }
        }
        Ok(report)
    }

    /// Sweeps every `every` (the first at once) until `shutdown` resolves; a sweep under way
    /// is finished first.
    pub async fn run(&self, every: std::time::Duration, shutdown: impl Future<Output = ()>) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                _ = ticks.tick() => {
                    if let Err(error) = self.sweep().await {
                        tracing::warn!(error = %error, "outbox sweep failed");
                    }
                }
                () = &mut shutdown => return,
            }
        }
    }

    /// Every channel's breaker, clinic by clinic, for `/readyz` and `/metrics`.
    pub fn health(&self) -> Vec<BreakerSample> {
        let mut samples: Vec<BreakerSample> = self
            .clinics
            .values()
            .flat_map(|clinic| {
                clinic.router.health().into_iter().map(|channel| BreakerSample {
                    clinic: clinic.tenant.to_string(),
                    channel: channel.channel_index,
                    provider: channel.provider,
                    state: channel.breaker,
                })
            })
            .collect();
        samples.sort_by(|a, b| (&a.clinic, a.channel).cmp(&(&b.clinic, b.channel)));
        samples
    }

    /// Read receipt and typing indicator on the channel the patient last wrote through.
    async fn before_reply(&self, clinic: &ClinicChannels, conversation: &Conversation) {
        let last = match self.store.latest_patient_message(conversation.id).await {
            Ok(last) => last,
            Err(error) => {
                tracing::debug!(error = %error, "no read receipt: cannot read the last message");
                return;
            }
        };
        let Some(last) = last else { return };
        let channel = last.channel_id.and_then(|id| clinic.channel_ids.iter().position(|c| *c == id));
        let id = last.provider_message_id.as_deref().and_then(|id| ProviderMessageId::parse(id).ok());
        if let (Some(channel), Some(id)) = (channel, id) {
            clinic.router.before_reply(channel, &conversation.phone, &id).await;
        }
    }

    /// Sends the row, unless it is the bot's and a person of the team took the conversation
    /// (or wrote to the patient) after it was queued: the owner is checked again just before
    /// each bot bubble leaves, so the bot never talks over an agent who has just stepped in.
    async fn send_or_drop(
        &self,
        clinic: &ClinicChannels,
        to: &Phone,
        row: &StoredMessage,
        claim: &str,
    ) -> Result<RowOutcome, StoreError> {
        if row.author == Author::Bot && self.taken_after(row).await? {
            tracing::info!(message_id = %row.id, "a person of the team took the conversation: the bot's bubble is dropped");
            let reason = "dropped: a person of the team took the conversation over before it was sent";
            return self.fail(row, clinic.tenant.as_str(), "dropped", reason, self.clock.now()).await;
        }
        self.send_row(clinic, to, row, claim).await
    }

    /// Whether a person took the row's conversation over, or wrote in it, after the row was
    /// queued. A bubble queued while the team already had it (the acknowledgement to a
    /// waiting patient, an emergency's answer) is not affected.
    async fn taken_after(&self, row: &StoredMessage) -> Result<bool, StoreError> {
        let Some(conversation) = self.store.conversation(row.conversation_id).await? else {
            return Ok(false);
        };
        if conversation.owner != Owner::Human {
            return Ok(false);
        }
        if conversation.human_wrote_at.is_some_and(|at| at > row.created_at) {
            return Ok(true);
        }
        let open = self.store.open_handoff_of(row.conversation_id).await?;
        Ok(open.is_some_and(|handoff| {
            handoff.origin == HandoffOrigin::Staff && handoff.created_at > row.created_at
        }))
    }

    async fn send_row(
        &self,
        clinic: &ClinicChannels,
        to: &Phone,
        row: &StoredMessage,
        claim: &str,
    ) -> Result<RowOutcome, StoreError> {
        let tenant = clinic.tenant.as_str();
        let now = self.clock.now();
        let message = match serde_json::from_value::<OutboundMessage>(row.payload.clone()) {
            Ok(message) => message,
            Err(_) => {
                // The serde error may quote the text; the row keeps it anyway.
                return self
                    .fail(
                        row,
                        tenant,
                        "invalid",
                        "invalid: the queued payload is not an outbound message",
                        now,
                    )
                    .await;
            }
        };
        if now - row.created_at > MAX_QUEUE_AGE {
            let error =
                format!("expired: not sent within {} minutes of being queued", MAX_QUEUE_AGE.num_minutes());
            return self.fail(row, tenant, "expired", &error, now).await;
        }
        let start = RowStart { store: self.store.as_ref(), clock: self.clock.as_ref(), row: row.id, claim };
        match clinic.router.send_recording_start(to, &message, &start).await {
            Ok(delivered) => {
                let Some(channel) = clinic.channel_ids.get(delivered.channel_index) else {
                    return self
                        .fail(row, tenant, "failed", "unknown: the router named no channel", now)
                        .await;
                };
                let now = self.clock.now();
                self.store.mark_sent(row.id, *channel, delivered.provider_message_id.as_str(), now).await?;
                self.metrics.sends.inc(&[
                    tenant,
                    &delivered.channel_index.to_string(),
                    delivered.provider.as_str(),
                    "sent",
                ]);
                if delivered.provider == sofia_core::domain::ProviderKind::Console {
                    (self.console)(&format!("[sofia → {to}] {}", console_text(&message)));
                }
                Ok(RowOutcome::Sent)
            }
            Err(error @ SendError::NotStarted { .. }) => {
                tracing::info!(to = %to.masked(), %error, "the reply was not sent; it stays queued");
                Ok(RowOutcome::Later(error.to_string()))
            }
            Err(error @ SendError::Retryable { .. }) => {
                self.metrics.sends.inc(&[tenant, "none", "none", "retry_later"]);
                tracing::info!(to = %to.masked(), %error, "no channel took the reply now; it stays queued");
                Ok(RowOutcome::Later(format!("retryable: {error}")))
            }
            Err(error @ SendError::Unconfirmed { .. }) => {
                tracing::warn!(to = %to.masked(), %error, "a reply may or may not have been delivered; not sent again");
                self.fail(row, tenant, "unknown", &format!("unknown: {error}; not sent again"), now).await
            }
            Err(error @ SendError::WindowClosed) => {
                self.fail(row, tenant, "window_closed", &format!("window_closed: {error}"), now).await
            }
            Err(SendError::Permanent { fault, reason }) => {
                let error = format!("permanent({fault}): {reason}");
                // A template Meta will not send (not approved, paused, wrong parameters) is
                // the clinic's to fix in the Meta dashboard: counted on its own.
                let refused = fault == Fault::Message && matches!(message, OutboundMessage::Template(_));
                self.fail(row, tenant, if refused { "template_refused" } else { "failed" }, &error, now).await
            }
            Err(error @ SendError::InteractiveUnsupported { .. }) => {
                let error = format!("permanent({}): {error}", Fault::Message);
                self.fail(row, tenant, "failed", &error, now).await
            }
        }
    }

    async fn fail(
        &self,
        row: &StoredMessage,
        tenant: &str,
        outcome: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<RowOutcome, StoreError> {
        tracing::warn!(message_id = %row.id, error, "reply not sent");
        self.store.mark_send_failed(row.id, error, now).await?;
        self.metrics.sends.inc(&[tenant, "none", "none", outcome]);
        Ok(RowOutcome::Failed)
    }
}

/// Records on the row, before each request leaves, that its send started: what tells a claim
/// abandoned before sending (queued again) from one abandoned mid-send (never resent).
struct RowStart<'a> {
    store: &'a dyn Store,
    clock: &'a dyn Clock,
    row: MessageId,
    claim: &'a str,
}

#[async_trait::async_trait]
impl SendStart for RowStart<'_> {
    async fn starting(&self) -> Result<(), String> {
        match self.store.mark_send_started(self.row, self.claim, self.clock.now()).await {
            Ok(true) => Ok(()),
            Ok(false) => Err("the claim on the reply expired".to_owned()),
            Err(error) => Err(format!("could not record the send's start: {error}")),
        }
    }
}

/// What the console shows for a bubble: interactive messages as their numbered text.
fn console_text(message: &OutboundMessage) -> String {
    match message {
        OutboundMessage::Text(text) => text.body().to_owned(),
        OutboundMessage::Buttons(_) | OutboundMessage::List(_) => match message.to_numbered_text() {
            Some(OutboundMessage::Text(text)) => text.body().to_owned(),
            _ => String::new(),
        },
        OutboundMessage::Template(template) => {
            format!(
                "(template {} [{}]: {})",
                template.name(),
                template.language(),
                template.body_params().join(" | ")
            )
        }
    }
}
