//! The mirror: every conversation of a clinic with a Chatwoot section, copied into its Chatwoot
//! API inbox, message by message, in order, at least once.
//!
//! # How messages are queued: a loop, not the message's own transaction
//!
//! Each round first *queues* the clinic's recent messages that have no delivery row yet (one
//! `INSERT … SELECT`, idempotent on the message id), then posts what is due. Queuing in the
//! transaction that stores the message would be the strongest guarantee, but it would put
//! Chatwoot's bookkeeping on the inbox's group-committed hot path and into the engine's outbox
//! writes, for every clinic, while only some have Chatwoot; and the store would have to know
//! the clinic files. The loop loses nothing either: a message is queued in a later round if
//! not in this one, for [`LOOKBACK`] after it was stored, and a clinic that adds Chatwoot has
//! its last days mirrored too. Sofia's replies are queued once they left the outbox (sent or
//! failed), and nothing after a reply still waiting to be sent, so Chatwoot shows the order
//! the patient saw.
//!
//! # Delivery: at least once, in order, never on the reply path
//!
//! Chatwoot takes no idempotency key, so a post whose answer was lost is posted again: a
//! message may (rarely) show twice, never not at all. Within a conversation the rows go in
//! order; one that fails for a reason that may pass (5xx, 429, timeouts, a refused token)
//! waits with a doubling back-off (or Chatwoot's `Retry-After`) and holds the ones after it,
//! and the clinic's other conversations wait for the next round. One Chatwoot refuses for
//! good (another 4xx) is parked with its error and the next goes on. The mirror runs in a loop
//! of its own, reads the store and nothing else of the engine's: Chatwoot being slow or down
//! never delays a patient's reply.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;
use sofia_core::clinic::Clinic;
use sofia_core::clock::Clock;
use sofia_core::domain::{ClinicId, ConversationId};
use tracing::Instrument;

use super::client::{
    ChatwootClient, ChatwootConfigError, ChatwootError, Contact, ConversationStatus, NewConversation,
};
use super::handover::Handover;
use super::message::mirrored;
use crate::metrics::Metrics;
use crate::secret::Secret;
use crate::store::{ChatwootLink, Conversation, MirrorJob, Store, StoreError};

/// How far back a round looks for messages not queued yet.
pub const LOOKBACK: Duration = Duration::days(3);
/// A message Chatwoot could not take for this long after it was stored is parked.
pub const GIVE_UP_AFTER: Duration = Duration::days(3);
/// The first retry's wait; it doubles with every failed attempt up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::seconds(5);
pub const MAX_BACKOFF: Duration = Duration::minutes(10);
/// Longer than a claimed batch takes to post; a mirror that died holding it is replaced then.
pub const CLAIM_LEASE: Duration = Duration::minutes(5);
/// Messages a round queues per clinic, conversations it visits per clinic, and rows it
/// claims per conversation.
const QUEUE_BATCH: u32 = 500;
const CONVERSATION_BATCH: u32 = 100;
const CLAIM_BATCH: u32 = 50;

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MirrorReport {
    pub queued: u64,
    pub mirrored: usize,
    /// Left for a later attempt.
    pub retrying: usize,
    pub parked: usize,
    /// Handoffs Chatwoot was told of: opened there, and back to pending.
    pub handoffs_opened: usize,
    pub handoffs_closed: usize,
}

impl std::ops::AddAssign for MirrorReport {
    fn add_assign(&mut self, other: Self) {
        self.queued += other.queued;
        self.mirrored += other.mirrored;
        self.retrying += other.retrying;
        self.parked += other.parked;
        self.handoffs_opened += other.handoffs_opened;
        self.handoffs_closed += other.handoffs_closed;
    }
}

struct ClinicMirror {
    clinic: Clinic,
    client: ChatwootClient,
}

/// Mirrors the conversations of every clinic that declares Chatwoot.
pub struct Mirror {
    store: Arc<dyn Store>,
    metrics: Arc<Metrics>,
    clock: Arc<dyn Clock>,
    clinics: HashMap<ClinicId, ClinicMirror>,
}

impl Mirror {
    /// A client per clinic with a `chatwoot` section, its token read through `env`. `http`
    /// carries the timeouts.
    pub fn new(
        clinics: &[&Clinic],
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        http: &reqwest::Client,
        env: &dyn Fn(&str) -> Option<String>,
        metrics: Arc<Metrics>,
    ) -> Result<Self, ChatwootConfigError> {
        let mut mirrors = HashMap::new();
        for clinic in clinics {
            let Some(spec) = &clinic.chatwoot else { continue };
            let token = env(&spec.api_access_token_env).filter(|token| !token.trim().is_empty()).ok_or_else(
                || ChatwootConfigError::MissingToken {
                    clinic: clinic.tenant.clone(),
                    variable: spec.api_access_token_env.clone(),
                },
            )?;
            let client = ChatwootClient::new(spec, Secret::new(token), http.clone())?;
            mirrors.insert(clinic.id, ClinicMirror { clinic: (*clinic).clone(), client });
        }
        Ok(Mirror { store, metrics, clock, clinics: mirrors })
    }

