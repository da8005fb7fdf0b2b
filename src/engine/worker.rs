//! When turns run: the worker loop of `sofia serve`.
//!
//! A wake-up (from this replica's webhooks or, through Redis, another's) or the periodic sweep
//! names a conversation; one task per conversation waits out the debounce window while the
//! patient keeps typing, then runs the turn under the store lease and hands the outbox to
//! [`Delivery`]. Turns of different conversations run in parallel, at most
//! `engine.workers` at once. Only one replica waits out a conversation's window (a coordination
//! lock); the store lease is what makes the turn itself safe against every race and crash.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;
use sofia_core::domain::{ClinicId, ConversationId};
use tokio::sync::Semaphore;

use super::{Engine, EngineError};
use crate::coordination::{Coordinator, Wakeups};
use crate::store::Waiting;

/// Sends what a turn queued. Implemented for the outbox dispatcher in `app::wiring`.
#[async_trait]
pub trait Delivery: Send + Sync {
    async fn deliver(&self, conversation: ConversationId);
}

/// How long the debounce may keep extending while messages keep arriving.
const MAX_DEBOUNCE_ROUNDS: u32 = 5;

/// Conversations found by one sweep.
const SWEEP_BATCH: u32 = 200;

pub struct Workers {
    engine: Arc<Engine>,
    coordinator: Arc<dyn Coordinator>,
    delivery: Arc<dyn Delivery>,
    permits: Arc<Semaphore>,
    /// Conversations with a task on this replica; a wake-up for one of them is already covered,
    /// as the task looks for new messages before it ends.
    active: Mutex<HashSet<ConversationId>>,
}

impl Workers {
    pub fn new(
        engine: Arc<Engine>,
        coordinator: Arc<dyn Coordinator>,
        delivery: Arc<dyn Delivery>,
    ) -> Arc<Workers> {
        let permits = Arc::new(Semaphore::new(engine.settings.workers));
        Arc::new(Workers { engine, coordinator, delivery, permits, active: Mutex::new(HashSet::new()) })
    }

    /// Works conversations until `shutdown` resolves: wake-ups as they come, and a sweep every
    /// `engine.sweep_s` for anything pending whose wake-up was lost (a crash, a restart).
    pub async fn run(self: Arc<Self>, shutdown: impl std::future::Future<Output = ()> + Send) {
        let mut wakeups = self.subscribe().await;
        let mut sweep = tokio::time::interval(Duration::from_secs(self.engine.settings.sweep_s.max(1)));
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                _ = sweep.tick() => {
                    if wakeups.is_none() {
                        wakeups = self.subscribe().await;
                    }
                    self.sweep().await;
                }
                woken = next_wakeup(&mut wakeups) => match woken {
                    Some(conversation) => self.schedule(conversation),
                    None => wakeups = None,
                },
            }
        }
    }

    /// Wake-ups from every replica; `None` (and an error logged) while the coordinator cannot
    /// subscribe, in which case the next sweep tries again and meanwhile finds the work itself.
    async fn subscribe(&self) -> Option<Wakeups> {
        match self.coordinator.subscribe().await {
            Ok(wakeups) => Some(wakeups),
            Err(error) => {
                tracing::error!(
                    error = &error as &dyn std::error::Error,
                    "no wake-ups: relying on the sweep until subscribing works"
                );
                None
            }
        }
    }

    /// Tells every replica that `conversation` has a new message.
    pub async fn wake(self: &Arc<Self>, conversation: ConversationId) {
        if let Err(error) = self.coordinator.wake(conversation).await {
            // The sweep will find it; only the debounce-sized latency is lost.
            tracing::warn!(error = &error as &dyn std::error::Error, "a wake-up was not published");
            self.schedule(conversation);
        }
    }

    async fn sweep(self: &Arc<Self>) {
        let clinics: Vec<ClinicId> = self.engine.clinics.ids();
        match self.engine.store.conversations_waiting(Waiting::ForTurn, &clinics, SWEEP_BATCH).await {
            Ok(conversations) => conversations.into_iter().for_each(|id| self.schedule(id)),
            Err(error) => {
                tracing::warn!(error = &error as &dyn std::error::Error, "the sweep could not read the inbox")
            }
        }
    }

    fn schedule(self: &Arc<Self>, conversation: ConversationId) {
        if !self.active().insert(conversation) {
            return;
        }
        let workers = Arc::clone(self);
        tokio::spawn(async move {
            workers.work(conversation).await;
            workers.active().remove(&conversation);
        });
    }

    fn active(&self) -> MutexGuard<'_, HashSet<ConversationId>> {
        self.active.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn work(&self, conversation: ConversationId) {
        let lock = format!("debounce:{conversation}");
        let holder = &self.engine.worker_id;
        let hold = self.engine.debounce() * (MAX_DEBOUNCE_ROUNDS + 1)
            + Duration::from_secs(self.engine.settings.lease_s);
        match self.coordinator.try_lock(&lock, holder, hold).await {
            Ok(true) => {}
            Ok(false) => return,
            // Without the lock two replicas may both wait; the lease still keeps turns apart.
            Err(error) => {
                tracing::warn!(error = &error as &dyn std::error::Error, "coordination lock unavailable")
            }
        }
        loop {
            match self.turn_when_quiet(conversation).await {
                Ok(true) => continue,
                Ok(false) => break,
                // Another worker has the conversation (and its pending messages) now.
                Err(EngineError::Busy(_) | EngineError::LeaseLost(_)) => break,
                Err(error) => {
                    tracing::error!(
                        conversation = %conversation,
                        error = &error as &dyn std::error::Error,
                        "a turn failed; its messages stay pending for the next sweep"
                    );
                    break;
                }
            }
        }
        if let Err(error) = self.coordinator.unlock(&lock, holder).await {
            tracing::debug!(
                error = &error as &dyn std::error::Error,
                "could not release a coordination lock"
            );
        }
    }

    /// Waits until the patient stops typing, runs the turn and delivers it. True when more
    /// messages arrived meanwhile and another turn is due.
    async fn turn_when_quiet(&self, conversation: ConversationId) -> Result<bool, EngineError> {
        let store = &self.engine.store;
        let mut seen = store.pending_inbound(conversation).await?.len();
        if seen == 0 {
            return Ok(false);
        }
        for _ in 0..MAX_DEBOUNCE_ROUNDS {
            tokio::time::sleep(self.engine.debounce()).await;
            let now = store.pending_inbound(conversation).await?.len();
            if now == seen {
                break;
            }
            seen = now;
        }
        let _permit = self.permits.acquire().await.map_err(|_| EngineError::Busy(conversation))?;
        let outcome = self.engine.run_turn(conversation).await?;
        if !outcome.queued.is_empty() {
            self.delivery.deliver(conversation).await;
        }
        Ok(!store.pending_inbound(conversation).await?.is_empty())
    }
}

async fn next_wakeup(wakeups: &mut Option<crate::coordination::Wakeups>) -> Option<ConversationId> {
    match wakeups {
        Some(wakeups) => wakeups.next().await,
        None => std::future::pending().await,
    }
}
