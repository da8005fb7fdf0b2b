//! In-process coordination: one replica, nothing to install.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sofia_core::clock::Clock;
use sofia_core::domain::ConversationId;
use tokio::sync::mpsc;

use super::{CoordinationResult, Coordinator, WAKEUP_BUFFER, Wakeups};

/// Locks expire by the injected clock, so tests can move time.
pub struct LocalCoordinator {
    clock: Arc<dyn Clock>,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    subscribers: Vec<mpsc::Sender<ConversationId>>,
    /// key → (holder, expires at)
    locks: HashMap<String, (String, DateTime<Utc>)>,
}

impl LocalCoordinator {
    pub fn new(clock: Arc<dyn Clock>) -> LocalCoordinator {
        LocalCoordinator { clock, inner: Mutex::new(Inner::default()) }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // No code path panics while holding the lock; recover the data if one ever did.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn expiry(&self, ttl: Duration) -> DateTime<Utc> {
        self.clock.now() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX)
    }
}

#[async_trait]
impl Coordinator for LocalCoordinator {
    fn backend(&self) -> &'static str {
        "in-process"
    }

    async fn wake(&self, conversation: ConversationId) -> CoordinationResult<()> {
        let mut inner = self.inner();
        inner.subscribers.retain(|subscriber| match subscriber.try_send(conversation) {
            Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => true,
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        });
        Ok(())
    }

    async fn subscribe(&self) -> CoordinationResult<Wakeups> {
        let (sender, receiver) = mpsc::channel(WAKEUP_BUFFER);
        self.inner().subscribers.push(sender);
        Ok(Wakeups(receiver))
    }

    async fn try_lock(&self, key: &str, holder: &str, ttl: Duration) -> CoordinationResult<bool> {
        let now = self.clock.now();
        let until = self.expiry(ttl);
        let mut inner = self.inner();
        let free = match inner.locks.get(key) {
            None => true,
            Some((current, expires)) => current == holder || *expires <= now,
        };
        if free {
            inner.locks.insert(key.to_owned(), (holder.to_owned(), until));
        }
        Ok(free)
    }

    async fn unlock(&self, key: &str, holder: &str) -> CoordinationResult<()> {
        let mut inner = self.inner();
        if inner.locks.get(key).is_some_and(|(current, _)| current == holder) {
            inner.locks.remove(key);
        }
        Ok(())
    }

    async fn ping(&self) -> CoordinationResult<()> {
        Ok(())
    }
}