    /// Whether any clinic mirrors into Chatwoot (no loop is needed otherwise).
    pub fn is_empty(&self) -> bool {
        self.clinics.is_empty()
    }

    /// Runs a round every `every` (the first at once) until `shutdown` resolves; a round under
    /// way is finished first.
    pub async fn run(&self, every: std::time::Duration, shutdown: impl Future<Output = ()>) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                _ = ticks.tick() => {
                    if let Err(error) = self.round().await {
                        tracing::warn!(error = &error as &dyn std::error::Error, "Chatwoot mirror round failed");
                    }
                }
                () = &mut shutdown => return,
            }
        }
    }

    /// One round: queues every clinic's new messages, then posts what is due.
    pub async fn round(&self) -> Result<MirrorReport, StoreError> {
        let mut report = MirrorReport::default();
        for (clinic_id, clinic) in &self.clinics {
            report += self.clinic_round(*clinic_id, clinic).await?;
        }
        for (part, outcome, count) in [
            ("mirror", "mirrored", report.mirrored),
            ("mirror", "retrying", report.retrying),
            ("mirror", "parked", report.parked),
            ("handover", "opened", report.handoffs_opened),
            ("handover", "closed", report.handoffs_closed),
        ] {
            self.metrics.chatwoot.add(&[part, outcome], count as u64);
        }
        Ok(report)
    }

    async fn clinic_round(
        &self,
        clinic_id: ClinicId,
        clinic: &ClinicMirror,
    ) -> Result<MirrorReport, StoreError> {
        let now = self.clock.now();
        let mut report = MirrorReport {
            queued: self.store.queue_for_chatwoot(clinic_id, now - LOOKBACK, now, QUEUE_BATCH).await?,
            ..MirrorReport::default()
        };
        for conversation in self.store.conversations_to_mirror(clinic_id, now, CONVERSATION_BATCH).await? {
            let (done, chatwoot_down) = self.conversation(clinic, conversation).await?;
            report += done;
            if chatwoot_down {
                // The next conversation would only meet the same outage: leave the rest of this
                // clinic for a later round.
                return Ok(report);
            }
        }
        // After the messages, so a handoff's note follows what led to it.
        let handover = Handover {
            store: self.store.as_ref(),
            clock: self.clock.as_ref(),
            clinic: &clinic.clinic,
            client: &clinic.client,
        };
        let told = handover
            .tell(clinic_id)
            .instrument(tracing::info_span!("handovers", clinic = %clinic.clinic.tenant))
            .await?;
        report.handoffs_opened += told.opened;
        report.handoffs_closed += told.closed;
        Ok(report)
    }

    /// Posts the conversation's due rows in order. Answers what it did, and whether it
    /// stopped because Chatwoot is unavailable.
    async fn conversation(
        &self,
        clinic: &ClinicMirror,
        conversation: ConversationId,
    ) -> Result<(MirrorReport, bool), StoreError> {
        let Some(record) = self.store.conversation(conversation).await? else {
            return Ok((MirrorReport::default(), false));
        };
        let span = tracing::info_span!(
            "mirror",
            clinic = %clinic.clinic.tenant,
            phone = %record.phone.masked(),
            %conversation,
        );
        self.post_claimed(clinic, &record).instrument(span).await
    }

    async fn post_claimed(
        &self,
        clinic: &ClinicMirror,
        record: &Conversation,
    ) -> Result<(MirrorReport, bool), StoreError> {
        let mut report = MirrorReport::default();
        let claim = uuid::Uuid::new_v4().to_string();
        let now = self.clock.now();
        let jobs =
            self.store.claim_mirror_jobs(record.id, &claim, now, now + CLAIM_LEASE, CLAIM_BATCH).await?;
        let Some(first) = jobs.first() else { return Ok((report, false)) };
        let link = match self.link(clinic, record).await {
            Ok(link) => link,
            Err(LinkError::Store(error)) => {
                self.store.release_mirror_claim(&claim).await?;
                return Err(error);
            }
            Err(LinkError::Chatwoot(error)) => {
                // The first row carries the failure (and its back-off); the rest wait behind it.
                let retrying = self.failed(first, &error, &mut report).await?;
                self.store.release_mirror_claim(&claim).await?;
                return Ok((report, retrying));
            }
        };
        for job in &jobs {
            let posted =
                clinic.client.create_message(link.chatwoot_conversation_id, &mirrored(&job.message)).await;
            match posted {
                Ok(id) => {
                    self.store.mark_mirrored(job.message.id, id, self.clock.now()).await?;
                    report.mirrored += 1;
                }
                Err(error) => {
                    if self.failed(job, &error, &mut report).await? {
                        self.store.release_mirror_claim(&claim).await?;
                        return Ok((report, true));
                    }
                }
            }
        }
        if report.mirrored > 0 {
            tracing::debug!(mirrored = report.mirrored, "mirrored into Chatwoot");
        }
        Ok((report, false))
    }

    /// Records a failed post: parked when no retry will help (or retries went on too long),
    /// otherwise retried after a back-off. Answers whether it will be retried.
    async fn failed(
        &self,
        job: &MirrorJob,
        error: &ChatwootError,
        report: &mut MirrorReport,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let message = job.message.id;
        let too_old = now - job.message.created_at > GIVE_UP_AFTER;
        if error.is_retryable() && !too_old {
            let retry_at = now + backoff(job.attempts + 1, error.retry_after());
            if matches!(error, ChatwootError::Unauthorized { .. }) {
                tracing::warn!(message_id = %message, %error, %retry_at, "Chatwoot refused the token; retrying later");
            } else {
                tracing::info!(message_id = %message, %error, %retry_at, "Chatwoot could not take a message now; retrying later");
            }
            self.store.retry_mirror(message, &error.to_string(), retry_at, now).await?;
            report.retrying += 1;
            return Ok(true);
        }
        let reason = if too_old {
            format!("{error} (given up: not mirrored within {} days)", GIVE_UP_AFTER.num_days())
        } else {
            error.to_string()
        };
        tracing::warn!(message_id = %message, error = %reason, "a message could not be mirrored into Chatwoot; parked");
        self.store.park_mirror(message, &reason, now).await?;
        report.parked += 1;
        Ok(false)
    }

    /// The conversation's Chatwoot conversation, found or created (with its contact) the
    /// first time. Each step looks before it creates, so a mirror that died half-way creates
    /// nothing twice: the contact is searched by phone, and a conversation the contact
    /// already has in the inbox is taken over.
    async fn link(&self, clinic: &ClinicMirror, record: &Conversation) -> Result<ChatwootLink, LinkError> {
        if let Some(link) = self.store.chatwoot_link(record.id).await? {
            return Ok(link);
        }
        let client = &clinic.client;
        let contact = match client.search_contact(&record.phone).await? {
            Some(contact) => contact,
            None => client.create_contact(&record.phone, &self.contact_name(record).await?).await?,
        };
        let existing = client
            .contact_conversations(contact.id)
            .await?
            .into_iter()
            .filter(|c| c.inbox_id == client.inbox())
            .map(|c| c.id)
            .max();
        let chatwoot_conversation_id = match existing {
            Some(id) => id,
            None => self.create_conversation(client, &contact, record).await?,
        };
        let link = ChatwootLink {
            conversation_id: record.id,
            clinic_id: record.clinic_id,
            contact_id: contact.id,
            chatwoot_conversation_id,
            created_at: self.clock.now(),
        };
        self.store.save_chatwoot_link(&link).await?;
        tracing::info!(chatwoot_conversation = %chatwoot_conversation_id, "conversation linked to Chatwoot");
        Ok(link)
    }

    async fn create_conversation(
        &self,
        client: &ChatwootClient,
        contact: &Contact,
        record: &Conversation,
    ) -> Result<sofia_core::domain::ChatwootConversationId, ChatwootError> {
        let source_id = match contact.source_id_in(client.inbox()) {
            Some(source_id) => source_id.to_owned(),
            None => client.create_contact_inbox(contact.id, &record.id.to_string()).await?,
        };
        client
            .create_conversation(&NewConversation {
                contact_id: contact.id,
                source_id: &source_id,
                // The bot owns it until a handoff opens it for the agents.
                status: ConversationStatus::Pending,
                attributes: serde_json::json!({ "sofia_conversation_id": record.id }),
            })
            .await
    }

    /// The patient's name, or their number when Sofia does not know it yet.
    async fn contact_name(&self, record: &Conversation) -> Result<String, StoreError> {
        let patient = self.store.patient_by_phone(record.clinic_id, &record.phone).await?;
        Ok(patient
            .and_then(|p| p.name)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| record.phone.to_string()))
    }
}

