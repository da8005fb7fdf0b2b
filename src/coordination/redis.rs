//! Coordination through Redis 7: any number of replicas.
//!
//! Every key starts with a prefix (`sofia:` by default), so several deployments (or tests) can
//! share one Redis. Wake-ups are published on `<prefix>wake`; each subscriber holds its own
//! pub/sub connection, forwarded into a bounded channel by a background task.

use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use redis::aio::MultiplexedConnection;
use redis::{AsyncCommands, Script};
use sofia_core::domain::ConversationId;
use tokio::sync::mpsc;

use super::{CoordinationError, CoordinationResult, Coordinator, WAKEUP_BUFFER, Wakeups};

pub struct RedisCoordinator {
    client: redis::Client,
    connection: MultiplexedConnection,
    prefix: String,
}

/// Takes the lock if free, or extends it if `holder` already has it, atomically.
const TRY_LOCK: &str = r"
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if current then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
";

/// Deletes the lock only if `holder` still has it: a lock that expired and was taken by
/// someone else must survive its previous holder's unlock.
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

impl RedisCoordinator {
    /// Connects to `url` (`redis://host:port/db`); every key is put under `prefix`.
    pub async fn connect(url: &str, prefix: &str) -> CoordinationResult<RedisCoordinator> {
        let client = redis::Client::open(url).map_err(redis_error)?;
        let connection = client.get_multiplexed_async_connection().await.map_err(redis_error)?;
        Ok(RedisCoordinator { client, connection, prefix: prefix.to_owned() })
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn wake_channel(&self) -> String {
        self.key("wake")
    }
}

fn redis_error(error: redis::RedisError) -> CoordinationError {
    // The URL (which may carry a password) is never part of a RedisError's text.
    CoordinationError::Redis(error.to_string())
}

fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[async_trait]
impl Coordinator for RedisCoordinator {
    fn backend(&self) -> &'static str {
        "redis"
    }

    async fn wake(&self, conversation: ConversationId) -> CoordinationResult<()> {
        let mut connection = self.connection.clone();
        let _receivers: i64 =
            connection.publish(self.wake_channel(), conversation.to_string()).await.map_err(redis_error)?;
        Ok(())
    }

    async fn subscribe(&self) -> CoordinationResult<Wakeups> {
        let mut pubsub = self.client.get_async_pubsub().await.map_err(redis_error)?;
        pubsub.subscribe(self.wake_channel()).await.map_err(redis_error)?;
        let (sender, receiver) = mpsc::channel(WAKEUP_BUFFER);
        tokio::spawn(async move {
            let mut messages = pubsub.into_on_message();
            while let Some(message) = messages.next().await {
                let Ok(payload) = message.get_payload::<String>() else { continue };
                let Ok(conversation) = payload.parse::<ConversationId>() else {
                    tracing::warn!("ignored a malformed wake-up on the Redis channel");
                    continue;
                };
                if sender.send(conversation).await.is_err() {
                    break;
                }
            }
        });
        Ok(Wakeups(receiver))
    }

    async fn try_lock(&self, key: &str, holder: &str, ttl: Duration) -> CoordinationResult<bool> {
        let mut connection = self.connection.clone();
        let taken: i64 = Script::new(TRY_LOCK)
            .key(self.key(key))
            .arg(holder)
            .arg(millis(ttl))
            .invoke_async(&mut connection)
            .await
            .map_err(redis_error)?;
        Ok(taken == 1)
    }

    async fn unlock(&self, key: &str, holder: &str) -> CoordinationResult<()> {
        let mut connection = self.connection.clone();
        let _deleted: i64 = Script::new(UNLOCK)
            .key(self.key(key))
            .arg(holder)
            .invoke_async(&mut connection)
            .await
            .map_err(redis_error)?;
        Ok(())
    }

    async fn ping(&self) -> CoordinationResult<()> {
        let mut connection = self.connection.clone();
        let _pong: String = redis::cmd("PING").query_async(&mut connection).await.map_err(redis_error)?;
        Ok(())
    }
}
