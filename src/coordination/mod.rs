//! The coordination port: what replicas of `sofia serve` tell each other, fast and
//! short-lived. Wake-ups (a conversation has new messages) and locks (one replica waits out a
//! conversation's debounce window).
//!
//! Two adapters: [`LocalCoordinator`], in-process, the embedded default for a single replica;
//! and [`RedisCoordinator`] for any number of replicas. Nothing here is the source of truth:
//! the store's lease and unique keys are. A lost wake-up is picked up by the engine's periodic
//! sweep, and an expired lock only costs a duplicate wait.

mod local;
mod redis;

use std::time::Duration;

use async_trait::async_trait;
use sofia_core::domain::ConversationId;
use tokio::sync::mpsc;

pub use local::LocalCoordinator;
pub use redis::RedisCoordinator;

#[derive(Debug, thiserror::Error)]
pub enum CoordinationError {
    #[error("cannot reach Redis: {0}")]
    Redis(String),
}

pub type CoordinationResult<T> = Result<T, CoordinationError>;

/// Wake-ups as they arrive, from this replica and (with Redis) every other.
pub struct Wakeups(mpsc::Receiver<ConversationId>);

impl Wakeups {
    /// The next wake-up; `None` once the coordinator is gone.
    pub async fn next(&mut self) -> Option<ConversationId> {
        self.0.recv().await
    }
}

#[async_trait]
pub trait Coordinator: Send + Sync {
    /// Which adapter this is, for readiness and logs: `in-process` or `redis`.
    fn backend(&self) -> &'static str;

    /// Tells every subscriber (on every replica) that `conversation` has new messages.
    async fn wake(&self, conversation: ConversationId) -> CoordinationResult<()>;

    /// Starts receiving wake-ups. Each subscriber receives every wake-up published after it
    /// subscribed.
    async fn subscribe(&self) -> CoordinationResult<Wakeups>;

    /// Takes `key` for `holder` for `ttl` if nobody else holds it. True when taken (or already
    /// held by `holder`, whose hold is then extended).
    async fn try_lock(&self, key: &str, holder: &str, ttl: Duration) -> CoordinationResult<bool>;

    /// Releases `key` if `holder` holds it; someone else's lock is left alone.
    async fn unlock(&self, key: &str, holder: &str) -> CoordinationResult<()>;

    /// Round-trip to the backend, for readiness checks.
    async fn ping(&self) -> CoordinationResult<()>;
}

/// How many wake-ups a slow subscriber may fall behind before the oldest are dropped; the
/// engine's sweep finds whatever a dropped wake-up announced.
const WAKEUP_BUFFER: usize = 1024;