/// The wait before attempt `attempt + 1`: [`FIRST_BACKOFF`] doubling up to [`MAX_BACKOFF`], or
/// longer when Chatwoot said so.
fn backoff(attempt: u32, retry_after: Option<std::time::Duration>) -> Duration {
    let doublings = attempt.saturating_sub(1).min(16);
    let doubled = FIRST_BACKOFF * (1 << doublings);
    let wait = doubled.min(MAX_BACKOFF);
    let asked = retry_after.and_then(|after| Duration::from_std(after).ok()).unwrap_or(Duration::zero());
    wait.max(asked)
}

enum LinkError {
    Store(StoreError),
    Chatwoot(ChatwootError),
}

impl From<StoreError> for LinkError {
    fn from(error: StoreError) -> Self {
        LinkError::Store(error)
    }
}

impl From<ChatwootError> for LinkError {
    fn from(error: ChatwootError) -> Self {
        LinkError::Chatwoot(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_to_ten_minutes_unless_chatwoot_asks_for_longer() {
        let waits: Vec<i64> = (1..=9).map(|attempt| backoff(attempt, None).num_seconds()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 80, 160, 320, 600, 600]);
        assert_eq!(backoff(1, Some(std::time::Duration::from_secs(120))).num_seconds(), 120);
        assert_eq!(backoff(9, Some(std::time::Duration::from_secs(30))).num_seconds(), 600);
    }
}
