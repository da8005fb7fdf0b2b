//! Coordination through Redis 7: any number of replicas.
//!
//! Every key starts with a prefix (`sofia:` by default), so several deployments (or tests) can
//! share one Redis. Wake-ups are published on `<prefix>wake`; each subscriber holds its own
//! pub/sub connection, forwarded into a bounded channel by a background task.
//!
//! Redis may restart under a running replica. A multiplexed connection does not come back by
//! itself, so the command connection is replaced after a connection error (the command that
//! met it fails; the next one runs on the new connection), and the subscriber subscribes again
//! with back-off whenever its stream ends, logging both. Wake-ups published while it was away
//! are lost; the engine's sweep finds those conversations.

use std::sync::Mutex;
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
    /// Cloned for each command (the clones share one connection); replaced when it broke.
    connection: Mutex<MultiplexedConnection>,
    prefix: String,
}

/// The longest wait between two attempts to subscribe again.
const MAX_RESUBSCRIBE_WAIT: Duration = Duration::from_secs(30);

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
        Ok(RedisCoordinator { client, connection: Mutex::new(connection), prefix: prefix.to_owned() })
    }

    fn connection(&self) -> MultiplexedConnection {
        self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// The error as the caller sees it; when the connection itself broke, a new one is made
    /// for the next command.
    async fn failed(&self, error: redis::RedisError) -> CoordinationError {
        if error.is_connection_dropped() || error.is_io_error() {
            match self.client.get_multiplexed_async_connection().await {
                Ok(fresh) => {
                    tracing::warn!(error = %error, "the Redis connection broke; reconnected");
                    *self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = fresh;
                }
                Err(again) => {
                    tracing::warn!(error = %again, "the Redis connection broke; cannot reconnect yet")
                }
            }
        }
        redis_error(error)
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
        let mut connection = self.connection();
        match connection.publish::<_, _, i64>(self.wake_channel(), conversation.to_string()).await {
            Ok(_receivers) => Ok(()),
            Err(error) => Err(self.failed(error).await),
        }
    }

    async fn subscribe(&self) -> CoordinationResult<Wakeups> {
        let channel = self.wake_channel();
        let pubsub = subscribed(&self.client, &channel).await.map_err(redis_error)?;
        let (sender, receiver) = mpsc::channel(WAKEUP_BUFFER);
        let client = self.client.clone();
        tokio::spawn(async move {
            let mut pubsub = pubsub;
            loop {
                if !forward(pubsub, &sender).await {
                    return; // Nobody listens any more.
                }
                tracing::warn!("the Redis wake-up subscription ended; subscribing again");
                match resubscribe(&client, &channel, &sender).await {
                    Some(again) => {
                        tracing::info!("subscribed to Redis wake-ups again");
                        pubsub = again;
                    }
                    None => return,
                }
            }
        });
        Ok(Wakeups(receiver))
    }

    async fn try_lock(&self, key: &str, holder: &str, ttl: Duration) -> CoordinationResult<bool> {
        let mut connection = self.connection();
        let taken: Result<i64, _> = Script::new(TRY_LOCK)
            .key(self.key(key))
            .arg(holder)
            .arg(millis(ttl))
            .invoke_async(&mut connection)
            .await;
        match taken {
            Ok(taken) => Ok(taken == 1),
            Err(error) => Err(self.failed(error).await),
        }
    }

    async fn unlock(&self, key: &str, holder: &str) -> CoordinationResult<()> {
        let mut connection = self.connection();
        let deleted: Result<i64, _> =
            Script::new(UNLOCK).key(self.key(key)).arg(holder).invoke_async(&mut connection).await;
        match deleted {
            Ok(_deleted) => Ok(()),
            Err(error) => Err(self.failed(error).await),
        }
    }

    async fn ping(&self) -> CoordinationResult<()> {
        let mut connection = self.connection();
        let pong: Result<String, _> = redis::cmd("PING").query_async(&mut connection).await;
        match pong {
            Ok(_pong) => Ok(()),
            Err(error) => Err(self.failed(error).await),
        }
    }
}

async fn subscribed(client: &redis::Client, channel: &str) -> redis::RedisResult<redis::aio::PubSub> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(channel).await?;
    Ok(pubsub)
}

/// Forwards wake-ups until the subscription's stream ends (true) or nobody listens (false).
async fn forward(pubsub: redis::aio::PubSub, sender: &mpsc::Sender<ConversationId>) -> bool {
    let mut messages = pubsub.into_on_message();
    while let Some(message) = messages.next().await {
        let Ok(payload) = message.get_payload::<String>() else { continue };
        let Ok(conversation) = payload.parse::<ConversationId>() else {
            tracing::warn!("ignored a malformed wake-up on the Redis channel");
            continue;
        };
        if sender.send(conversation).await.is_err() {
            return false;
        }
    }
    !sender.is_closed()
}

/// Subscribes again, waiting twice as long after each failure (up to
/// [`MAX_RESUBSCRIBE_WAIT`]); `None` once nobody listens any more.
async fn resubscribe(
    client: &redis::Client,
    channel: &str,
    sender: &mpsc::Sender<ConversationId>,
) -> Option<redis::aio::PubSub> {
    let mut wait = Duration::from_millis(250);
    loop {
        if sender.is_closed() {
            return None;
        }
        match subscribed(client, channel).await {
            Ok(pubsub) => return Some(pubsub),
            Err(error) => {
                tracing::warn!(error = %error, retry_in_ms = wait.as_millis() as u64, "cannot subscribe to Redis wake-ups yet");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(MAX_RESUBSCRIBE_WAIT);
            }
        }
    }
}
